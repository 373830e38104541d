"""Shared test factories: model objects built in code, input files written to tmp_path."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storyline.model import Article, Document, PartialDate, stable_id

BODY = (
    "The Oakdale Harbour Museum reopened on Tuesday, two weeks after thieves took three "
    "silver compasses from its maritime gallery.\n\n"
    "Director Tom Reyes said the museum had replaced its alarm system and hired two more "
    "night guards."
)


def make_document(**kw: Any) -> Document:
    """A plain-text document with a short invented news body; override any field."""
    values: dict[str, Any] = {"source": "test.txt", "content": BODY, "content_type": "text"}
    values.update(kw)
    return Document(**values)


def make_article(**kw: Any) -> Article:
    """A cleaned article; ``published`` may be given as an ISO string."""
    values: dict[str, Any] = {
        "source": "test.txt",
        "title": "Harbour museum reopens after theft",
        "text": BODY,
        "outlet": "Oakdale Courier",
        "published": PartialDate(date=dt.date(2021, 5, 4)),
        "published_source": "given",
        "language": "en",
    }
    values.update(kw)
    if isinstance(values["published"], str):
        values["published"] = PartialDate.from_iso(values["published"])
    values.setdefault("id", stable_id(values["source"], values["text"]))
    return Article(**values)


WriteFile = Callable[..., Path]


@pytest.fixture(name="make_document", scope="session")
def make_document_fixture() -> Callable[..., Document]:
    """The :func:`make_document` factory, for tests that prefer fixtures to imports."""
    return make_document


@pytest.fixture(name="make_article", scope="session")
def make_article_fixture() -> Callable[..., Article]:
    """The :func:`make_article` factory, for tests that prefer fixtures to imports."""
    return make_article


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write ``content`` (str as UTF-8, or bytes) to ``tmp_path/name``; gzip it if asked.

    Subfolders in ``name`` are created. Returns the path written.
    """

    def write(name: str, content: str | bytes, *, compress: bool = False) -> Path:
        data = content.encode("utf-8") if isinstance(content, str) else content
        if compress:
            data = gzip.compress(data)
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return write


# a short article in French (its language is detected as ``fr``)
FRENCH_ARTICLE = (
    "Title: Le musée rouvre\n\nLe musée du port a rouvert ses portes samedi après trois "
    "mois de travaux, et les visiteurs ont fait la queue pendant des heures.\n"
)
