"""Moved to :mod:`nabij.io.atomic`; kept so older imports keep working."""

from nabij.io.atomic import atomic_write, atomic_write_bytes, atomic_write_text, public_mode

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "public_mode"]
