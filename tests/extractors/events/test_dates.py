"""Date expressions resolved against a publication date (tasks/event_dates.py)."""

from __future__ import annotations

from datetime import date

import pytest

from newsevents.tasks.extractors.events.dates import resolve_date

PUB = date(2015, 5, 20)  # a Wednesday


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("Monday", date(2015, 5, 18), "day"),  # the Monday before publication
        ("on Monday", date(2015, 5, 18), "day"),
        ("Wednesday", date(2015, 5, 20), "day"),  # publication day itself
        ("last Wednesday", date(2015, 5, 13), "day"),
        ("Tuesday night", date(2015, 5, 19), "day"),
        ("Friday evening", date(2015, 5, 15), "day"),
        ("yesterday", date(2015, 5, 19), "day"),
        ("last night", date(2015, 5, 19), "day"),
        ("overnight", date(2015, 5, 19), "day"),
        ("today", date(2015, 5, 20), "day"),
        ("two days ago", date(2015, 5, 18), "day"),
        ("May 18", date(2015, 5, 18), "day"),
        ("13 December", date(2014, 12, 13), "day"),  # a past date does not lie seven months ahead
        ("Dec 14", date(2014, 12, 14), "day"),
        ("December 13, 2013", date(2013, 12, 13), "day"),
        ("May 20th, 2015", date(2015, 5, 20), "day"),
        ("2015-05-18", date(2015, 5, 18), "day"),
        ("last week", date(2015, 5, 11), "week"),
        ("this week", date(2015, 5, 18), "week"),
        ("last month", date(2015, 4, 1), "month"),
        ("last June", date(2014, 6, 1), "month"),
        ("June 2014", date(2014, 6, 1), "month"),
        ("15 months ago", date(2014, 2, 1), "month"),
        ("late last year", date(2014, 1, 1), "year"),
        ("this year", date(2015, 1, 1), "year"),
        ("in 1994", date(1994, 1, 1), "year"),
        ("three years ago", date(2012, 1, 1), "year"),
    ],
)
def test_resolve_past(text, expected, precision):
    r = resolve_date(text, PUB)
    assert (r.value, r.precision) == (expected, precision)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Friday", date(2015, 5, 22)),  # "will meet on Friday"
        ("next Friday", date(2015, 5, 22)),
        ("13 December", date(2015, 12, 13)),
        ("tomorrow", date(2015, 5, 21)),
    ],
)
def test_resolve_future(text, expected):
    assert resolve_date(text, PUB, future=True).value == expected


@pytest.mark.parametrize("text", ["48 hours", "the previous day", "21-year-old", "the 1990s", "decades"])
def test_not_a_date(text):
    assert resolve_date(text, PUB) is None


def test_absolute_dates_need_no_publication():
    assert resolve_date("13 December 2013", None).value == date(2013, 12, 13)
    assert resolve_date("Monday", None) is None


def test_expressions_past_the_calendar_end_are_no_dates():
    # A page declaring year 1 (a CMS placeholder that slipped through) must not crash the run.
    assert resolve_date("last Monday", date(1, 1, 1)) is None
    assert resolve_date("next Friday", date(9999, 12, 31), future=True) is None
