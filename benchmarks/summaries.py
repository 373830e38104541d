"""Multi-document summary quality on Multi-News, beside lead, LexRank and TextRank.

Data: ``../shared/data/summarization/multinews_validation.jsonl`` (250 real clusters of 2-10
articles, each with a human-written summary). Each cluster is given to storyline as one
story (one ``group``): its articles are cleaned by ``storyline.clean`` and summarised by
``storyline.summarize`` with ``summary.max_words`` set to the reference's length. Every
system is then cut to the reference's length in words and scored with ROUGE-1/2/L F1
(rouge-score, Porter stemming on), averaged over clusters, x100.

Baselines run on the same cleaned text, so they differ from storyline only in how they
choose sentences: ``lead`` (the articles' text, one article after the other), ``lead-rr``
(round robin: every article's first sentence, then every second one, …), and sumy's
``lexrank`` and ``textrank`` (given storyline's sentence splitter instead of NLTK's, which
needs data downloads) taking their best-rated sentences up to the length.

**Tuned and held-out halves.** Summary weights were chosen looking at the even-numbered
clusters only (``tuned``); the odd-numbered ones (``held out``) are the figure to quote.
Both halves are printed.

**Event coverage.** A summary should give every major event of a story a sentence. On the
bundled demo (six dated events, ``tests/golden/DEMO_FACTS.md``) and on the multi-event
stories of ``benchmarks/data/event_stories.jsonl`` (written for this benchmark), an event
counts as covered when a summary sentence is dated within a day of it and names it (a key
word per event). Printed per story.

Citation quality: the share of storyline's summary sentences that cite at least one span,
and the share whose words are all found in the text their first cited span points to.

Run from the repository root::

    .venv/bin/python benchmarks/summaries.py               # all 250 clusters
    .venv/bin/python benchmarks/summaries.py --limit 50 --json

Needs the benchmark packages ``rouge-score`` and ``sumy`` (``pip install rouge-score sumy``);
exits 0 with a note when they or the data are missing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "summarization" / "multinews_validation.jsonl"
SYSTEMS = ("storyline", "lead", "lead-rr", "lexrank", "textrank")
EVENT_STORIES = REPO / "benchmarks" / "data" / "event_stories.jsonl"
DEMO_EVENTS = (  # tests/golden/DEMO_FACTS.md, events E1-E6: day, a word that names it
    ("2025-03-03", "thieves"),
    ("2025-03-12", "reward"),
    ("2025-03-26", "watching"),
    ("2025-03-28", "arrested"),
    ("2025-03-31", "not guilty"),
    ("2025-04-12", "reopen"),
)
_WORD = re.compile(r"\w+")


def clusters(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    """Yield the clusters of the data file, at most ``limit``."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)


def cleaned_articles(cluster: dict[str, Any]) -> list[Any]:
    """The cluster's articles through storyline's cleaning (empty ones are dropped)."""
    from storyline.errors import InputError
    from storyline.model import Document
    from storyline.pipeline import process_record
    from storyline.settings import DEFAULTS

    articles = []
    for n, raw in enumerate(cluster["articles"]):
        if not (raw.get("text") or "").strip():
            continue
        document = Document(
            source=f"{cluster['id']}:{n}",
            content=raw["text"],
            content_type="text",
            id=f"{cluster['id']}-{n}",
            title=raw.get("title") or f"article {n}",
            group=str(cluster["id"]),
        )
        try:
            item = process_record(document, settings=DEFAULTS)
        except InputError:
            continue
        if hasattr(item, "text"):
            articles.append(item)
    return articles


def truncate(text: str, words: int) -> str:
    """The first ``words`` words of ``text``."""
    return " ".join(text.split()[:words])


def run_storyline(articles: Sequence[Any], words: int) -> tuple[str, list[Any]]:
    """storyline's summary at the reference length, and its sentences."""
    from storyline.model import Story
    from storyline.settings import DEFAULTS
    from storyline.summarize import summarize

    story = Story(id="s", title="", article_ids=tuple(a.id for a in articles))
    settings = dataclasses.replace(DEFAULTS.summary, max_words=words, max_sentences=1000)
    summary = summarize(story, {a.id: a for a in articles}, settings)
    return " ".join(s.text for s in summary.sentences), list(summary.sentences)


def run_lead(articles: Sequence[Any], words: int) -> str:
    """The articles' sentences in order, article after article."""
    return " ".join(a.text.replace("\n\n", " ") for a in articles)


def run_lead_rr(articles: Sequence[Any], words: int) -> str:
    """Round robin: each article's first sentence, then each one's second, and so on."""
    from storyline._sentences import split_sentences

    texts = [[a.text[s:e] for s, e in split_sentences(a.text)] for a in articles]
    longest = max((len(t) for t in texts), default=0)
    return " ".join(t[n] for n in range(longest) for t in texts if n < len(t))


def event_coverage() -> list[tuple[str, int, int, list[str]]]:
    """(story, events covered, events, missed) for the demo and the written stories."""
    import datetime as dt
    import tempfile
    from importlib import resources

    import storyline

    settings = storyline.load_settings(overrides=["runner.workers=1"])
    cases: list[tuple[str, list[str], tuple[tuple[str, str], ...]]] = []
    records = [json.loads(line) for line in EVENT_STORIES.read_text("utf-8").splitlines()]
    out = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stories.jsonl"
        articles = [{k: v for k, v in r.items() if k != "type"} for r in records]
        path.write_text(
            "\n".join(json.dumps(r) for r in articles if "text" in r) + "\n", encoding="utf-8"
        )
        written = storyline.run([path], settings)
        for record in records:
            if record["type"] == "events":
                story = next(
                    s
                    for s in written.stories
                    if any(i.startswith(record["group"]) for i in s.article_ids)
                )
                cases.append((record["group"], [story.id], tuple(map(tuple, record["events"]))))
        with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
            demo = storyline.run([corpus], settings)
    for result, name, events in [
        (demo, "demo", DEMO_EVENTS),
        *((written, group, events) for group, _, events in cases),
    ]:
        story = max(
            result.stories,
            key=lambda s: (name == "demo" or any(i.startswith(name) for i in s.article_ids),
                           len(s.article_ids)),
        )  # fmt: skip
        sentences = story.summary.sentences if story.summary else ()
        missed = []
        for day, word in events:
            when = dt.date.fromisoformat(day)
            if not any(
                s.date is not None
                and abs((s.date.date - when).days) <= 1
                and word in s.text.lower()
                for s in sentences
            ):
                missed.append(f"{day} ({word})")
        out.append((name, len(events) - len(missed), len(events), missed))
    return out


class _Tokenizer:
    """sumy tokenizer backed by storyline's splitter (sumy's own needs NLTK downloads)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        from storyline._sentences import split_sentences

        return [paragraph[s:e] for s, e in split_sentences(paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return _WORD.findall(sentence)


def _sumy(name: str) -> Callable[[Sequence[Any], int], str]:
    def run(articles: Sequence[Any], words: int) -> str:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words

        text = "\n\n".join(a.text for a in articles)
        document = PlaintextParser.from_string(text, _Tokenizer()).document
        kind = LexRankSummarizer if name == "lexrank" else TextRankSummarizer
        summarizer = kind(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")

        def up_to_length(infos: Sequence[Any]) -> list[Any]:
            """Best-rated sentences (sumy passes them best first) until the length."""
            chosen, total = [], 0
            for info in infos:
                if total >= words:
                    break
                chosen.append(info)
                total += len(str(info.sentence).split())
            return chosen

        return " ".join(str(s) for s in summarizer(document, up_to_length))

    return run


def citation_quality(sentences: Sequence[Any], by_id: dict[str, Any]) -> tuple[int, int, int]:
    """(sentences, cited, supported): supported = all its words in its first cited span."""
    cited = supported = 0
    for sentence in sentences:
        if not sentence.evidence:
            continue
        cited += 1
        span = sentence.evidence[0]
        source = set(_WORD.findall(by_id[span.article_id].text[span.start : span.end].lower()))
        if set(_WORD.findall(sentence.text.lower())) <= source:
            supported += 1
    return len(sentences), cited, supported


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only")
    parser.add_argument("--json", action="store_true", help="also print figures as JSON")
    parser.add_argument(
        "--baselines",
        nargs="*",
        choices=SYSTEMS[1:],
        default=list(SYSTEMS[1:]),
        help="baselines to run beside storyline (default: all)",
    )
    parser.add_argument("--no-events", action="store_true", help="skip event coverage")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"summaries benchmark: data not found at {args.data}; nothing to do.")
        return 0
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        print("summaries benchmark: needs rouge-score and sumy (pip install rouge-score sumy).")
        return 0

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    baselines: dict[str, Callable[[Sequence[Any], int], str]] = {
        "lead": run_lead,
        "lead-rr": run_lead_rr,
        "lexrank": _sumy("lexrank"),
        "textrank": _sumy("textrank"),
    }
    systems = {name: baselines[name] for name in args.baselines}
    names = ("storyline", *systems)
    scores: dict[str, dict[str, list[float]]] = {
        name: {"rouge1": [], "rouge2": [], "rougeL": []} for name in names
    }
    halves: dict[str, dict[str, list[float]]] = {
        name: {"tuned": [], "held out": []} for name in names
    }
    seconds = dict.fromkeys(names, 0.0)
    cite_totals = [0, 0, 0]
    empty = 0
    n = 0
    for index, cluster in enumerate(clusters(args.data, args.limit)):
        half = "tuned" if index % 2 == 0 else "held out"
        reference = cluster["summary"].lstrip("–- ").strip()
        words = len(reference.split())
        articles = cleaned_articles(cluster)
        n += 1
        outputs: dict[str, str] = {}
        started = time.perf_counter()
        outputs["storyline"], sentences = run_storyline(articles, words)
        seconds["storyline"] += time.perf_counter() - started
        empty += not sentences
        quality = citation_quality(sentences, {a.id: a for a in articles})
        cite_totals = [t + q for t, q in zip(cite_totals, quality, strict=True)]
        for name, system in systems.items():
            started = time.perf_counter()
            outputs[name] = system(articles, words)
            seconds[name] += time.perf_counter() - started
        for name, output in outputs.items():
            result = scorer.score(reference, truncate(output, words))
            for metric, value in result.items():
                scores[name][metric].append(value.fmeasure * 100)
            halves[name][half].append(result["rouge1"].fmeasure * 100)
    figures = {
        name: {metric: round(statistics.fmean(v), 2) if v else 0.0 for metric, v in m.items()}
        | {"seconds": round(seconds[name], 2)}
        for name, m in scores.items()
    }
    for name in names:
        for half, values in halves[name].items():
            figures[name][f"rouge1 {half}"] = round(statistics.fmean(values), 2) if values else 0.0
    total, cited, supported = cite_totals
    print(f"summaries benchmark: {n} Multi-News clusters, ROUGE F1 x100 at the reference length")
    print(f"{'system':10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'seconds':>8} | R-1 tuned  held out")
    for name, f in figures.items():
        print(
            f"{name:10} {f['rouge1']:6.2f} {f['rouge2']:6.2f} {f['rougeL']:6.2f} "
            f"{f['seconds']:8.2f} | {f['rouge1 tuned']:9.2f} {f['rouge1 held out']:9.2f}"
        )
    print(
        f"storyline citations: {total} sentences, {cited / max(total, 1):.1%} cited, "
        f"{supported / max(total, 1):.1%} supported by their first cited span; "
        f"{empty} empty summaries"
    )
    coverage = [] if args.no_events else event_coverage()
    for story, covered, events, missed in coverage:
        gaps = f"; missed {', '.join(missed)}" if missed else ""
        print(f"event coverage, {story}: {covered}/{events} events have a sentence{gaps}")
    if args.json:
        print(
            json.dumps(
                {
                    "event_coverage": {s: [c, e] for s, c, e, _ in coverage},
                    "clusters": n,
                    "systems": figures,
                    "sentences": total,
                    "cited": cited,
                    "supported": supported,
                    "empty": empty,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
