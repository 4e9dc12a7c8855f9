"""Benchmark: ``nabij optimize --front`` on the real Netherlands (issue 10).

Builds the real atlas once from ../shared/data (stored in a temporary folder), then runs the
command as a user would (``python -m nabij optimize --atlas … --front --sector …``, a fresh
process: loading the atlas, the seed scenarios, the search and the measures all count) ``--runs``
times and prints the wall-clock median, min and max, plus the front of the last run: points,
knee, and the validity checks of issue 10 (0 regions below the minimum, 0 above the maximum,
0 non-contiguous, no point beaten by a seed scenario on verandering and grensverkeer).

    python bench/bench_front.py [--runs 3] [--data ../shared/data] [--sector PO]

Target: at most 60 s per run (median of 3).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared"
                                         / "data"))
    ap.add_argument("--sector", default="PO")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        atlas = Path(tmp) / "nl"
        subprocess.run([sys.executable, "-m", "nabij", "atlas", "import-nl", "--data", args.data,
                        "--out", str(atlas)], check=True, capture_output=True)
        out = Path(tmp) / "knik.csv"
        secs = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "nabij", "optimize", "--atlas", str(atlas),
                            "--front", "--sector", args.sector, "--out", str(out)],
                           check=True, capture_output=True)
            secs.append(time.perf_counter() - t)
        front = pd.read_csv(out.with_suffix(".front.csv"))
    print(f"nabij optimize --front --sector {args.sector} (echt Nederland), {args.runs} runs: "
          f"mediaan {statistics.median(secs):.1f} s, min {min(secs):.1f} s, "
          f"max {max(secs):.1f} s")
    pts = front[front["soort"] == "front"]
    seeds = front[front["soort"] == "scenario"]
    bad = pts[["regios_klein", "regios_groot", "niet_aaneengesloten"]].to_numpy().sum()
    beaten = sum(
        bool(((seeds["verandering"] <= p.verandering) & (seeds["grensverkeer"] <= p.grensverkeer)
              & ((seeds["verandering"] < p.verandering)
                 | (seeds["grensverkeer"] < p.grensverkeer))).any())
        for p in pts.itertuples())
    knee = pts[pts["knik"]].iloc[0]
    print(f"front: {len(pts)} punten; ongeldige regio's {int(bad)}; verslagen door een scenario "
          f"{beaten}; knik: {knee['regios']} regio's, verandering {knee['verandering']:.1%}, "
          f"grensverkeer {knee['grensverkeer']:.1%}")
    print(front.drop(columns=["naam"]).round(4).to_string())


if __name__ == "__main__":
    main()
