"""Every transition of every returns record, including the illegal ones."""

import pytest

from pactum.common.errors import Conflict
from pactum.returns import lifecycle

LEGAL = [
    ("return decision", "issued", "suspend", "suspended"),
    ("return decision", "suspended", "lift_suspension", "issued"),
    ("return decision", "issued", "confirm_departure", "departed"),
    ("return decision", "issued", "withdraw", "withdrawn"),
    ("return decision", "suspended", "withdraw", "withdrawn"),
    ("return alert", "active", "delete", "deleted"),
    ("alert hit", "open", "request_information", "info_requested"),
    ("alert hit", "info_requested", "request_information", "info_requested"),
    ("alert hit", "open", "recognise", "recognised"),
    ("alert hit", "info_requested", "recognise", "recognised"),
    ("alert hit", "open", "refuse_recognition", "not_recognised"),
    ("alert hit", "info_requested", "refuse_recognition", "not_recognised"),
    ("return operation", "planned", "confirm", "confirmed"),
    ("return operation", "planned", "cancel", "cancelled"),
    ("return operation", "confirmed", "cancel", "cancelled"),
    ("return operation", "confirmed", "complete", "completed"),
    ("operation participant", "selected", "depart", "departed"),
    ("operation participant", "selected", "not_depart", "not_departed"),
    ("operation participant", "selected", "remove", "removed"),
    ("readmission request", "pending", "accept", "accepted"),
    ("readmission request", "pending", "refuse", "refused"),
    ("assisted voluntary return", "opened", "depart", "departed"),
    ("assisted voluntary return", "opened", "cancel", "cancelled"),
]


@pytest.mark.parametrize(("kind", "status", "action", "expected"), LEGAL)
def test_legal_transition(kind: str, status: str, action: str, expected: str) -> None:
    assert lifecycle.transition(kind, status, action) == expected


def _statuses(kind: str) -> set[str]:
    table = lifecycle.TABLES[kind]
    return {s for s, _ in table} | set(table.values())


def _actions(kind: str) -> set[str]:
    return {a for _, a in lifecycle.TABLES[kind]}


ILLEGAL = [
    (kind, status, action)
    for kind in lifecycle.TABLES
    for status in sorted(_statuses(kind))
    for action in sorted(_actions(kind))
    if (status, action) not in lifecycle.TABLES[kind]
]


@pytest.mark.parametrize(("kind", "status", "action"), ILLEGAL)
def test_illegal_transition_is_a_conflict(kind: str, status: str, action: str) -> None:
    with pytest.raises(Conflict) as exc:
        lifecycle.transition(kind, status, action)
    assert status in str(exc.value) and action in str(exc.value)


def test_a_departed_decision_cannot_be_suspended_or_withdrawn() -> None:
    for action in ("suspend", "withdraw", "confirm_departure", "lift_suspension"):
        with pytest.raises(Conflict, match="final status"):
            lifecycle.transition("return decision", "departed", action)


def test_a_suspended_decision_cannot_be_enforced() -> None:
    with pytest.raises(Conflict, match="allowed actions: lift_suspension, withdraw"):
        lifecycle.transition("return decision", "suspended", "confirm_departure")


def test_illegal_list_covers_the_final_states() -> None:
    finals = {(k, s) for k, s, _ in ILLEGAL if not lifecycle.allowed(k, s)}
    assert ("return alert", "deleted") in finals
    assert ("alert hit", "recognised") in finals
    assert ("return operation", "completed") in finals
