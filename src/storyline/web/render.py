"""Jinja2 rendering with autoescaping on for every template."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from fastapi import Request

from storyline.web import views

__all__ = ["render"]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storyline.web", "templates"),
        autoescape=True,  # every template, whatever its name: article text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = views.safe_url
    env.filters["highlight"] = views.highlight
    env.filters["q"] = views.quote_id
    return env


def render(request: Request, template: str, **context: Any) -> str:
    """Render ``template`` with ``context`` plus ``request``, ``title`` and ``json_url``."""
    context.setdefault("json_url", None)
    context.setdefault("query", "")
    return (
        _environment()
        .get_template(template)
        .render(request=request, site=request.app.state.title, **context)
    )
