"""Number and date formats per language, from the Unicode CLDR (through Babel).

- :func:`month_names`: month names and abbreviations (lower case, "mär", "märz",
  "sept") → month number;
- :func:`weekday_names`: weekday names and abbreviations, lower case;
- :func:`date_order`: the order of day, month and year in the language's short numeric
  date ("DMY" for ``31.12.21`` in German, "MDY" for ``12/31/21`` in English);
- :func:`parse_number`: a number written in the language's convention ("1.234,5" in
  German, "1 234,5" in French, "1,234.5" in English) → its value.

Limits: Babel knows the conventions of a locale, not of a text: a German text quoting an
English figure ("3.5 million") is read the German way. Unknown languages read as English.
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError
from babel.dates import get_date_format, get_day_names, get_month_names
from babel.numbers import get_decimal_symbol

__all__ = ["date_order", "month_names", "parse_number", "weekday_names"]

_SPACES = "\u00a0\u202f\u2009 "  # group separators that look like spaces in print
_GROUPED = {
    ".": re.compile(r"\d{1,3}(?:\.\d{3})*|\d+"),
    ",": re.compile(r"\d{1,3}(?:,\d{3})*|\d+"),
}
_NUMBER = re.compile(r"[+-−]?\d[\d.,'’\u00a0\u202f\u2009 ]*")


@functools.cache
def _locale(language: str | None) -> Locale:
    try:
        return Locale.parse((language or "en").split("-")[0].lower())
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.cache
def month_names(language: str | None) -> dict[str, int]:
    """Lower-case month names and abbreviations of ``language`` → month number (1-12)."""
    locale = _locale(language)
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, locale).items():
                for form in _forms(name):
                    names.setdefault(form, int(month))
    return names


@functools.cache
def weekday_names(language: str | None) -> frozenset[str]:
    """Lower-case weekday names and abbreviations of ``language``."""
    locale = _locale(language)
    return frozenset(
        form
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
        for name in get_day_names(width, context, locale).values()
        for form in _forms(name)
    )


@functools.cache
def date_order(language: str | None) -> str:
    """ "DMY", "MDY" or "YMD": the field order of the language's short numeric date."""
    pattern = get_date_format("short", locale=_locale(language)).pattern
    positions = {field: pattern.find(field) for field in "dMy"}
    return "".join(
        {"d": "D", "M": "M", "y": "Y"}[f] for f in sorted(positions, key=positions.__getitem__)
    )


def parse_number(text: str, language: str | None) -> float | None:
    """The value of the number ``text`` written in ``language``'s convention, or None.

    Group separators are dropped where they group thousands ("1.234,5" is 1234.5 in
    German, "1 234,5" in French, "1,234.5" in English); a number with only the other
    language's decimal mark ("3.5" in a German text) is read with that mark.
    """
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    locale = _locale(language)
    decimal = get_decimal_symbol(locale)
    sign = -1.0 if text[0] in "-−" else 1.0
    body = text.lstrip("+-−")
    for mark in (*_SPACES, "'", "’"):
        body = body.replace(mark, "")
    other = "." if decimal == "," else ","
    if decimal in body:
        whole, _, fraction = body.rpartition(decimal)
        if not _GROUPED[other].fullmatch(whole):
            return None
        body = whole.replace(other, "") + "." + fraction
    elif _GROUPED[other].fullmatch(body):
        body = body.replace(other, "")
    elif other == ".":
        pass  # "3.5" in a German text: read as a decimal point
    else:
        return None  # "1,5" in an English text, not a grouping: ambiguous
    try:
        return sign * float(body)
    except ValueError:
        return None


def _forms(name: str) -> set[str]:
    name = name.lower()
    return {name, name.rstrip(".")}
