"""Text alternatives the pages give for what assistive technology cannot read by itself.

A chart is drawn by Vega as an SVG of marks that a screen reader either skips or reads as "group
mark container" after "group mark container". ``_partials/chart.html`` makes it one image
(``role="img"``) named by :func:`chart_name` (WCAG 2.1 1.1.1 Non-text content): what the chart
shows, and for a single line over time its course in figures, so that a user who does not see the
drawing is told what a sighted user reads from it. The figures themselves are in a table on the
page wherever a user needs them.

The tables' header scopes and names are completed in the browser (``static/js/layout.js``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"


def _trend(spec: Mapping[str, Any]) -> str:
    """A one-series line chart's course in words: where it starts, ends and peaks."""
    encoding = spec.get("encoding") or {}
    x, y = encoding.get("x") or {}, encoding.get("y") or {}
    values = (spec.get("data") or {}).get("values")
    if encoding.get("color") or x.get("type") != "temporal" or y.get("type") != "quantitative" \
            or not isinstance(values, list) or not values:
        return ""
    points: list[tuple[str, float]] = []
    for v in values:
        n = v.get(y.get("field")) if isinstance(v, Mapping) else None
        if isinstance(n, (int, float)) and not isinstance(n, bool):
            points.append((str(v.get(x.get("field"))), float(n)))
    if not points:
        return ""
    (first_at, first), (last_at, last) = points[0], points[-1]
    peak_at, peak = max(points, key=lambda p: p[1])
    return f"{_number(first)} in {first_at}, {_number(last)} in {last_at}; highest {_number(peak)} in {peak_at}"


def chart_name(spec: Mapping[str, Any] | None, label: str | None = None) -> str:
    """The text alternative of a chart (WCAG 2.1 1.1.1), said for it by a screen reader that does
    not read the drawing: ``label`` as the page gives it, else the spec's ``description``, else its
    title; a single line over time adds its course in figures."""
    spec = spec or {}
    title = spec.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    said = label or spec.get("description") or title or "Chart"
    trend = "" if spec.get("description") else _trend(spec)
    return f"{str(said).rstrip('. ')}: {trend}." if trend else str(said)
