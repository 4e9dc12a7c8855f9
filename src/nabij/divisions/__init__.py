"""Divisions: PC4 -> region assignments, and the scenario builders that produce them."""

from nabij.divisions.custom import read_custom
from nabij.divisions.dekkend import dekkend_division, region_provisions
from nabij.divisions.division import Division
from nabij.divisions.funderend import funderend_division
from nabij.divisions.fusie import fusie_division
from nabij.divisions.jeugdregio import jeugdregio_division
from nabij.divisions.provision import (
    DEFAULT_PROVISIONS,
    PROVISION_TYPES,
    ProvisionType,
    provision_types,
    supply_matrix,
)
from nabij.divisions.status_quo import status_quo, status_quo_all

__all__ = [
    "DEFAULT_PROVISIONS",
    "PROVISION_TYPES",
    "Division",
    "ProvisionType",
    "dekkend_division",
    "funderend_division",
    "fusie_division",
    "jeugdregio_division",
    "provision_types",
    "read_custom",
    "region_provisions",
    "status_quo",
    "status_quo_all",
    "supply_matrix",
]
