"""procedures: a notified grant of refugee status has no appeal time limit

Regulation (EU) 2024/1348 Art 67(1), (2) (before the Pact Directive 2013/32/EU Art 46(1), (2)):
the applicant appeals a rejection, and a person granted subsidiary protection the refusal of
refugee status; a grant of refugee status rejects nothing and is open to no appeal. Notified grants
were given an appeal time limit, which the queue, the case page and the overdue filter showed as
the case's next deadline. For the open cases notified with refugee status, the stored time limit is
cleared and the next deadline computed again (none: the finality job closes them). The row's
version is left alone. Downgrading leaves the corrected values.

Revision ID: procedures_0010_refugee_status_no_appeal
Revises: procedures_0009_new_elements_found_on
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0010_refugee_status_no_appeal"
down_revision = "procedures_0009_new_elements_found_on"
branch_labels = None
depends_on = None

_CASES = sa.table(
    "asylum_applications", sa.column("id", sa.String()), sa.column("state", sa.String()),
    sa.column("outcome", sa.String()), sa.column("appeal_deadline", sa.Date()),
    sa.column("next_deadline", sa.Date()), sa.column("next_deadline_kind", sa.String()))


def upgrade() -> None:
    # a notified case's only deadline was the appeal's (the border procedure's end does not run
    # once a decision grants protection): none is left
    op.get_bind().execute(sa.update(_CASES).where(_CASES.c.state == "notified", _CASES.c.outcome == "refugee_status")
                          .values(appeal_deadline=None, next_deadline=None, next_deadline_kind=None))


def downgrade() -> None:
    """The cleared time limits stay: no appeal lies against a grant of refugee status."""
