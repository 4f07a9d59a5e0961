"""First-day walk, Dublin units: FD-04 (no take-charge request on an application its state has
already decided and notified: the determination precedes the examination, Dublin III Art 3(1);
AMMR Art 16(1)), FD-15 (the inbox says whose step and whose deadline), FD-16 (the task first:
recorded cases before the determination form, "Send a request" under the determination, the
what-if and the discretionary clause behind disclosures) and FD-08 (codes in words)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from pactum.services.auth import Role
from pactum.store.tables.procedures import asylum_applications

try:
    from .test_procedures_support import World, login, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world  # type: ignore[no-redef]

API = "/api/v1/responsibility"


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("de.dublin", "DE", Role.dublin_unit)
    w.user("it.dublin", "IT", Role.dublin_unit)
    return w


def _case(world: World, person_id: str) -> dict[str, Any]:
    """DE's Dublin case of the person's application (registered 2026-08-03): Italy, entered irregularly."""
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": "DE-D-0001", "person_id": person_id,
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-08-03"},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-07-20"}]}})
    assert r.status_code == 201, r.text
    case = dict(r.json())
    assert case["determination"]["responsible_member_state"] == "IT"
    return case


def _application(world: World) -> tuple[str, dict[str, Any]]:
    pid = world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application")
    return pid, world.apply("de.caseworker", pid, context="in_territory")


def _decided_and_notified(world: World, app_id: str) -> None:
    with world.services.engine.begin() as conn:
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == app_id).values(
            state="notified", outcome="rejected_unfounded", decided_on=date(2026, 8, 10),
            notified_on=date(2026, 8, 11)))


def test_no_take_charge_request_on_an_application_decided_and_notified(world: World) -> None:
    pid, app = _application(world)
    case = _case(world, pid)
    _decided_and_notified(world, app["id"])
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 409, r.text
    said = str(r.json()["detail"])
    # the decision: its reference, outcome and days; the rule; what to do
    assert app["reference"] in said and "rejected unfounded on 2026-08-10" in said and "notified on 2026-08-11" in said
    assert "Regulation (EU) 2024/1351, Article 16(1)" in said
    # what to do is what the law and the platform support: the application stays with the state
    # that decided it; a decision recorded on the wrong case is a records error to raise. Pactum
    # has no action that withdraws a first-instance decision, so the refusal does not advise one.
    assert "DE has examined the application and it stays with DE" in said
    assert ("If the decision was recorded on the wrong asylum case, that is an error in the records for "
            "DE's asylum authority to raise; a request to another state does not correct it") in said
    assert "withdraw" not in said
    # nothing was sent: Italy's inbox is empty
    inbox = world.client.get(f"{API}/inbox", headers=world.headers("it.dublin")).json()
    assert inbox == [] or inbox.get("requests", inbox) == []
    # the web form says it on the case page (409), which shows the asylum case beside the form
    page = login(world, "de.dublin").post(f"/responsibility/cases/{case['id']}/requests",
                                          data={"kind": "take_charge", "requested_member_state": "IT"})
    assert page.status_code == 409 and "it stays with DE" in page.text and "withdraw it first" not in page.text
    assert "the application stays with DE; a decision recorded on the wrong asylum case" in page.text
    assert 'id="asylum-case"' in page.text and "notified on 2026-08-11" in page.text


def test_a_take_charge_request_on_an_application_not_yet_decided_is_sent(world: World) -> None:
    pid, app = _application(world)
    case = _case(world, pid)
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}")
    # the asylum case's state beside the send form, which comes right under the determination
    text = page.text
    # named by its reference, as the officer reads it out
    assert f"Asylum case {app['reference']} in DE" in text and app["id"] not in text.split('id="asylum-case"')[1][:300]
    assert "notified on" not in text.split('id="asylum-case"')[1][:300]
    assert text.index("Send a request") < text.index("The facts it was determined on") < text.index(
        "Who is responsible on a day")
    # the what-if is a closed disclosure; its event kinds are in words
    assert '<details class="card" id="cessation">' in text
    assert "transfer of an unaccompanied minor not in the child&#39;s best interests" in text
    assert "uam transfer not in interest" not in text
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 201, r.text
    # Italy's inbox: the request needs its action (its reply), DE's outbox shows Italy's deadline
    it = login(world, "it.dublin").get("/responsibility/inbox").text
    mine = it.split('id="queue-title"')[1].split('id="queue-information-title"')[0]
    assert "Needs your action" in mine and "DE-D-0001" in mine and "Accept or refuse" in mine
    assert "your reply deadline" in mine
    de = login(world, "de.dublin").get("/responsibility/outbox").text
    info = de.split('id="queue-information-title"')[1]
    assert "DE-D-0001" in info and "IT's reply deadline" in info and "none: IT's turn" in info
    # the case page's timeline in words
    shown = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "request sent" in shown and "responsibility determined" in shown


def test_recorded_cases_come_before_a_closed_new_determination_form(world: World) -> None:
    pid, _ = _application(world)
    _case(world, pid)
    client = login(world, "de.dublin")
    text = client.get("/responsibility/cases").text
    assert text.index("Recorded cases") < text.index('id="new-determination"')
    assert '<details id="new-determination" class="card">' in text  # closed
    # the form opens, above the list, when it holds facts (drafted from a person's records)
    drafted = client.get(f"/responsibility/cases?person_id={pid}").text
    assert '<details id="new-determination" class="card" open>' in drafted
    assert drafted.index('id="new-determination"') < drafted.index("Recorded cases")
    # and when it was refused
    refused = client.post("/responsibility/cases", data={"application.registered_in": "DE", "save": "1"})
    assert refused.status_code == 422 and '<details id="new-determination" class="card" open>' in refused.text


def test_the_demo_leaves_a_request_for_a_demo_dublin_unit_to_answer(tmp_path: Path) -> None:
    """FD-15: the demo world's Dublin inbox has something to answer. The request to a demo Dublin
    unit's state that can still await its reply at the world's end is sent on the last day of its
    time limit and left unanswered; the unit's inbox lists it under "Needs your action"."""
    from sqlalchemy import select

    from pactum.scenario.steps.responsibility import DEMO_DUBLIN_STATES, _awaiting_day
    from pactum.scenario.world import build
    from pactum.store.tables.responsibility import dublin_requests

    try:
        from .test_responsibility_support import make_world as dublin_world
    except ImportError:  # tests/e2e is not a package
        from test_responsibility_support import make_world as dublin_world  # type: ignore[no-redef]

    # the day: the last of the notification's two weeks from the hit, its confirmation due after the end
    assert _awaiting_day("take_back_notification", date(2026, 10, 6), "DE", "IT", date(2026, 10, 8),
                         date(2026, 10, 31)) == date(2026, 10, 20)
    # none when even the last day of the time limit leaves the reply due before the end
    assert _awaiting_day("take_back_notification", date(2026, 9, 1), "DE", "IT", date(2026, 9, 3),
                         date(2026, 10, 31)) is None
    assert {"IT", "EL", "ES", "MT", "CY", "BG", "PL", "HU"} <= DEMO_DUBLIN_STATES

    world = dublin_world(tmp_path)
    end = date(2026, 10, 31)
    # an XS world whose last weeks hold a notification to Italy (seed 1's did before the demo's
    # unaccompanied minors were given Eurostat's ages; most XS worlds hold none)
    build(world.services, scale="XS", seed=14, end=end, show_progress=False,
          only=["registry", "identity", "procedures", "responsibility"])
    with world.services.engine.connect() as conn:
        waiting = conn.execute(select(dublin_requests).where(dublin_requests.c.status == "pending")).all()
    assert waiting, "no request awaits its reply at the world's end"
    for r in waiting:
        assert r.reply_due >= end and not r.late
    it = [r for r in waiting if r.requested_member_state == "IT"]
    assert it and it[0].kind == "take_back_notification"
    world.user("it.unit", "IT", Role.dublin_unit)
    world.clock.set(datetime(2026, 10, 31, 9, 0, tzinfo=UTC))
    client = TestClient(world.client.app)
    client.post("/login", data={"username": "it.unit", "password": "a-long-password", "next": "/"})
    page = client.get("/responsibility/inbox").text
    mine = page.split('id="queue-title"')[1].split('id="queue-information-title"')[0]
    assert "Needs your action" in mine and "Confirm" in mine and it[0].id in mine
