"""Events over one parsed Doc: one table of short news-style sentences per rule, then the seed.

Each row names the rule it exercises; the sentences are written for these tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsevents.tasks.extractors.actors.extract import extract_mentions
from newsevents.tasks.extractors.events.extract import extract_events
from newsevents.tasks.extractors.places.resolve import extract_places
from newsevents.tasks.ingest.clean import clean_doc
from newsevents.tasks.ingest.readers import read_file
from newsevents.tasks.records import ArticleContext, Place
from tests.conftest import needs_shared

PUB = datetime(2015, 5, 20, 5, 0, tzinfo=UTC)  # a Wednesday


def events_of(nlp, text: str, places=(), published=PUB):
    doc = nlp(text)
    mentions = [m for m, _ in extract_mentions(doc, "t")]
    return extract_events(doc, ArticleContext("t", published), mentions, list(places))


def one(events, etype):
    found = [e for e in events if e.event_type == etype]
    assert found, f"no {etype} in {[(e.event_type, e.trigger) for e in events]}"
    return found[0]


# text, type, mode, words in the source phrase, words in the target phrase (None: no check)
TYPED = [
    # verbs, active and passive with "by"
    (
        "Rebels attacked an army checkpoint near the border on Tuesday.",
        "ASSAULT",
        None,
        "Rebels",
        "checkpoint",
    ),
    ("The convoy was ambushed by gunmen outside the town.", "ASSAULT", None, "gunmen", "convoy"),
    (
        "Police arrested twelve opposition activists in the capital.",
        "COERCE",
        "arrest",
        "Police",
        "activists",
    ),
    (
        "The court sentenced the journalist to five years in prison.",
        "COERCE",
        "arrest",
        "court",
        "journalist",
    ),
    (
        "Hundreds of students protested against the new fees outside parliament.",
        "PROTEST",
        "demo",
        "students",
        None,
    ),
    (
        "The army deployed thousands of troops along the northern frontier.",
        "MOBILIZE",
        "troops",
        "army",
        None,
    ),
    ("The president praised the rescue workers.", "SUPPORT", None, "president", "workers"),
    ("Ethiopia expelled two American diplomats.", "SANCTION", "expel", "Ethiopia", "diplomats"),
    ("The government released forty political prisoners.", "RETREAT", "release", "government", "prisoners"),
    (
        "The minister accused the opposition of inciting violence.",
        "ACCUSE",
        "allege",
        "minister",
        "opposition",
    ),
    # a rejection's target is an actor, not the thing rejected
    ("The opposition rejected the peace proposal.", "REJECT", None, "opposition", None),
    ("The opposition rejected a proposal by the Labour Party.", "REJECT", None, "opposition", "Labour"),
    ("The court sentenced the journalist to five years in prison.", "COERCE", "arrest", "court", None),
    # taking territory by force is the battle (ASSAULT/seize); seizing property stays COERCE
    (
        "Government troops recaptured the town of Kalemie from the rebels.",
        "ASSAULT",
        "seize",
        "troops",
        "town",
    ),
    ("Customs officers seized two tonnes of cocaine at the port.", "COERCE", "seize", "officers", None),
    # idioms: verb + object, verb + preposition + noun
    ("The European Union imposed sanctions on Belarus.", "COERCE", "restrict", "European Union", "Belarus"),
    ("Soldiers opened fire on the crowd.", "ASSAULT", "firearms", "Soldiers", "crowd"),
    ("Protesters took to the streets of Lagos.", "PROTEST", "demo", "Protesters", None),
    ("Thousands of workers went on strike in Seoul.", "PROTEST", "boycott", "workers", None),
    # light verbs carry the event noun
    (
        "Militants carried out a suicide bombing at a market in Kabul.",
        "ASSAULT",
        "suicide-attack",
        "Militants",
        None,
    ),
    ("The ministers held talks with Iranian officials in Vienna.", "CONSULT", None, "ministers", "officials"),
    ("Japan and South Korea signed a trade agreement on Friday.", "AGREE", None, "Japan", None),
    ("The air strike was carried out by Turkish warplanes.", "ASSAULT", "heavy-weapons", "warplanes", None),
    # an event noun with its own actor: "Israeli shelling", "Turkey's invasion of"
    ("Israeli shelling killed three people in Gaza.", "ASSAULT", "heavy-weapons", "Israeli", None),
    # the weapon is the object of "fire"; the target follows "at"
    ("Hamas fighters fired rockets at Israel.", "ASSAULT", "firearms", "Hamas", "Israel"),
    # the giver of "receive" is in the "from" phrase
    ("Kiev received weapons from Washington.", "AID", None, "Washington", "Kiev"),
    ("The United Nations sent food aid to Yemen.", "AID", None, "United Nations", "Yemen"),
    # claiming responsibility names the attacker
    ("The militants claimed responsibility for the bombing.", "ASSAULT", "explosives", "militants", None),
    # "X forced Y into retreat": Y retreats
    ("The offensive forced the rebels into a hasty retreat.", "RETREAT", "withdraw", "rebels", None),
    # requests and intentions replace the event they frame
    ("The general ordered his troops to withdraw.", "REQUEST", None, "general", "troops"),
    ("The union urged the government to raise wages.", "REQUEST", None, "union", "government"),
    ("Iran wants to attack the tanker.", "THREATEN", None, "Iran", "tanker"),
    ("The government plans to release the detainees.", "AGREE", None, "government", "detainees"),
    ("North Korea threatened to strike the island.", "THREATEN", None, "North Korea", None),
    # crowds demanding something are protesting for it
    ("Thousands of protesters demanded the resignation of the mayor.", "PROTEST", "demo", "protesters", None),
    # the owner of an event it undergoes is its target; with an "of" object, its agent
    ("Days after the reporter's arrest, his editor fled.", "COERCE", "arrest", None, "reporter"),
    ("The army's arrest of the journalist angered his colleagues.", "COERCE", "arrest", "army", "journalist"),
    ("Thousands of protesters rallied outside parliament.", "PROTEST", "demo", "protesters", None),
    ("The students sat in at the dean's office for three days.", "PROTEST", "demo", "students", None),
    # attacks with words criticise; with arms, on places or by unknown attackers, assault
    (
        "Senator Jane Smith attacked Governor Tom Brown for vetoing the bill.",
        "ACCUSE",
        "disapprove",
        "Smith",
        "Brown",
    ),
    ("Gunmen attacked a police station in the north.", "ASSAULT", None, "Gunmen", "station"),
    ("A man attacked a woman with a knife.", "ASSAULT", None, "man", "woman"),
    ("Residents fled after hoodlums attacked the market.", "ASSAULT", None, "hoodlums", "market"),
    (
        "Senator Jane Smith's attack on the governor's record drew applause.",
        "ACCUSE",
        "disapprove",
        "Smith",
        None,
    ),
    ("The senator apologized to the families.", "CONCEDE", None, "senator", "families"),
    # disapproval someone draws: the giver is the source, the one who draws it the target
    (
        "Senator Tom Brown wavered on the budget, drawing boos from the crowd.",
        "ACCUSE",
        "disapprove",
        "crowd",
        "Brown",
    ),
    ("Senator Tom Brown's remarks drew outrage from the unions.", "ACCUSE", "disapprove", "unions", "Brown"),
]


@pytest.mark.parametrize("text, etype, mode, source, target", TYPED)
def test_event_type_and_arguments(nlp, text, etype, mode, source, target):
    ev = one(events_of(nlp, text), etype)
    assert ev.mode == mode
    if source is not None:
        assert ev.source_text and source in ev.source_text
    if target is not None:
        assert ev.target_text and target in ev.target_text
    assert text[ev.start : ev.end] == ev.trigger


@pytest.mark.parametrize(
    "text, absent",
    [
        ("The ruling party did not attack the proposal.", "ASSAULT"),  # figurative: no armed actor
        ("Two people were killed in a road accident near Nairobi.", "ASSAULT"),  # no one's attack
        ("Any attack on the embassy will be met with force.", "CONSULT"),  # "met with force"
        ("Iranian-backed militias gathered at the base.", "SUPPORT"),  # a description, not an event
        ("Protesters demanded the return of ousted leader Jane Smith.", "SANCTION"),  # background, not news
        ("The chemical attack prompted widespread outrage.", "ACCUSE"),  # disapproval of no one by no one
        ("The general ordered his troops to withdraw.", "RETREAT"),  # requested, not done
        ("Thousands of protesters demanded the resignation of the mayor.", "REQUEST"),
        ("The minister told reporters that the talks had failed.", "REQUEST"),  # "told" reports here
        ("The senator rallied her supporters before the vote.", "PROTEST"),  # mobilising, not protest
        ("The film shows a room in which the candidate sits.", "PROTEST"),  # a particle follows its verb
        ("The chief executive waged a charm offensive with investors.", "ASSAULT"),  # a campaign of words
        ("Every obstacle yields to stern resolve.", "CONCEDE"),  # a maxim, no actor gives way
        ("The candidate promised to build a wall on the border.", "MOBILIZE"),  # no troops, no army
        ("Her speech was a glowing demonstration of leadership.", "PROTEST"),  # shows, not protests
        ("Thousands cheered at the Smith campaign rally in Ohio.", "PROTEST"),  # a campaign rally
        ("The campaign wants to mobilize voters in Ohio.", "MOBILIZE"),  # campaigning, not forces
    ],
)
def test_not_emitted(nlp, text, absent):
    assert absent not in {e.event_type for e in events_of(nlp, text) if e.aux_mode != "negated"}


@pytest.mark.parametrize(
    "text, etype",
    [
        ("France said it would not support the resolution.", "SUPPORT"),
        ("Ryan has not formally rescinded his endorsement of the candidate.", "SUPPORT"),
        ("No soldier fired on the crowd.", "ASSAULT"),
        ("There is no political hero waiting to rescue us.", "AID"),
        ("The government did not provide aid to the refugees.", "AID"),
        # the purpose of a verb that did not happen did not happen either
        ("The nominee has not stepped forward publicly to defend Paul Manafort.", "SUPPORT"),
        ("The candidate never called a donor to ask for money.", "REQUEST"),
    ],
)
def test_negated_events_keep_their_type_and_are_marked(nlp, text, etype):
    ev = one(events_of(nlp, text), etype)
    assert ev.aux_mode == "negated"


def test_a_refusal_is_a_rejection_and_the_refused_act_is_not_a_fact(nlp):
    evs = events_of(nlp, "Trump refused to help Manafort.")
    assert one(evs, "REJECT").aux_mode is None
    assert all(e.aux_mode is not None for e in evs if e.event_type != "REJECT")


def test_coordinated_sources_are_one_event_with_every_participant(nlp):
    # one mention is one row (counted once), listing each coordinated actor
    evs = [e for e in events_of(nlp, "French and German activists staged a sit-in outside the embassy.")]
    protest = one(evs, "PROTEST")
    assert len(protest.source_actor_ids) == 2 and protest.source_actor_id == protest.source_actor_ids[0]
    ev = one(events_of(nlp, "Britain and France blamed China for the job losses."), "ACCUSE")
    assert ev.source_text == "Britain and France" and len(ev.source_actor_ids) == 2
    assert ev.target_text == "China" and ev.place_text is None  # a target country is no location


def test_coordinated_modifiers_are_the_parties_not_their_shared_noun(nlp):
    text = "Russian and Ukrainian officials met in Istanbul."
    ev = one(events_of(nlp, text), "CONSULT")
    assert (ev.source_text, ev.target_text) == ("Russian", "Ukrainian")


def test_listed_meeting_parties_pair_up(nlp):
    evs = [
        e
        for e in events_of(nlp, "Egypt, Jordan and Qatar met in Cairo on Monday.")
        if e.event_type == "CONSULT"
    ]
    assert len(evs) == 1
    assert evs[0].source_text == "Egypt" and len(evs[0].target_actor_ids) == 2


def test_pronoun_source_resolves_to_previous_subject(nlp):
    ev = one(events_of(nlp, "The rebels regrouped overnight. They attacked the garrison at dawn."), "ASSAULT")
    assert ev.source_text == "The rebels"


def test_source_links_to_the_actor_mention(nlp):
    text = "Iraq's national security adviser met with the Syrian president in Damascus."
    ev = one(events_of(nlp, text), "CONSULT")
    doc = nlp(text)
    ids = {m.text: m.actor_id for m, _ in extract_mentions(doc, "t")}
    # The adviser, coded to Iraq by the actor step, is the party; not Iraq as a whole.
    assert ev.source_actor_id == ids["Iraq's national security adviser"]
    assert ev.target_actor_id == ids["Syrian president"]


def test_fighting_on_a_side_is_fighting_with_it(nlp):
    ev = one(events_of(nlp, "Militias fighting on the government side shelled the town."), "ASSAULT")
    assert ev.target_text is None or "side" not in ev.target_text


def test_unlinked_argument_keeps_text_and_null_id(nlp):
    ev = one(events_of(nlp, "A man attacked a bus."), "ASSAULT")
    assert ev.source_text == "A man" and ev.source_actor_id is None


def test_implied_protest_from_the_people_named(nlp):
    evs = events_of(nlp, "Security forces dispersed the demonstrators with water cannon.")
    assert {"COERCE", "PROTEST"} <= {e.event_type for e in evs}
    helped = events_of(nlp, "Georgian demonstrators received weapons from the government.")
    assert "PROTEST" not in {e.event_type for e in helped}


@pytest.mark.parametrize(
    "text, negated",
    [
        ("Obama said he would not provide support to Israel.", "AID"),
        ("France said it would not support the resolution.", "SUPPORT"),
    ],
)
def test_a_refused_cooperation_is_a_rejection_too(nlp, text, negated):
    evs = events_of(nlp, text)
    assert one(evs, negated).aux_mode == "negated"
    assert one(evs, "REJECT").aux_mode in (None, "reported")


def test_a_dateline_is_no_participant(nlp):
    from newsevents.tasks.extractors.article import extract_docs

    text = "GAZA CITY, Palestinian Territories: Four children were killed in tank shelling, medics said."
    evs = extract_docs([(nlp(text), ArticleContext("t", PUB))]).events  # places resolve the dateline
    assert not [e for e in evs if "GAZA" in (e.source_text or "") + (e.target_text or "")]
    assert not [e for e in evs if e.event_type == "ACCUSE"]


@pytest.mark.parametrize(
    "text, etype, aux",
    [
        ("The United States will supply weapons to Ukraine.", "AID", "future"),
        ("Any attack on the embassy will be met with force.", "ASSAULT", "hypothetical"),
        ("Police said gunmen attacked the bank.", "ASSAULT", "reported"),
        # a demand's bare subjunctive is asked for; a perfect after "insisted" is reported
        ("The letter demanded that the bank fire him.", "SANCTION", "hypothetical"),
        ("He insisted that the police had arrested the men.", "COERCE", "reported"),
        ("Officials began a regional trip aimed at pushing for a ceasefire.", "REQUEST", "hypothetical"),
        ("Rebels seized the city last June.", "ASSAULT", "historical"),
        ("Rebels attacked an army checkpoint on Tuesday.", "ASSAULT", None),
        # an infinitive shares its governor's modal
        ("Critics say these are arms China could use to threaten Taiwan.", "THREATEN", "hypothetical"),
    ],
)
def test_aux_mode(nlp, text, etype, aux):
    assert one(events_of(nlp, text), etype).aux_mode == aux


@pytest.mark.parametrize(
    "text, etype, when, precision",
    [
        ("Rebels attacked an army checkpoint on Monday.", "ASSAULT", date(2015, 5, 18), "day"),
        ("Police arrested the suspect yesterday.", "COERCE", date(2015, 5, 19), "day"),
        ("Rebels seized the city last June.", "ASSAULT", date(2014, 6, 1), "month"),
        ("The army recaptured the town on 13 May.", "ASSAULT", date(2015, 5, 13), "day"),
        ("Police arrested twelve activists.", "COERCE", date(2015, 5, 20), "publication"),
    ],
)
def test_event_date(nlp, text, etype, when, precision):
    ev = one(events_of(nlp, text), etype)
    assert (ev.event_date, ev.date_precision) == (when, precision)


def test_no_publication_no_date(nlp):
    ev = one(events_of(nlp, "Police arrested twelve activists.", published=None), "COERCE")
    assert ev.event_date is None and ev.date_precision is None


def _place(text: str, name: str, gid: int, nth: int = 0) -> Place:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Place("t", name, start, start + len(name), gid, 33.4, 43.3, "IRQ", "P")


def test_clause_place_beats_the_focal_place(nlp):
    text = "Mosul was calm and Mosul stayed calm. Gunmen attacked a checkpoint in Tikrit on Sunday."
    places = [_place(text, "Mosul", 1, 0), _place(text, "Mosul", 1, 1), _place(text, "Tikrit", 2)]
    ev = one(events_of(nlp, text, places), "ASSAULT")
    assert (ev.location_source, ev.geonameid, ev.place_text) == ("clause", 2, "Tikrit")
    assert ev.latitude == 33.4 and ev.country == "IRQ"


@pytest.mark.parametrize(
    "text, name",
    [
        # a place that qualifies a noun is not where the event happens
        ("Jihadis captured the key Iraqi city on Monday. Ramadi fell. Ramadi burned.", "Iraqi"),
        # nor is a landmark the place is measured from
        ("Rebels seized a village 20 miles from Goma. Rutshuru fell. Rutshuru burned.", "Goma"),
    ],
)
def test_qualifying_and_distant_places_are_not_the_clause_place(nlp, text, name):
    other = "Ramadi" if "Ramadi" in text else "Rutshuru"
    places = [_place(text, name, 1), _place(text, other, 2, 0), _place(text, other, 2, 1)]
    ev = one(events_of(nlp, text, places), "ASSAULT")
    assert (ev.location_source, ev.geonameid, ev.place_text) == (None, None, None)
    assert (ev.article_place, ev.article_geonameid) == (other, 2)


def test_the_article_place_is_context_never_the_event_place(nlp):
    text = "Mosul has been tense for weeks. Gunmen attacked a police checkpoint on Sunday."
    ev = one(events_of(nlp, text, [_place(text, "Mosul", 1)]), "ASSAULT")
    assert (ev.location_source, ev.place_text) == (None, None)
    assert (ev.article_place, ev.article_geonameid) == ("Mosul", 1)


@pytest.mark.parametrize(
    "text, place",
    [
        # a locative phrase on a participant or on the event's own setting places it
        ("A shooting by two radicals in Ramadi killed 14 people.", "Ramadi"),
        ("The minister was booed during a party breakfast in Ramadi.", "Ramadi"),
        # a city naming the event
        ("The Baghdad bombings shocked the country.", "Baghdad"),
    ],
)
def test_event_places_from_the_clause(nlp, text, place):
    start = text.index(place)
    places = [Place("t", place, start, start + len(place), 7, 33.4, 43.3, "IRQ", "P")]
    evs = [e for e in events_of(nlp, text, places) if e.event_type in ("ASSAULT", "ACCUSE")]
    assert evs and all(e.place_text == place for e in evs)


def test_the_dateline_places_the_lead_sentence_only(nlp):
    text = "RAMADI (Reuters) - Gunmen attacked a checkpoint on Sunday.\n\nPolice later arrested two men."
    start = text.index("RAMADI")
    places = [Place("t", "RAMADI", start, start + 6, 7, 33.4, 43.3, "IRQ", "P")]
    evs = events_of(nlp, text, places)
    assert (one(evs, "ASSAULT").place_text, one(evs, "ASSAULT").location_source) == ("RAMADI", "dateline")
    assert one(evs, "COERCE").place_text is None


def test_no_places_no_location(nlp):
    ev = one(events_of(nlp, "Gunmen attacked a police checkpoint."), "ASSAULT")
    assert ev.location_source is None and ev.geonameid is None


def test_event_ids_are_stable_and_unique(nlp):
    text = "Rebels attacked a checkpoint. Police arrested five men. Rebels attacked a checkpoint."
    a, b = events_of(nlp, text), events_of(nlp, text)
    assert [e.event_id for e in a] == [e.event_id for e in b]
    assert len({e.event_id for e in a}) == len(a)


# ---------------------------------------------------------------- the seed article


@pytest.fixture(scope="module")
def seed_events(nlp):
    path = needs_shared("seed", "000_5159fb55c29d3481.txt")
    art = clean_doc(read_file(Path(path), path.name, 10**8).docs[0])
    # "Published May 20th, 2015 - 05:00 GMT": relative dates resolve against it
    assert art.published_at == datetime(2015, 5, 20, 5, 0, tzinfo=UTC)
    doc = nlp(art.text)
    mentions = [m for m, _ in extract_mentions(doc, art.article_id)]
    ctx = ArticleContext(art.article_id, art.published_at)
    return extract_events(doc, ctx, mentions, extract_places(doc, ctx, mentions))


def _find(events, etype, trigger_word, **checks):
    for e in events:
        ok = e.event_type == etype and trigger_word in e.trigger
        if ok and all(word in (getattr(e, k) or "") for k, word in checks.items()):
            return e
    raise AssertionError(
        f"no {etype} '{trigger_word}' {checks} in {[(e.event_type, e.trigger) for e in events]}"
    )


@pytest.mark.shared
def test_seed_executions_in_ramadi_on_monday(seed_events):
    ev = _find(seed_events, "ASSAULT", "executions", source_text="IS")
    assert ev.mode == "execute"
    assert ev.event_date == date(2015, 5, 18) and ev.date_precision == "day"
    # "in Ramadi" is the clause's own place (33.42 N, 43.31 E)
    assert (ev.place_text, ev.location_source, ev.country) == ("Ramadi", "clause", "IRQ")
    assert round(ev.latitude, 1) == 33.4 and round(ev.longitude, 1) == 43.3


@pytest.mark.shared
def test_seed_events_without_a_place_of_their_own_have_ramadi_as_article_place(seed_events):
    ev = _find(seed_events, "MOBILIZE", "gathering")
    assert (ev.place_text, ev.article_place) == (None, "Ramadi")


@pytest.mark.shared
def test_seed_capture_of_ramadi_and_of_the_command_centre(seed_events):
    _find(seed_events, "ASSAULT", "capture", target_text="Ramadi")
    ev = _find(seed_events, "ASSAULT", "captured", target_text="command centre")
    assert "IS" in ev.source_text and ev.aux_mode == "reported"


@pytest.mark.shared
def test_seed_threat_to_families(seed_events):
    _find(seed_events, "THREATEN", "threatened", target_text="families")


@pytest.mark.shared
def test_seed_iraqi_army_retreat(seed_events):
    _find(seed_events, "RETREAT", "retreat", source_text="Iraqi army")


@pytest.mark.shared
def test_seed_militias_gathering(seed_events):
    _find(seed_events, "MOBILIZE", "gathering", source_text="militias")


@pytest.mark.shared
def test_seed_is_marching_east_last_night(seed_events):
    ev = _find(seed_events, "MOBILIZE", "marching", source_text="IS")
    assert ev.event_date == date(2015, 5, 19)


@pytest.mark.shared
def test_seed_abadi_orders_forces_not_to_retreat(seed_events):
    ev = _find(seed_events, "REQUEST", "ordered", source_text="al-Abadi", target_text="forces")
    assert ev.source_actor_id is not None


@pytest.mark.shared
def test_seed_seizure_of_mosul_is_historical(seed_events):
    ev = _find(seed_events, "ASSAULT", "seized", target_text="city")
    assert ev.aux_mode == "historical" and ev.event_date == date(2014, 6, 1)


@pytest.mark.shared
def test_seed_any_offensive_is_hypothetical(seed_events):
    assert _find(seed_events, "ASSAULT", "offensive").aux_mode == "hypothetical"


def test_a_trigger_leaves_out_frame_words_far_from_the_event_word(nlp):
    from newsevents.tasks.extractors.events.extract import _trigger_tokens
    from newsevents.tasks.extractors.events.triggers import Candidate

    doc = nlp.make_doc("He landed in hot water last week by saying the judge is biased given his plan")
    far = Candidate("THREATEN", None, [doc[1], doc[15]], doc[1], [], [])
    assert [t.text for t in _trigger_tokens(far)] == ["plan"]
    near = Candidate("REQUEST", None, [doc[8], doc[9], doc[10]], doc[8], [], [])
    assert [t.text for t in _trigger_tokens(near)] == ["saying", "the", "judge"]
