"""storyline: turn many outlets' news coverage into consolidated, cited stories.

Example::

    import storyline

    result = storyline.run(["articles/"])
    for article in result.articles:
        print(article.published, article.outlet, article.title)
"""

from __future__ import annotations

import logging

from storyline.errors import ConfigError, InputError, ModelError, StoreError, StorylineError
from storyline.ingest import read
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
from storyline.pipeline import run
from storyline.settings import DEFAULTS, Settings, load_settings

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

logging.getLogger(__name__).addHandler(logging.NullHandler())
