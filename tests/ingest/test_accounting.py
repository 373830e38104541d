"""Every input accounts for itself: articles or skipped entries, never nothing (issue 18)."""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import read
from storyline.model import Article, Document, Skipped
from storyline.pipeline import clean_record
from storyline.settings import DEFAULTS, IngestSettings
from tests.conftest import WriteFile

pytestmark = pytest.mark.issue(18)

PAGE = (
    b"<html><head><title>Ferry terminal opens</title></head><body><article>"
    b"<p>The new ferry terminal in Oakdale opened on Tuesday after three years of work.</p>"
    b"<p>Mayor Ana Price cut the ribbon in front of a crowd of about two hundred people.</p>"
    b"</article></body></html>"
)
ARTICLE = "Ferry terminal opens\n\nThe new ferry terminal in Oakdale opened on Tuesday."


def _warc(*records: tuple[str, str, bytes, str | None], gzip_records: bool = False) -> bytes:
    """A WARC of ``(type, uri, body, http content type or None)`` records."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_records)
    for kind, uri, body, ctype in records:
        if kind == "response":
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", ctype or "")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
        elif kind == "request":
            headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(b""), length=0, http_headers=headers
            )
        else:  # resource, conversion: the content type is the WARC record's own
            record = writer.create_warc_record(
                uri,
                kind,
                payload=io.BytesIO(body),
                length=len(body),
                warc_content_type=ctype or "",
            )
        writer.write_record(record)
    return out.getvalue()


def _arc(url: str, body: bytes) -> bytes:
    version = b"1 0 storyline\nURL IP-address Archive-date Content-type Archive-length\n"
    head = b"filedesc://test.arc 0.0.0.0 20210504000000 text/plain %d\n" % len(version)
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    line = b"%s 127.0.0.1 20210504093000 text/html %d\n" % (url.encode(), len(payload))
    return head + version + b"\n" + line + payload + b"\n"


def _only_skipped(items: list[Document | Skipped]) -> Skipped:
    [skipped] = items
    assert isinstance(skipped, Skipped)
    return skipped


@pytest.mark.parametrize("kind", ["resource", "conversion"])
def test_warc_resource_and_conversion_records_with_html_are_pages(
    write_file: WriteFile, kind: str
) -> None:
    path = write_file(
        "saved.warc", _warc((kind, "https://courier.example/ferry", PAGE, "text/html"))
    )
    [document] = read([path])
    assert isinstance(document, Document)
    assert (document.source, document.content_type) == ("https://courier.example/ferry", "html")


def test_warc_of_request_records_only_says_so(write_file: WriteFile) -> None:
    path = write_file(
        "requests.warc",
        _warc(*[("request", f"https://x.example/{i}", b"", None) for i in range(4)]),
    )
    skipped = _only_skipped(list(read([path])))
    assert skipped.reason == "archive holds no page records (only 4 request)"


def test_warc_holding_only_an_image_resource_says_so(write_file: WriteFile) -> None:
    path = write_file(
        "logo.warc.gz",
        _warc(
            ("resource", "https://x.example/logo.png", b"\x89PNG\r\n", "image/png"),
            gzip_records=True,
        ),
    )
    skipped = _only_skipped(list(read([path])))
    assert skipped.reason == "1 record is not an HTML page (1 image/png)"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.warc", b""),
        ("empty.warc.gz", b""),
        ("empty-gzip.warc.gz", gzip.compress(b"")),
        ("empty.jsonl", b""),
        ("blank.jsonl", b"\n\n  \n"),
        ("blank.jsonl.gz", gzip.compress(b"\n\n")),
        ("empty.xml", b""),
        ("empty.html", b""),
    ],
)
def test_empty_files_of_every_format_are_skipped(
    write_file: WriteFile, name: str, data: bytes
) -> None:
    skipped = _only_skipped(list(read([write_file(name, data)])))
    assert skipped.reason.startswith("empty file")


def test_one_byte_warc_gz_is_skipped_with_a_reason(write_file: WriteFile) -> None:
    skipped = _only_skipped(list(read([write_file("cut.warc.gz", b"\x1f")])))
    assert "not a WARC or ARC archive" in skipped.reason


@pytest.mark.parametrize("compress", [False, True])
def test_arc_files_are_read_as_arc(write_file: WriteFile, compress: bool) -> None:
    data = _arc("http://courier.example/ferry", PAGE)
    path = write_file("crawl.arc.gz" if compress else "crawl.arc", data, compress=compress)
    [document] = read([path])
    assert isinstance(document, Document)
    assert document.source == "http://courier.example/ferry"
    assert document.content == PAGE.decode()


PYTHON = '''"""A scraper."""

import json
from pathlib import Path


def main() -> None:
    for path in Path(".").glob("*.json"):
        data = json.loads(path.read_text())
        print(data["title"])


if __name__ == "__main__":
    main()
'''
CSS = """body {
  margin: 0;
  font-family: Georgia, serif;
}
.headline { font-size: 2em; }
@media (max-width: 600px) {
  .headline { font-size: 1.4em; }
}
"""
JAVASCRIPT = """const feed = document.querySelector("#feed");
function load(url) {
  return fetch(url).then((r) => r.json());
}
load("/api/stories").then((data) => {
  console.log(data);
});
"""


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("scraper.py", PYTHON, "Python source"),
        ("scraper.txt", PYTHON, "Python source"),
        ("README", PYTHON, "Python source"),
        ("site.css", CSS, "a stylesheet"),
        ("app.js", JAVASCRIPT, "JavaScript source"),
    ],
)
def test_source_code_and_stylesheets_are_not_articles(
    write_file: WriteFile, name: str, content: str, what: str
) -> None:
    skipped = _only_skipped(list(read([write_file(name, content)])))
    assert skipped.reason == f"not an article: looks like {what}"


def test_a_folder_of_python_files_gives_no_articles(write_file: WriteFile, tmp_path: Path) -> None:
    for n in range(13):
        write_file(f"scraper/module_{n}.py", PYTHON.replace("main", f"main_{n}"))
    items = list(read([tmp_path]))
    assert len(items) == 13
    assert all(isinstance(i, Skipped) and "Python source" in i.reason for i in items)


def test_prose_with_a_colon_list_is_still_an_article(write_file: WriteFile) -> None:
    text = (
        "Council approves budget\n\nThe council approved three items on Tuesday:\n\n"
        "- a new seawall;\n- two more buses;\n- longer library hours.\n\n"
        "The mayor said the budget would be published on Friday."
    )
    [document] = read([write_file("budget.txt", text)])
    assert isinstance(document, Document)


def test_binary_with_a_text_extension_is_not_text(write_file: WriteFile) -> None:
    skipped = _only_skipped(list(read([write_file("photo.txt", b"RIFF\x00\x00\x00\x00WEBPVP8 ")])))
    assert skipped.reason.startswith("not text:")


def test_svg_image_is_not_an_article(write_file: WriteFile) -> None:
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>Hi</text></svg>'
    skipped = _only_skipped(list(read([write_file("logo.xml", svg)])))
    assert skipped.reason == "not an article: an SVG image"


def test_named_pipe_in_a_folder_is_skipped_without_blocking(
    write_file: WriteFile, tmp_path: Path
) -> None:
    write_file("story.txt", ARTICLE)
    os.mkfifo(tmp_path / "pipe")  # opening it for reading would wait for a writer forever
    items = list(read([tmp_path]))
    assert [type(i) for i in items] == [Skipped, Document]
    assert items[0].reason == "not a regular file but a named pipe; not read"


def test_socket_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        skipped = _only_skipped(list(read([path])))
    assert "not a regular file" in skipped.reason


def test_dangling_symlink_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "absent.txt")
    skipped = _only_skipped(list(read([tmp_path / "gone.txt"])))
    assert skipped.reason == "a symbolic link to nothing"


def test_file_name_that_is_not_utf8_is_escaped(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt"))
    path.write_text(ARTICLE, encoding="utf-8")
    [document] = read([tmp_path])
    assert document.source.endswith("/caf\\xe9.txt")
    document.source.encode("utf-8")  # writable anywhere


def test_gzip_bomb_stops_at_the_compression_ratio(write_file: WriteFile) -> None:
    lines = (b"a" * 99_999 + b"\n") * 200  # 20 MB of lines that are not JSON, 20 KB gzipped
    path = write_file("bomb.jsonl.gz", gzip.compress(lines))
    settings = IngestSettings(max_document_mb=1, max_compression_ratio=50)
    items = list(read([path], settings))
    assert len(items) < 40  # stopped after about 2 MB
    assert items[-1].reason.startswith("compressed data expands more than 50 times")
    assert len(items[-1].reason) < 300  # the data is not in the reason


def test_archive_without_line_breaks_stops_at_the_document_limit(write_file: WriteFile) -> None:
    path = write_file("long.warc", b"WARC/1.0" + b"x" * 3_000_000)
    [skipped] = read([path], IngestSettings(max_document_mb=1))
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("no line break in 1 MB")


def test_json_number_too_long_to_read_is_a_line_skip(write_file: WriteFile) -> None:
    path = write_file(
        "big.jsonl", '{"text": "Ferry opens on Tuesday.", "id": ' + "9" * 5000 + "}\n"
    )
    skipped = _only_skipped(list(read([path])))
    assert skipped.reason.startswith("not readable JSON")


def test_lone_surrogate_in_a_record_becomes_a_replacement_character(write_file: WriteFile) -> None:
    line = json.dumps({"text": "The ferry \ud800 opened on Tuesday after three years."})
    [document] = read([write_file("s.jsonl", line + "\n")])
    assert isinstance(document, Document)
    assert "\ufffd" in document.content
    document.content.encode("utf-8")


def test_malformed_ipv6_url_is_not_an_internal_error(write_file: WriteFile) -> None:
    record = {"text": "The new ferry terminal in Oakdale opened on Tuesday.", "url": "http://[::1"}
    [document] = read([write_file("u.jsonl", json.dumps(record) + "\n")])
    article = clean_record(document, settings=DEFAULTS.clean)
    assert isinstance(article, Article)
    assert article.outlet is None


def test_zeros_named_warc_gz_stop_at_once(write_file: WriteFile) -> None:
    path = write_file("zeros.warc.gz", gzip.compress(b"\x00" * 5_000_000))
    skipped = _only_skipped(list(read([path])))
    assert skipped.reason == "not a WARC or ARC archive: it starts with binary data, not WARC/"
