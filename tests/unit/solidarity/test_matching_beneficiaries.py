"""Relocating beneficiaries of international protection (AMMR Art 56(2)(a)) next to applicants:
the 3-year limit since the grant, written consent, states that agreed to receive beneficiaries,
and the optional fields of the matching contract."""

from __future__ import annotations

from typing import Any

import pytest

from pactum.common.errors import ValidationProblem
from pactum.solidarity.matching import MatchingRequest, validate_request
from pactum.solidarity.optimiser import solve


def _solve(body: dict[str, Any]) -> dict[str, Any]:
    result, _ = solve(validate_request(MatchingRequest.model_validate(body)))
    return result.model_dump(mode="json")


def _beneficiary(pid: str, granted: str, consent: bool | None = True, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "in_member_state": "IT", "status": "beneficiary", "protection_granted_on": granted,
            "consent": consent, **extra}


def test_a_recognised_refugee_with_consent_is_relocated_and_counted_apart() -> None:
    out = _solve({"on": "2026-11-28", "capacities": [{"member_state": "DE", "places": 5}],
                  "applicants": [{"id": "A1", "in_member_state": "IT"}, _beneficiary("B1", "2025-02-01")]})
    assert {a["applicant_id"] for a in out["assignments"]} == {"A1", "B1"}
    assert out["objective"] == {"relocated": 2, "link_score": 0,
                                "relocated_by_status": {"applicant": 1, "beneficiary": 1}}
    assert "ineligible" not in out


def test_protection_granted_three_years_ago_or_more_is_too_late() -> None:
    # granted 28.11.2023: on 28.11.2026 three years have passed; one day later it was less than three
    out = _solve({"on": "2026-11-28", "capacities": [{"member_state": "DE", "places": 5}],
                  "applicants": [_beneficiary("OLD", "2023-11-28"), _beneficiary("RECENT", "2023-11-29")]})
    assert [a["applicant_id"] for a in out["assignments"]] == ["RECENT"]
    assert out["unassigned"] == ["OLD"]
    assert out["ineligible"][0]["applicant_id"] == "OLD"
    assert "3 years or more" in out["ineligible"][0]["reason"] and "56(2)(a)" in out["ineligible"][0]["reason"]


def test_without_written_consent_a_beneficiary_and_their_family_stay() -> None:
    out = _solve({"on": "2026-11-28", "capacities": [{"member_state": "FR", "places": 5}],
                  "applicants": [_beneficiary("MOTHER", "2026-01-10", consent=None, family_id="F"),
                                 {"id": "SON", "family_id": "F", "in_member_state": "IT"},
                                 {"id": "OTHER", "in_member_state": "IT"}]})
    assert [a["applicant_id"] for a in out["assignments"]] == ["OTHER"]
    reasons = {i["applicant_id"]: i["reason"] for i in out["ineligible"]}
    assert "written consent" in reasons["MOTHER"]
    assert "family member MOTHER" in reasons["SON"]


def test_a_beneficiary_goes_only_to_a_state_that_agreed_to_receive_beneficiaries() -> None:
    out = _solve({"on": "2026-11-28",
                  "capacities": [{"member_state": "DE", "places": 1, "accepts_beneficiaries": False},
                                 {"member_state": "PT", "places": 1}],
                  "applicants": [_beneficiary("B", "2026-03-01", links=[{"member_state": "DE", "kind": "family"}]),
                                 {"id": "A", "in_member_state": "IT"}]})
    assert {(a["applicant_id"], a["member_state"]) for a in out["assignments"]} == {("B", "PT"), ("A", "DE")}


def test_the_contract_without_beneficiaries_is_unchanged() -> None:
    out = _solve({"capacities": [{"member_state": "DE", "places": 1}],
                  "applicants": [{"id": "A", "in_member_state": "IT"}]})
    assert set(out) == {"assignments", "unassigned", "objective", "solver"}
    assert out["objective"] == {"relocated": 1, "link_score": 0}


def test_bad_status_fields_are_named() -> None:
    with pytest.raises(ValidationProblem) as e:
        validate_request(MatchingRequest.model_validate({
            "on": "2026-11-28", "capacities": [{"member_state": "DE", "places": 1}],
            "applicants": [{"id": "A", "in_member_state": "IT", "status": "refugee"},
                           {"id": "B", "in_member_state": "IT", "status": "beneficiary"},
                           {"id": "C", "in_member_state": "IT", "consent": True},
                           _beneficiary("D", "2027-01-01")]}))
    fields = [f for f, _ in e.value.problems]
    assert fields == ["applicants[0].status", "applicants[1].protection_granted_on", "applicants[2].status",
                      "applicants[3].protection_granted_on"]


def test_beneficiaries_are_not_relocated_under_the_ammr_before_it_applies() -> None:
    with pytest.raises(ValidationProblem) as e:
        validate_request(MatchingRequest.model_validate({
            "on": "2026-05-01", "capacities": [{"member_state": "DE", "places": 1}],
            "applicants": [_beneficiary("B", "2025-01-01")]}))
    assert [f for f, _ in e.value.problems] == ["on"]
