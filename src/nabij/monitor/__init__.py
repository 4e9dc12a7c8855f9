"""The monitor: agreed indicators, their series at any level, targets, expected versus observed,
notes and the half-yearly picture per region. Pure Python/pandas (no Django): the CLI, the report
and later the web application call these functions."""

from nabij.monitor.catalogue import Catalogue, Indicator, load_catalogue
from nabij.monitor.history import PupilHistory, read_cbs_history
from nabij.monitor.series import NATIONAL, NATIONAL_NAME, aggregate, national, unit_weights

__all__ = ["NATIONAL", "NATIONAL_NAME", "Catalogue", "Indicator", "PupilHistory", "aggregate",
           "load_catalogue", "national", "read_cbs_history", "unit_weights"]
