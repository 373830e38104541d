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


@pytest.mark.issue(18)
def test_a_long_run_of_stops_is_one_boundary() -> None:
    text = "It rained" + "." * 50_000 + " Then it stopped."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "It rained" + "." * 50_000,
        "Then it stopped.",
    ]


@pytest.mark.issue(18)
def test_abbreviation_is_seen_at_the_end_of_a_long_sentence() -> None:
    text = "word " * 5_000 + "met Dr. Smith. He left."
    assert [text[s:e][-12:] for s, e in split_sentences(text)] == ["t Dr. Smith.", "He left."]
