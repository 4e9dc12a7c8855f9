"""`nabij vervoer …`: pupil transport costs and what-if analyses (all modelled)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabij.cli.output import (
    DREMPEL,
    NO_SUPPRESS,
    atlas_identity,
    command_output,
    open_atlas,
    privacy,
)
from nabij.cli.progress import console
from nabij.defaults import DETOUR_FACTOR
from nabij.errors import InputError
from nabij.io.numbers import nl_euro, nl_km, nl_number

app = typer.Typer(no_args_is_help=True, help="Leerlingenvervoer: kosten en wat-als-analyses.")


def _params(drempel_km: list[str] | None, vast_aandeel: float, snelheid: float,
            omrijfactor: float):
    from nabij.atlas.distance import StraightLineDetour
    from nabij.transport.cost import DEFAULT_THRESHOLD_KM, TRANSPORT_TYPES, CostParams

    thr = dict(DEFAULT_THRESHOLD_KM)
    for item in drempel_km or []:
        for part in item.split(","):
            if not part.strip():
                continue
            key, _, val = part.partition("=")
            key = key.strip().upper()
            try:
                km = float(val.replace(",", "."))
            except ValueError:
                km = -1.0
            if key not in TRANSPORT_TYPES or km < 0:
                raise InputError(f"--afstandsgrens '{part}': gebruik SOORT=KM met SOORT SBO, SO "
                                 "of VSO, bv. SBO=6")
            thr[key] = km
    if not 0 <= vast_aandeel < 1:
        raise InputError("--vast-aandeel moet tussen 0 en 1 liggen")
    if snelheid <= 0 or omrijfactor < 1:
        raise InputError("--snelheid moet > 0 en --omrijfactor >= 1 zijn")
    return CostParams(threshold_km=thr, fixed_share=vast_aandeel, speed_kmh=snelheid,
                      distance=StraightLineDetour(omrijfactor))


# Options shared by 'kosten' and 'watals'.
ATLAS = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas.")
OUT = typer.Option(..., "--out", "-o", help="Map voor CSV, XLSX en JSON.")
NIVEAU = typer.Option(None, "--niveau", help="Extra tabel per regio: swv-po, swv-vo, jeugdregio "
                      "of indeling:<bestand.csv>.")
AFSTANDSGRENS = typer.Option(None, "--afstandsgrens",
                             help="Afstandsgrens per soort voor recht op vervoer, bv. "
                             "'SBO=6,SO=0,VSO=0' (standaard).")
VAST_AANDEEL = typer.Option(0.35, "--vast-aandeel", help="Deel van de kosten per leerling dat "
                            "niet van de afstand afhangt.")
SNELHEID = typer.Option(30.0, "--snelheid", help="Gemiddelde reissnelheid (km/u).")
OMRIJFACTOR = typer.Option(DETOUR_FACTOR, "--omrijfactor",
                           help="Reisafstand = hemelsbrede afstand x deze factor.")


def _show(title: str, rows: list[tuple[str, str]], paths: list, out: Path) -> None:
    table = Table(title=title)
    table.add_column("Onderdeel")
    table.add_column("Waarde", justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(f"{len(paths)} bestanden geschreven naar [bold]{out}[/]")


@app.command("kosten")
def kosten(
    atlas_dir: Path = ATLAS,
    out: Path = OUT,
    niveau: str = NIVEAU,
    afstandsgrens: list[str] = AFSTANDSGRENS,
    vast_aandeel: float = VAST_AANDEEL,
    snelheid: float = SNELHEID,
    omrijfactor: float = OMRIJFACTOR,
    drempel: int = DREMPEL,
    no_suppress: bool = NO_SUPPRESS,
) -> None:
    """Schat leerlingenvervoer naar SBO, SO en VSO per woongemeente (gemodelleerd).

    Gekalibreerd op de Monitor leerlingenvervoer 2024: 75.000 leerlingen, € 299 mln,
    € 3.978 per vervoerde leerling (2023/24).
    """
    from nabij.cli.fonds import resolve_level
    from nabij.transport import transport_costs

    drempel = privacy(drempel, no_suppress)
    params = _params(afstandsgrens, vast_aandeel, snelheid, omrijfactor)
    atlas = open_atlas(atlas_dir)
    level = resolve_level(niveau, atlas) if niveau else None
    result = transport_costs(atlas, params, level=level, threshold=drempel)
    result.suppress = not no_suppress
    with command_output(out, "vervoer", atlas_checksum=atlas_identity(atlas_dir),
                        no_suppress=no_suppress) as run:
        paths = result.write(run.path)
    t = result.published_totals()
    _show("Leerlingenvervoer (gemodelleerd)", [
        ("Leerlingen SBO/SO/VSO", nl_number(t["leerlingen_sbo_so_vso"])),
        ("Vervoerde leerlingen", nl_number(t["vervoerde_leerlingen"])),
        ("Kosten per jaar", nl_euro(t["kosten"])),
        ("Kosten per vervoerde leerling", nl_euro(t["kosten_per_vervoerde"])),
        ("Gemiddelde afstand (vervoerd)", nl_km(t["gemiddelde_afstand_vervoerd_km"])),
        ("Leerlingkilometers per jaar", nl_number(t["leerlingkm_per_jaar"])),
    ], paths, out)


@app.command("watals")
def watals(
    atlas_dir: Path = ATLAS,
    out: Path = OUT,
    voorziening: Path = typer.Option(None, "--voorziening",
                                     help="CSV met wijzigingen: actie (open/sluit), naam, soort, "
                                     "cluster, capaciteit, lat en lon of pc4, vestiging."),
    plaats: str = typer.Option(None, "--plaats",
                               help="Plaats van één nieuwe voorziening: 'breedte,lengte' "
                               "(bv. '52.09,5.12') of een postcode (4 cijfers)."),
    soort: str = typer.Option("SO", "--soort", help="Soort plekken: SBO, SO of VSO."),
    cluster: list[int] = typer.Option(None, "--cluster",
                                      help="Cluster(s) van de voorziening (1-4); herhaalbaar."),
    capaciteit: float = typer.Option(12, "--capaciteit", help="Aantal plekken."),
    naam: str = typer.Option("Nieuwe voorziening", "--naam", help="Naam van de voorziening."),
    vorm: str = typer.Option("inclusieve voorziening", "--vorm",
                             help="Vorm, bv. OZA of SO-groep in een reguliere school."),
    sluit: list[str] = typer.Option(None, "--sluit",
                                    help="Sluit deze vestiging (BRIN+volgnummer); herhaalbaar."),
    niveau: str = NIVEAU,
    ruimte: float = typer.Option(0.10, "--ruimte",
                                 help="Vrije ruimte op bestaande scholen bij een sluiting "
                                 "(aandeel van hun leerlingen)."),
    afstandsgrens: list[str] = AFSTANDSGRENS,
    vast_aandeel: float = VAST_AANDEEL,
    snelheid: float = SNELHEID,
    omrijfactor: float = OMRIJFACTOR,
    drempel: int = DREMPEL,
    no_suppress: bool = NO_SUPPRESS,
) -> None:
    """Wat als er een thuisnabije voorziening bijkomt (of een locatie sluit)?

    Leerlingen gaan naar de dichtstbijzijnde passende plek binnen de capaciteit (gretig, op
    afstandsbesparing). Uitkomst per woongemeente: kilometers, reistijd en euro's per jaar;
    besparing.csv kan met 'nabij fonds verdeel --besparing' terug in het fonds.
    """
    from nabij.cli.fonds import resolve_level
    from nabij.transport.whatif import Closure, Provision, parse_place, read_provisions, what_if

    drempel = privacy(drempel, no_suppress)
    params = _params(afstandsgrens, vast_aandeel, snelheid, omrijfactor)
    if voorziening is None and plaats is None and not sluit:
        raise InputError("geef --voorziening FILE.csv, --plaats of --sluit op")
    if not 0 <= ruimte <= 1:
        raise InputError("--ruimte moet tussen 0 en 1 liggen")
    atlas = open_atlas(atlas_dir)
    adds: list = []
    closes: list = []
    if voorziening is not None:
        adds, closes = read_provisions(voorziening, atlas)
    if plaats is not None:
        lat, lon = parse_place(plaats, atlas)
        adds.append(Provision(naam, soort.upper(), lat, lon, capaciteit,
                              frozenset(cluster or ()), vorm))
    closes += [Closure(v) for v in (sluit or [])]
    level = resolve_level(niveau, atlas) if niveau else None
    result = what_if(atlas, adds, closes, params=params, spare_share=ruimte, threshold=drempel,
                     level=level)
    result.suppress = not no_suppress
    with command_output(out, "vervoer-watals", atlas_checksum=atlas_identity(atlas_dir),
                        no_suppress=no_suppress) as run:
        paths = result.write(run.path)
    t = result.published_totals()
    _show("Wat-als leerlingenvervoer (gemodelleerd)", [
        ("Leerlingen verplaatst", nl_number(t["leerlingen_verplaatst"], 0)),
        ("Leerlingkilometers per jaar bespaard", nl_number(t["leerlingkm_bespaard"])),
        ("Reisuren per jaar bespaard", nl_number(t["reisuren_bespaard"])),
        ("Kosten per jaar bespaard", nl_euro(t["besparing"])),
    ], paths, out)
