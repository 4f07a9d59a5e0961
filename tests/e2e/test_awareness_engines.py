"""One aggregation, several engines: the monthly encounter aggregation gives the same rows on the
store (SQLite; PostgreSQL under the ``postgres`` marker) and on DuckDB over an extract, and the
incremental refresh equals a full one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import analytics
from pactum.store.tables.awareness import awareness_monthly
from pactum.store.tables.registry import encounters, identity_records, persons

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
# (identity id, nationality, date of birth) and (encounter id, identity, state, when, route, kind)
PEOPLE = [("i1", "SYR", "2010-05-01"), ("i2", "AFG", "1990"), ("i3", "GIN", None), ("i4", "BGD", "2009-12")]
EVENTS = [
    ("e1", "i1", "EL", datetime(2026, 9, 3, 8, tzinfo=UTC), "Eastern Mediterranean Route", "irregular_crossing"),
    ("e2", "i2", "EL", datetime(2026, 9, 20, 8, tzinfo=UTC), "Eastern Mediterranean Route", "sar_disembarkation"),
    ("e3", "i3", "IT", datetime(2026, 10, 2, 8, tzinfo=UTC), "Central Mediterranean Route", "sar_disembarkation"),
    ("e4", "i4", "IT", datetime(2026, 10, 9, 8, tzinfo=UTC), "Central Mediterranean Route", "sar_disembarkation"),
    ("e5", "i2", "DE", datetime(2026, 11, 2, 8, tzinfo=UTC), "Western Balkan Route", "in_territory_application"),
    ("e6", "i1", "HU", datetime(2026, 11, 3, 8, tzinfo=UTC), "Western Balkan Route", "irregular_crossing"),
]


def _world(services, events=EVENTS):
    with services.engine.begin() as conn:
        for iid, nat, dob in PEOPLE:
            conn.execute(insert(persons).values(id="p" + iid, member_state="EL", created_at=CREATED, version=1))
            conn.execute(insert(identity_records).values(
                id=iid, person_id="p" + iid, member_state="EL", recorded_on=date(2026, 9, 1), category="applicant",
                nationality=nat, date_of_birth=dob, created_at=CREATED, version=1))
        for eid, iid, ms, at, route, kind in events:
            conn.execute(insert(encounters).values(
                id=eid, person_id="p" + iid, identity_record_id=iid, member_state=ms, occurred_at=at,
                route=route, kind=kind, created_at=CREATED))


def _store_rows(services):
    with services.engine.connect() as conn:
        rows = conn.execute(select(*[awareness_monthly.c[c] for c in analytics.COLUMNS])).all()
    return sorted(tuple(r) for r in rows)


def _check(services):
    _world(services)
    awareness.refresh(services, SYSTEM, full=True)
    store = _store_rows(services)
    assert ("2026-09", "Eastern Mediterranean Route", "EL", "irregular_crossing", "Land", "SYR", 1, 1) in store
    assert ("2026-09", "Eastern Mediterranean Route", "EL", "sar_disembarkation", "Sea", "AFG", 1, 0) in store
    assert ("2026-11", "Western Balkan Route", "DE", "in_territory_application", "Inland", "AFG", 1, 0) in store
    # a person born in 2009 is a minor (under 18) in 2026 by year of birth; no date of birth: not counted
    assert ("2026-10", "Central Mediterranean Route", "IT", "sar_disembarkation", "Sea", "BGD", 1, 1) in store
    assert ("2026-10", "Central Mediterranean Route", "IT", "sar_disembarkation", "Sea", "GIN", 1, 0) in store
    with services.engine.connect() as conn:
        duck = sorted(tuple(r[c] for c in analytics.COLUMNS) for r in analytics.duckdb_monthly(conn, date(2026, 11, 28)))
    assert duck == store
    # a late registration in an open month: the incremental refresh equals a full rebuild
    with services.engine.begin() as conn:
        conn.execute(insert(encounters).values(
            id="e7", person_id="pi3", identity_record_id="i3", member_state="HR",
            occurred_at=datetime(2026, 11, 20, tzinfo=UTC), route="Western Balkan Route", kind="irregular_crossing",
            created_at=CREATED))
    awareness.refresh(services, SYSTEM)
    incremental = _store_rows(services)
    awareness.refresh(services, SYSTEM, full=True)
    assert incremental == _store_rows(services) and len(incremental) == len(store) + 1


def test_sqlite_and_duckdb_agree(services):
    _check(services)


@pytest.mark.postgres
def test_postgres_and_duckdb_agree(pg_services):
    _check(pg_services)


def test_minor_age_comes_from_the_law_parameters():
    assert analytics.minor_age(date(2026, 11, 28)) == 18
    assert "< 18" in analytics.monthly_encounters_sql("spark", minor_age_years=18)
    # the month of the encounter's local day: its place's time zone, else its state's capital's
    assert ("date_format(from_utc_timestamp(e.occurred_at, COALESCE(e.time_zone, CASE e.member_state"
            in analytics.monthly_encounters_sql("spark", minor_age_years=18))
    assert "WHEN 'EL' THEN 'Europe/Athens'" in analytics.monthly_encounters_sql("spark", minor_age_years=18)
