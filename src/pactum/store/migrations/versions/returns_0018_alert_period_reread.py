"""returns: the return alerts' field (x) read again as the suspensions are now merged

Field (x) of a return alert (Regulation (EU) 2018/1860, Article 4(1)(x): the date of expiry of the
period for voluntary departure) is stored on the alert and set by the handlers, audited
``returns.alert.update``, when the decision is issued, its suspension lifted, its period extended or
its destination amended. Since this release suspensions that overlap or follow each other without a
day between are one stop of the period, no day counted twice (``pactum.returns.period.merged_stops``);
before, each was counted on its own, and an alert kept the day read so until the decision's next
suspension, lifting, extension or amendment.

This migration reads again the period of every decision with an active alert, as the code reads it
(``pactum.services.returns._period_runs``: the suspensions, the time to appeal, the extensions and the
amended decisions recorded), and sets field (x) to its last day where it differs. A period that does
not run (a suspension that began within it lasts) has no last day: its alert is left as it is, and
the lifting sets it, as before. Deleted alerts are left as they were at deletion; decisions and their
``version`` are not changed (an officer's open form does not become stale). No audit entry is
written (the entries of the changes that set the earlier day stay; as ``returns_0003`` corrected the
stored ends of entry bans). Downgrading leaves the corrected days.

Revision ID: returns_0018_alert_period_reread
Revises: returns_0017_decision_region
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0018_alert_period_reread"
down_revision = "returns_0017_decision_region"
branch_labels = None
# the asylum cases are read for the time to appeal's article (procedures)
depends_on = "procedures_0001_initial"

_DECISIONS = sa.table(
    "return_decisions", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("issued_on", sa.Date()), sa.column("voluntary_departure_last_day", sa.Date()),
    sa.column("asylum_case_id", sa.String()), sa.column("removal_barred_until", sa.Date()),
    sa.column("removal_barred_basis", sa.String()))
_ALERTS = sa.table(
    "return_alerts", sa.column("id", sa.String()), sa.column("return_decision_id", sa.String()),
    sa.column("status", sa.String()), sa.column("voluntary_departure_last_day", sa.Date()))


def upgrade() -> None:
    from pactum.services.returns import _period_runs

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_ALERTS.c.id.label("alert_id"), _ALERTS.c.voluntary_departure_last_day.label("field_x"),
                  *(c for c in _DECISIONS.c))
        .join(_DECISIONS, _DECISIONS.c.id == _ALERTS.c.return_decision_id)
        .where(_ALERTS.c.status == "active", _DECISIONS.c.voluntary_departure_last_day.is_not(None))
        .order_by(_ALERTS.c.id)).mappings().all()
    changed = []
    for chunk in (rows[i:i + 500] for i in range(0, len(rows), 500)):
        runs = _period_runs(conn, [dict(r) for r in chunk])
        for r in chunk:
            run = runs.get(r["id"])
            if run is not None and run.ends_on is not None and run.ends_on != r["field_x"]:
                changed.append({"row_id": r["alert_id"], "day": run.ends_on})
    if changed:
        conn.execute(sa.update(_ALERTS).where(_ALERTS.c.id == sa.bindparam("row_id"))
                     .values(voluntary_departure_last_day=sa.bindparam("day")), changed)


def downgrade() -> None:
    """The days read again stay: the earlier ones counted days of the period twice."""
