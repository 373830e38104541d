"""Attribute a direct quote to the phrase that names its speaker, by news conventions.

Method, for each quote (first match wins):

1. **After the quote**, in the same sentence: ``"…," SPEAKER said`` (everything between
   the closing mark and a speech verb, at most a dozen words), ``"…," said SPEAKER``,
   ``"…," according to`` / ``per SPEAKER`` and a signature ``"…" — SPEAKER``; only when
   the quote closes its clause (punctuation inside the marks, or a comma or dash after).
   ``"…," Doe, a spokeswoman, said`` gives the name before the appositive; after a quote
   ending in a full stop, ``Doe said`` starts a sentence of its own (``Doe said the plan
   would fail``) unless the sentence ends a few words after the verb, goes on with where
   or when it was said (``"…." Doe said in an interview on Tuesday with …``), or its
   subject is a pronoun.
2. **Before the quote**, in the sentence that opens it: ``SPEAKER said: "…"``,
   ``SPEAKER wrote on Instagram, "…"``, ``SPEAKER told reporters that "…"``; the speaker is
   the noun phrase right before the last speech verb (a name, a pronoun, or a
   determiner phrase such as "a spokesman for the campaign"). A participle cue
   (``…, telling the audience: "…"``) takes the sentence's first name.
3. ``According to SPEAKER, "…"`` and ``Said SPEAKER: "…"`` before the quote; failing
   all, the subject of the sentence whose speech or naming verb introduces the quote
   (``X vowed to punish "…"``), after an opening phrase such as ``In Paris,`` or
   ``Days before,``. ``Asked about …, X said`` is not an inverted frame, and
   a cue word after a determiner is a noun ("the rules", "her claims"), not a verb.

The platform is the social network named in the attributing sentence ("on Instagram",
"tweeted" → Twitter).

Limits: English speech verbs only (a fixed list); no parser, so an unusual word order
("Quoth he") or a speaker named several sentences away is missed and left to the caller's
context rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["QUOTE_MARKS", "SOCIAL_NETWORKS", "Attribution", "attribute", "platform_in"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CUES = (
    "said|says|say|saying|told|tells|telling|wrote|writes|writing|added|adds|adding|"
    "continued|continues|explained|explains|explaining|noted|notes|noting|stated|states|"
    "shared|shares|posted|posts|tweeted|tweets|asked|asks|replied|replies|responded|"
    "insisted|insists|argued|argues|arguing|claimed|claims|declared|declares|announced|"
    "warned|warns|warning|recalled|recalls|admitted|admits|acknowledged|remarked|observed|"
    "suggested|suggests|concluded|penned|captioned|joked|jokes|exclaimed|revealed|reveals|"
    "commented|cautioned|conceded|confirmed|emphasized|emphasised|stressed|testified|"
    "predicted|vowed|pledged|boasted|complained|quipped|contended|countered|agreed|"
    "reported|reports|wondered|mused|urged|lamented|opined|maintained|promised|alleged|"
    "demanded|sings|sang|chanted|called|calls|calling|described|describes|describing|"
    "dubbed|labeled|labelled|branded|dismissed|accused|slammed|blasted|praised|"
    "denounced|criticized|criticised|decried|touted|characterized|referred|mocked|"
    "attacked|hailed|condemned|defended|questioned|screamed|shouted|yelled|whispered|"
    "texted|emailed|recounted|advised|assured|reminded|explained|raged|ranted|"
    "promising|promises|likened|likens|ruled|rules|announcing|vowing|insisting|claiming|"
    "accusing|praising|blasting|slamming|attacking|pounding|admires|admired|touting|"
    "touts|describing|labeling|branding|calling|dismissing|declaring|predicting|"
    "mocking|deriding|derided|lambasted|lambasting|ridiculed|ridiculing|slammed|"
    "asking|chanting|tweeting|posting|stating|replying|responding|recalling|joking|quipping|"
    "yells|yelling|shouting|screaming|proclaimed|proclaims|proclaiming|exhorted|lauded|"
    "reads|read|"
    "points out|notes|put it|puts it|chimed in|went on|pointed out|shot back|fired back|wrote back"
)
_CUE = re.compile(rf"(?<![\w-])(?:{_CUES})\b")
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|our|my|your|these|those)\s+$", re.I)
_PARTICIPLE = re.compile(r"ing$")
_AUX = re.compile(
    r"(?:\s+(?:has|have|had|would|will|is|was|are|were|been|later|also|then|once|"
    r"previously|recently|"
    r"reportedly|simply|just|\w+ly))+$"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'\u201c\u2018(]?[A-Z])|\n")
_ABBREVIATED = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Rep|Reps|Sen|Sens|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Prof|Rev|"
    r"Hon|Pres|Atty|Supt|Cmdr|Adm|Maj|No|Vol|vs|Inc|Corp|Co|Ltd|Ft|Mt)|\b[A-Z]|"
    r"\b[A-Z]\.[A-Z]|-[A-Z][a-z]{1,4})$"
)
_TOKEN = re.compile(r"[^\s]+")
QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
_DOUBLE_MARKS = '"\u201c\u201d'
_STOP_FIRST = _words(
    "and but or so because as if when while that which who whom in on at for to of "
    "with from by than then after before is was are were be"
)
_DETERMINERS = _words(
    "the a an his her their its our my your one another some many several two three these those"
)
_BARE_SPEAKERS = _words(
    "officials sources police prosecutors experts analysts critics doctors "
    "researchers investigators witnesses residents democrats republicans lawmakers "
    "fans scientists aides protesters authorities organizers organisers observers "
    "supporters voters economists historians scholars activists advocates people"
)
_CLAUSE_WORDS = _words(
    "and or but while because since although though if when to due as than were was "
    "is are be been by"
)
_NAME_RUN = re.compile(r"[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*")
_INTRO = _words(
    "in on at during after before when while since as with without for from by but and so "
    "yet still however although though if then now later earlier today yesterday last this "
    "that those these it there here what why how asked meanwhile speaking under amid over "
    "despite according"
)
_KEEP_FIRST = _words("it i this these those")
_CALENDAR = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december"
)
_TIME_WORDS = _words(
    "ago before after later earlier minutes hours days weeks months years moments "
    "morning afternoon evening night week month year weekend"
)
_CONNECTIVES = _words("but and so yet still meanwhile however instead then now also later earlier")
_SUBJECT_STOP = _words(
    "is was are were has had have will would can could did does do also not who which "
    "that and but or to in on at for with as"
)
_PREPOSITIONS = _words("of for at with from in on to")
_AFTER_STOP = _words(
    "in on to during at after before while when as about that who which last this "
    "yesterday today tonight earlier later monday tuesday wednesday thursday friday "
    "saturday sunday"
)
_NAME_APPOSITIVE = re.compile(
    r"((?:[A-Z][\w'\u2019.-]*\s+){0,4}[A-Z][\w'\u2019.-]*),\s+(?=[a-z0-9])"
)
_LEAD_IN = re.compile(r"[A-Z][a-z]+,\s+(?=\S)")
_NAME_ONLY = re.compile(r"(?:[A-Z][\w'\u2019.-]*\s*){1,5}(?=[\s,.]*$)", re.MULTILINE)
_ACCORDING = re.compile(r"^[\s,;:\u2014\u2013-]*(?:according\s+to|per)\s+", re.IGNORECASE)
_INVERTED = re.compile(
    r"(?:Said|Says|Added|Adds|Wrote|Writes|Asked|Explained|Continued|Continues)\s+"
)
_NOT_INVERTED = re.compile(r"\w+ing|told|tells|tell")
_PRONOUN_CUE = re.compile(r"\s*(?:he|she|they|I|we)\s+")
_ACCORDING_BEFORE = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
# names NER often takes for people or organisations
SOCIAL_NETWORKS = frozenset(
    "Instagram Twitter Facebook TikTok YouTube Snapchat LinkedIn Reddit Threads".split()
)
_PLATFORMS = re.compile(
    r"\b(instagram|twitter|facebook|tiktok|youtube|snapchat|linkedin|reddit|threads|"
    r"truth social|weibo|tumblr|tweet(?:ed|s)?)\b",
    re.IGNORECASE,
)
_PLATFORM_NAMES = {"tiktok": "TikTok", "youtube": "YouTube", "linkedin": "LinkedIn"}
_MAX_WORDS = 12
_FRAME_TAIL = 6  # words a frame after a full stop may run on: "said in a statement Friday."
# where, when or how it was said: "said in a statement", "said on Tuesday"
_FRAME_GOES_ON = (_AFTER_STOP - _words("that who which")) | _words(
    "of from with by for via through afterwards"
)
_WINDOW = 160


@dataclass(frozen=True, slots=True)
class Attribution:
    """The phrase naming a quote's speaker, ``[start, end)``, and the sentence around it."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    participle: bool = False


def attribute(
    text: str, open_at: int, close_at: int, *, floor: int, ceiling: int
) -> Attribution | None:
    """The speaker phrase of the quote whose marks are at ``open_at`` and ``close_at``.

    Args:
        text: the article text.
        open_at: offset of the opening quote mark.
        close_at: offset of the closing quote mark (or the paragraph end).
        floor: nothing before this offset is read (previous quote or paragraph start).
        ceiling: nothing from this offset on is read (next quote or paragraph end).
    """
    found = _after(text, close_at + 1, ceiling) or _before(text, floor, open_at)
    return None if found is None else _tidy(text, found)


def _tidy(text: str, found: Attribution) -> Attribution | None:
    """Trim punctuation and reject phrases that cannot name a speaker."""
    start, end = found.start, found.end
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    words = text[start:end].split()
    if not words or words[0].lower() in _INTRO - _KEEP_FIRST:
        return None
    if len(words) == 1 and words[0].lower() in _DETERMINERS:
        return None
    if len(words) > 2 and text[start:end].isupper():
        return None  # a headline in capitals
    return Attribution(start, end, found.sentence_start, found.sentence_end, found.participle)


def platform_in(text: str, start: int, end: int) -> str | None:
    """The social network named in ``text[start:end]``, normalised ("tweeted" → Twitter)."""
    match = _PLATFORMS.search(text, start, end)
    if match is None:
        return None
    word = match.group(1).lower()
    if word.startswith("tweet"):
        return "Twitter"
    return _PLATFORM_NAMES.get(word, " ".join(part.capitalize() for part in word.split()))


def _after(text: str, start: int, ceiling: int) -> Attribution | None:
    limit = min(ceiling, start + _WINDOW)
    end_match = next(_sentence_ends(text, start, limit), None)
    sentence_end = end_match.start() + 1 if end_match else limit
    window = text[start:sentence_end]
    according = _ACCORDING.match(window)
    if according:
        return _phrase_after(text, start + according.end(), sentence_end, start)
    lead = len(window) - len(window.lstrip(" ,;:\u2014\u2013\u2015-\u00a0"))
    inside = text[max(0, start - 6) : start - 1].rstrip().rstrip(QUOTE_MARKS)  # ",'" nested
    closed = inside[-1:] in (",", ".", "!", "?", "\u2014", "-", "\u2026")
    pronoun = _PRONOUN_CUE.match(text, start, sentence_end)
    if pronoun is not None and _CUE.match(text, pronoun.end()):
        closed = True
    if not closed and not window[:lead].strip():
        return None  # the quote runs on into the sentence: not an attribution frame
    cue = next((c for c in _CUE.finditer(window, lead) if _is_verb(window, c)), None)
    if cue is None:
        return _signature(text, start, lead, sentence_end)
    if cue.start() == lead:
        if _NOT_INVERTED.fullmatch(cue.group()):
            return None  # "…" telling reporters: the speaker is the sentence's subject
        return _phrase_after(text, start + cue.end(), sentence_end, start)
    if inside[-1:] == "." and window[lead : lead + 1].isupper() and _own_sentence(window, cue):
        return None  # "….” Jane Doe said the plan would fail: a sentence of its own
    phrase_end = start + cue.start()
    aux = _AUX.search(text, start + lead, phrase_end)
    if aux is not None:
        phrase_end = aux.start()
    phrase_start = start + lead
    named = _NAME_APPOSITIVE.match(text, phrase_start, phrase_end)
    if (
        named is not None
        and named.group(1).split()[0].lower() not in _INTRO | _CONNECTIVES
        and text[named.end() : phrase_end].rstrip().endswith(",")
    ):
        phrase_end = phrase_start + len(named.group(1))  # "Jane Doe, a spokeswoman, said"
    else:
        lead_in = _LEAD_IN.match(text, phrase_start, phrase_end)
        if lead_in is not None:
            phrase_start = lead_in.end()
    phrase = text[phrase_start:phrase_end].strip()
    words = phrase.split()
    if not words or len(words) > _MAX_WORDS or words[0].lower() in _STOP_FIRST:
        return None
    if any(w.lower() in _CLAUSE_WORDS - {"and", "by"} for w in words):
        return None
    if any(mark in phrase for mark in _DOUBLE_MARKS):
        return None
    phrase_end = phrase_start + len(text[phrase_start:phrase_end].rstrip())
    return Attribution(phrase_start, phrase_end, start, sentence_end)


def _signature(text: str, start: int, lead: int, sentence_end: int) -> Attribution | None:
    """``"…" — Jane Doe``: a dash and a name alone after the quote."""
    if not any(dash in text[start : start + lead] for dash in "\u2014\u2013\u2015-"):
        return None
    match = _NAME_ONLY.match(text, start + lead, sentence_end)
    if match is None:
        return None
    return Attribution(match.start(), match.end(), start, sentence_end)


def _phrase_after(
    text: str, start: int, sentence_end: int, window_start: int
) -> Attribution | None:
    """The noun phrase after an inverted cue: ``said Rep. Jane Doe, D-Ohio``."""
    first = last = -1
    for count, token in enumerate(_TOKEN.finditer(text, start, sentence_end)):
        word = token.group()
        bare = word.rstrip(",;:.!?)\u201d\"'")
        if count >= _MAX_WORDS or (count > 0 and (bare.lower() in _AFTER_STOP or word[0] == "(")):
            break  # a party tag "(D-Ohio)" ends the name
        if count == 0 and (bare.lower() in _STOP_FIRST or not bare):
            return None
        if first < 0:
            first = token.start()
        last = token.start() + len(bare)
        abbreviated = word == bare + "." and _ABBREVIATED.search(bare) is not None  # "Mr."
        if word != bare and not abbreviated:
            break
        if abbreviated:
            last = token.end()
    if first < 0 or last <= first:
        return None
    return Attribution(first, last, window_start, sentence_end)


def _before(text: str, floor: int, open_at: int) -> Attribution | None:
    sentence_start = _sentence_start(text, floor, open_at)
    cues = [cue for cue in _CUE.finditer(text, sentence_start, open_at) if _is_verb(text, cue)]
    according = list(_ACCORDING_BEFORE.finditer(text, sentence_start, open_at))
    if according and (not cues or according[-1].start() > cues[-1].start()):
        found = _phrase_after(text, according[-1].end(), open_at, sentence_start)
        if found is not None:
            return Attribution(found.start, found.end, sentence_start, open_at)
    inverted = _INVERTED.match(text, sentence_start, open_at)
    if inverted is not None and _names_someone(text[inverted.end() : open_at]):
        found = _phrase_after(text, inverted.end(), open_at, sentence_start)
        if found is not None:
            return Attribution(found.start, found.end, sentence_start, open_at)
    for cue in reversed(cues):
        tail = text[cue.end() : open_at]
        if (
            len(tail) > 200
            or any(mark in tail for mark in "!?")
            or next(_sentence_ends(text, cue.end(), open_at), None)
        ):
            return None
        participle = bool(_PARTICIPLE.search(cue.group()))
        phrase = _np_before(text, sentence_start, cue.start())
        if phrase is None:
            phrase = _subject(text, sentence_start, cue.start())
        if phrase is None and participle:
            phrase = _first_name(text, sentence_start, cue.start())
        if phrase is not None:
            return Attribution(phrase[0], phrase[1], sentence_start, open_at, participle=participle)
    return None


def _own_sentence(window: str, cue: re.Match[str]) -> bool:
    """After a quote ending in a full stop, whether ``X said …`` reports something else.

    A frame ends soon after its verb or goes on with where, when or how it was said
    (``Doe said in a statement on Tuesday.``); a pronoun subject counts as a frame.
    """
    subject = window[: cue.start()].split()
    if subject and _pronoun(subject[0]) is not None:
        return False
    rest = window[cue.end() :].split()
    if len(rest) <= _FRAME_TAIL:
        return False
    return rest[0].lower().strip(",;:") not in _FRAME_GOES_ON


def _names_someone(text: str) -> bool:
    """Whether ``text`` opens with a name or determiner ("Said Jane Doe", not "Asked about")."""
    first = text.split(maxsplit=1)[:1]
    return bool(first) and (first[0][:1].isupper() or first[0].lower() in _DETERMINERS)


def _is_verb(text: str, cue: re.Match[str]) -> bool:
    """False for a cue word used as a noun after a determiner: "the rules", "her claims"."""
    return _NOUN_BEFORE.search(text, max(0, cue.start() - 8), cue.start()) is None


def _subject(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence's subject: its first name, pronoun or determiner phrase."""
    intro = text.find(", ", start, end)
    opener = text[start:end].split(maxsplit=1)[:1]
    if (
        intro >= 0
        and opener
        and (opener[0].lower() in _INTRO or _is_time_phrase(text[start:intro]))
        and len(text[start:intro].split()) <= 12
        and not _CUE.search(text, start, intro)
    ):
        start = intro + 2
    tokens = list(_TOKEN.finditer(text, start, end))
    while tokens and tokens[0].group().lower().strip(",") in _CONNECTIVES:
        tokens.pop(0)
    if not tokens:
        return None
    first = tokens[0].group()
    if _pronoun(first) is not None:
        return tokens[0].start(), tokens[0].start() + len(_pronoun(first) or "")
    taken: list[re.Match[str]] = []
    for token in tokens[:8]:
        word = token.group()
        bare = word.rstrip(",;:")
        lowered = bare.lower()
        if not taken:
            if not (bare[:1].isupper() or lowered in _DETERMINERS):
                return None
        elif not bare[:1].isupper() and _ends_subject(lowered, taken):
            break
        taken.append(token)
        if bare != word:
            break
    if not taken or taken[-1].group().lower() in _DETERMINERS:
        return None
    return taken[0].start(), taken[-1].start() + len(taken[-1].group().rstrip(",;:"))


def _is_time_phrase(phrase: str) -> bool:
    """``Days before``, ``Two weeks later``, ``Hours after the vote``: when, not who.

    A lower-case word is required, so a name such as "Theresa May" never counts.
    """
    words = phrase.split()
    return (
        0 < len(words) <= 5
        and any(w.islower() for w in words)
        and any(w.lower() in _TIME_WORDS for w in words)
    )


def _ends_subject(lowered: str, taken: list[re.Match[str]]) -> bool:
    if lowered in _SUBJECT_STOP or lowered.endswith(("ed", "ly")) or _CUE.fullmatch(lowered):
        return True
    return sum(1 for t in taken if t.group()[:1].islower()) >= 3


def _pronoun(word: str) -> str | None:
    """``he``/``He's`` → the pronoun itself; None for other words."""
    bare = re.sub(r"['\u2019](?:s|d|ll|re|ve)$", "", word)
    return bare if bare.lower() in {"he", "she", "they", "i", "we", "it"} else None


def _sentence_ends(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Sentence-final punctuation in ``text[start:end]``, skipping "Mr." or "D-Wis."."""
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group() == "." and _ABBREVIATED.search(
            text, max(0, match.start() - 8), match.start()
        ):
            continue
        yield match


def _sentence_start(text: str, floor: int, at: int) -> int:
    start = floor
    # look two characters past ``at``: a full stop right before an opening quote mark
    # ends its sentence only if the mark is followed by a capital
    for match in _sentence_ends(text, floor, min(len(text), at + 2)):
        if match.start() < at:
            start = match.end()
    while start < at and text[start].isspace():
        start += 1
    return start


def _np_before(text: str, floor: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase that ends right before a cue verb, read backwards."""
    end = cue_start
    aux = _AUX.search(text, floor, end)
    if aux is not None:
        end = aux.start()
    tokens = list(_TOKEN.finditer(text, floor, end))[-_MAX_WORDS:]
    words: list[re.Match[str]] = []
    for token in reversed(tokens):
        word = token.group()
        if not words and word.startswith("(") and word.rstrip(",").endswith(")"):
            continue  # "Gov. Jane Doe (R-OH), said": skip the party tag
        if word[-1] in ",;:" or any(mark in word for mark in _DOUBLE_MARKS):
            break
        words.append(token)
    words.reverse()
    if not words:
        return None
    lowered = [w.group().lower() for w in words]
    if lowered[-1] == "who":
        return None
    pronoun = _pronoun(words[-1].group())
    if pronoun is not None:
        return words[-1].start(), words[-1].start() + len(pronoun)
    begin = _phrase_begin(words, lowered)
    if begin is None:
        return None
    return words[begin].start(), words[-1].end()


def _phrase_begin(words: list[re.Match[str]], lowered: list[str]) -> int | None:
    dets = [i for i, word in enumerate(lowered) if word in _DETERMINERS]
    begin: int | None = None
    if dets:
        begin = dets[-1]
        while begin > 0 and lowered[begin - 1] in _PREPOSITIONS:
            earlier = [i for i in dets if i < begin - 1]
            if not earlier:
                break
            begin = earlier[-1]
    # a capitalised run ending at the cue is a name (with titles such as "Sen.")
    run = len(words)
    while run > 0 and (words[run - 1].group()[0].isupper() or lowered[run - 1] in {"de", "van"}):
        run -= 1
    if run < len(words) and (begin is None or begin > run):
        begin = run
        if begin > 0 and lowered[begin - 1] in _DETERMINERS:
            begin -= 1
    if begin is None and lowered[-1] in _BARE_SPEAKERS:
        begin = len(words) - 1  # a bare plural such as "officials"
    if begin is not None and any(w in _CLAUSE_WORDS for w in lowered[begin + 1 :]):
        return None
    return begin


def _first_name(text: str, floor: int, end: int) -> tuple[int, int] | None:
    for match in _NAME_RUN.finditer(text, floor, end):
        first = match.group().split()[0]
        if first.lower() not in _INTRO | _CALENDAR and not (len(first) > 2 and first.isupper()):
            return match.start(), match.end()
    return None
