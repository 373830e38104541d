"""Sentence boundaries with character offsets, and the dateline that opens a news lead.

A rule splitter, not a model: a sentence ends at ``.``, ``!`` or ``?`` (plus any closing
quotes or brackets) followed by whitespace and a capital, digit or opening quote, unless
the word before the stop is a known abbreviation ("Mr.", "Sept.", "U.S."; per language:
"z.B.", "Mme.", "Sra.") or a single initial ("J."); a paragraph break always ends a
sentence. In languages that write ordinals with a dot (German, the Nordic and most
Central European languages: "am Samstag, 31. März", "der 2. Weltkrieg") a number of one
to three digits followed by a dot ends no sentence when a month name or a lower-case
word follows, nor before the few nouns that take ordinals ("Jahrhundert", "Mal"). Offsets
index the text given, so spans built from them point into an article's cleaned text.
About 100x faster than pysbd on news and good enough for choosing summary and timeline
sentences; it does not try to handle ellipses inside quotes or lists without punctuation.

:func:`dateline_end` finds the dateline of a wire lead ("PORT ELLERY (Northwire) — ",
"LONDON, March 3 (Reuters) - ") so that quoted sentences can start after it.

This module is the one place text is cut into sentences (summary, timeline and claims
use it), so a shared, model-based text layer can replace it behind the same functions.
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
_LANGUAGE_ABBREVIATIONS = {
    "de": "z.b bzw ca usw nr str vgl ggf inkl evtl jh mio mrd hr fr abs bspw u.a d.h s.o "
    "o.ä z.t dipl ing",
    "fr": "m mm mme mlle mgr env av bd ste éd p.ex",
    "es": "sr sra srta ud uds av avda dña d pág p.ej",
    "it": "sig sigg dott ing avv ecc pag",
    "nl": "dhr mevr bijv o.a nr blz jl ca",
    "pt": "sr sra dra av pág",
}
_ORDINAL_DOT_LANGUAGES = frozenset(
    "de da nb nn no sv fi is et lv lt cs sk sl hr sr bs hu pl tr".split()
)
_MONTH_NAMES = frozenset(
    """januar jänner februar feber märz april mai juni juli august september oktober
    november dezember january february march may june july october december
    marts maj oktober januari februari mars augusti tammikuuta helmikuuta maaliskuuta
    huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta lokakuuta marraskuuta
    joulukuuta ledna února března dubna května června července srpna září října listopadu
    prosince stycznia lutego marca kwietnia maja czerwca lipca sierpnia września
    października listopada grudnia""".split()
)
_ORDINAL_NOUNS = frozenset(
    """jahrhundert jahrhunderts mal platz runde spieltag minute klasse liga stock
    geburtstag jahrestag weltkrieg weltkrieges weltkriegs etage""".split()
)
_STOP = re.compile(r"[.!?]+[\"”’')\]»«]*(?=\s+[\"“‘'(\[„«»]?[A-ZÀ-ÞΑ-ΩА-Я0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_ORDINAL_BEFORE = re.compile(r"(?<![\d.,])\d{1,3}\.$")
_NEXT_WORD = re.compile(r"\s+[\"“‘'(\[„«»]?(\w+)")
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3})"  # PORT ELLERY, WASHINGTON
    r"(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"  # , Calif. / , New York
    r"(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"  # , March 3
    r"(?:\s*\([^()\n]{1,40}\))?"  # (Northwire)
    r"\s*(?:—|–|--?)\s+(?=[\"“‘'A-Z0-9])"
)


def split_sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` spans of the sentences of ``text``, whitespace trimmed.

    Args:
        text: the text to split.
        language: its ISO 639-1 code when known; it adds that language's abbreviations
            and, for languages with ordinal dots ("31. März"), their rule.
    """
    code = (language or "en").lower()[:2]
    abbreviations = _ABBREVIATIONS | frozenset(_LANGUAGE_ABBREVIATIONS.get(code, "").split())
    ordinals = code in _ORDINAL_DOT_LANGUAGES
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in [*_PARAGRAPH.finditer(text), None]:
        end = paragraph.start() if paragraph else len(text)
        _split_block(text, start, end, spans, abbreviations, ordinals)
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


def _split_block(
    text: str,
    start: int,
    end: int,
    spans: list[tuple[int, int]],
    abbreviations: frozenset[str],
    ordinals: bool,
) -> None:
    sentence_start = start
    for stop in _STOP.finditer(text, start, end):
        if stop.group(0)[0] == ".":
            before = text[sentence_start : stop.start() + 1]
            if _is_abbreviation(before, abbreviations):
                continue
            if ordinals and _is_ordinal(text, before, stop.end()):
                continue
        _add(text, sentence_start, stop.end(), spans)
        sentence_start = stop.end()
    _add(text, sentence_start, end, spans)


def _is_abbreviation(before: str, abbreviations: frozenset[str]) -> bool:
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1).lower().lstrip(".")
    return word in abbreviations or (len(word) == 1 and word.isalpha())


def _is_ordinal(text: str, before: str, after: int) -> bool:
    """ "31." before a month name, a lower-case word or an ordinal noun is not an end."""
    if not _ORDINAL_BEFORE.search(before):
        return False
    following = _NEXT_WORD.match(text, after)
    if following is None:
        return False
    word = following.group(1)
    return word.islower() or word.lower() in _MONTH_NAMES or word.lower() in _ORDINAL_NOUNS


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
