"""Writing results safely: valid UTF-8 whatever the text, whole files or none (#18)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import TextIO

import pytest

from storyline.errors import OutputError
from storyline.model import Result, Skipped
from storyline.output import OutputFile, render, write
from tests.conftest import make_article

pytestmark = pytest.mark.issue(18)

LONE = "\ud800"
RESULT = Result(
    articles=(make_article(title=f"Ferry {LONE} opens", text=f"The ferry {LONE} opened."),),
    skipped=(Skipped(source="caf\udce9.txt", reason="empty file"),),
)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_lone_surrogates_are_written_as_json_escapes(fmt: str) -> None:
    text = "".join(render(RESULT, fmt=fmt))  # type: ignore[arg-type]
    text.encode("utf-8")  # valid UTF-8
    assert "\\ud800" in text
    lines = [text] if fmt == "json" else text.splitlines()
    parsed = [json.loads(line) for line in lines]
    assert any(LONE in json.dumps(p, ensure_ascii=False) for p in parsed)


def test_lone_surrogates_become_replacement_characters_in_markdown() -> None:
    text = "".join(render(RESULT, fmt="md"))
    text.encode("utf-8")
    assert "Ferry \ufffd opens" in text


def test_output_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with OutputFile(target) as out:
        write(RESULT, out)
        assert not target.exists()
    assert json.loads(target.read_text(encoding="utf-8"))["version"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_failed_run_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    output = OutputFile(target)
    with pytest.raises(RuntimeError), output as out:
        _fail_after_writing(out)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def _fail_after_writing(out: TextIO) -> None:
    out.write("half of it")
    raise RuntimeError("the run failed")


def test_full_disk_is_an_output_error_and_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(OutputError, match="No space left on device"), OutputFile(target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_fails_when_the_file_is_made(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        OutputFile(tmp_path / "no" / "such" / "out.json")


def test_a_folder_is_not_an_output_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        OutputFile(tmp_path)


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with OutputFile(tmp_path / "out.json") as out:
            out.write("{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o644
