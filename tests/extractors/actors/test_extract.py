"""Actor mentions, their coding and identity: one table of short news sentences per rule."""

from __future__ import annotations

import pytest

from newsevents.tasks.extractors.actors.aggregate import aggregate_actors
from newsevents.tasks.extractors.actors.article import (
    GROUP,
    ActorEvidence,
    actor_id_for,
    canonical_name,
    group_key,
)
from newsevents.tasks.extractors.actors.extract import extract_mentions
from newsevents.tasks.extractors.actors.lexicon import actor_key
from newsevents.tasks.records import Actor, ActorMention
from newsevents.tasks.store.actors import merge_actors, most_mentioned


def mentions(nlp, text, authors=()):
    return extract_mentions(nlp(text), "art", authors)


def find(pairs, text):
    """The (mention, evidence) whose text is `text`; fails listing what was found."""
    hits = [(m, ev) for m, ev in pairs if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m, _ in pairs]}"
    return hits[0]


def actor_of(pairs, text) -> Actor:
    m, _ = find(pairs, text)
    return next(a for a in aggregate_actors(pairs) if a.actor_id == m.actor_id)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("al-Abadi's", "al-Abadi"),
        ("al-Abadi’s", "al-Abadi"),
        ("the Pentagon", "Pentagon"),
        ("  John   Kerry ", "John Kerry"),
    ],
)
def test_canonical_name(text, expected):
    assert canonical_name(text) == expected


def test_actor_id_is_derived_from_key_not_order():
    assert actor_id_for(actor_key("PERSON", "John Kerry")) == actor_id_for(actor_key("PERSON", "JOHN KERRY"))
    # The NER calls one club a person here and an organisation there: one namespace for both.
    assert actor_id_for(actor_key("PERSON", "Chelsea")) == actor_id_for(actor_key("ORG", "Chelsea"))
    assert actor_id_for(actor_key("GPE", "Chelsea")) != actor_id_for(actor_key("ORG", "Chelsea"))


def test_offsets_index_the_text_and_possessives_are_stripped(nlp):
    text = "John Kerry met NATO officials in Brussels. Kerry's aides said NATO would meet again."
    pairs = mentions(nlp, text)
    for m, _ in pairs:
        assert text[m.start : m.end] == m.text
        assert not m.text.endswith("'s")
    assert find(pairs, "Kerry")[0].actor_id == find(pairs, "John Kerry")[0].actor_id
    assert actor_of(pairs, "NATO").n_mentions == 2


# ---------------------------------------------------------------- people: titles, roles, countries, sectors


@pytest.mark.parametrize(
    "text, name, role, country, sector",
    [
        (
            "Iraqi prime minister Haider al-Abadi ordered his forces to hold.",
            "Haider al-Abadi",
            "prime minister",
            "IRQ",
            "GOV",
        ),
        (
            "US Secretary of State John Kerry said he remained confident.",
            "John Kerry",
            "secretary of state",
            "USA",
            "GOV",
        ),
        (
            "Former German Chancellor Willy Brandt said he was sceptical.",
            "Willy Brandt",
            "chancellor",
            "DEU",
            "GOV",
        ),
        ("Colonel Mark Hensley said the base was safe.", "Mark Hensley", "colonel", None, "MIL"),
        ("Professor Jane Holloway said the plan would fail.", "Jane Holloway", "professor", None, "EDU"),
        (
            "Pentagon spokesman Peter Cook said the strikes would go on.",
            "Peter Cook",
            "spokesman",
            "USA",
            "MIL",
        ),
        ("Rebel leader Joseph Kony said the talks were over.", "Joseph Kony", "rebel leader", None, "REB"),
        (
            "Haider al-Abadi, Iraq's prime minister, said the city would be retaken.",
            "Haider al-Abadi",
            "prime minister",
            "IRQ",
            "GOV",
        ),
        ("Mr Ahmed Karimi said he had been threatened.", "Ahmed Karimi", None, None, None),
        ("Kenyan President Mwai Kibaki said the vote was fair.", "Mwai Kibaki", "president", "KEN", "GOV"),
    ],
)
def test_person_title_gives_role_country_and_sector(nlp, text, name, role, country, sector):
    pairs = mentions(nlp, text)
    m, ev = find(pairs, name)
    assert (m.label, m.role, ev.country, ev.sector) == ("PERSON", role, country, sector)
    # the title's country word is part of the person's mention, not an actor of its own
    assert all(other.label != "GPE" for other, _ in pairs)


def test_colonel_steve_warren_is_mil_and_american_through_the_pentagon(nlp):
    # The seed: the Pentagon speaks, then its unnamed-organisation spokesman is quoted.
    text = (
        "And the Pentagon said that Iraqi forces would ultimately reclaim Ramadi.\n\n"
        "‘To read too much into this single fight is simply a mistake,’ said spokesman Colonel Steve Warren."
    )
    m, ev = find(mentions(nlp, text), "Steve Warren")
    assert (m.role, ev.country, ev.sector) == ("colonel", "USA", "MIL")


def test_surname_links_to_full_name_in_that_article_only(nlp):
    first = mentions(nlp, "Prime Minister Haider al-Abadi arrived. The loss is al-Abadi’s worst setback.")
    full = find(first, "Haider al-Abadi")[0]
    short = find(first, "al-Abadi")[0]
    assert short.actor_id == full.actor_id and short.label == "PERSON"
    other = mentions(nlp, "The loss of the city was a blow, al-Abadi said.")
    assert find(other, "al-Abadi")[0].actor_id != full.actor_id


def test_surname_goes_to_the_full_name_the_article_uses_most(nlp):
    text = (
        "Candidate Carly Fiorina strode onstage. Carly Fiorina smiled at the crowd. On the plane she "
        "vented to her husband, Frank Fiorina. Later Carly Fiorina spoke again. Fiorina sits in a chair."
    )
    found = mentions(nlp, text)
    assert find(found, "Fiorina")[0].actor_id == find(found, "Carly Fiorina")[0].actor_id
    assert find(found, "Frank Fiorina")[0].actor_id != find(found, "Carly Fiorina")[0].actor_id
    tied = mentions(nlp, "Carly Fiorina spoke. Her husband, Frank Fiorina, listened. Fiorina left.")
    assert find(tied, "Fiorina")[0].actor_id not in {
        find(tied, "Carly Fiorina")[0].actor_id,
        find(tied, "Frank Fiorina")[0].actor_id,
    }


def test_lone_surname_falls_back_to_gazetteer_only_without_a_full_name(nlp):
    blair = find(mentions(nlp, "Mr Blair said the election would be in May."), "Blair")[0]
    assert blair.actor_id == actor_id_for(actor_key("PERSON", "Tony Blair"))
    euan = mentions(nlp, "Euan Blair joined the firm in March. Mr Blair said he was delighted.")
    assert find(euan, "Blair")[0].actor_id == find(euan, "Euan Blair")[0].actor_id


def test_the_title_alone_refers_to_its_holder(nlp):
    pairs = mentions(
        nlp, "Prime Minister Theresa Okafor visited the port. The prime minister said it would reopen."
    )
    holder = find(pairs, "Theresa Okafor")[0]
    m, ev = find(pairs, "prime minister")
    assert m.actor_id == holder.actor_id and m.role == "prime minister" and not ev.alias


@pytest.mark.parametrize(
    "text, authors",
    [
        ("The mayor resigned on Monday, officials said.\n\nBy David Williams", ()),
        ("David Williams reports that the mayor resigned.", ("David Williams",)),
        ("The mayor resigned, Williams reports.", ("By David Williams",)),
    ],
)
def test_byline_author_is_not_an_actor(nlp, text, authors):
    assert not [
        m for m, _ in mentions(nlp, text, [a.removeprefix("By ") for a in authors]) if "Williams" in m.text
    ]


# ---------------------------------------------------------------- gazetteer actors and aliases


@pytest.mark.parametrize(
    "text, alias",
    [
        ("He is being used as a pawn by Islamic State [Daesh] to further their cause.", "Daesh"),
        ("The photo was released on an IS-related social media account.", "IS"),
        ("IS fighters carried out mass executions.", "IS"),
        ("ISIS claimed the attack.", "ISIS"),
        ("The US says ISIL is weakening.", "ISIL"),
        ("Daesh destroying Iraq's youngest generation.", "Daesh"),
        ("The Islamic State group said it had purged the city.", "Islamic State group"),
    ],
)
def test_islamic_state_aliases_are_one_actor_everywhere(nlp, text, alias):
    m, ev = find(mentions(nlp, text), alias)
    assert m.actor_id == actor_id_for(actor_key("ORG", "Islamic State"))
    assert (m.label, ev.name, ev.sector) == ("ORG", "Islamic State", "REB")


@pytest.mark.parametrize(
    "text, alias, name, country, sector",
    [
        ("Al-Qaeda claimed the bombing.", "Al-Qaeda", "al-Qaeda", None, "REB"),
        ("Hizbollah fired rockets into Israel.", "Hizbollah", "Hezbollah", "LBN", "REB"),
        ("The Kremlin denied the report.", "Kremlin", "Kremlin", "RUS", "GOV"),
        ("The White House said talks would resume.", "White House", "White House", "USA", "GOV"),
        ("Nato ministers met in Brussels.", "Nato", "NATO", None, "IGO"),
        ("The Tories said Labour had failed.", "Tories", "Conservative Party", "GBR", "PTY"),
        ("Al-Shabaab claimed the attack in Nairobi.", "Al-Shabaab", "al-Shabab", "SOM", "REB"),
    ],
)
def test_gazetteer_actors_are_coded(nlp, text, alias, name, country, sector):
    _m, ev = find(mentions(nlp, text), alias)
    assert (ev.name, ev.country, ev.sector) == (name, country, sector)


def test_headline_capitals_are_not_acronyms(nlp):
    assert not [m for m, _ in mentions(nlp, "WHAT IS NEXT FOR THE TOWN") if m.text == "IS"]


@pytest.mark.parametrize(
    "text, short, long",
    [
        ("Islamic State (IS) fighters entered the town.", "IS", "Islamic State"),
        (
            "The Movement for Democratic Renewal (MDR) said it would boycott the vote.",
            "MDR",
            "Movement for Democratic Renewal",
        ),
        (
            "The Royal United Services Institute published a report. RUSI said the war would be long.",
            "RUSI",
            "Royal United Services Institute",
        ),
    ],
)
def test_acronyms_and_bracketed_aliases_link_to_the_long_form(nlp, text, short, long):
    pairs = mentions(nlp, text)
    assert find(pairs, short)[0].actor_id == find(pairs, long)[0].actor_id


# ---------------------------------------------------------------- countries and metonyms


@pytest.mark.parametrize(
    "text, mention",
    [
        ("The US said it would send aid.", "US"),
        ("The U.S. said it would send aid.", "U.S."),
        ("The United States said it would send aid.", "United States"),
        ("America will not back down, he said.", "America"),
        ("American diplomats were expelled.", None),
        ("Washington said it would send aid.", "Washington"),
    ],
)
def test_country_names_demonyms_and_capital_metonyms_are_one_country_actor(nlp, text, mention):
    usa = actor_id_for("GPE:USA")
    pairs = mentions(nlp, text)
    if mention is None:
        assert all(m.actor_id != usa for m, _ in pairs)  # absorbed into the group "American diplomats"
        assert any(ev.country == "USA" for _, ev in pairs)
    else:
        m, ev = find(pairs, mention)
        assert m.actor_id == usa and ev.name == "United States" and ev.country == "USA"


@pytest.mark.parametrize(
    "text, mention, metonym",
    [
        ("Washington said it would send more troops.", "Washington", True),
        ("The fighters are backed by Tehran.", "Tehran", True),
        ("Moscow's refusal angered the allies.", "Moscow", True),
        ("It put Washington in an uncomfortable position.", "Washington", True),
        # A country name is its country's actor either way; the flag is for cities, so places
        # still geocodes it (geoparsing gold annotates "Iraq began ..." as a toponym).
        ("Iraq began clawing back territory last year.", "Iraq", False),
        ("London hosts the games next year.", "London", False),
        ("They flew to Washington last week.", "Washington", False),
        ("Baghdad lies on the Tigris.", "Baghdad", False),
        ("Bombs fell in Baghdad on Monday.", "Baghdad", False),
        ("The city is less than 70 miles from Baghdad.", "Baghdad", False),
    ],
)
def test_place_names_standing_for_governments_are_metonyms(nlp, text, mention, metonym):
    m, ev = find(mentions(nlp, text), mention)
    assert m.metonym is metonym
    if metonym:  # a capital acting is its country's government
        assert m.label == "GPE" and m.actor_id == actor_id_for(f"GPE:{ev.country}")


def test_other_places_keep_their_own_actor_and_country(nlp):
    m, ev = find(mentions(nlp, "Jihadis captured Ramadi, a city west of Baghdad."), "Ramadi")
    assert (m.label, ev.name, ev.country, m.metonym) == ("GPE", "Ramadi", "IRQ", False)


def test_article_majority_label_fixes_a_stray_ner_label(nlp):
    text = (
        "Jihadis captured Ramadi on Monday. Ramadi fell after a long siege. Troops left Ramadi. "
        "The Pentagon said Iraqi forces would ultimately reclaim Ramadi from IS."
    )
    assert {m.label for m, _ in mentions(nlp, text) if m.text == "Ramadi"} == {"GPE"}


# ---------------------------------------------------------------- group actors


@pytest.mark.parametrize(
    "text, mention, country, group, sector",
    [
        ("Iraqi soldiers fled the city.", "Iraqi soldiers", "IRQ", None, "MIL"),
        ("They forced the Iraqi army into a humiliating retreat.", "Iraqi army", "IRQ", None, "MIL"),
        ("Weapons were abandoned by the Iraqi military.", "Iraqi military", "IRQ", None, "MIL"),
        ("It captured the Iraq army's command centre.", "Iraq army", "IRQ", None, "MIL"),
        ("Israeli police arrested two men.", "Israeli police", "ISR", None, "COP"),
        ("The Egyptian government denied the report.", "Egyptian government", "EGY", None, "GOV"),
        ("Palestinian militants fired rockets overnight.", "Palestinian militants", "PSE", None, "REB"),
        ("Iranian-backed Shia militias were gathering at a base.", "Shia militias", None, "shia", "UAF"),
        ("Pro-Russia rebels shot down the plane.", "rebels", None, None, "REB"),
        ("Government forces shelled the town.", "Government forces", None, None, "MIL"),
        ("A court in Guyana issued arrest warrants.", "court", "GUY", None, "JUD"),
        ("The government of Liberia denied the charges.", "government of Liberia", "LBR", None, "GOV"),
        ("Artillery was provided by US forces.", "US forces", "USA", None, "MIL"),
        ("Protesters gathered outside parliament.", "Protesters", None, None, "OPP"),
        ("Police said two men were arrested.", "Police", None, None, "COP"),
        ("Georgian demonstrators received assurances.", "Georgian demonstrators", "GEO", None, "OPP"),
        ("A police spokesman said the road was closed.", "police spokesman", None, None, "COP"),
        ("Russia's UN ambassador said he was unaware.", None, None, None, None),
    ],
)
def test_group_nouns_are_coded_actors(nlp, text, mention, country, group, sector):
    pairs = mentions(nlp, text)
    if mention is None:
        assert all(m.label != GROUP for m, _ in pairs)
        return
    m, ev = find(pairs, mention)
    assert (m.label, ev.country, ev.sector) == (GROUP, country, sector)
    assert m.actor_id == actor_id_for(group_key(country, group, sector))


@pytest.mark.parametrize(
    "text",
    [
        "Market forces drove prices up.",
        "They met at the militia base.",
        "Opposition to the plan grew.",
        "NATO troops patrolled the border.",
        "Children enjoy playing with toy soldiers.",
    ],
)
def test_group_nouns_that_are_not_actors(nlp, text):
    assert all(m.label != GROUP for m, _ in mentions(nlp, text))


def test_group_ids_merge_across_articles(nlp):
    one = find(mentions(nlp, "Iraqi soldiers sped out of the city."), "Iraqi soldiers")[0]
    two = find(mentions(nlp, "They forced the Iraqi army into retreat."), "Iraqi army")[0]
    assert one.actor_id == two.actor_id == actor_id_for("GROUP:IRQ::MIL")


def test_bare_group_nouns_link_to_the_group_named_earlier(nlp):
    pairs = mentions(nlp, "He forced the Iraqi army into a retreat. His army was overrun.")
    assert find(pairs, "army")[0].actor_id == find(pairs, "Iraqi army")[0].actor_id
    is_pairs = mentions(nlp, "Islamic State fighters seized the town. The militants executed dozens.")
    m, ev = find(is_pairs, "militants")
    assert m.actor_id == actor_id_for(actor_key("ORG", "Islamic State")) and not ev.alias


# ---------------------------------------------------------------- aggregation and merging


def test_aggregate_takes_the_majority_coding_and_only_names_as_aliases():
    m = ActorMention("a", "id1", "Steve Warren", 0, 12, "PERSON")
    pairs = [
        (m, ActorEvidence("Steve Warren", "PERSON", "USA", "MIL")),
        (m, ActorEvidence("Steve Warren", "PERSON", None, "MIL")),
        (
            ActorMention("a", "id1", "the spokesman", 20, 33, "PERSON"),
            ActorEvidence("Steve Warren", "PERSON", "GBR", None, alias=False),
        ),
        (m, ActorEvidence("Steve Warren", "PERSON", "USA", None)),
    ]
    [actor] = aggregate_actors(pairs)
    assert (actor.name, actor.country, actor.sector, actor.n_mentions) == ("Steve Warren", "USA", "MIL", 4)
    assert actor.aliases == ["Steve Warren"]


def test_merge_keeps_stored_name_and_accumulates_aliases():
    old = [Actor("id1", "Islamic State", "ORG", "XXX", None, ["Islamic State"], 3)]
    new = [
        Actor("id1", "IS", "ORG", None, "REB", ["IS", "Daesh"], 2),
        Actor("id2", "NATO", "ORG", None, None, ["NATO"], 1),
    ]
    merged = {a.actor_id: a for a in merge_actors(old, new)}
    a = merged["id1"]
    assert a.name == "Islamic State" and a.country == "XXX" and a.sector == "REB"
    assert a.aliases == ["Daesh", "IS", "Islamic State"] and a.n_mentions == 5
    assert merged["id2"].n_mentions == 1


def test_most_mentioned_is_sorted_and_cut():
    actors = [Actor(f"id{i}", f"A{i}", "ORG", n_mentions=i % 4) for i in range(10)]
    top = most_mentioned(actors, 3)
    assert [a.n_mentions for a in top] == [3, 3, 2] and [a.name for a in top[:2]] == ["A3", "A7"]


def test_a_bare_group_is_aliased_by_its_noun_not_its_adjectives(nlp):
    pairs = mentions(nlp, "The grubby government fell on Monday. Senior officials resigned.")
    actor = actor_of(pairs, "grubby government")
    assert actor.actor_id == find(pairs, "Senior officials")[0].actor_id
    assert actor.aliases == ["government", "officials"]
