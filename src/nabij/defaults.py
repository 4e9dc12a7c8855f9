"""Every tunable default of nabij, in one place, with its unit, source and reason.

Library functions and CLI options read their defaults from here; change a value here and it
changes everywhere (measures, optimizer, scenarios, report text). A caller can always pass its
own value; the report then shows the value actually used (from the measures' parameters), not
the one below. A leaf module: it imports nothing from nabij.

Each entry is ``NAME: type = value`` followed by a docstring: unit, source, one-line reason.
"""

from __future__ import annotations

# -- region size ------------------------------------------------------------------------------

MIN_REGION_PUPILS: float = 10_000
"""Pupils (on the school locations of a region). A region below this is "(te) klein".

Source: the advice (seeds/000, footnote 16: "Minder dan 10.000 leerlingen"). Used as the
fusie threshold, the optimizer's minimum region size and the ``regios_klein`` measure.
"""

FUSIE_MIN_REGION_PUPILS: float = MIN_REGION_PUPILS
"""Pupils. Scenario "fusie": SWVs below this merge with a neighbour (same source as above)."""

S1_NATURAL_SHARE: float = 0.8
"""Fraction of pupils, both ways. Scenario S1 (default rule): a PO and a VO SWV become one SWV
funderend when at least this share of the pupils of each lives in their shared area; no chains.

Source: the advice asks for "één SWV funderend waar daar al een natuurlijke basis voor ligt"
(seeds/000, advies 1a) without a number; 0.8 (four in five pupils of each) is an aanname van
nabij. The report shows the sensitivity for :data:`S1_SENSITIVITY_SHARES`."""

S1_SENSITIVITY_SHARES: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9)
"""Fractions. The shares of the S1 sensitivity table (regions and largest region per share)."""

S1_MIN_SHARE: float = 0.10
"""Fraction of pupils. Variant "s1-keten" (aanname van nabij, not the advice): links a PO and a
VO SWV when they share at least this share of the pupils of either one, and linked SWVs chain
into one region. Small overlaps are taken as noise of the modelled flows."""

# -- privacy ----------------------------------------------------------------------------------

PRIVACY_THRESHOLD: int = 10
"""Pupils. Counts from 1 to this minus one are never published (shown as ``<10``).

Source: the usual minimum cell size of DUO and CBS open data on pupils; AVG data minimisation.
"""

# -- distance ---------------------------------------------------------------------------------

DETOUR_FACTOR: float = 1.40
"""Road km per straight-line km (dimensionless).

Source: calibrated on CBS Kerncijfers per postcode 2023 (``afst_vo_km``, mean road distance
from the addresses of a PC4 to the nearest VO school): the median over 4,030 PC4 areas of
CBS km / straight-line km from the PC4 centroid to the nearest VO location of the real atlas
is 1.401 (Pearson r = 0.94). Reproduce with ``python bench/bench_detour.py``. For basisscholen
the ratio is about 2.1: at distances below 1 km the centroid-versus-address error dominates,
so the VO scale (the one of special-education trips) is used. Was 1.3 (a textbook ratio).
"""

KM_BANDS: tuple[int, ...] = (5, 10, 20)
"""km (road). Distance bands of the thuisnabijheid measures ("binnen 5/10/20 km").

Reason: the distance classes of CBS's nearness statistics (within 1/3/5/10/20 km), the part
that matters for special education."""

NEAREST_CANDIDATES: int = 4
"""Count. Nearest school locations (planar) whose model distance is compared when looking for
the nearest provision; enough because the model distance is a monotone function of the
straight line."""

# -- transport --------------------------------------------------------------------------------

TRANSPORT_SPEED_KMH: float = 30.0
"""km/h door to door for a taxibus with stops (assumption; leerlingenvervoer hours)."""

SCHOOL_DAYS: int = 200
"""Days a year a pupil travels to school (two trips a day); the Dutch school year."""

TRANSPORT_THRESHOLD_KM: dict[str, float] = {"SBO": 6.0, "SO": 0.0, "VSO": 0.0}
"""km one way. A pupil of the type is eligible for transport beyond this distance.

Source: VNG modelverordening leerlingenvervoer (6 km for primary schools); SO/VSO pupils are
usually eligible because of their disability, whatever the distance."""

# -- optimizer --------------------------------------------------------------------------------

OPTIMIZE_TIME_LIMIT_S: float = 60.0
"""Seconds of computing time for ``nabij optimize`` (the whole fit, model building included)."""

SCENARIO_OPTIMIZE_TIME_LIMIT_S: float = 5.0
"""Seconds per sector for the built-in "optimaal" scenario (``nabij demo``, ``scenario
compare``). Reason: the heuristic converges within a few seconds on national instances
(BENCHMARKS.md), so the demo stays fast; ``nabij optimize --tijd`` searches longer."""

OPTIMIZE_CHANGE_WEIGHT: float = 0.1
"""Weight of verandering in the default objective ``evenwichtig`` (a change penalty by default:
10 % less change is worth 1 % of all pupils crossing a border). Aanname van nabij."""

FRONT_CHANGE_WEIGHTS: tuple[float, ...] = (2.0, 0.5, 0.25, 0.16, 0.1, 0.06, 0.035, 0.02, 0.01,
                                            0.0)
"""Weights on verandering of ``nabij optimize --front``, from "keep what is there" to "ignore
the status quo"; roughly halving, so the points spread over the front (aanname van nabij)."""

FRONT_TIME_PER_POINT_S: float = 2.6
"""Seconds of search per point of the front (10 points: the whole front of the real
Netherlands stays under a minute, BENCHMARKS.md)."""

SCENARIO_FRONT_TIME_PER_POINT_S: float = 1.2
"""Seconds per point of the front behind the built-in "optimaal" scenario (three sectors, ten
points each: about a minute on the synthetic country; ``nabij optimize --front`` searches
longer)."""

DEMO_FRONT_TIME_PER_POINT_S: float = 0.2
"""Seconds per point of the "optimaal" front inside ``nabij demo`` (a quick look: on the
synthetic country and the real Netherlands every sector still gets 8-10 points, all valid, with
the knee within 3 regions of a 0.3 s front; the recipe of each point records the time used).
``scenario compare`` keeps
``SCENARIO_FRONT_TIME_PER_POINT_S`` and ``nabij optimize --front`` ``FRONT_TIME_PER_POINT_S``."""

FRONT_DISTANCE_WEIGHT: float = 0.05
"""Weight of the distance term on the front (grensverkeer weighs 1, no reward for more regions:
the minimum and the maximum bound the scale). Aanname van nabij."""

FRONT_MIN_POINTS: int = 7
"""A front with fewer points is reported as thin (issue 10 asks for at least 7)."""

OPTIMIZE_SEED: int = 0
"""Start value of the optimizer's random choices (same seed, same result within the limit)."""

OPTIMIZE_LEVEL: str = "gemeente"
"""Building blocks of the optimizer: whole gemeenten (``pc4`` splits them)."""

OPTIMIZE_OBJECTIVE: str = "evenwichtig"
"""Objective of the optimizer: balance of grensverkeer, distance, change and region count."""

# -- measures ---------------------------------------------------------------------------------

Z_THRESHOLD: float = 2.0
"""Standard deviations. A region differs notably ("verschillen") beyond this z-score."""

# -- monitor ----------------------------------------------------------------------------------

MONITOR_ON_TRACK: float = 0.10
"""Fraction of the planned change (|target - baseline|). A region is "op koers" when it is at
most this far behind its target path. Aanname van nabij: within a tenth of the agreed change is
within the yearly noise of participation figures of a region (CBS counts rounded to tens)."""

MONITOR_FAR_BEHIND: float = 0.33
"""Fraction of the planned change. Behind the path by more than MONITOR_ON_TRACK is "achter",
by more than this "ver achter" (a third of the way lost). Aanname van nabij."""

MONITOR_FLAT_TARGET_SCALE: float = 0.05
"""Fraction of the baseline value. When a target keeps a value level (target = baseline), the
status scale is this share of the baseline instead of the (zero) planned change. Aanname."""

MONITOR_UNEXPLAINED_Z: float = Z_THRESHOLD
"""Standard deviations of the residuals. Beyond this the monitor flags "onverklaard verschil"
between observed and context-expected value (as the "verschillen" measure; NCO-style)."""

MONITOR_SIGNAL_MIN_CHANGE: float = 0.05
"""Fraction. The thuiszitters warning fires when a thuiszitters rate falls by more than this
share from the previous period while the vrijstellingen beside it rise by more than this share.
Aanname van nabij: smaller moves are within the noise of small counts."""

# -- inclusiefonds ----------------------------------------------------------------------------

FUND_DESIGN_YEAR: int = 2030
"""Year. First year of a fund's transition path (``[overgang] startjaar``).

Source: seeds/002 (ONSwv, mijlpalen): "2030: Er ligt een ontwerp voor een resultaatverplichtend
overleg en een inclusiefonds met een implementatieplan"."""

FUND_FULL_EFFECT_YEAR: int = 2035
"""Year. The doeljaar in which the target distribution holds in full (``[overgang] doeljaar``).

Source: seeds/000 ("Over de lijnen": a inclusive learning environment by 2035) and seeds/002
(2035: "één resultaatverplichtend en regisserend bestuurlijk orgaan dat vanuit een
inclusiefonds stuurt")."""

FUND_REGIONS: str = "swv-po"
"""The regions that each hold a fund when the user names none: today's SWV PO areas as the
regions of the resultaatverplichtende overleggen (seeds/000, advies 2a: the SWV sets up the
overleg). Reason: the status quo is the division every party knows; pass a scenario's CSV with
``--regio indeling:<bestand>`` to see another."""

FUND_UNITS: str = "gemeente"
"""The inclusieve leeromgevingen a regional fund is distributed over when the user names none:
the gemeente (or its part inside the region). Reason: the smallest unit with observed context
data and a party (the gemeente) that takes part in the overleg."""

# -- casework (one desk: thuiszitters, vrijstellingen, doorbraakbudget) ---------------------

CASE_WARNING_DAYS: int = 28
"""Days out of school. A case's clock warns after four weeks without an offer.

Source: Leerplichtwet — absence without valid reason of more than four weeks is *langdurig
relatief verzuim* (DOMAIN.md, FIGURES.md "Thuiszitter (as OCW counts it)"); issue 14.
"""

CASE_ESCALATION_MONTHS: int = 3
"""Calendar months out of school. The clock escalates when no offer was made by then.

Source: the Thuiszitterspact (named in seeds/003): no child at home for more than three months
without a fitting offer; the Leerplichttelling reports "absoluut verzuim langer dan 3 maanden"
(FIGURES.md §4); issue 14.
"""

EXEMPTION_REASSESS_MONTHS: int = 12
"""Calendar months. A granted 5a exemption is re-assessed at the latest after this.

Source: seeds/003 §3.2 (5a exemptions are "te gemakkelijk verlengd"; "nee, tenzij").
Assumption: one school year, so the other eyes look again every year.
"""

DOORBRAAK_WARNING_SHARE: float = 0.20
"""Fraction of a year's budget. The ledger warns when less than this is still available, and
when the spending rate so far would exhaust the budget before the year ends.

Assumption (a region sets its own): one fifth leaves room for the cases of about two months.
"""

CASE_RETENTION_YEARS: dict[str, int] = {
    "integraal_verzoek": 5,
    "thuiszitter": 5,
    "vrijstelling_5a": 5,
    "vrijstelling_5b": 5,
    "vrijstelling_5c": 5,
    "doorbraak": 7,
}
"""Years after a case is closed (or withdrawn) before it is on the destruction list.

Assumption: five years for case files (a region sets its own from its selectielijst under the
Archiefwet); seven years for doorbraak cases because they carry financial records (fiscal
bewaarplicht, Algemene wet inzake rijksbelastingen art. 52).
"""

PSEUDONYM_KEY_MIN_BYTES: int = 32
"""Bytes. A region's pseudonym key must be at least this long (HMAC-SHA256 block strength)."""

PSEUDONYM_KEY_ENV: str = "NABIJ_PSEUDONIEM_SLEUTEL"
"""Environment variable prefix of a region's pseudonym key: ``NABIJ_PSEUDONIEM_SLEUTEL_<REGIO>``
(region code upper case, non-alphanumerics as ``_``). The key never enters the database."""

SCHOOL_YEAR_START_MONTH: int = 8
"""Month (1 August). The school year runs from 1 August to 31 July (WPO/WVO art. 1,
"schooljaar"); the Leerplichttelling (Leerplichtwet art. 25) counts per school year."""

CASE_SYNTHETIC_RATES_PER_1000: dict[str, float] = {
    "absoluut": 4.2,
    "relatief": 1.3,
    "vrijstelling_5a": 3.0,
    "vrijstelling_5b": 0.6,
    "vrijstelling_5c": 0.3,
    "integraal_verzoek": 8.0,
    "doorbraak": 0.5,
}
"""New cases per 1,000 pupils (PO + VO) per school year in the synthetic case generator.

Source for absoluut (10,240), relatief (3,246) and 5a (7,389) in 2021/22: the Leerplichttelling
as compiled in FIGURES.md §4 and data/SOURCES.md, divided by about 2.45 million pupils in PO and
VO (FIGURES.md). 5b, 5c, integraal verzoek and doorbraak: not found, assumed (modelled).
"""

# -- resultaatverplichtend overleg (web workspace) ---------------------------------------------

WEB_ACTIVATION_LINK_DAYS: int = 7
"""Days. A one-time activation link (new user, or a password reset by a beheerder) is valid at
most this long, and only until the password has been set.

Source: none; aanname van nabij. No mail server is assumed: the administrator hands the link
over, which takes longer than Django's default of three days may allow."""

OVERLEG_MEETING_INTERVAL_DAYS: int = 183
"""Days. A region's overleg that has not met for longer than this gets a warning.

Source: the advice (seeds/000, advies 2a ii): the overleg "komt tenminste halfjaarlijks bijeen";
half a year = 183 days."""

OVERLEG_AGENDA_WINDOW_DAYS: int = 365
"""Days. Each statutory consultation (OOGO, LEA, OAB, VVE, Van school naar duurzaam werk) must
have been on the agenda of a meeting held within this window.

Source: the advice (seeds/000, advies 2a iii) makes them part of the one integral agenda; OOGO,
LEA and VVE are at least yearly cycles in their own laws. One year is an aanname van nabij."""

OVERLEG_VISION_MAX_YEARS: int = 4
"""Years. The integral vision is renewed at least this often.

Source: seeds/003 §3.4: "Een integrale visie op de jeugd wordt elke vier jaar tot stand
gebracht"."""
