"""procedures: the applicant's request to remain pending an appeal, and the court's decision on it

Regulation (EU) 2024/1348 Art 68(3) takes away the automatic right to remain pending the appeal
against certain decisions; the applicant may ask the court for leave to remain (Art 68(4)), within
at least five days of the notification (Art 68(5)(a)), and is not removed until the court decides
(Art 68(5)(d)). Three nullable columns record the request's day, the day of the court's decision
and whether it allowed the applicant to remain. Existing cases have none recorded. Downgrading
drops the columns.

Revision ID: procedures_0006_request_to_remain
Revises: procedures_0005_appeal_bodies
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0006_request_to_remain"
down_revision = "procedures_0005_appeal_bodies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.add_column(sa.Column("remain_requested_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("remain_decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("remain_allowed", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.drop_column("remain_allowed")
        batch.drop_column("remain_decided_on")
        batch.drop_column("remain_requested_on")
