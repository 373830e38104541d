"""Stories: which articles belong together.

Articles that share a ``group`` in their input are one story, as given. Clustering of
ungrouped articles into stories and events is not built yet; until it is, ungrouped
articles belong to no story.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Article, Story, stable_id

__all__ = ["stories_from_groups"]


def stories_from_groups(articles: Sequence[Article]) -> tuple[Story, ...]:
    """One story per input ``group``, titled after its earliest article.

    Requires cleaned articles; assigns story ``id``, ``title`` and ``article_ids``.
    """
    groups: dict[str, list[Article]] = {}
    for article in articles:
        if article.group is not None:
            groups.setdefault(article.group, []).append(article)
    stories = []
    for group, members in groups.items():
        members.sort(key=_chronological)
        title = next((a.title for a in members if a.title), group)
        stories.append(
            Story(
                id=stable_id("group", group),
                title=title,
                article_ids=tuple(a.id for a in members),
            )
        )
    return tuple(stories)


def _chronological(article: Article) -> tuple[bool, str, str]:
    published = article.published.date.isoformat() if article.published else ""
    return (article.published is None, published, article.id)
