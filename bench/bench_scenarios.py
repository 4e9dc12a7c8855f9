"""Benchmark: building and measuring all built-in scenarios (scenario engine, issue 3).

For the synthetic country at scale 1 (and 10) and the real Netherlands (when ../shared/data
exists): the atlas is built once, then each step runs ``--runs`` times (median, min, max):

* ``bouwen``: build the divisions of all built-in scenarios (``BUILTIN``: the scenarios of
  the advice; the optimizer's "optimaal" has its own benchmark);
* ``meten 1``: ``measure_all`` of one national division (status quo PO), incl. the context;
* ``meten alle``: ``measure_all`` of every built-in division;
* ``schrijven``: write the output folder (JSON, CSV, XLSX);
* ``totaal``: build + measure + write (what ``nabij scenario compare`` does after loading).

    python bench/bench_scenarios.py [--runs 3] [--data ../shared/data] [--skip-scale10]

Targets: all measures of one national division < 1 s (real NL and synthetic scale 1); full
comparison of all built-in scenarios < 10 s; scale 10 < 10x the scale-1 time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nabij.atlas import Atlas, build_atlas
from nabij.divisions import status_quo
from nabij.measures import measure_all, write_measures
from nabij.scenarios import BUILTIN, build_scenarios


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object]:
    secs, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        secs.append(time.perf_counter() - t)
    return secs, result


def bench(label: str, atlas: Atlas, runs: int, out: Path) -> tuple[dict, list[tuple]]:
    b, divisions = timed(lambda: build_scenarios(atlas, BUILTIN), runs)
    one, _ = timed(lambda: measure_all(atlas, [status_quo(atlas, "PO")]), runs)
    alle, ms = timed(lambda: measure_all(atlas, divisions), runs)
    w, _ = timed(lambda: write_measures(ms, out), runs)

    def full() -> None:
        divs = build_scenarios(atlas, BUILTIN)
        write_measures(measure_all(atlas, divs), out)

    tot, _ = timed(full, runs)
    figures = [(d.slug, d.summary["regios"], d.summary["leerlingen_min"],
                d.summary["regios_klein"], d.summary["grensverkeer"], d.summary["dekking"],
                d.summary["afstand_eigen_gem"], d.summary["verandering_leerlingen"])
               for d in ms.divisions]
    return {"atlas": label, "pc4": len(atlas.pc4), "stromen": len(atlas.stromen),
            "indelingen": len(divisions), "bouwen": b, "meten 1": one, "meten alle": alle,
            "schrijven": w, "totaal": tot}, figures


def fmt(secs: list[float]) -> str:
    return f"{statistics.median(secs):.2f} ({min(secs):.2f}-{max(secs):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2]
                    / "shared" / "data")
    ap.add_argument("--skip-scale10", action="store_true")
    args = ap.parse_args()
    runs = max(3, args.runs)
    tmp = Path(tempfile.mkdtemp(prefix="nabij-bench-scen-"))

    from nabij.sources.synthetic import synthetic_country

    cases: list[tuple[str, Callable[[], Atlas]]] = [
        ("synthetisch schaal 1", lambda: build_atlas(synthetic_country(seed=2024, scale=1)))]
    if not args.skip_scale10:
        cases.append(("synthetisch schaal 10",
                      lambda: build_atlas(synthetic_country(seed=2024, scale=10))))
    if (args.data / "SOURCES.md").exists():
        from nabij.sources.nl import import_nl

        cases.append(("echt NL", lambda: build_atlas(import_nl(args.data))))

    rows, figures = [], {}
    for i, (label, make) in enumerate(cases):
        atlas = make()
        row, fig = bench(label, atlas, runs, tmp / f"uit{i}")
        rows.append(row)
        figures[label] = fig
        del atlas

    cols = ["bouwen", "meten 1", "meten alle", "schrijven", "totaal"]
    print(f"Mediaan (min-max) in seconden over {runs} runs.\n")
    print("| atlas | pc4 | stromen | indelingen | " + " | ".join(cols) + " |")
    print("|---|---|---|---|" + "---|" * len(cols))
    for r in rows:
        print(f"| {r['atlas']} | {r['pc4']} | {r['stromen']} | {r['indelingen']} | "
              + " | ".join(fmt(r[c]) for c in cols) + " |")
    base = next((r for r in rows if r["atlas"] == "synthetisch schaal 1"), None)
    big = next((r for r in rows if r["atlas"] == "synthetisch schaal 10"), None)
    if base and big:
        ratio = statistics.median(big["totaal"]) / statistics.median(base["totaal"])
        print(f"\nSchaal 10 / schaal 1 (totaal): {ratio:.1f}x (doel < 10x)")
    for label, fig in figures.items():
        print(f"\n{label}:\n")
        print("| indeling | regio's | kleinste | < 10.000 | grensverkeer | dekking | km eigen "
              "| veranderd |")
        print("|---|---|---|---|---|---|---|---|")
        for slug, n, mn, klein, grens, dek, km, ver in fig:
            print(f"| {slug} | {n} | {mn:.0f} | {klein} | {grens:.1%} | {dek:.1%} | "
                  f"{km:.1f} | {ver:.1%} |")


if __name__ == "__main__":
    main()
