"""WARC and ARC reader (warcio): HTML pages become documents, streamed record by record.

Works on ``.warc`` and ``.arc`` files, plain or gzip-compressed (CC-NEWS and other crawls;
:mod:`storyline.ingest` decompresses, so one gzip member per record or one for the whole
file both read). A page is an HTML ``response`` with HTTP status 200, or a ``resource`` or
``conversion`` record whose content type is HTML (a page saved or converted by the
crawler). ``request``, ``metadata``, ``revisit`` and ``warcinfo`` records belong to the
container and are not inputs. Every other record (status 404, an image, a PDF) is counted
in one skipped entry per file; an archive with no page at all (only requests, say) gives
one skipped entry naming what it holds. A truncated or corrupt file yields what was read
before the damage plus a skipped entry saying where it stopped.

The body's encoding is taken from the HTTP ``Content-Type`` charset or the page's
``<meta charset>`` when its bytes fit, else detected (:mod:`storyline.ingest._decode`).
A file that does not start like a WARC or ARC archive is skipped at once; a run of more
than 8 MB (or ``ingest.max_document_mb``) without a line break is damage (warcio would read
it whole, as one header line, in time quadratic in its length), so the file stops there.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from storyline.errors import InputError
from storyline.ingest._io import brief, declared_charset, decode, normalize_text
from storyline.model import Document, Skipped

__all__ = ["read_warc"]

_PAGES = frozenset({"response", "resource", "conversion"})
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_TRAILING_SLACK = 8  # a record's closing CRLFs may be counted after its end
_STARTS = (b"WARC/", b"filedesc://")
# warcio reads a line by appending blocks (quadratic in its length), so a run of garbage is
# stopped early; a real record's body has a line break every few kilobytes, even minified
# HTML or compressed data
_LONGEST_LINE = 8_000_000


def read_warc(stream: BinaryIO, *, source: str, limit: int) -> Iterator[Document | Skipped]:
    """Yield one document per HTML page record of the archive (see the module docstring)."""
    start = _start(stream)
    if not start.startswith(_STARTS):
        head = start[:24].decode("latin-1")
        what = repr(head) if head.isascii() and head.isprintable() else "binary data"
        yield Skipped(
            source=source, reason=f"not a WARC or ARC archive: it starts with {what}, not WARC/"
        )
        return
    kinds: Counter[str] = Counter()  # records by type
    ignored: Counter[str] = Counter()  # page records that are not HTML pages, by why
    counted = _CountingReader(stream, source=source, limit=min(limit, _LONGEST_LINE))
    n = 0
    damaged = True  # until the loop ends cleanly
    complete_until = 0  # offset where the last complete record ended
    try:
        records = _quiet(lambda: ArchiveIterator(counted, arc2warc=True))
        while (record := _quiet(lambda: next(records, None))) is not None:
            kinds[record.rec_type] += 1
            item = _page(record, n=n + 1, source=source, limit=limit, ignored=ignored)
            _quiet(functools.partial(records.read_to_end, record))
            if record.raw_stream.limit > 0:  # fewer bytes than its Content-Length
                break
            complete_until = records.get_record_offset() + records.get_record_length()
            n += record.rec_type in _PAGES
            if item is not None:
                yield item
    except InputError:
        raise
    except EOFError:
        yield Skipped(source=source, reason=_truncated(n))
    except Exception as e:  # warcio fails in many ways on damaged input; none may escape
        yield Skipped(source=source, reason=f"archive is corrupt after {n} records ({brief(e)})")
    else:
        damaged = counted.count - complete_until > _TRAILING_SLACK
        if damaged:
            yield Skipped(source=source, reason=_truncated(n))
    if ignored:
        detail = ", ".join(f"{count} {what}" for what, count in ignored.most_common())
        total = sum(ignored.values())
        noun = "record is not an HTML page" if total == 1 else "records are not HTML pages"
        yield Skipped(source=source, reason=f"{total} {noun} ({detail})")
    elif damaged:
        pass  # said above
    elif not kinds:
        yield Skipped(source=source, reason="not a WARC or ARC archive: no record could be read")
    elif not n:
        held = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        yield Skipped(source=source, reason=f"archive holds no page records (only {held})")


def _start(stream: BinaryIO) -> bytes:
    """The archive's first bytes past blank lines, without consuming them."""
    peek = getattr(stream, "peek", None)
    head: bytes = peek(4096)[:4096] if peek is not None else b"WARC/"
    return head.lstrip(b"\r\n\t ")


def _truncated(n: int) -> str:
    return f"archive is truncated: it ends inside a record after {n} records"


def _quiet(call: Any) -> Any:
    """``call()`` with warcio's warnings, which it writes to standard error, kept out."""
    with contextlib.redirect_stderr(io.StringIO()):
        return call()


class _CountingReader:
    """Counts the bytes warcio reads, to tell a clean end from a cut-off one, and stops a
    file that holds no line break for longer than a document may be."""

    def __init__(self, stream: BinaryIO, *, source: str, limit: int) -> None:
        self.stream = stream
        self.source = source
        self.limit = limit
        self.count = 0
        self.since_newline = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        newline = data.rfind(b"\n")
        self.since_newline = self.since_newline + len(data) if newline < 0 else len(data) - newline
        if self.since_newline > self.limit:
            raise InputError(
                f"no line break in {self.limit / 1e6:g} MB: not a WARC or ARC archive, or a "
                "damaged one",
                source=self.source,
            )
        return data


def _page(
    record: Any, *, n: int, source: str, limit: int, ignored: Counter[str]
) -> Document | Skipped | None:
    """The document of an HTML page record; ``None`` for anything else."""
    if record.rec_type not in _PAGES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#record{n}"
    http = record.http_headers if record.rec_type == "response" else None
    if http is not None and http.protocol.upper().startswith("HTTP"):
        status = http.get_statuscode()
        if status != "200":
            ignored[f"status {status or 'unknown'}"] += 1
            return None
        ctype = http.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
        if ctype.lower().startswith("application/http"):
            ignored["no readable HTTP response"] += 1
            return None
    if ctype and "html" not in ctype.lower():
        ignored[ctype.split(";")[0].strip()] += 1
        return None
    body = record.content_stream().read(limit + 1)
    if not ctype and not _HTML_START.match(body[:4096]):  # undeclared: HTML if it starts so
        ignored["no content type"] += 1
        return None
    return _document(body, uri=uri, limit=limit, ctype=ctype)


def _document(body: bytes, *, uri: str, limit: int, ctype: str) -> Document | Skipped:
    if len(body) > limit:
        return Skipped(
            source=uri,
            reason=f"record larger than {limit / 1e6:g} MB (raise ingest.max_document_mb)",
        )
    charset = _CHARSET.search(ctype)
    declared = charset.group(1) if charset else declared_charset(body)
    try:
        html = normalize_text(decode(body, source=uri, declared=declared))
    except InputError as e:
        return Skipped(source=uri, reason=e.message)
    if not html.strip():
        return Skipped(source=uri, reason="empty HTML page record")
    return Document(source=uri, content=html, content_type="html", url=uri)
