"""solidarity: the Commission proposal's pool kept at the Council's adoption (AMMR Arts 12, 57, 63(1))

``solidarity_cycles`` gains ``proposal_relocations`` and ``proposal_financial_eur``: the pool the
Commission proposed (Art 12), which the Council's implementing act may amend (Art 57) and against
which Art 63(1) measures the relocation pledges (50 % of "the number indicated in the Commission
proposal"). Until now the adoption overwrote ``pool_relocations`` and ``pool_financial_eur``, so the
proposal of an adopted cycle was not kept: each existing cycle's current pool is copied into the new
columns (a cycle still at the proposal or pledging stage: its proposal, exactly; an adopted one: the
pool as adopted, read as adopted as proposed, the only figure recorded).

Revision ID: solidarity_0005_proposal_pool
Revises: solidarity_0004_deduction_council_key_figures
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0005_proposal_pool"
down_revision = "solidarity_0004_deduction_council_key_figures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("solidarity_cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_relocations", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("proposal_financial_eur", sa.Integer(), nullable=True))
    op.get_bind().execute(sa.text(
        "UPDATE solidarity_cycles SET proposal_relocations = pool_relocations, "
        "proposal_financial_eur = pool_financial_eur"))
    with op.batch_alter_table("solidarity_cycles", schema=None) as batch_op:
        batch_op.alter_column("proposal_relocations", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("proposal_financial_eur", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("solidarity_cycles", schema=None) as batch_op:
        batch_op.drop_column("proposal_financial_eur")
        batch_op.drop_column("proposal_relocations")
