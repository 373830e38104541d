"""Local runners: order, laziness, in-process fallback and choice by settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from storyline.engine import LocalRunner, SerialRunner, runner_for
from storyline.errors import InputError
from storyline.settings import RunnerSettings

# Functions given to runners are top-level so that worker processes can unpickle them.


def square(n: int) -> int:
    return n * n


def pid_of_worker(_item: int) -> int:
    return os.getpid()


def fail_on_seven(n: int) -> int:
    if n == 7:
        raise InputError("record seven is broken", source="input.jsonl:7", hint="fix it")
    return n


class Recorder:
    """An iterable that counts how many items were pulled from it."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pulled = 0

    def __iter__(self) -> Iterator[int]:
        for i in range(self.n):
            self.pulled += 1
            yield i


def test_serial_runner_keeps_input_order() -> None:
    assert list(SerialRunner().map(square, range(500))) == [n * n for n in range(500)]


def test_local_runner_keeps_input_order() -> None:
    runner = LocalRunner(workers=2, chunk_size=3)
    assert list(runner.map(square, range(500))) == [n * n for n in range(500)]


def test_local_runner_uses_worker_processes_for_many_items() -> None:
    pids = set(LocalRunner(workers=2, chunk_size=4).map(pid_of_worker, range(64)))
    assert os.getpid() not in pids


def test_local_runner_consumes_input_lazily() -> None:
    items = Recorder(10_000)
    results = LocalRunner(workers=2, chunk_size=8).map(square, items)
    try:
        assert next(results) == 0
        assert items.pulled <= (2 * 2 + 1) * 8  # the window of chunks plus the one refilled
    finally:
        results.close()


def test_serial_runner_consumes_input_lazily() -> None:
    items = Recorder(100)
    results = SerialRunner().map(square, items)
    next(results)
    assert items.pulled == 1


def test_local_runner_runs_small_inputs_in_process() -> None:
    pids = set(LocalRunner(workers=2, chunk_size=8).map(pid_of_worker, range(8)))
    assert pids == {os.getpid()}


def test_chunk_size_per_call_spreads_a_few_large_items() -> None:
    runner = LocalRunner(workers=2, chunk_size=8)
    assert set(runner.map(pid_of_worker, range(4))) == {os.getpid()}
    pids = set(runner.map(pid_of_worker, range(4), chunk_size=1))
    assert os.getpid() not in pids
    assert list(runner.map(square, range(9), chunk_size=1)) == [n * n for n in range(9)]
    assert list(SerialRunner().map(square, range(3), chunk_size=1)) == [0, 1, 4]


def test_local_runner_with_one_worker_runs_in_process() -> None:
    pids = set(LocalRunner(workers=1, chunk_size=2).map(pid_of_worker, range(50)))
    assert pids == {os.getpid()}


def test_local_runner_handles_empty_input() -> None:
    assert list(LocalRunner(workers=2).map(square, [])) == []


def test_error_in_worker_reaches_caller_with_its_source() -> None:
    with pytest.raises(InputError, match="record seven") as info:
        list(LocalRunner(workers=2, chunk_size=2).map(fail_on_seven, range(40)))
    assert (info.value.source, info.value.hint) == ("input.jsonl:7", "fix it")


def test_runner_for_one_worker_is_serial() -> None:
    assert isinstance(runner_for(RunnerSettings(workers=1)), SerialRunner)


def test_runner_for_several_workers_is_local_with_settings() -> None:
    runner = runner_for(RunnerSettings(workers=3, chunk_size=5))
    assert isinstance(runner, LocalRunner)
    assert (runner.workers, runner.chunk_size) == (3, 5)


def test_runner_for_zero_workers_uses_every_core() -> None:
    runner = runner_for(RunnerSettings(workers=0))
    assert isinstance(runner, LocalRunner)
    assert runner.workers == (os.cpu_count() or 1)
