"""Claims: every attributed statement in an article, direct or reported, with its speaker.

`extract_claims(doc, ctx, mentions)` reads the one parsed `Doc` of an article and the article's
actor mentions and returns `Claim`s:

- direct quotes (`claims.quotes` finds the spans on characters), cued by the verb next to them
  ("‘...,’ said spokesman Colonel Steve Warren", "Stansfield said: ‘...’", "‘A,’ he said, ‘B’"),
  or continuing the previous claim's speaker when no cue stands next to them; their content is
  the quoted words only, one part per piece the tag or a paragraph break leaves;
- reported speech from a reporting verb's complement ("Kerry said he remained confident ...",
  "IS militants were said to be marching ..."), "according to X", and reporting nouns with a
  that-clause or, when the text says whose they are, a preposition ("his call for a ban"); a
  complement holding a quoted fragment is `mixed`; questions, conditions, purposes and quoted
  titles are not statements;
- speakers as written, resolved to an actor through the mentions: a name or title under the
  speaker phrase, a pronoun to the nearest compatible earlier mention (by gender, number and
  type), a continuing quote to its first part's speaker. Unnamed sources ("sources said",
  "experts fear") and pronouns with no antecedent get no actor and are `anonymous`.

The rules follow the attribution relations of PARC/PolNeAR (source, cue, content) and the
direct-quotation patterns of textacy, on a spaCy dependency parse; no second parse is made.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable

from spacy.tokens import Doc

from newsevents.tasks.extractors.claims.article import (
    DIRECT,
    MIXED,
    Article,
    Draft,
    n_words,
    quoted_words,
    title_like,
)
from newsevents.tasks.extractors.claims.direct import continue_participles, continue_quotes, direct_drafts
from newsevents.tasks.extractors.claims.reported import label_drafts, reported_drafts
from newsevents.tasks.extractors.claims.rules import ClaimRules, load_rules
from newsevents.tasks.extractors.claims.speakers import Resolver
from newsevents.tasks.records import ActorMention, ArticleContext, Claim


def _settle(art: Article, direct: list[Draft], reported: list[Draft]) -> list[Draft]:
    """Keep one claim per statement: a reported claim inside a direct quote or inside another
    claim's content is part of that claim; a claim needs some words of content (one quoted
    word will do: "described the attack as ‘despicable’")."""
    out = list(direct)
    # The words of claims (a cue among them is quoted) and their whole ranges (a content within
    # one is part of that claim, even in the tag between its quotes).
    spans = [s for d in direct for s in d.spans()]
    ranges = [d.content for d in direct]
    for d in sorted(reported, key=lambda d: d.content[1] - d.content[0], reverse=True):
        a, b = d.content
        q = art.quote_at(a) or art.quote_at(max(a - 1, 0))
        exact = q is not None and q.start >= a - 1 and q.end <= b + 1
        if n_words(art.text[a:b]) < (1 if exact or _names(art, a, b) else 2):
            continue
        cue_at = d.cue[0] if d.cue else a
        if any(s <= cue_at < e for s, e in spans) or any(s <= a and b <= e for s, e in ranges):
            continue
        # A complement holding quoted words is a mixed claim; one that is exactly a quote is direct.
        if exact and title_like(art.text[q.start : q.end]):
            continue  # "hosted “The Apprentice”": a name, not something said
        if exact and n_words(art.text[a:b]) == n_words(art.text[q.start : q.end]):
            d.content = (q.start, q.end)
            d.parts = quoted_words(art.text, q.start, q.end)
            d.kind = DIRECT
        elif _has_quote(art, a, b):
            d.kind = MIXED
        out.append(d)
        spans.extend(d.spans())
        ranges.append(d.content)
    out.sort(key=lambda d: d.content)
    return out


def _names(art: Article, a: int, b: int) -> bool:
    """A one-word content that is a name: what "Trump attacked Machado" is about is Machado."""
    return art.doc[art.token_at(a)].pos_ == "PROPN"


def _has_quote(art: Article, a: int, b: int) -> bool:
    """Content quoting two words or more ("it had ‘purged the entire city’", or a quote the
    content only begins or ends in); a one-word scare quote ("cats are “cuties”") or a quoted
    title ("his book “The Art of the Deal”") does not make a claim mixed."""
    k = max(bisect.bisect_right(art.quote_starts, a) - 1, 0)
    while k < len(art.quotes) and art.quotes[k].start < b:
        q = art.quotes[k]
        k += 1
        lo, hi = max(q.start, a), min(q.end, b)
        if hi > lo and n_words(art.text[lo:hi]) >= 2 and not title_like(art.text[q.start : q.end]):
            return True
    return False


# ----------------------------------------------------------------------------------- entry


def claim_id(article_id: str, start: int, end: int, cue_start: int | None) -> str:
    """Stable over runs: the same statement of the same article keeps its id."""
    key = f"{article_id}\x1f{start}\x1f{end}\x1f{cue_start}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def extract_claims(
    doc: Doc,
    ctx: ArticleContext,
    mentions: Iterable[ActorMention] = (),
    rules: ClaimRules | None = None,
) -> list[Claim]:
    """Every attributed statement of one article, in text order.

    Args:
        doc: the article's parsed text (`articles.text`); offsets index `doc.text`.
        ctx: the article's `ArticleContext` (its `article_id` goes on every claim).
        mentions: the article's actor mentions, which speakers resolve through.
        rules: the lexicon; config/claims.toml when not given.
    """
    rules = rules or load_rules()
    art = Article(doc)
    resolver = Resolver(art, list(mentions), rules)
    labelled = label_drafts(art, resolver)
    direct, orphans = direct_drafts(art, rules)
    inside_label = [(x.content[0], x.content[1]) for x in labelled]
    direct = [d for d in direct if not any(s <= d.content[0] < e for s, e in inside_label)]
    orphans = [q for q in orphans if not any(s <= q.start < e for s, e in inside_label)]
    used = {d.cue_token for d in direct if d.cue_token is not None}
    drafts = _settle(art, labelled + direct, reported_drafts(art, rules, used))
    continue_quotes(art, drafts, orphans, rules)
    continue_participles(art, drafts)
    text = art.text
    claims: list[Claim] = []
    for d in drafts:
        kind, actor = resolver.resolve(d)
        parts = d.spans()
        a, b = parts[0][0], parts[-1][1]
        cs, ce = d.cue if d.cue else (None, None)
        claims.append(
            Claim(
                claim_id=claim_id(ctx.article_id, a, b, cs),
                article_id=ctx.article_id,
                content=" ".join(text[s:e] for s, e in parts),
                content_start=a,
                content_end=b,
                content_parts=list(parts),
                kind=d.kind,
                speaker=text[d.speaker[0] : d.speaker[1]] if d.speaker else None,
                speaker_actor_id=actor,
                cue=text[cs:ce] if cs is not None else None,
                cue_start=cs,
                cue_end=ce,
                attribution=kind,
            )
        )
    return claims
