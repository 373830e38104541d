"""Ranking quality of ``SQLiteStore.search``: bounded candidates against full BM25.

    python benchmarks/search_quality.py STORE.db [STORE.db ...] [--candidates 1000]

Twenty-two hand-written queries about events in the real corpus of ``../shared/data``,
each judged by where its relevant articles come from: the corpus labels every article
with its source set and topic (Timeline17's ``tl:haiti_bbc``, ECB+'s ``ecb:12``, …), and
a hit is relevant when its article (or, for a quote or summary hit, most of its story's
articles) carries the query's label. Clones made by ``benchmarks/api.py`` (ids ending
``~k``) count as the article they copy. Nothing here was tuned on the results: the
queries and labels were written from the topics' first titles before any ranking was run.

Prints, per store and ranking, precision at 10 (hits of one story count once: a page of
ten clones of one article is one relevant result, not ten), the share of queries whose
first hit is relevant, the overlap of the top 20 with full BM25's, and the milliseconds
per query (a warm, single-threaded loop), then the load average. "full" ranks every
match (``CANDIDATES`` = 10**9, what storyline did before issue 17); "bounded" scores the
newest ``--candidates`` matches of each table.

The queries are split in two halves (even and odd positions): the default bound was
chosen looking at the first half only; the second half is reported as the held-out check.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import time
from collections import Counter
from pathlib import Path

import storyline.store.sqlite as sqlite_store
from storyline.store import SQLiteStore
from storyline.store.base import SearchHit

# (query, label prefix of the relevant articles); labels are "set:topic" prefixes of ids
QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("haiti earthquake", ("tl:haiti",)),
    ("swine flu vaccine", ("tl:H1N1",)),
    ("michael jackson doctor", ("tl:MJ",)),
    ("tara reid rehab", ("ecb:1",)),
    ("oscars host", ("ecb:2",)),
    ("76ers fired coach", ("ecb:5",)),
    ("klitschko heavyweight", ("ecb:7",)),
    ("endangered species protections", ("ecb:9",)),
    ("somali pirates navy", ("ecb:12",)),
    ("greece riots police", ("ecb:19",)),
    ("internet undersea cables", ("ecb:30",)),
    ("microsoft patch", ("ecb:27",)),
    ("deep throat watergate", ("ecb:28",)),
    ("colts playoff", ("ecb:29",)),
    ("magnitude quake indonesia", ("ecb:37",)),
    ("apple macworld keynote", ("ecb:40",)),
    ("hp acquire", ("ecb:44",)),
    ("flu cases people", ("tl:H1N1",)),
    ("death toll rose", ("tl:haiti", "ecb:37")),
    ("world health organization pandemic", ("tl:H1N1",)),
    ("singer died", ("tl:MJ",)),
    ("people killed quake", ("tl:haiti", "ecb:37")),
)
FULL = 10**9


def base_id(article_id: str) -> str:
    """The real article a clone copies (``id~k`` → ``id``)."""
    return article_id.rsplit("~", 1)[0] if "~" in article_id else article_id


def story_labels(path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each story's member article ids, and each article's first story."""
    db = sqlite3.connect(path)
    members: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for article_id, story_id in db.execute("SELECT article_id, story_id FROM story_articles"):
        members.setdefault(story_id, []).append(article_id)
        first.setdefault(article_id, story_id)
    db.close()
    return members, first


def relevant(
    hit: SearchHit, labels: tuple[str, ...], members: dict[str, list[str]]
) -> tuple[str, bool]:
    """The hit's story (its group) and whether it is relevant."""
    if hit.article_id is not None and hit.kind == "article":
        return hit.article_id, base_id(hit.article_id).startswith(labels)
    ids = members.get(hit.story_id or "", [])
    votes = Counter(base_id(i).startswith(labels) for i in ids)
    return hit.story_id or "", votes[True] > votes[False]


def evaluate(store: SQLiteStore, path: Path, bound: int) -> dict[str, list[float]]:
    """Precision at 10, reciprocal rank of the first relevant group (0 past 10) and time
    per query, for one bound."""
    members, first = story_labels(path)
    sqlite_store.CANDIDATES = bound
    out: dict[str, list[float]] = {"p10": [], "rr": [], "ms": []}
    for query, labels in QUERIES:
        store.search(query, limit=40)  # warm
        t0 = time.perf_counter()
        hits = store.search(query, limit=40)
        out["ms"].append((time.perf_counter() - t0) * 1000)
        seen: dict[str, bool] = {}
        for hit in hits:
            key, good = relevant(hit, labels, members)
            group = first.get(key, key) if hit.kind == "article" else key
            seen.setdefault(group, good)
        judged = list(seen.values())[:10]
        out["p10"].append(sum(judged) / 10)
        out["rr"].append(next((1 / n for n, good in enumerate(judged, 1) if good), 0.0))
    return out


def top_ids(store: SQLiteStore, bound: int) -> list[list[tuple[str, str | None, str | None]]]:
    sqlite_store.CANDIDATES = bound
    return [
        [(h.kind, h.article_id, h.story_id) for h in store.search(q, limit=20)] for q, _ in QUERIES
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stores", type=Path, nargs="+")
    parser.add_argument("--candidates", type=int, nargs="+", default=[sqlite_store.CANDIDATES, 100])
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for path in args.stores:
        store = SQLiteStore(path, read_only=True)
        counts = store.counts()
        print(f"{path.name}: {counts['articles']} articles, {counts['stories']} stories")
        full_top = top_ids(store, FULL)
        for name, bound in (("full", FULL), *((f"bounded {b}", b) for b in args.candidates)):
            r = evaluate(store, path, bound)
            halves = (("tuning half", slice(0, None, 2)), ("held-out half", slice(1, None, 2)))
            for half, pick in halves:
                print(
                    f"  {name:14s} {half:13s} P@10 {statistics.mean(r['p10'][pick]):.3f}"
                    f"  MRR@10 {statistics.mean(r['rr'][pick]):.3f}"
                    f"  ms/query median {statistics.median(r['ms'][pick]):.1f}"
                    f" max {max(r['ms'][pick]):.1f}"
                )
            if bound != FULL:
                top = top_ids(store, bound)
                overlap = [
                    len(set(a) & set(b)) / max(1, len(set(a)))
                    for a, b in zip(full_top, top, strict=True)
                ]
                print(
                    f"  {name:14s} top-20 hits shared with full: "
                    f"mean {statistics.mean(overlap):.2f}"
                    f", min {min(overlap):.2f}; identical top 20 in "
                    f"{sum(a == b for a, b in zip(full_top, top, strict=True))}/{len(QUERIES)}"
                )
        store.close()
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
