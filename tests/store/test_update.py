"""Incremental story updates: batches in publication order give what one ingest gives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import pytest

import storyline.store.update as update
from storyline.model import Annotations, Article
from storyline.pipeline import assemble, process
from storyline.settings import Settings, load_settings
from storyline.store import MemoryStore, SQLiteStore, Store, update_stories

SETTINGS = load_settings(None, ["runner.workers=1"])


@pytest.fixture(scope="module")
def demo_articles() -> tuple[Article, ...]:
    """The demo corpus, processed, in publication order (undated articles last)."""
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        articles, _ = process([corpus], SETTINGS)
    return tuple(sorted(articles, key=_publication_order))


def _publication_order(article: Article) -> tuple[bool, str, str]:
    day = article.published.date.isoformat() if article.published else ""
    return (article.published is None, day, article.id)


def ingest_batches(
    store: Store, batches: Sequence[Sequence[Article]], settings: Settings = SETTINGS
) -> None:
    for batch in batches:
        with store.transaction():
            added = store.add(batch, [])
            update_stories(store, added.new_articles, settings)


def test_two_batches_in_publication_order_give_the_stories_of_one(
    fresh_store: Store, demo_articles: tuple[Article, ...], tmp_path: Path
) -> None:
    whole = SQLiteStore(tmp_path / "whole.db")
    ingest_batches(whole, [demo_articles])
    # publication order counts the dates inferred for undated articles: the first batch
    # ends before the earliest of them
    inferred = min(
        a.published.date
        for a in whole.result().articles
        if a.published is not None and a.published_source == "inferred"
    )
    first = [a for a in demo_articles if a.published and a.published.date < inferred]
    rest = [a for a in demo_articles if a not in first]
    assert len(first) >= 3
    assert len(rest) >= 3
    ingest_batches(fresh_store, [first, rest])
    assert fresh_store.result() == whole.result()
    whole.close()


def test_one_ingest_gives_what_assemble_gives(
    fresh_store: Store, demo_articles: tuple[Article, ...]
) -> None:
    ingest_batches(fresh_store, [demo_articles])
    articles, stories = assemble(demo_articles, SETTINGS)
    result = fresh_store.result()
    assert result.stories == tuple(stories)
    assert set(result.articles) == set(articles)


def test_stored_articles_are_not_annotated_again(
    fresh_store: Store, demo_articles: tuple[Article, ...], annotated: list[str]
) -> None:
    ingest_batches(fresh_store, [demo_articles[:6]])
    assert sorted(annotated) == sorted(a.id for a in demo_articles[:6])
    annotated.clear()
    ingest_batches(fresh_store, [demo_articles[4:]])  # two of them already stored
    assert sorted(annotated) == sorted(a.id for a in demo_articles[6:])
    stored = fresh_store.annotations(a.id for a in demo_articles)
    assert set(stored) == {a.id for a in demo_articles}


@pytest.fixture
def annotated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles ingest annotates, in order."""
    seen: list[str] = []
    real = update.annotate_all

    def spy(articles: Sequence[Article], *args: object, **kw: object) -> dict[str, Annotations]:
        seen.extend(a.id for a in articles)
        return real(articles, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(update, "annotate_all", spy)
    return seen


@pytest.mark.parametrize(
    ("override", "annotated_again"),
    [
        ("summary.max_sentences=1", False),  # stories rebuilt from stored annotations
        ("extract.batch_size=7", False),  # a speed setting: annotations stay valid
        ("extract.ner_context=0", True),  # annotations change: every article again
    ],
)
def test_settings_changed_between_ingests(
    fresh_store: Store,
    demo_articles: tuple[Article, ...],
    annotated: list[str],
    override: str,
    annotated_again: bool,
) -> None:
    ingest_batches(fresh_store, [demo_articles[:6]])
    annotated.clear()
    other = load_settings(None, ["runner.workers=1", override])
    ingest_batches(fresh_store, [demo_articles[6:]], other)
    expected = demo_articles if annotated_again else demo_articles[6:]
    assert sorted(annotated) == sorted(a.id for a in expected)
    _, stories = assemble(demo_articles, other)
    assert fresh_store.result().stories == tuple(stories)


def test_stories_set_by_hand_are_rebuilt_on_the_next_ingest(
    demo_articles: tuple[Article, ...], make_article: Callable[..., Article]
) -> None:
    store = MemoryStore()
    ingest_batches(store, [demo_articles[:6]])
    store.set_stories([])  # as a store written before the story state was kept
    assert store.story_state() is None
    ingest_batches(store, [demo_articles[6:]])
    _, stories = assemble(demo_articles, SETTINGS)
    assert store.result().stories == tuple(stories)


def test_a_rebuild_gives_what_one_run_gives_inferred_dates_included(
    demo_articles: tuple[Article, ...],
) -> None:
    store = MemoryStore()
    ingest_batches(store, [demo_articles])
    assert any(a.published_source == "inferred" for a in store.articles())
    store.set_stories([])  # the next ingest rebuilds every story from stored articles
    ingest_batches(store, [[]])
    articles, stories = assemble(demo_articles, SETTINGS)
    result = store.result()
    assert result.stories == tuple(stories)
    assert set(result.articles) == set(articles)


def test_changed_story_settings_give_the_articles_of_one_run(
    fresh_store: Store, demo_articles: tuple[Article, ...]
) -> None:
    ingest_batches(fresh_store, [demo_articles])
    other = load_settings(None, ["runner.workers=1", "cluster.story_threshold=0.9"])
    ingest_batches(fresh_store, [[]], other)
    articles, stories = assemble(demo_articles, other)
    assert fresh_store.result().stories == tuple(stories)
    assert set(fresh_store.result().articles) == set(articles)
