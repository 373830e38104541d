"""Sentence boundaries with offsets, per language."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.text import first_sentence, split_sentences


def _sentences(text: str, language: str | None = None) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, language)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Dr. Müller kam am 3. Mai nach Berlin. Er sagte z. B. nichts."
    assert _sentences(text, "de") == [
        "Dr. Müller kam am 3. Mai nach Berlin.",
        "Er sagte z. B. nichts.",
    ]
    assert _sentences("Mr. Smith left. Then Mrs. Jones came.", "en") == [
        "Mr. Smith left.",
        "Then Mrs. Jones came.",
    ]


def test_a_line_break_ends_a_sentence_outside_english() -> None:
    assert _sentences("Eine Überschrift ohne Punkt\nDer Text beginnt hier.", "de") == [
        "Eine Überschrift ohne Punkt",
        "Der Text beginnt hier.",
    ]


def test_english_keeps_the_news_rules() -> None:
    from storyline._sentences import split_sentences as english

    text = "A heading without a stop\nThe body starts here. Mr. Smith agreed."
    assert split_sentences(text, "en") == english(text)


def test_first_sentence_collapses_whitespace() -> None:
    assert first_sentence("  One   sentence here.  Another one.") == "One sentence here."
    assert first_sentence("") == ""


@given(st.text(alphabet=st.sampled_from('ab. ?!\n"A'), max_size=80))
def test_spans_are_ordered_trimmed_and_inside_the_text(text: str) -> None:
    spans = split_sentences(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        previous = end
