"""The procedures migration ``procedures_0013_interview_not_attended``: a case whose applicant's
absence from the personal interview (APR Art 13(14)) was stored in the omission's columns as ground
``not_attended`` upgrades with the day in its own column and the omission's columns empty; a case
with an omission (Art 13(11)) keeps it; the case reads as before; downgrading moves the day back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import MetaData, Table, insert, select

from pactum.procedures import workflow
from pactum.services.procedures import case_from_row
from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons

AT = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _row(case_id: str, n: int, **omission: object) -> dict[str, object]:
    return {
        "id": case_id,
        "reference": f"IT-2026-00000{n}",
        "member_state": "IT",
        "person_id": "per_1",
        "nationality": "SYR",
        "context": "in_territory",
        "unaccompanied_minor": False,
        "procedure": "regular",
        "routing_mandatory": False,
        "routing_grounds": [],
        "routing": {},
        "state": "interview_scheduled",
        "made_on": date(2026, 8, 3),
        "registered_on": date(2026, 8, 3),
        "lodged_on": date(2026, 8, 4),
        "created_at": AT,
        "version": 5,
        "closed": False,
        **omission,
    }


def test_the_absence_moves_to_its_own_column_and_reads_the_same(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0012_interview_omitted")
    old = Table("asylum_applications", MetaData(), autoload_with=engine)  # the table as it was
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": AT, "version": 1}])
        conn.execute(
            insert(old),
            [
                _row(
                    "asy_absent",
                    1,
                    interview_omitted_on=date(2026, 8, 18),
                    interview_omission_ground="not_attended",
                    interview_written_until=None,
                    interview_omission_same_rights=False,
                ),
                _row(
                    "asy_unfit",
                    2,
                    interview_omitted_on=date(2026, 8, 20),
                    interview_omission_ground="unfit_or_unable",
                    interview_written_until=date(2026, 9, 3),
                    interview_omission_same_rights=False,
                ),
            ],
        )
    upgrade(engine)
    A = asylum_applications
    with engine.begin() as conn:
        rows = {r["id"]: r for r in conn.execute(select(A)).mappings()}
    absent, unfit = rows["asy_absent"], rows["asy_unfit"]
    assert (
        absent["interview_not_attended_on"],
        absent["interview_omitted_on"],
        absent["interview_omission_ground"],
        absent["version"],
    ) == (date(2026, 8, 18), None, None, 5)
    assert (
        unfit["interview_not_attended_on"],
        unfit["interview_omitted_on"],
        unfit["interview_omission_ground"],
        unfit["interview_written_until"],
    ) == (None, date(2026, 8, 20), "unfit_or_unable", date(2026, 9, 3))
    case = case_from_row(absent)
    # what the read and the draft say is what they said before the move
    assert workflow.omission_summary(case)["recorded_on"] == "2026-08-18"
    assert workflow.omission_summary(case)["ground"] == "not_attended"
    assert workflow.draft_before_interview(case) is None
    assert "record_interview_not_attended" not in workflow.available_actions(case, "ana")
    assert workflow.omission_summary(case_from_row(unfit))["ground"] == "unfit_or_unable"

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "procedures_0012_interview_omitted")
    with engine.connect() as conn:
        assert "interview_not_attended_on" not in {
            c["name"] for c in sa.inspect(conn).get_columns("asylum_applications")
        }
        back = {
            r.id: r
            for r in conn.execute(
                sa.text("select id, interview_omitted_on, interview_omission_ground from asylum_applications")
            )
        }
    engine.dispose()
    assert (str(back["asy_absent"].interview_omitted_on), back["asy_absent"].interview_omission_ground) == (
        "2026-08-18",
        "not_attended",
    )
    assert back["asy_unfit"].interview_omission_ground == "unfit_or_unable"
