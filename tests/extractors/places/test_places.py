"""Places: mention finding, disambiguation by article context, and the output rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from newsevents.tasks.extractors.places.gazetteer import ADMIN1, CAPITAL, COUNTRY, fold
from newsevents.tasks.extractors.places.resolve import (
    DEMONYM,
    IN_NAME,
    NAME,
    PlaceMention,
    extract_places,
    focal_place,
    load_places_config,
    places_gazetteer,
    resolve_mentions,
)
from newsevents.tasks.records import ActorMention, ArticleContext, Place
from tests.conftest import SAMPLES, needs_shared

RAMADI, BAGHDAD, MOSUL, IRAQ, TEHRAN = 98717, 98182, 99072, 99237, 112931
USA, WASHINGTON_DC, GEORGIA_US, GEORGIA = 6252001, 4140963, 4197000, 614540


@pytest.fixture(scope="module")
def gaz():
    return places_gazetteer(load_places_config())


def places_of(nlp, text: str, mentions=()) -> list[Place]:
    return extract_places(nlp(text), ArticleContext("a1"), list(mentions))


def resolved(places: list[Place]) -> dict[str, int | None]:
    return {p.text: p.geonameid for p in places}


@pytest.mark.parametrize(
    "text, expected",
    [
        # the seed article's places
        ("Jihadis captured Ramadi, less than 70 miles from Baghdad.", {"Ramadi": RAMADI, "Baghdad": BAGHDAD}),
        ("Iraqi forces lost Mosul to IS last June.", {"Iraqi": IRAQ, "Mosul": MOSUL}),
        ("We're in for a very long summer of fighting in Iraq.", {"Iraq": IRAQ}),
        ("The fighters are backed by Tehran and the militias of Baghdad.", {"Tehran": TEHRAN}),
        # aliases neither package spells; "US" is not the French village Us
        ("Any offensive will be backed by US air strikes.", {"US": USA}),
        ("The U.S. embassy in Baghdad was closed.", {"U.S.": USA}),
        # a capital beats the state and the English town of the same name
        ("Thousands marched in Washington on Saturday.", {"Washington": WASHINGTON_DC}),
        # "Paris, Texas": the qualifier picks the state's Paris over the French capital
        ("The storm hit Paris, Texas, on Sunday night.", {"Paris": 4717560}),
        # a state as news style abbreviates it, also as a qualifier
        ("The suspect was arrested in Austin, Tex., on Friday.", {"Austin": 4671654, "Tex.": 4736286}),
        # a demonym is a country before it is the town of Canadian, Texas
        ("Canadian police said the border was closed.", {"Canadian": 6251999}),
        # the parts of a hyphenated compound
        ("Many Russian-European projects were frozen.", {"Russian": 2017370}),
        # a major place the model labels an organisation
        ("He asked for direct flights between London and Harare.", {"Harare": 890299}),
        # "New York" is the short name of New York City, not the state
        ("Police in New York said the suspect fled.", {"New York": 5128581}),
    ],
)
def test_places_in_sentences(nlp, text, expected):
    got = resolved(places_of(nlp, text))
    for name, gid in expected.items():
        assert got.get(name) == gid, (name, got)


@pytest.mark.parametrize(
    "text, absent",
    [
        # part of a person's name, not a place
        ("Jordan Henderson scored twice for Liverpool on Sunday.", "Jordan"),
        # "Miss." abbreviates Mississippi; "Miss Smith" is no place
        ("Miss Smith told the court she had never seen him.", "Miss"),
    ],
)
def test_names_inside_org_or_person_are_not_places(nlp, text, absent):
    assert all(absent not in p.text or p.text != absent for p in places_of(nlp, text))
    assert absent not in resolved(places_of(nlp, text))


@pytest.mark.parametrize(
    "text, name, gid, country",
    [
        # a place inside an organisation's name is a row of kind in_name, resolved like any other
        ("The Washington Post reported the attack on Monday.", "Washington", WASHINGTON_DC, "USA"),
        ("She studied geology at the University of Texas before moving abroad.", "Texas", 4736286, "USA"),
        ("He began his career at the Bank of England in the 1990s.", "England", 6269131, "GBR"),
        # a demonym inside a name resolves to its country
        ("The Syrian Observatory for Human Rights said 20 people died.", "Syrian", 163843, "SYR"),
    ],
)
def test_places_inside_names_are_in_name_rows(nlp, text, name, gid, country):
    rows = [p for p in places_of(nlp, text) if p.text == name]
    assert len(rows) == 1 and rows[0].kind == IN_NAME, rows
    assert (rows[0].geonameid, rows[0].country) == (gid, country)


@pytest.mark.parametrize(
    "text, absent",
    [
        # a word that only modifies another is not split off ("Latin America" is not the US)
        ("Prices rose across Latin America last year.", "America"),
        # a town inside a name counts only when it stands out or the article names it elsewhere
        ("Wells Fargo raised its forecast on Tuesday.", "Fargo"),
        # a river or street named after a place is not in it
        ("Barges were stranded on the Mississippi River in August.", "Mississippi"),
    ],
)
def test_names_that_hold_no_place(nlp, text, absent):
    assert absent not in {p.text for p in places_of(nlp, text) if p.geonameid}


def test_first_level_divisions_outside_the_us(nlp):
    text = "Floods hit Punjab, where rescuers worked from Lahore and Multan. Ontario sent aid."
    got = resolved(places_of(nlp, text))
    assert got["Punjab"] == 1167710  # Pakistan's Punjab: Lahore and Multan are in Pakistan
    assert got["Ontario"] == 6093943
    assert (
        resolved(places_of(nlp, "Flooding closed roads across KwaZulu-Natal on Monday."))["KwaZulu-Natal"]
        == 972062
    )


def test_dateline_is_a_place_and_context(nlp):
    # the actors step may read a dateline capital as a government ("Hanoi (VNA) - ..."); it is where
    # the story was filed, and its country helps the rest of the article
    text = "Hanoi (VNA) - Vietnam supports a greater role for Russia in the region."
    metonym = ActorMention("a1", "x", "Hanoi", 0, 5, "GPE", metonym=True)
    got = resolved(places_of(nlp, text, [metonym]))
    assert got["Hanoi"] == 1581130


def test_country_points_are_geonames_own(gaz):
    usa, canada = gaz.country("USA"), gaz.country("CAN")
    assert (usa.latitude, usa.longitude) == (39.76, -98.5)
    assert (canada.latitude, canada.longitude) == (60.10867, -113.64258)


def test_government_metonym_is_not_a_place(nlp):
    # "putting Washington in the uncomfortable position": the actors step flags it as the US government
    text = "Any offensive will be backed by US air strikes, putting Washington in an awkward position."
    start = text.index("Washington")
    metonym = ActorMention("a1", "x", "Washington", start, start + len("Washington"), "GPE", metonym=True)
    got = resolved(places_of(nlp, text, [metonym]))
    assert "Washington" not in got and got["US"] == USA
    # without the flag it is a place
    assert resolved(places_of(nlp, text))["Washington"] == WASHINGTON_DC


@pytest.mark.parametrize(
    "text, name, expected",
    [
        # the other places of the article decide which Georgia
        ("Protesters marched in Atlanta and Savannah, the largest cities of Georgia.", "Georgia", GEORGIA_US),
        ("Russian troops shelled Tbilisi and Gori, deep inside Georgia.", "Georgia", GEORGIA),
        # a London next to Ontario places is the Canadian one
        ("Police in Toronto, Hamilton and Windsor said the suspect fled to London.", "London", 6058560),
        ("Police in Manchester, Leeds and Bristol said the suspect fled to London.", "London", 2643743),
    ],
)
def test_ambiguous_names_resolved_by_article_context(nlp, text, name, expected):
    assert resolved(places_of(nlp, text))[name] == expected


def test_unresolvable_mention_kept_with_null_coordinates(gaz):
    cfg = load_places_config()
    found = [
        PlaceMention(0, 6, "Ramadi", "ramadi"),
        PlaceMention(10, 24, "Zqxwv Crossing", fold("Zqxwv Crossing")),
        PlaceMention(30, 37, "Baghdad", "baghdad"),
        PlaceMention(40, 45, "Iraqi", "iraqi", DEMONYM),
    ]
    entries = resolve_mentions(found, gaz, cfg)
    assert [e.geonameid if e else None for e in entries] == [RAMADI, None, BAGHDAD, IRAQ]


@pytest.mark.parametrize(
    "text, unresolved, other, other_id",
    [
        # no gazetteer entry is named "Green Zone"
        ("Militants from Daesh shelled the Green Zone in Baghdad.", "Green", "Baghdad", BAGHDAD),
    ],
)
def test_unresolvable_mention_row_does_not_stop_the_others(nlp, text, unresolved, other, other_id):
    by_text = {p.text.split()[0]: p for p in places_of(nlp, text)}
    assert by_text[unresolved].geonameid is None and by_text[unresolved].latitude is None
    assert by_text[other].geonameid == other_id and by_text[other].latitude is not None


def test_rows_carry_country_feature_class_admin1_and_kind(nlp):
    text = "Iraqi officials met in Dallas, Texas, before flying to Baghdad."
    by_text = {p.text: p for p in places_of(nlp, text)}
    assert by_text["Iraqi"].kind == DEMONYM and by_text["Iraqi"].country == "IRQ"
    dallas = by_text["Dallas"]
    assert (dallas.geonameid, dallas.country, dallas.feature_class, dallas.admin1) == (
        4684888,
        "USA",
        "P",
        "Texas",
    )
    assert by_text["Texas"].feature_class == "A" and by_text["Texas"].admin1 == "Texas"
    assert by_text["Baghdad"].kind == NAME and by_text["Baghdad"].country == "IRQ"
    for p in by_text.values():
        assert text[p.start : p.end] == p.text


def test_unlabelled_proper_noun_found_through_the_gazetteer(nlp):
    doc = nlp("Fighters moved from Fallujah towards Ramadi overnight.")
    labelled = {e.text for e in doc.ents}
    got = resolved(extract_places(doc, ArticleContext("a1"), []))
    assert got.get("Ramadi") == RAMADI and got.get("Fallujah") == 99454, (labelled, got)


def test_gazetteer_index(gaz):
    assert fold("São Paulo") == "sao paulo" and fold("U.S.") == "us" and fold("St. Louis") == "st louis"
    baghdad = next(e for e, _ in gaz.candidates("baghdad") if e.geonameid == BAGHDAD)
    assert baghdad.feature_code == CAPITAL and baghdad.country == "IRQ"
    assert gaz.country("USA").feature_code == COUNTRY and gaz.country("USA").latitude is not None
    assert gaz.demonym("american").country == "USA"  # not American Samoa
    assert gaz.demonym("british").country == "GBR"  # countryinfo also files Wales under GBR
    texas = next(e for e, _ in gaz.candidates("texas") if e.feature_code == ADMIN1)
    assert 29 < texas.latitude < 34 and -102 < texas.longitude < -97  # near the state's centre


def test_places_config_refuses_unknown_keys():
    import tomllib

    from pydantic import ValidationError

    from newsevents.tasks.config import default_lexicons
    from newsevents.tasks.extractors.places.lexicon import PlacesConfig

    data = tomllib.loads(default_lexicons().places.read_text(encoding="utf-8"))
    data["weights"]["populaton"] = 1.0
    with pytest.raises(ValidationError, match="populaton"):
        PlacesConfig.model_validate(data)


def test_focal_place_is_the_most_mentioned_specific_place():
    def p(text, gid, start, fc="P", kind=NAME):
        return Place("a", text, start, start + len(text), gid, 1.0, 1.0, "IRQ", fc, None, kind)

    places = [
        p("Iraqi", IRAQ, 0, "A", DEMONYM),
        p("Iraqi", IRAQ, 10, "A", DEMONYM),
        p("Iraqi", IRAQ, 20, "A", DEMONYM),
        p("Iraq", IRAQ, 30, "A"),
        p("Baghdad", BAGHDAD, 40),
        p("Ramadi", RAMADI, 50),
        p("Ramadi", RAMADI, 60),
        p("Iraq", IRAQ, 70, "A"),
        Place("a", "Daesh", 80, 85),
        p("Baghdad", BAGHDAD, 90, kind=IN_NAME),  # "Baghdad Post": a place inside a name
        p("Baghdad", BAGHDAD, 100, kind=IN_NAME),
    ]
    assert focal_place(places).geonameid == RAMADI  # demonyms and names do not count; a town beats a tie
    assert focal_place([Place("a", "Daesh", 0, 5)]) is None


@pytest.mark.shared
def test_seed_article(nlp):
    path = needs_shared("seed", "000_5159fb55c29d3481.txt")
    text = path.read_text(encoding="utf-8")
    doc = nlp(text)
    start = text.index("putting Washington") + len("putting ")
    metonym = ActorMention("seed", "x", "Washington", start, start + 10, "GPE", metonym=True)
    places = extract_places(doc, ArticleContext("seed"), [metonym])
    ids = {p.text: p.geonameid for p in places if p.geonameid}
    assert ids["Ramadi"] == RAMADI and ids["Baghdad"] == BAGHDAD and ids["Mosul"] == MOSUL
    assert ids["Iraq"] == IRAQ and ids["Tehran"] == TEHRAN
    assert "Washington" not in {p.text for p in places}
    assert focal_place(places).geonameid == RAMADI


@pytest.mark.shared
def test_geowebnews_sample_accuracy(nlp):
    """Twenty GeoWebNews articles: exact-offset matches must mostly carry the gold id and country."""
    path = needs_shared("gold", "geoparsing", "GWN.xml")
    gaz = places_gazetteer(load_places_config())
    checked = exact = same_country = 0
    for art in list(ET.parse(path).getroot().iter("article"))[:20]:
        text = art.findtext("text") or ""
        places = {(p.start, p.end): p for p in extract_places(nlp(text), ArticleContext("g"), [])}
        for top in art.iterfind("toponyms/toponym"):
            gid = top.findtext("geonamesID")
            key = (int(top.findtext("start") or -1), int(top.findtext("end") or -1))
            p = places.get(key)
            if not gid or p is None or p.geonameid is None:
                continue
            checked += 1
            exact += p.geonameid == int(gid)
            gold = [e for e, _ in gaz.candidates(fold(p.text)) if e.geonameid == int(gid)]
            same_country += (bool(gold) and gold[0].country == p.country) or p.geonameid == int(gid)
    assert checked >= 100
    assert exact / checked >= 0.8 and same_country / checked >= 0.85, (checked, exact, same_country)


def test_pipeline_writes_places(tmp_path, cfg, nlp):
    from tests.stages.test_stages import run_stages

    root = tmp_path / "out"
    run_stages(SAMPLES, root, cfg)
    arts = pd.read_parquet(root / "articles").set_index("article_id")
    places = pd.read_parquet(root / "places")
    assert len(places) > 5 and places.geonameid.notna().any()
    for p in places.itertuples():
        assert arts.loc[p.article_id, "text"][p.start : p.end] == p.text
    assert set(places.kind) <= {NAME, DEMONYM, IN_NAME}
