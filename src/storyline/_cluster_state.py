"""Where the clusterer keeps its state: rows of bytes by kind and key, read piecemeal.

:class:`ClusterState` is the protocol a store implements (see
``docs/stages/clustering.md``, "State"); :class:`MemoryClusterState` keeps the rows in
dicts for batch runs. :class:`RowCache` is the clusterer's side: it reads rows on first
use, keeps what it read or wrote decoded, and writes only the rows it changed when
flushed. Rows are compact JSON (UTF-8): floats survive the round trip exactly, so a
clusterer rebuilt from stored rows takes the same decisions as the one that wrote them.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any, Protocol

__all__ = ["ClusterState", "MemoryClusterState", "RowCache", "encode"]


class ClusterState(Protocol):
    """Rows of opaque bytes by ``kind`` and ``key``, read and written piecemeal."""

    def get_rows(self, kind: str, keys: Collection[str]) -> dict[str, bytes]:
        """The rows of ``kind`` for ``keys`` that exist (missing keys are absent)."""
        ...

    def put_rows(self, kind: str, rows: Mapping[str, bytes]) -> None:
        """Insert or replace rows of ``kind``."""
        ...

    def delete_rows(self, kind: str, keys: Collection[str]) -> None:
        """Delete the rows of ``kind`` for ``keys`` (missing ones are ignored)."""
        ...

    def scan(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every row of ``kind`` (for rebuilds and full passes only)."""
        ...


class MemoryClusterState:
    """A :class:`ClusterState` in dicts: what a batch run uses."""

    def __init__(self, rows: Mapping[str, Mapping[str, bytes]] | None = None) -> None:
        """Start empty, or with a copy of ``rows`` (kind → key → bytes)."""
        self.rows: dict[str, dict[str, bytes]] = {k: dict(v) for k, v in (rows or {}).items()}

    def get_rows(self, kind: str, keys: Collection[str]) -> dict[str, bytes]:
        """The rows of ``kind`` for ``keys`` that exist."""
        table = self.rows.get(kind, {})
        return {k: table[k] for k in keys if k in table}

    def put_rows(self, kind: str, rows: Mapping[str, bytes]) -> None:
        """Insert or replace rows of ``kind``."""
        self.rows.setdefault(kind, {}).update(rows)

    def delete_rows(self, kind: str, keys: Collection[str]) -> None:
        """Delete the rows of ``kind`` for ``keys``."""
        table = self.rows.get(kind, {})
        for key in keys:
            table.pop(key, None)

    def scan(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every row of ``kind``, by key."""
        yield from sorted(self.rows.get(kind, {}).items())


class RowCache:
    """Decoded rows read from a :class:`ClusterState`, and the ones changed since a flush."""

    def __init__(self, state: ClusterState) -> None:
        """Read through to ``state``; nothing is read until asked for."""
        self.state = state
        self._rows: dict[str, dict[str, Any]] = {}
        self._missing: dict[str, set[str]] = {}
        self._dirty: dict[str, set[str]] = {}
        self._deleted: dict[str, set[str]] = {}

    def get(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        """The decoded rows of ``kind`` for ``keys`` that exist."""
        cached = self._rows.setdefault(kind, {})
        missing = self._missing.setdefault(kind, set())
        wanted = [k for k in dict.fromkeys(keys) if k not in cached and k not in missing]
        if wanted:
            found = self.state.get_rows(kind, wanted)
            for key in wanted:
                if key in found:
                    cached[key] = json.loads(found[key])
                else:
                    missing.add(key)
        return {k: cached[k] for k in keys if k in cached}

    def one(self, kind: str, key: str) -> Any:
        """The decoded row of ``kind`` for ``key``, or None."""
        return self.get(kind, (key,)).get(key)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Set a row (written at the next :meth:`flush`)."""
        self._rows.setdefault(kind, {})[key] = value
        self._missing.get(kind, set()).discard(key)
        self._deleted.get(kind, set()).discard(key)
        self._dirty.setdefault(kind, set()).add(key)

    def put_many(self, kind: str, rows: Mapping[str, Any]) -> None:
        """Set several rows of ``kind`` (written at the next :meth:`flush`)."""
        self._rows.setdefault(kind, {}).update(rows)
        if kind in self._missing:
            self._missing[kind].difference_update(rows)
        if kind in self._deleted:
            self._deleted[kind].difference_update(rows)
        self._dirty.setdefault(kind, set()).update(rows)

    def touch(self, kind: str, key: str) -> None:
        """Mark a row changed in place as dirty."""
        self._dirty.setdefault(kind, set()).add(key)

    def delete(self, kind: str, key: str) -> None:
        """Delete a row (at the next :meth:`flush`)."""
        self._rows.get(kind, {}).pop(key, None)
        self._missing.setdefault(kind, set()).add(key)
        self._dirty.get(kind, set()).discard(key)
        self._deleted.setdefault(kind, set()).add(key)

    def scan(self, kind: str) -> Iterator[tuple[str, Any]]:
        """Every row of ``kind`` as it is now (stored rows overlaid with changes)."""
        cached = self._rows.get(kind, {})
        deleted = self._deleted.get(kind, set())
        seen = set()
        for key, data in self.state.scan(kind):
            seen.add(key)
            if key in deleted:
                continue
            yield key, cached[key] if key in cached else json.loads(data)
        for key in sorted(cached.keys() - seen):
            yield key, cached[key]

    def encoded(self) -> dict[str, tuple[dict[str, bytes], set[str]]]:
        """Per kind: the changed rows encoded, and the keys deleted."""
        out = {}
        for kind in self._dirty.keys() | self._deleted.keys():
            rows = self._rows.get(kind, {})
            out[kind] = (
                {k: encode(rows[k]) for k in sorted(self._dirty.get(kind, ()))},
                set(self._deleted.get(kind, ())),
            )
        return out

    def flush(self) -> None:
        """Write the changed rows to the state and forget that they changed."""
        for kind, (rows, deleted) in sorted(self.encoded().items()):
            if rows:
                self.state.put_rows(kind, rows)
            if deleted:
                self.state.delete_rows(kind, deleted)
        self._dirty.clear()
        self._deleted.clear()


def encode(value: Any) -> bytes:
    """A row as compact JSON bytes."""
    # not orjson: its bytes keep the capacity of its output buffer (about 8 kB), and a
    # run keeps tens of thousands of these small rows (storyline._json)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
