"""Who reads what of the SIS return alerts and the decisions behind them (QA walk findings):
a hit is a confirmed match with a person actually encountered and opens only what enforcing needs;
a deleted alert leaves SIS; analysts read statistics, not named records; a stand-alone return
decision is the return authority's; dates and destinations a user types are checked."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select, update
from typer.testing import CliRunner

import pactum.store.migrations as migrations_pkg
from pactum.cli.main import app
from pactum.services.auth import Role
from pactum.store.tables.returns import return_alerts

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("it.analyst", "IT", Role.analyst)
    w.user("eu.auditor", "EU-LISA", Role.auditor)
    return w


def post(world: World, who: str, path: str, body: dict[str, Any]) -> Any:
    return world.client.post(f"{API}{path}", json=body, headers=world.headers(who))


def get(world: World, who: str, path: str) -> Any:
    return world.client.get(f"{API}{path}", headers=world.headers(who))


def issue(world: World, surname: str, **body: Any) -> dict[str, Any]:
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(world, "it.returns", "/decisions",
             {"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 7, **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


def field(r: Any) -> str:
    return str(r.json()["detail"][0]["loc"][-1])


def test_a_hit_needs_the_person_met_to_match_and_opens_no_internal_record(world: World) -> None:
    d = issue(world, "Trabelsi", entry_ban_years=2)
    alert = d["alert"]["id"]
    # Germany sees the alert in a name search; that alone is no hit: the hit names the person met
    assert world.find_alert("de.returns", "Trabelsi") == alert
    r = post(world, "de.returns", "/hits", {"alert_id": alert})
    assert r.status_code == 422 and field(r) == "local_person_id"
    # a German person who is not the alert's person (other given names, birth date, document)
    other = world.person("de.returns", surname="Trabelsi", nationality="TUN", given_names="Mohamed",
                         date_of_birth="1971-11-30", document=False)
    r = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": other})
    assert r.status_code in (404, 422), r.text
    if r.status_code == 422:
        assert field(r) == "local_person_id" and "does not confirm" in r.text
    assert get(world, "de.returns", f"/decisions/{d['id']}").status_code == 404
    assert get(world, "de.returns", f"/alerts/{alert}").status_code == 404

    # the person actually met, whose record matches the alert's: the hit is recorded
    met = world.met("de.returns", "Trabelsi")
    r = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met, "place": "Munich"})
    assert r.status_code == 201, r.text
    seen = get(world, "de.returns", f"/decisions/{d['id']}").json()
    assert seen["relation"] == "executing" and seen["reference"] == d["reference"]
    for internal in ("person_id", "identity_record_id", "asylum_case_id", "trace", "grounds", "issued_by",
                     "status_reason"):
        assert internal not in seen, internal
    assert "person_id" not in seen["alert"] and "identity_record_id" not in seen["alert"]
    assert seen["alert"]["surnames"] == "Trabelsi"  # the alert's data, as SIS gives them
    assert set(seen["entry_ban_alert"] or {}) <= {"id", "issuing_member_state", "starts_on", "ends_on", "status"}
    # Italy sees Germany's hit but not Germany's internal person id
    (it_hit,) = get(world, "it.returns", "/hits").json()["issuing"]
    assert "local_person_id" not in it_hit
    assert "local_person_id" not in get(world, "it.returns", f"/hits/{it_hit['id']}").json()
    # the issuing state still reads its whole record
    own = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert own["person_id"] and own["trace"]


def test_a_deleted_alert_leaves_sis_and_its_personal_data_are_erased(world: World) -> None:
    d = issue(world, "Mansour")
    alert = d["alert"]["id"]
    world.find_alert("de.returns", "Mansour")
    met = world.met("de.returns", "Mansour")
    hit = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).json()
    assert get(world, "de.returns", f"/alerts/{alert}").status_code == 200
    r = post(world, "it.returns", f"/decisions/{d['id']}/departure",
             {"version": d["version"], "departed_on": "2026-08-25"})
    assert r.status_code == 200, r.text
    # Germany, which had a hit, no longer reads the alert nor its names
    assert get(world, "de.returns", f"/alerts/{alert}").status_code == 404
    assert get(world, "de.returns", f"/decisions/{d['id']}").json()["alert"] is None
    (listed,) = get(world, "de.returns", "/hits").json()["executing"]
    assert listed["id"] == hit["id"] and listed["surnames"] is None and listed["forenames"] is None
    # the row keeps the issuing state's record of its alert, not the person's data
    with world.services.engine.connect() as conn:
        row = conn.execute(select(return_alerts).where(return_alerts.c.id == alert)).one()
    assert row.status == "deleted" and row.decision_reference == d["reference"]
    assert (row.surnames, row.forenames, row.date_of_birth, row.document_number, row.place_of_birth) == (
        None, None, None, None, None)


def test_the_migration_erases_alerts_deleted_before(world: World) -> None:
    d = issue(world, "Haddad")
    r = post(world, "it.returns", f"/decisions/{d['id']}/withdraw", {"version": d["version"], "reason": "annulled"})
    assert r.status_code == 200
    active = issue(world, "Ayari")["alert"]["id"]
    with world.services.engine.begin() as conn:  # as the old code left a deleted alert
        conn.execute(update(return_alerts).where(return_alerts.c.id == d["alert"]["id"]).values(
            surnames="Haddad", forenames="Karim", document_number="PHAD123", date_of_birth="1994-03-02"))
    path = Path(migrations_pkg.__file__).parent / "versions" / "returns_0002_erase_deleted_alerts.py"
    spec = importlib.util.spec_from_file_location("returns_0002", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with world.services.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        mod.upgrade()
    with world.services.engine.connect() as conn:
        gone = conn.execute(select(return_alerts).where(return_alerts.c.id == d["alert"]["id"])).one()
        kept = conn.execute(select(return_alerts).where(return_alerts.c.id == active)).one()
    assert (gone.surnames, gone.forenames, gone.document_number, gone.date_of_birth) == (None, None, None, None)
    assert gone.decision_reference == d["reference"]
    assert kept.surnames == "Ayari" and kept.document_number == "PAYA123"


def test_analysts_read_statistics_not_named_records_and_the_auditor_neither(world: World) -> None:
    d = issue(world, "Jaziri")
    for path in ("/hits", "/decisions", f"/decisions/{d['id']}", f"/alerts/{d['alert']['id']}", "/queue",
                 "/notifications", "/avr"):
        assert get(world, "it.analyst", path).status_code == 403, path
        assert get(world, "eu.auditor", path).status_code == 403, path
    assert get(world, "it.analyst", "/stats?year=2026").status_code == 200
    assert get(world, "eu.auditor", "/stats?year=2026").status_code == 403
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    web = TestClient(create_app(world.services))
    assert web.post("/login", data={"username": "it.analyst", "password": "a-long-password"}).status_code in (200, 303)
    assert web.get("/returns/hits").status_code == 403
    assert "Jaziri" not in web.get("/returns/hits").text
    assert web.get("/returns/stats").status_code == 200


def test_a_caseworker_does_not_issue_a_stand_alone_return_decision(world: World) -> None:
    person = world.person("it.returns", surname="Chowdhury", nationality="BGD")
    r = world.client.post(f"{API}/decisions", headers=world.headers("it.caseworker"),
                          json={"person_id": person, "issued_on": "2026-08-20", "grounds": ["illegal_stay"]})
    assert r.status_code == 403
    assert get(world, "it.returns", "/decisions").json() == []


def test_dates_before_the_decision_or_in_the_future_are_refused(world: World) -> None:
    d = issue(world, "Rezgui")
    did = d["id"]
    for day in ("9999-12-31", "0001-01-01", "2026-08-19"):
        r = post(world, "it.returns", "/avr", {"return_decision_id": did, "programme": "IOM AVRR",
                                                "funding_source": "AMIF", "amount_eur": "500", "opened_on": day})
        assert r.status_code == 422 and field(r) == "opened_on", (day, r.text)
    avr = post(world, "it.returns", "/avr", {"return_decision_id": did, "programme": "IOM AVRR",
                                            "funding_source": "AMIF", "amount_eur": "500", "opened_on": "2026-08-24"})
    assert avr.status_code == 201, avr.text
    r = post(world, "it.returns", f"/avr/{avr.json()['id']}/departure", {"version": 1, "departed_on": "2026-08-22"})
    assert r.status_code == 422 and field(r) == "departed_on"
    r = post(world, "it.returns", "/readmission-requests", {"return_decision_id": did, "sent_on": "1900-01-01"})
    assert r.status_code == 422 and field(r) == "sent_on"
    r = post(world, "it.returns", "/readmission-requests", {"return_decision_id": did, "sent_on": "2026-08-21"})
    assert r.status_code == 201, r.text


def test_a_return_goes_to_a_third_country(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = issue(world, "Mejri")
    for code in ("ITA", "DEU", "NOR", "CHE"):
        r = world.client.patch(f"{API}/decisions/{d['id']}/facts", headers=world.headers("it.returns"),
                               json={"version": d["version"], "destination_country": code})
        assert r.status_code == 422 and field(r) == "destination_country", r.text
        r = post(world, "it.returns", "/operations", {"destination_country": code, "planned_date": "2026-12-15",
                                                     "capacity": 10, "escorts": 5})
        assert r.status_code == 422 and field(r) == "destination_country", r.text
    assert post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-12-15",
                                                    "capacity": 10, "escorts": 5}).status_code == 201
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.returns")
    body = json.dumps({"destination_country": "ITA", "planned_date": "2026-12-15", "capacity": 10, "escorts": 5})
    res = CliRunner().invoke(app, ["returns", "plan-operation", "-"], input=body)
    assert res.exit_code == 2 and "destination_country" in res.output
