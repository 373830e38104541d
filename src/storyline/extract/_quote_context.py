"""Turn quote spans into quote mentions: attribute, inherit, filter and resolve speakers.

Method:

1. Each quote gets the speaker phrase its own sentence names (``_quote_speaker``).
2. A quote without one inherits, in order: from the attributed quote it continues (a quote
   run over paragraphs, or ``"…," she continued, "…"`` in one paragraph); from a colon
   frame ending the previous paragraph (``He said:``); else it stays unattributed. A
   quote in the first person singular does not inherit an organisation's frame: it goes
   to the last person quoted before it.
3. Unattributed quotes shorter than ``min_words`` words, or written in title case
   (song and show titles), are dropped as scare quotes or titles; so are short title-case
   passages after "on", "of" or a possessive (``on CBS's "Face the Nation,"``) and
   title-case paragraphs in quote marks without a frame (subheadings).
4. Speaker phrases resolve to a name (:mod:`storyline.extract._quote_resolve`): the
   person named, or for a pronoun or description the person in focus, with gender and
   number agreement.

Limits: see ``_quote_speaker`` and ``_quote_resolve``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from storyline.extract import _attribution as attr
from storyline.extract._quote_marks import QuoteSpan, find_quote_spans
from storyline.extract._quote_reported import reported_mentions
from storyline.extract._quote_resolve import NamedSpan, Resolver
from storyline.extract._quote_speaker import (
    QUOTE_MARKS,
    Attribution,
    attribute,
    platform_in,
)
from storyline.model import QuoteMention, Span

__all__ = ["NamedSpan", "quote_mentions"]

_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I\u2019m|I've|I\u2019ve|my|me)\b")
_TITLE_NOUN = re.compile(
    r"\b(?:song|single|track|album|record|show|series|episode|film|movie|documentary|"
    r"book|novel|memoir|poem|play|musical|podcast|headline|titled|entitled|called|named|"
    r"dubbed)\b[\s,:]*$",
    re.IGNORECASE,
)
_NAMING = re.compile(
    r"\b(?:call|calls|called|calling|dub|dubbed|nickname|nicknamed|named|known as|"
    r"so-called)\s+(?:it\s+|them\s+|him\s+|her\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_PROGRAMME = re.compile(r"(?:\b(?:on|of)|['\u2019]s)\s+$")
_PLATFORM_REACH = 2000  # characters before a quote searched for the platform it was said on
_TITLE_SMALL = frozenset(
    ["a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "at", "by", "with", "is", "my"]
)


@dataclass(slots=True)
class _Found:
    span: QuoteSpan
    attribution: Attribution | None
    inherited_from: int = -1


def quote_mentions(
    text: str,
    names: Sequence[NamedSpan],
    *,
    article_id: str,
    min_words: int,
    model: attr.Model | None = None,
) -> tuple[QuoteMention, ...]:
    """The statements of one article, each with its resolved speaker.

    Args:
        text: the article's cleaned text.
        names: its named-entity mentions, in text order.
        article_id: written into every evidence span.
        min_words: unattributed quotes shorter than this are dropped.
        model: the attribution models; without them only direct quotes are found.
    """
    spans = find_quote_spans(text)
    direct, resolver = _direct(text, names, spans, article_id=article_id, min_words=min_words)
    if model is None:
        return tuple(direct)
    tokens = attr.tokenize(
        text, [(n.start, n.end, n.label) for n in names], [(s.start, s.end) for s in spans]
    )
    found = attr.apply(model, tokens)
    mentions = reported_mentions(
        text, tokens, found, direct, article_id=article_id, resolve=resolver.resolve_noted
    )
    return tuple(mentions)


def _direct(
    text: str,
    names: Sequence[NamedSpan],
    spans: Sequence[QuoteSpan],
    *,
    article_id: str,
    min_words: int,
) -> tuple[list[QuoteMention], Resolver]:
    """The direct quotes and the resolver that named their speakers."""
    found = [_Found(span, _attribute(text, spans, i)) for i, span in enumerate(spans)]
    _inherit(text, found)
    kept = [i for i, f in enumerate(found) if _is_quote(text, f, min_words=min_words)]
    resolver = Resolver(text, names, spans)
    out: list[QuoteMention] = []
    for position, index in enumerate(kept):
        item = found[index]
        if position > 0 and _continues(found, kept[position - 1], index):
            out[-1] = _extended(out[-1], text, item.span, article_id)
            continue
        source = found[item.inherited_from] if item.inherited_from >= 0 else item
        attribution = source.attribution
        if attribution is None:
            out.append(_mention(text, item.span, article_id, None, (), None))
            continue
        speaker, evidence = resolver.resolve(attribution.start, attribution.end)
        if (
            item.inherited_from >= 0
            and not resolver.is_person(speaker)
            and _FIRST_PERSON.search(text, item.span.start, item.span.end)
        ):  # "I" is a person's word: an organisation's quote does not run on into it
            speaker, evidence = resolver.last_speaker(item.span.open_at) or (None, ())
        resolver.note(speaker, attribution.start, evidence)
        platform = platform_in(text, attribution.sentence_start, attribution.sentence_end)
        if platform is None:
            # bounded: a paragraph of thousands of quotes would be read once per quote
            floor = max(0, source.span.open_at - _PLATFORM_REACH)
            platform = platform_in(
                text, _paragraph_start(text, attribution.start, floor), source.span.open_at
            )
        spans_out = tuple(Span(article_id=article_id, start=s, end=e) for s, e in evidence)
        out.append(_mention(text, item.span, article_id, speaker, spans_out, platform))
    return out, resolver


def _mention(
    text: str,
    span: QuoteSpan,
    article_id: str,
    speaker: str | None,
    evidence: tuple[Span, ...],
    platform: str | None,
) -> QuoteMention:
    return QuoteMention(
        text=text[span.start : span.end],
        speaker=speaker,
        evidence=(Span(article_id=article_id, start=span.start, end=span.end),),
        speaker_evidence=evidence,
        platform=platform,
    )


def _continues(found: Sequence[_Found], previous: int, index: int) -> bool:
    """Whether quote ``index`` is the rest of quote ``previous``, one passage with it.

    True for the next paragraph of a quote run over paragraphs, and for the piece after
    ``"…," she continued, "…"`` in one paragraph: the later piece inherits the earlier
    one's frame, or the one frame between them serves both.
    """
    if previous != index - 1:
        return False
    item, before = found[index], found[previous]
    source = previous if before.inherited_from < 0 else before.inherited_from
    framed = found[source].attribution
    if item.attribution is not None:  # one frame between two pieces serves both
        return (
            framed is not None
            and item.span.paragraph == before.span.paragraph
            and (item.attribution.start, item.attribution.end) == (framed.start, framed.end)
        )
    if item.inherited_from != source:
        return False
    if before.span.continued:
        return item.span.paragraph == before.span.paragraph + 1
    return item.span.paragraph == before.span.paragraph


def _extended(mention: QuoteMention, text: str, span: QuoteSpan, article_id: str) -> QuoteMention:
    """``mention`` with the next piece of its passage appended (text and evidence).

    A piece ends in a comma where the frame broke in (``"…," she said. "They…"``); before
    a capitalised piece that comma stood for a full stop and becomes one.
    """
    piece = text[span.start : span.end]
    head = mention.text
    if head.endswith(",") and piece[:1].isupper():
        head = head[:-1] + "."
    return replace(
        mention,
        text=f"{head} {piece}",
        evidence=(*mention.evidence, Span(article_id=article_id, start=span.start, end=span.end)),
    )


def _attribute(text: str, spans: Sequence[QuoteSpan], index: int) -> Attribution | None:
    span = spans[index]
    floor = _paragraph_start(text, span.open_at)
    if index > 0 and spans[index - 1].paragraph == span.paragraph:
        floor = max(floor, spans[index - 1].close_at + 1)
    ceiling = _paragraph_end(text, span.close_at)
    if index + 1 < len(spans) and spans[index + 1].paragraph == span.paragraph:
        ceiling = min(ceiling, spans[index + 1].open_at)
    after_close = span.close_at if not span.continued else len(text)
    found = attribute(text, span.open_at, after_close, floor=floor, ceiling=ceiling)
    if found is None and span.open_at == floor and floor > 0:
        found = _colon_frame(text, floor)
    return found


def _colon_frame(text: str, paragraph_start: int) -> Attribution | None:
    """``He said:`` closing the previous paragraph introduces this one's quote."""
    end = len(text[:paragraph_start].rstrip())
    if end == 0 or text[end - 1] != ":":
        return None
    previous = _paragraph_start(text, end - 1)
    return attribute(text, end, len(text), floor=previous, ceiling=previous)


def _inherit(text: str, found: list[_Found]) -> None:
    for i, item in enumerate(found):
        if item.attribution is not None or i == 0:
            continue
        before = found[i - 1]
        source = i - 1 if before.inherited_from < 0 else before.inherited_from
        same_paragraph = before.span.paragraph == item.span.paragraph
        if (before.span.continued or same_paragraph) and found[source].attribution is not None:
            item.inherited_from = source
    for i in range(len(found) - 2, -1, -1):  # "…," she said. "…" — the first piece too
        item, after = found[i], found[i + 1]
        if (
            item.attribution is None
            and item.inherited_from < 0
            and after.attribution is not None
            and after.span.paragraph == item.span.paragraph
            and text[item.span.close_at + 1 : after.span.open_at].strip(" ,.;:\u2014-") != ""
        ):
            item.inherited_from = i + 1
    for i in range(1, len(found)):  # a paragraph that is only a quote continues the speaker
        item, before = found[i], found[i - 1]
        source = i - 1 if before.inherited_from < 0 else before.inherited_from
        if (
            item.attribution is None
            and item.inherited_from < 0
            and found[source].attribution is not None
            and item.span.paragraph == before.span.paragraph + 1
            and _whole_paragraph(text, item.span)
        ):
            item.inherited_from = source


def _whole_paragraph(text: str, span: QuoteSpan) -> bool:
    start, end = _paragraph_start(text, span.open_at), _paragraph_end(text, span.open_at)
    rest = text[span.close_at + 1 : end] if span.close_at < end else ""
    return not text[start : span.open_at].strip() and not rest.strip(" .,\"\u201d\u2019'")


def _is_quote(text: str, item: _Found, *, min_words: int) -> bool:
    words = text[item.span.start : item.span.end].split()
    capitalised = [w for w in words if w.lower() not in _TITLE_SMALL]
    title_case = all(w[:1].isupper() or not w[:1].isalpha() for w in capitalised)
    before = text[max(0, item.span.open_at - 40) : item.span.open_at]
    if title_case and len(words) <= 8 and _TITLE_NOUN.search(before.rstrip(QUOTE_MARKS)):
        return False  # his song, "Never Break"
    if title_case and len(words) <= 6 and _PROGRAMME.search(before):
        return False  # on CBS's "Face the Nation," an episode of "The Morning Show"
    if len(words) <= 3 and (_NAMING.search(before) or before.endswith(("the ", "The "))):
        return False  # staff call it the "ghost door"
    if (
        title_case
        and 2 <= len(words) <= 8
        and item.attribution is None
        and _whole_paragraph(text, item.span)
    ):
        return False  # a subheading in quote marks: 'All Bets Are Off.'
    if item.attribution is not None or item.inherited_from >= 0:
        return True
    if len(words) < min_words:
        return False
    return not title_case or len(words) > 12


def _paragraph_start(text: str, at: int, floor: int = 0) -> int:
    found = text.rfind("\n", floor, at)
    return floor if found < 0 else found + 1


def _paragraph_end(text: str, at: int) -> int:
    found = text.find("\n", at)
    return len(text) if found < 0 else found
