"""QA walk 17, returns: a departure on a return operation is recorded once it happened; an
unaccompanied minor's removal waits for the Art 10(2) guarantees; a person already returned is
not queued again through another state's decision; the operation's candidates and taking a person
off; the person page's link to the return decision form; the entry ban is not extended to a
working day (and the stored ends are corrected by the migration)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from pactum.services import procedures
from pactum.services.auth import Role
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.platform import audit_log
from tests.conftest import unlabelled_fields

try:
    from .test_returns_support import World, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, get, make_world, post  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)




def browser(world: World, username: str) -> Any:
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    client = TestClient(create_app(world.services))
    assert client.post("/login", data={"username": username, "password": "a-long-password"}).status_code in (200, 303)
    return client


def issue(world: World, officer: str, person_id: str, **body: Any) -> dict[str, Any]:
    r = post(world, officer, "/decisions", {"person_id": person_id, "issued_on": "2026-08-20", **body})
    assert r.status_code == 201, r.text
    return r.json()


def plan(world: World, officer: str = "it.returns", day: str = "2026-09-20", dest: str = "TUN") -> dict[str, Any]:
    r = post(world, officer, "/operations", {"destination_country": dest, "planned_date": day, "capacity": 5,
                                             "escorts": 4, "participating_states": ["DE"], "frontex_support": True})
    assert r.status_code == 201, r.text
    return r.json()


def select_(world: World, officer: str, op_id: str, decision_id: str) -> Any:
    return post(world, officer, f"/operations/{op_id}/participants", {"return_decision_id": decision_id})


# --------------------------------------------------------------------------- F2: departure on an operation


def test_a_departure_on_an_operation_is_recorded_only_once_the_operation_has_flown(world: World) -> None:
    person = world.person("it.returns", surname="Jaziri", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    op = plan(world)
    op = select_(world, "it.returns", op["id"], d["id"]).json()
    (part,) = op["participants"]
    op = post(world, "it.returns", f"/operations/{op['id']}/confirm", {"version": op["version"]}).json()
    # 1 September, the flight is on 20 September: nobody has departed yet
    assert "complete" not in op["allowed_actions"] and op["outcomes_open"] is False
    r = post(world, "it.returns", f"/operations/{op['id']}/participants/{part['id']}/outcome", {"departed": True})
    assert r.status_code == 409 and "2026-09-20" in r.json()["detail"] and "Article" in r.json()["detail"]
    r = post(world, "it.returns", f"/operations/{op['id']}/complete", {"version": op["version"]})
    assert r.status_code == 409 and "2026-09-20" in r.json()["detail"]
    dec = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert dec["status"] == "issued" and dec["departed_on"] is None and dec["alert"]["status"] == "active"
    page = browser(world, "it.returns").get(f"/returns/operations/{op['id']}").text
    assert 'action="/returns/operations/' + op["id"] + '/outcome"' not in page
    assert "recorded from 2026-09-20" in page

    # 22 September: the flight left a day late; the day recorded is the day of the departure
    world.clock.set(datetime(2026, 9, 22, 10, 0, tzinfo=UTC))
    url = f"/operations/{op['id']}/participants/{part['id']}/outcome"
    r = post(world, "it.returns", url, {"departed": True, "departed_on": "2026-09-23"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "departed_on"
    r = post(world, "it.returns", url, {"departed": True, "departed_on": "2026-09-19"})
    assert r.status_code == 422 and "2026-09-20" in r.json()["detail"][0]["msg"]
    page = browser(world, "it.returns").get(f"/returns/operations/{op['id']}").text
    assert 'name="departed_on"' in page and unlabelled_fields(page) == []
    r = post(world, "it.returns", url, {"departed": True, "departed_on": "2026-09-21"})
    assert r.status_code == 200, r.text
    dec = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert (dec["status"], dec["departed_on"], dec["departure_mode"]) == ("departed", "2026-09-21", "operation")
    assert dec["alert"]["status"] == "deleted"
    op = get(world, "it.returns", f"/operations/{op['id']}").json()
    r = post(world, "it.returns", f"/operations/{op['id']}/complete", {"version": op["version"]})
    assert r.status_code == 200 and r.json()["status"] == "completed"


def test_without_a_day_the_departure_is_the_planned_date(world: World) -> None:
    person = world.person("it.returns", surname="Gharbi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    op = plan(world, day="2026-09-10")
    op = select_(world, "it.returns", op["id"], d["id"]).json()
    op = post(world, "it.returns", f"/operations/{op['id']}/confirm", {"version": op["version"]}).json()
    world.clock.set(datetime(2026, 9, 14, 10, 0, tzinfo=UTC))
    r = post(world, "it.returns", f"/operations/{op['id']}/participants/{op['participants'][0]['id']}/outcome",
             {"departed": True})
    assert r.status_code == 200
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["departed_on"] == "2026-09-10"


# --------------------------------------------------------------------------- F7: candidates, taking a person off


def test_a_selected_person_leaves_the_candidates_and_can_be_taken_off_the_operation(world: World) -> None:
    person = world.person("it.returns", surname="Mejri", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    op = plan(world)
    assert [c["id"] for c in get(world, "it.returns", f"/operations/{op['id']}/candidates").json()] == [d["id"]]
    op = select_(world, "it.returns", op["id"], d["id"]).json()
    (part,) = op["participants"]
    assert part["removable"] is True and op["seats_taken"] == 1
    assert get(world, "it.returns", f"/operations/{op['id']}/candidates").json() == []
    web = browser(world, "it.returns")
    page = web.get(f"/returns/operations/{op['id']}").text
    candidates = page.split("Candidates to", 1)[1]
    assert d["reference"] not in candidates and "Take off the operation" in page
    assert unlabelled_fields(page) == []

    url = f"/operations/{op['id']}/participants/{part['id']}/remove"
    r = post(world, "it.returns", url, {"reason": " "})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "reason"
    r = post(world, "it.returns", url, {"reason": "suspensive appeal lodged on 31 August"})
    assert r.status_code == 200, r.text
    op = r.json()
    assert op["participants"][0]["status"] == "removed" and op["seats_taken"] == 0
    assert op["participants"][0]["reason"] == "suspensive appeal lodged on 31 August"
    assert [c["id"] for c in get(world, "it.returns", f"/operations/{op['id']}/candidates").json()] == [d["id"]]
    with world.services.engine.connect() as conn:
        actions = list(conn.execute(select(audit_log.c.action).where(audit_log.c.entity_id == part["id"])).scalars())
    assert "returns.operation.remove" in actions
    # taken off once: not again
    assert post(world, "it.returns", url, {"reason": "again"}).status_code == 409

    # the web form takes a person off too
    op = select_(world, "it.returns", op["id"], d["id"]).json()
    again = next(p for p in op["participants"] if p["status"] == "selected")
    r = web.post(f"/returns/operations/{op['id']}/remove", data={"participant_id": again["id"], "reason": "absconded"},
                 follow_redirects=False)
    assert r.status_code == 303
    op = get(world, "it.returns", f"/operations/{op['id']}").json()
    assert {p["status"] for p in op["participants"]} == {"removed"}

    # once the operation is confirmed and its day has come, who did not fly is an outcome instead
    op = select_(world, "it.returns", op["id"], d["id"]).json()
    last = next(p for p in op["participants"] if p["status"] == "selected")
    op = post(world, "it.returns", f"/operations/{op['id']}/confirm", {"version": op["version"]}).json()
    world.clock.set(datetime(2026, 9, 20, 12, 0, tzinfo=UTC))
    r = post(world, "it.returns", f"/operations/{op['id']}/participants/{last['id']}/remove", {"reason": "late"})
    assert r.status_code == 409 and "departed" in r.json()["detail"]


# --------------------------------------------------------------------------- F4: unaccompanied minors


def _minor_with_negative_decision(world: World, surname: str, born: str) -> tuple[str, str]:
    """A child registered in Italy, recorded as an unaccompanied minor on an asylum application
    rejected and notified on 1 July 2026."""
    person = world.person("it.returns", surname=surname, nationality="TUN", date_of_birth=born)
    cw = world.principals["it.caseworker"]
    reviewer = world.principals.get("it.reviewer") or world.user("it.reviewer", "IT", Role.caseworker)
    day = date(2026, 7, 1)
    case = procedures.create_application(world.services, cw, ApplicationCreate(
        person_id=person, made_on=day, registered_on=day, context="in_territory", unaccompanied_minor=True))
    steps = [("lodge", {"lodged_on": "2026-07-01"}),
             ("schedule_interview", {"interview_on": "2026-07-01", "language": "Arabic"}),
             ("hold_interview", {"held_on": "2026-07-01", "interpreter_language": "Arabic"}),
             ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear shown"}),
             ("submit_for_review", {}), ("approve", {"decided_on": "2026-07-01"}),
             ("notify", {"notified_on": "2026-07-01"})]
    for action, fields in steps:
        who = reviewer if action == "approve" else cw
        case = procedures.act(world.services, who, case["id"], action, fields, case["version"])
    assert case["unaccompanied_minor"] is True
    return person, case["id"]


def test_an_unaccompanied_minor_is_warned_about_and_not_removed_before_the_art_10_2_guarantees(world: World) -> None:
    person, case = _minor_with_negative_decision(world, "Ben Salah", "2022")
    web = browser(world, "it.returns")
    form = web.get(f"/returns/decisions/new?person_id={person}").text
    assert "unaccompanied minor" in form and "Article 10(1)" in form and "Article 10(2)" in form

    # the Directive allows the decision: it is issued, with what Art 10 requires said in the answer
    d = issue(world, "it.returns", person, asylum_case_id=case, voluntary_departure_days=7,
              grounds=["negative_asylum_decision"])
    assert d["status"] == "issued" and d["unaccompanied_minor"] is True
    said = " ".join(d["warnings"])
    assert "Article 10(1)" in said and "Article 10(2)" in said and "Article 5(a)" in said
    assert any(s["rule"] == "unaccompanied_minor" for s in d["trace"])
    assert "Directive 2008/115/EC, Article 10(1)" in d["legal_basis"]
    codes = [o["code"] for o in d["obstacles"]]
    assert "unaccompanied_minor" in codes
    label = next(o["label"] for o in d["obstacles"] if o["code"] == "unaccompanied_minor")
    assert label == "unaccompanied minor: Art 10(2) guarantees not recorded"

    # the queue and the operation carry the obstacle; the child is not selected
    (group,) = [g for g in get(world, "it.returns", "/queue").json() if g["destination_country"] == "TUN"]
    (item,) = group["decisions"]
    assert item["unaccompanied_minor"] is True and label in [o["label"] for o in item["obstacles"]]
    op = plan(world)
    r = select_(world, "it.returns", op["id"], d["id"])
    assert r.status_code == 409 and label in r.json()["detail"]

    # recording the handover needs how the authority is satisfied of it
    r = world.client.patch(f"{API}/decisions/{d['id']}/facts", headers=world.headers("it.returns"),
                           json={"version": d["version"], "minor_handover": "family_member"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "minor_handover_note"
    page = web.get(f"/returns/decisions/{d['id']}").text
    assert 'name="minor_handover"' in page and unlabelled_fields(page) == []
    r = web.post(f"/returns/decisions/{d['id']}/facts", follow_redirects=False, data={
        "version": d["version"], "destination_country": "TUN", "identity_confirmed": "yes",
        "travel_document": "yes", "fit_to_travel": "yes", "absconded": "no", "minor_handover": "family_member",
        "minor_handover_note": "mother in Sfax confirmed through the Tunisian consulate, 30 August 2026"})
    assert r.status_code == 303, r.text
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert d["minor_handover"] == "family_member" and "unaccompanied_minor" not in [o["code"] for o in d["obstacles"]]
    assert all("Article 10(2)" not in w for w in d["warnings"])
    assert select_(world, "it.returns", op["id"], d["id"]).status_code == 201


def test_a_person_flagged_as_a_minor_long_ago_who_is_now_an_adult_has_no_obstacle(world: World) -> None:
    person, case = _minor_with_negative_decision(world, "Hamdi", "2008-03-01")  # 18 since March 2026
    d = issue(world, "it.returns", person, asylum_case_id=case, voluntary_departure_days=7,
              grounds=["negative_asylum_decision"])
    assert d["unaccompanied_minor"] is False and d["warnings"] == []
    assert "unaccompanied_minor" not in [o["code"] for o in d["obstacles"]]


# --------------------------------------------------------------------------- F6: already returned


def _returned_in_germany(world: World, surname: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Italy's decision on a person; Germany meets the same person, issues its own decision and
    confirms the departure on 25 August; then records a hit on Italy's alert."""
    it_person = world.person("it.returns", surname=surname, nationality="TUN")
    it_decision = issue(world, "it.returns", it_person, voluntary_departure_days=7)
    met = world.met("de.returns", surname)
    de_decision = issue(world, "de.returns", met, issued_on="2026-08-21", voluntary_departure_days=7)
    r = post(world, "de.returns", f"/decisions/{de_decision['id']}/departure",
             {"version": de_decision["version"], "departed_on": "2026-08-25", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    return it_decision, met, r.json()


def test_recognising_a_decision_on_a_person_already_returned_is_refused_naming_the_departure(world: World) -> None:
    it_decision, met, de_decision = _returned_in_germany(world, "Trabelsi")
    alert = world.find_alert("de.returns", "Trabelsi")
    r = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met})
    assert r.status_code == 201, r.text
    hit = r.json()
    assert hit["decision"]["id"] == it_decision["id"]
    assert hit["departure_confirmed"]["reference"] == de_decision["reference"]
    assert hit["departure_confirmed"]["departed_on"] == "2026-08-25"
    assert "recognise" not in hit["allowed_actions"] and "refuse_recognition" in hit["allowed_actions"]
    page = browser(world, "de.returns").get(f"/returns/hits/{hit['id']}").text
    assert de_decision["reference"] in page and "2026-08-25" in page
    assert "Recognise and enforce the decision" not in page
    r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
    assert r.status_code == 409
    assert de_decision["reference"] in r.json()["detail"] and "2026-08-25" in r.json()["detail"]
    assert get(world, "de.returns", f"/hits/{hit['id']}").json()["status"] == "open"
    assert all(g["destination_country"] != "TUN" or not g["decisions"] for g in get(world, "de.returns", "/queue").json())


def test_a_recognised_decision_leaves_the_queue_once_the_person_has_returned_under_another(world: World) -> None:
    it_person = world.person("it.returns", surname="Ayari", nationality="TUN")
    it_decision = issue(world, "it.returns", it_person, voluntary_departure_days=7)
    met = world.met("de.returns", "Ayari")
    alert = world.find_alert("de.returns", "Ayari")
    hit = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).json()
    assert hit["departure_confirmed"] is None and "recognise" in hit["allowed_actions"]
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]}).status_code == 200
    queued = [i["id"] for g in get(world, "de.returns", "/queue").json() for i in g["decisions"]]
    assert it_decision["id"] in queued

    # Germany's own decision on the same person: the person leaves under it
    de_decision = issue(world, "de.returns", met, issued_on="2026-08-21", voluntary_departure_days=7)
    r = post(world, "de.returns", f"/decisions/{de_decision['id']}/departure",
             {"version": de_decision["version"], "departed_on": "2026-08-26", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    queued = [i["id"] for g in get(world, "de.returns", "/queue").json() for i in g["decisions"]]
    assert it_decision["id"] not in queued
    op = plan(world, "de.returns")
    assert get(world, "de.returns", f"/operations/{op['id']}/candidates").json() == []
    r = select_(world, "de.returns", op["id"], it_decision["id"])
    assert r.status_code == 409 and de_decision["reference"] in r.json()["detail"] and "2026-08-26" in r.json()["detail"]
    page = browser(world, "de.returns").get(f"/returns/decisions/{it_decision['id']}").text
    assert "already confirmed on 2026-08-26" in page


# --------------------------------------------------------------------------- F8, F11: pages


def test_the_person_page_offers_the_return_decision_form_to_the_return_officer(world: World) -> None:
    person = world.person("it.returns", surname="Najjar", nationality="TUN")
    page = browser(world, "it.returns").get(f"/registry/persons/{person}").text
    assert f'href="/returns/decisions/new?person_id={person}"' in page
    assert "Issue a return decision for this person" in page
    form = browser(world, "it.returns").get(f"/returns/decisions/new?person_id={person}").text
    assert f'value="{person}"' in form
    assert "Issue a return decision" not in browser(world, "it.caseworker").get(f"/registry/persons/{person}").text


def test_the_hit_page_says_no_entry_ban_in_one_wording(world: World) -> None:
    it_person = world.person("it.returns", surname="Chebbi", nationality="TUN")
    issue(world, "it.returns", it_person, voluntary_departure_days=7)
    met = world.met("de.returns", "Chebbi")
    alert = world.find_alert("de.returns", "Chebbi")
    hit = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).json()
    page = browser(world, "de.returns").get(f"/returns/hits/{hit['id']}").text
    assert "0 years" not in page
    assert page.count("<dt>Entry ban</dt><dd>none</dd>") == 2


# --------------------------------------------------------------------------- legal F3: entry ban not extended


def test_an_entry_ban_ends_on_its_last_day_even_a_sunday(world: World) -> None:
    person = world.person("it.returns", surname="Khelifi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7, entry_ban_years=1)
    # departed on Saturday 22 August 2026: one year ends on Sunday 22 August 2027
    r = post(world, "it.returns", f"/decisions/{d['id']}/departure",
             {"version": d["version"], "departed_on": "2026-08-22", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["entry_ban_starts_on"], d["entry_ban_ends_on"]) == ("2026-08-22", "2027-08-22")
    assert d["entry_ban_alert"]["ends_on"] == "2027-08-22"


def _decision_row(decision_id: str, starts: date, ends: date, years: int) -> dict[str, Any]:
    return {"id": decision_id, "person_id": "per_q17", "member_state": "MT", "reference": f"MT-RD-{decision_id}",
            "issued_on": date(2025, 10, 1), "issued_by": "mt", "nationality": "EGY", "grounds": [],
            "voluntary_departure_days": 14, "entry_ban_years": years, "entry_ban_starts_on": starts,
            "entry_ban_ends_on": ends, "legal_basis": [], "trace": [], "status": "departed",
            "identity_confirmed": True, "travel_document": True, "fit_to_travel": True, "absconded": False,
            "departed_on": starts, "created_at": datetime(2025, 10, 1, tzinfo=UTC), "version": 3}


def test_the_migration_brings_stored_entry_ban_ends_back_to_their_last_day(tmp_path: Path) -> None:
    _check_migration(f"sqlite:///{tmp_path / 'old.db'}")


def _check_migration(url: str) -> None:
    from pactum.store.engine import make_engine
    from pactum.store.migrate import upgrade
    from pactum.store.tables.registry import persons
    from pactum.store.tables.returns import entry_ban_alerts, return_decisions

    engine = make_engine(url)
    upgrade(engine, "returns_0002_erase_deleted_alerts")
    at = datetime(2025, 10, 1, tzinfo=UTC)
    # MT-RD-2025-5D0JKNHJ of the QA walk: departed Friday 14 November 2025, 1 year, stored as Monday 16 November 2026
    rows = [_decision_row("moved", date(2025, 11, 14), date(2026, 11, 16), 1),
            _decision_row("right", date(2025, 11, 12), date(2026, 11, 12), 1)]
    with engine.begin() as conn:
        conn.execute(insert(persons).values(id="per_q17", member_state="MT", created_at=at, version=1))
        for row in rows:
            conn.execute(insert(return_decisions).values(**row))
            conn.execute(insert(entry_ban_alerts).values(
                id=f"eba_{row['id']}", return_decision_id=row["id"], person_id="per_q17", issuing_member_state="MT",
                starts_on=row["entry_ban_starts_on"], ends_on=row["entry_ban_ends_on"], status="active", created_at=at))
    upgrade(engine)
    with engine.connect() as conn:
        ends = dict(conn.execute(select(return_decisions.c.id, return_decisions.c.entry_ban_ends_on)).all())
        bans = dict(conn.execute(select(entry_ban_alerts.c.id, entry_ban_alerts.c.ends_on)).all())
        versions = set(conn.execute(select(return_decisions.c.version)).scalars())
    engine.dispose()
    assert ends == {"moved": date(2026, 11, 14), "right": date(2026, 11, 12)}
    assert bans == {"eba_moved": date(2026, 11, 14), "eba_right": date(2026, 11, 12)}
    assert versions == {3}


@pytest.mark.postgres
def test_the_migration_brings_stored_entry_ban_ends_back_on_postgres() -> None:
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import PG_ADMIN_URL

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"pactum_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _check_migration(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_cli_lists_candidates_and_takes_a_person_off(world: World, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from pactum.cli.main import app

    monkeypatch.setenv("PACTUM_DATABASE_URL", world.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.returns")
    runner = CliRunner()
    person = world.person("it.returns", surname="Sassi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    op = plan(world)
    r = runner.invoke(app, ["returns", "candidates", op["id"]])
    assert r.exit_code == 0, r.output
    assert [c["id"] for c in json.loads(r.output)] == [d["id"]]
    op = select_(world, "it.returns", op["id"], d["id"]).json()
    r = runner.invoke(app, ["returns", "deselect", op["id"], op["participants"][0]["id"], "-"], input="{}")
    assert r.exit_code == 2 and "reason" in r.output
    r = runner.invoke(app, ["returns", "deselect", op["id"], op["participants"][0]["id"], "-"],
                      input=json.dumps({"reason": "suspensive appeal lodged"}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["participants"][0]["status"] == "removed"


def test_hit_messages_and_notifications_say_their_time_as_the_rest_of_the_site(world: World) -> None:
    """The hit's messages, the queue's and the notifications page's times were raw ISO
    (``2026-12-02T10:58``) where every other page says ``2026-12-02 10:58 UTC``."""
    import re

    it_person = world.person("it.returns", surname="Chebbi", nationality="TUN")
    issue(world, "it.returns", it_person, voluntary_departure_days=7)
    met = world.met("de.returns", "Chebbi")
    alert = world.find_alert("de.returns", "Chebbi")
    hit = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).json()
    r = post(world, "de.returns", f"/hits/{hit['id']}/messages", {"body": "Is the decision enforceable?"})
    assert r.status_code in (200, 201), r.text
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    raw = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
    hit_page = browser(world, "de.returns").get(f"/returns/hits/{hit['id']}").text
    said = re.search(r"<b>DE → IT</b> <span class=\"muted\">(.*?)</span>", hit_page)
    assert said and stamp.match(said.group(1)), hit_page
    it = browser(world, "it.returns")
    for path in ("/returns", "/returns/notifications"):
        page = it.get(path).text
        assert stamp.search(page) and not raw.search(page), path
    assert it.get("/returns/notifications").text.count("UTC</td>") >= 1


def test_a_hits_times_carry_their_zone_in_the_api(world: World) -> None:
    """``reported_at`` and ``decided_at`` are UTC and were served without a zone
    (``2026-08-20T10:49:52.811335``), unlike the API's other times."""
    it_person = world.person("it.returns", surname="Mejri", nationality="TUN")
    issue(world, "it.returns", it_person, voluntary_departure_days=7)
    met = world.met("de.returns", "Mejri")
    alert = world.find_alert("de.returns", "Mejri")
    hit = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).json()
    assert datetime.fromisoformat(hit["reported_at"]).utcoffset() is not None, hit["reported_at"]
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]}).status_code == 200
    for who in ("de.returns", "it.returns"):
        got = get(world, who, f"/hits/{hit['id']}").json()
        for key in ("reported_at", "decided_at"):
            at = datetime.fromisoformat(got[key])
            assert at.utcoffset() is not None and at.utcoffset().total_seconds() == 0, (who, key, got[key])
        listed = get(world, who, "/hits").json()
        assert all(datetime.fromisoformat(h["reported_at"]).tzinfo for rel in ("executing", "issuing")
                   for h in listed[rel])
