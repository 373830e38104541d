"""Reported speech beside the direct quotes: indirect and mixed statements of one article.

Method:

1. The learned attribution models (:mod:`storyline.extract._attribution`) find every cue
   of reported speech with its source phrase and content span.
2. An attribution whose content overlaps a direct quote is that quote's: the quote gets
   its cue, and becomes ``mixed`` when the content holds at least ``_MIXED_WORDS``
   words outside quote marks and the quote is not introduced by a colon or a comma
   (``X said the plan was "a failure"``, not ``X said on Tuesday: "…"``), its content
   then the attribution's whole content. A direct quote keeps the speaker its rules found; one
   without a speaker takes the attribution's source.
3. Any other attribution is an ``indirect`` statement. Its source phrase resolves to a
   name as a quote's does (pronouns and descriptions to the person in focus); a source
   that is not a person or an organisation (a poll, a report, a day) leaves the
   statement without a speaker.

4. A direct quote without a speaker that follows a statement with one, with nothing but
   punctuation between, is that speaker's: a reported statement in the same paragraph
   ("Doe said the plan had failed. 'It was doomed.'"), or a quote in the paragraph
   before (the rules' own convention, applied again once the models named speakers).

Limits: content is one sentence; a statement reported over two sentences is two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from storyline.extract import _attribution as attr
from storyline.model import QuoteMention, Span

__all__ = ["NON_SPEAKERS", "reported_mentions"]

_MIXED_WORDS = 3
_WORD = re.compile(r"[^\W_]+")
NON_SPEAKERS = frozenset(
    """poll polls survey surveys study studies report reports data figures numbers analysis
    statement statements post posts tweet tweets caption message video article letter essay
    note page account website paper interview memo email release book document documents
    records record filing complaint lawsuit ruling order bill law plan proposal policy
    campaign website ad ads sign signs headline headlines story stories research review
    monday tuesday wednesday thursday friday saturday sunday today yesterday week month
    year night morning evening time""".split()
)

Resolve = Callable[[int, int], tuple[str | None, tuple[tuple[int, int], ...]]]


def reported_mentions(
    text: str,
    tokens: attr.Tokens,
    found: Sequence[attr.Attribution],
    direct: Sequence[QuoteMention],
    *,
    article_id: str,
    resolve: Resolve,
) -> list[QuoteMention]:
    """``direct`` with the cues of ``found`` added, and the other attributions as mentions.

    Args:
        text: the article text.
        tokens: its tokens (``found`` indexes them).
        found: the attributions the models found.
        direct: the article's direct quote mentions.
        article_id: written into every span.
        resolve: speaker phrase ``(start, end)`` → resolved speaker and evidence spans.

    Returns:
        Every mention in text order.
    """
    quotes = list(direct)
    pieces = [(k, s.start, s.end) for k, m in enumerate(direct) for s in m.evidence]
    out: list[QuoteMention] = []
    for attribution in found:
        start, end = _chars(tokens, attribution.content)
        cue_start, cue_end = _chars(tokens, attribution.cue)
        cue = text[cue_start:cue_end]
        cue_span = (Span(article_id=article_id, start=cue_start, end=cue_end),)
        overlaps: dict[int, int] = {}
        for k, low, high in pieces:
            if low < end and high > start:
                overlaps[k] = overlaps.get(k, 0) + min(end, high) - max(start, low)
        if overlaps:  # the quote it holds
            best = max(overlaps, key=overlaps.__getitem__)
            quote = _with_cue(text, quotes[best], (start, end), cue, cue_span)
            quoted = sum(s.end - s.start for s in direct[best].evidence)
            if quote.speaker is None and overlaps[best] * 2 >= quoted:
                speaker, evidence = _speaker(text, tokens, attribution, resolve, article_id)
                quote = replace(quote, speaker=speaker, speaker_evidence=evidence)
            quotes[best] = quote
            continue
        speaker, evidence = _speaker(text, tokens, attribution, resolve, article_id)
        out.append(
            QuoteMention(
                text=text[start:end],
                speaker=speaker,
                evidence=(Span(article_id=article_id, start=start, end=end),),
                speaker_evidence=evidence,
                kind="indirect",
                cue=cue,
                cue_evidence=cue_span,
            )
        )
    out = sorted([*quotes, *out], key=lambda m: m.evidence[0].start)
    for k in range(1, len(out)):  # Doe said the plan failed. "It was doomed." — Doe's too
        quote = out[k]
        if quote.speaker is not None or quote.kind != "direct":
            continue
        before = out[k - 1]
        gap = text[before.evidence[-1].end : quote.evidence[0].start]
        if not (before.speaker_evidence and not _WORD.search(gap) and "\n" not in gap):
            before = next((m for m in reversed(out[:k]) if m.kind != "indirect"), before)
            gap = text[before.evidence[-1].end : quote.evidence[0].start]
            if not _next_paragraph_quote(gap):
                continue
        if before.speaker is not None and before.speaker_evidence:
            out[k] = replace(
                quote, speaker=before.speaker, speaker_evidence=before.speaker_evidence
            )
    return out


def _next_paragraph_quote(gap: str) -> bool:
    """Whether a quote after ``gap`` opens the paragraph right after the one ``gap``
    starts in (and nothing but its quote mark comes before it)."""
    _head, newline, tail = gap.partition("\n")
    return bool(newline) and "\n" not in tail.strip() and not _WORD.search(tail)


def _chars(tokens: attr.Tokens, span: tuple[int, int]) -> tuple[int, int]:
    return tokens.starts[span[0]], tokens.ends[span[1] - 1]


def _with_cue(
    text: str,
    mention: QuoteMention,
    content: tuple[int, int],
    cue: str,
    cue_span: tuple[Span, ...],
) -> QuoteMention:
    """A direct quote with its cue, made mixed when the content reports more around it."""
    if mention.cue is not None:
        return mention
    start, end = content
    outside = list(text[start:end])
    for span in mention.evidence:
        for k in range(max(span.start - 1, start), min(span.end + 1, end)):
            outside[k - start] = " "
    words = _WORD.findall("".join(outside))
    lead = text[start : mention.evidence[0].start].rstrip(" " + "".join(attr.QUOTES))
    framed = lead.endswith((":", ",")) or not lead  # X said, "…": a frame, not reported
    if len(words) < _MIXED_WORDS or len(mention.evidence) > 1 or framed:
        return replace(mention, cue=cue, cue_evidence=cue_span)
    low = min(start, mention.evidence[0].start)
    high = max(end, mention.evidence[-1].end)
    article_id = mention.evidence[0].article_id
    return replace(
        mention,
        text=text[low:high],
        evidence=(Span(article_id=article_id, start=low, end=high),),
        kind="mixed",
        cue=cue,
        cue_evidence=cue_span,
    )


def _speaker(
    text: str, tokens: attr.Tokens, attribution: attr.Attribution, resolve: Resolve, article_id: str
) -> tuple[str | None, tuple[Span, ...]]:
    """The resolved speaker of ``attribution`` and its evidence; none for a non-person."""
    if attribution.source is None:
        return None, ()
    start, end = _chars(tokens, attribution.source)
    words = text[start:end].lower().split()
    head = words[-1].rstrip(".,'\u2019") if words else ""
    if not head or head in NON_SPEAKERS or head.removesuffix("s") in NON_SPEAKERS:
        return None, ()
    speaker, evidence = resolve(start, end)
    return speaker, tuple(Span(article_id=article_id, start=s, end=e) for s, e in evidence)
