"""resettlement: the day the Member State registered the person referred

The admission procedure's periods run from the registration of the person by the Member State
(Regulation (EU) 2024/1350, Art 9(3); seven months for the ordinary procedure, Art 9(9); one
month, as an endeavour, for emergency admission, Art 9(10)), not from UNHCR's referral, which
Pactum used to count from. The new column is NULL on every existing row: Pactum never recorded
the registration and does not invent it from the referral. Those cases read "awaiting
registration" (no due date, not overdue) until a state's officer records the day; a case
already decided without one reads "not_registered" (its duration is not measured). The rows'
versions are left alone (an officer's open form is not made stale). Downgrading drops the
column and the registrations recorded in it.

Revision ID: resettlement_0002_registered_on
Revises: resettlement_0001_initial
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0002_registered_on"
down_revision = "resettlement_0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resettlement_admissions", sa.Column("registered_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.drop_column("registered_on")
