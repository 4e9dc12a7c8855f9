"""The fund and transport outputs use the shared writers of :mod:`nabij.io.writers`."""

from __future__ import annotations

from nabij.io.writers import MONEY_HINTS, write_csv, write_json, write_tables, write_xlsx

__all__ = ["MONEY_HINTS", "write_csv", "write_json", "write_tables", "write_xlsx"]
