"""Write a :class:`~storyline.model.Result` as JSON, JSON Lines or a Markdown report.

JSON and JSON Lines follow the output contract (``docs/output.md``,
``storyline/schema/output.schema.json``). JSON Lines writes one record per line, each
with a ``type``: first ``meta`` (the contract ``version``), then every ``article``,
``skipped`` and ``story``. Markdown is for people and makes no promise of stability.

Safety: text that cannot be encoded as UTF-8 (a lone surrogate, from a JSON ``"\\ud800"``
escape or a file name that is not valid UTF-8) is written as a JSON ``\\uXXXX`` escape
(Markdown: U+FFFD), never as a crash half-way through the file. :class:`OutputFile`
writes to a temporary file beside the target, created before any work starts, and
renames it into place only when everything was written: a failed write (a full disk)
leaves no cut-off file and raises :class:`~storyline.errors.OutputError`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TextIO

from storyline._json import dumps
from storyline.errors import OutputError
from storyline.model import Article, PartialDate, Result, Story, SummarySentence, to_dict

__all__ = ["FORMATS", "OutputFile", "counted", "load_schema", "render", "write"]

Format = Literal["json", "jsonl", "md"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "md")


_SURROGATE = re.compile("[\ud800-\udfff]")


def write(result: Result, out: TextIO, *, fmt: Format = "json") -> None:
    """Write ``result`` to ``out`` in format ``fmt``."""
    for chunk in render(result, fmt=fmt):
        out.write(chunk)


def render(result: Result, *, fmt: Format = "json") -> Iterator[str]:
    """Yield the text of ``result`` in format ``fmt``, piece by piece (always valid UTF-8)."""
    escape = _json_escape if fmt in ("json", "jsonl") else _replace
    for chunk in _render(result, fmt):
        yield escape(chunk) if _SURROGATE.search(chunk) else chunk


class OutputFile:
    """A file written whole or not at all: ``with OutputFile(path) as out: write(...)``.

    The temporary file is created in the target's folder when the object is made, so a
    path that cannot be written fails before any work; it replaces ``path`` only when the
    ``with`` block ends without an error.

    Raises:
        OutputError: the folder does not exist or is not writable, or writing failed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_dir():
            raise OutputError(f"cannot write {path}: it is a folder", hint="give a file name")
        try:
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            os.chmod(temp, _file_mode(path))  # mkstemp's 0600, as a new file would not be
        except OSError as e:
            raise self._error(e) from e
        self._temp = Path(temp)
        self._fh: TextIO = open(fd, "w", encoding="utf-8")  # noqa: SIM115 (closed in __exit__)

    def __enter__(self) -> TextIO:
        return self._fh

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._fh.close()  # flushes: a full disk may only show here
            if kind is None:
                os.replace(self._temp, self.path)
                return
        except OSError as e:
            self._remove_temp()
            if kind is None or isinstance(error, OSError):
                raise self._error(e) from e
            return  # the error that ended the block is the one to report
        self._remove_temp()
        if isinstance(error, OSError) and not isinstance(error, BrokenPipeError):
            raise self._error(error) from error

    def _remove_temp(self) -> None:
        with contextlib.suppress(OSError):
            self._temp.unlink()

    def _error(self, e: OSError) -> OutputError:
        return OutputError(
            f"cannot write {self.path}: {e.strerror or e}",
            hint="check that the folder exists, is writable and has free space",
        )


def _file_mode(path: Path) -> int:
    """The mode of the file at ``path`` if it exists, else of a new file (umask applied)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _json_escape(chunk: str) -> str:
    # surrogates only occur inside JSON strings (the structure is ASCII)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", chunk)


def _replace(chunk: str) -> str:
    return _SURROGATE.sub("\ufffd", chunk)


def _render(result: Result, fmt: Format) -> Iterator[str]:
    if fmt == "json":
        yield dumps(to_dict(result), indent=True)
        yield "\n"
    elif fmt == "jsonl":
        yield _line({"type": "meta", "version": result.version})
        for kind, items in (
            ("article", result.articles),
            ("skipped", result.skipped),
            ("story", result.stories),
        ):
            for item in items:
                yield _line({"type": kind, **to_dict(item)})
    else:
        yield from _markdown(result)


def load_schema() -> dict[str, Any]:
    """The JSON Schema of the output contract."""
    text = resources.files("storyline.schema").joinpath("output.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def counted(n: int, noun: str) -> str:
    """``1 article``, ``2 articles``, ``3 stories``: a count with its noun."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def _line(record: dict[str, Any]) -> str:
    # the standard library's ", " and ": " (orjson writes compact lines only, and lines
    # keep the text they always had)
    return json.dumps(record, ensure_ascii=False) + "\n"


def _markdown(result: Result) -> Iterator[str]:
    by_id = {a.id: a for a in result.articles}
    yield "# storyline report\n\n"
    yield (
        f"{counted(len(result.articles), 'article')}, "
        f"{counted(len(result.stories), 'story')}, "
        f"{counted(len(result.skipped), 'input')} skipped.\n\n"
    )
    for story in result.stories:
        yield from _story_markdown(story, by_id)
    yield "## Articles\n\n"
    for article in result.articles:
        yield f"### {article.title or '(untitled)'}\n\n"
        yield f"{_byline(article)}  \n"
        yield f"Source: `{article.source}`"
        if article.duplicate_of:
            yield f" · copy of {_short(by_id, article.duplicate_of)}"
        if article.syndicated_from:
            yield f" · syndicated from {article.syndicated_from}"
        yield "\n\n"
        yield f"> {_excerpt(article.text)}\n\n"
        if article.removed:
            yield f"Removed {len(article.removed)} boilerplate lines:\n\n"
            for removed in article.removed:
                yield f"- *{removed.reason}*: {_excerpt(removed.text, 14)}\n"
            yield "\n"
    if result.skipped:
        yield "## Skipped inputs\n\n"
        for skipped in result.skipped:
            yield f"- `{skipped.source}`: {skipped.reason}\n"
        yield "\n"


def _story_markdown(story: Story, by_id: dict[str, Article]) -> Iterator[str]:
    members = [by_id[i] for i in story.article_ids if i in by_id]
    number = {a.id: n for n, a in enumerate(members, start=1)}
    outlets = sorted({a.outlet for a in members if a.outlet})
    dates = [a.published.iso() for a in members if a.published]
    span = f", {dates[0]} to {dates[-1]}" if len(dates) > 1 else ""
    yield f"## {story.title}\n\n"
    sources = f" from {len(outlets)} outlets" if outlets else ""
    yield f"{counted(len(members), 'article')}{sources}{span}.\n\n"
    if story.summary and story.summary.sentences:
        for sentence in story.summary.sentences:
            marks = "".join(f"[{number[i]}]" for i in sentence.article_ids if i in number)
            latest = "**Latest:** " if sentence.latest else ""
            yield f"{latest}{_with_dates(sentence)} {marks}\n"
        yield "\n"
    elif story.summary and story.summary.empty_reason:
        yield f"*No summary: {story.summary.empty_reason}.*\n\n"
    if story.events:
        yield "### Events\n\n"
        for event in story.events:
            when = _period(event.start, event.end)
            names = ", ".join(dict.fromkeys(_outlet(by_id, i) for i in event.article_ids))
            yield (
                f"- {when}{event.title} — {counted(len(event.article_ids), 'article')} ({names})\n"
            )
        yield "\n"
    if story.timeline:
        yield "### Timeline\n\n"
        for entry in story.timeline:
            note = " *(background)*" if entry.background else ""
            marks = "".join(f"[{number[i]}]" for i in entry.article_ids if i in number)
            yield f"- **{entry.date.iso()}**{note}: {entry.text} {marks}\n"
        yield "\n"
    if story.quotes:
        yield "### Who said what\n\n"
        for quote in story.quotes:
            speaker = quote.speaker or "unattributed"
            if quote.platform:
                speaker += f" (on {quote.platform})"
            carriers = ", ".join(_short(by_id, i) for i in quote.article_ids)
            text = quote.text.rstrip(" ,")
            yield f"- “{text}” — {speaker}; first in {_short(by_id, quote.first_seen)}"
            yield f"; carried by {carriers}\n" if len(quote.article_ids) > 1 else "\n"
        yield "\n"
    if story.claims:
        yield "### Where outlets agree and differ\n\n"
        for claim in story.claims:
            values = "; ".join(
                f"{v.value} ({', '.join(_short(by_id, i) for i in v.article_ids)}"
                + (f", as of {v.as_of.iso()})" if v.as_of else ")")
                for v in claim.values
            )
            label = {"conflict": "**conflict**", "changed_over_time": "changed over time"}.get(
                claim.status, "agree"
            )
            yield f"- {claim.subject}, {claim.attribute}: {values} — {label}\n"
        yield "\n"
    if story.entities:
        names = ", ".join(e.name for e in story.entities[:12])
        yield f"**People, places and organisations:** {names}\n\n"
    yield "### Sources\n\n"
    for article in members:
        yield f"{number[article.id]}. {_byline(article)}\n"
    yield "\n"


def _with_dates(sentence: SummarySentence) -> str:
    """The sentence with the date of each relative expression after it: "Friday (2025-03-28)"."""
    if not sentence.evidence:
        return sentence.text
    base = sentence.evidence[0].start
    text = sentence.text
    for note in sorted(sentence.date_notes, key=lambda n: -n.evidence[0].end):
        at = note.evidence[0].end - base
        if 0 < at <= len(text):
            text = f"{text[:at]} ({note.date.iso()}){text[at:]}"
    return text


def _period(start: PartialDate | None, end: PartialDate | None) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return f"**{start.iso()}**: "
    return f"**{start.iso()} to {end.iso()}**: "


def _outlet(by_id: dict[str, Article], article_id: str) -> str:
    article = by_id.get(article_id)
    return (article.outlet if article else None) or "unknown outlet"


def _short(by_id: dict[str, Article], article_id: str) -> str:
    article = by_id.get(article_id)
    if article is None:
        return article_id
    date = f" {article.published.iso()}" if article.published else ""
    return f"{article.outlet or article.source}{date}"


def _byline(article: Article) -> str:
    parts = [
        f"**{article.outlet or 'unknown outlet'}**",
        article.published.iso() if article.published else "undated",
    ]
    if article.author:
        parts.append(f"by {article.author}")
    if article.url:
        parts.append(article.url)
    title = f"“{article.title}” — " if article.title else ""
    return title + " · ".join(parts)


def _excerpt(text: str, words: int = 45) -> str:
    tokens = text.split()
    short = " ".join(tokens[:words])
    return short + (" …" if len(tokens) > words else "")
