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
placeholders (``XXXX-WXX-5``, ``XXXX-09-28``, ``PAST_REF``); with one known only to the
month or year, year-less dates ("Sept. 28", "Friday, June 13") resolve inside it.

Not dates: a year that names a work or a thing ("the film 1917", "“1999”", "Blade Runner
2049", "Orion 1980"), a weekday after "a" ("on a Sunday night": some Sunday; "that
Monday" is the one after the day just named), a game clock ("scored 4:51 into overtime").

Limits: English only; no event anchoring ("two days after the vote" keeps only the
duration); tense is read from nearby cue words, not parsed; "the period", "that year" and
similar anaphora use only the last mentioned quarter or year. Scored on TempEval-3 by
``benchmarks/dates.py``.
"""

import datetime as dt
import re
from dataclasses import replace

from storyline.extract import _timex_calendar as cal
from storyline.extract import _timex_patterns as pat
from storyline.extract._timex_calendar import Direction
from storyline.extract._timex_context import Context, Handler, Value
from storyline.extract._timex_handlers import GROUP_RANKS, RULES, TRIGGERS
from storyline.model import Article, PartialDate, Span, TimeExpression, TimexType

__all__ = ["DateResolver", "date_article", "extract_dates"]


def date_article(article: Article) -> Article:
    """Assign ``article.dates`` (per-article stage: requires cleaned ``text``, ``published``).

    Relative expressions resolve only against a publication date known to the day; one
    known to the month or year still places year-less dates ("Sept. 28", "in August").
    """
    published = article.published
    anchor = published.date if published is not None and published.precision == "day" else None
    period = None if published is None or anchor is not None else published
    return replace(
        article,
        dates=extract_dates(article.text, article_id=article.id, published=anchor, period=period),
    )


def extract_dates(
    text: str,
    *,
    article_id: str,
    published: dt.date | None,
    period: PartialDate | None = None,
) -> tuple[TimeExpression, ...]:
    """Find and normalise every temporal expression in ``text``.

    Args:
        text: the article's cleaned text.
        article_id: the id written into each evidence span.
        published: the publication date that relative expressions resolve against.
        period: without ``published``, a publication date known to the month or year:
            year-less month-days and months then resolve inside it (a year named just
            before wins: "on Sept. 27, 2020 … on Sept. 30" stays in 2020), a weekday
            given with the date picks the year it falls on ("Friday, June 13").

    Returns:
        The expressions in text order, each with one span and ``text == text[start:end]``.
    """
    return DateResolver(text, article_id=article_id).resolve(published, period=period)


class DateResolver:
    """One text's temporal expressions, found once and resolved against any date.

    Finding the candidate spans is most of the cost of :func:`extract_dates` and does not
    depend on the publication date, so stages that try many dates for one text (date
    inference) find them once here and call :meth:`resolve` per date.
    """

    def __init__(self, text: str, *, article_id: str) -> None:
        self.text = text
        self.article_id = article_id
        self._candidates = _candidates(text)
        self._tenses: dict[tuple[int, int], Direction | None] = {}  # shared by every resolve

    def resolve(
        self,
        published: dt.date | None,
        *,
        period: PartialDate | None = None,
        until: int | None = None,
    ) -> tuple[TimeExpression, ...]:
        """The expressions of the text resolved against ``published`` (see extract_dates).

        ``until``: only those matched at or before this offset (an expression depends on
        the ones before it, never on those after, so these come out as in the whole
        text). Date inference tries hundreds of days; its cues are all it scores.
        """
        if isinstance(published, dt.datetime):
            published = published.date()
        text = self.text
        known: tuple[int, int | None] | None = None
        if published is None and period is not None and period.precision != "day":
            known = (period.date.year, period.date.month if period.precision == "month" else None)
        ctx = Context(text=text, dct=published, period=known, tenses=self._tenses)
        found: list[TimeExpression] = []
        taken_to = 0
        for start, neg_end, _rank, match, handler in self._candidates:
            if until is not None and start > until:
                break  # candidates are in text order
            if start < taken_to:
                continue
            value = handler(match, ctx)
            if value is None:
                continue
            start = _extend_left(text, start, value[0], floor=taken_to)
            end = -neg_end
            if drop := _DETERMINER_RE.match(text, start, end):
                start = drop.end()
            if more := _SUFFIX_RE.match(text, end):
                end = more.end()
            taken_to = end
            _remember(ctx, value, end)
            span = Span(article_id=self.article_id, start=start, end=end)
            found.append(
                TimeExpression(
                    text=text[start:end], type=value[0], value=value[1], evidence=(span,)
                )
            )
        return tuple(found)


_LOOKBACK_TOKENS, _LOOKBACK_CHARS = 7, 64


def _candidates(text: str) -> list[tuple[int, int, int, re.Match[str], Handler]]:
    """Matches of every rule, tried at the token starts just before each trigger token."""
    out: list[tuple[int, int, int, re.Match[str], Handler]] = []
    tried: set[int] = set()
    get = TRIGGERS.get
    for tok in pat.TOKEN_RE.finditer(text):
        word = tok[0]
        ranks = get(word)
        if ranks is None:
            if word[0] > "9":
                continue
            ranks = _digit_ranks(text, tok)
            if not ranks:
                continue
        start = tok.start()
        lo = max(0, start - _LOOKBACK_CHARS)
        at = [m.start() for m in pat.TOKEN_RE.finditer(text, lo, start)][-_LOOKBACK_TOKENS:]
        at.append(start)
        if text[start - 1 : start] in ("'", "\u2019"):
            at.append(start - 1)
        for rank in ranks:
            regex, handler, _groups = RULES[rank]
            for s in at:
                key = s * 64 + rank
                if key in tried:
                    continue
                tried.add(key)
                m = regex.match(text, s)
                if m is not None and m.end() > s:
                    out.append((s, -m.end(), rank, m, handler))
    out.sort(key=_candidate_key)
    return out


def _candidate_key(c: tuple[int, int, int, re.Match[str], Handler]) -> tuple[int, int, int]:
    return c[0], c[1], c[2]


def _digit_ranks(text: str, tok: re.Match[str]) -> tuple[int, ...]:
    """Rules a number token can trigger: years, decades, clock times and numeric dates."""
    token, after = tok[0], text[tok.end() : tok.end() + 1]
    ranks: tuple[int, ...] = ()
    if len(token) == 4 and "1600" <= token <= "2199":
        ranks += GROUP_RANKS["year4"]
    if after in (":", "/", "-", "."):
        ranks += GROUP_RANKS["numsep"]
    if after in ("s", "'", "\u2019") or text[tok.start() - 1 : tok.start()] in ("'", "\u2019"):
        ranks += GROUP_RANKS["decade"] + GROUP_RANKS["apos"]
    return ranks


# --- context ------------------------------------------------------------------------------

_DETERMINER_RE = re.compile(
    r"(?:its|their|his|her|the\s+company[\'\u2019]s|the(?=\s+\S+-(?:year|quarter|month|week|day"
    r"|hour|minute|decade)s?\b))\s+",
    re.IGNORECASE,
)
_SUFFIX_RE = re.compile(r"\s+(?:or\s+so|or\s+later|and\s+beyond)\b", re.IGNORECASE)
_APPROX_RE = re.compile(
    r"(?:\b(?:about|around|approximately|roughly|nearly|almost|more\s+than|less\s+than"
    r"|fewer\s+than|at\s+least|at\s+most|no\s+more\s+than|up\s+to)\s+)+$",
    re.IGNORECASE,
)
_POSITION_RE = re.compile(
    r"(?:\b(?:about|around|approximately|early|late|earlier|later|mid|the\s+end\s+of"
    r"|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+turn\s+of)(?:\s+|-))+$",
    re.IGNORECASE,
)


EXTEND_REACH = 40
"""Characters an expression's evidence may start before its match (approximators and
position words, :func:`_extend_left`); a leading determiner only moves it right."""


def _extend_left(text: str, start: int, kind: TimexType, *, floor: int) -> int:
    """Move ``start`` left over approximators or position words that modify the expression."""
    lo = max(floor, start - EXTEND_REACH)
    regex = (
        _APPROX_RE
        if kind == "DURATION" and text[start : start + 4].lower() != "the "
        else (_POSITION_RE)
    )
    m = regex.search(text, lo, start)
    return m.start() if m else start


def _remember(ctx: Context, value: Value, end: int) -> None:
    """Record the day, year and quarter that later anaphora may refer back to."""
    kind, v = value
    if kind not in ("DATE", "TIME") or not v[:4].isdigit():
        return
    ctx.last_year = int(v[:4])
    ctx.last_year_at = end
    if len(v) >= 10 and v[4] == "-" and v[7] == "-" and v[8:10].isdigit():
        ctx.last_day = cal.safe_date(int(v[:4]), int(v[5:7]), int(v[8:10])) or ctx.last_day
        ctx.last_day_at = end
    if len(v) >= 7 and v[4] == "-" and v[5:7].isdigit():
        ctx.last_month = (int(v[:4]), int(v[5:7]))
