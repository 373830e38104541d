"""Keep articles and stories between runs, and search them.

Open a store with :func:`open_store` (a path or ``sqlite:///path`` gives the default
:class:`SQLiteStore`, ``memory:`` a :class:`MemoryStore`), then
:func:`storyline.pipeline.ingest` inputs into it; ``store.result()`` gives the same
output contract as :func:`storyline.run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.store.base import AddReport, Page, SearchHit, Store, StoryQuery
from storyline.store.memory import MemoryStore
from storyline.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from storyline.pipeline import IngestReport, ingest

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
]


def __getattr__(name: str) -> Any:
    """``ingest`` and ``IngestReport`` live in :mod:`storyline.pipeline` (the engine).

    Loaded on first use: the pipeline imports every stage's libraries, which reading and
    serving a store (the web workers) do not need.
    """
    if name in ("ingest", "IngestReport"):
        from storyline import pipeline

        value = getattr(pipeline, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MEMORY = ("memory:", "memory://", ":memory:")


def open_store(url_or_path: str | Path, *, create: bool = True, read_only: bool = False) -> Store:
    """Open the store named by a path or URL.

    Args:
        url_or_path: ``memory:`` for an in-memory store; ``sqlite:///path/to.db`` or a plain
            path for a SQLite file.
        create: when False, a missing SQLite file is an error instead of a new store.
        read_only: open a SQLite file for reading only (``mode=ro``, ``query_only``): it
            must exist and be of this storyline's schema; writes raise StoreError.

    Raises:
        StoreError: the store cannot be opened.
    """
    name = str(url_or_path)
    if name in _MEMORY:
        return MemoryStore()
    if name.startswith("sqlite:///"):
        name = name.removeprefix("sqlite:///")
    return SQLiteStore(name, create=create, read_only=read_only)
