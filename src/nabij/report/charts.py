"""Inline SVG charts for the report. Each chart has a text alternative (aria-label) and the
report puts a data table beside it; values below the suppression threshold are never drawn
as a bar length."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from nabij.report.fmt import nl_number

WIDTH = 560
INK = "#222222"
GRID = "#BBBBBB"
BAR = "#4477AA"  # Tol bright blue: 4.5:1 against white
ACCENT = "#AA3377"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, the value drawn (None = not drawn) and the text shown at its end."""

    label: str
    value: float | None
    text: str


def _svg(chart_id: str, height: float, title: str, body: str) -> str:
    return (f'<svg id="{chart_id}" class="grafiek" viewBox="0 0 {WIDTH} {height:g}" '
            f'role="img" aria-label="{escape(title)}">{body}</svg>')


def _nice_max(v: float, ticks: int = 4) -> float:
    """Smallest round axis maximum >= v whose ``ticks`` steps are round numbers too."""
    if v <= 0:
        return 1.0
    raw = v / ticks
    e = 10 ** math.floor(math.log10(raw))
    step = next(m * e for m in (1, 2, 5, 10) if raw <= m * e)
    return step * ticks


def hbar_chart(chart_id: str, bars: Sequence[Bar], title: str, axis_label: str = "",
               marker: float | None = None, marker_label: str = "",
               label_width: float = 190) -> str:
    """Horizontal bar chart; an optional vertical marker line (e.g. the 10.000 norm)."""
    row = 18
    top, bottom = 8, 34
    height = top + row * max(len(bars), 1) + bottom
    vmax = max([b.value for b in bars if b.value is not None] + [marker or 0, 0])
    vmax = _nice_max(vmax * 1.05)
    x0, x1 = label_width, WIDTH - 70
    sx = (x1 - x0) / vmax
    parts = []
    for k in range(5):
        v = vmax * k / 4
        x = x0 + v * sx
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom + 4}" '
                     f'stroke="{GRID}" stroke-width=".5"/>'
                     f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'class="as">{nl_number(v, 0)}</text>')
    for i, b in enumerate(bars):
        y = top + i * row
        parts.append(f'<text x="{x0 - 6}" y="{y + 12.5}" text-anchor="end">'
                     f'{escape(_short(b.label, 34))}</text>')
        w = 0.0 if b.value is None else max(b.value * sx, 0.0)
        if w > 0:
            parts.append(f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="{row - 5}" '
                         f'fill="{BAR}"/>')
        parts.append(f'<text x="{x0 + w + 4:.1f}" y="{y + 12.5}">{escape(b.text)}</text>')
    if marker is not None and marker <= vmax:
        x = x0 + marker * sx
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom + 4}" '
                     f'stroke="{ACCENT}" stroke-width="1.5" stroke-dasharray="4 3"/>')
        if marker_label:
            parts.append(f'<text x="{x + 3:.1f}" y="{height - 4}" fill="{ACCENT}" '
                         f'class="as">{escape(marker_label)}</text>')
    if axis_label:
        parts.append(f'<text x="{x1:.1f}" y="{height - 4}" text-anchor="end" class="as">'
                     f'{escape(axis_label)}</text>')
    return _svg(chart_id, height, title, "".join(parts))


def column_chart(chart_id: str, bars: Sequence[Bar], title: str, axis_label: str = "",
                 highlight: set[int] | None = None) -> str:
    """Vertical bars (a histogram of classes): label under each bar, value above it."""
    height = 220
    top, bottom, left = 22, 44, 36
    n = max(len(bars), 1)
    slot = (WIDTH - left - 10) / n
    vmax = _nice_max(max([b.value or 0 for b in bars] + [0]) * 1.1)
    sy = (height - top - bottom) / vmax
    base = height - bottom
    parts = [f'<line x1="{left}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="{INK}"/>']
    for i, b in enumerate(bars):
        x = left + i * slot
        h = (b.value or 0) * sy
        fill = ACCENT if highlight and i in highlight else BAR
        if h > 0:
            parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{fill}"/>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{base - h - 4:.1f}" '
                     f'text-anchor="middle">{escape(b.text)}</text>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{base + 14}" text-anchor="middle" '
                     f'class="as">{escape(b.label)}</text>')
    if axis_label:
        parts.append(f'<text x="{WIDTH / 2:.0f}" y="{height - 8}" text-anchor="middle" '
                     f'class="as">{escape(axis_label)}</text>')
    return _svg(chart_id, height, title, "".join(parts))


def stacked_chart(chart_id: str, rows: Sequence[tuple[str, Sequence[float]]],
                  classes: Sequence[tuple[str, str]], title: str,
                  label_width: float = 190) -> str:
    """100 % stacked horizontal bars: per row the shares (0..1) of each class, with legend.

    ``classes`` is [(fill, label)]; fills may be ``url(#arcering)``.
    """
    row = 20
    top = 8
    legend_rows = (len(classes) + 2) // 3
    height = top + row * max(len(rows), 1) + 22 + 16 * legend_rows
    x0, x1 = label_width, WIDTH - 24
    span = x1 - x0
    parts = []
    for i, (label, shares) in enumerate(rows):
        y = top + i * row
        parts.append(f'<text x="{x0 - 6}" y="{y + 13.5}" text-anchor="end">'
                     f'{escape(_short(label, 34))}</text>')
        x = float(x0)
        for (fill, _), s in zip(classes, shares, strict=False):
            w = max(float(s), 0.0) * span
            if w > 0.05:
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 5}" '
                             f'fill="{fill}" stroke="#FFFFFF" stroke-width=".5"/>')
            x += w
    for k in range(5):
        x = x0 + span * k / 4
        parts.append(f'<text x="{x:.1f}" y="{top + row * len(rows) + 12}" text-anchor="middle" '
                     f'class="as">{k * 25} %</text>')
    ly = top + row * len(rows) + 22
    for j, (fill, label) in enumerate(classes):
        lx = 10 + (j % 3) * (WIDTH / 3)
        yy = ly + (j // 3) * 16
        parts.append(f'<rect x="{lx:.1f}" y="{yy}" width="12" height="12" fill="{fill}" '
                     f'stroke="{INK}" stroke-width=".5"/><text x="{lx + 16:.1f}" y="{yy + 10}" '
                     f'class="as">{escape(label)}</text>')
    return _svg(chart_id, height, title, "".join(parts))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
