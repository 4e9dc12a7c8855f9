"""`nabij fonds …`: allocate the inclusiefonds over gemeenten, SWVs or scenario regions."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabij.cli.progress import console
from nabij.errors import InputError
from nabij.privacy import DEFAULT_THRESHOLD

app = typer.Typer(no_args_is_help=True,
                  help="Inclusiefonds: verdeling van budgetten over gemeenten of regio's.")

NIVEAU_HELP = ("Niveau van verdeling: gemeente, swv-po, swv-vo, jeugdregio, of "
               "indeling:<bestand.csv> (een eigen of scenario-indeling met pc4/gemeente,regio).")


def _eur(v: float) -> str:
    return "€ " + f"{v:,.0f}".replace(",", ".")


def resolve_level(niveau: str, atlas):
    """A built-in level name, or a Division read from ``indeling:<file>``."""
    from nabij.fund.allocate import LEVELS

    if niveau.startswith("indeling:"):
        from nabij.divisions import read_custom

        divisions = read_custom(Path(niveau.split(":", 1)[1]), atlas)
        return divisions[0]
    if niveau not in LEVELS:
        raise InputError(f"--niveau '{niveau}' onbekend; kies uit {', '.join(LEVELS)} of "
                         "indeling:<bestand.csv>")
    return niveau


@app.command("verdeel")
def verdeel(
    atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
    definitie: Path = typer.Option(..., "--definitie", "-d",
                                   help="Fondsdefinitie (TOML); zie 'nabij fonds voorbeeld'."),
    out: Path = typer.Option(..., "--out", "-o", help="Map voor CSV, XLSX en JSON."),
    niveau: str = typer.Option("gemeente", "--niveau", help=NIVEAU_HELP),
    huidig: Path = typer.Option(None, "--huidig",
                                help="CSV met de huidige verdeling (eenheid,bedrag); standaard "
                                "wat de definitie zegt (verevening: gelijk per leerling)."),
    besparing: Path = typer.Option(None, "--besparing",
                                   help="besparing.csv van 'nabij vervoer watals': de besparing "
                                   "per gemeente komt als bron in het fonds."),
    besparing_vanaf: int = typer.Option(None, "--besparing-vanaf",
                                        help="Eerste jaar waarin de besparing meetelt "
                                        "(standaard het jaar na het startjaar)."),
    drempel: int = typer.Option(DEFAULT_THRESHOLD, "--drempel",
                                help="Privacydrempel: aantallen leerlingen hieronder worden "
                                "getoond als '<drempel'."),
) -> None:
    """Verdeel het fonds per jaar en schrijf verdeling, effect, toelichting en gevoeligheid.

    Bedragen zijn hele euro's; per jaar tellen verdeling en reserve precies op tot het fonds.
    Leerlingaantallen komen uit de (gemodelleerde) leerlingstromen van de atlas.
    """
    from nabij.atlas import Atlas
    from nabij.fund import allocate, load_definition
    from nabij.fund.allocate import read_current

    definition = load_definition(definitie)
    atlas = Atlas.load(atlas_dir)
    level = resolve_level(niveau, atlas)
    if besparing is not None:
        from nabij.transport.whatif import read_savings

        vanaf = besparing_vanaf or definition.overgang.startjaar + 1
        definition = definition.with_source(read_savings(besparing, vanaf))
    current = None
    if huidig is not None:
        from nabij.fund.allocate import units_for

        units = units_for(atlas, level)
        codes = sorted(set(units.of_pc4.dropna().astype(str)))
        current = read_current(huidig, codes)
    result = allocate(definition, atlas, level, current=current, threshold=drempel)
    paths = result.write(out)
    s = result.summary()
    t = Table(title=f"{definition.naam} — per {s['niveau']}")
    t.add_column("Jaar")
    t.add_column("Fonds", justify="right")
    t.add_column("Reserve", justify="right")
    t.add_column("Te verdelen", justify="right")
    t.add_column("Overgang", justify="right")
    for r in result.jaren.itertuples():
        t.add_row(str(r.jaar), _eur(r.fonds), _eur(r.reserve), _eur(r.te_verdelen),
                  f"{100 * r.overgang:.0f} %")
    console.print(t)
    console.print(f"Doeljaar {s['doeljaar']}: {s['winnaars']} eenheden gaan erop vooruit, "
                  f"{s['verliezers']} achteruit (t.o.v. de huidige verdeling). "
                  "Leerlingaantallen zijn gemodelleerd.")
    console.print(f"{len(paths)} bestanden geschreven naar [bold]{out}[/]")


@app.command("voorbeeld")
def voorbeeld(
    out: Path = typer.Option(None, "--out", "-o",
                             help="Schrijf de voorbeelddefinitie naar dit bestand "
                             "(anders naar het scherm)."),
) -> None:
    """Toon of bewaar de toegelichte voorbeelddefinitie van een inclusiefonds (TOML)."""
    from nabij.fileio import atomic_write_text
    from nabij.fund import EXAMPLE

    text = EXAMPLE.read_text(encoding="utf-8")
    if out is None:
        typer.echo(text)
        return
    atomic_write_text(out, text)
    console.print(f"Voorbeelddefinitie geschreven naar [bold]{out}[/]")


@app.command("controleer")
def controleer(
    definitie: Path = typer.Argument(..., help="Fondsdefinitie (TOML)."),
    atlas_dir: Path = typer.Option(None, "--atlas",
                                   help="Atlas om ook de codes (gemeenten, SWV's) te "
                                   "controleren."),
) -> None:
    """Controleer een fondsdefinitie zonder iets te schrijven."""
    from nabij.fund import load_definition

    d = load_definition(definitie)
    if atlas_dir is not None:
        from nabij.atlas import Atlas

        atlas = Atlas.load(atlas_dir)
        d.check_codes(set(atlas.gemeenten["gemeente"].astype(str)),
                      set(atlas.swv["swv"].astype(str))
                      | set(atlas.jeugdregios["jeugdregio"].astype(str)))
    y = d.years[0]
    console.print(f"[green]Fondsdefinitie {definitie} is geldig[/]: {len(d.bronnen)} bronnen, "
                  f"fonds {y} {_eur(d.total(y))}, reserve {_eur(d.reserve_amount(y))}.")
