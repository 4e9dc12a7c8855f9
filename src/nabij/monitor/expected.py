"""Expected versus observed: what a region's context predicts, the residual and a flag.

For each indicator, in its latest period with values, the regions' values are regressed by
ordinary least squares on their context (CBS, from the atlas: urbanity, share of one-parent
households, share of benefit recipients — the child-weighted mean over the region's PC4 areas),
exactly as the ``verschillen`` measure does (:func:`nabij.measures.verschillen.fit_context`).
A region whose residual lies more than ``MONITOR_UNEXPLAINED_Z`` standard deviations of the
residuals from the expected value is flagged "onverklaard verschil" — a reason to look for the
story behind the figures together, not a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.defaults import MONITOR_UNEXPLAINED_Z
from nabij.divisions import Division
from nabij.measures.context import CONTEXT_COLUMNS
from nabij.measures.verschillen import CONTEXT_LABEL, fit_context

HIGHER, LOWER = "hoger dan verwacht", "lager dan verwacht"


@dataclass(frozen=True)
class ContextModel:
    """The fitted model of one indicator: period, covariates, fit and number of regions."""

    indicator: str
    schooljaar: int
    halfjaar: int
    covariates: tuple[str, ...]
    r2: float | None
    n: int
    threshold: float

    def describe(self) -> str:
        """Dutch one-liner: the model and its fit."""
        terms = " + ".join(f"b{k + 1} x {CONTEXT_LABEL.get(c, c).split(' (')[0].lower()}"
                           for k, c in enumerate(self.covariates))
        r2 = "onbekend" if self.r2 is None else f"{self.r2:.2f}".replace(".", ",")
        return (f"verwacht = b0{' + ' + terms if terms else ''} (kleinste kwadraten over {self.n} "
                f"regio's); R² = {r2}; 'onverklaard verschil' bij meer dan "
                f"{f'{self.threshold:g}'.replace('.', ',')} standaarddeviaties van de residuen.")


def region_context(atlas: Atlas, division: Division) -> pd.DataFrame:
    """Child-weighted mean context per region (index: region code)."""
    pc4 = atlas.pc4
    kids = pc4["kinderen_po"].fillna(0).to_numpy(float) + pc4["kinderen_vo"].fillna(0).to_numpy(
        float)
    regio = division.assignment.reindex(pc4["pc4"].astype(str)).to_numpy(object)
    out = {}
    for c in CONTEXT_COLUMNS:
        if c not in pc4.columns:
            continue
        v = pd.to_numeric(pc4[c], errors="coerce").to_numpy(float)
        ok = np.isfinite(v)
        df = pd.DataFrame({"r": regio[ok], "wv": (v * kids)[ok], "w": kids[ok]})
        g = df.groupby("r")[["wv", "w"]].sum()
        out[c] = g["wv"] / g["w"].where(g["w"] > 0)
    return pd.DataFrame(out)


def expected_values(series: pd.DataFrame, context: pd.DataFrame,
                    threshold: float = MONITOR_UNEXPLAINED_Z
                    ) -> tuple[pd.DataFrame, list[ContextModel]]:
    """Per indicator (latest period with values): verwacht, residu, z, onverklaard per region.

    ``series`` holds the region rows (not the national ones).
    """
    rows, models = [], []
    for ind, part in series.groupby("indicator"):
        part = part[np.isfinite(part["waarde"].astype(float))]
        if part.empty:
            continue
        last = part.sort_values(["schooljaar", "halfjaar"]).iloc[-1]
        cur = part[(part["schooljaar"] == last["schooljaar"])
                   & (part["halfjaar"] == last["halfjaar"])]
        ctx = context.reindex(cur["regio"])
        y = cur["waarde"].astype(float).to_numpy()
        x = ctx.to_numpy(float) if len(ctx.columns) else np.zeros((len(cur), 0))
        exp, z, r2 = fit_context(y, x, threshold)
        used = tuple(c for c in ctx.columns if np.isfinite(ctx[c]).any())
        n = int(np.isfinite(exp).sum())
        if n and np.allclose(exp[np.isfinite(exp)], np.nanmean(y)):
            used = ()
        models.append(ContextModel(str(ind), int(last["schooljaar"]), int(last["halfjaar"]),
                                   used, r2, n, threshold))
        flag = np.where(z > threshold, HIGHER, np.where(z < -threshold, LOWER, ""))
        rows.append(pd.DataFrame({
            "regio": cur["regio"].to_numpy(), "indicator": ind,
            "schooljaar": int(last["schooljaar"]), "halfjaar": int(last["halfjaar"]),
            "verwacht": exp, "residu": y - exp, "z": z, "onverklaard": flag}))
    cols = ["regio", "indicator", "schooljaar", "halfjaar", "verwacht", "residu", "z",
            "onverklaard"]
    return (pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)), models
