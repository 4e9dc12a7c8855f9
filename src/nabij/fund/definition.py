"""Fund definition of the inclusiefonds: a documented TOML file, parsed and checked.

A definition has four parts (see ``example.toml`` beside this module for a commented one):

``[fonds]``
    ``naam``, ``omschrijving``, ``sectoren`` (``["PO", "VO"]``: whose pupils count).
``[[bronnen]]`` (one or more)
    a budget flowing into the fund: ``naam``, ``soort`` (onderwijs, jeugdhulp, kinderopvang,
    vervoersbesparing, vervoer, overig; see :data:`SOURCE_KINDS`) and its yearly amount in
    euros, *either* ``bedrag`` (national) *or*
    ``per_gemeente`` / ``per_regio`` tables (code -> euros; regio codes are SWV codes such as
    ``"PO 27-07"`` or jeugdregio codes such as ``JZ13``) *or* ``bestand`` (a CSV with columns
    ``code,bedrag``, relative to the TOML file). Optional: ``vanaf`` / ``tot`` (first / last
    year), ``indexatie`` (yearly growth, 0.02 = 2 %) and ``herkomst`` (where the figure comes
    from) and ``aanname = true`` when the amount is an assumption, not a found figure. All
    budgets are pooled ("gebundeld"); amounts per gemeente or region say where the money comes
    from: which regional fund it fills and where it sits in today's baseline.
``[reserve]``
    ``aandeel`` of the yearly fund kept collectively (0 <= aandeel < 1), ``doelen`` (what it
    may be used for: acute problems, highly specialised support, ...) and optionally
    ``doorbraakbudget``: the part of the fund (<= aandeel) within the reserve earmarked as the
    doorbraakbudget. With regional funds every region keeps its own reserve.
``[verdeling]``
    ``basis`` (weight of the flat amount per pupil) and ``[verdeling.factoren]`` (weight per
    context factor of :mod:`nabij.fund.factors`). Weights are shares of the distributable
    amount after normalisation by their sum. Optional floor and cap per unit, per pupil:
    ``vloer_per_leerling`` / ``plafond_per_leerling`` (euros) and ``vloer_relatief`` /
    ``plafond_relatief`` (times the mean amount per pupil).
``[overgang]``
    ``startjaar`` (default 2030, the design year of seed 002), ``doeljaar`` (default 2035),
    ``huidige_verdeling`` (``"basislijn"``: today's money as far as known, see
    :data:`BASELINE_KEY`; ``"gelijk_per_leerling"``: flat per pupil; or a CSV file
    ``eenheid,bedrag`` with today's amounts of some or all units) and optionally ``stappen``:
    the share of the way from current to target per year (default a straight line ending at 1
    in the doeljaar). "Verevening" is not accepted here: it names the 2015-2020
    redistribution of the zware-ondersteuning budget.

Every problem is a :class:`nabij.errors.InputError` in Dutch naming the key (and, where it can
be found, the line of the TOML file) or the row of a CSV file.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import MappingProxyType

from nabij.defaults import FUND_DESIGN_YEAR, FUND_FULL_EFFECT_YEAR
from nabij.errors import InputError, Problem
from nabij.fund.factors import FACTORS
from nabij.io.oserrors import os_reason

SOURCE_KINDS = ("onderwijs", "jeugdhulp", "kinderopvang", "vervoersbesparing", "vervoer",
                "overig")
"""Kinds of money. ``vervoersbesparing`` is what the advice brings in from pupil transport
(savings, e.g. from ``nabij vervoer watals``); ``vervoer`` (the whole transport budget) is
accepted but the definition check warns about it."""

SOURCE_KIND_LABELS = {
    "onderwijs": "onderwijsondersteuning (SWV)",
    "jeugdhulp": "jeugdhulp (gemeenten)",
    "kinderopvang": "kinderopvang (gemeenten)",
    "vervoersbesparing": "besparing leerlingenvervoer (gemeenten)",
    "vervoer": "leerlingenvervoer, hele budget (gemeenten)",
    "overig": "overig",
}

BASELINE_KEY = {
    "onderwijs": "leerlingen", "overig": "leerlingen",
    "jeugdhulp": "kinderen", "kinderopvang": "kinderen",
    "vervoer": "vervoerskosten", "vervoersbesparing": "vervoerskosten",
}
"""Where a *national* amount of each kind sits today (the baseline) and which region
contributes it: SWV money follows its pupils (national rate x pupils), gemeente money for
youth care and childcare follows the children living there, transport money follows the
modelled transport cost per gemeente. Amounts per gemeente or region are used as given."""

DESIGN_YEAR = FUND_DESIGN_YEAR
FULL_EFFECT_YEAR = FUND_FULL_EFFECT_YEAR
BASELINE = "basislijn"
FLAT = "gelijk_per_leerling"
GM_RE = re.compile(r"GM\d{4}")
REGION_RE = re.compile(r"(PO|VO) \d{2}-\d{2}|JZ\d{2}")
MAX_AMOUNT = 1e12
"""No single amount above a trillion euros: catches unit mistakes (cents, typos)."""


def euros(value: Decimal | float | int) -> int:
    """Round to whole euros, half away from zero (the rounding of totals and the reserve)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Source:
    """A budget flowing into the fund each year."""

    naam: str
    soort: str = "overig"
    bedrag: Decimal | None = None
    per_eenheid: Mapping[str, Decimal] = field(default_factory=dict)
    vanaf: int | None = None
    tot: int | None = None
    indexatie: float = 0.0
    herkomst: str = ""
    gemodelleerd: bool = False
    aanname: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_eenheid", MappingProxyType(
            {str(k): Decimal(str(v)) for k, v in self.per_eenheid.items()}))
        if self.bedrag is not None:
            object.__setattr__(self, "bedrag", Decimal(str(self.bedrag)))

    @property
    def total(self) -> Decimal:
        """Yearly amount before indexation (national, or the sum over its units)."""
        return self.bedrag if self.bedrag is not None else sum(self.per_eenheid.values(),
                                                               Decimal(0))

    def active(self, year: int) -> bool:
        return (self.vanaf is None or year >= self.vanaf) and (self.tot is None or year <= self.tot)

    def factor(self, year: int, start: int) -> Decimal:
        """Multiplier of the base amount in ``year``: 0 when inactive, else indexation."""
        if not self.active(year):
            return Decimal(0)
        return Decimal(str((1.0 + self.indexatie) ** max(0, year - start)))

    def amount(self, year: int, start: int) -> Decimal:
        return self.total * self.factor(year, start)


@dataclass(frozen=True)
class Reserve:
    """Collective part of the fund: a share of each year's fund and what it is for."""

    aandeel: float = 0.0
    doelen: tuple[str, ...] = ()
    doorbraakbudget: float = 0.0
    """Part of the fund (<= aandeel) within the reserve earmarked as doorbraakbudget."""


@dataclass(frozen=True)
class Formula:
    """Allocation formula: weights (basis + factors), floor and cap per pupil."""

    basis: float = 1.0
    factoren: Mapping[str, float] = field(default_factory=dict)
    vloer_per_leerling: float | None = None
    plafond_per_leerling: float | None = None
    vloer_relatief: float | None = None
    plafond_relatief: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "factoren", MappingProxyType(
            {k: float(v) for k, v in self.factoren.items()}))

    @property
    def weights(self) -> dict[str, float]:
        """``{"basis": w, factor: w, ...}`` in a fixed order."""
        return {"basis": float(self.basis)} | dict(self.factoren)


@dataclass(frozen=True)
class Transition:
    """Phasing from the current distribution to the target."""

    startjaar: int = DESIGN_YEAR
    doeljaar: int = FULL_EFFECT_YEAR
    huidige_verdeling: str = BASELINE
    stappen: tuple[float, ...] | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.startjaar, self.doeljaar + 1))

    def fraction(self, year: int) -> float:
        """Share of the way from current to target in ``year`` (1.0 in the doeljaar)."""
        if year >= self.doeljaar:
            return 1.0
        if year < self.startjaar:
            return 0.0
        i = year - self.startjaar
        if self.stappen is not None:
            return float(self.stappen[i])
        return (i + 1) / (self.doeljaar - self.startjaar + 1)


@dataclass(frozen=True)
class FundDefinition:
    """A parsed, checked fund definition (see the module docstring for the TOML layout)."""

    naam: str
    bronnen: tuple[Source, ...]
    reserve: Reserve = Reserve()
    verdeling: Formula = Formula()
    overgang: Transition = Transition()
    omschrijving: str = ""
    sectoren: tuple[str, ...] = ("PO", "VO")
    path: Path | None = None

    @property
    def years(self) -> list[int]:
        return self.overgang.years

    def source_amounts(self, year: int) -> list[int]:
        """Each source's amount in ``year`` in whole euros (half away from zero)."""
        start = self.overgang.startjaar
        return [euros(s.amount(year, start)) for s in self.bronnen]

    def total(self, year: int) -> int:
        """The fund in ``year`` in whole euros: the sum of the sources' rounded amounts."""
        return sum(self.source_amounts(year))

    def reserve_amount(self, year: int) -> int:
        """The collective reserve: exactly ``aandeel`` of the fund, rounded to whole euros."""
        return euros(Decimal(self.total(year)) * Decimal(str(self.reserve.aandeel)))

    def distributable(self, year: int) -> int:
        return self.total(year) - self.reserve_amount(year)

    def with_source(self, source: Source) -> FundDefinition:
        """A copy with one more source (e.g. transport savings from a what-if)."""
        return replace(self, bronnen=self.bronnen + (source,))

    def with_weights(self, **weights: float) -> FundDefinition:
        """A copy with some weights changed (``basis=...`` or factor keys)."""
        basis = float(weights.pop("basis", self.verdeling.basis))
        unknown = set(weights) - set(FACTORS)
        if unknown:
            raise InputError(f"onbekende factor: {', '.join(sorted(unknown))}")
        f = dict(self.verdeling.factoren) | {k: float(v) for k, v in weights.items()}
        return replace(self, verdeling=replace(self.verdeling, basis=basis, factoren=f))

    def check_codes(self, gemeenten: set[str], regions: set[str]) -> None:
        """Raise InputError naming the key for codes the Atlas does not know."""
        problems = []
        where = str(self.path) if self.path else None
        for i, s in enumerate(self.bronnen, start=1):
            for code in s.per_eenheid:
                known = gemeenten if code.startswith("GM") else regions
                if code not in known:
                    problems.append(Problem(
                        f"bronnen[{i}] ('{s.naam}'): code '{code}' komt niet voor in de atlas",
                        where))
        if problems:
            raise InputError("Fondsdefinitie bevat onbekende codes", problems)


# -- parsing -----------------------------------------------------------------------------------

_TOP = {"fonds", "bronnen", "reserve", "verdeling", "overgang"}
_FONDS = {"naam", "omschrijving", "sectoren"}
_BRON = {"naam", "soort", "bedrag", "per_gemeente", "per_regio", "bestand", "vanaf", "tot",
         "indexatie", "herkomst", "aanname"}
_RESERVE = {"aandeel", "doelen", "doorbraakbudget"}
_VERDELING = {"basis", "factoren", "vloer_per_leerling", "plafond_per_leerling",
              "vloer_relatief", "plafond_relatief"}
_OVERGANG = {"startjaar", "doeljaar", "huidige_verdeling", "stappen"}


class _Checker:
    """Collects Dutch problems naming the key path and the TOML line where found."""

    def __init__(self, path: Path | None, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def add(self, key: tuple, message: str) -> None:
        self.problems.append(Problem(f"sleutel '{_key(key)}': {message}",
                                     str(self.path) if self.path else None, self._line(key)))

    def _line(self, key: tuple) -> int | None:
        pos, found_any = 0, False
        prefix: list = []
        for part in key:
            if isinstance(part, int):
                hdr, count = "[[" + ".".join(prefix) + "]]", -1
                for i, line in enumerate(self.lines):
                    if line.strip().startswith(hdr):
                        count += 1
                        if count == part:
                            pos, found_any = i, True
                            break
                continue
            prefix.append(part)
            hdr = "[" + ".".join(prefix) + "]"
            pat = re.compile(r'^\s*"?' + re.escape(str(part)) + r'"?\s*=')
            for i in range(pos, len(self.lines)):
                s = self.lines[i].strip()
                if s.split("#")[0].strip() == hdr or pat.match(self.lines[i]):
                    pos, found_any = i, True
                    break
        return pos + 1 if found_any else None

    def table(self, data: object, key: tuple, allowed: set[str]) -> dict:
        if not isinstance(data, dict):
            self.add(key, "moet een tabel zijn")
            return {}
        for k in data:
            if k not in allowed:
                self.add(key + (k,), "onbekende sleutel; toegestaan: "
                         + ", ".join(sorted(allowed)))
        return data

    def number(self, value: object, key: tuple, lo: float | None = 0.0,
               hi: float | None = None, integer: bool = False) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(key, f"moet een getal zijn, niet {value!r}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(key, "moet een eindig getal zijn")
            return None
        if integer and not float(value).is_integer():
            self.add(key, f"moet een geheel getal zijn, niet {value!r}")
            return None
        if lo is not None and value < lo:
            self.add(key, "mag niet negatief zijn" if lo == 0 else f"moet minstens {lo} zijn")
            return None
        if hi is not None and value > hi:
            self.add(key, f"mag hoogstens {hi:g} zijn")
            return None
        return float(value)

    def text(self, value: object, key: tuple, required: bool = False) -> str:
        if value is None:
            if required:
                self.add(key, "ontbreekt")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(key, "moet een (niet-lege) tekst zijn")
            return ""
        return value


def _key(key: tuple) -> str:
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + (f'"{part}"' if " " in str(part) else str(part))
    return out


def load_definition(path: str | Path) -> FundDefinition:
    """Read and check a fund definition TOML file (InputError in Dutch when bad)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"fondsdefinitie {path} kan niet gelezen worden: {os_reason(e)}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"fondsdefinitie {path} is geen UTF-8-tekst") from e
    return parse_definition(text, path)


def parse_definition(text: str, path: Path | None = None) -> FundDefinition:
    """Parse TOML text of a fund definition; ``path`` names it in errors and anchors CSVs."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        from nabij.io.toml import toml_problem

        raise InputError("Fondsdefinitie is geen geldige TOML",
                         [toml_problem(e, str(path) if path else None)]) from e
    c = _Checker(path, text)
    c.table(data, (), _TOP)
    fonds = c.table(data.get("fonds", {}), ("fonds",), _FONDS)
    naam = c.text(fonds.get("naam"), ("fonds", "naam"), required=True)
    sectoren = fonds.get("sectoren", ["PO", "VO"])
    if (not isinstance(sectoren, list) or not sectoren
            or any(s not in ("PO", "VO") for s in sectoren)):
        c.add(("fonds", "sectoren"), 'moet een lijst zijn met "PO" en/of "VO"')
        sectoren = ["PO", "VO"]

    bronnen_raw = data.get("bronnen")
    bronnen: list[Source] = []
    if not isinstance(bronnen_raw, list) or not bronnen_raw:
        c.add(("bronnen",), "geef minstens één bron op ([[bronnen]] met naam en bedrag)")
        bronnen_raw = []
    for i, b in enumerate(bronnen_raw):
        s = _source(c, b, ("bronnen", i), path)
        if s is not None:
            bronnen.append(s)

    res = c.table(data.get("reserve", {}), ("reserve",), _RESERVE)
    aandeel = c.number(res.get("aandeel", 0.0), ("reserve", "aandeel"), 0.0, 0.99) or 0.0
    doelen = res.get("doelen", [])
    if not isinstance(doelen, list) or any(not isinstance(d, str) or not d.strip()
                                           for d in doelen):
        c.add(("reserve", "doelen"), "moet een lijst met teksten zijn")
        doelen = []
    elif aandeel > 0 and not doelen:
        c.add(("reserve", "doelen"), "geef aan waarvoor de collectieve reserve gebruikt mag "
              "worden (bijv. acute problematiek, hoogspecialistische ondersteuning)")

    doorbraak = c.number(res.get("doorbraakbudget", 0.0), ("reserve", "doorbraakbudget"),
                         0.0, 0.99) or 0.0
    if doorbraak > aandeel:
        c.add(("reserve", "doorbraakbudget"), "mag niet groter zijn dan reserve.aandeel (het "
              "doorbraakbudget is een deel van de collectieve reserve)")
    formula = _formula(c, data.get("verdeling"))
    transition = _transition(c, data.get("overgang", {}), path)
    for i, s in enumerate(bronnen):
        if s.vanaf is not None and s.tot is not None and s.tot < s.vanaf:
            c.add(("bronnen", i, "tot"), "ligt voor 'vanaf'")
    if c.problems:
        raise InputError("Fondsdefinitie is ongeldig; er is niets geschreven", c.problems)
    return FundDefinition(
        naam=naam, bronnen=tuple(bronnen),
        reserve=Reserve(aandeel, tuple(doelen), doorbraak),
        verdeling=formula, overgang=transition,
        omschrijving=c.text(fonds.get("omschrijving"), ("fonds", "omschrijving")),
        sectoren=tuple(sectoren), path=path)


def _source(c: _Checker, b: object, key: tuple, path: Path | None) -> Source | None:
    b = c.table(b, key, _BRON)
    if not b:
        return None
    n0 = len(c.problems)
    naam = c.text(b.get("naam"), key + ("naam",), required=True)
    soort = b.get("soort", "overig")
    if soort not in SOURCE_KINDS:
        c.add(key + ("soort",), f"onbekende soort {soort!r}; kies uit {', '.join(SOURCE_KINDS)}")
    given = [k for k in ("bedrag", "per_gemeente", "per_regio", "bestand") if k in b]
    if len(given) != 1:
        c.add(key, "geef precies één van bedrag, per_gemeente, per_regio of bestand"
              + (f" (nu: {', '.join(given)})" if given else ""))
        return None
    bedrag = None
    units: dict[str, Decimal] = {}
    if "bedrag" in b:
        v = c.number(b["bedrag"], key + ("bedrag",), 0.0, MAX_AMOUNT)
        bedrag = None if v is None else Decimal(str(b["bedrag"]))
    elif "bestand" in b:
        units = _amounts_csv(c, b["bestand"], key + ("bestand",), path)
    else:
        k = "per_gemeente" if "per_gemeente" in b else "per_regio"
        tab = b[k]
        if not isinstance(tab, dict) or not tab:
            c.add(key + (k,), "moet een tabel met code = bedrag zijn")
        else:
            rx = GM_RE if k == "per_gemeente" else REGION_RE
            what = "gemeentecode (GM0363)" if k == "per_gemeente" else (
                "SWV-code ('PO 27-07') of jeugdregiocode (JZ13)")
            for code, amount in tab.items():
                if not rx.fullmatch(code):
                    c.add(key + (k, code), f"ongeldige code; verwacht een {what}")
                    continue
                if c.number(amount, key + (k, code), 0.0, MAX_AMOUNT) is not None:
                    units[code] = Decimal(str(amount))
    vanaf = tot = None
    if "vanaf" in b:
        v = c.number(b["vanaf"], key + ("vanaf",), 2000, 2100, integer=True)
        vanaf = None if v is None else int(v)
    if "tot" in b:
        v = c.number(b["tot"], key + ("tot",), 2000, 2100, integer=True)
        tot = None if v is None else int(v)
    idx = c.number(b.get("indexatie", 0.0), key + ("indexatie",), -0.5, 0.5)
    herkomst = c.text(b.get("herkomst"), key + ("herkomst",))
    aanname = b.get("aanname", False)
    if not isinstance(aanname, bool):
        c.add(key + ("aanname",), "moet true of false zijn")
    if len(c.problems) > n0:
        return None
    return Source(naam, soort, bedrag, units, vanaf, tot, idx or 0.0, herkomst,
                  aanname=bool(aanname))


def _amounts_csv(c: _Checker, name: object, key: tuple, path: Path | None) -> dict:
    """Read ``code,bedrag`` rows; problems name file and row."""
    if not isinstance(name, str) or not name:
        c.add(key, "moet een bestandsnaam zijn")
        return {}
    file = (path.parent / name) if path else Path(name)
    out: dict[str, Decimal] = {}
    rows = read_code_amounts(file, "code")
    for row, code, amount, problem in rows:
        if problem:
            c.problems.append(Problem(problem, str(file), row))
        elif not (GM_RE.fullmatch(code) or REGION_RE.fullmatch(code)):
            c.problems.append(Problem(f"ongeldige code '{code}'", str(file), row, "code"))
        elif code in out:
            c.problems.append(Problem(f"code '{code}' staat er dubbel in", str(file), row,
                                      "code"))
        else:
            out[code] = amount
    if not rows:
        c.add(key, f"bestand {file} bevat geen bedragen")
    return out


def read_code_amounts(file: Path, code_column: str) -> list[tuple[int, str, Decimal, str]]:
    """Rows ``(line, code, amount, problem)`` of a CSV with ``<code_column>,bedrag``.

    Accepts ``,`` or ``;`` as separator and Dutch decimal commas (``1234,50``) when the
    separator is ``;``. ``problem`` is a Dutch message ('' when the row is fine).
    """
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as e:
        return [(None, "", Decimal(0), f"bestand kan niet gelezen worden: "  # type: ignore[list-item]
                 f"{os_reason(e)}")]
    except UnicodeDecodeError:
        return [(None, "", Decimal(0), "bestand is geen UTF-8-tekst")]  # type: ignore[list-item]
    lines = text.splitlines()
    if not lines:
        return []
    sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=sep)
    cols = [h.strip().lower() for h in (reader.fieldnames or [])]
    if code_column not in cols or "bedrag" not in cols:
        return [(1, "", Decimal(0), f"kolommen '{code_column}' en 'bedrag' zijn verplicht "
                 f"(gevonden: {', '.join(cols)})")]
    out = []
    for line, rec in enumerate(reader, start=2):
        rec = {str(k).strip().lower(): (v or "").strip() for k, v in rec.items() if k}
        code, raw = rec.get(code_column, ""), rec.get("bedrag", "")
        val = raw.replace(" ", "").replace("€", "")
        if sep == ";":
            val = val.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(val)
            if not amount.is_finite():
                raise ValueError
        except (ValueError, ArithmeticError):
            out.append((line, code, Decimal(0), f"kolom 'bedrag': '{raw}' is geen getal"))
            continue
        if amount < 0:
            out.append((line, code, amount, "kolom 'bedrag': bedrag mag niet negatief zijn"))
            continue
        out.append((line, code, amount, ""))
    return out


def _formula(c: _Checker, v: object) -> Formula:
    if v is None:
        c.add(("verdeling",), "ontbreekt (basis en factoren)")
        return Formula()
    v = c.table(v, ("verdeling",), _VERDELING)
    basis = c.number(v.get("basis", 0.0), ("verdeling", "basis"), 0.0, 1e6)
    fac = v.get("factoren", {})
    weights: dict[str, float] = {}
    if not isinstance(fac, dict):
        c.add(("verdeling", "factoren"), "moet een tabel factor = gewicht zijn")
        fac = {}
    for k, w in fac.items():
        if k not in FACTORS:
            c.add(("verdeling", "factoren", k),
                  f"onbekende factor; kies uit {', '.join(FACTORS)}")
            continue
        x = c.number(w, ("verdeling", "factoren", k), 0.0, 1e6)
        if x is not None:
            weights[k] = x
    if basis is not None and basis + sum(weights.values()) <= 0 and not any(
            p.message.startswith("sleutel 'verdeling.factoren") for p in c.problems):
        c.add(("verdeling", "basis"), "de gewichten (basis + factoren) zijn samen 0")
    opt = {}
    for k in ("vloer_per_leerling", "plafond_per_leerling"):
        if k in v:
            opt[k] = c.number(v[k], ("verdeling", k), 0.0, 1e6)
    for k in ("vloer_relatief", "plafond_relatief"):
        if k in v:
            opt[k] = c.number(v[k], ("verdeling", k), 0.0, 100.0)
    floor_rel, cap_rel = opt.get("vloer_relatief"), opt.get("plafond_relatief")
    if floor_rel is not None and floor_rel > 1:
        c.add(("verdeling", "vloer_relatief"), "moet hoogstens 1 zijn (een vloer boven het "
              "gemiddelde kan niet voor iedereen gelden)")
    if cap_rel is not None and cap_rel < 1:
        c.add(("verdeling", "plafond_relatief"), "moet minstens 1 zijn (een plafond onder het "
              "gemiddelde kan niet voor iedereen gelden)")
    lo, hi = opt.get("vloer_per_leerling"), opt.get("plafond_per_leerling")
    if lo is not None and hi is not None and hi < lo:
        c.add(("verdeling", "plafond_per_leerling"), "ligt onder vloer_per_leerling")
    return Formula(basis or 0.0, weights, **opt)


def _transition(c: _Checker, v: object, path: Path | None) -> Transition:
    v = c.table(v, ("overgang",), _OVERGANG)
    start = c.number(v.get("startjaar", DESIGN_YEAR), ("overgang", "startjaar"), 2000, 2100,
                     True)
    end = c.number(v.get("doeljaar", FULL_EFFECT_YEAR), ("overgang", "doeljaar"), 2000, 2100,
                   True)
    start, end = int(start or DESIGN_YEAR), int(end or FULL_EFFECT_YEAR)
    if end < start:
        c.add(("overgang", "doeljaar"), f"ligt voor startjaar {start}")
        end = start
    choices = f'"{BASELINE}", "{FLAT}" of een CSV-bestand met eenheid,bedrag'
    huidig = v.get("huidige_verdeling", BASELINE)
    if huidig == "bronnen":
        huidig = BASELINE
    if not isinstance(huidig, str) or not huidig:
        c.add(("overgang", "huidige_verdeling"), f"moet {choices} zijn")
        huidig = BASELINE
    elif huidig == "verevening":
        c.add(("overgang", "huidige_verdeling"), '"verevening" heet de herverdeling van het '
              "budget zware ondersteuning in 2015-2020 en is geen vergelijkingsmaatstaf; "
              f'gebruik "{FLAT}" voor een gelijk bedrag per leerling of "{BASELINE}" voor het '
              "geld van nu")
        huidig = BASELINE
    elif huidig not in (BASELINE, FLAT):
        file = (path.parent / huidig) if path else Path(huidig)
        if not file.is_file():
            c.add(("overgang", "huidige_verdeling"), f"bestand {file} bestaat niet; gebruik "
                  + choices)
        huidig = str(file)
    stappen = None
    if "stappen" in v:
        raw = v["stappen"]
        n = end - start + 1
        if not isinstance(raw, list) or len(raw) != n:
            c.add(("overgang", "stappen"), f"moet een lijst met {n} getallen zijn "
                  f"(één per jaar {start}-{end})")
        else:
            maybe = [c.number(x, ("overgang", "stappen"), 0.0, 1.0) for x in raw]
            vals = [x for x in maybe if x is not None]
            if len(vals) == len(maybe):
                if any(b < a for a, b in zip(vals, vals[1:], strict=False)):
                    c.add(("overgang", "stappen"), "mag niet dalen")
                elif vals[-1] != 1.0:
                    c.add(("overgang", "stappen"), "moet in het doeljaar 1 zijn (doel bereikt)")
                stappen = tuple(float(x) for x in vals)
    return Transition(start, end, huidig, stappen)
