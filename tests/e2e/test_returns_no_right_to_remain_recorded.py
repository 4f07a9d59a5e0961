"""A return decision while an application is examined whose applicant has no right to remain on a
ground recorded by the competent authority (APR Art 10(3), (4)(b), (c)). An extradition or a
surrender is not a return: the application still holds the return decision back. A danger to public
order or national security (Art 10(4)(c)) does not: the decision is issued, its trace says why."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services import procedures
from pactum.services.procedures import ApplicationCreate, NoRightToRemain, NoRightToRemainLift

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    return w


def post(world: World, body: dict[str, Any]) -> Any:
    return world.client.post("/api/v1/returns/decisions", json=body, headers=world.headers("it.returns"))


def pending(world: World, surname: str) -> tuple[str, dict[str, Any]]:
    person = world.person("it.caseworker", surname=surname, nationality="TUN")
    case = procedures.create_application(world.services, world.principals["it.caseworker"], ApplicationCreate(
        person_id=person, made_on=date(2026, 11, 20), registered_on=date(2026, 11, 20),
        context="in_territory"))  # type: ignore[arg-type]
    return person, case


def test_an_extradition_still_holds_the_return_decision_back(world: World) -> None:
    person, case = pending(world, "Trabelsi")
    procedures.record_no_right_to_remain(world.services, world.principals["it.caseworker"], case["id"], NoRightToRemain(
        version=case["version"], ground="extradition_or_surrender", destination_kind="third_country",
        destination="Tunisia", reference="extradition request 44/2026", reason="sought for trial",
        non_refoulement_satisfied=True))
    r = post(world, {"person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": 7,
                     "grounds": ["illegal_stay"]})
    assert r.status_code == 409 and "has the right to remain" in r.json()["detail"], r.text
    assert ("exception recorded on it for a surrender or extradition (Regulation (EU) 2024/1348, Article 10(4)(b); "
            "Regulation (EU) 2024/1348, Article 10(5)) lets that take place, it is not a return") in r.json()["detail"]


def test_a_danger_to_public_order_no_longer_holds_the_return_decision_back(world: World) -> None:
    person, case = pending(world, "Jebali")
    body = {"person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": 7, "grounds": ["illegal_stay"]}
    assert post(world, body).status_code == 409
    procedures.record_no_right_to_remain(world.services, world.principals["it.caseworker"], case["id"], NoRightToRemain(
        version=case["version"], ground="danger_to_public_order_or_national_security",
        reason="convicted of armed robbery on 2026-11-10", non_refoulement_satisfied=True))
    r = post(world, body)
    assert r.status_code == 201, r.text
    step = next(s for s in r.json()["trace"] if s["rule"] == "no_right_to_remain")
    assert step["legal_basis"] == ["Regulation (EU) 2024/1348, Article 10(4)(c)"]
    assert case["reference"] in step["outcome"] and "danger to public order" in step["outcome"]


def test_a_lifted_danger_exception_holds_the_return_decision_back_again(world: World) -> None:
    """The danger assessment is reversed on appeal: the exception is lifted through the API, the
    right to remain of APR Art 10(1) applies again and the return decision is refused again while
    the application is pending; recorded anew, it lets the decision through once more."""
    person, case = pending(world, "Gharbi")
    body = {"person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": 7, "grounds": ["illegal_stay"]}
    case = procedures.record_no_right_to_remain(
        world.services, world.principals["it.caseworker"], case["id"], NoRightToRemain(
            version=case["version"], ground="danger_to_public_order_or_national_security",
            reason="convicted of armed robbery on 2026-11-10", non_refoulement_satisfied=True))
    r = world.client.post(f"/api/v1/procedures/applications/{case['id']}/no-right-to-remain/lift",
                          json={"version": case["version"], "on": "2026-11-30",
                                "reason": "the conviction was quashed on appeal on 2026-11-28"},
                          headers=world.headers("it.caseworker"))
    assert r.status_code == 200, r.text
    case = r.json()
    assert case["remain_exception"]["lifted"] is True and case["remain_exception"]["right_to_remain"] is True
    r = post(world, body)
    assert r.status_code == 409 and "has the right to remain" in r.json()["detail"], r.text
    assert "Regulation (EU) 2024/1348, Article 10(1)" in r.json()["detail"]
    assert "exception recorded on it" not in r.json()["detail"]

    procedures.record_no_right_to_remain(world.services, world.principals["it.caseworker"], case["id"], NoRightToRemain(
        version=case["version"], ground="danger_to_public_order_or_national_security",
        reason="convicted again on 2026-11-30 of aggravated assault", non_refoulement_satisfied=True))
    assert post(world, body).status_code == 201


def test_a_lifted_extradition_no_longer_says_the_surrender_is_not_a_return(world: World) -> None:
    person, case = pending(world, "Mansouri")
    case = procedures.record_no_right_to_remain(
        world.services, world.principals["it.caseworker"], case["id"], NoRightToRemain(
            version=case["version"], ground="extradition_or_surrender", destination_kind="third_country",
            destination="Tunisia", reference="extradition request 45/2026", reason="sought for trial",
            non_refoulement_satisfied=True))
    procedures.lift_no_right_to_remain(world.services, world.principals["it.caseworker"], case["id"],
                                       NoRightToRemainLift(version=case["version"], on=date(2026, 11, 30),
                                                           reason="the extradition request was withdrawn"))
    r = post(world, {"person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": 7,
                     "grounds": ["illegal_stay"]})
    assert r.status_code == 409 and "has the right to remain" in r.json()["detail"], r.text
    assert "surrender or extradition" not in r.json()["detail"]
