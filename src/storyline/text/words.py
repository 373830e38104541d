"""Word tokens and content terms, per language.

A word is a run of letters and digits, with an inner apostrophe kept ("don't", "O'Neil",
"l'armée"). A term is a word lower-cased and, by language, stripped of what does not
change its meaning for retrieval: French and Italian elided articles and pronouns
("l'armée" → "armée", "qu'il" → "il"), English possessives ("Obama's" → "obama"). A
content term is a term of at least ``min_length`` letters, or a four-digit number (a
year), that is not a stop word of the language.

Limits: no stemming or lemmatisation ("earthquake" and "earthquakes" are two terms);
compound words are not split (German "Bundesregierung" is one term).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from storyline.text.stopwords import base_language, stop_words

__all__ = ["WORD", "Term", "term_items", "terms", "words"]

WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")
"""A word: letters and digits with inner apostrophes."""

_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu)'", re.I)
_ELIDING = frozenset({"fr", "it", "ca"})
_POSSESSIVE = re.compile(r"'s$")


@dataclass(frozen=True, slots=True)
class Term:
    """A content term of a text, the word it was read from and that word's offsets."""

    term: str
    word: str
    start: int
    end: int


def words(text: str) -> Iterator[re.Match[str]]:
    """The word tokens of ``text``, as matches (offsets index ``text``)."""
    return WORD.finditer(text)


def terms(text: str, language: str | None, *, min_length: int = 3) -> Iterator[Term]:
    """The content terms of ``text`` in ``language``, in text order."""
    for term, word, start, end in term_items(text, language, min_length=min_length):
        yield Term(term, word, start, end)


def term_items(
    text: str, language: str | None, *, min_length: int = 3
) -> Iterator[tuple[str, str, int, int]]:
    """:func:`terms` as plain ``(term, word, start, end)`` tuples (faster)."""
    code = base_language(language)
    stop = stop_words(code)
    elide = code in _ELIDING
    english = code == "en"
    for match in WORD.finditer(text):
        word = match.group()
        term = word.lower()
        if "'" in term or "’" in term:
            term = term.replace("’", "'")
            if elide:
                term = _ELISION.sub("", term)
            elif english:
                term = _POSSESSIVE.sub("", term)
        if term.isdigit():
            if len(term) != 4:
                continue
        elif len(term) < min_length or term in stop:
            continue
        yield term, word, match.start(), match.end()
