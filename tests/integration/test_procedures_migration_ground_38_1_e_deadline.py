"""The procedures data migration ``procedures_0007_ground_38_1_e_deadline``: an open case whose draft
rejects the application as inadmissible on APR Art 38(1)(e) gets the end of that examination (ten
working days from lodging, Art 35(1), second subparagraph) as its stored next deadline; a case
drafted on another ground, and a closed one, are left alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons


def test_a_stored_draft_on_the_ground_gets_the_ten_working_days_as_its_next_deadline(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0004_case_reference")
    at = datetime(2026, 11, 28, 9, tzinfo=UTC)
    # lodged Friday 27 November 2026 in Italy, drafted on the ground; stored with the accelerated
    # procedure's three months
    row = {"member_state": "IT", "person_id": "per_1", "nationality": "BGD", "context": "in_territory",
           "unaccompanied_minor": False, "procedure": "accelerated", "routing_mandatory": True,
           "routing_grounds": [], "routing": {}, "state": "draft_decision", "made_on": date(2026, 11, 27),
           "registered_on": date(2026, 11, 27), "lodged_on": date(2026, 11, 27),
           "interview_held_on": date(2026, 11, 27), "outcome": "inadmissible",
           "inadmissibility_ground": "return_decision_late_application",
           "next_deadline": date(2027, 3, 1), "next_deadline_kind": "examination_accelerated",
           "created_at": at, "version": 6}
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(asylum_applications), [
            {**row, "id": "asy_draft", "reference": "IT-2026-000001", "closed": False},
            {**row, "id": "asy_other", "reference": "IT-2026-000002", "closed": False,
             "inadmissibility_ground": "safe_third_country"},
            {**row, "id": "asy_closed", "reference": "IT-2026-000003", "closed": True}])
    upgrade(engine)
    with engine.connect() as conn:
        got = {r.id: (r.next_deadline, r.next_deadline_kind, r.version) for r in conn.execute(
            select(asylum_applications.c.id, asylum_applications.c.next_deadline,
                   asylum_applications.c.next_deadline_kind, asylum_applications.c.version))}
    engine.dispose()
    assert got == {
        "asy_draft": (date(2026, 12, 14), "examination_admissibility_late_after_return_decision", 6),
        "asy_other": (date(2027, 3, 1), "examination_accelerated", 6),
        "asy_closed": (date(2027, 3, 1), "examination_accelerated", 6)}
