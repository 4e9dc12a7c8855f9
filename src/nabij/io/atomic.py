"""Atomic file writes: write to a temporary file beside the target, then ``os.replace``.

A reader never sees half a file, and a failed write leaves the old file (if any) intact and no
temporary file behind. Written files get normal permissions (``0o666`` minus the umask), not the
``0o600`` that :func:`tempfile.mkstemp` gives.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def public_mode() -> int:
    """File mode for published files: 0o666 minus the umask (0o644 under the usual umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` for a temporary path in the target folder, then move it to ``path``.

    Parent folders are created. On any exception the temporary file is removed and the
    exception re-raised; an existing file at ``path`` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, public_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` as is (no newline translation) atomically."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding=encoding, newline="") as f:
            f.write(text)

    return atomic_write(path, write)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


@contextmanager
def files_together(folder: str | Path) -> Iterator[Path]:
    """A temporary folder beside ``folder``'s files: write a set of files into it; when the
    block succeeds each is moved over its namesake in ``folder``, one ``os.replace`` after
    another, with nothing left to compute in between. When the block fails no file in
    ``folder`` has changed and the temporary folder is gone."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".nabij-samen-", dir=folder))
    try:
        yield tmp
        for f in sorted(tmp.iterdir()):
            if f.is_file():
                os.chmod(f, public_mode())
                os.replace(f, folder / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
