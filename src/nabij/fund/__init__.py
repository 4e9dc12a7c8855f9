"""Inclusiefonds: a fund definition (TOML), context factors from the Atlas, and allocation.

``load_definition(path)`` -> :class:`FundDefinition`; ``allocate(definition, atlas, level)``
-> :class:`FundResult` (per unit and year, impact, explanation, sensitivity; ``.write(dir)``).
``EXAMPLE`` is the path of the commented example definition shipped with the package.
"""

from pathlib import Path

from nabij.fund.allocate import (
    LEVELS,
    FundResult,
    Units,
    allocate,
    clamp_to_total,
    round_to_total,
    target_amounts,
    units_for,
)
from nabij.fund.definition import (
    FundDefinition,
    Source,
    euros,
    load_definition,
    parse_definition,
)
from nabij.fund.factors import FACTORS, factor_masses, gemeente_factors

EXAMPLE = Path(__file__).with_name("example.toml")

__all__ = [
    "EXAMPLE",
    "FACTORS",
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
    "round_to_total",
    "target_amounts",
    "units_for",
]
