"""Clocks. Rules never read the time themselves; services take it from a Clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stays where it is put (tests, scenario building)."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        self.at = at

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()

    def set(self, at: datetime) -> None:
        self.at = at if at.tzinfo else at.replace(tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """Stores hand back naive datetimes (SQLite) or other offsets (PostgreSQL): make them UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
