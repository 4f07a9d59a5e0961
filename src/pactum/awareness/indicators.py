"""Indicator arithmetic on monthly series: changes, top nationalities, shares.

Series are plain ``{month "YYYY-MM": value}`` mappings so that the same functions serve the
platform's own encounters and the imported Frontex, Eurostat and UNHCR series.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pactum.awareness.schemas import MonthChange, NationalityShare


def month_add(month: str, n: int) -> str:
    """``month_add("2025-01", -1) == "2024-12"``."""
    y, m = int(month[:4]), int(month[5:7])
    idx = y * 12 + (m - 1) + n
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    out: list[str] = []
    cur = first
    while cur <= last:
        out.append(cur)
        cur = month_add(cur, 1)
    return out


def pct_change(new: float, old: float | None) -> float | None:
    """Percentage change from ``old`` to ``new``; ``None`` when there is no base to compare to."""
    if old is None or old == 0:
        return None
    return round((new - old) / old * 100.0, 1)


def change(series: Mapping[str, float], month: str) -> MonthChange:
    """The value of ``month`` against the previous month and the same month a year earlier."""
    value = float(series.get(month, 0.0))
    prev_key, year_key = month_add(month, -1), month_add(month, -12)
    prev = float(series[prev_key]) if prev_key in series else None
    year = float(series[year_key]) if year_key in series else None
    return MonthChange(
        month=month,
        value=value,
        previous_month=prev,
        change_month_pct=pct_change(value, prev),
        same_month_last_year=year,
        change_year_pct=pct_change(value, year),
    )


def top_shares(counts: Mapping[str, float], n: int = 5) -> list[NationalityShare]:
    """The ``n`` largest entries with their share of the total (ties broken by name)."""
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [
        NationalityShare(nationality=k, value=float(v), share=round(v / total, 4) if total else 0.0)
        for k, v in ranked
    ]


def share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def sum_months(rows: Iterable[tuple[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for month, value in rows:
        out[month] = out.get(month, 0.0) + float(value)
    return out


def rolling_sum(series: Mapping[str, float], last: str, months: int) -> float:
    return sum(float(series.get(month_add(last, -i), 0.0)) for i in range(months))
