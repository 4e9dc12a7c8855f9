"""`nabij fonds …`: allocate the inclusiefonds over gemeenten, SWVs or scenario regions."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nabij.cli import output as cli_output
from nabij.cli.output import DREMPEL, NO_SUPPRESS, command_output, privacy
from nabij.cli.progress import console
from nabij.defaults import FUND_REGIONS, FUND_UNITS
from nabij.errors import InputError
from nabij.io.numbers import nl_euro, nl_number
from nabij.privacy import DEFAULT_THRESHOLD

app = typer.Typer(no_args_is_help=True,
                  help="Inclusiefonds: verdeling van budgetten over gemeenten of regio's.")

NIVEAU_HELP = ("Leeromgevingen waarover elk fonds verdeelt: gemeente (standaard), swv-po, "
               "swv-vo, jeugdregio, of indeling:<bestand.csv> (een fijnere eigen indeling met "
               "pc4/gemeente,regio).")
REGIO_HELP = ("Regio's van de resultaatverplichtende overleggen; elke regio heeft een eigen "
              "fonds: swv-po (standaard: de huidige SWV's PO), swv-vo, jeugdregio, "
              "indeling:<bestand.csv> (scenario of eigen indeling), of land (één landelijk "
              "fonds).")


def _eur(v: float) -> str:
    return nl_euro(v)


def _mln(v: float) -> str:
    return nl_number(v / 1e6, 1)


def resolve_level(niveau: str, atlas):
    """A built-in level name, or a Division read from ``indeling:<file>``."""
    from nabij.divisions.units import LEVELS

    if niveau.startswith("indeling:"):
        from nabij.divisions import read_custom

        divisions = read_custom(Path(niveau.split(":", 1)[1]), atlas)
        return divisions[0]
    if niveau not in LEVELS:
        raise InputError(f"--niveau '{niveau}' onbekend; kies uit {', '.join(LEVELS)} of "
                         "indeling:<bestand.csv>")
    return niveau


def resolve_regions(regio: str, atlas):
    """``land`` (one national fund) or a level/Division as :func:`resolve_level`."""
    if regio == "land":
        return None
    try:
        return resolve_level(regio, atlas)
    except InputError as e:
        raise InputError(str(e).replace("--niveau", "--regio") + " of land") from e


def transport_cost_if_needed(definition, atlas):
    """Modelled transport cost per gemeente, when a national transport amount must be placed."""
    from nabij.fund.definition import BASELINE_KEY

    if not any(not s.per_eenheid and BASELINE_KEY.get(s.soort) == "vervoerskosten"
               for s in definition.bronnen):
        return None
    from nabij.transport.cost import by_gemeente, calibrate, transport_trips

    trips = transport_trips(atlas)
    per = by_gemeente(calibrate(trips).evaluate(trips), atlas)
    return per.set_index("gemeente")["kosten"]


def run_fund(definition, atlas, niveau: str = FUND_UNITS, regio: str = FUND_REGIONS,
             huidig: Path | None = None, besparing: Path | None = None,
             besparing_vanaf: int | None = None, drempel: int = DEFAULT_THRESHOLD):
    """The fund allocation behind 'nabij fonds verdeel' (also used by the demo)."""
    from nabij.divisions.units import units_for
    from nabij.fund import allocate, read_current

    level = resolve_level(niveau, atlas)
    regions = resolve_regions(regio, atlas)
    if besparing is not None:
        from nabij.fund.savings import read_savings

        vanaf = besparing_vanaf or definition.overgang.startjaar + 1
        definition = definition.with_source(read_savings(besparing, vanaf))
    current = None
    if huidig is not None:
        units = units_for(atlas, level)
        current = read_current(huidig, sorted(set(units.of_pc4.dropna().astype(str))))
    return allocate(definition, atlas, level, current=current, threshold=drempel,
                    regions=regions, transport_cost=transport_cost_if_needed(definition, atlas))


@app.command("verdeel")
def verdeel(
    atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
    definitie: Path = typer.Option(..., "--definitie", "-d",
                                   help="Fondsdefinitie (TOML); zie 'nabij fonds voorbeeld'."),
    out: Path = typer.Option(..., "--out", "-o", help="Map voor CSV, XLSX en JSON."),
    regio: str = typer.Option(FUND_REGIONS, "--regio", help=REGIO_HELP),
    niveau: str = typer.Option(FUND_UNITS, "--niveau", help=NIVEAU_HELP),
    huidig: Path = typer.Option(None, "--huidig",
                                help="CSV met bedragen van nu (eenheid,bedrag) voor de "
                                "eenheden die u kent; de andere houden de gemodelleerde "
                                "basislijn."),
    besparing: Path = typer.Option(None, "--besparing",
                                   help="besparing.csv van 'nabij vervoer watals': de besparing "
                                   "per gemeente komt als bron in het fonds van haar regio."),
    besparing_vanaf: int = typer.Option(None, "--besparing-vanaf",
                                        help="Eerste jaar waarin de besparing meetelt "
                                        "(standaard het jaar na het startjaar)."),
    drempel: int = DREMPEL,
    no_suppress: bool = NO_SUPPRESS,
) -> None:
    """Verdeel het fonds per regio en jaar; schrijf fondsen, bijdragen, verdeling, effect
    t.o.v. de basislijn, toelichting en gevoeligheid.

    Bedragen zijn hele euro's; per regio en jaar tellen verdeling en reserve precies op tot de
    eigen bronnen, en alle regio's samen tot de som van de bronnen. Leerlingaantallen komen uit
    de (gemodelleerde) leerlingstromen van de atlas.
    """
    from nabij.fund import load_definition

    drempel = privacy(drempel, no_suppress)
    definition = load_definition(definitie)
    atlas = cli_output.open_atlas(atlas_dir)
    result = run_fund(definition, atlas, niveau, regio, huidig, besparing, besparing_vanaf,
                      drempel)
    result.suppress = not no_suppress
    with command_output(out, "fonds", atlas_checksum=cli_output.atlas_identity(atlas_dir),
                        no_suppress=no_suppress) as run:
        paths = result.write(run.path)
    s = result.summary()
    t = Table(title=f"{definition.naam} — {s['fondsen']} fonds(en), per {s['niveau']} "
              "(landelijke som, € mln)")
    for col in ("Jaar", "Fonds", "Reserve", "Doorbraakbudget", "Te verdelen", "Overgang"):
        t.add_column(col, justify="left" if col == "Jaar" else "right", no_wrap=True)
    for r in result.jaren.itertuples():
        t.add_row(str(r.jaar), _mln(r.fonds), _mln(r.reserve), _mln(r.doorbraakbudget),
                  _mln(r.te_verdelen), f"{100 * r.overgang:.0f} %")
    console.print(t)
    console.print("Exacte bedragen (hele euro's, per regio en leeromgeving) staan in de "
                  "bestanden.")
    console.print(f"Doeljaar {s['doeljaar']}: {s['winnaars']} leeromgevingen gaan erop vooruit, "
                  f"{s['verliezers']} achteruit ten opzichte van de basislijn (het geld van nu, "
                  "gemodelleerd). Leerlingaantallen zijn gemodelleerd.")
    share = s["aandeel_voorzieningsbekostiging"]
    if share > 0:
        console.print(f"[yellow]Voorzieningsbekostiging:[/] {100 * share:.1f} % van het te "
                      "verdelen bedrag volgt het huidige gebruik van speciaal onderwijs."
                      .replace(".", ",", 1))
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
    streng: bool = typer.Option(False, "--streng",
                                help="Eindig met foutcode 1 als er waarschuwingen zijn."),
) -> None:
    """Controleer een fondsdefinitie zonder iets te schrijven, ook tegen het advies 'Over de
    lijnen' (besparingen op vervoer, voorzieningsbekostiging, herkomst van bedragen)."""
    from rich.markup import escape as rich_escape

    from nabij.fund import check_definition, load_definition
    from nabij.fund.check import WARNING

    d = load_definition(definitie)
    if atlas_dir is not None:

        atlas = cli_output.open_atlas(atlas_dir)
        d.check_codes(set(atlas.gemeenten["gemeente"].astype(str)),
                      set(atlas.swv["swv"].astype(str))
                      | set(atlas.jeugdregios["jeugdregio"].astype(str)))
    y = d.overgang.doeljaar
    console.print(f"[green]Fondsdefinitie {definitie} is geldig[/]: {len(d.bronnen)} bronnen, "
                  f"fonds {y} {_eur(d.total(y))} (landelijke som), collectief deel "
                  f"{100 * d.reserve.aandeel:.1f} % per regio; overgang "
                  f"{d.overgang.startjaar}-{d.overgang.doeljaar}.".replace(".0 %", " %"))
    findings = check_definition(d)
    warnings = [f for f in findings if f.level == WARNING]
    for f in findings:
        tag = "[yellow]Waarschuwing[/]" if f.level == WARNING else "[cyan]Opmerking[/]"
        console.print(f"{tag}: {rich_escape(f.message)}", highlight=False)
    if not warnings:
        console.print("Geen waarschuwingen: de definitie volgt het advies 'Over de lijnen'.")
    elif streng:
        raise typer.Exit(1)
