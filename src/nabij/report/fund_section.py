"""Dutch report section for the inclusiefonds and leerlingenvervoer (an HTML fragment).

``render_fund_section(fund_result, transport_result, threshold=10)`` returns headings,
paragraphs and semantic tables (``<caption>``, ``<th scope>``) that the report places inside its
``<section id="fonds">``. Amounts read "€ 1.234.567"; pupil counts below the threshold read
"<10" (:mod:`nabij.privacy`); per-pupil amounts of such units are hidden too. Everything that
rests on the Atlas' pupil flows carries the label *gemodelleerd*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import pandas as pd

from nabij.privacy import DEFAULT_THRESHOLD, format_count, is_suppressed, suppress_label

GEM = '<span class="label-gem">gemodelleerd</span>'


def eur(value: float) -> str:
    """12345.6 -> "€ 12.346"; negative amounts get a minus sign: "−€ 1.234"."""
    if value is None or pd.isna(value):
        return "–"
    v = round(float(value))
    s = f"{abs(v):,}".replace(",", ".")
    return ("−€ " if v < 0 else "€ ") + s


def num(value: float, digits: int = 0) -> str:
    """A Dutch number: 1234.5 -> "1.234,5"."""
    if value is None or pd.isna(value):
        return "–"
    s = f"{float(value):,.{digits}f}"
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return "−" + s[1:] if s.startswith("-") else s


def pct(value: float, digits: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else num(value, digits) + " %"


class _Cell(str):
    """A cell: text (already HTML) plus whether it is a number (right-aligned)."""

    numeric: bool = False
    hidden: bool = False


def _c(text: str, numeric: bool = True, hidden: bool = False) -> _Cell:
    c = _Cell(text)
    c.numeric, c.hidden = numeric, hidden
    return c


def _t(text: object) -> _Cell:
    return _c(escape(str(text)), numeric=False)


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[_Cell]],
           row_header: bool = True, cls: str = "") -> str:
    """A semantic table with caption, column headers and (first column) row headers."""
    out = ['<div class="tabelrol" tabindex="0" role="region" aria-label="'
           + escape(caption, quote=True) + '">',
           f'<table{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>',
           f"<caption>{escape(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{h}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = []
        for j, cell in enumerate(row):
            klass = []
            if getattr(cell, "numeric", False):
                klass.append("getal")
            if getattr(cell, "hidden", False):
                klass.append("verborgen")
            attr = f' class="{" ".join(klass)}"' if klass else ""
            if j == 0 and row_header:
                cells.append(f'<th scope="row"{attr}>{cell}</th>')
            else:
                cells.append(f"<td{attr}>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _count(v: float, threshold: int) -> _Cell:
    return _c(escape(format_count(v, threshold)), hidden=is_suppressed(v, threshold))


def _per(v: float, n: float, threshold: int, money: bool = True) -> _Cell:
    if is_suppressed(n, threshold):
        return _c(escape(suppress_label(threshold)), hidden=True)
    return _c(escape(eur(v) if money else num(v, 2)))


def render_fund_section(fund_result, transport_result, threshold: int = DEFAULT_THRESHOLD,
                        whatif_result=None, top: int = 10) -> str:
    """HTML fragment: fund per year, formula, winners/losers, sensitivity, transport, what-if.

    Any argument may be None. ``transport_result`` may also be a what-if result (then it is
    shown as such). ``top`` limits the winners/losers and gemeente tables; the full tables
    are in the XLSX exports.
    """
    from nabij.transport.whatif import WhatIfResult

    if isinstance(transport_result, WhatIfResult) and whatif_result is None:
        transport_result, whatif_result = None, transport_result
    parts = ["<h2>Inclusiefonds en leerlingenvervoer</h2>"]
    if fund_result is not None:
        parts.append(_fund_html(fund_result, threshold, top))
    if transport_result is not None:
        parts.append(_transport_html(transport_result, threshold, top))
    if whatif_result is not None:
        parts.append(_whatif_html(whatif_result, threshold, top))
    if len(parts) == 1:
        parts.append("<p>Er is geen fondsverdeling of vervoersanalyse gemaakt.</p>")
    return "\n".join(parts)


def _fund_html(r, threshold: int, top: int) -> str:
    d = r.definition
    s = r.summary()
    out = ["<h3>Inclusiefonds: " + escape(d.naam) + "</h3>"]
    if d.omschrijving:
        out.append(f"<p>{escape(' '.join(d.omschrijving.split()))}</p>")
    out.append(
        f"<p>Verdeling per {escape(s['niveau'])} ({s['eenheden']} eenheden), van "
        f"{d.years[0]} naar de doelverdeling in {s['doeljaar']}. In {s['doeljaar']} is het fonds "
        f"{eur(s['fonds_doeljaar'])}, waarvan {eur(s['reserve_doeljaar'])} collectief blijft en "
        f"{eur(s['te_verdelen_doeljaar'])} wordt verdeeld. Leerlingaantallen per eenheid komen uit "
        f"de leerlingstromen van de atlas en zijn {GEM}; daarmee ook de verdeling.</p>")
    out.append(_table(
        "Fonds, collectieve reserve en te verdelen bedrag per jaar",
        ["Jaar", "Fonds", "Reserve", "Te verdelen", "Overgang naar doel",
         "Basisbedrag per leerling"],
        ([_t(j.jaar), _c(eur(j.fonds)), _c(eur(j.reserve)), _c(eur(j.te_verdelen)),
          _c(pct(100 * j.overgang, 0)), _c(eur(j.basisbedrag_per_leerling))]
         for j in r.jaren.itertuples())))
    if d.reserve.doelen:
        out.append(f"<p>De collectieve reserve ({pct(100 * d.reserve.aandeel)} van het fonds) is "
                   "bedoeld voor:</p><ul>"
                   + "".join(f"<li>{escape(x)}</li>" for x in d.reserve.doelen) + "</ul>")
    out.append(_table(
        "Bronnen van het fonds (bedrag per jaar, vóór indexatie)",
        ["Bron", "Soort", "Bedrag", "Looptijd"],
        ([_t(b.naam), _t(b.soort), _c(eur(float(b.total))),
          _t(f"{b.vanaf or d.years[0]}–{b.tot or d.years[-1]}")] for b in d.bronnen)))
    out.append(_table(
        f"Verdeelformule: gewichten en budget per onderdeel in {s['doeljaar']}",
        ["Onderdeel", "Aandeel", f"Budget {s['doeljaar']}", "Landelijk gemiddelde",
         "Eenheid"],
        ([_t(g.label), _c(pct(100 * g.aandeel)), _c(eur(g.budget_doeljaar)),
          _c(num(g.landelijk_gemiddelde, 3)), _t(g.eenheid_waarde)]
         for g in r.gewichten.itertuples())))
    e = r.effect.sort_values("verschil_per_leerling", ascending=False, kind="stable")
    ok = ~e["leerlingen"].map(lambda v: is_suppressed(v, threshold))
    win = e[ok & (e["verschil"] > 0)].head(top)
    lose = e[ok & (e["verschil"] < 0)].sort_values("verschil_per_leerling").head(top)
    head = ["Eenheid", "Leerlingen", "Huidig", f"Doel {s['doeljaar']}", "Verschil",
            "Verschil per leerling", "Verschil (%)"]

    def rows(df: pd.DataFrame):
        for x in df.itertuples():
            yield [_t(f"{x.naam} ({x.eenheid})"), _count(x.leerlingen, threshold),
                   _c(eur(x.huidig)), _c(eur(x.doel)), _c(eur(x.verschil)),
                   _per(x.verschil_per_leerling, x.leerlingen, threshold), _c(pct(x.verschil_pct))]

    out.append(f"<p>Effect in {s['doeljaar']} ten opzichte van de huidige verdeling: "
               f"{s['winnaars']} eenheden gaan erop vooruit, {s['verliezers']} achteruit "
               f"({GEM}). De volledige tabellen staan in de Excel-export.</p>")
    if len(win):
        out.append(_table("Grootste stijgers per leerling (gemodelleerd)", head, rows(win)))
    if len(lose):
        out.append(_table("Grootste dalers per leerling (gemodelleerd)", head, rows(lose)))
    if len(r.gevoeligheid):
        g = r.gevoeligheid
        label = dict(zip(r.gewichten["onderdeel"], r.gewichten["label"], strict=False))
        srows = []
        for k, grp in g.groupby("gewicht", sort=False):
            srows.append([_t(label.get(k, k)), _c(eur(grp["plus10"].max())),
                          _c(eur(grp["plus10"].min())), _c(pct(grp["plus10_pct"].abs().max(), 2)),
                          _c(num((grp["plus10_pct"].abs() > 1).sum()))])
        out.append(_table("Gevoeligheid: gewicht 10 % hoger (andere gewichten gelijk)",
                          ["Gewicht", "Grootste stijging", "Grootste daling",
                           "Grootste verandering", "Eenheden > 1 % veranderd"], srows))
    out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in r.notes) + "</ul>")
    return "\n".join(out)


def _transport_html(t, threshold: int, top: int) -> str:
    tot = t.totals
    out = [f"<h3>Leerlingenvervoer naar SBO, SO en VSO ({GEM})</h3>",
           f"<p>Geschat met een kostenmodel op de leerlingstromen van de atlas: "
           f"{num(tot['vervoerde_leerlingen'])} vervoerde leerlingen, {eur(tot['kosten'])} per "
           f"jaar, gemiddeld {eur(tot['kosten_per_vervoerde'])} per vervoerde leerling en "
           f"{num(tot['gemiddelde_afstand_vervoerd_km'], 1)} km enkele reis. De Monitor "
           "leerlingenvervoer 2024 noemt landelijk 75.000 leerlingen en € 299 mln (alle "
           "schoolsoorten, 2023/24).</p>"]
    out.append(_table(
        "Leerlingenvervoer per schoolsoort (gemodelleerd)",
        ["Soort", "Leerlingen", "Vervoerd", "Aandeel vervoerd", "Kosten per jaar"],
        ([_t(x.soort), _count(x.leerlingen, threshold), _count(x.vervoerd, threshold),
          _c(pct(100 * x.aandeel_vervoerd, 0)), _c(eur(x.kosten))]
         for x in t.per_soort.itertuples())))
    g = t.per_gemeente.sort_values("kosten", ascending=False, kind="stable").head(top)
    out.append(_table(
        f"De {top} woongemeenten met de hoogste vervoerskosten (gemodelleerd)",
        ["Gemeente", "Leerlingen SBO/SO/VSO", "Vervoerd", "Gem. afstand", "Kosten per jaar",
         "Per vervoerde leerling"],
        ([_t(f"{x.naam} ({x.gemeente})"), _count(x.leerlingen, threshold),
          _count(x.vervoerd, threshold), _c(num(x.gemiddelde_afstand_km, 1) + " km"),
          _c(eur(x.kosten)), _per(x.kosten_per_vervoerde, x.vervoerd, threshold)]
         for x in g.itertuples())))
    out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in t.notes) + "</ul>")
    return "\n".join(out)


def _whatif_html(w, threshold: int, top: int) -> str:
    tot = w.totals
    out = [f"<h3>Wat als: thuisnabije voorziening ({GEM})</h3>",
           f"<p>{num(tot['leerlingen_verplaatst'], 0)} leerlingen krijgen een andere plek. "
           f"Per jaar scheelt dat {num(tot['leerlingkm_bespaard'])} leerlingkilometers, "
           f"{num(tot['reisuren_bespaard'])} reisuren en {eur(tot['besparing'])} aan "
           "vervoerskosten. Besparingen kunnen als bron terugvloeien in het inclusiefonds.</p>"]
    if len(w.per_voorziening):
        out.append(_table(
            "Nieuwe voorzieningen (gemodelleerd)",
            ["Voorziening", "Vorm", "Soort", "Capaciteit", "Geplaatst", "Afstand voor",
             "Afstand na"],
            ([_t(x.voorziening), _t(x.vorm), _t(x.soort + (f" cluster {x.clusters}"
                                                           if x.clusters else "")),
              _c(num(x.capaciteit)), _count(x.geplaatst, threshold),
              _c("–" if pd.isna(x.afstand_voor_km) else num(x.afstand_voor_km, 1) + " km"),
              _c("–" if pd.isna(x.afstand_na_km) else num(x.afstand_na_km, 1) + " km")]
             for x in w.per_voorziening.itertuples())))
    g = w.per_gemeente.head(top)
    if len(g):
        out.append(_table(
            "Besparing per woongemeente per jaar (gemodelleerd)",
            ["Gemeente", "Leerlingen verplaatst", "Leerlingkm bespaard", "Reisuren bespaard",
             "Kosten voor", "Kosten na", "Besparing"],
            ([_t(f"{x.naam} ({x.gemeente})"), _count(x.leerlingen_verplaatst, threshold),
              _c(num(x.leerlingkm_bespaard)), _c(num(x.reisuren_bespaard)),
              _c(eur(x.kosten_voor)), _c(eur(x.kosten_na)), _c(eur(x.besparing))]
             for x in g.itertuples())))
    out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in w.notes) + "</ul>")
    return "\n".join(out)
