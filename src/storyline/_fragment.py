"""The text of an HTML fragment, paragraph by paragraph (feed items, JSON ``html`` fields).

trafilatura looks for an article inside a whole page; a fragment of a few paragraphs (a
feed item's summary) is often too short for it to find one. Such a fragment is read as
it is: every block element (``p``, ``div``, ``li``, headings, ``br`` ...) ends a paragraph;
scripts, styles, embedded SVG and MathML, forms and objects are dropped with their
content. The walk is iterative, so deep nesting costs time linear in the fragment's size.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

__all__ = ["fragment_text", "is_fragment"]

_BLOCKS = frozenset(
    """p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tr td th thead
    tbody section article header footer figure figcaption hr address aside main nav""".split()
)
_DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form")
_FOREIGN = ("svg", "math")
_WHOLE_PAGE = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)


def is_fragment(html: str) -> bool:
    """Whether ``html`` is a fragment rather than a whole page (no ``<html>``/``<body>``)."""
    return _WHOLE_PAGE.search(html[:4096]) is None


def fragment_text(html: str) -> str:
    """Paragraphs of ``html`` separated by blank lines, whitespace collapsed in each."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_DROPPED, *_FOREIGN)):
        element.drop_tree()  # keeps the text that follows it
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    for event, element in etree.iterwalk(root, events=("start", "end")):
        block = isinstance(element.tag, str) and element.tag.lower() in _BLOCKS
        if event == "start":
            if block:
                flush()
            current.append(element.text or "")
        else:
            if block:
                flush()
            current.append(element.tail or "")
    flush()
    return "\n\n".join(paragraphs)
