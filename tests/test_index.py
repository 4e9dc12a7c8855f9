"""The atlas index: one adjacency, one distance model; optimizer and measures agree."""

from __future__ import annotations

import numpy as np
import pytest

from nabij.atlas.distance import StraightLineDetour
from nabij.defaults import DETOUR_FACTOR, MIN_REGION_PUPILS
from nabij.measures import measure_all
from nabij.measures.definitions import Params
from nabij.scenarios import ScenarioOptions, build_scenario


def _optimal_measures(atlas):
    options = ScenarioOptions(extra={"optimaal_tijd": 3})
    divisions = build_scenario(atlas, "optimaal", options)
    assert [d.sector for d in divisions] == ["PO", "VO", "PO+VO"]
    ms = measure_all(atlas, divisions, params=Params(small_region=MIN_REGION_PUPILS))
    return divisions, ms


def _assert_agree(atlas) -> None:
    divisions, ms = _optimal_measures(atlas)
    for d, m in zip(divisions, ms.divisions, strict=True):
        assert "min_leerlingen_gevraagd" not in d.recipe, d.recipe  # minimum not lowered
        assert m.summary["niet_aaneengesloten"] == 0, d.name
        assert m.summary["regios_klein"] == 0, (d.name, m.summary["leerlingen_min"])
        assert d.noncontiguous(atlas) == []


def test_optimizer_and_measures_agree_on_the_synthetic_country(synthetic_atlas):
    _assert_agree(synthetic_atlas)


@pytest.mark.realdata
def test_optimizer_and_measures_agree_on_the_real_netherlands(real_atlas):
    _assert_agree(real_atlas)


def test_index_is_built_once_per_atlas(synthetic_atlas):
    assert synthetic_atlas.index is synthetic_atlas.index
    assert isinstance(synthetic_atlas.index.distance, StraightLineDetour)
    assert synthetic_atlas.index.distance.factor == DETOUR_FACTOR


def test_adjacency_is_connected_labelled_and_lifted(synthetic_atlas):
    ix = synthetic_atlas.index
    gem, pc4 = ix.gemeente_adjacency, ix.pc4_adjacency
    assert gem.components()[0] == 1 and pc4.components()[0] == 1
    assert set(pc4.kind) <= {"binnen", "grens", "veer", "nabij"}
    assert "veer" in set(gem.kind) and "veer" in set(pc4.kind)
    # every gemeente link has a PC4 link between the two gemeenten, of the same kind
    g = ix.gem_of_pc4
    lifted = {(min(a, b), max(a, b)): k for a, b, k in zip(g[pc4.a], g[pc4.b], pc4.kind,
                                                           strict=True) if a != b}
    for a, b, k in zip(gem.a, gem.b, gem.kind, strict=True):
        assert (a, b) in lifted
        if k == "veer":
            assert lifted[(a, b)] == "veer"
    # each gemeente's own PC4 areas are one piece
    assert (pc4.pieces(g, ix.n_gem)[np.bincount(g, minlength=ix.n_gem) > 0] == 1).all()


def test_index_pupils_match_the_tables(synthetic_atlas):
    ix = synthetic_atlas.index
    st = synthetic_atlas.stromen
    assert ix.home.sum() == pytest.approx(st["leerlingen"].sum())
    assert ix.school_pupils_by_pc4(["VO"]).sum() == pytest.approx(
        synthetic_atlas.scholen.query("soort == 'VO'")["leerlingen"].sum())
    trips = ix.trips(["SO"])
    assert trips["leerlingen"].sum() == pytest.approx(
        st.loc[st["soort"] == "SO", "leerlingen"].sum())
    assert (trips["km"] >= 0).all()
