"""Ingest inputs into a store and bring its stories up to date.

Method: the per-article stages run on every input (:func:`storyline.pipeline.process`);
articles whose id is already stored are recognised and not added again; then, in the
**same transaction**, the stories are rebuilt. A crash or ``kill -9`` therefore leaves the
store as it was before the ingest or as it is after it, and running the same ingest again
completes it with nothing lost and nothing doubled.

Limits: stories are rebuilt from every stored article with
:func:`storyline.pipeline.assemble`. When the incremental clusterer
(``storyline.cluster.Clusterer``) lands, :func:`update_stories` is the one place to
change: feed it ``report.new_articles`` instead of re-assembling the whole store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from storyline.engine import Runner
from storyline.model import Article
from storyline.pipeline import Progress, assemble, process
from storyline.settings import DEFAULTS, Settings
from storyline.store.base import Store

__all__ = ["IngestReport", "ingest", "update_stories"]


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestReport:
    """What one ingest did and what the store holds afterwards."""

    read: int
    new_articles: int
    already_stored: int
    skipped: int
    stories: int


def ingest(
    store: Store,
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Process ``inputs`` and add what is new to ``store``, all in one transaction.

    Requires nothing of the store; assigns new articles, new skipped inputs and the
    rebuilt stories.
    """
    articles, skipped = process(inputs, settings, runner=runner, progress=progress)
    with store.transaction():
        added = store.add(articles, skipped)
        stories = update_stories(store, added.new_articles, settings, runner=runner)
    return IngestReport(
        read=len(articles),
        new_articles=len(added.new_articles),
        already_stored=added.already_stored,
        skipped=len(skipped),
        stories=stories,
    )


def update_stories(
    store: Store,
    new_articles: tuple[Article, ...],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
) -> int:
    """Bring the stored stories up to date after ``new_articles`` were added.

    Today: rebuild every story from all stored articles with ``assemble``. With the
    incremental clusterer this becomes one call that takes only ``new_articles``.

    Returns:
        the number of stories stored.
    """
    stored = store.articles()
    articles, stories = assemble(stored, settings, runner=runner)
    changed = [new for old, new in zip(stored, articles, strict=True) if new != old]
    if changed:
        store.update_articles(changed)
    store.set_stories(stories)
    return len(stories)
