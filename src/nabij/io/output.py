"""One output discipline for every command that writes a folder.

``with output_folder(dest, kind="maatstaven") as run: write into run.path`` gives:

- a **fresh sibling temp folder** (``.<name>.tmp-<pid>-<random>``) that replaces ``dest`` in
  renames only when the block finished without error and the result verified;
- **refusal** of an existing ``dest`` that is not a nabij output of the same ``kind``
  (recognised by the checksummed output manifest ``nabij-uitvoer.json``), or that holds files
  nabij did not write or that were edited after writing: nabij never deletes those;
- a **lock** (``.<name>.lock``) against a second writer to the same destination;
- **recovery** of what a killed process left: temp folders are removed; when the process died
  between the two renames (old moved aside, new not yet in place) the old output is restored;
- a **run id** and the **atlas checksum** in the manifest, so outputs that belong together can
  be checked (``report`` refuses measures of another atlas).

On any exception, KeyboardInterrupt included, ``dest`` is left exactly as it was.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nabij.errors import NabijError
from nabij.io.atomic import public_mode
from nabij.io.oserrors import os_reason

MANIFEST = "nabij-uitvoer.json"
FORMAT = "nabij-uitvoer"
VERSION = 1


class OutputError(NabijError):
    """The output folder cannot be written safely (Dutch message)."""


@dataclass
class OutputRun:
    """What a writer gets inside :func:`output_folder`."""

    path: Path
    dest: Path
    kind: str
    run_id: str
    atlas_checksum: str | None = None
    not_for_publication: bool = False
    extra: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------- checksums
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def document_checksum(doc: dict) -> str:
    """sha256 of the canonical JSON of ``doc`` without its ``checksum`` key."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _files(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != MANIFEST:
            out[p.relative_to(root).as_posix()] = sha256_file(p)
    return out


def read_output_manifest(folder: Path) -> dict | None:
    """The output manifest of ``folder`` (checked), or None when there is none."""
    file = Path(folder) / MANIFEST
    if not file.exists():
        return None
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise OutputError(f"{file} is beschadigd ({e})") from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise OutputError(f"{file} is geen nabij-uitvoermanifest")
    if doc.get("checksum") != document_checksum(doc):
        raise OutputError(f"{file} is na het schrijven gewijzigd (controlegetal klopt niet)")
    return doc


def output_problems(folder: Path) -> list[str]:
    """What is wrong with a written output folder (Dutch): edited manifest, edited, missing or
    foreign files, paths outside the folder. Empty when intact."""
    folder = Path(folder)
    try:
        doc = read_output_manifest(folder)
    except OutputError as e:
        return [str(e)]
    if doc is None:
        return [f"{folder / MANIFEST} ontbreekt: {folder} is geen (volledige) nabij-uitvoer"]
    problems = []
    listed = doc.get("files") or {}
    root = folder.resolve()
    for rel, digest in listed.items():
        p = (folder / rel).resolve()
        if not p.is_relative_to(root):
            problems.append(f"{rel}: pad buiten de map {folder}")
        elif not p.is_file():
            problems.append(f"{rel} ontbreekt")
        elif sha256_file(p) != digest:
            problems.append(f"{rel} is na het schrijven gewijzigd")
    for rel in _files(folder):
        if rel not in listed:
            problems.append(f"{rel} is niet door nabij geschreven")
    return problems


def write_output_manifest(run: OutputRun) -> dict:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "kind": run.kind,
        "run_id": run.run_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "atlas_checksum": run.atlas_checksum,
        "niet_voor_publicatie": run.not_for_publication,
        **run.extra,
        "files": _files(run.path),
    }
    doc["checksum"] = document_checksum(doc)
    (run.path / MANIFEST).write_text(json.dumps(doc, indent=1, ensure_ascii=False),
                                     encoding="utf-8")
    return doc


# ----------------------------------------------------------------------------- lock
class _Lock:
    """An exclusive ``flock`` on ``.<name>.lock`` beside the destination (removed after)."""

    def __init__(self, dest: Path) -> None:
        self.path = dest.with_name(f".{dest.name}.lock")
        self.fd: int | None = None

    def acquire(self) -> None:
        for _ in range(20):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.EAGAIN, errno.EACCES):
                    raise OutputError(
                        f"{self.path.parent / self.path.name[1:-5]} wordt al geschreven door "
                        "een ander nabij-proces; wacht tot dat klaar is") from e
                raise
            try:  # the file may have been removed by the previous holder: lock the new one
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
                self.fd = fd
                return
            os.close(fd)
        raise OutputError(f"kan {self.path} niet vergrendelen")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = None


# ----------------------------------------------------------------------------- recovery
def _siblings(dest: Path, tag: str) -> list[Path]:
    return sorted(dest.parent.glob(f".{dest.name}.{tag}-*"))


def recover(dest: Path) -> list[str]:
    """Clean up after killed writers (call with the lock held). Returns what was done."""
    done = []
    olds = _siblings(dest, "old")
    if not dest.exists() and olds:
        os.replace(olds[-1], dest)  # died between the renames: the old output comes back
        done.append(f"vorige uitvoer in {dest} teruggezet")
        olds = olds[:-1]
    for p in _siblings(dest, "tmp") + olds:
        shutil.rmtree(p, ignore_errors=True)
        done.append(f"achtergebleven map {p.name} opgeruimd")
    return done


# ----------------------------------------------------------------------------- checks
def check_destination(dest: Path, kind: str) -> None:
    """Refuse a destination nabij may not replace (Dutch OutputError)."""
    if not dest.exists():
        return
    if not dest.is_dir():
        raise OutputError(f"--out {dest} is een bestand; geef een map op")
    if not any(dest.iterdir()):
        return
    try:
        doc = read_output_manifest(dest)
    except OutputError as e:
        raise OutputError(f"--out {dest}: {e}; nabij overschrijft deze map niet. Kies een "
                          "andere map of verwijder hem zelf.") from e
    if doc is None:
        raise OutputError(f"--out {dest} bestaat al en is geen uitvoer van nabij; nabij "
                          "overschrijft die niet. Kies een lege of nieuwe map.")
    if doc.get("kind") != kind:
        raise OutputError(f"--out {dest} bevat uitvoer van een ander soort "
                          f"('{doc.get('kind')}', niet '{kind}'); kies een andere map.")
    problems = output_problems(dest)
    if problems:
        raise OutputError(
            f"--out {dest} bevat bestanden die nabij niet schreef of die daarna gewijzigd "
            "zijn; nabij verwijdert die niet. Verplaats ze of kies een andere map.",
            problems=[_problem(p) for p in problems])


def _problem(text: str):
    from nabij.errors import Problem

    return Problem(text)


# ----------------------------------------------------------------------------- swap
def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _swap(tmp: Path, dest: Path) -> None:
    """Move ``tmp`` to ``dest``; an old ``dest`` is moved aside first and removed after."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.replace(dest, old)
    try:
        os.replace(tmp, dest)
    except BaseException:
        if old is not None:
            os.replace(old, dest)
        raise
    _fsync_dir(dest.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def output_folder(dest: str | Path, kind: str, *, atlas_checksum: str | None = None,
                  not_for_publication: bool = False, run_id: str | None = None
                  ) -> Iterator[OutputRun]:
    """Write a whole output folder atomically (see the module docstring)."""
    dest = Path(dest).absolute()
    if dest.exists() and not dest.is_dir():
        raise OutputError(f"--out {dest} is een bestand; geef een map op")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"kan map {dest.parent} niet maken: {os_reason(e)}") from e
    if not os.access(dest.parent, os.W_OK | os.X_OK):
        raise OutputError(f"geen schrijfrechten in {dest.parent}")
    lock = _Lock(dest)
    lock.acquire()
    try:
        recover(dest)
        check_destination(dest, kind)
        tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        tmp.mkdir()
        os.chmod(tmp, public_mode() | 0o111)
        run = OutputRun(tmp, dest, kind, run_id or uuid.uuid4().hex[:12], atlas_checksum,
                        not_for_publication)
        try:
            yield run
            write_output_manifest(run)
            bad = output_problems(tmp)
            if bad:
                raise OutputError("de nieuwe uitvoer is onvolledig: " + "; ".join(bad[:5]))
            _swap(tmp, dest)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        lock.release()
