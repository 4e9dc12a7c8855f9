"""`nabij web`: the regional workspace (Django) — serve it, or run admin tasks (`beheer`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import typer
from rich.console import Console

from nabij.cli.progress import console
from nabij.errors import InputError
from nabij.privacy import DEFAULT_THRESHOLD

out = Console()
"""Results (passwords, written files) go to stdout; progress goes to stderr (``console``)."""

app = typer.Typer(help="Regionale werkruimte (webapplicatie) starten en beheren.",
                  invoke_without_command=True, no_args_is_help=False)
beheer = typer.Typer(help="Beheertaken zonder de webserver te starten.", no_args_is_help=True)
app.add_typer(beheer, name="beheer")


def _setup() -> None:
    from nabij.web.runtime import setup

    setup(migrate=True)


def _print_users(users) -> None:
    from rich.table import Table

    t = Table(title="Demo-gebruikers (wachtwoorden worden maar één keer getoond)")
    for col in ("gebruiker", "wachtwoord", "rol", "regio"):
        t.add_column(col)
    for u in users:
        t.add_row(u.username, u.password, u.role, u.region)
    out.print(t)


def _demo(schaal: float, seed: int) -> None:
    from nabij.web.regio.demo import load_demo

    users = load_demo(seed=seed, scale=schaal,
                      progress=lambda m: console.print(f"  • {m}", highlight=False))
    _print_users(users)


@app.callback()
def web(
    ctx: typer.Context,
    demo: bool = typer.Option(False, "--demo", help="Eerst demogegevens laden (synthetisch "
                              "land, status-quo-regio's, organisaties, een gebruiker per rol)."),
    poort: int = typer.Option(8000, "--poort", min=1, max=65535, help="Poort op 127.0.0.1."),
    workers: int = typer.Option(2, "--workers", min=1, max=32, help="Aantal gunicorn-workers."),
) -> None:
    """Start de werkruimte op http://127.0.0.1:POORT met alle migraties toegepast."""
    if ctx.invoked_subcommand is not None:
        return
    _setup()
    from nabij.web.runtime import database_label

    if demo:
        console.print("Demogegevens laden…")
        _demo(0.3, 2024)
    out.print(f"Database: {database_label()}", highlight=False)
    out.print(f"Werkruimte: http://127.0.0.1:{poort}/  (stoppen met Ctrl+C)")
    from nabij.web.serve import gunicorn_command

    cmd = gunicorn_command(poort, workers, access_log=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="nabij.web.settings")
    try:
        raise typer.Exit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@beheer.command("demo")
def beheer_demo(
    schaal: float = typer.Option(0.3, "--schaal", min=0.05, max=10.0,
                                 help="Schaal van het synthetische land."),
    seed: int = typer.Option(2024, "--seed", help="Toevalszaad van het synthetische land."),
) -> None:
    """Laad de demogegevens (en toon de wachtwoorden van de demo-gebruikers één keer)."""
    _setup()
    _demo(schaal, seed)


@beheer.command("atlas")
def beheer_atlas(
    pad: Path = typer.Argument(..., help="Map van een opgeslagen atlas (nabij atlas build)."),
    scenario: str = typer.Option("status-quo", "--scenario", help="Scenario of custom:<csv>."),
    sector: str = typer.Option("PO", "--sector", help="Sector van de indeling: PO, VO of "
                               "PO+VO."),
    data: Path | None = typer.Option(None, "--data", help="Map met open data (../shared/data):"
                                     " de CBS-reeks speciaal onderwijs voor de monitor."),
) -> None:
    """Laad een atlas en één indeling daarvan als overlegregio's met hun partijen."""
    from nabij.atlas import Atlas

    if not pad.is_dir():
        raise InputError(f"atlasmap {pad} bestaat niet")
    atlas = Atlas.load(pad)
    from nabij.scenarios import ScenarioOptions, build_scenario

    divisions = build_scenario(atlas, scenario, ScenarioOptions(custom_sector=sector)
                               if scenario.startswith("custom:") else None)
    chosen = [d for d in divisions if d.sector == sector] or divisions[:1]
    if not chosen:
        raise InputError(f"scenario {scenario} levert geen indeling voor sector {sector}")
    _setup()
    from nabij.web.regio.load import load_division

    history = None
    if data is not None:
        from nabij.monitor import read_cbs_history

        history = read_cbs_history(data, atlas.gemeenten)
    div = load_division(atlas, chosen[0], history=history,
                        progress=lambda m: console.print(f"  • {m}", highlight=False))
    out.print(f"Indeling '{div.name}' geladen: {div.regions.count()} regio's.")


@beheer.command("gebruiker")
def beheer_gebruiker(
    naam: str = typer.Argument(..., help="Gebruikersnaam."),
    rol: str = typer.Option(..., "--rol", help="beheerder, regiocoordinator, deelnemer, "
                            "lezer of loket."),
    regio: str = typer.Option("", "--regio", help="Regiocode (verplicht behalve voor "
                              "beheerder en landelijke lezer)."),
    indeling: str = typer.Option("", "--indeling", help="Naam van de indeling als de "
                                 "regiocode in meer indelingen voorkomt."),
    organisatie: str = typer.Option("", "--organisatie", help="Naam van de organisatie."),
) -> None:
    """Maak een gebruiker met een lidmaatschap; het wachtwoord wordt één keer getoond."""
    _setup()
    from nabij.web.regio.users import create_user

    password = create_user(naam, rol, regio, indeling, organisatie)
    out.print(f"Gebruiker {naam} aangemaakt. Wachtwoord (wordt niet opnieuw getoond): "
                  f"{password}", highlight=False)


@beheer.command("export")
def beheer_export(
    regio: str = typer.Option(..., "--regio", help="Regiocode."),
    uit: Path = typer.Option(..., "--uit", help="Doelbestand (.xlsx)."),
    indeling: str = typer.Option("", "--indeling", help="Naam van de indeling."),
) -> None:
    """Schrijf het afsprakenregister van een regio als Excel-bestand."""
    _setup()
    from nabij.fileio import atomic_write_bytes
    from nabij.web.overleg.exports import agreements_workbook
    from nabij.web.overleg.models import Agreement
    from nabij.web.overleg.status import agreement_rows
    from nabij.web.regio.users import find_region

    region = find_region(regio, indeling)
    rows = agreement_rows(Agreement.objects.filter(region=region).select_related("owner")
                          .prefetch_related("parties"), region)
    atomic_write_bytes(uit, agreements_workbook(region, rows))
    out.print(f"{len(rows)} afspraken geschreven naar {uit}", highlight=False)


def _regions(regio: str, indeling: str):
    from nabij.web.regio.models import Region
    from nabij.web.regio.users import find_region

    if regio:
        return [find_region(regio, indeling)]
    qs = Region.objects.filter(cases__isnull=False).distinct().order_by("code")
    if indeling:
        qs = qs.filter(division__name=indeling)
    return list(qs)


RETURN_OUT = typer.Option(..., "--out", help="Doelbestand: .csv of .xlsx.")
RETURN_REGIO = typer.Option("", "--regio", help="Regiocode (leeg: alle regio's met zaken).")
RETURN_INDELING = typer.Option("", "--indeling", help="Naam van de indeling.")
RETURN_DREMPEL = typer.Option(DEFAULT_THRESHOLD, "--drempel",
                              help=f"Privacydrempel (minstens {DEFAULT_THRESHOLD}).")


def _write_return(kind: str, period, regio: str, indeling: str, drempel: int,
                  path: Path) -> None:
    """Build the return ``kind`` (a function of :mod:`nabij.web.casus.returns`) for the
    regions chosen and write it."""
    from nabij.casework.exports import write_return

    _setup()
    from nabij.web.casus import returns

    ret = getattr(returns, kind)(_regions(regio, indeling), period, drempel)
    write_return(ret, path)
    out.print(f"{ret.title} geschreven naar {path} ({len(ret.table)} rijen; aantallen onder "
              f"{ret.threshold} afgeschermd)", highlight=False)


@beheer.command("leerplichttelling")
def beheer_leerplichttelling(
    schooljaar: str = typer.Option(..., "--schooljaar", help="Bijvoorbeeld 2024-2025."),
    doel: Path = RETURN_OUT,
    regio: str = RETURN_REGIO,
    indeling: str = RETURN_INDELING,
    drempel: int = RETURN_DREMPEL,
) -> None:
    """Leerplichttelling (Leerplichtwet art. 25) per gemeente uit het casusregister."""
    from nabij.casework.periods import SchoolYear

    _write_return("leerplicht", SchoolYear.parse(schooljaar), regio, indeling, drempel, doel)


@beheer.command("inspectie")
def beheer_inspectie(
    periode: str = typer.Option(..., "--periode", help="2025-K1 (kwartaal), 2025-B1 (twee "
                                "maanden) of 2025-01-01/2025-03-31."),
    doel: Path = RETURN_OUT,
    regio: str = RETURN_REGIO,
    indeling: str = RETURN_INDELING,
    drempel: int = RETURN_DREMPEL,
) -> None:
    """Thuiszitters per regio voor de Inspectie, uit het casusregister."""
    from nabij.casework.periods import parse_period

    _write_return("inspectie", parse_period(periode), regio, indeling, drempel, doel)


@beheer.command("monitorregister")
def beheer_monitorregister(
    doel: Path = typer.Option(..., "--out", help="Doelbestand (.csv) voor nabij monitor "
                              "rapport --register."),
    jaren: int = typer.Option(3, "--jaren", min=1, max=20, help="Aantal schooljaren terug."),
    regio: str = RETURN_REGIO,
    indeling: str = RETURN_INDELING,
) -> None:
    """Registerbestand voor de monitor (thuiszitters en vrijstellingen per gemeente en
    halfjaar). Intern bestand met kleine aantallen: niet publiceren; de monitor schermt af."""
    from nabij.casework.periods import SchoolYear
    from nabij.fileio import atomic_write_text

    if doel.suffix.lower() != ".csv":
        raise InputError(f"{doel}: het registerbestand is een .csv-bestand")
    _setup()
    from nabij.web.casus.clock import today
    from nabij.web.casus.returns import monitor_register

    day = today()
    first = SchoolYear.of(day).start.year - jaren + 1
    rows = monitor_register(_regions(regio, indeling),
                            [SchoolYear.starting(y) for y in range(first, first + jaren)], day)
    atomic_write_text(doel, rows.to_csv(index=False))
    out.print(f"{len(rows)} registerregels geschreven naar {doel}. Let op: intern bestand met "
              "kleine aantallen, niet publiceren.", highlight=False)
