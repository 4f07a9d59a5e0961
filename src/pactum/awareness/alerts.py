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

Months before a series starts are no data, not zero: a rule whose months lie before the series'
first month cannot be evaluated (:func:`history_problem` says why; ``rapid_rise`` finds nothing),
rather than read a rise "from zero". Within a series, a month without a count is a zero (Frontex
lists only the months with detections, the platform only the months with encounters).
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
#: The months of data before a month that the forecast it is checked against is fitted on, at the
#: least: the models' warm-up, as the backtest's (``forecasting.WARM_UP_MONTHS``). With fewer, the
#: seasonal models cannot be fitted and the above-interval rule cannot be evaluated.
FORECAST_HISTORY_MONTHS = 36


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


def first_checkable(rule: str, first: str, settings: AlertSettings) -> str:
    """The first month ``rule`` can check on a series starting in ``first``: the rapid rise needs
    the ``baseline_months`` before the month, the above-interval rule a forecast fitted on the
    :data:`FORECAST_HISTORY_MONTHS` before it."""
    return month_add(first, FORECAST_HISTORY_MONTHS if rule == ABOVE_INTERVAL else settings.baseline_months)


def history_problem(rule: str, month: str, first: str, settings: AlertSettings) -> str | None:
    """Why ``rule`` cannot be evaluated on ``month`` of a series starting in ``first`` (too little
    history before it), or ``None`` when it can."""
    earliest = first_checkable(rule, first, settings)
    if month >= earliest:
        return None
    if rule == ABOVE_INTERVAL:
        return (f"the above-interval rule compares the month with a forecast fitted on the "
                f"{FORECAST_HISTORY_MONTHS} months before it (the first month it can check is {earliest})")
    n = settings.baseline_months
    return (f"the rapid-rise rule compares the month with the average of the {n} month{'' if n == 1 else 's'} "
            f"before it (the first month it can check is {earliest})")


def count_text(value: float, counted: str) -> str:
    """A count with what it counts, singular for one: ``1 encounter``, ``1,491 detections``; a
    fraction with one decimal (``0.3 detections``)."""
    noun = counted[:-1] if value == 1 and counted.endswith("s") else counted
    return f"{amount(value)} {noun}"


def amount(value: float) -> str:
    """A count or an average as a reader needs it: whole numbers with thousands separators
    (``1,491``), a value below 10 that is not whole with one decimal (an average of 1 over 3
    months: ``0.3``, not ``0``)."""
    if abs(value) < 10 and round(value) != value:
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def percent(value: float) -> str:
    """A setting in percent as typed: ``50``, ``50.5``, ``1,000``."""
    return f"{value:,.12g}"


def rise_text(rise: float, threshold_pct: float) -> str:
    """The rise in percent, with as many decimals (up to 2) as it takes not to read as the threshold
    it exceeds: ``+50.3%`` against a threshold of +50%, not ``+50%``."""
    for decimals in range(3):
        if round(rise, decimals) > threshold_pct:
            return f"+{rise:,.{decimals}f}%"
    return f"+{rise:,.2f}%"


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

    ``by_nationality`` maps nationality -> {month -> detections}. ``share_of_increase``: the
    nationality's increase over the sum of the increases of every nationality that rose (the falls
    of others not netted, so the shares of the risers add up to 1; a share is smaller than the
    nationality's part of the route's own rise when others fell).
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
            f"{route}, {month}: {count_text(observed, DETECTIONS)}, above the upper 80% bound "
            f"{amount(upper_80)} of the {model} forecast"
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
    first: str | None = None,
) -> AlertFinding | None:
    """``counted``: what the series counts, as the message says it (:data:`DETECTIONS` of Frontex,
    :data:`ENCOUNTERS` of the platform). ``first``: the series' first month (default: the first
    month ``series`` has); a month whose baseline months begin before it cannot be evaluated and
    finds nothing (:func:`history_problem`), while a month without a count from ``first`` on is a
    zero."""
    start = first if first is not None else (min(series) if series else None)
    if start is None or history_problem(RAPID_RISE, month, start, settings) is not None:
        return None
    observed = float(series.get(month, 0.0))
    base = [float(series.get(month_add(month, -i), 0.0)) for i in range(1, settings.baseline_months + 1)]
    avg = sum(base) / len(base)
    threshold = avg * (1 + settings.rise_pct / 100.0)
    if observed < settings.min_volume or observed <= threshold:
        return None
    rise_txt = rise_text((observed - avg) / avg * 100.0, settings.rise_pct) if avg else "from zero"
    n = settings.baseline_months
    return AlertFinding(
        route=route,
        month=month,
        rule=RAPID_RISE,
        observed=observed,
        threshold=round(threshold, 1),
        message=(
            f"{route}, {month}: {count_text(observed, counted)}, {rise_txt} against the average of the "
            f"previous {n} month{'' if n == 1 else 's'} ({amount(avg)}); threshold +{percent(settings.rise_pct)}%"
        ),
        drivers=drivers(by_nationality, month, settings.baseline_months, settings.drivers),
    )
