"""Benchmark: `nabij demo` end to end (synthetic country and real Netherlands).

Runs the command as a user would (a fresh process each time), median of 3 runs, and reports
the size of rapport.html (target: < 60 s and < 15 MB for the real Netherlands).

    python bench/bench_demo.py [--runs 3] [--data ../shared/data]

Prints a Markdown table for BENCHMARKS.md and writes bench/results/demo.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 60.0
TARGET_MB = 15.0


def nabij_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("nabij")
    return [str(exe)] if exe.exists() else [sys.executable, "-c",
                                            "from nabij.cli import main; main()"]


def run_once(extra: list[str]) -> tuple[float, dict[str, int]]:
    out = Path(tempfile.mkdtemp(prefix="nabij-bench-")) / "nabij-demo"
    try:
        t0 = time.perf_counter()
        subprocess.run(nabij_cmd() + ["demo", "--out", str(out), *extra], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        secs = time.perf_counter() - t0
        sizes = {p.name: p.stat().st_size for p in
                 (out / "rapport.html", out / "rapport.xlsx", out / "indelingen.geojson")
                 if p.exists()}
        return secs, sizes
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def bench(label: str, extra: list[str], runs: int) -> dict:
    times, sizes = [], {}
    for i in range(runs):
        secs, sizes = run_once(extra)
        times.append(secs)
        print(f"  {label} run {i + 1}: {secs:.1f} s", file=sys.stderr)
    return {"case": label, "runs": runs, "median_s": statistics.median(times),
            "min_s": min(times), "max_s": max(times), "sizes_bytes": sizes}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    results = [bench("synthetisch (schaal 1)", [], args.runs)]
    if (args.data / "SOURCES.md").exists():
        results.append(bench("echt Nederland", ["--data", str(args.data)], args.runs))
    else:
        print(f"  {args.data} ontbreekt: echt Nederland overgeslagen", file=sys.stderr)
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(),
            "machine": platform.machine(), "date": time.strftime("%Y-%m-%d")}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "demo.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    print("| case | median (s) | min–max (s) | rapport.html | rapport.xlsx | "
          "indelingen.geojson | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    ok = True
    for r in results:
        s = r["sizes_bytes"]
        html_mb = s.get("rapport.html", 0) / 1e6
        good = r["median_s"] < TARGET_S and html_mb < TARGET_MB
        ok &= good
        print(f"| {r['case']} | {r['median_s']:.1f} | {r['min_s']:.1f}–{r['max_s']:.1f} | "
              f"{s.get('rapport.html', 0):,} B | {s.get('rapport.xlsx', 0):,} B | "
              f"{s.get('indelingen.geojson', 0):,} B | "
              f"{'ok' if good else 'NIET gehaald'} (< {TARGET_S:.0f} s, < {TARGET_MB:.0f} MB) |")
    print(f"\n{meta['cpus']} cores, Python {meta['python']}, {meta['date']}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
