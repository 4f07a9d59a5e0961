"""The procedures migration ``procedures_0010_refugee_status_no_appeal``: an open case notified with
refugee status loses the appeal time limit it was given (APR Art 67(1), (2): no appeal lies against
a grant of refugee status) and its next deadline; a notified rejection keeps both."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons


def test_a_stored_notified_grant_of_refugee_status_loses_its_appeal_time_limit(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0009_new_elements_found_on")
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    row = {"member_state": "IT", "person_id": "per_1", "nationality": "SYR", "context": "in_territory",
           "unaccompanied_minor": False, "procedure": "regular", "routing_mandatory": False,
           "routing_grounds": [], "routing": {}, "state": "notified", "made_on": date(2026, 8, 3),
           "registered_on": date(2026, 8, 3), "lodged_on": date(2026, 8, 3), "decided_on": date(2026, 11, 2),
           "notified_on": date(2026, 11, 4), "appeal_deadline": date(2026, 12, 4),
           "next_deadline": date(2026, 12, 4), "next_deadline_kind": "appeal", "created_at": at, "version": 9,
           "closed": False}
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(asylum_applications), [
            {**row, "id": "asy_granted", "reference": "IT-2026-000001", "outcome": "refugee_status"},
            {**row, "id": "asy_rejected", "reference": "IT-2026-000002", "outcome": "rejected_unfounded"}])
    upgrade(engine)
    with engine.connect() as conn:
        got = {r.id: (r.appeal_deadline, r.next_deadline, r.next_deadline_kind, r.version) for r in conn.execute(
            select(asylum_applications.c.id, asylum_applications.c.appeal_deadline,
                   asylum_applications.c.next_deadline, asylum_applications.c.next_deadline_kind,
                   asylum_applications.c.version))}
    engine.dispose()
    assert got == {"asy_granted": (None, None, None, 9),
                   "asy_rejected": (date(2026, 12, 4), date(2026, 12, 4), "appeal", 9)}
