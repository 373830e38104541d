"""Headless Chromium (Playwright) on a live server: browse, follow a story, search, and
check that an article's injected script never runs.

Needs Debian's ``chromium`` at /usr/bin/chromium (``.ci/run`` installs it); skips with a
message when it is absent. Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import json
import os
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


# --- issue 16: the story page, front page and offline API docs -----------------------------

SHOTS = os.environ.get("STORYLINE_SCREENSHOTS")  # a folder: screenshots are saved there


def _museum_story(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.locator("ol.cards .title", has_text="Ellery Maritime Museum").first.click()
    page.wait_for_url("**/stories/**")


@pytest.mark.issue(16)
def test_every_citation_number_is_the_source_with_that_number(page: Any, server: str) -> None:
    _museum_story(page, server)
    sources = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#sources li')].map(
            li => [li.id.replace('source-', ''), li.querySelector('a').getAttribute('href')]))"""
    )
    markers = page.evaluate(
        """() => [...document.querySelectorAll('a.cite')].map(a => [
            a.firstChild.textContent.replace(/[\\[\\]]/g, ''),
            a.getAttribute('href').split('?')[0]])"""
    )
    assert len(markers) > 10
    for number, href in markers:
        assert sources[number] == href


@pytest.mark.issue(16)
def test_the_visual_timeline_links_to_its_dated_entries(page: Any, server: str) -> None:
    _museum_story(page, server)
    points = page.locator("svg.axis-svg a")
    assert points.count() >= 5
    target = points.nth(2).get_attribute("href")
    points.nth(2).click()
    assert page.evaluate("() => location.hash") == target
    assert page.locator(f"ol.timeline li{target} time").count() == 1


@pytest.mark.issue(16)
def test_claims_coverage_and_summary_are_shown(page: Any, server: str) -> None:
    _museum_story(page, server)
    statuses = page.locator("#claims .status").all_inner_texts()
    assert "Outlets disagree" in statuses
    assert "Changed over time" in statuses
    for claim in page.locator("#claims li.claim").all():  # each with its values and dates
        values = claim.locator(".values li")
        assert values.count() >= (2 if "conflict" in (claim.get_attribute("class") or "") else 1)
        assert "as of" in values.first.inner_text()
    assert page.locator("table.coverage tbody tr").count() == 5  # five outlets
    assert page.locator("#summary li.latest .badge").inner_text().lower() == "latest"
    assert page.locator("#summary .date-note").count() >= 3


@pytest.mark.issue(16)
def test_front_page_filter_and_single_reports_below(page: Any, server: str) -> None:
    page.goto(server + "/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Covered by several articles") < headings.index("Single reports")
    assert page.locator("ol.cards .card .gist").count() >= 2
    page.select_option("form.filters select[name=outlet]", "Dunmore Valley Gazette")
    page.select_option("form.filters select[name=sort]", "oldest")
    page.locator("form.filters button").click()
    page.wait_for_url("**outlet=Dunmore+Valley+Gazette**")
    titles = page.locator("ol.cards .title").all_inner_texts()
    assert titles
    assert not any("hockey" in t for t in titles)


@pytest.mark.issue(16)
@pytest.mark.parametrize(("path", "ready"), [("/docs", ".swagger-ui .info .title"),
                                              ("/redoc", "h1")])  # fmt: skip
def test_api_docs_render_without_any_outside_request(
    browser: Any, server: str, path: str, ready: str
) -> None:
    context = browser.new_context()
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + path)
    page.wait_for_selector(ready, timeout=15_000)
    assert "storyline API" in page.locator(ready).first.inner_text()
    assert errors == []
    assert all("logo" in url for url in outside)  # ReDoc's "powered by" image, blocked
    context.close()


@pytest.mark.issue(16)
@pytest.mark.parametrize("width", [1280, 390])
def test_story_and_front_pages_fit_the_screen(browser: Any, server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name in ("front", "story"):
        if name == "story":
            _museum_story(page, server)
        else:
            page.goto(server + "/")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    context.close()
