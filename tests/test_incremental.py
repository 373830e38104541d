"""One engine: a run is an update of an empty store; batches give what one batch gives."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.dedupe import Deduper, dedupe
from storyline.model import Annotations, Article, Result
from storyline.settings import Settings, load_settings
from storyline.store import MemoryStore, SQLiteStore, Store
from storyline.store.base import live_story_id

SETTINGS = load_settings(None, ["runner.workers=1"])


@pytest.fixture(params=["memory", "sqlite"])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store: Store = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "s.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo_articles() -> tuple[Article, ...]:
    """The demo corpus, processed, in publication order (undated articles last)."""
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        articles, _ = pipeline.process([corpus], SETTINGS)
    return tuple(sorted(articles, key=_publication_order))


@pytest.fixture(scope="module")
def one_batch(demo_articles: tuple[Article, ...]) -> Result:
    store = MemoryStore()
    pipeline.update(store, demo_articles, (), SETTINGS)
    return store.result()


def _publication_order(article: Article) -> tuple[bool, str, str]:
    day = article.published.date.isoformat() if article.published else ""
    return (article.published is None, day, article.id)


def ingest_batches(
    store: Store, batches: Sequence[Sequence[Article]], settings: Settings = SETTINGS
) -> None:
    for batch in batches:
        pipeline.update(store, batch, (), settings)


def batches_of(articles: Sequence[Article], count: int) -> list[list[Article]]:
    size = -(-len(articles) // count)
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


def by_story(result: Result) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in result.stories}


def test_run_is_an_update_of_an_empty_store(
    demo_articles: tuple[Article, ...], one_batch: Result
) -> None:
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        result = pipeline.run([corpus], SETTINGS)
    assert result.stories == one_batch.stories
    assert set(result.articles) == set(one_batch.articles)


def test_ten_batches_in_publication_order_give_the_stories_of_one(
    fresh_store: Store, demo_articles: tuple[Article, ...], one_batch: Result
) -> None:
    ingest_batches(fresh_store, batches_of(demo_articles, 10))
    result = fresh_store.result()
    assert result.stories == one_batch.stories
    assert set(result.articles) == set(one_batch.articles)


def test_ten_shuffled_batches_keep_every_article_in_exactly_one_story(
    fresh_store: Store, demo_articles: tuple[Article, ...], one_batch: Result
) -> None:
    shuffled = list(demo_articles)
    random.Random(7).shuffle(shuffled)
    ingest_batches(fresh_store, batches_of(shuffled, 10))
    result = fresh_store.result()
    members = [i for s in result.stories for i in s.article_ids]
    assert sorted(members) == sorted(a.id for a in demo_articles)
    # arrival order may change events and stories (documented in pipeline and cluster);
    # the corpus marks do not depend on it
    marks = {a.id: (a.duplicate_of, a.syndicated_from) for a in result.articles}
    assert marks == {a.id: (a.duplicate_of, a.syndicated_from) for a in one_batch.articles}


def test_an_update_with_nothing_new_changes_nothing(
    fresh_store: Store, demo_articles: tuple[Article, ...], one_batch: Result
) -> None:
    ingest_batches(fresh_store, [demo_articles])
    report = pipeline.update(fresh_store, demo_articles[:3], (), SETTINGS)
    assert report.new_articles == ()
    assert report.already_stored == 3
    assert report.stories_updated == 0
    assert fresh_store.result().stories == one_batch.stories


@pytest.fixture
def annotated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles updates annotate, in order."""
    seen: list[str] = []
    real = pipeline.annotate_all

    def spy(articles: Sequence[Article], *args: object, **kw: object) -> dict[str, Annotations]:
        seen.extend(a.id for a in articles)
        return real(articles, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "annotate_all", spy)
    return seen


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


def test_only_the_stories_an_update_touches_are_recomputed(
    fresh_store: Store, demo_articles: tuple[Article, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_batches(fresh_store, [demo_articles[:-1]])
    recomputed: list[str] = []
    real = pipeline.story_facts

    def spy(story: object, *args: object, **kw: object) -> object:
        recomputed.append(story.id)  # type: ignore[attr-defined]
        return real(story, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "story_facts", spy)
    ingest_batches(fresh_store, [demo_articles[-1:]])
    stories = fresh_store.result().stories
    assert 1 <= len(recomputed) < len(stories)
    holder = next(s for s in stories if demo_articles[-1].id in s.article_ids)
    assert holder.id in recomputed


@pytest.mark.parametrize(
    ("override", "annotated_again"),
    [
        ("summary.max_sentences=1", False),  # stories rebuilt from stored annotations
        ("extract.batch_size=7", False),  # a speed setting: annotations stay valid
        ("extract.ner_context=0", True),  # annotations change: every article again
    ],
)
def test_settings_changed_between_updates(
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
    reference = MemoryStore()
    pipeline.update(reference, demo_articles, (), other)
    assert fresh_store.result().stories == reference.result().stories


def test_a_rebuild_gives_what_one_run_gives_inferred_dates_included(
    demo_articles: tuple[Article, ...], one_batch: Result
) -> None:
    store = MemoryStore()
    ingest_batches(store, [demo_articles])
    assert any(a.published_source == "inferred" for a in store.articles())
    store.set_stories([])  # as a store written before the rows were kept
    assert store.story_state() is None
    report = pipeline.update(store, [], (), SETTINGS)
    assert report.rebuilt
    result = store.result()
    assert result.stories == one_batch.stories
    assert set(result.articles) == set(one_batch.articles)


def test_stale_stories_left_by_a_crash_are_completed_by_the_next_update(
    fresh_store: Store,
    demo_articles: tuple[Article, ...],
    one_batch: Result,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*args: object, **kw: object) -> int:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "_story_stage", crash)
        with pytest.raises(KeyboardInterrupt):
            pipeline.update(fresh_store, demo_articles, (), SETTINGS)
    assert fresh_store.counts()["stories"] == 0  # corpus stages kept, story facts not yet
    report = pipeline.update(fresh_store, [], (), SETTINGS)
    assert report.stories_updated == len(one_batch.stories)
    assert fresh_store.result().stories == one_batch.stories


def test_a_story_another_writer_marked_again_is_left_to_it(
    fresh_store: Store, demo_articles: tuple[Article, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline._story_jobs

    marked: list[str] = []

    def meanwhile(store: Store, stories: Sequence[object]) -> Iterator[object]:
        jobs = list(real(store, stories))  # type: ignore[arg-type]
        if jobs and not marked:  # another update marks the first story stale again
            marked.append(jobs[0][0].id)
            with store.transaction():
                store.state_rows().put_rows(pipeline._STALE, {marked[0]: b'"other"'})
        yield from jobs

    monkeypatch.setattr(pipeline, "_story_jobs", meanwhile)
    report = pipeline.update(fresh_store, demo_articles, (), SETTINGS)
    stale = dict(fresh_store.state_rows().scan(pipeline._STALE))
    assert len(stale) == 1
    assert report.stories_updated == fresh_store.counts()["stories"]
    assert next(iter(stale)) not in {s.id for s in fresh_store.result().stories}


def test_dedupe_in_batches_marks_what_one_batch_marks(
    demo_articles: tuple[Article, ...],
) -> None:
    copies = [
        *demo_articles,
        *(
            Article(**{**_fields(a), "id": f"copy-{a.id}", "outlet": "Reprints Daily"})
            for a in demo_articles[::3]
        ),
    ]
    random.Random(3).shuffle(copies)
    whole = dedupe(copies, SETTINGS.dedupe)
    deduper = Deduper(SETTINGS.dedupe)
    marks: dict[str, tuple[str | None, str | None]] = {}
    for batch in batches_of(copies, 5):
        changes = deduper.add(batch)
        marks.update((a.id, (a.duplicate_of, a.syndicated_from)) for a in changes.articles)
        marks.update(changes.stored)
    assert marks == {a.id: (a.duplicate_of, a.syndicated_from) for a in whole}
    assert sum(dup is not None for dup, _ in marks.values()) >= len(demo_articles[::3])


def _fields(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in article.__dataclass_fields__}


def test_a_story_merged_away_names_its_survivor(
    fresh_store: Store, demo_articles: tuple[Article, ...]
) -> None:
    arrivals = list(demo_articles)
    random.Random(2).shuffle(arrivals)  # an order in which stories form and then merge
    seen: set[str] = set()
    for article in arrivals:
        pipeline.update(fresh_store, [article], (), SETTINGS)
        seen |= {s.id for s in fresh_store.result().stories}
    live = {s.id for s in fresh_store.result().stories}
    assert seen - live
    for story_id in seen - live:
        assert live_story_id(fresh_store, story_id) in live
    for story_id in live:
        assert live_story_id(fresh_store, story_id) is None
    assert live_story_id(fresh_store, "no-such-story") is None


def test_a_rebuild_with_other_dedupe_settings_rewrites_the_stored_marks(
    fresh_store: Store, demo_articles: tuple[Article, ...]
) -> None:
    copies = [  # near copies: the last paragraph cut
        Article(
            **{
                **_fields(a),
                "id": f"copy-{a.id}",
                "outlet": "Reprints Daily",
                "text": a.text.rsplit("\n\n", 1)[0],
            }
        )
        for a in demo_articles[:3]
    ]
    ingest_batches(fresh_store, [[*demo_articles, *copies]])
    assert {a.id for a in fresh_store.articles() if a.duplicate_of} >= {c.id for c in copies}
    strict = load_settings(
        None, ["runner.workers=1", "dedupe.threshold=1.0", "dedupe.containment=1.01"]
    )
    report = pipeline.update(fresh_store, [], (), strict)
    assert report.rebuilt
    reference = MemoryStore()
    pipeline.update(reference, [*demo_articles, *copies], (), strict)
    assert not any(a.duplicate_of for a in reference.articles())
    assert set(fresh_store.result().articles) == set(reference.result().articles)
    assert fresh_store.result().stories == reference.result().stories


def test_every_story_an_update_writes_has_its_page(
    fresh_store: Store, demo_articles: tuple[Article, ...]
) -> None:
    from storyline.web.story_page import page_from_payload, story_page

    ingest_batches(fresh_store, batches_of(demo_articles, 3))
    stories = fresh_store.result().stories
    articles = {a.id: a for a in fresh_store.articles()}
    for story in stories:
        payload = fresh_store.page(story.id)
        assert payload is not None
        assert page_from_payload(payload) == story_page(story, articles)


def test_links_to_a_merged_story_redirect_to_its_survivor(
    demo_articles: tuple[Article, ...],
) -> None:
    from starlette.testclient import TestClient

    from storyline.web.app import create_app

    store = MemoryStore()
    arrivals = list(demo_articles)
    random.Random(2).shuffle(arrivals)  # stories form, then merge (see above)
    seen: set[str] = set()
    for article in arrivals:
        pipeline.update(store, [article], (), SETTINGS)
        seen |= {s.id for s in store.result().stories}
    gone = sorted(seen - {s.id for s in store.result().stories})
    client = TestClient(create_app(store))
    for path in (f"/stories/{gone[0]}", f"/stories/{gone[0]}.json", f"/api/stories/{gone[0]}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 301
        survivor = live_story_id(store, gone[0])
        assert survivor is not None
        assert response.headers["location"] == path.replace(gone[0], survivor)
        assert client.get(path).status_code == 200
    assert client.get("/api/stories/no-such-story").status_code == 404


@pytest.mark.parametrize("marked_again", [False, True])
def test_a_stale_mark_of_a_gone_story_is_dropped_only_if_still_ours(
    fresh_store: Store,
    demo_articles: tuple[Article, ...],
    monkeypatch: pytest.MonkeyPatch,
    marked_again: bool,
) -> None:
    ingest_batches(fresh_store, [demo_articles[:6]])
    with fresh_store.transaction():  # left by a crash: a story id no longer live
        fresh_store.state_rows().put_rows(pipeline._STALE, {"ghost": b'"old"'})
    real = pipeline._story_jobs

    def meanwhile(store: Store, stories: Sequence[object]) -> Iterator[object]:
        jobs = list(real(store, stories))  # type: ignore[arg-type]
        if marked_again:  # another writer made the id live again and marked it
            with store.transaction():
                store.state_rows().put_rows(pipeline._STALE, {"ghost": b'"theirs"'})
        yield from jobs

    monkeypatch.setattr(pipeline, "_story_jobs", meanwhile)
    pipeline.update(fresh_store, demo_articles[6:], (), SETTINGS)
    stale = dict(fresh_store.state_rows().scan(pipeline._STALE))
    assert stale == ({"ghost": b'"theirs"'} if marked_again else {})
