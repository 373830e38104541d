"""Small helpers for pages: cited sentences, safe links, ids in URLs, search snippets.

Pure functions, no web framework: templates receive these plain values and escape them.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from storyline.model import Span
from storyline.store.base import SearchHit

__all__ = ["highlight", "quote_id", "safe_url", "source_sentence"]

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n")
_MAX_SENTENCE = 400

def source_sentence(text: str, span: Span) -> str:
    """The sentence(s) of ``text`` around ``span``, trimmed to a readable length."""
    start = min(span.start, len(text))
    end = min(max(span.end, start), len(text))
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > _MAX_SENTENCE:
        sentence = text[start:end].strip() or sentence[:_MAX_SENTENCE]
    return sentence


def quote_id(value: str) -> str:
    """An id or name made safe as one URL path segment (ids may be URLs themselves)."""
    return quote(value, safe="")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (no ``javascript:`` or ``data:``)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def highlight(hit: SearchHit) -> tuple[tuple[str, bool], ...]:
    """A snippet cut into ``(text, matched)`` pieces, for templates to escape and mark."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in hit.highlights:
        if start > at:
            pieces.append((hit.snippet[at:start], False))
        pieces.append((hit.snippet[start:end], True))
        at = end
    if at < len(hit.snippet):
        pieces.append((hit.snippet[at:], False))
    return tuple(pieces)
