"""`nabij optimize`: search the best regio-indeling under the user's constraints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from nabij.cli.output import open_atlas
from nabij.cli.progress import console, steps
from nabij.defaults import (
    FRONT_CHANGE_WEIGHTS,
    FRONT_TIME_PER_POINT_S,
    MIN_REGION_PUPILS,
    OPTIMIZE_LEVEL,
    OPTIMIZE_OBJECTIVE,
    OPTIMIZE_SEED,
    OPTIMIZE_TIME_LIMIT_S,
)
from nabij.errors import InputError, Problem
from nabij.io.numbers import nl_number
from nabij.sectors import parse_level, parse_sector

DOELEN = ("evenwichtig", "grensverkeer", "maxp")
METHODEN = {"auto": "auto", "heuristiek": "heuristic", "exact": "exact"}


def _nl(x: float, digits: int = 0) -> str:
    return nl_number(x, digits)


def _locked(text: str | None) -> list:
    """``"PO 27-07,GM0363,GM0344+GM0345"`` -> items; '+' joins areas into one group."""
    if not text:
        return []
    out: list = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        out.append([p.strip() for p in part.split("+") if p.strip()] if "+" in part else part)
    return out


def _weights(values: list[str] | None) -> dict[str, float]:
    out = {}
    problems = []
    for v in values or []:
        key, _, val = v.partition("=")
        try:
            out[key.strip()] = float(val.replace(",", "."))
        except ValueError:
            problems.append(Problem(f"'{v}' is geen gewicht; schrijf bv. grensverkeer=1,5"))
    if problems:
        raise InputError("Gewichten kloppen niet", problems)
    return out


def register(app: typer.Typer) -> None:
    """Add the top-level command ``nabij optimize``."""

    @app.command("optimize")
    def optimize_cmd(
        atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
        out: Path = typer.Option(..., "--out", "-o",
                                 help="CSV voor de gevonden indeling (pc4,regio,regio_naam), "
                                      "met het recept ernaast (.recept.json)."),
        sector: str = typer.Option("PO", "--sector",
                                   help="PO, VO of PO+VO (funderend onderwijs)."),
        min_leerlingen: float = typer.Option(MIN_REGION_PUPILS, "--min-leerlingen", min=0,
                                             help="Minimum aantal leerlingen per regio (op de "
                                                  "schoolvestigingen in de regio)."),
        max_leerlingen: float = typer.Option(None, "--max-leerlingen",
                                             help="Maximum aantal leerlingen per regio "
                                                  "(standaard het grootste bestaande SWV van "
                                                  "de sector; funderend: het grootste paar)."),
        binnen: str = typer.Option(None, "--binnen",
                                   help="Blijf binnen de grenzen van: jeugdregio of provincie."),
        dekkend: bool = typer.Option(False, "--dekkend",
                                     help="Elke regio heeft elke vereiste voorziening (zoals "
                                          "scenario S3)."),
        voorzieningen: str = typer.Option(None, "--voorzieningen",
                                          help="Vereiste voorzieningen, bv. 'SBO,SO3,SO4' "
                                               "(standaard die van de sector)."),
        vergrendeld: str = typer.Option(None, "--vergrendeld",
                                        help="Wat bij elkaar blijft, met komma's: een SWV-code "
                                             "('PO 27-07'), een gemeente (blijft bij haar "
                                             "huidige SWV) of gemeenten met '+' "
                                             "('GM0344+GM0345')."),
        doel: str = typer.Option(OPTIMIZE_OBJECTIVE, "--doel",
                                 help="Doel: evenwichtig (grensverkeer, afstand, verandering "
                                      "en aantal regio's), grensverkeer of maxp (zoveel "
                                      "mogelijk regio's, dan zo gelijk mogelijk)."),
        gewicht: list[str] = typer.Option(None, "--gewicht",
                                          help="Gewicht aanpassen, bv. 'afstand=0,1'. Onderdelen: "
                                               "grensverkeer, afstand, verandering, regios, "
                                               "heterogeniteit. Herhaalbaar."),
        niveau: str = typer.Option(OPTIMIZE_LEVEL, "--niveau",
                                   help="Bouwstenen: gemeente (gemeenten blijven heel) of pc4."),
        methode: str = typer.Option("auto", "--methode",
                                    help="auto, heuristiek of exact (CP-SAT, alleen voor "
                                         "kleine problemen)."),
        tijd: float = typer.Option(None, "--tijd", min=1,
                                   help="Maximale rekentijd in seconden (standaard "
                                        f"{OPTIMIZE_TIME_LIMIT_S:g}; met --front de zoektijd "
                                        "van de hele front, standaard "
                                        f"{FRONT_TIME_PER_POINT_S:g} s per punt)."),
        front: bool = typer.Option(False, "--front",
                                   help="Bereken de Pareto-front: voor een reeks gewichten op "
                                        "verandering een geldige indeling, met grensverkeer en "
                                        "thuisnabijheid, naast de scenario's; --out krijgt de "
                                        "knik ('optimaal'), <out>.front.csv de hele front."),
        seed: int = typer.Option(OPTIMIZE_SEED, "--seed",
                                 help="Startwaarde (zelfde seed, zelfde uitkomst "
                                      "als de tijd niet op raakt)."),
    ) -> None:
        """Zoek de beste regio-indeling onder eigen randvoorwaarden.

        Elke regio is aaneengesloten en heeft minstens --min-leerlingen
        leerlingen; eilanden hangen via hun veerverbinding aan het vaste land.
        Het doel weegt grensverkeer (leerlingen die buiten hun regio naar
        school gaan), de afstand tot de dichtstbijzijnde voorziening binnen de
        eigen regio, verandering ten opzichte van nu en het aantal regio's.
        """
        from nabij.divisions.provision import parse_provisions
        from nabij.optimize import Regionalizer

        problems = []
        try:
            sector = parse_sector(sector).code
        except InputError as e:
            problems += e.problems
        if binnen is not None and binnen not in ("jeugdregio", "provincie"):
            problems.append(Problem(f"--binnen '{binnen}': kies jeugdregio of provincie"))
        if doel not in DOELEN:
            problems.append(Problem(f"--doel '{doel}': kies {', '.join(DOELEN)}"))
        try:
            niveau = parse_level(niveau)
        except InputError as e:
            problems += e.problems
        if methode not in METHODEN:
            problems.append(Problem(f"--methode '{methode}': kies {', '.join(METHODEN)}"))
        if problems:
            raise InputError("Ongeldige opties voor nabij optimize", problems)
        atlas = open_atlas(atlas_dir)
        if max_leerlingen is None:
            from nabij.divisions.scale import largest_status_quo

            max_leerlingen = largest_status_quo(atlas, sector)
        if front:
            _run_front(atlas, sector, min_leerlingen, max_leerlingen, tijd, seed,
                       parse_provisions(voorzieningen) if voorzieningen else None, out)
            return
        tijd = OPTIMIZE_TIME_LIMIT_S if tijd is None else tijd
        try:
            reg_kwargs: dict[str, Any] = dict(
                sector=sector, min_pupils=min_leerlingen, max_pupils=max_leerlingen,
                nest=binnen, covering=dekkend,
                provision_types=parse_provisions(voorzieningen) if voorzieningen else None,
                locked=_locked(vergrendeld), objective=doel, weights=_weights(gewicht),
                level=niveau, method=METHODEN[methode], time_limit=tijd, seed=seed,
            )
            Regionalizer(**reg_kwargs)
        except InputError as e:
            raise InputError("Ongeldige opties voor nabij optimize", e.problems) from e

        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]Optimaliseren[/]"),
            BarColumn(),
            TextColumn("{task.fields[beste]}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("optimaliseren", total=tijd, beste="")

            def report(seconds: float, best: float, info: dict) -> None:
                progress.update(task, completed=min(seconds, tijd),
                                beste=f"beste doelwaarde {best:.6g} · "
                                      f"{info.get('regios', '?')} regio's")

            result = Regionalizer(**reg_kwargs, callback=report).fit(atlas)
            progress.update(task, completed=tijd)

        if result.division is None:  # pragma: no cover - atlas graphs always have PC4 areas
            raise InputError("De atlas heeft geen postcodegebieden om in te delen")
        path = result.division.to_csv(out)
        _print_summary(result, sector)
        console.print(f"Indeling geschreven naar {path}")


def _run_front(atlas, sector: str, min_pupils: float, max_pupils: float, tijd: float | None,
               seed: int, provisions, out: Path) -> None:
    """``nabij optimize --front``: compute, print and write the front and its knee."""
    from nabij.fileio import atomic_write
    from nabij.optimize.front import knee_text, optimum_division, pareto_front

    per_point = FRONT_TIME_PER_POINT_S if tijd is None else tijd / len(FRONT_CHANGE_WEIGHTS)
    with steps("Pareto-front berekenen", len(FRONT_CHANGE_WEIGHTS) + 1) as step:
        f = pareto_front(atlas, sector, min_pupils, max_pupils, time_per_point=per_point,
                         seed=seed, provisions=provisions, progress=step)
    knee = optimum_division(f, f"Optimaal {sector}")
    path = knee.to_csv(out)
    table_path = atomic_write(path.with_suffix(".front.csv"), lambda t: f.table().to_csv(
        t, index=False, encoding="utf-8"))
    table = Table(title=f"Pareto-front {sector} (max. {_nl(max_pupils)} leerlingen, "
                        f"min. {_nl(min_pupils)})")
    for col in ("", "gewicht", "regio's", "verandering", "grensverkeer", "binnen 20 km"):
        table.add_column(col, justify="right")
    for i, p in enumerate(f.points):
        v = p.values
        table.add_row("knik" if i == f.knee else "", _nl(p.weight or 0, 3),
                      str(p.division.n_regions), _pct(v["verandering"]),
                      _pct(v["grensverkeer"]), _pct(v["thuisnabij"]))
    for s in f.seeds:
        v = s.values
        table.add_row(s.name, "", str(s.division.n_regions), _pct(v["verandering"]),
                      _pct(v["grensverkeer"]), _pct(v["thuisnabij"]))
    console.print(table)
    console.print(knee_text(f), highlight=False)
    for note in f.notes + [f"{x['naam']}: weggelaten, {x['reden']}" for x in f.left_out]:
        console.print(f"- {note}", highlight=False)
    console.print(f"Knik geschreven naar {path}, front naar {table_path} "
                  f"({_nl(f.seconds, 1)} s)")


def _pct(x: float) -> str:
    return _nl(100 * x, 1) + "%"


def _print_summary(result, sector: str) -> None:
    comp = result.components
    table = Table(title=f"Optimale indeling {sector}", show_header=False)
    table.add_column("onderdeel")
    table.add_column("waarde", justify="right")
    table.add_row("regio's", _nl(comp["regios"]))
    table.add_row("grensverkeer (leerlingen buiten eigen regio)", _nl(comp["grensverkeer"]))
    table.add_row("doelwaarde (lager is beter)", f"{result.objective:.6g}")
    table.add_row("status", "bewezen optimaal" if result.status == "optimaal"
                  else "heuristiek")
    table.add_row("rekentijd", f"{_nl(result.seconds, 1)} s")
    console.print(table)
    for note in result.report:
        console.print(f"- {note}", highlight=False)
