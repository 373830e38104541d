"""The Runner interface."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

__all__ = ["Runner"]

T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """Maps a pure, picklable function over items, yielding results in input order."""

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, chunk_size: int | None = None
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order, consuming ``items`` lazily.

        ``chunk_size`` is how many items go to a worker at a time (None: the runner's
        own); callers whose items are already batches pass 1.
        """
        ...
