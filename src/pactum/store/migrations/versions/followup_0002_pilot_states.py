"""followup: action 5.a's live figure counts the pilot schemes' states (Bulgaria and Romania)

The annex's action 5.a reports on "both pilot schemes" of Bulgaria and Romania; its live figure,
``border_procedure_occupancy``, counted every state's border procedures. The action now names the
states whose records it counts (``indicator_states``). A store loaded before carries the action
without them: this transcription fix gives the stored action (and its versions, the same annex
text) ``indicator_states: [BG, RO]`` where it still cites that indicator with no states and its text
still names both. An action an editor has changed otherwise is left as it is.

Revision ID: followup_0002_pilot_states
Revises: followup_0001_items
Create Date: 2026-12-01
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "followup_0002_pilot_states"
down_revision = "followup_0001_items"
branch_labels = None
depends_on = None

STATES = ["BG", "RO"]


def _data(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


def _fix(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if (not data or data.get("indicator") != "border_procedure_occupancy" or data.get("indicator_states")
            or "Bulgaria" not in str(data.get("text")) or "Romania" not in str(data.get("text"))):
        return None
    fixed = dict(data)
    # the field's place in the action's fields: after the indicator
    out: dict[str, Any] = {}
    for k, v in fixed.items():
        out[k] = v
        if k == "indicator":
            out["indicator_states"] = STATES
    return out


def upgrade() -> None:
    conn = op.get_bind()
    for table in ("followup_items", "followup_item_versions"):
        t = sa.table(table, sa.column("id", sa.String), sa.column("kind", sa.String), sa.column("key", sa.String),
                     sa.column("data", sa.JSON))
        rows = conn.execute(sa.select(t.c.id, t.c.data).where(t.c.kind == "action", t.c.key == "5.a")).all()
        for row in rows:
            fixed = _fix(_data(row.data))
            if fixed is not None:
                conn.execute(t.update().where(t.c.id == row.id).values(data=fixed))


def downgrade() -> None:
    conn = op.get_bind()
    for table in ("followup_items", "followup_item_versions"):
        t = sa.table(table, sa.column("id", sa.String), sa.column("kind", sa.String), sa.column("key", sa.String),
                     sa.column("data", sa.JSON))
        for row in conn.execute(sa.select(t.c.id, t.c.data).where(t.c.kind == "action", t.c.key == "5.a")).all():
            data = _data(row.data)
            if data and data.get("indicator_states") == STATES:
                data.pop("indicator_states")
                conn.execute(t.update().where(t.c.id == row.id).values(data=data))
