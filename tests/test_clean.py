"""Clean: boilerplate out (every removal reported), metadata in, body kept verbatim."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean import clean
from storyline.errors import InputError
from storyline.model import Article
from storyline.settings import DEFAULTS
from tests.conftest import make_document

S = DEFAULTS.clean

BODY = [
    "OAKDALE (Examplewire) - The Oakdale Harbour Museum reopened on Tuesday, two weeks after "
    "thieves took three silver compasses from its maritime gallery.",
    "Director Tom Reyes said the museum had replaced its alarm system and hired two more "
    "night guards.",
    "Police said on Monday they had recovered one of the compasses from a pawn shop in the "
    "neighbouring town of Riverton.",
    "Reyes told staff that the museum's newsletter would carry updates on the investigation, "
    "and he thanked visitors who had shared photos of the gallery on Instagram and Twitter.",
    "The museum will offer free entry to residents of Oakdale until the end of the month.",
]
BOILERPLATE = [
    "URL copied to clipboard.",
    "Sign up for our daily newsletter to get the latest local news delivered to your inbox.",
    "View this post on Instagram",
    "A post shared by Oakdale Harbour Museum (@oakdalemuseum)",
    "Photo: Jane Roe/Example Agency",
    "UK: +44 20 7946 0000",
    "Gallery: Police said on Monday they had recovered one of the compasses from a pawn shop "
    "in the neighbouring town.",
    "This article is republished from The Example Times. Read the original article.",
    "You might also like",
    "Mayor opens new ferry terminal",
    "Council approves budget for coastal path",
]
ARTICLE = "\n\n".join(
    [
        "Harbour museum reopens after theft",
        "By Maria Lopez",
        BODY[0],
        BOILERPLATE[0],
        BODY[1],
        BOILERPLATE[1],
        BOILERPLATE[2],
        BOILERPLATE[3],
        BODY[2],
        BOILERPLATE[4],
        BOILERPLATE[5],
        BODY[3],
        BOILERPLATE[6],
        BODY[4],
        *BOILERPLATE[7:],
    ]
)


@pytest.fixture(scope="module")
def article() -> Article:
    return clean(make_document(content=ARTICLE), S)


# --- plain text: must contain / must not contain ---------------------------------------------


def test_body_paragraphs_are_kept_verbatim_and_in_order(article: Article) -> None:
    assert article.text == "\n\n".join(BODY)


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_line_is_not_in_text(article: Article, line: str) -> None:
    assert line not in article.text


@pytest.mark.parametrize("line", BOILERPLATE)
def test_removed_line_is_reported_with_a_reason(article: Article, line: str) -> None:
    reasons = {removed.text: removed.reason for removed in article.removed}
    assert reasons.get(line)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("URL copied to clipboard.", "share widget"),
        ("View this post on Instagram", "social embed"),
        ("Photo: Jane Roe/Example Agency", "photo caption or credit"),
        ("UK: +44 20 7946 0000", "picture-desk phone number"),
        ("Mayor opens new ferry terminal", "related-links tail after 'You might also like'"),
    ],
)
def test_removal_reason(article: Article, line: str, reason: str) -> None:
    assert (line, reason) in {(r.text, r.reason) for r in article.removed}


def test_caption_repeating_the_body_is_removed_as_repeat(article: Article) -> None:
    reasons = {removed.text: removed.reason for removed in article.removed}
    assert reasons[BOILERPLATE[6]] == "caption repeats body"


def test_body_mentioning_newsletter_and_social_media_is_kept(article: Article) -> None:
    assert BODY[3] in article.text.split("\n\n")


def test_byline_becomes_author(article: Article) -> None:
    assert (article.author, "By Maria Lopez" in article.text) == ("Maria Lopez", False)


def test_headline_first_line_becomes_title_not_body(article: Article) -> None:
    assert article.title == "Harbour museum reopens after theft"
    assert article.title not in article.text


def test_syndication_notice_gives_syndicated_from(article: Article) -> None:
    assert article.syndicated_from == "Example Times"  # the leading "The" is dropped


def test_wire_dateline_gives_syndicated_from_and_stays_in_text() -> None:
    text = "\n\n".join(["Harbour museum reopens after theft", *BODY])
    cleaned = clean(make_document(content=text), S)
    assert cleaned.syndicated_from == "Examplewire"
    assert cleaned.text.startswith("OAKDALE (Examplewire) - The Oakdale")


def test_wire_dateline_of_the_outlet_itself_is_not_syndication() -> None:
    cleaned = clean(make_document(content="\n\n".join(BODY), outlet="Examplewire"), S)
    assert cleaned.syndicated_from is None


def test_boilerplate_off_keeps_boilerplate() -> None:
    cleaned = clean(make_document(content=ARTICLE), dataclasses.replace(S, boilerplate=False))
    assert "URL copied to clipboard." in cleaned.text.split("\n\n")


def test_short_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text left"):
        clean(make_document(content="Too short."), S)


# --- plain text: header metadata ----------------------------------------------------------------

FRONT_MATTER = (
    "---\n"
    "title: Harbour museum reopens after theft\n"
    "date: 2021-05-04\n"
    "author: Maria Lopez\n"
    "outlet: Oakdale Courier\n"
    "url: https://courier.example/museum\n"
    "---\n" + "\n\n".join(BODY[1:])
)
HEADERS = (
    "Title: Harbour museum reopens after theft\n"
    "Published: 2021-05-04\n"
    "Author: Maria Lopez\n"
    "Source: Oakdale Courier\n"
    "URL: https://courier.example/museum\n\n" + "\n\n".join(BODY[1:])
)
EXPECTED_META = {
    "title": "Harbour museum reopens after theft",
    "published": "2021-05-04",
    "published_source": "given",
    "author": "Maria Lopez",
    "outlet": "Oakdale Courier",
    "url": "https://courier.example/museum",
}


def _meta(article: Article) -> dict[str, str | None]:
    return {
        "title": article.title,
        "published": article.published.iso() if article.published else None,
        "published_source": article.published_source,
        "author": article.author,
        "outlet": article.outlet,
        "url": article.url,
    }


@pytest.mark.parametrize("content", [FRONT_MATTER, HEADERS], ids=["front-matter", "headers"])
def test_header_metadata_is_parsed(content: str) -> None:
    assert _meta(clean(make_document(content=content), S)) == EXPECTED_META


@pytest.mark.parametrize("content", [FRONT_MATTER, HEADERS], ids=["front-matter", "headers"])
def test_header_metadata_is_not_left_in_text(content: str) -> None:
    assert clean(make_document(content=content), S).text == "\n\n".join(BODY[1:])


def test_leading_date_token_gives_published_and_title() -> None:
    content = "date 2021-05-04 Harbour museum reopens after theft\n\n" + "\n\n".join(BODY[1:])
    cleaned = clean(make_document(content=content), S)
    assert (cleaned.title, _meta(cleaned)["published"], cleaned.published_source) == (
        "Harbour museum reopens after theft",
        "2021-05-04",
        "given",
    )
    assert "2021-05-04" not in cleaned.text


def test_first_line_that_is_a_sentence_stays_in_body() -> None:
    cleaned = clean(make_document(content="\n\n".join(BODY[1:])), S)
    assert (cleaned.title, cleaned.text) == (BODY[1], "\n\n".join(BODY[1:]))


def test_declared_document_metadata_wins() -> None:
    cleaned = clean(make_document(content=HEADERS, author="Sam Okafor"), S)
    assert cleaned.author == "Sam Okafor"


# --- HTML ---------------------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="en-GB"><head>
<title>Ferry terminal opens | Oakdale Courier</title>
<meta property="og:title" content="Ferry terminal opens">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2021-05-04T09:30:00Z">
<meta property="og:site_name" content="Oakdale Courier">
<link rel="canonical" href="https://courier.example/news/ferry-terminal-opens">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry terminal opens</h1>
<p>The new ferry terminal in Oakdale opened on Tuesday after three years of building work
and a long dispute over its cost.</p>
<p>Mayor Ana Price cut the ribbon in front of several hundred residents, many of whom had
campaigned for the terminal for a decade.</p>
<p>The first crossing to Riverton left at noon and carried 212 passengers, according to the
operator.</p>
</article><footer>Copyright 2021 Oakdale Courier</footer></body></html>"""


@pytest.fixture(scope="module")
def page() -> Article:
    return clean(make_document(source="ferry.html", content=PAGE, content_type="html"), S)


def test_html_metadata_comes_from_meta_tags(page: Article) -> None:
    assert (page.title, page.author, page.outlet, page.url, page.language) == (
        "Ferry terminal opens",
        "Maria Lopez",
        "Oakdale Courier",
        "https://courier.example/news/ferry-terminal-opens",
        "en",
    )


def test_html_published_date_is_metadata(page: Article) -> None:
    assert (str(page.published), page.published_source) == ("2021-05-04", "metadata")


def test_html_main_text_is_extracted(page: Article) -> None:
    assert page.text.split("\n\n")[1].startswith("Mayor Ana Price cut the ribbon")


@pytest.mark.parametrize("chrome", ["Home", "Copyright 2021", "Ferry terminal opens"])
def test_html_page_chrome_is_not_in_text(page: Article, chrome: str) -> None:
    assert chrome not in page.text


def test_html_without_main_text_is_an_input_error() -> None:
    empty = (
        "<html><head><title>Nothing</title></head>"
        "<body><nav><a href='/'>Home</a></nav></body></html>"
    )
    with pytest.raises(InputError):
        clean(make_document(source="empty.html", content=empty, content_type="html"), S)


# --- property: cleaning never adds text ---------------------------------------------------

VOCABULARY = (
    BODY
    + BOILERPLATE
    + [
        "By Sam Okafor",
        "Share this article",
        "Advertisement",
        "More headlines",
        "Read more: Ferry fares to rise in June",
        "Title: Ferry fares",
        "date 2021-05-04",
        "",
    ]
)


def _normalise(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14), st.booleans())
def test_cleaning_never_adds_text(lines: list[str], boilerplate: bool) -> None:
    content = "\n".join(lines)
    try:
        cleaned = clean(
            make_document(content=content), dataclasses.replace(S, boilerplate=boilerplate)
        )
    except InputError:
        return
    source = _normalise(content)
    for paragraph in cleaned.text.split("\n\n"):
        assert _normalise(paragraph) in source


def test_removed_texts_come_from_the_input(article: Article) -> None:
    source = _normalise(ARTICLE)
    assert all(_normalise(removed.text) in source for removed in article.removed)


def test_every_input_line_is_kept_or_reported(article: Article) -> None:
    accounted = {_normalise(p) for p in article.text.split("\n\n")} | {
        _normalise(r.text) for r in article.removed
    }
    lines = [_normalise(line) for line in re.split(r"\n\s*\n", ARTICLE) if line.strip()]
    missing = [line for line in lines if line not in accounted and line != article.title]
    assert missing == []


# --- regressions found by benchmarks/extraction.py: body text the rules must keep ---------

_KEEP_BODY = [
    "Notice the gap between the two panels on the left. pic.twitter.com/AbCdEf1234",
    "— Oakdale Transit (@oakdaletransit) March 4, 2021",
    "The pair lost the final to Amar Okafor/Lena Brandt (Kenya/Austria) in straight sets.",
    "October 20: COLLISION – A delivery van driven by a local man was eastbound on Mill Road "
    "when it struck a parked trailer; no injuries were reported.",
    "October 21: COLLISION – A pickup driven by a local woman was westbound on Mill Road when "
    "it struck a deer; no injuries were reported.",
    "Charging stations: Where can you charge on the ring road?",
]


@pytest.mark.issue(2)
@pytest.mark.parametrize("line", _KEEP_BODY)
def test_body_lines_that_resemble_boilerplate_are_kept(line: str) -> None:
    body = "\n\n".join(
        [
            "Oakdale weekly roundup",
            "The council met on Tuesday to review the week's road reports and transit updates.",
            *_KEEP_BODY,
            "Charging stations: Where can you charge on the ring road?",
        ]
    )
    article = clean(make_document(content=body), DEFAULTS.clean)
    assert line in article.text


@pytest.mark.issue(2)
def test_labelled_caption_starting_with_a_one_letter_word_is_removed() -> None:
    body = "\n\n".join(
        [
            "Harbour museum reopens",
            "A stunned guard found the display case open on Monday morning before dawn.",
            "Aftermath: A stunned guard found the display case open on Monday morning",
            "Police said the investigation was continuing and asked witnesses to come forward.",
        ]
    )
    article = clean(make_document(content=body), DEFAULTS.clean)
    assert "A stunned guard found the display case open on Monday morning before dawn." in (
        article.text
    )
    assert [r.reason for r in article.removed] == ["caption repeats body"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Lesen Sie auch: Neue Fähre für den Hafen", "read-more link"),
        ("Vea también: El puerto amplía su horario", "read-more link"),
        ("Foto: Max Muster/Hafenbild", "photo caption or credit"),
        ("Anzeige", "advertisement"),
        ("Kommentare (12)", "comment widget"),
        ("Jetzt unseren Newsletter kostenlos abonnieren", "newsletter prompt"),
    ],
)
def test_common_non_english_boilerplate_is_removed(line: str, reason: str) -> None:
    body = "\n\n".join(
        [
            "Neue Fähre für Oakdale",
            "Die neue Fähre soll ab Mai zwischen Oakdale und der Insel pendeln, sagte der "
            "Bürgermeister am Dienstag vor dem Stadtrat.",
            line,
            "Die Kosten liegen nach Angaben der Stadt bei rund vier Millionen Euro.",
        ]
    )
    article = clean(make_document(content=body), DEFAULTS.clean)
    assert line not in article.text
    assert [(r.text, r.reason) for r in article.removed] == [(line, reason)]
