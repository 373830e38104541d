"""HTML reader: one page, one article; extraction happens in :mod:`storyline.clean`."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest._io import decode, normalize_text
from storyline.model import Document, Skipped

__all__ = ["read_html"]


def read_html(data: bytes, *, source: str) -> Iterator[Document | Skipped]:
    """Yield the decoded page as an HTML document."""
    html = normalize_text(decode(data, source=source))
    if not html.strip():
        yield Skipped(source=source, reason="empty file (no HTML after decoding)")
        return
    yield Document(source=source, content=html, content_type="html")
