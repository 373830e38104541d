"""Sentence boundaries with character offsets for news English, and wire datelines.

A rule splitter, not a model: a sentence ends at ``.``, ``!`` or ``?`` (plus any closing
quotes or brackets) followed by whitespace and a capital, digit or opening quote, unless
the word before the stop is a known abbreviation ("Mr.", "Sept.", "U.S.", "Calif.") or a
single initial ("J."); a paragraph break always ends a sentence. Offsets index the text
given, so spans built from them point into an article's cleaned text. About 100x faster
than pysbd on news and good enough for choosing summary sentences; it does not try to
handle ellipses inside quotes or lists without punctuation. Stages split through
:mod:`storyline.text`, which uses these rules for English and sentencex for the rest.

:func:`dateline_end` finds the dateline of a wire lead ("PORT ELLERY (Northwire) — ",
"LONDON, March 3 (Reuters) - ") so that quoted sentences can start after it.
"""

from __future__ import annotations

import re

__all__ = ["dateline_end", "split_sentences"]

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gov sen rep gen lt col sgt capt cmdr adm maj mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec inc corp co ltd llc plc bros vs
    etc no nos vol ed eds approx dept univ ave blvd rd est fig al ca cf pp det supt insp
    ariz calif colo conn fla kan mich minn neb nev okla tenn wis wyo
    u.s u.k u.n e.g i.e a.m p.m d.c n.y l.a""".split()
)
# possessive runs, and no match starting inside a run: linear even on "......" x 100,000
_STOP = re.compile(r"(?<![.!?])[.!?]++[\"”’')\]]*+(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3})"  # PORT ELLERY, WASHINGTON
    r"(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"  # , Calif. / , New York
    r"(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"  # , March 3
    r"(?:\s*\([^()\n]{1,40}\))?"  # (Northwire)
    r"\s*(?:—|–|--?)\s+(?=[\"“‘'A-Z0-9])"
)
_LONGEST_ABBREVIATION = 16  # characters of a sentence's end looked at for an abbreviation


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` spans of the sentences of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in [*_PARAGRAPH.finditer(text), None]:
        end = paragraph.start() if paragraph else len(text)
        _split_block(text, start, end, spans)
        start = paragraph.end() if paragraph else len(text)
    return spans


def dateline_end(text: str, start: int, end: int) -> int:
    """Where the text of the sentence ``[start, end)`` begins after a leading dateline.

    "PORT ELLERY (Northwire) — Officials said…" gives the offset of "Officials"; a
    sentence without a dateline gives ``start``. A dateline needs a place in capitals
    and a dash, so "Officials — and the mayor — said" is left alone.
    """
    match = _DATELINE.match(text, start, end)
    if match is None or match.end() >= end or not any(c.isupper() for c in match[0][:3]):
        return start
    head = match[0].split("(")[0].split(",")[0]
    letters = [c for c in head if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return start
    return match.end()


def _split_block(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    sentence_start = start
    for stop in _STOP.finditer(text, start, end):
        before = text[max(sentence_start, stop.start() - _LONGEST_ABBREVIATION) : stop.start() + 1]
        if stop.group(0)[0] == "." and _is_abbreviation(before):
            continue
        _add(text, sentence_start, stop.end(), spans)
        sentence_start = stop.end()
    _add(text, sentence_start, end, spans)


def _is_abbreviation(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1).lower().lstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
