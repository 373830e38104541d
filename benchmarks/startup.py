"""How long storyline takes to start, and which heavy libraries each entry point imports.

Run it from the repository root::

    .venv/bin/python benchmarks/startup.py
    .venv/bin/python benchmarks/startup.py --repeat 20 --json

Each command runs ``--repeat`` times in a fresh interpreter (as hyperfine does, after one
untimed warm-up run so the file cache is warm); the table gives the fastest, the median
and the mean wall time of the whole process, and the heavy libraries the entry point left
in ``sys.modules``. The aim from issue 13 (``storyline --version`` and ``--help`` under
0.5 s) is printed beside the figures; it never changes them. The machine may be shared,
so the load average is printed too; the fastest run is the least disturbed by it.

``python -X importtime`` shows where the remaining time goes, module by module::

    .venv/bin/python -X importtime -m storyline --version 2>&1 | sort -t'|' -k2 -n | tail
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

HEAVY = (
    "spacy",
    "thinc",
    "numpy",
    "scipy",
    "datasketch",
    "trafilatura",
    "lxml",
    "feedparser",
    "warcio",
    "py3langid",
    "yaml",
    "fastapi",
    "uvicorn",
    "jinja2",
    "tqdm",
    "babel",
)
"""Libraries that cost tens to hundreds of milliseconds each to import."""

_PROBE = (
    "import runpy, sys, atexit\n"
    "heavy = {heavy!r}\n"
    "def report():\n"
    "    found = sorted(h for h in heavy if h in sys.modules)\n"
    "    sys.__stderr__.write('\\nHEAVY=' + ','.join(found) + '\\n')\n"
    "atexit.register(report)\n"
    "{body}\n"
)

COMMANDS: dict[str, str] = {
    "storyline --version": "sys.argv = ['storyline', '--version']\nrunpy.run_module('storyline')",
    "storyline --help": "sys.argv = ['storyline', '--help']\nrunpy.run_module('storyline')",
    "storyline run --help": "sys.argv = ['storyline', 'run', '--help']\n"
    "runpy.run_module('storyline')",
    "import storyline": "import storyline",
    "import storyline.web": "import storyline.web",
    "import storyline.pipeline": "import storyline.pipeline",
}
AIMS = {"storyline --version": 0.5, "storyline --help": 0.5, "storyline run --help": 0.5}


def measure(name: str, repeat: int) -> dict[str, object]:
    """Wall times of ``repeat`` fresh runs of the command ``name``, and its heavy imports."""
    body = COMMANDS[name]
    plain = [sys.executable, "-c", "import runpy, sys\n" + body]
    subprocess.run(plain, capture_output=True, check=False)  # warm the file cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(plain, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed:\n{done.stderr.decode()}")
    probe = _PROBE.format(heavy=HEAVY, body=body)
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=False
    ).stderr.decode()
    heavy = out.rsplit("HEAVY=", 1)[-1].strip() if "HEAVY=" in out else "?"
    return {
        "command": name,
        "runs": repeat,
        "min_s": round(min(times), 3),
        "median_s": round(statistics.median(times), 3),
        "mean_s": round(statistics.fmean(times), 3),
        "heavy": heavy.split(",") if heavy else [],
        "aim_s": AIMS.get(name),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Measure every command and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per command")
    parser.add_argument("--only", nargs="*", choices=sorted(COMMANDS), help="commands to time")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    rows = [measure(name, args.repeat) for name in args.only or COMMANDS]
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"load_average": load, "rows": rows}, indent=2))
        return
    print(f"{'command':<26} {'min s':>7} {'median s':>9} {'mean s':>7}  aim    heavy imports")
    for row in rows:
        aim = f"<{row['aim_s']}" if row["aim_s"] else ""
        heavy = ", ".join(row["heavy"]) or "-"  # type: ignore[arg-type]
        print(
            f"{row['command']:<26} {row['min_s']:>7} {row['median_s']:>9} {row['mean_s']:>7}"
            f"  {aim:<6} {heavy}"
        )
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
