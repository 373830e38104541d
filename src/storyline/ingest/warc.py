"""WARC reader (warcio): HTML responses become documents, streamed record by record.

Works on ``.warc`` and ``.warc.gz`` (CC-NEWS and other crawls). Request, metadata and
warcinfo records belong to the container and are not inputs; responses that are not
HTML pages with status 200 are counted in one skipped entry per file. A truncated or
corrupt file yields what was read before the damage plus a skipped entry saying where it
stopped.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.errors import InputError
from storyline.ingest._io import decode, normalize_text
from storyline.model import Document, Skipped

__all__ = ["read_warc"]


def read_warc(stream: BinaryIO, *, source: str, limit: int) -> Iterator[Document | Skipped]:
    """Yield one document per HTML response record of the archive."""
    ignored: Counter[str] = Counter()
    n = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            n += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#record{n}"
            status = record.http_headers.get_statuscode() if record.http_headers else None
            ctype = (record.http_headers.get_header("Content-Type") or "") if status else ""
            if status != "200":
                ignored[f"status {status or 'unknown'}"] += 1
                continue
            if "html" not in ctype.lower():
                ignored[ctype.split(";")[0].strip() or "no content type"] += 1
                continue
            yield _document(record.content_stream().read(limit + 1), uri=uri, limit=limit)
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as e:
        yield Skipped(
            source=source,
            reason=f"archive is truncated or corrupt after {n} response records ({e})",
        )
    if ignored:
        detail = ", ".join(f"{count} {what}" for what, count in ignored.most_common())
        yield Skipped(
            source=source,
            reason=f"{sum(ignored.values())} response records are not HTML pages ({detail})",
        )


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
