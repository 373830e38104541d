"""Duplicates and syndication: which articles carry the same text.

Method (a numbered cascade, over the cleaned ``text`` only, never the title):

1. **Normalise**: lower-case word tokens (letters and digits), so punctuation, quote
   styles, spacing and paragraph breaks do not matter.
2. **Exact copies**: articles whose normalised token sequence is identical are duplicates.
3. **Near copies**: each article's set of word ``shingle``-grams is summarised by a
   MinHash signature (datasketch, ``num_perm`` permutations, CRC32 shingle hashes);
   a MinHash LSH index (banding tuned for ``candidate_threshold``) proposes candidate
   pairs without comparing all pairs.
4. **Verify** each candidate pair on the estimated Jaccard similarity ``J`` and the
   estimated containment of the shorter text in the longer one
   (``J·(|A|+|B|)/((1+J)·min(|A|,|B|))``): a pair is a duplicate when ``J >= threshold``
   or containment ``>= containment``. Containment catches a wire story reprinted with a
   block of the outlet's own boilerplate added, or trimmed at the end.
5. **Originals**: duplicates are grouped (connected components); in each group the
   original is the earliest published, then the one whose outlet is the declared
   syndication source of another member, then the smallest id (so the result does not
   depend on input order). Every other member gets ``duplicate_of`` = the original's id
   and, when it comes from a different outlet than the original, ``syndicated_from`` =
   the original's declared ``syndicated_from`` or else its outlet (a value cleaning
   already found is kept).

Limits: different outlets' own write-ups of one event share quotes and names but few word
5-grams, so they are not duplicates (tested); a copy edited in more than roughly a third
of its sentences is not found either. Texts shorter than ``shingle`` words are compared
exactly only. Articles with empty text are never duplicates (logged once). Grouping is
transitive, so A~B and B~C make C a copy of A even when A and C differ more. Repeated
paragraphs inside one article are removed by the clean stage (``caption repeats body``),
not here. Memory: one ``num_perm`` signature per article (about 1 kB), linear in the
corpus.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.model import Article

if TYPE_CHECKING:
    from datasketch import MinHash  # type: ignore[import-untyped]

    from storyline.settings import DedupeSettings

__all__ = ["dedupe"]

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")


def dedupe(articles: Sequence[Article], settings: DedupeSettings) -> tuple[Article, ...]:
    """Mark exact and near-duplicate articles.

    Requires cleaned articles with unique ids. Assigns ``duplicate_of`` on every copy
    (``None`` elsewhere: values from the input are recomputed) and ``syndicated_from`` on
    copies reprinted by another outlet. Returns the same articles in the same order.

    Args:
        articles: the corpus.
        settings: thresholds and signature size.
    """
    if len(articles) < 2:
        return tuple(_unmark(a) for a in articles)
    # imported here: datasketch's LSH imports scipy (about 0.3 s), which only this needs
    from datasketch import MinHash, MinHashLSH

    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    template = MinHash(num_perm=settings.num_perm, seed=1, hashfunc=_crc32)
    lsh = MinHashLSH(threshold=settings.candidate_threshold, num_perm=settings.num_perm)
    exact: dict[bytes, int] = {}
    signatures: dict[int, MinHash] = {}
    sizes: dict[int, int] = {}
    empty = 0
    for i, article in enumerate(articles):  # one pass; token lists are not kept
        tokens = _WORD.findall(article.text.lower())
        if not tokens:
            empty += 1
            continue
        # 2. exact copies
        key = hashlib.blake2b(" ".join(tokens).encode(), digest_size=16).digest()
        if key in exact:
            union(exact[key], i)
            continue
        exact[key] = i
        if len(tokens) < settings.shingle:
            continue  # too short for shingles: exact matching only
        # 3. one signature per distinct text
        shingles = _shingles(tokens, settings.shingle)
        signature = MinHash(
            num_perm=settings.num_perm,
            seed=1,
            hashfunc=_crc32,
            permutations=template.permutations,
            scheme=template.scheme,
        )
        signature.update_batch(shingles)
        signatures[i] = signature
        sizes[i] = len(shingles)
        lsh.insert(i, signature, check_duplication=False)
    if empty:
        log.info("dedupe: %d article(s) with no text are never marked as duplicates", empty)
    # 4. verify candidates
    for i, signature in signatures.items():
        for j in lsh.query(signature):
            if j > i and _near(signature, signatures[j], sizes[i], sizes[j], settings):
                union(i, j)

    # 5. originals
    components: dict[int, list[int]] = {}
    for i in range(len(articles)):
        components.setdefault(find(i), []).append(i)
    duplicate_of: dict[int, int] = {}
    for members in components.values():
        if len(members) < 2:
            continue
        sources = {s for i in members if (s := articles[i].syndicated_from) is not None}
        original = min((_original_key(articles[i], sources), i) for i in members)[1]
        for i in members:
            if i != original:
                duplicate_of[i] = original
    if duplicate_of:
        log.info(
            "dedupe: %d duplicate(s) of %d original(s)",
            len(duplicate_of),
            len(set(duplicate_of.values())),
        )
    out = []
    for i, article in enumerate(articles):
        if i in duplicate_of:
            out.append(_mark(article, articles[duplicate_of[i]]))
        else:
            out.append(_unmark(article))
    return tuple(out)


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


def _shingles(tokens: list[str], size: int) -> set[bytes]:
    return {" ".join(tokens[k : k + size]).encode() for k in range(len(tokens) - size + 1)}


def _near(a: MinHash, b: MinHash, size_a: int, size_b: int, settings: DedupeSettings) -> bool:
    jaccard = float(a.jaccard(b))
    if jaccard >= settings.threshold:
        return True
    containment = jaccard * (size_a + size_b) / ((1.0 + jaccard) * min(size_a, size_b))
    return containment >= settings.containment


def _original_key(article: Article, sources: set[str]) -> tuple[bool, str, bool, str]:
    published = article.published.date.isoformat() if article.published else ""
    return (article.published is None, published, article.outlet not in sources, article.id)


def _mark(copy: Article, original: Article) -> Article:
    syndicated = copy.syndicated_from
    if syndicated is None and copy.outlet != original.outlet:
        syndicated = original.syndicated_from or original.outlet
    return replace(copy, duplicate_of=original.id, syndicated_from=syndicated)


def _unmark(article: Article) -> Article:
    return article if article.duplicate_of is None else replace(article, duplicate_of=None)
