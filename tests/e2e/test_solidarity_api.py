"""Solidarity through the HTTP API: fair shares, relocation matching, the annual cycle, transfers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from pactum.services.indicators import compute
from tests.e2e.test_solidarity_web_actions import ART_62_2
from tests.problem_paths import field_path
from tests.problem_paths import problem_fields as _locs

H = Callable[[str], dict[str, str]]
API = "/api/v1/solidarity"


def test_fair_shares_2026_add_up_to_the_council_pool(client: TestClient, auth_headers: H) -> None:
    r = client.get(f"{API}/fair-shares", params={"year": 2026}, headers=auth_headers("com-analyst"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["reference_year"] == 2022
    assert body["pool"]["relocations"] == 21000 and body["pool"]["financial_eur"] == 420_000_000
    states = {s["member_state"]: s for s in body["states"]}
    assert "DK" not in states and "NO" not in states and len(states) == 26
    assert sum(s["fair_share_relocations"] for s in states.values()) == 21000
    assert sum(s["fair_share_eur"] for s in states.values()) == 420_000_000
    assert abs(sum(s["key"] for s in states.values()) - 1) < 1e-12
    de = states["DE"]
    assert abs(de["key"] - (0.5 * de["population_share"] + 0.5 * de["gdp_share"])) < 1e-12
    assert 4500 < de["fair_share_relocations"] < 4700  # about 22% of 21,000
    # the Art 12 minimum applies to a year without a Council act
    r27 = client.get(f"{API}/fair-shares", params={"year": 2027}, headers=auth_headers("com-analyst")).json()
    assert r27["pool"]["relocations"] == 30000
    assert sum(s["fair_share_relocations"] for s in r27["states"]) == 30000


def test_fair_shares_bad_year_is_422(client: TestClient, auth_headers: H) -> None:
    r = client.get(f"{API}/fair-shares", params={"year": 2020}, headers=auth_headers("com-analyst"))
    assert r.status_code == 422
    assert _locs(r) == ["year"]


MATCH = {
    "capacities": [{"member_state": "DE", "places": 2}, {"member_state": "FR", "places": 1}],
    "applicants": [
        {"id": "A1", "family_id": "F7", "in_member_state": "IT",
         "links": [{"member_state": "DE", "kind": "family"}], "excluded_member_states": ["HU"]},
        {"id": "A2", "family_id": "F7", "in_member_state": "IT"},
        {"id": "A3", "in_member_state": "EL", "links": [{"member_state": "FR", "kind": "language"}]},
        {"id": "A4", "in_member_state": "FR"},
    ],
    "weights": {"family": 100, "previous_residence": 40, "diploma": 30, "language": 20, "cultural": 10},
}


def test_relocation_matching_contract(client: TestClient, auth_headers: H) -> None:
    r = client.post(f"{API}/relocation-matching", json=MATCH, headers=auth_headers("com-solidarity"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"assignments", "unassigned", "objective", "solver"}
    assert {(a["applicant_id"], a["member_state"]) for a in body["assignments"]} == {
        ("A1", "DE"), ("A2", "DE"), ("A3", "FR")}
    assert body["unassigned"] == ["A4"]  # in FR, the only state with room left is FR
    assert body["objective"] == {"relocated": 3, "link_score": 120}
    assert body["solver"]["optimal"] is True and body["solver"]["name"] == "HiGHS"


def test_relocation_matching_bad_input_names_each_field(client: TestClient, auth_headers: H) -> None:
    bad = {
        "capacities": [{"member_state": "DE", "places": -3}, {"member_state": "ZZ", "places": 4}],
        "applicants": [
            {"id": "A1", "family_id": "F1", "in_member_state": "IT"},
            {"id": "A2", "family_id": "F1", "in_member_state": "EL"},
        ],
    }
    r = client.post(f"{API}/relocation-matching", json=bad, headers=auth_headers("com-solidarity"))
    assert r.status_code == 422
    assert _locs(r) == ["capacities[0].places", "capacities[1].member_state", "applicants[1].in_member_state"]
    assert "spread" in r.json()["detail"][2]["msg"]


def test_matching_needs_a_role(client: TestClient, auth_headers: H) -> None:
    r = client.post(f"{API}/relocation-matching", json=MATCH, headers=auth_headers("it-caseworker"))
    assert r.status_code == 403


def _cycle(client: TestClient, h: dict[str, str]) -> dict[str, Any]:
    r = client.post(f"{API}/cycles", headers=h, json={
        "year": 2026, "proposal_on": "2025-11-11", "pool_relocations": 30000, "pool_financial_eur": 600_000_000,
        "designations": [{"member_state": s, "status": "under_pressure"} for s in ("CY", "EL", "IT", "ES")]
        + [{"member_state": "AT", "status": "significant_migratory_situation"},
           {"member_state": "DE", "status": "at_risk"}]})
    assert r.status_code == 201, r.text
    return r.json()


def test_cycle_workflow_pledges_and_pool_overview(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    # only the Commission opens a cycle
    r = client.post(f"{API}/cycles", headers=auth_headers("de-admin"),
                    json={"year": 2026, "proposal_on": "2025-11-11"})
    assert r.status_code == 403
    c = _cycle(client, com)
    assert c["status"] == "proposal" and c["transitions"] == ["open_pledging"]
    # a proposal below the Art 12(2) minimum is refused
    r = client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-10-15",
                                                        "pool_relocations": 1000})
    assert r.status_code == 422 and _locs(r) == ["pool_relocations"]
    # adopting before the Forum is out of order
    r = client.post(f"{API}/cycles/2026/actions/adopt", headers=com,
                    json={"version": c["version"], "on": "2025-12-19", "council_act_reference": "x"})
    assert r.status_code == 409
    c = client.post(f"{API}/cycles/2026/actions/open_pledging", headers=com,
                    json={"version": c["version"], "on": "2025-11-20"}).json()
    assert c["status"] == "pledging"
    # stale version
    r = client.post(f"{API}/cycles/2026/actions/adopt", headers=com,
                    json={"version": 1, "on": "2025-12-19", "council_act_reference": "x"})
    assert r.status_code == 409

    de = auth_headers("de-admin")
    r = client.post(f"{API}/cycles/2026/pledges", headers=de, json={"relocations": 4555, "financial_eur": 10_000_000,
                                                                    "preferred_beneficiaries": ["IT", "EL"]})
    assert r.status_code == 200, r.text
    assert r.json()["pledge"]["relocations"] == 4555
    # a German officer cannot pledge for France
    r = client.post(f"{API}/cycles/2026/pledges", headers=de, json={"member_state": "FR", "relocations": 1})
    assert r.status_code == 403
    fr = auth_headers("fr-admin")
    assert client.post(f"{API}/cycles/2026/pledges", headers=fr,
                       json={"relocations": 3361, "alternative_eur": 2_000_000}).status_code == 422
    assert client.post(f"{API}/cycles/2026/pledges", headers=fr, json={
        "relocations": 3361, "alternative_eur": 2_000_000,
        "alternative_description": "reception containers for Cyprus"}).status_code == 200
    for ms, n, sar in (("IT", 6000, True), ("EL", 3000, True), ("CY", 1000, False), ("ES", 2000, False)):
        r = client.post(f"{API}/cycles/2026/needs", headers=auth_headers(f"{ms.lower()}-admin"),
                        json={"relocations": n, "sar": sar})
        assert r.status_code == 200, r.text

    c = client.get(f"{API}/cycles/2026", headers=com).json()
    c = client.post(f"{API}/cycles/2026/actions/adopt", headers=com, json={
        "version": c["version"], "on": "2025-12-19", "pool_relocations": 21000, "pool_financial_eur": 420_000_000,
        "sar_earmark": 0.42, "council_act_reference": "Council Implementing Decision (EU) 2025/2642"}).json()
    assert c["status"] == "adopted"
    # pledges are closed once the Council has acted
    assert client.post(f"{API}/cycles/2026/pledges", headers=auth_headers("nl-admin"),
                       json={"relocations": 10}).status_code == 409

    ov = client.get(f"{API}/cycles/2026/overview", headers=com)
    assert ov.status_code == 200, ov.text
    ov = ov.json()
    acc = {s["member_state"]: s for s in ov["accounts"]["states"]}
    assert acc["DE"]["pledged_relocations"] == 4555
    assert acc["DE"]["pledged_relocation_equivalents"] == 4555 + 10_000_000 / 20_000
    assert acc["FR"]["pledged_relocation_equivalents"] == 3361 + 100
    assert ov["accounts"]["totals"]["pledged_relocations"] == 4555 + 3361
    # 7,916 relocations pledged of 21,000 (38%): below the Art 63 50% threshold, no offsets
    assert ov["accounts"]["offsets"]["open"] is False
    received = {n["member_state"]: n["pledges_received_relocations"] for n in ov["needs"]}
    assert sum(received.values()) == 4555 + 3361
    # Germany's preferences (IT, EL) send its pledge only there
    dist = {d["member_state"]: d for d in client.get(f"{API}/cycles/2026/distribution", headers=com).json()}
    assert set(k for k, v in dist["DE"]["allocation"].items() if v) == {"IT", "EL"}
    assert sum(dist["DE"]["allocation"].values()) == 4555
    assert [s["rule"] for s in dist["FR"]["trace"]] == ["sar_earmark", "proportional_to_needs"]

    # a state sees its own pledge page, not another's, and not the overview
    page = client.get(f"{API}/cycles/2026/pledges/DE", headers=de).json()
    assert page["fair_share"]["fair_share_relocations"] == next(
        s["fair_share_relocations"] for s in client.get(f"{API}/fair-shares", params={"year": 2026},
                                                        headers=de).json()["states"] if s["member_state"] == "DE")
    assert page["distribution"]["allocation"] == dist["DE"]["allocation"]
    assert client.get(f"{API}/cycles/2026/pledges/FR", headers=de).status_code == 404
    assert client.get(f"{API}/cycles/2026/overview", headers=de).status_code == 403


def test_deduction_for_a_state_in_a_significant_migratory_situation(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _cycle(client, com)
    # no request before the Commission's decision that designated the state (11.11.2025)
    r = client.post(f"{API}/cycles/2026/deductions", headers=auth_headers("at-admin"),
                    json={"relocations": 300, "on": "2025-11-10", "substantiation": ART_62_2})
    assert r.status_code == 422 and _locs(r) == ["on"]
    r = client.post(f"{API}/cycles/2026/deductions", headers=auth_headers("at-admin"),
                    json={"relocations": 300, "on": "2026-07-06", "substantiation": ART_62_2})
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["assess_by"] == "2026-08-03"  # the Commission assesses within 4 weeks (Art 61(3))
    assert d["assessment_binding"] is True
    # Germany is only "at risk": it asks on its own assessment (Arts 61(1), 62(1)), saying which situation
    r = client.post(f"{API}/cycles/2026/deductions", headers=auth_headers("de-admin"),
                    json={"relocations": 300, "on": "2026-07-06"})
    assert r.status_code == 422 and _locs(r) == ["grounds"] and "identified DE as at risk" in r.json()["detail"][0]["msg"]
    # the Council decides on the Commission's assessment (Art 61(4)): not before it
    council = {"granted": True, "on": "2026-07-20", "council_act_reference": "Council Implementing Decision (EU) 2026/9"}
    assert client.post(f"{API}/deductions/{d['id']}/decision", headers=com,
                       json={"version": d["version"], **council}).status_code == 409
    a = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": d["version"], "justified": True, "on": "2026-07-15"})
    assert a.status_code == 200 and a.json()["status"] == "assessed"
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={"version": a.json()["version"], **council})
    assert r.json()["status"] == "granted"
    assert r.json()["council_act_reference"] == "Council Implementing Decision (EU) 2026/9"
    assert client.post(f"{API}/deductions/{d['id']}/decision", headers=com,
                       json={"version": 3, **council, "granted": False, "on": "2026-07-21"}).status_code == 409


def _implementing(client: TestClient, com: dict[str, str]) -> None:
    """The 2026 cycle in implementation, with relocation places for the transfers below: a transfer
    under the pool goes from a benefitting state to a contributing state within the places its pledge
    gives that state (DE and FR pledge while pledging is open; IT and EL record their needs)."""
    c = _cycle(client, com)
    for action, on in (("open_pledging", "2025-11-20"), ("adopt", "2025-12-19"), ("start_implementation", "2026-06-12")):
        if action == "adopt":
            for ms in ("DE", "FR"):
                assert client.post(f"{API}/cycles/2026/pledges", headers=com,
                                   json={"member_state": ms, "relocations": 100}).status_code == 200
            for ms in ("IT", "EL"):
                assert client.post(f"{API}/cycles/2026/needs", headers=com,
                                   json={"member_state": ms, "relocations": 100}).status_code == 200
            c = client.get(f"{API}/cycles/2026", headers=com).json()
        c = client.post(f"{API}/cycles/2026/actions/{action}", headers=com, json={
            "version": c["version"], "on": on, "council_act_reference": "Council Implementing Decision (EU) 2025/2642"}).json()


def test_transfer_tracker_stages_deadline_and_counts(client: TestClient, auth_headers: H, services: Services) -> None:
    com = auth_headers("com-solidarity")
    _implementing(client, com)
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {"applicant_ref": "A1", "origin_member_state": "IT", "destination_member_state": "DE", "matched_on": "2026-08-01"},
        {"applicant_ref": "A2", "origin_member_state": "IT", "destination_member_state": "FR", "matched_on": "2026-08-01"},
        {"applicant_ref": "A3", "origin_member_state": "EL", "destination_member_state": "DE", "matched_on": "2026-08-02"},
    ]})
    assert r.status_code == 201 and r.json()["recorded"] == 3
    t = {x["applicant_ref"]: x for x in client.get(f"{API}/transfers", headers=com).json()["transfers"]}
    it, de = auth_headers("it-admin"), auth_headers("de-admin")

    a1 = t["A1"]
    # the relocation state cannot clear security for the benefitting state
    assert client.post(f"{API}/transfers/{a1['id']}/events", headers=de,
                       json={"event": "security_cleared", "on": "2026-08-05", "version": 1}).status_code == 403
    # acceptance before the security check is out of order
    assert client.post(f"{API}/transfers/{a1['id']}/events", headers=de,
                       json={"event": "accepted", "on": "2026-08-05", "version": 1}).status_code == 409
    steps = [(it, "security_cleared", "2026-08-05"), (de, "accepted", "2026-08-12"),
             (it, "transfer_decided", "2026-08-14"), (de, "arrived", "2026-09-01")]
    v = 1
    for who, event, on in steps:
        r = client.post(f"{API}/transfers/{a1['id']}/events", headers=who, json={"event": event, "on": on, "version": v})
        assert r.status_code == 200, r.text
        v = r.json()["version"]
        if event == "transfer_decided":
            # 4 weeks from the relocation state's confirmation of 2026-08-12, Art 67(11)
            assert r.json()["transfer_deadline"] == "2026-09-09"
    a3 = t["A3"]
    r = client.post(f"{API}/transfers/{a3['id']}/events", headers=auth_headers("el-admin"),
                    json={"event": "security_threat", "on": "2026-08-06", "version": 1})
    assert r.json()["stage"] == "excluded"
    assert "16(4)" in r.json()["trace"][-1]["legal_basis"][1]

    tracker = client.get(f"{API}/transfers", params={"year": 2026}, headers=com).json()
    assert tracker["arrived_by_origin"] == {"IT": 1}
    assert tracker["arrived_by_destination"] == {"DE": 1}
    assert tracker["by_stage"] == {"arrived": 1, "matched": 1, "excluded": 1}
    # France sees only the transfer towards it; an Italian user cannot see Greece's transfer
    assert [x["applicant_ref"] for x in client.get(f"{API}/transfers", headers=auth_headers("fr-admin")).json()["transfers"]] == ["A2"]
    assert client.post(f"{API}/transfers/{a3['id']}/events", headers=it,
                       json={"event": "cancelled", "on": "2026-08-06", "version": 2}).status_code == 404
    with services.engine.connect() as conn:
        # the follow-up's indicator of the VSM's transfers (action 9.b) leaves the pool's out
        assert compute(conn, "relocation_transfers_by_origin", date(2026, 9, 30)) == {}
        assert compute(conn, "relocation_transfers_total", date(2026, 9, 30)) == 1
        assert compute(conn, "relocation_transfers_total", date(2026, 8, 31)) == 0


def test_transfers_are_not_matched_or_advanced_on_future_dates_and_name_the_bad_state(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _implementing(client, com)
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {"applicant_ref": "A1", "origin_member_state": "IT", "destination_member_state": "DE", "matched_on": "2031-06-01"},
        {"applicant_ref": "A2", "origin_member_state": "ZZ", "destination_member_state": "FR", "matched_on": "2026-08-01"},
    ]})
    assert r.status_code == 422
    assert {field_path(e["loc"][1:]) for e in r.json()["detail"]} == {
        "transfers[0].matched_on", "transfers[1].origin_member_state"}
    assert client.get(f"{API}/transfers", headers=com).json()["transfers"] == []
    assert client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {"applicant_ref": "A1", "origin_member_state": "IT", "destination_member_state": "DE",
         "matched_on": "2026-08-01"}]}).status_code == 201
    a1 = client.get(f"{API}/transfers", headers=com).json()["transfers"][0]
    r = client.post(f"{API}/transfers/{a1['id']}/events", headers=auth_headers("it-admin"),
                    json={"event": "security_cleared", "on": "9999-12-31", "version": 1})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "on"
    r = client.get(f"{API}/transfers?limit=-1", headers=com)  # a page out of bounds is named, not clamped
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "limit"


def test_a_transfer_names_its_person_in_codes_the_tracker_can_count(client: TestClient, auth_headers: H) -> None:
    """Nationality, reference and link kind were stored as typed ('ZZZ', ' SYR ', 10,000
    characters that PostgreSQL's 60-character column refused with a 500)."""
    com = auth_headers("com-solidarity")
    _implementing(client, com)
    base = {"origin_member_state": "IT", "destination_member_state": "DE", "matched_on": "2026-08-01"}
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {**base, "applicant_ref": "A1", "nationality": "ZZZ"},
        {**base, "applicant_ref": "x" * 10_000},
        {**base, "applicant_ref": "   "},
        {**base, "applicant_ref": "A4", "link_kind": "cousin"},
    ]})
    assert r.status_code == 422
    assert {field_path(e["loc"][1:]) for e in r.json()["detail"]} == {
        "transfers[0].nationality", "transfers[1].applicant_ref", "transfers[2].applicant_ref",
        "transfers[3].link_kind"}
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        {**base, "applicant_ref": " A5 ", "nationality": " sy ", "link_kind": "family"}]})
    assert r.status_code == 201, r.text
    t = client.get(f"{API}/transfers", headers=com).json()["transfers"][0]
    assert (t["applicant_ref"], t["nationality"]) == ("A5", "SYR")
