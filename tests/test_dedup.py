from __future__ import annotations

from datetime import UTC, datetime

from tasks.dedup import DedupItem, exact_duplicates


def item(aid, h, path="x.txt", n=100, day=None):
    return DedupItem(aid, h, path, n, datetime(2024, 1, day, tzinfo=UTC) if day else None)


def test_singletons_are_canonical():
    d = exact_duplicates([item("a", "h1"), item("b", "h2")], set(), {})
    assert all(x.duplicate_of is None and x.dup_group is None and not x.drop for x in d.values())


def test_group_keeps_earliest_then_longest_then_smallest_path():
    items = [
        item("late", "h", "a.txt", 500, day=3),
        item("early", "h", "z.txt", 10, day=1),
        item("undated", "h", "0.txt", 9999),
    ]
    d = exact_duplicates(items, set(), {})
    assert d["early"].duplicate_of is None and d["early"].dup_group == "early"
    assert d["late"].duplicate_of == "early" and d["undated"].duplicate_of == "early"

    same_day = [item("short", "h", "a.txt", 10, 1), item("long", "h", "b.txt", 20, 1)]
    assert exact_duplicates(same_day, set(), {})["short"].duplicate_of == "long"
    same_len = [item("b", "h", "b.txt"), item("a", "h", "a.txt")]
    assert exact_duplicates(same_len, set(), {})["b"].duplicate_of == "a"


def test_already_stored_ids_are_dropped_and_stored_canonical_stays():
    d = exact_duplicates([item("old", "h0"), item("new", "h1")], {"old"}, {"h1": "stored"})
    assert d["old"].drop
    assert d["new"].duplicate_of == "stored" and not d["new"].drop


def test_same_id_twice_in_one_run_is_written_once():
    d = exact_duplicates([item("a", "h"), item("a", "h")], set(), {})
    assert list(d) == ["a"] and not d["a"].drop and d["a"].duplicate_of is None
