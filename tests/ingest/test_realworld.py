"""Real-world archives and feeds (../shared/data/realworld): every file is accounted for.

The files are the test suites of warcio (real and deliberately broken WARC and ARC files)
and feedparser (about 2,100 real and ill-formed RSS, Atom, CDF and JSON feeds in many
encodings). For every file: at least one article or skipped entry, and no internal error
from any stage. The table per folder is printed at the end of the session. Skipped when
../shared is absent.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from storyline.ingest import read
from storyline.model import Article, Skipped
from storyline.pipeline import process_record
from storyline.settings import load_settings

pytestmark = pytest.mark.issue(18)

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "realworld"
SETTINGS = load_settings(None, ["runner.workers=1"])
TABLE: dict[str, Counter[str]] = {}  # folder -> files, articles, skipped


def _files(kind: str) -> list[Path]:
    folder = REALWORLD / kind
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "LICENSE")


@pytest.mark.parametrize("kind", ["warc", "feeds"])
def test_every_real_world_file_gives_articles_or_reasons(kind: str) -> None:
    files = _files(kind)
    if not files:
        pytest.skip(f"{REALWORLD / kind} is not there (../shared is absent)")
    logging.disable(logging.WARNING)  # warcio and feedparser complain about broken files
    try:
        problems = []
        for path in files:
            row = TABLE.setdefault(f"{kind}/{path.parent.relative_to(REALWORLD / kind)}", Counter())
            results = [process_record(item, settings=SETTINGS) for item in read([path])]
            row["files"] += 1
            row["articles"] += sum(isinstance(r, Article) for r in results)
            row["skipped"] += sum(isinstance(r, Skipped) for r in results)
            if not results:
                problems.append(f"{path}: nothing at all")
            problems += [
                f"{path}: {r.reason}"
                for r in results
                if isinstance(r, Skipped) and ("internal error" in r.reason or not r.reason)
            ]
    finally:
        logging.disable(logging.NOTSET)
    assert not problems, "\n".join(problems[:20])
