"""The web application: API and pages over one store, with security headers.

Security: templates autoescape everything (article text is untrusted); every response
carries a Content-Security-Policy that allows only this site's own script and style, so
even markup that slipped through could not run inline script; SQL is parameterised in
the store; no request parameter names a file (the static files are read once, from the
package, at start-up; the API documentation's from the fastapi-offline package).

Robustness: request parameters are bounded (offsets, query lengths, ids) and a bad one is
a 4xx JSON error for the API (an error page for pages); a store that cannot be read (a
damaged file) answers 503 rather than a traceback; ``HEAD`` is answered wherever ``GET``
is (the same headers, no body).
"""

from __future__ import annotations

import functools
import html
import json
import logging
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline import __version__
from storyline.errors import DamagedStoreError, StoreError
from storyline.store.base import Store
from storyline.web import api, pages
from storyline.web.render import render

__all__ = ["CSP", "create_app"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# /docs and /redoc run Swagger UI and ReDoc from this server (their files come from the
# fastapi-offline package, no CDN), started by our own script file; both inject their
# own styles, and ReDoc runs a worker from a blob. They show no article data.
_DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'"
)
_DOCS_PATHS = ("/docs", "/redoc")
_STATIC = {"style.css": "text/css", "app.js": "text/javascript", "docs.js": "text/javascript"}
_DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
_SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · Swagger UI</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/docs-assets/favicon.png">
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""
_REDOC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/docs-assets/favicon.png"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="/docs-assets/redoc.standalone.js"></script></body></html>
"""

log = logging.getLogger(__name__)


class _Head:
    """Pure ASGI middleware answering ``HEAD`` as ``GET`` without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class _SecurityHeaders:
    """Pure ASGI middleware adding CSP and friends to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = _DOCS_CSP if scope["path"].startswith(_DOCS_PATHS) else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store: Store, *, title: str = "storyline") -> FastAPI:
    """The FastAPI application serving ``store`` (which it does not close)."""
    app = FastAPI(
        title=f"{title} API",
        version=__version__,
        description=(
            "Stories consolidated from many outlets, with citations. Story and article "
            "objects follow the output contract (docs/output.md)."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.title = title
    app.add_middleware(_SecurityHeaders)
    app.add_middleware(_Head)
    app.include_router(api.router)
    app.include_router(pages.router)
    static = {
        name: resources.files("storyline.web").joinpath("static", name).read_bytes()
        for name in _STATIC
    }

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str) -> Response:
        if name not in static:  # a fixed table: the parameter never reaches the file system
            raise HTTPException(status_code=404, detail=f"no static file {name!r}")
        return Response(
            static[name],
            media_type=_STATIC[name],
            headers={"cache-control": "public, max-age=3600"},
        )

    @app.get("/docs", include_in_schema=False)
    async def swagger_page() -> HTMLResponse:
        return HTMLResponse(_SWAGGER_PAGE.format(title=html.escape(app.title)))

    @app.get("/redoc", include_in_schema=False)
    async def redoc_page() -> HTMLResponse:
        return HTMLResponse(_REDOC_PAGE.format(title=html.escape(app.title)))

    @app.get("/docs-assets/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> Response:
        if name not in _DOCS_ASSETS:  # a fixed table, as for /static
            raise HTTPException(status_code=404, detail=f"no documentation file {name!r}")
        return Response(
            _docs_asset(name),
            media_type=_DOCS_ASSETS[name],
            headers={"cache-control": "public, max-age=86400"},
        )

    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    return app


@functools.cache
def _docs_asset(name: str) -> bytes:
    """A Swagger UI / ReDoc file shipped by fastapi-offline (read once per process)."""
    return resources.files("fastapi_offline").joinpath("static", name).read_bytes()


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or path == "/openapi.json"


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if 300 <= status < 400 and "Location" in headers:  # a story merged into another
        return RedirectResponse(headers["Location"], status_code=status)
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    return _error_page(request, status, str(detail))


async def _validation_error(request: Request, exc: Exception) -> Response:
    errors: list[Any] = list(exc.errors()) if isinstance(exc, RequestValidationError) else []
    clean = json.loads(json.dumps(errors, default=str))
    if _wants_json(request):
        return JSONResponse({"detail": clean}, status_code=422)
    message = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in clean
    )
    return _error_page(request, 422, message)


async def _store_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s: %s", request.method, request.url.path, exc)
    if isinstance(exc, DamagedStoreError):
        message = "the database is damaged; the server cannot read it (see the server's log)"
    else:
        message = "the store cannot be read just now (see the server's log)"
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=503)
    return _error_page(request, 503, message)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    html = render(request, "error.html", status=status, message=message)
    return HTMLResponse(html, status_code=status)
