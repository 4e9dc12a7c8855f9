"""Small-multiple line charts for the monitor report: a region's series, the national line,
the target path and numbered note markers, as inline SVG with a text alternative."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from nabij.report.charts import ACCENT, BAR, GRID, INK
from nabij.report.fmt import nl_number

WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 44, 18, 24, 30
NATIONAL_INK = "#555555"


@dataclass
class Line:
    """Points (x = time in school years, y = value or None) of one line."""

    points: list[tuple[float, float | None]]
    provisional: set[int] = field(default_factory=set)


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    span = hi - lo if hi > lo else abs(hi) or 1.0
    raw = span / n
    e = 10 ** math.floor(math.log10(raw))
    step = next(m * e for m in (1, 2, 2.5, 5, 10) if raw <= m * e)
    start = math.floor(lo / step) * step
    out: list[float] = []
    v = start
    while v <= hi + step * 0.5 and len(out) < 12:
        out.append(round(v, 10))
        v += step
    return out


def _decimals(ticks: Sequence[float]) -> int:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    return 0 if step >= 1 else 1 if step >= 0.1 else 2


def line_chart(chart_id: str, title: str, region: Line, national: Line | None = None,
               target: Line | None = None, notes: Sequence[tuple[float, int]] = (),
               x_range: tuple[int, int] | None = None) -> str:
    """A small line chart: region solid (hollow markers = provisional), national dashed,
    target path dotted, notes as numbered marks on the time axis."""
    lines = [ln for ln in (region, national, target) if ln is not None]
    ys = [y for ln in lines for _, y in ln.points if y is not None and math.isfinite(y)]
    xs = [x for ln in lines for x, _ in ln.points] + [x for x, _ in notes]
    if x_range:
        xs += list(x_range)
    if not ys or not xs:
        return (f'<svg id="{chart_id}" class="grafiek klein" viewBox="0 0 {WIDTH} 40" role="img" '
                f'aria-label="{escape(title)}: geen gegevens"><text x="8" y="24">geen gegevens'
                f'</text></svg>')
    lo, hi = min(ys), max(ys)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1.0
    lo = 0.0 if lo >= 0 and lo - pad < 0 else lo - pad
    ticks = _ticks(lo, hi + pad)
    y0, y1 = ticks[0], ticks[-1]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    x1 = max(x1, x0 + 1)
    sx = (WIDTH - LEFT - RIGHT) / (x1 - x0)
    sy = (HEIGHT - TOP - BOTTOM) / ((y1 - y0) or 1.0)

    def px(x: float) -> float:
        return LEFT + (x - x0) * sx

    def py(y: float) -> float:
        return HEIGHT - BOTTOM - (y - y0) * sy

    dec = _decimals(ticks)
    parts = []
    for t in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
                     f'stroke="{GRID}" stroke-width=".5"/><text x="{LEFT - 4}" y="{py(t) + 3:.1f}"'
                     f' text-anchor="end" class="as">{nl_number(t, dec)}</text>')
    step = 1 if x1 - x0 <= 6 else 2 if x1 - x0 <= 12 else 3
    for yr in range(x0, x1 + 1, step):
        parts.append(f'<text x="{px(yr):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
                     f'class="as">{yr}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" '
                 f'y2="{HEIGHT - BOTTOM}" stroke="{INK}" stroke-width=".8"/>')
    for x, k in notes:
        parts.append(f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
                     f'stroke="{INK}" stroke-width=".6" stroke-dasharray="1 2"/>'
                     f'<text x="{px(x):.1f}" y="{TOP - 4}" text-anchor="middle" '
                     f'class="notitie">{k}</text>')
    if target is not None:
        parts.append(_path(target, px, py, ACCENT, "4 3", 1.6))
    if national is not None:
        parts.append(_path(national, px, py, NATIONAL_INK, "6 3", 1.2))
    parts.append(_path(region, px, py, BAR, None, 2.0))
    for i, (x, y) in enumerate(region.points):
        if y is None or not math.isfinite(y):
            continue
        fill = "#FFFFFF" if i in region.provisional else BAR
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2.6" fill="{fill}" '
                     f'stroke="{BAR}" stroke-width="1.2"/>')
    return (f'<svg id="{chart_id}" class="grafiek klein" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{escape(title)}">{"".join(parts)}</svg>')


def _path(line: Line, px, py, colour: str, dash: str | None, width: float) -> str:
    """Polyline segments between consecutive known values (gaps stay gaps)."""
    segs: list = []
    cur: list = []
    for x, y in line.points:
        if y is None or not math.isfinite(y):
            if cur:
                segs.append(cur)
            cur = []
        else:
            cur.append(f"{px(x):.1f},{py(y):.1f}")
    if cur:
        segs.append(cur)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return "".join(f'<polyline points="{" ".join(s)}" fill="none" stroke="{colour}" '
                   f'stroke-width="{width}"{dash_attr}/>' for s in segs if len(s) > 1) + \
        "".join(f'<circle cx="{s[0].split(",")[0]}" cy="{s[0].split(",")[1]}" r="1.8" '
                f'fill="{colour}"/>' for s in segs if len(s) == 1 and dash)


def pair_chart(chart_id: str, title: str, bars: Sequence[tuple[str, float | None, str]],
               unit: str) -> str:
    """Two or three horizontal bars (region, Nederland, ...) for a one-period indicator."""
    row, top, label_w = 26, 6, 110
    height = top + row * len(bars) + 22
    vals = [v for _, v, _ in bars if v is not None and math.isfinite(v)]
    vmax = max(vals + [0.0]) * 1.15 or 1.0
    ticks = _ticks(0.0, vmax, 3)
    span = WIDTH - label_w - 60
    sx = span / (ticks[-1] or 1.0)
    dec = _decimals(ticks)
    parts = []
    for t in ticks:
        x = label_w + t * sx
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 20}" '
                     f'stroke="{GRID}" stroke-width=".5"/><text x="{x:.1f}" y="{height - 8}" '
                     f'text-anchor="middle" class="as">{nl_number(t, dec)}</text>')
    for i, (label, v, text) in enumerate(bars):
        y = top + i * row
        w = 0.0 if v is None or not math.isfinite(v) else max(v * sx, 0.0)
        fill = BAR if i == 0 else NATIONAL_INK
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
                     f'{escape(label[:18] + ("…" if len(label) > 18 else ""))}</text>')
        if w:
            parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 9}" '
                         f'fill="{fill}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{escape(text)}</text>')
    return (f'<svg id="{chart_id}" class="grafiek klein" viewBox="0 0 {WIDTH} {height}" '
            f'role="img" aria-label="{escape(title)}">{"".join(parts)}</svg>')


LEGEND = (("lijn-regio", "regio"), ("lijn-nl", "Nederland"), ("lijn-doel", "doelpad"))
