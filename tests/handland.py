"""A hand-made country with hand-set pupil flows, so that every measure can be computed by hand.

Six PC4 areas on a line (lat 52.0, lon 5.0 .. 5.5, 0.1 degree apart)::

    pc4       1001   1002   2001   2002   3001   3002
    gemeente  GM0001 GM0001 GM0002 GM0002 GM0003 GM0003
    jeugdreg. JZ01   JZ01   JZ01   JZ01   JZ02   JZ02
    SWV PO    PO 01-01 ----------- PO 01-02 -----------
              (1001, 1002, 2001)   (2002, 3001, 3002)
    SWV VO    VO 01-01 ---  VO 01-02 ------------------
              (1001, 1002)  (2001, 2002, 3001, 3002)

Adjacency: the line 1001-1002-2001-2002-3001-3002 (``EDGES``).

Schools (at PC4 centroids): a BAO in every PC4; SBO at 1002 (board b2); SO cluster 3 at 1001
and SO cluster 3+4 at 3001 (board b3); VO at 1001 and 2002, PrO at 2002 (board b4); VSO 3+4
at 3002 (b3). BAO boards: b1 runs 1001, 1002, 2001; b2 runs 2002, 3001, 3002.

Flows (``FLOWS``: home pc4, school, type, pupils) are chosen by hand; school pupil counts are
the sums of their inflows. Children: 100 of PO age and 80 of VO age in every PC4.
"""

from __future__ import annotations

import pandas as pd

from nabij.atlas import build_atlas
from nabij.tables import TableBundle

PC4 = ["1001", "1002", "2001", "2002", "3001", "3002"]
LON = dict(zip(PC4, [5.0, 5.1, 5.2, 5.3, 5.4, 5.5], strict=True))
GEM = dict(zip(PC4, ["GM0001", "GM0001", "GM0002", "GM0002", "GM0003", "GM0003"], strict=True))
EDGES = [("1001", "1002"), ("1002", "2001"), ("2001", "2002"), ("2002", "3001"),
         ("3001", "3002")]

# vestiging, soort, clusters, bestuur, pc4
SCHOOLS = [
    ("BA1001", "BAO", None, "b1", "1001"),
    ("BA1002", "BAO", None, "b1", "1002"),
    ("BA2001", "BAO", None, "b1", "2001"),
    ("BA2002", "BAO", None, "b2", "2002"),
    ("BA3001", "BAO", None, "b2", "3001"),
    ("BA3002", "BAO", None, "b2", "3002"),
    ("SB1002", "SBO", None, "b2", "1002"),
    ("SO1001", "SO", "3", "b3", "1001"),
    ("SO3001", "SO", "3;4", "b3", "3001"),
    ("VO1001", "VO", None, "b4", "1001"),
    ("VO2002", "VO", None, "b4", "2002"),
    ("PR2002", "PRO", None, "b4", "2002"),
    ("VS3002", "VSO", "3;4", "b3", "3002"),
]

FLOWS = [
    # BAO: everyone to the own PC4's school, except 20 pupils of 2001 going to 2002
    ("1001", "BA1001", "BAO", 100), ("1002", "BA1002", "BAO", 100),
    ("2001", "BA2001", "BAO", 80), ("2001", "BA2002", "BAO", 20),
    ("2002", "BA2002", "BAO", 100), ("3001", "BA3001", "BAO", 100),
    ("3002", "BA3002", "BAO", 100),
    # SBO at 1002
    ("1001", "SB1002", "SBO", 5), ("1002", "SB1002", "SBO", 5), ("2001", "SB1002", "SBO", 5),
    ("2002", "SB1002", "SBO", 5),
    # SO cluster 3+4 at 3001, SO cluster 3 at 1001
    ("2001", "SO3001", "SO", 10), ("2002", "SO3001", "SO", 10), ("3001", "SO3001", "SO", 10),
    ("3002", "SO3001", "SO", 10),
    ("1001", "SO1001", "SO", 10), ("1002", "SO1001", "SO", 10),
    # VO at 1001 and 2002
    ("1001", "VO1001", "VO", 100), ("1002", "VO1001", "VO", 100), ("2001", "VO1001", "VO", 100),
    ("2001", "VO2002", "VO", 50), ("2002", "VO2002", "VO", 150), ("3001", "VO2002", "VO", 100),
    ("3002", "VO2002", "VO", 100),
    # PrO at 2002, VSO at 3002
    ("1001", "PR2002", "PRO", 10), ("2002", "PR2002", "PRO", 10), ("3002", "PR2002", "PRO", 10),
    ("1001", "VS3002", "VSO", 5), ("2001", "VS3002", "VSO", 10), ("3002", "VS3002", "VSO", 10),
]


def hand_bundle(edges: list[tuple[str, str]] | None = None,
                clusters: dict[str, str | None] | None = None,
                gemeente_links: tuple[str, str] = ("grens", "grens")) -> TableBundle:
    """The hand-made country; ``edges`` replaces the PC4 adjacency, ``clusters`` overrides
    the clusters of some schools (vestiging -> clusters), ``gemeente_links`` gives the kind
    of the links GM0001-GM0002 and GM0002-GM0003 (``veer``: reached over the water only)."""
    edges = EDGES if edges is None else edges
    clusters = clusters or {}
    gemeenten = pd.DataFrame({
        "gemeente": ["GM0001", "GM0002", "GM0003"],
        "naam": ["Westdorp", "Middenstad", "Oosterveen"],
        "provincie": ["Utrecht"] * 3,
        "jeugdregio": ["JZ01", "JZ01", "JZ02"],
        "inwoners": [3000, 3000, 3000],
        "inwoners_0_14": [500, 500, 500],
        "lat": [52.0] * 3,
        "lon": [5.05, 5.25, 5.45],
    })
    pc4 = pd.DataFrame({
        "pc4": PC4,
        "gemeente": [GEM[p] for p in PC4],
        "lat": [52.0] * 6,
        "lon": [LON[p] for p in PC4],
        "inwoners": [1500] * 6,
        "kinderen_po": [100.0] * 6,
        "kinderen_vo": [80.0] * 6,
        "stedelijkheid": [3.0, 3.0, 1.0, 1.0, 5.0, 5.0],
        "aandeel_eenouder": [0.2] * 6,
        "aandeel_uitkering": [0.05] * 6,
    })
    flows = pd.DataFrame(FLOWS, columns=["pc4", "vestiging", "soort", "leerlingen"])
    inflow = flows.groupby(["vestiging", "soort"])["leerlingen"].sum()
    scholen = pd.DataFrame([{
        "vestiging": v, "brin": v[:4], "naam": f"School {v}", "soort": s,
        "clusters": clusters.get(v, c), "bestuur": b, "gemeente": GEM[p], "pc4": p,
        "lat": 52.0, "lon": LON[p], "leerlingen": int(inflow[(v, s)]),
    } for v, s, c, b, p in SCHOOLS])
    besturen = pd.DataFrame({"bestuur": ["b1", "b2", "b3", "b4"],
                             "naam": ["Bestuur 1", "Bestuur 2", "Bestuur 3", "Bestuur 4"],
                             "sectoren": ["PO", "PO", "SO", "VO"]})
    swv = pd.DataFrame({"swv": ["PO 01-01", "PO 01-02", "VO 01-01", "VO 01-02"],
                        "sector": ["PO", "PO", "VO", "VO"],
                        "naam": ["PO West", "PO Oost", "VO West", "VO Oost"]})
    indeling = pd.DataFrame({
        "pc4": PC4,
        "swv_po": ["PO 01-01"] * 3 + ["PO 01-02"] * 3,
        "swv_vo": ["VO 01-01"] * 2 + ["VO 01-02"] * 4,
    })
    gemeente_buren = pd.DataFrame({"gemeente_a": ["GM0001", "GM0002"],
                                   "gemeente_b": ["GM0002", "GM0003"],
                                   "soort": list(gemeente_links)})
    pc4_buren = pd.DataFrame(edges, columns=["pc4_a", "pc4_b"])
    return TableBundle(
        name="handland", reference_year=2024,
        tables={"gemeenten": gemeenten,
                "jeugdregios": pd.DataFrame({"jeugdregio": ["JZ01", "JZ02"],
                                             "naam": ["Jeugd West", "Jeugd Oost"]}),
                "pc4": pc4, "besturen": besturen, "scholen": scholen, "swv": swv,
                "indeling": indeling, "stromen": flows, "gemeente_buren": gemeente_buren,
                "pc4_buren": pc4_buren},
        provenance={"stromen": {"status": "observed", "source": "met de hand", "notes": []}},
    )


def hand_atlas(**kwargs):
    return build_atlas(hand_bundle(**kwargs))
