"""responsibility: where the hit a request rests on came from (Eurodac or VIS)

Under the AMMR a take-charge request may rest on a VIS hit as well as on a Eurodac hit (Regulation
(EU) 2024/1351, Article 39(1), second subparagraph, and 40(2)). A request kept only that it rested
on a hit (``eurodac_hit``), so one carrying a VIS hit read as resting on a Eurodac hit. Requests sent
before keep ``eurodac``: only Eurodac hits could be stated on a request then.

Revision ID: responsibility_0008_request_hit_source
Revises: responsibility_0007_recorded_hits
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0008_request_hit_source"
down_revision = "responsibility_0007_recorded_hits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dublin_requests",
                  sa.Column("hit_source", sa.String(length=10), nullable=False, server_default="eurodac"))


def downgrade() -> None:
    with op.batch_alter_table("dublin_requests") as batch:
        batch.drop_column("hit_source")
