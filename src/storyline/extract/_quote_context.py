"""Turn quote spans into quote mentions: attribute, inherit, filter and resolve speakers.

Method:

1. Each quote gets the speaker phrase its own sentence names (``_quote_speaker``).
2. A quote without one inherits, in order: from the attributed quote it continues (a quote
   run over paragraphs, or ``"…," she continued, "…"`` in one paragraph); from a colon
   frame ending the previous paragraph (``He said:``); else it stays unattributed.
3. Unattributed quotes shorter than ``min_words`` words, or written in title case
   (song and show titles), are dropped as scare quotes or titles; so are short title-case
   passages after "on", "of" or a possessive (``on CBS's "Face the Nation,"``) and
   title-case paragraphs in quote marks without a frame (subheadings).
4. Speaker phrases resolve to a name: a PERSON mention inside the phrase becomes the
   fullest form of that name in the article ("Teigen" → "Chrissy Teigen"); a pronoun or
   "the" + role noun ("the singer") becomes the last named speaker of the two paragraphs
   before, else the nearest earlier PERSON named outside quotes; an organisation stays as
   named; anonymous or possessive descriptions ("a source", "his rep") stay as written.

Limits: no gender or number agreement in pronoun resolution; role nouns are not checked
against what the article says about the person.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from storyline.extract._quote_marks import QuoteSpan, find_quote_spans
from storyline.extract._quote_speaker import (
    QUOTE_MARKS,
    SOCIAL_NETWORKS,
    Attribution,
    attribute,
    platform_in,
)
from storyline.model import QuoteMention, Span

__all__ = ["NamedSpan", "quote_mentions"]

_PRONOUNS = frozenset({"he", "she", "they", "him", "her"})
_ANONYMOUS = frozenset(
    [
        "source",
        "sources",
        "official",
        "officials",
        "insider",
        "insiders",
        "person",
        "people",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "rep",
        "reps",
        "representative",
        "representatives",
        "statement",
        "report",
        "aide",
        "aides",
        "witness",
        "witnesses",
        "friend",
        "friends",
        "insider",
    ]
)
MEDIA_WORDS = frozenset(  # what a quote appears in: never a person
    [
        "post",
        "posts",
        "statement",
        "tweet",
        "caption",
        "message",
        "video",
        "article",
        "letter",
        "essay",
        "note",
        "page",
        "account",
        "website",
        "report",
        "study",
        "book",
        "paper",
        "interview",
        "memo",
        "email",
        "release",
    ]
)
_GENDERED = re.compile(r"\b(he|him|his|she|her|hers)\b", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.!?\n\"\u201c\u201d]")
_TITLE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|husband|wife|son|daughter|brother|sister|father|mother)[.,]?\s*$"
)
_GENDER_OF = {
    "he": "m",
    "him": "m",
    "his": "m",
    "mr": "m",
    "husband": "m",
    "son": "m",
    "brother": "m",
    "father": "m",
    "she": "f",
    "wife": "f",
    "daughter": "f",
    "sister": "f",
    "mother": "f",
    "her": "f",
    "hers": "f",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
}
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
_RECENT = 400
_PLATFORM_REACH = 2000  # characters before a quote searched for the platform it was said on
_TITLE_SMALL = frozenset(
    ["a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "at", "by", "with", "is", "my"]
)
_NAME_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})


@dataclass(frozen=True, slots=True)
class NamedSpan:
    """A named-entity mention: ``text[start:end]`` with its NER ``label``."""

    start: int
    end: int
    label: str


@dataclass(slots=True)
class _Found:
    span: QuoteSpan
    attribution: Attribution | None
    inherited_from: int = -1


def quote_mentions(
    text: str, names: Sequence[NamedSpan], *, article_id: str, min_words: int
) -> tuple[QuoteMention, ...]:
    """The direct quotes of one article, each with its resolved speaker.

    Args:
        text: the article's cleaned text.
        names: its named-entity mentions, in text order.
        article_id: written into every evidence span.
        min_words: unattributed quotes shorter than this are dropped.
    """
    spans = find_quote_spans(text)
    found = [_Found(span, _attribute(text, spans, i)) for i, span in enumerate(spans)]
    _inherit(text, found)
    kept = [i for i, f in enumerate(found) if _is_quote(text, f, min_words=min_words)]
    resolver = _Resolver(text, names, spans)
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
    return tuple(out)


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


class _Resolver:
    """Speaker phrases to names, with the article's name forms and quote history."""

    def __init__(self, text: str, names: Sequence[NamedSpan], spans: Sequence[QuoteSpan]):
        self.text = text
        self.names = list(names)
        self.inside = [(s.start, s.end) for s in spans]
        self.people = [
            n
            for n in self.names
            if n.label == "PERSON" and text[n.start : n.end] not in SOCIAL_NETWORKS
        ]
        counts = Counter(text[n.start : n.end] for n in self.people)
        self.full = sorted(
            (form for form in counts if len(form.split()) >= 2),
            key=lambda form: (-counts[form], -len(form)),
        )
        self.history: list[tuple[int, str, tuple[int, int]]] = []
        self.gender = self._genders()

    def _genders(self) -> dict[str, str]:
        """Each person's gender as the pronoun after their mentions suggests (votes)."""
        votes: dict[str, Counter[str]] = {}
        for i, person in enumerate(self.people):
            stop = min(person.end + 120, len(self.text))
            sentence = _SENTENCE_STOP.search(self.text, person.end, stop)
            if sentence is not None:
                stop = sentence.start()
            if i + 1 < len(self.people):
                stop = min(stop, self.people[i + 1].start)
            name = self.canonical(self.text[person.start : person.end])
            title = _TITLE.search(self.text, max(0, person.start - 12), person.start)
            pronoun = _GENDERED.search(self.text, person.end, stop)
            for found in (title, pronoun):
                if found is not None:
                    gender = _GENDER_OF[found.group(1).lower().rstrip(".")]
                    votes.setdefault(name, Counter())[gender] += 1
        return {
            name: gender
            for name, count in votes.items()
            for gender, n in count.most_common(1)
            if n * 3 >= 2 * count.total()
        }

    def note(self, speaker: str | None, at: int, evidence: tuple[tuple[int, int], ...]) -> None:
        if speaker is not None and evidence and self._is_person(speaker):
            self.history.append((at, speaker, evidence[-1]))

    def resolve(self, start: int, end: int) -> tuple[str | None, tuple[tuple[int, int], ...]]:
        phrase = self.text[start:end]
        words = phrase.lower().split()
        here = ((start, end),)
        person = next((n for n in self.people if n.start >= start and n.end <= end), None)
        if person is not None:
            return self.canonical(self.text[person.start : person.end]), here
        if len(words) == 1 and phrase[:1].isupper() and self.canonical(phrase) != phrase:
            return self.canonical(phrase), here
        if (len(words) == 1 and words[0] in _PRONOUNS) or _is_role(words):
            antecedent = self._antecedent(
                start, people=words[-1] not in MEDIA_WORDS, gender=_GENDER_OF.get(words[0])
            )
            if antecedent is None:
                return phrase, here
            return antecedent[0], (*here, antecedent[1])
        other = next((n for n in self.names if n.start <= start and n.end >= end), None)
        if other is not None and other.label in _NAME_LABELS:
            return self.text[other.start : other.end], here
        if len(words) <= 3 and all(w[:1].isupper() for w in phrase.split()):
            return self.canonical(phrase), here
        return phrase, here

    def canonical(self, name: str) -> str:
        tokens = name.split()
        if len(tokens) >= 2:
            return name
        return next((form for form in self.full if tokens[0] in form.split()), name)

    def _recent(self, at: int, gender: str | None) -> tuple[str, tuple[int, int]] | None:
        for person in reversed(self.people):
            if person.end > at:
                continue
            if person.end < at - _RECENT:
                return None
            if any(s <= person.start < e for s, e in self.inside):
                continue
            name = self.canonical(self.text[person.start : person.end])
            if self._agrees(name, gender):
                return self._subject_of_sentence(person, gender) or (
                    name,
                    (person.start, person.end),
                )
        return None

    def _subject_of_sentence(
        self, person: NamedSpan, gender: str | None
    ) -> tuple[str, tuple[int, int]] | None:
        """The first agreeing person named in ``person``'s sentence (its likely subject)."""
        start = max(self.text.rfind(". ", 0, person.start), self.text.rfind("\n", 0, person.start))
        for other in self.people:
            if other.start > start and other.start <= person.start:
                name = self.canonical(self.text[other.start : other.end])
                if self._agrees(name, gender) and not any(
                    s <= other.start < e for s, e in self.inside
                ):
                    return name, (other.start, other.end)
        return None

    def _agrees(self, name: str, gender: str | None) -> bool:
        return gender is None or self.gender.get(name, gender) == gender

    def _is_person(self, speaker: str) -> bool:
        return any(speaker == self.canonical(self.text[p.start : p.end]) for p in self.people)

    def _antecedent(
        self, at: int, *, people: bool, gender: str | None
    ) -> tuple[str, tuple[int, int]] | None:
        """Who a pronoun or description at ``at`` refers to.

        The person named most recently (outside quotes, within ``_RECENT`` characters)
        when named after the last speaker; else the last named speaker; else the most
        mentioned person so far. Candidates whose known gender differs are passed over.
        """
        spoken = next(
            (
                (speaker, span)
                for spoken_at, speaker, span in reversed(self.history)
                if spoken_at < at and self._agrees(speaker, gender)
            ),
            None,
        )
        if people:
            recent = self._recent(at, gender)
            if recent is not None and (spoken is None or recent[1][0] > spoken[1][1]):
                return recent
        if spoken is not None or not people:
            return spoken
        counts: Counter[str] = Counter()
        last: dict[str, tuple[int, int]] = {}
        for person in self.people:
            if person.end > at:
                break
            if any(s <= person.start < e for s, e in self.inside):
                continue
            name = self.canonical(self.text[person.start : person.end])
            if not self._agrees(name, gender):
                continue
            counts[name] += 1
            last[name] = (person.start, person.end)
        if not counts:
            return None
        best = max(counts, key=lambda name: (counts[name], last[name][0]))
        return best, last[best]


def _is_role(words: list[str]) -> bool:
    """``the singer``, ``the former president``: a definite description of one person."""
    return (
        2 <= len(words) <= 3
        and words[0] == "the"
        and words[-1].isalpha()
        and words[-1] not in _ANONYMOUS
        and not words[-1].endswith("s")
    )
