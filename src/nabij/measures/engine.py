"""Measure divisions side by side: :func:`measure_all` -> :class:`MeasureSet`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.atlas.distance import DistanceModel, StraightLineDetour
from nabij.divisions import Division
from nabij.measures import (
    congruentie,
    dekkend,
    doorgaande_lijn,
    drukte,
    grensverkeer,
    size,
    thuisnabijheid,
    verandering,
    verschillen,
)
from nabij.measures.combined import STATUS_QUO_FUNDEREND, combined_summary
from nabij.measures.context import DivisionView, MeasureContext
from nabij.measures.definitions import FLOWS, SCHOOLS, Definition, Params, Part, num
from nabij.parallel import fork_map, parent_only

FAMILIES = (size, drukte, grensverkeer, dekkend, thuisnabijheid, congruentie,
            doorgaande_lijn, verandering, verschillen)
"""Measure families in the order the report shows them."""


def all_definitions(params: Params | None = None) -> dict[str, Definition]:
    """Every measure key (summary and region level) with its Dutch definition."""
    params = params or Params()
    out: dict[str, Definition] = {}
    for fam in FAMILIES:
        out |= fam.definitions(params)
    return out


def slugify(text: str) -> str:
    """File-name-safe slug: "Fusie kleine SWV's PO" -> "fusie-kleine-swvs-po"."""
    s = text.lower().replace("'", "").replace("+", "-")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "indeling"


@dataclass
class DivisionMeasures:
    """All measures of one division."""

    division: Division
    slug: str
    summary: dict[str, float | None]
    regions: pd.DataFrame
    pc4: pd.DataFrame
    flows: pd.DataFrame

    @property
    def name(self) -> str:
        return self.division.name


@dataclass
class MeasureSet:
    """Measures of several divisions of one atlas, with their definitions."""

    atlas: dict
    definitions: dict[str, Definition]
    divisions: list[DivisionMeasures]
    modelled: dict[str, bool]
    params: Params = field(default_factory=Params)
    references: dict[str, dict] = field(default_factory=dict)
    """Sector -> {"naam", "summary"}: the status quo of that kind when it is not one division
    (PO+VO: the status quo PO and VO taken together, :mod:`nabij.measures.combined`)."""

    def __getitem__(self, key: str) -> DivisionMeasures:
        for d in self.divisions:
            if key in (d.slug, d.name):
                return d
        raise KeyError(key)

    def definition_dicts(self) -> dict[str, dict]:
        return {k: d.to_dict(self.modelled) for k, d in self.definitions.items()}

    @property
    def flows_modelled(self) -> bool:
        return self.modelled[FLOWS]

    def summary_keys(self) -> list[str]:
        return [k for k, d in self.definitions.items() if d.niveau == "samenvatting"]

    def summary_frame(self) -> pd.DataFrame:
        """One row per division: naam, slug, sector, then every summary measure."""
        rows = [{"naam": d.name, "slug": d.slug, "sector": d.division.sector} | d.summary
                for d in self.divisions]
        return pd.DataFrame(rows, columns=["naam", "slug", "sector"] + self.summary_keys())


def _integers(df: pd.DataFrame, defs: dict[str, Definition]) -> pd.DataFrame:
    """Count columns whose values are all whole numbers become integers (nicer JSON/CSV)."""
    for col in df.columns:
        d = defs.get(col)
        if d is None or d.eenheid not in ("aantal", "leerlingen") or df[col].dtype.kind != "f":
            continue
        v = df[col].to_numpy()
        fin = v[np.isfinite(v)]
        if np.array_equal(fin, np.round(fin)):
            ok = np.isfinite(v)
            df[col] = pd.arrays.IntegerArray(np.where(ok, np.round(v), 0).astype("int64"), ~ok)
    return df


def _distance_text(model: DistanceModel) -> str:
    return str(getattr(model, "description", type(model).__name__))


def _pair(divisions: Sequence[Division], d: Division) -> Division | None:
    """The other-sector division of the same scenario (None: use the status quo)."""
    other = {"PO": "VO", "VO": "PO"}.get(d.sector)
    if other is None:
        return None
    scen = d.recipe.get("scenario")
    return next((x for x in divisions if x.sector == other and scen is not None
                 and x.recipe.get("scenario") == scen), None)


def front_summary(atlas: Atlas, divisions: Sequence[Division], params: Params | None = None,
                  provisions: Sequence[str] | None = None) -> list[dict[str, float | None]]:
    """The summary measures a Pareto front needs (omvang, grensverkeer, thuisnabijheid,
    verandering), computed by the same measure functions as :func:`measure_all`."""
    params = params or Params()
    ctx = MeasureContext(atlas, StraightLineDetour(), tuple(provisions) if provisions else None)
    params = replace(params, provisions=ctx.provision_keys)
    sq = {s: ctx.status_quo_view(s, []) for s in ("PO", "VO")}
    out = []
    for d in divisions:
        v = ctx.view(d)
        summary: dict[str, float | None] = {}
        for part in (size.measure(v, params), grensverkeer.measure(v, params),
                     thuisnabijheid.measure(v, params), verandering.measure(v, sq, params)):
            summary |= part.summary
        out.append(summary)
    return out


def _partner(d: Division, divisions: Sequence[Division],
             view: Callable[[Division], DivisionView],
             sq: dict[str, DivisionView]) -> DivisionView | None:
    """The other-sector view measured with ``d`` (its scenario sibling, else the status quo)."""
    partner_div = _pair(divisions, d)
    if partner_div is not None:
        return view(partner_div)
    return sq[{"PO": "VO", "VO": "PO"}[d.sector]] if d.sector != "PO+VO" else None


def _measure_division(v: DivisionView, partner: DivisionView | None,
                      sq: dict[str, DivisionView], params: Params, summary_keys: list[str],
                      defs: dict[str, Definition]
                      ) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every measure family of one division: summary, regions, thuisnabijheid, grensverkeer."""
    parts: list[Part] = [
        size.measure(v, params),
        drukte.measure(v, params, partner),
        grensverkeer.measure(v, params),
        dekkend.measure(v, params),
        thuisnabijheid.measure(v, params),
        congruentie.measure(v, params),
        doorgaande_lijn.measure(v, partner, params),
        verandering.measure(v, sq, params),
        verschillen.measure(v, params),
    ]
    regions: dict[str, np.ndarray | list] = {"regio": list(v.regions), "naam": v.names}
    summary: dict[str, float | None] = {}
    tables: dict[str, pd.DataFrame] = {}
    for part in parts:
        regions |= part.regions
        summary |= part.summary
        tables |= part.tables
    return ({k: num(summary.get(k)) for k in summary_keys},
            _integers(pd.DataFrame(regions), defs), tables["thuisnabijheid"],
            tables["grensverkeer"])


def measure_all(
    atlas: Atlas,
    divisions: Sequence[Division],
    status_quo: Sequence[Division] | None = None,
    distance_model: DistanceModel | None = None,
    params: Params | None = None,
    provisions: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> MeasureSet:
    """Every measure of every division, on one shared :class:`MeasureContext`.

    ``status_quo`` (PO and VO divisions) is the reference for *verandering* and the partner
    for *doorgaande lijn* when a division has no other-sector sibling in its scenario;
    default: the atlas' SWV divisions. ``distance_model`` defaults to straight line x 1.3.
    """
    model = distance_model or StraightLineDetour()
    params = params or Params()
    ctx = MeasureContext(atlas, model, tuple(provisions) if provisions else None)
    params = replace(params, distance_text=_distance_text(model),
                     provisions=ctx.provision_keys)
    sq = {s: ctx.status_quo_view(s, list(status_quo or [])) for s in ("PO", "VO")}
    defs = all_definitions(params)
    summary_keys = [k for k, d in defs.items() if d.niveau == "samenvatting"]
    views: dict[int, DivisionView] = {}

    def view(d: Division) -> DivisionView:
        return views.setdefault(id(d), ctx.view(d))

    report = parent_only(progress)

    def one(d: Division) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        report(d.name)
        return _measure_division(view(d), _partner(d, divisions, view, sq), sq, params,
                                 summary_keys, defs)

    # half of the divisions are measured by a forked child on the second core
    results = fork_map(one, list(divisions))
    used: set[str] = set()
    out = []
    for d, (summary, regions, pc4, flows) in zip(divisions, results, strict=True):
        slug = slugify(d.name)
        base, i = slug, 2
        while slug in used:
            slug, i = f"{base}-{i}", i + 1
        used.add(slug)
        out.append(DivisionMeasures(division=d, slug=slug, summary=summary, regions=regions,
                                    pc4=pc4, flows=flows))
    meta = atlas.meta
    sq_pair = [next((d for d in out if d.division.recipe.get("bouwer") == "status_quo"
                     and d.division.sector == sec), None) for sec in ("PO", "VO")]
    references = {}
    if sq_pair[0] is not None and sq_pair[1] is not None:
        references["PO+VO"] = {"naam": STATUS_QUO_FUNDEREND,
                               "summary": combined_summary(sq_pair[0], sq_pair[1], params.km_bands)}
    return MeasureSet(
        atlas={"name": meta.name, "reference_year": meta.reference_year,
               "provenance": {k: dict(v) for k, v in meta.provenance.items()}},
        definitions=defs,
        divisions=out,
        modelled={FLOWS: ctx.flows_modelled, SCHOOLS: ctx.schools_modelled},
        params=params,
        references=references,
    )


__all__ = ["DivisionMeasures", "MeasureSet", "all_definitions", "measure_all", "slugify"]
