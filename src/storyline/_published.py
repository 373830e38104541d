"""Parse publication dates as inputs declare them (metadata, headers, feeds).

Accepted: ISO 8601 dates and date-times (``2020-10-16``, ``2020-10-16T09:30:00Z``,
``2020-10``, ``2020``), RFC 2822 (``Fri, 16 Oct 2020 09:30:00 GMT``), and written dates
(``October 16, 2020``, ``16 Oct. 2020``, ``Oct 16th 2020``). Numeric day/month orders
other than ISO are ambiguous and are not guessed. Anything else gives ``None``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from storyline.model import PartialDate

__all__ = ["parse_published"]

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_ISO = re.compile(
    r"^(?P<year>\d{4})(?:[-/](?P<month>\d{1,2})(?:[-/](?P<day>\d{1,2}))?)?"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_WRITTEN = (
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
    re.compile(rf"^{_MONTH}\s+{_YEAR}$"),
)


def parse_published(raw: str | None) -> PartialDate | None:
    """Parse a declared publication date; ``None`` when absent or not understood."""
    if not raw:
        return None
    text = raw.strip()
    match = _ISO.match(text)
    if match:
        return _build(match["year"], match["month"], match["day"])
    for pattern in _WRITTEN:
        match = pattern.match(text)
        if match:
            month = _MONTHS.get(match["month"].lower())
            if month is None:
                continue
            day = match.groupdict().get("day")
            return _build(match["year"], str(month), day)
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return PartialDate(date=parsed.date(), precision="day")


def _build(year: str, month: str | None, day: str | None) -> PartialDate | None:
    try:
        if day is not None and month is not None:
            return PartialDate(date=dt.date(int(year), int(month), int(day)), precision="day")
        if month is not None:
            return PartialDate(date=dt.date(int(year), int(month), 1), precision="month")
        return PartialDate(date=dt.date(int(year), 1, 1), precision="year")
    except ValueError:  # an impossible date such as 2021-02-30
        return None
