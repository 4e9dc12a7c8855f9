"""Benchmark: `nabij monitor rapport` on the real Netherlands (status quo PO regions, a
Stromenland-style target "terug naar het landelijk gemiddelde" for every region, notes).

Usage: python bench/bench_monitor.py [--data ../shared/data] [--runs 5]

Builds and saves the real atlas once (not timed), then times the whole CLI command in a fresh
process (`python -m nabij monitor rapport ...`, atlas loading, CBS series, measures, transport
model, HTML + XLSX + CSV included) and, in-process, its phases. Prints medians.
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

TARGETS = ("regio,indicator,basisjaar,doelwaarde,regel,doeljaar,traject\n"
           "*,deelname_sbo_so,2021/'22,,landelijk_gemiddelde,2026/'27,recht\n")
NOTES = ("regio,indicator,datum,tekst,auteur\n"
         "NL,,2014-08-01,Invoering Wet passend onderwijs,nabij\n"
         "*,deelname_sbo_so,2020-03-16,Scholen dicht door corona,nabij\n")


def phases(atlas_dir: Path, data: Path, tmp: Path) -> dict[str, float]:
    from nabij.atlas import Atlas
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.engine import published, run_monitor
    from nabij.monitor.inputs import division_for, history_for
    from nabij.monitor.notes import read_notes
    from nabij.monitor.targets import read_targets
    from nabij.report.monitor_html import export_frame, render_monitor, write_monitor

    t = {}
    t0 = time.perf_counter()
    atlas = Atlas.load(atlas_dir, validate=False)  # as the CLI: checksums only
    t["atlas laden"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cat = load_catalogue()
    hist = history_for(atlas, data)
    div = division_for(atlas, None, "PO")
    specs = read_targets(tmp / "doelen.csv", cat)
    notes = read_notes(tmp / "notities.csv", cat)
    t["CBS-reeks + invoer"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = run_monitor(atlas, div, hist, None, specs, notes, cat)
    t["run_monitor"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pub = published(res)
    export_frame(res, pub)
    t["afscherming"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_monitor(res, atlas, 10, pub)
    t["HTML"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_monitor(res, atlas, tmp / "fase" / "monitor.html")
    t["alles schrijven (HTML+XLSX+CSV)"] = time.perf_counter() - t0
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent
                    / "shared" / "data")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    (tmp / "doelen.csv").write_text(TARGETS, encoding="utf-8")
    (tmp / "notities.csv").write_text(NOTES, encoding="utf-8")
    from nabij.atlas import build_atlas
    from nabij.sources.nl import import_nl

    atlas_dir = build_atlas(import_nl(args.data)).save(tmp / "atlas")
    cmd = [sys.executable, "-m", "nabij", "monitor", "rapport", "--atlas", str(atlas_dir),
           "--data", str(args.data), "--doelen", str(tmp / "doelen.csv"), "--notities",
           str(tmp / "notities.csv"), "--out", str(tmp / "monitor.html")]
    walls, cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    runs = [phases(atlas_dir, args.data, tmp) for _ in range(args.runs)]
    print(f"nabij monitor rapport, echt Nederland, PO-samenwerkingsverbanden, {args.runs} runs")
    print(f"  hele commando (nieuw proces): mediaan {statistics.median(walls):.2f} s "
          f"(min {min(walls):.2f}, max {max(walls):.2f}); CPU-tijd (user+sys) mediaan "
          f"{statistics.median(cpus):.2f} s; load average {os.getloadavg()[0]:.1f} op "
          f"{os.cpu_count()} kernen")
    for k in runs[0]:
        print(f"  {k:32} mediaan {statistics.median(r[k] for r in runs):.2f} s")
    size = (tmp / "monitor.html").stat().st_size / 1e6
    print(f"  monitor.html {size:.1f} MB; xlsx {(tmp / 'monitor.xlsx').stat().st_size / 1e6:.2f} "
          f"MB; csv {(tmp / 'monitor.csv').stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
