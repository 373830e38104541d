"""Shared state and helpers for normalising temporal expressions.

``Context`` carries one call's text, publication date and the anchors mentioned so far;
``tense`` reads the nearest future or past cue around an expression; the rest turns
quantities, units, month and weekday tokens into TIMEX3 pieces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.extract import _timex_patterns as pat
from storyline.extract._timex_calendar import Direction
from storyline.model import TimexType

Value = tuple[TimexType, str]


@dataclass(slots=True)
class Context:
    """Per-call state: the text, the publication date and the anchors mentioned so far.

    ``period`` is a publication date known only to the month or year, ``(year, month)``
    or ``(year, None)``: year-less month-days and months resolve inside it when ``dct``
    is unknown. ``last_day_at`` and ``last_year_at`` are where those anchors were named.
    """

    text: str
    dct: dt.date | None
    period: tuple[int, int | None] | None = None
    last_day: dt.date | None = None
    last_day_at: int = -(10**9)
    last_year: int | None = None
    last_year_at: int = -(10**9)
    last_quarter: tuple[int, int] | None = None
    last_quarter_at: int = -(10**9)
    last_month: tuple[int, int] | None = None
    tenses: dict[tuple[int, int], Direction | None] = field(default_factory=dict)
    """:func:`tense` by span: it reads only the text, so one text's calls share it."""

    def set_quarter(self, year: int, quarter: int, at: int) -> None:
        """Remember an explicitly mentioned quarter for later "the quarter" anaphora."""
        self.last_quarter = (year, quarter)
        self.last_quarter_at = at


Handler = Callable[[re.Match[str], Context], Value | None]


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The approximate sentence around ``[start, end)``, at most 250 characters each side."""
    lo = max(0, start - 250)
    left = lo
    for m in pat.SENTENCE_END_RE.finditer(text, lo, start):
        left = m.end()
    right_m = pat.SENTENCE_END_RE.search(text, end, min(len(text), end + 250))
    return left, right_m.start() if right_m else min(len(text), end + 250)


_AFTER_CHARS = 40
_PASSIVE_RE = re.compile(r"\b(?:be|being)\s+$", re.IGNORECASE)


def tense(ctx: Context, start: int, end: int) -> Direction | None:
    """Future or past from the nearest tense cue before (else after) the expression."""
    key = (start, end)
    if key not in ctx.tenses:
        ctx.tenses[key] = _tense(ctx, start, end)
    return ctx.tenses[key]


def _tense(ctx: Context, start: int, end: int) -> Direction | None:
    left, right = sentence_bounds(ctx.text, start, end)
    if _DEADLINE_RE.search(ctx.text, max(left, start - 8), start):
        return "future"  # "by May", "until Nov. 6"
    best: tuple[int, Direction] | None = None
    for m in pat.FUTURE_CUE_RE.finditer(ctx.text, left, start):
        best = (m.start(), "future")
    for m in pat.PAST_CUE_RE.finditer(ctx.text, left, start):
        if _PASSIVE_RE.search(ctx.text, max(left, m.start() - 6), m.start()):
            continue  # "will be held": the participle says nothing about time
        if best is None or m.start() > best[0]:
            best = (m.start(), "past")
    if best is not None:
        if best[1] == "future" and _PLUPERFECT_RE.search(ctx.text, left, start):
            return "past"
        return best[1]
    right = min(right, end + _AFTER_CHARS)  # the verb of a fronted adverbial is close by
    fut = pat.FUTURE_CUE_RE.search(ctx.text, end, right)
    past = pat.PAST_CUE_RE.search(ctx.text, end, right)
    if fut and (past is None or fut.start() <= past.start()):
        return "future"
    return "past" if past else None


_DEADLINE_RE = re.compile(r"\b(?:by|until|till|through)\s+$", re.IGNORECASE)
_PLUPERFECT_RE = re.compile(r"\bhad\b|['\u2019]d\s+been\b", re.IGNORECASE)


def tense_direction(ctx: Context, m: re.Match[str], default: Direction = "past") -> Direction:
    return tense(ctx, m.start(), m.end()) or default


def number(words: str) -> float | None:
    """The value of a quantity ("24", "twenty-four", "a couple of"); ``None`` when vague."""
    w = " ".join(words.lower().replace("-", " ").split())
    if w.replace(",", "").replace(".", "", 1).isdigit():
        return float(w.replace(",", ""))
    if w in pat.NUMBER_WORDS:
        return pat.NUMBER_WORDS[w]
    parts = w.split()
    if len(parts) == 2 and parts[0] in pat.NUMBER_WORDS and parts[1] in pat.NUMBER_WORDS:
        return pat.NUMBER_WORDS[parts[0]] + pat.NUMBER_WORDS[parts[1]]
    return None


def fraction(m: re.Match[str]) -> float:
    return 0.5 if (m["f1"] or "").strip() or (m.groupdict().get("f2") or "").strip() else 0.0


_SUB = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60)}


def duration_value(n: float | None, unit: str) -> str:
    """``P2Y6M``-style ISO 8601 duration of ``n`` units; ``PXY`` when ``n`` is vague."""
    scale = {"DE": ("Y", 10), "CE": ("Y", 100), "Q": ("M", 3), "FN": ("W", 2)}
    if unit in scale:
        unit, factor = scale[unit]
        n = None if n is None else n * factor
    letter = {"MIN": "M"}.get(unit, unit)
    t = "T" if unit in ("H", "MIN", "S") else ""
    if n is None:
        return f"P{t}X{'WE' if unit == 'WE' else letter}"
    whole = int(n)
    rest = n - whole
    out = f"P{t}{whole}{letter}"
    if rest and unit in _SUB:
        sub, per = _SUB[unit]
        sub_t = "T" if sub in ("H", "MIN") and not t else ""
        out += f"{sub_t}{round(rest * per)}{'M' if sub == 'MIN' else sub}"
    elif rest:
        out = f"P{t}{n:g}{letter}"
    return out


def unit_code(word: str) -> str:
    w = word.lower()
    return pat.UNITS.get(w, pat.UNITS.get(w.rstrip("s"), "D"))


def month_number(token: str) -> int | None:
    """Month number of a month token; ``None`` for lower-case ambiguous forms ("may")."""
    low = token.lower().rstrip(".")
    if token[0].islower() and (low in ("may", "march") or len(low) <= 4):
        return None
    return pat.MONTHS[low[:3]]


def weekday_number(token: str) -> int | None:
    return None if token[0].islower() else pat.WEEKDAYS[token[:3].lower()]


def two_digit_year(yy: int, ctx: Context) -> int:
    ref = ctx.dct.year if ctx.dct else 1999
    century = ref // 100 * 100
    year = century + yy
    return year - 100 if year > ref + 10 else year


def year_token(token: str, ctx: Context) -> int:
    digits = token.lstrip("'\u2019")
    return int(digits) if len(digits) == 4 else two_digit_year(int(digits), ctx)


def day_value(day: dt.date | None, pod: str | None = None) -> str:
    base = day.isoformat() if day else "XXXX-XX-XX"
    return f"{base}T{pat.PARTS_OF_DAY[pod.lower().rstrip('s')]}" if pod else base


def pod_kind(pod: str | None) -> TimexType:
    return "TIME" if pod else "DATE"
