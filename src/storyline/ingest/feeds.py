"""RSS and Atom reader (feedparser): each item becomes a document.

The item's full content (``content:encoded`` or Atom ``content``) is preferred over its
summary; the feed's title is the outlet unless the item names its own source.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import feedparser

from storyline.ingest._io import normalize_text
from storyline.model import ContentType, Document, Skipped

__all__ = ["read_feed"]


def read_feed(data: bytes, *, source: str) -> Iterator[Document | Skipped]:
    """Yield one document per feed item that has content."""
    parsed = feedparser.parse(data)
    entries = parsed.get("entries", [])
    if not entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable RSS/Atom feed ({problem})" if problem else "feed has no items"
        yield Skipped(source=source, reason=reason)
        return
    outlet = parsed.get("feed", {}).get("title") or None
    for n, entry in enumerate(entries, start=1):
        where = entry.get("link") or f"{source}#item{n}"
        content, kind = _content(entry)
        if not content.strip():
            yield Skipped(source=where, reason="feed item has no content or summary")
            continue
        yield Document(
            source=where,
            content=normalize_text(content),
            content_type=kind,
            id=entry.get("id") or None,
            title=entry.get("title") or None,
            published=_published(entry),
            url=entry.get("link") or None,
            outlet=(entry.get("source") or {}).get("title") or outlet,
            author=entry.get("author") or None,
        )


def _content(entry: Any) -> tuple[str, ContentType]:
    candidates = [c for c in entry.get("content", []) if c.get("value")]
    if not candidates and entry.get("summary"):
        candidates = [entry.get("summary_detail") or {"value": entry["summary"]}]
    if not candidates:
        return "", "text"
    best = max(candidates, key=_length)
    kind: ContentType = "text" if best.get("type") == "text/plain" else "html"
    return best["value"], kind


def _length(candidate: Any) -> int:
    return len(candidate["value"])


def _published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%d", parsed)
    return entry.get("published") or entry.get("updated") or None
