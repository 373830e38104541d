"""The sentence splitter: boundaries and offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline._sentences import dateline_end, split_sentences


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


@pytest.mark.issue(16)
def test_state_abbreviations_do_not_end_a_sentence() -> None:
    text = "He lives in Fresno, Calif. and works in Reno. She does not."
    assert sentences(text) == ["He lives in Fresno, Calif. and works in Reno.", "She does not."]


@pytest.mark.issue(16)
@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("PORT ELLERY (Northwire) — Officials met.", "Officials met."),
        ("HARBOURTON — Snow fell all night.", "Snow fell all night."),
        ("LONDON, March 3 (Reuters) - Shares fell.", "Shares fell."),
        ("NEW YORK (AP) — A ferry ran aground.", "A ferry ran aground."),
        ("Officials — and the mayor — agreed.", "Officials — and the mayor — agreed."),
        ("The US — and Canada — agreed.", "The US — and Canada — agreed."),
    ],
)
def test_dateline_end(text: str, rest: str) -> None:
    assert text[dateline_end(text, 0, len(text)) :] == rest


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
