"""School locations of the Netherlands import and their modelled pupil counts.

* PO, SBO, SO and VSO from Scholen op de Kaart (PO-Raad, November 2018): no pupil counts,
  no VSO-only schools, no clusters; the vestiging suffix is a 3-digit SodK number.
* VO and PrO from a 2025 list built on DUO ``adressen_vo``: ``PRO`` flag and
  ``education_structure``; ``enrollment_total`` is not a pupil count (it sums several years),
  so ``students_per_grade`` is used only as a relative size.

Pupils per location are modelled (:func:`allocate_pupils`): CBS pupils by home PC4 are shared
over nearby locations of the type with a Huff model, so national totals per type match CBS.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from nabij.defaults import DETOUR_FACTOR
from nabij.sources.nl_files import bad_file, read_csv

SODK = "scholenopdekaart_2018/po_so_vestigingen_scholenopdekaart_2018.csv"
VO_LIST = "vo_vestigingen/nl_highschools_accurate_coordinates.csv"

MAX_PUPILS = 20000

BETA_KM = {"BAO": 1.5, "SBO": 6.0, "SO": 12.0, "VSO": 12.0, "VO": 5.0, "PRO": 8.0}
"""Distance decay exp(-c / beta) per type, c = straight-line km x DETOUR (as in the flows)."""
K_NEAREST = {"BAO": 12, "SBO": 10, "SO": 15, "VSO": 15, "VO": 12, "PRO": 10}
"""Candidate locations per home PC4."""
DETOUR = DETOUR_FACTOR
CLUSTER1_WEIGHT = 0.3
"""Relative size of a cluster-1 location: nationally ~1 % of (V)SO pupils (584 of 69,821 in
2019) on ~3 % of the locations."""

_CLUSTER_PATTERNS: dict[int, re.Pattern[str]] = {
    1: re.compile(r"visio|bartim|slechtzien|blind|visueel|sensis"),
    2: re.compile(r"auris|kentalis|\bdov|\bdoof|slechthor|gehoor|spraak|(?<!to)taal(?!ent)|"
                  r"effatha|guyot|hanssen"),
    3: re.compile(r"\bzml|zeer moe\w*lijk lerend|voorthuy|mytyl|tyltyl|tytyl|\bmg\b|meervoudig|"
                  r"lichamelijk|lich gebr|langdurig ziek|\blzk|epilepsie|revalidatie|heliomare|"
                  r"adelante|roessingh"),
    4: re.compile(r"zmok|zeer moeilijk opvoedba|pedologisch|paedologisch|\bpi[- ]school|"
                  r"\bp\.i\.|cluster[ -]?4|\bso4|renn ?4|yulius|kanner|intermetzo|zonnehuizen|"
                  r"\borion|hondsberg|psychiatr|gedrag|ambelt|eduvier|bladergroen"),
}


def infer_clusters(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """SO/VSO clusters from a school's name and website (lower-cased), and whether it matched.

    Cluster 1 wins over 2, 2 over 3/4; names that hint at both 3 and 4, or at neither,
    get ``3;4`` (the clusters the SWVs cover).
    """
    t = text.fillna("").str.lower()
    hit = {c: t.str.contains(p) for c, p in _CLUSTER_PATTERNS.items()}
    out = pd.Series("3;4", index=t.index, dtype=object)
    out[hit[3] & ~hit[4]] = "3"
    out[hit[4] & ~hit[3]] = "4"
    out[hit[2]] = "2"
    out[hit[1]] = "1"
    matched = hit[1] | hit[2] | hit[3] | hit[4]
    return out, matched


def sodk_vestiging_numbers(brin: pd.Series, suffix: pd.Series) -> pd.Series:
    """Two-digit vestigingsnummer from the 3-digit SodK suffix, unique within a BRIN.

    Suffixes 000-099 keep their last two digits (000 -> 00, 001 -> 01). Suffixes of 100 and
    up (locations SodK numbers separately) take the highest free number from 99 downwards
    within the BRIN, in suffix order.
    """
    num = pd.to_numeric(suffix, errors="coerce").fillna(0).astype(int)
    out = pd.Series(num.where(num < 100, -1), index=brin.index)
    high = num[num >= 100].sort_values(kind="stable")
    used = {b: set(g) for b, g in out[out >= 0].groupby(brin[out >= 0])}
    for i in high.index:
        taken = used.setdefault(brin[i], set())
        n = next(v for v in range(99, -1, -1) if v not in taken)
        taken.add(n)
        out[i] = n
    return out.map(lambda v: f"{v:02d}")


def read_po_schools(data_dir: Path) -> pd.DataFrame:
    """BAO/SBO/SO/VSO rows (one per type) from Scholen op de Kaart 2018.

    Columns: vestiging, brin, naam, soort, clusters, clusters_uit_naam, bestuur, pc4_bron,
    lat, lon, gewicht.
    """
    need = ["naam", "bevoegd_gezag_nr", "brin", "vestiging_sodk", "pc4", "lat", "lon",
            "is_bao", "is_sbo", "is_so", "is_vso"]
    df = read_csv(data_dir, SODK, need, dtype=str)
    df["brin"] = df["brin"].str.strip().str.upper()
    if not df["brin"].str.fullmatch(r"[0-9A-Z]{4}").all():
        raise bad_file(SODK, "ongeldig BRIN-nummer in kolom 'brin'")
    df["vestiging"] = df["brin"] + sodk_vestiging_numbers(df["brin"], df["vestiging_sodk"])
    if df["vestiging"].duplicated().any():
        raise bad_file(SODK, "dubbele vestigingen (BRIN + volgnummer)")
    text = df["naam"].fillna("") + " " + df.get("website", pd.Series("", index=df.index)).fillna("")
    clusters, matched = infer_clusters(text)
    base = pd.DataFrame({
        "vestiging": df["vestiging"],
        "brin": df["brin"],
        "naam": df["naam"].str.strip().str.replace(r"\s+", " ", regex=True),
        "bestuur": df["bevoegd_gezag_nr"].str.strip(),
        "pc4_bron": df["pc4"].str.strip(),
        "lat": pd.to_numeric(df["lat"], errors="coerce"),
        "lon": pd.to_numeric(df["lon"], errors="coerce"),
    })
    rows = []
    for soort, flag in (("BAO", "is_bao"), ("SBO", "is_sbo"), ("SO", "is_so"),
                        ("VSO", "is_vso")):
        sel = df[flag].str.strip() == "1"
        part = base[sel].assign(soort=soort)
        special = soort in ("SO", "VSO")
        part["clusters"] = clusters[sel] if special else None
        part["clusters_uit_naam"] = matched[sel] if special else False
        part["gewicht"] = np.where(special & (clusters[sel] == "1"), CLUSTER1_WEIGHT, 1.0)
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def read_vo_schools(data_dir: Path) -> pd.DataFrame:
    """VO and PRO rows from the VO vestigingen list (a location with both has two rows).

    Columns: vestiging, brin, naam, soort, clusters, bestuur, pc4_bron, lat, lon (may be NaN),
    gemeente_duo (GM code as DUO gives it), gewicht (relative size).
    """
    need = ["vestigings_id", "brin", "school_name", "postcode", "municipality_code",
            "board_code", "education_structure", "PRO", "students_per_grade", "latitude",
            "longitude"]
    df = read_csv(data_dir, VO_LIST, need, dtype=str)
    df["vestigings_id"] = df["vestigings_id"].str.strip().str.upper()
    if df["vestigings_id"].duplicated().any():
        raise bad_file(VO_LIST, "dubbele vestigingen in kolom 'vestigings_id'")
    structure = df["education_structure"].fillna("").str.upper().str.split("/")
    pro_only = structure.map(lambda s: s == ["PRO"])
    has_pro = (df["PRO"].str.strip().str.lower() == "true") | structure.map(lambda s: "PRO" in s)
    size = pd.to_numeric(df["students_per_grade"], errors="coerce")
    # missing sizes: median of locations with the same structure, else of all locations
    size = size.fillna(size.groupby(df["education_structure"]).transform("median"))
    size = size.fillna(size.median())
    pro_size = size[pro_only].median() if pro_only.any() else size.median()
    code = pd.to_numeric(df["municipality_code"], errors="coerce")
    base = pd.DataFrame({
        "vestiging": df["vestigings_id"],
        "brin": df["brin"].str.strip().str.upper(),
        "naam": df["school_name"].str.strip().str.replace(r"\s+", " ", regex=True),
        "clusters": None,
        "clusters_uit_naam": False,
        "bestuur": df["board_code"].str.strip(),
        "pc4_bron": df["postcode"].str.strip().str[:4],
        "lat": pd.to_numeric(df["latitude"], errors="coerce"),
        "lon": pd.to_numeric(df["longitude"], errors="coerce"),
        "gemeente_duo": code.map(lambda v: f"GM{int(v):04d}" if pd.notna(v) else None),
    })
    vo = base[~pro_only].assign(soort="VO", gewicht=size[~pro_only].to_numpy())
    pro = base[has_pro].assign(soort="PRO",
                               gewicht=np.where(pro_only[has_pro], size[has_pro], pro_size))
    return pd.concat([vo, pro], ignore_index=True)


def allocate_pupils(
    origin_xy: np.ndarray,
    origin_pupils: np.ndarray,
    school_xy: np.ndarray,
    school_weight: np.ndarray,
    school_origin: np.ndarray,
    beta_km: float,
    k: int,
) -> np.ndarray:
    """Huff model: share each origin's pupils over its k nearest schools (and any school
    located in the origin) in proportion to ``weight * exp(-DETOUR * km / beta_km)``.

    ``school_origin`` is the index of the origin each school lies in (-1: none). Returns the
    (fractional) pupils per school; their sum equals the sum of ``origin_pupils``.
    """
    n_o, n_s = len(origin_xy), len(school_xy)
    out = np.zeros(n_s)
    if n_s == 0 or n_o == 0:
        return out
    k = min(k, n_s)
    _, nn = cKDTree(school_xy).query(origin_xy, k=k)
    rows = [np.repeat(np.arange(n_o), k)]
    cols = [np.asarray(nn).reshape(n_o, k).ravel()]
    own = school_origin >= 0
    rows.append(school_origin[own])
    cols.append(np.flatnonzero(own))
    key = np.unique(np.concatenate(rows).astype(np.int64) * n_s + np.concatenate(cols))
    r, c = key // n_s, key % n_s
    d = np.hypot(*(origin_xy[r] - school_xy[c]).T) * DETOUR
    # subtract each origin's nearest distance: the same shares, no underflow far from schools
    dmin = np.full(n_o, np.inf)
    np.minimum.at(dmin, r, d)
    w = school_weight[c] * np.exp(-(d - dmin[r]) / beta_km)
    row = np.bincount(r, weights=w, minlength=n_o)
    share = np.divide(w, row[r], out=np.zeros_like(w), where=row[r] > 0)
    return np.bincount(c, weights=origin_pupils[r] * share, minlength=n_s)


def round_to_total(values: np.ndarray, total: int) -> np.ndarray:
    """Integers close to ``values`` that add up to ``total`` (largest remainder)."""
    values = np.asarray(values, float)
    if len(values) == 0:
        return np.zeros(0, dtype=int)
    scaled = values * (total / values.sum()) if values.sum() > 0 else values
    base = np.floor(scaled).astype(int)
    short = int(total - base.sum())
    if short > 0:
        order = np.argsort(-(scaled - base), kind="stable")[:short]
        base[order] += 1
    return base


def besturen_table(scholen: pd.DataFrame) -> pd.DataFrame:
    """Boards of the school rows: bestuur, naam ("Bestuur <nr>"), sectoren (PO;VO;SO)."""
    sector = scholen["soort"].map({"BAO": "PO", "SBO": "PO", "SO": "SO", "VSO": "SO",
                                   "VO": "VO", "PRO": "VO"})
    order = {"PO": 0, "VO": 1, "SO": 2}
    sectoren = (pd.DataFrame({"bestuur": scholen["bestuur"], "s": sector})
                .drop_duplicates()
                .groupby("bestuur")["s"]
                .agg(lambda s: ";".join(sorted(s, key=order.__getitem__))))
    return pd.DataFrame({
        "bestuur": sectoren.index.astype(str),
        "naam": "Bestuur " + sectoren.index.astype(str),
        "sectoren": sectoren.to_numpy(),
    })
