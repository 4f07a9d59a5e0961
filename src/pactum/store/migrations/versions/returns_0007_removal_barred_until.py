"""returns: the last day a return decision may not be enforced while the applicant may still ask the
court for leave to remain (Regulation (EU) 2024/1348 Art 68(5)(d)(i))

A column ``return_decisions.removal_barred_until``: set on a decision issued with a negative asylum
decision whose appeal does not suspend by itself (APR Art 68(3)), to the end of the time the
applicant has to ask the court for leave to remain (at least five days from the notification,
Art 68(5)(a)); the applicant is not removed until then. Existing decisions have none.

Revision ID: returns_0007_removal_barred_until
Revises: returns_0006_destination_decisions
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0007_removal_barred_until"
down_revision = "returns_0006_destination_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (no table rebuild): other tables' rows refer to return_decisions
    op.add_column("return_decisions", sa.Column("removal_barred_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_decisions") as batch:
        batch.drop_column("removal_barred_until")
