"""Who was shown other persons' identities by the identity search, the verification queue and the
comparison of a record: the read log.

The identity search, the verification queue and the candidates of a record's comparison show
persons' identity data (the state's own and, through Eurodac and SIS, other states'), but only the
disclosures to other states were recorded (in the audit log). Each answer that shows candidates or
links is now one read in the read log, a row per person shown, with the state whose person they
are: ``identity_search`` (with which query fields were given, never their values),
``verification_queue``, and ``identity_comparison`` (the compared record as its ``record_id``) on
the way in that showed them. A comparison nobody is shown (the scheduled job, the registration
page, which shows the person's page) logs no read; a refused or empty answer logs none.

Two pages logged one read twice: the person's page after "Search for matches", and the
screening form refused for a version conflict (409). Each now logs one read of each thing shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.identity.schemas import SearchQuery
from pactum.services import identity
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.services.jobs import load_all
from pactum.store.tables.identity import identity_links
from tests.e2e.test_personal_data_reads import ARRIVAL, Headers, Login, _reads, _register

KEYS = ("username", "authority", "what", "channel", "record_id", "criteria", "person_id", "person_member_state",
        "persons_shown")

#: The same man applying in Greece, his name written another way, his Eurodac data taken.
EL_ARRIVAL = {"identity": {**ARRIVAL["identity"], "surname": "Otman"},
              "encounter": {**ARRIVAL["encounter"], "member_state": "EL", "kind": "in_territory_application",
                            "place": "Athens"},
              "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}

QUERY = {"given_names": "Adel", "surname": "Othman", "date_of_birth": "2003"}


def _got(services: Services) -> list[tuple[Any, ...]]:
    return sorted(tuple(r[k] for k in KEYS) for r in _reads(services))


def _cli(services: Services, user: str, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"PACTUM_DATABASE_URL": services.settings.database_url,
                                                    "PACTUM_CLI_USER": user})


def _two_states(client: TestClient, auth_headers: Headers) -> tuple[dict[str, Any], dict[str, Any]]:
    """Italy's record of Adel Othman and Greece's of Adel Otman, an applicant (both through the API:
    nothing compared, nothing read yet)."""
    it = _register(client, auth_headers)
    r = client.post("/api/v1/registry/arrivals", json=EL_ARRIVAL, headers=auth_headers("el-caseworker"))
    assert r.status_code == 201, r.text
    return it, r.json()


def _person_of(it: dict[str, Any], el: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {it["identity_record_id"]: (it["person_id"], "IT"), el["identity_record_id"]: (el["person_id"], "EL")}


# ------------------------------------------------------------------ the identity search


def test_an_identity_search_logs_each_person_it_showed_and_which_fields_were_given(
        client: TestClient, auth_headers: Headers, services: Services, tmp_path: Path) -> None:
    it, el = _two_states(client, auth_headers)
    r = client.post("/api/v1/identity/search", json=QUERY, headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    shown = {_person_of(it, el)[c["identity_record_id"]] for c in r.json()["candidates"]}
    assert shown == {(it["person_id"], "IT"), (el["person_id"], "EL")}  # Greece's applicant through Eurodac
    rows = _reads(services)
    assert len({x["read_id"] for x in rows}) == 1  # one search, a row per person it showed
    assert _got(services) == sorted(
        ("it-caseworker", "IT", "identity_search", "api", None, "given names, surname, date of birth", person, ms, 2)
        for person, ms in shown)
    assert "Othman" not in json.dumps([x["criteria"] for x in rows])  # which fields, never what was typed

    query = tmp_path / "query.json"
    query.write_text(json.dumps({"surname": "Othman", "given_names": "Adel", "document_number": "X1"}))
    done = _cli(services, "it-dublin", "identity", "search", str(query))
    assert done.exit_code == 0, done.stderr
    cli = [x for x in _reads(services) if x["channel"] == "cli"]
    assert {(x["username"], x["what"], x["criteria"]) for x in cli} == {
        ("it-dublin", "identity_search", "given names, surname, document number")}
    assert {x["person_id"] for x in cli} == {_person_of(it, el)[c["identity_record_id"]][0]
                                             for c in json.loads(done.stdout)["candidates"]}
    # Greece's administrator sees that Italy's officers were shown its person
    seen = client.get("/api/v1/audit/reads", headers=auth_headers("el-admin")).json()
    assert {(x["username"], x["what"], x["person_id"]) for x in seen} == {
        ("it-caseworker", "identity_search", el["person_id"]), ("it-dublin", "identity_search", el["person_id"])}


def test_a_refused_or_empty_identity_search_and_a_services_own_search_log_nothing(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    _two_states(client, auth_headers)
    # an analyst searches no identities; an EU body neither; a blank name is refused
    assert client.post("/api/v1/identity/search", json=QUERY, headers=auth_headers("it-analyst")).status_code == 403
    assert client.post("/api/v1/identity/search", json={"surname": "  "},
                       headers=auth_headers("it-caseworker")).status_code == 422
    # a search that showed nobody discloses nobody's data
    r = client.post("/api/v1/identity/search", json={"given_names": "Zygmunt", "surname": "Quaresma",
                                                     "date_of_birth": "1950"}, headers=auth_headers("it-caseworker"))
    assert r.status_code == 200 and r.json()["candidates"] == []
    # another area's service searching for its own page decides itself what it shows (channel=None)
    officer = Principal("usr_x", "it-caseworker", "IT", frozenset({identity.Role.caseworker}))
    assert identity.search(services, officer, SearchQuery(**QUERY))["candidates"]
    assert _reads(services) == []


# ------------------------------------------------------------------ the verification queue


def _yellow_link(services: Services, it: dict[str, Any], el: dict[str, Any], link_id: str = "idl_q_1") -> None:
    with services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=link_id, record_id=it["identity_record_id"], linked_record_id=el["identity_record_id"],
            colour="yellow", status="pending", verifying_authority="IT", match_probability=0.8,
            basis={"component": "eurodac", "explanation": {}}, created_at=services.clock.now(), version=1))


def test_the_verification_queue_logs_both_persons_of_each_link_on_each_way_in(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    it, el = _two_states(client, auth_headers)
    _yellow_link(services, it, el)
    # refused (an analyst verifies no link), and a queue that holds nothing (Greece verifies none)
    assert client.get("/api/v1/identity/links/queue", headers=auth_headers("it-analyst")).status_code == 403
    assert client.get("/api/v1/identity/links/queue", headers=auth_headers("el-caseworker")).json() == []
    assert _reads(services) == []

    page = web_client("it-caseworker").get("/identity/queue")
    assert page.status_code == 200 and "idl_q_1" in page.text
    assert client.get("/api/v1/identity/links/queue", headers=auth_headers("it-dublin")).status_code == 200
    done = _cli(services, "it-return", "identity", "queue")
    assert done.exit_code == 0, done.stderr
    assert _got(services) == sorted(
        (user, "IT", "verification_queue", channel, None, None, person, ms, 2)
        for user, channel in (("it-caseworker", "web"), ("it-dublin", "api"), ("it-return", "cli"))
        for person, ms in ((it["person_id"], "IT"), (el["person_id"], "EL")))
    assert len({x["read_id"] for x in _reads(services)}) == 3  # one read per answer
    page = web_client("auditor").get("/audit/reads", params={"person_id": el["person_id"]}).text
    assert page.count("identity verification queue") == 3


# ------------------------------------------------------------------ the comparison of a record


def test_search_for_matches_logs_one_read_of_the_page_and_one_of_the_candidates_it_lists(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    it, el = _two_states(client, auth_headers)
    officer = web_client("it-caseworker")
    r = officer.post(f"/registry/persons/{it['person_id']}/matches", data={"record_id": it["identity_record_id"]})
    assert r.status_code == 200, r.text
    assert el["identity_record_id"] in r.text  # Greece's applicant is listed
    assert _got(services) == sorted([
        ("it-caseworker", "IT", "person_page", "web", None, None, it["person_id"], "IT", 1),
        ("it-caseworker", "IT", "identity_comparison", "web", it["identity_record_id"], None, el["person_id"],
         "EL", 1),
        # the link the comparison made, which the page then lists with Greece's identity
        ("it-caseworker", "IT", "person_links", "web", None, None, el["person_id"], "EL", 1)])
    # the page reads each thing it shows once: the person's page was logged twice before

    # a search for a record that is not the person's is refused: the page again, read once
    r = officer.post(f"/registry/persons/{it['person_id']}/matches", data={"record_id": el["identity_record_id"]})
    assert r.status_code == 422
    assert [x["what"] for x in _reads(services)].count("person_page") == 2
    assert [x["what"] for x in _reads(services)].count("identity_comparison") == 1


def test_the_api_and_the_cli_log_the_candidates_of_a_comparison_they_hand_out(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    it, el = _two_states(client, auth_headers)
    h = auth_headers("it-caseworker")
    r = client.post(f"/api/v1/identity/records/{it['identity_record_id']}/candidates", headers=h)
    assert r.status_code == 200, r.text
    assert {c["identity_record_id"] for c in r.json()} == {el["identity_record_id"]}
    r = client.get(f"/api/v1/identity/records/{it['identity_record_id']}/comparison", headers=auth_headers("it-dublin"))
    assert r.status_code == 200 and r.json()["status"] == "compared"
    done = _cli(services, "it-return", "identity", "comparison", it["identity_record_id"])
    assert done.exit_code == 0, done.stderr
    assert _got(services) == sorted(
        (user, "IT", "identity_comparison", channel, it["identity_record_id"], None, el["person_id"], "EL", 1)
        for user, channel in (("it-caseworker", "api"), ("it-dublin", "api"), ("it-return", "cli")))
    # Greece's record is not Italy's to compare: not found, nothing read
    assert client.post(f"/api/v1/identity/records/{el['identity_record_id']}/candidates",
                       headers=h).status_code == 404
    assert len(_reads(services)) == 3


def test_a_registration_logs_the_candidates_its_officer_is_shown_and_the_job_logs_none(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services, tmp_path: Path) -> None:
    it, el = _two_states(client, auth_headers)
    # the scheduled job compares the records registered through the API: nobody is shown anything
    assert load_all()["identity_comparison"].fn(services, services.clock.now()).startswith("2 identity records")
    assert _reads(services) == []

    # the registration page compares at once and lands on the person's page, whose read it is
    r = web_client("it-caseworker").post("/registry/register", data={
        "surname": "Othman", "given_names": "Adel", "sex": "M", "date_of_birth": "2003-01-01",
        "nationality": "TUN", "kind": "in_territory_application", "occurred_at": "2026-11-21T09:00",
        "place": "Roma"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert _reads(services) == []

    # the command line prints the candidates worth a look on standard error: a read of theirs
    arrival = tmp_path / "arrival.json"
    arrival.write_text(json.dumps({**ARRIVAL, "encounter": {**ARRIVAL["encounter"],
                                                            "occurred_at": "2026-11-22T06:30:00Z"}}))
    done = _cli(services, "it-caseworker", "registry", "register", str(arrival))
    assert done.exit_code == 0, done.stderr
    record = json.loads(done.stdout)["identity_record_id"]
    listed = [line.split()[0] for line in done.stderr.splitlines() if line.startswith("  ")]
    assert el["identity_record_id"] in listed and it["identity_record_id"] in listed
    rows = _reads(services)
    assert {(x["username"], x["what"], x["channel"], x["record_id"]) for x in rows} == {
        ("it-caseworker", "identity_comparison", "cli", record)}
    assert {x["person_id"] for x in rows} >= {it["person_id"], el["person_id"]}
    assert len(rows) == rows[0]["persons_shown"] and len({x["read_id"] for x in rows}) == 1


def test_a_correction_logs_the_candidates_its_answer_hands_out_not_those_the_page_counts(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    it, el = _two_states(client, auth_headers)
    record = it["identity_record_id"]
    # on the page the officer reads only how many candidates the comparison found
    r = web_client("it-caseworker").post(f"/registry/records/{record}/correct", data={
        "surname": "Othmane", "given_names": "Adel", "sex": "M", "date_of_birth": "2003-01-01",
        "nationality": "TUN", "reason": "spelling on the passport", "version": "1"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert _reads(services) == []
    r = client.post(f"/api/v1/registry/records/{record}/corrections", headers=auth_headers("it-caseworker"),
                    json={"changes": {"surname": "Othman"}, "reason": "as first written", "version": 2})
    assert r.status_code == 200, r.text
    assert {c["identity_record_id"] for c in r.json()["comparison"]["candidates"]} == {el["identity_record_id"]}
    done = _cli(services, "it-caseworker", "registry", "correct", record, "--surname", "Othmann",
                "--reason", "the officer's second reading", "--version", "3")
    assert done.exit_code == 0, done.stderr
    assert [(x["what"], x["channel"], x["record_id"], x["person_id"]) for x in _reads(services)] == [
        ("identity_comparison", "api", record, el["person_id"]),
        ("identity_comparison", "cli", record, el["person_id"])]


# ------------------------------------------------------------------ one read per page


def test_a_screening_refused_for_a_version_conflict_is_read_once(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    body = _register(client, auth_headers)
    screening = body["screening"]["id"]
    # another officer saves the screening first (version 1 becomes 2)
    r = client.patch(f"/api/v1/registry/screenings/{screening}", headers=auth_headers("it-caseworker"),
                     json={"version": 1, "languages": "ar"})
    assert r.status_code == 200, r.text
    r = web_client("it-caseworker").post(f"/registry/screenings/{screening}",
                                         data={"version": "1", "languages": "fr"})
    assert r.status_code == 409
    assert "ar" in r.text and "fr" in r.text  # what is on file, and what the officer typed
    assert _got(services) == [("it-caseworker", "IT", "screening", "web", screening, None, body["person_id"],
                               "IT", 1)]
