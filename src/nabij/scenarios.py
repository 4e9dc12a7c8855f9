"""Named scenarios: the regio-indelingen of the advice as lists of Divisions.

``SCENARIOS`` maps a scenario name to a :class:`Scenario` (Dutch label, description and a
builder ``(atlas, options) -> list[Division]``). Other modules register more scenarios (e.g.
the optimizer adds ``"optimaal"``) with :func:`register`. ``"custom:<path>"`` reads a CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nabij.atlas import Atlas
from nabij.defaults import (
    FRONT_CHANGE_WEIGHTS,
    FUSIE_MIN_REGION_PUPILS,
    OPTIMIZE_SEED,
    S1_MIN_SHARE,
    SCENARIO_FRONT_TIME_PER_POINT_S,
)
from nabij.divisions import (
    Division,
    dekkend_division,
    funderend_division,
    fusie_division,
    jeugdregio_division,
    read_custom,
    status_quo,
)
from nabij.divisions.bounded import check_codes
from nabij.divisions.natural import NATURAL_SHARE, natural_funderend
from nabij.divisions.provision import (
    DEFAULT_ASSUME_CLUSTERS,
    RandomSplit,
    cluster_assumption_text,
)
from nabij.errors import InputError, Problem
from nabij.io.numbers import nl_int, nl_number
from nabij.parallel import fork_map
from nabij.sectors import SECTORS


@dataclass(frozen=True)
class ScenarioOptions:
    """Parameters of the built-in scenarios. Only the fusie threshold (10,000) is a default
    from the advice; the other defaults are assumptions of nabij (see nabij.defaults)."""

    fusie_threshold: float = FUSIE_MIN_REGION_PUPILS
    s1_min_share: float = S1_MIN_SHARE
    s1_share: float = NATURAL_SHARE
    fusie_exempt_add: tuple[str, ...] = ()
    fusie_exempt_remove: tuple[str, ...] = ()
    provisions: tuple[str, ...] | None = None
    custom_sector: str | None = None
    extra: dict = field(default_factory=dict)


Builder = Callable[[Atlas, ScenarioOptions], list[Division]]


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    description: str
    build: Builder


SCENARIOS: dict[str, Scenario] = {}


def register(scenario: Scenario) -> Scenario:
    """Add (or replace) a named scenario."""
    SCENARIOS[scenario.name] = scenario
    return scenario


def _sq(atlas: Atlas, _: ScenarioOptions) -> list[Division]:
    return [status_quo(atlas, "PO"), status_quo(atlas, "VO")]


def _s1(atlas: Atlas, o: ScenarioOptions) -> list[Division]:
    return natural_funderend(atlas, share=o.s1_share)


def _s1_chain(atlas: Atlas, o: ScenarioOptions) -> list[Division]:
    return [funderend_division(atlas, min_share=o.s1_min_share)]


def _s2(atlas: Atlas, _: ScenarioOptions) -> list[Division]:
    return [jeugdregio_division(atlas, s) for s in ("PO", "VO", "PO+VO")]


def _s2_plain(atlas: Atlas, _: ScenarioOptions) -> list[Division]:
    return [jeugdregio_division(atlas, s, split=False) for s in ("PO", "VO", "PO+VO")]


GUESSED_CLUSTERS = "3;4"
"""Clusters value the importers give SO/VSO locations whose clusters are not known."""


def _s3(atlas: Atlas, o: ScenarioOptions) -> list[Division]:
    """S3 per sector, with the region counts under the other cluster assumptions (about half
    of the SO/VSO locations have no cluster data in the real atlas)."""
    out = []
    for sector in ("PO", "VO"):
        main = dekkend_division(atlas, sector, provisions=o.provisions)
        rows = [{"aanname": cluster_assumption_text(DEFAULT_ASSUME_CLUSTERS) + " (hoofdcijfer)",
                 "regios": main.n_regions}]
        for assume in ((3,), (4,), RandomSplit(OPTIMIZE_SEED)):
            d = dekkend_division(atlas, sector, provisions=o.provisions, assume_clusters=assume,
                                 guessed=GUESSED_CLUSTERS)
            rows.append({"aanname": cluster_assumption_text(assume), "regios": d.n_regions})
        out.append(main.renamed(main.name, onzekerheid=rows, aanname_clusters=(
            "SO/VSO-vestigingen zonder clustergegevens (leeg, of '3;4': de opvulwaarde van de "
            "import als naam en website niets zeggen) bieden "
            + cluster_assumption_text(DEFAULT_ASSUME_CLUSTERS))))
    return out


def _fusie(atlas: Atlas, o: ScenarioOptions) -> list[Division]:
    check_codes(atlas, [*o.fusie_exempt_add, *o.fusie_exempt_remove])
    return [fusie_division(atlas, s, threshold=o.fusie_threshold,
                           exempt_add=o.fusie_exempt_add, exempt_remove=o.fusie_exempt_remove)
            for s in ("PO", "VO")]


def _front(atlas: Atlas, sector: str, o: ScenarioOptions, per_point: float, seed: int):
    """The front of one sector with the advice's minimum and the default maximum; when the map
    cannot meet them, a lowered minimum (then no maximum). Returns (front, note)."""
    from nabij.divisions.graph import school_pupils
    from nabij.divisions.scale import largest_status_quo
    from nabij.optimize import InfeasibleError
    from nabij.optimize.front import pareto_front
    from nabij.optimize.infeasible import largest_feasible_minimum
    from nabij.optimize.problem import area_graph

    big = largest_status_quo(atlas, sector)
    def run(lo: float, hi: float):
        return pareto_front(atlas, sector, lo, hi, time_per_point=per_point, seed=seed,
                            provisions=o.provisions)

    try:
        return run(o.fusie_threshold, big), ""
    except InfeasibleError as e:
        why = "; ".join(p.message for p in e.problems)
    lower = largest_feasible_minimum(area_graph(atlas, sector))
    note = f"Minimum verlaagd naar {lower:.0f} leerlingen: {why}"
    if lower > big:
        note += f"; maximum verhoogd naar {lower:.0f}"
    try:
        return run(lower, max(big, lower)), note
    except InfeasibleError:
        total = float(school_pupils(atlas, SECTORS[sector].types).sum())
        return run(lower, total), note + " (en geen maximum)"


def _optimaal(atlas: Atlas, o: ScenarioOptions) -> list[Division]:
    """Per sector the knee of the Pareto front over the weight on change (see
    :mod:`nabij.optimize.front`): minimum = fusie threshold, maximum = the largest status-quo
    SWV of the sector. When the map cannot meet the bounds (a small country, an island without
    a link), the minimum is lowered (and if needed the maximum dropped); the recipe says so.
    """
    # lazy: the optimizer sits downstream of the scenario registry
    from nabij.defaults import FRONT_CHANGE_WEIGHTS, SCENARIO_FRONT_TIME_PER_POINT_S
    from nabij.optimize.front import optimum_division

    total = o.extra.get("optimaal_tijd")
    per_point = (float(total) / len(FRONT_CHANGE_WEIGHTS) if total is not None
                 else SCENARIO_FRONT_TIME_PER_POINT_S)
    seed = int(o.extra.get("optimaal_seed", OPTIMIZE_SEED))
    # the fronts of the sectors are independent: a forked child computes some of them
    fronts = fork_map(lambda sector: _front(atlas, sector, o, per_point, seed), list(SECTORS))
    out = []
    for (f, note), label in zip(fronts, (s.label for s in SECTORS.values()), strict=True):
        extra = {"toelichting": note, "min_leerlingen_gevraagd": o.fusie_threshold} \
            if note else {}
        out.append(optimum_division(f, f"Optimaal {label}").renamed(f"Optimaal {label}",
                                                                    **extra))
    return out


_NORM = nl_int(FUSIE_MIN_REGION_PUPILS)

for _s in (
    Scenario("status-quo", "Status quo", "De huidige samenwerkingsverbanden PO en VO.", _sq),
    Scenario("s1", "S1 Eén SWV funderend onderwijs",
             "Een PO- en een VO-samenwerkingsverband worden één SWV funderend waar daar een "
             "natuurlijke basis voor is: minstens 80% van de leerlingen van elk van beide woont "
             "in hun gedeelde gebied (aandeel: aanname van nabij); geen ketens, de andere "
             "SWV's blijven zoals ze zijn.", _s1),
    Scenario("s2", "S2 Congruent met jeugdzorgregio",
             "Elk SWV ligt binnen één jeugdzorgregio (PO, VO en funderend); een jeugdregio "
             "boven het maximum (het grootste bestaande SWV van de sector) wordt verdeeld in "
             "zo weinig mogelijk aaneengesloten delen van elk minstens "
             f"{_NORM} en hoogstens het maximum aan leerlingen.", _s2),
    Scenario("s3", "S3 Volledig dekkend netwerk",
             "Samenwerkingsverbanden zonder elke vereiste voorziening (SBO, SO/VSO cluster 3 "
             "en 4, PrO) gaan op in een buurregio die ze wel heeft.", _s3),
    Scenario("fusie", "Fusie kleine SWV's",
             f"Samenwerkingsverbanden met minder dan {_NORM} leerlingen (standaard uit het "
             "advies; of --fusie-drempel) fuseren met de buur waarmee ze de meeste "
             "leerlingen uitwisselen; SWV's met een gebied dat alleen over het water "
             "bereikbaar is (Waddeneilanden, Zeeuws-Vlaanderen) zijn uitgezonderd.", _fusie),
):
    register(_s)

BUILTIN: tuple[str, ...] = tuple(SCENARIOS)
"""The built-in scenarios, in the order of the advice."""

VARIANTS: tuple[str, ...] = ("s1-keten", "s2-ongedeeld")
"""Registered scenarios that are built only on request (assumptions of nabij, not the advice)."""

register(Scenario(
    "s1-keten", "S1-variant Koppelen en ketenen (aanname van nabij)",
    "Variant van S1: PO- en VO-SWV's die minstens 10% van de leerlingen van een van beide "
    "delen worden gekoppeld, en gekoppelde SWV's vormen ketens tot één regio. Geen regel uit "
    "het advies; niet in de standaardvergelijking.", _s1_chain))

register(Scenario(
    "s2-ongedeeld", "S2-variant Jeugdregio ongedeeld (kan boven het maximum uitkomen)",
    "Variant van S2: regio's vallen precies samen met de jeugdzorgregio's, ook waar een "
    "jeugdregio groter is dan het maximum (het grootste bestaande SWV van de sector). Niet in "
    "de standaardvergelijking.", _s2_plain))

register(Scenario(
    "optimaal", "Optimale schaal",
    "Per sector (PO, VO, funderend) de Pareto-front van geldige indelingen (aaneengesloten, "
    f"minstens {_NORM} leerlingen of --fusie-drempel, hoogstens het grootste bestaande SWV) "
    "over het gewicht op verandering; 'optimaal' is de knik van die front: waar meer "
    "verandering nog maar weinig minder grensverkeer oplevert "
    f"(hoogstens {nl_number(SCENARIO_FRONT_TIME_PER_POINT_S, 1)} s zoektijd per punt, "
    f"{len(FRONT_CHANGE_WEIGHTS)} punten per sector).", _optimaal))


def build_scenario(atlas: Atlas, name: str,
                   options: ScenarioOptions | None = None) -> list[Division]:
    """The divisions of one named scenario (or ``custom:<path>``)."""
    options = options or ScenarioOptions()
    if name.startswith("custom:"):
        return read_custom(name.split(":", 1)[1], atlas, sector=options.custom_sector)
    if name not in SCENARIOS:
        raise InputError(f"Onbekend scenario '{name}'", [Problem(
            "kies uit " + ", ".join(list(SCENARIOS) + ["custom:<bestand.csv>"]))])
    return SCENARIOS[name].build(atlas, options)


def build_scenarios(atlas: Atlas, names: Iterable[str] | None = None,
                    options: ScenarioOptions | None = None,
                    progress: Callable[[str], None] | None = None) -> list[Division]:
    """Divisions of several scenarios (default: all registered but the variants), in order."""
    out: list[Division] = []
    default = [n for n in SCENARIOS if n not in VARIANTS]
    for name in list(names) if names is not None else default:
        if progress:
            progress(name)
        out += build_scenario(atlas, name, options)
    return out
