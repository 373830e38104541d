"""WARC reader (warcio): HTML responses become documents, streamed record by record.

Works on ``.warc`` and ``.warc.gz`` (CC-NEWS and other crawls). Request, metadata and
warcinfo records belong to the container and are not inputs; responses that are not
HTML pages with status 200 are counted in one skipped entry per file. A truncated or
corrupt file yields what was read before the damage plus a skipped entry saying where it
stopped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from storyline.errors import InputError
from storyline.ingest._io import decode, normalize_text
from storyline.model import Document, Skipped

__all__ = ["read_warc"]


def read_warc(stream: BinaryIO, *, source: str, limit: int) -> Iterator[Document | Skipped]:
    """Yield one document per HTML response record of the archive."""
    ignored: Counter[str] = Counter()
    counted = _CountingReader(stream)
    records = ArchiveIterator(counted)
    n = 0
    complete_until = 0  # offset where the last complete record ended
    try:
        for record in records:
            item = _response(record, n=n + 1, source=source, limit=limit, ignored=ignored)
            records.read_to_end(record)
            if record.raw_stream.limit > 0:  # fewer bytes than its Content-Length
                break
            complete_until = records.get_record_offset() + records.get_record_length()
            if record.rec_type == "response":
                n += 1
            if item is not None:
                yield item
    except Exception as e:  # warcio fails in many ways on damaged input; none may escape
        yield Skipped(source=source, reason=f"archive is corrupt after {n} response records ({e})")
    else:
        if counted.count - complete_until > _TRAILING_SLACK:
            yield Skipped(
                source=source,
                reason=f"archive is truncated: it ends inside a record after {n} response records",
            )
    if ignored:
        detail = ", ".join(f"{count} {what}" for what, count in ignored.most_common())
        yield Skipped(
            source=source,
            reason=f"{sum(ignored.values())} response records are not HTML pages ({detail})",
        )


_TRAILING_SLACK = 8  # a record's closing CRLFs may be counted after its end


class _CountingReader:
    """Counts the bytes warcio reads, to tell a clean end from a cut-off one."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


def _response(
    record: Any, *, n: int, source: str, limit: int, ignored: Counter[str]
) -> Document | Skipped | None:
    """The document of an HTML response record; ``None`` for anything else."""
    if record.rec_type != "response":
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#record{n}"
    status = record.http_headers.get_statuscode() if record.http_headers else None
    ctype = (record.http_headers.get_header("Content-Type") or "") if status else ""
    if status != "200":
        ignored[f"status {status or 'unknown'}"] += 1
        return None
    if "html" not in ctype.lower():
        ignored[ctype.split(";")[0].strip() or "no content type"] += 1
        return None
    return _document(record.content_stream().read(limit + 1), uri=uri, limit=limit)


def _document(body: bytes, *, uri: str, limit: int) -> Document | Skipped:
    if len(body) > limit:
        return Skipped(
            source=uri,
            reason=f"record larger than {limit / 1e6:g} MB (raise ingest.max_document_mb)",
        )
    try:
        html = normalize_text(decode(body, source=uri))
    except InputError as e:
        return Skipped(source=uri, reason=e.message)
    if not html.strip():
        return Skipped(source=uri, reason="empty HTML response")
    return Document(source=uri, content=html, content_type="html", url=uri)
