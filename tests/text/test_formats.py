"""Number and date formats per language."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from storyline.text import date_order, month_names, parse_number, weekday_names


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("1.234,5", "de", 1234.5),
        ("1 234,5", "fr", 1234.5),
        ("1,234.5", "en", 1234.5),
        ("1.234", "de", 1234.0),
        ("1.234", "en", 1.234),
        ("12,5", "es", 12.5),
        ("3.5", "de", 3.5),
        ("-7", "en", -7.0),
    ],
)
def test_numbers_read_in_the_language_convention(text: str, language: str, value: float) -> None:
    assert parse_number(text, language) == value


def test_ambiguous_or_malformed_numbers_are_none() -> None:
    assert parse_number("1,5", "en") is None
    assert parse_number("1,2,3", "en") is None
    assert parse_number("abc", "de") is None


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["en", "de", "fr", "es"]),
)
def test_numbers_formatted_by_cldr_parse_back(value: object, language: str) -> None:
    text = format_decimal(value, format="#,##0.00", locale=language)
    assert parse_number(text, language) == pytest.approx(float(str(value)))


def test_month_and_weekday_names() -> None:
    assert month_names("de")["märz"] == 3
    assert month_names("fr")["août"] == 8
    assert month_names("es")["septiembre"] == 9
    assert "mittwoch" in weekday_names("de")
    assert "sábado" in weekday_names("es")


def test_date_order() -> None:
    assert date_order("en") == "MDY"
    assert date_order("de") == date_order("fr") == date_order("es") == "DMY"
