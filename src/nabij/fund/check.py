"""The definition check: a valid fund definition held against the advice "Over de lijnen".

:func:`check_definition` returns Dutch findings; ``waarschuwing`` means the definition departs
from the fund the advice designs (it stays usable), ``info`` is a remark. The checks:

* transport: the advice brings the *savings* on leerlingenvervoer into the fund ("Deze 'winst'
  komt in het inclusiefonds"), not the whole transport budget (soort ``vervoer``);
* provision-based factors (``speciaal``, ``reisafstand``): the money then follows current use
  of special schools — *voorzieningsbekostiging* — with the share of the money that follows;
* the advice bundles onderwijs, jeugdhulp and kinderopvang: a missing kind is reported;
* every source should say where its amount comes from (``herkomst``).
"""

from __future__ import annotations

from dataclasses import dataclass

from nabij.fund.definition import FundDefinition
from nabij.fund.factors import FACTORS, PROVISION_LABEL

WARNING = "waarschuwing"
INFO = "info"
ADVICE_KINDS = ("onderwijs", "jeugdhulp", "kinderopvang")


@dataclass(frozen=True)
class Finding:
    """One remark of the definition check (Dutch message)."""

    level: str
    message: str


def provision_share(definition: FundDefinition) -> float:
    """Share of the distributable money that follows provision-based factors."""
    w = definition.verdeling.weights
    total = sum(w.values())
    prov = sum(v for k, v in w.items() if k != "basis" and FACTORS[k].provision_based)
    return prov / total if total > 0 else 0.0


def check_definition(definition: FundDefinition) -> list[Finding]:
    """Findings of the definition against the advice (empty: as the advice designs it)."""
    out: list[Finding] = []
    for i, s in enumerate(definition.bronnen, start=1):
        if s.soort == "vervoer":
            out.append(Finding(WARNING, (
                f"bronnen[{i}] ('{s.naam}') brengt het hele budget voor leerlingenvervoer in "
                "het fonds. Het advies 'Over de lijnen' brengt alleen de besparingen op "
                "leerlingenvervoer in ('Deze winst komt in het inclusiefonds'); gebruik soort "
                "\"vervoersbesparing\" met de besparing per gemeente, bijvoorbeeld uit 'nabij "
                "vervoer watals' (besparing.csv, of 'nabij fonds verdeel --besparing').")))
        if not s.herkomst.strip():
            out.append(Finding(WARNING, f"bronnen[{i}] ('{s.naam}') zegt niet waar het bedrag "
                               "vandaan komt: vul 'herkomst' in (bron, of 'aanname')."))
    prov = {k: v for k, v in definition.verdeling.factoren.items()
            if v > 0 and FACTORS[k].provision_based}
    if prov:
        share = provision_share(definition)
        names = ", ".join(f"'{k}' ({FACTORS[k].label})" for k in prov)
        out.append(Finding(WARNING, (
            f"{PROVISION_LABEL.capitalize()}: factor {names} laat "
            f"{_pct(share)} van het te verdelen bedrag het huidige gebruik van speciaal "
            "onderwijs volgen: wie nu veel verwijst of ver reist, krijgt meer. Het advies wil "
            "van voorzieningsbekostiging naar populatiebekostiging en preventie.")))
    kinds = {s.soort for s in definition.bronnen}
    missing = [k for k in ADVICE_KINDS if k not in kinds]
    if missing:
        out.append(Finding(INFO, "Het advies bundelt onderwijs, jeugdhulp en kinderopvang; "
                           f"deze definitie heeft geen bron voor: {', '.join(missing)}."))
    if not any(s.soort == "vervoersbesparing" for s in definition.bronnen):
        out.append(Finding(INFO, "Geen besparing op leerlingenvervoer als bron; voeg die toe "
                           "met 'nabij fonds verdeel --besparing besparing.csv' (uitkomst van "
                           "'nabij vervoer watals')."))
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %".replace(".", ",")
