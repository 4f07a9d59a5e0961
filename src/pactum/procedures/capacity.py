"""Adequate capacity of the border procedure (APR Arts 46-48).

A state's adequate capacity is the Union's capacity (a parameter) times the state's share of
irregular crossings, arrivals after search and rescue and refusals of entry over the reference
years (a parameter: three); the annual maximum of border-procedure applications is the capacity
times a multiplier that changes with the implementation year (parameters). When occupancy reaches
the capacity the state notifies the Commission (Arts 48-49).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pactum.law import param

EU_CAPACITY = "apr.border_procedure.capacity.union"
REFERENCE_YEARS = "apr.border_procedure.capacity.reference_years"
MULTIPLIER = "apr.border_procedure.annual_maximum_multiplier"


@dataclass(frozen=True)
class StateCapacity:
    member_state: str
    arrivals: int
    share: float
    capacity: int
    annual_maximum: int
    occupancy: int = 0
    applications_this_year: int = 0

    @property
    def capacity_reached(self) -> bool:
        return self.occupancy > 0 and self.occupancy >= self.capacity

    @property
    def annual_maximum_reached(self) -> bool:
        return self.applications_this_year > 0 and self.applications_this_year >= self.annual_maximum

    def as_dict(self) -> dict[str, Any]:
        return {
            "member_state": self.member_state,
            "arrivals": self.arrivals,
            "share_percent": round(100 * self.share, 2),
            "capacity": self.capacity,
            "annual_maximum": self.annual_maximum,
            "occupancy": self.occupancy,
            "applications_this_year": self.applications_this_year,
            "capacity_reached": self.capacity_reached,
            "annual_maximum_reached": self.annual_maximum_reached,
        }


def reference_period(on: date) -> tuple[date, date]:
    """The whole calendar years before ``on`` that the formula counts (three by default)."""
    years = int(param(REFERENCE_YEARS, on=on).value)
    return date(on.year - years, 1, 1), date(on.year - 1, 12, 31)


def capacities(
    arrivals: Mapping[str, int],
    on: date,
    occupancy: Mapping[str, int] | None = None,
    applications_this_year: Mapping[str, int] | None = None,
) -> dict[str, StateCapacity]:
    """Capacity and annual maximum of every state in ``arrivals`` (counts over the period)."""
    union = int(param(EU_CAPACITY, on=on).value)
    mult = int(param(MULTIPLIER, on=on).value)
    total = sum(max(0, v) for v in arrivals.values())
    occ = occupancy or {}
    apps = applications_this_year or {}
    out: dict[str, StateCapacity] = {}
    for ms in sorted(set(arrivals) | set(occ)):
        n = max(0, arrivals.get(ms, 0))
        share = n / total if total else 0.0
        cap = round(union * share)
        out[ms] = StateCapacity(ms, n, share, cap, cap * mult, occ.get(ms, 0), apps.get(ms, 0))
    return out


def capacity_parameters(on: date) -> dict[str, Any]:
    p_union = param(EU_CAPACITY, on=on)
    p_mult = param(MULTIPLIER, on=on)
    p_years = param(REFERENCE_YEARS, on=on)
    return {
        "union_capacity": p_union.value,
        "annual_maximum_multiplier": p_mult.value,
        "reference_years": p_years.value,
        "legal_basis": [p_union.cite(), p_mult.cite()],
        "notification_basis": "Regulation (EU) 2024/1348, Articles 48-49",
    }
