"""Conditional requests: ``ETag``, ``Last-Modified``, ``304 Not Modified``, ``Cache-Control``.

Story pages and their JSON twins change only when an ingest rewrites the story, so a
client (or a proxy) that has one keeps it for :data:`MAX_AGE` seconds, then asks again
with ``If-None-Match`` (or ``If-Modified-Since``) and gets an empty ``304`` while the
story is unchanged. An ``ETag`` is a hash of what the response is made from: the stored
JSON for the API, the stored page payload plus :func:`template_key` (the templates' own
hash and the site title) for an HTML page, so a new storyline with other templates never
answers 304 for a page it would now render differently.
"""

from __future__ import annotations

import collections
import datetime as dt
import email.utils
import functools
import hashlib
from importlib import resources

from fastapi import Request
from fastapi.responses import Response

__all__ = [
    "MAX_AGE",
    "SLOW_RENDER",
    "Rendered",
    "cache_headers",
    "etag",
    "not_modified",
    "template_key",
]

MAX_AGE = 60
"""Seconds a client may reuse a story page or story JSON before asking again."""

_CACHE_CONTROL = f"public, max-age={MAX_AGE}"

SLOW_RENDER = 0.01
"""Seconds of rendering past which a story page's HTML is kept by :class:`Rendered`."""


class Rendered:
    """The HTML of story pages that were slow to render, by ETag, least recently used
    first out past ``limit`` characters (per server process).

    Keyed by the page's ETag, a hash of the stored payload and the templates, so a kept
    page is never stale: a changed story has another tag. Only the few pages of very
    large stories take long to render (the benchmark store's largest, 1,006 articles:
    about 50 ms for 0.8 MB of HTML); a request for one of them held its server process's
    other requests up as long.
    """

    def __init__(self, limit: int = 64_000_000) -> None:
        self.limit = limit
        self.size = 0
        self._pages: collections.OrderedDict[str, str] = collections.OrderedDict()

    def get(self, tag: str) -> str | None:
        html = self._pages.get(tag)
        if html is not None:
            self._pages.move_to_end(tag)
        return html

    def put(self, tag: str, html: str) -> None:
        if len(html) > self.limit or tag in self._pages:
            return
        self._pages[tag] = html
        self.size += len(html)
        while self.size > self.limit:
            _, dropped = self._pages.popitem(last=False)
            self.size -= len(dropped)


@functools.cache
def template_key() -> bytes:
    """A hash of every template file: part of each HTML page's ETag."""
    digest = hashlib.blake2b(digest_size=16)
    folder = resources.files("storyline.web").joinpath("templates")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".html"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.digest()


def etag(*parts: bytes) -> str:
    """A strong entity tag for a response made from ``parts``."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return f'"{digest.hexdigest()}"'


def cache_headers(tag: str, modified: dt.datetime | None) -> dict[str, str]:
    """``ETag``, ``Cache-Control`` and (when known) ``Last-Modified``."""
    headers = {"etag": tag, "cache-control": _CACHE_CONTROL}
    if modified is not None:
        headers["last-modified"] = email.utils.format_datetime(modified, usegmt=True)
    return headers


def not_modified(request: Request, tag: str, modified: dt.datetime | None) -> Response | None:
    """An empty ``304`` when the client's copy is current, else None.

    ``If-None-Match`` decides when present (any listed tag, weak or strong, or ``*``);
    otherwise ``If-Modified-Since``, to the second. A date that cannot be read is ignored.
    """
    headers = cache_headers(tag, modified)
    wanted = request.headers.get("if-none-match")
    if wanted is not None:
        tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
        return Response(status_code=304, headers=headers) if tag in tags or "*" in tags else None
    since = request.headers.get("if-modified-since")
    if since is None or modified is None:
        return None
    try:
        when = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    if modified.replace(microsecond=0) <= when:
        return Response(status_code=304, headers=headers)
    return None
