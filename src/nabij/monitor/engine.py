"""One monitor run: observations -> series of a division and the nation -> targets, expected
values, warnings and notes; and the published (suppressed) table every output is made from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions import Division
from nabij.monitor import observations
from nabij.monitor.catalogue import Catalogue, load_catalogue
from nabij.monitor.expected import ContextModel, expected_values, region_context
from nabij.monitor.history import PupilHistory
from nabij.monitor.series import NATIONAL, NATIONAL_NAME, aggregate, national, period_label
from nabij.monitor.signals import thuiszitter_warnings
from nabij.monitor.targets import Target, TargetSpec, apply_targets, resolve
from nabij.privacy import DEFAULT_THRESHOLD, publish, suppress_label

RESULT_COLUMNS = ("regio", "regio_naam", "indicator", "schooljaar", "halfjaar", "periode",
                  "teller", "noemer", "waarde", "status", "doelpad", "doelstatus", "verwacht",
                  "residu", "onverklaard")


@dataclass
class MonitorResult:
    """Everything the report, the exports and (later) the web views show."""

    atlas_name: str
    reference_year: int
    catalogue: Catalogue
    division: Division
    indicators: list[str]
    series: pd.DataFrame
    targets: list[Target] = field(default_factory=list)
    models: list[ContextModel] = field(default_factory=list)
    warnings: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: list[str] = field(default_factory=list)
    history_modelled: bool = False
    register_modelled: bool = False

    @property
    def regions(self) -> list[str]:
        return self.division.regions

    def region_name(self, code: str) -> str:
        return NATIONAL_NAME if code == NATIONAL else self.division.region_name(code)


def run_monitor(atlas: Atlas, division: Division, history: PupilHistory | None = None,
                register: pd.DataFrame | None = None, targets: list[TargetSpec] | None = None,
                notes: pd.DataFrame | None = None, catalogue: Catalogue | None = None,
                indicators: list[str] | None = None, modelled: bool = True,
                register_modelled: bool = False) -> MonitorResult:
    """The monitor of ``division`` (any Division) on ``atlas``.

    ``history``: pupils by gemeente (CBS or synthetic); ``register``: observations from the
    register file; ``targets``: rows of the targets file; ``indicators``: ids to show (default:
    those of the division's sectors; companions are always added); ``modelled``: include the
    indicators from nabij's own measures and transport model.
    """
    cat = catalogue or load_catalogue()
    ids = indicators or cat.for_sectors(division.sectors)
    ids = cat.with_companions(ids)
    parts = []
    if history is not None:
        parts.append(observations.deelname(history, cat))
    if register is not None and len(register):
        parts.append(register)
    if modelled:
        parts.append(observations.modelled(atlas, division, cat, ids))
    obs = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else observations.empty_observations()
    obs = obs[obs["indicator"].isin(ids)]
    reg = aggregate(obs, atlas, division, cat)
    nat = national(obs, cat)
    both = pd.concat([reg, nat], ignore_index=True)
    tg = resolve(targets or [], both, division.regions, catalogue=cat)
    reg = apply_targets(reg, tg)
    exp, models = expected_values(reg, region_context(atlas, division))
    reg = reg.merge(exp.drop(columns=["z"]), on=["regio", "indicator", "schooljaar", "halfjaar"],
                    how="left")
    series = pd.concat([reg, nat], ignore_index=True)
    series["regio_naam"] = [NATIONAL_NAME if r == NATIONAL else division.region_name(r)
                            for r in series["regio"]]
    series["periode"] = [period_label(int(y), int(h)) for y, h in
                         zip(series["schooljaar"], series["halfjaar"], strict=True)]
    for c in RESULT_COLUMNS:
        if c not in series:
            series[c] = None
    present = [i for i in ids if (series["indicator"] == i).any()]
    sources = list(history.notes) if history is not None else []
    return MonitorResult(
        atlas.meta.name, int(atlas.meta.reference_year), cat, division,
        cat.with_companions(present) if present else [], series[list(RESULT_COLUMNS)],
        tg, models, thuiszitter_warnings(series, cat),
        notes if notes is not None else pd.DataFrame(), sources,
        bool(history.modelled) if history is not None else False, register_modelled)


def published(result: MonitorResult, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The series as they may be published: counts below ``threshold`` hidden, with
    complementary suppression over the regions of each indicator and period (whose total, the
    national row, is published) and over the half years of a region's school year (a whole-year
    figure would be their total); a hidden count hides the value, expected value and residual
    it would reveal. Counts of modelled (non-count) indicators are not published at all."""
    s = result.series.copy()
    counted = s["indicator"].map(lambda i: result.catalogue[i].is_count_based).astype(bool)
    label = suppress_label(threshold)
    out = []
    regional = s[counted & (s["regio"] != NATIONAL)]
    if len(regional):
        p = publish(regional, ["teller", "noemer"], threshold,
                    totals=[("indicator", "schooljaar", "halfjaar"),
                            ("regio", "indicator", "schooljaar")])
        out.append(_hide_revealing(p, label))
    nat = s[counted & (s["regio"] == NATIONAL)]
    if len(nat):
        out.append(_hide_revealing(publish(nat, ["teller", "noemer"], threshold, totals=None),
                                   label))
    other = s[~counted].copy()
    other["teller"] = None
    other["noemer"] = None
    out.append(other)
    res = pd.concat([o for o in out if len(o)], ignore_index=True)
    order = {r: k for k, r in enumerate([*result.regions, NATIONAL])}
    res = res.assign(_o=res["regio"].map(order)).sort_values(
        ["_o", "indicator", "schooljaar", "halfjaar"]).drop(columns="_o")
    return res.reset_index(drop=True)


def _hide_revealing(p: pd.DataFrame, label: str) -> pd.DataFrame:
    hidden = (p["teller"] == label) | (p["noemer"] == label)
    p = p.copy()
    for c in ("waarde", "verwacht", "residu", "doelstatus", "onverklaard"):
        p[c] = p[c].astype(object).where(~hidden, None)
    return p


def is_hidden(value: object) -> bool:
    """True for a published cell that was suppressed ("<10")."""
    return isinstance(value, str) and value.startswith("<")


__all__ = ["MonitorResult", "published", "run_monitor", "is_hidden", "np"]
