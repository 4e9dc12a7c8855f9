"""Data flows one way: no package imports from a package further down the flow."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "nabij"

# Lower rank = earlier in the flow. A module may import only from its own rank or lower.
RANK = {
    "tables": 0, "errors": 0, "privacy": 0, "validation": 0, "fileio": 0, "defaults": 0,
    "sectors": 0, "io": 0,
    "sources": 1,
    "atlas": 2,
    "divisions": 3,
    "measures": 4,
    "optimize": 5,
    "fund": 6, "transport": 6, "monitor": 6, "casework": 6,
    "scenarios": 7,
    "report": 8,
    "cli": 9, "web": 9, "__main__": 9,
}


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nabij."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("nabij.")}
    return found


def test_no_module_reaches_back_up_the_flow() -> None:
    bad = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        own = rel.parts[0].removesuffix(".py")
        if own == "__init__":
            continue
        assert own in RANK, f"nieuwe map/module {own}: geef hem een plaats in RANK"
        for mod in _imports(path):
            layer = _layer(mod)
            if RANK.get(layer, -1) > RANK[own]:
                bad.append(f"{rel} importeert {mod}")
    assert not bad, "\n".join(bad)
