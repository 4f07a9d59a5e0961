"""identity: search keys carry the pre-score and visibility columns; covering blocking indexes

The online search ranks each block by a cheap pre-score inside the database and reads the full
comparison features of the best candidates only. The columns it needs (father's name key, full
date of birth, sex, Eurodac category) are added and filled from the stored features and records,
and the three name indexes are replaced by indexes that carry every column of the pre-score.

Revision ID: identity_0002_search_prescore
Revises: identity_0001_links_models_templates
Create Date: 2026-11-28
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "identity_0002_search_prescore"
down_revision = "identity_0001_links_models_templates"
branch_labels = None
depends_on = None

_PRESCORE_COLUMNS = ("names_key", "given_key", "surname_key", "father_key", "dob_year", "dob_full", "sex",
                     "document", "member_state", "category", "identity_record_id")
_OLD = {"names": "names_key", "given": "given_key", "surname": "surname_key"}


def _covering(first: str) -> list[str]:
    return [first, "dob_year", *(c for c in _PRESCORE_COLUMNS if c not in (first, "dob_year"))]


def upgrade() -> None:
    with op.batch_alter_table("identity_search_keys") as batch:
        batch.add_column(sa.Column("father_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("dob_full", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch.add_column(sa.Column("category", sa.String(length=30), nullable=True))
    conn = op.get_bind()
    keys = sa.table("identity_search_keys", sa.column("identity_record_id", sa.String), sa.column("features", sa.JSON),
                    sa.column("father_key", sa.String), sa.column("dob_full", sa.String), sa.column("sex", sa.String),
                    sa.column("category", sa.String))
    records = sa.table("identity_records", sa.column("id", sa.String), sa.column("category", sa.String))
    rows = conn.execute(sa.select(keys.c.identity_record_id, keys.c.features, records.c.category)
                        .select_from(keys.join(records, records.c.id == keys.c.identity_record_id))).fetchall()
    update = (keys.update().where(keys.c.identity_record_id == sa.bindparam("rid"))
              .values(father_key=sa.bindparam("fk"), dob_full=sa.bindparam("df"), sex=sa.bindparam("sx"),
                      category=sa.bindparam("cat")))
    batch_rows = []
    for rid, features, category in rows:
        f = features if isinstance(features, dict) else json.loads(features)
        batch_rows.append({"rid": rid, "fk": f.get("father_key"), "df": f.get("dob_full"), "sx": f.get("sex"),
                           "cat": category})
        if len(batch_rows) >= 10_000:
            conn.execute(update, batch_rows)
            batch_rows = []
    if batch_rows:
        conn.execute(update, batch_rows)
    for short, first in _OLD.items():
        op.drop_index(f"ix_identity_search_keys_{short}", table_name="identity_search_keys")
        op.create_index(f"ix_identity_search_keys_{short}_cover", "identity_search_keys", _covering(first))


def downgrade() -> None:
    for short, first in _OLD.items():
        op.drop_index(f"ix_identity_search_keys_{short}_cover", table_name="identity_search_keys")
        op.create_index(f"ix_identity_search_keys_{short}", "identity_search_keys", [first, "dob_year"])
    with op.batch_alter_table("identity_search_keys") as batch:
        batch.drop_column("category")
        batch.drop_column("sex")
        batch.drop_column("dob_full")
        batch.drop_column("father_key")
