"""Stories and events: which articles belong together, and the happenings inside a story.

Method: single-pass centroid clustering in publication order (the topic detection and
tracking scheme), so a batch run and an incremental one take the same decisions.

1. **Order**: each batch of articles is taken oldest first (undated articles last, ties
   by id); near-duplicates (``duplicate_of`` set by the dedupe stage) are taken after
   the others and simply join their original's story and event.
2. **Vector**: each article becomes a unit vector of its ``max_terms`` most salient
   terms (sublinear TF times IDF over the articles seen so far; title words and names
   boosted; names come from NER annotations when given, else from capitalisation); see
   ``_cluster_text.py``.
3. **Candidates**: an inverted index maps a term to the stories (at most
   ``posting_limit``, most recently extended first) whose members have it among their
   ``query_terms`` top terms; the ``candidates`` stories sharing the most weight with the
   article are scored. No step compares all pairs, so time and memory grow about
   linearly.
4. **Story**: the article joins the candidate whose centroid (sum of member vectors) is
   most similar, if the cosine reaches ``story_threshold`` and the language is the same;
   otherwise it starts a new story. A story is never split, however long it runs (the
   seeds span eleven months).
5. **Merge**: two stories merge when their centroids' cosine reaches
   ``merge_threshold`` or the mean cosine between their articles (average link) reaches
   ``merge_link_threshold``. Pairs are checked only among candidates: the other stories the
   placed article also reached ``story_threshold`` with, and, when a story's size
   reaches a power of two, the ``candidates`` stories the term index gives for its
   centroid's top terms. The larger story absorbs the smaller and keeps the older id;
   the smaller one's events join the most similar event of the larger (same test as an
   article's) or stay events of their own.
6. **Event**: inside its story the article joins the most similar event (cosine of the
   event centroid at least ``event_threshold``, and for dated articles within
   ``event_gap_days`` of the event's dates); otherwise it starts a new event. Each
   story buckets its events by week, so only events dated near the article are scored.
7. **Groups**: articles that share an input ``group`` are one story as given (closed:
   no other article joins it, it never merges); events are still found inside it.

Every article belongs to exactly one story: an article unlike any other is a one-article
story, so nothing disappears from the output and a later article can still join it.

Limits and bad input: clustering is lexical and needs no model; two outlets describing
one event in disjoint words are not joined. Static word vectors (spaCy
``en_core_web_md``) were measured as a semantic signal and added nothing at the story
level, so they are not used (``docs/stages/clustering.md``).
Early articles are weighed with few documents' IDF. Decisions depend on arrival order,
so an incremental run equals the batch run when batches arrive in publication order. An
article with no usable words (empty text, no title) becomes a one-article story and is
logged. Undated articles cluster on text alone. Stop words are English: other languages
still cluster by their words, but never with articles of another declared language.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline._cluster_text import (
    Vector,
    centroid_cosine,
    cosine,
    document_frequency,
    dot,
    first_sentence,
    shorten,
    terms,
    weigh,
)
from storyline.model import Annotations, Article, Event, PartialDate, Story, stable_id
from storyline.settings import ClusterSettings

__all__ = ["Clusterer", "cluster", "stories_from_groups", "story_order"]

log = logging.getLogger(__name__)

STATE_VERSION = 3


def cluster(
    articles: Sequence[Article],
    settings: ClusterSettings,
    *,
    annotations: Mapping[str, Annotations] | None = None,
) -> tuple[Story, ...]:
    """Group articles into stories, and each story's articles into events.

    Requires cleaned articles with unique ids (``duplicate_of`` from the dedupe stage is
    used when set; NER ``annotations`` per article id when given). Assigns every article
    to exactly one story; each story gets a stable ``id``, a short ``title``,
    ``article_ids`` (oldest first) and ``events``.
    """
    clusterer = Clusterer(settings)
    clusterer.add(articles, annotations=annotations)
    return clusterer.stories()


def stories_from_groups(articles: Sequence[Article]) -> tuple[Story, ...]:
    """One story per input ``group``, titled after its earliest article.

    Requires cleaned articles; assigns story ``id``, ``title`` and ``article_ids``.
    Ungrouped articles belong to no story here (see :func:`cluster`).
    """
    groups: dict[str, list[Article]] = {}
    for article in articles:
        if article.group is not None:
            groups.setdefault(article.group, []).append(article)
    stories = []
    for group, members in groups.items():
        members.sort(key=_chronological)
        title = next((a.title for a in members if a.title), group)
        stories.append(
            Story(
                id=stable_id("group", group),
                title=title,
                article_ids=tuple(a.id for a in members),
            )
        )
    return tuple(stories)


@dataclass(slots=True, kw_only=True)
class _Cluster:
    """A story or an event under construction (mutable, private)."""

    id: str
    language: str | None = None
    group: str | None = None
    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    vectors: int = 0  # article vectors summed in the centroid (copies and empty ones add none)
    # members: (iso date or "", article id, title candidate)
    members: list[tuple[str, str, str]] = field(default_factory=list)
    start: str = ""
    end: str = ""
    events: list[_Cluster] = field(default_factory=list)
    into: int = -1  # the story this one was merged into (-1: none)
    # derived, not persisted: for a story, week number -> its events dated within that
    # week, and its undated events; for an event, the weeks already registered
    weeks: dict[int, set[int]] = field(default_factory=dict)
    undated: set[int] = field(default_factory=set)
    registered: tuple[int, int] = (0, -1)

    def absorb(self, vector: Vector, *, count: int = 1) -> None:
        """Add ``vector``, the sum of ``count`` article vectors, to the centroid."""
        if not vector:
            return
        for term, weight in vector.items():
            old = self.centroid.get(term, 0.0)
            self.centroid[term] = old + weight
            self.norm2 += 2.0 * old * weight + weight * weight
        self.vectors += count

    def join(self, member: tuple[str, str, str]) -> None:
        self.members.append(member)
        date = member[0]
        if date:
            self.start = min(self.start, date) if self.start else date
            self.end = max(self.end, date)

    def take(self, other: _Cluster) -> None:
        """Add ``other``'s centroid, members and dates to this cluster (not its events)."""
        self.absorb(other.centroid, count=other.vectors)
        self.members.extend(other.members)
        for date in (other.start, other.end):
            if date:
                self.start = min(self.start, date) if self.start else date
                self.end = max(self.end, date)


class Clusterer:
    """Incremental story and event clustering: :meth:`add` batches, read :meth:`stories`.

    The state is plain data: :meth:`to_state` returns a JSON-ready dict and
    :meth:`from_state` rebuilds an equal clusterer, so a store can persist it between
    runs and keep adding.
    """

    def __init__(self, settings: ClusterSettings) -> None:
        """Start empty with ``settings``."""
        self.settings = settings
        self._df: dict[str, int] = {}
        self._seen = 0
        self._stories: list[_Cluster] = []
        self._index: dict[str, dict[int, None]] = {}
        self._groups: dict[str, int] = {}
        self._where: dict[str, tuple[int, int]] = {}  # article id -> (story, event)

    def __len__(self) -> int:
        """The number of articles added."""
        return len(self._where)

    def add(
        self,
        articles: Sequence[Article],
        *,
        annotations: Mapping[str, Annotations] | None = None,
    ) -> None:
        """Place new articles into existing or new stories and events.

        An article id already added is ignored (logged). See the module docstring for
        the order in which a batch is taken.
        """
        fresh = [a for a in articles if a.id not in self._where]
        if len(fresh) < len(articles):
            log.info(
                "cluster: %d article(s) already added were ignored", len(articles) - len(fresh)
            )
        ordered = sorted(fresh, key=_chronological)
        originals = [a for a in ordered if a.duplicate_of is None]
        copies = [a for a in ordered if a.duplicate_of is not None]
        empty = 0
        for article in originals + copies:
            if article.duplicate_of in self._where and article.group is None:
                story, event = self._where[article.duplicate_of]
                self._join(article, story, event)
                continue
            found = annotations.get(article.id) if annotations is not None else None
            vectors = self._vectorize(article, found)
            empty += not vectors[0]
            self._place(article, *vectors)
        if empty:
            log.info("cluster: %d article(s) had no usable words; each is its own story", empty)

    def stories(self) -> tuple[Story, ...]:
        """The stories so far, largest first (ties: by id)."""
        out = [self._story(c) for c in self._stories if c.into < 0]
        out.sort(key=story_order)
        return tuple(out)

    def to_state(self) -> dict[str, Any]:
        """The whole state as JSON-ready data (see :meth:`from_state`)."""
        return {
            "version": STATE_VERSION,
            "seen": self._seen,
            "df": self._df,
            "stories": [_cluster_state(c) for c in self._stories],
            "index": {t: list(p) for t, p in self._index.items()},
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any], settings: ClusterSettings) -> Clusterer:
        """Rebuild a clusterer from :meth:`to_state` output.

        Raises:
            ValueError: the state was written by an incompatible version.
        """
        if state.get("version") != STATE_VERSION:
            raise ValueError(
                f"cluster state version {state.get('version')!r} is not {STATE_VERSION}; "
                "re-cluster the stored articles"
            )
        new = cls(settings)
        new._seen = int(state["seen"])
        new._df = dict(state["df"])
        new._stories = [_cluster_from_state(s) for s in state["stories"]]
        new._index = {t: dict.fromkeys(p) for t, p in state["index"].items()}
        for s, story in enumerate(new._stories):
            if story.group is not None:
                new._groups[story.group] = s
            for e, event in enumerate(story.events):
                new._register(story, e)
                for _, article_id, _ in event.members:
                    new._where[article_id] = (s, e)
        return new

    # --- internals ---------------------------------------------------------------------

    def _vectorize(
        self, article: Article, annotations: Annotations | None
    ) -> tuple[Vector, Vector]:
        """The article's story vector and event vector (names weigh more in the latter)."""
        counts, names, title = terms(article, annotations)
        vocabulary = counts.keys() | title
        document_frequency(vocabulary, self._df)
        self._seen += 1
        n = self._seen
        idf = {t: math.log((n + 1) / (self._df[t] + 1)) + 1.0 for t in vocabulary}
        s = self.settings
        story, event = (
            weigh(
                counts,
                names,
                title,
                idf,
                max_terms=s.max_terms,
                title_weight=s.title_weight,
                entity_weight=weight,
            )
            for weight in (s.story_entity_weight, s.entity_weight)
        )
        return story, event

    def _place(self, article: Article, vector: Vector, event_vector: Vector) -> None:
        if article.group is not None:
            story = self._groups.get(article.group)
            if story is None:
                story = self._new_story(article, group=article.group)
            others: list[int] = []
        else:
            story, others = self._best_story(article, vector)
            if story is None:
                story = self._new_story(article, group=None)
        self._stories[story].absorb(vector)
        if article.group is None:
            self._index_terms(story, vector)
        event = self._best_event(article, event_vector, self._stories[story])
        self._join(article, story, event)
        for other in others:
            self._maybe_merge(story, other)
        story = self._find(story)
        size = len(self._stories[story].members)
        if article.group is None and size >= 2 and size & (size - 1) == 0:
            for other in self._similar_stories(story):
                self._maybe_merge(story, other)

    def _new_story(self, article: Article, *, group: str | None) -> int:
        story_id = stable_id("group", group) if group else stable_id("story", article.id)
        self._stories.append(_Cluster(id=story_id, language=article.language, group=group))
        if group is not None:
            self._groups[group] = len(self._stories) - 1
        return len(self._stories) - 1

    def _best_story(self, article: Article, vector: Vector) -> tuple[int | None, list[int]]:
        """The most similar story above the threshold, and the others above it."""
        s = self.settings
        overlap: dict[int, float] = {}
        for term, weight in list(vector.items())[: s.query_terms]:
            # postings of stories merged away point at the survivor: count it once
            for story in {self._find(posted) for posted in self._index.get(term, ())}:
                overlap[story] = overlap.get(story, 0.0) + weight
        ranked = sorted(overlap.items(), key=_by_overlap)[: s.candidates]
        passing: list[tuple[float, int]] = []
        for story, _ in ranked:
            candidate = self._stories[story]
            if candidate.language != article.language or candidate.group is not None:
                continue
            sim = cosine(vector, candidate.centroid, candidate.norm2)
            if sim >= s.story_threshold:
                passing.append((-sim, story))
        passing.sort()
        if not passing:
            return None, []
        return passing[0][1], [story for _, story in passing[1:]]

    def _similar_stories(self, story: int) -> list[int]:
        """Candidate stories for a merge: those sharing the most of the centroid's top terms."""
        s = self.settings
        c = self._stories[story]
        top = sorted(c.centroid.items(), key=_by_overlap_term)[: s.query_terms]
        overlap: dict[int, float] = {}
        for term, weight in top:
            for other in {self._find(posted) for posted in self._index.get(term, ())}:
                if other != story:
                    overlap[other] = overlap.get(other, 0.0) + weight
        ranked = sorted(overlap.items(), key=_by_overlap)[: s.candidates]
        return [
            other
            for other, _ in ranked
            if self._stories[other].language == c.language and self._stories[other].group is None
        ]

    def _find(self, story: int) -> int:
        """The live story that ``story`` was merged into (itself if never merged)."""
        root = story
        while self._stories[root].into >= 0:
            root = self._stories[root].into
        while self._stories[story].into >= 0:  # path compression
            self._stories[story].into, story = root, self._stories[story].into
        return root

    def _maybe_merge(self, story: int, other: int) -> None:
        """Merge two candidate stories if they are similar enough.

        Similar enough: their centroids' cosine reaches ``merge_threshold``, or the mean
        cosine between their articles (average link) reaches ``merge_link_threshold``. The
        first joins a story spread over several sub-topics; the second two tight stories
        whose centroids point a little apart.

        The larger story absorbs the smaller (so an article moves O(log n) times) and
        takes the older story's id; the smaller one's events are merged into the most
        similar event of the larger, as an article would be, or kept as events.
        """
        story, other = self._find(story), self._find(other)
        if story == other:
            return
        a, b = self._stories[story], self._stories[other]
        if not self._similar(a, b):
            return
        if (len(a.members), -story) < (len(b.members), -other):
            story, other, a, b = other, story, b, a
        if other < story:  # the surviving story keeps the older story's id
            a.id, b.id = b.id, a.id
        a.take(b)
        for event in b.events:
            target = self._event_for(event, a)
            if target is None:
                event.registered = (0, -1)  # its weeks were registered in the other story
                a.events.append(event)
                target = len(a.events) - 1
            else:
                a.events[target].take(event)
            self._register(a, target)
            for _, article_id, _ in event.members:
                self._where[article_id] = (story, target)
        b.events, b.members, b.centroid, b.norm2, b.into = [], [], {}, 0.0, story
        b.weeks, b.undated = {}, set()

    def _similar(self, a: _Cluster, b: _Cluster) -> bool:
        if not a.vectors or not b.vectors:
            return False
        s = self.settings
        product = dot(a.centroid, b.centroid)
        if product / math.sqrt(a.norm2 * b.norm2) >= s.merge_threshold:
            return True
        # centroids are sums of unit vectors: dot / (n_a * n_b) is the mean pairwise cosine
        return product / (a.vectors * b.vectors) >= s.merge_link_threshold

    def _best_event(self, article: Article, vector: Vector, story: _Cluster) -> int:
        s = self.settings
        date = _iso(article)
        best, best_sim = None, s.event_threshold
        for e in self._near_events(story, date, date):
            event = story.events[e]
            if date and event.start and _gap_days(date, event.start, event.end) > s.event_gap_days:
                continue
            sim = cosine(vector, event.centroid, event.norm2)
            if sim >= best_sim:
                best, best_sim = e, sim
        if best is None:
            story.events.append(_Cluster(id=stable_id("event", story.id, article.id)))
            best = len(story.events) - 1
        story.events[best].absorb(vector)
        return best

    def _near_events(self, story: _Cluster, start: str, end: str) -> list[int]:
        """The events of ``story`` that an article or event dated ``start``-``end`` could join.

        When dated, the events dated within ``event_gap_days`` of it (found through the
        story's week buckets, so a long story costs no more than a short one) and the
        undated events, in order; when undated, every event.
        """
        if not start:
            return list(range(len(story.events)))
        first, last = _days(start)[0], _days(end)[1]
        gap = self.settings.event_gap_days
        near = set(story.undated)
        for week in range((first - gap) // 7, (last + gap) // 7 + 1):
            near.update(story.weeks.get(week, ()))
        return sorted(near)

    def _register(self, story: _Cluster, e: int) -> None:
        """Record event ``e`` under the weeks its dates span (see :meth:`_near_events`)."""
        event = story.events[e]
        if not event.start:
            story.undated.add(e)
            return
        story.undated.discard(e)
        lo, hi = _days(event.start)[0] // 7, _days(event.end)[1] // 7
        done_lo, done_hi = event.registered
        for week in range(lo, hi + 1):
            if not done_lo <= week <= done_hi:
                story.weeks.setdefault(week, set()).add(e)
        event.registered = (lo, hi)

    def _event_for(self, event: _Cluster, story: _Cluster) -> int | None:
        """The event of ``story`` that ``event`` joins when stories merge, if any."""
        s = self.settings
        best, best_sim = None, s.event_threshold
        for e in self._near_events(story, event.start, event.end):
            candidate = story.events[e]
            if (
                event.start
                and candidate.start
                and _span_gap_days(event, candidate) > s.event_gap_days
            ):
                continue
            sim = centroid_cosine(event.centroid, event.norm2, candidate.centroid, candidate.norm2)
            if sim >= best_sim:
                best, best_sim = e, sim
        return best

    def _join(self, article: Article, story: int, event: int) -> None:
        title = article.title or first_sentence(article.text) or article.id
        member = (_iso(article), article.id, shorten(title))
        self._stories[story].join(member)
        self._stories[story].events[event].join(member)
        self._register(self._stories[story], event)
        self._where[article.id] = (story, event)

    def _index_terms(self, story: int, vector: Vector) -> None:
        limit = self.settings.posting_limit
        for term in list(vector)[: self.settings.query_terms]:
            postings = self._index.setdefault(term, {})
            postings.pop(story, None)
            postings[story] = None  # most recent last
            if len(postings) > limit:
                del postings[next(iter(postings))]

    def _story(self, c: _Cluster) -> Story:
        members = sorted(c.members, key=_member_order)
        events = [
            Event(
                id=e.id,
                title=_title(e.members),
                article_ids=tuple(m[1] for m in sorted(e.members, key=_member_order)),
                start=PartialDate.from_iso(e.start) if e.start else None,
                end=PartialDate.from_iso(e.end) if e.end else None,
            )
            for e in c.events
        ]
        events.sort(key=_event_order)
        return Story(
            id=c.id,
            title=_title(c.members),
            article_ids=tuple(m[1] for m in members),
            events=tuple(events),
        )


def _title(members: list[tuple[str, str, str]]) -> str:
    return min(members, key=_member_order)[2]


def _member_order(member: tuple[str, str, str]) -> tuple[bool, str, str]:
    return (not member[0], member[0], member[1])


def _event_order(event: Event) -> tuple[bool, str, str]:
    start = event.start.date.isoformat() if event.start else ""
    return (event.start is None, start, event.id)


def story_order(story: Story) -> tuple[int, str]:
    """The order of stories in a result: largest first, then by id."""
    return (-len(story.article_ids), story.id)


def _by_overlap_term(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])


def _by_overlap(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], -item[0])


def _iso(article: Article) -> str:
    """The publication date at its precision (``2021`` when only the year is known)."""
    return article.published.iso() if article.published else ""


def _gap_days(date: str, start: str, end: str) -> int:
    """Fewest days between the period ``date`` and the span ``[start, end]``.

    Dates known only to the month or year are periods: "2021" is at least 77 days from
    2020-10-16, and 0 days from anything in 2021.
    """
    first, last = _period(date)
    if last < _period(start)[0]:
        return (_period(start)[0] - last).days
    return max(0, (first - _period(end)[1]).days)


def _span_gap_days(a: _Cluster, b: _Cluster) -> int:
    """Fewest days between the dated spans of two clusters (0 when they overlap)."""
    return max(
        0,
        (_period(a.start)[0] - _period(b.end)[1]).days,
        (_period(b.start)[0] - _period(a.end)[1]).days,
    )


@functools.lru_cache(maxsize=65536)
def _period(iso: str) -> tuple[dt.date, dt.date]:
    date = PartialDate.from_iso(iso)
    return date.date, date.last_day()


def _days(iso: str) -> tuple[int, int]:
    """The first and last day of the period ``iso`` as ordinals."""
    first, last = _period(iso)
    return first.toordinal(), last.toordinal()


def _chronological(article: Article) -> tuple[bool, str, str]:
    published = article.published.date.isoformat() if article.published else ""
    return (article.published is None, published, article.id)


def _cluster_state(c: _Cluster) -> dict[str, Any]:
    return {
        "id": c.id,
        "language": c.language,
        "group": c.group,
        "centroid": c.centroid,
        "norm2": c.norm2,
        "vectors": c.vectors,
        "members": [list(m) for m in c.members],
        "start": c.start,
        "end": c.end,
        "events": [_cluster_state(e) for e in c.events],
        "into": c.into,
    }


def _cluster_from_state(data: Mapping[str, Any]) -> _Cluster:
    return _Cluster(
        id=data["id"],
        language=data["language"],
        group=data["group"],
        centroid=dict(data["centroid"]),
        norm2=float(data["norm2"]),
        vectors=int(data["vectors"]),
        members=[(m[0], m[1], m[2]) for m in data["members"]],
        start=data["start"],
        end=data["end"],
        events=[_cluster_from_state(e) for e in data["events"]],
        into=int(data["into"]),
    )
