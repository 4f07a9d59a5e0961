"""returns: the period for voluntary departure of an amended decision on the destination, and why an
assisted voluntary return case was cancelled

Columns ``return_destination_decisions.voluntary_departure_days`` and ``.voluntary_departure_last_day``:
an amended decision on the destination is a new return decision (CJEU C-924/19 PPU and C-925/19 PPU,
FMS and Others) and sets its own period for voluntary departure (Directive 2008/115/EC Art 7(1)),
counted from its day. Amendments issued before have none recorded (they kept the decision's).

Column ``avr_cases.status_reason``: the reason a case was cancelled (the officer's, or the amended
decision on the destination that ended a case arranged for another country). Cases cancelled
before have none here (their reason is in the audit log).

Revision ID: returns_0008_amendment_period_avr_reason
Revises: returns_0007_removal_barred_until
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0008_amendment_period_avr_reason"
down_revision = "returns_0007_removal_barred_until"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (no table rebuild)
    op.add_column("return_destination_decisions",
                  sa.Column("voluntary_departure_days", sa.Integer(), nullable=True))
    op.add_column("return_destination_decisions",
                  sa.Column("voluntary_departure_last_day", sa.Date(), nullable=True))
    op.add_column("avr_cases", sa.Column("status_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("avr_cases") as batch:
        batch.drop_column("status_reason")
    with op.batch_alter_table("return_destination_decisions") as batch:
        batch.drop_column("voluntary_departure_last_day")
        batch.drop_column("voluntary_departure_days")
