"""Registration and screening through the HTTP API, as a national authority uses it."""

from __future__ import annotations

import copy
import json
import re

import pytest
from sqlalchemy import func, select

from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import encounters, identity_records, persons

ARRIVAL = {
    "identity": {"given_names": "محمد", "given_names_latin": "Mohammed", "surname": "Haddad",
                 "sex": "M", "date_of_birth": "1996-03", "nationality": "SYR",
                 "documents": [{"type": "passport", "number": "N1234567", "country": "SYR"}]},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-25T06:30:00Z",
                  "kind": "sar_disembarkation", "place": "Lampedusa",
                  "route": "Central Mediterranean Route"},
    "biometrics": {"template_ref": "tpl-1", "captured_at": "2026-11-25T09:00:00Z",
                   "transmitted_at": "2026-11-26T09:00:00Z"},
}


def _count(services, table):
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_registration_computes_eurodac_biometrics_and_screening(client, auth_headers):
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["regime"] == "pact"
    assert body["eurodac"]["category"] == "sar"
    # 5 years from the transmission on 26 November (Reg. (EU) 2024/1358 Art 29(8)), not the capture
    assert body["eurodac"]["retention_until"] == "2031-11-26"
    assert body["biometrics"]["required"] is True
    assert body["biometrics"]["transmission_met"] is True
    s = body["screening"]
    assert s["variant"] == "border"
    assert s["deadline_at"].startswith("2026-12-02")  # 7 days from 25 November
    assert any("2024/1356" in ref for ref in s["legal_basis"])


def test_an_arrival_before_12_june_2026_gets_no_screening_and_old_eurodac_rules(client, auth_headers):
    data = copy.deepcopy(ARRIVAL)
    data["encounter"]["occurred_at"] = "2026-03-10T06:30:00Z"
    data["biometrics"] = {"captured_at": "2026-03-10T08:00:00Z"}
    body = client.post("/api/v1/registry/arrivals", json=data,
                       headers=auth_headers("it-caseworker")).json()
    assert body["regime"] == "pre_pact"
    assert body["screening"] is None
    assert body["eurodac"]["category"] == "irregular_crossing"
    assert body["eurodac"]["retention_until"] == "2027-09-10"  # 18 months, Reg. 603/2013 Art 16(1)


def test_bad_input_gets_422_naming_each_field_and_writes_nothing(client, auth_headers, services):
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["nationality"] = "ZZZ"
    data["identity"]["date_of_birth"] = "1996-13"
    data["encounter"]["kind"] = "teleported"
    headers = auth_headers("it-caseworker")
    before = (_count(services, persons), _count(services, audit_log))
    r = client.post("/api/v1/registry/arrivals", json=data, headers=headers)
    assert r.status_code == 422
    fields = {".".join(map(str, e["loc"][1:])) for e in r.json()["detail"]}
    assert {"identity.nationality", "identity.date_of_birth", "encounter.kind"} <= fields
    assert (_count(services, persons), _count(services, audit_log)) == before



def test_a_nul_character_is_refused_by_name_on_every_route(client, auth_headers, services, web_client):
    """PostgreSQL cannot store U+0000; every store refuses it alike, naming the field."""
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["given_names"] = "Ahmad\x00"
    headers = auth_headers("it-caseworker")
    before = (_count(services, persons), _count(services, audit_log))
    r = client.post("/api/v1/registry/arrivals", json=data, headers=headers)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["detail"]] == [["body", "identity", "given_names"]]
    assert (_count(services, persons), _count(services, audit_log)) == before
    r = client.get("/api/v1/registry/search", params={"name": "x\x00"}, headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "name"]
    r = client.get("/api/v1/registry/persons/per%00", headers=headers)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["path", "person_id"]
    # a web form: the error page names the field
    page = web_client("it-caseworker").post("/registry/register", data={"surname": "Diallo\x00"})
    assert page.status_code == 422 and "Surname: must not contain the NUL character" in page.text
    assert _count(services, persons) == before[0]

def test_contradicting_facts_are_refused_with_the_field(client, auth_headers):
    data = copy.deepcopy(ARRIVAL)
    data["biometrics"]["captured_at"] = "2026-11-24T09:00:00Z"
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "biometrics", "captured_at"]


def test_an_officer_registers_only_for_their_own_state(client, auth_headers):
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("de-caseworker"))
    assert r.status_code == 422
    assert "you register for DE" in r.json()["detail"][0]["msg"]


def test_missing_or_wrong_rights(client, auth_headers):
    assert client.post("/api/v1/registry/arrivals", json=ARRIVAL).status_code == 401
    assert client.post("/api/v1/registry/arrivals", json=ARRIVAL,
                       headers={"Authorization": "Bearer nonsense"}).status_code == 401
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("frontex-analyst"))
    assert r.status_code == 403


def test_another_states_record_is_not_found_not_forbidden(client, auth_headers):
    body = client.post("/api/v1/registry/arrivals", json=ARRIVAL,
                       headers=auth_headers("it-caseworker")).json()
    assert client.get(f"/api/v1/registry/persons/{body['person_id']}",
                      headers=auth_headers("it-caseworker")).status_code == 200
    r = client.get(f"/api/v1/registry/persons/{body['person_id']}", headers=auth_headers("de-caseworker"))
    assert r.status_code == 404
    assert client.get("/api/v1/registry/search?name=haddad",
                      headers=auth_headers("de-caseworker")).json() == []


def test_idempotency_key_registers_once(client, auth_headers, services):
    h = {**auth_headers("it-caseworker"), "Idempotency-Key": "req-42"}
    first = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h)
    second = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h)
    assert first.json() == second.json()
    assert _count(services, encounters) == 1


def test_search_by_name_and_partial_date_of_birth(client, auth_headers):
    h = auth_headers("it-caseworker")
    client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h)
    assert len(client.get("/api/v1/registry/search?name=haddad&date_of_birth=1996-03-14", headers=h).json()) == 1
    assert len(client.get("/api/v1/registry/search?name=haddad&date_of_birth=1996", headers=h).json()) == 1
    assert client.get("/api/v1/registry/search?name=haddad&date_of_birth=1997", headers=h).json() == []
    # the record's time is UTC and says so, as the API's other times (it had no zone)
    created = client.get("/api/v1/registry/search?name=haddad", headers=h).json()[0]["created_at"]
    assert created.endswith(("+00:00", "Z")), created
    assert client.get("/api/v1/registry/search?date_of_birth=19x6", headers=h).status_code == 422


def test_screening_form_and_stale_version_conflict(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    s = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()["screening"]
    url = f"/api/v1/registry/screenings/{s['id']}"
    r1 = client.patch(url, json={"version": 1, "health_check": "no acute condition"}, headers=h)
    assert r1.status_code == 200 and r1.json()["version"] == 2
    # a second officer still holding version 1 must not overwrite silently
    r2 = client.patch(url, json={"version": 1, "vulnerability": "pregnant"}, headers=h)
    assert r2.status_code == 409
    assert "changed by someone else" in r2.json()["detail"]
    done = client.patch(url, json={"version": 2, "applied_for_protection": True, "database_hit": False,
                                   "outcome": "border_procedure"}, headers=h).json()
    assert done["outcome"] == "border_procedure" and done["completed_at"]
    assert client.patch(url, json={"version": 3, "languages": "ar"}, headers=h).status_code == 409


def test_screenings_due_sorted_by_deadline(client, auth_headers):
    h = auth_headers("it-caseworker")
    late = copy.deepcopy(ARRIVAL)
    late["encounter"]["occurred_at"] = "2026-11-27T06:30:00Z"
    late["biometrics"] = {}
    client.post("/api/v1/registry/arrivals", json=late, headers=h)
    client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h)
    due = client.get("/api/v1/registry/screenings/due", headers=h).json()
    assert [d["deadline_at"][:10] for d in due] == ["2026-12-02", "2026-12-04"]


def test_every_write_is_audited_with_before_and_after(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    body = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h).json()
    entries = client.get(f"/api/v1/audit?entity_id={body['identity_record_id']}",
                         headers=auth_headers("it-admin")).json()
    assert entries[0]["action"] == "arrival.registered"
    assert entries[0]["actor"] == "it-caseworker"
    record = entries[0]["after"]["record"]
    assert record["id"] == body["identity_record_id"] and record["nationality"] == "SYR"
    assert record["surname"] == "withheld (identity data)"  # ADR 0009: the chain outlives erasure
    assert client.get("/api/v1/audit", headers=h).status_code == 403


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/docs"])
def test_platform_endpoints(client, path):
    assert client.get(path).status_code == 200


def test_the_api_docs_load_nothing_from_the_network(client):
    page = client.get("/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/vendor/swagger-ui-bundle.js" in assets and "/static/vendor/swagger-ui.css" in assets
    assert not [a for a in assets if "://" in a], assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/redoc").status_code == 404  # FastAPI's ReDoc page would load it from a CDN


def test_token_login_and_me(client):
    r = client.post("/api/v1/auth/token", json={"username": "el-dublin", "password": "pactum-demo"})
    assert r.status_code == 200
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
    assert me == {"user_id": me["user_id"], "username": "el-dublin", "authority": "EL",
                  "member_state": "EL", "roles": ["dublin_unit"]}
    bad = client.post("/api/v1/auth/token", json={"username": "el-dublin", "password": "wrong"})
    assert bad.status_code == 401


def test_every_identity_document_is_kept(client, auth_headers, web_client):
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["documents"].append({"type": "identity_card", "number": "ID-77", "country": "SYR",
                                          "expiry": "2027-01-31"})
    data["identity"]["documents"].append({"type": "passport", "number": "OLD-1", "country": "SYR",
                                          "expiry": "2020-01-01"})
    h = auth_headers("it-caseworker")
    body = client.post("/api/v1/registry/arrivals", json=data, headers=h).json()
    docs = client.get(f"/api/v1/registry/persons/{body['person_id']}", headers=h).json()["documents"]
    assert sorted(d["document_number"] for d in docs) == ["ID-77", "N1234567", "OLD-1"]
    # the page says which document has expired (it read "valid until 2020-01-01")
    page = web_client("it-caseworker").get(f"/registry/persons/{body['person_id']}").text
    assert re.search(r"<td>OLD-1</td><td>.*?</td><td>expired on 2020-01-01</td>", page), page
    assert re.search(r"<td>ID-77</td><td>.*?</td><td>valid until 2027-01-31</td>", page)
    assert "valid until 2020-01-01" not in page


def test_identity_records_keep_script_and_latin_forms(client, auth_headers, services):
    client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    with services.engine.connect() as conn:
        row = conn.execute(select(identity_records)).first()
    assert (row.given_names, row.given_names_latin, row.date_of_birth) == ("محمد", "Mohammed", "1996-03")


def test_malformed_body_and_overlong_idempotency_key_are_named_in_one_422(client, auth_headers, services):
    h = {**auth_headers("it-caseworker"), "Content-Type": "application/json"}
    r = client.post("/api/v1/registry/arrivals", content=b'{"identity": ', headers=h)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", 13], "msg": "JSON decode error",
                                   "type": "json_invalid"}]
    data = copy.deepcopy(ARRIVAL)
    del data["encounter"]
    r = client.post("/api/v1/registry/arrivals", json=data,
                    headers={**h, "Idempotency-Key": "k" * 121})
    assert r.status_code == 422
    locs = [e["loc"] for e in r.json()["detail"]]
    assert ["header", "idempotency-key"] in locs and ["body", "encounter"] in locs
    assert _count(services, encounters) == 0


def test_a_request_without_a_token_is_refused_before_its_body_is_read(client):
    # no token: 401 even for a body that is not JSON
    r = client.post("/api/v1/registry/arrivals", content=b"not json",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_the_route_documents_its_body_header_and_token(client):
    op = client.get("/openapi.json").json()["paths"]["/api/v1/registry/arrivals"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/RegisterArrival")
    assert [p["name"] for p in op["parameters"]] == ["idempotency-key"]
    assert op["security"] == [{"HTTPBearer": []}]
    assert "201" in op["responses"]


@pytest.mark.parametrize(("content_type", "body", "problem"), [
    ("text/plain", json.dumps(ARRIVAL).encode(), "model_attributes_type"),  # not sent as JSON
    (None, json.dumps(ARRIVAL).encode(), "model_attributes_type"),
    ("application/json", b"", "missing"),
    ("application/json", b"[1, 2]", "model_attributes_type"),
])
def test_a_body_that_is_not_a_json_object_is_refused(client, auth_headers, services, content_type,
                                                      body, problem):
    headers = auth_headers("it-caseworker")
    if content_type:
        headers["Content-Type"] = content_type
    r = client.post("/api/v1/registry/arrivals", content=body, headers=headers)
    assert r.status_code == 422
    assert [(e["loc"], e["type"]) for e in r.json()["detail"]] == [(["body"], problem)]
    assert _count(services, encounters) == 0


def test_a_json_body_with_a_charset_or_a_json_subtype_is_read(client, auth_headers):
    for content_type in ("application/json; charset=utf-8", "application/vnd.pactum+json"):
        headers = {**auth_headers("it-caseworker"), "Content-Type": content_type}
        r = client.post("/api/v1/registry/arrivals", content=json.dumps(ARRIVAL).encode(),
                        headers=headers)
        assert r.status_code == 201, r.text


def test_a_check_of_ours_is_said_without_pydantics_value_error_prefix(client, auth_headers, web_client):
    """'SYX' is not a country: the API, the web form and the CLI say so in the same words, not
    pydantic's 'Value error, ...'."""
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["nationality"] = "SYX"
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "'SYX' is not an ISO 3166 alpha-3 country code"
    page = web_client("it-caseworker").post("/registry/register", data={
        "surname": "Rahimi", "given_names": "Ahmad", "nationality": "SYX", "kind": "irregular_crossing",
        "occurred_at": "2026-11-26T04:10"})
    assert page.status_code == 422
    assert "Nationality: &#39;SYX&#39; is not an ISO 3166 alpha-3 country code" in page.text
    assert "Value error" not in page.text
