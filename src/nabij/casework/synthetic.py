"""A deterministic synthetic case register for demos, tests and benchmarks (modelled data).

Given a region's gemeenten with their pupils (from any Atlas: the synthetic country or the
real Netherlands) and its schools, it draws new cases per gemeente and school year at the
national rates of :data:`nabij.defaults.CASE_SYNTHETIC_RATES_PER_1000` and lets each case
run through the real rules (status flow, four eyes, doorzettingsmacht, the ledger) up to
``today``. Same inputs and seed, same register. Every case it makes is *modelled*: the
pseudonyms come from a fixed, public demo key, not from a region's secret key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from nabij.casework import budget, doorzetting, flow, vierogen
from nabij.casework.budget import Ledger
from nabij.casework.case import Advice, Assessor, Case, ExemptionDecision, Party
from nabij.casework.errors import CaseworkError
from nabij.casework.kinds import AssessorRole, CaseKind, Source, Status, Verzuim
from nabij.casework.periods import SchoolYear, add_months
from nabij.casework.pseudonym import pseudonym
from nabij.defaults import CASE_SYNTHETIC_RATES_PER_1000

DEMO_KEY = b"nabij-synthetisch-demo-sleutel-niet-geheim-0000000000"
"""Key of synthetic pseudonyms. Public on purpose: synthetic children are nobody."""

MODELLED_NOTE = ("Synthetische zaken (gemodelleerd): getrokken met landelijke kansen per 1.000 "
                 "leerlingen; geen echte kinderen.")


@dataclass(frozen=True)
class SyntheticRegister:
    """A region's modelled cases and doorbraakbudget ledger, and the people that acted."""

    region: str
    cases: tuple[Case, ...]
    ledger: Ledger
    designated: str
    note: str = MODELLED_NOTE


def region_population(atlas, gemeenten: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gemeente, leerlingen) and (vestiging, gemeente) of ``gemeenten`` from an Atlas:
    children of PO and VO age by PC4, summed per gemeente, and the school locations."""
    pc4 = atlas.pc4
    pc4 = pc4[pc4["gemeente"].isin(list(gemeenten))]
    pupils = (pc4.assign(leerlingen=pc4["kinderen_po"] + pc4["kinderen_vo"])
              .groupby("gemeente", as_index=False)["leerlingen"].sum())
    schools = atlas.scholen
    schools = schools[schools["gemeente"].isin(list(gemeenten))][["vestiging", "gemeente"]]
    return pupils, schools.drop_duplicates("vestiging").reset_index(drop=True)


class _Maker:
    """Draws and runs the cases of one region (one instance per call, seeded)."""

    def __init__(self, region: str, schools: pd.DataFrame, today: date, seed: int) -> None:
        self.region, self.today = region, today
        self.rng = np.random.default_rng(seed)
        self.by_gemeente = {g: list(s["vestiging"]) for g, s in schools.groupby("gemeente")}
        self.designated = f"voorzitter doorzettingsmacht {region}"
        self.cases: list[Case] = []
        self.ledger = Ledger(region)
        self.n = 0

    # -- drawing -----------------------------------------------------------------------------
    def day_in(self, start: date, end: date) -> date:
        span = max(0, (min(end, self.today) - start).days)
        return start + timedelta(days=int(self.rng.integers(0, span + 1)))

    def child(self, gemeente: str, kind: CaseKind, verzuim: Verzuim | None) -> tuple[str, str]:
        schools = self.by_gemeente.get(gemeente, [])
        enrolled = verzuim is not Verzuim.ABSOLUUT and bool(schools)
        school = str(schools[int(self.rng.integers(len(schools)))]) if enrolled else gemeente
        number = f"{int(self.rng.integers(10**6, 10**7))}"
        return pseudonym(DEMO_KEY, school, number), (school if enrolled else "")

    def new_case(self, gemeente: str, kind: CaseKind, registered: date,
                 verzuim: Verzuim | None = None, since: date | None = None) -> Case:
        self.n += 1
        child, school = self.child(gemeente, kind, verzuim)
        age = int(self.rng.integers(5, 17))
        parties = (Party(f"school {school}" if school else f"leerplicht {gemeente}",
                         "school" if school else "leerplicht"),
                   Party(f"SWV {self.region}", "swv"))
        return Case(id=f"{self.region}-{self.n:06d}", region=self.region, kind=kind,
                    child=child, birth_year=registered.year - age, gemeente=gemeente,
                    registered_on=registered, school=school or None, verzuim=verzuim,
                    out_of_school_since=since, parties=parties)

    # -- running through the rules -----------------------------------------------------------
    def step(self, case: Case, to: Status, on: date, by: str = "loket") -> Case:
        if on > self.today or (to.is_terminal and case.escalation is not None
                               and case.escalation.is_open):
            return case
        return flow.transition(case, to, on, by)

    def thuiszitter(self, gemeente: str, registered: date, verzuim: Verzuim) -> Case:
        since = registered - timedelta(days=int(self.rng.integers(0, 21)))
        case = self.new_case(gemeente, CaseKind.THUISZITTER, registered, verzuim, since)
        case = self.step(case, Status.IN_BEHANDELING, registered + timedelta(days=3))
        if self.rng.random() < 0.04:
            return self.step(case, Status.INGETROKKEN, registered + timedelta(days=10))
        offer = max(since + timedelta(days=int(self.rng.lognormal(np.log(50), 0.6))),
                    registered + timedelta(days=4))
        if self.rng.random() < 0.12:
            case = self.maybe_escalate(case, max(registered + timedelta(days=3),
                                                 offer - timedelta(days=10)))
        case = self.step(case, Status.AANBOD_GEDAAN, offer)
        return self.step(case, Status.AFGESLOTEN,
                         offer + timedelta(days=int(self.rng.integers(7, 45))))

    def maybe_escalate(self, case: Case, on: date) -> Case:
        if on > self.today or not case.is_open:
            return case
        case = doorzetting.escalate(case, on, "loket", "school en jeugdhulp zijn het niet eens "
                                    "over wie het aanbod betaalt", self.designated)
        decided = on + timedelta(days=int(self.rng.integers(5, 20)))
        if decided > self.today:
            return case
        return doorzetting.decide(case, self.designated, decided, "SWV en gemeente betalen "
                                  "samen een onderwijs-zorgarrangement",
                                  "het kind zit te lang thuis; wie betaalt is ondergeschikt",
                                  decided + timedelta(days=30))

    def exemption(self, gemeente: str, registered: date, kind: CaseKind) -> Case:
        case = self.new_case(gemeente, kind, registered)
        case = self.step(case, Status.IN_BEHANDELING, registered + timedelta(days=2))
        if case.status is Status.AANGEMELD:
            return case
        advised = registered + timedelta(days=int(self.rng.integers(7, 40)))
        if advised > self.today:
            return case
        grant = self.rng.random() < 0.85  # ZHZ 2022/23: 190 of 217 granted (FIGURES.md §4)
        if kind is CaseKind.VRIJSTELLING_5A:
            case = self.advices(case, advised, grant, gemeente)
        decision = ExemptionDecision(
            on=advised, by=f"leerplicht {gemeente}", granted=grant,
            reasons="zwaarwegend: onderwijs is nu niet mogelijk" if grant else
            "nee, tenzij: onderwijs met zorg is mogelijk",
            valid_until=add_months(advised, 12) - timedelta(days=1) if grant else None,
            reassess_on=add_months(advised, 11) if grant else None)
        case = vierogen.record_decision(case, decision)
        return self.step(case, Status.AFGESLOTEN, advised + timedelta(days=1))

    def advices(self, case: Case, on: date, grant: bool, gemeente: str) -> Case:
        first = Assessor(f"jeugdarts GGD ({case.id})", "GGD", AssessorRole.JEUGDARTS)
        second = Assessor(f"leerplichtambtenaar {gemeente} ({case.id})",
                          f"gemeente {gemeente}", AssessorRole.LEERPLICHTAMBTENAAR)
        for a, why in ((first, "medisch: belastbaarheid ernstig beperkt"),
                       (second, "leerplicht: geen passend aanbod haalbaar in de regio")):
            case = vierogen.add_advice(case, Advice(
                a, on, grant, why if grant else f"{why}; toch is deeltijdonderwijs mogelijk",
                "aangepast rooster, OZA-plek onderzocht", "deeltijd in een OZA-groep"))
        return case

    def doorbraak(self, gemeente: str, registered: date) -> Case:
        case = self.new_case(gemeente, CaseKind.DOORBRAAK, registered)
        case = self.step(case, Status.IN_BEHANDELING, registered + timedelta(days=1))
        source = Source.ONDERWIJS if self.rng.random() < 0.5 else Source.JEUGDHULP
        cents = int(self.rng.integers(5, 80)) * 100_00
        on = registered + timedelta(days=2)
        if on <= self.today:
            try:
                self.ledger = self.ledger.spend(case.id, source, cents, on, "loket",
                                                note="direct ingezet")
            except CaseworkError:
                return self.step(case, Status.INGETROKKEN, on)  # pot empty: handled otherwise
            case = self.step(case, Status.AANBOD_GEDAAN, on)
            case = self.step(case, Status.AFGESLOTEN, on + timedelta(days=30))
        return case

    def integraal(self, gemeente: str, registered: date) -> Case:
        case = self.new_case(gemeente, CaseKind.INTEGRAAL_VERZOEK, registered)
        case = self.step(case, Status.IN_BEHANDELING, registered + timedelta(days=5))
        offer = registered + timedelta(days=int(self.rng.integers(14, 90)))
        case = self.step(case, Status.AANBOD_GEDAAN, offer)
        return self.step(case, Status.AFGESLOTEN, offer + timedelta(days=30))


def synthetic_register(region: str, pupils: pd.DataFrame, schools: pd.DataFrame, today: date,
                       years: int = 3, seed: int = 14, scale: float = 1.0,
                       rates: dict[str, float] | None = None) -> SyntheticRegister:
    """Modelled cases of ``region`` for the ``years`` school years up to ``today``.

    ``pupils``: columns ``gemeente``, ``leerlingen``; ``schools``: ``vestiging``, ``gemeente``.
    ``scale`` multiplies every rate (the 10,000-case benchmark uses it).
    """
    rates = dict(CASE_SYNTHETIC_RATES_PER_1000 if rates is None else rates)
    maker = _Maker(region, schools, today, seed)
    first = SchoolYear.of(today).start.year - years + 1
    for y in range(first, first + years):
        sy = SchoolYear.starting(y)
        maker.ledger = _fund(maker.ledger, sy.start.year, pupils["leerlingen"].sum(), scale,
                             sy.start)
        for gemeente, n_pupils in zip(pupils["gemeente"], pupils["leerlingen"], strict=True):
            _draw_year(maker, str(gemeente), float(n_pupils), sy, rates, scale)
    cases = sorted(maker.cases, key=lambda c: (c.registered_on, c.id))
    return SyntheticRegister(region, tuple(cases), maker.ledger, maker.designated)


def _fund(ledger: Ledger, year: int, pupils: float, scale: float, on: date) -> Ledger:
    """Each calendar year: € 15 per pupil from onderwijs and € 10 from jeugdhulp (modelled)."""
    for y in (year, year + 1):
        if any(e.year == y and e.kind is budget.EntryKind.BUDGET for e in ledger.entries):
            continue
        for source, per_pupil in ((Source.ONDERWIJS, 1500), (Source.JEUGDHULP, 1000)):
            cents = int(pupils * per_pupil * max(scale, 0.01))
            if cents > 0:
                ledger = ledger.add_budget(y, source, cents, min(on, date(y, 1, 1)),
                                           "regio", "gemodelleerd budget")
    return ledger


def _draw_year(maker: _Maker, gemeente: str, pupils: float, sy: SchoolYear,
               rates: dict[str, float], scale: float) -> None:
    if sy.start > maker.today:
        return
    makers = {
        "absoluut": lambda d: maker.thuiszitter(gemeente, d, Verzuim.ABSOLUUT),
        "relatief": lambda d: maker.thuiszitter(gemeente, d, Verzuim.RELATIEF),
        "vrijstelling_5a": lambda d: maker.exemption(gemeente, d, CaseKind.VRIJSTELLING_5A),
        "vrijstelling_5b": lambda d: maker.exemption(gemeente, d, CaseKind.VRIJSTELLING_5B),
        "vrijstelling_5c": lambda d: maker.exemption(gemeente, d, CaseKind.VRIJSTELLING_5C),
        "integraal_verzoek": lambda d: maker.integraal(gemeente, d),
        "doorbraak": lambda d: maker.doorbraak(gemeente, d),
    }
    for name, make in makers.items():
        n = int(maker.rng.poisson(rates.get(name, 0.0) * scale * pupils / 1000))
        for _ in range(n):
            day = maker.day_in(sy.start, sy.end)
            if day <= maker.today:
                maker.cases.append(make(day))
