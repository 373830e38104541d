"""Headless Chromium (Playwright) on a live server: browse, follow a story, search, and
check that an article's injected script never runs.

Needs Debian's ``chromium`` at /usr/bin/chromium (``.ci/run`` installs it); skips with a
message when it is absent. Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from _hostile import PAYLOAD

from storyline.settings import load_settings
from storyline.store import SQLiteStore, ingest
from storyline.web import create_app

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if shutil.which(CHROMIUM) is None:
    pytest.skip(
        f"Chromium not found at {CHROMIUM}: install it with 'apt-get install -y chromium' "
        "to run the browser tests",
        allow_module_level=True,
    )


def grouped_feed(folder: Path) -> Path:
    records = [
        {
            "id": "heist-1",
            "title": "Museum heist: compasses stolen",
            "text": "Thieves took three silver compasses from the harbour museum on Monday. "
            "Director Tom Reyes said the alarm had failed.",
            "published": "2025-03-02",
            "outlet": "Harbour Courier",
            "group": "heist",
        },
        {
            "id": "heist-2",
            "title": f"Heist follow-up {PAYLOAD}",
            "text": f"Police are still looking for the compasses. {PAYLOAD} "
            '<a href="javascript:window.__pwned=3">tip line</a> &amp; more.',
            "published": "2025-03-04",
            "outlet": "Bay <b>Post</b>",
            "url": "javascript:window.__pwned=4",
            "group": "heist",
        },
    ]
    path = folder / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    store = SQLiteStore(folder / "demo.db")
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        ingest(store, [corpus, grouped_feed(folder)], load_settings(None, ["runner.workers=1"]))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def not_pwned(page: Any) -> bool:
    return bool(page.evaluate("() => window.__pwned === undefined"))


def test_front_page_follow_a_story_and_back(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert page.locator("h1").first.inner_text() == "Stories"
    page.get_by_role("link", name="Museum heist: compasses stolen").first.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("h2", has_text="Sources").count() == 1
    quotes = page.locator("#quotes")  # filled by the quote stage, or "No quotes yet."
    assert quotes.locator("blockquote").count() > 0 or quotes.locator(".none").count() == 1
    page.get_by_role("link", name="Harbour Courier").count()  # outlet names shown as text
    page.locator("#sources a").first.click()
    page.wait_for_url("**/articles/**")
    assert "Thieves took three silver compasses" in page.locator(".text").inner_text()
    assert not_pwned(page)


def test_search_from_the_form(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("#q", "reward museum")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=reward+museum")
    hits = page.locator("ol.hits > li")
    assert hits.count() >= 3
    assert page.locator("ol.hits mark").first.inner_text().lower() in {"reward", "museum"}


def test_injected_script_never_runs(page: Any, server: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ("/", "/articles/heist-2", "/search?q=compasses"):
        page.goto(server + path)
        assert not_pwned(page)
    page.goto(server + "/articles/heist-2")
    assert "<script>window.__pwned = 1</script>" in page.locator(".text").inner_text()
    assert page.locator("h1").inner_text().startswith("Heist follow-up <script>")
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator(".meta .outlet").first.inner_text() == "Bay <b>Post</b>"
    story_link = page.locator(".meta a[href^='/stories/']").first
    story_link.click()
    page.wait_for_url("**/stories/**")
    assert not_pwned(page)
    assert errors == []


def test_pages_work_without_javascript(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/search?q=compasses")
    assert page.locator("ol.hits > li").count() >= 1
    context.close()


def test_narrow_screen_has_no_horizontal_scroll(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + "/articles/heist-2")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    context.close()
