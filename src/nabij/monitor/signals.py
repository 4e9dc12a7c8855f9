"""The thuiszitters rule: never a thuiszitters figure without the vrijstellingen beside it.

An indicator with companions (``toon_met`` in the catalogue: the thuiszitters indicators and
the vrijstellingen 5a/5b/5c) is always shown together with them, and a fall of the indicator
from one period to the next while the sum of its companions rises is a *warning*, not a
success: children may have moved from "thuiszitter" to "vrijgesteld". Both changes must exceed
``MONITOR_SIGNAL_MIN_CHANGE`` (relative).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.defaults import MONITOR_SIGNAL_MIN_CHANGE
from nabij.monitor.catalogue import Catalogue

WARNING_COLUMNS = ("regio", "indicator", "schooljaar", "halfjaar", "van", "naar",
                   "vrijstellingen_van", "vrijstellingen_naar", "melding")


def _ordered(part: pd.DataFrame) -> pd.DataFrame:
    return part.sort_values(["schooljaar", "halfjaar"])


def thuiszitter_warnings(series: pd.DataFrame, catalogue: Catalogue,
                         min_change: float = MONITOR_SIGNAL_MIN_CHANGE) -> pd.DataFrame:
    """Periods where an indicator with companions falls while its companions rise.

    ``series``: region (and national) rows with ``regio, indicator, schooljaar, halfjaar,
    waarde``. Companion values are summed per period (same denominator: rates add up).
    """
    recs = []
    for ind in catalogue:
        if not ind.toon_met:
            continue
        own = series[series["indicator"] == ind.id]
        comp = series[series["indicator"].isin(ind.toon_met)]
        if own.empty or comp.empty:
            continue
        csum = comp.groupby(["regio", "schooljaar", "halfjaar"])["waarde"].sum(min_count=len(
            ind.toon_met))
        for regio, part in own.groupby("regio"):
            part = _ordered(part)
            v = part["waarde"].astype(float).to_numpy()
            keys = list(zip(part["schooljaar"], part["halfjaar"], strict=True))
            c = np.array([csum.get((regio, y, h), np.nan) for y, h in keys], float)
            for k in range(1, len(v)):
                if not (np.isfinite(v[k - 1]) and np.isfinite(v[k]) and np.isfinite(c[k - 1])
                        and np.isfinite(c[k])) or v[k - 1] <= 0 or c[k - 1] <= 0:
                    continue
                fall = (v[k - 1] - v[k]) / v[k - 1]
                rise = (c[k] - c[k - 1]) / c[k - 1]
                if fall > min_change and rise > min_change:
                    recs.append((regio, ind.id, keys[k][0], keys[k][1], v[k - 1], v[k],
                                 c[k - 1], c[k],
                                 f"{ind.naam} daalt ({_pct(-fall)}) terwijl de vrijstellingen "
                                 f"stijgen ({_pct(rise)}): geen succes zonder nadere duiding."))
    return pd.DataFrame(recs, columns=list(WARNING_COLUMNS))


def _pct(x: float) -> str:
    return f"{x * 100:+.0f} %".replace(".", ",")


def check_shown_together(ids: list[str], catalogue: Catalogue) -> None:
    """Raise ValueError when a selection shows an indicator without its companions."""
    missing = [(i, c) for i in ids for c in catalogue[i].toon_met if c not in ids]
    if missing:
        i, c = missing[0]
        raise ValueError(f"{i} mag niet zonder {c} getoond worden")
