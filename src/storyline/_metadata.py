"""Check the metadata pages declare: titles, authors and outlets, by general rules.

Used by :mod:`storyline.clean`. Page templates put more than the article's metadata in the
places extractors read, so each value is checked:

* **title**: a site-name suffix or prefix ("Ferry reopens | Oakdale Courier",
  "… - DW - 19.01.2020") is cut when a segment between separators names the page's own
  site: its declared outlet, its ``og:site_name`` or its host name ("courier" in
  ``oakdalecourier.example``, compared without spaces, case or accents), together with
  any date or section segment beside it. The headline itself is never cut to nothing.
* **author**: interface text before a name is cut ("View all posts by Ana Price"); a value
  is dropped when it is not a person or agency but a newsroom role or section ("Letters",
  "Staff", "Editorial"), a web address, or words the page writes in lower case (the
  extractor capitalises what it finds: "so Artikel empfehlen" becomes "So Artikel
  Empfehlen"; names are capitalised where they are written).
* **language**: detected on the first 2,000 characters of the cleaned text, and not on
  texts under 100 characters (too little to tell); a page's own ``lang`` attribute,
  often a template's default, gives way to a confident detection (probability ≥ 0.99).
* **outlet**: a copyright notice around the name is cut ("Copyright 2003 - 2019 by
  Oakdale Media. All rights reserved." gives "Oakdale Media").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

import py3langid

__all__ = ["check_author", "check_outlet", "detect_language", "strip_site_name"]

_SEPARATOR = re.compile(r"\s+(?:[|•·»«:~/]|[-–—]{1,2}|::)\s+")
_DATE_OR_SECTION = re.compile(
    r"^(?:\d{1,4}(?:[./-]\d{1,4}){1,2}|\d{1,2}\.? \w+ \d{4}|\w+ \d{1,2},? \d{4}|"
    r"news|home|homepage|online|latest|breaking news|world|politics|opinion|"
    r"nachrichten|aktuell|noticias|actualités|notizie)$",
    re.IGNORECASE,
)
_UI_PREFIX = re.compile(
    r"^(?:(?:view|see|read|show)\s+(?:all\s+|more\s+)?(?:posts|articles|stories|entries|"
    r"contributions)|(?:all\s+|more\s+)?(?:posts|articles|stories)|more\s+(?:from|by)|"
    r"written|posted|published|reporting|words|story|photos?|text|von|por|par|di|door)"
    r"\s+(?:by|from|von|por|par|di|door)?\s*",
    re.IGNORECASE,
)
_NOT_PEOPLE = frozenset(
    """letters letter opinion opinions editorial editorials editor editors staff admin
    administrator guest contributor contributors newsroom desk team redaktion redacción
    rédaction redazione redação anonymous unknown user webmaster reader readers sponsored
    partner""".split()
) | frozenset(
    {
        "news desk",
        "web desk",
        "staff writer",
        "staff reporter",
        "editorial board",
        "editorial team",
        "guest author",
        "press release",
        "letters to the editor",
        "letter to the editor",
    }
)
_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
_PARTICLES = frozenset("de da di del der den van von la le du dos das bin ibn al el y e".split())
_ADDRESS = re.compile(r"\b(?:www|https?)\b|\.(?:com|org|net)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"^(?:copyright|\(c\)|©)\s*(?:©|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*(?:\d{4}|present))?)?"
    r"[\s,.:]*(?:by\s+)?",
    re.IGNORECASE,
)
_RESERVED = re.compile(r"[\s,.;|-]*(?:all rights reserved|alle rechte vorbehalten)\b.*$", re.I)


def strip_site_name(title: str, site_names: Iterable[str | None]) -> str:
    """``title`` without a leading or trailing segment naming the site (see module)."""
    keys = {key for name in site_names if name for key in _variants(name)}
    separators = list(_SEPARATOR.finditer(title))
    if not keys or not separators:
        return title
    parts = [title[start:end].strip() for start, end in _part_spans(title, separators)]
    named = [_names_site(part, keys) for part in parts]
    removable = [n or bool(_DATE_OR_SECTION.match(p)) for n, p in zip(named, parts, strict=True)]
    start, end = 0, len(parts)
    cut = end
    while cut > 1 and removable[cut - 1]:
        cut -= 1
    if any(named[cut:end]):
        end = cut
    cut = start
    while cut < end - 1 and removable[cut]:
        cut += 1
    if any(named[start:cut]):
        start = cut
    if (start, end) == (0, len(parts)):
        return title
    spans = _part_spans(title, separators)
    return title[spans[start][0] : spans[end - 1][1]].strip()


def _part_spans(title: str, separators: list[re.Match[str]]) -> list[tuple[int, int]]:
    starts = [0, *(m.end() for m in separators)]
    ends = [*(m.start() for m in separators), len(title)]
    return list(zip(starts, ends, strict=True))


def _names_site(part: str, keys: set[str]) -> bool:
    for key in _variants(part):
        for site in keys:
            if key == site or (len(key) >= 4 and key in site):
                return True  # "Courier" of oakdalecourier.example
            if len(site) >= 5 and site in key and len(part.split()) <= 4:
                return True  # "Oakdale Courier Online"
    return False


def _variants(text: str) -> set[str]:
    """The key of ``text``, also with umlauts written out as host names do ("loewen")."""
    spelled = text.translate(_SPELLED_OUT)
    return {_key(text), _key(spelled)} - {""}


def _key(text: str) -> str:
    """Lower-case letters and digits only, accents off: "Oakdale Courier" → "oakdalecourier"."""
    text = text.strip().lower()
    if "." in text and " " not in text:  # a host name: its distinctive label
        labels = [label for label in text.split(".") if label not in ("www", "m", "amp")]
        text = max(labels[:-1] or labels, key=len, default="")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum())


def check_author(author: str | None, page: str = "") -> str | None:
    """The author with interface text cut, or None when it names no person or agency.

    Args:
        author: as extracted (several names separated by ``; ``).
        page: the page's HTML, to see how the value is written there.
    """
    if not author:
        return None
    names = []
    for raw in author.split(";"):
        name = _UI_PREFIX.sub("", raw.strip()).strip(" ,.:|-")
        if not name or _ADDRESS.search(name) or name.casefold() in _NOT_PEOPLE:
            continue
        if page and _written_in_lower_case(name, page):
            continue
        names.append(name)
    return "; ".join(names) or None


def _written_in_lower_case(name: str, page: str) -> bool:
    """Whether every place ``page`` writes ``name`` starts a word with a small letter."""
    words = [w for w in re.findall(r"\w+", name) if w.lower() not in _PARTICLES]
    if not words:
        return False
    pattern = re.compile(r"(?<!\w)" + r"\W{1,3}".join(map(re.escape, words)) + r"(?!\w)", re.I)
    found = False
    for match in pattern.finditer(page):
        found = True
        if all(w[:1].isupper() for w in re.findall(r"\w+", match.group(0))):
            return False
    return found


def check_outlet(outlet: str | None) -> str | None:
    """The outlet with a copyright notice around it cut, or None when nothing is left."""
    if not outlet:
        return None
    name = _RESERVED.sub("", _COPYRIGHT.sub("", outlet.strip())).strip(" ,.;:|-")
    return name or None


_LANGUAGE_SAMPLE = 2000


def detect_language(text: str) -> tuple[str, bool]:
    """py3langid's language for ``text`` and whether it is confident (probability ≥ 0.99)."""
    ranked = py3langid.rank(text[:_LANGUAGE_SAMPLE])
    top = ranked[0][1]
    total = sum(math.exp(score - top) for _, score in ranked)
    return ranked[0][0], 1 / total >= 0.99
