"""An encounter records where it happened when its state keeps more than one clock: a Canary Islands
arrival (ES-CN, Atlantic/Canary, one hour behind Madrid all year), an Azores one (PT-20,
Atlantic/Azores, one hour behind Lisbon) or a Madeira one (PT-30) whose time is entered in UTC, as
the web form asks, has its days counted and its times shown on the islands' clock, not the
capital's. Before, nothing recorded the place: only an offset given with the time placed it, and
a time in UTC was read in Madrid or Lisbon."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import users as users_service
from pactum.services.auth import SYSTEM, Role
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import encounters, identity_records, screenings

runner = CliRunner()

#: A crosser apprehended at 23:30 on 29 November 2026 on Gran Canaria (UTC+0 in winter), entered in
#: UTC as the form asks: 00:30 on 30 November in Madrid.
CANARY: dict[str, Any] = {
    "identity": {"given_names": "Ousmane", "surname": "Diallo", "sex": "M", "date_of_birth": "1999-05-01",
                 "nationality": "SEN"},
    "encounter": {"member_state": "ES", "occurred_at": "2026-11-26T23:30:00Z", "kind": "irregular_crossing",
                  "place": "Arguineguín", "route": "Western African Route", "region": "ES-CN"},
    "biometrics": {"template_ref": "tpl-c1", "captured_at": "2026-11-26T23:50:00Z",
                   "transmitted_at": "2026-11-27T02:00:00Z"},
}


def _arrival(base: dict[str, Any] = CANARY, **encounter: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["encounter"].update(encounter)
    for key in [k for k, v in data["encounter"].items() if v is None]:
        del data["encounter"][key]
    return data


def _locs(r) -> list[str]:
    return [".".join(str(x) for x in e["loc"]) for e in r.json()["detail"]]


def _recorded_on(services, record_id: str) -> date:
    with services.engine.connect() as conn:
        return conn.execute(select(identity_records.c.recorded_on)
                            .where(identity_records.c.id == record_id)).scalar_one()


@pytest.fixture
def pt_caseworker(services) -> str:
    users_service.create_user(services, SYSTEM, users_service.UserCreate(
        username="pt-caseworker", full_name="Caseworker (PT)", authority="PT", roles=[Role.caseworker],
        password="pactum-demo"))
    return "pt-caseworker"


def test_a_canary_islands_arrival_entered_in_utc_counts_on_the_islands_days(client, auth_headers, services):
    r = client.post("/api/v1/registry/arrivals", json=CANARY, headers=auth_headers("es-caseworker"))
    assert r.status_code == 201, r.text
    body = r.json()
    # the arrival is of 26 November on the islands (27 November in Madrid)
    assert _recorded_on(services, body["identity_record_id"]) == date(2026, 11, 26)
    s = body["screening"]
    assert s["time_zone"] == "Atlantic/Canary"
    # seven days from 26 November end at 23:59:59 on 3 December on the islands: 23:59:59 UTC in winter
    assert s["deadline_at"] == "2026-12-03T23:59:59Z"
    assert s["deadline_local"] == "2026-12-03T23:59:59Z"  # the islands' clock is UTC+0 in winter
    assert s["started_local"] == "2026-11-26T23:30:00Z"
    e = body["encounter"]
    assert e["region"] == "ES-CN" and e["region_name"] == "Canary Islands" and e["time_zone"] == "Atlantic/Canary"
    assert e["occurred_local"].startswith("2026-11-26T23:30:00") and e["occurred_at"] == "2026-11-26T23:30:00Z"
    # the existing fields stay as they were
    assert {"person_id", "identity_record_id", "encounter_id", "regime", "eurodac", "biometrics",
            "screening"} <= set(body)
    assert e["id"] == body["encounter_id"]
    with services.engine.connect() as conn:
        row = conn.execute(select(encounters.c.region, encounters.c.time_zone)
                           .where(encounters.c.id == body["encounter_id"])).one()
        assert tuple(row) == ("ES-CN", "Atlantic/Canary")
        assert conn.execute(select(screenings.c.time_zone).where(screenings.c.id == s["id"])).scalar_one() \
            == "Atlantic/Canary"
        after = conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "arrival.registered",
            audit_log.c.entity_id == body["identity_record_id"])).scalar_one()
        after = after if isinstance(after, dict) else json.loads(after)
        assert (after["region"], after["time_zone"]) == ("ES-CN", "Atlantic/Canary")
    # the same moment without the region is read on Madrid's clock, as before: 27 November
    madrid = client.post("/api/v1/registry/arrivals", json=_arrival(region=None, place="Almería"),
                         headers=auth_headers("es-caseworker")).json()
    assert _recorded_on(services, madrid["identity_record_id"]) == date(2026, 11, 27)
    assert madrid["screening"]["deadline_at"] == "2026-12-04T22:59:59Z"
    assert madrid["screening"]["time_zone"] == "Europe/Madrid"
    assert madrid["encounter"]["region"] is None and madrid["encounter"]["time_zone"] == "Europe/Madrid"


def test_the_reads_and_the_screenings_due_show_the_islands_clock(client, auth_headers, web_client):
    headers = auth_headers("es-caseworker")
    body = client.post("/api/v1/registry/arrivals", json=CANARY, headers=headers).json()
    s = client.get(f"/api/v1/registry/screenings/{body['screening']['id']}", headers=headers).json()
    assert s["time_zone"] == "Atlantic/Canary" and s["started_local"].startswith("2026-11-26T23:30:00")
    due = client.get("/api/v1/registry/screenings/due", headers=headers).json()
    row = next(d for d in due if d["id"] == s["id"])
    assert row["time_zone"] == "Atlantic/Canary"
    person = client.get(f"/api/v1/registry/persons/{body['person_id']}", headers=headers).json()
    assert person["encounters"][0]["time_zone"] == "Atlantic/Canary"
    assert person["encounters"][0]["region"] == "ES-CN"
    assert person["encounters"][0]["occurred_local"].startswith("2026-11-26T23:30:00")
    officer = web_client("es-caseworker")
    page = officer.get(f"/registry/persons/{body['person_id']}").text
    assert "2026-11-26 23:30 Atlantic/Canary time (2026-11-26 23:30 UTC)" in page
    assert "(Canary Islands)" in page
    # 72 hours from the start of the hour after the apprehension (Reg. (EU) 2024/1358 Art 22(2))
    assert "transmit by 2026-11-30 00:00 Atlantic/Canary time (2026-11-30 00:00 UTC)" in page
    assert "deadline 2026-12-03 23:59 Atlantic/Canary time (2026-12-03 23:59 UTC)" in page
    screening = officer.get(f"/registry/screenings/{s['id']}").text
    assert re.search(r'id="screening-started">2026-11-26 23:30 Atlantic/Canary time \(2026-11-26 23:30 UTC\)<',
                     screening)
    assert "2026-12-03 23:59 Atlantic/Canary time (2026-12-03 23:59 UTC)" in officer.get("/").text


def test_the_islands_clock_holds_across_the_end_of_summer_time(client, auth_headers):
    """23:30 UTC on 20 October is 00:30 on 21 October on the islands (UTC+1 in summer); the seven
    days end on 28 October, after the clocks went back on 25 October: 23:59:59 at UTC+0."""
    data = _arrival(occurred_at="2026-10-20T23:30:00Z")
    data["biometrics"] = {"template_ref": "tpl-c2"}
    s = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("es-caseworker")).json()["screening"]
    assert s["deadline_at"] == "2026-10-28T23:59:59Z" and s["time_zone"] == "Atlantic/Canary"
    assert s["started_local"].startswith("2026-10-21T00:30:00+01:00")


def test_held_over_72_hours_on_the_islands_counts_the_four_days_from_the_islands_day(client, auth_headers):
    """Apprehended at 23:30 on 24 November on the islands (00:30 on 25 November in Madrid) and held
    at the border over 72 hours (Screening Reg. (EU) 2024/1356 Art 8(3)): the 72 hours end on 27
    November, the four days at 23:59:59 on 1 December on the islands."""
    data = _arrival(occurred_at="2026-11-24T23:30:00Z")
    data["biometrics"] = {"template_ref": "tpl-c3"}
    data["held_over_72h"] = True
    s = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("es-caseworker")).json()["screening"]
    assert s["variant"] == "border_held_over_72h"
    assert s["deadline_at"] == "2026-12-01T23:59:59Z"


def test_the_region_may_be_given_by_its_time_zone(client, auth_headers):
    data = _arrival(region=None, time_zone="Atlantic/Canary")
    body = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("es-caseworker")).json()
    assert body["encounter"]["region"] == "ES-CN" and body["screening"]["deadline_at"] == "2026-12-03T23:59:59Z"
    both = _arrival(time_zone="Atlantic/Canary")
    both["biometrics"] = {"template_ref": "tpl-c4"}
    r = client.post("/api/v1/registry/arrivals", json=both, headers=auth_headers("es-caseworker"))
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(("user", "encounter", "field", "said"), [
    ("it-caseworker", {"member_state": "IT", "region": "ES-CN"}, "encounter.region",
     "ES-CN (Canary Islands) is not a region of IT: IT keeps one clock (Europe/Rome)"),
    ("es-caseworker", {"region": "PT-20"}, "encounter.region",
     "PT-20 (Azores) is not a region of ES: give one of ES's, ES-CN (Canary Islands), or none"),
    ("es-caseworker", {"region": "ES-XX"}, "encounter.region", "'ES-XX' is not a region with a clock of its own"),
    ("es-caseworker", {"region": None, "time_zone": "Europe/Lisbon"}, "encounter.time_zone",
     "'Europe/Lisbon' is not a time zone of ES: give one of Europe/Madrid, Atlantic/Canary"),
    ("es-caseworker", {"time_zone": "Europe/Madrid"}, "encounter.time_zone",
     "Europe/Madrid is not the clock of ES-CN (Canary Islands), which is Atlantic/Canary"),
])
def test_a_region_or_zone_not_of_the_state_is_refused_naming_the_field(
        client, auth_headers, services, user, encounter, field, said):
    before = _count(services)
    r = client.post("/api/v1/registry/arrivals", json=_arrival(**encounter), headers=auth_headers(user))
    assert r.status_code == 422, r.text
    assert _locs(r) == [f"body.{field}"] and said in r.text
    assert _count(services) == before


def _count(services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(encounters)).scalar_one())


def test_the_azores_and_madeira_run_on_their_clocks(services, principal, pt_caseworker):
    from pactum.registry.model import RegisterArrival
    from pactum.services import registry

    officer = principal(pt_caseworker)
    # 00:30 UTC on 25 November is 23:30 on 24 November in the Azores (UTC-1), 00:30 on 25 in Lisbon
    azores = _arrival(member_state="PT", region="PT-20", occurred_at="2026-11-25T00:30:00Z",
                      place="Ponta Delgada", route=None)
    azores["biometrics"] = {"template_ref": "tpl-a1"}
    result = registry.register_arrival(services, officer, RegisterArrival.model_validate(azores))
    assert _recorded_on(services, result.identity_record_id) == date(2026, 11, 24)
    assert result.screening is not None and result.screening.time_zone == "Atlantic/Azores"
    assert result.screening.deadline_at.isoformat() == "2026-12-02T00:59:59+00:00"  # 23:59:59 on 1 Dec, UTC-1
    assert result.encounter is not None and result.encounter.region_name == "Azores"
    # Madeira keeps Lisbon's clock: the same days, shown as Madeira's
    madeira = _arrival(member_state="PT", region="pt-30", occurred_at="2026-11-25T00:30:00Z",
                       place="Funchal", route=None)
    madeira["biometrics"] = {"template_ref": "tpl-m1"}
    result = registry.register_arrival(services, officer, RegisterArrival.model_validate(madeira))
    assert _recorded_on(services, result.identity_record_id) == date(2026, 11, 25)
    assert result.screening is not None and result.screening.time_zone == "Atlantic/Madeira"
    assert result.screening.deadline_at.isoformat() == "2026-12-02T23:59:59+00:00"
    assert result.encounter is not None and result.encounter.region == "PT-30"


def test_the_capture_and_transmission_recorded_later_are_read_on_the_islands_clock(client, auth_headers):
    """Registered with a template reference only; the data taken at 23:30 UTC on 26 November (23:30
    on the islands, 00:30 on 27 in Madrid) and transmitted at 23:45: kept 5 years from 26 November
    (Reg. (EU) 2024/1358 Art 29(6))."""
    headers = auth_headers("es-caseworker")
    data = _arrival(occurred_at="2026-11-26T22:00:00Z")
    data["biometrics"] = {"template_ref": "tpl-c5"}
    record = client.post("/api/v1/registry/arrivals", json=data, headers=headers).json()["identity_record_id"]
    r = client.post(f"/api/v1/registry/records/{record}/capture", headers=headers,
                    json={"template_ref": "tpl-c5", "captured_at": "2026-11-26T23:30:00Z"})
    assert r.status_code == 200, r.text
    assert r.json()["retention_until"] == "2031-11-26"
    r = client.post(f"/api/v1/registry/records/{record}/transmission", headers=headers,
                    json={"transmitted_at": "2026-11-26T23:45:00Z"})
    assert r.status_code == 200, r.text
    assert r.json()["retention_until"] == "2031-11-26"


def test_the_cli_registers_the_region_and_refuses_another_state_s_in_one_line(services, tmp_path):
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "es-caseworker"}
    f = tmp_path / "canary.json"
    f.write_text(json.dumps(CANARY))
    out = runner.invoke(app, ["registry", "register", str(f)], env=env)
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["encounter"]["region"] == "ES-CN"
    assert body["screening"]["deadline_at"] == "2026-12-03T23:59:59Z"
    f.write_text(json.dumps(_arrival(region="PT-30")))
    out = runner.invoke(app, ["registry", "register", str(f)], env=env)
    assert out.exit_code == 2 and out.stderr.count("\n") == 1
    assert "encounter.region" in out.stderr and "PT-30 (Madeira) is not a region of ES" in out.stderr


def test_the_form_offers_the_state_s_clocks_and_counts_on_the_one_chosen(web_client, services):
    officer = web_client("es-caseworker")
    form = officer.get("/registry/register").text
    select_html = re.search(r'<select name="region".*?</select>', form, re.S)
    assert select_html is not None
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html.group(0))
    assert options == [("", "mainland Spain, the Balearic Islands, Ceuta and Melilla (Europe/Madrid)"),
                       ("ES-CN", "Canary Islands (Atlantic/Canary)")]
    # a state with one clock is not asked
    assert 'name="region"' not in web_client("it-caseworker").get("/registry/register").text
    page = officer.post("/registry/register", data={
        "surname": "Diallo", "given_names": "Ousmane", "nationality": "SEN", "kind": "irregular_crossing",
        "occurred_at": "2026-11-26T23:30", "region": "ES-CN", "place": "Arguineguín",
        "route": "Western African Route"}, follow_redirects=True)
    assert page.status_code == 200, page.text
    assert "2026-11-26 23:30 Atlantic/Canary time (2026-11-26 23:30 UTC)" in page.text
    assert "deadline 2026-12-03 23:59 Atlantic/Canary time (2026-12-03 23:59 UTC)" in page.text
    before = _count(services)
    refused = officer.post("/registry/register", data={
        "surname": "Diallo", "nationality": "SEN", "kind": "irregular_crossing",
        "occurred_at": "2026-11-26T23:30", "region": "PT-20"})
    assert refused.status_code == 422
    assert "Where (its clock): PT-20 (Azores) is not a region of ES" in refused.text
    assert _count(services) == before


def test_the_demo_world_s_canary_islands_arrivals_run_on_the_islands_clock(tmp_path) -> None:
    """The Western African (Atlantic) route reaches Spain in the Canary Islands: the demo's encounters
    on it record ES-CN and their screenings end at 23:59:59 on the islands' clock; Spain's other
    arrivals stay on Madrid's."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from pactum.scenario.world import build

    try:
        from .test_responsibility_support import make_world
    except ImportError:  # tests/e2e is not a package
        from test_responsibility_support import make_world  # type: ignore[no-redef]

    world = make_world(tmp_path)
    build(world.services, scale="XS", seed=1, end=date(2026, 11, 28), show_progress=False, only=["registry"])
    with world.services.engine.connect() as conn:
        rows = conn.execute(select(encounters.c.route, encounters.c.region, encounters.c.time_zone,
                                   screenings.c.time_zone.label("screening_zone"), screenings.c.deadline_at)
                            .join(screenings, screenings.c.encounter_id == encounters.c.id, isouter=True)
                            .where(encounters.c.member_state == "ES")).all()
    canary = [r for r in rows if r.route == "Western African Route"]
    assert canary and all(r.region == "ES-CN" and r.time_zone == "Atlantic/Canary" for r in canary)
    screened = [r for r in canary if r.deadline_at is not None]
    assert screened
    for r in screened:
        end = r.deadline_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Atlantic/Canary"))
        assert r.screening_zone == "Atlantic/Canary" and (end.hour, end.minute) == (23, 59)
    others = [r for r in rows if r.route != "Western African Route"]
    assert all(r.region is None and r.time_zone == "Europe/Madrid" for r in others)
