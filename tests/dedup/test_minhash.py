"""Shingles, signatures and banding: the fast paths agree with the plain definitions."""

from __future__ import annotations

import numpy as np
import pytest

from newsevents.tasks.dedup import minhash
from newsevents.tasks.ingest.clean import content_key

STORY = (
    "Rescue teams in northern Kenya reached villages cut off by floods on Tuesday, the Red Cross said, "
    "as the government promised food aid to some 20,000 families. \u201cThe water is still rising,\u201d "
    "said Amina Yusuf, a nurse in Garissa, where the river burst its banks overnight."
)


def reference_shingles(text: str, k: int = 5) -> set[str]:
    tokens = content_key(text).split()
    if not tokens:
        return set()
    return {" ".join(tokens[i : i + k]) for i in range(max(1, len(tokens) - k + 1))}


def reference_jaccard(a: str, b: str) -> float:
    sa, sb = reference_shingles(a), reference_shingles(b)
    return len(sa & sb) / len(sa | sb)


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII text, with Capitals and punctuation.",
        "Tabs\tand\nnewlines\r\nand  double  spaces",
        "Unit\x1fseparators\x1cand\x0bvertical\x0ctabs",
        "\u2018Curly\u2019 and \u201cdouble\u201d quotes, `backticks` too",
        "Stra\u00dfe in K\u00f6ln \u2014 \u0130stanbul and \u00c9cole",
        "no-break\u00a0space, ideographic\u3000space, line\u2028separator, nel\u0085here",
        "  leading and trailing whitespace  ",
        "`",
    ],
)
def test_folded_tokens_are_content_key_tokens(text):
    assert minhash.folded_bytes(text).decode("utf-8").split() == content_key(text).split()


@pytest.mark.parametrize(
    "a, b",
    [
        # paragraph breaks, spacing, case and quote style do not change a shingle
        (STORY, STORY.replace(", the Red", ",\n\nthe Red").upper().replace("\u201c", '"')),
        # a one-word edit
        (STORY, STORY.replace("Tuesday", "Wednesday")),
        # a dateline header and a copyright footer
        (STORY, "NAIROBI (Reuters) - " + STORY + " Copyright 2024 Reuters."),
        # half of the text only
        (STORY, STORY[: len(STORY) // 2] + " An unrelated ending about football results in Mombasa."),
        # shorter than one shingle: the whole text is the shingle
        ("Floods in Kenya", "floods in  KENYA"),
        ("Floods in Kenya", "Floods in Uganda"),
    ],
)
def test_exact_jaccard_of_hashed_shingles_equals_string_shingles(a, b):
    sets = minhash.shingle_sets([a, b], 5, seed=1)
    assert list(sets.sizes()) == [len(reference_shingles(a)), len(reference_shingles(b))]
    assert minhash.exact_jaccard(sets.row(0), sets.row(1)) == pytest.approx(reference_jaccard(a, b))


def test_hashes_do_not_depend_on_the_batch_or_position():
    other = "Markets in Tokyo closed higher on Friday after the central bank held rates."
    together = minhash.shingle_sets([other, STORY, ""], 5, seed=1)
    alone = minhash.shingle_sets([STORY], 5, seed=1)
    assert np.array_equal(together.row(1), alone.row(0))
    assert together.sizes()[2] == 0
    assert not np.array_equal(minhash.shingle_sets([STORY], 5, seed=2).row(0), alone.row(0))


def test_signatures_are_deterministic_and_estimate_the_jaccard():
    texts = [STORY, STORY.replace("Tuesday", "Wednesday"), "Markets in Tokyo closed higher on Friday."]
    sets = minhash.shingle_sets(texts, 5, seed=1)
    sigs = minhash.signatures(sets, 128, seed=1)
    assert sigs.shape == (3, 128) and sigs.dtype == np.uint32
    assert np.array_equal(sigs, minhash.signatures(sets, 128, seed=1))
    est = minhash.estimated_jaccard(sigs[[0, 0]], sigs[[1, 2]])
    assert est[0] == pytest.approx(minhash.exact_jaccard(sets.row(0), sets.row(1)), abs=0.2)
    assert est[1] < 0.1
    assert minhash.signatures(minhash.shingle_sets([], 5, 1), 128, 1).shape == (0, 128)


def test_long_texts_are_shingled_up_to_the_cap(monkeypatch):
    monkeypatch.setattr(minhash, "MAX_TEXT_BYTES", 1_000)
    words = " ".join(f"w{i:04d}" for i in range(1_000))  # 6 bytes a word
    sets = minhash.shingle_sets([words, "short text"], 5, seed=1)
    assert list(sets.sizes()) == [1_000 // 6 + 1 - 4, 1]


@pytest.mark.parametrize("threshold, num_perm", [(0.8, 128), (0.5, 128), (0.9, 64), (0.7, 256)])
def test_bands_catch_a_pair_at_the_threshold(threshold, num_perm):
    bands, rows = minhash.lsh_bands(threshold, num_perm)
    assert bands * rows <= num_perm
    assert 1 - (1 - threshold**rows) ** bands >= 0.999
    # and one more row per band would not
    b2 = num_perm // (rows + 1)
    assert 1 - (1 - threshold ** (rows + 1)) ** b2 < 0.999


def test_band_keys_collide_only_on_equal_bands():
    sigs = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 2, 3, 4]], np.uint32)
    keys = minhash.band_keys(sigs, bands=2, rows=2)
    assert keys[0, 0] == keys[1, 0] and keys[0, 1] != keys[1, 1]
    assert keys[0, 1] == keys[2, 1] and keys[0, 0] != keys[2, 0]
    same_values = minhash.band_keys(np.array([[5, 6, 5, 6]], np.uint32), bands=2, rows=2)
    assert same_values[0, 0] != same_values[0, 1]  # the same values in another band are another key


def test_exact_jaccard_edges():
    a = np.array([1, 2, 3], np.uint32)
    assert minhash.exact_jaccard(a, a) == 1.0
    assert minhash.exact_jaccard(a, np.array([3, 4], np.uint32)) == pytest.approx(1 / 4)
    assert minhash.exact_jaccard(a, np.empty(0, np.uint32)) == 0.0
    assert minhash.estimate_floor(0.8, 128) == pytest.approx(0.8 - 5 * (0.16 / 128) ** 0.5)
