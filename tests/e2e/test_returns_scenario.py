"""The demo world's returns are coherent: every departure deleted its alert, every active alert
belongs to an open decision, hits are by another state, statistics add up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.services.bootstrap import Services
from pactum.services.returns import stats_for
from pactum.store.tables.returns import entry_ban_alerts, return_alert_hits, return_alerts, return_decisions


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
