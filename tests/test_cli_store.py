"""The store commands: ingest, export, serve, demo --serve."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from tests.conftest import FRENCH_ARTICLE, WriteFile

ARTICLE = (
    "Harbor council approves new seawall\n\n"
    "The Westport harbor council voted 7-2 on Tuesday to fund a new seawall along the "
    "fish market, ending a debate that ran for three years.\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="storyline")
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    (tmp_path / "seawall.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    return [str(tmp_path / "seawall.txt"), str(tmp_path / "empty.txt")]


def test_ingest_then_export_gives_what_run_gives(inputs: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    code, _, err = invoke("ingest", *inputs, "--db", db, "--set", "runner.workers=1")
    assert code == 0
    assert "1 new article (0 already stored), 1 input skipped" in err
    _, exported, _ = invoke("export", "--db", db)
    _, ran, _ = invoke("run", *inputs, "--set", "runner.workers=1")
    assert json.loads(exported) == json.loads(ran)
    assert json.loads(exported)["skipped"][0]["reason"] == "empty file"


def test_a_second_ingest_adds_nothing(inputs: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    invoke("ingest", *inputs, "--db", db, "--set", "runner.workers=1")
    _, first, _ = invoke("export", "--db", db)
    code, _, err = invoke("ingest", *inputs, "--db", db, "--set", "runner.workers=1")
    assert code == 0
    assert "0 new articles (1 already stored)" in err
    assert invoke("export", "--db", db)[1] == first


def test_export_formats_and_output_file(inputs: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    invoke("ingest", *inputs, "--db", db, "--set", "runner.workers=1")
    out = tmp_path / "out.jsonl"
    code, _, _ = invoke("export", "--db", db, "--format", "jsonl", "-o", str(out))
    assert code == 0
    kinds = [json.loads(line)["type"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert kinds == ["meta", "article", "skipped", "story"]
    assert invoke("export", "--db", db, "--format", "md")[1].startswith("# storyline report")


def test_ingest_reports_articles_in_other_languages(write_file: WriteFile, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    french = write_file("fr.txt", FRENCH_ARTICLE)
    args = ("ingest", str(french), "--db", db, "--set", "runner.workers=1")
    code, _, err = invoke(*args)
    assert code == 0
    assert "1 article not in English (fr: 1)" in err


def test_ingest_of_nothing_readable_exits_1(tmp_path: Path) -> None:
    code, _, err = invoke("ingest", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "s.db"))
    assert code == 1
    assert "no input could be processed" in err


@pytest.mark.parametrize("command", ["export", "serve"])
def test_a_missing_store_is_an_error_with_a_hint(command: str, tmp_path: Path) -> None:
    code, _, err = invoke(command, "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert "Error: no store at" in err
    assert "storyline ingest" in err
    assert "Traceback" not in err


def test_a_store_that_is_not_a_database_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not a database " * 200, encoding="utf-8")
    code, _, err = invoke("export", "--db", str(bad))
    assert code == 1
    assert "is not a storyline store" in err


def test_db_is_required() -> None:
    code, _, err = invoke("export")
    assert code == 2
    assert "Missing option '--db'" in err


def test_serve_and_demo_serve_start_uvicorn(
    inputs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uvicorn = pytest.importorskip("uvicorn", reason="the web extra is not installed")
    ports: list[int] = []

    def run(self: object, sockets: list[socket.socket]) -> None:
        ports.append(sockets[0].getsockname()[1])

    monkeypatch.setattr(uvicorn.Server, "run", run)
    db = str(tmp_path / "s.db")
    invoke("ingest", *inputs, "--db", db, "--set", "runner.workers=1")
    code, _, err = invoke("serve", "--db", db, "--port", "0")
    assert code == 0
    assert ports[-1] != 0
    assert f"serving 1 story and 1 article at http://127.0.0.1:{ports[-1]}/" in err
    code, _, err = invoke("demo", "--serve", "--port", "0", "--set", "runner.workers=1")
    assert code == 0
    assert f"at http://127.0.0.1:{ports[-1]}/" in err
    assert "12 new articles" in err


@pytest.mark.issue(18)
def test_serve_on_a_busy_port_fails_before_saying_it_serves(
    inputs: list[str], tmp_path: Path
) -> None:
    pytest.importorskip("uvicorn", reason="the web extra is not installed")
    db = str(tmp_path / "s.db")
    invoke("ingest", *inputs, "--db", db, "--set", "runner.workers=1")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, _, err = invoke("serve", "--db", db, "--port", str(busy.getsockname()[1]))
    assert code == 1
    assert "cannot listen on 127.0.0.1" in err
    assert "serving" not in err


def test_serve_with_workers_starts_that_many_processes(
    inputs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = pytest.importorskip("storyline.web.server", reason="the web extra is not installed")
    calls: list[tuple[Path, dict[str, object]]] = []

    def run_workers(db: Path, **kw: Any) -> None:
        announce = kw.pop("announce")
        calls.append((db, kw))
        announce(8123)

    monkeypatch.setattr(server, "run_workers", run_workers)
    db = tmp_path / "s.db"
    invoke("ingest", *inputs, "--db", str(db), "--set", "runner.workers=1")
    code, _, err = invoke("serve", "--db", str(db), "--port", "8123", "--workers", "2")
    assert code == 0
    assert calls == [(db, {"host": "127.0.0.1", "port": 8123, "workers": 2})]
    assert "(2 workers, Ctrl+C to stop)" in err
    assert invoke("serve", "--db", str(db), "--workers", "0")[0] == 2
