"""First-day walk (2026-11-30): the auditor's home page and audit log, the home page per role, and
who registers arrivals.

FD-05 / FD-23: the auditor's home page said "No encounters registered yet" (the auditor may not
read them); it shows the chain's verification and the latest entries instead. A role that may not
read encounters is never told there are none; EU bodies read "Encounters registered in Pactum",
not arrivals; the Commission's coordinator sees the current pool; the screening deadlines only
for those who may fill in a screening.
FD-06 / FD-21: ``/audit`` re-verified the whole hash chain on every load (about 3 s on the demo
store): it verifies the entries written since it last did, and walks the whole chain on demand.
A person's id found nothing (entries are keyed on the records' ids): it finds the entries of each
record of the person, on the page, in the API and in the CLI.
FD-07: a state's administrator (user administration and solidarity pledges) registered arrivals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import audit
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.solidarity.schemas import CycleCreate
from pactum.store.tables.platform import audit_log, audit_verification

Login = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]

ARRIVAL = {
    "identity": {"given_names": "Adel", "surname": "Othman", "sex": "M", "date_of_birth": "2003-01-01",
                 "nationality": "TUN", "documents": []},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:30:00Z", "kind": "sar_disembarkation",
                  "place": "Lampedusa", "route": "Central Mediterranean Route"},
}


def _section(page: str, section_id: str) -> str:
    assert f'id="{section_id}"' in page, f"no section {section_id}"
    return page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def _register(client: TestClient, auth_headers: Headers) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    return dict(r.json())


# ------------------------------------------------------------------ home pages


def test_the_auditors_home_page_shows_the_chain_and_the_latest_entries_not_a_false_no_encounters(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    _register(client, auth_headers)
    page = web_client("auditor").get("/").text
    assert "No encounters registered yet" not in page and "Arrivals by route" not in page
    assert 'id="encounters"' not in page
    status = _section(page, "audit-status")
    assert re.search(r"Hash chain intact: verified up to entry #[\d,]+", status)
    assert "arrival.registered" in status and "it-caseworker (IT)" in status
    assert 'href="/audit"' in status


def test_an_eu_body_reads_encounters_registered_in_pactum_not_arrivals(web_client: Login) -> None:
    page = web_client("frontex-analyst").get("/").text
    encounters = _section(page, "encounters")
    assert "Encounters registered in Pactum" in encounters and "Arrivals by route" not in encounters
    assert "not the border crossings Frontex reports" in encounters
    # a state's officer reads their own state's arrivals, as before
    assert "Arrivals by route" in _section(web_client("it-caseworker").get("/").text, "encounters")


def test_the_commission_coordinator_sees_the_current_pool_and_its_next_overdue_step(
        services: Services, web_client: Login) -> None:
    from pactum.services import solidarity

    solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2026, proposal_on=date(2025, 11, 11),
                                                          pool_relocations=30000))
    pool = _section(web_client("com-solidarity").get("/").text, "pool-status")
    assert 'href="/solidarity?year=2026"' in pool and "proposal" in pool
    assert re.search(r"Relocations pledged: <strong>0</strong> of the 30,000 the pool needs \(0%\)", pool)
    # the 2026 cycle's dates bind (its provisions applied from June 2024, AMMR Art 85): on 28
    # November 2026 its High-Level Forum (within 15 days of the proposal) is the first of three
    # overdue steps: the Forum, the Council's act (by the end of 2025) and the 2027 cycle's
    # proposal (due by 15 October 2026)
    overdue = pool.split('id="pool-overdue"', 1)[1]
    assert "Next overdue step" in overdue and "2026 cycle: the High-Level EU Solidarity Forum" in overdue
    assert "due 2025-11-26" in overdue and "(3 steps overdue in all)" in overdue
    # a state's users do not get the Commission's pool card
    assert 'id="pool-status"' not in web_client("it-admin").get("/").text


def test_screening_deadlines_only_for_those_who_may_fill_in_a_screening(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    _register(client, auth_headers)
    assert "Screening deadlines due" in web_client("it-caseworker").get("/").text
    for username in ("it-dublin", "it-admin", "it-return"):
        assert "Screening deadlines due" not in web_client(username).get("/").text, username


# ------------------------------------------------------------------ FD-07: who registers


def test_a_states_administrator_registers_no_arrival_and_fills_in_no_screening(
        client: TestClient, auth_headers: Headers) -> None:
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-admin"))
    assert r.status_code == 403, r.text
    assert "caseworker" in r.text
    body = _register(client, auth_headers)
    screening = client.get("/api/v1/registry/screenings/due", headers=auth_headers("it-caseworker")).json()[0]
    assert screening["person_id"] == body["person_id"]
    r = client.patch(f"/api/v1/registry/screenings/{screening['id']}", json={"version": 1, "health_check": "done"},
                     headers=auth_headers("it-admin"))
    assert r.status_code == 403, r.text
    # what the administrator still reads (the legal officer's decision: see docs/security.md)
    r = client.get("/api/v1/registry/search", params={"name": "Othman"}, headers=auth_headers("it-admin"))
    assert r.status_code == 200


# ------------------------------------------------------------------ FD-06: a person's history


def test_a_person_id_finds_the_entries_of_every_record_of_the_person(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    body = _register(client, auth_headers)
    person, record = body["person_id"], body["identity_record_id"]
    r = client.post("/api/v1/procedures/applications", headers=auth_headers("it-caseworker"),
                    json={"person_id": person, "made_on": "2026-11-21", "registered_on": "2026-11-21",
                          "context": "sar_disembarkation"})
    assert r.status_code == 201, r.text
    case = r.json()["id"]
    # the API: the entries of the identity record and of the asylum case, found by the person's id
    entries = client.get("/api/v1/audit", params={"entity_id": person}, headers=auth_headers("auditor")).json()
    found = {(e["action"], e["entity_id"]) for e in entries}
    assert ("arrival.registered", record) in found
    assert any(e_id == case for _, e_id in found)
    # the page says what it searched
    page = web_client("auditor").get("/audit", params={"entity_id": person}).text
    assert "No entry of this kind" not in page
    searched = page.split('id="searched"', 1)[1].split("</details>", 1)[0]
    assert f"identity record <a href=\"/audit?entity_id={record}\"" in searched
    assert f"asylum case <a href=\"/audit?entity_id={case}\"" in searched
    assert re.search(r"entries for <code>" + person + r"</code> and the \d+ records of this person", page)
    # the CLI
    r = CliRunner().invoke(app, ["audit", "list", "--entity-id", person],
                           env={"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "auditor"})
    assert r.exit_code == 0, r.stderr
    assert ("arrival.registered", record) in {(e["action"], e["entity_id"]) for e in json.loads(r.stdout)}
    # another state's auditor or administrator reaches only its own persons: nothing of Italy's
    assert client.get("/api/v1/audit", params={"entity_id": person}, headers=auth_headers("de-admin")).json() == []


# ------------------------------------------------------------------ FD-06 / FD-21: verification


def _mark(services: Services) -> Any:
    with services.engine.connect() as conn:
        return conn.execute(select(audit_verification)).first()


def _last_seq(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq.desc()).limit(1)).scalar_one())


def test_the_audit_page_verifies_only_the_entries_written_since_it_last_did(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    auditor = web_client("auditor")
    first = auditor.get("/audit").text
    mark = _mark(services)
    assert mark is not None and mark.seq == _last_seq(services) and mark.full_at is not None
    assert re.search(r"Hash chain intact: verified up to entry #" + f"{mark.seq:,}", first)
    _register(client, auth_headers)
    again = auditor.get("/audit").text
    assert re.search(r"\(\d+ new entr(y|ies) checked now; entries 1 to #" + f"{mark.seq:,}" +
                     r" had been verified before\)", again)
    assert _mark(services).seq == _last_seq(services)
    # an entry written since the mark and altered is found on the next load
    _register(client, auth_headers)
    newest = _last_seq(services)
    with services.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = :s"), {"s": newest})
    broken = auditor.get("/audit").text
    assert f"Hash chain broken: entry {newest} was altered" in broken


def test_an_entry_altered_before_the_mark_is_found_by_walking_the_whole_chain(
        web_client: Login, services: Services) -> None:
    auditor = web_client("auditor")
    auditor.get("/audit")
    with services.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2"))
    # the button: the whole chain again, from entry 1
    r = auditor.post("/audit/verify", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/audit?verified=full#chain"
    page = auditor.get(r.headers["location"]).text
    assert "Hash chain broken: entry 2 was altered" in page
    # and so it stays on every load until the chain is intact again
    assert "Hash chain broken: entry 2 was altered" in auditor.get("/audit").text
    assert not audit.verify_incrementally(services, SYSTEM).ok


def test_only_auditors_and_administrators_may_walk_the_chain(web_client: Login) -> None:
    assert web_client("it-caseworker").post("/audit/verify", follow_redirects=False).status_code == 403
    r = web_client("auditor").post("/audit/verify")
    assert r.status_code == 200 and re.search(r"The whole chain was last walked from entry 1 at [^<]+, as you asked: "
                                              r"intact", r.text)
