"""HTML reader: one page, one article; extraction happens in :mod:`storyline.clean`."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest._io import whole_document
from storyline.model import Document, Skipped

__all__ = ["read_html"]


def read_html(data: bytes, *, source: str) -> Iterator[Document | Skipped]:
    """Yield the decoded page as an HTML document."""
    yield whole_document(data, source=source, content_type="html")
