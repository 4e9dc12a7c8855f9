"""The statutory SWV areas: Regeling regio-indeling samenwerkingsverbanden passend onderwijs PO
en VO (BWBR0032324), 2015.

The bijlage of the Regeling (version of 2015-04-23) assigns every PC4 to one PO and one VO
samenwerkingsverband, with codes like ``PO2707``; DUO writes them as ``PO 27-07``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from nabij.sources.nl_files import bad_file, read_csv

REGELING_PC4 = "swv_regio_indeling/pc4_swv_regio_indeling_2015.csv"

_RAW_CODE = re.compile(r"(PO|VO)\s*-?\s*(\d{2})\s*-?\s*(\d{2})")


def swv_code(raw: str) -> str | None:
    """``PO2707`` / ``PO-27-07`` / ``PO 27-07`` -> ``PO 27-07``; None for anything else."""
    m = _RAW_CODE.fullmatch(str(raw).strip().upper())
    return f"{m[1]} {m[2]}-{m[3]}" if m else None


def read_regeling(data_dir: Path) -> pd.DataFrame:
    """PC4 -> SWV of the 2015 Regeling: columns pc4, swv_po, swv_vo (DUO format).

    Rows whose SWV is not a code (the Europoort PC4s 3197-3199) get None.
    """
    df = read_csv(data_dir, REGELING_PC4, ["pc4", "swv_po", "swv_vo"], dtype=str)
    out = pd.DataFrame({
        "pc4": df["pc4"].str.strip(),
        "swv_po": df["swv_po"].map(swv_code),
        "swv_vo": df["swv_vo"].map(swv_code),
    })
    wrong = (out["swv_po"].notna() & ~out["swv_po"].str.startswith("PO", na=False)) | (
        out["swv_vo"].notna() & ~out["swv_vo"].str.startswith("VO", na=False))
    if wrong.any():
        raise bad_file(REGELING_PC4, "SWV-code in de verkeerde sectorkolom")
    if out["pc4"].duplicated().any():
        raise bad_file(REGELING_PC4, "postcode komt meer dan eens voor")
    return out
