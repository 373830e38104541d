"""Article -> weighted salient-term vector, for the cluster stage.

Terms are lower-cased words of three or more characters (and four-digit numbers such as
years) that are not English stop words. Weights are sublinear TF times a running IDF, a
term from the title is multiplied by ``title_weight`` and a name by ``entity_weight``:
a name is a word inside a NER mention when annotations are given, else a capitalised word
that does not start a sentence. The vector keeps the ``max_terms`` heaviest terms and has
unit length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from storyline.model import Annotations, Article

__all__ = [
    "Vector",
    "centroid_cosine",
    "cosine",
    "dot",
    "first_sentence",
    "shorten",
    "terms",
    "weigh",
]

Vector = dict[str, float]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?")
_SENTENCE_END = re.compile(r"[.!?\n:;\"“”]|``|''")
_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)", re.S)

# English function words and news reporting verbs that say nothing about the story.
_STOP_TEXT = """
    a about above after again against all almost also although always am among an and
    another any anyone anything are around as at back be became because become been before
    being below between both but by can cannot could did do does doing done down during
    each either else enough even ever every few for from further get gets getting give
    given go goes going gone got had has have having he her here hers herself him himself
    his how however i if in into is it its itself just least less let like made make many
    may me might more most much must my myself neither never new no nor not now of off
    often on once one only or other others our ours ourselves out over own per perhaps
    put rather really said same say saying says see seen several shall she should since so
    some someone something still such take than that the their theirs them themselves then
    there these they this those though three through thus to too took two under until up
    upon us use used very via was way we well were what whatever when where whether which
    while who whom whose why will with within without would yet you your yours yourself
    according added adding also told tell telling asked reported reports report statement
    news today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
    week weeks year years month months day days time times people first last next lrb rrb
    mr mrs ms dr http https www com html htm org net don't didn't it's that's can't won't
    i'm we're they're he's she's
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def terms(
    article: Article, annotations: Annotations | None
) -> tuple[dict[str, float], set[str], set[str]]:
    """Body term counts, the names among them and the title's terms."""
    text = article.text
    names = _annotated_names(annotations) if annotations is not None else None
    counts: dict[str, float] = {}
    capitalised: dict[str, int] = {}
    previous_end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        term = word.lower()
        before, previous_end = previous_end, match.end()
        if not _keep(term):
            continue
        counts[term] = counts.get(term, 0.0) + 1.0
        if (
            names is None
            and word[0].isupper()
            and before > 0
            and not _SENTENCE_END.search(text, before, match.start())
        ):
            capitalised[term] = capitalised.get(term, 0) + 1
    if names is None:
        names = {t for t, n in capitalised.items() if 2 * n >= counts[t]}
    title = {t for w in _WORD.findall(article.title or "") if _keep(t := w.lower())}
    return counts, names & (counts.keys() | title), title


def weigh(
    counts: Mapping[str, float],
    names: set[str],
    title: set[str],
    idf: Mapping[str, float],
    *,
    max_terms: int,
    title_weight: float,
    entity_weight: float,
) -> Vector:
    """The unit-length vector of the ``max_terms`` heaviest terms."""
    weights: Vector = {}
    for term in counts.keys() | title:
        tf = counts.get(term, 1.0)
        weight = (1.0 + math.log(tf)) * idf[term]
        if term in title:
            weight *= title_weight
        if term in names:
            weight *= entity_weight
        if weight > 0.0:
            weights[term] = weight
    top = sorted(weights.items(), key=_by_weight)[:max_terms]
    norm = math.sqrt(sum(w * w for _, w in top))
    return {t: w / norm for t, w in top} if norm else {}


def cosine(vector: Mapping[str, float], centroid: Mapping[str, float], norm2: float) -> float:
    """Cosine between a unit vector and a centroid given its squared norm."""
    if norm2 <= 0.0:
        return 0.0
    dot = sum(w * centroid.get(t, 0.0) for t, w in vector.items())
    return dot / math.sqrt(norm2)


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (walks the shorter one)."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def centroid_cosine(
    a: Mapping[str, float], a_norm2: float, b: Mapping[str, float], b_norm2: float
) -> float:
    """Cosine between two centroids given their squared norms."""
    if a_norm2 <= 0.0 or b_norm2 <= 0.0:
        return 0.0
    return dot(a, b) / math.sqrt(a_norm2 * b_norm2)


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (or its first line), whitespace collapsed."""
    head = text.strip().split("\n", 1)[0]
    match = _SENTENCE.match(head)
    return " ".join((match.group(1) if match else head).split())


def shorten(text: str, *, limit: int = 90) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters (with …)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _keep(term: str) -> bool:
    if term.isdigit():
        return len(term) == 4
    return len(term) >= 3 and term not in STOP_WORDS


def _annotated_names(annotations: Annotations) -> set[str]:
    return {
        t
        for mention in annotations.mentions
        for w in _WORD.findall(mention.text)
        if _keep(t := w.lower())
    }


def _by_weight(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])


def document_frequency(vocabulary: Iterable[str], df: dict[str, int]) -> None:
    """Count each term of ``vocabulary`` once in ``df``."""
    for term in vocabulary:
        df[term] = df.get(term, 0) + 1
