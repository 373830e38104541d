"""RSS and Atom reader: each item with content becomes a document."""

from __future__ import annotations

import json

import pytest

from storyline.ingest import read, sniff
from storyline.model import Document, Skipped
from storyline.settings import IngestSettings
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


@pytest.mark.issue(18)
def test_summary_only_item_is_marked(write_file: WriteFile) -> None:
    first, second = read([write_file("courier.xml", RSS)])
    assert isinstance(first, Document)
    assert isinstance(second, Document)
    assert (first.summary_only, second.summary_only) == (False, True)


@pytest.mark.issue(18)
def test_summary_only_items_can_be_skipped_with_their_length(write_file: WriteFile) -> None:
    items = list(read([write_file("courier.xml", RSS)], IngestSettings(feed_summaries="skip")))
    assert isinstance(items[1], Skipped)
    assert items[1].reason == (
        "feed item has only a 66-character summary (ingest.feed_summaries is 'skip')"
    )


@pytest.mark.issue(18)
def test_feed_date_is_the_outlets_own_day(write_file: WriteFile) -> None:
    late = RSS.replace("Tue, 04 May 2021 09:30:00 GMT", "Sun, 23 Mar 2025 22:10 -0400")
    assert _first(list(read([write_file("courier.xml", late)]))).published == "2025-03-23"


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Riverton Gazette",
    "authors": [{"name": "Gazette staff"}],
    "items": [
        {
            "id": "bridge-1",
            "url": "https://gazette.example/bridge",
            "title": "Bridge closes for repairs",
            "content_html": "<p>The Riverton bridge will close for six weeks from Monday.</p>",
            "date_published": "2021-05-03T22:00:00-04:00",
            "authors": [{"name": "Sam Okafor"}],
        },
        {"id": 2, "summary": "Ferry timetables change on Monday for the summer season."},
        "not an item",
    ],
}


@pytest.mark.issue(18)
def test_json_feed_items_are_documents(write_file: WriteFile) -> None:
    first, second, third = read([write_file("gazette.json", json.dumps(JSON_FEED))])
    assert isinstance(first, Document)
    assert (first.source, first.id, first.title, first.published, first.author, first.outlet) == (
        "https://gazette.example/bridge",
        "bridge-1",
        "Bridge closes for repairs",
        "2021-05-03T22:00:00-04:00",
        "Sam Okafor",
        "Riverton Gazette",
    )
    assert isinstance(second, Document)
    assert (second.id, second.summary_only, second.author) == ("2", True, "Gazette staff")
    assert isinstance(third, Skipped)
    assert third.reason == "feed item is not an object (str)"


CDF = """<?xml version="1.0"?>
<CHANNEL HREF="https://courier.example/">
  <TITLE>Oakdale Courier</TITLE>
  <ITEM HREF="https://courier.example/ferry">
    <TITLE>Ferry terminal opens</TITLE>
    <ABSTRACT>The new ferry terminal in Oakdale opened on Tuesday after three years.</ABSTRACT>
  </ITEM>
</CHANNEL>
"""


@pytest.mark.issue(18)
def test_cdf_channel_is_a_feed_not_markup(write_file: WriteFile) -> None:
    [document] = read([write_file("channel.cdf.xml", CDF)])
    assert isinstance(document, Document)
    assert (document.title, document.url) == (
        "Ferry terminal opens",
        "https://courier.example/ferry",
    )
    assert "<" not in document.content


@pytest.mark.issue(18)
def test_namespace_prefixed_rss_root_is_a_feed(write_file: WriteFile) -> None:
    prefixed = RSS.replace("<rss ", '<r:rss xmlns:r="http://backend.userland.com/rss2" ').replace(
        "</rss>", "</r:rss>"
    )
    assert sniff(prefixed.encode(), "feed.xml") == "feed"


@pytest.mark.issue(18)
def test_stray_end_tag_that_crashes_feedparser_is_repaired(write_file: WriteFile) -> None:
    broken = RSS.replace(
        "<link>https://courier.example/bridge</link>",
        "<link>https://courier.example/bridge</link></creativeCommons:license>",
    ).replace(
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:creativeCommons="http://backend.userland.com/creativeCommonsRssModule"',
    )
    items = list(read([write_file("courier.xml", broken)]))
    assert [type(i) for i in items] == [Document, Document]


@pytest.mark.issue(18)
def test_date_only_feedparser_reads_gives_no_warning(write_file: WriteFile) -> None:
    odd = RSS.replace("Tue, 04 May 2021 09:30:00 GMT", "2021-05-04 09:30:00 +0200")
    # filterwarnings = error: feedparser's own get() warns when asked for "updated_parsed"
    assert _first(list(read([write_file("courier.xml", odd)]))).published == "2021-05-04"
