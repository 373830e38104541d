"""Where named-entity recognition has to run: near the words that can be part of a name.

The names storyline keeps (people, organisations, places, facilities, nationalities and
groups, works and events) contain a capitalised word. spaCy's NER labels a token from
what it sees about five tokens to either side (its own tok2vec is four convolutions of
window one; the transition features add the token before), so NER over windows of
``margin`` words around every word that could be part of a name finds the same
capitalised entities as NER over the whole text, and skips the rest.

Method:

1. Split the text at whitespace into words (a word is one or more spaCy tokens, so a
   margin in words is at least as wide in tokens, and a cut at whitespace tokenizes the
   same as the whole text does).
2. A word can be part of a name when it has a capital letter and is not a closed-class
   word ("The", "However,", "I") once the punctuation at its ends is off: sentence-initial
   "Police" counts, sentence-initial "The" does not. Modal verbs that are also names
   ("May", "Will", "Can") are not on the list.
3. Take ``margin`` words either side of each such word and merge windows that touch.
4. (In :func:`~storyline.extract.annotate.named_spans`.) Keep the entities NER finds in a
   window that contain such a word. Those have their full context; the others have no
   capitalised word other than closed-class ones, which NER gets wrong more often than right
   in news ("the city's old customs house" as an ORG), and near a window's edge it would
   see only part of their context.

Measured against whole-text NER on 94 PolNeAR dev, 200 ECB+ and 10 demo articles: with
windows of 6 words no entity holding a word that can be part of a name was lost, with
``en_core_web_sm`` (of 9,976) or ``_md`` (of 9,789); one was gained with each (a URL
written out with spaces); 87 and 103 entities without such a word were dropped
("nydailynews" as an ORG, "taco" as an ORG, a few lower-case NORPs such as
"conservatives"). News keeps about 70 % of its characters in windows.

The margin was then cut from 6 words to 4 (``extract.ner_context``), measured with ``_md``
against whole-text NER on 289 texts (84 PolNeAR dev, 200 ECB+, 5 demo): of 9,399 entities
holding a word that can be part of a name, windows of 6 lost 7 and gained 7 (the same
name split or joined otherwise, "Joe" and "Biden" for "Joe Biden", or a URL), windows of
4 lost 12 and gained 14, windows of 3 lost 30 and gained 34. With 4, PolNeAR speaker F1
(dev and the unseen slice) and the ECB+ and Timeline17 clustering figures were identical
to those with 6, NER took about 17 % less CPU (20.7 → 17.3 ms a text on 384 PolNeAR and
ECB+ texts) and news keeps about 58 % of its characters in windows.

Limits: an entity written entirely in lower case is found only when it lies near a
capitalised word; text in all lower case gets no entities at all.
"""

from __future__ import annotations

import re

__all__ = ["may_be_name", "name_windows"]

_WORD = re.compile(r"\S+")
_EDGES = re.compile(r"^\W+|(?:['\u2019]s)?\W*$")
_CLOSED_CLASS = frozenset(
    """a about above after again against all also although an and another any are as at
    be because been before being below between both but by could did do does doing
    down during each either even ever every few for from further had has have having he
    her here hers herself him himself his how however i if in into is it its itself just
    many me meanwhile more most much my myself neither no nor not now of off
    on once one only or other our ours out over own same she should since so some still
    such than that the their theirs them then there these they this those though through
    thus to too under until up upon very was we were what when where whether which while
    who whom whose why with within without would yet you your yours""".split()
)


def name_windows(text: str, *, margin: int) -> list[tuple[int, int]]:
    """Half-open character spans of ``text`` that NER has to see, in text order.

    Args:
        text: the text to scope.
        margin: words of context on either side of a word that can be part of a name.

    Returns:
        Non-overlapping spans that start and end at word boundaries; empty when no word
        can be part of a name.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    spans: list[list[int]] = []
    for k, (start, end) in enumerate(words):
        if not may_be_name(text[start:end]):
            continue
        first, last = max(0, k - margin), min(len(words) - 1, k + margin)
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = last
        else:
            spans.append([first, last])
    return [(words[first][0], words[last][1]) for first, last in spans]


def may_be_name(word: str) -> bool:
    """Whether ``word`` can be part of a name: a capital letter, and not a closed-class word
    once the punctuation at its ends is off."""
    return any(c.isupper() for c in word) and _EDGES.sub("", word).lower() not in _CLOSED_CLASS
