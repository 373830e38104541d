"""Article -> weighted salient-term vector, and sparse-vector arithmetic, for clustering.

Terms are the content terms of the language text layer (:func:`storyline.text.terms`:
stop words of the article's language out, elisions and possessives folded, four-digit
numbers kept). Weights are sublinear TF times a running IDF; a term from the title is
multiplied by ``title_weight`` and a name by ``entity_weight``. A name is a term inside
a NER mention (people, organisations, places, facilities, events, works) when
annotations are given; without them, a capitalised word that does not start a sentence,
in languages that do not capitalise every noun (not German). The vector keeps the
``max_terms`` heaviest terms and has unit length.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from storyline.model import Annotations, Article
from storyline.text import first_sentence, term_items, terms, text_language

__all__ = [
    "NAME_LABELS",
    "Features",
    "Vector",
    "dot",
    "features",
    "first_sentence",
    "heaviest",
    "shorten",
    "top_terms",
    "weigh",
]

Vector = dict[str, float]

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART"})
"""NER labels whose mentions are names for clustering (NORP, "American", is too common)."""

_NOUNS_CAPITALISED = frozenset({"de", "lb"})
_SENTENCE_END = re.compile(r"[.!?\n:;\"“”«»]|``|''")
_TITLES = re.compile(
    r"^(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Prof|President|Herr|Frau|M|Mme|Sr|Sra)\.?\s+"
)


@dataclass(frozen=True, slots=True)
class Features:
    """What clustering reads of an article: its language, body term counts, title terms
    and names."""

    language: str
    counts: dict[str, float]
    title: frozenset[str]
    names: frozenset[str]


def features(article: Article, annotations: Annotations | None) -> Features:
    """The article's language, body term counts, title terms and the names among them.

    The language is the declared one unless the text's function words clearly say
    otherwise (:func:`storyline.text.text_language`).
    """
    text = article.text
    language = text_language(text, article.language)
    counts: dict[str, float] = {}
    capitalised: dict[str, int] = {}
    guess = annotations is None and language not in _NOUNS_CAPITALISED
    previous_end = 0
    for term, word, start, end in term_items(text, language):
        counts[term] = counts.get(term, 0.0) + 1.0
        if (
            guess
            and word[0].isupper()
            and previous_end > 0
            and not _SENTENCE_END.search(text, previous_end, start)
        ):
            capitalised[term] = capitalised.get(term, 0) + 1
        previous_end = end
    if annotations is not None:
        names = {
            t.term
            for mention in annotations.mentions
            if mention.label in NAME_LABELS
            for t in terms(_TITLES.sub("", mention.text), language)
        }
    else:
        names = {t for t, n in capitalised.items() if 2 * n >= counts[t]}
    title = frozenset(t[0] for t in term_items(article.title or "", language))
    return Features(
        language=language,
        counts=counts,
        title=title,
        names=frozenset(names & (counts.keys() | title)),
    )


def weigh(
    found: Features,
    idf: Mapping[str, float],
    *,
    max_terms: int,
    title_weight: float,
    entity_weight: float,
) -> Vector:
    """The unit-length vector of the ``max_terms`` heaviest terms, heaviest first."""
    weights: Vector = {}
    for term in found.counts.keys() | found.title:
        tf = found.counts.get(term, 1.0)
        weight = (1.0 + math.log(tf)) * idf[term]
        if term in found.title:
            weight *= title_weight
        if term in found.names:
            weight *= entity_weight
        if weight > 0.0:
            weights[term] = weight
    top = heaviest(weights, max_terms)
    norm = math.sqrt(sum(w * w for _, w in top))
    return {t: w / norm for t, w in top} if norm else {}


def top_terms(vector: Mapping[str, float], n: int) -> list[str]:
    """The ``n`` heaviest terms of ``vector`` (ties by term)."""
    return [t for t, _ in heaviest(vector, n)]


def heaviest(vector: Mapping[str, float], n: int) -> list[tuple[str, float]]:
    """The ``n`` heaviest ``(term, weight)`` items of ``vector``, heaviest first (ties by
    term)."""
    if n <= 0 or n >= len(vector):
        return sorted(vector.items(), key=_heaviest_first)[:n]
    # a story's centroid has thousands of terms, of which a few hundred are wanted: the
    # n-th largest weight first (a heap of plain floats), then only what reaches it
    cut = heapq.nlargest(n, vector.values())[-1]
    return sorted([kv for kv in vector.items() if kv[1] >= cut], key=_heaviest_first)[:n]


def _heaviest_first(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (walks the shorter one, in its order)."""
    if len(b) < len(a):
        a, b = b, a
    return sum([w * b[t] for t, w in a.items() if t in b])


def add_into(total: dict[str, float], vector: Mapping[str, float]) -> float:
    """Add ``vector`` to ``total`` in place; returns how much the squared norm grew."""
    grown = 0.0
    for term, weight in vector.items():
        old = total.get(term, 0.0)
        total[term] = old + weight
        grown += 2.0 * old * weight + weight * weight
    return grown


def shorten(text: str, *, limit: int = 90) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters (with …)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def document_frequency(vocabulary: Iterable[str], df: dict[str, int]) -> None:
    """Count each term of ``vocabulary`` once in ``df``."""
    for term in vocabulary:
        df[term] = df.get(term, 0) + 1
