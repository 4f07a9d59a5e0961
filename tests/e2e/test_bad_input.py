"""Bad input found by sweeping every API operation and web form with malformed values (twelfth
session): each used to answer 500, store what it should refuse, or blame the wrong field. Each
now gets a 4xx naming the field, and nothing is written."""

from __future__ import annotations

import copy
import gzip

from sqlalchemy import func, select

from pactum.common.limits import STORE_INTEGER_MAX, too_large_locations
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import persons
from pactum.store.tables.solidarity import solidarity_pledges
from tests.e2e.test_registry_api import ARRIVAL

BIG = "99999999999999999999999"


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _fields(response) -> set[str]:
    return {".".join(str(p) for p in e["loc"][1:]) for e in response.json()["detail"]}


def test_too_large_whole_numbers_are_found_where_they_are():
    body = {"relocations": 10**30, "ok": STORE_INTEGER_MAX, "flag": True,
            "weights": {"family": -(10**19)}, "rows": [1, 2**63]}
    assert too_large_locations(body, ("body",)) == [
        ("body", "relocations"), ("body", "weights", "family"), ("body", "rows", 1)]


def test_a_number_no_store_holds_is_refused_by_name_not_a_500(client, auth_headers, services):
    """``Python int too large to convert to SQLite INTEGER`` was a 500 on every amount."""
    headers = auth_headers("com-solidarity")
    assert client.post("/api/v1/solidarity/cycles", headers=headers,
                       json={"year": 2027, "proposal_on": "2026-10-15"}).status_code == 201
    nl = auth_headers("nl-admin")
    before = (_count(services, solidarity_pledges), _count(services, audit_log))
    r = client.post("/api/v1/solidarity/cycles/2027/pledges", headers=nl,
                    json={"relocations": 10**30, "financial_eur": 5})
    assert r.status_code == 422 and _fields(r) == {"relocations"}
    assert "between" in r.json()["detail"][0]["msg"]
    assert (_count(services, solidarity_pledges), _count(services, audit_log)) == before


def test_the_pledge_form_names_a_bad_number_and_keeps_what_was_typed(client, auth_headers, web_client, services):
    assert client.post("/api/v1/solidarity/cycles", headers=auth_headers("com-solidarity"),
                       json={"year": 2027, "proposal_on": "2026-10-15"}).status_code == 201
    c = web_client("nl-admin")
    cases = [({"year": "abc"}, "Year: &#39;abc&#39; is not a whole number"),
             ({"year": "2027", "relocations": BIG}, "Relocations: must be at most"),
             ({"year": "2027", "financial_eur": "\u00b2"}, "Financial contribution (EUR): &#39;²&#39; is not a whole number"),
             ({"year": "2031"}, "Year: no solidarity cycle for 2031")]
    for data, message in cases:
        r = c.post("/solidarity/pledge", data={**data, "alternative_description": "reception containers"})
        assert r.status_code == 422 and message in r.text, (data, r.status_code)
        assert 'value="reception containers"' in r.text  # the officer's typing is still there
    assert _count(services, solidarity_pledges) == 0
    r = c.post("/solidarity/offsets", data={"year": "abc", "beneficiary_member_state": "IT", "count": "1"})
    assert r.status_code == 422 and "Year: &#39;abc&#39; is not a whole number" in r.text


def test_a_time_limit_beyond_the_calendar_names_the_event(client, auth_headers):
    headers = auth_headers("it-caseworker")
    for body in ({"kind": "eurodac_transmission", "event_at": "9999-12-31T23:59:59Z", "variant": "applicant"},
                 {"kind": "take_charge_request", "event_at": "9999-12-31", "application_registered_on": "2026-07-01"}):
        r = client.post("/api/v1/law/time-limits", headers=headers, json={**body, "member_state": "IT"})
        assert r.status_code == 422 and _fields(r) == {"event_at"}, r.text
        assert "the calendar holds" in r.text


def test_a_capture_or_transmission_in_the_future_is_refused(client, auth_headers, services):
    headers = auth_headers("it-caseworker")
    before = (_count(services, persons), _count(services, audit_log))
    for field, value in (("captured_at", "9999-12-31T23:59:59Z"), ("transmitted_at", "2999-01-01T00:00:00Z"),
                         ("transmitted_at", "2026-11-25T08:00:00Z")):
        data = copy.deepcopy(ARRIVAL)
        data["biometrics"][field] = value
        r = client.post("/api/v1/registry/arrivals", json=data, headers=headers)
        assert r.status_code == 422 and _fields(r) == {f"biometrics.{field}"}, r.text
    assert (_count(services, persons), _count(services, audit_log)) == before


def test_queue_offsets_weeks_and_model_versions_beyond_reason_are_422(client, auth_headers, web_client):
    assert client.get(f"/api/v1/procedures/queue?offset={BIG[:20]}",
                      headers=auth_headers("it-caseworker")).status_code == 422
    it = web_client("it-caseworker")
    r = it.get(f"/procedures?offset={BIG[:20]}")
    assert r.status_code == 422 and "Offset: " in r.text  # the field by its label, not its code
    analyst = web_client("frontex-analyst")
    for week in ("9999-W52", "0001-W01"):
        r = analyst.get(f"/awareness/reports/{week}")
        assert r.status_code == 422 and "between 2000 and 2100" in r.text
    r = web_client("euaa-analyst").get("/identity/model?model_version=\u00b2")
    assert r.status_code == 422 and "model_version" in r.text


def test_a_nul_character_in_the_determination_form_keeps_the_facts_typed(web_client):
    r = web_client("it-dublin").post("/responsibility/cases", data={
        "application.registered_in": "IT", "application.registered_on": "2026-11-20",
        "entries[0].kind": "irregular_crossing", "entries[0].member_state": "EL", "entries[0].on": "2026-10-01",
        "reference": "IT-\x00-1", "save": "1"})
    assert r.status_code == 422 and "reference" in r.text and "NUL" in r.text
    assert 'name="entries[0].on" value="2026-10-01"' in r.text and 'value="IT--1"' in r.text


def test_a_damaged_gzip_file_of_statistics_is_named(client, auth_headers):
    cut = gzip.compress(b"Year,Country of origin\n" * 50)[:30]
    r = client.post("/api/v1/procedures/statistics/import?source=UNHCR", content=cut,
                    headers={**auth_headers("euaa-analyst"), "Content-Type": "application/octet-stream"})
    assert r.status_code == 422 and "gzip" in r.text, r.text


def test_filters_with_values_that_do_not_exist_are_422_not_an_empty_page(web_client):
    com = web_client("com-solidarity")
    r = com.get("/solidarity/transfers?stage=nonsense")
    assert r.status_code == 422 and "Stage: " in r.text and "matched" in r.text
    r = web_client("com-analyst").get("/followup?status=nonsense")  # named as its form labels it
    assert r.status_code == 422 and "Status: &#39;nonsense&#39; is not a filter" in r.text
    r = web_client("it-return").get("/returns/stats?year=0")
    assert r.status_code == 422 and "between 2000 and 2100" in r.text
    r = web_client("it-caseworker").get("/registry/search?date_of_birth=2026-02-30")
    assert r.status_code == 422 and "not a calendar date" in r.text


def test_a_percent_sign_in_a_searched_name_is_a_letter_not_a_wildcard(client, auth_headers, web_client):
    assert client.post("/api/v1/registry/arrivals", json=ARRIVAL,
                       headers=auth_headers("it-caseworker")).status_code == 201
    c = web_client("it-caseworker")
    assert "Haddad" in c.get("/registry/search?name=hadd").text
    r = c.get("/registry/search?name=%25")
    assert r.status_code == 200 and "Haddad" not in r.text


def test_an_address_that_is_no_page_answers_with_a_page_and_the_api_with_json(client, web_client):
    r = web_client("it-caseworker").get("/no-such-page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "There is no such page." in r.text and "<nav" in r.text
    r = client.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}


def test_records_that_point_to_a_person_or_officer_name_only_their_own_state_s(client, auth_headers, services):
    """A Dublin case, an asylum case's assignee: an id typed wrong or another state's was stored
    as given, pointing at nobody."""
    from pactum.services import registry as registry_service
    from tests.e2e.test_responsibility_support import EXAMPLE

    it_person = client.post("/api/v1/registry/arrivals", json=ARRIVAL,
                            headers=auth_headers("it-caseworker")).json()["person_id"]
    de = auth_headers("de-dublin")
    for person_id in ("per_01ZZZZZZZZZZZZZZZZZZZZZZZZ", "", it_person):
        r = client.post("/api/v1/responsibility/cases", headers=de,
                        json={"reference": "DE-1", "person_id": person_id, "facts": EXAMPLE})
        assert r.status_code == 422 and _fields(r) == {"person_id"}, r.text
        assert "is not a person registered in DE" in r.text
    it = auth_headers("it-caseworker")
    for officer in ("x" * 10_000, "de-caseworker"):
        r = client.post("/api/v1/procedures/applications", headers=it, json={
            "person_id": it_person, "made_on": "2026-11-26", "context": "in_territory", "assigned_to": officer})
        assert r.status_code == 422 and _fields(r) == {"assigned_to"}, r.text
    r = client.post("/api/v1/procedures/applications", headers=it, json={
        "person_id": it_person, "made_on": "2026-11-26", "context": "in_territory", "assigned_to": "it-caseworker"})
    assert r.status_code == 201 and r.json()["assigned_to"] == "it-caseworker"
    with services.engine.connect() as conn:
        registry_service.check_own_person(conn, it_person, "IT")


def test_text_of_blanks_only_is_no_text(client, auth_headers, services):
    """A reason, a name, a reference or a document number of spaces passed ``min_length=1``."""
    r = client.post("/api/v1/users", headers=auth_headers("it-admin"), json={
        "username": "it-new", "full_name": "   ", "authority": "IT", "roles": ["caseworker"],
        "password": "a-long-password"})
    assert r.status_code == 422 and _fields(r) == {"full_name"}, r.text
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["documents"][0]["number"] = "   "
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 422 and _fields(r) == {"identity.documents.0.number"}, r.text
    data["identity"]["documents"][0]["number"] = "  N1234567 "
    r = client.post("/api/v1/registry/arrivals", json=data, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201
    person = client.get(f"/api/v1/registry/persons/{r.json()['person_id']}", headers=auth_headers("it-caseworker"))
    assert "N1234567" in person.text and "  N1234567 " not in person.text


def test_erasure_and_the_deadline_sweep_never_run_ahead_of_today(services, principal, client, auth_headers):
    """``retention apply --on 2099-01-01`` erased every Eurodac record and its biometrics, and
    ``responsibility sweep --on 2099-01-01`` lapsed transfers: neither can be undone."""
    from datetime import date

    import pytest

    from pactum.common.errors import ValidationProblem
    from pactum.services import registry as registry_service
    from pactum.services import responsibility as responsibility_service
    from pactum.store.tables.registry import eurodac_records

    assert client.post("/api/v1/registry/arrivals", json=ARRIVAL,
                       headers=auth_headers("it-caseworker")).status_code == 201
    admin = principal("eu-admin")
    with pytest.raises(ValidationProblem) as refused:
        registry_service.apply_retention(services, admin, on=date(2099, 1, 1))
    assert refused.value.problems[0][0] == "on" and "after today" in refused.value.problems[0][1]
    with services.engine.connect() as conn:
        assert conn.execute(select(eurodac_records.c.erased_at)).scalars().all() == [None]
    with pytest.raises(ValidationProblem):
        responsibility_service.sweep(services, admin, today=date(2099, 1, 1))


def test_a_dublin_case_s_application_is_not_registered_in_the_future(client, auth_headers):
    from tests.e2e.test_responsibility_support import EXAMPLE

    facts = copy.deepcopy(EXAMPLE)
    facts["application"]["registered_on"] = "2099-01-01"
    r = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"),
                    json={"reference": "DE-2", "facts": facts})
    assert r.status_code == 422 and _fields(r) == {"facts.application.registered_on"}, r.text


def test_a_request_running_from_an_impossible_hit_date_names_hit_on(client, auth_headers):
    from tests.e2e.test_responsibility_support import EXAMPLE

    de = auth_headers("de-dublin")
    case = client.post("/api/v1/responsibility/cases", headers=de, json={"reference": "DE-3", "facts": EXAMPLE}).json()
    r = client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=de, json={
        "kind": "take_charge", "eurodac_hit": True, "hit_on": "0001-01-01"})
    assert r.status_code == 422 and _fields(r) == {"hit_on"}, r.text
    assert "is in force on 0001-01-01" in r.text and "ammr." not in r.text


def test_a_role_given_twice_is_held_once(client, auth_headers):
    r = client.post("/api/v1/users", headers=auth_headers("it-admin"), json={
        "username": "it-twice", "full_name": "Officer", "authority": "IT",
        "roles": ["caseworker", "caseworker", "dublin_unit"], "password": "a-long-password"})
    assert r.status_code == 201 and r.json()["roles"] == ["caseworker", "dublin_unit"], r.text


def test_a_new_case_or_decision_for_a_person_not_of_the_state_names_person_id_and_keeps_the_form(
        client, auth_headers, web_client):
    de_person = client.post("/api/v1/registry/arrivals", json={
        **ARRIVAL, "encounter": {**ARRIVAL["encounter"], "member_state": "DE"}},
        headers=auth_headers("de-caseworker")).json()["person_id"]
    it = web_client("it-caseworker")
    for person_id in ("per_NOPE", "x" * 10_000, de_person):
        r = it.post("/procedures/new", data={"person_id": person_id, "made_on": "2026-11-26",
                                             "context": "in_territory"})
        assert r.status_code == 422 and "Person: person " in r.text, person_id
        assert "x" * 41 not in r.text.replace('value="' + "x" * 10_000, "")  # the message does not echo it whole
        assert 'value="2026-11-26"' in r.text
    r = web_client("it-return").post("/returns/decisions/new", data={"person_id": "per_NOPE", "issued_on": "2026-11-26"})
    assert r.status_code == 422 and "Person: person per_NOPE not found" in r.text


def test_an_api_query_parameter_the_request_does_not_take_is_422_not_ignored(client, auth_headers):
    """``GET /api/v1/awareness/arrivals.csv?route=Foo`` answered every route, ``reception/series``
    took ``member_state=ZZ`` without a word: a filter the route does not have was silently dropped,
    and the caller read the answer as filtered. The web UI's pages are left alone."""
    h = auth_headers("frontex-analyst")
    r = client.get("/api/v1/awareness/arrivals.csv?route=Foo", headers=h)
    assert r.status_code == 422, r.text
    (d,) = r.json()["detail"]
    assert d["loc"] == ["query", "route"] and d["msg"] == "this request has no parameter 'route': it takes none"
    # a route with parameters names them, and each unknown one once
    r = client.get("/api/v1/registry/search?name=Ahmed&nationalty=SYR&nationalty=AFG", headers=auth_headers("it-caseworker"))
    assert r.status_code == 422, r.text
    (d,) = r.json()["detail"]
    assert d["loc"] == ["query", "nationalty"] and "it takes " in d["msg"] and "limit" in d["msg"]
    # the parameters a route takes, including its dependencies', still work
    assert client.get("/api/v1/registry/search?name=Ahmed&limit=5", headers=auth_headers("it-caseworker")).status_code == 200
