"""Benchmark: inclusiefonds allocation and leerlingenvervoer what-ifs on the real Netherlands.

Builds the real-Netherlands atlas from ``../shared/data`` once (not timed; falls back to the
synthetic country at scale 1 when the data folder is absent), then times each case several
times in this process and prints the median and the fastest wall time as a markdown table.

    python bench/bench_fund.py [--runs 5] [--data ../shared/data] [--synthetic]

Targets: fund allocation and a what-if on the real Netherlands < 1 s each (issue 6); all fund
commands < 1 s with one fund per region (issue 11). Each timed case includes all its work:
context factors from the flows, source contributions per region, every year of the
transition, baseline, impact, explanation and sensitivity (fund); trips, calibration,
reassignment and before/after costs (what-if). Loading a saved atlas and writing the
CSV/XLSX/JSON files are timed separately (last table): they are the same for every command.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def load_atlas(data: Path, synthetic: bool):
    from nabij.atlas import build_atlas

    if not synthetic and (data / "SOURCES.md").exists():
        from nabij.sources.nl import import_nl

        return build_atlas(import_nl(data)), "echt Nederland"
    from nabij.sources.synthetic import synthetic_country

    return build_atlas(synthetic_country(seed=2024, scale=1.0)), "synthetisch land (schaal 1)"


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2]
                    / "shared" / "data")
    ap.add_argument("--synthetic", action="store_true", help="use the synthetic country")
    args = ap.parse_args()

    from nabij.cli.fonds import transport_cost_if_needed
    from nabij.divisions import jeugdregio_division, status_quo
    from nabij.fund import EXAMPLE, allocate, check_definition, load_definition
    from nabij.fund.definition import Source
    from nabij.fund.savings import savings_source
    from nabij.report.fund_section import render_fund_section
    from nabij.transport import Closure, Provision, transport_costs, what_if

    t0 = time.perf_counter()
    atlas, label = load_atlas(args.data, args.synthetic)
    build = time.perf_counter() - t0
    definition = load_definition(EXAMPLE)
    so = atlas.scholen[atlas.scholen["soort"] == "SO"]
    big = so.sort_values("leerlingen").iloc[len(so) // 2]  # a median-sized SO location
    site = atlas.pc4.sort_values("kinderen_po").iloc[-1]  # busiest PC4 area
    oza = Provision("OZA bench", "SO", float(site["lat"]), float(site["lon"]), 12,
                    frozenset({4}), "OZA")
    model = transport_costs(atlas).model
    po = status_quo(atlas, "PO")
    s2 = jeugdregio_division(atlas, "PO")
    with_savings = definition.with_source(savings_source(what_if(atlas, [oza], model=model),
                                                         2031))
    all_transport = definition.with_source(Source("Leerlingenvervoer", "vervoer", 299_000_000))

    def regional_with_transport_cost():
        return allocate(all_transport, atlas, "gemeente", regions=po,
                        transport_cost=transport_cost_if_needed(all_transport, atlas))

    fund = allocate(definition, atlas, "gemeente", regions=po)
    cases = [
        ("fonds verdeel: 76 regionale fondsen (SWV PO) per gemeente, 6 jaar, basislijn, effect, "
         "toelichting, gevoeligheid", lambda: allocate(definition, atlas, "gemeente",
                                                       regions=po)),
        ("fonds verdeel: fondsen per jeugdregio (scenario S2-indeling)",
         lambda: allocate(definition, atlas, "gemeente", regions=s2)),
        ("fonds verdeel: één landelijk fonds per gemeente",
         lambda: allocate(definition, atlas, "gemeente")),
        ("fonds verdeel --besparing (regionaal, besparing uit wat-als als bron)",
         lambda: allocate(with_savings, atlas, "gemeente", regions=po)),
        ("fonds verdeel met landelijk vervoersbedrag (incl. vervoerskosten per gemeente)",
         regional_with_transport_cost),
        ("fonds controleer (definitie lezen + toets aan het advies)",
         lambda: check_definition(load_definition(EXAMPLE))),
        ("rapportsectie inclusiefonds (HTML, 76 regio's)",
         lambda: render_fund_section(fund, None)),
        ("vervoerskosten (kalibratie + per gemeente)", lambda: transport_costs(atlas)),
        ("wat-als: OZA cluster 4, 12 plekken (incl. kalibratie)",
         lambda: what_if(atlas, [oza])),
        ("wat-als: OZA, gekalibreerd model hergebruikt", lambda: what_if(atlas, [oza],
                                                                        model=model)),
        (f"wat-als: sluiting SO-locatie {big['vestiging']}",
         lambda: what_if(atlas, [], [Closure(str(big["vestiging"]), "SO")], model=model)),
    ]
    print(f"Atlas: {label} — {len(atlas.gemeenten)} gemeenten, {len(atlas.pc4)} pc4, "
          f"{len(atlas.stromen)} stromen (bouwen {build:.1f} s, niet gemeten). "
          f"{args.runs} runs per geval.\n")
    print("| geval | mediaan (s) | snelste (s) | < 1 s |")
    print("|---|---:|---:|:---:|")
    for name, fn in cases:
        fn()  # warm-up (imports, caches)
        med, best, out = timed(fn, args.runs)
        print(f"| {name} | {med:.3f} | {best:.3f} | {'ja' if med < 1 else 'NEE'} |")
    io_cases(atlas, fund, args.runs)
    w = what_if(atlas, [oza], model=model)
    print(f"\nOZA bij {site['pc4']}: {w.totals['leerlingen_verplaatst']:.0f} leerlingen, "
          f"{w.totals['leerlingkm_bespaard']:,} leerlingkm en € {w.totals['besparing']:,} per "
          "jaar bespaard (gemodelleerd).")


def io_cases(atlas, fund, runs: int) -> None:
    """Loading a saved atlas and writing the fund's files (shared by every command)."""
    import tempfile

    from nabij.atlas import Atlas

    with tempfile.TemporaryDirectory() as tmp:
        atlas.save(Path(tmp) / "atlas")
        cases = [("atlas laden (Atlas.load)", lambda: Atlas.load(Path(tmp) / "atlas")),
                 ("fonds schrijven: CSV + XLSX + JSON (76 regio's)",
                  lambda: fund.write(Path(tmp) / "uit"))]
        print("\n| in- en uitvoer (elk commando) | mediaan (s) | snelste (s) |")
        print("|---|---:|---:|")
        for name, fn in cases:
            fn()
            med, best, _ = timed(fn, max(1, runs // 2))
            print(f"| {name} | {med:.3f} | {best:.3f} |")


if __name__ == "__main__":
    main()
