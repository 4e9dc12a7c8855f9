"""`nabij scenario …`: build regio-indelingen and measure them side by side."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabij.atlas.distance import StraightLineDetour
from nabij.cli.output import atlas_identity, command_output, open_atlas, privacy
from nabij.cli.progress import console, steps
from nabij.defaults import (
    DETOUR_FACTOR,
    FUSIE_MIN_REGION_PUPILS,
    S1_MIN_SHARE,
    S1_NATURAL_SHARE,
)
from nabij.errors import InputError, Problem
from nabij.io.numbers import nl_int, nl_number, nl_percent
from nabij.privacy import DEFAULT_THRESHOLD, format_count
from nabij.sectors import parse_sector

app = typer.Typer(no_args_is_help=True,
                  help="Regio-indelingen bouwen en naast elkaar meten.")

SCENARIO_HELP = ("Scenario: status-quo, s1, s1-keten, s2, s3, fusie, optimaal of "
                 "custom:<bestand.csv>. "
                 "Herhaal de optie of scheid met komma's; standaard alle scenario's van "
                 "'nabij scenario list'.")


def _names(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out: list[str] = []
    for v in values:
        out += [x.strip() for x in (v.split(",") if not v.startswith("custom:") else [v])
                if x.strip()]
    return out


def _exemptions(values: list[str] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``--uitzondering "PO 27-05"`` adds, ``--uitzondering "-PO 29-03"`` removes (SWV codes,
    several separated by commas)."""
    add: list[str] = []
    remove: list[str] = []
    for v in values or []:
        for item in (x.strip() for x in v.split(",")):
            if item.startswith("-"):
                remove.append(item[1:].strip())
            elif item:
                add.append(item.lstrip("+").strip())
    return tuple(add), tuple(remove)


def _options(fusie_drempel: float, s1_aandeel: float, voorzieningen: str | None,
             sector: str | None = None, uitzondering: list[str] | None = None,
             s1_keten_aandeel: float = S1_MIN_SHARE):
    from nabij.divisions.provision import parse_provisions
    from nabij.scenarios import ScenarioOptions

    if not 0 < s1_aandeel <= 1 or not 0 < s1_keten_aandeel <= 1:
        raise InputError("--s1-aandeel en --s1-keten-aandeel liggen tussen 0 en 1")
    add, remove = _exemptions(uitzondering)
    return ScenarioOptions(fusie_threshold=fusie_drempel, s1_share=s1_aandeel,
                           s1_min_share=s1_keten_aandeel,
                           provisions=parse_provisions(voorzieningen) if voorzieningen else None,
                           custom_sector=sector, fusie_exempt_add=add,
                           fusie_exempt_remove=remove)


S1_HELP = ("Scenario s1: een PO- en een VO-SWV worden één SWV funderend als minstens dit "
           "aandeel van de leerlingen van elk van beide in hun gedeelde gebied woont "
           "(aanname van nabij: 0,8).")
S1_KETEN_HELP = ("Variant s1-keten (aanname van nabij): koppel een PO- en VO-SWV als hun "
                 "overlap minstens dit aandeel van een van beide is; koppelingen vormen ketens.")
UITZONDERING_HELP = ("Scenario fusie: SWV die niet hoeft te fuseren, bv. 'VO 27-05'; met een "
                     "min ervoor ('-PO 29-03') vervalt een standaarduitzondering "
                     "(Waddeneilanden, Zeeuws-Vlaanderen). Herhaalbaar.")


@app.command("list")
def list_cmd() -> None:
    """Toon de beschikbare scenario's."""
    from nabij.scenarios import SCENARIOS

    table = Table(title="Scenario's")
    table.add_column("naam")
    table.add_column("omschrijving")
    for s in SCENARIOS.values():
        table.add_row(s.name, f"[bold]{s.label}[/]: {s.description}")
    table.add_row("custom:<bestand.csv>", "Eigen indeling uit een CSV (pc4 of gemeente -> regio, "
                  "optioneel sector).")
    console.print(table)


@app.command("compare")
def compare_cmd(
    atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
    out: Path = typer.Option(..., "--out", "-o", help="Map voor measures.json, CSV en XLSX."),
    scenario: list[str] = typer.Option(None, "--scenario", "-s", help=SCENARIO_HELP),
    drempel: int = typer.Option(DEFAULT_THRESHOLD, "--drempel",
                                help="Privacydrempel: aantallen leerlingen hieronder worden "
                                "getoond als '<drempel'."),
    no_suppress: bool = typer.Option(False, "--no-suppress",
                                     help="Kleine aantallen niet afschermen (alleen intern "
                                     "gebruik)."),
    fusie_drempel: float = typer.Option(FUSIE_MIN_REGION_PUPILS, "--fusie-drempel",
                                        help="Regio's met minder leerlingen fuseren (scenario "
                                        "fusie) en tellen als klein."),
    s1_aandeel: float = typer.Option(S1_NATURAL_SHARE, "--s1-aandeel", help=S1_HELP),
    s1_keten_aandeel: float = typer.Option(S1_MIN_SHARE, "--s1-keten-aandeel",
                                           help=S1_KETEN_HELP),
    uitzondering: list[str] = typer.Option(None, "--uitzondering", help=UITZONDERING_HELP),
    voorzieningen: str = typer.Option(None, "--voorzieningen",
                                      help="Vereiste voorzieningen, bv. 'SBO,SO3,SO4,VSO3,"
                                      "VSO4,PRO' (standaard)."),
    omrijfactor: float = typer.Option(DETOUR_FACTOR, "--omrijfactor",
                                      help="Reisafstand = hemelsbrede afstand x deze factor."),
) -> None:
    """Bouw scenario's en meet ze naast elkaar; schrijft measures.json, CSV's en een XLSX."""
    from nabij.measures import measure_all, write_measures
    from nabij.measures.definitions import Params
    from nabij.scenarios import build_scenarios

    drempel = privacy(drempel, no_suppress)
    if omrijfactor < 1:
        raise InputError("--omrijfactor moet minstens 1 zijn")
    names = _names(scenario)
    options = _options(fusie_drempel, s1_aandeel, voorzieningen, None, uitzondering,
                       s1_keten_aandeel)
    atlas = open_atlas(atlas_dir)
    with steps("Scenario's bouwen", len(names) if names else None) as step:
        divisions = build_scenarios(atlas, names, options, progress=step)
    with steps("Meten", len(divisions) + 1) as step:
        ms = measure_all(atlas, divisions, distance_model=StraightLineDetour(omrijfactor),
                         params=Params(small_region=fusie_drempel),
                         provisions=options.provisions, progress=step)
        step("wegschrijven")
        with command_output(out, "maatstaven", atlas_checksum=atlas_identity(atlas_dir),
                            no_suppress=no_suppress) as run:
            write_measures(ms, run.path, drempel=drempel, suppress=not no_suppress,
                           stamp={"run_id": run.run_id, "atlas_checksum": run.atlas_checksum})
    _show(ms, drempel if not no_suppress else 1)
    console.print(f"Metingen van {len(divisions)} indelingen geschreven naar [bold]{out}[/]")


@app.command("build")
def build_cmd(
    atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
    scenario: str = typer.Option(..., "--scenario", "-s", help="Eén scenario (zie 'list')."),
    out: Path = typer.Option(..., "--out", "-o", help="CSV-bestand voor de indeling."),
    sector: str = typer.Option(None, "--sector",
                               help="PO, VO of PO+VO (nodig als het scenario er meer heeft)."),
    fusie_drempel: float = typer.Option(FUSIE_MIN_REGION_PUPILS, "--fusie-drempel",
                                        help="Scenario fusie: minimum aantal leerlingen."),
    s1_aandeel: float = typer.Option(S1_NATURAL_SHARE, "--s1-aandeel", help=S1_HELP),
    s1_keten_aandeel: float = typer.Option(S1_MIN_SHARE, "--s1-keten-aandeel",
                                           help=S1_KETEN_HELP),
    uitzondering: list[str] = typer.Option(None, "--uitzondering", help=UITZONDERING_HELP),
    voorzieningen: str = typer.Option(None, "--voorzieningen",
                                      help="Scenario s3: vereiste voorzieningen."),
) -> None:
    """Bouw één indeling en schrijf die als CSV (pc4, regio, regio_naam) met recept."""
    from nabij.scenarios import build_scenario

    if sector is not None:
        sector = parse_sector(sector).code
    atlas = open_atlas(atlas_dir)
    options = _options(fusie_drempel, s1_aandeel, voorzieningen, sector, uitzondering,
                       s1_keten_aandeel)
    divisions = build_scenario(atlas, scenario, options)
    pick = [d for d in divisions if sector is None or d.sector == sector]
    if len(pick) != 1:
        have = ", ".join(d.sector for d in divisions)
        raise InputError(f"Scenario '{scenario}' heeft indelingen voor {have}",
                         [Problem("kies er één met --sector" if pick else
                                  f"geen indeling voor sector {sector}")])
    div = pick[0].validate(atlas.pc4["pc4"])
    div.to_csv(out)
    console.print(f"[bold]{div.name}[/]: {div.n_regions} regio's, geschreven naar {out}")


def _fmt(v: float | None, unit: str, drempel: int) -> str:
    if v is None:
        return "–"
    if unit == "leerlingen":
        return format_count(v, drempel)
    if unit == "aandeel":
        return nl_percent(v, 1)
    if unit == "aantal" and float(v).is_integer():
        return nl_int(v)
    return nl_number(v, 1)


SHOW = (("regios", "regio's"), ("regios_klein", "klein"), ("grensverkeer", "grens"),
        ("dekking", "dekking"), ("thuisnabij_binnen_20km", "≤20 km"),
        ("verandering_leerlingen", "veranderd"))


def _show(ms, drempel: int) -> None:
    table = Table(title="Vergelijking (alle maten: vergelijking.xlsx)")
    table.add_column("indeling", no_wrap=True)
    for _, short in SHOW:
        table.add_column(short, justify="right")
    for d in ms.divisions:
        table.add_row(d.slug, *[_fmt(d.summary.get(k), ms.definitions[k].eenheid, drempel)
                                for k, _ in SHOW])
    console.print(table)
