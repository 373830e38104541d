"""The Dask runner: chunks of items as tasks on a ``dask.distributed`` cluster.

``runner.engine = "dask"`` with ``runner.address = "tcp://host:8786"`` connects to a
running scheduler (``dask scheduler``, with ``dask worker tcp://host:8786`` on each
machine, the project installed on every one); with no address the runner starts a
``LocalCluster`` of ``runner.workers`` single-threaded worker processes that lives as
long as the runner. The cluster starts on the first map that needs workers.

Each chunk is one task (``pure=False``, a key unique to the chunk), submitted with
``runner.retries`` retries; at most two chunks per worker thread are in flight, and
results come back in input order, so progress reporting and memory work as for the
local runner. A task whose worker dies more than ``runner.retries`` times ends in
``KilledWorker``; such a chunk, like any chunk that did not come back, runs again item
by item with nothing else in flight, so the one item that kills workers is found and
goes to ``on_error`` (see :mod:`storyline.engine.base`); no item is lost or doubled.

Dask is imported only here, and this module only when ``runner.engine`` is ``dask``.
The dashboard needs ``bokeh`` (not a dependency); when it is installed, a local
cluster serves it on port 8787 (:attr:`DaskRunner.dashboard_link`).
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
import os
import socket
import sys
import uuid
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Self, TypeVar

import dask
import distributed

from storyline.engine.base import (
    ChunkLost,
    OnError,
    chunked,
    fn_name,
    ordered_map,
    run_chunk,
    run_in_process,
)
from storyline.errors import EngineError

if TYPE_CHECKING:
    from storyline.engine.local import StartMethod

__all__ = ["DaskRunner"]

log = logging.getLogger(__name__)

# Importing distributed sets its loggers to INFO, which puts a line per scheduler, nanny
# and worker event among storyline's own warnings; keep them at the application's level
# unless the Dask config says otherwise (or debug logging is on: --debug shows them).
if "logging" not in dask.config.config and logging.getLogger().getEffectiveLevel() > logging.INFO:
    logging.getLogger("distributed").setLevel(logging.WARNING)

T = TypeVar("T")
R = TypeVar("R")

_START_HINT = (
    "start one with `dask scheduler` (and `dask worker tcp://HOST:8786` on each machine), "
    "or leave runner.address empty for a local cluster"
)


class DaskRunner:
    """Maps chunks of items as Dask tasks, yielding results in input order.

    Args:
        address: scheduler address (``tcp://host:8786``); empty starts a local cluster.
        workers: worker processes of the local cluster; 0 means one per core.
        chunk_size: items per task.
        retries: times a failed task is rerun (and a task's worker may die) before its
            items are retried one by one.
        connect_seconds: how long to wait for the scheduler and for its first worker.
        start_method: how the local cluster's worker processes start.
    """

    def __init__(
        self,
        *,
        address: str = "",
        workers: int = 0,
        chunk_size: int = 8,
        retries: int = 2,
        connect_seconds: float = 10.0,
        start_method: StartMethod = "forkserver",
    ) -> None:
        self.address = address
        self.workers = workers or os.cpu_count() or 1
        self.chunk_size = chunk_size
        self.retries = retries
        self.connect_seconds = connect_seconds
        self.start_method = start_method
        self._pool = _DaskPool(self)
        self._finalizer = weakref.finalize(self, self._pool.shutdown)

    @property
    def client(self) -> distributed.Client:
        """The Dask client, connecting (or starting the local cluster) on first use.

        Raises:
            EngineError: the scheduler cannot be reached, has no workers, or its workers
                cannot import storyline.
        """
        return self._pool.started()

    @property
    def dashboard_link(self) -> str:
        """The Dask dashboard's address, or "" when there is none (bokeh not installed)."""
        if self._pool.client is None or importlib.util.find_spec("bokeh") is None:
            return ""
        return str(self._pool.client.dashboard_link)

    @property
    def tasks_submitted(self) -> int:
        """How many tasks this runner has given to Dask."""
        return self._pool.submitted

    def map(
        self,
        fn: Callable[[T], R],
        items: Iterable[T],
        *,
        chunk_size: int | None = None,
        on_error: OnError[T, R] | None = None,
    ) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in order, consuming ``items`` lazily.

        Input that fills fewer than two chunks runs in-process (as with the local runner);
        see :class:`~storyline.engine.base.Runner` for ``chunk_size`` and ``on_error``.
        """
        chunks = chunked(items, chunk_size or self.chunk_size)
        head = list(itertools.islice(chunks, 2))
        if len(head) < 2:
            yield from run_in_process(fn, head, on_error)
            return
        client = self.client
        threads = sum(client.nthreads().values())
        yield from ordered_map(
            self._pool,
            fn,
            itertools.chain(head, chunks),
            window=max(2, 2 * threads),
            on_error=on_error,
        )

    def close(self) -> None:
        """Disconnect; a local cluster the runner started is shut down."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _worker_versions() -> tuple[str, str]:
    import storyline

    return storyline.__version__, ".".join(map(str, sys.version_info[:2]))


def _dashboard_address() -> str:
    """Dask's usual port 8787 when bokeh can serve the dashboard there and it is free.

    The scheduler always runs an HTTP server (health, metrics); without bokeh, or when
    another cluster holds 8787, it takes any free port instead of warning.
    """
    if importlib.util.find_spec("bokeh") is None:
        return ":0"
    with socket.socket() as probe:
        try:
            probe.bind(("", 8787))
        except OSError:
            return ":0"
    return ":8787"


class _DaskPool:
    """The connection to the cluster, as a :class:`~storyline.engine.base.Pool`."""

    retry_chunk = False  # Dask has rerun the task already (runner.retries)

    def __init__(self, runner: DaskRunner) -> None:
        self.address = runner.address
        self.workers = runner.workers
        self.retries = runner.retries
        self.connect_seconds = runner.connect_seconds
        self.start_method = runner.start_method
        self.client: distributed.Client | None = None
        self.cluster: distributed.LocalCluster | None = None
        self.token = uuid.uuid4().hex[:12]  # keys unique to this runner, and per chunk
        self.submitted = 0

    def started(self) -> distributed.Client:
        if self.client is None:
            client = self._connect() if self.address else self._local_cluster()
            try:
                self._check_workers(client)
            except BaseException:
                client.close()
                if self.cluster is not None:
                    self.cluster.close()
                    self.cluster = None
                raise
            self.client = client
        return self.client

    def _connect(self) -> distributed.Client:
        try:
            return distributed.Client(
                self.address, timeout=self.connect_seconds, set_as_default=False
            )
        except (OSError, TimeoutError, ValueError) as e:
            raise EngineError(
                f"could not reach the Dask scheduler at {self.address} within "
                f"{self.connect_seconds:g} s ({e})",
                hint=_START_HINT,
            ) from e

    def _local_cluster(self) -> distributed.Client:
        config = {
            "distributed.worker.multiprocessing-method": self.start_method,
            "distributed.scheduler.allowed-failures": self.retries,
        }
        with dask.config.set(config):
            self.cluster = distributed.LocalCluster(
                n_workers=self.workers,
                processes=True,
                threads_per_worker=1,
                dashboard_address=_dashboard_address(),
                silence_logs=logging.WARNING,
            )
        return distributed.Client(self.cluster, set_as_default=False)

    def _check_workers(self, client: distributed.Client) -> None:
        try:
            client.wait_for_workers(1, timeout=self.connect_seconds)
        except TimeoutError as e:
            raise EngineError(
                f"the Dask scheduler at {self.where()} has no workers after "
                f"{self.connect_seconds:g} s",
                hint="start some with `dask worker ADDRESS` on machines with storyline installed",
            ) from e
        here = _worker_versions()
        try:
            versions = client.run(_worker_versions)
        except Exception as e:  # a worker without storyline cannot even unpickle the call
            raise EngineError(
                f"Dask workers cannot run storyline ({type(e).__name__}: {e})",
                hint="install the same storyline version (pip install 'storyline[all]') "
                "on every worker machine",
            ) from e
        wrong = {w: v for w, v in versions.items() if tuple(v) != here}
        if wrong:
            worker, (version, python) = next(iter(wrong.items()))
            raise EngineError(
                f"Dask worker {worker} runs storyline {version} on Python {python}, this "
                f"process storyline {here[0]} on Python {here[1]}",
                hint="install the same storyline version on every worker machine",
            )
        log.info("Dask: %d workers at %s", len(versions), self.where())

    def where(self) -> str:
        """The scheduler's address, for messages."""
        if self.cluster is not None:
            return str(self.cluster.scheduler_address)
        return self.address

    def submit(self, fn: Callable[[Any], Any], chunk: list[Any]) -> distributed.Future[list[Any]]:
        self.submitted += 1
        client = self.started()
        with warnings.catch_warnings():
            # A chunk travels inside its task; its size is bounded by runner.chunk_size
            # times ingest.max_document_mb, and Dask's advice (load data on the workers)
            # does not apply to inputs only the driver can read.
            warnings.filterwarnings("ignore", message="Sending large graph")
            return client.submit(
                run_chunk,
                fn,
                chunk,
                key=f"{fn_name(fn)}-{self.token}-{self.submitted}",
                pure=False,
                retries=self.retries,
            )

    def collect(self, handle: distributed.Future[list[Any]]) -> list[Any]:
        try:
            result: list[Any] = handle.result()
        except distributed.KilledWorker as e:
            # a local cluster allows runner.retries deaths; a remote scheduler its own
            # distributed.scheduler.allowed-failures
            raise ChunkLost("its Dask worker died (killed, or out of memory?) each time") from e
        except Exception as e:
            if self.client is None or self.client.status != "running":
                raise EngineError(
                    "lost the connection to the Dask scheduler", hint=_START_HINT
                ) from e
            raise ChunkLost(f"its Dask task failed ({type(e).__name__}: {e})") from e
        finally:
            handle.release()
        return result

    def cancel(self, handle: distributed.Future[list[Any]]) -> None:
        handle.cancel()

    def recover(self) -> None:
        """Nothing to do: the scheduler replaces workers that die."""

    def shutdown(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
