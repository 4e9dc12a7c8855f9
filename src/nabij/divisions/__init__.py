"""Divisions: PC4 -> region assignments, and the scenario builders that produce them."""

from nabij.divisions.division import Division

__all__ = ["Division"]
