"""Summarize: one cited sentence per major event of a story, in time order.

``summarize(story, articles, settings) -> Summary`` is a story stage. It requires the
story's cleaned articles with ``dates`` (and uses ``published``, ``title`` and
``duplicate_of`` when present) and assigns ``Story.summary``. Method (extractive: every
sentence is an article's own, cited):

1. Candidates: the sentences of the story's articles, copies (``duplicate_of``) left out
   and so are boxes, recipes and captions (:mod:`storyline._asides`); 6-60 words, not
   questions, not starting lower-case or with a pronoun that would be unresolved out of
   its article ("She added…"), not bare quotes without a speaker, not cut inside a
   quotation; a leading dateline ("PORT ELLERY (Northwire) — ") is left out of the span.
2. Weights: TF-IDF over the story's sentences (stop words out, light stemming). Score:
   cosine similarity to the story's centroid, times a lead bonus (news puts the gist
   first), times support (how many other articles carry a similar sentence), halved for
   a sentence that is mostly quotation.
3. Dates (:func:`storyline.timeline.date_sentences`): each sentence gets the date of what
   it reports, its own words' date or its article's main event.
4. Events: each article's main event, and every date that two or more articles name
   (not background: more than ``timeline.background_days`` before the story began, the
   default being used). An event weighs its articles, plus one per article whose main
   event it is; a month or year another event inside it shares an article with is the
   same happening, less precisely dated.
5. Selection: heaviest event first, the best sentence stating it (one dated to it, or a
   sentence of an article whose main event it is that is most like that article's
   headline); an event whose best sentence repeats one already chosen
   (``summary.redundancy``) is the same happening and is skipped. Then the best of the
   rest while room is left. All within ``summary.max_words`` and
   ``summary.max_sentences``.
6. Order: by the date of what each sentence reports (then publication, then position);
   the sentence on the latest event is marked ``latest`` when the story has events on
   two or more dates. Each relative time expression in a chosen sentence ("yesterday",
   "on Friday") gets a :class:`~storyline.model.DateNote` with its date: the text stays
   the article's own and cited.
7. Citations: each sentence cites its own span and the spans of the sentences in other
   articles that say nearly the same, so ``article_ids`` lists every carrier.

Limits: no sentence compression or fusion; English stop words and stemming; a summary is
at most as good as the articles' own sentences; an event no candidate sentence states
is left out.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline._asides import in_aside
from storyline._sentences import dateline_end
from storyline._story_text import asides as aside_ranges
from storyline._story_text import sentence_spans
from storyline.dating import period_of
from storyline.model import (
    Article,
    DateNote,
    PartialDate,
    Span,
    Story,
    Summary,
    SummarySentence,
)
from storyline.settings import DEFAULTS, SummarySettings
from storyline.timeline import DatedText, date_sentences

__all__ = ["summarize"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_UNRESOLVED_START = re.compile(
    r"^(?:he|she|they|it|his|her|hers|their|theirs|its|this|these|those|that|we|our|us|"
    r"i|him|them|there|then|also|but|and|or|so|yet|still|however|meanwhile|instead)\b",
    re.IGNORECASE,
)
_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself said says
    say also one two new last first like year years told according mr mrs ms""".split()
)
_OPENING = re.compile(r"(?:^|(?<=[\s(:,—–-]))[\"“‘'](?=\w)")
_CLOSING = re.compile(r"(?<=[\w.,!?])[\"”’'](?=[\s.,;:!?)—–-]|$)")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|(?:^|(?<=\s))['‘][^'‘’]*[’'](?=[\s.,;:!?]|$)")
_MONTH_OR_YEAR = re.compile(
    r"\d{4}|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d", re.IGNORECASE
)
_FINAL = (".", "!", '"', "”", "’", "'", ")")
_SUPPORT_SIMILARITY = 0.5  # sentences at least this similar say "the same thing"
_CITE_SIMILARITY = 0.6  # and at least this similar are cited as carrying it
_NEAR_COPY = 0.8  # sentences on days far apart are redundant only when this similar
_LEAD_WEIGHT = 3.0
_SUPPORT_WEIGHT = 0.5
_QUOTED_FACTOR = 0.5  # a sentence mostly in quotation marks reports less
_COARSE_FACTOR = 0.8  # a sentence dated to the month of an event states it less exactly
_HEADLINE_WEIGHT = 4.0  # an article's own event: how much likeness to its headline counts
_CANDIDATE_POOL = 60
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(slots=True)
class _Sentence:
    article: Article
    position: int
    start: int
    end: int
    words: int
    dates: tuple[PartialDate, ...] = ()
    own_date: bool = False
    vector: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


@dataclass(slots=True)
class _Event:
    date: PartialDate
    named_by: set[str] = field(default_factory=set)  # articles naming it
    main_of: set[str] = field(default_factory=set)  # articles whose main event it is
    published_on: set[str] = field(default_factory=set)  # … only as their publication date
    month_of: set[str] = field(default_factory=set)  # articles naming its month only

    @property
    def weight(self) -> float:
        carriers = self.named_by | self.main_of
        return (
            len(carriers)
            + len(self.main_of - self.published_on)
            + 0.5 * len(self.published_on)
            + 0.5 * len(self.month_of - carriers)
        )

    def rank(self) -> tuple[float, int, dt.date, int]:
        return (
            -self.weight,
            -len(self.main_of),
            self.date.date,
            _PRECISION_RANK[self.date.precision],
        )


def summarize(story: Story, articles: Mapping[str, Article], settings: SummarySettings) -> Summary:
    """A cited extractive summary of ``story`` (see the module docstring for the method)."""
    members = [articles[i] for i in story.article_ids if i in articles]
    originals = [a for a in members if a.duplicate_of is None] or members
    dated = {a.id: date_sentences(a) for a in originals}
    sentences = [s for a in originals for s in _sentences(a, dated[a.id])]
    if not sentences:
        return Summary(empty_reason="the story's articles have no text")
    _weigh(sentences)
    candidates = [s for s in sentences if _is_candidate(s)]
    if not candidates:
        return Summary(
            empty_reason="no article of the story has a complete sentence that stands on its "
            "own (only captions, lists, questions or sentences that need their context)"
        )
    centroid = _centroid(sentences)
    for s in candidates:
        s.score = _cosine(s.vector, centroid) * (1 + _LEAD_WEIGHT / (1 + s.position))
    pool = sorted(candidates, key=_by_score)[:_CANDIDATE_POOL]
    index = _index(sentences)
    for s in pool:
        s.score *= 1 + _SUPPORT_WEIGHT * len(_carriers(s, sentences, index, _SUPPORT_SIMILARITY))
    events = _events(originals, dated)
    leads = _event_sentences(events, candidates, originals)
    main = {a.id: dated[a.id].main for a in originals}
    chosen = _select(leads, sorted(pool, key=_by_score), settings, main)
    stating = {id(s) for s, _ in leads}
    chosen.sort(key=lambda c: _chronological(c[0], c[1] or _fallback_date(c[0], main)))
    latest = _latest(chosen, stating)
    return Summary(
        sentences=tuple(
            _cite(s, date, n == latest, sentences, index) for n, (s, date) in enumerate(chosen)
        )
    )


# --- sentences ----------------------------------------------------------------------------


def _sentences(article: Article, dated: DatedText) -> list[_Sentence]:
    text = article.text
    asides = list(aside_ranges(text))
    by_end = {d.end: d for d in dated.sentences}
    out = []
    for n, (start, end) in enumerate(sentence_spans(text, article.language)):
        if in_aside(asides, start, end):
            continue
        begin = dateline_end(text, start, end)
        known = by_end.get(end)
        out.append(
            _Sentence(
                article=article,
                position=n,
                start=begin,
                end=end,
                words=len(text[begin:end].split()),
                dates=known.dates if known else (),
                own_date=known is not None and known.source == "own",
            )
        )
    return out


def _is_candidate(s: _Sentence) -> bool:
    text = s.text
    if not 6 <= s.words <= 60 or not text.endswith(_FINAL) or not s.vector:
        return False  # too short or long, a question, or a heading without a full stop
    first = text.lstrip("\"“‘'(")
    if not first[:1].isupper() and not first[:1].isdigit():
        return False
    if len(_OPENING.findall(text)) != len(_CLOSING.findall(text)):
        return False  # cut inside a quotation: its other half is in another sentence
    if text[0] in "\"“‘'" and not re.search(r"[\"”’']\s*,?\s*\w+ (?:\w+ )?\w+", text[1:]):
        return False  # a quote standing alone: its speaker is in another sentence
    return not _UNRESOLVED_START.match(first)


def _quoted_share(text: str) -> float:
    return sum(len(m[0]) for m in _QUOTED.finditer(text)) / max(1, len(text))


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]


@functools.lru_cache(maxsize=65_536)  # a story repeats its words: each is stemmed once
def _stem(word: str) -> str:
    word = word.replace("’", "'").removesuffix("'s")
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + replacement
    return word


def _weigh(sentences: Sequence[_Sentence]) -> None:
    """Give every sentence a unit-length TF-IDF vector (IDF over the story's sentences)."""
    counts = [Counter(_terms(s.text)) for s in sentences]
    df = Counter(term for c in counts for term in c)
    n = len(sentences)
    for s, c in zip(sentences, counts, strict=True):
        s.vector = _unit({t: (1 + math.log(k)) * math.log(1 + n / df[t]) for t, k in c.items()})


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _centroid(sentences: Sequence[_Sentence]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for s in sentences:
        total.update(s.vector)
    return _unit(dict(total))


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _index(sentences: Sequence[_Sentence]) -> dict[str, list[tuple[int, float]]]:
    """Term -> (sentence number, weight): similarities then visit only sentences that meet."""
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for n, s in enumerate(sentences):
        for term, weight in s.vector.items():
            index[term].append((n, weight))
    return index


def _carriers(
    s: _Sentence,
    sentences: Sequence[_Sentence],
    index: Mapping[str, list[tuple[int, float]]],
    threshold: float,
) -> list[_Sentence]:
    """The most similar sentence of each other article, when similar enough."""
    dot: dict[int, float] = defaultdict(float)
    for term, weight in s.vector.items():
        for n, other_weight in index.get(term, ()):
            dot[n] += weight * other_weight
    best: dict[str, tuple[float, _Sentence]] = {}
    for n, similarity in dot.items():
        other = sentences[n]
        if other.article.id == s.article.id or similarity < threshold:
            continue
        if similarity > best.get(other.article.id, (0.0, s))[0]:
            best[other.article.id] = (similarity, other)
    return [other for _, other in best.values()]


# --- events -------------------------------------------------------------------------------


def _events(originals: Sequence[Article], dated: Mapping[str, DatedText]) -> list[_Event]:
    """The story's events, heaviest first (see step 4 of the module docstring)."""
    events: dict[PartialDate, _Event] = {}
    months: dict[PartialDate, set[str]] = defaultdict(set)
    for article in originals:
        text = dated[article.id]
        if text.main is not None:
            event = events.setdefault(text.main, _Event(date=text.main))
            event.main_of.add(article.id)
            if not text.main_named:
                event.published_on.add(article.id)
        for sentence in text.sentences:
            if sentence.source == "own":
                for date in sentence.dates:
                    events.setdefault(date, _Event(date=date)).named_by.add(article.id)
                    if date.precision == "month":
                        months[date].add(article.id)
    for event in events.values():
        if event.date.precision == "day":
            event.month_of = months.get(
                PartialDate(date=event.date.date.replace(day=1), precision="month"), set()
            )
    start = _story_start(originals)
    background = DEFAULTS.timeline.background_days
    kept = [
        e
        for e in events.values()
        if (e.main_of or len(e.named_by) >= 2)
        and (e.main_of or e.date.precision != "year")
        and not (start and (start - e.date.last_day()).days > background)  # no overflow
    ]
    kept = [e for e in kept if not _same_as_finer(e, kept)]
    kept.sort(key=_Event.rank)
    return [e for n, e in enumerate(kept) if not _next_to_heavier(e, kept[:n])]


def _next_to_heavier(event: _Event, heavier: Sequence[_Event]) -> bool:
    """The same happening as a heavier event: a day from it ("Sunday night" beside
    "Monday morning"), or two days when it is only articles' publication day."""
    if event.date.precision != "day":
        return False
    only_published = not event.named_by and event.main_of <= event.published_on
    reach = 2 if only_published else 1
    return any(
        h.date.precision == "day" and abs((h.date.date - event.date.date).days) <= reach
        for h in heavier
    )


def _same_as_finer(event: _Event, events: Sequence[_Event]) -> bool:
    if event.date.precision == "day":
        return False
    first, last = event.date.date, event.date.last_day()
    mine = event.named_by | event.main_of
    return any(
        _PRECISION_RANK[o.date.precision] < _PRECISION_RANK[event.date.precision]
        and first <= o.date.date <= last
        and mine & (o.named_by | o.main_of)
        for o in events
    )


def _story_start(originals: Sequence[Article]) -> dt.date | None:
    days = [a.published.date for a in originals if a.published]
    return min(days, default=None)


def _event_sentences(
    events: Sequence[_Event], candidates: Sequence[_Sentence], originals: Sequence[Article]
) -> list[tuple[_Sentence, PartialDate]]:
    """The best candidate stating each event, heaviest event first."""
    headlines = {a.id: _unit(dict(Counter(_terms(a.title or "")))) for a in originals}
    index = _DateIndex(candidates)
    out = []
    for event in events:
        best: tuple[float, _Sentence] | None = None
        for s in index.stating(event):
            score = _event_score(s, event, headlines)
            if score > 0 and (best is None or score > best[0]):
                best = (score, s)
        if best is not None:
            sentence = best[1]
            # a sentence that says only "at the end of September" is dated so
            coarse = [d for d in sentence.dates if _contains(d, event.date)]
            out.append(
                (sentence, event.date if event.date in sentence.dates or not coarse else coarse[0])
            )
    return out


class _DateIndex:
    """Candidates by the dates they name, so an event meets only those that can state it.

    :func:`_event_score` is above zero only for a sentence dated to the event, one dated
    only to months of which one holds the event's day, or an undated sentence of an
    article whose main event it is; :meth:`stating` gives those, in candidate order (which
    breaks ties between equal scores as a scan of every candidate would).
    """

    def __init__(self, candidates: Sequence[_Sentence]) -> None:
        self._by_date: dict[PartialDate, list[int]] = defaultdict(list)
        self._by_month: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._undated: dict[str, list[int]] = defaultdict(list)
        self._candidates = candidates
        for n, s in enumerate(candidates):
            if not s.dates:
                self._undated[s.article.id].append(n)
                continue
            for date in dict.fromkeys(s.dates):
                self._by_date[date].append(n)
            if all(d.precision != "day" for d in s.dates):
                months = {(d.date.year, d.date.month) for d in s.dates if d.precision == "month"}
                for month in months:
                    self._by_month[month].append(n)

    def stating(self, event: _Event) -> list[_Sentence]:
        """The candidates that can state ``event``, in candidate order."""
        date = event.date
        found = set(self._by_date.get(date, ()))
        if date.precision == "day":
            found.update(self._by_month.get((date.date.year, date.date.month), ()))
        for article_id in event.main_of:
            found.update(self._undated.get(article_id, ()))
        return [self._candidates[n] for n in sorted(found)]


def _event_score(s: _Sentence, event: _Event, headlines: Mapping[str, dict[str, float]]) -> float:
    date = event.date
    if date in s.dates:
        score = s.score * (1.2 if s.own_date else 1.0) / len(s.dates)
    elif all(d.precision != "day" for d in s.dates) and any(_contains(d, date) for d in s.dates):
        score = s.score * _COARSE_FACTOR
    elif not s.dates and s.article.id in event.main_of:
        score = s.score * 0.5  # an undated sentence of an article whose news this is
    else:
        return 0.0
    if s.article.id in event.main_of:
        score *= 1 + _HEADLINE_WEIGHT * _cosine(s.vector, headlines[s.article.id])
    if _quoted_share(s.text) > 0.5:
        score *= _QUOTED_FACTOR  # an event is stated by a report, not by a quotation
    return score


def _contains(coarse: PartialDate, fine: PartialDate) -> bool:
    """A month holding the day (a year says too little of a day or month to state it)."""
    return (
        coarse.precision == "month"
        and fine.precision == "day"
        and coarse.date <= fine.date <= coarse.last_day()
    )


# --- selection and order ------------------------------------------------------------------


def _select(
    leads: Sequence[tuple[_Sentence, PartialDate]],
    ranked: Sequence[_Sentence],
    settings: SummarySettings,
    main: Mapping[str, PartialDate | None],
) -> list[tuple[_Sentence, PartialDate | None]]:
    chosen: list[tuple[_Sentence, PartialDate | None]] = []
    words = 0
    items: list[tuple[_Sentence, PartialDate | None]] = [
        *leads,
        *((s, s.dates[0] if s.dates else None) for s in ranked),
    ]
    for s, date in items:
        if date is not None and date.precision == "year" and s.article.id in main:
            date = main[s.article.id] or date  # "back in 2020" in a 2021 piece: placed in 2021
        if any(s is c for c, _ in chosen):
            continue
        if len(chosen) >= settings.max_sentences:
            break
        if chosen and words + s.words > settings.max_words:
            continue
        if any(_redundant(s, date, c, other, settings) for c, other in chosen):
            continue  # the same happening, or the same words, said already
        chosen.append((s, date))
        words += s.words
    return chosen


def _redundant(
    s: _Sentence,
    date: PartialDate | None,
    other: _Sentence,
    other_date: PartialDate | None,
    settings: SummarySettings,
) -> bool:
    """Too like a chosen sentence; for sentences on days far apart, only near-copies are."""
    threshold = settings.redundancy
    days_apart = (
        date is not None
        and other_date is not None
        and date.precision == other_date.precision == "day"
        and abs((date.date - other_date.date).days) > 1
    )
    if days_apart:
        threshold = max(threshold, _NEAR_COPY)
    return _cosine(s.vector, other.vector) > threshold


def _fallback_date(s: _Sentence, main: Mapping[str, PartialDate | None]) -> PartialDate | None:
    return main.get(s.article.id) or s.article.published


def _chronological(s: _Sentence, date: PartialDate | None) -> tuple[object, ...]:
    published = s.article.published
    return (
        date is None,
        date.date if date else dt.date.min,
        _PRECISION_RANK[date.precision] if date else 0,
        published is None,
        published.iso() if published else "",
        s.article.id,
        s.position,
    )


def _latest(chosen: Sequence[tuple[_Sentence, PartialDate | None]], stating: set[int]) -> int:
    """Index of the sentence stating the newest event, or -1 when nothing is newer."""
    days = [(date.date, n) for n, (s, date) in enumerate(chosen) if date and id(s) in stating]
    if len({day for day, _ in days}) < 2:
        return -1
    newest = max(day for day, _ in days)
    return min(n for day, n in days if day == newest)


def _cite(
    s: _Sentence,
    date: PartialDate | None,
    latest: bool,
    sentences: Sequence[_Sentence],
    index: Mapping[str, list[tuple[int, float]]],
) -> SummarySentence:
    carriers = sorted(
        _carriers(s, sentences, index, _CITE_SIMILARITY), key=lambda c: _chronological(c, None)
    )
    spans = [Span(article_id=c.article.id, start=c.start, end=c.end) for c in (s, *carriers)]
    return SummarySentence(
        text=s.text,
        article_ids=tuple(dict.fromkeys(span.article_id for span in spans)),
        evidence=tuple(spans),
        date=date,
        latest=latest,
        date_notes=_date_notes(s),
    )


def _date_notes(s: _Sentence) -> tuple[DateNote, ...]:
    """Dates for the relative time expressions of ``s`` ("yesterday", "on Friday")."""
    notes = []
    for expr in s.article.dates:
        span = expr.evidence[0]
        if not (s.start <= span.start and span.end <= s.end) or expr.type not in ("DATE", "TIME"):
            continue
        if _MONTH_OR_YEAR.search(expr.text) and "ago" not in expr.text.lower():
            continue  # "March 3", "in 2024": the words give the date already
        period = period_of(expr.value)
        if period is None or period[2] == 3:
            continue  # not a day, month or year (a week, a duration, "now")
        first, _, grain = period
        precision = {4: "day", 2: "month", 1: "year"}[grain]
        date = PartialDate(date=first, precision=precision)  # type: ignore[arg-type]
        notes.append(DateNote(text=expr.text, date=date, evidence=(span,)))
    return tuple(notes)


def _by_score(s: _Sentence) -> float:
    return -s.score
