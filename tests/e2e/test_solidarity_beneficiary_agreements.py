"""Agreements to receive beneficiaries of international protection (AMMR Art 56(2)(a): a person
granted protection less than three years ago is relocated "where bilaterally agreed").

A contributing state's coordinator records that it receives beneficiaries from a benefitting state
from a date, and may end the agreement; the relocation matching and the transfers follow what is
recorded. Before, the matching took every contributing state to accept beneficiaries unless someone
unticked it on the page, and a beneficiary's transfer to any state was recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from tests.problem_paths import problem_fields as _locs

H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
API = "/api/v1/solidarity"


@pytest.fixture
def pool(client: TestClient, auth_headers: H) -> TestClient:
    """The 2026 cycle in implementation: IT under pressure with a need, DE pledging 100 relocations."""
    com = auth_headers("com-solidarity")
    c = client.post(f"{API}/cycles", headers=com, json={
        "year": 2026, "proposal_on": "2025-11-11", "pool_relocations": 30000, "pool_financial_eur": 600_000_000,
        "designations": [{"member_state": "IT", "status": "under_pressure"}]}).json()
    c = client.post(f"{API}/cycles/2026/actions/open_pledging", headers=com,
                    json={"version": c["version"], "on": "2025-11-20"}).json()
    assert client.post(f"{API}/cycles/2026/pledges", headers=auth_headers("de-admin"),
                       json={"relocations": 100}).status_code == 200
    assert client.post(f"{API}/cycles/2026/needs", headers=auth_headers("it-admin"),
                       json={"relocations": 500}).status_code == 200
    for action, on in (("adopt", "2025-12-19"), ("start_implementation", "2026-06-12")):
        c = client.post(f"{API}/cycles/2026/actions/{action}", headers=com, json={
            "version": c["version"], "on": on, "council_act_reference": "Council Implementing Decision (EU) 2025/2642"}).json()
    return client


def _beneficiary(ref: str, matched_on: str) -> dict[str, Any]:
    return {"applicant_ref": ref, "origin_member_state": "IT", "destination_member_state": "DE",
            "matched_on": matched_on, "status": "beneficiary", "protection_granted_on": "2025-05-01",
            "consent_on": matched_on}


def test_a_beneficiary_goes_only_where_an_agreement_is_in_force(pool: TestClient, auth_headers: H) -> None:
    com, de = auth_headers("com-solidarity"), auth_headers("de-admin")

    def record(*transfers: dict[str, Any]) -> Any:
        return pool.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": list(transfers)})

    no_agreement = record({"applicant_ref": "A1", "origin_member_state": "IT", "destination_member_state": "DE",
                           "matched_on": "2026-09-01"}, _beneficiary("B1", "2026-09-01"))
    assert no_agreement.status_code == 422
    assert _locs(no_agreement) == ["transfers[1].destination_member_state"]
    assert "DE had no agreement on 2026-09-01 to receive beneficiaries of international protection from IT" in \
        no_agreement.text
    assert pool.get(f"{API}/transfers", params={"year": 2026}, headers=com).json()["transfers"] == []

    caps = pool.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "IT"}, headers=com).json()
    assert [(c["member_state"], c["accepts_beneficiaries"]) for c in caps["capacities"]] == [("DE", False)]

    agreed = pool.post(f"{API}/cycles/2026/beneficiary-agreements", headers=de,
                       json={"beneficiary_member_state": "IT", "agreed_on": "2026-08-01"})
    assert agreed.status_code == 201, agreed.text
    a = agreed.json()
    assert (a["contributor_member_state"], a["beneficiary_member_state"], a["in_force"]) == ("DE", "IT", True)
    assert a["legal_basis"] == ["Regulation (EU) 2024/1351, Article 56(2)(a)"]

    assert record(_beneficiary("B0", "2026-07-15")).status_code == 422  # matched before DE agreed
    assert record(_beneficiary("B1", "2026-09-01")).status_code == 201

    ended = pool.post(f"{API}/beneficiary-agreements/{a['id']}/end", headers=de,
                      json={"version": a["version"], "ended_on": "2026-10-01"})
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-10-01"
    assert record(_beneficiary("B2", "2026-10-15")).status_code == 422  # the agreement had ended

    def accepts(on: str) -> bool:
        caps = pool.get(f"{API}/cycles/2026/matching-capacities", params={"beneficiary": "IT", "on": on},
                        headers=com).json()
        return caps["capacities"][0]["accepts_beneficiaries"]

    assert (accepts("2026-07-15"), accepts("2026-09-01"), accepts("2026-10-01")) == (False, True, False)
    # IT, party to it, reads the agreement; the Commission reads them all; FR reads none of IT's
    assert [x["contributor_member_state"] for x in pool.get(
        f"{API}/cycles/2026/beneficiary-agreements", headers=auth_headers("it-admin")).json()] == ["DE"]
    assert pool.get(f"{API}/cycles/2026/beneficiary-agreements", headers=auth_headers("fr-admin")).json() == []
    assert pool.get(f"{API}/cycles/2026/beneficiary-agreements", params={"member_state": "IT"},
                    headers=auth_headers("fr-admin")).status_code == 404


def test_who_records_an_agreement_and_what_is_refused(pool: TestClient, auth_headers: H) -> None:
    de, it = auth_headers("de-admin"), auth_headers("it-admin")
    url = f"{API}/cycles/2026/beneficiary-agreements"
    # IT does not say for DE that DE receives IT's beneficiaries
    assert pool.post(url, headers=it, json={"contributor_member_state": "DE", "beneficiary_member_state": "IT",
                                            "agreed_on": "2026-08-01"}).status_code == 403
    bad = pool.post(url, headers=de, json={"beneficiary_member_state": "DE", "agreed_on": "2099-01-01"})
    assert bad.status_code == 422 and set(_locs(bad)) == {"beneficiary_member_state", "agreed_on"}
    before_pact = pool.post(url, headers=de, json={"beneficiary_member_state": "IT", "agreed_on": "2026-06-01"})
    assert before_pact.status_code == 422 and "from 12 June 2026" in before_pact.text
    not_bound = pool.post(url, headers=de, json={"beneficiary_member_state": "DK", "agreed_on": "2026-08-01"})
    assert not_bound.status_code == 422 and "DK is not bound by the solidarity rules" in not_bound.text
    first = pool.post(url, headers=de, json={"beneficiary_member_state": "IT", "agreed_on": "2026-08-01"})
    assert first.status_code == 201
    again = pool.post(url, headers=de, json={"beneficiary_member_state": "IT", "agreed_on": "2026-09-01"})
    assert again.status_code == 409 and "since 2026-08-01" in again.text
    a = first.json()
    # the benefitting state does not end the contributing state's agreement; a stale version is 409
    assert pool.post(f"{API}/beneficiary-agreements/{a['id']}/end", headers=it,
                     json={"version": a["version"], "ended_on": "2026-10-01"}).status_code == 403
    assert pool.post(f"{API}/beneficiary-agreements/{a['id']}/end", headers=de,
                     json={"version": a["version"], "ended_on": "2026-07-01"}).status_code == 422
    assert pool.post(f"{API}/beneficiary-agreements/{a['id']}/end", headers=de,
                     json={"version": a["version"] + 5, "ended_on": "2026-10-01"}).status_code == 409
    # ended, then agreed again from the end on
    ended = pool.post(f"{API}/beneficiary-agreements/{a['id']}/end", headers=de,
                      json={"version": a["version"], "ended_on": "2026-10-01"}).json()
    assert ended["in_force"] is False
    renewed = pool.post(url, headers=de, json={"beneficiary_member_state": "IT", "agreed_on": "2026-10-15"})
    assert renewed.status_code == 201 and renewed.json()["ended_on"] is None
    audit = pool.get("/api/v1/audit", params={"action": "solidarity.beneficiary_agreement."},
                     headers=auth_headers("auditor"))
    assert audit.status_code == 200, audit.text
    entries = audit.json()
    entries = entries.get("entries", entries) if isinstance(entries, dict) else entries
    assert sorted(e["action"] for e in entries) == ["solidarity.beneficiary_agreement.end"] + [
        "solidarity.beneficiary_agreement.record"] * 2


def test_the_pledge_page_records_and_shows_agreements_on_both_sides(pool: TestClient, web_client: W) -> None:
    de = web_client("de-admin")
    page = de.get("/solidarity/pledge?year=2026").text
    assert 'id="agreement-form"' in page and 'id="agreements-none"' in page
    refused = de.post("/solidarity/beneficiary-agreement", data={
        "year": "2026", "member_state": "DE", "beneficiary_member_state": "ZZ", "agreed_on": "2026-08-01"})
    assert refused.status_code == 422
    assert 'id="agreement-errors"' in refused.text and "From:" in refused.text
    assert 'value="ZZ"' in refused.text  # what was typed is kept
    done = de.post("/solidarity/beneficiary-agreement", data={
        "year": "2026", "member_state": "DE", "beneficiary_member_state": "IT", "agreed_on": "2026-08-01"},
        follow_redirects=True)
    assert done.status_code == 200
    assert "Agreement to receive beneficiaries of international protection from IT recorded" in done.text
    table = done.text.split('id="agreements-receiving"', 1)[1].split("</table>", 1)[0]
    assert "<td>IT</td><td>2026-08-01</td>" in table and "End the agreement" in table
    italy = web_client("it-admin").get("/solidarity/pledge?year=2026").text
    sending = italy.split('id="agreements-sending"', 1)[1].split("</table>", 1)[0]
    assert "<td>DE</td><td>2026-08-01</td>" in sending
    # IT benefits from the pool: it is not the contributing side of an agreement (Art 58), no form
    assert 'id="agreement-form"' not in italy
    # the analyst reads DE's page without forms
    analyst = web_client("de-analyst").get("/solidarity/pledge?year=2026").text
    assert 'id="agreements-receiving"' in analyst and 'id="agreement-form"' not in analyst
    assert "End the agreement" not in analyst


def test_the_command_line_records_and_lists_agreements(pool: TestClient, services: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_CLI_USER", "de-admin")
    runner = CliRunner()
    body = tmp_path / "agreement.json"
    body.write_text(json.dumps({"beneficiary_member_state": "IT", "agreed_on": "2026-08-01"}), encoding="utf-8")
    done = runner.invoke(app, ["solidarity", "beneficiary-agreement", "2026", str(body)])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(app, ["solidarity", "beneficiary-agreements", "2026"])
    assert [(a["contributor_member_state"], a["beneficiary_member_state"]) for a in json.loads(listed.output)] == [
        ("DE", "IT")]
    body.write_text(json.dumps({"beneficiary_member_state": "IT", "agreed_on": "someday"}), encoding="utf-8")
    bad = runner.invoke(app, ["solidarity", "beneficiary-agreement", "2026", str(body)])
    assert bad.exit_code == 2 and "agreed_on" in bad.output and len(bad.output.strip().splitlines()) == 1
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    caps = runner.invoke(app, ["solidarity", "matching-capacities", "2026", "--beneficiary", "IT", "--on", "2026-09-01"])
    assert json.loads(caps.output)["capacities"][0]["accepts_beneficiaries"] is True
    assert runner.invoke(app, ["solidarity", "matching-capacities", "2026", "--beneficiary", "IT",
                               "--on", "September"]).exit_code == 2
