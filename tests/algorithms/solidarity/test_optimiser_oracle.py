"""Oracle tests: the optimiser against brute force on tiny random instances.

Brute force tries every way of placing every unit (single or family) in an allowed state or
leaving it, keeps the feasible ones and takes the lexicographic best (persons relocated, then link
score). The optimiser must reach exactly that optimum, with a legal assignment, and say it is
optimal.
"""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from pactum.solidarity.baselines import first_come_first_served, random_assignment
from pactum.solidarity.matching import (
    LINK_KINDS,
    ApplicantIn,
    CapacityIn,
    LinkIn,
    MatchingRequest,
    Problem,
    check_assignment,
    validate_request,
)
from pactum.solidarity.optimiser import solve

STATES = ("DE", "FR", "NL", "IT", "EL")


def _random_request(rng: random.Random) -> MatchingRequest:
    receivers = rng.sample(STATES, k=rng.randint(1, 3))
    capacities = [CapacityIn(member_state=s, places=rng.randint(0, 4)) for s in receivers]
    applicants: list[ApplicantIn] = []
    n_units = rng.randint(1, 6)
    for u in range(n_units):
        origin = rng.choice(("IT", "EL", "DE"))
        size = rng.choice((1, 1, 1, 2, 3))
        excluded = rng.sample(STATES, k=rng.randint(0, 1))
        for m in range(size):
            links = [
                LinkIn(member_state=rng.choice(STATES), kind=rng.choice(LINK_KINDS))
                for _ in range(rng.randint(0, 2))
            ]
            applicants.append(
                ApplicantIn(
                    id=f"U{u}M{m}",
                    family_id=f"F{u}" if size > 1 else None,
                    in_member_state=origin,
                    links=links,
                    excluded_member_states=excluded,
                )
            )
    weights = {k: rng.choice((0, 5, 10, 20, 40, 100)) for k in LINK_KINDS}
    return MatchingRequest(capacities=capacities, applicants=applicants, weights=weights)


def _brute_force(problem: Problem) -> tuple[int, int]:
    units = problem.units()
    options = [[None, *problem.allowed_states(u)] for u in units]
    best = (0, 0)
    for choice in itertools.product(*options):
        assignment = {
            problem.applicants[i].id: s for unit, s in zip(units, choice, strict=True) if s for i in unit
        }
        try:
            ev = check_assignment(problem, assignment)
        except ValueError:
            continue
        best = max(best, (ev.relocated, ev.link_score))
    return best


@pytest.mark.parametrize("seed", range(150))
def test_optimiser_matches_brute_force(seed: int) -> None:
    problem = validate_request(_random_request(random.Random(seed)))
    result, report = solve(problem)
    assignment = {a.applicant_id: a.member_state for a in result.assignments}
    ev = check_assignment(problem, assignment)  # raises on any broken rule
    assert (ev.relocated, ev.link_score) == _brute_force(problem)
    assert (result.objective.relocated, result.objective.link_score) == (ev.relocated, ev.link_score)
    assert result.solver["optimal"] is True
    assert report.optimal
    assert sorted(result.unassigned + list(assignment)) == sorted(a.id for a in problem.applicants)


@pytest.mark.parametrize("seed", range(40))
def test_baselines_are_legal_and_never_beat_the_optimum(seed: int) -> None:
    problem = validate_request(_random_request(random.Random(1000 + seed)))
    optimum = _brute_force(problem)
    for assignment in (first_come_first_served(problem), random_assignment(problem, random.Random(seed))):
        ev = check_assignment(problem, assignment)
        assert (ev.relocated, ev.link_score) <= optimum


def test_a_family_is_not_split_to_fill_places() -> None:
    # Three places in DE and a family of four: the family stays, the single goes.
    req = MatchingRequest.model_validate(
        {
            "capacities": [{"member_state": "DE", "places": 3}],
            "applicants": [
                *({"id": f"F{i}", "family_id": "F", "in_member_state": "IT"} for i in range(4)),
                {"id": "S", "in_member_state": "IT"},
            ],
        }
    )
    result, _ = solve(validate_request(req))
    assert [a.model_dump() for a in result.assignments] == [{"applicant_id": "S", "member_state": "DE"}]
    assert sorted(result.unassigned) == ["F0", "F1", "F2", "F3"]


def test_more_persons_beat_a_stronger_link() -> None:
    # Two places in FR: one person with a family link there, or two persons without links.
    # The law's priority (persons relocated first) wins over the link score.
    req = MatchingRequest.model_validate(
        {
            "capacities": [{"member_state": "FR", "places": 2}],
            "applicants": [
                {"id": "P1", "family_id": "X", "in_member_state": "EL"},
                {"id": "P2", "family_id": "X", "in_member_state": "EL"},
                {"id": "L", "family_id": "Y", "in_member_state": "EL", "links": [{"member_state": "FR", "kind": "family"}]},
            ],
        }
    )
    result, _ = solve(validate_request(req))
    assert result.objective.relocated == 2
    assert {a.applicant_id for a in result.assignments} == {"P1", "P2"}


def _random_request_with_beneficiaries(rng: random.Random) -> MatchingRequest:
    """As above, with beneficiaries of international protection (some without consent, some
    granted three years or more before the matching) and states that do not receive them."""
    req = _random_request(rng)
    for a in req.applicants:
        if rng.random() < 0.4:
            a.status = "beneficiary"
            a.protection_granted_on = rng.choice((date(2024, 1, 10), date(2023, 11, 28), date(2023, 11, 29)))
            a.consent = rng.random() < 0.8
    for c in req.capacities:
        c.accepts_beneficiaries = rng.random() < 0.7
    req.on = date(2026, 11, 28)
    return req


def _brute_force_every_state(problem: Problem) -> tuple[int, int]:
    """Every unit tried in every state with places; only check_assignment's rules decide."""
    units = problem.units()
    states = [s for s, p in problem.capacities.items() if p > 0]
    best = (0, 0)
    for choice in itertools.product([None, *states], repeat=len(units)):
        assignment = {
            problem.applicants[i].id: s for unit, s in zip(units, choice, strict=True) if s for i in unit
        }
        try:
            ev = check_assignment(problem, assignment)
        except ValueError:
            continue
        best = max(best, (ev.relocated, ev.link_score))
    return best


@pytest.mark.parametrize("seed", range(60))
def test_optimiser_with_beneficiaries_matches_brute_force(seed: int) -> None:
    problem = validate_request(_random_request_with_beneficiaries(random.Random(5000 + seed)))
    result, report = solve(problem)
    assignment = {a.applicant_id: a.member_state for a in result.assignments}
    ev = check_assignment(problem, assignment)
    assert (ev.relocated, ev.link_score) == _brute_force_every_state(problem)
    assert report.optimal
    ineligible = {i.applicant_id for i in result.ineligible or []}
    assert not ineligible & set(assignment)
