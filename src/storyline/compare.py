"""Compare: what outlets state about a story, and where they agree or conflict.

``compare(story, articles, settings) -> tuple[Claim, ...]`` is a story stage. It requires
the story's cleaned articles with ``published`` (given or inferred) and assigns
``Story.claims``. Precision first: a conflict is reported only when the values are
clearly about the same thing and time cannot explain them. Method:

1. Mentions, in every sentence of the story's articles (copies that repeat an original
   are skipped):

   - ages: "Teigen, 34,", "Luna, four, and", "the 41-year-old Ruth Alvarez", with the
     person's short name mapped to the fullest form the story uses ("Chrissy" → "Chrissy
     Teigen");
   - amounts of money: "$2.1 million", keyed by the word that says what they measure
     (value/worth/haul, reward, raised/fund, cost/budget, bail/fine) nearest to them;
   - counts: "five black and white photos", "14 instruments" (a number, up to three
     modifiers, a plural noun), keyed by the noun;
   - tallies, places and roles (:mod:`storyline._tallies`): people an event touched
     ("two crew members hurt", "five treated", "killed three"), where something was done
     ("arrested in Larkspur"), a person's title ("Tobias Wren, the museum's executive
     director", "Police Chief Harlan Voss").

2. Values are grouped per subject and attribute; each value keeps its articles, the
   earliest publication date among them (``as_of``) and the spans that state it.

3. Status. Ages: each age and publication year imply a two-year range of birth years; if
   all ranges meet, the values ``agree`` (one age) or ``changed_over_time`` (an age a year
   apart in articles a year apart), else ``conflict``. Amounts and counts: one value is
   ``agree``; different values that move one way as publication dates advance, each date
   with one value, are ``changed_over_time`` (a fund that grows, a toll that rises: "two
   hurt" then "five treated"); anything else is a ``conflict``. Counts and places are
   compared only between sentences that share context (content words other than the
   noun), so "two people injured" never meets "five people arrested". Places and roles
   do not change with time: two values conflict, unless one article states both (a
   director who is also curator).

Each claim has a ``kind``: ``age``, ``amount``, ``count``, ``tally``, ``place`` or
``role``. Kept: conflicts and changes over time, and agreement on ages, amounts, tallies
and places stated by two or more articles (counts and roles everyone agrees on are not
news); conflicts first, at most ``compare.max_claims``. Limits: English patterns; a value
stated in a headline only is not seen (headlines are not text).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from storyline._story_text import sentence_spans
from storyline._tallies import Found, places, roles, tallies
from storyline.model import (
    Article,
    Claim,
    ClaimKind,
    ClaimStatus,
    ClaimValue,
    PartialDate,
    Span,
    Story,
)
from storyline.settings import CompareSettings

__all__ = ["compare"]

_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_MAX_GROUPED = 300  # mentions of one count grouped by context
_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,2}}"
_AGE_PATTERNS = (
    re.compile(rf"\b(?P<name>{_NAME}),\s+(?P<age>{_NUM})(?=,|\.|\)|\s+and\b|\s+through\b)"),
    re.compile(rf"\b(?P<age>\d{{1,3}})-year-old\s+(?:\w+\s+){{0,2}}?(?P<name>{_NAME})\b"),
    re.compile(rf"\b(?P<name>{_NAME}),\s+(?:a|the|now)\s+(?P<age>\d{{1,3}})-year-old\b"),
)
_NOT_NAMES = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Sept Jan Feb Mar Apr Jun Jul Aug "
    "Oct Nov Dec In On At By For From And But The This That Since After Before Until About "
    "Page Chapter Number Room Route Highway Article Section Episode Season Level Grade".split()
)
_MONEY = re.compile(
    r"(?P<text>\$\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand|m|bn|k)\b)?)",
    re.IGNORECASE,
)
_SCALE = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "k": 1e3}
_MONEY_KINDS = {
    "value": "value worth valued haul estimated estimate insured priced appraised".split(),
    "reward": "reward rewards bounty".split(),
    "amount raised": (
        "raised fund fundraiser fundraising donations donated collected pledged".split()
    ),
    "cost": "cost costs budget spent spend spending bill repairs price".split(),
    "bail or fine": "bail fine fined settlement damages compensation".split(),
}
_MONEY_WORD = {word: kind for kind, words in _MONEY_KINDS.items() for word in words}
_COUNT = re.compile(
    rf"\b(?P<num>{_NUM})\s+(?P<mods>(?:[a-z][a-z-]*\s+){{0,3}}?)(?P<noun>[a-z]{{3,}}s)\b"
)
_NON_COUNT_NOUNS = frozenset(
    "years months weeks days hours minutes seconds decades centuries times percent miles "
    "kilometres "
    "kilometers feet inches metres meters pounds dollars euros cents degrees".split()
)
_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset(
    "the and for with from that this was were had has have are but not his her their its "
    "they she him them who which when what where after before about into over than then "
    "said says also been being one two all out more most some such".split()
)


@dataclass(frozen=True, slots=True)
class _Mention:
    subject: str
    attribute: str
    value: str
    number: float
    article: Article
    span: Span
    context: frozenset[str]


def compare(
    story: Story, articles: Mapping[str, Article], settings: CompareSettings
) -> tuple[Claim, ...]:
    """The story's cross-source claims (see the module docstring for the method)."""
    members = [articles[i] for i in story.article_ids if i in articles]
    originals = [a for a in members if a.duplicate_of is None]
    names = _full_names(originals)
    groups: dict[tuple[str, str], list[_Mention]] = defaultdict(list)
    for article in originals:
        for mention in _mentions(article, names):
            groups[(mention.subject, mention.attribute)].append(mention)
    claims = [
        claim
        for (subject, attribute), mentions in groups.items()
        for claim in _claims(subject, attribute, mentions, settings)
    ]
    claims.sort(key=_rank)
    return tuple(claims[: settings.max_claims])


# --- mentions ----------------------------------------------------------------------------


def _mentions(article: Article, names: Mapping[str, str]) -> Iterator[_Mention]:
    text = article.text
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        found = [
            *_ages(sentence, names),
            *_money(sentence),
            *_counts(sentence),
            *tallies(sentence),
            *places(sentence),
            *roles(sentence, names),
        ]
        if not found:
            continue  # most sentences: no need for their context words
        context = frozenset(_WORD.findall(sentence.lower())) - _STOP
        for each in found:
            yield _mention(article, start, each, context)


_Found = Found  # subject, attribute, value, number, start, end


def _mention(article: Article, offset: int, found: _Found, context: frozenset[str]) -> _Mention:
    subject, attribute, value, number, start, end = found
    span = Span(article_id=article.id, start=offset + start, end=offset + end)
    return _Mention(
        subject=subject,
        attribute=attribute,
        value=value,
        number=number,
        article=article,
        span=span,
        context=context - {attribute.split()[-1]},
    )


def _ages(sentence: str, names: Mapping[str, str]) -> Iterator[_Found]:
    seen: set[int] = set()
    # every pattern needs a comma or "-year-old": most sentences have neither
    if "," not in sentence and "-year-old" not in sentence:
        return
    for pattern in _AGE_PATTERNS:
        for m in pattern.finditer(sentence):
            name = m["name"]
            age = _number(m["age"])
            if name.split()[0] in _NOT_NAMES or age is None or not 0 < age < 120:
                continue
            if m.start() in seen:
                continue
            seen.add(m.start())
            subject = names.get(name, name)
            yield subject, "age", str(int(age)), age, m.start(), m.end()


def _money(sentence: str) -> Iterator[_Found]:
    if "$" not in sentence:  # every amount is in dollars: most sentences have none
        return
    words = [(w.start(), w.group(0).lower()) for w in re.finditer(r"[A-Za-z]+", sentence)]
    for m in _MONEY.finditer(sentence):
        amount = float(m["amount"].replace(",", "")) * _SCALE.get((m["scale"] or "").lower(), 1)
        nearby = [(abs(pos - m.start()), _MONEY_WORD[w]) for pos, w in words if w in _MONEY_WORD]
        if not nearby or min(nearby)[0] > 80:
            continue
        kind = min(nearby)[1]
        yield "amount", kind, _format_money(amount), amount, m.start(), m.end()


def _counts(sentence: str) -> Iterator[_Found]:
    for m in _COUNT.finditer(sentence):
        count = _number(m["num"])
        noun = m["noun"]
        if count is None or noun in _NON_COUNT_NOUNS or count > 100_000:
            continue
        if m["num"].isdigit() and len(m["num"]) == 4 and 1800 <= count <= 2100:
            continue  # a year ("2025 camera images"), not a count
        if sentence[m.end() : m.end() + 1] in ("-", "'"):
            continue  # "14-year-old", possessives
        yield noun, f"number of {noun}", str(int(count)), count, m.start(), m.end()


def _number(text: str) -> float | None:
    word = text.lower()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    digits = word.replace(",", "")
    return float(digits) if digits.isdigit() else None


def _format_money(amount: float) -> str:
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if amount >= scale:
            return f"${amount / scale:g} {word}"
    return f"${amount:,.0f}"


def _full_names(articles: Sequence[Article]) -> dict[str, str]:
    """Map each one-word name to the most frequent multi-word name containing it."""
    counts: Counter[str] = Counter()
    for article in articles:
        counts.update(re.findall(rf"\b{_NAME_WORD}(?: {_NAME_WORD}){{1,2}}\b", article.text))
    names: dict[str, str] = {}
    for full, _ in counts.most_common():
        if full.split()[0] in _NOT_NAMES:
            continue
        for part in full.split():
            names.setdefault(part, full)
    return names


# --- claims ------------------------------------------------------------------------------


def _kind(subject: str, attribute: str) -> ClaimKind:
    if attribute == "age":
        return "age"
    if attribute == "role":
        return "role"
    if attribute.startswith("place of "):
        return "place"
    if subject == "amount":
        return "amount"
    return "count" if attribute.startswith("number of ") else "tally"


def _claims(
    subject: str, attribute: str, mentions: list[_Mention], settings: CompareSettings
) -> Iterator[Claim]:
    kind = _kind(subject, attribute)
    if kind in ("count", "place"):
        # single-link grouping compares pairs: bounded, so a text of thousands of numbered
        # lines stays linear (no story has this many mentions of one count)
        clusters = _by_context(mentions[:_MAX_GROUPED], settings.context_similarity)
    else:
        clusters = [mentions]
    for cluster in clusters:
        values = _values(cluster)
        status = _named_status(values) if kind in ("place", "role") else _status(attribute, values)
        if status is None:
            continue
        carriers = {m.article.id for m in cluster}
        if status == "agree" and (len(carriers) < 2 or kind in ("count", "role")):
            continue  # counts and roles everyone agrees on are not news
        yield Claim(
            subject=subject,
            attribute=attribute,
            status=status,
            values=tuple(v.claim for v in values),
            kind=kind,
        )


def _named_status(values: Sequence[_Value]) -> ClaimStatus | None:
    """Places and roles do not change with time: different values conflict, unless one
    article states two of them (then both are true: a director who is also curator)."""
    if len(values) == 1:
        return "agree"
    seen: set[str] = set()
    for value in values:
        if seen & set(value.claim.article_ids):
            return None
        seen.update(value.claim.article_ids)
    return "conflict"


def _by_context(mentions: list[_Mention], threshold: float) -> list[list[_Mention]]:
    """Single-link groups of mentions whose sentences share enough content words."""
    groups: list[list[_Mention]] = []
    for mention in mentions:
        joined = [g for g in groups if any(_similar(mention, m, threshold) for m in g)]
        merged = [mention, *(m for g in joined for m in g)]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _similar(a: _Mention, b: _Mention, threshold: float) -> bool:
    if not a.context or not b.context:
        return False
    shared = len(a.context & b.context)
    return shared >= 2 and shared / math.sqrt(len(a.context) * len(b.context)) >= threshold


@dataclass(frozen=True, slots=True)
class _Value:
    claim: ClaimValue
    number: float
    days: tuple[dt.date, ...]  # publication days of every carrier, sorted
    periods: tuple[tuple[float, float], ...]  # the same, as (first, last) fractional years


def _values(mentions: Sequence[_Mention]) -> list[_Value]:
    by_value: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_value[m.value].append(m)
    values = []
    for value, group in by_value.items():
        dates = [m.article.published for m in group if m.article.published is not None]
        claim = ClaimValue(
            value=value,
            as_of=min(dates, key=_day) if dates else None,
            article_ids=tuple(dict.fromkeys(m.article.id for m in group)),
            evidence=tuple(m.span for m in group),
        )
        complete = len(dates) == len(group)
        days = tuple(sorted({_day(d) for d in dates})) if complete else ()
        periods = tuple(sorted({_period(d) for d in dates})) if complete else ()
        values.append(_Value(claim=claim, number=group[0].number, days=days, periods=periods))
    values.sort(key=_value_order)
    return values


def _status(attribute: str, values: Sequence[_Value]) -> ClaimStatus:
    if len(values) == 1:
        return "agree"
    if any(not v.days for v in values):
        return "conflict"  # an undated carrier: time cannot explain the difference
    if attribute == "age":
        return _age_status(values)
    numbers = [v.number for v in values]  # values are ordered by their first day
    one_way = numbers == sorted(numbers) or numbers == sorted(numbers, reverse=True)
    in_turn = all(a.days[-1] < b.days[0] for a, b in itertools.pairwise(values))
    return "changed_over_time" if one_way and in_turn else "conflict"


def _age_status(values: Sequence[_Value]) -> ClaimStatus:
    """Ages fit together when one birth date fits every (age, publication period) pair.

    Someone aged ``a`` at time ``t`` was born in ``(t - a - 1, t - a]``; a publication known
    only to the month or year widens ``t`` to that period.
    """
    low, high = -math.inf, math.inf
    for value in values:
        for first, last in value.periods:
            low, high = max(low, first - value.number - 1), min(high, last - value.number)
    return "changed_over_time" if low < high else "conflict"


def _period(date: PartialDate) -> tuple[float, float]:
    """A publication date as fractional years, widened to its precision."""
    return _years(date.date), _years(date.last_day()) + 1 / 365.25


def _years(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def _day(date: PartialDate) -> dt.date:
    return date.date


def _value_order(value: _Value) -> tuple[dt.date, float]:
    return (value.days[0] if value.days else dt.date.max, value.number)


_STATUS_ORDER = {"conflict": 0, "changed_over_time": 1, "agree": 2}


def _rank(claim: Claim) -> tuple[int, int, str, str]:
    carriers = len({a for v in claim.values for a in v.article_ids})
    return (_STATUS_ORDER[claim.status], -carriers, claim.subject, claim.attribute)
