"""returns: the region of its state a return decision was issued in

A column ``region`` on ``return_decisions``: the ISO 3166-2 code of one of the issuing state's regions
with a clock of their own (``pactum.registry.local_time.REGIONS``: the Canary Islands, the Azores,
Madeira, France's outermost regions), null for a decision issued where the capital keeps its clock.
A decision issued in one of France's outermost regions gets no SIS return alert (docs/returns.md).
Decisions stored before record none: they keep their alerts and their days on the capital's clock.

Revision ID: returns_0017_decision_region
Revises: returns_0016_extension_kept
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0017_decision_region"
down_revision = "returns_0016_extension_kept"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("return_decisions", sa.Column("region", sa.String(length=10), nullable=True))


def downgrade() -> None:
    # dropped in place (no table rebuild, which other tables' rows referring to return_decisions
    # would refuse on SQLite): ALTER TABLE ... DROP COLUMN
    op.drop_column("return_decisions", "region")
