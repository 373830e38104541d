"""Several server processes over one store: ``storyline serve --workers N``.

One uvicorn process runs its handlers on one core (Python's GIL, and SQLite calls made
from the event loop), so a machine with more cores serves more requests with more
processes. Each worker is a uvicorn server in its own process with its own read-only
connection to the store (``mode=ro``, ``query_only``: SQLite in WAL mode lets any number
of readers share the file, and none of them waits for an ingest writing to it).

Each worker listens on its own socket bound with ``SO_REUSEPORT`` (Linux), and the kernel
spreads new connections over them. uvicorn's ``--workers`` shares one listening socket
instead, and the first worker to wake accepts every connection waiting: the benchmark's 8
keep-alive connections all went to one worker while the other idled (measured: one
process at 99 % CPU, the other at 0 %). Sockets are made with ``IPPROTO_TCP`` so asyncio
sets ``TCP_NODELAY`` on the connections they accept; uvicorn's own ``bind_socket()``
leaves the protocol at 0, and each keep-alive response after the first then waited
~40 ms for the client's delayed ACK (uvicorn issue #3149).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path
from types import FrameType

import uvicorn

from storyline.errors import StorylineError
from storyline.store import open_store
from storyline.web.app import create_app

__all__ = ["listen", "run_workers"]

_BACKLOG = 2048  # uvicorn's default


def listen(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A TCP socket bound to ``host:port`` (not listening yet).

    Made with ``IPPROTO_TCP`` so that the connections it accepts get ``TCP_NODELAY``;
    with ``reuse_port``, other sockets of this user may bind the same port and share its
    connections.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def run_workers(
    db: Path,
    *,
    host: str,
    port: int,
    workers: int,
    announce: Callable[[int], None] | None = None,
) -> None:
    """Serve the store file ``db`` from ``workers`` processes until interrupted.

    ``announce`` is called with the port once it is bound (the real one for port 0).

    Stops every worker on SIGINT or SIGTERM, or when one of them stops; a worker whose
    parent is gone (killed) stops by itself.

    Raises:
        StorylineError: not on Linux (no load-spreading ``SO_REUSEPORT``), the port is in
            use or cannot be bound, or a worker stopped by itself (its error is on
            standard error).
    """
    if sys.platform != "linux" or not hasattr(socket, "SO_REUSEPORT"):
        raise StorylineError(
            "--workers above 1 needs Linux's SO_REUSEPORT to spread connections",
            hint="use --workers 1 (the default)",
        )
    try:
        # a plain bind first: it fails when anything (another server) listens there, where
        # a reuse-port bind would silently share the port with it
        listen(host, port).close()
        # bound but never listening: holds the port (port 0 picks one) for the workers
        reserved = listen(host, port, reuse_port=True)
    except OSError as e:
        raise StorylineError(
            f"cannot listen on {host}:{port}: {e.strerror or e}",
            hint="is another server using the port? Pick another one with --port",
        ) from e
    port = reserved.getsockname()[1]
    if announce is not None:
        announce(port)
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(str(db), host, port), name=f"storyline-{i}")
        for i in range(workers)
    ]
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        for process in processes:
            process.start()
        ready = wait([p.sentinel for p in processes])  # until one stops
        stopped = next(p for p in processes if p.sentinel in ready)
        stopped.join()
        raise StorylineError(
            f"server process {stopped.name} stopped (exit code {stopped.exitcode})",
            hint="its error, if any, is above; the other server processes were stopped",
        )
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        started = [p for p in processes if p.pid is not None]
        for process in started:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM
        for process in started:
            process.join()
        reserved.close()


def _worker(db: str, host: str, port: int) -> None:
    sock = listen(host, port, reuse_port=True)
    store = open_store(db, create=False, read_only=True)
    try:
        config = uvicorn.Config(
            create_app(store), host=host, port=port, log_level="warning", backlog=_BACKLOG
        )
        server = uvicorn.Server(config)
        threading.Thread(target=_stop_with_parent, args=(server,), daemon=True).start()
        server.run(sockets=[sock])
    finally:
        store.close()
        sock.close()


def _stop_with_parent(server: uvicorn.Server) -> None:
    """Ask ``server`` to stop when the parent process ends (even by ``kill -9``)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        wait([parent.sentinel])
        server.should_exit = True


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)
