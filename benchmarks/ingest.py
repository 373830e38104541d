"""Ingest time: adding a batch of new articles to a store that already holds many.

    python benchmarks/ingest.py [--stored 2000] [--new 100] [--workers 2] [--db FILE]

Builds a store of ``--stored`` real news articles from ``../shared/data`` (Timeline17,
ECB+ and PolNeAR texts; see its README), oldest first, then times adding the ``--new``
newest ones two ways, each on its own copy of the store:

* ``incremental``: ``storyline.pipeline.ingest`` as shipped (new articles deduplicated
  against the stored signatures, annotated and placed over the stored clusterer rows;
  only the stories they touch recomputed);
* ``rebuild``: the same ingest into a store whose rows were forgotten (what a change of
  story settings costs: dedupe, clustering and story facts for the whole store; stored
  annotations are reused).

Prints seconds per ingest and the load average (the machine is shared). Skips cleanly
when ``../shared/data`` is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.pipeline import ingest
from storyline.settings import Settings, load_settings
from storyline.store import SQLiteStore, Store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SOURCES = (
    ("timelines/timeline17_articles.jsonl.gz", "tl"),
    ("clustering/ecbplus_event_clusters.jsonl.gz", "ecb"),
    ("quotes/polnear_train.jsonl.gz", "pn"),
    ("quotes/polnear_dev.jsonl.gz", "pn"),
    ("summarization/multinews_validation.jsonl", "mn"),
)


def real_records(data: Path = DATA) -> list[dict[str, Any]]:
    """Real articles as JSON Lines records (``id, title, text, published, outlet``).

    One record per distinct article, in publication order (undated ones first, as they
    are the older sets); each set's own ids are prefixed so they stay unique.
    """
    records: dict[str, dict[str, Any]] = {}
    for name, prefix in SOURCES:
        for row in _rows(data / name):
            for record in _records(row, prefix):
                records.setdefault(record["id"], record)
    return sorted(records.values(), key=lambda r: (r["published"] or "", r["id"]))


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _records(row: dict[str, Any], prefix: str) -> Iterator[dict[str, Any]]:
    if prefix == "mn":  # a cluster of undated, untitled articles
        for i, article in enumerate(row["articles"]):
            if article.get("text"):
                yield _record(f"mn:{row['id']}:{i}", article, None)
        return
    key = row.get("article") or row["id"]  # PolNeAR: one line per annotator
    topic = f"{row['topic']}:" if "topic" in row else ""
    yield _record(f"{prefix}:{topic}{key}", row, row.get("publisher"))


def _record(record_id: str, row: dict[str, Any], outlet: str | None) -> dict[str, Any]:
    date = row.get("date")
    return {
        "id": record_id,
        "title": row.get("title") or None,
        "text": row["text"],
        "published": str(date)[:10] if date not in (None, "", "None") else None,
        "outlet": outlet,
        "language": "en",
    }


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write ``records`` as JSON Lines to ``path``."""
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return path


def rebuild_ingest(store: Store, inputs: list[Path], settings: Settings) -> None:
    """Ingest into a store whose rows are forgotten: every stored article placed again."""
    store.set_stories([])  # forgets the story state, so the next update rebuilds
    ingest(store, inputs, settings)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", type=int, default=2000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path, help="Keep the built store here; reuse it.")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (see benchmarks/ingest.py)")
        return
    settings = load_settings(None, [f"runner.workers={args.workers}"])
    records = real_records()
    if len(records) < args.stored + args.new:
        sys.exit(f"only {len(records)} real articles; lower --stored or --new")
    records = records[-(args.stored + args.new) :]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        base = args.db or tmp / "base.db"
        print(f"load average before: {load()}")
        if not base.exists():
            t0 = time.perf_counter()
            store = SQLiteStore(base)
            ingest(store, [write_jsonl(tmp / "stored.jsonl", records[: args.stored])], settings)
            print(f"built a store of {store.counts()} in {time.perf_counter() - t0:.1f}s")
            store.close()
        batch = write_jsonl(tmp / "new.jsonl", records[args.stored :])
        for mode in ("incremental", "rebuild"):
            db = tmp / f"{mode}.db"
            shutil.copyfile(base, db)
            store = SQLiteStore(db)
            t0 = time.perf_counter()
            if mode == "incremental":
                ingest(store, [batch], settings)
            else:
                rebuild_ingest(store, [batch], settings)
            elapsed = time.perf_counter() - t0
            print(
                f"{mode:12s} +{args.new} articles to {args.stored}: {elapsed:7.1f}s  "
                f"({store.counts()['stories']} stories; load {load()})"
            )
            store.close()


if __name__ == "__main__":
    main()
