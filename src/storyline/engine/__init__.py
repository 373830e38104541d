"""Runners: how per-article and per-story stages are mapped over many items.

A :class:`Runner` maps a function over items and yields ``fn(item)`` for every item in
order; ``on_error`` turns an item that fails (its stage raised, or its worker died) into
a result of the caller's choosing. Stages given to it are pure top-level functions
(picklable), so the same stage runs in-process (:class:`SerialRunner`), on one pool of
local worker processes (:class:`LocalRunner`) or as Dask tasks
(:class:`~storyline.engine.dask.DaskRunner`, imported only when asked for, since
importing Dask takes time). :func:`runner_for` picks one from ``settings.runner``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storyline.engine.base import Runner
from storyline.engine.local import LocalRunner, SerialRunner, runner_for

if TYPE_CHECKING:
    from storyline.engine.dask import DaskRunner

__all__ = ["DaskRunner", "LocalRunner", "Runner", "SerialRunner", "runner_for"]


def __getattr__(name: str) -> Any:
    if name == "DaskRunner":
        from storyline.engine.dask import DaskRunner

        return DaskRunner
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
