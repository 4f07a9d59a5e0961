"""Defects a QA walk of the asylum caseworker's journeys found, each through the API or the web as
the caseworker meets it: the return decision issued with a negative decision follows the appeal
(suspended while a suspensive appeal is pending, running again when it is dismissed, withdrawn
when the decision is annulled); the day an application is made is checked against today, the
person's first encounter and their open applications; the context follows the registry's
encounter; a notification's return decision may carry an entry ban from the web form; the border
pipeline says what it counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services import procedures, returns
from pactum.services.procedures import ApplicationCreate

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return dict(r.json())


def decided(world: World, surname: str, outcome: str = "rejected_unfounded") -> dict[str, Any]:
    """A regular-procedure case (Eritrean, disembarked 1 August 2026) decided on 20 August 2026."""
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="ERI"))
    assert case["procedure"] == "regular"
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-08-10", "language": "Tigrinya"}),
                           ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Tigrinya"}),
                           ("draft_decision", {"outcome": outcome, "reasons": "no well-founded fear shown (interview record)"}), ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    return ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))


def return_decision(world: World, rid: str) -> dict[str, Any]:
    return ok(world.client.get(f"/api/v1/returns/decisions/{rid}", headers=world.headers("it.caseworker")))


def test_a_suspensive_appeal_suspends_the_return_decision_until_it_is_dismissed(world: World) -> None:
    world.travel(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", decided(world, "Tesfay"), "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=7))
    rid = case["return_decision_id"]
    assert return_decision(world, rid)["status"] == "issued"
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-09-01"))
    # regular procedure under the APR: the appeal suspends removal (Art 68(2)); the return decision
    # is suspended (Directive 2008/115/EC Art 13(2)) and its SIS alert says so (field (y))
    assert case["suspensive_effect"] is True and case["return_decision_status"] == "suspended"
    rd = return_decision(world, rid)
    assert rd["status"] == "suspended" and rd["alert"]["status"] == "active"
    assert rd["alert"]["decision_suspended"] is True
    assert case["timeline"][-1]["detail"]["return_decision_status"] == "suspended"
    # the voluntary departure period (ended 28 August) does not "end" while the appeal suspends it
    assert returns.notify_voluntary_departure_expiry(world.services, world.clock.now()).startswith("0 ")
    case = ok(world.act("it.caseworker", case, "decide_appeal", outcome="dismissed", decided_on="2026-12-01"))
    rd = return_decision(world, rid)
    assert rd["status"] == "issued" and rd["alert"]["decision_suspended"] is False
    assert case["return_decision_status"] == "issued"


def test_an_annulled_decision_withdraws_its_return_decision_and_a_second_appeal_has_no_outcome(
        world: World) -> None:
    world.travel(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", decided(world, "Gebre"), "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=30))
    first = case["return_decision_id"]
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-09-01"))
    case = ok(world.act("it.caseworker", case, "decide_appeal", outcome="remitted", decided_on="2026-10-01"))
    rd = return_decision(world, first)
    assert rd["status"] == "withdrawn" and rd["alert"]["status"] == "deleted"
    assert rd["alert"]["deletion_reason"] == "decision_withdrawn"
    # examined again, rejected again with a new return decision, appealed again
    for action, fields in [("schedule_interview", {"interview_on": "2026-10-10", "language": "Tigrinya"}),
                           ("hold_interview", {"held_on": "2026-10-10", "interpreter_language": "Tigrinya"}),
                           ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear shown (interview record)"}), ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-10-20"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-10-21",
                        with_return_decision=True, voluntary_departure_days=30))
    second = case["return_decision_id"]
    assert second != first and return_decision(world, second)["status"] == "issued"
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-11-02"))
    assert case["appeal_outcome"] is None and return_decision(world, second)["status"] == "suspended"
    page = _web(world).get(f"/procedures/cases/{case['id']}").text
    assert "outcome remitted" not in page and "suspensive effect: yes" in page
    case = ok(world.act("it.caseworker", case, "decide_appeal", outcome="granted_subsidiary_protection",
                        decided_on="2026-12-10"))
    assert return_decision(world, second)["status"] == "withdrawn"


def test_the_appeal_suspends_the_return_decision_in_a_batch_too(world: World) -> None:
    """The demo world acts through ``case_batch``: the same return decision changes."""
    world.travel(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", decided(world, "Kidane"), "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=14))
    cw = world.principals["it.caseworker"]
    with procedures.case_batch(world.services) as batch:
        written = batch.act(cw, case["id"], "lodge_appeal", {"lodged_on": "2026-09-01"}, case["version"])
    assert written["last_detail"]["return_decision_status"] == "suspended"
    assert return_decision(world, case["return_decision_id"])["status"] == "suspended"


def test_the_day_an_application_is_made_is_checked(world: World) -> None:
    pid = world.person("it.caseworker", surname="Rahman", nationality="BGD",
                       occurred_at="2026-07-20T06:00:00+00:00")
    body = {"person_id": pid, "context": "sar_disembarkation"}
    # after today (3 August 2026)
    r = world.post("it.caseworker", "/applications", {**body, "made_on": "2026-08-04"})
    assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["made_on"]
    assert "after today" in r.text
    # before the person was first met: the law of the case would follow a day they were not here
    r = world.post("it.caseworker", "/applications", {**body, "made_on": "2025-03-01"})
    assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["made_on"]
    assert "first encounter (sar disembarkation on 2026-07-20)" in r.text
    r = world.post("it.caseworker", "/applications", {**body, "made_on": "2026-07-21"})
    assert r.status_code == 201, r.text
    # a second application while the first is open
    r = world.post("it.caseworker", "/applications", {**body, "made_on": "2026-08-01"})
    assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["person_id"]
    assert "already has an open application in IT" in r.text


def _web(world: World, who: str = "it.caseworker") -> Any:
    from fastapi.testclient import TestClient

    web = TestClient(world.client.app)
    r = web.post("/login", data={"username": who, "password": "a-long-password", "next": "/"},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    return web


def test_an_application_inside_the_territory_is_not_made_at_the_border(world: World) -> None:
    # found staying illegally in Italy: the form says so and chooses "in territory"
    pid = world.person("it.caseworker", surname="Miah", nationality="BGD", kind="illegal_stay")
    web = _web(world)
    form = web.get(f"/procedures/new?person_id={pid}").text
    assert 'id="encounter"' in form and "illegal stay" in form
    assert re.search(r'<option value="in_territory" selected>', form), form
    assert not re.search(r'<option value="border_crossing_point" selected>', form)
    # a border context contradicting the encounter is refused, naming the field
    for context in ("border_crossing_point", "sar_disembarkation", "apprehended_at_external_border"):
        r = world.post("it.caseworker", "/applications",
                       {"person_id": pid, "made_on": "2026-08-02", "context": context})
        assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["context"], r.text
        assert "Article 43(1)" in r.text
    r = web.post("/procedures/new", data={"person_id": pid, "made_on": "2026-08-02",
                                          "registered_on": "2026-08-03", "context": "border_crossing_point",
                                          "nationality": "BGD"})
    assert r.status_code == 422 and "contradicts the person&#39;s encounter inside the territory" in r.text
    case = world.apply("it.caseworker", pid, context="in_territory", made_on="2026-08-02")
    assert case["procedure"] != "border"  # Bangladesh (3% recognition): accelerated, not border
    # a person met at the border keeps the border context
    sar = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    assert re.search(r'<option value="sar_disembarkation" selected>',
                     web.get(f"/procedures/new?person_id={sar}").text)


def test_the_web_form_notifies_with_an_entry_ban(world: World) -> None:
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    case = decided(world, "Berhe")
    web = _web(world)
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert 'name="entry_ban_years"' in page
    form = {"action": "notify", "version": str(case["version"]), "notified_on": "2026-08-21",
            "with_return_decision": "on", "voluntary_departure_days": "30"}
    r = web.post(f"/procedures/cases/{case['id']}/act", data={**form, "entry_ban_years": "9"})
    assert r.status_code == 422 and "Entry ban (years, with the return decision)" in r.text
    r = web.post(f"/procedures/cases/{case['id']}/act", data={**form, "entry_ban_years": "3"},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert return_decision(world, shown["return_decision_id"])["entry_ban_years"] == 3
    # without a return decision there is no entry ban to impose
    other = decided(world, "Tekle")
    r = world.act("it.caseworker", other, "notify", notified_on="2026-08-21", entry_ban_years=2)
    assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["entry_ban_years"]


def test_the_border_pipeline_counts_from_registration_and_says_what_it_counts(world: World) -> None:
    cw = world.principals["it.caseworker"]
    made = procedures.create_application(world.services, cw, ApplicationCreate.model_validate({
        "person_id": world.person("it.caseworker", surname="Ali", nationality="BGD"),
        "made_on": "2026-08-01", "context": "sar_disembarkation"}))
    assert made["state"] == "made" and made["procedure"] == "border"
    registered = world.apply("it.caseworker", world.person("it.caseworker", surname="Hossain", nationality="BGD"))
    pipe = ok(world.get("it.caseworker", "/border-pipeline"))
    rows = {c["id"]: c for c in pipe["cases"]}
    assert rows[made["id"]]["registered_on"] is None and rows[made["id"]]["days_in_procedure"] is None
    assert rows[registered["id"]]["registered_on"] == "2026-08-03"
    assert (pipe["before_notification"], pipe["notified"]) == (2, 0)
    page = _web(world).get("/procedures/border").text
    row = page.split(f">{made['reference']}</a>", 1)[1].split("</tr>", 1)[0]  # named by its reference
    assert "not registered yet (made 2026-08-01)" in row and "2026-08-01</td>" not in row
    assert "not yet notified of the decision (the occupancy counted against the capacity" in page
    assert "Occupancy (before notification)" in page
