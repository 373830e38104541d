"""Story title: the headline that best represents the story's main event.

``story_title(story, articles) -> str`` is a story stage. It requires the story's
articles (their ``title`` and ``text``) and ``Story.events`` (from clustering), and gives
the title for ``Story.title``. Method:

1. **Headlines**: the titles of the story's articles that are headlines, not body
   sentences: a plain-text article's title is its first line, and a first line that is
   also a sentence of its body ("John and Chrissy revealed she …") is not a headline.
2. **Main event**: the story's event with the most articles (the earliest on a tie); its
   articles' headlines are the candidates, or every headline when none of them has one.
3. **Best**: the candidate most like what the whole story says, the happening every
   article recaps (the cosine of its content words with the centroid of all headlines
   and first three sentences), the earliest on a tie.

With no headline at all the clusterer's title stays (an article's first sentence).
Limits: English stop words; a headline in capitals is compared case-blind like any other.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from storyline._story_text import sentence_spans
from storyline.model import Article, Story

__all__ = ["is_headline", "story_title"]

_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(
    """the and for with from that this was were had has have are but not his her their its
    they she him them who which when what where after before about into over than then
    said says also been being one two all out more most some such will would could after
    how why you your our new""".split()
)
_LEAD_SENTENCES = 3


def story_title(story: Story, articles: Mapping[str, Article]) -> str:
    """The story's title (see the module docstring); ``story.title`` when no headline."""
    members = [articles[i] for i in story.article_ids if i in articles]
    headlines = {a.id: a.title.strip() for a in members if a.title and is_headline(a)}
    if not headlines:
        return story.title
    main = _main_event_articles(story, members)
    candidates = [a for a in main if a.id in headlines] or [a for a in members if a.id in headlines]
    centroid: Counter[str] = Counter()
    for article in members:
        centroid.update(_words(headlines.get(article.id, "")))
        for start, end in sentence_spans(article.text, article.language)[:_LEAD_SENTENCES]:
            centroid.update(_words(article.text[start:end]))
    order = {a.id: n for n, a in enumerate(members)}
    best = max(candidates, key=lambda a: (_cosine(_words(headlines[a.id]), centroid), -order[a.id]))
    return headlines[best.id]


def is_headline(article: Article) -> bool:
    """Whether the article's title is a headline rather than a sentence of its body."""
    title = " ".join((article.title or "").split())
    if not title:
        return False
    body = " ".join(article.text[: len(title) * 4 + 200].split())
    return title not in body


def _main_event_articles(story: Story, members: Sequence[Article]) -> list[Article]:
    by_id = {a.id: a for a in members}
    if not story.events:
        return list(members)
    biggest = max(len(e.article_ids) for e in story.events)
    event = next(e for e in story.events if len(e.article_ids) == biggest)
    return [by_id[i] for i in event.article_ids if i in by_id] or list(members)


def _words(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(n * b[w] for w, n in a.items())
    norm = math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0
