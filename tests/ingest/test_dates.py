"""Publication dates as news sites write them -> aware UTC datetimes (tasks/dates.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsevents.tasks.ingest.dates import parse_published


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015-05-20T05:00:00Z", datetime(2015, 5, 20, 5, 0, tzinfo=UTC)),
        ("2015-05-20", datetime(2015, 5, 20, tzinfo=UTC)),
        ("2015-05-20 05:00:00", datetime(2015, 5, 20, 5, 0, tzinfo=UTC)),  # naive ISO: UTC
        ("2025-03-19T21:30:00-03:00", datetime(2025, 3, 20, 0, 30, tzinfo=UTC)),
        # The seed article's publication line.
        ("May 20th, 2015 - 05:00 GMT", datetime(2015, 5, 20, 5, 0, tzinfo=UTC)),
        ("05:00 EDT, 20 May 2015", datetime(2015, 5, 20, 9, 0, tzinfo=UTC)),
        ("Wednesday 20 May 2015 05.00 BST", datetime(2015, 5, 20, 4, 0, tzinfo=UTC)),
        ("March 4th, 2025 - 14:00 ET", datetime(2025, 3, 4, 19, 0, tzinfo=UTC)),  # EST in March
        ("July 4th, 2025 - 14:00 ET", datetime(2025, 7, 4, 18, 0, tzinfo=UTC)),  # EDT in July
        ("12 March 2020", datetime(2020, 3, 12, tzinfo=UTC)),
        ("Tue., Nov. 19, 2019", datetime(2019, 11, 19, tzinfo=UTC)),
        ("1431838800", datetime(2015, 5, 17, 5, 0, tzinfo=UTC)),  # epoch seconds
        (1431838800000, datetime(2015, 5, 17, 5, 0, tzinfo=UTC)),  # epoch milliseconds
        ("Updated at 1:23 p.m.", None),  # no year: no date, not today's
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "0001-01-01", "9999-12-31T23:59:59", "1700-05-01"])
def test_placeholder_dates_are_no_dates(value):
    assert parse_published(value) is None
