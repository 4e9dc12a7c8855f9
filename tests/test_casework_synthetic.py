"""The synthetic case register: deterministic, plausible, and made by the real rules."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nabij.casework import clock, vierogen
from nabij.casework.counts import case_frame, leerplicht_counts
from nabij.casework.kinds import CaseKind, Source, Status
from nabij.casework.periods import SchoolYear
from nabij.casework.synthetic import region_population, synthetic_register

TODAY = date(2025, 6, 15)


@pytest.fixture(scope="module")
def region(synthetic_atlas):
    gem = list(synthetic_atlas.gemeenten["gemeente"][:8])
    return gem, *region_population(synthetic_atlas, gem)


def test_same_seed_same_register_other_seed_other(region) -> None:
    gem, pupils, schools = region
    a = synthetic_register("PO 99-01", pupils, schools, TODAY, seed=3)
    b = synthetic_register("PO 99-01", pupils, schools, TODAY, seed=3)
    c = synthetic_register("PO 99-01", pupils, schools, TODAY, seed=4)
    assert a.cases == b.cases and a.ledger == b.ledger
    assert a.cases != c.cases
    assert "gemodelleerd" in a.note


def test_rates_follow_the_national_figures(region) -> None:
    gem, pupils, schools = region
    reg = synthetic_register("PO 99-01", pupils, schools, TODAY, years=3, scale=1.0)
    raw = leerplicht_counts(case_frame(reg.cases), SchoolYear.parse("2023-2024"))
    per_1000 = raw[["absoluut_verzuim", "vrijstelling_5a"]].sum() / pupils["leerlingen"].sum() \
        * 1000
    # 4.2 new absoluut cases per 1,000 a year (+ those still at home from the year before)
    assert 3.0 < per_1000["absoluut_verzuim"] < 7.0
    # 5a: 3.0 requests per 1,000, 85 % granted, each valid a year (two years overlap)
    assert 2.0 < per_1000["vrijstelling_5a"] < 6.5


def test_every_case_obeys_the_rules(region) -> None:
    gem, pupils, schools = region
    reg = synthetic_register("PO 99-01", pupils, schools, TODAY, scale=2.0)
    kinds = {c.kind for c in reg.cases}
    assert kinds == set(CaseKind)
    for c in reg.cases:
        assert c.registered_on <= TODAY and c.gemeente in gem
        assert len(c.child) == 32
        if c.kind is CaseKind.THUISZITTER and c.status is Status.AFGESLOTEN:
            assert c.offer_on is not None and c.offer_on <= c.closed_on
        if c.kind is CaseKind.VRIJSTELLING_5A and c.exemption is not None:
            assert vierogen.independent_pair(c.advices) is not None
        if c.escalation is not None and c.escalation.is_open:
            assert c.is_open
    levels = {clock.clock(c, TODAY).level for c in reg.cases if c.is_open}
    assert clock.Level.ESCALATIE in levels or clock.Level.WAARSCHUWING in levels
    for year in {e.year for e in reg.ledger.entries}:
        for source in Source:
            assert reg.ledger.balance(year, source).available >= 0
    spends = [e for e in reg.ledger.entries if e.kind.value == "uitgave"]
    assert spends and all(e.case_id.startswith("PO 99-01-") for e in spends)


@pytest.mark.realdata
def test_register_on_the_real_netherlands(real_atlas) -> None:
    gem = ["GM0363", "GM0362", "GM0384"]  # Amsterdam, Amstelveen, Diemen
    pupils, schools = region_population(real_atlas, gem)
    assert set(pupils["gemeente"]) == set(gem) and len(schools) > 100
    reg = synthetic_register("PO 27-01", pupils, schools, TODAY, years=1)
    raw = leerplicht_counts(case_frame(reg.cases), SchoolYear.of(TODAY), gemeenten=gem)
    ams = raw.set_index("gemeente").loc["GM0363"]
    n = float(pupils.set_index("gemeente").loc["GM0363", "leerlingen"])
    assert n > 50_000
    assert 0.5 * 4.2 * n / 1000 < ams["absoluut_verzuim"] < 2 * 4.2 * n / 1000
    assert isinstance(raw, pd.DataFrame) and set(raw["gemeente"]) == set(gem)
