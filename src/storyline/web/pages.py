"""Server-rendered pages, each with a JSON twin at the same path plus ``.json``.

The pages work without JavaScript; ``static/app.js`` only makes citation markers open on
tap. Story sections that later stages have not filled yet say "none yet".
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from storyline.model import Article, Story, to_dict
from storyline.store.base import Store, StoryQuery
from storyline.web import caching, views
from storyline.web.api import (
    MAX_QUERY,
    entity_json,
    json_response,
    missing_story,
    search_json,
    store_of,
    stories_json,
    story_response,
)
from storyline.web.render import render
from storyline.web.story_page import StoryPage, page_from_payload, story_card, story_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_RENDERED = caching.Rendered()  # this process's slow-to-render story pages, by ETag

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


Sort = Annotated[Literal["newest", "oldest"], Query()]
Outlet = Annotated[str | None, Query(max_length=200)]


def _front_query(page: int, sort: str, outlet: str | None) -> StoryQuery:
    return StoryQuery(
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
        order="oldest" if sort == "oldest" else "newest",
        outlet=outlet or None,
        several_first=True,
    )


def _front(store: Store, page: int, sort: str, outlet: str | None) -> dict[str, Any]:
    data = stories_json(store, _front_query(page, sort, outlet))
    data["page"] = page
    data["sort"] = sort
    data["outlet"] = outlet or None
    data["recent_articles"] = [
        _article_brief(a) for a in store.recent_articles(limit=PER_PAGE) if page == 1
    ]
    return data


@router.get("/index.json")
async def front_json(
    request: Request, page: PageNumber = 1, sort: Sort = "newest", outlet: Outlet = None
) -> Response:
    return json_response(_front(store_of(request), page, sort, outlet))


@router.get("/", response_class=HTMLResponse)
async def front(
    request: Request, page: PageNumber = 1, sort: Sort = "newest", outlet: Outlet = None
) -> HTMLResponse:
    store = store_of(request)
    lookup = _Articles(store)
    listing = store.stories(_front_query(page, sort, outlet))
    cards = [story_card(s, _articles_of(s, lookup)) for s in listing.stories]
    keep = urlencode({k: v for k, v in (("sort", sort), ("outlet", outlet)) if v})
    return _page(
        request,
        "index.html",
        several=[c for c in cards if c.articles > 1],
        single=[c for c in cards if c.articles <= 1],
        total=listing.total,
        page=page,
        pages=max(1, -(-listing.total // PER_PAGE)),
        sort=sort,
        outlet=outlet or "",
        outlets=store.outlets(),
        keep=f"&{keep}" if keep else "",
        recent=store.recent_articles(limit=PER_PAGE) if page == 1 and not outlet else (),
        counts=store.counts(),
        json_url=f"/index.json?page={page}" + (f"&{keep}" if keep else ""),
    )


@router.get("/stories/{story_id:path}.json")
async def story_json(request: Request, story_id: Id) -> Response:
    return story_response(request, store_of(request), story_id)


@router.get("/stories/{story_id:path}", response_class=HTMLResponse)
async def story_view(request: Request, story_id: Id) -> Response:
    """The story page: from the payload stored with the story (a read and a render), or
    computed from the story and its articles when none is stored (an older store)."""
    store = store_of(request)
    payload = store.page(story_id)
    model = page_from_payload(payload) if payload is not None else None
    if payload is not None and model is not None:
        tag = caching.etag(payload, caching.template_key(), request.app.state.title.encode())
        modified = store.page_modified(story_id)
        unchanged = caching.not_modified(request, tag, modified)
        if unchanged is not None:
            return unchanged
        html = _RENDERED.get(tag)
        if html is None:
            started = time.perf_counter()
            html = _story_html(request, model)
            if time.perf_counter() - started > caching.SLOW_RENDER:
                _RENDERED.put(tag, html)
    else:
        story = store.story(story_id)
        if story is None:
            raise missing_story(request, store, story_id)
        html = _story_html(request, story_page(story, _articles_of(story, _Articles(store))))
        tag, modified = caching.etag(html.encode()), None
        unchanged = caching.not_modified(request, tag, modified)
        if unchanged is not None:
            return unchanged
    return HTMLResponse(html, headers=caching.cache_headers(tag, modified))


def _story_html(request: Request, model: StoryPage) -> str:
    return render(
        request, "story.html", page=model, json_url=f"/stories/{views.quote_id(model.id)}.json"
    )


def _articles_of(story: Story, lookup: _Articles) -> dict[str, Article]:
    """The story's articles by id, each read from the store once per request."""
    found = ((i, lookup(i)) for i in story.article_ids)
    return {i: a for i, a in found if a is not None}


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
    stories = store.entity_stories(name)
    cards = [story_card(s, _articles_of(s, lookup)) for s in stories]
    said = [
        (
            quote,
            views.outlets(quote.article_ids, lookup),
            views.cite(quote.evidence[:1], lookup),
            story,
        )
        for story, quote in views.statements(stories, {name, data["name"]})
    ]
    return _page(
        request,
        "entity.html",
        entity=data,
        stories=cards,
        statements=said,
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


def _article_brief(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published.iso() if article.published else None,
    }


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(request, template, **context))
