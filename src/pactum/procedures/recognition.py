"""EU-wide first-instance recognition rates per nationality (APR Art 42(1)(j)).

The rate is (refugee status + subsidiary protection) / (positive + rejected) over first-instance
decisions in the EU Member States, the definition Eurostat uses for ``migr_asydcfsta``
(otherwise-closed cases are left out). The reference period is "the latest available yearly
Union-wide average": the last complete calendar year before the application for which the
platform holds decisions for that nationality.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class DecisionStat:
    """First-instance decisions of one year, one deciding state, one nationality."""

    year: int
    member_state: str
    nationality: str
    refugee_status: int
    subsidiary_protection: int
    rejected: int
    closed: int = 0
    source: str = ""

    @property
    def positive(self) -> int:
        return self.refugee_status + self.subsidiary_protection

    @property
    def decided(self) -> int:
        return self.positive + self.rejected


@dataclass(frozen=True, slots=True)
class RecognitionRate:
    nationality: str
    year: int | None
    positive: int
    decided: int
    states_reporting: int
    source: str

    @property
    def rate(self) -> float | None:
        if self.decided == 0:
            return None
        return round(100.0 * self.positive / self.decided, 2)

    def as_dict(self, threshold: float | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "nationality": self.nationality,
            "reference_year": self.year,
            "rate_percent": self.rate,
            "positive_decisions": self.positive,
            "total_decisions": self.decided,
            "states_reporting": self.states_reporting,
            "source": self.source,
        }
        if threshold is not None:
            out["threshold_percent"] = threshold
            out["at_or_below_threshold"] = self.rate is not None and self.rate <= threshold
        return out


def reference_year(applied_on: date) -> int:
    """The latest calendar year whose yearly data can exist on ``applied_on``."""
    return applied_on.year - 1


def eu_recognition_rate(
    stats: Iterable[DecisionStat],
    nationality: str,
    applied_on: date,
    eu_states: Iterable[str],
) -> RecognitionRate:
    """The EU-wide rate for ``nationality`` in the latest year before ``applied_on`` with data."""
    eu = set(eu_states)
    by_year: dict[int, list[DecisionStat]] = {}
    last = reference_year(applied_on)
    for s in stats:
        if s.nationality == nationality and s.member_state in eu and s.year <= last:
            by_year.setdefault(s.year, []).append(s)
    years = sorted((y for y, rows in by_year.items() if sum(r.decided for r in rows) > 0), reverse=True)
    if not years:
        return RecognitionRate(nationality, None, 0, 0, 0, "no first-instance decisions held")
    y = years[0]
    rows = by_year[y]
    sources = sorted({r.source for r in rows if r.source})
    return RecognitionRate(
        nationality=nationality,
        year=y,
        positive=sum(r.positive for r in rows),
        decided=sum(r.decided for r in rows),
        states_reporting=len({r.member_state for r in rows}),
        source=", ".join(sources),
    )
