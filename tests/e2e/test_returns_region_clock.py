"""The days of a decision issued in a region with a clock of its own are counted on that clock by the
expiry job, the queue and a departure too, not on the issuing state's capital's. At 22:30 UTC on 1
December it is already 2 December in Mayotte (UTC+3) and still 1 December in Paris (UTC+1): a
period whose last day is 1 December has ended in Mayotte, not in Paris."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services import returns as returns_service

try:
    from .test_returns_support import World, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, get, make_world, post  # type: ignore[no-redef]

EVENING = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _two_decisions(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """France's decisions of Sunday 1 November 2026 with 30 days, last day Tuesday 1 December: one
    issued in Mayotte (FR-976), one in metropolitan France."""
    world.clock.set(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    people = [world.met("fr.returns", surname, nationality="COM") for surname in ("Attoumani", "Madi")]
    world.clock.set(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    out = []
    for person, region in zip(people, ("FR-976", None), strict=True):
        body = {
            "person_id": person,
            "issued_on": "2026-11-01",
            "voluntary_departure_days": 30,
            "grounds": ["illegal_stay"],
            **({"region": region} if region else {}),
        }
        r = post(world, "fr.returns", "/decisions", body)
        assert r.status_code == 201, r.text
        assert r.json()["voluntary_departure_ends_on"] == "2026-12-01"
        out.append(r.json())
    world.clock.set(EVENING)
    return out[0], out[1]


def test_the_expiry_job_counts_on_the_regions_clock(world: World) -> None:
    mayotte, _paris = _two_decisions(world)
    returns_service.notify_voluntary_departure_expiry(world.services, EVENING)
    notes = get(world, "fr.returns", "/notifications?kind=voluntary_departure_expired").json()
    # before, neither was notified until midnight in Paris (23:00 UTC)
    assert [n["message"] for n in notes] == [
        f"The voluntary departure period of return decision {mayotte['reference']} ended on 2026-12-01 without a "
        "confirmed departure."
    ]


def test_the_queue_counts_on_the_regions_clock(world: World) -> None:
    mayotte, paris = _two_decisions(world)
    items = {x["id"]: x for g in get(world, "fr.returns", "/queue").json() for x in g["decisions"]}
    codes = {i: {o["code"] for o in items[i]["obstacles"]} for i in (mayotte["id"], paris["id"])}
    assert "voluntary_departure_running" not in codes[mayotte["id"]]
    assert "voluntary_departure_running" in codes[paris["id"]]


def test_a_departure_is_dated_on_the_regions_clock(world: World) -> None:
    mayotte, paris = _two_decisions(world)
    body = {"departed_on": "2026-12-02", "mode": "voluntary"}
    r = post(
        world, "fr.returns", f"/decisions/{paris['id']}/departure", {**body, "version": paris["version"]}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "departed_on", r.text
    r = post(
        world, "fr.returns", f"/decisions/{mayotte['id']}/departure", {**body, "version": mayotte["version"]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["departed_on"] == "2026-12-02"
