"""The real Netherlands from open data: ``nabij atlas import-nl --data ../shared/data``.

:func:`import_nl` reads the files described in ``shared/data/SOURCES.md`` (gemeenten 2024 with
polygons, the 2015 Regeling PC4 -> SWV, jeugdregio's 2025, CBS kerncijfers per PC4 2024, school
lists, CBS 85701NED pupils by home gemeente 2023/'24) and returns a
:class:`~nabij.tables.TableBundle` for :func:`nabij.atlas.build_atlas`. The open data have gaps;
each is filled by a fixed rule, recorded as a Dutch sentence in ``bundle.notes`` and in the
provenance notes of the table it affects. ``stromen``, ``gemeente_buren`` and ``pc4_buren`` are
left to the atlas builder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from nabij.io.numbers import nl_number
from nabij.sources import cbs, geo, regeling, rmc, schools_nl
from nabij.sources.nl_files import bad_file, require_dir
from nabij.tables import TABLES, TableBundle

PRO_SHARE_OF_VO = 0.032
"""Praktijkonderwijs as a share of all VO pupils: 29,648 of 929,671 (CBS 80041NED, 2021/22)."""

PO_TYPES_CBS = ("BAO", "SBO", "SO")
VO_TYPES_CBS = ("VO", "VSO")
TYPE_KIDS = {"BAO": "kinderen_po", "SBO": "kinderen_po", "SO": "kinderen_po",
             "VO": "kinderen_vo", "PRO": "kinderen_vo", "VSO": "kinderen_vo"}

_NL_LAT0 = 52.2
_KM_X = 111.32 * np.cos(np.radians(_NL_LAT0))
_KM_Y = 110.57


def _xy(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Planar km coordinates (equirectangular at 52.2 N) for nearest-neighbour work."""
    return np.column_stack([np.asarray(lon, float) * _KM_X, np.asarray(lat, float) * _KM_Y])


def _nl(x: float, digits: int = 0) -> str:
    """A number the Dutch way: 1.357.700 / 3,2."""
    return nl_number(x, digits)


class _Notes:
    """Gap-filling rules: per table, and all of them in order for ``bundle.notes``."""

    def __init__(self) -> None:
        self.by_table: dict[str, list[str]] = {}
        self.all: list[str] = []

    def add(self, tables: str | tuple[str, ...], sentence: str) -> None:
        for t in (tables,) if isinstance(tables, str) else tables:
            self.by_table.setdefault(t, []).append(sentence)
        if sentence not in self.all:
            self.all.append(sentence)


def import_nl(data_dir: Path, progress: Callable[[str], None] | None = None) -> TableBundle:
    """Build the Netherlands TableBundle from the open-data folder ``data_dir``.

    Raises :class:`nabij.errors.InputError` (Dutch, naming the file) when a file is missing
    or does not look as documented.
    """
    step = progress or (lambda _msg: None)
    data_dir = require_dir(Path(data_dir))
    notes = _Notes()

    step("gemeenten, grenzen en jeugdregio's lezen")
    polygons = geo.read_gemeente_polygons(data_dir)
    gemeenten = geo.read_koppelcodes(data_dir)
    if set(gemeenten["gemeente"]) != set(polygons):
        raise bad_file(geo.KOPPELCODES, "gemeentecodes wijken af van gemeenten.geojson")
    jeugdregios, jr_polygons = geo.read_jeugdregios(data_dir)
    gm_jr = geo.overlap_jeugdregio(polygons, jr_polygons)
    gemeenten = gemeenten.merge(geo.centroids(polygons), on="gemeente", how="left")
    gemeenten["jeugdregio"] = gemeenten["gemeente"].map(gm_jr)
    rmc_map = rmc.read_rmc(data_dir, pd.Index(gemeenten["gemeente"].astype(str)))
    if rmc_map is not None:
        gemeenten["rmc"] = gemeenten["gemeente"].astype(str).map(rmc_map)
        notes.add("gemeenten", "RMC-regio's uit de regioatlas (maart 2016), met de CBS-fusies "
                  "en -splitsingen doorgezet naar de gemeenten van 2024.")
    _notes_gemeenten(notes, gemeenten, jeugdregios)

    step("postcodegebieden lezen (CBS 2024, geonames)")
    reg = regeling.read_regeling(data_dir)
    pc4, filled = _pc4_table(data_dir, polygons, gemeenten, reg, notes)

    step("leerlingen naar woongemeente lezen (CBS 85701NED)")
    targets, national = _pupil_targets(data_dir, gemeenten, notes)
    _children(pc4, targets, notes)
    _context(pc4, filled, notes)

    step("SWV-indeling 2015 koppelen")
    indeling, swv = _indeling(reg, pc4, gemeenten, notes)

    step("scholen lezen (Scholen op de Kaart 2018, VO-vestigingen)")
    scholen = _schools(data_dir, pc4, polygons, gemeenten["gemeente"], notes)
    step("leerlingen per vestiging modelleren")
    _model_pupils(scholen, pc4, targets, national, notes)
    besturen = schools_nl.besturen_table(scholen)
    notes.add("besturen", "Besturen: bevoegd-gezagnummer (PO-lijst) en board_code (VO-lijst); "
              "een nummer dat in beide lijsten staat is één bestuur. Bestuursnamen staan niet "
              "in de bronnen: naam = 'Bestuur <nummer>'.")

    gemeenten = _gemeente_totals(gemeenten, pc4)
    notes.add("gemeenten", "Inwoners (en 0-14 jaar) per gemeente: som van de CBS-cijfers 2024 "
              "van de PC4's die bij de gemeente horen (zie pc4), dus bij benadering.")
    tables = {
        "gemeenten": gemeenten,
        "jeugdregios": jeugdregios,
        "pc4": pc4,
        "besturen": besturen,
        "scholen": scholen,
        "swv": swv,
        "indeling": indeling,
        "leerlingen_woongemeente": _targets_long(targets),
    }
    tables = {name: df[TABLES[name].names].reset_index(drop=True) for name, df in tables.items()}
    return TableBundle(
        name="Nederland (open data 2024)",
        reference_year=2024,
        tables=tables,
        provenance=_provenance(notes),
        sources=list(SOURCES),
        notes=notes.all,
        geometry=polygons,
    )


SOURCES = [
    "Gemeenten 2024, grenzen en provincies: gemeenten_geo/gemeenten.geojson en KoppelCodes.csv "
    "(CBS/PDOK via rubensan19/kaarten)",
    "Jeugdregio's 2025: jeugdregio_2025/jeugdregio_2025.topojson (CBS/PDOK via cartomap/nl, "
    "CC-BY 4.0)",
    "CBS kerncijfers per postcode-4, 1 januari 2024 (en 2023 voor lege cellen): "
    "cbs_pc4/cbs_pc4_2024_kern.csv, cbs_pc4_2023_kern.csv (CC-BY 4.0)",
    "PC4-middelpunten: pc4/pc4_centroids_geonames.csv (geonames 2018, CC-BY 4.0)",
    "Regeling regio-indeling samenwerkingsverbanden passend onderwijs PO en VO (BWBR0032324), "
    "versie 23-04-2015: swv_regio_indeling/pc4_swv_regio_indeling_2015.csv",
    "CBS 85701NED leerlingen naar onderwijssoort en woongemeente, 2023/'24 (voorlopig): "
    "cbs_speciaal_onderwijs_gemeente/speciaal_onderwijs.csv (CC-BY 4.0)",
    "Scholen op de Kaart (PO-Raad), schoollijst november 2018: "
    "scholenopdekaart_2018/po_so_vestigingen_scholenopdekaart_2018.csv",
    "VO-vestigingen (DUO adressen_vo en leerlingen_vo, ca. 2025): "
    "vo_vestigingen/nl_highschools_accurate_coordinates.csv",
]


def _notes_gemeenten(notes: _Notes, gemeenten: pd.DataFrame, jeugdregios: pd.DataFrame) -> None:
    notes.add("gemeenten", f"Gemeenten: de {len(gemeenten)} gemeenten van 2024 met naam en "
              "provincie uit KoppelCodes.csv en grenzen uit gemeenten.geojson (EPSG:4289, "
              "binnen ~100 m gelijk aan WGS84); provincienamen met koppelteken "
              "(Noord-Brabant, Noord-Holland, Zuid-Holland).")
    notes.add("gemeenten", "Jeugdregio van een gemeente: de jeugdregio 2025 (CBS) waarmee het "
              "gemeentevlak de grootste overlap heeft.")
    notes.add("gemeenten", "Middelpunt van een gemeente: zwaartepunt van het vereenvoudigde "
              "gemeentevlak.")
    notes.add("jeugdregios", f"Jeugdregio's: {len(jeugdregios)} regio's van 2025 met CBS-code "
              "en -naam uit jeugdregio_2025.topojson.")


def _pc4_table(
    data_dir: Path, polygons: dict, gemeenten: pd.DataFrame, reg: pd.DataFrame, notes: _Notes
) -> tuple[pd.DataFrame, int]:
    """PC4 areas of CBS 2024 with centroid and gemeente; counts still raw."""
    kern, filled = cbs.read_pc4_kern(data_dir)
    cent = geo.read_pc4_centroids(data_dir)
    pc4 = kern.merge(cent, on="pc4", how="left")
    has = pc4["lat"].notna().to_numpy()
    codes, inside = geo.locate_points(pc4.loc[has, "lat"].to_numpy(),
                                      pc4.loc[has, "lon"].to_numpy(), polygons)
    pc4["gemeente"] = None
    pc4.loc[has, "gemeente"] = codes
    missing = np.flatnonzero(~has)
    if len(missing):
        known = pc4[has]
        knum = known["pc4"].astype(int).to_numpy()
        gm_cent = gemeenten.set_index("gemeente")[["lat", "lon"]]
        for i in missing:
            num = int(pc4.at[i, "pc4"])
            same = (knum // 10) == (num // 10)
            pool = np.flatnonzero(same) if same.any() else np.arange(len(knum))
            dist = np.abs(knum[pool] - num) * 2 + (knum[pool] > num)  # tie -> lower number
            gm = known["gemeente"].iloc[pool[int(np.argmin(dist))]]
            sib = known.iloc[pool][known["gemeente"].iloc[pool] == gm]
            lat, lon = ((sib["lat"].mean(), sib["lon"].mean()) if len(sib)
                        else tuple(gm_cent.loc[gm, ["lat", "lon"]]))
            pc4.loc[i, ["gemeente", "lat", "lon"]] = [gm, lat, lon]
    dropped = sorted((set(cent["pc4"]) | set(reg["pc4"])) - set(pc4["pc4"]))
    notes.add("pc4", f"Postcodegebieden: de {len(pc4)} PC4's van CBS 2024; {len(dropped)} PC4's "
              f"die alleen in geonames of de Regeling 2015 staan ({', '.join(dropped)}; geen "
              "CBS-cijfers in 2024) zijn weggelaten.")
    notes.add("pc4", "Ligging van een PC4: middelpunt volgens geonames (2018, dubbele "
              "vermeldingen gemiddeld); gemeente: de gemeente 2024 waarin dat middelpunt ligt "
              f"({int((~inside).sum())} middelpunten buiten alle vlakken: dichtstbijzijnde "
              "gemeente). Een PC4 die over een gemeentegrens loopt hoort zo bij één gemeente.")
    if len(missing):
        notes.add("pc4", f"{len(missing)} PC4's zonder middelpunt in geonames ("
                  f"{', '.join(pc4.loc[missing, 'pc4'])}) krijgen de gemeente van de "
                  "numeriek dichtstbijzijnde PC4 met dezelfde eerste drie cijfers, en als "
                  "middelpunt het gemiddelde van die PC3-buren in die gemeente.")
    return pc4, filled


def _pupil_targets(
    data_dir: Path, gemeenten: pd.DataFrame, notes: _Notes
) -> tuple[pd.DataFrame, dict[str, int]]:
    """CBS pupils by home gemeente code x type (incl. the PRO split) and national totals."""
    wide, period, unassigned = cbs.read_pupils_by_gemeente(data_dir)
    by_name = gemeenten.set_index("naam")["gemeente"]
    matched = wide.index.isin(by_name.index)
    targets = wide[matched].rename(index=by_name).reindex(gemeenten["gemeente"])
    no_cbs = targets.index[targets.isna().any(axis=1)].tolist()
    targets = targets.dropna().astype(int)
    pro = np.round(targets["VO"] * PRO_SHARE_OF_VO).astype(int)
    targets["VO"] = targets["VO"] - pro
    targets["PRO"] = pro
    national = {t: int(targets[t].sum()) for t in targets.columns}
    rest_vo = unassigned.get("VO", 0)
    rest = dict(unassigned, VO=rest_vo - round(rest_vo * PRO_SHARE_OF_VO),
                PRO=round(rest_vo * PRO_SHARE_OF_VO))
    for t in national:
        national[t] += int(rest.get(t, 0))
    notes.add("leerlingen_woongemeente", f"Leerlingen naar woongemeente: CBS 85701NED, "
              f"schooljaar {period} (voorlopige cijfers, afgerond op tientallen), gekoppeld op "
              f"gemeentenaam ({int(matched.sum())} gemeenten); lege cellen tellen als 0.")
    if no_cbs:
        notes.add("leerlingen_woongemeente", f"Geen CBS-leerlingen gevonden voor "
                  f"{', '.join(no_cbs)}: deze gemeente(n) ontbreken in deze tabel.")
    if unassigned:
        parts = ", ".join(f"{t} {_nl(v)}" for t, v in unassigned.items())
        notes.add(("leerlingen_woongemeente", "scholen"), "'Gemeenten; niet in te delen' is "
                  f"geen gemeente en is weggelaten ({parts} leerlingen); bij de leerlingen per "
                  "vestiging tellen ze wel mee, naar rato over de gemeenten verdeeld.")
    notes.add("leerlingen_woongemeente", "PrO zit bij CBS in 'Totaal voortgezet onderwijs': "
              f"PRO per gemeente is geschat als {_nl(PRO_SHARE_OF_VO * 100, 1)} % van VO (het "
              "landelijke aandeel praktijkonderwijs, CBS 80041NED 2021/22: 29.648 van 929.671) "
              "en van VO afgetrokken (gemodelleerd).")
    return targets, national


def _children(pc4: pd.DataFrame, targets: pd.DataFrame, notes: _Notes) -> None:
    """kinderen_po / kinderen_vo: uniform ages within CBS bands, rescaled per gemeente."""
    n014 = pc4["inw_0_14"].fillna(0.0)
    n1524 = pc4["inw_15_24"].fillna(0.0)
    raw = {"kinderen_po": n014 * 8 / 15, "kinderen_vo": n014 * 3 / 15 + n1524 * 3 / 10}
    want = {"kinderen_po": targets[list(PO_TYPES_CBS)].sum(axis=1),
            "kinderen_vo": targets[["VO", "PRO", "VSO"]].sum(axis=1)}
    for col, values in raw.items():
        have = values.groupby(pc4["gemeente"]).transform("sum")
        goal = pc4["gemeente"].map(want[col])
        factor = np.where(goal.notna() & (have > 0), goal / have.where(have > 0, 1.0), 1.0)
        pc4[col] = values * factor
    pc4["inwoners"] = pc4["inwoners"].fillna(0).round().astype(int)
    notes.add("pc4", "kinderen_po (4-11 jaar) = 8/15 × inwoners 0-14 en kinderen_vo (12-17 jaar) "
              "= 3/15 × inwoners 0-14 + 3/10 × inwoners 15-24 (leeftijden gelijk verdeeld "
              "binnen de CBS-klassen), daarna per gemeente herschaald zodat de som gelijk is "
              "aan de CBS-leerlingen 2023/'24 naar woongemeente (PO: BAO+SBO+SO; VO: VO+PrO+VSO). "
              "Deze kolommen zijn dus geschatte leerlingen naar woonpostcode (gemodelleerd).")
    notes.add("pc4", "Geheime of lege CBS-cellen (0-4 personen) tellen als 0 bij inwoners en "
              "leeftijdsklassen.")


def _context(pc4: pd.DataFrame, filled: int, notes: _Notes) -> None:
    """stedelijkheid, aandeel_eenouder, aandeel_uitkering (blanks stay null)."""
    een, twee = pc4["hh_eenouder"], pc4["hh_tweeouder"]
    both = een + twee
    pc4["aandeel_eenouder"] = (een / both.where(both > 0)).clip(0, 1)
    inw = pc4["inwoners"].astype(float)
    pc4["aandeel_uitkering"] = (pc4["uitkering_ww_bijstand_ao"] / inw.where(inw > 0)).clip(0, 1)
    pc4["stedelijkheid"] = pc4["stedelijkheid"].where(pc4["stedelijkheid"].between(1, 5))
    notes.add("pc4", "Context uit CBS PC4 2024: stedelijkheid (1 zeer sterk - 5 niet stedelijk), "
              "aandeel_eenouder = eenoudergezinnen / (eenouder- + tweeoudergezinnen), "
              "aandeel_uitkering = personen met WW, bijstand of AO (onder AOW-leeftijd) / "
              f"inwoners; lege cellen aangevuld uit CBS PC4 2023 ({filled} cellen), wat dan "
              "nog leeg is blijft leeg.")


def _indeling(
    reg: pd.DataFrame, pc4: pd.DataFrame, gemeenten: pd.DataFrame, notes: _Notes
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PC4 -> PO/VO SWV (2015 Regeling, gaps by gemeente main SWV) and the SWV table."""
    ind = pc4[["pc4", "gemeente", "inw_0_14", "kinderen_po", "kinderen_vo"]].merge(
        reg, on="pc4", how="left")
    weight = ind["inw_0_14"].fillna(0.0) + 1e-6  # PC4s without children still count a little
    filled_any = np.zeros(len(ind), dtype=bool)
    for col in ("swv_po", "swv_vo"):
        gap = ind[col].isna().to_numpy()
        if not gap.any():
            continue
        main = (pd.DataFrame({"g": ind["gemeente"], "s": ind[col], "w": weight})
                .dropna().groupby(["g", "s"])["w"].sum()
                .sort_values(ascending=False, kind="stable").reset_index()
                .drop_duplicates("g").set_index("g")["s"])
        ind.loc[gap, col] = ind.loc[gap, "gemeente"].map(main).to_numpy()
        still = ind[col].isna().to_numpy()
        if still.any():  # a gemeente without any Regeling PC4: nearest PC4 with an SWV
            ok = ~still
            xy = _xy(pc4["lat"].to_numpy(), pc4["lon"].to_numpy())
            _, nn = cKDTree(xy[ok]).query(xy[still])
            ind.loc[still, col] = ind.loc[ok, col].to_numpy()[nn]
        filled_any |= gap
    gap_codes = ind.loc[filled_any, "pc4"].tolist()
    notes.add("indeling", "Indeling PC4 -> SWV volgens de bijlage van de Regeling regio-indeling "
              "samenwerkingsverbanden passend onderwijs PO en VO (versie 23-04-2015); latere "
              "wijzigingen (fusies van SWV's, gemeentelijke herindelingen) zijn niet verwerkt.")
    if gap_codes:
        notes.add("indeling", f"{len(gap_codes)} PC4's die niet of zonder SWV in de Regeling "
                  f"staan ({', '.join(gap_codes)}; o.a. nieuwe postcodes en Europoort) krijgen "
                  "per sector het hoofd-SWV van hun gemeente: het SWV met de meeste kinderen "
                  "van 0-14 jaar in die gemeente.")
    indeling = ind[["pc4", "swv_po", "swv_vo"]].copy()

    gm_name = gemeenten.set_index("gemeente")["naam"].str.replace(" (gemeente)", "", regex=False)
    rows = []
    for col, sector, kids in (("swv_po", "PO", "kinderen_po"), ("swv_vo", "VO", "kinderen_vo")):
        per = ind.groupby([col, "gemeente"])[kids].sum().reset_index()
        per = per.sort_values([col, kids], ascending=[True, False], kind="stable")
        for code, grp in per.groupby(col, sort=True):
            main = gm_name.get(grp["gemeente"].iloc[0], grp["gemeente"].iloc[0])
            region = main + (" e.o." if grp["gemeente"].nunique() > 1 else "")
            rows.append((code, sector, f"SWV {code} ({region})"))
    swv = pd.DataFrame(rows, columns=["swv", "sector", "naam"])
    notes.add("swv", "SWV-codes zijn omgezet naar de DUO-schrijfwijze (PO2707 -> PO 27-07).")
    notes.add("swv", f"De SWV's zijn die van de Regeling 2015 ({(swv['sector'] == 'PO').sum()} "
              f"PO, {(swv['sector'] == 'VO').sum()} VO); de landelijke SWV's zonder eigen "
              "gebied (PO 00-01, VO 00-01) en fusies na 2015 ontbreken.")
    notes.add("swv", "SWV-namen staan niet in de bronbestanden: naam = 'SWV <code> (<gemeente "
              "met de meeste kinderen in het SWV> e.o.)'.")
    return indeling, swv


def _schools(
    data_dir: Path,
    pc4: pd.DataFrame,
    polygons: dict,
    gemeente_codes: pd.Series,
    notes: _Notes,
) -> pd.DataFrame:
    """School rows with gemeente, pc4 (``pc4_pos``: its row in ``pc4``) and coordinates."""
    po = schools_nl.read_po_schools(data_dir)
    vo = schools_nl.read_vo_schools(data_dir)
    sch = pd.concat([po.assign(gemeente_duo=None), vo], ignore_index=True)
    # coordinates: missing -> centroid of the school's PC4; neither -> the row is dropped
    pos = pd.Index(pc4["pc4"]).get_indexer(sch["pc4_bron"].fillna(""))
    no_xy = sch["lat"].isna().to_numpy() | sch["lon"].isna().to_numpy()
    fix = no_xy & (pos >= 0)
    sch.loc[fix, "lat"] = pc4["lat"].to_numpy()[pos[fix]]
    sch.loc[fix, "lon"] = pc4["lon"].to_numpy()[pos[fix]]
    lost = no_xy & (pos < 0)
    n_fixed = int(sch.loc[fix, "vestiging"].nunique())
    n_lost = int(sch.loc[lost, "vestiging"].nunique())
    sch = sch[~lost].reset_index(drop=True)
    pos = pos[~lost]
    # PC4: the address postcode if it is a PC4 of the table, else the nearest PC4 centroid
    unknown = pos < 0
    if unknown.any():
        _, nn = cKDTree(_xy(pc4["lat"], pc4["lon"])).query(
            _xy(sch.loc[unknown, "lat"], sch.loc[unknown, "lon"]))
        pos[unknown] = nn
    sch["pc4"] = pc4["pc4"].to_numpy()[pos]
    sch["pc4_pos"] = pos
    # gemeente: DUO code (VO) if it is a 2024 gemeente, else point in polygon
    located, _ = geo.locate_points(sch["lat"].to_numpy(), sch["lon"].to_numpy(), polygons)
    duo = sch["gemeente_duo"].where(sch["gemeente_duo"].isin(set(gemeente_codes)))
    sch["gemeente"] = duo.fillna(pd.Series(located, index=sch.index))

    special = sch["soort"].isin(["SO", "VSO"])
    n_named = int((special & sch["clusters_uit_naam"].astype(bool)).sum())
    counts = ", ".join(f"{t} {_nl(int((sch['soort'] == t).sum()))}" for t in schools_nl.BETA_KM)
    notes.add("scholen", f"Scholen ({counts} rijen): BAO, SBO, SO en VSO uit Scholen op de Kaart "
              "(november 2018), VO en PrO uit de lijst VO-vestigingen (DUO adressen_vo, ca. "
              "2025). Scholen die na 2018 zijn geopend, verhuisd of gefuseerd ontbreken in de "
              "PO-lijst of staan er in de oude vorm in; VSO-scholen zonder SO-afdeling ontbreken.")
    notes.add("scholen", "Vestigingsnummer PO/SO: BRIN + de laatste twee cijfers van het "
              "driecijferige SodK-volgnummer (000 -> 00); SodK-nummers vanaf 100 krijgen het "
              "hoogste vrije nummer vanaf 99 binnen dezelfde BRIN.")
    notes.add("scholen", "Een VO-vestiging met PRO=True of onderwijsstructuur PRO krijgt een "
              "PRO-rij; heeft ze daarnaast regulier VO, dan ook een VO-rij met hetzelfde "
              "vestigingsnummer.")
    notes.add("scholen", "Gemeente van een school: de DUO-gemeentecode (VO-lijst), anders het "
              "gemeentevlak 2024 waarin de school ligt (dichtstbijzijnde gemeente als ze buiten "
              "alle vlakken valt). PC4: de postcode van het adres; "
              f"{int(sch.loc[unknown, 'vestiging'].nunique())} vestiging(en) zonder bekende PC4 "
              f"kregen de dichtstbijzijnde PC4 en {n_fixed} vestiging(en) zonder coördinaat het "
              "middelpunt van hun PC4"
              + (f"; {n_lost} zonder coördinaat en PC4 zijn weggelaten." if n_lost else "."))
    notes.add("scholen", "SO/VSO-clusters staan niet in de bron en zijn afgeleid uit naam en "
              "website (gemodelleerd): 1 Visio/Bartiméus/Sensis/slechtziend/blind; 2 Auris/"
              "Kentalis/doof/slechthorend/taal/spraak; 3 ZML/mytyl/tyltyl/langdurig ziek/MG; "
              "4 ZMOK/pedologisch instituut/'cluster 4'/psychiatrie; zonder aanwijzing '3;4' "
              f"({n_named} van {int(special.sum())} SO/VSO-rijen herkend).")
    return sch


def _model_pupils(
    sch: pd.DataFrame,
    pc4: pd.DataFrame,
    targets: pd.DataFrame,
    national: dict[str, int],
    notes: _Notes,
) -> None:
    """Modelled ``leerlingen`` per school row: CBS pupils by home PC4 -> Huff model."""
    xy_pc4 = _xy(pc4["lat"], pc4["lon"])
    xy_sch = _xy(sch["lat"], sch["lon"])
    pos = sch["pc4_pos"].to_numpy()
    gm = pc4["gemeente"].to_numpy()
    sch["leerlingen"] = 0
    for t, beta in schools_nl.BETA_KM.items():
        sel = np.flatnonzero((sch["soort"] == t).to_numpy())
        if len(sel) == 0 or t not in targets.columns or targets[t].sum() <= 0:
            continue
        # home pupils of the type per PC4: gemeente total shared by the children in each PC4,
        # scaled up so that the national total includes "niet in te delen"
        kids = pc4[TYPE_KIDS[t]].to_numpy(float)
        in_gm = pd.Series(kids).groupby(gm).transform("sum").to_numpy()
        share = np.divide(kids, in_gm, out=np.zeros_like(kids), where=in_gm > 0)
        origin = pd.Series(gm).map(targets[t]).fillna(0.0).to_numpy(float) * share
        origin *= national[t] / targets[t].sum()
        pupils = schools_nl.allocate_pupils(
            xy_pc4, origin, xy_sch[sel], sch["gewicht"].to_numpy(float)[sel], pos[sel],
            beta, schools_nl.K_NEAREST[t])
        sch.loc[sch.index[sel], "leerlingen"] = np.minimum(
            schools_nl.round_to_total(pupils, national[t]), schools_nl.MAX_PUPILS)
    sch["leerlingen"] = sch["leerlingen"].astype(int)
    sch["leerlingen_gemodelleerd"] = True
    notes.add("scholen", "Leerlingen per vestiging zijn gemodelleerd (leerlingen_gemodelleerd = "
              "waar): de CBS-leerlingen 2023/'24 per woongemeente en soort worden over de PC4's "
              "van de gemeente verdeeld naar kinderen_po/kinderen_vo, en vanuit elke PC4 over "
              "de dichtstbijzijnde vestigingen van die soort met een Huff-model: aandeel ~ "
              "gewicht × exp(-1,3 × afstand / β), β in km: "
              + ", ".join(f"{t} {_nl(b, 1)}" for t, b in schools_nl.BETA_KM.items())
              + ". Zo tellen de vestigingen per soort op tot het landelijke CBS-totaal.")
    notes.add("scholen", "Gewicht in dat model: 1 per PO/SBO/SO/VSO-vestiging (cluster-1-"
              f"vestigingen {_nl(schools_nl.CLUSTER1_WEIGHT, 1)}, landelijk ~1 % van de "
              "(V)SO-leerlingen); VO/PrO: 'students_per_grade' uit de VO-lijst als relatieve "
              "grootte ('enrollment_total' is geen leerlingaantal), ontbrekend aangevuld met de "
              "mediaan van dezelfde onderwijsstructuur; het PrO-deel van een gemengde vestiging "
              "krijgt de mediaan van de PrO-scholen. Hoogstens "
              f"{_nl(schools_nl.MAX_PUPILS)} leerlingen per vestiging.")


def _gemeente_totals(gemeenten: pd.DataFrame, pc4: pd.DataFrame) -> pd.DataFrame:
    sums = pc4.groupby("gemeente")[["inwoners", "inw_0_14"]].sum()
    out = gemeenten.copy()
    out["inwoners"] = out["gemeente"].map(sums["inwoners"]).fillna(0).round().astype(int)
    out["inwoners_0_14"] = out["gemeente"].map(sums["inw_0_14"]).fillna(0).round().astype(int)
    return out


def _targets_long(targets: pd.DataFrame) -> pd.DataFrame:
    long = targets.rename_axis("gemeente").reset_index().melt(
        id_vars="gemeente", var_name="soort", value_name="leerlingen")
    order = {t: i for i, t in enumerate(("BAO", "SBO", "SO", "VSO", "VO", "PRO"))}
    return long.sort_values(["gemeente", "soort"], key=lambda s: s.map(order)
                            if s.name == "soort" else s, ignore_index=True)


_STATUS = {
    "gemeenten": ("observed", "CBS/PDOK gemeenten 2024, KoppelCodes, jeugdregio's 2025, "
                  "CBS PC4 2024"),
    "jeugdregios": ("observed", "CBS jeugdregio's 2025 (cartomap)"),
    "pc4": ("mixed", "CBS kerncijfers PC4 2024/2023, geonames-middelpunten; kinderen gemodelleerd"),
    "besturen": ("observed", "Scholen op de Kaart 2018, VO-vestigingen (DUO)"),
    "scholen": ("mixed", "Scholen op de Kaart 2018, VO-vestigingen (DUO); leerlingen en "
                "clusters gemodelleerd"),
    "swv": ("observed", "Regeling regio-indeling samenwerkingsverbanden passend onderwijs PO en "
                        "VO (2015)"),
    "indeling": ("mixed", "Regeling regio-indeling samenwerkingsverbanden passend onderwijs PO "
                          "en VO (2015), aangevuld per "
                 "gemeente"),
    "leerlingen_woongemeente": ("mixed", "CBS 85701NED 2023/'24*; PRO gemodelleerd"),
}


def _provenance(notes: _Notes) -> dict:
    return {name: {"status": status, "source": source, "notes": list(notes.by_table.get(name, []))}
            for name, (status, source) in _STATUS.items()}
