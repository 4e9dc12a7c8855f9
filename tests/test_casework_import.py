"""CSV import of cases: a good file becomes all its cases; any problem is reported in Dutch with
row and column, and then no case at all is returned (fuzzed corpus included)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nabij.casework.importer import import_cases
from nabij.casework.kinds import CaseKind, Status, Verzuim
from nabij.casework.pseudonym import pseudonym
from nabij.errors import InputError

KEY = b"r" * 32
TODAY = date(2025, 6, 1)
GOOD = (
    "zaaknummer;leerlingnummer;school;geboortejaar;gemeente;soort;verzuim;status;aangemeld_op;"
    "thuis_sinds;aanbod_op;afgesloten_op;besluit;besluit_op;geldig_tot\n"
    "A-1;1001;01AA00;2013;GM0001;thuiszitter;absoluut;in behandeling;2025-01-10;2025-01-02;;;;;\n"
    "A-2;1002;01AA00;2012;GM0001;Thuiszitter;langdurig relatief verzuim;afgesloten;"
    "10-02-2025;01-02-2025;01-03-2025;15-03-2025;;;\n"
    "A-3;77;;2011;gm0002;vrijstelling 5a;;afgesloten;2024-09-01;;;2024-10-01;verleend;"
    "2024-10-01;2025-07-31\n"
    "A-4;1004;01AB00;2014;GM0002;integraal verzoek;;aangemeld;2025-05-30;;;;;;\n"
)


def test_good_file_becomes_every_case_with_pseudonyms() -> None:
    res = import_cases(GOOD.encode("utf-8-sig"), "zaken.csv", "PO 01-01", KEY, TODAY)
    cases = res.cases
    assert [c.source_ref for c in cases] == ["A-1", "A-2", "A-3", "A-4"]
    one, two, three, four = cases
    assert one.kind is CaseKind.THUISZITTER and one.verzuim is Verzuim.ABSOLUUT
    assert one.child == pseudonym(KEY, "01AA00", "1001") and "1001" not in one.child
    assert two.verzuim is Verzuim.RELATIEF and two.status is Status.AFGESLOTEN
    assert (two.out_of_school_since, two.offer_on, two.closed_on) == (
        date(2025, 2, 1), date(2025, 3, 1), date(2025, 3, 15))
    # a child enrolled nowhere: pseudonym from the gemeente's leerplicht number
    assert three.school is None and three.child == pseudonym(KEY, "GM0002", "77")
    assert three.exemption.granted and three.exemption.valid_until == date(2025, 7, 31)
    assert three.gemeente == "GM0002" and four.status is Status.AANGEMELD


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as e:
        import_cases(text.encode(), "zaken.csv", "PO 01-01", KEY, TODAY)
    assert "er is niets opgeslagen" in str(e.value)
    return [str(p) for p in e.value.problems]


def test_errors_name_row_and_column_in_dutch() -> None:
    bad = GOOD.replace("2013;GM0001", "13;GM0001").replace("gm0002;vrijstelling 5a",
                                                            "GM2;vrijstelling 5a")
    bad = bad.replace("absoluut;in behandeling", "absoluut;klaar")
    problems = _problems(bad)
    assert "zaken.csv, rij 2, kolom 'geboortejaar': '13' is geen jaartal" in problems[0] or any(
        "rij 2, kolom 'geboortejaar'" in p for p in problems)
    assert any("rij 2, kolom 'status'" in p and "toegestaan" in p for p in problems)
    assert any("rij 4, kolom 'gemeente'" in p and "CBS-gemeentecode" in p for p in problems)


@pytest.mark.parametrize("column", ["bsn", "naam", "geboortedatum", "postcode"])
def test_columns_with_identifying_data_are_refused(column) -> None:
    lines = GOOD.splitlines()
    text = "\n".join([lines[0] + f";{column}"] + [ln + ";x" for ln in lines[1:]]) + "\n"
    problems = _problems(text)
    assert any(f"kolom '{column}'" in p and "BSN, naam" in p for p in problems)


def test_rules_of_the_flow_are_checked_per_row() -> None:
    lines = GOOD.splitlines()
    rows = [
        # thuiszitter without verzuim and thuis_sinds
        "B-1;5;01AA00;2013;GM0001;thuiszitter;;in behandeling;2025-01-10;;;;;;",
        # closed without afgesloten_op; offer before thuis_sinds
        "B-2;6;01AA00;2013;GM0001;thuiszitter;absoluut;afgesloten;2025-01-10;2025-01-05;"
        "2025-01-01;;;;",
        # a date in the future
        "B-3;7;01AA00;2013;GM0001;integraal verzoek;;aangemeld;2026-01-01;;;;;;",
        # duplicate case number and a second open case of the same child and kind
        "A-1;1001;01AA00;2013;GM0001;thuiszitter;absoluut;in behandeling;2025-01-10;"
        "2025-01-02;;;;;",
    ]
    problems = _problems("\n".join([lines[0], *lines[1:], *rows]) + "\n")
    text = "\n".join(problems)
    assert "rij 6, kolom 'verzuim'" in text and "rij 6, kolom 'thuis_sinds'" in text
    assert "rij 7, kolom 'afgesloten_op'" in text and "rij 7, kolom 'aanbod_op'" in text
    assert "rij 8, kolom 'aangemeld_op': 2026-01-01 ligt in de toekomst" in text
    assert "rij 9, kolom 'zaaknummer': 'A-1' staat ook in rij 2" in text
    assert "rij 9, kolom 'leerlingnummer'" in text and "open zaak" in text


def test_file_level_problems() -> None:
    assert any("verplichte kolom ontbreekt" in p for p in _problems("leerlingnummer;soort\n1;x\n"))
    with pytest.raises(InputError, match="UTF-16"):
        import_cases(GOOD.encode("utf-16"), "zaken.csv", "R", KEY, TODAY)
    with pytest.raises(InputError):
        import_cases(b"", "zaken.csv", "R", KEY, TODAY)


MUTATIONS = st.sampled_from(["delete", "insert", "swap_cell", "dup_line", "truncate"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(MUTATIONS, st.integers(0, 10_000), st.text(max_size=6)),
                min_size=1, max_size=6))
def test_fuzzed_files_never_yield_a_partial_batch(mutations) -> None:
    text = GOOD
    for op, pos, chunk in mutations:
        i = pos % (len(text) + 1)
        if op == "delete":
            text = text[:i] + text[i + 3:]
        elif op == "insert":
            text = text[:i] + chunk + text[i:]
        elif op == "swap_cell":
            text = text[:i] + ";" + chunk + text[i:]
        elif op == "dup_line":
            lines = text.splitlines(keepends=True)
            text += lines[pos % len(lines)] if lines else ""
        else:
            text = text[:i]
    try:
        res = import_cases(text.encode("utf-8", "surrogatepass"), "zaken.csv", "R", KEY,
                           TODAY)
    except InputError as e:
        assert e.problems or "niets" in str(e)
        return
    # accepted: every data record (as the standard csv module reads the file) became a case
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    data_rows = [r for r in records[1:] if any(c.strip() for c in r)]
    assert len(res.cases) == len(data_rows)
