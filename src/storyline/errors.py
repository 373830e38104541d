"""The exceptions storyline raises on purpose.

Everything derives from :class:`StorylineError`, so a caller can catch one type::

    StorylineError          anything raised on purpose; carries a ``hint`` on what to do
    ├── InputError          an input (file, record, line) cannot be read; carries ``source``
    ├── ConfigError         a setting, settings file or ``--set`` override is wrong
    ├── StoreError          the article/story store cannot be opened or written
    │   └── DamagedStoreError   the store file is damaged (truncated, corrupted)
    ├── OutputError         the output file cannot be written (missing folder, full disk)
    ├── ModelError          a language model is missing or cannot be loaded
    └── EngineError         the runner's workers failed (a worker died, a Dask scheduler
                            cannot be reached, a stage raised an unexpected error)

Inside a run, an :class:`InputError` for one record never aborts the run: the pipeline turns
it into a :class:`storyline.model.Skipped` entry.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DamagedStoreError",
    "EngineError",
    "InputError",
    "ModelError",
    "OutputError",
    "StoreError",
    "StorylineError",
]


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose.

    Args:
        message: what happened and where.
        hint: what the user can do about it (shown after the message by the CLI).
    """

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keep keyword-only arguments across process boundaries (Runner workers).
        return (_rebuild, (type(self), self.message, self.hint, self.__dict__))


class InputError(StorylineError):
    """An input cannot be read or holds no article; ``source`` names it."""

    def __init__(self, message: str, *, source: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.source = source


class ConfigError(StorylineError):
    """A setting, settings file or override is invalid."""


class StoreError(StorylineError):
    """The store cannot be opened, migrated or written."""


class DamagedStoreError(StoreError):
    """The store file is damaged: a read found a malformed page or unreadable data."""


class OutputError(StorylineError):
    """The output cannot be written (the folder is missing, the disk is full)."""


class ModelError(StorylineError):
    """A language model is not installed or cannot be loaded."""


class EngineError(StorylineError):
    """The runner's workers failed: one died, the engine cannot be reached or started."""


def _rebuild(
    cls: type[StorylineError], message: str, hint: str, state: dict[str, object]
) -> StorylineError:
    error = cls.__new__(cls)
    StorylineError.__init__(error, message, hint=hint)
    error.__dict__.update(state)
    return error
