"""Handlers and queries of the awareness area (see the package docstring for rights and scope)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from pactum.awareness import alerts as rules
from pactum.awareness.external import EUROSTAT_FLAGS, QUALIFIER, measure_parts, parse
from pactum.awareness.indicators import change, freshness, month_add, month_range, pct_change, top_shares
from pactum.awareness.metrics import choice_basis
from pactum.awareness.periods import is_month
from pactum.awareness.quality import DOMINANT_SHARE, alert_caveat, month_caveat, unknown_share
from pactum.awareness.schemas import NOTE_MAX, AlertOut, BacktestResult, RouteForecast
from pactum.common.clock import as_utc
from pactum.common.csvrows import csv_table
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.routes import route_names
from pactum.common.states import MEMBER_STATES
from pactum.common.text import shortened
from pactum.registry.local_time import STATE_ZONES, local_day, state_zone_names
from pactum.services.auth import SYSTEM, Principal, Role, require
from pactum.services.awareness import analytics, forecasting, series
from pactum.services.awareness.series import (
    EUROSTAT,
    FRONTEX_NATIONALITY,
    UNHCR,
    data_path,
    shipped_route_series,
)
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.store.tables.awareness import (
    awareness_alerts,
    awareness_backtests,
    awareness_forecasts,
    awareness_imports,
    awareness_monthly,
    awareness_series,
)
from pactum.store.tables.base import update_versioned

SHIPPED = {"frontex": FRONTEX_NATIONALITY, "eurostat": EUROSTAT, "unhcr": UNHCR}
#: The shipped releases by name, as the imports list and the dashboard name them (see the data's README).
SHIPPED_RELEASES = {
    "frontex": "Frontex detections of illegal border-crossings, data as of 3 June 2025 (shipped)",
    "eurostat": "Eurostat migr_asyappctzm, extract of 6 October 2020 (shipped)",
    "unhcr": "UNHCR refugees R package v2025.12.1 (shipped)",
}
SPARK_MONTHS = 24
#: The longest release name an import keeps (the column ``awareness_imports.release``): a longer one
#: is refused naming ``release``, not cut.
RELEASE_MAX = 80


#: The roles every function of the area requires, to read its figures and to act on them (import a
#: release, refresh the monthly figures, evaluate the rules, backtest, forecast, acknowledge): the
#: pages' navigation offers them to the same users.
ANALYST_ROLES: tuple[Role, ...] = (Role.analyst, Role.admin)


def _analyst(principal: Principal) -> None:
    require(principal, *ANALYST_ROLES)


def _route(name: str) -> str:
    if name not in route_names():
        raise NotFound(f"no route named {name!r}; routes: {', '.join(route_names())}")
    return name


# --- external series ------------------------------------------------------------------------


def may_import(principal: Principal) -> bool:
    """Whether ``principal`` may import a release: the Frontex, Eurostat and UNHCR series are the
    same for every analyst of every state, so an EU body's analysts and administrators replace
    them; a Member State's analyst reads them."""
    return principal.is_eu_body and principal.has(*ANALYST_ROLES)


def may_store_shared(principal: Principal) -> bool:
    """Whether ``principal`` may store what every analyst then reads of the shared Frontex series:
    a stored backtest (which sets the route's model for everyone), the forecasts, an alert on the
    shared series acknowledged. The same rule as imports (:func:`may_import`): an EU body's
    analysts and administrators; a Member State's analyst may run a backtest without storing it."""
    return may_import(principal)


def import_release(
    services: Services, principal: Principal, source: str, text: str, release: str
) -> dict[str, Any]:
    """Validate a whole release and replace the source's rows with it, in one transaction."""
    _analyst(principal)
    if not may_import(principal):
        raise Forbidden("the Frontex, Eurostat and UNHCR series are shared by every state: an EU body's "
                        "analyst imports them")
    release = release.strip()
    if not release:
        raise ValidationProblem.one("release", "name the release, e.g. 'Frontex data as of 3 June 2025'")
    if len(release) > RELEASE_MAX:
        raise ValidationProblem.one("release", f"at most {RELEASE_MAX} characters (blanks around it dropped), "
                                               f"this one has {len(release):,}")
    rows = parse(source, text, known_routes=frozenset(route_names()), today=services.clock.now().date())
    periods = sorted({r.period for r in rows})
    with services.uow() as uow:
        conn = uow.conn
        conn.execute(delete(awareness_series).where(awareness_series.c.source == source))
        conn.execute(
            insert(awareness_series),
            [
                {"source": r.source, "measure": r.measure, "period": r.period, "route": r.route,
                 "border_type": r.border_type, "nationality": r.nationality, "country": r.country,
                 "value": r.value}
                for r in rows
            ],
        )
        imp = {
            "id": new_id("aim"), "source": source, "release": release, "rows": len(rows),
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "first_period": periods[0],
            "last_period": periods[-1], "imported_by": principal.username, "created_at": uow.now,
        }
        conn.execute(insert(awareness_imports).values(**imp))
        uow.audit(principal, "awareness.import", "awareness_import", str(imp["id"]), after={k: v for k, v in imp.items() if k != "created_at"})
        uow.commit()
    return {k: v for k, v in imp.items() if k != "created_at"} | {"imported_at": uow.now.isoformat()}


def import_shipped(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """Import the shipped Frontex, Eurostat and UNHCR files (each in its own transaction)."""
    out = []
    for source, name in SHIPPED.items():
        text = data_path(name).read_text(encoding="utf-8")
        out.append(import_release(services, principal, source, text, SHIPPED_RELEASES[source]))
    return out


def list_imports(services: Services, principal: Principal) -> list[dict[str, Any]]:
    _analyst(principal)
    with services.engine.connect() as conn:
        # newest first by the key the services pick the current release by (the id, which sorts
        # by when the import was made), not by the time stamp (the demo world stamps its own)
        rows = conn.execute(select(awareness_imports).order_by(awareness_imports.c.id.desc()))
        # named as the import's own answer names it (the store's column is created_at)
        return [{k: v for k, v in r._mapping.items() if k != "created_at"} | {"imported_at": as_utc(r.created_at).isoformat()}
                for r in rows]


def _frontex_imported(conn: Connection) -> bool:
    return conn.execute(
        select(func.count()).select_from(awareness_imports).where(awareness_imports.c.source == "frontex")
    ).scalar_one() > 0


_SERIES_CACHE: dict[tuple[str, str], dict[str, dict[str, float]]] = {}


def route_series(conn: Connection) -> dict[str, dict[str, float]]:
    """Frontex detections per route and month: the latest imported release, else the shipped one.

    The aggregate of an imported release is cached per database and import id (a release never
    changes once imported; a new import has a new id).
    """
    latest = conn.execute(
        select(awareness_imports.c.id).where(awareness_imports.c.source == "frontex")
        .order_by(awareness_imports.c.id.desc()).limit(1)  # ids sort by when the import was made
    ).scalar()
    if latest is None:
        return {r: dict(s) for r, s in shipped_route_series().items()}
    key = (str(conn.engine.url), str(latest))
    if key not in _SERIES_CACHE:
        _SERIES_CACHE.clear()
        _SERIES_CACHE[key] = _imported_route_series(conn)
    return {r: dict(s) for r, s in _SERIES_CACHE[key].items()}


def _imported_route_series(conn: Connection) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {r: {} for r in route_names()}
    q = (
        select(awareness_series.c.route, awareness_series.c.period, func.sum(awareness_series.c.value))
        .where(awareness_series.c.source == "frontex")
        .group_by(awareness_series.c.route, awareness_series.c.period)
    )
    for route, period, value in conn.execute(q):
        out.setdefault(route, {})[period] = float(value)
    months = [m for s in out.values() for m in s]
    if not months:
        return out
    # complete grid over the release's months (its first to its last, the same for every route):
    # a month without rows had no detections, and zeros at the end of a route are data too
    grid = month_range(min(months), max(months))
    for s in out.values():
        if s:
            for m in grid:
                s.setdefault(m, 0.0)
    return out


@lru_cache(maxsize=2)
def _shipped_breakdown(column: str) -> dict[str, dict[str, dict[str, float]]]:
    """The shipped Frontex file as route -> {nationality or border type -> {month -> detections}}."""
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    with data_path(FRONTEX_NATIONALITY).open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            s = out[rec["route"]][rec[column]]
            s[rec["month"]] = s.get(rec["month"], 0.0) + float(rec["detections"])
    return {r: dict(v) for r, v in out.items()}


def nationality_series(conn: Connection, route: str) -> dict[str, dict[str, float]]:
    """nationality -> {month -> detections} on one route (imported release, else shipped)."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    if _frontex_imported(conn):
        q = (
            select(awareness_series.c.nationality, awareness_series.c.period, func.sum(awareness_series.c.value))
            .where(awareness_series.c.source == "frontex", awareness_series.c.route == route)
            .group_by(awareness_series.c.nationality, awareness_series.c.period)
        )
        for nat, period, value in conn.execute(q):
            out[nat][period] = float(value)
        return dict(out)
    return {k: dict(v) for k, v in _shipped_breakdown("nationality_iso3").get(route, {}).items()}


def border_type_series(conn: Connection, route: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(dict)
    if _frontex_imported(conn):
        q = (
            select(awareness_series.c.border_type, awareness_series.c.period, func.sum(awareness_series.c.value))
            .where(awareness_series.c.source == "frontex", awareness_series.c.route == route)
            .group_by(awareness_series.c.border_type, awareness_series.c.period)
        )
        for bt, period, value in conn.execute(q):
            out[bt][period] = float(value)
        return dict(out)
    return {k: dict(v) for k, v in _shipped_breakdown("border_type").get(route, {}).items()}


def _top_nationalities(by_nat: dict[str, dict[str, float]], last: str, months: int = 12, n: int = 5) -> list[dict[str, Any]]:
    window = [month_add(last, -i) for i in range(months)]
    counts = {nat: sum(s.get(m, 0.0) for m in window) for nat, s in by_nat.items()}
    return [t.model_dump() for t in top_shares({k: v for k, v in counts.items() if v > 0}, n)]


def latest_complete_year(reporting: dict[str, int], today: date | None = None) -> str | None:
    """The latest year of a UNHCR release that is complete, from the data: ``reporting`` maps each
    year to the number of countries of asylum that report it. The years after ``today``'s year did
    not exist on ``today`` (a weekly report of 2015 reads no 2024), so they are left out first. The
    last year left is complete when it is over (before ``today``'s year) and at least as many
    countries report it as the year before; otherwise (a year still running, or reported by fewer
    countries: figures still coming in) the year before it. A release of one year: that year once
    it is over. ``None`` when no year is complete on ``today``."""
    years = sorted(y for y in reporting if today is None or int(y) <= today.year)
    if not years:
        return None
    last = years[-1]
    over = today is None or int(last) < today.year
    if len(years) == 1:
        return last if over else None
    return last if over and reporting[last] >= reporting[years[-2]] else years[-2]


#: EU+ as EUAA counts asylum applications (DOMAIN.md §9.2): the 27 Member States, Norway and
#: Switzerland, by UNHCR's ISO alpha-3 code of the country of asylum. The UNHCR release also covers
#: the United Kingdom, Iceland and Liechtenstein: they are not in the EU+ figure.
EU_PLUS_ISO3: frozenset[str] = frozenset(
    {s.iso3 for s in MEMBER_STATES.values() if s.kind == "eu"} | {"NOR", "CHE"})
#: UNHCR's levels at which a new application is counted when it is lodged: FI first instance, FA
#: first instance and appeal together (as Austria, Bulgaria and Cyprus report in recent years; for
#: a new application, its first instance), NA new applications (Germany before 2011).
FIRST_INSTANCE_LEVELS = ("FI", "FA", "NA")
UNHCR_EU_PLUS = "EU+ (the 27 EU Member States, Norway and Switzerland)"
UNHCR_COUNTED = (f"new applications (UNHCR application type N) at first instance (levels FI, FA, NA), counted in "
                 f"persons, lodged in the {UNHCR_EU_PLUS}")
#: What the UNHCR release reports that the EU+ figure leaves out, in the order the summary lists it.
UNHCR_LEFT_OUT = ("outside the EU+ (United Kingdom, Iceland, Liechtenstein)", "counted in cases, not persons",
                  "appeals and reviews (application type A, levels AR, JR)",
                  "repeat applications (application types R, RA; level RA)",
                  "new and repeat applications reported together (application type NR)", "other types and levels")


def unhcr_category(country: str, measure: str) -> str | None:
    """Where a UNHCR row stands in the EU+ figure: ``None`` when it is counted (a new application at
    first instance, in persons, in the EU+), else which of :data:`UNHCR_LEFT_OUT` leaves it out. A
    row of a release without UNHCR's breakdown (measure without qualifiers) is counted when in the
    EU+: nothing tells it apart."""
    if country not in EU_PLUS_ISO3:
        return UNHCR_LEFT_OUT[0]
    _, codes = measure_parts(measure)
    if not codes:
        return None
    _procedure, app_type, level, unit = [*codes, "", "", "", ""][:4]
    if unit != "P":
        return UNHCR_LEFT_OUT[1]
    if app_type == "N" and level in FIRST_INSTANCE_LEVELS:
        return None
    if app_type == "A" or level in ("AR", "JR"):
        return UNHCR_LEFT_OUT[2]
    if app_type in ("R", "RA") or level == "RA":
        return UNHCR_LEFT_OUT[3]
    if app_type == "NR":
        return UNHCR_LEFT_OUT[4]
    return UNHCR_LEFT_OUT[5]


def _eurostat_summary(conn: Connection, today: date | None, through: str | None = None) -> dict[str, Any] | None:
    """Eurostat's EU-27 asylum applicants: the latest month with its changes, each month's flag kept
    with what it means. Only the months up to ``through`` (``YYYY-MM``; default ``today``'s month)
    are read: a month after it was not published on that day."""
    eu: dict[str, float] = {}
    flags: dict[str, str] = {}
    applicants = awareness_series.c.measure
    for period, measure, value in conn.execute(
            select(awareness_series.c.period, awareness_series.c.measure, awareness_series.c.value).where(
                awareness_series.c.source == "eurostat",
                (applicants == "asylum_applicants") | applicants.startswith("asylum_applicants" + QUALIFIER,
                                                                             autoescape=True),
                awareness_series.c.country == "EU27_2020", awareness_series.c.nationality == "TOTAL")):
        if through is not None and period > through:
            continue
        eu[period] = float(value)
        flag = "".join(measure_parts(measure)[1])
        if flag:
            flags[period] = flag
    if not eu:
        return None
    last = max(eu)
    shown = [m for m in (last, month_add(last, -1), month_add(last, -12)) if m in eu]
    shown_flags = {m: flags[m] for m in shown if m in flags}
    return {
        "label": "Asylum applicants (first-time and subsequent), EU-27 (Eurostat migr_asyappctzm)",
        "change": change(eu, last).model_dump(),
        "flag": flags.get(last),
        "flags": shown_flags,
        "flag_meanings": {f: EUROSTAT_FLAGS[f] for fl in shown_flags.values() for f in fl if f in EUROSTAT_FLAGS},
        "freshness": freshness(last, today) if today else None,
    }


def _unhcr_summary(conn: Connection, today: date | None) -> dict[str, Any] | None:
    """UNHCR's new asylum applications at first instance by persons in the EU+ (:data:`UNHCR_COUNTED`)
    in the latest complete year, with the year before, the top origins and what the release reports
    beside them that the figure leaves out."""
    by_year: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
    reporting: dict[str, set[str]] = defaultdict(set)
    broken_down = False
    for period, country, measure, value in conn.execute(
            select(awareness_series.c.period, awareness_series.c.country, awareness_series.c.measure,
                   func.sum(awareness_series.c.value))
            .where(awareness_series.c.source == "unhcr")
            .group_by(awareness_series.c.period, awareness_series.c.country, awareness_series.c.measure)):
        by_year[period][unhcr_category(country, measure)] += float(value)
        broken_down = broken_down or bool(measure_parts(measure)[1])
        if country in EU_PLUS_ISO3:
            reporting[period].add(country)
    if not reporting:
        return None
    complete = latest_complete_year({y: len(c) for y, c in reporting.items()}, today)
    if complete is None:
        return None
    origins: dict[str, float] = defaultdict(float)
    for nat, country, measure, value in conn.execute(
            select(awareness_series.c.nationality, awareness_series.c.country, awareness_series.c.measure,
                   func.sum(awareness_series.c.value))
            .where(awareness_series.c.source == "unhcr", awareness_series.c.period == complete)
            .group_by(awareness_series.c.nationality, awareness_series.c.country, awareness_series.c.measure)):
        if unhcr_category(country, measure) is None:
            origins[nat] += float(value)
    prev = str(int(complete) - 1)
    total = by_year[complete].get(None, 0.0)
    previous = by_year[prev].get(None) if prev in by_year else None
    if broken_down:
        label = f"New asylum applications at first instance (persons), {UNHCR_EU_PLUS} — UNHCR"
    else:
        label = (f"Asylum applications in the {UNHCR_EU_PLUS} — UNHCR; the release imported gives no "
                 "application type, level or unit, so repeat applications, appeals and cases may be among them")
    return {
        "label": label,
        "counts": UNHCR_COUNTED if broken_down else f"every application the release reports in the {UNHCR_EU_PLUS}",
        "year": complete, "total": total, "previous_year": previous,
        "change_pct": pct_change(total, previous),
        "countries": len(reporting[complete]),
        "reported_total": sum(by_year[complete].values()),
        "left_out": [{"what": what, "applications": by_year[complete][what]}
                     for what in UNHCR_LEFT_OUT if by_year[complete].get(what)],
        "top_origins": [t.model_dump() for t in top_shares(dict(origins), 5)],
        "freshness": freshness(complete, today) if today else None,
    }


def external_summary(conn: Connection, today: date | None = None, *, through: str | None = None) -> dict[str, Any]:
    """The imported Eurostat and UNHCR series beside the Frontex ones: Eurostat's EU-27 monthly
    asylum applicants (latest month with its changes and flags) and UNHCR's new asylum applications at
    first instance by persons in the EU+ (EU-27, Norway, Switzerland) in the latest complete year
    (:func:`latest_complete_year`), top origins. ``today``: the data as they were on that day (no
    Eurostat month after ``through``, by default ``today``'s month; no UNHCR year after ``today``'s,
    and none still running, is read), and each series says how old its latest period is on that
    day. ``notes`` says why a series imported gives no figure on that day."""
    if through is None and today is not None:
        through = today.isoformat()[:7]
    out: dict[str, Any] = {"eurostat": _eurostat_summary(conn, today, through),
                           "unhcr": _unhcr_summary(conn, today), "notes": []}
    if today is not None:
        for source, label in (("eurostat", "Eurostat"), ("unhcr", "UNHCR")):
            first = _first_period(conn, source) if out[source] is None else None
            if first is None:
                continue
            if source == "eurostat" and through is not None and first > through:
                out["notes"].append(f"{label}: the release imported starts in {first}, after {through}: "
                                    f"no month of it had been published by {today}")
            elif source == "unhcr" and int(first) >= today.year:
                out["notes"].append(f"{label}: the release imported starts in {first}: no year of it was "
                                    f"over by {today}")
    return out


def _first_period(conn: Connection, source: str) -> str | None:
    first: str | None = conn.execute(select(func.min(awareness_series.c.period))
                                     .where(awareness_series.c.source == source)).scalar()
    return first


# --- backtests and forecasts ----------------------------------------------------------------


def run_backtest(
    services: Services,
    principal: Principal,
    route: str,
    horizon: int,
    *,
    store: bool = True,
    first_origin: str = forecasting.FIRST_ORIGIN,
    refit: int = forecasting.DEFAULT_REFIT,
) -> BacktestResult:
    """Rolling-origin backtest of every model on the route; with ``store``, stores the result and
    so the route's model for every analyst (an EU body's analyst only, :func:`may_store_shared`,
    and from at least :data:`MIN_STORED_ORIGINS` origins). Without ``store`` any analyst may run
    one, from any number of origins, and nothing changes."""
    _analyst(principal)
    _route(route)
    if store and not may_store_shared(principal):
        raise Forbidden("a stored backtest sets the route's model for every analyst of the shared Frontex "
                        "series: an EU body's analyst stores it; run it without storing it (--no-store)")
    if not 1 <= horizon <= 6:
        raise ValidationProblem.one("horizon", "must be between 1 and 6 months")
    with services.engine.connect() as conn:
        series = route_series(conn)[route]
    _check_first_origin(route, series, horizon, first_origin)
    if store:
        _check_stored_origins(route, series, horizon, first_origin)
    run = forecasting.backtest(route, series, horizon, first_origin=first_origin, refit=refit)
    if store:
        with services.uow() as uow:
            uow.conn.execute(
                delete(awareness_backtests).where(
                    awareness_backtests.c.route == route, awareness_backtests.c.horizon == horizon
                )
            )
            row_id = new_id("abt")
            uow.conn.execute(
                insert(awareness_backtests).values(
                    id=row_id, route=route, horizon=horizon, origins=run.result.origins,
                    models={"scores": [m.model_dump() for m in run.result.models], "calibration": run.calibration},
                    chosen=run.result.chosen, data_through=max(series), created_at=uow.now,
                )
            )
            # the route's forecasts from its latest month were made with the model and calibration
            # chosen before: when this backtest sets the route's model now, they are withdrawn, not
            # left on show with the old calibration (run the forecasts again)
            withdrawn = 0
            choice = _choice(uow.conn, route)
            if choice is not None and choice.id == row_id:
                withdrawn = uow.conn.execute(delete(awareness_forecasts).where(
                    awareness_forecasts.c.route == route, awareness_forecasts.c.origin == max(series))).rowcount
            uow.audit(principal, "awareness.backtest", "awareness_backtest", row_id,
                      after=run.result.model_dump() | {"first_origin": first_origin, "refit": refit,
                                                       "forecasts_withdrawn": withdrawn})
            uow.commit()
    return run.result


def _check_first_origin(route: str, series: dict[str, float], horizon: int, first_origin: str) -> None:
    """The first origin must leave the models their warm-up before it and ``horizon`` months of
    data after it: name the months it may take and the months the series has."""
    if not is_month(first_origin):
        raise ValidationProblem.one("first_origin", f"{first_origin!r} is not a month YYYY-MM")
    if not series:
        raise ValidationProblem.one("route", f"the series has no month of {route}")
    first, last = min(series), max(series)
    lo, hi = month_add(first, forecasting.WARM_UP_MONTHS), month_add(last, -horizon)
    if not lo <= first_origin <= hi:
        span = f"from {lo} to {hi}" if lo <= hi else "none: the series is too short"
        raise ValidationProblem.one(
            "first_origin",
            f"{first_origin} cannot start a backtest of {route} at horizon {horizon}: the series runs "
            f"from {first} to {last}, so the first origin may be {span}",
        )


#: The fewest origins a stored backtest may score. A stored backtest chooses the route's model for
#: every analyst; scored on fewer than a year of monthly origins, each calendar month would not be
#: forecast once and one lucky or unlucky month would decide the choice.
MIN_STORED_ORIGINS = 12


def _check_stored_origins(route: str, series: dict[str, float], horizon: int, first_origin: str) -> None:
    last_origin = month_add(max(series), -horizon)
    origins = len(month_range(first_origin, last_origin))
    if origins < MIN_STORED_ORIGINS:
        latest = month_add(last_origin, -(MIN_STORED_ORIGINS - 1))
        raise ValidationProblem.one(
            "first_origin",
            f"a backtest from {first_origin} at horizon {horizon} scores {origins} origin"
            f"{'' if origins == 1 else 's'} ({first_origin} to {last_origin}); a stored backtest, which "
            f"sets the model of {route} for every analyst, needs at least {MIN_STORED_ORIGINS} (a first "
            f"origin of {latest} or earlier); run it without storing it to try fewer",
        )


SHIPPED_BACKTESTS = "backtests_h3.json"


def load_shipped_backtests(services: Services, principal: Principal) -> int:
    """Store the backtests shipped with the product (computed by ``run_backtest`` on the shipped
    releases, see ``data/awareness/backtests_h3.json``) where a route has none yet.

    The demo world uses them so that building it does not spend minutes re-running the same
    deterministic computation; an analyst's own ``run_backtest`` replaces them.
    """
    _analyst(principal)
    shipped = json.loads(series.data_path(SHIPPED_BACKTESTS).read_text(encoding="utf-8"))
    loaded = 0
    with services.uow() as uow:
        have = {(r.route, r.horizon) for r in _backtest_rows(uow.conn)}
        for b in shipped["backtests"]:
            if (b["route"], b["horizon"]) in have:
                continue
            row_id = new_id("abt")
            uow.conn.execute(insert(awareness_backtests).values(
                id=row_id, route=b["route"], horizon=b["horizon"], origins=b["origins"],
                models=b["models"], chosen=b["chosen"], data_through=b["data_through"],
                created_at=uow.now))
            uow.audit(principal, "awareness.backtest.shipped", "awareness_backtest", row_id,
                      after={"route": b["route"], "horizon": b["horizon"], "chosen": b["chosen"]})
            loaded += 1
        uow.commit()
    return loaded


def _backtest_rows(conn: Connection) -> list[Any]:
    return list(conn.execute(select(awareness_backtests).order_by(awareness_backtests.c.route, awareness_backtests.c.horizon)))


def _result(row: Any, release_last: str | None = None) -> dict[str, Any]:
    """A stored backtest as shown. ``release_last``: the current Frontex release's last month; a
    backtest whose data end before it is ``out_of_date`` (a newer release was imported since)."""
    res = BacktestResult(route=row.route, horizon=row.horizon, origins=row.origins,
                         models=row.models["scores"], chosen=row.chosen)
    stale = release_last is not None and row.data_through < release_last
    scores = {m.model: (m.mase, m.coverage_80) for m in res.models}
    return res.model_dump() | {
        "mase_ratio": round(res.mase_ratio, 4), "data_through": row.data_through,
        "choice_basis": choice_basis(scores, res.chosen) if "seasonal_naive" in scores else None,
        "computed_at": row.created_at.isoformat(), "out_of_date": stale,
        "out_of_date_note": (f"out of date: its data end in {row.data_through}, the Frontex release read now in "
                             f"{release_last}; run the backtest again" if stale else None)}


def release_last_month(conn: Connection) -> str | None:
    """The last month of the Frontex release read (imported, else shipped)."""
    return max((m for s in route_series(conn).values() for m in s), default=None)


def list_backtests(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """The stored backtests, each marked ``out_of_date`` when its data end before the last month of
    the Frontex release read now."""
    _analyst(principal)
    with services.engine.connect() as conn:
        last = release_last_month(conn)
        return [_result(r, last) for r in _backtest_rows(conn)]


def _choice(conn: Connection, route: str) -> Any | None:
    """The stored backtest that sets the route's model: the longest horizon backtested."""
    rows = [r for r in _backtest_rows(conn) if r.route == route]
    return max(rows, key=lambda r: r.horizon) if rows else None


def refresh_forecasts(services: Services, principal: Principal, nationalities: int = 3) -> list[RouteForecast]:
    """Forecast every backtested route (and its top nationalities) from its latest month (stored
    for every analyst: an EU body's analyst runs them, :func:`may_store_shared`)."""
    _analyst(principal)
    if not may_store_shared(principal):
        raise Forbidden("the forecasts of the shared Frontex series are stored for every analyst: an EU "
                        "body's analyst runs them")
    out: list[RouteForecast] = []
    with services.engine.connect() as conn:
        series = route_series(conn)
        choices = {r: _choice(conn, r) for r in route_names()}
        by_nat = {r: nationality_series(conn, r) for r, c in choices.items() if c is not None}
    for route, choice in choices.items():
        if choice is None or not series.get(route):
            continue
        s = series[route]
        cal = choice.models["calibration"][choice.chosen]
        route_fc = forecasting.forecast(route, s, choice.chosen, choice.horizon, calibration=cal)
        out.append(route_fc)
        last = max(s)
        for top in _top_nationalities(by_nat[route], last, n=nationalities):
            # over the route's last 36 months (not its whole range from 2009, years of zeros or of
            # another pattern), and never above the route's forecast: a nationality is part of the route
            nat_s = forecasting.nationality_history(by_nat[route][top["nationality"]], month_range(min(s), last))
            if not nat_s:
                continue
            fc = forecasting.forecast(route, nat_s, choice.chosen, choice.horizon, nationality=top["nationality"])
            out.append(forecasting.within_route(fc, route_fc))
    with services.uow() as uow:
        for fc in out:
            uow.conn.execute(
                delete(awareness_forecasts).where(
                    awareness_forecasts.c.route == fc.route,
                    awareness_forecasts.c.nationality == (fc.nationality or ""),
                    awareness_forecasts.c.origin == fc.origin,
                )
            )
            uow.conn.execute(
                insert(awareness_forecasts).values(
                    id=new_id("afc"), route=fc.route, nationality=fc.nationality or "", model=fc.model,
                    origin=fc.origin, created_at=uow.now,
                    # a forecast widened to persistence, or lowered to its route's, says so in its
                    # points (the table has no column)
                    points=[p.model_dump() | ({"widened": True} if fc.widened else {})
                            | ({"capped": True} if fc.capped else {}) for p in fc.points],
                )
            )
        uow.audit(principal, "awareness.forecast", "awareness_forecasts", "all", after={"forecasts": len(out)})
        uow.commit()
    return out


def _forecast_from(conn: Connection, route: str, origin: str, nationality: str = "",
                   model: str | None = None) -> dict[str, Any] | None:
    """The stored forecast of ``route`` (or of one nationality on it) made from ``origin``, the
    last month it saw; with ``model``, only one made with that model. ``None`` when there is none:
    a forecast from another month (a release before or after) or another model (a backtest stored
    since chose another) is not shown as the route's."""
    q = select(awareness_forecasts).where(
        awareness_forecasts.c.route == route, awareness_forecasts.c.nationality == nationality,
        awareness_forecasts.c.origin == origin)
    if model is not None:
        q = q.where(awareness_forecasts.c.model == model)
    row = conn.execute(q.order_by(awareness_forecasts.c.created_at.desc()).limit(1)).first()
    if row is None:
        return None
    points = [{k: v for k, v in p.items() if k not in ("widened", "capped")} for p in row.points]
    return {"route": row.route, "nationality": row.nationality or None, "model": row.model,
            "origin": row.origin, "points": points, "widened": any(p.get("widened") for p in row.points),
            "capped": any(p.get("capped") for p in row.points)}


def _forecast_note(conn: Connection, route: str, last: str, choice: Any | None,
                   forecast: dict[str, Any] | None) -> str | None:
    """Why a route shows no forecast, in words (``None`` when it shows one)."""
    if forecast is not None:
        return None
    if choice is None:
        return "no forecast: the route has no stored backtest to choose its model"
    stale = conn.execute(select(func.count()).select_from(awareness_forecasts).where(
        awareness_forecasts.c.route == route, awareness_forecasts.c.nationality == "")).scalar_one()
    if stale:
        return (f"no forecast from {last} with {choice.chosen}, the model chosen: the forecasts stored were "
                "made from another month or with another model; run the forecasts again")
    return "no forecast yet: run the forecasts"


# --- alerts ---------------------------------------------------------------------------------


def _alert_out(row: Any) -> AlertOut:
    return _alert(dict(row._mapping))


def _alert(values: dict[str, Any]) -> AlertOut:
    """An alert as it is shown, with its data-quality caveat (a rise mostly of unknown nationality)."""
    return AlertOut.model_validate(values | {"caveat": alert_caveat(values.get("drivers") or [])})


def last_complete_month(day: date) -> str:
    """The last calendar month over on ``day`` (a day not yet over itself): 2026-10 on 2026-11-30."""
    return month_add(day.isoformat()[:7], -1)


def platform_today(now: datetime, member_state: str | None) -> date:
    """The day the platform's encounters of ``member_state`` (``None``: every state's) are complete
    to: they are counted by their local day (:mod:`~pactum.services.awareness.analytics`), so a
    month is over for them when it is over on every clock they are counted on, the state's
    territories' (``state_zone_names``: the Canary Islands an hour after Madrid), or every state's
    (France's Guadeloupe, four hours behind UTC). At 22:30 UTC on 30 November it is 1 December in
    Athens, so November is over for Greece's encounters, but not yet in Lisbon."""
    states = [member_state] if member_state is not None else sorted(STATE_ZONES)
    zones = {z for ms in states if ms in STATE_ZONES for z in state_zone_names(ms)}
    if not zones:
        return as_utc(now).date()
    return min(local_day(as_utc(now), "", z) for z in zones)


def evaluate_alerts(
    services: Services,
    principal: Principal,
    settings: rules.AlertSettings | None = None,
    month: str | None = None,
) -> list[AlertOut]:
    """Check ``month`` (by default: the Frontex release's last month, and for the platform's
    encounters the last calendar month over on every clock they are counted on,
    :func:`platform_today`) of every route; store and return the new alerts.

    Frontex series: both rules (the forecast is made from the data before the month, with the
    model and calibration the route's backtest chose). Platform encounters: the rapid-rise rule.
    Months before a series starts are no data: a rule whose history lies before the series' first
    month (the Frontex release's first month; the first month of the platform's encounters in the
    analyst's scope) is not evaluated, and a ``month`` asked that some series has but where a rule
    cannot be evaluated on it is refused naming ``month`` (:func:`~pactum.awareness.alerts.history_problem`).

    An alert on a shared series (the Frontex detections, every state's encounters) is stored for
    every analyst, so an EU body's analyst raises it (:func:`may_store_shared`, as for the forecasts
    it is checked against); a Member State's analyst evaluates that state's own encounters
    (``platform:XX`` alerts, which only that state sees and acknowledges).
    """
    _analyst(principal)
    shared = may_store_shared(principal)
    settings = settings or rules.AlertSettings()
    problems = settings.problems()
    if month is not None and not is_month(month):
        problems.insert(0, ("month", f"{month!r} is not a month YYYY-MM"))
    if problems:
        raise ValidationProblem(problems)
    findings: list[tuple[str, rules.AlertFinding]] = []
    with services.engine.connect() as conn:
        series = {r: s for r, s in (route_series(conn) if shared else {}).items() if s}
        scope = principal.member_state
        q = select(awareness_monthly.c.route, awareness_monthly.c.month, awareness_monthly.c.nationality,
                   func.sum(awareness_monthly.c.encounters)).group_by(
            awareness_monthly.c.route, awareness_monthly.c.month, awareness_monthly.c.nationality)
        if scope:
            q = q.where(awareness_monthly.c.member_state == scope)
        ops: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
        for route, mo, nat, n in conn.execute(q):
            ops[route][nat][mo] = float(n)
        totals: dict[str, dict[str, float]] = {}
        for route, nats in ops.items():
            total: dict[str, float] = defaultdict(float)
            for s2 in nats.values():
                for mo, n in s2.items():
                    total[mo] += n
            totals[route] = dict(total)
        if not shared and scope is None:
            raise Forbidden("the early-warning rules on the shared series are evaluated by an EU body's analyst")
        choices = {route: _choice(conn, route) for route in series}
        # where each series starts: the Frontex release's first month (every route runs over the
        # release's months), the platform's first month of encounters in the analyst's scope
        frontex_first = min((m for s in series.values() for m in s), default=None)
        platform_first = min((m for s in totals.values() for m in s), default=None)
        if month is not None:
            _check_month_covered(month, series, totals, scope)
            _check_month_history(month, settings, series, frontex_first, platform_first, totals,
                                 backtested=any(c is not None for c in choices.values()), scope=scope)
        for route, s in series.items():
            m = month or max(s)
            if m not in s or frontex_first is None:
                continue
            by_nat = nationality_series(conn, route)
            choice = choices[route]
            if choice is not None and rules.history_problem(rules.ABOVE_INTERVAL, m, frontex_first, settings) is None:
                history = {k: v for k, v in s.items() if k < m}
                fc = forecasting.forecast(route, history, choice.chosen, 1,
                                          calibration=choice.models["calibration"][choice.chosen])
                f = rules.above_interval(route, m, s[m], fc.points[0].hi_80, choice.chosen, by_nat, settings)
                if f:
                    findings.append(("frontex", f))
            f = rules.rapid_rise(route, m, s, by_nat, settings, first=frontex_first)
            if f:
                findings.append(("frontex", f))
        # the platform's encounters: the month asked, else the last complete calendar month (a
        # route with no encounter yet this month still has its last complete month checked)
        platform_month = month or last_complete_month(platform_today(services.clock.now(), scope))
        for route, total in totals.items():
            if platform_first is None or platform_month < platform_first:
                continue
            f = rules.rapid_rise(route, platform_month, total, ops[route], settings, counted=rules.ENCOUNTERS,
                                 first=platform_first)
            if f:
                findings.append(("platform" if not scope else f"platform:{scope}", f))
    created: list[AlertOut] = []
    with services.uow() as uow:
        for source, f in findings:
            exists = uow.conn.execute(
                select(awareness_alerts.c.id).where(
                    awareness_alerts.c.source == source, awareness_alerts.c.route == f.route,
                    awareness_alerts.c.month == f.month, awareness_alerts.c.rule == f.rule)
            ).first()
            if exists:
                continue
            row = {"id": new_id("aal"), "source": source, "route": f.route, "month": f.month, "rule": f.rule,
                   "observed": f.observed, "threshold": f.threshold, "message": f.message,
                   "drivers": f.drivers, "created_at": uow.now, "version": 1}
            uow.conn.execute(insert(awareness_alerts).values(**row))
            uow.audit(principal, "awareness.alert_raised", "awareness_alert", str(row["id"]),
                      after={k: v for k, v in row.items() if k != "created_at"})
            created.append(_alert(row))
        uow.commit()
    return created


def _check_month_history(month: str, settings: rules.AlertSettings, series: dict[str, dict[str, float]],
                         frontex_first: str | None, platform_first: str | None,
                         platform: dict[str, dict[str, float]], *, backtested: bool, scope: str | None) -> None:
    """``month`` asked must leave each rule its history on every series that has it: months
    before a series starts are no data, so a rule that would read them cannot be evaluated, and the
    request is refused naming ``month`` (not answered with no alert, nor with a rise "from zero")."""
    reasons: list[str] = []
    if frontex_first is not None and any(month in s for s in series.values()):
        why = [w for w in (rules.history_problem(rules.ABOVE_INTERVAL, month, frontex_first, settings)
                           if backtested else None,
                           rules.history_problem(rules.RAPID_RISE, month, frontex_first, settings)) if w]
        if why:
            reasons.append(f"the Frontex series start in {frontex_first}: " + "; ".join(why))
    platform_last = max((m for s in platform.values() for m in s), default=None)
    if platform_first is not None and platform_last is not None and platform_first <= month <= platform_last:
        why_p = rules.history_problem(rules.RAPID_RISE, month, platform_first, settings)
        if why_p:
            whose = f"{scope}'s" if scope else "the platform's"
            reasons.append(f"{whose} encounters start in {platform_first}: {why_p}")
    if reasons:
        raise ValidationProblem.one("month", f"{month} cannot be evaluated, too little history before it: "
                                             + "; ".join(reasons))


def _check_month_covered(month: str, series: dict[str, dict[str, float]], platform: dict[str, dict[str, float]],
                         scope: str | None) -> None:
    """``month`` must be a month some series has (a Frontex route, or the platform's encounters in
    the analyst's scope): a month none has is no check at all, not "no new alert"."""
    frontex = [m for s in series.values() for m in s]
    ours = [m for s in platform.values() for m in s]
    if month in frontex or month in ours:
        return
    spans = []
    if frontex:
        spans.append(f"the Frontex series run from {min(frontex)} to {max(frontex)}")
    if ours:
        whose = f"{scope}'s" if scope else "the platform's"
        spans.append(f"{whose} encounters from {min(ours)} to {max(ours)}")
    covered = " and ".join(spans) if spans else "no series has any month yet"
    raise ValidationProblem.one("month", f"no series has {month}: {covered}")


def _visible(principal: Principal, source: str) -> bool:
    return not source.startswith("platform:") or source == f"platform:{principal.member_state}" or principal.member_state is None


_ACK_REFUSED = {
    "frontex": "alerts on the Frontex series are shared by every state: an EU body's analyst acknowledges them",
    "platform": "alerts on every state's encounters are shared by every state: an EU body's analyst "
                "acknowledges them",
}


def may_acknowledge(principal: Principal, source: str) -> bool:
    """Whether ``principal`` may acknowledge (close for everyone) an alert of ``source``: an alert
    on a shared series (Frontex detections, every state's encounters) an EU body's analyst; an
    alert on a state's own encounters (``platform:XX``) that state's analyst."""
    if source.startswith("platform:"):
        return principal.member_state == source.partition(":")[2] and principal.has(*ANALYST_ROLES)
    return may_store_shared(principal)


#: An alert's status as the filters name it: not yet acknowledged, or acknowledged.
ALERT_STATUSES = ("open", "acknowledged")


def alert_filter_problems(route: str | None, status: str | None, source: str | None,
                          month: str | None = None) -> list[tuple[str, str]]:
    """What is wrong with the filters of :func:`list_alerts`, as (field, message), every one."""
    problems: list[tuple[str, str]] = []
    routes = [*route_names(), *analytics.NO_ROUTE_SERIES]
    if route is not None and route not in routes:
        problems.append(("route", f"{shortened(route)!r} is not a route; routes: {', '.join(routes)}"))
    if status is not None and status not in ALERT_STATUSES:
        problems.append(("status", f"{shortened(status)!r} is not open or acknowledged"))
    if source is not None:
        kind, _, state = source.partition(":")
        if not (source in ("frontex", "platform") or (kind == "platform" and state in MEMBER_STATES)):
            problems.append(("source", f"{shortened(source)!r} is not frontex, platform or platform:XX "
                                       "(a Member State's code)"))
    if month is not None and not is_month(month):
        problems.append(("month", f"{shortened(month)!r} is not a month YYYY-MM"))
    return problems


def list_alerts(services: Services, principal: Principal, open_only: bool = False, *,
                route: str | None = None, status: str | None = None,
                source: str | None = None, month: str | None = None) -> list[AlertOut]:
    """The alerts the principal sees, newest month first; ``open_only`` (or ``status="open"``):
    not yet acknowledged; ``status="acknowledged"``: acknowledged; ``route``, ``source``
    (``frontex``, ``platform``, ``platform:XX``), ``month`` (``YYYY-MM``): that route's, that
    source's, that month's. A filter that names no route, status, source or month is refused
    naming it, every one at once."""
    _analyst(principal)
    problems = alert_filter_problems(route, status, source, month)
    if problems:
        raise ValidationProblem(problems)
    q = select(awareness_alerts).order_by(awareness_alerts.c.month.desc(), awareness_alerts.c.route)
    if open_only or status == "open":
        q = q.where(awareness_alerts.c.acknowledged_at.is_(None))
    if status == "acknowledged":
        q = q.where(awareness_alerts.c.acknowledged_at.is_not(None))
    if route is not None:
        q = q.where(awareness_alerts.c.route == route)
    if source is not None:
        q = q.where(awareness_alerts.c.source == source)
    if month is not None:
        q = q.where(awareness_alerts.c.month == month)
    with services.engine.connect() as conn:
        return [_alert_out(r) for r in conn.execute(q) if _visible(principal, r.source)]


def acknowledge_alert(
    services: Services, principal: Principal, alert_id: str, version: int, note: str | None = None
) -> AlertOut:
    """An analyst acknowledges an alert: once, with the version they saw; audited. ``note``:
    optional, blanks around it dropped (blanks alone are no note), at most :data:`NOTE_MAX`
    characters."""
    _analyst(principal)
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise ValidationProblem.one("note", f"at most {NOTE_MAX:,} characters, this one has {len(note):,}")
    with services.uow() as uow:
        row = uow.conn.execute(select(awareness_alerts).where(awareness_alerts.c.id == alert_id)).first()
        if row is None or not _visible(principal, row.source):
            raise NotFound(f"alert {alert_id} not found")
        if not may_acknowledge(principal, row.source):
            raise Forbidden(_ACK_REFUSED.get(row.source) or
                            f"alert {alert_id} is on {row.source.partition(':')[2]}'s encounters: "
                            "that state's analyst acknowledges it")
        if row.acknowledged_at is not None:
            raise Conflict(f"alert {alert_id} was already acknowledged by {row.acknowledged_by}")
        before = _alert_out(row).model_dump(mode="json")
        update_versioned(uow.conn, awareness_alerts, alert_id, version,
                         {"acknowledged_at": uow.now, "acknowledged_by": principal.username,
                          "note": note})
        new = uow.conn.execute(select(awareness_alerts).where(awareness_alerts.c.id == alert_id)).one()
        out = _alert_out(new)
        uow.audit(principal, "awareness.alert_acknowledged", "awareness_alert", alert_id,
                  before=before, after=out.model_dump(mode="json"))
        uow.commit()
    return out


# --- operational aggregates, dashboard, route page -------------------------------------------


def may_refresh(principal: Principal) -> bool:
    """Whether ``principal`` may refresh the monthly figures: they are one table every analyst of
    every state reads (the dashboard, the rules, the report), part of the shared situational picture
    the EU bodies maintain, so the same rule as imports (:func:`may_import`): an EU body's analysts
    and administrators; a Member State's analyst reads them."""
    return may_store_shared(principal)


def refresh(services: Services, principal: Principal, full: bool = False) -> dict[str, Any]:
    """Re-aggregate the platform's encounters into monthly counts (incremental unless ``full``).
    An EU body's analyst refreshes them (:func:`may_refresh`)."""
    _analyst(principal)
    if not may_refresh(principal):
        raise Forbidden("the monthly figures are shared by every state: an EU body's analyst refreshes them")
    with services.uow() as uow:
        n = analytics.refresh_monthly(uow.conn, uow.now.date(), full=full)
        uow.audit(principal, "awareness.refresh", "awareness_monthly", "full" if full else "incremental",
                  after={"rows": n, "full": full})
        uow.commit()
    return {"rows": n, "full": full}


def operational_by_route(conn: Connection, principal: Principal) -> dict[str, dict[str, dict[str, float]]]:
    """route -> {month -> {"encounters", "minors"}} from the platform's own encounters (scoped)."""
    q = select(awareness_monthly.c.route, awareness_monthly.c.month,
               func.sum(awareness_monthly.c.encounters), func.sum(awareness_monthly.c.minors)).group_by(
        awareness_monthly.c.route, awareness_monthly.c.month)
    if principal.member_state:
        q = q.where(awareness_monthly.c.member_state == principal.member_state)
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for route, month, n, minors in conn.execute(q):
        out[route][month] = {"encounters": float(n), "minors": float(minors or 0)}
    return dict(out)


#: The Frontex release the services read until one is imported (the shipped file's).
SHIPPED_FRONTEX_RELEASE = SHIPPED_RELEASES["frontex"]


def frontex_release(conn: Connection, today: date, latest: str | None = None) -> dict[str, Any]:
    """The Frontex release the figures come from (the latest imported, else the shipped one), its
    latest month (``latest``: the latest month read, a report of a past week reading the months
    over by its end) and how old that month is on ``today``
    (:func:`~pactum.awareness.indicators.freshness`)."""
    row = conn.execute(
        select(awareness_imports.c.release, awareness_imports.c.created_at)
        .where(awareness_imports.c.source == "frontex")
        .order_by(awareness_imports.c.id.desc()).limit(1)).first()  # the last made (ids sort by time)
    months = [m for s in route_series(conn).values() for m in s]
    out: dict[str, Any] = {"release": row.release if row else SHIPPED_FRONTEX_RELEASE,
                           "imported_at": as_utc(row.created_at).isoformat() if row else None}
    if latest is not None or months:
        out |= freshness(latest or max(months), today)
    return out


def _nationality_month(conn: Connection, route: str, month: str) -> dict[str, dict[str, float]]:
    """One month of :func:`nationality_series` (nationality -> {month -> detections})."""
    if not _frontex_imported(conn):
        return {nat: {month: s[month]} for nat, s in _shipped_breakdown("nationality_iso3").get(route, {}).items()
                if month in s}
    q = (select(awareness_series.c.nationality, func.sum(awareness_series.c.value))
         .where(awareness_series.c.source == "frontex", awareness_series.c.route == route,
                awareness_series.c.period == month)
         .group_by(awareness_series.c.nationality))
    return {nat: {month: float(v)} for nat, v in conn.execute(q)}


def early_warning(services: Services, principal: Principal) -> dict[str, Any]:
    """What an analyst's home page says of the early warning: the open alerts they see (newest
    month first, as :func:`list_alerts` gives them), how many per route, and the Frontex release
    the figures come from with how old its latest month is (:func:`frontex_release`), so that an
    alert on a month long past is not read as this month's."""
    _analyst(principal)
    alerts = list_alerts(services, principal, open_only=True)
    with services.engine.connect() as conn:
        frontex = frontex_release(conn, services.clock.now().date())
    routes: dict[str, int] = {}
    for a in alerts:
        routes[a.route] = routes.get(a.route, 0) + 1
    return {"alerts": alerts, "routes": routes, "frontex": frontex}


def dashboard(services: Services, principal: Principal) -> dict[str, Any]:
    """Every route: latest Frontex month with changes, a 24-month sparkline, the chosen model and
    its backtest MASE ratio, the forecast of the month after the latest data, open alerts, a
    caveat when most of the month's detections are of unknown nationality; the platform's own
    encounters in the same month and in all; the Frontex release and how old its data are."""
    _analyst(principal)
    open_alerts = list_alerts(services, principal, open_only=True)
    today = services.clock.now().date()
    with services.engine.connect() as conn:
        series = route_series(conn)
        ops = operational_by_route(conn, principal)
        bts = {(r.route, r.horizon): r for r in _backtest_rows(conn)}
        release_last = max((m for s in series.values() for m in s), default=None)
        routes = []
        for route in route_names():
            s = series.get(route, {})
            if not s:
                continue
            last = max(s)
            choice = _choice(conn, route)
            fc = _forecast_from(conn, route, last, model=choice.chosen) if choice else None
            op = ops.get(route, {})
            op_last = max(op) if op else None
            routes.append({
                "route": route,
                "last_month": last,
                "change": change(s, last).model_dump(),
                "last_12_months": round(sum(s.get(month_add(last, -i), 0.0) for i in range(12))),
                "sparkline": [{"month": m, "value": s.get(m, 0.0)} for m in month_range(month_add(last, -23), last)],
                "chosen_model": choice.chosen if choice else None,
                "backtest": _result(bts[(route, choice.horizon)], release_last) if choice else None,
                "forecast": fc,
                "forecast_note": _forecast_note(conn, route, last, choice, fc),
                "open_alerts": sum(1 for a in open_alerts if a.route == route),
                "data_quality": month_caveat(_nationality_month(conn, route, last), last),
                "platform": {
                    "last_month": op_last,
                    "encounters": op[op_last]["encounters"] if op_last else 0,
                    "minors_share": round(op[op_last]["minors"] / op[op_last]["encounters"], 4) if op_last and op[op_last]["encounters"] else None,
                    # the month of the Frontex figures beside it, and every month recorded
                    "same_month": last,
                    "same_month_encounters": op[last]["encounters"] if last in op else 0,
                    "first_month": min(op) if op else None,
                    "total": sum(v["encounters"] for v in op.values()),
                },
            })
        external = external_summary(conn, today)
        frontex = frontex_release(conn, today)
        inland = ops.get(analytics.NO_ROUTE, {})
        unrouted = ops.get(analytics.NOT_RECORDED, {})
    return {"routes": routes, "alerts": [a.model_dump(mode="json") for a in open_alerts],
            # the platform's encounters with no route: inside the territory, and arrivals at the
            # border or at sea whose route was not recorded (not inland)
            "platform_no_route": {"label": analytics.NO_ROUTE,
                                  "total": sum(v["encounters"] for v in inland.values())},
            "platform_route_not_recorded": {"label": analytics.NOT_RECORDED,
                                            "total": sum(v["encounters"] for v in unrouted.values())},
            "frontex": frontex, "today": today.isoformat(),
            "external": external, "scope": principal.member_state or "EU"}


#: The columns of the arrivals by route and month as CSV (``GET /api/v1/awareness/arrivals.csv``).
ARRIVALS_CSV_COLUMNS = ("route", "month", "detections", "release")


def arrivals_csv(services: Services, principal: Principal) -> str:
    """The Frontex detections by route and month of the release read (imported, else shipped), as
    CSV with :data:`ARRIVALS_CSV_COLUMNS`: one row per route and month, the routes in the
    platform's order, every month of the release (a month without detections is a 0, as the
    dashboard counts it), the release named on each row. The same for every analyst: the series
    is public."""
    _analyst(principal)
    with services.engine.connect() as conn:
        series = route_series(conn)
        release = frontex_release(conn, services.clock.now().date())["release"]
    rows = [{"route": route, "month": m, "detections": int(v), "release": release}
            for route in route_names() for m, v in sorted((series.get(route) or {}).items())]
    return csv_table(ARRIVALS_CSV_COLUMNS, rows)


#: What the route page and its JSON say of the nationality forecasts beside the route's.
NATIONALITY_FORECASTS_NOTE = (
    "Each nationality's forecast is a model of its own (the route's chosen model), fitted on that "
    "nationality's detections of the last 36 months alone: they are not shares of the route's forecast, and the "
    "top nationalities' forecasts need not add up to it (other nationalities are left out, and each model reads "
    "its own history). Their 80% intervals are the models' own. Where a nationality's latest month lay above that "
    "interval (the model treating the month as an outlier), the upper bound is raised to what the month would "
    "give if it persisted (marked widened): the month after such a jump often repeats it. A nationality is part "
    "of its route: neither its forecast nor its interval's bounds exceed the route's (marked kept within the "
    "route's where they would have).")


def get_route(services: Services, principal: Principal, route: str) -> dict[str, Any]:
    _analyst(principal)
    _route(route)
    with services.engine.connect() as conn:
        s = route_series(conn)[route]
        last = max(s)
        by_nat = nationality_series(conn, route)
        by_bt = border_type_series(conn, route)
        choice = _choice(conn, route)
        release_last = max((m for v in route_series(conn).values() for m in v), default=None)
        backtests = [_result(r, release_last) for r in _backtest_rows(conn) if r.route == route]
        tops = _top_nationalities(by_nat, last)
        model = choice.chosen if choice else None
        nat_fc = [f for f in (_forecast_from(conn, route, last, t["nationality"], model) for t in tops)
                  if f and model]
        op = operational_by_route(conn, principal).get(route, {})
        route_fc = _forecast_from(conn, route, last, model=model) if model else None
        fc_note = _forecast_note(conn, route, last, choice, route_fc)
        frontex = frontex_release(conn, services.clock.now().date())
    alerts = [a.model_dump(mode="json") for a in list_alerts(services, principal) if a.route == route]
    year_counts = {t["nationality"]: t["value"] for t in _top_nationalities(by_nat, last, n=len(by_nat) or 1)}
    year_unknown = unknown_share(year_counts)
    quality = [c["text"] for c in (month_caveat(by_nat, last),) if c]
    if year_unknown is not None and year_unknown >= DOMINANT_SHARE:
        quality.append(f"Data quality: {year_unknown:.0%} of the last 12 months' detections are of unknown "
                       "nationality: the top nationalities describe only the others.")
    return {
        "route": route,
        "last_month": last,
        "frontex": frontex,
        "data_quality": quality,
        "nationality_forecasts_note": NATIONALITY_FORECASTS_NOTE,
        "change": change(s, last).model_dump(),
        "history": [{"month": m, "value": s[m]} for m in month_range(month_add(last, -59), last) if m in s],
        "border_types": {bt: round(sum(v.get(month_add(last, -i), 0.0) for i in range(12))) for bt, v in by_bt.items()},
        "top_nationalities": tops,
        "chosen_model": choice.chosen if choice else None,
        "choice_basis": next((b["choice_basis"] for b in backtests if choice and b["horizon"] == choice.horizon), None),
        "backtests": backtests,
        "forecast": route_fc,
        "forecast_note": fc_note,
        "nationality_forecasts": nat_fc,
        "alerts": alerts,
        "platform": [{"month": m, **v} for m, v in sorted(op.items())],
    }


# --- jobs and indicators other areas can cite --------------------------------------------------


@job("awareness_early_warning")
def early_warning_job(services: Services, now: datetime) -> str:
    """Aggregate new encounters by month and run the early-warning rules."""
    refreshed = refresh(services, SYSTEM)
    created = evaluate_alerts(services, SYSTEM)
    rows, n = refreshed["rows"], len(created)
    return (f"{rows} monthly {'row' if rows == 1 else 'rows'} refreshed, "
            f"{n} new {'alert' if n == 1 else 'alerts'}")


@indicator("awareness_open_alerts", label="Early-warning alerts not yet acknowledged", area="awareness",
           whose="alerts on {state}'s encounters")
def open_alerts_indicator(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Open alerts. A state's: the alerts raised on its own platform encounters (source
    ``platform:<state>``); alerts on Frontex detections or on every state's encounters are no
    one state's, though its analysts see them."""
    q = select(func.count()).select_from(awareness_alerts).where(awareness_alerts.c.acknowledged_at.is_(None))
    if member_state is not None:
        q = q.where(awareness_alerts.c.source == f"platform:{member_state}")
    return int(conn.execute(q).scalar_one())


@indicator("awareness_detections_by_route", label="Frontex detections in the latest month available, by route",
           area="awareness", scoped=False)
def detections_indicator(conn: Connection, as_of: date, member_state: str | None) -> dict[str, Any]:
    """Frontex detections by route: EU-wide by nature (Frontex counts by route, not by state),
    registered ``scoped=False``; ``member_state`` is ignored."""
    cutoff = as_of.isoformat()[:7]
    out: dict[str, Any] = {}
    for route, s in route_series(conn).items():
        months = [m for m in s if m <= cutoff]
        if months:
            out[route] = int(s[max(months)])
    return out


@indicator("awareness_platform_encounters", label="Encounters registered on the platform in the month, by route",
           area="awareness", whose="encounters {state} registered")
def platform_encounters_indicator(conn: Connection, as_of: date, member_state: str | None) -> dict[str, int]:
    """Encounters of the month by route (the monthly aggregate). A state's: those it registered."""
    q = (select(awareness_monthly.c.route, func.sum(awareness_monthly.c.encounters))
         .where(awareness_monthly.c.month == as_of.isoformat()[:7]).group_by(awareness_monthly.c.route))
    if member_state is not None:
        q = q.where(awareness_monthly.c.member_state == member_state)
    return {r: int(n) for r, n in conn.execute(q)}
