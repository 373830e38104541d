"""SQLite specifics: schema versions, bad files, WAL, round-trips (hypothesis)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StoreError
from storyline.model import Article, PartialDate, Removed, Skipped
from storyline.store import SQLiteStore, open_store
from storyline.store.memory import MemoryStore
from storyline.store.sqlite import MIGRATIONS

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
OPTIONAL = st.none() | TEXT

articles = st.builds(
    Article,
    id=st.text(min_size=1, max_size=20),
    source=TEXT,
    title=OPTIONAL,
    text=TEXT,
    outlet=OPTIONAL,
    author=OPTIONAL,
    url=OPTIONAL,
    published=st.none()
    | st.builds(
        PartialDate, date=st.dates(), precision=st.sampled_from(["day", "month", "year"])
    ).map(lambda p: PartialDate.from_iso(p.iso())),
    published_source=st.none() | st.sampled_from(["given", "metadata", "inferred"]),
    language=OPTIONAL,
    group=OPTIONAL,
    removed=st.lists(st.builds(Removed, text=TEXT, reason=TEXT), max_size=2).map(tuple),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(articles, max_size=6, unique_by=lambda a: a.id))
def test_articles_round_trip_through_both_stores(batch: list[Article]) -> None:
    for store in (SQLiteStore(":memory:"), MemoryStore()):
        store.add(batch, [Skipped(source=a.source, reason="r") for a in batch])
        assert store.articles() == tuple(batch)
        for article in batch:
            assert store.article(article.id) == article
        store.close()


def test_a_new_file_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    mode = sqlite3.connect(tmp_path / "s.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_reopening_keeps_the_data(tmp_path: Path, make_article) -> None:  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    store.add([make_article()], [])
    store.close()
    again = open_store(tmp_path / "s.db", create=False)
    assert again.counts()["articles"] == 1
    again.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this storyline knows"):
        SQLiteStore(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some notes, not SQLite " * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="is not a storyline store"):
        SQLiteStore(path)


def test_a_missing_file_is_refused_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at") as info:
        open_store(tmp_path / "none.db", create=False)
    assert "storyline ingest" in info.value.hint


def test_memory_url_gives_the_memory_store() -> None:
    assert isinstance(open_store("memory:"), MemoryStore)
