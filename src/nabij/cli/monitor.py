"""`nabij monitor …`: the half-yearly monitor report, the indicator catalogue and series."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabij.cli.output import open_atlas
from nabij.cli.progress import console, steps
from nabij.errors import InputError, Problem
from nabij.privacy import DEFAULT_THRESHOLD, check_threshold

app = typer.Typer(no_args_is_help=True,
                  help="Monitor: afgesproken indicatoren, doelen en de halfjaarlijkse rapportage.")

ATLAS = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas.")
DATA = typer.Option(None, "--data", help="Map met de open data (bv. ../shared/data) voor de "
                    "CBS-reeks 2013/'14-2023/'24; zonder: synthetische geschiedenis (alleen "
                    "bij het synthetische land).")
INDELING = typer.Option(None, "--indeling", help="CSV met een eigen indeling (zoals bij "
                        "'nabij scenario'); zonder: de huidige samenwerkingsverbanden.")
SECTOR = typer.Option("PO", "--sector", help="PO, VO of PO+VO: welke regio's.")
REGISTER = typer.Option(None, "--register", help="CSV met thuiszitters en vrijstellingen "
                        "(indeling: docs/monitor-register.md).")
INDICATOREN = typer.Option(None, "--indicatoren", help="Eigen indicatorcatalogus (TOML) "
                           "bovenop de ingebouwde.")


def _load(atlas_dir: Path, data: Path | None, indeling: Path | None, sector: str,
          register: Path | None, indicatoren: Path | None, step):
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.inputs import division_for, history_for, register_for
    from nabij.sectors import parse_sector

    code = parse_sector(sector).code
    step("atlas laden")
    # checksums are always verified; the tables were validated when the atlas was built, so
    # re-validating them (most of the loading time on the real Netherlands) is skipped
    atlas = open_atlas(atlas_dir)
    cat = load_catalogue(indicatoren)
    step("reeksen lezen")
    history = history_for(atlas, data)
    reg, synthetic = register_for(atlas, register, cat)
    division = division_for(atlas, indeling, code)
    return atlas, cat, history, reg, synthetic, division


@app.command("rapport")
def rapport_cmd(
    atlas_dir: Path = ATLAS,
    out: Path = typer.Option(Path("monitor.html"), "--out", "-o",
                             help="HTML-bestand; monitor.xlsx en monitor.csv komen ernaast."),
    data: Path = DATA,
    indeling: Path = INDELING,
    sector: str = SECTOR,
    doelen: Path = typer.Option(None, "--doelen", help="CSV met doelen per regio en indicator "
                                "(docs/monitor-doelen.md)."),
    notities: Path = typer.Option(None, "--notities", help="CSV met notities: het verhaal "
                                  "achter de cijfers (docs/monitor-doelen.md)."),
    register: Path = REGISTER,
    indicatoren: Path = INDICATOREN,
    drempel: int = typer.Option(DEFAULT_THRESHOLD, "--drempel",
                                help="Aantallen onder deze drempel tonen als '<drempel>'."),
    zonder_model: bool = typer.Option(False, "--zonder-model", help="Sla de gemodelleerde "
                                      "indicatoren (afstand, grensverkeer, vervoer) over."),
    geen_exports: bool = typer.Option(False, "--geen-exports", help="Alleen het HTML-bestand."),
) -> None:
    """Maak de halfjaarlijkse monitor: per regio de indicatoren met trend, doelpad, landelijke
    lijn en notities, doelstatus en onverklaarde verschillen; één offline HTML-bestand met
    XLSX en CSV ernaast."""
    from nabij.monitor.engine import run_monitor
    from nabij.monitor.notes import read_notes
    from nabij.monitor.targets import read_targets
    from nabij.report.monitor_html import write_monitor

    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--out {out}: geef een bestandsnaam die eindigt op .html")
    thr = check_threshold(drempel)
    with steps("Monitor maken", 5) as step:
        atlas, cat, history, reg, synthetic, division = _load(
            atlas_dir, data, indeling, sector, register, indicatoren, step)
        specs = read_targets(doelen, cat) if doelen else None
        notes = read_notes(notities, cat) if notities else None
        step("reeksen, doelen en verwachtingen berekenen")
        result = run_monitor(atlas, division, history, reg, specs, notes, cat,
                             modelled=not zonder_model, register_modelled=synthetic)
        step("rapport schrijven")
        written = write_monitor(result, atlas, out, thr, exports=not geen_exports)
    for kind, path in written.items():
        console.print(f"{kind.upper():8} {path}")
    if reg is None:
        console.print("Geen registerbestand (--register): thuiszitters en vrijstellingen "
                      "ontbreken in dit rapport.")
    console.print(f"Open het rapport in een browser: [bold]{out.resolve()}[/]")


@app.command("indicatoren")
def indicatoren_cmd(indicatoren: Path = INDICATOREN) -> None:
    """Toon de indicatorcatalogus (ingebouwd, aangevuld met een eigen TOML-bestand)."""
    from nabij.monitor.catalogue import load_catalogue

    cat = load_catalogue(indicatoren)
    t = Table(title=f"{len(cat)} indicatoren")
    for c in ("id", "naam", "eenheid", "richting", "niveau", "periode", "bron"):
        t.add_column(c)
    for i in cat:
        t.add_row(i.id, i.naam + (" (gemodelleerd)" if i.gemodelleerd else ""), i.eenheid,
                  i.richting, i.niveau, i.periode, i.bron)
    console.print(t)


@app.command("reeks")
def reeks_cmd(
    atlas_dir: Path = ATLAS,
    out: Path = typer.Option(..., "--out", "-o", help="CSV-bestand voor de reeksen."),
    indicator: list[str] = typer.Option(None, "--indicator", help="Indicator-id (herhaalbaar); "
                                        "zonder: alle."),
    niveau: str = typer.Option("regio", "--niveau", help="regio (de indeling), gemeente of "
                               "land (alleen Nederland)."),
    data: Path = DATA,
    indeling: Path = INDELING,
    sector: str = SECTOR,
    register: Path = REGISTER,
    indicatoren: Path = INDICATOREN,
    drempel: int = typer.Option(DEFAULT_THRESHOLD, "--drempel",
                                help="Aantallen onder deze drempel tonen als '<drempel>'."),
) -> None:
    """Schrijf reeksen (per regio, per gemeente of landelijk) als CSV, met kleine aantallen
    afgeschermd; landelijke regels heten 'Nederland'."""
    from nabij.fileio import atomic_write
    from nabij.monitor.engine import published, run_monitor
    from nabij.monitor.series import NATIONAL, gemeente_division
    from nabij.report.monitor_html import export_frame
    from nabij.sectors import parse_level

    level = parse_level(niveau, ("regio", "gemeente", "land"))
    thr = check_threshold(drempel)
    with steps("Reeksen maken", 4) as step:
        atlas, cat, history, reg, synthetic, division = _load(
            atlas_dir, data, indeling, sector, register, indicatoren, step)
        if level == "gemeente":
            division = gemeente_division(atlas, division.sector)
        bad = [i for i in indicator or [] if i not in cat]
        if bad:
            raise InputError("Onbekende indicator", [
                Problem(f"--indicator {b}: kies uit {', '.join(cat.ids)}") for b in bad])
        step("reeksen berekenen")
        result = run_monitor(atlas, division, history, reg, None, None, cat,
                             indicators=list(indicator) or None, register_modelled=synthetic)
        frame = export_frame(result, published(result, thr))
        if level == "land":
            frame = frame[frame["regio"] == NATIONAL]
        step("schrijven")
        atomic_write(out, lambda t: frame.to_csv(t, index=False, encoding="utf-8"))
    console.print(f"{len(frame)} regels -> {out}")


EXAMPLES = Path(__file__).resolve().parents[1] / "monitor" / "voorbeeld"
"""Example targets (Stromenland-style: back to the national average in five years) and notes."""


def demo_monitor(atlas, out: Path, data: Path | None = None,
                 drempel: int = DEFAULT_THRESHOLD) -> Path:
    """The monitor of the status-quo PO regions with the example targets and notes (``nabij
    demo``): the CBS series with ``data``, else the synthetic history and register."""
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.engine import run_monitor
    from nabij.monitor.inputs import division_for, history_for, register_for
    from nabij.monitor.notes import read_notes
    from nabij.monitor.targets import read_targets
    from nabij.report.monitor_html import write_monitor

    cat = load_catalogue()
    reg, synthetic = register_for(atlas, None, cat)
    result = run_monitor(atlas, division_for(atlas, None, "PO"), history_for(atlas, data), reg,
                         read_targets(EXAMPLES / "doelen.csv", cat),
                         read_notes(EXAMPLES / "notities.csv", cat), cat,
                         register_modelled=synthetic)
    return write_monitor(result, atlas, out, drempel)["html"]
