"""The one suppression path: nabij.privacy.publish (primary, complementary, derived columns)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nabij.errors import NabijError
from nabij.privacy import DEFAULT_THRESHOLD, check_threshold, count_columns, publish, publish_values


def test_primary_suppression_keeps_zero_and_rounds() -> None:
    df = pd.DataFrame({"gemeente": ["a", "b", "c", "d"], "leerlingen": [0, 4.4, 12.6, 30]})
    out = publish(df, totals=None)
    assert out["leerlingen"].tolist() == [0, "<10", 13, 30]


def test_counts_found_by_vocabulary_and_unit() -> None:
    cols = ["gemeente", "leerlingen", "leerlingen_gemodelleerd", "vervoerd", "kosten", "x"]
    assert count_columns(cols, {"x": "kinderen"}) == ["leerlingen", "vervoerd", "x"]


def test_single_hidden_cell_gets_a_partner_against_the_column_total() -> None:
    df = pd.DataFrame({"g": list("abcd"), "leerlingen": [4, 50, 20, 300]})
    out = publish(df)
    hidden = out["leerlingen"] == "<10"
    assert hidden.sum() == 2 and out.loc[2, "leerlingen"] == "<10"  # the smallest other cell


def test_derived_cost_per_pupil_hidden_with_its_count() -> None:
    df = pd.DataFrame({"gemeente": ["a", "b", "c"], "vervoerd": [6, 40, 50],
                       "kosten": [24000, 160000, 200000],
                       "kosten_per_vervoerde": [4000, 4000, 4000]})
    out = publish(df)
    for i in range(3):
        if out.loc[i, "vervoerd"] == "<10":
            assert out.loc[i, "kosten_per_vervoerde"] is None


def test_threshold_rules() -> None:
    assert check_threshold(None) == DEFAULT_THRESHOLD
    assert check_threshold(25) == 25
    for bad in (0, -3, 5):
        with pytest.raises(NabijError):
            check_threshold(bad)
    assert check_threshold(3, suppress=False) == 3


def test_headline_values() -> None:
    shown = publish_values({"leerlingen_verplaatst": 5.0, "kosten": 100,
                            "vervoerde_leerlingen": 3, "kosten_per_vervoerde": 4000})
    assert shown["leerlingen_verplaatst"] == "<10" and shown["vervoerde_leerlingen"] == "<10"
    assert shown["kosten_per_vervoerde"] is None and shown["kosten"] == 100


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=2, max_size=5), min_size=2, max_size=5))
def test_no_hidden_cell_follows_from_the_margins(rows: list[list[int]]) -> None:
    width = min(len(r) for r in rows)
    table = np.array([r[:width] for r in rows])
    long = pd.DataFrame([{"van": i, "naar": j, "leerlingen": int(table[i, j])}
                         for i, j in itertools.product(range(table.shape[0]), range(width))])
    out = publish(long, ["leerlingen"], 10, totals=[(), ("van",), ("naar",)])
    hidden = (out["leerlingen"] == "<10").to_numpy().reshape(table.shape)
    assert not ((table > 0) & (table < 10) & ~hidden).any()
    # every line with a hidden cell hides >= 10 pupils in total, unless nothing else is left
    for axis in (0, 1):
        for k in range(table.shape[1 - axis]):
            h = hidden[:, k] if axis == 0 else hidden[k]
            v = table[:, k] if axis == 0 else table[k]
            if h.any() and (v[~h] > 0).any():
                assert v[h].sum() >= 10 and h.sum() >= 2


def test_no_suppress_shows_everything() -> None:
    df = pd.DataFrame({"leerlingen": [3, 30]})
    assert publish(df, suppress=False)["leerlingen"].tolist() == [3, 30]


def test_fractional_flows_hide_ten_whole_pupils_per_group() -> None:
    """Modelled flows are fractional: two hidden inflows of 4.6 show as 5 + 5 but hold 9.2
    pupils, so the group of the region they flow into needs a third hidden partner (the
    inflows of VO 28-13 in the real s3 table have this shape: 7 small fractional cells)."""
    flows = pd.DataFrame({"van": ["A", "B", "C", "D", "D"], "naar": ["X", "X", "X", "X", "Y"],
                          "leerlingen": [4.6, 4.6, 11.5, 803.2, 40.0]})
    out = publish(flows, ["leerlingen"], 10, totals=[(), ("van",), ("naar",)])
    hidden = (out["leerlingen"] == "<10").to_numpy()
    into_x = (flows["naar"] == "X").to_numpy()
    assert hidden[:2].all() and hidden[into_x].sum() >= 3
    assert flows["leerlingen"][hidden & into_x].sum() >= 10
    assert out.loc[3, "leerlingen"] == 803  # the large inflow stays published, rounded
