"""CPU per article of the annotation stage (NER and quotes), in one process.

Run it from the repository root::

    .venv/bin/python benchmarks/annotate_speed.py
    .venv/bin/python benchmarks/annotate_speed.py --set extract.ner_context=6 --ecb 300

The texts: the distinct articles of PolNeAR dev (``quotes/polnear_dev.jsonl.gz``, about
800 words each) and the first ``--ecb`` ECB+ documents
(``clustering/ecbplus_event_clusters.jsonl.gz``), under ``../shared/data``; each goes
through the per-article stages first (:func:`storyline.pipeline.process_record`). Then
:func:`storyline.extract.annotate.annotate` runs over them in batches of
``extract.batch_size``, twice:

* ``first pass``: what new text costs: spaCy's vocabulary meets most words for the first
  time (a long run sees fewer new words as it goes, so this is an upper bound);
* ``second pass``: the same texts again after NER's window memo is emptied, so NER reads
  every window again but the vocabulary is warm: the steady cost of NER and quotes;
* ``memo pass``: the same texts a third time with the memo kept: what a syndicated copy
  costs.

Figures are CPU milliseconds per article (``time.process_time``, which the machine's
other load disturbs less than wall time) and articles/s of wall time; the load average
is printed. The model is loaded before timing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from storyline.extract import annotate as annotate_module
from storyline.model import Article, Document
from storyline.models import attribution_model, spacy_pipeline
from storyline.pipeline import process_record
from storyline.settings import load_settings

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def articles(data: Path, ecb: int) -> list[Article]:
    """The processed texts (see the module docstring)."""
    docs: list[Document] = []
    with gzip.open(data / "quotes" / "polnear_dev.jsonl.gz", "rt", encoding="utf-8") as f:
        seen: set[str] = set()
        for line in f:
            rec = json.loads(line)
            if rec["article"] not in seen:
                seen.add(rec["article"])
                docs.append(
                    Document(
                        source=rec["article"],
                        content=rec["text"],
                        content_type="text",
                        id=rec["article"],
                        title=rec.get("title"),
                        published=rec.get("date"),
                    )
                )
    with gzip.open(data / "clustering" / "ecbplus_event_clusters.jsonl.gz", "rt") as f:
        for n, line in enumerate(f):
            if n >= ecb:
                break
            text = json.loads(line)["text"]
            docs.append(Document(source=f"ecb{n}", content=text, content_type="text", id=f"e{n}"))
    out = []
    for doc in docs:
        item = process_record(doc, settings=load_settings())
        if isinstance(item, Article):
            out.append(item)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Time the passes and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--ecb", type=int, default=150, help="ECB+ documents added")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="k=v")
    args = parser.parse_args(argv)
    if not (args.data / "quotes" / "polnear_dev.jsonl.gz").is_file():
        print(f"no PolNeAR data under {args.data}; nothing measured")
        return 0
    settings = load_settings(overrides=args.overrides)
    texts = articles(args.data, args.ecb)
    spacy_pipeline(settings.models.spacy)
    attribution_model()
    size = settings.extract.batch_size
    words = sum(len(a.text.split()) for a in texts) // len(texts)
    print(f"{len(texts)} articles, {words} words each; settings {args.overrides or 'default'}")
    seen = getattr(annotate_module, "_SEEN", {})
    for name in ("first pass", "second pass", "memo pass"):
        if name == "second pass":
            seen.clear()
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), size):
            annotate_module.annotate(texts[i : i + size], settings)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{name:<12} {cpu * 1000 / len(texts):6.1f} ms CPU/article "
            f"{len(texts) / wall:6.1f} articles/s"
        )
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
