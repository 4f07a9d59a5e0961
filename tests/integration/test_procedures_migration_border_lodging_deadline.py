"""The procedures data migration ``procedures_0008_border_lodging_deadline``: an open case registered
in the border procedure under the APR gets its five days to lodge (Art 51(1)) as its stored next
deadline in place of Art 28(1)'s 21 days; a regular case, a border case under Directive 2013/32/EU
and a closed one are left alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons


def test_a_stored_registered_border_case_gets_five_days_to_lodge(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0007_ground_38_1_e_deadline")
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    row = {"member_state": "IT", "person_id": "per_1", "nationality": "BGD", "context": "sar_disembarkation",
           "unaccompanied_minor": False, "procedure": "border", "routing_mandatory": True,
           "routing_grounds": [], "routing": {}, "state": "registered", "made_on": date(2026, 11, 19),
           "registered_on": date(2026, 11, 19), "next_deadline": date(2026, 12, 10),
           "next_deadline_kind": "lodging", "created_at": at, "version": 2}
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(asylum_applications), [
            {**row, "id": "asy_border", "reference": "IT-2026-000001", "closed": False},
            {**row, "id": "asy_regular", "reference": "IT-2026-000002", "closed": False, "procedure": "regular"},
            {**row, "id": "asy_closed", "reference": "IT-2026-000003", "closed": True},
            {**row, "id": "asy_directive", "reference": "IT-2026-000004", "closed": False,
             "made_on": date(2026, 3, 2), "registered_on": date(2026, 3, 3),
             "next_deadline": date(2026, 3, 31), "next_deadline_kind": "border_procedure_end"}])
    upgrade(engine)
    with engine.connect() as conn:
        got = {r.id: (r.next_deadline, r.next_deadline_kind, r.version) for r in conn.execute(
            select(asylum_applications.c.id, asylum_applications.c.next_deadline,
                   asylum_applications.c.next_deadline_kind, asylum_applications.c.version))}
    engine.dispose()
    assert got["asy_border"] == (date(2026, 11, 24), "lodging", 2)
    assert got["asy_regular"] == (date(2026, 12, 10), "lodging", 2)
    assert got["asy_closed"] == (date(2026, 12, 10), "lodging", 2)
    assert got["asy_directive"] == (date(2026, 3, 31), "border_procedure_end", 2)
