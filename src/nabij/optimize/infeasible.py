"""Explain, in Dutch, why the constraints of a regionalization cannot be met, and where.

:func:`check_feasible` runs necessary conditions before any search and raises
:class:`InfeasibleError` listing every place a constraint cannot hold, for example::

    regio rond GM0088 Schiermonnikoog kan nooit 10.000 leerlingen halen binnen jeugdregio
    JZ01 (Friesland): dit aaneengesloten deel heeft maar 570 leerlingen

The conditions: each connected piece of each nesting unit (every region lies inside one piece)
holds at least the minimum and every required provision type; no single area or locked group
exceeds the maximum; minimum <= maximum; locked groups stay inside one piece.
"""

from __future__ import annotations

import numpy as np

from nabij.errors import NabijError, Problem
from nabij.io.numbers import nl_int
from nabij.optimize.problem import AreaGraph, Constraints, _components

NEST_WORD = {"jeugdregio": "jeugdregio", "provincie": "provincie"}


class InfeasibleError(NabijError):
    """The constraints of a regionalization cannot be met (problems name where, in Dutch)."""


def fmt(x: float) -> str:
    """Dutch thousands separator: 12345 -> '12.345'."""
    return nl_int(x)


def _piece_name(graph: AreaGraph, idx: np.ndarray) -> str:
    big = int(idx[np.argmax(graph.pupils[idx])])
    if len(idx) == 1:
        return graph.label(big)
    word = {"gemeente": "gemeenten", "pc4": "postcodegebieden"}.get(graph.level, "gebieden")
    return f"{graph.label(big)} (en {len(idx) - 1} andere {word})"


def _nest_text(graph: AreaGraph, nest: str | None, idx: np.ndarray) -> str:
    if nest is None:
        return ""
    code = str(graph.nests[nest][idx[0]])
    name = graph.nest_names.get(nest, {}).get(code)
    label = f"{code} ({name})" if name and name != code else code
    return f" binnen {NEST_WORD.get(nest, nest)} {label}"


def _nest_edges(graph: AreaGraph, nest: str | None) -> np.ndarray:
    e = graph.edges
    if nest is None:
        return e
    lab = graph.nests[nest]
    return e[lab[e[:, 0]] == lab[e[:, 1]]]


def feasibility_problems(graph: AreaGraph, c: Constraints,
                         required_types: tuple[str, ...] = ()) -> list[Problem]:
    """Every necessary condition that fails, as Dutch problems (empty when none fails)."""
    problems: list[Problem] = []
    if c.nest is not None and c.nest not in graph.nests:
        return [Problem(f"de atlas kent geen indeling '{c.nest}' om binnen te blijven")]
    if c.min_pupils < 0:
        problems.append(Problem("het minimum aantal leerlingen mag niet negatief zijn"))
    if c.max_pupils is not None and c.max_pupils < c.min_pupils:
        problems.append(Problem(
            f"het maximum ({fmt(c.max_pupils)}) is kleiner dan het minimum "
            f"({fmt(c.min_pupils)}) leerlingen per regio"))
    total = float(graph.pupils.sum())
    if total < c.min_pupils:
        problems.append(Problem(
            f"alle gebieden samen hebben {fmt(total)} leerlingen, minder dan het minimum "
            f"van {fmt(c.min_pupils)} per regio"))
        return problems
    k, comp = _components(graph.n, _nest_edges(graph, c.nest))
    pup = np.bincount(comp, weights=graph.pupils, minlength=k)
    prov = graph.provides(required_types) if required_types else None
    for piece in range(k):
        idx = np.flatnonzero(comp == piece)
        where = _piece_name(graph, idx)
        nest_txt = _nest_text(graph, c.nest, idx)
        if pup[piece] < c.min_pupils - 1e-9:
            why = "dit aaneengesloten deel heeft maar" if nest_txt else \
                "dit deel is met niets anders verbonden en heeft maar"
            problems.append(Problem(
                f"regio rond {where} kan nooit {fmt(c.min_pupils)} leerlingen halen"
                f"{nest_txt}: {why} {fmt(pup[piece])} leerlingen"))
        if prov is not None:
            have = prov[idx].sum(axis=0)
            missing = [t for t, h in zip(required_types, have, strict=True) if h == 0]
            if missing:
                problems.append(Problem(
                    f"regio rond {where} kan nooit een dekkend netwerk hebben{nest_txt}: "
                    f"er is daar geen {', '.join(missing)}"))
    if c.max_pupils is not None:
        for i in np.flatnonzero(graph.pupils > c.max_pupils + 1e-9):
            problems.append(Problem(
                f"{graph.label(int(i))} heeft alleen al {fmt(graph.pupils[i])} leerlingen, "
                f"meer dan het maximum van {fmt(c.max_pupils)} per regio"))
    for group in c.locked:
        g = np.asarray(sorted(set(group)), dtype=np.int64)
        if len(g) < 2:
            continue
        if len(np.unique(comp[g])) > 1:
            where = _piece_name(graph, g)
            reason = f"over de grens van de {NEST_WORD.get(c.nest, c.nest)} heen" if c.nest \
                else "in delen van de kaart die niet verbonden zijn"
            problems.append(Problem(
                f"vergrendelde groep rond {where} kan niet in één regio: ze ligt {reason}"))
        elif c.max_pupils is not None and graph.pupils[g].sum() > c.max_pupils + 1e-9:
            problems.append(Problem(
                f"vergrendelde groep rond {_piece_name(graph, g)} heeft samen "
                f"{fmt(graph.pupils[g].sum())} leerlingen, meer dan het maximum van "
                f"{fmt(c.max_pupils)}"))
    return problems


def largest_feasible_minimum(graph: AreaGraph, nest: str | None = None) -> float:
    """The largest minimum the pieces of the map allow (pupils of the smallest piece)."""
    k, comp = _components(graph.n, _nest_edges(graph, nest))
    return float(np.bincount(comp, weights=graph.pupils, minlength=k).min()) if k else 0.0


def check_feasible(graph: AreaGraph, c: Constraints,
                   required_types: tuple[str, ...] = ()) -> None:
    """Raise :class:`InfeasibleError` when a necessary condition fails."""
    problems = feasibility_problems(graph, c, required_types)
    if problems:
        raise InfeasibleError("De randvoorwaarden voor de regio-indeling zijn niet te halen",
                              problems)


def search_failed(violations: list[str]) -> InfeasibleError:
    """The error when no search found a division meeting every constraint."""
    problems = [Problem(v) for v in violations] or [Problem(
        "geen enkele poging leverde een indeling op die aan alle randvoorwaarden voldoet "
        "(probeer een lager minimum, een hoger maximum of meer tijd)")]
    return InfeasibleError("Geen regio-indeling gevonden die aan alle randvoorwaarden voldoet",
                           problems)
