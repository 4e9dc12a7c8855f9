"""Import of cases from a CSV that a region's current system exports (``docs/casusimport.md``).

All rows are checked first; every problem is reported in Dutch with its row and column, and
then either every row becomes a case or none does (:class:`~nabij.errors.InputError`): a
partial batch is never returned. The school's pupil number is turned into a pseudonym with
the region's key at once and is not kept; columns that would bring a BSN, a name, a birth
date or an address into nabij are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from nabij.casework.case import Case, ExemptionDecision, StatusChange
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import CaseKind, Status, Verzuim, parse
from nabij.casework.pseudonym import pseudonym
from nabij.errors import InputError, Problem
from nabij.io.csvread import decode
from nabij.io.csvread import parse as parse_csv

REQUIRED = ("leerlingnummer", "geboortejaar", "gemeente", "soort", "status", "aangemeld_op")
OPTIONAL = ("school", "verzuim", "thuis_sinds", "aanbod_op", "afgesloten_op", "zaaknummer",
            "besluit", "besluit_op", "geldig_tot")
COLUMNS = REQUIRED + OPTIONAL

FORBIDDEN = ("bsn", "burgerservicenummer", "sofinummer", "naam", "voornaam", "voornamen",
             "achternaam", "roepnaam", "tussenvoegsel", "geboortedatum", "adres", "straat",
             "huisnummer", "postcode", "woonplaats", "telefoon", "telefoonnummer", "email",
             "e-mail", "emailadres")
"""Columns refused on sight: nabij needs no BSN, name, birth date or address (AVG)."""

MAX_AGE, MIN_AGE = 23, 3
"""Birth year must be within these ages at registration (leerplicht 5–16, kwalificatieplicht
to 18, plus margin for late registration); anything else is a typing error."""

GM_CODE = re.compile(r"GM\d{4}")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NL = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True)
class ImportResult:
    """The cases of one file, all of them (there is no partial result)."""

    cases: tuple[Case, ...]
    file: str


class _Row:
    """One data row with the problems found in it."""

    def __init__(self, line: int, cells: dict[str, str], file: str) -> None:
        self.line, self.cells, self.file = line, cells, file
        self.problems: list[Problem] = []

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(message, self.file, self.line, column))

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.cells.get(column, "").strip()
        if not value:
            if required:
                self.bad(column, "is leeg; deze kolom is verplicht")
            return None
        return value

    def day(self, column: str, today: date, required: bool = False) -> date | None:
        value = self.text(column, required)
        if value is None:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.bad(column, f"'{value}' is geen datum; schrijf 2025-01-31 of 31-01-2025")
        elif parsed > today:
            self.bad(column, f"{parsed} ligt in de toekomst")
            return None
        return parsed

    def enum(self, column: str, enum: type, required: bool = False) -> object | None:
        value = self.text(column, required)
        if value is None:
            return None
        try:
            return parse(enum, value)
        except CaseworkError as e:
            self.bad(column, str(e))
            return None


def _parse_date(value: str) -> date | None:
    m = _ISO.fullmatch(value)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None and (m := _NL.fullmatch(value)):
        parts = (m.group(3), m.group(2), m.group(1))
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _header_problems(header: list[str], file: str) -> list[Problem]:
    problems = []
    for name in header:
        if name in FORBIDDEN:
            problems.append(Problem("deze kolom mag niet worden ingelezen: nabij bewaart geen "
                                    "BSN, naam, geboortedatum of adres; verwijder de kolom",
                                    file, 1, name))
        elif name not in COLUMNS:
            problems.append(Problem("onbekende kolom; toegestaan: " + ", ".join(COLUMNS),
                                    file, 1, name or "(leeg)"))
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem("verplichte kolom ontbreekt", file, 1, name))
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem("kolom staat twee keer in de kopregel", file, 1, name))
        seen.add(name)
    return problems


def _birth_year(row: _Row, registered: date | None) -> int | None:
    value = row.text("geboortejaar", required=True)
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}", value):
        row.bad("geboortejaar", f"'{value}' is geen jaartal (vier cijfers; geen geboortedatum)")
        return None
    year = int(value)
    if registered is not None and not (registered.year - MAX_AGE <= year
                                       <= registered.year - MIN_AGE):
        row.bad("geboortejaar", f"{year}: het kind is bij aanmelding geen {MIN_AGE} tot "
                                f"{MAX_AGE} jaar oud")
    return year


def _thuiszitter_fields(row: _Row, kind: object, today: date) -> tuple[object, date | None]:
    verzuim = row.enum("verzuim", Verzuim, required=kind is CaseKind.THUISZITTER)
    since = row.day("thuis_sinds", today, required=kind is CaseKind.THUISZITTER)
    if kind is not CaseKind.THUISZITTER and verzuim is not None:
        row.bad("verzuim", "hoort alleen bij een thuiszitter")
    return verzuim, since


def _exemption(row: _Row, kind: object, today: date) -> ExemptionDecision | None:
    besluit = row.text("besluit")
    on = row.day("besluit_op", today, required=besluit is not None)
    until = row.day("geldig_tot", date.max)
    if besluit is None:
        return None
    if not (isinstance(kind, CaseKind) and kind.is_exemption):
        row.bad("besluit", "een besluit hoort alleen bij een vrijstelling")
        return None
    granted = {"verleend": True, "afgewezen": False}.get(besluit.lower())
    if granted is None:
        row.bad("besluit", f"'{besluit}': schrijf 'verleend' of 'afgewezen'")
        return None
    if on is None:
        return None
    if until is not None and until < on:
        row.bad("geldig_tot", f"{until} ligt vóór het besluit ({on})")
    return ExemptionDecision(on=on, by="import", granted=granted,
                             reasons="besluit overgenomen uit het vorige systeem (de "
                                     "adviezen zijn niet in nabij vastgelegd)",
                             valid_until=until)


def _dates_in_order(row: _Row, registered: date | None, since: date | None,
                    offer: date | None, closed: date | None, status: object) -> None:
    if offer is not None and since is not None and offer < since:
        row.bad("aanbod_op", f"{offer} ligt vóór thuis_sinds ({since})")
    if closed is not None and registered is not None and closed < registered:
        row.bad("afgesloten_op", f"{closed} ligt vóór aangemeld_op ({registered})")
    if isinstance(status, Status):
        if status.is_terminal and closed is None:
            row.bad("afgesloten_op", f"is verplicht bij status '{status.label}'")
        if not status.is_terminal and closed is not None:
            row.bad("afgesloten_op", f"hoort niet bij status '{status.label}'")
        if status is Status.AANBOD_GEDAAN and offer is None:
            row.bad("aanbod_op", "is verplicht bij status 'aanbod gedaan'")


def _case(row: _Row, region: str, key: bytes, today: date, case_id: str) -> Case | None:
    registered = row.day("aangemeld_op", today, required=True)
    year = _birth_year(row, registered)
    gemeente = row.text("gemeente", required=True)
    if gemeente is not None and not GM_CODE.fullmatch(gemeente.upper()):
        row.bad("gemeente", f"'{gemeente}' is geen CBS-gemeentecode (zoals GM0363)")
    kind = row.enum("soort", CaseKind, required=True)
    status = row.enum("status", Status, required=True)
    verzuim, since = _thuiszitter_fields(row, kind, today)
    offer, closed = row.day("aanbod_op", today), row.day("afgesloten_op", today)
    decision = _exemption(row, kind, today)
    _dates_in_order(row, registered, since, offer, closed, status)
    if isinstance(kind, CaseKind) and status is Status.AFGESLOTEN:
        if kind.is_exemption and decision is None and row.text("besluit") is None:
            row.bad("besluit", "is verplicht bij een afgesloten vrijstelling")
        if kind is CaseKind.THUISZITTER and offer is None:
            row.bad("aanbod_op", "een thuiszitterszaak wordt pas afgesloten na een aanbod; "
                                 "vul aanbod_op in, of gebruik status 'ingetrokken'")
    school = row.text("school")
    number = row.text("leerlingnummer", required=True)
    if row.problems or number is None:
        return None
    child = pseudonym(key, school or gemeente.upper(), number)  # type: ignore[union-attr]
    history = (StatusChange(registered, Status.AANGEMELD, "import"),)  # type: ignore[arg-type]
    if status is not Status.AANGEMELD:
        history += (StatusChange(closed or offer or registered, status, "import"),)  # type: ignore
    return Case(id=case_id, region=region, kind=kind, child=child,  # type: ignore[arg-type]
                birth_year=year, gemeente=gemeente.upper(),  # type: ignore[arg-type, union-attr]
                registered_on=registered, school=school, status=status,  # type: ignore
                verzuim=verzuim, out_of_school_since=since,  # type: ignore[arg-type]
                offer_on=offer if status in (Status.AANBOD_GEDAAN, Status.AFGESLOTEN) else None,
                closed_on=closed, history=history, exemption=decision,
                source_ref=row.text("zaaknummer"))


def _duplicates(rows: list[_Row], cases: list[Case | None]) -> None:
    refs: dict[str, int] = {}
    open_children: dict[tuple[str, str], int] = {}
    for row, case in zip(rows, cases, strict=True):
        if case is None:
            continue
        if case.source_ref:
            if case.source_ref in refs:
                row.bad("zaaknummer",
                        f"'{case.source_ref}' staat ook in rij {refs[case.source_ref]}")
            refs.setdefault(case.source_ref, row.line)
        if case.is_open:
            k = (case.child, case.kind.value)
            if k in open_children:
                row.bad("leerlingnummer", f"dit kind heeft al een open zaak '{case.kind.label}' "
                                          f"in rij {open_children[k]}")
            open_children.setdefault(k, row.line)


def import_cases(data: bytes, file: str, region: str, key: bytes, today: date,
                 make_id: Callable[[int], str] | None = None) -> ImportResult:
    """All cases of a CSV (bytes as uploaded or read); raises InputError, nothing partial."""
    problems: list[Problem] = []
    text = decode(data, file, problems)
    records = parse_csv(text, file, problems, COLUMNS)[0] if text is not None else None
    if records is None or problems:
        raise InputError(f"{file}: kan niet worden ingelezen; er is niets opgeslagen", problems)
    header = [h.replace("\ufeff", "").strip().lower() for h in records[0]]
    problems = _header_problems(header, file)
    if problems:
        raise InputError(f"{file}: kopregel klopt niet; er is niets opgeslagen", problems)
    rows = _rows(records[1:], header, file, problems)
    make_id = make_id or (lambda n: f"{region}-import-{n}")
    cases = [_case(r, region, key, today, make_id(i)) for i, r in enumerate(rows, start=1)]
    _duplicates(rows, cases)
    problems += [p for r in rows for p in r.problems]
    if problems:
        raise InputError(f"{file}: {len(problems)} problemen; er is niets opgeslagen", problems)
    if not rows:
        raise InputError(f"{file}: geen zaken in het bestand; er is niets opgeslagen")
    return ImportResult(tuple(c for c in cases if c is not None), file)


def _rows(records: list[list[str]], header: list[str], file: str,
          problems: list[Problem]) -> list[_Row]:
    rows = []
    for i, rec in enumerate(records, start=2):
        if not any(c.strip() for c in rec):
            continue
        if len(rec) != len(header):
            problems.append(Problem(f"{len(rec)} waarden, de kopregel heeft er {len(header)}",
                                    file, i))
            continue
        rows.append(_Row(i, dict(zip(header, rec, strict=True)), file))
    return rows
