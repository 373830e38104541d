"""run(): stage order, per-article stages, ids, stories from groups."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline import pipeline
from storyline.engine import LocalRunner, SerialRunner
from storyline.model import Article, Document, Skipped, Story
from storyline.output import render
from storyline.pipeline import process_record
from storyline.settings import DEFAULTS, Settings
from storyline.store import SQLiteStore

SERIAL = storyline.load_settings(overrides=["runner.workers=1"])
TEXT = (
    "The Oakdale ferry pier reopened on Friday after repairs that took two weeks, the port "
    "authority said. Crews replaced forty timber piles damaged in the January storms."
)


def _jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_articles_get_dates_resolved_against_publication(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": TEXT, "published": "2021-05-07"})
    [article] = storyline.run([path], SERIAL).articles
    values = {d.text: d.value for d in article.dates}
    assert values["Friday"] == "2021-05-07"
    assert values["two weeks"] == "P2W"
    for expression in article.dates:
        span = expression.evidence[0]
        assert article.text[span.start : span.end] == expression.text


def test_undated_article_keeps_relative_dates_unresolved(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": TEXT})
    [article] = storyline.run([path], SERIAL).articles
    assert {d.text: d.value for d in article.dates}["Friday"].startswith("XXXX")


def test_same_article_twice_is_read_once(tmp_path: Path) -> None:
    record = {"text": TEXT, "title": "Pier reopens", "url": "https://oakdale.example/pier"}
    path = _jsonl(tmp_path / "a.jsonl", record, record)
    result = storyline.run([path], SERIAL)
    assert len(result.articles) == 1
    [skipped] = result.skipped
    assert skipped.source == f"{path}:2"
    assert f"as {path}:1; read once" in skipped.reason


def test_articles_sharing_a_group_form_one_story(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        {"text": TEXT, "group": "pier", "title": "Later", "published": "2021-05-08"},
        {"text": TEXT + " More.", "group": "pier", "title": "Earlier", "published": "2021-05-07"},
        {"text": "An unrelated report on school budgets and the new library wing.", "id": "x"},
    )
    result = storyline.run([path], SERIAL)
    [story] = [s for s in result.stories if len(s.article_ids) == 2]
    by_title = {a.title: a.id for a in result.articles}
    assert story.title == "Earlier"
    assert story.article_ids == (by_title["Earlier"], by_title["Later"])


def test_every_input_is_an_article_or_skipped(tmp_path: Path) -> None:
    good = _jsonl(tmp_path / "good.jsonl", {"text": TEXT}, {"text": TEXT + " Again."})
    (tmp_path / "bad.jsonl").write_text('{"text": "x"\nnot json\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = storyline.run([tmp_path], SERIAL, runner=SerialRunner())
    assert len(result.articles) == 2
    assert len(result.skipped) == 3
    assert {s.source for s in result.skipped} == {
        f"{tmp_path / 'bad.jsonl'}:1",
        f"{tmp_path / 'bad.jsonl'}:2",
        str(tmp_path / "empty.txt"),
    }
    assert good.exists()


def test_process_record_passes_skipped_through() -> None:
    skipped = Skipped(source="x", reason="empty file")
    assert process_record(skipped, settings=DEFAULTS) is skipped


def test_a_bug_in_the_date_rules_keeps_the_article(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(article: Article) -> Article:
        raise ValueError("invalid literal for int()")

    monkeypatch.setattr(pipeline, "date_article", broken)
    document = Document(source="a.txt", content=TEXT, content_type="text")
    article = process_record(document, settings=DEFAULTS)
    assert isinstance(article, Article)
    assert article.dates == ()
    assert "kept without dates" in caplog.text


def test_progress_is_called_once_per_input(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": TEXT}, {"text": "short"})
    seen: list[Article | Skipped] = []
    result = storyline.run([path], SERIAL, progress=seen.append)
    assert len(seen) == len(result.articles) + len(result.skipped) == 2


def test_a_story_gets_a_cited_summary_and_a_timeline(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        {"text": TEXT, "group": "pier", "title": "Pier reopens", "published": "2021-05-07"},
        {
            "text": "Port officials said the Oakdale ferry pier reopened on Friday. Crews had "
            "worked for two weeks to replace forty timber piles.",
            "group": "pier",
            "title": "Ferry pier back in service",
            "published": "2021-05-08",
        },
    )
    result = storyline.run([path], SERIAL)
    [story] = result.stories
    texts = {a.id: a.text for a in result.articles}
    assert story.summary is not None
    assert story.summary.sentences
    for sentence in story.summary.sentences:
        span = sentence.evidence[0]
        assert texts[span.article_id][span.start : span.end] == sentence.text
    by_date = {entry.date.iso(): entry for entry in story.timeline}
    friday = by_date["2021-05-07"]  # "on Friday" in both; it cites the carriers of its text
    assert set(friday.article_ids) == {span.article_id for span in friday.evidence}
    assert [e.date.date for e in story.timeline] == sorted(e.date.date for e in story.timeline)


def test_stage_progress_reports_the_annotation_and_story_passes(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", {"text": TEXT}, {"text": TEXT + " Once more."})
    calls: list[tuple[str, int, int]] = []
    result = storyline.run([path], SERIAL, stage_progress=lambda *call: calls.append(call))
    annotation = [(done, total) for stage, done, total in calls if stage == "entities and quotes"]
    assert sum(done for done, _ in annotation) == 2
    assert {total for _, total in annotation} == {2}
    stories = [(done, total) for stage, done, total in calls if stage == "story facts"]
    assert sum(done for done, _ in stories) == len(result.stories)
    assert {total for _, total in stories} == {len(result.stories)}
    assert [
        stage for stage, _, _ in calls if stage not in ("entities and quotes", "story facts")
    ] == []


def test_a_failing_stage_costs_only_its_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Worker errors become what the user can see: no article lost, the run completes."""
    path = _jsonl(tmp_path / "a.jsonl", {"text": TEXT}, {"text": TEXT + " Once more."})

    def broken(*args: object, **kw: object) -> object:
        raise RuntimeError("a bug in a stage")

    monkeypatch.setattr(pipeline, "annotate", broken)
    monkeypatch.setattr(pipeline, "story_facts", broken)
    result = storyline.run([path], SERIAL)
    assert len(result.articles) == 2
    assert sorted(i for s in result.stories for i in s.article_ids) == sorted(
        a.id for a in result.articles
    )
    assert all(s.summary is None and not s.quotes for s in result.stories)
    assert "entities and quotes failed" in caplog.text
    assert "the story stages failed" in caplog.text


def _demo_ingest(db: Path, settings: Settings) -> tuple[str, dict[str, bytes | None]]:
    """The demo corpus ingested into a new store: its result as JSON, and its pages."""
    store = SQLiteStore(db)
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        pipeline.ingest(store, [corpus], settings)
    result = store.result()
    pages = {s.id: store.page(s.id) for s in result.stories}
    store.close()
    return "".join(render(result)), pages


def test_a_long_storys_stages_run_in_two_halves_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _demo_ingest(tmp_path / "whole.db", SERIAL)
    seen: list[frozenset[str] | None] = []
    real = pipeline.story_facts

    def spy(*args: Any, stages: frozenset[str] | None = None) -> Story:
        seen.append(stages)
        return real(*args, stages=stages)

    monkeypatch.setattr(pipeline, "story_facts", spy)
    monkeypatch.setattr(pipeline, "SPLIT_AT", 2)  # the demo's stories of two articles or more
    halves = _demo_ingest(tmp_path / "halves.db", SERIAL)
    assert set(pipeline.STORY_HALVES) <= set(seen)
    assert halves == whole


def test_a_failing_half_costs_only_its_stages(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kw: object) -> object:
        raise RuntimeError("a bug in the summary")

    monkeypatch.setattr(pipeline, "summarize", broken)
    monkeypatch.setattr(pipeline, "SPLIT_AT", 2)
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        result = storyline.run([corpus], SERIAL)
    split = [s for s in result.stories if len(s.article_ids) >= 2]
    assert split
    assert all(s.summary is None and not s.claims for s in result.stories)
    assert all(s.timeline and s.entities and s.quotes for s in split)
    assert "it is kept without its claims, summary" in caplog.text


def test_halves_on_worker_processes_give_the_serial_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _demo_ingest(tmp_path / "whole.db", SERIAL)
    monkeypatch.setattr(pipeline, "SPLIT_AT", 2)  # read by the driver, which makes the jobs
    with LocalRunner(workers=2, chunk_size=1) as pool:
        store = SQLiteStore(tmp_path / "pool.db")
        with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
            pipeline.ingest(store, [corpus], SERIAL, runner=pool)
        result = store.result()
        pages = {s.id: store.page(s.id) for s in result.stories}
        store.close()
    assert ("".join(render(result)), pages) == whole


def test_a_page_that_cannot_be_built_costs_only_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from storyline.web import story_page

    def broken(*args: object) -> bytes:
        raise RuntimeError("a bug in the page model")

    monkeypatch.setattr(story_page, "page_payload", broken)
    monkeypatch.setattr(pipeline, "SPLIT_AT", 2)
    text, pages = _demo_ingest(tmp_path / "store.db", SERIAL)
    assert json.loads(text)["stories"]
    assert all(page is None for page in pages.values())
    assert "could not be built" in caplog.text
