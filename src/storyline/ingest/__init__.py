"""Ingest: find inputs, sniff their format and hand each to its reader.

Inputs are files, folders (walked recursively in name order; hidden files and folders,
whose names start with ``.``, are not walked into) or ``-`` for standard input. The format
is sniffed from the content first (gzip, WARC, binary magic numbers, JSON, feeds, HTML)
with the extension as a tie-breaker:

========  ===========================================  ============================
format    recognised by                                reader
========  ===========================================  ============================
WARC      ``WARC/`` header, ``.warc``, ``.warc.gz``    :mod:`~storyline.ingest.warc`
JSON      ``.jsonl``/``.ndjson``/``.json``, ``{``/``[``  :mod:`~storyline.ingest.jsonl`
feed      ``<rss``, ``<feed``, ``<rdf:RDF`` root       :mod:`~storyline.ingest.feeds`
HTML      ``.html``/``.htm``, or an HTML document      :mod:`~storyline.ingest.html`
text      anything else that decodes as text           :mod:`~storyline.ingest.text`
========  ===========================================  ============================

Gzip-compressed files (``.gz``) are decompressed on the fly. Every input becomes documents
or :class:`~storyline.model.Skipped` entries with a reason; nothing is dropped silently.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from storyline.errors import InputError
from storyline.ingest._io import binary_kind, read_capped
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
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|span|a|h[1-6]|br|meta|title)[\s>/]", re.IGNORECASE)


def read(
    inputs: Iterable[str | Path], settings: IngestSettings = DEFAULTS.ingest
) -> Iterator[Document | Skipped]:
    """Yield a document or a skipped entry for everything found in ``inputs``.

    Args:
        inputs: file paths, folder paths, or ``"-"`` for standard input.
        settings: ingest settings (size limit).
    """
    for item in inputs:
        if str(item) == "-":
            yield from _read_stream(sys.stdin.buffer, source="-", name="", settings=settings)
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


def _read_path(path: Path, settings: IngestSettings) -> Iterator[Document | Skipped]:
    source = str(path)
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
        yield from _read_stream(stream, source=source, name=path.name, settings=settings)


def _read_stream(
    stream: BinaryIO, *, source: str, name: str, settings: IngestSettings
) -> Iterator[Document | Skipped]:
    limit = int(settings.max_document_mb * 1_000_000)
    try:
        buffered = _buffered(stream)
        head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        if head.startswith(b"\x1f\x8b") and not name.lower().endswith(".warc.gz"):
            name = name[:-3] if name.lower().endswith(".gz") else name
            buffered = _buffered(gzip.GzipFile(fileobj=buffered, mode="rb"))
            head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        fmt = sniff(head, name)
        if fmt == "warc":
            yield from read_warc(buffered, source=source, limit=limit)
        elif fmt == "jsonl" and head.lstrip().startswith(b"["):
            yield from read_json_array(read_capped(buffered, limit, source=source), source=source)
        elif fmt == "jsonl":
            yield from read_jsonl(buffered, source=source, limit=limit)
        elif fmt.startswith("unsupported:"):
            yield Skipped(source=source, reason=fmt.removeprefix("unsupported:"))
        else:
            data = read_capped(buffered, limit, source=source)
            if not data.strip():
                yield Skipped(source=source, reason="empty file")
            elif fmt == "feed":
                yield from read_feed(data, source=source)
            elif fmt == "html":
                yield from read_html(data, source=source)
            else:
                yield from read_text(data, source=source)
    except InputError as e:
        yield Skipped(source=e.source or source, reason=e.message)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield Skipped(source=source, reason=f"compressed data is truncated or corrupt ({e})")
    except OSError as e:
        yield Skipped(source=source, reason=f"cannot read: {e.strerror or e}")


def _buffered(stream: BinaryIO | gzip.GzipFile) -> io.BufferedReader:
    if isinstance(stream, io.BufferedReader) and stream.raw is not None:
        return stream
    return io.BufferedReader(stream, buffer_size=_SNIFF_BYTES)  # type: ignore[arg-type]


def sniff(head: bytes, name: str = "") -> Format | str:
    """Guess the format of a file from its first bytes and its name.

    Strong content signals (a WARC header, binary magic numbers, an HTML document or a
    feed root) win over the extension; weak ones (a leading ``{``, a few tags) only decide
    when the extension is unknown.

    Returns:
        One of the :data:`Format` names, or ``"unsupported:<what>"`` for content that is
        not an article.
    """
    lower = name.lower()
    if head.startswith(b"WARC/") or lower.endswith((".warc", ".warc.gz")):
        return "warc"
    kind = binary_kind(head)
    if kind:
        return f"unsupported:not text: {kind}"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_START.match(stripped):
        return "html"
    if _FEED_ROOT.search(head[:4096]):
        return "feed"
    ext = _EXTENSIONS.get(os.path.splitext(lower)[1])
    if ext is not None:
        return ext
    if stripped.startswith((b"{", b"[")):
        return "jsonl"
    if stripped.startswith(b"<?xml"):
        return "unsupported:an XML document that is not an RSS/Atom feed"
    if len(_HTML_TAGS.findall(head[:8192])) >= 5:
        return "html"
    return "text"
