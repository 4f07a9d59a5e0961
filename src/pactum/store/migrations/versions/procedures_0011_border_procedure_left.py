"""procedures: the day and ground on which the border procedure ceased to apply to a case

Regulation (EU) 2024/1348 Art 53(2): the Member State "shall not apply or shall cease at any stage to
apply" the border procedure where one of points (a)-(e) applies, and Art 21(2) where the support an
applicant in need of special procedural guarantees needs cannot be provided in it (before the Pact
Directive 2013/32/EU Art 24(3), second subparagraph); the applicant is then authorised to enter and
the appropriate procedure of Chapter III applies. The step ``leave_border_procedure`` records it:
the case's procedure changes, and two nullable columns keep the day and the ground (the ground
decides, at the decision, whether the circumstance of Art 42(1) the case was routed on still
applies: not where the determining authority found it no longer applicable, point (a)). No case
left the border procedure before this step existed: nothing to fill. Downgrading drops the columns.

Revision ID: procedures_0011_border_procedure_left
Revises: procedures_0010_refugee_status_no_appeal
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0011_border_procedure_left"
down_revision = "procedures_0010_refugee_status_no_appeal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.add_column(sa.Column("border_left_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("border_left_ground", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.drop_column("border_left_ground")
        batch.drop_column("border_left_on")
