"""Relocation transfers of beneficiaries of international protection next to applicants (AMMR Art
56(2)(a)): written consent and the 3-year limit (before the cycle's Council act) are checked when tracking starts, and the tracker
splits its counts by status (API, CLI service, page)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.problem_paths import problem_fields as _locs

H = Callable[[str], dict[str, str]]
API = "/api/v1/solidarity"


def _implementing(client: TestClient, com: dict[str, str]) -> None:
    r = client.post(f"{API}/cycles", headers=com, json={
        "year": 2026, "proposal_on": "2025-11-11", "pool_relocations": 30000, "pool_financial_eur": 600_000_000,
        "designations": [{"member_state": s, "status": "under_pressure"} for s in ("CY", "EL", "IT", "ES")]})
    c = r.json()
    for action, on in (("open_pledging", "2025-11-20"), ("adopt", "2025-12-19"), ("start_implementation", "2026-06-12")):
        if action == "adopt":  # places for the transfers below: PT's and DE's pledges, CY's and IT's needs
            for ms in ("PT", "DE"):
                assert client.post(f"{API}/cycles/2026/pledges", headers=com,
                                   json={"member_state": ms, "relocations": 10}).status_code == 200
            for ms in ("CY", "IT"):
                assert client.post(f"{API}/cycles/2026/needs", headers=com,
                                   json={"member_state": ms, "relocations": 100}).status_code == 200
        c = client.post(f"{API}/cycles/2026/actions/{action}", headers=com, json={
            "version": c["version"], "on": on, "council_act_reference": "Council Implementing Decision (EU) 2025/2642"}).json()


def test_beneficiaries_need_consent_and_a_recent_grant_and_are_counted_apart(
        client: TestClient, auth_headers: H, web_client: Callable[[str], TestClient]) -> None:
    com = auth_headers("com-solidarity")
    _implementing(client, com)
    bad = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        # no written consent
        {"applicant_ref": "B1", "origin_member_state": "CY", "destination_member_state": "PT",
         "matched_on": "2026-09-01", "status": "beneficiary", "protection_granted_on": "2025-05-01"},
        # protection granted three years or more before the Council's act of 19.12.2025 (Art 56(2)(a)(ii))
        {"applicant_ref": "B2", "origin_member_state": "CY", "destination_member_state": "PT",
         "matched_on": "2026-09-01", "status": "beneficiary", "protection_granted_on": "2022-12-19",
         "consent_on": "2026-08-20"},
        {"applicant_ref": "A9", "origin_member_state": "CY", "destination_member_state": "PT",
         "matched_on": "2026-09-01", "status": "refugee"},
    ]})
    assert bad.status_code == 422
    assert _locs(bad) == ["transfers[0].consent_on", "transfers[1].protection_granted_on", "transfers[2].status"]
    assert client.get(f"{API}/transfers", headers=com).json()["transfers"] == []  # nothing half-written

    # PT receives beneficiaries from CY only where it has agreed to (Art 56(2)(a))
    agreed = client.post(f"{API}/cycles/2026/beneficiary-agreements", headers=com, json={
        "contributor_member_state": "PT", "beneficiary_member_state": "CY", "agreed_on": "2026-08-01"})
    assert agreed.status_code == 201, agreed.text
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {"applicant_ref": "B1", "origin_member_state": "CY", "destination_member_state": "PT",
         "matched_on": "2026-09-01", "status": "beneficiary", "protection_granted_on": "2025-05-01",
         "consent_on": "2026-08-20"},
        {"applicant_ref": "A1", "origin_member_state": "CY", "destination_member_state": "PT", "matched_on": "2026-09-01"},
        {"applicant_ref": "A2", "origin_member_state": "IT", "destination_member_state": "DE", "matched_on": "2026-09-01"},
    ]})
    assert r.status_code == 201, r.text
    tracker = client.get(f"{API}/transfers", params={"year": 2026}, headers=com).json()
    assert tracker["by_status"] == {"applicant": {"total": 2, "arrived": 0}, "beneficiary": {"total": 1, "arrived": 0}}
    only = client.get(f"{API}/transfers", params={"status": "beneficiary"}, headers=com).json()
    assert [(t["applicant_ref"], t["person_status"], t["consent_on"]) for t in only["transfers"]] == [
        ("B1", "beneficiary", "2026-08-20")]
    assert client.get(f"{API}/transfers", params={"status": "x"}, headers=com).status_code == 422

    page = web_client("com-solidarity").get("/solidarity/transfers?status=beneficiary").text
    # the persons' references as the table's cells (a transfer's random id in a form may hold "A1")
    assert 'id="by-status"' in page and "<td>B1</td>" in page and "<td>A1</td>" not in page
