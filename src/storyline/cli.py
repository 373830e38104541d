"""The ``storyline`` command: a thin layer over :mod:`storyline.pipeline`.

The only module that prints or shows progress. Errors raised on purpose
(:class:`~storyline.errors.StorylineError`) are caught in one place and shown as
``Error: …`` with a hint; exit codes are 0 (at least one article), 1 (nothing could be
processed, or an error), 2 (usage error).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import click

from storyline import __version__
from storyline.errors import StorylineError
from storyline.extract.annotate import in_english
from storyline.model import Article, Result, Skipped
from storyline.output import FORMATS, Format, counted, write
from storyline.pipeline import run as run_pipeline
from storyline.settings import Settings, describe, load_settings
from storyline.store import IngestReport, Store, open_store
from storyline.store import ingest as ingest_into

__all__ = ["main"]


class _Group(click.Group):
    """Catches :class:`StorylineError` once for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StorylineError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {e.message}", err=True)
            if e.hint:
                click.echo(f"Hint: {e.hint}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn many outlets' news coverage into consolidated, cited stories."""
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not debug:
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def _settings_options(fn: Any) -> Any:
    fn = click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="SECTION.KEY=VALUE",
        help="Override a setting, e.g. --set clean.min_chars=200 (repeatable).",
    )(fn)
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A TOML settings file.",
    )(fn)


def _output_options(fn: Any) -> Any:
    fn = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write here instead of standard output.",
    )(fn)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: json for run, md for demo).",
    )(fn)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@_output_options
@_settings_options
def run(
    inputs: tuple[str, ...],
    output: Path | None,
    fmt: Format | None,
    config: Path | None,
    overrides: tuple[str, ...],
) -> None:
    """Read INPUT files or folders (or - for standard input) and write the result.

    Formats are sniffed: text, HTML, JSON Lines, WARC and RSS/Atom, gzip-compressed or not.
    """
    settings = load_settings(config, overrides)
    result = _run_with_progress(list(inputs), settings)
    _emit(result, output, fmt or "json")


def _db_option(fn: Any) -> Any:
    return click.option(
        "--db",
        "db",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The SQLite store file.",
    )(fn)


def _server_options(fn: Any) -> Any:
    fn = click.option(
        "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
    )(fn)
    return click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="Interface to listen on; 0.0.0.0 exposes the server to the network.",
    )(fn)


@cli.command()
@_output_options
@_settings_options
@click.option("--serve", is_flag=True, help="Store the demo in a temporary database and browse it.")
@_server_options
def demo(
    output: Path | None,
    fmt: Format | None,
    config: Path | None,
    overrides: tuple[str, ...],
    serve: bool,
    host: str,
    port: int,
) -> None:
    """Run on the bundled demo corpus and write a readable report (or --serve it)."""
    settings = load_settings(config, overrides)
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        if serve:
            with tempfile.TemporaryDirectory(prefix="storyline-demo-") as folder:
                store = open_store(Path(folder) / "demo.db")
                try:
                    _ingest_with_progress(store, [corpus], settings)
                    _serve(store, host=host, port=port)
                finally:
                    store.close()
            return
        result = _run_with_progress([corpus], settings)
    _emit(result, output, fmt or "md")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@_db_option
@_settings_options
def ingest(
    inputs: tuple[str, ...], db: Path, config: Path | None, overrides: tuple[str, ...]
) -> None:
    """Add INPUT files or folders to the store --db (created if missing) and update stories.

    Articles already stored (same id) are recognised and not added twice; skipped inputs
    are stored too. One ingest is one transaction: if it is interrupted, run it again.
    """
    settings = load_settings(config, overrides)
    store = open_store(db)
    try:
        report = _ingest_with_progress(store, list(inputs), settings)
    finally:
        store.close()
    if not report.read:
        click.echo("Error: no input could be processed into an article", err=True)
        raise click.exceptions.Exit(1)


@cli.command()
@_db_option
@_output_options
def export(db: Path, output: Path | None, fmt: Format | None) -> None:
    """Write everything in the store --db in the output contract (the same as run)."""
    store = open_store(db, create=False)
    try:
        result = store.result()
    finally:
        store.close()
    with _open_output(output) as out:
        write(result, out, fmt=fmt or "json")


@cli.command()
@_db_option
@_server_options
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes, each with its own connection to the store (about one per core).",
)
def serve(db: Path, host: str, port: int, workers: int) -> None:
    """Browse the store --db: web pages and a REST API (docs at /docs)."""
    store = open_store(db, create=False)
    try:
        _serve(store, host=host, port=port, workers=workers, db=db)
    finally:
        store.close()


def _serve(store: Store, *, host: str, port: int, workers: int = 1, db: Path | None = None) -> None:
    try:
        import uvicorn

        from storyline.web import create_app
        from storyline.web.server import run_workers
    except ImportError as e:
        raise StorylineError(
            f"the web server needs a package that is not installed ({e.name})",
            hint="pip install 'storyline[web]'",
        ) from e
    counts = store.counts()
    processes = f"{workers} workers, " if workers > 1 and db is not None else ""
    click.echo(
        f"storyline: serving {counted(counts['stories'], 'story')} and "
        f"{counted(counts['articles'], 'article')} "
        f"at http://{host}:{port}/ ({processes}Ctrl+C to stop)",
        err=True,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"  note: listening on {host} makes the server reachable by others", err=True)
    if workers == 1 or db is None:
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
        return
    run_workers(db, host=host, port=port, workers=workers)


@cli.command("settings")
@_settings_options
def show_settings(config: Path | None, overrides: tuple[str, ...]) -> None:
    """Print the effective settings as TOML, with their help texts."""
    settings: Settings = load_settings(config, overrides)
    section = ""
    for key, value, help_text in describe(settings):
        name, _, field_name = key.partition(".")
        if name != section:
            click.echo(f"{'' if not section else chr(10)}[{name}]")
            section = name
        click.echo(f"# {help_text}")
        click.echo(f"{field_name} = {_toml_value(value)}")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[Article | Skipped], None]]:
    from tqdm import tqdm  # imported here: only the CLI shows progress

    counts: Counter[str] = Counter()
    with tqdm(
        desc="storyline",
        unit=" doc",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
        dynamic_ncols=True,
    ) as bar:

        def progress(item: Article | Skipped) -> None:
            counts["articles" if isinstance(item, Article) else "skipped"] += 1
            bar.set_postfix(counts, refresh=False)
            bar.update()

        yield progress


@contextlib.contextmanager
def _stage_bars() -> Iterator[Callable[[str, int, int], None]]:
    """One bar per long corpus stage (entities and quotes), created when it starts."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(
                desc=stage,
                total=total,
                unit=" doc",
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
                leave=False,
                dynamic_ncols=True,
            )
        bars[stage].update(done)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()


def _run_with_progress(inputs: list[str | Path], settings: Settings) -> Result:
    with _progress_bar() as progress, _stage_bars() as stage_progress:
        result = run_pipeline(inputs, settings, progress=progress, stage_progress=stage_progress)
    _summarise(result)
    return result


def _ingest_with_progress(
    store: Store, inputs: list[str | Path], settings: Settings
) -> IngestReport:
    with _progress_bar() as progress:
        report = ingest_into(store, inputs, settings, progress=progress)
    counts = store.counts()
    click.echo(
        f"storyline: {counted(report.new_articles, 'new article')} ({report.already_stored} "
        f"already stored), {counted(report.skipped, 'input')} skipped; the store holds "
        f"{counted(counts['articles'], 'article')} and {counted(counts['stories'], 'story')}",
        err=True,
    )
    _language_note(Counter(report.not_in_english))
    return report


def _language_note(other: Counter[str]) -> None:
    """Say how many articles were in other languages (no entities or quotes for them)."""
    if other:
        languages = ", ".join(f"{lang}: {n}" for lang, n in other.most_common())
        click.echo(
            f"  {counted(other.total(), 'article')} not in English ({languages}): clustered and "
            "summarised, but entities and quotes are found in English only",
            err=True,
        )


def _summarise(result: Result) -> None:
    click.echo(
        f"storyline: {counted(len(result.articles), 'article')}, "
        f"{counted(len(result.stories), 'story')}, {counted(len(result.skipped), 'input')} "
        "skipped",
        err=True,
    )
    _language_note(Counter(a.language or "" for a in result.articles if not in_english(a)))
    if result.skipped:
        reasons = Counter(s.reason.split(" (")[0] for s in result.skipped)
        for reason, count in reasons.most_common(5):
            click.echo(f"  {count} skipped: {reason}", err=True)
        click.echo('  (every skipped input is listed under "skipped" in the output)', err=True)


def _emit(result: Result, output: Path | None, fmt: Format) -> None:
    with _open_output(output) as out:
        write(result, out, fmt=fmt)
    if not result.articles:
        click.echo("Error: no input could be processed into an article", err=True)
        raise click.exceptions.Exit(1)


@contextlib.contextmanager
def _open_output(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    try:
        fh = output.open("w", encoding="utf-8")
    except OSError as e:
        raise StorylineError(
            f"cannot write {output}: {e.strerror}", hint="choose another -o path"
        ) from e
    with fh:
        yield fh


def main() -> None:
    """Entry point of the ``storyline`` script."""
    cli(prog_name="storyline")
