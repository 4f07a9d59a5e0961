"""Relocation transfers: one matched person from the benefitting state to the relocation state.

Stages (AMMR Art 67): the benefitting state runs the security check first (a threat excludes the
person from relocation and that state stays responsible, Art 67 with Art 16(4)); the relocation
state accepts; confirms that it will relocate the person (Pactum's stage ``accepted``, Art 67(9)); the transfer
decision is notified; the person arrives. The transfer must take place within
``solidarity.relocation.transfer_period`` of the relocation state's confirmation, or of the final
decision on an appeal or review of the transfer decision with suspensive effect (Art 67(11) with
Art 43(3)) when one is recorded; the benefitting state takes the transfer decision within
``solidarity.relocation.transfer_decision_period`` of the same confirmation (Art 67(10)). Both are
``pactum.law`` parameters, computed under Reg. 1182/71 with the benefitting state's holidays. A
transfer decision taken after its time limit is flagged late, not refused: Art 67(10) sets a time
limit on the benefitting state, not a condition of the decision's validity.

Transfers of the Voluntary Solidarity Mechanism (2022-2026, before the Pact applied) are tracked
with the same stages but carry no AMMR time limit: the VSM was a political declaration.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pactum.law import NotInForce, Trace, add_period, param
from pactum.law.periods import length_words

Stage = Literal["matched", "security_cleared", "accepted", "transfer_decided", "arrived", "excluded", "cancelled"]
STAGES: tuple[str, ...] = ("matched", "security_cleared", "accepted", "transfer_decided", "arrived")
TERMINAL: tuple[str, ...] = ("arrived", "excluded", "cancelled")

# event -> (allowed from, to)
EVENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "security_cleared": (("matched",), "security_cleared"),
    "security_threat": (("matched",), "excluded"),
    "accepted": (("security_cleared",), "accepted"),
    "transfer_decided": (("accepted",), "transfer_decided"),
    # the final decision on an appeal or review of the transfer decision with suspensive effect
    # (Art 43(3)): the transfer stays decided, its Art 67(11) period runs again from that decision
    "appeal_decided": (("transfer_decided",), "transfer_decided"),
    "arrived": (("transfer_decided",), "arrived"),
    "cancelled": (("matched", "security_cleared", "accepted", "transfer_decided"), "cancelled"),
}


def advance(current: str, event: str) -> str:
    """The stage after ``event``; ``ValueError`` (a 409 at the service) if it does not apply now."""
    if event not in EVENTS:
        raise ValueError(f"unknown event '{event}'; use one of {', '.join(EVENTS)}")
    allowed, to = EVENTS[event]
    if current not in allowed:
        raise ValueError(f"cannot record '{event}' on a transfer that is '{current}'")
    return to


def transfer_deadline(
    confirmed_on: date, origin: str, appeal_decided_on: date | None = None
) -> tuple[date | None, list[dict[str, Any]]]:
    """The last day for the transfer of a person whose relocation the relocation state confirmed on
    ``confirmed_on`` (Art 67(9)), with its trace: ``transfer_period`` from that confirmation, or from
    ``appeal_decided_on``, the final decision on an appeal or review of the transfer decision with
    suspensive effect (Art 43(3)), when there is one and it is later (Art 67(11)). None before the
    AMMR applies (a VSM-era transfer has no legal time limit)."""
    trace = Trace()
    try:
        p = param("solidarity.relocation.transfer_period", on=confirmed_on)
    except NotInForce:
        trace.step(
            rule="relocation_transfer_period",
            legal_basis=["Voluntary Solidarity Mechanism declaration of 22 June 2022"],
            facts={"confirmed_on": confirmed_on.isoformat()},
            parameters={},
            outcome="no legal time limit before the AMMR applies",
        )
        return None, trace.to_list()
    start = confirmed_on
    facts = {"confirmed_on": confirmed_on.isoformat(), "benefitting_state": origin}
    if appeal_decided_on is not None:
        facts["suspensive_appeal_decided_on"] = appeal_decided_on.isoformat()
        start = max(start, appeal_decided_on)
    end = add_period(start, int(p.value), str(p.unit), origin)
    assert isinstance(end, date)
    said = ("the final decision on the suspensive appeal or review" if start != confirmed_on
            else "the relocation state's confirmation")
    trace.step(
        rule="relocation_transfer_period",
        legal_basis=[p.reference],
        facts=facts,
        parameters={p.path: length_words(p.value, p.unit) + (" (unverified)" if p.unverified else "")},
        outcome=f"transfer by {end.isoformat()}, counted from {said} of {start.isoformat()}",
    )
    return end, trace.to_list()


def transfer_decision_due(confirmed_on: date, origin: str) -> tuple[date | None, list[dict[str, Any]]]:
    """The last day for the benefitting state's transfer decision on a person whose relocation the
    relocation state confirmed on ``confirmed_on`` (Art 67(10)), with its trace; None before the
    AMMR applies."""
    try:
        p = param("solidarity.relocation.transfer_decision_period", on=confirmed_on)
    except NotInForce:
        return None, []
    end = add_period(confirmed_on, int(p.value), str(p.unit), origin)
    assert isinstance(end, date)
    trace = Trace()
    trace.step(
        rule="relocation_transfer_decision_period",
        legal_basis=[p.reference],
        facts={"confirmed_on": confirmed_on.isoformat(), "benefitting_state": origin},
        parameters={p.path: length_words(p.value, p.unit) + (" (unverified)" if p.unverified else "")},
        outcome=f"transfer decision by {end.isoformat()}",
    )
    return end, trace.to_list()


def transfer_decision_late(decision_due: date | None, decided_on: date | None, pending_on: date | None) -> bool:
    """Whether the transfer decision missed its Art 67(10) time limit ``decision_due``: taken after
    it, or, still awaited on ``pending_on`` (None when no decision is awaited any more: the transfer
    was cancelled), not taken by then. A late decision stands: it is flagged, not refused."""
    if decision_due is None:
        return False
    if decided_on is not None:
        return decided_on > decision_due
    return pending_on is not None and pending_on > decision_due


def transfer_decision_checked(confirmed_on: date, decided_on: date, origin: str) -> list[dict[str, Any]]:
    """The trace's step of a transfer decision taken on ``decided_on`` after the relocation state's
    confirmation of ``confirmed_on``: within its Art 67(10) time limit or late (the decision stands);
    none before the AMMR applies."""
    try:
        p = param("solidarity.relocation.transfer_decision_period", on=confirmed_on)
    except NotInForce:
        return []
    due = add_period(confirmed_on, int(p.value), str(p.unit), origin)
    assert isinstance(due, date)
    trace = Trace()
    late = decided_on > due
    trace.step(
        rule="relocation_transfer_decision_period",
        legal_basis=[p.reference],
        facts={"confirmed_on": confirmed_on.isoformat(), "transfer_decided_on": decided_on.isoformat(),
               "benefitting_state": origin},
        parameters={p.path: length_words(p.value, p.unit) + (" (unverified)" if p.unverified else "")},
        outcome=(f"transfer decision late: the time limit was {due.isoformat()}; the decision stands"
                 if late else f"transfer decision within its time limit ({due.isoformat()})"),
    )
    return trace.to_list()


def time_limits_words(on: date) -> dict[str, str] | None:
    """The AMMR relocation's time limits in force ``on`` in words, as the screens say them
    (``decision``: Art 67(10), ``transfer``: Art 67(11)); None before the AMMR applies."""
    try:
        d = param("solidarity.relocation.transfer_decision_period", on=on)
        t = param("solidarity.relocation.transfer_period", on=on)
    except NotInForce:
        return None
    return {"decision": length_words(d.value, d.unit), "transfer": length_words(t.value, t.unit),
            "decision_basis": d.reference.cite(), "transfer_basis": t.reference.cite()}
