"""``allowed_actions`` says what the caller may actually do: France, which recorded a hit on Italy's
alert, was offered ``suspend`` and ``withdraw`` on Italy's decision and got 403 for both. Every
action listed for a caller is accepted from that caller; one not listed is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pactum.services.auth import Role

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"
#: The decision route of each lifecycle action, and a body for it.
ROUTES = {"suspend": "suspend", "lift_suspension": "lift-suspension", "withdraw": "withdraw",
          "confirm_departure": "departure"}


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("fr.caseworker", "FR", Role.caseworker)
    return w


def post(world: World, who: str, path: str, body: dict[str, Any]) -> Any:
    return world.client.post(f"{API}{path}", json=body, headers=world.headers(who))


def get(world: World, who: str, path: str) -> Any:
    r = world.client.get(f"{API}{path}", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def _italian_decision_hit_by_france(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7, "entry_ban_years": 1})
    assert r.status_code == 201, r.text
    decision = r.json()
    assert world.find_alert("fr.returns", "Trabelsi") == decision["alert"]["id"]
    met = world.met("fr.returns", "Trabelsi")  # the person France encountered
    r = post(world, "fr.returns", "/hits", {"alert_id": decision["alert"]["id"], "place": "Menton",
                                            "local_person_id": met})
    assert r.status_code == 201, r.text
    return decision, r.json()


def _body(action: str, decision: dict[str, Any], mode: str = "voluntary") -> dict[str, Any]:
    if action == "confirm_departure":
        return {"version": decision["version"], "departed_on": "2026-09-01", "mode": mode}
    return {"version": decision["version"], "reason": "appeal lodged"}


def test_the_executing_state_is_offered_only_what_it_may_do(world: World) -> None:
    decision, hit = _italian_decision_hit_by_france(world)
    mine = get(world, "it.returns", f"/decisions/{decision['id']}")
    assert mine["allowed_actions"] == ["suspend", "confirm_departure", "withdraw"]
    assert "enforced" in mine["departure_modes"]

    theirs = get(world, "fr.returns", f"/decisions/{decision['id']}")
    assert theirs["relation"] == "executing"
    # before recognising, France may only confirm an exit through its external border (Art 8)
    assert theirs["allowed_actions"] == ["confirm_departure"] and theirs["departure_modes"] == ["border_exit"]
    for action in ("suspend", "withdraw"):
        assert post(world, "fr.returns", f"/decisions/{decision['id']}/{ROUTES[action]}",
                    _body(action, theirs)).status_code == 403
    assert post(world, "fr.returns", f"/decisions/{decision['id']}/departure",
                _body("confirm_departure", theirs, "enforced")).status_code == 409
    # the hit page's copy of the decision says the same; the hit's own actions are France's
    h = get(world, "fr.returns", f"/hits/{hit['id']}")
    assert h["decision"]["allowed_actions"] == ["confirm_departure"]
    assert h["allowed_actions"] == ["request_information", "recognise", "refuse_recognition"]
    assert get(world, "it.returns", f"/hits/{hit['id']}")["allowed_actions"] == []

    # recognised: every mode of departure is France's too, and the listed action works
    r = post(world, "fr.returns", f"/hits/{hit['id']}/recognise", {"version": h["version"]})
    assert r.status_code == 200 and r.json()["allowed_actions"] == []
    theirs = get(world, "fr.returns", f"/decisions/{decision['id']}")
    assert theirs["allowed_actions"] == ["confirm_departure"] and "enforced" in theirs["departure_modes"]
    r = post(world, "fr.returns", f"/decisions/{decision['id']}/departure",
             _body("confirm_departure", theirs, "enforced"))
    assert r.status_code == 200, r.text
    assert r.json()["allowed_actions"] == [] and r.json()["departure_modes"] == []


def test_a_border_exit_is_all_france_may_record_before_recognition_and_it_works(world: World) -> None:
    decision, _hit = _italian_decision_hit_by_france(world)
    theirs = get(world, "fr.returns", f"/decisions/{decision['id']}")
    r = post(world, "fr.returns", f"/decisions/{decision['id']}/departure",
             _body("confirm_departure", theirs, theirs["departure_modes"][0]))
    assert r.status_code == 200 and r.json()["departure_mode"] == "border_exit"


def test_readers_are_offered_no_action(world: World) -> None:
    """A caseworker reads the decision and the hit (an analyst not even that); they may not suspend, withdraw,
    confirm departures or decide on recognition (return officers' acts)."""
    decision, hit = _italian_decision_hit_by_france(world)
    world.user("it.analyst", "IT", Role.analyst)
    # an analyst reads statistics, not the decision (Reg. (EU) 2018/1860 Art 17)
    r = world.client.get(f"{API}/decisions/{decision['id']}", headers=world.headers("it.analyst"))
    assert r.status_code == 403
    d = get(world, "it.returns", f"/decisions/{decision['id']}")
    assert post(world, "it.analyst", f"/decisions/{decision['id']}/suspend", _body("suspend", d)).status_code == 403
    assert get(world, "it.caseworker", f"/decisions/{decision['id']}")["allowed_actions"] == []
    h = get(world, "fr.caseworker", f"/hits/{hit['id']}")
    assert h["allowed_actions"] == ["request_information"]
    assert post(world, "fr.caseworker", f"/hits/{hit['id']}/recognise", {"version": h["version"]}).status_code == 403


def test_a_suspended_decision_is_not_offered_for_recognition(world: World) -> None:
    decision, hit = _italian_decision_hit_by_france(world)
    r = post(world, "it.returns", f"/decisions/{decision['id']}/suspend", _body("suspend", decision))
    assert r.status_code == 200 and r.json()["allowed_actions"] == ["lift_suspension", "withdraw"]
    h = get(world, "fr.returns", f"/hits/{hit['id']}")
    assert h["allowed_actions"] == ["request_information", "refuse_recognition"]
    assert post(world, "fr.returns", f"/hits/{hit['id']}/recognise", {"version": h["version"]}).status_code == 409
    assert h["decision"]["allowed_actions"] == []  # nothing France may do to a suspended decision


def test_only_the_organising_state_is_offered_to_confirm_or_cancel_an_operation(world: World) -> None:
    plan = {"destination_country": "TUN", "planned_date": "2026-09-15", "capacity": 10, "escorts": 4,
            "participating_states": ["DE"], "frontex_support": True}
    op = post(world, "it.returns", "/operations", plan).json()
    assert op["allowed_actions"] == ["confirm", "cancel"]
    theirs = get(world, "de.returns", f"/operations/{op['id']}")
    assert theirs["allowed_actions"] == []
    assert post(world, "de.returns", f"/operations/{op['id']}/confirm", {"version": op["version"]}).status_code == 403


def test_the_pages_offer_france_only_the_exit_through_its_border(world: World) -> None:
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    decision, _hit = _italian_decision_hit_by_france(world)
    fr = TestClient(create_app(world.services))
    assert fr.post("/login", data={"username": "fr.returns", "password": "a-long-password"}).status_code in (200, 303)
    page = fr.get(f"/returns/decisions/{decision['id']}").text
    assert "Confirm departure" in page and 'value="border_exit"' in page
    assert 'value="enforced"' not in page and "/suspend" not in page and "/withdraw" not in page
