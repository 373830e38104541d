"""JSON text out, fast: orjson where it can, the standard library where it cannot.

For the values storyline writes (dicts with string keys, lists, strings, integers,
finite floats, booleans, None), orjson writes the text ``json.dumps(value,
ensure_ascii=False)`` writes, compact (``separators=(",", ":")``) or with an indent of
two, except that a float below 1e-4 is written as ``0.00001`` rather than ``1e-05`` (the
same number). A NaN or an infinity, which storyline does not write, would come out as
``null`` (``json`` wrote ``NaN``, which is not JSON). It is about eight times faster: a
600-article result as indented JSON took 0.58 s with ``json`` and 0.07 s with orjson
(``docs/architecture.md``).

orjson refuses what storyline must still write: a string holding a lone surrogate (kept
from a JSON ``"\\ud800"`` escape in an input; :mod:`storyline.output` escapes it after),
an integer beyond 64 bits, a key that is not a string. Those values go through ``json``.
Reading stays with ``json.loads``: from the ``str`` SQLite returns, orjson was slower.

Memory: the ``bytes`` orjson returns keep the capacity of its output buffer, about 8 kB
for a small value (30,000 small rows kept: 245 MB against 11 MB with ``json``), so
:func:`dumps_bytes` is for bodies that are large or short-lived (pages, API responses);
:func:`dumps` copies the text into an exact-size ``str``. The clusterer's many small
rows stay with ``json`` (``storyline._cluster_state.encode``).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["dumps", "dumps_bytes"]


def dumps(value: Any, *, indent: bool = False) -> str:
    """``value`` as JSON text: compact, or indented by two spaces."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0).decode("utf-8")
    except TypeError:
        if indent:
            return json.dumps(value, ensure_ascii=False, indent=2)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def dumps_bytes(value: Any) -> bytes:
    """``value`` as compact JSON, UTF-8 encoded (lone surrogates as ``\\uXXXX`` escapes)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")
