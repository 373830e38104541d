"""Score ``build_timeline`` on Timeline17 (news-tls protocol) and time it.

Each topic's articles form one story. As in news-tls (Ghalandari & Ifrim, 2020), the system
is given as many dates as the reference timeline has (``max_dates``), as many sentences per
date as the reference's average, rounded (``sentences_per_date``), and only the reference's
first-to-last date range (``window``); entries are at day precision.

Metrics, re-implemented from tilse (Martschat & Markert, 2017), which news-tls calls:

* **Alignment-based ROUGE-1 F** (tilse ``align_date_content_costs_many_to_one``, "align+
  m:1"): every predicted date is aligned to the reference date of least cost
  ``(1 - 1/(|d_p - d_r| + 1)) * (1 - approxR1)`` where ``approxR1`` is tilse's ROUGE-1 F
  approximation over whitespace tokens; for recall, every reference date is aligned to the
  predicted date of least cost the same way. The aligned daily summaries are scored with
  ROUGE-1 counts, the matched count weighted by ``1/(|d_p - d_r| + 1)``; counts are summed
  over dates (micro average) into P, R and F1.
* **Date F1**: predicted dates against reference dates, exact-day matches.

ROUGE counts: rouge-score's tokenizer with Porter stemming, stop words removed. tilse uses
ROUGE-1.5.5's 571-word SMART list; we use a shorter list of our own (about 120 function
words), so absolute figures can differ slightly from published ones. Topic figures are
averaged (macro) as news-tls does.

**Tuned and held-out topics.** The timeline's thresholds and weights were chosen on the
three timelines of the H1N1 topic (``TUNED_ON``: BBC, Guardian and Reuters timelines of one
news topic); Michael Jackson and Haiti were not looked at while choosing them. The script
prints the mean of each half: the held-out one is the figure to quote.

Usage::

    .venv/bin/python benchmarks/timelines.py [--data DIR] [--topics N] [--show N]

Data defaults to ``../shared/data/timelines`` beside the repository; the script says so and
exits 0 when it is absent. Needs ``rouge-score`` (``pip install rouge-score``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storyline.extract.dates import extract_dates
from storyline.model import Article, PartialDate, Story
from storyline.settings import TimelineSettings
from storyline.timeline import build_timeline

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TUNED_ON = ("H1N1_bbc", "H1N1_guardian", "H1N1_reuters")
Timeline = dict[dt.date, list[str]]

_STOP_WORDS = (
    "a about above after again against all also am an and any are as at be because been "
    "before being below between both but by can could did do does doing down during each "
    "few for from further had has have having he her here hers herself him himself his how "
    "i if in into is it its itself just me more most my myself no nor not now of off on "
    "once only or other our ours out over own same she should so some such than that the "
    "their theirs them then there these they this those through to too under until up very "
    "was we were what when where which while who whom why will with would you your yours"
)
_STOP = frozenset(_STOP_WORDS.split())
_PTB = [
    ("-LRB-", "("),
    ("-RRB-", ")"),
    ("-LSB-", "["),
    ("-RSB-", "]"),
    ("-LCB-", "{"),
    ("-RCB-", "}"),
    ("``", '"'),
    ("''", '"'),
]
_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]}%]|'s|'re|'ve|'ll|'d|'m|n't)(?=\s|$)")
_SPACE_AFTER = re.compile(r"([(\[{$]) ")
_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")


def detokenize(text: str) -> str:
    """Undo PTB tokenisation well enough for the date extractor (lines are kept)."""
    for a, b in _PTB:
        text = text.replace(a, b)
    lines = []
    for line in text.split("\n"):
        line = _SPACE_BEFORE.sub(r"\1", line.strip())
        lines.append(_SPACE_AFTER.sub(r"\1", line))
    return "\n".join(lines)


def _ptb_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


# --- ROUGE (tilse's alignment-based variant) ----------------------------------------------


def _make_counter() -> Callable[[str], Counter[str]]:
    from rouge_score import tokenizers  # optional dependency

    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)

    def count(text: str) -> Counter[str]:
        return Counter(t for t in tokenizer.tokenize(text) if t not in _STOP)

    return count


def _approx_rouge(pred: Sequence[str], ref: Sequence[str]) -> float:
    """tilse's ROUGE-1 F approximation: raw whitespace tokens, one reference."""
    p = Counter(t for s in pred for t in s.split())
    r = Counter(t for s in ref for t in s.split())
    match = sum(min(n, r[t]) for t, n in p.items())
    prec = match / sum(p.values()) if p else 0.0
    rec = match / sum(r.values()) if r else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def align_rouge(pred: Timeline, ref: Timeline, count: Callable[[str], Counter[str]]) -> float:
    """Alignment-based ROUGE-1 F (many-to-one, date and content costs)."""
    pdates, rdates = sorted(pred), sorted(ref)
    if not pdates or not rdates:
        return 0.0

    def cost(dp: dt.date, dr: dt.date) -> float:
        date_factor = 1 - 1 / (abs(dp.toordinal() - dr.toordinal()) + 1)
        return date_factor * (1 - _approx_rouge(pred[dp], ref[dr]))

    def counts(dp: dt.date | None, dr: dt.date | None) -> tuple[int, int, int]:
        p = count(" ".join(pred[dp])) if dp else Counter()
        r = count(" ".join(ref[dr])) if dr else Counter()
        hit = sum(min(n, r[t]) for t, n in p.items())
        return hit, sum(p.values()), sum(r.values())

    p_num = p_den = r_num = r_den = 0.0
    for dp in pdates:
        dr = min(rdates, key=lambda d: cost(dp, d))
        hit, n_pred, _ = counts(dp, dr)
        p_num += hit / (abs(dp.toordinal() - dr.toordinal()) + 1)
        p_den += n_pred
    for dr in rdates:
        dp = min(pdates, key=lambda d: cost(d, dr))
        hit, _, n_ref = counts(dp, dr)
        r_num += hit / (abs(dp.toordinal() - dr.toordinal()) + 1)
        r_den += n_ref
    prec = p_num / p_den if p_den else 0.0
    rec = r_num / r_den if r_den else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def date_f1(pred: Timeline, ref: Timeline) -> float:
    """F1 of exact-day matches between predicted and reference dates."""
    shared = len(set(pred) & set(ref))
    if not shared:
        return 0.0
    p, r = shared / len(pred), shared / len(ref)
    return 2 * p * r / (p + r)


# --- running ------------------------------------------------------------------------------


def _articles(records: Sequence[Mapping[str, Any]]) -> dict[str, Article]:
    out = {}
    for rec in records:
        text = detokenize(rec["text"])
        published = _iso(rec["date"])
        if published is None:
            continue
        article_id = f"{rec['topic']}/{rec['id']}"
        out[article_id] = Article(
            id=article_id,
            source=article_id,
            title=None,
            text=text,
            published=PartialDate(date=published),
            published_source="given",
            dates=extract_dates(text, article_id=article_id, published=published),
        )
    return out


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def run_topic(
    topic: str, records: Sequence[Mapping[str, Any]], reference: Mapping[str, Any]
) -> tuple[Timeline, Timeline, float, float]:
    """Build one topic's timeline; return prediction, reference, extraction and build time."""
    ref: Timeline = defaultdict(list)
    for e in reference["entries"]:  # a date may come in several entries: one daily summary
        day = _iso(e["date"])
        if day is not None:  # the data has a few malformed dates ("2011-04-0"): skipped
            ref[day].extend(e["sentences"])
    n_dates = len(ref)
    per_date = max(1, round(sum(len(s) for s in ref.values()) / n_dates))
    t0 = time.perf_counter()
    articles = _articles(records)
    t1 = time.perf_counter()
    story = Story(id=topic, title=topic, article_ids=tuple(articles))
    settings = TimelineSettings(
        max_dates=n_dates, sentences_per_date=per_date, coarsest_precision="day"
    )
    entries = build_timeline(story, articles, settings, window=(min(ref), max(ref)))
    t2 = time.perf_counter()
    pred: Timeline = defaultdict(list)
    for entry in entries:
        pred[entry.date.date].append(" ".join(_ptb_tokens(entry.text)))
    return dict(pred), ref, t1 - t0, t2 - t1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding timelines/")
    parser.add_argument("--topics", type=int, default=0, help="only the first N topics")
    parser.add_argument("--show", type=int, default=0, help="print N entries per topic")
    args = parser.parse_args(argv)
    folder = args.data / "timelines" if (args.data / "timelines").is_dir() else args.data
    art_path = folder / "timeline17_articles.jsonl.gz"
    tl_path = folder / "timeline17_timelines.jsonl"
    if not (art_path.is_file() and tl_path.is_file()):
        print(f"skipped: no Timeline17 files under {folder} (pass --data DIR)")
        return 0
    try:
        count = _make_counter()
    except ImportError:
        print("skipped: rouge-score is not installed (pip install rouge-score)")
        return 0
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with gzip.open(art_path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                by_topic[rec["topic"]].append(rec)
    references = [json.loads(x) for x in tl_path.read_text(encoding="utf-8").splitlines() if x]
    if args.topics:
        references = references[: args.topics]
    print(f"{'topic':<16} {'arts':>5} {'dates':>5} {'k':>2} | {'AR-1 F':>7} {'date F1':>7}")
    rouge_scores, date_scores, topics = [], [], []
    extract_s = build_s = 0.0
    n_articles = 0
    for reference in references:
        topic = reference["topic"]
        pred, ref, te, tb = run_topic(topic, by_topic[topic], reference)
        extract_s += te
        build_s += tb
        n_articles += len(by_topic[topic])
        r1, df = align_rouge(pred, ref, count), date_f1(pred, ref)
        rouge_scores.append(r1)
        date_scores.append(df)
        topics.append(topic)
        k = max(1, round(sum(len(s) for s in ref.values()) / len(ref)))
        print(f"{topic:<16} {len(by_topic[topic]):>5} {len(ref):>5} {k:>2} | {r1:7.3f} {df:7.3f}")
        for day in sorted(pred)[: args.show]:
            print(f"    {day} {' '.join(pred[day])[:150]}")
    n = len(rouge_scores)
    print(
        f"{'mean':<16} {n_articles:>5} {'':>5} {'':>2} | "
        f"{sum(rouge_scores) / n:7.3f} {sum(date_scores) / n:7.3f}"
    )
    for label, wanted in (("tuned on", True), ("held out", False)):
        half = [i for i, t in enumerate(topics) if (t in TUNED_ON) == wanted]
        if half:
            r1 = sum(rouge_scores[i] for i in half) / len(half)
            df = sum(date_scores[i] for i in half) / len(half)
            print(f"{label:<16} {len(half):>5} {'topics':>5} {'':>2} | {r1:7.3f} {df:7.3f}")
    print("anchors (full Timeline17): DATEWISE 0.120 / 0.544, CLUST 0.082 / 0.407")
    load = os.getloadavg()
    print(
        f"\ntime: date extraction {extract_s:.1f}s ({n_articles / extract_s:.0f} articles/s), "
        f"timelines {build_s:.1f}s ({n_articles / build_s:.0f} articles/s); "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
