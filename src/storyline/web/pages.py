"""Server-rendered pages, each with a JSON twin at the same path plus ``.json``.

The pages work without JavaScript; ``static/app.js`` only makes citation markers open on
tap. Story sections that later stages have not filled yet say "none yet".
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from storyline.model import Article, Story, to_dict
from storyline.store.base import Store, StoryQuery
from storyline.web import views
from storyline.web.api import (
    MAX_QUERY,
    entity_json,
    json_response,
    search_json,
    store_of,
    stories_json,
)
from storyline.web.render import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PER_PAGE = 20
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
Id = Annotated[str, Path(min_length=1, max_length=200)]
Mark = Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$", max_length=19)]
SearchQuery = Annotated[str, Query(max_length=MAX_QUERY)]


class _Articles:
    """Article look-ups for one request, each read from the store once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, Article | None] = {}

    def __call__(self, article_id: str) -> Article | None:
        if article_id not in self.cache:
            self.cache[article_id] = self.store.article(article_id)
        return self.cache[article_id]


def _front(store: Store, page: int) -> dict[str, Any]:
    query = StoryQuery(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    data = stories_json(store, query)
    data["page"] = page
    data["recent_articles"] = [
        _article_brief(a) for a in store.recent_articles(limit=PER_PAGE) if page == 1
    ]
    return data


@router.get("/index.json")
async def front_json(request: Request, page: PageNumber = 1) -> Response:
    return json_response(_front(store_of(request), page))


@router.get("/", response_class=HTMLResponse)
async def front(request: Request, page: PageNumber = 1) -> HTMLResponse:
    store = store_of(request)
    lookup = _Articles(store)
    listing = store.stories(StoryQuery(limit=PER_PAGE, offset=(page - 1) * PER_PAGE))
    return _page(
        request,
        "index.html",
        stories=[_story_card(s, lookup) for s in listing.stories],
        total=listing.total,
        page=page,
        pages=max(1, -(-listing.total // PER_PAGE)),
        recent=store.recent_articles(limit=PER_PAGE) if page == 1 else (),
        counts=store.counts(),
        json_url=f"/index.json?page={page}",
    )


@router.get("/stories/{story_id:path}.json")
async def story_json(request: Request, story_id: Id) -> Response:
    return json_response(to_dict(_story(store_of(request), story_id)))


@router.get("/stories/{story_id:path}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: Id) -> HTMLResponse:
    store = store_of(request)
    story = _story(store, story_id)
    lookup = _Articles(store)
    summary = []
    number = 1
    if story.summary is not None:
        for sentence in story.summary.sentences:
            citations = views.cite(sentence.evidence, lookup, first=number)
            number += len(citations)
            summary.append((sentence, citations))
    sources = [a for a in (lookup(i) for i in story.article_ids) if a is not None]
    return _page(
        request,
        "story.html",
        story=story,
        summary=summary,
        sources=sources,
        conflicts=views.conflicts(story),
        outlets=lambda ids: views.outlets(ids, lookup),
        cite=lambda evidence: views.cite(evidence, lookup),
        json_url=f"/stories/{views.quote_id(story.id)}.json",
    )


@router.get("/articles/{article_id:path}.json")
async def article_json(request: Request, article_id: Id) -> Response:
    return json_response(to_dict(_article(store_of(request), article_id)))


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: Id, mark: Mark = None) -> HTMLResponse:
    store = store_of(request)
    article = _article(store, article_id)
    start, end = (int(n) for n in mark.split("-")) if mark else (0, 0)
    start, end = min(start, len(article.text)), min(max(start, end), len(article.text))
    parts = (article.text[:start], article.text[start:end], article.text[end:])
    return _page(
        request,
        "article.html",
        article=article,
        parts=parts,
        stories=store.article_stories(article.id),
        json_url=f"/articles/{views.quote_id(article.id)}.json",
    )


@router.get("/search.json")
async def search_page_json(request: Request, q: SearchQuery = "", page: PageNumber = 1) -> Response:
    return json_response(_search(store_of(request), q, page))


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request, q: SearchQuery = "", page: PageNumber = 1) -> HTMLResponse:
    store = store_of(request)
    hits = store.search(q, limit=PER_PAGE, offset=(page - 1) * PER_PAGE) if q.strip() else ()
    return _page(
        request,
        "search.html",
        query=q,
        hits=hits,
        page=page,
        json_url=f"/search.json?{request.url.query}",
    )


@router.get("/entities/{name:path}.json")
async def entity_page_json(request: Request, name: Id) -> Response:
    return json_response(entity_json(store_of(request), name))


@router.get("/entities/{name:path}", response_class=HTMLResponse)
async def entity_page(request: Request, name: Id) -> HTMLResponse:
    store = store_of(request)
    data = entity_json(store, name)
    lookup = _Articles(store)
    cards = [_story_card(s, lookup) for s in store.entity_stories(name)]
    return _page(
        request,
        "entity.html",
        entity=data,
        stories=cards,
        json_url=f"/entities/{views.quote_id(name)}.json",
    )


def _search(store: Store, q: str, page: int) -> dict[str, Any]:
    if not q.strip():
        return {"query": q, "limit": PER_PAGE, "offset": 0, "hits": []}
    return search_json(store, q, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)


def _story(store: Store, story_id: str) -> Story:
    story = store.story(story_id)
    if story is None:
        raise HTTPException(status_code=404, detail=f"no story with id {story_id!r}")
    return story


def _article(store: Store, article_id: str) -> Article:
    article = store.article(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    return article


def _story_card(story: Story, lookup: _Articles) -> dict[str, Any]:
    members = [a for a in (lookup(i) for i in story.article_ids) if a is not None]
    days = sorted(a.published.date for a in members if a.published)
    return {
        "story": story,
        "outlets": views.outlets(story.article_ids, lookup),
        "first": days[0] if days else None,
        "last": days[-1] if days else None,
    }


def _article_brief(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published.iso() if article.published else None,
    }


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(request, template, **context))
