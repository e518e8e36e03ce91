"""Server-rendered SVG charts for pages (no JavaScript needed) and, later, reports.

Radar charts are not a Vega-Lite mark, and pages must work without JavaScript, so these few
charts are drawn directly as accessible SVG (role="img", a <title> and a <desc>). Colours are
presentation attributes (the CSP forbids inline styles) from a palette distinguishable with
colour-vision deficiencies (Okabe–Ito).
"""

import math
from dataclasses import dataclass
from datetime import date

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
    """One decimal for scores and percentages; large amounts as whole numbers with a thin space
    between thousands (11 161 790), readable in both languages."""
    if abs(value) >= 10_000:
        return f"{value:,.0f}".replace(",", "\u2009")
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


# --- Strategy charts: Gantt, progress bar, KPI against its path ------------------------------
# Pure functions of plain data (dataclasses), with every label passed in (already translated),
# so pages and reports (PDF/DOCX) draw the same SVG. Black text on white, a hatched bar for
# what is not done yet and shapes besides colour, so they stay readable printed in grey.

RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "grey": "#8a949e"}


def _uid(prefix: str, *parts: object) -> str:
    import hashlib

    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{prefix}-{digest}"


@dataclass(frozen=True)
class GanttBar:
    key: str  # identifies the row (milestones name it)
    label: str
    group: str  # e.g. the priority; rows are grouped in the order of first appearance
    start: date | None
    end: date | None
    progress: float = 0.0  # 0–100
    rag: str = ""  # green | amber | red | grey | ""
    status: str = ""  # the status as text, for the description


@dataclass(frozen=True)
class GanttMilestone:
    key: str  # the GanttBar.key of its row
    label: str
    due: date
    done: bool = False


@dataclass(frozen=True)
class GanttLabels:
    today: str = "Today"
    done: str = "done"
    due: str = "due"
    progress: str = "progress"
    milestone: str = "milestone"
    no_dates: str = "no dates"


def gantt(
    bars: list[GanttBar],
    milestones: list[GanttMilestone],
    *,
    title: str,
    today: date | None = None,
    labels: GanttLabels | None = None,
    start: date | None = None,
    end: date | None = None,
    width: int = 980,
) -> SafeString:
    """Actions as bars (grouped by priority, filled to their progress, edged by their RAG
    colour), milestones as diamonds on their action's row (filled when done), year ticks and a
    dashed today line."""
    from datetime import date as _date
    from datetime import timedelta

    labels = labels or GanttLabels()
    dated = [b for b in bars if b.start or b.end]
    days = [d for b in dated for d in (b.start, b.end) if d] + [m.due for m in milestones]
    low = start or (min(days) if days else (today or _date(2024, 1, 1)))
    high = end or (max(days) if days else low + timedelta(days=365))
    low = _date(low.year, 1, 1)
    high = _date(high.year + 1, 1, 1) if high > _date(high.year, 1, 1) else high
    span = max(1, (high - low).days)
    left, right, top, row = 300, 20, 34, 24
    groups: list[str] = []
    for b in bars:
        if b.group not in groups:
            groups.append(b.group)
    lines: list[tuple[str, GanttBar | None]] = []
    for group in groups:
        lines.append((group, None))
        lines.extend((group, b) for b in bars if b.group == group)
    height = top + row * len(lines) + 16
    plot = width - left - right
    uid = _uid("gantt", title, bars, milestones, today)

    def x(day: date) -> float:
        return left + plot * min(max((day - low).days, 0), span) / span

    desc_parts = []
    for b in bars:
        when = f"{b.start or '…'} – {b.end or '…'}" if (b.start or b.end) else labels.no_dates
        desc_parts.append(
            f"{b.group} / {b.label}: {when}, {labels.progress} {b.progress:.0f}%"
            + (f", {b.status}" if b.status else "")
        )
    for m in milestones:
        desc_parts.append(
            f"{labels.milestone} {m.label}: {labels.due} {m.due}"
            + (f" ({labels.done})" if m.done else "")
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" class="chart gantt">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape("; ".join(desc_parts))}</desc>',
        f'<defs><pattern id="{uid}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#9aa4ae" stroke-width="2"/></pattern></defs>',
    ]
    for year in range(low.year, high.year + 1):
        tick = _date(year, 1, 1)
        if tick < low or tick > high:
            continue
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" y2="{height - 10}" stroke="{GRID}"/>'
        )
        if tick < high:
            mid = x(min(high, _date(year, 7, 1)))
            parts.append(
                f'<text x="{mid:.1f}" y="{top - 14}" font-size="11" text-anchor="middle" fill="{INK}">{year}</text>'
            )
    by_key = {b.key: i for i, (_g, b) in enumerate(lines) if b is not None}
    for i, (group, line) in enumerate(lines):
        y = top + row * i
        if line is None:
            parts.append(
                f'<rect x="0" y="{y + 1}" width="{width}" height="{row - 2}" fill="#eef2f6"/>'
                f'<text x="6" y="{y + 16}" font-size="12" font-weight="700" fill="{INK}">'
                f"{escape(group[:60])}</text>"
            )
            continue
        b = line
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" font-size="11" text-anchor="end" fill="{INK}">'
            f"{escape(b.label[:48])}<title>{escape(b.label)}</title></text>"
        )
        if not (b.start or b.end):
            parts.append(
                f'<text x="{left + 4}" y="{y + 16}" font-size="10" fill="#4f5965">{escape(labels.no_dates)}</text>'
            )
            continue
        s, e = b.start or b.end, b.end or b.start
        assert s is not None and e is not None
        x1, x2 = x(s), max(x(e), x(s) + 3)
        edge = RAG_COLOURS.get(b.rag, INK)
        done_w = (x2 - x1) * max(0.0, min(100.0, b.progress)) / 100
        parts.append(
            f'<rect x="{x1:.1f}" y="{y + 5}" width="{x2 - x1:.1f}" height="{row - 10}" '
            f'fill="url(#{uid}-h)" stroke="{edge}" stroke-width="2"/>'
            f'<rect x="{x1:.1f}" y="{y + 5}" width="{done_w:.1f}" height="{row - 10}" fill="{PALETTE[0]}"/>'
        )
    for m in milestones:
        if m.key not in by_key:
            continue
        my = top + row * by_key[m.key] + row / 2
        cx, r = x(m.due), 6.0
        fill = INK if m.done else "#ffffff"
        parts.append(
            f'<polygon points="{cx:.1f},{my - r:.1f} {cx + r:.1f},{my:.1f} {cx:.1f},{my + r:.1f} {cx - r:.1f},{my:.1f}" '
            f'fill="{fill}" stroke="{INK}" stroke-width="1.5" class="milestone">'
            f"<title>{escape(m.label)} ({escape(labels.due)} {m.due})</title></polygon>"
        )
    if today is not None and low <= today <= high:
        tx = x(today)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 10}" stroke="{PALETTE[1]}" '
            f'stroke-width="2" stroke-dasharray="4 3" class="today"/>'
            f'<text x="{tx + 3:.1f}" y="{top - 2}" font-size="10" fill="{PALETTE[1]}">{escape(labels.today)}</text>'
        )
    parts.append("</svg>")
    return _safe(parts)


def progress_bar(
    value: float | None, *, label: str, width: int = 160, height: int = 16, rag: str = ""
) -> SafeString:
    """A horizontal progress bar (0–100 %) with the percentage written beside it."""
    shown = max(0.0, min(100.0, value or 0.0))
    bar_w = width - 44
    colour = RAG_COLOURS.get(rag, PALETTE[0])
    text = "—" if value is None else f"{shown:.0f}%"
    uid = _uid("pb", label, value, rag)
    return _safe(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-labelledby="{uid}-t" class="chart progress-bar">',
            f'<title id="{uid}-t">{escape(label)}: {text}</title>',
            f'<rect x="0.5" y="1.5" width="{bar_w}" height="{height - 3}" fill="#ffffff" stroke="{INK}"/>',
            f'<rect x="0.5" y="1.5" width="{bar_w * shown / 100:.1f}" height="{height - 3}" fill="{colour}"/>',
            f'<text x="{bar_w + 6}" y="{height - 3}" font-size="12" fill="{INK}">{text}</text>',
            "</svg>",
        ]
    )


@dataclass(frozen=True)
class KpiLabels:
    measured: str = "Measured"
    baseline: str = "Baseline"
    target: str = "Target"
    path: str = "Path from baseline to target"
    today: str = "Today"


def kpi_chart(
    measurements: list[tuple[date, float]],
    *,
    title: str,
    baseline: tuple[date, float] | None = None,
    target: tuple[date, float] | None = None,
    unit: str = "",
    labels: KpiLabels | None = None,
    today: date | None = None,
    width: int = 560,
    height: int = 260,
) -> SafeString:
    """A KPI over time: the measurements, the baseline point, a target line and the dashed
    linear path between baseline and target (the path the KPI status is judged against)."""
    from datetime import date as _date

    labels = labels or KpiLabels()
    points = sorted(measurements)
    dates = [d for d, _v in points] + [p[0] for p in (baseline, target) if p]
    values = [v for _d, v in points] + [p[1] for p in (baseline, target) if p]
    uid = _uid("kpi", title, points, baseline, target, today)
    fmt = _fmt
    desc = [f"{labels.measured}: " + ", ".join(f"{d} {fmt(v)}" for d, v in points[-8:])]
    if baseline:
        desc.append(f"{labels.baseline}: {baseline[0]} {fmt(baseline[1])}")
    if target:
        desc.append(f"{labels.target}: {target[0]} {fmt(target[1])}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" class="chart kpi-chart">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape("; ".join(desc) + (f" ({unit})" if unit else ""))}</desc>',
    ]
    if not dates:
        parts.append("</svg>")
        return _safe(parts)
    left, right, top, bottom = 56, 110, 22, 34
    lo_d, hi_d = min(dates), max(dates)
    lo_d = _date(lo_d.year, 1, 1)
    hi_d = _date(hi_d.year + 1, 1, 1)
    span = max(1, (hi_d - lo_d).days)
    low, high = min(0.0, min(values)), max(values)
    high = high * 1.08 if high > 0 else low + 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: date) -> float:
        return left + plot_w * (day - lo_d).days / span

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    for k in range(5):
        value = low + (high - low) * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end" fill="#4f5965">{fmt(value)}</text>'
        )
    years = list(range(lo_d.year, hi_d.year + 1))
    step = max(1, len(years) // 8)
    for year in years[::step]:
        parts.append(
            f'<text x="{x(_date(year, 1, 1)):.1f}" y="{height - bottom + 16}" font-size="10" '
            f'text-anchor="middle" fill="#4f5965">{year}</text>'
        )
    if unit:
        parts.append(
            f'<text x="{left}" y="{top - 8}" font-size="10" fill="#4f5965">{escape(unit)}</text>'
        )
    if target:
        ty = y(target[1])
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="{PALETTE[2]}" '
            f'stroke-width="1.5" stroke-dasharray="2 3" class="target"/>'
            f'<text x="{left + plot_w + 6}" y="{ty + 4:.1f}" font-size="10" fill="{INK}">'
            f"{escape(labels.target)} {fmt(target[1])}</text>"
        )
    if baseline and target:
        parts.append(
            f'<line x1="{x(baseline[0]):.1f}" y1="{y(baseline[1]):.1f}" x2="{x(target[0]):.1f}" '
            f'y2="{y(target[1]):.1f}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="7 4" class="path">'
            f"<title>{escape(labels.path)}</title></line>"
        )
    if baseline:
        bx, by = x(baseline[0]), y(baseline[1])
        parts.append(
            f'<rect x="{bx - 4:.1f}" y="{by - 4:.1f}" width="8" height="8" fill="#ffffff" stroke="{INK}" '
            f'stroke-width="1.5" class="baseline"><title>{escape(labels.baseline)} {baseline[0]}: '
            f"{fmt(baseline[1])}</title></rect>"
        )
    if points:
        pts = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5" class="measured"/>'
        )
        for d, v in points:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3.5" fill="{PALETTE[0]}">'
                f"<title>{escape(labels.measured)} {d}: {fmt(v)}</title></circle>"
            )
        last_d, last_v = points[-1]
        parts.append(
            f'<text x="{x(last_d) + 6:.1f}" y="{y(last_v) - 6:.1f}" font-size="10" fill="{PALETTE[0]}">'
            f"{fmt(last_v)}</text>"
        )
    if today is not None and lo_d <= today <= hi_d:
        parts.append(
            f'<line x1="{x(today):.1f}" y1="{top}" x2="{x(today):.1f}" y2="{top + plot_h}" stroke="{PALETTE[1]}" '
            f'stroke-dasharray="3 3" class="today"><title>{escape(labels.today)}</title></line>'
        )
    legend = [
        (
            labels.measured,
            f'<line x1="0" y1="0" x2="14" y2="0" stroke="{PALETTE[0]}" stroke-width="2.5"/>',
        ),
        (
            labels.path,
            f'<line x1="0" y1="0" x2="14" y2="0" stroke="{INK}" stroke-dasharray="7 4"/>',
        ),
    ]
    ly = top + 40
    for text, mark in legend:
        lines = _wrap(text, 16)
        spans = "".join(
            f'<tspan x="18" dy="{0 if i == 0 else 11}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<g transform="translate({left + plot_w + 6},{ly})">{mark}'
            f'<text x="18" y="4" font-size="10" fill="{INK}">{spans}</text></g>'
        )
        ly += 11 * len(lines) + 8
    parts.append("</svg>")
    return _safe(parts)
