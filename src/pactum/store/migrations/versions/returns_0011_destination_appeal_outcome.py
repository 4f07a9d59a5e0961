"""returns: the outcome of an appeal against an amended decision on the destination, and the period
the amended decision replaced

Columns ``return_destination_decisions.appeal_outcome`` (``dismissed`` | ``allowed``),
``.appeal_decided_on`` and ``.appeal_outcome_recorded_by``: the court's decision on the appeal
against the amended decision (Directive 2008/115/EC Art 13(1)); an allowed appeal annuls it. Appeals
recorded before have no outcome here (the officer lifted the suspension or withdrew the decision
with a reason).

Columns ``.previous_voluntary_departure_days`` and ``.previous_voluntary_departure_last_day``: the
period for voluntary departure the decision had before the amended decision set its own (Art 7(1)),
which stands again when the amended decision is annulled. Amendments issued before have none here
(the audit entry of the amendment holds it).

Revision ID: returns_0011_destination_appeal_outcome
Revises: returns_0010_removal_barred_basis
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0011_destination_appeal_outcome"
down_revision = "returns_0010_removal_barred_basis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (no table rebuild)
    op.add_column("return_destination_decisions", sa.Column("appeal_outcome", sa.String(length=20), nullable=True))
    op.add_column("return_destination_decisions", sa.Column("appeal_decided_on", sa.Date(), nullable=True))
    op.add_column("return_destination_decisions",
                  sa.Column("appeal_outcome_recorded_by", sa.String(length=120), nullable=True))
    op.add_column("return_destination_decisions",
                  sa.Column("previous_voluntary_departure_days", sa.Integer(), nullable=True))
    op.add_column("return_destination_decisions",
                  sa.Column("previous_voluntary_departure_last_day", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_destination_decisions") as batch:
        batch.drop_column("previous_voluntary_departure_last_day")
        batch.drop_column("previous_voluntary_departure_days")
        batch.drop_column("appeal_outcome_recorded_by")
        batch.drop_column("appeal_decided_on")
        batch.drop_column("appeal_outcome")
