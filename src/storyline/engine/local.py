"""Local runners: in-process, and one pool of worker processes on this machine.

:class:`LocalRunner` keeps a bounded window of chunks in flight, so a stream of millions
of articles is consumed lazily and memory stays flat (``concurrent.futures``'s own
``Executor.map`` submits the whole input up front). Small inputs, which would spend more
time starting workers than working, run in-process.

One pool of worker processes serves every ``map`` of the runner's life: it starts on the
first map that needs it and stops at :meth:`LocalRunner.close` (or when the runner is
garbage-collected), so the language model that a stage loads through
:mod:`storyline.models` is loaded once per worker and reused by every later stage.
Workers start with ``runner.start_method``; nothing relies on ``fork`` sharing the
parent's memory. With ``forkserver`` (the default), a runner told which spaCy pipeline
the run uses (``preload_spacy``) has the server load it before it forks any worker, so
the workers share one copy of the model's pages (:mod:`storyline.engine._warm`); the
server is one per process, so this holds for the first pool that starts it. A worker
that dies (killed, out of memory) breaks the pool: the pool is restarted and the lost
chunks run again as :mod:`storyline.engine.base` describes.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

from storyline.engine.base import (
    ChunkLost,
    OnError,
    chunked,
    ordered_map,
    run_chunk,
    run_in_process,
)
from storyline.errors import ConfigError, EngineError
from storyline.settings import RunnerSettings

if TYPE_CHECKING:
    from storyline.engine.dask import DaskRunner

__all__ = ["LocalRunner", "SerialRunner", "runner_for"]

T = TypeVar("T")
R = TypeVar("R")

StartMethod = Literal["forkserver", "spawn", "fork"]

# Imported once by the forkserver, so that forked workers start with them in memory.
_PRELOAD = ["storyline.pipeline"]
# Names the spaCy pipeline storyline.engine._warm loads in the forkserver (the server
# inherits this process's environment when it starts; nothing else reads it).
WARM_ENV = "STORYLINE_WARM_SPACY"


class SerialRunner:
    """Runs everything in the calling process; for tests, debugging and tiny inputs."""

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        chunk_size: int | None = None,
        on_error: OnError[T, R] | None = None,
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order (``chunk_size`` does not matter here)."""
        return run_in_process(fn, ([item] for item in items), on_error)

    def close(self) -> None:
        """Nothing to stop."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalRunner:
    """Spreads work over ``workers`` processes, keeping at most ``2 * workers`` chunks queued.

    Args:
        workers: processes to use; 0 means one per core.
        chunk_size: items sent to a worker at a time.
        start_method: how worker processes start (``multiprocessing`` start methods).
        preload_spacy: the spaCy pipeline (``models.spacy``) the forkserver loads before
            forking workers, when this runner starts it; None loads none (workers load
            what a stage needs).
    """

    def __init__(
        self,
        *,
        workers: int = 0,
        chunk_size: int = 8,
        start_method: StartMethod = "forkserver",
        preload_spacy: str | None = None,
    ) -> None:
        if start_method not in multiprocessing.get_all_start_methods():
            raise ConfigError(
                f"runner.start_method {start_method!r} is not available on this system",
                hint="use one of " + ", ".join(multiprocessing.get_all_start_methods()),
            )
        self.workers = workers or os.cpu_count() or 1
        self.chunk_size = chunk_size
        self.start_method = start_method
        self._pool = _ProcessPool(self.workers, start_method, preload_spacy)
        self._finalizer = weakref.finalize(self, self._pool.shutdown)

    @property
    def restarts(self) -> int:
        """How many times the worker pool was restarted after a worker died."""
        return self._pool.restarts

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        chunk_size: int | None = None,
        on_error: OnError[T, R] | None = None,
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order, consuming ``items`` lazily.

        ``chunk_size`` overrides the runner's for this call (1 for items that are
        batches already, so that a few large batches still spread over the workers).
        See :class:`~storyline.engine.base.Runner` for ``on_error``.
        """
        chunks = chunked(items, chunk_size or self.chunk_size)
        window = 2 * self.workers
        head = list(itertools.islice(chunks, window))
        if self.workers == 1 or len(head) < 2:
            yield from run_in_process(fn, itertools.chain(head, chunks), on_error)
            return
        yield from ordered_map(
            self._pool, fn, itertools.chain(head, chunks), window=window, on_error=on_error
        )

    def close(self) -> None:
        """Stop the worker processes; a later map would start new ones."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ready() -> int:
    return os.getpid()


_ENVIRON = threading.Lock()  # one pool at a time sets the variable


@contextlib.contextmanager
def _environ(key: str, value: str | None) -> Iterator[None]:
    """``os.environ[key]`` set to ``value`` (unless None) inside the block: how the
    forkserver, which inherits this process's environment when it starts, learns which
    model to preload."""
    if value is None:
        yield
        return
    with _ENVIRON:
        before = os.environ.get(key)
        os.environ[key] = value
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = before


class _ProcessPool:
    """A ProcessPoolExecutor started on first use and restarted when a worker dies."""

    retry_chunk = True

    def __init__(
        self, workers: int, start_method: StartMethod, preload_spacy: str | None = None
    ) -> None:
        self.workers = workers
        self.start_method = start_method
        self.preload_spacy = preload_spacy
        self.restarts = 0
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context(self.start_method)
            warm = self.start_method == "forkserver" and self.preload_spacy is not None
            if self.start_method == "forkserver":
                context.set_forkserver_preload(
                    [*_PRELOAD, "storyline.engine._warm"] if warm else _PRELOAD
                )
            executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
            try:
                with _environ(WARM_ENV, self.preload_spacy if warm else None):
                    executor.submit(_ready).result()  # starts the forkserver if not running
            except BrokenProcessPool as e:
                executor.shutdown(wait=False, cancel_futures=True)
                raise EngineError(
                    f"worker processes could not start (start method {self.start_method})",
                    hint="a script that runs storyline must do so under "
                    "`if __name__ == '__main__':` (workers import it); else try another "
                    "runner.start_method, or runner.workers=1 to run in-process",
                ) from e
            self._executor = executor
        return self._executor

    def submit(self, fn: Callable[[Any], Any], chunk: list[Any]) -> Future[list[Any]]:
        try:
            return self._started().submit(run_chunk, fn, chunk)
        except BrokenProcessPool as e:
            # a worker died since the last result came back: this chunk is lost with the
            # others in flight, and collect() says so (the map then recovers the pool)
            lost: Future[list[Any]] = Future()
            lost.set_exception(e)
            return lost

    def collect(self, handle: Future[list[Any]]) -> list[Any]:
        try:
            return handle.result()
        except BrokenProcessPool as e:
            self._broken = True
            raise ChunkLost("its worker process died (killed, or out of memory?)") from e
        except Exception as e:  # the chunk or its results could not cross to or from a worker
            raise ChunkLost(f"it could not be sent to or from a worker ({e})") from e

    def cancel(self, handle: Future[list[Any]]) -> None:
        handle.cancel()

    def recover(self) -> None:
        if self._broken and self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
            self.restarts += 1
        self._broken = False

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def runner_for(
    settings: RunnerSettings, *, preload_spacy: str | None = None
) -> SerialRunner | LocalRunner | DaskRunner:
    """The runner the settings ask for (use it in a ``with`` block, or call ``close()``).

    ``preload_spacy`` names the spaCy pipeline the run's stages will use, for a local
    pool to load once in its forkserver (see :class:`LocalRunner`).

    Raises:
        ConfigError: the settings contradict each other.
    """
    if settings.engine == "dask":
        from storyline.engine.dask import DaskRunner

        return DaskRunner(
            address=settings.address,
            workers=settings.workers,
            chunk_size=settings.chunk_size,
            retries=settings.retries,
            connect_seconds=settings.connect_seconds,
            start_method=settings.start_method,
        )
    if settings.address:
        raise ConfigError(
            f"runner.address is {settings.address!r} but runner.engine is 'local'",
            hint="add --set runner.engine=dask to use that Dask scheduler",
        )
    if settings.workers == 1:
        return SerialRunner()
    return LocalRunner(
        workers=settings.workers,
        chunk_size=settings.chunk_size,
        start_method=settings.start_method,
        preload_spacy=preload_spacy,
    )
