"""REST API throughput and latency on loopback, against a 10k-article store.

    python benchmarks/api.py [--corpus resampled|real] [--articles 10000] [--seconds 5]
                             [--clients 8] [--queries fixed|vocabulary|both] [--db FILE]
                             [--workers 2] [--client auto|wrk|python]

Two stores:

* ``resampled`` (default): the 12 demo articles resampled to ``--articles`` (new ids,
  shuffled paragraphs, shifted dates, ten articles per story). Its vocabulary is tiny, so
  every query matches thousands of rows: a worst case for ranked search, not a
  realistic one.
* ``real``: the distinct real news articles in ``../shared/data`` (Timeline17, ECB+,
  PolNeAR, Multi-News; about 3,400), topped up to ``--articles`` with variants of them
  (paragraphs shuffled, a tenth dropped), ingested by the pipeline.
  Skips cleanly when the data is absent.

Two query sets for ``/api/search``:

* ``fixed``: ten hand-written queries about the demo stories;
* ``vocabulary``: 200 queries drawn from the store itself: a random article, then one or
  two of its words (stop words left out) with the article's own word frequencies, so
  common words are queried as often as they occur and every query matches something.

Starts ``storyline serve --workers 2`` on 127.0.0.1 in a subprocess (``--workers``; no
result cache), then drives ``/api/stories/{id}`` and ``/api/search`` over ``--clients``
keep-alive connections for a bounded time each, requesting the paths round-robin. The load
generator is ``wrk`` when it is installed (``apt-get install -y wrk``; one thread, written
in C, so it leaves the cores to the server); otherwise, or with ``--client python``,
Python threads, which spend about 0.2-0.4 ms of CPU per request on the same cores (the
script says which it used). Prints requests/s, p50 and p99 latency, the server's CPU time
per request (all its processes, from ``/proc``: steadier than requests/s on a shared
machine), the median number of articles a query matches, and the load average.
Target: >= 500 req/s and p99 < 50 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ingest import DATA, real_records, write_jsonl  # benchmarks/ingest.py
from storyline._cluster_text import STOP_WORDS
from storyline.model import PartialDate, stable_id
from storyline.pipeline import ingest, process, update
from storyline.settings import load_settings
from storyline.store import SQLiteStore

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
    update(store, articles, (), settings)
    store.close()
    return story_ids_of(path)


def build_real(path: Path, n: int, *, seed: int = 3) -> list[str]:
    """Ingest ``n`` real articles into a store at ``path``; return its story ids.

    When there are fewer than ``n`` distinct real articles, the rest are variants of
    them (paragraphs shuffled, a tenth dropped, new ids), as other outlets' versions of
    the same reports: the vocabulary stays real and each word matches about ``n`` / 3,400
    times as many articles.
    """
    settings = load_settings(None, ["runner.workers=2"])
    real = real_records()
    rng = random.Random(seed)
    rows = real[-n:]
    for k in range(n - len(rows)):
        rows.append(_variant(real[k % len(real)], k, rng))
    with tempfile.TemporaryDirectory() as folder:
        records = write_jsonl(Path(folder) / "real.jsonl", rows)
        store = SQLiteStore(path)
        ingest(store, [records], settings)
    store.close()
    return story_ids_of(path)


def _variant(record: dict[str, Any], k: int, rng: random.Random) -> dict[str, Any]:
    paragraphs = [p for p in record["text"].split("\n") if p.strip()]
    rng.shuffle(paragraphs)
    kept = paragraphs[: max(1, round(len(paragraphs) * 0.9))]
    return {**record, "id": f"{record['id']}~{k}", "text": "\n\n".join(kept)}


def story_ids_of(path: Path) -> list[str]:
    """The ids of the stories stored at ``path``."""
    db = sqlite3.connect(path)
    ids = [story_id for (story_id,) in db.execute("SELECT id FROM stories ORDER BY seq")]
    db.close()
    return ids


_WORD = re.compile(r"[^\W\d_]{3,}")


def vocabulary_queries(path: Path, n: int = 200, *, seed: int = 2) -> list[str]:
    """``n`` queries of one or two words drawn from random stored articles (see above)."""
    db = sqlite3.connect(path)
    seqs = [seq for (seq,) in db.execute("SELECT seq FROM articles")]
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < n:
        (data,) = db.execute(
            "SELECT data FROM articles WHERE seq = ?", (rng.choice(seqs),)
        ).fetchone()
        words = [w.lower() for w in _WORD.findall(json.loads(data)["text"])]
        words = [w for w in words if w not in STOP_WORDS]
        if len(words) < 2:
            continue
        first = rng.choice(words)
        if rng.random() < 0.5:
            queries.append(first)
        else:
            others = [w for w in words if w != first]
            if others:
                queries.append(f"{first} {rng.choice(others)}")
    db.close()
    return queries


def median_matches(path: Path, queries: list[str]) -> float:
    """How many articles the median query matches (FTS5, every word required)."""
    db = sqlite3.connect(path)
    counts = [
        db.execute(
            "SELECT count(*) FROM article_search WHERE article_search MATCH ?",
            (" ".join(f'"{w}"' for w in q.split()),),
        ).fetchone()[0]
        for q in queries
    ]
    db.close()
    return statistics.median(counts)


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


_WRK_SCRIPT = """
local paths = {%s}
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%.1f %%.1f\\n", summary.requests,
    summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50),
    latency:percentile(99)))
end
"""


def drive_wrk(
    port: int, paths: list[str], *, seconds: float, clients: int
) -> tuple[float, float, float, int]:
    """Request ``paths`` round-robin with ``wrk`` (one thread, ``clients`` connections).

    Returns requests/s, p50 and p99 latency in seconds, and the number of requests.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
        script.flush()
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, micros, bad_status, failed = (int(x) for x in line.split()[1:5])
    p50, p99 = (float(x) / 1e6 for x in line.split()[5:7])
    if bad_status or failed:
        raise RuntimeError(f"wrk: {bad_status} non-2xx answers, {failed} socket errors\n{out}")
    return requests / (micros / 1e6), p50, p99, requests


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and its descendants (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, cpu seconds)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    family, total = {pid}, 0.0
    for _ in range(3):  # server -> workers (and multiprocessing's helpers)
        family |= {p for p, (parent, _) in stats.items() if parent in family}
    for p in family:
        total += stats.get(p, (0, 0.0))[1]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("resampled", "real"), default="resampled")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--queries", choices=("fixed", "vocabulary", "both"), default="both")
    parser.add_argument(
        "--db", type=Path, help="Keep the built store here and reuse it when it exists."
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="storyline serve --workers (server processes)."
    )
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="Load generator: wrk when installed (auto), or Python threads.",
    )
    args = parser.parse_args()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
        if client == "python":
            print(
                "wrk is not installed (apt-get install -y wrk): using the Python client, "
                "whose threads share the cores with the server"
            )
    elif client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install -y wrk)")
    if args.corpus == "real" and not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the real corpus needs it)")
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "bench.db"
        t0 = time.perf_counter()
        if db.exists():
            store = SQLiteStore(db, create=False)  # upgrades an older schema
            articles = store.counts()["articles"]
            store.close()
            story_ids = story_ids_of(db)
        else:
            build_store = build_real if args.corpus == "real" else build
            story_ids = build_store(db, args.articles)
            store = SQLiteStore(db, create=False)
            articles = store.counts()["articles"]
            store.close()
        print(
            f"{args.corpus} store: {articles} articles, {len(story_ids)} stories "
            f"in {time.perf_counter() - t0:.1f}s ({db.stat().st_size / 1e6:.1f} MB)"
        )
        endpoints = {"/api/stories/{id}": [f"/api/stories/{quote(i, safe='')}" for i in story_ids]}
        query_sets = {"fixed": list(QUERIES), "vocabulary": vocabulary_queries(db)}
        for name, queries in query_sets.items():
            if args.queries in (name, "both"):
                print(
                    f"  {name} queries: median {median_matches(db, queries):g} matching "
                    f"articles, e.g. {', '.join(repr(q) for q in queries[:4])}"
                )
                endpoints[f"/api/search ({name})"] = [f"/api/search?q={quote(q)}" for q in queries]
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
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
                str(args.workers),
            ],
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
            print(
                f"server: {args.workers} worker(s); load generator: {client}, "
                f"{args.clients} keep-alive connections"
            )
            for name, paths in endpoints.items():
                if client == "wrk":
                    drive_wrk(port, paths, seconds=1, clients=args.clients)  # warm up
                else:
                    drive(port, paths, seconds=0.5, clients=args.clients)  # warm up
                cpu, own = server_cpu(server.pid), time.process_time()
                if client == "wrk":
                    rps, p50, p99, count = drive_wrk(
                        port, paths, seconds=args.seconds, clients=args.clients
                    )
                else:
                    rps, lat = drive(port, paths, seconds=args.seconds, clients=args.clients)
                    lat.sort()
                    p50, p99, count = (
                        statistics.median(lat),
                        lat[int(0.99 * (len(lat) - 1))],
                        len(lat),
                    )
                cpu, own = server_cpu(server.pid) - cpu, time.process_time() - own
                client_cpu = f", client {own * 1000 / count:.2f}" if client == "python" else ""
                print(
                    f"{name:26s} {rps:8.0f} req/s  p50 {p50 * 1000:6.2f} ms"
                    f"  p99 {p99 * 1000:6.2f} ms  ({count} requests; CPU ms/request: server "
                    f"{cpu * 1000 / count:.2f}{client_cpu})  load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
