"""Allocation of the inclusiefonds: one fund per region, measured against today's money.

The unit that holds a fund is the region of a resultaatverplichtend overleg (any Division:
status quo SWV PO, a scenario, a custom CSV; or one national fund). Each region's fund is
filled by its own parties and distributed over its *inclusieve leeromgevingen* (gemeenten, or
any finer or other unit: the part of the unit inside the region). Per year y, in whole euros:

1. **Sources.** Each source's amount a_s,y (rounded to whole euros, half away from zero) is
   split over the regions by where the money comes from (:mod:`nabij.fund.baseline`: amounts
   per gemeente/region as given; national amounts by pupils, children or modelled transport
   cost) with the rounding rule, so the contributions of a source add up to a_s,y exactly.
   **Fund** F_r,y = the region's contributions.
2. **Reserve** R_r,y = ``aandeel`` x F_r,y (half away from zero), of which the
   **doorbraakbudget** B_r,y = ``doorbraakbudget`` x F_r,y (at most R). **Distributable**
   D_r,y = F_r,y - R_r,y.
3. **Target.** The formula (weights for ``basis`` and each factor) gives each component the
   budget D x w_j / sum(w), spread over the region's units by the factor's mass; floor and cap
   per pupil by water-filling (:func:`nabij.fund.allocate.target_amounts`).
4. **Baseline and phasing.** Today's money per unit (:mod:`nabij.fund.baseline`, plus the
   amounts a user supplies) scaled to D_r,y is the current distribution C; the year's
   allocation is C + lambda_y (T - C), lambda_y the transition fraction (1 in the doeljaar).
5. **Rounding rule** (largest remainder): per region, allocations + reserve = F_r,y to the euro;
   nationally, the sum over regions = the sum of all sources to the euro.

Winners and losers compare the doeljaar target with the baseline (both scaled to D); the
flat-per-pupil comparison is kept as *gelijk per leerling*. Sensitivity: each weight x 1.1 and
x 0.9, others fixed. Pupil counts come from the Atlas' flows: everything is *gemodelleerd*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from nabij.divisions.division import Division
from nabij.errors import InputError, Problem
from nabij.fund import export
from nabij.fund.allocate import (
    MODELLED,
    STATUS_NL,
    Units,
    round_to_total,
    target_amounts,
    units_for,
)
from nabij.fund.baseline import contributor, source_vectors
from nabij.fund.definition import (
    BASELINE,
    FLAT,
    SOURCE_KIND_LABELS,
    FundDefinition,
    euros,
    read_code_amounts,
)
from nabij.fund.factors import FACTORS, PROVISION_LABEL, factor_masses, intensities
from nabij.io.numbers import nl_euro
from nabij.privacy import DEFAULT_THRESHOLD, publish

NATIONAL = "NL"
NATIONAL_NAME = "Nederland (één landelijk fonds)"
SEP = "\x1f"


# -- result ----------------------------------------------------------------------------------------

@dataclass
class FundResult:
    """Everything an allocation produced; tables have Dutch column names for export.

    ``regios`` (per region and year), ``bronnen`` (per source: kind, term, who contributes,
    provenance), ``bijdragen`` (per region and source, one column per year) and the
    national ``jaren`` (the sum over the regions) describe the funds; ``verdeling``,
    ``effect``, ``toelichting``, ``factoren`` and ``gevoeligheid`` have one row per
    leeromgeving (column ``regio`` + ``eenheid``).
    """

    definition: FundDefinition
    units: Units
    regions: Units
    jaren: pd.DataFrame
    regios: pd.DataFrame
    bronnen: pd.DataFrame
    bijdragen: pd.DataFrame
    verdeling: pd.DataFrame
    effect: pd.DataFrame
    toelichting: pd.DataFrame
    factoren: pd.DataFrame
    gevoeligheid: pd.DataFrame
    gewichten: pd.DataFrame
    notes: list[str]
    threshold: int = DEFAULT_THRESHOLD
    suppress: bool = True
    """False only with ``--no-suppress`` (outputs then say "niet voor publicatie")."""

    TABLES = ("jaren", "regios", "bronnen", "bijdragen", "gewichten", "verdeling", "effect",
              "toelichting", "factoren", "gevoeligheid")

    @property
    def doeljaar(self) -> int:
        return self.definition.overgang.doeljaar

    @property
    def regional(self) -> bool:
        return self.regions.level != "land"

    @property
    def provision_share(self) -> float:
        """Share of the distributable money that follows provision-based factors."""
        g = self.gewichten
        return float(g.loc[g["grondslag"] == PROVISION_LABEL, "aandeel"].sum())

    def summary(self) -> dict:
        """Headline figures (raw numbers; the report suppresses small counts)."""
        last = self.jaren[self.jaren["jaar"] == self.doeljaar].iloc[0]
        e = self.effect
        return {
            "fonds": self.definition.naam,
            "niveau": self.units.label,
            "regio": self.regions.label,
            "fondsen": int(last["fondsen"]),
            "eenheden": int(len(e)),
            "doeljaar": self.doeljaar,
            "fonds_doeljaar": int(last["fonds"]),
            "reserve_doeljaar": int(last["reserve"]),
            "doorbraakbudget_doeljaar": int(last["doorbraakbudget"]),
            "te_verdelen_doeljaar": int(last["te_verdelen"]),
            "winnaars": int((e["uitkomst"] == "wint").sum()),
            "verliezers": int((e["uitkomst"] == "verliest").sum()),
            "grootste_winst_per_leerling": float(e["verschil_per_leerling"].max()),
            "grootste_verlies_per_leerling": float(e["verschil_per_leerling"].min()),
            "aandeel_voorzieningsbekostiging": round(self.provision_share, 6),
        }

    def published(self) -> dict[str, pd.DataFrame]:
        """Tables as published: pupil counts < threshold shown as "<10", per-pupil hidden."""
        out = {}
        for name in self.TABLES:
            df = getattr(self, name)
            keys = tuple(k for k in ("jaar", "gewicht") if k in df.columns)
            # region totals are published in 'regios', national totals in 'jaren'
            groups = [keys + ("regio",), keys] if "regio" in df.columns else [keys]
            out[name] = publish(df, threshold=self.threshold, totals=groups,
                                suppress=self.suppress)
        return out

    def write(self, out: str | Path) -> list[Path]:
        """CSV per table, ``fonds.xlsx`` and ``fonds.json`` into ``out`` (each atomically)."""
        return export.write_tables(
            out, "fonds", self.published(), self.notes, f"Inclusiefonds: {self.definition.naam}",
            {"format": "nabij-fonds", "version": 2, "samenvatting": self.summary(),
             "toelichting": self.notes})


# -- geometry: (region, unit) pairs --------------------------------------------------------------

@dataclass
class _Pairs:
    """The leeromgevingen: (region, unit) pairs with their masses, sorted by region, unit."""

    region: np.ndarray
    unit: np.ndarray
    pos_of_pc4: np.ndarray
    masses: pd.DataFrame
    regions: list[str]
    bounds: list[tuple[int, int]] = field(default_factory=list)
    region_pos_of_pc4: np.ndarray = field(default_factory=lambda: np.zeros(0, int))


def _pairs(masses_pc4: pd.DataFrame, unit_of: np.ndarray, region_of: np.ndarray) -> _Pairs:
    keys = pd.Series(region_of, dtype=object) + SEP + pd.Series(unit_of, dtype=object)
    pos, uniq = pd.factorize(keys, sort=True)
    split = pd.Series(uniq).str.split(SEP, n=1, expand=True)
    region, unit = split[0].to_numpy(object), split[1].to_numpy(object)
    m = len(uniq)
    cols = {c: np.bincount(pos, weights=masses_pc4[c].to_numpy(float), minlength=m)
            for c in masses_pc4.columns}
    masses = pd.DataFrame(cols, index=pd.Index(uniq, name="paar"))
    regions = sorted(set(region))
    starts = np.searchsorted(region, regions, side="left")
    ends = np.searchsorted(region, regions, side="right")
    reg_pos = pd.Index(regions).get_indexer(pd.Series(region_of, dtype=object))
    return _Pairs(region, unit, pos, masses, regions,
                  list(zip(starts.tolist(), ends.tolist(), strict=True)), reg_pos)


# -- allocation ----------------------------------------------------------------------------------

def allocate(
    definition: FundDefinition,
    atlas,
    level: str | Division = "gemeente",
    current: pd.Series | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    sensitivity: bool = True,
    masses_pc4: pd.DataFrame | None = None,
    regions: str | Division | None = None,
    transport_cost: pd.Series | None = None,
) -> FundResult:
    """Allocate the fund for every year of the transition.

    ``regions``: the overleg regions that each hold a fund (a level name such as ``swv-po`` or
    a Division); None for one national fund. ``level``: the leeromgevingen the funds are
    distributed over (``gemeente`` by default, or any level or Division). ``current`` (unit
    code -> euros today) overrides the modelled baseline for the units it lists.
    ``transport_cost`` (gemeente -> modelled euros per year, from the transport model) places
    national transport money. ``masses_pc4`` may pass precomputed
    :func:`nabij.fund.factors.factor_masses` output.
    """
    gemeenten = set(atlas.gemeenten["gemeente"].astype(str))
    codes = set(atlas.swv["swv"].astype(str)) | set(atlas.jeugdregios["jeugdregio"].astype(str))
    definition.check_codes(gemeenten, codes)
    units = units_for(atlas, level)
    reg = _region_units(atlas, regions)
    filled: dict[str, int] = {}
    if masses_pc4 is None:
        masses_pc4, filled = factor_masses(atlas, definition.sectoren)
    idx = masses_pc4.index
    unit_of = units.of_pc4.reindex(idx).fillna("onbekend").astype(str).to_numpy(object)
    region_of = reg.of_pc4.reindex(idx).fillna("onbekend").astype(str).to_numpy(object)
    pairs = _pairs(masses_pc4, unit_of, region_of)
    if pairs.masses["leerlingen"].sum() <= 0:
        raise InputError("De atlas heeft geen leerlingen in de gekozen sectoren; er valt niets "
                         "te verdelen")
    how = definition.overgang.huidige_verdeling
    if current is None and how not in (BASELINE, FLAT):
        current = read_current(Path(how), sorted(set(pairs.unit)))
    vectors, key_notes = source_vectors(definition, atlas, masses_pc4, transport_cost)
    engine = _Engine(definition, pairs, vectors, units, reg,
                     _current_override(current, pairs))
    tables = engine.run(sensitivity)
    notes = _notes(definition, units, reg, atlas, filled, key_notes, current is not None)
    return FundResult(definition, units, reg, notes=notes, threshold=threshold, **tables)


def _region_units(atlas, regions: str | Division | None) -> Units:
    if regions is None or regions == "land":
        pc4 = atlas.pc4["pc4"].astype(str)
        return Units("land", "land (één fonds)", pd.Series(NATIONAL, index=pc4.to_numpy()),
                     {NATIONAL: NATIONAL_NAME})
    return units_for(atlas, regions)


def _current_override(current: pd.Series | None, pairs: _Pairs) -> np.ndarray | None:
    """Today's amounts per pair from user amounts per unit (NaN where not given)."""
    if current is None:
        return None
    c = pd.Series(current, dtype=float)
    unknown = sorted(set(c.index.astype(str)) - set(pairs.unit))
    if unknown:
        raise InputError("De huidige verdeling noemt eenheden die niet op dit niveau bestaan: "
                         + ", ".join(unknown[:10]))
    n = pairs.masses["leerlingen"].to_numpy(float)
    n_unit = pd.Series(n).groupby(pairs.unit).transform("sum").to_numpy(float)
    share = np.where(n_unit > 0, n / np.where(n_unit > 0, n_unit, 1.0), 1.0)
    given = pd.Series(pairs.unit).map(c).to_numpy(float)
    return given * share


@dataclass
class _Collected:
    """What the run over regions and years produced (lists in region order)."""

    contrib: dict[int, np.ndarray]
    region_rows: list[dict] = field(default_factory=list)
    alloc: dict[int, list[np.ndarray]] = field(default_factory=dict)
    target: list[np.ndarray] = field(default_factory=list)
    current: list[np.ndarray] = field(default_factory=list)
    flat: list[np.ndarray] = field(default_factory=list)
    parts: list[np.ndarray] = field(default_factory=list)
    sens: list[dict] = field(default_factory=list)


class _Engine:
    """Runs every region through every year; collects the tables."""

    def __init__(self, definition: FundDefinition, pairs: _Pairs, vectors: np.ndarray,
                 units: Units, reg: Units, override: np.ndarray | None) -> None:
        self.d, self.p, self.units, self.reg = definition, pairs, units, reg
        self.override = override
        n_pairs, n_reg = len(pairs.unit), len(pairs.regions)
        self.region_share = np.stack([np.bincount(pairs.region_pos_of_pc4, weights=v,
                                                  minlength=n_reg) for v in vectors]) \
            if len(vectors) else np.zeros((0, n_reg))
        self.pair_share = np.stack([np.bincount(pairs.pos_of_pc4, weights=v, minlength=n_pairs)
                                    for v in vectors]) if len(vectors) else np.zeros((0, n_pairs))
        weights = definition.verdeling.weights
        self.comp = list(weights)
        self.w = np.array([weights[k] for k in self.comp], float)
        m = pairs.masses
        self.pupils = m["leerlingen"].to_numpy(float)
        self.mass = np.column_stack([self.pupils] + [m[k].to_numpy(float)
                                                     for k in self.comp[1:]])
        self.prov = np.array([k != "basis" and FACTORS[k].provision_based for k in self.comp])
        self.names = np.array([units.names.get(u, u) for u in pairs.unit], dtype=object)
        self.rnames = [reg.names.get(r, r) for r in pairs.regions]

    # -- per year: contributions of every source to every region
    def contributions(self, year: int) -> np.ndarray:
        amounts = self.d.source_amounts(year)
        out = np.zeros((len(amounts), len(self.p.regions)), np.int64)
        for s, a in enumerate(amounts):
            if a:
                out[s] = round_to_total(a * self.region_share[s], a, self.p.regions)
        return out

    def baseline(self, year: int) -> np.ndarray:
        """Today's money per pair in ``year`` (euros, float; user amounts where given)."""
        amounts = np.array(self.d.source_amounts(year), float)
        base = amounts @ self.pair_share if len(amounts) else np.zeros(len(self.pupils))
        if self.override is not None:
            base = np.where(np.isnan(self.override), base, self.override)
        return base

    def run(self, sensitivity: bool) -> dict[str, pd.DataFrame]:
        """Every region through every year, then the tables."""
        years = self.d.years
        out = _Collected({y: self.contributions(y) for y in years})
        base = {y: self.baseline(y) for y in years}
        for r, (a, b) in enumerate(self.p.bounds):
            region = _Region(self, r, a, b)
            for y in years:
                row, amounts = region.year(y, int(out.contrib[y][:, r].sum()), base[y][a:b])
                out.region_rows.append(row)
                out.alloc.setdefault(y, []).append(amounts)
            for name, values in zip(("target", "current", "flat", "parts"), region.final,
                                    strict=True):
                getattr(out, name).append(values)
            if sensitivity:
                out.sens.append(region.sensitivity())
        return self._tables(out)

    # -- tables
    def _tables(self, out: _Collected) -> dict[str, pd.DataFrame]:
        p = self.p
        common = {"regio": p.region, "regio_naam": np.array(
            [self.rnames[i] for i in np.searchsorted(p.regions, p.region)], dtype=object),
            "eenheid": p.unit, "naam": self.names}
        regios = pd.DataFrame(out.region_rows)
        jaren = self._national(regios)
        bronnen, bijdragen = self._sources(out.contrib)
        T = np.concatenate(out.target)
        return {"jaren": jaren, "regios": regios, "bronnen": bronnen, "bijdragen": bijdragen,
                "verdeling": self._allocation(common, out.alloc),
                "effect": self._effect(common, T, np.concatenate(out.current),
                                       np.concatenate(out.flat)),
                "toelichting": self._explanation(common, T, np.concatenate(out.parts)),
                "factoren": self._factors(common),
                "gevoeligheid": self._sensitivity_table(out.sens, common, T),
                "gewichten": self._weights(int(jaren["te_verdelen"].iloc[-1]))}

    def _national(self, regios: pd.DataFrame) -> pd.DataFrame:
        """The national view: the sum over the regions per year."""
        d = self.d
        nat = regios.groupby("jaar", sort=True)[
            ["fonds", "reserve", "doorbraakbudget", "te_verdelen", "voorzieningsbekostiging"]
        ].sum().reset_index()
        wsum = self.w.sum()
        nat["overgang"] = [round(d.overgang.fraction(y), 4) for y in nat["jaar"]]
        nat["basisbedrag_per_leerling"] = np.round(nat["te_verdelen"] * self.w[0] / wsum
                                                   / self.pupils.sum(), 2)
        nat["bronnen"] = [sum(1 for s in d.bronnen if s.active(y)) for y in nat["jaar"]]
        nat["fondsen"] = len(self.p.regions)
        nat["som_bronnen"] = [d.total(y) for y in nat["jaar"]]
        return nat[["jaar", "fonds", "som_bronnen", "reserve", "doorbraakbudget", "te_verdelen",
                    "voorzieningsbekostiging", "overgang", "basisbedrag_per_leerling",
                    "bronnen", "fondsen"]]

    def _sources(self, contrib: dict[int, np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per source (kind, term, contributor, provenance) and per region x source x year."""
        d, years = self.d, self.d.years
        bij, rows = [], []
        for s, src in enumerate(d.bronnen):
            label = "aanname" if src.aanname else (MODELLED if src.gemodelleerd
                                                   else "opgegeven")
            kind = SOURCE_KIND_LABELS.get(src.soort, src.soort)
            rows.append({"bron": src.naam, "soort": kind,
                         "vanaf": src.vanaf or years[0], "tot": src.tot or years[-1],
                         "tijdelijk": "ja" if src.tot else "nee",
                         "bedrag_per_jaar": euros(src.total),
                         "bedrag_doeljaar": d.source_amounts(years[-1])[s],
                         "bijdrager": contributor(src), "herkomst": label,
                         "toelichting": " ".join(src.herkomst.split())})
            bij.append(pd.DataFrame({"regio": self.p.regions, "regio_naam": self.rnames,
                                     "bron": src.naam, "soort": kind}
                                    | {f"bedrag_{y}": contrib[y][s] for y in years}))
        return pd.DataFrame(rows), (pd.concat(bij, ignore_index=True) if bij
                                    else pd.DataFrame())

    def _allocation(self, common: dict, alloc: dict[int, list]) -> pd.DataFrame:
        frames = []
        for y in self.d.years:
            amounts = np.concatenate(alloc[y])
            frames.append(pd.DataFrame(common | {
                "jaar": y, "leerlingen": self.pupils, "bedrag": amounts,
                "per_leerling": _per(amounts.astype(float), self.pupils), "herkomst": MODELLED}))
        return pd.concat(frames, ignore_index=True)

    def _effect(self, common: dict, T: np.ndarray, C: np.ndarray,
                G: np.ndarray) -> pd.DataFrame:
        """Doeljaar target against the baseline (and against gelijk per leerling)."""
        diff = T - C
        n = self.pupils
        return pd.DataFrame(common | {
            "leerlingen": n, "huidig": C, "doel": T, "verschil": diff,
            "huidig_per_leerling": _per(C, n), "doel_per_leerling": _per(T, n),
            "verschil_per_leerling": _per(diff, n),
            "verschil_pct": np.round(np.where(C > 0, 100.0 * diff / np.where(C > 0, C, 1), 0.0),
                                     2),
            "uitkomst": np.where(diff > 0, "wint", np.where(diff < 0, "verliest", "gelijk")),
            "gelijk_per_leerling": G, "verschil_met_gelijk_per_leerling": T - G,
            "herkomst": MODELLED,
        }).sort_values(["regio", "verschil_per_leerling"], ascending=[True, False], kind="stable")

    def _explanation(self, common: dict, T: np.ndarray, raw: np.ndarray) -> pd.DataFrame:
        """Euros per component, the provision-based part and the floor/cap/rounding correction."""
        toel = pd.DataFrame(common | {"leerlingen": self.pupils})
        for j, k in enumerate(self.comp):
            toel[k] = raw[:, j]
        toel["voorzieningsbekostiging"] = raw[:, self.prov].sum(axis=1)
        toel["correctie"] = T - raw.sum(axis=1)
        toel["doel"] = T
        toel["herkomst"] = MODELLED
        return toel

    def _factors(self, common: dict) -> pd.DataFrame:
        inten = intensities(self.p.masses)
        fac = pd.DataFrame(common | {"leerlingen": self.pupils})
        for k in FACTORS:
            fac[k] = np.round(inten[k].to_numpy(float), 4)
        fac["herkomst"] = MODELLED
        return fac

    def _weights(self, D_last: int) -> pd.DataFrame:
        wsum = self.w.sum()
        natint = intensities(self.p.masses.sum().to_frame().T)
        return pd.DataFrame({
            "onderdeel": self.comp,
            "label": ["Basis per leerling"] + [FACTORS[k].label for k in self.comp[1:]],
            "grondslag": ["populatie"] + [PROVISION_LABEL if FACTORS[k].provision_based
                                          else "populatie" for k in self.comp[1:]],
            "gewicht": self.w, "aandeel": np.round(self.w / wsum, 6),
            "budget_doeljaar": round_to_total(D_last * self.w / wsum, D_last, self.comp),
            "landelijk_gemiddelde": [1.0] + [round(float(natint[k].iloc[0]), 4)
                                             for k in self.comp[1:]],
            "eenheid_waarde": ["per leerling"] + [FACTORS[k].unit for k in self.comp[1:]],
        })

    def _sensitivity_table(self, sens: list[dict], common: dict, T: np.ndarray) -> pd.DataFrame:
        if not sens:
            return pd.DataFrame(columns=["regio", "eenheid", "naam", "gewicht"])
        frames = []
        base = np.where(T > 0, T, 1)
        for k in sens[0]:
            plus = np.concatenate([x[k][0] for x in sens])
            minus = np.concatenate([x[k][1] for x in sens])
            frames.append(pd.DataFrame({
                "regio": common["regio"], "eenheid": common["eenheid"], "naam": common["naam"],
                "gewicht": k, "leerlingen": self.pupils, "plus10": plus, "min10": minus,
                "plus10_pct": np.round(np.where(T > 0, 100 * plus / base, 0.0), 3),
                "min10_pct": np.round(np.where(T > 0, 100 * minus / base, 0.0), 3)}))
        return pd.concat(frames, ignore_index=True)


class _Region:
    """One region's fund through the years (arrays of its pairs a:b)."""

    def __init__(self, e: _Engine, r: int, a: int, b: int) -> None:
        self.e, self.r, self.a, self.b = e, r, a, b
        self.code = e.p.regions[r]
        self.keys = list(e.p.unit[a:b])
        self.n = e.pupils[a:b]
        self.mass = e.mass[a:b]
        self.relative = e.d.verdeling.vloer_per_leerling is None and \
            e.d.verdeling.plafond_per_leerling is None
        self._shape: tuple[np.ndarray, np.ndarray] | None = None
        self.final = (np.zeros(b - a, np.int64),) * 3 + (np.zeros((b - a, len(e.w)), np.int64),)
        self.D_last = 0

    def target(self, D: int, w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Exact target and components for D (scaled from a cached shape when bounds are
        relative: the target is then proportional to D)."""
        w = self.e.w if w is None else w
        N = self.n.sum()
        if D <= 0:
            return np.zeros(len(self.n)), np.zeros((len(self.n), len(w)))
        if N <= 0:
            even = np.full(len(self.n), D / len(self.n))
            return even, np.column_stack([even] + [np.zeros(len(self.n))] * (len(w) - 1))
        cached = w is self.e.w and self.relative
        if cached and self._shape is not None:
            return self._shape[0] * D, self._shape[1] * D
        lo, hi = _bounds(self.e.d, D, N)
        try:
            T, parts = target_amounts(self.mass, w, self.n, D, lo, hi)
        except ValueError as err:
            raise InputError(_bound_message(str(err), self.code, D, self.n, lo, hi)) from err
        if cached:
            self._shape = (T / D, parts / D)
        return T, parts

    def year(self, y: int, F: int, base: np.ndarray) -> tuple[dict, np.ndarray]:
        e, d = self.e, self.e.d
        R = euros(Decimal(F) * Decimal(str(d.reserve.aandeel)))
        B = min(R, euros(Decimal(F) * Decimal(str(d.reserve.doorbraakbudget))))
        D = F - R
        T, parts = self.target(D)
        C = D * self._current_shares(base)
        lam = d.overgang.fraction(y)
        A = round_to_total(C + lam * (T - C), D, self.keys)
        prov = float(parts[:, e.prov].sum())
        if y == d.years[-1]:
            self.D_last = D
            self.final = (round_to_total(T, D, self.keys), round_to_total(C, D, self.keys),
                          round_to_total(D * self._flat(), D, self.keys),
                          np.rint(parts).astype(np.int64))
        row = {"regio": self.code, "naam": e.rnames[self.r], "jaar": y, "fonds": F,
               "reserve": R, "doorbraakbudget": B, "te_verdelen": D,
               "voorzieningsbekostiging": int(round(prov)),
               "leerlingen": float(self.n.sum()), "eenheden": len(self.keys),
               "overgang": round(lam, 4)}
        return row, A

    def _flat(self) -> np.ndarray:
        N = self.n.sum()
        return self.n / N if N > 0 else np.full(len(self.n), 1.0 / len(self.n))

    def _current_shares(self, base: np.ndarray) -> np.ndarray:
        if self.e.d.overgang.huidige_verdeling == FLAT:
            return self._flat()
        s = float(base.sum())
        return base / s if s > 0 else self._flat()

    def sensitivity(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per weight: change of each unit's doeljaar target at weight x 1.1 and x 0.9."""
        e, D = self.e, self.D_last
        T_int = self.final[0]
        out = {}
        for j, k in enumerate(e.comp):
            if e.w[j] <= 0:
                continue
            moved = []
            for f in (1.1, 0.9):
                w2 = e.w.copy()
                w2[j] *= f
                try:
                    T2, _ = self.target(D, w2)
                    moved.append(round_to_total(T2, D, self.keys) - T_int)
                except InputError:
                    moved.append(np.zeros(len(self.n), np.int64))
            out[k] = (moved[0], moved[1])
        return out


# -- helpers -------------------------------------------------------------------------------------

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
    return nl_euro(x)


def _bound_message(kind: str, region: str, D: int, pupils, lo: float, hi: float) -> str:
    where = "" if region == NATIONAL else f" in regio {region}"
    if kind == "floor":
        return (f"verdeling.vloer: de vloer ({_nl_eur(lo)} per leerling) vraagt{where} samen "
                f"{_nl_eur(lo * pupils.sum())}, meer dan het te verdelen bedrag {_nl_eur(D)}; "
                "verlaag de vloer")
    return (f"verdeling.plafond: het plafond ({_nl_eur(hi)} per leerling) is{where} te laag "
            f"om {_nl_eur(D)} te verdelen; verhoog het plafond")


def read_current(file: Path, codes: list[str]) -> pd.Series:
    """Today's amounts per unit from a CSV (``eenheid,bedrag``); units may be missing (they
    keep the modelled baseline), unknown or duplicate units are errors naming the row."""
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
    if not out and not problems:
        problems.append(Problem("het bestand bevat geen bedragen", str(file)))
    if problems:
        raise InputError("Huidige verdeling is ongeldig; er is niets geschreven", problems)
    return pd.Series(out)


def _notes(definition: FundDefinition, units: Units, reg: Units, atlas, filled: dict[str, int],
           key_notes: list[str], user_current: bool) -> list[str]:
    f = definition.verdeling
    how = definition.overgang.huidige_verdeling
    funds = ("Eén landelijk fonds" if reg.level == "land" else
             f"Eén fonds per {reg.label}: elke regio wordt gevuld door de bijdragen van haar eigen "
             "partijen, houdt een eigen collectieve reserve en verdeelt de rest over haar "
             "leeromgevingen; het landelijke beeld is de som van de regio's")
    notes = [
        f"Fonds '{definition.naam}': {funds}. Leeromgevingen: {units.label}, "
        f"{definition.years[0]}-{definition.years[-1]}.",
        "Afronding: bedragen zijn hele euro's. Elke bron wordt per jaar half-naar-boven "
        "afgerond en met de grootste-restmethode over de regio's verdeeld; de reserve is het "
        "aandeel van het regiofonds, half-naar-boven afgerond; de verdeling gebruikt weer de "
        "grootste-restmethode, zodat verdeling plus reserve per regio en per jaar precies "
        "optellen tot de eigen bronnen, en alle regio's samen tot de som van de bronnen.",
        f"Collectieve reserve per regio: {100 * definition.reserve.aandeel:.1f} % van het "
        "regiofonds".replace(".", ",")
        + (f", waarvan {100 * definition.reserve.doorbraakbudget:.1f} % ".replace(".", ",")
           + "doorbraakbudget" if definition.reserve.doorbraakbudget else "")
        + (f"; voor: {'; '.join(definition.reserve.doelen)}." if definition.reserve.doelen
           else "."),
        "Leerlingaantallen per eenheid komen uit de leerlingstromen van de atlas "
        f"(herkomst: {STATUS_NL.get(atlas.meta.status('stromen'), 'onbekend')}); alle hierop "
        "gebaseerde uitkomsten zijn gemodelleerd.",
    ]
    if how == FLAT:
        notes.append("Vergelijking en startpunt: gelijk per leerling (elk leerling in de regio "
                     "hetzelfde bedrag). Dit is geen bestaande verdeling.")
    else:
        notes.append(
            "Basislijn (het geld van nu, gemodelleerd): onderwijsondersteuning = landelijk "
            "tarief x leerlingen; landelijke bedragen voor jeugdhulp en kinderopvang naar rato "
            "van kinderen van schoolleeftijd; landelijke vervoersbedragen naar rato van de "
            "gemodelleerde vervoerskosten per gemeente; bedragen per gemeente of regio zoals "
            "opgegeven" + ("; door de gebruiker opgegeven bedragen per eenheid waar die er zijn"
                           if user_current or how not in (BASELINE, FLAT) else "")
            + ". De basislijn is per regio geschaald naar het te verdelen bedrag (na de "
            "reserve); winnaars en verliezers zijn daartegen gemeten. De vergelijking met "
            "'gelijk per leerling' staat ernaast.")
    notes += key_notes
    prov = [k for k in f.factoren if f.factoren[k] > 0 and FACTORS[k].provision_based]
    if prov:
        share = sum(f.factoren[k] for k in prov) / sum(f.weights.values())
        notes.append(
            f"Voorzieningsbekostiging: {', '.join(FACTORS[k].label for k in prov)} "
            f"({100 * share:.1f} % van het te verdelen bedrag)".replace(".", ",")
            + " volgt het huidige gebruik van speciaal onderwijs; het advies 'Over de lijnen' "
            "wil van voorzieningsbekostiging naar populatiebekostiging en preventie.")
    if f.vloer_per_leerling or f.vloer_relatief or f.plafond_per_leerling or f.plafond_relatief:
        notes.append("Vloer en plafond per leerling gelden voor de doelverdeling; tijdens de "
                     "overgang ligt een eenheid tussen huidig en doel in.")
    for k, n in filled.items():
        if n and k in f.factoren:
            notes.append(f"Factor {FACTORS[k].label}: {n} postcodegebieden zonder waarde, "
                         "aangevuld met het gemiddelde van de gemeente (of het land).")
    for s in definition.bronnen:
        if s.herkomst:
            tag = " (aanname)" if s.aanname else ""
            notes.append(f"Bron '{s.naam}'{tag}: {' '.join(s.herkomst.split())}")
    return notes
