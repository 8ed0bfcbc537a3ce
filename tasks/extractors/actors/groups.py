"""Group nouns ("Iraqi soldiers", "the militants") and office holders named only by their title."""

from __future__ import annotations

from newsevents.tasks.extractors.actors.article import (
    DETERMINERS,
    DOMESTIC_SECTORS,
    GROUP,
    QUALIFIER_BLOCK,
    ActorDoc,
    Candidate,
    canonical_name,
)
from newsevents.tasks.extractors.actors.names import singular

# ---------------------------------------------------------------- group nouns


def _group_from_phrase(s: int, e: int, phrase: str, sector: str | None, art: ActorDoc) -> Candidate | None:
    """A group actor headed by doc[e-1] ("Iraqi soldiers", "the Shia militias", "police") with the
    country, group and sector its modifiers give; None when the noun is no actor here."""
    doc, lex = art.doc, art.lex
    head = doc[e - 1]
    if head.dep_ in ("compound", "amod", "nmod") and head.head.i > head.i:
        return None  # a modifier itself: "militia base", "police custody"
    if head.pos_ in ("VERB", "AUX", "ADP", "ADV"):
        return None
    located: str | None = None
    mod_sector = None
    determined = has_org = False
    start = s
    mods: list[tuple[int, int, str, str, str | None]] = []  # (start, end, kind, value, display)
    for child in head.lefts:
        if child.i >= s or child.dep_ in ("nummod", "quantmod") or child.lower_ in QUALIFIER_BLOCK:
            continue
        if child.dep_ in ("det", "predet") or (child.dep_ == "poss" and child.pos_ == "PRON"):
            determined = determined or child.lower_ in DETERMINERS or child.dep_ == "poss"
            continue
        if child.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod"):
            continue
        k = art.ent_at[child.i]
        if k >= 0:
            ent = art.ents[k]
            text = canonical_name(art.ent_texts[k])
            if ent.label_ in ("ORG", "PERSON") and not lex.country_of_name(text):
                has_org = True  # "IS fighters", "NATO troops": the organisation is the actor
                continue
            if (
                ent.start >= 2
                and doc[ent.start - 1].text == "-"
                and doc[ent.start - 2].lower_ in QUALIFIER_BLOCK
            ):
                continue  # "pro-Russia rebels" are not Russian
            folded = text.casefold()
            national = lex.country_of_modifier(text) or lex.capitals.get(folded)
            local = None if national else (lex.regions.get(folded) or lex.cities.get(folded))
            iso = national or local
            gaz = lex.entries.get(ent.ent_id_ or lex.alias_keys.get(text, ""))
            if iso and not (gaz and gaz.actor_type == "NORP"):
                mods.append((ent.start, ent.end, "country", iso, None))
                if local and sector_of_phrase(phrase, sector, lex) in SUBNATIONAL_SECTORS:
                    # "the Texas governor", "Chicago police": that state's or city's government,
                    # not the country's; the place qualifies the group
                    mods.append((ent.start, ent.end, "qualifier", f"@{folded}", text))
            elif ent.label_ == "NORP" or (gaz and gaz.actor_type == "NORP"):
                qual = (gaz.name if gaz else singular(text)).casefold()
                mods.append(
                    (ent.start, ent.end, "qualifier", qual, (gaz.adjective or gaz.name) if gaz else text)
                )
            else:
                continue
            start = min(start, ent.start)
            continue
        lower = child.lower_
        if lower in lex.not_actor_modifiers:
            return None
        if iso := lex.country_of_modifier(child.text):
            mods.append((child.i, child.i + 1, "country", iso, None))
            start = min(start, child.i)
        elif lex.nominals.get(lower):
            mod_sector = mod_sector or lex.nominals[lower]  # "government forces", "rebel fighters"
            start = min(start, child.i)
        elif child.pos_ == "ADJ" and child.dep_ == "amod" and child.tag_ != "VBN":
            start = min(start, child.i)  # "elite regular forces", "armed men"
        elif child.pos_ in ("NOUN", "PROPN") and child.dep_ == "compound":
            return None  # an unknown compound ("bomb squad"): not a group we code
    if has_org:
        return None
    for prep in head.rights:  # "the government of Liberia", "a court in Guyana"
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "in"):
            continue
        for obj in prep.children:
            k = art.ent_at[obj.i]
            if obj.dep_ != "pobj" or k < 0 or art.ents[k].label_ != "GPE":
                continue
            iso = lex.country_of_name(canonical_name(art.ent_texts[k]))
            if iso and prep.lower_ == "of" and not any(m[2] == "country" for m in mods):
                e = art.ents[k].end
                mods.append((art.ents[k].start, e, "country", iso, None))
            elif iso and prep.lower_ == "in":
                located = located or iso
    if head.lower_ in lex.weak_heads or phrase in lex.weak_heads:
        sector = mod_sector or sector
    else:
        sector = sector or mod_sector
    if not sector:
        return None
    # Never swallow an entity the group did not absorb ("pro-Russia rebels" -> "rebels"); a
    # modifier left outside ("US and British activists") codes nothing and stays its own mention.
    absorbed = {(a, b) for a, b, *_ in mods}
    for i in range(start, s):
        k = art.ent_at[i]
        if k >= 0 and (art.ents[k].start, art.ents[k].end) not in absorbed:
            start = art.ents[k].end
        elif doc[i].lower_ in QUALIFIER_BLOCK:
            start = i + 1
    while start < s and doc[start].is_punct:
        start += 1
    mods = [m for m in mods if m[0] >= start]
    country = next((m[3] for m in mods if m[2] == "country"), None)
    qualifier, qualifier_name = next(((m[3], m[4]) for m in mods if m[2] == "qualifier"), (None, None))
    if not country and located and sector in DOMESTIC_SECTORS:
        country = located
    modified = bool(country or qualifier or mod_sector)
    if (phrase in lex.needs_modifier or head.lower_ in lex.needs_modifier) and not modified:
        return None
    if (phrase in lex.needs_determiner or head.lower_ in lex.needs_determiner) and not (
        determined or modified
    ):
        return None
    for a, b, *_ in mods:
        art.consumed[a:b] = [True] * (b - a)
    cand = Candidate(start, e, GROUP, art.chars(start, e), actor_type=GROUP, country=country, sector=sector)
    cand.qualifier, cand.qualifier_name, cand.role, cand.modified = (
        qualifier,
        qualifier_name,
        phrase,
        modified,
    )
    return cand


# Sectors whose state or city bodies are not the country's ("the Ohio governor", "Texas police").
SUBNATIONAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "COP"})


def sector_of_phrase(phrase: str, sector: str | None, lex) -> str | None:
    return sector or lex.roles.get(phrase) or lex.nominals.get(phrase)


def group_candidates(art: ActorDoc, people: list[Candidate]) -> list[Candidate]:
    """Group nouns, and office holders named only by their title, not already part of a name."""
    lex, doc = art.lex, art.doc
    out: list[Candidate] = []
    for s, e, phrase in art.nominals:
        if any(art.consumed[s:e]) or any(art.ent_at[i] >= 0 for i in range(s, e)):
            continue
        if art.role_at[s] >= 0 and art.roles[art.role_at[s]][1] > e:
            continue  # part of a longer title ("army chief")
        cand = _group_from_phrase(s, e, phrase, lex.nominals[phrase], art)
        if cand is not None:
            out.append(cand)
    covered = {i for c in out for i in range(c.start, c.end)}
    for s, e, phrase in art.roles:
        if any(art.consumed[s:e]) or any(art.ent_at[i] >= 0 or i in covered for i in range(s, e)):
            continue
        cand = _group_from_phrase(s, e, phrase, lex.roles[phrase], art)
        if cand is not None and cand.modified:
            out.append(cand)  # "the Iraqi prime minister", "Russia's ambassador": the group they serve
            continue
        head = doc[e - 1]
        holders = [p for p in people if p.start < s and p.role == phrase]
        if holders and head.pos_ in ("NOUN", "PROPN") and any(c.lower_ == "the" for c in head.lefts):
            holder = holders[-1]  # "the prime minister" after "Prime Minister Haider al-Abadi"
            c = Candidate(s, e, "PERSON", holder.name, actor_type="PERSON", role=phrase, refers_to=holder)
            c.country, c.sector, c.anaphoric = holder.country, holder.sector, True
            out.append(c)
        elif cand is not None and any(lex.nominals.get(w) for w in phrase.split()):
            out.append(cand)  # "a police spokesman", "the army chief": the force they speak for
        elif cand is not None and art.home and any(c.lower_ == "the" for c in head.lefts):
            # "the prime minister", "the Queen" in a British story, no holder named: the office
            # of the home country (its government), as PETRARCH codes an unnamed office holder
            cand.country = art.home
            out.append(cand)
    return out
