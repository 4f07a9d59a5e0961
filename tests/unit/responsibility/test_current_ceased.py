"""Who is responsible once the designated state's take-back obligation ended before the
application (rule ``ceased``): the edges of ``pactum.responsibility.current.responsible_now``
(Dublin III Arts 19(2)-(3), 20(5); AMMR Art 37(4)-(5), read in the Official Journal's Italian
text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pactum.responsibility.current import Ceased, cessation_basis, responsible_now


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


CEASED = Ceased("IT", date(2026, 5, 10), "IT-RD-1", "removed", "rejected as unfounded", "DE", "first_application",
                ("Regulation (EU) 2024/1351, Article 16(2)",))


def _now(requests: list[Req], *, ceased: Ceased | None = CEASED, take_back: bool = True) -> Any:
    return responsible_now(regime="ammr", registered_on=date(2026, 8, 3), registered_in="DE", determined="IT",
                           criterion="first_application", legal_basis=["Regulation (EU) 2024/1351, Article 16(2)"],
                           requests=list(requests), today=date(2026, 11, 20), request_limit=None,
                           take_back=take_back, ceased=ceased)


def test_the_return_ends_the_take_back_and_the_new_determination_names_the_state() -> None:
    now = _now([])
    assert (now.member_state, now.rule, now.shifted) == ("DE", "ceased", True)
    assert now.legal_basis == ["Regulation (EU) 2024/1351, Article 37(5)", "Regulation (EU) 2024/1351, Article 16(2)"]


def test_an_outcome_on_a_request_comes_first_it_is_for_the_state_asked_to_establish_the_cessation() -> None:
    now = _now([Req("r1", "take_back_notification", "confirmed", date(2026, 8, 4), accepted_on=date(2026, 8, 5))])
    assert (now.member_state, now.rule) == ("IT", "accepted")


def test_a_request_awaiting_its_reply_keeps_the_case_pending() -> None:
    now = _now([Req("r1", "take_charge", "pending", date(2026, 8, 4), requested_member_state="FR")])
    assert (now.rule, now.request_id) == ("ceased", "r1")
    assert now.reason.endswith("the request to FR awaits its outcome (pending)")


def test_a_departure_on_or_after_the_registration_or_a_take_charge_case_is_not_a_cessation() -> None:
    late = Ceased("IT", date(2026, 8, 3), "IT-RD-1", "removed", "rejected as unfounded")
    assert _now([], ceased=late).rule == "determination"
    assert _now([], take_back=False).rule == "determination"


def test_a_final_refusal_on_a_cessation_ground_says_why_with_its_article() -> None:
    now = _now([Req("r1", "take_back_notification", "refused_final", date(2026, 8, 4), closed_on=date(2026, 9, 1),
                    refusal_ground="returned", refusal_left_on=date(2026, 5, 10))], ceased=None)
    assert (now.member_state, now.rule, now.legal_basis) == ("DE", "ceased", ["Regulation (EU) 2024/1351, Article 37(5)"])
    assert "left the territory of the Member States on 2026-05-10 under a return decision" in now.reason


def test_the_article_of_each_ground() -> None:
    assert cessation_basis("left_territory", "dublin_iii") == "Regulation (EU) No 604/2013, Article 19(2)"
    assert cessation_basis("left_territory", "ammr") == "Regulation (EU) 2024/1351, Article 37(4)"
    assert cessation_basis("returned", "dublin_iii") == "Regulation (EU) No 604/2013, Article 19(3)"
    assert cessation_basis("left_territory", "dublin_iii", "withdrawn_during_determination") == (
        "Regulation (EU) No 604/2013, Article 20(5), second subparagraph")
