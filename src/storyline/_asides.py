"""Asides: the parts of an article's cleaned text that are not its running report.

Cleaning removes the boilerplate it recognises; what stays can still hold a sidebar the
reader skips: a recipe box ("Try it at home: …", ingredients, instructions), an explainer
under question headings ("What are the signs?" … "Source: NHS Choices"), a fact box, or a
photo caption left in the body ("Powerful: John Legend dedicated …", "X holds the blue
ribbon …"). Summaries and timelines never quote them. :func:`aside_ranges` returns their
character ranges; the text itself is untouched, so spans still point into it.

Rules, on paragraphs (blank-line separated):

1. **Box headings**: a short paragraph without a closing full stop that names a box
   ("Recipe", "Try it at home:", "Fact box", "At a glance", "If you go", "Q&A"), or a
   question heading ("What are the causes?") whose questions end at a "Source: …" line
   (question subheads of a report, "Who were the victims?", are not boxes). The box runs
   to the next heading that is neither, or to the "Source: …" line, or to the end.
2. **Recipes** anywhere: a paragraph with two or more quantities in kitchen units ("2 cups
   flour, ½ teaspoon salt"), a short one giving a yield ("makes eight wedges."), or two
   or more sentences opening with a cooking verb beside kitchen words ("Bake … at 400
   degrees"); the heading just before it goes with it.
3. **Captions**: a one-sentence paragraph opening with a label ("Pictured:", "Above:",
   "Powerful:", "Behind the music:") or describing a photo in the present tense after a
   name ("Carys Meriwether of Birch Knoll Farm holds the blue ribbon …").

Limits: English cues; a box without a heading or kitchen units is not found.
"""

from __future__ import annotations

import re

__all__ = ["aside_ranges", "in_aside"]

_PARAGRAPH = re.compile(r"\n\s*\n")
_BOX_HEADING = re.compile(
    r"^(?:recipe|ingredients|try\s+(?:it|this)\s+at\s+home|how\s+to\s+make"
    r"|fact\s*box|factfile|fact\s+file|key\s+facts|at\s+a\s+glance|if\s+you\s+go"
    r"|what\s+(?:you\s+need|to\s+know)|by\s+the\s+numbers|q\s*&\s*a|faq|need\s+to\s+know"
    r"|in\s+numbers|quick\s+facts)\b",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(r"^(?:source|sources|additional\s+reporting)\s*:", re.IGNORECASE)
_UNIT = re.compile(
    r"(?:\d+(?:[./]\d+)?|[½⅓⅔¼¾⅛]|one|two|three|four|half\s+a)\s*[½⅓⅔¼¾⅛]?\s*"
    r"(?:cups?|tablespoons?|teaspoons?|tbsps?|tsps?|pinch(?:es)?|cloves?|sticks?)\b",
    re.IGNORECASE,
)
_YIELD = re.compile(
    r"\b(?:makes|serves|yields?)\s+(?:about\s+)?(?:\d+|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|twelve|a\s+dozen)(?:\s+(?:wedges|servings|portions|pieces|slices|scones|cookies"
    r"|muffins|loaves|cakes|bars|rolls|biscuits|people|cups))?\s*[.,;]",
    re.IGNORECASE,
)
_KITCHEN = re.compile(r"\b(?:degrees|minutes|oven|skillet|bowl|pan|dough|batter)\b", re.I)
_COOKING_VERB = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:Preheat|Bake|Stir|Mix|Whisk|Cut|Pat|Brush|Combine|Add|Pour|Season"
    r"|Chop|Heat|Simmer|Serve|Fold|Knead|Roll|Sprinkle|Drain|Beat|Melt|Grease|Line|Sift"
    r"|Toss|Roast|Fry|Boil|Blend|Cool|Chill|Score|Spread|Top|Garnish)\b"
)
_CAPTION_LABEL = re.compile(
    r"^(?P<label>pictured|photo|photograph|above|below|left|right|top|inset|main\s+image"
    r"|[A-Z][\w'’-]*(?:\s+[a-z]{1,4})?(?:\s+[A-Za-z][\w'’-]*)?)\s*:\s+(?P<next>\S)",
)
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|wrote|writes|added|adds|told|tells|tweeted|posted|explained|continued"
    r"|shared|announced|revealed|noted|stated|asked|replied|declared|insisted|warned)$",
    re.IGNORECASE,
)
_PHOTO_VERB = re.compile(
    r"^(?=[A-Z])(?:[\w'’.-]+\s+){0,6}[A-Z][\w'’.-]*\s+"  # … a name ("… Ada Prentice")
    r"(?:holds|poses|stands|sits|walks|smiles|waves|arrives|celebrates|speaks|looks\s+on"
    r"|gestures|reacts|hugs|greets|kneels|leans|rides|carries|is\s+pictured|are\s+pictured"
    r"|pose|stand|sit|smile|wave|arrive|celebrate|look\s+on|react)\b"
)
_END = (".", "!", '"', "”", "’", "'", ")")


def aside_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that are boxes, recipes or captions (see the module)."""
    paragraphs = _paragraphs(text)
    out: list[tuple[int, int]] = []
    in_box = False
    for n, (start, end) in enumerate(paragraphs):
        block = text[start:end]
        heading = _is_heading(block)
        if heading:
            in_box = bool(_BOX_HEADING.match(block)) or (
                block.rstrip().endswith("?") and _sourced_explainer(text, paragraphs[n + 1 :])
            )
            if not in_box and n + 1 < len(paragraphs):
                nxt = paragraphs[n + 1]
                in_box = _is_recipe(text[nxt[0] : nxt[1]])
        elif in_box and _SOURCE_LINE.match(block):
            out.append((start, end))
            in_box = False
            continue
        if in_box or _is_recipe(block) or _is_caption(block):
            out.append((start, end))
    return out


def _sourced_explainer(text: str, rest: list[tuple[int, int]]) -> bool:
    """Question headings run to a "Source: …" line: an explainer sidebar, not subheads."""
    for start, end in rest:
        block = text[start:end]
        if _SOURCE_LINE.match(block):
            return True
        if _is_heading(block) and not block.rstrip().endswith("?"):
            return False
    return False


def in_aside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``ranges``."""
    return any(s <= start and end <= e for s, e in ranges)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            out.append((start, end))
        start = match.end() if match else len(text)
    return out


def _is_heading(block: str) -> bool:
    words = block.split()
    if not 1 <= len(words) <= 12 or "\n" in block.strip():
        return False
    stripped = block.rstrip()
    return stripped.endswith((":", "?")) or not stripped.endswith((*_END, ",", ";"))


def _is_recipe(block: str) -> bool:
    verbs = len(_COOKING_VERB.findall(block))
    return (
        len(_UNIT.findall(block)) >= 2
        or (bool(_YIELD.search(block)) and len(block.split()) <= 20)
        or (verbs >= 2 and bool(_KITCHEN.search(block)))
    )


def _is_caption(block: str) -> bool:
    stripped = block.strip()
    if len(stripped.split()) > 60 or re.search(r"[.!?][\"”’']?\s+[A-Z]", stripped):
        return False  # captions are one sentence
    label = _CAPTION_LABEL.match(stripped)
    if label and label["next"] not in "\"“‘'" and not _SPEECH_VERB.search(label["label"]):
        return True  # "Powerful: John Legend dedicated …", not "Teigen wrote: '…'"
    return bool(_PHOTO_VERB.match(stripped))
