"""Scale: wall time and peak PSS of the process tree for run and ingest as the corpus grows.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,4000,16000] [--workers 2]
        [--modes run,ingest,ingest10,shuffled10] [--set KEY=VALUE ...]

Inputs: the real news articles of ``../shared/data`` (Timeline17, ECB+, PolNeAR and
Multi-News texts, read by ``benchmarks/ingest.py``'s ``real_records``: about 1,300 words
each), the newest ``N`` in publication order. Beyond the pool (3,439 distinct
articles, 1,672 of them undated Multi-News texts, which sort first), article ``k`` is a
light edit of pool article ``k mod pool``: its paragraphs shuffled, a tenth of them
dropped, a new id, and the publication date moved on by ``1 + k // pool`` years, like a
later outlet's rewrite of a recurring story. The edited copies keep
the real vocabulary, so dedupe, clustering and NER see real text.

Modes, each in a fresh subprocess (so no cache or memory peak carries over):

* ``run``: ``storyline.pipeline.run`` of one JSON Lines file;
* ``ingest``: ``storyline.pipeline.ingest`` of the same file into a new SQLite store;
* ``ingest10``: the same articles in ten files, ingested one after the other in
  publication order into one store (the wall time is the sum of the ten);
* ``shuffled10``: ten files of the articles in a shuffled order.

Figures: wall seconds, articles per second, peak PSS of the whole process tree (sampled
from ``/proc`` every 50 ms: the driver and every worker, shared pages split between the
processes sharing them), and the per-stage table of the run (wall, CPU, serial or
parallel, MB sent to workers; :class:`storyline._profile.Profile`). For ``ingest10`` and
``shuffled10`` it also prints how far the stories differ from one ingest (B-cubed F1 of
the story grouping against the one-batch grouping). Aims (issue #12): ten batches at most
1.3 times one batch; 16k / 1k wall ratio ≤ 18; tree PSS at 1k ≤ 700 MB, growth ≤ 30 kB per article.
Prints the load average: the machine may be shared. Skips cleanly without ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from ingest import DATA, real_records, write_jsonl  # benchmarks/ingest.py
from speed import TreeSampler  # benchmarks/speed.py

MODES = ("run", "ingest", "ingest10", "shuffled10")


def corpus(n: int, *, seed: int = 5) -> list[dict[str, Any]]:
    """``n`` records in publication order (see the module docstring for the edits)."""
    pool = real_records()
    rows = [dict(r) for r in pool[-n:]]
    rng = random.Random(seed)
    for k in range(n - len(rows)):
        source = pool[k % len(pool)]
        paragraphs = [p for p in source["text"].split("\n") if p.strip()]
        rng.shuffle(paragraphs)
        kept = paragraphs[: max(1, round(len(paragraphs) * 0.9))]
        published = source["published"]
        if published:
            day = date.fromisoformat(published[:10])
            year = day.year + 1 + k // len(pool)
            moved = day.replace(year=year, day=min(day.day, 28 if day.month == 2 else 31))
            published = moved.isoformat()
        rows.append(
            {
                **source,
                "id": f"{source['id']}~{k}",
                "text": "\n\n".join(kept),
                "published": published,
            }
        )
    return sorted(rows, key=lambda r: (r["published"] or "", r["id"]))


def child(
    mode: str, files: list[Path], db: Path, workers: int, overrides: list[str]
) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    from storyline._profile import Profile
    from storyline.pipeline import ingest, run
    from storyline.settings import load_settings
    from storyline.store import SQLiteStore

    settings = load_settings(None, [*overrides, f"runner.workers={workers}"])
    profile = Profile()
    start = time.perf_counter()
    with TreeSampler() as sampler:
        if mode == "run":
            result = run(files, settings, profile=profile)
            groups = [list(s.article_ids) for s in result.stories]
        else:
            store = SQLiteStore(db)
            for path in files:
                ingest(store, [path], settings, profile=profile)
            groups = [list(s.article_ids) for s in store.result().stories]
            store.close()
    return {
        "wall": time.perf_counter() - start,
        "pss_mb": sampler.peak_pss_mb,
        "table": profile.table(),
        "groups": groups,
    }


def bcubed_f1(found: list[list[str]], gold: list[list[str]]) -> float:
    """B-cubed F1 of one grouping against another (every id in both)."""
    of_found = {i: frozenset(g) for g in found for i in g}
    of_gold = {i: frozenset(g) for g in gold for i in g}
    ids = list(of_gold)
    p = sum(len(of_found[i] & of_gold[i]) / len(of_found[i]) for i in ids) / len(ids)
    r = sum(len(of_found[i] & of_gold[i]) / len(of_gold[i]) for i in ids) / len(ids)
    return 2 * p * r / (p + r) if p + r else 0.0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,4000,16000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting for every measurement (repeatable), e.g. runner.preload=false",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, db, *files = args.child
        out = child(mode, [Path(f) for f in files], Path(db), args.workers, args.overrides)
        print(json.dumps(out))
        return
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (see benchmarks/scale.py)")
        return
    modes = [m for m in args.modes.split(",") if m]
    print(f"load average before: {load()}")
    walls: dict[tuple[str, int], float] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        rows = corpus(n)
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            one = write_jsonl(tmp / "all.jsonl", rows)
            size = -(-n // 10)
            ordered = [
                write_jsonl(tmp / f"part{k}.jsonl", rows[k * size : (k + 1) * size])
                for k in range(10)
            ]
            shuffled_rows = list(rows)
            random.Random(11).shuffle(shuffled_rows)
            shuffled = [
                write_jsonl(tmp / f"mix{k}.jsonl", shuffled_rows[k * size : (k + 1) * size])
                for k in range(10)
            ]
            inputs = {"run": [one], "ingest": [one], "ingest10": ordered, "shuffled10": shuffled}
            reference: list[list[str]] | None = None
            for mode in modes:
                db = tmp / f"{mode}.db"
                command = [sys.executable, __file__, "--workers", str(args.workers)]
                command += [f"--set={o}" for o in args.overrides] + ["--child"]
                done = subprocess.run(
                    [*command, mode, str(db), *map(str, inputs[mode])],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                out = json.loads(done.stdout.strip().splitlines()[-1])
                walls[mode, n] = out["wall"]
                if mode in ("run", "ingest") and reference is None:
                    reference = out["groups"]
                agreement = ""
                if reference is not None and mode.endswith("10"):
                    agreement = (
                        f"  B-cubed F1 vs one batch {bcubed_f1(out['groups'], reference):.3f}"
                    )
                print(
                    f"\n{mode:10s} n={n:6d}: {out['wall']:8.1f} s  {n / out['wall']:6.1f} art/s  "
                    f"tree PSS {out['pss_mb'] or 0:7.0f} MB  stories {len(out['groups'])}"
                    f"{agreement}  (load {load()})"
                )
                print(out["table"])
    sizes = sorted({n for _, n in walls})
    for mode in modes:
        if ("ingest", sizes[0]) in walls and mode.endswith("10"):
            for n in sizes:
                ratio = walls[mode, n] / walls["ingest", n]
                print(f"{mode} / one ingest at n={n}: {ratio:.2f} (aim ≤ 1.3)")
        if len(sizes) > 1:
            ratio = walls[mode, sizes[-1]] / walls[mode, sizes[0]]
            print(f"{mode}: wall n={sizes[-1]} / n={sizes[0]} = {ratio:.1f}")


if __name__ == "__main__":
    main()
