"""Save/load an Atlas as a folder: one Parquet file per table, GeoJSON, manifest.json.

Writes are atomic: everything goes to a hidden temporary folder beside the target, which
replaces the target only when complete. A failed write leaves the previous store as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import shapely
from shapely.geometry import mapping

from nabij.errors import StoreError
from nabij.fileio import public_mode


class StoredAtlas(Protocol):
    """What the store writes: an Atlas's tables, meta and geometry (no import of Atlas, so
    ``atlas.py`` -> ``store.py`` is the only direction)."""

    @property
    def tables(self) -> Mapping[str, pd.DataFrame]: ...

    @property
    def meta(self) -> Any: ...

    @property
    def geometry(self) -> Mapping | None: ...


FORMAT = "nabij-atlas"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
GEOMETRY_FILE = "gemeenten.geojson"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def atomic_dir(target: Path):
    """Context manager yielding a temp folder that replaces ``target`` on success."""
    return _AtomicDir(target)


class _AtomicDir:
    def __init__(self, target: Path) -> None:
        self.target = Path(target)

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.tmp-",
                                         dir=self.target.parent))
        os.chmod(self.tmp, public_mode() | 0o111)  # a normal folder once renamed into place
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        backup = None
        if self.target.exists():
            backup = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
            os.replace(self.target, backup)
        try:
            os.replace(self.tmp, self.target)
        except BaseException:
            if backup is not None:
                os.replace(backup, self.target)
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)


def write_store(atlas: StoredAtlas, path: Path, overwrite: bool = True) -> Path:
    """Write an atlas (its tables, meta and geometry) to ``path`` (a folder) atomically."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise StoreError(f"map {path} bestaat al; kies een andere map of sta overschrijven toe")
    if path.exists() and not (path / MANIFEST).exists() and any(path.iterdir()):
        raise StoreError(
            f"map {path} bestaat al en is geen atlas; nabij overschrijft die niet")
    with atomic_dir(path) as tmp:
        entries = {}
        for name, df in atlas.tables.items():
            file = f"{name}.parquet"
            df.to_parquet(tmp / file, index=False)
            entries[name] = {
                "file": file,
                "rows": int(len(df)),
                "sha256": _sha256(tmp / file),
                "provenance": dict(atlas.meta.provenance.get(name, {"status": "modelled"})),
            }
        geometry = None
        if atlas.geometry:
            features = [
                {"type": "Feature", "properties": {"gemeente": code},
                 "geometry": mapping(geom)}
                for code, geom in atlas.geometry.items()
            ]
            with open(tmp / GEOMETRY_FILE, "w", encoding="utf-8") as f:
                json.dump({"type": "FeatureCollection", "features": features}, f)
            geometry = {"file": GEOMETRY_FILE, "sha256": _sha256(tmp / GEOMETRY_FILE)}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "meta": atlas.meta.to_dict(),
            "tables": entries,
            "geometry": geometry,
        }
        with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2, ensure_ascii=False)
    return path


def read_manifest(path: Path) -> dict:
    """Read and check the manifest of a stored Atlas."""
    file = Path(path) / MANIFEST
    if not Path(path).is_dir():
        raise StoreError(f"atlasmap {path} bestaat niet")
    if not file.exists():
        raise StoreError(f"{file} ontbreekt: {path} is geen opgeslagen atlas")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise StoreError(f"{file} is beschadigd: {e}") from e
    if manifest.get("format") != FORMAT:
        raise StoreError(f"{file}: onbekend formaat {manifest.get('format')!r}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{file}: formaatversie {manifest.get('format_version')} wordt niet ondersteund "
            f"(deze versie van nabij leest versie {FORMAT_VERSION})")
    return manifest


def read_store(path: Path, validate: bool = True
               ) -> tuple[dict[str, pd.DataFrame], dict, dict | None]:
    """Tables, meta (as a dict) and geometry of a stored atlas; checksums verified, tables
    (optionally) validated. :meth:`nabij.atlas.Atlas.load` makes the Atlas of them."""
    path = Path(path)
    manifest = read_manifest(path)
    tables: dict[str, pd.DataFrame] = {}
    for name, entry in manifest["tables"].items():
        file = path / entry["file"]
        if not file.exists():
            raise StoreError(f"{file} ontbreekt in de atlas")
        if _sha256(file) != entry["sha256"]:
            raise StoreError(f"{file} is gewijzigd of beschadigd (controlegetal klopt niet)")
        tables[name] = pd.read_parquet(file)
    geometry = None
    if manifest.get("geometry"):
        file = path / manifest["geometry"]["file"]
        if not file.exists() or _sha256(file) != manifest["geometry"]["sha256"]:
            raise StoreError(f"{file} ontbreekt of is beschadigd")
        data = json.loads(file.read_text(encoding="utf-8"))
        geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in data["features"]]) \
            if data["features"] else []
        geometry = {
            f["properties"]["gemeente"]: g for f, g in zip(data["features"], geoms, strict=True)
        }
        if not geometry:
            geometry = None
    if validate:
        from nabij.tables import TABLES
        from nabij.validation import check_integrity, coerce_table, raise_if

        problems = []
        origin = {n: e["file"] for n, e in manifest["tables"].items()}
        for name, df in tables.items():
            if name in TABLES:
                tables[name], p = coerce_table(TABLES[name], df, origin[name], row_offset=1)
                problems += p
        problems += check_integrity(tables, origin, {n: 1 for n in tables})
        raise_if(problems, f"Atlas in {path} is ongeldig")
    return tables, manifest["meta"], geometry


__all__ = ["write_store", "read_store", "read_manifest", "atomic_dir"]
