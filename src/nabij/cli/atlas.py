"""`nabij atlas …`: build, import, check and inspect an Atlas."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.table import Table

from nabij.atlas import Atlas
from nabij.cli.progress import console, steps
from nabij.errors import InputError, Problem, StoreError
from nabij.io import nl_int, nl_percent, output_folder, output_problems, provenance_label

app = typer.Typer(no_args_is_help=True, help="Atlas bouwen, importeren, controleren en bekijken.")

DEFAULT_DATA = Path(os.environ.get("NABIJ_DATA", "../shared/data"))
BUILD_STEPS = 7


def _save(atlas: Atlas, out: Path, step) -> None:
    step(f"opslaan in {out}")
    atlas.save(out)


@app.command("demo")
def demo(
    out: Path = typer.Option(Path("atlas-demo"), "--out", "-o", help="Map voor de atlas."),
    seed: int = typer.Option(2024, help="Startwaarde van het synthetische land (deterministisch)."),
    schaal: float = typer.Option(1.0, "--scale", "--schaal",
                                 help="Schaal: 1 = zo groot als Nederland, 10 = tien keer."),
) -> None:
    """Bouw de atlas van het synthetische land (geen bestanden of downloads nodig)."""
    from nabij.atlas import build_atlas
    from nabij.sources.synthetic import synthetic_country

    with steps("Synthetisch land", BUILD_STEPS) as step:
        step("land genereren")
        atlas = build_atlas(synthetic_country(seed=seed, scale=schaal), progress=step)
        _save(atlas, out, step)
    show_summary(atlas)
    console.print(f"Atlas opgeslagen in [bold]{out}[/]")


@app.command("import-nl")
def import_nl_cmd(
    data: Path = typer.Option(DEFAULT_DATA, "--data", help="Map met de open data (shared/data)."),
    out: Path = typer.Option(Path("atlas-nl"), "--out", "-o", help="Map voor de atlas."),
) -> None:
    """Bouw de atlas van het echte Nederland uit de open data in --data."""
    from nabij.atlas import build_atlas
    from nabij.sources.nl import import_nl

    if not data.is_dir():
        raise InputError(f"datamap {data} bestaat niet; geef de map met open data op met --data")
    with steps("Nederland importeren", BUILD_STEPS + 6) as step:
        atlas = build_atlas(import_nl(data, progress=step), progress=step)
        _save(atlas, out, step)
    show_summary(atlas)
    console.print(f"Atlas opgeslagen in [bold]{out}[/]")


@app.command("build")
def build_cmd(
    bron: Path = typer.Option(..., "--from", help="Map met eigen CSV-tabellen (zie README)."),
    out: Path = typer.Option(Path("atlas-eigen"), "--out", "-o", help="Map voor de atlas."),
) -> None:
    """Bouw een atlas uit een map met eigen CSV-bestanden (bijvoorbeeld uit Excel)."""
    from nabij.atlas import build_atlas
    from nabij.sources.folder import read_folder

    with steps("Eigen tabellen", BUILD_STEPS) as step:
        step(f"lezen uit {bron}")
        atlas = build_atlas(read_folder(bron), progress=step)
        _save(atlas, out, step)
    show_summary(atlas)
    console.print(f"Atlas opgeslagen in [bold]{out}[/]")


@app.command("export")
def export_cmd(
    atlas_dir: Path = typer.Argument(..., help="Map van een opgeslagen atlas."),
    out: Path = typer.Option(..., "--out", "-o", help="Map voor de CSV-bestanden."),
) -> None:
    """Schrijf een atlas als map met CSV-bestanden (bewerkbaar in Excel; invoer voor build)."""
    from nabij.atlas.store import atlas_checksum
    from nabij.sources.folder import write_folder

    atlas = Atlas.load(atlas_dir)
    with output_folder(out, kind="atlas-export",
                       atlas_checksum=atlas_checksum(atlas_dir)) as run:
        write_folder(dict(atlas.tables), run.path, geometry=atlas.geometry,
                     meta=atlas.meta.to_dict())
    console.print(f"CSV-bestanden geschreven naar [bold]{out}[/]")


@app.command("info")
def info(atlas_dir: Path = typer.Argument(..., help="Map van een opgeslagen atlas.")) -> None:
    """Toon een samenvatting: aantallen, leerlingen, deelname, herkomst en opvulregels."""
    show_summary(Atlas.load(atlas_dir))


@app.command("validate")
def validate(atlas_dir: Path = typer.Argument(..., help="Map van een opgeslagen atlas.")) -> None:
    """Controleer een opgeslagen atlas (controlegetallen, schema, verwijzingen)."""
    atlas = Atlas.load(atlas_dir, validate=True)
    problems = output_problems(atlas_dir)
    if problems:
        raise StoreError(f"atlasmap {atlas_dir} is gewijzigd na het opslaan",
                         [Problem(p) for p in problems])
    console.print(f"[green]Atlas {atlas_dir} is geldig[/] ({atlas.meta.name}, "
                  f"referentiejaar {atlas.meta.reference_year}).")


def show_summary(atlas: Atlas) -> None:
    """Print the Dutch summary table of an Atlas."""
    s = atlas.summary()
    t = Table(title=f"Atlas: {s['naam']} (referentiejaar {s['referentiejaar']})")
    t.add_column("Onderdeel")
    t.add_column("Waarde", justify="right")
    labels = {
        "gemeenten": "Gemeenten", "pc4": "Postcodegebieden (PC4)", "jeugdregios": "Jeugdregio's",
        "swv_po": "Samenwerkingsverbanden PO", "swv_vo": "Samenwerkingsverbanden VO",
        "scholen": "Schoolvestigingen", "besturen": "Schoolbesturen",
        "stromen": "Leerlingstromen (woonpostcode × school)",
    }
    for k, v in s["aantallen"].items():
        t.add_row(labels.get(k, k.replace("vestigingen_", "Vestigingen ")), nl_int(v))
    for k, v in s["leerlingen"].items():
        t.add_row(f"Leerlingen {k}", nl_int(v))
    for k, v in s["deelname"].items():
        t.add_row(f"Deelname {k}", nl_percent(v, 2))
    for k, v in s["gesplitste_gemeenten"].items():
        t.add_row(f"Gemeenten verdeeld over >1 SWV {k}", str(v))
    console.print(t)
    h = Table(title="Herkomst van de tabellen")
    h.add_column("Tabel")
    h.add_column("Herkomst")
    h.add_column("Bron")
    for name, status in s["herkomst"].items():
        src = atlas.meta.provenance.get(name, {}).get("source", "")
        h.add_row(name, provenance_label(status), str(src))
    console.print(h)
    if s["notities"]:
        console.print("[bold]Opvulregels en kanttekeningen:[/]")
        for n in s["notities"]:
            console.print(f"  • {n}", highlight=False)
