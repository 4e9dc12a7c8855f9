"""Benchmark: the time of `make lint`'s two steps (ruff, then mypy on all of ``src/`` with the
django-stubs plugin), cold (empty mypy cache, as on a fresh CI clone) and warm (cache kept).

Each run uses its own scratch cache folder and data folder (``NABIJ_DATA_DIR``: the plugin imports
``nabij.web.settings``), so the working tree's ``.mypy_cache`` is left alone.

    python bench/bench_lint.py [--runs 3]

Prints a Markdown table (medians of ``--runs`` runs, seconds) for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU time is the fairer figure on a shared machine."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} faalde:\n{done.stdout}{done.stderr}")
    return elapsed


Timing = list[tuple[float, float]]


def _mypy_runs(runs: int, env: dict[str, str]) -> tuple[Timing, Timing]:
    """(cold, warm) runs: each cold run starts from an empty cache, each warm run follows it."""
    cold: Timing = []
    warm: Timing = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="nabij-bench-lint-") as cache:
            cmd = [str(BIN / "mypy"), "--cache-dir", cache]
            cold.append(_timed(cmd, env))
            warm.append(_timed(cmd, env))
    return cold, warm


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nabij-bench-lint-data-") as data:
        env = dict(os.environ, NABIJ_DATA_DIR=data)
        ruff = [_timed([str(BIN / "ruff"), "check", "--no-cache", "src", "tests", "bench"], env)
                for _ in range(args.runs)]
        cold, warm = _mypy_runs(args.runs, env)
    rows: list[tuple[str, Timing, Timing]] = [
        ("ruff check src tests bench", ruff, []),
        ("mypy (all of src/, django-stubs plugin)", cold, warm)]
    print(f"Medians of {args.runs} runs, wall / CPU seconds.\n")
    print("| step | cold wall | cold CPU | warm wall | warm CPU |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, c, w in rows:
        cells = [_median(c, 0), _median(c, 1), _median(w, 0), _median(w, 1)]
        print(f"| {name} | " + " | ".join(cells) + " |")


def _median(runs: Timing, which: int) -> str:
    return f"{statistics.median(r[which] for r in runs):.1f}" if runs else "–"


if __name__ == "__main__":
    main()
