"""Synthetic history and register (deterministic, shaped like the real series) and the
expected-versus-observed model on hand-made figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nabij.monitor.catalogue import load_catalogue
from nabij.monitor.expected import HIGHER, LOWER, expected_values
from nabij.monitor.register import read_register_frame
from nabij.monitor.synthetic import synthetic_history, synthetic_register


def test_synthetic_history_is_deterministic_and_ends_in_the_atlas(synthetic_atlas):
    a, b = synthetic_history(synthetic_atlas, 7), synthetic_history(synthetic_atlas, 7)
    pd.testing.assert_frame_equal(a.pupils, b.pupils)
    assert not synthetic_history(synthetic_atlas, 8).pupils.equals(a.pupils)
    assert a.years == list(range(2013, synthetic_atlas.meta.reference_year))
    last = a.pupils[a.pupils["schooljaar"] == a.years[-1]]
    lw = synthetic_atlas.leerlingen_woongemeente
    got = last.set_index(["gemeente", "soort"])["leerlingen"]
    want = lw.set_index(["gemeente", "soort"])["leerlingen"]
    assert np.allclose(got.reindex(want.index).to_numpy(float), want.to_numpy(float))
    assert set(last["status"]) == {"voorlopig"} and a.modelled
    nat = a.national()
    # shaped like CBS: regular primary falls, SBO falls until 2016/'17, SO rises afterwards
    assert nat.loc[2013, "BAO"] > nat.loc[a.years[-1], "BAO"]
    assert nat.loc[2013, "SBO"] > nat.loc[2016, "SBO"]
    assert nat.loc[a.years[-1], "SO"] > nat.loc[2016, "SO"]
    # gemeenten drift apart: in 2013 the SBO share differs between gemeenten
    wide = a.pupils[a.pupils["schooljaar"] == 2013].pivot_table(
        index="gemeente", columns="soort", values="leerlingen")
    share = wide["SBO"] / wide[["BAO", "SBO", "SO"]].sum(axis=1)
    assert share.std() > 0


def test_synthetic_register_reads_back_in_the_documented_layout(synthetic_atlas):
    cat = load_catalogue()
    rows = synthetic_register(synthetic_atlas, 3)
    assert list(rows.columns[:5]) == ["gemeente", "schooljaar", "periode", "indicator", "aantal"]
    obs = read_register_frame(rows, synthetic_atlas, cat)
    assert set(obs["halfjaar"]) == {1, 2}
    assert set(obs["indicator"]) == {i.id for i in cat if i.berekening == "register"}
    pd.testing.assert_frame_equal(rows, synthetic_register(synthetic_atlas, 3))


def test_expected_values_flag_the_one_unexplained_region():
    """Eleven regions on an exact line in urbanity, one 3 points above it."""
    regions = [f"R{k}" for k in range(12)]
    urb = np.linspace(1, 5, 12)
    value = 2.0 + 0.5 * urb + np.where(np.arange(12) == 5, 3.0, 0.0) \
        + np.tile([0.05, -0.05], 6)
    series = pd.DataFrame({"regio": regions, "indicator": "deelname_sbo_so",
                           "schooljaar": 2023, "halfjaar": 0, "waarde": value})
    context = pd.DataFrame({"stedelijkheid": urb}, index=regions)
    out, models = expected_values(series, context, threshold=2.0)
    out = out.set_index("regio")
    assert out.loc["R5", "onverklaard"] == HIGHER
    assert (out.drop(index="R5")["onverklaard"] == "").all()
    assert out.loc["R5", "residu"] == pytest.approx(value[5] - out.loc["R5", "verwacht"])
    m = models[0]
    assert m.covariates == ("stedelijkheid",) and m.n == 12 and 0 < m.r2 < 1
    assert "R²" in m.describe() and "12 regio's" in m.describe()
    low, _ = expected_values(series.assign(waarde=np.where(np.arange(12) == 5, -value, value)),
                             context)
    assert low.set_index("regio").loc["R5", "onverklaard"] == LOWER
