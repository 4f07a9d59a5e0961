"""The weekly situational report: one context, rendered as HTML (web page and file) and PDF.

Charts: the same Vega-Lite specs serve the web page (drawn by the vendored Vega-Embed) and the
file/PDF (drawn server-side as SVG by ``pactum.awareness.charts.to_svg``, because WeasyPrint does
not run JavaScript and no Vega renderer for Python is installed).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Connection, and_, case, func, or_, select

from pactum.awareness import charts
from pactum.awareness.indicators import (
    STALE_AFTER_MONTHS,
    change,
    month_add,
    month_name,
    month_range,
    months_between,
    top_shares,
)
from pactum.awareness.periods import parse_week, week_of
from pactum.awareness.quality import DOMINANT_SHARE, month_caveat, unknown_share
from pactum.common.countries import nationality_name
from pactum.common.errors import ValidationProblem
from pactum.common.routes import route_names
from pactum.law import NotInForce
from pactum.services import indicators
from pactum.services.auth import Principal
from pactum.services.awareness import analytics
from pactum.services.awareness.service import (
    _analyst,
    _forecast_from,
    _nationality_month,
    external_summary,
    frontex_release,
    list_alerts,
    nationality_series,
    route_series,
)
from pactum.services.bootstrap import Services
from pactum.store import local_days
from pactum.store.tables.awareness import awareness_forecasts
from pactum.store.tables.registry import encounters, identity_records, screenings

REPORT_AREAS = ("registry", "procedures", "responsibility", "returns", "solidarity", "reception", "resettlement")
_ENV = Environment(loader=PackageLoader("pactum.services.awareness", "."), autoescape=select_autoescape(["html"]))

#: The areas whose records the live indicators count, in words (the report's reader is no developer).
AREA_WORDS = {
    "registry": "Registration and screening", "procedures": "Asylum procedures",
    "responsibility": "Responsibility (Dublin)", "returns": "Returns", "solidarity": "Solidarity",
    "reception": "Reception", "resettlement": "Resettlement", "identity": "Identity",
    "awareness": "Situational awareness",
}
RULE_WORDS = {"above_interval": "above the 80% forecast interval", "rapid_rise": "rapid rise"}

#: How old the newest border data (and an alert's month) may be on the report's day before the
#: report says it has no current border data: the same threshold as the data's age everywhere
#: (:data:`pactum.awareness.indicators.STALE_AFTER_MONTHS`, 2 months: Frontex publishes a month's
#: figures within about six weeks). Older, the title says so, every PDF page carries the warning,
#: an alert not acknowledged is shown as "historical" rather than "open" (its stored status is not
#: changed) and a forecast of months over by the report's day says they are past.
REPORT_STALE_AFTER_MONTHS = STALE_AFTER_MONTHS


def staleness(week_label: str, frontex: dict[str, Any], last: str, week_end: str) -> dict[str, str] | None:
    """The report's title suffix and warning when its newest Frontex month is older than
    :data:`REPORT_STALE_AFTER_MONTHS` on the report's day (``frontex``: :func:`frontex_release`'s
    answer on that day); ``None`` when the data are current."""
    months_old = frontex.get("months_old")
    if not isinstance(months_old, int) or months_old <= REPORT_STALE_AFTER_MONTHS:
        return None
    latest = month_name(last)
    return {
        "title": f"no current border data (latest {latest})",
        "banner": (f"No current border data: the newest Frontex month is {latest}, {months_old} months before "
                   f"the report's day. The arrivals, alerts and forecasts in this report describe {latest} and "
                   f"the months after it, not the week {week_label} (to {week_end})."),
    }


def _css_string(text: str) -> str:
    """``text`` as the inside of a CSS string (the PDF's page header)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")


def historical_alert(alert: dict[str, Any], as_of: date) -> bool:
    """An alert not acknowledged whose month is more than :data:`REPORT_STALE_AFTER_MONTHS` before
    the report's day: the report shows it as historical, not open (it stays open in the alert list
    until an analyst acknowledges it)."""
    return alert.get("acknowledged_at") is None and months_between(
        str(alert["month"]), as_of.isoformat()[:7]) > REPORT_STALE_AFTER_MONTHS


def forecast_past(forecast: dict[str, Any] | None, cutoff: str) -> str | None:
    """The words for a forecast whose months are over by the report's day (``cutoff``: the last
    month over then): ``forecast made from data up to 2025-04, months already past``; ``None`` when
    none of its months is past."""
    if not forecast:
        return None
    months = [str(p["month"]) for p in forecast["points"]]
    past = [m for m in months if m <= cutoff]
    if not past:
        return None
    made = f"forecast made from data up to {forecast['origin']}"
    if len(past) == len(months):
        return f"{made}, {'month' if len(past) == 1 else 'months'} already past"
    return f"{made}; {past[0]} to {past[-1]} already past" if len(past) > 1 else f"{made}; {past[0]} already past"


def as_of_note(as_of: date, week_end: date, cutoff: str, last: str) -> str:
    """What "as of" means on the report, in words: the report of a week counts only what had
    happened and had been recorded or published by its end (today for the week in progress)."""
    day = f"{as_of}, the end of the week" if as_of >= week_end else f"{as_of} (today: the week is in progress)"
    newest = "" if last == cutoff else f"; the newest in the release read is {month_name(last)}"
    return (f"As of {day}: the report counts only what had happened and had been recorded or published by then. "
            f"Frontex: the months over by then (to {month_name(cutoff)}{newest}; a month counts from its end, "
            "although Frontex publishes its figures some weeks later), as the release imported last gives them; "
            "forecasts made from those months only; alerts raised by then, with their status on that day; "
            "encounters and screenings of the week recorded on the platform by then; Eurostat's months and "
            "UNHCR's years over by then; the live indicators as each area counts them on that day, by the "
            "records' own dates (a record entered later with an earlier date is among them)")


def forecast_made_after(conn: Connection, forecast: dict[str, Any] | None, end: datetime) -> str | None:
    """The words for a forecast shown in the report of a week but computed after the week's end
    (from the data to its origin only, which the week had, but not a forecast anyone read then):
    ``computed on 2026-12-01, after the week, from the data to 2025-04``; ``None`` otherwise."""
    if not forecast:
        return None
    made = conn.execute(select(func.max(awareness_forecasts.c.created_at)).where(
        awareness_forecasts.c.route == forecast["route"], awareness_forecasts.c.origin == forecast["origin"],
        awareness_forecasts.c.nationality == (forecast.get("nationality") or ""),
        awareness_forecasts.c.model == forecast["model"])).scalar_one()
    if made is None or made.replace(tzinfo=made.tzinfo or UTC) < end:
        return None
    return f"computed on {made.date()}, after the week, from the data to {forecast['origin']} only"


def release_after_week(frontex: dict[str, Any], end: datetime, last: str) -> dict[str, Any]:
    """``imported_after_week`` and, when the release read was imported after the week's end, a note
    saying that its months to ``last`` are shown as that later release gives them."""
    imported = frontex.get("imported_at")
    after = bool(imported) and datetime.fromisoformat(str(imported)) >= end
    out: dict[str, Any] = {"imported_after_week": after}
    if after:
        out["release_note"] = (f"this release was imported on {str(imported)[:10]}, after the week: its months "
                               f"to {month_name(last)} are shown as it gives them (a release of the time may have "
                               "given other, provisional figures)")
    return out


def alerts_of_week(alerts: list[Any], start: datetime, end: datetime, cutoff: str) -> list[dict[str, Any]]:
    """The alerts the report of a week shows, as they stood at its end: raised by then, on a month
    over by then, and not acknowledged before the week began. One acknowledged after the week's
    end was open in it: it is shown without the later acknowledgement (``acknowledged_at``, ``_by``
    and ``note`` empty), marked ``acknowledged_after_week``."""
    def utc(moment: datetime) -> datetime:
        return moment.replace(tzinfo=moment.tzinfo or UTC)

    out = []
    for a in alerts:
        if utc(a.created_at) >= end or a.month > cutoff:
            continue
        if a.acknowledged_at is not None and utc(a.acknowledged_at) < start:
            continue
        alert = a.model_dump(mode="json")
        alert["acknowledged_after_week"] = a.acknowledged_at is not None and utc(a.acknowledged_at) >= end
        if alert["acknowledged_after_week"]:
            alert |= {"acknowledged_at": None, "acknowledged_by": None, "note": None}
        out.append(alert)
    return out


def _count(value: Any) -> str:
    """A count with thousands separators (``2,318``); text (``not available``) as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.0f}"


def _nationality(code: Any) -> str:
    """A nationality by name, as the route page gives it; a code no list knows as it is."""
    return nationality_name(code) or str(code)


def _share(value: float) -> str:
    return "<1%" if 0 < value < 0.005 else f"{value * 100:.0f}%"


def _alert_source(source: str) -> str:
    if source == "frontex":
        return "Frontex detections"
    if source.startswith("platform"):
        state = source.partition(":")[2]
        return "platform encounters" + (f" ({state})" if state else "")
    return source


def _words(code: Any) -> str:
    return str(code).replace("_", " ")


def whose_records(scope: str) -> str:
    """Whose records a figure counts, in words: ``IT's``, ``every state's``."""
    return "every state's" if scope == "EU" else f"{scope}'s"


def unit_for(value: float, unit: str) -> str:
    """An area's unit (a plural: ``transfers``) for ``value``: ``1 transfer``, ``1 person``;
    a unit of several words (``% of places occupied``) as it is."""
    if value != 1 or " " in unit or not unit.endswith("s"):
        return unit
    return unit[:-1]


def indicator_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    """Section 7 as the reader sees it: each live indicator with its source (the area whose records
    it counts), whose records (the report's state, every state, or EU-wide for an indicator not by
    state), its period, its value with unit and thousands separators, and a breakdown by state
    where the indicator gives one."""
    day = report["week"].get("as_of") or report["week"]["end"]  # a week in progress: to today
    periods = {"on": f"on {day}", "year": f"{day[:4]}-01-01 to {day}", "to_date": f"all records up to {day}"}
    known = indicators.load_all()  # each indicator's unit and period, as its area registered them
    rows = []
    for ind in report["indicators"]:
        registered = known.get(ind["name"])
        unit, period = (registered.unit, registered.period) if registered else ("", "on")
        scope = ind.get("scope", "EU")  # the state whose records the value counts, or EU
        whose = registered.records_of(None if scope == "EU" else scope) if registered else whose_records(scope)
        value = ind["value"]
        breakdown = ""
        if isinstance(value, dict):
            parts = sorted(value.items(), key=lambda kv: -kv[1] if isinstance(kv[1], int | float) else 0)
            breakdown = "; ".join(f"{k} {_count(v)}" for k, v in parts) or "none"  # "IT 2,108; CY 1,498"
            value = sum(v for v in value.values() if isinstance(v, int | float))
        elif isinstance(value, list | tuple):  # a list of states: how many, and which
            breakdown = ", ".join(str(v) for v in value) or "none"
            value = len(value)
        if value is None:
            text = "no data"
        elif isinstance(value, int | float):
            text = f"{_count(value)}\u00a0{unit_for(value, unit)}".strip()
        else:
            text = str(value)
        rows.append({"label": ind["label"], "source": AREA_WORDS.get(ind["area"], _words(ind["area"]).capitalize()),
                     "whose": whose, "period": periods[period], "value": text, "breakdown": breakdown})
    return rows


_ENV.filters.update(count=_count, nationality=_nationality, share=_share, words=_words,
                    rule=lambda code: RULE_WORDS.get(code, _words(code)), alert_source=_alert_source)


def _week_bounds(label: str, today: date) -> tuple[Any, datetime, datetime]:
    """The week and its bounds; a week that has not begun by ``today`` is refused: its report
    would give today's figures as if on days still to come."""
    try:
        week = parse_week(label)
    except ValueError as exc:
        raise ValidationProblem.one("week", str(exc)) from exc
    if week.start > today:
        raise ValidationProblem.one(
            "week", f"{week.label} ({week.start} to {week.end}) has not begun (today is {today}): "
                    f"the latest week with a report is {week_of(today).label}, in progress")
    start = datetime(week.start.year, week.start.month, week.start.day, tzinfo=UTC)
    return week, start, start + timedelta(days=7)


def months_complete_by(day: date) -> str:
    """The last month that is over on ``day`` (``day``'s own month when ``day`` is its last day)."""
    month = day.isoformat()[:7]
    return month if (day + timedelta(days=1)).month != day.month else month_add(month, -1)


def _platform_week(conn: Connection, principal: Principal, week: Any, start: datetime, end: datetime,
                   minor_age: int | None) -> dict[str, Any]:
    """Encounters during the week per route and minors among them, encounters with no route under
    :data:`~analytics.NO_ROUTE` (inside the territory: illegal stay, in-territory applications) or
    :data:`~analytics.NOT_RECORDED` (at the border or at sea, the route not recorded), as the
    dashboard counts them, and screenings started and completed; only what was recorded on the
    platform by the week's end (an encounter of the week registered later, and its screening, are
    left out and the encounters counted in ``recorded_after_week``). ``minor_age`` ``None``: no rule
    defining minors was in force that week, so no minors are counted (``minors`` and
    ``minors_share`` are ``None``).

    The week is that of the days where things happened (``pactum.registry.local_time``): an
    encounter counts in the week of its local day (the time zone of its place, else its state's
    capital's), a screening in the week of the local day it started or was completed on its clock,
    and "by the week's end" is by the end of the week's Sunday there. One indexed range query per
    route (``ix_encounters_route_occurred``) over the week and a day either side, in UTC; the local
    day decides."""
    by_route: dict[str, int] = {}
    minors = 0
    born_after = str(start.year - (minor_age or 0))
    first, last = week.start.isoformat(), week.end.isoformat()
    joined = encounters.outerjoin(identity_records, identity_records.c.id == encounters.c.identity_record_id)
    day = local_days.local_day(conn, encounters.c.occurred_at, encounters.c.member_state, encounters.c.time_zone)
    # known by the week's end where it happened: an encounter of the week recorded on the platform
    # after it (a late registration) was not in the week's figures, and no one reading them then
    # could count it
    recorded = local_days.local_day(conn, encounters.c.created_at, encounters.c.member_state,
                                   encounters.c.time_zone) <= last
    known = func.coalesce(func.sum(case((recorded, 1), else_=0)), 0)
    known_minor = func.coalesce(func.sum(case(
        (and_(recorded, func.substr(identity_records.c.date_of_birth, 1, 4) > born_after), 1), else_=0)), 0)
    near = (encounters.c.occurred_at >= start - timedelta(days=1), encounters.c.occurred_at < end + timedelta(days=1))
    inland = encounters.c.kind.in_(analytics.INLAND_KINDS)
    late = 0
    for route in (*route_names(), *analytics.NO_ROUTE_SERIES):
        if route == analytics.NO_ROUTE:
            on_route = and_(encounters.c.route.is_(None), inland)
        elif route == analytics.NOT_RECORDED:
            on_route = and_(encounters.c.route.is_(None), ~inland)
        else:
            on_route = encounters.c.route == route
        q = select(func.count(), known, known_minor).select_from(joined).where(
            on_route, *near, day >= first, day <= last)
        if principal.member_state:
            q = q.where(encounters.c.member_state == principal.member_state)
        n, k, m = conn.execute(q).one()
        by_route[route] = int(k)
        late += int(n) - int(k)
        minors += int(m)
    # a screening is on the platform from its encounter's recording (the screening of an encounter
    # recorded after the week is not one the week knew of)
    screened = screenings.outerjoin(encounters, encounters.c.id == screenings.c.encounter_id)
    known_then = or_(screenings.c.encounter_id.is_(None), recorded)

    def in_week(moment: Any) -> Any:
        on = local_days.local_day(conn, moment, screenings.c.member_state, screenings.c.time_zone)
        return and_(moment >= start - timedelta(days=1), moment < end + timedelta(days=1), on >= first, on <= last)

    sq = select(screenings.c.outcome, func.count()).select_from(screened).where(
        in_week(screenings.c.completed_at), known_then).group_by(screenings.c.outcome)
    started = select(func.count()).select_from(screened).where(in_week(screenings.c.started_at), known_then)
    if principal.member_state:
        sq = sq.where(screenings.c.member_state == principal.member_state)
        started = started.where(screenings.c.member_state == principal.member_state)
    outcomes = {str(o or "none"): int(n) for o, n in conn.execute(sq)}
    total = sum(by_route.values())
    counted = minor_age is not None
    return {
        "by_route": by_route,
        "total": total,
        "minors": minors if counted else None,
        "minors_share": round(minors / total, 4) if total and counted else None,
        "screenings_started": int(conn.execute(started).scalar_one()),
        "screenings_completed": outcomes,
        # encounters of the week recorded on the platform only after its end: not counted above
        "recorded_after_week": late,
    }


def minor_age_on(day: date) -> tuple[int | None, str | None]:
    """The age below which a person counted a minor on ``day`` (the ``minor_age`` parameter of the
    responsibility regime in force), or ``None`` and why when no such rule was in force (a week
    before Dublin III applied, 1 January 2014): the report then counts no minors rather than apply a
    later law to an earlier week."""
    try:
        return analytics.minor_age(day), None
    except NotInForce as exc:
        return None, (f"minors not counted: no rule of the platform's law defining a minor was in force on "
                      f"{day} ({exc})")


def _live_indicators(conn: Connection, as_of: Any, member_state: str | None) -> list[dict[str, Any]]:
    """The report areas' indicators over ``member_state``'s records (``None``: every state's).
    ``scope`` says whose records each value counts: the state, or ``EU`` (every state's, or an
    indicator that is not by state: ``scoped`` false)."""
    out = []
    for ind in indicators.load_all().values():
        if ind.area not in REPORT_AREAS:
            continue
        try:
            value = ind.value(conn, as_of, member_state)
        except Exception as exc:  # an area's indicator failing must not sink the whole report
            value = f"not available ({type(exc).__name__})"
        out.append({"name": ind.name, "label": ind.label, "area": ind.area, "value": value,
                    "scoped": ind.scoped, "scope": (member_state if ind.scoped else None) or "EU"})
    return out


def build(services: Services, principal: Principal, week_label: str) -> dict[str, Any]:
    """The report's content for ISO week ``week_label``."""
    _analyst(principal)
    today = services.clock.now().date()
    week, start, end = _week_bounds(week_label, today)
    as_of = min(week.end, today)  # the week still running: its figures to today
    t0 = time.perf_counter()
    with services.engine.connect() as conn:
        series = route_series(conn)
        # the Frontex months over by the week's end (not the month the week is in: a part of it);
        # a forecast shown is one made from the data to that month, none made later
        cutoff = months_complete_by(as_of)
        found = [m for s in series.values() for m in s if m <= cutoff]
        if not found:
            first = min((m for s in series.values() for m in s), default=None)
            raise ValidationProblem.one(
                "week", f"no month of the Frontex series had ended by {as_of}"
                        + (f": they start in {first}" if first else ": no Frontex release is imported"))
        last = max(found)
        routes: list[dict[str, Any]] = []
        for route in route_names():
            s = series.get(route) or {}
            if last not in s:
                continue
            forecast = _forecast_from(conn, route, last)
            routes.append({"route": route, "change": change(s, last).model_dump(),
                           "forecast": forecast, "forecast_past": forecast_past(forecast, cutoff),
                           "forecast_made_after": forecast_made_after(conn, forecast, end),
                           "data_quality": month_caveat(_nationality_month(conn, route, last), last)})
        routes.sort(key=lambda r: -r["change"]["value"])
        window = month_range(month_add(last, -23), last)
        arrivals_rows = [{"month": m, "series": r["route"].replace(" Route", ""), "value": series[r["route"]].get(m, 0.0)}
                         for r in routes[:6] for m in window]
        nat_totals: dict[str, float] = defaultdict(float)
        per_route_top = {}
        unknown_top: dict[str, float] = {}  # routes whose months shown are mostly of unknown nationality
        for r in routes[:4]:
            by_nat = nationality_series(conn, r["route"])
            counts = {n: sum(v.get(month_add(last, -i), 0.0) for i in range(3)) for n, v in by_nat.items()}
            for n, v in counts.items():
                nat_totals[n] += v
            per_route_top[r["route"]] = [t.model_dump() for t in top_shares({k: v for k, v in counts.items() if v}, 5)]
            share = unknown_share(counts)
            if share is not None and share >= DOMINANT_SHARE:
                unknown_top[r["route"]] = round(share, 3)
        forecast_specs = []
        for r in routes[:3]:
            fc = r["forecast"]
            if not fc:
                continue
            hist = [{"month": m, "value": series[r["route"]].get(m, 0.0)} for m in month_range(month_add(fc["origin"], -23), fc["origin"])]
            past = f"; {r['forecast_past']}" if r["forecast_past"] else ""
            forecast_specs.append(charts.forecast_spec(
                f"{r['route']}: monthly detections and forecast ({fc['model']}, 80% interval; Frontex){past}",
                hist, fc["points"]))
        minor_age, minors_note = minor_age_on(week.end)
        platform = _platform_week(conn, principal, week, start, end, minor_age) | {"minors_note": minors_note}
        live = _live_indicators(conn, as_of, principal.member_state)
        # the asylum statistics as they were on the report's day: Eurostat's months over by then,
        # UNHCR's years complete by then (none published later)
        external = external_summary(conn, as_of, through=cutoff)
        # the release read and how old its month is on the report's day
        frontex = frontex_release(conn, as_of, latest=last)
        frontex |= release_after_week(frontex, end, last)
    alerts = alerts_of_week(list_alerts(services, principal), start, end, cutoff)
    for alert in alerts:
        alert["historical"] = historical_alert(alert, as_of)
        alert["status"] = "acknowledged" if alert["acknowledged_at"] else "historical" if alert["historical"] else "open"
    stale = staleness(week.label, frontex, last, as_of.isoformat())
    specs = {
        "arrivals": charts.lines_spec(f"Detections by route, {window[0]} to {last} (Frontex)", arrivals_rows),
        "nationalities": charts.bars_spec(
            f"Detections by nationality, {month_add(last, -2)} to {last}, {len(per_route_top)} largest routes (Frontex)",
            [{"label": _nationality(t.nationality), "value": t.value} for t in top_shares(dict(nat_totals), 10)]),
        "platform": charts.bars_spec(
            f"Platform encounters by route, {week.label} ({week.start} to {week.end})",
            [{"label": k.replace(" Route", ""), "value": v} for k, v in platform["by_route"].items() if v],
            y_title="Encounters"),
        "forecasts": forecast_specs,
    }
    return {
        # the week, and the day its figures run to: its last, or today for the week in progress
        "week": week.model_dump(mode="json") | {"as_of": as_of.isoformat(), "in_progress": as_of < week.end,
                                                 "as_of_note": as_of_note(as_of, week.end, cutoff, last)},
        # "Situational report 2026-W49 — no current border data (latest April 2025)" when stale
        "title": f"Situational report {week.label}" + (f" — {stale['title']}" if stale else ""),
        "staleness": stale,
        "stale_after_months": REPORT_STALE_AFTER_MONTHS,
        "generated_at": services.clock.now().isoformat(timespec="seconds"),
        "generated_by": principal.username,
        "scope": principal.member_state or "EU",
        "frontex_month": last,
        "frontex": frontex,
        "routes": routes,
        "top_by_route": per_route_top,
        "top_unknown_share": unknown_top,
        "alerts": alerts,
        "platform": platform,
        "indicators": live,
        "external": external,
        "minor_age": minor_age,
        "specs": specs,
        "build_seconds": round(time.perf_counter() - t0, 3),
    }


def render_html(report: dict[str, Any], *, interactive: bool = False) -> str:
    """The report body; ``interactive`` emits Vega-Lite chart elements, otherwise inline SVG."""
    def chart(spec: dict[str, Any], chart_id: str) -> Markup:
        if interactive:
            import json

            # one image to assistive technology, named by what it shows (WCAG 2.1 1.1.1), as the
            # inline SVG of the HTML file and the PDF is (charts.to_svg) and the pages' charts are
            return Markup('<div class="chart" id="{}" role="img" aria-label="{}" data-spec=\'{}\'></div>').format(
                chart_id, charts.chart_title(spec), Markup(json.dumps(spec).replace("'", "&#39;")))
        return Markup(charts.to_svg(spec))

    return _ENV.get_template("report.html").render(r=report, chart=chart, standalone=not interactive,
                                                   indicator_rows=indicator_rows(report),
                                                   whose=whose_records(report["scope"]), no_route=analytics.NO_ROUTE,
                                                   not_recorded=analytics.NOT_RECORDED,
                                                   page_header=_css_string(report["staleness"]["banner"])
                                                   if report.get("staleness") else None,
                                                   nationality_months=f"{month_add(report['frontex_month'], -2)} to {report['frontex_month']}")


def write(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write ``<week>.html`` and ``<week>.pdf`` into ``out_dir``; return both paths."""
    from weasyprint import HTML

    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    html_path = out_dir / f"situational-report-{report['week']['label']}.html"
    pdf_path = html_path.with_suffix(".pdf")
    html_path.write_text(html, encoding="utf-8")
    HTML(string=html).write_pdf(str(pdf_path))
    return html_path, pdf_path


def pdf_bytes(report: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_html(report)).write_pdf())
