"""resettlement: an admission procedure discontinued by the state (Art 9(11))

Regulation (EU) 2024/1350, Art 9(11): a Member State shall discontinue an admission procedure when
the person withdrew their consent (Art 7) and may discontinue it on the three points of the second
subparagraph; Art 9(12) keeps the person's data three years after the first, erases them on the day
after the others. Pactum recorded only a referral "withdrawn". The decision column is widened to
hold "discontinued" (12 characters; it was 10) and a nullable column holds the point of Art 9(11)
(the day and the reason are in decided_on and refusal_reason, as a withdrawal's). NULL on every
existing row: no discontinuation was recorded and none is invented (a referral withdrawn stays
withdrawn; an officer corrects it if the state in fact discontinued the procedure). The rows'
versions are left alone. Downgrading refuses while a discontinued procedure is recorded (it would
be lost or turned into something it is not).

Revision ID: resettlement_0005_discontinuation
Revises: resettlement_0004_extension
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0005_discontinuation"
down_revision = "resettlement_0004_extension"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.alter_column("decision", existing_type=sa.String(10), type_=sa.String(20), existing_nullable=True)
        batch.add_column(sa.Column("discontinuation_ground", sa.String(40), nullable=True))


def downgrade() -> None:
    n = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM resettlement_admissions WHERE decision = 'discontinued'")).scalar()
    if n:
        raise RuntimeError(f"{n} admission procedures are recorded as discontinued (Art 9(11)): correct them "
                           "before downgrading below resettlement_0005_discontinuation")
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.drop_column("discontinuation_ground")
        batch.alter_column("decision", existing_type=sa.String(20), type_=sa.String(10), existing_nullable=True)
