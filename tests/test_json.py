"""storyline._json writes the text the standard library writes, faster, and never fails
where the standard library would not."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from storyline._json import dumps, dumps_bytes

# what storyline writes: string keys; strings (lone surrogates too), integers of any size,
# floats at or above 1e-4 in magnitude (below it orjson writes 0.00001 for 1e-05)
_floats = st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda x: x == 0 or abs(x) >= 1e-4
)
_leaves = st.none() | st.booleans() | st.integers() | _floats | st.text()
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_values)
def test_compact_text_is_the_standard_librarys(value: Any) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@given(_values)
def test_indented_text_is_the_standard_librarys(value: Any) -> None:
    assert dumps(value, indent=True) == json.dumps(value, ensure_ascii=False, indent=2)


@given(_values)
def test_bytes_read_back_as_the_value(value: Any) -> None:
    assert json.loads(dumps_bytes(value)) == value


def test_values_orjson_refuses_go_through_the_standard_library() -> None:
    odd = {"text": "a\ud800b", "big": 2**70, "nested": [{"x": "\udfff"}]}
    assert dumps(odd) == json.dumps(odd, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(dumps_bytes(odd)) == odd
    assert dumps_bytes({"k": "é"}) == '{"k":"é"}'.encode()
