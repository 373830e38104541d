"""Story entities: people, organisations, places, works and events, one per referent.

Requires the story's :class:`~storyline.model.Annotations` (NER mentions and quote
speakers from :mod:`storyline.extract.annotate`). Assigns ``Story.entities``.

Method:

1. NER labels map to types: PERSON → person; ORG → organization; GPE, LOC, FAC → place;
   WORK_OF_ART → work; EVENT → event (NORP, nationalities and parties, is left out).
2. People: every name of two or more words is a candidate; a one-word mention ("Legend",
   "Chrissy", also when NER called it an organisation) joins the most mentioned full name
   in the story containing that word. Titles ("Mr.") and possessives are dropped.
3. Other names group by their normalised form (case, leading "the", possessive).
4. Definite descriptions that the quote stage resolved to a person ("the singer" said
   → John Legend) become aliases and mentions of that person.
5. The name is the most frequent full form; entities are ranked by salience: the number
   of articles naming them, then mentions.
6. Speakers are linked to these entities by :class:`SpeakerLinker` (people and
   organisations only: a place, a work or an event never speaks).

Limits: two different people sharing a surname in one story merge into the most
mentioned; nicknames and maiden names are separate entities.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.extract._quote_resolve import MEDIA_WORDS
from storyline.extract._quote_speaker import SOCIAL_NETWORKS
from storyline.model import Annotations, Article, Entity, QuoteMention, Span, Story
from storyline.settings import Settings

__all__ = ["ENTITY_TYPES", "SPEAKING_TYPES", "SpeakerLinker", "story_entities"]

ENTITY_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "WORK_OF_ART": "work",
    "EVENT": "event",
}
SPEAKING_TYPES = frozenset({"person", "organization"})
"""Entity types that can be a statement's speaker: people, and organisations that speak."""
_TITLES = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Prof|President)\.?\s+")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_DESCRIPTION = re.compile(r"^the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?$")


@dataclass(slots=True)
class _Entity:
    type: str
    forms: Counter[str] = field(default_factory=Counter)
    spans: list[Span] = field(default_factory=list)


def story_entities(
    story: Story,
    articles: Mapping[str, Article],
    annotations: Mapping[str, Annotations],
    settings: Settings,
) -> tuple[Entity, ...]:
    """Canonicalise the named entities of ``story``'s articles (story stage).

    Args:
        story: the story; its ``article_ids`` say which annotations to read.
        articles: articles by id (for the text of resolved descriptions).
        annotations: per-article annotations by id; missing ones count as empty.
        settings: the settings tree (no entity settings yet).

    Returns:
        The story's entities, most salient first.
    """
    del settings  # part of the story-stage signature; no entity settings yet
    mentions = [
        (ENTITY_TYPES[m.label], _clean(m.text), m.evidence)
        for article_id in story.article_ids
        for m in annotations.get(article_id, Annotations(article_id=article_id)).mentions
        if m.label in ENTITY_TYPES and any(c.isalpha() for c in _clean(m.text))
    ]
    people = Counter(name for kind, name, _ in mentions if kind == "person" and " " in name)
    surname: dict[str, str] = {}
    for name, _count in people.most_common():
        for word in name.split():
            surname.setdefault(word, name)
    groups: dict[tuple[str, str], _Entity] = {}
    for kind, name, evidence in mentions:
        key_kind, key = kind, name.lower().removeprefix("the ")
        if name in SOCIAL_NETWORKS:
            key_kind = "organization"
        elif name in people:
            key_kind, key = "person", name.lower()
        elif " " not in name and name in surname and kind in {"person", "organization"}:
            key_kind, key = "person", surname[name].lower()
        group = groups.setdefault((key_kind, key), _Entity(key_kind))
        group.forms[name] += 1
        group.spans.extend(evidence)
    groups = _merge_labels(groups)
    _add_descriptions(story, articles, annotations, groups)
    order = {article_id: i for i, article_id in enumerate(story.article_ids)}
    entities = [_entity(group, order) for group in groups.values()]
    entities.sort(key=lambda e: (-len(e.article_ids), -e.mentions, e.name))
    return tuple(entities)


def _merge_labels(groups: dict[tuple[str, str], _Entity]) -> dict[tuple[str, str], _Entity]:
    """One entity per name: NER may label "WENDOVER" a place in a dateline and an
    organisation elsewhere; the type most of its mentions have wins."""
    by_key: dict[str, list[_Entity]] = {}
    for (_, key), group in groups.items():
        by_key.setdefault(key, []).append(group)
    merged: dict[tuple[str, str], _Entity] = {}
    for key, same in by_key.items():
        same.sort(key=_mention_count, reverse=True)
        first = same[0]
        for other in same[1:]:
            first.forms.update(other.forms)
            first.spans.extend(other.spans)
        merged[(first.type, key)] = first
    return merged


def _mention_count(group: _Entity) -> int:
    return sum(group.forms.values())


def _clean(text: str) -> str:
    text = _POSSESSIVE.sub("", _TITLES.sub("", " ".join(text.split())))
    return text.strip(" .,;:\"'\u201c\u201d")


def _add_descriptions(
    story: Story,
    articles: Mapping[str, Article],
    annotations: Mapping[str, Annotations],
    groups: dict[tuple[str, str], _Entity],
) -> None:
    """A resolved description ("the singer" said) → an alias and mention of that person."""
    for article_id in story.article_ids:
        ann, article = annotations.get(article_id), articles.get(article_id)
        if ann is None or article is None:
            continue
        for quote in ann.quotes:
            group = groups.get(("person", (quote.speaker or "").lower()))
            if group is None or not quote.speaker_evidence:
                continue
            first = quote.speaker_evidence[0]
            words = article.text[first.start : first.end].split()
            description = " ".join(words).lower()
            if _DESCRIPTION.match(description) and words[-1].lower() not in MEDIA_WORDS:
                group.forms[description] += 1
                group.spans.append(first)


class SpeakerLinker:
    """Links a statement's speaker to the story entity it is (people and organisations).

    A speaker evidence span that overlaps an entity's mention links to that entity; the
    last such span wins, since a pronoun or description resolved elsewhere ends with the
    span of the name it resolved to. Failing that, a speaker equal to an entity's name or
    alias (any case) links to it.
    """

    def __init__(self, entities: Sequence[Entity]) -> None:
        spans: dict[str, list[tuple[int, int, int, str]]] = {}
        self._names: dict[str, str] = {}
        for entity in entities:
            if entity.type not in SPEAKING_TYPES:
                continue
            for span in entity.evidence:
                found = spans.setdefault(span.article_id, [])
                found.append((span.start, span.end, len(found), entity.name))
            for form in (entity.name, *entity.aliases):
                self._names.setdefault(form.lower(), entity.name)
        # per article: mentions by start, their starts, and the longest mention, so a
        # speaker span meets only the mentions that can overlap it (the first added wins)
        self._spans = {
            article_id: (found, [start for start, *_ in found], max(e - s for s, e, *_ in found))
            for article_id, found in ((a, sorted(f)) for a, f in spans.items())
        }

    def link(self, mention: QuoteMention) -> str | None:
        """The ``name`` of the entity ``mention``'s speaker is, or None."""
        for span in reversed(mention.speaker_evidence):
            if span.article_id not in self._spans:
                continue
            found, starts, longest = self._spans[span.article_id]
            low = bisect.bisect_right(starts, span.start - longest)
            high = bisect.bisect_left(starts, span.end)
            overlapping = [
                (added, name)
                for start, end, added, name in found[low:high]
                if start < span.end and end > span.start
            ]
            if overlapping:
                return min(overlapping)[1]
        if mention.speaker is None:
            return None
        return self._names.get(_clean(mention.speaker).lower())


def _entity(group: _Entity, order: Mapping[str, int]) -> Entity:
    full = [f for f in group.forms if " " in f] or list(group.forms)
    # the most used form, but never a dateline's capitals ("WENDOVER") when "Wendover" exists
    name = max(full, key=lambda f: (not f.isupper(), group.forms[f], len(f)))
    article_ids = tuple(sorted({s.article_id for s in group.spans}, key=lambda a: order.get(a, 0)))
    spans = sorted(group.spans, key=lambda s: (order.get(s.article_id, 0), s.start))
    return Entity(
        name=name,
        type=group.type,
        aliases=tuple(sorted(f for f in group.forms if f != name)),
        article_ids=article_ids,
        mentions=len(spans),
        evidence=tuple(spans),
    )
