"""Local runners: order, laziness, in-process fallback, one pool, failures, start methods."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import storyline
from storyline.engine import LocalRunner, SerialRunner, runner_for
from storyline.errors import ConfigError, EngineError, InputError
from storyline.models import attribution_model
from storyline.output import render
from storyline.settings import RunnerSettings, load_settings

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


# --- one pool per runner, failures isolated to their item, start methods ---


def slow_pid(_item: int) -> int:
    time.sleep(0.01)
    return os.getpid()


def die_on_five(n: int) -> int:
    if n == 5:
        os._exit(3)  # the worker process dies, as when the kernel kills it for memory
    return n * n


def bug_on_seven(n: int) -> int:
    if n == 7:
        raise ZeroDivisionError("division by zero")
    return n * n


def unpicklable_result_on_three(n: int) -> object:
    return (lambda: n) if n == 3 else n


def attribution_loads(_item: int) -> tuple[int, int]:
    attribution_model()
    return os.getpid(), attribution_model.cache_info().misses


def failure_marker(item: int, error: BaseException) -> int:
    return -1000 - item


@pytest.fixture(params=["spawn", "forkserver"])
def runner(request: pytest.FixtureRequest) -> Iterator[LocalRunner]:
    with LocalRunner(workers=2, chunk_size=3, start_method=request.param) as local:
        yield local


def test_one_pool_serves_every_map_of_the_runner(runner: LocalRunner) -> None:
    first = set(runner.map(slow_pid, range(60), chunk_size=1))
    second = set(runner.map(slow_pid, range(60), chunk_size=1))
    assert os.getpid() not in first
    assert second <= first
    runner.close()
    assert not set(runner.map(slow_pid, range(60), chunk_size=1)) & first


def test_spawned_workers_give_the_same_results(runner: LocalRunner) -> None:
    assert list(runner.map(square, range(200))) == list(SerialRunner().map(square, range(200)))


def test_each_worker_loads_a_model_once(runner: LocalRunner) -> None:
    seen = list(runner.map(attribution_loads, range(40), chunk_size=1))
    seen += list(runner.map(attribution_loads, range(40), chunk_size=1))
    assert {misses for _, misses in seen} == {1}
    assert os.getpid() not in {pid for pid, _ in seen}


def test_on_error_gives_the_failing_items_result() -> None:
    with LocalRunner(workers=2, chunk_size=4) as local:
        got = list(local.map(fail_on_seven, range(40), on_error=failure_marker))
    assert got == [-1007 if n == 7 else n for n in range(40)]


def test_on_error_receives_the_error_raised_in_the_worker() -> None:
    errors: list[BaseException] = []

    def keep(item: int, error: BaseException) -> int:
        errors.append(error)
        return 0

    with LocalRunner(workers=2, chunk_size=4) as local:
        list(local.map(fail_on_seven, range(40), on_error=keep))
    assert len(errors) == 1
    assert isinstance(errors[0], InputError)
    assert errors[0].source == "input.jsonl:7"


def test_an_unexpected_error_reaches_the_caller_as_an_engine_error() -> None:
    with (
        LocalRunner(workers=2, chunk_size=4) as local,
        pytest.raises(EngineError, match=r"bug_on_seven failed on 7: ZeroDivisionError"),
    ):
        list(local.map(bug_on_seven, range(40)))


def test_serial_runner_handles_errors_like_the_pool() -> None:
    got = list(SerialRunner().map(bug_on_seven, range(10), on_error=failure_marker))
    assert got == [-1007 if n == 7 else n * n for n in range(10)]
    with pytest.raises(EngineError, match="bug_on_seven failed on 7"):
        list(SerialRunner().map(bug_on_seven, range(10)))


def test_a_killed_worker_costs_only_its_item(runner: LocalRunner) -> None:
    got = list(runner.map(die_on_five, range(30), on_error=failure_marker))
    assert got == [-1005 if n == 5 else n * n for n in range(30)]
    assert runner.restarts >= 2  # the chunk alone, then the item alone
    assert list(runner.map(square, range(30))) == [n * n for n in range(30)]


def test_a_killed_worker_without_on_error_is_an_engine_error() -> None:
    with (
        LocalRunner(workers=2, chunk_size=2) as local,
        pytest.raises(EngineError, match=r"^5 could not be processed by die_on_five: its worker"),
    ):
        list(local.map(die_on_five, range(20)))


def test_a_result_that_cannot_come_back_costs_only_its_item() -> None:
    errors: dict[int, BaseException] = {}

    def keep(item: int, error: BaseException) -> object:
        errors[item] = error
        return None

    with LocalRunner(workers=2, chunk_size=4) as local:
        got = list(local.map(unpicklable_result_on_three, range(20), on_error=keep))
    assert got == [None if n == 3 else n for n in range(20)]
    assert list(errors) == [3]
    assert "could not be sent" in str(errors[3])


def test_fork_start_method_still_works() -> None:
    with LocalRunner(workers=2, chunk_size=2, start_method="fork") as local:
        assert list(local.map(square, range(50))) == [n * n for n in range(50)]


def test_runner_for_passes_the_start_method() -> None:
    runner = runner_for(RunnerSettings(workers=2, start_method="spawn"))
    assert isinstance(runner, LocalRunner)
    assert runner.start_method == "spawn"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("runner.engine=spark", r"runner.engine must be one of 'local', 'dask'"),
        ("runner.start_method=thread", r"runner.start_method must be one of"),
    ],
)
def test_unknown_engine_or_start_method_is_a_config_error(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(overrides=[override])


def test_an_address_without_the_dask_engine_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"runner.engine is 'local'"):
        runner_for(RunnerSettings(address="tcp://scheduler:8786"))


def test_the_local_engine_does_not_import_dask() -> None:
    code = (
        "import sys, storyline, storyline.pipeline\n"
        "from storyline.engine import runner_for\n"
        "from storyline.settings import RunnerSettings\n"
        "runner_for(RunnerSettings(workers=2)).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_demo_corpus_with_spawned_workers_is_the_serial_output() -> None:
    settings = load_settings(
        overrides=["extract.batch_size=4", "runner.chunk_size=2", "runner.start_method=spawn"]
    )
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        serial = storyline.run([corpus], settings, runner=SerialRunner())
        with LocalRunner(workers=2, chunk_size=2, start_method="spawn") as local:
            spawned = storyline.run([corpus], settings, runner=local)
            pids = set(local.map(pid_of_worker, range(8), chunk_size=1))
    assert "".join(render(spawned)) == "".join(render(serial))
    assert os.getpid() not in pids


_PRELOAD_SCRIPT = """
import os, sys
from storyline.engine import LocalRunner
from storyline.engine.local import WARM_ENV
from storyline.models import spacy_pipeline

def loaded(_item):
    return spacy_pipeline.cache_info().currsize, os.environ.get(WARM_ENV)

if __name__ == "__main__":
    with LocalRunner(workers=2, preload_spacy=sys.argv[1] or None) as runner:
        seen = sorted(set(runner.map(loaded, range(20), chunk_size=1)))
    print(seen, os.environ.get(WARM_ENV))
"""


@pytest.mark.parametrize(
    ("preload", "workers_see"),
    [
        ("auto", "[(1, None)] None"),  # loaded once in the forkserver, before the fork
        ("", "[(0, None)] None"),  # nothing preloaded: a stage loads what it needs
        ("no_such_pipeline", "[(0, None)] None"),  # a failed preload fails nothing
    ],
)
def test_a_forkserver_pool_preloads_the_pipeline_for_its_workers(
    tmp_path: Path, preload: str, workers_see: str
) -> None:
    # a fresh process each time: the forkserver is started once per process
    script = tmp_path / "preload.py"
    script.write_text(_PRELOAD_SCRIPT, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), preload], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == workers_see


def test_a_pool_found_broken_at_submit_loses_the_chunk_not_the_map() -> None:
    # a worker that died after the last result came back breaks the executor before the
    # next submit: that chunk is lost (and rerun by the map), nothing escapes as is
    from concurrent.futures.process import BrokenProcessPool

    from storyline.engine.base import ChunkLost
    from storyline.engine.local import _ProcessPool

    class Broken:
        def submit(self, *args: object) -> object:
            raise BrokenProcessPool("a child process terminated abruptly")

    pool = _ProcessPool(2, "forkserver")
    pool._executor = Broken()  # type: ignore[assignment]
    handle = pool.submit(square, [1, 2])
    with pytest.raises(ChunkLost, match="its worker process died"):
        pool.collect(handle)
    pool._executor = None  # nothing to shut down
