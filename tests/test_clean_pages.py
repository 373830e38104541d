"""Cleaning real-world pages: titles, authors, outlets, language, captions, fragments (#18).

Each rule is general (the page's own site name, how the page writes a value, the
language of the text); the pages here are invented.
"""

from __future__ import annotations

import pytest

from storyline._fragment import fragment_text
from storyline._metadata import check_author, check_outlet, strip_site_name
from storyline.clean import clean
from storyline.errors import InputError
from storyline.model import Article
from storyline.settings import DEFAULTS
from tests.conftest import make_document

pytestmark = pytest.mark.issue(18)

PARAGRAPHS = (
    "The new ferry terminal in Oakdale opened on Tuesday after three years of building "
    "work, and the first boat left for Riverton at seven in the morning.",
    "Mayor Ana Price said the terminal would carry about three thousand people a day once "
    "the summer timetable starts in June.",
    "The project cost 40 million dollars, most of it paid by the regional government.",
)
GERMAN = (
    "Das neue Fährterminal in Oakdale ist am Dienstag nach drei Jahren Bauzeit eröffnet "
    "worden, und das erste Schiff fuhr um sieben Uhr morgens nach Riverton.",
    "Bürgermeisterin Ana Price sagte, das Terminal werde täglich etwa dreitausend Menschen "
    "befördern, sobald im Juni der Sommerfahrplan beginnt.",
    "Das Projekt kostete 40 Millionen Euro, den größten Teil zahlte die Landesregierung.",
)


def _page(
    *,
    title: str = "Ferry terminal opens",
    site: str = "Oakdale Courier",
    author: str = "Ana Price",
    lang: str = "en",
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    extra: str = "",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta name="author" content="{author}"></head><body><article><h1>{title}</h1>'
        f"{body}{extra}</article></body></html>"
    )


def _clean(html: str, url: str = "https://www.oakdalecourier.example/ferry") -> Article:
    return clean(make_document(content=html, content_type="html", url=url), DEFAULTS.clean)


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Ferry terminal opens | Oakdale Courier", ["Oakdale Courier"], "Ferry terminal opens"),
        ("Ferry terminal opens | DW | 19.01.2020", ["dw.com"], "Ferry terminal opens"),
        ("Ferry terminal opens - Kulu Media", ["kulumedia.example"], "Ferry terminal opens"),
        (
            "Oakdale Courier :: Ferry terminal opens",
            ["oakdalecourier.example"],
            "Ferry terminal opens",
        ),
        ("Brexit: what happens next | BBC News", ["BBC News"], "Brexit: what happens next"),
        (
            "Price - Reyes debate ends in a draw",
            ["Oakdale Courier"],
            "Price - Reyes debate ends in a draw",
        ),
        (
            "Ferry terminal opens | 19.01.2020",
            ["Oakdale Courier"],
            "Ferry terminal opens | 19.01.2020",
        ),
        ("Oakdale Courier", ["Oakdale Courier"], "Oakdale Courier"),
    ],
)
def test_site_name_is_cut_from_titles(title: str, names: list[str], expected: str) -> None:
    assert strip_site_name(title, names) == expected


def test_page_title_loses_its_site_suffix() -> None:
    article = _clean(_page(title="Ferry terminal opens | Oakdale Courier"))
    assert article.title == "Ferry terminal opens"


def test_headline_repeated_as_first_line_with_a_suffix_is_removed() -> None:
    html = _page(title="Ferry terminal opens | Oakdale Courier").replace(
        "<h1>Ferry terminal opens | Oakdale Courier</h1>", "<p>Ferry terminal opens</p>"
    )
    article = _clean(html)
    assert not article.text.startswith("Ferry terminal opens")
    assert ("Ferry terminal opens", "title repeated in body") in [
        (r.text, r.reason) for r in article.removed
    ]


@pytest.mark.parametrize(
    ("author", "page", "expected"),
    [
        ("View all posts by Ana Price", "", "Ana Price"),
        ("Posts by Ana Price", "", "Ana Price"),
        ("Letters", "", None),
        ("Staff", "", None),
        ("Editorial Board", "", None),
        ("So Artikel Empfehlen", "<a>So Artikel empfehlen</a>", None),
        ("Www Medianotions De", "<span>www.medianotions.de</span>", None),
        ("Ana Price; Letters", "", "Ana Price"),
        ("Maria de la Cruz", "<p>By Maria de la Cruz</p>", "Maria de la Cruz"),
        ("Ana Price", "<p>ana price wrote this</p><p>By Ana Price</p>", "Ana Price"),
    ],
)
def test_author_checks(author: str, page: str, expected: str | None) -> None:
    assert check_author(author, page) == expected


def test_page_author_written_in_lower_case_is_dropped() -> None:
    html = _page(author="so Artikel empfehlen")
    assert _clean(html).author is None


@pytest.mark.parametrize(
    ("outlet", "expected"),
    [
        ("Copyright 2003 - 2019 by Oakdale Media. All rights reserved.", "Oakdale Media"),
        ("© 2021 Oakdale Courier", "Oakdale Courier"),
        ("(c) Oakdale Courier", "Oakdale Courier"),
        ("Oakdale Courier", "Oakdale Courier"),
        ("Copyright 2020", None),
    ],
)
def test_outlet_loses_its_copyright_notice(outlet: str, expected: str | None) -> None:
    assert check_outlet(outlet) == expected


def test_page_outlet_from_a_copyright_notice() -> None:
    article = _clean(_page(site="Copyright 2003 - 2019 by Oakdale Media. All rights reserved."))
    assert article.outlet == "Oakdale Media"


def test_german_page_tagged_english_is_german() -> None:
    assert _clean(_page(lang="en", paragraphs=GERMAN)).language == "de"


def test_english_page_keeps_its_lang() -> None:
    assert _clean(_page(lang="en")).language == "en"


def test_reader_submission_prompt_and_standards_notice_are_removed() -> None:
    extra = (
        "<p>Submit your letter to the editor via this form.</p>"
        "<p>Our Standards: The Oakdale Courier Principles.</p>"
    )
    article = _clean(_page(extra=extra))
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Submit your letter to the editor via this form."] == "reader submission prompt"
    assert reasons["Our Standards: The Oakdale Courier Principles."] == "editorial standards notice"


def test_page_whose_only_text_is_a_photo_caption_is_skipped() -> None:
    caption = (
        "Commuters queue for the first ferry from the new Oakdale terminal on Tuesday morning."
    )
    html = (
        "<html><head><title>In pictures</title></head><body><article><figure>"
        f'<img src="f.jpg"><figcaption>{caption}</figcaption></figure></article></body></html>'
    )
    with pytest.raises(InputError, match="only text is a photo caption"):
        _clean(html)


def test_caption_beside_real_paragraphs_does_not_skip_the_page() -> None:
    extra = (
        "<figure><figcaption>The terminal at dawn on Tuesday, seen from the harbour."
        "</figcaption></figure>"
    )
    assert isinstance(_clean(_page(extra=extra)), Article)


def test_short_feed_summary_fragment_is_read_as_it_is() -> None:
    summary = "<p>Repairs to the Riverton bridge begin on Monday and will last six weeks.</p>"
    document = make_document(
        content=summary, content_type="html", title="Bridge repairs", summary_only=True
    )
    article = clean(document, DEFAULTS.clean)
    assert article.text == "Repairs to the Riverton bridge begin on Monday and will last six weeks."
    assert article.summary_only


def test_fragment_drops_scripts_and_svg_and_keeps_paragraphs() -> None:
    fragment = (
        "<div><p>The bridge reopens on Monday after six weeks of repairs.</p>"
        "<script>alert('x')</script><svg><title>icon</title></svg>"
        "<ul><li>Buses run until then.</li><li>Cyclists may use the ferry.</li></ul></div>"
    )
    assert fragment_text(fragment) == (
        "The bridge reopens on Monday after six weeks of repairs.\n\n"
        "Buses run until then.\n\nCyclists may use the ferry."
    )


def test_svg_in_a_feed_item_is_not_an_internal_error() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80px"><title>badge</title>'
        '<rect x="10" y="10" width="100" height="60" fill="#0000ff"/></svg>'
    )
    document = make_document(content=svg + "<p>" + PARAGRAPHS[0] + "</p>", content_type="html")
    assert clean(document, DEFAULTS.clean).text == PARAGRAPHS[0]


@pytest.mark.parametrize("declared", ["x" * 201, "story-7.json", "bad\x00id"])
def test_ids_pages_cannot_address_are_hashed_stably(declared: str) -> None:
    document = make_document(id=declared)
    first, second = clean(document, DEFAULTS.clean), clean(document, DEFAULTS.clean)
    assert first.id == second.id != declared
    assert len(first.id) == 16


def test_an_addressable_id_is_kept() -> None:
    assert clean(make_document(id="courier-48213"), DEFAULTS.clean).id == "courier-48213"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Subscribe now to our digital edition for the full story.", "subscription offer"),
        ("If you are already a subscriber, log in to keep reading.", "subscription offer"),
        ("Want the best of the week in your hands? Sign up here", "newsletter prompt"),
        ("Mit unserem Newsletter erhalten Sie jeden Monat alle Neuigkeiten.", "newsletter prompt"),
        ("Oakdale Courier Newsletter", "newsletter prompt"),
        ("Download our Courier app for iOS and Android.", "app prompt"),
        ("Follow the Courier on Instagram and Facebook.", "social embed"),
        ("*Werbung. Dieser Beitrag enthält Werbung für eine Fähre.", "advertisement"),
        ("Kategorie: Lokales", "category label"),
        ("Mira: El puerto amplía su horario", "read-more link"),
        ("Aktualisiert am 17.01.2021.", "timestamp line"),
        ("23.10.2018", "timestamp line"),
        ("Stand: 17.01.2021, 09:30 Uhr", "timestamp line"),
        (
            "Die neue Fähre im Hafen von Oakdale. © Hafenbild / Max Muster",
            "photo caption or credit",
        ),
    ],
)
def test_more_boilerplate_is_removed(line: str, reason: str) -> None:
    body = "\n\n".join(["Ferry terminal opens", PARAGRAPHS[0], line, PARAGRAPHS[1]])
    article = clean(make_document(content=body), DEFAULTS.clean)
    assert [(r.text, r.reason) for r in article.removed] == [(line, reason)]


@pytest.mark.parametrize(
    "line",
    [
        "The company said subscribers would get unlimited access from Monday, when it starts.",
        "Readers can subscribe to the paper for five dollars a month, the owner said.",
        "She said that she would sign up.",
        "On 17 March 2021 the council met to discuss the ferry timetable for the summer.",
        "Tags were found on the boxes at the terminal on Tuesday, police said.",
    ],
)
def test_news_sentences_like_those_lines_are_kept(line: str) -> None:
    body = "\n\n".join(["Ferry terminal opens", PARAGRAPHS[0], line, PARAGRAPHS[1]])
    assert line in clean(make_document(content=body), DEFAULTS.clean).text
