"""Who is responsible once the case's own state examined the application (rule ``examined``):
the edges of ``pactum.responsibility.current.responsible_now`` (CJEU C-56/17 Fathi read with Dublin
III Arts 3(1), 17(1) and AMMR Arts 16(1), 35(1), 37(1))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from pactum.responsibility.current import Examined, responsible_now


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


def _limit(last: date) -> Any:
    return SimpleNamespace(last_day=last, lapse_basis="Regulation (EU) 2024/1351, Article 39(1), third subparagraph",
                           hit_may_extend=False, from_hit=False, hit_period="", words=lambda: last.isoformat())


def _now(requests: list[Req], *, today: date = date(2026, 11, 20), take_back: bool = False,
         limit: Any = None, notified: date = date(2026, 11, 10)) -> Any:
    return responsible_now(regime="ammr", registered_on=date(2026, 8, 3), registered_in="DE", determined="IT",
                           criterion="irregular_entry", legal_basis=["Regulation (EU) 2024/1351, Article 33(1)"],
                           requests=list(requests), today=today,
                           request_limit=limit if limit is not None else _limit(date(2026, 10, 3)),
                           take_back=take_back, examined=Examined("DE", date(2026, 11, 9), notified))


def test_a_request_sent_in_time_keeps_the_examination_deciding_after_the_time_limit() -> None:
    # sent within the two months, still awaiting its reply when DE decided after them: DE examined
    # the application (the limit was met by the request), not "no request in time"
    now = _now([Req("r1", "take_charge", "reexamination_requested", date(2026, 9, 1))])
    assert (now.member_state, now.rule, now.request_id) == ("DE", "examined", "r1")
    assert "still stands (re-examination requested)" in (now.warning or "")


def test_without_a_request_a_time_limit_ended_before_the_notification_keeps_its_own_rule() -> None:
    now = _now([Req("r1", "take_charge", "withdrawn", date(2026, 9, 1))])
    assert (now.member_state, now.rule, now.warning) == ("DE", "no_request_in_time", None)


def test_a_humanitarian_request_accepted_after_the_notification_comes_first() -> None:
    # a decision that is not on the substance leaves the clause open (Art 35(2)); its acceptance
    # transfers responsibility to the state asked
    now = _now([Req("h1", "humanitarian", "accepted", date(2026, 11, 12), requested_member_state="SE",
                    accepted_on=date(2026, 11, 15))])
    assert (now.member_state, now.rule) == ("SE", "accepted")


def test_a_humanitarian_request_awaiting_its_reply_is_not_overtaken() -> None:
    # (within the time limit for a take charge: the state examined before it ended)
    now = _now([Req("h1", "humanitarian", "pending", date(2026, 11, 12), requested_member_state="SE")],
               limit=_limit(date(2026, 12, 1)))
    assert (now.member_state, now.rule, now.warning) == ("DE", "examined", None)


def test_a_transfer_carried_out_comes_first() -> None:
    now = _now([Req("r1", "take_charge", "transferred", date(2026, 8, 20), accepted_on=date(2026, 9, 1),
                    transferred_on=date(2026, 11, 12))])
    assert (now.member_state, now.rule) == ("IT", "transferred")


def test_an_ammr_take_back_case_is_examined_too_with_the_notification_named() -> None:
    now = _now([], take_back=True, limit=SimpleNamespace(last_day=date(2099, 1, 1)))
    assert (now.member_state, now.rule) == ("DE", "examined")
    assert now.reason.endswith("and no take-back notification to IT lies any more")


def test_a_decision_not_yet_notified_decides_nothing() -> None:
    now = _now([Req("r1", "take_charge", "pending", date(2026, 9, 1))], today=date(2026, 11, 9))
    assert (now.member_state, now.rule) == ("IT", "request_pending")
