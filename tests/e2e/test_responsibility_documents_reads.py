"""Who read the residence documents and visas a state recorded for its person: the read log.

``GET /api/v1/responsibility/persons/{id}/documents``, the page
``/responsibility/persons/{id}/documents`` and ``pactum responsibility documents PERSON`` hand out
the documents a state issued to a person (kind, days of validity, number), personal data, but left
no trace in the read log that the draft of the person's facts and every other page showing a person
write (``services.reads``; docs/security.md "The read log"). Each is now one read of that person
(``dublin_documents``), on the way in used, the person as the state's own, also when the list is
empty; a refused (403) or missing (404) list logs nothing, and a list whose log cannot be written is
not handed out. A document returned after a change (recorded, corrected, withdrawn) is audited,
not logged as a read.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from pactum.api.app import create_app
from pactum.services.bootstrap import Services
from tests.e2e.test_personal_data_reads import Headers, Login, _cli, _reads, _register, break_read_log

KEYS = (
    "username",
    "authority",
    "member_state",
    "what",
    "channel",
    "record_id",
    "person_id",
    "person_member_state",
    "persons_shown",
    "criteria",
)
PERMIT = {
    "kind": "residence_document",
    "issued_on": "2026-11-21",
    "valid_from": "2026-11-21",
    "valid_until": "2027-11-20",
    "number": "IT-PS-77",
}


def _got(services: Services) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in KEYS) for r in _reads(services)]


def _documents(person: str) -> str:
    return f"/api/v1/responsibility/persons/{person}/documents"


def test_the_list_of_documents_is_one_read_of_the_person_on_each_way_in(
    client: TestClient, auth_headers: Headers, web_client: Login, services: Services
) -> None:
    person = _register(client, auth_headers)["person_id"]
    # recording a document is a change (audited), not a read
    r = client.post(_documents(person), headers=auth_headers("it-dublin"), json=PERMIT)
    assert r.status_code == 201, r.text
    assert _reads(services) == []
    page = web_client("it-dublin").get(f"/responsibility/persons/{person}/documents")
    assert page.status_code == 200 and "IT-PS-77" in page.text
    r = client.get(_documents(person), headers=auth_headers("it-caseworker"))
    assert r.status_code == 200 and r.json()[0]["number"] == "IT-PS-77"
    out = _cli(services, "it-dublin", "responsibility", "documents", person, "--withdrawn")
    assert out.exit_code == 0, out.stderr
    what = "dublin_documents"
    assert _got(services) == [
        ("it-dublin", "IT", "IT", what, "web", None, person, "IT", 1, None),
        ("it-caseworker", "IT", "IT", what, "api", None, person, "IT", 1, None),
        ("it-dublin", "IT", "IT", what, "cli", None, person, "IT", 1, None),
    ]
    # the auditor's page says what was read, in words
    audit = web_client("auditor").get("/audit/reads", params={"person_id": person}).text
    assert audit.count("residence documents and visas of a person recorded for Dublin") == 3


def test_an_empty_list_is_a_read_and_a_refused_or_missing_one_logs_nothing(
    client: TestClient, auth_headers: Headers, web_client: Login, services: Services
) -> None:
    person = _register(client, auth_headers)["person_id"]
    assert client.get(_documents(person), headers=auth_headers("de-dublin")).status_code == 404
    assert client.get(_documents(person), headers=auth_headers("it-analyst")).status_code == 403
    assert client.get(_documents("per_nobody"), headers=auth_headers("it-dublin")).status_code == 404
    assert web_client("de-dublin").get(f"/responsibility/persons/{person}/documents").status_code == 404
    assert _cli(services, "de-dublin", "responsibility", "documents", person).exit_code == 2
    assert _reads(services) == []
    # an empty list says the state recorded no document for the person: a read of them
    r = client.get(_documents(person), headers=auth_headers("it-dublin"))
    assert r.status_code == 200 and r.json() == []
    assert _got(services) == [
        ("it-dublin", "IT", "IT", "dublin_documents", "api", None, person, "IT", 1, None)
    ]


def test_a_list_whose_log_cannot_be_written_is_not_handed_out(
    client: TestClient, auth_headers: Headers, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = _register(client, auth_headers)["person_id"]
    assert client.post(_documents(person), headers=auth_headers("it-dublin"), json=PERMIT).status_code == 201
    break_read_log(monkeypatch)
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        r = c.get(_documents(person), headers=auth_headers("it-dublin"))
    assert r.status_code == 500 and "IT-PS-77" not in r.text
    assert _reads(services) == []
