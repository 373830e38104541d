"""An in-memory store for tests: plain dicts, no SQL, the same behaviour as SQLite.

Search is a simple word match (every query word must occur) scored by how often the
words occur; it stands in for FTS5 so tests of callers need no database file.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from storyline._cluster_state import ClusterState, MemoryClusterState
from storyline.errors import StoreError
from storyline.model import Annotations, Article, Result, Skipped, Story
from storyline.store.base import (
    AddReport,
    Page,
    SearchHit,
    StoryQuery,
    story_dates,
    story_order,
    words,
)

__all__ = ["MemoryStore"]

_SNIPPET_WORDS = 24


class MemoryStore:
    """A :class:`~storyline.store.base.Store` kept in dicts; gone when the object is."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0
        self._articles: dict[str, Article] = {}
        self._skipped: dict[tuple[str, str], Skipped] = {}
        self._stories: dict[str, Story] = {}
        self._dates: dict[str, tuple[str, str]] = {}
        self._notes: dict[str, Annotations] = {}
        self._state: dict[str, Any] | None = None
        self._rows = MemoryClusterState()
        self._pages: dict[str, tuple[bytes, dt.datetime]] = {}

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside are kept together or not at all; nested calls join the outer."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            saved = (dict(self._articles), dict(self._skipped), dict(self._stories))
            dates, notes, state = dict(self._dates), dict(self._notes), self._state
            rows = {kind: dict(table) for kind, table in self._rows.rows.items()}
            pages = dict(self._pages)
            self._depth = 1
            try:
                yield
            except BaseException:
                self._articles, self._skipped, self._stories = saved
                self._dates, self._notes, self._state = dates, notes, state
                self._rows.rows = rows
                self._pages = pages
                raise
            finally:
                self._depth = 0

    def add(self, articles: Iterable[Article], skipped: Iterable[Skipped]) -> AddReport:
        """Add articles not stored yet (by id) and skipped inputs not recorded yet."""
        new: list[Article] = []
        known = new_skipped = 0
        with self.transaction():
            for article in articles:
                if article.id in self._articles:
                    known += 1
                else:
                    self._articles[article.id] = article
                    new.append(article)
            for item in skipped:
                if (item.source, item.reason) not in self._skipped:
                    self._skipped[item.source, item.reason] = item
                    new_skipped += 1
        return AddReport(new_articles=tuple(new), already_stored=known, new_skipped=new_skipped)

    def update_articles(self, articles: Iterable[Article]) -> None:
        """Replace stored articles with these versions (same ids)."""
        with self.transaction():
            for article in articles:
                if article.id not in self._articles:
                    raise StoreError(f"cannot update article {article.id}: it is not stored")
                self._articles[article.id] = article

    def set_stories(self, stories: Sequence[Story]) -> None:
        """Replace every stored story with ``stories`` (and forget the story state)."""
        with self.transaction():
            self._stories = {s.id: s for s in stories}
            self._dates = {s.id: story_dates(s, self._articles) for s in stories}
            self._state = None
            self._pages = {}

    def put_stories(self, stories: Sequence[Story], *, drop: Iterable[str] = ()) -> None:
        """Add or replace ``stories`` by id and delete the ``drop`` ids; the rest stay."""
        with self.transaction():
            for story_id in drop:
                self._stories.pop(story_id, None)
                self._dates.pop(story_id, None)
            for story_id in [*drop, *(s.id for s in stories)]:
                self._pages.pop(story_id, None)
            for story in stories:
                self._stories[story.id] = story
                self._dates[story.id] = story_dates(story, self._articles)

    def put_pages(self, pages: Mapping[str, bytes]) -> None:
        """Keep each story's page payload, replacing a stored one."""
        now = dt.datetime.now(dt.UTC)
        with self.transaction():
            self._pages.update((story_id, (bytes(data), now)) for story_id, data in pages.items())

    def page(self, story_id: str) -> bytes | None:
        """A story's stored page payload, or None."""
        stored = self._pages.get(story_id)
        return None if stored is None else stored[0]

    def page_modified(self, story_id: str) -> dt.datetime | None:
        """When a story's page was stored, or None."""
        stored = self._pages.get(story_id)
        return None if stored is None else stored[1]

    def add_annotations(self, notes: Iterable[Annotations]) -> None:
        """Keep per-article annotations, replacing those stored for the same article."""
        with self.transaction():
            self._notes.update((note.article_id, note) for note in notes)

    def annotations(self, article_ids: Iterable[str]) -> dict[str, Annotations]:
        """Stored annotations by article id (ids with none stored are left out)."""
        return {i: self._notes[i] for i in article_ids if i in self._notes}

    def story_state(self) -> dict[str, Any] | None:
        """The saved story state (a copy), or None."""
        return copy.deepcopy(self._state)

    def set_story_state(self, state: Mapping[str, Any] | None) -> None:
        """Save the story state (a copy), or forget it (and every state row)."""
        with self.transaction():
            self._state = None if state is None else copy.deepcopy(dict(state))
            if state is None:
                self._rows.rows = {}

    def state_rows(self) -> ClusterState:
        """The corpus stages' row state (dicts of bytes)."""
        return self._rows

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored."""
        return {i for i in article_ids if i in self._articles}

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles of ``article_ids``."""
        return {i: self._articles[i] for i in article_ids if i in self._articles}

    def article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        return self._articles.get(article_id)

    def articles(self) -> tuple[Article, ...]:
        """Every article, in the order they were first stored."""
        return tuple(self._articles.values())

    def recent_articles(self, *, limit: int = 20, offset: int = 0) -> tuple[Article, ...]:
        """Articles newest first (by publication date; undated last)."""
        newest = list(reversed(self._articles.values()))
        newest.sort(key=lambda a: a.published.date if a.published else dt.date.min, reverse=True)
        return tuple(newest[offset : offset + limit])

    def article_stories(self, article_id: str) -> tuple[Story, ...]:
        """The stories an article belongs to."""
        return tuple(s for s in self._stories.values() if article_id in s.article_ids)

    def skipped(self) -> tuple[Skipped, ...]:
        """Every skipped input, in the order they were first recorded."""
        return tuple(self._skipped.values())

    def story(self, story_id: str) -> Story | None:
        """One story by id, or None."""
        return self._stories.get(story_id)

    def stories(self, query: StoryQuery | None = None) -> Page:
        """A page of stories, newest first (by their newest article)."""
        q = query or StoryQuery()
        chosen = [
            s
            for s in self._newest_first()
            if (q.entity is None or _names(s, q.entity))
            and (q.since is None or self._dates[s.id][1] >= q.since.isoformat())
            and (q.until is None or "" < self._dates[s.id][0] <= q.until.isoformat())
            and (q.outlet is None or self._has_outlet(s, q.outlet))
        ]
        if q.order == "oldest":
            chosen.sort(key=lambda s: self._dates[s.id][0] or "\uffff")
        if q.several_first:
            chosen.sort(key=lambda s: len(s.article_ids) < 2)
        return Page(stories=tuple(chosen[q.offset : q.offset + q.limit]), total=len(chosen))

    def entity_stories(self, name: str) -> tuple[Story, ...]:
        """Stories that name an entity (by name or alias, case-insensitive), newest first."""
        return tuple(s for s in self._newest_first() if _names(s, name))

    def search(self, text: str, *, limit: int = 20, offset: int = 0) -> tuple[SearchHit, ...]:
        """Every query word must occur; more occurrences score higher."""
        wanted = set(words(text))
        if not wanted:
            return ()
        hits: list[SearchHit] = []
        first_story: dict[str, str] = {}
        for story in self._stories.values():
            for article_id in story.article_ids:
                first_story.setdefault(article_id, story.id)
        for article in self._articles.values():
            hit = _match(wanted, article.title or "", article.text)
            if hit:
                story_id = first_story.get(article.id)
                hits.append(
                    SearchHit(kind="article", article_id=article.id, story_id=story_id, **hit)
                )
        for story in self._stories.values():
            for quote in story.quotes:
                hit = _match(wanted, story.title, quote.text)
                if hit:
                    hits.append(
                        SearchHit(
                            kind="quote", article_id=quote.first_seen, story_id=story.id, **hit
                        )
                    )
            if story.summary is not None:
                body = " ".join(s.text for s in story.summary.sentences)
                hit = _match(wanted, story.title, body)
                if hit:
                    hits.append(SearchHit(kind="summary", story_id=story.id, **hit))
        hits.sort(key=lambda h: (-h.score, h.kind, h.article_id or "", h.story_id or ""))
        return tuple(hits[offset : offset + limit])

    def result(self) -> Result:
        """Everything stored, as the output contract's top level."""
        stories = sorted(self._stories.values(), key=story_order)
        return Result(articles=self.articles(), skipped=self.skipped(), stories=tuple(stories))

    def counts(self) -> dict[str, int]:
        """How many articles, skipped inputs and stories are stored."""
        return {
            "articles": len(self._articles),
            "skipped": len(self._skipped),
            "stories": len(self._stories),
        }

    def outlets(self) -> tuple[str, ...]:
        """The distinct outlets of the stored articles, sorted."""
        return tuple(sorted({a.outlet for a in self._articles.values() if a.outlet}))

    def _has_outlet(self, story: Story, outlet: str) -> bool:
        articles = (self._articles.get(i) for i in story.article_ids)
        return any(a is not None and a.outlet == outlet for a in articles)

    def close(self) -> None:
        """Nothing to release."""

    def _newest_first(self) -> list[Story]:
        order = {sid: i for i, sid in enumerate(self._stories)}
        newest = sorted(self._stories.values(), key=lambda s: order[s.id])
        newest.sort(key=lambda s: self._dates[s.id][1], reverse=True)
        return newest


def _names(story: Story, name: str) -> bool:
    wanted = name.casefold()
    return any(n.casefold() == wanted for e in story.entities for n in (e.name, *e.aliases))


def _match(wanted: set[str], title: str, body: str) -> dict[str, Any] | None:
    tokens = body.split()
    found = [w.lower() for w in words(f"{title} {body}")]
    if not wanted <= set(found):
        return None
    first = next((i for i, t in enumerate(tokens) if set(words(t)) & wanted), 0)
    start = max(0, first - _SNIPPET_WORDS // 2)
    shown = tokens[start : start + _SNIPPET_WORDS]
    snippet: list[str] = []
    highlights: list[tuple[int, int]] = []
    length = 0
    for token in shown:
        if snippet:
            length += 1
        if set(words(token)) & wanted:
            highlights.append((length, length + len(token)))
        snippet.append(token)
        length += len(token)
    return {
        "title": title,
        "snippet": " ".join(snippet),
        "highlights": tuple(highlights),
        "score": float(sum(found.count(w) for w in wanted)),
    }
