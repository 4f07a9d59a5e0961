"""The demo world: deterministic for a seed, calibrated on the Frontex series, across both regimes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.store.tables.registry import encounters, identity_records, persons, screenings


def _snapshot(services):
    with services.engine.connect() as conn:
        rows = conn.execute(select(identity_records.c.surname_latin, identity_records.c.date_of_birth,
                                   identity_records.c.nationality, identity_records.c.member_state)
                            .order_by(identity_records.c.recorded_on, identity_records.c.surname_latin,
                                      identity_records.c.date_of_birth)).all()
    return [tuple(r) for r in rows]


def test_world_is_deterministic_and_spans_both_regimes(services, tmp_path):
    from pactum.services.bootstrap import Services
    from pactum.settings import Settings

    build(services, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False, only=["registry"])
    with services.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(encounters)).scalar()
        routes = dict(conn.execute(select(encounters.c.route, func.count()).group_by(encounters.c.route)).all())
        pre = conn.execute(select(func.count()).select_from(encounters)
                           .where(encounters.c.occurred_at < "2026-06-12")).scalar()
        screened = conn.execute(select(func.count()).select_from(screenings)).scalar()
        second_state = conn.execute(select(func.count()).select_from(encounters)
                                    .where(encounters.c.route.is_(None))).scalar()
        assert conn.execute(select(func.count()).select_from(persons)).scalar() == n
    assert 150 < n < 400
    # the two busiest routes of the Frontex series lead the demo world too
    top = sorted((k for k in routes if k), key=lambda k: -routes[k])[:2]
    assert set(top) == {"Central Mediterranean Route", "Eastern Mediterranean Route"}
    assert 0 < pre < n and 0 < screened < n  # pre-Pact encounters get no screening
    assert second_state > 0  # secondary movements: encountered again in another state

    # same seed, same world
    other = Services(settings=Settings(database_url=f"sqlite:///{tmp_path}/other.db",
                                       var_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024),
                     clock=services.clock)
    from pactum.store.migrate import upgrade

    upgrade(other.engine)
    build(other, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False, only=["registry"])
    assert _snapshot(other) == _snapshot(services)
