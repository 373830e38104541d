"""JSON Lines reader: one record per line, aliases, and a Skipped entry per bad line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storyline.ingest import read
from storyline.model import Document, Skipped
from storyline.settings import IngestSettings
from tests.conftest import WriteFile

TEXT = "The new ferry terminal in Oakdale opened on Tuesday after three years of work."


def _line(**record: Any) -> str:
    return json.dumps(record) + "\n"


def test_each_line_becomes_a_document_named_by_line(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", _line(text=TEXT) + _line(text=TEXT + " Again."))
    assert [d.source for d in read([path])] == [f"{path}:1", f"{path}:2"]


def test_record_fields_map_to_the_document(write_file: WriteFile) -> None:
    path = write_file(
        "news.jsonl",
        _line(
            id="f1",
            text=TEXT,
            title="Ferry opens",
            published="2021-05-04",
            url="https://courier.example/ferry",
            outlet="Oakdale Courier",
            author="Maria Lopez",
            group="ferry",
            language="en",
        ),
    )
    [document] = read([path])
    assert document == Document(
        source=f"{path}:1",
        content=TEXT,
        content_type="text",
        id="f1",
        title="Ferry opens",
        published="2021-05-04",
        url="https://courier.example/ferry",
        outlet="Oakdale Courier",
        author="Maria Lopez",
        group="ferry",
        language="en",
    )


@pytest.mark.parametrize(
    ("alias", "field"),
    [
        ("date", "published"),
        ("publish_date", "published"),
        ("source", "outlet"),
        ("lang", "language"),
        ("headline", "title"),
        ("link", "url"),
    ],
)
def test_aliases_fill_the_document_field(write_file: WriteFile, alias: str, field: str) -> None:
    [document] = read([write_file("news.jsonl", _line(text=TEXT, **{alias: "value"}))])
    assert getattr(document, field) == "value"


def test_author_list_is_joined(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", _line(text=TEXT, authors=["Maria Lopez", "Sam Okafor"]))
    [document] = read([path])
    assert document.author == "Maria Lopez, Sam Okafor"


def test_html_record_becomes_an_html_document(write_file: WriteFile) -> None:
    [document] = read([write_file("news.jsonl", _line(html=f"<p>{TEXT}</p>"))])
    assert (document.content_type, document.content) == ("html", f"<p>{TEXT}</p>")


def test_malformed_line_is_skipped_naming_path_and_line(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", _line(text=TEXT) + '{"text": "unterminated\n')
    items = list(read([path]))
    assert isinstance(items[1], Skipped)
    assert (items[1].source, items[1].reason.startswith("not valid JSON")) == (f"{path}:2", True)


def test_reading_goes_on_after_a_malformed_line(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", "{oops\n" + _line(text=TEXT))
    assert [type(item) for item in read([path])] == [Skipped, Document]


@pytest.mark.parametrize("value", ["[1, 2]", '"just a string"', "42", "null"])
def test_non_object_line_is_skipped(write_file: WriteFile, value: str) -> None:
    path = write_file("news.jsonl", _line(text=TEXT) + value + "\n")
    skipped = list(read([path]))[1]
    assert isinstance(skipped, Skipped)
    assert (skipped.source, "expected a JSON object" in skipped.reason) == (f"{path}:2", True)


@pytest.mark.parametrize(
    "record", [{"title": "Ferry opens"}, {"text": "   "}, {"text": None, "html": ""}]
)
def test_record_without_text_is_skipped(write_file: WriteFile, record: dict[str, Any]) -> None:
    [skipped] = read([write_file("news.jsonl", _line(**record))])
    assert skipped == Skipped(
        source=skipped.source, reason="record has no 'text' or 'html' with content"
    )


@pytest.mark.parametrize("record", [{"text": 5}, {"text": TEXT, "title": {"a": 1}}])
def test_field_of_wrong_type_is_skipped(write_file: WriteFile, record: dict[str, Any]) -> None:
    [skipped] = read([write_file("news.jsonl", _line(**record))])
    assert isinstance(skipped, Skipped)
    assert "must be a string" in skipped.reason


def test_over_long_line_is_skipped_and_the_next_is_read(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", _line(text="x" * 5000) + _line(text=TEXT))
    items = list(read([path], IngestSettings(max_document_mb=0.001)))
    assert [(type(i), i.source) for i in items] == [(Skipped, f"{path}:1"), (Document, f"{path}:2")]
    assert "line longer than" in items[0].reason


def test_blank_lines_are_ignored_but_counted(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", "\n" + _line(text=TEXT) + "  \n\n" + _line(text=TEXT))
    assert [d.source for d in read([path])] == [f"{path}:2", f"{path}:5"]


def test_line_with_latin1_bytes_is_decoded(write_file: WriteFile) -> None:
    line = '{"text": "Le café du port a rouvert ses portes mardi matin."}\n'.encode("cp1252")
    [document] = read([write_file("news.jsonl", line)])
    assert "café" in document.content


@pytest.mark.issue(2)
def test_deeply_nested_line_is_skipped_not_raised(write_file: WriteFile) -> None:
    path = write_file("news.jsonl", _line(text=TEXT) + "[" * 100_000 + "\n" + _line(text=TEXT))
    assert [type(item) for item in read([path])] == [Document, Skipped, Document]
