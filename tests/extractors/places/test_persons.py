"""Person names are not places: real-style sentences where a person bears a place's name.

Each case names the text, the mentions that must not be geocoded (as written) and the places
that must still be found there, with their GeoNames ids.
"""

from __future__ import annotations

import pytest

from newsevents.tasks.extractors.actors.extract import extract_mentions
from newsevents.tasks.extractors.places import extract_places
from newsevents.tasks.records import ArticleContext

SEOUL, NEW_YORK, GETTYSBURG, MOSCOW, MEMPHIS, TBILISI = 1835848, 5128581, 4558183, 524901, 4641239, 611717
LONDON, DENVER, ORLANDO, LINCOLN_NE, LEEDS, GEORGIA = 2643743, 5419384, 4167147, 5072006, 2644688, 614540


def geocoded(nlp, text: str) -> dict[str, int | None]:
    doc = nlp(text)
    mentions = [m for m, _ in extract_mentions(doc, "a1")]
    return {p.text: p.geonameid for p in extract_places(doc, ArticleContext("a1"), mentions) if p.geonameid}


@pytest.mark.parametrize(
    "text, persons, places",
    [
        # a skater named after a country, then called by her first name alone
        (
            "Figure skater Georgia Stevens finished fourth in Seoul on Friday. "
            "Georgia said she was pleased with her jumps.",
            ["Georgia"],
            {"Seoul": SEOUL},
        ),
        # a woman whose surname is a city, then called by her surname
        (
            "Jessica Leeds, 74, told reporters she had flown in from New York. "
            "Leeds said the encounter lasted only minutes.",
            ["Leeds"],
            {"New York": NEW_YORK},
        ),
        # a president whose name is a town, and his possessive
        (
            "Abraham Lincoln's speech at Gettysburg is still read in schools. "
            "Lincoln delivered it in November 1863.",
            ["Lincoln"],
            {"Gettysburg": GETTYSBURG},
        ),
        # a title makes a person of a name that is also a village
        (
            "Ms Petrova, the team's captain, said training in Moscow had been hard.",
            ["Petrova"],
            {"Moscow": MOSCOW},
        ),
        # a president named like a city; the city he visited is still a place
        (
            "President Jackson flew into Memphis on Tuesday to meet farmers.",
            ["Jackson"],
            {"Memphis": MEMPHIS},
        ),
        # first names that are cities
        ("Chelsea Clinton spoke to supporters in Denver on Monday.", ["Chelsea"], {"Denver": DENVER}),
        ("Paris Jackson, 20, told reporters in London that she would sing.", ["Paris"], {"London": LONDON}),
        (
            "Sydney Leroux scored twice as the Pride beat Houston in Orlando.",
            ["Sydney"],
            {"Orlando": ORLANDO},
        ),
        # a footballer whose first name is a country, in a report that names no country
        ("Jordan Henderson captained the side. Jordan was booked in the first half.", ["Jordan"], {}),
        # the same name is a place when the text says so: a locative word before it
        (
            "Georgia Stevens trained for years in Tbilisi. "
            "Last week she flew back to Georgia for the trials.",
            [],
            {"Tbilisi": TBILISI, "Georgia": GEORGIA},
        ),
    ],
)
def test_person_names_are_not_geocoded(nlp, text, persons, places):
    got = geocoded(nlp, text)
    for name in persons:
        assert name not in got, (name, got)
    for name, gid in places.items():
        assert got.get(name) == gid, (name, got)


@pytest.mark.parametrize(
    "text, name, gid",
    [
        # no person bears the name in these articles: the towns stay places
        ("The storm flooded roads in Lincoln, Nebraska, on Sunday.", "Lincoln", LINCOLN_NE),
        ("Residents of Leeds voted on Thursday to keep the library open.", "Leeds", LEEDS),
        ("Russian troops moved into Georgia after talks collapsed.", "Georgia", GEORGIA),
    ],
)
def test_places_without_a_namesake_person_stay_places(nlp, text, name, gid):
    assert geocoded(nlp, text).get(name) == gid
