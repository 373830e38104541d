"""Bounded search ranking (issue 17): stable pages, full BM25 below the bound."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import storyline.store.sqlite as sqlite_store
from storyline.model import Article, Story
from storyline.store import SQLiteStore

_WORDS = "harbor museum police clock festival council river bridge market school".split()


@pytest.fixture
def store(tmp_path: Path, make_article: Callable[..., Article]) -> SQLiteStore:
    """40 articles: all say "harbor", in different amounts and lengths; 8 stories."""
    articles = []
    for n in range(40):
        words = [_WORDS[(n * k) % len(_WORDS)] for k in range(1, 4 + n % 7)]
        text = " ".join(["harbor"] * (1 + n % 5) + words + ["the day ended"] * (n % 3))
        articles.append(make_article(id=f"a{n:02d}", title=f"Report {n}", text=text))
    result = SQLiteStore(tmp_path / "s.db")
    with result.transaction():
        result.add(articles, [])
        result.set_stories(
            [
                Story(
                    id=f"s{k}",
                    title=f"Story {k}",
                    article_ids=tuple(f"a{n:02d}" for n in range(k, 40, 8)),
                )
                for k in range(8)
            ]
        )
    return result


def _keys(hits: tuple[object, ...]) -> list[tuple[object, ...]]:
    return [(h.kind, h.article_id, h.story_id, h.score) for h in hits]  # type: ignore[attr-defined]


@pytest.mark.issue(17)
@pytest.mark.parametrize("bound", [10**9, 12])
def test_pages_are_stable_and_never_repeat_a_hit(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch, bound: int
) -> None:
    monkeypatch.setattr(sqlite_store, "CANDIDATES", bound)
    whole = store.search("harbor", limit=30)
    pages = [h for page in range(10) for h in store.search("harbor", limit=3, offset=3 * page)]
    assert _keys(tuple(pages)) == _keys(whole)
    assert len(set(_keys(whole))) == len(whole)
    assert store.search("harbor", limit=30) == whole  # the same order on every request
    scores = [h.score for h in whole]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.issue(17)
def test_below_the_bound_the_ranking_is_full_bm25(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "CANDIDATES", 10**9)
    full = store.search("harbor museum", limit=40)
    monkeypatch.setattr(sqlite_store, "CANDIDATES", 40)  # every match is a candidate
    assert store.search("harbor museum", limit=40) == full


@pytest.mark.issue(17)
def test_above_the_bound_only_the_newest_matches_are_ranked(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "CANDIDATES", 10)
    hits = store.search("harbor", limit=40)
    articles = [h.article_id for h in hits if h.kind == "article"]
    assert sorted(articles) == [f"a{n:02d}" for n in range(30, 40)]  # the 10 stored last
    monkeypatch.setattr(sqlite_store, "CANDIDATES", 10**9)
    full = [h.article_id for h in store.search("harbor", limit=40) if h.kind == "article"]
    assert [a for a in full if a in articles] == articles  # in BM25 order among them


@pytest.mark.issue(17)
def test_an_article_hit_names_its_story(store: SQLiteStore) -> None:
    hit = store.search("harbor", limit=1)[0]
    assert hit.kind == "article"
    assert hit.article_id is not None
    assert hit.story_id == f"s{int(hit.article_id[1:]) % 8}"
