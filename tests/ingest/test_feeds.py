"""RSS and Atom reader: each item with content becomes a document."""

from __future__ import annotations

from storyline.ingest import read
from storyline.model import Document, Skipped
from tests.conftest import WriteFile

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Oakdale Courier</title>
  <link>https://courier.example/</link>
  <description>Local news from Oakdale</description>
  <item>
    <title>Ferry terminal opens</title>
    <link>https://courier.example/ferry</link>
    <guid>https://courier.example/ferry</guid>
    <pubDate>Tue, 04 May 2021 09:30:00 GMT</pubDate>
    <dc:creator>Maria Lopez</dc:creator>
    <description>The terminal opened.</description>
    <content:encoded><![CDATA[<p>The new ferry terminal in Oakdale opened on Tuesday after
three years of building work.</p><p>Mayor Ana Price cut the ribbon.</p>]]></content:encoded>
  </item>
  <item>
    <title>Bridge repairs start</title>
    <link>https://courier.example/bridge</link>
    <description>Repairs to the Riverton bridge begin on Monday and last six weeks.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Riverton Gazette</title>
  <id>urn:uuid:gazette</id>
  <updated>2021-05-04T10:00:00Z</updated>
  <entry>
    <title>Bridge closes for repairs</title>
    <link href="https://gazette.example/bridge"/>
    <id>urn:uuid:bridge</id>
    <updated>2021-05-04T10:00:00Z</updated>
    <published>2021-05-03T08:00:00Z</published>
    <author><name>Sam Okafor</name></author>
    <content type="html">&lt;p&gt;The Riverton bridge will close for six weeks.&lt;/p&gt;</content>
  </entry>
</feed>
"""

EMPTY = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Oakdale Courier</title>
<link>https://courier.example/</link><description>Nothing yet</description></channel></rss>
"""


def _first(path_items: list[Document | Skipped]) -> Document:
    document = path_items[0]
    assert isinstance(document, Document)
    return document


def test_rss_item_prefers_full_content(write_file: WriteFile) -> None:
    document = _first(list(read([write_file("courier.xml", RSS)])))
    assert document.content_type == "html"
    assert "Mayor Ana Price cut the ribbon." in document.content


def test_rss_pubdate_becomes_iso_date(write_file: WriteFile) -> None:
    assert _first(list(read([write_file("courier.xml", RSS)]))).published == "2021-05-04"


def test_rss_item_metadata(write_file: WriteFile) -> None:
    document = _first(list(read([write_file("courier.rss", RSS)])))
    assert (document.title, document.author, document.outlet) == (
        "Ferry terminal opens",
        "Maria Lopez",
        "Oakdale Courier",
    )


def test_rss_link_is_source_and_url(write_file: WriteFile) -> None:
    document = _first(list(read([write_file("courier.xml", RSS)])))
    assert (document.source, document.url) == (
        "https://courier.example/ferry",
        "https://courier.example/ferry",
    )


def test_rss_item_without_content_falls_back_to_summary(write_file: WriteFile) -> None:
    second = list(read([write_file("courier.xml", RSS)]))[1]
    assert isinstance(second, Document)
    assert second.content == "Repairs to the Riverton bridge begin on Monday and last six weeks."


def test_atom_entry_becomes_a_document(write_file: WriteFile) -> None:
    [document] = read([write_file("gazette.atom", ATOM)])
    assert isinstance(document, Document)
    assert (document.source, document.published, document.author, document.outlet) == (
        "https://gazette.example/bridge",
        "2021-05-03",
        "Sam Okafor",
        "Riverton Gazette",
    )


def test_atom_is_sniffed_without_extension(write_file: WriteFile) -> None:
    [document] = read([write_file("gazette", ATOM)])
    assert isinstance(document, Document)
    assert "six weeks" in document.content


def test_feed_without_items_is_skipped(write_file: WriteFile) -> None:
    path = write_file("courier.xml", EMPTY)
    assert list(read([path])) == [Skipped(source=str(path), reason="feed has no items")]
