"""The data model: plain, frozen, typed dataclasses shared by every stage.

Every fact a stage derives points back into an article's cleaned ``text`` through
``evidence: tuple[Span, ...]`` so that citations, "who said it first" and conflict
reports can always be checked against the source.

Serialization goes through :func:`to_dict` / :func:`from_dict`; the JSON they produce is
the output contract documented in ``docs/output.md`` and validated by
``storyline/schema/output.schema.json``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import re
import types
import typing
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal, TypeVar, get_args, get_origin

__all__ = [
    "OUTPUT_VERSION",
    "Annotations",
    "Article",
    "Claim",
    "ClaimValue",
    "DateNote",
    "Document",
    "Entity",
    "Event",
    "Mention",
    "PartialDate",
    "Quote",
    "QuoteMention",
    "Removed",
    "Result",
    "Skipped",
    "Span",
    "Story",
    "Summary",
    "SummarySentence",
    "TimeExpression",
    "TimelineEntry",
    "from_dict",
    "stable_id",
    "to_dict",
]

OUTPUT_VERSION = "1.1"

Precision = Literal["day", "month", "year"]
PublishedSource = Literal["given", "metadata", "inferred"]
ContentType = Literal["text", "html"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
ClaimStatus = Literal["agree", "conflict", "changed_over_time"]
ClaimKind = Literal["age", "amount", "count", "tally", "place", "role"]
QuoteKind = Literal["direct", "indirect", "mixed"]

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def stable_id(*parts: str) -> str:
    """A short, stable content hash of ``parts`` (16 hex characters)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A half-open character range ``[start, end)`` in one article's cleaned text."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end}) in {self.article_id}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PartialDate:
    """A calendar date known to a precision: the day, the month or only the year.

    ``date`` holds the first day of the known period (``2020-10-01`` for ``2020-10``).
    """

    date: dt.date
    precision: Precision = "day"

    def iso(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` according to ``precision``."""
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def last_day(self) -> dt.date:
        """The last day of the known period (``2020-10-31`` for ``2020-10``)."""
        if self.precision == "year":
            return dt.date(self.date.year, 12, 31)
        if self.precision == "month":  # no date arithmetic: 9999-12 has a last day too
            year, month = self.date.year, self.date.month
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return self.date

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        match = _ISO_PARTIAL.match(text.strip())
        if not match:
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        year, month, day = match.groups()
        if day is not None:
            return cls(date=dt.date(int(year), int(month), int(day)), precision="day")
        if month is not None:
            return cls(date=dt.date(int(year), int(month), 1), precision="month")
        return cls(date=dt.date(int(year), 1, 1), precision="year")

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One raw input record, as a reader found it, before cleaning.

    ``content`` is decoded text: plain text or HTML according to ``content_type``.
    The metadata fields hold what the input itself declared (``published`` is the raw
    string, parsed during cleaning).
    """

    source: str
    content: str
    content_type: ContentType
    id: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    group: str | None = None
    language: str | None = None
    summary_only: bool = False
    """The input carried only a summary of the article (a feed item without content)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Removed:
    """A piece of text that cleaning removed, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A temporal expression in an article with its TIMEX3-style normalised value."""

    text: str
    type: TimexType
    value: str
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A cleaned article: body text, metadata and what cleaning removed."""

    id: str
    source: str
    title: str | None
    text: str
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: PartialDate | None = None
    published_source: PublishedSource | None = None
    language: str | None = None
    group: str | None = None
    removed: tuple[Removed, ...] = ()
    duplicate_of: str | None = None
    syndicated_from: str | None = None
    dates: tuple[TimeExpression, ...] = ()
    summary_only: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An input (file, record or line) that could not become an article, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """A distinct happening inside a story."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A person, organisation, place, work or event, canonicalised within a story."""

    name: str
    type: str
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    mentions: int
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A statement (quoted, reported or both), merged across the articles that carry it.

    ``first_seen`` is the id of the earliest-published carrier; ``evidence[0]`` lies in it.
    ``evidence`` holds the content spans, ``cue_evidence`` the speech verbs ("said",
    "according to") and ``speaker_evidence`` the phrases naming the speaker, in every
    carrier. ``speaker_entity`` is the ``name`` of the story entity the speaker is.
    """

    text: str
    speaker: str | None
    article_ids: tuple[str, ...]
    first_seen: str
    evidence: tuple[Span, ...]
    platform: str | None = None
    kind: QuoteKind = "direct"
    cue: str | None = None
    speaker_entity: str | None = None
    speaker_evidence: tuple[Span, ...] = ()
    cue_evidence: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One dated happening of a story, merged across outlets."""

    date: PartialDate
    text: str
    article_ids: tuple[str, ...]
    evidence: tuple[Span, ...]
    background: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimValue:
    """One value that some articles state for a claim, as of a date."""

    value: str
    as_of: PartialDate | None
    article_ids: tuple[str, ...]
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A fact stated about a story's subject and whether the outlets agree on it.

    ``kind`` says what sort of fact it is: an ``age``, an ``amount`` of money, a ``count``
    of things, a ``tally`` of people an event touched (hurt, dead, arrested, evacuated),
    a ``place`` where something happened, or a person's ``role``.
    """

    subject: str
    attribute: str
    status: ClaimStatus
    values: tuple[ClaimValue, ...]
    kind: ClaimKind = "count"


@dataclass(frozen=True, slots=True, kw_only=True)
class DateNote:
    """The date a relative time expression in a summary sentence stands for.

    "yesterday" in an article of 2025-03-29 is noted as 2025-03-28; ``evidence`` is the
    expression's span in the article, inside the sentence's first span.
    """

    text: str
    date: PartialDate
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySentence:
    """One summary sentence and the spans it was built from.

    ``date`` is the date of the happening it reports (``None`` when nothing dates it);
    ``latest`` marks the sentence on the story's newest development; ``date_notes`` give
    the dates of the relative time expressions in it ("on Friday", "last month").
    """

    text: str
    article_ids: tuple[str, ...]
    evidence: tuple[Span, ...]
    date: PartialDate | None = None
    latest: bool = False
    date_notes: tuple[DateNote, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """A cited multi-document summary; ``empty_reason`` says why it has no sentences."""

    sentences: tuple[SummarySentence, ...] = ()
    empty_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Articles about one ongoing story and everything derived from them."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    events: tuple[Event, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    claims: tuple[Claim, ...] = ()
    summary: Summary | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A named-entity mention in one article (``label`` is the NER label, e.g. PERSON)."""

    text: str
    label: str
    evidence: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteMention:
    """A statement as found in one article, before merging across outlets.

    ``kind`` is ``direct`` (in quote marks), ``indirect`` (reported speech: "X said
    the plan had failed") or ``mixed`` (reported speech holding a quote: "X said the plan
    was 'a failure'"); ``evidence`` is the content, ``cue_evidence`` the speech verb.
    """

    text: str
    speaker: str | None
    evidence: tuple[Span, ...]
    speaker_evidence: tuple[Span, ...] = ()
    platform: str | None = None
    kind: QuoteKind = "direct"
    cue: str | None = None
    cue_evidence: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotations:
    """What the per-article language stages found in one article.

    Internal: not part of the output contract. Story stages merge annotations of the
    story's articles into ``Story.entities`` and ``Story.quotes``.
    """

    article_id: str
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """Everything a run produced: the output contract's top level."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()
    stories: tuple[Story, ...] = ()
    version: str = OUTPUT_VERSION


# --- serialization -----------------------------------------------------------------------

# Keys written by to_dict that are derived from other fields and ignored by from_dict.
_DERIVED_KEYS: dict[type, frozenset[str]] = {TimelineEntry: frozenset({"precision"})}

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """Turn a model object (or a tuple of them) into JSON-ready builtins.

    Dates become ISO strings at their precision; tuples become lists.
    """
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is PartialDate:
        return obj.iso()
    names = _field_names(kind)
    if names is not None:
        out = {name: to_dict(getattr(obj, name)) for name in names}
        if kind is TimelineEntry:
            out["precision"] = obj.date.precision
        return out
    if isinstance(obj, tuple | list):
        return [to_dict(item) for item in obj]
    return obj


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for other types), looked up once."""
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        names = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None
        _FIELD_NAMES[kind] = names
        return names


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a model object of type ``cls`` from :func:`to_dict` output.

    Raises:
        ValueError: when ``data`` does not have the shape of ``cls``.
    """
    try:
        return typing.cast(T, _decoder(typing.cast(Any, cls))(data))
    except (ValueError, TypeError, KeyError, AttributeError):
        # the fast decoder only says that something is wrong; say where
        return typing.cast(T, _decode(cls, data, cls.__name__))


Decoder = typing.Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """A decoder for ``tp`` built once: the checks of :func:`_decode`, no paths kept.

    Stored stories and annotations are decoded on every read, so this is a hot path;
    on bad data it raises, and :func:`from_dict` decodes again with :func:`_decode` for a
    message that says where.
    """
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        inner = _decoder(next(a for a in get_args(tp) if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        item = _decoder(get_args(tp)[0])

        def sequence(data: Any) -> Any:
            if not isinstance(data, list | tuple):
                raise ValueError("expected a list")
            return tuple([item(x) for x in data])

        return sequence
    if origin is Literal:
        allowed = frozenset(get_args(tp))

        def literal(data: Any) -> Any:
            if data not in allowed:
                raise ValueError("not an allowed value")
            return data

        return literal
    if tp is PartialDate:

        def partial_date(data: Any) -> Any:
            if not isinstance(data, str):
                raise ValueError("expected an ISO date string")
            return PartialDate.from_iso(data)

        return partial_date
    if isinstance(tp, type) and is_dataclass(tp):
        return _dataclass_decoder(tp)
    if tp in (str, int, bool):
        exact = tp

        def scalar(data: Any) -> Any:
            if type(data) is not exact:
                raise ValueError(f"expected {exact.__name__}")
            return data

        return scalar
    raise TypeError(f"cannot decode type {tp!r}")


def _dataclass_decoder(cls: type) -> Decoder:
    hints, known = _schema(cls)
    allowed = known | _DERIVED_KEYS.get(cls, frozenset())
    names = sorted(known)
    # resolved on first use: a dataclass may refer to itself or to one defined later
    decoders: dict[str, Decoder] = {}

    def decode(data: Any) -> Any:
        if type(data) is not dict:
            raise ValueError("expected an object")
        if not data.keys() <= allowed:
            raise ValueError("unknown keys")
        if not decoders:  # filled in one step, so another thread sees all or nothing
            decoders.update({name: _decoder(hints[name]) for name in names})
        return cls(**{name: decoders[name](data[name]) for name in names if name in data})

    return decode


def _decode(tp: Any, data: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return _decode(options[0], data, where)
    if origin is tuple:
        if not isinstance(data, list | tuple):
            raise ValueError(f"{where}: expected a list, got {type(data).__name__}")
        (item_type, _ellipsis) = get_args(tp)
        return tuple(_decode(item_type, item, f"{where}[{i}]") for i, item in enumerate(data))
    if origin is Literal:
        if data not in get_args(tp):
            raise ValueError(f"{where}: {data!r} is not one of {get_args(tp)}")
        return data
    if tp is PartialDate:
        if not isinstance(data, str):
            raise ValueError(f"{where}: expected an ISO date string, got {data!r}")
        return PartialDate.from_iso(data)
    if isinstance(tp, type) and is_dataclass(tp):
        return _decode_dataclass(tp, data, where)
    if tp in (str, int, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"{where}: expected {tp.__name__}, got {data!r}")
        return data
    raise TypeError(f"{where}: cannot decode type {tp!r}")  # a bug in the model, not the data


@functools.cache
def _schema(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """A dataclass's resolved field types and field names (resolving them is slow)."""
    return typing.get_type_hints(cls), frozenset(f.name for f in fields(cls))


def _decode_dataclass(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
    hints, known = _schema(cls)
    unknown = set(data) - known - _DERIVED_KEYS.get(cls, frozenset())
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    kwargs = {
        name: _decode(hints[name], data[name], f"{where}.{name}") for name in known if name in data
    }
    try:
        return cls(**kwargs)
    except TypeError as e:  # a required field is missing
        raise ValueError(f"{where}: {e}") from e
