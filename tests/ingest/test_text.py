"""Plain-text reader: decoding (UTF-8, UTF-16, cp1252), normalisation, one document."""

from __future__ import annotations

import gzip
import os

from storyline.ingest import read
from storyline.model import Document, Skipped
from tests.conftest import WriteFile

CAFE = (
    "Le café du port a rouvert ses portes mardi matin après trois mois de travaux. "
    "Les habitués ont salué la nouvelle terrasse."
)


def _one_document(items: list[Document | Skipped]) -> Document:
    [document] = items
    assert isinstance(document, Document)
    return document


def test_text_file_becomes_one_text_document(write_file: WriteFile) -> None:
    path = write_file("story.txt", "Ferry terminal opens\n\nThe terminal opened on Tuesday.")
    document = _one_document(list(read([path])))
    assert (document.source, document.content_type) == (str(path), "text")


def test_utf8_is_decoded(write_file: WriteFile) -> None:
    path = write_file("story.txt", CAFE)
    assert _one_document(list(read([path]))).content == CAFE


def test_utf8_bom_is_dropped(write_file: WriteFile) -> None:
    path = write_file("story.txt", b"\xef\xbb\xbf" + CAFE.encode())
    assert _one_document(list(read([path]))).content == CAFE


def test_utf16_with_bom_is_decoded(write_file: WriteFile) -> None:
    path = write_file("story.txt", CAFE.encode("utf-16"))
    assert _one_document(list(read([path]))).content == CAFE


def test_cp1252_bytes_are_decoded(write_file: WriteFile) -> None:
    path = write_file("story.txt", CAFE.encode("cp1252"))
    assert "café" in _one_document(list(read([path]))).content


def test_windows_newlines_are_unified(write_file: WriteFile) -> None:
    path = write_file("story.txt", "Ferry opens\r\n\r\nThe terminal opened.\rIt cost a lot.")
    content = _one_document(list(read([path]))).content
    assert content == "Ferry opens\n\nThe terminal opened.\nIt cost a lot."


def test_zero_width_and_control_characters_are_dropped(write_file: WriteFile) -> None:
    path = write_file("story.txt", "The ferry\u200b terminal\x07 opened on Tuesday.")
    assert _one_document(list(read([path]))).content == "The ferry terminal opened on Tuesday."


def test_text_is_nfc_normalised(write_file: WriteFile) -> None:
    path = write_file("story.txt", "The cafe\u0301 reopened on Tuesday.")
    assert _one_document(list(read([path]))).content == "The café reopened on Tuesday."


def test_truncated_gzip_text_is_skipped(write_file: WriteFile) -> None:
    data = gzip.compress(os.urandom(20_000).hex().encode())
    path = write_file("story.txt.gz", data[: len(data) // 2])
    [skipped] = read([path])
    assert isinstance(skipped, Skipped)
    assert "truncated" in skipped.reason
