"""Score quote attribution on PolNeAR and time the annotation stage.

Usage::

    python benchmarks/quotes.py [--data DIR] [--split dev] [--model auto] [--skip N] [--limit N]
                                [--workers 2] [--no-speed]

Reads ``quotes/polnear_<split>.jsonl.gz`` under ``--data`` (default ``../shared/data``
beside the repository) and exits 0 with a message when it is absent.

Scoring. Every predicted quote is matched to the annotated attribution whose content
spans overlap it most (all its evidence spans: a quote run over paragraphs or split by
"she continued" is one prediction). Two scopes are reported: **direct** (attributions whose content
is a direct quote) and **all** attributions. In a scope:

- source precision = predicted quotes with a right speaker / predicted quotes counted
  (those matched to an attribution in scope, plus those matched to none);
- source recall = attributions in scope covered by a prediction (any overlap) whose
  speaker is right for them / all of them: a quote spanning two annotated attributions
  (a passage over two paragraphs annotated paragraph by paragraph) can find both;
- a speaker is right when a span of ``speaker_evidence`` overlaps the annotated source
  span, or the resolved name shares a capitalised word with the source text or with its
  named antecedent (the nearest earlier annotated source that is a name, for a pronoun or
  description);
- content precision = characters of each prediction inside attributions in scope;
  content recall = characters of each attribution inside any prediction (quote marks
  stripped from the gold).

Speed is ``annotate`` articles/s, in-process and with ``--workers`` processes. PolNeAR
has one record per annotator, so an article's text can come more than once: NER reads
its windows once per process (``annotate``'s window memo), as it would read a syndicated
copy's. The memo is emptied before the workers fork, so they start without it.

``--run`` scores the output of ``storyline run`` (:mod:`_quotes_run`) on the same records
with the same scorer: the whole pipeline, where cleaning, clustering and the story stages
(merging statements across articles, voting their speakers) come in.

``--split`` takes ``dev``, ``train``, or train's ``unseen`` slice (never trained nor
tuned on) and ``fit`` part (what the attribution models learn from); see ``_polnear.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from _polnear import DATA, SPLITS, load_split, polnear_path
from _quotes_run import run_annotations
from storyline.extract.annotate import _SEEN, annotate
from storyline.model import Annotations, Article
from storyline.settings import DEFAULTS, ModelSettings, Settings

_NAME_WORD = re.compile(r"\b[A-Z][a-zA-Z'\u2019-]{2,}")
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "their"])
_MARKS = " \"'\u201c\u201d\u2018\u2019\n\t"


@dataclass
class Tally:
    """Counts for one scope."""

    predicted: int = 0
    right: int = 0
    gold: int = 0
    gold_found: int = 0
    pred_chars: int = 0
    gold_chars: int = 0
    overlap_pred: int = 0
    overlap_gold: int = 0
    missed: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        p = self.right / self.predicted if self.predicted else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        cp = self.overlap_pred / self.pred_chars if self.pred_chars else 0.0
        cr = self.overlap_gold / self.gold_chars if self.gold_chars else 0.0
        cf = 2 * cp * cr / (cp + cr) if cp + cr else 0.0
        return (
            f"{name:<7} source P {p:.3f} R {r:.3f} F1 {f:.3f}   "
            f"content P {cp:.3f} R {cr:.3f} F1 {cf:.3f}   "
            f"(predicted {self.predicted}, gold {self.gold})"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--split", default="dev", choices=SPLITS, help="dev, train, or its unseen/fit parts"
    )
    parser.add_argument("--model", default="auto", help="models.spacy (auto, or a name)")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N records")
    parser.add_argument("--limit", type=int, default=0, help="score only N records")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--show-errors", type=int, default=0)
    parser.add_argument(
        "--run", action="store_true", help="score what `storyline run` outputs instead"
    )
    args = parser.parse_args(argv)
    path = polnear_path(args.data, args.split)
    if not path.exists():
        print(f"skipped: {path} not found (pass --data)")
        return 0
    records = load_split(args.data, args.split)[args.skip :]
    if args.limit:
        records = records[: args.limit]
    settings = replace(DEFAULTS, models=ModelSettings(spacy=args.model))
    if args.run:
        return _score_run(records, settings, args)
    articles = [_article(i, r) for i, r in enumerate(records)]
    annotate(articles[:1], settings)  # load the model first: its load is not throughput
    started, cpu = time.perf_counter(), time.process_time()
    annotations = annotate(articles, settings)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    direct, every = Tally(), Tally()
    for record, ann in zip(records, annotations, strict=True):
        _score(record, ann, direct, every, only_direct=True)
        _score(record, ann, every, every, only_direct=False)
    print(f"PolNeAR {args.split}: {len(records)} records, model {args.model}")
    print(direct.line("direct"))
    print(every.line("all"))
    for line in direct.missed[: args.show_errors]:
        print("  ", line)
    if not args.no_speed:
        print(
            f"speed 1 process: {len(articles) / seconds:.1f} articles/s, "
            f"{cpu / len(articles) * 1000:.1f} ms CPU per article"
        )
        _SEEN.clear()  # forked workers would inherit the windows NER read above
        rate = _parallel_rate(articles, settings, args.workers)
        print(f"speed {args.workers} processes: {rate:.1f} articles/s")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def _score_run(records: list[dict[str, Any]], settings: Settings, args: Any) -> int:
    annotations, counts = run_annotations(records, settings)
    direct, every = Tally(), Tally()
    for record, ann in zip(records, annotations, strict=True):
        _score(record, ann, direct, every, only_direct=True)
        _score(record, ann, every, every, only_direct=False)
    print(f"PolNeAR {args.split} through storyline run: {len(records)} records, model {args.model}")
    print("  " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    print(direct.line("direct"))
    print(every.line("all"))
    for line in direct.missed[: args.show_errors]:
        print("  ", line)
    return 0


def _article(index: int, record: dict[str, Any]) -> Article:
    return Article(
        id=f"r{index}", source=record["id"], title=record.get("title"), text=record["text"]
    )


def _chunks(articles: Sequence[Article], size: int) -> list[list[Article]]:
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


def _parallel_rate(articles: Sequence[Article], settings: Settings, workers: int) -> float:
    chunks = _chunks(articles, max(1, len(articles) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(annotate, [chunks[0][:1]] * workers, [settings] * workers))  # load models
        started = time.perf_counter()
        list(pool.map(annotate, chunks, [settings] * len(chunks)))
        return len(articles) / (time.perf_counter() - started)


def _overlap(a: tuple[int, int], spans: Sequence[Sequence[int]]) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in spans)


def _gold_chars(text: str, spans: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        while s < e and text[s] in _MARKS:
            s += 1
        while e > s and text[e - 1] in _MARKS:
            e -= 1
        out.append((s, e))
    return out


def _antecedent(attributions: Sequence[dict[str, Any]], index: int) -> str:
    """The nearest earlier annotated source that is a name, for pronoun sources."""
    source = _source(attributions[index])
    words = source["text"].lower().split()
    if not source["spans"] or (words and words[0] not in _PRONOUNS and words[0] != "the"):
        return ""
    start = source["spans"][0][0]
    best, best_at = "", -1
    for other in attributions:
        spans = _source(other)["spans"]
        if spans and best_at < spans[0][0] < start and _NAME_WORD.search(_source(other)["text"]):
            best, best_at = _source(other)["text"], spans[0][0]
    return best


def _source(attribution: dict[str, Any]) -> dict[str, Any]:
    source: dict[str, Any] | None = attribution["source"]
    return source if source is not None else {"spans": [], "text": ""}


def _speaker_right(ann_quote: Any, attribution: dict[str, Any], antecedent: str) -> bool:
    if attribution["source"] is None:
        return ann_quote.speaker is None
    gold = _source(attribution)
    for span in ann_quote.speaker_evidence:
        if _overlap((span.start, span.end), gold["spans"]) > 0:
            return True
    if ann_quote.speaker is None:
        return False
    names = set(_NAME_WORD.findall(ann_quote.speaker))
    return bool(names & set(_NAME_WORD.findall(gold["text"] + " " + antecedent)))


def _score(
    record: dict[str, Any], ann: Annotations, tally: Tally, _all: Tally, *, only_direct: bool
) -> None:
    text = record["text"]
    attributions = record["attributions"]
    in_scope = [a["content_is_direct_quote"] or not only_direct for a in attributions]
    contents = [_gold_chars(text, (a["content"] or {"spans": []})["spans"]) for a in attributions]
    found = [False] * len(attributions)
    covered = [0] * len(attributions)
    for quote in ann.quotes:
        if only_direct and getattr(quote, "kind", "direct") == "indirect":
            continue  # reported speech without quote marks is no direct quote
        pieces = [(span.start, span.end) for span in quote.evidence]
        overlaps = [sum(_overlap(piece, c) for piece in pieces) for c in contents]
        best = max(range(len(overlaps)), key=overlaps.__getitem__, default=-1)
        if best >= 0 and overlaps[best] > 0 and not in_scope[best]:
            continue
        tally.predicted += 1
        tally.pred_chars += sum(end - start for start, end in pieces)
        if best < 0 or overlaps[best] == 0:
            continue
        tally.overlap_pred += sum(o for i, o in enumerate(overlaps) if in_scope[i])
        if _speaker_right(quote, attributions[best], _antecedent(attributions, best)):
            tally.right += 1
        else:
            gold = _source(attributions[best])["text"]
            tally.missed.append(f"{quote.speaker!r} for gold {gold!r}: {quote.text[:60]!r}")
        for i, overlap in enumerate(overlaps):  # every attribution the quote covers
            if overlap and in_scope[i]:
                covered[i] += overlap
                if not found[i]:
                    found[i] = _speaker_right(quote, attributions[i], _antecedent(attributions, i))
    for i, scope in enumerate(in_scope):
        if scope:
            gold_chars = sum(e - s for s, e in contents[i])
            tally.gold += 1
            tally.gold_found += found[i]
            tally.gold_chars += gold_chars
            tally.overlap_gold += min(covered[i], gold_chars)


if __name__ == "__main__":
    sys.exit(main())
