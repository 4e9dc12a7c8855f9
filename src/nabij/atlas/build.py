"""Build an Atlas from a source's TableBundle: type, derive, estimate, validate.

The three builders (synthetic country, real Netherlands, a folder of CSV files) all go
through :func:`build_atlas`. Missing optional tables are derived (adjacency) or estimated
(pupil flows) and labelled ``modelled`` in the provenance.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from nabij.atlas.adjacency import gemeente_adjacency, pc4_adjacency
from nabij.atlas.atlas import Atlas, AtlasMeta
from nabij.atlas.flows import estimate_flows
from nabij.tables import TABLES, TableBundle
from nabij.validation import check_integrity, coerce_table, raise_if

Progress = Callable[[str], None]


def build_atlas(bundle: TableBundle, progress: Progress | None = None) -> Atlas:
    """Turn a source's tables into a validated, immutable Atlas.

    Raises :class:`nabij.errors.InputError` naming file, row and column of every problem.
    """
    step = progress or (lambda _msg: None)
    step("tabellen controleren")
    tables = {}
    problems = []
    for name, df in bundle.tables.items():
        if name not in TABLES:
            continue
        tables[name], p = coerce_table(
            TABLES[name], df, bundle.origin.get(name), bundle.row_offset.get(name, 2)
        )
        problems += p
    raise_if(problems, f"Invoer '{bundle.name}' is ongeldig")
    problems = check_integrity(tables, bundle.origin, bundle.row_offset)
    raise_if(problems, f"Invoer '{bundle.name}' is ongeldig")

    provenance = {k: dict(v) for k, v in bundle.provenance.items()}
    notes = list(bundle.notes)
    if "gemeente_buren" not in tables:
        step("buurgemeenten afleiden")
        tables["gemeente_buren"] = gemeente_adjacency(
            tables["gemeenten"], bundle.geometry, tables["pc4"]
        )
        provenance["gemeente_buren"] = {
            "status": "modelled",
            "source": "afgeleid uit gemeentegrenzen" if bundle.geometry
            else "afgeleid uit ligging van postcodegebieden",
            "notes": ["Gebieden zonder landgrens met de rest van het land (Waddeneilanden, "
                      "Zeeuws-Vlaanderen) zijn via een 'veer'-verbinding gekoppeld aan de "
                      "dichtstbijzijnde gemeente (middelpunt tot middelpunt)."],
        }
    if "pc4_buren" not in tables:
        step("buurpostcodes afleiden")
        tables["pc4_buren"] = pc4_adjacency(tables["pc4"], tables["gemeente_buren"])
        provenance["pc4_buren"] = {
            "status": "modelled",
            "source": "Delaunay-triangulatie van postcodemiddelpunten binnen (buur)gemeenten",
            "notes": [],
        }
    if "stromen" not in tables:
        step("leerlingstromen schatten (zwaartekrachtmodel)")
        tables["stromen"] = estimate_flows(
            tables["pc4"], tables["scholen"], tables.get("leerlingen_woongemeente")
        )
        calibrated = "leerlingen_woongemeente" in tables
        provenance["stromen"] = {
            "status": "modelled",
            "source": "zwaartekrachtmodel per schoolsoort (nabij.atlas.flows)",
            "notes": ["Leerlingstromen woonpostcode -> school zijn geschat, niet waargenomen"
                      + (", en per woongemeente en schoolsoort gekalibreerd op de CBS-aantallen."
                         if calibrated else ".")],
        }
        notes.append("Leerlingstromen zijn gemodelleerd (zwaartekrachtmodel), niet waargenomen.")
    for name in tables:
        provenance.setdefault(name, {"status": "observed", "source": bundle.name, "notes": []})

    step("atlas valideren")
    problems = check_integrity(tables, bundle.origin, bundle.row_offset)
    raise_if(problems, f"Atlas '{bundle.name}' is ongeldig")
    meta = AtlasMeta(
        name=bundle.name,
        reference_year=int(bundle.reference_year),
        provenance=MappingProxyType(provenance),
        sources=tuple(bundle.sources),
        notes=tuple(notes),
    )
    return Atlas(tables, meta, bundle.geometry)
