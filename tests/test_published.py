"""Declared publication dates: the formats inputs use, and nothing guessed."""

from __future__ import annotations

import datetime as dt
import email.utils

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline._published import parse_published

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-10-16", "2020-10-16"),
        ("2020-10-16T09:30:00Z", "2020-10-16"),
        ("2020-10-16T23:30:00-05:00", "2020-10-16"),
        ("2020-10-16 09:30", "2020-10-16"),
        ("2020/10/16", "2020-10-16"),
        ("2020-10", "2020-10"),
        ("2020", "2020"),
        ("  2021-05-04  ", "2021-05-04"),
        ("Fri, 16 Oct 2020 09:30:00 GMT", "2020-10-16"),
        ("October 16, 2020", "2020-10-16"),
        ("Friday, October 16, 2020", "2020-10-16"),
        ("Oct. 16, 2020", "2020-10-16"),
        ("Sept 16, 2020", "2020-09-16"),
        ("16 Oct. 2020", "2020-10-16"),
        ("16th of October 2020", "2020-10-16"),
        ("Oct 16th 2020", "2020-10-16"),
        ("October 2020", "2020-10"),
        ("Friday", None),
        ("2021-02-30", None),
        ("February 30, 2021", None),
        ("", None),
        (None, None),
        ("16/10/2020", None),
        ("yesterday", None),
        ("Smarch 16, 2020", None),
    ],
)
def test_parse_published(raw: str | None, expected: str | None) -> None:
    parsed = parse_published(raw)
    assert (parsed.iso() if parsed else None) == expected


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates)
def test_iso_dates_parse_back(day: dt.date) -> None:
    parsed = parse_published(day.isoformat())
    assert parsed is not None
    assert (parsed.date, parsed.precision) == (day, "day")


@given(dates, st.integers(0, 23), st.integers(0, 59))
def test_rfc2822_dates_parse_back(day: dt.date, hour: int, minute: int) -> None:
    stamp = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)
    parsed = parse_published(email.utils.format_datetime(stamp))
    assert parsed is not None
    assert (parsed.date, parsed.precision) == (day, "day")


@given(dates)
def test_written_dates_parse_back(day: dt.date) -> None:
    parsed = parse_published(f"{MONTHS[day.month - 1]} {day.day}, {day.year}")
    assert parsed is not None
    assert (parsed.date, parsed.precision) == (day, "day")
