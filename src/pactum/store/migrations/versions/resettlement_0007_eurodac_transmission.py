"""resettlement: the transmission to Eurodac after a decision (Regulation (EU) 2024/1350, Art 9(24))

Regulation (EU) 2024/1350, Art 9(24) (applicable from 12 June 2026, Art 16(2)) has Member States
transmit the data of the persons within its scope under Art 18 of Regulation (EU) 2024/1358; Art
18(2) sets 72 hours from the decision to grant international protection or a national humanitarian
status, to refuse admission under Art 6(1)(f) or to discontinue the procedure for consent not given
or withdrawn. Two nullable columns: ``eurodac_transmitted_on`` (the day the data were transmitted)
and ``eurodac_under_six`` (the person is under six: no biometric data are taken). NULL on every
existing row: no transmission was recorded and none is invented, so a case whose decision of Art
18(2) falls on or after 12 June 2026 reads "due" or "overdue" until an officer records the
transmission (or that the person is under six); a decision before that day reads "not applicable".
The rows' versions are left alone. Downgrading drops the two columns with what they hold.

Revision ID: resettlement_0007_eurodac_transmission
Revises: resettlement_0006_after_conclusion
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0007_eurodac_transmission"
down_revision = "resettlement_0006_after_conclusion"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.add_column(sa.Column("eurodac_transmitted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("eurodac_under_six", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        for name in ("eurodac_under_six", "eurodac_transmitted_on"):
            batch.drop_column(name)
