"""Quality, speed and memory of the dedupe and cluster stages.

Run it from the repository root::

    .venv/bin/python benchmarks/clustering.py                 # everything
    .venv/bin/python benchmarks/clustering.py --only quality --no-ner
    .venv/bin/python benchmarks/clustering.py --only pile --show 20
    .venv/bin/python benchmarks/clustering.py --only speed --sizes 2000,10000
    .venv/bin/python benchmarks/clustering.py --set story_threshold=0.25

What it measures (every figure twice when NER is on: with the pipeline's NER annotations,
computed by storyline and cached under ``$STORYLINE_BENCH_CACHE`` or /tmp/storyline-bench,
and without; ``--no-ner`` skips the first):

* ``ecbplus``: ``clustering/ecbplus_event_clusters.jsonl.gz`` (982 news documents, 43
  topics of two similar events each; no titles, no dates). B-cubed precision, recall and
  F1 at story level (gold: the topic) and event level (gold: ``cluster``), on the odd
  topics (tuned on) and the even ones (held out), beside a TF-IDF single-link baseline.
* ``timeline17``: ``timelines/timeline17_articles.jsonl.gz`` (843 dated articles, 5
  folders spanning up to 2.5 years): story-level B-cubed with the three H1N1 folders (one
  real-world story told by three outlets) counted as one story, and with each folder a
  story; haiti_bbc, H1N1_bbc and H1N1_guardian tuned on, MJ_bbc and H1N1_reuters held out.
* ``pile``: ``extraction/trafilatura_eval.jsonl.gz`` (990 real pages from many sites and
  languages, nearly all unrelated), cleaned by storyline's own per-article stages: the
  share of pages in multi-article stories, the largest story, and ``--show`` of the
  multi-article stories (languages and titles) to read and judge.
* ``combined``: the pile and Timeline17 clustered together: how many pile pages land in a
  story with Timeline17 articles (unrelated pages joining real stories), and Timeline17's
  B-cubed in that company.
* ``incremental``: ECB+ and Timeline17 added in ten batches in publication order, each
  batch consolidated and the state written to and read back from rows, against one
  batch; and ten shuffled batches (where arrival order matters: the agreement is shown).
* ``semantic``: ROC AUC on ECB+ of same-topic / same-event decisions for article pairs
  and gold-event centroids: the lexical vectors, spaCy ``en_core_web_md`` word vectors
  (through ``storyline.models``), and both. Skipped without a pipeline with vectors.
* ``speed``: ``N`` synthetic articles (``--sizes``, default 10000,100000) resampled from
  ECB+ and Timeline17: a random 85 % of each source's words, a random date over two
  years. Each size runs in a fresh subprocess; it reports dedupe and cluster time (wall
  and CPU), articles/s, peak RSS and PSS of that process, and the load average.

``--limit N`` takes the first ``N`` documents of each set. Without ``../shared/data``
(or ``--data``) the script prints a note and exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from _cluster_data import (
    DATA,
    ECB,
    PILE,
    TIMELINES,
    TL_TUNED,
    annotations_for,
    bcubed,
    ecb_articles,
    ecb_tuned,
    fmt,
    load,
    pile_articles,
    pss_mb,
    story_labels,
    timeline_articles,
    topic_of,
)
from storyline import settings as settings_module
from storyline.cluster import Clusterer, MemoryClusterState, cluster
from storyline.dedupe import dedupe
from storyline.model import Annotations, Article, PartialDate, Story
from storyline.settings import ClusterSettings, DedupeSettings

Notes = Mapping[str, Annotations] | None


# --- baseline: TF-IDF + single link ------------------------------------------------------


def tfidf_single_link(articles: Sequence[Article], threshold: float) -> dict[str, int]:
    """Connected components of the graph with an edge where TF-IDF cosine >= threshold."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    from storyline.text import terms

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, article in enumerate(articles):
        counts = Counter(t.term for t in terms(article.text, article.language))
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


def _timed(articles: Sequence[Article], settings: ClusterSettings, notes: Notes) -> Any:
    start = time.perf_counter()
    stories = cluster(articles, settings, annotations=notes)
    return stories, time.perf_counter() - start


def report_ecb(data: Path, limit: int | None, settings: ClusterSettings, ner: bool) -> None:
    articles, events = ecb_articles(data, limit)
    topics = {i: topic_of(e) for i, e in events.items()}
    tuned = {i for i, t in topics.items() if ecb_tuned(t)}
    print(
        f"ECB+: {len(articles)} documents, {len(set(topics.values()))} topics, "
        f"{len(set(events.values()))} events; odd topics tuned on, even ones held out"
    )
    for label, notes in _variants("ecb", articles, ner):
        stories, elapsed = _timed(articles, settings, notes)
        story_of, event_of = story_labels(stories)
        print(
            f"  storyline {label}: {len(stories)} stories, "
            f"{sum(len(s.events) for s in stories)} events in {elapsed:.1f} s"
        )
        for name, gold in (("story (topic)", topics), ("event", events)):
            print(fmt(f"{name}, all", bcubed(gold, story_of if gold is topics else event_of)))
            for part, among in (("tuned", tuned.__contains__), ("held out", _not(tuned))):
                pred = story_of if gold is topics else event_of
                print(fmt(f"{name}, {part}", bcubed(gold, pred, among)))
    base = tfidf_single_link(articles, 0.3)
    print(fmt("baseline TF-IDF single-link @0.3 story", bcubed(topics, base)))
    print(fmt("baseline TF-IDF single-link @0.3 event", bcubed(events, base)))


def _not(items: set[str]) -> Any:
    return lambda i: i not in items


def _variants(name: str, articles: Sequence[Article], ner: bool) -> list[tuple[str, Notes]]:
    out: list[tuple[str, Notes]] = [("without NER", None)]
    if ner:
        out.insert(0, ("with NER", annotations_for(name, articles)))
    return out


def report_timelines(data: Path, limit: int | None, settings: ClusterSettings, ner: bool) -> None:
    articles, folders = timeline_articles(data, limit)
    merged = {i: t.split("_")[0] for i, t in folders.items()}
    tuned = {i for i, t in folders.items() if t in TL_TUNED}
    print(
        f"Timeline17: {len(articles)} articles, {len(set(folders.values()))} folders; "
        f"tuned on {', '.join(sorted(TL_TUNED))}, the others held out"
    )
    for label, notes in _variants("tl", articles, ner):
        stories, elapsed = _timed(articles, settings, notes)
        story_of, _ = story_labels(stories)
        sizes = sorted((len(s.article_ids) for s in stories), reverse=True)
        print(
            f"  storyline {label}: {len(stories)} stories in {elapsed:.1f} s; largest "
            f"{sizes[:6]}; singletons {sizes.count(1)}"
        )
        print(fmt("story (H1N1 folders one story), all", bcubed(merged, story_of)))
        print(
            fmt(
                "story (H1N1 folders one story), tuned",
                bcubed(merged, story_of, tuned.__contains__),
            )
        )
        print(
            fmt("story (H1N1 folders one story), held out", bcubed(merged, story_of, _not(tuned)))
        )
        print(fmt("story (each folder a story), all", bcubed(folders, story_of)))
    base = tfidf_single_link(articles, 0.3)
    print(fmt("baseline TF-IDF single-link @0.3 (H1N1 one)", bcubed(merged, base)))


def report_pile(
    data: Path, limit: int | None, settings: ClusterSettings, ner: bool, show: int
) -> None:
    articles = pile_articles(data, limit)
    languages = Counter(a.language for a in articles).most_common(5)
    print(f"Mixed pile: {len(articles)} pages cleaned by storyline; languages {languages}")
    by_id = {a.id: a for a in articles}
    for label, notes in _variants("pile", articles, ner):
        stories, elapsed = _timed(articles, settings, notes)
        multi = [s for s in stories if len(s.article_ids) > 1]
        placed = sum(len(s.article_ids) for s in multi)
        print(
            f"  {label}: {placed} of {len(articles)} pages ({placed / len(articles):.1%}) in "
            f"{len(multi)} multi-article stories; largest {len(stories[0].article_ids)}; "
            f"{elapsed:.1f} s"
        )
        for story in multi[:show]:
            titles = "; ".join(
                f"[{by_id[i].language}] {(by_id[i].title or by_id[i].text[:60])[:60]}"
                for i in story.article_ids[:6]
            )
            print(f"    {len(story.article_ids):>3}: {titles}")


def report_combined(data: Path, limit: int | None, settings: ClusterSettings, ner: bool) -> None:
    pile = pile_articles(data, limit)
    news, folders = timeline_articles(data, limit)
    merged = {i: t.split("_")[0] for i, t in folders.items()}
    print(f"Combined: {len(pile)} pile pages + {len(news)} Timeline17 articles")
    for label, notes in _variants("pile", pile, ner):
        both: dict[str, Annotations] | None = None
        if notes is not None:
            both = {**notes, **annotations_for("tl", news)}
        stories, _ = _timed([*pile, *news], settings, both)
        story_of, _ = story_labels(stories)
        real = {story_of[a.id] for a in news}
        joined = sum(story_of[a.id] in real for a in pile)
        gold = {**merged, **{a.id: f"pile:{a.id}" for a in pile}}
        print(
            f"  {label}: {joined} pile pages in stories with Timeline17 articles; "
            f"pile pages in multi-article stories: "
            f"{sum(Counter(story_of.values())[story_of[a.id]] > 1 for a in pile)}"
        )
        print(
            fmt(
                "Timeline17 story (H1N1 one) among the pile",
                bcubed(gold, story_of, merged.__contains__),
            )
        )
        print(fmt("every item (pile pages their own story)", bcubed(gold, story_of)))


def report_incremental(data: Path, limit: int | None, settings: ClusterSettings) -> None:
    for name, articles in (
        ("ECB+", ecb_articles(data, limit)[0]),
        ("Timeline17", timeline_articles(data, limit)[0]),
    ):
        batch = cluster(articles, settings)
        ordered = sorted(articles, key=_chronological)
        same = _in_batches(ordered, settings) == batch
        shuffled = list(articles)
        random.Random(1).shuffle(shuffled)
        other = _in_batches(shuffled, settings)
        gold, pred = story_labels(batch)[0], story_labels(other)[0]
        print(
            f"  {name}: 10 batches in publication order, consolidated and stored each "
            f"time == one batch: {same}; 10 shuffled batches: B-cubed F1 against one "
            f"batch {bcubed(gold, pred)[2]:.3f}"
        )


def _in_batches(articles: Sequence[Article], settings: ClusterSettings) -> tuple[Story, ...]:
    state = MemoryClusterState()
    size = max(1, math.ceil(len(articles) / 10))
    for k in range(0, len(articles), size):
        clusterer = Clusterer(settings, state=state)  # rows read back each time
        clusterer.add(articles[k : k + size], annotations={})
        clusterer.consolidate()
        clusterer.flush()
    return Clusterer(settings, state=state).stories()


def _chronological(article: Article) -> tuple[bool, str, str]:
    published = article.published.date.isoformat() if article.published else ""
    return (article.published is None, published, article.id)


# --- semantic signal: does a static word-vector model add to the lexical vectors? --------


def report_semantic(data: Path, limit: int | None, settings: ClusterSettings) -> None:
    """ROC AUC of same-topic / same-event decisions: lexical, word vectors, and both."""
    import numpy as np

    from storyline._cluster_text import features, weigh
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
    parsed = [features(a, None) for a in articles]
    df: Counter[str] = Counter()
    for found in parsed:
        df.update(found.counts.keys() | found.title)
    n = len(articles)
    lexical, semantic, missing, total = [], [], 0, 0
    for found in parsed:
        idf = {t: math.log((n + 1) / (df[t] + 1)) + 1.0 for t in found.counts.keys() | found.title}
        vector = weigh(
            found,
            idf,
            max_terms=settings.max_terms,
            title_weight=settings.title_weight,
            entity_weight=settings.entity_weight,
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
        summed: Counter[str] = Counter()
        for i in members:
            summed.update(lexical[i])
        norm = math.sqrt(sum(w * w for w in summed.values()))
        lex_centroids.append({t: w / norm for t, w in summed.items()})
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
    pss_before = pss_mb()
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
        "pss_before_mb": pss_before,
        "pss_mb": pss_mb(),
    }


def report_speed(data: Path, sizes: Sequence[int], overrides: Sequence[str]) -> None:
    print(f"Speed (load average before: {load()})")
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
            f" cluster {r['cluster_cpu_s']:.1f} s ({n / r['cluster_cpu_s']:.0f}/CPU s)"
            f"  peak RSS {r['peak_mb']:.0f} MB (data alone {r['rss_before_mb']:.0f} MB),"
            f" PSS at end {r['pss_mb'] or 0:.0f} MB (data alone {r['pss_before_mb'] or 0:.0f})"
            f"  stories {r['stories']}  load {load()}"
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


# --- main ------------------------------------------------------------------------------


def _settings(overrides: Sequence[str]) -> ClusterSettings:
    loaded = settings_module.load_settings(overrides=[f"cluster.{o}" for o in overrides])
    return loaded.cluster


PARTS = ("quality", "pile", "combined", "incremental", "semantic", "speed")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--only", choices=PARTS, help="run one part")
    parser.add_argument("--limit", type=int, help="first N documents of each set")
    parser.add_argument("--sizes", default="10000,100000", help="synthetic corpus sizes")
    parser.add_argument("--set", action="append", default=[], help="cluster setting k=v")
    parser.add_argument("--no-ner", action="store_true", help="skip the runs with NER")
    parser.add_argument("--show", type=int, default=15, help="pile stories to print")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not all((args.data / p).is_file() for p in (ECB, TIMELINES, PILE)):
        print(f"skipped: evaluation data not found under {args.data} (use --data)")
        return 0
    settings = _settings(args.set)
    if args.child is not None:
        print(json.dumps(speed_child(args.data, args.child, settings)))
        return 0
    print(f"cluster settings: {dataclasses.asdict(settings)}; load average {load()}")
    ner = not args.no_ner
    run = {p: args.only in (None, p) for p in PARTS}
    if run["quality"]:
        report_ecb(args.data, args.limit, settings, ner)
        report_timelines(args.data, args.limit, settings, ner)
    if run["pile"]:
        report_pile(args.data, args.limit, settings, ner, args.show)
    if run["combined"]:
        report_combined(args.data, args.limit, settings, ner)
    if run["incremental"]:
        print("Incremental == batch:")
        report_incremental(args.data, args.limit, settings)
    if run["semantic"]:
        report_semantic(args.data, args.limit, settings)
    if run["speed"]:
        report_speed(args.data, [int(s) for s in args.sizes.split(",")], args.set)
    return 0


if __name__ == "__main__":
    sys.exit(main())
