"""Server edges: bounded parameters with 4xx errors, HEAD, damaged stores as 503 (#18)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.model import Article, Story
from storyline.store import Store, open_store
from storyline.web import create_app
from storyline.web.views import quote_id

pytestmark = pytest.mark.issue(18)


@pytest.mark.parametrize(
    "path",
    [
        "/api/stories?offset=9223372036854775808",
        "/api/stories?offset=10000001",
        "/api/search?q=ferry&offset=9223372036854775808",
        "/api/search?q=" + "ferry " * 100,
        "/search.json?q=" + "ferry " * 100,
        "/api/articles/" + "x" * 201,
    ],
)
def test_out_of_bounds_parameters_are_422_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")


def test_search_page_query_length_is_bounded(client: TestClient) -> None:
    response = client.get("/search?q=" + "ferry " * 3000)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("page", ["/", "/api/stories", "/index.json", "/search?q=heist"])
def test_head_answers_like_get_without_a_body(client: TestClient, page: str) -> None:
    get, head = client.get(page), client.head(page)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_head_on_a_story_page(client: TestClient, filled: tuple[Store, Story, Article]) -> None:
    response = client.head(f"/stories/{quote_id(filled[1].id)}")
    assert (response.status_code, response.content) == (200, b"")


@pytest.fixture
def damaged(filled: tuple[Store, Story, Article], tmp_path: Path) -> Any:
    store, story, _ = filled
    store.close()
    path = tmp_path / "web.db"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE stories SET data = '{\"id\": '")
    reopened = open_store(path, create=False)
    yield TestClient(create_app(reopened)), story
    reopened.close()


def test_damaged_store_is_a_503_json_error(damaged: tuple[TestClient, Story]) -> None:
    client, _ = damaged
    response = client.get("/api/stories")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "the database is damaged; the server cannot read it (see the server's log)"
    }


def test_damaged_store_is_a_503_page(damaged: tuple[TestClient, Story]) -> None:
    client, story = damaged
    response = client.get(f"/stories/{quote_id(story.id)}")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "the database is damaged" in response.text
