"""The first application decides where no criterion applies (Dublin III Art 3(2): lodged; AMMR
Art 16(2): registered): an earlier application in another Member State is a fact of the
determination (``earlier_applications``), filled in from the person's records, typed on the form and
shown on the case page. And a case recorded for a registered person carries the person's name."""

from __future__ import annotations

from sqlalchemy import insert, select

from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from tests.e2e.test_registry_api import ARRIVAL
from tests.e2e.test_responsibility_form import _registered_with_application, submitted

API = "/api/v1/responsibility"


def test_an_earlier_application_in_another_state_decides_under_each_regime(client, auth_headers) -> None:
    h = auth_headers("de-dublin")
    ammr = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "DE", "registered_on": "2026-10-01"},
        "earlier_applications": [{"member_state": "AT", "registered_on": "2026-09-20"},
                                 {"member_state": "EL", "registered_on": "2026-09-01"}]}).json()
    assert (ammr["responsible_member_state"], ammr["criterion"]) == ("EL", "first_application")
    assert ammr["legal_basis"] == ["Regulation (EU) 2024/1351, Article 16(2)"]
    assert "registered there on 2026-09-01" in ammr["trace"][-1]["outcome"]
    d3 = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "DE", "registered_on": "2026-03-01"},
        "earlier_applications": [{"member_state": "GR", "registered_on": "2025-12-01"}]}).json()
    assert (d3["responsible_member_state"], d3["criterion"]) == ("EL", "first_application")
    assert d3["legal_basis"] == ["Regulation (EU) No 604/2013, Article 3(2)"]
    assert "lodged there on 2025-12-01" in d3["trace"][-1]["outcome"]
    # without one, the state of registration; a criterion still comes first
    alone = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "DE", "registered_on": "2026-10-01"}}).json()
    assert alone["responsible_member_state"] == "DE"
    entry = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "DE", "registered_on": "2026-10-01"},
        "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-08-01"}],
        "earlier_applications": [{"member_state": "EL", "registered_on": "2026-09-01"}]}).json()
    assert (entry["responsible_member_state"], entry["criterion"]) == ("IT", "irregular_entry")
    # an "earlier" application after this one is refused, the field named
    r = client.post(f"{API}/determinations", headers=h, json={
        "application": {"registered_in": "DE", "registered_on": "2026-10-01"},
        "earlier_applications": [{"member_state": "EL", "registered_on": "2026-10-02"}]})
    assert r.status_code == 422 and "earlier_applications" in r.text and "registered_on" in r.text


def test_the_draft_fills_earlier_applications_from_another_states_linked_applicant_record(
        client, auth_headers, services, web_client) -> None:
    person_id = _registered_with_application(client, auth_headers)  # IT, registered 2026-11-27
    el = client.post("/api/v1/registry/arrivals", headers=auth_headers("el-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "EL", "occurred_at": "2026-07-02T06:30:00Z",
                                 "kind": "border_crossing_point_application"}}).json()
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar()
        recorded = conn.execute(select(identity_records.c.category, identity_records.c.recorded_on)
                                .where(identity_records.c.id == el["identity_record_id"])).one()
        conn.execute(insert(identity_links).values(
            id="idl_test_el", record_id=own, linked_record_id=el["identity_record_id"], colour="white",
            status="automatic", verifying_authority="IT", match_probability=0.99, basis={},
            created_at=services.clock.now(), version=1))
    assert recorded.category == "applicant"
    draft = client.get(f"{API}/persons/{person_id}/facts", headers=auth_headers("it-dublin")).json()
    assert draft["facts"]["earlier_applications"] == [
        {"member_state": "EL", "registered_on": recorded.recorded_on.isoformat()}]
    assert any(s["field"] == "earlier_applications[0]" and el["identity_record_id"] in s["source"]
               for s in draft["sources"])
    assert any("a take-back may apply" in t for t in draft["to_check"])
    # the Eurodac record dates the application; under the AMMR it counts from its registration
    # (Art 16(2)), after which the data are sent to Eurodac (Reg. 2024/1358 Art 15(1)(a)): the officer
    # is told to confirm it with EL, that day or some days before the record, not after it
    on = recorded.recorded_on.isoformat()
    assert any(t.startswith(f"The earlier application in EL is dated {on}")
               and "Under the AMMR it counts from its registration" in t
               and f"confirm the day of the registration with EL, which may be some days before {on}, "
                   "not after it" in t for t in draft["to_check"]), draft["to_check"]
    # the form: a list like the others, filled from the draft, with a row to add
    web = web_client("it-dublin")
    page = web.get(f"/responsibility/cases?person_id={person_id}").text
    assert "Earlier applications" in page and "Article 3(2)" in page and "Article 16(2)" in page
    form = dict(submitted(page))
    assert form["earlier_applications[0].member_state"] == "EL"
    assert form["earlier_applications[0].registered_on"] == recorded.recorded_on.isoformat()
    assert "earlier_applications[1].member_state" in form  # the blank row
    form.update({"reference": "IT-EA-1", "save": "1"})
    r = web.post("/responsibility/cases", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    case = web.get(r.headers["location"].split("?")[0]).text
    assert "<h3>Earlier applications</h3>" in case and "<td>EL</td>" in case


def test_a_case_recorded_for_a_registered_person_carries_the_persons_name(client, auth_headers, web_client) -> None:
    person_id = _registered_with_application(client, auth_headers)
    h = auth_headers("it-dublin")
    r = client.post(f"{API}/cases", headers=h, json={
        "reference": "IT-NAME-1", "person_id": person_id,
        "facts": {"application": {"registered_in": "IT", "registered_on": "2026-11-27"}}})
    assert r.status_code == 201, r.text
    assert r.json()["applicant_name"] == "Mohammed Haddad"
    listed = client.get(f"{API}/cases", headers=h).json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert next(c for c in rows if c["reference"] == "IT-NAME-1")["applicant_name"] == "Mohammed Haddad"
    assert "Mohammed Haddad" in web_client("it-dublin").get("/responsibility/cases").text
    # a name typed is kept as typed
    r = client.post(f"{API}/cases", headers=h, json={
        "reference": "IT-NAME-2", "person_id": person_id, "applicant_name": "M. Haddad",
        "facts": {"application": {"registered_in": "IT", "registered_on": "2026-11-27"}}})
    assert r.json()["applicant_name"] == "M. Haddad"
