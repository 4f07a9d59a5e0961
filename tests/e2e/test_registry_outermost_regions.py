"""France's outermost regions (Art 349 TFEU) keep clocks of their own, none with summer time:
Guadeloupe (FR-971, UTC-4), Martinique (FR-972, UTC-4), French Guiana (FR-973, UTC-3), La Réunion
(FR-974, UTC+4), Mayotte (FR-976, UTC+3), Saint-Martin (FR-MF, UTC-4). A French officer's
registration there records the region and runs on its clock: the day of the encounter, which
chooses the regime, and the times shown.

Neither Eurodac nor the screening applies there. Regulation (EU) 2024/1358 does not apply where
Regulation (EU) 2024/1351 does not (Art 60), which applies to France's European territory only (Art
76); before 12 June 2026 Regulation (EU) No 603/2013 Art 42 with Regulation (EU) No 604/2013 Art 43
said the same. The Screening Regulation, a development of the Schengen acquis screening at the
external borders, does not run outside the Schengen area, to which France's outermost regions do not
belong (Convention implementing the Schengen Agreement, Art 138). Metropolitan France, Spain's
Canary Islands and Portugal's Azores and Madeira keep both."""

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
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import encounters, eurodac_records, identity_records, screenings

runner = CliRunner()

EURODAC_OUT = ["Regulation (EU) 2024/1358, Article 60", "Regulation (EU) 2024/1351, Article 76"]
EURODAC_OUT_BEFORE = ["Regulation (EU) No 603/2013, Article 42", "Regulation (EU) No 604/2013, Article 43"]

#: A boat from Anjouan reaches Mayotte at 00:30 on 26 November 2026 (UTC+3): 21:30 UTC on 25 November,
#: 22:30 on 25 November in Paris. Entered in UTC, as the web form asks.
MAYOTTE: dict[str, Any] = {
    "identity": {"given_names": "Ali", "surname": "Soilihi", "sex": "M", "date_of_birth": "1998-03-02",
                 "nationality": "COM"},
    "encounter": {"member_state": "FR", "occurred_at": "2026-11-25T21:30:00Z", "kind": "irregular_crossing",
                  "place": "Mamoudzou", "region": "FR-976"},
    "biometrics": {"template_ref": "tpl-yt1", "captured_at": "2026-11-25T22:00:00Z"},
}


def _arrival(base: dict[str, Any] = MAYOTTE, **encounter: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["encounter"].update(encounter)
    for key in [k for k, v in data["encounter"].items() if v is None]:
        del data["encounter"][key]
    return data


def _recorded_on(services, record_id: str) -> date:
    with services.engine.connect() as conn:
        return conn.execute(select(identity_records.c.recorded_on)
                            .where(identity_records.c.id == record_id)).scalar_one()


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _locs(r) -> list[str]:
    return [".".join(str(x) for x in e["loc"]) for e in r.json()["detail"]]


def test_a_mayotte_arrival_runs_on_mayotte_s_day_with_no_eurodac_record_and_no_screening(
        client, auth_headers, services):
    before = (_count(services, eurodac_records), _count(services, screenings))
    r = client.post("/api/v1/registry/arrivals", json=MAYOTTE, headers=auth_headers("fr-caseworker"))
    assert r.status_code == 201, r.text
    body = r.json()
    # 00:30 on 26 November in Mayotte: an arrival of 26 November (25 November in Paris)
    assert _recorded_on(services, body["identity_record_id"]) == date(2026, 11, 26)
    e = body["encounter"]
    assert (e["region"], e["region_name"], e["time_zone"]) == ("FR-976", "Mayotte", "Indian/Mayotte")
    assert e["occurred_local"] == "2026-11-26T00:30:00+03:00" and e["occurred_at"] == "2026-11-25T21:30:00Z"
    # Eurodac does not apply there (Art 60 with Regulation (EU) 2024/1351 Art 76): no record, no
    # category, no transmission limit; the template the officer took is kept as France's own
    assert body["eurodac"] is None
    b = body["biometrics"]
    assert b["required"] is False and b["transmission_deadline"] is None and b["template_ref"] == "tpl-yt1"
    assert b["legal_basis"] == EURODAC_OUT
    # nor the screening: outside the Schengen area
    assert body["screening"] is None
    assert e["outside_scope"][:2] == EURODAC_OUT
    assert any("Article 138" in line for line in e["outside_scope"])
    assert any("Regulation (EU) 2024/1356" in line for line in e["outside_scope"])
    assert (_count(services, eurodac_records), _count(services, screenings)) == before
    with services.engine.connect() as conn:
        row = conn.execute(select(encounters.c.region, encounters.c.time_zone)
                           .where(encounters.c.id == body["encounter_id"])).one()
        assert tuple(row) == ("FR-976", "Indian/Mayotte")
        after = conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "arrival.registered",
            audit_log.c.entity_id == body["identity_record_id"])).scalar_one()
        after = after if isinstance(after, dict) else json.loads(after)
        assert after["region"] == "FR-976" and after["outside_scope"][:2] == EURODAC_OUT
    # the same moment in metropolitan France: 25 November in Paris, Eurodac and a screening of seven
    # days ending at 23:59:59 on 2 December in Paris (22:59:59 UTC), as before
    paris = client.post("/api/v1/registry/arrivals", json=_arrival(region=None, place="Calais"),
                        headers=auth_headers("fr-caseworker")).json()
    assert _recorded_on(services, paris["identity_record_id"]) == date(2026, 11, 25)
    assert paris["eurodac"]["category"] == "irregular_crossing"
    assert paris["screening"]["deadline_at"] == "2026-12-02T22:59:59Z"
    assert paris["screening"]["time_zone"] == "Europe/Paris"
    assert paris["encounter"]["region"] is None and paris["encounter"]["outside_scope"] == []


@pytest.mark.parametrize(("region", "at", "zone", "day", "local"), [
    # La Réunion, UTC+4 all year: 21:30 UTC on 25 November is 01:30 on 26 November (22:30 on 25 in Paris)
    ("FR-974", "2026-11-25T21:30:00Z", "Indian/Reunion", date(2026, 11, 26), "2026-11-26T01:30:00+04:00"),
    # in summer too: Paris moves to UTC+2, La Réunion does not (23:30 on 15 July in Paris)
    ("FR-974", "2026-07-15T21:30:00Z", "Indian/Reunion", date(2026, 7, 16), "2026-07-16T01:30:00+04:00"),
    # French Guiana, UTC-3: 01:30 UTC on 26 November is 22:30 on 25 November (02:30 on 26 in Paris)
    ("FR-973", "2026-11-26T01:30:00Z", "America/Cayenne", date(2026, 11, 25), "2026-11-25T22:30:00-03:00"),
    # Guadeloupe, Martinique, Saint-Martin, UTC-4
    ("FR-971", "2026-11-26T02:30:00Z", "America/Guadeloupe", date(2026, 11, 25), "2026-11-25T22:30:00-04:00"),
    ("FR-972", "2026-11-26T02:30:00Z", "America/Martinique", date(2026, 11, 25), "2026-11-25T22:30:00-04:00"),
    ("FR-MF", "2026-11-26T02:30:00Z", "America/Marigot", date(2026, 11, 25), "2026-11-25T22:30:00-04:00"),
])
def test_each_outermost_region_counts_its_own_day(client, auth_headers, services, region, at, zone, day, local):
    data = _arrival(region=region, occurred_at=at, place=None)
    data["biometrics"] = {"template_ref": f"tpl-{region}"}
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("fr-caseworker"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert _recorded_on(services, body["identity_record_id"]) == day
    assert body["encounter"]["time_zone"] == zone and body["encounter"]["occurred_local"] == local
    assert body["screening"] is None and body["eurodac"] is None


def test_the_regime_is_that_of_the_region_s_day(client, auth_headers):
    """21:30 UTC on 11 June 2026 is 00:30 on 12 June in Mayotte: a Pact day (Eurodac Art 60 cited),
    not Paris's 11 June (Reg. 603/2013 Art 42). Before, a Mayotte encounter had no Eurodac record
    either, under Regulation (EU) No 603/2013 Art 42 and Regulation (EU) No 604/2013 Art 43, while
    one in metropolitan France had one."""
    headers = auth_headers("fr-caseworker")

    def register(**encounter: Any) -> dict[str, Any]:
        data = _arrival(**encounter)
        data["biometrics"] = {"template_ref": "tpl-yt2"}
        r = client.post("/api/v1/registry/arrivals", json=data, headers=headers)
        assert r.status_code == 201, r.text
        return r.json()

    midnight = register(occurred_at="2026-06-11T21:30:00Z")
    assert midnight["regime"] == "pact" and midnight["biometrics"]["legal_basis"] == EURODAC_OUT
    assert midnight["screening"] is None
    before = register(occurred_at="2026-05-10T08:00:00Z")
    assert before["regime"] == "pre_pact" and before["eurodac"] is None
    assert before["biometrics"]["legal_basis"] == EURODAC_OUT_BEFORE
    assert before["encounter"]["outside_scope"] == EURODAC_OUT_BEFORE  # no screening existed then
    paris = register(occurred_at="2026-05-10T08:00:00Z", region=None)
    assert paris["eurodac"] is not None and paris["eurodac"]["category"] == "irregular_crossing"


def test_an_offset_places_the_encounter_only_where_one_region_keeps_it(client, auth_headers, services):
    headers = auth_headers("fr-caseworker")
    # -03:00 is French Guiana's clock alone
    guiana = _arrival(region=None, occurred_at="2026-11-25T22:30:00-03:00", place="Saint-Georges")
    guiana["biometrics"] = {"template_ref": "tpl-gf1"}
    body = client.post("/api/v1/registry/arrivals", json=guiana, headers=headers).json()
    assert body["encounter"]["region"] == "FR-973" and body["encounter"]["time_zone"] == "America/Cayenne"
    assert _recorded_on(services, body["identity_record_id"]) == date(2026, 11, 25)
    # -04:00 is Guadeloupe's, Martinique's and Saint-Martin's: Pactum does not guess which
    before = _count(services, encounters)
    antilles = _arrival(region=None, occurred_at="2026-11-25T22:30:00-04:00")
    antilles["biometrics"] = {"template_ref": "tpl-mq1"}
    r = client.post("/api/v1/registry/arrivals", json=antilles, headers=headers)
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.encounter.region"]
    assert ("the offset -04:00 given with the time is the clock of FR-971 (Guadeloupe), FR-972 (Martinique), "
            "FR-MF (Saint-Martin): give the region") in r.text
    assert _count(services, encounters) == before
    antilles["encounter"]["region"] = "FR-972"
    r = client.post("/api/v1/registry/arrivals", json=antilles, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["encounter"]["region_name"] == "Martinique"


@pytest.mark.parametrize(("user", "encounter", "field", "said"), [
    ("es-caseworker", {"member_state": "ES", "region": "FR-971"}, "encounter.region",
     "FR-971 (Guadeloupe) is not a region of ES: give one of ES's, ES-CN (Canary Islands)"),
    ("fr-caseworker", {"region": "ES-CN"}, "encounter.region",
     "ES-CN (Canary Islands) is not a region of FR: give one of FR's, FR-971 (Guadeloupe), FR-972 (Martinique), "
     "FR-973 (French Guiana), FR-974 (La Réunion), FR-976 (Mayotte), FR-MF (Saint-Martin), or none for "
     "metropolitan France, Corsica included (Europe/Paris)"),
    ("fr-caseworker", {"region": "FR-975"}, "encounter.region", "'FR-975' is not a region with a clock of its own"),
    ("fr-caseworker", {"region": None, "time_zone": "Atlantic/Canary"}, "encounter.time_zone",
     "'Atlantic/Canary' is not a time zone of FR: give one of Europe/Paris, America/Guadeloupe"),
    ("fr-caseworker", {"time_zone": "Indian/Reunion"}, "encounter.time_zone",
     "Indian/Reunion is not the clock of FR-976 (Mayotte), which is Indian/Mayotte"),
])
def test_a_region_not_of_the_state_is_refused_naming_the_field(
        client, auth_headers, services, user, encounter, field, said):
    before = _count(services, encounters)
    r = client.post("/api/v1/registry/arrivals", json=_arrival(**encounter), headers=auth_headers(user))
    assert r.status_code == 422, r.text
    assert _locs(r) == [f"body.{field}"] and said in r.text
    assert _count(services, encounters) == before


def test_held_over_72_hours_is_refused_where_no_screening_runs(client, auth_headers, services):
    data = _arrival()
    data["held_over_72h"] = True
    before = _count(services, encounters)
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("fr-caseworker"))
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.held_over_72h"]
    assert "no screening runs in FR-976 (Mayotte), outside the Schengen area" in r.text
    assert _count(services, encounters) == before


def test_the_person_page_and_read_say_what_does_not_apply_there(client, auth_headers, web_client):
    headers = auth_headers("fr-caseworker")
    body = client.post("/api/v1/registry/arrivals", json=MAYOTTE, headers=headers).json()
    person = client.get(f"/api/v1/registry/persons/{body['person_id']}", headers=headers).json()
    e = person["encounters"][0]
    assert e["region"] == "FR-976" and e["time_zone"] == "Indian/Mayotte"
    assert e["outside_scope"][:2] == EURODAC_OUT
    page = web_client("fr-caseworker").get(f"/registry/persons/{body['person_id']}").text
    assert "2026-11-26 00:30 Indian/Mayotte time (2026-11-25 21:30 UTC)" in page
    assert "(Mayotte)" in page
    assert "No Eurodac record and no screening here: Regulation (EU) 2024/1358, Article 60; " \
           "Regulation (EU) 2024/1351, Article 76" in page
    assert "transmit by" not in page and "Below the minimum age" not in page


def test_the_form_lists_france_s_regions_and_registers_on_the_one_chosen(web_client, services):
    officer = web_client("fr-caseworker")
    form = officer.get("/registry/register").text
    select_html = re.search(r'<select name="region".*?</select>', form, re.S)
    assert select_html is not None
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html.group(0))
    assert options == [("", "metropolitan France, Corsica included (Europe/Paris)"),
                       ("FR-971", "Guadeloupe (America/Guadeloupe)"),
                       ("FR-972", "Martinique (America/Martinique)"),
                       ("FR-973", "French Guiana (America/Cayenne)"),
                       ("FR-974", "La Réunion (Indian/Reunion)"),
                       ("FR-976", "Mayotte (Indian/Mayotte)"),
                       ("FR-MF", "Saint-Martin (America/Marigot)")]
    before = _count(services, screenings)
    page = officer.post("/registry/register", data={
        "surname": "Soilihi", "given_names": "Ali", "nationality": "COM", "kind": "irregular_crossing",
        "occurred_at": "2026-11-25T21:30", "region": "FR-976", "place": "Mamoudzou"}, follow_redirects=True)
    assert page.status_code == 200, page.text
    assert "2026-11-26 00:30 Indian/Mayotte time (2026-11-25 21:30 UTC)" in page.text
    assert "No Eurodac record and no screening here" in page.text
    assert _count(services, screenings) == before
    refused = officer.post("/registry/register", data={
        "surname": "Soilihi", "nationality": "COM", "kind": "irregular_crossing",
        "occurred_at": "2026-11-25T21:30", "region": "ES-CN"})
    assert refused.status_code == 422
    assert "Where (its clock): ES-CN (Canary Islands) is not a region of FR" in refused.text


def test_the_cli_registers_a_reunion_arrival_and_refuses_another_state_s_region(services, tmp_path):
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "fr-caseworker"}
    f = tmp_path / "reunion.json"
    f.write_text(json.dumps(_arrival(region="FR-974", place="Le Port")))
    out = runner.invoke(app, ["registry", "register", str(f)], env=env)
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["encounter"]["region"] == "FR-974" and body["encounter"]["time_zone"] == "Indian/Reunion"
    assert body["encounter"]["occurred_local"] == "2026-11-26T01:30:00+04:00"
    assert body["screening"] is None and body["biometrics"]["legal_basis"] == EURODAC_OUT
    f.write_text(json.dumps(_arrival(region="PT-20")))
    out = runner.invoke(app, ["registry", "register", str(f)], env=env)
    assert out.exit_code == 2 and out.stderr.count("\n") == 1
    assert "encounter.region" in out.stderr and "PT-20 (Azores) is not a region of FR" in out.stderr
