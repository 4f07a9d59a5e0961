"""Relocation transfers: one matched person from the benefitting state to the relocation state.

Stages (AMMR Art 67): the benefitting state runs the security check first (a threat excludes the
person from relocation and that state stays responsible, Art 67 with Art 16(4)); the relocation
state accepts; the transfer decision is notified; the person arrives. The transfer must take place
within ``solidarity.relocation.transfer_period`` of the transfer decision (Art 67(11), a
``pactum.law`` parameter), computed under Reg. 1182/71 with the benefitting state's holidays.

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


def transfer_deadline(decided_on: date, origin: str) -> tuple[date | None, list[dict[str, Any]]]:
    """The last day for the transfer after a transfer decision on ``decided_on``, with its trace."""
    trace = Trace()
    try:
        p = param("solidarity.relocation.transfer_period", on=decided_on)
    except NotInForce:
        trace.step(
            rule="relocation_transfer_period",
            legal_basis=["Voluntary Solidarity Mechanism declaration of 22 June 2022"],
            facts={"transfer_decided_on": decided_on.isoformat()},
            parameters={},
            outcome="no legal time limit before the AMMR applies",
        )
        return None, trace.to_list()
    end = add_period(decided_on, int(p.value), str(p.unit), origin)
    assert isinstance(end, date)
    trace.step(
        rule="relocation_transfer_period",
        legal_basis=[p.reference],
        facts={"transfer_decided_on": decided_on.isoformat(), "benefitting_state": origin},
        parameters={p.path: length_words(p.value, p.unit) + (" (unverified)" if p.unverified else "")},
        outcome=f"transfer by {end.isoformat()}",
    )
    return end, trace.to_list()
