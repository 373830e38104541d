"""Story quotes: the same quote across outlets merged into one, with who said it first.

Requires the story's articles (for publication dates) and their
:class:`~storyline.model.Annotations` (per-article quote mentions from
:mod:`storyline.extract.annotate`). Assigns ``Story.quotes``.

Method:

1. Quote mentions are taken in publication order (undated articles last).
2. Each is reduced to lowercase words without punctuation, and to word trigrams (single
   words for very short quotes). A mention joins an earlier quote when at least
   ``extract.quote_merge_overlap`` of the shorter side's trigrams are shared: one outlet
   quoting only part of a passage, or changing punctuation or curly marks, still merges.
3. A merged quote keeps its longest wording, every carrier in ``article_ids``,
   ``first_seen`` = the earliest-published carrier, and one evidence span per mention with
   ``evidence[0]`` in ``first_seen``.
4. The speaker is voted over the carriers: names beat descriptions and pronouns, and a
   short name form ("Teigen") counts for the full one ("Chrissy Teigen") said elsewhere in
   the story; the platform is the most named one.
5. Quotes are ranked by the number of carriers, then by first appearance.

Limits: a paraphrase is not a quote; two different quotes sharing most of their words
(a refrain) merge.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.model import Annotations, Article, Quote, QuoteMention, Span, Story
from storyline.settings import Settings

__all__ = ["story_quotes"]

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SHORT = 3
_PASSAGE_PIECES = 40  # distinct wordings tried when extending a quote (bounds the work)
_NOT_NAMES = frozenset({"the", "a", "an", "he", "she", "they", "it", "i", "we"})


@dataclass(slots=True)
class _Group:
    shingles: set[tuple[str, ...]]
    mentions: list[tuple[str, QuoteMention]] = field(default_factory=list)


def story_quotes(
    story: Story,
    articles: Mapping[str, Article],
    annotations: Mapping[str, Annotations],
    settings: Settings,
) -> tuple[Quote, ...]:
    """Merge the quotes of ``story``'s articles (story stage).

    Args:
        story: the story; its ``article_ids`` say which articles to read.
        articles: articles by id (for publication dates).
        annotations: per-article annotations by id; missing ones count as empty.
        settings: ``extract.quote_merge_overlap`` sets how much must be shared.

    Returns:
        The story's quotes, most widely carried first.
    """
    order = sorted(
        (i for i in story.article_ids if i in annotations),
        key=lambda i: _published_key(articles.get(i), story.article_ids.index(i)),
    )
    threshold = settings.extract.quote_merge_overlap
    groups: list[_Group] = []
    parent: list[int] = []  # merged groups point at the group that absorbed them
    index: dict[tuple[str, ...], list[int]] = {}
    for article_id in order:
        for mention in annotations[article_id].quotes:
            shingles = _shingles(mention.text)
            if not shingles:
                continue
            matches = _matches(shingles, groups, parent, index, threshold)
            if not matches:
                matches = [len(groups)]
                groups.append(_Group(set()))
                parent.append(len(parent))
            target = groups[matches[0]]
            for other in matches[1:]:  # a full quote joins the pieces it was split into
                _absorb(target, groups[other], matches[0], index)
                parent[other] = matches[0]
            target.mentions.append((article_id, mention))
            for shingle in shingles - target.shingles:
                index.setdefault(shingle, []).append(matches[0])
            target.shingles |= shingles
    live = [group for i, group in enumerate(groups) if parent[i] == i]
    names = _name_forms(live)
    quotes = [_quote(group, names, order) for group in live]
    ranked = sorted(range(len(quotes)), key=lambda i: (-len(quotes[i].article_ids), i))
    return tuple(quotes[i] for i in ranked)


def _absorb(
    target: _Group, other: _Group, target_id: int, index: dict[tuple[str, ...], list[int]]
) -> None:
    target.mentions.extend(other.mentions)
    for shingle in other.shingles - target.shingles:
        index.setdefault(shingle, []).append(target_id)
    target.shingles |= other.shingles
    other.mentions, other.shingles = [], set()


def _published_key(article: Article | None, position: int) -> tuple[bool, str, int]:
    published = article.published if article is not None else None
    return (published is None, published.date.isoformat() if published else "", position)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    if len(words) < _SHORT:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + _SHORT]) for i in range(len(words) - _SHORT + 1)}


def _matches(
    shingles: set[tuple[str, ...]],
    groups: Sequence[_Group],
    parent: list[int],
    index: Mapping[tuple[str, ...], list[int]],
    threshold: float,
) -> list[int]:
    """Ids of the live groups sharing ``threshold`` of the shorter side's shingles."""
    shared: Counter[int] = Counter()
    for shingle in shingles:
        for group in {_root(parent, g) for g in index.get(shingle, ())}:
            shared[group] += 1
    return sorted(
        group
        for group, count in shared.items()
        if count / min(len(shingles), len(groups[group].shingles)) >= threshold
    )


def _root(parent: list[int], group: int) -> int:
    while parent[group] != group:
        group = parent[group]
    return group


def _is_name(speaker: str) -> bool:
    words = speaker.split()
    capitalised = all(w[:1].isupper() for w in words)
    return bool(words) and capitalised and words[0].lower() not in _NOT_NAMES


def _name_forms(groups: Sequence[_Group]) -> dict[str, str]:
    """Single-word names mapped to the story's fullest name containing them."""
    full = Counter(
        m.speaker
        for g in groups
        for _, m in g.mentions
        if m.speaker and _is_name(m.speaker) and len(m.speaker.split()) >= 2
    )
    forms: dict[str, str] = {}
    for name, _count in full.most_common():
        for word in name.split():
            forms.setdefault(word, name)
    return forms


def _quote(group: _Group, names: Mapping[str, str], order: Sequence[str]) -> Quote:
    rank = {article_id: i for i, article_id in enumerate(order)}
    group.mentions.sort(key=lambda item: (rank[item[0]], item[1].evidence[0].start))
    first_id = group.mentions[0][0]
    article_ids = tuple(dict.fromkeys(a for a, _ in group.mentions))
    evidence: list[Span] = [span for _, m in group.mentions for span in m.evidence]
    votes: Counter[str] = Counter()
    for _, mention in group.mentions:
        if mention.speaker is None:
            continue
        said = mention.speaker
        if _is_name(said):
            said = names.get(said, said) if len(said.split()) == 1 else said
            votes[said] += 2
        else:
            votes[said] += 1
    speaker: str | None = max(votes, key=lambda s: (votes[s], len(s))) if votes else None
    platforms = Counter(m.platform for _, m in group.mentions if m.platform)
    platform = platforms.most_common(1)[0][0] if platforms else None
    text = _passage([m.text for _, m in group.mentions])
    return Quote(
        text=text,
        speaker=speaker,
        article_ids=article_ids,
        first_seen=first_id,
        evidence=tuple(evidence),
        platform=platform,
    )


def _passage(texts: Sequence[str]) -> str:
    """The quote's wording: the longest mention, extended by mentions that continue it.

    Outlets often carry different parts of one long quote (a post quoted paragraph by
    paragraph); a mention whose head overlaps the passage's tail (or whose tail overlaps
    its head) by at least one word trigram extends it, so the quote reads in full.
    """
    ordered = sorted(dict.fromkeys(texts), key=len, reverse=True)[:_PASSAGE_PIECES]
    passage = ordered[0]
    for _ in range(len(ordered)):
        grown = passage
        for other in ordered[1:]:
            grown = _appended(grown, other) or _appended(other, grown) or grown
        if grown == passage:
            break
        passage = grown
    return passage


def _appended(text: str, other: str) -> str | None:
    """``text`` followed by the rest of ``other`` when ``other`` starts inside its tail."""
    words = _positions(text)
    more = _positions(other)
    if len(words) < _SHORT or len(more) < _SHORT:
        return None
    head = tuple(w for w, _ in more[:_SHORT])
    at = next(
        (i for i in range(len(words) - _SHORT + 1) if _trigram(words, i) == head),
        None,
    )
    if not at:  # absent, or ``other`` starts where ``text`` does: nothing to extend
        return None
    overlap = len(words) - at
    if overlap >= len(more) or _trigram(more, overlap - _SHORT) != _trigram(
        words, len(words) - _SHORT
    ):
        return None
    return f"{text} {other[more[overlap][1] :]}"


def _positions(text: str) -> list[tuple[str, int]]:
    """Each word of ``text``, normalised, with its start offset."""
    return [(m.group().lower().replace("\u2019", "'"), m.start()) for m in _WORD.finditer(text)]


def _trigram(words: Sequence[tuple[str, int]], at: int) -> tuple[str, ...]:
    return tuple(w for w, _ in words[at : at + _SHORT])
