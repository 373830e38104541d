"""The command line: exit codes, outputs, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

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
    assert code == 1
    assert "Error: unknown setting clean.min_char" in err
    assert "did you mean clean.min_chars?" in err
    assert "Traceback" not in err


def test_bad_config_file_is_an_error(article_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[clean\nmin_chars = 3\n", encoding="utf-8")
    code, _, err = invoke("run", str(article_file), "--config", str(config))
    assert code == 1
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
