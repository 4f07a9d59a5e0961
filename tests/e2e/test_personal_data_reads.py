"""Who read a person's personal data (first-day walk): the read log, and the audit by a name.

Reads of personal data left no trace: the audit log records changes, the identity search records
disclosures to other states, but an officer who opened a person's page, a screening or an identity
link, or searched the registry by name, was nowhere recorded (GDPR Art 5(2) and 32; for Eurodac
data Regulation (EU) 2024/1358, Article 41). Each such read is now logged (who, their authority
and state, when, which way in, what, which persons; a search keeps which criteria were given,
never what was typed), and the auditor reads the log at ``/audit/reads``, ``GET
/api/v1/audit/reads`` and ``pactum audit reads``, scoped as the audit log is. The auditor also
searches the audit log by a person's name, through the registry's own name search.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.api.app import create_app
from pactum.cli.main import app
from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import personal_data_reads

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]

ARRIVAL = {
    "identity": {"given_names": "Adel", "surname": "Othman", "sex": "M", "date_of_birth": "2003-01-01",
                 "nationality": "TUN", "documents": []},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:30:00Z", "kind": "sar_disembarkation",
                  "place": "Lampedusa", "route": "Central Mediterranean Route"},
}


def _register(client: TestClient, auth_headers: Headers, surname: str = "Othman", user: str = "it-caseworker",
              ms: str = "IT") -> dict[str, Any]:
    body = {"identity": {**ARRIVAL["identity"], "surname": surname},
            "encounter": {**ARRIVAL["encounter"], "member_state": ms}}
    r = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    return dict(r.json())


def _reads(services: Services) -> list[dict[str, Any]]:
    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(personal_data_reads).order_by(personal_data_reads.c.at, personal_data_reads.c.id))]


def break_read_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every write to the read log fail, as a store that refuses it would: a read whose log
    cannot be written must fail and hand out nothing."""
    from pactum.services import reads

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("the read log is not writable")

    monkeypatch.setattr(reads, "record_read", broken)


def _cli(services: Services, user: str, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"PACTUM_DATABASE_URL": services.settings.database_url,
                                                    "PACTUM_CLI_USER": user})


# ------------------------------------------------------------------ what is logged


def test_opening_a_person_page_logs_one_read_with_the_reader_the_person_and_the_way_in(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person = _register(client, auth_headers)["person_id"]
    assert _reads(services) == []  # a registration is a change (audited), not a read
    r = web_client("it-caseworker").get(f"/registry/persons/{person}")
    assert r.status_code == 200
    [read] = _reads(services)
    assert {k: read[k] for k in ("username", "authority", "member_state", "person_id", "person_member_state",
                                 "what", "channel", "persons_shown", "record_id", "criteria")} == {
        "username": "it-caseworker", "authority": "IT", "member_state": "IT", "person_id": person,
        "person_member_state": "IT", "what": "person_page", "channel": "web", "persons_shown": 1,
        "record_id": None, "criteria": None}
    assert read["user_id"].startswith("usr_") and read["at"] is not None


def test_the_api_and_the_cli_log_their_reads_as_theirs(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    body = _register(client, auth_headers)
    person, screening = body["person_id"], body["screening"]["id"]
    h = auth_headers("it-dublin")
    assert client.get(f"/api/v1/registry/persons/{person}", headers=h).status_code == 200
    assert client.get(f"/api/v1/registry/screenings/{screening}", headers=h).status_code == 200
    assert client.get("/api/v1/registry/search", params={"name": "othman"}, headers=h).status_code == 200
    r = _cli(services, "it-return", "registry", "person", person)
    assert r.exit_code == 0, r.stderr
    r = _cli(services, "it-return", "registry", "search", "--name", "Othman")
    assert r.exit_code == 0, r.stderr
    got = [(x["username"], x["channel"], x["what"], x["person_id"], x["record_id"]) for x in _reads(services)]
    assert got == [("it-dublin", "api", "person_page", person, None),
                   ("it-dublin", "api", "screening", person, screening),
                   ("it-dublin", "api", "registry_search", person, None),
                   ("it-return", "cli", "person_page", person, None),
                   ("it-return", "cli", "registry_search", person, None)]


def test_a_screening_page_is_logged_as_a_read_of_its_person(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    body = _register(client, auth_headers)
    assert web_client("it-caseworker").get(f"/registry/screenings/{body['screening']['id']}").status_code == 200
    [read] = _reads(services)
    assert (read["what"], read["person_id"], read["record_id"], read["channel"]) == (
        "screening", body["person_id"], body["screening"]["id"], "web")


def test_a_search_logs_the_persons_it_showed_and_which_criteria_never_the_name_typed(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    first = _register(client, auth_headers)["person_id"]
    second = _register(client, auth_headers)["person_id"]
    _register(client, auth_headers, surname="Haddad")
    page = web_client("it-caseworker").get("/registry/search", params={"name": "Othman", "date_of_birth": "2003"})
    assert page.status_code == 200
    rows = _reads(services)
    assert sorted(r["person_id"] for r in rows) == sorted([first, second])
    assert {(r["what"], r["criteria"], r["persons_shown"], r["channel"]) for r in rows} == {
        ("registry_search", "name, date of birth", 2, "web")}
    assert len({r["read_id"] for r in rows}) == 1  # one search, a row per person it showed
    assert not any("othman" in str(v).lower() or "2003" in str(v) for r in rows for k, v in r.items() if k != "at")
    # a search that showed nobody is still a search made: one row, no person
    web_client("it-caseworker").get("/registry/search", params={"name": "Nobody"})
    last = _reads(services)[-1]
    assert (last["person_id"], last["persons_shown"], last["criteria"]) == (None, 0, "name")


def test_a_refused_or_missing_page_logs_nothing(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    body = _register(client, auth_headers)
    person, screening = body["person_id"], body["screening"]["id"]
    # another state's officer: not found; a role that reads no person: refused; an unknown id
    assert web_client("de-caseworker").get(f"/registry/persons/{person}").status_code == 404
    assert client.get(f"/api/v1/registry/screenings/{screening}", headers=auth_headers("de-caseworker")).status_code == 404
    assert client.get(f"/api/v1/registry/persons/{person}", headers=auth_headers("it-analyst")).status_code == 403
    assert client.get("/api/v1/registry/search", params={"name": "Othman"},
                      headers=auth_headers("it-analyst")).status_code == 403
    assert client.get("/api/v1/registry/persons/per_nobody", headers=auth_headers("it-caseworker")).status_code == 404
    assert client.get("/api/v1/registry/search", params={"name": ""},
                      headers=auth_headers("it-caseworker")).status_code == 422
    assert _reads(services) == []
    # the page shown is logged, once
    assert web_client("it-caseworker").get(f"/registry/persons/{person}").status_code == 200
    assert [(r["username"], r["person_id"]) for r in _reads(services)] == [("it-caseworker", person)]


def test_a_read_whose_log_cannot_be_written_fails_and_hands_out_nothing(
        client: TestClient, auth_headers: Headers, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    person = _register(client, auth_headers)["person_id"]

    break_read_log(monkeypatch)
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        r = c.get(f"/api/v1/registry/persons/{person}", headers=auth_headers("it-caseworker"))
    assert r.status_code == 500 and "Othman" not in r.text
    assert _reads(services) == []


def test_an_identity_link_page_logs_the_persons_whose_identities_it_shows(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    it = _register(client, auth_headers)
    el_body = {"identity": {**ARRIVAL["identity"], "surname": "Otman"},
               "encounter": {**ARRIVAL["encounter"], "member_state": "EL", "kind": "in_territory_application",
                             "place": "Athens"},
               "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}
    r = client.post("/api/v1/registry/arrivals", json=el_body, headers=auth_headers("el-caseworker"))
    assert r.status_code == 201, r.text
    el = r.json()
    with services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id="idl_read_1", record_id=it["identity_record_id"], linked_record_id=el["identity_record_id"],
            colour="yellow", status="pending", verifying_authority="IT", match_probability=0.8,
            basis={"component": "eurodac", "explanation": {}}, created_at=services.clock.now(), version=1))
    r = client.get("/api/v1/identity/links/idl_read_1", headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    rows = _reads(services)
    assert {(x["what"], x["record_id"], x["channel"], x["person_id"], x["person_member_state"]) for x in rows} == {
        ("identity_link", "idl_read_1", "api", it["person_id"], "IT"),
        ("identity_link", "idl_read_1", "api", el["person_id"], "EL")}
    # Greece's administrator sees that Italy's officer read its person's identity
    seen = client.get("/api/v1/audit/reads", headers=auth_headers("el-admin")).json()
    assert [(x["username"], x["person_id"]) for x in seen] == [("it-caseworker", el["person_id"])]


# ------------------------------------------------------------------ the auditor reads the log


def _reads_by_three(client: TestClient, auth_headers: Headers, web_client: Login) -> tuple[str, str]:
    a = _register(client, auth_headers)["person_id"]
    b = _register(client, auth_headers, surname="Haddad")["person_id"]
    web_client("it-caseworker").get(f"/registry/persons/{a}")
    web_client("it-dublin").get(f"/registry/persons/{a}")
    client.get(f"/api/v1/registry/persons/{b}", headers=auth_headers("it-caseworker"))
    return a, b


def _rows(page: str) -> str:
    """The body of the page's table of reads."""
    return page.split('id="reads"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_auditor_filters_and_pages_the_reads_on_the_page(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    a, b = _reads_by_three(client, auth_headers, web_client)
    auditor = web_client("auditor")
    assert 'href="/audit/reads"' in auditor.get("/audit").text
    page = auditor.get("/audit/reads", params={"person_id": a})
    assert page.status_code == 200
    rows = _rows(page.text)
    assert rows.count("<tr>") == 2 and "it-dublin" in rows and "it-caseworker" in rows and b not in rows
    assert "person&#39;s page" in rows and "<td>web</td>" in rows
    # a page as every page is: a title, one heading, labelled fields, tables with headers
    from tests.e2e.test_web_crawl import page_problems

    assert page_problems(page.text)[0] == []
    rows = _rows(auditor.get("/audit/reads", params={"actor": "it-caseworker"}).text)
    assert rows.count("<tr>") == 2 and "it-dublin" not in rows
    # the days: all on 28 November 2026 (the tests' clock)
    assert "No read of this kind" in auditor.get("/audit/reads", params={"since": "2026-11-29"}).text
    one = auditor.get("/audit/reads", params={"until": "2026-11-28", "since": "2026-11-28"}).text
    assert _rows(one).count("<tr>") == 3
    # paged: the reads-count line says the total and links to the next page
    from pactum.web.views import platform

    old = platform.READS_PAGE
    platform.READS_PAGE = 2
    try:
        first = auditor.get("/audit/reads").text
        assert "3 reads of a person" in first and "showing 1–2" in first
        assert 'href="/audit/reads?offset=2" rel="next"' in first
        second = auditor.get("/audit/reads", params={"offset": "2"}).text
        assert _rows(second).count("<tr>") == 1 and 'rel="prev"' in second
    finally:
        platform.READS_PAGE = old
    assert auditor.get("/audit/reads", params={"since": "someday"}).status_code == 422
    assert page_problems(auditor.get("/audit", params={"person_name": "Othman"}).text)[0] == []


def test_the_api_and_the_cli_list_the_reads_with_their_filters_and_pages(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    a, b = _reads_by_three(client, auth_headers, web_client)
    h = auth_headers("auditor")
    r = client.get("/api/v1/audit/reads", params={"person_id": a}, headers=h)
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "2"
    assert {x["username"] for x in r.json()} == {"it-caseworker", "it-dublin"}
    r = client.get("/api/v1/audit/reads", params={"actor": "it-caseworker", "limit": 1, "offset": 1}, headers=h)
    assert r.headers["X-Total-Count"] == "2" and len(r.json()) == 1
    assert r.json()[0]["person_id"] == a  # newest first: b was read after a
    r = client.get("/api/v1/audit/reads", params={"actor": "it-caseworker", "limit": 1}, headers=h)
    assert [x["person_id"] for x in r.json()] == [b]
    r = client.get("/api/v1/audit/reads", params={"since": "2026-11-29"}, headers=h)
    assert r.json() == [] and r.headers["X-Total-Count"] == "0"
    r = client.get("/api/v1/audit/reads", params={"limit": 0}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "limit"]
    r = _cli(services, "auditor", "audit", "reads", "--person-id", a, "--actor", "it-dublin")
    assert r.exit_code == 0, r.stderr
    [row] = json.loads(r.stdout)
    assert (row["username"], row["person_id"], row["channel"], row["what"]) == ("it-dublin", a, "web", "person_page")
    r = _cli(services, "auditor", "audit", "reads", "--limit", "1", "--offset", "1")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 1
    assert "3 reads in all: 1 printed from offset 1; see the next with --offset 2" in r.stderr
    r = _cli(services, "auditor", "audit", "reads", "--limit", "0")
    assert r.exit_code == 2 and r.stderr.startswith("error: --limit:")


def test_reads_are_scoped_like_the_audit_log(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    a, _ = _reads_by_three(client, auth_headers, web_client)
    # a caseworker reads no log; another state's administrator reads none of Italy's reads
    assert client.get("/api/v1/audit/reads", headers=auth_headers("de-caseworker")).status_code == 403
    assert web_client("de-caseworker").get("/audit/reads").status_code == 403
    r = client.get("/api/v1/audit/reads", params={"person_id": a}, headers=auth_headers("de-admin"))
    assert r.status_code == 200 and r.json() == [] and r.headers["X-Total-Count"] == "0"
    r = _cli(services, "de-caseworker", "audit", "reads")
    assert r.exit_code == 2 and "auditor" in r.stderr
    # Italy's administrator reads Italy's, the platform's auditor every state's
    assert client.get("/api/v1/audit/reads", headers=auth_headers("it-admin")).headers["X-Total-Count"] == "3"
    assert client.get("/api/v1/audit/reads", headers=auth_headers("auditor")).headers["X-Total-Count"] == "3"


# ------------------------------------------------------------------ the audit by a person's name


def test_the_audit_log_is_searched_by_a_persons_name(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    othman = _register(client, auth_headers)
    haddad = _register(client, auth_headers, surname="Haddad")
    # the page: the persons matched are said, and the entries are those of their records
    page = web_client("auditor").get("/audit", params={"person_name": "othman"})
    assert page.status_code == 200
    named = page.text.split('id="named"', 1)[1].split("</details>", 1)[0]
    assert "1 person matched" in named and othman["person_id"] in named and "Othman, Adel" in named
    table = page.text.split('id="audit"', 1)[1]
    assert othman["identity_record_id"] in table and haddad["identity_record_id"] not in table
    # the API names the persons matched in a header; the CLI on standard error
    r = client.get("/api/v1/audit", params={"person_name": "Othman Adel"}, headers=auth_headers("auditor"))
    assert r.status_code == 200 and r.headers["X-Persons-Matched"] == othman["person_id"]
    assert ("arrival.registered", othman["identity_record_id"]) in {(e["action"], e["entity_id"]) for e in r.json()}
    assert haddad["identity_record_id"] not in {e["entity_id"] for e in r.json()}
    r = _cli(services, "auditor", "audit", "list", "--person-name", "othman")
    assert r.exit_code == 0, r.stderr
    assert othman["person_id"] in r.stderr
    assert {e["entity_id"] for e in json.loads(r.stdout)} >= {othman["identity_record_id"]}
    # a name that matches nobody shows no entry (not every entry)
    r = client.get("/api/v1/audit", params={"person_name": "Nobody"}, headers=auth_headers("auditor"))
    assert r.json() == [] and r.headers["X-Persons-Matched"] == ""
    # another state's administrator reaches none of Italy's persons
    r = client.get("/api/v1/audit", params={"person_name": "Othman"}, headers=auth_headers("de-admin"))
    assert r.json() == [] and r.headers["X-Persons-Matched"] == ""
    # the search by name is itself a read, logged with the persons it showed
    searches = [x for x in _reads(services) if x["what"] == "audit_name_search"]
    assert {(x["username"], x["channel"], x["person_id"]) for x in searches if x["person_id"]} == {
        ("auditor", "web", othman["person_id"]), ("auditor", "api", othman["person_id"]),
        ("auditor", "cli", othman["person_id"])}
    # and the read log is searched by name too
    r = client.get("/api/v1/audit/reads", params={"person_name": "Othman"}, headers=auth_headers("auditor"))
    assert r.headers["X-Persons-Matched"] == othman["person_id"]
    assert r.json() and {x["person_id"] for x in r.json()} == {othman["person_id"]}


def test_a_name_search_of_the_audit_is_refused_to_a_caseworker_and_a_blank_name_filters_nothing(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    othman = _register(client, auth_headers)
    haddad = _register(client, auth_headers, surname="Haddad")
    assert client.get("/api/v1/audit", params={"person_name": "Othman"},
                      headers=auth_headers("it-caseworker")).status_code == 403
    assert web_client("it-caseworker").get("/audit", params={"person_name": "Othman"}).status_code == 403
    assert _reads(services) == []  # refused: no search made, nothing logged
    page = web_client("auditor").get("/audit", params={"person_name": "  "})
    assert page.status_code == 200 and 'id="named"' not in page.text
    assert re.search(r'<label>Person&#39;s name <input name="person_name"', page.text) or \
        re.search(r"<label>Person's name <input name=\"person_name\"", page.text)
    table = page.text.split('id="audit"', 1)[1]
    assert othman["identity_record_id"] in table and haddad["identity_record_id"] in table
    assert _reads(services) == []


# ------------------------------------------------------------------ PostgreSQL


@pytest.mark.postgres
def test_reads_are_logged_and_listed_on_postgres(pg_client: TestClient, pg_services: Services) -> None:
    from pactum.services import users
    from tests.conftest import principal_of

    def h(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {users.open_session(pg_services, principal_of(pg_services, username), 'api')}"}

    r = pg_client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h("it-caseworker"))
    assert r.status_code == 201, r.text
    person = r.json()["person_id"]
    assert pg_client.get(f"/api/v1/registry/persons/{person}", headers=h("it-caseworker")).status_code == 200
    assert pg_client.get("/api/v1/registry/search", params={"name": "Othman"}, headers=h("it-dublin")).status_code == 200
    assert pg_client.get("/api/v1/registry/persons/per_nobody", headers=h("it-caseworker")).status_code == 404
    r = pg_client.get("/api/v1/audit/reads", params={"person_id": person}, headers=h("auditor"))
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "2"
    assert [(x["username"], x["what"], x["channel"]) for x in r.json()] == [
        ("it-dublin", "registry_search", "api"), ("it-caseworker", "person_page", "api")]
    r = pg_client.get("/api/v1/audit", params={"person_name": "Othman"}, headers=h("auditor"))
    assert r.status_code == 200 and r.headers["X-Persons-Matched"] == person
    assert pg_client.get("/api/v1/audit/reads", headers=h("de-admin")).json() == []
