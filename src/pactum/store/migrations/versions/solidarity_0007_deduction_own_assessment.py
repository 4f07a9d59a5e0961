"""solidarity: a deduction request from a state that considers itself under migratory pressure or
facing a significant migratory situation (AMMR Arts 61(1)-(2), 62(1)-(3))

``solidarity_deductions`` gains ``designation`` (the state's designation in the Commission's decision
under Art 11 when it asked), ``own_assessment`` (it asks on its own assessment: the decision did not
identify it in the situation of its grounds) and ``substantiation`` (the content Arts 61(2), 62(2) and
62(3) require of such a request, item -> text). Until now only designated states could ask: each
existing request is read as resting on the designation of its grounds (``article_61``:
``under_pressure``; ``article_62``: ``significant_migratory_situation``), not on the state's own
assessment, with no substantiation recorded. Downgrading drops the three columns (a request made on
a state's own assessment would then read as a designated state's).

Revision ID: solidarity_0007_deduction_own_assessment
Revises: solidarity_0006_relocation_deadline_from_confirmation
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0007_deduction_own_assessment"
down_revision = "solidarity_0006_relocation_deadline_from_confirmation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (ALTER TABLE ADD COLUMN), not by rebuilding the table
    op.add_column("solidarity_deductions", sa.Column("designation", sa.String(length=40), nullable=True))
    op.add_column("solidarity_deductions", sa.Column("own_assessment", sa.Boolean(), nullable=False,
                                                     server_default="0"))
    op.add_column("solidarity_deductions", sa.Column("substantiation", sa.JSON(), nullable=True))
    op.get_bind().execute(sa.text(
        "UPDATE solidarity_deductions SET designation = CASE grounds "
        "WHEN 'article_61' THEN 'under_pressure' WHEN 'article_62' THEN 'significant_migratory_situation' END"))


def downgrade() -> None:
    for name in ("substantiation", "own_assessment", "designation"):
        op.drop_column("solidarity_deductions", name)
