"""The demo world's returns are coherent: every departure deleted its alert, every active alert
belongs to an open decision, hits are by another state, statistics add up."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pactum.api.app import create_app
from pactum.scenario.world import build
from pactum.services import users
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services
from pactum.services.returns import stats_for
from pactum.store.tables.returns import (
    entry_ban_alerts,
    return_alert_hits,
    return_alerts,
    return_decisions,
    return_destination_decisions,
    return_notifications,
)


def test_demo_world_returns_are_coherent(services: Services) -> None:
    build(
        services,
        scale="XS",
        seed=3,
        end=date(2026, 11, 28),
        show_progress=False,
        only=["registry", "returns"],
    )
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(
                return_decisions.c.status,
                return_alerts.c.status.label("alert"),
                return_alerts.c.deletion_reason,
                return_decisions.c.entry_ban_years,
                return_decisions.c.departed_on,
                return_decisions.c.issued_on,
            ).join(return_alerts, return_alerts.c.return_decision_id == return_decisions.c.id)
        ).all()
        assert len(rows) > 10
        for r in rows:
            if r.status == "departed":
                assert r.alert == "deleted" and r.deletion_reason == "departure_confirmed"
                assert r.departed_on >= r.issued_on
            elif r.status == "withdrawn":
                assert r.alert == "deleted" and r.deletion_reason == "decision_withdrawn"
            else:
                assert r.alert == "active"
        departed = [r for r in rows if r.status == "departed"]
        assert departed, "about one in five leaves; nobody left in the demo world"
        # France's prefectures in its outermost regions issue decisions there (the region of the
        # person's encounter): none is entered in SIS (Reg. 2018/1860 Art 3(1), CISA Art 138)
        overseas = conn.execute(
            select(return_decisions.c.id, return_decisions.c.region, return_decisions.c.legal_basis,
                   return_decisions.c.issued_on)
            .where(return_decisions.c.region.is_not(None))
        ).all()
        assert overseas, "the demo world issues no return decision in France's outermost regions"
        assert {r.region for r in overseas} <= {"FR-971", "FR-972", "FR-973", "FR-974", "FR-976", "FR-MF"}
        assert all(any("Article 138" in b for b in r.legal_basis) for r in overseas)
        assert conn.execute(
            select(return_alerts.c.id).where(return_alerts.c.return_decision_id.in_([r.id for r in overseas]))
        ).all() == []
        bans = conn.execute(select(func.count()).select_from(entry_ban_alerts)).scalar_one()
        assert bans == sum(1 for r in departed if r.entry_ban_years)
        hits = conn.execute(select(return_alert_hits)).all()
        assert all(h.executing_member_state != h.issuing_member_state for h in hits)
        for year in (2025, 2026):
            stats = stats_for(conn, year)
            issued = sum(1 for r in (*rows, *overseas) if r.issued_on.year == year)
            assert sum(s.ordered_to_leave for s in stats.rows) == issued
            assert sum(s.returned for s in stats.rows) == sum(
                1 for r in departed if r.departed_on.year == year
            )
        total_rate = len(departed) / len(rows)
        assert 0.05 < total_rate < 0.5
        # removals: a person meant for a charter whom no charter took within half a year (no charter
        # flies to the destination, or no one else was ready for it) is removed on a scheduled flight,
        # not left issued for ever (two in this world; one before), and never before the period for
        # voluntary departure ended (Directive 2008/115/EC Art 8(1))
        removed = conn.execute(select(return_decisions.c.departed_on, return_decisions.c.voluntary_departure_days,
                                      return_decisions.c.issued_on)
                               .where(return_decisions.c.departure_mode == "enforced")).all()
        assert len(removed) >= 2
        assert all(r.departed_on > r.issued_on + timedelta(days=r.voluntary_departure_days or 0) for r in removed)
        # the period for voluntary departure does not run while the decision is suspended (CJEU
        # C-181/16 Gnandi; pactum.returns.period): the world's decisions appealed within their period
        # read a later last day once the appeal is dismissed (or none while it is pending), and no
        # removal is recorded on or before the moved day (Directive 2008/115/EC Art 8(2))
        from pactum.services.returns import _period_runs

        every = [dict(r._mapping) for r in conn.execute(select(return_decisions)).all()]
        runs = _period_runs(conn, every)
        assert any(run.moved or run.paused for run in runs.values()), "no period stopped by a suspension"
        for d in every:
            run = runs.get(d["id"])
            if run is not None and run.moved and d["departure_mode"] in ("enforced", "operation"):
                assert run.ends_on is not None and d["departed_on"] > run.ends_on, d["reference"]
        # the expiry notices are dated the morning after each period ended (the job runs daily in
        # the world), none after the world's end moment (the start of its end date, before the
        # build): the demo's 100 notices all stamped 06:00 of the end date hid the other notices
        end_moment = datetime(2026, 11, 28, tzinfo=UTC)
        notices = conn.execute(
            select(return_notifications.c.kind, return_notifications.c.created_at, return_notifications.c.message,
                   return_decisions.c.voluntary_departure_last_day)
            .join(return_decisions, return_decisions.c.id == return_notifications.c.return_decision_id)
        ).all()
        expired = [n for n in notices if n.kind == "voluntary_departure_expired"]
        assert expired, "no voluntary departure period expired in the demo world"
        for n in notices:
            at = n.created_at if n.created_at.tzinfo else n.created_at.replace(tzinfo=UTC)
            assert at <= end_moment, n
        for n in expired:
            # the period the notice is about (an amended decision on the destination grants a new one:
            # the decision's last day is then the later period's, the notice names the one that ended)
            assert n.created_at.date() > date.fromisoformat(n.message.split(" ended on ", 1)[1][:10]), n
        assert len({n.created_at for n in expired}) > 1
        amended = conn.execute(select(return_destination_decisions)).all()
    _demo_world_amends_destinations(services, amended)


def _demo_world_amends_destinations(services: Services, amended: list[Any]) -> None:
    """The demo world holds amended decisions on the destination (after a refusal of readmission,
    or naming a destination once an unknown nationality is established), shown as the decision's
    history of destinations on the API and on the decision page of the issuing state's officer."""
    assert amended, "the demo world amends no destination: the feature is invisible in make demo"
    officers: dict[str, str] = {}
    for a in amended:
        if a.member_state not in officers:
            name = f"{a.member_state.lower()}.returns.check"
            created = users.create_user(services, SYSTEM, users.UserCreate(
                username=name, full_name="Return Officer", authority=a.member_state, roles=[Role.return_officer],
                password="a-long-password"))
            officers[a.member_state] = users.open_session(
                services, Principal(created.id, created.username, created.authority, frozenset(created.roles)), "api")
    client = TestClient(create_app(services))
    for a in amended:
        got = client.get(f"/api/v1/returns/decisions/{a.return_decision_id}",
                         headers={"Authorization": f"Bearer {officers[a.member_state]}"})
        assert got.status_code == 200, got.text
        history = got.json()["destination_decisions"]
        assert a.reference in [h["reference"] for h in history]
        assert all(h["reasons"] and h["remedies"] for h in history)
        latest = history[-1]
        standing = [h for h in history if h["appeal_outcome"] != "allowed"]
        if got.json()["status"] in ("issued", "suspended"):  # an annulled amendment's destination no longer
            assert got.json()["destination_country"] == (standing[-1]["destination_country"] if standing
                                                         else history[0]["previous_destination"])
        assert latest["voluntary_departure_days"] is not None
    a = amended[0]
    web = TestClient(create_app(services))
    assert web.post("/login", data={"username": f"{a.member_state.lower()}.returns.check",
                                    "password": "a-long-password"}).status_code in (200, 303)
    page = html.unescape(web.get(f"/returns/decisions/{a.return_decision_id}").text)
    section = page.split('id="destinations"', 1)[1].split("</section>", 1)[0]
    assert "History of destinations" in section and a.reference in section and a.reasons in section


def _amendments(services: Services) -> list[tuple[Any, ...]]:
    with services.engine.connect() as conn:
        rows = conn.execute(select(return_destination_decisions).order_by(
            return_destination_decisions.c.issued_on, return_destination_decisions.c.member_state,
            return_destination_decisions.c.destination_country)).all()
    return [(r.member_state, r.number, r.issued_on, r.previous_destination, r.destination_country, r.reasons,
             r.voluntary_departure_days, r.appeal_lodged_on, r.appeal_suspensive, r.appeal_outcome,
             r.appeal_decided_on) for r in rows]


def test_the_demo_worlds_amended_destinations_are_the_same_for_the_same_seed(services: Services,
                                                                              tmp_path: Path) -> None:
    from pactum.settings import Settings
    from pactum.store.migrate import upgrade

    build(services, scale="XS", seed=3, end=date(2026, 11, 28), show_progress=False, only=["registry", "returns"])
    other = Services(settings=Settings(database_url=f"sqlite:///{tmp_path}/other.db", var_dir=tmp_path,
                                       argon2_time_cost=1, argon2_memory_kib=1024), clock=services.clock)
    upgrade(other.engine)
    build(other, scale="XS", seed=3, end=date(2026, 11, 28), show_progress=False, only=["registry", "returns"])
    first = _amendments(services)
    assert first and _amendments(other) == first
    other.engine.dispose()
