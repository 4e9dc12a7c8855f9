"""The README stays true: it documents every column of the folder format and the two commands."""

from __future__ import annotations

import re
from pathlib import Path

from nabij.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_readme_documents_every_table_and_column() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for spec in TABLES.values():
        assert f"`{spec.file}`" in readme, spec.file
        section = next(line for line in readme.splitlines() if line.startswith(f"| `{spec.file}`")
                       or f"`{spec.file}`," in line or f", `{spec.file}`" in line)
        if spec.name in ("gemeente_buren", "pc4_buren"):
            continue  # documented together as adjacency tables in docs/mapformaat.md
        cols = set(re.findall(r"`([a-z_0-9]+)`", section))
        missing = [c.name for c in spec.columns if c.name not in cols]
        assert not missing, f"README mist kolommen {missing} van {spec.file}"


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install -e ".[test]"' in readme
    assert "nabij demo" in readme
    assert "python -m pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[test]"' in ci and "python -m pytest" in ci
