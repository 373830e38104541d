"""The stage order, written out once: one engine for batch, incremental and distributed runs.

Three kinds of stage, each stating what it requires and assigns (:data:`STAGES`)::

    per article (mapped by the Runner):  read ─▶ clean ─▶ dates ─▶ entities and quotes
    corpus (key-grouped rows, driver):   dedupe ─▶ events and stories ─▶ inferred dates
    per story  (mapped by the Runner):   title, entities, quotes, timeline, claims, summary

A batch run (:func:`run`) is an incremental update (:func:`update`) of an empty
in-memory store; ``storyline ingest`` is the same :func:`update` of a stored one. An
update of k new articles into a store of N costs O(k + the stories they touch):

1. **Outside any write lock**: which articles are new (an id look-up), and their
   entities and quotes (the model work, mapped over the runner's workers).
2. **One write transaction, corpus stages**: dedupe against the stored MinHash signatures
   and LSH bands (:class:`~storyline.dedupe.Deduper`), place the articles into events and
   stories over the stored clusterer rows (:class:`~storyline.cluster.Clusterer`), infer
   missing publication dates from the story each would join
   (:func:`~storyline.dating.infer_published`, one story per job, mapped over the
   workers), write the articles, their annotations and
   the changed rows, and mark the stories that changed as *stale*.
3. **Outside the lock**: the story stages for the stale stories, mapped over the workers;
   each is sent only its story, its articles and their annotations.
4. **One short write transaction**: the new story facts, for each stale story still
   marked by this update (another writer that changed it since re-marked it and writes
   it itself).

A crash or ``kill -9`` in 1 or 2 leaves the store as it was; in 3 or 4 it leaves stale
marks, which the next update (of anything, even of nothing new) completes first.

Where arrival order matters: see :mod:`storyline.cluster` (events and IDF are built in
arrival order) — batches that arrive in publication order give the stories of one batch.
Undated articles are placed after the dated ones of their batch, once their date is
inferred. Dedupe does not depend on order.

Limits of date inference: each undated article is dated from the story it would join
now (:meth:`~storyline.cluster.Clusterer.preview`, judged alone), so undated articles
that would form a new story only with each other are each dated from their own text.
A store written before schema 3 keeps no record of what cleaning declared as a copy's
``syndicated_from``; its first rebuild takes the stored value as declared.

A record that fails becomes a :class:`~storyline.model.Skipped` entry: inputs =
articles + skipped.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

from storyline._budget import within_budget
from storyline._profile import Profile
from storyline.clean import clean
from storyline.cluster import Clusterer
from storyline.compare import compare
from storyline.dating import (
    date_with_view,
    infer_published,
    story_view,
    without_inferred_date,
)
from storyline.dedupe import Deduper
from storyline.engine import Runner, runner_for
from storyline.errors import InputError, ModelError, StoreError
from storyline.extract.annotate import ANNOTATION_VERSION, annotate, in_english
from storyline.extract.dates import date_article
from storyline.extract.entities import story_entities
from storyline.extract.quotes import story_quotes
from storyline.ingest import read
from storyline.model import Annotations, Article, Document, Result, Skipped, Story
from storyline.models import spacy_model_name
from storyline.settings import DEFAULTS, CleanSettings, Settings
from storyline.store.base import MERGED_INTO, Store, live_story_id
from storyline.store.memory import MemoryStore
from storyline.summarize import summarize
from storyline.timeline import build_timeline
from storyline.title import story_title

__all__ = [
    "STAGES",
    "IngestReport",
    "Stage",
    "UpdateReport",
    "annotate_all",
    "clean_record",
    "ingest",
    "live_story_id",
    "process",
    "process_record",
    "run",
    "story_facts",
    "update",
]

log = logging.getLogger(__name__)

Progress = Callable[[Article | Skipped], None]
StageProgress = Callable[[str, int, int], None]  # stage name, items done now, items in all

STATE_VERSION = 2  # of the fingerprint kept with the rows (story_state)

# The settings sections whose values decide stories (not ingest, clean or runner).
_STORY_SECTIONS = ("dedupe", "cluster", "timeline", "extract", "summary", "compare", "models")
_STALE = "e.stale"  # row kind: story id → the update that marked it for the story stages
_ATTEMPTS = 5  # of an update whose first step another writer overtook


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """One stage: its kind (how it is run), what it requires and what it assigns."""

    name: str
    kind: Literal["article", "corpus", "story"]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage(name="read", kind="article", requires=("inputs",), assigns=("Document",)),
    Stage(
        name="clean",
        kind="article",
        requires=("Document",),
        assigns=("Article.text", "title", "outlet", "published", "language", "removed"),
    ),
    Stage(name="dates", kind="article", requires=("Article.text",), assigns=("Article.dates",)),
    Stage(
        name="entities and quotes",
        kind="article",
        requires=("Article.text",),
        assigns=("Annotations",),
    ),
    Stage(
        name="dedupe",
        kind="corpus",
        requires=("Article.text", "published", "outlet"),
        assigns=("Article.duplicate_of", "Article.syndicated_from"),
    ),
    Stage(
        name="cluster",
        kind="corpus",
        requires=("Article", "Annotations.entities"),
        assigns=("Story.id", "Story.article_ids", "Story.events"),
    ),
    Stage(
        name="inferred dates",
        kind="corpus",
        requires=("Article.dates", "Story.article_ids"),
        assigns=("Article.published (inferred)",),
    ),
    Stage(
        name="story facts",
        kind="story",
        requires=("Story.article_ids", "Article", "Annotations"),
        assigns=("title", "entities", "quotes", "timeline", "claims", "summary"),
    ),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateReport:
    """What one :func:`update` did and what the store holds afterwards."""

    new_articles: tuple[Article, ...]
    already_stored: int
    new_skipped: int
    stories: int
    stories_updated: int
    rebuilt: bool = False
    """Stories were rebuilt from every stored article (other settings, an older store)."""


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


def run(
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
    stage_progress: StageProgress | None = None,
    profile: Profile | None = None,
) -> Result:
    """Process ``inputs`` (files, folders or ``-``) into a :class:`~storyline.model.Result`.

    The same engine as an ingest, into an empty in-memory store.

    Args:
        inputs: paths to read; folders are walked recursively.
        settings: the settings tree.
        runner: how per-article and per-story stages are mapped; by default from
            ``settings.runner`` (started here and stopped at the end).
        progress: called once per article or skipped input, as they are done.
        stage_progress: called as the long stages advance (e.g. entities and quotes).
        profile: collects wall and CPU time per stage when given.
    """
    store = MemoryStore()
    _ingest(
        store,
        inputs,
        settings,
        runner=runner,
        progress=progress,
        stage_progress=stage_progress,
        profile=profile,
        pages=False,
    )
    return store.result()


def ingest(
    store: Store,
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
    stage_progress: StageProgress | None = None,
    profile: Profile | None = None,
) -> IngestReport:
    """Process ``inputs`` and add what is new to ``store``, updating its stories.

    Requires nothing of the store; assigns new articles, new skipped inputs, their
    annotations, the corpus rows and the updated stories (see the module docstring).
    """
    return _ingest(
        store,
        inputs,
        settings,
        runner=runner,
        progress=progress,
        stage_progress=stage_progress,
        profile=profile,
        pages=True,
    )


def _ingest(
    store: Store,
    inputs: Iterable[str | Path],
    settings: Settings,
    *,
    runner: Runner | None,
    progress: Progress | None,
    stage_progress: StageProgress | None,
    profile: Profile | None,
    pages: bool,
) -> IngestReport:
    with _owned(runner, settings) as active:
        articles, skipped = process(
            inputs, settings, runner=active, progress=progress, profile=profile
        )
        report = update(
            store,
            articles,
            skipped,
            settings,
            runner=active,
            progress=stage_progress,
            profile=profile,
            pages=pages,
        )
    return IngestReport(
        read=len(articles),
        new_articles=len(report.new_articles),
        already_stored=report.already_stored,
        skipped=len(skipped),
        stories=report.stories,
        not_in_english=dict(
            Counter(a.language or "" for a in report.new_articles if not in_english(a))
        ),
    )


@contextlib.contextmanager
def _owned(runner: Runner | None, settings: Settings, *, models: bool = True) -> Iterator[Runner]:
    """``runner``, or one made from the settings and closed when done (``models``: its
    work includes NER, so a local pool preloads the spaCy pipeline for its workers)."""
    if runner is not None:
        yield runner
        return
    with runner_for(
        settings.runner,
        preload_spacy=settings.models.spacy if models and settings.runner.preload else None,
    ) as made:
        yield made


def process(
    inputs: Iterable[str | Path],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: Progress | None = None,
    profile: Profile | None = None,
) -> tuple[tuple[Article, ...], tuple[Skipped, ...]]:
    """Read ``inputs`` and run the per-article stages; an article id is read once."""
    prof = profile or Profile.off()
    records: Iterable[Document | Skipped] = read(inputs, settings.ingest)
    if prof.enabled:
        records = prof.timed_iter("read", records)
    task = partial(process_record, settings=settings)
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    with _owned(runner, settings, models=False) as active:
        for item in _mapped(
            active, "clean and dates", task, records, prof, on_error=_record_failed
        ):
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


def update(
    store: Store,
    articles: Sequence[Article],
    skipped: Sequence[Skipped] = (),
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: StageProgress | None = None,
    profile: Profile | None = None,
    pages: bool = True,
) -> UpdateReport:
    """Add processed ``articles`` (and ``skipped`` inputs) to ``store``, updating stories.

    Requires articles as :func:`process` leaves them. The steps, and what a crash leaves,
    are in the module docstring. When the store's rows were made with other story
    settings, another storyline version or by an older store, every stored article is
    placed again from scratch once (stored annotations are kept when the annotation
    settings and version are unchanged). ``pages``: store each changed story's web page
    payload too (a batch run, which serves no pages, passes False).
    """
    with _owned(runner, settings) as active:
        return _update(
            store,
            articles,
            skipped,
            settings,
            runner=active,
            progress=progress,
            profile=profile,
            pages=pages,
        )


def _update(
    store: Store,
    articles: Sequence[Article],
    skipped: Sequence[Skipped] = (),
    settings: Settings = DEFAULTS,
    *,
    runner: Runner,
    progress: StageProgress | None,
    profile: Profile | None,
    pages: bool,
) -> UpdateReport:
    prof = profile or Profile.off()
    key = fingerprint(settings)
    notes: dict[str, Annotations] = {}
    annotated: set[str] = set()  # ids annotated by this update (the others are stored)
    for _ in range(_ATTEMPTS):
        # 1. outside the lock: what is new, and the model work for it
        with prof.serial("look-up"):
            state = store.story_state()
            rebuild = not _compatible(state, key)
            known = store.known_ids(a.id for a in articles)
            new = [a for a in articles if a.id not in known]
            base: list[Article] = []
            before: dict[str, Article] = {}
            if rebuild:
                before = {a.id: a for a in store.articles()}
                base = [_as_processed(a) for a in before.values()]
                if base:
                    log.info("stories are rebuilt from %d stored article(s) once", len(base))
            reuse = state is not None and state.get("annotations") == key["annotations"]
            wanted = [a.id for a in base if a.id not in notes]
            if wanted and reuse:
                notes.update(store.annotations(wanted))
        todo = [a for a in (*base, *new) if a.id not in notes]
        found = annotate_all(todo, settings, runner=runner, progress=progress, profile=prof)
        notes.update(found)
        annotated.update(found)
        # 2. one write transaction: the corpus stages, if what step 1 saw still holds
        try:
            with store.transaction():
                _check_unchanged(store, key, rebuild, base)
                raced = store.known_ids(a.id for a in new)  # another writer added them
                new = [a for a in new if a.id not in raced]
                if rebuild:
                    # what cleaning declared, before the old marks are forgotten
                    declared = Deduper(settings.dedupe, state=store.state_rows()).declared(before)
                    base = [
                        replace(a, syndicated_from=declared.get(a.id, a.syndicated_from))
                        for a in base
                    ]
                    store.set_story_state(None)  # forgets every row too
                    store.set_stories(())
                placed, changed = _corpus(
                    store, [*base, *new], notes, settings, prof, runner=runner
                )
                ids = {a.id for a in new}
                with prof.serial("write"):
                    added = store.add([placed[a.id] for a in new], skipped)
                    # a rebuild may mark or date stored articles otherwise than before
                    rebuilt = [placed[i] for i in before if placed[i] != before[i]]
                    store.update_articles([*rebuilt, *changed])
                    # only what this update annotated: a rebuild reusing stored ones
                    # does not write them again
                    store.add_annotations(notes[i] for i in annotated if i in ids or i in placed)
                    store.set_story_state({"version": STATE_VERSION, **key})
        except _Changed:
            log.info("another writer changed the store's story state meanwhile; looking again")
            continue
        break
    else:
        raise StoreError(
            "the store's story state kept changing under this update "
            f"({_ATTEMPTS} attempts): other writers with other settings are rebuilding it",
            hint="run one ingest at a time with the same settings, then try again",
        )
    # 3 and 4. the story stages for every stale story (this update's and any left over)
    updated = _story_stage(
        store, settings, runner=runner, progress=progress, profile=prof, pages=pages
    )
    return UpdateReport(
        new_articles=added.new_articles,
        already_stored=len(articles) - len(new),
        new_skipped=added.new_skipped,
        stories=store.counts()["stories"],
        stories_updated=updated,
        rebuilt=rebuild and bool(base),
    )


class _Changed(Exception):
    """Another writer changed what an update's first step saw (see :func:`update`)."""


def _check_unchanged(
    store: Store, key: Mapping[str, str], rebuild: bool, base: Sequence[Article]
) -> None:
    """Raise :class:`_Changed` when step 1's decision no longer holds under the lock.

    Two updates of a new store both see no state; the first one builds it, and the
    second must then add to it, not rebuild it again without the first one's articles.
    """
    if _compatible(store.story_state(), key) == rebuild:
        raise _Changed
    if rebuild and len(store.known_ids(a.id for a in base)) != store.counts()["articles"]:
        raise _Changed


def _corpus(
    store: Store,
    fresh: Sequence[Article],
    notes: Mapping[str, Annotations],
    settings: Settings,
    prof: Profile,
    *,
    runner: Runner,
) -> tuple[dict[str, Article], list[Article]]:
    """Dedupe, cluster and date ``fresh`` articles over the store's rows (step 2).

    Returns the fresh articles as they are to be stored, by id, and the stored articles
    that changed (marks of a group that gained an earlier original, inferred dates that
    a story's new members changed); marks the stories that changed as stale.
    """
    rows = store.state_rows()
    token = uuid.uuid4().hex
    with prof.serial("dedupe"):
        deduper = Deduper(settings.dedupe, state=rows)
        marks = deduper.add(fresh)
    with prof.serial("cluster"):
        clusterer = Clusterer(settings.cluster, state=rows)
        marked = marks.articles
        dated = [a for a in marked if a.published is not None]
        undated = [a for a in marked if a.published is None]
        clusterer.add(dated, annotations=notes)
    redated: list[Article] = []
    if undated:
        undated, redated = _infer_dates(
            store, clusterer, dated, undated, notes, runner=runner, prof=prof
        )
        with prof.serial("cluster"):
            clusterer.add(undated, annotations=notes)
    placed = {a.id: a for a in (*dated, *undated)}
    with prof.serial("cluster"):
        changed = {a.id: a for a in redated}
        remarked = store.articles_by_id(marks.stored.keys() - changed.keys())
        for article_id, (duplicate_of, syndicated_from) in marks.stored.items():
            article = changed.get(article_id) or remarked[article_id]
            changed[article_id] = replace(
                article, duplicate_of=duplicate_of, syndicated_from=syndicated_from
            )
        news = clusterer.changes()
        stale = set(news.touched) | set(clusterer.story_of(changed).values())
        store.put_stories((), drop=sorted(news.removed))
        rows.delete_rows(_STALE, news.removed)
        # links to a story merged away keep working: its id names the survivor
        rows.put_rows(
            MERGED_INTO, {old: json.dumps(live).encode() for old, live in news.merged.items()}
        )
        rows.delete_rows(MERGED_INTO, news.touched)  # an id live again is its own story
        rows.put_rows(_STALE, {i: json.dumps(token).encode() for i in sorted(stale)})
        clusterer.flush()
        deduper.flush()
    return placed, list(changed.values())


def _infer_dates(
    store: Store,
    clusterer: Clusterer,
    dated: Sequence[Article],
    undated: Sequence[Article],
    notes: Mapping[str, Annotations],
    *,
    runner: Runner,
    prof: Profile,
) -> tuple[list[Article], list[Article]]:
    """Date undated articles from the story each would join now (dated ones placed).

    Returns the undated articles (with an inferred date where their text and story allow
    one) and the stored members of those stories whose inferred date changed: stored
    inferences are made again with the story's new members, as one run would.
    """
    with prof.serial("dates: preview, look-up"):
        guess = clusterer.preview(undated, annotations=notes)
        joined: dict[str, list[str]] = {}
        for article in undated:
            if (story_id := guess.get(article.id)) is not None:
                joined.setdefault(story_id, []).append(article.id)
        stories = [
            replace(s, article_ids=(*s.article_ids, *joined[s.id]))
            for s in clusterer.stories(joined)
        ]
        in_batch = {a.id: a for a in (*dated, *undated)}
        wanted = {i for s in stories for i in s.article_ids} - in_batch.keys()
        stored = store.articles_by_id(wanted)
        pool = {**{i: without_inferred_date(a) for i, a in stored.items()}, **in_batch}
        # a story's dates are inferred from its own members only: one view per story,
        # then its undated members in batches; articles joining no story alone
        members = [[pool[i] for i in s.article_ids if i in pool] for s in stories]
        alone = [a for a in undated if guess.get(a.id) is None]
    views = list(
        _mapped(runner, "dates: story views", story_view, members, prof, on_error=_no_view)
    )
    jobs: list[DateJob] = []
    for view, story_members in zip(views, members, strict=True):
        if view is None:  # its inference failed (logged): its articles stay undated
            continue
        todo = [a for a in story_members if a.published is None]
        jobs += [(todo[k : k + _DATE_BATCH], view) for k in range(0, len(todo), _DATE_BATCH)]
    jobs += [(alone[k : k + _DATE_BATCH], None) for k in range(0, len(alone), _DATE_BATCH)]
    found: dict[str, Article] = {}
    # each job is a batch already: one a task, or a few chunks would keep one worker busy
    results = _mapped(
        runner, "inferred dates", date_task, jobs, prof, on_error=_dates_failed, chunk_size=1
    )
    for dated_members in results:
        found.update((a.id, a) for a in dated_members)
    redated = [a for i, a in found.items() if i in stored and a != stored[i]]
    return [found.get(a.id, a) for a in undated], redated


DateJob = tuple[list[Article], Any]  # undated articles, and their story's view (None: none)
_DATE_BATCH = 32


def date_task(job: DateJob) -> tuple[Article, ...]:
    """Inferred publication dates for a batch of undated articles (runs in workers): from
    their story's view, or from their own text when they join no story."""
    articles, view = job
    if view is None:
        return infer_published(articles, [])
    return date_with_view(articles, view)


def _no_view(members: list[Article], error: BaseException) -> None:
    log.error("date inference failed for a story of %d article(s): %s", len(members), error)
    return None


def _dates_failed(job: DateJob, error: BaseException) -> tuple[Article, ...]:
    """A batch whose date inference failed: its articles stay undated."""
    log.error("date inference failed for %d article(s): %s; they stay undated", len(job[0]), error)
    return tuple(job[0])


def _story_stage(
    store: Store,
    settings: Settings,
    *,
    runner: Runner,
    progress: StageProgress | None,
    profile: Profile,
    pages: bool,
) -> int:
    """Steps 3 and 4: story facts for the stale stories; how many were written."""
    rows = store.state_rows()
    with profile.serial("story look-up"):
        marks = {i: json.loads(v) for i, v in rows.scan(_STALE)}
        if not marks:
            return 0
        clusterer = Clusterer(settings.cluster, state=rows)
        stories = clusterer.stories(marks)  # largest first (story_order): a long story
        # left to the end would keep the other workers idle
        gone = marks.keys() - {s.id for s in stories}
    task = partial(story_task, settings=settings, pages=pages)
    facts: list[Story] = []
    payloads: dict[str, bytes] = {}
    halves: dict[str, tuple[int, Story]] = {}

    def finished(group: Sequence[Story], chunk_size: int | None) -> Iterator[Any]:
        # each result with the driver's own reference to its job, for its part and
        # articles (map keeps the order of its items; tee holds only the jobs in flight)
        jobs, sent = itertools.tee(_story_jobs(store, group))
        results = _mapped(
            runner,
            "story facts",
            task,
            sent,
            profile,
            on_error=_story_failed,
            chunk_size=chunk_size,
        )
        return zip(results, jobs, strict=True)

    # long stories one task each, then the others a chunk at a time (one task each, a
    # few hundred small stories spent more time in transit than at work)
    long = [s for s in stories if len(s.article_ids) >= SPLIT_AT]
    short = [s for s in stories if len(s.article_ids) < SPLIT_AT]
    for (story, payload), (_, members, _, part) in itertools.chain(
        finished(long, 1), finished(short, None)
    ):
        if part:  # one of a long story's two halves: the story is done with both
            if story.id not in halves:
                halves[story.id] = part, story
                continue
            other_part, other = halves.pop(story.id)
            story = _joined({part: story, other_part: other})
            if pages:
                payload = _page_of(story, members, profile)
        facts.append(story)
        if payload is not None:
            payloads[story.id] = payload
        if progress is not None:
            progress("story facts", 1, len(stories))
    with profile.serial("write"), store.transaction():
        now = rows.get_rows(_STALE, marks)
        done = [s for s in facts if s.id in now and json.loads(now[s.id]) == marks[s.id]]
        store.put_stories(done)  # drops their old pages
        store.put_pages({s.id: payloads[s.id] for s in done if s.id in payloads})
        # a story gone since the scan: its mark is dropped only if it is still this one (a
        # writer that made the id live again marked it itself and writes it)
        dropped = sorted(i for i in gone if i in now and json.loads(now[i]) == marks[i])
        rows.delete_rows(_STALE, [s.id for s in done] + dropped)
    return len(done)


StoryJob = tuple[Story, dict[str, Article], dict[str, Annotations], int]
"""A story, its articles and their annotations by id, and which of its stages to run: 0
for all, 1 or 2 for one half of :data:`STORY_HALVES`."""

SPLIT_AT = 64
"""Articles from which a story's stages run as two tasks (two workers) rather than one:
a long story's stages would otherwise be the last task of the run, one worker busy and
the others idle (a 528-article story's 4.6 CPU-s were 6.6 s of a 21-s run)."""

STORY_HALVES: tuple[frozenset[str], frozenset[str]] = (
    frozenset({"title", "entities", "quotes", "timeline"}),
    frozenset({"claims", "summary"}),  # need no annotations
)
"""The story stages in two halves of about equal cost (CPU per article on an 800-article
story, ``benchmarks/story_stages.py``: 4.7 ms and 4.4 ms); no stage of one half needs a
result of the other."""


def _story_jobs(store: Store, stories: Sequence[Story]) -> Iterator[StoryJob]:
    """Each story with only what its stages need: its articles and their annotations;
    a long one twice, once per half of its stages."""
    for story in stories:
        members = store.articles_by_id(story.article_ids)
        notes = store.annotations(story.article_ids)
        if len(story.article_ids) < SPLIT_AT:
            yield story, members, notes, 0
            continue
        yield story, members, notes, 1
        yield story, members, {}, 2  # claims and summary read no annotations: not sent


def _page_of(story: Story, members: Mapping[str, Article], profile: Profile) -> bytes | None:
    """A joined story's page payload, built in the driver; None if building it fails
    (logged: the page is then computed when it is requested, as for a failed story)."""
    from storyline.web.story_page import page_payload

    try:
        with profile.serial("story pages"):  # also inside story facts' wall time
            return page_payload(story, members)
    except Exception as e:  # a bug in the page model must not cost the ingest
        log.error(
            "the page of story %s (%s) could not be built: %s; it is built when requested, "
            "please report it",
            story.id,
            story.title,
            e,
        )
        return None


def _joined(halves: Mapping[int, Story]) -> Story:
    """A long story from the results of its two halves (by part: 1 and 2)."""
    second = halves[2]
    return replace(halves[1], **{name: getattr(second, name) for name in STORY_HALVES[1]})


def story_task(
    job: StoryJob, *, settings: Settings, pages: bool = False
) -> tuple[Story, bytes | None]:
    """The story stages for one job (runs in workers), and its web page's payload when
    ``pages`` and the job is the whole story (:func:`storyline.web.story_page.
    page_payload`: a page request is then a read and a template render)."""
    from storyline.web.story_page import page_payload

    story, articles, notes, part = job
    stages = STORY_HALVES[part - 1] if part else None
    done = story_facts(story, articles, notes, settings, stages=stages)
    return done, page_payload(done, articles) if pages and not part else None


def fingerprint(settings: Settings) -> dict[str, str]:
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
        "reported_speech": settings.extract.reported_speech,
    }
    return {"stories": stories, "annotations": json.dumps(annotations, sort_keys=True)}


def _compatible(state: Mapping[str, Any] | None, key: Mapping[str, str]) -> bool:
    return (
        state is not None
        and state.get("version") == STATE_VERSION
        and state.get("stories") == key["stories"]
    )


def _as_processed(article: Article) -> Article:
    """A stored article as the per-article stages left it (corpus marks removed)."""
    return replace(without_inferred_date(article), duplicate_of=None)


def _mapped(
    runner: Runner,
    stage: str,
    task: Callable[[Any], Any],
    items: Iterable[Any],
    profile: Profile,
    *,
    on_error: Callable[[Any, BaseException], Any],
    chunk_size: int | None = None,
) -> Iterator[Any]:
    """``runner.map`` of a stage's task, timed by ``profile`` when it is on.

    ``on_error`` gives the result of an item whose task raised or whose worker died (see
    :class:`~storyline.engine.Runner`), so one item never costs the others or the run.
    """
    if not profile.enabled:
        yield from runner.map(task, items, chunk_size=chunk_size, on_error=on_error)
        return

    def failed(item: Any, error: BaseException) -> tuple[Any, float, int]:
        return on_error(item, error), 0.0, 0

    timed = profile.worker_timed(stage, task)
    results = runner.map(timed, items, chunk_size=chunk_size, on_error=failed)
    yield from profile.unwrap(stage, results)


def _record_failed(record: Document | Skipped, error: BaseException) -> Skipped:
    """A record whose worker failed (or died) on it: skipped, naming the input."""
    if isinstance(record, Skipped):
        return record
    log.error("a worker failed on %s: %s", record.source, error)
    return Skipped(
        source=record.source,
        reason=f"internal error while processing ({type(error).__name__}: {error}); "
        "please report it",
    )


def _batch_failed(batch: list[Article], error: BaseException) -> list[Annotations]:
    """A batch whose entity and quote pass failed: its articles kept, unannotated."""
    log.error(
        "entities and quotes failed for %d article(s) (%s, …): %s; they are kept without "
        "entities or quotes, please report it",
        len(batch),
        batch[0].source if batch else "",
        error,
    )
    return [Annotations(article_id=a.id) for a in batch]


def _story_failed(job: StoryJob, error: BaseException) -> tuple[Story, None]:
    """A story whose story stages failed: kept with its articles and events, without
    the facts of the stages that failed (a long story's half: that half's)."""
    story, _, _, part = job
    stages = sorted(STORY_HALVES[part - 1]) if part else ["facts"]
    log.error(
        "the story stages failed for story %s (%s): %s; it is kept without its %s, "
        "please report it",
        story.id,
        story.title,
        error,
        ", ".join(stages),
    )
    return story, None


def annotate_all(
    articles: Sequence[Article],
    settings: Settings = DEFAULTS,
    *,
    runner: Runner | None = None,
    progress: StageProgress | None = None,
    profile: Profile | None = None,
) -> dict[str, Annotations]:
    """Named entities and quotes per article id, found in batches by the runner's workers.

    Each worker loads the language model once, lazily (:mod:`storyline.models`); the
    model is looked up here first, so a missing one fails before any work. Batches go to
    workers one at a time, so even a few batches use every worker.
    """
    if not articles:
        return {}
    prof = profile or Profile.off()
    if any(in_english(article) for article in articles):
        spacy_model_name(settings.models.spacy)  # fails early, with the install hint
    size = settings.extract.batch_size
    batches = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    notes: dict[str, Annotations] = {}
    task = partial(annotate, settings=settings)
    with _owned(runner, settings) as active:
        for batch in _mapped(
            active,
            "entities and quotes",
            task,
            batches,
            prof,
            on_error=_batch_failed,
            chunk_size=1,
        ):
            notes.update((note.article_id, note) for note in batch)
            if progress is not None:
                progress("entities and quotes", len(batch), len(articles))
    return notes


def story_facts(
    story: Story,
    articles: Mapping[str, Article],
    notes: Mapping[str, Annotations],
    settings: Settings,
    *,
    stages: frozenset[str] | None = None,
) -> Story:
    """The story stages: title, entities, quotes, timeline, claims and summary.

    Requires the story's articles and their annotations (by id); assigns ``title``,
    ``entities``, ``quotes``, ``timeline``, ``claims`` and ``summary`` (only those named
    in ``stages``, when given, and ``entities`` with ``quotes``, which need them; the
    others keep their values).
    """
    wanted = stages if stages is not None else STORY_HALVES[0] | STORY_HALVES[1]
    done: dict[str, Any] = {}
    if "title" in wanted:
        done["title"] = story_title(story, articles)
    if "entities" in wanted or "quotes" in wanted:
        entities = story_entities(story, articles, notes, settings)
        done["entities"] = entities
        if "quotes" in wanted:
            with_entities = replace(story, entities=entities)
            done["quotes"] = story_quotes(with_entities, articles, notes, settings)
    if "timeline" in wanted:
        done["timeline"] = build_timeline(story, articles, settings.timeline)
    if "claims" in wanted:
        done["claims"] = compare(story, articles, settings.compare)
    if "summary" in wanted:
        done["summary"] = summarize(story, articles, settings.summary)
    return replace(story, **done)


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
