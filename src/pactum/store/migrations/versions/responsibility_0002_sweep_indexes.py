"""responsibility: indexes that let the deadline sweep update requests in place

The sweep rewrites status and the transfer deadlines of up to most of the requests at once.
Indexes on (state, status) and (status, due date) made every such update write a new entry in
seven indexes; indexes that do not cover a rewritten column, with free space kept on every page
(fillfactor 60), let PostgreSQL update the rows in place (heap-only tuples). A case's timeline is
read through its requests, so the events' case_id index goes.

Revision ID: responsibility_0002_sweep_indexes
Revises: responsibility_0001_initial
Create Date: 2026-11-28
"""

from alembic import op

revision = "responsibility_0002_sweep_indexes"
down_revision = "responsibility_0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("ix_dublin_requests_requested_status", "ix_dublin_requests_requesting_status",
                 "ix_dublin_requests_status_reply_due",
                 "ix_dublin_requests_status_reexamination_due",
                 "ix_dublin_requests_status_transfer_due"):
        op.drop_index(name, table_name="dublin_requests")
    op.drop_index("ix_dublin_request_events_case_id", table_name="dublin_request_events")
    op.create_index("ix_dublin_requests_requested_sent", "dublin_requests",
                    ["requested_member_state", "sent_on"])
    op.create_index("ix_dublin_requests_requesting_sent", "dublin_requests",
                    ["requesting_member_state", "sent_on"])
    op.create_index("ix_dublin_requests_reexamination_due", "dublin_requests",
                    ["reexamination_due"])
    if op.get_bind().dialect.name == "postgresql":
        # Applies to pages written from now on (VACUUM FULL rewrites existing ones).
        op.execute("ALTER TABLE dublin_requests SET (fillfactor = 60)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE dublin_requests RESET (fillfactor)")
    op.drop_index("ix_dublin_requests_reexamination_due", table_name="dublin_requests")
    op.drop_index("ix_dublin_requests_requesting_sent", table_name="dublin_requests")
    op.drop_index("ix_dublin_requests_requested_sent", table_name="dublin_requests")
    op.create_index("ix_dublin_request_events_case_id", "dublin_request_events", ["case_id"])
    op.create_index("ix_dublin_requests_status_transfer_due", "dublin_requests",
                    ["status", "transfer_due"])
    op.create_index("ix_dublin_requests_status_reexamination_due", "dublin_requests",
                    ["status", "reexamination_due"])
    op.create_index("ix_dublin_requests_status_reply_due", "dublin_requests",
                    ["status", "reply_due"])
    op.create_index("ix_dublin_requests_requesting_status", "dublin_requests",
                    ["requesting_member_state", "status"])
    op.create_index("ix_dublin_requests_requested_status", "dublin_requests",
                    ["requested_member_state", "status"])
