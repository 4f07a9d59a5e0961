"""The court or tribunal of appeal a state's administrator sets (what is checked), the notification
of a decision to the legal adviser who legally represents the applicant (APR Art 36(1); before the
Pact Directive 2013/32/EU Art 12(1)(e)), and what the decision notice makes of both."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pactum.common.errors import ValidationProblem
from pactum.procedures import appeal_body
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import ACTION_FIELDS, Case, apply
from pactum.services import decision_notice

S = CaseState


def decided(made_on: date) -> Case:
    c = Case(member_state="IT", procedure="regular", context="in_territory", state=S.made, made_on=made_on)
    for action, payload in [("register", {"registered_on": made_on}), ("lodge", {"lodged_on": made_on}),
                            ("schedule_interview", {"interview_on": made_on, "language": "Tigrinya"}),
                            ("hold_interview", {"held_on": made_on, "interpreter_language": "Tigrinya"}),
                            ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no risk shown"}),
                            ("submit_for_review", {})]:
        c = apply(c, action, payload, "ana").case
    return apply(c, "approve", {"decided_on": made_on}, "ben").case


def test_the_court_needs_a_name_an_address_and_how_to_lodge_all_said_at_once() -> None:
    with pytest.raises(ValidationProblem) as e:
        appeal_body.validate("IT", {"name": " ", "address": None, "how_to_lodge": "x" * 2001,
                                    "national_law": "y" * 301})
    assert dict(e.value.problems) == {"name": "required: the court or tribunal that hears the appeal",
                                      "address": "required: its address",
                                      "how_to_lodge": "at most 2000 characters (2001 given)",
                                      "national_law": "at most 300 characters (301 given)"}
    with pytest.raises(ValidationProblem) as e:
        appeal_body.validate("IT", {"name": "A\x07B", "address": "x", "how_to_lodge": "y"})
    assert [f for f, _ in e.value.problems] == ["name"]
    body = appeal_body.validate("IT", {"name": "  Example Tribunal ", "address": " 1 Square \r\n  Town ",
                                       "how_to_lodge": "In writing.", "national_law": "  "})
    # an address keeps its lines; an empty national provision is none
    assert body.as_dict() == {"member_state": "IT", "name": "Example Tribunal", "address": "1 Square\nTown",
                              "how_to_lodge": "In writing.", "national_law": None}


def test_a_notification_to_the_legal_adviser_records_who_and_why_under_each_law() -> None:
    assert ("legal_adviser", "text") in ACTION_FIELDS["notify"]  # the web form offers it
    pact = decided(date(2026, 8, 3))
    change = apply(pact, "notify", {"notified_on": "2026-08-05", "legal_adviser": " Avv.  Maria Esempio "}, "ana")
    assert change.detail["legal_adviser"] == "Avv. Maria Esempio" and change.detail["notified_to"] == "legal_adviser"
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 36(1)"]
    before = decided(date(2026, 3, 2))  # lodged before 12 June 2026: Directive 2013/32/EU
    change = apply(before, "notify", {"notified_on": "2026-08-05", "legal_adviser": "Avv. Esempio"}, "ana")
    assert change.detail["legal_basis"] == ["Directive 2013/32/EU, Article 12(1)(e)"]
    # to the applicant: the detail as it was
    plain = apply(pact, "notify", {"notified_on": "2026-08-05", "legal_adviser": "  "}, "ana")
    assert "legal_adviser" not in plain.detail and "notified_to" not in plain.detail
    with pytest.raises(ValidationProblem) as e:
        apply(pact, "notify", {"notified_on": "2026-08-05", "legal_adviser": "x" * 201}, "ana")
    assert [f for f, _ in e.value.problems] == ["legal_adviser"]


def _case(timeline: list[dict[str, Any]], outcome: str = "rejected_unfounded") -> dict[str, Any]:
    return {"timeline": timeline, "outcome": outcome, "decided_on": "2026-09-20"}


def test_the_notice_reads_the_notification_of_the_decision_it_gives_notice_of() -> None:
    first = [{"event": "decided", "detail": {}},
             {"event": "notified", "detail": {"legal_adviser": "Avv. Esempio", "notified_to": "legal_adviser"}}]
    assert decision_notice._notified_to_adviser(first) == "Avv. Esempio"
    # remitted by the court, decided again and notified to the applicant: no adviser for this decision
    again = [*first, {"event": "appeal_decided", "detail": {"outcome": "remitted"}},
             {"event": "decided", "detail": {}}, {"event": "notified", "detail": {"notified_on": "2026-09-21"}}]
    assert decision_notice._notified_to_adviser(again) is None
    # decided again, not yet notified: the earlier notification to the adviser was of the earlier decision
    assert decision_notice._notified_to_adviser(again[:-1]) is None


def test_the_information_to_the_applicant_says_whether_protection_is_granted() -> None:
    notified = [{"event": "decided", "detail": {}}, {"event": "notified", "detail": {"legal_adviser": "Avv. E"}}]
    court = {"name": "Example Tribunal", "address": "x", "how_to_lodge": "y", "national_law": None}
    rep = decision_notice._representation(_case(notified, "subsidiary_protection"), "pact",
                                          {"applies": True, "court_or_tribunal": court})
    assert rep is not None and rep["applicant_information"] is not None
    info = rep["applicant_information"]["text"]
    assert "international protection is granted (subsidiary protection)" in info
    assert "You may challenge this decision before Example Tribunal" in info
    rep = decision_notice._representation(_case(notified, "refugee_status"), "pact", {"applies": False})
    assert rep is not None and rep["applicant_information"] is not None
    assert "challenge" not in rep["applicant_information"]["text"]
    assert decision_notice._representation(_case(notified[:1]), "pact", {"applies": True}) is None
