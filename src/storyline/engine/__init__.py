"""Runners: how per-article stages are mapped over many articles.

A :class:`Runner` has one method, ``map(fn, items)``, that yields ``fn(item)`` for every
item in order. Stages given to it are pure top-level functions (picklable), so the same
stage runs in-process, on local worker processes, or later on a distributed engine.
"""

from storyline.engine.base import Runner
from storyline.engine.local import LocalRunner, SerialRunner, runner_for

__all__ = ["LocalRunner", "Runner", "SerialRunner", "runner_for"]
