"""Browse a store: a REST API under ``/api`` and server-rendered pages.

``create_app(store)`` builds the FastAPI application; ``storyline serve`` runs it with
uvicorn. Every HTML page has a JSON twin (``/stories/{id}`` and ``/stories/{id}.json``).
Needs the ``web`` extra: ``pip install 'storyline[web]'``. The page models
(:mod:`storyline.web.story_page`) need none of it: an ingest imports them to store each
story's page, so this package imports FastAPI only when ``create_app`` is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from storyline.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
