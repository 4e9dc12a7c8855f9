"""Measures of divisions: size, drukte, grensverkeer, dekkend netwerk, thuisnabijheid,
congruentie, doorgaande lijn, verandering and verschillen — and their output folder."""

from nabij.measures.engine import (
    DivisionMeasures,
    MeasureSet,
    all_definitions,
    measure_all,
    slugify,
)
from nabij.measures.output import to_json_dict, write_measures

__all__ = [
    "DivisionMeasures",
    "MeasureSet",
    "all_definitions",
    "measure_all",
    "slugify",
    "to_json_dict",
    "write_measures",
]
