"""Save/load an Atlas as a folder: one Parquet file per table, GeoJSON, manifest.json.

Writes go through :func:`nabij.io.output_folder` (kind ``atlas``): a temporary folder beside
the target replaces it only when complete; a folder that is not an atlas is never replaced.
The manifest carries a checksum over its own content (``checksum``, also the atlas'
identity that measures and reports refer to) and only plain file names inside the store.
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
from nabij.io.atomic import public_mode
from nabij.io.output import document_checksum, output_folder


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
    """Write an atlas (its tables, meta and geometry) to ``path`` (a folder) atomically,
    through :func:`nabij.io.output_folder` (kind ``atlas``): a folder that is not an atlas
    written by nabij, or holds files nabij did not write, is never replaced."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise StoreError(f"map {path} bestaat al; kies een andere map of sta overschrijven toe")
    with output_folder(path, kind="atlas") as run:
        manifest = _write_parts(atlas, run.path)
        run.atlas_checksum = manifest["checksum"]
    return path


def _write_parts(atlas: StoredAtlas, tmp: Path) -> dict:
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
    manifest["checksum"] = document_checksum(manifest)
    with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
    return manifest


def atlas_checksum(path: Path) -> str:
    """The identity of a stored atlas: the checksum of its (checked) manifest."""
    return str(read_manifest(path)["checksum"])


def _store_file(path: Path, name: object, manifest_file: Path) -> Path:
    """``path / name`` when ``name`` is a plain file name inside the store, else StoreError."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name \
            or name in (".", "..") or Path(name).is_absolute():
        raise StoreError(f"{manifest_file}: bestandsnaam {name!r} ligt buiten de atlasmap")
    return Path(path) / name


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
    if "checksum" not in manifest:
        raise StoreError(f"{file} heeft geen controlegetal (gemaakt met een oudere nabij); "
                         "maak de atlas opnieuw")
    if manifest["checksum"] != document_checksum(manifest):
        raise StoreError(f"{file} is na het opslaan gewijzigd (controlegetal van het manifest "
                         "klopt niet)")
    for entry in (manifest.get("tables") or {}).values():
        _store_file(path, entry.get("file"), file)
    if manifest.get("geometry"):
        _store_file(path, manifest["geometry"].get("file"), file)
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


__all__ = ["write_store", "read_store", "read_manifest", "atomic_dir", "atlas_checksum"]
