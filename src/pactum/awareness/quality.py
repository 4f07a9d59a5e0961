"""Data quality of the nationality breakdowns: figures driven by detections of unknown nationality.

Frontex records a detection's nationality as the border authorities report it; when they report
none it is counted as ``OOO`` (unknown) or ``OOS`` (unidentified sub-Saharan Africa), and the
platform's own records carry ``XXX``. A month, a rise or an alert most of whose detections have no
known nationality says more about how they were recorded (a state reporting without nationality,
a change of practice) than about who arrived: the figures it drives carry a caveat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pactum.awareness.indicators import month_name

#: Nationalities that are no nationality: Frontex's ``OOO`` (unknown) and ``OOS`` (unidentified
#: sub-Saharan Africa), the platform's ``XXX`` (unknown).
UNKNOWN_NATIONALITIES = frozenset({"OOO", "OOS", "XXX"})
#: A figure is dominated by unknown nationality when at least this share of it has none.
DOMINANT_SHARE = 0.5


def is_unknown(nationality: object) -> bool:
    return isinstance(nationality, str) and nationality.strip().upper() in UNKNOWN_NATIONALITIES


def unknown_share(counts: Mapping[str, float]) -> float | None:
    """The share of ``counts`` (nationality -> detections) with no known nationality; ``None``
    when there is nothing to share."""
    total = sum(v for v in counts.values() if v > 0)
    if not total:
        return None
    return sum(v for k, v in counts.items() if is_unknown(k) and v > 0) / total


def month_caveat(by_nationality: Mapping[str, Mapping[str, float]], month: str,
                 what: str = "detections") -> dict[str, object] | None:
    """A caveat when most of ``month``'s detections have no known nationality: ``{"share",
    "unknown", "total", "text"}``; ``None`` otherwise."""
    counts = {nat: float(s.get(month, 0.0)) for nat, s in by_nationality.items()}
    share = unknown_share(counts)
    if share is None or share < DOMINANT_SHARE:
        return None
    unknown = sum(v for k, v in counts.items() if is_unknown(k) and v > 0)
    total = sum(v for v in counts.values() if v > 0)
    return {
        "share": round(share, 3), "unknown": round(unknown), "total": round(total),
        "text": (f"Data quality: {share:.0%} of the {what} of {month_name(month)} ({unknown:,.0f} of {total:,.0f}) are of unknown "
                 f"nationality. The month's nationality breakdown and the nationality forecasts describe only "
                 f"the other {1 - share:.0%}; a jump of unknown nationality may come from how the detections "
                 f"were recorded (a state reporting them without nationality) rather than from who arrived."),
    }


def alert_caveat(drivers: Sequence[Mapping[str, object]]) -> str | None:
    """A caveat for an alert whose rise is mostly of unknown nationality (from its drivers: each
    nationality's share of the route's increase); ``None`` otherwise."""
    unknown = [d for d in drivers if is_unknown(d.get("nationality"))]
    share = sum(_number(d.get("share_of_increase")) for d in unknown)
    if not unknown or share < DOMINANT_SHARE:
        return None
    observed = sum(_number(d.get("observed")) for d in unknown)
    return (f"Data quality: {share:.0%} of the rise is of unknown nationality ({observed:,.0f} detections "
            f"with none recorded). It may reflect how the detections were recorded (a state reporting them "
            f"without nationality) as much as more arrivals: check with the reporting state before acting on it.")


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
