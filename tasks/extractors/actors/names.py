"""Named entities -> actor candidates: trimming, countries standing for governments, organisations."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsevents.tasks.extractors.actors.article import GROUP, ActorDoc, Candidate, canonical_name
from newsevents.tasks.extractors.actors.lexicon import (
    ActorLexicon,
    plural_of,
)

# ---------------------------------------------------------------- named entities


def _trim(span: Span, art: ActorDoc, strip_titles: bool) -> tuple[int, int]:
    """Token bounds without a leading 'the', honorifics or titles (PERSON) and trailing possessive."""
    doc, lex = art.doc, art.lex
    s, e = span.start, span.end
    while s < e - 1:
        tok = doc[s]
        if tok.lower_ in ("the", "a", "an") or (strip_titles and tok.text in lex.honorifics):
            s += 1
        elif strip_titles and s in art.role_starting and art.role_starting[s][0] < e:
            s = art.role_starting[s][0]
        elif strip_titles and tok.lower_ in lex.title_modifiers and s + 1 < e and doc[s + 1].is_title:
            s += 1
        else:
            break
    while e > s + 1 and (doc[e - 1].tag_ == "POS" or doc[e - 1].text in ("'s", "’s", "'", "’", ".", ",")):
        e -= 1
    return s, e


def _unglue(name: str, lex: ActorLexicon) -> str:
    """ "Rodney DavisRep" -> "Rodney Davis": a title the source glued to the name before it."""
    for title in lex.glued_titles:
        if name.endswith(title) and len(name) > len(title) + 2 and name[-len(title) - 1].islower():
            return name[: -len(title)].rstrip()
    return name


def _name_of(art: ActorDoc, s: int, e: int) -> str:
    return canonical_name(art.chars(s, e))


def _stands_for_government(tok: Token, lex: ActorLexicon) -> bool:
    """A capital speaking or making policy ("Washington said", "backed by Tehran", "Moscow's
    refusal", "putting Washington in an uncomfortable position"), as opposed to the city itself
    ("close to Baghdad", "London hosts the games")."""
    while tok.dep_ == "conj" and tok.head is not tok:  # "Moscow and Beijing have resisted"
        tok = tok.head
    dep, head = tok.dep_, tok.head
    if dep == "nsubj" and head.pos_ in ("VERB", "AUX"):
        return head.lower_ in lex.government_verbs
    if dep == "pobj" and head.dep_ == "agent":
        verb = head.head.lower_
        return verb in lex.government_verbs or verb in lex.actor_object_verbs
    if dep == "dobj":
        return head.lower_ in lex.actor_object_verbs
    if dep == "poss":
        return head.lower_ in lex.possessed_nouns
    return False


def resolve_entity(ent: Span, label: str, art: ActorDoc) -> Candidate | None:
    """Identity of one entity mention from the gazetteer, the country tables or its own name."""
    lex, doc = art.lex, art.doc
    s, e = _trim(ent, art, strip_titles=label == "PERSON")
    name = _name_of(art, s, e)
    if not name or not any(ch.isalpha() for ch in name) or len(name) < 2 or name in lex.not_actor_names:
        return None  # "GMT", "A", "2015": no actor
    name = _unglue(name, lex)
    if label == "LOC":
        label = "GPE"
    cand = Candidate(s, e, label, name)
    gaz_key = ent.ent_id_ or lex.alias_keys.get(art.chars(s, e)) or lex.alias_keys.get(name)
    if gaz_key in lex.entries:
        entry = lex.entries[gaz_key]
        cand.key, cand.name, cand.actor_type = entry.key, entry.name, entry.actor_type
        cand.country, cand.sector, cand.fixed = entry.country, entry.sector, True
        if entry.actor_type == "NORP":
            cand.qualifier, cand.qualifier_name = entry.name.casefold(), entry.adjective or entry.name
        return cand
    party = lex.party_adjectives.get(name.casefold())
    if party is not None and name not in lex.alias_keys:
        if _modifies_outside(doc[s:e], art):
            return None  # "Republican senator": an attribute of the senator (titles read it), no actor
        entry = lex.entries[party]
        cand.key, cand.name, cand.actor_type, cand.label = entry.key, entry.name, entry.actor_type, "ORG"
        cand.country, cand.sector, cand.fixed = entry.country, entry.sector, True
        return cand
    if label == "ORG" and lex.is_country_or_capital(name):
        label = cand.label = "GPE"  # "Washington said": the NER reads the acting capital as an organisation
    proper = name[:1].isupper()
    if label in ("GPE", "NORP") and proper:
        iso = lex.country_of_name(name)
        if iso:
            # A country name is its country's actor whether it acts or not; `metonym` is kept for
            # cities standing for a government, so places still geocodes "Russia said" (geoparsing
            # gold such as GeoWebNews annotates such country names as toponyms).
            return _as_country(cand, iso, art, metonym=False)
        iso = lex.country_of_demonym(name)
        if iso:  # "British" music, "Iraqi" partners: the country's side
            return _as_country(cand, iso, art, metonym=False)
        region = lex.region_demonyms.get(name.casefold())
        if region:  # "Scottish" is Scotland's, not the United Kingdom's
            cand.name, cand.label, cand.actor_type = lex.region_names[region], "GPE", "GPE"
            cand.country = lex.regions.get(region)
            return cand
        iso = lex.country_of_people(name)
        if iso:
            cand.key, cand.actor_type, cand.country, cand.fixed = f"NORP:{iso}", "NORP", iso, True
            demonym = lex.demonym_of.get(iso)
            cand.name = (plural_of(demonym) or f"{demonym} people") if demonym else name
            return cand
    if label == "GPE":
        folded = name.casefold()
        capital = lex.capitals.get(folded) if proper else None
        if capital and _stands_for_government(doc[s:e].root, lex):
            cand = _as_country(cand, capital, art, metonym=True)
            cand.anaphoric = True  # "Washington" stands for the United States but is not its name
            return cand
        cand.country = capital or lex.regions.get(folded) or lex.cities.get(folded)
        cand.actor_type = "GPE"
        return cand
    if label == "NORP":
        cand.actor_type = "NORP"
        cand.qualifier, cand.qualifier_name = singular(name).casefold(), name
        return cand
    if label == "ORG":
        return _resolve_org(cand, art)
    cand.actor_type = label
    return cand


def _modifies_outside(span: Span, art: ActorDoc) -> bool:
    """Whether a name only qualifies what follows it: a modifier of a noun outside the name
    ("Republican contests") or the word before a title or a name ("Democratic winner Bernie
    Sanders", "Republican Donald Trump")."""
    root = span.root
    if root.dep_ in ("amod", "compound", "nmod", "npadvmod") and not span.start <= root.head.i < span.end:
        return root.head.pos_ in ("NOUN", "PROPN")
    nxt = span.end
    return nxt < len(art.doc) and (art.role_at[nxt] >= 0 or art.ent_at[nxt] >= 0)


def _as_country(cand: Candidate, iso: str, art: ActorDoc, metonym: bool) -> Candidate:
    cand.key, cand.name, cand.actor_type = f"GPE:{iso}", art.lex.country_display.get(iso, iso), "GPE"
    cand.country, cand.metonym, cand.fixed, cand.label = iso, metonym, True, "GPE"
    return cand


def singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _country_prefix(tokens: list[Token], lex: ActorLexicon) -> tuple[str | None, int]:
    """The country the first words of a name give ("South Korean Army", "US State Department")."""
    for n in (3, 2, 1):
        if len(tokens) > n:
            iso = lex.country_of_modifier(" ".join(t.text for t in tokens[:n]))
            if iso:
                return iso, n
    return None, 0


def _resolve_org(cand: Candidate, art: ActorDoc) -> Candidate:
    """An organisation; "the Iraqi Army" is the group IRQ MIL, not an organisation of its own."""
    lex, doc = art.lex, art.doc
    tokens = list(doc[cand.start : cand.end])
    country, k = _country_prefix(tokens, lex)
    rest = " ".join(t.lower_ for t in tokens[k:])
    if 0 < k < len(tokens) and rest in lex.nominals and lex.nominals[rest]:
        cand.label = cand.actor_type = GROUP
        cand.country, cand.sector, cand.role = country, lex.nominals[rest], rest
        return cand
    cand.actor_type = "ORG"
    if country is None and len(tokens) > 2 and tokens[-2].lower_ == "of":  # "Bank of Iraq"
        country = lex.country_of_name(tokens[-1].text)
    if country is None and cand.start >= 2 and doc[cand.start - 1].tag_ == "POS":
        country = lex.country_of_name(doc[cand.start - 2].text)  # "Romania's Justice Ministry"
    cand.country = country
    words = [t.lower_ for t in tokens]
    cut = next((i for i, w in enumerate(words) if w in ("of", "for")), len(words))
    cand.sector = next((lex.org_heads[w] for w in words[:cut] if w in lex.org_heads), None) or next(
        (lex.org_heads[w] for w in words if w in lex.org_heads), None
    )
    return cand
