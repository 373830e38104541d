"""Stored story pages and conditional requests (issue 17)."""

from __future__ import annotations

import email.utils
from dataclasses import replace
from typing import Any

import pytest

from storyline.model import Article, Story
from storyline.store import Store
from storyline.web.story_page import (
    PAGE_VERSION,
    page_from_payload,
    page_payload,
    story_page,
)


def _members(store: Store, story: Story) -> dict[str, Article]:
    return {i: a for i in story.article_ids if (a := store.article(i)) is not None}


def _store_page(store: Store, story: Story) -> bytes:
    payload = page_payload(story, _members(store, story))
    with store.transaction():
        store.put_pages({story.id: payload})
    return payload


@pytest.mark.issue(17)
def test_the_payload_reads_back_as_the_page_computed_on_the_fly(
    filled: tuple[Store, Story, Article],
) -> None:
    store, story, _ = filled
    articles = _members(store, story)
    payload = page_payload(story, articles)
    assert page_from_payload(payload) == story_page(story, articles)
    assert payload == page_payload(story, articles)  # pure: the same bytes each time


@pytest.mark.issue(17)
def test_a_payload_of_another_version_or_shape_is_not_read(
    filled: tuple[Store, Story, Article],
) -> None:
    store, story, _ = filled
    payload = page_payload(story, _members(store, story))
    other = payload.replace(
        f'"version":{PAGE_VERSION}'.encode(), f'"version":{PAGE_VERSION + 1}'.encode()
    )
    assert other != payload
    assert page_from_payload(other) is None
    assert page_from_payload(payload.replace(b'"title":', b'"name":', 1)) is None
    assert page_from_payload(b"not json") is None


@pytest.mark.issue(17)
def test_the_stored_page_renders_as_the_page_computed_on_the_fly(
    client: Any, filled: tuple[Store, Story, Article]
) -> None:
    store, story, _ = filled
    computed = client.get(f"/stories/{story.id}")
    assert computed.status_code == 200
    assert "last-modified" not in computed.headers
    _store_page(store, story)
    stored = client.get(f"/stories/{story.id}")
    assert stored.status_code == 200
    assert stored.text == computed.text
    assert "last-modified" in stored.headers


@pytest.mark.issue(17)
@pytest.mark.parametrize("path", ["/stories/{id}", "/api/stories/{id}", "/stories/{id}.json"])
def test_a_repeated_request_with_the_etag_is_answered_304(
    client: Any, filled: tuple[Store, Story, Article], path: str
) -> None:
    store, story, _ = filled
    _store_page(store, story)
    url = path.format(id=story.id)
    first = client.get(url)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get(url, headers={"if-none-match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    other = client.get(url, headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200
    assert client.get(url, headers={"if-none-match": f'"x", W/{tag}'}).status_code == 304
    since = first.headers["last-modified"]
    assert client.get(url, headers={"if-modified-since": since}).status_code == 304
    modified = email.utils.parsedate_to_datetime(since)
    earlier = email.utils.format_datetime(modified.replace(year=modified.year - 1), usegmt=True)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200
    assert client.get(url, headers={"if-modified-since": "not a date"}).status_code == 200


@pytest.mark.issue(17)
def test_a_page_changes_when_its_story_changes(
    client: Any, filled: tuple[Store, Story, Article]
) -> None:
    store, story, _ = filled
    _store_page(store, story)
    before = client.get(f"/stories/{story.id}")
    api_before = client.get(f"/api/stories/{story.id}")
    changed = replace(story, title="The museum reopens its doors")
    with store.transaction():
        store.put_stories([changed])
    # the story was replaced and no page stored yet: computed on the fly, new ETag
    fallback = client.get(f"/stories/{story.id}", headers={"if-none-match": before.headers["etag"]})
    assert fallback.status_code == 200
    assert "The museum reopens its doors" in fallback.text
    _store_page(store, changed)
    after = client.get(f"/stories/{story.id}", headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert "The museum reopens its doors" in after.text
    assert after.headers["etag"] != before.headers["etag"]
    api_after = client.get(
        f"/api/stories/{story.id}", headers={"if-none-match": api_before.headers["etag"]}
    )
    assert api_after.status_code == 200
    assert api_after.json()["title"] == changed.title


@pytest.mark.issue(17)
def test_a_story_without_a_stored_page_still_has_an_etag(
    client: Any, filled: tuple[Store, Story, Article]
) -> None:
    _, story, _ = filled
    first = client.get(f"/stories/{story.id}")
    again = client.get(f"/stories/{story.id}", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/stories/no-such-story").status_code == 404
    assert client.get("/api/stories/no-such-story").status_code == 404


@pytest.mark.issue(17)
def test_head_of_a_page_has_its_headers_and_no_body(
    client: Any, filled: tuple[Store, Story, Article]
) -> None:
    store, story, _ = filled
    _store_page(store, story)
    head = client.head(f"/stories/{story.id}")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == client.get(f"/stories/{story.id}").headers["etag"]


@pytest.mark.issue(17)
def test_the_render_cache_keeps_recent_pages_within_its_limit() -> None:
    from storyline.web.caching import Rendered

    kept = Rendered(limit=10)
    kept.put('"a"', "aaaa")
    kept.put('"b"', "bbbb")
    assert kept.get('"a"') == "aaaa"  # now the most recently used
    kept.put('"c"', "cccc")  # over the limit: the least recently used goes
    assert kept.get('"b"') is None
    assert (kept.get('"a"'), kept.get('"c"')) == ("aaaa", "cccc")
    assert kept.size == 8
    kept.put('"d"', "d" * 11)  # larger than the whole limit: not kept
    assert kept.get('"d"') is None
