"""The regionalization optimizer: objective, exact model, heuristic, constraints, CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.spatial import Delaunay

from nabij.optimize import (
    AreaGraph,
    Constraints,
    HeuristicSolver,
    InfeasibleError,
    ObjectiveModel,
    Regionalizer,
    State,
    Weights,
    compile_instance,
    heterogeneity,
    solve_exact,
)
from nabij.optimize.problem import area_graph

# -- helpers ---------------------------------------------------------------------------------


def planar_instance(n: int, seed: int, nests: int = 1, sites: int = 3) -> AreaGraph:
    """A random planar graph (Delaunay) with pupils, flows to near areas, sites, status quo."""
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2))
    edges = set()
    for tri in Delaunay(xy).simplices:
        for i in range(3):
            for j in range(i + 1, 3):
                a, b = sorted((int(tri[i]), int(tri[j])))
                edges.add((a, b))
    pupils = rng.integers(500, 3000, n).astype(float)
    flows = np.zeros((n, n))
    for i in range(n):
        flows[i, i] = 0.8 * pupils[i]
        near = np.argsort(np.hypot(*(xy - xy[i]).T))[1:4]
        flows[i, near] = 0.2 * pupils[i] / 3
    nest = np.minimum((xy[:, 0] * nests).astype(int), nests - 1)
    return AreaGraph.from_arrays(
        pupils, sorted(edges), flows=flows, lat=52 + xy[:, 1] * 0.5, lon=5 + xy[:, 0] * 0.8,
        sites={"SO": rng.choice(n, min(sites, n), replace=False)},
        kids={"SO": pupils * 1.0}, nests={"jeugdregio": [f"JZ{k + 1:02d}" for k in nest]},
        status_quo=np.where(xy[:, 0] > 0.5, "PO 01-01", "PO 01-02"),
        attributes=rng.random((n, 2)),
    )


def check_division(graph: AreaGraph, labels: pd.Series, c: Constraints,
                   required: tuple[str, ...] = ()) -> None:
    """Independent check of every hard constraint on an area labelling."""
    lab = labels.reindex(pd.Index(graph.codes.astype(str))).to_numpy()
    assert not pd.isna(lab).any()
    g = nx.Graph()
    g.add_nodes_from(range(graph.n))
    g.add_edges_from(map(tuple, graph.edges))
    for r in np.unique(lab):
        idx = np.flatnonzero(lab == r)
        assert nx.is_connected(g.subgraph(idx.tolist())), f"{r} niet aaneengesloten"
        p = graph.pupils[idx].sum()
        assert p >= c.min_pupils - 1e-6
        if c.max_pupils is not None:
            assert p <= c.max_pupils + 1e-6
        if c.nest is not None:
            assert len(set(graph.nests[c.nest][idx])) == 1
        for t in required:
            assert np.isin(graph.sites[t][0], idx).any(), f"{r} mist {t}"
    for group in c.locked:
        assert len(set(lab[list(group)])) == 1


# -- objective -------------------------------------------------------------------------------


def test_incremental_deltas_match_full_evaluation():
    g = planar_instance(40, seed=3, sites=6)
    inst = compile_instance(g, Constraints(min_pupils=3000, locked=((0, 1, 2),)))
    model = ObjectiveModel(inst, Weights(border=1, distance=0.5, change=0.3, regions=0.1,
                                         heterogeneity=0.4))
    rng = np.random.default_rng(0)
    state = State(model, rng.integers(0, 8, inst.n))
    assert state.value == pytest.approx(model.value(state.label), abs=1e-12)
    for _ in range(200):
        v, b = int(rng.integers(inst.n)), int(rng.integers(state.capacity))
        before, delta = state.value, state.move_delta(v, b)
        state.move(v, b)
        assert state.value - before == pytest.approx(delta, abs=1e-10)
    assert state.value == pytest.approx(model.value(state.label), abs=1e-10)


def test_components_are_the_documented_quantities():
    # path 0-1-2-3; flows 0->1 (10), 2->3 (5), 1->2 (7); regions {0,1} and {2,3}
    flows = np.zeros((4, 4))
    flows[0, 1], flows[2, 3], flows[1, 2] = 10, 5, 7
    g = AreaGraph.from_arrays([5, 5, 5, 5], [(0, 1), (1, 2), (2, 3)], flows=flows,
                              attributes=[[0.0], [1.0], [3.0], [7.0]],
                              status_quo=["A", "A", "A", "B"])
    inst = compile_instance(g, Constraints(min_pupils=10))
    model = ObjectiveModel(inst, Weights(border=1))
    comp = model.components(np.array([0, 0, 1, 1]))
    assert comp["grensverkeer"] == 7
    assert comp["regios"] == 2
    assert comp["heterogeniteit"] == pytest.approx(1 + 4)
    # edge weights = pupils of both ends (10); edge 1-2 changed (together -> apart), 2-3 too
    assert comp["verandering"] == pytest.approx(20, rel=1e-6)
    assert heterogeneity(np.array([[0.0], [1.0], [3.0]]), np.array([0, 0, 0])) == 1 + 3 + 2


# -- exact model: known optima ---------------------------------------------------------------


def test_exact_maxp_on_a_path_pairs_neighbours():
    # six areas of 5 pupils on a line, minimum 10: at most 3 regions; attributes in pairs
    g = AreaGraph.from_arrays([5] * 6, [(i, i + 1) for i in range(5)],
                              attributes=[[0], [0], [1], [1], [2], [2]])
    inst = compile_instance(g, Constraints(min_pupils=10))
    model = ObjectiveModel(inst, Weights.of("maxp"))
    res = solve_exact(inst, model, time_limit=30)
    assert res.status == "optimaal"
    assert list(res.labels) == [0, 0, 2, 2, 4, 4]
    assert model.components(res.labels)["heterogeniteit"] == 0
    heur = HeuristicSolver(time_limit=5).solve(inst, model)
    assert heur.value == pytest.approx(res.value)


def test_exact_splits_two_triangles_at_the_weak_link():
    # two triangles joined by one edge; strong flows inside the triangles
    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]
    flows = np.zeros((6, 6))
    for a, b in edges:
        flows[a, b] = 50
    flows[2, 3] = 1
    g = AreaGraph.from_arrays([10] * 6, edges, flows=flows)
    inst = compile_instance(g, Constraints(min_pupils=20))
    model = ObjectiveModel(inst, Weights(border=1, regions=0.5))
    res = solve_exact(inst, model, time_limit=30)
    assert res.status == "optimaal"
    assert len(set(res.labels[:3])) == 1 and len(set(res.labels[3:])) == 1
    assert res.labels[0] != res.labels[3]
    assert res.bound == pytest.approx(res.value, abs=1e-6)


def test_exact_covering_forces_a_provider_into_every_region():
    g = AreaGraph.from_arrays([5] * 5, [(i, i + 1) for i in range(4)],
                              lat=[52] * 5, lon=[5, 5.1, 5.2, 5.3, 5.4], sites={"SO": [0, 4]})
    inst = compile_instance(g, Constraints(min_pupils=5, covering=True,
                                           provision_types=("SO",)))
    model = ObjectiveModel(inst, Weights.of("maxp"))
    res = solve_exact(inst, model, time_limit=30)
    assert res.status == "optimaal"
    assert len(set(res.labels)) == 2  # only two regions can hold a provider
    assert res.labels[0] != res.labels[4]


# -- heuristic versus exact ------------------------------------------------------------------


@pytest.mark.parametrize("n,seed", [(10, 0), (14, 1), (18, 2), (22, 3), (26, 4), (30, 5)])
def test_heuristic_within_two_percent_of_exact(n, seed):
    g = planar_instance(n, seed)
    inst = compile_instance(g, Constraints(min_pupils=4000))
    model = ObjectiveModel(inst, Weights(border=1, distance=0.5, change=0.1, regions=0.05))
    exact = solve_exact(inst, model, time_limit=120)
    heur = HeuristicSolver(time_limit=10, seed=seed).solve(inst, model)
    assert exact.value > 0  # a positive objective makes the relative gap meaningful
    assert heur.value >= exact.bound - 1e-6 if exact.bound is not None else True
    assert heur.value <= exact.value * 1.02 + 1e-12


# -- hard constraints, property-based ----------------------------------------------------------


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    n=st.integers(6, 45),
    seed=st.integers(0, 10_000),
    min_pupils=st.sampled_from([1000, 2500, 5000, 8000]),
    max_factor=st.sampled_from([None, 2.5, 4.0]),
    nests=st.integers(1, 3),
    covering=st.booleans(),
    lock=st.booleans(),
    objective=st.sampled_from(["evenwichtig", "grensverkeer", "maxp"]),
)
def test_every_returned_division_meets_all_hard_constraints(
        n, seed, min_pupils, max_factor, nests, covering, lock, objective):
    g = planar_instance(n, seed, nests=nests, sites=max(2, n // 4))
    locked = [[str(g.codes[0]), str(g.codes[int(g.edges[0][1])])]] if lock else None
    max_pupils = None if max_factor is None else max_factor * min_pupils
    reg = Regionalizer(min_pupils=min_pupils, max_pupils=max_pupils,
                       nest="jeugdregio" if nests > 1 else None, covering=covering,
                       provision_types=("SO",), locked=locked, objective=objective,
                       method="heuristic", time_limit=3, seed=seed)
    try:
        res = reg.fit_graph(g)
    except InfeasibleError as e:
        assert e.problems and all(p.message for p in e.problems)
        return
    c = Constraints(min_pupils=min_pupils, max_pupils=max_pupils,
                    nest="jeugdregio" if nests > 1 else None,
                    locked=((0, int(g.edges[0][1])),) if lock else ())
    check_division(g, res.labels, c, ("SO",) if covering else ())


def test_heuristic_is_deterministic_for_a_seed():
    g = planar_instance(60, seed=11)
    runs = [Regionalizer(min_pupils=5000, objective="evenwichtig", method="heuristic",
                         time_limit=30, seed=4).fit_graph(g) for _ in range(2)]
    assert runs[0].labels.equals(runs[1].labels)
    assert runs[0].objective == runs[1].objective


# -- infeasibility is explained in Dutch -------------------------------------------------------


def island_graph() -> AreaGraph:
    # Schiermonnikoog (island) has a ferry link into another jeugdregio only
    codes = ["GM0088", "GM1970", "GM0080", "GM0014"]
    names = ["Schiermonnikoog", "Noardeast-Fryslân", "Leeuwarden", "Groningen"]
    return AreaGraph.from_arrays(
        [600, 6000, 12000, 15000], [(0, 3), (1, 2), (2, 3)], codes=codes, names=names,
        nests={"jeugdregio": ["JZ01", "JZ02", "JZ02", "JZ01"]})


def test_infeasible_minimum_names_the_place_and_nesting_unit():
    g = island_graph()  # the island's ferry goes to Groningen, inside its own jeugdregio
    res = Regionalizer(min_pupils=10_000, nest="jeugdregio").fit_graph(g)
    assert res.labels["GM0088"] == res.labels["GM0014"] != res.labels["GM0080"]
    # ferry to Noardeast-Fryslân instead: the island is cut off inside JZ01
    g2 = AreaGraph.from_arrays(
        [600, 6000, 12000, 15000], [(0, 1), (1, 2), (2, 3)], codes=list(g.codes),
        names=list(g.names), nests={"jeugdregio": ["JZ01", "JZ02", "JZ02", "JZ01"]})
    with pytest.raises(InfeasibleError) as e:
        Regionalizer(min_pupils=10_000, nest="jeugdregio").fit_graph(g2)
    msg = str(e.value)
    assert ("regio rond GM0088 Schiermonnikoog kan nooit 10.000 leerlingen halen binnen "
            "jeugdregio JZ01") in msg
    assert "600 leerlingen" in msg


def test_infeasible_maximum_and_covering_are_explained():
    g = island_graph()
    with pytest.raises(InfeasibleError) as e:
        Regionalizer(min_pupils=1000, max_pupils=12_000).fit_graph(g)
    assert "GM0014 Groningen heeft alleen al 15.000 leerlingen" in str(e.value)
    g3 = AreaGraph.from_arrays([5000] * 3, [(0, 1), (1, 2)], lat=[52] * 3, lon=[5, 5.1, 5.2],
                               sites={"SO": [0]}, codes=["GM0001", "GM0002", "GM0003"],
                               nests={"jeugdregio": ["JZ01", "JZ02", "JZ02"]})
    with pytest.raises(InfeasibleError) as e:
        Regionalizer(min_pupils=1000, covering=True, provision_types=("SO",),
                     nest="jeugdregio").fit_graph(g3)
    assert ("kan nooit een dekkend netwerk hebben binnen jeugdregio JZ02: er is daar geen SO"
            in str(e.value))
    # without nesting the whole map can form one covering region
    res = Regionalizer(min_pupils=1000, covering=True, provision_types=("SO",),
                       objective="maxp").fit_graph(g3)
    assert res.n_regions == 1


def test_locked_areas_stay_together_and_with_their_swv():
    g = planar_instance(30, seed=7)
    a, b = str(g.codes[3]), str(g.codes[17])
    res = Regionalizer(min_pupils=3000, objective="maxp", locked=[[a, b]],
                       time_limit=10).fit_graph(g)
    assert res.labels[a] == res.labels[b]
    # an area code locks the area to the rest of its current SWV
    sq = g.status_quo
    res = Regionalizer(min_pupils=3000, objective="maxp", locked=[str(g.codes[0])],
                       time_limit=10).fit_graph(g)
    same = res.labels.to_numpy()[sq == sq[0]]
    assert len(set(same)) == 1
    assert any("aaneengesloten" in n for n in res.report) or len(set(same)) == 1
    with pytest.raises(Exception, match="onbekende code 'GM9999'"):
        Regionalizer(locked=["GM9999"]).fit_graph(g)


def test_auto_method_proves_small_instances_optimal():
    g = planar_instance(12, seed=2)
    res = Regionalizer(min_pupils=4000, objective="grensverkeer", time_limit=60).fit_graph(g)
    assert res.status == "optimaal"
    assert "bewezen optimaal" in " ".join(res.report)
    assert res.history and res.history[-1][1] == pytest.approx(res.objective)


# -- on an Atlas --------------------------------------------------------------------------------


def test_fit_on_the_synthetic_atlas_returns_a_valid_division(synthetic_atlas):
    atlas = synthetic_atlas
    seen = []
    res = Regionalizer(sector="PO", min_pupils=10_000, time_limit=10,
                       callback=lambda t, v, info: seen.append((t, v))).fit(atlas)
    div = res.division
    assert div.name == "optimaal" and div.sector == "PO"
    div.validate(atlas.pc4["pc4"])
    assert div.recipe["min_leerlingen"] == 10_000 and div.recipe["doel"] == "evenwichtig"
    assert set(div.recipe["gewichten"]) == {"grensverkeer", "afstand", "verandering", "regios",
                                             "heterogeniteit"}
    assert all(code.startswith("OPT-") for code in div.regions)
    assert all(div.region_name(r).startswith("Regio ") for r in div.regions)
    g = area_graph(atlas, "PO")
    check_division(g, res.labels, Constraints(min_pupils=10_000))
    assert seen and all(b <= a + 1e-12 for (_, a), (_, b) in zip(seen, seen[1:], strict=False))
    assert [v for _, v in res.history] == sorted((v for _, v in res.history), reverse=True)
    assert any("gemodelleerde leerlingstromen" in n for n in res.report)


def test_nested_and_covering_divisions_on_the_synthetic_atlas(synthetic_atlas):
    g = area_graph(synthetic_atlas, "VO")
    res = Regionalizer(sector="VO", min_pupils=3000, covering=True, objective="maxp",
                       time_limit=10).fit(synthetic_atlas)
    check_division(g, res.labels, Constraints(min_pupils=3000), g.provision_types)
    assert res.n_regions > 1
    res = Regionalizer(sector="VO", min_pupils=2000, nest="provincie", objective="evenwichtig",
                       time_limit=10).fit(synthetic_atlas)
    check_division(g, res.labels, Constraints(min_pupils=2000, nest="provincie"))


def test_pc4_level_keeps_regions_contiguous(synthetic_atlas):
    res = Regionalizer(sector="PO+VO", min_pupils=20_000, level="pc4", objective="maxp",
                       time_limit=10).fit(synthetic_atlas)
    assert res.division.noncontiguous(synthetic_atlas) == []
    g = area_graph(synthetic_atlas, "PO+VO", level="pc4")
    check_division(g, res.labels, Constraints(min_pupils=20_000))


@pytest.mark.realdata
def test_real_netherlands_explains_jeugdregio_infeasibility(real_atlas):
    with pytest.raises(InfeasibleError) as e:
        Regionalizer(sector="PO", min_pupils=10_000, nest="jeugdregio").fit(real_atlas)
    assert "kan nooit 10.000 leerlingen halen binnen jeugdregio JZ" in str(e.value)
    res = Regionalizer(sector="PO", min_pupils=10_000, nest="provincie",
                       time_limit=10).fit(real_atlas)
    g = area_graph(real_atlas, "PO")
    check_division(g, res.labels, Constraints(min_pupils=10_000, nest="provincie"))
    assert any("veerverbinding" in n and "GM0088 Schiermonnikoog" in n for n in res.report)


# -- command line -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saved_atlas(tmp_path_factory, synthetic_atlas) -> Path:
    path = tmp_path_factory.mktemp("atlas") / "atlas"
    synthetic_atlas.save(path)
    return path


def test_cli_optimize_writes_division_and_recipe(saved_atlas, tmp_path):
    from typer.testing import CliRunner

    from nabij.cli import app

    out = tmp_path / "optimaal.csv"
    result = CliRunner().invoke(app, [
        "optimize", "--atlas", str(saved_atlas), "--sector", "VO", "--min-leerlingen", "8000",
        "--doel", "grensverkeer", "--tijd", "5", "--gewicht", "regios=0,1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out, dtype=str)
    assert list(df.columns) == ["pc4", "regio", "regio_naam"]
    recipe = out.with_suffix(".recept.json").read_text(encoding="utf-8")
    assert '"doel": "grensverkeer"' in recipe and '"regios": 0.1' in recipe
    assert "Indeling geschreven" in result.output


def test_cli_optimize_infeasible_exits_2_with_dutch_message(saved_atlas, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "nabij", "optimize", "--atlas", str(saved_atlas),
         "--min-leerlingen", "100000000", "--out", str(tmp_path / "x.csv")],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "minder dan het minimum" in proc.stderr
    assert not (tmp_path / "x.csv").exists()


def test_cli_optimize_rejects_bad_options(saved_atlas, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "nabij", "optimize", "--atlas", str(saved_atlas), "--doel", "snel",
         "--binnen", "wijk", "--out", str(tmp_path / "x.csv")],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "--doel 'snel'" in proc.stderr and "--binnen 'wijk'" in proc.stderr


def test_fast_value_equals_full_value():
    g = planar_instance(35, seed=9, sites=5)
    inst = compile_instance(g, Constraints(min_pupils=3000, locked=((1, 2),)))
    model = ObjectiveModel(inst, Weights(border=1, distance=0.3, change=0.2, regions=0.1,
                                         heterogeneity=0.5))
    labels = np.random.default_rng(1).integers(0, 6, inst.n)
    assert model.fast_value(labels) == pytest.approx(model.value(labels), abs=1e-12)


def test_exact_method_through_the_regionalizer_and_its_size_limit():
    from nabij.errors import InputError

    g = AreaGraph.from_arrays([5] * 6, [(i, i + 1) for i in range(5)],
                              attributes=[[0], [0], [1], [1], [2], [2]])
    res = Regionalizer(min_pupils=10, objective="maxp", method="exact").fit_graph(g)
    assert res.status == "optimaal" and res.method == "exact" and res.n_regions == 3
    with pytest.raises(InputError, match="Te groot voor het exacte model"):
        Regionalizer(min_pupils=1000, method="exact").fit_graph(planar_instance(100, seed=1))
