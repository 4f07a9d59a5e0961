"""identity: the names key as the recording authority reads the letters, and the keys' version

German, Dutch, Polish, Czech, Swedish and Greek authorities write kh as ch (Chaled, Michail), and
Spanish ones as j (Jaled); the neutral key reads ch as the French sh. ``names_key_local`` holds the
key under the recording state's reading (rule ``authority_reading``) where it differs; the online
search blocks on it against the neutral key and itself, and every covering blocking index carries
it for the pre-score. ``keys_version`` records the normalisation that computed a row's keys: the
existing rows have none, so the ``identity_index`` job (or ``pactum identity index``) recomputes
them after the upgrade, as it will after any later change of the normalisation.

Revision ID: identity_0005_search_local_reading
Revises: identity_0004_search_full_date
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "identity_0005_search_local_reading"
down_revision = "identity_0004_search_full_date"
branch_labels = None
depends_on = None

_BEFORE = ("names_key", "given_key", "surname_key", "father_key", "dob_year", "dob_full", "sex", "nationality",
           "document", "member_state", "category", "identity_record_id")
_AFTER = ("names_key", "names_key_local", "given_key", "surname_key", "father_key", "dob_year", "dob_full", "sex",
          "nationality", "document", "member_state", "category", "identity_record_id")
_INDEXES = {"names": "names_key", "given": "given_key", "surname": "surname_key", "dob": "dob_full"}


def _covering(first: str, columns: tuple[str, ...]) -> list[str]:
    return [first, "dob_year", *(c for c in columns if c not in (first, "dob_year"))]


def _recreate(columns: tuple[str, ...]) -> None:
    for short, first in _INDEXES.items():
        op.drop_index(f"ix_identity_search_keys_{short}_cover", table_name="identity_search_keys")
        op.create_index(f"ix_identity_search_keys_{short}_cover", "identity_search_keys", _covering(first, columns))


def upgrade() -> None:
    with op.batch_alter_table("identity_search_keys") as batch:
        batch.add_column(sa.Column("names_key_local", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("keys_version", sa.String(length=20), nullable=True))
    op.create_index("ix_identity_search_keys_keys_version", "identity_search_keys", ["keys_version"])
    _recreate(_AFTER)
    op.create_index("ix_identity_search_keys_names_local_cover", "identity_search_keys",
                    _covering("names_key_local", _AFTER))


def downgrade() -> None:
    op.drop_index("ix_identity_search_keys_names_local_cover", table_name="identity_search_keys")
    _recreate(_BEFORE)
    op.drop_index("ix_identity_search_keys_keys_version", table_name="identity_search_keys")
    with op.batch_alter_table("identity_search_keys") as batch:
        batch.drop_column("keys_version")
        batch.drop_column("names_key_local")
