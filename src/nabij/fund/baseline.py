"""Where each source's money sits today: per PC4 weights for contributions and the baseline.

Every source of a fund definition gets a weight vector over the Atlas' PC4 areas (summing to 1):

* an amount **per gemeente or region** (SWV, jeugdregio) is spread over that code's PC4 areas in
  proportion to the pupils living there (equally when none live there);
* a **national** amount is spread by the key of its kind (:data:`BASELINE_KEY`): SWV money
  (``onderwijs``, ``overig``) by pupils (a national rate x pupils: the SWV budget for its
  pupils), gemeente money for youth care and childcare by the children of school age (CBS),
  transport money by the modelled transport cost per home gemeente (from the transport model,
  passed in by the caller; spread over the gemeente's PC4 areas by the kilometres its SBO/SO/VSO
  pupils travel).

The same vectors say which regional fund a source fills (its contribution) and where the money
sits in today's *basislijn* per leeromgeving. National amounts spread by a key are modelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nabij.fund.definition import BASELINE_KEY, FundDefinition, Source

KEY_LABELS = {
    "leerlingen": "landelijk tarief x leerlingen",
    "kinderen": "naar rato van kinderen van schoolleeftijd (CBS)",
    "vervoerskosten": "naar rato van de gemodelleerde vervoerskosten per gemeente",
}


def _normalised(v: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    s = float(v.sum())
    if s > 0:
        return v / s
    f = float(fallback.sum())
    return fallback / f if f > 0 else np.full(len(v), 1.0 / max(1, len(v)))


def code_pc4(atlas, pc4_index: pd.Index) -> dict[str, np.ndarray]:
    """For every code kind (GM, PO, VO, JZ): the code of each PC4 area, aligned to the index."""
    pc4 = atlas.pc4.set_index(atlas.pc4["pc4"].astype(str))
    ind = atlas.indeling.set_index(atlas.indeling["pc4"].astype(str))
    jz = atlas.gemeenten.set_index("gemeente")["jeugdregio"].astype(str)
    gem = pc4["gemeente"].astype(str).reindex(pc4_index)
    return {"GM": gem.to_numpy(object),
            "PO": ind["swv_po"].astype(str).reindex(pc4_index).to_numpy(object),
            "VO": ind["swv_vo"].astype(str).reindex(pc4_index).to_numpy(object),
            "JZ": gem.map(jz).to_numpy(object)}


def key_vectors(masses: pd.DataFrame, gemeente_of_pc4: np.ndarray,
                transport_cost: pd.Series | None) -> tuple[dict[str, np.ndarray], list[str]]:
    """Unnormalised PC4 weights per baseline key, and notes on approximations made."""
    pupils = masses["leerlingen"].to_numpy(float)
    kids = masses["kinderen"].to_numpy(float) if "kinderen" in masses else pupils
    notes = []
    if kids.sum() <= 0:
        kids, notes = pupils, ["Geen kinderaantallen in de atlas: jeugdhulp en kinderopvang "
                               "zijn naar rato van leerlingen toegerekend."]
    km = masses["reisafstand"].to_numpy(float) if "reisafstand" in masses else pupils
    if transport_cost is None:
        cost = km
        notes.append("Vervoerskosten per gemeente niet meegegeven: landelijke vervoersbedragen "
                     "zijn toegerekend naar rato van de reiskilometers naar SBO, SO en VSO.")
    else:
        gem = pd.Series(gemeente_of_pc4)
        km_gem = pd.Series(km).groupby(gem).transform("sum").to_numpy(float)
        n_gem = pd.Series(pupils).groupby(gem).transform("sum").to_numpy(float)
        within = np.where(km_gem > 0, km / np.where(km_gem > 0, km_gem, 1.0),
                          np.where(n_gem > 0, pupils / np.where(n_gem > 0, n_gem, 1.0), 0.0))
        per_gem = pd.Series(transport_cost, dtype=float).reindex(gem).fillna(0.0).to_numpy()
        cost = per_gem * within
    return {"leerlingen": pupils, "kinderen": kids, "vervoerskosten": cost}, notes


def source_vector(source: Source, keys: dict[str, np.ndarray],
                  codes: dict[str, np.ndarray]) -> np.ndarray:
    """PC4 weights (summing to 1) of one source: where its money comes from."""
    pupils = keys["leerlingen"]
    if not source.per_eenheid:
        return _normalised(keys[BASELINE_KEY.get(source.soort, "leerlingen")], pupils)
    out = np.zeros(len(pupils))
    for code, amount in source.per_eenheid.items():
        kind = "GM" if code.startswith("GM") else code[:2]
        members = codes[kind] == code
        if not members.any():
            continue
        n = np.where(members, pupils, 0.0)
        share = n / n.sum() if n.sum() > 0 else members / members.sum()
        out += float(amount) * share
    return _normalised(out, pupils)


def source_vectors(definition: FundDefinition, atlas, masses: pd.DataFrame,
                   transport_cost: pd.Series | None = None) -> tuple[np.ndarray, list[str]]:
    """Matrix sources x PC4 areas of :func:`source_vector`, and notes."""
    codes = code_pc4(atlas, masses.index)
    needs_cost = any(not s.per_eenheid and BASELINE_KEY.get(s.soort) == "vervoerskosten"
                     for s in definition.bronnen)
    keys, notes = key_vectors(masses, codes["GM"], transport_cost)
    if not needs_cost:
        notes = [n for n in notes if "Vervoerskosten" not in n]
    vectors = np.array([source_vector(s, keys, codes) for s in definition.bronnen])
    return vectors.reshape(len(definition.bronnen), len(masses)), notes


def contributor(source: Source) -> str:
    """Dutch description of who contributes a source and how it is split over regions."""
    if source.per_eenheid:
        kinds = {("gemeenten" if c.startswith("GM") else "regio's") for c in source.per_eenheid}
        return "opgegeven bedragen per " + " en ".join(sorted(kinds)) + " (naar rato van " \
            "leerlingen over postcodegebieden)"
    return "landelijk bedrag, " + KEY_LABELS[BASELINE_KEY.get(source.soort, "leerlingen")] \
        + " (gemodelleerd)"
