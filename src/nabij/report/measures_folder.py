"""Read a measures folder (written by ``nabij scenario compare``) for the report.

Contract (see the scenario engine): ``measures.json`` plus per division ``indelingen/<slug>.csv``
(pc4, regio, regio_naam), ``thuisnabijheid/<slug>.csv`` (pc4, kinderen, afstand_<type>,
afstand_eigen_<type>) and ``grensverkeer/<slug>.csv`` (van, naar, leerlingen).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nabij.errors import InputError, Problem
from nabij.privacy import DEFAULT_THRESHOLD

FORMAT = "nabij-measures"


@dataclass
class DivisionResult:
    """One measured division: summary, regions and the per-division tables."""

    name: str
    slug: str
    sector: str
    recipe: dict
    summary: dict
    regions: list[dict]
    assignment: pd.DataFrame | None = None
    thuisnabijheid: pd.DataFrame | None = None
    grensverkeer: pd.DataFrame | None = None

    @property
    def n_regions(self) -> int:
        if self.assignment is not None:
            return int(self.assignment["regio"].nunique())
        return len(self.regions)

    @property
    def is_status_quo(self) -> bool:
        text = " ".join(str(v) for v in (self.slug, self.name, self.recipe.get("builder", ""),
                                         self.recipe.get("bouwer", ""))).lower()
        return "status" in text and ("quo" in text or "huidig" in text) or "status_quo" in text

    def region_names(self) -> dict[str, str]:
        names = {str(r.get("regio")): str(r.get("naam") or r.get("regio")) for r in self.regions}
        if self.assignment is not None and "regio_naam" in self.assignment:
            for code, naam in self.assignment.drop_duplicates("regio")[
                    ["regio", "regio_naam"]].itertuples(index=False):
                names.setdefault(str(code), str(naam))
        return names


@dataclass
class Measures:
    """Everything in one measures folder."""

    path: Path
    atlas: dict
    drempel: int
    definities: dict[str, dict]
    divisions: list[DivisionResult] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    flows_modelled: bool | None = None
    references: dict[str, dict] = field(default_factory=dict)
    """Sector -> {"naam", "summary"}: e.g. the status quo PO and VO together for PO+VO."""
    stamp: dict = field(default_factory=dict)
    """``run_id``, ``atlas_checksum`` and ``onderdrukt`` of the run that wrote the measures."""

    def definition(self, key: str) -> dict:
        """The definition of a measure, with a fallback label when it is undocumented."""
        d = self.definities.get(key)
        if d:
            return d
        return {"label": key.replace("_", " ").capitalize(), "definitie": "", "eenheid": "",
                "beter": None, "gemodelleerd": False}

    def summary_keys(self) -> list[str]:
        """Summary measures in definition order, then any others in first-seen order."""
        seen: list[str] = []
        for d in self.divisions:
            for k in d.summary:
                if k not in seen:
                    seen.append(k)
        ordered = [k for k in self.definities if k in seen]
        return ordered + [k for k in seen if k not in ordered]

    def region_keys(self) -> list[str]:
        """Region measures in definition order, then any others in first-seen order."""
        cached = getattr(self, "_region_keys", None)
        if cached is not None:
            return list(cached)
        seen: list[str] = []
        for d in self.divisions:
            for r in d.regions:
                for k in r:
                    if k not in seen and k not in ("regio", "naam"):
                        seen.append(k)
        ordered = [k for k in self.definities if k in seen]
        self._region_keys = ordered + [k for k in seen if k not in ordered]
        return list(self._region_keys)


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        return pd.read_csv(path, dtype={"pc4": str, "regio": str, "van": str, "naar": str},
                           keep_default_na=True)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"{path} is geen leesbaar CSV-bestand",
                         [Problem(str(e), file=str(path))]) from e


def load_measures(path: str | Path, tables: bool = True) -> Measures:
    """Load ``measures.json`` (and, with ``tables``, the per-division CSVs) from ``path``."""
    path = Path(path)
    file = path / "intern" / "measures.json"
    if not file.exists() and (path / "measures.json").exists():
        file = path / "measures.json"  # folders written before measures moved to intern/
    if not file.exists():
        raise InputError(f"{file} ontbreekt: maak de maatstaven eerst met "
                         "'nabij scenario compare --atlas … --out {path}'")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{file} is geen geldige JSON", [Problem(str(e), file=str(file))]) from e
    if data.get("format") != FORMAT:
        raise InputError(f"{file}: onbekend formaat {data.get('format')!r} "
                         f"(verwacht '{FORMAT}')")
    problems = []
    divisions = []
    for i, d in enumerate(data.get("divisions") or []):
        missing = [k for k in ("name", "slug") if not d.get(k)]
        if missing:
            problems.append(Problem(f"indeling {i + 1} mist {', '.join(missing)}", file=str(file)))
            continue
        slug = str(d["slug"])
        div = DivisionResult(
            name=str(d["name"]), slug=slug, sector=str(d.get("sector") or ""),
            recipe=dict(d.get("recipe") or {}), summary=dict(d.get("summary") or {}),
            regions=[dict(r) for r in d.get("regions") or []],
        )
        if tables:
            div.assignment = _read_csv(path / "indelingen" / f"{slug}.csv")
            div.thuisnabijheid = _read_csv(path / "thuisnabijheid" / f"{slug}.csv")
            div.grensverkeer = _read_csv(path / "grensverkeer" / f"{slug}.csv")
        divisions.append(div)
    if not divisions and not problems:
        problems.append(Problem("geen indelingen gevonden", file=str(file)))
    if problems:
        raise InputError(f"{file} is onvolledig", problems)
    return Measures(
        path=path, atlas=dict(data.get("atlas") or {}),
        drempel=int(data.get("drempel") or DEFAULT_THRESHOLD),
        definities={str(k): dict(v) for k, v in (data.get("definities") or {}).items()},
        divisions=divisions,
        parameters=dict(data.get("parameters") or {}),
        flows_modelled=data.get("stromen_gemodelleerd"),
        references={str(k): dict(v) for k, v in (data.get("referenties") or {}).items()},
        stamp={k: data[k] for k in ("run_id", "atlas_checksum", "onderdrukt") if k in data},
    )
