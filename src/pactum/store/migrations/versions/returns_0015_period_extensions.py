"""returns: the period for voluntary departure extended after the decision was issued (Directive 2008/115/EC Art 7(2))

A table ``return_decision_extensions``: each extension of a decision's period by its issuing state's
return officer (the day, the last day before and after, the circumstances of Art 7(2), the reasons,
who). The decision's ``voluntary_departure_last_day`` takes the new last day. Decisions stored
before have none.

Revision ID: returns_0015_period_extensions
Revises: returns_0014_decision_suspensions
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0015_period_extensions"
down_revision = "returns_0014_decision_suspensions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_decision_extensions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("return_decision_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("extended_on", sa.Date(), nullable=False),
        sa.Column("previous_last_day", sa.Date(), nullable=False),
        sa.Column("new_last_day", sa.Date(), nullable=False),
        sa.Column("grounds", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("extended_by", sa.String(length=80), nullable=False),
        sa.Column("authority", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["return_decision_id"], ["return_decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_decision_extensions_return_decision_id", "return_decision_extensions",
                    ["return_decision_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_return_decision_extensions_return_decision_id", table_name="return_decision_extensions")
    op.drop_table("return_decision_extensions")
