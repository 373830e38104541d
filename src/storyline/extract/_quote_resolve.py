"""Resolve a speaker phrase to a name: the person in focus, with gender and number.

Method (:meth:`Resolver.resolve`):

1. A PERSON mention inside the phrase becomes the fullest form of that name in the
   article ("Teigen" → "Chrissy Teigen"); an organisation or place mention inside it
   stays as named ("the Harbour Clinic said").
2. A pronoun or a definite description of one person ("the singer", "the 44-year-old",
   "the company's chief executive") becomes the person in focus: the subject of the
   sentence naming the nearest agreeing person before it (a name opening its sentence,
   after at most an opening phrase), else the last person quoted, else the most
   mentioned person. Gender must agree: learnt from the article ("his", "Mrs.", "her
   husband, X") and, for a description, from its own sentence ("the author shared her
   post"). "they" and "we" never resolve to one person.
3. Anonymous or possessive descriptions ("a source", "his rep") stay as written.

Limits: gender is learnt from the article only; role nouns are not checked against what
the article says about the person.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.extract._quote_marks import QuoteSpan
from storyline.extract._quote_speaker import SOCIAL_NETWORKS

__all__ = ["MEDIA_WORDS", "NamedSpan", "Resolver"]

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
_PLURAL = frozenset({"they", "them", "we"})
_OPENERS = frozenset(
    "in on at during after before when while since as with without for from by under amid "
    "despite following earlier later last this".split()
)
_AGE = re.compile(r"\d+-year-old")
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
    "man": "m",
    "actor": "m",
    "businessman": "m",
    "chairman": "m",
    "spokesman": "m",
    "congressman": "m",
    "woman": "f",
    "actress": "f",
    "businesswoman": "f",
    "chairwoman": "f",
    "spokeswoman": "f",
    "congresswoman": "f",
}
_RECENT = 400
_NAME_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})


@dataclass(frozen=True, slots=True)
class NamedSpan:
    """A named-entity mention: ``text[start:end]`` with its NER ``label``."""

    start: int
    end: int
    label: str


class Resolver:
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
        self._canonical: dict[str, str] = {}
        self._people_names: set[str] | None = None
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
        if speaker is not None and evidence and self.is_person(speaker):
            bisect.insort(self.history, (at, speaker, evidence[-1]))

    def resolve_noted(self, start: int, end: int) -> tuple[str | None, tuple[tuple[int, int], ...]]:
        """:meth:`resolve`, remembering a person found as a speaker for later pronouns."""
        speaker, evidence = self.resolve(start, end)
        self.note(speaker, start, evidence)
        return speaker, evidence

    def resolve(self, start: int, end: int) -> tuple[str | None, tuple[tuple[int, int], ...]]:
        phrase = self.text[start:end]
        words = phrase.lower().split()
        here = ((start, end),)
        person = next((n for n in self.people if n.start >= start and n.end <= end), None)
        if person is not None:
            return self.canonical(self.text[person.start : person.end]), here
        if len(words) == 1 and phrase[:1].isupper() and self.canonical(phrase) != phrase:
            return self.canonical(phrase), here
        role = _is_role(words) and not phrase.split()[-1][:1].isupper()  # not "the Harbour Clinic"
        if (len(words) == 1 and words[0] in _PRONOUNS) or role:
            if words[0] in _PLURAL:
                return phrase, here  # number: "they" is never one person
            gender = _GENDER_OF.get(words[0]) or _GENDER_OF.get(words[-1])
            if gender is None and len(words) > 1:
                gender = self._gender_after(end)
            antecedent = self._antecedent(start, people=words[-1] not in MEDIA_WORDS, gender=gender)
            if antecedent is None:
                return phrase, here
            return antecedent[0], (*here, antecedent[1])
        other = next(
            (n for n in self.names if n.start < end and n.end > start and n.label in _NAME_LABELS),
            None,
        )
        if other is not None:  # an organisation speaking, "the Harbour Clinic said"
            return self.text[other.start : other.end], here
        if len(words) <= 3 and all(w[:1].isupper() for w in phrase.split()):
            return self.canonical(phrase), here
        return phrase, here

    def _gender_after(self, end: int) -> str | None:
        """The gender a description's own sentence gives it: "the author shared her post"."""
        stop = _SENTENCE_STOP.search(self.text, end, min(end + 160, len(self.text)))
        found = _GENDERED.search(self.text, end, stop.start() if stop else end + 160)
        return _GENDER_OF[found.group(1).lower()] if found else None

    def canonical(self, name: str) -> str:
        found = self._canonical.get(name)
        if found is None:
            tokens = name.split()
            found = name
            if len(tokens) < 2:
                found = next((form for form in self.full if tokens[0] in form.split()), name)
            self._canonical[name] = found
        return found

    def _recent(self, at: int, gender: str | None) -> tuple[str, tuple[int, int]] | None:
        """The subject of the sentence naming the agreeing person nearest before ``at``.

        Only a person in subject position (opening the sentence, after at most an
        opening phrase) is in focus: "It took her years before she had her daughter,
        Luna" puts Luna in focus for no later "she".
        """
        for person in reversed(self.people):
            if person.end > at:
                continue
            if person.end < at - _RECENT:
                return None
            if any(s <= person.start < e for s, e in self.inside):
                continue
            name = self.canonical(self.text[person.start : person.end])
            if self._agrees(name, gender):
                return self._subject_of_sentence(person, gender)
        return None

    def _subject_of_sentence(
        self, person: NamedSpan, gender: str | None
    ) -> tuple[str, tuple[int, int]] | None:
        """The first agreeing person named in ``person``'s sentence, if it is its subject."""
        start = max(self.text.rfind(". ", 0, person.start), self.text.rfind("\n", 0, person.start))
        start += 1
        for other in self.people:
            if other.start > start and other.start <= person.start:
                name = self.canonical(self.text[other.start : other.end])
                if self._agrees(name, gender) and not any(
                    s <= other.start < e for s, e in self.inside
                ):
                    if not _subject_position(self.text[start : other.start]):
                        return None
                    return name, (other.start, other.end)
        return None

    def _agrees(self, name: str, gender: str | None) -> bool:
        return gender is None or self.gender.get(name, gender) == gender

    def is_person(self, speaker: str | None) -> bool:
        """Whether ``speaker`` is (the fullest form of) a person named in the article."""
        if self._people_names is None:  # canonical forms never change: found once
            self._people_names = {self.canonical(self.text[p.start : p.end]) for p in self.people}
        return speaker is not None and speaker in self._people_names

    def last_speaker(self, at: int) -> tuple[str, tuple[tuple[int, int], ...]] | None:
        """The last person noted as a speaker before ``at``, with the span naming them."""
        earlier = [entry for entry in self.history if entry[0] < at]
        return (earlier[-1][1], (earlier[-1][2],)) if earlier else None

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
    """``the singer``, ``the company's chief executive``, ``the 44-year-old``: a definite
    description of one person (singular: not ``the officials``)."""
    head = words[-1] if words else ""
    return (
        2 <= len(words) <= 5
        and words[0] == "the"
        and (head.isalpha() or _AGE.fullmatch(head) is not None)
        and head not in _ANONYMOUS
        and (not head.endswith("s") or head.endswith("ss"))
    )


def _subject_position(before: str) -> bool:
    """Whether a name after ``before`` (its sentence so far) is the sentence's subject:
    at most three words before it, or an opening phrase ("In the photo, which you can see
    below,") and then at most three."""
    if len(before.split()) <= 3:
        return True
    opening = before.partition(", ")[0].split()
    last = before.rsplit(", ", 1)[-1].split()
    return bool(opening) and opening[0].lower() in _OPENERS and len(opening) <= 8 and len(last) <= 3
