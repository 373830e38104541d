"""REST API throughput and latency on loopback, against a synthetic 10k-article store.

    python benchmarks/api.py [--articles 10000] [--seconds 5] [--clients 8] [--db FILE]

Builds a SQLite store by resampling the demo corpus (new ids, shuffled paragraphs,
shifted dates, ten articles per story), starts ``storyline serve`` on 127.0.0.1 in a
subprocess (one uvicorn worker), then drives ``/api/stories/{id}`` and ``/api/search``
from client threads with keep-alive connections for a bounded time each. Prints
requests/s, p50 and p99 latency, and the load average (the machine is shared).
Target: >= 500 req/s and p99 < 50 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from storyline.model import PartialDate, stable_id
from storyline.pipeline import process
from storyline.settings import load_settings
from storyline.store import SQLiteStore, update_stories

QUERIES = (
    "museum reward",
    "compasses",
    "police arrested",
    "festival",
    "gallery reopens",
    "harbor",
    "court plea",
    "insurance",
    "maple syrup",
    "security cameras",
)


def build(path: Path, n: int, *, seed: int = 1) -> list[str]:
    """Write a store of ``n`` resampled demo articles; return its story ids."""
    settings = load_settings(None, ["runner.workers=1"])
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        base, _ = process([corpus], settings)
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        src = base[i % len(base)]
        paragraphs = src.text.split("\n\n")
        rng.shuffle(paragraphs)
        day = (src.published.date if src.published else dt.date(2025, 3, 1)) + dt.timedelta(
            days=rng.randint(-400, 400)
        )
        articles.append(
            replace(
                src,
                id=stable_id("bench", str(i)),
                title=f"{src.title} ({i})",
                text="\n\n".join(paragraphs),
                published=PartialDate(date=day),
                group=f"story-{i // 10}",
            )
        )
    store = SQLiteStore(path)
    with store.transaction():
        store.add(articles, [])
        update_stories(store, tuple(articles), settings)
    ids = [s.id for s in store.result().stories]
    store.close()
    return ids


def drive(
    port: int, paths: list[str], *, seconds: float, clients: int
) -> tuple[float, list[float]]:
    """Request ``paths`` round-robin from ``clients`` threads for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = k
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{paths[i % len(paths)]}: HTTP {response.status}")
            latencies[k].append(time.perf_counter() - t0)
            i += clients
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = [x for per in latencies for x in per]
    return len(flat) / elapsed, flat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--db", type=Path, help="Keep the built store here and reuse it when it exists."
    )
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "bench.db"
        t0 = time.perf_counter()
        if db.exists():
            store = SQLiteStore(db, create=False)
            story_ids = [s.id for s in store.result().stories]
            store.close()
        else:
            story_ids = build(db, args.articles)
        print(
            f"built {args.articles} articles, {len(story_ids)} stories "
            f"in {time.perf_counter() - t0:.1f}s ({db.stat().st_size / 1e6:.1f} MB)"
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)],
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            endpoints = {
                "/api/stories/{id}": [f"/api/stories/{quote(i, safe='')}" for i in story_ids],
                "/api/search": [f"/api/search?q={quote(q)}" for q in QUERIES],
            }
            for name, paths in endpoints.items():
                drive(port, paths, seconds=0.5, clients=args.clients)  # warm up
                rps, lat = drive(port, paths, seconds=args.seconds, clients=args.clients)
                lat.sort()
                p99 = lat[int(0.99 * (len(lat) - 1))] * 1000
                print(
                    f"{name:20s} {rps:8.0f} req/s  p50 {statistics.median(lat) * 1000:6.2f} ms"
                    f"  p99 {p99:6.2f} ms  ({len(lat)} requests, {args.clients} clients)"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
