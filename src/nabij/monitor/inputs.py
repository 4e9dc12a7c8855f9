"""Choosing the monitor's inputs: which history, which register, which division."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions import Division
from nabij.errors import InputError, Problem
from nabij.monitor.catalogue import Catalogue
from nabij.monitor.history import PupilHistory, read_cbs_history
from nabij.monitor.register import read_register, read_register_frame
from nabij.monitor.synthetic import synthetic_history, synthetic_register


def is_synthetic(atlas: Atlas) -> bool:
    """True for an atlas of nabij's synthetic country."""
    return atlas.meta.name.lower().startswith("synthetisch")


def history_for(atlas: Atlas, data: str | Path | None, seed: int = 2024) -> PupilHistory:
    """The CBS series from ``data``; the synthetic history for a synthetic atlas."""
    if data is not None:
        return read_cbs_history(data, atlas.gemeenten)
    if is_synthetic(atlas):
        return synthetic_history(atlas, seed)
    raise InputError("De monitor heeft de CBS-reeks nodig",
                     [Problem("geef met --data de map met de open data op (zie SOURCES.md, "
                              "cbs_speciaal_onderwijs_gemeente)")])


def register_for(atlas: Atlas, path: str | Path | None, catalogue: Catalogue,
                 seed: int = 2024) -> tuple[pd.DataFrame | None, bool]:
    """Register observations and whether they are synthetic (None without a file on a real
    atlas: the thuiszitters indicators then have no figures)."""
    if path is not None:
        return read_register(path, atlas, catalogue), False
    if is_synthetic(atlas):
        return read_register_frame(synthetic_register(atlas, seed), atlas, catalogue,
                                   "synthetisch register"), True
    return None, False


def division_for(atlas: Atlas, indeling: str | Path | None, sector: str) -> Division:
    """The status-quo division of ``sector``, or the one of that sector in a custom CSV."""
    from nabij.divisions import read_custom, status_quo

    if indeling is None:
        return status_quo(atlas, sector)
    divisions = read_custom(Path(indeling), atlas, sector)
    match = [d for d in divisions if d.sector == sector] or divisions
    return match[0]
