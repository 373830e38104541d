"""HTML reader: one page, one HTML document, decoded whatever its encoding."""

from __future__ import annotations

from storyline.ingest import read
from storyline.model import Document
from tests.conftest import WriteFile

PAGE = (
    "<!doctype html><html lang='fr'><head><meta charset='windows-1252'>"
    "<title>Le café du port rouvre</title></head><body><article>"
    "<p>Le café du port a rouvert ses portes mardi matin après trois mois de travaux.</p>"
    "<p>Les habitués ont salué la nouvelle terrasse et les horaires prolongés.</p>"
    "</article></body></html>"
)


def test_html_file_becomes_one_html_document(write_file: WriteFile) -> None:
    path = write_file("page.html", PAGE)
    [document] = read([path])
    assert isinstance(document, Document)
    assert (document.source, document.content_type, document.content) == (
        str(path),
        "html",
        PAGE,
    )


def test_html_without_extension_is_sniffed(write_file: WriteFile) -> None:
    [document] = read([write_file("page", PAGE)])
    assert isinstance(document, Document)
    assert document.content_type == "html"


def test_cp1252_html_is_decoded(write_file: WriteFile) -> None:
    [document] = read([write_file("page.html", PAGE.encode("cp1252"))])
    assert isinstance(document, Document)
    assert "Le café du port a rouvert" in document.content


def test_gzip_html_is_decompressed(write_file: WriteFile) -> None:
    [document] = read([write_file("page.html.gz", PAGE, compress=True)])
    assert isinstance(document, Document)
    assert document.content == PAGE
