"""A damaged SQLite store says so: "the database is damaged: …", never a traceback (#18)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.errors import DamagedStoreError
from storyline.model import Story
from storyline.store import SQLiteStore, open_store
from tests.conftest import make_article

pytestmark = pytest.mark.issue(18)


def _store(path: Path) -> Path:
    store = SQLiteStore(path)
    articles = [make_article(source=f"{n}.txt", text=f"Ferry item {n}. " * 300) for n in range(120)]
    store.add(articles, [])
    store.set_stories(
        [Story(id=f"s{n}", title="Ferry", article_ids=(a.id,)) for n, a in enumerate(articles)]
    )
    store.close()
    return path


def _truncated(tmp_path: Path) -> Path:
    path = _store(tmp_path / "cut.db")
    with path.open("r+b") as fh:
        fh.truncate(os.path.getsize(path) // 2)
    return path


def _overwritten(tmp_path: Path) -> Path:
    path = _store(tmp_path / "garbled.db")
    with path.open("r+b") as fh:
        fh.seek(os.path.getsize(path) // 3)
        fh.write(b"\xff" * 8192)
    return path


def _bad_json(tmp_path: Path) -> Path:
    path = _store(tmp_path / "json.db")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE stories SET data = '{\"id\": ' WHERE id = 's3'")
    return path


DAMAGES = [_truncated, _overwritten, _bad_json]


def _read_all(path: Path) -> None:
    store = open_store(path, create=False)
    try:
        store.result()
    finally:
        store.close()


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__.strip("_"))
def test_reading_a_damaged_store_is_a_damaged_store_error(
    tmp_path: Path, damage: Callable[[Path], Path]
) -> None:
    path = damage(tmp_path)
    with pytest.raises(DamagedStoreError, match="the database is damaged"):
        _read_all(path)


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__.strip("_"))
def test_export_of_a_damaged_store_says_so(tmp_path: Path, damage: Callable[[Path], Path]) -> None:
    path = damage(tmp_path)
    result = CliRunner().invoke(cli, ["export", "--db", str(path)], prog_name="storyline")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the database is damaged")
    assert "Traceback" not in result.stderr
