"""_ner_scope: which words can be part of a name, and the windows NER runs on."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.extract._ner_scope import may_be_name, name_windows


@pytest.mark.parametrize(
    "word", ["Teigen", "Teigen's", "I.R.S.", "(AP)", "iPhone", "“Police", "May"]
)
def test_capitalised_words_can_be_names(word: str) -> None:
    assert may_be_name(word)


@pytest.mark.parametrize("word", ["the", "9/11", "The", "“We", "However,", "I", "It’s"])
def test_lower_case_and_capitalised_closed_class_words_cannot(word: str) -> None:
    assert not may_be_name(word)


def test_windows_reach_margin_words_either_side() -> None:
    text = "one two three four Castellano five six seven eight"
    (span,) = name_windows(text, margin=2)
    assert text[span[0] : span[1]] == "three four Castellano five six"


def test_windows_that_touch_merge() -> None:
    text = "a b Wren c d e Okonjo f g"
    assert name_windows(text, margin=2) == [(0, len(text))]


def test_text_far_from_any_name_is_left_out() -> None:
    text = "Wren spoke. " + "the harbour was quiet that night and " * 5 + "then Okonjo left."
    spans = name_windows(text, margin=3)
    assert len(spans) == 2
    assert "Wren" in text[slice(*spans[0])]
    assert "Okonjo" in text[slice(*spans[1])]
    assert sum(end - start for start, end in spans) < len(text) / 2


def test_no_capitalised_word_means_no_window() -> None:
    assert name_windows("the museum reopened on saturday. it was busy.", margin=6) == []


@given(st.text(alphabet="aB .,\n'’“”", max_size=200), st.integers(min_value=0, max_value=8))
def test_windows_are_ordered_disjoint_and_cut_at_whitespace(text: str, margin: int) -> None:
    spans = name_windows(text, margin=margin)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        assert start == 0 or text[start - 1].isspace()
        assert end == len(text) or text[end].isspace()
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
