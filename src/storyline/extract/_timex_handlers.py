"""The normalisers of the temporal grammar: one function per pattern family.

Each handler takes a match of one ``_timex_patterns`` pattern and the call's ``Context`` and
returns ``(type, value)``, or ``None`` to reject the match (an age, an impossible date, a
bare "May"). ``RULES`` pairs patterns with handlers and the trigger groups that wake them.
"""

from __future__ import annotations

import re

from storyline.extract import _timex_calendar as cal
from storyline.extract import _timex_patterns as pat
from storyline.extract._timex_calendar import Direction
from storyline.extract._timex_context import (
    Context,
    Handler,
    Value,
    day_value,
    duration_value,
    fraction,
    month_number,
    number,
    pod_kind,
    tense_direction,
    two_digit_year,
    unit_code,
    weekday_number,
    year_token,
)

# --- handlers: calendar dates -------------------------------------------------------------


def _day_number(text: str) -> int:
    """``"11th"``, ``"11TH"``, ``"3rd"`` → the day of the month."""
    return int(text.lower().rstrip("stndrh"))


def _h_month_day(m: re.Match[str], ctx: Context) -> Value | None:
    month = month_number(m["mon"])
    if month is None:
        return None
    day = _day_number(m["d"])
    if m["y"]:
        year: int | None = year_token(m["y"], ctx)
    elif ctx.dct is None:
        weekday = weekday_number(m["wd"]) if m["wd"] else None
        year = _year_in_period(ctx, m.start(), month, day, weekday)
        if year is None:
            return ("DATE", f"XXXX-{month:02d}-{day:02d}") if day <= 31 else None
    elif m["wd"] and (weekday := weekday_number(m["wd"])) is not None:
        years = [
            y
            for y in range(ctx.dct.year - 1, ctx.dct.year + 2)
            if (d := cal.safe_date(y, month, day)) is not None and d.weekday() == weekday
        ]
        year = years[0] if years else cal.month_day_year(ctx.dct, month, day, "near")
    else:
        year = cal.month_day_year(ctx.dct, month, day, tense_direction(ctx, m, _MONTH_DAY_DEFAULT))
    date = cal.safe_date(year, month, day) if year is not None else None
    return ("DATE", date.isoformat()) if date else None


_MONTH_DAY_DEFAULT: Direction = "past"
_YEAR_NEARBY = 300  # a year named this many characters before carries over ("Sept. 30")


def _year_in_period(
    ctx: Context, at: int, month: int, day: int | None, weekday: int | None
) -> int | None:
    """The year of a year-less date when the publication is known only to a month or year.

    A year named just before wins; else the publication year (the year before when the
    month is later than a known publication month: news reports what has happened). A
    weekday given with the date moves to the nearest year it falls on.
    """
    if ctx.period is None:
        return None
    year, known_month = ctx.period
    near = at - ctx.last_year_at <= _YEAR_NEARBY
    if ctx.last_year is not None and near and "\n\n" not in ctx.text[ctx.last_year_at : at]:
        year = ctx.last_year
    elif known_month is not None and month > known_month:
        year -= 1
    if weekday is None or day is None:
        return year
    for shift in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
        date = cal.safe_date(year + shift, month, day)
        if date is not None and date.weekday() == weekday:
            return year + shift
    return year


def _h_month(m: re.Match[str], ctx: Context) -> Value | None:
    month = month_number(m["mon"])
    if month is None:
        return None
    if m["y"]:
        return "DATE", cal.month_value(year_token(m["y"], ctx), month)
    if _DAY_AFTER_RE.match(m.string, m.end()):
        return None  # an impossible month-day ("February 30") is not a month
    if m["mon"].lower() not in _FULL_MONTHS:
        return None  # "Jan." alone is too often a name or an abbreviation
    cue = _MONTH_CUE_RE.search(m.string, max(0, m.start() - 16), m.start())
    if m["mon"].lower() in ("may", "march") and not cue:
        return None  # "May I ...", "troops march"
    if ctx.dct is None:
        year = _year_in_period(ctx, m.start(), month, None, None)
        return "DATE", f"XXXX-{month:02d}" if year is None else cal.month_value(year, month)
    if m["rel"]:
        shift = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
        return "DATE", cal.month_value(ctx.dct.year + shift, month)
    direction = tense_direction(ctx, m, _MONTH_DAY_DEFAULT)
    return "DATE", cal.month_value(cal.month_year(ctx.dct, month, direction), month)


_DAY_AFTER_RE = re.compile(r"\s+(?:the\s+)?\d\d?(?!\d)")
_FULL_MONTHS = frozenset(
    (
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    )
)  # fmt: skip
_MONTH_CUE_RE = re.compile(
    r"\b(?:in|since|until|till|by|of|during|before|after|through|from|to|early|late|mid|last"
    r"|this|next|and|or|between|since|end|start|beginning)[\s-]+$",
    re.IGNORECASE,
)


def _h_numeric(m: re.Match[str], ctx: Context) -> Value | None:
    if m["iy"]:
        date = cal.safe_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    else:
        date = cal.safe_date(year_token(m["uy"], ctx), int(m["um"]), int(m["ud"]))
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


_WORK_BEFORE_RE = re.compile(
    r"\b(?:film|movie|album|song|single|novel|book|play|musical|series|show|documentary"
    r"|opera|symphony|game|video|painting|poem|sitcom|drama|thriller|titled|called|named)"
    r"\s*[,:]?\s*[\"\u201c\u2018']?$",
    re.IGNORECASE,
)
_CAPITAL_BEFORE_RE = re.compile(r"(?<![\w'\u2019])([A-Z][\w'\u2019&-]*)\s+$")
_DATE_WORDS_BEFORE = frozenset(
    """in on at by of to for from since until till before after during through between
    around about circa and or but late early mid spring summer autumn fall winter christmas
    easter fy fiscal class year years the a since as than until as of not only even back
    jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june
    july august september october november december""".split()
)
_OPEN_QUOTES = "\"\u201c\u2018'"
_CLOSE_QUOTES = "\"\u201d\u2019'"


def _is_title_of_work(m: re.Match[str]) -> bool:
    """ "1917" in quotes, "the film 1917", "Blade Runner 2049": a name, not a date."""
    text, start, end = m.string, m.start("y"), m.end("y")
    if text[start - 1 : start] in _OPEN_QUOTES and text[end : end + 1] in _CLOSE_QUOTES:
        return True
    if text[start - 1 : start] in _OPEN_QUOTES and text[end : end + 2].rstrip() in (
        ",\u201d",
        ".\u201d",
        ',"',
        '."',
    ):
        return True
    if _WORK_BEFORE_RE.search(text, max(0, start - 24), start):
        return True
    capital = _CAPITAL_BEFORE_RE.search(text, max(0, start - 30), start)
    if capital is None or capital.group(1).lower().rstrip(".") in _DATE_WORDS_BEFORE:
        return False
    if capital.group(1).endswith(("'s", "\u2019s", "'", "\u2019")):
        return False  # "Britain's 2016 referendum": a possessive dates its noun
    before = text[: capital.start(1)].rstrip()
    return bool(before) and before[-1] not in '.!?\n:;"\u201c'  # a name, not a sentence start


def _h_year(m: re.Match[str], ctx: Context) -> Value | None:
    year = int(m["y"])
    if m["s"]:
        return "DATE", str(year // 10)
    if _NOT_YEAR_AFTER_RE.match(m.string, m.end()):
        return None
    if not m["pre"] and _is_title_of_work(m):
        return None
    before = _NOT_YEAR_BEFORE_RE.search(m.string, max(0, m.start() - 12), m.start())
    if before and not m["pre"] and before[0].strip().lower() not in ("of", "to", "and"):
        return None
    return "DATE", str(year)


def _h_short_year(m: re.Match[str], ctx: Context) -> Value | None:
    if not (m["pre"] or m["s"]):
        return None
    year = two_digit_year(int(m["yy"]), ctx)
    return "DATE", str(year // 10) if m["s"] else str(year)


def _h_decade(m: re.Match[str], ctx: Context) -> Value | None:
    if m["c"]:
        return "DATE", f"{m['c']}{m['d']}"
    decade = int(m["d2"]) if m["d2"] else pat.DECADE_WORDS[m["w"].lower()]
    ref = ctx.dct.year if ctx.dct else 1999
    century = ref // 100
    if century * 100 + decade * 10 > ref:
        century -= 1
    return "DATE", f"{century}{decade}"


def _h_century(m: re.Match[str], ctx: Context) -> Value | None:
    n = int(m["n"]) if m["n"] else pat.ORDINALS[m["w"].lower().replace(" ", "-")]
    return ("DATE", f"{n - 1:02d}") if 1 <= n <= 30 else None


def _h_spelled_year(m: re.Match[str], ctx: Context) -> Value | None:
    if m["t"]:
        year = (
            1900
            + pat.NUMBER_WORDS[m["t"].lower()]
            + pat.NUMBER_WORDS.get((m["o"] or "").lower(), 0)
        )
    elif m["teen"]:
        year = 1900 + pat.NUMBER_WORDS[m["teen"].lower()]
    elif m["o3"]:
        year = 1900 + pat.NUMBER_WORDS[m["o3"].lower()]
    else:
        year = 2000 + pat.NUMBER_WORDS.get((m["o2"] or "").lower(), 0)
    return "DATE", str(year)


def _h_holiday(m: re.Match[str], ctx: Context) -> Value | None:
    name = " ".join(m["h"].lower().replace("\u2019", "'").split())
    if m["h"][0].islower():
        return None
    if m["y"]:
        day = cal.holiday_date(name, int(m["y"]))
        return ("DATE", day.isoformat()) if day else None
    if ctx.dct is None:
        return None
    rel = (m["rel"] or "").lower()
    fixed: dict[str, Direction] = {"last": "past", "next": "future"}
    direction = fixed.get(rel) or tense_direction(ctx, m)
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


_WEEKDAY_DETERMINER_RE = re.compile(r"\b(a|an|one|that|the\s+same)\s+$", re.IGNORECASE)
_ANAPHOR_CHARS = 600


def _h_weekday(m: re.Match[str], ctx: Context) -> Value | None:
    weekday = weekday_number(m["wd"])
    if weekday is None:
        return None
    pod = m["pod"].rstrip("sS") if m["pod"] else None
    if m["pl"] or (m["pod"] and m["pod"].lower().endswith("s")):
        suffix = f"T{pat.PARTS_OF_DAY[pod.lower()]}" if pod else ""
        return "SET", f"XXXX-WXX-{weekday + 1}{suffix}"
    suffix = f"T{pat.PARTS_OF_DAY[pod.lower()]}" if pod else ""
    placeholder: Value = (pod_kind(pod), f"XXXX-WXX-{weekday + 1}{suffix}")
    before = _WEEKDAY_DETERMINER_RE.search(m.string, max(0, m.start() - 12), m.start())
    if before is not None and not m["rel"]:
        # "on a Sunday night" names no particular day; "that Monday" is the one after a
        # day just named, not the last Monday before publication
        if before[1].lower() in ("a", "an", "one") or ctx.last_day is None:
            return placeholder
        if m.start() - ctx.last_day_at > _ANAPHOR_CHARS:
            return placeholder
        day = cal.weekday_date(ctx.last_day, weekday, "near", strict=False)
        return pod_kind(pod), day_value(day, pod)
    if ctx.dct is None:
        return placeholder
    rel = " ".join((m["rel"] or "").lower().split())
    ref = ctx.dct
    if rel in ("the following", "the previous", "the next") and ctx.last_day:
        ref = ctx.last_day
    if rel in _WEEKDAY_REL:
        direction, strict = _WEEKDAY_REL[rel]
    else:
        direction, strict = tense_direction(ctx, m), False
    day = cal.weekday_date(ref, weekday, direction, strict=strict)
    return pod_kind(pod), day_value(day, pod)


_DAY_SHIFT = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}


def _h_relative_day(m: re.Match[str], ctx: Context) -> Value | None:
    word = m["w"].lower()
    shift = _DAY_SHIFT[word] + {"before": -1, "after": 1}.get((m["ba"] or "").lower(), 0)
    pod = m["pod"] or ("tonight" if word == "tonight" else None)
    day = cal.add_days(ctx.dct, shift) if ctx.dct else None
    return pod_kind(pod), day_value(day, pod)


_CLOCK_AFTER_RE = re.compile(
    r"\s+(?:into|left|remaining|to\s+go|to\s+play|of\s+(?:the\s+)?(?:game|match|play"
    r"|overtime|extra\s+time))\b",
    re.IGNORECASE,
)
_CLOCK_BEFORE_RE = re.compile(
    r"\b(?:scored|clocked|ran|finished|won\s+in|time\s+of|record\s+of|with|in)\s+$",
    re.IGNORECASE,
)


def _is_game_clock(m: re.Match[str]) -> bool:
    """ "scored 4:51 into overtime", "with 6:12 left": a clock in a game or race, not a time."""
    if not m["h2"] or m["tz"] or m["day"] or m["mon"]:
        return False
    return bool(
        _CLOCK_AFTER_RE.match(m.string, m.end())
        or _CLOCK_BEFORE_RE.search(m.string, max(0, m.start() - 12), m.start())
    )


def _h_time(m: re.Match[str], ctx: Context) -> Value | None:
    if _is_game_clock(m):
        return None
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
    if m["mon"] and (month := month_number(m["mon"])) is not None:
        year = ctx.dct.year if ctx.dct else None
        if ctx.dct:
            year = cal.month_day_year(ctx.dct, month, _day_number(m["d"]), "near")
        day = cal.safe_date(year, month, _day_number(m["d"])) if year else None
    elif m["day"]:
        word = m["day"].lower()
        if word in _DAY_SHIFT:
            day = cal.add_days(ctx.dct, _DAY_SHIFT[word]) if ctx.dct else None
        elif (weekday := weekday_number(m["day"])) is not None and ctx.dct:
            day = cal.weekday_date(ctx.dct, weekday, tense_direction(ctx, m), strict=False)
        else:
            day = None
    return "TIME", f"{day_value(day)}T{hour:02d}:{minute:02d}"


# --- handlers: relative units ---------------------------------------------------------------

_REL_SHIFT = {
    "this": 0, "current": 0, "the current": 0, "last": -1, "past": -1, "previous": -1,
    "the past": -1, "the last": -1, "the previous": -1, "this past": -1, "the prior": -1,
    "the preceding": -1, "next": 1, "coming": 1, "the next": 1, "the coming": 1,
    "this coming": 1, "following": 1, "the following": 1, "upcoming": 1, "the upcoming": 1,
    "the latest": -1, "the same": 0, "that": 0,
}  # fmt: skip
_ANAPHORIC = {"that", "the same", "the following", "the previous", "the prior", "the preceding"}


def _h_relative_unit(m: re.Match[str], ctx: Context) -> Value | None:
    rel = " ".join(m["rel"].lower().split())
    unit = m["u"].lower()
    shift = _REL_SHIFT[rel]
    if unit in pat.PARTS_OF_DAY:
        return _relative_part_of_day(rel, unit, ctx)
    if m["u"] in ("may", "march"):
        return None  # "this may be", "that march": the verb, not the month
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
        if rel in _ANAPHORIC and ctx.last_month:
            return "DATE", cal.month_value(ctx.last_month[0], ctx.last_month[1] + shift)
        return "DATE", cal.month_value(dct.year, dct.month + shift)
    if unit == "week":
        return "DATE", cal.week_value(dct, shift)
    if unit == "quarter":
        recent = m.start() - ctx.last_quarter_at < 2000
        if (rel in _ANAPHORIC or (rel == "this" and recent)) and ctx.last_quarter:
            year, quarter = ctx.last_quarter
            return "DATE", cal.quarter_value(year, quarter + shift)
        value = cal.quarter_value(dct.year, cal.quarter_of(dct) + shift)
        ctx.set_quarter(int(value[:4]), int(value[6]), m.end())
        return "DATE", value
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
    year = cal.month_year(dct, month, direction, strict=True)
    if shift < 0 and month == (dct.month - 2) % 12 + 1:
        year -= 1  # "last February" in March: a writer would have said "last month"
    return "DATE", cal.month_value(year, month)


_UNRESOLVED = {
    "year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "quarter": "XXXX-QX",
    "weekend": "XXXX-WXX-WE", "decade": "XXX", "century": "XX", "spring": "XXXX-SP",
    "summer": "XXXX-SU", "fall": "XXXX-FA", "autumn": "XXXX-FA", "winter": "XXXX-WI",
}  # fmt: skip


def _relative_part_of_day(rel: str, unit: str, ctx: Context) -> Value | None:
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
    return "TIME", day_value(day, unit)


# --- handlers: durations, "ago", quarters ---------------------------------------------------

_A_CUE_RE = re.compile(
    r"\b(?:for|over|within|in|about|nearly|almost|than|least|after|to|past|next|only|just"
    r"|entire|whole|full|around|half|spent|took|takes|lasted|last|lasts)\s+$",
    re.IGNORECASE,
)


def _h_duration(m: re.Match[str], ctx: Context) -> Value | None:
    if m["tail"] and "long" not in m["tail"].lower():
        return None  # an age: "the 41-year-old", "34 years old"
    q = m["q"].lower()
    the = (m["the"] or "").strip().lower()
    vague_article = q in ("a", "an", "some", "many") and not (the == "the" or m["dir"])
    if vague_article and not _A_CUE_RE.search(m.string, max(0, m.start() - 12), m.start()):
        return None  # "a year" alone is mostly "$5 a year" or "a year of ..."
    if the in ("a", "an") and not m["dir"] and number(m["q"]) is not None:
        return None  # "a five-year plan": the article belongs to the noun
    n = number(m["q"])
    if n is not None:
        n += fraction(m)
        if n <= 0 or n > 10000 or (len(m["q"]) == 4 and m["q"].isdigit()):
            return None
    unit = unit_code(m["u"])
    if n is None and the == "the" and (m["dir"] or "").lower() in ("past", "last"):
        return "DATE", "PAST_REF"  # "the past several quarters"
    if unit == "Q" and re.match(r"\s+of\b", m.string[m.end() : m.end() + 4]):
        return None  # "three-quarters of its food"
    return "DURATION", duration_value(n, unit)


def _h_ago(m: re.Match[str], ctx: Context) -> Value | None:
    n = number(m["q"])
    word = m["dir"].lower()
    past = word in ("ago", "earlier", "before", "back")
    if m["dir"].lower() in ("before", "after") and m.string[m.end() : m.end() + 1].isalnum():
        return None
    if n is None or ctx.dct is None:
        return "DATE", "PAST_REF" if past else "FUTURE_REF"
    n += fraction(m)
    sign = -1 if past else 1
    unit = unit_code(m["u"])
    if word == "earlier" and unit not in ("Y", "DE", "CE"):
        return "DURATION", duration_value(n, unit)
    dct = ctx.dct
    if unit in ("Y", "DE", "CE") and n == int(n):
        years = int(n) * {"Y": 1, "DE": 10, "CE": 100}[unit]
        near_quarter = ctx.last_quarter and m.start() - ctx.last_quarter_at < 600
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


def _h_quarter(m: re.Match[str], ctx: Context) -> Value | None:
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
    if not half and "year-ago" not in text and "year-earlier" not in text:
        ctx.set_quarter(year, n, m.end())
    return "DATE", f"{year:04d}-{'H' if half else 'Q'}{n}"


def _h_quarter_ref(m: re.Match[str], ctx: Context) -> Value | None:
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
    if m["y"] and recent and ctx.last_quarter:
        return "DATE", cal.quarter_value(int(m["y"]), ctx.last_quarter[1])
    if m["y"]:
        return None
    if "current" in text:
        year, q = ctx.dct.year, cal.quarter_of(ctx.dct)
    elif recent and ctx.last_quarter:
        year, q = ctx.last_quarter
    else:
        q = cal.quarter_of(ctx.dct) - 1 or 4
        year = cal.quarter_year(ctx.dct, q)
    if not year_ago:
        ctx.set_quarter(year, q, m.end())
    return "DATE", cal.quarter_value(year - (1 if year_ago else 0), q)


# --- handlers: fixed phrases and sets -------------------------------------------------------

_FUNCTION_WORD_RE = re.compile(
    r"\s*(?:[^\w\s]|$|(?:and|or|but|is|was|will|has|have|had|of|to|in|as|for|at|on|than"
    r"|when|that|with|because|if)\b)",
    re.IGNORECASE,
)


_ENDED_RE = re.compile(r"\s+(?:ended|ending|that\s+ended|to)\b", re.IGNORECASE)


def _h_phrase(m: re.Match[str], ctx: Context) -> Value | None:
    key = " ".join(m[0].lower().replace("\u2019", "'").split())
    kind, value = pat.PHRASES[key]
    if key in ("the past", "the present", "the future") and not _FUNCTION_WORD_RE.match(
        m.string, m.end()
    ):
        return None  # "the past decade", "the future president"
    dct = ctx.dct
    if key.endswith("year") and _ENDED_RE.match(m.string, m.end()):
        return "DURATION", "P1Y"  # "for the year ended Sept. 30"
    if value == "WEEKEND":
        if dct is None:
            return "DATE", "XXXX-WXX-WE"
        sat = cal.weekday_date(dct, 5, tense_direction(ctx, m), strict=False)
        return "DATE", f"{cal.week_value(sat)}-WE"
    if value in ("WEEK", "YEAR", "MONTH"):
        if dct is None:
            return "DATE", {"WEEK": "XXXX-WXX", "YEAR": "XXXX", "MONTH": "XXXX-XX"}[value]
        if value == "WEEK":
            return "DATE", cal.week_value(dct)
        return "DATE", str(dct.year) if value == "YEAR" else cal.month_value(dct.year, dct.month)
    return kind, value  # type: ignore[return-value]


def _h_bare_plural(m: re.Match[str], ctx: Context) -> Value | None:
    return "DURATION", duration_value(None, unit_code(m["u"]))


def _h_set(m: re.Match[str], ctx: Context) -> Value | None:
    unit = m["u"].lower()
    if unit.endswith("day") and unit[:3] in pat.WEEKDAYS:
        return "SET", f"XXXX-WXX-{pat.WEEKDAYS[unit[:3]] + 1}"
    if unit in pat.PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{pat.PARTS_OF_DAY[unit]}"
    if unit in pat.SEASONS:
        return "SET", f"XXXX-{pat.SEASONS[unit]}"
    if unit[:3] in pat.MONTHS and unit not in ("month", "morning"):
        return "SET", f"XXXX-{pat.MONTHS[unit[:3]]:02d}"
    every = {"other": 2.0}.get((m["q"] or "").lower()) or number(m["q"] or "one") or 1.0
    return "SET", duration_value(every, unit_code(unit))


RULES: tuple[tuple[re.Pattern[str], Handler, tuple[str, ...]], ...] = (
    (pat.MONTH_DAY_RE, _h_month_day, ("month",)),
    (pat.DAY_MONTH_RE, _h_month_day, ("month",)),
    (pat.NUMERIC_DATE_RE, _h_numeric, ("numsep",)),
    (pat.TIME_RE, _h_time, ("clock", "numsep")),
    (pat.QUARTER_RE, _h_quarter, ("quarter",)),
    (pat.HOLIDAY_RE, _h_holiday, ("holiday",)),
    (pat.WEEKDAY_RE, _h_weekday, ("weekday",)),
    (pat.RELATIVE_DAY_RE, _h_relative_day, ("relday",)),
    (pat.RELATIVE_UNIT_RE, _h_relative_unit, ("unit", "pod", "season", "month", "quarter")),
    (pat.AGO_RE, _h_ago, ("unit", "quarter")),
    (pat.SET_RE, _h_set, ("unit", "pod", "season", "month", "weekday", "quarter")),
    (pat.PHRASE_RE, _h_phrase, ("phrase",)),
    (pat.BARE_PLURAL_RE, _h_bare_plural, ("unit",)),
    (pat.DURATION_RE, _h_duration, ("unit", "quarter")),
    (pat.DECADE_RE, _h_decade, ("decade",)),
    (pat.CENTURY_RE, _h_century, ("century",)),
    (pat.SPELLED_YEAR_RE, _h_spelled_year, ("spelled",)),
    (pat.MONTH_RE, _h_month, ("month",)),
    (pat.YEAR_RE, _h_year, ("year4",)),
    (pat.SHORT_YEAR_RE, _h_short_year, ("apos",)),
    (pat.QUARTER_REF_RE, _h_quarter_ref, ("quarter", "unit")),
)
GROUP_RANKS: dict[str, tuple[int, ...]] = {
    group: tuple(rank for rank, rule in enumerate(RULES) if group in rule[2])
    for group in {g for rule in RULES for g in rule[2]}
}


def _build_triggers() -> dict[str, tuple[int, ...]]:
    """Token (lower, Capitalised or UPPER case) -> ranks of the rules it wakes."""
    ranks: dict[str, set[int]] = {}
    for group, words in pat.TRIGGER_GROUPS.items():
        for word in words:
            ranks.setdefault(word, set()).update(GROUP_RANKS.get(group, ()))
    return {
        form: tuple(sorted(rules))
        for word, rules in ranks.items()
        for form in (word, word.capitalize(), word.upper())
    }


TRIGGERS = _build_triggers()
