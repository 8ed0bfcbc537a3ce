"""Publication dates as written by news sites -> aware UTC datetimes.

Naive times in a stated zone are converted ("05:00 GMT", "07:49 EDT"); a date without a time is
midnight UTC; a naive ISO timestamp with no zone is read as UTC.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

_H = 3600
# Zone abbreviations news sites print after a time. Ambiguous ones take their news-desk reading:
# IST is India (Times of India), "ET"/"PT" follow daylight saving through the IANA zone.
ZONES: dict[str, int | str] = {
    "GMT": 0,
    "UTC": 0,
    "UT": 0,
    "Z": 0,
    "WET": 0,
    "BST": _H,
    "WEST": _H,
    "CET": _H,
    "CEST": 2 * _H,
    "EET": 2 * _H,
    "EEST": 3 * _H,
    "MSK": 3 * _H,
    "IST": 5 * _H + 1800,
    "HKT": 8 * _H,
    "SGT": 8 * _H,
    "JST": 9 * _H,
    "KST": 9 * _H,
    "AEST": 10 * _H,
    "AEDT": 11 * _H,
    "EST": -5 * _H,
    "EDT": -4 * _H,
    "ET": "America/New_York",
    "CST": -6 * _H,
    "CDT": -5 * _H,
    "CT": "America/Chicago",
    "MST": -7 * _H,
    "MDT": -6 * _H,
    "MT": "America/Denver",
    "PST": -8 * _H,
    "PDT": -7 * _H,
    "PT": "America/Los_Angeles",
}


def _tzinfo(name: str, offset: int | None):
    spec = ZONES.get(name.upper()) if name else None
    if isinstance(spec, str):
        return ZoneInfo(spec)
    if spec is not None:
        return timezone(timedelta(seconds=spec))
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return None


# "05.00 BST" (the Guardian's clock) -> "05:00 BST"; "20.05.2015" is left alone.
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")


def parse_published(value: str | int | float | None) -> datetime | None:
    """A date or datetime as written -> aware UTC datetime, or None when no date is in it."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or _EPOCH.match(str(value).strip()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            stamp = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return stamp if plausible(stamp) else None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_loose(text)
        if parsed is None:
            return None
    try:
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError:  # "0001-01-01T00:00:00+05:00": a placeholder before year 1 in UTC
        return None
    return parsed if plausible(parsed) else None


def plausible(when: datetime) -> bool:
    """A CMS's placeholder ("0001-01-01T00:00:00Z", .NET's minimum date) is no publication date."""
    return 1800 <= when.year <= datetime.now(UTC).year + 1


_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")


def _parse_loose(text: str) -> datetime | None:
    """dateutil's fuzzy parse, only when the text names a year (a bare "1:23 p.m." is no date)."""
    if not _HAS_YEAR.search(text):
        return None
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dateparser.parse(text, fuzzy=True, tzinfos=_tzinfo, default=datetime(1900, 1, 1))
    except Exception:  # dateutil raises ValueError, OverflowError, decimal.InvalidOperation ("10:1111...05")
        return None
