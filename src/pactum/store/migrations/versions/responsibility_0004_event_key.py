"""responsibility: timeline events keyed by (request_id, id)

The deadline sweep writes one event per request that changes state (up to most of the requests
at once). With a primary key on id and a second index on request_id every event updated two
indexes; the primary key (request_id, id) identifies an event and finds a request's timeline, so
one index serves both.

Revision ID: responsibility_0004_event_key
Revises: responsibility_0003_appeals
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0004_event_key"
down_revision = "responsibility_0003_appeals"
branch_labels = None
depends_on = None


def _events(pk: tuple[str, ...], request_index: bool) -> sa.Table:
    t = sa.Table(
        "dublin_request_events", sa.MetaData(),
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("request_id", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("authority", sa.String(10), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("from_status", sa.String(30), nullable=True),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint(*pk, name="pk_dublin_request_events"),
    )
    if request_index:
        sa.Index("ix_dublin_request_events_request_id", t.c.request_id)
    return t


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_dublin_request_events_request_id", table_name="dublin_request_events")
        op.drop_constraint("pk_dublin_request_events", "dublin_request_events", type_="primary")
        op.create_primary_key("pk_dublin_request_events", "dublin_request_events",
                              ["request_id", "id"])
    else:  # SQLite cannot alter a primary key: the table is copied into the new shape
        op.drop_index("ix_dublin_request_events_request_id", table_name="dublin_request_events")
        with op.batch_alter_table("dublin_request_events", recreate="always",
                                  copy_from=_events(("request_id", "id"), False)):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("pk_dublin_request_events", "dublin_request_events", type_="primary")
        op.create_primary_key("pk_dublin_request_events", "dublin_request_events", ["id"])
        op.create_index("ix_dublin_request_events_request_id", "dublin_request_events",
                        ["request_id"])
    else:
        with op.batch_alter_table("dublin_request_events", recreate="always",
                                  copy_from=_events(("id",), False)):
            pass
        op.create_index("ix_dublin_request_events_request_id", "dublin_request_events",
                        ["request_id"])
