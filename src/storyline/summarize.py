"""Summarize: a short multi-document summary whose every sentence cites its sources.

``summarize(story, articles, settings) -> Summary`` is a story stage. It requires the
story's cleaned articles (and uses ``published`` and ``duplicate_of`` when present) and
assigns ``Story.summary``. Method (extractive: every sentence is an article's own):

1. Candidates: the sentences of the story's articles, copies (``duplicate_of``) left out;
   6-60 words, not questions, not starting lower-case or with a pronoun that would be
   unresolved out of its article ("She added…"), not bare quotes without a speaker, not
   cut inside a quotation (unbalanced quote marks).
2. Weights: TF-IDF over the story's sentences (stop words out, light stemming).
3. Score: cosine similarity to the story's centroid, times a lead bonus (news puts the
   gist first), times support: how many other articles carry a similar sentence.
4. Selection: first the best sentence of each event with two or more articles (biggest
   events first), so the summary covers what happened; then the best of the rest; a
   sentence too similar to one already chosen (``summary.redundancy``) is skipped; all
   within ``summary.max_words`` and ``summary.max_sentences``.
5. Order: by publication date of the article, then position within it.
6. Citations: each sentence cites its own span and the spans of the sentences in other
   articles that say nearly the same, so ``article_ids`` lists every carrier.

Limits: no sentence compression or fusion; English stop words and stemming; a summary is
at most as good as the articles' own sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.model import Article, Event, Span, Story, Summary, SummarySentence
from storyline.settings import SummarySettings
from storyline.text import split_sentences

__all__ = ["summarize"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_UNRESOLVED_START = re.compile(
    r"^(?:he|she|they|it|his|her|hers|their|theirs|its|this|these|those|that|we|our|us|"
    r"i|him|them|there|then|also|but|and|or|so|yet|still|however|meanwhile|instead)\b",
    re.IGNORECASE,
)
_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself said says
    say also one two new last first like year years told according mr mrs ms""".split()
)
_OPENING = re.compile(r"(?:^|(?<=[\s(:,—–-]))[\"“‘'](?=\w)")
_CLOSING = re.compile(r"(?<=[\w.,!?])[\"”’'](?=[\s.,;:!?)—–-]|$)")
_FINAL = (".", "!", '"', "”", "’", "'", ")")
_SUPPORT_SIMILARITY = 0.5  # sentences at least this similar say "the same thing"
_CITE_SIMILARITY = 0.6  # and at least this similar are cited as carrying it
_LEAD_WEIGHT = 3.0
_SUPPORT_WEIGHT = 0.5
_CANDIDATE_POOL = 60


@dataclass(slots=True)
class _Sentence:
    article: Article
    position: int
    start: int
    end: int
    words: int
    vector: dict[str, float] = field(default_factory=dict)
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


def summarize(story: Story, articles: Mapping[str, Article], settings: SummarySettings) -> Summary:
    """A cited extractive summary of ``story`` (see the module docstring for the method)."""
    members = [articles[i] for i in story.article_ids if i in articles]
    originals = [a for a in members if a.duplicate_of is None] or members
    sentences = [s for a in originals for s in _sentences(a)]
    if not sentences:
        return Summary(empty_reason="the story's articles have no text")
    _weigh(sentences)
    candidates = [s for s in sentences if _is_candidate(s)]
    if not candidates:
        return Summary(
            empty_reason="no article of the story has a complete sentence that stands on its "
            "own (only captions, lists, questions or sentences that need their context)"
        )
    centroid = _centroid(sentences)
    for s in candidates:
        s.score = _cosine(s.vector, centroid) * (1 + _LEAD_WEIGHT / (1 + s.position))
    pool = sorted(candidates, key=_by_score)[:_CANDIDATE_POOL]
    index = _index(sentences)
    for s in pool:
        s.score *= 1 + _SUPPORT_WEIGHT * len(_carriers(s, sentences, index, _SUPPORT_SIMILARITY))
    chosen = _select(_event_leads(story, candidates) + sorted(pool, key=_by_score), settings)
    chosen.sort(key=_chronological)
    return Summary(sentences=tuple(_cite(s, sentences, index) for s in chosen))


def _sentences(article: Article) -> list[_Sentence]:
    return [
        _Sentence(
            article=article,
            position=n,
            start=start,
            end=end,
            words=len(article.text[start:end].split()),
        )
        for n, (start, end) in enumerate(split_sentences(article.text))
    ]


def _is_candidate(s: _Sentence) -> bool:
    text = s.text
    if not 6 <= s.words <= 60 or not text.endswith(_FINAL) or not s.vector:
        return False  # too short or long, a question, or a heading without a full stop
    first = text.lstrip("\"“‘'(")
    if not first[:1].isupper() and not first[:1].isdigit():
        return False
    if len(_OPENING.findall(text)) != len(_CLOSING.findall(text)):
        return False  # cut inside a quotation: its other half is in another sentence
    if text[0] in "\"“‘'" and not re.search(r"[\"”’']\s*,?\s*\w+ (?:\w+ )?\w+", text[1:]):
        return False  # a quote standing alone: its speaker is in another sentence
    return not _UNRESOLVED_START.match(first)


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]


def _stem(word: str) -> str:
    word = word.replace("’", "'").removesuffix("'s")
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + replacement
    return word


def _weigh(sentences: Sequence[_Sentence]) -> None:
    """Give every sentence a unit-length TF-IDF vector (IDF over the story's sentences)."""
    counts = [Counter(_terms(s.text)) for s in sentences]
    df = Counter(term for c in counts for term in c)
    n = len(sentences)
    for s, c in zip(sentences, counts, strict=True):
        vector = {t: (1 + math.log(k)) * math.log(1 + n / df[t]) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        s.vector = {t: v / norm for t, v in vector.items()}


def _centroid(sentences: Sequence[_Sentence]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for s in sentences:
        total.update(s.vector)
    norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
    return {t: v / norm for t, v in total.items()}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _index(sentences: Sequence[_Sentence]) -> dict[str, list[tuple[int, float]]]:
    """Term -> (sentence number, weight): similarities then visit only sentences that meet."""
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for n, s in enumerate(sentences):
        for term, weight in s.vector.items():
            index[term].append((n, weight))
    return index


def _carriers(
    s: _Sentence,
    sentences: Sequence[_Sentence],
    index: Mapping[str, list[tuple[int, float]]],
    threshold: float,
) -> list[_Sentence]:
    """The most similar sentence of each other article, when similar enough."""
    dot: dict[int, float] = defaultdict(float)
    for term, weight in s.vector.items():
        for n, other_weight in index.get(term, ()):
            dot[n] += weight * other_weight
    best: dict[str, tuple[float, _Sentence]] = {}
    for n, similarity in dot.items():
        other = sentences[n]
        if other.article.id == s.article.id or similarity < threshold:
            continue
        if similarity > best.get(other.article.id, (0.0, s))[0]:
            best[other.article.id] = (similarity, other)
    return [other for _, other in best.values()]


def _event_leads(story: Story, candidates: Sequence[_Sentence]) -> list[_Sentence]:
    """The best sentence of each event with two or more articles, biggest events first."""
    leads = []
    for event in sorted(story.events, key=_event_size):
        members = set(event.article_ids)
        best = [s for s in candidates if s.article.id in members]
        if len(members) >= 2 and best:
            leads.append(min(best, key=_by_score))
    return leads


def _event_size(event: Event) -> int:
    return -len(event.article_ids)


def _select(ranked: Sequence[_Sentence], settings: SummarySettings) -> list[_Sentence]:
    chosen: list[_Sentence] = []
    words = 0
    for s in ranked:
        if s in chosen:
            continue
        if len(chosen) >= settings.max_sentences:
            break
        if chosen and words + s.words > settings.max_words:
            continue
        if any(_cosine(s.vector, c.vector) > settings.redundancy for c in chosen):
            continue
        chosen.append(s)
        words += s.words
    return chosen


def _cite(
    s: _Sentence, sentences: Sequence[_Sentence], index: Mapping[str, list[tuple[int, float]]]
) -> SummarySentence:
    carriers = sorted(_carriers(s, sentences, index, _CITE_SIMILARITY), key=_chronological)
    spans = [Span(article_id=c.article.id, start=c.start, end=c.end) for c in (s, *carriers)]
    return SummarySentence(
        text=s.text,
        article_ids=tuple(dict.fromkeys(span.article_id for span in spans)),
        evidence=tuple(spans),
    )


def _by_score(s: _Sentence) -> float:
    return -s.score


def _chronological(s: _Sentence) -> tuple[bool, str, str, int]:
    published = s.article.published
    return (published is None, published.iso() if published else "", s.article.id, s.position)
