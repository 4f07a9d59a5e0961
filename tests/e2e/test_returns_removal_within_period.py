"""A removal is not recorded while the period for voluntary departure runs (Directive 2008/115/EC
Art 8(1)): only a voluntary departure is; once the period has passed the removal is recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _issue(world: World, days: int | None, **more: Any) -> dict[str, Any]:
    person = world.person("it.returns", surname="Mansour", nationality="TUN")
    today = world.clock.today().isoformat()
    body = {"person_id": person, "issued_on": today, "grounds": ["illegal_stay"], **more}
    body["issued_on"] = more.get("issued_on", today)
    if days is not None:
        body["voluntary_departure_days"] = days
    r = world.client.post(f"{API}/decisions", json=body, headers=world.headers("it.returns"))
    assert r.status_code == 201, r.text
    return r.json()


def _depart(world: World, d: dict[str, Any], on: str, mode: str) -> Any:
    return world.client.post(f"{API}/decisions/{d['id']}/departure",
                             json={"version": d["version"], "departed_on": on, "mode": mode},
                             headers=world.headers("it.returns"))


def test_removal_on_the_day_of_issue_with_a_period_running_is_refused(world: World) -> None:
    d = _issue(world, 30)
    today = world.clock.today().isoformat()
    r = _depart(world, d, today, "enforced")
    assert r.status_code == 422, r.text
    problem = r.json()
    assert "Article 8(2)" in r.text and d["voluntary_departure_last_day"] in r.text and "Article 8(1)" not in r.text
    assert any(p.get("field") == "mode" for p in problem.get("problems", [])) or "mode" in r.text
    # the same day, a voluntary departure is recorded
    r = _depart(world, d, today, "voluntary")
    assert r.status_code == 200, r.text
    assert r.json()["departure_mode"] == "voluntary"


def test_removal_once_the_period_has_passed_or_without_a_period_is_recorded(world: World) -> None:
    d = _issue(world, 0, grounds=["risk_of_absconding"], entry_ban_years=2)  # no period (Art 7(4))
    assert d["voluntary_departure_last_day"] is None
    r = _depart(world, d, world.clock.today().isoformat(), "enforced")
    assert r.status_code == 200, r.text
    assert r.json()["departure_mode"] == "enforced"
    past = _issue(world, 7, issued_on="2026-08-20")
    assert past["voluntary_departure_last_day"] == "2026-08-27"
    assert _depart(world, past, "2026-08-27", "enforced").status_code == 422  # its last day
    r = _depart(world, past, "2026-08-28", "enforced")
    assert r.status_code == 200, r.text
