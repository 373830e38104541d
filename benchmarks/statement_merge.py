"""Precision of merging one statement across outlets, on invented pairs of reports.

Usage::

    python benchmarks/statement_merge.py [--model auto] [--show]

Each pair is two articles of one story (written for this benchmark: invented people and
places) that report a statement; ``same`` says whether they report the *same* statement
(quoted in one and paraphrased in the other, or paraphrased twice) or two different ones
by the same or another speaker. Both go through ``annotate`` (spaCy NER and the
attribution models) and :func:`~storyline.extract.quotes.story_quotes`; a pair is merged
when one story quote is carried by both articles. Prints merge precision (merged pairs
that are the same statement / merged pairs) and recall (same-statement pairs merged /
same-statement pairs), for the pairs the merge rules were developed with and for
pairs written afterwards.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace

from storyline.extract.annotate import annotate
from storyline.extract.quotes import story_quotes
from storyline.model import Article, PartialDate, Story
from storyline.settings import DEFAULTS, ModelSettings, Settings

PAIRS: list[tuple[str, str, bool]] = [
    # the same statement: quoted in one outlet, reported in the other
    (
        '"We will reopen the gallery in the spring," museum director Mara Quint said.',
        "Museum director Mara Quint said the gallery would reopen in the spring.",
        True,
    ),
    (
        '"The two men have been released on bail," said police spokesman Tom Reyes.',
        "Police spokesman Tom Reyes said the two men had been released on bail.",
        True,
    ),
    (
        "Transport minister Ada Finch said 40 ferry crossings were cancelled because of the storm.",
        'Transport minister Ada Finch said: "We cancelled 40 ferry crossings because of '
        'the storm."',
        True,
    ),
    (
        "Mayor Ruth Okafor warned that the harbour bridge would stay closed until June.",
        '"The harbour bridge will stay closed until June," Mayor Ruth Okafor warned.',
        True,
    ),
    (
        "According to chief engineer Piet Lamb, the pumps failed after the power cut.",
        '"The pumps failed after the power cut," chief engineer Piet Lamb told reporters.',
        True,
    ),
    (
        "Coach Ines Varga said her team had trained twice a day for the final.",
        'Coach Ines Varga said her team "trained twice a day" before the final.',
        True,
    ),
    # the same statement, reported twice in other words
    (
        "Governor Hal Brandt said the state would pay for the new flood barriers.",
        "The state will pay for the new flood barriers, Governor Hal Brandt said on Monday.",
        True,
    ),
    (
        "Union leader Maeve Doyle said the strike at the shipyard would end on Friday.",
        "The shipyard strike will end on Friday, union leader Maeve Doyle told the Courier.",
        True,
    ),
    (
        "Dr. Owen Marsh said the hospital had treated 12 patients for smoke inhalation.",
        "The hospital treated 12 patients for smoke inhalation, according to Dr. Owen Marsh.",
        True,
    ),
    (
        "Senator Lena Hart confirmed that she would run for a second term next year.",
        "Senator Lena Hart said she would run for a second term next year.",
        True,
    ),
    (
        "Chief executive Nadia Kirov said the company would cut 300 jobs at its Leeds plant.",
        "Nadia Kirov, the chief executive, said 300 jobs at the Leeds plant would be cut.",
        True,
    ),
    (
        "Fire chief Sam Ortega said the blaze started in a kitchen on the third floor.",
        "The blaze started in a third-floor kitchen, fire chief Sam Ortega said.",
        True,
    ),
    # different statements of the same speaker, on the same subject
    (
        "Museum director Mara Quint said the gallery would reopen in the spring.",
        "Museum director Mara Quint said the gallery had lost three paintings in the fire.",
        False,
    ),
    (
        "Police spokesman Tom Reyes said the two men had been released on bail.",
        "Police spokesman Tom Reyes said the two men would appear in court in May.",
        False,
    ),
    (
        "Mayor Ruth Okafor said the harbour bridge would stay closed until June.",
        "Mayor Ruth Okafor said the harbour bridge repairs would cost about $4 million.",
        False,
    ),
    (
        "Coach Ines Varga said her team had trained twice a day for the final.",
        "Coach Ines Varga said her team had never lost a final in the city.",
        False,
    ),
    (
        "Governor Hal Brandt said the state would pay for the new flood barriers.",
        "Governor Hal Brandt said the flood barriers had failed in two towns.",
        False,
    ),
    (
        "Chief executive Nadia Kirov said the company would cut 300 jobs at its Leeds plant.",
        "Chief executive Nadia Kirov said the company would open a new plant in Leeds.",
        False,
    ),
    # the same words, different speakers
    (
        "Union leader Maeve Doyle said the strike at the shipyard would end on Friday.",
        "Shipyard owner Carl Benz said the strike at the shipyard would end on Friday.",
        False,
    ),
    (
        "Dr. Owen Marsh said the hospital had treated 12 patients for smoke inhalation.",
        "Nurse Julia Penn said the hospital had treated 12 patients for smoke inhalation.",
        False,
    ),
    (
        "Senator Lena Hart said she would run for a second term next year.",
        "Senator Paul Grey said he would run for a second term next year.",
        False,
    ),
    # a statement and its denial
    (
        "Fire chief Sam Ortega said the blaze started in a kitchen on the third floor.",
        "Fire chief Sam Ortega denied that the blaze started in a kitchen on the third floor.",
        False,
    ),
]


# written after the rules were last changed, and never used to change them
LATER_PAIRS: list[tuple[str, str, bool]] = [
    (
        '"Nobody was hurt in the collision," harbour master Leon Abara said.',
        "Harbour master Leon Abara said nobody was hurt in the collision.",
        True,
    ),
    (
        "Prosecutor Dana Whitlow said the trial would begin in September.",
        "The trial will begin in September, according to prosecutor Dana Whitlow.",
        True,
    ),
    (
        "Head teacher Omar Said said the school would stay shut until the heating was fixed.",
        '"The school stays shut until the heating is fixed," head teacher Omar Said told parents.',
        True,
    ),
    (
        "Airline spokeswoman Freya Lind said 40 flights were cancelled because of fog.",
        "Forty flights were cancelled because of fog, airline spokeswoman Freya Lind said.",
        True,
    ),
    (
        "Farmer Bill Hensley said the drought had destroyed half of his wheat crop.",
        '"The drought destroyed half of my wheat crop," farmer Bill Hensley said.',
        True,
    ),
    (
        "Harbour master Leon Abara said nobody was hurt in the collision.",
        "Harbour master Leon Abara said the ferry would be towed to the dry dock.",
        False,
    ),
    (
        "Prosecutor Dana Whitlow said the trial would begin in September.",
        "Defence lawyer Marco Pike said the trial would begin in September.",
        False,
    ),
    (
        "Head teacher Omar Said said the school would stay shut until the heating was fixed.",
        "Head teacher Omar Said said the school heating had broken twice this winter.",
        False,
    ),
    (
        "Airline spokeswoman Freya Lind said 40 flights were cancelled because of fog.",
        "Airline spokeswoman Freya Lind denied that 40 flights were cancelled because of fog.",
        False,
    ),
    (
        "Farmer Bill Hensley said the drought had destroyed half of his wheat crop.",
        "Farmer Bill Hensley said the drought had dried out the river behind his farm.",
        False,
    ),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="auto", help="models.spacy (auto, or a name)")
    parser.add_argument("--show", action="store_true", help="print every pair's outcome")
    args = parser.parse_args(argv)
    settings = replace(DEFAULTS, models=ModelSettings(spacy=args.model))
    for name, pairs in (("written pairs", PAIRS), ("later pairs (never tuned on)", LATER_PAIRS)):
        _measure(name, pairs, settings, show=args.show)
    return 0


def _measure(
    name: str, pairs: list[tuple[str, str, bool]], settings: Settings, *, show: bool
) -> None:
    merged_right = merged = same = same_merged = 0
    for number, (first, second, is_same) in enumerate(pairs):
        articles = [
            Article(
                id=f"p{number}{side}",
                source=f"pair{number}.txt",
                title=None,
                text=text,
                published=PartialDate.from_iso(f"2024-03-0{day}"),
            )
            for side, text, day in (("a", first, 1), ("b", second, 2))
        ]
        notes = {a.id: n for a, n in zip(articles, annotate(articles, settings), strict=True)}
        story = Story(id=f"s{number}", title="pair", article_ids=tuple(a.id for a in articles))
        quotes = story_quotes(story, {a.id: a for a in articles}, notes, settings)
        together = any(len(q.article_ids) == 2 for q in quotes)
        merged += together
        merged_right += together and is_same
        same += is_same
        same_merged += together and is_same
        if show:
            print(f"{'same' if is_same else 'diff'} {'merged' if together else 'apart '}: {first}")
    precision = merged_right / merged if merged else 0.0
    recall = same_merged / same if same else 0.0
    print(f"{name}: {len(pairs)}, {same} of them the same statement")
    print(f"  merge precision {precision:.3f} ({merged_right}/{merged}), recall {recall:.3f}")


if __name__ == "__main__":
    sys.exit(main())
