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

Incremental: :class:`Deduper` keeps what the cascade needs in a row state (the same
:class:`~storyline.cluster.ClusterState` protocol the clusterer uses, so a store keeps
both in one table): the exact-text keys, each signature and its shingle count, the LSH
band keys, and the groups of copies with what step 5 needs of each member (own date,
outlet, declared syndication source). Adding k articles costs O(k) band look-ups and the
verification of their candidates; a group that gains a member has its original chosen
again, and members whose marks change are reported so the caller can update them.
Components and originals do not depend on arrival order, so a run in batches marks
exactly what one batch marks. :func:`dedupe` is the same code over an empty state.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from storyline._cluster_state import ClusterState, MemoryClusterState, RowCache
from storyline.model import Article

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from storyline.settings import DedupeSettings

__all__ = ["DedupeChanges", "Deduper", "dedupe"]

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")

# row kinds of the state (prefixed, so they share a table with the clusterer's)
_EXACT, _SIG, _BAND, _GROUP, _MEMBER = "d.exact", "d.sig", "d.band", "d.group", "d.in"

Marks = tuple[str | None, str | None]  # (duplicate_of, syndicated_from)


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupeChanges:
    """What :meth:`Deduper.add` decided.

    ``articles``: the added articles in the same order, marked; ``stored``: article id →
    new ``(duplicate_of, syndicated_from)`` for articles added earlier whose marks changed
    (their group gained an earlier original).
    """

    articles: tuple[Article, ...]
    stored: Mapping[str, Marks] = field(default_factory=dict)


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
    return Deduper(settings).add(articles).articles


class Deduper:
    """Exact and near-duplicate marking over a row state, one batch at a time.

    Args:
        settings: thresholds and signature size (a state must always see the same).
        state: where signatures, bands and groups are kept (in memory when None).
    """

    def __init__(self, settings: DedupeSettings, *, state: ClusterState | None = None) -> None:
        self.settings = settings
        self._rows = RowCache(state if state is not None else MemoryClusterState())
        self._bands = _band_ranges(settings.num_perm, settings.candidate_threshold)

    def add(self, articles: Sequence[Article]) -> DedupeChanges:
        """Mark ``articles`` (ids not added before) against everything added so far.

        Requires articles as the per-article stages left them (their own dates, the
        ``syndicated_from`` cleaning declared).
        """
        settings = self.settings
        touched: set[str] = set()
        empty = 0
        for article in articles:  # one pass; token lists are not kept
            self._rows.put(_MEMBER, article.id, [None, *_facts(article)])
            tokens = _WORD.findall(article.text.lower())
            if not tokens:
                empty += 1
                continue
            # 2. exact copies
            key = hashlib.blake2b(" ".join(tokens).encode(), digest_size=16).hexdigest()
            first = self._rows.one(_EXACT, key)
            if first is not None:
                touched.add(self._union(first, article))
                continue
            self._rows.put(_EXACT, key, article.id)
            if len(tokens) < settings.shingle:
                continue  # too short for shingles: exact matching only
            # 3. one signature per distinct text, 4. verified candidates
            shingles = _shingles(tokens, settings.shingle)
            values = _signature(shingles, settings.num_perm)
            bands = self._band_keys(values)
            found = self._rows.get(_BAND, bands)
            candidates = sorted({i for ids in found.values() for i in ids})
            signatures = self._rows.get(_SIG, candidates)
            for other in candidates:
                sig = signatures[other]
                if _near(values, _decode(sig["h"]), len(shingles), sig["n"], settings):
                    touched.add(self._union(other, article))
            self._rows.put(_SIG, article.id, {"h": _encode(values), "n": len(shingles)})
            for band in bands:
                ids = found.get(band)
                if ids is None:
                    self._rows.put(_BAND, band, [article.id])
                else:
                    ids.append(article.id)
                    self._rows.touch(_BAND, band)
        if empty:
            log.info("dedupe: %d article(s) with no text are never marked as duplicates", empty)
        return self._marked(articles, touched)

    def flush(self) -> None:
        """Write the changed rows to the state."""
        self._rows.flush()

    def declared(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The ``syndicated_from`` each added article had before it was marked, by id.

        A copy's mark may fill ``syndicated_from``; what cleaning declared is kept here,
        so articles can be marked again from scratch (ids never added are left out).
        """
        rows = self._rows.get(_MEMBER, list(article_ids))
        return {article_id: info[3] for article_id, info in rows.items()}

    # --- groups (step 5) ----------------------------------------------------------------

    def _union(self, first: str, article: Article) -> str:
        """Put ``article`` in the group of ``first`` (merging groups); the group's id."""
        infos = self._rows.get(_MEMBER, [first, article.id])
        theirs = infos[first][0] or first
        own = infos[article.id][0] if article.id in infos else None
        group = self._rows.one(_GROUP, theirs) or {"m": [first], "marks": {}}
        if own is not None and own != theirs:  # two groups become one
            other = self._rows.one(_GROUP, own)
            keep, gone = sorted((theirs, own))
            kept, absorbed = (group, other) if keep == theirs else (other, group)
            kept["m"].extend(absorbed["m"])
            kept["marks"].update(absorbed["marks"])
            for member_id in absorbed["m"]:
                self._info(member_id)[0] = keep
            self._rows.delete(_GROUP, gone)
            group, theirs = kept, keep
        elif own is None:
            group["m"].append(article.id)
        self._info(first)[0] = theirs
        self._info(article.id)[0] = theirs
        self._rows.put(_GROUP, theirs, group)
        return theirs

    def _info(self, article_id: str) -> list[Any]:
        info: list[Any] = self._rows.one(_MEMBER, article_id)
        self._rows.touch(_MEMBER, article_id)
        return info

    def _marked(self, articles: Sequence[Article], touched: set[str]) -> DedupeChanges:
        marks: dict[str, Marks] = {}
        stored: dict[str, Marks] = {}
        new_ids = {a.id for a in articles}
        copies = 0
        for group_id in sorted(touched):
            group = self._rows.one(_GROUP, group_id)
            if group is None:  # merged into another touched group
                continue
            infos = self._rows.get(_MEMBER, group["m"])
            sources = {i[3] for i in infos.values() if i[3] is not None}
            original = min(infos, key=lambda m: _original_key(m, infos[m], sources))
            top = infos[original]
            for member_id, (_, _, outlet, declared) in infos.items():
                if member_id == original:
                    mark: Marks = (None, declared)
                else:
                    synd = declared
                    if synd is None and outlet != top[2]:
                        synd = top[3] or top[2]
                    mark = (original, synd)
                    copies += member_id in new_ids
                if member_id in new_ids:
                    marks[member_id] = mark
                elif group["marks"].get(member_id, [None, declared]) != list(mark):
                    stored[member_id] = mark
                group["marks"][member_id] = list(mark)
            self._rows.touch(_GROUP, group_id)
        if copies:
            log.info("dedupe: %d new duplicate(s)", copies)
        out = []
        for article in articles:
            if article.id in marks:
                dup, synd = marks[article.id]
                out.append(replace(article, duplicate_of=dup, syndicated_from=synd))
            else:
                out.append(_unmark(article))
        return DedupeChanges(articles=tuple(out), stored=stored)

    def _band_keys(self, values: NDArray[np.uint32]) -> list[str]:
        data = values.tobytes()
        return [
            hashlib.blake2b(b"%d:" % band + data[4 * lo : 4 * hi], digest_size=12).hexdigest()
            for band, (lo, hi) in enumerate(self._bands)
        ]


@functools.cache
def _band_ranges(num_perm: int, threshold: float) -> tuple[tuple[int, int], ...]:
    """The LSH bands (first and last permutation of each) datasketch picks for these."""
    from datasketch import MinHashLSH  # type: ignore[import-untyped]

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return tuple((k * lsh.r, (k + 1) * lsh.r) for k in range(lsh.b))


@functools.cache
def _template(num_perm: int) -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1, hashfunc=_crc32)


def _signature(shingles: set[bytes], num_perm: int) -> NDArray[np.uint32]:
    """The MinHash signature of a shingle set (datasketch; values fit 32 bits)."""
    import numpy as np
    from datasketch import MinHash

    template = _template(num_perm)
    signature = MinHash(
        num_perm=num_perm,
        seed=1,
        hashfunc=_crc32,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    signature.update_batch(shingles)
    values: NDArray[np.uint32] = signature.hashvalues.astype(np.uint32)
    return values


def _encode(values: NDArray[np.uint32]) -> str:
    return base64.b64encode(values.tobytes()).decode("ascii")


def _decode(text: str) -> NDArray[np.uint32]:
    import numpy as np

    return np.frombuffer(base64.b64decode(text), dtype=np.uint32)


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


def _shingles(tokens: list[str], size: int) -> set[bytes]:
    return {" ".join(tokens[k : k + size]).encode() for k in range(len(tokens) - size + 1)}


def _near(
    a: NDArray[np.uint32], b: NDArray[np.uint32], size_a: int, size_b: int, settings: DedupeSettings
) -> bool:
    jaccard = float((a == b).mean())
    if jaccard >= settings.threshold:
        return True
    containment = jaccard * (size_a + size_b) / ((1.0 + jaccard) * min(size_a, size_b))
    return containment >= settings.containment


def _facts(article: Article) -> tuple[str, str | None, str | None]:
    """What step 5 needs of an article: its own date, outlet, declared source."""
    published = article.published.date.isoformat() if article.published else ""
    return published, article.outlet, article.syndicated_from


def _original_key(
    article_id: str, info: list[Any], sources: set[str]
) -> tuple[bool, str, bool, str]:
    published, outlet = info[1], info[2]
    return (published == "", published, outlet not in sources, article_id)


def _unmark(article: Article) -> Article:
    return article if article.duplicate_of is None else replace(article, duplicate_of=None)
