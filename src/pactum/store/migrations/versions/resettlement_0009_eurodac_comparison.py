"""resettlement: the transmission for comparison before the conclusion (Reg. (EU) 2024/1358, Art 18(1))

Art 18(1) of Regulation (EU) 2024/1358 has each Member State take and transmit to Eurodac the
biometric data of every person of at least six registered for an admission procedure under the Union
Framework as soon as possible after the registration and at the latest before the conclusion on the
admission, unless it reaches a negative conclusion without a comparison. Two nullable columns:
``eurodac_compared_on`` (the day the data were transmitted for comparison) and
``eurodac_comparison_not_needed`` (the state's statement that its negative conclusion needed no
comparison). NULL on every existing row: no transmission is invented, so a registered case under a
Union Plan concluded on or after 12 June 2026 reads "overdue" and one not concluded "due" until an
officer records it; a conclusion before that day reads "not applicable". Versions are left alone.
Downgrading drops the two columns with what they hold.

Revision ID: resettlement_0009_eurodac_comparison
Revises: resettlement_0008_registry_person
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0009_eurodac_comparison"
down_revision = "resettlement_0008_registry_person"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.add_column(sa.Column("eurodac_compared_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("eurodac_comparison_not_needed", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        for name in ("eurodac_comparison_not_needed", "eurodac_compared_on"):
            batch.drop_column(name)
