"""Web fixtures: a SQLite store holding the hostile story, and a test client for it."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _hostile import build_store

from storyline.model import Article, Story
from storyline.store import SQLiteStore, Store

# Without the web extra (fastapi) or httpx2 (starlette's TestClient) there is nothing here
# to test: collect no module rather than fail on imports.
if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("httpx2") is None:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture
def filled(
    tmp_path: Path, make_article: Callable[..., Article]
) -> Iterator[tuple[Store, Story, Article]]:
    store = SQLiteStore(tmp_path / "web.db")
    yield build_store(store, make_article)
    store.close()


@pytest.fixture
def client(filled: tuple[Store, Story, Article]) -> Any:
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    return TestClient(create_app(filled[0]))
