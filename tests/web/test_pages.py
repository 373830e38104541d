"""HTML pages: sections, JSON twins, untrusted text shown as text, security headers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote

import pytest
from _hostile import PAYLOAD, build_store
from fastapi.testclient import TestClient

from storyline.model import Article, Story
from storyline.store import MemoryStore, Store
from storyline.web import create_app


@pytest.mark.parametrize(
    ("page", "twin"),
    [
        ("/", "/index.json"),
        ("/stories/s-heist", "/stories/s-heist.json"),
        ("/search?q=museum", "/search.json?q=museum"),
        ("/entities/Tom%20Reyes", "/entities/Tom%20Reyes.json"),
    ],
)
def test_every_page_has_a_json_twin(client: TestClient, page: str, twin: str) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert f'type="application/json" href="{twin}' in html.text
    assert client.get(twin).headers["content-type"] == "application/json"


def test_story_page_shows_every_section(client: TestClient) -> None:
    text = client.get("/stories/s-heist").text
    headings = ("Summary", "Timeline", "Claims", "Coverage", "Quotes", "Sources")
    for heading in (*headings, "People, places and organisations"):
        assert f"<h2>{heading}</h2>" in text
    assert 'class="cite"' in text
    assert "Officials said the vault was empty." in text  # cited source sentence
    assert "We replaced the alarm system" in text
    assert "Compasses stolen" in text


def test_empty_sections_say_none_yet(make_article: Callable[..., Article]) -> None:
    store = MemoryStore()
    _, story, _ = build_store(store, make_article)
    bare = Story(id="bare", title="Bare story", article_ids=story.article_ids)
    store.set_stories([bare])
    text = TestClient(create_app(store)).get("/stories/bare").text
    for what in ("summary", "timeline", "quotes", "claims", "entities"):
        assert f"No {what} yet." in text


@pytest.mark.parametrize(
    "path", ["/", "/stories/s-heist", "/search?q=vault", "/articles/{hostile}"]
)
def test_untrusted_text_is_escaped(
    client: TestClient, filled: tuple[Store, Story, Article], path: str
) -> None:
    hostile = filled[2]
    text = client.get(path.format(hostile=quote(hostile.id, safe=""))).text
    assert "<script>window" not in text
    assert 'onerror="window' not in text
    assert 'href="javascript:' not in text
    assert "&lt;script&gt;" in text


def test_the_article_page_shows_entities_as_written(
    client: TestClient, filled: tuple[Store, Story, Article]
) -> None:
    text = client.get(f"/articles/{filled[2].id}").text
    assert "&amp;amp; &amp;lt;b&amp;gt;" in text  # the literal "&amp; &lt;b&gt;" of the source
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in text


def test_marked_passage_is_highlighted(
    client: TestClient, filled: tuple[Store, Story, Article]
) -> None:
    text = client.get(f"/articles/{filled[2].id}", params={"mark": "0-8"}).text
    assert '<mark id="mark">Officials</mark>' not in text  # 8 chars: "Official"
    assert '<mark id="mark">Official</mark>' in text
    assert client.get(f"/articles/{filled[2].id}", params={"mark": "../etc"}).status_code == 422


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/stories/nope", "/static/style.css"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_static_files_come_from_a_fixed_table(client: TestClient) -> None:
    assert client.get("/static/app.js").status_code == 200
    for path in ("/static/..%2F__init__.py", "/static/templates", "/static/%2Fetc%2Fpasswd"):
        assert client.get(path).status_code == 404


def test_not_found_page_is_html(client: TestClient) -> None:
    response = client.get("/stories/nope")
    assert response.status_code == 404
    assert "Not found" in response.text


def test_payload_constant_is_what_the_tests_inject() -> None:
    assert "<script>" in PAYLOAD


@pytest.mark.issue(15)
def test_the_entity_page_lists_what_the_person_said_with_its_outlets(client: TestClient) -> None:
    page = client.get("/entities/Tom%20Reyes").text
    said = page.split("<h2>Statements</h2>")[1].split("<h2>Stories</h2>")[0]
    assert "We replaced the alarm system" in said
    assert "Northwire" in said
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in said  # the second carrier, escaped
    data = client.get("/entities/Tom%20Reyes.json").json()
    assert [(s["text"], s["story_id"]) for s in data["statements"]] == [
        ("We replaced the alarm system", "s-heist")
    ]


@pytest.mark.issue(16)
def test_citation_numbers_are_the_sources_numbers(
    client: TestClient, filled: tuple[Store, Story, Article]
) -> None:
    _, story, _ = filled
    text = client.get("/stories/s-heist").text
    for n, article_id in enumerate(story.article_ids, start=1):
        assert (
            f'id="source-{n}" value="{n}"><a href="/articles/{quote(article_id, safe="")}"' in text
        )
    summary = text.split('id="summary"')[1].split("</section>")[0]
    assert ">[1]<" in summary
    assert ">[2]<" in summary  # the second carrier is source 2, whatever came before


@pytest.mark.issue(16)
def test_every_claim_is_shown_with_its_values_dates_and_outlets(
    make_article: Callable[..., Article],
) -> None:
    from storyline.model import Claim, ClaimValue, PartialDate, Span

    store = MemoryStore()
    _, story, _ = build_store(store, make_article)
    span = story.quotes[0].evidence[0]
    other = Span(article_id=span.article_id, start=0, end=5)
    values = tuple(
        ClaimValue(
            value=value,
            as_of=PartialDate.from_iso(day),
            article_ids=(span.article_id,),
            evidence=(where,),
        )
        for value, day, where in (("$40,000", "2025-03-12", span), ("$95,000", "2025-04-11", other))
    )
    changed = Claim(
        subject="fund",
        attribute="amount raised",
        status="changed_over_time",
        values=values,
        kind="amount",
    )
    agreed = Claim(
        subject="Ann Lee", attribute="age", status="agree", values=values[:1], kind="age"
    )
    store.set_stories([replace(story, claims=(*story.claims, changed, agreed))])
    text = TestClient(create_app(store)).get("/stories/s-heist").text
    for label in ("Outlets disagree", "Changed over time", "Outlets agree"):
        assert label in text
    assert "as of 12 Mar 2025" in text
    assert "$95,000" in text


@pytest.mark.issue(16)
def test_bylines_keep_their_separators(client: TestClient) -> None:
    text = client.get("/").text
    assert "</time>by" not in text
    assert "</span> · <time" in text


@pytest.mark.issue(16)
def test_api_docs_work_offline(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "cdn" not in page.text.lower()
        assert "<script>" not in page.text  # no inline script: the CSP forbids it
        csp = page.headers["content-security-policy"]
        assert "script-src 'self';" in csp
        assert "https:" not in csp
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        asset = client.get(f"/docs-assets/{name}")
        assert asset.status_code == 200
        assert len(asset.content) > 100_000
    assert client.get("/docs-assets/..%2Fcore.py").status_code == 404
    assert client.get("/static/docs.js").status_code == 200


@pytest.mark.issue(16)
def test_front_page_filters_by_outlet_and_sorts(client: TestClient) -> None:
    assert "Northwire" in client.get("/").text
    assert client.get("/", params={"outlet": "Northwire"}).status_code == 200
    assert '<li class="card">' not in client.get("/", params={"outlet": "Nobody"}).text
    assert client.get("/", params={"sort": "oldest"}).status_code == 200
    assert client.get("/", params={"sort": "sideways"}).status_code == 422
    assert client.get("/index.json", params={"sort": "oldest"}).json()["sort"] == "oldest"
