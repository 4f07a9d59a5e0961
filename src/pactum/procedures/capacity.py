"""Adequate capacity of the border procedure (APR Arts 46-48).

A state's adequate capacity is the Union's capacity (a parameter) times the state's share of
irregular crossings of the external border, arrivals after search and rescue operations and
refusals of entry at the external border over the reference years (a parameter: three), the share
taken of the same three counts summed over all the bound states (APR Arts 46-47; Commission
Implementing Decision (EU) 2024/2150 computed it on 1.1.2021-31.12.2023; ``DOMAIN.md`` §3.1
[S41][S42]). The annual maximum of border-procedure applications is the capacity times a
multiplier that changes with the implementation year (parameters). When occupancy reaches the
capacity the state notifies the Commission (Arts 48-49).
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
class Arrivals:
    """The three counts of the formula for one state over the reference period."""

    irregular_crossings: int = 0
    sar_arrivals: int = 0
    refusals_of_entry: int = 0

    @property
    def total(self) -> int:
        return max(0, self.irregular_crossings) + max(0, self.sar_arrivals) + max(0, self.refusals_of_entry)

    def __add__(self, other: Arrivals) -> Arrivals:
        return Arrivals(self.irregular_crossings + other.irregular_crossings,
                        self.sar_arrivals + other.sar_arrivals,
                        self.refusals_of_entry + other.refusals_of_entry)

    def as_dict(self) -> dict[str, int]:
        return {"irregular_crossings": self.irregular_crossings, "sar_arrivals": self.sar_arrivals,
                "refusals_of_entry": self.refusals_of_entry, "total": self.total}


def _n(x: int) -> str:
    return f"{x:,}"


@dataclass(frozen=True)
class StateCapacity:
    member_state: str
    components: Arrivals
    union_total: int
    union_capacity: int
    multiplier: int
    capacity: int
    annual_maximum: int
    occupancy: int = 0
    applications_this_year: int = 0

    @property
    def arrivals(self) -> int:
        return self.components.total

    @property
    def share(self) -> float:
        return self.arrivals / self.union_total if self.union_total else 0.0

    @property
    def explanation(self) -> list[str]:
        """The computation in words and numbers, one line per step."""
        c = self.components
        lines = [f"{self.member_state}: irregular crossings {_n(c.irregular_crossings)} + arrivals "
                 f"after search and rescue {_n(c.sar_arrivals)} + refusals of entry "
                 f"{_n(c.refusals_of_entry)} = {_n(c.total)}",
                 f"share: {_n(c.total)} / {_n(self.union_total)} (all bound states) = "
                 f"{100 * self.share:.2f}%"]
        if self.union_total:
            lines.append(f"adequate capacity: {_n(self.union_capacity)} × {_n(c.total)} / "
                         f"{_n(self.union_total)} = {_n(self.capacity)} places (rounded half up)")
        else:
            lines.append("adequate capacity: 0 places (no arrivals recorded in the period)")
        lines.append(f"annual maximum: {_n(self.capacity)} × {self.multiplier} = "
                     f"{_n(self.annual_maximum)} applications")
        return lines

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
            "irregular_crossings": self.components.irregular_crossings,
            "sar_arrivals": self.components.sar_arrivals,
            "refusals_of_entry": self.components.refusals_of_entry,
            "share_percent": round(100 * self.share, 2),
            "capacity": self.capacity,
            "annual_maximum": self.annual_maximum,
            "occupancy": self.occupancy,
            "applications_this_year": self.applications_this_year,
            "capacity_reached": self.capacity_reached,
            "annual_maximum_reached": self.annual_maximum_reached,
            "explanation": self.explanation,
        }


def reference_period(on: date) -> tuple[date, date]:
    """The whole calendar years before ``on`` that the formula counts (three by default)."""
    years = int(param(REFERENCE_YEARS, on=on).value)
    return date(on.year - years, 1, 1), date(on.year - 1, 12, 31)


def union_totals(arrivals: Mapping[str, Arrivals]) -> Arrivals:
    out = Arrivals()
    for a in arrivals.values():
        out = out + Arrivals(max(0, a.irregular_crossings), max(0, a.sar_arrivals),
                             max(0, a.refusals_of_entry))
    return out


def capacities(
    arrivals: Mapping[str, Arrivals],
    on: date,
    occupancy: Mapping[str, int] | None = None,
    applications_this_year: Mapping[str, int] | None = None,
) -> dict[str, StateCapacity]:
    """Capacity and annual maximum of every state in ``arrivals`` (counts over the period).

    capacity = Union capacity × (the state's crossings + SAR arrivals + refusals of entry) / (the
    same sum over all states), rounded half up to whole places."""
    union = int(param(EU_CAPACITY, on=on).value)
    mult = int(param(MULTIPLIER, on=on).value)
    total = union_totals(arrivals).total
    occ = occupancy or {}
    apps = applications_this_year or {}
    out: dict[str, StateCapacity] = {}
    for ms in sorted(set(arrivals) | set(occ)):
        a = arrivals.get(ms, Arrivals())
        cap = (2 * union * a.total + total) // (2 * total) if total else 0
        out[ms] = StateCapacity(ms, a, total, union, mult, cap, cap * mult, occ.get(ms, 0),
                                apps.get(ms, 0))
    return out


def capacity_parameters(on: date) -> dict[str, Any]:
    p_union = param(EU_CAPACITY, on=on)
    p_mult = param(MULTIPLIER, on=on)
    p_years = param(REFERENCE_YEARS, on=on)
    return {
        "union_capacity": p_union.value,
        "annual_maximum_multiplier": p_mult.value,
        "reference_years": p_years.value,
        "legal_basis": [p_union.cite(), p_years.cite(), p_mult.cite(),
                        "Commission Implementing Decision (EU) 2024/2150"],
        "notification_basis": "Regulation (EU) 2024/1348, Articles 48-49",
    }
