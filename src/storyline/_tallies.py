"""Claim mentions beyond ages, money and counts: tallies, places and roles.

Used by :mod:`storyline.compare`; each finder yields ``(subject, attribute, value, number,
start, end)`` tuples over one sentence, offsets into it. Precision first:

- **Tallies**: people an event touched, in news wording: "two crew members hurt", "five
  treated", "three people were killed", "killed five", "arrested two men", "the death
  toll rose to 12". Classes: injured (hurt, injured, wounded, treated, hospitalised),
  dead (killed, dead, died), arrested (arrested, detained), evacuated (evacuated,
  displaced), rescued, missing. Subject ``people``, attribute ``number injured`` etc. A
  sentence naming a past year ("In 2015 three were killed") is history and is skipped.
- **Places**: where something was done, after a verb of a fixed list: "arrested in
  Larkspur", "found at Orchard Line Road", "crashed near Gull Point". Subject the verb's
  happening (``arrest``), attribute ``place of arrest``.
- **Roles**: a person's job, from "Tobias Wren, the museum's executive director" and
  "Police Chief Harlan Voss"; the value is the role's head word from a closed list of
  titles ("director", "curator", "mayor"), so "executive director" and "director" agree
  and informal words ("boss", "head", "official") are no role at all.

Limits: English wording; a tally stated without a number ("dozens were hurt") is not seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

__all__ = ["Found", "places", "roles", "tallies"]

Found = tuple[str, str, str, float, int, int]

_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12, "dozen": 12}
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,5}|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")"
)
_CLASSES = {
    "injured": "hurt injured wounded treated hospitalised hospitalized",
    "dead": "killed dead died",
    "arrested": "arrested detained",
    "evacuated": "evacuated displaced",
    "rescued": "rescued",
    "missing": "missing",
}
_VERB_CLASS = {verb: name for name, verbs in _CLASSES.items() for verb in verbs.split()}
_VERBS = "|".join(sorted(_VERB_CLASS, key=len, reverse=True))
_PEOPLE = (
    r"(?:people|persons|men|women|children|passengers|crew|crew\s+members|workers|residents"
    r"|officers|firefighters|students|pupils|visitors|fans|staff|soldiers|civilians|guests"
    r"|suspects|others|adults|teenagers|boys|girls|employees|miners|climbers|hikers|patients)"
)
_NUMBER_FIRST = re.compile(
    rf"\b(?P<num>{_NUM})\s+(?:(?:[a-z-]+\s+){{0,2}}?{_PEOPLE}\s+)?"
    r"(?:(?:were|was|had\s+been|have\s+been|has\s+been|are|is)\s+)?(?:also\s+|later\s+)?"
    rf"(?P<verb>{_VERBS})\b",
    re.IGNORECASE,
)
_VERB_FIRST = re.compile(
    rf"\b(?P<verb>killed|killing|injured|injuring|wounded|wounding|arrested|detained"
    rf"|evacuated|rescued)\s+(?:at\s+least\s+|about\s+|some\s+)?(?P<num>{_NUM})"
    rf"(?:\s+(?:[a-z-]+\s+){{0,2}}?{_PEOPLE})?\b",
    re.IGNORECASE,
)
_TOLL = re.compile(
    rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of)\s+(?P<num>{_NUM})\b", re.IGNORECASE
)
_PAST_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_NOT_PEOPLE_AFTER = re.compile(r"\s*(?:%|percent|per\s+cent|years?|days?|hours?|-)", re.I)

_PLACE_VERBS = {
    "arrest": "arrested detained",
    "discovery": "found discovered recovered located",
    "crash": "crashed collided",
    "fire": "broke out",
    "birth": "born",
}
_PLACE = re.compile(
    r"\b(?P<verb>arrested|detained|found|discovered|recovered|located|crashed|collided|born)"
    r"\s+(?:\w+\s+){0,3}?(?P<prep>in|at|near)\s+(?P<place>(?:the\s+)?[A-Z][\w'’-]+"
    r"(?:\s+(?:of\s+)?[A-Z][\w'’-]+){0,3})"
)
_PLACE_NAME_EXCLUDED = frozenset(
    """January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An His Her Their""".split()
)

_ROLE_TITLES = frozenset(
    """director curator mayor chief sergeant detective judge prosecutor lawyer attorney
    spokesman spokeswoman spokesperson coach captain president chairman chairwoman chair
    treasurer secretary manager owner founder governor senator minister officer
    superintendent inspector professor teacher principal custodian conservator historian
    producer goalie forward defender midfielder striker commissioner councillor councilor
    sheriff constable trustee administrator archivist librarian editor""".split()
)
_SAME_ROLE = {"spokeswoman": "spokesman", "spokesperson": "spokesman", "chairwoman": "chairman",
              "chair": "chairman", "councilor": "councillor", "sergeant": "detective"}  # fmt: skip
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?){1,2}"
_APPOSITIVE = re.compile(
    rf"\b(?P<name>{_NAME}),\s+(?:the|a|an)\s+(?P<role>(?:[\w'’-]+\s+){{0,4}}?[a-z]+)(?=[,.;)]|\s+(?:of|at|for|who)\b)"
)
_TITLE_BEFORE = re.compile(rf"(?=\b(?P<role>[A-Za-z]+)\.?\s+(?P<name>{_NAME})\b)")


def tallies(sentence: str) -> Iterator[Found]:
    """People an event touched: "two crew members hurt", "killed five", "toll rose to 12"."""
    if _PAST_YEAR.search(sentence):
        return  # "in 2015 three were killed": history, not this story's count
    seen: set[int] = set()
    for pattern in (_NUMBER_FIRST, _VERB_FIRST, _TOLL):
        for m in pattern.finditer(sentence):
            if m.start("num") in seen:
                continue
            count = _number(m["num"])
            if count is None or not 0 < count <= 100_000:
                continue
            if _NOT_PEOPLE_AFTER.match(sentence, m.end("num")):
                continue  # "5% were hurt", "two-year", "three days"
            verb = m.groupdict().get("verb")
            name = _VERB_CLASS.get(_base(verb.lower())) if verb else "dead"
            if name is None:
                continue
            seen.add(m.start("num"))
            yield "people", f"number {name}", str(int(count)), count, m.start(), m.end()


def places(sentence: str) -> Iterator[Found]:
    """Where something was done: "arrested in Larkspur", "found at Orchard Line Road"."""
    for m in _PLACE.finditer(sentence):
        place = m["place"]
        if place.split()[0] in _PLACE_NAME_EXCLUDED and not place.startswith("the "):
            continue
        place = place.removeprefix("the ")
        if place.split()[0] in _PLACE_NAME_EXCLUDED:
            continue
        happening = next(k for k, v in _PLACE_VERBS.items() if m["verb"] in v.split())
        yield happening, f"place of {happening}", place, 0.0, m.start("place"), m.end("place")


def roles(sentence: str, names: Mapping[str, str]) -> Iterator[Found]:
    """A person's role from an appositive or a title before the name."""
    for m in _APPOSITIVE.finditer(sentence):
        head = _role_head(m["role"].split()[-1])
        words = m["name"].split()
        if _role_head(words[0]) is not None:  # "Director Tobias Wren, the curator"
            words = words[1:]
        if head is not None and len(words) >= 2:
            name = names.get(" ".join(words), " ".join(words))
            yield name, "role", head, 0.0, m.start("role"), m.end("role")
    for m in _TITLE_BEFORE.finditer(sentence):
        head = _role_head(m["role"])
        if head is not None:
            name = names.get(m["name"], m["name"])
            yield name, "role", head, 0.0, m.start("role"), m.end("role")


def _role_head(word: str) -> str | None:
    word = {"sgt": "sergeant", "det": "detective"}.get(word.lower(), word.lower())
    if word not in _ROLE_TITLES:
        return None
    return _SAME_ROLE.get(word, word)


def _base(verb: str) -> str:
    """ "killing" -> "killed": the participle the classes list."""
    return {"killing": "killed", "injuring": "injured", "wounding": "wounded"}.get(verb, verb)


def _number(text: str) -> float | None:
    word = " ".join(text.lower().split())
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    digits = word.replace(",", "")
    return float(digits) if digits.isdigit() else None
