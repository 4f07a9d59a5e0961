"""awareness: the monthly figures of the platform's encounters counted again by local month

``awareness_monthly`` is an aggregate of ``encounters``, which the refresh rebuilds from them. It
counted each encounter in its month in UTC and put every encounter without a route under
"Inland (no route)". It now counts each in the month of its day where it happened (the time
zone of its place, ``encounters.time_zone``, which ``registry_0006_encounter_time_zone`` added,
else its state's capital's) and an arrival at the border or at sea whose route was not recorded
under "Route not recorded" (``pactum.services.awareness.analytics``). The incremental refresh
recounts only the open months: the months before would keep their UTC months and their old name
until someone rebuilt them (``pactum awareness refresh --full``). This migration rebuilds them
all, so that every month of a store written before counts as the new ones do. The encounters
are not changed; the alerts already raised keep the route and month they were raised on.
Downgrading keeps the rebuilt figures (the refresh of the code before would recount its open
months its own way).

Revision ID: awareness_0002_local_months
Revises: awareness_0001_initial
Create Date: 2026-12-02
"""

from datetime import UTC, datetime

from alembic import op

revision = "awareness_0002_local_months"
down_revision = "awareness_0001_initial"
branch_labels = None
depends_on = "registry_0006_encounter_time_zone"


def upgrade() -> None:
    from pactum.services.awareness.analytics import refresh_monthly

    refresh_monthly(op.get_bind(), datetime.now(UTC).date(), full=True)


def downgrade() -> None:
    """The rebuilt figures stay: they are an aggregate of the encounters, which did not change."""
