"""The awareness aggregation, defined once as SQL and run on several engines.

``monthly_encounters_sql(dialect)`` produces the one query that turns encounter events into
monthly counts by route, Member State, kind, border type and nationality, with the number of
minors. The same text (only the month expression differs by dialect) runs:

- on the operational store directly (SQLite by default, PostgreSQL in production), which is what
  ``refresh_monthly`` uses to maintain ``awareness_monthly`` incrementally;
- on DuckDB over an extract of the store (``duckdb_monthly``), for analysts' ad-hoc work and for
  data that does not fit a row store's GROUP BY comfortably;
- on Spark SQL for data that outgrows one machine (``docs/awareness.md`` shows how).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from pactum.common.routes import SEA_ROUTES
from pactum.law import param, regime_for
from pactum.store.tables.awareness import awareness_monthly

MONTH_EXPR = {
    "sqlite": "strftime('%Y-%m', e.occurred_at)",
    "postgresql": "to_char(e.occurred_at, 'YYYY-MM')",
    "duckdb": "strftime(CAST(e.occurred_at AS TIMESTAMP), '%Y-%m')",
    "spark": "date_format(e.occurred_at, 'yyyy-MM')",
}
INLAND_KINDS = ("illegal_stay", "in_territory_application")
#: The route under which the platform counts its encounters that have none (inland: illegal stay,
#: in-territory applications), as the home dashboard names them: not Frontex's route "Other".
NO_ROUTE = "Inland (no route)"
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

    With ``since_param`` the query takes a ``:since`` bound parameter (timestamp) and aggregates
    only encounters from that moment on (incremental refresh).
    """
    if dialect not in MONTH_EXPR:
        raise ValueError(f"unsupported dialect {dialect!r}")
    month = MONTH_EXPR[dialect]
    where = "WHERE e.occurred_at >= :since" if since_param else ""
    return f"""
SELECT {month} AS month,
       COALESCE(e.route, '{NO_ROUTE}') AS route,
       e.member_state AS member_state,
       e.kind AS kind,
       CASE WHEN e.kind IN ({_quote_list(INLAND_KINDS)}) THEN 'Inland'
            WHEN e.kind = 'sar_disembarkation' OR e.route IN ({_quote_list(SEA_ROUTES)}) THEN 'Sea'
            ELSE 'Land' END AS border_type,
       COALESCE(i.nationality, 'XXX') AS nationality,
       COUNT(*) AS encounters,
       SUM(CASE WHEN i.date_of_birth IS NOT NULL
                 AND CAST(substr({month}, 1, 4) AS INTEGER)
                     - CAST(substr(i.date_of_birth, 1, 4) AS INTEGER) < {int(minor_age_years)}
                THEN 1 ELSE 0 END) AS minors
FROM {encounters} e
LEFT JOIN {identities} i ON i.id = e.identity_record_id
{where}
GROUP BY 1, 2, 3, 4, 5, 6
""".strip()


def _dialect(conn: Connection) -> str:
    name = conn.dialect.name
    return "postgresql" if name.startswith("postgres") else name


def refresh_monthly(conn: Connection, on: date, *, full: bool = False) -> int:
    """Re-aggregate encounters into ``awareness_monthly``; incremental unless ``full``.

    Incremental: the months from the previous month of the latest aggregated month onwards are
    deleted and recomputed (late registrations land in the open months). Returns rows written.
    """
    since_month: str | None = None
    if not full:
        latest = conn.execute(select(func.max(awareness_monthly.c.month))).scalar()
        if latest:
            y, m = int(latest[:4]), int(latest[5:7])
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
            since_month = f"{y:04d}-{m:02d}"
    sql = monthly_encounters_sql(_dialect(conn), minor_age_years=minor_age(on), since_param=since_month is not None)
    params: dict[str, Any] = {}
    if since_month is not None:
        from datetime import datetime

        params["since"] = datetime(int(since_month[:4]), int(since_month[5:7]), 1, tzinfo=UTC)
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
                encounters.c.route, encounters.c.kind]
    idr_cols = [identity_records.c.id, identity_records.c.nationality, identity_records.c.date_of_birth]
    for name, stmt in (("encounters", select(*enc_cols)), ("identity_records", select(*idr_cols))):
        result = conn.execute(stmt)
        first = True
        while chunk := result.fetchmany(batch):
            frame = pd.DataFrame(chunk, columns=list(result.keys()))
            if name == "encounters":
                frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True, format="ISO8601")
            db.register("chunk", frame)
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM chunk" if first else f"INSERT INTO {name} SELECT * FROM chunk")
            db.unregister("chunk")
            first = False
        if first:
            cols = ", ".join(f"{c.name} VARCHAR" for c in (enc_cols if name == "encounters" else idr_cols))
            db.execute(f"CREATE TABLE {name} ({cols})".replace("occurred_at VARCHAR", "occurred_at TIMESTAMPTZ"))
    sql = monthly_encounters_sql("duckdb", minor_age_years=minor_age(on))
    out = [dict(zip(COLUMNS, r, strict=True)) for r in db.execute(sql).fetchall()]
    db.close()
    return out
