"""Claims: one table per rule (short news-style sentences), speakers, offsets, fixtures."""

from __future__ import annotations

import json
import tomllib

import pytest

from newsevents.tasks.config import default_lexicons
from newsevents.tasks.extractors.actors.extract import extract_mentions
from newsevents.tasks.extractors.claims.article import (
    ANONYMOUS,
    DIRECT,
    INDIRECT,
    MIXED,
    NAMED,
    NOMINAL,
    PRONOUN,
)
from newsevents.tasks.extractors.claims.extract import extract_claims
from newsevents.tasks.extractors.claims.rules import load_rules, rules_from_toml
from newsevents.tasks.records import ActorMention, ArticleContext
from tests.conftest import needs_shared


def claims_of(nlp, text, mentions=None):
    doc = nlp(text)
    if mentions is None:
        mentions = [m for m, _ in extract_mentions(doc, "t")]
    return extract_claims(doc, ArticleContext("t"), mentions)


def assert_offsets(text, claims):
    for c in claims:
        assert c.content == " ".join(text[a:b] for a, b in c.content_parts)
        assert (c.content_start, c.content_end) == (c.content_parts[0][0], c.content_parts[-1][1])
        if c.cue is not None:
            assert text[c.cue_start : c.cue_end] == c.cue


# ------------------------------------------------------------------------------------ lexicon


def test_lexicon_refuses_unknown_keys():
    with open(default_lexicons().claims, "rb") as fh:
        data = tomllib.load(fh)
    data["quotes"]["min_wrods"] = 2
    with pytest.raises(ValueError, match="min_wrods"):
        rules_from_toml(data)


def test_lexicon_is_loaded_once():
    assert load_rules() is load_rules()
    assert load_rules().verb_forms["told"] == "tell"


# ------------------------------------------------------------------------------- direct quotes


@pytest.mark.parametrize(
    "text, speaker, cue, content",
    [
        # colon introduction
        (
            "Senator Maria Lopez said: “The bill will pass before the summer recess.”",
            "Senator Maria Lopez",
            "said",
            "The bill will pass before the summer recess.",
        ),
        # quote-first inversion
        (
            "‘To read too much into this vote is simply a mistake,’ said spokesman Colonel John Ward.",
            "spokesman Colonel John Ward",
            "said",
            "To read too much into this vote is simply a mistake",
        ),
        # quote first, speaker before the verb
        (
            "“The bill will pass before the summer recess,” Senator Maria Lopez said.",
            "Senator Maria Lopez",
            "said",
            "The bill will pass before the summer recess",
        ),
        # comma introduction
        (
            'The minister told reporters, "We are not leaving."',
            "The minister",
            "told",
            "We are not leaving.",
        ),
        # a question needs no comma before its cue; an unlisted cue verb still cues its quote
        ('"Where are the ballots?" he asked.', "he", "asked", "Where are the ballots?"),
        ('"Nobody saw this coming," she quipped.', "she", "quipped", "Nobody saw this coming"),
        # split quote: one sentence interrupted by its cue is one claim of the quoted words
        (
            "“The bill,” she said, “will pass before the summer recess.”",
            "she",
            "said",
            "The bill will pass before the summer recess.",
        ),
        # the speaker phrase holds a quoted title
        (
            "“We must reach new voters,” wrote the authors of the “Growth and Opportunity” report.",
            "the authors of the “Growth and Opportunity” report",
            "wrote",
            "We must reach new voters",
        ),
        # the cue ends the previous paragraph with a colon
        (
            "The governor told the assembly:\n\n“We will rebuild every school that the floods destroyed.”",
            "The governor",
            "told",
            "We will rebuild every school that the floods destroyed.",
        ),
    ],
)
def test_direct_quotes(nlp, text, speaker, cue, content):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    direct = [c for c in claims if c.kind == DIRECT]
    assert [(c.speaker, c.cue, c.content) for c in direct] == [(speaker, cue, content)]


def test_continuing_quote_in_next_paragraph_inherits_speaker(nlp):
    text = (
        "Maria Lopez arrived late.\n\n"
        "“We will not back down,” she said.\n\n"
        "“Nobody will stop us from voting on Tuesday.”"
    )
    claims = claims_of(nlp, text)
    assert [c.content for c in claims] == [
        "We will not back down",
        "Nobody will stop us from voting on Tuesday.",
    ]
    first, second = claims
    assert second.speaker == first.speaker == "she"
    assert second.speaker_actor_id == first.speaker_actor_id is not None
    assert second.cue == "said" and second.cue_start == first.cue_start


def test_quotes_of_one_paragraph_join_one_claim(nlp):
    text = "“We will not back down,” she said. “The vote is on Tuesday.”"
    (claim,) = claims_of(nlp, text)
    assert claim.content == "We will not back down The vote is on Tuesday." and claim.speaker == "she"
    assert [text[a:b] for a, b in claim.content_parts] == ["We will not back down", "The vote is on Tuesday."]


def test_quote_continues_the_nearest_claim(nlp):
    # The paragraph after her quote moves on to the mayor's reported claim: the next quote is
    # his, and joins his claim in the same paragraph.
    text = (
        "“We will not back down,” she said.\n\n"
        "But the mayor said the vote would be delayed. “The hall is not ready for the public.”"
    )
    claims = claims_of(nlp, text)
    assert [(c.speaker, c.kind) for c in claims] == [("she", DIRECT), ("the mayor", MIXED)]
    assert claims[-1].content == "the vote would be delayed “The hall is not ready for the public.”"


def test_quote_after_unrelated_narrative_is_not_attributed(nlp):
    text = (
        "“We will not back down,” she said.\n\n"
        "The council met on Monday. Its members voted twice.\n\n"
        "“The hall is not ready for the public.”"
    )
    claims = claims_of(nlp, text)
    assert [c.content for c in claims] == ["We will not back down"]


def test_multi_paragraph_quote_is_one_claim(nlp):
    text = (
        "Professor Jane Hale said: ‘Baghdad is in some ways already surrounded.\n\n"
        "‘We’re in for a very long summer of fighting.\n\n"
        "‘And this is what they want.’"
    )
    (claim,) = claims_of(nlp, text)
    assert claim.kind == DIRECT and claim.speaker == "Professor Jane Hale"
    assert [text[a:b] for a, b in claim.content_parts] == [
        "Baghdad is in some ways already surrounded.",
        "We’re in for a very long summer of fighting.",
        "And this is what they want.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        'Burton thinks that cats are "cuties".',  # scare quote
        'His favourite book is "One Hundred Years of Solitude".',  # title
        "The so-called ‘peace plan’ was never published.",
    ],
)
def test_words_quoted_inside_a_sentence_are_not_direct_claims(nlp, text):
    assert not [c for c in claims_of(nlp, text) if c.kind == DIRECT]


def test_cue_inside_a_quote_is_not_a_claim_of_its_own(nlp):
    text = "“I think the deal is dead and I know they agree,” the senator said."
    claims = claims_of(nlp, text)
    assert [(c.kind, c.cue) for c in claims] == [(DIRECT, "said")]


def test_unbalanced_quote_keeps_the_rest_of_the_article(nlp):
    text = (
        'The council said "it would review the plan.\n\n'
        "Residents protested outside the hall on Monday.\n\n"
        "“We were never consulted,” said Ann Moss, a shop owner.\n\n"
        "The mayor said the plan would go ahead."
    )
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    speakers = {c.speaker for c in claims}
    assert "Ann Moss, a shop owner" in speakers and "The mayor" in speakers


# ----------------------------------------------------------------------------- reported speech


@pytest.mark.parametrize(
    "text, kind, speaker, cue, content",
    [
        (
            "The minister told reporters that the talks would resume on Monday.",
            INDIRECT,
            "The minister",
            "told",
            "that the talks would resume on Monday",
        ),
        (
            "US Secretary of State John Kerry said he remained confident of winning the fight.",
            INDIRECT,
            "US Secretary of State John Kerry",
            "said",
            "he remained confident of winning the fight",
        ),
        (
            "The talks will resume on Monday, the minister said.",
            INDIRECT,
            "the minister",
            "said",
            "The talks will resume on Monday",
        ),
        # the cue interrupting its content: the clause without the cue
        (
            "The talks, the minister said, will resume on Monday.",
            INDIRECT,
            "the minister",
            "said",
            "The talks will resume on Monday",
        ),
        (
            "According to the United Nations, more than 2,000 people have fled the town.",
            INDIRECT,
            "the United Nations",
            "According to",
            "more than 2,000 people have fled the town",
        ),
        (
            "More than 2,000 people have fled the town, according to the United Nations.",
            INDIRECT,
            "the United Nations",
            "according to",
            "More than 2,000 people have fled the town",
        ),
        # a passive attribution names nobody
        (
            "Rebel fighters were said to be advancing on the capital.",
            INDIRECT,
            None,
            "were said",
            "Rebel fighters were said to be advancing on the capital",
        ),
        # mixed: reported speech holding quoted words
        (
            "The army said it had ‘cleared the entire district’ of militants.",
            MIXED,
            "The army",
            "said",
            "it had ‘cleared the entire district’ of militants",
        ),
        # the subject the parser took for the cue's object is content
        (
            "Analysts fear the fall of the port, a lifeline for the north, leaves the city without fuel.",
            INDIRECT,
            "Analysts",
            "fear",
            "the fall of the port, a lifeline for the north, leaves the city without fuel",
        ),
        # a participle takes the subject of its clause; a statement speaks for its issuer
        (
            "The ministry issued a statement saying that the border would stay closed.",
            INDIRECT,
            "The ministry",
            "saying",
            "that the border would stay closed",
        ),
        (
            "The opposition called for an independent inquiry into the shooting.",
            INDIRECT,
            "The opposition",
            "called for",
            "an independent inquiry into the shooting",
        ),
        (
            "The company denied the allegations of fraud.",
            INDIRECT,
            "The company",
            "denied",
            "the allegations of fraud",
        ),
        (
            "The governor promised to rebuild every school.",
            INDIRECT,
            "The governor",
            "promised",
            "to rebuild every school",
        ),
        (
            "Her claim that the election was rigged drew criticism.",
            INDIRECT,
            "Her",
            "claim",
            "that the election was rigged",
        ),
    ],
)
def test_reported_speech(nlp, text, kind, speaker, cue, content):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    assert (kind, speaker, cue, content) in [(c.kind, c.speaker, c.cue, c.content) for c in claims]


@pytest.mark.parametrize(
    "text",
    [
        "Video posted online showed soldiers leaving the city.",  # no speaker: a parse, not a claim
        "The governor said so.",  # no content worth a claim
        "He decided to stay home.",  # a decision is an event, not a statement
    ],
)
def test_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_transcript_labels(nlp):
    text = (
        "Maria Lopez spoke to Tom Green on the radio.\n\n"
        "GREEN: Will the bill pass before the summer?\n\n"
        "LOPEZ: We will not back down on this bill.\n\n"
        "Note: the interview was edited."
    )
    claims = claims_of(nlp, text)
    labelled = [(c.speaker, c.cue, c.content) for c in claims if c.cue == ":"]
    assert labelled == [
        ("GREEN", ":", "Will the bill pass before the summer?"),
        ("LOPEZ", ":", "We will not back down on this bill."),
    ]
    lopez = next(c for c in claims if c.speaker == "LOPEZ")
    assert lopez.speaker_actor_id is not None and lopez.kind == DIRECT


# ---------------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    "text, attribution",
    [
        ("Sources said the deal was close.", ANONYMOUS),
        ("A source close to the talks said both sides had agreed on a ceasefire.", ANONYMOUS),
        ("Reports suggest the militants have threatened families.", ANONYMOUS),
        ("Experts fear the floods will spread to the coast.", ANONYMOUS),
        ("Officials in Nairobi said the floods would spread to the coast.", ANONYMOUS),
        ("Maria Lopez flew in. She said the floods would spread to the coast.", PRONOUN),
        # a pronoun nobody before it can be
        ("She said the floods would spread to the coast.", ANONYMOUS),
        ("The spokesman said the floods would spread to the coast.", NOMINAL),
        ("Maria Lopez said the floods would spread to the coast.", NAMED),
    ],
)
def test_attribution(nlp, text, attribution):
    (claim,) = claims_of(nlp, text)
    assert claim.attribution == attribution
    if attribution == ANONYMOUS:
        assert claim.speaker_actor_id is None


def _mention(text, name, label, actor_id, role=None):
    start = text.index(name)
    return ActorMention("t", actor_id, name, start, start + len(name), label, role)


def test_pronoun_resolves_to_nearest_earlier_compatible_mention(nlp):
    text = (
        "Maria Lopez met the Acme Corporation board and Tom Green.\n\n"
        "He said the merger would go ahead. It said the merger was under review."
    )
    mentions = [
        _mention(text, "Maria Lopez", "PERSON", "lopez"),
        _mention(text, "Acme Corporation", "ORG", "acme"),
        _mention(text, "Tom Green", "PERSON", "green"),
    ]
    claims = claims_of(nlp, text, mentions)
    by_speaker = {c.speaker: c.speaker_actor_id for c in claims}
    assert by_speaker == {"He": "green", "It": "acme"}


def test_title_resolves_through_the_role_next_to_a_name(nlp):
    text = (
        "Colonel John Ward, the army spokesman, visited the base.\n\n"
        "The spokesman said the troops would stay until June."
    )
    mentions = [_mention(text, "John Ward", "PERSON", "ward")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.attribution == NOMINAL and claim.speaker_actor_id == "ward"


def test_voice_of_a_named_actor(nlp):
    text = "An Acme statement said the plant would close."
    mentions = [_mention(text, "Acme", "ORG", "acme")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker == "An Acme statement"
    assert claim.attribution == NAMED and claim.speaker_actor_id == "acme"


def test_surname_resolves_to_the_full_name_seen_earlier(nlp):
    text = "Maria Lopez chairs the committee.\n\n“We will vote on Tuesday,” Lopez said."
    mentions = [_mention(text, "Maria Lopez", "PERSON", "lopez")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker == "Lopez" and claim.speaker_actor_id == "lopez"


def test_relative_pronoun_is_the_speaker_as_written_and_resolves_to_its_noun(nlp):
    text = "The bill was drafted by Maria Lopez, who said it would cut fuel taxes by half."
    mentions = [_mention(text, "Maria Lopez", "PERSON", "lopez")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker == "who" and claim.attribution == PRONOUN
    assert claim.speaker_actor_id == "lopez"


def test_claim_ids_are_stable_and_unique(nlp):
    text = "Sources said the deal was close. The minister said talks would resume."
    first = claims_of(nlp, text)
    again = claims_of(nlp, text)
    assert [c.claim_id for c in first] == [c.claim_id for c in again]
    assert len({c.claim_id for c in first}) == len(first) == 2


# ------------------------------------------------------------------- shared quote fixtures


def _claim_fixtures() -> list[dict]:
    path = needs_shared("gold", "quotes", "quote_fixtures.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "quote span detection only" not in r["source"]]


MARKS = " \"“”‘’',"


def _shares_token(a: str | None, b: str) -> bool:
    return bool(set((a or "").lower().split()) & set(b.lower().replace(",", " ").split()))


@pytest.mark.shared
def test_quote_attribution_fixtures(nlp):
    """textacy, sayswho and CoreNLP attribution cases. A speaker's quotes in one paragraph are
    one claim here (PolNeAR's convention), so an expected quote is found inside a claim."""
    fixtures = _claim_fixtures()
    assert len(fixtures) >= 15
    for row in fixtures:
        text = row["text"]
        doc = nlp(text)
        mentions = [m for m, _ in extract_mentions(doc, "t")]
        names = {m.actor_id: m.text for m in mentions}
        claims = extract_claims(doc, ArticleContext("t"), mentions)
        assert_offsets(text, claims)
        if not row["expected"]:
            assert not [c for c in claims if c.kind == DIRECT], text
        for exp in row["expected"]:
            found = [
                c
                for c in claims
                if ("content" not in exp or exp["content"].strip(MARKS) in c.content)
                and ("speaker" not in exp or _shares_token(c.speaker, exp["speaker"]))
                and ("cue" not in exp or c.cue == exp["cue"])
                and (
                    "canonical_speaker" not in exp
                    or names.get(c.speaker_actor_id, "") in exp["canonical_speaker"].split()
                    or names.get(c.speaker_actor_id) == exp["canonical_speaker"]
                )
            ]
            assert found, (text, exp, [(c.speaker, c.cue, c.content) for c in claims])


# ------------------------------------------------------------- issue 21: quoted words as content


def parts_of(text, claim):
    return [text[a:b] for a, b in claim.content_parts]


@pytest.mark.parametrize(
    "text, speaker, cue, parts",
    [
        # a quote its tag interrupts: one claim of the quoted parts, never the tag
        (
            "“The plan is dead,” the minister said, “and nobody in this cabinet will revive it.”",
            "the minister",
            "said",
            ["The plan is dead", "and nobody in this cabinet will revive it."],
        ),
        # two sentences of one speaker around the tag, the tag with a participle of its own
        (
            "“We will fight this bill,” Ms. Okafor said, referring to the new levy, “until the very end.”",
            "Ms. Okafor",
            "said",
            ["We will fight this bill", "until the very end."],
        ),
        (
            '"We are ready for the vote," said Jane Moss, who chairs the board. "It is on Friday."',
            "Jane Moss, who chairs the board",
            "said",
            ["We are ready for the vote", "It is on Friday."],
        ),
        # the quote first, its comma standing for the full stop the tag replaced
        (
            "“Prices will rise again this winter,” she warned.",
            "she",
            "warned",
            ["Prices will rise again this winter"],
        ),
        # a quote over three paragraphs: each paragraph's words, without the mark reopening it
        (
            "Dr. Ines Ward said: “The bridge is safe.\n\n“The cracks are old.\n\n“We will watch them.”",
            "Dr. Ines Ward",
            "said",
            ["The bridge is safe.", "The cracks are old.", "We will watch them."],
        ),
        # a quote signed with a dash and a name
        (
            "“We need better schools in this valley.” ― Ana Ruiz",
            "Ana Ruiz",
            "―",
            ["We need better schools in this valley."],
        ),
    ],
)
def test_direct_content_is_the_quoted_words(nlp, text, speaker, cue, parts):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    (claim,) = [c for c in claims if c.kind == DIRECT]
    assert (claim.speaker, claim.cue, parts_of(text, claim)) == (speaker, cue, parts)
    assert claim.content == " ".join(parts)
    assert claim.content_start == text.index(parts[0])
    assert claim.content_end == text.index(parts[-1]) + len(parts[-1])


def test_cue_inside_its_clause_is_cut_out(nlp):
    text = "The new tax, the finance minister said on Tuesday, will take effect in June."
    (claim,) = claims_of(nlp, text)
    assert parts_of(text, claim) == ["The new tax", "will take effect in June"]
    assert claim.content == "The new tax will take effect in June" and claim.cue == "said"


def test_claim_parts_are_stored_as_offsets(nlp):
    from newsevents.tasks.store.schema import CLAIMS, to_table

    text = "“The plan is dead,” the minister said, “and nobody will revive it.”"
    table = to_table(claims_of(nlp, text), CLAIMS, run_id="r", extractor_version="v")
    (row,) = table.to_pylist()
    assert [(p["start"], p["end"]) for p in row["content_parts"]] == [
        (text.index("The plan"), text.index(",”")),
        (text.index("and nobody"), len(text) - 1),
    ]


# ------------------------------------------------------------------- issue 21: not statements


@pytest.mark.parametrize(
    "text",
    [
        # an indirect question, and a cue inside one
        "The mayor did not say whether she would run again next year.",
        "Members of the club debated whether they should publicly support Donald Trump.",
        "Reporters asked why the vote on the dam had been delayed again.",
        # a direct question about a statement
        "Did the governor say that taxes would rise in the spring?",
        # a condition
        "If the council says the road is safe, the school buses will use it.",
        # purposes and appearances of verbs that say nothing
        "Mr. Weiner sought to resurrect his political career in the city.",
        "The senator seems to think the farm bill is dead.",
        # a summons to a place, and a place or a title in quotes
        "Police were called to the store on Kentucky 192 after the shooting.",
        'The march ended on "Liberty Road" near the old mill.',
        "In his 2002 book, ‘Make Your Kid a Millionaire,’ Mr. Kent gave advice to parents.",
        # a picture states nothing
        "The image shows a boy holding a flag outside the school.",
    ],
)
def test_non_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_a_question_among_statements_leaves_the_statements(nlp):
    text = "The mayor said the bridge would reopen in May. She did not say whether tolls would rise."
    assert [c.content for c in claims_of(nlp, text)] == ["the bridge would reopen in May"]


# ----------------------------------------------------- issue 21: the statement after the verb


@pytest.mark.parametrize(
    "text, speaker, cue, content",
    [
        # what the object is described as is the statement
        (
            "The police chief described the crime as ‘despicable’.",
            "The police chief",
            "described",
            "despicable",
        ),
        (
            "The union described the offer as an insult to every nurse.",
            "The union",
            "described",
            "an insult to every nurse",
        ),
        # the participle says the statement; the object of the first verb is none
        (
            "Republicans privately defend their strategy, insisting they had no choice but to back him.",
            "Republicans",
            "insisting",
            "they had no choice but to back him",
        ),
        (
            "The union criticized the plan, arguing that it would cut wages for night shifts.",
            "The union",
            "arguing",
            "that it would cut wages for night shifts",
        ),
        # a participle after a clause is a claim of its own, of the same speaker
        (
            "Analysts said the port mattered to the north, citing the fuel it brings in.",
            "Analysts",
            "citing",
            "the fuel it brings in",
        ),
    ],
)
def test_statement_after_the_verb(nlp, text, speaker, cue, content):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    assert (speaker, cue, content) in [(c.speaker, c.cue, c.content) for c in claims]
    # the object the statement is about is no claim of its own
    assert not [c for c in claims if c.content in ("their strategy", "the plan", "the crime")]


def test_clause_stops_before_a_participle_claim(nlp):
    text = "Analysts said the port mattered to the north, citing the fuel it brings in."
    said = next(c for c in claims_of(nlp, text) if c.cue == "said")
    assert said.content == "the port mattered to the north"


# -------------------------------------------------------------------------- issue 21: mixed


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The minister said the budget would be “balanced within two years”.", MIXED),
        ("Critics called the law “a gift to the polluters” on Monday.", MIXED),
        # a quote the content only ends in
        ("The mayor said the vote would be delayed because “the hall is not ready”.", MIXED),
        # one scare-quoted word, or a quoted title, is no partial quote
        ('Burton said that cats are "cuties" and dogs are not.', INDIRECT),
        ("The senator said the “Clean Water Act” would pass in June.", INDIRECT),
    ],
)
def test_partial_quotes_make_reported_speech_mixed(nlp, text, kind):
    (claim,) = claims_of(nlp, text)
    assert claim.kind == kind


# ------------------------------------------------------------------------ issue 21: speakers


def test_pronoun_takes_the_nearest_person_of_its_gender(nlp):
    text = "Maria Lopez met Tom Green on Monday.\n\nShe said the merger would go ahead."
    mentions = [
        _mention(text, "Maria Lopez", "PERSON", "lopez"),
        _mention(text, "Tom Green", "PERSON", "green"),
    ]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.attribution == PRONOUN and claim.speaker_actor_id == "lopez"


def test_pronoun_learns_gender_from_the_article(nlp):
    # Neither first name says it; "her" and "his" in a sentence naming one person do.
    text = (
        "Kerry Vance chaired the hearing with her staff. Robin Shah read his notes.\n\n"
        "Later she said the budget was short."
    )
    mentions = [
        _mention(text, "Kerry Vance", "PERSON", "vance"),
        _mention(text, "Robin Shah", "PERSON", "shah"),
    ]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker_actor_id == "vance"


def test_quote_tag_is_not_resolved_to_a_name_inside_the_quote(nlp):
    text = (
        "Donald Trump spoke to reporters in Ohio about Syria.\n\n"
        "“Assad is secondary to the fight against the militants,” he said."
    )
    mentions = [
        _mention(text, "Donald Trump", "PERSON", "trump"),
        ActorMention("t", "assad", "Assad", text.index("Assad"), text.index("Assad") + 5, "PERSON"),
    ]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker == "he" and claim.speaker_actor_id == "trump"


def test_pronoun_prefers_the_subject_over_a_nearer_object(nlp):
    text = "The president met Mr. Boris Klein in the capital.\n\nHe said the treaty was ready."
    mentions = [
        ActorMention("t", "president", "The president", 0, 13, "PERSON"),
        _mention(text, "Boris Klein", "PERSON", "klein"),
    ]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker_actor_id == "president"


def test_surname_that_is_a_place_resolves_to_the_person(nlp):
    text = "Lisa Monaco briefed reporters at the White House.\n\n“The threat is real,” Monaco said."
    at = text.rindex("Monaco")
    mentions = [
        _mention(text, "Lisa Monaco", "PERSON", "lisa-monaco"),
        ActorMention("t", "monaco-country", "Monaco", at, at + 6, "GPE"),
    ]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker == "Monaco" and claim.speaker_actor_id == "lisa-monaco"


def test_a_place_still_speaks_for_its_government(nlp):
    text = "Russia said the talks would resume in Geneva."
    mentions = [_mention(text, "Russia", "GPE", "russia")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker_actor_id == "russia" and claim.attribution == NAMED


def test_title_resolves_through_its_abbreviation(nlp):
    text = "Sen. Ted Cruz spoke at the rally.\n\nThe senator said the bill would fail in the House."
    mentions = [_mention(text, "Ted Cruz", "PERSON", "cruz")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.attribution == NOMINAL and claim.speaker_actor_id == "cruz"


@pytest.mark.parametrize(
    "text, mentioned",
    [
        # "they" with no group before it is nobody known, never the town
        (
            "Millbrook is a quiet town on the river.\n\nThey say the water has never been this high.",
            ["Millbrook"],
        ),
        ("Sources said the deal was close to being signed.", []),
    ],
)
def test_unknown_speakers_stay_anonymous(nlp, text, mentioned):
    mentions = [_mention(text, m, "GPE", m.lower()) for m in mentioned]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.attribution == ANONYMOUS and claim.speaker_actor_id is None


def test_unnamed_people_of_a_named_actor(nlp):
    text = "Pentagon officials said the troops would stay until June."
    mentions = [_mention(text, "Pentagon", "ORG", "pentagon")]
    (claim,) = claims_of(nlp, text, mentions)
    assert claim.speaker == "Pentagon officials" and claim.speaker_actor_id == "pentagon"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a one-word answer the cue introduces
        (
            "Asked whether he would run again, Mr. Hale shook his head and said, “No.”",
            [("Mr. Hale", "said", "No.")],
        ),
        # a second quote introduced by a verb of saying of its own is a claim of its own
        (
            "“We will not back down,” he said, adding, “We will win this case in the courts.”",
            [
                ("he", "said", "We will not back down"),
                ("he", "adding", "We will win this case in the courts."),
            ],
        ),
        # a participle claim after a dash
        (
            "Ms. Ortiz says the plan is sound — asserting that it will pay for itself within a decade.",
            [
                ("Ms. Ortiz", "says", "the plan is sound"),
                ("Ms. Ortiz", "asserting", "that it will pay for itself within a decade"),
            ],
        ),
        # the subject of a series of verbs the parser gave to the first one
        (
            "Mr. Hale summed up the mayor as “brave,” denounced the council and said the budget was a fraud.",
            [("Mr. Hale", "said", "the budget was a fraud")],
        ),
    ],
)
def test_tags_and_series(nlp, text, expected):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    found = [(c.speaker, c.cue, c.content) for c in claims]
    for item in expected:
        assert item in found, found


def test_semicolon_in_brackets_does_not_end_a_statement(nlp):
    text = "The Australian firm said it would only break even on the 1.2bn dollar (£458m; $874m) rebuild."
    (claim,) = claims_of(nlp, text)
    assert claim.content == "it would only break even on the 1.2bn dollar (£458m; $874m) rebuild"


def test_colon_before_quotes_leaves_the_narrative_after_them(nlp):
    text = (
        'The ombudsman said: "I would not be surprised to get a call from my bank. '
        '"So I would expect phone companies to do the same." BT says it is doing what it can.'
    )
    claims = claims_of(nlp, text)
    assert not [c for c in claims if "surprised" in c.content and "BT says" in c.content]
    assert ("BT", "says") in [(c.speaker, c.cue) for c in claims]


@pytest.mark.parametrize(
    "text",
    [
        "He talks a good game, and the words are backed up with actions.",
        "A meeting of party members is due to be held next week to discuss a replacement.",
        # a title whose words look like a cue
        "The fight centred on the unreleased track You Know You're Right, a favourite of fans.",
        # a date is nobody's plan
        "Ford is bringing a hybrid to market, with plans for three more models by 2008.",
    ],
)
def test_more_non_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_sentences_reopening_a_quote_are_one_quote(nlp):
    # The closing mark of each sentence left out, as when paragraphs are run together.
    text = (
        'Brad Adams said: "This is a signal from Europe that it will forget. '
        '"There are still thousands of people who are missing." Mr Straw disagreed.'
    )
    (claim,) = [c for c in claims_of(nlp, text) if c.kind == DIRECT]
    assert parts_of(text, claim) == [
        "This is a signal from Europe that it will forget.",
        "There are still thousands of people who are missing.",
    ]
    assert '"' not in claim.content


@pytest.mark.parametrize(
    "text, content",
    [
        # a conjunction the next claim's cut leaves behind
        (
            "The chairman said he was disappointed by the news and claimed the coach had been in talks.",
            "he was disappointed by the news",
        ),
    ],
)
def test_no_dangling_conjunction(nlp, text, content):
    assert content in [c.content for c in claims_of(nlp, text)]


def test_a_name_given_in_the_passive_is_no_claim(nlp):
    assert claims_of(nlp, "Earlier versions of the browser were called Phoenix and Firebird.") == []


# ---------------------------------------------------------------- reported speech, more shapes


@pytest.mark.parametrize(
    "text, speaker, content",
    [
        # an infinitive with a subject of its own is what is wanted or called for
        (
            "Democrats want the new refugees to settle in the northern states.",
            "Democrats",
            "the new refugees to settle in the northern states",
        ),
        (
            "The mayor is calling for the state to expand the bus network before the winter.",
            "The mayor",
            "the state to expand the bus network before the winter",
        ),
    ],
)
def test_infinitive_with_its_own_subject(nlp, text, speaker, content):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    assert [(c.speaker, c.content) for c in claims] == [(speaker, content)]


def test_according_to_leaves_a_clause_joined_after_it(nlp):
    text = (
        "Clinton leads Sanders by 200 delegates according to a count by the Associated Press, "
        "but the senator has vowed to fight on."
    )
    claims = {c.cue: c for c in claims_of(nlp, text)}
    assert claims["according to"].content == "Clinton leads Sanders by 200 delegates"
    assert claims["has vowed"].content == "to fight on"
    # with no conjunction, the clause after the phrase is what it vouches for
    text = "He crossed the border ten years ago after, according to him, the network censured his report."
    (claim,) = claims_of(nlp, text)
    assert claim.content.endswith("the network censured his report")


@pytest.mark.parametrize(
    "text, content",
    [
        # a relative clause or apposition set off by commas about a name is the writer's aside
        (
            "The senator did not suggest it would be Smith, who has a large lead over Jones.",
            "it would be Smith",
        ),
        (
            "The lawyer said that Baker, a former judge who has argued many cases, will do an "
            "excellent job on the court.",
            "that Baker will do an excellent job on the court",
        ),
        # not about a common noun, and not an apposition that ends the clause
        (
            "Officials said the storm, which hit the coast on Monday, caused little damage.",
            "the storm, which hit the coast on Monday, caused little damage",
        ),
        (
            "The coach said the winner was Smith, a newcomer from Ohio.",
            "the winner was Smith, a newcomer from Ohio",
        ),
    ],
)
def test_writers_aside_about_a_name_is_cut_out(nlp, text, content):
    (claim,) = claims_of(nlp, text)
    assert_offsets(text, [claim])
    assert claim.content == content


@pytest.mark.parametrize(
    "text, expected",
    [
        # a verb of saying coordinated after the content's verb is what the speaker did next
        (
            "The farmer did say he found the minister charming and called her plan a disgrace.",
            [
                ("The farmer", "did say", "he found the minister charming"),
                ("The farmer", "called", "her plan a disgrace"),
            ],
        ),
        # down a series of verbs, each hanging from the one before, with the first one's speaker
        (
            "Kasich says he would sit the leader down and tell him to stop, and tells the crowd he "
            "was the first to warn about the group.",
            [
                ("Kasich", "says", "he would sit the leader down"),
                ("Kasich", "tell", "him to stop"),
                ("Kasich", "tells", "he was the first to warn about the group"),
            ],
        ),
        # ... also past a verb that says nothing of its own
        (
            "Kasich says he would sit the leader down and tell him “no more nonsense” and tells the "
            "crowd he was the first to warn them.",
            [
                ("Kasich", "says", "he would sit the leader down and tell him “no more nonsense”"),
                ("Kasich", "tells", "he was the first to warn them"),
            ],
        ),
        # a participle claim after a closing quote mark and its comma
        (
            "Trump insisted that he has “grown the party,” claiming that he is responsible for the turnout.",
            [
                ("Trump", "insisted", "that he has “grown the party,”"),
                ("Trump", "claiming", "that he is responsible for the turnout"),
            ],
        ),
    ],
)
def test_what_the_speaker_said_next(nlp, text, expected):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    assert [(c.speaker, c.cue, c.content) for c in claims] == expected


def test_subordinate_clause_keeps_its_own_measured_subject(nlp):
    text = "In the poll, 56 percent said they would vote for Clinton, while 37 percent backed Sanders."
    claims = {c.cue: c for c in claims_of(nlp, text)}
    assert claims["said"].speaker == "56 percent"
    assert claims["backed"].speaker == "37 percent"


@pytest.mark.parametrize(
    "text, cue, content",
    [
        # what the object is taken for, with the object, after a verb of regarding
        (
            "Democrats see Clinton as the candidate with the better chance to win in November.",
            "see",
            "Clinton as the candidate with the better chance to win in November",
        ),
        # what a verb of portraying casts the object as
        (
            "Her aides cast the victory as a sign that her new message was working.",
            "cast",
            "a sign that her new message was working",
        ),
    ],
)
def test_verbs_of_regarding_and_portraying_with_as(nlp, text, cue, content):
    claims = claims_of(nlp, text)
    assert [(c.cue, c.content) for c in claims] == [(cue, content)]


@pytest.mark.parametrize(
    "text",
    [
        # without "as" they say nothing
        "The senator saw the new bridge from the train on Sunday.",
        "The director cast a young actor in the leading role.",
        # a verb that only tags quotes reports nothing of its own
        "The governor continues to turn his attention to the budget.",
    ],
)
def test_no_claim_without_as_or_a_quote(nlp, text):
    assert claims_of(nlp, text) == []


def test_continue_still_tags_a_quote(nlp):
    text = "“We will rebuild the bridge by June,” the mayor continued."
    (claim,) = claims_of(nlp, text)
    assert (claim.cue, claim.content) == ("continued", "We will rebuild the bridge by June")


@pytest.mark.parametrize(
    "text, speaker, cue, content",
    [
        # a that-clause the parser hung on a phrase between the cue and it
        (
            "The senator said following a vote in 2001 that he had “serious doubts about the goals of "
            "an increasingly powerful industry.”",
            "The senator",
            "said",
            "that he had “serious doubts about the goals of an increasingly powerful industry.”",
        ),
        # a name the parser made an apposition of an earlier noun is the subject of the verb after it
        (
            "On Tuesday, while on the trail for his wife, former president Bill Clinton said his wife "
            "was uniquely qualified because “the world is in tough shape.”",
            "former president Bill Clinton",
            "said",
            "his wife was uniquely qualified because “the world is in tough shape.”",
        ),
        # a cue after "as" with a complement of its own says that, not its main clause
        (
            "The senator is touring the state as he urges conservatives to unite behind him.",
            "he",
            "urges",
            "conservatives to unite behind him",
        ),
    ],
)
def test_complements_and_subjects_the_parser_misplaced(nlp, text, speaker, cue, content):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    assert [(c.speaker, c.cue, c.content) for c in claims] == [(speaker, cue, content)]


@pytest.mark.parametrize(
    "text, speaker, cue, content",
    [
        (
            "Then a man in the back yelled “Stay there!” at the speaker.",
            "a man in the back",
            "yelled",
            "Stay there!",
        ),
        ("As the crowd waited, some chanted “USA! USA!” outside the hall.", "some", "chanted", "USA! USA!"),
        ("“We are not done yet,” she whispered to her aide.", "she", "whispered", "We are not done yet"),
    ],
)
def test_manners_of_speaking_tag_quotes(nlp, text, speaker, cue, content):
    (claim,) = claims_of(nlp, text)
    assert (claim.speaker, claim.cue, claim.content, claim.kind) == (speaker, cue, content, DIRECT)


def test_a_manner_of_speaking_without_a_quote_is_no_claim(nlp):
    assert claims_of(nlp, "The crowd chanted his name for an hour.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a finite verb with no subject cannot go with the content's "must": it is the speaker's
        (
            "Lopez argues the state must remain a leader on climate and has backed a bill that caps "
            "emissions.",
            [
                ("Lopez", "argues", "the state must remain a leader on climate"),
                ("Lopez", "has backed", "a bill that caps emissions"),
            ],
        ),
        (
            "The mayor says the city should be a place for families and has pushed a plan that would "
            "cut rents.",
            [("The mayor", "says", "the city should be a place for families")],
        ),
        # a bare verb after the modal is part of what was said
        (
            "The coach said the team would win the cup and break every record.",
            [("The coach", "said", "the team would win the cup and break every record")],
        ),
    ],
)
def test_what_the_speaker_did_next_is_not_content(nlp, text, expected):
    claims = claims_of(nlp, text)
    assert_offsets(text, claims)
    assert [(c.speaker, c.cue, c.content) for c in claims] == expected


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a reporting noun after "with" or "in" is the words of the subject of a verb that says nothing
        (
            "Last June the senator stirred controversy with an assertion that the migrants are criminals.",
            "the senator",
        ),
        # the words of whoever says them in it
        (
            "The campaign manager says in a statement that the race is now a contest of four.",
            "The campaign manager",
        ),
        # not the words of whoever answers them
        ("The mayor responded to a claim that the city had wasted money on the stadium.", None),
    ],
)
def test_whose_reporting_noun(nlp, text, speaker):
    (claim,) = claims_of(nlp, text)
    assert claim.content == text[text.index("that") : -1]
    assert claim.speaker == speaker


@pytest.mark.parametrize(
    "text, speaker, cue, content",
    [
        # a participle cue speaks for its sentence's subject, before an earlier quote; a noun
        # of the form of a cue before a quote introduces nothing
        (
            "The mayor told a radio host that the old plan “was a crazy idea that failed,” adding, "
            "“He lost every district in the city.”",
            "The mayor",
            "adding",
            "He lost every district in the city.",
        ),
        # a verb the parser joined to the object of the verb before it
        (
            "He then adopted a fake Southern accent and joked, “But I am just going to make it easier "
            "for them to laugh at me.”",
            "He",
            "joked",
            "But I am just going to make it easier for them to laugh at me.",
        ),
        # a name in apposition, set off by commas, right before a verb the parser left subjectless
        (
            "In a statement to the Observer, her senior policy adviser, Jake Sullivan, said: “The senator "
            "believes that cooperation is essential.”",
            "Jake Sullivan",
            "said",
            "The senator believes that cooperation is essential.",
        ),
    ],
)
def test_speakers_of_quotes_the_parser_misplaced(nlp, text, speaker, cue, content):
    claims = claims_of(nlp, text)
    assert (speaker, cue, content) in [(c.speaker, c.cue, c.content) for c in claims]
    assert not any("crazy idea" in c.content for c in claims if c.kind == DIRECT)


def test_a_participle_opening_its_sentence_continues_the_speaker_before_it(nlp):
    text = (
        "Later in the show, the host stated of the scandal that the report “was not good.” Adding, "
        "“Now, like with all of their scandals, what they actually do is never that bad.”"
    )
    adding = next(c for c in claims_of(nlp, text) if c.cue == "Adding")
    assert adding.speaker == "the host" and adding.kind == DIRECT
    # with no claim before it, it names nobody
    text = "The mayor spoke on Monday.\n\nAdding, “We will not stop until the road is open.”"
    (claim,) = claims_of(nlp, text)
    assert claim.speaker is None


def test_speaker_phrase_has_no_edge_space(nlp):
    text = (
        "“There were some of us who thought you might be able to work with them,” Smith points out."
        "\n\n“I can point to only two successes. Besides that, not a single one,” Smith answers."
    )
    assert [c.speaker for c in claims_of(nlp, text)] == ["Smith", "Smith"]


@pytest.mark.parametrize(
    "text",
    [
        "The firm declined to comment on the talks.",
        "The minister refused to discuss the case on Monday.",
        "The club declined to confirm the report.",
    ],
)
def test_refusing_to_speak_says_nothing(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Let's hope this is the start of the party slipping into obscurity.",
        "Stop putting it all in brackets and let's just call it music.",
        "Let us say that the plan has failed.",
    ],
)
def test_a_suggestion_with_let_is_nobodys_statement(nlp, text):
    assert claims_of(nlp, text) == []


def test_refusing_to_speak_leaves_what_is_said_after_it(nlp):
    text = "The company declined to comment, saying it could not talk about its clients."
    assert [(c.cue, c.content) for c in claims_of(nlp, text)] == [
        ("saying", "it could not talk about its clients")
    ]
    # refusing something else is a stance
    (claim,) = claims_of(nlp, "The senator refused to back the farm bill.")
    assert "back the farm bill" in claim.content
