"""identity: a covering index led by the full date of birth, for a block on it in the online search

A person whose names are written so differently that no name key is shared (Jadija for Khadidja,
a compound name joined, given name and surname swapped with a typo) was not among the candidates
even with the same full date of birth, which the batch linkage blocks on. The online search now
blocks on a known full date too; the index carries every pre-score column, as the name indexes do.

Revision ID: identity_0004_search_full_date
Revises: identity_0003_search_nationality
Create Date: 2026-11-29
"""

from alembic import op

revision = "identity_0004_search_full_date"
down_revision = "identity_0003_search_nationality"
branch_labels = None
depends_on = None

_COLUMNS = ["dob_full", "dob_year", "names_key", "given_key", "surname_key", "father_key", "sex", "nationality",
            "document", "member_state", "category", "identity_record_id"]


def upgrade() -> None:
    op.create_index("ix_identity_search_keys_dob_cover", "identity_search_keys", _COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_identity_search_keys_dob_cover", table_name="identity_search_keys")
