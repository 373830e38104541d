"""summarize(): cited, non-redundant, chronological summaries within the length."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article, Story
from storyline.settings import DEFAULTS
from storyline.summarize import summarize
from tests.conftest import make_article

FIRST = make_article(
    id="a1",
    published="2025-03-03",
    text=(
        "Thieves took fourteen historic clocks from the Harbor Museum in Oakdale overnight, "
        "police said on Monday.\n\n"
        "She said the alarm had failed.\n\n"
        "The museum's director, Tom Reyes, said the loss was the worst in its history."
    ),
)
SECOND = make_article(
    id="a2",
    published="2025-03-10",
    text=(
        "Oakdale offered a reward of $25,000 for the return of the fourteen clocks stolen "
        "from the Harbor Museum.\n\n"
        "Thieves took fourteen historic clocks from the Harbor Museum in Oakdale, police "
        "said on Monday.\n\n"
        "Why would anyone steal a clock?"
    ),
)
COPY = dataclasses.replace(SECOND, id="a3", duplicate_of="a2")
STORY = Story(id="s", title="Museum theft", article_ids=("a1", "a2", "a3"))
ARTICLES = {a.id: a for a in (FIRST, SECOND, COPY)}


def test_every_sentence_cites_spans_that_hold_its_text() -> None:
    summary = summarize(STORY, ARTICLES, DEFAULTS.summary)
    assert summary.sentences
    for sentence in summary.sentences:
        span = sentence.evidence[0]
        assert ARTICLES[span.article_id].text[span.start : span.end] == sentence.text
        assert set(sentence.article_ids) == {s.article_id for s in sentence.evidence}


def test_a_sentence_carried_by_two_outlets_cites_both() -> None:
    summary = summarize(STORY, ARTICLES, DEFAULTS.summary)
    theft = next(s for s in summary.sentences if s.text.startswith("Thieves took"))
    assert theft.article_ids == ("a1", "a2")


def test_copies_are_not_cited_as_carriers() -> None:
    summary = summarize(STORY, ARTICLES, DEFAULTS.summary)
    assert all("a3" not in s.article_ids for s in summary.sentences)


def test_no_redundant_sentence_and_no_pronoun_or_question_start() -> None:
    texts = [s.text for s in summarize(STORY, ARTICLES, DEFAULTS.summary).sentences]
    assert sum(t.startswith("Thieves took") for t in texts) == 1
    assert not any(t.startswith("She ") or t.endswith("?") for t in texts)


def test_sentences_are_in_publication_order() -> None:
    summary = summarize(STORY, ARTICLES, DEFAULTS.summary)
    published = [ARTICLES[s.evidence[0].article_id].published for s in summary.sentences]
    assert published == sorted(published, key=lambda p: p.date if p else None)


@pytest.mark.parametrize("max_words", [10, 25, 40])
def test_length_limit(max_words: int) -> None:
    limits = dataclasses.replace(DEFAULTS.summary, max_words=max_words)
    summary = summarize(STORY, ARTICLES, limits)
    words = sum(len(s.text.split()) for s in summary.sentences)
    assert words <= max_words or len(summary.sentences) == 1


def test_max_sentences() -> None:
    limits = dataclasses.replace(DEFAULTS.summary, max_sentences=1)
    assert len(summarize(STORY, ARTICLES, limits).sentences) == 1


def test_story_without_usable_sentences_says_why() -> None:
    caption_only = make_article(id="c", text="Harbor Museum, Oakdale\n\nWhat happened next?")
    story = Story(id="s", title="t", article_ids=("c",))
    summary = summarize(story, {"c": caption_only}, DEFAULTS.summary)
    assert summary.sentences == ()
    assert summary.empty_reason is not None


def test_single_article_story() -> None:
    story = Story(id="s", title="t", article_ids=("a1",))
    summary = summarize(story, {"a1": FIRST}, DEFAULTS.summary)
    assert [s.article_ids for s in summary.sentences] == [("a1",)] * len(summary.sentences)


_SENTENCES = st.sampled_from(
    [
        "The council approved the new harbor budget on Tuesday evening after a long debate.",
        "Residents said the ferry schedule had improved since the spring timetable began.",
        "Police closed Mill Road for three hours after a lorry shed its load of timber.",
        "She said it was fine.",
        "What comes next for the harbor?",
        "The mayor, Ruth Alvarez, promised to publish the full audit before the summer.",
    ]
)


@given(st.lists(st.lists(_SENTENCES, min_size=1, max_size=6), min_size=1, max_size=5))
@settings(max_examples=40, deadline=None)
def test_every_summary_sentence_points_inside_its_article(paragraphs: list[list[str]]) -> None:
    articles: dict[str, Article] = {}
    for n, sentences in enumerate(paragraphs):
        article = make_article(id=f"x{n}", text="\n\n".join(sentences))
        articles[article.id] = article
    story = Story(id="s", title="t", article_ids=tuple(articles))
    summary = summarize(story, articles, DEFAULTS.summary)
    assert summary.sentences or summary.empty_reason
    for sentence in summary.sentences:
        for span in sentence.evidence:
            assert 0 <= span.start < span.end <= len(articles[span.article_id].text)


# --- issue 16: one sentence per event, in time order, dated, never from boxes ---------------


def _dated(**kw: str) -> Article:
    from storyline.extract.dates import date_article

    return date_article(make_article(**kw))


GROUNDING = _dated(
    id="g1",
    source="g1.txt",
    outlet="Harbour Courier",
    published="2025-05-05",  # a Monday
    title="Ferry runs aground off Gull Point",
    text="The island ferry Marram ran aground off Gull Point on Sunday evening with 84 "
    "passengers aboard, the coastguard said.\n\n"
    "Nobody was hurt, and tugs pulled the vessel free at high tide.",
)
INQUIRY = _dated(
    id="g2",
    source="g2.txt",
    outlet="Bay Radio",
    published="2025-05-09",
    title="Inquiry opened into ferry grounding",
    text="The maritime safety board opened an inquiry on Thursday into the grounding of the "
    "island ferry Marram off Gull Point.\n\n"
    "Investigators will study the ship's charts and the crew's rest hours.",
)
SUSPENSION = _dated(
    id="g3",
    source="g3.txt",
    outlet="Harbour Courier",
    published="2025-05-17",
    title="Ferry captain suspended",
    text="The operator suspended the captain of the island ferry Marram on Friday while the "
    "safety board examines the grounding off Gull Point.\n\n"
    "From the Quay kitchen, makes four portions.\n\n"
    "2 cups oats, 1 tablespoon honey, ½ teaspoon salt.",
)
RETURN = _dated(
    id="g4",
    source="g4.txt",
    outlet="Coast Wire",
    published="2025-06-14",
    title="Marram back in service",
    text="HARBOURTON (Coast Wire) — The island ferry Marram returned to service yesterday "
    "after five weeks of hull repairs at the Harbourton yard.\n\n"
    "The operator said timetables were back to normal.",
)
FERRY = Story(id="f", title="t", article_ids=("g1", "g2", "g3", "g4"))
FERRY_ARTICLES = {a.id: a for a in (GROUNDING, INQUIRY, SUSPENSION, RETURN)}


@pytest.mark.issue(16)
def test_each_event_gets_one_sentence_in_time_order() -> None:
    summary = summarize(FERRY, FERRY_ARTICLES, DEFAULTS.summary)
    stating = [s for s in summary.sentences if s.date_notes]  # "on Sunday evening", …
    assert [s.evidence[0].article_id for s in stating] == ["g1", "g2", "g3", "g4"]
    assert [s.date.iso() for s in stating if s.date] == [
        "2025-05-04",
        "2025-05-08",
        "2025-05-16",
        "2025-06-13",
    ]
    dates = [s.date.date for s in summary.sentences if s.date]
    assert dates == sorted(dates)


@pytest.mark.issue(16)
def test_the_newest_development_is_marked() -> None:
    summary = summarize(FERRY, FERRY_ARTICLES, DEFAULTS.summary)
    [latest] = [s for s in summary.sentences if s.latest]
    assert latest.text.startswith("The island ferry Marram returned to service")


@pytest.mark.issue(16)
def test_relative_days_get_their_date_and_the_text_stays_the_articles() -> None:
    summary = summarize(FERRY, FERRY_ARTICLES, DEFAULTS.summary)
    [last] = [s for s in summary.sentences if s.latest]
    assert [(n.text, n.date.iso()) for n in last.date_notes] == [("yesterday", "2025-06-13")]
    note = last.date_notes[0].evidence[0]
    assert RETURN.text[note.start : note.end] == "yesterday"
    span = last.evidence[0]
    assert RETURN.text[span.start : span.end] == last.text


@pytest.mark.issue(16)
def test_datelines_are_left_out_of_summary_sentences() -> None:
    summary = summarize(FERRY, FERRY_ARTICLES, DEFAULTS.summary)
    assert any(s.text.startswith("The island ferry Marram returned") for s in summary.sentences)
    assert not any("HARBOURTON" in s.text for s in summary.sentences)


@pytest.mark.issue(16)
def test_recipes_and_captions_are_never_summary_sentences() -> None:
    caption = make_article(
        id="c1",
        published="2025-03-17",
        text="Record crowds came to the Wendover maple festival on Saturday despite snow.\n\n"
        "Festival chair Ada Prentice holds the first bottle of syrup of the season.\n\n"
        "Try it at home: maple scones\n\n"
        "From the Grange kitchen, makes eight wedges.\n\n"
        "Cut the butter into the flour. Bake at 400 degrees for 20 minutes.",
    )
    story = Story(id="m", title="t", article_ids=("c1",))
    texts = [s.text for s in summarize(story, {"c1": caption}, DEFAULTS.summary).sentences]
    assert texts == ["Record crowds came to the Wendover maple festival on Saturday despite snow."]
    single = summarize(FERRY, FERRY_ARTICLES, DEFAULTS.summary)
    assert not any("portions" in s.text for s in single.sentences)


@pytest.mark.issue(16)
def test_german_ordinal_dates_do_not_cut_a_sentence() -> None:
    article = make_article(
        id="de",
        language="de",
        text="Das Museum in Hafenstadt öffnet am Samstag, 12. April wieder seine Galerie für "
        "alle Besucher.",
    )
    story = Story(id="d", title="t", article_ids=("de",))
    [sentence] = summarize(story, {"de": article}, DEFAULTS.summary).sentences
    assert sentence.text.endswith("für alle Besucher.")
