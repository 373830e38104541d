"""Data, caches and scores for ``benchmarks/clustering.py`` (see its docstring)."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storyline.model import Annotations, Article, Document, PartialDate, Story

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ECB = Path("clustering/ecbplus_event_clusters.jsonl.gz")
TIMELINES = Path("timelines/timeline17_articles.jsonl.gz")
PILE = Path("extraction/trafilatura_eval.jsonl.gz")
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))

# The fixed split every threshold and weight was chosen on (see docs/stages/clustering.md):
# odd ECB+ topics and these Timeline17 folders are tuned on; the rest is held out.
TL_TUNED = frozenset({"haiti_bbc", "H1N1_bbc", "H1N1_guardian"})


def records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
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
    rows = records(data / ECB, limit)
    return [_article(r, prefix="ecb:") for r in rows], {
        f"ecb:{r['id']}": str(r["cluster"]) for r in rows
    }


def topic_of(event_label: str) -> str:
    """ECB+ ``cluster`` is ``<topic>_ecb`` or ``<topic>_ecbplus``: the topic is the prefix."""
    return event_label.rsplit("_", 1)[0]


def ecb_tuned(topic: str) -> bool:
    return int(topic) % 2 == 1


def timeline_articles(data: Path, limit: int | None) -> tuple[list[Article], dict[str, str]]:
    rows = records(data / TIMELINES)
    if limit is not None:
        rows = random.Random(0).sample(rows, min(limit, len(rows)))
    return [_article(r, prefix=f"tl:{r['topic']}:") for r in rows], {
        f"tl:{r['topic']}:{r['id']}": str(r["topic"]) for r in rows
    }


def pile_articles(data: Path, limit: int | None) -> list[Article]:
    """The mixed pile's pages cleaned by storyline itself (cached: cleaning takes minutes)."""
    from storyline.dedupe import dedupe
    from storyline.pipeline import process_record
    from storyline.settings import DEFAULTS

    cached = CACHE / f"pile-{limit}.pickle"
    if cached.is_file():
        articles: list[Article] = pickle.loads(cached.read_bytes())
        return articles
    articles = []
    for row in records(data / PILE, limit):
        document = Document(
            source=row["id"], content=row["html"], content_type="html", id=row["id"], url=row["url"]
        )
        item = process_record(document, settings=DEFAULTS)
        if isinstance(item, Article):
            articles.append(item)
    articles = list(dedupe(articles, DEFAULTS.dedupe))
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(articles))
    return articles


def annotations_for(name: str, articles: Sequence[Article]) -> dict[str, Annotations]:
    """storyline's NER annotations of ``articles`` (cached under ``CACHE`` by set name)."""
    from storyline.extract.annotate import annotate
    from storyline.settings import DEFAULTS

    cached = CACHE / f"notes-{name}-{len(articles)}.pickle"
    if cached.is_file():
        notes: dict[str, Annotations] = pickle.loads(cached.read_bytes())
        return notes
    notes = {}
    for i in range(0, len(articles), 64):
        notes.update((n.article_id, n) for n in annotate(list(articles[i : i + 64]), DEFAULTS))
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(notes))
    return notes


def bcubed(
    gold: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
    among: Callable[[str], bool] | None = None,
) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1, averaged over the items of ``gold`` ``among``
    selects (all by default); clusters are counted over every item of ``gold``."""
    items = [i for i in gold if among is None or among(i)]
    pair = Counter((gold[i], predicted[i]) for i in gold)
    gold_size = Counter(gold.values())
    pred_size = Counter(predicted[i] for i in gold)
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


def fmt(name: str, scores: Sequence[float]) -> str:
    p, r, f = scores
    return f"  {name:<48} P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pss_mb() -> float | None:
    """This process's proportional set size, in MB."""
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1e3
    except (OSError, ValueError):
        return None
    return None
