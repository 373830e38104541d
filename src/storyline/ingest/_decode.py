"""Turn the bytes of one input into text: UTF-8 first, then what real news uses.

The order, from the strongest evidence to the weakest:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. valid UTF-8 (nearly all of today's news); UTF-8 with a few stray bytes (text pasted
   together from two sources) keeps its UTF-8 and reads each stray byte as cp1252;
3. UTF-16 or UTF-32 without a mark, recognised by the zero bytes of ASCII characters;
4. the encoding the input declares (HTTP ``Content-Type``, ``<meta charset>``), if its
   bytes fit it; labels ``iso-8859-1``, ``latin1`` and ``ascii`` mean cp1252, as browsers
   read them;
5. a detector constrained by language: each encoding news sites use is tried on a sample;
   its text is scored by the language py3langid finds in it, counted only when that
   language is one the encoding is made for (cp1252: Western European languages;
   cp1250: Central European; KOI8-R: Russian ...), times the share of its non-ASCII
   characters that look like real text (letters of the encoding's own script, common
   news punctuation; not control characters, letters of another script glued to Latin
   words, or mid-word capitals). Ties go to the more common encoding, so short,
   mostly-ASCII text with an accented letter or a curly quote reads as cp1252.

Limits: a detector can be wrong on a few bytes of text in a language it does not know;
only encodings listed in :data:`CANDIDATES` are considered.
"""

from __future__ import annotations

import codecs
import functools
import math
import re
import unicodedata
from dataclasses import dataclass

import py3langid

__all__ = ["CANDIDATES", "choose_codec", "declared_charset", "decode_bytes", "wide_unicode"]

_WESTERN = frozenset(
    "af br ca cy da de en eo es et eu fi fo fr ga gl id is it la lb ms nb nl nn no oc pt "
    "sq sv sw tl wa".split()
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    codec: str
    languages: frozenset[str]
    scripts: frozenset[str]


def _candidate(codec: str, languages: str, scripts: str) -> _Candidate:
    return _Candidate(codec, frozenset(languages.split()), frozenset(scripts.split()))


_LATIN = "LATIN"
_CJK = "CJK IDEOGRAPHIC FULLWIDTH"
# In order of how common they are in news when the bytes fit several.
CANDIDATES: tuple[_Candidate, ...] = (
    _Candidate("cp1252", _WESTERN, frozenset({_LATIN})),
    _candidate("cp1250", "cs hr hu pl ro sk sl bs sr", _LATIN),
    _candidate("cp1251", "ru uk be bg mk sr kk ky mn", "CYRILLIC"),
    _candidate("koi8_r", "ru bg", "CYRILLIC"),
    _candidate("koi8_u", "uk ru", "CYRILLIC"),
    _candidate("gb18030", "zh", _CJK),
    _candidate("cp932", "ja", f"{_CJK} HIRAGANA KATAKANA"),
    _candidate("euc_jp", "ja", f"{_CJK} HIRAGANA KATAKANA"),
    _candidate("cp949", "ko", f"{_CJK} HANGUL"),
    _candidate("big5", "zh", _CJK),
    _candidate("cp1253", "el", "GREEK"),
    _candidate("cp1254", "tr az ku", _LATIN),
    _candidate("cp1256", "ar fa ur ps", "ARABIC"),
    _candidate("cp1255", "he yi", "HEBREW"),
    _candidate("cp1257", "lt lv et", _LATIN),
    _candidate("cp874", "th", "THAI"),
    _candidate("iso8859_2", "cs hr hu pl ro sk sl bs sr", _LATIN),
    _candidate("iso8859_5", "ru uk be bg mk sr", "CYRILLIC"),
    _candidate("iso8859_7", "el", "GREEK"),
    _candidate("cp1258", "vi", _LATIN),
)
_SCRIPTS = frozenset(
    "LATIN CYRILLIC GREEK ARMENIAN HEBREW ARABIC THAI HANGUL HIRAGANA KATAKANA CJK "
    "IDEOGRAPHIC FULLWIDTH HALFWIDTH DEVANAGARI GEORGIAN BOPOMOFO".split()
)
# Non-letters that news text uses; anything else outside ASCII counts against a reading.
_NEWS_MARKS = frozenset("“”‘’„‚«»‹›–—―…•·°§¶©®™€£¥¢±×÷¹²³¼½¾µ¡¿ªº\u00a0\u00ad\u2009\u202f")
_IN_WORD = frozenset("’‘·\u00ad–")  # the marks that do stand between letters
_MIXED = "utf-8"  # choose_codec's answer for UTF-8 with stray legacy bytes
_SAMPLE = 16_384  # bytes scored per candidate
_LANGUAGE_SAMPLE = 2_000  # characters py3langid reads per candidate
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "iso_8859-1"}
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("storyline-cp1252", _as_cp1252)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag of its first 4 KB, or None."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def decode_bytes(data: bytes, declared: str | None = None) -> str | None:
    """Decode ``data`` (see the module docstring); ``None`` when no encoding fits."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    chosen = choose_codec(data, declared)
    if chosen is None:
        return None
    if chosen == _MIXED:
        return data.decode("utf-8", errors="storyline-cp1252")
    return data.decode(chosen, errors="replace")


def choose_codec(data: bytes, declared: str | None = None) -> str | None:
    """The codec for bytes that are not valid UTF-8 (steps 3 to 5 of the module docstring).

    ``"utf-8"`` means UTF-8 with stray bytes read as cp1252; ``None``: no encoding fits.
    """
    wide = wide_unicode(data)
    if wide is not None:
        return wide
    codec = _codec(declared)
    if codec is not None and codec != "utf-8":
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if _junk(text[:_SAMPLE]) == 0:
                return codec
    if _mostly_utf8(data):
        return _MIXED
    return _detect(data)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def wide_unicode(data: bytes) -> str | None:
    """``utf-16-le`` & co. when zero bytes fall where the ASCII characters in them put them."""
    sample = data[: _SAMPLE - _SAMPLE % 4]
    if len(sample) < 4 or b"\x00" not in sample:
        return None

    def zeros(width: int, position: int) -> float:
        units = sample[position::width]
        return units.count(0) / len(units)

    if zeros(4, 2) > 0.95 and zeros(4, 3) > 0.95 and zeros(4, 0) < 0.5:
        return "utf-32-le"
    if zeros(4, 0) > 0.95 and zeros(4, 1) > 0.95 and zeros(4, 3) < 0.5:
        return "utf-32-be"
    if zeros(2, 1) > 0.3 and zeros(2, 0) < 0.05:
        return "utf-16-le"
    if zeros(2, 0) > 0.3 and zeros(2, 1) < 0.05:
        return "utf-16-be"
    return None


_HIGH = bytes(range(0x80, 0x100))


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 sequences are there and hold more of the high bytes than stray ones."""
    valid = sum(map(len, _UTF8_MULTIBYTE.findall(data)))
    high = len(data) - len(data.translate(None, _HIGH))
    return valid > 0 and high - valid <= valid


def _detect(data: bytes) -> str | None:
    sample = data[:_SAMPLE]
    cache: dict[str, list[tuple[str, float]]] = {}  # py3langid's ranking per text
    scored: list[tuple[float, int, str]] = []
    for rank, candidate in enumerate(CANDIDATES):
        decoder = codecs.getincrementaldecoder(candidate.codec)()
        try:
            text = decoder.decode(sample, final=len(sample) == len(data))
        except UnicodeDecodeError:
            continue
        plausible = _plausibility(text, candidate)
        if plausible < 0.5:
            continue
        probability = _language_probability(text, candidate.languages, cache)
        # the ASCII words read the same in every candidate: the others tell them apart
        special = " ".join(word for word in text.split() if not word.isascii())
        score = (
            plausible**2 * probability * _language_probability(special, candidate.languages, cache)
        )
        if rank == 0 and score > 0.9:
            return candidate.codec  # Western text in cp1252, by far the most common case
        scored.append((score, -rank, candidate.codec))
    return max(scored)[2] if scored else None


def _plausibility(text: str, candidate: _Candidate) -> float:
    """The share of non-ASCII characters that look like real text (0 with any junk)."""
    if _junk(text):
        return 0.0
    odd, total = _oddity(text, candidate.scripts)
    if not total:
        return 1.0
    if candidate.scripts == {_LATIN} and candidate.codec != "cp1258":
        letters = sum(1 for ch in text if ch.isalpha())
        if total > 0.4 * letters:  # accents on most letters: no Latin language but Vietnamese
            return 0.0
    return 1.0 - odd / total


def _junk(text: str) -> int:
    """Control, unassigned and private-use characters: no real text holds them."""
    return sum(1 for ch in text if ord(ch) >= 0x80 and _is_junk(ch))


def _is_junk(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")


def _oddity(text: str, scripts: frozenset[str]) -> tuple[int, int]:
    """How many non-ASCII characters of ``text`` look wrong, out of how many."""
    odd = total = 0
    for i, ch in enumerate(text):
        if ord(ch) < 0x80:
            continue
        total += 1
        script = _script(ch)
        if script is None:
            if unicodedata.category(ch).startswith(("L", "M")):
                continue
            # "Ko©ice": a mark between letters is a letter read in the wrong code page
            odd += ch not in _NEWS_MARKS or (ch not in _IN_WORD and _inside_word(text, i))
        elif script not in scripts:
            odd += 1
        elif script != _LATIN and _next_to_ascii_letter(text, i):
            odd += 1  # "Cafй": a letter of another alphabet inside a Latin word
        elif i and text[i - 1].islower() and ch.isupper():
            odd += 1  # "рТЙЧЕФ": KOI8-R read as cp1251
    return odd, total


def _inside_word(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def _next_to_ascii_letter(text: str, i: int) -> bool:
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


@functools.lru_cache(maxsize=65_536)
def _script(ch: str) -> str | None:
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    if word not in _SCRIPTS:
        return None
    return "CJK" if word == "IDEOGRAPHIC" else word


def _language_probability(
    text: str, languages: frozenset[str], cache: dict[str, list[tuple[str, float]]]
) -> float:
    """py3langid's probability that ``text`` is in one of ``languages`` (0.05 at least)."""
    text = text[:_LANGUAGE_SAMPLE]
    if text not in cache:
        cache[text] = py3langid.rank(text)
    ranked = cache[text]
    top = max(score for _, score in ranked)
    weights = {lang: math.exp(score - top) for lang, score in ranked}
    probability = sum(weights.get(lang, 0.0) for lang in languages) / sum(weights.values())
    return max(0.05, probability)
