"""Tests for temporal expression extraction and normalisation (storyline.extract.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract.dates import EXTEND_REACH, DateResolver, extract_dates

FRI = dt.date(2020, 10, 16)  # a Friday
THU = dt.date(2020, 10, 15)
JAN21 = dt.date(2021, 1, 20)


def _one(text: str, published: dt.date | None, phrase: str) -> tuple[str, str]:
    """The (type, value) of the expression whose text contains ``phrase``."""
    found = extract_dates(text, article_id="a1", published=published)
    hits = [e for e in found if phrase in e.text]
    assert len(hits) == 1, found
    return hits[0].type, hits[0].value


@pytest.mark.parametrize(
    ("text", "published", "phrase", "expected"),
    [
        # weekdays: latest up to publication, unless the clause looks ahead
        ("The minister returned on Friday.", FRI, "Friday", ("DATE", "2020-10-16")),
        ("The minister returned on Tuesday.", FRI, "Tuesday", ("DATE", "2020-10-13")),
        ("The board will meet on Tuesday.", FRI, "Tuesday", ("DATE", "2020-10-20")),
        ("They plan to talk next Friday.", FRI, "Friday", ("DATE", "2020-10-23")),
        ("The fire broke out last Friday.", FRI, "Friday", ("DATE", "2020-10-09")),
        ("Shots were heard Wednesday night.", THU, "Wednesday", ("TIME", "2020-10-14TNI")),
        ("Talks resume Saturday, Oct. 24.", FRI, "Oct. 24", ("DATE", "2020-10-24")),
        # month-day without a year: closest before publication unless ahead
        ("He was arrested Sept. 28 at home.", dt.date(2021, 9, 29), "Sept", ("DATE", "2021-09-28")),
        ("He was arrested Sept. 28 at home.", dt.date(2021, 1, 5), "Sept", ("DATE", "2020-09-28")),
        ("The vote was held on October 14th.", FRI, "October", ("DATE", "2020-10-14")),
        ("MONDAY, JUNE 11TH, 2012 AT 10:49 AM", None, "JUNE", ("DATE", "2012-06-11")),
        ("Polls opened on 14 March.", FRI, "March", ("DATE", "2020-03-14")),
        ("The court will rule on Jan. 4.", FRI, "Jan", ("DATE", "2021-01-04")),
        ("The shares are payable Dec. 1.", FRI, "Dec", ("DATE", "2020-12-01")),
        ("Sales peaked in July 1998.", FRI, "July", ("DATE", "1998-07")),
        ("It opened on March 3, 2015.", FRI, "March", ("DATE", "2015-03-03")),
        ("It closed on February 29, 2016.", FRI, "February", ("DATE", "2016-02-29")),
        # relative days, weeks, months, years
        ("Fans gathered yesterday.", FRI, "yesterday", ("DATE", "2020-10-15")),
        ("The index fell today.", FRI, "today", ("DATE", "2020-10-16")),
        ("She speaks tonight.", FRI, "tonight", ("TIME", "2020-10-16TNI")),
        ("The team lost this week.", FRI, "this week", ("DATE", "2020-W42")),
        ("The team lost last week.", FRI, "last week", ("DATE", "2020-W41")),
        ("Prices rose last month.", FRI, "last month", ("DATE", "2020-09")),
        ("Prices will rise next month.", FRI, "next month", ("DATE", "2020-11")),
        ("Profits doubled last year.", FRI, "last year", ("DATE", "2019")),
        ("The plant shut earlier this month.", FRI, "this month", ("DATE", "2020-10")),
        ("The band toured this Summer.", FRI, "Summer", ("DATE", "2020-SU")),
        ("The firm listed two weeks ago.", FRI, "ago", ("DATE", "2020-W40")),
        ("The firm listed three days ago.", FRI, "ago", ("DATE", "2020-10-13")),
        ("The firm listed five years ago.", FRI, "ago", ("DATE", "2015")),
        ("It was founded in 2013.", FRI, "2013", ("DATE", "2013")),
        ("Rates were high in the 1990s.", FRI, "1990s", ("DATE", "199")),
        ("Rates were high in the '80s.", FRI, "80s", ("DATE", "198")),
        ("The law dates from the 19th century.", FRI, "century", ("DATE", "18")),
        ("Stocks are now higher.", FRI, "now", ("DATE", "PRESENT_REF")),
        ("The mayor recently resigned.", FRI, "recently", ("DATE", "PAST_REF")),
        ("Growth slowed in the third quarter.", FRI, "third", ("DATE", "2020-Q3")),
        ("Growth slowed in the fourth quarter.", JAN21, "fourth", ("DATE", "2020-Q4")),
        ("They met on Thanksgiving.", dt.date(2020, 12, 1), "Thanksgiving", ("DATE", "2020-11-26")),
        # clock times
        ("The polls close at 2:30 p.m. Friday.", FRI, "2:30", ("TIME", "2020-10-16T14:30")),
        ("The blast came at 10 a.m. yesterday.", FRI, "10 a.m.", ("TIME", "2020-10-15T10:00")),
        # durations and sets
        ("His wife of seven years filed for divorce.", FRI, "seven", ("DURATION", "P7Y")),
        ("They were held for 10 days.", FRI, "10 days", ("DURATION", "P10D")),
        ("Doctors induced her at 24 weeks of pregnancy.", FRI, "24 weeks", ("DURATION", "P24W")),
        ("The strike lasted 2 1/2 years.", FRI, "years", ("DURATION", "P2Y6M")),
        ("The flight took three hours.", FRI, "hours", ("DURATION", "PT3H")),
        ("He signed a five-year contract.", FRI, "five-year", ("DURATION", "P5Y")),
        ("The paper is printed daily.", FRI, "daily", ("SET", "P1D")),
        ("The club meets every Thursday.", FRI, "Thursday", ("SET", "XXXX-WXX-4")),
        # no publication date: relative ones stay unresolved, absolute ones resolve
        ("The minister returned on Friday.", None, "Friday", ("DATE", "XXXX-WXX-5")),
        ("He was arrested Sept. 28 at home.", None, "Sept", ("DATE", "XXXX-09-28")),
        ("Profits doubled last year.", None, "last year", ("DATE", "XXXX")),
        ("The firm listed two weeks ago.", None, "ago", ("DATE", "PAST_REF")),
        ("It opened on March 3, 2015.", None, "March", ("DATE", "2015-03-03")),
        ("Profits doubled in '98.", None, "98", ("DATE", "1998")),
    ],
)
def test_normalised_value(
    text: str, published: dt.date | None, phrase: str, expected: tuple[str, str]
) -> None:
    assert _one(text, published, phrase) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Teigen, 34, posted a photo.",
        "The 41-year-old singer won.",
        "He is 34 years old.",
        "One in 8 voters, or 35.4 million people, stayed home.",
        "Iraq imports about three-quarters of its food.",
        "It happened on February 30.",
        "May I ask a question?",
        "Troops march on the capital.",
    ],
)
def test_not_a_date(text: str) -> None:
    assert extract_dates(text, article_id="a1", published=FRI) == ()


def test_offsets_are_exact() -> None:
    text = "On Friday, 2 1/2 years after the vote, officials met at noon."
    found = extract_dates(text, article_id="doc-7", published=FRI)
    assert [e.text for e in found] == ["Friday", "2 1/2 years", "noon"]
    for e in found:
        (span,) = e.evidence
        assert span.article_id == "doc-7"
        assert text[span.start : span.end] == e.text


def test_modifiers_join_the_span() -> None:
    text = "The talks lasted more than four hours and will end in early November."
    found = extract_dates(text, article_id="a1", published=FRI)
    assert [(e.text, e.value) for e in found] == [
        ("more than four hours", "PT4H"),
        ("early November", "2020-11"),
    ]


def test_quarter_anaphora() -> None:
    text = "Net income rose in the third quarter. The year-ago quarter had a loss."
    found = extract_dates(text, article_id="a1", published=dt.date(2020, 11, 2))
    assert [e.value for e in found] == ["2020-Q3", "2019-Q3"]


# --- properties ---------------------------------------------------------------------------

_PAST_PHRASES = [
    "yesterday", "last week", "last month", "last year", "two weeks ago", "three days ago",
    "five years ago", "last Friday", "last summer", "last October", "a month ago",
]  # fmt: skip
_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(text=st.text(max_size=300), published=st.none() | _DATES)
@settings(max_examples=300, deadline=None)
def test_any_text_gives_spans_in_bounds(text: str, published: dt.date | None) -> None:
    for e in extract_dates(text, article_id="x", published=published):
        (span,) = e.evidence
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == e.text
        assert e.type in ("DATE", "TIME", "DURATION", "SET")


_WORDS = st.sampled_from(
    [
        "Friday", "May", "Sept.", "28", "2020", "'98", "the", "last", "next", "year", "ago",
        "two", "weeks", "quarter", "third", "noon", "p.m.", "10:30", "now", "of", "in", "will",
        "1990s", "century", "fiscal", "Feb.", "30", "each", "Monday", "night", "daily", " ",
        ",", ".", "-", "/", "12/31/1999", "2100", "1900", "earlier", "this", "summer",
        "JUNE", "11TH", "MONDAY", "3RD", "AT", "10:49", "AM", "Sept", "1st",
    ]
)  # fmt: skip


@given(words=st.lists(_WORDS, max_size=40), published=st.none() | _DATES)
@settings(max_examples=300, deadline=None)
def test_date_like_noise_never_crashes(words: list[str], published: dt.date | None) -> None:
    text = " ".join(words)
    found = extract_dates(text, article_id="x", published=published)
    assert found == extract_dates(text, article_id="x", published=published)
    for e in found:
        (span,) = e.evidence
        assert text[span.start : span.end] == e.text


@given(words=st.lists(_WORDS, max_size=40), days=st.lists(st.none() | _DATES, max_size=4))
@settings(max_examples=200, deadline=None)
def test_one_resolver_serves_many_dates(words: list[str], days: list[dt.date | None]) -> None:
    """Resolving is stateless: reusing one scan for many dates changes nothing."""
    text = " ".join(words)
    resolver = DateResolver(text, article_id="x")
    for published in [*days, *days]:
        assert resolver.resolve(published) == extract_dates(
            text, article_id="x", published=published
        )


@given(phrase=st.sampled_from(_PAST_PHRASES), published=_DATES)
@settings(max_examples=300, deadline=None)
def test_past_reference_never_after_publication(phrase: str, published: dt.date) -> None:
    found = extract_dates(f"It happened {phrase}.", article_id="x", published=published)
    (e,) = found
    start = _period_start(e.value)
    assert start is not None, e.value
    assert start <= published


def _period_start(value: str) -> dt.date | None:
    """The first day of a TIMEX3 date value (day, ISO week, month, season or year)."""
    if "-W" in value:
        year, week = value.split("-W")
        return dt.date.fromisocalendar(int(year), int(week[:2]), 1)
    parts = value.split("-")
    if len(parts) >= 2 and parts[1] in ("SP", "SU", "FA", "WI"):
        return dt.date(int(parts[0]), {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[parts[1]], 1)
    if len(parts) == 3:
        return dt.date.fromisoformat(value[:10])
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1)
    return dt.date(int(value), 1, 1) if value.isdigit() else None


@given(published=_DATES)
@settings(max_examples=100, deadline=None)
def test_extraction_is_idempotent_and_ordered(published: dt.date) -> None:
    text = "Last year sales rose; on Monday, May 4, 2015 and in the third quarter they fell."
    first = extract_dates(text, article_id="x", published=published)
    assert first == extract_dates(text, article_id="x", published=published)
    starts = [e.evidence[0].start for e in first]
    assert starts == sorted(starts)


@pytest.mark.issue(5)
def test_modal_may_after_this_is_not_a_month() -> None:
    text = "This may be because your body is not making enough red blood cells."
    assert extract_dates(text, article_id="x", published=dt.date(2020, 10, 16)) == ()


# --- issue 16: titles of works, indefinite weekdays, partial publication dates -----------


@pytest.mark.issue(16)
@pytest.mark.parametrize(
    "text",
    [
        "Critics loved the film 1917 when it opened.",
        "She watched “1917” twice and cried both times.",
        'The crowd sang along to "1999" at the finale.',
        "Fans queued for Blade Runner 2049 at the cinema.",
        "The venture was called Orion 1980 by its founders.",
    ],
)
def test_titles_of_works_are_not_dates(text: str) -> None:
    found = extract_dates(text, article_id="a1", published=FRI)
    assert not [e for e in found if e.value.isdigit() and len(e.value) == 4]


@pytest.mark.issue(16)
@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("In 2015 the harbour flooded.", "2015", "2015"),
        ("Since 2016 the ferry has run daily.", "2016", "2016"),
        ("Britain's 2016 referendum split the town.", "2016", "2016"),
        ("The mayor was elected in 2019.", "2019", "2019"),
    ],
)
def test_years_after_words_that_date_them_stay_dates(text: str, phrase: str, value: str) -> None:
    assert _one(text, FRI, phrase) == ("DATE", value)


@pytest.mark.issue(16)
def test_a_sunday_names_no_particular_day() -> None:
    text = "She was admitted to hospital on a Sunday night after weeks of tests."
    assert _one(text, FRI, "Sunday")[1] == "XXXX-WXX-7TNI"


@pytest.mark.issue(16)
def test_that_monday_follows_the_day_just_named() -> None:
    text = "She was admitted on Sept. 27, 2020. That Monday, she wrote to her fans."
    assert _one(text, JAN21, "Monday") == ("DATE", "2020-09-28")


@pytest.mark.issue(16)
def test_game_clocks_are_not_times_of_day() -> None:
    text = "Ames scored 4:51 into overtime, and the visitors led with 6:12 left."
    assert extract_dates(text, article_id="a1", published=FRI) == ()


@pytest.mark.issue(16)
@pytest.mark.parametrize(
    ("text", "period", "phrase", "value"),
    [
        ("The crash on Friday, June 13 closed the road.", "2025-06", "June", "2025-06-13"),
        ("The ferry sank on June 13.", "2025-06", "June", "2025-06-13"),
        ("The ferry sank on Sept. 28.", "2025-06", "Sept", "2024-09-28"),
        ("In a post shared on Sept. 28, she wrote.", "2021", "Sept", "2021-09-28"),
        ("The council met in August.", "2021", "August", "2021-08"),
        # a year named just before carries over to the next year-less date
        ("She fell ill on Sept. 27, 2020, and lost him on Sept. 30.", "2021", "30", "2020-09-30"),
    ],
)
def test_a_month_or_year_publication_places_yearless_dates(
    text: str, period: str, phrase: str, value: str
) -> None:
    from storyline.model import PartialDate

    found = extract_dates(
        text, article_id="a1", published=None, period=PartialDate.from_iso(period)
    )
    hits = [e for e in found if phrase in e.text]
    assert [e.value for e in hits][-1:] == [value]


@pytest.mark.issue(16)
def test_relative_expressions_need_a_publication_day() -> None:
    from storyline.model import PartialDate

    found = extract_dates(
        "He left yesterday.", article_id="a1", published=None, period=PartialDate.from_iso("2021")
    )
    assert [e.value for e in found] == ["XXXX-XX-XX"]


_PHRASES = [
    "on Friday",
    "yesterday",
    "last week",
    "about two weeks ago",
    "in March",
    "on the 5th",
    "the next day",
    "March 3, 2016",
    "early this month",
    "the 10-year plan",
    "its first quarter",
    "in 2015",
    "that Monday",
    "police said",
    "the mayor met officials",
]


@given(
    st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=400),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
)
@settings(max_examples=150, deadline=None)
def test_resolving_until_an_offset_gives_the_whole_texts_first_expressions(
    phrases: list[str], until: int, day: dt.date
) -> None:
    text = ". ".join(p[0].upper() + p[1:] if i % 3 == 0 else p for i, p in enumerate(phrases))
    resolver = DateResolver(text, article_id="a")
    whole = resolver.resolve(day)
    cut = resolver.resolve(day, until=until)
    assert whole[: len(cut)] == cut  # nothing before the offset changes
    # every expression whose evidence starts 40 characters or more before it is there
    assert all(e in cut for e in whole if e.evidence[0].start + EXTEND_REACH <= until)
