"""responsibility: a take-charge request asking for an urgent reply

The requesting state may ask for an urgent reply where the application came after a refusal of
entry or stay, an arrest for an irregular stay or a removal order (Regulation (EU) No 604/2013,
Article 21(2); the reply within the time asked or at the latest one month, Article 22(6)) or after
a refusal-of-entry or return decision (Regulation (EU) 2024/1351, Article 39(2); the reply within
the time indicated or two weeks, Article 40(7)). The request keeps the ground, the day of the
decision, the reasons and the day asked. Requests sent before asked for none (NULL).

Revision ID: responsibility_0009_urgent_reply
Revises: responsibility_0008_request_hit_source
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0009_urgent_reply"
down_revision = "responsibility_0008_request_hit_source"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dublin_requests", sa.Column("urgent_ground", sa.String(length=30), nullable=True))
    op.add_column("dublin_requests", sa.Column("urgent_decision_on", sa.Date(), nullable=True))
    op.add_column("dublin_requests", sa.Column("urgent_reasons", sa.Text(), nullable=True))
    op.add_column("dublin_requests", sa.Column("urgent_reply_by", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dublin_requests") as batch:
        for column in ("urgent_reply_by", "urgent_reasons", "urgent_decision_on", "urgent_ground"):
            batch.drop_column(column)
