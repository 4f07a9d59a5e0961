"""Partial dates of birth: a year, a year and month, or a full date.

Registries record what is known. A date of birth given only as a year is not 1 January of that
year; search and age rules use the earliest and latest possible day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from pactum.common.errors import ValidationProblem

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        if not isinstance(text, str):
            raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
        m = _PATTERN.match(text.strip())
        if not m:
            raise ValueError(f"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        if year < 1900:
            raise ValueError(f"year {year} is before 1900")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} does not exist")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"{text} is not a calendar date")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def age_range_on(self, on: date) -> tuple[int, int]:
        """(youngest possible age, oldest possible age) on a day."""

        def age(born: date) -> int:
            return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

        return age(self.latest()), age(self.earliest())


#: The years a statistics table, a report or an imported release may be about: an input bound
#: (no series the platform reads starts before 2000; 1000000000000 must not reach date arithmetic).
FIRST_STATISTICS_YEAR, LAST_STATISTICS_YEAR = 2000, 2100


def check_statistics_year(year: int | None) -> None:
    """A year asked of a statistics table: ``None`` (the latest) or one between 2000 and 2100,
    else a :class:`~pactum.common.errors.ValidationProblem` on ``year`` (a year such as
    1000000000000 must not reach the date arithmetic)."""
    if year is not None and not FIRST_STATISTICS_YEAR <= year <= LAST_STATISTICS_YEAR:
        raise ValidationProblem.one("year", f"give a year between {FIRST_STATISTICS_YEAR} and {LAST_STATISTICS_YEAR}")
