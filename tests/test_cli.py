"""The command line: exit codes, outputs, errors without tracebacks."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import cli as cli_module
from storyline.cli import cli
from tests.conftest import FRENCH_ARTICLE, WriteFile

ARTICLE = (
    "Harbor council approves new seawall\n\n"
    "By Mara Quinn\n\n"
    "The Westport harbor council voted 7-2 on Tuesday to fund a new seawall along the "
    "fish market, ending a debate that ran for three years.\n\n"
    "Construction is expected to begin in the spring and last eighteen months.\n"
)


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "seawall.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="storyline")
    return result.exit_code, result.stdout, result.stderr


def test_run_writes_json_to_stdout(article_file: Path) -> None:
    code, out, _ = invoke("run", str(article_file), "--set", "runner.workers=1")
    assert code == 0
    data = json.loads(out)
    assert data["articles"][0]["title"] == "Harbor council approves new seawall"
    assert data["articles"][0]["author"] == "Mara Quinn"


def test_run_writes_jsonl_to_a_file(article_file: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.jsonl"
    code, _, err = invoke("run", str(article_file), "--format", "jsonl", "-o", str(out_file))
    assert code == 0
    lines = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [line["type"] for line in lines] == ["meta", "article", "story"]
    assert "1 article," in err


def test_run_markdown_report(article_file: Path) -> None:
    code, out, _ = invoke("run", str(article_file), "--format", "md")
    assert code == 0
    assert out.startswith("# storyline report")
    assert "Harbor council approves new seawall" in out


def test_skipped_inputs_are_listed_and_summarised(article_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = invoke("run", str(article_file), str(empty))
    assert code == 0
    assert json.loads(out)["skipped"] == [{"source": str(empty), "reason": "empty file"}]
    assert "1 input skipped" in err


def test_articles_in_other_languages_are_reported(write_file: WriteFile) -> None:
    code, out, err = invoke("run", str(write_file("fr.txt", FRENCH_ARTICLE)))
    assert code == 0
    assert json.loads(out)["articles"][0]["language"] == "fr"
    assert "1 article not in English (fr: 1)" in err


def test_nothing_processed_exits_1(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    code, out, err = invoke("run", str(missing))
    assert code == 1
    assert json.loads(out)["skipped"][0]["reason"] == "no such file or folder"
    assert "no input could be processed" in err


def test_usage_error_exits_2() -> None:
    code, _, err = invoke("run")
    assert code == 2
    assert "Try 'storyline run --help' for help" in err
    assert "Missing argument 'INPUT...'" in err


def test_unknown_setting_is_an_error_with_a_suggestion(article_file: Path) -> None:
    code, _, err = invoke("run", str(article_file), "--set", "clean.min_char=10")
    assert code == 2
    assert "Error: unknown setting clean.min_char" in err
    assert "did you mean clean.min_chars?" in err
    assert "Traceback" not in err


def test_bad_config_file_is_an_error(article_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[clean\nmin_chars = 3\n", encoding="utf-8")
    code, _, err = invoke("run", str(article_file), "--config", str(config))
    assert code == 2
    assert "is not valid TOML" in err


def test_unwritable_output_is_an_error(article_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    code, _, err = invoke("run", str(article_file), "-o", str(target))
    assert code == 1
    assert f"cannot write {target}" in err


def test_settings_command_prints_toml() -> None:
    code, out, _ = invoke("settings", "--set", "clean.min_chars=99")
    assert code == 0
    assert "[clean]" in out
    assert "min_chars = 99" in out


def test_demo_writes_a_report() -> None:
    code, out, _ = invoke("demo", "--set", "runner.workers=1")
    assert code == 0
    assert out.startswith("# storyline report")
    assert "Ellery Maritime Museum" in out


def test_python_dash_m_runs_the_cli(article_file: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "run", str(article_file), "--format", "md"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert "Harbor council approves new seawall" in proc.stdout


@pytest.mark.issue(18)
@pytest.mark.parametrize(
    "args",
    [
        ("--set", "clean.min_chars"),
        ("--set", "clean.min_chars=lots"),
        ("--set", "nosuch.key=1"),
    ],
)
def test_configuration_errors_exit_2(article_file: Path, args: tuple[str, str]) -> None:
    code, _, err = invoke("run", str(article_file), *args)
    assert code == 2
    assert err.startswith("Error: ")
    assert "Traceback" not in err


@pytest.mark.issue(18)
def test_unwritable_output_fails_before_any_work(
    article_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the run started")

    monkeypatch.setattr("storyline.pipeline.run", no_work)  # the CLI imports it when it runs
    code, _, err = invoke("run", str(article_file), "-o", str(tmp_path / "no" / "x.json"))
    assert code == 1
    assert "Error: cannot write" in err


@pytest.mark.issue(18)
def test_full_disk_is_one_line_and_leaves_no_file(
    article_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cli_module, "write", full)
    target = tmp_path / "out.json"
    code, _, err = invoke("run", str(article_file), "-o", str(target), "--set", "runner.workers=1")
    assert code == 1
    assert f"Error: cannot write {target}: No space left on device" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == [article_file]


@pytest.mark.issue(18)
def test_skip_summary_says_how_many_more(article_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.pdf").write_bytes(b"%PDF-1.4")
    (bad / "b.png").write_bytes(b"\x89PNG\r\n")
    (bad / "c.txt").write_bytes(b"")
    (bad / "d.py").write_text("import os\n\ndef main():\n    return os.getcwd()\n", "utf-8")
    (bad / "e.jsonl").write_text('{"text": 1}\n', "utf-8")
    (bad / "f.gif").write_bytes(b"GIF89a")
    (bad / "g.zip").write_bytes(b"PK\x03\x04")
    code, _, err = invoke("run", str(article_file), str(bad), "--set", "runner.workers=1")
    assert code == 0
    assert "7 inputs skipped" in err
    assert '  and 2 more (2 other reasons; see "skipped" in the output)' in err


@pytest.mark.issue(18)
def test_names_and_text_with_surrogates_make_valid_json(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(os.fsencode(folder) + b"/caf\xe9.txt")
    Path(name).write_text(ARTICLE, encoding="utf-8")
    record = json.dumps({"text": "The ferry \ud800 opened on Tuesday after three years."})
    (folder / "s.jsonl").write_text(record + "\n", encoding="utf-8")
    target = tmp_path / "out.json"
    code, _, err = invoke("run", str(folder), "-o", str(target), "--set", "runner.workers=1")
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert any(a["source"].endswith("caf\\xe9.txt") for a in data["articles"])


@pytest.mark.issue(18)
def test_warnings_are_logged_above_the_progress_bar(write_file: WriteFile) -> None:
    path = write_file("d.jsonl", json.dumps({"text": ARTICLE, "date": "sometime soon"}) + "\n")
    code, _, err = invoke("run", str(path), "--set", "runner.workers=1")
    assert code == 0
    assert "WARNING storyline.clean:" in err
    assert "cannot read publication date 'sometime soon'" in err


@pytest.mark.issue(18)
def test_one_progress_bar_follows_the_stages() -> None:
    with cli_module._progress() as bar:
        first = bar.bar
        bar.step("entities and quotes", 2, 4)
        assert (bar.stage, bar.bar.total, bar.done) == ("entities and quotes", 4, 2)
        bar.step("entities and quotes", 2, 4)
        assert bar.stage == "building stories"
        assert bar.bar is first


@pytest.mark.issue(18)
def test_closed_pipe_ends_quietly(write_file: WriteFile) -> None:
    path = write_file("fr.txt", FRENCH_ARTICLE)  # no English model to load: quick
    with subprocess.Popen(
        [sys.executable, "-m", "storyline", "run", str(path), "--format", "md"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        proc.stdout.close()  # like `| head` that has read enough
        _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err


@pytest.mark.issue(18)
def test_sigterm_removes_the_demo_store(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn", reason="the web extra is not installed")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, "-m", "storyline", "demo", "--serve", "--port", "0"]
    with subprocess.Popen(
        [*command, "--set", "runner.workers=1"], stderr=subprocess.PIPE, env=env, text=True
    ) as proc:
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if "serving" in line:
                break
        assert list(tmp_path.glob("storyline-demo-*")), "".join(lines)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert not list(tmp_path.glob("storyline-demo-*"))
