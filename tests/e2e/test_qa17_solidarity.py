"""QA walk 17 of the Annual Solidarity Pool, each finding as its user met it. Every test failed on the
old code: relocation transfers recorded to states with no place (or between the wrong states), a
beneficiary's 3 years counted from the matching instead of the Council's act, the offsets threshold
measured against the Council's amended pool (the proposal lost), a deduction granted though assessed
as not justified, a pool amended in one unit only, a pledge change erasing the fields left out, a VSM
matching after the Pact, pledges before the Forum, preferred beneficiaries repeated or not
benefitting, a benefitting state as the contributing side of an agreement, and the demo's needs
adding up to 21,001."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services
from pactum.solidarity.matching import ApplicantIn, CapacityIn, MatchingRequest, validate_request
from pactum.store.migrate import upgrade
from tests.e2e.test_solidarity_web_actions import ART_62_2, into_2027, new_cycle
from tests.problem_paths import problem_fields as _locs

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
ACT = "Council Implementing Decision (EU) 2026/1"


def _msgs(r: Any) -> list[str]:
    return [d["msg"] for d in r.json()["detail"]]


def _action(client: TestClient, com: dict[str, str], year: int, action: str, on: str, **extra: Any) -> Any:
    version = client.get(f"{API}/cycles/{year}", headers=com).json()["version"]
    body = {"version": version, "on": on} | ({"council_act_reference": ACT} if action == "adopt" else {}) | extra
    return client.post(f"{API}/cycles/{year}/actions/{action}", headers=com, json=body)


def _pool_2027(client: TestClient, auth: H, **pledges: int) -> None:
    """The 2027 cycle in implementation: IT and EL under pressure (needs 1,000 each), PL in a
    significant migratory situation, the relocation pledges given (state: relocations) and HU's money."""
    com = auth("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure", EL="under_pressure",
              PL="significant_migratory_situation")
    for ms, n in pledges.items():
        assert client.post(f"{API}/cycles/2027/pledges", headers=com,
                           json={"member_state": ms, "relocations": n}).status_code == 200
    assert client.post(f"{API}/cycles/2027/pledges", headers=com,
                       json={"member_state": "HU", "financial_eur": 1_000_000}).status_code == 200
    for ms in ("IT", "EL"):
        assert client.post(f"{API}/cycles/2027/needs", headers=com,
                           json={"member_state": ms, "relocations": 1000}).status_code == 200
    assert _action(client, com, 2027, "adopt", "2026-11-01").status_code == 200
    into_2027(client)  # the 2027 pool is implemented in 2027 (Arts 57, 60(3))
    assert _action(client, com, 2027, "start_implementation", "2027-01-04").status_code == 200


def _t(ref: str, origin: str, dest: str, **extra: Any) -> dict[str, Any]:
    return {"applicant_ref": ref, "origin_member_state": origin, "destination_member_state": dest,
            "matched_on": "2026-11-20"} | extra


def _t27(ref: str, origin: str, dest: str, **extra: Any) -> dict[str, Any]:
    """A relocation under the 2027 pool: matched in 2027."""
    return _t(ref, origin, dest, **({"matched_on": "2027-01-04"} | extra))


# ------------------------------------------------------------------ F1: places of the pool


def test_a_relocation_goes_from_a_benefitting_state_to_a_contributor_within_its_places(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    _pool_2027(client, auth_headers, DE=100, LT=3)
    caps = {c["member_state"]: c for c in client.get(f"{API}/cycles/2027/matching-capacities",
                                                     params={"beneficiary": "IT"}, headers=com).json()["capacities"]}
    lt = caps["LT"]["allocated"]
    assert set(caps) == {"DE", "LT"} and lt >= 1

    def post(rows: list[dict[str, Any]], path: str = "/transfers") -> Any:
        return client.post(f"{API}{path}", params={"year": 2027}, headers=com, json={"transfers": rows})

    # HU pledged money only, FR nothing, PL nothing (a state with a deduction), EL benefits, DE is no origin
    r = post([_t27("Q-HU", "IT", "HU"), _t27("Q-FR", "IT", "FR"), _t27("Q-PL", "IT", "PL"),
              _t27("Q-EL", "IT", "EL"), _t27("Q-DEFR", "DE", "LT")])
    assert r.status_code == 422
    assert _locs(r) == ["transfers[0].destination_member_state", "transfers[1].destination_member_state",
                        "transfers[2].destination_member_state", "transfers[3].destination_member_state",
                        "transfers[4].origin_member_state"]
    said = _msgs(r)
    assert "HU has no relocation pledge in the 2027 pool" in said[0]
    assert "EL benefits from the 2027 pool" in said[3] and "does not implement its own pledges" in said[3]
    assert "DE does not benefit from the 2027 pool" in said[4]
    # one more than LT's places for IT: the row beyond them is named, nothing is recorded
    rows = [_t27(f"Q-LT-{i}", "IT", "LT") for i in range(lt + 1)]
    r = post(rows)
    assert r.status_code == 422 and _locs(r) == [f"transfers[{lt}].destination_member_state"]
    assert f"LT has no relocation place left for IT in the 2027 pool: its pledge gives IT {lt} place{'' if lt == 1 else 's'}" in _msgs(r)[0]
    # the import (history with its stages) is held to the same places
    r = post([dict(x, security_cleared_on="2027-01-04") for x in rows], "/transfers/import")
    assert r.status_code == 422 and _locs(r) == [f"transfers[{lt}].destination_member_state"]
    assert client.get(f"{API}/transfers", params={"year": 2027}, headers=com).json()["transfers"] == []
    # within the places: recorded, and the next one is beyond them
    assert post(rows[:lt]).status_code == 201
    assert post([_t27("Q-DE", "IT", "DE")]).status_code == 201
    r = post([_t27("Q-LT-X", "IT", "LT")])
    assert r.status_code == 422 and _locs(r) == ["transfers[0].destination_member_state"]


@pytest.fixture
def cli_env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "com-solidarity")
    return tmp_path


def test_the_command_line_refuses_a_transfer_to_a_state_with_no_place(
        client: TestClient, auth_headers: H, cli_env: Path) -> None:
    # the 2026 pool, in implementation on the command line's day (its clock is not the tests')
    _pool_2026(client, auth_headers)
    f = cli_env / "t.json"
    f.write_text(json.dumps({"transfers": [_t("Q-HU-1", "IT", "HU")]}))
    runner = CliRunner()
    for command in ("transfers-record", "transfers-import"):
        r = runner.invoke(app, ["solidarity", command, str(f), "--year", "2026"])
        assert r.exit_code == 2, r.output
        assert "transfers[0].destination_member_state" in r.output and "HU has no relocation pledge" in r.output


def test_a_deduction_is_taken_off_the_relocations_distributed() -> None:
    from pactum.solidarity.cycle import Pledge, relocations_to_implement

    assert relocations_to_implement(Pledge("PL", relocations=300), 100, 20_000) == 200
    assert relocations_to_implement(Pledge("PL", relocations=300), 400, 20_000) == 0
    # the money covers the deduction first: every relocation place stays
    assert relocations_to_implement(Pledge("PL", relocations=300, financial_eur=2_000_000), 100, 20_000) == 300
    assert relocations_to_implement(Pledge("PL", relocations=300, financial_eur=1_000_000), 100, 20_000) == 250


# ------------------------------------------------------------------ F2: 3 years before the Council's act


def _pool_2026(client: TestClient, auth: H) -> None:
    """The 2026 cycle as adopted on 19.12.2025, in implementation: IT under pressure, DE pledging."""
    com = auth("com-solidarity")
    assert client.post(f"{API}/cycles", headers=com, json={
        "year": 2026, "proposal_on": "2025-11-11",
        "designations": [{"member_state": "IT", "status": "under_pressure"}]}).status_code == 201
    assert _action(client, com, 2026, "open_pledging", "2025-11-24").status_code == 200
    assert client.post(f"{API}/cycles/2026/pledges", headers=com,
                       json={"member_state": "DE", "relocations": 100}).status_code == 200
    assert client.post(f"{API}/cycles/2026/needs", headers=com,
                       json={"member_state": "IT", "relocations": 100}).status_code == 200
    assert _action(client, com, 2026, "adopt", "2025-12-19").status_code == 200
    assert _action(client, com, 2026, "start_implementation", "2026-06-12").status_code == 200
    assert client.post(f"{API}/cycles/2026/beneficiary-agreements", headers=auth("de-admin"), json={
        "beneficiary_member_state": "IT", "agreed_on": "2026-07-01"}).status_code == 201


def test_a_beneficiary_granted_protection_less_than_3_years_before_the_council_act_is_relocated(
        client: TestClient, auth_headers: H, services: Services) -> None:
    com = auth_headers("com-solidarity")
    _pool_2026(client, auth_headers)
    ben = {"status": "beneficiary", "consent_on": "2026-11-20"}
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        _t("QA-BEN-1", "IT", "DE", protection_granted_on="2023-06-01", **ben)]})
    assert r.status_code == 201, r.text
    # granted 3 years or more before the act (19.12.2025): not eligible, said against the act
    r = client.post(f"{API}/transfers", params={"year": 2026}, headers=com, json={"transfers": [
        _t("QA-BEN-2", "IT", "DE", protection_granted_on="2022-12-19", **ben)]})
    assert r.status_code == 422 and _locs(r) == ["transfers[0].protection_granted_on"]
    assert "before the adoption of the cycle's Council implementing act (2025-12-19)" in _msgs(r)[0]
    # the matching takes the date from the cycle of its year, as the transfers do
    req = MatchingRequest(capacities=[CapacityIn(member_state="DE", places=1)], on=date(2026, 11, 27), applicants=[
        ApplicantIn(id="B1", in_member_state="IT", status="beneficiary", protection_granted_on=date(2023, 6, 1),
                    consent=True)])
    result = solidarity.match(services, SYSTEM, req)
    assert [a.applicant_id for a in result.assignments] == ["B1"] and not result.ineligible
    # without a cycle's act, the matching date is the reference (as before)
    assert validate_request(req, today=date(2026, 11, 28)).applicants
    assert solidarity.match(services, SYSTEM, req.model_copy(update={"on": date(2026, 11, 27),
                                                                      "council_act_on": date(2026, 6, 2)})).ineligible


# ------------------------------------------------------------------ F3: the proposal is kept; Art 63(1)


def test_the_offsets_threshold_is_measured_against_the_commission_proposal(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    assert client.post(f"{API}/cycles", headers=com, json={"year": 2027, "proposal_on": "2026-11-20", "designations": [
        {"member_state": "IT", "status": "under_pressure"}, {"member_state": "EL", "status": "under_pressure"}]}
    ).status_code == 201
    assert _action(client, com, 2027, "open_pledging", "2026-11-25").status_code == 200
    for ms, n in (("DE", 100), ("FR", 2000), ("HU", 10)):
        assert client.post(f"{API}/cycles/2027/pledges", headers=com,
                           json={"member_state": ms, "relocations": n}).status_code == 200
    for ms, n in (("IT", 5000), ("EL", 2000)):
        assert client.post(f"{API}/cycles/2027/needs", headers=com,
                           json={"member_state": ms, "relocations": n}).status_code == 200
    r = _action(client, com, 2027, "adopt", "2026-11-27", pool_relocations=1000)
    assert r.status_code == 200, r.text
    c = r.json()
    assert (c["pool_relocations"], c["proposal_relocations"], c["proposal_financial_eur"]) == (1000, 30000, 600_000_000)
    reg = client.get(f"{API}/cycles/2027/offsets", headers=com).json()["regime"]
    assert reg["reference_relocations"] == 30000 and reg["relocation_pledges"] == 2110
    assert reg["relocation_pledges_share"] == round(2110 / 30000, 4) and reg["requests_open"] is False
    assert "of the 30,000 relocations of the Commission's proposal: below 50%" in reg["trace"][0]["outcome"]
    acc = client.get(f"{API}/cycles/2027/overview", headers=com).json()["accounts"]["offsets"]
    assert acc["open"] is False and acc["proposal_relocations"] == 30000


def test_the_migration_keeps_the_current_pool_as_the_proposal_of_existing_cycles(tmp_path: Path) -> None:
    # the product's engine (SQLite with its foreign keys on) and a cycle other rows reference, as in
    # a store in use: rebuilding the table to add the columns is refused there
    from pactum.store.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine, "solidarity_0004_deduction_council_key_figures")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO solidarity_cycles (id, year, status, pool_relocations, pool_financial_eur, proposal_on, "
            "created_by, created_at, version) VALUES ('scy1', 2026, 'implementation', 21000, 420000000, "
            "'2025-11-11', 'x', '2025-11-11 10:00:00', 1)"))
        conn.execute(sa.text(
            "INSERT INTO solidarity_designations (id, cycle_id, member_state, status, created_at) "
            "VALUES ('sdg1', 'scy1', 'IT', 'under_pressure', '2025-11-11 10:00:00')"))
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT proposal_relocations, proposal_financial_eur FROM solidarity_cycles")).one()
    assert tuple(row) == (21000, 420_000_000)


# ------------------------------------------------------------------ F4: the Council grants a justified request


def test_the_council_does_not_grant_a_deduction_the_commission_found_not_justified(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure", PL="significant_migratory_situation")
    d = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("pl-admin"),
                    json={"relocations": 100, "on": "2026-11-26", "substantiation": ART_62_2}).json()
    d = client.post(f"{API}/deductions/{d['id']}/assessment", headers=com,
                    json={"version": d["version"], "justified": False, "on": "2026-11-27"}).json()
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": d["version"], "granted": True, "on": "2026-11-28", "council_act_reference": "CID 2026/1"})
    assert r.status_code == 422 and _locs(r) == ["granted"]
    assert "assessed the request as not justified" in _msgs(r)[0]
    r = client.post(f"{API}/deductions/{d['id']}/decision", headers=com, json={
        "version": d["version"], "granted": False, "on": "2026-11-28", "council_act_reference": "CID 2026/1"})
    assert r.status_code == 200 and r.json()["status"] == "refused"


# ------------------------------------------------------------------ F5: one pool in two units


def test_the_adopted_pool_is_one_figure_in_two_units(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="pledging", IT="under_pressure")
    r = _action(client, com, 2027, "adopt", "2026-11-27", pool_relocations=1000, pool_financial_eur=600_000_000)
    assert r.status_code == 422 and _locs(r) == ["pool_financial_eur"]
    assert "is not 1,000 relocations at EUR 20,000 each" in _msgs(r)[0]
    r = _action(client, com, 2027, "adopt", "2026-11-27", pool_relocations=1000)
    assert r.status_code == 200 and (r.json()["pool_relocations"], r.json()["pool_financial_eur"]) == (1000, 20_000_000)
    shares = client.get(f"{API}/fair-shares", params={"year": 2027}, headers=com).json()["states"]
    pl = next(s for s in shares if s["member_state"] == "PL")
    assert pl["fair_share_eur"] == pytest.approx(pl["fair_share_relocations"] * 20_000, abs=20_000)


# ------------------------------------------------------------------ F6: a change keeps what is left out


def test_changing_a_pledge_keeps_the_fields_left_out(client: TestClient, auth_headers: H) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="pledging", IT="under_pressure")
    de = auth_headers("de-admin")
    p = client.post(f"{API}/cycles/2027/pledges", headers=de, json={
        "relocations": 1000, "financial_eur": 40_000_000, "alternative_eur": 1_000_000,
        "alternative_description": "staff", "preferred_beneficiaries": ["IT"]}).json()["pledge"]
    r = client.post(f"{API}/cycles/2027/pledges", headers=de, json={"version": p["version"], "relocations": 1200})
    assert r.status_code == 200
    p = r.json()["pledge"]
    assert (p["relocations"], p["financial_eur"], p["alternative_eur"], p["alternative_description"],
            p["preferred_beneficiaries"]) == (1200, 40_000_000, 1_000_000, "staff", ["IT"])
    r = client.post(f"{API}/cycles/2027/pledges", headers=de, json={"version": p["version"]})
    assert r.status_code == 422 and _locs(r) == ["relocations"]


# ------------------------------------------------------------------ F7: the VSM ended with the Pact


def test_a_vsm_matching_after_the_pact_is_refused_and_a_vsm_transfer_has_no_art_67_deadline(
        client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    r = client.post(f"{API}/transfers", headers=com, json={"transfers": [_t("QA-V-1", "IT", "DE")]})
    assert r.status_code == 422 and _locs(r) == ["transfers[0].matched_on"]
    assert "too late for the Voluntary Solidarity Mechanism" in _msgs(r)[0]
    r = client.post(f"{API}/transfers/import", headers=com, json={"transfers": [_t("QA-V-2", "IT", "DE")]})
    assert r.status_code == 422 and _locs(r) == ["transfers[0].matched_on"]
    # a VSM matching before the Pact, decided after it: no Art 67(11) deadline
    assert client.post(f"{API}/transfers", headers=com, json={"transfers": [
        _t("QA-V-3", "IT", "DE", matched_on="2026-06-01")]}).status_code == 201
    t = client.get(f"{API}/transfers", params={"era": "vsm"}, headers=com).json()["transfers"][0]
    for v, event in enumerate(("security_cleared", "accepted", "transfer_decided"), start=1):
        r = client.post(f"{API}/transfers/{t['id']}/events", headers=com,
                        json={"event": event, "on": "2026-11-27", "version": v})
        assert r.status_code == 200, r.text
    assert r.json()["stage"] == "transfer_decided" and r.json()["transfer_deadline"] is None


# ------------------------------------------------------------------ F8, F9: pledging


def test_pledges_wait_for_the_forum_and_name_each_benefitting_state_once(client: TestClient, auth_headers: H) -> None:
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="proposal", IT="under_pressure", EL="under_pressure")
    hu = auth_headers("hu-admin")
    r = client.post(f"{API}/cycles/2027/pledges", headers=hu, json={"relocations": 100})
    assert r.status_code == 409 and "pledging for 2027 is not open yet" in r.json()["detail"]
    assert _action(client, com, 2027, "open_pledging", "2026-11-25").status_code == 200
    r = client.post(f"{API}/cycles/2027/pledges", headers=hu,
                    json={"relocations": 10, "preferred_beneficiaries": ["FR", "IT", "IT"]})
    assert r.status_code == 422
    assert _locs(r) == ["preferred_beneficiaries[2]", "preferred_beneficiaries[0]"]
    assert "IT is already named" in _msgs(r)[0] and "FR is not a benefitting state" in _msgs(r)[1]
    r = client.post(f"{API}/cycles/2027/pledges", headers=hu,
                    json={"relocations": 10, "preferred_beneficiaries": ["EL", "IT"]})
    assert r.status_code == 200 and r.json()["pledge"]["preferred_beneficiaries"] == ["EL", "IT"]


# ------------------------------------------------------------------ F10: agreements' sides


def test_a_benefitting_state_is_not_the_contributing_side_of_an_agreement(
        client: TestClient, auth_headers: H, web_client: W) -> None:
    new_cycle(client, auth_headers("com-solidarity"), status="implementation", IT="under_pressure", EL="under_pressure")
    r = client.post(f"{API}/cycles/2027/beneficiary-agreements", headers=auth_headers("it-admin"),
                    json={"beneficiary_member_state": "EL", "agreed_on": "2026-11-20"})
    assert r.status_code == 422 and _locs(r) == ["contributor_member_state"]
    assert "IT benefits from the 2027 pool" in _msgs(r)[0]
    r = client.post(f"{API}/cycles/2027/beneficiary-agreements", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "FR", "agreed_on": "2026-11-20"})
    assert r.status_code == 422 and _locs(r) == ["beneficiary_member_state"]
    html = web_client("it-admin").get("/solidarity/pledge?year=2027").text
    assert 'id="agreement-form"' not in html
    assert 'id="agreement-form"' in web_client("de-admin").get("/solidarity/pledge?year=2027").text


# ------------------------------------------------------------------ F11: the demo's needs add up to the pool


def test_the_demo_worlds_needs_add_up_to_the_pool(demo_world: Callable[..., Services]) -> None:
    services = demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))
    ov = solidarity.pool_overview(services, SYSTEM, 2026)
    assert sum(n["relocations"] for n in ov["needs"]) == 21000
    assert sum(n["financial_eur"] for n in ov["needs"]) == 420_000_000
    c = ov["cycle"]
    # the world keeps the Commission's proposal (Art 12 minimum) and the Council's pool
    assert (c["proposal_relocations"], c["pool_relocations"]) == (30000, 21000)
