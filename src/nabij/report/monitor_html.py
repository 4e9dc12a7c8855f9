"""The half-yearly monitor report: one offline Dutch HTML file (style of the main report) with
a national overview (a map per indicator), a page per region with its indicators as small
multiples (trend, target path, national line, notes; a table under every chart), target status,
warnings and unexplained differences; ``.xlsx`` and ``.csv`` beside it with all series.

Everything shown comes from :func:`nabij.monitor.engine.published`: counts below the threshold
are hidden (with complementary suppression) once, and every output shows the same cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from nabij.fileio import atomic_write, atomic_write_text
from nabij.monitor.catalogue import Indicator
from nabij.monitor.engine import MonitorResult, is_hidden, published
from nabij.monitor.series import NATIONAL, NATIONAL_NAME, period_label, unit_weights
from nabij.monitor.signals import check_shown_together
from nabij.monitor.targets import BEHIND, FAR_BEHIND, ON_TRACK
from nabij.privacy import DEFAULT_THRESHOLD
from nabij.report.content import Cell, Table
from nabij.report.fmt import nl_number
from nabij.report.maps import SEQUENTIAL, Geography, MapKit
from nabij.report.monitor_charts import Line, line_chart, pair_chart

TEMPLATES = Path(__file__).with_name("templates")
STATUS_CLASS = {ON_TRACK: "op-koers", BEHIND: "achter", FAR_BEHIND: "ver-achter"}
MAP_CLASSES = 5


# --------------------------------------------------------------------------- formatting
def fmt(value: object, ind: Indicator) -> str:
    """A value in the indicator's unit, the Dutch way; "–" when missing or hidden."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    unit = ind.eenheid.lower()
    if unit.startswith("%"):
        return nl_number(v, 1) + " %"
    if unit == "km":
        return nl_number(v, 1) + " km"
    if unit.startswith("euro"):
        return "€ " + nl_number(v, 0)
    return nl_number(v, 2 if abs(v) < 10 else 1)


def _count(value: object) -> Cell:
    if is_hidden(value):
        return Cell(None, str(value), suppressed=True, numeric=True)
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return Cell(None, "–", numeric=True)
    if not math.isfinite(v):
        return Cell(None, "–", numeric=True)
    return Cell(round(v), nl_number(v, 0), numeric=True)


def _num(value: object) -> float:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def _label(ind: Indicator, result: MonitorResult) -> str | None:
    """"gemodelleerd" / "synthetisch" when the figures are not observed."""
    if ind.gemodelleerd:
        return "gemodelleerd"
    if ind.berekening == "deelname" and result.history_modelled:
        return "synthetisch"
    if ind.berekening == "register" and result.register_modelled:
        return "synthetisch"
    return None


@dataclass
class Ctx:
    result: MonitorResult
    pub: pd.DataFrame
    threshold: int
    notes: pd.DataFrame
    groups: dict = field(default_factory=dict)
    note_records: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.note_records = [] if self.notes is None or self.notes.empty else \
            self.notes.to_dict("records")
        groups: dict[tuple[str, str], list[dict]] = {}
        recs = self.pub.sort_values(["schooljaar", "halfjaar"]).to_dict("records")
        for r in recs:
            groups.setdefault((r["regio"], r["indicator"]), []).append(r)
        self.groups = groups

    def ind(self, iid: str) -> Indicator:
        return self.result.catalogue[iid]

    def rows(self, regio: str, iid: str) -> list[dict]:
        """Published rows of one region (or "NL") and indicator, in time order."""
        return self.groups.get((regio, iid), [])


# --------------------------------------------------------------------------- region pages
def _page_notes(ctx: Ctx, regio: str) -> list[dict]:
    """Notes of this region, of every region and of the national line, numbered by date."""
    picked = [n for n in ctx.note_records if n["regio"] in (regio, "*", NATIONAL)]
    picked.sort(key=lambda n: n["datum"])
    out = []
    for k, n in enumerate(picked, start=1):
        out.append({"nr": k, "datum": n["datum"], "tekst": n["tekst"], "auteur": n["auteur"],
                    "indicator": n["indicator"],
                    "x": float(n["schooljaar"]) + (0.5 if n["halfjaar"] == 2 else 0.0),
                    "periode": period_label(int(n["schooljaar"]), int(n["halfjaar"])),
                    "landelijk": n["regio"] == NATIONAL})
    return out


def _target_line(ctx: Ctx, regio: str, iid: str) -> tuple[Line | None, Any]:
    t = next((t for t in ctx.result.targets if t.regio == regio and t.indicator == iid), None)
    if t is None:
        return None, None
    xs = sorted({float(t.basisjaar), float(t.doeljaar)} | (
        set(np.arange(t.basisjaar, t.doeljaar + 1e-9, 0.5).tolist()) if t.traject ==
        "trapsgewijs" else set()))
    return Line([(x, float(t.path(x))) for x in xs]), t


def _figure(ctx: Ctx, regio: str, iid: str, fig_id: str, page_notes: list[dict]) -> dict:
    ind = ctx.ind(iid)
    own = ctx.rows(regio, iid)
    nat = {(r["schooljaar"], r["halfjaar"]): r["waarde"] for r in ctx.rows(NATIONAL, iid)}
    notes = [n for n in page_notes if n["indicator"] in (iid, "")]
    tline, target = _target_line(ctx, regio, iid)
    x = [float(r["schooljaar"]) + (0.5 if r["halfjaar"] == 2 else 0.0) for r in own]
    vals = [_num(r["waarde"]) for r in own]
    prov = {k for k, r in enumerate(own) if r["status"] == "voorlopig"}
    name = ctx.result.region_name(regio)
    last = next(((k, v) for k, v in reversed(list(enumerate(vals))) if math.isfinite(v)), None)
    nat_vals = [_num(nat.get((r["schooljaar"], r["halfjaar"]))) for r in own]
    single = len(own) <= 1
    title = f"{ind.naam} — {name}"
    summary = _summary(ind, own, nat_vals, last, target)
    if single:
        v0 = vals[0] if vals else None
        n0 = nat_vals[0] if nat_vals else None
        svg = pair_chart(fig_id, f"{title}: {summary}",
                         [(regio, v0, fmt(v0, ind)), (NATIONAL_NAME, n0, fmt(n0, ind))],
                         ind.eenheid)
    else:
        region_line = Line(list(zip(x, vals, strict=True)), prov)
        nat_line = Line(list(zip(x, nat_vals, strict=True)))
        lo, hi = (min(x), max(x)) if x else (0.0, 0.0)
        if target is not None:
            hi = max(hi, float(target.doeljaar))
        shown = [(n["x"], n["nr"]) for n in notes if lo - 0.01 <= n["x"] <= hi + 0.01]
        svg = line_chart(fig_id, f"{title}: {summary}", region_line, nat_line, tline, shown)
    return {"id": fig_id, "indicator": ind, "title": ind.naam, "svg": Markup(svg),
            "label": _label(ind, ctx.result), "summary": summary,
            "notes": [n for n in notes if n["indicator"] == iid],
            "table": table_html(_figure_table(ctx, ind, own, nat_vals, notes, name),
                                f"{fig_id}-tabel", f"{ind.naam} — {name}"),
            "single": single, "has_target": target is not None}


def _summary(ind: Indicator, own: list[dict], nat_vals: list[float],
             last: tuple[int, float] | None, target) -> str:
    if last is None:
        return "geen (publiceerbare) waarden"
    k, v = last
    r = own[k]
    parts = [f"{r['periode']}: {fmt(v, ind)}"]
    if math.isfinite(nat_vals[k]):
        parts.append(f"Nederland {fmt(nat_vals[k], ind)}")
    if target is not None:
        parts.append(f"doel {fmt(target.doelwaarde, ind)} in {period_label(target.doeljaar, 0)}")
        if isinstance(r["doelstatus"], str):
            parts.append(f"status: {r['doelstatus']}")
    if r["status"] == "voorlopig":
        parts.append("voorlopig cijfer")
    return "; ".join(parts)


def _figure_table(ctx: Ctx, ind: Indicator, own: list[dict], nat_vals: list[float],
                  notes: list[dict], name: str) -> Table:
    counted = ind.is_count_based
    headers = ["Periode", name, NATIONAL_NAME, "Doelpad", "Status doel"]
    if counted:
        headers += ["Aantal (teller)", "Totaal (noemer)"]
    headers += ["Cijfer", "Notities"]
    by_period: dict[str, list[str]] = {}
    for n in notes:
        by_period.setdefault(n["periode"], []).append(f"[{n['nr']}] {n['tekst']}")
    rows = []
    for k, r in enumerate(own):
        v = _num(r["waarde"])
        st = r["doelstatus"]
        row = [Cell(r["periode"], r["periode"]),
               Cell(v if math.isfinite(v) else None, fmt(v, ind), numeric=True,
                    suppressed=is_hidden(r["teller"])),
               Cell(nat_vals[k], fmt(nat_vals[k], ind), numeric=True),
               Cell(_num(r["doelpad"]), fmt(r["doelpad"], ind), numeric=True),
               Cell(st, st if isinstance(st, str) else "–")]
        if counted:
            row += [_count(r["teller"]), _count(r["noemer"])]
        row += [Cell(r["status"], r["status"] or ""),
                Cell(None, " ".join(by_period.pop(r["periode"], [])))]
        rows.append(row)
    for per, texts in by_period.items():  # notes in periods without figures
        blank = [Cell(None, "–", numeric=True)] * (len(headers) - 3)
        rows.append([Cell(per, per), *blank, Cell(None, ""), Cell(None, " ".join(texts))])
    return Table(headers, rows)


def table_html(t: Table, table_id: str, caption: str) -> Markup:
    """The markup of the report's ``table`` macro (macros.html.j2), built in Python: the
    monitor has hundreds of small tables and the macro dominates rendering time."""
    def cls(j: int) -> str:
        return t.col_class(j)

    cap = escape(caption)
    head = "".join(f'<th scope="col" class="{cls(j)}">{escape(h)}</th>'
                   for j, h in enumerate(t.headers))
    body = []
    for row in t.rows:
        cells = "".join(
            f'<td class="{"getal" if c.numeric else ""}{" verborgen" if c.suppressed else ""} '
            f'{cls(j)}">{escape(c.text)}</td>' for j, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return Markup(
        f'<div class="tabelrol" tabindex="0" role="region" aria-label="{cap}">'
        f'<table id="{escape(table_id)}" class="data"><caption class="sr-only">{cap}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _region_page(ctx: Ctx, regio: str, k: int) -> dict:
    res = ctx.result
    ids = res.indicators
    check_shown_together(ids, res.catalogue)
    notes = _page_notes(ctx, regio)
    figs = [_figure(ctx, regio, iid, f"r{k}-{iid}", notes) for iid in ids]
    groups = _groups(ctx, figs)
    w = res.warnings
    warn = w[w["regio"] == regio] if len(w) else w
    return {"id": f"regio-{k}", "code": regio, "name": res.region_name(regio),
            "groups": groups, "status": _status_items(ctx, regio), "notes": notes,
            "warnings": [{"periode": period_label(int(r.schooljaar), int(r.halfjaar)),
                          "melding": r.melding} for r in warn.itertuples(index=False)],
            "unexplained": _unexplained(ctx, regio)}


def _groups(ctx: Ctx, figs: list[dict]) -> list[dict]:
    """Indicators shown with companions form one group (thuiszitters + vrijstellingen)."""
    cat = ctx.result.catalogue
    with_comp = {c for f in figs for c in f["indicator"].toon_met}
    tz = [f for f in figs if f["indicator"].toon_met or f["indicator"].id in with_comp]
    rest = [f for f in figs if f not in tz]
    groups: list[dict[str, Any]] = [{"title": None, "figs": rest}] if rest else []
    if tz:
        check_shown_together([f["indicator"].id for f in tz], cat)
        groups.append({"title": "Thuiszitters en vrijstellingen (altijd samen getoond)",
                       "figs": tz})
    return groups


def _status_items(ctx: Ctx, regio: str) -> list[dict]:
    out = []
    for t in ctx.result.targets:
        if t.regio != regio:
            continue
        ind = ctx.ind(t.indicator)
        rows = [r for r in ctx.rows(regio, t.indicator) if isinstance(r["doelstatus"], str)]
        last = rows[-1] if rows else None
        regel = " (terug naar het landelijk gemiddelde)" if t.regel else ""
        out.append({
            "indicator": ind.naam, "status": last["doelstatus"] if last is not None else None,
            "cls": STATUS_CLASS.get(last["doelstatus"], "") if last is not None else "",
            "tekst": (f"van {fmt(t.basiswaarde, ind)} ({period_label(t.basisjaar, 0)}) naar "
                      f"{fmt(t.doelwaarde, ind)} in {period_label(t.doeljaar, 0)}{regel}, "
                      f"{'trapsgewijs' if t.traject == 'trapsgewijs' else 'rechte lijn'}"),
            "laatst": (f"{last['periode']}: {fmt(last['waarde'], ind)} tegen doelpad "
                       f"{fmt(last['doelpad'], ind)}") if last is not None else
                      "nog geen meting na het basisjaar"})
    return out


def _unexplained(ctx: Ctx, regio: str) -> list[str]:
    out = []
    for iid in ctx.result.indicators:
        for r in ctx.rows(regio, iid):
            if isinstance(r["onverklaard"], str) and r["onverklaard"]:
                ind = ctx.ind(iid)
                out.append(f"{ind.naam} ({r['periode']}): {r['onverklaard']} — waargenomen "
                           f"{fmt(r['waarde'], ind)}, verwacht uit de context "
                           f"{fmt(r['verwacht'], ind)}")
    return out


# --------------------------------------------------------------------------- overview
def _latest(ctx: Ctx, iid: str) -> pd.DataFrame:
    p = ctx.pub
    part = p[(p["indicator"] == iid) & (p["regio"] != NATIONAL)]
    part = part[part["waarde"].map(lambda v: math.isfinite(_num(v)))]
    if part.empty:
        return part
    last = part.sort_values(["schooljaar", "halfjaar"]).iloc[-1]
    return part[(part["schooljaar"] == last["schooljaar"])
                & (part["halfjaar"] == last["halfjaar"])]


def _classes(values: np.ndarray) -> list[float]:
    qs = np.nanquantile(values, np.linspace(0, 1, MAP_CLASSES + 1)[1:-1])
    return sorted(set(float(q) for q in qs))


def _map(ctx: Ctx, kit: MapKit, gem_region: dict[str, str], iid: str, map_id: str) -> dict:
    ind = ctx.ind(iid)
    latest = _latest(ctx, iid)
    vals = {r: _num(v) for r, v in zip(latest["regio"], latest["waarde"], strict=True)}
    arr = np.array([v for v in vals.values() if math.isfinite(v)])
    breaks = _classes(arr) if len(arr) else []
    colours = SEQUENTIAL[:len(breaks) + 1]
    uses = []
    for code, d in kit.gemeente_paths.items():
        if not d:
            continue
        reg = gem_region.get(code)
        v = vals.get(reg, math.nan) if reg else math.nan
        if math.isfinite(v):
            fill = colours[int(np.searchsorted(breaks, v, side="right"))]
            text = f"{ctx.result.region_name(str(reg))}: {fmt(v, ind)}"
        else:
            fill, text = "#FFFFFF", "geen gegevens"
        name = escape(kit.geo.gemeente_names.get(code, code))
        uses.append(f'<use href="#{kit.gemeente_id(code)}" fill="{fill}"><title>{name} — '
                    f'{escape(text)}</title></use>')
    period = latest["periode"].iloc[0] if len(latest) else "–"
    title = f"Kaart: {ind.naam} per regio, {period}"
    svg = (f'<svg id="{map_id}" class="kaart waardekaart" viewBox="{kit.canvas.viewbox}" '
           f'role="img" aria-label="{escape(title)}"><g class="vlakken">{"".join(uses)}</g></svg>')
    edges = [arr.min() if len(arr) else 0, *breaks, arr.max() if len(arr) else 0]
    legend = [(colours[k], f"{fmt(edges[k], ind)} tot {fmt(edges[k + 1], ind)}")
              for k in range(len(colours))]
    nat = [r["waarde"] for r in ctx.rows(NATIONAL, iid) if r["periode"] == period]
    return {"id": map_id, "indicator": ind, "svg": Markup(svg), "title": title,
            "period": period, "legend": legend, "label": _label(ind, ctx.result),
            "national": fmt(nat[0], ind) if nat else "–"}


def _overview_table(ctx: Ctx, regions: list[str]) -> Table:
    ids = ctx.result.indicators
    latest = {iid: _latest(ctx, iid).set_index("regio") for iid in ids}
    headers = ["Regio"] + [f"{ctx.ind(i).naam} ({latest[i]['periode'].iloc[0]})"
                           if len(latest[i]) else ctx.ind(i).naam for i in ids]
    rows = []
    for r in [*regions, NATIONAL]:
        row = [Cell(r, f"{ctx.result.region_name(r)}" + (f" ({r})" if r != NATIONAL else ""))]
        for i in ids:
            if r == NATIONAL:
                per = latest[i]["periode"].iloc[0] if len(latest[i]) else None
                v = [x["waarde"] for x in ctx.rows(NATIONAL, i) if x["periode"] == per]
                val = _num(v[0]) if v else math.nan
            else:
                val = _num(latest[i]["waarde"].get(r, math.nan))
            row.append(Cell(val if math.isfinite(val) else None, fmt(val, ctx.ind(i)),
                            numeric=True))
        rows.append(row)
    return Table(headers, rows)


def _summary_table(ctx: Ctx, regions: list[str], pages: list[dict]) -> Table:
    headers = ["Regio", "Doelen op koers", "Achter", "Ver achter", "Signalen thuiszitters",
               "Onverklaarde verschillen"]
    rows = []
    for r, page in zip(regions, pages, strict=True):
        st = [s["status"] for s in page["status"]]
        rows.append([Cell(r, f"{page['name']} ({r})"),
                     *[Cell(st.count(s), str(st.count(s)), numeric=True)
                       for s in (ON_TRACK, BEHIND, FAR_BEHIND)],
                     Cell(len(page["warnings"]), str(len(page["warnings"])), numeric=True),
                     Cell(len(page["unexplained"]), str(len(page["unexplained"])),
                          numeric=True)])
    return Table(headers, rows)


def _gemeente_region(atlas, result: MonitorResult) -> dict[str, str]:
    w = unit_weights(atlas, result.division, "gemeente", result.division.sector)
    best = w.sort_values("w").drop_duplicates("code", keep="last")
    return dict(zip(best["code"].astype(str), best["regio"].astype(str), strict=True))


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


# --------------------------------------------------------------------------- entry points
def render_monitor(result: MonitorResult, atlas, threshold: int = DEFAULT_THRESHOLD,
                   pub: pd.DataFrame | None = None, today: date | None = None) -> str:
    """The monitor report as one HTML string (self-contained, Dutch)."""
    pub = published(result, threshold) if pub is None else pub
    ctx = Ctx(result, pub, threshold, result.notes)
    regions = result.regions
    pages = [_region_page(ctx, r, k) for k, r in enumerate(regions, start=1)]
    geo = Geography.from_atlas(atlas)
    kit = MapKit.build(geo)
    gem_region = _gemeente_region(atlas, result)
    maps = [_map(ctx, kit, gem_region, iid, f"kaart-{iid}") for iid in result.indicators]
    last = pub[pub["waarde"].map(lambda v: math.isfinite(_num(v)))]
    period = period_label(int(last["schooljaar"].max()), 0) if len(last) else "–"
    info = {"naam": result.atlas_name, "jaar": result.reference_year,
            "indeling": result.division.name, "sector": result.division.sector,
            "n": len(regions), "periode": period,
            "datum": (today or date.today()).strftime("%d-%m-%Y")}
    method = {
        "indicators": [result.catalogue[i] for i in result.indicators],
        "models": [{"indicator": result.catalogue[m.indicator].naam, "periode":
                    period_label(m.schooljaar, m.halfjaar), "tekst": m.describe()}
                   for m in result.models if m.indicator in result.indicators],
        "sources": result.sources,
        "history_modelled": result.history_modelled,
        "register_modelled": result.register_modelled,
    }
    from nabij.defaults import (
        MONITOR_FAR_BEHIND,
        MONITOR_ON_TRACK,
        MONITOR_SIGNAL_MIN_CHANGE,
        MONITOR_UNEXPLAINED_Z,
    )

    thresholds = {"op_koers": nl_number(100 * MONITOR_ON_TRACK, 0),
                  "ver_achter": nl_number(100 * MONITOR_FAR_BEHIND, 0),
                  "signaal": nl_number(100 * MONITOR_SIGNAL_MIN_CHANGE, 0),
                  "z": nl_number(MONITOR_UNEXPLAINED_Z, 1)}
    return _env().get_template("monitor.html.j2").render(
        info=info, threshold=threshold, pages=pages, maps=maps,
        overview=_overview_table(ctx, regions), summary=_summary_table(ctx, regions, pages),
        method=method, limits=thresholds, defs=Markup(kit.defs_svg()),
        n_targets=len(result.targets), n_warnings=len(result.warnings))


EXPORT_COLUMNS = {
    "niveau": "niveau", "regio": "regio", "regio_naam": "regio_naam", "indicator": "indicator",
    "indicator_naam": "indicator_naam", "eenheid": "eenheid", "schooljaar": "schooljaar",
    "halfjaar": "halfjaar", "periode": "periode", "teller": "teller", "noemer": "noemer",
    "waarde": "waarde", "status": "status", "gemodelleerd": "gemodelleerd",
    "doelpad": "doelpad", "doelstatus": "doelstatus", "verwacht": "verwacht",
    "residu": "residu", "onverklaard": "onverklaard",
}


def export_frame(result: MonitorResult, pub: pd.DataFrame) -> pd.DataFrame:
    """All published series in one table; national rows have ``regio_naam`` "Nederland"."""
    cat = result.catalogue
    out = pub.copy()
    out.insert(0, "niveau", np.where(out["regio"] == NATIONAL, "land",
                                     f"regio ({result.division.name})"))
    out.insert(4, "indicator_naam", out["indicator"].map(lambda i: cat[i].naam))
    out.insert(5, "eenheid", out["indicator"].map(lambda i: cat[i].eenheid))
    out["gemodelleerd"] = out["indicator"].map(
        lambda i: _label(cat[i], result) or "nee")
    for c in ("waarde", "doelpad", "verwacht", "residu"):
        out[c] = out[c].map(lambda v: round(_num(v), 4) if math.isfinite(_num(v)) else None)
    return out[list(EXPORT_COLUMNS)]


def write_monitor(result: MonitorResult, atlas, out: str | Path,
                  threshold: int = DEFAULT_THRESHOLD, exports: bool = True) -> dict[str, Path]:
    """Write ``out`` (HTML) and, beside it, ``<stem>.xlsx`` and ``<stem>.csv``."""
    out = Path(out)
    pub = published(result, threshold)
    html = render_monitor(result, atlas, threshold, pub)
    written = {"html": atomic_write_text(out, html)}
    if exports:
        frame = export_frame(result, pub)
        written["csv"] = atomic_write(out.with_suffix(".csv"), lambda t: frame.to_csv(
            t, index=False, encoding="utf-8"))
        written["xlsx"] = _write_xlsx(result, frame, out.with_suffix(".xlsx"))
    return written


def _write_xlsx(result: MonitorResult, frame: pd.DataFrame, path: Path) -> Path:
    """All series and the tables behind the report, one sheet each (xlsxwriter, streamed)."""
    import xlsxwriter

    sheets = {"Reeksen": frame,
              "Doelen": pd.DataFrame([t.__dict__ for t in result.targets]),
              "Signalen": result.warnings,
              "Contextmodel": pd.DataFrame([{
                  "indicator": m.indicator, "schooljaar": m.schooljaar, "halfjaar": m.halfjaar,
                  "model": m.describe(), "r2": m.r2, "regios": m.n} for m in result.models]),
              "Notities": result.notes if result.notes is not None else pd.DataFrame(),
              "Indicatoren": pd.DataFrame([{
                  "id": i.id, "naam": i.naam, "definitie": i.definitie, "eenheid": i.eenheid,
                  "richting": i.richting, "bron": i.bron, "niveau": i.niveau,
                  "peildatum": i.peildatum, "periode": i.periode, "berekening": i.berekening}
                  for i in result.catalogue])}

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        bold = wb.add_format({"bold": True, "bg_color": "#DDE7EE"})
        for name, df in sheets.items():
            ws = wb.add_worksheet(name)
            df = df if df is not None else pd.DataFrame()
            ws.write_row(0, 0, [str(c) for c in df.columns], bold)
            ws.freeze_panes(1, 0)
            for i, r in enumerate(df.itertuples(index=False, name=None), start=1):
                for j, v in enumerate(r):  # typed writes: no per-cell type sniffing
                    v = _cell(v)
                    if v is None:
                        continue
                    if isinstance(v, bool) or not isinstance(v, int | float):
                        ws.write_string(i, j, str(v))
                    else:
                        ws.write_number(i, j, v)
            if len(df.columns):
                ws.autofilter(0, 0, len(df), len(df.columns) - 1)
        wb.close()

    return atomic_write(path, write)


def _cell(v: object) -> object:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v) if math.isfinite(float(v)) else None
    if isinstance(v, tuple | list):
        return ", ".join(map(str, v))
    if v is pd.NA:
        return None
    return v
