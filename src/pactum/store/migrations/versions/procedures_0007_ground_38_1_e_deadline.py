"""procedures: an open case drafted as inadmissible on APR Art 38(1)(e) gets that examination's end as its stored next deadline

APR Art 35(1), second subparagraph: on the ground of Art 38(1)(e) (an application made more than
seven working days after the applicant received a return decision) the determining authority
concludes the admissibility examination within ten working days of lodging
(``apr.time_limits.admissibility_ground_38_1_e``). The case's next deadline takes that end once a
draft names the ground (``pactum.procedures.workflow.ground_38_1_e_examined``); cases drafted so
before kept the procedure's time limit (months away) as their stored ``next_deadline``, which the
queue, the overdue filter and the caseworker's home page read. The stored value is a pure function
of the case's row: it is computed again here, for those cases only (open, a draft or a draft under
review, inadmissible on that ground). The row's version is left alone (an officer's open form is not
made stale). Downgrading leaves the corrected values.

Revision ID: procedures_0007_ground_38_1_e_deadline
Revises: procedures_0006_request_to_remain
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0007_ground_38_1_e_deadline"
down_revision = "procedures_0006_request_to_remain"
branch_labels = None
depends_on = None

_CASES = sa.table(
    "asylum_applications", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("procedure", sa.String()), sa.column("context", sa.String()), sa.column("state", sa.String()),
    sa.column("made_on", sa.Date()), sa.column("registered_on", sa.Date()), sa.column("lodged_on", sa.Date()),
    sa.column("interview_held_on", sa.Date()), sa.column("outcome", sa.String()),
    sa.column("inadmissibility_ground", sa.String()), sa.column("closed", sa.Boolean()),
    sa.column("next_deadline", sa.Date()), sa.column("next_deadline_kind", sa.String()))


def upgrade() -> None:
    from pactum.procedures import workflow
    from pactum.procedures.model import CaseState
    from pactum.procedures.return_decision_ground import GROUND

    conn = op.get_bind()
    changed = []
    for row in conn.execute(sa.select(_CASES).where(
            _CASES.c.closed.is_(False), _CASES.c.state.in_(["draft_decision", "under_review"]),
            _CASES.c.outcome == "inadmissible", _CASES.c.inadmissibility_ground == GROUND)):
        case = workflow.Case(member_state=row.member_state, procedure=row.procedure, context=row.context,
                             state=CaseState(row.state), made_on=row.made_on, registered_on=row.registered_on,
                             lodged_on=row.lodged_on, interview_held_on=row.interview_held_on,
                             outcome=row.outcome, inadmissibility_ground=row.inadmissibility_ground)
        dl = workflow.next_deadline(case)
        if dl is not None and (dl.due, dl.kind) != (row.next_deadline, row.next_deadline_kind):
            changed.append({"row_id": row.id, "due": dl.due, "kind": dl.kind})
    if changed:
        conn.execute(sa.update(_CASES).where(_CASES.c.id == sa.bindparam("row_id"))
                     .values(next_deadline=sa.bindparam("due"), next_deadline_kind=sa.bindparam("kind")), changed)


def downgrade() -> None:
    """The corrected deadlines stay: the earlier values were not the examination's time limit."""
