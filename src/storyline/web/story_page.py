"""The story page as data: ``story_page(story, articles) -> StoryPage``, and front-page cards.

Pure functions of a story and its articles, no web framework: the result holds only
strings, numbers, booleans and tuples of frozen dataclasses, so it is cheap to keep (a
cache can store it as it is) and the template only lays it out. What it decides:

- **One citation numbering**: a marker ``[n]`` anywhere on the page is source *n* of the
  Sources list (articles oldest first); its pop-up shows the cited sentence.
- **Summary** lines with the date of each relative expression shown beside it and the
  newest development marked.
- **Visual timeline**: an SVG strip (x = date) of the story's dated entries and events,
  the dated list under it; background entries apart, as "Earlier".
- **Claims**: every claim, agreed, disputed or changed over time, with each value, its
  date and the outlets stating it.
- **Coverage**: per outlet, its articles, what it reported first (of each timeline date,
  the earliest article reporting something of that date; of each quote, its first
  carrier) and the quotes it carried.
- **Entity types only when the text bears them out** (:func:`trusted_type`): the NER type
  is shown when a cue around a mention agrees ("Wren said", "Mayor Ruth Castellano", "in
  Larkspur", "… Museum"); else the name alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from storyline._json import dumps_bytes
from storyline.model import (
    Article,
    Claim,
    Entity,
    Event,
    PartialDate,
    Quote,
    Span,
    Story,
    TimelineEntry,
)
from storyline.timeline import date_sentences
from storyline.web.views import Citation, safe_url, source_sentence

__all__ = [
    "PAGE_VERSION",
    "StoryCard",
    "StoryPage",
    "date_label",
    "page_from_payload",
    "page_payload",
    "story_card",
    "story_page",
    "trusted_type",
]

_AXIS_WIDTH, _AXIS_LEFT, _AXIS_RIGHT = 1000, 24, 976
_STATUS_LABELS = {
    "agree": "Outlets agree",
    "conflict": "Outlets disagree",
    "changed_over_time": "Changed over time",
}
_KIND_LABELS = {"person": "person", "organization": "organisation", "place": "place"}
# What one page shows at most (the JSON twin has everything): a story of a thousand
# articles had 17,737 quotes, 7,645 entities and 639 events, a 16 MB page that took
# seconds to render and no reader could use.
QUOTES_SHOWN = 100
EVENTS_SHOWN = 100
ENTITIES_SHOWN = 200
CITES_SHOWN = 5  # markers per quote (one per carrying source; the rest counted)
VALUES_SHOWN = 20  # values per claim


@dataclass(frozen=True, slots=True, kw_only=True)
class Piece:
    """A run of a summary sentence; ``note`` is the date a relative expression stands for."""

    text: str
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryLine:
    pieces: tuple[Piece, ...]
    cites: tuple[Citation, ...]
    latest: bool
    date: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    number: int
    article_id: str
    title: str
    outlet: str
    published: str | None
    published_label: str
    author: str | None
    url: str | None
    copy_of: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineRow:
    anchor: str
    date: str
    label: str
    text: str
    cites: tuple[Citation, ...]
    outlets: tuple[str, ...]
    first_outlet: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    x: float
    y: float
    anchor: str
    title: str
    carriers: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    x1: float
    x2: float
    y: float
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Axis:
    width: int
    height: int
    ticks: tuple[Tick, ...]
    points: tuple[Point, ...]
    bars: tuple[Bar, ...]
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow:
    title: str
    when: str
    outlets: tuple[str, ...]
    articles: int
    first_outlet: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueRow:
    value: str
    as_of: str | None
    outlets: tuple[str, ...]
    cites: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRow:
    label: str
    subject: str
    attribute: str
    kind: str
    status: str
    status_label: str
    values: tuple[ValueRow, ...]
    values_total: int = 0
    """The claim's number of values; the first :data:`VALUES_SHOWN` are in ``values``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRow:
    text: str
    kind: str
    cue: str | None
    speaker: str | None
    speaker_entity: str | None
    platform: str | None
    first_outlet: str
    first_date: str
    outlets: tuple[str, ...]
    cites: tuple[Citation, ...]
    carriers: int = 0
    """Sources carrying the quote; only the first :data:`CITES_SHOWN` are in ``cites``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletRow:
    name: str
    sources: tuple[int, ...]
    first: str
    last: str
    reported_first: tuple[str, ...]
    quotes_first: int
    quotes_carried: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRow:
    name: str
    type_label: str | None
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """Everything the story page shows, laid out by ``story.html``."""

    id: str
    title: str
    articles: int
    outlets: tuple[str, ...]
    first: str | None
    last: str | None
    summary: tuple[SummaryLine, ...]
    summary_note: str | None
    timeline: tuple[TimelineRow, ...]
    earlier: tuple[TimelineRow, ...]
    axis: Axis | None
    events: tuple[EventRow, ...]
    claims: tuple[ClaimRow, ...]
    quotes: tuple[QuoteRow, ...]
    coverage: tuple[OutletRow, ...]
    entities: tuple[EntityRow, ...]
    people: tuple[str, ...]
    sources: tuple[Source, ...]
    quotes_total: int = 0
    events_total: int = 0
    entities_total: int = 0
    """The story's counts of quotes, events and entities: a page shows at most
    :data:`QUOTES_SHOWN`, :data:`EVENTS_SHOWN` and :data:`ENTITIES_SHOWN` of them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryCard:
    """A story on the front page: its gist, who covered it, when, and who is in it."""

    id: str
    title: str
    gist: str | None
    articles: int
    outlets: tuple[str, ...]
    first: str | None
    last: str | None
    people: tuple[str, ...]


def story_page(story: Story, articles: Mapping[str, Article]) -> StoryPage:
    """The story page model of ``story`` (articles by id; unknown ids are left out)."""
    members = _members(story, articles)
    numbers = {a.id: n for n, a in enumerate(members, start=1)}
    cite = _Citer(members, numbers)
    rows = [_timeline_row(n, e, cite) for n, e in enumerate(story.timeline, start=1)]
    own = tuple(r for r, e in zip(rows, story.timeline, strict=True) if not e.background)
    earlier = tuple(r for r, e in zip(rows, story.timeline, strict=True) if e.background)
    days = [a.published for a in members if a.published]
    speakers = {q.speaker for q in story.quotes if q.speaker}
    entities = tuple(
        EntityRow(
            name=e.name,
            type_label=_KIND_LABELS.get(trusted_type(e, articles, speakers) or ""),
            mentions=e.mentions,
            articles=len(e.article_ids),
        )
        for e in story.entities[:ENTITIES_SHOWN]
    )
    summary = story.summary
    return StoryPage(
        id=story.id,
        title=story.title,
        articles=len(members),
        outlets=cite.outlets([a.id for a in members]),
        first=date_label(min(days, key=_day)) if days else None,
        last=date_label(max(days, key=_day)) if days else None,
        summary=tuple(_summary_lines(story, cite)),
        summary_note=summary.empty_reason if summary and not summary.sentences else None,
        timeline=own,
        earlier=earlier,
        axis=_axis(story, own),
        events=tuple(_event_row(e, cite) for e in story.events[:EVENTS_SHOWN]),
        claims=tuple(_claim_row(c, cite) for c in story.claims),
        quotes=tuple(_quote_row(q, cite) for q in story.quotes[:QUOTES_SHOWN]),
        coverage=_coverage(story, members, cite),
        entities=entities,
        people=_people(story, articles),
        sources=tuple(_source(a, numbers) for a in members),
        quotes_total=len(story.quotes),
        events_total=len(story.events),
        entities_total=len(story.entities),
    )


def story_card(story: Story, articles: Mapping[str, Article]) -> StoryCard:
    """The front-page card of ``story``."""
    members = _members(story, articles)
    days = [a.published for a in members if a.published]
    gist = None
    if story.summary and story.summary.sentences:
        gist = story.summary.sentences[0].text
    return StoryCard(
        id=story.id,
        title=story.title,
        gist=gist,
        articles=len(members),
        outlets=tuple(dict.fromkeys(a.outlet or "unknown outlet" for a in members)),
        first=date_label(min(days, key=_day)) if days else None,
        last=date_label(max(days, key=_day)) if days else None,
        people=_people(story, articles)[:3],
    )


def date_label(date: PartialDate) -> str:
    """ "3 Mar 2025", "Mar 2025" or "2025", by precision."""
    if date.precision == "year":
        return str(date.date.year)
    if date.precision == "month":
        return date.date.strftime("%b %Y")
    return f"{date.date.day} {date.date.strftime('%b %Y')}"


_PERSON_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sgt|Det|Lt|Capt|Gov|Sen|Rep)\.?|\b(?:Mayor|Chief|Director"
    r"|director|Judge|judge|Detective|Officer|Coach|coach|President|Minister|Senator|Governor"
    r"|singer|actor|actress|model|husband|wife|son|daughter|goalie|forward|defender|captain"
    r"|curator|lawyer|attorney|spokesman|spokeswoman|chair|author|boss|Sister|Brother))\s+$"
)
_PERSON_AFTER = re.compile(
    r"^(?:['’]s\s+(?:wife|husband|lawyer|son|daughter))?\s*(?:,\s*\d{1,3}\s*,|\s+(?:said|says"
    r"|told|wrote|added|explained|continued|shared|asked|replied|revealed|recalled|"
    r"admitted|tweeted|posted))\b"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|near|outside|across)\s+(?:the\s+)?$")
_ORG_WORDS = frozenset(
    """museum court fund college university school police department council company
    inc corp ltd agency gallery hospital ministry committee party bank club association
    foundation institute service office board commission post radio courier gazette times
    news network union church team league authority trust society center centre""".split()
)


def trusted_type(
    entity: Entity, articles: Mapping[str, Article], speakers: Iterable[str] = ()
) -> str | None:
    """The entity's type when cues in the text bear it out, else ``None``.

    Each mention votes: a place after "in", "near", "from" ("Police in Port Ellery
    said"); else a person with a title or role before it, an age or a speech verb after
    it. An organisation is a name ending in an organisation word ("… Museum", "… Court");
    a quote speaker with a full name is a person. The type is shown only when there is a
    cue and every cue agrees with it.
    """
    words = entity.name.replace("the ", "").split()
    votes: set[str] = set()
    if words and words[-1].lower() in _ORG_WORDS:
        votes.add("organization")
    if entity.name in set(speakers) and len(words) >= 2:
        votes.add("person")
    for span in entity.evidence:
        article = articles.get(span.article_id)
        if article is None:
            continue
        before = article.text[max(0, span.start - 30) : span.start]
        after = article.text[span.end : span.end + 30]
        if _PLACE_BEFORE.search(before):
            votes.add("place")
        elif _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
            votes.add("person")
    if "organization" in votes:
        votes.discard("place")  # "at the Ellery Maritime Museum": a place of an organisation
    return entity.type if votes == {entity.type} else None


# --- parts ---------------------------------------------------------------------------------


class _Citer:
    """Citations numbered by source, and outlet names, for one page."""

    def __init__(self, members: Sequence[Article], numbers: Mapping[str, int]) -> None:
        self.by_id = {a.id: a for a in members}
        self.numbers = numbers

    def __call__(self, evidence: Iterable[Span]) -> tuple[Citation, ...]:
        cites: dict[int, Citation] = {}
        for span in evidence:
            article = self.by_id.get(span.article_id)
            if article is None or self.numbers[article.id] in cites:
                continue
            cites[self.numbers[article.id]] = Citation(
                number=self.numbers[article.id],
                article_id=article.id,
                outlet=article.outlet or "unknown outlet",
                sentence=source_sentence(article.text, span),
                start=span.start,
                end=span.end,
            )
        return tuple(sorted(cites.values(), key=lambda c: c.number))

    def outlets(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        names = (self.by_id[i].outlet or "unknown outlet" for i in article_ids if i in self.by_id)
        return tuple(dict.fromkeys(names))

    def first(self, article_ids: Iterable[str]) -> Article | None:
        known = [self.by_id[i] for i in article_ids if i in self.by_id]
        return min(known, key=lambda a: (_order(a), self.numbers[a.id]), default=None)


def _members(story: Story, articles: Mapping[str, Article]) -> list[Article]:
    members = [articles[i] for i in story.article_ids if i in articles]
    return sorted(members, key=_order)


def _order(article: Article) -> tuple[bool, dt.date, str]:
    published = article.published
    return (published is None, published.date if published else dt.date.max, article.id)


def _day(date: PartialDate) -> dt.date:
    return date.date


def _summary_lines(story: Story, cite: _Citer) -> Iterable[SummaryLine]:
    if story.summary is None:
        return
    for sentence in story.summary.sentences:
        pieces: list[Piece] = []
        at = 0
        base = sentence.evidence[0].start if sentence.evidence else 0
        for note in sorted(sentence.date_notes, key=lambda n: n.evidence[0].start):
            start, end = note.evidence[0].start - base, note.evidence[0].end - base
            if not at <= start < end <= len(sentence.text):
                continue
            if start > at:
                pieces.append(Piece(text=sentence.text[at:start]))
            pieces.append(Piece(text=sentence.text[start:end], note=date_label(note.date)))
            at = end
        if at < len(sentence.text):
            pieces.append(Piece(text=sentence.text[at:]))
        yield SummaryLine(
            pieces=tuple(pieces),
            cites=cite(sentence.evidence),
            latest=sentence.latest,
            date=date_label(sentence.date) if sentence.date else None,
        )


def _timeline_row(n: int, entry: TimelineEntry, cite: _Citer) -> TimelineRow:
    first = cite.first(entry.article_ids)
    return TimelineRow(
        anchor=f"t-{n}",
        date=entry.date.iso(),
        label=date_label(entry.date),
        text=entry.text,
        cites=cite(entry.evidence),
        outlets=cite.outlets(entry.article_ids),
        first_outlet=(first.outlet or "unknown outlet") if first else "",
    )


def _axis(story: Story, rows: Sequence[TimelineRow]) -> Axis | None:
    """The SVG strip: day-dated entries as dots, events as bars, on one date scale (a
    month or year entry stays in the list: as a dot it would stretch the scale)."""
    dated = [(PartialDate.from_iso(r.date), r) for r in rows]
    dated = [(d, r) for d, r in dated if d.precision == "day"]
    spans = [
        (e.start, e.end or e.start, e.title)
        for e in story.events
        if e.start and e.start.precision == "day" and (e.end is None or e.end.precision == "day")
    ]
    days = [d.date for d, _ in dated] + [d.last_day() for d, _ in dated]
    days += [s.date for s, _, _ in spans] + [e.last_day() for _, e, _ in spans]
    if len(dated) < 2 or not days:
        return None
    first, last = min(days), max(days)
    total = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return round(_AXIS_LEFT + (_AXIS_RIGHT - _AXIS_LEFT) * (day - first).days / total, 1)

    points: list[Point] = []
    for date, row in dated:
        px = x(date.date)
        crowd = sum(1 for p in points if abs(p.x - px) < 14)
        points.append(
            Point(
                x=px,
                y=52 - 20 * (crowd % 3),
                anchor=row.anchor,
                title=f"{row.label}: {row.text[:140]}",
                carriers=len(row.cites),
            )
        )
    bars = tuple(
        Bar(x1=x(s.date), x2=max(x(e.last_day()), x(s.date) + 8), y=2 + 9 * (n % 2), title=t)
        for n, (s, e, t) in enumerate(spans)
    )
    label = (
        f"{len(points)} dated entries from {points[0].title.split(':')[0]} to "
        + (points[-1].title.split(":")[0])
    )
    return Axis(
        width=_AXIS_WIDTH,
        height=108,
        ticks=tuple(Tick(x=x(d), label=lbl) for d, lbl in _ticks(first, last)),
        points=tuple(points),
        bars=bars,
        label=label,
    )


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    days = (last - first).days
    if days <= 70:
        step = max(1, days // 5)
        return [
            (first + dt.timedelta(days=d), _short(first + dt.timedelta(days=d)))
            for d in range(0, days + 1, step)
        ]
    if days <= 3 * 365:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        step = max(1, -(-months // 5))
        out = []
        for k in range(0, months, step):
            y, m = divmod(first.month - 1 + k, 12)
            day = dt.date(first.year + y, m + 1, 1)
            if first <= day <= last:
                out.append((day, day.strftime("%b %Y")))
        return out
    step = max(1, -(-(last.year - first.year + 1) // 6))
    years = range(first.year + (first.month > 1), last.year + 1, step)
    return [(dt.date(y, 1, 1), str(y)) for y in years]


def _short(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _event_row(event: Event, cite: _Citer) -> EventRow:
    first = cite.first(event.article_ids)
    when = ""
    if event.start:
        when = date_label(event.start)
        if event.end and event.end != event.start:
            when += f" – {date_label(event.end)}"
    return EventRow(
        title=event.title,
        when=when,
        outlets=cite.outlets(event.article_ids),
        articles=len(event.article_ids),
        first_outlet=(first.outlet or "unknown outlet") if first else "",
    )


def _claim_row(claim: Claim, cite: _Citer) -> ClaimRow:
    return ClaimRow(
        label=_claim_label(claim),
        subject=claim.subject,
        attribute=claim.attribute,
        kind=claim.kind,
        status=claim.status,
        status_label=_STATUS_LABELS[claim.status],
        values=tuple(
            ValueRow(
                value=v.value,
                as_of=date_label(v.as_of) if v.as_of else None,
                outlets=cite.outlets(v.article_ids),
                cites=cite(v.evidence[:CITES_SHOWN]),
            )
            for v in claim.values[:VALUES_SHOWN]
        ),
        values_total=len(claim.values),
    )


def _claim_label(claim: Claim) -> str:
    """ "Dorian Pell's age", "Value", "People arrested", "Number of photos"."""
    if claim.kind == "tally":
        return "People " + claim.attribute.removeprefix("number ")
    if claim.kind in ("age", "role"):
        return f"{claim.subject}’s {claim.attribute}"
    return claim.attribute[:1].upper() + claim.attribute[1:]


def _quote_row(quote: Quote, cite: _Citer) -> QuoteRow:
    first = cite.by_id.get(quote.first_seen)
    return QuoteRow(
        text=quote.text,
        kind=quote.kind,
        cue=quote.cue,
        speaker=quote.speaker,
        speaker_entity=quote.speaker_entity,
        platform=quote.platform,
        first_outlet=(first.outlet or "unknown outlet") if first else "",
        first_date=date_label(first.published) if first and first.published else "",
        outlets=cite.outlets(quote.article_ids),
        cites=cite(quote.evidence[:CITES_SHOWN]),  # the carriers, by their source numbers
        carriers=len(quote.evidence),
    )


def _coverage(story: Story, members: Sequence[Article], cite: _Citer) -> tuple[OutletRow, ...]:
    by_outlet: dict[str, list[Article]] = {}
    for article in members:
        by_outlet.setdefault(article.outlet or "unknown outlet", []).append(article)
    firsts: dict[str, list[str]] = {name: [] for name in by_outlet}
    reporting: dict[PartialDate, list[str]] = {}  # which articles report something of a date
    for article in members:
        for sentence in date_sentences(article).sentences:
            for date in sentence.dates:
                reporting.setdefault(date, []).append(article.id)
    for entry in story.timeline:
        if entry.background:
            continue
        first = cite.first(reporting.get(entry.date, entry.article_ids))
        if first is not None:
            words = " ".join(entry.text.split()[:9])
            firsts[first.outlet or "unknown outlet"].append(f"{date_label(entry.date)}: {words} …")
    quote_firsts: dict[str, int] = dict.fromkeys(by_outlet, 0)
    carried: dict[str, int] = dict.fromkeys(by_outlet, 0)
    for quote in story.quotes:
        first = cite.by_id.get(quote.first_seen)
        if first is not None:
            quote_firsts[first.outlet or "unknown outlet"] += 1
        for name in cite.outlets(quote.article_ids):
            carried[name] += 1
    rows = []
    for name, own in by_outlet.items():
        dated = [a.published for a in own if a.published]
        rows.append(
            OutletRow(
                name=name,
                sources=tuple(cite.numbers[a.id] for a in own),
                first=date_label(min(dated, key=_day)) if dated else "undated",
                last=date_label(max(dated, key=_day)) if dated else "undated",
                reported_first=tuple(firsts[name]),
                quotes_first=quote_firsts[name],
                quotes_carried=carried[name],
            )
        )
    return tuple(rows)


def _people(story: Story, articles: Mapping[str, Article]) -> tuple[str, ...]:
    speakers = {q.speaker for q in story.quotes if q.speaker}
    return tuple(
        e.name
        for e in story.entities
        if e.type == "person" and trusted_type(e, articles, speakers) == "person"
    )[:6]


def _source(article: Article, numbers: Mapping[str, int]) -> Source:
    return Source(
        number=numbers[article.id],
        article_id=article.id,
        title=article.title or "(untitled)",
        outlet=article.outlet or "unknown outlet",
        published=article.published.iso() if article.published else None,
        published_label=date_label(article.published) if article.published else "undated",
        author=article.author,
        url=safe_url(article.url),
        copy_of=numbers.get(article.duplicate_of) if article.duplicate_of else None,
    )


# --- the stored page payload ----------------------------------------------------------

PAGE_VERSION = 1
"""The payload's shape; a stored payload of another version is recomputed, not read."""

_PAGE_FORMAT = "storyline.story_page"


def page_payload(story: Story, articles: Mapping[str, Article]) -> bytes:
    """The stored form of ``story_page(story, articles)``: UTF-8 JSON, read back by
    :func:`page_from_payload`.

    Computed when a story changes (the ingest stores it beside the story), so serving
    the page is a read and a template render: no article is decoded, no cited sentence
    looked for again.
    """
    document = {
        "format": _PAGE_FORMAT,
        "version": PAGE_VERSION,
        "page": _plain(story_page(story, articles)),
    }
    return dumps_bytes(document)


def page_from_payload(payload: bytes) -> StoryPage | None:
    """The page model stored as ``payload``; None when it is of another version or shape
    (made by another storyline: the caller computes the page instead)."""
    try:
        document = json.loads(payload)
        if (
            not isinstance(document, dict)
            or document.get("format") != _PAGE_FORMAT
            or document.get("version") != PAGE_VERSION
        ):
            return None
        page: StoryPage = _decoder(StoryPage)(document["page"])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return page


def _plain(value: Any) -> Any:
    """A page model as JSON data: dataclasses as objects, tuples as arrays."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function reading JSON data of type ``kind`` (a page dataclass, a tuple, a plain
    value or an optional one) back into it; raises TypeError on data of another shape."""
    if isinstance(kind, type) and hasattr(kind, "__dataclass_fields__"):
        hints = typing.get_type_hints(kind)
        parts = [(f.name, _decoder(hints[f.name])) for f in fields(kind)]

        def read_object(data: Any) -> Any:
            if not isinstance(data, dict):
                raise TypeError(f"{kind.__name__}: expected an object")
            return kind(**{name: read(data[name]) for name, read in parts})

        return read_object
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        item = _decoder(args[0])

        def read_tuple(data: Any) -> Any:
            if not isinstance(data, list):
                raise TypeError("expected an array")
            return tuple(item(v) for v in data)

        return read_tuple
    if origin in (types.UnionType, typing.Union):
        (inner,) = (a for a in args if a is not type(None))
        read_inner = _decoder(inner)
        return lambda data: None if data is None else read_inner(data)
    plain = (int, float) if kind is float else kind

    def read_plain(data: Any) -> Any:
        if not isinstance(data, plain) or (kind is not bool and isinstance(data, bool)):
            raise TypeError(f"expected {kind.__name__}")
        return data

    return read_plain
