"""Ingest inputs into a store and bring its stories up to date, incrementally.

Method: the per-article stages run on every input (:func:`storyline.pipeline.process`);
articles whose id is already stored are recognised and not added again; then, in the
**same transaction**, the stories are updated. A crash or ``kill -9`` therefore leaves the
store as it was before the ingest or as it is after it, and running the same ingest again
completes it with nothing lost and nothing doubled.

Updating stories (:func:`update_stories`), with the steps of
:func:`storyline.pipeline.assemble`:

1. **Dedupe** runs over every stored article (MinHash, no model; linear in the store) so
   a new article can be found to copy a stored one; stored articles whose marks change
   are updated.
2. **Annotate** (spaCy NER and quotes) runs on the new articles only; their
   :class:`~storyline.model.Annotations` are stored, so no article is annotated twice.
3. **Cluster**: the :class:`~storyline.cluster.Clusterer` is rebuilt from the state the
   last ingest saved (``Store.story_state``), the new articles are added
   (:func:`storyline.pipeline.place`, which also infers missing publication dates), and
   the new state is saved.
4. **Story facts** (entities, quotes, timeline, claims, summary) are recomputed only for
   stories whose articles changed; stories merged away are deleted.

When the story state is missing (a store written by an older storyline) or was saved
with different story settings or another storyline version, the stories are rebuilt
from every stored article once (stored annotations are reused when the ``extract`` and
``models`` settings and the version are unchanged), and the state is saved for the next
ingest.

Limits: the result equals one run over all articles when ingests arrive in publication
order (the clusterer's own guarantee). An article placed earlier keeps its place: when a
later ingest makes it a copy of another article or gives it an inferred date, the article
is updated and its story's facts recomputed, but it is not moved to another story.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from storyline.cluster import Clusterer
from storyline.dating import without_inferred_date
from storyline.dedupe import dedupe
from storyline.engine import Runner, runner_for
from storyline.errors import ModelError
from storyline.extract.annotate import ANNOTATION_VERSION, in_english
from storyline.model import Annotations, Article, Story
from storyline.models import spacy_model_name
from storyline.pipeline import Progress, annotate_all, place, process, story_facts
from storyline.settings import DEFAULTS, Settings
from storyline.store.base import Store
from storyline.web.story_page import page_payload

__all__ = ["IngestReport", "ingest", "update_stories"]

STATE_VERSION = 1

# The settings sections whose values decide stories (not ingest, clean or runner).
_STORY_SECTIONS = ("dedupe", "cluster", "timeline", "extract", "summary", "compare", "models")


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestReport:
    """What one ingest did and what the store holds afterwards."""

    read: int
    new_articles: int
    already_stored: int
    skipped: int
    stories: int
    not_in_english: dict[str, int] = field(default_factory=dict)
    """New articles in other languages, by language (they get no entities or quotes)."""


def ingest(
    store: Store,
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Process ``inputs`` and add what is new to ``store``, all in one transaction.

    Requires nothing of the store; assigns new articles, new skipped inputs, their
    annotations and the updated stories.
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
        not_in_english=dict(
            Counter(a.language or "" for a in added.new_articles if not in_english(a))
        ),
    )


def update_stories(
    store: Store,
    new_articles: tuple[Article, ...],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
) -> int:
    """Bring the stored stories up to date after ``new_articles`` were added.

    Call it inside the transaction that added them. See the module docstring for the
    steps and for when stories are rebuilt from every stored article instead.

    Returns:
        the number of stories stored.
    """
    runner = runner or runner_for(settings.runner)
    key = story_fingerprint(settings)
    with store.transaction():
        state = store.story_state()
        clusterer = _saved_clusterer(state, key, settings)
        if clusterer is not None:
            fresh = {a.id for a in new_articles}
            return _update(store, clusterer, fresh, settings, runner=runner, key=key)
        # a first ingest, an older store or other settings: rebuild every story, reusing
        # stored annotations when they were made by the same NER settings
        reuse = state is not None and state.get("annotations") == key["annotations"]
        clusterer = Clusterer(settings.cluster)
        return _update(store, clusterer, set(), settings, runner=runner, key=key, reuse=reuse)


def story_fingerprint(settings: Settings) -> dict[str, str]:
    """What stored stories and stored annotations depend on (settings and version).

    Annotations depend only on the settings that change what :func:`annotate` finds,
    the spaCy pipeline actually picked (``auto`` resolved) and
    :data:`~storyline.extract.annotate.ANNOTATION_VERSION`; a speed setting such as
    ``extract.batch_size`` keeps them.
    """
    from storyline import __version__

    values = {name: asdict(getattr(settings, name)) for name in _STORY_SECTIONS}
    stories = json.dumps({"version": __version__, **values}, sort_keys=True, default=str)
    try:
        model = spacy_model_name(settings.models.spacy)
    except ModelError:
        model = "none"  # nothing can be annotated; stored annotations stay as they are
    annotations = {
        "version": ANNOTATION_VERSION,
        "model": model,
        "ner_context": settings.extract.ner_context,
        "min_quote_words": settings.extract.min_quote_words,
    }
    return {"stories": stories, "annotations": json.dumps(annotations, sort_keys=True)}


def _saved_clusterer(
    state: Mapping[str, Any] | None, key: Mapping[str, str], settings: Settings
) -> Clusterer | None:
    if state is None or state.get("version") != STATE_VERSION:
        return None
    if state.get("stories") != key["stories"]:
        return None
    try:
        return Clusterer.from_state(state["clusterer"], settings.cluster)
    except ValueError:  # written by another clusterer version: rebuild
        return None


def _update(
    store: Store,
    clusterer: Clusterer,
    fresh: set[str],
    settings: Settings,
    *,
    runner: Runner,
    key: Mapping[str, str],
    reuse: bool = True,
) -> int:
    """Steps 1-4 of the module docstring; an empty ``clusterer`` rebuilds every story.

    ``reuse``: stored annotations are valid (else every article is annotated again).
    """
    stored = store.articles()
    rebuild = len(clusterer) == 0
    if rebuild:
        fresh = {a.id for a in stored}
    marked = _dedupe_marks(stored, settings)
    updated: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    for old, mark in zip(stored, marked, strict=True):
        article = mark if old.id in fresh else _with_marks(old, mark)
        by_id[article.id] = article
        if article != old:
            updated[article.id] = article
    new = [by_id[a.id] for a in stored if a.id in fresh]
    notes = store.annotations(fresh) if reuse else {}
    todo = [a for a in new if a.id not in notes]
    if todo:
        found = annotate_all(todo, settings, runner=runner)
        store.add_annotations(found.values())
        notes.update(found)

    before = {} if rebuild else {s.id: s for s in clusterer.stories()}
    known = {i: a for i, a in by_id.items() if i not in fresh}
    placed, redated = place(clusterer, new, notes, known=known)
    for article in (*placed, *redated):
        if article != by_id[article.id]:
            by_id[article.id] = updated[article.id] = article
    stored_by_id = {a.id: a for a in stored}
    store.update_articles([a for i, a in updated.items() if a != stored_by_id[i]])

    stories = clusterer.stories()
    touched = fresh | updated.keys()
    changed = [s for s in stories if before.get(s.id) != s or not touched.isdisjoint(s.article_ids)]
    drop = before.keys() - {s.id for s in stories}
    facts = _facts(store, changed, by_id, notes, settings, runner=runner)
    if rebuild:
        store.set_stories(facts)
    else:
        store.put_stories(facts, drop=sorted(drop))
    store.put_pages({s.id: page_payload(s, by_id) for s in facts})
    store.set_story_state({"version": STATE_VERSION, **key, "clusterer": clusterer.to_state()})
    return len(stories)


def _facts(
    store: Store,
    stories: Sequence[Story],
    articles: Mapping[str, Article],
    notes: Mapping[str, Annotations],
    settings: Settings,
    *,
    runner: Runner,
) -> list[Story]:
    """Story facts for ``stories``, with their members' annotations from the store."""
    members = {i for s in stories for i in s.article_ids}
    found = {**store.annotations(members - notes.keys()), **notes}
    missing = [articles[i] for i in sorted(members - found.keys())]
    if missing:  # stored before annotations were kept: annotate once, keep them
        extra = annotate_all(missing, settings, runner=runner)
        store.add_annotations(extra.values())
        found.update(extra)
    return [story_facts(s, articles, found, settings) for s in stories]


def _dedupe_marks(stored: Sequence[Article], settings: Settings) -> tuple[Article, ...]:
    """Dedupe every stored article as one run would see it (inferred dates unknown)."""
    return dedupe([without_inferred_date(a) for a in stored], settings.dedupe)


def _with_marks(article: Article, mark: Article) -> Article:
    """``article`` with the duplicate marks dedupe gave ``mark`` (its other fields kept)."""
    return replace(article, duplicate_of=mark.duplicate_of, syndicated_from=mark.syndicated_from)
