"""Decoding: UTF-8 first, then what news uses, constrained by the language of the text."""

from __future__ import annotations

import pytest

from storyline.ingest import read
from storyline.ingest._decode import decode_bytes
from storyline.model import Document
from tests.conftest import WriteFile

FRENCH = "Le café du port a rouvert ses portes après trois mois de travaux."
ENGLISH_QUOTES = (
    "The mayor\u2019s office said the ferry \u201cwould run\u201d on Tuesday \u2013 finally."
)
GERMAN = "Die Stadt teilte mit, dass die Fähre ab Dienstag wieder fährt. Größere Schiffe folgen."
POLISH = "Prezydent miasta powiedział, że prom zacznie kursować we wtorek. Zażółć gęślą jaźń."
CZECH = "Starosta města řekl, že trajekt začne jezdit v úterý. Příliš žluťoučký kůň."
RUSSIAN = "Мэр города заявил, что паром начнёт ходить во вторник. Москва сегодня."
JAPANESE = "東京都の知事は会見で、新しいフェリーが火曜日に運航を始めると発表した。"
CHINESE = "市长周二表示，新的渡轮将于下周开始运营。"
KOREAN = "시장은 화요일 새 여객선이 다음 주부터 운항한다고 밝혔다."
GREEK = "Ο δήμαρχος είπε ότι το πλοίο θα ξεκινήσει την Τρίτη."
HEBREW = "ראש העיר אמר שהמעבורת תתחיל לפעול ביום שלישי."
ENGLISH_CAFE = "The café reopened on Tuesday."

TABLE = [
    ("latin-1", FRENCH, "latin-1"),
    ("cp1252 curly quotes", ENGLISH_QUOTES, "cp1252"),
    ("cp1252 German", GERMAN, "cp1252"),
    ("short latin-1 word", "Café", "latin-1"),
    ("short latin-1 word, grave", "après", "latin-1"),
    ("cp1250 Polish", POLISH, "cp1250"),
    ("ISO 8859-2 Czech", CZECH, "iso8859_2"),
    ("KOI8-R", RUSSIAN, "koi8_r"),
    ("cp1251", RUSSIAN, "cp1251"),
    ("Shift-JIS", JAPANESE, "shift_jis"),
    ("EUC-JP", JAPANESE, "euc_jp"),
    ("GB18030", CHINESE, "gb18030"),
    ("EUC-KR", KOREAN, "euc_kr"),
    ("Greek", GREEK, "cp1253"),
    ("Hebrew", HEBREW, "cp1255"),
    ("UTF-16 with a BOM", ENGLISH_CAFE, "utf-16"),
    ("UTF-16-LE without a BOM", ENGLISH_CAFE, "utf-16-le"),
    ("UTF-16-BE without a BOM", ENGLISH_CAFE, "utf-16-be"),
    ("UTF-32-LE without a BOM", ENGLISH_CAFE, "utf-32-le"),
    ("UTF-8 with a BOM", FRENCH, "utf-8-sig"),
]


@pytest.mark.issue(18)
@pytest.mark.parametrize(("case", "text", "codec"), TABLE, ids=[row[0] for row in TABLE])
def test_encoding_table(case: str, text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)) == text


@pytest.mark.issue(18)
def test_utf8_with_a_stray_cp1252_byte_keeps_both() -> None:
    mixed = "Le café — ".encode() + " après".encode("cp1252") + b" la pluie"
    assert decode_bytes(mixed) == "Le café —  après la pluie"


def test_declared_charset_is_used_when_the_bytes_fit() -> None:
    assert decode_bytes(RUSSIAN.encode("koi8_r"), declared="koi8-r") == RUSSIAN


def test_declared_latin1_is_read_as_cp1252_as_browsers_do() -> None:
    assert decode_bytes(ENGLISH_QUOTES.encode("cp1252"), declared="ISO-8859-1") == ENGLISH_QUOTES


def test_a_wrong_declaration_gives_way_to_the_bytes() -> None:
    # declared Shift-JIS, but the bytes are KOI8-R Russian that Shift-JIS cannot decode
    assert decode_bytes(RUSSIAN.encode("koi8_r"), declared="shift_jis") == RUSSIAN


@pytest.mark.issue(18)
def test_short_cp1252_text_file_is_read_as_western_text(write_file: WriteFile) -> None:
    path = write_file(
        "cafe.txt", "Café reopens\n\nThe café reopened après the storm.".encode("cp1252")
    )
    [document] = read([path])
    assert isinstance(document, Document)
    assert "Café reopens" in document.content
    assert "après" in document.content


@pytest.mark.issue(18)
def test_utf16_without_bom_is_text_not_binary(write_file: WriteFile) -> None:
    text = "Ferry reopens\n\nThe ferry terminal in Oakdale reopened on Tuesday."
    [document] = read([write_file("ferry.txt", text.encode("utf-16-le"))])
    assert isinstance(document, Document)
    assert document.content == text


@pytest.mark.issue(18)
def test_html_meta_charset_is_honoured(write_file: WriteFile) -> None:
    page = (
        '<html><head><meta charset="koi8-r"><title>Паром</title></head>'
        f"<body><article><p>{RUSSIAN}</p></article></body></html>"
    )
    [document] = read([write_file("page.html", page.encode("koi8_r"))])
    assert isinstance(document, Document)
    assert RUSSIAN in document.content
