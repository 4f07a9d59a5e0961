"""The procedures migration ``procedures_0009_new_elements_found_on``: a subsequent application
already found to present new elements (APR Art 55(6)) takes the day of that finding from its
``subsequent_admitted`` timeline event; other cases have none."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications, asylum_case_events
from pactum.store.tables.registry import persons


def test_a_stored_admitted_subsequent_application_gets_the_day_of_the_finding(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0008_border_lodging_deadline")
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    row = {"member_state": "IT", "person_id": "per_1", "nationality": "ERI", "context": "in_territory",
           "unaccompanied_minor": False, "procedure": "accelerated", "routing_mandatory": True,
           "routing_grounds": ["subsequent_application"], "routing": {}, "state": "lodged",
           "made_on": date(2026, 8, 3), "registered_on": date(2026, 8, 3), "lodged_on": date(2026, 8, 4),
           "created_at": at, "version": 4, "closed": False}
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(asylum_applications), [
            {**row, "id": "asy_admitted", "reference": "IT-2026-000001"},
            {**row, "id": "asy_first", "reference": "IT-2026-000002", "routing_grounds": []}])
        conn.execute(insert(asylum_case_events), [
            {"id": "ev_1", "case_id": "asy_admitted", "at": at, "event": "subsequent_admitted", "from_state": "lodged",
             "to_state": "lodged", "actor": "ana", "detail": {"found_on": "2026-08-20", "procedure": "accelerated"}},
            {"id": "ev_2", "case_id": "asy_first", "at": at, "event": "lodged", "from_state": "registered",
             "to_state": "lodged", "actor": "ana", "detail": {"lodged_on": "2026-08-04"}}])
    upgrade(engine)
    with engine.connect() as conn:
        got = {r.id: (r.new_elements_found_on, r.version) for r in conn.execute(
            select(asylum_applications.c.id, asylum_applications.c.new_elements_found_on,
                   asylum_applications.c.version))}
    engine.dispose()
    assert got == {"asy_admitted": (date(2026, 8, 20), 4), "asy_first": (None, 4)}
