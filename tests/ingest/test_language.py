"""Language detection that never silently drops an English article (tasks/language.py)."""

from __future__ import annotations

import pytest

from newsevents.tasks.ingest.language import detect_language, normalize_language


@pytest.mark.parametrize(
    "text, declared, expected",
    [
        # Short English records are English or unknown, never another language.
        ("Police arrested three men in Delhi on Monday.", None, "en"),
        ("Floods displace thousands in Nigeria.", None, "en"),
        ("Gunmen kill 12 in Mali.", None, None),
        ("Obama wins.", None, None),
        ("Rain.", None, None),
        ("Rain.", "en", "en"),
        ("Gunmen kill 12 in Mali.", "en-GB", "en"),
        (
            "The minister said the talks would resume next week, and the opposition said it was "
            "ready to join them if the government released the detained activists.",
            "de",
            "en",
        ),
        # Other languages in long text, or in a script of their own even when short.
        (
            "Los ministros de Asuntos Exteriores de la Unión Europea acordaron el lunes imponer "
            "sanciones a veinticinco funcionarios bielorrusos por la represión de la oposición, "
            "según informó el jefe de la diplomacia comunitaria en una rueda de prensa.",
            None,
            "es",
        ),
        (
            "Die Außenminister der Europäischen Union haben sich am Montag auf neue Sanktionen "
            "gegen fünfundzwanzig Beamte geeinigt, teilte der Außenbeauftragte der Union mit. "
            "Die Regierung in Minsk verurteilte die Entscheidung als Einmischung.",
            None,
            "de",
        ),
        ("外国专家：中美合作共赢符合国际社会利益", None, "zh"),
        ("Восемь человек погибли при пожаре в Москве.", None, "ru"),
        # A short Latin-script sentence in another language: unsure, so the declared code or None.
        ("Merkel und Macron treffen sich in Berlin.", None, None),
        ("Merkel und Macron treffen sich in Berlin.", "de", "de"),
    ],
)
def test_detect_language(text, declared, expected):
    assert detect_language(text, declared) == expected


@pytest.mark.parametrize(
    "value, expected", [("en-US", "en"), ("en_GB", "en"), ("FR", "fr"), ("english", None), (None, None)]
)
def test_normalize_language(value, expected):
    assert normalize_language(value) == expected
