"""Settings: defaults, TOML files, --set overrides and the errors they raise."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.settings import DEFAULTS, Settings, describe, load_settings


def test_defaults_without_file_or_overrides() -> None:
    assert load_settings() == DEFAULTS


def test_default_values() -> None:
    assert (DEFAULTS.clean.extraction, DEFAULTS.clean.min_chars, DEFAULTS.runner.chunk_size) == (
        "balanced",
        40,
        8,
    )


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULTS.clean.min_chars = 1  # type: ignore[misc]


def test_toml_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text('[clean]\nextraction = "precision"\nmin_chars = 200\n', encoding="utf-8")
    settings = load_settings(path)
    assert (settings.clean.extraction, settings.clean.min_chars) == ("precision", 200)


def test_toml_file_leaves_other_settings_at_defaults(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text("[runner]\nworkers = 3\n", encoding="utf-8")
    assert load_settings(path).clean == DEFAULTS.clean


def test_overrides_apply_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text("[clean]\nmin_chars = 200\n", encoding="utf-8")
    assert load_settings(path, ["clean.min_chars=10"]).clean.min_chars == 10


@pytest.mark.parametrize(
    ("override", "section", "key", "expected"),
    [
        ("clean.min_chars=200", "clean", "min_chars", 200),
        ("runner.workers=2.0", "runner", "workers", 2),
        ("ingest.max_document_mb=2", "ingest", "max_document_mb", 2.0),
        ("ingest.max_document_mb=0.5", "ingest", "max_document_mb", 0.5),
        ("clean.boilerplate=false", "clean", "boilerplate", False),
        ("clean.detect_language = true", "clean", "detect_language", True),
        ("clean.extraction=recall", "clean", "extraction", "recall"),
        ('clean.extraction="precision"', "clean", "extraction", "precision"),
    ],
)
def test_override_is_coerced(override: str, section: str, key: str, expected: object) -> None:
    value = getattr(getattr(load_settings(overrides=[override]), section), key)
    assert (value, type(value)) == (expected, type(expected))


@pytest.mark.parametrize(
    ("override", "suggestion"),
    [
        ("cleen.min_chars=3", "did you mean clean?"),
        ("clean.min_char=3", "did you mean clean.min_chars?"),
        ("runner.worker=3", "did you mean runner.workers?"),
    ],
)
def test_unknown_name_suggests_the_closest(override: str, suggestion: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(overrides=[override])
    assert info.value.hint == suggestion


def test_unknown_key_in_file_suggests_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text("[clean]\nboilerplates = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting clean\.boilerplates") as info:
        load_settings(path)
    assert info.value.hint == "did you mean clean.boilerplate?"


def test_unknown_name_without_close_match_lists_known_names() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(overrides=["zzz.q=1"])
    sections = ", ".join(f.name for f in dataclasses.fields(Settings))
    assert info.value.hint == f"known: {sections}"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("clean.min_chars=ten", "must be an integer"),
        ("clean.min_chars=2.5", "must be an integer"),
        ("clean.min_chars=true", "must be an integer"),
        ("ingest.max_document_mb=big", "must be a number"),
        ("clean.boilerplate=1", "must be true or false"),
        ("clean.boilerplate=yes", "must be true or false"),
        ("clean.min_chars=-1", "must be at least 0"),
        ("runner.chunk_size=0", "must be at least 1"),
        ("ingest.max_document_mb=0", "must be at least 0.001"),
        ("clean.extraction=quick", "must be one of 'balanced', 'precision', 'recall', 'fast'"),
    ],
)
def test_bad_override_value_is_a_config_error(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(overrides=[override])


@pytest.mark.issue(2)
@pytest.mark.parametrize("value", ["nan", "inf"])
def test_non_finite_number_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError):
        load_settings(overrides=[f"ingest.max_document_mb={value}"])


@pytest.mark.parametrize("override", ["clean.min_chars", "min_chars=3", "=3"])
def test_malformed_override_is_a_config_error(override: str) -> None:
    with pytest.raises(ConfigError, match="cannot read override"):
        load_settings(overrides=[override])


def test_bad_value_in_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text('[runner]\nworkers = "many"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"runner\.workers must be an integer"):
        load_settings(path)


def test_section_that_is_not_a_table_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text("clean = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a table"):
        load_settings(path)


def test_malformed_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "storyline.toml"
    path.write_text("[clean\nmin_chars = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(path)


def test_missing_settings_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read settings file") as info:
        load_settings(tmp_path / "absent.toml")
    assert "--config" in info.value.hint


def test_describe_lists_every_field_with_help() -> None:
    rows = list(describe())
    expected = {
        f"{section}.{name}"
        for section in Settings.__dataclass_fields__
        for name in getattr(DEFAULTS, section).__dataclass_fields__
    }
    assert {key for key, _value, _help in rows} == expected
    assert all(help_text.strip() for _key, _value, help_text in rows)


def test_describe_reports_current_values() -> None:
    settings = load_settings(overrides=["clean.min_chars=7"])
    assert ("clean.min_chars", 7) in {(key, value) for key, value, _ in describe(settings)}
