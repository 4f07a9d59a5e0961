"""procedures: the court or tribunal each state's asylum decisions are appealed to

National law names the court or tribunal that hears appeals against the determining authority's
decisions (Regulation (EU) 2024/1348, Article 67(1); Directive 2013/32/EU, Article 46(1)), where it
sits and how an appeal is lodged. A state's administrator records them here, one row per state, and
the written notice of a decision names them (``pactum.procedures.appeal_body``). A new, empty table:
a state that sets nothing keeps the notice's general words. Downgrading drops it.

Revision ID: procedures_0005_appeal_bodies
Revises: procedures_0004_case_reference
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0005_appeal_bodies"
down_revision = "procedures_0004_case_reference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeal_bodies",
        sa.Column("member_state", sa.String(2), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("how_to_lodge", sa.String(2000), nullable=False),
        sa.Column("national_law", sa.String(300), nullable=True),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )


def downgrade() -> None:
    op.drop_table("appeal_bodies")
