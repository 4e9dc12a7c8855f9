"""The table vocabulary of nabij: every Atlas table, its columns, types and constraints.

This is a leaf module: readers in ``nabij.sources`` produce frames with exactly these
columns, ``nabij.atlas`` validates and stores them. Column names are Dutch because users
see them in CSV, XLSX and Parquet files; the folder format of ``nabij atlas build --from``
uses the same names (documented in the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHOOL_TYPES: tuple[str, ...] = ("BAO", "SBO", "SO", "VSO", "VO", "PRO")
"""School location types: regular primary, special primary, special (secondary), VO, PrO."""

PO_TYPES: tuple[str, ...] = ("BAO", "SBO", "SO")
VO_TYPES: tuple[str, ...] = ("VO", "PRO", "VSO")
SECTORS: tuple[str, ...] = ("PO", "VO")
SECTOR_OF_TYPE: dict[str, str] = {t: "PO" for t in PO_TYPES} | {t: "VO" for t in VO_TYPES}

PROVENANCE = ("observed", "modelled", "mixed")
"""Provenance flag of a table: observed data, modelled (estimated) data, or a mix (see notes)."""

COUNT_UNITS: tuple[str, ...] = ("leerlingen", "kinderen")
"""Units of values that count pupils or children. Published outputs suppress them below the
privacy threshold (:func:`nabij.privacy.publish`); measure definitions declare their unit."""

COUNT_COLUMNS: frozenset[str] = frozenset({
    "leerlingen", "kinderen", "kinderen_po", "kinderen_vo", "leerlingen_woonachtig",
    "leerlingen_sbo_so_vso", "vervoerd", "vervoerd_voor", "vervoerd_na", "vervoerde_leerlingen",
    "leerlingen_verplaatst", "geplaatst", "rechthebbend", "leerlingen_totaal", "leerlingen_min",
    "leerlingen_mediaan", "leerlingen_max", "verandering_leerlingen",
    # casework returns (children counted once each): Leerplichttelling and Inspectie count
    "thuiszitters", "absoluut_verzuim", "langdurig_relatief_verzuim",
    "zonder_aanbod_3mnd", "vrijstelling_5a", "vrijstelling_5b", "vrijstelling_5c",
    "nieuw_in_periode", "terug_naar_school_in_periode", "vrijstelling_5a_nieuw_in_periode",
    "zaken", "open_zaken",
})
"""Column names of nabij's tables and outputs whose values count pupils (the one list; measure
columns are also counts when their definition's unit is in :data:`COUNT_UNITS`)."""

NOT_COUNT_COLUMNS: frozenset[str] = frozenset({"leerlingen_gemodelleerd"})
"""Columns whose name looks like a count but are not (flags)."""

REVEALS_COUNT: dict[str, tuple[str, ...]] = {
    "leerlingen": ("per_leerling", "gemiddelde_afstand_km"),
    "vervoerd": ("kosten_per_vervoerde",),
    "vervoerde_leerlingen": ("kosten_per_vervoerde",),
    "vervoerd_voor": ("kosten_per_vervoerde_voor",),
    "vervoerd_na": ("kosten_per_vervoerde_na",),
}
"""Count column -> (suffixes of) derived columns that reveal it together with a published
column (kosten / kosten_per_vervoerde = vervoerd): hidden whenever the count is."""


def is_count_column(name: str) -> bool:
    """True when a column of that name holds pupil counts (see :data:`COUNT_COLUMNS`)."""
    n = str(name)
    if n in NOT_COUNT_COLUMNS:
        return False
    return n in COUNT_COLUMNS or n.startswith(("leerlingen_", "kinderen_")) and not n.endswith(
        ("_gemodelleerd", "_km", "_aandeel", "_pct"))


# Bounding box of the Netherlands incl. the Wadden islands (WGS84).
NL_LAT = (50.70, 53.60)
NL_LON = (3.30, 7.25)


@dataclass(frozen=True)
class Column:
    """One column of an Atlas table."""

    name: str
    dtype: str  # "str", "int", "float", "bool"
    description: str
    required: bool = True
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    pattern: str | None = None  # regex the (string) value must match fully
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TableSpec:
    """One Atlas table: its name, key, columns and whether the Atlas needs it."""

    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str
    required: bool = True
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    """column -> (table, column) it must refer to."""

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


GM = r"GM\d{4}"
PC4 = r"[1-9]\d{3}[A-Z]?"
"""Four digits; a letter suffix marks a sub-area (used by the 10x synthetic stress country)."""
JZ = r"JZ\d{2}"
SWV_CODE = r"(PO|VO) \d{2}-\d{2}"

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "gemeenten",
            key=("gemeente",),
            description="Gemeenten with province, jeugdregio, population and centroid.",
            columns=(
                Column("gemeente", "str", "CBS code, e.g. GM0363", pattern=GM),
                Column("naam", "str", "name"),
                Column("provincie", "str", "province name"),
                Column("jeugdregio", "str", "jeugdregio code, e.g. JZ13", pattern=JZ),
                Column("rmc", "str", "RMC region name (regioatlas 2016), optional",
                       required=False, nullable=True),
                Column("inwoners", "int", "inhabitants", min=0, max=25_000_000),
                Column("inwoners_0_14", "int", "inhabitants aged 0-14", min=0, max=5_000_000),
                Column("lat", "float", "centroid latitude (WGS84)", min=NL_LAT[0], max=NL_LAT[1]),
                Column("lon", "float", "centroid longitude (WGS84)", min=NL_LON[0], max=NL_LON[1]),
            ),
            references={"jeugdregio": ("jeugdregios", "jeugdregio")},
        ),
        TableSpec(
            "jeugdregios",
            key=("jeugdregio",),
            description="Jeugdzorgregio's (42 in 2025).",
            columns=(
                Column("jeugdregio", "str", "code, e.g. JZ13", pattern=JZ),
                Column("naam", "str", "name"),
            ),
        ),
        TableSpec(
            "gemeente_buren",
            key=("gemeente_a", "gemeente_b"),
            description="Adjacency of gemeenten (a < b): shared border, or a ferry link "
            "for islands.",
            required=False,
            columns=(
                Column("gemeente_a", "str", "gemeente code", pattern=GM),
                Column("gemeente_b", "str", "gemeente code", pattern=GM),
                Column("soort", "str", "kind of link", choices=("grens", "veer", "nabij")),
            ),
            references={
                "gemeente_a": ("gemeenten", "gemeente"),
                "gemeente_b": ("gemeenten", "gemeente"),
            },
        ),
        TableSpec(
            "pc4",
            key=("pc4",),
            description="PC4 postcode areas with gemeente, centroid, children and context.",
            columns=(
                Column("pc4", "str", "4-digit postcode", pattern=PC4),
                Column("gemeente", "str", "gemeente code", pattern=GM),
                Column("lat", "float", "centroid latitude (WGS84)", min=NL_LAT[0], max=NL_LAT[1]),
                Column("lon", "float", "centroid longitude (WGS84)", min=NL_LON[0], max=NL_LON[1]),
                Column("inwoners", "int", "inhabitants", min=0, max=500_000),
                Column("kinderen_po", "float", "children aged 4-11 (PO age)", min=0, max=100_000),
                Column("kinderen_vo", "float", "children aged 12-17 (VO age)", min=0, max=100_000),
                Column("stedelijkheid", "float", "CBS urbanity 1 (very) .. 5 (not urban)",
                       required=False, nullable=True, min=1, max=5),
                Column("aandeel_eenouder", "float", "share of one-parent households among "
                       "households with children", required=False, nullable=True, min=0, max=1),
                Column("aandeel_uitkering", "float", "benefit recipients (WW, bijstand, AO) per "
                       "inhabitant", required=False, nullable=True, min=0, max=1),
            ),
            references={"gemeente": ("gemeenten", "gemeente")},
        ),
        TableSpec(
            "pc4_buren",
            key=("pc4_a", "pc4_b"),
            description="Adjacency of PC4 areas (a < b), from polygons or a Delaunay graph.",
            required=False,
            columns=(
                Column("pc4_a", "str", "postcode", pattern=PC4),
                Column("pc4_b", "str", "postcode", pattern=PC4),
            ),
            references={"pc4_a": ("pc4", "pc4"), "pc4_b": ("pc4", "pc4")},
        ),
        TableSpec(
            "besturen",
            key=("bestuur",),
            description="School boards (bevoegd gezag).",
            columns=(
                Column("bestuur", "str", "bevoegd-gezagnummer"),
                Column("naam", "str", "name"),
                Column("sectoren", "str", "sectors, ';'-separated: PO, VO, SO"),
            ),
        ),
        TableSpec(
            "scholen",
            key=("vestiging", "soort"),
            description="School locations (vestigingen) with type, board, place and pupils. "
            "A combined SO/VSO location has one row per type.",
            columns=(
                Column("vestiging", "str", "BRIN + vestigingsnummer, e.g. 00SU00"),
                Column("brin", "str", "BRIN number", pattern=r"[0-9A-Z]{4}"),
                Column("naam", "str", "name"),
                Column("soort", "str", "type", choices=SCHOOL_TYPES),
                Column("clusters", "str", "SO/VSO clusters, ';'-separated (1-4)",
                       required=False, nullable=True, pattern=r"[1-4](;[1-4])*"),
                Column("bestuur", "str", "board id"),
                Column("gemeente", "str", "gemeente code", pattern=GM),
                Column("pc4", "str", "postcode", pattern=PC4),
                Column("lat", "float", "latitude (WGS84)", min=NL_LAT[0], max=NL_LAT[1]),
                Column("lon", "float", "longitude (WGS84)", min=NL_LON[0], max=NL_LON[1]),
                Column("leerlingen", "int", "pupils on 1 October", min=0, max=20000),
                Column("leerlingen_gemodelleerd", "bool", "pupil count is modelled",
                       required=False),
            ),
            references={
                "gemeente": ("gemeenten", "gemeente"),
                "pc4": ("pc4", "pc4"),
                "bestuur": ("besturen", "bestuur"),
            },
        ),
        TableSpec(
            "swv",
            key=("swv",),
            description="Samenwerkingsverbanden passend onderwijs.",
            columns=(
                Column("swv", "str", "code as DUO shows it, e.g. PO 27-07", pattern=SWV_CODE),
                Column("sector", "str", "PO or VO", choices=SECTORS),
                Column("naam", "str", "name"),
            ),
        ),
        TableSpec(
            "indeling",
            key=("pc4",),
            description="Status quo division: every PC4 in one PO and one VO SWV.",
            columns=(
                Column("pc4", "str", "postcode", pattern=PC4),
                Column("swv_po", "str", "PO SWV code", pattern=r"PO \d{2}-\d{2}"),
                Column("swv_vo", "str", "VO SWV code", pattern=r"VO \d{2}-\d{2}"),
            ),
            references={
                "pc4": ("pc4", "pc4"),
                "swv_po": ("swv", "swv"),
                "swv_vo": ("swv", "swv"),
            },
        ),
        TableSpec(
            "stromen",
            key=("pc4", "vestiging", "soort"),
            description="Pupil flows: home PC4 x school location -> pupils (may be fractional "
            "when modelled).",
            required=False,
            columns=(
                Column("pc4", "str", "home postcode", pattern=PC4),
                Column("vestiging", "str", "school location"),
                Column("soort", "str", "school type", choices=SCHOOL_TYPES),
                Column("leerlingen", "float", "pupils", min=0, max=20000),
            ),
            references={"pc4": ("pc4", "pc4")},
        ),
        TableSpec(
            "leerlingen_woongemeente",
            key=("gemeente", "soort"),
            description="Pupils by home gemeente and school type (CBS 85701NED); calibration "
            "target for modelled flows.",
            required=False,
            columns=(
                Column("gemeente", "str", "gemeente code", pattern=GM),
                Column("soort", "str", "school type", choices=SCHOOL_TYPES),
                Column("leerlingen", "int", "pupils", min=0, max=500000),
            ),
            references={"gemeente": ("gemeenten", "gemeente")},
        ),
    )
}

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)


def clusters_of(value: object) -> set[int]:
    """Parse a ``clusters`` cell ("3;4") into a set of ints; empty for missing values."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return set()
    return {int(p) for p in str(value).split(";") if p.strip()}


@dataclass
class TableBundle:
    """What a source reader hands to :func:`nabij.atlas.build_atlas`: raw tables + metadata.

    ``tables`` maps table names of :data:`TABLES` to frames with those columns (optional
    tables may be absent: the builder estimates them and labels them modelled).
    ``provenance`` maps a table name to ``{"status": observed|modelled|mixed, "source": str,
    "notes": [str, ...]}``. ``notes`` are gap-filling rules shown by ``nabij atlas info``
    (Dutch). ``geometry`` maps gemeente codes to shapely polygons (WGS84) when known.
    ``origin`` maps a table name to the file it was read from (for error messages), and
    ``row_offset`` to the line number of its first data row in that file (2 for CSV).
    """

    name: str
    reference_year: int
    tables: dict
    provenance: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    geometry: dict | None = None
    origin: dict = field(default_factory=dict)
    row_offset: dict = field(default_factory=dict)
