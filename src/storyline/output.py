"""Write a :class:`~storyline.model.Result` as JSON, JSON Lines or a Markdown report.

JSON and JSON Lines follow the output contract (``docs/output.md``,
``storyline/schema/output.schema.json``). JSON Lines writes one record per line, each
with a ``type``: first ``meta`` (the contract ``version``), then every ``article``,
``skipped`` and ``story``. Markdown is for people and makes no promise of stability.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any, Literal, TextIO

from storyline.model import Article, Result, to_dict

__all__ = ["FORMATS", "load_schema", "render", "write"]

Format = Literal["json", "jsonl", "md"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "md")


def write(result: Result, out: TextIO, *, fmt: Format = "json") -> None:
    """Write ``result`` to ``out`` in format ``fmt``."""
    for chunk in render(result, fmt=fmt):
        out.write(chunk)


def render(result: Result, *, fmt: Format = "json") -> Iterator[str]:
    """Yield the text of ``result`` in format ``fmt``, piece by piece."""
    if fmt == "json":
        yield json.dumps(to_dict(result), ensure_ascii=False, indent=2)
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


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _markdown(result: Result) -> Iterator[str]:
    by_id = {a.id: a for a in result.articles}
    yield "# storyline report\n\n"
    yield (
        f"{len(result.articles)} articles, {len(result.stories)} stories, "
        f"{len(result.skipped)} inputs skipped.\n\n"
    )
    for story in result.stories:
        yield f"## {story.title}\n\n"
        for article_id in story.article_ids:
            yield f"- {_byline(by_id[article_id])}\n"
        yield "\n"
    yield "## Articles\n\n"
    for article in result.articles:
        yield f"### {article.title or '(untitled)'}\n\n"
        yield f"{_byline(article)}  \n"
        yield f"Source: `{article.source}`"
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
