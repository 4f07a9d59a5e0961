"""procedures: the personal interview on the substance omitted, its day, ground and what follows

Regulation (EU) 2024/1348 Art 13(11): the determining authority may omit the personal interview where
(a) it can take a positive decision on refugee status (or on subsidiary protection carrying the same
rights and benefits) on the evidence available, or (c) it considers the applicant unfit or unable to be
interviewed owing to enduring circumstances beyond their control, the applicant then given an effective
opportunity to submit further information in writing (before the Pact Directive 2013/32/EU Art 14(2)(a),
(b)). The step ``omit_interview`` records it: four nullable columns keep the day, the ground, the last
day for the applicant's written information and, under the APR, whether subsidiary protection carries
the same rights as refugee status. No interview was recorded as omitted before this step existed:
nothing to fill. Downgrading drops the columns.

Revision ID: procedures_0012_interview_omitted
Revises: procedures_0011_border_procedure_left
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0012_interview_omitted"
down_revision = "procedures_0011_border_procedure_left"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.add_column(sa.Column("interview_omitted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("interview_omission_ground", sa.String(40), nullable=True))
        batch.add_column(sa.Column("interview_written_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("interview_omission_same_rights", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.drop_column("interview_omission_same_rights")
        batch.drop_column("interview_written_until")
        batch.drop_column("interview_omission_ground")
        batch.drop_column("interview_omitted_on")
