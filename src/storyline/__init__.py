"""storyline: turn many outlets' news coverage into consolidated, cited stories.

Example::

    import storyline

    result = storyline.run(["articles/"])
    for article in result.articles:
        print(article.published, article.outlet, article.title)
"""

from __future__ import annotations

import logging
import typing

from storyline.errors import ConfigError, InputError, ModelError, StoreError, StorylineError
from storyline.model import (
    OUTPUT_VERSION,
    Article,
    Claim,
    ClaimValue,
    DateNote,
    Document,
    Entity,
    Event,
    PartialDate,
    Quote,
    Removed,
    Result,
    Skipped,
    Span,
    Story,
    Summary,
    SummarySentence,
    TimeExpression,
    TimelineEntry,
    from_dict,
    to_dict,
)
from storyline.settings import DEFAULTS, Settings, load_settings

if typing.TYPE_CHECKING:
    from storyline.ingest import read
    from storyline.pipeline import run

__version__ = "0.1.0"

__all__ = [
    "DEFAULTS",
    "OUTPUT_VERSION",
    "Article",
    "Claim",
    "ClaimValue",
    "ConfigError",
    "DateNote",
    "Document",
    "Entity",
    "Event",
    "InputError",
    "ModelError",
    "PartialDate",
    "Quote",
    "Removed",
    "Result",
    "Settings",
    "Skipped",
    "Span",
    "StoreError",
    "Story",
    "StorylineError",
    "Summary",
    "SummarySentence",
    "TimeExpression",
    "TimelineEntry",
    "__version__",
    "from_dict",
    "load_settings",
    "read",
    "run",
    "to_dict",
]

# ``read`` and ``run`` import every stage and its libraries (trafilatura, datasketch and
# scipy, lxml, feedparser, warcio, babel...), so they are imported on first use: the CLI's
# ``--version`` and ``--help``, the web workers and the model classes start without them.
_LAZY = {"read": "storyline.ingest", "run": "storyline.pipeline"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'storyline' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


logging.getLogger(__name__).addHandler(logging.NullHandler())
