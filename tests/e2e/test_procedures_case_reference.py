"""A short reference for every asylum case, which an officer can read out on the phone or write in
a letter: ``IT-2026-000001`` (the state, the year the application was made, a running number per
state and year), given when the case is recorded, shown on the case page, in the queue (page, API,
CSV, CLI) and in the case's JSON, and accepted wherever a case id is; the id stays the case's key."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from pactum.services.bootstrap import Services
from pactum.store.tables.procedures import asylum_applications
from tests.e2e.test_personal_data_reads import Headers, Login, _cli, _reads, _register

API = "/api/v1/procedures/applications"


def _apply(client: TestClient, auth_headers: Headers, surname: str, made_on: str, user: str = "it-caseworker",
           ms: str = "IT") -> dict[str, Any]:
    person = _register(client, auth_headers, surname=surname, user=user, ms=ms)["person_id"]
    r = client.post(API, headers=auth_headers(user), json={"person_id": person, "made_on": made_on,
                                                           "context": "in_territory"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_each_state_numbers_its_cases_of_a_year_from_one(client: TestClient, auth_headers: Headers) -> None:
    first = _apply(client, auth_headers, "Othman", "2026-11-25")
    second = _apply(client, auth_headers, "Haddad", "2026-11-26")
    german = _apply(client, auth_headers, "Weber", "2026-11-26", user="de-caseworker", ms="DE")
    assert [first["reference"], second["reference"], german["reference"]] == [
        "IT-2026-000001", "IT-2026-000002", "DE-2026-000001"]
    assert first["id"].startswith("asy_")  # the id stays the key


def test_the_reference_is_shown_in_the_queue_the_csv_the_case_page_and_the_cli(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    case = _apply(client, auth_headers, "Othman", "2026-11-25")
    h = auth_headers("it-caseworker")
    [row] = client.get("/api/v1/procedures/queue", headers=h).json()
    assert (row["id"], row["reference"]) == (case["id"], "IT-2026-000001")
    [line] = list(csv.DictReader(io.StringIO(client.get("/api/v1/procedures/queue.csv", headers=h).text)))
    assert (line["id"], line["reference"]) == (case["id"], "IT-2026-000001")
    w = web_client("it-caseworker")
    assert f'<a href="/procedures/cases/{case["id"]}">IT-2026-000001</a>' in w.get("/procedures").text
    page = w.get(f"/procedures/cases/{case['id']}").text
    assert '<small id="case-reference">IT-2026-000001</small>' in page and case["id"] in page
    r = _cli(services, "it-caseworker", "procedures", "queue")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)[0]["reference"] == "IT-2026-000001"


def test_a_case_is_found_by_its_reference_wherever_its_id_is_accepted(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    case = _apply(client, auth_headers, "Othman", "2026-11-25")
    german = _apply(client, auth_headers, "Weber", "2026-11-26", user="de-caseworker", ms="DE")
    h = auth_headers("it-caseworker")
    for ref in ("IT-2026-000001", "it-2026-000001"):
        r = client.get(f"{API}/{ref}", headers=h)
        assert r.status_code == 200 and r.json()["id"] == case["id"], r.text
    # another state's case, or a reference no case has: not found
    r = client.get(f"{API}/{german['reference']}", headers=h)
    assert r.status_code == 404 and german["reference"] in r.text
    assert client.get(f"{API}/IT-2026-000099", headers=h).status_code == 404
    # a step taken on the reference acts on the case
    r = client.post(f"{API}/IT-2026-000001/actions", headers=h, json={
        "action": "register", "version": case["version"], "registered_on": "2026-11-26"})
    assert r.status_code == 200 and r.json()["id"] == case["id"] and r.json()["state"] == "registered", r.text
    page = web_client("it-caseworker").get("/procedures/cases/IT-2026-000001")
    assert page.status_code == 200 and case["id"] in page.text
    r = _cli(services, "it-caseworker", "procedures", "show", "IT-2026-000001")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == case["id"], r.stderr
    # the read log keeps the case's id, whichever way it was asked for
    assert {x["record_id"] for x in _reads(services) if x["what"] == "asylum_case"} == {case["id"]}


def test_two_cases_cannot_share_a_reference(client: TestClient, auth_headers: Headers, services: Services) -> None:
    case = _apply(client, auth_headers, "Othman", "2026-11-25")
    with services.engine.connect() as conn:
        row = dict(conn.execute(select(asylum_applications).where(asylum_applications.c.id == case["id"]))
                   .mappings().one())
        with pytest.raises(IntegrityError):
            conn.execute(insert(asylum_applications).values({**row, "id": "asy_copy"}))
        conn.rollback()


@pytest.mark.postgres
def test_concurrent_applications_of_one_state_take_distinct_numbers_on_postgresql(pg_services: Services) -> None:
    from pactum.services import procedures
    from pactum.services.procedures import ApplicationCreate
    from tests.e2e.test_procedures_postgres import person, who

    s = pg_services
    cw = who(s, "it-caseworker")
    people = [person(s, cw, f"Haile{i}", "ERI", "2026-11-20T06:00:00+00:00") for i in range(8)]
    made: list[str] = []
    failed: list[BaseException] = []
    start = threading.Barrier(len(people))

    def apply(p: str) -> None:
        try:
            start.wait()
            made.append(procedures.create_application(s, cw, ApplicationCreate(
                person_id=p, made_on=date(2026, 11, 25), context="in_territory"))["reference"])
        except BaseException as exc:  # reported below
            failed.append(exc)

    threads = [threading.Thread(target=apply, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    assert sorted(made) == [f"IT-2026-{n:06d}" for n in range(1, 9)]
