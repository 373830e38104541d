"""The REST API: contract objects, paging, filters, search, 404 and 422."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from storyline.model import Article, Story, to_dict
from storyline.store import Store


def test_story_is_the_contract_object(
    client: TestClient, filled: tuple[Store, Story, Article]
) -> None:
    response = client.get("/api/stories/s-heist")
    assert response.status_code == 200
    assert response.json() == to_dict(filled[1])


def test_article_ids_that_are_urls_work(
    client: TestClient, filled: tuple[Store, Story, Article], make_article: Callable[..., Article]
) -> None:
    store = filled[0]
    article = make_article(id="https://example.org/news/?p=1", source="u.txt")
    store.add([article], [])
    response = client.get(f"/api/articles/{quote(article.id, safe='')}")
    assert response.json()["id"] == article.id
    assert client.get(f"/articles/{quote(article.id, safe='')}.json").json()["id"] == article.id


def test_stories_are_paged_and_filtered(client: TestClient) -> None:
    data = client.get("/api/stories", params={"limit": 1}).json()
    assert data["total"] == 1
    assert data["stories"][0]["id"] == "s-heist"
    assert client.get("/api/stories", params={"entity": "reyes"}).json()["total"] == 1
    assert client.get("/api/stories", params={"entity": "nobody"}).json()["total"] == 0
    assert client.get("/api/stories", params={"since": "2026-01-01"}).json()["total"] == 0
    assert client.get("/api/stories", params={"until": "2025-03-12"}).json()["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 1000},
        {"offset": -1},
        {"since": "yesterday"},
        {"since": "2025-02-01", "until": "2025-01-01"},
    ],
)
def test_bad_parameters_are_422(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/api/stories", params=params)
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/stories/nope", "/api/articles/nope", "/api/entities/Nobody", "/stories/nope.json"],
)
def test_unknown_ids_are_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "nope" in response.json()["detail"] or "Nobody" in response.json()["detail"]


def test_search_ranks_and_highlights(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "alarm system"}).json()
    kinds = [hit["kind"] for hit in data["hits"]]
    assert "quote" in kinds
    assert "article" in kinds
    for hit in data["hits"]:
        for start, end in hit["highlights"]:
            assert hit["snippet"][start:end].lower() in {"alarm", "system"}


def test_search_hits_are_the_hit_objects(
    client: TestClient, filled: tuple[Store, Story, Article]
) -> None:
    hits = filled[0].search("alarm system")
    data = client.get("/api/search", params={"q": "alarm system"}).json()
    assert data["hits"] == [to_dict(hit) for hit in hits]


@pytest.mark.parametrize("q", ["", "   ", "!!!"])
def test_search_without_words_is_422(client: TestClient, q: str) -> None:
    assert client.get("/api/search", params={"q": q}).status_code == 422


def test_sql_in_search_is_just_text(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "x'); DROP TABLE articles; --"})
    assert response.status_code == 200
    assert client.get("/api/stories").json()["total"] == 1


def test_entity_collects_stories(client: TestClient) -> None:
    data = client.get("/api/entities/REYES").json()
    assert data["name"] == "Tom Reyes"
    assert data["mentions"] == 3
    assert [s["id"] for s in data["stories"]] == ["s-heist"]


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/search", "/api/stories/{story_id}"} <= set(paths)
    assert client.get("/docs").status_code == 200


@pytest.mark.issue(17)
def test_search_groups_the_page_by_story(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "museum", "group": "true"}).json()
    hits, groups = data["hits"], data["groups"]
    assert sorted(n for g in groups for n in g["hits"]) == list(range(len(hits)))
    for g in groups:
        assert {hits[n]["story_id"] for n in g["hits"]} == {g["story_id"]}
    stories = [g["story_id"] for g in groups if g["story_id"] is not None]
    assert len(stories) == len(set(stories))
    firsts = [g["hits"][0] for g in groups]
    assert firsts == sorted(firsts)
    assert "groups" not in client.get("/api/search", params={"q": "museum"}).json()
