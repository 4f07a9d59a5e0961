"""procedures: the examination suspended for the applicant to justify or rectify (APR Art 41(4))

Regulation (EU) 2024/1348 Art 41(4): the competent authority may suspend the procedure to give the
applicant the opportunity to justify or rectify an omission or action of Art 41(1) before a decision
declaring the application implicitly withdrawn. The step ``suspend_examination`` records it: three
nullable columns keep the day, the last day given to the applicant and the point of Art 41(1);
``resume_examination`` clears them. No examination was suspended before this step existed: nothing to
fill. Downgrading drops the columns.

Revision ID: procedures_0014_examination_suspended
Revises: procedures_0013_interview_not_attended
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0014_examination_suspended"
down_revision = "procedures_0013_interview_not_attended"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.add_column(sa.Column("suspended_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("suspended_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("suspension_ground", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.drop_column("suspension_ground")
        batch.drop_column("suspended_until")
        batch.drop_column("suspended_on")
