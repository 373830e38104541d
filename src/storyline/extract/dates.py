"""Temporal expressions: find dates, times, durations and sets and normalise them (TIMEX3).

Requires an article's cleaned ``text`` and, for relative expressions, its publication date.
Assigns ``Article.dates``: one :class:`~storyline.model.TimeExpression` per expression, with
its exact character span as evidence.

Method (a rule cascade, no model):

1. Every pattern family of ``_timex_patterns`` (calendar dates, weekdays, times, relative
   units, durations, "ago" phrases, quarters, fixed phrases, sets) proposes candidate spans.
2. Candidates are taken left to right, longest first; one that overlaps an accepted span or
   that its normaliser rejects (ages, impossible dates, bare "May") is dropped.
3. Each normaliser resolves its match against the publication date with news conventions:
   a bare weekday or month-day is the latest one up to publication unless the clause is
   future-tensed ("will", "next", modal verbs: the nearest cue before the expression wins);
   "N weeks ago" is the ISO week, "N days ago" the day, "N years ago" the year; quarters in
   business news resolve to the latest started quarter and later "the quarter"/"the
   year-ago period" to the last one mentioned; clock times anchor to the last mentioned day.
4. Approximators ("about", "nearly", "more than") and position words ("early", "late",
   "mid-", "the end of") just before an expression join its span; the value is unchanged.

Without a publication date, absolute expressions still resolve and relative ones get
placeholders (``XXXX-WXX-5``, ``XXXX-09-28``, ``PAST_REF``).

Limits: English only; no event anchoring ("two days after the vote" keeps only the
duration); tense is read from nearby cue words, not parsed; "the period", "that year" and
similar anaphora use only the last mentioned quarter or year. Scored on TempEval-3 by
``benchmarks/dates.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from storyline.extract import _timex_calendar as cal
from storyline.extract import _timex_patterns as pat
from storyline.extract._timex_calendar import Direction
from storyline.model import Span, TimeExpression, TimexType

__all__ = ["extract_dates"]

Value = tuple[TimexType, str]


@dataclass(slots=True)
class _Context:
    """Per-call state: the text, the publication date and the anchors mentioned so far."""

    text: str
    dct: dt.date | None
    last_day: dt.date | None = None
    last_year: int | None = None
    last_quarter: tuple[int, int] | None = None
    last_quarter_at: int = -(10**9)


Handler = Callable[[re.Match[str], _Context], Value | None]


def extract_dates(
    text: str, *, article_id: str, published: dt.date | None
) -> tuple[TimeExpression, ...]:
    """Find and normalise every temporal expression in ``text``.

    Args:
        text: the article's cleaned text.
        article_id: the id written into each evidence span.
        published: the publication date that relative expressions resolve against.

    Returns:
        The expressions in text order, each with one span and ``text == text[start:end]``.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    candidates = sorted(
        (m.start(), -m.end(), rank, m, handler)
        for rank, (regex, handler) in enumerate(_RULES)
        for m in regex.finditer(text)
        if m.end() > m.start()
    )
    ctx = _Context(text=text, dct=published)
    found: list[TimeExpression] = []
    taken_to = 0
    for start, neg_end, _rank, match, handler in candidates:
        if start < taken_to:
            continue
        value = handler(match, ctx)
        if value is None:
            continue
        start = _extend_left(text, start, value[0], floor=taken_to)
        end = -neg_end
        taken_to = end
        _remember(ctx, value, end)
        span = Span(article_id=article_id, start=start, end=end)
        found.append(
            TimeExpression(text=text[start:end], type=value[0], value=value[1], evidence=(span,))
        )
    return tuple(found)


# --- context ------------------------------------------------------------------------------

_APPROX_RE = re.compile(
    r"(?:\b(?:about|around|approximately|roughly|nearly|almost|more\s+than|less\s+than"
    r"|fewer\s+than|at\s+least|at\s+most|no\s+more\s+than|up\s+to|over|some|just|only)\s+)+$",
    re.IGNORECASE,
)
_POSITION_RE = re.compile(
    r"(?:\b(?:about|around|approximately|early|late|earlier|later|mid|the\s+end\s+of"
    r"|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+turn\s+of)(?:\s+|-))+$",
    re.IGNORECASE,
)


def _extend_left(text: str, start: int, kind: TimexType, *, floor: int) -> int:
    """Move ``start`` left over approximators or position words that modify the expression."""
    lo = max(floor, start - 40)
    regex = _APPROX_RE if kind == "DURATION" and text[start : start + 4].lower() != "the " else (
        _POSITION_RE
    )
    m = regex.search(text, lo, start)
    return m.start() if m else start


def _remember(ctx: _Context, value: Value, end: int) -> None:
    """Record the day, year and quarter that later anaphora may refer back to."""
    kind, v = value
    if kind not in ("DATE", "TIME") or not v[:4].isdigit():
        return
    ctx.last_year = int(v[:4])
    if len(v) >= 10 and v[4] == "-" and v[7] == "-" and v[8:10].isdigit():
        ctx.last_day = cal.safe_date(int(v[:4]), int(v[5:7]), int(v[8:10])) or ctx.last_day
    elif len(v) == 7 and v[5] == "Q" and v[6].isdigit():
        ctx.last_quarter = (int(v[:4]), int(v[6]))
        ctx.last_quarter_at = end


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The approximate sentence around ``[start, end)``, at most 250 characters each side."""
    lo = max(0, start - 250)
    left = lo
    for m in pat.SENTENCE_END_RE.finditer(text, lo, start):
        left = m.end()
    right_m = pat.SENTENCE_END_RE.search(text, end, min(len(text), end + 250))
    return left, right_m.start() if right_m else min(len(text), end + 250)


def _tense(ctx: _Context, start: int, end: int) -> Direction | None:
    """Future or past from the nearest tense cue before (else after) the expression."""
    left, right = _sentence_bounds(ctx.text, start, end)
    best: tuple[int, Direction] | None = None
    for m in pat.FUTURE_CUE_RE.finditer(ctx.text, left, start):
        best = (m.start(), "future")
    for m in pat.PAST_CUE_RE.finditer(ctx.text, left, start):
        if best is None or m.start() > best[0]:
            best = (m.start(), "past")
    if best is not None:
        return best[1]
    fut = pat.FUTURE_CUE_RE.search(ctx.text, end, right)
    past = pat.PAST_CUE_RE.search(ctx.text, end, right)
    if fut and (past is None or fut.start() <= past.start()):
        return "future"
    return "past" if past else None


def _direction(ctx: _Context, m: re.Match[str], default: Direction = "past") -> Direction:
    return _tense(ctx, m.start(), m.end()) or default


# --- shared helpers -----------------------------------------------------------------------


def _number(words: str) -> float | None:
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


def _fraction(m: re.Match[str]) -> float:
    return 0.5 if (m["f1"] or "").strip() or (m.groupdict().get("f2") or "").strip() else 0.0


_SUB = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60)}


def _duration_value(n: float | None, unit: str) -> str:
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


def _unit(word: str) -> str:
    w = word.lower()
    return pat.UNITS.get(w, pat.UNITS.get(w.rstrip("s"), "D"))


def _month(token: str) -> int | None:
    """Month number of a month token; ``None`` for lower-case ambiguous forms ("may")."""
    low = token.lower().rstrip(".")
    if token[0].islower() and (low in ("may", "march") or len(low) <= 4):
        return None
    return pat.MONTHS[low[:3]]


def _weekday(token: str) -> int | None:
    return None if token[0].islower() else pat.WEEKDAYS[token[:3].lower()]


def _two_digit_year(yy: int, ctx: _Context) -> int:
    ref = ctx.dct.year if ctx.dct else 1999
    century = ref // 100 * 100
    year = century + yy
    return year - 100 if year > ref + 10 else year


def _year_token(token: str, ctx: _Context) -> int:
    digits = token.lstrip("'’")
    return int(digits) if len(digits) == 4 else _two_digit_year(int(digits), ctx)


def _day_value(day: dt.date | None, pod: str | None = None) -> str:
    base = day.isoformat() if day else "XXXX-XX-XX"
    return f"{base}T{pat.PARTS_OF_DAY[pod.lower().rstrip('s')]}" if pod else base


def _pod_kind(pod: str | None) -> TimexType:
    return "TIME" if pod else "DATE"


# --- handlers: calendar dates -------------------------------------------------------------


def _h_month_day(m: re.Match[str], ctx: _Context) -> Value | None:
    month = _month(m["mon"])
    if month is None:
        return None
    day = int(m["d"].rstrip("stndrh"))
    if m["y"]:
        year: int | None = _year_token(m["y"], ctx)
    elif ctx.dct is None:
        return ("DATE", f"XXXX-{month:02d}-{day:02d}") if day <= 31 else None
    else:
        year = cal.month_day_year(ctx.dct, month, day, _direction(ctx, m))
    date = cal.safe_date(year, month, day) if year is not None else None
    return ("DATE", date.isoformat()) if date else None


def _h_month(m: re.Match[str], ctx: _Context) -> Value | None:
    month = _month(m["mon"])
    if month is None:
        return None
    if m["y"]:
        return "DATE", cal.month_value(_year_token(m["y"], ctx), month)
    if m["mon"].endswith(".") or len(m["mon"]) <= 4:
        return None  # "Jan." alone is too often a name or an abbreviation
    if m["mon"].lower() in ("may", "march") and not _MONTH_CUE_RE.search(m.string, 0, m.start()):
        return None
    if ctx.dct is None:
        return "DATE", f"XXXX-{month:02d}"
    if m["rel"]:
        shift = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
        return "DATE", cal.month_value(ctx.dct.year + shift, month)
    return "DATE", cal.month_value(cal.month_year(ctx.dct, month, _direction(ctx, m)), month)


_MONTH_CUE_RE = re.compile(
    r"\b(?:in|since|until|till|by|of|during|before|after|through|from|to|early|late|mid|last"
    r"|this|next|and|or|between|since|end|start|beginning)[\s-]+$",
    re.IGNORECASE,
)


def _h_numeric(m: re.Match[str], ctx: _Context) -> Value | None:
    if m["iy"]:
        date = cal.safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    else:
        date = cal.safe_date(_year_token(m["uy"], ctx), int(m["um"]), int(m["ud"]))
    return ("DATE", date.isoformat()) if date else None


_NOT_YEAR_BEFORE_RE = re.compile(
    r"\b(?:no\.?|number|flight|route|room|page|pages|highway|interstate|model|about|some|over"
    r"|nearly|almost|than|least|of|to|and)\s+$",
    re.IGNORECASE,
)
_NOT_YEAR_AFTER_RE = re.compile(
    r"\s*(?:-|\s)(?:people|persons|men|women|troops|soldiers|workers|employees|jobs|shares"
    r"|dollars|miles|feet|meters|metres|tons|pounds|acres|votes|cases|members|students"
    r"|units|cars|homes|deaths|years|children|points|barrels|megawatts|residents)\b",
    re.IGNORECASE,
)


def _h_year(m: re.Match[str], ctx: _Context) -> Value | None:
    year = int(m["y"])
    if m["s"]:
        return "DATE", str(year // 10)
    if _NOT_YEAR_AFTER_RE.match(m.string, m.end()):
        return None
    before = _NOT_YEAR_BEFORE_RE.search(m.string, max(0, m.start() - 12), m.start())
    if before and not m["pre"] and before[0].strip().lower() not in ("of", "to", "and"):
        return None
    return "DATE", str(year)


def _h_short_year(m: re.Match[str], ctx: _Context) -> Value | None:
    if not (m["pre"] or m["s"]):
        return None
    year = _two_digit_year(int(m["yy"]), ctx)
    return "DATE", str(year // 10) if m["s"] else str(year)


def _h_decade(m: re.Match[str], ctx: _Context) -> Value | None:
    if m["c"]:
        return "DATE", f"{m['c']}{m['d']}"
    decade = int(m["d2"]) if m["d2"] else pat.DECADE_WORDS[m["w"].lower()]
    ref = ctx.dct.year if ctx.dct else 1999
    century = ref // 100
    if century * 100 + decade * 10 > ref:
        century -= 1
    return "DATE", f"{century}{decade}"


def _h_century(m: re.Match[str], ctx: _Context) -> Value | None:
    n = int(m["n"]) if m["n"] else pat.ORDINALS[m["w"].lower().replace(" ", "-")]
    return ("DATE", f"{n - 1:02d}") if 1 <= n <= 30 else None


def _h_spelled_year(m: re.Match[str], ctx: _Context) -> Value | None:
    if m["t"]:
        year = 1900 + pat.NUMBER_WORDS[m["t"].lower()] + pat.NUMBER_WORDS.get(
            (m["o"] or "").lower(), 0
        )
    elif m["teen"]:
        year = 1900 + pat.NUMBER_WORDS[m["teen"].lower()]
    elif m["o3"]:
        year = 1900 + pat.NUMBER_WORDS[m["o3"].lower()]
    else:
        year = 2000 + pat.NUMBER_WORDS.get((m["o2"] or "").lower(), 0)
    return "DATE", str(year)


def _h_holiday(m: re.Match[str], ctx: _Context) -> Value | None:
    name = " ".join(m["h"].lower().replace("’", "'").split())
    if m["h"][0].islower():
        return None
    if m["y"]:
        day = cal.holiday_date(name, int(m["y"]))
        return ("DATE", day.isoformat()) if day else None
    if ctx.dct is None:
        return None
    rel = (m["rel"] or "").lower()
    direction: Direction = {"last": "past", "next": "future"}.get(rel) or _direction(ctx, m)
    days = [cal.holiday_date(name, ctx.dct.year + k) for k in (-1, 0, 1)]
    valid = [d for d in days if d is not None]
    if direction == "past":
        pick = max((d for d in valid if d <= ctx.dct), default=None)
    else:
        pick = min((d for d in valid if d >= ctx.dct), default=None)
    return ("DATE", pick.isoformat()) if pick else None


# --- handlers: days and times -------------------------------------------------------------

_WEEKDAY_REL: dict[str, tuple[Direction, bool]] = {
    "last": ("past", True), "previous": ("past", True), "past": ("past", True),
    "this past": ("past", True), "next": ("future", True), "coming": ("future", False),
    "this coming": ("future", False), "the next": ("future", True),
    "the following": ("future", True), "the previous": ("past", True),
}  # fmt: skip


def _h_weekday(m: re.Match[str], ctx: _Context) -> Value | None:
    weekday = _weekday(m["wd"])
    if weekday is None:
        return None
    pod = m["pod"].rstrip("sS") if m["pod"] else None
    if m["pl"] or (m["pod"] and m["pod"].lower().endswith("s")):
        suffix = f"T{pat.PARTS_OF_DAY[pod.lower()]}" if pod else ""
        return "SET", f"XXXX-WXX-{weekday + 1}{suffix}"
    if ctx.dct is None:
        suffix = f"T{pat.PARTS_OF_DAY[pod.lower()]}" if pod else ""
        return _pod_kind(pod), f"XXXX-WXX-{weekday + 1}{suffix}"
    rel = " ".join((m["rel"] or "").lower().split())
    ref = ctx.dct
    if rel in ("the following", "the previous", "the next") and ctx.last_day:
        ref = ctx.last_day
    if rel in _WEEKDAY_REL:
        direction, strict = _WEEKDAY_REL[rel]
    else:
        direction, strict = _direction(ctx, m), False
    day = cal.weekday_date(ref, weekday, direction, strict=strict)
    return _pod_kind(pod), _day_value(day, pod)


_DAY_SHIFT = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}


def _h_relative_day(m: re.Match[str], ctx: _Context) -> Value | None:
    word = m["w"].lower()
    shift = _DAY_SHIFT[word] + {"before": -1, "after": 1}.get((m["ba"] or "").lower(), 0)
    pod = m["pod"] or ("tonight" if word == "tonight" else None)
    day = cal.add_days(ctx.dct, shift) if ctx.dct else None
    return _pod_kind(pod), _day_value(day, pod)


def _h_time(m: re.Match[str], ctx: _Context) -> Value | None:
    if m["noon"]:
        hour, minute = (24, 0) if m["noon"].lower() == "midnight" else (12, 0)
    else:
        hour = int(m["h"] or m["h2"])
        minute = int(m["mi"] or m["mi2"] or 0)
        if m["ap"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if m["ap"][0].lower() == "p" else 0)
    day = ctx.last_day or ctx.dct
    if m["day"]:
        word = m["day"].lower()
        if word in _DAY_SHIFT:
            day = cal.add_days(ctx.dct, _DAY_SHIFT[word]) if ctx.dct else None
        elif (weekday := _weekday(m["day"])) is not None and ctx.dct:
            day = cal.weekday_date(ctx.dct, weekday, _direction(ctx, m), strict=False)
        else:
            day = None
    return "TIME", f"{_day_value(day)}T{hour:02d}:{minute:02d}"


# --- handlers: relative units ---------------------------------------------------------------

_REL_SHIFT = {
    "this": 0, "current": 0, "the current": 0, "last": -1, "past": -1, "previous": -1,
    "the past": -1, "the last": -1, "the previous": -1, "this past": -1, "the prior": -1,
    "the preceding": -1, "next": 1, "coming": 1, "the next": 1, "the coming": 1,
    "this coming": 1, "following": 1, "the following": 1, "upcoming": 1, "the upcoming": 1,
    "the latest": -1, "the same": 0, "that": 0,
}  # fmt: skip
_ANAPHORIC = {"that", "the same", "the following", "the previous", "the prior", "the preceding"}


def _h_relative_unit(m: re.Match[str], ctx: _Context) -> Value | None:
    rel = " ".join(m["rel"].lower().split())
    unit = m["u"].lower()
    shift = _REL_SHIFT[rel]
    if unit in pat.PARTS_OF_DAY:
        return _relative_part_of_day(rel, unit, ctx)
    if ctx.dct is None:
        return "DATE", _UNRESOLVED.get(unit, "XXXX-XX")
    dct = ctx.dct
    if rel in _ANAPHORIC and unit == "year":
        if ctx.last_year is None and rel == "that":
            return None
        return "DATE", str((ctx.last_year or dct.year) + shift)
    if unit == "year":
        return "DATE", str(dct.year + shift)
    if unit == "month":
        return "DATE", cal.month_value(dct.year, dct.month + shift)
    if unit == "week":
        return "DATE", cal.week_value(dct, shift)
    if unit == "quarter":
        return "DATE", cal.quarter_value(dct.year, cal.quarter_of(dct) + shift)
    if unit == "weekend":
        sat = cal.weekday_date(dct, 5, "past" if shift < 0 else "future", strict=shift != 0)
        return "DATE", f"{cal.week_value(sat)}-WE"
    if unit == "decade":
        return "DATE", str(dct.year // 10 + shift)
    if unit == "century":
        return "DATE", f"{dct.year // 100 + shift:02d}"
    if unit in pat.SEASONS:
        relation = "this" if shift == 0 else "last" if shift < 0 else "next"
        return "DATE", cal.season_value(dct, pat.SEASONS[unit], relation)
    month = pat.MONTHS[unit[:3]]
    if shift == 0:
        return "DATE", cal.month_value(dct.year, month)
    direction: Direction = "past" if shift < 0 else "future"
    return "DATE", cal.month_value(cal.month_year(dct, month, direction, strict=True), month)


_UNRESOLVED = {
    "year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX",
    "weekend": "XXXX-WXX-WE", "decade": "XXX", "century": "XX", "spring": "XXXX-SP",
    "summer": "XXXX-SU", "fall": "XXXX-FA", "autumn": "XXXX-FA", "winter": "XXXX-WI",
}  # fmt: skip


def _relative_part_of_day(rel: str, unit: str, ctx: _Context) -> Value | None:
    if rel in ("that", "the same", "the following", "the next", "the previous"):
        base = ctx.last_day or ctx.dct
        shift = {"the following": 1, "the next": 1, "the previous": -1}.get(rel, 0)
    elif rel in ("this", "last"):
        base = ctx.dct
        shift = -1 if rel == "last" and unit == "night" else 0
        if rel == "last" and unit != "night":
            return None
    else:
        return None
    day = cal.add_days(base, shift) if base else None
    return "TIME", _day_value(day, unit)


# --- handlers: durations, "ago", quarters ---------------------------------------------------

_A_CUE_RE = re.compile(
    r"\b(?:for|over|within|in|about|nearly|almost|than|least|after|to|past|next|only|just"
    r"|entire|whole|full|around|half|spent|took|takes|lasted|last|lasts)\s+$",
    re.IGNORECASE,
)


def _h_duration(m: re.Match[str], ctx: _Context) -> Value | None:
    if m["tail"] and "long" not in m["tail"].lower():
        return None  # an age: "the 41-year-old", "34 years old"
    q = m["q"].lower()
    the = (m["the"] or "").strip().lower()
    if q in ("a", "an", "some", "many") and not (the == "the" or m["dir"]):
        if not _A_CUE_RE.search(m.string, max(0, m.start() - 12), m.start()):
            return None
    if the in ("a", "an") and not m["dir"]:
        return None
    n = _number(m["q"])
    if n is not None:
        n += _fraction(m)
        if n <= 0 or n > 10000:
            return None
    return "DURATION", _duration_value(n, _unit(m["u"]))


def _h_ago(m: re.Match[str], ctx: _Context) -> Value | None:
    n = _number(m["q"])
    word = m["dir"].lower()
    past = word in ("ago", "earlier", "before", "back")
    if m["dir"].lower() in ("before", "after") and m.string[m.end() : m.end() + 1].isalnum():
        return None
    if n is None or ctx.dct is None:
        return "DATE", "PAST_REF" if past else "FUTURE_REF"
    n += _fraction(m)
    sign = -1 if past else 1
    unit = _unit(m["u"])
    dct = ctx.dct
    if unit in ("Y", "DE", "CE") and n == int(n):
        years = int(n) * {"Y": 1, "DE": 10, "CE": 100}[unit]
        near_quarter = ctx.last_quarter and m.start() - ctx.last_quarter_at < 400
        if unit == "Y" and years == 1 and near_quarter and ctx.last_quarter:
            return "DATE", cal.quarter_value(ctx.last_quarter[0] - 1, ctx.last_quarter[1])
        return "DATE", str(dct.year + sign * years)
    if unit in ("Y", "M", "Q"):
        months = round(n * {"Y": 12, "M": 1, "Q": 3}[unit])
        return "DATE", cal.month_value(dct.year, dct.month + sign * months)
    if unit in ("W", "WE", "FN"):
        return "DATE", cal.week_value(dct, sign * round(n * (2 if unit == "FN" else 1)))
    if unit == "D":
        day = cal.add_days(dct, sign * round(n))
        return ("DATE", day.isoformat()) if day else None
    return "DATE", dct.isoformat()


_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
        "4th": 4, "final": 4}  # fmt: skip


def _h_quarter(m: re.Match[str], ctx: _Context) -> Value | None:
    n = _ORD[m["ord"].lower()]
    half = m["k"].lower() == "half"
    if half and n > 2:
        return None
    text = m[0].lower()
    dct = ctx.dct
    rel = (m["rel"] or m["rel2"] or "").lower()
    if m["y"] or m["y2"]:
        year: int | None = int(m["y"] or m["y2"])
    elif rel and dct:
        year = dct.year + {"this": 0, "last": -1, "next": 1}[rel]
    elif m["rel3"] and (ctx.last_year or dct):
        base = ctx.last_year or (dct.year if dct else 0)
        year = base + {"previous": -1, "following": 1}.get(m["rel3"].lower(), 0)
    elif dct is None:
        year = None
    elif half:
        year = dct.year if n == 1 or dct.month > 6 else dct.year - 1
    else:
        year = cal.quarter_year(dct, n)
        if "year-ago" in text or "year-earlier" in text:
            year -= 1
    if year is None:
        return "DATE", f"XXXX-{'H' if half else 'Q'}{n}"
    return "DATE", f"{year:04d}-{'H' if half else 'Q'}{n}"


def _h_quarter_ref(m: re.Match[str], ctx: _Context) -> Value | None:
    text = " ".join(m[0].lower().split())
    year_ago = "year-ago" in text or "year-earlier" in text or bool(m["ago"])
    year_ago = year_ago or "corresponding" in text or "comparable" in text
    recent = ctx.last_quarter is not None and m.start() - ctx.last_quarter_at < 2000
    if m["k"] is None:  # the adjective alone: "year-ago results"
        if recent and ctx.last_quarter:
            return "DATE", cal.quarter_value(ctx.last_quarter[0] - 1, ctx.last_quarter[1])
        return ("DATE", str(ctx.dct.year - 1)) if ctx.dct else None
    if not text.startswith("the") and not m["adj"]:
        return None
    if m["k"].lower() == "period" and not recent:
        return None
    if ctx.dct is None:
        return "DATE", "XXXX-QX"
    if "current" in text:
        year, q = ctx.dct.year, cal.quarter_of(ctx.dct)
    elif recent and ctx.last_quarter:
        year, q = ctx.last_quarter
    else:
        q = cal.quarter_of(ctx.dct) - 1 or 4
        year = cal.quarter_year(ctx.dct, q)
    return "DATE", cal.quarter_value(year - (1 if year_ago else 0), q)


# --- handlers: fixed phrases and sets -------------------------------------------------------

_FUNCTION_WORD_RE = re.compile(
    r"\s*(?:[^\w\s]|$|(?:and|or|but|is|was|will|has|have|had|of|to|in|as|for|at|on|than"
    r"|when|that|with|because|if)\b)",
    re.IGNORECASE,
)


def _h_phrase(m: re.Match[str], ctx: _Context) -> Value | None:
    key = " ".join(m[0].lower().replace("’", "'").split())
    kind, value = pat.PHRASES[key]
    if key in ("the past", "the present", "the future") and not _FUNCTION_WORD_RE.match(
        m.string, m.end()
    ):
        return None  # "the past decade", "the future president"
    dct = ctx.dct
    if value == "WEEKEND":
        if dct is None:
            return "DATE", "XXXX-WXX-WE"
        sat = cal.weekday_date(dct, 5, _direction(ctx, m), strict=False)
        return "DATE", f"{cal.week_value(sat)}-WE"
    if value in ("WEEK", "YEAR", "MONTH"):
        if dct is None:
            return "DATE", {"WEEK": "XXXX-WXX", "YEAR": "XXXX", "MONTH": "XXXX-XX"}[value]
        if value == "WEEK":
            return "DATE", cal.week_value(dct)
        return "DATE", str(dct.year) if value == "YEAR" else cal.month_value(dct.year, dct.month)
    return kind, value  # type: ignore[return-value]


def _h_set(m: re.Match[str], ctx: _Context) -> Value | None:
    unit = m["u"].lower()
    if (weekday := pat.WEEKDAYS.get(unit[:3])) is not None and unit[:3] != "sum":
        if unit.startswith(("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
            return "SET", f"XXXX-WXX-{weekday + 1}"
    if unit in pat.PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{pat.PARTS_OF_DAY[unit]}"
    if unit in pat.SEASONS:
        return "SET", f"XXXX-{pat.SEASONS[unit]}"
    if unit[:3] in pat.MONTHS and unit not in ("month", "morning"):
        return "SET", f"XXXX-{pat.MONTHS[unit[:3]]:02d}"
    every = {"other": 2.0}.get((m["q"] or "").lower()) or _number(m["q"] or "one") or 1.0
    return "SET", _duration_value(every, _unit(unit))


_RULES: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (pat.MONTH_DAY_RE, _h_month_day),
    (pat.DAY_MONTH_RE, _h_month_day),
    (pat.NUMERIC_DATE_RE, _h_numeric),
    (pat.TIME_RE, _h_time),
    (pat.QUARTER_RE, _h_quarter),
    (pat.HOLIDAY_RE, _h_holiday),
    (pat.WEEKDAY_RE, _h_weekday),
    (pat.RELATIVE_DAY_RE, _h_relative_day),
    (pat.RELATIVE_UNIT_RE, _h_relative_unit),
    (pat.AGO_RE, _h_ago),
    (pat.SET_RE, _h_set),
    (pat.PHRASE_RE, _h_phrase),
    (pat.DURATION_RE, _h_duration),
    (pat.DECADE_RE, _h_decade),
    (pat.CENTURY_RE, _h_century),
    (pat.SPELLED_YEAR_RE, _h_spelled_year),
    (pat.MONTH_RE, _h_month),
    (pat.YEAR_RE, _h_year),
    (pat.SHORT_YEAR_RE, _h_short_year),
    (pat.QUARTER_REF_RE, _h_quarter_ref),
)
