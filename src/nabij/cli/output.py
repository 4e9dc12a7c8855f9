"""Shared CLI pieces for commands that write: privacy options and the output folder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from nabij.io.atomic import atomic_write_text
from nabij.io.output import OutputRun, output_folder
from nabij.privacy import DEFAULT_THRESHOLD, NOT_FOR_PUBLICATION, check_threshold

DREMPEL = typer.Option(DEFAULT_THRESHOLD, "--drempel",
                       help=f"Privacydrempel: aantallen leerlingen hieronder worden getoond als "
                       f"'<drempel' (minstens {DEFAULT_THRESHOLD}; lager alleen met "
                       "--no-suppress).")
NO_SUPPRESS = typer.Option(False, "--no-suppress",
                           help="Kleine aantallen niet afschermen. Alleen voor intern gebruik: "
                           "alle uitvoer wordt gemarkeerd als 'niet voor publicatie'.")
if TYPE_CHECKING:
    from nabij.atlas import Atlas

MARK_FILE = "NIET-VOOR-PUBLICATIE.txt"


def privacy(drempel: int | None, no_suppress: bool) -> int:
    """The checked privacy threshold (exit 2 with a Dutch message when too low)."""
    return check_threshold(drempel, suppress=not no_suppress)


def open_atlas(atlas_dir: Path) -> Atlas:
    """A stored atlas for a command: every file's checksum is verified, the tables are not
    validated again (nabij validated them when it wrote the atlas; ``nabij atlas validate``
    checks them in full)."""
    from nabij.atlas import Atlas

    return Atlas.load(atlas_dir, validate=False)


def atlas_identity(atlas_dir: Path) -> str | None:
    """The checksum of a stored atlas (its identity in outputs that belong to it)."""
    from nabij.atlas.store import atlas_checksum

    return atlas_checksum(atlas_dir)


@contextmanager
def command_output(out: Path, kind: str, *, atlas_checksum: str | None = None,
                   no_suppress: bool = False) -> Iterator[OutputRun]:
    """:func:`nabij.io.output_folder` for a command; marks unsuppressed output."""
    with output_folder(out, kind, atlas_checksum=atlas_checksum,
                       not_for_publication=no_suppress) as run:
        if no_suppress:
            atomic_write_text(run.path / MARK_FILE, NOT_FOR_PUBLICATION + "\n")
        yield run
