"""Sniffing formats and finding inputs: content first, extension as tie-breaker."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from storyline.ingest import read, sniff
from storyline.model import Document, Skipped
from storyline.settings import IngestSettings
from tests.conftest import WriteFile

ARTICLE = (
    "Ferry terminal opens in Oakdale\n\n"
    "The new ferry terminal in Oakdale opened on Tuesday after three years of building work."
)
PAGE = (
    "<!doctype html><html><head><title>Ferry terminal opens</title></head><body><article>"
    "<p>The new ferry terminal in Oakdale opened on Tuesday after three years of work.</p>"
    "</article></body></html>"
)
FORMATS = {"warc", "jsonl", "feed", "html", "text"}
RECORD = '{"text": "The new ferry terminal in Oakdale opened on Tuesday.", "title": "Ferry"}\n'


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "", "warc"),
        (b"\x1f\x8b\x08\x00", "crawl.warc.gz", "warc"),
        (b"anything", "crawl.warc", "warc"),
        (RECORD.encode(), "", "jsonl"),
        (RECORD.encode(), "records.ndjson", "jsonl"),
        (b"not json at all", "records.jsonl", "jsonl"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed.xml", "feed"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "", "feed"),
        (b'<rss version="2.0"><channel>', "feed.html", "feed"),
        (PAGE.encode(), "", "html"),
        (PAGE.encode(), "page.htm", "html"),
        (b"<!-- saved page -->\n<html lang='en'><body>", "", "html"),
        (PAGE.encode(), "story.txt", "html"),  # a whole HTML document wins over .txt
        (ARTICLE.encode(), "", "text"),
        (ARTICLE.encode(), "story.md", "text"),
        (b'{"text": "x"}', "story.txt", "text"),
        ("The café reopened.".encode("utf-16"), "story.txt", "text"),
    ],
)
def test_sniff(head: bytes, name: str, expected: str) -> None:
    assert sniff(head, name) == expected


@pytest.mark.parametrize(
    ("head", "name", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "story.txt", "PDF"),
        (b"\x89PNG\r\n\x1a\n", "photo.html", "PNG"),
        (b"PK\x03\x04zipped", "records.jsonl", "ZIP"),
        (b"\x00\x01\x02\x03binary", "", "binary"),
    ],
)
def test_sniff_names_binary_content_whatever_the_extension(
    head: bytes, name: str, what: str
) -> None:
    result = sniff(head, name)
    assert result not in FORMATS
    assert what in result


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("story.txt.gz", ARTICLE, "text"),
        ("page.html.gz", PAGE, "html"),
        ("story.gz", ARTICLE, "text"),
    ],
)
def test_gzip_compressed_file_is_decompressed(
    write_file: WriteFile, name: str, content: str, content_type: str
) -> None:
    [document] = read([write_file(name, content, compress=True)])
    assert isinstance(document, Document)
    assert (document.content, document.content_type) == (content, content_type)


def test_gzip_compressed_jsonl_is_read_per_line(write_file: WriteFile) -> None:
    path = write_file("records.jsonl.gz", RECORD * 3, compress=True)
    assert [type(item) for item in read([path])] == [Document] * 3


def test_txt_that_is_really_a_pdf_is_skipped(write_file: WriteFile) -> None:
    path = write_file("story.txt", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    [skipped] = read([path])
    assert isinstance(skipped, Skipped)
    assert (skipped.source, "PDF" in skipped.reason) == (str(path), True)


def test_empty_file_is_skipped(write_file: WriteFile) -> None:
    path = write_file("empty.txt", b"")
    assert list(read([path])) == [Skipped(source=str(path), reason="empty file")]


def test_whitespace_only_file_is_skipped(write_file: WriteFile) -> None:
    path = write_file("blank.html", "  \n\n\t ")
    assert list(read([path])) == [Skipped(source=str(path), reason="empty file")]


def test_missing_path_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "absent.txt"
    assert list(read([path])) == [Skipped(source=str(path), reason="no such file or folder")]


def test_folder_files_are_read_in_name_order(write_file: WriteFile, tmp_path: Path) -> None:
    for name in ["c.txt", "a.txt", "b.txt"]:
        write_file(name, ARTICLE)
    assert [Path(d.source).name for d in read([tmp_path])] == ["a.txt", "b.txt", "c.txt"]


def test_folder_is_walked_recursively(write_file: WriteFile, tmp_path: Path) -> None:
    write_file("a.txt", ARTICLE)
    write_file("sub/deeper/b.txt", ARTICLE)
    sources = [Path(d.source).relative_to(tmp_path).as_posix() for d in read([tmp_path])]
    assert sources == ["a.txt", "sub/deeper/b.txt"]


def test_folder_walk_ignores_hidden_files_and_folders(
    write_file: WriteFile, tmp_path: Path
) -> None:
    write_file("story.txt", ARTICLE)
    write_file(".draft.txt", ARTICLE)
    write_file(".git/objects/notes.txt", ARTICLE)
    write_file("sub/.cache/page.html", PAGE)
    assert [Path(d.source).name for d in read([tmp_path])] == ["story.txt"]


def test_several_inputs_are_read_in_the_order_given(write_file: WriteFile) -> None:
    first, second = write_file("z.txt", ARTICLE), write_file("a.txt", ARTICLE)
    assert [d.source for d in read([first, second])] == [str(first), str(second)]


def test_stdin_is_read_for_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = SimpleNamespace(buffer=io.BufferedReader(io.BytesIO(ARTICLE.encode())))  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdin", stdin)
    [document] = read(["-"])
    assert (document.source, document.content) == ("-", ARTICLE)


def test_stdin_is_sniffed_like_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = SimpleNamespace(buffer=io.BufferedReader(io.BytesIO((RECORD * 2).encode())))  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdin", stdin)
    assert [d.source for d in read(["-"])] == ["-:1", "-:2"]


def test_file_larger_than_the_limit_is_skipped(write_file: WriteFile) -> None:
    path = write_file("long.txt", ARTICLE * 100)
    [skipped] = read([path], IngestSettings(max_document_mb=0.001))
    assert isinstance(skipped, Skipped)
    assert "larger than 0.001 MB" in skipped.reason
