"""Model: to_dict/from_dict round-trips, PartialDate, Span and decoding errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.model import (
    Article,
    Claim,
    ClaimValue,
    DateNote,
    Entity,
    Event,
    PartialDate,
    Quote,
    Removed,
    Result,
    Skipped,
    Span,
    Story,
    Summary,
    SummarySentence,
    TimeExpression,
    TimelineEntry,
    from_dict,
    to_dict,
)
from tests.conftest import make_article

# --- strategies ---------------------------------------------------------------------------

texts = st.text(max_size=30)
optional_texts = st.none() | texts
ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=16)
id_tuples = st.lists(ids, max_size=3).map(tuple)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = draw(st.integers(min_value=0, max_value=10_000))
    end = draw(st.integers(min_value=start, max_value=20_000))
    return Span(article_id=draw(ids), start=start, end=end)


span_tuples = st.lists(spans(), max_size=3).map(tuple)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """Dates normalised to the first day of their period, as from_iso builds them."""
    day = draw(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    return PartialDate(date=day, precision=precision)


optional_dates = st.none() | partial_dates()

time_expressions = st.builds(
    TimeExpression,
    text=texts,
    type=st.sampled_from(["DATE", "TIME", "DURATION", "SET"]),
    value=texts,
    evidence=span_tuples,
)

articles = st.builds(
    Article,
    id=ids,
    source=texts,
    title=optional_texts,
    text=st.text(max_size=200),
    outlet=optional_texts,
    author=optional_texts,
    url=optional_texts,
    published=optional_dates,
    published_source=st.none() | st.sampled_from(["given", "metadata", "inferred"]),
    language=optional_texts,
    group=optional_texts,
    removed=st.lists(st.builds(Removed, text=texts, reason=texts), max_size=3).map(tuple),
    duplicate_of=st.none() | ids,
    syndicated_from=optional_texts,
    dates=st.lists(time_expressions, max_size=2).map(tuple),
)

stories = st.builds(
    Story,
    id=ids,
    title=texts,
    article_ids=id_tuples,
    events=st.lists(
        st.builds(
            Event,
            id=ids,
            title=texts,
            article_ids=id_tuples,
            start=optional_dates,
            end=optional_dates,
        ),
        max_size=2,
    ).map(tuple),
    entities=st.lists(
        st.builds(
            Entity,
            name=texts,
            type=texts,
            aliases=st.lists(texts, max_size=2).map(tuple),
            article_ids=id_tuples,
            mentions=st.integers(0, 1000),
            evidence=span_tuples,
        ),
        max_size=2,
    ).map(tuple),
    quotes=st.lists(
        st.builds(
            Quote,
            text=texts,
            speaker=optional_texts,
            article_ids=id_tuples,
            first_seen=ids,
            evidence=span_tuples,
            platform=optional_texts,
        ),
        max_size=2,
    ).map(tuple),
    timeline=st.lists(
        st.builds(
            TimelineEntry,
            date=partial_dates(),
            text=texts,
            article_ids=id_tuples,
            evidence=span_tuples,
            background=st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
    claims=st.lists(
        st.builds(
            Claim,
            subject=texts,
            attribute=texts,
            status=st.sampled_from(["agree", "conflict", "changed_over_time"]),
            kind=st.sampled_from(["age", "amount", "count", "tally", "place", "role"]),
            values=st.lists(
                st.builds(
                    ClaimValue,
                    value=texts,
                    as_of=optional_dates,
                    article_ids=id_tuples,
                    evidence=span_tuples,
                ),
                max_size=2,
            ).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
    summary=st.none()
    | st.builds(
        Summary,
        sentences=st.lists(
            st.builds(
                SummarySentence,
                text=texts,
                article_ids=id_tuples,
                evidence=span_tuples,
                date=optional_dates,
                latest=st.booleans(),
                date_notes=st.lists(
                    st.builds(DateNote, text=texts, date=partial_dates(), evidence=span_tuples),
                    max_size=2,
                ).map(tuple),
            ),
            max_size=2,
        ).map(tuple),
        empty_reason=optional_texts,
    ),
)

results = st.builds(
    Result,
    articles=st.lists(articles, max_size=2).map(tuple),
    skipped=st.lists(st.builds(Skipped, source=texts, reason=texts), max_size=2).map(tuple),
    stories=st.lists(stories, max_size=2).map(tuple),
)


# --- round-trips ----------------------------------------------------------------------------


@given(articles)
def test_article_round_trips_through_dict(article: Article) -> None:
    assert from_dict(Article, to_dict(article)) == article


@given(stories)
def test_story_round_trips_through_dict(story: Story) -> None:
    assert from_dict(Story, to_dict(story)) == story


@given(results)
def test_result_round_trips_through_json(result: Result) -> None:
    assert from_dict(Result, json.loads(json.dumps(to_dict(result)))) == result


def test_to_dict_writes_dates_as_iso_at_their_precision() -> None:
    article = make_article(published=PartialDate(date=dt.date(2020, 10, 1), precision="month"))
    assert to_dict(article)["published"] == "2020-10"


def test_to_dict_adds_precision_to_timeline_entries() -> None:
    entry = TimelineEntry(date=PartialDate.from_iso("2020"), text="x", article_ids=(), evidence=())
    assert to_dict(entry)["precision"] == "year"


# --- PartialDate ----------------------------------------------------------------------------


@given(partial_dates())
def test_partial_date_iso_round_trips(date: PartialDate) -> None:
    assert PartialDate.from_iso(date.iso()) == date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-10-16", PartialDate(date=dt.date(2020, 10, 16), precision="day")),
        ("2020-10", PartialDate(date=dt.date(2020, 10, 1), precision="month")),
        ("2020", PartialDate(date=dt.date(2020, 1, 1), precision="year")),
        (" 2020-10 ", PartialDate(date=dt.date(2020, 10, 1), precision="month")),
    ],
)
def test_partial_date_from_iso(text: str, expected: PartialDate) -> None:
    assert PartialDate.from_iso(text) == expected


@pytest.mark.parametrize(
    "text", ["2021-02-30", "2021-13", "2021-00-10", "20", "16/10/2020", "October 2020", ""]
)
def test_partial_date_from_iso_rejects_impossible_or_other_dates(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - message varies with the cause
        PartialDate.from_iso(text)


def test_partial_date_str_is_its_iso_form() -> None:
    assert str(PartialDate(date=dt.date(2021, 5, 4), precision="year")) == "2021"


# --- Span -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(0, 0), (0, 5), (3, 3)])
def test_span_accepts_half_open_ranges(start: int, end: int) -> None:
    assert Span(article_id="a", start=start, end=end).end == end


@pytest.mark.parametrize(("start", "end"), [(5, 4), (-1, 3), (-2, -1)])
def test_span_rejects_invalid_ranges(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="invalid span"):
        Span(article_id="a", start=start, end=end)


# --- from_dict errors -----------------------------------------------------------------------


def _article_dict(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = to_dict(make_article())
    data.update(changes)
    return data


def test_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="unknown keys"):
        from_dict(Article, _article_dict(colour="blue"))


def test_from_dict_names_where_a_nested_key_is_unknown() -> None:
    data = to_dict(
        Story(id="s", title="t", article_ids=("a",), summary=Summary(empty_reason="none"))
    )
    data["summary"]["extra"] = 1
    with pytest.raises(ValueError, match=r"Story\.summary"):
        from_dict(Story, data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": 3}, "expected str"),
        ({"text": None}, "expected str"),
        ({"removed": "none"}, "expected a list"),
        ({"removed": [["a", "b"]]}, "expected an object"),
        ({"published": 20210504}, "expected an ISO date"),
        ({"published": "2021-02-30"}, "day is out of range"),
        ({"published_source": "guessed"}, "is not one of"),
    ],
)
def test_from_dict_rejects_wrong_types(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_dict(Article, _article_dict(**changes))


def test_from_dict_rejects_a_bool_where_an_int_is_expected() -> None:
    data = to_dict(
        Entity(name="n", type="PERSON", aliases=(), article_ids=(), mentions=1, evidence=())
    )
    data["mentions"] = True
    with pytest.raises(ValueError, match="expected int"):
        from_dict(Entity, data)


def test_from_dict_rejects_a_missing_required_field() -> None:
    data = _article_dict()
    del data["text"]
    with pytest.raises(ValueError, match="text"):
        from_dict(Article, data)


def test_from_dict_rejects_a_non_object() -> None:
    with pytest.raises(ValueError, match="expected an object"):
        from_dict(Article, ["not", "an", "object"])


def test_from_dict_rejects_an_invalid_span() -> None:
    with pytest.raises(ValueError, match="invalid span"):
        from_dict(Span, {"article_id": "a", "start": 5, "end": 1})


@pytest.mark.parametrize(
    ("iso", "last"),
    [
        ("2020-10-14", "2020-10-14"),
        ("2020-02", "2020-02-29"),
        ("2021-12", "2021-12-31"),
        ("2021", "2021-12-31"),
    ],
)
def test_partial_date_last_day(iso: str, last: str) -> None:
    assert PartialDate.from_iso(iso).last_day().isoformat() == last
