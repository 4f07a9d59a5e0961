"""ISO weeks for the weekly situational report (``2026-W47``)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pactum.awareness.schemas import WeekPeriod
from pactum.common.dates import FIRST_STATISTICS_YEAR, LAST_STATISTICS_YEAR

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_month(value: str) -> bool:
    """``YYYY-MM`` with a month 01-12 (``2025-4``, ``2025-13`` and ``2025-04-15`` are not)."""
    return bool(_MONTH.match(value))


def parse_week(label: str) -> WeekPeriod:
    """``parse_week("2026-W47")`` -> Monday 16 Nov 2026 to Sunday 22 Nov 2026.

    Raises ``ValueError`` with a readable message for anything that is not an ISO week.
    """
    m = _WEEK.match(label.strip())
    if not m:
        raise ValueError(f"{label!r} is not an ISO week such as 2026-W47")
    year, week = int(m.group(1)), int(m.group(2))
    if not FIRST_STATISTICS_YEAR <= year <= LAST_STATISTICS_YEAR:
        raise ValueError(f"{label!r}: give a week of a year between {FIRST_STATISTICS_YEAR} and {LAST_STATISTICS_YEAR}")
    try:
        start = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ValueError(f"{label!r}: year {year} has no week {week}") from exc
    return WeekPeriod(label=f"{year}-W{week:02d}", start=start, end=start + timedelta(days=6))


def week_of(day: date) -> WeekPeriod:
    iso = day.isocalendar()
    return parse_week(f"{iso.year}-W{iso.week:02d}")
