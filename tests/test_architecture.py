"""Data flows one way: no package imports from a package further down the flow.

The checker (:func:`check_tree`) reads every module of a source tree with ``ast`` and reports
imports that run up the flow (``import nabij.x``, ``from nabij.x import y`` and
``from nabij import x`` alike, also inside functions), modules whose layer has no rank, and
import cycles between modules (also through lazy imports inside functions).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nabij"

# Lower rank = earlier in the flow. A module may import only from its own rank or lower.
RANK = {
    "tables": 0, "errors": 0, "privacy": 0, "validation": 0, "fileio": 0, "defaults": 0,
    "sectors": 0, "io": 0, "geodesy": 0, "parallel": 0,
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


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = [root.name, *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (never run, so no flow)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skip


def _imports(path: Path, package: str, own: str, modules: set[str]) -> set[str]:
    """Absolute module names imported by a module (relative imports resolved; ``from a
    import b`` counts as importing ``a.b`` when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    found = set()
    base = own.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:
                mod = ".".join(base[: len(base) - node.level + 1] + ([mod] if mod else []))
            if mod != package and not mod.startswith(package + "."):
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                found.add(sub if sub in modules or mod == package else mod)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def check_tree(root: Path, rank: dict[str, int] = RANK) -> list[str]:
    """Every violation of the one-way flow in the package at ``root`` (Dutch messages)."""
    package = root.name
    bad: list[str] = []
    graph = nx.DiGraph()
    paths = sorted(root.rglob("*.py"))
    modules = {_module_name(root, p) for p in paths}
    for path in paths:
        own = _module_name(root, path)
        layer = _layer(own)
        if layer == "__init__":
            continue
        if layer not in rank:
            bad.append(f"{path.relative_to(root)}: laag '{layer}' heeft geen plaats in RANK")
            continue
        graph.add_node(own)
        for mod in _imports(path, package, own, modules):
            target = _layer(mod)
            if target == "__init__":
                continue
            if target not in rank:
                bad.append(f"{path.relative_to(root)} importeert {mod}: onbekende laag")
            elif rank[target] > rank[layer]:
                bad.append(f"{path.relative_to(root)} importeert {mod} (stroomopwaarts: "
                           f"{layer} {rank[layer]} < {target} {rank[target]})")
            graph.add_edge(own, mod)
    for cycle in nx.simple_cycles(graph.subgraph(modules)):
        bad.append("importkring: " + " -> ".join([*cycle, cycle[0]]))
    return bad


def test_no_module_reaches_back_up_the_flow() -> None:
    bad = check_tree(SRC)
    assert not bad, "\n".join(bad)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "nabij"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


GOOD = {"__init__.py": "", "tables.py": "", "atlas/__init__.py": "",
        "atlas/atlas.py": "from nabij.tables import X\n",
        "report/__init__.py": "", "report/html.py": "from nabij.atlas.atlas import Atlas\n"}


def test_checker_accepts_a_clean_tree(tmp_path: Path) -> None:
    assert check_tree(_tree(tmp_path, GOOD)) == []


@pytest.mark.parametrize("bad_file, expect", [
    ("from nabij.report.html import render\n", "stroomopwaarts"),
    ("from nabij import report\n", "stroomopwaarts"),
    ("import nabij.report.html\n", "stroomopwaarts"),
    ("def f():\n    from nabij.report import html\n", "stroomopwaarts"),
    ("from nabij.nieuw import x\n", "onbekende laag"),
])
def test_checker_fails_on_an_import_up_the_flow(tmp_path: Path, bad_file: str,
                                                expect: str) -> None:
    root = _tree(tmp_path, GOOD | {"atlas/bad.py": bad_file})
    bad = check_tree(root)
    assert len(bad) == 1 and expect in bad[0], bad


def test_checker_fails_on_an_unranked_layer_and_a_cycle(tmp_path: Path) -> None:
    root = _tree(tmp_path, GOOD | {"nieuw.py": "", "atlas/store.py":
                                   "def f():\n    from nabij.atlas.atlas import Atlas\n",
                                   "atlas/atlas.py": "from nabij.atlas.store import f\n"})
    bad = check_tree(root)
    assert any("laag 'nieuw'" in b for b in bad), bad
    assert any(b.startswith("importkring") and "nabij.atlas.store" in b for b in bad), bad


def test_transport_does_not_import_fund() -> None:
    """Shared pieces (units, writers, positions) live below both; the fund reads transport's
    savings, never the other way round."""
    root = SRC / "transport"
    modules = {_module_name(SRC, p) for p in SRC.rglob("*.py")}
    bad = [f"{p.name}: {m}" for p in root.rglob("*.py")
           for m in _imports(p, "nabij", _module_name(SRC, p), modules)
           if m == "nabij.fund" or m.startswith("nabij.fund.")]
    assert not bad, bad
