"""Byte-level helpers shared by the readers: sniffing, decoding and size limits.

Every limit here keeps one input from exhausting memory: a whole document is read only up
to ``ingest.max_document_mb``; a compressed stream may give at most
``ingest.max_compression_ratio`` times the compressed bytes read so far (plus one
document's worth), so a small archive of a gigabyte of zero bytes stops early.
"""

from __future__ import annotations

import gzip
import io
import re
import unicodedata
from typing import BinaryIO

from storyline.errors import InputError
from storyline.ingest._decode import declared_charset, decode_bytes, wide_unicode
from storyline.model import ContentType, Document, Skipped

__all__ = [
    "BoundedGzip",
    "binary_kind",
    "brief",
    "declared_charset",
    "decode",
    "normalize_text",
    "read_capped",
    "whole_document",
]

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\x00\x00\x01\x00": "an icon",
    b"wOFF": "a web font",
    b"wOF2": "a web font",
    b"OggS": "a media file",
    b"fLaC": "a media file",
    b"ID3": "a media file",
    b"\x1aE\xdf\xa3": "a media file",
    b"PK\x03\x04": "a ZIP archive",
    b"\xd0\xcf\x11\xe0": "an Office document",
    b"Rar!": "a RAR archive",
    b"\x28\xb5\x2f\xfd": "a zstd archive",
    b"SQLite format 3\x00": "a SQLite database",
    b"\x7fELF": "an executable",
    b"\xca\xfe\xba\xbe": "a compiled program",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"RIFF": "a media file",
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# C0 control characters other than tab, newline and carriage return; DEL; zero-width marks;
# lone surrogates (from a JSON "\ud800" escape), which no encoder can write.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MEDIA_AT_4 = (b"ftyp",)  # MP4, MOV, HEIF: the type box follows a 4-byte size


def binary_kind(head: bytes) -> str | None:
    """Describe ``head`` when it starts a binary (non-text) file, else ``None``."""
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    if head[4:8] in _MEDIA_AT_4:
        return "a media file"
    if head.startswith(_BOMS) or wide_unicode(head) is not None:
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


class _Counted(io.RawIOBase):
    """A readable stream that counts the bytes read from it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class BoundedGzip(io.RawIOBase):
    """Gzip decompression that stops when the output outgrows the input.

    At most ``ratio`` times the compressed bytes read so far, plus ``slack`` bytes (one
    document), come out. A file cut off inside its compressed data ends there, with
    ``truncated`` set, so that everything before the cut can still be read.

    Raises:
        InputError: (from ``read``) the data expands more than that: a decompression bomb,
            or a file that is not what it claims.
    """

    def __init__(self, stream: BinaryIO, *, ratio: float, slack: int, source: str) -> None:
        self._compressed = _Counted(stream)
        self._gzip = gzip.GzipFile(fileobj=self._compressed, mode="rb")
        self._ratio = ratio
        self._slack = slack
        self._source = source
        self._out = 0
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._gzip.read1(len(buffer))
        except EOFError:  # cut off: what came before is good; the reader sees the end here
            self.truncated = True
            return 0
        n = len(data)
        buffer[:n] = data
        self._out += n
        if self._out > self._ratio * self._compressed.count + self._slack:
            raise InputError(
                f"compressed data expands more than {self._ratio:g} times "
                f"({self._compressed.count / 1e6:.3g} MB gave over {self._out / 1e6:.3g} MB); "
                "not read further",
                source=self._source,
                hint="raise ingest.max_compression_ratio if the file is genuine",
            )
        return n


def decode(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode bytes as UTF-8, or as :mod:`~storyline.ingest._decode` finds.

    Args:
        data: the bytes.
        source: the input, for the error.
        declared: the charset the input declares (an HTTP header, a ``<meta>`` tag).

    Raises:
        InputError: no text encoding fits the bytes.
    """
    text = decode_bytes(data, declared)
    if text is None:
        raise InputError(
            "cannot tell the text encoding; the file looks like binary data",
            source=source,
            hint="convert it to UTF-8 text",
        )
    return text


def normalize_text(text: str) -> str:
    """NFC-normalise, unify newlines and drop control and zero-width characters.

    A lone surrogate becomes U+FFFD (the replacement character).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def brief(error: BaseException, width: int = 160) -> str:
    """An exception's message on one line, at most ``width`` characters."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= width else text[: width - 1] + "…"


def whole_document(data: bytes, *, source: str, content_type: ContentType) -> Document | Skipped:
    """Decode a file that holds one document (plain text or an HTML page)."""
    declared = declared_charset(data) if content_type == "html" else None
    content = normalize_text(decode(data, source=source, declared=declared))
    if not content.strip():
        return Skipped(source=source, reason=f"empty file (no {content_type} after decoding)")
    return Document(source=source, content=content, content_type=content_type)
