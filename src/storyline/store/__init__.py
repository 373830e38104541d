"""Keep articles and stories between runs, and search them.

Open a store with :func:`open_store` (a path or ``sqlite:///path`` gives the default
:class:`SQLiteStore`, ``memory:`` a :class:`MemoryStore`), then :func:`ingest` inputs into
it; ``store.result()`` gives the same output contract as :func:`storyline.run`.
"""

from __future__ import annotations

import typing
from pathlib import Path

from storyline.store.base import AddReport, Page, SearchHit, Store, StoryQuery
from storyline.store.memory import MemoryStore
from storyline.store.sqlite import SQLiteStore

if typing.TYPE_CHECKING:
    from storyline.store.update import IngestReport, ingest, update_stories

__all__ = [
    "AddReport",
    "IngestReport",
    "MemoryStore",
    "Page",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoryQuery",
    "ingest",
    "open_store",
    "update_stories",
]

_MEMORY = ("memory:", "memory://", ":memory:")
# updating stories runs the pipeline and imports every stage's libraries; reading and
# serving a store (the web workers) needs none of them, so they load on first use
_LAZY = frozenset({"IngestReport", "ingest", "update_stories"})


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'storyline.store' has no attribute {name!r}")
    from storyline.store import update

    value = getattr(update, name)
    globals()[name] = value
    return value


def open_store(url_or_path: str | Path, *, create: bool = True) -> Store:
    """Open the store named by a path or URL.

    Args:
        url_or_path: ``memory:`` for an in-memory store; ``sqlite:///path/to.db`` or a plain
            path for a SQLite file.
        create: when False, a missing SQLite file is an error instead of a new store.

    Raises:
        StoreError: the store cannot be opened.
    """
    name = str(url_or_path)
    if name in _MEMORY:
        return MemoryStore()
    if name.startswith("sqlite:///"):
        name = name.removeprefix("sqlite:///")
    return SQLiteStore(name, create=create)
