"""Clean: boilerplate out, metadata in.

``clean(document, settings) -> Article`` is a pure per-article stage. It requires a
:class:`~storyline.model.Document` from ingest and assigns the article's ``text``,
``title``, ``author``, ``outlet``, ``url``, ``published`` (+ ``published_source``),
``language``, ``syndicated_from``, ``id`` and ``removed``. The cascade:

1. HTML: main text and metadata with trafilatura (its companions htmldate and courlan find
   the date and site). Plain text: metadata scrapers leave at the top is parsed — YAML
   front matter, ``Key: value`` header lines, a leading ``date 2020-10-16`` token.
2. Paragraphs: one per line; hard-wrapped lines are joined back.
3. Title: the declared or extracted title; for text, the first line when it reads as a
   headline (a first line that is a sentence becomes the title but stays in the body).
4. End-of-article tails ("More headlines", "You might also like", "In this story" …) in the
   second half of the article are cut with everything after them.
5. Line rules (:mod:`storyline._boilerplate`): share widgets, newsletter prompts, social
   embeds, galleries, photo captions and credits, agency references, rights notices,
   picture-desk phone numbers, adverts, read-more links, reader-submission prompts,
   notes on the newsroom's standards, cookie notices. A short caption
   heading just before a caption, and a short line between two removals of one kind, go too.
6. Repeats: a paragraph said twice, or a caption (``Label: …``) that repeats body text.
7. Bylines become ``author``; syndication notices and wire datelines ("RIVERTON (Wire) -")
   give ``syndicated_from``; notices are removed, datelines stay in their paragraph.

Every removal is reported in ``removed`` with its reason; body paragraphs are never
edited, only kept or removed whole. Limits: rules are for English boilerplate; HTML
outside trafilatura's main-content region (menus, scripts) is not listed as removed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import trafilatura
import yaml
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.settings import use_config

from storyline._boilerplate import (
    BYLINE,
    LABELLED_CAPTION,
    SYNDICATION_NOTICE,
    TAIL_MARKER,
    WIRE_DATELINE,
    match_rule,
)
from storyline._fragment import fragment_text, is_fragment
from storyline._metadata import check_author, check_outlet, detect_language, strip_site_name
from storyline._published import parse_published
from storyline.errors import InputError
from storyline.model import Article, Document, PublishedSource, Removed, stable_id
from storyline.settings import CleanSettings

__all__ = ["clean"]

log = logging.getLogger(__name__)

_CAPTION = re.compile(
    r"<(figcaption|caption)\b[^>]{0,400}>(.{0,3000}?)</\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]{0,400}>")
_TRAFILATURA_CONFIG = use_config()
_TRAFILATURA_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no SIGALRM in workers

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z _-]{0,24}):[ \t]*(?P<value>\S.*)$")
_DATE_TOKEN = re.compile(
    r"^\s*(?:date|published|updated)\s*[:\s]\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)\s*",
    re.IGNORECASE,
)
_HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "date": "published",
    "published": "published",
    "publish date": "published",
    "publication date": "published",
    "pubdate": "published",
    "published at": "published",
    "author": "author",
    "authors": "author",
    "by": "author",
    "byline": "author",
    "url": "url",
    "link": "url",
    "canonical": "url",
    "outlet": "outlet",
    "source": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "sitename": "outlet",
    "language": "language",
    "lang": "language",
    "id": "id",
    "group": "group",
}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_SPEECH_LABEL = re.compile(
    r"\b(?:said|says|say|told|tells|wrote|writes|added|adds|"
    r"explained|continued|asked|stated|tweeted|posted)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^(?:[•·*▪►–-]|\d{1,2}[.)])\s")
_TIMESTAMP = re.compile(
    r"^(?:published|posted|first published|updated|last updated|last modified)"
    r"(?: on| at)?\s*:?\s*(?P<when>[^|•]{4,60}?)\s*(?:[|•].*)?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?,?\s*", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";", ",", '"', "”", "’", "'")
_MAX_ID = 200  # longest id the web pages and the API address (``/articles/{id}``)
_UNSAFE_ID = re.compile(r"[\x00-\x1f\x7f]")
_DETECT_CHARS = 100  # shorter texts are not given a detected language


@dataclass(slots=True)
class _Draft:
    """Mutable working state of one article inside :func:`clean`."""

    paragraphs: list[str]
    reasons: list[str | None]
    meta: dict[str, Any] = field(default_factory=dict)
    removed_header: list[Removed] = field(default_factory=list)
    published_source: PublishedSource | None = None

    def kept(self) -> list[int]:
        return [i for i, r in enumerate(self.reasons) if r is None]


def clean(document: Document, settings: CleanSettings) -> Article:
    """Turn a raw document into a clean article (see the module docstring for the steps).

    Raises:
        InputError: no article text is left (HTML without main text, text shorter than
            ``settings.min_chars``).
    """
    if document.content_type == "html":
        draft = _from_html(document, settings)
    else:
        draft = _from_text(document)
    _byline(draft)
    _timestamps(draft)
    if settings.boilerplate:
        _cut_tail(draft)
        _apply_rules(draft)
        _drop_repeats(draft)
    _syndication(draft)
    return _finish(document, draft, settings)


# --- step 1: extraction and header metadata ---------------------------------------------


def _from_html(document: Document, settings: CleanSettings) -> _Draft:
    extracted = _extract(document, settings)
    text = extracted.text if extracted is not None else None
    fragment = is_fragment(document.content)
    if fragment and (document.summary_only or not text or not text.strip()):
        text = fragment_text(document.content)  # a feed item's few paragraphs, as they are
    if not text or not text.strip():
        raise InputError("no article text found in the HTML page", source=document.source)
    meta: dict[str, Any] = {}
    if extracted is not None:
        meta = {
            "title": extracted.title,
            "author": check_author(extracted.author, document.content),
            "url": extracted.url,
            "outlet": check_outlet(extracted.sitename) or extracted.hostname,
            "published": extracted.date,
            "language": _html_lang(document.content) or extracted.language,
            "captions": _captions(document.content),
        }
    draft = _Draft(paragraphs=_paragraphs(text), reasons=[], meta=meta)
    draft.published_source = "metadata" if meta.get("published") else None
    draft.reasons = [None] * len(draft.paragraphs)
    title = _declared(document, "title") or meta.get("title")
    if title and draft.paragraphs and _norm(draft.paragraphs[0]) in _title_keys(document, meta):
        draft.reasons[0] = "title repeated in body"
    return draft


def _extract(document: Document, settings: CleanSettings) -> TrafilaturaDocument | None:
    """trafilatura's main text and metadata; without metadata if reading them fails."""
    options: dict[str, Any] = {
        "url": _safe_url(document.url),
        "include_comments": False,
        "fast": settings.extraction == "fast",
        "favor_precision": settings.extraction == "precision",
        "favor_recall": settings.extraction == "recall",
        "config": _TRAFILATURA_CONFIG,
    }
    try:
        extracted = trafilatura.bare_extraction(
            document.content,
            with_metadata=True,
            # htmldate's extensive search guesses a year from copyright footers ("© 2025"
            # -> 2025-01-01); a wrong publication date is worse than none.
            date_extraction_params={"extensive_search": False, "original_date": True},
            **options,
        )
    except Exception as e:  # lxml asserts on some markup (SVG in titles) inside htmldate
        log.debug("%s: metadata extraction failed (%s); text only", document.source, e)
        try:
            extracted = trafilatura.bare_extraction(
                document.content, with_metadata=False, **options
            )
        except Exception as again:
            raise InputError(
                f"the HTML could not be parsed ({type(again).__name__}: {again})",
                source=document.source,
            ) from again
    return extracted if isinstance(extracted, TrafilaturaDocument) else None


def _title_keys(document: Document, meta: dict[str, Any]) -> set[str]:
    """The normalised forms of the title a first paragraph repeating it may take."""
    titles = [_declared(document, "title"), meta.get("title")]
    keys = {_norm(t) for t in titles if t}
    keys |= {_norm(strip_site_name(t, _site_names(document, meta))) for t in titles if t}
    return keys - {""}


def _site_names(document: Document, meta: dict[str, Any]) -> list[str | None]:
    url = _declared(document, "url") or meta.get("url")
    return [_declared(document, "outlet"), meta.get("outlet"), meta.get("sitename"), _host(url)]


def _captions(html: str) -> list[str]:
    """The normalised text of the page's photo captions (``figcaption``, ``caption``)."""
    return [_norm(unescape(_TAG.sub(" ", match.group(2)))) for match in _CAPTION.finditer(html)]


def _html_lang(html: str) -> str | None:
    match = _HTML_LANG.search(html[:4096])
    return match.group(1).lower() if match else None


def _from_text(document: Document) -> _Draft:
    text = document.content
    meta: dict[str, Any] = {}
    removed: list[Removed] = []
    text = _front_matter(text, meta, removed)
    text = _header_block(text, meta, removed)
    token = _DATE_TOKEN.match(text)
    if token:
        meta.setdefault("published", token["date"])
        text = text[token.end() :]
    draft = _Draft(paragraphs=_paragraphs(text), reasons=[], meta=meta, removed_header=removed)
    draft.reasons = [None] * len(draft.paragraphs)
    draft.published_source = "given" if meta.get("published") else None
    _text_title(document, draft)
    return draft


def _front_matter(text: str, meta: dict[str, Any], removed: list[Removed]) -> str:
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    try:
        data = yaml.load(match.group(1), Loader=_YAML_LOADER)  # a safe loader (C or Python)
    except yaml.YAMLError:
        removed.append(Removed(text=match.group(0).strip(), reason="unreadable front matter"))
        return text[match.end() :]
    if not isinstance(data, Mapping):
        return text
    for key, value in data.items():
        _set_header(str(key), value, meta, removed)
    return text[match.end() :]


def _header_block(text: str, meta: dict[str, Any], removed: list[Removed]) -> str:
    lines = text.lstrip("\n").split("\n")
    block: list[re.Match[str]] = []
    for line in lines:
        match = _HEADER_LINE.match(line.strip())
        if not match:
            break
        block.append(match)
    ends_cleanly = len(block) == len(lines) or not lines[len(block)].strip()
    known = [m for m in block if m["key"].strip().lower() in _HEADER_KEYS]
    if not known or not ends_cleanly:
        return text
    for match in block:
        _set_header(match["key"], match["value"], meta, removed)
    return "\n".join(lines[len(block) :])


def _set_header(key: str, value: Any, meta: dict[str, Any], removed: list[Removed]) -> None:
    name = _HEADER_KEYS.get(key.strip().lower())
    if name is None or value is None:
        removed.append(Removed(text=f"{key}: {value}", reason="unrecognised metadata header"))
        return
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    meta.setdefault(name, value.isoformat() if isinstance(value, dt.date) else str(value))


def _text_title(document: Document, draft: _Draft) -> None:
    declared = _declared(document, "title") or draft.meta.get("title")
    for i, paragraph in enumerate(draft.paragraphs):
        if match_rule(paragraph):
            continue
        if declared:
            if _norm(paragraph) == _norm(declared):
                draft.reasons[i] = "title repeated in body"
            return
        draft.meta["title"] = paragraph
        if len(paragraph.split()) <= 25 and not paragraph.endswith((".", ",", ";", ":")):
            del draft.paragraphs[i], draft.reasons[i]
        return


# --- step 2: paragraphs -------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        wrapped = len(lines) >= 3 and max(len(line) for line in lines) <= 100
        for n, line in enumerate(lines):
            previous = paragraphs[-1] if n else ""
            joins = previous and not previous.endswith(_SENTENCE_END)
            bullet = _BULLET.match(line)
            if joins and not bullet and (wrapped or line[:1].islower() or previous.endswith("-")):
                paragraphs[-1] = f"{previous} {line}"
            else:
                paragraphs.append(line)
    return paragraphs


# --- steps 4-6: boilerplate ----------------------------------------------------------------


def _cut_tail(draft: _Draft) -> None:
    n = len(draft.paragraphs)
    for i in range(max(1, n // 2), n):
        if draft.reasons[i] is None and TAIL_MARKER.match(draft.paragraphs[i]):
            if any(len(p.split()) >= 60 for p in draft.paragraphs[i + 1 :]):
                return
            for j in range(i, n):
                draft.reasons[j] = (
                    draft.reasons[j]
                    or match_rule(draft.paragraphs[j])
                    or (f"related-links tail after {draft.paragraphs[i]!r}")
                )
            return


def _apply_rules(draft: _Draft) -> None:
    paragraphs, reasons = draft.paragraphs, draft.reasons
    for i in draft.kept():
        reasons[i] = match_rule(paragraphs[i])
    for i in draft.kept():
        words = len(paragraphs[i].split())
        after = reasons[i + 1] if i + 1 < len(reasons) else None
        before = reasons[i - 1] if i > 0 else None
        if after == "photo caption or credit" and words <= 6 and not _ends_sentence(paragraphs[i]):
            reasons[i] = after  # the heading of a caption, e.g. a name above a photo
        elif before is not None and before == after and words <= 12:
            reasons[i] = before  # a short line inside a block of one kind of boilerplate


def _drop_repeats(draft: _Draft) -> None:
    paragraphs, reasons = draft.paragraphs, draft.reasons
    keys = {i: _norm(paragraphs[i]) for i in draft.kept()}
    seen: set[str] = set()
    for i, key in keys.items():
        if key in seen and len(key.split()) >= 4:
            reasons[i] = "repeated paragraph"
        seen.add(key)
    keys = {i: key for i, key in keys.items() if reasons[i] is None}
    bigrams = Counter(b for key in keys.values() for b in _bigrams(key))
    for i, key in keys.items():
        labelled = LABELLED_CAPTION.match(paragraphs[i])
        if labelled and not _SPEECH_LABEL.search(labelled["label"]):
            own = _bigrams(key)
            rest = _bigrams(_norm(labelled["rest"]))
            shared = sum(1 for b in rest if bigrams[b] - (b in own) > 0)
            best = max(
                (len(rest & _bigrams(other)) for j, other in keys.items() if j != i), default=0
            )
            # most of it elsewhere, and a good part in one paragraph: not just a genre's
            # recurring phrases (police logs, price lists)
            if shared >= 0.6 * len(rest) and best >= 0.4 * len(rest):
                reasons[i] = "caption repeats body"
    keys = {i: key for i, key in keys.items() if reasons[i] is None}
    padded = "\n".join(f" {key} " for key in keys.values())
    for i, key in keys.items():
        if len(key.split()) >= 8 and padded.count(f" {key} ") >= 2:
            reasons[i] = "caption repeats body"


# --- step 7 (bylines and timestamps run first): metadata lines ------------------------


def _byline(draft: _Draft) -> None:
    for i in draft.kept()[:6]:
        byline = BYLINE.match(draft.paragraphs[i])
        if byline and len(draft.paragraphs[i].split()) <= 12:
            draft.meta.setdefault("byline", byline["name"])
            if byline["outlet"]:
                draft.meta.setdefault("outlet", byline["outlet"].strip())
            draft.reasons[i] = "byline (moved to author)"
            return


def _timestamps(draft: _Draft) -> None:
    for i in draft.kept()[:6]:
        stamp = _TIMESTAMP.match(draft.paragraphs[i])
        if not stamp:
            continue
        when = parse_published(_CLOCK.sub("", stamp["when"]).strip(" ,"))
        if when is None:
            continue
        first = stamp.group(0).lower().startswith(("pub", "post", "first"))
        if first and "published" not in draft.meta:
            draft.meta["published"] = when.iso()
            draft.published_source = "given"
        draft.reasons[i] = "timestamp line (moved to published)"


def _syndication(draft: _Draft) -> None:
    for i in draft.kept():
        paragraph = draft.paragraphs[i]
        notice = SYNDICATION_NOTICE.search(paragraph)
        if notice and len(paragraph.split()) <= 40:
            draft.meta["syndicated_from"] = notice["outlet"].strip()
            draft.reasons[i] = "syndication notice (moved to syndicated_from)"
    for i in draft.kept()[:3]:
        dateline = WIRE_DATELINE.match(draft.paragraphs[i])
        if dateline:
            draft.meta.setdefault("syndicated_from", dateline["agency"].strip())
            break


# --- finishing: metadata, id, language ----------------------------------------------------


def _finish(document: Document, draft: _Draft, settings: CleanSettings) -> Article:
    body = [p for p, r in zip(draft.paragraphs, draft.reasons, strict=True) if r is None]
    text = "\n\n".join(body)
    if len(text) < settings.min_chars:
        raise InputError(
            f"no article text left after cleaning ({len(text)} characters; "
            f"clean.min_chars is {settings.min_chars})",
            source=document.source,
        )
    captions = draft.meta.get("captions") or ()
    if captions and all(any(_norm(p) in c for c in captions) for p in body):
        raise InputError(
            "no article text: the page's only text is a photo caption", source=document.source
        )
    removed = draft.removed_header + [
        Removed(text=p, reason=r)
        for p, r in zip(draft.paragraphs, draft.reasons, strict=True)
        if r is not None
    ]
    meta = draft.meta
    url = _declared(document, "url") or meta.get("url")
    title = _declared(document, "title") or meta.get("title")
    if title and document.content_type == "html":
        title = strip_site_name(title, _site_names(document, meta))
    published, published_source = _published(document, draft)
    outlet = _declared(document, "outlet") or check_outlet(meta.get("outlet")) or _hostname(url)
    author = _declared(document, "author") or check_author(meta.get("author") or meta.get("byline"))
    return Article(
        id=_article_id(document, meta, url, title, text),
        source=document.source,
        title=title,
        text=text,
        outlet=outlet,
        author=author,
        url=url,
        published=published,
        published_source=published_source if published else None,
        language=_language(document, meta, text, settings),
        group=_declared(document, "group") or meta.get("group"),
        removed=tuple(removed),
        syndicated_from=_syndicated_from(meta.get("syndicated_from"), outlet),
        summary_only=document.summary_only,
    )


def _article_id(
    document: Document, meta: dict[str, Any], url: str | None, title: str | None, text: str
) -> str:
    """The declared id when pages can address it, else a stable hash (of it, or of content)."""
    declared = _declared(document, "id") or meta.get("id")
    if declared is None:
        return stable_id(url or "", title or "", text)
    if len(declared) > _MAX_ID or declared.endswith(".json") or _UNSAFE_ID.search(declared):
        return stable_id(declared)  # the same id each time it is read, and a usable one
    return declared


def _language(
    document: Document, meta: dict[str, Any], text: str, settings: CleanSettings
) -> str | None:
    """The declared language, unless a page template's ``lang`` contradicts the text."""
    declared = _declared(document, "language")
    if declared:
        return declared.split("-")[0].lower()
    page = meta.get("language")
    detected = None
    if settings.detect_language and len(text) >= _DETECT_CHARS:
        detected, confident = detect_language(text)
        if page and not confident:
            detected = None
    language = detected or page
    return language.split("-")[0].split("_")[0].lower() if language else None


def _syndicated_from(source: str | None, outlet: str | None) -> str | None:
    """The originating outlet, unless it is the article's own (a wire's own story)."""
    if source and outlet and _norm(source) == _norm(outlet):
        return None
    return source


def _published(document: Document, draft: _Draft) -> tuple[Any, PublishedSource | None]:
    candidates: list[tuple[str | None, PublishedSource | None]] = [
        (document.published, "given"),
        (draft.meta.get("published"), draft.published_source),
    ]
    for raw, source in candidates:
        if not raw:
            continue
        parsed = parse_published(str(raw))
        if parsed is not None:
            return parsed, source
        log.warning("%s: cannot read publication date %r", document.source, raw)
    return None, None


def _declared(document: Document, name: str) -> str | None:
    value = getattr(document, name)
    return str(value) if value else None


def _hostname(url: str | None) -> str | None:
    return (_host(url) or "").removeprefix("www.") or None


def _host(url: str | None) -> str | None:
    """The host name of ``url``; None when there is none or the URL is malformed."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:  # "http://[::1" and other unreadable URLs
        return None


def _safe_url(url: str | None) -> str | None:
    """``url`` if it can be parsed (trafilatura would raise on a malformed one)."""
    return url if _host(url) is not None else None


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _bigrams(key: str) -> set[tuple[str, str]]:
    words = key.split()
    return set(itertools.pairwise(words))


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))
