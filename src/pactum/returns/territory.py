"""Where a return decision is issued: its region, and the return alert it does not get there.

A return decision may record the region of its issuing state where it was issued (``region``, an
ISO 3166-2 code of :data:`pactum.registry.local_time.REGIONS`: the Canary Islands for Spain, the
Azores and Madeira for Portugal, France's outermost regions). Without one it was issued where the
state's capital keeps its clock.

Pactum's reading (docs/returns.md, "Return decisions issued in France's outermost regions"): a
decision France issues in Guadeloupe, Martinique, French Guiana, La Réunion, Mayotte or Saint-Martin
(``Region.european`` false) is not entered in SIS as a return alert. Regulation (EU) 2018/1860 is a
development of the Schengen acquis; its alerts serve to verify that the obligation to return was
complied with and to support the enforcement of return decisions (Art 3(1)) across the area where
that acquis applies; and the acquis applies to the European territory of the French Republic only
(Convention implementing the Schengen Agreement, Art 138, first paragraph). The decision itself, its
period for voluntary departure and its entry ban (Directive 2008/115/EC Art 7, 11) stay: the Directive
applies in the outermost regions (Art 355(1) TFEU).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pactum.registry.local_time import (
    MAINLAND_WORDS,
    REGIONS,
    STATE_ZONES,
    Region,
    local_day,
    place_problem,
    region_of,
    state_today,
)

#: The articles a decision without a return alert cites, in the order the reading takes them.
NOT_IN_SCHENGEN_BASIS: tuple[str, ...] = (
    "Regulation (EU) 2018/1860, Article 3(1) (return alerts, to verify compliance with and support the "
    "enforcement of return decisions; the Regulation is a development of the Schengen acquis)",
    "Convention implementing the Schengen Agreement, Article 138, first paragraph (for the French Republic, "
    "the Schengen acquis applies to its European territory only)",
)


@dataclass(frozen=True)
class AlertNotEntered:
    """Why a decision has no return alert: issued in ``region``, outside the Schengen area."""

    region: str
    region_name: str

    @property
    def reason(self) -> str:
        return (
            f"issued in {self.region_name} ({self.region}), outside the European territory of France where "
            "the Schengen acquis applies: no return alert is entered in SIS for it (Pactum's reading of "
            "Regulation (EU) 2018/1860, Article 3(1), with the Convention implementing the Schengen "
            "Agreement, Article 138); the decision, its period for voluntary departure and any entry ban "
            "stand (Directive 2008/115/EC applies there, Article 355(1) TFEU)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "not_entered",
            "region": self.region,
            "region_name": self.region_name,
            "reason": self.reason,
            "legal_basis": list(NOT_IN_SCHENGEN_BASIS),
        }


def check_region(member_state: str, region: str | None) -> str | None:
    """The region as stored (stripped, upper case) or None; ``ValueError`` with the message for
    ``region`` where it is not one of ``member_state``'s (another state's, an unknown code, blank,
    or a state that keeps one clock)."""
    if region is None:
        return None
    code = region.strip().upper()
    if not code:
        raise ValueError("is blank: give one of the issuing state's regions, or leave it out")
    problem = place_problem(member_state, code, None)
    if problem is not None:
        raise ValueError(problem[1])
    return code


def regions_of(member_state: str | None) -> tuple[Region, ...]:
    """The regions a decision of ``member_state`` may name (none for a state with one clock)."""
    return REGIONS.get(member_state or "", ())


def alert_not_entered(region: str | None) -> AlertNotEntered | None:
    """Why a decision issued in ``region`` gets no return alert, or None where it gets one."""
    r = region_of(region) if region else None
    if r is None or r.european:
        return None
    return AlertNotEntered(r.code, r.name)


def mainland_words(member_state: str | None) -> str:
    """Where a decision without a region is issued, as the form names it."""
    ms = member_state or ""
    where = MAINLAND_WORDS.get(ms, "the capital's territory")
    return f"{where} ({STATE_ZONES[ms]})" if ms in STATE_ZONES else where


def region_name(region: str | None) -> str | None:
    """The region's name as the pages say it (``La Réunion``), or None."""
    r = region_of(region) if region else None
    return r.name if r is not None else None


def region_zone(region: str | None) -> str | None:
    """The clock of the region a decision was issued in (IANA name), or None: then its days are
    counted on its state's capital's clock."""
    r = region_of(region) if region else None
    return r.zone if r is not None else None


def decision_day(now: datetime, member_state: str, region: str | None) -> date:
    """Today for a decision's own days at ``now``: on the clock of the region it was issued in where
    it records one (at 22:30 UTC on 1 December it is 2 December in Mayotte, UTC+3, still 1 December
    in Paris), else on its issuing state's capital's (:func:`pactum.registry.local_time.state_today`)."""
    zone = region_zone(region)
    if zone is None:
        return state_today(now, member_state)
    return local_day(now, member_state, zone)
