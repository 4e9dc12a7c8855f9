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
    """The quick start is exactly `make demo` and `make test`, and CI runs the same targets."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Snel aan de slag", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln.split("#", 1)[0].strip() for ln in quick.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert 'pip install --quiet -e ".[test]"' in makefile
    assert "nabij demo" in makefile and "-m pytest" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make demo" in ci and "make test" in ci
