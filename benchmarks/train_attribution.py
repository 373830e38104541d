"""Train the attribution models (cue, source, side) on PolNeAR and write attribution.npz.

Usage::

    python benchmarks/train_attribution.py [--data DIR] [--model auto] [--out PATH]

(``make train-attribution``.) Learns from the ``fit`` part of ``polnear_train`` only
(``benchmarks/_polnear.py``: every training article but the ``unseen`` slice); dev and the
unseen slice are never read. A fifth of the fit articles (fixed by a seeded shuffle of
article names) is held back to choose the cue and source thresholds; the models are then
fitted again on all fit articles with those thresholds. Everything is seeded, so the same
data and spaCy model give the same arrays. Prints the data used and the figures.

Each model is an L2-regularised logistic regression over named binary features
(``storyline/extract/_attribution.py``), fitted by mini-batch Adagrad with numpy;
features seen fewer than ``MIN_COUNT`` times are dropped.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import storyline.extract as extract_package
from _polnear import DATA, load_split
from storyline.extract import _attribution as attr
from storyline.extract._quote_marks import find_quote_spans
from storyline.extract.annotate import named_spans
from storyline.models import spacy_pipeline

SEED = 15
MIN_COUNT = 2
MIN_CUE_SHARE = 0.02  # halves the words scored, losing 4 % of cue words (measured)
EPOCHS = 12
L2 = 1e-5
RATE = 0.3
OUT = Path(extract_package.__file__).parent / "attribution.npz"


@dataclass
class Examples:
    """Feature lists and 0/1 labels, with the article each came from."""

    features: list[list[str]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)  # the cue a source candidate belongs to

    def add(self, features: list[str], label: bool, group: str, run: int = 0) -> None:
        self.features.append(features)
        self.labels.append(int(label))
        self.groups.append(group)
        self.runs.append(run)

    def subset(self, keep: set[str]) -> Examples:
        out = Examples()
        for f, y, g, r in zip(self.features, self.labels, self.groups, self.runs, strict=True):
            if g in keep:
                out.add(f, bool(y), g, r)
        return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", default="auto", help="models.spacy for the NER labels")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--ner-cache", type=Path, help="keep the NER labels in this JSON file between runs"
    )
    args = parser.parse_args(argv)
    if not (args.data / "quotes").is_dir():
        print(f"skipped: {args.data / 'quotes'} not found (pass --data)")
        return 0
    random.seed(SEED)
    started = time.perf_counter()
    records = load_split(args.data, "fit")
    articles = sorted({r["article"] for r in records})
    print(
        f"data: polnear_train 'fit' part, {len(records)} records of {len(articles)} articles "
        f"({sum(len(r['attributions']) for r in records)} attributions); "
        "the unseen slice, dev and test are not read"
    )
    prepared = _prepare(records, args.model, args.ner_cache)
    cue_words = _cue_words(prepared)
    print(
        f"cue words: {len(cue_words)} lower-case forms seen in cues at least {MIN_COUNT} "
        f"times and in at least {MIN_CUE_SHARE:.0%} of their uses"
    )
    cue, source, side = _examples(prepared, cue_words)
    shuffled = articles[:]
    random.Random(SEED).shuffle(shuffled)
    tune = set(shuffled[: len(shuffled) // 5])
    fit = set(articles) - tune
    print(f"threshold tuning: {len(tune)} articles held back, {len(fit)} fitted")
    thresholds = {}
    for name, examples in (("cue", cue), ("source", source), ("side", side)):
        model = _train(examples.subset(fit))
        held = examples.subset(tune)
        scores = _scores(model, held)
        if name == "source":
            best, figure = _source_threshold(held, scores)
        else:
            best, figure = _threshold(np.array(held.labels), scores)
        thresholds[name] = best if name != "side" else 0.5
        print(f"  {name}: threshold {thresholds[name]:.2f}, held-back {figure}")
    arrays: dict[str, Any] = {"cue_words": np.array(sorted(cue_words))}
    for name, examples in (("cue", cue), ("source", source), ("side", side)):
        vocab, weights, bias = _train(examples)
        arrays[f"{name}_vocab"] = np.array(vocab)
        arrays[f"{name}_weights"] = weights.astype(np.float32)
        arrays[f"{name}_bias"] = np.float32(bias)
        print(f"{name} model: {len(examples.labels)} examples, {len(vocab)} features")
    arrays["cue_threshold"] = np.float32(thresholds["cue"])
    arrays["source_threshold"] = np.float32(thresholds["source"])
    np.savez_compressed(args.out, **arrays)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) in {time.perf_counter() - started:.0f} s")
    return 0


@dataclass
class _Record:
    article: str
    tokens: attr.Tokens
    attributions: list[dict[str, Any]]


def _prepare(records: list[dict[str, Any]], model: str, cache: Path | None) -> list[_Record]:
    by_article = {r["article"]: r["text"] for r in records}
    names: dict[str, list[tuple[int, int, str]]] = {}
    if cache is not None and cache.exists():
        names = {k: [tuple(n) for n in v] for k, v in json.loads(cache.read_text()).items()}
    missing = [a for a in by_article if a not in names]
    if missing:
        nlp = spacy_pipeline(model)
        found = named_spans(nlp, [by_article[a] for a in missing], margin=6, batch_size=64)
        for article, spans in zip(missing, found, strict=True):
            names[article] = [(n.start, n.end, n.label) for n in spans]
        if cache is not None:
            cache.write_text(json.dumps(names))
    tokens = {}
    for article, text in by_article.items():
        quoted = [(s.start, s.end) for s in find_quote_spans(text)]
        tokens[article] = attr.tokenize(text, names[article], quoted)
    return [_Record(r["article"], tokens[r["article"]], r["attributions"]) for r in records]


def _overlapping(tokens: attr.Tokens, spans: Sequence[Sequence[int]]) -> list[int]:
    out = []
    for start, end in spans:
        out += [
            k
            for k in range(len(tokens.starts))
            if tokens.starts[k] < end and tokens.ends[k] > start
        ]
    return sorted(set(out))


def _cue_words(prepared: list[_Record]) -> set[str]:
    """Words in cues at least ``MIN_COUNT`` times and in ``MIN_CUE_SHARE`` of their uses."""
    counts: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for record in {r.article: r for r in prepared}.values():
        uses.update(record.tokens.words)
    for record in prepared:
        for a in record.attributions:
            if a["cue"]:
                for k in _overlapping(record.tokens, a["cue"]["spans"]):
                    word = record.tokens.words[k]
                    if word.isalpha() or word == ":":
                        counts[word] += 1
    stop = attr.PRONOUNS | attr.FUNCTION_WORDS
    annotations = len(prepared) / len({r.article for r in prepared})  # records per article
    return {
        w
        for w, n in counts.items()
        if n >= MIN_COUNT and w not in stop and n / (uses[w] * annotations) >= MIN_CUE_SHARE
    }


def _examples(prepared: list[_Record], cue_words: set[str]) -> tuple[Examples, Examples, Examples]:
    cue, source, side = Examples(), Examples(), Examples()
    run = 0
    for record in prepared:
        tokens = record.tokens
        in_cue: set[int] = set()
        for a in record.attributions:
            if a["cue"]:
                in_cue.update(_overlapping(tokens, a["cue"]["spans"]))
        for i, word in enumerate(tokens.words):
            if word in cue_words and not tokens.quoted[i]:
                cue.add(attr.cue_features(tokens, i), i in in_cue, record.article)
        for a in record.attributions:
            if not a["cue"] or not a["content"]:
                continue
            cue_tokens = _overlapping(tokens, a["cue"]["spans"])
            if not cue_tokens:
                continue
            span = (cue_tokens[0], cue_tokens[-1] + 1)
            if tokens.sentence[span[0]] != tokens.sentence[span[1] - 1]:
                continue
            run += 1
            core = _source_core(tokens, a["source"]["spans"]) if a["source"] else []
            for j in attr.source_candidates(tokens, span):
                source.add(attr.source_features(tokens, span, j), j in core, record.article, run)
            head = min(core, key=lambda j: abs(j - span[0])) if core else None
            content = _overlapping(tokens, a["content"]["spans"])
            if content:
                right = content[0] >= span[1] or (head is not None and content[0] > head > span[0])
                side.add(attr.content_features(tokens, span, head), right, record.article)
    return cue, source, side


def _source_core(tokens: attr.Tokens, spans: Sequence[Sequence[int]]) -> list[int]:
    """The words of a gold source that can head it, before any comma ("Mara Quint" of
    "Mara Quint, a curator,"): what the source model learns to point at."""
    inside = _overlapping(tokens, spans)
    commas = [k for k in inside if tokens.raw[k] == ","]
    if commas and commas[0] > inside[0]:
        inside = [k for k in inside if k < commas[0]]
    return [
        k
        for k in inside
        if tokens.raw[k][:1].isalnum()
        and (tokens.words[k] in attr.PRONOUNS or tokens.words[k] not in attr.FUNCTION_WORDS)
    ]


def _train(examples: Examples) -> tuple[list[str], np.ndarray, float]:
    counts = Counter(f for features in examples.features for f in set(features))
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [[index[f] for f in set(features) if f in index] for features in examples.features]
    labels = np.array(examples.labels, dtype=np.float64)
    weights = np.zeros(len(vocab))
    bias = 0.0
    squares = np.full(len(vocab), 1e-8)
    bias_square = 1e-8
    order = list(range(len(rows)))
    rng = random.Random(SEED)
    batch = 64
    for _epoch in range(EPOCHS):
        rng.shuffle(order)
        for at in range(0, len(order), batch):
            chosen = order[at : at + batch]
            lengths = np.array([len(rows[k]) for k in chosen])
            flat = np.fromiter((f for k in chosen for f in rows[k]), dtype=np.int64)
            owner = np.repeat(np.arange(len(chosen)), lengths)
            scores = np.full(len(chosen), bias)
            np.add.at(scores, owner, weights[flat])
            errors = 1.0 / (1.0 + np.exp(-scores)) - labels[chosen]
            grad = np.zeros(len(vocab))
            np.add.at(grad, flat, errors[owner])
            touched = np.unique(flat)
            grad[touched] += L2 * weights[touched] * len(chosen)
            squares[touched] += grad[touched] ** 2
            weights[touched] -= RATE * grad[touched] / np.sqrt(squares[touched])
            bias_grad = float(errors.sum())
            bias_square += bias_grad**2
            bias -= RATE * bias_grad / np.sqrt(bias_square)
    return vocab, weights, bias


def _scores(model: tuple[list[str], np.ndarray, float], examples: Examples) -> np.ndarray:
    vocab, weights, bias = model
    linear = attr.Linear(vocab, weights, bias)
    return np.array([linear.score(f) for f in examples.features])


def _threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, str]:
    best, best_f = 0.5, -1.0
    for threshold in np.arange(0.1, 0.91, 0.05):
        predicted = scores >= threshold
        tp = float((predicted & (labels == 1)).sum())
        p = tp / max(predicted.sum(), 1)
        r = tp / max((labels == 1).sum(), 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best_f:
            best, best_f = float(threshold), f
    return best, f"F1 {best_f:.3f}"


def _source_threshold(examples: Examples, scores: np.ndarray) -> tuple[float, str]:
    """The score under which a cue gets no source, by accuracy of the chosen head."""
    runs: dict[int, list[int]] = {}
    for k, run in enumerate(examples.runs):
        runs.setdefault(run, []).append(k)
    labels = np.array(examples.labels)
    best, best_accuracy = 0.5, -1.0
    for threshold in np.arange(0.05, 0.91, 0.05):
        right = 0
        for members in runs.values():
            top = members[int(np.argmax(scores[members]))]
            if scores[top] < threshold:
                right += int(labels[members].sum() == 0)
            else:
                right += int(labels[top] == 1)
        accuracy = right / max(len(runs), 1)
        if accuracy > best_accuracy:
            best, best_accuracy = float(threshold), accuracy
    return best, f"head accuracy {best_accuracy:.3f} over {len(runs)} cues"


if __name__ == "__main__":
    sys.exit(main())
