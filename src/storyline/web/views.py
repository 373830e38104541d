"""What pages show, computed from model objects: citations, outlets, safe links.

Pure functions, no web framework: templates receive these plain values and escape them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from storyline.model import Article, Claim, Quote, Span, Story

if TYPE_CHECKING:  # the store imports the page models: no import of it at run time
    from storyline.store.base import SearchHit

__all__ = [
    "Citation",
    "cite",
    "conflicts",
    "highlight",
    "outlets",
    "quote_id",
    "safe_url",
    "source_sentence",
    "statements",
]

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*\n")
_MAX_SENTENCE = 400

Lookup = Callable[[str], Article | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A numbered marker pointing at the sentence of an article that a fact came from."""

    number: int
    article_id: str
    outlet: str
    sentence: str
    start: int
    end: int


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


def cite(evidence: Iterable[Span], lookup: Lookup, *, first: int = 1) -> tuple[Citation, ...]:
    """Numbered citations for ``evidence``; spans into unknown articles are left out."""
    citations: list[Citation] = []
    for span in evidence:
        article = lookup(span.article_id)
        if article is None:
            continue
        citations.append(
            Citation(
                number=first + len(citations),
                article_id=span.article_id,
                outlet=article.outlet or "unknown outlet",
                sentence=source_sentence(article.text, span),
                start=span.start,
                end=span.end,
            )
        )
    return tuple(citations)


def outlets(article_ids: Iterable[str], lookup: Lookup) -> tuple[str, ...]:
    """The distinct outlets of these articles, in order ("unknown outlet" when missing)."""
    names: dict[str, None] = {}
    for article_id in article_ids:
        article = lookup(article_id)
        if article is not None:
            names[article.outlet or "unknown outlet"] = None
    return tuple(names)


def statements(stories: Iterable[Story], names: Iterable[str]) -> list[tuple[Story, Quote]]:
    """What the entity called one of ``names`` said in ``stories``, most widely carried first.

    A quote counts when its ``speaker_entity`` (or, unlinked, its ``speaker``) is one of
    the names, in any case; quotes of one story stay in the order the stories come.
    """
    wanted = {name.casefold() for name in names}
    found = [
        (story, quote)
        for story in stories
        for quote in story.quotes
        if (quote.speaker_entity or quote.speaker or "").casefold() in wanted
    ]
    return sorted(found, key=lambda pair: -len(pair[1].article_ids))


def conflicts(story: Story) -> tuple[Claim, ...]:
    """The story's claims on which outlets disagree."""
    return tuple(c for c in story.claims if c.status == "conflict")


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
