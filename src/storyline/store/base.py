"""The store interface: what every backend (SQLite, in-memory, …) provides.

A store keeps articles, skipped inputs and stories between runs, and what an ingest needs
to update stories incrementally (per-article annotations and the clusterer's state, see
:mod:`storyline.pipeline`). Writes happen inside
:meth:`Store.transaction`, so a crash leaves either everything of a batch or nothing of
it. Reads return the model objects of :mod:`storyline.model`; what a page or API needs
beyond them (story listings, search hits, entity look-ups) is described by the small
frozen dataclasses below.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from storyline._cluster_state import ClusterState
from storyline.cluster import story_order
from storyline.model import Annotations, Article, Result, Skipped, Story

__all__ = [
    "MERGED_INTO",
    "AddReport",
    "Page",
    "SearchHit",
    "Store",
    "StoryQuery",
    "fts_query",
    "live_story_id",
    "story_dates",
    "story_order",
]

HitKind = Literal["article", "quote", "summary"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddReport:
    """What :meth:`Store.add` did: articles new to the store, and how many were known."""

    new_articles: tuple[Article, ...]
    already_stored: int
    new_skipped: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryQuery:
    """Which stories to list: newest first, optionally filtered, one page at a time.

    ``since``/``until`` keep stories whose articles' publication dates overlap the range;
    ``outlet`` those with an article from that outlet. ``order`` sorts by the newest
    article (``"newest"``) or the oldest (``"oldest"``, oldest story first);
    ``several_first`` lists stories of two or more articles before one-article ones.
    """

    entity: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None
    order: Literal["newest", "oldest"] = "newest"
    several_first: bool = False
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One page of stories and the total number matching the query."""

    stories: tuple[Story, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One full-text search result.

    ``snippet`` is plain text around the match; ``highlights`` are half-open
    ``(start, end)`` ranges in it that matched. ``article_id`` is set for article and quote
    hits, ``story_id`` for quote and summary hits and for an article hit whose article is
    in a story (one of them), so a page can group hits by story.
    """

    kind: HitKind
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    article_id: str | None = None
    story_id: str | None = None


@runtime_checkable
class Store(Protocol):
    """A place that keeps articles, skipped inputs and stories.

    Open one with :func:`storyline.store.open_store`. Write inside ``transaction()``.
    """

    def transaction(self) -> AbstractContextManager[None]:
        """A context in which writes are all kept (normal exit) or all dropped (error)."""
        ...

    def add(self, articles: Iterable[Article], skipped: Iterable[Skipped]) -> AddReport:
        """Add articles not stored yet (by id) and skipped inputs not recorded yet."""
        ...

    def update_articles(self, articles: Iterable[Article]) -> None:
        """Replace stored articles with these versions (same ids), e.g. after dedupe."""
        ...

    def set_stories(self, stories: Sequence[Story]) -> None:
        """Replace every stored story with ``stories`` (and forget the story state)."""
        ...

    def put_stories(self, stories: Sequence[Story], *, drop: Iterable[str] = ()) -> None:
        """Add ``stories``, replacing stored ones with the same id, and delete ``drop`` ids.

        Stories not named stay as they are.
        """
        ...

    def put_pages(self, pages: Mapping[str, bytes]) -> None:
        """Keep each story's page payload (story id → bytes), replacing a stored one.

        Call it in the transaction that stored the stories: ``set_stories`` drops every
        page, and ``put_stories`` the pages of the stories it replaces or drops, so a
        stored page is never older than its story.
        """
        ...

    def page(self, story_id: str) -> bytes | None:
        """A story's stored page payload, or None (none stored: an older store)."""
        ...

    def page_modified(self, story_id: str) -> dt.datetime | None:
        """When a story's page was stored (UTC), or None when none is."""
        ...

    def add_annotations(self, notes: Iterable[Annotations]) -> None:
        """Keep per-article annotations, replacing those stored for the same article."""
        ...

    def annotations(self, article_ids: Iterable[str]) -> dict[str, Annotations]:
        """Stored annotations by article id (ids with none stored are left out)."""
        ...

    def story_state(self) -> dict[str, Any] | None:
        """The state saved by :meth:`set_story_state` (JSON data), or None."""
        ...

    def set_story_state(self, state: Mapping[str, Any] | None) -> None:
        """Save what updating stories needs to continue (JSON-ready data), or forget it.

        Forgetting it (None) also deletes every row of :meth:`state_rows`.
        """
        ...

    def state_rows(self) -> ClusterState:
        """The corpus stages' row state (clusterer and deduper rows, by kind and key).

        Reads see committed rows and this store's own writes; write inside
        :meth:`transaction`. Rows are read and written piecemeal, so an update touches
        only the rows of what changed.
        """
        ...

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored."""
        ...

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles of ``article_ids`` (ids not stored are left out)."""
        ...

    def article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        ...

    def articles(self) -> tuple[Article, ...]:
        """Every article, in the order they were first stored."""
        ...

    def recent_articles(self, *, limit: int = 20, offset: int = 0) -> tuple[Article, ...]:
        """Articles newest first (by publication date; undated last)."""
        ...

    def article_stories(self, article_id: str) -> tuple[Story, ...]:
        """The stories an article belongs to."""
        ...

    def skipped(self) -> tuple[Skipped, ...]:
        """Every skipped input, in the order they were first recorded."""
        ...

    def story(self, story_id: str) -> Story | None:
        """One story by id, or None."""
        ...

    def stories(self, query: StoryQuery | None = None) -> Page:
        """A page of stories, newest first (the first 20 when ``query`` is None)."""
        ...

    def search(self, text: str, *, limit: int = 20, offset: int = 0) -> tuple[SearchHit, ...]:
        """Full-text search over articles, quotes and summaries, best first."""
        ...

    def entity_stories(self, name: str) -> tuple[Story, ...]:
        """Stories that name an entity (by name or alias, case-insensitive), newest first."""
        ...

    def result(self) -> Result:
        """Everything stored, as the output contract's top level."""
        ...

    def counts(self) -> dict[str, int]:
        """How many ``articles``, ``skipped`` inputs and ``stories`` are stored."""
        ...

    def outlets(self) -> tuple[str, ...]:
        """The distinct outlets of the stored articles, sorted (for filters)."""
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


MERGED_INTO = "e.alias"
"""Row kind of :meth:`Store.state_rows`: id of a story merged away → the story holding
most of its articles (written by :mod:`storyline.pipeline`)."""


def live_story_id(store: Store, story_id: str) -> str | None:
    """The live story a story id merged away into (following later merges), or None.

    Links to a merged story are redirected with it, so they do not break.
    """
    seen = {story_id}
    current = story_id
    rows = store.state_rows()
    while (row := rows.get_rows(MERGED_INTO, [current]).get(current)) is not None:
        current = json.loads(row)
        if current in seen:  # a cycle cannot be written, but never loop on one
            return None
        seen.add(current)
    return None if current == story_id else current


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: every word must occur (quoted, so no syntax).

    Returns an empty string when ``text`` holds no word.
    """
    return " ".join(f'"{word}"' for word in _WORD.findall(text))


def story_dates(story: Story, articles: dict[str, Article]) -> tuple[str, str]:
    """The oldest and newest publication dates (ISO day) of a story's articles ("" if none)."""
    days = sorted(
        a.published.date.isoformat()
        for a in (articles.get(i) for i in story.article_ids)
        if a is not None and a.published is not None
    )
    return (days[0], days[-1]) if days else ("", "")


def words(text: str) -> Iterator[str]:
    """The lower-cased words of ``text`` (what the in-memory store searches)."""
    return (w.lower() for w in _WORD.findall(text))
