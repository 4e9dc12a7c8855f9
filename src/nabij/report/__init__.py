"""The Dutch report: a self-contained HTML file with SVG maps and charts, plus XLSX and GeoJSON
exports. Entry point: :func:`write_all` (or :func:`nabij.report.html.write_report`)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from nabij.parallel import beside
from nabij.report.measures_folder import Measures, load_measures

XLSX_NAME = "rapport.xlsx"
GEOJSON_NAME = "indelingen.geojson"


def write_all(atlas, measures: Measures, out: str | Path, threshold: int | None = None,
              manifest: dict | None = None, fund: object | None = None,
              exports: bool = True, transport: object | None = None,
              whatif: object | None = None) -> dict[str, Path]:
    """Write ``out`` (the HTML report) and, beside it, ``rapport.xlsx`` and
    ``indelingen.geojson``. Returns the written paths by kind ("html", "xlsx", "geojson")."""
    from nabij.report import content, export, html
    from nabij.report.maps import Geography

    out = Path(out)
    thr = int(threshold if threshold is not None else measures.drempel)
    geo = Geography.from_atlas(atlas)  # one geography: regions are dissolved once, reused
    xlsx, geojson = out.with_name(XLSX_NAME), out.with_name(GEOJSON_NAME)

    def write_exports() -> None:
        import pandas as pd

        pc4_gm = pd.Series(dict(zip(atlas.pc4["pc4"].astype(str), atlas.pc4["gemeente"],
                                    strict=True)))
        gemeenten = {d.slug: content.region_gemeenten(d, pc4_gm, geo.gemeente_names)
                     for d in measures.divisions}
        meta = (manifest or {}).get("meta") or atlas.meta.to_dict()
        export.write_xlsx(measures, xlsx, thr, meta, gemeenten)
        export.write_geojson(measures, geo, geojson, thr)

    # the exports are written by a forked child while the HTML is rendered
    with beside(write_exports) if exports else contextlib.nullcontext():
        written = {"html": html.write_report(atlas, measures, out, thr, manifest, fund,
                                             transport, whatif, geo=geo)}
    if exports:
        written |= {"xlsx": xlsx, "geojson": geojson}
    return written


__all__ = ["Measures", "load_measures", "write_all", "XLSX_NAME", "GEOJSON_NAME"]
