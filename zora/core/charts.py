"""Server-rendered SVG charts for pages (no JavaScript needed) and, later, reports.

Radar charts are not a Vega-Lite mark, and pages must work without JavaScript, so these few
charts are drawn directly as accessible SVG (role="img", a <title> and a <desc>). Colours are
presentation attributes (the CSP forbids inline styles) from a palette distinguishable with
colour-vision deficiencies (Okabe–Ito).
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
INK = "#1b1f24"
GRID = "#c9d1d9"


def _safe(parts: list[str]) -> SafeString:
    """Every text that goes into a chart is escaped where it is added, so the SVG is safe."""
    return mark_safe("".join(parts))  # noqa: S308


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]  # 0–100, one per axis


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _wrap(label: str, width: int = 18) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar(axes: list[str], series: list[Series], *, title: str, size: int = 420) -> SafeString:
    """A radar (spider) chart on a 0–100 scale; one polygon per series."""
    n = len(axes)
    width, height = size + 260, size + 40
    cx, cy = width / 2, size / 2
    radius = size / 2 - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="radar-title radar-desc" class="chart">',
        f'<title id="radar-title">{escape(title)}</title>',
    ]
    desc = "; ".join(
        f"{s.label}: "
        + ", ".join(
            f"{a} {'—' if v is None else _fmt(v)}" for a, v in zip(axes, s.values, strict=False)
        )
        for s in series
    )
    parts.append(f'<desc id="radar-desc">{escape(desc)}</desc>')

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="{GRID}" stroke-width="1"/>')
        x, y = point(0, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="10" fill="#4f5965">{ring}</text>'
        )
    for i, label in enumerate(axes):
        x, y = point(i, 100)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(i, 114)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        lines = _wrap(label)
        ly -= (len(lines) - 1) * 7
        tspans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if k == 0 else 14}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" fill="{INK}" text-anchor="{anchor}" '
            f'dominant-baseline="middle">{tspans}</text>'
        )
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0.0) for i, v in enumerate(s.values))
        )
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" '
            f'stroke-width="2.5"><title>{escape(s.label)}</title></polygon>'
        )
    for k, s in enumerate(series):  # legend
        colour = PALETTE[k % len(PALETTE)]
        y = height - 18 * (len(series) - k)
        parts.append(f'<rect x="10" y="{y - 9}" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="28" y="{y + 1}" font-size="12" fill="{INK}">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return _safe(parts)


@dataclass(frozen=True)
class Box:
    label: str
    n: int
    minimum: float | None
    q1: float | None
    median: float | None
    q3: float | None
    maximum: float | None


def box_plot(boxes: list[Box], *, title: str, width: int = 820, n_label: str = "n") -> SafeString:
    """Horizontal box plots on a 0–100 axis: whiskers min–max, box Q1–Q3, median line."""
    row = 34
    left, right, top = 330, 50, 30
    height = top + row * len(boxes) + 30
    plot = width - left - right

    def x(value: float) -> float:
        return left + plot * value / 100

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="box-title box-desc" class="chart">',
        f'<title id="box-title">{escape(title)}</title>',
    ]
    desc = "; ".join(
        f"{b.label}: {n_label}={b.n}"
        + (
            f", median {_fmt(b.median)}, quartiles {_fmt(b.q1 or 0)}–{_fmt(b.q3 or 0)}"
            if b.median is not None
            else ""
        )
        for b in boxes
    )
    parts.append(f'<desc id="box-desc">{escape(desc)}</desc>')
    for tick in range(0, 101, 25):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - 26}" stroke="{GRID}"/>'
            f'<text x="{x(tick):.1f}" y="{top - 12}" font-size="11" text-anchor="middle" fill="#4f5965">{tick}</text>'
        )
    for i, b in enumerate(boxes):
        y = top + row * i + row / 2
        parts.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="{INK}">{escape(b.label)}</text>'
        )
        if (
            b.median is None
            or b.minimum is None
            or b.maximum is None
            or b.q1 is None
            or b.q3 is None
        ):
            continue
        colour = PALETTE[0]
        parts.append(
            f'<line x1="{x(b.minimum):.1f}" y1="{y}" x2="{x(b.maximum):.1f}" y2="{y}" stroke="{INK}"/>'
            f'<line x1="{x(b.minimum):.1f}" y1="{y - 7}" x2="{x(b.minimum):.1f}" y2="{y + 7}" stroke="{INK}"/>'
            f'<line x1="{x(b.maximum):.1f}" y1="{y - 7}" x2="{x(b.maximum):.1f}" y2="{y + 7}" stroke="{INK}"/>'
            f'<rect x="{x(b.q1):.1f}" y="{y - 11}" width="{max(1.0, x(b.q3) - x(b.q1)):.1f}" height="22" '
            f'fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-width="1.5"/>'
            f'<line x1="{x(b.median):.1f}" y1="{y - 11}" x2="{x(b.median):.1f}" y2="{y + 11}" stroke="{INK}" stroke-width="2.5"/>'
            f'<text x="{width - right + 6}" y="{y + 4:.1f}" font-size="11" fill="#4f5965">{n_label}={b.n}</text>'
        )
    parts.append("</svg>")
    return _safe(parts)


@dataclass(frozen=True)
class Line:
    label: str
    points: list[tuple[str, float]]  # (period, value), in period order
    emphasis: bool = False


def time_series(
    lines: list[Line],
    *,
    title: str,
    unit: str = "",
    target: tuple[str, float] | None = None,
    target_label: str = "",
    width: int = 760,
    height: int = 340,
) -> SafeString:
    """Lines over periods (the first line emphasised), with an optional target point/line."""
    periods = sorted(
        {p for line in lines for p, _v in line.points} | ({target[0]} if target else set())
    )
    values = [v for line in lines for _p, v in line.points] + ([target[1]] if target else [])
    left, right, top, bottom = 60, 170, 20, 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="ts-title ts-desc" class="chart">',
        f'<title id="ts-title">{escape(title)}</title>',
    ]
    desc = "; ".join(
        f"{line.label}: " + ", ".join(f"{p} {_fmt(v)}" for p, v in line.points[-5:])
        for line in lines
    )
    parts.append(f'<desc id="ts-desc">{escape(desc)}</desc>')
    if not periods or not values:
        parts.append("</svg>")
        return _safe(parts)
    low, high = min(0.0, min(values)), max(values)
    high = high if high > low else low + 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(period: str) -> float:
        i = periods.index(period)
        return left + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    for k in range(5):
        value = low + (high - low) * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" fill="#4f5965">{_fmt(value)}</text>'
        )
    step = max(1, len(periods) // 8)
    for i, period in enumerate(periods):
        if i % step == 0 or i == len(periods) - 1:
            parts.append(
                f'<text x="{x(period):.1f}" y="{height - bottom + 18}" font-size="11" text-anchor="middle" '
                f'fill="#4f5965">{escape(period)}</text>'
            )
    if unit:
        parts.append(
            f'<text x="{left}" y="{top - 6}" font-size="11" fill="#4f5965">{escape(unit)}</text>'
        )
    if target:
        ty = y(target[1])
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="{PALETTE[2]}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{left + plot_w + 6}" y="{ty + 4:.1f}" font-size="11" fill="{PALETTE[2]}">'
            f"{escape(target_label)}</text>"
        )
    for k, line in enumerate(lines):
        if not line.points:
            continue
        colour = PALETTE[k % len(PALETTE)] if k < len(PALETTE) else "#8a949e"
        pts = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in line.points)
        widthline = 3 if line.emphasis else 1.5
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{widthline}"/>'
        )
        for p, v in line.points:
            parts.append(
                f'<circle cx="{x(p):.1f}" cy="{y(v):.1f}" r="{3 if line.emphasis else 2}" fill="{colour}">'
                f"<title>{escape(line.label)} {escape(p)}: {_fmt(v)}</title></circle>"
            )
        last_p, last_v = line.points[-1]
        parts.append(
            f'<text x="{left + plot_w + 6}" y="{y(last_v) + 4:.1f}" font-size="11" fill="{colour}">'
            f"{escape(line.label[:24])}</text>"
        )
    parts.append("</svg>")
    return _safe(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    highlight: bool = False


def bars(
    items: list[Bar], *, title: str, unit: str = "", width: int = 760, max_rows: int = 40
) -> SafeString:
    """A horizontal bar chart (ranking); the highlighted bar is the region compared."""
    shown = items[:max_rows]
    row = 20
    left, right, top = 200, 70, 24
    height = top + row * len(shown) + 10
    top_value = max([b.value for b in shown] + [0.0]) or 1.0
    plot = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="bar-title bar-desc" class="chart">',
        f'<title id="bar-title">{escape(title)}</title>',
        f'<desc id="bar-desc">{escape("; ".join(f"{b.label} {_fmt(b.value)}" for b in shown))}</desc>',
    ]
    if unit:
        parts.append(f'<text x="{left}" y="14" font-size="11" fill="#4f5965">{escape(unit)}</text>')
    for i, b in enumerate(shown):
        y = top + row * i
        w = max(0.0, plot * b.value / top_value)
        colour = PALETTE[1] if b.highlight else PALETTE[0]
        weight = ' font-weight="700"' if b.highlight else ""
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" font-size="11" text-anchor="end" fill="{INK}"{weight}>{escape(b.label[:32])}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{colour}" fill-opacity="{1 if b.highlight else 0.55}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="11" fill="{INK}"{weight}>{_fmt(b.value)}</text>'
        )
    parts.append("</svg>")
    return _safe(parts)
