"""Who read the draft of a person's facts for a Dublin determination: the read log.

``GET /api/v1/responsibility/persons/{id}/facts``, the determination form filled in from a person's
records (``/responsibility/cases?person_id=``) and ``pactum responsibility facts PERSON`` hand out a
draft built from the person's personal data (the date of birth, the asylum application, the
entries, the screening's family and vulnerabilities), but left no trace in the read log that every
other page showing a person writes. Each is now one read of that person (``dublin_facts_draft``),
on the way in used, the person as the reading state's own; a refused (403) or missing (404) draft
logs nothing, and a draft whose log cannot be written is not handed out. The draft names no other
person: another state's record linked to the person is shown by its state, category and day,
without its identity, and is not logged as a person read (as a Dublin case holding the same facts
logs its applicant only).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from pactum.api.app import create_app
from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from tests.e2e.test_personal_data_reads import Headers, Login, _cli, _reads, _register, break_read_log

KEYS = ("username", "authority", "member_state", "what", "channel", "record_id", "person_id",
        "person_member_state", "persons_shown", "criteria")


def _got(services: Services) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in KEYS) for r in _reads(services)]


def _facts(person: str) -> str:
    return f"/api/v1/responsibility/persons/{person}/facts"


def test_the_draft_of_the_facts_is_one_read_of_the_person_on_each_way_in(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person = _register(client, auth_headers)["person_id"]
    assert _reads(services) == []
    # the form filled in from the person's records, the API's draft, the command line's
    page = web_client("it-dublin").get("/responsibility/cases", params={"person_id": person})
    assert page.status_code == 200 and "Othman" in page.text
    r = client.get(_facts(person), headers=auth_headers("it-caseworker"))
    assert r.status_code == 200 and r.json()["applicant_name"] == "Adel Othman"
    out = _cli(services, "it-dublin", "responsibility", "facts", person)
    assert out.exit_code == 0, out.stderr
    out = _cli(services, "it-caseworker", "responsibility", "facts", person, "--facts-only")
    assert out.exit_code == 0, out.stderr
    draft = "dublin_facts_draft"
    assert _got(services) == [
        ("it-dublin", "IT", "IT", draft, "web", None, person, "IT", 1, None),
        ("it-caseworker", "IT", "IT", draft, "api", None, person, "IT", 1, None),
        ("it-dublin", "IT", "IT", draft, "cli", None, person, "IT", 1, None),
        ("it-caseworker", "IT", "IT", draft, "cli", None, person, "IT", 1, None)]
    assert len({r["read_id"] for r in _reads(services)}) == 4  # four reads, one row each
    # the auditor's page says what was read, in words
    audit = web_client("auditor").get("/audit/reads", params={"person_id": person}).text
    assert audit.count("draft of a person&#39;s facts for a Dublin determination") == 4


def test_a_refused_or_missing_draft_logs_nothing(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person = _register(client, auth_headers)["person_id"]
    # another state's officer: not found; roles that record no Dublin case: refused; an unknown person
    assert client.get(_facts(person), headers=auth_headers("de-dublin")).status_code == 404
    assert client.get(_facts(person), headers=auth_headers("it-analyst")).status_code == 403
    assert client.get(_facts(person), headers=auth_headers("it-return")).status_code == 403
    assert client.get(_facts("per_nobody"), headers=auth_headers("it-dublin")).status_code == 404
    assert web_client("de-dublin").get("/responsibility/cases", params={"person_id": person}).status_code == 404
    assert _cli(services, "de-caseworker", "responsibility", "facts", person).exit_code == 2
    assert _cli(services, "it-dublin", "responsibility", "facts", "per_nobody").exit_code == 2
    assert _reads(services) == []
    # the blank form and the list of recorded cases under it read no draft
    assert web_client("it-dublin").get("/responsibility/cases").status_code == 200
    assert [r["what"] for r in _reads(services)] == []


def test_a_draft_whose_log_cannot_be_written_is_not_handed_out(
        client: TestClient, auth_headers: Headers, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    person = _register(client, auth_headers)["person_id"]

    break_read_log(monkeypatch)
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        r = c.get(_facts(person), headers=auth_headers("it-dublin"))
    assert r.status_code == 500 and "Othman" not in r.text and "2003-01-01" not in r.text
    assert _reads(services) == []


def test_another_states_linked_record_in_the_draft_is_no_person_read(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    """Italy's Eurodac record of the entry, linked to Germany's applicant as the same person, gives
    the draft its entry by state, category and day only: the read is Germany's of its own person."""
    biometrics = {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}
    body = {"identity": {"given_names": "Adel", "surname": "Othman", "sex": "M", "date_of_birth": "2003-01-01",
                         "nationality": "TUN", "documents": []},
            "encounter": {"member_state": "DE", "occurred_at": "2026-11-25T06:30:00Z",
                          "kind": "in_territory_application", "place": "Munich"},
            "biometrics": {**biometrics, "captured_at": "2026-11-25T09:00:00Z",
                           "transmitted_at": "2026-11-25T10:00:00Z"}}
    r = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers("de-caseworker"))
    assert r.status_code == 201, r.text
    de = r.json()
    it_body = {"identity": {**body["identity"]},
               "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:30:00Z",
                             "kind": "irregular_crossing", "place": "Trieste"},
               "biometrics": biometrics}
    r = client.post("/api/v1/registry/arrivals", json=it_body, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    crossing = r.json()
    with services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id="idl_facts_1", record_id=de["identity_record_id"], linked_record_id=crossing["identity_record_id"],
            colour="white", status="verified", verifying_authority="DE", match_probability=0.99,
            basis={"component": "eurodac", "explanation": {}}, created_at=services.clock.now(), version=1))
    r = client.get(_facts(de["person_id"]), headers=auth_headers("de-dublin"))
    assert r.status_code == 200, r.text
    draft = r.json()
    assert {"kind": "irregular_crossing", "member_state": "IT", "on": "2026-11-20"} in draft["facts"]["entries"]
    assert _got(services) == [
        ("de-dublin", "DE", "DE", "dublin_facts_draft", "api", None, de["person_id"], "DE", 1, None)]
    assert crossing["person_id"] not in {r["person_id"] for r in _reads(services)}
