"""Calendar arithmetic for temporal normalisation: weekdays, weeks, quarters, seasons, holidays.

Every function is pure and works on :class:`datetime.date`; values come back as TIMEX3 strings.
``direction`` is ``"past"`` (latest occurrence on or before the reference), ``"future"`` (first
on or after it) or ``"near"`` (whichever is closer).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

Direction = Literal["past", "future", "near"]

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_MIN_YEAR, _MAX_YEAR = 1, 9998


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """``date(year, month, day)`` or ``None`` when it does not exist (Feb 30, year 0)."""
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def add_days(day: dt.date, n: int) -> dt.date | None:
    """``day + n`` days, or ``None`` outside the supported calendar."""
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        return None


def month_value(year: int, month: int) -> str:
    """``YYYY-MM`` for a month given as year and possibly out-of-range month number."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def week_value(day: dt.date, shift: int = 0) -> str:
    """ISO week ``YYYY-Www`` of ``day`` moved by ``shift`` weeks."""
    moved = add_days(day, 7 * shift) or day
    iso = moved.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def quarter_of(day: dt.date) -> int:
    """The calendar quarter (1-4) that ``day`` falls in."""
    return (day.month - 1) // 3 + 1


def quarter_value(year: int, quarter: int) -> str:
    """``YYYY-Qn`` with ``quarter`` possibly out of 1..4 (carried into the year)."""
    year += (quarter - 1) // 4
    quarter = (quarter - 1) % 4 + 1
    return f"{year:04d}-Q{quarter}"


def quarter_year(ref: dt.date, quarter: int) -> int:
    """The year of the latest quarter ``quarter`` that has started by ``ref``."""
    return ref.year if quarter <= quarter_of(ref) else ref.year - 1


def weekday_date(ref: dt.date, weekday: int, direction: Direction, *, strict: bool) -> dt.date:
    """The ``weekday`` (Monday=0) nearest ``ref`` in ``direction``; ``strict`` skips ``ref``."""
    ahead = (weekday - ref.weekday()) % 7
    behind = (ref.weekday() - weekday) % 7
    if strict:
        ahead = ahead or 7
        behind = behind or 7
    if direction == "future" or (direction == "near" and ahead < behind):
        return add_days(ref, ahead) or ref
    return add_days(ref, -behind) or ref


def month_day_year(ref: dt.date, month: int, day: int, direction: Direction) -> int | None:
    """The year that puts ``month``/``day`` nearest ``ref`` in ``direction``.

    ``None`` when the day never exists (Feb 30). Feb 29 picks the nearest leap year.
    """
    candidates = [
        (year, d)
        for year in range(ref.year - 4, ref.year + 5)
        if (d := safe_date(year, month, day)) is not None
    ]
    if not candidates:
        return None
    if direction == "past":
        past = [c for c in candidates if c[1] <= ref]
        return max(past, key=lambda c: c[1])[0] if past else None
    if direction == "future":
        future = [c for c in candidates if c[1] >= ref]
        return min(future, key=lambda c: c[1])[0] if future else None
    return min(candidates, key=lambda c: abs((c[1] - ref).days))[0]


def month_year(ref: dt.date, month: int, direction: Direction, *, strict: bool = False) -> int:
    """The year of the month ``month`` nearest ``ref`` in ``direction``.

    With ``strict`` the current month does not count ("last October" in October is a year ago).
    """
    if direction == "past":
        if month < ref.month or (month == ref.month and not strict):
            return ref.year
        return ref.year - 1
    if direction == "future":
        if month > ref.month or (month == ref.month and not strict):
            return ref.year
        return ref.year + 1
    return ref.year if abs(month - ref.month) <= 6 else ref.year + (1 if month < ref.month else -1)


def season_value(ref: dt.date, season: str, relation: str) -> str:
    """``YYYY-SS`` for ``season`` (SP, SU, FA, WI) ``relation`` ("last", "this", "next") to ref.

    A winter belongs to the year it starts in (December).
    """
    now = ref.year * 12 + ref.month - 1
    start = SEASON_START[season] - 1
    this_year = ref.year - 1 if season == "WI" and ref.month < 3 else ref.year
    if relation == "this":
        return f"{this_year:04d}-{season}"
    if relation == "last":
        year = this_year
        while year * 12 + start + 3 > now:  # not over yet
            year -= 1
        return f"{year:04d}-{season}"
    year = this_year
    while year * 12 + start <= now:  # already begun
        year += 1
    return f"{year:04d}-{season}"


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holiday_date(name: str, year: int) -> dt.date | None:
    """The date of a named holiday (lower-case key of ``HOLIDAYS``) in ``year``."""
    if not 1583 <= year <= 9998:
        return None
    fixed = _FIXED_HOLIDAYS.get(name)
    if fixed is not None:
        return dt.date(year, *fixed)
    if name in ("easter", "easter sunday"):
        return easter(year)
    if name == "good friday":
        return easter(year) - dt.timedelta(days=2)
    rule = _FLOATING_HOLIDAYS.get(name)
    if rule is None:
        return None
    day = _nth_weekday(year, *rule)
    if name == "election day":  # the Tuesday after the first Monday
        day += dt.timedelta(days=1)
    return day


_FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "independence day": (7, 4),
    "july fourth": (7, 4),
    "the fourth of july": (7, 4),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "veterans day": (11, 11),
    "boxing day": (12, 26),
}
_FLOATING_HOLIDAYS: dict[str, tuple[int, int, int]] = {
    "thanksgiving": (11, 3, 4),
    "thanksgiving day": (11, 3, 4),
    "labor day": (9, 0, 1),
    "memorial day": (5, 0, -1),
    "election day": (11, 0, 1),
    "martin luther king day": (1, 0, 3),
}
HOLIDAYS: tuple[str, ...] = (
    *_FIXED_HOLIDAYS,
    *_FLOATING_HOLIDAYS,
    "easter",
    "easter sunday",
    "good friday",
)
