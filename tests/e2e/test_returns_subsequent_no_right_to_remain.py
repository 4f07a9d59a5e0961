"""A return decision while a subsequent application is examined: refused while the application
gives the right to remain (APR Art 10(1)); issued once it gives none (APR Art 10(4)(a), 56(a), as
the determining authority recorded it). Pactum refused it in both cases: the procedures area did not
say whether a subsequent application gives the right to remain."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services import procedures
from pactum.services.procedures import ApplicationCreate, RemainException

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


def test_a_subsequent_application_lodged_to_delay_removal_no_longer_holds_back_the_return_decision(
        world: World) -> None:
    person = world.person("it.caseworker", surname="Rahman", nationality="BGD")
    cw = world.principals["it.caseworker"]
    case = procedures.create_application(world.services, cw, ApplicationCreate(
        person_id=person, made_on=date(2026, 11, 20), registered_on=date(2026, 11, 20),
        context="in_territory", subsequent_application=True))  # type: ignore[arg-type]
    body = {"person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": 7, "grounds": ["illegal_stay"]}
    r = post(world, body)
    assert r.status_code == 409 and "has the right to remain" in r.json()["detail"], r.text

    procedures.record_remain_exception(world.services, cw, case["id"], RemainException(
        version=case["version"], removal_decision="return decision of 2026-06-02, flight booked 2026-11-21",
        reason="lodged the day before the booked flight, nothing new", non_refoulement_considered=True))
    r = post(world, body)
    assert r.status_code == 201, r.text
    step = next(s for s in r.json()["trace"] if s["rule"] == "no_right_to_remain")
    assert step["legal_basis"] == ["Regulation (EU) 2024/1348, Article 10(4)(a)",
                                   "Regulation (EU) 2024/1348, Article 56(a)"]
    assert case["reference"] in step["outcome"] and "merely to delay or frustrate" in step["outcome"]
