"""The default store: one SQLite file in WAL mode, with FTS5 full-text search.

Method and limits:

1. The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` are applied in
   order, each in its own transaction, so a file made by an older storyline is upgraded on
   open and one made by a newer one is refused.
2. Model objects are stored as their output-contract JSON (``to_dict``) beside the few
   columns that queries need (ids, dates, titles), so a read gives back exactly what was
   written.
3. Writes happen in explicit ``BEGIN IMMEDIATE`` transactions; WAL with
   ``synchronous=NORMAL`` keeps the file consistent across a crash or ``kill -9`` (a
   power cut may lose the last commits, never half of one).
4. Two FTS5 tables: ``article_search`` (rowid = the article's row) and ``story_search``
   (quotes and summary sentences of each story; ``story_search_rows`` says which rows
   belong to which story, so one story's rows are replaced without a scan). Queries are
   parameterised; free text becomes quoted words (:func:`~storyline.store.base.fts_query`).
5. Search speed: FTS5 writes a new index segment per flush, and a query reads every
   segment, so a store grown by many ingests searched several times slower than a
   compacted one. Each write transaction that touched the index ends by merging segments
   (``usermerge = 2``: at most one segment per size level, so the work per ingest stays
   proportional to what it added). Ranking (BM25, titles weighted 4:1) runs first and
   snippets are made only for the page shown. FTS5's ``snippet()`` tokenizes the whole
   column, which for 20 long articles cost several times the ranking; an article's
   snippet is therefore cut in Python around the first whole-word, case-insensitive
   occurrence of a query word (24 words, highlights on every occurrence), and FTS5's
   ``snippet()`` is used only when that finds none (a match only in the title, or one
   FTS5's diacritic folding found). Quotes and summaries are short: FTS5 snippets.
6. What incremental ingest needs is kept too: per-article annotations (``annotations``),
   the corpus stages' rows (``state_rows``: the clusterer's and the deduper's rows by kind
   and key, read and written piecemeal) and a small fingerprint of the settings they were
   made with (``story_state``), see :mod:`storyline.pipeline`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
import threading
import time
import typing
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from storyline._json import dumps
from storyline.errors import DamagedStoreError, StoreError
from storyline.model import Annotations, Article, Result, Skipped, Story, from_dict, to_dict
from storyline.store.base import (
    AddReport,
    Page,
    SearchHit,
    StoryQuery,
    fts_query,
    story_dates,
    story_order,
    words,
)

__all__ = ["MIGRATIONS", "SQLiteStore"]

T = TypeVar("T")

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks around matches in FTS snippets

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, skipped inputs, stories, their entities, full-text search
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        published TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE skipped (
        seq INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        UNIQUE (source, reason)
    );
    CREATE TABLE stories (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        oldest TEXT NOT NULL,
        newest TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX stories_by_newest ON stories (newest DESC, seq);
    CREATE TABLE story_entities (
        name TEXT NOT NULL COLLATE NOCASE,
        story_id TEXT NOT NULL,
        PRIMARY KEY (name, story_id)
    ) WITHOUT ROWID;
    CREATE TABLE story_articles (
        article_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (article_id, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX articles_by_published ON articles (published DESC, seq DESC);
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE story_search USING fts5(
        title, body, kind UNINDEXED, article_id UNINDEXED, story_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
    # 2: incremental stories (annotations, clusterer state, search rows per story) and
    # compact full-text indexes
    """
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE story_state (
        key INTEGER PRIMARY KEY CHECK (key = 1),
        data TEXT NOT NULL
    );
    CREATE TABLE story_search_rows (
        story_id TEXT NOT NULL,
        row INTEGER NOT NULL,
        PRIMARY KEY (story_id, row)
    ) WITHOUT ROWID;
    INSERT INTO story_search_rows (story_id, row) SELECT story_id, rowid FROM story_search;
    INSERT INTO article_search (article_search, rank) VALUES ('usermerge', 2);
    INSERT INTO story_search (story_search, rank) VALUES ('usermerge', 2);
    INSERT INTO article_search (article_search) VALUES ('optimize');
    INSERT INTO story_search (story_search) VALUES ('optimize');
    """,
    # 3: the corpus stages' row state (clusterer and deduper rows, written piecemeal);
    # the one-document clusterer state of version 2 is dropped (stories are rebuilt once)
    """
    CREATE TABLE state_rows (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    DELETE FROM story_state;
    """,
    # 4: each story's page payload, written with the story (storyline.web.story_page)
    """
    CREATE TABLE story_pages (
        story_id TEXT PRIMARY KEY,
        modified REAL NOT NULL,
        data BLOB NOT NULL
    );
    """,
)

# How long a writer waits for another writer's transaction before giving up. Model work
# and story stages run outside write transactions (storyline.pipeline), so these are the
# corpus stages and writes of one update: seconds for thousands of articles.
WRITE_WAIT_S = 120

_SEARCH_TABLES = ("article_search", "story_search")
_REBUILD = "restore it from a backup, or build a new store with storyline ingest into another --db"
# what SQLite says of a damaged file (as opposed to a locked or busy one)
_DAMAGE = re.compile(
    r"malformed|not a database|corrupt|could not decode|disk I/O error", re.IGNORECASE
)
_READ_BUSY_MS = 1000  # a reader waits at most this long (WAL readers seldom wait at all)
_MERGE_PAGES = 2000  # pages of merge work per step when compacting an index

# Ranking first, snippets only for the page shown: snippet() over every match of a common
# word would cost far more than the BM25 ranking itself. Ranking is bounded: BM25 scores
# only the newest CANDIDATES matches of each table (the subquery finds the oldest of them
# reading rowids newest first, which FTS5 streams without scoring; with fewer matches it
# finds none and every match is scored), so a common word costs no more than a rare one.
CANDIDATES = 500
_RANK_SQL = {
    table: f"SELECT rowid, bm25({table}, 4.0, 1.0) AS score FROM {table} "
    f"WHERE {table} MATCH :q AND rowid >= coalesce((SELECT rowid FROM {table} "
    f"WHERE {table} MATCH :q ORDER BY rowid DESC LIMIT 1 OFFSET :n - 1), 0) "
    "ORDER BY score, rowid LIMIT :k"
    for table in ("article_search", "story_search")
}
_SNIPPET_SQL = {
    "article_search": f"""
        SELECT s.rowid, s.title, snippet(article_search, 1, '{_OPEN}', '{_CLOSE}', '…', 24),
               'article', a.id,
               (SELECT story_id FROM story_articles WHERE article_id = a.id LIMIT 1)
        FROM article_search AS s JOIN articles AS a ON a.seq = s.rowid
        WHERE article_search MATCH :q AND s.rowid IN ({{marks}})""",
    "story_search": f"""
        SELECT rowid, title, snippet(story_search, 1, '{_OPEN}', '{_CLOSE}', '…', 24),
               kind, article_id, story_id
        FROM story_search WHERE story_search MATCH :q AND rowid IN ({{marks}})""",
}


_TEXT_SQL = {
    "article_search": """
        SELECT s.rowid, s.title, s.body, 'article', a.id,
               (SELECT story_id FROM story_articles WHERE article_id = a.id LIMIT 1)
        FROM article_search AS s JOIN articles AS a ON a.seq = s.rowid
        WHERE s.rowid IN ({marks})""",
    "story_search": """
        SELECT rowid, title, body, kind, article_id, story_id
        FROM story_search WHERE rowid IN ({marks})""",
}
_SNIPPET_WORDS = 24  # words in a snippet, as FTS5's snippet(..., 24)
_WORDS_BEFORE = 6  # of them before the first match
_TOKEN = re.compile(r"\S+")
_NON_SPACE = re.compile(r"\S")
_REACH = 12 * _SNIPPET_WORDS  # characters either side of a match: enough for the words
_NEAR = 12 * _WORDS_BEFORE  # a first, shorter look back


class SQLiteStore:
    """A :class:`~storyline.store.base.Store` in one SQLite file (or ``:memory:``).

    Args:
        path: the database file; created (with its folder missing → error) if absent.
        create: when False, a missing file is an error instead of being created.

    Raises:
        StoreError: the file cannot be opened, is not a storyline store, or was made by a
            newer version.
    """

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if self.path != ":memory:" and (read_only or not create) and not Path(self.path).is_file():
            raise StoreError(
                f"no store at {self.path}",
                hint=f"create it with: storyline ingest INPUT... --db {self.path}",
            )
        self._lock = threading.RLock()
        self._depth = 0
        self._indexed = False  # the search index was written in this transaction
        try:
            if read_only:
                target = f"{Path(self.path).resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(
                    target, isolation_level=None, check_same_thread=False, uri=True
                )
            else:
                self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(
                f"cannot open store {self.path}: {e}", hint="check the --db path and its folder"
            ) from e
        try:
            if read_only:
                self._db.execute("PRAGMA query_only = 1")
                self._db.execute(f"PRAGMA busy_timeout = {_READ_BUSY_MS}")
                self._check_schema()
            else:
                self._db.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_S * 1000}")
                self._set_up()
        except StoreError:
            self._db.close()
            raise
        except sqlite3.DatabaseError as e:
            self._db.close()
            if _DAMAGE.search(str(e)) and "not a database" not in str(e):
                raise self._damaged(e) from e
            raise StoreError(
                f"{self.path} is not a storyline store ({e})",
                hint="point --db at a store made by storyline ingest, or at a new file",
            ) from e

    # --- schema -------------------------------------------------------------------------

    def _set_up(self) -> None:
        """WAL mode and migrations, waiting for another process setting up the same file.

        Two processes creating one new store at once can meet in SQLite's lock upgrade
        from the rollback journal to WAL, where SQLite answers "locked" at once instead of
        waiting (a deadlock it breaks); the set-up is tried again until ``WRITE_WAIT_S``.
        """
        deadline = time.monotonic() + WRITE_WAIT_S
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                time.sleep(0.05)

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``len(MIGRATIONS)`` once migrated)."""
        version: int = self._db.execute("PRAGMA user_version").fetchone()[0]
        return version

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this storyline "
                f"knows ({len(MIGRATIONS)})",
                hint="upgrade storyline",
            )
        if version == len(MIGRATIONS):
            return
        # under the write lock, the version read again: two processes opening a new file
        # at once must not both apply the same migration
        self._write("BEGIN IMMEDIATE")
        try:
            version = self.schema_version
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _check_schema(self) -> None:
        """A read-only connection cannot migrate: the file must be of this version."""
        version = self.schema_version
        if version > len(MIGRATIONS):
            self._migrate()  # raises: made by a newer storyline
        if version < len(MIGRATIONS):
            raise StoreError(
                f"{self.path} has schema version {version}, older than this storyline's "
                f"({len(MIGRATIONS)}), and a read-only connection cannot upgrade it",
                hint=f"open it once for writing (storyline serve --db {self.path} does)",
            )

    # --- writes -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside are kept together or not at all; nested calls join the outer."""
        with self._lock:
            if self.read_only:
                raise StoreError(
                    f"cannot write to store {self.path}: it was opened read-only",
                    hint="open it without read_only to write (storyline ingest does)",
                )
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._write("BEGIN IMMEDIATE")
            self._depth = 1
            self._indexed = False
            try:
                yield
                if self._indexed:
                    self._compact()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._write("COMMIT")
            finally:
                self._depth = 0

    def add(self, articles: Iterable[Article], skipped: Iterable[Skipped]) -> AddReport:
        """Add articles not stored yet (by id) and skipped inputs not recorded yet."""
        new: list[Article] = []
        known = 0
        new_skipped = 0
        with self.transaction():
            for article in articles:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO articles (id, published, data) VALUES (?, ?, ?)",
                    (article.id, _day(article), _json(article)),
                )
                if cur.rowcount:
                    self._index_article(cur.lastrowid, article)
                    new.append(article)
                else:
                    known += 1
            for item in skipped:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO skipped (source, reason) VALUES (?, ?)",
                    (item.source, item.reason),
                )
                new_skipped += cur.rowcount
        return AddReport(new_articles=tuple(new), already_stored=known, new_skipped=new_skipped)

    def update_articles(self, articles: Iterable[Article]) -> None:
        """Replace stored articles with these versions (same ids)."""
        with self.transaction():
            for article in articles:
                row = self._db.execute(
                    "SELECT seq FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if row is None:
                    raise StoreError(f"cannot update article {article.id}: it is not stored")
                self._db.execute(
                    "UPDATE articles SET published = ?, data = ? WHERE seq = ?",
                    (_day(article), _json(article), row[0]),
                )
                self._db.execute("DELETE FROM article_search WHERE rowid = ?", (row[0],))
                self._index_article(row[0], article)

    def set_stories(self, stories: Sequence[Story]) -> None:
        """Replace every stored story (and the story search index) with ``stories``.

        The story state is forgotten: the next ingest rebuilds stories from the articles.
        """
        with self.transaction():
            self._db.execute("DELETE FROM stories")
            self._db.execute("DELETE FROM story_entities")
            self._db.execute("DELETE FROM story_articles")
            self._db.execute("DELETE FROM story_search")
            self._db.execute("DELETE FROM story_search_rows")
            self._db.execute("DELETE FROM story_state")
            self._db.execute("DELETE FROM story_pages")
            self._write_stories(stories)

    def put_stories(self, stories: Sequence[Story], *, drop: Iterable[str] = ()) -> None:
        """Add ``stories``, replacing stored ones with the same id, and delete ``drop`` ids."""
        with self.transaction():
            for story_id in [*drop, *(s.id for s in stories)]:
                self._delete_story(story_id)
            self._write_stories(stories)

    def put_pages(self, pages: Mapping[str, bytes]) -> None:
        """Keep each story's page payload, replacing a stored one (see the Store protocol)."""
        now = time.time()
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO story_pages (story_id, modified, data) VALUES (?, ?, ?)",
                [(story_id, now, bytes(data)) for story_id, data in pages.items()],
            )

    def add_annotations(self, notes: Iterable[Annotations]) -> None:
        """Keep per-article annotations, replacing those stored for the same article."""
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO annotations (article_id, data) VALUES (?, ?)",
                [(note.article_id, _json(note)) for note in notes],
            )

    def annotations(self, article_ids: Iterable[str]) -> dict[str, Annotations]:
        """Stored annotations by article id (ids with none stored are left out)."""
        sql = "SELECT article_id, data FROM annotations WHERE article_id IN ({marks})"
        rows = self._in_chunks(sql, article_ids)
        found = {article_id: _load(Annotations, data) for article_id, data in rows}
        return found

    def story_state(self) -> dict[str, Any] | None:
        """The state saved by :meth:`set_story_state`, or None."""
        data = self._one("SELECT data FROM story_state WHERE key = 1", ())
        if data is None:
            return None
        state: dict[str, Any] = _load(dict, data)
        return state

    def set_story_state(self, state: Mapping[str, Any] | None) -> None:
        """Save the story state (JSON-ready data), or forget it (and every state row)."""
        with self.transaction():
            if state is None:
                self._db.execute("DELETE FROM story_state")
                self._db.execute("DELETE FROM state_rows")
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO story_state (key, data) VALUES (1, ?)",
                    (json.dumps(state, ensure_ascii=False, separators=(",", ":")),),
                )

    def state_rows(self) -> _StateRows:
        """The corpus stages' row state, in the ``state_rows`` table."""
        return _StateRows(self)

    def known_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored."""
        rows = self._in_chunks("SELECT id FROM articles WHERE id IN ({marks})", article_ids)
        return {i for (i,) in rows}

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles of ``article_ids`` (decoded only those)."""
        rows = self._in_chunks("SELECT id, data FROM articles WHERE id IN ({marks})", article_ids)
        return {i: _load(Article, data) for i, data in rows}

    def _in_chunks(
        self, sql: str, keys: Iterable[str], params: Sequence[Any] = ()
    ) -> Iterator[Any]:
        """The rows of ``sql`` (with ``{marks}`` for an ``IN`` list) for every key, read
        500 keys at a time (SQLite bounds the parameters of one statement)."""
        ids = sorted(set(keys))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self._all(sql.format(marks=marks), [*params, *chunk])

    def _write_stories(self, stories: Sequence[Story]) -> None:
        by_id = {a.id: a for a in self._articles_of(stories)}
        for story in stories:
            oldest, newest = story_dates(story, by_id)
            self._db.execute(
                "INSERT INTO stories (id, title, oldest, newest, data) VALUES (?, ?, ?, ?, ?)",
                (story.id, story.title, oldest, newest, _json(story)),
            )
            names = {n for e in story.entities for n in (e.name, *e.aliases)}
            self._db.executemany(
                "INSERT OR IGNORE INTO story_entities (name, story_id) VALUES (?, ?)",
                [(name, story.id) for name in sorted(names)],
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO story_articles (article_id, story_id) VALUES (?, ?)",
                [(article_id, story.id) for article_id in story.article_ids],
            )
            for row in _story_rows(story):
                cur = self._db.execute(
                    "INSERT INTO story_search (title, body, kind, article_id, story_id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    row,
                )
                self._db.execute(
                    "INSERT INTO story_search_rows (story_id, row) VALUES (?, ?)",
                    (story.id, cur.lastrowid),
                )
                self._indexed = True

    def _delete_story(self, story_id: str) -> None:
        self._db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        self._db.execute("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
        self._db.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
        self._db.execute(
            "DELETE FROM story_search WHERE rowid IN "
            "(SELECT row FROM story_search_rows WHERE story_id = ?)",
            (story_id,),
        )
        self._db.execute("DELETE FROM story_search_rows WHERE story_id = ?", (story_id,))
        self._db.execute("DELETE FROM story_pages WHERE story_id = ?", (story_id,))

    def _compact(self) -> None:
        """Merge full-text index segments (see the module docstring, point 5)."""
        for table in _SEARCH_TABLES:
            while True:
                before = self._db.total_changes
                self._db.execute(
                    f"INSERT INTO {table} ({table}, rank) VALUES ('merge', {_MERGE_PAGES})"
                )
                if self._db.total_changes - before < 2:  # nothing was left to merge
                    break

    def _index_article(self, seq: int | None, article: Article) -> None:
        self._indexed = True
        self._db.execute(
            "INSERT INTO article_search (rowid, title, body) VALUES (?, ?, ?)",
            (seq, article.title or "", article.text),
        )

    def _articles_of(self, stories: Sequence[Story]) -> Iterator[Article]:
        ids = sorted({i for s in stories for i in s.article_ids})
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT data FROM articles WHERE id IN ({marks})", chunk)
            yield from (_load(Article, data) for (data,) in rows)

    def _write(self, sql: str) -> None:
        try:
            self._db.execute(sql)
        except sqlite3.OperationalError as e:  # locked by another writer past busy_timeout
            raise StoreError(
                f"cannot write to store {self.path}: {e}",
                hint="another storyline ingest may be writing to it; try again",
            ) from e

    # --- reads --------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        """One article by id, or None."""
        data = self._one("SELECT data FROM articles WHERE id = ?", (article_id,))
        return None if data is None else _load(Article, data)

    def articles(self) -> tuple[Article, ...]:
        """Every article, in the order they were first stored."""
        rows = self._all("SELECT data FROM articles ORDER BY seq", ())
        return tuple(_load(Article, data) for (data,) in rows)

    def recent_articles(self, *, limit: int = 20, offset: int = 0) -> tuple[Article, ...]:
        """Articles newest first (by publication date; undated last)."""
        rows = self._all(
            "SELECT data FROM articles ORDER BY published DESC NULLS LAST, seq DESC "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return tuple(_load(Article, data) for (data,) in rows)

    def article_stories(self, article_id: str) -> tuple[Story, ...]:
        """The stories an article belongs to."""
        rows = self._all(
            "SELECT data FROM stories WHERE id IN "
            "(SELECT story_id FROM story_articles WHERE article_id = ?) ORDER BY seq",
            (article_id,),
        )
        return tuple(_load(Story, data) for (data,) in rows)

    def skipped(self) -> tuple[Skipped, ...]:
        """Every skipped input, in the order they were first recorded."""
        rows = self._all("SELECT source, reason FROM skipped ORDER BY seq", ())
        return tuple(Skipped(source=source, reason=reason) for source, reason in rows)

    def story(self, story_id: str) -> Story | None:
        """One story by id, or None."""
        data = self.story_json(story_id)
        return None if data is None else _load(Story, data)

    def story_json(self, story_id: str) -> bytes | None:
        """One story's contract JSON as stored, UTF-8 encoded (the API's fast path), or None.

        Read as a blob: the bytes go to the client as they are, where reading text would
        decode them only for the server to encode them again (25 ms instead of 3 for the
        largest story of the real benchmark store, 6.8 MB).
        """
        with self._lock, self._reading():
            row = self._db.execute(
                "SELECT CAST(data AS BLOB) FROM stories WHERE id = ?", (story_id,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def page(self, story_id: str) -> bytes | None:
        """A story's stored page payload, or None (none stored: an older store)."""
        with self._lock, self._reading():
            row = self._db.execute(
                "SELECT data FROM story_pages WHERE story_id = ?", (story_id,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def page_modified(self, story_id: str) -> dt.datetime | None:
        """When a story's page was stored (UTC), or None when none is."""
        with self._lock, self._reading():
            row = self._db.execute(
                "SELECT modified FROM story_pages WHERE story_id = ?", (story_id,)
            ).fetchone()
        return None if row is None else dt.datetime.fromtimestamp(row[0], dt.UTC)

    def stories(self, query: StoryQuery | None = None) -> Page:
        """A page of stories, newest first (by their newest article)."""
        q = query or StoryQuery()
        where, params = ["1"], dict[str, Any]()
        if q.entity is not None:
            where.append("id IN (SELECT story_id FROM story_entities WHERE name = :entity)")
            params["entity"] = q.entity
        if q.since is not None:
            where.append("newest >= :since")
            params["since"] = q.since.isoformat()
        if q.until is not None:
            where.append("oldest != '' AND oldest <= :until")
            params["until"] = q.until.isoformat()
        if q.outlet is not None:
            where.append(
                "id IN (SELECT sa.story_id FROM story_articles sa JOIN articles a "
                "ON a.id = sa.article_id WHERE json_extract(a.data, '$.outlet') = :outlet)"
            )
            params["outlet"] = q.outlet
        condition = " AND ".join(where)
        order = "newest DESC, seq" if q.order == "newest" else "oldest = '', oldest, seq"
        if q.several_first:  # stories of one article below the others
            order = (
                "(SELECT count(*) FROM story_articles WHERE story_id = stories.id) < 2, " + order
            )
        total = self._all(f"SELECT count(*) FROM stories WHERE {condition}", params)[0][0]
        rows = self._all(
            f"SELECT data FROM stories WHERE {condition} ORDER BY {order} "
            "LIMIT :limit OFFSET :offset",
            {**params, "limit": q.limit, "offset": q.offset},
        )
        return Page(stories=tuple(_load(Story, data) for (data,) in rows), total=total)

    def entity_stories(self, name: str) -> tuple[Story, ...]:
        """Stories that name an entity (by name or alias, case-insensitive), newest first."""
        rows = self._all(
            "SELECT data FROM stories WHERE id IN "
            "(SELECT story_id FROM story_entities WHERE name = ?) ORDER BY newest DESC, seq",
            (name,),
        )
        return tuple(_load(Story, data) for (data,) in rows)

    def search(self, text: str, *, limit: int = 20, offset: int = 0) -> tuple[SearchHit, ...]:
        """Full-text search over articles, quotes and summaries, best (BM25) first."""
        match = fts_query(text)
        if not match:
            return ()
        params = {"q": match, "n": CANDIDATES, "k": limit + offset}
        ranked = [
            (score, table, rowid)
            for table, sql in _RANK_SQL.items()
            for rowid, score in self._all(sql, params)
        ]
        ranked.sort()
        chosen = ranked[offset : offset + limit]
        details = self._text_details(chosen, text)
        for table in _SNIPPET_SQL:
            rowids = [r for _, t, r in chosen if t == table and (t, r) not in details]
            if rowids:
                sql = _SNIPPET_SQL[table].format(marks=",".join(str(int(r)) for r in rowids))
                for rowid, title, snip, *ids in self._all(sql, {"q": match}):
                    details[table, rowid] = (title, _unmark(snip), *ids)
        hits = []
        for score, table, rowid in chosen:
            title, snippet, kind, article_id, story_id = details[table, rowid]
            hits.append(
                SearchHit(
                    kind=kind,
                    title=title,
                    score=round(-score, 6),
                    article_id=article_id,
                    story_id=story_id,
                    **snippet,
                )
            )
        return tuple(hits)

    def _text_details(
        self, chosen: list[tuple[float, str, int]], text: str
    ) -> dict[tuple[str, int], tuple[Any, ...]]:
        """Title, snippet, kind and ids of the hits whose text holds a query word as is.

        Read by rowid, without MATCH: FTS5's ``snippet()`` with MATCH walks the query's
        whole doclist again, which for a common word cost more than the ranking.
        """
        alternatives = sorted(set(words(text)), key=len, reverse=True)
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in alternatives) + r")(?!\w)",
            re.IGNORECASE,
        )
        details: dict[tuple[str, int], tuple[Any, ...]] = {}
        for table, sql in _TEXT_SQL.items():
            rowids = [r for _, t, r in chosen if t == table]
            if not rowids:
                continue
            rows = self._all(sql.format(marks=",".join(str(int(r)) for r in rowids)), ())
            for rowid, title, body, kind, article_id, story_id in rows:
                snippet = _text_snippet(body, pattern, alternatives)
                if snippet is not None:
                    details[table, rowid] = (title, snippet, kind, article_id, story_id)
        return details

    def result(self) -> Result:
        """Everything stored, as the output contract's top level."""
        with self._lock, self._reading():
            self._db.execute("BEGIN")  # one consistent snapshot for the three reads
            try:
                rows = self._db.execute("SELECT data FROM stories ORDER BY seq").fetchall()
                return Result(
                    articles=self.articles(),
                    skipped=self.skipped(),
                    stories=tuple(
                        sorted((_load(Story, data) for (data,) in rows), key=story_order)
                    ),
                )
            finally:
                self._db.execute("COMMIT")

    def counts(self) -> dict[str, int]:
        """How many articles, skipped inputs and stories are stored."""
        return {
            table: self._all(f"SELECT count(*) FROM {table}", ())[0][0]
            for table in ("articles", "skipped", "stories")
        }

    def outlets(self) -> tuple[str, ...]:
        """The distinct outlets of the stored articles, sorted."""
        rows = self._all(
            "SELECT DISTINCT json_extract(data, '$.outlet') AS o FROM articles "
            "WHERE o IS NOT NULL ORDER BY o",
            (),
        )
        return tuple(str(o) for (o,) in rows)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def _one(self, sql: str, params: Sequence[Any]) -> str | None:
        with self._lock, self._reading():
            row = self._db.execute(sql, params).fetchone()
        return None if row is None else str(row[0])

    def _all(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[Any]:
        with self._lock, self._reading():
            return self._db.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn what a damaged file gives a read into :class:`DamagedStoreError`."""
        try:
            yield
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # a mistake of the caller (a closed store, a bad parameter), not damage
        except sqlite3.OperationalError as e:
            if not _DAMAGE.search(str(e)):
                raise StoreError(f"cannot read store {self.path}: {e}") from e
            raise self._damaged(e) from e
        except sqlite3.DatabaseError as e:
            raise self._damaged(e) from e

    def _damaged(self, e: Exception) -> DamagedStoreError:
        return DamagedStoreError(
            f"the database is damaged: {self.path} ({type(e).__name__}: {str(e)[:200]})",
            hint=_REBUILD,
        )


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script, one at a time."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise StoreError(f"incomplete statement in a migration: {pending.strip()[:80]}")


class _StateRows:
    """:class:`~storyline.cluster.ClusterState` over a store's ``state_rows`` table."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def get_rows(self, kind: str, keys: Collection[str]) -> dict[str, bytes]:
        """The rows of ``kind`` for ``keys`` that exist."""
        sql = "SELECT key, value FROM state_rows WHERE kind = ? AND key IN ({marks})"
        return {key: bytes(value) for key, value in self._store._in_chunks(sql, keys, [kind])}

    def put_rows(self, kind: str, rows: Mapping[str, bytes]) -> None:
        """Insert or replace rows of ``kind`` (inside the store's transaction)."""
        with self._store.transaction():
            self._store._db.executemany(
                "INSERT OR REPLACE INTO state_rows (kind, key, value) VALUES (?, ?, ?)",
                [(kind, key, value) for key, value in rows.items()],
            )

    def delete_rows(self, kind: str, keys: Collection[str]) -> None:
        """Delete the rows of ``kind`` for ``keys``."""
        with self._store.transaction():
            self._store._db.executemany(
                "DELETE FROM state_rows WHERE kind = ? AND key = ?", [(kind, k) for k in keys]
            )

    def scan(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every row of ``kind``, by key."""
        rows = self._store._all(
            "SELECT key, value FROM state_rows WHERE kind = ? ORDER BY key", (kind,)
        )
        for key, value in rows:
            yield key, bytes(value)


def _story_rows(story: Story) -> Iterator[tuple[str, str, str, str | None, str]]:
    for quote in story.quotes:
        title = f"{quote.speaker}: {story.title}" if quote.speaker else story.title
        yield (title, quote.text, "quote", quote.first_seen, story.id)
    if story.summary is not None:
        body = " ".join(s.text for s in story.summary.sentences)
        if body:
            yield (story.title, body, "summary", None, story.id)


def _unmark(snippet: str) -> dict[str, Any]:
    """Split an FTS snippet with private-use marks into plain text and highlight ranges."""
    first, *marked = snippet.split(_OPEN)
    parts = [first]
    highlights: list[tuple[int, int]] = []
    length = len(first)
    for part in marked:
        match, _, rest = part.partition(_CLOSE)
        highlights.append((length, length + len(match)))
        parts += (match, rest)
        length += len(match) + len(rest)
    return {"snippet": "".join(parts), "highlights": tuple(highlights)}


def _text_snippet(
    text: str, pattern: re.Pattern[str], alternatives: list[str]
) -> dict[str, Any] | None:
    """About 24 words of ``text`` around the first match of ``pattern``, or None.

    ``pattern`` matches any of the lower-case words ``alternatives`` as a whole word,
    ignoring case. The same shape as FTS5's ``snippet()``: ``…`` where text was cut, and
    highlight ranges for every match inside the window.
    """
    found = _first_word(text, alternatives, pattern)
    if found is None:
        return None
    lo, hi = _window(text, found)
    before = "…" if _NON_SPACE.search(text, 0, lo) else ""
    after = "…" if _NON_SPACE.search(text, hi) else ""
    shown = text[lo:hi]
    offset = len(before)
    return {
        "snippet": f"{before}{shown}{after}",
        "highlights": tuple(
            (m.start() + offset, m.end() + offset) for m in pattern.finditer(shown)
        ),
    }


def _window(text: str, found: int) -> tuple[int, int]:
    """Where the snippet's words around ``found`` start and end.

    Of the words within ``_REACH`` characters either side of ``found``, the
    ``_SNIPPET_WORDS`` starting ``_WORDS_BEFORE`` before the one at ``found`` (further back
    when the text ends first). Words are read only as far as needed: the whole reach
    before ``found`` only when a short look back holds too few of them.
    """
    tokens, first = _words_around(text, found, _NEAR)
    back = max(_WORDS_BEFORE, _SNIPPET_WORDS - (len(tokens) - first))
    if first < back:  # too few words in the short look back (or the text starts there)
        tokens, first = _words_around(text, found, _REACH)
    window = tokens[max(0, first - back) :][:_SNIPPET_WORDS]
    return window[0][0], window[-1][1]


def _words_around(text: str, found: int, margin: int) -> tuple[list[tuple[int, int]], int]:
    """Spans of the words around ``found``, and the index of the one at ``found``.

    From about ``margin`` characters before ``found`` (after a space, or from 0, so the
    first word is whole) to ``_SNIPPET_WORDS`` words or ``_REACH`` characters after it.
    """
    start = text.rfind(" ", 0, max(0, found - margin)) + 1
    tokens: list[tuple[int, int]] = []
    first = -1
    for match in _TOKEN.finditer(text, start, found + _REACH):
        tokens.append(match.span())
        if first < 0 and match.end() > found:
            first = len(tokens) - 1
        if first >= 0 and len(tokens) - first == _SNIPPET_WORDS:
            break
    return tokens, first


def _first_word(text: str, alternatives: list[str], pattern: re.Pattern[str]) -> int | None:
    """Where the first whole-word occurrence of one of ``alternatives`` starts, or None.

    ``str.find`` on the lower-cased text (a regex ignoring case is ten times slower on
    long articles); the regex only when lower-casing changes the text's length.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        found = pattern.search(text)
        return None if found is None else found.start()
    best: int | None = None
    for word in alternatives:
        at = lowered.find(word)
        while at >= 0 and (best is None or at < best):
            end = at + len(word)
            if not _word_char(lowered, at - 1) and not _word_char(lowered, end):
                best = at
                break
            at = lowered.find(word, at + 1)
    return best


def _word_char(text: str, at: int) -> bool:
    """Whether ``text[at]`` exists and is a word character (as ``\\w``)."""
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _day(article: Article) -> str | None:
    return article.published.date.isoformat() if article.published else None


def _json(obj: Article | Story | Annotations) -> str:
    return dumps(to_dict(obj))


def _load(cls: type[T], data: str | bytes) -> T:
    """A stored object (a plain ``dict`` as it is) from its JSON."""
    try:
        value = json.loads(data)
        return typing.cast(T, value) if cls is dict else from_dict(cls, value)
    except (ValueError, TypeError, RecursionError) as e:  # JSONDecodeError is a ValueError
        raise DamagedStoreError(
            f"the database is damaged: a stored {cls.__name__} cannot be read "
            f"({type(e).__name__}: {str(e)[:200]})",
            hint=_REBUILD,
        ) from e
