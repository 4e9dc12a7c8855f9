"""CBS readers: kerncijfers per PC4 (2024, 2023) and pupils by home gemeente (85701NED).

Both are read from the CSV files of the data folder (``cbs_pc4/*_kern.csv`` are straight
extracts of the CBS xlsx files with the secret value -99997 blanked).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nabij.errors import InputError
from nabij.sources.nl_files import bad_file, read_csv

PC4_2024 = "cbs_pc4/cbs_pc4_2024_kern.csv"
PC4_2023 = "cbs_pc4/cbs_pc4_2023_kern.csv"
PUPILS = "cbs_speciaal_onderwijs_gemeente/speciaal_onderwijs.csv"
PUPIL_COUNT = "Leerlingen/studenten (aantal)"

COUNT_COLUMNS = ["inwoners", "inw_0_14", "inw_15_24"]
CONTEXT_COLUMNS = ["hh_eenouder", "hh_tweeouder", "uitkering_ww_bijstand_ao", "stedelijkheid"]

ONDERWIJSSOORT = {
    "Basisonderwijs": "BAO",
    "Speciaal basisonderwijs": "SBO",
    "Speciaal onderwijs": "SO",
    "Voortgezet speciaal ondewijs": "VSO",  # sic, as CBS spells it in this extract
    "Voortgezet speciaal onderwijs": "VSO",
    "Totaal voortgezet onderwijs": "VO",
}
"""CBS 85701NED onderwijssoort -> school type (VO still includes praktijkonderwijs)."""

NOT_A_GEMEENTE = "Gemeenten; niet in te delen"


def read_pc4_kern(data_dir: Path) -> tuple[pd.DataFrame, int]:
    """CBS kerncijfers per PC4 on 1 January 2024, context gaps filled from 2023.

    Returns the frame (pc4, inwoners, inw_0_14, inw_15_24, hh_eenouder, hh_tweeouder,
    uitkering_ww_bijstand_ao, stedelijkheid; blanks stay NaN) and the number of context
    cells taken from 2023.
    """
    cols = ["pc4", *COUNT_COLUMNS, *CONTEXT_COLUMNS]
    k24 = read_csv(data_dir, PC4_2024, cols, dtype={"pc4": str})[cols]
    k24["pc4"] = k24["pc4"].str.strip()
    if not k24["pc4"].str.fullmatch(r"[1-9]\d{3}").all() or k24["pc4"].duplicated().any():
        raise bad_file(PC4_2024, "ongeldige of dubbele postcodes in kolom 'pc4'")
    filled = 0
    try:
        k23 = read_csv(data_dir, PC4_2023, ["pc4", *CONTEXT_COLUMNS], dtype={"pc4": str})
    except InputError:  # the 2023 file only fills gaps; without it the gaps stay blank
        k23 = None
    if k23 is not None:
        old = k23.assign(pc4=k23["pc4"].str.strip()).set_index("pc4")[CONTEXT_COLUMNS]
        old = old[~old.index.duplicated()].reindex(k24["pc4"])
        for c in CONTEXT_COLUMNS:
            gap = k24[c].isna().to_numpy() & old[c].notna().to_numpy()
            k24.loc[gap, c] = old[c].to_numpy()[gap]
            filled += int(gap.sum())
    for c in cols[1:]:
        k24[c] = pd.to_numeric(k24[c], errors="coerce")
    return k24, filled


def read_pupils_by_gemeente(data_dir: Path) -> tuple[pd.DataFrame, str, dict[str, int]]:
    """Pupils by home gemeente name and school type for the latest school year in the file.

    Returns a wide frame (index: gemeente name as CBS writes it; columns BAO, SBO, SO, VSO,
    VO; empty cells of existing gemeenten count as 0), the period label (``2023/'24*``) and
    the pupils per type of the region "Gemeenten; niet in te delen".
    """
    value = PUPIL_COUNT
    df = read_csv(data_dir, PUPILS, ["Onderwijssoort", "Perioden", "Regiokenmerken", value],
                  sep=";", encoding="utf-8-sig")
    df["Onderwijssoort"] = df["Onderwijssoort"].astype(str).str.strip()
    df["Perioden"] = df["Perioden"].astype(str).str.strip()
    df["Regiokenmerken"] = df["Regiokenmerken"].astype(str).str.strip()
    if "Geslacht" in df.columns:
        df = df[df["Geslacht"].astype(str).str.startswith("Totaal")]
    periods = sorted(df["Perioden"].unique(), key=lambda p: p[:4])
    if not periods:
        raise bad_file(PUPILS, "geen perioden gevonden")
    period = periods[-1]
    cur = df[(df["Perioden"] == period) & df["Onderwijssoort"].isin(ONDERWIJSSOORT)].copy()
    cur["soort"] = cur["Onderwijssoort"].map(ONDERWIJSSOORT)
    cur[value] = pd.to_numeric(cur[value], errors="coerce")
    # regions with no figure at all in this period are former gemeenten: drop them
    alive = cur.groupby("Regiokenmerken")[value].transform("count") > 0
    wide = (cur[alive].pivot_table(index="Regiokenmerken", columns="soort", values=value,
                                   aggfunc="sum", fill_value=0.0)
            .reindex(columns=["BAO", "SBO", "SO", "VSO", "VO"], fill_value=0.0)
            .fillna(0.0).round().astype(int))
    rest = wide.loc[NOT_A_GEMEENTE] if NOT_A_GEMEENTE in wide.index else None
    unassigned = {k: int(v) for k, v in rest.items()} if rest is not None else {}
    wide = wide.drop(index=NOT_A_GEMEENTE, errors="ignore")
    wide.columns.name = None
    return wide, period, unassigned
