"""The dated story timeline (storyline.timeline)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import storyline
from storyline._sentences import split_sentences as sentence_spans
from storyline.extract.dates import date_article
from storyline.model import Article, PartialDate, Story, TimelineEntry
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
    timeline = build_timeline(story, articles, TimelineSettings(sentences_per_date=3))
    day = [e for e in timeline if e.date == PartialDate(date=dt.date(2020, 10, 14))]
    assert len(day) == 1
    assert len(day[0].article_ids) == 3
    assert {s.article_id for s in day[0].evidence} == set(articles)


@pytest.mark.issue(16)
def test_an_entry_cites_only_the_articles_that_carry_its_sentence() -> None:
    story, articles = _story_articles()
    timeline = build_timeline(story, articles, TimelineSettings())
    [day] = [e for e in timeline if e.date == PartialDate(date=dt.date(2020, 10, 14))]
    [span] = day.evidence
    assert day.article_ids == (span.article_id,)
    assert articles[span.article_id].text[span.start : span.end] == day.text


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
    assert len(timeline[0].evidence) == 2


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


def _timeline(*articles: Article, **settings: int) -> tuple[TimelineEntry, ...]:
    dated = {a.id: date_article(a) for a in articles}
    story = Story(id="s", title="t", article_ids=tuple(dated))
    return build_timeline(story, dated, TimelineSettings(**settings))


@pytest.mark.issue(16)
def test_an_undated_sentence_takes_the_day_of_the_event_it_reports() -> None:
    game = make_article(
        published="2025-03-24",  # a Monday
        text="Ames scored twice on Saturday night as Halvern won the title.\n\n"
        "Her second goal came from a rebound off the post in the final minute of play.",
    )
    [entry] = _timeline(game, sentences_per_date=2)
    assert entry.date.iso() == "2025-03-22"
    assert "rebound" in entry.text


@pytest.mark.issue(16)
def test_a_near_copy_in_another_article_is_a_carrier_and_a_mere_mention_is_not() -> None:
    sentence = "The council voted on Tuesday to close the old harbour bridge to lorries for good."
    original = make_article(source="a.txt", published="2025-03-05", text=sentence)
    reprint = make_article(
        source="b.txt",
        published="2025-03-06",
        text=sentence.replace("for good", "permanently"),
        outlet="Wire",
    )
    mention = make_article(
        source="c.txt",
        published="2025-03-06",
        text="Traffic was heavy on Tuesday as drivers queued along the coast road.",
        outlet="Radio",
    )
    [entry] = [e for e in _timeline(original, reprint, mention) if e.date.iso() == "2025-03-04"]
    assert set(entry.article_ids) == {original.id, reprint.id}
    assert {s.article_id for s in entry.evidence} == {original.id, reprint.id}


@pytest.mark.issue(16)
def test_datelines_are_left_out_of_entry_text() -> None:
    wire = make_article(
        published="2025-03-12",
        text="PORT ELLERY (Northwire) — Officials on Wednesday offered a reward for the "
        "return of the stolen clocks.",
    )
    [entry] = _timeline(wire)
    assert entry.text.startswith("Officials on Wednesday")
    span = entry.evidence[0]
    assert wire.text[span.start : span.end] == entry.text


@pytest.mark.issue(16)
def test_background_comes_after_the_story_dates_and_is_capped() -> None:
    history = " ".join(
        f"The harbour wall was rebuilt in {year} after a winter storm broke it."
        for year in (1951, 1962, 1973, 1984)
    )
    article = make_article(
        published="2025-03-12",
        text="The harbour wall failed on Monday as the tide rose over the quay. " + history,
    )
    timeline = _timeline(article, max_dates=4, max_background=2)
    assert [e.background for e in timeline] == [True, True, False]
    assert timeline[-1].date.iso() == "2025-03-10"


@pytest.mark.issue(16)
def test_a_bare_quotation_is_not_an_entry() -> None:
    article = make_article(
        published="2025-04-11",
        text="The gallery reopens on Saturday with three cases still empty.\n\n"
        "“Saturday is our chance to say thank you to every visitor who wrote to us.”",
    )
    texts = [e.text for e in _timeline(article, sentences_per_date=3)]
    assert texts
    assert not any(t.startswith("“") for t in texts)


@pytest.mark.issue(16)
def test_month_precision_article_gets_its_named_day() -> None:
    article = make_article(
        published=PartialDate(date=dt.date(2025, 6, 1), precision="month"),
        text="A lorry overturned on Friday, June 13 and closed the coast road for a day.",
    )
    assert [e.date.iso() for e in _timeline(article)] == ["2025-06-13"]


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


@pytest.mark.issue(16)
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seed_story_timeline() -> None:
    result = storyline.run([SEEDS], storyline.load_settings(overrides=["runner.workers=1"]))
    [story] = result.stories
    articles = {a.id: a for a in result.articles}
    timeline = story.timeline
    assert 3 <= len(timeline) <= TimelineSettings().max_dates
    days = {e.date.iso(): e for e in timeline}
    for day in ("2020-09-27", "2020-09-30", "2020-10-14", "2020-10-16", "2021-09-28"):
        entry = days[day]
        assert set(entry.article_ids) == {s.article_id for s in entry.evidence}
        for span in entry.evidence:  # every cited article carries the sentence shown
            carried = _words(articles[span.article_id].text[span.start : span.end])
            assert len(carried & _words(entry.text)) >= 0.6 * len(carried)
    assert any(e.background for e in timeline)
    assert not any(e.background for e in timeline if e.date.date >= dt.date(2020, 9, 1))
