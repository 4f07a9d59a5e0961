"""identity: nationality in the search keys and in the pre-score of the blocking indexes

Among namesakes born the same year (Mohammed Ahmad, 1990), nationality is what the pre-score of
the online search lacked most: at 1,000,000 records the true person ranked below 200 namesakes in
about 4% of searches. The column is filled from the stored features and added to the covering
blocking indexes.

Revision ID: identity_0003_search_nationality
Revises: identity_0002_search_prescore
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "identity_0003_search_nationality"
down_revision = "identity_0002_search_prescore"
branch_labels = None
depends_on = None

_BEFORE = ("names_key", "given_key", "surname_key", "father_key", "dob_year", "dob_full", "sex",
           "document", "member_state", "category", "identity_record_id")
_AFTER = ("names_key", "given_key", "surname_key", "father_key", "dob_year", "dob_full", "sex", "nationality",
          "document", "member_state", "category", "identity_record_id")
_INDEXES = {"names": "names_key", "given": "given_key", "surname": "surname_key"}


def _covering(first: str, columns: tuple[str, ...]) -> list[str]:
    return [first, "dob_year", *(c for c in columns if c not in (first, "dob_year"))]


def _recreate(columns: tuple[str, ...]) -> None:
    for short, first in _INDEXES.items():
        op.drop_index(f"ix_identity_search_keys_{short}_cover", table_name="identity_search_keys")
        op.create_index(f"ix_identity_search_keys_{short}_cover", "identity_search_keys", _covering(first, columns))


def upgrade() -> None:
    with op.batch_alter_table("identity_search_keys") as batch:
        batch.add_column(sa.Column("nationality", sa.String(length=3), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE identity_search_keys SET nationality = (features::jsonb) ->> 'nationality'")
    else:
        op.execute("UPDATE identity_search_keys SET nationality = json_extract(features, '$.nationality')")
    _recreate(_AFTER)


def downgrade() -> None:
    _recreate(_BEFORE)
    with op.batch_alter_table("identity_search_keys") as batch:
        batch.drop_column("nationality")
