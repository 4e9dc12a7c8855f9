"""Scenario 1 as the advice words it: one SWV funderend "waar daar al een natuurlijke basis voor
ligt" (seed 000, advies 1a).

A PO SWV and a VO SWV form a *natural pair* when their areas match: the pupils living in their
overlap are at least ``share`` (default 0.8) of the PO SWV's PO pupils **and** at least
``share`` of the VO SWV's VO pupils (both ways, pupils by home PC4). Pairs never chain through a
third SWV: each SWV joins at most one pair (above a share of 0.5 that follows from the rule;
at 0.5 and below, the pairs with the best weaker side are taken first). A pair becomes one SWV
funderend; every other SWV stays as it is.

The result is two sector divisions (PO and VO) of one scenario: a pair's region has the same
code (``FO 27-07``) in both, so it is one organisation. Its PO part is the PO SWV's area and
its VO part the VO SWV's area; the PC4 areas where these differ (at most ``1 - share`` of
either side) are reported as *randgebied* in the recipe. The size of a funderend SWV is the PO
pupils on school locations in its PO part plus the VO pupils in its VO part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabij.atlas import Atlas
from nabij.defaults import S1_NATURAL_SHARE, S1_SENSITIVITY_SHARES
from nabij.divisions.division import Division
from nabij.divisions.funderend import swv_links
from nabij.divisions.graph import home_pupils, merged_name, school_pupils
from nabij.divisions.status_quo import status_quo
from nabij.tables import PO_TYPES, VO_TYPES

NATURAL_SHARE = S1_NATURAL_SHARE
SENSITIVITY_SHARES = S1_SENSITIVITY_SHARES


@dataclass(frozen=True)
class NaturalPairs:
    """The pairs at one share, with the overlap table they were chosen from."""

    share: float
    pairs: pd.DataFrame  # po, vo, aandeel_po, aandeel_vo
    po_size: pd.Series  # PO pupils on school locations per PO SWV
    vo_size: pd.Series  # VO pupils per VO SWV

    def sizes(self) -> pd.Series:
        """Pupils per resulting SWV: pairs (PO + VO part), then the unpaired SWVs."""
        paired = (self.pairs["po"].map(self.po_size).to_numpy()
                  + self.pairs["vo"].map(self.vo_size).to_numpy())
        out = pd.Series(paired, index=[fo_code(p) for p in self.pairs["po"]], dtype=float)
        rest_po = self.po_size.drop(self.pairs["po"])
        rest_vo = self.vo_size.drop(self.pairs["vo"])
        return pd.concat([out, rest_po, rest_vo])


def fo_code(po_code: str) -> str:
    """Code of a funderend SWV from its PO SWV: "PO 27-07" -> "FO 27-07"."""
    return "FO " + str(po_code).split(" ", 1)[-1]


def natural_pairs(links: pd.DataFrame, share: float) -> pd.DataFrame:
    """Pairs with both shares >= ``share``; each SWV in at most one pair (best first)."""
    ok = links[(links["aandeel_po"] >= share - 1e-12) & (links["aandeel_vo"] >= share - 1e-12)]
    ok = ok.assign(zwakste=np.minimum(ok["aandeel_po"], ok["aandeel_vo"]))
    ok = ok.sort_values(["zwakste", "po", "vo"], ascending=[False, True, True])
    used_po: set[str] = set()
    used_vo: set[str] = set()
    rows = []
    for r in ok.itertuples(index=False):
        if r.po in used_po or r.vo in used_vo:
            continue
        used_po.add(r.po)
        used_vo.add(r.vo)
        rows.append((r.po, r.vo, float(r.aandeel_po), float(r.aandeel_vo)))
    return pd.DataFrame(rows, columns=["po", "vo", "aandeel_po", "aandeel_vo"]).sort_values(
        "po", ignore_index=True)


class _Inputs:
    """Status-quo assignments, overlap table and sizes of one atlas (computed once)."""

    def __init__(self, atlas: Atlas, po: Division, vo: Division) -> None:
        codes = atlas.pc4["pc4"].astype(str)
        self.po, self.vo = po, vo
        self.p = po.assignment.reindex(codes).to_numpy()
        self.v = vo.assignment.reindex(codes).to_numpy()
        self.w_po = home_pupils(atlas, PO_TYPES).reindex(codes).to_numpy()
        self.w_vo = home_pupils(atlas, VO_TYPES).reindex(codes).to_numpy()
        self.links = swv_links(pd.Series(self.p), pd.Series(self.v), pd.Series(self.w_po),
                               pd.Series(self.w_vo), 1.0)
        sp = school_pupils(atlas, PO_TYPES).reindex(codes).to_numpy()
        sv = school_pupils(atlas, VO_TYPES).reindex(codes).to_numpy()
        self.po_size = pd.Series(sp).groupby(self.p).sum()
        self.vo_size = pd.Series(sv).groupby(self.v).sum()

    def at(self, share: float) -> NaturalPairs:
        return NaturalPairs(share, natural_pairs(self.links, share), self.po_size, self.vo_size)


def largest_pair(atlas: Atlas, po: Division | None = None, vo: Division | None = None) -> float:
    """Pupils of the largest status-quo pair of a PO and a VO SWV whose areas overlap."""
    inp = _Inputs(atlas, po or status_quo(atlas, "PO"), vo or status_quo(atlas, "VO"))
    lk = inp.links[(inp.links["w_po"] + inp.links["w_vo"]) > 0]
    return float((lk["po"].map(inp.po_size) + lk["vo"].map(inp.vo_size)).max())


def sensitivity(inp: _Inputs, shares: Sequence[float]) -> list[dict]:
    """Pairs, SWVs and largest SWV for each share."""
    out = []
    for s in shares:
        np_ = inp.at(s)
        sizes = np_.sizes()
        out.append({"aandeel": s, "paren": len(np_.pairs), "regios": len(sizes),
                    "grootste_leerlingen": round(float(sizes.max())) if len(sizes) else 0})
    return out


def natural_funderend(
    atlas: Atlas,
    share: float = NATURAL_SHARE,
    po: Division | None = None,
    vo: Division | None = None,
    shares: Sequence[float] = SENSITIVITY_SHARES,
) -> list[Division]:
    """S1 by the natural-basis rule: [PO division, VO division] of one scenario ``s1``."""
    if not 0 < share <= 1:
        raise ValueError("het aandeel moet tussen 0 en 1 liggen")
    inp = _Inputs(atlas, po or status_quo(atlas, "PO"), vo or status_quo(atlas, "VO"))
    res = inp.at(share)
    pairs = res.pairs
    po_to = dict(zip(pairs["po"], map(fo_code, pairs["po"]), strict=True))
    vo_to = dict(zip(pairs["vo"], map(fo_code, pairs["po"]), strict=True))
    names = {fo_code(p): "SWV funderend " + merged_name([inp.po.region_name(p),
                                                        inp.vo.region_name(v)])
             for p, v in zip(pairs["po"], pairs["vo"], strict=True)}
    in_po = np.isin(inp.p, pairs["po"].to_numpy())
    in_vo = np.isin(inp.v, pairs["vo"].to_numpy())
    pair_of_po = pd.Series(inp.p).map(po_to).to_numpy()
    pair_of_vo = pd.Series(inp.v).map(vo_to).to_numpy()
    fringe = (in_po | in_vo) & (pair_of_po != pair_of_vo)
    sizes = res.sizes()
    recipe = {
        "bouwer": "funderend-natuurlijk",
        "scenario": "s1",
        "regel": "natuurlijke basis: een PO- en een VO-SWV worden één SWV funderend als "
                 f"minstens {share:.0%} van de leerlingen van elk van beide in hun gedeelde "
                 "gebied woont (beide kanten op), zonder ketens via derde SWV's; de andere "
                 "SWV's blijven zoals ze zijn",
        "aandeel": share,
        "bron_aandeel": "aanname van nabij (het advies vraagt 'een natuurlijke basis' zonder "
                        "getal)",
        "basis_po": inp.po.name,
        "basis_vo": inp.vo.name,
        "paren": [{"regio": fo_code(p), "po": p, "vo": v, "aandeel_po": round(ap, 3),
                   "aandeel_vo": round(av, 3),
                   "leerlingen": round(float(inp.po_size[p] + inp.vo_size[v]))}
                  for p, v, ap, av in pairs.itertuples(index=False)],
        "regios": len(sizes),
        "leerlingen_max_funderend": round(float(sizes.max())) if len(sizes) else 0,
        "randgebied_pc4": int(fringe.sum()),
        "randgebied_leerlingen": round(float((inp.w_po + inp.w_vo)[fringe].sum())),
        "gevoeligheid": sensitivity(inp, shares),
    }
    out = []
    for sector, base, to in (("PO", inp.po, po_to), ("VO", inp.vo, vo_to)):
        assignment = base.assignment.map(lambda r, to=to: to.get(r, r))
        rn = {c: names.get(c) or base.region_name(c) for c in assignment.unique()}
        out.append(Division(f"S1 Funderend onderwijs {sector}", sector, assignment,
                            recipe | {"sector": sector}, rn))
    return out
