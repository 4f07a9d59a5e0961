"""Adequate capacity of the border procedure (APR Arts 46-48).

A state's adequate capacity is the Union's capacity (a parameter) times the state's share of
irregular crossings of the external border, arrivals after search and rescue operations and
refusals of entry at the external border over the reference years (a parameter: three), the share
taken of the same three counts summed over all the bound states (APR Arts 46-47; Commission
Implementing Decision (EU) 2024/2150 computed it on 1.1.2021-31.12.2023; ``DOMAIN.md`` §3.1
[S41][S42]). While that Decision is in force (until the next act, 15 October 2027) the capacity
of a state is the figure it fixes (parameters ``apr.border_capacity_decision.<state>``); the same
formula on the platform's own records is only an estimate, shown beside it and used for a state
whose figure the platform does not hold or when no act is in force. The annual maximum of
border-procedure applications is the capacity times a multiplier that changes with the
implementation year (parameters). When occupancy reaches the capacity the state notifies the
Commission (Arts 48-49).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pactum.law import param
from pactum.law.tree import NotInForce, UnknownParameter

EU_CAPACITY = "apr.border_procedure.capacity.union"
REFERENCE_YEARS = "apr.border_procedure.capacity.reference_years"
MULTIPLIER = "apr.border_procedure.annual_maximum_multiplier"
#: The adequate capacity of a state fixed by Commission Implementing Decision (EU) 2024/2150
#: (``apr.border_capacity_decision.<state>``; DOMAIN.md §3.1 holds IT, HU, ES, EL and PL).
DECISION_CAPACITY = "apr.border_capacity_decision"
DECISION = "Commission Implementing Decision (EU) 2024/2150"
#: The day of the Commission's next act (``apr.border_procedure.capacity.next_act_on``, 15 October
#: 2027, then every three years): the Decision's figures apply until the day before. From that day
#: the platform holds no figure fixed by law until the next act is added as a parameter, and shows
#: only its estimate.
NEXT_ACT = "apr.border_procedure.capacity.next_act_on"


def decision_until(on: date) -> date:
    """The last day the capacities of Decision 2024/2150 apply (the day before the next act)."""
    next_act = param(NEXT_ACT, on=on).value
    assert isinstance(next_act, date)
    return next_act - timedelta(days=1)


@dataclass(frozen=True)
class FixedCapacity:
    """A state's adequate capacity as an act in force fixes it."""

    places: int
    legal_basis: str
    valid_from: date
    valid_until: date
    unverified: bool


def fixed_capacity(member_state: str, on: date) -> FixedCapacity | None:
    """The adequate capacity Decision 2024/2150 fixes for the state on ``on``; ``None`` outside
    the Decision's time or for a state whose figure the platform does not hold."""
    try:
        until = decision_until(on)
        p = param(f"{DECISION_CAPACITY}.{member_state}", on=on)
    except (UnknownParameter, NotInForce):
        return None
    if on > until or p.value is None:
        return None
    return FixedCapacity(int(p.value), p.cite(), p.valid_from, until, p.unverified)


#: The states whose figure of Decision 2024/2150 the platform holds (DOMAIN.md §3.1).
DECISION_STATES = ("IT", "HU", "ES", "EL", "PL")


def decision_in_force(on: date) -> bool:
    """Whether Decision 2024/2150's capacities apply on ``on`` (any state's figure is held)."""
    return any(fixed_capacity(ms, on) is not None for ms in DECISION_STATES)


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
    """A state's border-procedure capacity: the one in force (fixed by the Commission's act, or
    the platform's estimate when it holds no figure of an act for the state) and the estimate
    from the platform's own records by the formula of APR Arts 46-47, always shown beside it."""

    member_state: str
    components: Arrivals
    union_total: int
    union_capacity: int
    multiplier: int
    estimate: int
    occupancy: int = 0
    applications_this_year: int = 0
    fixed: FixedCapacity | None = None
    decision_in_force: bool = False
    #: The places the state's capacity in force is when no act fixes it: its share of what the
    #: Union's capacity leaves after the figures fixed by the act (all of it when no act is in
    #: force), by its arrivals, in whole places that add up to that remainder exactly (largest
    #: remainders). ``None``: the estimate itself.
    allotted: int | None = None
    #: The places the fixed figures leave of the Union's capacity (for the explanation).
    remainder: int | None = None

    @property
    def capacity(self) -> int:
        if self.fixed:
            return self.fixed.places
        return self.allotted if self.allotted is not None else self.estimate

    @property
    def annual_maximum(self) -> int:
        return self.capacity * self.multiplier

    @property
    def estimate_annual_maximum(self) -> int:
        return self.estimate * self.multiplier

    @property
    def source(self) -> str:
        """``decision``: the Commission's act fixes the capacity; ``estimate``: the platform's
        records, by the formula (no act in force, or its figure for the state is not held)."""
        return "decision" if self.fixed else "estimate"

    @property
    def arrivals(self) -> int:
        return self.components.total

    @property
    def share(self) -> float:
        return self.arrivals / self.union_total if self.union_total else 0.0

    @property
    def estimate_explanation(self) -> list[str]:
        """The formula on the platform's records, in words and numbers, one line per step."""
        c = self.components
        lines = [f"{self.member_state}: irregular crossings {_n(c.irregular_crossings)} + arrivals "
                 f"after search and rescue {_n(c.sar_arrivals)} + refusals of entry "
                 f"{_n(c.refusals_of_entry)} = {_n(c.total)}",
                 f"share: {_n(c.total)} / {_n(self.union_total)} (all bound states) = "
                 f"{100 * self.share:.2f}%"]
        if self.union_total:
            lines.append(f"adequate capacity: {_n(self.union_capacity)} × {_n(c.total)} / "
                         f"{_n(self.union_total)} = {_n(self.estimate)} places (rounded half up)")
        else:
            lines.append("adequate capacity: 0 places (no arrivals recorded in the period)")
        lines.append(f"annual maximum: {_n(self.estimate)} × {self.multiplier} = "
                     f"{_n(self.estimate_annual_maximum)} applications")
        return lines

    @property
    def explanation(self) -> list[str]:
        """Where the capacity in force comes from, then the estimate from the records."""
        if self.fixed:
            f = self.fixed
            return [f"{self.member_state}: adequate capacity {_n(f.places)} places, fixed by {f.legal_basis} "
                    f"(from {f.valid_from.isoformat()} until the next implementing act, due on "
                    f"{(f.valid_until + timedelta(days=1)).isoformat()})",
                    f"annual maximum: {_n(f.places)} × {self.multiplier} = {_n(self.annual_maximum)} applications",
                    "estimate from the platform's records (for comparison, not the law):",
                    *self.estimate_explanation]
        if self.decision_in_force:
            head = (f"{self.member_state}: the platform holds no figure of {DECISION} for this state "
                    "(a legal officer adds it as a parameter): estimate from the platform's records")
        else:
            head = (f"{self.member_state}: no act of the Commission fixing the adequate capacities is "
                    "held for this date: estimate from the platform's records")
        lines = [head, *self.estimate_explanation]
        if self.allotted is not None and self.decision_in_force and self.remainder is not None:
            lines.append(f"capacity used (an estimate, not the law): {_n(self.allotted)} places, the "
                         f"state's share by its arrivals of the {_n(self.remainder)} places the figures "
                         f"fixed by {DECISION} leave of the Union's {_n(self.union_capacity)}")
        elif self.allotted is not None and self.allotted != self.estimate:
            lines.append(f"capacity used: {_n(self.allotted)} places (whole places adding up to the "
                         f"Union's {_n(self.union_capacity)}, largest remainders)")
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
            "capacity_source": self.source,
            "capacity_legal_basis": self.fixed.legal_basis if self.fixed else None,
            "estimate": {"capacity": self.estimate, "annual_maximum": self.estimate_annual_maximum,
                         "basis": "the platform's records of irregular crossings, arrivals after "
                                  "search and rescue and refusals of entry, by the formula of "
                                  "Regulation (EU) 2024/1348, Articles 46-47"},
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
    in_force = decision_in_force(on)
    states = sorted(set(arrivals) | set(occ))
    fixed = {ms: fixed_capacity(ms, on) for ms in states}
    # the places left to the states whose figure no act fixes: the Union's capacity less the
    # fixed figures, never less than none (APR Art 46: the Union's adequate capacity is the cap)
    every_fixed = {ms: fixed_capacity(ms, on) for ms in DECISION_STATES} | fixed
    remainder = max(0, union - sum(f.places for f in every_fixed.values() if f is not None))
    not_fixed = {ms: arrivals.get(ms, Arrivals()).total for ms in states if fixed[ms] is None}
    allotted = share_out(remainder, not_fixed)
    out: dict[str, StateCapacity] = {}
    for ms in states:
        a = arrivals.get(ms, Arrivals())
        estimate = (2 * union * a.total + total) // (2 * total) if total else 0
        out[ms] = StateCapacity(ms, a, total, union, mult, estimate, occ.get(ms, 0),
                                apps.get(ms, 0), fixed[ms], in_force, allotted.get(ms),
                                remainder if in_force else None)
    return out


def share_out(places: int, weights: Mapping[str, int]) -> dict[str, int]:
    """``places`` shared in whole places by ``weights`` (largest remainders; ties by key), adding
    up to ``places`` exactly (none at all when every weight is nought)."""
    total = sum(max(0, w) for w in weights.values())
    if not total:
        return dict.fromkeys(weights, 0)
    floors = {k: places * max(0, w) // total for k, w in weights.items()}
    rests = sorted(weights, key=lambda k: (-(places * max(0, weights[k]) % total), k))
    for k in rests[:places - sum(floors.values())]:
        floors[k] += 1
    return floors


def states_total(caps: Mapping[str, StateCapacity], union: int) -> dict[str, Any]:
    """What the capacities in force add up to: the figures an act fixes, the estimates (marked as
    such) and the Union's adequate capacity they never exceed (APR Art 46)."""
    fixed = sum(c.capacity for c in caps.values() if c.fixed is not None)
    estimated = sum(c.capacity for c in caps.values() if c.fixed is None)
    total = fixed + estimated
    text = (f"Capacities in force add up to {_n(total)} places of the Union's {_n(union)}: "
            f"{_n(fixed)} fixed by {DECISION}" if fixed else
            f"Capacities in force add up to {_n(total)} places of the Union's {_n(union)}: no figure "
            "fixed by an act held")
    if estimated or fixed:
        text += (f", {_n(estimated)} estimated from the platform's records for the other bound "
                 "states (their share of what the fixed figures leave; not the law)" if fixed else
                 f", all {_n(estimated)} estimated from the platform's records (not the law)")
    return {"fixed": fixed, "estimated": estimated, "total": total, "union_capacity": union,
            "text": text + "."}


def capacity_parameters(on: date) -> dict[str, Any]:
    p_union = param(EU_CAPACITY, on=on)
    p_mult = param(MULTIPLIER, on=on)
    p_years = param(REFERENCE_YEARS, on=on)
    in_force = decision_in_force(on)
    return {
        "union_capacity": p_union.value,
        "annual_maximum_multiplier": p_mult.value,
        "reference_years": p_years.value,
        # the formula (APR) the estimate follows and the annual maximum's multiplier
        "legal_basis": [p_union.cite(), p_years.cite(), p_mult.cite()],
        # the act fixing each state's adequate capacity on the day, if the platform holds one
        "capacities_fixed_by": ({"act": DECISION, "until": decision_until(on).isoformat(),
                                 "note": "capacities fixed on the arrivals of 1.1.2021-31.12.2023; the next act "
                                         f"is due on {(decision_until(on) + timedelta(days=1)):%-d %B %Y}"}
                                if in_force else None),
        "notification_basis": "Regulation (EU) 2024/1348, Articles 48-49",
    }
