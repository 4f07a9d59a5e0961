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
    # Added in place (ALTER TABLE ADD COLUMN, NOT NULL with a default for the rows already there),
    # not by rebuilding the table: on SQLite a rebuild drops ``solidarity_cycles``, which the
    # pledges, needs, deductions and transfers reference, and the foreign keys refuse it.
    for name in ("proposal_relocations", "proposal_financial_eur"):
        op.add_column("solidarity_cycles", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.get_bind().execute(sa.text(
        "UPDATE solidarity_cycles SET proposal_relocations = pool_relocations, "
        "proposal_financial_eur = pool_financial_eur"))
    if op.get_bind().dialect.name != "sqlite":  # SQLite keeps the default: it cannot drop one in place
        for name in ("proposal_relocations", "proposal_financial_eur"):
            op.alter_column("solidarity_cycles", name, server_default=None)


def downgrade() -> None:
    for name in ("proposal_financial_eur", "proposal_relocations"):
        op.drop_column("solidarity_cycles", name)
