"""Where a run's time goes: wall and CPU per stage, serial or parallel, bytes to workers.

A :class:`Profile` is passed to :func:`storyline.pipeline.run` (``benchmarks/speed.py
--profile`` and ``benchmarks/scale.py`` print it). Serial stages are timed in the driver
(:meth:`Profile.serial`); a stage mapped over workers is wrapped by
:meth:`Profile.worker_timed`, so each call reports its own CPU time and the size of its
pickled input from the worker, and :meth:`Profile.unwrap` adds them up in the driver with
the wall time from the first result asked for to the last. ``Profile.off()`` records
nothing and wraps nothing.
"""

from __future__ import annotations

import contextlib
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ["Profile", "StageTime"]

T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class StageTime:
    """One stage's totals."""

    name: str
    parallel: bool
    wall: float = 0.0
    cpu: float = 0.0
    calls: int = 0
    sent_bytes: int = 0


class _Timed(Generic[T, R]):
    """A picklable wrapper: ``fn(item)`` with its CPU seconds and input size."""

    def __init__(self, fn: Callable[[T], R]) -> None:
        self.fn = fn

    def __call__(self, item: T) -> tuple[R, float, int]:
        size = len(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        start = time.process_time()
        result = self.fn(item)
        return result, time.process_time() - start, size


class Profile:
    """Stage times of one run (see the module docstring)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.stages: dict[str, StageTime] = {}

    @classmethod
    def off(cls) -> Profile:
        """A profile that records nothing."""
        return cls(enabled=False)

    def _stage(self, name: str, *, parallel: bool) -> StageTime:
        stage = self.stages.get(name)
        if stage is None:
            stage = self.stages[name] = StageTime(name=name, parallel=parallel)
        return stage

    def _spent(self, name: str, wall: float, cpu: float) -> StageTime:
        """Add the wall and CPU time since ``wall`` and ``cpu`` to a serial stage."""
        stage = self._stage(name, parallel=False)
        stage.wall += time.perf_counter() - wall
        stage.cpu += time.process_time() - cpu
        return stage

    @contextlib.contextmanager
    def serial(self, name: str) -> Iterator[None]:
        """Time a block run in the driver."""
        if not self.enabled:
            yield
            return
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self._spent(name, wall, cpu).calls += 1

    def timed_iter(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """``items``, with the driver time spent producing them counted under ``name``."""
        iterator = iter(items)
        while True:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                stage = self._spent(name, wall, cpu)
            stage.calls += 1
            yield item

    def worker_timed(self, name: str, fn: Callable[[T], R]) -> Callable[[T], Any]:
        """``fn`` wrapped to report its CPU time and input size (``fn`` itself when off)."""
        if not self.enabled:
            return fn
        self._stage(name, parallel=True)
        return _Timed(fn)

    def unwrap(self, name: str, results: Iterable[Any]) -> Iterator[Any]:
        """The results of a mapped :meth:`worker_timed` task, its times added up."""
        if not self.enabled:
            yield from results
            return
        stage = self._stage(name, parallel=True)
        start = time.perf_counter()
        try:
            for result, cpu, size in results:
                stage.cpu += cpu
                stage.sent_bytes += size
                stage.calls += 1
                yield result
        finally:
            stage.wall += time.perf_counter() - start

    def table(self) -> str:
        """The stages as a plain-text table (wall, CPU, serial or parallel, MB sent)."""
        lines = [
            f"{'stage':<22} {'kind':<8} {'calls':>7} {'wall s':>8} {'CPU s':>8} {'MB sent':>8}"
        ]
        for stage in self.stages.values():
            kind = "parallel" if stage.parallel else "serial"
            sent = f"{stage.sent_bytes / 1e6:8.1f}" if stage.parallel else f"{'':>8}"
            lines.append(
                f"{stage.name:<22} {kind:<8} {stage.calls:>7} {stage.wall:8.2f} "
                f"{stage.cpu:8.2f} {sent}"
            )
        return "\n".join(lines)
