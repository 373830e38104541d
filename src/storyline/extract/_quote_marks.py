"""Find the spans of direct quotes in a text by pairing quote marks, in one linear pass.

Method:

1. The text is split into paragraphs (at line breaks); marks pair only inside a paragraph,
   so an unbalanced mark can swallow at most the rest of its paragraph.
2. Double marks (straight ``"``, curly, guillemets, low-9) open and close top-level
   quotes; single marks (straight ``'`` and curly) do so only when no double quote is
   open, and only at word boundaries, so apostrophes (``we've``, ``Teigens'``) never pair;
   inside a single-quoted passage, ``s'`` before a lower-case word is a plural
   possessive (``'We never decide on our babies' names…``) when the passage can still
   close later in the paragraph, or opened its paragraph and runs on into the next.
   A doubled apostrophe ``''`` is a double mark (the typewriter style of some archives).
3. A quote that is still open at the end of its paragraph is kept only when the next
   paragraph opens with a quote mark: the news convention for a quote running over
   several paragraphs. Any other unclosed mark is dropped.

Limits: nested quotes are part of their outer quote; a single-quoted passage that
really ends in ``s'`` before a lower-case word runs on to the next closing single mark of
its paragraph when there is one (``'nuts' and the critics' views``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quote_spans"]

_DOUBLE_OPEN = {"\u201c": '\u201d"', "\u00ab": "\u00bb", "\u201e": '\u201c\u201d"'}
_DOUBLE_CLOSE = "\u201d\u00bb"
_SINGLE_OPEN = "\u2018"
_SINGLE_CLOSE = "\u2019"
_MARKS = re.compile("''(?!')|[\"'\u201c\u201d\u00ab\u00bb\u201e\u2018\u2019]")
_PARAGRAPH = re.compile(r"\n\s*")
_SINGLE_MARK = re.compile("['\u2018\u2019]")
_LOWER_WORD = re.compile(r" [a-z0-9]")
_OPENS_PARAGRAPH = re.compile("\\s*[\"'\u201c\u00ab\u201e\u2018]")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted passage: ``[start, end)`` is the content inside the marks, trimmed.

    ``open_at``/``close_at`` are the offsets of the marks (``close_at`` is ``end`` of the
    paragraph for a quote continued in the next paragraph); ``paragraph`` counts from 0.
    """

    start: int
    end: int
    open_at: int
    close_at: int
    paragraph: int
    continued: bool = False


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every top-level quoted passage in ``text``, in order; empty passages are skipped."""
    paragraphs = _paragraphs(text)
    found: list[QuoteSpan] = []
    for index, (start, end) in enumerate(paragraphs):
        next_opens = index + 1 < len(paragraphs) and bool(
            _OPENS_PARAGRAPH.match(text, paragraphs[index + 1][0])
        )
        found.extend(_in_paragraph(text, start, end, index, next_opens=next_opens))
    return found


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def _in_paragraph(
    text: str, start: int, end: int, index: int, *, next_opens: bool
) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    open_at = -1
    content_from = -1  # after the opening mark, which is two characters for ''
    closers = ""
    for match in _MARKS.finditer(text, start, end):
        at = match.end() - 1  # a doubled apostrophe '' is one double mark, at its last
        mark = '"' if match.group() == "''" else text[at]
        before = text[match.start() - 1] if match.start() > start else " "
        after = text[at + 1] if at + 1 < end else " "
        if open_at < 0:
            if mark in _DOUBLE_OPEN:
                closers = _DOUBLE_OPEN[mark]
            elif mark == '"' and not after.isspace():
                closers = '"'
            elif mark == "\u201d" and before.isspace() and after.isalnum():
                closers = '\u201d"'  # a closing mark typed as the opener
            elif mark in "'\u2018" and _opens_single(before, after):
                closers = mark if mark == "'" else _SINGLE_CLOSE
            else:
                continue
            open_at, content_from = match.start(), match.end()
            continue
        if mark not in closers and not (closers == '"' and mark in _DOUBLE_CLOSE):
            continue
        if closers in ("'", _SINGLE_CLOSE) and (
            not _closes_single(before, after)
            or _plural_possessive(
                text, at, end, runs_on=next_opens and not text[start:open_at].strip()
            )
        ):
            continue
        if closers == '"' and before.isspace() and not after.isspace():
            continue  # a straight mark that looks like an opener: the earlier one was stray
        span = _trimmed(text, (open_at, content_from), (match.start(), at), index)
        if span is not None:
            found.append(span)
        open_at = -1
    if open_at >= 0 and next_opens:
        span = _trimmed(text, (open_at, content_from), (end, end), index, continued=True)
        if span is not None:
            found.append(span)
    return found


def _plural_possessive(text: str, at: int, end: int, *, runs_on: bool) -> bool:
    """Whether the single mark at ``at`` is the apostrophe of ``babies' names``.

    It follows an ``s`` and precedes a lower-case word, and the quote can still close
    later: the next single mark of the paragraph that is not inside a word closes rather
    than opens, or there is none and the quote ``runs_on`` into the next paragraph (it
    opened its paragraph, and the next one opens with a mark). In ``'bed rest for
    weeks' and said she was 'fine.'`` the next mark opens, so this one closes.
    """
    if text[at - 1 : at] != "s" or not _LOWER_WORD.match(text, at + 1, end):
        return False
    for match in _SINGLE_MARK.finditer(text, at + 1, end):
        before = text[match.start() - 1]
        after = text[match.end()] if match.end() < end else " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word: they're
        return _closes_single(before, after)
    return runs_on


def _opens_single(before: str, after: str) -> bool:
    return not before.isalnum() and not after.isspace() and after.isalnum()


def _closes_single(before: str, after: str) -> bool:
    return not before.isspace() and not after.isalnum()


def _trimmed(
    text: str,
    opening: tuple[int, int],
    closing: tuple[int, int],
    index: int,
    *,
    continued: bool = False,
) -> QuoteSpan | None:
    """The quote between the opening mark (where it starts, where its content starts) and
    the closing one (where the content ends, where the mark is), whitespace trimmed."""
    (open_at, start), (end, close_at) = opening, closing
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return QuoteSpan(start, end, open_at, close_at, index, continued)
