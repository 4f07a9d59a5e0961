"""The sweep's fast transfer deadlines give exactly what pactum.law.time_limit gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pactum.law import time_limit
from pactum.services.responsibility import transfer_decision_due_on, transfer_due_on


@pytest.mark.parametrize("state", ["DE", "IT", "FR", "EL", "SE"])
def test_transfer_due_matches_time_limit(state: str) -> None:
    for regime, registered in (("dublin_iii", date(2026, 3, 1)), ("ammr", date(2026, 8, 1))):
        for k in range(0, 400, 7):
            accepted = registered + timedelta(days=k)
            want = time_limit("transfer", event_at=accepted, member_state=state,
                              application_registered_on=registered).ends_on
            assert transfer_due_on(regime, accepted, state) == want


def test_a_detained_persons_shorter_transfer_limit_is_not_the_transfer_period() -> None:
    # The sweep shifts responsibility when the transfer period ends; the six weeks (Dublin III Art
    # 28(3)) or five weeks (AMMR Art 45(3)) for a detained person only end the detention.
    accepted = date(2026, 9, 1)
    held = time_limit("transfer", event_at=accepted, member_state="DE",
                      application_registered_on=date(2026, 8, 1), detained=True).ends_on
    assert held == date(2026, 10, 6)
    assert transfer_due_on("ammr", accepted, "DE") == date(2027, 3, 1)


def test_transfer_decision_only_under_the_ammr() -> None:
    accepted = date(2026, 12, 18)
    want = time_limit("transfer_decision", event_at=accepted, member_state="DE",
                      application_registered_on=date(2026, 8, 1)).ends_on
    assert transfer_decision_due_on("ammr", accepted, "DE") == want
    assert transfer_decision_due_on("dublin_iii", accepted, "DE") is None
