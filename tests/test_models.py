"""models.py: which spaCy pipeline loads, that it loads once, and the error without one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from storyline.errors import ModelError
from storyline.models import SPACY_MODELS, spacy_model_name, spacy_pipeline

INSTALLED = [name for name in SPACY_MODELS if importlib.util.find_spec(name) is not None]
needs_model = pytest.mark.skipif(not INSTALLED, reason="no spaCy English pipeline installed")


@needs_model
def test_auto_takes_the_first_installed_candidate() -> None:
    assert spacy_model_name() == INSTALLED[0]


def test_a_missing_named_pipeline_is_a_model_error_with_install_hint() -> None:
    with pytest.raises(ModelError, match="no spaCy English pipeline") as info:
        spacy_model_name("en_core_web_trf_not_installed")
    assert "make install" in info.value.hint


def test_no_spacy_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name)
    )
    with pytest.raises(ModelError, match="spaCy is not installed"):
        spacy_model_name()


@needs_model
@pytest.mark.parametrize("name", INSTALLED)
def test_each_installed_pipeline_loads_and_finds_people(name: str) -> None:
    nlp = spacy_pipeline(name)
    doc = nlp("Mayor Ruth Castellano opened the new bridge in Port Ellery on Tuesday.")
    assert ("Ruth Castellano", "PERSON") in {(e.text, e.label_) for e in doc.ents}


@needs_model
def test_pipeline_is_loaded_once_per_process() -> None:
    assert spacy_pipeline() is spacy_pipeline()


@needs_model
def test_ner_tok2vec_multiplies_through_numpy_not_blis() -> None:
    tok2vec = spacy_pipeline().get_pipe("ner").model.get_ref("tok2vec")
    assert {getattr(node.ops, "use_blis", None) for node in tok2vec.walk()} == {False}


@pytest.mark.issue(15)
def test_the_attribution_model_loads_once_from_the_package() -> None:
    from storyline.models import attribution_model

    model = attribution_model()
    assert model is attribution_model()
    assert "said" in model.cue_words
    assert 0.0 < model.cue_threshold < 1.0


@pytest.mark.issue(15)
def test_a_missing_attribution_model_is_a_model_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from storyline.extract import _attribution
    from storyline.models import attribution_model

    monkeypatch.setattr(_attribution, "__file__", str(tmp_path / "_attribution.py"))
    with pytest.raises(ModelError, match="cannot load the attribution model") as info:
        attribution_model.__wrapped__()
    assert "make train-attribution" in info.value.hint
