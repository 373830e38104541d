"""Main-text extraction benchmark: plain trafilatura vs storyline's HTML cleaning.

Data: ``shared/data/extraction/trafilatura_eval.jsonl.gz``, one JSON object per line with
``id``, ``url``, ``html`` and two lists of short text snippets taken from the page by hand:
``with`` (main text that must be kept) and ``without`` (boilerplate that must be dropped).
These are the ~1000 annotated pages of trafilatura's own evaluation.

Protocol (the one of trafilatura's ``tests/eval_common.py``): each system turns a page into
plain text; the text and every snippet are whitespace-normalised (every run of whitespace,
non-breaking spaces included, becomes one space; ends stripped), then tested by substring:

* a ``with`` snippet found is a true positive, one not found a false negative;
* a ``without`` snippet found is a false positive, one not found a true negative.

Counts are summed over all pages (micro average), then
precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2TP / (2TP + FP + FN) and
accuracy = (TP + TN) / all snippets. An empty result, a crash, or storyline's ``InputError``
("no article text") counts as empty text: every ``with`` snippet missed, every ``without``
one avoided. Speed is pages per second of extraction time only (JSON parsing and scoring
excluded), per process.

Systems:

* ``trafilatura``: ``trafilatura.extract(html, url=url)`` with the library's defaults;
* ``storyline``: ``storyline.clean.clean(Document(...), DEFAULTS.clean)``, scored on what it
  outputs for the page: its ``title`` and its ``text``. (Plain ``extract()`` keeps a
  headline it finds in its text; storyline moves it to ``title`` and reports
  "title repeated in body", so scoring ``text`` alone would count the headline as lost.)

Run it from the repository root::

    .venv/bin/python benchmarks/extraction.py
    .venv/bin/python benchmarks/extraction.py --workers 2 --show-errors 20 --json
    .venv/bin/python benchmarks/extraction.py --limit 100 --systems trafilatura

Without the data set it prints a note and exits 0; without ``storyline.clean`` it runs
trafilatura alone.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib
import json
import logging
import re
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "extraction" / "trafilatura_eval.jsonl.gz"
SYSTEMS = ("trafilatura", "storyline", "storyline-fast")
WARM_UP_HTML = (
    "<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    + "<p>This paragraph only pays for lazy imports and one-time set-up costs.</p>" * 8
    + "</article></body></html>"
)
_WS = re.compile(r"\s+")

Extractor = Callable[[str, str, str], str]


def norm(text: str) -> str:
    """Collapse whitespace as trafilatura's evaluation does before the substring test."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Page:
    """One annotated page of the data set."""

    id: str
    url: str
    html: str
    keep: tuple[str, ...]
    drop: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one system did with one page."""

    page_id: str
    tp: int
    fp: int
    fn: int
    tn: int
    seconds: float
    empty: bool
    error: str | None
    kept_drops: tuple[str, ...]
    lost_keeps: tuple[str, ...]


@dataclass(slots=True)
class Tally:
    """Counts summed over pages for one system."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pages: int = 0
    seconds: float = 0.0
    empty: int = 0
    errors: int = 0
    first_error: str | None = None
    kept_drops: list[tuple[str, str]] = field(default_factory=list)
    lost_keeps: list[tuple[str, str]] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        """Add one page's outcome."""
        self.tp += outcome.tp
        self.fp += outcome.fp
        self.fn += outcome.fn
        self.tn += outcome.tn
        self.pages += 1
        self.seconds += outcome.seconds
        self.empty += outcome.empty
        if outcome.error is not None:
            self.errors += 1
            self.first_error = self.first_error or f"{outcome.page_id}: {outcome.error}"
        self.kept_drops.extend((outcome.page_id, norm(s)) for s in outcome.kept_drops)
        self.lost_keeps.extend((outcome.page_id, norm(s)) for s in outcome.lost_keeps)

    def scores(self) -> dict[str, Any]:
        """Precision, recall, F1, accuracy, speed and raw counts as a flat dict."""
        total = self.tp + self.fp + self.fn + self.tn
        return {
            "precision": _ratio(self.tp, self.tp + self.fp),
            "recall": _ratio(self.tp, self.tp + self.fn),
            "f1": _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
            "accuracy": _ratio(self.tp + self.tn, total),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "pages_per_s": round(self.pages / self.seconds, 2) if self.seconds else 0.0,
            "empty": self.empty,
            "errors": self.errors,
        }


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def read_pages(path: Path, limit: int | None = None) -> Iterator[Page]:
    """Stream pages from the gzipped JSON-lines file, one at a time."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for count, line in enumerate(fh):
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            rec = json.loads(line)
            yield Page(
                id=str(rec["id"]),
                url=rec.get("url") or "",
                html=rec["html"],
                keep=tuple(rec.get("with") or ()),
                drop=tuple(rec.get("without") or ()),
            )


def score(page: Page, text: str) -> tuple[int, int, int, int, tuple[str, ...], tuple[str, ...]]:
    """Score one extracted text: TP, FP, FN, TN, must-drop snippets kept, must-keep lost."""
    hay = norm(text)
    lost = tuple(s for s in page.keep if norm(s) not in hay)
    kept = tuple(s for s in page.drop if norm(s) in hay)
    return len(page.keep) - len(lost), len(kept), len(lost), len(page.drop) - len(kept), kept, lost


def run_trafilatura(html: str, url: str, _source: str) -> str:
    """Plain ``trafilatura.extract`` with the library's defaults."""
    import trafilatura

    return trafilatura.extract(html, url=url or None) or ""


def run_storyline(html: str, url: str, source: str, *, extraction: str = "balanced") -> str:
    """storyline's HTML cleaning: title and text; no article is empty text."""
    import dataclasses

    from storyline.clean import clean
    from storyline.errors import InputError
    from storyline.model import Document
    from storyline.settings import DEFAULTS

    settings = dataclasses.replace(DEFAULTS.clean, extraction=extraction)
    doc = Document(source=source, content=html, content_type="html", url=url or None)
    try:
        article = clean(doc, settings)
    except InputError:
        return ""
    return f"{article.title}\n{article.text}" if article.title else article.text


def run_storyline_fast(html: str, url: str, source: str) -> str:
    """storyline with ``clean.extraction = "fast"`` (no fallback extractors)."""
    return run_storyline(html, url, source, extraction="fast")


EXTRACTORS: dict[str, Extractor] = {
    "trafilatura": run_trafilatura,
    "storyline": run_storyline,
    "storyline-fast": run_storyline_fast,
}


def storyline_problem() -> str | None:
    """Why storyline's cleaning cannot be benchmarked here, or None when it can."""
    src = str(REPO / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        importlib.import_module("storyline.clean")
    except ImportError as e:
        return f"{type(e).__name__}: {e}"
    return None


@cache
def _warm(systems: tuple[str, ...]) -> None:
    """Pay lazy imports and one-time set-up outside the timed region."""
    logging.disable(logging.CRITICAL)  # trafilatura logs a warning for many pages
    if "storyline" in systems:
        storyline_problem()
    for name in systems:
        # A broken system is reported per page later, not here.
        with contextlib.suppress(Exception):
            EXTRACTORS[name](WARM_UP_HTML, "https://example.org/warm-up", "eval:warm-up")


def evaluate(page: Page, systems: tuple[str, ...]) -> list[Outcome]:
    """Run every system on one page and score it (also the worker entry point)."""
    _warm(systems)
    outcomes = []
    for name in systems:
        error = None
        start = time.perf_counter()
        try:
            text = EXTRACTORS[name](page.html, page.url, f"eval:{page.id}")
        except Exception as e:  # a crash is a full miss, as in trafilatura's eval
            text, error = "", f"{type(e).__name__}: {e}"
        seconds = time.perf_counter() - start
        tp, fp, fn, tn, kept, lost = score(page, text)
        empty = not text.strip()
        outcomes.append(Outcome(page.id, tp, fp, fn, tn, seconds, empty, error, kept, lost))
    return outcomes


def run(
    path: Path, systems: tuple[str, ...], limit: int | None, workers: int
) -> tuple[dict[str, Tally], float]:
    """Evaluate ``systems`` on the data set; returns tallies and wall-clock seconds."""
    tallies = {name: Tally() for name in systems}
    start = time.perf_counter()

    def collect(outcomes: list[Outcome]) -> None:
        for name, outcome in zip(systems, outcomes, strict=True):
            tallies[name].add(outcome)
        done = tallies[systems[0]].pages
        if done % 100 == 0:
            print(f"  {done} pages ...", file=sys.stderr, flush=True)

    if workers <= 1:
        for page in read_pages(path, limit):
            collect(evaluate(page, systems))
    else:
        # A bounded window of pages in flight keeps memory flat while streaming.
        window: deque[Future[list[Outcome]]] = deque()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for page in read_pages(path, limit):
                window.append(pool.submit(evaluate, page, systems))
                if len(window) >= 4 * workers:
                    collect(window.popleft().result())
            for future in window:
                collect(future.result())
    return tallies, time.perf_counter() - start


def report(tallies: dict[str, Tally], show_errors: int) -> None:
    """Print the score table and, if asked, the most common surviving drop snippets."""
    header = f"{'system':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'accuracy':>8}"
    header += f" {'pages/s':>8} {'empty':>6} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for name, tally in tallies.items():
        s = tally.scores()
        print(
            f"{name:<12} {s['precision']:>9.4f} {s['recall']:>7.4f} {s['f1']:>7.4f}"
            f" {s['accuracy']:>8.4f} {s['pages_per_s']:>8.2f} {s['empty']:>6} {s['errors']:>6}"
        )
    print("pages/s: pages per second of extraction time in one process (I/O, scoring excluded)")
    for name, tally in tallies.items():
        if tally.first_error:
            print(f"{name}: first error: {tally.first_error}")
    if show_errors > 0:
        show_kept_drops(tallies, show_errors)


def show_kept_drops(tallies: dict[str, Tally], limit: int) -> None:
    """Print, per system, the most common must-drop snippets it keeps and those only it keeps."""
    for name, tally in tallies.items():
        pages: defaultdict[str, list[str]] = defaultdict(list)
        for page_id, snippet in tally.kept_drops:
            pages[snippet.casefold()].append(page_id)
        shown = {snippet.casefold(): snippet for _, snippet in tally.kept_drops}
        print(f"\n{name}: {tally.fp} must-drop snippets kept; most common:")
        for key, count in Counter({k: len(v) for k, v in pages.items()}).most_common(limit):
            where = ", ".join(pages[key][:2]) + (", ..." if count > 2 else "")
            print(f"  {count:>3}x  {_clip(shown[key])!r}  [{where}]")
        if len(tallies) < 2:
            continue
        for label, attr in (
            ("must-drop snippets kept", "kept_drops"),
            ("must-keep lost", "lost_keeps"),
        ):
            others = {pair for o, t in tallies.items() if o != name for pair in getattr(t, attr)}
            only = [pair for pair in dict.fromkeys(getattr(tally, attr)) if pair not in others]
            print(f"{name}: {len(only)} {label} by {name} only:")
            for page_id, snippet in only[:limit]:
                print(f"        {_clip(snippet)!r}  [{page_id}]")


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Score trafilatura and storyline main-text extraction on "
        "trafilatura's annotated evaluation pages."
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL.gz data set")
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N pages")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument(
        "--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS), help="what to run"
    )
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="list the N most common must-drop snippets each system keeps",
    )
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    args = parse_args(argv)
    if not args.data.is_file():
        print(f"extraction benchmark: data set not found at {args.data}; nothing to do.")
        print("Pass --data PATH to point at trafilatura_eval.jsonl.gz.")
        return 0
    systems = tuple(dict.fromkeys(args.systems))
    wants_storyline = any(s.startswith("storyline") for s in systems)
    if wants_storyline and (problem := storyline_problem()) is not None:
        print(f"storyline.clean is not available ({problem}); benchmarking trafilatura only.")
        systems = tuple(s for s in systems if not s.startswith("storyline"))
    if not systems:
        print("extraction benchmark: no system to run.")
        return 0
    import trafilatura

    print(
        f"extraction benchmark: {args.data.name}, systems {', '.join(systems)}, "
        f"trafilatura {trafilatura.__version__}, {args.workers} worker(s)"
    )
    tallies, wall = run(args.data, systems, args.limit, max(1, args.workers))
    first = tallies[systems[0]]
    print(
        f"{first.pages} pages, {first.tp + first.fn} must-keep and {first.fp + first.tn} "
        f"must-drop snippets, {wall:.1f} s wall-clock\n"
    )
    report(tallies, args.show_errors)
    if args.json:
        figures = {
            "data": str(args.data),
            "trafilatura_version": trafilatura.__version__,
            "workers": args.workers,
            "wall_seconds": round(wall, 2),
            "systems": {name: tally.scores() for name, tally in tallies.items()},
        }
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
