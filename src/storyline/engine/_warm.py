"""Imported by the forkserver, never by users: the language models its workers will use.

A :class:`~storyline.engine.local.LocalRunner` whose forkserver it starts names the spaCy
pipeline in :data:`~storyline.engine.local.WARM_ENV`; importing this module then loads
that pipeline (and runs its NER once) and the attribution models (:mod:`storyline.models`)
in the server, so every worker forked from it starts with them and shares their pages
instead of loading its own copy (about 300 MB of proportional memory less with two
workers and the medium English model; see ``docs/architecture.md``). Stages still call
:func:`storyline.models.spacy_pipeline`, which finds the pipeline already loaded.

Nothing here can fail a run: if loading fails, the workers try again when a stage needs
the model and report the error there, where it can reach the user (a forkserver has no
one to tell).
"""

from __future__ import annotations

import logging
import os

from storyline.engine.local import WARM_ENV

log = logging.getLogger(__name__)


# NER's first call builds more of the model than loading does (about 150 MB of a
# 600-article run's tree PSS is shared when the server makes it)
_SAMPLE = "Maria Lopez, a spokeswoman for the Red Cross in Geneva, said aid had reached Haiti."


def _warm(name: str) -> None:
    from storyline.extract.annotate import entity_docs
    from storyline.models import attribution_model, spacy_pipeline

    for _doc in entity_docs(spacy_pipeline(name), [_SAMPLE], batch_size=1):
        pass
    attribution_model()


if name := os.environ.pop(WARM_ENV, None):  # the workers need not see it
    try:
        _warm(name)
    except Exception as e:  # reported by the first stage that needs the model
        log.debug("forkserver could not preload spaCy pipeline %s: %s", name, e)
