"""The returns area counts today on the clock of the state whose record it is
(``pactum.registry.local_time.state_today``), not in UTC: at 23:30 UTC on 1 December it is already 2
December in Athens (UTC+2 in winter) and still 1 December in Lisbon (UTC+0 in winter). A Greek
decision issued on 2 December at that moment is not "in the future", a Greek period whose last day
is 1 December has ended, an operation Greece planned for 1 December is in the past; Portugal's
day is still the 1st. The decision's issuing state decides for the decision, the organising state
for the operation, the reader's state for its queue and the day its pages and files show. API,
pages and CLI."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.common.clock import FixedClock
from pactum.services import returns as returns_service
from pactum.services.auth import Role

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

#: 23:30 UTC on Tuesday 1 December 2026: 01:30 on 2 December in Athens, 23:30 on 1 December in Lisbon.
LATE = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
#: The same hour a day earlier: 1 December in Athens, 30 November in Lisbon.
LATE_NOV = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


def _states(world: World) -> World:
    for ms in ("EL", "PT"):
        world.user(f"{ms.lower()}.returns", ms, Role.return_officer)
        world.user(f"{ms.lower()}.caseworker", ms, Role.caseworker)
    return world


@pytest.fixture
def world(tmp_path: Path) -> World:
    return _states(make_world(tmp_path))


def _decision(world: World, ms: str, issued_on: str, days: int = 30, surname: str = "Haddad") -> Any:
    person = world.person(f"{ms.lower()}.returns", surname=surname, nationality="TUN")
    return post(
        world,
        f"{ms.lower()}.returns",
        "/decisions",
        {
            "person_id": person,
            "issued_on": issued_on,
            "voluntary_departure_days": days,
            "grounds": ["illegal_stay"],
        },
    )


def test_a_decision_dated_today_in_athens_is_not_in_the_future_while_lisbon_is_a_day_behind(
    world: World,
) -> None:
    world.clock.set(LATE)
    r = _decision(world, "EL", "2026-12-02")
    assert r.status_code == 201, r.text
    assert r.json()["issued_on"] == "2026-12-02"
    r = _decision(world, "PT", "2026-12-02")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "issued_on" and "future" in r.text
    assert _decision(world, "PT", "2026-12-01", surname="Mansour").status_code == 201


def test_a_period_whose_last_day_has_passed_in_athens_has_ended(world: World) -> None:
    # issued on Saturday 31 October 2026, 30 days: last day Monday 30 November, a working day in both
    # states (1 December, Portugal's Restoration of Independence, would move Portugal's to the 2nd)
    world.clock.set(datetime(2026, 10, 31, 9, tzinfo=UTC))
    el = _decision(world, "EL", "2026-10-31").json()
    pt = _decision(world, "PT", "2026-10-31", surname="Mansour").json()
    assert el["voluntary_departure_last_day"] == pt["voluntary_departure_last_day"] == "2026-11-30"
    world.clock.set(LATE_NOV)
    el = get(world, "el.returns", f"/decisions/{el['id']}").json()
    pt = get(world, "pt.returns", f"/decisions/{pt['id']}").json()
    # Athens: 1 December, the period ended (Art 8(1)): the entry ban of Art 11(1)(b) is due, no obstacle
    assert el["entry_ban_due"] is not None and el["entry_ban_due"]["period_ended_on"] == "2026-11-30"
    assert "voluntary_departure_running" not in {o["code"] for o in el["obstacles"]}
    assert el["voluntary_departure_extension"]["allowed"] is False
    # Lisbon: still 30 November, its last day: the period runs
    assert pt["entry_ban_due"] is None
    assert "voluntary_departure_running" in {o["code"] for o in pt["obstacles"]}
    assert pt["voluntary_departure_extension"]["allowed"] is True
    # an entry ban imposed on 1 December, Athens' today
    r = post(
        world,
        "el.returns",
        f"/decisions/{el['id']}/entry-ban",
        {
            "version": el["version"],
            "imposed_on": "2026-12-01",
            "entry_ban_years": 2,
            "reasons": "did not leave",
        },
    )
    assert r.status_code == 200, r.text
    # the queues: Greece's decision ready, Portugal's still running
    (el_item,) = [i for g in get(world, "el.returns", "/queue").json() for i in g["decisions"]]
    (pt_item,) = [i for g in get(world, "pt.returns", "/queue").json() for i in g["decisions"]]
    assert "voluntary_departure_running" not in {o["code"] for o in el_item["obstacles"]}
    assert "voluntary_departure_running" in {o["code"] for o in pt_item["obstacles"]}
    # the expiry notice: Greece is told at 23:30 UTC, Portugal not yet
    returns_service.notify_voluntary_departure_expiry(world.services, LATE_NOV)
    assert len(get(world, "el.returns", "/notifications?kind=voluntary_departure_expired").json()) == 1
    assert get(world, "pt.returns", "/notifications?kind=voluntary_departure_expired").json() == []
    returns_service.notify_voluntary_departure_expiry(
        world.services, datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    )
    assert len(get(world, "pt.returns", "/notifications?kind=voluntary_departure_expired").json()) == 1
    # the page says so, each on its state's clock
    page = html.unescape(browser(world, "el.returns").get(f"/returns/decisions/{el['id']}").text)
    assert 'id="period-running"' not in page
    page = html.unescape(browser(world, "pt.returns").get(f"/returns/decisions/{pt['id']}").text)
    assert 'id="period-running"' in page


def test_an_extension_is_refused_once_the_period_ended_in_the_issuing_state(world: World) -> None:
    world.clock.set(datetime(2026, 10, 31, 9, tzinfo=UTC))
    el = _decision(world, "EL", "2026-10-31").json()
    pt = _decision(world, "PT", "2026-10-31", surname="Mansour").json()
    world.clock.set(LATE_NOV)
    extend = {"last_day": "2026-12-20", "grounds": ["school_going_children"], "reason": "the school term"}
    r = post(
        world,
        "el.returns",
        f"/decisions/{el['id']}/voluntary-departure/extend",
        {"version": el["version"], **extend},
    )
    assert r.status_code == 409 and "ended on 2026-11-30" in r.text
    r = post(
        world,
        "pt.returns",
        f"/decisions/{pt['id']}/voluntary-departure/extend",
        {"version": pt["version"], **extend},
    )
    assert r.status_code == 200, r.text


def test_operations_are_planned_and_flown_on_the_organising_state_clock(world: World) -> None:
    world.clock.set(datetime(2026, 11, 20, 9, tzinfo=UTC))
    plan = {"destination_country": "TUN", "planned_date": "2026-12-02", "capacity": 10, "escorts": 4}
    el_op = post(world, "el.returns", "/operations", plan).json()
    pt_op = post(world, "pt.returns", "/operations", plan).json()
    for who, op in (("el.returns", el_op), ("pt.returns", pt_op)):
        assert (
            post(world, who, f"/operations/{op['id']}/confirm", {"version": op["version"]}).status_code == 200
        )
    world.clock.set(LATE)
    # Athens: 2 December, the planned day: it has taken place, it is completed; none planned for 1 December
    el_read = get(world, "el.returns", f"/operations/{el_op['id']}").json()
    assert "complete" in el_read["allowed_actions"] and el_read["outcomes_open"] is True
    r = post(world, "el.returns", f"/operations/{el_op['id']}/complete", {"version": el_read["version"]})
    assert r.status_code == 200, r.text
    r = post(world, "el.returns", "/operations", plan | {"planned_date": "2026-12-01"})
    assert r.status_code == 422 and "past" in r.text
    # Lisbon: 1 December, the day before the flight
    pt_read = get(world, "pt.returns", f"/operations/{pt_op['id']}").json()
    assert "complete" not in pt_read["allowed_actions"] and pt_read["outcomes_open"] is False
    r = post(world, "pt.returns", f"/operations/{pt_op['id']}/complete", {"version": pt_read["version"]})
    assert r.status_code == 409 and "planned for 2026-12-02" in r.text
    assert post(world, "pt.returns", "/operations", plan | {"planned_date": "2026-12-01"}).status_code == 201


def test_the_pages_and_files_show_the_day_of_the_readers_state(world: World) -> None:
    world.clock.set(LATE)
    person = world.person("el.returns", surname="Haddad", nationality="TUN")
    page = html.unescape(browser(world, "el.returns").get(f"/returns/decisions/new?person_id={person}").text)
    assert 'name="issued_on"' in page and 'value="2026-12-02"' in page
    page = html.unescape(browser(world, "pt.returns").get("/returns/decisions/new").text)
    assert 'value="2026-12-01"' in page
    r = world.client.get("/api/v1/returns/queue.csv", headers=world.headers("el.returns"))
    assert 'filename="return-queue-2026-12-02.csv"' in r.headers["content-disposition"]
    r = world.client.get("/api/v1/returns/queue.csv", headers=world.headers("pt.returns"))
    assert 'filename="return-queue-2026-12-01.csv"' in r.headers["content-disposition"]
    r = browser(world, "el.returns").get("/returns/queue.csv")
    assert 'filename="return-queue-2026-12-02.csv"' in r.headers["content-disposition"]


def test_the_command_line_counts_on_the_issuing_state_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = _states(cli_world(tmp_path, monkeypatch))
    world.clock.set(LATE)
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: FixedClock(LATE))
    el = world.person("el.returns", surname="Haddad", nationality="TUN")
    pt = world.person("pt.returns", surname="Mansour", nationality="TUN")
    body: dict[str, Any] = {
        "issued_on": "2026-12-02",
        "voluntary_departure_days": 30,
        "grounds": ["illegal_stay"],
    }
    r = cli(monkeypatch, "el.returns", "issue", "-", stdin=json.dumps(body | {"person_id": el}))
    assert r.exit_code == 0, r.output
    r = cli(monkeypatch, "pt.returns", "issue", "-", stdin=json.dumps(body | {"person_id": pt}))
    assert (
        r.exit_code == 2
        and r.output.startswith("error:")
        and "issued_on" in r.output
        and "future" in r.output
    )
