"""The Dask runner against the local runner: wall time, CPU, overhead and identical output.

Run it from the repository root::

    .venv/bin/python benchmarks/engines.py
    .venv/bin/python benchmarks/engines.py --size 300 --repeat 2
    .venv/bin/python benchmarks/engines.py --start-methods --size 100

What it measures: ``storyline.run([input], settings, runner=runner)`` on the same input
with ``runner.engine = "local"`` (a pool of ``--workers`` processes, default 2) and with
``runner.engine = "dask"`` (a ``LocalCluster`` of ``--workers`` single-threaded worker
processes, started by the runner). Each run is a fresh subprocess, and the timed span
includes starting the workers (the pool or the cluster) and stopping them, since a user
pays both; ``startup`` is also shown on its own (the first ``map`` that needs workers).
Figures: wall seconds, CPU seconds and peak PSS of the whole process tree (the process
and every descendant, forkserver-started workers included, sampled from ``/proc`` every
0.25 s: a process that exits between two samples loses at most that much CPU), the
overhead of Dask over local in wall time and in CPU, and whether the rendered JSON output
is byte-identical. Engines alternate (local, dask, local, dask, ...) so that load from other
processes on a shared machine falls on both alike; ``--repeat N`` keeps each engine's
fastest run. The load average is printed before and after.

Input: ``--size`` (default 600) real news articles, a fixed-seed sample of
``../shared/data/timelines/timeline17_articles.jsonl.gz`` (843 dated articles, about
600 words each), written to a temporary JSON Lines file; when it is absent the bundled
demo corpus's 12 articles are resampled to ``--size`` with a numbered sentence added to
each copy (so each has its own id and the clusterer sees many near-duplicates).

After the workers have started, each run first idles ``--idle`` seconds (default 5) and
measures the CPU the engine uses doing nothing (Dask's event loops, heartbeats and
monitors; the local pool uses none); that span counts neither in wall nor in CPU.
``--start-methods`` compares the local runner's ``runner.start_method`` values (``fork``,
``forkserver``, ``spawn``) on the same input instead of the two engines.

The aim from issue #12 is a Dask overhead of at most 15 %; it never changes the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TIMELINES = DATA / "timelines" / "timeline17_articles.jsonl.gz"
AIM = 15.0


def write_input(path: Path, size: int) -> str:
    """Write ``size`` records to ``path`` (JSON Lines); return what they were made from."""
    rng = random.Random(12)
    if TIMELINES.exists():
        with gzip.open(TIMELINES, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        picked = rng.sample(rows, min(size, len(rows)))
        while len(picked) < size:  # beyond the pool: copies with a numbered sentence
            row = dict(rng.choice(rows))
            row["id"] = f"{row['id']}-copy{len(picked)}"
            row["text"] = f"{row['text']}\n\nUpdate {len(picked)} was filed later."
            picked.append(row)
        records = [
            {
                "id": str(r["id"]),
                "text": r["text"],
                "published": r.get("date"),
                "outlet": r["topic"],
            }
            for r in picked
        ]
        origin = f"timeline17 ({len(rows)} articles, sample seed 12)"
    else:
        corpus = files("storyline.demo") / "corpus"
        texts = sorted(
            (p.name, p.read_text(encoding="utf-8"))
            for p in corpus.iterdir()
            if p.name.endswith(".txt")
        )
        records = [
            {"id": f"demo-{i}", "text": f"{texts[i % len(texts)][1]}\n\nCopy {i} of the demo."}
            for i in range(size)
        ]
        origin = f"demo corpus ({len(texts)} text articles, resampled)"
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record) + "\n")
    return origin


CHILD = """
import hashlib, json, os, sys, threading, time
from pathlib import Path
import storyline
from storyline.engine import runner_for
from storyline.output import render

TICK = os.sysconf("SC_CLK_TCK")


def descendants(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *descendants(kid)]
    return found


class Tree:
    # CPU seconds and PSS of this process and every descendant (forkserver children too)
    def __init__(self):
        self.cpu, self.peak_pss, self.stop = {}, 0.0, threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stop.is_set():
            pss = 0.0
            for pid in [os.getpid(), *descendants(os.getpid())]:
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self.cpu[pid] = (int(stat[11]) + int(stat[12])) / TICK
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            pss += int(line.split()[1]) / 1e3
                except (OSError, ValueError, IndexError):
                    continue
            self.peak_pss = max(self.peak_pss, pss)
            self.stop.wait(0.25)


def tree_cpu():
    total = 0.0
    for pid in [os.getpid(), *descendants(os.getpid())]:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / TICK
        except (OSError, ValueError, IndexError):
            continue
    return total


def main():
    path, engine, workers, save, method, idle_s = sys.argv[1:7]
    settings = storyline.load_settings(
        overrides=[f"runner.engine={engine}", f"runner.workers={workers}",
                   f"runner.start_method={method}"]
    )
    tree = Tree()
    tree.thread.start()
    start = time.perf_counter()
    with runner_for(settings.runner) as runner:
        startup_start = time.perf_counter()
        list(runner.map(abs, range(4), chunk_size=1))  # starts the workers
        startup = time.perf_counter() - startup_start
        idle_start, idle_cpu = time.perf_counter(), tree_cpu()
        time.sleep(float(idle_s))  # the engine's own CPU while it has nothing to do
        idle_cpu = tree_cpu() - idle_cpu
        start += time.perf_counter() - idle_start  # not counted in the wall time
        result = storyline.run([path], settings, runner=runner)
        output = "".join(render(result))
        if save:
            Path(save).write_text(output, encoding="utf-8")
        time.sleep(0.3)  # one more sample while every worker is alive
    wall = time.perf_counter() - start
    tree.stop.set()
    tree.thread.join()
    print(json.dumps({
        "wall": wall, "startup": startup, "idle": idle_cpu,
        "cpu": sum(tree.cpu.values()) - idle_cpu,
        "pss": tree.peak_pss, "articles": len(result.articles),
        "stories": len(result.stories), "skipped": len(result.skipped),
        "digest": hashlib.sha256(output.encode()).hexdigest(),
    }))


if __name__ == "__main__":
    main()
"""


def measure(
    script: Path, data: Path, engine: str, workers: int, save: str, method: str, idle: float
) -> dict[str, float | str]:
    out = subprocess.run(
        [sys.executable, str(script), str(data), engine, str(workers), save, method, str(idle)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode != 0:
        sys.exit(f"{engine} run failed:\n{out.stderr}")
    result: dict[str, float | str] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=600, help="articles in the input")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per engine")
    parser.add_argument("--repeat", type=int, default=1, help="runs per engine (fastest kept)")
    parser.add_argument(
        "--save", type=Path, help="folder to write each run's JSON output to (to diff them)"
    )
    parser.add_argument(
        "--idle", type=float, default=5.0, help="seconds the started engine idles, measured"
    )
    parser.add_argument(
        "--start-methods",
        action="store_true",
        help="compare the local runner's start methods (fork, forkserver, spawn) instead",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="storyline-engines-") as tmp:
        data = Path(tmp) / "articles.jsonl"
        origin = write_input(data, args.size)
        script = Path(tmp) / "child.py"
        script.write_text(CHILD, encoding="utf-8")
        load_before = os.getloadavg()
        kinds = {"local": ("local", "forkserver"), "dask": ("dask", "forkserver")}
        if args.start_methods:
            kinds = {f"local, {m}": ("local", m) for m in ("fork", "forkserver", "spawn")}
        runs: dict[str, list[dict[str, float | str]]] = {kind: [] for kind in kinds}
        for i in range(args.repeat):
            for kind, (engine, method) in kinds.items():
                save = str(args.save / f"{engine}-{method}-{i + 1}.json") if args.save else ""
                got = measure(script, data, engine, args.workers, save, method, args.idle)
                runs[kind].append(got)
                print(f"  {kind}: {got['wall']:.1f} s", file=sys.stderr)
        load_after = os.getloadavg()

    best = {e: min(r, key=lambda m: float(m["wall"])) for e, r in runs.items()}
    digests = {str(m["digest"]) for r in runs.values() for m in r}
    print(f"input: {args.size} articles from {origin}; {args.workers} workers per engine")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, best of {args.repeat}")
    print()
    print(
        f"| engine | wall s | startup s | CPU s (tree) | idle CPU s per {args.idle:g} s "
        "| peak PSS MB (tree) | articles | stories | skipped |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for engine, m in best.items():
        print(
            f"| {engine} | {float(m['wall']):.1f} | {float(m['startup']):.1f} | "
            f"{float(m['cpu']):.1f} | {float(m['idle']):.2f} | {float(m['pss']):.0f} | "
            f"{m['articles']} | {m['stories']} | {m['skipped']} |"
        )
    print(f"identical output: {'yes' if len(digests) == 1 else 'NO'} ({len(digests)} digests)")
    print(
        "load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *load_after
        )
    )
    if args.start_methods:
        return
    local, dask = best["local"], best["dask"]
    wall_over = 100 * (float(dask["wall"]) / float(local["wall"]) - 1)
    cpu_over = 100 * (float(dask["cpu"]) / float(local["cpu"]) - 1)
    print()
    print(f"Dask overhead: wall {wall_over:+.1f} %, CPU {cpu_over:+.1f} % (aim: wall ≤ {AIM:g} %)")


if __name__ == "__main__":
    main()
