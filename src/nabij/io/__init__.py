"""Leaf layer for files: user CSV reading, atomic and spreadsheet-safe writers, whole output
folders (:func:`output_folder`), the Dutch number formatter and Dutch labels."""

from nabij.io.atomic import atomic_write, atomic_write_bytes, atomic_write_text, public_mode
from nabij.io.cells import csv_safe, csv_safe_frame, is_dangerous
from nabij.io.labels import PROVENANCE_LABELS, provenance_label
from nabij.io.numbers import nl_auto, nl_euro, nl_int, nl_km, nl_number, nl_percent
from nabij.io.output import OutputError, OutputRun, output_folder, output_problems

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "public_mode",
           "csv_safe", "csv_safe_frame", "is_dangerous", "PROVENANCE_LABELS",
           "provenance_label", "nl_auto", "nl_euro", "nl_int", "nl_km", "nl_number",
           "nl_percent", "OutputError", "OutputRun", "output_folder", "output_problems"]
