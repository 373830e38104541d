"""Score ``extract_dates`` on TempEval-3 (TimeBank + AQUAINT) and time it.

Prints, per file and combined, TempEval-3 style figures: extraction precision/recall/F1 with
strict (same span) and relaxed (overlapping span) matching, type and value accuracy over the
relaxed matches, value F1 (value P = correct values / predicted, R = correct values / gold),
then throughput in documents and characters per second.

Usage::

    .venv/bin/python benchmarks/dates.py [--data DIR] [--errors N] [--repeat N]

Data defaults to ``../shared/data/dates`` beside the repository; the script says so and exits
0 when it is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.extract.dates import extract_dates

FILES = ("tempeval3_timebank.jsonl", "tempeval3_aquaint.jsonl")
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass
class Counts:
    """Running totals for one file (or all files)."""

    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    docs: int = 0
    chars: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("gold", "pred", "strict", "relaxed", "type_ok", "value_ok", "docs", "chars"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds


def _prf(hit: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = hit / pred if pred else 0.0
    r = hit / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score_record(record: dict[str, Any], counts: Counts, *, want_errors: bool) -> None:
    """Extract from one record and add its matches to ``counts``."""
    text: str = record["text"]
    published = dt.date.fromisoformat(record["dct"][:10]) if record.get("dct") else None
    t0 = time.perf_counter()
    found = extract_dates(text, article_id=record["id"], published=published)
    counts.seconds += time.perf_counter() - t0
    counts.docs += 1
    counts.chars += len(text)
    gold = sorted(record["timexes"], key=lambda t: t["start"])
    preds = [(e.evidence[0].start, e.evidence[0].end, e.type, e.value) for e in found]
    counts.gold += len(gold)
    counts.pred += len(preds)
    used: set[int] = set()
    for g in gold:
        match = next(
            (
                i
                for i, p in enumerate(preds)
                if i not in used and p[0] < g["end"] and g["start"] < p[1]
            ),
            None,
        )
        ctx = text[max(0, g["start"] - 60) : g["end"] + 40].replace("\n", " ")
        if match is None:
            if want_errors:
                counts.errors.append(f"MISS  {g['text']!r} {g['type']} {g['value']} | {ctx}")
            continue
        used.add(match)
        s, e, kind, value = preds[match]
        counts.relaxed += 1
        counts.strict += (s, e) == (g["start"], g["end"])
        counts.type_ok += kind == g["type"]
        counts.value_ok += value == g["value"]
        if want_errors and value != g["value"]:
            counts.errors.append(
                f"VALUE {text[s:e]!r} {value} gold {g['text']!r} {g['value']} "
                f"dct={record['dct'][:10]} | {ctx}"
            )
        elif want_errors and (s, e) != (g["start"], g["end"]):
            counts.errors.append(f"SPAN  {text[s:e]!r} gold {g['text']!r} | {ctx}")
    if want_errors:
        for i, (s, e, kind, value) in enumerate(preds):
            if i not in used:
                ctx = text[max(0, s - 60) : e + 40].replace("\n", " ")
                counts.errors.append(f"EXTRA {text[s:e]!r} {kind} {value} | {ctx}")


def _row(name: str, c: Counts) -> str:
    sp, sr, sf = _prf(c.strict, c.pred, c.gold)
    rp, rr, rf = _prf(c.relaxed, c.pred, c.gold)
    vp, vr, vf = _prf(c.value_ok, c.pred, c.gold)
    type_acc = c.type_ok / c.relaxed if c.relaxed else 0.0
    value_acc = c.value_ok / c.relaxed if c.relaxed else 0.0
    return (
        f"{name:<10} {c.docs:>4} {c.gold:>5} {c.pred:>5} | {sp:.3f} {sr:.3f} {sf:.3f} | "
        f"{rp:.3f} {rr:.3f} {rf:.3f} | {type_acc:.3f} {value_acc:.3f} | {vp:.3f} {vr:.3f} {vf:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding dates/")
    parser.add_argument("--errors", type=int, default=0, help="print up to N error lines")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes (best is kept)")
    args = parser.parse_args(argv)
    folder = args.data / "dates" if (args.data / "dates").is_dir() else args.data
    paths = [folder / name for name in FILES if (folder / name).is_file()]
    if not paths:
        print(f"skipped: no TempEval-3 files under {folder} (pass --data DIR)")
        return 0
    header = (
        f"{'file':<10} {'docs':>4} {'gold':>5} {'pred':>5} | strict P/R/F1     | "
        f"relaxed P/R/F1    | type  value | value P/R/F1"
    )
    print(header)
    print("-" * len(header))
    total = Counts()
    errors: list[str] = []
    for path in paths:
        records = _load(path)
        counts = Counts()
        for record in records:
            score_record(record, counts, want_errors=args.errors > 0)
        errors.extend(counts.errors)
        best = counts.seconds
        for _ in range(max(0, args.repeat - 1)):
            t0 = time.perf_counter()
            for record in records:
                pub = dt.date.fromisoformat(record["dct"][:10]) if record.get("dct") else None
                extract_dates(record["text"], article_id=record["id"], published=pub)
            best = min(best, time.perf_counter() - t0)
        counts.seconds = best
        total.add(counts)
        print(_row(path.stem.removeprefix("tempeval3_"), counts))
    print(_row("combined", total))
    rate = total.docs / total.seconds if total.seconds else 0.0
    words = total.chars / 6 / total.docs if total.docs else 0.0
    print(
        f"\nthroughput: {rate:,.0f} docs/s, {total.chars / total.seconds:,.0f} chars/s "
        f"(one core, ~{words:.0f} words/doc; at 600 words/doc ≈ "
        f"{total.chars / total.seconds / 3600:,.0f} docs/s)"
    )
    for line in errors[: args.errors]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
