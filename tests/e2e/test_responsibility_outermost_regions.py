"""France's outermost regions and the responsibility rules: as regards the French Republic, Regulation
(EU) 2024/1351 applies only to its European territory (Art 76), as Regulation (EU) No 604/2013 did
(Art 43). An application made in Mayotte is not one under the AMMR: the determination and the Dublin
case refuse it naming ``application.region``, through the API, the CLI and the form. A crossing into
French Guiana is not an irregular entry into the territory of the Member States as Art 33(1) counts
it: the engine leaves it out and says why. The Dublin unit's draft of the facts places the
application and the entries where the registry recorded the encounters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from pactum.cli.commands.responsibility import app
from tests.e2e.test_responsibility_form import submitted

API = "/api/v1/responsibility"
ART_76 = "Regulation (EU) 2024/1351, Article 76"
ART_43 = "Regulation (EU) No 604/2013, Article 43"
MAYOTTE_REFUSED = ("FR-976 (Mayotte) is outside the territory to which Regulation (EU) 2024/1351 (AMMR) applies: "
                   "as regards the French Republic it applies only to its European territory (Regulation (EU) "
                   "2024/1351, Article 76): an application made there is not an application under it, and no "
                   "Member State responsible is determined for it")
IN_MAYOTTE = {"application": {"registered_in": "FR", "registered_on": "2026-11-27", "region": "FR-976"}}
#: A crossing from Suriname into French Guiana, then an application in Germany.
GUIANA_ENTRY = {"application": {"registered_in": "DE", "registered_on": "2026-11-20"},
                "entries": [{"kind": "irregular_crossing", "member_state": "FR", "on": "2026-10-01",
                             "region": "FR-973"}]}


def _locs(r: Any) -> list[str]:
    return [".".join(str(x) for x in e["loc"]) for e in r.json()["detail"]]


def _msgs(r: Any) -> list[str]:
    return [e["msg"] for e in r.json()["detail"]]


def test_the_api_refuses_a_determination_for_an_application_made_in_mayotte(client, auth_headers) -> None:
    h = auth_headers("fr-dublin")
    r = client.post(f"{API}/determinations", headers=h, json=IN_MAYOTTE)
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.application.region"]
    assert _msgs(r) == [MAYOTTE_REFUSED]
    # under Dublin III (lodged before the cut-over of 1 July 2026) its Article 43 says the same
    before = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "FR", "registered_on": "2026-05-04", "region": "FR-972"}})
    assert before.status_code == 422 and ART_43 in _msgs(before)[0] and "FR-972 (Martinique)" in _msgs(before)[0]
    # metropolitan France (no region) and the Canary Islands are determined as before
    paris = client.post(f"{API}/determinations", headers=h,
                        json={"application": {"registered_in": "FR", "registered_on": "2026-11-27"}})
    assert paris.status_code == 200 and paris.json()["responsible_member_state"] == "FR"
    canaries = client.post(f"{API}/determinations", headers=auth_headers("es-dublin"), json={
        "application": {"registered_in": "ES", "registered_on": "2026-11-27", "region": "ES-CN"}})
    assert canaries.status_code == 200 and canaries.json()["criterion"] == "first_application"
    # a region of another state, named with the state's own
    wrong = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "FR", "registered_on": "2026-11-27", "region": "ES-CN"}})
    assert wrong.status_code == 422 and _locs(wrong) == ["body.application.region"]
    assert _msgs(wrong)[0].startswith("ES-CN (Canary Islands) is not a region of FR: give one of FR's, FR-971")


def test_no_dublin_case_is_recorded_for_an_application_made_in_mayotte(client, auth_headers) -> None:
    h = auth_headers("fr-dublin")
    r = client.post(f"{API}/cases", headers=h, json={"reference": "FR-YT-1", "facts": IN_MAYOTTE})
    assert r.status_code == 422, r.text
    assert MAYOTTE_REFUSED in r.text
    listed = client.get(f"{API}/cases", headers=h).json()
    assert all(c["reference"] != "FR-YT-1" for c in listed)  # nothing written


def test_a_crossing_into_french_guiana_is_not_an_entry_the_criteria_count(client, auth_headers) -> None:
    r = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=GUIANA_ENTRY)
    assert r.status_code == 200, r.text
    body = r.json()
    # without the entry no criterion applies: the first state where the application was registered
    assert (body["responsible_member_state"], body["criterion"]) == ("DE", "first_application")
    step = next(s for s in body["trace"] if s["rule"] == "entries_outside_territory")
    assert step["legal_basis"] == [ART_76]
    assert step["facts"]["entries"] == [GUIANA_ENTRY["entries"][0]]
    assert step["outcome"] == (
        "not taken into account: irregular_crossing FR 2026-10-01 (FR-973 (French Guiana) is outside the "
        "territory to which Regulation (EU) 2024/1351 (AMMR) applies: as regards the French Republic it "
        f"applies only to its European territory ({ART_76})); an entry there is not an entry into the "
        "territory of the Member States as the criteria count it")
    assert step["parameters"] == {"ammr.territorial_scope.european_territory_of_france_only": f"true ({ART_76})"}
    # the same crossing into metropolitan France designates France (Art 33(1))
    paris = {**GUIANA_ENTRY, "entries": [{k: v for k, v in GUIANA_ENTRY["entries"][0].items() if k != "region"}]}
    again = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=paris).json()
    assert (again["responsible_member_state"], again["criterion"]) == ("FR", "irregular_entry")
    assert all(s["rule"] != "entries_outside_territory" for s in again["trace"])


def test_an_earlier_application_made_in_mayotte_is_refused_to_be_left_out(client, auth_headers) -> None:
    r = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json={
        "application": {"registered_in": "DE", "registered_on": "2026-11-20"},
        "earlier_applications": [{"member_state": "FR", "registered_on": "2026-08-03", "region": "FR-976"}]})
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.earlier_applications.0.region"]
    assert _msgs(r)[0].endswith("(Regulation (EU) 2024/1351, Article 76): an application made there is not an "
                                "application under it, nor the first application in a Member State: leave it "
                                "out of the earlier applications")
    # the same application in metropolitan France makes France responsible (Art 16(2))
    paris = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json={
        "application": {"registered_in": "DE", "registered_on": "2026-11-20"},
        "earlier_applications": [{"member_state": "FR", "registered_on": "2026-08-03"}]}).json()
    assert (paris["responsible_member_state"], paris["criterion"]) == ("FR", "first_application")


def test_the_cli_refuses_in_one_line_and_explains_an_entry_left_out(tmp_path: Path) -> None:
    f = tmp_path / "mayotte.json"
    f.write_text(json.dumps(IN_MAYOTTE))
    r = CliRunner().invoke(app, ["determine", str(f)])
    assert r.exit_code == 2, r.output
    assert r.output.strip().splitlines() == [f"error: application.region: {MAYOTTE_REFUSED}"]
    g = tmp_path / "guiana.json"
    g.write_text(json.dumps(GUIANA_ENTRY))
    ok = CliRunner().invoke(app, ["determine", str(g)])
    assert ok.exit_code == 0, ok.output
    out = json.loads(ok.stdout)
    assert out["criterion"] == "first_application"
    assert [s["legal_basis"] for s in out["trace"] if s["rule"] == "entries_outside_territory"] == [[ART_76]]


def _registered_in_mayotte(client, auth_headers) -> str:  # type: ignore[no-untyped-def]
    """A boat from Anjouan reaches Mayotte at 00:30 on 26 November 2026 (UTC+3); the person applies
    there the next day."""
    h = auth_headers("fr-caseworker")
    r = client.post("/api/v1/registry/arrivals", headers=h, json={
        "identity": {"given_names": "Ali", "surname": "Soilihi", "sex": "M", "date_of_birth": "1998-03-02",
                     "nationality": "COM"},
        "encounter": {"member_state": "FR", "occurred_at": "2026-11-25T21:30:00Z", "kind": "irregular_crossing",
                      "place": "Mamoudzou", "region": "FR-976"},
        "biometrics": {"template_ref": "tpl-yt1"}})
    assert r.status_code == 201, r.text
    person_id = str(r.json()["person_id"])
    app_ = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": person_id, "made_on": "2026-11-27", "registered_on": "2026-11-27",
        "context": "apprehended_at_external_border"})
    assert app_.status_code == 201, app_.text
    return person_id


def test_the_draft_places_the_application_and_the_entry_in_mayotte_and_the_case_is_refused(
        client, auth_headers, web_client, services) -> None:
    person_id = _registered_in_mayotte(client, auth_headers)
    h = auth_headers("fr-dublin")
    draft = client.get(f"{API}/persons/{person_id}/facts", headers=h).json()
    facts = draft["facts"]
    assert facts["application"] == {"registered_in": "FR", "registered_on": "2026-11-27", "region": "FR-976"}
    # the crossing is dated on Mayotte's clock (26 November) and keeps its region
    assert facts["entries"] == [{"kind": "irregular_crossing", "member_state": "FR", "on": "2026-11-26",
                                 "region": "FR-976"}]
    source = next(s["source"] for s in draft["sources"] if s["field"] == "application.region")
    assert source.endswith("(irregular crossing), the person's latest recorded by FR up to the day the application "
                           "was made") and "of 2026-11-26" in source
    assert any(t.startswith("The records place the application in FR-976 (Mayotte)") and ART_76 in t
               and "If it was made in metropolitan France, clear the region." in t for t in draft["to_check"])
    # the CLI gives the same draft, and refuses the determination on it in one line
    from pactum.cli.main import app as pactum_app

    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "fr-dublin"}
    out = CliRunner().invoke(pactum_app, ["responsibility", "facts", person_id, "--facts-only"], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == facts
    r = client.post(f"{API}/cases", headers=h, json={"reference": "FR-YT-2", "person_id": person_id,
                                                     "facts": facts})
    assert r.status_code == 422 and MAYOTTE_REFUSED in r.text
    # the form filled in from the records shows Mayotte chosen, and says why when asked to determine
    web = web_client("fr-dublin")
    page = web.get(f"/responsibility/cases?person_id={person_id}").text
    assert '<option value="FR-976" selected>FR-976 Mayotte (FR)</option>' in page
    assert 'id="region-hint"' in page and ART_43 in page
    refused = web.post("/responsibility/cases", data=dict(submitted(page)) | {"determine": "1"})
    assert refused.status_code == 422, refused.text
    assert f"Application, Made in (region): {MAYOTTE_REFUSED}" in refused.text
    assert 'id="application.region-error"' in refused.text


def test_the_form_determines_with_an_entry_region_and_the_case_page_shows_it(web_client) -> None:
    web = web_client("de-dublin")
    page = web.get("/responsibility/cases").text
    assert '<select name="entries[0].region"' in page and '<select name="application.region"' in page
    assert '<select name="earlier_applications[0].region"' in page
    values = dict(submitted(page))
    values.update({"application.registered_on": "2026-11-20", "entries[0].kind": "irregular_crossing",
                   "entries[0].member_state": "FR", "entries[0].on": "2026-10-01", "entries[0].region": "FR-973"})
    done = web.post("/responsibility/cases", data=values | {"determine": "1"})
    assert done.status_code == 200, done.text
    assert "Responsible: <strong>DE</strong>" in done.text
    assert "FR-973 (French Guiana) is outside the territory to which Regulation (EU) 2024/1351 (AMMR) applies" in done.text
    saved = web.post("/responsibility/cases", data=values | {"reference": "DE-GF-1", "save": "1"},
                     follow_redirects=False)
    assert saved.status_code == 303, saved.text
    case = web.get(saved.headers["location"].split("?")[0]).text
    assert "<td>FR-973</td>" in case  # the entries table's Region column


def test_another_state_s_draft_leaves_out_the_application_made_in_mayotte(
        client, auth_headers, services, monkeypatch) -> None:
    """The same person, registered in Mayotte and applying there, later applies in Germany: France's
    applicant record is no earlier application under the AMMR (Art 76), so Germany's draft does not
    give it and no take back rests on it; a French application in metropolitan France would be one.

    The application there writes no applicant record now (Eurodac Art 60:
    tests/e2e/test_registry_outermost_applications.py); the record here is one written before the
    registry skipped them, as a store may hold, made by the earlier rule."""
    from sqlalchemy import insert, select

    from pactum.services import registry
    from pactum.store.tables.identity import identity_links
    from pactum.store.tables.registry import identity_records

    with monkeypatch.context() as before:  # the rule before: every application had its applicant record
        before.setattr(registry, "application_outside_eurodac", lambda *a: None)
        fr_person = _registered_in_mayotte(client, auth_headers)
    h = auth_headers("de-caseworker")
    de = client.post("/api/v1/registry/arrivals", headers=h, json={
        "identity": {"given_names": "Ali", "surname": "Soilihi", "sex": "M", "date_of_birth": "1998-03-02",
                     "nationality": "COM"},
        "encounter": {"member_state": "DE", "occurred_at": "2026-11-28T09:00:00Z", "kind": "in_territory_application"},
        "biometrics": {"template_ref": "tpl-de1"}})
    assert de.status_code == 201, de.text
    de = de.json()
    app_ = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": de["person_id"], "made_on": "2026-11-28", "registered_on": "2026-11-28", "context": "in_territory"})
    assert app_.status_code == 201, app_.text
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == de["person_id"])
                           .order_by(identity_records.c.id)).scalars().first()
        fr_applicant = conn.execute(select(identity_records.c.id).where(
            identity_records.c.person_id == fr_person, identity_records.c.category == "applicant")).scalar_one()
        conn.execute(insert(identity_links).values(
            id="idl_test_yt", record_id=own, linked_record_id=fr_applicant, colour="white", status="automatic",
            verifying_authority="DE", match_probability=0.99, basis={}, created_at=services.clock.now(), version=1))
    draft = client.get(f"{API}/persons/{de['person_id']}/facts", headers=auth_headers("de-dublin")).json()
    assert "earlier_applications" not in draft["facts"]
    said = [t for t in draft["to_check"] if t.startswith("FR recorded an application")]
    assert len(said) == 1 and "which its records place in FR-976 (Mayotte)" in said[0] and ART_76 in said[0]
    assert "no take back rests on it" in said[0] and not any("a take-back may apply" in t for t in draft["to_check"])
    determined = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=draft["facts"]).json()
    assert (determined["responsible_member_state"], determined["criterion"]) == ("DE", "first_application")


def test_the_case_page_names_the_region_the_application_was_made_in(client, auth_headers, web_client) -> None:
    r = client.post(f"{API}/cases", headers=auth_headers("es-dublin"), json={
        "reference": "ES-CN-1",
        "facts": {"application": {"registered_in": "ES", "registered_on": "2026-11-27", "region": "ES-CN"}}})
    assert r.status_code == 201, r.text
    page = web_client("es-dublin").get(f"/responsibility/cases/{r.json()['id']}").text
    assert "registered in ES on 2026-11-27, made in ES-CN (Canary Islands)</dd>" in page
