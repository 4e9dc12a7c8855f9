"""The Dutch HTML report: one self-contained, offline file (inline CSS, JS and SVG)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from nabij.fileio import atomic_write_text
from nabij.io.labels import PROVENANCE_LABELS
from nabij.privacy import DEFAULT_THRESHOLD
from nabij.report import charts, content, scenario_section
from nabij.report.content import Cell, Table
from nabij.report.fmt import format_value, nl_number
from nabij.report.maps import Geography, MapKit, distance_legend, gemeente_means, svg_path
from nabij.report.measures_folder import DivisionResult, Measures

TEMPLATES = Path(__file__).with_name("templates")
STATUS_NL = PROVENANCE_LABELS
DISTANCE_STACK = (
    ("#FFF7BC", "tot en met 5 km"), ("#FEC44F", "5 tot 10 km"), ("#CC4C02", "10 tot 20 km"),
    ("#662506", "meer dan 20 km"), ("url(#arcering)", "geen in eigen regio"),
)


@dataclass
class Context:
    """Shared state while rendering: the atlas geography, threshold and id registry."""

    atlas: Any
    measures: Measures
    threshold: int
    kit: MapKit
    pc4_gemeente: pd.Series
    gemeente_names: dict[str, str]
    defs: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def uid(self, base: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-") or "x"
        out, k = base, 2
        while out in self.ids:
            out, k = f"{base}-{k}", k + 1
        self.ids.add(out)
        return out


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["nl"] = lambda v, d=1: nl_number(v, d)
    return env


# --------------------------------------------------------------------------- pieces
def _assignment(div: DivisionResult) -> pd.Series | None:
    if div.assignment is None or not {"pc4", "regio"} <= set(div.assignment.columns):
        return None
    a = div.assignment
    return pd.Series(a["regio"].astype(str).to_numpy(), index=a["pc4"].astype(str).to_numpy())


def _region_labels(ctx: Context, div: DivisionResult, gemeenten: dict[str, list[str]],
                   numbers: dict[str, int]) -> dict[str, str]:
    key = content.pupils_key(ctx.measures)
    names = div.region_names()
    by_code = {str(r.get("regio")): r for r in div.regions}
    out = {}
    for code, nr in numbers.items():
        parts = [f"{nr}. {names.get(code, code)} ({code})"]
        r = by_code.get(code, {})
        if key and key in r:
            parts.append(f"{format_value(r.get(key), 'leerlingen', ctx.threshold)} leerlingen")
        g = gemeenten.get(code, [])
        if g:
            word = "gemeente" if len(g) == 1 else "gemeenten"
            parts.append(f"{len(g)} {word}: {content.name_list(g, 12)}")
        out[code] = " — ".join(parts)
    return out


def _thuis_maps(ctx: Context, frame: pd.DataFrame, types: list[str], eigen: bool,
                prefix: str, outline_ref: str | None, where: str) -> list[dict]:
    maps = []
    for t in types:
        col = f"afstand_eigen_{t}" if eigen else f"afstand_{t}"
        if col not in frame:
            continue
        vals = gemeente_means(frame, col, ctx.pc4_gemeente,
                              content.weights(frame, ctx.threshold))
        label = content.provision_label(t)
        stats = content.distance_stats(frame, col, ctx.threshold)
        title = f"Kaart: gemiddelde afstand per gemeente tot {label} {where}"
        svg = ctx.kit.value_map(ctx.uid(f"{prefix}-{t}"), vals, title, missing_means_absent=eigen)
        if outline_ref:
            svg = svg.replace('<g class="regiogrenzen"></g>',
                              f'<g class="regiogrenzen"><use href="#{outline_ref}"/></g>')
        alt = (f"Gemiddeld {format_value(stats['gemiddeld'], 'km')}, mediaan "
               f"{format_value(stats['mediaan'], 'km')}, 90 % van de kinderen binnen "
               f"{format_value(stats['p90'], 'km')}")
        if eigen and stats["zonder"]:
            alt += f"; {format_value(stats['zonder'], 'aandeel')} heeft er geen in de eigen regio"
        maps.append({"label": label, "svg": Markup(svg), "alt": alt + "."})
    return maps


def _division_page(ctx: Context, div: DivisionResult) -> dict:
    m, thr = ctx.measures, ctx.threshold
    slug = ctx.uid(f"indeling-{div.slug}")
    assignment = _assignment(div)
    numbers = content.region_numbers(div)
    gemeenten = content.region_gemeenten(div, ctx.pc4_gemeente, ctx.gemeente_names)
    names = div.region_names()
    facts = content.size_facts(m, div) or {}
    page: dict = {"id": slug, "name": div.name, "sector": div.sector, "thumb": None,
                  "below": facts.get("below"), "norm_text": facts.get("norm_text"),
                  "recipe": scenario_section.recipe_line(div.recipe),
                  "extras": scenario_section.blocks(ctx.uid(f"front-{div.slug}"), div.recipe),
                  "n_regions": div.n_regions}
    # key numbers of this division
    page["kpis"] = content.key_numbers(m, div, thr)
    # region map
    page["map"] = None
    outline_ref = None
    if assignment is not None:
        shapes = ctx.kit.region_shapes(assignment)
        labels = _region_labels(ctx, div, gemeenten, numbers)
        pc4_buren = ctx.atlas.pc4_buren if _has(ctx.atlas, "pc4_buren") else None
        map_id = ctx.uid(f"kaart-{div.slug}")
        page["map"] = Markup(ctx.kit.region_map(
            map_id, assignment, labels, numbers,
            f"Kaart van de {len(shapes)} regio's van {div.name}", pc4_buren, shapes))
        page["map_id"] = map_id
        page["n_shapes"] = len(shapes)
        page["thumb"] = Markup(ctx.kit.thumbnail(
            map_id, f"Kleine kaart van {div.name}: {len(shapes)} regio's"))
        outline_ref = ctx.uid(f"grens-{div.slug}")
        d = "".join(svg_path(ctx.kit.canvas.pixels(g)) for g in shapes.values())
        ctx.defs.append(f'<path id="{outline_ref}" d="{d}"/>')
    # thuisnabijheid maps (own region)
    types = content.provision_types(div.thuisnabijheid)
    page["thuis"] = []
    if div.thuisnabijheid is not None and types:
        page["thuis"] = _thuis_maps(ctx, div.thuisnabijheid, types, True,
                                    f"thuis-{div.slug}", outline_ref, "in de eigen regio")
    # charts
    page["charts"] = []
    sizes = content.size_distribution(m, div)
    if sizes:
        size_labels, counts = sizes
        size_bars = [charts.Bar(lab, c, str(c))
                     for lab, c in zip(size_labels, counts, strict=True)]
        facts = content.size_facts(m, div) or {}
        cid = ctx.uid(f"grootte-{div.slug}")
        title = (f"Aantal regio's per grootteklasse (leerlingen); {facts.get('below', 0)} "
                 f"van de {facts.get('n', 0)} regio's heeft minder dan "
                 f"{facts.get('norm_text', '')} leerlingen")
        page["charts"].append({
            "id": cid, "title": "Grootteverdeling van de regio's",
            "svg": Markup(charts.column_chart(cid, size_bars, title, "leerlingen per regio "
                                              "(k = duizend)", highlight={0, 1})),
            "caption": title + ". Paars: onder de ondergrens van "
                       f"{facts.get('norm_text', '')} leerlingen.",
            "table": Table(["Grootteklasse (leerlingen)", "Aantal regio's"],
                           [[Cell(lab, lab), Cell(c, str(c), numeric=True)]
                            for lab, c in zip(content.size_class_labels(m), counts,
                                              strict=True)]),
        })
    dist = content.distance_table(div)
    if dist is not None and div.thuisnabijheid is not None:
        rows = []
        for t in types:
            for col, where in ((f"afstand_eigen_{t}", "eigen regio"), (f"afstand_{t}", "overal")):
                if col in div.thuisnabijheid:
                    rows.append((f"{content.provision_label(t)}, {where}",
                                 content.distance_shares(div.thuisnabijheid, col, thr)))
        cid = ctx.uid(f"afstand-{div.slug}")
        title = ("Aandeel kinderen naar afstand tot de dichtstbijzijnde voorziening, in de eigen "
                 "regio en overal")
        page["charts"].append({
            "id": cid, "title": "Afstand tot voorzieningen",
            "svg": Markup(charts.stacked_chart(cid, rows, DISTANCE_STACK, title)),
            "caption": title + " (gewogen naar kinderen per postcodegebied).",
            "table": dist,
        })
    flows, bars, share = content.flow_table(div, thr, names)
    if flows.rows:
        cid = ctx.uid(f"grens-{div.slug}")
        title = f"Grootste leerlingstromen tussen regio's van {div.name}"
        caption = title
        if share is not None:
            caption += (f". In totaal gaat {format_value(share, 'aandeel')} van de leerlingen "
                        f"naar school buiten de eigen regio")
        page["charts"].append({
            "id": cid, "title": "Grensverkeer",
            "svg": Markup(charts.hbar_chart(
                cid, [charts.Bar(lab, v, format_value(v, "leerlingen", thr))
                      for lab, v in bars[:12]], title, "leerlingen", label_width=200)
                if bars else
                f'<p class="leeg">Geen grafiek: alle stromen tussen regio\'s zijn kleiner dan '
                f'{thr} leerlingen of afgeschermd voor de privacy.</p>'),
            "caption": caption + ".",
            "table": flows,
        })
    page["regions"] = content.region_table(m, div, thr, gemeenten, core=True)
    return page


def _has(atlas: object, table: str) -> bool:
    has = getattr(atlas, "has", None)
    return bool(has(table)) if callable(has) else getattr(atlas, table, None) is not None


def _overall_maps(ctx: Context) -> list[dict]:
    seen: list[str] = []
    maps = []
    for div in ctx.measures.divisions:
        f = div.thuisnabijheid
        for t in content.provision_types(f):
            if t in seen or f is None or f"afstand_{t}" not in f:
                continue
            seen.append(t)
            maps += _thuis_maps(ctx, f, [t], False, f"overal-{t}", None, "(zonder regiogrenzen)")
    return maps


def _method(ctx: Context, manifest: dict | None) -> dict:
    m = ctx.measures
    meta = manifest.get("meta", {}) if manifest else {}
    if not meta and hasattr(ctx.atlas, "meta"):
        meta = ctx.atlas.meta.to_dict()
    meta = meta or m.atlas
    used = set(m.summary_keys()) | set(m.region_keys())
    definitions = []
    for key, d in list(m.definities.items()) + [(k, m.definition(k)) for k in sorted(used)
                                                 if k not in m.definities]:
        beter = {"lager": "lager is beter", "hoger": "hoger is beter"}.get(
            d.get("beter") or "", "")
        definitions.append({"label": d.get("label") or key, "key": key,
                            "definitie": d.get("definitie") or "",
                            "eenheid": d.get("eenheid") or "",
                            "beter": beter, "gemodelleerd": bool(d.get("gemodelleerd"))})
    provenance = []
    for table, p in (meta.get("provenance") or m.atlas.get("provenance") or {}).items():
        p = p if isinstance(p, dict) else {"status": p}
        provenance.append({"tabel": table,
                           "status": STATUS_NL.get(str(p.get("status")), p.get("status")),
                           "modelled": p.get("status") in ("modelled", "mixed"),
                           "bron": p.get("source") or "", "notities": p.get("notes") or []})
    sources = []
    for s in meta.get("sources") or []:
        if isinstance(s, dict):
            sources.append(" — ".join(str(v) for v in s.values() if v))
        else:
            sources.append(str(s))
    return {"definitions": definitions, "provenance": provenance, "sources": sources,
            "notes": list(meta.get("notes") or []),
            "created": (manifest or {}).get("created", ""),
            "modelled": [p["tabel"] for p in provenance if p["modelled"]],
            "distance": m.parameters.get("afstandsmodel") or "",
            "flows_modelled": bool(m.flows_modelled) if m.flows_modelled is not None
            else any(p["tabel"] == "stromen" and p["modelled"] for p in provenance)}


# --------------------------------------------------------------------------- entry points
def render_report(atlas, measures: Measures, threshold: int | None = None,
                  manifest: dict | None = None, fund: object | None = None,
                  today: date | None = None, transport: object | None = None,
                  whatif: object | None = None, geo: Geography | None = None) -> str:
    """The report as one HTML string (self-contained, Dutch). ``geo``: the atlas's
    :class:`Geography` when the caller has one (its dissolved regions are reused)."""
    thr = int(threshold if threshold is not None else measures.drempel or DEFAULT_THRESHOLD)
    geo = geo if geo is not None else Geography.from_atlas(atlas)
    kit = MapKit.build(geo)
    pc4_gemeente = pd.Series(atlas.pc4["gemeente"].astype(str).to_numpy(),
                             index=atlas.pc4["pc4"].astype(str).to_numpy())
    ctx = Context(atlas, measures, thr, kit, pc4_gemeente, geo.gemeente_names)
    core, core_defs = content.comparison_table(measures, thr, core=True)
    full, full_defs = content.comparison_table(measures, thr)
    pages = [_division_page(ctx, d) for d in measures.divisions]
    overall = _overall_maps(ctx)
    meta = getattr(atlas, "meta", None)
    info = {
        "naam": getattr(meta, "name", None) or measures.atlas.get("name", "onbekend"),
        "jaar": getattr(meta, "reference_year", None) or measures.atlas.get("reference_year", ""),
        "datum": (today or date.today()).strftime("%d-%m-%Y"),
    }
    fund_html = _fund_html(fund, transport, whatif, thr)
    defs = kit.defs_svg().replace("</defs>", "".join(ctx.defs) + "</defs>")
    html = _env().get_template("rapport.html.j2").render(
        info=info, threshold=thr, measures=measures,
        core=content.family_groups(core, core_defs),
        full=content.family_groups(full, full_defs) if len(full.rows) > len(core.rows) else None,
        findings=content.findings(measures, thr), pages=pages,
        overall=overall, legend=distance_legend(), method=_method(ctx, manifest),
        fund_html=fund_html, defs=Markup(defs),
    )
    return html


def _fund_html(fund: object | None, transport: object | None, whatif: object | None,
               threshold: int) -> Markup | None:
    """The inclusiefonds/leerlingenvervoer section, when results are given."""
    if fund is None and transport is None and whatif is None:
        return None
    try:
        from nabij.report.fund_section import render_fund_section
    except ImportError:
        return None
    return Markup(render_fund_section(fund, transport, threshold, whatif_result=whatif))


def write_report(atlas, measures: Measures, out: str | Path, threshold: int | None = None,
                 manifest: dict | None = None, fund: object | None = None,
                 transport: object | None = None, whatif: object | None = None,
                 geo: Geography | None = None) -> Path:
    """Render the report and write it atomically to ``out``."""
    return atomic_write_text(out, render_report(
        atlas, measures, threshold, manifest, fund, transport=transport, whatif=whatif,
        geo=geo))
