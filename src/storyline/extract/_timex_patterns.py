"""The regular grammar of English temporal expressions, compiled once at import.

Each ``*_RE`` pattern recognises one family of expressions; ``dates.py`` pairs it with the
function that normalises a match. Vocabulary lookups (month, weekday and number words) live
here too so that the grammar and its meaning stay side by side.
"""

from __future__ import annotations

import re

from storyline.extract._timex_calendar import HOLIDAYS

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "tonight": "NI",
}  # fmt: skip
_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth", "twenty-first",
]  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    **{w: i + 1 for i, w in enumerate(_ONES)},
    **{w: i + 10 for i, w in enumerate(_TEENS)},
    **{w: 10 * (i + 2) for i, w in enumerate(_TENS)},
    "a": 1, "an": 1, "one": 1, "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
    "a hundred": 100, "hundred": 100, "a thousand": 1000,
}  # fmt: skip
ORDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORDINALS)}
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip


def _alt(words: list[str] | tuple[str, ...]) -> str:
    """A non-capturing alternation, longest first, with spaces matching any whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


_NUMWORD = (
    rf"(?:{_alt(_TENS)}(?:[\s-]{_alt(_ONES)})?|{_alt(_TEENS)}|{_alt(_ONES)}"
    r"|a\s+hundred|a\s+thousand|a\s+dozen|a\s+couple\s+of|couple\s+of)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_FUZZY = r"(?:a\s+few|few|several|some|many|a\s+number\s+of|dozens\s+of|hundreds\s+of)"
QUANT = rf"(?:{_DIGITS}|{_NUMWORD}|{_FUZZY}|an?)"
_FRACTION = r"(?:\s+(?:and\s+)?(?:a\s+half|one[\s-]half|1/2|½)|\s*½)"
UNITS = {
    "year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "MIN",
    "second": "S", "decade": "DE", "centurie": "CE", "century": "CE", "quarter": "Q",
    "night": "D", "weekend": "WE", "fortnight": "FN",
}  # fmt: skip
_UNIT = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century"
    r"|quarters?|nights?|weekends?|fortnights?)"
)
_MONTH_FULL = (
    "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Tues\.|Thurs\.)"
YEAR = r"(?:1[6-9]\d\d|20\d\d|21\d\d)"
_YEAR_END = r"(?![\w%]|[.,:/]\d|-\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.:/-]\d|,\d{3})"
_POD = r"(?:morning|afternoon|evening|night|overnight)"
_START = r"(?<![\w$#£€¥./'\u2019])"
_FLAGS = re.IGNORECASE

# Absolute calendar dates -----------------------------------------------------------------
MONTH_DAY_RE = re.compile(
    rf"{_START}(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<mon>{MONTH})\s+(?:the\s+)?(?P<d>{_DAY})"
    rf"(?:,?\s+(?P<y>{YEAR}{_YEAR_END}|['\u2019]\d\d\b))?",
    _FLAGS,
)
DAY_MONTH_RE = re.compile(
    rf"{_START}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{MONTH})"
    rf"(?:,?\s+(?P<y>{YEAR}){_YEAR_END})?",
    _FLAGS,
)
MONTH_RE = re.compile(
    rf"{_START}(?P<mon>{MONTH})(?:,?\s+(?:of\s+)?(?P<y>{YEAR}{_YEAR_END}|['\u2019]\d\d\b)"
    r"|\s+(?P<rel>this|last|next)\s+year)?(?=['\u2019]s\b|(?![\w'\u2019-]))",
    _FLAGS,
)
NUMERIC_DATE_RE = re.compile(
    r"(?<![\w/.-])(?:(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)"
    r"|(?P<um>1[0-2]|0?[1-9])/(?P<ud>[12]\d|3[01]|0?[1-9])/(?P<uy>\d{4}|\d\d))(?![\w/]|[.-]\d)"
)
YEAR_RE = re.compile(
    rf"(?<![\w$#£€¥.,/'\u2019])(?:(?P<pre>fiscal|calendar|the\s+year|model\s+year)\s+)?"
    rf"(?P<y>{YEAR})(?P<s>s)?{_YEAR_END}",
    _FLAGS,
)
SHORT_YEAR_RE = re.compile(
    r"(?:(?<=\s)|(?<=^))(?:(?P<pre>fiscal|class\s+of|in|since|of|summer|spring|fall|winter)\s+)?"
    r"['\u2019](?P<yy>\d\d)(?P<s>s)?(?![\w'\u2019]|\.\d)",
    _FLAGS,
)
DECADE_RE = re.compile(
    rf"{_START}(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<c>1[6-9]|20)(?P<d>\d)0['\u2019]?s"
    rf"|['\u2019](?P<d2>\d)0s|(?P<w>{_alt(list(DECADE_WORDS))}))\b",
    _FLAGS,
)
CENTURY_RE = re.compile(
    rf"{_START}(?:the\s+)?(?:(?P<n>\d\d?)(?:st|nd|rd|th)|(?P<w>{_alt(_ORDINALS)}))[\s-]+century\b",
    _FLAGS,
)
SPELLED_YEAR_RE = re.compile(
    rf"\b(?:(?:the\s+year\s+)?nineteen[\s-]+(?:(?P<t>{_alt(_TENS)})(?:[\s-](?P<o>{_alt(_ONES)}))?"
    rf"|(?P<teen>{_alt(_TEENS)})|hundred(?:\s+and\s+)?(?P<o3>{_alt(_ONES)}))"
    rf"|the\s+year\s+two\s+thousand(?:\s+and\s+(?P<o2>{_alt(_ONES)}))?)\b",
    _FLAGS,
)
HOLIDAY_RE = re.compile(
    rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<h>{_alt(HOLIDAYS)})(?:,?\s+(?P<y>{YEAR}){_YEAR_END})?",
    _FLAGS,
)

# Weekdays, times of day, today/yesterday ------------------------------------------------
WEEKDAY_RE = re.compile(
    r"(?<![\w-])(?:(?P<rel>last|next|this\s+coming|this\s+past|this|coming|the\s+previous"
    r"|the\s+following|the\s+next|previous|past)\s+)?"
    rf"(?P<wd>{WEEKDAY})(?P<pl>s\b)?(?:\s+(?P<pod>{_POD}s?)\b)?",
    _FLAGS,
)
TIME_RE = re.compile(
    r"(?<![\w:.$])(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\b\.?|[ap]m\b)"
    r"|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])(?!\s*(?:percent|%|to\s+\d))"
    r"|(?P<noon>noon|midnight|midday))"
    r"(?:\s+(?P<tz>EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|local\s+time)\b)?"
    rf"(?:(?:,\s*|\s+)(?:on\s+)?(?:(?P<day>{WEEKDAY}|yesterday|today|tomorrow)\b"
    rf"|(?P<mon>{MONTH})\s+(?P<d>{_DAY})))?",
    _FLAGS,
)
RELATIVE_DAY_RE = re.compile(
    r"\b(?:the\s+day\s+(?P<ba>before|after)\s+)?(?P<w>yesterday|today|tomorrow|tonight)"
    rf"(?:\s+(?P<pod>{_POD})\b)?",
    _FLAGS,
)
_REL = (
    r"this\s+past|this\s+coming|this|last|next|coming|past|previous|current|following"
    r"|the\s+past|the\s+last|the\s+next|the\s+coming|the\s+previous|the\s+current|the\s+following"
    r"|the\s+latest|the\s+same|the\s+prior|the\s+preceding|that|the\s+upcoming|upcoming"
)
RELATIVE_UNIT_RE = re.compile(
    rf"\b(?P<rel>{_REL})\s+(?:(?P<fiscal>fiscal|calendar)\s+)?(?P<u>year|month|week|quarter"
    r"|weekend|decade|century|spring|summer|fall|autumn|winter|morning|afternoon|evening|night"
    rf"|{_MONTH_FULL})(?=['\u2019]s\b|(?![\w'\u2019-]))",
    _FLAGS,
)

# Durations, "ago", quarters ---------------------------------------------------------------
_DUR_PRE = (
    r"(?:past|last|next|first|coming|previous|following|latest|final|additional|remaining"
    r"|same|initial|few)"
)
DURATION_RE = re.compile(
    rf"{_START}(?P<the>the\s+|an?\s+)?(?:(?P<dir>{_DUR_PRE})\s+)?(?P<q>{QUANT})(?P<f1>{_FRACTION})?"
    rf"(?:\s+more)?(?:\s+|-)(?P<u>{_UNIT})(?![\w'\u2019])(?P<f2>\s+and\s+a\s+half\b)?"
    r"(?P<tail>(?:-|\s+)(?:old|of\s+age)\b|-long\b)?",
    _FLAGS,
)
AGO_RE = re.compile(
    rf"{_START}(?P<q>{QUANT})(?P<f1>{_FRACTION})?(?:\s+|-)(?P<u>{_UNIT})"
    r"(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|from\s+now|hence|back)\b"
    r"(?!\s+(?:than|the|a|an|his|her|its|their|that|this|he|she|it|they|we)\b)",
    _FLAGS,
)
QUARTER_RE = re.compile(
    rf"(?:\bthe\s+)?(?:(?:(?P<y>{YEAR})|(?P<rel>this|last|next)\s+year['\u2019]s|its|the\s+company['\u2019]s"
    r"|fiscal|calendar|year-ago|year-earlier|comparable|same|latest|current|flat)\s+)*"
    r"\b(?P<ord>first|second|third|fourth|final|1st|2nd|3rd|4th)(?:[\s-]+(?:fiscal|calendar))?"
    r"[\s-]+(?P<k>quarter|half)(?![\w'\u2019])"
    rf"(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?:(?P<y2>{YEAR}){_YEAR_END}"
    r"|(?P<rel2>this|last|next)\s+year|the\s+(?P<rel3>previous|following|same|current)\s+year))?",
    _FLAGS,
)
QUARTER_REF_RE = re.compile(
    rf"(?:\bthe\s+)?(?:(?P<adj>latest|current|recent|most\s+recent|year-ago|year-earlier|same"
    rf"|comparable|previous|prior|fiscal|corresponding|(?P<y>{YEAR}))\s+)*(?P<k>quarter|period)\b"
    r"(?P<ago>\s+a\s+year\s+(?:ago|earlier))?|\byear-(?:ago|earlier)\b",
    _FLAGS,
)

# Fixed phrases ----------------------------------------------------------------------------
PHRASES = {
    "now": ("DATE", "PRESENT_REF"), "right now": ("DATE", "PRESENT_REF"),
    "just now": ("DATE", "PRESENT_REF"), "currently": ("DATE", "PRESENT_REF"),
    "nowadays": ("DATE", "PRESENT_REF"), "these days": ("DATE", "PRESENT_REF"),
    "at present": ("DATE", "PRESENT_REF"), "presently": ("DATE", "PRESENT_REF"),
    "at the moment": ("DATE", "PRESENT_REF"), "the present": ("DATE", "PRESENT_REF"),
    "recently": ("DATE", "PAST_REF"), "more recently": ("DATE", "PAST_REF"),
    "lately": ("DATE", "PAST_REF"), "the past": ("DATE", "PAST_REF"),
    "the future": ("DATE", "FUTURE_REF"), "the near future": ("DATE", "FUTURE_REF"),
    "the near term": ("DATE", "FUTURE_REF"), "the short term": ("DATE", "FUTURE_REF"),
    "the long term": ("DATE", "FUTURE_REF"), "a later date": ("DATE", "FUTURE_REF"),
    "the coming months": ("DATE", "FUTURE_REF"), "the months ahead": ("DATE", "FUTURE_REF"),
    "the years ahead": ("DATE", "FUTURE_REF"), "coming months": ("DATE", "FUTURE_REF"),
    "the coming years": ("DURATION", "PXY"), "coming years": ("DURATION", "PXY"),
    "the coming weeks": ("DURATION", "PXW"), "coming weeks": ("DURATION", "PXW"),
    "the coming days": ("DURATION", "PXD"), "coming days": ("DURATION", "PXD"),
    "the weeks ahead": ("DURATION", "PXW"), "the days ahead": ("DURATION", "PXD"),
    "recent years": ("DATE", "PAST_REF"), "recent months": ("DATE", "PAST_REF"),
    "recent weeks": ("DATE", "PAST_REF"), "recent days": ("DATE", "PAST_REF"),
    "recent quarters": ("DURATION", "PXM"),
    "daily": ("SET", "P1D"), "weekly": ("SET", "P1W"), "monthly": ("SET", "P1M"),
    "annually": ("SET", "P1Y"), "yearly": ("SET", "P1Y"), "hourly": ("SET", "PT1H"),
    "nightly": ("SET", "P1D"), "biweekly": ("SET", "P2W"),
    "the weekend": ("DATE", "WEEKEND"), "the week": ("DATE", "WEEK"),
    "the end of the year": ("DATE", "YEAR"), "year-end": ("DATE", "YEAR"),
    "year end": ("DATE", "YEAR"), "year's end": ("DATE", "YEAR"),
    "the end of the month": ("DATE", "MONTH"), "the end of the week": ("DATE", "WEEK"),
    "the full year": ("DATE", "YEAR"), "the year": ("DATE", "YEAR"),
    "the fiscal year": ("DATE", "YEAR"), "the current year": ("DATE", "YEAR"),
    "the current fiscal year": ("DATE", "YEAR"), "earlier in the year": ("DATE", "YEAR"),
    "earlier in the month": ("DATE", "MONTH"), "later in the year": ("DATE", "YEAR"),
    "later in the week": ("DATE", "WEEK"), "earlier in the week": ("DATE", "WEEK"),
    "decades": ("DURATION", "PXE"), "centuries": ("DURATION", "PXC"),
}  # fmt: skip
BARE_PLURAL_RE = re.compile(
    r"(?:"
    + "|".join(rf"(?<=\b{w}\s)" for w in ("for", "within", "in", "over", "after", "took"))
    + ")"
    r"(?P<u>years|months|weeks|days|hours|minutes|decades|centuries)\b(?!\s+(?:of|ago|old)\b)",
    _FLAGS,
)
PHRASE_RE = re.compile(r"(?<![\w'\u2019-])" + _alt(list(PHRASES)) + r"(?![\w'\u2019]|-\w)", _FLAGS)
SET_RE = re.compile(
    r"\b(?:(?P<n>once|twice|three\s+times|four\s+times|\w+\s+times)\s+(?:a|an|per|each|every)"
    r"|(?P<e>every|each|per)(?:\s+(?P<q>other|two|three|four|five|six|\d+))?)\s+"
    rf"(?P<u>year|month|week|day|hour|minute|quarter|morning|afternoon|evening|night|weekend"
    rf"|summer|winter|spring|fall|autumn|{WEEKDAY}|{_MONTH_FULL})s?\b",
    _FLAGS,
)

# Context cues ------------------------------------------------------------------------------
PREFIX_RE = re.compile(
    r"(?:\b(?:about|around|approximately|roughly|nearly|almost|more\s+than|less\s+than"
    r"|fewer\s+than|at\s+least|at\s+most|no\s+more\s+than|up\s+to|over|some|just|only"
    r"|early|late|earlier|later|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
    r"|the\s+middle\s+of|the\s+rest\s+of|the\s+turn\s+of)(?:\s+|-))+$",
    _FLAGS,
)
FUTURE_CUE_RE = re.compile(
    r"\b(?:will|won['\u2019]t|shall|going\s+to|plans?\s+to|planning\s+to|planned|scheduled"
    r"|expects?\s+to|expected|set\s+to|is\s+to|are\s+to|due|intends?\s+to|would|next(?!\s+to\b)"
    r"|upcoming|as\s+soon\s+as|as\s+early\s+as|reconvenes?|begins|starts|opens|resumes"
    r"|coming|tomorrow|hopes?\s+to|could|(?-i:may|might)|should|must|later|payable|expires?"
    r"|takes\s+effect|effective|of\s+record|extended\s+to|deadline)\b|['\u2019]ll\b",
    _FLAGS,
)
PAST_CUE_RE = re.compile(
    r"\b(?:was|were|had|did|said|ago|last|earlier|since|yesterday|took|came|went|began|made|met"
    r"|told|saw|got|gave|found|left|fell|rose|won|lost|held|previously|(?-i:[a-z]\w{2,}ed))\b",
    _FLAGS,
)
SENTENCE_END_RE = re.compile(r"[.!?]['\"\u2019\u201d]?\s+(?=[A-Z\"\u201c'\u2018])|\n\s*\n|\n")

# Triggers: each pattern is tried only at the few token starts just before a token of one of
# its trigger groups (scanning whole texts with the full grammar is several times slower).
TOKEN_RE = re.compile(r"[A-Za-z]+|\d+")
_MONTH_TOKENS = """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec"""
_UNIT_TOKENS = """year years month months week weeks weekend weekends day days hour hours minute
    minutes second seconds decade decades century centuries night nights fortnight fortnights"""


def _words(*parts: str) -> frozenset[str]:
    return frozenset(w for part in parts for w in part.lower().split())


TRIGGER_GROUPS: dict[str, frozenset[str]] = {
    "month": _words(_MONTH_TOKENS),
    "weekday": _words("monday tuesday wednesday thursday friday saturday sunday tues thurs"),
    "unit": _words(_UNIT_TOKENS),
    "quarter": _words("quarter quarters half period"),
    "pod": _words("morning afternoon evening night overnight mornings nights evenings"),
    "season": _words(" ".join(SEASONS)),
    "relday": _words("yesterday today tomorrow tonight"),
    "clock": _words("m am pm noon midnight midday"),
    "holiday": _words(
        "christmas thanksgiving easter halloween valentine veterans boxing labor memorial"
        " election independence luther july year good"
    ),
    "decade": _words(" ".join(DECADE_WORDS)),
    "century": _words("century"),
    "spelled": _words("nineteen thousand"),
    "phrase": _words(*(TOKEN_RE.findall(p)[-1] for p in PHRASES)),
}
