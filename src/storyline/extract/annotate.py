"""Per-article language annotation: named-entity mentions and direct quotes with speakers.

Requires cleaned articles (``text``). Assigns one internal
:class:`~storyline.model.Annotations` per article: ``mentions`` (named entities with their
exact span) and ``quotes`` (direct quotes with a speaker resolved in context, the spans
naming the speaker, and the social platform when the text names one). The story stages
(:mod:`storyline.extract.entities`, :mod:`storyline.extract.quotes`) merge them.

Method:

1. NER runs only where a name can be: on windows of ``extract.ner_context`` words around
   every capitalised word that can be part of one (:mod:`storyline.extract._ner_scope`),
   each window a text of its own whose entities are shifted back to article offsets, and
   only entities holding such a word are kept. On news this skips about 40 % of the text
   and finds the same capitalised entities, but for about one in a thousand. A window
   the process has read before (the last :data:`_SEEN_WINDOWS`) is not read again: a
   syndicated or lightly edited copy, or a repeated line, costs NER only its new
   windows. Entities were identical with and without this memo (234 PolNeAR dev and
   ECB+ articles, half of them seen before in other batches).
2. spaCy's tokenizer and NER run over the windows in batches, and nothing else (the NER
   component has its own tok2vec; quotes need no parser). NER is the throughput
   bottleneck of the whole system, so it is decoded by spaCy's beam search with a beam
   of one, which is greedy decoding: the parser's own greedy loop takes and drops the
   GIL for every valid-move check (spaCy 3.8 compiled with Cython 3), and the beam loop,
   which holds it, needs about a third less CPU for the same entities (identical on 394
   PolNeAR and ECB+ articles with ``en_core_web_sm``; two of 18,235 differ with ``_md``,
   where near-equal move scores break the other way). A NER component that is not
   spaCy's transition-based one, or has a wider beam, runs through its own ``pipe``.
   Matrix products run on one BLAS thread per process: the runner's workers are the
   parallelism, and two workers each running a two-thread BLAS on two cores spent about
   30 % more CPU per article (500 demo articles, ``benchmarks/speed.py``).
3. Mentions keep the labels PERSON, ORG, GPE, LOC, FAC, NORP, WORK_OF_ART and EVENT
   (NORP only helps speaker resolution; the entity stage leaves it out).
4. Quotes are found by pairing quote marks and attributed by news conventions; see
   ``_quote_marks``, ``_quote_speaker`` and ``_quote_context`` for each step and its limits.

Limits: English only: articles whose detected or declared language is another get empty
annotations (no entities, no quotes) rather than an English model's guesses; NER quality
is the installed spaCy pipeline's (``models.spacy``).
"""

from __future__ import annotations

import collections
import itertools
import re
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from storyline.extract._ner_scope import may_be_name, name_windows
from storyline.extract._quote_context import NamedSpan, quote_mentions
from storyline.model import Annotations, Article, Mention, Span
from storyline.models import attribution_model, spacy_pipeline
from storyline.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from storyline.extract._attribution import Model

__all__ = [
    "ANNOTATION_VERSION",
    "MENTION_LABELS",
    "annotate",
    "annotate_text",
    "entity_docs",
    "in_english",
    "named_spans",
]

ANNOTATION_VERSION = 7
"""Increased whenever :func:`annotate` finds other things in the same text with the same
settings and model, so that stores annotate their articles again (2: NER windows,
quote passages; 3: more speech frames, doubled-apostrophe marks, programme titles;
4: plural possessives in single quotes, time phrases not speakers; 5: review fixes to
frames after a full stop, appositives, subheadings and doubled apostrophes; 6: reported
speech and the kind and cue of each quote; 7: NER windows of 4 words, not 6)."""

# spaCy's tokenizer strips affixes one at a time, each time searching the rest of the
# token: quadratic in a token's length (20,000 quote marks took minutes). No name is that
# long, so such runs reach it as spaces of the same length (offsets stay the same).
_LONG_RUN = re.compile(r"\S{200,}")
_MAX_WINDOW = 5_000  # characters of text NER reads at once
# tokens NER reads in one batch: activations grow with them. 4,000 against 20,000 gave
# the same entities on 240 real articles and cut the tree PSS of a 600-article run with
# 2 workers from 1,290 to 767 MB (small model) and to 1,215 MB (medium)
_BATCH_TOKENS = 4_000

MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT"})

_Found = tuple[tuple[int, int, str], ...]  # entities of one window: start, end, label
_SEEN_WINDOWS = 32_768  # windows remembered per process: about 14 MB when full (430 B each)
_SEEN: weakref.WeakKeyDictionary[Language, collections.OrderedDict[str, _Found]] = (
    weakref.WeakKeyDictionary()
)
"""Per pipeline, the entities of the windows its NER read last in this process."""


def annotate(articles: Sequence[Article], settings: Settings) -> list[Annotations]:
    """Annotate ``articles`` (per-article stage; pure and picklable, runs in workers).

    Args:
        articles: cleaned articles.
        settings: ``models.spacy`` picks the pipeline; ``extract`` the NER context, the
            batch size and quote rules.

    Returns:
        One :class:`~storyline.model.Annotations` per article, in order.

    Raises:
        ModelError: no spaCy pipeline is installed.
    """
    english = [article for article in articles if in_english(article)]
    if not english:
        return [Annotations(article_id=article.id) for article in articles]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    names = named_spans(
        spacy_pipeline(settings.models.spacy),
        [article.text for article in english],
        margin=settings.extract.ner_context,
        batch_size=settings.extract.batch_size,
    )
    model = attribution_model() if settings.extract.reported_speech else None
    out = []
    with threadpool_limits(limits=1, user_api="blas"):  # workers are the parallelism
        for article in articles:
            if not in_english(article):  # the model and the quote rules are English
                out.append(Annotations(article_id=article.id))
                continue
            out.append(
                annotate_text(
                    article.text,
                    next(names),
                    article_id=article.id,
                    min_quote_words=settings.extract.min_quote_words,
                    model=model,
                )
            )
    return out


def in_english(article: Article) -> bool:
    """Whether ``article`` is annotated: English, or of unknown language (short texts)."""
    return article.language in (None, "en")


def named_spans(
    nlp: Language, texts: Sequence[str], *, margin: int, batch_size: int
) -> Iterator[list[NamedSpan]]:
    """The :data:`MENTION_LABELS` entities of each text, in text order.

    Args:
        nlp: a spaCy pipeline with a ``ner`` component.
        texts: the texts.
        margin: words of context NER sees around a word that can be part of a name, and
            only entities holding such a word are kept; 0 runs NER on whole texts and
            keeps every entity.
        batch_size: texts per spaCy batch (their windows, when scoped).
    """
    windows = [
        _bounded(text, name_windows(text, margin=margin) if margin else [(0, len(text))])
        for text in texts
    ]
    pieces = [
        text[start:end] for text, spans in zip(texts, windows, strict=True) for start, end in spans
    ]
    found = _window_entities(nlp, pieces, batch_size=batch_size, texts=len(texts))
    at = 0
    for spans in windows:
        out = []
        for (start, _end), piece in zip(spans, pieces[at : at + len(spans)], strict=True):
            out += [
                NamedSpan(start + ent_start, start + ent_end, label)
                for ent_start, ent_end, label in found[piece]
                if not margin or any(may_be_name(word) for word in piece[ent_start:ent_end].split())
            ]
        at += len(spans)
        yield out


def _window_entities(
    nlp: Language, pieces: Sequence[str], *, batch_size: int, texts: int
) -> dict[str, _Found]:
    """The :data:`MENTION_LABELS` entities of each distinct piece (offsets in the piece).

    A window NER has seen before in this process (a syndicated copy, a repeated line)
    is not read again: NER reads each window as a text of its own, so its entities are
    the same (:data:`_SEEN`).
    """
    cache = _SEEN.setdefault(nlp, collections.OrderedDict())
    found: dict[str, _Found] = {}
    missing: list[str] = []
    for piece in pieces:
        if piece in found:
            continue
        known = cache.get(piece)
        if known is None:
            found[piece] = ()
            missing.append(piece)
        else:
            cache.move_to_end(piece)
            found[piece] = known
    # a spaCy batch holds the windows of about batch_size texts: batches of short windows
    # spend most of their time stepping the decoder (measured: 50 % more CPU at 64)
    per_text = len(missing) / max(texts, 1)
    docs = entity_docs(nlp, missing, batch_size=max(batch_size, round(batch_size * per_text)))
    for piece, doc in zip(missing, docs, strict=True):
        found[piece] = cache[piece] = tuple(
            (ent.start_char, ent.end_char, ent.label_)
            for ent in doc.ents
            if ent.label_ in MENTION_LABELS
        )
    while len(cache) > _SEEN_WINDOWS:
        cache.popitem(last=False)
    return found


def entity_docs(nlp: Language, texts: Iterable[str], *, batch_size: int) -> Iterator[Doc]:
    """``texts`` tokenized and through ``nlp``'s ``ner`` component only, in batches.

    Gives the entities ``nlp.pipe`` gives with every other component disabled (see the
    module docstring for the decoding).
    """
    from spacy.pipeline import EntityRecognizer

    ner = nlp.get_pipe("ner")
    texts = (_LONG_RUN.sub(_blank, text) for text in texts)
    docs: Iterator[Doc] = nlp.tokenizer.pipe(texts, batch_size=batch_size)  # type: ignore[union-attr]
    if not isinstance(ner, EntityRecognizer) or ner.cfg.get("beam_width", 1) != 1:
        yield from ner.pipe(docs, batch_size=batch_size)  # type: ignore[attr-defined]
        return
    while batch := _batch(docs, batch_size):
        if any(len(doc) for doc in batch):  # beam_parse needs a token to start from
            ner.set_annotations(batch, ner.beam_parse(batch, beam_width=1))
        yield from batch


def _batch(docs: Iterator[Doc], size: int) -> list[Doc]:
    """The next ``size`` docs, or fewer holding :data:`_BATCH_TOKENS` tokens.

    A batch's matrices grow with its tokens: the windows of one 5 MB text in one batch
    took 17 GB.
    """
    batch: list[Doc] = []
    tokens = 0
    for doc in itertools.islice(docs, size):
        batch.append(doc)
        tokens += len(doc)
        if tokens >= _BATCH_TOKENS:
            break
    return batch


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` cut at spaces into pieces of at most :data:`_MAX_WINDOW` characters.

    The NER's beam steps cost more the longer the document: a one-line text of 200,000
    characters took 7 times as long as one of 100,000. An entity across a cut is lost;
    paragraphs are rarely that long.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > _MAX_WINDOW:
            cut = text.rfind(" ", start + _MAX_WINDOW // 2, start + _MAX_WINDOW)
            cut = cut if cut > start else start + _MAX_WINDOW
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


def _blank(run: re.Match[str]) -> str:
    return " " * len(run.group(0))


def annotate_text(
    text: str,
    names: Sequence[NamedSpan],
    *,
    article_id: str,
    min_quote_words: int = 4,
    model: Model | None = None,
) -> Annotations:
    """Annotations of one text given its named-entity mentions (no spaCy needed).

    Args:
        text: the article's cleaned text.
        names: named-entity mentions in text order.
        article_id: written into every span.
        min_quote_words: unattributed quotes shorter than this are dropped.
        model: the attribution models (:func:`storyline.models.attribution_model`) for
            reported speech; without them only direct quotes are found.
    """
    mentions = tuple(
        Mention(
            text=text[name.start : name.end],
            label=name.label,
            evidence=(Span(article_id=article_id, start=name.start, end=name.end),),
        )
        for name in names
    )
    quotes = quote_mentions(
        text, names, article_id=article_id, min_words=min_quote_words, model=model
    )
    return Annotations(article_id=article_id, mentions=mentions, quotes=quotes)
