"""returns: the suspensions of a return decision in their own table, back-filled from the audit log

The period for voluntary departure does not run while the decision is suspended (Directive
2008/115/EC Art 7(1), 13(2); CJEU C-181/16 *Gnandi*; ``pactum.returns.period``). Until this
revision the suspensions were read from the audit log (the decision's ``returns.decision.suspend``
and ``returns.decision.lift_suspension`` entries). They now have a table,
``return_decision_suspensions``: a row a suspension (the day it began, the day it was lifted, the
article that suspends it, the reason, who suspended and lifted it and when), written by the same
handlers in the same unit of work as those audit entries.

Back-fill: the entries of every decision, in the log's order (its sequence), paired as the period
read them (``pactum.returns.period.suspensions_from``): a ``suspend`` begins a suspension unless one
lasts; a ``lift_suspension`` ends the one that lasts, and is ignored without one. Each day is the
entry's instant's UTC day, as the period read it. The article: the asylum procedure's where the
entry names the asylum case whose appeal suspended the decision (APR Art 68(1), (2); before the
Pact Directive 2013/32/EU Art 46(5), by the case's regime), else Directive 2008/115/EC Art 13(2).
The audit log is left as it is. Downgrading drops the table (the audit entries still hold it all).

Revision ID: returns_0014_decision_suspensions
Revises: returns_0013_entry_ban_after_issue
Create Date: 2026-12-02
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "returns_0014_decision_suspensions"
down_revision = "returns_0013_entry_ban_after_issue"
branch_labels = None
# the audit log is read (the foundation) and the asylum cases for the article (procedures)
depends_on = "procedures_0001_initial"

_AUDIT = sa.table(
    "audit_log", sa.column("seq", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()), sa.column("authority", sa.String()), sa.column("action", sa.String()),
    sa.column("entity_type", sa.String()), sa.column("entity_id", sa.String()), sa.column("after", sa.JSON()))
_DECISIONS = sa.table("return_decisions", sa.column("id", sa.String()))
_ACTIONS = ("returns.decision.suspend", "returns.decision.lift_suspension")


def upgrade() -> None:
    op.create_table(
        "return_decision_suspensions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("return_decision_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("began_on", sa.Date(), nullable=False),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("asylum_case_id", sa.String(length=40), nullable=True),
        sa.Column("suspended_by", sa.String(length=80), nullable=False),
        sa.Column("suspended_authority", sa.String(length=10), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("lifted_by", sa.String(length=80), nullable=True),
        sa.Column("lifted_authority", sa.String(length=10), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["return_decision_id"], ["return_decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_decision_suspensions_return_decision_id", "return_decision_suspensions",
                    ["return_decision_id"], unique=False)
    _back_fill()


def _back_fill() -> None:
    from pactum.common.clock import as_utc
    from pactum.common.ids import new_id
    from pactum.services.returns import _suspension_basis

    conn = op.get_bind()
    existing = {r.id for r in conn.execute(sa.select(_DECISIONS.c.id))}
    rows = conn.execute(
        sa.select(_AUDIT.c.at, _AUDIT.c.actor, _AUDIT.c.authority, _AUDIT.c.action, _AUDIT.c.entity_id,
                  _AUDIT.c.after)
        .where(_AUDIT.c.entity_type == "return_decision", _AUDIT.c.action.in_(_ACTIONS))
        .order_by(_AUDIT.c.seq)).all()
    by_decision: dict[str, list[dict[str, Any]]] = {}
    lasting: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.entity_id not in existing:
            continue
        after = r.after or {}
        day: date = as_utc(r.at).date()
        if r.action == "returns.decision.suspend":
            if r.entity_id in lasting:
                continue  # a suspension lasts: it goes on
            case = after.get("asylum_case_id")
            row = {"id": new_id("rds"), "return_decision_id": r.entity_id,
                   "number": len(by_decision.get(r.entity_id, [])) + 1, "began_on": day, "lifted_on": None,
                   "basis": _suspension_basis(conn, case) if case else _ART_13_2(),
                   "reason": after.get("status_reason"), "asylum_case_id": case, "suspended_by": r.actor,
                   "suspended_authority": r.authority, "suspended_at": as_utc(r.at), "lift_reason": None,
                   "lifted_by": None, "lifted_authority": None, "lifted_at": None}
            by_decision.setdefault(r.entity_id, []).append(row)
            lasting[r.entity_id] = row
        elif (lifted := lasting.pop(r.entity_id, None)) is not None:
            lifted.update(lifted_on=day, lift_reason=after.get("status_reason"), lifted_by=r.actor,
                       lifted_authority=r.authority, lifted_at=as_utc(r.at))
    values = [row for rows_ in by_decision.values() for row in rows_]
    if values:
        conn.execute(sa.table("return_decision_suspensions", *(sa.column(k) for k in values[0])).insert(), values)


def _ART_13_2() -> str:
    from pactum.returns.rules import ART_13_2

    return ART_13_2.cite()


def downgrade() -> None:
    op.drop_index("ix_return_decision_suspensions_return_decision_id", table_name="return_decision_suspensions")
    op.drop_table("return_decision_suspensions")
