"""Consolidation: stories as average-link groups of events, over the event link graph.

Events (one happening, days) are linked when a placed article's candidate search found
them sharing at least ``min_shared_terms`` top terms; those links only propose pairs.
A connected part of that graph is grouped into stories by best-first agglomeration: the
two groups with the highest score merge while it reaches 1, where

    score = max(centroid cosine / story_threshold, average link / story_link_threshold)

(centroids are sums of the members' unit story vectors, so their dot product over the
product of the member counts is the mean cosine of the member pairs: the average link)
and the
pair shows evidence that common words cannot give: at least ``min_shared_terms`` terms
that are among the ``query_terms`` heaviest (so most specific) terms of one centroid and
present in the other, of which at least two are names when the groups are in different
languages and at least one when they lie more than ``story_gap_days`` apart.

The grouping is a function of the part's events and links alone (ties broken by id),
so it does not matter how often or in which batches consolidation ran before.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline._cluster_text import add_into, dot, heaviest
from storyline.model import PartialDate
from storyline.settings import ClusterSettings

__all__ = ["Group", "agglomerate", "gap_days", "group_of_event"]

HEAD = 200
"""Terms of a group's centroid its similarities are computed over (the heaviest): the
tail of a long story's centroid weighs little and would make every comparison cost as
much as the story is long."""


@dataclass(slots=True)
class Group:
    """A group of events under construction: their summed vectors, names and dates."""

    events: list[str]
    total: dict[str, float]
    norm2: float
    vectors: int
    names: set[str]
    languages: set[str]
    start: str
    end: str
    top: frozenset[str] = field(default_factory=frozenset)
    head: dict[str, float] = field(default_factory=dict)
    version: int = 0


def group_of_event(event_id: str, event: Mapping[str, Any], settings: ClusterSettings) -> Group:
    """A one-event group (its story centroid is copied, never changed)."""
    group = Group(
        events=[event_id],
        total=dict(event["cs"]),
        norm2=0.0,
        vectors=int(event["v"]),
        names=set(event["names"]),
        languages={event["lang"] or ""},
        start=event["s"],
        end=event["e"],
    )
    group.norm2 = sum(w * w for w in group.total.values())
    _summarise(group, settings.query_terms)
    return group


def _summarise(group: Group, query_terms: int) -> None:
    ranked = heaviest(group.total, HEAD)
    group.head = dict(ranked)
    group.top = frozenset(t for t, _ in ranked[:query_terms])


def score(a: Group, b: Group, settings: ClusterSettings) -> float:
    """How strongly ``a`` and ``b`` are one story (at least 1: they are), or 0."""
    if not a.vectors or not b.vectors or a.norm2 <= 0.0 or b.norm2 <= 0.0:
        return 0.0
    shared = (a.top & b.head.keys()) | (b.top & a.head.keys())
    if len(shared) < settings.min_shared_terms:
        return 0.0
    names = len(shared & a.names & b.names)
    if a.languages != b.languages and names < 2:
        return 0.0
    if names < 1 and a.start and b.start and _span_gap(a, b) > settings.story_gap_days:
        return 0.0
    product = dot(a.head, b.head)
    cosine = product / math.sqrt(a.norm2 * b.norm2)
    link = product / (a.vectors * b.vectors)
    value = max(cosine / settings.story_threshold, link / settings.story_link_threshold)
    return value if value >= 1.0 else 0.0


def agglomerate(
    events: Mapping[str, Mapping[str, Any]],
    links: Mapping[str, Sequence[str]],
    settings: ClusterSettings,
) -> list[list[str]]:
    """Group ``events`` (by id) into stories along ``links``; each group's ids sorted."""
    groups = {e: group_of_event(e, events[e], settings) for e in sorted(events)}
    neighbours: dict[str, set[str]] = {e: set() for e in groups}
    for e, proposed in links.items():
        for other in proposed:
            if other in groups and other != e:
                neighbours[e].add(other)
                neighbours[other].add(e)
    heap: list[tuple[float, str, str, int, int]] = []

    def push(x: str, y: str) -> None:
        a, b = groups[x], groups[y]
        value = score(a, b, settings)
        if value > 0.0:
            lo, hi = (x, y) if x < y else (y, x)
            heapq.heappush(heap, (-value, lo, hi, groups[lo].version, groups[hi].version))

    for x in groups:
        for y in neighbours[x]:
            if x < y:
                push(x, y)
    while heap:
        _, x, y, vx, vy = heapq.heappop(heap)
        if x not in groups or y not in groups:
            continue
        if groups[x].version != vx or groups[y].version != vy:
            continue
        keep, gone = (x, y) if len(groups[x].events) >= len(groups[y].events) else (y, x)
        _merge(groups[keep], groups.pop(gone), settings.query_terms)
        linked = (neighbours.pop(gone) | neighbours[keep]) - {keep, gone}
        neighbours[keep] = linked
        for other in linked:
            neighbours[other].discard(gone)
            neighbours[other].add(keep)
            push(keep, other)
    return [sorted(g.events) for g in groups.values()]


def _merge(into: Group, other: Group, query_terms: int) -> None:
    into.norm2 += add_into(into.total, other.total)
    into.vectors += other.vectors
    into.events.extend(other.events)
    into.names |= other.names
    into.languages |= other.languages
    for date in (other.start, other.end):
        if date:
            into.start = min(into.start, date) if into.start else date
            into.end = max(into.end, date)
    _summarise(into, query_terms)
    into.version += 1


def _span_gap(a: Group, b: Group) -> int:
    return max(
        0,
        (_period(a.start)[0] - _period(b.end)[1]).days,
        (_period(b.start)[0] - _period(a.end)[1]).days,
    )


def gap_days(date: str, start: str, end: str) -> int:
    """Fewest days between the period ``date`` and the span ``[start, end]``.

    Dates known only to the month or year are periods: "2021" is at least 77 days from
    2020-10-16, and 0 days from anything in 2021.
    """
    first, last = _period(date)
    if last < _period(start)[0]:
        return (_period(start)[0] - last).days
    return max(0, (first - _period(end)[1]).days)


@functools.lru_cache(maxsize=65536)
def _period(iso: str) -> tuple[dt.date, dt.date]:
    date = PartialDate.from_iso(iso)
    return date.date, date.last_day()
