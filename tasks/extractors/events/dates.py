"""Resolve a date expression ("on Monday", "last night", "late last year", "13 December") to a
calendar date and a precision, relative to the article's publication date.

Only the text of a DATE/TIME entity is parsed (a handful of regular expressions per event,
never per token). Relative expressions look back from publication ("on Monday" in a Wednesday
story is the Monday before) unless the event is future ("will meet on Friday" looks ahead).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
PUBLICATION = "publication"

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "several": 3, "few": 3, "a few": 3, "couple": 2, "a couple of": 2,
}  # fmt: skip

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAYNUM = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:1[89]|20)\d{2})"
_WEEKDAY = r"(mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|sun)(?:day)?"
_NUM = (
    r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|several|few|a few|a couple of|couple)"
)

_ISO = re.compile(r"\b" + _YEAR + r"-(\d{1,2})-(\d{1,2})\b")
_DAY_MONTH = re.compile(r"\b" + _DAYNUM + r"(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _DAYNUM + r"\b(?:,?\s+" + _YEAR + r")?")
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r"(?:\s+of)?,?\s+" + _YEAR + r"\b")
_LAST_MONTH_NAME = re.compile(r"\b(last|this|next|past)\s+" + _MONTH + r"\b")
_MONTH_ONLY = re.compile(r"\b" + _MONTH + r"\b")
_YEAR_ONLY = re.compile(r"\b" + _YEAR + r"\b")
_WEEKDAY_RE = re.compile(r"\b(last|this|next|past)?\s*" + _WEEKDAY + r"\b")
_AGO = re.compile(
    r"\b(?:about |some |nearly |almost |over |more than )?" + _NUM + r"\s+(day|week|month|year)s?\s+ago\b"
)
_REL_UNIT = re.compile(r"\b(last|this|next|past|previous|coming)\s+(week|month|year|weekend)\b")


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    value: date
    precision: str


def _weekday(pub: date, wd: int, qualifier: str | None, future: bool) -> date:
    if qualifier == "next" or (future and qualifier != "last"):
        delta = (wd - pub.weekday()) % 7
        if qualifier == "next" and delta == 0:
            delta = 7
        return pub + timedelta(days=delta)
    delta = (pub.weekday() - wd) % 7
    if qualifier == "last" and delta == 0:
        delta = 7
    return pub - timedelta(days=delta)


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _day_in_year(pub: date, month: int, day: int, year: int | None, future: bool) -> date | None:
    """A day and month without a year: the occurrence nearest publication, on the side the
    event's tense points to (a past event a week 'ahead' of publication is last year's)."""
    try:
        if year is not None:
            return date(year, month, day)
        this = date(pub.year, month, day)
    except ValueError:
        return None
    if future:
        return this if this >= pub - timedelta(days=7) else this.replace(year=pub.year + 1)
    if this > pub + timedelta(days=7):
        try:
            return this.replace(year=pub.year - 1)
        except ValueError:
            return None
    return this


def _month_in_year(pub: date, month: int, qualifier: str | None, future: bool) -> date:
    if qualifier == "next" or (future and qualifier not in ("last", "past")):
        year = pub.year if month >= pub.month else pub.year + 1
        if qualifier == "next" and month <= pub.month:
            year = pub.year + 1
        return date(year, month, 1)
    if qualifier in ("last", "past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif qualifier == "this":
        year = pub.year
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    return date(year, month, 1)


def _month_number(name: str) -> int | None:
    name = name.rstrip(".")
    return MONTHS.get(name) or MONTHS.get(name[:3])


def _number(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return NUMBERS.get(text)


def resolve_date(text: str, published: date | None, *, future: bool = False) -> ResolvedDate | None:
    """A date expression read against the publication date; None when it names no usable date
    (arithmetic past the calendar's ends, "31 February", year 0, is no date either)."""
    try:
        return _resolve_date(text, published, future)
    except (OverflowError, ValueError):
        return None


def _resolve_date(text: str, published: date | None, future: bool) -> ResolvedDate | None:
    """The date `text` names, or None when it names none (a duration, an age, a range).

    Args:
        text: a DATE or TIME entity as written ("last June", "Tuesday night", "13 December").
        published: the article's publication date; relative expressions need it.
        future: the event is future or planned, so bare weekdays and months look ahead.
    """
    t = " ".join(text.lower().replace("’", "'").split())
    t = re.sub(r"^(on|in|at|by|during|since|from|until|till|of|the|early|late|mid|earlier|later)\s+", "", t)

    m = _ISO.search(t)
    if m:
        try:
            return ResolvedDate(date(int(m[1]), int(m[2]), int(m[3])), DAY)
        except ValueError:
            return None
    for rx, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        m = rx.search(t)
        if m:
            day_s, mon_s = (m[1], m[2]) if order == "dm" else (m[2], m[1])
            month = _month_number(mon_s)
            year = int(m[3]) if m[3] else None
            if month and (year is not None or published is not None):
                d = _day_in_year(published or date(year, 1, 1), month, int(day_s), year, future)
                if d is not None:
                    return ResolvedDate(d, DAY)
    m = _MONTH_YEAR.search(t)
    if m:
        month = _month_number(m[1])
        if month:
            return ResolvedDate(date(int(m[2]), month, 1), MONTH)

    if published is None:
        m = _YEAR_ONLY.search(t)
        return ResolvedDate(date(int(m[1]), 1, 1), YEAR) if m else None
    pub = published

    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", t):
        return ResolvedDate(pub, DAY)
    if re.search(r"\bday before yesterday\b", t):
        return ResolvedDate(pub - timedelta(days=2), DAY)
    if re.search(r"\b(yesterday|last night|overnight|last evening)\b", t):
        return ResolvedDate(pub - timedelta(days=1), DAY)
    if re.search(r"\btomorrow\b", t):
        return ResolvedDate(pub + timedelta(days=1), DAY)

    m = _AGO.search(t)
    if m:
        n = _number(m[1])
        unit = m[2]
        if n is not None:
            if unit == "day":
                return ResolvedDate(pub - timedelta(days=n), DAY)
            if unit == "week":
                return ResolvedDate(pub - timedelta(weeks=n), WEEK)
            if unit == "month":
                return ResolvedDate(_add_months(pub, -n), MONTH)
            return ResolvedDate(date(pub.year - n, 1, 1), YEAR)

    m = _WEEKDAY_RE.search(t)
    if m and not re.search(r"\bweekdays?\b", t):
        wd = WEEKDAYS.get(m[2], WEEKDAYS.get(m[2][:3]))
        if wd is not None:
            q = m[1]
            q = "last" if q in ("last", "past") else q
            return ResolvedDate(_weekday(pub, wd, q, future), DAY)

    m = _REL_UNIT.search(t)
    if m:
        q, unit = m[1], m[2]
        step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[q]
        if unit in ("week", "weekend"):
            if unit == "weekend":
                sat = _weekday(pub, 5, "next" if step > 0 else ("last" if step < 0 else None), step > 0)
                return ResolvedDate(sat, WEEK)
            start = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
            return ResolvedDate(start, WEEK)
        if unit == "month":
            return ResolvedDate(_add_months(date(pub.year, pub.month, 1), step), MONTH)
        return ResolvedDate(date(pub.year + step, 1, 1), YEAR)
    if re.search(r"\bweekend\b", t):
        return ResolvedDate(_weekday(pub, 5, None, future), WEEK)
    if re.search(r"\b(earlier|later) this week\b|\bthis week\b", t):
        return ResolvedDate(pub - timedelta(days=pub.weekday()), WEEK)

    m = _LAST_MONTH_NAME.search(t)
    if m:
        month = _month_number(m[2])
        if month:
            return ResolvedDate(_month_in_year(pub, month, m[1], future), MONTH)
    m = _MONTH_ONLY.search(t)
    if m:
        month = _month_number(m[1])
        if month:
            y = _YEAR_ONLY.search(t)
            if y:
                return ResolvedDate(date(int(y[1]), month, 1), MONTH)
            return ResolvedDate(_month_in_year(pub, month, None, future), MONTH)
    m = _YEAR_ONLY.search(t)
    if m and not re.search(r"\d{4}s\b|-year|years? old", t):
        return ResolvedDate(date(int(m[1]), 1, 1), YEAR)
    return None
