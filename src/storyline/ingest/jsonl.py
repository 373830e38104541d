"""JSON Lines reader: one article per line, streamed so files of any size stay cheap.

Each line is an object with ``text`` or ``html`` and optional ``id``, ``title``,
``published`` (aliases ``date``, ``publish_date``), ``url``, ``outlet`` (alias
``source``), ``author``, ``group`` and ``language`` (alias ``lang``). A line that cannot be
read becomes a :class:`~storyline.model.Skipped` entry naming the line; the rest goes on.
A ``.json`` file holding one array of such objects is read too (whole, so it is held to
``ingest.max_document_mb``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from storyline.errors import InputError
from storyline.ingest._decode import choose_codec
from storyline.ingest._io import brief, decode, normalize_text
from storyline.model import Document, Skipped

__all__ = ["read_json_array", "read_jsonl", "record_to_document"]

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "headline"),
    "published": ("published", "date", "publish_date", "date_publish"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "sitename", "source_domain"),
    "author": ("author", "authors", "byline"),
    "group": ("group",),
    "language": ("language", "lang"),
}


def read_jsonl(stream: BinaryIO, *, source: str, limit: int) -> Iterator[Document | Skipped]:
    """Yield one document (or skip) per non-blank line of ``stream``."""
    lineno = 0
    codec: list[str] = []  # the encoding found for the first line that is not UTF-8
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        where = f"{source}:{lineno}"
        if len(line) > limit and not line.endswith(b"\n"):
            _discard_rest_of_line(stream)
            yield Skipped(
                source=where,
                reason=f"line longer than {limit / 1e6:g} MB (raise ingest.max_document_mb)",
            )
            continue
        if not line.strip():
            continue
        try:
            yield record_to_document(_parse_line(line, where, codec), source=where)
        except InputError as e:
            yield Skipped(source=where, reason=e.message)


def read_json_array(data: bytes, *, source: str) -> Iterator[Document | Skipped]:
    """Yield one document (or skip) per element of a JSON array file (``[{...}, ...]``)."""
    try:
        records = _parse_line(data, source)
    except InputError as e:
        yield Skipped(source=source, reason=e.message)
        return
    if not isinstance(records, list):
        records = [records]
    if not records:
        yield Skipped(source=source, reason="empty JSON array")
    for n, record in enumerate(records):
        where = f"{source}#{n}"
        try:
            yield record_to_document(record, source=where)
        except InputError as e:
            yield Skipped(source=where, reason=e.message)


def _discard_rest_of_line(stream: BinaryIO) -> None:
    while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


def _parse_line(line: bytes, where: str, codec: list[str] | None = None) -> Any:
    """The JSON value of ``line``; ``codec`` carries the legacy encoding from line to line."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        if codec is not None and not codec:
            codec.append(choose_codec(line) or "utf-8")
        text = decode(line, source=where, declared=codec[0] if codec else None)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON ({e.msg} at column {e.colno})", source=where) from e
    except RecursionError as e:
        raise InputError("JSON nested too deeply to read", source=where) from e
    except ValueError as e:  # a number too long to read (Python's 4,300-digit limit)
        raise InputError(f"not readable JSON ({brief(e)})", source=where) from e


def record_to_document(record: Any, *, source: str) -> Document:
    """Map one JSON object to a document, checking field types.

    Raises:
        InputError: the record is not an object or has no usable ``text``/``html``.
    """
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", source=source)
    meta: dict[str, Any] = {name: _field(record, keys, source) for name, keys in _ALIASES.items()}
    for kind in ("html", "text"):
        content = record.get(kind)
        if content is None:
            continue
        if not isinstance(content, str):
            raise InputError(f"field {kind!r} must be a string", source=source)
        if content.strip():
            return Document(
                source=source,
                content=normalize_text(content),
                content_type="html" if kind == "html" else "text",
                **meta,
            )
    raise InputError("record has no 'text' or 'html' with content", source=source)


def _field(record: dict[str, Any], keys: tuple[str, ...], source: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ", ".join(value)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InputError(f"field {key!r} must be a string, got {value!r:.60}", source=source)
        return normalize_text(str(value)).strip()
    return None
