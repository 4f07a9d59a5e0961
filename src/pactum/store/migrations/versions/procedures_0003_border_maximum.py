"""procedures: an open border case's stored next deadline ends on the border procedure's last day

The border procedure's maximum (APR Art 51(2): 12 weeks, 16 after relocation; before the Pact
the Directive's Art 43(2): 4 weeks) restricts the applicant and runs out by itself: Reg. 1182/71
Art 3(4) no longer moves it to a working day (``pactum.procedures.workflow.border_procedure_end``).
The queue reads each open case's stored ``next_deadline``; where that is the border procedure's
end, it is counted again and only ever brought earlier. The row's version is left alone (an
officer's open form is not made stale). Downgrading leaves the corrected values.

Revision ID: procedures_0003_border_maximum
Revises: procedures_0002_refusals_of_entry
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0003_border_maximum"
down_revision = "procedures_0002_refusals_of_entry"
branch_labels = None
depends_on = None

_CASES = sa.table(
    "asylum_applications", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("procedure", sa.String()), sa.column("context", sa.String()), sa.column("state", sa.String()),
    sa.column("made_on", sa.Date()), sa.column("registered_on", sa.Date()), sa.column("closed", sa.Boolean()),
    sa.column("next_deadline", sa.Date()), sa.column("next_deadline_kind", sa.String()))


def upgrade() -> None:
    from pactum.procedures import workflow
    from pactum.procedures.model import CaseState

    conn = op.get_bind()
    earlier = []
    for row in conn.execute(sa.select(_CASES).where(_CASES.c.closed.is_(False),
                                                   _CASES.c.next_deadline_kind == "border_procedure_end")):
        case = workflow.Case(member_state=row.member_state, procedure=row.procedure, context=row.context,
                             state=CaseState(row.state), made_on=row.made_on, registered_on=row.registered_on)
        end = workflow.border_procedure_end(case)
        if end is not None and row.next_deadline is not None and end < row.next_deadline:
            earlier.append({"row_id": row.id, "end": end})
    if earlier:
        conn.execute(sa.update(_CASES).where(_CASES.c.id == sa.bindparam("row_id"))
                     .values(next_deadline=sa.bindparam("end")), earlier)


def downgrade() -> None:
    """The corrected ends stay: the earlier values ran past the border procedure's maximum."""
