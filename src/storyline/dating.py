"""Missing publication dates: infer them from an article's text and its story.

Corpus stage. Requires cleaned articles with ``dates`` (the date stage has run, so an undated
article's relative expressions are still placeholders such as ``XXXX-WXX-3``) and the
stories they belong to. Assigns ``published`` (a :class:`~storyline.model.PartialDate` at
day, month or year precision) and ``published_source = "inferred"`` to articles that had no
publication date and whose text allows one; the article's ``dates`` are then resolved
again against it (relative ones only when it is known to the day; year-less dates such as
"Sept. 28" inside a known month or year).

Method (candidate publication dates, scored by how well the text agrees with them):

1. **Known days.** The days the story already knows: every dated member's publication day
   and the days its expressions resolve to; every member's dates with an explicit year;
   year-less month-days ("March 3") put in the year nearest the story's dated articles; and
   days derived from "N days after <date>".
2. **Lower bound.** The article is published no earlier than the latest day it mentions
   in a clause that is not future-tensed.
3. **Candidates.** Each known day plus 0-7 days, and plus every duration the article states
   ("two weeks ago", "one year after", "nine days after").
4. **Score.** For each candidate the article's expressions are resolved again (the very
   same conventions; :class:`~storyline.extract.dates.DateResolver` scans the text once
   and resolves per candidate); a relative expression ("yesterday", "Wednesday", "two
   weeks ago", "last year") that then lands on a period containing a known day scores
   4 (day), 3 (week), 2 (month) or 1 (year).
5. **Decide.** The best-scoring candidates win; the earliest is taken (news reports an
   event on the day or soon after); ties on score go to the candidate whose cues land on
   days more articles name. Its precision: day when a day cue ("Wednesday", "yesterday")
   matched, or a week cue matched within a week of the lower bound; month likewise for a
   month cue; else year when the winners share one. With no matching cue the story
   decides alone: the month or year that all its dated articles share.

Limits: English; an article whose story has no dated member and whose text has no explicit
year stays undated; a retrospective piece that mentions only old dates is dated too early
(the lower bound is only a bound); one article's inferred date does not feed another's.
Why an article stays undated is logged at INFO level.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import logging
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from storyline.extract import _timex_calendar as cal
from storyline.extract._timex_context import Context, number, sentence_bounds, tense, unit_code
from storyline.extract.dates import EXTEND_REACH, DateResolver, date_article
from storyline.model import Article, PartialDate, Precision, Story, TimeExpression

__all__ = ["infer_published", "period_of", "without_inferred_date"]

log = logging.getLogger(__name__)

_DAY, _WEEK, _MONTH, _YEAR = 4, 3, 2, 1
_WINDOW_DAYS = 7
_MAX_CANDIDATES = 800

_RELATIVE_RE = re.compile(r"^(?:XXXX(?:-XX(?:-XX)?|-WXX(?:-\d)?)?|PAST_REF|FUTURE_REF)(?:T\w+)?$")
_YEARLESS_RE = re.compile(r"^XXXX-(\d\d)-(\d\d)")
_DAY_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d\d)")
_MONTH_RE = re.compile(r"^(\d{4})-(\d\d)$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_QUANTITY_RE = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|[a-z]+-[a-z]+)?\s*(?P<unit>days?|weeks?|fortnights?|months?"
    r"|years?|decades?)\b",
    re.IGNORECASE,
)
_ANCHOR_GAP_RE = re.compile(r"^\s+(?:after|before|since|from)\s+(?:the\s+)?$", re.IGNORECASE)
_NOT_DEICTIC_RE = re.compile(r"\b(?:a|an|that|the|one|same|each|every)\s+$", re.IGNORECASE)
_PLUPERFECT_RE = re.compile(
    r"\b(?:had|['\u2019]d)\s+(?:already\s+|just\s+|not\s+|never\s+)?"
    r"(?:been|gone|\w+(?:ed|en|wn|ught))\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"D": 1, "W": 7, "FN": 14, "M": 30, "Y": 365, "DE": 3652}


@dataclass(frozen=True, slots=True, kw_only=True)
class _StoryView:
    """What an article's story knows: its known days and its dated members' dates."""

    known: Mapping[dt.date, int]
    reference: dt.date | None
    published: tuple[PartialDate, ...]


def infer_published(articles: Sequence[Article], stories: Sequence[Story]) -> tuple[Article, ...]:
    """Date the undated articles from their text and their story (corpus stage).

    Args:
        articles: the processed articles (``dates`` assigned).
        stories: the stories; an article in no story is dated from its own text only.

    Returns:
        The articles in the same order; those with ``published=None`` get an inferred
        date when their text allows it, and keep ``None`` otherwise (the reason is logged).
    """
    by_id = {a.id: a for a in articles}
    story_of: dict[str, Story] = {}
    for story in stories:
        for article_id in story.article_ids:
            story_of.setdefault(article_id, story)
    views: dict[str, _StoryView] = {}
    out = []
    for article in articles:
        if article.published is not None:
            out.append(article)
            continue
        own_story = story_of.get(article.id)
        key = own_story.id if own_story is not None else f"\x00{article.id}"
        if key not in views:
            members = (
                [by_id[i] for i in own_story.article_ids if i in by_id] if own_story else [article]
            )
            views[key] = _story_view(members)
        out.append(_date_one(article, views[key]))
    return tuple(out)


def story_view(members: Sequence[Article]) -> _StoryView:
    """What a story's members know (their days and dates), for :func:`date_with_view`.

    :func:`infer_published` is this and :func:`date_with_view` per story; the two halves
    let a story's undated articles be dated in several batches from one view.
    """
    return _story_view(members)


def date_with_view(articles: Sequence[Article], view: _StoryView) -> tuple[Article, ...]:
    """``articles`` with the undated ones dated from their text and ``view`` (their story's
    :func:`story_view`); as :func:`infer_published` dates them."""
    return tuple(a if a.published is not None else _date_one(a, view) for a in articles)


def without_inferred_date(article: Article) -> Article:
    """``article`` as the per-article stages left it: an inferred publication date removed
    and its expressions resolved again without it (relative ones back to placeholders).

    Stores call it before inferring again, so a stored inference neither feeds another
    article's nor stands in for the placeholders :func:`infer_published` reads.
    """
    if article.published_source != "inferred":
        return article
    return date_article(replace(article, published=None, published_source=None))


def period_of(value: str) -> tuple[dt.date, dt.date, int] | None:
    """First and last day of a TIMEX3 ``value`` and its grain (4 day, 3 week, 2 month, 1 year).

    ``None`` for values that are not a calendar period (durations, ``PRESENT_REF``, ``XXXX``).
    """
    if m := _DAY_RE.match(value):
        day = cal.safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (day, day, _DAY) if day else None
    if m := _WEEK_RE.match(value):
        try:
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        return first, first + dt.timedelta(days=6), _WEEK
    if m := _MONTH_RE.match(value):
        year, month = int(m[1]), int(m[2])
        first_day = cal.safe_date(year, month, 1)
        if first_day is None:
            return None
        nxt = cal.safe_date(year + month // 12, month % 12 + 1, 1)
        last = (nxt - dt.timedelta(days=1)) if nxt else first_day
        return first_day, last, _MONTH
    if (m := _YEAR_RE.match(value)) and int(m[1]) >= 1:
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31), _YEAR
    return None


# --- what the story knows -----------------------------------------------------------------


def _story_view(members: Sequence[Article]) -> _StoryView:
    dated = [a for a in members if a.published is not None]
    published = tuple(a.published for a in dated if a.published is not None)
    days = [p.date for p in published if p.precision == "day"]
    reference = (
        dt.date.fromordinal(int(statistics.median(d.toordinal() for d in days))) if days else None
    )
    known: Counter[dt.date] = Counter()
    for article in members:
        mentioned = set(_own_days(article, reference))
        if article.published is not None and article.published.precision == "day":
            mentioned = {article.published.date, *_explicit_days(article.dates)}
        known.update(mentioned)
    return _StoryView(known=known, reference=reference, published=published)


def _explicit_days(dates: Iterable[TimeExpression]) -> Iterable[dt.date]:
    for expr in dates:
        if expr.type in ("DATE", "TIME") and (p := period_of(expr.value)) and p[2] == _DAY:
            yield p[0]


def _own_days(
    article: Article, reference: dt.date | None, *, past_only: bool = False
) -> list[dt.date]:
    """Days an undated article names: explicit, year-less (near ``reference``) and derived."""
    ctx = Context(text=article.text, dct=None)
    out: list[dt.date] = []
    previous: TimeExpression | None = None
    for expr in article.dates:
        day = _named_day(expr, reference)
        if day is not None and previous is not None:
            day = _shift_by(previous, expr, day, article.text) or day
        span = expr.evidence[0]
        if day is not None and not (past_only and tense(ctx, span.start, span.end) == "future"):
            out.append(day)
        previous = expr
    return out


def _named_day(expr: TimeExpression, reference: dt.date | None) -> dt.date | None:
    if expr.type not in ("DATE", "TIME"):
        return None
    if (p := period_of(expr.value)) and p[2] == _DAY:
        return p[0]
    if reference is not None and (m := _YEARLESS_RE.match(expr.value)):
        year = cal.month_day_year(reference, int(m[1]), int(m[2]), "near")
        return cal.safe_date(year, int(m[1]), int(m[2])) if year else None
    return None


def _shift_by(
    duration: TimeExpression, anchor: TimeExpression, day: dt.date, text: str
) -> dt.date | None:
    """``day`` moved by "nine days after <anchor>" when ``duration`` directly precedes it."""
    if duration.type != "DURATION":
        return None
    gap = text[duration.evidence[0].end : anchor.evidence[0].start]
    if not _ANCHOR_GAP_RE.match(gap):
        return None
    days = _offset_days(duration.text)
    if days is None:
        return None
    sign = -1 if gap.strip().lower().startswith("before") else 1
    return cal.add_days(day, sign * days)


def _offset_days(phrase: str) -> int | None:
    m = _QUANTITY_RE.search(phrase)
    if m is None:
        return None
    n = number(m["n"] or "a") if (m["n"] or "a").lower() not in ("a", "an") else 1.0
    if n is None or n <= 0 or n > 200:
        return None
    return round(n * _UNIT_DAYS.get(unit_code(m["unit"]), 1))


# --- one article --------------------------------------------------------------------------


def _date_one(article: Article, view: _StoryView) -> Article:
    own = _own_days(article, view.reference, past_only=True)
    known = Counter(view.known)
    known.update(set(own) - set(view.known))
    lower = max(own, default=None)
    cues = [e for e in article.dates if _is_deictic(e, article.text)]
    found: PartialDate | None = None
    if cues and known:
        found = _from_cues(article, cues, known, lower)
    if found is None:
        found = _from_story(view, lower)
    if found is None:
        log.info(
            "article %s stays undated: no relative cue agrees with a known date and its "
            "story has no dated article to go by",
            article.id,
        )
        return article
    resolver = DateResolver(article.text, article_id=article.id)
    if found.precision == "day":
        dates = resolver.resolve(found.date)
    else:  # year-less dates ("Sept. 28") still fall inside a known month or year
        dates = resolver.resolve(None, period=found)
    return replace(article, published=found, published_source="inferred", dates=dates)


def _is_deictic(expr: TimeExpression, text: str) -> bool:
    """A relative expression measured from publication: not "a Sunday", "that Monday",
    nor inside a pluperfect clause ("she had been admitted earlier this month")."""
    if expr.type not in ("DATE", "TIME") or not _RELATIVE_RE.match(expr.value):
        return False
    start = expr.evidence[0].start
    if _NOT_DEICTIC_RE.search(text, max(0, start - 12), start):
        return False
    left, _right = sentence_bounds(text, start, expr.evidence[0].end)
    return _PLUPERFECT_RE.search(text, left, start) is None


def _from_cues(
    article: Article,
    cues: Sequence[TimeExpression],
    known: Mapping[dt.date, int],
    lower: dt.date | None,
) -> PartialDate | None:
    starts = {e.evidence[0].start for e in cues}
    # past the last cue nothing scores: an expression's evidence starts at most
    # EXTEND_REACH characters before its match, never after it but for a determiner
    until = max(starts) + EXTEND_REACH
    candidates = _candidates(article, known, lower)
    scored: list[tuple[tuple[int, int], int, dt.date]] = []
    resolver = DateResolver(article.text, article_id=article.id)
    days = sorted(known)
    counts = [known[day] for day in days]
    for candidate in candidates:
        score, support, finest = 0, 0, 0
        for expr in resolver.resolve(candidate, until=until):
            if expr.evidence[0].start not in starts or (p := _period(expr.value)) is None:
                continue
            first, last, grain = p
            if first > candidate:
                continue
            lo, hi = bisect.bisect_left(days, first), bisect.bisect_right(days, last)
            if lo < hi:  # known days inside the expression's period
                score += grain
                support += max(counts[lo:hi])
                finest = max(finest, grain)
        scored.append(((score, support), finest, candidate))
    best = max((s for s, _, _ in scored), default=(0, 0))
    if best[0] == 0:
        return None
    winners = sorted((c, f) for s, f, c in scored if s == best)
    chosen, finest = winners[0]
    near = lower is None or (chosen - lower).days <= _WINDOW_DAYS
    years = {c.year for c, _ in winners}
    precision: Precision | None = None
    if finest == _DAY or (finest == _WEEK and near):
        precision = "day"
    elif finest >= _MONTH and near:
        precision = "month"
    elif len(years) == 1 or finest >= _MONTH:
        precision = "year"
    if precision is None:
        return None
    return _partial(chosen, precision)


@functools.lru_cache(maxsize=4096)
def _period(value: str) -> tuple[dt.date, dt.date, int] | None:
    return period_of(value)


def _candidates(
    article: Article, known: Mapping[dt.date, int], lower: dt.date | None
) -> list[dt.date]:
    offsets = {0}
    for expr in article.dates:
        if expr.type == "DURATION" or expr.value in ("PAST_REF", "FUTURE_REF", "XXXX"):
            days = _offset_days(expr.text)
            if days is not None:
                offsets.add(days)
        if expr.value == "XXXX" and "year" in expr.text.lower():
            offsets.add(365)
    out: set[dt.date] = set()
    for anchor in known:
        for offset in offsets:
            for extra in range(_WINDOW_DAYS + 1):
                day = cal.add_days(anchor, offset + extra)
                if day is not None and (lower is None or day >= lower):
                    out.add(day)
    ordered = sorted(out)
    return ordered[:_MAX_CANDIDATES] if lower is not None else ordered[-_MAX_CANDIDATES:]


def _from_story(view: _StoryView, lower: dt.date | None) -> PartialDate | None:
    dates = [p.date for p in view.published]
    if lower is not None:
        dates = [d for d in dates if d >= lower] or [lower]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    if (first.year, first.month) == (last.year, last.month) and len(view.published) > 0:
        return _partial(first, "month")
    if first.year == last.year:
        return _partial(first, "year")
    return None


def _partial(day: dt.date, precision: Precision) -> PartialDate:
    if precision == "year":
        return PartialDate(date=dt.date(day.year, 1, 1), precision="year")
    if precision == "month":
        return PartialDate(date=dt.date(day.year, day.month, 1), precision="month")
    return PartialDate(date=day, precision="day")
