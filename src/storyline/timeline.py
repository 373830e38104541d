"""Timeline: a story's dated happenings, merged across outlets, in date order.

Story stage. Requires the story's articles with ``dates`` resolved (the date stage, and
publication-date inference for articles that had none). Assigns ``Story.timeline``: one
:class:`~storyline.model.TimelineEntry` per date, carrying every article that dates something
to it, its most informative sentence(s) as ``text`` and spans as evidence.

Method (date-wise, in the manner of news-tls's DATEWISE baseline, without its trained ranker):

1. **Dated sentences.** Each article's text is split into sentences. A sentence takes the
   date of every DATE/TIME expression in it that resolves to a day, a month or a year
   (``2020-10-14``, ``2020-10``, ``2013``); the first sentences of an article that mention
   no date take its publication day (news leads report the day's news), counted as weaker.
2. **Merge.** Sentences that share a date form one candidate entry, whatever outlet they
   come from: three outlets dating one performance to the same day give one entry with three
   articles.
3. **Rank dates.** A date scores the number of articles that mention it, plus a quarter per
   mentioning sentence, plus half per article published that day whose lead has no date.
   A month or year is dropped when a finer date inside it scores at least as well (it is
   the same happening, less precisely dated). The ``max_dates`` best are kept, then ordered
   by date.
4. **Pick sentences.** Within a date, sentences are scored by similarity to the centroid of
   all the date's sentences plus half their similarity to the whole story's centroid (bags
   of content words), favouring ones that state the date and
   have 8-45 words; near-copies (syndicated text) are skipped. The ``sentences_per_date``
   best form ``text``.
5. **Background.** An entry whose whole period lies more than ``background_days`` before the
   story's first publication day is history (a wedding years earlier): kept, marked
   ``background=True``.

Limits: one entry per date, so two happenings on one day share an entry; a sentence with
two dates supports both; the centroid picks a typical sentence, not necessarily the
happening's own; week, quarter and season values are not placed on the timeline.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline._sentences import split_sentences
from storyline.dating import period_of
from storyline.model import Article, PartialDate, Span, Story, TimelineEntry
from storyline.settings import TimelineSettings

__all__ = ["build_timeline"]

_LEAD_SENTENCES = 3
_MIN_WORDS, _GOOD_WORDS, _MAX_WORDS = 5, 8, 45
_NEAR_COPY = 0.7
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}

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


@dataclass(slots=True, kw_only=True)
class _Sentence:
    article_id: str
    start: int
    end: int
    text: str
    explicit: bool
    words: Counter[str] = field(default_factory=Counter)


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
        settings: sizes (``max_dates``, ``sentences_per_date``), background threshold and
            coarsest precision kept.
        window: when given, only dates whose period lies inside it are considered.

    Returns:
        Entries ordered by date (coarser precision after finer on the same start day).
    """
    members = [articles[i] for i in story.article_ids if i in articles]
    by_date: dict[PartialDate, list[_Sentence]] = {}
    for article in members:
        for date, sentence in _dated_sentences(article, settings):
            if window is None or _inside(date, window):
                by_date.setdefault(date, []).append(sentence)
    scores = {d: _date_score(s) for d, s in by_date.items()}
    ranked = sorted(by_date, key=lambda d: (-scores[d], d.date, d.precision))
    ranked = [d for d in ranked if not _covered(d, scores)]
    chosen = sorted(
        ranked[: settings.max_dates], key=lambda d: (d.date, _PRECISION_RANK[d.precision])
    )
    start = _story_start(members)
    order = {a.id: (a.published.date if a.published else dt.date.max, a.id) for a in members}
    story_words: Counter[str] = Counter()
    for sentences in by_date.values():
        for sentence in sentences:
            story_words.update(set(sentence.words))
    used: set[tuple[str, int]] = set()  # a sentence with two dates shows under one of them
    entries = []
    for date in sorted(chosen, key=lambda d: -scores[d]):
        entry = _entry(
            date, by_date[date], settings, start=start, order=order, story=story_words, used=used
        )
        entries.append(entry)
    return tuple(sorted(entries, key=lambda e: (e.date.date, _PRECISION_RANK[e.date.precision])))


def _dated_sentences(
    article: Article, settings: TimelineSettings
) -> list[tuple[PartialDate, _Sentence]]:
    spans = split_sentences(article.text)
    keep = _PRECISION_RANK[settings.coarsest_precision]
    out: list[tuple[PartialDate, _Sentence]] = []
    dated_sentences: set[int] = set()
    pairs: set[tuple[PartialDate, int]] = set()
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
        if (date, cursor) in pairs:
            continue
        pairs.add((date, cursor))
        sentence = _sentence(article, spans[cursor], explicit=True)
        if sentence is not None:
            out.append((date, sentence))
            dated_sentences.add(cursor)
    published = article.published
    if published is not None and published.precision == "day":
        for index, span in enumerate(spans[:_LEAD_SENTENCES]):
            if index in dated_sentences:
                continue
            sentence = _sentence(article, span, explicit=False)
            if sentence is not None:
                out.append((published, sentence))
    return out


def _sentence(article: Article, span: tuple[int, int], *, explicit: bool) -> _Sentence | None:
    text = article.text[span[0] : span[1]]
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < _MIN_WORDS or text.isupper():
        return None
    return _Sentence(
        article_id=article.id,
        start=span[0],
        end=span[1],
        text=text,
        explicit=explicit,
        words=Counter(w for w in words if w not in _STOP),
    )


def _partial(value: str) -> PartialDate | None:
    period = period_of(value)
    if period is None:
        return None
    first, _last, grain = period
    if not 1800 <= first.year <= 2200:
        return None
    precision = {4: "day", 2: "month", 1: "year"}.get(grain)
    if precision == "day":
        return PartialDate(date=first, precision="day")
    if precision == "month":
        return PartialDate(date=first, precision="month")
    if precision == "year":
        return PartialDate(date=first, precision="year")
    return None  # an ISO week is too vague for a dated entry and too precise for a month


def _inside(date: PartialDate, window: tuple[dt.date, dt.date]) -> bool:
    first, last = _bounds(date)
    return window[0] <= first and last <= window[1]


def _bounds(date: PartialDate) -> tuple[dt.date, dt.date]:
    return date.date, date.last_day()


def _date_score(sentences: Sequence[_Sentence]) -> float:
    explicit = {s.article_id for s in sentences if s.explicit}
    leads = {s.article_id for s in sentences if not s.explicit} - explicit
    mentions = sum(s.explicit for s in sentences)
    return len(explicit) + 0.25 * mentions + 0.5 * len(leads)


def _covered(date: PartialDate, scores: Mapping[PartialDate, float]) -> bool:
    """A month or year that a finer, at least as well supported date inside it stands for."""
    if date.precision == "day":
        return False
    first, last = _bounds(date)
    rank = _PRECISION_RANK[date.precision]
    return any(
        _PRECISION_RANK[other.precision] < rank
        and first <= other.date <= last
        and score >= scores[date]
        for other, score in scores.items()
    )


def _story_start(members: Sequence[Article]) -> dt.date | None:
    days = [a.published.date for a in members if a.published and a.published.precision == "day"]
    if days:
        return min(days)
    coarse = [a.published.date for a in members if a.published]
    return min(coarse, default=None)


def _entry(
    date: PartialDate,
    sentences: list[_Sentence],
    settings: TimelineSettings,
    *,
    start: dt.date | None,
    order: Mapping[str, tuple[dt.date, str]],
    story: Counter[str],
    used: set[tuple[str, int]],
) -> TimelineEntry:
    centroid: Counter[str] = Counter()
    for s in sentences:
        centroid.update(set(s.words))
    ranked = sorted(
        sentences,
        key=lambda s: (
            (s.article_id, s.start) in used,
            -_informative(s, centroid, story),
            s.article_id,
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
    article_ids = sorted({s.article_id for s in sentences}, key=order.__getitem__)
    evidence = [Span(article_id=s.article_id, start=s.start, end=s.end) for s in picked]
    covered = {s.article_id for s in picked}
    for s in ranked:
        if s.article_id not in covered:
            covered.add(s.article_id)
            evidence.append(Span(article_id=s.article_id, start=s.start, end=s.end))
    background = start is not None and (
        (start - _bounds(date)[1]).days > settings.background_days  # no overflow near 0001
    )
    return TimelineEntry(
        date=date,
        text=" ".join(s.text for s in picked),
        article_ids=tuple(article_ids),
        evidence=tuple(evidence),
        background=background,
    )


def _informative(sentence: _Sentence, centroid: Counter[str], story: Counter[str]) -> float:
    words = sentence.words
    if not words:
        return 0.0
    score = _cosine(words, centroid) + 0.5 * _cosine(words, story)
    length = sum(words.values())
    if not _GOOD_WORDS <= length + 3 <= _MAX_WORDS:
        score *= 0.6
    if sentence.text.endswith("?") or sentence.text.count("\u201c") + sentence.text.count('"') > 1:
        score *= 0.8  # questions and quotations state less than reporting sentences
    return score + (0.05 if sentence.explicit else 0.0)


def _cosine(words: Counter[str], centroid: Counter[str]) -> float:
    dot = sum(centroid[w] for w in words)
    norm = math.sqrt(sum(n * n for n in centroid.values())) * math.sqrt(len(words))
    return dot / norm if norm else 0.0


def _overlap(a: _Sentence, b: _Sentence) -> float:
    sa, sb = set(a.words), set(b.words)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0
