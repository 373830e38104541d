"""Story statements: the same quote or report across outlets merged into one, who said it first.

Requires the story's articles (for publication dates) and their
:class:`~storyline.model.Annotations` (per-article statement mentions from
:mod:`storyline.extract.annotate`). Assigns ``Story.quotes``; reads ``Story.entities``
(computed here when the story has none yet) to link speakers.

Method:

1. Mentions are taken in publication order (undated articles last); each speaker is
   linked to the story's person or organisation entity whose mention its evidence
   covers (for a pronoun or description, the span of the name it resolved to), else
   whose name or alias it is (:class:`~storyline.extract.entities.SpeakerLinker`).
2. Each mention is reduced to lowercase words without punctuation, and to word trigrams
   (single words for very short quotes). A mention joins an earlier statement when at
   least ``extract.quote_merge_overlap`` of the shorter side's trigrams are shared: one
   outlet quoting only part of a passage, or changing punctuation or curly marks, still
   merges. Reported speech joins only a statement of the same speaker entity (or of an
   unknown one), and a denial ("X denied that …") never joins an assertion.
3. A paraphrase joins too: when the mention or the statement is reported speech
   (indirect or mixed), the speaker entity is the same, and at least
   ``extract.statement_merge_overlap`` of the shorter side's content words (stemmed
   crudely, function words left out), and no fewer than three, are shared
   ("Quint said the gallery would reopen in spring" and "'We will reopen the gallery in
   spring,' Quint said"); of statements sharing equally much, the first found. Two
   direct quotes merge only by their wording.
4. A merged statement keeps the wording of its most direct kind (direct, then mixed,
   then indirect): the longest mention, extended by mentions that continue it; every
   carrier in ``article_ids``; ``first_seen`` = the earliest-published carrier; one
   evidence span per mention piece with ``evidence[0]`` in ``first_seen``; every cue
   and speaker span.
5. The speaker entity is the one most mentions link to, and names the speaker; failing
   a link the speaker is voted over the carriers: names beat descriptions and pronouns,
   and a short name form ("Teigen") counts for the full one ("Chrissy Teigen") said
   elsewhere in the story; the cue and the platform are the most frequent ones.
6. Statements are ranked by the number of carriers, then by first appearance.

Limits: two different quotes sharing most of their words (a refrain) merge; paraphrases
merge only when their speaker is linked to an entity, and reports that share few words
("denied" and "said it was untrue") stay apart.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.extract.entities import SpeakerLinker, story_entities
from storyline.model import Annotations, Article, Quote, QuoteKind, QuoteMention, Span, Story
from storyline.settings import Settings

__all__ = ["story_quotes"]

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SHORT = 3
_PASSAGE_PIECES = 40  # distinct wordings tried when extending a quote (bounds the work)
_NOT_NAMES = frozenset({"the", "a", "an", "he", "she", "they", "it", "i", "we"})
_KINDS: tuple[QuoteKind, ...] = ("direct", "mixed", "indirect")
_MIN_SHARED = 3  # content words a paraphrase must share
_STOP = frozenset(
    """a an the and or but if of in on at to for with by from as into about than then that
    this these those there here it its it's is was are were be been being am has have had
    do does did will would shall should can could may might must not no yes i you he she we
    they me him her us them my your his our their who whom which what when where why how
    all any some more most very so also just said says say told tell according""".split()
)
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly)$")
_DENIALS = frozenset(
    "denied denies deny denying rejected rejects disputed disputes refuted dismissed".split()
)


@dataclass(slots=True)
class _Group:
    shingles: set[tuple[str, ...]]
    mentions: list[tuple[str, QuoteMention]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    entities: Counter[str] = field(default_factory=Counter)
    reported: bool = False  # holds an indirect or mixed mention
    denies: bool = False  # holds a mention whose cue denies ("denied", "rejected")


def story_quotes(
    story: Story,
    articles: Mapping[str, Article],
    annotations: Mapping[str, Annotations],
    settings: Settings,
) -> tuple[Quote, ...]:
    """Merge the quotes of ``story``'s articles (story stage).

    Args:
        story: the story; its ``article_ids`` say which articles to read, its
            ``entities`` (computed when empty) which speakers are linked.
        articles: articles by id (for publication dates).
        annotations: per-article annotations by id; missing ones count as empty.
        settings: ``extract.quote_merge_overlap`` and ``extract.statement_merge_overlap``
            set how much must be shared.

    Returns:
        The story's statements, most widely carried first.
    """
    entities = story.entities or story_entities(story, articles, annotations, settings)
    linker = SpeakerLinker(entities)
    position = {article_id: n for n, article_id in reversed(list(enumerate(story.article_ids)))}
    order = sorted(
        (i for i in story.article_ids if i in annotations),
        key=lambda i: _published_key(articles.get(i), position[i]),
    )
    threshold = settings.extract.quote_merge_overlap
    groups: list[_Group] = []
    parent: list[int] = []  # merged groups point at the group that absorbed them
    index: dict[tuple[str, ...], list[int]] = {}
    by_word: dict[tuple[str, str], list[int]] = {}  # (speaker entity, content word) → groups
    for article_id in order:
        for mention in annotations[article_id].quotes:
            shingles = _shingles(mention.text)
            if not shingles:
                continue
            entity = linker.link(mention)
            words = _content_words(mention.text)
            matches = [
                g
                for g in _matches(shingles, groups, parent, index, threshold)
                if _compatible(mention, entity, groups[g])
            ]
            if not matches and entity is not None:
                shared = _shared_words(entity, words, parent, by_word)
                matches = _paraphrases(mention, words, groups, shared, settings)
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
            target.words |= words
            target.reported |= mention.kind != "direct"
            target.denies |= _denies(mention)
            if entity is not None:
                target.entities[entity] += 1
                for word in words:
                    by_word.setdefault((entity, word), []).append(matches[0])
    live = [group for i, group in enumerate(groups) if parent[i] == i]
    names = _name_forms(live)
    rank = {article_id: i for i, article_id in enumerate(order)}
    quotes = [_quote(group, names, rank) for group in live]
    ranked = sorted(range(len(quotes)), key=lambda i: (-len(quotes[i].article_ids), i))
    return tuple(quotes[i] for i in ranked)


def _absorb(
    target: _Group, other: _Group, target_id: int, index: dict[tuple[str, ...], list[int]]
) -> None:
    target.mentions.extend(other.mentions)
    for shingle in other.shingles - target.shingles:
        index.setdefault(shingle, []).append(target_id)
    target.shingles |= other.shingles
    target.words |= other.words
    target.entities.update(other.entities)
    target.reported |= other.reported
    target.denies |= other.denies
    other.mentions, other.shingles, other.words = [], set(), set()


def _content_words(text: str) -> set[str]:
    """The text's content words, lower-case, crudely stemmed ("reopened" → "reopen")."""
    out = set()
    for word in _WORD.findall(text.lower().replace("\u2019", "'")):
        if word in _STOP or len(word) < 3:
            continue
        out.add(_SUFFIX.sub("", word) if len(word) > 4 else word)
    return out


def _shared_words(
    entity: str,
    words: set[str],
    parent: list[int],
    by_word: Mapping[tuple[str, str], list[int]],
) -> Counter[int]:
    """How many of ``words`` each live statement of ``entity`` holds."""
    shared: Counter[int] = Counter()
    for word in words:
        shared.update({_root(parent, g) for g in by_word.get((entity, word), ())})
    return shared


def _paraphrases(
    mention: QuoteMention,
    words: set[str],
    groups: Sequence[_Group],
    shared: Counter[int],
    settings: Settings,
) -> list[int]:
    """The live statement of the same speaker that ``mention`` reports in other words."""
    best, best_share = -1, settings.extract.statement_merge_overlap
    # in id order, so that of equally close statements the earliest wins: ``shared`` is
    # filled from sets of words, whose order changes from one process to the next
    for group_id, count in sorted(shared.items()):
        group = groups[group_id]
        if count < _MIN_SHARED or not group.words:
            continue
        if (mention.kind == "direct" and not group.reported) or not _compatible(
            mention, None, group
        ):
            continue  # two direct quotes merge by their wording only
        share = count / min(len(words), len(group.words))
        if share > best_share or (share == best_share and best < 0):
            best, best_share = group_id, share
    return [best] if best >= 0 else []


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


def _compatible(mention: QuoteMention, entity: str | None, group: _Group) -> bool:
    """Whether reported speech can be the statement ``group`` holds: not when another
    speaker entity said it, nor when one denies what the other asserts. Direct quotes
    merge by wording alone (an outlet misnaming the speaker still carries the quote)."""
    if mention.kind == "direct" and not group.reported:
        return True
    if entity is not None and group.entities and entity not in group.entities:
        return False
    return _denies(mention) == group.denies


def _denies(mention: QuoteMention) -> bool:
    words = (mention.cue or "").lower().split()
    return bool(words) and words[0] in _DENIALS


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


def _quote(group: _Group, names: Mapping[str, str], rank: Mapping[str, int]) -> Quote:
    group.mentions.sort(key=lambda item: (rank[item[0]], item[1].evidence[0].start))
    first_id = group.mentions[0][0]
    article_ids = tuple(dict.fromkeys(a for a, _ in group.mentions))
    evidence: list[Span] = [span for _, m in group.mentions for span in m.evidence]
    kind = next(k for k in _KINDS if any(m.kind == k for _, m in group.mentions))
    entity = group.entities.most_common(1)[0][0] if group.entities else None
    cues = Counter((m.cue or "").lower() for _, m in group.mentions if m.cue)
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
    if entity is not None:
        speaker = entity
    platforms = Counter(m.platform for _, m in group.mentions if m.platform)
    platform = platforms.most_common(1)[0][0] if platforms else None
    text = _passage([m.text for _, m in group.mentions if m.kind == kind])
    return Quote(
        text=text,
        speaker=speaker,
        article_ids=article_ids,
        first_seen=first_id,
        evidence=tuple(evidence),
        platform=platform,
        kind=kind,
        cue=cues.most_common(1)[0][0] if cues else None,
        speaker_entity=entity,
        speaker_evidence=tuple(
            dict.fromkeys(s for _, m in group.mentions for s in m.speaker_evidence)
        ),
        cue_evidence=tuple(dict.fromkeys(s for _, m in group.mentions for s in m.cue_evidence)),
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


@functools.lru_cache(maxsize=4096)  # a passage is compared with each of its pieces
def _positions(text: str) -> tuple[tuple[str, int], ...]:
    """Each word of ``text``, normalised, with its start offset."""
    return tuple(
        (m.group().lower().replace("\u2019", "'"), m.start()) for m in _WORD.finditer(text)
    )


def _trigram(words: Sequence[tuple[str, int]], at: int) -> tuple[str, ...]:
    return tuple(w for w, _ in words[at : at + _SHORT])
