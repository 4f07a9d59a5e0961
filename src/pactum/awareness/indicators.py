"""Indicator arithmetic on monthly series: changes, top nationalities, shares.

Series are plain ``{month "YYYY-MM": value}`` mappings so that the same functions serve the
platform's own encounters and the imported Frontex, Eurostat and UNHCR series.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

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


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def month_name(month: str) -> str:
    """``month_name("2025-04") == "April 2025"``."""
    return f"{_MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def months_between(earlier: str, later: str) -> int:
    """Whole months from month ``earlier`` to month ``later`` (``YYYY-MM``): 19 from 2025-04 to 2026-11."""
    return (int(later[:4]) * 12 + int(later[5:7])) - (int(earlier[:4]) * 12 + int(earlier[5:7]))


#: How old the latest month of a monthly series may be before it is said to be old: Frontex and
#: Eurostat publish a month's figures within about six weeks, so a latest month more than two months
#: before the current one means no newer release was imported.
STALE_AFTER_MONTHS = 2
#: A yearly series: UNHCR publishes a year's figures in June of the next year (Global Trends), so
#: its latest year is old once the year after it has ended too.
STALE_AFTER_YEAR_END = 12


def freshness(latest: str, today: date) -> dict[str, object]:
    """How old a series' latest period (a month ``YYYY-MM`` or a year ``YYYY``) is on ``today``,
    as figures and words: ``{"latest_period": "2025-04", "months_old": 19, "stale": True,
    "text": "latest data: April 2025 — 19 months old on 2026-11-30"}``. A year's age counts from its
    last month (December).

    A period that is not over by ``today`` is said so, never given an age of nought: a month after
    ``today``'s month is ``N months after`` it (``months_old`` negative), a year not over on
    ``today`` is ``not over on`` it. A caller reading the data as they were on a past day (the
    weekly report) cuts them at that day first, so it meets neither."""
    yearly = len(latest) == 4
    last_month = f"{latest}-12" if yearly else latest
    months = months_between(last_month, today.isoformat()[:7])
    stale = months > (STALE_AFTER_YEAR_END if yearly else STALE_AFTER_MONTHS)
    plural = "" if abs(months) == 1 else "s"
    if yearly:
        text = (f"latest data: the year {latest} — not over on {today}" if months < 0 else
                f"latest data: the year {latest} — ended {months} month{plural} before {today}")
    else:
        if months < 0:
            age = f"{-months} month{plural} after {today}"
        else:
            age = f"the month of {today}" if months == 0 else f"{months} month{plural} old on {today}"
        text = f"latest data: {month_name(latest)} — {age}"
    return {"latest_period": latest, "months_old": months, "stale": stale, "text": text}
