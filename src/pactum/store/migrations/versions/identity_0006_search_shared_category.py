"""identity: the search keys' category is the record's Eurodac category, as other states may see it

Another Member State's record is found through Eurodac only while its Eurodac data are stored and
not erased (Reg. (EU) 2024/1358 Art 29). ``identity_search_keys.category``, which every covering
blocking index carries for the visibility test, held the identity record's category; it now holds
the category of the record's Eurodac data not erased, and none for a record without Eurodac data
(a child under the age of biometrics, an illegal stay before the recast) or whose data were
erased. ``pactum.services.identity.index_record`` writes it so; this migration recomputes it for
the rows written before (the downgrade restores the identity record's category).

The registry's retention erased Eurodac records without telling the identity area, leaving the
biometric templates of the records whose data it erased; its audit entries (``eurodac.erased``)
name those records. Their templates are deleted here, where no Eurodac data of the record remain
(the biometric index beside the store no longer describes it and is rebuilt on first use).

Revision ID: identity_0006_search_shared_category
Revises: identity_0005_search_local_reading
Create Date: 2026-11-30
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "identity_0006_search_shared_category"
down_revision = "identity_0005_search_local_reading"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE identity_search_keys SET category = ("
        " SELECT e.category FROM eurodac_records e"
        " WHERE e.identity_record_id = identity_search_keys.identity_record_id AND e.erased_at IS NULL"
        " ORDER BY e.registered_at, e.id LIMIT 1)")
    conn = op.get_bind()
    erased = set()
    for (before,) in conn.execute(sa.text("SELECT before FROM audit_log WHERE action = 'eurodac.erased'")):
        data = json.loads(before) if isinstance(before, str) else (before or {})
        if data.get("identity_record_id"):
            erased.add(str(data["identity_record_id"]))
    for record_id in sorted(erased):
        conn.execute(sa.text(
            "DELETE FROM biometric_templates WHERE identity_record_id = :r AND NOT EXISTS ("
            " SELECT 1 FROM eurodac_records e WHERE e.identity_record_id = :r AND e.erased_at IS NULL)"),
            {"r": record_id})


def downgrade() -> None:
    op.execute(
        "UPDATE identity_search_keys SET category = ("
        " SELECT r.category FROM identity_records r WHERE r.id = identity_search_keys.identity_record_id)")
