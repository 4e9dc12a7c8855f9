"""The status quo PO and VO taken together, as the reference of funderend divisions.

A funderend division (one region for PO and VO) must be compared with today's PO *and* VO
SWVs together, not with "Status quo PO" alone (issue 10). :func:`combined_summary` computes the
headline measures of the pair exactly from the two measured divisions: counts add up (regions,
small, large, non-contiguous regions), grensverkeer pools the pupil flows of both sectors (each
in its own division), thuisnabijheid pools the children of the PO provisions (in the PO
division) and of the VO provisions (in the VO division), OOGO partners per gemeente already
count PO and VO together, and the status quo does not change.
"""

from __future__ import annotations

import numpy as np

from nabij.measures.definitions import num, wquantile

STATUS_QUO_FUNDEREND = "Status quo PO en VO samen"


def _pooled(parts, bands: tuple[int, ...]) -> dict:
    dist, w, has = [], [], []
    for t in parts:
        for col in [c for c in t.columns if c.startswith("afstand_thuis_")]:
            key = col.removeprefix("afstand_thuis_")
            dist.append(t[col].to_numpy(float))
            w.append(t["kinderen"].to_numpy(float))
            has.append(np.isfinite(t[f"afstand_eigen_{key}"].to_numpy(float)))
    if not dist:
        return {}
    d, wt, h = np.concatenate(dist), np.concatenate(w), np.concatenate(has)
    d = np.nan_to_num(d, nan=np.inf)
    tot = wt.sum()
    out = {"thuisnabij_mediaan": wquantile(d, wt, 0.5),
           "zonder_eigen_voorziening": num(wt[~h].sum() / tot) if tot > 0 else None}
    for b in bands:
        out[f"thuisnabij_binnen_{b}km"] = num(wt[d <= b].sum() / tot) if tot > 0 else None
    return out


def combined_summary(po, vo, bands: tuple[int, ...]) -> dict:
    """Headline summary of two measured sector divisions (DivisionMeasures) taken together."""
    s = {}
    for key in ("regios", "regios_klein", "regios_groot", "niet_aaneengesloten",
                "leerlingen_totaal"):
        a, b = po.summary.get(key), vo.summary.get(key)
        if a is not None and b is not None:
            s[key] = num(a + b)
    flows = [f for f in (po.flows, vo.flows) if f is not None and len(f)]
    if flows:
        cross = sum(float(f.loc[f["van"] != f["naar"], "leerlingen"].sum()) for f in flows)
        total = sum(float(f["leerlingen"].sum()) for f in flows)
        s["grensverkeer"] = num(cross / total) if total > 0 else None
    s |= _pooled([po.pc4, vo.pc4], bands)
    s["oogo_partners_per_gemeente"] = po.summary.get("oogo_partners_per_gemeente")
    s["verandering_leerlingen"] = 0.0
    return s
