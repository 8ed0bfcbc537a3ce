"""Metadata lines of a plain-text article: publication line, byline, copyright and trailers.

Exports of news sites put these around the body (the seed article has `Published May 20th,
2015 - 05:00 GMT` under the title, and `By David Williams`, `© Associated Newspapers Ltd.` and
`You may also like` under the last paragraph). They are lifted out of the body into metadata,
because every offset downstream indexes the body and a byline is not a sentence of the story.

Every test here works on one whole line, so the cost is a few anchored regexes per line near
the top and the bottom of an article, never per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsevents.tasks.ingest.dates import ZONES

# How far from either end metadata lines are looked for (non-empty lines).
HEAD_LINES = 4
TAIL_LINES = 8

# ---------------------------------------------------------------- trailers and junk lines

# A line that introduces a block of links: everything from it to the end is not the article.
# ("You may also like" closes the seed article.)
_TRAILER_HEADERS = re.compile(
    r"(?:you (?:may|might) also (?:like|be interested in)|related (?:articles?|stories|content|coverage|"
    r"news|links|reading)|recommended(?: for you| stories| articles| reading)?|more (?:from|on) .{1,40}|"
    r"more stories|most (?:read|popular|viewed|shared)|read more|see also|also read|"
    r"trending(?: now| stories)?|top stories|latest news|what to read next|don'?t miss|"
    r"comments?|leave a (?:comment|reply)|join the conversation)",
    re.IGNORECASE,
)

# A line that is furniture of the page wherever it stands; dropped, the rest kept.
_JUNK_LINES = re.compile(
    r"(?:advertisement|advert|sponsored(?: content)?|share this(?: article| story| page)?|share|tweet|"
    r"email|print|read the (?:rest|full story|full article) here|continue reading(?: below| the main story)?|"
    r"story continues below(?: advertisement)?|article continues below(?: advertisement)?|"
    r"scroll down for (?:video|more)|click here to .{1,60}|read more(?::| at| here) .{0,120}|"
    r"(?:see|watch) (?:more|video|the video)|skip (?:advertisement|ad)|"
    r"follow us on .{1,40}|sign up (?:for|to) .{1,60}|subscribe(?: now| here| to .{1,60})?)",
    re.IGNORECASE,
)

_TRIM = " \t-–—_*=•·|:.…>»"


def _bare(line: str) -> str:
    """The line without decoration: `You may also like----` and `» Read more:` compare bare."""
    return line.strip().strip(_TRIM).strip()


def is_trailer_header(line: str) -> bool:
    bare = _bare(line)
    return bool(bare) and len(bare) <= 60 and _TRAILER_HEADERS.fullmatch(bare) is not None


_PROSE_END = re.compile(r"[.!;]['’\"”)]?$")


def is_link_like(line: str) -> bool:
    """A headline or link text under a trailer header: short and not a finished sentence."""
    bare = line.strip()
    return len(bare.split()) <= 20 and not _PROSE_END.search(bare)


def is_junk_line(line: str) -> bool:
    bare = _bare(line)
    return bool(bare) and len(bare) <= 160 and _JUNK_LINES.fullmatch(bare) is not None


# ---------------------------------------------------------------- bylines

# News agencies and desks that follow a byline's names ("By X, Reuters"); they are not authors.
AGENCIES = frozenset(
    s.casefold()
    for s in (
        "Reuters",
        "Thomson Reuters",
        "AP",
        "The AP",
        "Associated Press",
        "The Associated Press",
        "AFP",
        "Agence France-Presse",
        "Agence France Presse",
        "Bloomberg",
        "Bloomberg News",
        "PA",
        "PA Media",
        "Press Association",
        "dpa",
        "Xinhua",
        "UPI",
        "Anadolu",
        "Anadolu Agency",
        "EFE",
        "ANSA",
        "Kyodo",
        "Kyodo News",
        "TASS",
        "Interfax",
        "IANS",
        "PTI",
        "ANI",
        "CNN",
        "BBC",
        "BBC News",
        "AAP",
        "Staff",
        "Staff Writer",
        "Staff Writers",
        "Staff Reporter",
        "Our Correspondent",
        "Agencies",
        "Wires",
        "Wire Services",
        "News Agencies",
        "Associated Press Writer",
        "AP Writer",
    )
)


def _wordset(*chunks: str) -> frozenset[str]:
    return frozenset(" ".join(chunks).split())


_PARTICLES = _wordset(
    "de da das do dos del della der den di du la le van von ter ten al el bin ibn bint abu y e zu"
)
# Job titles after the names ("By Jane Roe, Middle East correspondent") end the name list.
_ROLES = _wordset(
    "correspondent editor writer reporter columnist contributor analyst chief producer staff desk",
    "journalist photographer author",
)
_BY = re.compile(r"^(?:written\s+)?by\s*:?\s+(?P<rest>.+)$", re.IGNORECASE)
_REPORTING = re.compile(r"^(?:additional\s+)?(?:reporting|writing|text)\s+by\s+(?P<rest>.+)$", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_]\.){1,3}$|^[^\W\d_][\w'’.-]*$")
# Lowercase prefixes of capitalised surnames: al-Abadi, d'Estaing, bin-Salman.
_NAME_PREFIX = re.compile(r"^(?:al|el|ad|as|ash|ar|an|bin|ben|d|l|o)[-'’]", re.IGNORECASE)
_PLACE_SUFFIX = re.compile(r"\s+(?:for|in|at|from)\s+[A-Z].*$")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def _is_name(part: str) -> bool:
    """2-5 tokens, each capitalised, an initial or a name particle ("Haider al-Abadi", "J. R. Doe").

    One word is no name: "By Sunday" is a deadline, "By Reuters" an agency.
    """
    tokens = part.split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalised = 0
    for tok in tokens:
        if tok.casefold() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(tok):
            return False
        first = _NAME_PREFIX.sub("", tok)[:1]
        if first.islower():  # uncased scripts (Arabic, CJK) have neither case and pass
            return False
        capitalised += 1
    return capitalised >= 1


def _unshout(name: str) -> str:
    """`DAVID WILLIAMS` -> `David Williams`; initials and mixed case stay as written."""
    return name.title() if name.isupper() and len(name.replace(".", "").replace(" ", "")) > 3 else name


def split_names(text: str) -> list[str] | None:
    """`X, Y and Z, Reuters` -> [X, Y, Z]; None when a part is neither a name, an agency nor a role.

    An agency alone ("By Reuters") gives an empty list: a byline, but no person.
    "By David Williams for MailOnline" and "By Jane Roe in Kabul" keep the name before the place.
    """
    names: list[str] = []
    agencies = 0
    for part in _NAME_SPLIT.split(text.strip().rstrip(".")):
        part = part.strip()
        if not part:
            continue
        if part.casefold() in AGENCIES:
            agencies += 1
            continue
        trimmed = _PLACE_SUFFIX.sub("", part)
        if trimmed != part and _is_name(trimmed):
            part = trimmed
        if _is_name(part) and part.split()[-1].casefold() not in _ROLES:
            names.append(_unshout(part))
        elif names and part.split()[-1].casefold().rstrip("s") in _ROLES:
            break
        else:
            return None
    return names if names or agencies else None


def parse_byline(line: str) -> list[str] | None:
    """`By David Williams` -> ["David Williams"]; None when the line is not a byline.

    Sentences that open with "By" ("By Monday morning, the grim ritual had begun.") fail the
    name test on their lowercase words or their length.
    """
    line = line.strip()
    if len(line) > 120:
        return None
    m = _BY.match(line) or _REPORTING.match(line)
    if not m:
        return None
    # "Reporting by X; Editing by Y": editors are not authors.
    rest = re.split(r";\s*(?:editing|edited|compiled|writing)\s+by\b", m.group("rest"), flags=re.I)[0]
    names: list[str] = []
    for chunk in re.split(r";\s*(?:additional\s+)?reporting\s+by\s+", rest, flags=re.I):
        got = split_names(chunk)
        if got is None:
            return None
        names.extend(n for n in got if n not in names)
    return names


# ---------------------------------------------------------------- publication lines

_MONTH_WORDS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december"
)
_DAY_WORDS = (
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday"
)
_DATE_WORDS = _wordset(
    _MONTH_WORDS, _DAY_WORDS, " ".join(ZONES).lower(), "st nd rd th of at on am pm a.m p.m h hrs"
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_HAS_DATE = re.compile(
    rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|"
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:\s|,|$)",
    re.IGNORECASE,
)
_DATE_KEYWORD = re.compile(
    r"^(?:(?:first\s+|originally\s+)?published|posted|updated|last\s+updated|last\s+modified|"
    r"dated?|released|filed|created)(?:\s+(?:on|at))?\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_DATE_TOKENS = re.compile(r"[^\W\d_]+\.?|\d+|\S")
_DATE_PUNCT = frozenset(",-–—/.:+()")


def _is_date_only(text: str) -> bool:
    """Every token a number, a month, weekday or zone name, or date punctuation."""
    for tok in _DATE_TOKENS.findall(text):
        low = tok.casefold().rstrip(".") if len(tok) > 1 else tok.casefold()
        if not (tok.isdigit() or low in _DATE_WORDS or tok in _DATE_PUNCT):
            return False
    return True


def parse_dateline(line: str) -> str | None:
    """The date part of a publication line, or None; `|`-joined lines give their first date.

    "PUBLISHED: 05:00 EDT, 20 May 2015 | UPDATED: 07:49 EDT, 20 May 2015" -> "05:00 EDT, 20 May 2015".
    """
    line = line.strip()
    if len(line) > 120 or not _HAS_DATE.search(line):
        return None
    found = None
    for piece in re.split(r"\s+\|\s+|\s+[-–—]\s+(?=(?:updated|last)\b)", line, flags=re.I):
        m = _DATE_KEYWORD.match(piece.strip())
        rest = (m.group("rest") if m else piece).strip(" ,")
        if not _HAS_DATE.search(rest) or not _is_date_only(rest):
            return None  # a piece that is not a date: prose that mentions one
        if not m and not _YEAR.search(rest):
            return None  # "Saturday 20 November" over a BBC fixture list is a schedule, not a dateline
        found = found or rest
    return found


# ---------------------------------------------------------------- copyright lines

_COPYRIGHT_HEAD = re.compile(
    r"^(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)?\d{2,4})?)?[\s,.]*",
    re.IGNORECASE,
)
_RESERVED = re.compile(r"[\s,;]*all rights reserved[\s.]*$", re.IGNORECASE)
_ABBREVIATED = re.compile(r"\b(?:ltd|inc|co|corp|plc|llc|bros|pty|s\.a|n\.v|[a-z])\.$", re.IGNORECASE)


def parse_copyright(line: str) -> str | None:
    """`© Associated Newspapers Ltd.` -> "Associated Newspapers Ltd."; "" for a bare notice.

    None when the line is not a notice: "Copyright law says..." is prose, so a line opening with
    the word needs a ©, a year or "All rights reserved" as well.
    """
    line = line.strip()
    if len(line) > 160 or not re.match(r"(?:©|\(c\)|copyright\b)", line, re.IGNORECASE):
        return None
    bare_word = line[:1].lower() == "c" and not re.match(
        r"copyright\s*(?:©|\(c\)|(?:19|20)\d{2})", line, re.I
    )
    if bare_word and not _RESERVED.search(line):
        return None
    holder = _RESERVED.sub("", _COPYRIGHT_HEAD.sub("", line, count=1)).strip(" ,;")
    if holder.endswith(".") and not _ABBREVIATED.search(holder):
        holder = holder[:-1].rstrip()  # "Reuters." -> "Reuters", "Associated Newspapers Ltd." kept
    if len(holder.split()) > 10:
        return None
    return holder


# ---------------------------------------------------------------- lifting


@dataclass(slots=True)
class Lifted:
    """A body with its metadata lines taken out, and what they said."""

    body: str
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    removed: list[str] = field(default_factory=list)


def _lift_line(line: str, out: Lifted) -> bool:
    """Record a metadata line's content into `out`; False when the line is prose."""
    if is_junk_line(line) or line.strip().strip(".").casefold() in AGENCIES:
        return True  # an agency credit alone ("Reuters", "AFP") is no prose
    names = parse_byline(line)
    if names is not None:
        out.authors.extend(n for n in names if n not in out.authors)
        return True
    date = parse_dateline(line)
    if date is not None:
        out.published = out.published or date
        return True
    holder = parse_copyright(line)
    if holder is not None:
        out.publisher = out.publisher or holder or None
        return True
    if " | " in line:
        # "By Jane Roe | Published 20 May 2015": every piece must be metadata.
        trial = Lifted(body="")
        if all(_lift_line(piece, trial) for piece in line.split(" | ") if piece.strip()):
            out.authors.extend(a for a in trial.authors if a not in out.authors)
            out.published = out.published or trial.published
            out.publisher = out.publisher or trial.publisher
            return True
    return False


def lift_metadata(body: str) -> Lifted:
    """Take the publication line, bylines, copyright and trailers out of a plain-text body.

    Looked for among the first `HEAD_LINES` and the last `TAIL_LINES` non-empty lines, peeling
    from each end while lines are metadata, so prose in between is never touched. A trailer
    header ("You may also like", "Related articles") in the second half goes with the link lines
    under it. Junk lines ("Advertisement", "Share this article") are dropped wherever they stand.
    """
    lines = body.split("\n")
    out = Lifted(body="")
    keep = [True] * len(lines)
    idx = [i for i, line in enumerate(lines) if line.strip()]
    if not idx:
        out.body = body
        return out

    # Trailers: a header in the second half goes with the block of link lines under it (to the
    # end when only links follow; express.co.uk puts "DON'T MISS" and three links mid-story).
    pos = max(len(idx) // 2, 1)
    while pos < len(idx):
        if not is_trailer_header(lines[idx[pos]]):
            pos += 1
            continue
        end = pos + 1
        while end < len(idx) and is_link_like(lines[idx[end]]):
            end += 1
        for i in idx[pos:end]:
            keep[i] = False
            out.removed.append(lines[i])
        idx = idx[:pos] + idx[end:]

    # Peel metadata lines from the top, then from the bottom (a date under the title is the
    # publication date; one at the end may be a correction's); a body is never emptied.
    head_done = 0
    while len(idx) > 1 and head_done < HEAD_LINES and _lift_line(lines[idx[0]], out):
        keep[idx[0]] = False
        out.removed.append(lines[idx[0]])
        idx.pop(0)
        head_done += 1
    tail_done = 0
    while len(idx) > 1 and tail_done < TAIL_LINES and _lift_line(lines[idx[-1]], out):
        keep[idx[-1]] = False
        out.removed.append(lines[idx[-1]])
        idx.pop()
        tail_done += 1

    # Junk lines anywhere in between.
    for i in idx:
        if is_junk_line(lines[i]) and len(idx) > 1:
            keep[i] = False
            out.removed.append(lines[i])
    out.body = "\n".join(line for line, k in zip(lines, keep, strict=True) if k)
    return out
