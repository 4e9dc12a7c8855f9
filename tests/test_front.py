"""The Pareto front of ``nabij optimize --front`` (issue 10): every point valid by the measures'
own count, none beaten by a seed scenario, the knee explained."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nabij.defaults import FRONT_CHANGE_WEIGHTS
from nabij.divisions.scale import largest_status_quo
from nabij.optimize.front import FRONT_BASE_WEIGHTS, knee_index, optimum_division, pareto_front
from nabij.optimize.objective import ObjectiveModel
from nabij.optimize.problem import Constraints, area_graph, compile_instance


def _check(front) -> None:
    assert front.points, front.notes
    for p in front.points:
        assert p.counts == {"regios_klein": 0, "regios_groot": 0, "niet_aaneengesloten": 0}
        for s in front.seeds:  # no seed is at least as good on both and better on one
            v, g = p.values["verandering"], p.values["grensverkeer"]
            sv, sg = s.values["verandering"], s.values["grensverkeer"]
            assert not (sv <= v and sg <= g and (sv < v or sg < g)), (p.name, s.name)
    vs = [p.values["verandering"] for p in front.points]
    assert vs == sorted(vs) and 0 <= front.knee < len(front.points)


def test_front_on_synthetic_country(synthetic_atlas):
    a = synthetic_atlas
    f = pareto_front(a, "PO", min_pupils=2_000, time_per_point=0.3)
    assert f.max_pupils == largest_status_quo(a, "PO")
    _check(f)
    assert {s.name for s in f.seeds} >= {"Status quo PO", "Fusie kleine SWV's PO"}
    knee = optimum_division(f, "Optimaal PO")
    assert knee.recipe["knik_uitleg"].startswith("'Optimaal' is de knik")
    assert sum(p["knik"] for p in knee.recipe["front"]) == 1
    table = f.table()
    assert set(table["soort"]) == {"front", "scenario"} and table["knik"].sum() == 1


def test_knee_is_farthest_below_the_chord():
    class P:
        def __init__(self, v, g):
            self.values = {"verandering": v, "grensverkeer": g}

    # a sharp elbow at (0.2, 0.2) between (0, 1) and (1, 0)
    pts = [P(0.0, 1.0), P(0.1, 0.5), P(0.2, 0.2), P(0.6, 0.1), P(1.0, 0.0)]
    assert knee_index(pts) == 2


def test_reweighted_model_equals_fresh_model(synthetic_atlas):
    g = area_graph(synthetic_atlas, "PO", "gemeente")
    inst = compile_instance(g, Constraints(min_pupils=2_000))
    labels = np.arange(inst.n) % 7
    base = ObjectiveModel(inst, replace(FRONT_BASE_WEIGHTS, change=1.0))
    for w in FRONT_CHANGE_WEIGHTS[:3]:
        weights = replace(FRONT_BASE_WEIGHTS, change=w)
        assert base.reweighted(weights).fast_value(labels) == pytest.approx(
            ObjectiveModel(inst, weights).fast_value(labels))


@pytest.mark.realdata
def test_front_real_netherlands(real_atlas):
    f = pareto_front(real_atlas, "PO", time_per_point=1.5)
    _check(f)
    assert f.max_pupils == largest_status_quo(real_atlas, "PO") > 60_000


def test_cli_front_writes_knee_and_front(synthetic_atlas, tmp_path):
    import json

    import pandas as pd
    from typer.testing import CliRunner

    from nabij.cli import app

    atlas_dir = tmp_path / "atlas"
    synthetic_atlas.save(atlas_dir)
    out = tmp_path / "knik.csv"
    result = CliRunner().invoke(app, [
        "optimize", "--atlas", str(atlas_dir), "--front", "--min-leerlingen", "2000",
        "--tijd", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    front = pd.read_csv(out.with_suffix(".front.csv"))
    assert front["knik"].sum() == 1 and "Status quo PO" in set(front["naam"])
    recipe = json.loads(out.with_suffix(".recept.json").read_text(encoding="utf-8"))
    assert recipe["naam"] == "Optimaal PO" and recipe["recept"]["front"]
    assert "knik van de front" in result.output
