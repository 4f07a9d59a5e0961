"""Residence documents and visas a Member State issued, recorded by its Dublin unit, reach the draft
of the facts of a determination for the same person, in that state or another, so the criterion of
AMMR Art 29 (Dublin III Art 12) applies on the platform's records and the explanation names the
document. Read in the Official Journal text (Italian version): Art 29(2), «lo Stato membro che ha
rilasciato tale visto è competente»; Art 29(4), documents «scaduti ... meno di tre anni» (residence
documents) or «meno di 18 mesi» (visas) «prima della registrazione della domanda»."""

from __future__ import annotations

import json

from sqlalchemy import insert, select

from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from tests.e2e.test_registry_api import ARRIVAL
from tests.e2e.test_responsibility_form import _registered_with_application
from tests.problem_paths import field_path, problem_fields

API = "/api/v1/responsibility"
VISA = {"kind": "visa", "issued_on": "2026-05-02", "valid_from": "2026-06-01", "valid_until": "2026-08-31",
        "number": "FRV-0001", "visa_type": "short_stay"}


def _same_person_in_france(client, auth_headers, services, person_id: str) -> str:  # type: ignore[no-untyped-def]
    """The IT person is also a person of France's registry (found staying illegally there), the two
    identity records joined by an automatic white link (the same person)."""
    fr = client.post("/api/v1/registry/arrivals", headers=auth_headers("fr-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "FR", "occurred_at": "2026-07-02T06:30:00Z",
                                 "kind": "illegal_stay", "place": "Menton"}})
    assert fr.status_code == 201, fr.text
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar()
        conn.execute(insert(identity_links).values(
            id="idl_test_fr", record_id=own, linked_record_id=fr.json()["identity_record_id"], colour="white",
            status="automatic", verifying_authority="IT", match_probability=0.99, basis={},
            created_at=services.clock.now(), version=1))
    return str(fr.json()["person_id"])


def _determined_from_the_draft(client, auth_headers, person_id: str) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    h = auth_headers("it-dublin")
    draft = client.get(f"{API}/persons/{person_id}/facts", headers=h).json()
    r = client.post(f"{API}/determinations", headers=h, json=draft["facts"])
    assert r.status_code == 200, r.text
    return draft, r.json()


def test_a_visa_france_recorded_makes_france_responsible_under_article_29_from_the_records(
        client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)  # IT: disembarked 2026-11-25, registered 11-27
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    # before: the draft has no document; the disembarkation in Italy decides (Art 33(2))
    _draft, before = _determined_from_the_draft(client, auth_headers, it_person)
    assert (before["responsible_member_state"], before["criterion"]) == ("IT", "sar_disembarkation")
    # France's Dublin unit records the short-stay visa France issued (expired 2026-08-31)
    r = client.post(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=VISA)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["issued_by"], doc["kind"], doc["number"], doc["version"]) == ("FR", "visa", "FRV-0001", 1)
    draft, after = _determined_from_the_draft(client, auth_headers, it_person)
    assert draft["facts"]["documents"] == [{
        "kind": "visa", "issued_by": "FR", "valid_from": "2026-06-01", "valid_until": "2026-08-31",
        "visa_type": "short_stay", "record_id": doc["id"], "number": "FRV-0001"}]
    source = next(s["source"] for s in draft["sources"] if s["field"] == "documents[0]")
    assert "recorded by FR" in source and "idl_test_fr" in source and "Article 29" in source
    # a visa expired less than 18 months before the registration counts (Art 29(4)), and comes
    # before the disembarkation (Art 33) in the AMMR's order
    assert (after["responsible_member_state"], after["criterion"]) == ("FR", "visa")
    assert "Regulation (EU) 2024/1351, Article 29(2)" in after["legal_basis"]
    assert "Regulation (EU) 2024/1351, Article 29(4)" in after["legal_basis"]
    step = next(s for s in after["trace"] if s["rule"] == "visa" and s["outcome"].startswith("applies"))
    assert f"number FRV-0001, record {doc['id']}" in step["outcome"]
    # recorded as a case, the document is "used": a correction needs a reason, and is audited
    case = client.post(f"{API}/cases", headers=auth_headers("it-dublin"), json={
        "reference": "IT-DOC-1", "person_id": it_person, "facts": draft["facts"]})
    assert case.status_code == 201, case.text
    fr = auth_headers("fr-dublin")
    listed = client.get(f"{API}/persons/{fr_person}/documents", headers=fr).json()
    assert listed[0]["used_by_cases"] == [{"id": case.json()["id"], "reference": "IT-DOC-1", "member_state": "IT"}]
    fix = {**VISA, "valid_until": "2026-09-30", "version": 1}
    refused = client.put(f"{API}/documents/{doc['id']}", headers=fr, json=fix)
    assert refused.status_code == 409 and "IT-DOC-1" in refused.text and "reason" in refused.text
    ok = client.put(f"{API}/documents/{doc['id']}", headers=fr, json={**fix, "reason": "typing error"})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["valid_until"], ok.json()["version"], ok.json()["corrected_by"]) == ("2026-09-30", 2, "fr-dublin")
    audit = client.get("/api/v1/audit", headers=auth_headers("auditor"), params={"entity_id": doc["id"]})
    assert audit.status_code == 200, audit.text
    entries = {e["action"]: e for e in audit.json()}
    assert {"responsibility.document_recorded", "responsibility.document_corrected"} <= set(entries)
    assert "typing error" in json.dumps(entries["responsibility.document_corrected"])
    # withdrawn, it leaves the draft
    gone = client.post(f"{API}/documents/{doc['id']}/withdraw", headers=fr, json={"version": 2, "reason": "not ours"})
    assert gone.status_code == 200 and gone.json()["withdrawn"] is True
    draft, again = _determined_from_the_draft(client, auth_headers, it_person)
    assert "documents" not in draft["facts"] and again["responsible_member_state"] == "IT"


def test_a_residence_document_expired_three_years_before_the_registration_does_not_count(
        client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)  # registered 2026-11-27 (AMMR)
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    fr = auth_headers("fr-dublin")
    # expired on 2023-11-26: three years end on 2026-11-26, before the registration (Art 29(4))
    old = client.post(f"{API}/persons/{fr_person}/documents", headers=fr, json={
        "kind": "residence_document", "issued_on": "2021-11-20", "valid_from": "2021-11-27",
        "valid_until": "2023-11-26", "number": "FR-TS-77"})
    assert old.status_code == 201, old.text
    draft, result = _determined_from_the_draft(client, auth_headers, it_person)
    assert draft["facts"]["documents"][0]["record_id"] == old.json()["id"]
    assert (result["responsible_member_state"], result["criterion"]) == ("IT", "sar_disembarkation")
    step = next(s for s in result["trace"] if s["rule"] == "residence_document")
    assert step["outcome"].startswith("does not apply") and f"record {old.json()['id']}" in step["outcome"]
    # one day later it is within the three years: France is responsible under Art 29(1) and (4)
    fix = client.put(f"{API}/documents/{old.json()['id']}", headers=fr, json={
        "kind": "residence_document", "issued_on": "2021-11-20", "valid_from": "2021-11-27",
        "valid_until": "2023-11-28", "number": "FR-TS-77", "version": 1})
    assert fix.status_code == 200, fix.text  # no case used it yet: no reason needed
    _draft, within = _determined_from_the_draft(client, auth_headers, it_person)
    assert (within["responsible_member_state"], within["criterion"]) == ("FR", "residence_document")
    assert "Regulation (EU) 2024/1351, Article 29(4)" in within["legal_basis"]


def test_a_residence_document_issued_after_the_registration_is_left_for_cessation(
        client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)
    r = client.post(f"{API}/persons/{it_person}/documents", headers=auth_headers("it-dublin"), json={
        "kind": "residence_document", "issued_on": "2026-11-28", "valid_from": "2026-11-28",
        "valid_until": "2027-11-27"})
    assert r.status_code == 201, r.text
    draft = client.get(f"{API}/persons/{it_person}/facts", headers=auth_headers("it-dublin")).json()
    assert "documents" not in draft["facts"]
    assert any("after the application was registered" in t and "Article 37(1)" in t for t in draft["to_check"])


def test_bad_input_is_refused_naming_the_fields(client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)
    h = auth_headers("it-dublin")
    r = client.post(f"{API}/persons/{it_person}/documents", headers=h, json={
        "kind": "residence_document", "issued_on": "2030-01-01", "valid_from": "2026-01-10",
        "valid_until": "2026-01-01", "visa_type": "short_stay"})
    assert r.status_code == 422, r.text
    fields = {field_path(d["loc"][1:]) for d in r.json()["detail"]}
    assert {"valid_until", "issued_on", "visa_type"} <= fields, fields
    r = client.post(f"{API}/persons/{it_person}/documents", headers=h, json={
        **VISA, "visa_type": "long_stay", "issued_on_behalf_of": "DE"})
    assert r.status_code == 422 and [field_path(d["loc"][1:]) for d in r.json()["detail"]] == ["issued_on_behalf_of"]
    r = client.post(f"{API}/persons/{it_person}/documents", headers=h, json={**VISA, "issued_on_behalf_of": "IT"})
    assert r.status_code == 422 and "the state that issued the visa itself" in r.text
    r = client.post(f"{API}/persons/{it_person}/documents", headers=h, json={**VISA, "kind": "passport"})
    assert r.status_code == 422 and [field_path(d["loc"][1:]) for d in r.json()["detail"]] == ["kind"]
    # nothing half-written
    assert client.get(f"{API}/persons/{it_person}/documents", headers=h).json() == []


def test_another_states_officer_can_neither_write_nor_read_directly(client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    fr = auth_headers("fr-dublin")
    doc = client.post(f"{API}/persons/{fr_person}/documents", headers=fr, json=VISA).json()
    it = auth_headers("it-dublin")
    assert client.post(f"{API}/persons/{fr_person}/documents", headers=it, json=VISA).status_code == 404
    assert client.get(f"{API}/persons/{fr_person}/documents", headers=it).status_code == 404
    assert client.put(f"{API}/documents/{doc['id']}", headers=it, json={**VISA, "version": 1}).status_code == 404
    assert client.post(f"{API}/documents/{doc['id']}/withdraw", headers=it, json={"version": 1}).status_code == 404
    # nor may France's caseworker record one (the Dublin unit does), though they read them
    assert client.post(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-caseworker"),
                       json=VISA).status_code == 403
    assert len(client.get(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-caseworker")).json()) == 1
    # another state's Dublin unit sees it through the draft for its own person only
    assert client.get(f"{API}/persons/{fr_person}/facts", headers=it).status_code == 404
    draft = client.get(f"{API}/persons/{it_person}/facts", headers=it).json()
    assert draft["facts"]["documents"][0]["record_id"] == doc["id"]


def test_the_dublin_page_records_corrects_and_withdraws_with_errors_by_field(
        client, auth_headers, services, web_client) -> None:
    it_person = _registered_with_application(client, auth_headers)
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    web = web_client("fr-dublin")
    url = f"/responsibility/persons/{fr_person}/documents"
    assert "No residence document or visa recorded." in web.get(url).text
    # refused: each field marked and named in the summary, what was typed kept
    bad = web.post(url, data={"kind": "residence_document", "issued_on": "2026-05-02", "valid_from": "2026-06-01",
                              "valid_until": "2026-05-01", "visa_type": "short_stay", "number": "FR-X"})
    assert bad.status_code == 422
    page = bad.text
    assert "Valid until: is before valid_from" in page and "Visa type: applies to visas only" in page
    assert 'name="valid_until" value="2026-05-01" required aria-invalid="true"' in page
    assert 'aria-invalid="true"' in page.split('name="visa_type"')[1].split(">")[0]
    assert 'value="FR-X"' in page
    ok = web.post(url, data={**{k: v for k, v in VISA.items()}}, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    page = web.get(ok.headers["location"]).text
    assert "Document recorded." in page and "FRV-0001" in page and "short stay visa" in page
    doc = client.get(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin")).json()[0]
    # the determination form, filled in from the IT person's records, carries the record; the trace names it
    it_web = web_client("it-dublin")
    from tests.e2e.test_responsibility_form import submitted
    form = dict(submitted(it_web.get(f"/responsibility/cases?person_id={it_person}").text))
    assert form["documents[0].record_id"] == doc["id"] and form["documents[0].number"] == "FRV-0001"
    form["determine"] = "1"
    result = it_web.post("/responsibility/cases", data=form).text
    assert f"number FRV-0001, record {doc['id']}" in result
    # corrected from the page
    edit = web.get(f"{url}?edit={doc['id']}").text
    assert f'name="document_id" value="{doc["id"]}"' in edit and 'value="2026-08-31"' in edit
    fixed = web.post(url, data={**VISA, "valid_until": "2026-09-15", "document_id": doc["id"], "version": "1"},
                     follow_redirects=False)
    assert fixed.status_code == 303, fixed.text
    # withdrawn from the page
    gone = web.post(f"{url}/{doc['id']}/withdraw", data={"version": "2", "reason": "recorded twice"},
                    follow_redirects=False)
    assert gone.status_code == 303
    assert "withdrawn: recorded twice" in web.get(url).text
    # another state's officer: not found
    assert web_client("it-dublin").get(url).status_code == 404


def _cli(services, user: str, *args: str):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from pactum.cli.main import app

    return CliRunner().invoke(app, ["responsibility", *args],
                              env={"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user})


def test_the_command_line_records_lists_and_refuses_in_one_line(client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    r = _cli(services, "fr-dublin", "record-document", fr_person, "--kind", "visa", "--issued-on", "2026-05-02",
             "--valid-from", "2026-06-01", "--valid-until", "2026-05-31", "--visa-type", "short_stay")
    assert r.exit_code == 2 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "valid-until" in r.stderr or "valid_until" in r.stderr, r.stderr
    r = _cli(services, "fr-dublin", "record-document", fr_person, "--kind", "visa", "--issued-on", "02/05/2026",
             "--valid-from", "2026-06-01", "--valid-until", "2026-08-31")
    assert r.exit_code == 2 and "--issued-on" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = _cli(services, "fr-dublin", "record-document", fr_person, "--kind", "visa", "--issued-on", "2026-05-02",
             "--valid-from", "2026-06-01", "--valid-until", "2026-08-31", "--visa-type", "short_stay",
             "--number", "FRV-0001")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    listed = json.loads(_cli(services, "fr-caseworker", "documents", fr_person).stdout)
    assert [d["id"] for d in listed] == [doc["id"]]
    # Italy's Dublin unit: not its person; it determines from its own person's draft
    r = _cli(services, "it-dublin", "documents", fr_person)
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    facts = json.loads(_cli(services, "it-dublin", "facts", it_person, "--facts-only").stdout)
    assert facts["documents"][0]["record_id"] == doc["id"]
    r = _cli(services, "fr-dublin", "withdraw-document", doc["id"], "--version", "1", "--reason", "error")
    assert r.exit_code == 0 and json.loads(r.stdout)["withdrawn"] is True


def _case_from_the_draft(client, auth_headers, person_id: str, reference: str) -> dict:  # type: ignore[no-untyped-def]
    h = auth_headers("it-dublin")
    draft = client.get(f"{API}/persons/{person_id}/facts", headers=h).json()
    r = client.post(f"{API}/cases", headers=h, json={"reference": reference, "person_id": person_id,
                                                     "facts": draft["facts"]})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_residence_document_issued_after_the_registration_makes_the_issuing_state_responsible_art_37_1(
        client, auth_headers, services, web_client) -> None:
    it_person = _registered_with_application(client, auth_headers)  # registered 2026-11-27
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    assert client.post(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"),
                       json=VISA).status_code == 201
    case = _case_from_the_draft(client, auth_headers, it_person, "IT-DOC-37")
    assert case["determination"]["responsible_member_state"] == "FR"
    assert case["responsible_now"]["member_state"] == "FR"
    # Italy issues the applicant a residence document the day after the registration
    h = auth_headers("it-dublin")
    permit = client.post(f"{API}/persons/{it_person}/documents", headers=h, json={
        "kind": "residence_document", "issued_on": "2026-11-28", "valid_from": "2026-11-28",
        "valid_until": "2027-11-27", "number": "IT-PS-9"}).json()
    shown = client.get(f"{API}/cases/{case['id']}", headers=h).json()
    now = shown["responsible_now"]
    assert (now["member_state"], now["rule"], now["shifted"]) == ("IT", "residence_document_issued", True)
    assert now["legal_basis"] == ["Regulation (EU) 2024/1351, Article 37(1)"]
    assert "IT issued the applicant a residence document IT-PS-9 on 2026-11-28" in now["reason"]
    assert f"record {permit['id']}" in now["reason"]
    # no take-charge request lies any more (Italy is responsible; the humanitarian clause stays open)
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_charge"]["lies"] is False and "Article 37(1)" in kinds["take_charge"]["reason"]
    r = client.post(f"{API}/cases/{case['id']}/requests", headers=h,
                    json={"kind": "take_charge", "requested_member_state": "FR"})
    assert r.status_code == 409 and "Article 37(1)" in r.text
    assert "IT-PS-9" in web_client("it-dublin").get(f"/responsibility/cases/{case['id']}").text
    # withdrawn as recorded in error, the determination stands again
    client.post(f"{API}/documents/{permit['id']}/withdraw", headers=h, json={"version": 1})
    assert client.get(f"{API}/cases/{case['id']}", headers=h).json()["responsible_now"]["member_state"] == "FR"


def test_an_absence_does_not_end_the_obligations_of_the_state_whose_valid_residence_document_the_person_holds(
        client, auth_headers, services) -> None:
    it_person = _registered_with_application(client, auth_headers)  # registered 2026-11-27 (AMMR)
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    fr = auth_headers("fr-dublin")
    permit = client.post(f"{API}/persons/{fr_person}/documents", headers=fr, json={
        "kind": "residence_document", "issued_on": "2025-01-02", "valid_from": "2025-01-05",
        "valid_until": "2027-01-04", "number": "FR-TS-12"}).json()
    case = _case_from_the_draft(client, auth_headers, it_person, "IT-DOC-37-4")
    assert (case["determination"]["responsible_member_state"], case["determination"]["criterion"]) == (
        "FR", "residence_document")
    req = client.post(f"{API}/cases/{case['id']}/requests", headers=auth_headers("it-dublin"),
                      json={"kind": "take_charge", "requested_member_state": "FR", "criterion": "residence_document"})
    assert req.status_code == 201, req.text
    # France says the person left ten months before: refused, the permit was valid on the registration
    refuse = {"version": req.json()["version"], "reasons": "The person left.", "refusal_ground": "left_territory",
              "left_on": "2026-01-15", "evidence": "EES exit record of 2026-01-15"}
    r = client.post(f"{API}/requests/{req.json()['id']}/refuse", headers=fr, json=refuse)
    assert r.status_code == 422, r.text
    (d,) = r.json()["detail"]
    assert d["loc"][-1] == "refusal_ground"
    assert "FR-TS-12" in d["msg"] and permit["id"] in d["msg"] and "Article 37(4)" in d["msg"]
    # once the permit is corrected to have ended before, the refusal on that ground stands
    fixed = client.put(f"{API}/documents/{permit['id']}", headers=fr, json={
        "kind": "residence_document", "issued_on": "2025-01-02", "valid_from": "2025-01-05",
        "valid_until": "2026-01-10", "number": "FR-TS-12", "version": 1, "reason": "revoked on 2026-01-10"})
    assert fixed.status_code == 200, fixed.text
    r = client.post(f"{API}/requests/{req.json()['id']}/refuse", headers=fr, json=refuse)
    assert r.status_code == 200, r.text


def test_under_dublin_iii_the_recorded_visa_counts_six_months_after_it_expired_art_12_4(
        client, auth_headers, services) -> None:
    """An application lodged before 1 July 2026 stays under Dublin III (AMMR Art 84(2)): a visa that
    expired seven months before is beyond Art 12(4)'s six months, where the AMMR's 18 would count it."""
    h = auth_headers("it-caseworker")
    body = client.post("/api/v1/registry/arrivals", headers=h, json={
        **ARRIVAL, "identity": {**ARRIVAL["identity"], "date_of_birth": "1996-03-14"},
        "encounter": {**ARRIVAL["encounter"], "occurred_at": "2026-03-01T06:30:00Z"},
        "biometrics": {"template_ref": "tpl-1", "captured_at": "2026-03-01T09:00:00Z",
                       "transmitted_at": "2026-03-02T09:00:00Z"}}).json()
    app_ = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": body["person_id"], "made_on": "2026-03-02", "registered_on": "2026-03-02",
        "context": "in_territory"})
    assert app_.status_code == 201, app_.text
    it_person = str(body["person_id"])
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    fr = auth_headers("fr-dublin")
    visa = client.post(f"{API}/persons/{fr_person}/documents", headers=fr, json={
        "kind": "visa", "issued_on": "2025-05-20", "valid_from": "2025-06-01", "valid_until": "2025-08-01",
        "visa_type": "short_stay", "number": "FRV-D3"}).json()
    draft, result = _determined_from_the_draft(client, auth_headers, it_person)
    assert result["regime"] == "dublin_iii"
    assert any("Regulation (EU) No 604/2013, Article 12" in s["source"] for s in draft["sources"]
               if s["field"] == "documents[0]")
    assert (result["responsible_member_state"], result["criterion"]) == ("IT", "irregular_entry")
    step = next(s for s in result["trace"] if s["rule"] == "residence_document")
    assert step["outcome"].startswith("does not apply") and f"record {visa['id']}" in step["outcome"]
    # expired on 2025-09-03, less than six months before the lodging: France (Art 12(2) and (4))
    client.put(f"{API}/documents/{visa['id']}", headers=fr, json={
        "kind": "visa", "issued_on": "2025-05-20", "valid_from": "2025-06-01", "valid_until": "2025-09-03",
        "visa_type": "short_stay", "number": "FRV-D3", "version": 1})
    _draft, within = _determined_from_the_draft(client, auth_headers, it_person)
    assert (within["responsible_member_state"], within["criterion"]) == ("FR", "visa")
    assert "Regulation (EU) No 604/2013, Article 12(4)" in within["legal_basis"]


def test_a_document_issued_today_on_the_issuing_states_clock_is_accepted(client, auth_headers, services,
                                                                         monkeypatch) -> None:
    """At 23:30 UTC on 28 November it is already 29 November in Paris: a visa France issued that day
    is recorded (the check "not after today" was on the UTC day and refused it); the next day is not."""
    from datetime import UTC, datetime

    from pactum.common.clock import FixedClock

    it_person = _registered_with_application(client, auth_headers)
    fr_person = _same_person_in_france(client, auth_headers, services, it_person)
    monkeypatch.setattr(services, "clock", FixedClock(datetime(2026, 11, 28, 23, 30, tzinfo=UTC)))
    today_in_paris = {**VISA, "issued_on": "2026-11-29", "valid_from": "2026-11-29", "valid_until": "2027-02-28",
                      "number": "FRV-LATE"}
    r = client.post(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=today_in_paris)
    assert r.status_code == 201, r.text
    tomorrow = {**today_in_paris, "issued_on": "2026-11-30", "number": "FRV-NEXT"}
    r = client.post(f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=tomorrow)
    assert r.status_code == 422 and problem_fields(r) == ["issued_on"], r.text
