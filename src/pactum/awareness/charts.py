"""Chart specifications (Vega-Lite v6, as vendored) and a server-side SVG rendering of the same specs.

The web pages hand the Vega-Lite spec to the vendored Vega-Embed. The PDF report cannot run
JavaScript, and no Vega renderer for Python is installed (``vl-convert`` is not among the
dependencies), so ``to_svg`` draws the subset of Vega-Lite these specs use (layered line, area
band with ``y``/``y2``, bar; nominal colour; temporal or ordinal x) directly as SVG. Both
renderings read the same ``data.values``, so the PDF and the page show the same numbers.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

Spec = dict[str, Any]
PALETTE = ["#1f5fa8", "#d9822b", "#2a9d8f", "#c0392b", "#7b4fa0", "#6c757d", "#b8860b", "#2e8b57", "#8b4513"]
#: The axis of a count (detections, encounters, applications): whole-number ticks with thousands
#: separators, never 0.5 of a person.
COUNT_AXIS: dict[str, Any] = {"tickMinStep": 1, "format": ",d"}


def forecast_spec(
    title: str, history: list[dict[str, Any]], forecast: list[dict[str, Any]], y_title: str = "Detections"
) -> Spec:
    """History line, forecast line and its 80% interval band. Rows: ``{month, value}`` and
    ``{month, mean, lo_80, hi_80}``."""
    values = [{"month": r["month"], "series": "observed", "value": r["value"]} for r in history] + [
        {"month": r["month"], "series": "forecast", "value": r["mean"], "lo": r["lo_80"], "hi": r["hi_80"]}
        for r in forecast
    ]
    x = {"field": "month", "type": "temporal", "title": "Month"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title,
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "layer": [
            {
                "transform": [{"filter": "datum.series === 'forecast'"}],
                "mark": {"type": "area", "opacity": 0.25, "color": PALETTE[1]},
                "encoding": {"x": x, "y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}},
            },
            {
                "mark": {"type": "line", "point": False},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative", "title": y_title, "axis": dict(COUNT_AXIS)},
                    "color": {"field": "series", "type": "nominal", "title": None},
                },
            },
        ],
    }


def lines_spec(title: str, rows: list[dict[str, Any]], y_title: str = "Detections", height: int = 220) -> Spec:
    """One line per ``series``. Rows: ``{month, series, value}``."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title,
        "width": "container",
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "line"},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": "Month"},
            "y": {"field": "value", "type": "quantitative", "title": y_title, "axis": dict(COUNT_AXIS)},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
    }


def bars_spec(title: str, rows: list[dict[str, Any]], y_title: str = "Detections") -> Spec:
    """Horizontal bars. Rows: ``{label, value}``; ``y_title`` names what the values count (drawn
    on the value axis, which is horizontal)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title,
        "width": "container",
        "height": max(60, 22 * len(rows)),
        "data": {"values": rows},
        "mark": {"type": "bar", "color": PALETTE[0]},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "value", "type": "quantitative", "title": y_title, "axis": dict(COUNT_AXIS)},
        },
    }


# --- SVG rendering -------------------------------------------------------------------------


def _layers(spec: Spec) -> list[Spec]:
    return list(spec["layer"]) if "layer" in spec else [spec]


def _rows(spec: Spec, layer: Spec) -> list[dict[str, Any]]:
    rows = list(spec["data"]["values"])
    for tr in layer.get("transform", []):
        flt = tr.get("filter", "")
        if flt.startswith("datum.series === "):
            wanted = flt.split("===", 1)[1].strip().strip("'\"")
            rows = [r for r in rows if r.get("series") == wanted]
    return rows


def _ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """Ticks from ``lo`` to ``hi`` at most ``n`` steps apart, each step a whole number of 1, 2 or 5
    times a power of ten (a count has no half ticks)."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10.0 ** math.floor(math.log10(raw)) if raw >= 1 else 1.0
    step = next((m * mag for m in (1, 2, 5) if raw <= m * mag), 10 * mag)
    step = max(1.0, step)
    t = math.ceil(lo / step) * step
    out = []
    while t <= hi + 1e-9:
        out.append(t)
        t += step
    return out


def _fmt(v: float) -> str:
    """A tick of a count: thousands separators (``25,000``), millions shortened (``1.2M``)."""
    if abs(v) >= 1_000_000:
        return f"{v / 1_000_000:.1f}M"
    return f"{v:,.0f}"


def _value_title(layers: list[Spec], channel: str) -> str:
    """The title of the value axis (what the numbers count), as the Vega-Lite spec names it."""
    for layer in layers:
        title = layer.get("encoding", {}).get(channel, {}).get("title")
        if title:
            return str(title)
    return ""


def chart_title(spec: Spec) -> str:
    """What a chart shows, in words: its description, else its title (the text alternative of the
    drawing, WCAG 2.1 1.1.1)."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return str(spec.get("description") or title or "Chart")


def to_svg(spec: Spec, width: int = 640) -> str:
    """Draw ``spec`` (a spec from this module) as a standalone SVG string."""
    layers = _layers(spec)
    height = int(spec.get("height", 220))
    if any(layer.get("mark", {}).get("type") == "bar" for layer in layers):
        return _bars_svg(spec, width, height)
    left, right, top, bottom = 64, 110, 28, 28
    pw, ph = width - left - right, height
    total_h = ph + top + bottom
    months: set[str] = set()
    ys: list[float] = []
    for layer in layers:
        enc = layer["encoding"]
        for r in _rows(spec, layer):
            months.add(str(r["month"]))
            for key in ("y", "y2"):
                if key in enc and r.get(enc[key]["field"]) is not None:
                    ys.append(float(r[enc[key]["field"]]))
    xs = sorted(months)
    title = escape(str(spec.get("title", "")))
    if not xs or not ys:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" role="img" '
            f'aria-label="{title}: no data for this period">'
            f'<text x="4" y="16" font-size="13" font-weight="bold">{title}</text>'
            f'<text x="4" y="40" font-size="12">No data for this period.</text></svg>'
        )
    y_hi = max(ys) * 1.05 or 1.0
    idx = {m: i for i, m in enumerate(xs)}

    def px(m: str) -> float:
        return left + (idx[m] / max(1, len(xs) - 1)) * pw

    def py(v: float) -> float:
        return top + ph - (v / y_hi) * ph

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
        f'viewBox="0 0 {width} {total_h}" font-family="sans-serif" role="img" aria-label="{title}">',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{title}</text>',
    ]
    for t in _ticks(0.0, y_hi):
        y = py(t)
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{_fmt(t)}</text>')
    y_title = escape(_value_title(layers, "y"))
    if y_title:
        mid = top + ph / 2
        parts.append(f'<text x="12" y="{mid:.1f}" font-size="10" text-anchor="middle" '
                     f'transform="rotate(-90 12 {mid:.1f})">{y_title}</text>')
    step = max(1, len(xs) // 6)
    for m in xs[::step]:
        parts.append(f'<text x="{px(m):.1f}" y="{top + ph + 16}" font-size="10" text-anchor="middle">{escape(m)}</text>')
    legend: list[tuple[str, str]] = []
    for layer in layers:
        mark, enc = layer["mark"], layer["encoding"]
        rows = sorted(_rows(spec, layer), key=lambda r: str(r["month"]))
        if mark["type"] == "area":
            yf, y2f = enc["y"]["field"], enc["y2"]["field"]
            pts = [r for r in rows if r.get(yf) is not None and r.get(y2f) is not None]
            if pts:
                upper = " ".join(f"{px(str(r['month'])):.1f},{py(float(r[y2f])):.1f}" for r in pts)
                lower = " ".join(f"{px(str(r['month'])):.1f},{py(float(r[yf])):.1f}" for r in reversed(pts))
                color = mark.get("color", PALETTE[1])
                parts.append(f'<polygon points="{upper} {lower}" fill="{color}" fill-opacity="{mark.get("opacity", 0.25)}"/>')
                legend.append(("80% interval", color))
        elif mark["type"] == "line":
            yf = enc["y"]["field"]
            groups: dict[str, list[dict[str, Any]]] = {}
            cf = enc.get("color", {}).get("field")
            for r in rows:
                groups.setdefault(str(r.get(cf, "")) if cf else "", []).append(r)
            for i, (name, grp) in enumerate(groups.items()):
                color = PALETTE[i % len(PALETTE)]
                line_pts = " ".join(f"{px(str(r['month'])):.1f},{py(float(r[yf])):.1f}" for r in grp if r.get(yf) is not None)
                parts.append(f'<polyline points="{line_pts}" fill="none" stroke="{color}" stroke-width="1.6"/>')
                if name:
                    legend.append((name, color))
    for i, (name, color) in enumerate(legend):
        y = top + 10 + i * 16
        parts.append(f'<rect x="{left + pw + 10}" y="{y - 8}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{left + pw + 24}" y="{y + 1}" font-size="10">{escape(name[:16])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bars_svg(spec: Spec, width: int, height: int) -> str:
    layer = _layers(spec)[0]
    enc = layer["encoding"]
    rows = sorted(_rows(spec, layer), key=lambda r: -float(r[enc["x"]["field"]]))
    title = escape(str(spec.get("title", "")))
    left, top = 170, 26
    pw = width - left - 60
    hi = max((float(r[enc["x"]["field"]]) for r in rows), default=0.0) or 1.0
    x_title = escape(_value_title([layer], "x"))
    total_h = top + 22 * len(rows) + (26 if x_title else 10)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
        f'viewBox="0 0 {width} {total_h}" font-family="sans-serif" role="img" aria-label="{title}">',
        f'<text x="4" y="16" font-size="13" font-weight="bold">{title}</text>',
    ]
    for i, r in enumerate(rows):
        v = float(r[enc["x"]["field"]])
        y = top + i * 22
        w = v / hi * pw
        parts.append(f'<text x="{left - 6}" y="{y + 14}" font-size="11" text-anchor="end">{escape(str(r[enc["y"]["field"]])[:28])}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="15" fill="{layer["mark"].get("color", PALETTE[0])}"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="10">{v:,.0f}</text>')
    if x_title:  # what the bars count, as the page's chart titles its value axis
        parts.append(f'<text x="{left}" y="{top + 22 * len(rows) + 14}" font-size="10">{x_title}</text>')
    parts.append("</svg>")
    return "".join(parts)
