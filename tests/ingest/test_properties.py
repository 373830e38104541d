"""Properties of ingest + clean: any bytes in, only Document/Skipped out, never an exception."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest import read
from storyline.model import Article, Document, Skipped
from storyline.pipeline import clean_record
from storyline.settings import DEFAULTS

EXTENSIONS = ["", ".txt", ".html", ".jsonl", ".xml", ".warc", ".gz", ".txt.gz"]

# Realistic fragments make the readers go past their first checks more often than noise.
FRAGMENTS = [
    b"WARC/1.0\r\n",
    b"\x1f\x8b\x08\x00",
    b"%PDF-1.4",
    b"<html><body><p>",
    b"</p></body></html>",
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>',
    b'{"text": "The ferry terminal opened on Tuesday.", "date": "2021-05-04"}\n',
    b"{",
    b"[",
    b"\n",
    b"\r\n",
    b"---\ntitle: Ferry\n---\n",
    b"By Maria Lopez\n",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"caf\xe9 ",
    b"The new ferry terminal in Oakdale opened on Tuesday after three years. ",
]
contents = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=20), max_size=12).map(b"".join),
)
gzipped = contents.map(gzip.compress)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=contents | gzipped, extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_read_and_clean_without_raising(data: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(data)
        items = list(read([path]))
        assert all(isinstance(item, Document | Skipped) for item in items)
        for item in items:
            result = clean_record(item, settings=DEFAULTS.clean)
            assert isinstance(result, Article | Skipped)
            assert not (isinstance(result, Skipped) and "internal error" in result.reason)
