"""``storyline serve --workers N``: several processes serving one store."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.model import Article, Story
from storyline.store import Store
from storyline.web.server import listen

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="serve --workers needs Linux's SO_REUSEPORT"
)


def test_the_listening_socket_is_tcp_so_connections_get_nodelay() -> None:
    # uvicorn's own bind_socket() leaves proto at 0 and asyncio then skips TCP_NODELAY:
    # every keep-alive response after the first waited ~40 ms for a delayed ACK
    sock = listen("127.0.0.1", 0, reuse_port=True)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
    finally:
        sock.close()


@pytest.fixture
def served(
    filled: tuple[Store, Story, Article],
) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    """``storyline serve --workers 2`` on a free port, answering; and the store's file."""
    db = Path(getattr(filled[0], "path"))  # noqa: B009 - SQLiteStore's file
    port = _free_port()
    server = subprocess.Popen(_command(db, port), stderr=subprocess.PIPE, text=True)
    _wait_until_answering(port)
    yield server, port, db
    if server.poll() is None:
        server.terminate()
        server.communicate(timeout=20)


def test_two_workers_answer_keep_alive_requests(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    server, port, _ = served
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(5):  # one connection, kept alive
        conn.request("GET", "/api/stories/s-heist")
        response = conn.getresponse()
        assert response.status == 200
        assert response.read().startswith(b'{"id":"s-heist"')
    conn.close()
    assert len(_workers(server.pid)) == 2
    server.terminate()
    _, err = server.communicate(timeout=20)
    assert server.returncode == 0
    assert "2 workers" in err


def test_a_second_server_on_the_same_port_is_refused(
    served: tuple[subprocess.Popen[str], int, Path], tmp_path: Path
) -> None:
    _, port, db = served
    second = subprocess.run(
        _command(db, port),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 1
    assert "cannot listen on" in second.stderr
    assert "Traceback" not in second.stderr


def test_a_worker_that_dies_stops_the_server_with_an_error(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    server, _, _ = served
    first, *_ = _workers(server.pid)
    os.kill(first, signal.SIGKILL)
    _, err = server.communicate(timeout=30)
    assert server.returncode == 1
    assert "Error: server process storyline-" in err
    assert "Traceback" not in err


def test_workers_stop_when_the_parent_is_killed(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    server, _, _ = served
    workers = _workers(server.pid)
    server.kill()
    server.communicate(timeout=20)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, "worker processes outlived their parent"
        time.sleep(0.1)


def _command(db: Path, port: int) -> list[str]:
    return [
        sys.executable,
        *("-m", "storyline", "serve", "--db", str(db), "--port", str(port)),
        *("--workers", "2"),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_answering(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/stories/s-heist")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


def _workers(parent: int) -> list[int]:
    """The server processes started by ``parent`` (multiprocessing's spawned children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rpartition(")")[2].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return sorted(found)
