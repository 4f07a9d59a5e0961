"""solidarity: a benefitting state's need names the alternative solidarity measures it requests (EUR)

``solidarity_needs`` gains ``alternative_eur``: the alternative solidarity measures a benefitting state
requests for the pool's year (the type and level of measures of AMMR Arts 58(2), 59(2)(b)). Alternative
measures pledged that no benefitting state requests in the pool's year are converted into financial
contributions (Art 57(4)). Existing needs requested none: 0. Downgrading drops the column (every
pool's alternative measures would then read as not requested).

Revision ID: solidarity_0009_need_alternative_measures
Revises: solidarity_0008_deduction_replacement
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0009_need_alternative_measures"
down_revision = "solidarity_0008_deduction_replacement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (ALTER TABLE ADD COLUMN), not by rebuilding the table
    op.add_column(
        "solidarity_needs", sa.Column("alternative_eur", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("solidarity_needs", "alternative_eur")
