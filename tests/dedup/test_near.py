"""Duplicate decisions: exact clusters, near-duplicate links, groups and the canonical copy.

The stories are written for these tests; each case is a kind of copy newsrooms actually make.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from newsevents.tasks.dedup import minhash
from newsevents.tasks.dedup.near import (
    DedupItem,
    IndexPart,
    NearDupParams,
    canonical_order,
    decide_groups,
    index_meta,
    link_near_duplicates,
    plan_exact,
    sign_texts,
)
from newsevents.tasks.ingest.clean import content_hash

FLOODS = (
    "Rescue teams in northern Kenya reached villages cut off by floods on Tuesday, the Red Cross said, "
    "as the government promised food aid to some 20,000 families displaced over the weekend. "
    "\u201cThe water is still rising and people are sleeping on the roofs,\u201d said Amina Yusuf, a "
    "nurse in Garissa, where the Tana river burst its banks overnight. Officials said at least 14 "
    "people had died and that helicopters would drop supplies to areas the boats cannot reach. The "
    "meteorological department warned that more heavy rain was expected until the end of the month, "
    "and schools in three counties will stay closed. The interior minister is due to visit the "
    "region on Thursday, his office said in a statement."
)
TALKS = (
    "Negotiators from Sudan's army and the Rapid Support Forces met in Jeddah on Monday for a third "
    "round of talks on a ceasefire, Saudi and US mediators said in a joint statement. Previous truces "
    "collapsed within days, and aid agencies say millions of people in Khartoum and Darfur are short "
    "of food and medicine. The mediators said the delegations had agreed to discuss humanitarian "
    "corridors first, and a monitoring mechanism later in the week. A spokesman for the army said it "
    "would not accept any deal that left fighters in civilian homes. The RSF did not respond to a "
    "request for comment. Fighting continued in Omdurman, residents said."
)
BUDGET = (
    "The finance minister unveiled a budget on Wednesday that raises spending on hospitals and "
    "schools while cutting fuel subsidies, a move unions warned would push up transport fares. The "
    "plan forecasts growth of 3.1 percent next year and a deficit of 4.5 percent of output, down from "
    "5.2 percent. Opposition lawmakers said the figures were too optimistic and called for a vote on "
    "the subsidy cuts separately. Parliament is expected to debate the bill over two weeks before a "
    "final vote in December. Shares in state-owned banks rose after the speech, while bond yields "
    "were little changed."
)

PARAMS = NearDupParams()


def day(d: int) -> datetime:
    return datetime(2024, 5, d, tzinfo=UTC)


def article(aid: str, text: str, path: str | None = None, published: datetime | None = None):
    return DedupItem(aid, content_hash(text), path or f"{aid}.txt", len(text), published), text


def decide(articles, stored: list[IndexPart] = (), stored_ids=frozenset(), stored_hashes=None):
    """Plan, sign, link and decide, as `stages.dedup_run` does without files."""
    items = [a for a, _ in articles]
    texts = {a.article_id: t for a, t in articles}
    plan = plan_exact(items, set(stored_ids), stored_hashes or {})
    order = sorted(plan.sign_rows, key=plan.sign_rows.get)
    sets, sigs = sign_texts([texts[a] for a in order], PARAMS)
    uf, _ = link_near_duplicates((sets, sigs), stored, PARAMS)
    return decide_groups(plan, uf, stored).decisions


def stored_part(articles, groups=None) -> IndexPart:
    """An index part as an earlier run would have committed it."""
    items = [a for a, _ in articles]
    sets, sigs = sign_texts([t for _, t in articles], PARAMS)
    groups = groups or [a.article_id for a in items]
    return IndexPart(index_meta(items, groups, sets.sizes()), sigs, sets)


def group_of(decisions) -> dict[str, str | None]:
    return {aid: d.duplicate_of or d.dup_group for aid, d in decisions.items()}


@pytest.mark.parametrize(
    "copy",
    [
        # exact copies after folding case, spacing and quote style
        FLOODS,
        FLOODS.upper(),
        FLOODS.replace(". ", ".\n\n").replace("\u201c", '"').replace("\u201d", '"'),
        # a wire dateline and a syndication footer
        "NAIROBI (Reuters) - " + FLOODS + " Reporting by John Otieno; editing by Mark Heinrich.",
        "GARISSA, Kenya, May 7 (AP) \u2014 " + FLOODS + " Copyright 2024 The Associated Press.",
        # one-word edits: an updated toll, a corrected day
        FLOODS.replace("at least 14", "at least 17"),
        FLOODS.replace("on Thursday", "on Friday"),
        # a sentence dropped by an editor short of space
        FLOODS.replace(" The RSF did not respond to a request for comment.", "").replace(
            " Officials said at least 14 people had died", " At least 14 people had died"
        ),
    ],
)
def test_copies_of_a_story_are_one_group(copy):
    sets, _ = sign_texts([FLOODS, copy], PARAMS)
    assert minhash.exact_jaccard(sets.row(0), sets.row(1)) >= PARAMS.threshold
    d = decide([article("orig", FLOODS, published=day(1)), article("copy", copy, published=day(2))])
    assert d["orig"].duplicate_of is None and d["orig"].dup_group == "orig"
    assert d["copy"].duplicate_of == "orig" and d["copy"].dup_group == "orig"


@pytest.mark.parametrize(
    "other",
    [
        TALKS,
        # the same opening paragraph, then a different story: a follow-up, not a copy
        FLOODS[: len(FLOODS) // 2]
        + " Meanwhile in Mombasa, port workers went on strike over pay, halting container traffic "
        "for a second day, and the transport ministry said talks with the union would resume.",
        # the story rewritten around a new development, sharing a third of its sentences
        "The death toll from floods in northern Kenya rose to 31 on Friday, officials said. "
        + FLOODS.split(". ")[2]
        + ". Aid groups appealed for boats and tents, and the army deployed engineers to repair "
        "the road to Garissa. The interior minister visited a camp for displaced families.",
    ],
)
def test_different_stories_stay_apart(other):
    sets, _ = sign_texts([FLOODS, other], PARAMS)
    assert minhash.exact_jaccard(sets.row(0), sets.row(1)) < PARAMS.threshold
    d = decide([article("floods", FLOODS), article("other", other)])
    assert all(x.duplicate_of is None and x.dup_group is None for x in d.values())


def test_groups_are_transitive():
    # b corrects two words of a, c two more of b: c is too far from a on its own (0.70)
    a = FLOODS
    b = FLOODS.replace("on Tuesday", "on Wednesday").replace("at least 14", "at least 15")
    c = b.replace("three counties", "four counties").replace("Amina Yusuf", "Amina Yussuf")
    sets, _ = sign_texts([a, b, c], PARAMS)
    jac = {(i, j): minhash.exact_jaccard(sets.row(i), sets.row(j)) for i, j in [(0, 1), (1, 2), (0, 2)]}
    assert jac[0, 1] >= 0.8 and jac[1, 2] >= 0.8 and jac[0, 2] < 0.8
    d = decide([article("c", c), article("a", a, published=day(1)), article("b", b, published=day(2))])
    assert group_of(d) == {"a": "a", "b": "a", "c": "a"}


def test_near_and_exact_copies_share_one_canonical():
    edited = FLOODS.replace("at least 14", "at least 17")
    d = decide(
        [
            article("wire", FLOODS, published=day(3)),
            article("partner", FLOODS.upper(), published=day(1)),
            article("update", edited, published=day(4)),
            article("budget", BUDGET),
        ]
    )
    assert group_of(d) == {"wire": "partner", "partner": "partner", "update": "partner", "budget": None}
    assert d["partner"].duplicate_of is None


def test_canonical_is_earliest_then_longest_then_smallest_path():
    items = [
        DedupItem("late", "h", "a.txt", 500, day(3)),
        DedupItem("early", "h", "z.txt", 10, day(1)),
        DedupItem("undated", "h", "0.txt", 9999),
    ]
    assert [i.article_id for i in sorted(items, key=canonical_order)] == ["early", "late", "undated"]
    same_day = [DedupItem("short", "h", "a.txt", 10, day(1)), DedupItem("long", "h", "b.txt", 20, day(1))]
    assert min(same_day, key=canonical_order).article_id == "long"
    same_len = [DedupItem("b", "h", "b.txt", 10), DedupItem("a", "h", "a.txt", 10)]
    assert min(same_len, key=canonical_order).article_id == "a"
    # the same rules across a near-duplicate group
    short = FLOODS.replace(
        " The interior minister is due to visit the region on Thursday, his office said in a statement.", ""
    )
    d = decide([article("long", FLOODS, "b.txt", day(1)), article("short", short, "a.txt", day(1))])
    assert d["short"].duplicate_of == "long"


def test_already_stored_ids_are_dropped_and_stored_hash_joins_its_group():
    d = decide(
        [article("old", FLOODS), article("new", TALKS), article("copy", TALKS.upper())],
        stored_ids={"old"},
        stored_hashes={content_hash(TALKS): "stored-canonical"},
    )
    assert d["old"].drop
    assert d["new"].duplicate_of == "stored-canonical" and d["copy"].duplicate_of == "stored-canonical"


def test_same_id_twice_in_one_run_is_planned_once():
    item, _ = article("a", FLOODS)
    plan = plan_exact([item, item], set(), {})
    assert len(plan.clusters) == 1 and plan.clusters[0].members == [item]


def test_edited_copy_of_a_stored_article_joins_the_stored_group():
    stored = [stored_part([article("s-floods", FLOODS), article("s-talks", TALKS)])]
    edited = "NAIROBI (Reuters) - " + FLOODS.replace("at least 14", "at least 17")
    # even when the new copy is older, the stored canonical stays canonical
    d = decide([article("new", edited, published=day(1)), article("budget", BUDGET)], stored)
    assert d["new"].duplicate_of == "s-floods" and d["new"].dup_group == "s-floods"
    assert d["budget"].duplicate_of is None


def test_a_copy_of_a_stored_duplicate_joins_that_duplicate_s_group():
    edited = FLOODS.replace("on Thursday", "on Friday")
    stored = [stored_part([article("s-dup", edited)], groups=["s-canonical"])]
    d = decide([article("new", edited.replace("Red Cross", "Kenya Red Cross"))], stored)
    assert d["new"].duplicate_of == "s-canonical"


def test_a_new_article_bridging_two_stored_groups_joins_the_earlier_canonical():
    a = FLOODS.replace("on Thursday", "on Friday")
    b = FLOODS.replace("at least 14", "at least 19")
    stored = [
        stored_part([article("s-late", a, published=day(5))]),
        stored_part([article("s-early", b, published=day(2))]),
    ]
    d = decide([article("new", FLOODS, published=day(1))], stored)
    assert d["new"].duplicate_of == "s-early"


def test_large_buckets_are_linked_without_quadratic_pairs():
    # 60 copies differing by one number: one group, though only neighbours are paired per bucket
    texts = [FLOODS.replace("20,000", f"{20_000 + i:,}") for i in range(60)]
    d = decide([article(f"c{i:02d}", t, published=day(1 + i // 30)) for i, t in enumerate(texts)])
    assert len({x.dup_group for x in d.values()}) == 1


def test_an_empty_run_decides_nothing():
    assert decide([]) == {}
    sets, sigs = sign_texts([], PARAMS)
    assert sigs.shape == (0, PARAMS.num_perm) and np.array_equal(sets.offsets, [0])


def test_a_copy_of_a_widely_copied_stored_story_is_checked_once_per_group():
    copies = [article(f"s{i}", FLOODS.replace("20,000", f"{20_000 + i:,}")) for i in range(6)]
    stored = [stored_part(copies, groups=["s0"] * 6)]
    sets, sigs = sign_texts([FLOODS.replace("on Thursday", "on Friday")], PARAMS)
    uf, stats = link_near_duplicates((sets, sigs), stored, PARAMS)
    assert stats.candidates == 6 and stats.checked == 1 and stats.merged == 1
    assert uf.find(0) == uf.find(("group", "s0"))
