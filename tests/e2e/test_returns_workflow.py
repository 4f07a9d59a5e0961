"""Returns through the API: a person rejected in Italy, found in Germany, the Italian decision
recognised and enforced by Germany, the departure recorded; every transition, legal and illegal;
what another state may and may not see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services import indicators, procedures
from pactum.services import returns as returns_service
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.platform import audit_log
from tests.conftest import unlabelled_fields

try:
    from .test_returns_support import World, asylum_case, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, asylum_case, get, make_world, post  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def issue(world: World, officer: str, person_id: str, **body: Any) -> dict[str, Any]:
    payload = {"person_id": person_id, "issued_on": "2026-08-20", **body}
    r = world.client.post(f"{API}/decisions", json=payload, headers=world.headers(officer))
    assert r.status_code == 201, r.text
    return r.json()


def _browser(world: World, username: str) -> Any:
    """A web session of ``username`` (the demo password of the returns world)."""
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    client = TestClient(create_app(world.services))
    assert client.post("/login", data={"username": username, "password": "a-long-password"}).status_code in (200, 303)
    return client




def test_rejected_in_one_state_found_recognised_and_returned_by_another(
    world: World,
) -> None:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    decision = issue(
        world,
        "it.returns",
        person,
        voluntary_departure_days=7,
        entry_ban_years=3,
        grounds=["illegal_stay"],
    )
    assert decision["status"] == "issued"
    assert decision["voluntary_departure_last_day"] == "2026-08-27"
    alert = decision["alert"]
    assert alert["status"] == "active"
    assert alert["surnames"] == "Trabelsi" and alert["nationalities"] == "TUN"
    assert alert["voluntary_departure_last_day"] == "2026-08-27"  # field (x)
    assert alert["entry_ban"] is True
    assert alert["issuing_member_state"] == "IT"

    # Germany does not see the Italian alert or decision before a lawful hit
    assert get(world, "de.returns", f"/alerts/{alert['id']}").status_code == 404
    assert get(world, "de.returns", f"/decisions/{decision['id']}").status_code == 404

    # a hit names the person Germany encountered (Reg. (EU) 2018/1861 Art 3(8))
    r = post(world, "de.returns", "/hits", {"alert_id": alert["id"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "local_person_id"
    # the identity search gives Germany the alert id; Germany records the hit on the person it met
    assert world.find_alert("de.returns", "Trabelsi") == alert["id"]
    met = world.met("de.returns", "Trabelsi")
    r = post(world, "de.returns", "/hits", {"alert_id": alert["id"], "place": "Munich Hbf", "local_person_id": met})
    assert r.status_code == 201, r.text
    hit = r.json()
    assert hit["status"] == "open" and hit["issuing_member_state"] == "IT"
    assert hit["decision"]["reference"] == decision["reference"]
    assert get(world, "de.returns", f"/alerts/{alert['id']}").status_code == 200
    assert get(world, "de.returns", f"/decisions/{decision['id']}").json()["relation"] == "executing"

    # Italy is told of the hit and sees it among hits on its alerts
    kinds = [n["kind"] for n in get(world, "it.returns", "/notifications").json()]
    assert "hit" in kinds
    assert [h["id"] for h in get(world, "it.returns", "/hits").json()["issuing"]] == [hit["id"]]

    # supplementary information exchange inside the platform
    r = post(
        world,
        "de.returns",
        f"/hits/{hit['id']}/messages",
        {"body": "Is the decision final?"},
    )
    assert r.status_code == 200 and r.json()["status"] == "info_requested"
    r = post(
        world,
        "it.returns",
        f"/hits/{hit['id']}/messages",
        {"body": "Final since 20 August, no appeal."},
    )
    assert [m["from_member_state"] for m in r.json()["messages"]] == ["DE", "IT"]

    # Germany cannot enforce before recognising
    dec = get(world, "de.returns", f"/decisions/{decision['id']}").json()
    r = post(
        world,
        "de.returns",
        f"/decisions/{decision['id']}/departure",
        {"version": dec["version"], "departed_on": "2026-08-31", "mode": "enforced"},
    )
    assert r.status_code == 409 and "recognise" in r.json()["detail"]

    hit = get(world, "de.returns", f"/hits/{hit['id']}").json()
    r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
    assert r.status_code == 200 and r.json()["status"] == "recognised"

    # the recognised decision is in Germany's queue, enforceable (period over, passport known)
    queue = get(world, "de.returns", "/queue").json()
    (group,) = [g for g in queue if g["destination_country"] == "TUN"]
    (item,) = group["decisions"]
    assert item["recognised"] is True and item["enforceable_now"] is True

    r = post(
        world,
        "de.returns",
        f"/decisions/{decision['id']}/departure",
        {"version": dec["version"], "departed_on": "2026-09-01", "mode": "enforced"},
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "departed" and done["departure_member_state"] == "DE"
    # the deleted alert left SIS: Germany no longer reads it; Italy's record of it keeps no names
    assert done["alert"] is None
    assert get(world, "de.returns", f"/alerts/{alert['id']}").status_code == 404
    it_alert = get(world, "it.returns", f"/alerts/{alert['id']}").json()
    assert it_alert["status"] == "deleted" and it_alert["deletion_reason"] == "departure_confirmed"
    assert it_alert["surnames"] is None and it_alert["document_number"] is None
    # the entry ban runs from the actual departure: 3 years from 31 August 2026
    assert done["entry_ban_ends_on"] == "2029-09-01"
    assert done["entry_ban_alert"]["status"] == "active"
    assert done["entry_ban_alert"]["ends_on"] == "2029-09-01"

    # a deleted alert can no longer be hit
    fr_met = world.met("fr.returns", "Trabelsi")
    assert post(world, "fr.returns", "/hits", {"alert_id": alert["id"], "local_person_id": fr_met}).status_code == 404

    # statistics: ordered to leave in Italy, returned by Germany (as Eurostat counts)
    stats = get(world, "de.analyst", "/stats?year=2026").json()
    assert stats == {
        "year": 2026,
        "rows": [
            {
                "member_state": "DE",
                "nationality": "TUN",
                "ordered_to_leave": 0,
                "returned": 1,
                "return_rate": None,
            },
            {
                "member_state": "IT",
                "nationality": "TUN",
                "ordered_to_leave": 1,
                "returned": 0,
                "return_rate": 0.0,
            },
        ],
    }

    # everything audited, each entry by the state that acted
    with world.services.engine.connect() as conn:
        entries = conn.execute(
            select(audit_log.c.action, audit_log.c.authority).where(audit_log.c.action.like("returns.%"))
        ).all()
    assert ("returns.decision.issue", "IT") in entries
    assert ("returns.alert.create", "IT") in entries
    assert ("returns.hit.record", "DE") in entries
    assert ("returns.hit.message", "IT") in entries
    assert ("returns.hit.recognise", "DE") in entries
    assert ("returns.decision.confirm_departure", "DE") in entries
    assert ("returns.alert.delete", "DE") in entries
    assert ("returns.entry_ban_alert.create", "DE") in entries


def test_a_third_state_sees_nothing_without_its_own_hit(world: World) -> None:
    person = world.person("it.returns", surname="Mansour", nationality="EGY")
    decision = issue(world, "it.returns", person, voluntary_departure_days=30)
    alert_id = decision["alert"]["id"]
    assert world.find_alert("de.returns", "Mansour") == alert_id
    met = world.met("de.returns", "Mansour", "EGY")
    assert post(world, "de.returns", "/hits", {"alert_id": alert_id, "local_person_id": met}).status_code == 201
    # France has no hit: the alert, the decision and Germany's hit stay hidden
    assert get(world, "fr.returns", f"/alerts/{alert_id}").status_code == 404
    assert get(world, "fr.returns", f"/decisions/{decision['id']}").status_code == 404
    de_hit = get(world, "de.returns", "/hits").json()["executing"][0]
    assert get(world, "fr.returns", f"/hits/{de_hit['id']}").status_code == 404
    assert get(world, "fr.returns", "/hits").json() == {"executing": [], "issuing": []}
    assert get(world, "fr.returns", "/queue").json() == []
    # an unknown alert id is a 404 too, not a hint
    fr_met = world.met("fr.returns", "Mansour", "EGY")
    assert post(world, "fr.returns", "/hits", {"alert_id": "ral_NOPE", "local_person_id": fr_met}).status_code == 404


def test_illegal_transitions_are_refused(world: World) -> None:
    person = world.person("it.returns", surname="Haddad", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=10)
    did, v = d["id"], d["version"]

    assert (
        post(
            world,
            "it.returns",
            f"/decisions/{did}/lift-suspension",
            {"version": v, "reason": "x"},
        ).status_code
        == 409
    )
    r = post(
        world,
        "it.returns",
        f"/decisions/{did}/suspend",
        {"version": v, "reason": "appeal lodged"},
    )
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    assert r.json()["alert"]["decision_suspended"] is True  # field (y)
    v = r.json()["version"]
    # a stale version is a conflict, not an overwrite
    assert (
        post(
            world,
            "it.returns",
            f"/decisions/{did}/withdraw",
            {"version": v - 1, "reason": "x"},
        ).status_code
        == 409
    )
    assert (
        post(
            world,
            "it.returns",
            f"/decisions/{did}/suspend",
            {"version": v, "reason": "again"},
        ).status_code
        == 409
    )
    r = post(
        world,
        "it.returns",
        f"/decisions/{did}/departure",
        {"version": v, "departed_on": "2026-08-30"},
    )
    assert r.status_code == 409 and "suspended" in r.json()["detail"]

    # another state's hit cannot be recognised while the decision is suspended
    world.find_alert("de.returns", "Haddad")
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"],
                                              "local_person_id": world.met("de.returns", "Haddad")}).json()
    r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
    assert r.status_code == 409
    # the issuing state does not decide on recognition; the executing state must give a reason
    assert post(world, "it.returns", f"/hits/{hit['id']}/recognise", {"version": 1}).status_code == 403
    r = post(world, "de.returns", f"/hits/{hit['id']}/refuse", {"version": 1, "reason": ""})
    assert r.status_code == 422
    r = post(
        world,
        "de.returns",
        f"/hits/{hit['id']}/refuse",
        {"version": 1, "reason": "appeal pending in IT"},
    )
    assert r.status_code == 200 and r.json()["status"] == "not_recognised"
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": 2}).status_code == 409

    r = post(
        world,
        "it.returns",
        f"/decisions/{did}/lift-suspension",
        {"version": v, "reason": "appeal dismissed"},
    )
    assert r.status_code == 200 and r.json()["alert"]["decision_suspended"] is False
    v = r.json()["version"]
    r = post(
        world,
        "it.returns",
        f"/decisions/{did}/withdraw",
        {"version": v, "reason": "annulled by court"},
    )
    assert r.status_code == 200
    assert (
        r.json()["alert"]["status"] == "deleted"
        and r.json()["alert"]["deletion_reason"] == "decision_withdrawn"
    )
    v = r.json()["version"]
    assert (
        post(
            world,
            "it.returns",
            f"/decisions/{did}/withdraw",
            {"version": v, "reason": "x"},
        ).status_code
        == 409
    )
    assert (
        post(
            world,
            "it.returns",
            f"/decisions/{did}/departure",
            {"version": v, "departed_on": "2026-08-30"},
        ).status_code
        == 409
    )
    # the issuing state cannot record a hit on its own alert
    other = issue(
        world,
        "it.returns",
        world.person("it.returns", surname="Ayari", nationality="TUN"),
    )
    own = world.met("it.returns", "Ayari")
    assert post(world, "it.returns", "/hits", {"alert_id": other["alert"]["id"], "local_person_id": own}).status_code == 409


def test_bad_decisions_are_refused_field_by_field(world: World) -> None:
    person = world.person("it.returns", surname="Ben Ali", nationality="TUN")
    r = post(
        world,
        "it.returns",
        "/decisions",
        {
            "person_id": person,
            "issued_on": "2026-08-20",
            "voluntary_departure_days": 45,
        },
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "voluntary_departure_days"]
    r = post(
        world,
        "it.returns",
        "/decisions",
        {
            "person_id": person,
            "issued_on": "2026-08-20",
            "voluntary_departure_days": 0,
            "grounds": ["risk_of_absconding"],
        },
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == [
        "body",
        "entry_ban_years",
    ]
    r = post(
        world,
        "it.returns",
        "/decisions",
        {"person_id": person, "issued_on": "2026-09-30"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == [
        "body",
        "issued_on",
    ]
    # a person of another state's records is not found
    assert (
        post(
            world,
            "de.returns",
            "/decisions",
            {"person_id": person, "issued_on": "2026-08-20"},
        ).status_code
        == 404
    )
    # an analyst may not issue
    assert (
        post(
            world,
            "de.analyst",
            "/decisions",
            {"person_id": person, "issued_on": "2026-08-20"},
        ).status_code
        == 403
    )
    # nothing was half-written by the refused commands
    assert get(world, "it.returns", "/decisions").json() == []


def test_procedures_issue_a_return_decision_with_the_negative_asylum_decision(
    world: World,
) -> None:
    person = world.person("it.caseworker", surname="Chowdhury", nationality="BGD")
    # rejected in the border procedure on 20 August, within its twelve weeks (registered 1 August)
    case = asylum_case(world, person, made_on="2026-08-01", until="decided", decided_on="2026-08-20")
    assert case["procedure"] == "border"
    with world.services.uow() as uow:
        did = returns_service.issue_return_decision(
            uow,
            world.principals["it.caseworker"],
            person_id=person,
            issued_on=date(2026, 8, 25),
            asylum_case_id=case["id"],
            voluntary_departure_days=15,
            grounds=["return_border_procedure"],
        )
        uow.commit()
    d = get(world, "it.returns", f"/decisions/{did}").json()
    assert d["asylum_case_id"] == case["id"]
    assert d["grounds"] == ["return_border_procedure", "negative_asylum_decision"]
    assert "Regulation (EU) 2024/1349" in " ".join(d["legal_basis"])
    assert d["alert"]["status"] == "active"


def test_operation_selects_only_eligible_people_and_records_departures(
    world: World,
) -> None:
    person = world.person("it.returns", surname="Jaziri", nationality="TUN", document=False)
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    plan = {
        "destination_country": "TUN",
        "planned_date": "2026-09-15",
        "capacity": 1,
        "escorts": 2,
        "participating_states": ["DE"],
        "frontex_support": True,
    }
    op = post(world, "it.returns", "/operations", plan).json()
    assert op["status"] == "planned" and op["participating_states"] == ["DE"]

    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/participants",
        {"return_decision_id": d["id"]},
    )
    assert r.status_code == 409 and "no travel document" in r.json()["detail"], r.text

    rq = post(
        world,
        "it.returns",
        "/readmission-requests",
        {"return_decision_id": d["id"], "sent_on": "2026-08-28"},
    ).json()
    # the decision page's form for the third country's answer names each of its fields
    page = _browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text
    assert "Record answer" in page and unlabelled_fields(page) == []
    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/participants",
        {"return_decision_id": d["id"]},
    )
    assert r.status_code == 409 and "readmission answer pending" in r.json()["detail"]
    r = post(
        world,
        "it.returns",
        f"/readmission-requests/{rq['id']}/answer",
        {
            "accepted": True,
            "answered_on": "2026-08-31",
            "answer_reference": "TN-2026-77",
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert (
        post(
            world,
            "it.returns",
            f"/readmission-requests/{rq['id']}/answer",
            {"accepted": False, "answered_on": "2026-08-31"},
        ).status_code
        == 409
    )

    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/participants",
        {"return_decision_id": d["id"]},
    )
    assert r.status_code == 201, r.text
    op = r.json()
    (part,) = op["participants"]
    # capacity 1: a second person does not fit
    d2 = issue(
        world,
        "it.returns",
        world.person("it.returns", surname="Gharbi", nationality="TUN"),
        voluntary_departure_days=7,
    )
    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/participants",
        {"return_decision_id": d2["id"]},
    )
    assert r.status_code == 409 and "full" in r.json()["detail"]

    # outcomes only on a confirmed operation
    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/participants/{part['id']}/outcome",
        {"departed": True},
    )
    assert r.status_code == 409
    op = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/confirm",
        {"version": op["version"]},
    ).json()
    assert (
        post(
            world,
            "it.returns",
            f"/operations/{op['id']}/complete",
            {"version": op["version"]},
        ).status_code
        == 409
    )

    world.clock.set(datetime(2026, 9, 15, 18, 0, tzinfo=UTC))
    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/participants/{part['id']}/outcome",
        {"departed": True},
    )
    assert r.status_code == 200 and r.json()["participants"][0]["status"] == "departed"
    dec = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert (
        dec["status"] == "departed"
        and dec["departure_mode"] == "operation"
        and dec["departed_on"] == "2026-09-15"
    )
    assert dec["alert"]["status"] == "deleted"
    op = get(world, "it.returns", f"/operations/{op['id']}").json()
    r = post(
        world,
        "it.returns",
        f"/operations/{op['id']}/complete",
        {"version": op["version"]},
    )
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert (
        post(
            world,
            "it.returns",
            f"/operations/{op['id']}/cancel",
            {"version": r.json()["version"]},
        ).status_code
        == 409
    )
    # a state outside the operation does not see it
    assert get(world, "fr.returns", f"/operations/{op['id']}").status_code == 404


def test_assisted_voluntary_return(world: World) -> None:
    person = world.person("it.returns", surname="Okafor", nationality="NGA")
    d = issue(world, "it.returns", person, voluntary_departure_days=30)
    body = {
        "return_decision_id": d["id"],
        "programme": "IOM AVRR Italy",
        "funding_source": "AMIF national programme",
        "amount_eur": "2000.00",
        "opened_on": "2026-08-22",
    }
    case = post(world, "it.returns", "/avr", body).json()
    assert case["status"] == "opened" and case["destination_country"] == "NGA"
    assert post(world, "it.returns", "/avr", body).status_code == 409
    r = post(
        world,
        "it.returns",
        f"/avr/{case['id']}/departure",
        {"version": 1, "departed_on": "2026-08-29"},
    )
    assert r.status_code == 200 and r.json()["status"] == "departed"
    dec = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert dec["status"] == "departed" and dec["departure_mode"] == "avr"
    assert (
        post(
            world,
            "it.returns",
            f"/avr/{case['id']}/cancel",
            {"version": 2, "reason": "x"},
        ).status_code
        == 409
    )


def test_expiry_of_voluntary_departure_notifies_the_issuing_state_once(
    world: World,
) -> None:
    person = world.person("it.returns", surname="Saidi", nationality="DZA")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)  # last day 27 August
    run = returns_service.notify_voluntary_departure_expiry
    # on Italy's clock (UTC+2 in summer): 23:00 on 27 August, the last day, then 00:30 on 28 August
    assert run(world.services, datetime(2026, 8, 27, 21, 0, tzinfo=UTC)).startswith("0 ")
    assert run(world.services, datetime(2026, 8, 27, 22, 30, tzinfo=UTC)).startswith("1 ")
    assert run(world.services, datetime(2026, 8, 29, 1, 0, tzinfo=UTC)).startswith("0 ")
    notes = [
        n
        for n in get(world, "it.returns", "/notifications").json()
        if n["kind"] == "voluntary_departure_expired"
    ]
    assert len(notes) == 1 and d["reference"] in notes[0]["message"]
    assert get(world, "de.returns", "/notifications").json() == []


def test_indicators_count_alerts_and_returns(world: World) -> None:
    person = world.person("it.returns", surname="Amri", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    issue(
        world,
        "it.returns",
        world.person("it.returns", surname="Zidi", nationality="TUN"),
    )
    post(
        world,
        "it.returns",
        f"/decisions/{d['id']}/departure",
        {"version": 1, "departed_on": "2026-08-30"},
    )
    with world.services.engine.connect() as conn:
        assert indicators.compute(conn, "return_alerts_created", date(2026, 9, 1)) == 2
        assert indicators.compute(conn, "returns_effected", date(2026, 9, 1)) == 1
        assert indicators.compute(conn, "returns_effected", date(2026, 8, 29)) == 0


def test_hit_on_exit_at_the_external_border_confirms_departure_without_recognition(world: World) -> None:
    person = world.person("it.returns", surname="Rezgui", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=30, entry_ban_years=1)
    assert world.find_alert("de.returns", "Rezgui") == d["alert"]["id"]
    hit = post(
        world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "place": "Munich airport, exit",
                                       "local_person_id": world.met("de.returns", "Rezgui")}
    ).json()
    # enforcing by removal still needs recognition ...
    body = {"version": 1, "departed_on": "2026-09-01", "mode": "enforced"}  # the day of the hit
    assert post(world, "de.returns", f"/decisions/{d['id']}/departure", body).status_code == 409
    # ... but a person leaving through the external border is a confirmed departure (Art 8)
    r = post(world, "de.returns", f"/decisions/{d['id']}/departure", {**body, "mode": "border_exit"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["departure_mode"] == "border_exit" and done["departure_member_state"] == "DE"
    assert done["alert"] is None and done["entry_ban_alert"]["ends_on"] == "2027-09-01"
    assert get(world, "it.returns", f"/alerts/{d['alert']['id']}").json()["status"] == "deleted"
    assert get(world, "de.returns", f"/hits/{hit['id']}").json()["status"] == "open"
    # a state without a hit cannot do the same
    assert (
        post(
            world, "fr.returns", f"/decisions/{d['id']}/departure", {**body, "mode": "border_exit"}
        ).status_code
        == 404
    )


def test_a_return_decision_names_only_an_asylum_case_of_that_person(world: World) -> None:
    """An asylum case id that is not the person's own case in the state is refused, naming the
    field, and nothing is written (it used to be stored as typed and add the negative-decision
    ground)."""
    person = world.person("it.caseworker", surname="Chowdhury", nationality="BGD")
    other = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    others_case = procedures.create_application(
        world.services, world.principals["it.caseworker"],
        ApplicationCreate(person_id=other, made_on=date(2026, 8, 1), context="in_territory"))
    for case_id in ("asy_NOPE", others_case["id"], "x" * 10_000):
        r = post(world, "it.returns", "/decisions",
                 {"person_id": person, "issued_on": "2026-08-25", "asylum_case_id": case_id})
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["loc"][-1] == "asylum_case_id"
    assert get(world, "it.returns", "/decisions").json() == []


def test_a_hit_names_only_a_person_of_the_executing_state(world: World) -> None:
    """The executing state's own record of the person found; an id that is not one of its
    persons is refused (it was stored as typed), and the hit is not recorded."""
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    alert = issue(world, "it.returns", person, voluntary_departure_days=7)["alert"]
    assert world.find_alert("de.returns", "Trabelsi") == alert["id"]
    for local in ("per_01ZZZZZZZZZZZZZZZZZZZZZZZZ", person):  # unknown; Italy's, not Germany's
        r = post(world, "de.returns", "/hits", {"alert_id": alert["id"], "local_person_id": local})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "local_person_id", r.text
    assert get(world, "it.returns", "/hits").json()["issuing"] == []
