"""Before/after benchmark of issue 15 (one index, one vocabulary), in one run.

Runs the same cases against two source trees -- this checkout ("na") and an older one given
with ``--before`` (e.g. ``git archive <commit> | tar -x -C /tmp/nabij-before``) -- each case
in a fresh process with ``PYTHONPATH`` pointing at the tree's ``src``, alternating before and
after so that machine load hits both alike. Medians of ``--runs`` runs, seconds:

* ``meten 1``: all measures of one national division (status quo PO) on the real
  Netherlands, in process, after one warm-up call (median of 7 calls per process);
* ``atlas laden``: ``Atlas.load`` of the real Netherlands store (in process);
* ``atlas bouwen`` / ``atlas importeren``: ``build_atlas`` of the synthetic country (scale 1)
  and of the real Netherlands, in process, imports not counted;
* ``scenario compare``: ``nabij scenario compare`` of the 10 built-in divisions without the
  optimizer on the real Netherlands, end to end (a fresh ``python -m nabij`` process);
* ``demo``: ``nabij demo`` on the synthetic country, end to end (``--skip-demo`` skips it).

    python bench/bench_index.py --before /tmp/nabij-before [--runs 3] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE_ONE = """
import statistics, sys, time
from nabij.atlas import Atlas
from nabij.divisions import status_quo
from nabij.measures import measure_all
atlas = Atlas.load(sys.argv[1])
d = status_quo(atlas, "PO")
measure_all(atlas, [d])
ts = []
for _ in range(7):
    t = time.perf_counter(); measure_all(atlas, [d]); ts.append(time.perf_counter() - t)
print(statistics.median(ts))
"""

LOAD = """
import sys, time
t = time.perf_counter()
from nabij.atlas import Atlas
Atlas.load(sys.argv[1])
print(time.perf_counter() - t)
"""

BUILD_SYNTHETIC = """
import time
from nabij.atlas import build_atlas
from nabij.sources.synthetic import synthetic_country
t = time.perf_counter()
build_atlas(synthetic_country(seed=2024, scale=1.0))
print(time.perf_counter() - t)
"""

IMPORT_NL = """
import sys, time
from pathlib import Path
from nabij.atlas import build_atlas
from nabij.sources.nl import import_nl
t = time.perf_counter()
build_atlas(import_nl(Path(sys.argv[1])))
print(time.perf_counter() - t)
"""

SCENARIOS = ["status-quo", "s1", "s2", "s3", "fusie"]


def env_for(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src)
    return env


def py(src: Path, code: str, *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], env=env_for(src), check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def wall(src: Path, *args: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nabij", *args], env=env_for(src), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, required=True, help="older source tree")
    ap.add_argument("--after", type=Path, default=ROOT,
                    help="newer source tree (default: this checkout; use a frozen copy when "
                         "the checkout may change during the run)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--skip-demo", action="store_true")
    args = ap.parse_args()
    trees = {"voor": args.before.resolve() / "src", "na": args.after.resolve() / "src"}
    tmp = Path(tempfile.mkdtemp(prefix="nabij-bench-index-"))
    stores = {}
    for label, src in trees.items():  # each tree reads its own store format
        stores[label] = tmp / f"atlas-{label}"
        wall(src, "atlas", "import-nl", "--data", str(args.data), "--out", str(stores[label]))
    results: dict[tuple[str, str], list[float]] = {}
    for i in range(args.runs):
        for label, src in trees.items():
            store = str(stores[label])
            cases = {
                "meten 1 (echt NL)": lambda src=src, store=store: py(src, MEASURE_ONE, store),
                "atlas laden (echt NL)": lambda src=src, store=store: py(src, LOAD, store),
                "atlas bouwen (synthetisch, schaal 1, zonder imports)":
                    lambda src=src: py(src, BUILD_SYNTHETIC),
                "atlas importeren (echt NL, zonder imports)":
                    lambda src=src: py(src, IMPORT_NL, str(args.data)),
                "scenario compare zonder optimalisator (echt NL)": lambda src=src, store=store,
                label=label, i=i: wall(
                    src, "scenario", "compare", "--atlas", store, "--out",
                    str(tmp / f"cmp-{label}-{i}"), *sum((["-s", s] for s in SCENARIOS), [])),
            }
            if not args.skip_demo:
                cases["demo (synthetisch land)"] = lambda src=src, label=label, i=i: wall(
                    src, "demo", "--out", str(tmp / f"demo-{label}-{i}"))
            for case, fn in cases.items():
                results.setdefault((case, label), []).append(fn())
                print(f"run {i + 1} {label:4} {case}: {results[(case, label)][-1]:.2f} s",
                      file=sys.stderr)
    print("| geval | voor (s) | na (s) | runs |")
    print("|---|---:|---:|---:|")
    for case in dict.fromkeys(c for c, _ in results):
        b = statistics.median(results[(case, "voor")])
        a = statistics.median(results[(case, "na")])
        print(f"| {case} | {b:.2f} | {a:.2f} | {len(results[(case, 'na')])} |")


if __name__ == "__main__":
    main()
