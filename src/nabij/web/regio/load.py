"""Load a Division of an Atlas into the workspace: regions with map shapes and measures, and
their parties derived from the atlas (gemeenten, schoolbesturen with a location in the region,
SWVs). Re-loading the same division updates it and keeps everything the regions recorded."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from nabij.web.regio.models import Division, Organisation, Party, Region
from nabij.web.regio.roles import Category

Progress = Callable[[str], None]


def load_division(atlas, division, progress: Progress | None = None, history=None,
                  register=None, register_modelled: bool = False) -> Division:
    """Store ``division`` (a ``nabij.divisions.Division``) of ``atlas``; returns the model.

    ``history`` (``nabij.monitor.PupilHistory``) and ``register`` feed the monitor; without
    them the monitor shows the indicators nabij models itself (distance, border traffic,
    transport).
    """
    say = progress or (lambda _m: None)
    say("maatstaven berekenen")
    defs, region_values = _measures(atlas, division)
    say("monitor doorrekenen")
    mon_cat, mon_values, mon_sources, mon_national = _monitor(atlas, division, history,
                                                              register, register_modelled)
    say("kaart tekenen")
    viewbox, background, paths = _map(atlas, division)
    say("partijen afleiden")
    pc4 = atlas.pc4[["pc4", "gemeente"]].astype({"pc4": str})
    pc4["regio"] = pc4["pc4"].map(division.assignment)
    with transaction.atomic():
        div, _ = Division.objects.update_or_create(name=division.name, defaults={
            "sector": division.sector, "recipe": _jsonable(dict(division.recipe)),
            "atlas_name": atlas.meta.name, "reference_year": atlas.meta.reference_year,
            "viewbox": viewbox, "background_svg": background, "measure_definitions": defs,
            "monitor_catalogue": mon_cat, "monitor_sources": mon_sources,
            "monitor_national": mon_national})
        regions = _regions(div, division, atlas, pc4, region_values, paths, mon_values)
        say("partijen opslaan")
        _parties(atlas, division, pc4, regions)
    return div


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    return str(v)


def _measures(atlas, division) -> tuple[dict, dict[str, dict]]:
    from nabij.measures import measure_all

    ms = measure_all(atlas, [division])
    defs = ms.definition_dicts()
    frame = ms.divisions[0].regions
    out: dict[str, dict] = {}
    for row in frame.to_dict("records"):
        code = str(row.pop("regio"))
        row.pop("naam", None)
        out[code] = {k: _number(v) for k, v in row.items() if k in defs}
    return defs, out


def _number(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None if v is None else str(v)
    if not math.isfinite(f):
        return None
    return int(f) if f.is_integer() else round(f, 4)


def _monitor(atlas, division, history, register, register_modelled, origins=None
             ) -> tuple[dict, dict[str, dict], list[str], dict[str, list]]:
    """The published (suppressed) monitor: catalogue; per region the latest value, the national
    value, the last periods and every published point of every indicator; the sources; and the
    national series (the base of targets "terug naar het landelijk gemiddelde").

    ``origins``: region code -> (label, modelled) of its register figures (thuiszitters and
    vrijstellingen) when they do not come from ``register`` as a whole (e.g. from the loket's
    casework register)."""
    from nabij.monitor.engine import NATIONAL, published, run_monitor

    res = run_monitor(atlas, division, history=history, register=register,
                      register_modelled=register_modelled)
    cat = {i: {**_indicator_meta(res.catalogue[i], register_modelled), "volgorde": k}
           for k, i in enumerate(res.indicators)}
    pub = published(res).sort_values(["schooljaar", "halfjaar"])
    nat = pub[pub["regio"] == NATIONAL]
    national = {ind: _number(g["waarde"].iloc[-1]) for ind, g in nat.groupby("indicator")}
    default_origin = ("registerbestand (synthetisch, gemodelleerd)" if register_modelled
                      else "registerbestand", bool(register_modelled))
    out: dict[str, dict] = {}
    for (regio, ind), g in pub[pub["regio"] != NATIONAL].groupby(["regio", "indicator"]):
        last = g.iloc[-1]
        entry = {
            "periode": str(last["periode"]), "waarde": _number(last["waarde"]),
            "status": None if pd.isna(last["status"]) else str(last["status"]),
            "verwacht": _number(last["verwacht"]), "landelijk": national.get(ind),
            "reeks": [[str(r.periode), _number(r.waarde)] for r in g.tail(6).itertuples()],
            "punten": _points(g)}
        if res.catalogue[str(ind)].berekening == "register":
            label, modelled = (origins or {}).get(str(regio), default_origin)
            entry["herkomst"], entry["gemodelleerd"] = label, bool(modelled)
        out.setdefault(str(regio), {})[str(ind)] = entry
    return cat, out, [str(s) for s in res.sources], \
        {str(ind): _points(g) for ind, g in nat.groupby("indicator")}


def _indicator_meta(ind, register_modelled: bool) -> dict:
    return {"naam": ind.naam, "eenheid": ind.eenheid, "richting": ind.richting,
            "definitie": ind.definitie, "bron": ind.bron, "berekening": ind.berekening,
            "gemodelleerd": bool(ind.gemodelleerd),
            "toon_met": list(ind.toon_met)}


def _points(g: pd.DataFrame) -> list[list]:
    """Every published point of one series: [school year, half year (0 = whole year), value]
    (``None`` where the value is suppressed)."""
    return [[int(y), int(h), _number(v)] for y, h, v in
            zip(g["schooljaar"], g["halfjaar"], g["waarde"], strict=True)]


def refresh_monitor(div: Division, atlas, division, history=None, register=None,
                    register_modelled: bool = False, origins=None,
                    sources: list[str] | None = None) -> None:
    """Recompute the monitor of a loaded division (e.g. after the loket's cases changed the
    register), without touching measures, map or parties."""
    cat, values, srcs, national = _monitor(atlas, division, history, register,
                                           register_modelled, origins)
    with transaction.atomic():
        Division.objects.filter(pk=div.pk).update(
            monitor_catalogue=cat, monitor_sources=srcs + list(sources or []),
            monitor_national=national)
        regions = list(Region.objects.filter(division=div))
        for r in regions:
            r.monitor = values.get(r.code, {})
        Region.objects.bulk_update(regions, ["monitor"], batch_size=200)


def _map(atlas, division) -> tuple[str, str, dict[str, str]]:
    from nabij.report.maps import Geography, MapKit, svg_path

    kit = MapKit.build(Geography.from_atlas(atlas), width=480)
    shapes = kit.region_shapes(division.assignment)
    paths = {r: svg_path(kit.canvas.pixels(g)) for r, g in shapes.items()}
    background = "".join(f'<path d="{d}"/>' for d in paths.values() if d)
    return kit.canvas.viewbox, background, paths


def _regions(div, division, atlas, pc4, values, paths, monitor) -> dict[str, Region]:
    names = dict(zip(atlas.gemeenten["gemeente"], atlas.gemeenten["naam"], strict=False))
    out = {}
    for code, grp in pc4.dropna(subset=["regio"]).groupby("regio"):
        gms = sorted(grp["gemeente"].unique())
        vals = values.get(str(code), {})
        pupils = vals.get("leerlingen")
        region, _ = Region.objects.update_or_create(division=div, code=str(code), defaults={
            "name": division.region_name(str(code)),
            "gemeenten": [{"code": g, "naam": names.get(g, g)} for g in gms],
            "n_pc4": len(grp), "pupils": int(pupils) if isinstance(pupils, int | float) else None,
            "shape_path": paths.get(str(code), ""), "measures": vals,
            "monitor": monitor.get(str(code), {})})
        out[str(code)] = region
    return out


def _organisations(rows: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], Organisation]:
    """Get or create organisations by (category, code); rows are (category, code, name,
    sectors)."""
    existing = {(o.category, o.code): o for o in Organisation.objects.exclude(code="")}
    new = [Organisation(category=c, code=k, name=n, sectors=s)
           for c, k, n, s in dict.fromkeys(rows) if (c, k) not in existing]
    new = list({(o.category, o.code): o for o in new}.values())
    if new:
        bulk_create_with_history(new, Organisation, batch_size=500)
        existing = {(o.category, o.code): o for o in Organisation.objects.exclude(code="")}
    return existing


def _parties(atlas, division, pc4: pd.DataFrame, regions: dict[str, Region]) -> None:
    links = _derived_links(atlas, pc4)
    orgs = _organisations([(c, k, n, s) for _r, c, k, n, s, _d in links])
    have = set(Party.objects.filter(region__in=regions.values())
               .values_list("region_id", "organisation_id"))
    new = []
    for r, c, k, _n, _s, detail in links:
        region, org = regions.get(r), orgs[(c, k)]
        if region is not None and (region.pk, org.pk) not in have:
            have.add((region.pk, org.pk))
            new.append(Party(region=region, organisation=org, source=Party.Source.ATLAS,
                             detail=detail))
    if new:
        bulk_create_with_history(new, Party, batch_size=500)


def _derived_links(atlas, pc4: pd.DataFrame) -> list[tuple[str, str, str, str, str, str]]:
    """(region, category, code, name, sectors, detail) for every derived party."""
    out: list[tuple[str, str, str, str, str, str]] = []
    gm_names = dict(zip(atlas.gemeenten["gemeente"], atlas.gemeenten["naam"], strict=False))
    g = pc4.dropna(subset=["regio"]).groupby(["regio", "gemeente"]).size()
    for (r, gm), n in g.items():
        out.append((r, Category.GEMEENTE, gm, gm_names.get(gm, gm), "",
                    f"{n} postcodegebied{'en' if n != 1 else ''} in de regio"))
    sch = atlas.scholen[["vestiging", "bestuur", "pc4"]].astype(str)
    sch["regio"] = sch["pc4"].map(pc4.set_index("pc4")["regio"])
    boards = atlas.besturen.set_index(atlas.besturen["bestuur"].astype(str))
    for (r, b), grp in sch.dropna(subset=["regio"]).groupby(["regio", "bestuur"]):
        name = str(boards["naam"].get(b, b))
        sectors = str(boards["sectoren"].get(b, "") or "")
        n = grp["vestiging"].nunique()
        out.append((r, Category.SCHOOLBESTUUR, b, name, sectors,
                    f"{n} vestiging{'en' if n != 1 else ''} in de regio"))
    ind = atlas.indeling.astype(str)
    ind["regio"] = ind["pc4"].map(pc4.set_index("pc4")["regio"])
    swv = atlas.swv.set_index(atlas.swv["swv"].astype(str))
    for col in ("swv_po", "swv_vo"):
        for (r, s), n in ind.dropna(subset=["regio"]).groupby(["regio", col]).size().items():
            out.append((r, Category.SWV, s, str(swv["naam"].get(s, s)),
                        str(swv["sector"].get(s, "")),
                        f"{n} postcodegebied{'en' if n != 1 else ''} in de regio"))
    return out
