"""solidarity: a deduction request may ask for a pledged contribution of any type to be replaced by another type
(AMMR Arts 61(2)(b), 62(2)(b): "il contributo per il quale si è impegnato", of any type)

``solidarity_deductions`` gains ``replacement_of`` (``financial`` or ``alternative``: what the replacement
replaces; NULL: pledged relocations, as ``replacement_relocations`` counts them), ``replacement_eur`` (the
pledged financial contributions or alternative measures replaced, EUR) and ``granted_replacement_eur`` (what
the Council's act granted of it when it granted less; NULL: all). ``replacement_by`` may now be
``relocations``. Existing requests replaced pledged relocations or nothing: the three are NULL for them.
Downgrading drops the three columns (a replacement of money or measures would then read as none).

Revision ID: solidarity_0010_replacement_of_any_type
Revises: solidarity_0009_need_alternative_measures
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0010_replacement_of_any_type"
down_revision = "solidarity_0009_need_alternative_measures"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("replacement_of", sa.String(length=20)),
    ("replacement_eur", sa.Integer()),
    ("granted_replacement_eur", sa.Integer()),
)


def upgrade() -> None:
    # added in place (ALTER TABLE ADD COLUMN), not by rebuilding the table
    for name, type_ in _COLUMNS:
        op.add_column("solidarity_deductions", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(_COLUMNS):
        op.drop_column("solidarity_deductions", name)
