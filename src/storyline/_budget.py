"""A time budget per record: a pathological record becomes a skipped entry, not a hang.

:func:`within_budget` runs one record's per-article stages under a CPU-time timer
(``setitimer(ITIMER_PROF)``, counting the process's user and system time, so a busy
machine does not make a record run out of time). When the timer fires, the stages are
interrupted between two Python bytecodes and the record becomes a
:class:`~storyline.model.Skipped` entry saying how long it was allowed. Regular
expressions are interrupted too; a single call into C code that never returns to Python
(a parser's inner loop) is interrupted when it returns.

It is the safety net, not the fix: stages are written to take time linear in the size of
their input (``benchmarks/pathological.py`` checks long tokens, lines and paragraphs).

Limits: signals reach only a process's main thread, so the budget applies in-process and
in local worker processes (:class:`~storyline.engine.LocalRunner`), but not where stages
run in threads of a worker (Dask's workers run tasks in a thread pool, even in worker
processes): there the stages run without a budget, and a task timeout of the engine is
the way to bound them. Not available on Windows (no ``setitimer``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from storyline.model import Skipped

__all__ = ["within_budget"]

T = TypeVar("T")
R = TypeVar("R")


class _OutOfTime(BaseException):
    """Raised by the timer in the record's stages (not an Exception: no handler takes it)."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _OutOfTime


def within_budget(seconds: float, fn: Callable[[T], R], record: T, *, source: str) -> R | Skipped:
    """``fn(record)``, or a skipped entry for ``source`` if it needs more than ``seconds``.

    ``seconds`` is CPU time; 0 (or a thread that is not the main one) means no limit.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        return fn(record)
    if threading.current_thread() is not threading.main_thread():
        return fn(record)
    previous = signal.signal(signal.SIGPROF, _expire) or signal.SIG_DFL
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            return fn(record)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _OutOfTime:
        return Skipped(
            source=source,
            reason=f"took more than {seconds:g} s of CPU time to clean and date, so it was "
            "stopped (runner.record_seconds)",
        )
    finally:
        signal.signal(signal.SIGPROF, previous)
