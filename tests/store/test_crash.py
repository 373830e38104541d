"""kill -9 in the middle of an ingest leaves a consistent store; re-running completes it."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

from storyline.model import to_dict
from storyline.store import open_store

GROUPS = ("harbor", "museum", "festival", "council")


def write_corpus(folder: Path) -> list[str]:
    """The demo corpus plus a JSON Lines file of 300 grouped articles (so stories exist)."""
    lines = [
        json.dumps(
            {
                "id": f"synthetic-{i}",
                "title": f"Report {i} on the {GROUPS[i % 4]} story",
                "text": f"Report number {i} says the {GROUPS[i % 4]} matter moved on. " * 4,
                "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "group": GROUPS[i % 4],
                "outlet": f"Outlet {i % 7}",
            }
        )
        for i in range(300)
    ]
    lines.insert(150, "{not json")
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    demo = resources.files("storyline.demo") / "corpus"
    return [str(demo), str(feed)]


def ingest_command(inputs: list[str], db: Path) -> list[str]:
    command = [sys.executable, "-m", "storyline", "ingest", *inputs, "--db", str(db)]
    return [*command, "--set", "runner.workers=1"]


def export(db: Path) -> dict[str, object]:
    store = open_store(db, create=False)
    try:
        data: dict[str, object] = to_dict(store.result())
    finally:
        store.close()
    return data


def test_killed_ingests_complete_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path)
    clean_db = tmp_path / "clean.db"
    started = time.monotonic()
    subprocess.run(ingest_command(inputs, clean_db), check=True, capture_output=True)
    duration = time.monotonic() - started
    expected = export(clean_db)
    stories: list[dict[str, object]] = expected["stories"]  # type: ignore[assignment]
    assert len(stories) >= len(GROUPS)  # one per group, plus the demo corpus's own stories

    db = tmp_path / "crashed.db"
    rng = random.Random(7)
    for _ in range(3):
        proc = subprocess.Popen(
            ingest_command(inputs, db),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if db.exists():
            check = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
            assert check == "ok"
    subprocess.run(ingest_command(inputs, db), check=True, capture_output=True)
    assert export(db) == expected


def test_two_ingests_at_once_both_complete(tmp_path: Path) -> None:
    """Writers hold the lock only to write, so a second ingest waits instead of failing."""
    demo, feed = write_corpus(tmp_path)
    db = tmp_path / "shared.db"
    procs = [
        subprocess.Popen(ingest_command([source], db), stderr=subprocess.PIPE, text=True)
        for source in (demo, feed)
    ]
    errors = [proc.communicate()[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    data = export(db)
    ids = {a["id"] for a in data["articles"]}  # type: ignore[attr-defined]
    stories = data["stories"]
    members = sorted(i for s in stories for i in s["article_ids"])  # type: ignore[attr-defined]
    assert len(ids) >= 300
    assert members == sorted(ids)  # every article in exactly one story
    # and the next ingest has nothing left to do
    again = subprocess.run(ingest_command([demo], db), check=True, capture_output=True)
    assert again.returncode == 0
    assert export(db) == data
