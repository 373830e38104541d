"""The Runner interface, and the ordered, windowed map that every runner's pool shares.

A pool (:class:`Pool`) runs whole chunks of items somewhere else (worker processes, Dask
workers); :func:`ordered_map` keeps a bounded window of chunks in flight, yields results
in input order and decides what a failure means:

1. ``fn`` raised for one item: the worker caught it (:func:`run_chunk`), the chunk's other
   items are unaffected, and ``on_error(item, error)`` gives that item's result.
2. A chunk did not come back at all (its worker died, was OOM-killed or lost; the result
   could not be sent back): every chunk in flight is collected first, then each lost
   chunk runs again alone (once, if the pool asks for it), and if it is lost again its
   items run alone one at a time, so the item that kills a worker is found exactly and
   only it goes to ``on_error``. Nothing else is in flight meanwhile, so a death is
   always the running item's own; no item is lost or yielded twice.

With ``on_error`` None, a failure propagates as a :class:`~storyline.errors.StorylineError`:
the one ``fn`` raised if it is one, else an :class:`~storyline.errors.EngineError`.
"""

from __future__ import annotations

import itertools
import pickle
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, Self, TypeVar

from storyline.errors import EngineError, StorylineError

__all__ = ["ChunkLost", "Pool", "Runner", "ordered_map", "run_chunk", "run_in_process"]

T = TypeVar("T")
R = TypeVar("R")
H = TypeVar("H")

OnError = Callable[[T, BaseException], R]


class Runner(Protocol):
    """Maps a pure, picklable function over items, yielding results in input order."""

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        chunk_size: int | None = None,
        on_error: OnError[T, R] | None = None,
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order, consuming ``items`` lazily.

        ``chunk_size`` is how many items go to a worker at a time (None: the runner's
        own); callers whose items are already batches pass 1. When ``fn`` raises, or the
        worker running it dies or is lost after the engine's retries, ``on_error(item,
        error)`` (called in the calling process) gives that item's result instead; with
        ``on_error`` None the error propagates as a :class:`StorylineError`.
        """
        ...

    def close(self) -> None:
        """Stop the runner's workers (if it started any); the runner is not used again."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


@dataclass(frozen=True, slots=True)
class Failed:
    """An item for which ``fn`` raised: the error, and its traceback as text (from a worker)."""

    error: BaseException
    trace: str = ""


class ChunkLost(Exception):
    """A chunk did not come back from the pool; ``reason`` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Pool(Protocol, Generic[H]):
    """Where chunks run: submit returns a handle, collect its per-item outcomes."""

    #: rerun a lost chunk whole, alone, once, before running its items one by one
    retry_chunk: bool

    def submit(self, fn: Callable[[Any], Any], chunk: list[Any]) -> H: ...

    def collect(self, handle: H) -> list[Any]:
        """The chunk's outcomes (a result or a :class:`Failed` per item).

        Raises:
            ChunkLost: the chunk as a whole did not come back.
            EngineError: the engine itself is gone (nothing can run any more).
        """
        ...

    def cancel(self, handle: H) -> None: ...

    def recover(self) -> None:
        """Make the pool usable again after a chunk was lost (restart broken workers)."""
        ...


def run_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R | Failed]:
    """``fn`` over a chunk, in a worker; an item that raises becomes a :class:`Failed`."""
    outcomes: list[R | Failed] = []
    for item in chunk:
        try:
            outcomes.append(fn(item))
        except Exception as error:  # any error of fn belongs to its item, not the chunk
            outcomes.append(_failed(error))
    return outcomes


def _failed(error: Exception) -> Failed:
    trace = "".join(traceback.format_exception(error))
    try:
        pickle.dumps(error)
    except Exception:  # an error that cannot cross a process boundary: keep its text
        error = EngineError(f"{type(error).__name__}: {error}")
    return Failed(error, trace)


def run_in_process(
    fn: Callable[[T], R], chunks: Iterable[list[T]], on_error: OnError[T, R] | None
) -> Iterator[R]:
    """The chunks in the calling process, with the same error handling as a pool."""
    for chunk in chunks:
        yield from _resolve(fn, chunk, run_chunk(fn, chunk), on_error)


def ordered_map(
    pool: Pool[H],
    fn: Callable[[T], R],
    chunks: Iterator[list[T]],
    *,
    window: int,
    on_error: OnError[T, R] | None,
) -> Iterator[R]:
    """Run ``chunks`` on ``pool`` with at most ``window`` in flight; results in order."""
    pending: deque[tuple[list[T], H]] = deque()

    def fill() -> None:
        while len(pending) < window and (chunk := next(chunks, None)) is not None:
            pending.append((chunk, pool.submit(fn, chunk)))

    try:
        fill()
        while pending:
            chunk, handle = pending.popleft()
            try:
                outcomes = pool.collect(handle)
            except ChunkLost as lost:
                # Everything in flight is suspect: collect it, then rerun what was lost alone.
                held: list[tuple[list[T], list[Any] | ChunkLost]] = [(chunk, lost)]
                while pending:
                    other, other_handle = pending.popleft()
                    held.append((other, _try_collect(pool, other_handle)))
                for lost_chunk, got in held:
                    if isinstance(got, ChunkLost):
                        got = _alone(pool, fn, lost_chunk)
                    yield from _resolve(fn, lost_chunk, got, on_error)
                fill()
                continue
            fill()
            yield from _resolve(fn, chunk, outcomes, on_error)
    finally:
        for _, handle in pending:
            pool.cancel(handle)


def _try_collect(pool: Pool[H], handle: H) -> list[Any] | ChunkLost:
    try:
        return pool.collect(handle)
    except ChunkLost as lost:
        return lost


def _alone(pool: Pool[H], fn: Callable[[T], R], chunk: list[T]) -> list[Any]:
    """A lost chunk again with nothing else in flight: whole once, then item by item."""
    pool.recover()
    if pool.retry_chunk and len(chunk) > 1:
        try:
            return pool.collect(pool.submit(fn, chunk))
        except ChunkLost:
            pool.recover()
    outcomes: list[Any] = []
    for item in chunk:
        try:
            outcomes.extend(pool.collect(pool.submit(fn, [item])))
        except ChunkLost as lost:
            outcomes.append(Failed(_lost_error(fn, item, lost.reason)))
            pool.recover()
    return outcomes


def _resolve(
    fn: Callable[[T], R], chunk: list[T], outcomes: list[Any], on_error: OnError[T, R] | None
) -> Iterator[R]:
    for item, outcome in zip(chunk, outcomes, strict=True):
        if not isinstance(outcome, Failed):
            yield outcome
        elif on_error is not None:
            yield on_error(item, outcome.error)
        else:
            raise _as_storyline_error(fn, item, outcome)


def _as_storyline_error(fn: Callable[[T], R], item: T, failed: Failed) -> StorylineError:
    error = failed.error
    cause = _RemoteTraceback(failed.trace) if failed.trace else error
    if isinstance(error, StorylineError):
        if error is not cause:
            error.__cause__ = cause
        return error
    wrapped = EngineError(
        f"{fn_name(fn)} failed on {describe(item)}: {type(error).__name__}: {error}",
        hint="this is a bug in storyline: please report it with that input "
        "(the traceback above shows where it failed)",
    )
    wrapped.__cause__ = cause
    return wrapped


def _lost_error(fn: Callable[[T], R], item: T, reason: str) -> EngineError:
    return EngineError(
        f"{describe(item)} could not be processed by {fn_name(fn)}: {reason}, also when "
        "run again alone",
        hint="if workers run out of memory, use fewer runner.workers or smaller inputs",
    )


class _RemoteTraceback(Exception):
    """The traceback of an error raised in a worker, shown as the error's cause."""

    def __init__(self, trace: str) -> None:
        super().__init__(trace)

    def __str__(self) -> str:
        return "\n\n" + str(self.args[0]).rstrip() + "\n(raised in a worker process)"


def fn_name(fn: Callable[..., Any]) -> str:
    """A readable name for a stage function (partials show the function they wrap)."""
    inner = getattr(fn, "func", fn)
    return str(getattr(inner, "__qualname__", None) or type(inner).__name__)


def describe(item: object) -> str:
    """How an item is named in messages: its ``source`` if it has one, else a short repr."""
    source = getattr(item, "source", None)
    if isinstance(source, str) and source:
        return source
    if isinstance(item, list) and item:
        first = describe(item[0])
        return f"a batch of {len(item)} starting with {first}"
    text = repr(item)
    return text if len(text) <= 80 else text[:77] + "..."


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), consumed lazily."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
