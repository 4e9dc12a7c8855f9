"""Scenario 1, variant "koppelen en ketenen" (an assumption of nabij, not of the advice).

The default S1 follows the advice's "natuurlijke basis" (:mod:`nabij.divisions.natural`). This
variant is the wider reading: a PO SWV and a VO SWV are *linked* when the pupils living in
their overlap are at least
``min_share`` (default 10 %) of the pupils living in either of them (PO pupils for the PO
SWV, VO pupils for the VO SWV). The funderend regions are the connected components of the
links. A PC4 whose PO and VO SWV fall in different components (a *sliver*) goes to the
component holding most of the (non-sliver) pupils of its gemeente; if its gemeente has none,
to the component of its PO SWV.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.divisions.division import Division
from nabij.divisions.graph import home_pupils, merged_name, school_pupils
from nabij.divisions.status_quo import status_quo
from nabij.tables import PO_TYPES, VO_TYPES

DEFAULT_MIN_SHARE = 0.10


def swv_links(po: pd.Series, vo: pd.Series, w_po: pd.Series, w_vo: pd.Series,
              min_share: float = DEFAULT_MIN_SHARE) -> pd.DataFrame:
    """Overlap of every (PO SWV, VO SWV) pair with its shares and whether it links them."""
    df = pd.DataFrame({"po": po.to_numpy(), "vo": vo.to_numpy(), "w_po": w_po.to_numpy(),
                       "w_vo": w_vo.to_numpy()})
    ov = df.groupby(["po", "vo"], as_index=False)[["w_po", "w_vo"]].sum()
    tot_p = df.groupby("po")["w_po"].sum()
    tot_v = df.groupby("vo")["w_vo"].sum()
    den_p = ov["po"].map(tot_p).to_numpy()
    den_v = ov["vo"].map(tot_v).to_numpy()
    ov["aandeel_po"] = np.divide(ov["w_po"], den_p, out=np.zeros(len(ov)), where=den_p > 0)
    ov["aandeel_vo"] = np.divide(ov["w_vo"], den_v, out=np.zeros(len(ov)), where=den_v > 0)
    ov["gekoppeld"] = (ov["aandeel_po"] >= min_share) | (ov["aandeel_vo"] >= min_share)
    return ov


def funderend_division(
    atlas: Atlas,
    min_share: float = DEFAULT_MIN_SHARE,
    po: Division | None = None,
    vo: Division | None = None,
) -> Division:
    """Funderend regions from linked PO and VO divisions (default: the status quo)."""
    if not 0 < min_share <= 1:
        raise ValueError("min_share moet tussen 0 en 1 liggen")
    po = po or status_quo(atlas, "PO")
    vo = vo or status_quo(atlas, "VO")
    codes = atlas.pc4["pc4"].astype(str)
    p = po.assignment.reindex(codes).to_numpy()
    v = vo.assignment.reindex(codes).to_numpy()
    w_po = home_pupils(atlas, PO_TYPES)
    w_vo = home_pupils(atlas, VO_TYPES)
    links = swv_links(pd.Series(p), pd.Series(v), w_po, w_vo, min_share)

    g = nx.Graph()
    g.add_nodes_from(("PO", x) for x in sorted(set(p)))
    g.add_nodes_from(("VO", x) for x in sorted(set(v)))
    lk = links[links["gekoppeld"]]
    g.add_edges_from(zip((("PO", x) for x in lk["po"]), (("VO", x) for x in lk["vo"]),
                         strict=True))
    comp_of: dict[tuple[str, str], str] = {}
    members: dict[str, list[str]] = {}
    for nodes in nx.connected_components(g):
        pos = sorted(x for s, x in nodes if s == "PO")
        vos = sorted(x for s, x in nodes if s == "VO")
        code = _code(pos, vos)
        members[code] = pos + vos
        for n in nodes:
            comp_of[n] = code

    cp = np.array([comp_of[("PO", x)] for x in p], dtype=object)
    cv = np.array([comp_of[("VO", x)] for x in v], dtype=object)
    sliver = cp != cv
    region = cp.copy()
    gem = atlas.pc4["gemeente"].astype(str).to_numpy()
    weight = w_po.to_numpy() + w_vo.to_numpy() + 1e-9
    if sliver.any():
        core = pd.DataFrame({"g": gem[~sliver], "r": cp[~sliver], "w": weight[~sliver]})
        best = (core.groupby(["g", "r"])["w"].sum().reset_index()
                .sort_values(["g", "w", "r"], ascending=[True, False, True])
                .drop_duplicates("g").set_index("g")["r"])
        fill = pd.Series(gem[sliver]).map(best).to_numpy()
        region[sliver] = np.where(pd.isna(fill), cp[sliver], fill)

    assignment = pd.Series(region, index=codes.to_numpy())
    names = {c: merged_name(m) for c, m in members.items()}
    used = sorted(set(region))
    size = school_pupils(atlas, PO_TYPES + VO_TYPES).groupby(assignment).sum()
    recipe = {
        "bouwer": "funderend",
        "scenario": "s1-keten",
        "sector": "PO+VO",
        "regel": f"koppelen en ketenen (aanname van nabij): een PO- en een VO-SWV worden "
                 f"gekoppeld als hun overlap minstens {min_share:.0%} van de leerlingen van een "
                 "van beide is; gekoppelde SWV's vormen samen één regio, ook via derde SWV's",
        "min_aandeel": min_share,
        "basis_po": po.name,
        "basis_vo": vo.name,
        "koppelingen": int(lk.shape[0]),
        "regios": len(used),
        "leerlingen_min": float(size.min()) if len(size) else None,
        "leerlingen_mediaan": float(size.median()) if len(size) else None,
        "leerlingen_max": float(size.max()) if len(size) else None,
        "snippers_pc4": int(sliver.sum()),
        "snippers_leerlingen": float((w_po.to_numpy() + w_vo.to_numpy())[sliver].sum()),
        "samenstelling": {c: members[c] for c in used if c in members},
    }
    return Division("S1-variant Koppelen en ketenen", "PO+VO", assignment, recipe,
                    {c: names[c] for c in used})


def _code(pos: list[str], vos: list[str]) -> str:
    """Region code from its first PO SWV ("PO 27-07" -> "FO 27-07"), else its VO SWV."""
    if pos:
        return "FO " + pos[0].split(" ", 1)[-1]
    return "FO " + vos[0].split(" ", 1)[-1] + "v"
