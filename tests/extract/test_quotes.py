"""Quotes: finding quoted passages, attributing speakers, and merging across outlets.

Fixtures are invented news sentences; the model-free path (``annotate_text`` with hand-made
named-entity spans) keeps these tests fast and deterministic.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract._quote_context import NamedSpan
from storyline.extract._quote_marks import find_quote_spans
from storyline.extract.annotate import annotate_text
from storyline.extract.quotes import story_quotes
from storyline.model import Annotations, Article, QuoteMention, Story
from storyline.models import attribution_model
from storyline.settings import DEFAULTS
from tests.conftest import make_article


def _persons(text: str, *names: str) -> list[NamedSpan]:
    found = [
        NamedSpan(m.start(), m.end(), "PERSON")
        for name in names
        for m in re.finditer(re.escape(name), text)
    ]
    return sorted(found, key=lambda n: n.start)


def _quotes(text: str, *names: str) -> list[QuoteMention]:
    return list(annotate_text(text, _persons(text, *names), article_id="a").quotes)


def _one(text: str, *names: str) -> QuoteMention:
    quotes = _quotes(text, *names)
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"We will rebuild the gallery," Mara Quint said.', "Mara Quint"),
        ("\u201cWe will rebuild the gallery,\u201d said Mara Quint.", "Mara Quint"),
        ("Mara Quint said: \u201cWe will rebuild the gallery.\u201d", "Mara Quint"),
        ("'We will rebuild the gallery,' Mara Quint told the Courier.", "Mara Quint"),
        ("\u2018We will rebuild the gallery,\u2019 Mara Quint wrote.", "Mara Quint"),
        ('"We will rebuild the gallery," according to Mara Quint.', "Mara Quint"),
    ],
)
def test_speaker_from_news_conventions(text: str, speaker: str) -> None:
    quote = _one(text, "Mara Quint")
    assert quote.text == "We will rebuild the gallery," or quote.text.startswith("We will")
    assert quote.speaker == speaker


def test_pronoun_resolves_to_named_speaker() -> None:
    text = (
        'Mara Quint spoke on Tuesday. "The alarm failed twice," Quint said.\n\n'
        '"We have replaced every sensor," she added.'
    )
    quotes = _quotes(text, "Mara Quint", "Quint")
    assert [q.speaker for q in quotes] == ["Mara Quint", "Mara Quint"]
    assert text[quotes[1].speaker_evidence[0].start : quotes[1].speaker_evidence[0].end] == "she"


def test_pronoun_skips_person_of_other_gender() -> None:
    text = (
        "Mara Quint and her husband Tom Reyes attended. Mara Quint said her piece. "
        "Tom Reyes thanked his staff.\n\n"
        '"It was the hardest year of our lives," she wrote.'
    )
    assert _one(text, "Mara Quint", "Tom Reyes").speaker == "Mara Quint"


def test_role_description_resolves_but_possessive_stays() -> None:
    text = (
        'Singer Jon Vale returned to the stage. "I missed this room," Vale said.\n\n'
        '"Every night felt long," the singer said.\n\n'
        '"He is resting and will not tour this year," his rep said.'
    )
    quotes = _quotes(text, "Jon Vale", "Vale")
    assert [q.speaker for q in quotes] == ["Jon Vale", "Jon Vale", "his rep"]


def test_platform_from_attribution() -> None:
    text = 'Mara Quint wrote on Instagram, "Thank you all for the kind messages."'
    quote = _one(text, "Mara Quint")
    assert quote.platform == "Instagram"
    assert _one('"Back home at last," Mara Quint tweeted.', "Mara Quint").platform == "Twitter"


def test_quote_split_by_continued_shares_speaker() -> None:
    text = (
        '"We lost three compasses," Tom Reyes continued, "and one chart that cannot be replaced."'
    )
    (quote,) = _quotes(text, "Tom Reyes")
    assert quote.speaker == "Tom Reyes"
    assert quote.text == "We lost three compasses, and one chart that cannot be replaced."
    assert [text[s.start : s.end] for s in quote.evidence] == [
        "We lost three compasses,",
        "and one chart that cannot be replaced.",
    ]


def test_two_quotes_with_their_own_frames_stay_apart() -> None:
    text = (
        '"We lost three compasses," Tom Reyes said. Ada Finch said, "The chart is safe."\n\n'
        '"The alarm failed," Reyes said. "It had been failing for a month."'
    )
    quotes = _quotes(text, "Tom Reyes", "Ada Finch")
    assert [q.text for q in quotes] == [
        "We lost three compasses,",
        "The chart is safe.",
        "The alarm failed. It had been failing for a month.",
    ]


def test_quote_over_several_paragraphs() -> None:
    text = (
        'Tom Reyes said: "The first alarm rang at two in the morning.\n\n'
        '"By the time the guards arrived the case was empty."'
    )
    (quote,) = _quotes(text, "Tom Reyes")
    assert quote.speaker == "Tom Reyes"
    assert quote.text == (
        "The first alarm rang at two in the morning. "
        "By the time the guards arrived the case was empty."
    )
    assert len(quote.evidence) == 2


def test_titles_and_scare_quotes_are_not_quotes() -> None:
    text = (
        'The band played its song, "Harbour Lights," to close the night. The so-called '
        '"reform" of the museum board passed, and the "experts" stayed home.'
    )
    assert _quotes(text) == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a nested quote closes right before the outer mark
        ("\"Visitors ask me, 'Where did the ship go?'\" said Ada Finch.", "Ada Finch"),
        # a name and its appositive before the verb: the name speaks
        ('Ada Finch ran it. "The roof leaks," Finch, a curator at the museum, said.', "Ada Finch"),
        # speech verbs in participle and present forms
        ('The crowd marched past the harbour while chanting, "Open the doors."', "The crowd"),
        (
            "Ada Finch, the museum's director, answered the board on Friday, tweeting, "
            '"The doors open at nine."',
            "Ada Finch",
        ),
        (
            '"The doors open at nine and close at five," the museum notice reads.',
            "the museum notice",
        ),
        # "the rules" is a noun, not the verb "rules"
        ('Ada Finch likened the rules to "a locked door with no key."', "Ada Finch"),
        # a long opening phrase before the subject of a participle frame
        (
            "During a long hearing on the budget this week, Ada Finch criticised the plan, "
            'saying, "It leaves the archive without a roof."',
            "Ada Finch",
        ),
        # a time phrase before the comma says when, not who
        (
            "Days before, Ada Finch - who lent the museum two boats, through fundraising - "
            "revealed she was on 'strict leave' after a fall.",
            "Ada Finch",
        ),
        # a one-word lead-in is not a name with an appositive
        ('"The doors stay shut," Separately, a spokesman said.', "a spokesman"),
        # a frame after a full stop that goes on with where it was said
        (
            '"We will rebuild the whole town." Ada Finch said in an interview with the '
            "Harbour Courier on Tuesday.",
            "Ada Finch",
        ),
        # "Asked about X, Y said" is not the inverted "Asked Y"
        (
            'Asked about Tom Reyes\'s plan, Ada Finch said, "We have not seen it yet."',
            "Ada Finch",
        ),
    ],
)
def test_more_speech_frames(text: str, speaker: str) -> None:
    assert _one(text, "Ada Finch", "Finch", "Tom Reyes").speaker == speaker


def test_title_before_name_after_inverted_verb() -> None:
    text = '"The vault is dry," said Mr. Reyes, the harbour master. "It always was."'
    for names, phrase in (
        (("Reyes",), "Mr. Reyes"),
        (("Tom Reyes",), "Rep. Tom Reyes"),
    ):
        if phrase.startswith("Rep."):
            text = '"The vault is dry," said Rep. Tom Reyes (D-Ohio).'
        evidence = _one(text, *names).speaker_evidence[0]
        assert text[evidence.start : evidence.end] == phrase


def test_sentence_after_full_stop_is_not_a_frame() -> None:
    text = (
        'Ada Finch said the museum hopes "to reopen the east wing by spring." '
        "Tom Reyes said the budget would not allow it before the autumn."
    )
    assert _one(text, "Ada Finch", "Tom Reyes").speaker == "Ada Finch"
    text = '"We will reopen by spring." Tom Reyes said in a statement Friday.'
    assert _one(text, "Tom Reyes").speaker == "Tom Reyes"


def test_programme_names_and_subheadings_are_not_quotes() -> None:
    text = (
        'In an interview on the station\'s "Harbour Morning Hour," Tom Reyes said the vault '
        'was dry.\n\n"It was always dry," Reyes said.\n\n\u2018The Dry Years.\u2019\n\n'
        "The museum opened in 1901."
    )
    quotes = _quotes(text, "Tom Reyes", "Reyes")
    assert [q.text for q in quotes] == ["It was always dry,"]


def test_a_month_that_is_a_first_name_is_not_a_time_phrase() -> None:
    text = 'The board met. April Finch, a reporter, asked whether "the doors will open on time."'
    assert _one(text, "April Finch").speaker == "April Finch"


def test_a_one_word_reply_is_not_a_subheading() -> None:
    quotes = _quotes('"We will open on time," Ada Finch said.\n"Absolutely."', "Ada Finch")
    assert [(q.text, q.speaker) for q in quotes][-1] == ("Absolutely.", "Ada Finch")


def test_doubled_apostrophes_after_a_colon_frame() -> None:
    text = "Ada Finch said:\n''We will open the doors on time this year.''"
    (quote,) = _quotes(text, "Ada Finch")
    assert (quote.text, quote.speaker) == ("We will open the doors on time this year.", "Ada Finch")


def test_doubled_apostrophes_are_double_quote_marks() -> None:
    text = "''The vault is dry,'' Mr. Reyes said. ''It always was, and 'dry' means dry.''"
    (quote,) = _quotes(text, "Reyes")
    assert quote.text == "The vault is dry. It always was, and 'dry' means dry."
    evidence = quote.speaker_evidence[0]
    assert text[evidence.start : evidence.end] == "Mr. Reyes"


def test_apostrophes_do_not_open_quotes() -> None:
    text = "The museum's director didn't comment on the guards' shifts or the '90s alarm."
    assert find_quote_spans(text) == []


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # a plural possessive inside a single-quoted passage that runs on: not its end
        (
            "'We never name the boats' hulls until launch day. We call this one Gull.\n\n"
            "'She will always be Gull,' he said.",
            [
                "We never name the boats' hulls until launch day. We call this one Gull.",
                "She will always be Gull,",
            ],
        ),
        # ... or that closes later in its paragraph
        ("'The guards' rota changed,' she said.", ["The guards' rota changed,"]),
        # ... but not one that opened mid-paragraph: it cannot run on
        (
            "He called his rivals 'clowns' and left the stage.\n\"We will win this one,\" he said.",
            ["clowns", "We will win this one,"],
        ),
        # a passage that does end in s' before a new quote opens
        (
            "She was on 'bed rest for weeks' and said she felt 'fine.'",
            ["bed rest for weeks", "fine."],
        ),
    ],
)
def test_plural_possessives_inside_single_quotes(text: str, quoted: list[str]) -> None:
    assert [text[s.start : s.end] for s in find_quote_spans(text)] == quoted


@pytest.mark.parametrize(
    "text",
    [
        'He said "this never closes and keeps going',
        '"one" "two" "three',
        "\u201c\u201c\u201d\u201d\u201c",
        "'''''",
        "",
    ],
)
def test_unbalanced_marks_do_not_crash(text: str) -> None:
    for span in find_quote_spans(text):
        assert 0 <= span.start < span.end <= len(text)


def test_thousands_of_marks_run_in_linear_time() -> None:
    text = ('"a" said X. ' * 3000) + ('"' * 5000) + ("'" * 5000) + ("\u201c" * 5000)
    started = time.perf_counter()
    annotate_text(text, [], article_id="a")
    assert time.perf_counter() - started < 5.0


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab .,:\n'\"\u201c\u201d\u2018\u2019Xsaid")), max_size=300
    )
)
def test_any_text_gives_spans_in_bounds(text: str) -> None:
    for quote in annotate_text(text, [], article_id="a").quotes:
        for span in quote.evidence:
            assert 0 <= span.start < span.end <= len(text)
        pieces = " ".join(text[s.start : s.end] for s in quote.evidence)
        assert re.findall(r"\w+", pieces) == re.findall(r"\w+", quote.text)
        starts = [s.start for s in quote.evidence]
        assert starts == sorted(starts)
        for evidence in quote.speaker_evidence:
            assert 0 <= evidence.start <= evidence.end <= len(text)


# --- across outlets ------------------------------------------------------------------


def _story(*articles: Article) -> tuple[Story, dict[str, Article], dict[str, Annotations]]:
    story = Story(id="s", title="t", article_ids=tuple(a.id for a in articles))
    annotations = {
        a.id: annotate_text(a.text, _persons(a.text, "Mara Quint", "Quint"), article_id=a.id)
        for a in articles
    }
    return story, {a.id: a for a in articles}, annotations


def test_same_quote_across_outlets_is_one() -> None:
    full = (
        'Mara Quint wrote on Instagram, "We are heartbroken and grateful. The gallery '
        'will open again in the spring, stronger than before."'
    )
    partial = "\u2018We are heartbroken and grateful,\u2019 Quint shared in an Instagram post."
    later = make_article(id="later", source="b.txt", text=full, published="2021-05-06")
    early = make_article(id="early", source="a.txt", text=partial, published="2021-05-04")
    story, articles, annotations = _story(later, early)
    (quote,) = story_quotes(story, articles, annotations, DEFAULTS)
    assert set(quote.article_ids) == {"early", "later"}
    assert quote.first_seen == "early"
    assert quote.evidence[0].article_id == "early"
    assert {s.article_id for s in quote.evidence} == {"early", "later"}
    assert quote.speaker == "Mara Quint"
    assert quote.platform == "Instagram"


def test_outlets_carrying_different_parts_give_the_whole_passage() -> None:
    first = (
        'Mara Quint wrote on Instagram, "We are heartbroken and grateful. The gallery '
        'will open again in the spring."'
    )
    second = (
        '"The gallery will open again in the spring. Thank you to every volunteer who '
        'carried boxes," Quint wrote.'
    )
    story, articles, annotations = _story(
        make_article(id="one", text=first, published="2021-05-04"),
        make_article(id="two", text=second, published="2021-05-05"),
    )
    (quote,) = story_quotes(story, articles, annotations, DEFAULTS)
    assert quote.text == (
        "We are heartbroken and grateful. The gallery will open again in the spring. "
        "Thank you to every volunteer who carried boxes,"
    )
    assert quote.article_ids == ("one", "two")


def test_different_quotes_stay_apart() -> None:
    one = make_article(id="one", text='"The roof leaks in every storm," Mara Quint said.')
    two = make_article(id="two", text='"Visitors will return by June," Mara Quint said.')
    story, articles, annotations = _story(one, two)
    assert len(story_quotes(story, articles, annotations, DEFAULTS)) == 2


_SENTENCES = st.sampled_from(
    [
        '"The roof leaks in every storm," Mara Quint said.',
        "'The roof leaks in every storm,' Quint told the Courier.",
        'Mara Quint said: "Visitors will return by June."',
        '"We have replaced every sensor," she added.',
        "The museum opened in 1921.",
    ]
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(_SENTENCES, min_size=1, max_size=4), min_size=1, max_size=4))
def test_merged_quotes_cite_their_carriers(bodies: list[list[str]]) -> None:
    articles = [
        make_article(id=f"a{i}", text=" ".join(body), published=f"2021-05-0{i + 1}")
        for i, body in enumerate(bodies)
    ]
    story, by_id, annotations = _story(*articles)
    for quote in story_quotes(story, by_id, annotations, DEFAULTS):
        assert quote.evidence[0].article_id == quote.first_seen
        assert {s.article_id for s in quote.evidence} == set(quote.article_ids)
        assert quote.first_seen == min(quote.article_ids)  # ids follow publication order
        for span in quote.evidence:
            assert by_id[span.article_id].text[span.start : span.end]


# --- reported speech (the shipped attribution models) ----------------------------------


def _reported(text: str, names: dict[str, str]) -> list[QuoteMention]:
    spans = sorted(
        (
            NamedSpan(m.start(), m.end(), label)
            for name, label in names.items()
            for m in re.finditer(rf"\b{re.escape(name)}\b", text)
        ),
        key=lambda n: n.start,
    )
    return list(annotate_text(text, spans, article_id="a", model=attribution_model()).quotes)


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Mara Quint said the gallery would reopen in the spring.",
            "Mara Quint",
            "the gallery would reopen in the spring",
        ),
        (
            "The two men had been released on bail, Mara Quint said.",
            "Mara Quint",
            "The two men had been released on bail",
        ),
        (
            "According to Mara Quint, 40 flights were cancelled on Tuesday.",
            "Mara Quint",
            "40 flights were cancelled on Tuesday",
        ),
        (
            "Mara Quint told reporters that the vault had been empty for a week.",
            "Mara Quint",
            "the vault had been empty for a week",
        ),
    ],
)
def test_reported_speech_has_source_cue_and_content(text: str, speaker: str, content: str) -> None:
    (mention,) = [m for m in _reported(text, {"Mara Quint": "PERSON"}) if m.kind == "indirect"]
    assert mention.speaker == speaker
    assert content in mention.text
    assert mention.cue is not None
    (cue,) = mention.cue_evidence
    assert text[cue.start : cue.end] == mention.cue
    (span,) = mention.evidence
    assert text[span.start : span.end] == mention.text


@pytest.mark.issue(15)
def test_reported_speech_holding_a_quote_is_mixed() -> None:
    text = 'Mara Quint said the new alarm system was "a very expensive mistake" for the town.'
    (mention,) = _reported(text, {"Mara Quint": "PERSON"})
    assert mention.kind == "mixed"
    assert mention.speaker == "Mara Quint"
    assert "alarm system" in mention.text
    assert "expensive mistake" in mention.text


@pytest.mark.issue(15)
def test_a_framed_quote_stays_direct_and_gets_its_cue() -> None:
    text = 'Mara Quint said on Tuesday: "We will rebuild the gallery."'
    (mention,) = _reported(text, {"Mara Quint": "PERSON"})
    assert mention.kind == "direct"
    assert mention.text == "We will rebuild the gallery."
    assert mention.cue == "said"


@pytest.mark.issue(15)
def test_an_organisation_speaks_but_a_poll_is_no_speaker() -> None:
    text = (
        "The Harbour Ministry said the ferry would run again on Monday. "
        "A new poll showed that most residents wanted the ferry back."
    )
    found = _reported(text, {"Harbour Ministry": "ORG"})
    speakers = {m.speaker for m in found if "ferry would run" in m.text}
    assert speakers == {"Harbour Ministry"}
    assert all(m.speaker is None for m in found if "residents" in m.text)


@pytest.mark.issue(15)
def test_they_is_never_one_person() -> None:
    text = (
        "Mara Quint met the guards on Friday.\n\n"
        '"We were never told about the second door," they said.'
    )
    (mention,) = _quotes(text, "Mara Quint")
    assert mention.speaker == "they"


@pytest.mark.issue(15)
@pytest.mark.parametrize(
    "description",
    ["the 44-year-old", "the company's chief executive", "the Harbourside author"],
)
def test_descriptions_resolve_to_the_person_in_focus(description: str) -> None:
    text = (
        "Mara Quint, 44, runs the Harbourside company. Quint thanked the staff, and "
        "her husband Tom Reyes stood beside her.\n\n"
        f'"We will reopen in the spring," {description} said.'
    )
    assert _one(text, "Mara Quint", "Quint", "Tom Reyes").speaker == "Mara Quint"


@pytest.mark.issue(15)
def test_a_relative_named_in_passing_is_not_in_focus() -> None:
    text = (
        '"The first weeks were hard," Mara Quint said.\n\n'
        "It took years before she and Tom had their daughter, Ada, who was born in 2019.\n\n"
        '"You look for anything to blame, especially yourself," she explained.'
    )
    quotes = _quotes(text, "Mara Quint", "Tom", "Ada")
    assert [q.speaker for q in quotes] == ["Mara Quint", "Mara Quint"]


@pytest.mark.issue(15)
def test_a_first_person_quote_does_not_run_on_from_an_organisation() -> None:
    text = (
        '"I have never felt so tired," Mara Quint said.\n\n'
        "The Harbour Clinic writes: 'A transfusion is a safe and common procedure.'\n\n"
        "'I'm so grateful to the nurses, I really am.'"
    )
    names = [
        *_persons(text, "Mara Quint"),
        *[NamedSpan(m.start(), m.end(), "ORG") for m in re.finditer("Harbour Clinic", text)],
    ]
    quotes = annotate_text(text, sorted(names, key=lambda n: n.start), article_id="a").quotes
    assert [q.speaker for q in quotes] == ["Mara Quint", "Harbour Clinic", "Mara Quint"]


def _reported_story(
    *articles: Article,
) -> tuple[Story, dict[str, Article], dict[str, Annotations]]:
    story = Story(id="s", title="t", article_ids=tuple(a.id for a in articles))
    model = attribution_model()
    annotations = {
        a.id: annotate_text(
            a.text, _persons(a.text, "Mara Quint", "Quint"), article_id=a.id, model=model
        )
        for a in articles
    }
    return story, {a.id: a for a in articles}, annotations


@pytest.mark.issue(15)
def test_speakers_link_to_story_entities() -> None:
    one = make_article(
        id="one", text='Mara Quint opened the doors. "The roof leaks in every storm," she said.'
    )
    story, articles, annotations = _reported_story(one)
    (quote,) = [q for q in story_quotes(story, articles, annotations, DEFAULTS) if "roof" in q.text]
    assert quote.speaker_entity == "Mara Quint"
    assert quote.speaker == "Mara Quint"
    phrase, name = (one.text[s.start : s.end] for s in quote.speaker_evidence)
    assert (phrase, name) in {("she", "Mara Quint"), ("she", "Quint")}


@pytest.mark.issue(15)
def test_a_paraphrase_in_another_outlet_is_the_same_statement() -> None:
    quoted = make_article(
        id="quoted",
        text='"The gallery will reopen in the spring with a new alarm," Mara Quint said.',
        published="2021-05-04",
    )
    reported = make_article(
        id="reported",
        text="Mara Quint said the gallery would reopen in spring with a new alarm.",
        published="2021-05-05",
    )
    story, articles, annotations = _reported_story(reported, quoted)
    quotes = story_quotes(story, articles, annotations, DEFAULTS)
    (statement,) = [q for q in quotes if "gallery" in q.text]
    assert statement.article_ids == ("quoted", "reported")
    assert statement.first_seen == "quoted"
    assert statement.kind == "direct"  # the most direct wording is kept
    assert statement.text.startswith("The gallery will reopen")


@pytest.mark.issue(15)
def test_two_direct_quotes_of_one_speaker_merge_only_by_wording() -> None:
    one = make_article(id="one", text='"The gallery will reopen in spring," Mara Quint said.')
    two = make_article(
        id="two", text='"In spring the gallery will be shut for a week," Mara Quint said.'
    )
    story, articles, annotations = _reported_story(one, two)
    gallery = [
        q for q in story_quotes(story, articles, annotations, DEFAULTS) if "gallery" in q.text
    ]
    assert len(gallery) == 2
