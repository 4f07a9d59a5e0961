"""responsibility: appeals against the transfer decision (suspensive effect, final decision)

Revision ID: responsibility_0003_appeals
Revises: responsibility_0002_sweep_indexes
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0003_appeals"
down_revision = "responsibility_0002_sweep_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dublin_requests", sa.Column("appeal_lodged_on", sa.Date(), nullable=True))
    op.add_column("dublin_requests", sa.Column("appeal_suspensive", sa.Boolean(), nullable=True))
    op.add_column("dublin_requests", sa.Column("appeal_decided_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dublin_requests") as batch:
        batch.drop_column("appeal_decided_on")
        batch.drop_column("appeal_suspensive")
        batch.drop_column("appeal_lodged_on")
