"""The awareness aggregation, defined once as SQL and run on several engines.

``monthly_encounters_sql(dialect)`` produces the one query that turns encounter events into
monthly counts by route, Member State, kind, border type and nationality, with the number of
minors. The same text (only the month expression differs by dialect) runs:

- on the operational store directly (SQLite by default, PostgreSQL in production), which is what
  ``refresh_monthly`` uses to maintain ``awareness_monthly`` incrementally;
- on DuckDB over an extract of the store (``duckdb_monthly``), for analysts' ad-hoc work and for
  data that does not fit a row store's GROUP BY comfortably;
- on Spark SQL for data that outgrows one machine (``docs/awareness.md`` shows how).

An encounter counts in the month (and a week's report in the week) of its **local day**: the day
the clock showed where it happened (``pactum.registry.local_time``), not its UTC day. An arrival at
00:30 on 1 December in Athens (22:30 UTC on 30 November) is one of December. The store keeps no
local day: it keeps the moment in UTC and, since ``registry_0006_encounter_time_zone``, the time
zone of the place (``encounters.time_zone``, IANA); an encounter without one (registered before
it was kept) is read on its state's capital's clock (``STATE_ZONES``), as
``pactum.registry.local_time.stored_day`` reads it. Each engine converts the moment to that zone
in SQL (PostgreSQL ``AT TIME ZONE``, DuckDB's ``timezone``, Spark's ``from_utc_timestamp`` with
the session in UTC); SQLite has no time zones, so the store's connection gets two deterministic
functions, ``pactum_local_month`` and ``pactum_local_day`` (:func:`sqlite_functions`), which read
the same zone in Python. These helpers live in ``pactum.store.local_days``, shared with the registry's
counts by month (the home dashboard's arrivals by route and month).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from pactum.common.routes import SEA_ROUTES
from pactum.law import param, regime_for
from pactum.store.local_days import ZONE_SQL, is_postgresql, sqlite_functions
from pactum.store.tables.awareness import awareness_monthly

#: The local month (``YYYY-MM``) of an encounter per engine (see the module's docstring).
MONTH_EXPR = {
    # the zone chosen in Python, once a moment near a month's turn needs it (``pactum.store.local_days.local_month_text``)
    # (the 2nd to the 27th of a UTC month is that month on every clock: read from the text, no call)
    "sqlite": ("CASE WHEN substr(e.occurred_at, 9, 2) BETWEEN '02' AND '27' THEN substr(e.occurred_at, 1, 7) "
               "ELSE pactum_local_month(e.occurred_at, e.time_zone, e.member_state) END"),
    "postgresql": f"to_char(e.occurred_at AT TIME ZONE {ZONE_SQL}, 'YYYY-MM')",
    # DuckDB's extract holds occurred_at as a naive timestamp in UTC (:func:`duckdb_monthly`)
    "duckdb": f"strftime(timezone({ZONE_SQL}, timezone('UTC', e.occurred_at)), '%Y-%m')",
    # Spark's session time zone must be UTC (spark.sql.session.timeZone), as docs/awareness.md sets it
    "spark": f"date_format(from_utc_timestamp(e.occurred_at, {ZONE_SQL}), 'yyyy-MM')",
}
INLAND_KINDS = ("illegal_stay", "in_territory_application")
#: The route under which the platform counts its encounters inside the territory that have none
#: (illegal stay, in-territory applications), as the home dashboard names them: not Frontex's
#: route "Other".
NO_ROUTE = "Inland (no route)"
#: The route under which the platform counts its arrivals at the border or at sea (an irregular
#: crossing, a disembarkation after search and rescue, an application at a border crossing point)
#: whose route the officer did not record: they did not happen inland. The home dashboard's name.
NOT_RECORDED = "Route not recorded"
#: The platform's series of encounters without a route, in the order the pages list them.
NO_ROUTE_SERIES = (NO_ROUTE, NOT_RECORDED)
COLUMNS = ("month", "route", "member_state", "kind", "border_type", "nationality", "encounters", "minors")


def minor_age(on: date) -> int:
    """Below this age a person counts as a minor (AMMR Art. 2 / Dublin III Art. 2 definition)."""
    prefix = "dublin3" if regime_for("responsibility", on) == "dublin_iii" else "ammr"
    return int(param(f"{prefix}.responsibility_definitions.minor_age", on=on).value)


def _quote_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def monthly_encounters_sql(
    dialect: str,
    *,
    minor_age_years: int,
    encounters: str = "encounters",
    identities: str = "identity_records",
    since_param: bool = False,
) -> str:
    """The aggregation query for ``dialect`` (sqlite, postgresql, duckdb, spark).

    With ``since_param`` the query takes ``:since_month`` (``YYYY-MM``) and ``:since`` (a moment
    at least a day before that month's first day in UTC) and aggregates only the encounters of
    that local month on (incremental refresh).
    """
    if dialect not in MONTH_EXPR:
        raise ValueError(f"unsupported dialect {dialect!r}")
    month = MONTH_EXPR[dialect]
    # the local month starts up to a day before its first day in UTC: the index narrows the rows
    # by the moment (``:since`` a day early), the local month decides
    near = "WHERE e.occurred_at >= :since" if since_param else ""
    where = "WHERE m.month >= :since_month" if since_param else ""
    inland = _quote_list(INLAND_KINDS)
    # the local month is computed once per encounter, in the inner query (on SQLite, evaluating the
    # function in the grouping and the minors' year as well took twice as long)
    return f"""
SELECT m.month AS month,
       CASE WHEN m.route IS NOT NULL THEN m.route
            WHEN m.kind IN ({inland}) THEN '{NO_ROUTE}'
            ELSE '{NOT_RECORDED}' END AS route,
       m.member_state AS member_state,
       m.kind AS kind,
       CASE WHEN m.kind IN ({inland}) THEN 'Inland'
            WHEN m.kind = 'sar_disembarkation' OR m.route IN ({_quote_list(SEA_ROUTES)}) THEN 'Sea'
            ELSE 'Land' END AS border_type,
       COALESCE(i.nationality, 'XXX') AS nationality,
       COUNT(*) AS encounters,
       SUM(CASE WHEN i.date_of_birth IS NOT NULL
                 AND CAST(substr(m.month, 1, 4) AS INTEGER)
                     - CAST(substr(i.date_of_birth, 1, 4) AS INTEGER) < {int(minor_age_years)}
                THEN 1 ELSE 0 END) AS minors
FROM (SELECT {month} AS month, e.route, e.member_state, e.kind, e.identity_record_id
      FROM {encounters} e
      {near}) m
LEFT JOIN {identities} i ON i.id = m.identity_record_id
{where}
GROUP BY 1, 2, 3, 4, 5, 6
""".strip()


def _dialect(conn: Connection) -> str:
    return "postgresql" if is_postgresql(conn) else conn.dialect.name


def refresh_monthly(conn: Connection, on: date, *, full: bool = False) -> int:
    """Re-aggregate encounters into ``awareness_monthly``; incremental unless ``full``.

    Incremental: the months from the previous month of the latest aggregated month onwards are
    deleted and recomputed (late registrations land in the open months), each encounter in the
    local month of its day where it happened. Returns rows written.
    """
    since_month: str | None = None
    if not full:
        latest = conn.execute(select(func.max(awareness_monthly.c.month))).scalar()
        if latest:
            y, m = int(latest[:4]), int(latest[5:7])
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
            since_month = f"{y:04d}-{m:02d}"
    sql = monthly_encounters_sql(_dialect(conn), minor_age_years=minor_age(on), since_param=since_month is not None)
    sqlite_functions(conn)
    params: dict[str, Any] = {}
    if since_month is not None:
        # a day before the month's first day in UTC: its first local hours are in UTC's month before
        params["since"] = datetime(int(since_month[:4]), int(since_month[5:7]), 1, tzinfo=UTC) - timedelta(days=1)
        params["since_month"] = since_month
        conn.execute(delete(awareness_monthly).where(awareness_monthly.c.month >= since_month))
    else:
        conn.execute(delete(awareness_monthly))
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in conn.execute(text(sql), params)]
    if rows:
        conn.execute(insert(awareness_monthly), rows)
    return len(rows)


def duckdb_monthly(conn: Connection, on: date, batch: int = 500_000) -> list[dict[str, Any]]:
    """Run the same aggregation on DuckDB over an extract of the store's encounters."""
    import duckdb
    import pandas as pd

    from pactum.store.tables.registry import encounters, identity_records

    db = duckdb.connect()
    enc_cols = [encounters.c.identity_record_id, encounters.c.member_state, encounters.c.occurred_at,
                encounters.c.route, encounters.c.kind, encounters.c.time_zone]
    idr_cols = [identity_records.c.id, identity_records.c.nationality, identity_records.c.date_of_birth]
    for name, stmt in (("encounters", select(*enc_cols)), ("identity_records", select(*idr_cols))):
        result = conn.execute(stmt)
        first = True
        while chunk := result.fetchmany(batch):
            frame = pd.DataFrame(chunk, columns=list(result.keys()))
            if name == "encounters":
                # a naive timestamp in UTC, as the month expression reads it
                frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True,
                                                      format="ISO8601").dt.tz_localize(None)
            db.register("chunk", frame)
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM chunk" if first else f"INSERT INTO {name} SELECT * FROM chunk")
            db.unregister("chunk")
            first = False
        if first:
            cols = ", ".join(f"{c.name} VARCHAR" for c in (enc_cols if name == "encounters" else idr_cols))
            db.execute(f"CREATE TABLE {name} ({cols})".replace("occurred_at VARCHAR", "occurred_at TIMESTAMP"))
    sql = monthly_encounters_sql("duckdb", minor_age_years=minor_age(on))
    out = [dict(zip(COLUMNS, r, strict=True)) for r in db.execute(sql).fetchall()]
    db.close()
    return out
