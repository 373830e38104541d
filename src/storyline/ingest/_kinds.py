"""Tell files that are not articles from text: source code, stylesheets, data, markup.

A folder of scraped news often holds the scraper too. :func:`not_article` looks at the
decoded text of a whole file (plain text, or what was sniffed as text) and names what it
is when it is clearly not prose:

* **source code**: half the non-blank lines look like code and a quarter at least start
  with a keyword of one language (``def``, ``import``, ``function``, ``#include`` ...) or
  are dense with ``=(){}[];<>`` (the others may only end like code: ``{``, ``}``, ``;``,
  ``:``, ``)``); prose lines end with a full stop and hold few of those, and a text with
  more prose lines than code lines is prose; the language is the one whose keywords
  occur most;
* **stylesheets**: ``selector {`` and ``property: value;`` lines;
* **markup or data**: a text whose lines mostly start with ``<`` (raw XML or feed markup
  nobody recognised), or CSV-like rows with the same number of separators;
* **a file extension** of source code, stylesheets or data (``.py``, ``.css``, ``.csv``)
  lowers the bar to a third of the lines.

Only the first 400 non-blank lines are read, so the cost is bounded.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["not_article"]

_LANGUAGES: dict[str, re.Pattern[str]] = {
    "Python source": re.compile(
        r"^\s*(?:def \w+\(|class \w+[(:]|import \w|from [\w.]+ import |@\w+|elif\b|"
        r"except\b.*:$|try:$|return\b|if __name__ ==|with .+ as \w+:$|for \w+ in .+:$|"
        r"raise \w|yield\b|async def |print\()"
    ),
    "JavaScript source": re.compile(
        r"^\s*(?:function\b|(?:const|let|var) \w+ ?=|export (?:default|const|function)|"
        r"import .+ from |module\.exports|require\(|console\.log|\}\);?$|\}\)\(\);?$|"
        r"document\.|window\.)|=>\s*\{?$"
    ),
    "C-like source": re.compile(
        r"^\s*(?:#include\b|#define\b|(?:public|private|protected|static) [\w<>\[\]]+ \w+|"
        r"(?:int|void|char|double|float|bool|auto) \**\w+\s*\(|package \w|using \w|"
        r"namespace \w|func \w+\(|fn \w+\(|impl\b|struct \w+ \{)"
    ),
    "a shell script": re.compile(r"^\s*(?:#!/(?:usr/)?bin/|fi$|done$|esac$|then$|echo )"),
    "PHP source": re.compile(r"^\s*(?:<\?php|\$\w+ ?=|function \w+\(\$|namespace \w)"),
    "a stylesheet": re.compile(
        r"^\s*(?:[\w.#:*\[\]=\"'>+~ ,-]+\{\s*$|[\w-]+\s*:\s*[^;]{1,200};\s*\}?$|\}$|@media\b|"
        r"@import\b|@font-face\b)"
    ),
    "SQL": re.compile(
        r"^\s*(?:SELECT|INSERT INTO|CREATE TABLE|UPDATE \w+ SET|DELETE FROM|ALTER TABLE)\b",
        re.IGNORECASE,
    ),
}
_EXTENSIONS = {
    ".py": "Python source",
    ".pyi": "Python source",
    ".js": "JavaScript source",
    ".mjs": "JavaScript source",
    ".ts": "JavaScript source",
    ".jsx": "JavaScript source",
    ".tsx": "JavaScript source",
    ".c": "C-like source",
    ".h": "C-like source",
    ".cc": "C-like source",
    ".cpp": "C-like source",
    ".hpp": "C-like source",
    ".java": "C-like source",
    ".cs": "C-like source",
    ".go": "C-like source",
    ".rs": "C-like source",
    ".kt": "C-like source",
    ".swift": "C-like source",
    ".sh": "a shell script",
    ".bash": "a shell script",
    ".php": "PHP source",
    ".css": "a stylesheet",
    ".scss": "a stylesheet",
    ".less": "a stylesheet",
    ".sql": "SQL",
}
_DATA_EXTENSIONS = {".csv": "a CSV table", ".tsv": "a TSV table"}
_CODE_END = re.compile(r"(?:[{};]|[)\]],?|:)$")
_SYMBOLS = re.compile(r"[=(){}\[\];<>|&$\\]")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]$")
_MAX_LINES = 400


def not_article(text: str, name: str = "") -> str | None:
    """Why the whole-file ``text`` is not an article ("looks like Python source"), or None."""
    lines = [line.strip() for line in _head_lines(text)]
    lines = [line for line in lines if line]
    if len(lines) < 3:
        return None
    extension = _extension(name)
    bar = 1 / 3 if extension in _EXTENSIONS or extension in _DATA_EXTENSIONS else 0.5
    markup = sum(1 for line in lines if line.startswith("<"))
    if markup >= 0.6 * len(lines):
        return "not an article: looks like markup (XML or HTML that is not a page or feed)"
    prose = sum(1 for line in lines if _SENTENCE_END.search(line) and len(line.split()) >= 6)
    table = _table(lines)
    if table is not None and (
        extension in _DATA_EXTENSIONS
        or (table >= 0.8 and len(lines) >= 5 and prose < 0.2 * len(lines))
    ):
        return f"not an article: looks like {_DATA_EXTENSIONS.get(extension, 'a table of data')}"
    strong = sum(1 for line in lines if _looks_like_code(line))
    codeish = strong + sum(1 for line in lines if _ends_like_code(line))
    if codeish < bar * len(lines) or strong < 0.25 * len(lines) or prose > codeish:
        return None
    hits: Counter[str] = Counter()
    for line in lines:
        for language, pattern in _LANGUAGES.items():
            if pattern.search(line):
                hits[language] += 1
    language = _EXTENSIONS.get(extension) or (hits.most_common(1)[0][0] if hits else "")
    return f"not an article: looks like {language or 'source code'}"


def _head_lines(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    while len(out) < _MAX_LINES and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        out.append(text[start : min(end, start + 2000)])
        start = end + 1
    return out


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _looks_like_code(line: str) -> bool:
    """A keyword of one language, or dense with code's symbols."""
    if any(pattern.search(line) for pattern in _LANGUAGES.values()):
        return True
    return len(_SYMBOLS.findall(line)) >= max(3, len(line) / 12)


def _ends_like_code(line: str) -> bool:
    """Ends like code (weak alone: a list item ends with ";" too)."""
    return not _looks_like_code(line) and bool(_CODE_END.search(line))


def _table(lines: list[str]) -> float | None:
    """The share of lines with the same number (2+) of one separator, or None."""
    for separator in (",", "\t", ";", "|"):
        counts = Counter(line.count(separator) for line in lines)
        common, rows = counts.most_common(1)[0]
        if common >= 2 and rows >= 3:
            share = rows / len(lines)
            if share >= 0.6:
                return share
    return None
