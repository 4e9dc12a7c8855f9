"""Monitor rules on hand-made figures: targets and status, the thuiszitters rule,
complementary suppression, notes, register and targets files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nabij.atlas import build_atlas
from nabij.defaults import MONITOR_FAR_BEHIND, MONITOR_ON_TRACK
from nabij.divisions import Division
from nabij.errors import InputError
from nabij.monitor.catalogue import load_catalogue
from nabij.monitor.engine import MonitorResult, published
from nabij.monitor.notes import notes_by_indicator, notes_for, read_notes_frame, school_period
from nabij.monitor.register import read_register_frame
from nabij.monitor.signals import check_shown_together, thuiszitter_warnings
from nabij.monitor.targets import (
    BEHIND,
    FAR_BEHIND,
    ON_TRACK,
    Target,
    TargetSpec,
    apply_targets,
    read_targets_frame,
    resolve,
)

CAT = load_catalogue()


@pytest.fixture(scope="module")
def tiny_atlas():
    from tests.conftest import make_tiny_bundle

    return build_atlas(make_tiny_bundle())


# ------------------------------------------------------------------ targets
def test_straight_trajectory():
    t = Target("A", "deelname_sbo_so", 2020, 6.0, 2025, 4.0)
    assert t.path(2020) == 6.0 and t.path(2025) == 4.0 and t.path(2030) == 4.0
    assert t.path(2022) == pytest.approx(6.0 - 2 * 0.4)
    assert t.path(2022.5) == pytest.approx(6.0 - 2.5 * 0.4)


def test_stepped_trajectory_holds_between_steps():
    t = Target("A", "deelname_sbo_so", 2020, 6.0, 2024, 4.0, "trapsgewijs", 2)
    assert [float(t.path(y)) for y in (2020, 2021, 2021.9, 2022, 2023, 2024)] == \
        pytest.approx([6.0, 6.0, 6.0, 5.0, 5.0, 4.0])


def test_status_thresholds_relative_to_planned_change():
    t = Target("A", "deelname_sbo_so", 2020, 6.0, 2025, 4.0)  # planned change 2.0
    path = float(t.path(2022))  # 5.2
    assert t.status(2022, path) == ON_TRACK
    assert t.status(2022, path - 1.0) == ON_TRACK  # ahead
    assert t.status(2022, path + MONITOR_ON_TRACK * 2.0 - 1e-9) == ON_TRACK
    assert t.status(2022, path + MONITOR_ON_TRACK * 2.0 + 0.01) == BEHIND
    assert t.status(2022, path + MONITOR_FAR_BEHIND * 2.0 - 0.01) == BEHIND
    assert t.status(2022, path + MONITOR_FAR_BEHIND * 2.0 + 0.01) == FAR_BEHIND
    assert t.status(2019, 9.0) is None
    up = Target("A", "x", 2020, 1.0, 2022, 3.0)  # a target upwards: below the path is behind
    assert up.status(2021, 1.0) == FAR_BEHIND and up.status(2021, 2.5) == ON_TRACK


def _series(rows):
    return pd.DataFrame(rows, columns=["regio", "indicator", "schooljaar", "halfjaar",
                                       "waarde"]).assign(teller=np.nan, noemer=np.nan,
                                                         status="definitief")


def test_rule_back_to_national_average_and_application():
    s = _series([("A", "deelname_sbo_so", 2020, 0, 6.0), ("B", "deelname_sbo_so", 2020, 0, 3.0),
                 ("NL", "deelname_sbo_so", 2020, 0, 4.5), ("A", "deelname_sbo_so", 2022, 0, 6.0)])
    specs = [TargetSpec("*", "deelname_sbo_so", 2020, 2025, regel="landelijk_gemiddelde"),
             TargetSpec("B", "deelname_sbo_so", 2020, 2025, doelwaarde=2.5, row=3)]
    tg = {t.regio: t for t in resolve(specs, s, ["A", "B"])}
    assert tg["A"].basiswaarde == 6.0 and tg["A"].doelwaarde == 4.5
    assert tg["B"].doelwaarde == 2.5  # the region's own row wins over '*'
    # with the catalogue's direction (lower is better) a region below the average keeps its level
    tg2 = {t.regio: t for t in resolve(specs[:1], s, ["A", "B"], catalogue=CAT)}
    assert tg2["A"].doelwaarde == 4.5 and tg2["B"].doelwaarde == 3.0
    out = apply_targets(s[s["regio"] != "NL"], list(tg.values())).set_index(
        ["regio", "schooljaar"])
    assert out.loc[("A", 2022), "doelpad"] == pytest.approx(6.0 - 2 * 0.3)
    assert out.loc[("A", 2022), "doelstatus"] == FAR_BEHIND  # no change at all: 0.4 of 1.5


def test_targets_file_errors_name_row_and_column():
    df = pd.DataFrame({"regio": ["A", "B"], "indicator": ["deelname_sbo_so", "bestaat_niet"],
                       "basisjaar": ["2020/'21", "2020"], "doeljaar": ["2025", "2019"],
                       "doelwaarde": ["4,5", "x"]})
    with pytest.raises(InputError) as e:
        read_targets_frame(df, CAT, "doelen.csv")
    msg = str(e.value)
    assert "doelen.csv, rij 3, kolom 'indicator'" in msg and "kolom 'doelwaarde'" in msg
    assert "rij 2" not in msg
    ok = read_targets_frame(df.iloc[:1], CAT)
    assert ok[0].basisjaar == 2020 and ok[0].doelwaarde == 4.5


# ------------------------------------------------------------------ thuiszitters rule
def test_falling_thuiszitters_with_rising_exemptions_is_a_warning():
    rows = []
    for k, (tz, a5) in enumerate([(4.0, 3.0), (3.0, 4.0), (2.9, 3.0), (3.5, 3.5)]):
        y, h = 2020 + k // 2, 1 + k % 2
        rows += [("A", "zonder_aanbod_3mnd", y, h, tz), ("A", "vrijstelling_5a", y, h, a5),
                 ("A", "vrijstelling_5b", y, h, 0.3), ("A", "vrijstelling_5c", y, h, 0.7)]
    w = thuiszitter_warnings(_series(rows), CAT)
    # period 2: -25 % with exemptions +25 %: warning; period 3: -3 % (too small) and falling
    # exemptions; period 4: both rise
    assert len(w) == 1
    r = w.iloc[0]
    assert (r["indicator"], r["schooljaar"], r["halfjaar"]) == ("zonder_aanbod_3mnd", 2020, 2)
    assert "daalt" in r["melding"] and "vrijstellingen" in r["melding"]


def test_thuiszitters_never_shown_without_exemptions():
    with pytest.raises(ValueError):
        check_shown_together(["absoluut_verzuim", "vrijstelling_5a"], CAT)
    ids = CAT.with_companions(["absoluut_verzuim"])
    check_shown_together(ids, CAT)
    assert {"vrijstelling_5a", "vrijstelling_5b", "vrijstelling_5c"} <= set(ids)


# ------------------------------------------------------------------ suppression
def _recoverable(cells: dict, row_tot: dict, col_tot: dict) -> set:
    """Cells an attacker can compute from published cells and row/column totals
    (repeatedly: a line with exactly one unknown cell gives it away)."""
    known = {k: v for k, v in cells.items() if v is not None}
    unknown = {k for k, v in cells.items() if v is None}
    found = set()
    changed = True
    while changed:
        changed = False
        for lines, tot, pos in ((row_tot, row_tot, 0), (col_tot, col_tot, 1)):
            for key in lines:
                line = [k for k in cells if k[pos] == key]
                miss = [k for k in line if k in unknown]
                if len(miss) == 1:
                    known[miss[0]] = tot[key] - sum(known[k] for k in line if k != miss[0])
                    unknown.discard(miss[0])
                    found.add(miss[0])
                    changed = True
    return found


def test_complementary_suppression_cannot_be_undone(tiny_atlas):
    """Regions x half years of a count indicator with two small cells: neither the column
    totals (Nederland per half year, published) nor the row totals (a region's school year)
    give a hidden cell away."""
    regions = ["R1", "R2", "R3", "R4"]
    counts = {("R1", 1): 4, ("R1", 2): 30, ("R2", 1): 25, ("R2", 2): 12,
              ("R3", 1): 40, ("R3", 2): 55, ("R4", 1): 33, ("R4", 2): 8}
    rows = []
    for (r, h), n in counts.items():
        rows.append((r, "absoluut_verzuim", 2022, h, float(n), 1000.0, n))
    for h in (1, 2):
        tot = sum(n for (r, hh), n in counts.items() if hh == h)
        rows.append(("NL", "absoluut_verzuim", 2022, h, float(tot), 4000.0, tot / 4))
    s = pd.DataFrame(rows, columns=["regio", "indicator", "schooljaar", "halfjaar", "teller",
                                    "noemer", "waarde"])
    s = s.assign(regio_naam=s["regio"], periode="p", status="definitief", doelpad=np.nan,
                 doelstatus=None, verwacht=np.nan, residu=np.nan, onverklaard=None)
    div = Division("x", "PO", pd.Series({p: "R1" for p in tiny_atlas.pc4["pc4"]}))
    res = MonitorResult("t", 2024, CAT, div, ["absoluut_verzuim"], s)
    p = published(res, threshold=10)
    reg = p[p["regio"].isin(regions)]
    cells = {(r, h): (None if isinstance(t, str) else int(t))
             for r, h, t in zip(reg["regio"], reg["halfjaar"], reg["teller"], strict=True)}
    hidden = {k for k, v in cells.items() if v is None}
    assert {("R1", 1), ("R4", 2)} <= hidden  # the small ones
    assert len(hidden) >= 4  # each with a partner in its period
    col_tot = {h: int(p[(p["regio"] == "NL") & (p["halfjaar"] == h)]["teller"].iloc[0])
               for h in (1, 2)}
    row_tot = {r: sum(n for (rr, _), n in counts.items() if rr == r) for r in regions}
    assert _recoverable(cells, {}, col_tot) == set()
    assert _recoverable(cells, row_tot, col_tot) == set()
    # a hidden count also hides the value that would reveal it
    assert reg[reg["teller"].map(lambda v: isinstance(v, str))]["waarde"].isna().all()


# ------------------------------------------------------------------ notes and register
def test_notes_are_dated_into_school_periods():
    assert school_period(pd.Timestamp("2023-09-15").date()) == (2023, 1)
    assert school_period(pd.Timestamp("2024-01-31").date()) == (2023, 1)
    assert school_period(pd.Timestamp("2024-02-01").date()) == (2023, 2)
    df = pd.DataFrame({"regio": ["A"], "indicator": [""], "datum": ["2024-03-01"],
                       "tekst": ["Nieuwe OPDC-plaatsen"]})
    n = read_notes_frame(df, CAT)
    assert (n.iloc[0]["schooljaar"], n.iloc[0]["halfjaar"]) == (2023, 2)
    with pytest.raises(InputError) as e:
        read_notes_frame(df.assign(datum="morgen"), CAT, "notities.csv")
    assert "notities.csv, rij 2, kolom 'datum'" in str(e.value)


def test_notes_by_indicator_equals_notes_for_of_each_indicator():
    df = pd.DataFrame({
        "regio": ["R1", "*", "R1", "R2", "R1", "NL"],
        "indicator": ["deelname_so", "", "", "deelname_so", "deelname_sbo", "deelname_so"],
        "datum": ["2024-03-01", "2023-09-01", "2024-01-10", "2024-02-02", "2022-12-12",
                  "2024-05-05"],
        "tekst": list("abcdef"), "auteur": ""})
    notes = read_notes_frame(df, CAT)
    ids = ["deelname_so", "deelname_sbo", "absoluut_verzuim"]
    grouped = notes_by_indicator(notes, "R1", ids)
    for i in ids:
        assert grouped[i] == list(notes_for(notes, "R1", i).itertuples(index=False, name=None))
    assert [r[5] for r in grouped["deelname_so"]] == ["b", "c", "a"]
    assert [r[5] for r in grouped["absoluut_verzuim"]] == ["b", "c"]


def test_register_layout_and_errors(tiny_atlas):
    df = pd.DataFrame({"gemeente": ["GM0001", "0002"], "schooljaar": ["2023/'24", "2023-2024"],
                       "periode": ["1", "2"], "indicator": ["absoluut_verzuim",
                                                            "vrijstelling_5a"],
                       "aantal": ["3", "12"], "leerplichtigen": ["", "9000"]})
    obs = read_register_frame(df, tiny_atlas, CAT)
    assert list(obs["code"]) == ["GM0001", "GM0002"] and list(obs["halfjaar"]) == [1, 2]
    assert obs.iloc[1]["noemer"] == 9000 and obs.iloc[0]["noemer"] == 2 * (800 + 600)
    bad = df.assign(aantal=["3", "-1"], gemeente=["GM9999", "GM0002"])
    with pytest.raises(InputError) as e:
        read_register_frame(bad, tiny_atlas, CAT, "reg.csv")
    assert "reg.csv, rij 2, kolom 'gemeente'" in str(e.value)
    assert "reg.csv, rij 3, kolom 'aantal'" in str(e.value)
