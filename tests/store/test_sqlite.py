"""SQLite specifics: schema versions, bad files, WAL, round-trips (hypothesis)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
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


def test_a_version_1_file_is_upgraded_with_its_search_rows(
    tmp_path: Path, make_article: Callable[..., Article]
) -> None:
    path = tmp_path / "v1.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    db.execute(
        "INSERT INTO story_search (title, body, kind, article_id, story_id) "
        "VALUES ('Harbour', 'the lighthouse hid them', 'quote', 'a1', 's1')"
    )
    db.close()
    store = SQLiteStore(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.story_state() is None  # so the next ingest rebuilds the stories
    assert [h.story_id for h in store.search("lighthouse")] == ["s1"]
    store.put_stories([], drop=["s1"])
    assert store.search("lighthouse") == ()
    store.close()


def test_many_small_writes_leave_a_compact_search_index(
    tmp_path: Path, make_article: Callable[..., Article]
) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    for i in range(40):
        store.add([make_article(source=f"{i}.txt", text=f"Report {i} on the harbour.")], [])
    store.close()
    db = sqlite3.connect(tmp_path / "s.db")
    # the structure record lists segments per level; usermerge=2 keeps at most one a level
    levels = db.execute("SELECT count(*) FROM article_search_data").fetchone()[0]
    assert levels <= 8  # one or more blocks per segment: 40 segments without merging
    assert len(SQLiteStore(tmp_path / "s.db").search("harbour", limit=50)) == 40


def test_a_snippet_is_cut_around_the_first_match_of_a_long_article(
    make_article: Callable[..., Article],
) -> None:
    filler = " ".join(f"word{i}" for i in range(300))
    text = f"{filler} The Lighthouse keeper spoke. {filler} lighthouse again."
    store = SQLiteStore(":memory:")
    store.add([make_article(text=text)], [])
    (hit,) = store.search("LIGHTHOUSE")
    assert hit.snippet.startswith("…")
    assert hit.snippet.endswith("…")
    assert len(hit.snippet.strip("…").split()) == 24
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Lighthouse"]


def test_a_match_found_only_by_diacritic_folding_still_gets_a_snippet(
    make_article: Callable[..., Article],
) -> None:
    store = SQLiteStore(":memory:")
    article = make_article(title="Harbour news", text="The old café by the harbour reopened.")
    store.add([article], [])
    (hit,) = store.search("cafe")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["café"]
