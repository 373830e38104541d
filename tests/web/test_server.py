"""``storyline serve --workers N``: several processes serving one store."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

from storyline.model import Article, Story
from storyline.store import Store
from storyline.web.server import listen


def test_the_listening_socket_is_tcp_so_connections_get_nodelay() -> None:
    # uvicorn's own bind_socket() leaves proto at 0 and asyncio then skips TCP_NODELAY:
    # every keep-alive response after the first waited ~40 ms for a delayed ACK
    sock = listen("127.0.0.1", 0, reuse_port=True)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
    finally:
        sock.close()


def test_two_workers_answer_keep_alive_requests_promptly(
    filled: tuple[Store, Story, Article],
) -> None:
    db = Path(getattr(filled[0], "path"))  # noqa: B009 - SQLiteStore's file
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storyline",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/stories/s-heist")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        timings = []
        for _ in range(5):  # one connection, kept alive
            started = time.perf_counter()
            if timings:
                conn.request("GET", "/api/stories/s-heist")
            response = conn.getresponse()
            assert response.status == 200
            assert response.read().startswith(b'{"id":"s-heist"')
            timings.append(time.perf_counter() - started)
        conn.close()
        assert min(timings[1:]) < 0.035  # not held back by Nagle's algorithm (~40 ms)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "2 workers" in err
