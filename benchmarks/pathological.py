"""Time grows linearly with the input: pathological records at growing sizes.

Each case is an article with one pathological part (a token of 100,000 quote marks, a
one-line text of a million characters, 20,000 nested ``<div>``s ...) built at size ``n``,
``2n`` and ``4n``; the whole pipeline (``storyline.run``, in-process: reading, cleaning,
dates, entities and quotes, stories) runs on each, and the CPU seconds are printed with
their growth from one size to the next. Linear time doubles (ratio about 2); quadratic
time quadruples. The per-record time budget (``runner.record_seconds``) is switched off
here, so a slow case shows as slow rather than as skipped.

Run it from the repository root::

    .venv/bin/python benchmarks/pathological.py            # n = 25,000 characters
    .venv/bin/python benchmarks/pathological.py --n 100000 --cases quote-token long-line

CPU time of this process (``time.process_time``), after a warm-up that loads the models;
the load average is printed, since other work on the machine still slows a run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.pipeline import run  # noqa: E402
from storyline.settings import load_settings  # noqa: E402

SENTENCE = "The ferry terminal in Oakdale opened on Tuesday, Mayor Ana Price said. "


def _page(body: str) -> str:
    return (
        "<html><head><title>Ferry terminal opens</title></head><body><article>"
        f"<h1>Ferry terminal opens</h1>{body}</article></body></html>"
    )


def _token(unit: str) -> Callable[[int], tuple[str, str]]:
    def build(n: int) -> tuple[str, str]:
        token = unit * (n // len(unit))
        return "page.html", _page(f"<p>{SENTENCE}{token} after years.</p><p>{SENTENCE}</p>")

    return build


def _record(n: int) -> tuple[str, str]:
    html = _page(f"<p>{SENTENCE}{'x' * n} after years.</p><p>{SENTENCE}</p>")
    return "news.jsonl", json.dumps({"html": html, "url": "https://a.example/x"}) + "\n"


CASES: dict[str, Callable[[int], tuple[str, str]]] = {
    "quote-token": _token('"'),
    "dot-token": _token("."),
    "paren-token": _token("("),
    "dash-token": _token("-"),
    "letter-token": _token("a"),
    "capital-token": _token("Ab"),
    "entity-token": _token("&amp;"),
    "jsonl-token": _record,
    "long-line": lambda n: ("story.txt", "Ferry\n\n" + SENTENCE * (n // len(SENTENCE))),
    "long-paragraph": lambda n: (
        "page.html",
        _page("<p>" + SENTENCE * (n // len(SENTENCE)) + "</p>"),
    ),
    "abbreviations": lambda n: (
        "story.txt",
        "Ferry\n\n" + "Mr. Reyes met Dr. Cole in the U.S. on Jan. 5. " * (n // 48),
    ),
    "many-quotes": lambda n: ("story.txt", "Ferry\n\n" + '"Yes," he said. ' * (n // 16)),
    "short-lines": lambda n: (
        "story.txt",
        "Ferry\n\n" + "\n".join(f"Line {i} ends." for i in range(n // 14)),
    ),
    "cjk-line": lambda n: ("story.txt", "渡轮码头\n\n" + "渡轮码头在周二开放。" * (n // 10)),
    "nested-divs": lambda n: (
        "page.html",
        _page("<div>" * (n // 5) + f"<p>{SENTENCE}</p>" + "</div>" * (n // 5)),
    ),
    "nested-json": lambda n: (
        "deep.jsonl",
        '{"text": "' + SENTENCE + '", "x": ' + "[" * (n // 2) + "]" * (n // 2) + "}\n",
    ),
}


def measure(case: str, n: int, settings: object) -> tuple[float, int, int]:
    """CPU seconds of one run on the case at size ``n``, and its articles and skips."""
    name, content = CASES[case](n)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(content, encoding="utf-8")
        start = time.process_time()
        result = run([path], settings)  # type: ignore[arg-type]
        return time.process_time() - start, len(result.articles), len(result.skipped)


def main(argv: list[str] | None = None) -> int:
    """Run the cases; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=25_000, help="smallest size, in characters")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    settings = load_settings(None, ["runner.workers=1", "runner.record_seconds=0"])
    measure("long-line", 2_000, settings)  # warm-up: imports and models
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sizes = (args.n, 2 * args.n, 4 * args.n)
    print(f"{'case':<15} " + " ".join(f"{f'n={s:,}':>12}" for s in sizes) + "  growth  outcome")
    worst = 0.0
    for case in args.cases:
        seconds, outcome = [], ""
        for size in sizes:
            cpu, articles, skipped = measure(case, size, settings)
            seconds.append(cpu)
            outcome = f"{articles} article(s), {skipped} skipped"
        growth = [b / max(a, 0.01) for a, b in itertools.pairwise(seconds)]
        worst = max(worst, *growth)
        cells = " ".join(f"{s:>11.2f}s" for s in seconds)
        print(
            f"{case:<15} {cells}  {' '.join(f'{g:.1f}x' for g in growth):>9}  {outcome}", flush=True
        )
    print(f"largest growth on doubling: {worst:.1f}x (linear 2x, quadratic 4x)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
