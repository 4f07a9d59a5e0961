"""Mends from a caseworker's walk of the case page on a grant of refugee status.

APR Art 67(1) (read in the Italian Official Journal text) gives the applicant an appeal against a
rejection as inadmissible, as unfounded or manifestly unfounded "as regards both refugee status and
subsidiary protection status", or for implicit withdrawal (and against a withdrawal of protection
and the return decision); Art 67(2) adds the refusal of refugee status to a person granted
subsidiary protection. A grant of refugee status rejects nothing: before, its notification set an
appeal time limit (one month, Art 67(7)(b)), the queue showed "appeal" as its next deadline, the
page offered "Lodge an appeal", and a withdrawal form (with a return decision) that the workflow
then refused with 409 (a withdrawal does not undo a grant)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactum.common.errors import Conflict
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, available_actions, next_deadline


def _decided(outcome: str) -> Case:
    c = Case(member_state="IT", procedure="regular", context="in_territory", state=CaseState.made,
             made_on=date(2026, 8, 3))
    for action, p in (("register", {"registered_on": "2026-08-03"}), ("lodge", {"lodged_on": "2026-08-03"}),
                      ("schedule_interview", {"interview_on": "2026-08-10", "language": "Arabic"}),
                      ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Arabic"}),
                      ("draft_decision", {"outcome": outcome, "reasons": "well-founded fear"}),
                      ("submit_for_review", {})):
        c = apply(c, action, p, "ana").case
    return apply(c, "approve", {"decided_on": "2026-08-20"}, "bea").case


def test_a_notified_grant_of_refugee_status_has_no_appeal_and_is_final_at_once() -> None:
    decided = _decided("refugee_status")
    assert "record_withdrawal" not in available_actions(decided, "ana")
    change = apply(decided, "notify", {"notified_on": "2026-08-21"}, "ana")
    c = change.case
    assert c.appeal_deadline is None and change.detail["appeal_deadline"] is None
    assert "Regulation (EU) 2024/1348, Article 67(1), (2)" in change.detail["no_appeal"]
    assert next_deadline(c, date(2026, 8, 22)) is None
    acts = available_actions(c, "ana", date(2026, 8, 22))
    assert "lodge_appeal" not in acts and "record_withdrawal" not in acts and "close" in acts
    with pytest.raises(Conflict, match="Article 67\\(1\\)"):
        apply(c, "lodge_appeal", {"lodged_on": "2026-08-25"}, "ana")
    assert apply(c, "close", {"on": "2026-08-22"}, "ana").case.state == CaseState.final


def test_a_grant_stored_with_an_appeal_time_limit_shows_no_appeal_deadline() -> None:
    c = apply(_decided("refugee_status"), "notify", {"notified_on": "2026-08-21"}, "ana").case
    stored = replace(c, appeal_deadline=date(2026, 9, 21))  # as notified before this mend
    assert next_deadline(stored, date(2026, 8, 22)) is None
    assert "close" in available_actions(stored, "ana", date(2026, 8, 22))


def test_subsidiary_protection_keeps_its_appeal_against_the_refusal_of_refugee_status() -> None:
    decided = _decided("subsidiary_protection")
    assert "record_withdrawal" not in available_actions(decided, "ana")
    c = apply(decided, "notify", {"notified_on": "2026-08-21"}, "ana").case
    assert c.appeal_deadline is not None
    acts = available_actions(c, "ana", date(2026, 8, 22))
    assert "lodge_appeal" in acts and "record_withdrawal" not in acts
    dl = next_deadline(c, date(2026, 8, 22))
    assert dl is not None and dl.kind == "appeal"


def test_a_rejection_keeps_its_appeal_and_the_withdrawal_step() -> None:
    c = apply(_decided("rejected_unfounded"), "notify", {"notified_on": "2026-08-21"}, "ana").case
    acts = available_actions(c, "ana", date(2026, 8, 22))
    assert "lodge_appeal" in acts and "record_withdrawal" in acts and "close" not in acts
