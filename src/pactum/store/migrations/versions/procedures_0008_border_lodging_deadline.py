"""procedures: a registered border case under the APR gets its five days to lodge as its stored next deadline

APR Art 51(1): by way of derogation from Art 28, an application subject to the border procedure is
lodged within five days of its first registration (``apr.border_procedure.lodging``); the case's
next deadline takes it (``pactum.procedures.workflow.lodging_due``). Cases registered before kept
Art 28(1)'s 21 days as their stored ``next_deadline``, which the queue, the overdue filter and the
caseworker's home page read. The stored value is a pure function of the case's row: it is computed
again here, for those cases only (open, registered, in the border procedure). The row's version is
left alone (an officer's open form is not made stale). Downgrading leaves the corrected values.

Revision ID: procedures_0008_border_lodging_deadline
Revises: procedures_0007_ground_38_1_e_deadline
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0008_border_lodging_deadline"
down_revision = "procedures_0007_ground_38_1_e_deadline"
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
    changed = []
    for row in conn.execute(sa.select(_CASES).where(
            _CASES.c.closed.is_(False), _CASES.c.state == "registered", _CASES.c.procedure == "border")):
        case = workflow.Case(member_state=row.member_state, procedure=row.procedure, context=row.context,
                             state=CaseState(row.state), made_on=row.made_on, registered_on=row.registered_on)
        if workflow.case_regime(case).regime != "pact":  # the Directive's border cases: unchanged
            continue
        dl = workflow.next_deadline(case)
        if dl is not None and (dl.due, dl.kind) != (row.next_deadline, row.next_deadline_kind):
            changed.append({"row_id": row.id, "due": dl.due, "kind": dl.kind})
    if changed:
        conn.execute(sa.update(_CASES).where(_CASES.c.id == sa.bindparam("row_id"))
                     .values(next_deadline=sa.bindparam("due"), next_deadline_kind=sa.bindparam("kind")), changed)


def downgrade() -> None:
    """The corrected deadlines stay: the earlier values were not the border procedure's time limit."""
