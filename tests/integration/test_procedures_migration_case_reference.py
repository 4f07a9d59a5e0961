"""The procedures migration ``procedures_0004_case_reference``: every existing asylum case gets its
short reference, numbered per state and year in the order the applications were made, and new
cases go on from the last number given."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.services.procedures import _next_reference
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications, asylum_case_reference_counters
from pactum.store.tables.registry import persons


def test_existing_cases_are_numbered_in_the_order_they_were_made(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0003_border_maximum")
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    row = {"member_state": "IT", "person_id": "per_1", "nationality": "BGD", "context": "in_territory",
           "unaccompanied_minor": False, "procedure": "regular", "routing_mandatory": False, "routing_grounds": [],
           "routing": {}, "state": "made", "closed": False, "created_at": at, "version": 1}
    cases = [  # recorded out of order: the ids do not say which was made first
        ("asy_a", "IT", date(2026, 3, 2)), ("asy_b", "IT", date(2026, 1, 15)), ("asy_c", "DE", date(2026, 2, 1)),
        ("asy_d", "IT", date(2025, 12, 31)), ("asy_e", "IT", date(2026, 3, 2))]
    t = asylum_applications
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(t), [
            {**row, "id": cid, "member_state": ms, "made_on": made} for cid, ms, made in cases])
    upgrade(engine)
    with engine.begin() as conn:
        got = dict(conn.execute(select(t.c.id, t.c.reference)).all())
        counters = {(r.member_state, r.year): r.last_number
                    for r in conn.execute(select(asylum_case_reference_counters))}
        following = _next_reference(conn, "IT", 2026), _next_reference(conn, "DE", 2027)
    engine.dispose()
    assert got == {"asy_b": "IT-2026-000001", "asy_a": "IT-2026-000002", "asy_e": "IT-2026-000003",
                   "asy_c": "DE-2026-000001", "asy_d": "IT-2025-000001"}
    assert counters == {("IT", 2026): 3, ("DE", 2026): 1, ("IT", 2025): 1}
    assert following == ("IT-2026-000004", "DE-2027-000001")
