"""The per-stage profile: every stage of a run shows up with its kind and its calls."""

from __future__ import annotations

from importlib import resources

from storyline import pipeline
from storyline._profile import Profile
from storyline.settings import load_settings


def test_a_profiled_run_times_every_stage_it_ran() -> None:
    profile = Profile()
    settings = load_settings(None, ["runner.workers=1"])
    with resources.as_file(resources.files("storyline.demo") / "corpus") as corpus:
        result = pipeline.run([corpus], settings, profile=profile)
    stages = profile.stages
    assert stages["clean and dates"].parallel
    assert stages["clean and dates"].calls == len(result.articles) + len(result.skipped)
    assert stages["entities and quotes"].parallel
    assert stages["entities and quotes"].sent_bytes > 0
    assert stages["story facts"].calls == len(result.stories)
    assert not stages["cluster"].parallel
    assert stages["cluster"].cpu > 0
    table = profile.table()
    assert all(name in table for name in stages)


def test_an_unused_profile_wraps_nothing() -> None:
    off = Profile.off()
    task = len
    assert off.worker_timed("x", task) is task
    assert list(off.unwrap("x", [1, 2])) == [1, 2]
    assert off.stages == {}
