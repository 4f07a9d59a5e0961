"""responsibility: the written consent of the persons concerned by a humanitarian-clause request

A humanitarian-clause request needs the persons concerned to consent in writing (Regulation (EU)
No 604/2013, Article 17(2), first subparagraph; Regulation (EU) 2024/1351, Article 35(2), first
subparagraph); the request keeps the day they gave it. Requests sent before the platform asked for
it (humanitarian or not) keep NULL: the request page says the consent was not recorded.

Revision ID: responsibility_0006_humanitarian_consent
Revises: responsibility_0005_detained_on
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0006_humanitarian_consent"
down_revision = "responsibility_0005_detained_on"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dublin_requests", sa.Column("consented_in_writing_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dublin_requests") as batch:
        batch.drop_column("consented_in_writing_on")
