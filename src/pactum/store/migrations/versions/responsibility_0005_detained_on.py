"""responsibility: the day a detained person was placed in detention

A detention ordered after the registration of the application runs the AMMR request's time limit
from the placing in detention (Regulation (EU) 2024/1351, Article 45(1), second subparagraph); the
request keeps the day it was given.

Revision ID: responsibility_0005_detained_on
Revises: responsibility_0004_event_key
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0005_detained_on"
down_revision = "responsibility_0004_event_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dublin_requests", sa.Column("detained_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dublin_requests") as batch:
        batch.drop_column("detained_on")
