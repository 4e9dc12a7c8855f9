"""Casework rules on hand-made cases: status flow, clock, four eyes, doorzettingsmacht,
doorbraakbudget, pseudonyms, retention and periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nabij.casework import budget, clock, doorzetting, flow, retention, vierogen
from nabij.casework.case import Advice, Assessor, Case, ExemptionDecision
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim, parse
from nabij.casework.periods import SchoolYear, add_months, parse_period
from nabij.casework.pseudonym import env_name, pseudonym, region_key
from nabij.defaults import CASE_ESCALATION_MONTHS, CASE_WARNING_DAYS

D0 = date(2025, 1, 10)
KEY = b"k" * 32


def thuiszitter(**kw) -> Case:
    base = dict(id="Z1", region="PO 01-01", kind=CaseKind.THUISZITTER, child="abc",
                birth_year=2014, gemeente="GM0001", registered_on=D0,
                verzuim=Verzuim.ABSOLUUT, out_of_school_since=D0)
    base.update(kw)
    return Case(**base)


def request_5a(**kw) -> Case:
    base = dict(id="V1", region="PO 01-01", kind=CaseKind.VRIJSTELLING_5A, child="def",
                birth_year=2012, gemeente="GM0001", registered_on=D0,
                status=Status.IN_BEHANDELING)
    base.update(kw)
    return Case(**base)


def advice(person: str, org: str, role: AssessorRole, grant: bool = True,
           reasons: str | None = None, on: date = D0) -> Advice:
    return Advice(Assessor(person, org, role), on, grant,
                  reasons or f"eigen oordeel van {person}", "aangepast rooster geprobeerd",
                  "deeltijd in een OZA-groep")


# ---------------------------------------------------------------------------------- flow
def test_transition_table_allows_only_listed_steps() -> None:
    case = thuiszitter()
    with pytest.raises(CaseworkError, match="van 'aangemeld' naar 'afgesloten' mag niet"):
        flow.transition(case, Status.AFGESLOTEN, D0, "loket")
    case = flow.transition(case, Status.IN_BEHANDELING, D0, "loket")
    case = flow.transition(case, Status.AANBOD_GEDAAN, D0 + timedelta(days=20), "loket")
    assert case.offer_on == D0 + timedelta(days=20)
    case = flow.transition(case, Status.AFGESLOTEN, D0 + timedelta(days=30), "loket")
    assert case.closed_on == D0 + timedelta(days=30)
    assert [h.status for h in case.history] == [Status.IN_BEHANDELING, Status.AANBOD_GEDAAN,
                                                Status.AFGESLOTEN]
    for to in Status:
        with pytest.raises(CaseworkError, match="eindstatus"):
            flow.transition(case, to, D0 + timedelta(days=31), "loket")


def test_every_status_has_a_row_and_final_statuses_have_no_exit() -> None:
    assert set(flow.TRANSITIONS) == set(Status)
    for s, targets in flow.TRANSITIONS.items():
        assert (not targets) == s.is_terminal


def test_thuiszitter_closes_only_after_offer_and_offer_not_taken_up_restarts_clock() -> None:
    case = flow.transition(thuiszitter(), Status.IN_BEHANDELING, D0, "loket")
    with pytest.raises(CaseworkError, match="nadat een aanbod is gedaan"):
        flow.transition(case, Status.AFGESLOTEN, D0, "loket")
    case = flow.transition(case, Status.AANBOD_GEDAAN, D0 + timedelta(days=10), "loket")
    case = flow.transition(case, Status.IN_BEHANDELING, D0 + timedelta(days=40), "loket")
    assert case.offer_on is None
    assert clock.clock(case, add_months(D0, 4)).level is clock.Level.ESCALATIE


def test_dates_cannot_run_backwards() -> None:
    case = flow.transition(thuiszitter(), Status.IN_BEHANDELING, D0 + timedelta(days=5), "x")
    with pytest.raises(CaseworkError, match="vóór de vorige statuswijziging"):
        flow.transition(case, Status.AANBOD_GEDAAN, D0 + timedelta(days=4), "x")
    with pytest.raises(CaseworkError, match="vóór de aanmelding"):
        flow.transition(thuiszitter(), Status.IN_BEHANDELING, D0 - timedelta(days=1), "x")


def test_exemption_closes_only_with_decision() -> None:
    case = request_5a()
    assert Status.AFGESLOTEN not in flow.allowed(case)
    assert Status.AANBOD_GEDAAN not in flow.allowed(case)
    assert flow.allowed(case) == [Status.INGETROKKEN]


# ---------------------------------------------------------------------------------- clock
def test_clock_warns_at_four_weeks_and_escalates_at_three_months() -> None:
    case = flow.transition(thuiszitter(), Status.IN_BEHANDELING, D0, "loket")
    warn = D0 + timedelta(days=CASE_WARNING_DAYS)
    esc = add_months(D0, CASE_ESCALATION_MONTHS)
    assert esc == date(2025, 4, 10)
    assert clock.clock(case, warn - timedelta(days=1)).level is clock.Level.LOOPT
    assert clock.clock(case, warn).level is clock.Level.WAARSCHUWING
    assert clock.clock(case, esc - timedelta(days=1)).level is clock.Level.WAARSCHUWING
    state = clock.clock(case, esc)
    assert state.level is clock.Level.ESCALATIE
    assert state.days_out == (esc - D0).days == 90
    assert state.days_to_escalation == 0
    assert clock.without_offer_longer_than(case, esc)
    assert not clock.without_offer_longer_than(case, esc - timedelta(days=1))


def test_offer_stops_escalation_but_late_offer_is_marked() -> None:
    case = flow.transition(thuiszitter(), Status.IN_BEHANDELING, D0, "loket")
    on_time = flow.transition(case, Status.AANBOD_GEDAAN, D0 + timedelta(days=60), "loket")
    state = clock.clock(on_time, D0 + timedelta(days=200))
    assert state.level is clock.Level.AANBOD and not state.offer_late
    late = flow.transition(case, Status.AANBOD_GEDAAN, D0 + timedelta(days=120), "loket")
    assert clock.clock(late, D0 + timedelta(days=200)).offer_late
    assert clock.clock(late, D0 + timedelta(days=100)).level is clock.Level.ESCALATIE


def test_month_end_arithmetic() -> None:
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), -12) == date(2023, 12, 15)


def test_no_clock_without_out_of_school_date() -> None:
    assert clock.clock(request_5a(), D0).level is clock.Level.GEEN


# ---------------------------------------------------------------------------------- 5a
def test_5a_refused_with_one_assessor() -> None:
    case = vierogen.add_advice(request_5a(), advice("dr. A", "GGD", AssessorRole.JEUGDARTS))
    decision = ExemptionDecision(D0, "leerplicht", True, "zwaarwegend",
                                 reassess_on=add_months(D0, 6))
    with pytest.raises(CaseworkError) as e:
        vierogen.record_decision(case, decision)
    assert "twee onafhankelijke adviezen" in str(e.value)


def test_5a_refused_with_two_from_the_same_organisation() -> None:
    case = request_5a()
    case = vierogen.add_advice(case, advice("dr. A", "GGD", AssessorRole.JEUGDARTS))
    case = vierogen.add_advice(case, advice("B", "ggd ", AssessorRole.ONDERWIJS_ZORGTEAM))
    decision = ExemptionDecision(D0, "leerplicht", True, "zwaarwegend",
                                 reassess_on=add_months(D0, 6))
    with pytest.raises(CaseworkError, match="dezelfde organisatie"):
        vierogen.record_decision(case, decision)
    # refusing the exemption needs the same two independent looks
    with pytest.raises(CaseworkError, match="dezelfde organisatie"):
        vierogen.record_decision(case, ExemptionDecision(D0, "leerplicht", False, "nee"))


def test_5a_refused_with_same_role_or_without_second_eyes_or_copied_reasons() -> None:
    same_role = request_5a(advices=(advice("A", "GGD", AssessorRole.JEUGDARTS),
                                    advice("B", "Kinderartsen", AssessorRole.JEUGDARTS)))
    d = ExemptionDecision(D0, "lp", True, "zwaarwegend", reassess_on=add_months(D0, 6))
    with pytest.raises(CaseworkError, match="dezelfde rol"):
        vierogen.record_decision(same_role, d)
    no_second = request_5a(advices=(advice("A", "GGD", AssessorRole.JEUGDARTS),
                                    advice("B", "Praktijk", AssessorRole.PSYCHOLOOG)))
    with pytest.raises(CaseworkError, match="andere ogen"):
        vierogen.record_decision(no_second, d)
    copied = request_5a(advices=(
        advice("A", "GGD", AssessorRole.JEUGDARTS, reasons="Belastbaarheid te laag"),
        advice("B", "Gemeente", AssessorRole.LEERPLICHTAMBTENAAR,
               reasons="belastbaarheid  te laag")))
    with pytest.raises(CaseworkError, match="eigen onderbouwing"):
        vierogen.record_decision(copied, d)


def test_5a_accepted_with_two_independent_and_needs_reassessment_date() -> None:
    case = request_5a()
    case = vierogen.add_advice(case, advice("dr. A", "GGD", AssessorRole.JEUGDARTS))
    case = vierogen.add_advice(case, advice("C", "Gemeente Westdorp",
                                            AssessorRole.LEERPLICHTAMBTENAAR))
    with pytest.raises(CaseworkError, match="herbeoordeling"):
        vierogen.record_decision(case, ExemptionDecision(D0, "lp", True, "zwaarwegend"))
    with pytest.raises(CaseworkError, match="uiterlijk"):
        vierogen.record_decision(case, ExemptionDecision(D0, "lp", True, "zwaarwegend",
                                                         reassess_on=add_months(D0, 13)))
    done = vierogen.record_decision(case, ExemptionDecision(
        D0, "lp", True, "zwaarwegend", reassess_on=add_months(D0, 12)))
    assert done.exemption is not None and done.exemption.granted
    assert vierogen.reassessments_due([done], add_months(D0, 11) + timedelta(days=5)) == [done]
    assert vierogen.reassessments_due([done], add_months(D0, 6)) == []
    closed = flow.transition(done, Status.AFGESLOTEN, D0, "lp")
    assert closed.status is Status.AFGESLOTEN


def test_nee_tenzij_grant_needs_every_advice_for_it() -> None:
    case = request_5a(advices=(
        advice("A", "GGD", AssessorRole.JEUGDARTS, grant=True),
        advice("B", "SWV", AssessorRole.SWV, grant=False)))
    with pytest.raises(CaseworkError, match="nee, tenzij"):
        vierogen.record_decision(case, ExemptionDecision(D0, "lp", True, "x",
                                                         reassess_on=add_months(D0, 3)))
    refused = vierogen.record_decision(case, ExemptionDecision(D0, "lp", False, "onderwijs "
                                                               "met zorg is mogelijk"))
    assert not refused.exemption.granted


def test_incomplete_advice_is_refused_and_one_advice_per_person() -> None:
    bad = Advice(Assessor("A", "GGD", AssessorRole.JEUGDARTS), D0, True, "reden", "", " ")
    with pytest.raises(CaseworkError) as e:
        vierogen.add_advice(request_5a(), bad)
    assert "wat is geprobeerd" in str(e.value) and "welk onderwijs wel mogelijk" in str(e.value)
    case = vierogen.add_advice(request_5a(), advice("A", "GGD", AssessorRole.JEUGDARTS))
    with pytest.raises(CaseworkError, match="al advies"):
        vierogen.add_advice(case, advice("A", "SWV", AssessorRole.SWV))


def test_advice_after_the_decision_date_does_not_count() -> None:
    later = D0 + timedelta(days=5)
    case = request_5a(advices=(advice("A", "GGD", AssessorRole.JEUGDARTS),
                               advice("B", "SWV", AssessorRole.SWV, on=later)))
    with pytest.raises(CaseworkError, match="twee onafhankelijke"):
        vierogen.record_decision(case, ExemptionDecision(D0, "lp", False, "nee"))
    assert vierogen.record_decision(case, ExemptionDecision(later, "lp", False, "nee"))


# ---------------------------------------------------------------------------- doorzetting
def test_escalated_case_cannot_close_until_designated_person_decides() -> None:
    case = flow.transition(thuiszitter(), Status.IN_BEHANDELING, D0, "loket")
    case = flow.transition(case, Status.AANBOD_GEDAAN, D0 + timedelta(days=20), "loket")
    case = doorzetting.escalate(case, D0 + timedelta(days=21), "loket", "wie betaalt?",
                                "mw. Doorzet")
    for to in (Status.AFGESLOTEN,):
        with pytest.raises(CaseworkError, match="doorzettingsmacht"):
            flow.transition(case, to, D0 + timedelta(days=22), "loket")
    with pytest.raises(CaseworkError, match="alleen mw. Doorzet"):
        doorzetting.decide(case, "loket", D0 + timedelta(days=23), "SWV betaalt", "snel",
                           D0 + timedelta(days=40))
    with pytest.raises(CaseworkError, match="onderbouwing"):
        doorzetting.decide(case, "mw. Doorzet", D0 + timedelta(days=23), "SWV betaalt", " ",
                           D0 + timedelta(days=40))
    with pytest.raises(CaseworkError, match="termijn"):
        doorzetting.decide(case, "mw. Doorzet", D0 + timedelta(days=23), "SWV betaalt", "x",
                           D0 + timedelta(days=22))
    case = doorzetting.decide(case, "mw. Doorzet", D0 + timedelta(days=23), "SWV betaalt",
                              "het kind gaat voor", D0 + timedelta(days=40))
    assert doorzetting.overdue_decisions([case], D0 + timedelta(days=41)) == [case]
    closed = flow.transition(case, Status.AFGESLOTEN, D0 + timedelta(days=24), "loket")
    assert closed.escalation.decision.reasons == "het kind gaat voor"
    with pytest.raises(CaseworkError, match="al beslist"):
        doorzetting.escalate(case, D0 + timedelta(days=25), "x", "opnieuw", "mw. Doorzet")


def test_escalated_case_cannot_be_withdrawn_to_dodge_the_decision() -> None:
    case = doorzetting.escalate(thuiszitter(), D0, "loket", "oneens", "mw. Doorzet")
    with pytest.raises(CaseworkError, match="ingetrokken"):
        flow.transition(case, Status.INGETROKKEN, D0, "loket")


# ---------------------------------------------------------------------------------- budget
def test_spend_lowers_balance_and_overspend_is_refused() -> None:
    led = budget.Ledger("R").add_budget(2025, Source.ONDERWIJS, 100_000_00, D0, "regio")
    led = led.spend("Z1", Source.ONDERWIJS, 2_500_00, D0, "loket")
    bal = led.balance(2025, Source.ONDERWIJS)
    assert (bal.budget, bal.spent, bal.available) == (100_000_00, 2_500_00, 97_500_00)
    assert led.balance(2025, Source.JEUGDHULP).available == 0
    with pytest.raises(CaseworkError, match="past niet"):
        led.spend("Z2", Source.JEUGDHULP, 1, D0, "loket")
    with pytest.raises(CaseworkError, match="groter dan nul"):
        led.spend("Z2", Source.ONDERWIJS, 0, D0, "loket")


def test_commitment_reserves_then_spend_uses_it_and_release_gives_back() -> None:
    led = budget.Ledger("R").add_budget(2025, Source.JEUGDHULP, 10_000_00, D0, "regio")
    led = led.commit("Z1", Source.JEUGDHULP, 6_000_00, D0, "loket")
    cid = led.entries[-1].id
    assert led.balance(2025, Source.JEUGDHULP).available == 4_000_00
    with pytest.raises(CaseworkError, match="past niet"):
        led.commit("Z2", Source.JEUGDHULP, 5_000_00, D0, "loket")
    led = led.spend("Z1", Source.JEUGDHULP, 5_000_00, D0, "loket", commitment=cid)
    bal = led.balance(2025, Source.JEUGDHULP)
    assert (bal.committed, bal.spent, bal.available) == (1_000_00, 5_000_00, 4_000_00)
    led = led.release(cid, 1_000_00, D0, "loket")
    assert led.balance(2025, Source.JEUGDHULP).available == 5_000_00
    with pytest.raises(CaseworkError, match="meer dan de toezegging"):
        led.release(cid, 1, D0, "loket")
    with pytest.raises(CaseworkError, match="andere zaak"):
        led.spend("Z9", Source.JEUGDHULP, 1, D0, "loket", commitment=cid)
    assert led.spent_on_case("Z1") == 5_000_00


def test_ledger_warns_before_it_runs_out() -> None:
    led = budget.Ledger("R").add_budget(2025, Source.ONDERWIJS, 12_000_00, D0, "regio")
    assert budget.warnings(led, 2025, date(2025, 3, 1)) == []
    led = led.spend("Z1", Source.ONDERWIJS, 6_000_00, date(2025, 3, 1), "loket")
    w = budget.warnings(led, 2025, date(2025, 3, 31))
    assert len(w) == 1 and "in dit tempo" in w[0]
    led = led.spend("Z2", Source.ONDERWIJS, 4_000_00, date(2025, 10, 1), "loket")
    w = budget.warnings(led, 2025, date(2025, 12, 1))
    assert any("minder dan 20%" in x for x in w)
    led = led.spend("Z3", Source.ONDERWIJS, 2_000_00, date(2025, 12, 1), "loket")
    assert budget.warnings(led, 2025, date(2025, 12, 2)) == ["Doorbraakbudget onderwijs 2025 is "
                                                             "op: niets meer beschikbaar."]


@given(st.lists(st.tuples(st.sampled_from(["commit", "spend", "release"]),
                          st.integers(1, 5_000_00), st.booleans()), max_size=30))
def test_ledger_never_goes_below_zero(ops) -> None:
    led = budget.Ledger("R").add_budget(2025, Source.ONDERWIJS, 20_000_00, D0, "regio")
    for op, cents, against in ops:
        commits = [e.id for e in led.entries if e.kind is budget.EntryKind.COMMITMENT]
        try:
            if op == "commit":
                led = led.commit("Z", Source.ONDERWIJS, cents, D0, "l")
            elif op == "spend":
                led = led.spend("Z", Source.ONDERWIJS, cents, D0, "l",
                                commitment=commits[-1] if against and commits else None)
            elif commits:
                led = led.release(commits[-1], cents, D0, "l")
        except CaseworkError:
            pass
        bal = led.balance(2025, Source.ONDERWIJS)
        assert bal.available >= 0 and bal.committed >= 0
        assert bal.budget == bal.available + bal.committed + bal.spent


def test_euro_format() -> None:
    assert budget.euro(123456) == "€ 1.234,56"
    assert budget.euro(-5) == "-€ 0,05"


# ---------------------------------------------------------------------------- pseudonyms
def test_pseudonym_is_keyed_stable_and_region_specific() -> None:
    p1 = pseudonym(KEY, "01AA00", " 12345 ")
    assert p1 == pseudonym(KEY, "01aa00", "12345")
    assert p1 != pseudonym(b"j" * 32, "01AA00", "12345")
    assert p1 != pseudonym(KEY, "01AB00", "12345")
    assert len(p1) == 32 and "12345" not in p1
    with pytest.raises(CaseworkError, match="te kort"):
        pseudonym(b"short", "01AA00", "1")


def test_region_key_from_environment_only() -> None:
    assert env_name("PO 27-01") == "NABIJ_PSEUDONIEM_SLEUTEL_PO_27_01"
    with pytest.raises(CaseworkError, match="NABIJ_PSEUDONIEM_SLEUTEL_PO_27_01"):
        region_key("PO 27-01", env={})
    assert region_key("PO 27-01", env={env_name("PO 27-01"): "x" * 40}) == b"x" * 40


# ---------------------------------------------------------------------------- retention
def test_destruction_needs_two_people_one_coordinator_and_due_cases_only() -> None:
    closed = flow.transition(flow.transition(flow.transition(
        thuiszitter(), Status.IN_BEHANDELING, D0, "l"), Status.AANBOD_GEDAAN, D0, "l"),
        Status.AFGESLOTEN, D0, "l")
    young = closed.with_(id="Z2", closed_on=date(2028, 1, 1))
    open_case = thuiszitter(id="Z3")
    other_region = closed.with_(id="Z4", region="VO 01-01")
    cases = [closed, young, open_case, other_region]
    today = date(2030, 2, 1)
    assert [c.id for c in retention.due(cases, today)] == ["Z1", "Z4"]
    dl = retention.make_list(cases, "PO 01-01", today, "coord")
    assert dl.case_ids == ("Z1",)
    with pytest.raises(CaseworkError, match="twee verschillende"):
        retention.carry_out(cases, dl, today)
    dl = dl.approve("coord", "regiocoordinator", today)
    with pytest.raises(CaseworkError, match="al goedgekeurd"):
        dl.approve("coord", "regiocoordinator", today)
    with pytest.raises(CaseworkError, match="twee verschillende"):
        retention.carry_out(cases, dl, today)
    dl2 = retention.make_list(cases, "PO 01-01", today, "x").approve("a", "loket", today)
    with pytest.raises(CaseworkError, match="regiocoördinator"):
        retention.carry_out(cases, dl2.approve("b", "deelnemer", today), today)
    kept, gone = retention.carry_out(cases, dl.approve("loket1", "loket", today), today)
    assert gone == ["Z1"] and [c.id for c in kept] == ["Z2", "Z3", "Z4"]


# ---------------------------------------------------------------------------- periods
def test_school_year_and_periods() -> None:
    sy = SchoolYear.parse("2024-2025")
    assert (sy.start, sy.end, sy.label) == (date(2024, 8, 1), date(2025, 7, 31), "2024-2025")
    assert SchoolYear.parse("2024/25") == sy == SchoolYear.of(date(2025, 7, 31))
    assert SchoolYear.of(date(2025, 8, 1)).label == "2025-2026"
    with pytest.raises(CaseworkError, match="tweede jaar moet 2025"):
        SchoolYear.parse("2024-2026")
    assert parse_period("2025-K1").end == date(2025, 3, 31)
    assert parse_period("2025-B6").start == date(2025, 11, 1)
    assert parse_period("2025-02-01/2025-04-30").label == "2025-02-01/2025-04-30"
    for bad in ("2025-K5", "2025-13-01/2025-14-01", "gisteren", "2025-03-01/2025-02-01"):
        with pytest.raises(CaseworkError):
            parse_period(bad)


def test_parse_accepts_labels_and_values() -> None:
    assert parse(CaseKind, "Vrijstelling 5a") is CaseKind.VRIJSTELLING_5A
    assert parse(CaseKind, "vrijstelling_5b") is CaseKind.VRIJSTELLING_5B
    assert parse(Status, "In behandeling") is Status.IN_BEHANDELING
    assert parse(Verzuim, "langdurig relatief verzuim") is Verzuim.RELATIEF
    with pytest.raises(CaseworkError, match="toegestaan"):
        parse(Status, "klaar")
