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
