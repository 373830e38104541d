"""Local runners: in-process, and a pool of worker processes on this machine.

:class:`LocalRunner` keeps a bounded window of chunks in flight, so a stream of millions
of articles is consumed lazily and memory stays flat (``concurrent.futures``'s own
``Executor.map`` submits the whole input up front). Small inputs, which would spend more
time starting workers than working, run in-process.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from storyline.settings import RunnerSettings

__all__ = ["LocalRunner", "SerialRunner", "runner_for"]

T = TypeVar("T")
R = TypeVar("R")


class SerialRunner:
    """Runs everything in the calling process; for tests, debugging and tiny inputs."""

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, chunk_size: int | None = None
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order (``chunk_size`` does not matter here)."""
        for item in items:
            yield fn(item)


def _apply_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


class LocalRunner:
    """Spreads work over ``workers`` processes, keeping at most ``2 * workers`` chunks queued.

    Args:
        workers: processes to use; 0 means one per core.
        chunk_size: items sent to a worker at a time.
    """

    def __init__(self, *, workers: int = 0, chunk_size: int = 8) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.chunk_size = chunk_size

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], *, chunk_size: int | None = None
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order, consuming ``items`` lazily.

        ``chunk_size`` overrides the runner's for this call (1 for items that are
        batches already, so that a few large batches still spread over the workers).
        """
        chunks = _chunked(items, chunk_size or self.chunk_size)
        window = 2 * self.workers
        head = list(itertools.islice(chunks, window))
        if self.workers == 1 or len(head) < 2:
            for chunk in itertools.chain(head, chunks):
                yield from _apply_chunk(fn, chunk)
            return
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            pending: deque[Future[list[R]]] = deque(
                pool.submit(_apply_chunk, fn, chunk) for chunk in head
            )
            for chunk in chunks:
                done = pending.popleft()
                pending.append(pool.submit(_apply_chunk, fn, chunk))
                yield from done.result()
            while pending:
                yield from pending.popleft().result()


def _chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def runner_for(settings: RunnerSettings) -> SerialRunner | LocalRunner:
    """The runner the settings ask for."""
    if settings.workers == 1:
        return SerialRunner()
    return LocalRunner(workers=settings.workers, chunk_size=settings.chunk_size)
