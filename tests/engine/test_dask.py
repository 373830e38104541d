"""The Dask runner on a local cluster of two worker processes: same results as in-process,
errors to on_error, a killed worker isolated to its item, and the demo corpus end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import storyline
from storyline._budget import within_budget
from storyline.engine import SerialRunner, runner_for
from storyline.engine.dask import DaskRunner
from storyline.errors import EngineError, InputError
from storyline.model import Skipped
from storyline.output import render
from storyline.settings import RunnerSettings, Settings

# Functions given to runners are top-level so that worker processes can unpickle them.


def square(n: int) -> int:
    return n * n


def pid_of_worker(_item: int) -> int:
    return os.getpid()


def fail_on_seven(n: int) -> int:
    if n == 7:
        raise InputError("record seven is broken", source="input.jsonl:7", hint="fix it")
    return n


def die_on_five(n: int) -> int:
    if n == 5:
        os._exit(3)  # the worker process dies, as when the kernel kills it for memory
    return n * n


def spin_on_three(n: int) -> int | Skipped:
    def stage(m: int) -> int:
        end = time.thread_time() + 5
        while m == 3 and time.thread_time() < end:  # a pathological record (bounded here)
            pass
        return m

    return within_budget(0.2, stage, n, source=f"record {n}")


def failure_marker(item: int, error: BaseException) -> int:
    return -1000 - item


@pytest.fixture(scope="module")
def dask_runner() -> Iterator[DaskRunner]:
    # retries=0: a task whose worker dies once is given up at once (faster than 3 deaths)
    with DaskRunner(workers=2, chunk_size=3, retries=0, connect_seconds=60) as runner:
        yield runner


def test_dask_runner_gives_the_serial_results_in_order(dask_runner: DaskRunner) -> None:
    got = list(dask_runner.map(square, range(300)))
    assert got == list(SerialRunner().map(square, range(300)))
    assert dask_runner.tasks_submitted >= 100


def test_dask_runner_runs_on_two_worker_processes(dask_runner: DaskRunner) -> None:
    pids = set(dask_runner.map(pid_of_worker, range(200), chunk_size=1))
    assert os.getpid() not in pids
    assert len(dask_runner.client.scheduler_info()["workers"]) == 2


class Recorder:
    """An iterable that counts how many items were pulled from it."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pulled = 0

    def __iter__(self) -> Iterator[int]:
        for i in range(self.n):
            self.pulled += 1
            yield i


def test_dask_runner_consumes_input_lazily(dask_runner: DaskRunner) -> None:
    items = Recorder(10_000)
    results = dask_runner.map(square, items)
    try:
        assert next(results) == 0
        assert items.pulled <= (2 * 2 + 1) * 3  # two chunks per worker thread, one refilled
    finally:
        results.close()
    assert list(dask_runner.map(square, range(10))) == [n * n for n in range(10)]


def test_closing_stops_the_local_cluster() -> None:
    runner = DaskRunner(workers=1, chunk_size=1, connect_seconds=60)
    assert list(runner.map(square, range(4))) == [0, 1, 4, 9]
    client = runner.client
    runner.close()
    assert client.status == "closed"


def test_dask_runner_runs_small_inputs_in_process(dask_runner: DaskRunner) -> None:
    assert set(dask_runner.map(pid_of_worker, range(3))) == {os.getpid()}


def test_dask_runner_gives_errors_to_on_error(dask_runner: DaskRunner) -> None:
    got = list(dask_runner.map(fail_on_seven, range(40), on_error=failure_marker))
    assert got == [-1007 if n == 7 else n for n in range(40)]


def test_dask_runner_raises_errors_without_on_error(dask_runner: DaskRunner) -> None:
    with pytest.raises(InputError, match="record seven") as info:
        list(dask_runner.map(fail_on_seven, range(40)))
    assert info.value.source == "input.jsonl:7"


def test_a_killed_dask_worker_costs_only_its_item(dask_runner: DaskRunner) -> None:
    errors: list[BaseException] = []

    def keep(item: int, error: BaseException) -> int:
        errors.append(error)
        return failure_marker(item, error)

    got = list(dask_runner.map(die_on_five, range(30), on_error=keep))
    assert got == [-1005 if n == 5 else n * n for n in range(30)]
    assert len(errors) == 1
    assert isinstance(errors[0], EngineError)
    assert "Dask worker died" in str(errors[0])


def test_the_record_budget_holds_in_dask_worker_threads(dask_runner: DaskRunner) -> None:
    got = list(dask_runner.map(spin_on_three, range(8), chunk_size=2))
    assert got[:3] + got[4:] == [0, 1, 2, 4, 5, 6, 7]
    assert isinstance(got[3], Skipped)
    assert got[3].source == "record 3"


def test_an_unreachable_scheduler_is_an_engine_error() -> None:
    runner = DaskRunner(address="tcp://127.0.0.1:1", connect_seconds=1)
    with runner, pytest.raises(EngineError, match=r"could not reach the Dask scheduler"):
        list(runner.map(square, range(20), chunk_size=1))


def test_runner_for_the_dask_engine() -> None:
    runner = runner_for(
        RunnerSettings(engine="dask", address="tcp://10.0.0.1:8786", workers=3, retries=4)
    )
    assert isinstance(runner, DaskRunner)
    assert (runner.address, runner.workers, runner.retries) == ("tcp://10.0.0.1:8786", 3, 4)
    runner.close()


def test_demo_corpus_on_dask_is_the_local_output() -> None:
    base = storyline.load_settings(overrides=["extract.batch_size=4", "runner.chunk_size=4"])
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        local = _run(corpus, base, runner_for(base.runner))
        dask_settings = storyline.load_settings(
            overrides=[
                "extract.batch_size=4",
                "runner.chunk_size=4",
                "runner.engine=dask",
                "runner.workers=2",
            ]
        )
        runner = runner_for(dask_settings.runner)
        assert isinstance(runner, DaskRunner)
        on_dask = _run(corpus, dask_settings, runner)
    assert on_dask == local
    assert runner.tasks_submitted >= 6  # 3 chunks of records, 3 batches of articles


def _run(corpus: object, settings: Settings, runner: storyline.engine.Runner) -> str:
    with runner:
        result = storyline.run([corpus], settings, runner=runner)  # type: ignore[list-item]
    return "".join(render(result))


def test_an_ingest_on_dask_stores_what_a_local_ingest_stores(tmp_path: Path) -> None:
    from storyline.model import to_dict
    from storyline.pipeline import ingest
    from storyline.store import SQLiteStore

    overrides = ["extract.batch_size=4", "runner.chunk_size=4"]
    local = storyline.load_settings(overrides=overrides)
    dask = storyline.load_settings(overrides=[*overrides, "runner.engine=dask", "runner.workers=2"])
    stored = []
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        for name, settings in (("local", local), ("dask", dask)):
            store = SQLiteStore(tmp_path / f"{name}.db")
            files = sorted(p for p in corpus.iterdir() if p.is_file())
            ingest(store, files[:6], settings)  # two ingests, the second adds to the first
            ingest(store, files[6:], settings)
            stored.append(to_dict(store.result()))
            store.close()
    assert stored[0] == stored[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `dask scheduler` and one `dask worker`, started as docs/architecture.md says."""
    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    common = ["--dashboard-address", ":0"]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--scheduler-file",
                str(info),
                *common,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "dask",
                    "worker",
                    address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--local-directory",
                    str(folder),
                    *common,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)


def test_dask_runner_works_with_a_running_scheduler(scheduler: str) -> None:
    items = [str(n) if n != 13 else "thirteen" for n in range(40)]
    with runner_for(
        RunnerSettings(engine="dask", address=scheduler, chunk_size=4, connect_seconds=60)
    ) as runner:
        got = list(runner.map(int, items, on_error=lambda item, error: -1))
        assert got == [-1 if n == 13 else n for n in range(40)]
        assert isinstance(runner, DaskRunner)
        assert runner.tasks_submitted >= 10
        assert runner.client.scheduler_info()["address"] == scheduler


def test_workers_with_another_storyline_version_are_refused(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storyline, "__version__", "9.9.9")  # this process only
    runner = DaskRunner(address=scheduler, chunk_size=1, connect_seconds=60)
    with runner, pytest.raises(EngineError, match=r"this process storyline 9\.9\.9"):
        list(runner.map(abs, range(4)))


def test_the_cli_on_dask_shows_no_dask_logs(tmp_path: Path) -> None:
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "storyline",
                "run",
                str(corpus),
                "-o",
                str(tmp_path / "o.json"),
                "--set",
                "runner.engine=dask",
                "--set",
                "runner.workers=2",
                "--set",
                "runner.chunk_size=2",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    assert (out.returncode, out.stderr) == (
        0,
        "storyline: 12 articles, 3 stories, 0 inputs skipped\n",
    )
