"""RSS, Atom, RDF and CDF feeds (feedparser) and JSON Feed: each item becomes a document.

The item's full content (``content:encoded``, Atom ``content``, JSON Feed
``content_html``/``content_text``) is preferred over its summary (``description``,
``summary``). An item with only a summary is a document marked ``summary_only`` (or, with
``ingest.feed_summaries = "skip"``, a skipped entry giving the summary's length). The
feed's title is the outlet unless the item names its own source.

A feed that crashes feedparser (its loose parser fails on some stray end tags) is read
again without the end tags that close no open element.

Dates: the item's own date string is kept as written, so a date keeps the outlet's UTC
offset ("Sun, 23 Mar 2025 22:10 -0400" is 23 March, not the 24th in UTC); feedparser's
UTC reading is used only for formats storyline's date parser does not read.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import feedparser

from storyline._published import parse_published
from storyline.errors import InputError
from storyline.ingest._io import brief, decode, normalize_text
from storyline.model import ContentType, Document, Skipped
from storyline.settings import DEFAULTS, IngestSettings

__all__ = ["read_feed"]

_TAG = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<[?!][^>]*>|<(/?)([A-Za-z_][\w:.-]*)[^>]*?(/?)>", re.DOTALL
)


def read_feed(
    data: bytes, *, source: str, settings: IngestSettings = DEFAULTS.ingest
) -> Iterator[Document | Skipped]:
    """Yield one document per feed item that has content."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        yield from _json_feed(data, source=source, settings=settings)
        return
    try:
        parsed = feedparser.parse(data)
    except Exception as e:  # feedparser's loose parser crashes on some stray end tags
        parsed = _parse_repaired(data)
        if parsed is None:
            yield Skipped(source=source, reason=f"the feed parser failed on this file ({brief(e)})")
            return
    entries = parsed.get("entries", [])
    if not entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable feed ({brief(problem)})" if problem else "feed has no items"
        yield Skipped(source=source, reason=reason)
        return
    outlet = parsed.get("feed", {}).get("title") or None
    for n, entry in enumerate(entries, start=1):
        content, kind, summary_only = _content(entry)
        yield _item(
            content,
            kind,
            summary_only,
            settings=settings,
            where=_text(entry.get("link")) or f"{source}#item{n}",
            id=_text(entry.get("id")),
            title=_text(entry.get("title")),
            published=_published(entry),
            url=_text(entry.get("link")),
            outlet=_text((entry.get("source") or {}).get("title")) or _text(outlet),
            author=_text(entry.get("author")),
        )


def _item(
    content: str,
    kind: ContentType,
    summary_only: bool,
    *,
    settings: IngestSettings,
    where: str,
    **meta: str | None,
) -> Document | Skipped:
    if not content.strip():
        return Skipped(source=where, reason="feed item has no content or summary")
    if summary_only and settings.feed_summaries == "skip":
        return Skipped(
            source=where,
            reason=f"feed item has only a {len(content.strip())}-character summary "
            "(ingest.feed_summaries is 'skip')",
        )
    return Document(
        source=where,
        content=normalize_text(content),
        content_type=kind,
        summary_only=summary_only,
        **{name: normalize_text(value) if value else None for name, value in meta.items()},
    )


def _parse_repaired(data: bytes) -> Any:
    """The feed re-read without end tags that close no open element, or None."""
    kept: list[bytes] = []
    open_tags: list[bytes] = []
    last = 0
    for tag in _TAG.finditer(data):
        name = tag.group(2)
        if name is None:  # CDATA, a comment, a declaration
            continue
        if not tag.group(1):
            if not tag.group(3):
                open_tags.append(name)
        elif name in open_tags:
            while open_tags.pop() != name:
                pass
        else:
            kept.append(data[last : tag.start()])
            last = tag.end()
    try:
        return feedparser.parse(b"".join([*kept, data[last:]]))
    except Exception:
        return None


def _content(entry: Any) -> tuple[str, ContentType, bool]:
    """The item's text, its type, and whether it is only a summary."""
    candidates = [c for c in entry.get("content", []) if c.get("value")]
    summary_only = not candidates
    if summary_only and entry.get("summary"):
        candidates = [entry.get("summary_detail") or {"value": entry["summary"]}]
    if not candidates:
        return "", "text", False
    best = max(candidates, key=_length)
    kind: ContentType = "text" if best.get("type") == "text/plain" else "html"
    return str(best["value"]), kind, summary_only


def _length(candidate: Any) -> int:
    return len(candidate["value"])


def _published(entry: Any) -> str | None:
    # dict.get: feedparser's own get maps a missing "updated" to "published" with a
    # DeprecationWarning, which a library must not print
    def field(key: str) -> Any:
        return dict.get(entry, key)

    for key in ("published", "updated", "created"):
        day = parse_published(_text(field(key)))
        if day is not None:
            return day.iso()  # the day as the outlet wrote it, in its own UTC offset
    parsed = field("published_parsed") or field("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%d", parsed)
    return _text(field("published")) or _text(field("updated"))


def _text(value: Any) -> str | None:
    """A metadata value as a string, or None (feedparser gives dicts for odd markup)."""
    return value.strip() or None if isinstance(value, str) else None


# --- JSON Feed (https://jsonfeed.org/version/1.1) ----------------------------------------


def _json_feed(
    data: bytes, *, source: str, settings: IngestSettings
) -> Iterator[Document | Skipped]:
    try:
        feed = json.loads(decode(data, source=source))
    except (ValueError, RecursionError) as e:  # JSONDecodeError, or a 5,000-digit number
        yield Skipped(source=source, reason=f"not a readable JSON Feed ({brief(e)})")
        return
    except InputError as e:
        yield Skipped(source=source, reason=e.message)
        return
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list) or not items:
        yield Skipped(source=source, reason="feed has no items")
        return
    outlet = _text(feed.get("title"))
    feed_author = _author(feed)
    for n, item in enumerate(items, start=1):
        where = f"{source}#item{n}"
        if not isinstance(item, dict):
            yield Skipped(
                source=where, reason=f"feed item is not an object ({type(item).__name__})"
            )
            continue
        html, text, summary = (
            _text(item.get(k)) for k in ("content_html", "content_text", "summary")
        )
        content = html or text or summary or ""
        kind: ContentType = "html" if html else "text"
        url = _text(item.get("url")) or _text(item.get("external_url"))
        yield _item(
            content,
            kind,
            not (html or text),
            settings=settings,
            where=url or where,
            id=_text(str(item["id"])) if isinstance(item.get("id"), str | int) else None,
            title=_text(item.get("title")),
            published=_text(item.get("date_published")) or _text(item.get("date_modified")),
            url=url,
            outlet=outlet,
            author=_author(item) or feed_author,
        )


def _author(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")  # 1.1: a list; 1.0: one "author" object
    if not isinstance(authors, list):
        authors = [obj.get("author")]
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(name for name in names if name) or None
