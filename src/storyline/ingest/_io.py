"""Byte-level helpers shared by the readers: sniffing, decoding and size limits."""

from __future__ import annotations

import re
import unicodedata
from typing import BinaryIO

import charset_normalizer

from storyline.errors import InputError
from storyline.model import ContentType, Document, Skipped

__all__ = ["binary_kind", "decode", "normalize_text", "read_capped", "whole_document"]

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"RIFF": "a media file",
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# C0 control characters other than tab, newline and carriage return; DEL; zero-width marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")


def binary_kind(head: bytes) -> str | None:
    """Describe ``head`` when it starts a binary (non-text) file, else ``None``."""
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    if head.startswith(_BOMS):
        return None
    sample = head[:4096]
    if b"\x00" in sample:
        return "binary data"
    if sample:
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls / len(sample) > 0.1:
            return "binary data"
    return None


def read_capped(stream: BinaryIO, limit: int, *, source: str) -> bytes:
    """Read all of ``stream`` but refuse more than ``limit`` bytes.

    Raises:
        InputError: the input is larger than the limit.
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"larger than {limit / 1e6:g} MB",
            source=source,
            hint="raise ingest.max_document_mb to read it",
        )
    return data


def decode(data: bytes, *, source: str) -> str:
    """Decode bytes as UTF-8, or as the encoding charset-normalizer detects.

    Raises:
        InputError: no text encoding fits the bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(
            "cannot tell the text encoding; the file looks like binary data",
            source=source,
            hint="convert it to UTF-8 text",
        )
    return str(best)


def normalize_text(text: str) -> str:
    """NFC-normalise, unify newlines and drop control and zero-width characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def whole_document(data: bytes, *, source: str, content_type: ContentType) -> Document | Skipped:
    """Decode a file that holds one document (plain text or an HTML page)."""
    content = normalize_text(decode(data, source=source))
    if not content.strip():
        return Skipped(source=source, reason=f"empty file (no {content_type} after decoding)")
    return Document(source=source, content=content, content_type=content_type)
