"""returns: the removal bar of a return decision stored before it was computed, from its asylum case

A return decision issued with the notification of a negative asylum decision is not enforced while
the applicant may still lodge an appeal that suspends by itself (``appeal_time``: until that time
limit ends, Regulation (EU) 2024/1348 Art 68(1), (2); before the Pact Directive 2013/32/EU Art
46(5)) or, for an appeal that does not, may still ask the court for leave to remain
(``leave_to_remain_time``: Art 68(5)(a), (d)(i)). The procedures area computes that day when it
issues the decision (``pactum.procedures.workflow.request_to_remain_ends`` and
``appeal_time_protects``); decisions issued before migrations ``returns_0007_removal_barred_until``
and ``returns_0010_removal_barred_basis`` were stored without it.

Both are a pure function of the asylum case's stored row: the day of the notification, the appeal
time limit stored with it (the day itself, not computed again) and the facts that say whether the
appeal suspends (regime, procedure, outcome, ground, unaccompanied minor, subsequent application).
They are computed again here, the same way, only where the case's row still holds the decision the
return decision was issued with: the case names this return decision and was notified on the
decision's day of issue. A case decided again since (an appeal annulled and sent back the
decision) or a decision issued on its own is left without a bar: nothing stored says what it would
have been. Where the appeal was lodged, the suspensive effect the case recorded then (unless the
court since let the applicant remain) must agree with the one computed, or the decision is left
alone (a fact of the case changed since). The
row's version is left alone (an officer's open form is not made stale). Downgrading leaves the
bars.

Revision ID: returns_0012_removal_bar_from_case
Revises: returns_0011_destination_appeal_outcome
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0012_removal_bar_from_case"
down_revision = "returns_0011_destination_appeal_outcome"
branch_labels = None
# the asylum cases are read: the procedures branch has created their table
depends_on = "procedures_0001_initial"

_DECISIONS = sa.table(
    "return_decisions", sa.column("id", sa.String()), sa.column("asylum_case_id", sa.String()),
    sa.column("issued_on", sa.Date()), sa.column("removal_barred_until", sa.Date()),
    sa.column("removal_barred_basis", sa.String()))


def upgrade() -> None:
    from pactum.procedures import workflow
    from pactum.services.procedures import case_from_row

    conn = op.get_bind()
    cases = sa.Table("asylum_applications", sa.MetaData(), autoload_with=conn)
    rows = conn.execute(
        sa.select(_DECISIONS.c.id.label("decision_id"), cases)
        .join(cases, cases.c.id == _DECISIONS.c.asylum_case_id)
        .where(_DECISIONS.c.removal_barred_until.is_(None), cases.c.return_decision_id == _DECISIONS.c.id,
               cases.c.notified_on == _DECISIONS.c.issued_on)).mappings().all()
    changed = []
    for row in rows:
        case = case_from_row(row)
        recorded = row["suspensive_effect"]  # with the appeal; the court's leave to remain sets it too
        if recorded is not None and not row.get("remain_allowed") and recorded != workflow.suspensive_effect(case)[0]:
            continue
        # as the procedures area computes it when it issues the decision (_issue_return_decision)
        window, basis = workflow.request_to_remain_ends(case), "leave_to_remain_time"
        if window is None and (window := workflow.appeal_time_protects(case)) is not None:
            basis = "appeal_time"
        if window is not None:
            changed.append({"row_id": row["decision_id"], "until": window[0], "basis": basis})
    if changed:
        conn.execute(sa.update(_DECISIONS).where(_DECISIONS.c.id == sa.bindparam("row_id"))
                     .values(removal_barred_until=sa.bindparam("until"), removal_barred_basis=sa.bindparam("basis")),
                     changed)


def downgrade() -> None:
    """The computed bars stay: they are what the decisions' cases say of them."""
