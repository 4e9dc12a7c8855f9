"""What the report says, independent of how it is shown: tables, findings, summaries.

The HTML report and the XLSX export both draw from here, so a number is computed (and
suppressed) once. Cells are :class:`Cell` objects: the raw value (``None`` when suppressed or
missing), the Dutch text, and flags for suppression and "best in row".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nabij.defaults import MIN_REGION_PUPILS
from nabij.privacy import is_suppressed, publish, suppress_label
from nabij.report.fmt import SHARE_UNITS, format_value, is_count_unit, is_number, nl_number
from nabij.report.measures_folder import DivisionResult, Measures

SIZE_CLASS_STEPS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, np.inf)
"""Size classes as multiples of the size threshold (with 10.000: 0, 5.000, 10.000, ... 80.000)."""


def size_norm(m: Measures) -> float:
    """The size threshold the measures used (``parameters.kleine_regio``; default for old files)."""
    value = m.parameters.get("kleine_regio")
    return float(value) if is_number(value) else float(MIN_REGION_PUPILS)


def size_bins(m: Measures) -> tuple[float, ...]:
    norm = size_norm(m)
    return tuple(norm * k for k in SIZE_CLASS_STEPS)
DISTANCE_CLASSES = (5.0, 10.0, 20.0)
PUPIL_KEYS = ("leerlingen", "leerlingen_totaal", "leerlingen_po_vo", "leerlingen_funderend")


@dataclass
class Cell:
    """One table cell: raw value for export, Dutch text for display."""

    value: object
    text: str
    suppressed: bool = False
    best: bool = False
    numeric: bool = False


@dataclass
class Table:
    """A table with Dutch headers; ``units`` per column drive number formats in XLSX."""

    headers: list[str]
    rows: list[list[Cell]]
    units: list[str] = field(default_factory=list)
    caption: str = ""
    classes: list[str] = field(default_factory=list)
    """Optional CSS class per column (e.g. columns hidden in print)."""

    def col_class(self, j: int) -> str:
        return self.classes[j] if j < len(self.classes) else ""


def cell(value: object, eenheid: str | None, threshold: int) -> Cell:
    """Format one value; counts below the threshold are suppressed (raw value dropped)."""
    if is_count_unit(eenheid) and is_suppressed(value, threshold):
        return Cell(None, suppress_label(threshold), suppressed=True, numeric=True)
    if isinstance(value, list | tuple):
        return Cell(", ".join(map(str, value)), format_value(value), numeric=False)
    num = is_number(value)
    v = float(value) if num else value  # type: ignore[arg-type]
    return Cell(v, format_value(value, eenheid, threshold), numeric=num)


def parse_counts(values: pd.Series, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from a published count column: ("<10" -> NaN, suppressed mask True)."""
    if values.dtype.kind in "biuf":
        return values.to_numpy(float), np.zeros(len(values), bool)
    text = values.astype("string")
    hidden = text.str.strip().str.startswith("<").fillna(False).to_numpy(bool)
    nums = pd.to_numeric(values.where(~hidden), errors="coerce").to_numpy(float)
    return nums, hidden


def weights(frame: pd.DataFrame, threshold: int, column: str = "kinderen") -> np.ndarray:
    """Child weights per row; suppressed counts ("<10") count as half the threshold."""
    if column not in frame:
        return np.ones(len(frame))
    key = ("_nabij_weights", column, threshold)
    cached = frame.attrs.get(key)
    if cached is not None and len(cached) == len(frame):
        return cached
    nums, hidden = parse_counts(frame[column], threshold)
    nums = np.where(hidden, threshold / 2, nums)
    out = np.clip(np.nan_to_num(nums, nan=0.0), 0, None)
    frame.attrs[key] = out
    return out


# --------------------------------------------------------------------------- labels
_TYPE_RE = re.compile(r"^(V?SO)[ _-]*(?:CLUSTER|CL|C)?[ _-]*([1-4])$", re.IGNORECASE)


def provision_label(code: str) -> str:
    """Dutch label of a provision type code: 'SO4' / 'so_cluster_4' -> 'SO cluster 4'."""
    c = code.strip()
    m = _TYPE_RE.match(c)
    if m:
        return f"{m.group(1).upper()} cluster {m.group(2)}"
    up = c.upper().replace("_", " ")
    return {"PRO": "PrO", "PRAKTIJKONDERWIJS": "PrO", "OPDC": "OPDC"}.get(up, up)


def lower_first(label: str) -> str:
    """'Gemiddelde afstand' -> 'gemiddelde afstand'; keeps acronyms ('SO …', 'PrO …')."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def recipe_text(recipe: dict) -> str:
    """A recipe as one readable line: the rule first, then its parameters."""
    from nabij.report.scenario_section import recipe_line

    return recipe_line(recipe)


# --------------------------------------------------------------------------- comparison
def best_index(values: Sequence[object], beter: str | None) -> set[int]:
    """Positions of the best value(s) in a row ("lager"/"hoger"); empty when not ranked."""
    if beter not in ("lager", "hoger"):
        return set()
    nums = [(i, float(v)) for i, v in enumerate(values) if is_number(v)]  # type: ignore
    if len(nums) < 2:
        return set()
    target = min(v for _, v in nums) if beter == "lager" else max(v for _, v in nums)
    if all(abs(v - target) <= 1e-9 * max(1.0, abs(target)) for _, v in nums):
        return set()  # all equal: nothing stands out
    return {i for i, v in nums if abs(v - target) <= 1e-9 * max(1.0, abs(target))}


DETAIL_RE = re.compile(r"^afstand_(eigen_)?[A-Z0-9]+_(mediaan|p90|binnen_\d+km)$|"
                       r"^afstand_[A-Z0-9]+_gem$")
"""Summary keys shown only in the appendix table (all measures), not in the core table."""


def comparison_table(m: Measures, threshold: int, core: bool = False) -> tuple[Table, list[dict]]:
    """Divisions as columns, summary measures as rows; best value per row marked.

    Rows where no division has a value are left out; with ``core`` the distance details
    (medians, p90, shares within x km, distances ignoring borders) are left out too.
    Returns the table and per row the definition (label, unit, 'gemodelleerd', 'familie').
    """
    headers = ["Maatstaf"] + [d.name for d in m.divisions]
    rows, defs = [], []
    for key in m.summary_keys():
        if core and DETAIL_RE.match(key):
            continue
        d = m.definition(key)
        values = [div.summary.get(key) for div in m.divisions]
        if all(v is None for v in values):
            continue
        best = best_index(values, d.get("beter"))
        cells = [Cell(d.get("label") or key, d.get("label") or key)]
        for i, v in enumerate(values):
            c = cell(v, d.get("eenheid"), threshold)
            c.best = i in best and not c.suppressed
            cells.append(c)
        rows.append(cells)
        defs.append(d | {"key": key, "familie": d.get("familie") or ""})
    return Table(headers, rows, ["", *([""] * len(m.divisions))]), defs


KPI_RE = re.compile(r"^(regios|leerlingen_totaal|leerlingen_min|leerlingen_max|regios_klein|"
                    r"regios_groot|oogo_partners_per_gemeente|grensverkeer|"
                    r"grensverkeer_speciaal|dekking|thuisnabij_binnen_10km|"
                    r"thuisnabij_binnen_20km|thuisnabij_mediaan|zonder_eigen_voorziening|"
                    r"congruentie|doorgaande_lijn|verandering_leerlingen)$")
"""Key numbers shown beside each division's map."""


def key_numbers(m: Measures, div: DivisionResult, threshold: int) -> list[tuple[str, str, bool]]:
    """(label, text, modelled) of the key numbers of one division (all when none match)."""
    keys = [k for k in m.summary_keys() if k in div.summary and div.summary[k] is not None]
    if any(KPI_RE.match(k) for k in keys):
        keys = [k for k in keys if KPI_RE.match(k)]
    out = []
    for k in keys:
        d = m.definition(k)
        out.append((d.get("label") or k, format_value(div.summary[k], d.get("eenheid"), threshold),
                    bool(d.get("gemodelleerd"))))
    return out


def family_groups(table: Table, defs: list[dict]) -> list[dict]:
    """Rows grouped by measure family, in first-seen order: [{familie, rows: [(cells, def)]}]."""
    groups: list[dict] = []
    index: dict[str, dict] = {}
    for row, d in zip(table.rows, defs, strict=True):
        fam = d.get("familie") or ""
        if fam not in index:
            index[fam] = {"familie": fam[:1].upper() + fam[1:], "rows": []}
            groups.append(index[fam])
        index[fam]["rows"].append((row, d))
    return groups


def pupils_key(m: Measures) -> str | None:
    """The per-region key holding the region's pupils."""
    keys = m.region_keys()
    for k in PUPIL_KEYS:
        if k in keys:
            return k
    for k in keys:
        if is_count_unit(m.definition(k).get("eenheid")):
            return k
    return None


def region_numbers(div: DivisionResult) -> dict[str, int]:
    """1-based index of each region as shown on the map and in the region table."""
    codes = [str(r.get("regio")) for r in div.regions]
    if div.assignment is not None:
        for c in sorted(div.assignment["regio"].astype(str).unique()):
            if c not in codes:
                codes.append(c)
    return {c: i + 1 for i, c in enumerate(codes)}


def region_gemeenten(div: DivisionResult, pc4_gemeente: pd.Series,
                     names: dict[str, str]) -> dict[str, list[str]]:
    """Names of the gemeenten (partly) inside each region."""
    if div.assignment is None:
        return {}
    a = div.assignment[["pc4", "regio"]].astype(str)
    a = a.assign(gemeente=a["pc4"].map(pc4_gemeente)).dropna(subset=["gemeente"])
    out = {}
    for reg, grp in a.groupby("regio"):
        out[str(reg)] = sorted({names.get(g, g) for g in grp["gemeente"]})
    return out


def name_list(names: list[str], limit: int = 8) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" en {len(names) - limit} andere"


REGION_CORE = re.compile(r"^(leerlingen|gemeenten|besturen|jeugdregios|grensverkeer_uit|"
                         r"dekking_regio|ontbreekt|afstand_eigen_[A-Z0-9]+|"
                         r"aandeel_dominante_jeugdregio|doorgaande_lijn_regio|deelname|"
                         r"opvallend)$")
"""Region measures shown in the report's region tables (the XLSX holds all of them)."""


def region_table(m: Measures, div: DivisionResult, threshold: int,
                 gemeenten: dict[str, list[str]] | None = None, limit: int = 8,
                 core: bool = False) -> Table:
    """The region table of one division: number, code, name, measures, gemeenten.

    With ``core`` only the measures of :data:`REGION_CORE` are shown (all when none match).
    """
    keys = [k for k in m.region_keys()
            if any(k in r and r[k] is not None for r in div.regions)]
    if core and any(REGION_CORE.match(k) for k in keys):
        keys = [k for k in keys if REGION_CORE.match(k)]
    headers = ["Nr.", "Regio", "Naam"] + [_header(m, k) for k in keys]
    units = ["", "", ""] + [m.definition(k).get("eenheid") or "" for k in keys]
    if gemeenten is not None:
        headers.append("Gemeenten")
        units.append("")
    numbers = region_numbers(div)
    rows = []
    for r in div.regions:
        code = str(r.get("regio"))
        row = [Cell(numbers.get(code), str(numbers.get(code, "")), numeric=True),
               Cell(code, code), Cell(r.get("naam") or code, str(r.get("naam") or code))]
        for k in keys:
            row.append(cell(r.get(k), m.definition(k).get("eenheid"), threshold))
        if gemeenten is not None:
            g = gemeenten.get(code, [])
            row.append(Cell(", ".join(g), name_list(g, limit)))
        rows.append(row)
    classes = [""] * (len(headers) - 1) + ["gemeentenlijst" if gemeenten is not None else ""]
    return Table(headers, rows, units, classes=classes)


def _header(m: Measures, key: str) -> str:
    d = m.definition(key)
    label = d.get("label") or key
    unit = (d.get("eenheid") or "").strip()
    if unit and unit.lower() not in ("aantal", "leerlingen", "kinderen", "index", "tekst",
                                     "ja/nee", "") and unit.lower() not in SHARE_UNITS:
        return f"{label} ({unit})"
    if unit.lower() in SHARE_UNITS:
        return f"{label} (%)"
    return label


# --------------------------------------------------------------------------- sizes
def size_distribution(m: Measures, div: DivisionResult) -> tuple[list[str], list[int]] | None:
    """Regions per size class (pupils), for the histogram."""
    key = pupils_key(m)
    if key is None:
        return None
    vals = [float(r[key]) for r in div.regions if is_number(r.get(key))]
    if not vals:
        return None
    bins = size_bins(m)
    counts, _ = np.histogram(vals, bins=np.array(bins, dtype=float))
    labels = []
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        lo_s = nl_number(lo / 1000, 1 if lo % 1000 else 0)
        hi_s = nl_number(hi / 1000, 1 if hi % 1000 else 0) if np.isfinite(hi) else ""
        labels.append(f"{lo_s}k+" if not np.isfinite(hi) else f"{lo_s}–{hi_s}k")
    return labels, [int(c) for c in counts]


def size_class_labels(m: Measures) -> list[str]:
    """Long Dutch labels of the size classes: '5.000 tot 10.000', '80.000 of meer'."""
    out = []
    bins = size_bins(m)
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        out.append(f"{nl_number(lo, 0)} of meer" if not np.isfinite(hi)
                   else f"{nl_number(lo, 0)} tot {nl_number(hi, 0)}")
    return out


def size_facts(m: Measures, div: DivisionResult) -> dict | None:
    key = pupils_key(m)
    if key is None:
        return None
    vals = np.array([float(r[key]) for r in div.regions if is_number(r.get(key))])
    if not len(vals):
        return None
    return {"n": len(vals), "min": float(vals.min()), "median": float(np.median(vals)),
            "max": float(vals.max()), "below": int((vals < size_norm(m)).sum()),
            "norm": size_norm(m), "norm_text": nl_number(size_norm(m), 0)}


# --------------------------------------------------------------------------- thuisnabijheid
def provision_types(frame: pd.DataFrame | None) -> list[str]:
    """Provision types of a thuisnabijheid table, in column order."""
    if frame is None:
        return []
    types = []
    for c in frame.columns:
        if c.startswith("afstand_eigen_"):
            t = c[len("afstand_eigen_"):]
        elif c.startswith("afstand_"):
            t = c[len("afstand_"):]
        else:
            continue
        if t not in types:
            types.append(t)
    return types


def distance_shares(frame: pd.DataFrame, column: str, threshold: int = 10) -> list[float]:
    """Child-weighted shares in the classes ≤5, 5–10, 10–20, >20 km and 'none' (missing)."""
    w = weights(frame, threshold)
    v = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    total = w.sum()
    if total <= 0:
        return [0.0] * (len(DISTANCE_CLASSES) + 2)
    ok = np.isfinite(v)
    cls = np.searchsorted(DISTANCE_CLASSES, v[ok], side="left")
    shares = [float(w[ok][cls == k].sum() / total) for k in range(len(DISTANCE_CLASSES) + 1)]
    shares.append(float(w[~ok].sum() / total))
    return shares


def distance_stats(frame: pd.DataFrame, column: str, threshold: int = 10) -> dict:
    """Child-weighted mean, median, p90 (finite values) and share without provision."""
    w = weights(frame, threshold)
    v = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    ok = np.isfinite(v) & (w > 0)
    total = w.sum()
    out = {"gemiddeld": None, "mediaan": None, "p90": None,
           "zonder": float(w[~np.isfinite(v)].sum() / total) if total > 0 else None}
    if ok.any():
        order = np.argsort(v[ok])
        vv, ww = v[ok][order], w[ok][order]
        cum = np.cumsum(ww) / ww.sum()
        out["gemiddeld"] = float(np.average(vv, weights=ww))
        out["mediaan"] = float(vv[np.searchsorted(cum, 0.5)])
        out["p90"] = float(vv[min(np.searchsorted(cum, 0.9), len(vv) - 1)])
    return out


def distance_table(div: DivisionResult) -> Table | None:
    """Per provision type: distance to the nearest location, anywhere and in own region."""
    f = div.thuisnabijheid
    types = provision_types(f)
    if f is None or not types:
        return None
    headers = ["Voorziening", "Waar", "Gemiddeld (km)", "Mediaan (km)", "P90 (km)",
               "≤ 5 km (%)", "≤ 10 km (%)", "≤ 20 km (%)", "Geen in eigen regio (%)"]
    units = ["", "", "km", "km", "km", "aandeel", "aandeel", "aandeel", "aandeel"]
    rows = []
    for t in types:
        for col, where in ((f"afstand_{t}", "overal"), (f"afstand_eigen_{t}", "eigen regio")):
            if col not in f:
                continue
            s = distance_stats(f, col)
            sh = distance_shares(f, col)
            cum = np.cumsum(sh[:3])
            rows.append([
                Cell(provision_label(t), provision_label(t)), Cell(where, where),
                *(cell(s[k], "km", 0) for k in ("gemiddeld", "mediaan", "p90")),
                *(cell(float(c), "aandeel", 0) for c in cum),
                cell(sh[-1] if where == "eigen regio" else 0.0, "aandeel", 0),
            ])
    return Table(headers, rows, units)


# --------------------------------------------------------------------------- grensverkeer
def published_flows(f: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The flow table as published (:func:`nabij.privacy.publish`): small flows hidden, with
    complementary cells against the totals per home and school region."""
    f = f.assign(van=f["van"].astype(str), naar=f["naar"].astype(str))
    return publish(f, ["leerlingen"], threshold, totals=[(), ("van",), ("naar",)])


def flow_table(div: DivisionResult, threshold: int, names: dict[str, str],
               top: int | None = 15) -> tuple[Table, list[tuple[str, float]], float | None]:
    """Largest flows between different regions; also (label, value) bars and the share of
    pupils crossing a border (from the summary, else from the table when it has the
    within-region rows). Suppressed flows ("<10") stay suppressed and are never drawn."""
    f = div.grensverkeer
    headers = ["Van (woonregio)", "Naar (schoolregio)", "Leerlingen"]
    if f is None or not {"van", "naar", "leerlingen"} <= set(f.columns):
        return Table(headers, [], ["", "", "leerlingen"]), [], None
    f = published_flows(f, threshold)
    n, hidden = parse_counts(f["leerlingen"], threshold)
    f = pd.DataFrame({"van": f["van"].astype(str), "naar": f["naar"].astype(str),
                      "n": np.where(hidden, threshold / 2, np.nan_to_num(n)), "hidden": hidden})
    cross = f[f["van"] != f["naar"]].sort_values("n", ascending=False, kind="stable")
    share = div.summary.get("grensverkeer")
    share = float(share) if is_number(share) else None
    if share is None and (f["van"] == f["naar"]).any() and f["n"].sum() > 0:
        share = float(cross["n"].sum() / f["n"].sum())
    shown = cross.head(top) if top else cross
    rows, bars = [], []
    for van, naar, v, h in shown[["van", "naar", "n", "hidden"]].itertuples(index=False):
        a, b = names.get(van, van), names.get(naar, naar)
        a_txt = a if a == van else f"{a} ({van})"
        b_txt = b if b == naar else f"{b} ({naar})"
        c = Cell(None, suppress_label(threshold), suppressed=True, numeric=True) if h \
            else cell(v, "leerlingen", threshold)
        rows.append([Cell(van, a_txt), Cell(naar, b_txt), c])
        if not c.suppressed and v > 0:
            bars.append((f"{van} → {naar}", float(v)))
    return Table(headers, rows, ["", "", "leerlingen"]), bars, share


# --------------------------------------------------------------------------- findings
def reference_for(div: DivisionResult, divisions: Sequence[DivisionResult],
                  references: dict | None = None) -> DivisionResult | None:
    """The status quo of the same kind: same sector; a funderend division against the status
    quo PO and VO taken together (``references``); else PO, else the first division."""
    sq = [d for d in divisions if d.is_status_quo]
    if div in sq:
        return None
    ref = (references or {}).get(div.sector)
    if ref:
        return DivisionResult(name=str(ref["naam"]), slug="status-quo-samen",
                              sector=div.sector, recipe={"bouwer": "status_quo"},
                              summary=dict(ref["summary"]), regions=[])
    if not sq:
        return divisions[0] if divisions and divisions[0] is not div else None
    for d in sq:
        if d.sector == div.sector:
            return d
    for d in sq:
        if d.sector == "PO":
            return d
    return sq[0]


HEADLINE_RE = re.compile(r"^(regios_klein|regios_groot|grensverkeer|grensverkeer_speciaal|"
                         r"thuisnabij_binnen_10km|thuisnabij_binnen_20km|thuisnabij_mediaan|"
                         r"zonder_eigen_voorziening|oogo_partners_per_gemeente|"
                         r"jeugdregios_per_regio|congruentie|"
                         r"doorgaande_lijn|verandering_leerlingen|aandeel_regios_dekkend)$")
"""Summary measures the key findings talk about (others when none of these exist)."""
_EIGEN_GEM = re.compile(r"^afstand_eigen_([A-Z0-9]+)_gem$")


FINDING_LABELS = {
    "verandering_leerlingen": "het aandeel leerlingen dat van regio wisselt",
    "grensverkeer": "het grensverkeer (leerlingen op school buiten de eigen regio)",
    "grensverkeer_speciaal": "het grensverkeer naar speciale voorzieningen",
    "gemeenten_per_regio": "het gemiddelde aantal gemeenten per regio",
    "jeugdregios_per_regio": "het gemiddelde aantal jeugdregio's per regio",
    "congruentie": "de congruentie met de jeugdregio's",
    "doorgaande_lijn": "de doorgaande lijn PO-VO",
    "aandeel_regios_dekkend": "het aandeel volledig dekkende regio's",
    "thuisnabij_binnen_10km": "het aandeel kinderen met elke voorziening binnen 10 km",
    "thuisnabij_binnen_20km": "het aandeel kinderen met elke voorziening binnen 20 km",
    "thuisnabij_mediaan": "de mediane afstand tot een voorziening",
    "zonder_eigen_voorziening": "het aandeel kinderen zonder eigen voorziening in de regio",
    "oogo_partners_per_gemeente": "het aantal OOGO-partners per gemeente (PO en VO samen)",
    "regios_groot": "het aantal regio's boven het maximum",
}
_ZONDER = re.compile(r"^zonder_eigen_([A-Z0-9]+)$")


def finding_label(key: str, d: dict, norm_text: str = "") -> str:
    """How a measure is named inside a sentence (``norm_text``: the size threshold used)."""
    if key == "regios_klein" and norm_text:
        return f"het aantal regio's met minder dan {norm_text} leerlingen"
    if key in FINDING_LABELS:
        return FINDING_LABELS[key]
    m = _EIGEN_GEM.match(key)
    if m:
        return (f"de gemiddelde afstand tot de dichtstbijzijnde {provision_label(m.group(1))} "
                f"in de eigen regio")
    m = _ZONDER.match(key)
    if m:
        return f"het aandeel kinderen zonder {provision_label(m.group(1))} in de eigen regio"
    return lower_first(d.get("label") or key)


def _with_unit(value: float, unit: str | None, label: str, threshold: int) -> str:
    text = format_value(value, unit, threshold)
    if is_count_unit(unit) and "leerling" not in label and "kinder" not in label:
        text += f" {unit}"
    return text


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def findings(m: Measures, threshold: int, per_division: int = 2) -> list[str]:
    """Key findings as Dutch sentences generated from the numbers: one item overall, then
    one per division (its size and its largest changes against the status quo)."""
    names = ", ".join(d.name for d in m.divisions)
    out = [f"Vergeleken zijn {len(m.divisions)} regio-indelingen: {names}."]
    keys = [k for k in m.summary_keys() if HEADLINE_RE.match(k)] or m.summary_keys()
    ranked = [k for k in keys if k != "verandering_leerlingen"] or keys
    for div in m.divisions:
        f = size_facts(m, div)
        facts = []
        if f:
            below = "geen" if f["below"] == 0 else str(f["below"])
            big = div.summary.get("regios_groot")
            cap = div.summary.get("max_leerlingen")
            above = (f", {int(big)} boven het maximum van "
                     f"{format_value(cap, 'leerlingen', threshold)}"
                     if is_number(big) and int(big) > 0 and is_number(cap) else "")
            facts.append(f"{f['n']} regio's van {format_value(f['min'], 'leerlingen', threshold)}"
                         f" tot {format_value(f['max'], 'leerlingen', threshold)} leerlingen, "
                         f"{below} met minder dan {f['norm_text']}{above}")
        if div.recipe.get("label") and div.recipe.get("gesplitste_gemeenten") is not None:
            facts.insert(0, f"{div.recipe['label']}, {div.recipe['gesplitste_gemeenten']} "
                            "gemeenten gesplitst over meer dan één SWV")
        moved = div.summary.get("verandering_leerlingen")
        ref = reference_for(div, m.divisions, m.references)
        if ref is not None and is_number(moved) and float(moved) > 0:  # type: ignore[arg-type]
            facts.append(f"{format_value(moved, 'aandeel')} van de leerlingen wisselt van regio")
        head = f"{div.name} ({'; '.join(facts)})" if facts else div.name
        changes = _changes(m, div, ref, ranked, threshold) if ref is not None else []
        if not changes:
            out.append(f"{head}." if ref is None else
                       f"{head}: geen grote verschillen met {ref.name}.")
            continue
        parts = []
        for _, key, a, b, d in changes[:per_division]:
            unit = d.get("eenheid")
            verb = "stijgt" if b > a else "daalt"
            good = (b < a) == (d.get("beter") == "lager")
            label = finding_label(key, d, nl_number(size_norm(m), 0))
            parts.append(f"{verb} {label} van {_with_unit(a, unit, label, threshold)} naar "
                         f"{_with_unit(b, unit, label, threshold)} "
                         f"({'gunstiger' if good else 'ongunstiger'})")
        out.append(f"In {head} {_join(parts)}, vergeleken met {ref.name}.")  # type: ignore
    return out


def _changes(m: Measures, div: DivisionResult, ref: DivisionResult, keys: list[str],
             threshold: int) -> list[tuple]:
    """Ranked changes of ``div`` against ``ref``: (relative change, key, a, b, definition)."""
    changes = []
    for key in keys:
        d = m.definition(key)
        if d.get("beter") not in ("lager", "hoger"):
            continue
        a, b = ref.summary.get(key), div.summary.get(key)
        if not (is_number(a) and is_number(b)):
            continue
        a, b = float(a), float(b)  # type: ignore[arg-type]
        unit = d.get("eenheid")
        if format_value(a, unit, threshold) == format_value(b, unit, threshold):
            continue
        rel = abs(b - a) / max(abs(a), abs(b), 1e-9)
        changes.append((rel, key, a, b, d))
    changes.sort(key=lambda t: -t[0])
    return changes
