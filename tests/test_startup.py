"""A light start: the package, the CLI and the web app import no stage's heavy library."""

from __future__ import annotations

import subprocess
import sys

import pytest

import storyline

HEAVY = ("spacy", "numpy", "scipy", "datasketch", "trafilatura", "lxml", "feedparser", "warcio")


def _heavy_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(','.join(h for h in {HEAVY!r} if h in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [name for name in done.stdout.strip().split(",") if name]


@pytest.mark.parametrize(
    "code",
    [
        "import storyline",
        "import storyline.cli",
        "import storyline.web",
        "from storyline.store import open_store",
    ],
)
def test_entry_points_import_no_heavy_library(code: str) -> None:
    assert _heavy_after(code) == []


def test_run_and_read_load_on_first_use() -> None:
    assert "trafilatura" in _heavy_after("import storyline\nstoryline.run")
    assert storyline.run.__module__ == "storyline.pipeline"
    assert storyline.read.__module__ == "storyline.ingest"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        storyline.nothing  # type: ignore[attr-defined]  # noqa: B018


def test_store_updates_load_on_first_use() -> None:
    import storyline.store
    from storyline import pipeline

    assert storyline.store.ingest is pipeline.ingest
    assert "trafilatura" in _heavy_after("from storyline.store import ingest")
