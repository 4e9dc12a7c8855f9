"""The overleg's rules as pure functions: warnings, overdue, targets (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from nabij.web.overleg import rules

TODAY = date(2026, 6, 15)


def codes(ws):
    return [w.code for w in ws]


def test_no_meeting_for_half_a_year_and_none_planned():
    ws = rules.meeting_warnings(TODAY, [TODAY - timedelta(days=200)])
    assert codes(ws) == ["geen_vergadering", "niets_gepland"]
    assert "afgelopen half jaar" in ws[0].text and "27 november 2025" in ws[0].text


def test_recent_meeting_and_a_planned_one_give_no_warning():
    assert rules.meeting_warnings(TODAY, [TODAY - timedelta(days=100),
                                          TODAY + timedelta(days=30)]) == []


def test_boundary_of_the_half_year():
    ok = rules.meeting_warnings(TODAY, [TODAY - timedelta(days=rules.MEETING_INTERVAL_DAYS),
                                        TODAY + timedelta(days=1)])
    late = rules.meeting_warnings(TODAY, [TODAY - timedelta(days=rules.MEETING_INTERVAL_DAYS + 1),
                                          TODAY + timedelta(days=1)])
    assert ok == [] and codes(late) == ["geen_vergadering"]


def test_never_met():
    assert codes(rules.meeting_warnings(TODAY, [])) == ["geen_vergadering", "niets_gepland"]


def test_statutory_agenda_types_not_discussed_in_the_last_year():
    items = [(TODAY - timedelta(days=30), "oogo"), (TODAY - timedelta(days=400), "lea"),
             (TODAY + timedelta(days=10), "oab"),  # planned, not yet discussed
             (TODAY - timedelta(days=10), "vve"), (TODAY - timedelta(days=10), "monitor")]
    ws = rules.agenda_warnings(TODAY, items)
    assert codes(ws) == ["agenda_lea", "agenda_oab", "agenda_school_werk"]
    assert ws[2].text == "Van school naar duurzaam werk is in het afgelopen jaar niet besproken."


def test_integral_vision_older_than_four_years():
    assert codes(rules.vision_warnings(TODAY, None)) == ["visie"]
    assert rules.vision_warnings(TODAY, date(2022, 6, 15)) == []
    old = rules.vision_warnings(TODAY, date(2022, 6, 14))
    assert "ouder dan vier jaar" in old[0].text and "14 juni 2022" in old[0].text
    assert rules.vision_warnings(date(2028, 3, 1), date(2024, 2, 29)) != []


def test_overdue_only_while_open_or_running():
    past = TODAY - timedelta(days=1)
    assert rules.is_overdue(TODAY, past, "open") and rules.is_overdue(TODAY, past, "loopt")
    for status in ("gerealiseerd", "niet_gerealiseerd", "herzien"):
        assert not rules.is_overdue(TODAY, past, status)
    assert not rules.is_overdue(TODAY, TODAY, "open")
    ws = rules.overdue_warnings(TODAY, [(past, "open"), (past, "loopt"), (TODAY, "open")])
    assert ws[0].text.startswith("2 afspraken zijn over de deadline")


def test_target_reached_follows_the_direction():
    assert rules.target_reached(3.0, 4.0, "lager") is True
    assert rules.target_reached(5.0, 4.0, "lager") is False
    assert rules.target_reached(5.0, 4.0, "hoger") is True
    assert rules.target_reached(None, 4.0, "hoger") is None
    assert rules.target_reached(5.0, 4.0, None) is None
