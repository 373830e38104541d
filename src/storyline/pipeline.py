"""The stage order, written out once.

``run`` reads inputs, maps the per-article stages over them with a
:class:`~storyline.engine.Runner`, then applies the corpus stages::

    process:  read ─▶ clean ─▶ dates (per article, in worker processes) ─▶ unique ids
    assemble: dedupe ─▶ entities and quotes (per article, in workers) ─▶ stories and events
              ─▶ inferred publication dates (─▶ events again)
              ─▶ per story: title, entities, quotes, timeline, claims, summary

``assemble`` is built from steps that the store reuses to update stories incrementally:
:func:`annotate_all`, :func:`place` (clustering through a
:class:`~storyline.cluster.Clusterer`, with date inference) and :func:`story_facts`.

Per-article stages are pure top-level functions, so a distributed runner can map them
too. A record that fails becomes a :class:`~storyline.model.Skipped` entry: inputs =
articles + skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from storyline._budget import within_budget
from storyline.clean import clean
from storyline.cluster import Clusterer
from storyline.compare import compare
from storyline.dating import infer_published, without_inferred_date
from storyline.dedupe import dedupe
from storyline.engine import Runner, runner_for
from storyline.errors import InputError
from storyline.extract.annotate import annotate, in_english
from storyline.extract.dates import date_article
from storyline.extract.entities import story_entities
from storyline.extract.quotes import story_quotes
from storyline.ingest import read
from storyline.model import Annotations, Article, Document, Result, Skipped, Story
from storyline.models import spacy_pipeline
from storyline.settings import DEFAULTS, CleanSettings, Settings
from storyline.summarize import summarize
from storyline.timeline import build_timeline
from storyline.title import story_title

__all__ = [
    "annotate_all",
    "assemble",
    "clean_record",
    "place",
    "process",
    "process_record",
    "run",
    "story_facts",
]

log = logging.getLogger(__name__)

Progress = Callable[[Article | Skipped], None]
StageProgress = Callable[[str, int, int], None]  # stage name, items done now, items in all


def run(
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
    stage_progress: StageProgress | None = None,
) -> Result:
    """Process ``inputs`` (files, folders or ``-``) into a :class:`~storyline.model.Result`.

    Args:
        inputs: paths to read; folders are walked recursively.
        settings: the settings tree.
        runner: how per-article stages are mapped; by default from ``settings.runner``.
        progress: called once per article or skipped input, as they are done.
        stage_progress: called as the long corpus stages advance (e.g. entities and quotes).
    """
    runner = runner or runner_for(settings.runner)
    articles, skipped = process(inputs, settings, runner=runner, progress=progress)
    articles, stories = assemble(articles, settings, runner=runner, progress=stage_progress)
    return Result(articles=articles, skipped=skipped, stories=stories)


def process(
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
) -> tuple[tuple[Article, ...], tuple[Skipped, ...]]:
    """Read ``inputs`` and run the per-article stages; an article id is read once."""
    runner = runner or runner_for(settings.runner)
    records = read(inputs, settings.ingest)
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for item in runner.map(partial(process_record, settings=settings), records):
        if isinstance(item, Article) and item.id in seen:
            item = Skipped(
                source=item.source,
                reason=f"same article (id {item.id}) as {seen[item.id]}; read once",
            )
        if isinstance(item, Article):
            seen[item.id] = item.source
            articles.append(item)
        else:
            skipped.append(item)
        if progress is not None:
            progress(item)
    return tuple(articles), tuple(skipped)


def assemble(
    articles: Sequence[Article],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: StageProgress | None = None,
) -> tuple[tuple[Article, ...], tuple[Story, ...]]:
    """The corpus stages: from processed articles to stories.

    Returns the articles (corpus stages may fill fields such as ``duplicate_of``) and the
    stories. Also used by the store to rebuild stories from stored articles.
    """
    runner = runner or runner_for(settings.runner)
    articles = dedupe(articles, settings.dedupe)
    notes = annotate_all(articles, settings, runner=runner, progress=progress)
    clusterer = Clusterer(settings.cluster)
    articles, _ = place(clusterer, articles, notes)
    by_id = {a.id: a for a in articles}
    stories = tuple(story_facts(story, by_id, notes, settings) for story in clusterer.stories())
    return articles, stories


def place(
    clusterer: Clusterer,
    articles: Sequence[Article],
    notes: Mapping[str, Annotations],
    *,
    known: Mapping[str, Article] | None = None,
) -> tuple[tuple[Article, ...], tuple[Article, ...]]:
    """Add new articles to ``clusterer``, dating the undated ones from their story first.

    Requires deduplicated articles not yet in ``clusterer`` and their ``notes``; ``known``
    holds the articles already added (by id). An undated article is placed once on a copy
    of the clusterer, dated from the story it joins there
    (:func:`~storyline.dating.infer_published`), and then placed for good with that date,
    so events and arrival order see it: the same decisions as one run over everything
    when articles arrive in publication order.

    Returns:
        ``articles`` in the same order (undated ones with an inferred date when their text
        and story allow one), and the ``known`` articles, still undated, of those stories
        that now got a date too (they keep their place in the clusterer).
    """
    known = known or {}
    redated: tuple[Article, ...] = ()
    if any(a.published is None for a in articles):
        trial = Clusterer.from_state(clusterer.to_state(), clusterer.settings)
        trial.add(articles, annotations=notes)
        undated = {a.id for a in articles if a.published is None}
        # stored inferences are inferred again with the story, as one run would
        pool = {
            **{i: without_inferred_date(a) for i, a in known.items()},
            **{a.id: a for a in articles},
        }
        touched = [s for s in trial.stories() if undated.intersection(s.article_ids)]
        members = [pool[i] for s in touched for i in s.article_ids if i in pool]
        dated = {a.id: a for a in infer_published(members, touched)}
        articles = tuple(dated.get(a.id, a) for a in articles)
        redated = tuple(a for i, a in dated.items() if i in known and a != known[i])
    clusterer.add(articles, annotations=notes)
    return tuple(articles), redated


def annotate_all(
    articles: Sequence[Article],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: StageProgress | None = None,
) -> dict[str, Annotations]:
    """Named entities and quotes per article id, found in batches by the runner's workers.

    The language model is loaded here first, so worker processes forked afterwards share
    it instead of each loading their own (and a missing model fails before any work).
    Batches go to workers one at a time, so even a few batches use every worker.
    """
    runner = runner or runner_for(settings.runner)
    if any(in_english(article) for article in articles):
        spacy_pipeline(settings.models.spacy)
    size = settings.extract.batch_size
    batches = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    notes: dict[str, Annotations] = {}
    for batch in runner.map(partial(annotate, settings=settings), batches, chunk_size=1):
        notes.update((note.article_id, note) for note in batch)
        if progress is not None:
            progress("entities and quotes", len(batch), len(articles))
    return notes


def story_facts(
    story: Story,
    articles: Mapping[str, Article],
    notes: Mapping[str, Annotations],
    settings: Settings,
) -> Story:
    """The story stages: title, entities, quotes, timeline, claims and summary.

    Requires the story's articles and their annotations (by id); assigns ``title``,
    ``entities``, ``quotes``, ``timeline``, ``claims`` and ``summary``.
    """
    return replace(
        story,
        title=story_title(story, articles),
        entities=story_entities(story, articles, notes, settings),
        quotes=story_quotes(story, articles, notes, settings),
        timeline=build_timeline(story, articles, settings.timeline),
        claims=compare(story, articles, settings.compare),
        summary=summarize(story, articles, settings.summary),
    )


def process_record(record: Document | Skipped, *, settings: Settings) -> Article | Skipped:
    """Run every per-article stage on one record (runs in workers), within the record's
    time budget (``runner.record_seconds``, see :mod:`storyline._budget`)."""
    if isinstance(record, Skipped):
        return record
    stages = partial(_process_record, settings=settings)
    return within_budget(settings.runner.record_seconds, stages, record, source=record.source)


def _process_record(record: Document, *, settings: Settings) -> Article | Skipped:
    item = clean_record(record, settings=settings.clean)
    if isinstance(item, Skipped):
        return item
    try:
        return date_article(item)
    except Exception:  # a bug in the date rules must not cost the article or the run
        log.exception(
            "unexpected error while finding dates in %s; it is kept without dates, "
            "please report it",
            item.source,
        )
        return item


def clean_record(record: Document | Skipped, *, settings: CleanSettings) -> Article | Skipped:
    """Clean one record, turning any failure into a skipped entry (runs in workers)."""
    if isinstance(record, Skipped):
        return record
    try:
        return clean(record, settings)
    except InputError as e:
        return Skipped(source=e.source or record.source, reason=e.message)
    except Exception as e:  # a bug or a parser crash must not abort a batch of thousands
        log.exception("unexpected error while cleaning %s", record.source)
        return Skipped(
            source=record.source,
            reason=f"internal error while cleaning ({type(e).__name__}: {e}); please report it",
        )
