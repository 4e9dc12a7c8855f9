"""`nabij report`: the Dutch HTML report (with rapport.xlsx and indelingen.geojson beside it)."""

from __future__ import annotations

from pathlib import Path

import typer

from nabij.cli.progress import console, steps
from nabij.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the top-level command ``nabij report``."""

    @app.command("report")
    def report_cmd(
        atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
        measures_dir: Path = typer.Option(
            ..., "--measures", help="Map met maatstaven van 'nabij scenario compare'."),
        out: Path = typer.Option(Path("rapport.html"), "--out", "-o",
                                 help="HTML-bestand voor het rapport."),
        drempel: int = typer.Option(None, "--drempel", min=1,
                                    help="Aantallen leerlingen onder deze drempel tonen als "
                                         "'<drempel>' (standaard: die van de maatstaven, 10)."),
        geen_exports: bool = typer.Option(False, "--geen-exports",
                                          help="Alleen het HTML-bestand, geen XLSX/GeoJSON."),
    ) -> None:
        """Maak het rapport: één HTML-bestand dat offline werkt, met kaarten, grafieken en
        tabellen in het Nederlands, plus rapport.xlsx en indelingen.geojson ernaast."""
        from nabij.atlas import Atlas
        from nabij.atlas.store import read_manifest
        from nabij.report import load_measures, write_all

        if out.suffix.lower() not in (".html", ".htm"):
            raise InputError(f"--out {out}: geef een bestandsnaam die eindigt op .html")
        with steps("Rapport maken", 3) as step:
            step("atlas laden")
            atlas = Atlas.load(atlas_dir)
            manifest = read_manifest(atlas_dir)
            step("maatstaven lezen")
            measures = load_measures(measures_dir)
            step("rapport schrijven")
            written = write_all(atlas, measures, out, drempel, manifest,
                                exports=not geen_exports)
        for kind, path in written.items():
            console.print(f"{kind.upper():8} {path}")
        console.print(f"Open het rapport in een browser: [bold]{out.resolve()}[/]")
