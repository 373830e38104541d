"""Quality, speed and memory of the dedupe and cluster stages.

Run it from the repository root::

    .venv/bin/python benchmarks/clustering.py                 # everything
    .venv/bin/python benchmarks/clustering.py --only quality --limit 300
    .venv/bin/python benchmarks/clustering.py --only semantic
    .venv/bin/python benchmarks/clustering.py --only speed --sizes 2000,10000
    .venv/bin/python benchmarks/clustering.py --set story_threshold=0.25

What it measures:

* ``ecbplus``: ``../shared/data/clustering/ecbplus_event_clusters.jsonl.gz`` (982 news
  documents, 43 topics of two similar events each; no titles, no dates). B-cubed
  precision, recall and F1 of :func:`storyline.cluster.cluster` at story level (gold: the
  topic, the part of ``cluster`` before ``_ecb``/``_ecbplus``) and event level (gold:
  ``cluster``; predicted: the event inside the story), beside a lexical baseline: TF-IDF
  cosine + single-link at a fixed threshold, and the same baseline at the threshold that
  is best on this data (an oracle, so an upper bound for it). Also whether adding the
  documents in ten batches gives the same stories as one batch (incremental == batch).
* ``timeline17``: ``../shared/data/timelines/timeline17_articles.jsonl.gz`` (843 dated
  articles, 5 topic folders spanning up to 2.5 years): story-level B-cubed with each
  folder one story, and with the three H1N1 folders (one real-world story told by three
  outlets) counted as one.
* ``semantic``: whether static word vectors (spaCy ``en_core_web_md`` through
  ``storyline.models``) add to the lexical vectors: ROC AUC on ECB+ of same-topic and
  same-event decisions for article pairs and gold-event centroids, lexical vs vectors
  vs both. Skipped when no pipeline with vectors is installed.
* ``speed``: ``N`` synthetic articles (``--sizes``, default 10000,100000) resampled from
  both sets: a random 85 % of each source's words, a random date over two years, so there
  are no exact copies. Each size runs in a fresh subprocess; it reports dedupe and
  cluster time (wall and CPU), articles/s, peak RSS of that process, and the 1-minute
  load average (the machine is shared; ``--limit`` keeps iterations cheap).

``--limit N`` takes the first ``N`` documents of each set. Without ``../shared/data``
(or ``--data``) the script prints a note and exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storyline import settings as settings_module
from storyline.cluster import Clusterer, cluster
from storyline.dedupe import dedupe
from storyline.model import Article, PartialDate, Story
from storyline.settings import ClusterSettings, DedupeSettings

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ECB = Path("clustering/ecbplus_event_clusters.jsonl.gz")
TIMELINES = Path("timelines/timeline17_articles.jsonl.gz")


# --- data ------------------------------------------------------------------------------


def _records(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def _null(value: Any) -> str | None:
    return None if value in (None, "", "None") else str(value)


def _article(row: Mapping[str, Any], *, prefix: str) -> Article:
    date = _null(row.get("date"))
    return Article(
        id=f"{prefix}{row['id']}",
        source=str(row["id"]),
        title=_null(row.get("title")),
        text=str(row["text"]),
        published=PartialDate.from_iso(date[:10]) if date else None,
        language="en",
    )


def ecb_articles(data: Path, limit: int | None) -> tuple[list[Article], dict[str, str]]:
    rows = _records(data / ECB, limit)
    return [_article(r, prefix="ecb:") for r in rows], {
        f"ecb:{r['id']}": str(r["cluster"]) for r in rows
    }


def topic_of(event_label: str) -> str:
    """ECB+ ``cluster`` is ``<topic>_ecb`` or ``<topic>_ecbplus``: the topic is the prefix."""
    return event_label.rsplit("_", 1)[0]


def timeline_articles(data: Path, limit: int | None) -> tuple[list[Article], dict[str, str]]:
    rows = _records(data / TIMELINES, None)
    if limit is not None:
        rows = random.Random(0).sample(rows, min(limit, len(rows)))
    return [_article(r, prefix=f"tl:{r['topic']}:") for r in rows], {
        f"tl:{r['topic']}:{r['id']}": str(r["topic"]) for r in rows
    }


# --- scores ----------------------------------------------------------------------------


def bcubed(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> tuple[float, ...]:
    """B-cubed precision, recall and F1 over the items of ``gold``."""
    items = list(gold)
    pair = Counter((gold[i], predicted[i]) for i in items)
    gold_size = Counter(gold[i] for i in items)
    pred_size = Counter(predicted[i] for i in items)
    p = sum(pair[(gold[i], predicted[i])] / pred_size[predicted[i]] for i in items) / len(items)
    r = sum(pair[(gold[i], predicted[i])] / gold_size[gold[i]] for i in items) / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def story_labels(stories: Iterable[Story]) -> tuple[dict[str, str], dict[str, str]]:
    story_of, event_of = {}, {}
    for story in stories:
        for article_id in story.article_ids:
            story_of[article_id] = story.id
        for event in story.events:
            for article_id in event.article_ids:
                event_of[article_id] = event.id
    return story_of, event_of


def _fmt(name: str, scores: Sequence[float]) -> str:
    p, r, f = scores
    return f"  {name:<44} P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


# --- baseline: TF-IDF + single link ------------------------------------------------------


def tfidf_single_link(articles: Sequence[Article], threshold: float) -> dict[str, int]:
    """Connected components of the graph with an edge where TF-IDF cosine >= threshold."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    from storyline._cluster_text import _WORD, STOP_WORDS

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, article in enumerate(articles):
        counts = Counter(
            w for w in (t.lower() for t in _WORD.findall(article.text)) if w not in STOP_WORDS
        )
        for word, n in counts.items():
            rows.append(i)
            cols.append(vocab.setdefault(word, len(vocab)))
            vals.append(1.0 + math.log(n))
    m = csr_matrix((vals, (rows, cols)), shape=(len(articles), len(vocab)))
    df = np.bincount(m.indices, minlength=len(vocab))
    m = m.multiply(np.log((1 + len(articles)) / (1 + df)) + 1).tocsr()
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    m = csr_matrix(m.multiply(1 / norms[:, None]))
    sims = m @ m.T
    sims.data[sims.data < threshold] = 0
    sims.eliminate_zeros()
    _, labels = connected_components(sims, directed=False)
    return {a.id: int(label) for a, label in zip(articles, labels, strict=True)}


# --- reports ---------------------------------------------------------------------------


def report_ecb(data: Path, limit: int | None, settings: ClusterSettings) -> None:
    articles, events = ecb_articles(data, limit)
    topics = {i: topic_of(e) for i, e in events.items()}
    print(
        f"ECB+: {len(articles)} documents, {len(set(topics.values()))} topics, "
        f"{len(set(events.values()))} events"
    )
    start = time.perf_counter()
    stories = cluster(articles, settings)
    elapsed = time.perf_counter() - start
    story_of, event_of = story_labels(stories)
    print(
        f"  storyline: {len(stories)} stories, "
        f"{sum(len(s.events) for s in stories)} events in {elapsed:.1f} s"
    )
    print(_fmt("storyline story level (topic)", bcubed(topics, story_of)))
    print(_fmt("storyline event level", bcubed(events, event_of)))
    for threshold in (0.3,):
        base = tfidf_single_link(articles, threshold)
        print(_fmt(f"baseline TF-IDF single-link @{threshold} story", bcubed(topics, base)))
        print(_fmt(f"baseline TF-IDF single-link @{threshold} event", bcubed(events, base)))
    for level, gold in (("story", topics), ("event", events)):
        best = max(
            ((t, bcubed(gold, tfidf_single_link(articles, t))) for t in _grid()),
            key=_by_f1,
        )
        print(_fmt(f"baseline oracle @{best[0]:.2f} {level}", best[1]))
    _check_incremental(articles, stories, settings)


def _grid() -> list[float]:
    return [round(0.1 + 0.05 * k, 2) for k in range(15)]


def _by_f1(item: tuple[float, tuple[float, ...]]) -> float:
    return item[1][2]


def _check_incremental(
    articles: Sequence[Article], batch: Sequence[Story], settings: ClusterSettings
) -> None:
    ordered = sorted(articles, key=_chronological)
    clusterer = Clusterer(settings)
    size = max(1, math.ceil(len(ordered) / 10))
    for k in range(0, len(ordered), size):
        clusterer.add(ordered[k : k + size])
    state = json.loads(json.dumps(clusterer.to_state()))
    restored = Clusterer.from_state(state, settings).stories()
    same = clusterer.stories() == tuple(batch) == restored
    print(
        f"  incremental (10 batches) == batch: {same}; state JSON round-trip equal: "
        f"{restored == clusterer.stories()}"
    )


def _chronological(article: Article) -> tuple[bool, str, str]:
    published = article.published.date.isoformat() if article.published else ""
    return (article.published is None, published, article.id)


def report_timelines(data: Path, limit: int | None, settings: ClusterSettings) -> None:
    articles, topics = timeline_articles(data, limit)
    merged = {i: t.split("_")[0] for i, t in topics.items()}
    print(f"Timeline17: {len(articles)} articles, {len(set(topics.values()))} topic folders")
    start = time.perf_counter()
    stories = cluster(articles, settings)
    elapsed = time.perf_counter() - start
    story_of, _ = story_labels(stories)
    sizes = sorted((len(s.article_ids) for s in stories), reverse=True)
    print(
        f"  storyline: {len(stories)} stories in {elapsed:.1f} s; largest {sizes[:8]}; "
        f"singletons {sizes.count(1)}"
    )
    print(_fmt("storyline story level (each folder a story)", bcubed(topics, story_of)))
    print(_fmt("storyline story level (H1N1 folders one story)", bcubed(merged, story_of)))
    for threshold in (0.3,):
        base = tfidf_single_link(articles, threshold)
        print(_fmt(f"baseline TF-IDF single-link @{threshold} (folders)", bcubed(topics, base)))
        print(_fmt(f"baseline TF-IDF single-link @{threshold} (H1N1 one)", bcubed(merged, base)))


# --- semantic signal: does a static word-vector model add to the lexical vectors? --------


def report_semantic(data: Path, limit: int | None, settings: ClusterSettings) -> None:
    """ROC AUC of same-topic / same-event decisions: lexical, word vectors, and both.

    Each ECB+ document gets the lexical vector the clusterer uses (corpus IDF) and a
    semantic one: the sum of its salient terms' word vectors (spaCy ``en_core_web_md``
    through ``storyline.models``) weighted like the lexical vector, unit length. AUC is
    measured over document pairs (same topic vs not; same event vs not inside a topic)
    and over gold-event centroids (same topic vs not: the story-merge decision).
    """
    import numpy as np

    from storyline._cluster_text import terms, weigh
    from storyline.errors import ModelError
    from storyline.models import spacy_pipeline

    try:
        nlp = spacy_pipeline()
    except ModelError as e:
        print(f"semantic: skipped ({e})")
        return
    table = nlp.vocab.vectors
    if table.shape[0] == 0:
        print(f"semantic: skipped (pipeline {nlp.meta['name']} has no word vectors)")
        return
    from spacy.strings import get_string_id

    articles, events = ecb_articles(data, limit)
    parsed = [terms(a, None) for a in articles]
    df: Counter[str] = Counter()
    for counts, _, title in parsed:
        df.update(counts.keys() | title)
    n = len(articles)
    lexical, semantic, missing, total = [], [], 0, 0
    for counts, names, title in parsed:
        idf = {t: math.log((n + 1) / (df[t] + 1)) + 1.0 for t in counts.keys() | title}
        vector = weigh(
            counts,
            names,
            title,
            idf,
            max_terms=settings.max_terms,
            title_weight=settings.title_weight,
            entity_weight=settings.story_entity_weight,
        )
        lexical.append(vector)
        dense = np.zeros(table.shape[1], dtype=np.float32)
        for term, weight in vector.items():
            row = table.key2row.get(get_string_id(term), -1)
            total += 1
            if row < 0:
                missing += 1
            else:
                dense += weight * table.data[row]
        semantic.append(dense / (np.linalg.norm(dense) or 1.0))
    print(
        f"Semantic signal on ECB+ ({nlp.meta['name']} {nlp.meta['version']}, "
        f"{table.shape[0]} vectors x {table.shape[1]}; {missing / total:.1%} of salient "
        "terms without a vector)"
    )
    ids = [a.id for a in articles]
    topic = np.array([topic_of(events[i]) for i in ids])
    event = np.array([events[i] for i in ids])
    upper = np.triu_indices(n, 1)
    same_topic = (topic[:, None] == topic[None, :])[upper]
    same_event = (event[:, None] == event[None, :])[upper]
    lex = _lexical_matrix(lexical)[upper]
    sem = (np.array(semantic) @ np.array(semantic).T)[upper]
    print("  ROC AUC                      pairs: topic  event-in-topic   event centroids: topic")
    gold = sorted(set(event))
    centroids = _event_centroids(gold, event, lexical, np.array(semantic))
    for name, weight in (("lexical", 0.0), ("word vectors", None), ("lexical + 0.1 vectors", 0.1)):
        pair = sem if weight is None else lex + weight * sem
        cen = centroids[1] if weight is None else centroids[0] + weight * centroids[1]
        print(
            f"  {name:<28} {_auc(same_topic, pair):.4f}  "
            f"{_auc(same_event[same_topic], pair[same_topic]):.4f}"
            f"          {_auc(centroids[2], cen):.4f}"
        )


def _lexical_matrix(vectors: Sequence[Mapping[str, float]]) -> Any:
    """Cosine of every pair of unit sparse vectors, through a sparse matrix product."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(weight)
    m = csr_matrix((vals, (rows, cols)), shape=(len(vectors), len(vocab)))
    return np.asarray((m @ m.T).todense())


def _event_centroids(gold: Sequence[str], event: Any, lexical: Any, semantic: Any) -> Any:
    """Pairwise lexical and semantic cosine of gold-event centroids, and same-topic flags."""
    import numpy as np

    lex_centroids, sem_centroids = [], []
    for label in gold:
        members = np.where(event == label)[0]
        total: Counter[str] = Counter()
        for i in members:
            total.update(lexical[i])
        norm = math.sqrt(sum(w * w for w in total.values()))
        lex_centroids.append({t: w / norm for t, w in total.items()})
        dense = semantic[members].sum(axis=0)
        sem_centroids.append(dense / np.linalg.norm(dense))
    upper = np.triu_indices(len(gold), 1)
    topics = np.array([topic_of(g) for g in gold])
    same = (topics[:, None] == topics[None, :])[upper]
    sem = np.array(sem_centroids)
    return _lexical_matrix(lex_centroids)[upper], (sem @ sem.T)[upper], same


def _auc(labels: Any, scores: Any) -> float:
    """ROC AUC (the Mann-Whitney statistic) of ``scores`` for boolean ``labels``."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    pos = int(labels.sum())
    neg = len(labels) - pos
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


# --- speed -----------------------------------------------------------------------------


def synthesise(data: Path, n: int, seed: int = 0) -> list[Article]:
    """``n`` articles resampled from both sets: 85 % of a source's words, a random date."""
    rng = random.Random(seed)
    sources = ecb_articles(data, None)[0] + timeline_articles(data, None)[0]
    day0 = PartialDate.from_iso("2020-01-01").date
    out = []
    for k in range(n):
        src = sources[rng.randrange(len(sources))]
        words = [w for w in src.text.split(" ") if rng.random() < 0.85]
        date = PartialDate(date=day0.fromordinal(day0.toordinal() + rng.randrange(730)))
        out.append(dataclasses.replace(src, id=f"syn{k}", text=" ".join(words), published=date))
    return out


def speed_child(data: Path, n: int, cluster_settings: ClusterSettings) -> dict[str, Any]:
    articles = synthesise(data, n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    unique = dedupe(articles, DedupeSettings())
    t_dedupe, cpu_dedupe = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    stories = cluster(unique, cluster_settings)
    t_cluster, cpu_cluster = time.perf_counter() - start, time.process_time() - cpu
    return {
        "n": n,
        "dedupe_s": t_dedupe,
        "cluster_s": t_cluster,
        "dedupe_cpu_s": cpu_dedupe,
        "cluster_cpu_s": cpu_cluster,
        "duplicates": sum(a.duplicate_of is not None for a in unique),
        "stories": len(stories),
        "rss_before_mb": rss_before,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report_speed(data: Path, sizes: Sequence[int], overrides: Sequence[str]) -> None:
    print(f"Speed (load average before: {_load()})")
    results = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--child", str(n), "--data", str(data)]
        for item in overrides:
            cmd += ["--set", item]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results.append(r)
        total = r["dedupe_s"] + r["cluster_s"]
        print(
            f"  {n:>7} articles: dedupe {r['dedupe_s']:7.1f} s ({n / r['dedupe_s']:6.0f}/s)"
            f"  cluster {r['cluster_s']:7.1f} s ({n / r['cluster_s']:6.0f}/s)"
            f"  total {n / total:6.0f}/s  CPU dedupe {r['dedupe_cpu_s']:.1f} s"
            f" cluster {r['cluster_cpu_s']:.1f} s  peak RSS {r['peak_mb']:.0f} MB"
            f" (data alone {r['rss_before_mb']:.0f} MB)  stories {r['stories']}"
            f"  load {_load()}"
        )
    if len(results) >= 2:
        a, b = results[0], results[-1]
        ratio = (b["dedupe_s"] + b["cluster_s"]) / (a["dedupe_s"] + a["cluster_s"])
        print(
            f"  time ratio {b['n']}/{a['n']} articles: {ratio:.1f} "
            f"(linear would be {b['n'] / a['n']:.0f}); CPU-time ratios, which a busy "
            f"machine disturbs less: dedupe {b['dedupe_cpu_s'] / a['dedupe_cpu_s']:.1f}, "
            f"cluster {b['cluster_cpu_s'] / a['cluster_cpu_s']:.1f}"
        )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- main ------------------------------------------------------------------------------


def _settings(overrides: Sequence[str]) -> ClusterSettings:
    loaded = settings_module.load_settings(overrides=[f"cluster.{o}" for o in overrides])
    return loaded.cluster


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--only", choices=["quality", "semantic", "speed"], help="run one part")
    parser.add_argument("--limit", type=int, help="first N documents of each set")
    parser.add_argument("--sizes", default="10000,100000", help="synthetic corpus sizes")
    parser.add_argument("--set", action="append", default=[], help="cluster setting k=v")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (args.data / ECB).is_file() or not (args.data / TIMELINES).is_file():
        print(f"skipped: evaluation data not found under {args.data} (use --data)")
        return 0
    settings = _settings(args.set)
    if args.child is not None:
        print(json.dumps(speed_child(args.data, args.child, settings)))
        return 0
    print(f"cluster settings: {dataclasses.asdict(settings)}; load average {_load()}")
    if args.only in (None, "quality"):
        report_ecb(args.data, args.limit, settings)
        report_timelines(args.data, args.limit, settings)
    if args.only in (None, "semantic"):
        report_semantic(args.data, args.limit, settings)
    if args.only in (None, "speed"):
        report_speed(args.data, [int(s) for s in args.sizes.split(",")], args.set)
    return 0


if __name__ == "__main__":
    sys.exit(main())
