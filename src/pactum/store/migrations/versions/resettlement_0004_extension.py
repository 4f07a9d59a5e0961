"""resettlement: the ordinary procedure's time limit extended by three months (Art 9(9))

Regulation (EU) 2024/1350, Art 9(9), second sentence: a Member State may extend the seven months
of the ordinary admission procedure by three months where the case involves complex issues of
fact or law. Pactum did not record the extension, so a case the state had extended read overdue
after seven months. Two nullable columns: the day the state extended the time limit and its
reason. NULL on every existing row (no extension was recorded; none is invented); the rows'
versions are left alone. Downgrading drops the columns and the extensions recorded in them.

Revision ID: resettlement_0004_extension
Revises: resettlement_0003_refusal_grounds
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0004_extension"
down_revision = "resettlement_0003_refusal_grounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resettlement_admissions", sa.Column("extended_on", sa.Date(), nullable=True))
    op.add_column("resettlement_admissions", sa.Column("extension_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.drop_column("extension_reason")
        batch.drop_column("extended_on")
