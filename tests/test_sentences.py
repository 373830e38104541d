"""The sentence splitter: boundaries and offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline._sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ferry left. It came back.", ["The ferry left.", "It came back."]),
        ("Mr. Reyes spoke on Sept. 3 at noon.", ["Mr. Reyes spoke on Sept. 3 at noon."]),
        ("The U.S. Navy helped. Crews agreed.", ["The U.S. Navy helped.", "Crews agreed."]),
        ("J. K. Ames wrote it. Then she left.", ["J. K. Ames wrote it.", "Then she left."]),
        ('"We are fine," she said. Nobody left.', ['"We are fine," she said.', "Nobody left."]),
        (
            "It cost 3.5 million. Why? Nobody knows!",
            ["It cost 3.5 million.", "Why?", "Nobody knows!"],
        ),
        ("A heading\n\nA body sentence.", ["A heading", "A body sentence."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@given(st.text(alphabet=st.sampled_from("ab .?!\n\"'AB1"), max_size=200))
def test_spans_are_ordered_trimmed_and_in_bounds(text: str) -> None:
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
