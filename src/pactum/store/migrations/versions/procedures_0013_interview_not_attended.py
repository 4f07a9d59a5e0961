"""procedures: the applicant's absence from the personal interview gets its own column

Regulation (EU) 2024/1348 Art 13(14): provided sufficient efforts were made to give the applicant the
opportunity of a personal interview, its absence does not prevent a decision. The step
``record_interview_not_attended`` recorded it in the columns of the omission of the interview (Art
13(11), ``procedures_0012_interview_omitted``): ``interview_omitted_on`` held the day recorded and
``interview_omission_ground`` the value ``not_attended``. The absence is not an omission: it gets the
nullable column ``interview_not_attended_on``, and the rows recorded so move to it (the day copied,
the omission's columns cleared: ``interview_written_until`` and ``interview_omission_same_rights`` were
never set on them). The case's read and the CLI show the same as before. Downgrading moves them back
and drops the column.

Revision ID: procedures_0013_interview_not_attended
Revises: procedures_0012_interview_omitted
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0013_interview_not_attended"
down_revision = "procedures_0012_interview_omitted"
branch_labels = None
depends_on = None

NOT_ATTENDED = "not_attended"


def _table() -> sa.TableClause:
    return sa.table(
        "asylum_applications",
        sa.column("interview_omitted_on", sa.Date()),
        sa.column("interview_omission_ground", sa.String(40)),
        sa.column("interview_written_until", sa.Date()),
        sa.column("interview_omission_same_rights", sa.Boolean()),
        sa.column("interview_not_attended_on", sa.Date()),
    )


def upgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.add_column(sa.Column("interview_not_attended_on", sa.Date(), nullable=True))
    t = _table()
    op.execute(
        t.update()
        .where(t.c.interview_omission_ground == NOT_ATTENDED)
        .values(
            interview_not_attended_on=t.c.interview_omitted_on,
            interview_omitted_on=None,
            interview_omission_ground=None,
            interview_written_until=None,
            interview_omission_same_rights=None,
        )
    )


def downgrade() -> None:
    t = _table()
    # a case holding both (an omission of the admissibility interview no longer in force, then the
    # absence) keeps the absence, as the omission's columns held one record only
    op.execute(
        t.update()
        .where(t.c.interview_not_attended_on.is_not(None))
        .values(
            interview_omitted_on=t.c.interview_not_attended_on,
            interview_omission_ground=NOT_ATTENDED,
            interview_written_until=None,
            interview_omission_same_rights=False,
        )
    )
    with op.batch_alter_table("asylum_applications") as batch:
        batch.drop_column("interview_not_attended_on")
