"""Stored story pages (issue 17): kept with their story, dropped with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from storyline.model import Article, Story
from storyline.store import Store


def _story(story_id: str, *article_ids: str) -> Story:
    return Story(id=story_id, title=f"Story {story_id}", article_ids=article_ids)


@pytest.fixture
def paged(fresh_store: Store, make_article: Callable[..., Article]) -> Store:
    with fresh_store.transaction():
        fresh_store.add([make_article(id="a1"), make_article(id="a2")], [])
        fresh_store.set_stories([_story("s1", "a1"), _story("s2", "a2")])
        fresh_store.put_pages({"s1": b"page one", "s2": b"page two"})
    return fresh_store


@pytest.mark.issue(17)
def test_a_page_is_read_back_as_stored(paged: Store) -> None:
    assert paged.page("s1") == b"page one"
    assert paged.page("missing") is None
    modified = paged.page_modified("s1")
    assert modified is not None
    assert modified.tzinfo is not None
    assert paged.page_modified("missing") is None


@pytest.mark.issue(17)
def test_replacing_or_dropping_a_story_drops_its_page(paged: Store) -> None:
    with paged.transaction():
        paged.put_stories([replace(_story("s1", "a1"), title="New")], drop=["s2"])
    assert paged.page("s1") is None  # stale: its story changed and no new page came
    assert paged.page("s2") is None
    with paged.transaction():
        paged.put_pages({"s1": b"page one, again"})
    assert paged.page("s1") == b"page one, again"


@pytest.mark.issue(17)
def test_setting_every_story_drops_every_page(paged: Store) -> None:
    with paged.transaction():
        paged.set_stories([_story("s1", "a1")])
    assert paged.page("s1") is None


@pytest.mark.issue(17)
def test_pages_written_in_a_failed_transaction_are_not_kept(paged: Store) -> None:
    def crash() -> None:
        with paged.transaction():
            paged.put_pages({"s1": b"half"})
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash()
    assert paged.page("s1") == b"page one"
