"""Solidarity on PostgreSQL: the migration, the cycle with a stale version, transfers and counts."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import Conflict
from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.solidarity.schemas import CycleAction, CycleCreate, TransferRecord, TransfersImport

pytestmark = pytest.mark.postgres


def test_cycle_and_transfer_tracker_on_postgres(pg_services) -> None:
    c = solidarity.create_cycle(pg_services, SYSTEM, CycleCreate(year=2026, proposal_on=date(2025, 11, 11)))
    c2 = solidarity.cycle_action(pg_services, SYSTEM, 2026, "open_pledging",
                                 CycleAction(version=c["version"], on=date(2025, 11, 24)))
    assert c2["status"] == "pledging"
    with pytest.raises(Conflict):  # stale version: nothing written
        solidarity.cycle_action(pg_services, SYSTEM, 2026, "adopt",
                                CycleAction(version=c["version"], on=date(2025, 12, 19), council_act_reference="x"))
    assert solidarity.get_cycle(pg_services, SYSTEM, 2026)["status"] == "pledging"
    solidarity.import_transfers(pg_services, SYSTEM, None, TransfersImport(transfers=[
        TransferRecord(applicant_ref=f"V{i}", origin_member_state=o, destination_member_state="DE",
                       matched_on=date(2023, 1, 2), security_cleared_on=date(2023, 1, 9),
                       accepted_on=date(2023, 1, 16), transfer_decided_on=date(2023, 1, 20),
                       arrived_on=date(2023, 2, 1))
        for i, o in enumerate(["IT", "IT", "CY"])]))
    t = solidarity.transfer_tracker(pg_services, SYSTEM, era="vsm", as_of=date(2023, 6, 23))
    assert t["arrived_by_origin"] == {"IT": 2, "CY": 1} and t["arrived_by_destination"] == {"DE": 3}


def test_a_responsibility_offset_on_postgres_changes_the_responsible_state_once(pg_services) -> None:
    from pactum.common.errors import ValidationProblem
    from pactum.responsibility.schemas import CaseCreate
    from pactum.services import responsibility
    from pactum.solidarity.schemas import DesignationIn, OffsetTakeOver, PledgeIn
    from tests.conftest import principal_of

    s = pg_services
    c = solidarity.create_cycle(s, SYSTEM, CycleCreate(year=2026, proposal_on=date(2025, 11, 11), designations=[
        DesignationIn(member_state="IT", status="under_pressure")]))
    c = solidarity.cycle_action(s, SYSTEM, 2026, "open_pledging", CycleAction(version=c["version"], on=date(2025, 11, 24)))
    solidarity.submit_pledge(s, SYSTEM, 2026, PledgeIn(member_state="DE", relocations=4555))
    solidarity.cycle_action(s, SYSTEM, 2026, "adopt", CycleAction(
        version=c["version"], on=date(2025, 12, 19), council_act_reference="x", pool_relocations=21000))
    de_cw = principal_of(s, "de-caseworker")
    case = responsibility.create_case(s, de_cw, CaseCreate.model_validate({
        "reference": "DE-PG-1", "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-11-20"},
            "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-10-01"}]}}))
    assert case["determination"]["responsible_member_state"] == "IT"
    body = OffsetTakeOver(beneficiary_member_state="IT", case_ids=[case["id"]], on=date(2026, 11, 28))
    out = solidarity.take_over(s, principal_of(s, "de-admin"), 2026, body)
    assert out["mandatory"] is True  # 4,555 of 21,000 is below 60%
    assert responsibility.get_case(s, de_cw, case["id"])["determination"]["responsible_member_state"] == "DE"
    with pytest.raises(ValidationProblem):
        solidarity.take_over(s, principal_of(s, "de-admin"), 2026, body)
    assert solidarity.offsets_view(s, SYSTEM, 2026)["taken_over_total"] == 1


def test_a_year_no_cycle_can_have_is_not_found_on_postgres(pg_services, pg_client) -> None:
    """PostgreSQL's integer column cannot hold 99999999999: the query itself failed (HTTP 500)."""
    from pactum.services import users as users_service
    from tests.conftest import principal_of

    token = users_service.open_session(pg_services, principal_of(pg_services, "com-solidarity"), "api")
    h = {"Authorization": f"Bearer {token}"}
    for path in ("", "/overview", "/distribution", "/offsets"):
        r = pg_client.get(f"/api/v1/solidarity/cycles/99999999999{path}", headers=h)
        assert r.status_code == 404 and "no solidarity cycle for 99999999999" in r.text, (path, r.text)
    r = pg_client.post("/api/v1/solidarity/cycles", headers=h, json={"year": 99999, "proposal_on": "2026-10-15"})
    assert r.status_code == 422 and "year" in r.text, r.text


def test_amounts_beyond_an_integer_column_are_named_on_postgres(pg_services, pg_client) -> None:
    """PostgreSQL's integer columns hold up to 2,147,483,647: a pledge, a need, a deduction or a
    payment of 10**12 was an 'integer out of range' 500 there (SQLite took it)."""
    from pactum.services import users as users_service
    from tests.conftest import principal_of

    def h(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {users_service.open_session(pg_services, principal_of(pg_services, user), 'api')}"}

    assert pg_client.post("/api/v1/solidarity/cycles", headers=h("com-solidarity"),
                          json={"year": 2027, "proposal_on": "2026-10-15"}).status_code == 201
    # states pledge once the High-Level Forum has opened pledging (AMMR Arts 13, 57(1))
    assert pg_client.post("/api/v1/solidarity/cycles/2027/actions/open_pledging", headers=h("com-solidarity"),
                          json={"version": 1, "on": "2026-10-28"}).status_code == 200
    for path, user, body, field in (
            ("/pledges", "de-admin", {"relocations": 10**12}, "relocations"),
            ("/pledges", "de-admin", {"financial_eur": 10**12}, "financial_eur"),
            ("/needs", "it-admin", {"relocations": 100, "financial_eur": 10**12}, "financial_eur")):
        r = pg_client.post(f"/api/v1/solidarity/cycles/2027{path}", headers=h(user), json=body)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == field, r.text
    # since 1 December 2026 no pledge exceeds the whole pool (EUR 600 million for a proposal at the
    # Art 12(2) minimum), below the column's 2,147,483,647: one EUR above is named, the pool itself
    # is stored
    r = pg_client.post("/api/v1/solidarity/cycles/2027/pledges", headers=h("de-admin"),
                       json={"relocations": 2_000, "financial_eur": 600_000_001})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "financial_eur", r.text
    r = pg_client.post("/api/v1/solidarity/cycles/2027/pledges", headers=h("de-admin"),
                       json={"relocations": 2_000, "financial_eur": 600_000_000})
    assert r.status_code == 200 and r.json()["pledge"]["financial_eur"] == 600_000_000, r.text


def test_a_cycle_s_pool_and_council_act_fit_their_columns_on_postgres(pg_services, pg_client) -> None:
    from pactum.services import users as users_service
    from tests.conftest import principal_of

    token = users_service.open_session(pg_services, principal_of(pg_services, "com-solidarity"), "api")
    h = {"Authorization": f"Bearer {token}"}
    r = pg_client.post("/api/v1/solidarity/cycles", headers=h,
                       json={"year": 2027, "proposal_on": "2026-10-15", "pool_financial_eur": 10**12})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "pool_financial_eur", r.text
    c = pg_client.post("/api/v1/solidarity/cycles", headers=h, json={"year": 2027, "proposal_on": "2026-10-15"}).json()
    c = pg_client.post("/api/v1/solidarity/cycles/2027/actions/open_pledging", headers=h,
                       json={"version": c["version"], "on": "2026-11-20"}).json()
    r = pg_client.post("/api/v1/solidarity/cycles/2027/actions/adopt", headers=h,
                       json={"version": c["version"], "on": "2026-11-25", "council_act_reference": "x" * 10_000})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "council_act_reference", r.text
