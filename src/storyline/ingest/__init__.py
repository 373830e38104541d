"""Ingest: find inputs, sniff their format and hand each to its reader.

Inputs are files, folders (walked recursively in name order; hidden files and folders,
whose names start with ``.``, are not walked into) or ``-`` for standard input. The format
is sniffed from the content first (gzip, WARC/ARC, binary magic numbers, the root element
of XML, JSON) with the extension as a tie-breaker; ``docs/input.md`` lists every format
and its fields:

=========  ==============================================  ============================
format     recognised by                                   reader
=========  ==============================================  ============================
WARC, ARC  ``WARC/`` or ``filedesc://`` start, ``.warc``,  :mod:`~storyline.ingest.warc`
           ``.arc`` (``.gz``)
JSON       ``.jsonl``/``.ndjson``/``.json``, ``{``/``[``   :mod:`~storyline.ingest.jsonl`
feed       ``<rss>``, ``<feed>``, ``<rdf:RDF>``,           :mod:`~storyline.ingest.feeds`
           ``<CHANNEL>`` (CDF) root; JSON Feed
HTML       ``.html``/``.htm``, or an HTML document         :mod:`~storyline.ingest.html`
text       anything else that decodes as text              :mod:`~storyline.ingest.text`
=========  ==============================================  ============================

Gzip-compressed files (``.gz``) are decompressed on the fly, never to more than
``ingest.max_compression_ratio`` times their size. Every input becomes documents or
:class:`~storyline.model.Skipped` entries with a reason; nothing is dropped silently: a
file that gives nothing (an empty file, an archive of request records only) gives one
skipped entry saying why. Special files (named pipes, devices, sockets) are skipped
without being opened, so a pipe in a folder cannot block the run; files that are not
articles (source code, stylesheets, images, binaries) are skipped with what they look
like. A file name that is not valid UTF-8 is shown with ``\\xNN`` escapes.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from storyline.errors import InputError
from storyline.ingest._decode import wide_unicode
from storyline.ingest._io import BoundedGzip, binary_kind, brief, read_capped
from storyline.ingest._kinds import not_article
from storyline.ingest.feeds import read_feed
from storyline.ingest.html import read_html
from storyline.ingest.jsonl import read_json_array, read_jsonl
from storyline.ingest.text import read_text
from storyline.ingest.warc import read_warc
from storyline.model import Document, Skipped
from storyline.settings import DEFAULTS, IngestSettings

__all__ = ["Format", "read", "sniff"]

Format = Literal["warc", "jsonl", "feed", "html", "text"]

_SNIFF_BYTES = 1 << 16
_EXTENSIONS: dict[str, Format] = {
    ".warc": "warc",
    ".arc": "warc",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".cdf": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}
_ARCHIVE_NAMES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})  # channel: Microsoft's CDF
_HTML_ROOTS = frozenset({"html", "head", "body"})
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>]", re.IGNORECASE)
_PROLOG = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE
)
_DOCTYPE_HTML = re.compile(rb"<!DOCTYPE\s+html", re.IGNORECASE)
_ROOT = re.compile(rb"\s*<(?:[\w.-]+:)?([A-Za-z][\w.-]*)")
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_HTML_TAGS = re.compile(rb"<(?:p|div|article|span|a|h[1-6]|br|meta|title)[\s>/]", re.IGNORECASE)
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SPECIAL = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def read(
    inputs: Iterable[str | Path], settings: IngestSettings = DEFAULTS.ingest
) -> Iterator[Document | Skipped]:
    """Yield a document or a skipped entry for everything found in ``inputs``.

    Args:
        inputs: file paths, folder paths, or ``"-"`` for standard input.
        settings: ingest settings (size and decompression limits).
    """
    for item in inputs:
        if str(item) == "-":
            yield from _accounted(sys.stdin.buffer, source="-", name="", settings=settings)
            continue
        path = Path(item)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_path(file, settings)
        else:
            yield from _read_path(path, settings)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _display(path: Path) -> str:
    """The path as text that can be written anywhere (undecodable bytes as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _read_path(path: Path, settings: IngestSettings) -> Iterator[Document | Skipped]:
    source = _display(path)
    problem = _not_a_file(path)
    if problem is not None:
        yield Skipped(source=source, reason=problem)
        return
    try:
        stream = path.open("rb", buffering=_SNIFF_BYTES)
    except FileNotFoundError:
        yield Skipped(source=source, reason="no such file or folder")
        return
    except IsADirectoryError:
        yield Skipped(source=source, reason="is a folder that cannot be walked")
        return
    except OSError as e:
        yield Skipped(source=source, reason=f"cannot open: {e.strerror or e}")
        return
    with stream:
        name = _display(Path(path.name))
        yield from _accounted(stream, source=source, name=name, settings=settings)


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` is not read (a pipe, a device, a dangling link), or None to read it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if path.is_symlink() else "no such file or folder"
    except OSError as e:
        return f"cannot open: {e.strerror or e}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    for test, what in _SPECIAL:
        if test(mode):
            return f"not a regular file but {what}; not read"
    return "not a regular file (a socket or another special file); not read"


def _accounted(
    stream: BinaryIO, *, source: str, name: str, settings: IngestSettings
) -> Iterator[Document | Skipped]:
    """The input's documents and skips; one skipped entry when the readers give nothing."""
    empty = True
    for item in _read_stream(stream, source=source, name=name, settings=settings):
        empty = False
        yield item
    if empty:
        yield Skipped(source=source, reason="no records found in the file")


def _read_stream(
    stream: BinaryIO, *, source: str, name: str, settings: IngestSettings
) -> Iterator[Document | Skipped]:
    limit = int(settings.max_document_mb * 1_000_000)
    gzipped: BoundedGzip | None = None
    fmt: str = ""
    try:
        buffered = _buffered(stream)
        head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        if head.startswith(b"\x1f\x8b"):
            name = name[:-3] if name.lower().endswith(".gz") else name
            ratio = settings.max_compression_ratio
            gzipped = BoundedGzip(buffered, ratio=ratio, slack=limit, source=source)
            buffered = _buffered(gzipped)
            head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        if not head.strip():  # blank so far: the whole file, to tell empty from padded
            head = read_capped(buffered, limit, source=source)
            if not head.strip():
                yield Skipped(source=source, reason="empty file")
                return
            buffered = _buffered(io.BytesIO(head))
        fmt = sniff(head, name)
        if fmt == "warc":
            yield from read_warc(buffered, source=source, limit=limit)
        elif fmt == "jsonl" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            yield from read_jsonl(buffered, source=source, limit=limit)
        elif fmt.startswith("unsupported:"):
            yield Skipped(source=source, reason=fmt.removeprefix("unsupported:"))
        else:  # one document (or one array, one feed): read whole
            data = read_capped(buffered, limit, source=source)
            if gzipped is not None and gzipped.truncated:
                raise EOFError("the file ends before the compressed data does")
            if fmt == "jsonl":
                yield from read_json_array(data, source=source)
            elif fmt == "feed":
                yield from read_feed(data, source=source, settings=settings)
            elif fmt == "html":
                yield from read_html(data, source=source)
            else:
                yield from _text_file(data, source=source, name=name)
    except InputError as e:
        yield Skipped(source=e.source or source, reason=e.message)
        return
    except (EOFError, zlib.error) as e:
        yield Skipped(source=source, reason=f"compressed data is truncated or corrupt ({brief(e)})")
        return
    except OSError as e:  # gzip.BadGzipFile too
        yield Skipped(source=source, reason=f"cannot read: {e.strerror or brief(e)}")
        return
    if gzipped is not None and gzipped.truncated and fmt == "jsonl":  # archives say where
        yield Skipped(
            source=source,
            reason="compressed data is truncated: the file ends early (the lines before were read)",
        )


def _text_file(data: bytes, *, source: str, name: str) -> Iterator[Document | Skipped]:
    for item in read_text(data, source=source):
        problem = not_article(item.content, name) if isinstance(item, Document) else None
        yield item if problem is None else Skipped(source=source, reason=problem)


def _buffered(stream: BinaryIO | io.RawIOBase) -> io.BufferedReader:
    if isinstance(stream, io.BufferedReader) and stream.raw is not None:
        return stream
    return io.BufferedReader(stream, buffer_size=_SNIFF_BYTES)  # type: ignore[arg-type]


def sniff(head: bytes, name: str = "") -> Format | str:
    """Guess the format of a file from its first bytes and its name.

    Strong content signals (a WARC or ARC header, binary magic numbers, the root element
    of an HTML page, a feed or another XML document, a JSON Feed) win over the
    extension; weak ones (a leading ``{``, a few tags) only decide when the extension is
    unknown.

    Returns:
        One of the :data:`Format` names, or ``"unsupported:<what>"`` for content that is
        not an article.
    """
    lower = name.lower()
    if head.startswith((b"WARC/", b"filedesc://")) or lower.endswith(_ARCHIVE_NAMES):
        return "warc"
    kind = binary_kind(head)
    if kind:
        return f"unsupported:not text: {kind}"
    head = _as_utf8(head)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    root = _root(stripped)
    if root in _HTML_ROOTS:
        return "html"
    if root in _FEED_ROOTS:
        return "feed"
    if root == "svg":
        return "unsupported:not an article: an SVG image"
    if stripped.startswith(b"{") and _JSON_FEED.search(head[:4096]):
        return "feed"
    if root is None and _FEED_ROOT.search(head[:4096]):
        return "feed"
    ext = _EXTENSIONS.get(os.path.splitext(lower)[1])
    if ext is not None:
        return ext
    if stripped.startswith((b"{", b"[")):
        return "jsonl"
    tags = len(_HTML_TAGS.findall(head[:8192]))
    if stripped.startswith(b"<?xml") and tags < 5:
        return "unsupported:an XML document that is not an RSS/Atom feed"
    return "html" if tags >= 5 else "text"


def _as_utf8(head: bytes) -> bytes:
    """The head of a UTF-16 or UTF-32 file in UTF-8, so one set of patterns sniffs it."""
    marked = (codec for bom, codec in _WIDE_BOMS if head.startswith(bom))
    codec = next(marked, None) or wide_unicode(head)
    if codec is None:
        return head
    return head[: len(head) // 4 * 4].decode(codec, errors="replace").encode("utf-8")


def _root(head: bytes) -> str | None:
    """The local name of the first element of an XML or HTML document, lower-cased."""
    at = 0
    while True:
        prolog = _PROLOG.match(head, at)
        if prolog is None:
            break
        if _DOCTYPE_HTML.match(prolog.group(0).lstrip()):
            return "html"
        at = prolog.end()
    match = _ROOT.match(head, at)
    return match.group(1).decode("ascii").lower() if match else None
