"""procedures: the day a subsequent application's preliminary examination found new elements

Regulation (EU) 2024/1348 Art 55(6): where new elements are found, the application is further
examined on the merits "unless the application may be considered inadmissible on the basis of
another ground of Article 38(1)". A case then stays in the admissibility procedure while that
ground is examined, so the finding can no longer be read from the procedure alone: one nullable
column records its day (``admit_subsequent``'s ``found_on``). Existing cases take it from their
``subsequent_admitted`` timeline event. Downgrading drops the column.

Revision ID: procedures_0009_new_elements_found_on
Revises: procedures_0008_border_lodging_deadline
Create Date: 2026-12-01
"""

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "procedures_0009_new_elements_found_on"
down_revision = "procedures_0008_border_lodging_deadline"
branch_labels = None
depends_on = None

_EVENTS = sa.table("asylum_case_events", sa.column("case_id", sa.String()), sa.column("event", sa.String()),
                   sa.column("detail", sa.JSON()))
_CASES = sa.table("asylum_applications", sa.column("id", sa.String()), sa.column("new_elements_found_on", sa.Date()))


def upgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.add_column(sa.Column("new_elements_found_on", sa.Date(), nullable=True))
    conn = op.get_bind()
    found: dict[str, date] = {}
    for row in conn.execute(sa.select(_EVENTS.c.case_id, _EVENTS.c.detail)
                            .where(_EVENTS.c.event == "subsequent_admitted")):
        detail = json.loads(row.detail) if isinstance(row.detail, str) else (row.detail or {})
        try:
            day = date.fromisoformat(str(detail.get("found_on")))
        except ValueError:
            continue
        found[row.case_id] = min(day, found.get(row.case_id, day))
    if found:
        conn.execute(sa.update(_CASES).where(_CASES.c.id == sa.bindparam("row_id"))
                     .values(new_elements_found_on=sa.bindparam("day")),
                     [{"row_id": k, "day": v} for k, v in found.items()])


def downgrade() -> None:
    with op.batch_alter_table("asylum_applications") as batch:
        batch.drop_column("new_elements_found_on")
