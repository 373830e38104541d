"""An article's sentences and asides, found once for every story stage that reads them.

The title, timeline, claims and summary stages each split every article of a story into
sentences, and the timeline and summary (twice: its own candidates and the dates of
:func:`storyline.timeline.date_sentences`) find its asides too. Both are pure functions
of the text, so they are memoised here on the text itself (a string's hash is computed
once and kept by the string): each article is split once per process while its story's
stages run. On a 200-article Timeline17 story this took about 1.5 ms an article off the
story stages (``benchmarks/story_stages.py``).

Limits: the caches keep the last :data:`CACHED_TEXTS` texts alive after their story is
done (a few megabytes at news lengths); a story of more articles than that gains nothing
from them between stages.
"""

from __future__ import annotations

import functools

from storyline._asides import aside_ranges
from storyline.text import split_sentences

__all__ = ["CACHED_TEXTS", "asides", "sentence_spans"]

CACHED_TEXTS = 2048


@functools.lru_cache(maxsize=CACHED_TEXTS)
def sentence_spans(text: str, language: str | None = None) -> tuple[tuple[int, int], ...]:
    """:func:`storyline.text.split_sentences` of ``text``, memoised."""
    return tuple(split_sentences(text, language))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def asides(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`storyline._asides.aside_ranges` of ``text``, memoised."""
    return tuple(aside_ranges(text))
