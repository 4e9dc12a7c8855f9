"""The doorbraakbudget ledger: a joint pot professionals may spend at once for a child.

Seed 003 asks for a "doorbraakbudget, een pot met zorg- en onderwijsmiddelen om stagnatie te
voorkomen", money from several streams brought together and spent by professionals with a
mandate. The ledger holds, per region, year and source (onderwijs, jeugdhulp):

- **budget** entries (money put in),
- **commitments** (toezeggingen) for a case, which reserve money,
- **releases** (vrijval) of what a commitment no longer needs,
- **spends** (uitgaven) for a case, optionally against a commitment.

``available = budget − open commitments − spent``. A commitment or spend that would make it
negative is refused. Amounts are whole euro cents (no floating point). The ledger is
append-only: corrections are new entries, never edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import Source
from nabij.defaults import DOORBRAAK_WARNING_SHARE
from nabij.io.numbers import nl_euro


class EntryKind(StrEnum):
    BUDGET = "budget"
    COMMITMENT = "toezegging"
    RELEASE = "vrijval"
    SPEND = "uitgave"


@dataclass(frozen=True)
class Entry:
    """One line of the ledger."""

    id: str
    kind: EntryKind
    region: str
    year: int
    source: Source
    cents: int
    on: date
    by: str
    case_id: str | None = None
    commitment: str | None = None
    """For a release or a spend: the id of the commitment it draws on."""
    note: str = ""


@dataclass(frozen=True)
class Balance:
    """The state of one pot (region, year, source) in cents."""

    budget: int
    committed: int
    """Open commitments: committed minus released minus spent against them."""
    spent: int

    @property
    def available(self) -> int:
        return self.budget - self.committed - self.spent


def euro(cents: int) -> str:
    """Dutch euro amount of whole cents: ``123456 -> "€ 1.234,56"`` (the one formatter)."""
    return nl_euro(int(cents) / 100, 2)


@dataclass(frozen=True)
class Ledger:
    """All entries of one region's doorbraakbudget, in the order they were made."""

    region: str
    entries: tuple[Entry, ...] = field(default=())

    # -- reading ------------------------------------------------------------------------------
    def _pot(self, year: int, source: Source) -> list[Entry]:
        return [e for e in self.entries if e.year == year and e.source == source]

    def open_commitment(self, commitment_id: str) -> int:
        """Cents still reserved by a commitment."""
        base = [e for e in self.entries if e.id == commitment_id]
        if not base or base[0].kind is not EntryKind.COMMITMENT:
            raise CaseworkError(f"toezegging '{commitment_id}' bestaat niet")
        used = sum(e.cents for e in self.entries if e.commitment == commitment_id)
        return max(0, base[0].cents - used)

    def balance(self, year: int, source: Source) -> Balance:
        pot = self._pot(year, source)
        budget = sum(e.cents for e in pot if e.kind is EntryKind.BUDGET)
        spent = sum(e.cents for e in pot if e.kind is EntryKind.SPEND)
        committed = sum(self.open_commitment(e.id) for e in pot
                        if e.kind is EntryKind.COMMITMENT)
        return Balance(budget, committed, spent)

    def for_case(self, case_id: str) -> list[Entry]:
        return [e for e in self.entries if e.case_id == case_id]

    def spent_on_case(self, case_id: str) -> int:
        return sum(e.cents for e in self.for_case(case_id) if e.kind is EntryKind.SPEND)

    # -- writing (each returns a new Ledger) -----------------------------------------------------
    def _append(self, kind: EntryKind, year: int, source: Source, cents: int, on: date,
                by: str, **extra: object) -> Ledger:
        if int(cents) <= 0:
            raise CaseworkError(f"{kind.value}: het bedrag moet groter dan nul zijn")
        entry = Entry(id=f"{kind.value[0].upper()}{len(self.entries) + 1}", kind=kind,
                      region=self.region, year=int(year), source=Source(source),
                      cents=int(cents), on=on, by=by, **extra)  # type: ignore[arg-type]
        return Ledger(self.region, self.entries + (entry,))

    def add_budget(self, year: int, source: Source, cents: int, on: date, by: str,
                   note: str = "") -> Ledger:
        return self._append(EntryKind.BUDGET, year, source, cents, on, by, note=note)

    def commit(self, case_id: str, source: Source, cents: int, on: date, by: str,
               note: str = "", year: int | None = None) -> Ledger:
        """Reserve money for a case; refused when the pot cannot carry it."""
        year = on.year if year is None else year
        self._check_room(year, source, cents, "toezegging")
        return self._append(EntryKind.COMMITMENT, year, source, cents, on, by,
                            case_id=case_id, note=note)

    def release(self, commitment_id: str, cents: int, on: date, by: str,
                note: str = "") -> Ledger:
        """Give back (part of) what a commitment reserved."""
        left = self.open_commitment(commitment_id)
        if cents > left:
            raise CaseworkError(f"vrijval {euro(cents)} is meer dan de toezegging nog "
                                f"reserveert ({euro(left)})")
        base = next(e for e in self.entries if e.id == commitment_id)
        return self._append(EntryKind.RELEASE, base.year, base.source, cents, on, by,
                            case_id=base.case_id, commitment=commitment_id, note=note)

    def spend(self, case_id: str, source: Source, cents: int, on: date, by: str,
              note: str = "", commitment: str | None = None, year: int | None = None) -> Ledger:
        """Pay for a case at once; against a commitment it first uses what that reserved."""
        year = on.year if year is None else year
        reserved = 0
        if commitment is not None:
            base = next((e for e in self.entries if e.id == commitment), None)
            if base is None or base.kind is not EntryKind.COMMITMENT:
                raise CaseworkError(f"toezegging '{commitment}' bestaat niet")
            if base.case_id != case_id or base.source != Source(source) or base.year != year:
                raise CaseworkError(f"toezegging '{commitment}' hoort bij een andere zaak, bron "
                                    "of jaar")
            reserved = self.open_commitment(commitment)
        self._check_room(year, source, max(0, cents - reserved), "uitgave")
        return self._append(EntryKind.SPEND, year, source, cents, on, by, case_id=case_id,
                            commitment=commitment, note=note)

    def _check_room(self, year: int, source: Source, cents: int, what: str) -> None:
        bal = self.balance(year, source)
        if cents > bal.available:
            raise CaseworkError(
                f"{what} van {euro(cents)} past niet: in het doorbraakbudget {Source(source).label}"
                f" {year} is nog {euro(bal.available)} beschikbaar")


def warnings(ledger: Ledger, year: int, today: date,
             share: float = DOORBRAAK_WARNING_SHARE,
             sources: Iterable[Source] = tuple(Source)) -> list[str]:
    """Dutch warnings before a pot runs out: little left, or spending too fast for the year."""
    out = []
    for source in sources:
        bal = ledger.balance(year, source)
        if bal.budget <= 0:
            continue
        name = f"Doorbraakbudget {Source(source).label} {year}"
        if bal.available <= 0:
            out.append(f"{name} is op: niets meer beschikbaar.")
            continue
        if bal.available < share * bal.budget:
            out.append(f"{name}: nog {euro(bal.available)} beschikbaar, minder dan "
                       f"{round(share * 100)}% van {euro(bal.budget)}.")
        runs_out = _projected_exhaustion(bal, year, today)
        if runs_out is not None:
            out.append(f"{name}: in dit tempo is het budget rond {runs_out.isoformat()} op, "
                       "vóór het einde van het jaar.")
    return out


def _projected_exhaustion(bal: Balance, year: int, today: date) -> date | None:
    """The day the pot runs out at the rate used so far this year, if before 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if not start <= today <= end:
        return None
    used = bal.committed + bal.spent
    elapsed = (today - start).days + 1
    if used <= 0 or elapsed < 30:  # too early in the year to extrapolate
        return None
    per_day = used / elapsed
    day = today.toordinal() + int(bal.available / per_day)
    return date.fromordinal(day) if day < end.toordinal() else None
