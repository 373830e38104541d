"""Stop words per language and the check of a declared language."""

from __future__ import annotations

from storyline.text import LANGUAGES, base_language, stop_words, text_language

GERMAN = (
    "Die Kühe im neuen Stall tragen seit dem Frühjahr einen Sensor am Halsband, der dem "
    "Bauern meldet, wenn eines der Tiere krank wird oder sich nicht mehr bewegt. Der Hof "
    "liegt am Rand des Dorfes und wird von der Familie in dritter Generation geführt, und "
    "die Kinder helfen nach der Schule im Stall mit."
)


def test_every_covered_language_has_function_words() -> None:
    for language in LANGUAGES:
        assert len(stop_words(language)) > 200


def test_language_codes_are_normalised() -> None:
    assert base_language("de-AT") == base_language("DE") == "de"
    assert base_language(None) == "en"
    assert stop_words("de_CH") == stop_words("de")


def test_a_wrong_declared_language_is_corrected_by_function_words() -> None:
    assert text_language(GERMAN, "en") == "de"
    assert text_language(GERMAN, "de") == "de"


def test_a_short_text_keeps_its_declared_language() -> None:
    assert text_language("Die Kühe im Stall.", "en") == "en"
