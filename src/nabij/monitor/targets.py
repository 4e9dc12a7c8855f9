"""Targets per region and indicator: baseline, target value or rule, target year, trajectory,
and the status per period (op koers / achter / ver achter).

Layout of the targets CSV (``docs/monitor-doelen.md``), one target per row:

``regio``        region code of the division (``PO 27-07``), ``*`` for every region
``indicator``    an id from the catalogue
``basisjaar``    school year of the baseline (``2023/'24`` or ``2023``)
``basiswaarde``  optional; empty: the region's observed value in the baseline year
``doelwaarde``   the value to reach; empty when ``regel`` is given
``regel``        optional: ``landelijk_gemiddelde`` ("terug naar het landelijk gemiddelde"): the
                 national value in the baseline year (a region already on the better side of
                 it keeps its own baseline value as target)
``doeljaar``     school year by which the target value should be reached
``traject``      ``recht`` (straight line, default) or ``trapsgewijs`` (stepped)
``stappen``      optional, for ``trapsgewijs``: number of equal steps (default: one per year)

Status of a period (thresholds in :mod:`nabij.defaults`): the gap between observed value and
path, in the direction of the target, as a share of the planned change |target - baseline|:
at most ``MONITOR_ON_TRACK`` behind is *op koers*, up to ``MONITOR_FAR_BEHIND`` *achter*, more
*ver achter*. Ahead of the path is *op koers*. For a target that keeps a value level, the
scale is ``MONITOR_FLAT_TARGET_SCALE`` x the baseline and a deviation either way counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from nabij.defaults import MONITOR_FAR_BEHIND, MONITOR_FLAT_TARGET_SCALE, MONITOR_ON_TRACK
from nabij.errors import InputError, Problem
from nabij.monitor.catalogue import Catalogue

COLUMNS = ("regio", "indicator", "basisjaar", "doeljaar")
OPTIONAL = ("basiswaarde", "doelwaarde", "regel", "traject", "stappen")
RULES = ("landelijk_gemiddelde",)
TRAJECTORIES = ("recht", "trapsgewijs")
ON_TRACK, BEHIND, FAR_BEHIND = "op koers", "achter", "ver achter"
ALL_REGIONS = "*"


@dataclass(frozen=True)
class TargetSpec:
    """One row of the targets file (before baseline values are looked up)."""

    regio: str
    indicator: str
    basisjaar: int
    doeljaar: int
    basiswaarde: float | None = None
    doelwaarde: float | None = None
    regel: str | None = None
    traject: str = "recht"
    stappen: int | None = None
    row: int | None = None


@dataclass(frozen=True)
class Target:
    """A resolved target of one region: numbers for baseline and target."""

    regio: str
    indicator: str
    basisjaar: int
    basiswaarde: float
    doeljaar: int
    doelwaarde: float
    traject: str = "recht"
    stappen: int | None = None
    regel: str | None = None

    def path(self, t: float | np.ndarray) -> np.ndarray:
        """Target path at time ``t`` (school year; half years as .5)."""
        t = np.asarray(t, float)
        span = max(self.doeljaar - self.basisjaar, 1e-9)
        frac = np.clip((t - self.basisjaar) / span, 0.0, 1.0)
        if self.traject == "trapsgewijs":
            n = self.stappen or max(self.doeljaar - self.basisjaar, 1)
            frac = np.floor(frac * n + 1e-9) / n
        return self.basiswaarde + (self.doelwaarde - self.basiswaarde) * frac

    def status(self, t: float, observed: float) -> str | None:
        """op koers / achter / ver achter, or None before the baseline or without a value."""
        if observed is None or not math.isfinite(observed) or t < self.basisjaar:
            return None
        return classify(observed, float(self.path(t)), self.basiswaarde, self.doelwaarde)


def classify(observed: float, path: float, base: float, target: float,
             on_track: float = MONITOR_ON_TRACK, far: float = MONITOR_FAR_BEHIND) -> str:
    """Status from the gap to the path relative to the planned change (see module doc)."""
    planned = abs(target - base)
    if planned > 0:
        gap = (observed - path) * (1.0 if target < base else -1.0)
    else:
        planned = max(abs(base) * MONITOR_FLAT_TARGET_SCALE, 1e-12)
        gap = abs(observed - path)
    rel = gap / planned
    if rel <= on_track:
        return ON_TRACK
    return BEHIND if rel <= far else FAR_BEHIND


def _year(text: str) -> int | None:
    m = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*'?(\d{2}|\d{4}))?\*?", text.strip())
    return int(m.group(1)) if m else None


def _number(text: str) -> float | None:
    t = text.strip().replace(" ", "")
    if not t:
        return None
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    return float(t)


def read_targets_frame(df: pd.DataFrame, catalogue: Catalogue, file: str = "doelen.csv"
                       ) -> list[TargetSpec]:
    """Target rows from a table of text cells; InputError naming file, row and column."""
    df = df.rename(columns=lambda c: str(c).strip().lower().lstrip("\ufeff"))
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"Doelenbestand {file} mist kolommen",
                         [Problem(f"kolom '{c}' ontbreekt", file, 1, c) for c in missing])
    problems: list[Problem] = []
    out = []
    for k, row in enumerate(df.fillna("").astype(str).itertuples(index=False), start=2):
        r = {c: v.strip() for c, v in zip(df.columns, row, strict=True)}
        spec = _spec(r, k, file, catalogue, problems)
        if spec is not None:
            out.append(spec)
    if problems:
        raise InputError(f"Doelenbestand {file} is ongeldig", problems)
    return out


def _spec(r: dict, k: int, file: str, catalogue: Catalogue, problems: list[Problem]
          ) -> TargetSpec | None:
    n0 = len(problems)
    if not r["regio"]:
        problems.append(Problem("leeg; geef een regiocode of *", file, k, "regio"))
    if r["indicator"] not in catalogue:
        problems.append(Problem(f"onbekende indicator '{r['indicator']}'", file, k,
                                "indicator"))
    years = {}
    for c in ("basisjaar", "doeljaar"):
        years[c] = _year(r[c])
        if years[c] is None:
            problems.append(Problem(f"'{r[c]}' is geen schooljaar (zoals 2023/'24)", file, k, c))
    nums = {}
    for c in ("basiswaarde", "doelwaarde"):
        try:
            nums[c] = _number(r.get(c, ""))
        except ValueError:
            problems.append(Problem(f"'{r.get(c)}' is geen getal", file, k, c))
    regel = r.get("regel", "") or None
    if regel is not None and regel not in RULES:
        problems.append(Problem(f"onbekende regel '{regel}'; kies {', '.join(RULES)}", file,
                                k, "regel"))
    if nums.get("doelwaarde") is None and regel is None and len(problems) == n0:
        problems.append(Problem("geef een doelwaarde of een regel", file, k, "doelwaarde"))
    traject = r.get("traject", "") or "recht"
    if traject not in TRAJECTORIES:
        problems.append(Problem(f"'{traject}': kies recht of trapsgewijs", file, k, "traject"))
    stappen = r.get("stappen", "")
    if stappen and not (stappen.isdigit() and int(stappen) > 0):
        problems.append(Problem(f"'{stappen}' is geen positief geheel getal", file, k,
                                "stappen"))
    base_year, target_year = years.get("basisjaar"), years.get("doeljaar")
    if base_year and target_year and target_year <= base_year:
        problems.append(Problem("doeljaar moet na het basisjaar liggen", file, k, "doeljaar"))
    if len(problems) > n0:
        return None
    return TargetSpec(r["regio"], r["indicator"], cast(int, base_year), cast(int, target_year),
                      nums.get("basiswaarde"), nums.get("doelwaarde"), regel, traject,
                      int(stappen) if stappen else None, k)


def read_targets(path: str | Path, catalogue: Catalogue) -> list[TargetSpec]:
    """Targets from a CSV file (comma or semicolon)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Doelenbestand {path} bestaat niet")
    try:
        df = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig",
                         keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"Doelenbestand {path.name} kan niet gelezen worden",
                         [Problem(str(e), path.name)]) from e
    return read_targets_frame(df, catalogue, path.name)


def resolve(specs: list[TargetSpec], series: pd.DataFrame, regions: list[str],
            file: str = "doelen.csv", catalogue: Catalogue | None = None) -> list[Target]:
    """Targets per region with baseline and target values filled in from the series.

    ``series`` holds region rows and the national rows (``regio`` "NL"), whole school years
    or half years (a baseline year's value is its whole-year value, else its last half).
    A later row for the same region and indicator replaces an earlier one (``*`` first, then
    a region's own row wins). With the rule ``landelijk_gemiddelde`` and a ``catalogue`` that
    gives the indicator a direction, a region already on the better side of the national
    value keeps its own baseline as target (it need not get worse). InputError when a value
    cannot be found.
    """
    value = _values(series)
    problems: list[Problem] = []
    out: dict[tuple[str, str], Target] = {}
    ordered = sorted(specs, key=lambda s: (s.regio != ALL_REGIONS, s.row or 0))
    for s in ordered:
        targets = regions if s.regio == ALL_REGIONS else [s.regio]
        if s.regio != ALL_REGIONS and s.regio not in regions:
            problems.append(Problem(f"regio '{s.regio}' zit niet in deze indeling", file, s.row,
                                    "regio"))
            continue
        for reg in targets:
            base = s.basiswaarde if s.basiswaarde is not None else \
                value.get((reg, s.indicator, s.basisjaar))
            goal = s.doelwaarde if s.regel is None else \
                value.get(("NL", s.indicator, s.basisjaar))
            if s.regel is not None and base is not None and goal is not None:
                goal = _no_worse(goal, base, catalogue, s.indicator)
            if base is None or goal is None:
                if s.regio != ALL_REGIONS:
                    problems.append(Problem(
                        f"geen waarde van {s.indicator} in {s.basisjaar} voor "
                        f"{'Nederland' if base is not None else reg}", file, s.row, "basisjaar"))
                continue
            out[(reg, s.indicator)] = Target(reg, s.indicator, s.basisjaar, float(base),
                                             s.doeljaar, float(goal), s.traject, s.stappen,
                                             s.regel)
    if problems:
        raise InputError(f"Doelenbestand {file} past niet bij de reeksen", problems)
    return list(out.values())


def _no_worse(goal: float, base: float, catalogue: Catalogue | None, indicator: str) -> float:
    lower = catalogue[indicator].better_lower if catalogue and indicator in catalogue else None
    if lower is True:
        return min(goal, base)
    if lower is False:
        return max(goal, base)
    return goal


def _values(series: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    """(regio, indicator, schooljaar) -> value (whole year, else the last half year)."""
    s = series[np.isfinite(series["waarde"].astype(float))]
    s = s.sort_values(["regio", "indicator", "schooljaar", "halfjaar"])
    s = s.assign(order=np.where(s["halfjaar"] == 0, 9, s["halfjaar"]))
    s = s.sort_values("order").drop_duplicates(["regio", "indicator", "schooljaar"], keep="last")
    return {(r, i, int(y)): float(v) for r, i, y, v in
            zip(s["regio"], s["indicator"], s["schooljaar"], s["waarde"], strict=True)}


def target_time(year: object, half: object) -> np.ndarray:
    """Time of a period on the target axis: school year, +0.5 for the second half."""
    return np.asarray(year, float) + np.where(np.asarray(half) == 2, 0.5, 0.0)


def apply_targets(series: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """Series with ``doelpad`` (path value) and ``doelstatus`` per region row."""
    out = series.copy()
    out["doelpad"] = np.nan
    out["doelstatus"] = None
    if not targets:
        return out
    by = {(t.regio, t.indicator): t for t in targets}
    key = list(zip(out["regio"], out["indicator"], strict=True))
    t_all = target_time(out["schooljaar"], out["halfjaar"])
    paths = np.full(len(out), np.nan)
    status: list[str | None] = [None] * len(out)
    vals = out["waarde"].astype(float).to_numpy()
    for i, k in enumerate(key):
        t = by.get(k)
        if t is None or t_all[i] < t.basisjaar:
            continue
        paths[i] = float(t.path(t_all[i]))
        status[i] = t.status(t_all[i], vals[i])
    out["doelpad"] = paths
    out["doelstatus"] = status
    return out
