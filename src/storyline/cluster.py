"""Stories and events: which articles belong together, and the happenings inside a story.

Method: two levels, each with its own evidence (see ``docs/stages/clustering.md``).

1. **Vector**: each article becomes a unit vector of its ``max_terms`` most salient
   terms (sublinear TF times IDF over the articles seen so far; stop words of the
   article's language out; title words and names boosted; names from NER annotations
   when given); see ``_cluster_text.py`` and :mod:`storyline.text`.
2. **Events** (one happening: days, close text), single pass in publication order:
   an inverted index maps each term to the events (at most ``posting_limit``, most
   recently extended last) whose articles have it among their ``query_terms`` top terms;
   the ``candidates`` events sharing the most weight with the article are scored, and it
   joins the most similar one in its language whose centroid cosine reaches
   ``event_threshold``, that lies within ``event_gap_days`` of its date (when both are
   dated) and shares at least ``min_shared_terms`` top terms with it; otherwise it starts
   an event. The first ``links`` candidates sharing that many top terms are linked to the
   article's event: the links propose which events may be one story. No step compares all pairs.
3. **Stories** (events linked by shared names, rare terms and time, for months or
   years): :meth:`Clusterer.consolidate` regroups the events of every linked part that
   changed, by best-first average link with evidence (``_cluster_merge.py``). The
   grouping is a function of the part's events and links, so a story that no longer
   coheres splits and two that grew together merge, and it does not matter how many
   consolidations ran before.
4. **Identity**: a story's id is a hash of its earliest member's id (``group`` stories:
   of the group), so it survives every regrouping that keeps that member; an id that
   stops being live maps to the story holding most of its articles (``changes()``).
5. **Copies** (``duplicate_of`` set by the dedupe stage) join their original's event;
   articles sharing an input ``group`` are one closed story as given (events are still
   found inside it).

Every article belongs to exactly one story: an article unlike any other is a one-article
story, so nothing disappears from the output and a later article can still join it.

Where arrival order matters: events and IDF are built in arrival order (each batch is
taken oldest first, undated last, then by id), so a run in batches that arrive in
publication order equals one batch, after consolidation; an article that arrives after
newer ones may form other events (and so other stories) than it would have in order.

Limits and bad input: clustering is lexical; two outlets describing one event in
disjoint words are not joined. Pages in different languages join only on shared names
(NER is English only, so German, French or Spanish pages join other languages only where
capitalised names are guessed). An article with no usable words (empty text, no title)
becomes a one-article story and is logged. Undated articles cluster on text alone.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline._cluster_merge import agglomerate, gap_days, group_of_event, score
from storyline._cluster_state import ClusterState, MemoryClusterState, RowCache, encode
from storyline._cluster_text import (
    Vector,
    add_into,
    dot,
    features,
    first_sentence,
    shorten,
    weigh,
)
from storyline.model import Annotations, Article, Event, PartialDate, Story, stable_id
from storyline.settings import ClusterSettings

__all__ = [
    "ClusterState",
    "Clusterer",
    "MemoryClusterState",
    "StoryChanges",
    "cluster",
    "stories_from_groups",
    "story_order",
]

log = logging.getLogger(__name__)

STATE_VERSION = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChanges:
    """What changed since the last flush.

    ``touched``: live stories created or changed (members, events or title);
    ``merged``: old id → the live story holding most of its articles; ``removed``: ids
    no longer live (every key of ``merged`` is one).
    """

    touched: frozenset[str] = frozenset()
    merged: Mapping[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()


def cluster(
    articles: Sequence[Article],
    settings: ClusterSettings,
    *,
    annotations: Mapping[str, Annotations] | None = None,
) -> tuple[Story, ...]:
    """Group articles into stories, and each story's articles into events (batch run).

    Requires cleaned articles with unique ids (``duplicate_of`` from the dedupe stage is
    used when set; NER ``annotations`` per article id when given). Assigns every article
    to exactly one story; each story gets a stable ``id``, a short ``title``,
    ``article_ids`` (oldest first) and ``events``.
    """
    clusterer = Clusterer(settings)
    clusterer.add(articles, annotations=annotations or {})
    clusterer.consolidate()
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


class Clusterer:
    """Incremental story and event clustering over a :class:`ClusterState`.

    :meth:`add` places articles into events, :meth:`consolidate` regroups the events
    that changed into stories, :meth:`stories` reads them, :meth:`changes` says what
    changed and :meth:`flush` writes the changed rows. Reading stories consolidates
    pending changes first, so readers never see provisional stories.
    """

    def __init__(self, settings: ClusterSettings, *, state: ClusterState | None = None) -> None:
        """Start over ``state`` (a fresh :class:`MemoryClusterState` when None).

        Raises:
            ValueError: the state was written by an incompatible clusterer version.
        """
        self.settings = settings
        self._rows = RowCache(state if state is not None else MemoryClusterState())
        meta = self._rows.one("meta", "m")
        if meta is not None and meta.get("version") != STATE_VERSION:
            raise ValueError(
                f"cluster state version {meta.get('version')!r} is not {STATE_VERSION}; "
                "re-cluster the stored articles"
            )
        self._meta: dict[str, Any] = meta or {
            "version": STATE_VERSION,
            "seen": 0,
            "placed": 0,
            "pending": [],
        }
        self._pending: dict[str, None] = dict.fromkeys(self._meta["pending"])
        self._touched: set[str] = set()
        self._merged: dict[str, str] = {}
        self._removed: set[str] = set()

    def __len__(self) -> int:
        """The number of articles placed."""
        return int(self._meta["placed"])

    # --- placing ----------------------------------------------------------------------

    def add(
        self,
        articles: Sequence[Article],
        *,
        annotations: Mapping[str, Annotations] | None = None,
    ) -> None:
        """Place new articles into events (stories follow at :meth:`consolidate`).

        An article id already placed is ignored (logged). A batch is taken oldest first
        (undated last, ties by id); copies after originals.
        """
        notes = annotations or {}
        placed = self._rows.get("where", [a.id for a in articles])
        fresh = list({a.id: a for a in articles if a.id not in placed}.values())
        if len(fresh) < len(articles):
            log.info(
                "cluster: %d article(s) already added were ignored", len(articles) - len(fresh)
            )
        ordered = sorted(fresh, key=_chronological)
        originals = [a for a in ordered if a.duplicate_of is None]
        copies = [a for a in ordered if a.duplicate_of is not None]
        empty = 0
        for article in originals + copies:
            original = self._rows.one("where", article.duplicate_of or "")
            if original is not None and article.group is None:
                self._join(article, original, None)
                continue
            vector, story, names, language = self._vectorize(
                article, notes.get(article.id), commit=True
            )
            empty += not vector
            self._place(article, vector, story, names, language)
        if empty:
            log.info("cluster: %d article(s) had no usable words; each is its own story", empty)
        self._meta["pending"] = list(self._pending)
        self._rows.put("meta", "m", self._meta)

    def preview(
        self,
        articles: Sequence[Article],
        *,
        annotations: Mapping[str, Annotations] | None = None,
    ) -> dict[str, str | None]:
        """Article id → the story it would join now (None: a new story).

        Places nothing (pending changes are consolidated first, as for every read). Each
        article is judged alone against the current state, as if it came next: by the
        event it would join, else by the story its one-article event would be grouped
        with pairwise.
        """
        self.consolidate()
        notes = annotations or {}
        out: dict[str, str | None] = {}
        for article in articles:
            where = self._rows.one("where", article.id)
            if where is not None:
                out[article.id] = self._rows.one("event", where)["story"]
                continue
            if article.group is not None:
                out[article.id] = (
                    stable_id("group", article.group)
                    if self._rows.one("story", stable_id("group", article.group))
                    else None
                )
                continue
            vector, story, names, language = self._vectorize(
                article, notes.get(article.id), commit=False
            )
            event, candidates = self._best_event(article, vector, story, language)
            if event is not None:
                out[article.id] = self._rows.one("event", event)["story"]
                continue
            out[article.id] = self._preview_story(article, story, names, language, candidates)
        return out

    def members(self, story_id: str) -> tuple[str, ...]:
        """The article ids of a live story, oldest first (empty for an unknown id)."""
        self.consolidate()
        story = self._rows.one("story", story_id)
        if story is None:
            return ()
        events = self._rows.get("event", story["events"])
        members = [m for e in events.values() for m in e["m"]]
        return tuple(m[1] for m in sorted(members, key=_member_order))

    def story_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id → its live story id, for the ids placed."""
        self.consolidate()
        where = self._rows.get("where", list(article_ids))
        events = self._rows.get("event", set(where.values()))
        return {a: events[e]["story"] for a, e in where.items()}

    # --- stories ----------------------------------------------------------------------

    def consolidate(self) -> None:
        """Regroup into stories the events changed since the last consolidation.

        Each linked part of the event graph holding a changed event is regrouped from
        its events (``_cluster_merge.agglomerate``): merges and splits follow. Cost: the
        events of the stories touched and of the stories linked to them.
        """
        if not self._pending:
            return
        pending, self._pending = list(self._pending), {}
        done: set[str] = set()
        for start in pending:
            if start in done:
                continue
            part = self._part(start)
            done.update(part)
            self._regroup(part, set(pending))
        self._meta["pending"] = []
        self._rows.put("meta", "m", self._meta)

    def stories(self, ids: Iterable[str] | None = None) -> tuple[Story, ...]:
        """The live stories of ``ids`` (every live story when None), in :func:`story_order`."""
        self.consolidate()
        rows = dict(self._rows.scan("story")) if ids is None else self._rows.get("story", list(ids))
        out = [self._story(story_id, row) for story_id, row in rows.items()]
        out.sort(key=story_order)
        return tuple(out)

    def changes(self) -> StoryChanges:
        """What changed since the last :meth:`flush` (consolidating pending changes)."""
        self.consolidate()
        return StoryChanges(
            touched=frozenset(self._touched - self._removed),
            merged=dict(self._merged),
            removed=frozenset(self._removed),
        )

    def flush(self) -> None:
        """Write the changed rows to the state and reset :meth:`changes`."""
        self._meta["pending"] = list(self._pending)
        self._rows.put("meta", "m", self._meta)
        self._rows.flush()
        self._touched, self._merged, self._removed = set(), {}, set()

    # --- state as one JSON document (for callers that store it whole) -------------------

    def to_state(self) -> dict[str, Any]:
        """The whole state, unflushed changes included, as JSON-ready data.

        For callers that keep the state as one document; a store should give the
        clusterer a :class:`ClusterState` instead, which is read and written piecemeal.
        """
        self._meta["pending"] = list(self._pending)
        self._rows.put("meta", "m", self._meta)
        rows: dict[str, dict[str, Any]] = {}
        for kind in ("meta", "df", "post", "event", "story", "where"):
            rows[kind] = dict(self._rows.scan(kind))
        return {"version": STATE_VERSION, "rows": rows}

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
        memory = MemoryClusterState()
        for kind, rows in state["rows"].items():
            memory.put_rows(kind, {k: encode(v) for k, v in rows.items()})
        return cls(settings, state=memory)

    # --- internals: vectors and events --------------------------------------------------

    def _vectorize(
        self, article: Article, annotations: Annotations | None, *, commit: bool
    ) -> tuple[Vector, Vector, frozenset[str], str]:
        """The article's event and story vectors, its names and its language.

        The event vector weighs terms by TF-IDF; the story vector by TF times IDF to the
        power ``idf_exponent``, names times ``entity_weight``. ``commit`` counts the
        article in the document frequencies.
        """
        found = features(article, annotations)
        vocabulary = sorted(found.counts.keys() | found.title)
        df = self._rows.get("df", vocabulary)
        n = self._meta["seen"] + 1
        idf = {t: math.log((n + 1) / (df.get(t, 0) + 2)) + 1.0 for t in vocabulary}
        if commit:
            self._meta["seen"] = n
            self._rows.put_many("df", {t: df.get(t, 0) + 1 for t in vocabulary})
        s = self.settings
        event = weigh(
            found, idf, max_terms=s.max_terms, title_weight=s.title_weight, entity_weight=1.0
        )
        story = weigh(
            found,
            {t: w**s.idf_exponent for t, w in idf.items()},
            max_terms=s.max_terms,
            title_weight=s.title_weight,
            entity_weight=s.entity_weight,
        )
        return event, story, frozenset(found.names & story.keys()), found.language

    def _candidates(self, vector: Vector) -> list[tuple[str, int]]:
        """Events sharing the most weight with ``vector``'s top terms, and how many terms."""
        s = self.settings
        query = list(vector)[: s.query_terms]
        postings = self._rows.get("post", query)
        overlap: dict[str, float] = {}
        shared: dict[str, int] = {}
        for term in query:
            weight = vector[term]
            for event in postings.get(term, ()):
                overlap[event] = overlap.get(event, 0.0) + weight
                shared[event] = shared.get(event, 0) + 1
        ranked = sorted(overlap.items(), key=_by_overlap)[: s.candidates]
        return [(event, shared[event]) for event, _ in ranked]

    def _best_event(
        self, article: Article, vector: Vector, story: Vector, language: str
    ) -> tuple[str | None, list[tuple[str, int]]]:
        """The event ``article`` joins (None: a new one) and its candidate events.

        Candidates come from the story vector's top terms (they also propose story
        links); the event test uses the event vector.
        """
        if not vector:
            return None, []
        s = self.settings
        candidates = self._candidates(story)
        events = self._rows.get("event", [e for e, _ in candidates])
        date = _iso(article)
        best, best_sim = None, s.event_threshold
        for event_id, shared in candidates:
            event = events[event_id]
            if shared < s.min_shared_terms or event["lang"] != language:
                continue
            if date and event["s"] and gap_days(date, event["s"], event["e"]) > s.event_gap_days:
                continue
            sim = dot(vector, event["c"]) / math.sqrt(event["n2"]) if event["n2"] > 0 else 0.0
            if sim >= best_sim:
                best, best_sim = event_id, sim
        return best, candidates

    def _place(
        self,
        article: Article,
        vector: Vector,
        story: Vector,
        names: frozenset[str],
        language: str,
    ) -> None:
        if article.group is not None:
            event_id = self._group_event(article, vector, language)
        else:
            found, candidates = self._best_event(article, vector, story, language)
            event_id = found or self._new_event(article, language, story=None)
            self._link(event_id, candidates)
            self._index(event_id, story)
        event = self._rows.one("event", event_id)
        if vector:
            event["n2"] += add_into(event["c"], vector)
            add_into(event["cs"], story)
            event["v"] += 1
            for name in names:
                event["names"][name] = event["names"].get(name, 0) + 1
        self._join(article, event_id, event)

    def _group_event(self, article: Article, vector: Vector, language: str) -> str:
        """The event of ``article``'s closed group story it joins (or a new one)."""
        story_id = stable_id("group", article.group or "")
        story = self._rows.one("story", story_id)
        if story is None:
            story = {"group": article.group, "events": []}
            self._rows.put("story", story_id, story)
        s = self.settings
        date = _iso(article)
        best, best_sim = None, s.event_threshold
        for event_id, event in self._rows.get("event", story["events"]).items():
            if date and event["s"] and gap_days(date, event["s"], event["e"]) > s.event_gap_days:
                continue
            sim = dot(vector, event["c"]) / math.sqrt(event["n2"]) if event["n2"] > 0 else 0.0
            if vector and sim >= best_sim:
                best, best_sim = event_id, sim
        if best is None:
            best = self._new_event(article, language, story=story_id)
            story["events"].append(best)
            self._rows.touch("story", story_id)
        self._touched.add(story_id)
        return best

    def _new_event(self, article: Article, language: str, *, story: str | None) -> str:
        event_id = stable_id("event", article.id)
        self._rows.put(
            "event",
            event_id,
            {
                "lang": language,
                "group": article.group,
                "c": {},
                "n2": 0.0,
                "cs": {},
                "v": 0,
                "names": {},
                "m": [],
                "s": "",
                "e": "",
                "nb": [],
                "story": story,
            },
        )
        return event_id

    def _join(self, article: Article, event_id: str, event: dict[str, Any] | None) -> None:
        event = event if event is not None else self._rows.one("event", event_id)
        title = article.title or first_sentence(article.text, article.language) or article.id
        date = _iso(article)
        event["m"].append([date, article.id, shorten(title)])
        if date:
            event["s"] = min(event["s"], date) if event["s"] else date
            event["e"] = max(event["e"], date)
        self._rows.touch("event", event_id)
        self._rows.put("where", article.id, event_id)
        self._meta["placed"] += 1
        if event["group"] is None:
            self._pending[event_id] = None
        if event["story"] is not None:
            self._touched.add(event["story"])

    def _link(self, event_id: str, candidates: Sequence[tuple[str, int]]) -> None:
        """Link ``event_id`` with the candidates that share enough top terms."""
        s = self.settings
        linked = [e for e, shared in candidates[: s.links] if shared >= s.min_shared_terms]
        linked = [e for e in linked if e != event_id]
        if not linked:
            return
        rows = self._rows.get("event", [event_id, *linked])
        own = rows[event_id]["nb"]
        for other in linked:
            if other not in own:
                own.append(other)
                rows[other]["nb"].append(event_id)
                self._rows.touch("event", other)
        self._rows.touch("event", event_id)

    def _index(self, event_id: str, vector: Vector) -> None:
        limit = self.settings.posting_limit
        query = list(vector)[: self.settings.query_terms]
        postings = self._rows.get("post", query)
        for term in query:
            posted = postings.get(term)
            if posted is None:
                posted = []
            elif event_id in posted:
                posted.remove(event_id)
            posted.append(event_id)  # most recent last
            if len(posted) > limit:
                del posted[0]
            self._rows.put("post", term, posted)

    def _preview_story(
        self,
        article: Article,
        vector: Vector,
        names: frozenset[str],
        language: str,
        candidates: Sequence[tuple[str, int]],
    ) -> str | None:
        """The story a new one-article event would be grouped with, judged pairwise."""
        if not vector:
            return None
        s = self.settings
        alone = group_of_event(
            "",
            {
                "cs": vector,
                "v": 1,
                "names": names,
                "lang": language,
                "s": _iso(article),
                "e": _iso(article),
            },
            s,
        )
        events = self._rows.get("event", [e for e, n in candidates if n >= s.min_shared_terms])
        best, best_score = None, 0.0
        for event_id, event in events.items():
            value = score(alone, group_of_event(event_id, event, s), s)
            if value > best_score:
                best, best_score = event["story"], value
        return best

    # --- internals: stories --------------------------------------------------------------

    def _part(self, start: str) -> set[str]:
        """The events linked to ``start``, directly or not."""
        part, frontier = {start}, [start]
        while frontier:
            rows = self._rows.get("event", frontier)
            frontier = []
            for row in rows.values():
                for other in row["nb"]:
                    if other not in part:
                        part.add(other)
                        frontier.append(other)
        return part

    def _regroup(self, part: set[str], changed_events: set[str]) -> None:
        events = self._rows.get("event", part)
        groups = agglomerate(events, {e: events[e]["nb"] for e in events}, self.settings)
        ids = [
            stable_id("story", min((m for e in g for m in events[e]["m"]), key=_member_order)[1])
            for g in groups
        ]
        old: dict[str, int] = {}  # old story id -> its articles in this part
        for event in events.values():
            if event["story"] is not None:
                old[event["story"]] = old.get(event["story"], 0) + len(event["m"])
        holders: dict[str, dict[str, int]] = {}  # old story id -> new story -> articles
        for story_id, members in zip(ids, groups, strict=True):
            before = self._rows.one("story", story_id)
            changed = before is None or sorted(before["events"]) != members
            for e in members:
                event = events[e]
                if event["story"] is not None:
                    counts = holders.setdefault(event["story"], {})
                    counts[story_id] = counts.get(story_id, 0) + len(event["m"])
                if event["story"] != story_id:
                    event["story"] = story_id
                    self._rows.touch("event", e)
                    changed = True
            if changed or not changed_events.isdisjoint(members):
                self._touched.add(story_id)
            if changed:
                self._rows.put("story", story_id, {"group": None, "events": members})
        live = set(ids)
        for story_id, counts in holders.items():
            if story_id in live:
                continue
            survivor = min(counts, key=lambda s: (-counts[s], s))
            self._rows.delete("story", story_id)
            self._removed.add(story_id)
            self._touched.discard(story_id)
            self._merged[story_id] = survivor
            for old_id, target in list(self._merged.items()):
                if target == story_id:
                    self._merged[old_id] = survivor
        self._removed -= live

    def _story(self, story_id: str, row: Mapping[str, Any]) -> Story:
        events = self._rows.get("event", row["events"])
        members = [m for e in events.values() for m in e["m"]]
        members.sort(key=_member_order)
        out = [
            Event(
                id=event_id,
                title=_title(event["m"]),
                article_ids=tuple(m[1] for m in sorted(event["m"], key=_member_order)),
                start=PartialDate.from_iso(event["s"]) if event["s"] else None,
                end=PartialDate.from_iso(event["e"]) if event["e"] else None,
            )
            for event_id, event in events.items()
        ]
        out.sort(key=_event_order)
        return Story(
            id=story_id,
            title=_title(members),
            article_ids=tuple(m[1] for m in members),
            events=tuple(out),
        )


def _title(members: Sequence[Sequence[str]]) -> str:
    return min(members, key=_member_order)[2]


def _member_order(member: Sequence[str]) -> tuple[bool, str, str]:
    return (not member[0], member[0], member[1])


def _event_order(event: Event) -> tuple[bool, str, str]:
    start = event.start.date.isoformat() if event.start else ""
    return (event.start is None, start, event.id)


def story_order(story: Story) -> tuple[int, str]:
    """The order of stories in a result: largest first, then by id."""
    return (-len(story.article_ids), story.id)


def _by_overlap(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])


def _iso(article: Article) -> str:
    """The publication date at its precision (``2021`` when only the year is known)."""
    return article.published.iso() if article.published else ""


def _chronological(article: Article) -> tuple[bool, str, str]:
    published = article.published.date.isoformat() if article.published else ""
    return (article.published is None, published, article.id)
