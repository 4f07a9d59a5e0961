"""responsibility: a Eurodac or VIS hit recorded on a Dublin case before any request

The time limit of a take-charge request runs from a Eurodac or VIS hit in place of the period from
the registration (Regulation (EU) 2024/1351, Article 39(1), second subparagraph; Regulation (EU)
No 604/2013, Article 21(1), second subparagraph), that of a Dublin III take back from the Eurodac
hit it is based on (Article 23(2)). The Dublin unit records the hit when it receives it, so the
case shows the last day of the request before one is drafted. Cases recorded before have none.

Revision ID: responsibility_0007_recorded_hits
Revises: responsibility_0006_humanitarian_consent
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0007_recorded_hits"
down_revision = "responsibility_0006_humanitarian_consent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dublin_hits",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("hit_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dublin_hits")),
    )
    op.create_index(op.f("ix_dublin_hits_case_id"), "dublin_hits", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dublin_hits_case_id"), table_name="dublin_hits")
    op.drop_table("dublin_hits")
