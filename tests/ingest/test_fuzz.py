"""Fuzzing every reader and the cleaner: any input gives articles or skipped entries.

Valid files of every format (written here), then random bytes, truncations, bit flips,
wrong encodings, huge tokens and lines, and deep nesting. The invariant, for every input:
at least one entry; every entry a document or a skipped entry with a reason; cleaning
and dating turn each document into an article or a skipped entry, never an exception,
never an "internal error", never a record stopped by its time budget (a stopped record
would mean time grew faster than the input). Timing is not asserted (no timed tests):
the cases run and the slowest case are printed at the end of the session
(``pytest -s`` shows them; ``benchmarks/pathological.py`` measures growth with size).

The default run is small; ``pytest -m slow tests/ingest/test_fuzz.py`` runs many more
examples.
"""

from __future__ import annotations

import gzip
import io
import json
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import read
from storyline.model import Article, Document, Skipped
from storyline.pipeline import process_record
from storyline.settings import load_settings

pytestmark = pytest.mark.issue(18)

SETTINGS = load_settings(None, ["runner.workers=1", "runner.record_seconds=30"])
STATS: list[tuple[float, int, str]] = []  # seconds, bytes, case, for the session summary

TEXT = (
    "Ferry terminal opens in Oakdale\n\nBy Maria Lopez\n\nThe new ferry terminal in Oakdale "
    "opened on Tuesday after three years of building work, Mayor Ana Price said.\n\n"
    '"It is a great day," she told reporters. The terminal cost $40 million.\n'
)
PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ferry opens | Courier"
    "</title></head><body><nav>Home</nav><article><h1>Ferry opens</h1><p>The new ferry "
    "terminal in Oakdale opened on Tuesday after three years of building work.</p><p>Mayor "
    "Ana Price cut the ribbon.</p></article><footer>© 2021 Courier</footer></body></html>"
)
RECORD = {"id": "f1", "title": "Ferry opens", "text": TEXT, "published": "2021-05-04"}
RSS = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Courier</title>'
    "<item><title>Ferry opens</title><link>https://c.example/ferry</link><pubDate>Tue, 04 "
    "May 2021 09:30:00 -0400</pubDate><description>The terminal opened.</description>"
    f"<content:encoded><![CDATA[{PAGE}]]></content:encoded></item></channel></rss>"
)
ATOM = (
    '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title>'
    "<entry><title>Bridge closes</title><link href='https://g.example/b'/><id>b</id>"
    "<updated>2021-05-04T10:00:00Z</updated><summary type='html'>&lt;p&gt;The Riverton "
    "bridge will close for six weeks from Monday.&lt;/p&gt;</summary></entry></feed>"
)
CDF = (
    "<CHANNEL HREF='https://c.example/'><TITLE>Courier</TITLE><ITEM HREF='https://c.example/f'>"
    "<TITLE>Ferry</TITLE><ABSTRACT>The new ferry terminal opened on Tuesday.</ABSTRACT>"
    "</ITEM></CHANNEL>"
)
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1",
        "title": "Gazette",
        "items": [{"id": "1", "content_text": TEXT, "date_published": "2021-05-04T22:10-04:00"}],
    }
)


def _warc(*, compress: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for n, (status, ctype, body) in enumerate(
        [
            ("200 OK", "text/html; charset=utf-8", PAGE.encode()),
            ("404 Not Found", "text/html", b"no"),
        ]
    ):
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://c.example/{n}",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
            )
        )
    return out.getvalue()


def _arc() -> bytes:
    version = b"1 0 fuzz\nURL IP-address Archive-date Content-type Archive-length\n"
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE.encode()
    return (
        b"filedesc://f.arc 0.0.0.0 20210504000000 text/plain %d\n" % len(version)
        + version
        + b"\nhttp://c.example/ferry 127.0.0.1 20210504093000 text/html %d\n" % len(payload)
        + payload
        + b"\n"
    )


VALID: dict[str, bytes] = {
    "story.txt": TEXT.encode(),
    "page.html": PAGE.encode(),
    "news.jsonl": ((json.dumps(RECORD) + "\n") * 2).encode(),
    "array.json": json.dumps([RECORD, RECORD | {"id": "f2"}]).encode(),
    "feed.rss": RSS.encode(),
    "feed.atom": ATOM.encode(),
    "channel.cdf": CDF.encode(),
    "feed.json": JSON_FEED.encode(),
    "crawl.warc": _warc(compress=False),
    "crawl.warc.gz": _warc(compress=True),
    "crawl.arc": _arc(),
    "story.txt.gz": gzip.compress(TEXT.encode()),
    "news.jsonl.gz": gzip.compress(((json.dumps(RECORD) + "\n") * 2).encode()),
}
NAMES = sorted(VALID)
CODECS = [
    "utf-16",
    "utf-16-le",
    "utf-32",
    "cp1252",
    "latin-1",
    "koi8_r",
    "shift_jis",
    "euc_jp",
    "cp1250",
]
TOKEN_CHARS = ['"', ".", "(", "-", "a", "A", "7", "&amp;", "<b>", "é", "渡", "\\", "'", " ", "\n"]


def check(name: str, data: bytes, case: str) -> None:
    """The invariant, on one input file."""
    if not STATS:  # pay the one-time loading of models outside the figures
        process_record(
            Document(source="warm", content=PAGE, content_type="html"), settings=SETTINGS
        )
        STATS.append((0.0, 0, "warm-up"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        start = time.perf_counter()
        items = list(read([path], SETTINGS.ingest))
        assert items, f"{case}: nothing at all for {name}"
        for item in items:
            assert isinstance(item, Document | Skipped), f"{case}: {item!r}"
            result = process_record(item, settings=SETTINGS)
            assert isinstance(result, Article | Skipped), f"{case}: {result!r}"
            if isinstance(result, Skipped):
                assert result.reason.strip(), f"{case}: an empty reason"
                assert "internal error" not in result.reason, f"{case}: {result.reason}"
                assert "CPU time" not in result.reason, f"{case}: {result.reason}"
        STATS.append(
            (time.perf_counter() - start, len(data), f"{case} ({name}, {len(data)} bytes)")
        )


def _examples(default: int) -> settings:
    return settings(
        max_examples=default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


FUZZ = _examples(25)
FUZZ_SLOW = _examples(600)

names = st.sampled_from(NAMES)


def test_every_valid_file_gives_articles() -> None:
    for name in NAMES:
        check(name, VALID[name], "valid")
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / name).write_bytes(VALID[name])
            [item, *_] = read([Path(folder) / name])
            assert isinstance(item, Document), name


def _random_bytes(data: st.DataObject) -> tuple[str, bytes, str]:
    name = data.draw(names | st.sampled_from(["x", "x.xml", "x.gz", "x.md"]))
    return name, data.draw(st.binary(max_size=2000)), "random bytes"


def _truncated(data: st.DataObject) -> tuple[str, bytes, str]:
    name = data.draw(names)
    valid = VALID[name]
    cut = data.draw(st.integers(0, len(valid)))
    return name, valid[:cut], f"truncated at {cut}"


def _bit_flips(data: st.DataObject) -> tuple[str, bytes, str]:
    name = data.draw(names)
    valid = bytearray(VALID[name])
    flips = data.draw(st.lists(st.integers(0, len(valid) * 8 - 1), min_size=1, max_size=8))
    for bit in flips:
        valid[bit // 8] ^= 1 << (bit % 8)
    return name, bytes(valid), f"{len(flips)} bit flips"


def _wrong_encoding(data: st.DataObject) -> tuple[str, bytes, str]:
    name = data.draw(st.sampled_from(["story.txt", "page.html", "news.jsonl", "feed.rss"]))
    codec = data.draw(st.sampled_from(CODECS))
    text = (
        VALID[name]
        .decode("utf-8")
        .replace(
            "Oakdale", data.draw(st.sampled_from(["Øresund", "Köln", "Москва", "東京", "Kraków"]))
        )
    )
    return name, text.encode(codec, errors="replace"), f"in {codec}"


def _huge_token(data: st.DataObject) -> tuple[str, bytes, str]:
    name = data.draw(
        st.sampled_from(["story.txt", "page.html", "news.jsonl", "feed.rss", "crawl.warc"])
    )
    unit = data.draw(st.sampled_from(TOKEN_CHARS))
    size = data.draw(st.integers(1_000, 60_000))
    token = unit * (size // len(unit))
    if name == "news.jsonl":
        body = json.dumps(RECORD | {"text": TEXT.replace("Tuesday", token)}) + "\n"
        return name, body.encode(), f"{size}-character run of {unit!r}"
    valid = VALID[name]
    if name == "crawl.warc":  # keep the record lengths right: rebuild around the token
        page = PAGE.replace("Tuesday", token).encode()
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://c.example/t",
                "response",
                payload=io.BytesIO(page),
                length=len(page),
                http_headers=headers,
            )
        )
        return name, out.getvalue(), f"{size}-character run of {unit!r}"
    return name, valid.replace(b"Tuesday", token.encode(), 1), f"{size}-character run of {unit!r}"


def _huge_line(data: st.DataObject) -> tuple[str, bytes, str]:
    name = data.draw(st.sampled_from(["story.txt", "page.html", "news.jsonl"]))
    words = data.draw(st.integers(2_000, 40_000))
    sentence = "The ferry left at seven. Mr. Price said so on Jan. 5 in the U.S. "
    line = (sentence * (words // 14 + 1))[: words * 5]
    if name == "story.txt":
        return name, f"Ferry\n\n{line}\n".encode(), f"{len(line)}-character line"
    if name == "news.jsonl":
        return (
            name,
            (json.dumps(RECORD | {"text": line}) + "\n").encode(),
            f"{len(line)}-character line",
        )
    return (
        name,
        PAGE.replace("Mayor Ana Price cut the ribbon.", line).encode(),
        f"{len(line)}-character paragraph",
    )


def _deep_nesting(data: st.DataObject) -> tuple[str, bytes, str]:
    depth = data.draw(st.integers(100, 20_000))
    kind = data.draw(st.sampled_from(["html", "json", "xml", "jsonl"]))
    if kind == "html":
        body = "<div>" * depth + "<p>The ferry terminal opened on Tuesday.</p>" + "</div>" * depth
        return "deep.html", f"<html><body>{body}</body></html>".encode(), f"{depth} nested divs"
    if kind == "json":
        return "deep.json", ("[" * depth + "]" * depth).encode(), f"{depth} nested arrays"
    if kind == "jsonl":
        text = '{"text": "Ferry opens on Tuesday.", "x": ' + "[" * depth + "]" * depth + "}\n"
        return "deep.jsonl", text.encode(), f"{depth} nested arrays in a record"
    xml = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>' + "<b>" * depth
    return (
        "deep.xml",
        (xml + "</b>" * depth + "</title></item></channel></rss>").encode(),
        f"{depth} nested tags",
    )


STRATEGIES = {
    "random bytes": _random_bytes,
    "truncation": _truncated,
    "bit flips": _bit_flips,
    "wrong encoding": _wrong_encoding,
    "huge token": _huge_token,
    "huge line": _huge_line,
    "deep nesting": _deep_nesting,
}


@pytest.mark.parametrize("kind", list(STRATEGIES))
@FUZZ
@given(data=st.data())
def test_fuzzed_input_is_accounted_for(kind: str, data: st.DataObject) -> None:
    check(*STRATEGIES[kind](data))


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(STRATEGIES))
@FUZZ_SLOW
@given(data=st.data())
def test_fuzzed_input_is_accounted_for_at_length(kind: str, data: st.DataObject) -> None:
    check(*STRATEGIES[kind](data))


@FUZZ
@given(data=st.binary(max_size=400) | st.binary(max_size=400).map(gzip.compress))
def test_any_bytes_with_any_name(data: bytes) -> None:
    for name in ("input", "input.txt", "input.warc", "input.jsonl", "input.xml", "input.gz"):
        check(name, data, "raw bytes")
