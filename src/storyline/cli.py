"""The ``storyline`` command: a thin layer over :mod:`storyline.pipeline`.

The only module that prints or shows progress. Errors raised on purpose
(:class:`~storyline.errors.StorylineError`) are caught in one place and shown as
``Error: …`` with a hint; exit codes are 0 (at least one article), 1 (nothing could be
processed, or an error), 2 (a usage or configuration error: a bad option, ``--set`` or
``--config``). No traceback reaches the user without ``--debug``: a full disk, a damaged
store and a closed pipe (``storyline run … | head``) are said in one line.

The output file (``-o``) is created before any work starts, written to a temporary file
beside it and renamed when complete, so a failed run never leaves a cut-off file. One
progress bar follows the whole command from stage to stage (with a total when one is
known); log messages are printed above it. SIGTERM ends a command like Ctrl+C does, so
its temporary files (``demo --serve``'s store) are removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

import click

from storyline import __version__
from storyline.errors import ConfigError, StorylineError
from storyline.model import Article, Result, Skipped
from storyline.output import FORMATS, Format, OutputFile, counted, write
from storyline.settings import Settings, describe, load_settings
from storyline.store import Store, open_store

if TYPE_CHECKING:
    from storyline.pipeline import IngestReport

# The pipeline (and with it every stage's libraries) is imported by the commands that run
# it, so `storyline --version`, `--help`, `settings`, `export` and `serve` start in a
# fraction of the time (benchmarks/startup.py).

__all__ = ["main"]


class _Group(click.Group):
    """Catches :class:`StorylineError` and a closed output pipe once for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StorylineError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {e.message}", err=True)
            if e.hint:
                click.echo(f"Hint: {e.hint}", err=True)
            ctx.exit(2 if isinstance(e, ConfigError) else 1)
        except BrokenPipeError:  # the reader of standard output went away (| head)
            _silence_stdout()
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn many outlets' news coverage into consolidated, cited stories."""
    ctx.obj = {"debug": debug}
    root = logging.getLogger()
    if not any(isinstance(h, _BarLogHandler) for h in root.handlers):
        handler = _BarLogHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.captureWarnings(True)  # a library's warnings, above the bar like other logs
    quiet = logging.CRITICAL if not debug else logging.NOTSET
    for noisy in ("trafilatura", "htmldate", "courlan", "warcio"):
        logging.getLogger(noisy).setLevel(quiet)
    _end_on_sigterm()


class _BarLogHandler(logging.Handler):
    """Writes log records to standard error above the progress bar, not through it."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            from tqdm import tqdm

            tqdm.write(self.format(record), file=sys.stderr)
        except Exception:
            self.handleError(record)


_MAIN_PID = [0]  # the process that installed the SIGTERM handler


def _end_on_sigterm() -> None:
    """Make SIGTERM end this process as Ctrl+C does: ``finally`` blocks and cleanup run."""
    if threading.current_thread() is threading.main_thread():
        _MAIN_PID[0] = os.getpid()
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _MAIN_PID[0]:  # a forked worker: die as it would have
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise SystemExit(128 + signum)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's final flush does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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
    with _output_to(output) as out:  # created first: a bad -o fails before any work
        result = _run_with_progress(list(inputs), settings)
        write(result, out, fmt=fmt or "json")
    _fail_if_empty(result)


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
        with _output_to(output) as out:
            result = _run_with_progress([corpus], settings)
            write(result, out, fmt=fmt or "md")
    _fail_if_empty(result)


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
    with _output_to(output) as out:
        store = open_store(db, create=False)
        try:
            result = store.result()
        finally:
            store.close()
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
    store = open_store(db, create=False)  # upgrades an older store's schema first
    try:
        reader = open_store(db, create=False, read_only=True)
        try:
            _serve(reader, host=host, port=port, workers=workers, db=db)
        finally:
            reader.close()
    finally:
        store.close()


def _serve(store: Store, *, host: str, port: int, workers: int = 1, db: Path | None = None) -> None:
    try:
        import uvicorn

        from storyline.web import create_app
        from storyline.web.server import listen, run_workers
    except ImportError as e:
        raise StorylineError(
            f"the web server needs a package that is not installed ({e.name})",
            hint="pip install 'storyline[web]'",
        ) from e
    counts = store.counts()

    def announce(real_port: int, processes: str = "") -> None:
        """Said once the port is bound: the real port (``--port 0`` picks one)."""
        where = f"[{host}]" if ":" in host else host
        click.echo(
            f"storyline: serving {counted(counts['stories'], 'story')} and "
            f"{counted(counts['articles'], 'article')} "
            f"at http://{where}:{real_port}/ ({processes}Ctrl+C to stop)",
            err=True,
        )
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(
                f"  note: listening on {host} makes the server reachable by others", err=True
            )

    if workers > 1 and db is not None:
        run_workers(
            db,
            host=host,
            port=port,
            workers=workers,
            announce=lambda p: announce(p, f"{workers} workers, "),
        )
        return
    try:
        sock = listen(host, port)
    except OSError as e:
        raise StorylineError(
            f"cannot listen on {host}:{port}: {e.strerror or e}",
            hint="is another server using the port? Pick another one with --port",
        ) from e
    with sock:
        announce(sock.getsockname()[1])
        config = uvicorn.Config(create_app(store), log_level="warning")
        uvicorn.Server(config).run(sockets=[sock])


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


class _Progress:
    """One progress bar for a whole command, from stage to stage.

    Reading and cleaning count documents as they come (no total: a JSON Lines file or an
    archive holds an unknown number of records); the corpus stages report a total. The
    elapsed time keeps moving while a stage reports nothing. Hidden when standard error
    is not a terminal.
    """

    def __init__(self) -> None:
        from tqdm import tqdm  # imported here: only the CLI shows progress

        self.counts: Counter[str] = Counter()
        self.stage = "reading"
        self.done = 0
        self.bar = tqdm(
            desc=self.stage,
            unit=" doc",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
            dynamic_ncols=True,
        )
        self._stop = threading.Event()
        if not self.bar.disable:
            threading.Thread(target=self._tick, daemon=True).start()

    def item(self, item: Article | Skipped) -> None:
        """One record read and cleaned (an article or a skipped input)."""
        self.counts["articles" if isinstance(item, Article) else "skipped"] += 1
        self.bar.set_postfix(self.counts, refresh=False)
        self.bar.update()

    def step(self, stage: str, done: int, total: int | None) -> None:
        """``done`` more items of ``stage`` (of ``total``) are done."""
        if stage != self.stage:
            self.stage, self.done = stage, 0
            self.bar.reset(total=total)
            self.bar.set_description(stage, refresh=False)
            self.bar.set_postfix({}, refresh=False)
        self.done += done
        self.bar.update(done)
        if total is not None and self.done >= total:
            self.step("building stories", 0, None)

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self.bar.refresh()

    def close(self) -> None:
        self._stop.set()
        self.bar.close()


@contextlib.contextmanager
def _progress() -> Iterator[_Progress]:
    progress = _Progress()
    try:
        yield progress
    finally:
        progress.close()


def _run_with_progress(inputs: list[str | Path], settings: Settings) -> Result:
    from storyline.pipeline import run as run_pipeline

    with _progress() as bar:
        result = run_pipeline(inputs, settings, progress=bar.item, stage_progress=bar.step)
    _summarise(result)
    return result


def _ingest_with_progress(
    store: Store, inputs: list[str | Path], settings: Settings
) -> IngestReport:
    from storyline.pipeline import ingest as ingest_into

    with _progress() as bar:
        report = ingest_into(store, inputs, settings, progress=bar.item, stage_progress=bar.step)
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
    from storyline.extract.annotate import in_english

    click.echo(
        f"storyline: {counted(len(result.articles), 'article')}, "
        f"{counted(len(result.stories), 'story')}, {counted(len(result.skipped), 'input')} "
        "skipped",
        err=True,
    )
    _language_note(Counter(a.language or "" for a in result.articles if not in_english(a)))
    if result.skipped:
        reasons = Counter(_reason_kind(s.reason) for s in result.skipped)
        shown = reasons.most_common(_SHOWN_REASONS)
        for reason, count in shown:
            click.echo(f"  {count} skipped: {reason}", err=True)
        rest = reasons.total() - sum(count for _, count in shown)
        if rest:
            kinds = len(reasons) - len(shown)
            click.echo(
                f"  and {rest} more ({counted(kinds, 'other reason')}; "
                'see "skipped" in the output)',
                err=True,
            )
        else:
            click.echo('  (every skipped input is listed under "skipped" in the output)', err=True)


_SHOWN_REASONS = 5
_DETAIL = re.compile(r" \(.*$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _reason_kind(reason: str) -> str:
    """A skip reason without its details, so like reasons count together."""
    return _NUMBER.sub("N", _DETAIL.sub("", reason))


def _fail_if_empty(result: Result) -> None:
    if not result.articles:
        click.echo("Error: no input could be processed into an article", err=True)
        raise click.exceptions.Exit(1)


@contextlib.contextmanager
def _output_to(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or an :class:`~storyline.output.OutputFile` made now."""
    if output is None:
        yield sys.stdout
        return
    with OutputFile(output) as fh:
        yield fh


def main() -> None:
    """Entry point of the ``storyline`` script."""
    cli(prog_name="storyline")
