"""The gravity flow model (nabij.atlas.flows) and the distance helpers (nabij.atlas.distance)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nabij.atlas.distance import StraightLineDetour, haversine_km, project_km
from nabij.atlas.flows import (
    DEFAULT_PARTICIPATION,
    FlowParams,
    estimate_flows,
    gravity_flows,
    origin_totals,
)
from nabij.defaults import DETOUR_FACTOR

LAT = 52.0


def make_pc4(lons, gemeenten=None, po=None, vo=None) -> pd.DataFrame:
    n = len(lons)
    return pd.DataFrame({
        "pc4": [str(1001 + i) for i in range(n)],
        "gemeente": gemeenten or ["GM0001"] * n,
        "lat": [LAT] * n,
        "lon": list(lons),
        "inwoners": [1000] * n,
        "kinderen_po": po if po is not None else [100.0] * n,
        "kinderen_vo": vo if vo is not None else [80.0] * n,
    })


def make_schools(rows) -> pd.DataFrame:
    """rows: (vestiging, soort, lon, leerlingen[, pc4])."""
    out = []
    for row in rows:
        v, soort, lon, n = row[:4]
        out.append({"vestiging": v, "soort": soort, "lat": LAT, "lon": lon, "leerlingen": n,
                    "pc4": row[4] if len(row) > 4 else "1001", "gemeente": "GM0001"})
    return pd.DataFrame(out)


def by(df: pd.DataFrame, *cols) -> pd.Series:
    return df.groupby(list(cols))["leerlingen"].sum()


BAO_ONLY = FlowParams(types=("BAO",), min_flow=0.0)


# --- distance ---------------------------------------------------------------------------------

def test_haversine_known_distances():
    # one degree of latitude is ~111.2 km; Amsterdam Dam -> Utrecht Dom ~ 35 km
    assert haversine_km(52.0, 5.0, 53.0, 5.0) == pytest.approx(111.19, abs=0.05)
    assert haversine_km(52.3731, 4.8926, 52.0907, 5.1214) == pytest.approx(34.9, abs=0.3)
    d = haversine_km(np.array([52.0, 52.0]), np.array([5.0, 5.0]), 52.0, np.array([5.0, 6.0]))
    assert d.shape == (2,) and d[0] == 0.0 and d[1] == pytest.approx(68.5, abs=0.3)


def test_detour_model_and_projection_agree_with_haversine():
    assert StraightLineDetour().km(52.0, 5.0, 53.0, 5.0) == pytest.approx(
        DETOUR_FACTOR * 111.19, abs=0.1)
    assert StraightLineDetour(factor=1.0).km(52.0, 5.0, 52.5, 5.5) == pytest.approx(
        haversine_km(52.0, 5.0, 52.5, 5.5))
    rng = np.random.default_rng(0)
    lat, lon = rng.uniform(50.8, 53.5, (2, 50)), rng.uniform(3.4, 7.2, (2, 50))
    xy = project_km(lat.ravel(), lon.ravel()).reshape(2, 50, 2)
    planar = np.hypot(*(xy[0] - xy[1]).T)
    # equirectangular: up to ~3 % off at the far north and south of the country
    assert np.allclose(planar, haversine_km(lat[0], lon[0], lat[1], lon[1]), rtol=0.035)


# --- hand-made instances -----------------------------------------------------------------------

def test_rows_sum_to_demand_and_flows_decay_with_distance():
    pc4 = make_pc4([5.00, 5.01, 5.02])
    scholen = make_schools([("S1", "BAO", 5.00, 100), ("S2", "BAO", 5.02, 100)])
    res = gravity_flows(pc4, scholen, params=BAO_ONLY)
    flows = res.stromen.set_index(["pc4", "vestiging"])["leerlingen"]
    rows = by(res.stromen, "pc4")
    assert np.allclose(rows.to_numpy(), 100 * DEFAULT_PARTICIPATION["BAO"])
    assert flows["1001", "S1"] > 2 * flows["1001", "S2"]  # near school gets most
    assert flows["1003", "S2"] > 2 * flows["1003", "S1"]
    assert flows["1002", "S1"] == pytest.approx(flows["1002", "S2"], rel=1e-6)  # symmetric
    cols = by(res.stromen, "vestiging")
    assert np.allclose(cols.to_numpy(), 1.5 * 95, rtol=0.01)  # capacities scaled to demand
    assert res.diagnostics["BAO"].scale == pytest.approx(285 / 200)


def test_weaker_decay_spreads_pupils_further():
    pc4 = make_pc4([5.00, 5.03, 5.06])
    scholen = make_schools([("S1", "BAO", 5.00, 100), ("S2", "BAO", 5.06, 100)])
    near = estimate_flows(pc4, scholen, params=FlowParams(types=("BAO",), beta_km={"BAO": 1}))
    far = estimate_flows(pc4, scholen, params=FlowParams(types=("BAO",), beta_km={"BAO": 20}))

    def cross(df):
        f = df.set_index(["pc4", "vestiging"])["leerlingen"]
        return f.get(("1001", "S2"), 0.0)

    assert cross(near) < 1.0 < cross(far)


def test_school_with_zero_capacity_gets_nothing():
    pc4 = make_pc4([5.00, 5.01, 5.02])
    scholen = make_schools([("S1", "BAO", 5.00, 100), ("S2", "BAO", 5.02, 100),
                            ("S0", "BAO", 5.01, 0)])
    out = estimate_flows(pc4, scholen, params=BAO_ONLY)
    assert "S0" not in set(out["vestiging"])
    assert by(out, "pc4").sum() == pytest.approx(3 * 95)


def test_constant_distance_gives_independence_solution():
    class Flat:
        def km(self, lat1, lon1, lat2, lon2):
            return np.zeros(np.broadcast(lat1, lat2).shape)

    pc4 = make_pc4([5.0, 5.1, 5.2], po=[100.0, 300.0, 600.0])
    scholen = make_schools([("S1", "BAO", 5.0, 250), ("S2", "BAO", 5.2, 750)])
    out = estimate_flows(pc4, scholen, params=FlowParams(types=("BAO",), distance=Flat(),
                                                          min_flow=0.0))
    f = out.set_index(["pc4", "vestiging"])["leerlingen"]
    for p, kids in zip(["1001", "1002", "1003"], [100, 300, 600], strict=True):
        o = kids * 0.95
        assert f[p, "S1"] == pytest.approx(o * 250 / 1000, rel=1e-6)
        assert f[p, "S2"] == pytest.approx(o * 750 / 1000, rel=1e-6)


def test_targets_per_gemeente_are_met():
    pc4 = make_pc4([5.00, 5.01, 5.02, 5.03, 5.04],
                   gemeenten=["GM0001", "GM0001", "GM0002", "GM0002", "GM0003"],
                   po=[100.0, 300.0, 0.0, 0.0, 50.0])
    scholen = make_schools([("S1", "BAO", 5.00, 300), ("S2", "BAO", 5.03, 100),
                            ("S3", "SO", 5.02, 40)])
    targets = pd.DataFrame({
        "gemeente": ["GM0001", "GM0002", "GM0003", "GM0009", "GM0001", "GM0002"],
        "soort": ["BAO", "BAO", "BAO", "BAO", "SO", "SO"],
        "leerlingen": [380, 60, 0, 40, 10, 6],
    })
    res = gravity_flows(pc4, scholen, targets,
                        FlowParams(types=("BAO", "SO"), min_flow=0.0))
    out = res.stromen.merge(pc4[["pc4", "gemeente"]], on="pc4")
    per = by(out, "soort", "gemeente")
    assert per["BAO", "GM0001"] == pytest.approx(380)
    assert per["BAO", "GM0002"] == pytest.approx(60)  # no children: spread evenly
    bao = out[out["soort"] == "BAO"]
    assert by(bao[bao["gemeente"] == "GM0002"], "pc4").to_dict() == pytest.approx(
        {"1003": 30.0, "1004": 30.0})
    assert ("BAO", "GM0003") not in per.index  # target 0 sends nothing
    assert by(bao[bao["pc4"].isin(["1001", "1002"])], "pc4").to_dict() == pytest.approx(
        {"1001": 95.0, "1002": 285.0})  # by child share
    assert per["SO", "GM0001"] == pytest.approx(10) and per["SO", "GM0002"] == pytest.approx(6)
    # GM0003 has no SO target: falls back to participation x children
    assert per["SO", "GM0003"] == pytest.approx(50 * DEFAULT_PARTICIPATION["SO"])
    assert res.diagnostics["BAO"].unplaced_target == 40  # GM0009 has no PC4 areas
    assert res.diagnostics["SO"].unplaced_target == 0


def test_type_without_schools_is_reported_unserved():
    pc4 = make_pc4([5.0, 5.1])
    scholen = make_schools([("S1", "BAO", 5.0, 100)])
    res = gravity_flows(pc4, scholen, params=FlowParams(types=("BAO", "PRO")))
    assert set(res.stromen["soort"]) == {"BAO"}
    assert res.diagnostics["PRO"].unserved == pytest.approx(160 * DEFAULT_PARTICIPATION["PRO"])


def test_tiny_flows_dropped_but_rows_stay_exact():
    pc4 = make_pc4([5.00, 5.05, 5.30], po=[100.0, 100.0, 0.005])
    scholen = make_schools([("S1", "BAO", 5.00, 100), ("S2", "BAO", 5.30, 100)])
    out = estimate_flows(pc4, scholen, params=FlowParams(types=("BAO",), beta_km={"BAO": 1}))
    assert (out["leerlingen"] >= 0.01).all()
    rows = by(out, "pc4")
    assert rows["1001"] == pytest.approx(95.0) and rows["1002"] == pytest.approx(95.0)
    assert "1003" not in rows.index  # origin total below 0.01 pupil


def test_output_schema_and_empty_input():
    pc4 = make_pc4([5.0, 5.1])
    out = estimate_flows(pc4, make_schools([("S1", "VO", 5.0, 50)]))
    assert list(out.columns) == ["pc4", "vestiging", "soort", "leerlingen"]
    assert set(out["soort"]) == {"VO"}
    empty = estimate_flows(pc4.iloc[:0], make_schools([("S1", "VO", 5.0, 50)]).iloc[:0])
    assert list(empty.columns) == ["pc4", "vestiging", "soort", "leerlingen"] and empty.empty


def test_params_fill_in_defaults_and_reject_nonsense():
    p = FlowParams(beta_km={"BAO": 2.5})
    assert p.beta("BAO") == 2.5 and p.beta("VO") == 5.0 and p.k("SO") >= 8
    with pytest.raises(ValueError):
        FlowParams(beta_km={"BAO": 0}).beta("BAO")
    with pytest.raises(ValueError):
        FlowParams(k_nearest={"VO": 0}).k("VO")


def test_origin_totals_uses_the_age_of_the_sector():
    pc4 = make_pc4([5.0], po=[200.0], vo=[100.0])
    o, _ = origin_totals(pc4, params=FlowParams(participation={"SO": 0.5, "VSO": 0.25}))
    o = o.set_index("soort")["leerlingen"]
    assert o["SO"] == 100.0 and o["VSO"] == 25.0 and o["BAO"] == pytest.approx(190.0)


def test_sparse_candidates_still_reach_every_school():
    # 30 PC4 areas on a line, schools only at the far ends: with k=1 every PC4 picks its
    # nearest school, and the PC4-per-school links keep both schools fed
    lons = list(np.linspace(5.0, 5.6, 30))
    pc4 = make_pc4(lons)
    scholen = make_schools([("W", "BAO", 5.0, 1500), ("E", "BAO", 5.6, 1500)])
    res = gravity_flows(pc4, scholen, params=FlowParams(types=("BAO",), k_nearest={"BAO": 1},
                                                        min_flow=0.0))
    cols = by(res.stromen, "vestiging")
    assert cols["W"] == pytest.approx(cols["E"], rel=0.02)
    assert res.diagnostics["BAO"].edges < 2 * 30


# --- properties --------------------------------------------------------------------------------

@st.composite
def instances(draw):
    n_pc4 = draw(st.integers(1, 8))
    n_sch = draw(st.integers(1, 5))
    coord = st.floats(0.0, 0.03, allow_nan=False)
    pc4 = pd.DataFrame({
        "pc4": [str(1001 + i) for i in range(n_pc4)],
        "gemeente": [f"GM000{draw(st.integers(1, 3))}" for _ in range(n_pc4)],
        "lat": [LAT + draw(coord) for _ in range(n_pc4)],
        "lon": [5.0 + draw(coord) for _ in range(n_pc4)],
        "kinderen_po": [draw(st.floats(0, 500, allow_nan=False)) for _ in range(n_pc4)],
        "kinderen_vo": [draw(st.floats(0, 500, allow_nan=False)) for _ in range(n_pc4)],
    })
    scholen = pd.DataFrame({
        "vestiging": [f"S{j}" for j in range(n_sch)],
        "soort": "BAO",
        "lat": [LAT + draw(coord) for _ in range(n_sch)],
        "lon": [5.0 + draw(coord) for _ in range(n_sch)],
        "leerlingen": [draw(st.integers(1, 800)) for _ in range(n_sch)],
    })
    return pc4, scholen


@settings(max_examples=60, deadline=None)
@given(instances())
def test_property_doubly_constrained(inst):
    pc4, scholen = inst
    params = FlowParams(types=("BAO",), k_nearest={"BAO": 10}, beta_km={"BAO": 3.0},
                        min_flow=0.0, max_iter=20000, max_factor=1e9, tol=1e-3)
    res = gravity_flows(pc4, scholen, params=params)
    out = res.stromen
    assert (out["leerlingen"] >= 0).all() and np.isfinite(out["leerlingen"]).all()
    demand = pc4.set_index("pc4")["kinderen_po"] * DEFAULT_PARTICIPATION["BAO"]
    rows = by(out, "pc4").reindex(demand.index, fill_value=0.0)
    assert np.allclose(rows, demand, rtol=1e-9, atol=1e-9)
    if demand.sum() > 0:
        cap = scholen.set_index("vestiging")["leerlingen"]
        target = cap * demand.sum() / cap.sum()
        cols = by(out, "vestiging").reindex(cap.index, fill_value=0.0)
        assert np.max(np.abs(cols - target) / target) < 0.01


@settings(max_examples=60, deadline=None)
@given(instances(), st.lists(st.integers(0, 400), min_size=3, max_size=3))
def test_property_sparse_default_rows_exact_and_targets_met(inst, tgt):
    pc4, scholen = inst
    targets = pd.DataFrame({"gemeente": ["GM0001", "GM0002", "GM0003"], "soort": "BAO",
                            "leerlingen": tgt})
    params = FlowParams(types=("BAO",), k_nearest={"BAO": 2}, pc4_per_school=1)
    out = estimate_flows(pc4, scholen, targets, params)
    assert (out["leerlingen"] >= 0.01).all()
    assert not out.duplicated(["pc4", "vestiging", "soort"]).any()
    per = by(out.merge(pc4[["pc4", "gemeente"]], on="pc4"), "gemeente")
    for g, t in zip(targets["gemeente"], tgt, strict=True):
        n = int((pc4["gemeente"] == g).sum())
        if n:  # met up to origins below min_flow (0.01 pupil), which are dropped
            assert t - 0.01 * n - 1e-9 <= per.get(g, 0.0) <= t + 1e-6
        else:
            assert g not in per.index
