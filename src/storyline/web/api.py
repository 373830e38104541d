"""The REST API under ``/api``: stories, articles, search and entities as JSON.

Story and article objects are exactly those of the output contract (``docs/output.md``).
Handlers are ``async`` and call the store directly: its queries are short, indexed SQLite
reads, cheaper than a hop to a thread pool.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from storyline._json import dumps_bytes
from storyline.model import Story, to_dict
from storyline.store.base import SearchHit, Store, StoryQuery, fts_query, live_story_id
from storyline.web import caching, views

__all__ = [
    "MAX_OFFSET",
    "MAX_QUERY",
    "entity_json",
    "json_response",
    "router",
    "search_json",
    "store_of",
    "stories_json",
    "story_response",
]

router = APIRouter(prefix="/api", tags=["api"])

MAX_OFFSET = 10_000_000  # far beyond any store's pages, far below SQLite's 64-bit limit
MAX_QUERY = 500  # characters of a search query
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Id = Annotated[str, Path(min_length=1, max_length=200)]


def store_of(request: Request) -> Store:
    """The store the application serves."""
    store: Store = request.app.state.store
    return store


def json_response(data: Any, *, status: int = 200) -> Response:
    """``data`` as UTF-8 JSON."""
    body = dumps_bytes(data)
    return Response(body, status_code=status, media_type="application/json")


def stories_json(store: Store, query: StoryQuery) -> dict[str, Any]:
    """One page of stories as the API returns it."""
    if query.since and query.until and query.since > query.until:
        raise HTTPException(status_code=422, detail="since must not be after until")
    page = store.stories(query)
    return {
        "total": page.total,
        "limit": query.limit,
        "offset": query.offset,
        "stories": [to_dict(s) for s in page.stories],
    }


def search_json(
    store: Store, q: str, *, limit: int, offset: int, group: bool = False
) -> dict[str, Any]:
    """Search results as the API returns them; with ``group``, also the page's hits by
    story (``groups``: each story once, where its best hit ranks; hits of no story alone)."""
    if not fts_query(q):
        raise HTTPException(status_code=422, detail="q holds no word to search for")
    hits = store.search(q, limit=limit, offset=offset)
    data: dict[str, Any] = {
        "query": q,
        "limit": limit,
        "offset": offset,
        "hits": [_hit(h) for h in hits],
    }
    if group:
        groups: dict[str, list[int]] = {}
        for n, hit in enumerate(hits):
            key = hit.story_id if hit.story_id is not None else f"\0{n}"
            groups.setdefault(key, []).append(n)
        data["groups"] = [{"story_id": hits[ns[0]].story_id, "hits": ns} for ns in groups.values()]
    return data


def entity_json(store: Store, name: str) -> dict[str, Any]:
    """An entity across stories: its types, aliases, mention count, stories and statements."""
    stories = store.entity_stories(name)
    if not stories:
        raise HTTPException(status_code=404, detail=f"no story names the entity {name!r}")
    wanted = name.casefold()
    matches = [
        e
        for s in stories
        for e in s.entities
        if wanted in {n.casefold() for n in (e.name, *e.aliases)}
    ]
    return {
        "name": matches[0].name if matches else name,
        "types": sorted({e.type for e in matches}),
        "aliases": sorted({a for e in matches for a in (e.name, *e.aliases)} - {name}),
        "mentions": sum(e.mentions for e in matches),
        "stories": [_story_brief(s) for s in stories],
        "statements": [
            {"story_id": story.id, **to_dict(quote)}
            for story, quote in views.statements(stories, {name, *(e.name for e in matches)})
        ],
    }


@router.get("/stories", summary="Stories, newest first")
async def list_stories(
    request: Request,
    limit: Limit = 20,
    offset: Offset = 0,
    entity: Annotated[str | None, Query(description="Only stories naming it.")] = None,
    since: Annotated[dt.date | None, Query(description="Newest article on or after.")] = None,
    until: Annotated[dt.date | None, Query(description="Oldest article on or before.")] = None,
) -> Response:
    """A page of stories (full story objects), newest first, optionally filtered."""
    query = StoryQuery(entity=entity, since=since, until=until, limit=limit, offset=offset)
    return json_response(stories_json(store_of(request), query))


@router.get("/stories/{story_id:path}", summary="One story")
async def get_story(request: Request, story_id: Id) -> Response:
    """The full story object of the output contract.

    With ``ETag``, ``Last-Modified`` and ``Cache-Control``; a request whose
    ``If-None-Match`` (or ``If-Modified-Since``) shows the client's copy is current gets
    an empty ``304``.
    """
    return story_response(request, store_of(request), story_id)


def missing_story(request: Request, store: Store, story_id: str) -> HTTPException:
    """What to answer for a story id that is not live: a permanent redirect to the story
    it merged into (so links keep working), else 404."""
    live = live_story_id(store, story_id)
    if live is None:
        return HTTPException(status_code=404, detail=f"no story with id {story_id!r}")
    new = views.quote_id(live)
    path = request.url.path
    if path.startswith("/api/"):
        target = f"/api/stories/{new}"
    elif path.endswith(".json"):
        target = f"/stories/{new}.json"
    else:
        target = f"/stories/{new}"
    return HTTPException(
        status_code=301,
        detail=f"story {story_id!r} merged into {live!r}",
        headers={"Location": target},
    )


def story_response(request: Request, store: Store, story_id: str) -> Response:
    """One story's contract JSON as a cacheable response (or 304, or a 404 error)."""
    raw = getattr(store, "story_json", None)  # SQLite's fast path: the stored JSON as is
    body = raw(story_id) if raw is not None else None
    if body is None:
        story = store.story(story_id)
        if story is None:
            raise missing_story(request, store, story_id)
        body = dumps_bytes(to_dict(story))
    tag, modified = caching.etag(body), store.page_modified(story_id)
    unchanged = caching.not_modified(request, tag, modified)
    if unchanged is not None:
        return unchanged
    return Response(
        body, media_type="application/json", headers=caching.cache_headers(tag, modified)
    )


@router.get("/articles/{article_id:path}", summary="One article")
async def get_article(request: Request, article_id: Id) -> Response:
    """The full article object of the output contract."""
    article = store_of(request).article(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    return json_response(to_dict(article))


@router.get("/search", summary="Full-text search")
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="Words to find.")],
    limit: Limit = 20,
    offset: Offset = 0,
    group: Annotated[
        bool, Query(description="Also list the page's hits by story (``groups``).")
    ] = False,
) -> Response:
    """Articles, quotes and summaries containing every word of ``q``, best match first.

    Each hit has a plain-text ``snippet`` and ``highlights``: ``[start, end)`` ranges of
    the snippet that matched. With ``group=true``, ``groups`` lists each story of the
    page once, in the order of its best hit, with the positions of its hits in ``hits``.
    """
    data = search_json(store_of(request), q, limit=limit, offset=offset, group=group)
    return json_response(data)


@router.get("/entities/{name:path}", summary="One entity across stories")
async def get_entity(request: Request, name: Id) -> Response:
    """The stories naming an entity (by name or alias, case-insensitive)."""
    return json_response(entity_json(store_of(request), name))


def _hit(hit: SearchHit) -> dict[str, Any]:
    # what to_dict(hit) gives, built directly: the generic walk cost more than the JSON
    return {
        "kind": hit.kind,
        "title": hit.title,
        "snippet": hit.snippet,
        "highlights": [list(h) for h in hit.highlights],
        "score": hit.score,
        "article_id": hit.article_id,
        "story_id": hit.story_id,
    }


def _story_brief(story: Story) -> dict[str, Any]:
    return {"id": story.id, "title": story.title, "article_ids": list(story.article_ids)}
