"""returns: why a return decision may not be enforced yet (``return_decisions.removal_barred_basis``)

Beside the time to ask the court for leave to remain (``leave_to_remain_time``, Regulation (EU)
2024/1348 Art 68(5)(d)(i); the meaning of every bar stored before, which this column leaves null),
a decision issued with a negative asylum decision whose appeal suspends by itself is not enforced
until the time limit for that appeal ends (``appeal_time``: the applicant has the right to remain
until then, Art 68(1), (2); before the Pact Directive 2013/32/EU Art 46(5)). Decisions issued
before this revision carry no such bar: their appeal time limits (at most a month from the
notification) run out within a month of it.

Revision ID: returns_0010_removal_barred_basis
Revises: returns_0009_decision_translations
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0010_removal_barred_basis"
down_revision = "returns_0009_decision_translations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (no table rebuild): other tables' rows refer to return_decisions
    op.add_column("return_decisions", sa.Column("removal_barred_basis", sa.String(30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_decisions") as batch:
        batch.drop_column("removal_barred_basis")
