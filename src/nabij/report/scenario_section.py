"""Report blocks that explain how a scenario was made (issue 10): the Pareto front with every
seed scenario on the same axes and why its knee is "optimaal", the S1 sensitivity table, the
SWVs exempted from fusie and why, and the S3 uncertainty over the SO/VSO cluster assumptions.

Every block is built from the division's recipe (what the scenario builder recorded), as
escaped HTML with a data table beside each chart.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from nabij.report.charts import ACCENT, BAR, GRID, INK, WIDTH, _nice_max, _svg
from nabij.report.fmt import nl_number

RECIPE_SKIP = frozenset({
    "front", "front_scenarios", "front_weggelaten", "knik_uitleg", "fusies", "paren",
    "gevoeligheid", "samenstelling", "notities", "onderdelen", "uitgezonderd", "onzekerheid",
    "niet_dekkend", "gesplitst",
})
"""Recipe entries that get their own block (or are too long for the recipe line)."""


def pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else nl_number(100 * float(x), digits) + "%"


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope=\"col\">{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f"<table class=\"klein\"><caption>{escape(caption)}</caption><thead><tr>{head}"
            f"</tr></thead><tbody>{body}</tbody></table>")


def front_chart(chart_id: str, front: list[dict], seeds: list[dict], title: str) -> str:
    """Scatter of grensverkeer (y) against verandering (x): the front as a line through its
    points (the knee marked), each seed scenario as a labelled square."""
    height, left, right, top, bottom = 300, 52, 150, 12, 40
    pts = front + seeds
    xmax = _nice_max(max(p["verandering"] for p in pts) * 100 * 1.05 or 1)
    ymax = _nice_max(max(p["grensverkeer"] for p in pts) * 100 * 1.05 or 1)
    x0, x1, y0, y1 = left, WIDTH - right, height - bottom, top

    def sx(v: float) -> float:
        return x0 + v * 100 / xmax * (x1 - x0)

    def sy(v: float) -> float:
        return y0 - v * 100 / ymax * (y0 - y1)

    parts = []
    for k in range(5):
        xv, yv = xmax * k / 4, ymax * k / 4
        parts.append(f'<line x1="{sx(xv / 100):.1f}" y1="{y1}" x2="{sx(xv / 100):.1f}" '
                     f'y2="{y0}" stroke="{GRID}" stroke-width=".5"/>'
                     f'<text x="{sx(xv / 100):.1f}" y="{y0 + 14}" text-anchor="middle" '
                     f'class="as">{nl_number(xv, 0)}%</text>'
                     f'<line x1="{x0}" y1="{sy(yv / 100):.1f}" x2="{x1}" y2="{sy(yv / 100):.1f}" '
                     f'stroke="{GRID}" stroke-width=".5"/>'
                     f'<text x="{x0 - 4}" y="{sy(yv / 100) + 4:.1f}" text-anchor="end" '
                     f'class="as">{nl_number(yv, 1 if ymax < 8 else 0)}%</text>')
    line = " ".join(f"{sx(p['verandering']):.1f},{sy(p['grensverkeer']):.1f}" for p in front)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for p in front:
        knee = p.get("knik")
        parts.append(f'<circle cx="{sx(p["verandering"]):.1f}" cy="{sy(p["grensverkeer"]):.1f}" '
                     f'r="{6 if knee else 3.5}" fill="{ACCENT if knee else BAR}"/>')
        if knee:
            parts.append(f'<text x="{sx(p["verandering"]) + 8:.1f}" '
                         f'y="{sy(p["grensverkeer"]) - 8:.1f}" fill="{ACCENT}">optimaal</text>')
    for k, s in enumerate(seeds):
        x, y = sx(s["verandering"]), sy(s["grensverkeer"])
        parts.append(f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="none" '
                     f'stroke="{INK}" stroke-width="1.5"/>'
                     f'<text x="{x + 7:.1f}" y="{y + 4 + (k % 2) * 10:.1f}" class="as">'
                     f'{escape(_short_name(s["naam"]))}</text>')
    parts.append(f'<text x="{(x0 + x1) / 2:.0f}" y="{height - 6}" text-anchor="middle" '
                 'class="as">leerlingen die van regio wisselen</text>'
                 f'<text x="10" y="{y1 + 2}" class="as" transform="rotate(90 10 {y1 + 2})">'
                 'grensverkeer</text>')
    return _svg(chart_id, height, title, "".join(parts))


def _short_name(name: str) -> str:
    for prefix in ("S1 Funderend onderwijs", "S2 Jeugdregio", "S3 Dekkend netwerk",
                   "Fusie kleine SWV's", "Status quo", "S1-variant Koppelen en ketenen"):
        if name.startswith(prefix):
            return {"S1 Funderend onderwijs": "S1", "S2 Jeugdregio": "S2",
                    "S3 Dekkend netwerk": "S3", "Fusie kleine SWV's": "fusie",
                    "Status quo": "status quo",
                    "S1-variant Koppelen en ketenen": "S1-keten"}[prefix]
    return name


def front_block(chart_id: str, recipe: dict) -> str:
    """The front of an "optimaal" division: chart, table, why the knee."""
    front, seeds = recipe.get("front") or [], recipe.get("front_scenarios") or []
    if not front:
        return ""
    title = ("Pareto-front: grensverkeer tegen het aandeel leerlingen dat van regio wisselt; "
             "lijn = geldige indelingen van de optimalisator, vierkantjes = de scenario's")
    rows = [[("optimaal" if p.get("knik") else "front"),
             nl_number(p.get("gewicht_verandering") or 0, 3), str(p.get("regios", "")),
             pct(p["verandering"]), pct(p["grensverkeer"]), pct(p.get("thuisnabij")), "ja"]
            for p in front]
    rows += [[s["naam"], "", str(s.get("regios", "")), pct(s["verandering"]),
              pct(s["grensverkeer"]), pct(s.get("thuisnabij")),
              "ja" if not (s.get("regios_klein") or s.get("regios_groot")
                           or s.get("niet_aaneengesloten")) else
              f"nee ({s.get('regios_klein', 0)} te klein, {s.get('regios_groot', 0)} te groot, "
              f"{s.get('niet_aaneengesloten', 0)} niet aaneengesloten)"] for s in seeds]
    table = _table("De front en de scenario's op dezelfde assen (thuisnabij: aandeel kinderen "
                   "met elke vereiste voorziening binnen 20 km)",
                   ["punt", "gewicht verandering", "regio's", "verandering", "grensverkeer",
                    "thuisnabij", "geldig"], rows)
    left = recipe.get("front_weggelaten") or []
    dropped = ("<p>Weggelaten: " + escape("; ".join(f"{x['naam']} ({x['reden']})"
                                                      for x in left)) + ".</p>") if left else ""
    return (f"<section class=\"front\"><h3>Optimale schaal als afweging</h3>"
            f"<p>{escape(recipe.get('knik_uitleg', ''))}</p>"
            f"<p>Elk punt is een geldige indeling: aaneengesloten, minstens "
            f"{nl_number(recipe.get('min_leerlingen', 0), 0)} en hoogstens "
            f"{nl_number(recipe.get('max_leerlingen', 0), 0)} leerlingen per regio (maximum: "
            f"{escape(str(recipe.get('max_regel', '')))}).</p>"
            f"<figure>{front_chart(chart_id, front, seeds, title)}"
            f"<figcaption>{escape(title)}.</figcaption></figure>{table}{dropped}</section>")


def sensitivity_block(recipe: dict) -> str:
    """S1: pairs, regions and largest region for each share."""
    rows = [[nl_number(r["aandeel"], 1), str(r["paren"]), str(r["regios"]),
             nl_number(r["grootste_leerlingen"], 0)] for r in recipe.get("gevoeligheid") or []]
    if not rows:
        return ""
    return ("<section><h3>Gevoeligheid voor het aandeel</h3><p>Bij welk aandeel gedeelde "
            "leerlingen (beide kanten op) een PO- en een VO-SWV één SWV funderend worden; "
            f"gekozen: {escape(nl_number(recipe.get('aandeel', 0), 1))} "
            f"({escape(str(recipe.get('bron_aandeel', '')))}).</p>"
            + _table("S1 per aandeel", ["aandeel", "paren", "SWV's", "grootste SWV (leerlingen)"],
                     rows) + "</section>")


def exemption_block(recipe: dict) -> str:
    """Fusie: the exempted SWVs and why."""
    ex = recipe.get("uitgezonderd") or []
    if "uitgezonderd" not in recipe:
        return ""
    intro = escape(str(recipe.get("regel_uitzondering", "")))
    if not ex:
        return (f"<section><h3>Uitgezonderd van fusie</h3><p>{intro}. Geen klein SWV valt "
                "hieronder.</p></section>")
    rows = [[f"{e['naam']} ({e['regio']})", nl_number(e["leerlingen"], 0), e["reden"]]
            for e in ex]
    return (f"<section><h3>Uitgezonderd van fusie</h3><p>{intro}.</p>"
            + _table("SWV's die niet fuseren", ["SWV", "leerlingen", "reden"], rows)
            + "</section>")


def uncertainty_block(recipe: dict) -> str:
    """S3: region counts under the SO/VSO cluster assumptions."""
    rows = [[r["aanname"], str(r["regios"])] for r in recipe.get("onzekerheid") or []]
    if not rows:
        return ""
    counts = [int(r[1]) for r in rows]
    return ("<section><h3>Onzekerheid: clusters van SO/VSO</h3><p>Voor een deel van de "
            "SO/VSO-vestigingen zijn de clusters niet bekend (gemodelleerd). De hoofdcijfers "
            f"gaan uit van: {escape(str(recipe.get('aanname_clusters', '')))}. Onder de andere "
            f"aannames ligt het aantal regio's tussen {min(counts)} en {max(counts)}.</p>"
            + _table("S3 per aanname", ["aanname voor onbekende clusters", "regio's"], rows)
            + "</section>")


def split_block(recipe: dict) -> str:
    """S2: the jeugdregio's split because they are above the maximum, and why."""
    if "gesplitst" not in recipe:
        return ""
    done = recipe.get("gesplitst") or []
    cap = nl_number(recipe.get("max_leerlingen") or 0, 0)
    if not done:
        return (f"<section><h3>Gesplitste jeugdregio's</h3><p>Geen jeugdregio is groter dan "
                f"het maximum van {escape(cap)} leerlingen; niets gesplitst.</p></section>")
    rows = [[f"{e['naam']} ({e['regio']})", nl_number(e["leerlingen"], 0), str(e["delen"]),
             " / ".join(nl_number(x, 0) for x in e.get("leerlingen_delen") or []),
             str(e["niveau"]), str(e["reden"])] for e in done]
    return (f"<section><h3>Gesplitste jeugdregio's</h3><p>{escape(str(recipe.get('regel', '')))}"
            f" (maximum: {escape(str(recipe.get('max_regel', '')))}).</p>"
            + _table("Jeugdregio's boven het maximum, verdeeld in aaneengesloten delen",
                     ["jeugdregio", "leerlingen", "delen", "leerlingen per deel", "eenheden",
                      "reden"], rows) + "</section>")


def _num(v: float) -> str:
    """12345.0 -> '12.345', 0.8 -> '0,8'."""
    if float(v).is_integer() or abs(v) >= 100:
        return nl_number(v, 0)
    return nl_number(v, 3).rstrip("0").rstrip(",")


def blocks(chart_id: str, recipe: dict) -> list[Markup]:
    """Every block that applies to a division's recipe, as safe HTML."""
    out = [front_block(chart_id, recipe), sensitivity_block(recipe), exemption_block(recipe),
           uncertainty_block(recipe), split_block(recipe)]
    return [Markup(x) for x in out if x]  # noqa: S704 - built from escaped parts above


def recipe_line(recipe: dict) -> str:
    """The recipe as one line: the rule first, then the scalar parameters."""
    parts = []
    rule = recipe.get("regel")
    if rule:
        parts.append(f"regel: {rule}")
    for k, v in recipe.items():
        if k in RECIPE_SKIP or k == "regel" or v is None or v == "" or v == [] or v == {}:
            continue
        if isinstance(v, dict):
            if len(v) > 6:
                continue
            v = ", ".join(f"{a}={b}" for a, b in v.items())
        elif isinstance(v, list | tuple):
            if len(v) > 6 or any(isinstance(x, dict | list) for x in v):
                continue
            v = ", ".join(map(str, v))
        elif isinstance(v, float):
            v = _num(v)
        parts.append(f"{str(k).replace('_', ' ')}: {v}")
    return "; ".join(parts)
