"""Early-warning rules: when does a route's observed month call for an analyst's attention?

Two rules, each returning an ``AlertFinding`` or ``None``:

- ``above_interval``: the observed arrivals exceed the upper bound of the 80% prediction interval
  of the forecast made before the month began (by the model chosen for the route by backtest),
  above the same minimum volume as the rapid rise (a route going from 0 to 2 detections, above an
  interval of 0 to 1, does not alarm anyone either);
- ``rapid_rise``: the observed arrivals rose by more than a configurable percentage against the
  average of the preceding months, above a configurable minimum volume (so that a route going
  from 3 to 9 detections does not alarm anyone).

Each finding names the nationalities driving it: those whose detections grew most against the
baseline months, with their share of the route's increase.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from pactum.awareness.indicators import month_add

ABOVE_INTERVAL = "above_interval"
RAPID_RISE = "rapid_rise"
#: what a series counts, as its alerts' messages say it: Frontex counts detections (of crossings,
#: not persons), the platform its own encounters
DETECTIONS = "detections"
ENCOUNTERS = "encounters"


@dataclass(frozen=True)
class AlertSettings:
    """Analyst-configurable thresholds (operational settings, not legal numbers)."""

    rise_pct: float = 50.0
    baseline_months: int = 3
    min_volume: float = 500.0
    drivers: int = 3

    def problems(self) -> list[tuple[str, str]]:
        """What is wrong with the thresholds, as (setting, message); empty when they can be used."""
        out: list[tuple[str, str]] = []
        if not (math.isfinite(self.rise_pct) and self.rise_pct > 0):
            out.append(("rise_pct", f"{self.rise_pct:g} is not a percentage above 0"))
        if not 1 <= self.baseline_months <= 12:
            out.append(("baseline_months", f"{self.baseline_months} is not between 1 and 12"))
        if not (math.isfinite(self.min_volume) and self.min_volume >= 0):
            out.append(("min_volume", f"{self.min_volume:g} is not a number of 0 or more"))
        if self.drivers < 0:
            out.append(("drivers", f"{self.drivers} is negative"))
        return out


@dataclass(frozen=True)
class AlertFinding:
    route: str
    month: str
    rule: str
    observed: float
    threshold: float
    message: str
    drivers: list[dict[str, object]] = field(default_factory=list)


def drivers(
    by_nationality: Mapping[str, Mapping[str, float]],
    month: str,
    baseline_months: int,
    n: int,
) -> list[dict[str, object]]:
    """Nationalities with the largest increase of ``month`` over their baseline-month average.

    ``by_nationality`` maps nationality -> {month -> detections}.
    """
    rows: list[tuple[str, float, float]] = []
    for nat, series in by_nationality.items():
        now = float(series.get(month, 0.0))
        base = [float(series.get(month_add(month, -i), 0.0)) for i in range(1, baseline_months + 1)]
        avg = sum(base) / len(base) if base else 0.0
        rows.append((nat, now, now - avg))
    total_increase = sum(d for _, _, d in rows if d > 0)
    ranked = sorted((r for r in rows if r[2] > 0), key=lambda r: (-r[2], r[0]))[:n]
    return [
        {
            "nationality": nat,
            "observed": round(now),
            "increase": round(inc),
            "share_of_increase": round(inc / total_increase, 3) if total_increase else 0.0,
        }
        for nat, now, inc in ranked
    ]


def above_interval(
    route: str,
    month: str,
    observed: float,
    upper_80: float,
    model: str,
    by_nationality: Mapping[str, Mapping[str, float]],
    settings: AlertSettings,
) -> AlertFinding | None:
    if observed < settings.min_volume or observed <= upper_80:
        return None
    return AlertFinding(
        route=route,
        month=month,
        rule=ABOVE_INTERVAL,
        observed=observed,
        threshold=round(upper_80, 1),
        message=(
            f"{route}, {month}: {observed:,.0f} {DETECTIONS}, above the upper 80% bound "
            f"{upper_80:,.0f} of the {model} forecast"
        ),
        drivers=drivers(by_nationality, month, settings.baseline_months, settings.drivers),
    )


def rapid_rise(
    route: str,
    month: str,
    series: Mapping[str, float],
    by_nationality: Mapping[str, Mapping[str, float]],
    settings: AlertSettings,
    *,
    counted: str = DETECTIONS,
) -> AlertFinding | None:
    """``counted``: what the series counts, as the message says it (:data:`DETECTIONS` of Frontex,
    :data:`ENCOUNTERS` of the platform)."""
    observed = float(series.get(month, 0.0))
    base = [float(series.get(month_add(month, -i), 0.0)) for i in range(1, settings.baseline_months + 1)]
    avg = sum(base) / len(base)
    threshold = avg * (1 + settings.rise_pct / 100.0)
    if observed < settings.min_volume or observed <= threshold:
        return None
    rise = (observed - avg) / avg * 100.0 if avg else float("inf")
    rise_txt = f"+{rise:.0f}%" if avg else "from zero"
    return AlertFinding(
        route=route,
        month=month,
        rule=RAPID_RISE,
        observed=observed,
        threshold=round(threshold, 1),
        message=(
            f"{route}, {month}: {observed:,.0f} {counted}, {rise_txt} against the average of the "
            f"previous {settings.baseline_months} months ({avg:,.0f}); threshold +{settings.rise_pct:.0f}%"
        ),
        drivers=drivers(by_nationality, month, settings.baseline_months, settings.drivers),
    )
