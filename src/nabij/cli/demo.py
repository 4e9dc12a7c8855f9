"""`nabij demo`: the whole chain in one go — atlas, scenarios, measures, fund, report.

Without arguments it needs no files and no downloads: it builds the synthetic country. With
``--data`` it does the same for the real Netherlands from the open data in that folder.
"""

from __future__ import annotations

import contextlib
import time
from functools import partial
from pathlib import Path

import typer

from nabij.cli.output import DREMPEL, NO_SUPPRESS, atlas_identity, command_output, privacy
from nabij.cli.progress import console, steps
from nabij.errors import InputError
from nabij.parallel import beside
from nabij.privacy import DEFAULT_THRESHOLD

ATLAS_STEPS = 9  # generate/import + build_atlas's own steps + save


def _optional_fund(atlas, step):
    """Inclusiefonds (example definition) and leerlingenvervoer, when those packages exist."""
    fund = transport = None
    step("inclusiefonds verdelen")
    try:
        from nabij.fund import EXAMPLE, allocate, load_definition
    except ImportError:
        pass
    else:
        from nabij.defaults import FUND_REGIONS, FUND_UNITS

        # one fund per region of today's SWV PO (the overleg regions), as the advice designs it
        fund = allocate(load_definition(EXAMPLE), atlas, FUND_UNITS, regions=FUND_REGIONS)
    step("leerlingenvervoer doorrekenen")
    try:
        from nabij.transport import transport_costs
    except ImportError:
        pass
    else:
        transport = transport_costs(atlas)
    return fund, transport


def run_demo(out: Path, data: Path | None = None, seed: int = 2024, drempel: int =
             DEFAULT_THRESHOLD, schaal: float = 1.0, fonds: bool = True,
             no_suppress: bool = False) -> dict[str, Path]:
    """Build atlas -> scenarios -> measures (-> fund, transport) -> report into ``out``.

    The whole folder is one output (:func:`nabij.io.output_folder`, kind ``demo``): it
    replaces an earlier demo only when complete, so an interrupted run leaves the old one."""
    from nabij.atlas import build_atlas
    from nabij.defaults import DEMO_FRONT_TIME_PER_POINT_S, FRONT_CHANGE_WEIGHTS
    from nabij.measures import measure_all
    from nabij.scenarios import SCENARIOS, ScenarioOptions, build_scenarios

    out = Path(out)
    drempel = privacy(drempel, no_suppress)
    if data is not None and not Path(data).is_dir():
        raise InputError(f"datamap {data} bestaat niet; geef de map met open data op met --data")
    total = ATLAS_STEPS + 2 * len(SCENARIOS) + 10 + (2 if fonds else 0) + 4
    title = "Demo: echt Nederland" if data else "Demo: synthetisch land"
    with steps(title, total) as step, command_output(out, "demo",
                                                     no_suppress=no_suppress) as run:
        if data is not None:
            from nabij.sources.nl import import_nl

            bundle = import_nl(Path(data), progress=step)
        else:
            from nabij.sources.synthetic import synthetic_country

            step("land genereren")
            bundle = synthetic_country(seed=seed, scale=schaal)
        atlas = build_atlas(bundle, progress=step)
        step("atlas opslaan")
        atlas_dir = atlas.save(run.path / "atlas")
        run.atlas_checksum = atlas_identity(atlas_dir)
        # the demo's front is a quick look (DEMO_FRONT_TIME_PER_POINT_S, kept in each recipe)
        quick = ScenarioOptions(extra={
            "optimaal_tijd": DEMO_FRONT_TIME_PER_POINT_S * len(FRONT_CHANGE_WEIGHTS)})
        divisions = build_scenarios(atlas, options=quick,
                                    progress=lambda name: step(f"scenario {name}"))
        ms = measure_all(atlas, divisions, progress=lambda name: step(f"meten: {name}"))
        from nabij.cli.monitor import demo_monitor

        monitor = run.path / "monitor.html"
        # the monitor needs only the atlas: a forked child writes it meanwhile
        with beside(lambda: demo_monitor(atlas, monitor, data, drempel)):
            written = _write_results(run, atlas, ms, drempel, no_suppress, fonds, step)
        step("monitor schrijven")
        written = {"monitor": monitor, **written}
    return {k: out / p.relative_to(run.path) for k, p in written.items()}


def _write_results(run, atlas, ms, drempel: int, no_suppress: bool, fonds: bool, step
                   ) -> dict[str, Path]:
    from nabij.atlas.store import read_manifest
    from nabij.measures import write_measures
    from nabij.report import load_measures, write_all

    step("maatstaven schrijven")
    write_measures(ms, run.path / "maatstaven", drempel=drempel, suppress=not no_suppress,
                   stamp={"run_id": run.run_id, "atlas_checksum": run.atlas_checksum})
    fund = transport = None
    if fonds:
        fund, transport = _optional_fund(atlas, step)
    writing: contextlib.AbstractContextManager = contextlib.nullcontext()
    if fund is not None and hasattr(fund, "write"):
        fund.threshold, fund.suppress = drempel, not no_suppress
        # the fund's files are written by a forked child while the report is made
        writing = beside(partial(fund.write, run.path / "fonds"))
    with writing:
        step("rapport schrijven")
        measures = load_measures(run.path / "maatstaven")
        return write_all(atlas, measures, run.path / "rapport.html", drempel,
                         read_manifest(run.path / "atlas"), fund=fund, transport=transport)


def register(app: typer.Typer) -> None:
    """Add the top-level command ``nabij demo``."""

    @app.command("demo")
    def demo_cmd(
        data: Path = typer.Option(None, "--data",
                                  help="Map met de open data (bv. ../shared/data) voor het "
                                       "echte Nederland; zonder: het synthetische land."),
        out: Path = typer.Option(Path("nabij-demo"), "--out", "-o",
                                 help="Map voor atlas, maatstaven, rapport en exports."),
        seed: int = typer.Option(2024, "--seed",
                                 help="Startwaarde van het synthetische land."),
        drempel: int = DREMPEL,
        no_suppress: bool = NO_SUPPRESS,
        schaal: float = typer.Option(1.0, "--schaal",
                                     help="Schaal van het synthetische land (1 = Nederland)."),
        zonder_fonds: bool = typer.Option(False, "--zonder-fonds",
                                          help="Sla inclusiefonds en leerlingenvervoer over."),
    ) -> None:
        """Alles in één keer: atlas, scenario's, maatstaven, inclusiefonds en het rapport.

        Zonder opties is er niets nodig (geen bestanden, geen downloads): nabij bouwt het
        synthetische land. Met --data gebeurt hetzelfde voor het echte Nederland.
        """
        t0 = time.perf_counter()
        written = run_demo(out, data, seed, drempel, schaal, fonds=not zonder_fonds,
                           no_suppress=no_suppress)
        secs = time.perf_counter() - t0
        for kind, path in written.items():
            console.print(f"{kind.upper():8} {path}")
        console.print(f"Klaar in {secs:.0f} s. Open het rapport in een browser:")
        # the last line is the path to open (plain, so scripts can read it)
        print(written["html"].resolve())
