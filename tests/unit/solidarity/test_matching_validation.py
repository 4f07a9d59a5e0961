"""Validation of the matching contract: every bad field is named."""

from __future__ import annotations

import pytest

from pactum.common.errors import ValidationProblem
from pactum.solidarity.matching import MatchingRequest, validate_request


def _problems(body: dict) -> list[str]:
    with pytest.raises(ValidationProblem) as exc:
        validate_request(MatchingRequest.model_validate(body))
    return [f for f, _ in exc.value.problems]


def test_unknown_states_kinds_duplicates_and_negative_weights_are_named() -> None:
    assert _problems({
        "capacities": [{"member_state": "DE", "places": 1}, {"member_state": "de", "places": 2}],
        "applicants": [
            {"id": "A", "in_member_state": "XX", "links": [{"member_state": "FR", "kind": "friend"}],
             "excluded_member_states": ["QQ"]},
            {"id": "A", "in_member_state": "IT"},
        ],
        "weights": {"family": -1, "music": 3},
    }) == ["weights.family", "weights.music", "capacities[1].member_state", "applicants[0].in_member_state",
           "applicants[0].links[0].kind", "applicants[0].excluded_member_states[0]", "applicants[1].id"]


def test_greek_alias_and_default_weights() -> None:
    p = validate_request(MatchingRequest.model_validate({
        "capacities": [{"member_state": "GR", "places": 1}],
        "applicants": [{"id": "A", "in_member_state": "IT", "links": [{"member_state": "gr", "kind": "language"}]}],
    }))
    assert p.capacities == {"EL": 1}
    assert p.applicants[0].best_link == {"EL": 20}


def test_strongest_link_counts_once() -> None:
    p = validate_request(MatchingRequest.model_validate({
        "capacities": [], "applicants": [{"id": "A", "in_member_state": "IT", "links": [
            {"member_state": "DE", "kind": "language"}, {"member_state": "DE", "kind": "family"}]}],
    }))
    assert p.applicants[0].best_link == {"DE": 100}
