"""Errors: they cross process boundaries (pickle) and show their hint."""

from __future__ import annotations

import pickle

import pytest

from storyline.errors import (
    ConfigError,
    EngineError,
    InputError,
    ModelError,
    StoreError,
    StorylineError,
)

ERROR_TYPES = [StorylineError, ConfigError, StoreError, ModelError, InputError, EngineError]


@pytest.mark.parametrize("cls", ERROR_TYPES)
def test_error_pickles_with_message_and_hint(cls: type[StorylineError]) -> None:
    error = cls("cannot open the store", hint="check the path")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.message, copy.hint, str(copy)) == (
        cls,
        error.message,
        error.hint,
        str(error),
    )


def test_input_error_pickles_with_source() -> None:
    error = InputError("not valid JSON", source="feed.jsonl:3", hint="fix line 3")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.message, copy.hint) == (
        "feed.jsonl:3",
        "not valid JSON",
        "fix line 3",
    )


def test_str_includes_the_hint() -> None:
    error = ConfigError("unknown setting clean.min_char", hint="did you mean clean.min_chars?")
    assert str(error) == "unknown setting clean.min_char (did you mean clean.min_chars?)"


def test_str_without_hint_is_the_message() -> None:
    assert str(StoreError("store is locked")) == "store is locked"


@pytest.mark.parametrize("cls", ERROR_TYPES)
def test_every_error_is_a_storyline_error(cls: type[StorylineError]) -> None:
    assert issubclass(cls, StorylineError)


def test_input_error_source_defaults_to_empty() -> None:
    assert InputError("bad").source == ""
