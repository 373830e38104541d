"""Read-only connections (issue 17): the server cannot write, and never waits on a writer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.model import Article, Story
from storyline.store import SQLiteStore, open_store
from storyline.store.sqlite import MIGRATIONS


@pytest.fixture
def db(tmp_path: Path, make_article: Callable[..., Article]) -> Path:
    path = tmp_path / "s.db"
    store = SQLiteStore(path)
    with store.transaction():
        store.add([make_article(id="a1", title="Harbor museum", text="The museum reopened.")], [])
        store.set_stories([Story(id="s1", title="Harbor", article_ids=("a1",))])
        store.put_pages({"s1": b"first"})
    store.close()
    return path


@pytest.mark.issue(17)
def test_a_read_only_store_refuses_every_write(
    db: Path, make_article: Callable[..., Article]
) -> None:
    reader = open_store(db, create=False, read_only=True)
    try:
        with pytest.raises(StoreError, match="read-only"):
            reader.add([make_article(id="a2")], [])
        with pytest.raises(StoreError, match="read-only"):
            reader.put_pages({"s1": b"second"})
        # below the store's own check, SQLite refuses too (mode=ro and query_only)
        raw: sqlite3.Connection = getattr(reader, "_db")  # noqa: B009
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only"):
            raw.execute("DELETE FROM story_pages")
        assert reader.page("s1") == b"first"
    finally:
        reader.close()


@pytest.mark.issue(17)
def test_a_reader_reads_while_a_writer_holds_its_transaction(
    db: Path, make_article: Callable[..., Article]
) -> None:
    writer = SQLiteStore(db)
    reader = SQLiteStore(db, read_only=True)
    try:
        with writer.transaction():
            writer.add([make_article(id="a2", title="Harbor again", text="More museum.")], [])
            writer.put_pages({"s1": b"second"})
            # the write is not committed: the reader sees the last commit, without waiting
            # for the writer (a blocked reader would fail after its busy timeout)
            assert reader.page("s1") == b"first"
            assert reader.counts()["articles"] == 1
            assert [h.article_id for h in reader.search("museum")] == ["a1"]
        assert reader.page("s1") == b"second"
        assert reader.counts()["articles"] == 2
    finally:
        writer.close()
        reader.close()


@pytest.mark.issue(17)
def test_a_read_only_store_must_exist_and_be_current(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        SQLiteStore(tmp_path / "missing.db", read_only=True)
    old = tmp_path / "old.db"
    raw = sqlite3.connect(old)
    raw.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    raw.close()
    with pytest.raises(StoreError, match="cannot upgrade"):
        SQLiteStore(old, read_only=True)
    SQLiteStore(old, create=False).close()  # a writer upgrades it
    SQLiteStore(old, read_only=True).close()
