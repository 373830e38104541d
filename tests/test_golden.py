"""Golden end-to-end test: the bundled demo corpus through ``run()``.

The expected output is ``tests/golden/demo.json`` (sorted, normalised JSON; sources are
relative to the corpus folder). ``make golden`` rewrites it; review the diff like code.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import storyline
from storyline.output import load_schema

GOLDEN = Path(__file__).parent / "golden" / "demo.json"


@pytest.fixture(scope="module")
def demo_output() -> dict[str, object]:
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        settings = storyline.load_settings(overrides=["runner.workers=1"])
        result = storyline.run([corpus], settings)
        text = json.dumps(storyline.to_dict(result), sort_keys=True, ensure_ascii=False)
        normalised: dict[str, object] = json.loads(text.replace(str(corpus) + os.sep, "demo/"))
    return normalised


def test_demo_output_matches_golden_file(demo_output: dict[str, object]) -> None:
    rendered = json.dumps(demo_output, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("STORYLINE_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8")


def test_demo_output_follows_the_schema(demo_output: dict[str, object]) -> None:
    jsonschema.validate(demo_output, load_schema())


def test_demo_reads_every_input(demo_output: dict[str, object]) -> None:
    articles = demo_output["articles"]
    assert isinstance(articles, list)
    assert len(articles) == 12
    assert demo_output["skipped"] == []
