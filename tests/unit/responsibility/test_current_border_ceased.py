"""Who is responsible once the obligations of the state that examined the application in the border
procedure ended (AMMR Art 37(2)-(3), read in the Official Journal's Italian text): rule ``ceased``
of ``pactum.responsibility.current.responsible_now`` with the period computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pactum.responsibility.cessation import border_period
from pactum.responsibility.current import Ceased, responsible_now

A37_2 = "Regulation (EU) 2024/1351, Article 37(2)"
A37_3 = "Regulation (EU) 2024/1351, Article 37(3)"
A16_2 = "Regulation (EU) 2024/1351, Article 16(2)"


@dataclass
class Req:
    id: str
    kind: str
    status: str
    sent_on: date
    requesting_member_state: str = "DE"
    requested_member_state: str = "IT"
    accepted_on: date | None = None
    transferred_on: date | None = None
    closed_on: date | None = None
    criterion: str | None = "indicated_responsible_in_eurodac"
    refusal_ground: str | None = None
    refusal_left_on: date | None = None


def _ceased() -> Ceased:
    period = border_period(date(2026, 8, 1), on=date(2027, 12, 3))
    return Ceased("IT", date(2026, 8, 1), "IT-A-2026-9", "border procedure", "rejected as manifestly unfounded",
                  "DE", "first_application", (A16_2,), ground="border_procedure", border=period)


def _now(requests: list[Req], *, registered_on: date = date(2027, 12, 3), today: date = date(2027, 12, 10)) -> Any:
    return responsible_now(regime="ammr", registered_on=registered_on, registered_in="DE", determined="IT",
                           criterion="first_application", legal_basis=[A16_2], requests=list(requests),
                           today=today, request_limit=None, take_back=True, ceased=_ceased())


def test_an_application_registered_after_the_fifteen_months_is_a_new_one_with_the_computation() -> None:
    now = _now([])
    assert (now.member_state, now.rule, now.shifted, now.since) == ("DE", "ceased", True, date(2027, 12, 3))
    assert now.legal_basis == [A37_2, A16_2]
    assert now.reason == (
        "IT's obligations as the Member State responsible ended: IT examined the application in the border "
        "procedure and its decision IT-A-2026-9 (rejected as manifestly unfounded) became final on 2026-08-01; "
        "the obligations cease 15 months after that, the period ending on 2027-11-01; the application registered "
        "in DE on 2027-12-03, after that period, is a new application, which gives rise to a new determination, "
        "and no take-back notification to IT lies; the criteria applied again designate DE on first application, "
        "where the application was registered")
    assert now.cessation == {
        "ground": "border_procedure", "member_state": "IT", "outcome": "rejected as manifestly unfounded",
        "redetermined": "DE", "criterion": "first_application", "legal_basis": A37_2, "asylum_case": "IT-A-2026-9",
        "final_on": "2026-08-01", "period": "15 months", "period_parameter": "ammr.cessation.after_border_procedure",
        "ends_on": "2027-11-01"}


def test_registered_on_the_last_day_and_the_period_still_running_nothing_ended() -> None:
    now = _now([], registered_on=date(2027, 11, 1), today=date(2027, 11, 1))
    assert (now.member_state, now.rule, now.cessation) == ("IT", "determination", None)


def test_a_take_back_notification_pending_when_the_period_ends_keeps_the_obligations_art_37_3() -> None:
    sent = Req("r1", "take_back_notification", "pending", date(2027, 10, 25))
    now = _now([sent], registered_on=date(2027, 10, 20), today=date(2027, 12, 15))
    assert now.rule != "ceased" and now.member_state == "IT"


def test_with_none_pending_when_the_period_ended_they_ended_the_day_after() -> None:
    now = _now([], registered_on=date(2027, 10, 20), today=date(2027, 11, 2))
    assert (now.member_state, now.rule, now.since) == ("DE", "ceased", date(2027, 11, 2))
    assert now.legal_basis[:2] == [A37_2, A37_3]
    assert ("the period ending on 2027-11-01, and no take-back procedure with IT was pending on that day, which "
            "alone would have kept them (Regulation (EU) 2024/1351, Article 37(3)); no take-back notification to IT "
            "lies any more") in now.reason


def test_an_outcome_on_a_request_comes_first() -> None:
    accepted = Req("r1", "take_back_notification", "confirmed", date(2027, 12, 4), accepted_on=date(2027, 12, 5))
    assert _now([accepted]).rule == "accepted"
