"""PolNeAR records and the fixed splits the quote benchmark and the attribution training use.

``polnear_train`` holds 919 records of 840 articles: an article annotated by several
annotators appears once per annotator, with the same text. Every split here is by
article, so one text never sits on both sides.

- ``unseen``: a slice of ``polnear_train`` that is neither trained nor tuned on, kept for
  final figures only: the articles of records 300-918 (records 0-299 were used to check
  rule changes before), taken in file order, every fourth one starting with the fourth
  (positions 3, 7, 11, ...), with all their records.
- ``fit``: the rest of ``polnear_train`` (what ``make train-attribution`` learns from).
- ``dev``: ``polnear_dev`` as given.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SPLITS = ("dev", "train", "unseen", "fit")
_UNSEEN_FROM = 300
_UNSEEN_EVERY = 4


def polnear_path(data: Path, split: str) -> Path:
    """The file a split's records come from."""
    return data / "quotes" / f"polnear_{'dev' if split == 'dev' else 'train'}.jsonl.gz"


def load_split(data: Path, split: str) -> list[dict[str, Any]]:
    """The records of ``split`` (see the module docstring), in file order."""
    with gzip.open(polnear_path(data, split), "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    if split in ("dev", "train"):
        return records
    held = unseen_articles(records)
    return [r for r in records if (r["article"] in held) == (split == "unseen")]


def unseen_articles(records: list[dict[str, Any]]) -> set[str]:
    """The article names of the ``unseen`` slice of ``polnear_train``'s records."""
    later = list(dict.fromkeys(r["article"] for r in records[_UNSEEN_FROM:]))
    early = {r["article"] for r in records[:_UNSEEN_FROM]}
    later = [a for a in later if a not in early]
    return set(later[_UNSEEN_EVERY - 1 :: _UNSEEN_EVERY])
