"""Learned attribution: cues of reported speech, their sources and their content.

Finds "who said what" whether quoted or not: ``Police said (that) …``, ``X told Y …``,
``according to X, …``, ``…, X said.``, ``X denied/warned/confirmed …``. Three small
logistic models, trained on PolNeAR by ``make train-attribution``
(``benchmarks/train_attribution.py``) and shipped as arrays
(``storyline/extract/attribution.npz``, loaded by :func:`storyline.models.attribution_model`),
run over a regex tokenization of the text; no parser.

Method:

1. **Tokens and sentences.** Words, numbers and punctuation marks with their offsets;
   sentences from :func:`storyline._sentences.split_sentences`; each token knows its
   NER label and whether it is inside a direct quote.
2. **Cues.** Every token outside direct quotes (PolNeAR marks 20 of 6,541 cues inside
   one) whose lower-case form was part of a cue in training is scored
   by the cue model (the word and its neighbours, their shapes and NER labels, what
   follows: "that", a colon, a quote mark). Scores above the model's threshold are cues;
   neighbouring cue tokens with at most two function words between them ("said in a
   statement") form one cue, whose first content word is its head.
3. **Sources.** Each token of the cue's sentence within 15 tokens before it or 6 after
   (where 97 % of PolNeAR's sources are) is scored by the source
   model (direction and distance to the cue, the word, its shape and NER label, commas
   and quote marks in between, the cue's head), trained to point at a word of the
   source before any comma ("Mara Quint" of "Mara Quint, a curator,"); the best one,
   above its threshold, is grown to its NER mention or noun phrase. Below the threshold the
   attribution has no source ("it was reported that …").
4. **Content.** The side model says whether the content follows the cue (``X said
   the …``) or precedes it (``…, X said.``); the content runs from the cue (or the source
   after it) to the end of the sentence, or from the start of the sentence to the source
   or cue before it, without the commas and the full stop at its edges.

Limits: English; a cue word never seen in training is never a cue; content stays inside
one sentence; a source in an earlier sentence is missed (the caller resolves pronouns).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from storyline._sentences import split_sentences

__all__ = [
    "CUE_GAP",
    "FUNCTION_WORDS",
    "PRONOUNS",
    "QUOTES",
    "SOURCE_REACH",
    "Attribution",
    "Linear",
    "Tokens",
    "apply",
    "content_features",
    "cue_features",
    "cue_head",
    "source_candidates",
    "source_features",
    "source_pair_features",
    "source_phrase",
    "source_token_features",
    "tokenize",
]

_TOKEN = re.compile(r"[^\W_]+(?:[-'\u2019.][^\W_]+)*|\S")
QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb")
PRONOUNS = frozenset(
    "i you he she it we they me him her us them who which that this these those one".split()
)
_DETERMINERS = frozenset("the a an his her their its our my your this that these those".split())
_FUNCTION = frozenset(
    "the a an of in on at to for with by from and or but as is was are were be been has "
    "have had not that which who will would can could should may might do does did".split()
)
FUNCTION_WORDS = (
    _FUNCTION
    | _DETERMINERS
    | frozenset(
        "if so than then also just very about into over after before because while when where "
        "how what why there here its it's being".split()
    )
)  # never a cue word or a source's head (pronouns aside)
_T = TypeVar("_T")
CUE_GAP = 2  # tokens between two cue tokens of one cue ("said in a statement")
SOURCE_REACH = (15, 6)  # tokens before and after the cue a source may be


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's tokens: offsets, lower-case forms, sentence and NER label of each."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    raw: tuple[str, ...]
    sentence: tuple[int, ...]
    sentence_spans: tuple[tuple[int, int], ...]  # token index ranges [first, last)
    label: tuple[str, ...]  # NER label, or "" outside a named entity
    quoted: tuple[bool, ...]
    has_quotes: tuple[bool, ...]  # per sentence: whether it holds a quote mark
    # running counts before each token (and one past the end): commas, quote marks, names
    commas: tuple[int, ...]
    marks: tuple[int, ...]
    names: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution, as token index ranges ``[start, end)``; ``source`` may be None."""

    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: tuple[int, int]
    score: float


def tokenize(
    text: str,
    names: Sequence[tuple[int, int, str]],
    quoted: Sequence[tuple[int, int]],
) -> Tokens:
    """Tokens of ``text`` with the NER labels of ``names`` and the quoted character spans."""
    spans = [match.span() for match in _TOKEN.finditer(text)]
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    raw = tuple(text[s:e] for s, e in spans)
    sentence = [0] * len(starts)
    bounds: list[tuple[int, int]] = []
    has_quotes: list[bool] = []
    k = 0
    sentences = split_sentences(text) or [(0, len(text))]
    for index, (_start, end) in enumerate(sentences):
        first = k
        k = bisect.bisect_left(starts, end, lo=k)
        if index == len(sentences) - 1:
            k = len(starts)  # trailing punctuation or space belongs to the last sentence
        sentence[first:k] = [index] * (k - first)
        bounds.append((first, k))
        has_quotes.append(any(QUOTES.intersection(text[_start:end])))
    labels = _spread(starts, ends, names, "")
    return Tokens(
        starts=tuple(starts),
        ends=tuple(ends),
        words=tuple(w.lower() for w in raw),
        raw=raw,
        sentence=tuple(sentence),
        sentence_spans=tuple(bounds),
        label=labels,
        quoted=_spread(starts, ends, [(s, e, True) for s, e in quoted], False),
        has_quotes=tuple(has_quotes),
        commas=_running(r == "," for r in raw),
        marks=_running(r in QUOTES for r in raw),
        names=_running(label in ("PERSON", "ORG") for label in labels),
    )


def _running(flags: Iterable[bool]) -> tuple[int, ...]:
    return (0, *itertools.accumulate(flags))


def _spread(
    starts: Sequence[int], ends: Sequence[int], spans: Sequence[tuple[int, int, _T]], empty: _T
) -> tuple[_T, ...]:
    """Each token's value: that of the span it overlaps (spans in text order), else ``empty``."""
    out = [empty] * len(starts)
    k = 0
    for start, end, value in sorted(spans, key=lambda span: span[:2]):
        while k < len(starts) and ends[k] <= start:
            k += 1
        j = k
        while j < len(starts) and starts[j] < end:
            out[j] = value
            j += 1
    return tuple(out)


def _shape(raw: str) -> str:
    if raw[:1].isupper():
        return "X" if len(raw) > 1 and raw.isupper() else "Xx"
    if raw[:1].isdigit():
        return "d"
    if raw[:1].isalpha():
        return "x"
    return raw


def _word(tokens: Tokens, i: int) -> str:
    return tokens.words[i] if 0 <= i < len(tokens.words) else "<s>"


def cue_features(tokens: Tokens, i: int) -> list[str]:
    """The cue model's features of token ``i``."""
    w = tokens.words
    first, last = tokens.sentence_spans[tokens.sentence[i]]
    prev = _word(tokens, i - 1) if i > first else "<s>"
    prev2 = _word(tokens, i - 2) if i - 1 > first else "<s>"
    nxt = _word(tokens, i + 1) if i + 1 < last else "</s>"
    nxt2 = _word(tokens, i + 2) if i + 2 < last else "</s>"
    label_before = tokens.label[i - 1] if i > first else "<s>"
    features = [
        f"w={w[i]}",
        f"p={prev}",
        f"n={nxt}",
        f"pp={prev2}",
        f"nn={nxt2}",
        f"pw={prev}|{w[i]}",
        f"wn={w[i]}|{nxt}",
        f"suffix={w[i][-3:]}",
        f"shape={_shape(tokens.raw[i])}",
        f"pshape={_shape(tokens.raw[i - 1]) if i > first else '<s>'}",
        f"nshape={_shape(tokens.raw[i + 1]) if i + 1 < last else '</s>'}",
        f"plabel={label_before}",
        f"nlabel={tokens.label[i + 1] if i + 1 < last else '</s>'}",
        f"quoted={tokens.quoted[i]}",
        f"first={i == first}",
        f"end={last - i <= 2}",
        f"w|quoted={w[i]}|{tokens.quoted[i]}",
        f"w|plabel={w[i]}|{label_before}",
        f"wnn={w[i]}|{nxt}|{nxt2}",
        f"that3={'that' in tokens.words[i + 1 : min(i + 4, last)]}",
        f"who3={_speaker_before(tokens, max(first, i - 3), i)}",
    ]
    if tokens.label[i]:
        features.append(f"label={tokens.label[i]}")
    if tokens.has_quotes[tokens.sentence[i]]:
        features.append("sentence_quotes")
    return features


def _speaker_before(tokens: Tokens, start: int, end: int) -> str:
    """What kind of would-be speaker the tokens ``[start, end)`` hold, nearest first."""
    for k in range(end - 1, start - 1, -1):
        if tokens.words[k] in PRONOUNS:
            return "pron"
        if tokens.label[k] in ("PERSON", "ORG", "GPE", "NORP"):
            return tokens.label[k]
    return "-"


def cue_head(tokens: Tokens, cue: tuple[int, int]) -> int:
    """The cue's main word: its first word that is not a function word ("has *said*",
    "*said* in a statement", "*declined* to say")."""
    for k in range(cue[0], cue[1]):
        word = tokens.words[k]
        if (word.isalpha() or word == ":") and word not in FUNCTION_WORDS:
            return k
    return cue[1] - 1


def source_candidates(tokens: Tokens, cue: tuple[int, int]) -> list[int]:
    """Tokens of the cue's sentence that may head its source."""
    first, last = tokens.sentence_spans[tokens.sentence[cue[0]]]
    low, high = max(first, cue[0] - SOURCE_REACH[0]), min(last, cue[1] + SOURCE_REACH[1])
    return [
        j
        for j in range(low, high)
        if not cue[0] <= j < cue[1]
        and tokens.raw[j][:1].isalnum()
        and (tokens.words[j] in PRONOUNS or tokens.words[j] not in FUNCTION_WORDS)
    ]


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12):
        if n <= limit:
            return str(limit)
    return "far"


def source_features(tokens: Tokens, cue: tuple[int, int], j: int) -> list[str]:
    """The source model's features of token ``j`` for ``cue``: those of the pair and those
    of the token on its side (:func:`source_token_features`)."""
    side = "L" if j < cue[0] else "R"
    return [*source_pair_features(tokens, cue, j), *source_token_features(tokens, j, side)]


def source_pair_features(tokens: Tokens, cue: tuple[int, int], j: int) -> list[str]:
    """The features of token ``j`` that depend on ``cue``: distance, what lies between."""
    before = j < cue[0]
    low, high = (j + 1, cue[0]) if before else (cue[1], j)
    gap = high - low
    side = "L" if before else "R"
    commas = tokens.commas[high] - tokens.commas[low]
    marks = tokens.marks[high] - tokens.marks[low]
    names = tokens.names[high] - tokens.names[low]
    cue_word = tokens.words[cue_head(tokens, cue)]
    word = tokens.words[j]
    label = tokens.label[j] or "-"
    shape = "pron" if word in PRONOUNS else _shape(tokens.raw[j])
    return [
        f"dist={side}{_bucket(gap + 1)}",
        f"commas={side}{min(commas, 3)}",
        f"marks={side}{min(marks, 2)}",
        f"names={side}{min(names, 3)}",
        f"cue={cue_word}|{side}",
        f"cue|label={cue_word}|{label}|{side}",
        f"adjacent={side}{gap == 0}|{shape}",
    ]


def source_token_features(tokens: Tokens, j: int, side: str) -> list[str]:
    """The features of token ``j`` as a source on ``side`` ("L" or "R") of any cue."""
    raw = tokens.raw
    word = tokens.words[j]
    nxt = tokens.words[j + 1] if j + 1 < len(raw) else "</s>"
    prev = tokens.words[j - 1] if j > 0 else "<s>"
    label = tokens.label[j] or "-"
    shape = "pron" if word in PRONOUNS else _shape(raw[j])
    first = tokens.sentence_spans[tokens.sentence[j]][0]
    return [
        f"side={side}",
        f"label={label}",
        f"label|side={label}|{side}",
        f"shape={shape}|{side}",
        f"word={word}",
        f"word|side={word}|{side}",
        f"next={nxt}|{side}",
        f"prev={prev}|{side}",
        f"quoted={tokens.quoted[j]}",
        f"first={j == first}",
        f"nextlabel={(tokens.label[j + 1] or '-') if j + 1 < len(raw) else '</s>'}|{label}",
    ]


def content_features(tokens: Tokens, cue: tuple[int, int], source: int | None) -> list[str]:
    """The side model's features for ``cue`` whose source head is ``source``."""
    first, last = tokens.sentence_spans[tokens.sentence[cue[0]]]
    after = cue[1]
    if source is not None and source >= cue[1]:
        after = source + 1
    raw = tokens.raw
    nxt = tokens.words[after] if after < last else "</s>"
    prev = tokens.words[cue[0] - 1] if cue[0] > first else "<s>"
    left = (source if source is not None and source < cue[0] else cue[0]) - first
    right = last - after
    cue_word = tokens.words[cue_head(tokens, cue)]
    source_side = "none" if source is None else ("L" if source < cue[0] else "R")
    return [
        f"cue={cue_word}",
        f"next={nxt}",
        f"prev={prev}",
        f"left={_bucket(left)}",
        f"right={_bucket(right)}",
        f"source={source_side}",
        f"cue|source={cue_word}|{source_side}",
        f"left|source={_bucket(left)}|{source_side}",
        f"right|source={_bucket(right)}|{source_side}",
        f"next|source={nxt}|{source_side}",
        f"cue|left={cue_word}|{_bucket(left)}",
        f"leftcomma={any(raw[k] == ',' for k in range(max(first, cue[0] - 3), cue[0]))}",
        f"leftquote={any(raw[k] in QUOTES for k in range(first, cue[0]))}",
        f"rightquote={any(raw[k] in QUOTES for k in range(after, last))}",
    ]


class Linear:
    """A logistic model over named binary features: a weight per feature, and a bias."""

    def __init__(self, vocab: Sequence[str], weights: np.ndarray, bias: float):
        self.weights: dict[str, float] = dict(zip(vocab, weights.tolist(), strict=True))
        self.bias = bias

    def total(self, features: Sequence[str]) -> float:
        """The sum of the weights of ``features`` (no bias)."""
        found: Iterable[float] = filter(None, map(self.weights.get, features))
        return sum(found, 0.0)

    def score(self, features: Sequence[str], *, more: float = 0.0) -> float:
        """The probability that ``features`` (and weights ``more``) describe a positive
        example."""
        total = self.bias + more + self.total(features)
        return 1.0 / (1.0 + math.exp(-total))


@dataclass(frozen=True, slots=True)
class Model:
    """The three models and their thresholds (see :func:`load`)."""

    cue_words: frozenset[str]
    cue: Linear
    source: Linear
    side: Linear
    cue_threshold: float
    source_threshold: float


def load(arrays: Mapping[str, np.ndarray]) -> Model:
    """Build a :class:`Model` from the arrays of ``attribution.npz``."""
    parts = {}
    for name in ("cue", "source", "side"):
        vocab = [str(f) for f in arrays[f"{name}_vocab"].tolist()]
        parts[name] = Linear(vocab, arrays[f"{name}_weights"], float(arrays[f"{name}_bias"]))
    return Model(
        cue_words=frozenset(str(w) for w in arrays["cue_words"].tolist()),
        cue=parts["cue"],
        source=parts["source"],
        side=parts["side"],
        cue_threshold=float(arrays["cue_threshold"]),
        source_threshold=float(arrays["source_threshold"]),
    )


def apply(model: Model, tokens: Tokens) -> list[Attribution]:
    """Every attribution the models find in ``tokens``, in text order."""
    hits = [
        i
        for i, word in enumerate(tokens.words)
        if word in model.cue_words
        and not tokens.quoted[i]
        and model.cue.score(cue_features(tokens, i)) >= model.cue_threshold
    ]
    out: list[Attribution] = []
    known: dict[tuple[int, str], float] = {}
    for cue, score in _cues(tokens, hits):
        source = _source(model, tokens, cue, known)
        content = _content(model, tokens, cue, source)
        if content is None:
            continue
        span = source_phrase(tokens, source, cue) if source is not None else None
        out.append(Attribution(cue=cue, source=span, content=content, score=score))
    return out


def _cues(tokens: Tokens, hits: Sequence[int]) -> list[tuple[tuple[int, int], float]]:
    cues: list[tuple[tuple[int, int], float]] = []
    for i in hits:
        if cues:
            (start, end), score = cues[-1]
            same = tokens.sentence[start] == tokens.sentence[i]
            if same and i - end <= CUE_GAP and _joins(tokens, end, i):
                cues[-1] = ((start, i + 1), score)
                continue
        cues.append(((i, i + 1), 1.0))
    return cues


def _joins(tokens: Tokens, start: int, end: int) -> bool:
    """Whether the tokens between two cue words keep them one cue: "said *in a* statement",
    not "said on Tuesday:"."""
    return all(tokens.words[k] in FUNCTION_WORDS for k in range(start, end))


def _source(
    model: Model, tokens: Tokens, cue: tuple[int, int], known: dict[tuple[int, str], float]
) -> int | None:
    """The best source head for ``cue``; ``known`` keeps each token's own weights (they do
    not depend on the cue), so a token near several cues is described once."""
    best, best_score = None, model.source_threshold
    for j in source_candidates(tokens, cue):
        side = "L" if j < cue[0] else "R"
        own = known.get((j, side))
        if own is None:
            own = known[(j, side)] = model.source.total(source_token_features(tokens, j, side))
        score = model.source.score(source_pair_features(tokens, cue, j), more=own)
        if score > best_score:
            best, best_score = j, score
    return best


def source_phrase(tokens: Tokens, head: int, cue: tuple[int, int]) -> tuple[int, int]:
    """The source phrase around token ``head``: its NER mention, else its noun phrase."""
    first, last = tokens.sentence_spans[tokens.sentence[head]]
    label = tokens.label[head]
    start, end = head, head + 1
    if label:
        while start > first and tokens.label[start - 1] == label:
            start -= 1
        while end < last and tokens.label[end] == label and end != cue[0]:
            end += 1
        return start, end
    if tokens.words[head] in PRONOUNS:
        return start, end
    floor = max(first, head - 3, cue[1] if cue[1] <= head else first)
    for k in range(head - 1, floor - 1, -1):  # "a spokesman", "the Republican elite"
        if tokens.words[k] in _DETERMINERS:
            return k, end
        if not tokens.raw[k][:1].isalnum() or tokens.words[k] in FUNCTION_WORDS:
            break
    while start > floor and tokens.raw[start - 1][:1].isupper():  # "Police Chief Jane"
        start -= 1
    return start, end


def _content(
    model: Model, tokens: Tokens, cue: tuple[int, int], source: int | None
) -> tuple[int, int] | None:
    first, last = tokens.sentence_spans[tokens.sentence[cue[0]]]
    right = model.side.score(content_features(tokens, cue, source)) >= 0.5
    if right:
        start = cue[1]
        if source is not None and source >= cue[1]:
            start = source_phrase(tokens, source, cue)[1]
        end = last
    else:
        start = first
        end = cue[0]
        if source is not None and source < cue[0]:
            end = source_phrase(tokens, source, cue)[0]
    raw = tokens.raw
    while start < end and raw[start] in (",", ":", ";", "-", "\u2014"):
        start += 1
    while end > start and raw[end - 1] in (",", ".", ":", ";", "-", "\u2014", "?", "!"):
        end -= 1
    if end - start < 2:
        return None
    return start, end
