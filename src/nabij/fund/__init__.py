"""Inclusiefonds: a fund definition (TOML), context factors from the Atlas, and allocation.

``load_definition(path)`` -> :class:`FundDefinition`; ``check_definition(definition)`` -> Dutch
findings against the advice "Over de lijnen"; ``allocate(definition, atlas, level,
regions=...)`` -> :class:`FundResult` (one fund per region, per leeromgeving and year, against
today's baseline; explanation, sensitivity; ``.write(dir)``).
``EXAMPLE`` is the path of the commented example definition shipped with the package.
"""

from pathlib import Path

from nabij.fund.allocate import (
    LEVELS,
    Units,
    clamp_to_total,
    round_to_total,
    target_amounts,
    units_for,
)
from nabij.fund.check import Finding, check_definition
from nabij.fund.definition import (
    FundDefinition,
    Source,
    euros,
    load_definition,
    parse_definition,
)
from nabij.fund.factors import FACTORS, PROVISION_LABEL, factor_masses, gemeente_factors
from nabij.fund.regional import FundResult, allocate, read_current
from nabij.fund.savings import read_savings, savings_source

EXAMPLE = Path(__file__).with_name("example.toml")

__all__ = [
    "EXAMPLE",
    "FACTORS",
    "PROVISION_LABEL",
    "Finding",
    "check_definition",
    "read_current",
    "LEVELS",
    "FundDefinition",
    "FundResult",
    "Source",
    "Units",
    "allocate",
    "clamp_to_total",
    "euros",
    "factor_masses",
    "gemeente_factors",
    "load_definition",
    "parse_definition",
    "read_savings",
    "savings_source",
    "round_to_total",
    "target_amounts",
    "units_for",
]
