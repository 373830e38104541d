"""Word tokens and content terms per language."""

from __future__ import annotations

import pytest

from storyline.text import terms, words


def _terms(text: str, language: str | None) -> list[str]:
    return [t.term for t in terms(text, language)]


def test_words_keep_inner_apostrophes_and_offsets() -> None:
    text = "O'Neil didn't go."
    found = [(m.group(), m.start()) for m in words(text)]
    assert found == [("O'Neil", 0), ("didn't", 7), ("go", 14)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The minister said the bridge was closed", ["minister", "bridge", "closed"]),
        (
            "de",
            "Die Ministerin sagte, die Brücke sei gesperrt",
            ["ministerin", "brücke", "gesperrt"],
        ),
        ("fr", "Le ministre a déclaré que le pont était fermé", ["ministre", "pont", "fermé"]),
        ("es", "El ministro dijo que el puente estaba cerrado", ["ministro", "puente", "cerrado"]),
    ],
)
def test_function_and_reporting_words_are_stop_words(
    language: str, text: str, expected: list[str]
) -> None:
    assert _terms(text, language) == expected


def test_french_elisions_and_english_possessives_fold() -> None:
    assert _terms("l'armée et d’Israël", "fr") == ["armée", "israël"]
    assert _terms("Obama's plan", "en") == ["obama", "plan"]


def test_years_are_kept_and_other_numbers_dropped() -> None:
    assert _terms("In 2009 some 150 people", "en") == ["2009"]


def test_weekdays_and_months_are_stop_words_in_each_language() -> None:
    assert _terms("Am Montag, dem 3. März", "de") == []
    assert _terms("el lunes 3 de marzo", "es") == []


def test_unknown_language_reads_as_english() -> None:
    assert _terms("the bridge", "xx") == _terms("the bridge", None) == ["bridge"]


def test_terms_carry_the_word_and_its_offsets() -> None:
    (term,) = terms("  Brücke", "de")
    assert (term.term, term.word, term.start, term.end) == ("brücke", "Brücke", 2, 8)
