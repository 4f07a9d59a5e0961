"""The awareness migration ``awareness_0002_local_months``: the monthly figures a store aggregated
before (each encounter in its UTC month, every encounter without a route "Inland (no route)") are
rebuilt, every month of them, by the day each encounter happened where it happened, and an
arrival at the border whose route was not recorded is "Route not recorded"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from pactum.store.engine import make_engine
from pactum.store.migrate import current_heads, upgrade
from pactum.store.tables.awareness import awareness_monthly

CREATED = datetime(2026, 11, 25, tzinfo=UTC)
_PERSONS = sa.table("persons", sa.column("id"), sa.column("member_state"), sa.column("created_at"),
                    sa.column("version"))
_RECORDS = sa.table("identity_records", sa.column("id"), sa.column("person_id"), sa.column("member_state"),
                    sa.column("recorded_on"), sa.column("category"), sa.column("nationality"),
                    sa.column("created_at"), sa.column("version"))
_ENCOUNTERS = sa.table("encounters", sa.column("id"), sa.column("person_id"), sa.column("identity_record_id"),
                       sa.column("member_state"), sa.column("occurred_at"), sa.column("route"), sa.column("kind"),
                       sa.column("time_zone"), sa.column("created_at"))
# (state, moment in UTC, route, kind, time zone): 00:30 on 1 August in Athens (summer: UTC+3), and
# a crossing into Mayotte (UTC+3) at 01:00 on 1 August whose route was not recorded
ROWS = [("EL", datetime(2026, 7, 31, 21, 30, tzinfo=UTC), "Eastern Mediterranean Route", "irregular_crossing", None),
        ("FR", datetime(2026, 7, 31, 22, tzinfo=UTC), None, "irregular_crossing", "Indian/Mayotte")]


def test_the_upgrade_rebuilds_the_monthly_figures_by_local_month(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "registry_0006_encounter_time_zone")
    upgrade(engine, "awareness_0001_initial")
    assert "awareness_0002_local_months" not in current_heads(engine)
    with engine.begin() as conn:
        for n, (ms, at, route, kind, zone) in enumerate(ROWS):
            conn.execute(sa.insert(_PERSONS).values(id=f"per_{n}", member_state=ms, created_at=CREATED, version=1))
            conn.execute(sa.insert(_RECORDS).values(id=f"idr_{n}", person_id=f"per_{n}", member_state=ms,
                                                    recorded_on=CREATED.date(), category="irregular_crossing",
                                                    nationality="SYR", created_at=CREATED, version=1))
            conn.execute(sa.insert(_ENCOUNTERS).values(id=f"enc_{n}", person_id=f"per_{n}", identity_record_id=f"idr_{n}",
                                                       member_state=ms, occurred_at=at, route=route, kind=kind,
                                                       time_zone=zone, created_at=CREATED))
        # what the refresh of the code before aggregated: July (UTC), and "Inland (no route)"
        conn.execute(sa.insert(awareness_monthly), [
            {"month": "2026-07", "route": "Eastern Mediterranean Route", "member_state": "EL",
             "kind": "irregular_crossing", "border_type": "Land", "nationality": "SYR", "encounters": 1, "minors": 0},
            {"month": "2026-07", "route": "Inland (no route)", "member_state": "FR",
             "kind": "irregular_crossing", "border_type": "Land", "nationality": "SYR", "encounters": 1, "minors": 0}])
    upgrade(engine)
    with engine.connect() as conn:
        rows = sorted(tuple(r) for r in conn.execute(sa.select(
            awareness_monthly.c.month, awareness_monthly.c.route, awareness_monthly.c.member_state,
            awareness_monthly.c.encounters)))
    assert rows == [("2026-08", "Eastern Mediterranean Route", "EL", 1), ("2026-08", "Route not recorded", "FR", 1)]
    engine.dispose()
