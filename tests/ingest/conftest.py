"""Ingest tests: the fuzz suite's figures at the end of the session."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    stats = [
        row
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").endswith("test_fuzz")
        for row in getattr(module, "STATS", [])
        if row[2] != "warm-up"
    ]
    if stats:
        seconds, _, case = max(stats)
        total = sum(s for s, _, _ in stats)
        terminalreporter.write_line(
            f"fuzz: {len(stats)} inputs in {total:.1f} s; slowest {seconds:.2f} s: {case}"
        )
    table = [
        (folder, row)
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").endswith("test_realworld")
        for folder, row in sorted(getattr(module, "TABLE", {}).items())
    ]
    if table:
        terminalreporter.write_line(
            f"{'real-world folder':<36} {'files':>6} {'articles':>8} {'skipped':>8}"
        )
        for folder, row in table:
            terminalreporter.write_line(
                f"{folder:<36} {row['files']:>6} {row['articles']:>8} {row['skipped']:>8}"
            )
