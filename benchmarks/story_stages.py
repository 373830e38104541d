"""Milliseconds per article of each story stage, on one big story of real news.

Run it from the repository root::

    .venv/bin/python benchmarks/story_stages.py                    # a 200-article story
    .venv/bin/python benchmarks/story_stages.py --articles 800 --repeat 3
    .venv/bin/python benchmarks/story_stages.py --profile summary  # cProfile of one stage
    .venv/bin/python benchmarks/story_stages.py --dump out.json    # the stages' output

The story: ``--articles`` Timeline17 articles (``../shared/data/timelines``, BBC, Guardian
and Reuters coverage of the H1N1 pandemic, the Haiti earthquake and Michael Jackson's
death; about 600 words each), taken in file order from ``--topic`` (a topic prefix, default
``haiti``, whose 296 articles make one real story) and, past its end, from the other topics,
each copy under a new id, so one story holds them all as the pipeline would hand it over.
Each article goes through the per-article stages as ``storyline run`` does (cleaning,
dates: :func:`storyline.pipeline.process_record`) and annotation (NER and quotes,
:func:`storyline.extract.annotate.annotate`); annotations are cached in ``--cache`` by
article text and ``ANNOTATION_VERSION`` (NER on 200 articles takes a minute), so stage
timings can be repeated quickly.

The stages then run on the story ``--repeat`` times in the pipeline's order, each pass
after storyline's memo caches are emptied (so a pass pays what one story pays; the fastest
pass of each stage is kept, as the machine may be shared; the load average is printed, and
the CPU time of the process beside the wall time, as it varies less with the load):
``title``, ``entities``, ``quotes``
(as the pipeline calls it, with the story's entities not yet set, so it finds them again),
``timeline``, ``claims`` and ``summary``, each with the default settings. Figures are
milliseconds per article of the story. The aim from issue 13 is far below 10 ms an article
per stage; it is printed beside the figures and never changes them.

``--dump`` writes every stage's output (``to_dict``) to a JSON file, so that two versions
of the code can be compared on the same story (``cmp``).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import json
import os
import pickle
import pstats
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storyline.compare import compare
from storyline.extract.annotate import ANNOTATION_VERSION, annotate
from storyline.extract.entities import story_entities
from storyline.extract.quotes import story_quotes
from storyline.model import Annotations, Article, Document, Story, to_dict
from storyline.pipeline import process_record
from storyline.settings import DEFAULTS, Settings
from storyline.summarize import summarize
from storyline.timeline import build_timeline
from storyline.title import story_title
from timelines import detokenize  # benchmarks/timelines.py: Timeline17 is PTB-tokenised

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timelines"
DEFAULT_CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "storyline-story-stages.pickle"
AIM_MS = 10.0

Stage = Callable[[Story, Mapping[str, Article], Mapping[str, Annotations], Settings], Any]
STAGES: dict[str, Stage] = {
    "title": lambda s, a, n, st: story_title(s, a),
    "entities": story_entities,
    "quotes": story_quotes,
    "timeline": lambda s, a, n, st: build_timeline(s, a, st.timeline),
    "claims": lambda s, a, n, st: compare(s, a, st.compare),
    "summary": lambda s, a, n, st: summarize(s, a, st.summary),
}


def load_articles(data: Path, topic: str, count: int) -> list[Article]:
    """``count`` processed articles, those of ``topic`` first, copies past the data's end."""
    with gzip.open(data / "timeline17_articles.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    records.sort(key=lambda r: not r["topic"].lower().startswith(topic.lower()))
    articles: list[Article] = []
    copy = 0
    while len(articles) < count:
        for rec in records:
            if len(articles) == count:
                break
            suffix = f" (copy {copy})" if copy else ""
            doc = Document(
                source=f"{rec['topic']}/{rec['id']}{suffix}",
                content=detokenize(rec["text"]) + (f"\n\nCopy {copy}." if copy else ""),
                content_type="text",
                id=f"{rec['topic']}-{rec['id']}-{copy}",
                published=rec["date"],
                outlet=rec["topic"].split("_")[-1],
            )
            item = process_record(doc, settings=DEFAULTS)
            if isinstance(item, Article):
                articles.append(item)
        copy += 1
    return articles


def annotations(articles: Sequence[Article], cache: Path) -> dict[str, Annotations]:
    """Annotations of ``articles`` by id, from ``cache`` when it holds them."""
    key = hashlib.blake2b(digest_size=16)
    key.update(str(ANNOTATION_VERSION).encode())
    for article in articles:
        key.update(article.id.encode() + article.text.encode())
    stored: dict[str, Any] = {}
    if cache.is_file():
        with cache.open("rb") as f:
            stored = pickle.load(f)
    if stored.get("key") != key.hexdigest():
        notes = annotate(articles, DEFAULTS)
        stored = {"key": key.hexdigest(), "notes": {n.article_id: n for n in notes}}
        with cache.open("wb") as f:
            pickle.dump(stored, f)
    result: dict[str, Annotations] = stored["notes"]
    return result


def clear_caches() -> None:
    """Empty storyline's bounded memo caches of texts and words, so each pass pays what one
    story's stages pay (the unbounded ``functools.cache`` of models and locale data stays
    warm, as it does in a worker)."""
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith("storyline"):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and info().maxsize is not None:
                value.cache_clear()


def main(argv: Sequence[str] | None = None) -> int:
    """Time every story stage on one big story and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Timeline17 folder")
    parser.add_argument("--topic", default="haiti", help="topic prefix taken first")
    parser.add_argument("--articles", type=int, default=200, help="articles in the story")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; fastest kept")
    parser.add_argument("--only", nargs="*", choices=sorted(STAGES), help="stages to time")
    parser.add_argument("--profile", choices=sorted(STAGES), help="cProfile one stage")
    parser.add_argument("--dump", type=Path, help="write every stage's output here (JSON)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="annotation cache")
    args = parser.parse_args(argv)
    if not (args.data / "timeline17_articles.jsonl.gz").is_file():
        print(f"no Timeline17 data in {args.data}; nothing measured")
        return 0
    articles = load_articles(args.data, args.topic, args.articles)
    notes = annotations(articles, args.cache)
    by_id = {a.id: a for a in articles}
    story = Story(id="story", title="", article_ids=tuple(by_id))
    n = len(articles)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(STAGES[args.profile], story, by_id, notes, DEFAULTS)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return 0
    outputs: dict[str, Any] = {}
    print(f"story of {n} articles, {sum(len(a.text.split()) for a in articles) // n} words each")
    print(f"{'stage':<10} {'wall ms/a':>10} {'cpu ms/a':>10}   aim: far below {AIM_MS:g} ms")
    best = dict.fromkeys(args.only or STAGES, float("inf"))
    cpu = dict.fromkeys(best, float("inf"))
    for _ in range(args.repeat):  # passes in pipeline order, each from cold caches
        clear_caches()
        for name in best:
            start, start_cpu = time.perf_counter(), time.process_time()
            outputs[name] = STAGES[name](story, by_id, notes, DEFAULTS)
            best[name] = min(best[name], time.perf_counter() - start)
            cpu[name] = min(cpu[name], time.process_time() - start_cpu)
    for name, seconds in best.items():
        print(f"{name:<10} {seconds * 1000 / n:>10.2f} {cpu[name] * 1000 / n:>10.2f}")
    total, total_cpu = sum(best.values()), sum(cpu.values())
    print(f"{'all':<10} {total * 1000 / n:>10.2f} {total_cpu * 1000 / n:>10.2f}")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    if args.dump:
        dumped = {
            name: [to_dict(item) for item in value]
            if isinstance(value, tuple)
            else (value if isinstance(value, str) else to_dict(value))
            for name, value in outputs.items()
        }
        args.dump.write_text(json.dumps(dumped, indent=1, sort_keys=True), encoding="utf-8")
        print(f"outputs written to {args.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
