"""responsibility: a refusal on the ground that the obligations of the state asked ceased

The state asked refuses a take-charge or take-back request (take-back notification) because its
obligations ceased: the person left the territory of the Member States for at least the period of
absence (Regulation (EU) No 604/2013, Article 19(2): three months; Regulation (EU) 2024/1351,
Article 37(4): nine months), or left under a return decision or removal order issued after the
application was withdrawn or rejected (Article 19(3); Article 37(5)). It is for the state asked to
establish it: the reply keeps the ground, the day the person left and the evidence. Replies recorded
before gave reasons only (NULL).

Revision ID: responsibility_0010_refusal_cessation
Revises: responsibility_0009_urgent_reply
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0010_refusal_cessation"
down_revision = "responsibility_0009_urgent_reply"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dublin_requests", sa.Column("refusal_ground", sa.String(length=20), nullable=True))
    op.add_column("dublin_requests", sa.Column("refusal_left_on", sa.Date(), nullable=True))
    op.add_column("dublin_requests", sa.Column("refusal_evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dublin_requests") as batch:
        for column in ("refusal_evidence", "refusal_left_on", "refusal_ground"):
            batch.drop_column(column)
