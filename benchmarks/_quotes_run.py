"""``benchmarks/quotes.py --run``: the statements ``storyline run`` outputs, as per-record mentions.

Each distinct article of the split is written to a JSON Lines file (id, title, text,
date, publisher) and read back through :func:`storyline.run`, the same code as
``storyline run``: cleaning, dedupe, clustering into stories, and the story stages that
merge statements across articles and vote their speakers. Each story quote is then cut
back into one mention per carrier (its evidence and speaker evidence in that article,
the story's speaker) and its spans moved from the cleaned text to the record's text
(through the blocks the two texts share), so the PolNeAR scorer can read them.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import storyline
from storyline.model import Annotations, QuoteMention, Span
from storyline.settings import Settings

__all__ = ["run_annotations"]


def run_annotations(
    records: Sequence[dict[str, Any]], settings: Settings
) -> tuple[list[Annotations], dict[str, int]]:
    """Per-record annotations built from ``storyline run`` output, and counts to explain."""
    texts = {r["article"]: r for r in records}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "polnear.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for name, record in texts.items():
                row = {
                    "id": name,
                    "title": record.get("title"),
                    "text": record["text"],
                    "published": record.get("date"),
                    "outlet": record.get("publisher"),
                }
                fh.write(json.dumps(row) + "\n")
        result = storyline.run([path], settings)
    cleaned = {a.id: a.text for a in result.articles}
    by_article: dict[str, list[QuoteMention]] = {name: [] for name in texts}
    counts = {"articles": len(texts), "kept": len(cleaned), "quotes": 0, "lost spans": 0}
    for story in result.stories:
        for quote in story.quotes:
            counts["quotes"] += 1
            for article_id in quote.article_ids:
                if article_id not in texts:
                    continue
                original, clean = texts[article_id]["text"], cleaned[article_id]
                evidence = _moved(original, clean, quote.evidence, article_id)
                if not evidence:
                    counts["lost spans"] += 1
                    continue
                by_article[article_id].append(
                    QuoteMention(
                        text=quote.text,
                        speaker=quote.speaker,
                        evidence=evidence,
                        speaker_evidence=_moved(
                            original, clean, quote.speaker_evidence, article_id
                        ),
                        kind=quote.kind,
                        cue=quote.cue,
                    )
                )
    out = [
        Annotations(article_id=r["article"], quotes=tuple(by_article[r["article"]]))
        for r in records
    ]
    return out, counts


def _moved(original: str, clean: str, spans: Sequence[Span], article_id: str) -> tuple[Span, ...]:
    """``spans`` of ``article_id``'s cleaned text, moved to the same characters of the
    original text (through the matching blocks of the two; a span partly outside them,
    where cleaning changed the text, is dropped)."""
    blocks = _blocks(original, clean)
    out = []
    for span in spans:
        if span.article_id != article_id:
            continue
        start, end = _at(blocks, span.start), _at(blocks, span.end - 1)
        if start is not None and end is not None and end >= start:
            out.append(Span(article_id=article_id, start=start, end=end + 1))
    return tuple(out)


@functools.cache
def _blocks(original: str, clean: str) -> tuple[tuple[int, int, int], ...]:
    matcher = difflib.SequenceMatcher(None, clean, original, autojunk=False)
    return tuple((a, b, size) for a, b, size in matcher.get_matching_blocks() if size)


def _at(blocks: Sequence[tuple[int, int, int]], offset: int) -> int | None:
    index = bisect.bisect_right([a for a, _, _ in blocks], offset) - 1
    if index < 0:
        return None
    a, b, size = blocks[index]
    return b + offset - a if offset < a + size else None
