"""RMC regions (Regionaal Meld- en Coördinatiepunt, 39) per gemeente, for the real Netherlands.

Source: ``regioatlas_2016/Sociaal_rmcregiosregionaalmeldencoordinatiepunt.csv`` (BZK regioatlas,
March 2016; semicolon-separated, UTF-8 with BOM; columns Gemeente; CBS; RMC-regio's …). The file
lists the 390 gemeenten of 2016; they are carried forward to the gemeenten of the atlas with the
CBS mergers and splits of ``cbs_speciaal_onderwijs_gemeente/samenvoegingen.csv`` and
``opsplitsingen.csv``: a gemeente of today gets the RMC region of most of its predecessors (ties:
the first in code order). The RMC regions themselves may have changed since 2016; the atlas
labels the column as from 2016.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

RMC_FILE = "regioatlas_2016/Sociaal_rmcregiosregionaalmeldencoordinatiepunt.csv"
MERGES = "cbs_speciaal_onderwijs_gemeente/samenvoegingen.csv"
SPLITS = "cbs_speciaal_onderwijs_gemeente/opsplitsingen.csv"


def _code(x: object) -> str:
    return f"GM{int(str(x).strip()):04d}"


def read_rmc(data_dir: Path, gemeenten: pd.Index) -> pd.Series | None:
    """Gemeente code (of ``gemeenten``) -> RMC region name; None when the file is absent."""
    path = Path(data_dir) / RMC_FILE
    if not path.exists():
        return None
    df = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
    rmc = dict(zip(df["CBS"].map(_code), df.iloc[:, 2].str.strip(), strict=True))
    successors: dict[str, set[str]] = {}
    for name in (MERGES, SPLITS):
        f = Path(data_dir) / name
        if f.exists():
            ch = pd.read_csv(f, dtype=str).sort_values("jaar")
            for old, new in zip(ch["code_oud"].map(_code), ch["code_nieuw"].map(_code),
                                strict=True):
                if old != new:
                    successors.setdefault(old, set()).add(new)

    def final(code: str, depth: int = 0) -> set[str]:
        nxt = successors.get(code)
        if not nxt or depth > 20:
            return {code}
        return set().union(*(final(n, depth + 1) for n in nxt))

    votes: dict[str, Counter] = {}
    for old, region in sorted(rmc.items()):
        for new in final(old):
            votes.setdefault(new, Counter())[region] += 1
    out = {g: votes[g].most_common(1)[0][0] for g in gemeenten if g in votes}
    return pd.Series(out, name="rmc").reindex(gemeenten)
