"""The demo world holds the annex as data, and its later state of play cites live figures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.services import followup
from pactum.store.tables.registry import encounters


def test_demo_world_loads_the_annex_and_the_report_cites_registrations(services):
    build(services, scale="XS", seed=3, end=date(2026, 11, 28), show_progress=False,
          only=["registry", "followup"])
    with services.engine.connect() as conn:
        registered = conn.execute(select(func.count()).select_from(encounters)).scalar()
    assert registered > 0
    june = followup.state_of_play(services, date(2023, 6, 23))
    assert [r.number for r in june.commitments] == list(range(1, 16)) and not june.overdue
    later = followup.state_of_play(services, date(2026, 11, 28))
    live = {a.key: a.live for r in later.commitments for _, group in r.groups for a in group if a.live}
    assert live["3.a"].available and live["3.a"].value == registered
    assert live["3.a"].as_of == date(2026, 11, 28)
