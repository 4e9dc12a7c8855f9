"""Locating and reading the open-data files of the Netherlands import (``--data`` folder).

Every reader of :mod:`nabij.sources.nl` goes through these helpers, so that a missing file or
a file without the expected columns becomes an :class:`~nabij.errors.InputError` that names
the file (relative to the data folder) and the column, in Dutch.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nabij.errors import InputError, Problem


def require_dir(data_dir: Path) -> Path:
    """The data folder itself; an InputError when it does not exist."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(
            f"Datamap '{data_dir}' niet gevonden",
            [Problem("geef met --data de map met de open-databestanden op (zie SOURCES.md)",
                     str(data_dir))],
        )
    return data_dir


def require_file(data_dir: Path, rel: str) -> Path:
    """Path of ``rel`` inside the data folder; an InputError when the file is missing."""
    path = Path(data_dir) / rel
    if not path.is_file():
        raise InputError(
            f"Bronbestand ontbreekt in de datamap '{data_dir}'",
            [Problem("bestand niet gevonden", rel)],
        )
    return path


def read_csv(
    data_dir: Path, rel: str, columns: list[str], **kwargs: object
) -> pd.DataFrame:
    """Read a CSV from the data folder and check that ``columns`` are present.

    Extra keyword arguments go to :func:`pandas.read_csv` (``sep``, ``dtype``, ...).
    """
    path = require_file(data_dir, rel)
    try:
        df = pd.read_csv(path, **kwargs)  # type: ignore[arg-type]
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(
            "Bronbestand kan niet gelezen worden", [Problem(f"leesfout: {exc}", rel)]
        ) from exc
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            "Bronbestand heeft niet de verwachte kolommen",
            [Problem(f"kolom ontbreekt (gevonden: {', '.join(df.columns)})", rel, 1, c)
             for c in missing],
        )
    return df


def bad_file(rel: str, message: str) -> InputError:
    """An InputError for a source file whose content is not as documented."""
    return InputError("Bronbestand heeft een onverwachte inhoud", [Problem(message, rel)])
