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

Signals reach only a process's main thread. Where stages run in another thread (Dask's
workers run tasks in a thread pool, even in worker processes), the budget is kept by a
watchdog thread instead: it reads the stage thread's own CPU clock
(``pthread_getcpuclockid``) every 50 ms and, past the budget, raises the same exception
in that thread (``PyThreadState_SetAsyncExc``), which Python delivers between two
bytecodes as the signal's handler would. Not available on Windows (neither
``setitimer`` nor thread CPU clocks): there stages run without a budget.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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

    ``seconds`` is CPU time (of the process in its main thread, of the calling thread
    in others); 0 means no limit.
    """
    if seconds <= 0:
        return fn(record)
    if threading.current_thread() is not threading.main_thread():
        if not hasattr(time, "pthread_getcpuclockid"):
            return fn(record)
        return _in_thread(seconds, fn, record, source=source)
    if not hasattr(signal, "setitimer"):
        return fn(record)
    previous = signal.signal(signal.SIGPROF, _expire) or signal.SIG_DFL
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            return fn(record)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _OutOfTime:
        return _skipped(seconds, source)
    finally:
        signal.signal(signal.SIGPROF, previous)


def _skipped(seconds: float, source: str) -> Skipped:
    return Skipped(
        source=source,
        reason=f"took more than {seconds:g} s of CPU time to clean and date, so it was "
        "stopped (runner.record_seconds)",
    )


@dataclass(slots=True)
class _Watch:
    """One stage thread under the watchdog's eye."""

    ident: int
    clock: int
    deadline: float
    fired: bool = False
    done: bool = False


class _Watchdog:
    """A daemon thread that stops stage threads past their CPU deadline."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_id: dict[int, _Watch] = {}
        self.thread: threading.Thread | None = None

    def watch(self, entry: _Watch) -> None:
        with self.lock:
            self.by_id[id(entry)] = entry
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._loop, name="storyline-record-budget", daemon=True
                )
                self.thread.start()

    def finish(self, entry: _Watch) -> None:
        """Stop watching ``entry``; an exception sent but not yet raised is withdrawn."""
        with self.lock:
            if entry.done:
                return
            entry.done = True
            self.by_id.pop(id(entry), None)
            if entry.fired:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(entry.ident), None)

    def _loop(self) -> None:
        while True:
            time.sleep(_WATCH_INTERVAL_S)
            with self.lock:
                if not self.by_id:  # nothing to watch: stop; the next watch starts another
                    self.thread = None
                    return
                for entry in self.by_id.values():
                    if entry.fired or entry.done:
                        continue
                    if time.clock_gettime(entry.clock) >= entry.deadline:
                        entry.fired = True
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(entry.ident), ctypes.py_object(_OutOfTime)
                        )


_WATCH_INTERVAL_S = 0.05
_watchdog = _Watchdog()


def _in_thread(seconds: float, fn: Callable[[T], R], record: T, *, source: str) -> R | Skipped:
    ident = threading.get_ident()
    clock = time.pthread_getcpuclockid(ident)
    entry = _Watch(ident, clock, time.clock_gettime(clock) + seconds)
    try:
        _watchdog.watch(entry)
        try:
            return fn(record)
        finally:
            _watchdog.finish(entry)
    except _OutOfTime:
        return _skipped(seconds, source)
    finally:
        _watchdog.finish(entry)  # also when the exception arrived inside the first finish
