"""The local day and month of a stored moment, in SQL: where it happened, not in UTC.

The store keeps moments in UTC and, for an encounter (since ``registry_0006_encounter_time_zone``)
and a screening, the time zone of its place (``time_zone``, IANA); a row without one (registered
before it was kept) is read on its state's capital's clock (``STATE_ZONES``), as
``pactum.registry.local_time.stored_day`` reads it in Python. An arrival at 00:30 on 1 December in
Athens (22:30 UTC on 30 November) is of 1 December, and of December.

PostgreSQL converts with ``AT TIME ZONE`` (``timezone()``); SQLite has no time zones, so a
connection gets two deterministic functions, ``pactum_local_day`` and ``pactum_local_month``
(:func:`sqlite_functions`), which read the same zone in Python. The registry (the home dashboard's
arrivals by route and month, the registrations indicator) and awareness (the monthly aggregate, the
weekly report) count with these, so both say the same month for the same encounter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, literal

from pactum.registry.local_time import STATE_ZONES, stored_day

#: The time zone of an encounter's place (``e``): the one it recorded, else its state's capital's (a
#: state the platform keeps no clock for: UTC, as ``stored_day`` reads it). Plain SQL, every engine.
ZONE_SQL = (
    "COALESCE(e.time_zone, CASE e.member_state "
    + " ".join(f"WHEN '{ms}' THEN '{zone}'" for ms, zone in sorted(STATE_ZONES.items()))
    + " ELSE 'UTC' END)"
)


def local_day_text(at: str | None, zone: str | None, member_state: str | None) -> str | None:
    """SQLite's ``pactum_local_day(moment, time_zone, member_state)``: the day (``YYYY-MM-DD``)
    the clock of ``time_zone`` (else of the state's capital, :data:`ZONE_SQL`) showed at
    ``moment`` (the store's text of a UTC moment)."""
    if at is None:
        return None
    return stored_day(at, "", zone or STATE_ZONES.get(member_state or "", "UTC")).isoformat()


def local_month_text(at: str | None, zone: str | None, member_state: str | None) -> str | None:
    """SQLite's ``pactum_local_month(moment, time_zone, member_state)``: the month (``YYYY-MM``) of
    :func:`local_day_text`. A moment from the 2nd to the 27th of a month in UTC is in that month
    on every clock (no offset reaches a day), so only the days around a month's turn are converted:
    a full aggregation stays a string slice for nine rows in ten."""
    if at is None:
        return None
    if "02" <= at[8:10] <= "27":
        return at[:7]
    return (local_day_text(at, zone, member_state) or "")[:7]


def sqlite_functions(conn: Connection) -> None:
    """Give a SQLite connection the local day and month functions (once per DBAPI connection; a
    no-op on other engines, which convert time zones themselves)."""
    if conn.dialect.name != "sqlite":
        return
    info = conn.connection.info
    if info.get("pactum_local_time"):
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.create_function("pactum_local_day", 3, local_day_text, deterministic=True)
    raw.create_function("pactum_local_month", 3, local_month_text, deterministic=True)
    info["pactum_local_time"] = True


def is_postgresql(conn: Connection) -> bool:
    return conn.dialect.name.startswith("postgres")


def zone_of(member_state: ColumnElement[Any], time_zone: ColumnElement[Any]) -> ColumnElement[str]:
    """:data:`ZONE_SQL` as an expression over a table's state and time-zone columns."""
    capital = case(
        *((member_state == ms, literal(zone)) for ms, zone in sorted(STATE_ZONES.items())),
        else_=literal("UTC"),
    )
    return func.coalesce(time_zone, capital)


def local_day(
    conn: Connection,
    moment: ColumnElement[Any],
    member_state: ColumnElement[Any],
    time_zone: ColumnElement[Any],
) -> ColumnElement[str]:
    """The local day (``YYYY-MM-DD`` text) of a stored moment on the clock of ``time_zone``, else of
    the state's capital, for ``conn``'s engine (SQLite: :func:`sqlite_functions`, registered here)."""
    if is_postgresql(conn):
        return func.to_char(func.timezone(zone_of(member_state, time_zone), moment), "YYYY-MM-DD")
    sqlite_functions(conn)
    return func.pactum_local_day(moment, time_zone, member_state)


def local_month(
    conn: Connection,
    moment: ColumnElement[Any],
    member_state: ColumnElement[Any],
    time_zone: ColumnElement[Any],
) -> ColumnElement[str]:
    """The local month (``YYYY-MM`` text) of a stored moment, as :func:`local_day` reads its day
    (on SQLite, the 2nd to the 27th of a UTC month read from the text, as :func:`local_month_text`
    does, without a call into Python)."""
    if is_postgresql(conn):
        return func.to_char(func.timezone(zone_of(member_state, time_zone), moment), "YYYY-MM")
    sqlite_functions(conn)
    return case(
        (func.substr(moment, 9, 2).between("02", "27"), func.substr(moment, 1, 7)),
        else_=func.pactum_local_month(moment, time_zone, member_state),
    )
