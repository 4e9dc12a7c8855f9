"""Casework returns: what is counted (hand-made cases), the monitor feed, and the privacy
properties of every published file (no count 1-9; no hidden count recomputable)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from nabij.casework import exports
from nabij.casework.case import Case, ExemptionDecision
from nabij.casework.counts import (
    CASE_COLUMNS,
    INSPECTIE_COLUMNS,
    LEERPLICHT_COLUMNS,
    case_frame,
    inspectie_counts,
    leerplicht_counts,
    normalise_frame,
    register_counts,
)
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import CaseKind, Status, Verzuim
from nabij.casework.periods import Period, SchoolYear, parse_period
from nabij.privacy import is_suppressed
from nabij.tables import is_count_column

SY = SchoolYear.parse("2024-2025")


def case(i: int, kind: CaseKind, gemeente: str = "GM0001", child: str | None = None,
         **kw) -> Case:
    return Case(id=f"Z{i}", region=kw.pop("region", "R1"), kind=kind,
                child=child or f"kind{i}", birth_year=2014, gemeente=gemeente,
                registered_on=kw.pop("registered_on", date(2024, 1, 1)), **kw)


def thuis(i: int, verzuim: Verzuim, since: date, closed: date | None = None,
          offer: date | None = None, **kw) -> Case:
    status = Status.AFGESLOTEN if closed else Status.IN_BEHANDELING
    return case(i, CaseKind.THUISZITTER, verzuim=verzuim, out_of_school_since=since,
                closed_on=closed, offer_on=offer, status=kw.pop("status", status), **kw)


def granted(i: int, kind: CaseKind, on: date, until: date | None, **kw) -> Case:
    return case(i, kind, status=Status.AFGESLOTEN, closed_on=on,
                exemption=ExemptionDecision(on, "lp", True, "x", valid_until=until), **kw)


# ------------------------------------------------------------------- what is counted
def hand_made() -> list[Case]:
    return [
        # absoluut: overlaps the year (closed inside it), counted
        thuis(1, Verzuim.ABSOLUUT, date(2024, 6, 1), closed=date(2024, 8, 1),
              offer=date(2024, 7, 20)),
        # absoluut: ended the day before the year: not counted
        thuis(2, Verzuim.ABSOLUUT, date(2024, 3, 1), closed=date(2024, 7, 31),
              offer=date(2024, 7, 1)),
        # same child as 1 again in the year: one child
        thuis(3, Verzuim.ABSOLUUT, date(2025, 2, 1), child="kind1"),
        # relatief: five weeks absent inside the year: counted
        thuis(4, Verzuim.RELATIEF, date(2025, 3, 1), closed=date(2025, 4, 5),
              offer=date(2025, 4, 1)),
        # relatief: only three weeks absent: not langdurig
        thuis(5, Verzuim.RELATIEF, date(2025, 3, 1), closed=date(2025, 3, 22),
              offer=date(2025, 3, 20)),
        # relatief: 4 weeks reached only after the year ended: not counted
        thuis(6, Verzuim.RELATIEF, date(2025, 7, 20)),
        # withdrawn: never counted
        thuis(7, Verzuim.ABSOLUUT, date(2024, 9, 1), closed=date(2024, 9, 10),
              status=Status.INGETROKKEN),
        # other gemeente, long without an offer
        thuis(8, Verzuim.ABSOLUUT, date(2024, 9, 1), gemeente="GM0002"),
        # exemptions: 5a in force during the year (two children), one expired before
        granted(9, CaseKind.VRIJSTELLING_5A, date(2024, 2, 1), date(2025, 1, 31)),
        granted(10, CaseKind.VRIJSTELLING_5A, date(2025, 5, 1), None),
        granted(11, CaseKind.VRIJSTELLING_5A, date(2023, 5, 1), date(2024, 4, 30)),
        granted(12, CaseKind.VRIJSTELLING_5B, date(2024, 10, 1), None, gemeente="GM0002"),
        # refused 5c: not counted
        case(13, CaseKind.VRIJSTELLING_5C, status=Status.AFGESLOTEN,
             closed_on=date(2024, 10, 1),
             exemption=ExemptionDecision(date(2024, 10, 1), "lp", False, "nee")),
    ]


def test_leerplichttelling_counts_children_by_the_definitions() -> None:
    raw = leerplicht_counts(case_frame(hand_made()), SY, gemeenten=["GM0001", "GM0002",
                                                                      "GM0003"])
    got = raw.set_index("gemeente")[list(LEERPLICHT_COLUMNS)].to_dict("index")
    assert got["GM0001"] == {"absoluut_verzuim": 1, "langdurig_relatief_verzuim": 1,
                             "zonder_aanbod_3mnd": 1, "vrijstelling_5a": 2,
                             "vrijstelling_5b": 0, "vrijstelling_5c": 0}
    # case 1 was > 3 months without offer? since 2024-06-01, offer 2024-07-20: no. Case 3
    # (kind1, since 2025-02-01, open) reaches 3 months on 2025-05-01: yes -> one child.
    assert got["GM0002"] == {"absoluut_verzuim": 1, "langdurig_relatief_verzuim": 0,
                             "zonder_aanbod_3mnd": 1, "vrijstelling_5a": 0,
                             "vrijstelling_5b": 1, "vrijstelling_5c": 0}
    assert set(got["GM0003"].values()) == {0}
    assert (raw["schooljaar"] == "2024-2025").all()


def test_inspectie_counts_on_the_peildatum_and_in_the_period() -> None:
    cases = hand_made() + [thuis(20, Verzuim.ABSOLUUT, date(2025, 1, 15), region="R2")]
    raw = inspectie_counts(case_frame(cases), parse_period("2025-K1"), regions=["R1", "R2"])
    r1 = raw.set_index("regio").loc["R1"]
    # on 2025-03-31: case 3 (absoluut since 1 Feb), case 4 (relatief since 1 Mar: 30 days),
    # case 8 (absoluut since Sep, no offer, > 3 months)
    assert (r1["absoluut_verzuim"], r1["langdurig_relatief_verzuim"], r1["thuiszitters"]) == \
        (2, 1, 3)
    assert r1["zonder_aanbod_3mnd"] == 1
    assert r1["nieuw_in_periode"] == 3  # cases 3, 4, 5 came home in Q1
    assert r1["terug_naar_school_in_periode"] == 1  # case 5 closed 22 March
    assert r1["vrijstelling_5a"] == 0  # 9 ended 31 Jan, 10 starts 1 May
    r2 = raw.set_index("regio").loc["R2"]
    assert (r2["thuiszitters"], r2["nieuw_in_periode"]) == (1, 1)
    assert raw["peildatum"].eq("2025-03-31").all()


def test_register_feeds_the_monitor(synthetic_atlas) -> None:
    from nabij.casework.synthetic import region_population, synthetic_register
    from nabij.monitor.catalogue import load_catalogue
    from nabij.monitor.register import read_register_frame

    gem = list(synthetic_atlas.gemeenten["gemeente"][:6])
    pupils, schools = region_population(synthetic_atlas, gem)
    reg = synthetic_register("PO 99-01", pupils, schools, date(2025, 6, 15))
    frame = case_frame(reg.cases)
    rows = register_counts(frame, [SchoolYear.parse("2023-2024"), SY], date(2025, 6, 15), gem)
    # 2023-2024 both halves, 2024-2025 only the first (the second ends 31 July 2025)
    assert sorted(set(zip(rows["schooljaar"], rows["periode"], strict=True))) == [
        ("2023-2024", "1"), ("2023-2024", "2"), ("2024-2025", "1")]
    assert set(rows.loc[rows["schooljaar"] == "2024-2025", "status"]) == {"voorlopig"}
    obs = read_register_frame(rows.astype(str), synthetic_atlas, load_catalogue())
    assert len(obs) == len(rows)
    assert set(obs["indicator"]) == {"absoluut_verzuim", "langdurig_relatief_verzuim",
                                     "zonder_aanbod_3mnd", "vrijstelling_5a",
                                     "vrijstelling_5b", "vrijstelling_5c"}
    # the feed counts on the peildatum, as the monitor defines it
    jan = inspectie_counts(frame, Period(date(2025, 1, 1), date(2025, 1, 31)))
    feed = rows[(rows["schooljaar"] == "2024-2025")]
    total = feed.groupby("indicator")["aantal"].sum()
    assert total["absoluut_verzuim"] == jan["absoluut_verzuim"].sum()
    assert total["vrijstelling_5a"] == jan["vrijstelling_5a"].sum()


def test_count_columns_are_declared_in_the_vocabulary() -> None:
    for col in (*LEERPLICHT_COLUMNS, *INSPECTIE_COLUMNS):
        assert is_count_column(col), col


# ------------------------------------------------------------------- privacy properties
GEMEENTEN = [f"GM{i:04d}" for i in range(1, 9)]


@st.composite
def frames(draw) -> pd.DataFrame:
    """A case frame with many small counts: per gemeente and kind 0-25 children."""
    rows = []
    n = 0
    kinds = [("thuiszitter", "absoluut"), ("thuiszitter", "relatief"),
             ("vrijstelling_5a", None), ("vrijstelling_5b", None), ("vrijstelling_5c", None)]
    n_gem = draw(st.integers(2, len(GEMEENTEN)))
    for g in GEMEENTEN[:n_gem]:
        region = "R1" if g < "GM0005" else "R2"
        for kind, verzuim in kinds:
            k = draw(st.sampled_from([0, 0, 1, 2, 3, 5, 8, 9, 10, 11, 14, 25]))
            for _ in range(k):
                n += 1
                since = date(2024, 8, 1) + timedelta(days=draw(st.integers(0, 330)))
                long = draw(st.booleans())
                offer = None if long else since + timedelta(days=40)
                rows.append({
                    "id": f"Z{n}", "region": region, "kind": kind, "child": f"c{n}",
                    "gemeente": g, "status": "in_behandeling" if verzuim else "afgesloten",
                    "verzuim": verzuim, "since": since if verzuim else None,
                    "offer_on": offer if verzuim else None, "closed_on": None,
                    "granted": verzuim is None, "decided_on": None if verzuim else since,
                    "valid_until": None})
    return normalise_frame(pd.DataFrame(rows, columns=list(CASE_COLUMNS)))


def _numbers(df: pd.DataFrame, cols) -> list[float]:
    out = []
    for c in cols:
        for v in df[c]:
            if isinstance(v, (int, float, np.integer)) and not pd.isna(v):
                out.append(float(v))
    return out


def _assert_no_small(df: pd.DataFrame, cols) -> None:
    small = [v for v in _numbers(df, cols) if 0 < v < 10]
    assert not small, f"kleine aantallen gepubliceerd: {small}"


def _interval(n_vars: int, A_eq, b_eq, A_ub, b_ub, j: int) -> tuple[float, float]:
    bounds = [(1, None)] * n_vars  # a hidden cell is > 0 (zeros are shown), no upper bound
    c = np.zeros(n_vars)
    c[j] = 1
    kw = dict(A_eq=A_eq or None, b_eq=b_eq or None, A_ub=A_ub or None, b_ub=b_ub or None,
              bounds=bounds, method="highs")
    lo = linprog(c, **kw)
    hi = linprog(-c, **kw)
    assert lo.status == 0, "de gepubliceerde tabel is inconsistent"
    return lo.fun, (np.inf if hi.status == 3 else -hi.fun)


def assert_not_recomputable(raw: pd.DataFrame, pub: pd.DataFrame, totals: pd.DataFrame,
                            cols: list[str], row_eq: list[tuple[str, str, str]],
                            row_le: list[tuple[str, tuple[str, ...]]]) -> None:
    """An attacker knows every published cell and total, that a hidden cell is >= 1, and the
    row relations (``a = b + c``, ``a <= b + c``). No hidden cell may have one possible value."""
    hidden = [(i, c) for i in range(len(pub)) for c in cols if isinstance(pub.at[i, c], str)]
    if not hidden:
        return
    var = {h: k for k, h in enumerate(hidden)}

    def term(i: int, c: str) -> tuple[np.ndarray, float]:
        v = np.zeros(len(hidden))
        if (i, c) in var:
            v[var[(i, c)]] = 1
            return v, 0.0
        return v, float(pub.at[i, c])

    A_eq, b_eq, A_ub, b_ub = [], [], [], []
    for c in cols:
        total = totals.at[0, c]
        if isinstance(total, str):
            continue  # a hidden total publishes nothing
        v, known = np.zeros(len(hidden)), 0.0
        for i in range(len(pub)):
            t, k = term(i, c)
            v, known = v + t, known + k
        A_eq.append(v)
        b_eq.append(float(total) - known)
    for i in range(len(pub)):
        for a, b, c in row_eq:
            (va, ka), (vb, kb), (vc, kc) = term(i, a), term(i, b), term(i, c)
            A_eq.append(va - vb - vc)
            b_eq.append(kb + kc - ka)
        for a, parts in row_le:
            va, ka = term(i, a)
            v, k = va.copy(), -ka
            for p in parts:
                vp, kp = term(i, p)
                v, k = v - vp, k + kp
            A_ub.append(v)
            b_ub.append(k)
    for (i, c), j in var.items():
        if 0 < raw.at[i, c] < 10:
            lo, hi = _interval(len(hidden), A_eq, b_eq, A_ub, b_ub, j)
            assert hi - lo >= 1 - 1e-6, f"rij {i} kolom {c} is terug te rekenen: {lo}..{hi}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_leerplichttelling_never_publishes_small_or_recomputable_counts(frame) -> None:
    ret = exports.leerplichttelling(frame, SY)
    raw = leerplicht_counts(frame, SY)
    cols = list(LEERPLICHT_COLUMNS)
    _assert_no_small(ret.table, cols)
    _assert_no_small(ret.totals, cols)
    assert_not_recomputable(raw, ret.table, ret.totals, cols, [],
                            [("zonder_aanbod_3mnd",
                              ("absoluut_verzuim", "langdurig_relatief_verzuim"))])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_inspectie_never_publishes_small_or_recomputable_counts(frame) -> None:
    period = parse_period("2025-K2")
    ret = exports.inspectie(frame, period, regions=["R1", "R2", "R3"])
    raw = inspectie_counts(frame, period, regions=["R1", "R2", "R3"])
    cols = list(INSPECTIE_COLUMNS)
    _assert_no_small(ret.table, cols)
    _assert_no_small(ret.totals, cols)
    assert_not_recomputable(
        raw, ret.table, ret.totals, cols,
        [("thuiszitters", "absoluut_verzuim", "langdurig_relatief_verzuim")],
        [("zonder_aanbod_3mnd", ("thuiszitters",))])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(frame=frames())
def test_written_files_hold_no_small_count(frame, tmp_path) -> None:
    for ret in (exports.leerplichttelling(frame, SY),
                exports.inspectie(frame, parse_period("2025-K2"))):
        csv = exports.write_return(ret, tmp_path / f"{ret.name}.csv")
        xlsx = exports.write_return(ret, tmp_path / f"{ret.name}.xlsx")
        back = pd.read_csv(csv, dtype=str)
        numbers = [float(v) for c in back.columns if is_count_column(c) for v in back[c]
                   if v.replace(".", "").isdigit()]
        assert not [v for v in numbers if 0 < v < 10]
        wb = openpyxl.load_workbook(xlsx)
        for ws in wb.worksheets:
            if ws.title == "uitleg":
                continue
            head = [c.value for c in ws[1]]
            for row in ws.iter_rows(min_row=2, values_only=True):
                for name, v in zip(head, row, strict=True):
                    if is_count_column(str(name)) and isinstance(v, (int, float)):
                        assert not 0 < v < 10, (ws.title, name, v)
        assert all(not is_suppressed(v) or v == "<10" for v in back.iloc[:, 2:].stack())


def test_threshold_can_only_be_raised(tmp_path) -> None:
    frame = case_frame(hand_made())
    with pytest.raises(CaseworkError, match="altijd afgeschermd"):
        exports.leerplichttelling(frame, SY, threshold=5)
    ret = exports.leerplichttelling(frame, SY, threshold=20)
    assert ret.threshold == 20 and "<20" in set(ret.table.stack().astype(str))
    with pytest.raises(Exception, match=".csv of .xlsx"):
        exports.write_return(ret, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(-24, 24))
def test_vectorised_month_arithmetic_matches_the_calendar(day, months) -> None:
    from nabij.casework.counts import _add_months
    from nabij.casework.periods import add_months

    got = _add_months(np.array([day], dtype="datetime64[D]"), months)[0]
    assert got == np.datetime64(add_months(day, months), "D")
