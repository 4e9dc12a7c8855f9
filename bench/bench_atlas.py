"""Benchmark: building the synthetic atlas (scale 1 and 10), importing the real NL, loading.

Each case runs in a fresh subprocess (so peak memory is that case's own), several times; the
table shows the median wall time and the median peak resident memory.

    python bench/bench_atlas.py [--runs 3] [--data ../shared/data] [--skip-scale10]

Targets (issue 2): scale 1 < 10 s, scale 10 < 120 s and < 4 GB, real import < 30 s, load < 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CASE = r"""
import json, resource, sys, time
from pathlib import Path
kind, arg, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
t0 = time.perf_counter()
if kind == "synthetic":
    from nabij.atlas import build_atlas
    from nabij.sources.synthetic import synthetic_country
    atlas = build_atlas(synthetic_country(seed=2024, scale=float(arg)))
    atlas.save(out)
elif kind == "import-nl":
    from nabij.atlas import build_atlas
    from nabij.sources.nl import import_nl
    atlas = build_atlas(import_nl(Path(arg)))
    atlas.save(out)
elif kind == "load":
    from nabij.atlas import Atlas
    t0 = time.perf_counter()  # import time excluded: measure Atlas.load itself
    atlas = Atlas.load(Path(arg))
secs = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"secs": secs, "peak_mb": peak_mb, "pc4": len(atlas.pc4),
                  "scholen": len(atlas.scholen), "stromen": len(atlas.stromen)}))
"""


def run_case(kind: str, arg: str, out: Path) -> dict:
    res = subprocess.run([sys.executable, "-c", CASE, kind, arg, str(out)],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2]
                    / "shared" / "data")
    ap.add_argument("--skip-scale10", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nabij-bench-"))
    cases = [("synthetisch schaal 1", "synthetic", "1", 10)]
    if not args.skip_scale10:
        cases.append(("synthetisch schaal 10", "synthetic", "10", 120))
    if args.data.is_dir():
        cases.append(("import echt NL", "import-nl", str(args.data), 30))
    rows = []
    saved = {}
    for label, kind, arg, target in cases:
        out = tmp / f"{kind}-{arg.replace('/', '_')[-12:]}"
        runs = [run_case(kind, arg, out) for _ in range(args.runs)]
        saved[label] = out
        rows.append((label, runs, target))
    for label, out in list(saved.items()):
        runs = [run_case("load", str(out), tmp / "unused") for _ in range(max(args.runs, 5))]
        rows.append((f"laden ({label})", runs, 1))
    print("| case | runs | median s | min s | max s | median peak MB | pc4 | scholen | stromen "
          "| target s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, runs, target in rows:
        secs = [r["secs"] for r in runs]
        print(f"| {label} | {len(runs)} | {statistics.median(secs):.2f} | {min(secs):.2f} | "
              f"{max(secs):.2f} | {statistics.median(r['peak_mb'] for r in runs):.0f} | "
              f"{runs[0]['pc4']} | {runs[0]['scholen']} | {runs[0]['stromen']} | < {target} |")


if __name__ == "__main__":
    main()
