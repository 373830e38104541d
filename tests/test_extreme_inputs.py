"""Whole runs survive extreme inputs: dates at the ends of the calendar, pathological
records, records that outrun their time budget (issue 18)."""

from __future__ import annotations

import datetime as dt
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storyline import pipeline
from storyline._budget import within_budget
from storyline.engine import LocalRunner
from storyline.model import Article, Document, PartialDate, Skipped
from storyline.pipeline import process_record, run
from storyline.settings import load_settings
from tests.conftest import WriteFile

pytestmark = pytest.mark.issue(18)

SERIAL = load_settings(None, ["runner.workers=1"])
TEXT = (
    "The new ferry terminal in Oakdale opened on Tuesday after three years of building "
    "work, Mayor Ana Price said. The terminal cost $40 million and serves 3,000 people a day."
)


def _records(path: Path, *published: str) -> Path:
    lines = [
        json.dumps({"id": f"a{n}", "title": "Ferry terminal opens", "text": TEXT, "published": p})
        for n, p in enumerate(published)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("published", ["9999-12", "9999-12-31", "0001-01-01", "0001", "9999"])
def test_dates_at_the_ends_of_the_calendar_never_abort_a_run(
    tmp_path: Path, published: str
) -> None:
    path = _records(tmp_path / "news.jsonl", published, "2021-05-04")
    result = run([path], SERIAL)
    assert len(result.articles) == 2
    assert {a.published.iso() for a in result.articles if a.published} == {published, "2021-05-04"}


def test_text_header_date_9999_12_is_kept_as_given(write_file: WriteFile) -> None:
    path = write_file("ferry.txt", f"Title: Ferry terminal opens\nDate: 9999-12\n\n{TEXT}\n")
    [article] = run([path], SERIAL).articles
    assert article.published == PartialDate(date=dt.date(9999, 12, 1), precision="month")


def test_last_day_of_the_last_month_of_the_calendar() -> None:
    assert PartialDate(date=dt.date(9999, 12, 1), precision="month").last_day() == dt.date(
        9999, 12, 31
    )


def test_record_with_a_huge_token_becomes_an_article(tmp_path: Path) -> None:
    token = '"' * 50_000  # spaCy's tokenizer was quadratic on such runs
    html = (
        f"<html><body><article><h1>Ferry</h1><p>{TEXT} {token} after.</p></article></body></html>"
    )
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"html": html, "url": "https://a.example/x"}) + "\n", "utf-8")
    result = run([path], SERIAL)
    assert [type(a) for a in result.articles] == [Article]


def _spin(record: Document, *, settings: object) -> Article:
    while True:  # a pathological record: never finishes
        time.sleep(0)


def test_a_record_over_its_time_budget_is_skipped_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "_process_record", _spin)
    settings = load_settings(None, ["runner.record_seconds=0.2"])
    document = Document(source="slow.txt", content=TEXT, content_type="text")
    skipped = process_record(document, settings=settings)
    assert isinstance(skipped, Skipped)
    assert skipped.source == "slow.txt"
    assert "took more than 0.2 s of CPU time" in skipped.reason


def _spin_forever(document: Document) -> Article:
    while True:  # a pathological record: never finishes, all CPU
        pass


def spinning_task(document: Document) -> Article | Skipped:
    """A stage that never finishes, under a 0.2 s budget (top-level: workers import it)."""
    return within_budget(0.2, _spin_forever, document, source=document.source)


def test_a_record_over_its_time_budget_is_skipped_in_a_worker_process() -> None:
    documents = [Document(source=f"{n}.txt", content=TEXT, content_type="text") for n in range(4)]
    with LocalRunner(workers=2, chunk_size=1) as runner:  # workers do not share monkeypatches
        items = list(runner.map(spinning_task, documents))
    assert [type(i) for i in items] == [Skipped] * 4
    assert all("took more than 0.2 s of CPU time" in i.reason for i in items)  # type: ignore[union-attr]


def test_a_record_over_its_time_budget_is_skipped_in_a_thread() -> None:
    """As in a Dask worker, whose tasks run in a thread pool: a watchdog keeps the budget."""
    document = Document(source="slow.txt", content=TEXT, content_type="text")
    with ThreadPoolExecutor(max_workers=2) as pool:
        items = list(pool.map(spinning_task, [document] * 3))
    assert [type(i) for i in items] == [Skipped] * 3


def test_a_thread_within_its_budget_is_not_stopped_later() -> None:
    def quick_then_busy(_: int) -> int:
        assert within_budget(0.05, len, "four", source="quick.txt") == 4
        end = time.thread_time() + 0.15  # past the budget, outside of it: must not be stopped
        while time.thread_time() < end:
            pass
        return 1

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sum(pool.map(quick_then_busy, range(6))) == 6


def test_no_budget_when_record_seconds_is_zero() -> None:
    settings = load_settings(None, ["runner.record_seconds=0"])
    document = Document(
        source="ok.txt", content=f"Ferry terminal opens\n\n{TEXT}", content_type="text"
    )
    assert isinstance(process_record(document, settings=settings), Article)
