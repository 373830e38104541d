"""WARC reader: HTML 200 responses become documents; the rest is counted, not dropped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import read
from storyline.model import Document, Skipped
from tests.conftest import WriteFile

PAGE = (
    b"<html><head><title>Ferry terminal opens</title></head><body><article>"
    b"<p>The new ferry terminal in Oakdale opened on Tuesday after three years of work.</p>"
    b"</article></body></html>"
)


def _response(writer: WARCWriter, uri: str, status: str, ctype: str, body: bytes) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    # An explicit length keeps warcio from buffering into a temporary file it never closes.
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
    )
    writer.write_record(record)


def _request(writer: WARCWriter, uri: str) -> None:
    headers = StatusAndHeaders(
        "GET /ferry HTTP/1.1", [("Host", "courier.example")], is_http_request=True
    )
    writer.write_record(
        writer.create_warc_record(
            uri, "request", payload=io.BytesIO(b""), length=0, http_headers=headers
        )
    )


def build_warc(*, gzip: bool) -> bytes:
    """A request, an HTML 200 page, a 404 page and an image, in that order."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    _request(writer, "https://courier.example/ferry")
    _response(writer, "https://courier.example/ferry", "200 OK", "text/html; charset=utf-8", PAGE)
    _response(writer, "https://courier.example/gone", "404 Not Found", "text/html", b"<p>no</p>")
    _response(writer, "https://courier.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n")
    return out.getvalue()


def build_pages(n: int) -> tuple[bytes, list[int]]:
    """A gzipped WARC of ``n`` HTML pages and the offset where each record ends."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    ends = []
    for i in range(n):
        _response(writer, f"https://courier.example/{i}", "200 OK", "text/html", PAGE)
        ends.append(out.tell())
    return out.getvalue(), ends


@pytest.fixture(params=["crawl.warc", "crawl.warc.gz"])
def warc_path(request: pytest.FixtureRequest, write_file: WriteFile) -> Path:
    name: str = request.param
    return write_file(name, build_warc(gzip=name.endswith(".gz")))


def test_html_200_response_becomes_a_document(warc_path: Path) -> None:
    documents = [item for item in read([warc_path]) if isinstance(item, Document)]
    assert [(d.source, d.url, d.content_type) for d in documents] == [
        ("https://courier.example/ferry", "https://courier.example/ferry", "html")
    ]


def test_document_holds_the_response_body(warc_path: Path) -> None:
    [document] = [item for item in read([warc_path]) if isinstance(item, Document)]
    assert document.content == PAGE.decode()


def test_other_responses_are_counted_in_one_skipped_entry(warc_path: Path) -> None:
    skipped = [item for item in read([warc_path]) if isinstance(item, Skipped)]
    assert skipped == [
        Skipped(
            source=str(warc_path),
            reason="2 records are not HTML pages (1 status 404, 1 image/png)",
        )
    ]


def test_gzipped_warc_with_plain_gz_name_is_read(write_file: WriteFile) -> None:
    path = write_file("crawl.gz", build_warc(gzip=True))
    assert sum(isinstance(item, Document) for item in read([path])) == 1


@pytest.mark.issue(2)
def test_truncated_warc_gz_keeps_earlier_records_and_says_truncated(
    write_file: WriteFile,
) -> None:
    data, ends = build_pages(3)
    path = write_file("cut.warc.gz", data[: (ends[1] + ends[2]) // 2])
    items = list(read([path]))
    assert [type(item) for item in items] == [Document, Document, Skipped]
    assert "truncated" in items[-1].reason


@pytest.mark.issue(2)
def test_truncated_warc_gz_never_raises(write_file: WriteFile) -> None:
    data, ends = build_pages(3)
    path = write_file("cut.warc.gz", b"")
    for cut in range(ends[1] + 1, ends[2], 5):
        path.write_bytes(data[:cut])
        assert all(isinstance(item, Document | Skipped) for item in read([path]))
