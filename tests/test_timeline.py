"""The dated story timeline (storyline.timeline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import storyline
from storyline._sentences import split_sentences as sentence_spans
from storyline.dating import infer_published
from storyline.extract.dates import date_article
from storyline.model import Article, PartialDate, Story
from storyline.settings import TimelineSettings
from storyline.timeline import build_timeline
from tests.conftest import make_article

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

_OUTLETS = {
    "courier": (
        "2020-10-15",
        "The singer performed a new ballad at the awards show on Wednesday night in Los Angeles. "
        "Fans praised the moving tribute to his family.",
    ),
    "post": (
        "2020-10-16",
        "On Wednesday the singer dedicated his awards show performance to his wife in Los Angeles. "
        "The couple married in 2013 at a lake in Italy.",
    ),
    "radio": (
        "2020-10-15",
        "The singer's awards show performance on Wednesday drew praise from viewers across the "
        "country. Critics called the ballad the night's best moment.",
    ),
}


def _story_articles() -> tuple[Story, dict[str, Article]]:
    articles = {}
    for outlet, (day, text) in _OUTLETS.items():
        a = date_article(
            make_article(source=f"{outlet}.txt", text=text, published=day, outlet=outlet)
        )
        articles[a.id] = a
    return Story(id="s", title="t", article_ids=tuple(articles)), articles


def test_three_outlets_one_day_make_one_entry() -> None:
    story, articles = _story_articles()
    timeline = build_timeline(story, articles, TimelineSettings())
    day = [e for e in timeline if e.date == PartialDate(date=dt.date(2020, 10, 14))]
    assert len(day) == 1
    assert len(day[0].article_ids) == 3
    assert {s.article_id for s in day[0].evidence} == set(articles)


def test_entries_are_ordered_and_text_is_a_sentence_of_its_article() -> None:
    story, articles = _story_articles()
    timeline = build_timeline(story, articles, TimelineSettings())
    assert [e.date.date for e in timeline] == sorted(e.date.date for e in timeline)
    for entry in timeline:
        span = entry.evidence[0]
        assert articles[span.article_id].text[span.start : span.end] == entry.text


def test_history_long_before_the_story_is_background() -> None:
    story, articles = _story_articles()
    timeline = build_timeline(story, articles, TimelineSettings())
    by_date = {e.date.iso(): e for e in timeline}
    assert by_date["2013"].background
    assert not by_date["2020-10-14"].background


def test_sizes_follow_the_settings() -> None:
    story, articles = _story_articles()
    settings = TimelineSettings(max_dates=1, sentences_per_date=2)
    timeline = build_timeline(story, articles, settings)
    assert len(timeline) == 1
    assert timeline[0].date.iso() == "2020-10-14"
    assert len(timeline[0].evidence) == 3


def test_coarsest_precision_day_drops_years() -> None:
    story, articles = _story_articles()
    timeline = build_timeline(story, articles, TimelineSettings(coarsest_precision="day"))
    assert all(e.date.precision == "day" for e in timeline)


def test_one_article_without_dates() -> None:
    a = make_article(
        text="Nothing here says when anything happened, only what it was like.", published=None
    )
    timeline = build_timeline(
        Story(id="s", title="t", article_ids=(a.id,)), {a.id: a}, TimelineSettings()
    )
    assert timeline == ()


def test_unknown_article_ids_are_ignored() -> None:
    story = Story(id="s", title="t", article_ids=("missing",))
    assert build_timeline(story, {}, TimelineSettings()) == ()


@given(st.text(alphabet="ab .?!\nAB", max_size=80))
def test_sentence_spans_are_ordered_trimmed_and_inside(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        previous_end = end


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seed_story_timeline() -> None:
    result = storyline.run([SEEDS])
    story = Story(id="s", title="t", article_ids=tuple(a.id for a in result.articles))
    articles = {a.id: a for a in infer_published(result.articles, [story])}
    timeline = build_timeline(story, articles, TimelineSettings())
    assert 3 <= len(timeline) <= TimelineSettings().max_dates
    performance = [e for e in timeline if e.date == PartialDate(date=dt.date(2020, 10, 14))]
    assert performance
    assert len(performance[0].article_ids) >= 2
    assert any(e.background for e in timeline)
    assert not any(e.background for e in timeline if e.date.date >= dt.date(2020, 9, 1))
