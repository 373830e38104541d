"""The docs match the code: every command, setting and public name is documented."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

import storyline
from storyline.cli import cli
from storyline.settings import describe

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_public_api_is_sorted_and_complete() -> None:
    # isort-style order, as ruff's RUF022 keeps it: CONSTANTS, Classes, functions
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert list(storyline.__all__) == sorted(storyline.__all__, key=kind)
    public = {
        name
        for name in dir(storyline)
        if not name.startswith("_") and not isinstance(getattr(storyline, name), ModuleType)
    }
    assert public - {"annotations"} == set(storyline.__all__) - {"__version__"}


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_cli_reference(command: str) -> None:
    assert f"## storyline {command}\n" in (DOCS / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", [key for key, _, _ in describe()])
def test_every_setting_is_documented(key: str) -> None:
    assert f"`{key}`" in (DOCS / "settings.md").read_text(encoding="utf-8")


def test_every_output_field_is_documented() -> None:
    text = (DOCS / "output.md").read_text(encoding="utf-8")
    schema = storyline.output.load_schema()
    for name, definition in schema["$defs"].items():
        for field in definition.get("properties", {}):
            assert re.search(rf"\b{field}\b", text), f"{name}.{field} is not in docs/output.md"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    articles = tmp_path / "articles"
    articles.mkdir()
    demo = DOCS.parent / "src" / "storyline" / "demo" / "corpus"
    for name in ("03_gazette_what_was_taken.txt", "07_northwire_court_pleas.txt"):
        (articles / name).write_bytes((demo / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), namespace)
    result = namespace["result"]
    assert isinstance(result, storyline.Result)
    assert len(result.articles) == 2
