"""Browse a store: a REST API under ``/api`` and server-rendered pages.

``create_app(store)`` builds the FastAPI application; ``storyline serve`` runs it with
uvicorn. Every HTML page has a JSON twin (``/stories/{id}`` and ``/stories/{id}.json``).
Needs the ``web`` extra: ``pip install 'storyline[web]'``.
"""

from __future__ import annotations

from storyline.web.app import create_app

__all__ = ["create_app"]
