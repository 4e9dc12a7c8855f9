"""Allocation of the inclusiefonds to gemeenten, SWVs or any Division's regions, per year.

Model (per year y of the transition path, in whole euros)
---------------------------------------------------------
1. **Fund** F_y = the active sources of the year, summed and rounded to whole euros (half
   away from zero). **Reserve** R_y = ``aandeel`` x F_y, rounded the same way: exactly its
   share. **Distributable** D_y = F_y - R_y.
2. **Components.** The formula has weights w_j for ``basis`` and each factor; each component j
   receives the budget D_y x w_j / sum(w). The basis budget goes to units in proportion to
   their pupils; a factor's budget in proportion to the factor's *mass* in the unit (see
   :mod:`nabij.fund.factors`; a region's mass is the sum over its PC4 areas). A factor with no
   mass anywhere is spread like the basis. The sum over components is the raw amount.
3. **Floor and cap** per pupil (euros or relative to the mean D_y / pupils): amounts are
   ``clip(t x raw_u, floor_u, cap_u)`` with one scalar t >= 0 chosen so they add up to D_y
   (water-filling; found by bisection, then solved exactly on the free units). Units with no
   pupils get nothing. If the caps leave money over because the formula gives some units
   nothing, those units share the rest in proportion to pupils (up to their caps).
   Infeasible floors/caps are an InputError.
4. **Phasing.** The current distribution C_u (flat per pupil — *verevening* — by default; or
   where the money now comes from; or a CSV) is scaled to D_y. The year's allocation is
   C_u + lambda_y (T_u - C_u) with lambda_y the transition fraction (a straight line reaching 1
   in the doeljaar unless ``stappen`` says otherwise), so the doeljaar allocation *is* the
   target.
5. **Rounding rule** (largest remainder, Hamilton): every unit gets its exact amount rounded
   down to whole euros; the euros still missing to reach D_y exactly are handed out one each
   to the units with the largest fractional parts (ties: unit code). Hence sum(allocations)
   + R_y = F_y to the euro (and so to the cent), every year.

Outputs: allocation per unit and year; the impact table (doeljaar target against the current
distribution: absolute, per pupil, winners and losers); the per-unit explanation (euros per
component, plus the floor/cap and rounding correction); sensitivity (each weight x 1.1 and
x 0.9, others fixed). Pupil counts come from the Atlas' flows: labelled *gemodelleerd*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.divisions.division import Division
from nabij.errors import InputError, Problem
from nabij.fund import export
from nabij.fund.definition import FundDefinition, read_code_amounts
from nabij.fund.factors import FACTORS, aggregate, factor_masses, intensities
from nabij.privacy import DEFAULT_THRESHOLD, publish

LEVELS: dict[str, str] = {
    "gemeente": "gemeente",
    "swv-po": "samenwerkingsverband PO",
    "swv-vo": "samenwerkingsverband VO",
    "jeugdregio": "jeugdregio",
}
"""Built-in allocation levels and their Dutch names (any Division works too)."""

MODELLED = "gemodelleerd"
STATUS_NL = {"observed": "waargenomen", "modelled": "gemodelleerd", "mixed": "deels gemodelleerd"}


# -- pure arithmetic -----------------------------------------------------------------------------

def component_shares(masses: np.ndarray, pupils: np.ndarray) -> np.ndarray:
    """Each unit's share of every component (columns sum to 1; empty columns follow pupils)."""
    masses = np.asarray(masses, float)
    pupils = np.asarray(pupils, float)
    tot = masses.sum(axis=0)
    p_tot = pupils.sum()
    base = pupils / p_tot if p_tot > 0 else np.full(len(pupils), 1.0 / max(1, len(pupils)))
    safe = np.where(tot > 0, tot, 1.0)
    return np.where(tot > 0, masses / safe, base[:, None])


def clamp_to_total(raw: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """``clip(t * raw, lo, hi)`` with the scalar t >= 0 that makes the sum equal ``total``.

    Raises ValueError when no t can reach the total (floors too high or caps too low).
    """
    raw, lo, hi = (np.asarray(x, float) for x in (raw, lo, hi))
    if np.all(lo <= 0) and np.all(np.isinf(hi)):
        s = raw.sum()
        return raw * (total / s) if s > 0 else raw.copy()
    if lo.sum() > total * (1 + 1e-12) + 1e-6:
        raise ValueError("floor")
    upper = np.where(raw > 0, hi, lo)
    if upper.sum() < total * (1 - 1e-12) - 1e-6:
        raise ValueError("cap")

    # search log(t): t itself may overflow when raw spans the whole float range
    pos = raw > 0
    log_raw = np.log(np.where(pos, raw, 1.0))

    def x_of(s: float) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.where(pos, np.exp(s + log_raw), 0.0)

    def f(s: float) -> float:
        return float(np.clip(x_of(s), lo, hi).sum())

    a, b = -2000.0, 2000.0  # exp(a + log_raw) underflows to 0, exp(b + log_raw) overflows
    if not f(b) >= total * (1 - 1e-12):
        raise ValueError("cap")
    for _ in range(200):
        m = 0.5 * (a + b)
        if f(m) < total:
            a = m
        else:
            b = m
        if b - a <= 1e-13:
            break
    x = x_of(b)
    free = (x > lo) & (x < hi) & pos
    fixed = np.clip(x, lo, hi)
    if free.any():
        rest = total - fixed[~free].sum()
        w = raw[free] / raw[free].max()
        fixed[free] = rest * (w / w.sum())
    return fixed


def round_to_total(values: np.ndarray, total: int, keys: list[str] | None = None) -> np.ndarray:
    """Largest-remainder rounding of non-negative ``values`` to integers summing to ``total``.

    Floors every value; the missing units go one each to the largest fractional parts (ties by
    ``keys``, else position). If float noise makes the floors overshoot, units are taken back
    from the smallest fractional parts first.
    """
    v = np.maximum(np.asarray(values, float), 0.0)
    base = np.floor(v).astype(np.int64)
    frac = v - base
    missing = int(total) - int(base.sum())
    n = len(v)
    if n == 0:
        if missing:
            raise ValueError("niets om over te verdelen")
        return base
    tie = np.arange(n) if keys is None else np.argsort(np.argsort(np.asarray(keys, object)))
    if missing > 0:
        order = np.lexsort((tie, -frac))
        q, r = divmod(missing, n)
        base += q
        base[order[:r]] += 1
    elif missing < 0:
        order = np.lexsort((tie, frac))
        k = -missing
        for i in order:
            if k == 0:
                break
            take = min(k, int(base[i]))
            base[i] -= take
            k -= take
    return base


def target_amounts(
    masses: np.ndarray,
    weights: np.ndarray,
    pupils: np.ndarray,
    total: float,
    floor_pp: float = 0.0,
    cap_pp: float = np.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact target per unit and the raw contribution of each component (n x k).

    ``masses`` (n units x k components) with column 0 the basis (pupils); ``weights`` (k);
    ``floor_pp`` / ``cap_pp`` in euros per pupil.
    """
    pupils = np.asarray(pupils, float)
    w = np.asarray(weights, float)
    shares = component_shares(masses, pupils)
    contrib = shares * (total * w / w.sum())[None, :]
    raw = contrib.sum(axis=1)
    lo = pupils * floor_pp
    hi = np.where(pupils > 0, pupils * cap_pp, 0.0) if np.isfinite(cap_pp) else np.where(
        pupils > 0, np.inf, 0.0)
    try:
        amounts = clamp_to_total(raw, lo, hi, total)
    except ValueError as e:
        if str(e) != "cap":
            raise
        # the formula gives nothing to units that still have room under their cap: fill the
        # capped units, spread the rest over the others in proportion to their pupils
        amounts = clamp_to_total(pupils, np.where(raw > 0, hi, lo), hi, total)
    return amounts, contrib


# -- units -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Units:
    """The geography of an allocation: PC4 -> unit code, unit names and a Dutch label."""

    level: str
    label: str
    of_pc4: pd.Series
    names: Mapping[str, str] = field(default_factory=dict)


def units_for(atlas, level: str | Division = "gemeente") -> Units:
    """Units of a built-in level (gemeente, swv-po, swv-vo, jeugdregio) or a Division."""
    pc4 = atlas.pc4.assign(pc4=atlas.pc4["pc4"].astype(str)).set_index("pc4")
    if isinstance(level, Division):
        level.validate(pc4.index)
        names = {r: level.region_name(r) for r in level.regions}
        return Units(level.name, f"regio ({level.name})", level.assignment, names)
    if level == "gemeente":
        g = atlas.gemeenten
        return Units(level, LEVELS[level], pc4["gemeente"].astype(str),
                     dict(zip(g["gemeente"], g["naam"], strict=False)))
    if level in ("swv-po", "swv-vo"):
        col = "swv_po" if level == "swv-po" else "swv_vo"
        ind = atlas.indeling.assign(pc4=atlas.indeling["pc4"].astype(str)).set_index("pc4")
        s = atlas.swv
        return Units(level, LEVELS[level], ind[col].astype(str).reindex(pc4.index),
                     dict(zip(s["swv"], s["naam"], strict=False)))
    if level == "jeugdregio":
        g = atlas.gemeenten.set_index("gemeente")["jeugdregio"].astype(str)
        j = atlas.jeugdregios
        return Units(level, LEVELS[level], pc4["gemeente"].map(g),
                     dict(zip(j["jeugdregio"], j["naam"], strict=False)))
    raise InputError(f"onbekend niveau '{level}'; kies uit {', '.join(LEVELS)}")


def _code_pc4(atlas) -> dict[str, pd.Series]:
    """For every code kind, PC4 -> code (gemeente, SWV PO, SWV VO, jeugdregio)."""
    pc4 = atlas.pc4.assign(pc4=atlas.pc4["pc4"].astype(str)).set_index("pc4")
    ind = atlas.indeling.assign(pc4=atlas.indeling["pc4"].astype(str)).set_index("pc4")
    jz = atlas.gemeenten.set_index("gemeente")["jeugdregio"].astype(str)
    return {"GM": pc4["gemeente"].astype(str), "PO": ind["swv_po"].astype(str),
            "VO": ind["swv_vo"].astype(str), "JZ": pc4["gemeente"].map(jz)}


# -- result ----------------------------------------------------------------------------------------

@dataclass
class FundResult:
    """Everything an allocation produced; tables have Dutch column names for export."""

    definition: FundDefinition
    units: Units
    jaren: pd.DataFrame
    verdeling: pd.DataFrame
    effect: pd.DataFrame
    toelichting: pd.DataFrame
    factoren: pd.DataFrame
    gevoeligheid: pd.DataFrame
    gewichten: pd.DataFrame
    notes: list[str]
    threshold: int = DEFAULT_THRESHOLD

    @property
    def doeljaar(self) -> int:
        return self.definition.overgang.doeljaar

    def summary(self) -> dict:
        """Headline figures (raw numbers; the report suppresses small counts)."""
        last = self.jaren[self.jaren["jaar"] == self.doeljaar].iloc[0]
        e = self.effect
        return {
            "fonds": self.definition.naam,
            "niveau": self.units.label,
            "eenheden": int(len(e)),
            "doeljaar": self.doeljaar,
            "fonds_doeljaar": int(last["fonds"]),
            "reserve_doeljaar": int(last["reserve"]),
            "te_verdelen_doeljaar": int(last["te_verdelen"]),
            "winnaars": int((e["uitkomst"] == "wint").sum()),
            "verliezers": int((e["uitkomst"] == "verliest").sum()),
            "grootste_winst_per_leerling": float(e["verschil_per_leerling"].max()),
            "grootste_verlies_per_leerling": float(e["verschil_per_leerling"].min()),
        }

    def published(self) -> dict[str, pd.DataFrame]:
        """Tables as published: pupil counts < threshold shown as "<10", per-pupil hidden."""
        out = {}
        for name in ("jaren", "gewichten", "verdeling", "effect", "toelichting", "factoren",
                     "gevoeligheid"):
            df = getattr(self, name).copy()
            per_year = [("jaar",)] if "jaar" in df.columns else True
            out[name] = publish(df, threshold=self.threshold, totals=per_year)
        return out

    def write(self, out: str | Path) -> list[Path]:
        """CSV per table, ``fonds.xlsx`` and ``fonds.json`` into ``out`` (each atomically)."""
        return export.write_tables(
            out, "fonds", self.published(), self.notes, f"Inclusiefonds: {self.definition.naam}",
            {"format": "nabij-fonds", "version": 1, "samenvatting": self.summary(),
             "toelichting": self.notes})


# -- allocation ----------------------------------------------------------------------------------

def allocate(
    definition: FundDefinition,
    atlas,
    level: str | Division = "gemeente",
    current: pd.Series | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    sensitivity: bool = True,
    masses_pc4: pd.DataFrame | None = None,
) -> FundResult:
    """Allocate the fund over the units of ``level`` for every year of the transition.

    ``current`` (unit code -> euros) overrides the definition's current distribution.
    ``masses_pc4`` may pass precomputed :func:`nabij.fund.factors.factor_masses` output.
    """
    gemeenten = set(atlas.gemeenten["gemeente"].astype(str))
    regions = set(atlas.swv["swv"].astype(str)) | set(atlas.jeugdregios["jeugdregio"].astype(str))
    definition.check_codes(gemeenten, regions)
    units = units_for(atlas, level)
    filled: dict[str, int] = {}
    if masses_pc4 is None:
        masses_pc4, filled = factor_masses(atlas, definition.sectoren)
    agg = aggregate(masses_pc4, units.of_pc4)
    codes = sorted(set(units.of_pc4.dropna().astype(str)) | set(agg.index))
    agg = agg.reindex(codes, fill_value=0.0)
    pupils = agg["leerlingen"].to_numpy(float)
    if pupils.sum() <= 0:
        raise InputError("De atlas heeft geen leerlingen in de gekozen sectoren; er valt niets "
                         "te verdelen")
    weights = definition.verdeling.weights
    comp = list(weights)
    masses = np.column_stack([pupils] + [agg[k].to_numpy(float) for k in comp[1:]])
    w = np.array([weights[k] for k in comp], float)
    names = [units.names.get(c, c) for c in codes]

    current_shares = _current_shares(definition, atlas, units, codes, pupils, masses_pc4,
                                     current)
    years = definition.years
    rows_j, rows_v = [], []
    exact_target: dict[int, np.ndarray] = {}
    exact_current: dict[int, np.ndarray] = {}
    contrib_last = None
    for y in years:
        F, R = definition.total(y), definition.reserve_amount(y)
        D = F - R
        floor_pp, cap_pp = _bounds(definition, D, pupils.sum())
        try:
            T, contrib = target_amounts(masses, w, pupils, D, floor_pp, cap_pp)
        except ValueError as e:
            raise InputError(_bound_message(str(e), y, D, pupils, floor_pp, cap_pp)) from e
        C = D * current_shares(y)
        lam = definition.overgang.fraction(y)
        A = C + lam * (T - C)
        A_int = round_to_total(A, D, codes)
        exact_target[y], exact_current[y] = T, C
        contrib_last = contrib
        rows_j.append({"jaar": y, "fonds": F, "reserve": R, "te_verdelen": D,
                       "overgang": round(lam, 4),
                       "basisbedrag_per_leerling": round(D * w[0] / w.sum() / pupils.sum(), 2),
                       "bronnen": sum(1 for s in definition.bronnen if s.active(y))})
        rows_v.append(pd.DataFrame({
            "eenheid": codes, "naam": names, "jaar": y, "leerlingen": pupils,
            "bedrag": A_int, "per_leerling": _per(A_int, pupils),
            "herkomst": MODELLED}))
    jaren = pd.DataFrame(rows_j)
    verdeling = pd.concat(rows_v, ignore_index=True)

    last = years[-1]
    D_last = int(jaren["te_verdelen"].iloc[-1])
    T_int = round_to_total(exact_target[last], D_last, codes)
    C_int = round_to_total(exact_current[last], D_last, codes)
    diff = T_int - C_int
    effect = pd.DataFrame({
        "eenheid": codes, "naam": names, "leerlingen": pupils,
        "huidig": C_int, "doel": T_int, "verschil": diff,
        "huidig_per_leerling": _per(C_int, pupils), "doel_per_leerling": _per(T_int, pupils),
        "verschil_per_leerling": _per(diff, pupils),
        "verschil_pct": np.round(np.where(C_int > 0, 100.0 * diff / np.where(C_int > 0, C_int,
                                                                             1), 0.0), 2),
        "uitkomst": np.where(diff > 0, "wint", np.where(diff < 0, "verliest", "gelijk")),
        "herkomst": MODELLED,
    }).sort_values("verschil_per_leerling", ascending=False, kind="stable")

    toel = pd.DataFrame({"eenheid": codes, "naam": names, "leerlingen": pupils})
    raw_parts = np.rint(contrib_last).astype(np.int64)
    for j, k in enumerate(comp):
        toel[k] = raw_parts[:, j]
    toel["correctie"] = T_int - raw_parts.sum(axis=1)
    toel["doel"] = T_int
    toel["herkomst"] = MODELLED

    inten = intensities(agg)
    fac = pd.DataFrame({"eenheid": codes, "naam": names, "leerlingen": pupils})
    for k in FACTORS:
        fac[k] = np.round(inten[k].to_numpy(float), 4)
    nat = intensities(agg.sum().to_frame().T)
    fac["herkomst"] = MODELLED

    gew = pd.DataFrame({
        "onderdeel": comp,
        "label": ["Basis per leerling"] + [FACTORS[k].label for k in comp[1:]],
        "gewicht": w, "aandeel": np.round(w / w.sum(), 6),
        "budget_doeljaar": round_to_total(D_last * w / w.sum(), D_last, comp),
        "landelijk_gemiddelde": [1.0] + [round(float(nat[k].iloc[0]), 4) for k in comp[1:]],
        "eenheid_waarde": ["per leerling"] + [FACTORS[k].unit for k in comp[1:]],
    })

    gevoel = _sensitivity(definition, masses, w, pupils, D_last, codes, names, T_int, comp) \
        if sensitivity else pd.DataFrame(columns=["eenheid", "naam", "gewicht"])

    notes = _notes(definition, units, atlas, filled, jaren)
    return FundResult(definition, units, jaren, verdeling, effect, toel, fac, gevoel, gew, notes,
                      threshold)


def _per(amounts: np.ndarray, pupils: np.ndarray) -> np.ndarray:
    safe = np.where(pupils > 0, pupils, 1.0)
    return np.round(np.where(pupils > 0, amounts / safe, 0.0), 2)


def _bounds(definition: FundDefinition, D: float, N: float) -> tuple[float, float]:
    f = definition.verdeling
    mean = D / N if N > 0 else 0.0
    lo = max(f.vloer_per_leerling or 0.0, (f.vloer_relatief or 0.0) * mean)
    caps = [c for c in (f.plafond_per_leerling,
                        None if f.plafond_relatief is None else f.plafond_relatief * mean)
            if c is not None]
    return lo, (min(caps) if caps else np.inf)


def _nl_eur(x: float) -> str:
    return "€ " + f"{x:,.0f}".replace(",", ".")


def _bound_message(kind: str, year: int, D: int, pupils, lo: float, hi: float) -> str:
    if kind == "floor":
        return (f"verdeling.vloer: in {year} vraagt de vloer ({_nl_eur(lo)} per leerling) samen "
                f"{_nl_eur(lo * pupils.sum())}, meer dan het te verdelen bedrag {_nl_eur(D)}; "
                "verlaag de vloer")
    return (f"verdeling.plafond: in {year} is het plafond ({_nl_eur(hi)} per leerling) te laag "
            f"om {_nl_eur(D)} te verdelen; verhoog het plafond")


def _current_shares(definition, atlas, units: Units, codes: list[str], pupils: np.ndarray,
                    masses_pc4: pd.DataFrame, current: pd.Series | None):
    """A function year -> each unit's share of the current distribution (sums to 1)."""
    flat = pupils / pupils.sum()
    how = definition.overgang.huidige_verdeling
    if current is None and how not in ("verevening", "bronnen"):
        current = read_current(Path(how), codes)
    if current is not None:
        c = pd.Series(current, dtype=float).reindex(codes)
        if c.isna().any() or (c < 0).any():
            bad = [k for k in codes if pd.isna(c.get(k))][:10]
            raise InputError("De huidige verdeling mist eenheden van dit niveau: "
                             + ", ".join(bad))
        total = c.sum()
        if total <= 0:
            raise InputError("De huidige verdeling telt op tot 0")
        s = (c / total).to_numpy(float)
        return lambda _y: s
    if how == "verevening":
        return lambda _y: flat
    # "bronnen": per-unit sources where they are, national sources flat per pupil
    code_pc4 = _code_pc4(atlas)
    n_pc4 = masses_pc4["leerlingen"]
    start = definition.overgang.startjaar
    per_source = []
    for s in definition.bronnen:
        if not s.per_eenheid:
            per_source.append((s, flat))
            continue
        by_pc4 = pd.Series(0.0, index=n_pc4.index)
        for code, amount in s.per_eenheid.items():
            kind = "GM" if code.startswith("GM") else code[:2]
            members = code_pc4[kind][code_pc4[kind] == code].index
            members = members.intersection(n_pc4.index)
            if len(members) == 0:
                continue
            n = n_pc4.reindex(members)
            share = n / n.sum() if n.sum() > 0 else pd.Series(1.0 / len(n), index=members)
            by_pc4.loc[members] += float(amount) * share
        agg = by_pc4.groupby(units.of_pc4.reindex(by_pc4.index).fillna("onbekend")).sum()
        v = agg.reindex(codes, fill_value=0.0).to_numpy(float)
        per_source.append((s, v / v.sum() if v.sum() > 0 else flat))

    def shares(year: int) -> np.ndarray:
        amounts = np.array([float(s.amount(year, start)) for s, _ in per_source])
        if amounts.sum() <= 0:
            return flat
        mix = sum(a * v for a, (_, v) in zip(amounts, per_source, strict=True))
        return mix / mix.sum()

    return shares


def read_current(file: Path, codes: list[str]) -> pd.Series:
    """A current distribution CSV (``eenheid,bedrag``); unknown or missing units are errors."""
    rows = read_code_amounts(file, "eenheid")
    problems = []
    known = set(codes)
    out: dict[str, float] = {}
    for line, code, amount, problem in rows:
        if problem:
            problems.append(Problem(problem, str(file), line))
        elif code not in known:
            problems.append(Problem(f"onbekende eenheid '{code}' op dit niveau", str(file), line,
                                    "eenheid"))
        elif code in out:
            problems.append(Problem(f"eenheid '{code}' staat er dubbel in", str(file), line,
                                    "eenheid"))
        else:
            out[code] = float(amount)
    missing = [c for c in codes if c not in out]
    if missing and not problems:
        problems.append(Problem(f"{len(missing)} eenheden ontbreken, bv. "
                                + ", ".join(missing[:10]), str(file)))
    if problems:
        raise InputError("Huidige verdeling is ongeldig; er is niets geschreven", problems)
    return pd.Series(out)


def _sensitivity(definition, masses, w, pupils, D, codes, names, T_int, comp) -> pd.DataFrame:
    """Change of each unit's doeljaar target when one weight moves +10 % or -10 %."""
    floor_pp, cap_pp = _bounds(definition, D, pupils.sum())
    frames = []
    for j, k in enumerate(comp):
        if w[j] <= 0:
            continue
        out = {}
        for tag, f in (("plus10", 1.1), ("min10", 0.9)):
            w2 = w.copy()
            w2[j] *= f
            try:
                T2, _ = target_amounts(masses, w2, pupils, D, floor_pp, cap_pp)
            except ValueError:
                T2 = np.full(len(pupils), np.nan)
            out[tag] = (round_to_total(T2, D, codes) - T_int) if not np.isnan(T2).any() \
                else np.zeros(len(pupils), np.int64)
        frames.append(pd.DataFrame({
            "eenheid": codes, "naam": names, "gewicht": k, "leerlingen": pupils,
            "plus10": out["plus10"], "min10": out["min10"],
            "plus10_pct": np.round(np.where(T_int > 0, 100 * out["plus10"] / np.where(
                T_int > 0, T_int, 1), 0.0), 3),
            "min10_pct": np.round(np.where(T_int > 0, 100 * out["min10"] / np.where(
                T_int > 0, T_int, 1), 0.0), 3),
        }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _notes(definition: FundDefinition, units: Units, atlas, filled: dict[str, int],
           jaren: pd.DataFrame) -> list[str]:
    f = definition.verdeling
    notes = [
        f"Fonds '{definition.naam}', verdeeld per {units.label}, {definition.years[0]}-"
        f"{definition.years[-1]}.",
        "Afronding: bedragen zijn hele euro's. Het fonds en de reserve worden half-naar-boven "
        "afgerond; de verdeling gebruikt de grootste-restmethode (eerst naar beneden afronden, "
        "dan de ontbrekende euro's één voor één aan de eenheden met de grootste resten), zodat "
        "verdeling plus reserve elk jaar precies optellen tot het fonds.",
        f"Collectieve reserve: {100 * definition.reserve.aandeel:.1f} % van het fonds"
        .replace(".", ",")
        + (f", voor: {'; '.join(definition.reserve.doelen)}." if definition.reserve.doelen
           else "."),
        "Leerlingaantallen per eenheid komen uit de leerlingstromen van de atlas "
        f"(herkomst: {STATUS_NL.get(atlas.meta.status('stromen'), 'onbekend')}); alle hierop "
        "gebaseerde uitkomsten zijn "
        "gemodelleerd.",
        "Huidige verdeling: " + {
            "verevening": "verevening (gelijk bedrag per leerling).",
            "bronnen": "waar het geld nu vandaan komt (bedragen per gemeente/regio bij de "
                       "bronnen; landelijke bronnen gelijk per leerling).",
        }.get(definition.overgang.huidige_verdeling,
              f"uit bestand {definition.overgang.huidige_verdeling} (als aandelen)."),
    ]
    if f.vloer_per_leerling or f.vloer_relatief or f.plafond_per_leerling or f.plafond_relatief:
        notes.append("Vloer en plafond per leerling gelden voor de doelverdeling; tijdens de "
                     "overgang ligt een eenheid tussen huidig en doel in.")
    for k, n in filled.items():
        if n and k in f.factoren:
            notes.append(f"Factor {FACTORS[k].label}: {n} postcodegebieden zonder waarde, "
                         "aangevuld met het gemiddelde van de gemeente (of het land).")
    for s in definition.bronnen:
        if s.herkomst:
            notes.append(f"Bron '{s.naam}': {s.herkomst}")
    return notes
