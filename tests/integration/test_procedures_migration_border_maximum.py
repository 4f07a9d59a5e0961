"""The procedures data migration ``procedures_0003_border_maximum``: an open border case whose
stored next deadline is the border procedure's end gets the maximum's last day, not the working
day after it (docs/law.md, "Maxima that run out by themselves"); a closed case is left alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons


def test_an_open_border_case_ends_on_the_twelfth_saturday(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0002_refusals_of_entry")
    at = datetime(2026, 7, 4, 9, tzinfo=UTC)
    # registered on Saturday 4 July 2026 in Italy: 12 weeks end on Saturday 26 September; stored
    # as Monday 28 September by the extension
    row = {"member_state": "IT", "person_id": "per_1", "nationality": "BGD", "context": "sar_disembarkation",
           "unaccompanied_minor": False, "procedure": "border", "routing_mandatory": True, "routing_grounds": [],
           "routing": {}, "state": "lodged", "made_on": date(2026, 7, 4), "registered_on": date(2026, 7, 4),
           "next_deadline": date(2026, 9, 28), "next_deadline_kind": "border_procedure_end",
           "created_at": at, "version": 3}
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(asylum_applications), [{**row, "id": "asy_open", "closed": False},
                                                   {**row, "id": "asy_closed", "closed": True}])
    upgrade(engine)
    with engine.connect() as conn:
        got = {r.id: (r.next_deadline, r.version) for r in conn.execute(
            select(asylum_applications.c.id, asylum_applications.c.next_deadline, asylum_applications.c.version))}
    engine.dispose()
    assert got == {"asy_open": (date(2026, 9, 26), 3), "asy_closed": (date(2026, 9, 28), 3)}
