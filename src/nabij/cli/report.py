"""`nabij report`: the Dutch HTML report (with rapport.xlsx and indelingen.geojson beside it)."""

from __future__ import annotations

from pathlib import Path

import typer

from nabij.cli.output import command_output, open_atlas, privacy
from nabij.cli.progress import console, steps
from nabij.errors import InputError, Problem
from nabij.io.atomic import files_together


def register(app: typer.Typer) -> None:
    """Add the top-level command ``nabij report``."""

    @app.command("report")
    def report_cmd(
        atlas_dir: Path = typer.Option(..., "--atlas", help="Map van een opgeslagen atlas."),
        measures_dir: Path = typer.Option(
            ..., "--measures", help="Map met maatstaven van 'nabij scenario compare'."),
        out: Path = typer.Option(Path("rapport"), "--out", "-o",
                                 help="Map voor het rapport (rapport.html, rapport.xlsx, "
                                 "indelingen.geojson), of een HTML-bestandsnaam: dan komen de "
                                 "exports ernaast."),
        drempel: int = typer.Option(None, "--drempel", min=1,
                                    help="Aantallen leerlingen onder deze drempel tonen als "
                                         "'<drempel>' (standaard: die van de maatstaven, 10)."),
        geen_exports: bool = typer.Option(False, "--geen-exports",
                                          help="Alleen het HTML-bestand, geen XLSX/GeoJSON."),
    ) -> None:
        """Maak het rapport: één HTML-bestand dat offline werkt, met kaarten, grafieken en
        tabellen in het Nederlands, plus rapport.xlsx en indelingen.geojson ernaast."""
        from nabij.atlas.store import read_manifest
        from nabij.report import load_measures, write_all

        with steps("Rapport maken", 3) as step:
            step("atlas laden")
            atlas = open_atlas(atlas_dir)
            manifest = read_manifest(atlas_dir)
            step("maatstaven lezen")
            measures = load_measures(measures_dir)
            check_belongs_together(measures, manifest, measures_dir, atlas_dir)
            thr = privacy(drempel if drempel is not None else measures.drempel, False)
            step("rapport schrijven")
            if out.suffix.lower() in (".html", ".htm"):
                # all files are made first, then moved in place together
                with files_together(out.parent) as folder:
                    made = write_all(atlas, measures, folder / out.name, thr, manifest,
                                     exports=not geen_exports)
                written = {k: out.parent / p.name for k, p in made.items()}
                shown = out
            else:
                with command_output(out, "rapport",
                                    atlas_checksum=manifest.get("checksum")) as run:
                    tmp = write_all(atlas, measures, run.path / "rapport.html", thr, manifest,
                                    exports=not geen_exports)
                written = {k: out / p.name for k, p in tmp.items()}
                shown = out / "rapport.html"
        for kind, path in written.items():
            console.print(f"{kind.upper():8} {path}")
        console.print(f"Open het rapport in een browser: [bold]{shown.resolve()}[/]")


def check_belongs_together(measures, manifest: dict, measures_dir: Path,
                           atlas_dir: Path) -> None:
    """Refuse measures of another atlas, and a measures folder that is incomplete or edited."""
    from nabij.io.output import MANIFEST, output_problems

    want = measures.stamp.get("atlas_checksum")
    if want and want != manifest.get("checksum"):
        raise InputError(f"de maatstaven in {measures_dir} horen bij een andere atlas dan "
                         f"{atlas_dir}; maak ze opnieuw met 'nabij scenario compare --atlas "
                         f"{atlas_dir}'")
    if (Path(measures_dir) / MANIFEST).exists():
        problems = output_problems(measures_dir)
        if problems:
            raise InputError(f"de maatstaven in {measures_dir} zijn onvolledig of gewijzigd "
                             "(bestanden van verschillende runs?); maak ze opnieuw",
                             [Problem(p) for p in problems])
