"""The procedure and its deadline sweep on PostgreSQL: silence becomes acceptance, an unanswered
re-examination closes, a lapsed transfer period shifts responsibility, each with its event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pactum.common.clock import FixedClock
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import users
from pactum.store.tables.responsibility import dublin_request_events

pytestmark = pytest.mark.postgres


def _case(services: Services, who: Principal, ref: str) -> dict:
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-11-20"},
            "entries": [{"kind": "sar_disembarkation", "member_state": "IT", "on": "2026-10-01"}]}}))


def _who(services: Services, username: str) -> Principal:
    with services.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).one()
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


def test_sweep_on_postgres(pg_services: Services) -> None:
    de, it = _who(pg_services, "de-dublin"), _who(pg_services, "it-dublin")
    silent = responsibility.send_request(pg_services, de, _case(pg_services, de, "PG-1")["id"],
                                         RequestCreate(kind="take_charge"))
    refused = responsibility.send_request(pg_services, de, _case(pg_services, de, "PG-2")["id"],
                                          RequestCreate(kind="take_charge"))
    refused = responsibility.act(pg_services, it, refused["id"], "refuse",
                                 RequestAction(version=1, reasons="No record"))
    refused = responsibility.act(pg_services, de, refused["id"], "request_reexamination",
                                 RequestAction(version=refused["version"], reasons="Eurodac IT2 hit"))
    clock = pg_services.clock
    assert isinstance(clock, FixedClock)
    clock.set(clock.now() + timedelta(days=40))
    summary = responsibility.deadlines_job(pg_services, clock.now())
    assert summary.startswith("silence as acceptance: 1,") and "reexamination closed: 1" in summary
    got = responsibility.get_request(pg_services, de, silent["id"])
    assert got["status"] == "accepted_tacitly" and got["accepted_on"] == silent["reply_due"]
    assert got["deadlines"]["transfer"]["ends_on"] == got["transfer_due"]
    assert responsibility.get_request(pg_services, de, refused["id"])["status"] == "refused_final"
    clock.set(clock.now() + timedelta(days=200))
    assert "transfer lapsed: 1" in responsibility.deadlines_job(pg_services, clock.now())
    got = responsibility.get_request(pg_services, it, silent["id"])
    assert got["status"] == "responsibility_shifted" and got["responsible_member_state"] == "DE"
    with pg_services.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(dublin_request_events).where(
            dublin_request_events.c.request_id == silent["id"])).scalar()
    assert n == 3  # sent, accepted by silence, responsibility shifted


def test_sweep_honours_a_suspensive_appeal_on_postgres(pg_services: Services) -> None:
    de, it = _who(pg_services, "de-dublin"), _who(pg_services, "it-dublin")
    req = responsibility.send_request(pg_services, de, _case(pg_services, de, "PG-3")["id"],
                                      RequestCreate(kind="take_charge"))
    req = responsibility.act(pg_services, it, req["id"], "accept", RequestAction(version=1))
    req = responsibility.act(pg_services, de, req["id"], "decide_transfer",
                             RequestAction(version=req["version"]))
    clock = pg_services.clock
    assert isinstance(clock, FixedClock)
    lodged = clock.now().date()
    req = responsibility.act(pg_services, de, req["id"], "record_appeal", RequestAction(
        version=req["version"], appeal_lodged_on=lodged, suspensive_effect=True))
    assert req["transfer_due"] is None
    clock.set(clock.now() + timedelta(days=300))  # the original six months are long past
    assert "transfer lapsed: 0" in responsibility.deadlines_job(pg_services, clock.now())
    decided = clock.now().date() - timedelta(days=1)
    req = responsibility.act(pg_services, de, req["id"], "decide_appeal", RequestAction(
        version=req["version"], appeal_decided_on=decided))
    assert req["transfer_due"] > decided.isoformat()
    clock.set(clock.now() + timedelta(days=190))
    assert "transfer lapsed: 1" in responsibility.deadlines_job(pg_services, clock.now())
    got = responsibility.get_request(pg_services, de, req["id"])
    assert got["status"] == "responsibility_shifted" and got["closed_on"] == req["transfer_due"]
