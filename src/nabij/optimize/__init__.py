"""Optimale schaal: find the best division into regions under hard constraints.

Estimator-style API::

    from nabij.optimize import Regionalizer
    result = Regionalizer(sector="PO", min_pupils=12_000, objective="evenwichtig").fit(atlas)
    result.division      # a nabij.divisions.Division named "optimaal"

Modules: :mod:`~nabij.optimize.problem` (area graph, constraints), :mod:`~.objective`
(documented objective, presets, incremental evaluation), :mod:`~.heuristic` (construction +
tabu search + recombination), :mod:`~.exact` (CP-SAT), :mod:`~.infeasible` (Dutch
explanations), :mod:`~.regionalizer` (the front door).
"""

from nabij.optimize.exact import solve_exact
from nabij.optimize.heuristic import HeuristicSolver, SolveResult, violations
from nabij.optimize.infeasible import InfeasibleError, check_feasible
from nabij.optimize.objective import PRESETS, ObjectiveModel, State, Weights, heterogeneity
from nabij.optimize.problem import (
    AreaGraph,
    Constraints,
    Instance,
    area_graph,
    compile_instance,
    grid_graph,
)
from nabij.optimize.regionalizer import OptimizeResult, Regionalizer

__all__ = [
    "PRESETS",
    "AreaGraph",
    "Constraints",
    "HeuristicSolver",
    "InfeasibleError",
    "Instance",
    "ObjectiveModel",
    "OptimizeResult",
    "Regionalizer",
    "SolveResult",
    "State",
    "Weights",
    "area_graph",
    "check_feasible",
    "compile_instance",
    "grid_graph",
    "heterogeneity",
    "solve_exact",
    "violations",
]
