"""Inference of missing publication dates (storyline.dating)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyline
import storyline.pipeline
from storyline.dating import date_with_view, infer_published, period_of, story_view
from storyline.extract.dates import date_article, extract_dates
from storyline.model import Article, PartialDate, Story
from tests.conftest import make_article

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
DEMO = Path(__file__).resolve().parents[1] / "src" / "storyline" / "demo" / "corpus"


def _undated(text: str, **kw: object) -> Article:
    return date_article(make_article(text=text, published=None, published_source=None, **kw))


def _story(*articles: Article) -> Story:
    return Story(id="s", title="t", article_ids=tuple(a.id for a in articles))


def test_yesterday_and_named_day_give_the_next_day() -> None:
    dated = make_article(
        source="a.txt",
        text="Police arrested two men on Friday, March 28, in Larkspur after a long search.",
        published="2025-03-28",
    )
    dated = date_article(dated)
    undated = _undated(
        "Two men were arrested yesterday in Larkspur. Detectives moved in on Friday, March 28, "
        "at dawn.",
        source="b.txt",
    )
    out = infer_published([dated, undated], [_story(dated, undated)])
    assert out[1].published == PartialDate(date=dt.date(2025, 3, 29))
    assert out[1].published_source == "inferred"


def test_day_inference_resolves_the_relative_dates_again() -> None:
    dated = date_article(
        make_article(
            source="a.txt", text="The fund opened on March 12, 2025.", published="2025-03-12"
        )
    )
    undated = _undated("The city announced the fund on Wednesday at City Hall.", source="b.txt")
    out = infer_published([dated, undated], [_story(dated, undated)])
    assert out[1].published == PartialDate(date=dt.date(2025, 3, 12))
    assert [d.value for d in out[1].dates] == ["2025-03-12"]


def test_last_year_gives_a_year() -> None:
    dated = date_article(
        make_article(
            source="a.txt", text="The couple married in June 2013 in Italy.", published="2013-06-20"
        )
    )
    undated = _undated(
        "The couple celebrated last year, in 2013, with a trip to Italy.", source="b.txt"
    )
    out = infer_published([dated, undated], [_story(dated, undated)])
    assert out[1].published == PartialDate(date=dt.date(2014, 1, 1), precision="year")


def test_no_clues_stays_undated_and_says_why(caplog: pytest.LogCaptureFixture) -> None:
    undated = _undated("Nothing in this short text says when it was written at all.")
    with caplog.at_level("INFO", logger="storyline.dating"):
        out = infer_published([undated], [])
    assert out[0].published is None
    assert out[0].published_source is None
    assert "stays undated" in caplog.text


def test_impossible_dates_do_not_crash() -> None:
    undated = _undated("The sale closed on February 30, 2021, or so the notice said yesterday.")
    out = infer_published([undated], [_story(undated)])
    assert len(out) == 1


def test_dated_articles_are_untouched_and_order_kept() -> None:
    a = make_article(source="a.txt")
    b = _undated("No date here at all, not a single one to go by.", source="b.txt")
    out = infer_published([b, a], [_story(a, b)])
    assert [x.id for x in out] == [b.id, a.id]
    assert out[1] is a


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2020-10-14", dt.date(2020, 10, 14), dt.date(2020, 10, 14)),
        ("2020-10-14TNI", dt.date(2020, 10, 14), dt.date(2020, 10, 14)),
        ("2020-W42", dt.date(2020, 10, 12), dt.date(2020, 10, 18)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("2013", dt.date(2013, 1, 1), dt.date(2013, 12, 31)),
    ],
)
def test_period_of(value: str, first: dt.date, last: dt.date) -> None:
    period = period_of(value)
    assert period is not None
    assert period[:2] == (first, last)


@pytest.mark.parametrize("value", ["P2W", "PRESENT_REF", "XXXX-10-14", "2021-02-30", "2020-W60"])
def test_period_of_rejects_non_periods(value: str) -> None:
    assert period_of(value) is None


_PAST = st.sampled_from(
    [
        "yesterday",
        "last week",
        "two weeks ago",
        "last month",
        "last year",
        "on Monday",
        "on Friday",
        "three days ago",
        "earlier this month",
    ]
)


@settings(max_examples=60, deadline=None)
@given(phrase=_PAST, day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_resolved_past_reference_never_lands_after_publication(phrase: str, day: dt.date) -> None:
    text = f"The mayor resigned {phrase}, officials said."
    for expr in extract_dates(text, article_id="x", published=day):
        period = period_of(expr.value)
        if period is not None:
            assert period[0] <= day


@pytest.mark.skipif(not DEMO.is_dir(), reason="demo corpus not found")
def test_demo_corpus_undated_articles_are_inferred() -> None:
    result = storyline.run([DEMO])
    main = [a for a in result.articles if "Ellery" in a.text]
    out = infer_published(result.articles, [_story(*main)])
    inferred = sorted(
        a.published.iso() for a in out if a.published_source == "inferred" and a.published
    )
    assert inferred == ["2025-03-12", "2025-03-29"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seeds_are_all_dated_from_their_story() -> None:
    result = storyline.run([SEEDS])
    out = infer_published(result.articles, [_story(*result.articles)])
    assert all(a.published is not None for a in out)
    inferred = [a.published for a in out if a.published_source == "inferred" and a.published]
    assert len(inferred) == len(out) - 1
    assert all(dt.date(2020, 1, 1) <= p.date <= dt.date(2021, 12, 31) for p in inferred)
    assert sum(p.precision == "day" for p in inferred) >= 2


def test_a_story_view_dates_its_undated_articles_in_any_batches_as_one_call_does() -> None:
    articles, _ = storyline.pipeline.process(
        [DEMO], storyline.load_settings(None, ["runner.workers=1"])
    )
    undated = [a for a in articles if a.published is None]
    assert undated
    story = _story(*articles)
    whole = {a.id: a for a in infer_published(list(articles), [story])}
    view = story_view(list(articles))
    halves = [*date_with_view(undated[:1], view), *date_with_view(undated[1:], view)]
    assert halves == [whole[a.id] for a in undated]
    assert any(a.published is not None for a in halves)
