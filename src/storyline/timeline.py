"""Timeline: a story's dated happenings, merged across outlets, in date order.

Story stage. Requires the story's articles with ``dates`` resolved (the date stage, and
publication-date inference for articles that had none). Assigns ``Story.timeline``: one
:class:`~storyline.model.TimelineEntry` per date, its most informative sentence(s) as
``text`` and, as ``article_ids`` and ``evidence``, the articles that carry that sentence or
a near-copy of it (a syndicated reprint, a lightly edited rewrite).

Method (date-wise, in the manner of news-tls's DATEWISE baseline, without its trained ranker):

1. **Dated sentences** (:func:`date_sentences`). Each article's text is split into
   sentences. A sentence takes the date of every DATE/TIME expression in it that resolves
   to a day, a month or a year (``2020-10-14``, ``2020-10``, ``2013``). A sentence that
   gives no date of its own takes the date of the event it reports: in an article's first
   eight sentences, until one names another date, the article's *main event* (the first
   day its first three sentences name within a week of publication, "scored … Saturday
   night"; else the publication date); further on, the single day the sentence before
   it in the same paragraph names. Neither is its publication date as such: a game
   played on Saturday and reported on Monday is Saturday's.
2. **Merge.** Sentences that share a date form one candidate entry, whatever outlet they
   come from.
3. **Rank dates.** A date scores the number of articles that name it, plus a quarter per
   naming sentence, plus half per article whose main event it is without naming it
   (syndicated copies, ``duplicate_of``, count once with their original). A month or year
   is dropped when a finer date inside it scores at least as well (the same happening,
   less precisely dated). **Background**: a date whose whole period lies more than
   ``background_days`` before the story's first publication day (a wedding years
   earlier) is history: at most ``max_background`` such dates are kept, after the
   story's own, marked ``background=True``. The ``max_dates`` best are kept, then
   ordered by date.
4. **Pick sentences.** Within a date, sentences are scored by similarity to the centroid of
   all the date's sentences plus half their similarity to the whole story's centroid (bags
   of content words), favouring ones that state the date themselves, report rather than
   quote, and have 8-45 words; near-copies are skipped. The ``sentences_per_date`` best
   form ``text``, a leading dateline ("PORT ELLERY (Northwire) — ") left out.
5. **Citations.** An entry cites the articles of its sentences and of their near-copies
   on that date (content-word overlap at least ``0.6``), and nothing else: another article
   that merely names the same day is not a source of the sentence shown.

The sentence scores and weights were chosen on three Timeline17 timelines (the H1N1
topic) and are reported on the two other topics by ``benchmarks/timelines.py``.

Limits: one entry per date, so two happenings on one day share an entry; a sentence with
two dates supports both; the centroid picks a typical sentence, not necessarily the
happening's own; week, quarter and season values are not placed on the timeline.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from storyline._asides import in_aside
from storyline._sentences import dateline_end
from storyline._story_text import asides as aside_ranges
from storyline._story_text import sentence_spans
from storyline.dating import period_of
from storyline.model import Article, PartialDate, Precision, Span, Story, TimelineEntry
from storyline.settings import TimelineSettings

__all__ = ["DatedSentence", "DatedText", "build_timeline", "date_sentences"]

_LEAD_SENTENCES = 8  # chosen on the tuned Timeline17 topics (3 to 15 tried)
_MAIN_EVENT_SENTENCES = 3  # the main event is the first day these sentences name…
_MAIN_EVENT_DAYS = 7  # …within this many days of publication
_MIN_WORDS, _GOOD_WORDS, _MAX_WORDS = 5, 8, 45
_NEAR_COPY = 0.7  # never two sentences this alike in one entry
_CARRIER = 0.6  # a sentence this alike to an entry's sentence carries it
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_MENTION_WEIGHT, _LEAD_WEIGHT = 0.25, 0.5  # date score per naming sentence, per lead
_STORY_WEIGHT, _EXPLICIT_BONUS = 0.5, 0.05  # sentence score: story centroid, own date

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019-]+|\d+")
_STOP_WORDS = (
    "a about after again against all also an and any are as at be been before being but by "
    "can could did do does during each for from had has have he her here hers him his how "
    "i if in into is it its itself just me more most my no nor not now of off on once only "
    "or other our out over own said same says she should so some such than that the their "
    "them then there these they this those through to too under until up very was we were "
    "what when where which while who whom why will with would you your lrb rrb "
)
_STOP = frozenset(_STOP_WORDS.split())

_BARE_QUOTE = re.compile(r"^[\"\u201c\u2018'][^\"\u201c\u201d]*[\"\u201d\u2019']$")

DateSource = Literal["own", "lead", "context"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedSentence:
    """One sentence of an article and the date(s) of what it reports.

    ``start`` is after any leading dateline. ``source`` says where the dates come from:
    ``own`` (its words), ``lead`` (the article's main event, for its first sentences) or
    ``context`` (the day named by the sentence before it in the paragraph).
    """

    article_id: str
    index: int
    start: int
    end: int
    dates: tuple[PartialDate, ...]
    source: DateSource


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedText:
    """An article's dated sentences and its main event (``None`` when nothing dates it).

    ``main_named`` says whether the lead names the main event's day; when it does not,
    the main event is the publication date.
    """

    main: PartialDate | None
    sentences: tuple[DatedSentence, ...]
    main_named: bool = False


@dataclass(slots=True, kw_only=True)
class _Sentence:
    article_id: str
    start: int
    end: int
    text: str
    source: DateSource
    counts: bool  # supports its date's score (a copy's sentences do not)
    words: Counter[str] = field(default_factory=Counter)

    @property
    def explicit(self) -> bool:
        return self.source == "own"


def build_timeline(
    story: Story,
    articles: Mapping[str, Article],
    settings: TimelineSettings,
    *,
    window: tuple[dt.date, dt.date] | None = None,
) -> tuple[TimelineEntry, ...]:
    """Build the story's dated timeline (story stage).

    Args:
        story: the story; its ``article_ids`` are looked up in ``articles``.
        articles: every article by id (missing ids are ignored).
        settings: sizes (``max_dates``, ``sentences_per_date``, ``max_background``),
            background threshold and coarsest precision kept.
        window: when given, only dates whose period lies inside it are considered.

    Returns:
        Entries ordered by date (coarser precision after finer on the same start day).
    """
    members = [articles[i] for i in story.article_ids if i in articles]
    by_date: dict[PartialDate, list[_Sentence]] = {}
    for article in members:
        counts = article.duplicate_of is None or article.duplicate_of not in articles
        for dated in date_sentences(article, coarsest=settings.coarsest_precision).sentences:
            sentence = _sentence(article, dated, counts=counts)
            if sentence is None:
                continue
            for date in dated.dates:
                if window is None or _inside(date, window):
                    by_date.setdefault(date, []).append(sentence)
    scores = {d: _date_score(s) for d, s in by_date.items()}
    sources = {
        d: frozenset(x.article_id for x in s if x.source != "context") for d, s in by_date.items()
    }
    start = _story_start(members)
    ranked = sorted(by_date, key=lambda d: (-scores[d], d.date, d.precision))
    finer = _FinerDates(scores)
    ranked = [d for d in ranked if scores[d] > 0 and not _covered(d, scores, sources, finer)]
    own = [d for d in ranked if not _background(d, start, settings)]
    history = [d for d in ranked if _background(d, start, settings)]
    chosen = (own + history[: settings.max_background])[: settings.max_dates]
    order = {a.id: (a.published.date if a.published else dt.date.max, a.id) for a in members}
    story_words: Counter[str] = Counter()
    for sentences in by_date.values():
        for sentence in sentences:
            story_words.update(set(sentence.words))
    used: set[tuple[str, int]] = set()  # a sentence with two dates shows under one of them
    entries = [
        _entry(
            date,
            by_date[date],
            settings,
            background=_background(date, start, settings),
            order=order,
            story=story_words,
            used=used,
        )
        for date in sorted(chosen, key=lambda d: -scores[d])
    ]
    return tuple(sorted(entries, key=lambda e: (e.date.date, _PRECISION_RANK[e.date.precision])))


def date_sentences(article: Article, *, coarsest: Precision = "year") -> DatedText:
    """The article's sentences that report something datable, with those dates.

    See step 1 of the module docstring. Sentences with no date of their own, outside the
    lead and after no dated sentence in their paragraph, are left out.
    """
    text = article.text
    spans = sentence_spans(text, article.language)
    keep = _PRECISION_RANK[coarsest]
    own: list[list[PartialDate]] = [[] for _ in spans]
    cursor = 0
    for expr in article.dates:
        if expr.type not in ("DATE", "TIME"):
            continue
        date = _partial(expr.value)
        if date is None or _PRECISION_RANK[date.precision] > keep:
            continue
        at = expr.evidence[0].start
        while cursor < len(spans) and spans[cursor][1] <= at:
            cursor += 1
        if cursor == len(spans):
            break
        if date not in own[cursor]:
            own[cursor].append(date)
    main = _main_event(article, own)
    asides = aside_ranges(text)
    out: list[DatedSentence] = []
    in_lead = main is not None
    for index, (start, end) in enumerate(spans):
        dates: tuple[PartialDate, ...] = tuple(own[index])
        source: DateSource = "own"
        in_lead = in_lead and index < _LEAD_SENTENCES and all(d == main for d in dates)
        if not dates and in_lead and main is not None:
            dates, source = (main,), "lead"
        elif not dates and index > 0 and _same_paragraph(text, spans[index - 1][1], start):
            before = [d for d in own[index - 1] if d.precision == "day"]
            if len(before) == 1:
                dates, source = (before[0],), "context"
        if dates and not in_aside(list(asides), start, end):
            begin = dateline_end(text, start, end) if index == 0 else start
            out.append(
                DatedSentence(
                    article_id=article.id,
                    index=index,
                    start=begin,
                    end=end,
                    dates=dates,
                    source=source,
                )
            )
    return DatedText(main=main, sentences=tuple(out), main_named=main != article.published)


def _main_event(article: Article, own: Sequence[Sequence[PartialDate]]) -> PartialDate | None:
    """The day the article's lead reports: the first it names near publication, else that.

    Without a publication day: the first day named in the lead that falls inside the
    known publication month or year (any, for an undated article).
    """
    published = article.published
    day = published.date if published is not None and published.precision == "day" else None
    for dates in own[:_MAIN_EVENT_SENTENCES]:
        for date in dates:
            if date.precision != "day":
                continue
            if day is None and (
                published is None or published.date <= date.date <= published.last_day()
            ):
                return date
            if day is not None and abs((day - date.date).days) <= _MAIN_EVENT_DAYS:
                return date
    return published


def _same_paragraph(text: str, end: int, start: int) -> bool:
    return "\n" not in text[end:start]


def _sentence(article: Article, dated: DatedSentence, *, counts: bool) -> _Sentence | None:
    text = article.text[dated.start : dated.end]
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < _MIN_WORDS or text.isupper() or _BARE_QUOTE.match(text):
        return None  # too short, a heading, or a quotation with no one saying it
    return _Sentence(
        article_id=article.id,
        start=dated.start,
        end=dated.end,
        text=text,
        source=dated.source,
        counts=counts,
        words=Counter(w for w in words if w not in _STOP),
    )


def _partial(value: str) -> PartialDate | None:
    period = period_of(value)
    if period is None:
        return None
    first, _last, grain = period
    if not 1800 <= first.year <= 2200:
        return None
    if grain == 4:
        return PartialDate(date=first, precision="day")
    if grain == 2:
        return PartialDate(date=first, precision="month")
    if grain == 1:
        return PartialDate(date=first, precision="year")
    return None  # an ISO week is too vague for a dated entry and too precise for a month


def _inside(date: PartialDate, window: tuple[dt.date, dt.date]) -> bool:
    return window[0] <= date.date and date.last_day() <= window[1]


def _date_score(sentences: Sequence[_Sentence]) -> float:
    counted = [s for s in sentences if s.counts]
    explicit = {s.article_id for s in counted if s.explicit}
    leads = {s.article_id for s in counted if s.source == "lead"} - explicit
    mentions = sum(s.explicit for s in counted)
    return len(explicit) + _MENTION_WEIGHT * mentions + _LEAD_WEIGHT * len(leads)


class _FinerDates:
    """The days and months of a story in date order, to find those inside a period."""

    def __init__(self, dates: Iterable[PartialDate]) -> None:
        self._dates = sorted((d for d in dates if d.precision != "year"), key=_start_day)
        self._starts = [d.date for d in self._dates]

    def inside(self, date: PartialDate) -> list[PartialDate]:
        """The dates finer than ``date`` that start inside its period, in date order."""
        rank = _PRECISION_RANK[date.precision]
        low = bisect.bisect_left(self._starts, date.date)
        high = bisect.bisect_right(self._starts, date.last_day())
        return [d for d in self._dates[low:high] if _PRECISION_RANK[d.precision] < rank]


def _start_day(date: PartialDate) -> dt.date:
    return date.date


def _covered(
    date: PartialDate,
    scores: Mapping[PartialDate, float],
    sources: Mapping[PartialDate, frozenset[str]],
    finer_dates: _FinerDates,
) -> bool:
    """A month or year that finer, at least as well supported dates inside it stand for.

    Finer dates stand for it when one of them scores at least as well and one of them
    comes from an article that dates something to it (else it is another happening known
    less precisely: an article of 2021 beside a day of 2021 in another article).
    """
    if date.precision == "day":
        return False
    finer = finer_dates.inside(date)
    if not any(scores[other] >= scores[date] for other in finer):
        return False
    return any(sources[date] & sources[other] for other in finer)


def _story_start(members: Sequence[Article]) -> dt.date | None:
    days = [a.published.date for a in members if a.published and a.published.precision == "day"]
    if days:
        return min(days)
    coarse = [a.published.date for a in members if a.published]
    return min(coarse, default=None)


def _background(date: PartialDate, start: dt.date | None, settings: TimelineSettings) -> bool:
    # a difference of days, not date arithmetic: no overflow near 0001 or 9999
    return start is not None and (start - date.last_day()).days > settings.background_days


def _entry(
    date: PartialDate,
    sentences: list[_Sentence],
    settings: TimelineSettings,
    *,
    background: bool,
    order: Mapping[str, tuple[dt.date, str]],
    story: Counter[str],
    used: set[tuple[str, int]],
) -> TimelineEntry:
    centroid: Counter[str] = Counter()
    for s in sentences:
        centroid.update(set(s.words))
    norms = (_norm(centroid), _norm(story))  # once per date, not once per sentence
    ranked = sorted(
        sentences,
        key=lambda s: (
            (s.article_id, s.start) in used,
            s.source == "context",  # a sentence that states the date comes first
            -_informative(s, centroid, story, norms),
            order[s.article_id],
            s.start,
        ),
    )
    picked: list[_Sentence] = []
    for s in ranked:
        if len(picked) == settings.sentences_per_date:
            break
        if all(_overlap(s, p) < _NEAR_COPY for p in picked):
            picked.append(s)
    used.update((s.article_id, s.start) for s in picked)
    evidence = [Span(article_id=s.article_id, start=s.start, end=s.end) for s in picked]
    carriers = {s.article_id for s in picked}
    for s in sorted(sentences, key=lambda s: (order[s.article_id], s.start)):
        if s.article_id not in carriers and any(_overlap(s, p) >= _CARRIER for p in picked):
            carriers.add(s.article_id)
            evidence.append(Span(article_id=s.article_id, start=s.start, end=s.end))
    return TimelineEntry(
        date=date,
        text=" ".join(s.text for s in picked),
        article_ids=tuple(sorted(carriers, key=order.__getitem__)),
        evidence=tuple(evidence),
        background=background,
    )


def _informative(
    sentence: _Sentence,
    centroid: Counter[str],
    story: Counter[str],
    norms: tuple[float, float],
) -> float:
    words = sentence.words
    if not words:
        return 0.0
    score = _cosine(words, centroid, norms[0]) + _STORY_WEIGHT * _cosine(words, story, norms[1])
    length = sum(words.values())
    if not _GOOD_WORDS <= length + 3 <= _MAX_WORDS:
        score *= 0.6
    if sentence.text.endswith("?") or sentence.text.count("\u201c") + sentence.text.count('"') > 1:
        score *= 0.8  # questions and quotations state less than reporting sentences
    return score + (_EXPLICIT_BONUS if sentence.explicit else 0.0)


def _norm(centroid: Counter[str]) -> float:
    return math.sqrt(sum(n * n for n in centroid.values()))


def _cosine(words: Counter[str], centroid: Counter[str], centroid_norm: float) -> float:
    """Cosine of ``words`` (as a set) and ``centroid``, whose norm is ``centroid_norm``."""
    dot = sum(centroid[w] for w in words)
    norm = centroid_norm * math.sqrt(len(words))
    return dot / norm if norm else 0.0


def _overlap(a: _Sentence, b: _Sentence) -> float:
    sa, sb = set(a.words), set(b.words)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0
