"""solidarity: a deduction request that asks for pledged relocations to be replaced by another type of
solidarity contribution (AMMR Arts 61(2)(b), 62(2)(b)), and the Council's grant of less than was asked

``solidarity_deductions`` gains ``replacement_relocations``, ``replacement_by`` (``financial`` or
``alternative``), ``replacement_eur_per_relocation`` (the value of a relocation, Art 12(3), on the day of
the request) and ``replacement_description`` (the alternative measures), and ``granted_relocations`` and
``granted_replacement_relocations`` (what the Council's implementing act granted when it granted less
than was asked). Existing requests asked for no replacement and a granted one was granted in full: all
six are NULL for them. Downgrading drops the six columns (a replacement granted would then no longer
change the pledge, and a partial grant would read as granted in full).

Revision ID: solidarity_0008_deduction_replacement
Revises: solidarity_0007_deduction_own_assessment
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0008_deduction_replacement"
down_revision = "solidarity_0007_deduction_own_assessment"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("replacement_relocations", sa.Integer()),
    ("replacement_by", sa.String(length=20)),
    ("replacement_eur_per_relocation", sa.Integer()),
    ("replacement_description", sa.Text()),
    ("granted_relocations", sa.Integer()),
    ("granted_replacement_relocations", sa.Integer()),
)


def upgrade() -> None:
    # added in place (ALTER TABLE ADD COLUMN), not by rebuilding the table
    for name, type_ in _COLUMNS:
        op.add_column("solidarity_deductions", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(_COLUMNS):
        op.drop_column("solidarity_deductions", name)
