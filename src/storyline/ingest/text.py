"""Plain-text reader: one file, one article.

Scraper metadata at the top (YAML front matter, ``Key: value`` lines, a leading
``date 2020-10-16`` token) is parsed by :mod:`storyline.clean`, which also takes the title
from the first line; this reader only decodes.
"""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest._io import whole_document
from storyline.model import Document, Skipped

__all__ = ["read_text"]


def read_text(data: bytes, *, source: str) -> Iterator[Document | Skipped]:
    """Yield the decoded text of one file as a document."""
    yield whole_document(data, source=source, content_type="text")
