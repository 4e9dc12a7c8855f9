"""Shared fixtures: the real data folder (skipped when absent) and small hand-made countries."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nabij.tables import TableBundle

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """../shared/data beside the project; tests using it skip when it is absent."""
    if not (REAL_DATA / "SOURCES.md").exists():
        pytest.skip("../shared/data ontbreekt: echte open data niet beschikbaar op deze machine")
    return REAL_DATA


def make_tiny_bundle() -> TableBundle:
    """A hand-made country: 3 gemeenten on a line, 6 PC4s, 2 PO + 2 VO SWVs, all school types.

    Layout (west -> east, lat 52.0): GM0001 (pc4 1001, 1002), GM0002 (2001, 2002),
    GM0003 (3001, 3002); PC4 centroids 0.05 degrees of longitude apart.
    """
    gemeenten = pd.DataFrame({
        "gemeente": ["GM0001", "GM0002", "GM0003"],
        "naam": ["Westdorp", "Middenstad", "Oosterveen"],
        "provincie": ["Utrecht", "Utrecht", "Gelderland"],
        "jeugdregio": ["JZ01", "JZ01", "JZ02"],
        "inwoners": [20000, 50000, 10000],
        "inwoners_0_14": [3000, 8000, 1500],
        "lat": [52.0, 52.0, 52.0],
        "lon": [5.025, 5.125, 5.225],
    })
    jeugdregios = pd.DataFrame({"jeugdregio": ["JZ01", "JZ02"], "naam": ["West", "Oost"]})
    pc4 = pd.DataFrame({
        "pc4": ["1001", "1002", "2001", "2002", "3001", "3002"],
        "gemeente": ["GM0001", "GM0001", "GM0002", "GM0002", "GM0003", "GM0003"],
        "lat": [52.0] * 6,
        "lon": [5.0, 5.05, 5.1, 5.15, 5.2, 5.25],
        "inwoners": [10000, 10000, 25000, 25000, 5000, 5000],
        "kinderen_po": [800.0, 800.0, 2000.0, 2000.0, 400.0, 400.0],
        "kinderen_vo": [600.0, 600.0, 1500.0, 1500.0, 300.0, 300.0],
        "stedelijkheid": [4.0, 4.0, 1.0, 2.0, 5.0, 5.0],
        "aandeel_eenouder": [0.15, 0.15, 0.3, 0.25, 0.1, 0.1],
        "aandeel_uitkering": [0.05, 0.05, 0.1, 0.09, 0.04, 0.04],
    })
    besturen = pd.DataFrame({
        "bestuur": ["10001", "10002", "20001"],
        "naam": ["Stichting West", "Stichting Stad", "Stichting VO"],
        "sectoren": ["PO", "PO;SO", "VO"],
    })
    scholen = pd.DataFrame([
        ("01AA00", "01AA", "De Wilg", "BAO", None, "10001", "GM0001", "1001", 52.0, 5.0, 780),
        ("01AB00", "01AB", "De Eik", "BAO", None, "10001", "GM0001", "1002", 52.0, 5.05, 790),
        ("02AA00", "02AA", "De Linde", "BAO", None, "10002", "GM0002", "2001", 52.0, 5.1, 1950),
        ("02AB00", "02AB", "Het Palet", "BAO", None, "10002", "GM0002", "2002", 52.0, 5.15, 1950),
        ("03AA00", "03AA", "De Es", "BAO", None, "10002", "GM0003", "3001", 52.0, 5.2, 780),
        ("02SB00", "02SB", "SBO De Brug", "SBO", None, "10002", "GM0002", "2001", 52.0, 5.1, 150),
        ("02SO00", "02SO", "SO De Ster", "SO", "3;4", "10002", "GM0002", "2002", 52.0, 5.15, 160),
        ("02SO00", "02SO", "VSO De Ster", "VSO", "3;4", "10002", "GM0002", "2002", 52.0, 5.15,
         190),
        ("02VO00", "02VO", "Stadslyceum", "VO", None, "20001", "GM0002", "2001", 52.0, 5.1, 3000),
        ("01VO00", "01VO", "Westcollege", "VO", None, "20001", "GM0001", "1002", 52.0, 5.05,
         1400),
        ("02PR00", "02PR", "PrO Stad", "PRO", None, "20001", "GM0002", "2002", 52.0, 5.15, 120),
    ], columns=["vestiging", "brin", "naam", "soort", "clusters", "bestuur", "gemeente", "pc4",
                "lat", "lon", "leerlingen"])
    swv = pd.DataFrame({
        "swv": ["PO 01-01", "PO 01-02", "VO 01-01", "VO 01-02"],
        "sector": ["PO", "PO", "VO", "VO"],
        "naam": ["SWV PO West", "SWV PO Oost", "SWV VO West", "SWV VO Oost"],
    })
    indeling = pd.DataFrame({
        "pc4": ["1001", "1002", "2001", "2002", "3001", "3002"],
        "swv_po": ["PO 01-01", "PO 01-01", "PO 01-01", "PO 01-02", "PO 01-02", "PO 01-02"],
        "swv_vo": ["VO 01-01", "VO 01-01", "VO 01-02", "VO 01-02", "VO 01-02", "VO 01-02"],
    })
    return TableBundle(
        name="klein testland",
        reference_year=2024,
        tables={
            "gemeenten": gemeenten, "jeugdregios": jeugdregios, "pc4": pc4,
            "besturen": besturen, "scholen": scholen, "swv": swv, "indeling": indeling,
        },
        provenance={"gemeenten": {"status": "observed", "source": "handgemaakt", "notes": []}},
        sources=[{"naam": "handgemaakt testland"}],
        notes=["Testland met drie gemeenten."],
    )


@pytest.fixture
def tiny_bundle() -> TableBundle:
    """A fresh hand-made small country (see :func:`make_tiny_bundle`)."""
    return make_tiny_bundle()


@pytest.fixture(scope="session")
def synthetic_atlas():
    """The synthetic country at a small scale (0.2: about 800 PC4 areas), built once."""
    from nabij.atlas import build_atlas
    from nabij.sources.synthetic import synthetic_country

    return build_atlas(synthetic_country(seed=1, scale=0.2))


@pytest.fixture(scope="session")
def real_atlas(real_data_dir):
    """The real Netherlands from ../shared/data (skipped when absent), built once."""
    from nabij.atlas import build_atlas
    from nabij.sources.nl import import_nl

    return build_atlas(import_nl(real_data_dir))
