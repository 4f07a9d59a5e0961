"""The demo world's returns are coherent: every departure deleted its alert, every active alert
belongs to an open decision, hits are by another state, statistics add up."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.services.bootstrap import Services
from pactum.services.returns import stats_for
from pactum.store.tables.returns import (
    entry_ban_alerts,
    return_alert_hits,
    return_alerts,
    return_decisions,
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
        bans = conn.execute(select(func.count()).select_from(entry_ban_alerts)).scalar_one()
        assert bans == sum(1 for r in departed if r.entry_ban_years)
        hits = conn.execute(select(return_alert_hits)).all()
        assert all(h.executing_member_state != h.issuing_member_state for h in hits)
        for year in (2025, 2026):
            stats = stats_for(conn, year)
            issued = sum(1 for r in rows if r.issued_on.year == year)
            assert sum(s.ordered_to_leave for s in stats.rows) == issued
            assert sum(s.returned for s in stats.rows) == sum(
                1 for r in departed if r.departed_on.year == year
            )
        total_rate = len(departed) / len(rows)
        assert 0.05 < total_rate < 0.5
        # the expiry notices are dated the morning after each period ended (the job runs daily in
        # the world), none after the world's end moment (the start of its end date, before the
        # build): the demo's 100 notices all stamped 06:00 of the end date hid the other notices
        end_moment = datetime(2026, 11, 28, tzinfo=UTC)
        notices = conn.execute(
            select(return_notifications.c.kind, return_notifications.c.created_at,
                   return_decisions.c.voluntary_departure_last_day)
            .join(return_decisions, return_decisions.c.id == return_notifications.c.return_decision_id)
        ).all()
        expired = [n for n in notices if n.kind == "voluntary_departure_expired"]
        assert expired, "no voluntary departure period expired in the demo world"
        for n in notices:
            at = n.created_at if n.created_at.tzinfo else n.created_at.replace(tzinfo=UTC)
            assert at <= end_moment, n
        for n in expired:
            assert n.created_at.date() > n.voluntary_departure_last_day
        assert len({n.created_at for n in expired}) > 1
