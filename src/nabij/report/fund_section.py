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

from nabij.fund.factors import PROVISION_LABEL
from nabij.io.numbers import nl_euro, nl_number
from nabij.privacy import DEFAULT_THRESHOLD, format_count, is_suppressed, suppress_label

GEM = '<span class="label-gem">gemodelleerd</span>'


def eur(value: float) -> str:
    """12345.6 -> "€ 12.346"; negative amounts get a minus sign: "−€ 1.234"."""
    if value is None or pd.isna(value):
        return "–"
    return nl_euro(value, minus="−")


def num(value: float, digits: int = 0) -> str:
    """A Dutch number: 1234.5 -> "1.234,5"."""
    if value is None or pd.isna(value):
        return "–"
    return nl_number(value, digits, minus="−")


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
    """The fund: national sum, sources, formula, per region, winners/losers, details."""
    d = r.definition
    s = r.summary()
    out = ["<h3>Inclusiefonds: " + escape(d.naam) + "</h3>"]
    if d.omschrijving:
        out.append(f"<p>{escape(' '.join(d.omschrijving.split()))}</p>")
    funds = (f"{s['fondsen']} regionale fondsen, één per {escape(s['regio'])}: elk gevuld door "
             "de bijdragen van de eigen partijen, met een eigen collectieve reserve, verdeeld "
             f"over de eigen leeromgevingen ({escape(s['niveau'])})" if r.regional
             else f"één landelijk fonds, verdeeld per {escape(s['niveau'])}")
    out.append(
        f"<p>Het advies 'Over de lijnen' verbindt een inclusiefonds aan elk "
        f"resultaatverplichtend overleg. Hier: {funds}. Overgang van het geld van nu naar de "
        f"doelverdeling van {d.years[0]} tot {s['doeljaar']}. In {s['doeljaar']} is de "
        f"landelijke som {eur(s['fonds_doeljaar'])}, waarvan {eur(s['reserve_doeljaar'])} "
        f"collectief blijft (met {eur(s['doorbraakbudget_doeljaar'])} doorbraakbudget) en "
        f"{eur(s['te_verdelen_doeljaar'])} wordt verdeeld. Leerlingaantallen komen uit de "
        f"leerlingstromen van de atlas en zijn {GEM}; daarmee ook de verdeling.</p>")
    out.append(_table(
        "Landelijke som van de fondsen per jaar (som van alle regio's)",
        ["Jaar", "Fonds (som bronnen)", "Reserve", "Doorbraakbudget", "Te verdelen",
         "Overgang naar doel"],
        ([_t(j.jaar), _c(eur(j.fonds)), _c(eur(j.reserve)), _c(eur(j.doorbraakbudget)),
          _c(eur(j.te_verdelen)), _c(pct(100 * j.overgang, 0))]
         for j in r.jaren.itertuples())))
    out.append(_sources_table(r))
    out.append(_formula_html(r, s))
    out.append(_regions_table(r, threshold))
    out.append(_winners_html(r, s, threshold, top))
    if len(r.gevoeligheid):
        out.append(_sensitivity_table(r))
    out.append(_region_details(r, threshold))
    if d.reserve.doelen:
        out.append(f"<p>Het collectieve deel ({pct(100 * d.reserve.aandeel)} van elk "
                   "regiofonds) is bedoeld voor:</p><ul>"
                   + "".join(f"<li>{escape(x)}</li>" for x in d.reserve.doelen) + "</ul>")
    out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in r.notes) + "</ul>")
    return "\n".join(out)


def _sources_table(r) -> str:
    y = r.doeljaar
    rows = [[_t(x.bron), _t(x.soort), _c(eur(x.bedrag_per_jaar)), _c(eur(x.bedrag_doeljaar)),
             _t(f"{x.vanaf}–{x.tot}" + (" (tijdelijk)" if x.tijdelijk == "ja" else "")),
             _t(x.herkomst), _t(x.bijdrager)] for x in r.bronnen.itertuples()]
    return _table("Bronnen van de fondsen (landelijke som) en hoe ze over de regio's komen",
                  ["Bron", "Soort", "Bedrag per jaar", f"Bedrag {y}", "Looptijd",
                   "Herkomst van het bedrag", "Toerekening aan de regio's"], rows)


def _formula_html(r, s: dict) -> str:
    y = s["doeljaar"]
    out = [_table(
        f"Verdeelformule: gewichten, grondslag en budget per onderdeel in {y}",
        ["Onderdeel", "Grondslag", "Aandeel", f"Budget {y}", "Landelijk gemiddelde",
         "Eenheid"],
        ([_t(g.label), _t(g.grondslag), _c(pct(100 * g.aandeel)), _c(eur(g.budget_doeljaar)),
          _c(num(g.landelijk_gemiddelde, 3)), _t(g.eenheid_waarde)]
         for g in r.gewichten.itertuples()))]
    share = s["aandeel_voorzieningsbekostiging"]
    if share > 0:
        prov = r.gewichten[r.gewichten["grondslag"] == PROVISION_LABEL]["label"].tolist()
        out.append(
            f'<p class="let-op"><strong>Voorzieningsbekostiging:</strong> '
            f"{pct(100 * share)} van het te verdelen bedrag volgt "
            f"{escape(', '.join(prov))}: het geld gaat naar waar nu veel leerlingen naar het "
            "speciaal onderwijs gaan of ver reizen. Het advies wil van voorzieningsbekostiging "
            "naar populatiebekostiging en preventie. Per regio staat het bedrag in de "
            "tabel hieronder.</p>")
    else:
        out.append("<p>Geen voorzieningsbekostiging: alle factoren zijn populatie- en "
                   "omgevingsfactoren (0 % van het geld volgt het huidige gebruik van "
                   "speciaal onderwijs).</p>")
    return "\n".join(out)


def _regions_table(r, threshold: int) -> str:
    y = r.doeljaar
    reg = r.regios[r.regios["jaar"] == y]
    e = r.effect
    win = e[e["uitkomst"] == "wint"].groupby("regio").size()
    lose = e[e["uitkomst"] == "verliest"].groupby("regio").size()
    b = r.bijdragen
    kinds = list(dict.fromkeys(b["soort"])) if len(b) else []
    contrib = b.pivot_table(index="regio", columns="soort", values=f"bedrag_{y}",
                            aggfunc="sum") if len(b) else pd.DataFrame()
    rows = []
    for x in reg.itertuples():
        share = x.voorzieningsbekostiging / x.te_verdelen if x.te_verdelen else 0.0
        rows.append([_t(f"{x.naam} ({x.regio})" if x.naam != x.regio else x.regio),
                     _count(x.leerlingen, threshold), _c(eur(x.fonds))]
                    + [_c(eur(contrib.at[x.regio, k] if k in contrib.columns
                              and x.regio in contrib.index else 0)) for k in kinds]
                    + [_c(eur(x.reserve)), _c(eur(x.doorbraakbudget)), _c(eur(x.te_verdelen)),
                       _c(num(win.get(x.regio, 0))), _c(num(lose.get(x.regio, 0))),
                       _c(pct(100 * share))])
    head = (["Regio", "Leerlingen", f"Fonds {y}"] + [f"waarvan {escape(k)}" for k in kinds]
            + ["Reserve", "Doorbraakbudget", "Te verdelen", "Winnaars", "Verliezers",
               "Voorzienings&shy;bekostiging"])
    what = "Fonds per regio" if r.regional else "Het landelijke fonds"
    return _table(f"{what} in {y}: bijdragen van de partijen, reserve, winnaars en "
                  "verliezers t.o.v. de basislijn, aandeel voorzieningsbekostiging (gemodelleerd)",
                  head, rows)


def _winners_html(r, s: dict, threshold: int, top: int) -> str:
    y = s["doeljaar"]
    e = r.effect.sort_values("verschil_per_leerling", ascending=False, kind="stable")
    ok = ~e["leerlingen"].map(lambda v: is_suppressed(v, threshold))
    win = e[ok & (e["verschil"] > 0)].head(top)
    lose = e[ok & (e["verschil"] < 0)].sort_values("verschil_per_leerling").head(top)
    head = ["Leeromgeving", "Regio", "Leerlingen", "Basislijn", f"Doel {y}", "Verschil",
            "Verschil per leerling", "Verschil (%)", "T.o.v. gelijk per leerling"]

    def rows(df: pd.DataFrame):
        for x in df.itertuples():
            yield [_t(f"{x.naam} ({x.eenheid})"), _t(x.regio), _count(x.leerlingen, threshold),
                   _c(eur(x.huidig)), _c(eur(x.doel)), _c(eur(x.verschil)),
                   _per(x.verschil_per_leerling, x.leerlingen, threshold),
                   _c(pct(x.verschil_pct)), _c(eur(x.verschil_met_gelijk_per_leerling))]

    out = [f"<p>Effect in {y} ten opzichte van de basislijn (het geld van nu zoals het bekend "
           f"is, {GEM}, per regio geschaald naar het te verdelen bedrag): {s['winnaars']} "
           f"leeromgevingen gaan erop vooruit, {s['verliezers']} achteruit. De laatste kolom "
           "vergelijkt met 'gelijk per leerling' (elke leerling in de regio hetzelfde bedrag). "
           "De volledige tabellen staan in de Excel-export.</p>"]
    if len(win):
        out.append(_table("Grootste stijgers per leerling t.o.v. de basislijn (gemodelleerd)",
                          head, rows(win)))
    if len(lose):
        out.append(_table("Grootste dalers per leerling t.o.v. de basislijn (gemodelleerd)",
                          head, rows(lose)))
    return "\n".join(out)


def _sensitivity_table(r) -> str:
    g = r.gevoeligheid
    label = dict(zip(r.gewichten["onderdeel"], r.gewichten["label"], strict=False))
    srows = []
    for k, grp in g.groupby("gewicht", sort=False):
        srows.append([_t(label.get(k, k)), _c(eur(grp["plus10"].max())),
                      _c(eur(grp["plus10"].min())), _c(pct(grp["plus10_pct"].abs().max(), 2)),
                      _c(num((grp["plus10_pct"].abs() > 1).sum()))])
    return _table("Gevoeligheid: gewicht 10 % hoger (andere gewichten gelijk)",
                  ["Gewicht", "Grootste stijging", "Grootste daling", "Grootste verandering",
                   "Leeromgevingen > 1 % veranderd"], srows)


def _region_details(r, threshold: int) -> str:
    """Per region (folded): its leeromgevingen from the baseline through every year."""
    years = r.definition.years
    v = r.verdeling.pivot_table(index=["regio", "eenheid"], columns="jaar", values="bedrag",
                                aggfunc="sum")
    v.columns = [f"j{y}" for y in v.columns]
    e = r.effect.merge(v, left_on=["regio", "eenheid"], right_index=True, how="left")
    e = e.sort_values(["regio", "verschil_per_leerling"], ascending=[True, False],
                      kind="stable")
    names = dict(zip(r.regios["regio"], r.regios["naam"], strict=False))
    out = [f"<h4>Overgangspad per {'regio' if r.regional else 'fonds'}</h4>",
           "<p>Per leeromgeving: de basislijn, het bedrag in elk jaar van de overgang en het "
           f"doel in {r.doeljaar} ({GEM}).</p>"]
    head = ["Leeromgeving", "Leerlingen", "Basislijn"] + [str(y) for y in years] \
        + ["Verschil per leerling"]
    cols = [f"j{y}" for y in years]
    by_region: dict[str, list] = {}
    for x in e[["regio", "naam", "eenheid", "leerlingen", "huidig", "verschil_per_leerling"]
               + cols].to_dict("records"):
        by_region.setdefault(x["regio"], []).append(
            [_t(f"{x['naam']} ({x['eenheid']})"), _count(x["leerlingen"], threshold),
             _c(eur(x["huidig"]))] + [_c(eur(x[c])) for c in cols]
            + [_per(x["verschil_per_leerling"], x["leerlingen"], threshold)])
    for code, rows in by_region.items():
        name = names.get(code, code)
        out.append(f"<details><summary>{escape(str(name))}</summary>")
        out.append(_table(f"{name}: overgang per leeromgeving", head, rows))
        out.append("</details>")
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
