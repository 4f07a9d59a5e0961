"""Situational awareness pages: the route map dashboard, a route's forecast and backtest
evidence, alert acknowledgement, and the weekly situational report (page and PDF); the analyst's
actions: importing a release, refreshing the monthly figures, evaluating the early-warning rules,
running backtests and forecasts (each calling the service function the API route calls)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import suppress
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pactum.api.deps import get_services
from pactum.awareness import charts
from pactum.awareness.alerts import AlertSettings
from pactum.awareness.external import SOURCES
from pactum.awareness.periods import is_month, parse_week, week_of
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.common.routes import route_names
from pactum.common.text import shortened
from pactum.services import awareness
from pactum.services.auth import Principal
from pactum.services.awareness import ANALYST_ROLES
from pactum.services.awareness import report as weekly
from pactum.services.awareness.analytics import NO_ROUTE_SERIES
from pactum.services.awareness.forecasting import FIRST_ORIGIN
from pactum.services.awareness.series import TOPOJSON, data_path
from pactum.services.awareness.service import (
    MIN_STORED_ORIGINS,
    list_imports,
    may_acknowledge,
    may_import,
    may_refresh,
    may_store_shared,
)
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, required_whole_number, typed_text, whole_number
from pactum.web.render import NavItem, render, web_principal

router = APIRouter()
_ROUTE_PAGE = "/awareness/routes/"


def alert_route_href(route: str) -> str | None:
    """The page of an alert's route, or None for a route that has none (a platform series' "no
    route")."""
    return _ROUTE_PAGE + quote(route) if route in ROUTE_MARKERS else None
_ANALYSTS = set(ANALYST_ROLES)
NAV = [
    NavItem("Awareness", "/awareness", _ANALYSTS, order=60),
    NavItem("Alerts", "/awareness/alerts", _ANALYSTS, order=61),
    NavItem("Weekly report", "/awareness/report", _ANALYSTS, order=62),
    NavItem("Forecasts", "/awareness/forecasts", _ANALYSTS, order=63),
    NavItem("Data imports", "/awareness/imports", _ANALYSTS, order=64),
]

# Where each route's marker is drawn on the map (longitude, latitude): a display choice, roughly
# where Frontex's migratory map draws the route, not a statistic.
ROUTE_MARKERS: dict[str, tuple[float, float]] = {
    "Central Mediterranean Route": (14.5, 35.0),
    "Eastern Mediterranean Route": (27.0, 36.5),
    "Western Mediterranean Route": (-3.5, 36.0),
    "Western African Route": (-15.5, 28.0),
    "Western Balkan Route": (19.5, 44.5),
    "Eastern Borders Route": (25.5, 53.5),
    "Circular Route from Albania to Greece": (20.8, 40.2),
    "Black Sea Route": (31.5, 43.5),
    "Other": (2.5, 50.5),
}


def map_spec(routes: list[dict[str, Any]]) -> dict[str, Any]:
    points = [
        {"route": r["route"], "lon": ROUTE_MARKERS[r["route"]][0], "lat": ROUTE_MARKERS[r["route"]][1],
         "detections": r["change"]["value"], "month": r["last_month"], "year_change": r["change"]["change_year_pct"],
         "alerts": r["open_alerts"], "status": "open alert" if r["open_alerts"] else "no open alert",
         "href": "/awareness/routes/" + quote(r["route"])}
        for r in routes if r["route"] in ROUTE_MARKERS
    ]
    projection = {"type": "mercator", "center": [12, 47], "scale": 420}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Map of the migratory routes: a circle per route, sized by the latest month's "
                       "detections, red where an early-warning alert is open; the routes table gives "
                       "the same figures.",
        "width": 620, "height": 470,
        "projection": projection,
        "layer": [
            {
                "data": {"url": "/awareness/countries.topo.json", "format": {"type": "topojson", "feature": "countries"}},
                # the countries' outlines are the background: no item for a screen reader
                "mark": {"type": "geoshape", "fill": "#eef1f4", "stroke": "#9aa5b1", "strokeWidth": 0.4,
                         "aria": False},
            },
            {
                "data": {"values": points},
                "mark": {"type": "circle", "opacity": 0.8, "stroke": "#333", "strokeWidth": 0.6, "cursor": "pointer"},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "size": {"field": "detections", "type": "quantitative", "scale": {"range": [60, 2400]},
                             "title": "Detections (latest month)"},
                    "color": {"field": "status", "type": "nominal", "title": None,
                              "scale": {"domain": ["open alert", "no open alert"], "range": ["#c0392b", "#1f5fa8"]}},
                    "href": {"field": "href"},
                    "tooltip": [{"field": "route"}, {"field": "month"},
                                {"field": "detections", "format": ",.0f"},
                                {"field": "year_change", "title": "vs a year earlier, %"},
                                {"field": "alerts", "title": "open alerts"}],
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "text", "dy": -14, "fontSize": 10},
                "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                             "latitude": {"field": "lat", "type": "quantitative"},
                             "text": {"field": "route"}},
            },
        ],
    }


def sparkline_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 140, "height": 28, "config": {"view": {"stroke": None}},
        "data": {"values": rows},
        "mark": {"type": "line", "strokeWidth": 1.4},
        "encoding": {"x": {"field": "month", "type": "temporal", "axis": None},
                     "y": {"field": "value", "type": "quantitative", "axis": None},
                     "tooltip": [{"field": "month"}, {"field": "value", "format": ",.0f"}]},
    }


@router.get("/awareness/arrivals.csv")
def arrivals_csv(services: Services = Depends(get_services), principal: Principal = Depends(web_principal)) -> Response:
    """The Frontex detections by route and month as CSV (``GET /api/v1/awareness/arrivals.csv``)."""
    day = services.clock.today().isoformat()
    return Response(awareness.arrivals_csv(services, principal), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="arrivals-by-route-{day}.csv"'})


@router.get("/awareness/countries.topo.json")
def topojson(principal: Principal = Depends(web_principal)) -> Response:
    return FileResponse(data_path(TOPOJSON), media_type="application/json")


def _acknowledged(request: Request, services: Services, principal: Principal, *,
                  on_route_page: bool = False, listed: set[str] | None = None) -> dict[str, Any] | None:
    """The alert acknowledged just before (the redirect's ``acknowledged``), to say what was done.
    ``href``: where it stays listed with its note: its route's page, or, for an alert with no route
    page (a platform series' "Inland (no route)"), the list of alerts filtered to its route;
    ``on_route_page`` (or its id in ``listed``, the alerts the page shows): the page shows it."""
    alert_id = request.query_params.get("acknowledged")
    if not alert_id:
        return None
    found = next((a for a in awareness.list_alerts(services, principal) if a.id == alert_id), None)
    if found is None or found.acknowledged_at is None:
        return None
    out = found.model_dump(mode="json")
    route_page = alert_route_href(found.route)
    if route_page is not None:
        out["href"], out["kept_on"] = route_page + "#alerts", "the route’s page"
    else:
        out["href"] = "/awareness/alerts?" + urlencode({"route": found.route, "status": "acknowledged"})
        out["kept_on"] = "the list of alerts"
    out["on_route_page"] = on_route_page or (listed is not None and found.id in listed)
    return out


def _dashboard(request: Request, services: Services, principal: Principal, *,
               ack: dict[str, Any] | None = None, checks: dict[str, Any] | None = None,
               status_code: int = 200) -> Response:
    """``checks``: a refused refresh or evaluation (the form as typed and its problems); without
    it, what the last refresh or evaluation did, from the address it redirected to."""
    data = awareness.dashboard(services, principal)
    for a in data["alerts"]:
        a["href"] = alert_route_href(a["route"])
        a["can_acknowledge"] = may_acknowledge(principal, a["source"])
    for r in data["routes"]:
        r["sparkline_spec"] = sparkline_spec(r["sparkline"])
        r["href"] = "/awareness/routes/" + quote(r["route"])
    return render(request, "awareness/dashboard.html",
                  {"data": data, "map_spec": map_spec(data["routes"]),
                   "week": week_of(services.clock.now().date()).label, "ack": ack,
                   "acknowledged": None if ack else _acknowledged(request, services, principal),
                   "checks": (checks or _checks_done(request, services, principal))
                   | {"defaults": _settings_shown(), "can_refresh": may_refresh(principal)}},
                  principal=principal, status_code=status_code)


@router.get("/awareness")
def dashboard_page(request: Request, services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    return _dashboard(request, services, principal)


def _route(request: Request, services: Services, principal: Principal, route: str, *,
           ack: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    r = awareness.get_route(services, principal, route)
    for a in r["alerts"]:
        a["can_acknowledge"] = may_acknowledge(principal, a["source"])
    forecast_chart = None
    if r["forecast"]:
        fc = r["forecast"]
        hist = [h for h in r["history"] if h["month"] <= fc["origin"]][-36:]
        forecast_chart = charts.forecast_spec(f"{route}: {fc['model']} forecast from {fc['origin']}, 80% interval",
                                              hist, fc["points"])
    history_chart = charts.lines_spec(f"{route}: detections, last 60 months (Frontex)",
                                      [{"month": h["month"], "series": "detections", "value": h["value"]} for h in r["history"]])
    return render(request, "awareness/route.html",
                  {"r": r, "forecast_chart": forecast_chart, "history_chart": history_chart, "ack": ack,
                   "acknowledged": None if ack else _acknowledged(request, services, principal, on_route_page=True)},
                  principal=principal, status_code=status_code)


@router.get("/awareness/routes/{route}")
def route_page(route: str, request: Request, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    return _route(request, services, principal, route)



_ALERTS_PAGE = "/awareness/alerts"


def _back(typed: Mapping[str, str]) -> str:
    """The page the acknowledgement was sent from (the dashboard, a route's page or the list of
    alerts with its filters), where it returns; the dashboard for anything else."""
    back = typed.get("next") or ""
    if back == _ALERTS_PAGE or back.startswith(_ALERTS_PAGE + "?"):
        return back
    return back if back == "/awareness" or back.startswith(_ROUTE_PAGE) else "/awareness"


def _ack_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                 problem: ValidationProblem | Conflict, alert_id: str) -> Response:
    """The page the alert was acknowledged on, again: the refused alert's note field keeps what was
    typed and says what is wrong next to it (a stale or repeated acknowledgement is said above the
    alerts, its alert having left the open ones)."""
    if isinstance(problem, ValidationProblem):
        errors, status = list(problem.problems), 422
    else:
        errors, status = [("version", str(problem))], 409
    ack = {"alert_id": alert_id, "note": typed.get("note", ""), "errors": errors,
           "note_errors": [message for field, message in errors if field == "note"]}
    back = _back(typed)
    if back.startswith(_ALERTS_PAGE):
        filters = dict(parse_qsl(urlsplit(back).query))
        return _alerts_page(request, services, principal, filters, ack=ack, status_code=status)
    if back.startswith(_ROUTE_PAGE):
        try:
            return _route(request, services, principal, unquote(back[len(_ROUTE_PAGE):]), ack=ack, status_code=status)
        except NotFound:  # a route that is not one: the dashboard lists the alert
            pass
    return _dashboard(request, services, principal, ack=ack, status_code=status)


@router.post("/awareness/alerts/{alert_id}/acknowledge")
@refused_form_page(_ack_refused)
async def acknowledge(alert_id: str, request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    typed = typed_text(form)
    try:
        version = required_whole_number(form, "version", minimum=0)
        # the note is optional: one of only blanks is no note (not blanks kept in the audit entry)
        awareness.acknowledge_alert(services, principal, alert_id, version, typed.get("note", "").strip() or None)
    except (ValidationProblem, Conflict) as exc:
        return _ack_refused(request, services, principal, typed, exc, alert_id)
    back = _back(typed)
    joint = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{joint}acknowledged={quote(alert_id)}#acknowledged", status_code=303)


#: the filters of the list of alerts, as the API's and the CLI's (``GET /api/v1/awareness/alerts``)
ALERT_FILTERS = ("status", "route", "source", "month")


def _alerts_page(request: Request, services: Services, principal: Principal, filters: Mapping[str, str], *,
                 ack: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """Every alert the analyst sees, open and acknowledged (with who acknowledged it, when, and the
    note), filtered by status, route, source and month as ``GET /api/v1/awareness/alerts``; a filter
    naming nothing is refused (422) beside its field, what was chosen kept."""
    chosen = {k: (filters.get(k) or "").strip() for k in ALERT_FILTERS}
    errors: list[tuple[str, str]] = []
    try:
        alerts = awareness.list_alerts(services, principal, route=chosen["route"] or None,
                                       status=chosen["status"] or None, source=chosen["source"] or None,
                                       month=chosen["month"] or None)
    except ValidationProblem as exc:
        errors, alerts, status_code = list(exc.problems), [], 422
    shown = [a.model_dump(mode="json") for a in alerts]
    for a in shown:
        a["href"] = alert_route_href(a["route"])
        a["can_acknowledge"] = may_acknowledge(principal, a["source"])
    # a state's analyst sees its own encounters' alerts; an EU body's analyst every state's raised
    own = {f"platform:{principal.member_state}"} if principal.member_state else {
        a.source for a in awareness.list_alerts(services, principal) if a.source.startswith("platform:")}
    sources = ["frontex", "platform", *sorted(own)]
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(request, "awareness/alerts.html",
                  {"alerts": shown, "chosen": chosen, "errors": errors,
                   "routes": [*route_names(), *NO_ROUTE_SERIES], "sources": sources,
                   "open_count": sum(1 for a in shown if not a["acknowledged_at"]),
                   "next_path": _ALERTS_PAGE + (f"?{query}" if query else ""), "ack": ack,
                   "acknowledged": None if ack else _acknowledged(request, services, principal,
                                                                  listed={a["id"] for a in shown})},
                  principal=principal, status_code=status_code)


@router.get("/awareness/alerts")
def alerts_page(request: Request, services: Services = Depends(get_services),
                principal: Principal = Depends(web_principal)) -> Response:
    return _alerts_page(request, services, principal, request.query_params)


@router.get("/awareness/report")
def current_report(services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    return RedirectResponse(f"/awareness/reports/{week_of(services.clock.now().date()).label}", status_code=303)


@router.get("/awareness/reports/{week}.pdf")
def report_pdf(week: str, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    rep = weekly.build(services, principal, week)
    return Response(weekly.pdf_bytes(rep), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="situational-report-{rep["week"]["label"]}.pdf"'})


@router.get("/awareness/reports/{week}")
def report_page(week: str, request: Request, services: Services = Depends(get_services),
                principal: Principal = Depends(web_principal)) -> Response:
    rep = weekly.build(services, principal, week)
    return render(request, "awareness/report.html",
                  {"rep": rep, "body": weekly.render_html(rep, interactive=True), **_weeks_around(services, week)},
                  principal=principal)


def _weeks_around(services: Services, week: str) -> dict[str, str | None]:
    """The weeks before and after ``week`` (no week after the current one: its report is not
    written yet), and the current week, for the report page's links."""
    start = parse_week(week).start
    current = week_of(services.clock.now().date())
    out: dict[str, str | None] = {"current_week": current.label, "previous_week": None, "next_week": None}
    with suppress(ValueError):  # none before the first statistics year
        out["previous_week"] = week_of(start - timedelta(days=7)).label
    if start < current.start:
        out["next_week"] = week_of(start + timedelta(days=7)).label
    return out


# ------------------------------------------------------------------ the analyst's actions
#
# Each form calls the service function its API route calls (``pactum.api.routers.awareness``);
# the service checks the principal's role and scope and words every refusal, the view only reads
# the form and says on return what was done.

#: the early-warning settings a form sets, in the order the form shows them
_SETTINGS = ("month", "rise_pct", "baseline_months", "min_volume")
_SHOWN = re.compile(r"\d{1,19}")
#: a decimal number as a form takes it (the rise and the minimum volume: the API and the CLI take
#: decimals too)
_DECIMAL = re.compile(r"[+-]?(\d{1,19}(\.\d*)?|\.\d+)")
#: the settings that are decimals (the baseline is a whole number of months)
_DECIMALS = ("rise_pct", "min_volume")
_MONTH = re.compile(r"\d{4}-\d{2}")


def _number_shown(value: float) -> str:
    """A setting as the form shows it: ``50``, ``50.5``, ``1000000`` (no exponent)."""
    return f"{value:.12g}"


def _settings_shown(settings: AlertSettings | None = None) -> dict[str, str]:
    """The early-warning form's fields as shown: the rules' defaults unless ``settings``."""
    s = settings or AlertSettings()
    return {"month": "", "rise_pct": _number_shown(s.rise_pct), "baseline_months": str(s.baseline_months),
            "min_volume": _number_shown(s.min_volume)}


def _as_number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _checks_done(request: Request, services: Services, principal: Principal) -> dict[str, Any]:
    """The refresh and evaluation forms, and what the last refresh or evaluation did (from the
    address it redirected to: ``?refreshed=<rows>&full=0|1``, ``?evaluated=<new alert ids>&`` the
    settings used, which the form then keeps)."""
    q = request.query_params
    out: dict[str, Any] = {"form": _settings_shown(), "errors": [], "refused": None,
                           "refreshed": None, "evaluated": None}
    rows = q.get("refreshed", "")
    if _SHOWN.fullmatch(rows):
        out["refreshed"] = {"rows": int(rows), "full": q.get("full") == "1"}
    used = {k: q.get(k, "") for k in _SETTINGS}
    if "evaluated" in q and (not used["month"] or _MONTH.fullmatch(used["month"])) \
            and _SHOWN.fullmatch(used["baseline_months"]) and all(_DECIMAL.fullmatch(used[k]) for k in _DECIMALS):
        ids = {i for i in q["evaluated"].split(",") if i}
        raised = [a.model_dump(mode="json") for a in awareness.list_alerts(services, principal) if a.id in ids]
        for a in raised:
            a["href"] = alert_route_href(a["route"])
        out["form"] = used
        out["evaluated"] = {"alerts": raised, "month": used["month"] or None,
                            **{k: _as_number(used[k]) for k in _SETTINGS[1:]}}
    return out


def _checks_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                    problem: ValidationProblem, *, refused: str = "evaluate") -> Response:
    """The dashboard again, the refused form keeping what was typed, each problem beside its field."""
    form = _settings_shown() | {k: typed[k] for k in _SETTINGS if k in typed}
    return _dashboard(request, services, principal, status_code=422,
                      checks={"form": form, "errors": list(problem.problems), "refused": refused,
                              "refreshed": None, "evaluated": None})


def _refresh_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                     problem: ValidationProblem) -> Response:
    return _checks_refused(request, services, principal, typed, problem, refused="refresh")


@router.post("/awareness/refresh")
@refused_form_page(_refresh_refused)
async def refresh(request: Request, services: Services = Depends(get_services),
                  principal: Principal = Depends(web_principal)) -> Response:
    """Re-aggregate the platform's encounters by month (``POST /api/v1/awareness/refresh``)."""
    form = await request.form()
    full = form.get("full") == "1"
    done = await run_in_threadpool(awareness.refresh, services, principal, full)
    return RedirectResponse(f"/awareness?refreshed={done['rows']}&full={int(full)}#checks", status_code=303)


def _alert_settings(form: Mapping[str, Any]) -> tuple[AlertSettings, str | None]:
    """The early-warning settings a form gives (blank: the rules' default), every problem at once:
    a field that is no number, and the rules' own checks of the others and of the month
    (``AlertSettings.problems``, as ``evaluate_alerts`` makes them), in the form's order. The rise
    and the minimum volume are decimals, as the API and the CLI take them."""
    default = AlertSettings()
    values: dict[str, Any] = {"rise_pct": default.rise_pct, "baseline_months": default.baseline_months,
                              "min_volume": default.min_volume}
    problems: list[tuple[str, str]] = []
    unreadable: set[str] = set()
    month = str(form.get("month") or "").strip() or None
    if month is not None and not is_month(month):
        problems.append(("month", f"{shortened(month)!r} is not a month YYYY-MM"))
    for name in _SETTINGS[1:]:
        raw = str(form.get(name) or "").strip()
        if not raw:
            continue
        try:
            if name in _DECIMALS:
                if not _DECIMAL.fullmatch(raw):
                    raise ValidationProblem.one(name, f"{shortened(raw)!r} is not a number")
                values[name] = float(raw)
            else:
                values[name] = whole_number(form, name)
        except ValidationProblem as exc:
            problems += exc.problems
            unreadable.add(name)
    settings = AlertSettings(rise_pct=float(values["rise_pct"]), baseline_months=int(values["baseline_months"]),
                             min_volume=float(values["min_volume"]))
    problems += [p for p in settings.problems() if p[0] not in unreadable]
    if problems:
        order = {name: i for i, name in enumerate(_SETTINGS)}
        raise ValidationProblem(sorted(problems, key=lambda p: order.get(p[0], len(order))))
    return settings, month


@router.post("/awareness/alerts/evaluate")
@refused_form_page(_checks_refused)
async def evaluate(request: Request, services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    """Run the early-warning rules with the analyst's settings (``POST /api/v1/awareness/alerts/evaluate``)."""
    form = await request.form()
    typed = typed_text(form)
    try:
        settings, month = _alert_settings(typed)
        created = await run_in_threadpool(awareness.evaluate_alerts, services, principal, settings, month)
    except ValidationProblem as exc:
        return _checks_refused(request, services, principal, typed, exc)
    used = _settings_shown(settings) | {"month": month or ""}
    query = urlencode({"evaluated": ",".join(a.id for a in created), **used})
    return RedirectResponse(f"/awareness?{query}#checks", status_code=303)


# --- imports of external releases

#: each source as the pages name it
_SOURCE_NAMES = {"frontex": "Frontex", "eurostat": "Eurostat", "unhcr": "UNHCR"}


def _imported(request: Request, imports: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The import just made (``?imported=<id>``, ``&replaced=<id>`` of the release it replaced), to
    say so on the page."""
    by_id = {i["id"]: i for i in imports}
    imp = by_id.get(request.query_params.get("imported", ""))
    if imp is None:
        return None
    return imp | {"label": SOURCES[imp["source"]].label if imp["source"] in SOURCES else imp["source"],
                  "replaced": by_id.get(request.query_params.get("replaced", ""))}


def _imports_page(request: Request, services: Services, principal: Principal, *,
                  upload: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """Every release imported, newest first, and an upload form per source; ``upload``: a refused
    upload (its source, the release name and file name typed, the problems)."""
    imports = list_imports(services, principal)
    return render(request, "awareness/imports.html",
                  {"imports": imports, "sources": list(SOURCES.values()) if may_import(principal) else [],
                   "upload": upload, "names": _SOURCE_NAMES,
                   "imported": None if upload else _imported(request, imports)},
                  principal=principal, status_code=status_code)


@router.get("/awareness/imports")
def imports_page(request: Request, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    return _imports_page(request, services, principal)


def _import_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                    problem: ValidationProblem, source: str, *, filename: str | None = None) -> Response:
    """The imports page again: the source's form keeps the release name typed (a browser cannot
    choose the file again for the analyst: the page names it), each problem beside its field."""
    upload = {"source": source, "release": typed.get("release", ""), "filename": filename,
              "errors": list(problem.problems)}
    return _imports_page(request, services, principal, upload=upload, status_code=422)


async def _release_text(upload: Any) -> str:
    """The uploaded release as text (UTF-8, as the API reads its body), or a problem naming the
    file field."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationProblem.one("file", "choose the release's CSV file")
    raw = await upload.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationProblem.one("file", "the file is not UTF-8 text") from None


@router.post("/awareness/imports/{source}")
@refused_form_page(_import_refused)
async def import_release(source: str, request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """Import a release of ``source`` uploaded as a file (``POST /api/v1/awareness/imports/{source}``):
    every row or none."""
    # the releases before this one: the page names the one it replaces (reading them refuses a
    # user who is no analyst; import_release refuses a state's analyst)
    before = await run_in_threadpool(list_imports, services, principal)
    form = await request.form()
    typed = typed_text(form)
    upload = form.get("file")
    filename = upload.filename if isinstance(upload, UploadFile) else None
    try:
        text = await _release_text(upload)
        imp = await run_in_threadpool(awareness.import_release, services, principal, source, text,
                                      typed.get("release", ""))
    except ValidationProblem as exc:
        return _import_refused(request, services, principal, typed, exc, source, filename=filename)
    replaced = next((i["id"] for i in before if i["source"] == source), "")
    return RedirectResponse(f"/awareness/imports?{urlencode({'imported': imp['id'], 'replaced': replaced})}#imported",
                            status_code=303)


# --- backtests and forecasts

#: the horizon a backtest form offers first (the API's default)
_HORIZON = 3


def _forecasts_page(request: Request, services: Services, principal: Principal, *,
                    backtest: dict[str, Any] | None = None, run_errors: list[tuple[str, str]] | None = None,
                    trial: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """Each route's model and latest forecast (the chart and table are on the route's page, linked),
    the backtests stored, and the forms to run a backtest and the forecasts; ``backtest``: a
    refused backtest (the form as typed and its problems)."""
    data = awareness.dashboard(services, principal)
    routes = [{"route": r["route"], "href": _ROUTE_PAGE + quote(r["route"]), "last_month": r["last_month"],
               "chosen_model": r["chosen_model"], "forecast": r["forecast"],
               "mase_ratio": r["backtest"]["mase_ratio"] if r["backtest"] else None} for r in data["routes"]]
    backtests = awareness.list_backtests(services, principal)
    for b in backtests:
        b["href"] = _ROUTE_PAGE + quote(b["route"])
    asked = request.query_params.get("route", "")
    form = backtest["form"] if backtest else {
        "route": asked if any(r["route"] == asked for r in routes) else "", "horizon": str(_HORIZON),
        "first_origin": FIRST_ORIGIN}
    if trial:
        form = trial["form"]
    done = None if backtest or run_errors or trial else _forecasts_done(request, routes, backtests)
    return render(request, "awareness/forecasts.html",
                  {"routes": routes, "backtests": backtests, "form": form,
                   "errors": backtest["errors"] if backtest else [], "run_errors": run_errors or [],
                   "done": done, "first_origin": FIRST_ORIGIN, "horizon": _HORIZON,
                   "trial": trial, "stores": may_store_shared(principal),
                   "min_origins": MIN_STORED_ORIGINS},
                  principal=principal, status_code=status_code)


def _forecasts_done(request: Request, routes: list[dict[str, Any]],
                    backtests: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What the last run did, from the address it redirected to: ``?backtested=<route>&horizon=<h>``
    or ``?forecasts=<n>&routes=<n>``."""
    q = request.query_params
    if _SHOWN.fullmatch(q.get("forecasts", "")) and _SHOWN.fullmatch(q.get("routes", "")):
        return {"forecasts": int(q["forecasts"]), "routes": int(q["routes"])}
    route, horizon = q.get("backtested"), q.get("horizon", "")
    found = next((b for b in backtests if b["route"] == route and str(b["horizon"]) == horizon), None)
    if found is None:
        return None
    model = next((r["chosen_model"] for r in routes if r["route"] == route), None)
    return {"backtest": found, "route_model": model}


@router.get("/awareness/forecasts")
def forecasts_page(request: Request, services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    return _forecasts_page(request, services, principal)


def _backtest_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                      problem: ValidationProblem) -> Response:
    form = {"route": typed.get("route", ""), "horizon": typed.get("horizon", ""),
            "first_origin": typed.get("first_origin", "")}
    return _forecasts_page(request, services, principal, status_code=422,
                           backtest={"form": form, "errors": list(problem.problems)})


def _backtest_form(typed: Mapping[str, str]) -> tuple[int, str]:
    """The backtest form's horizon and first origin (blank: 2016-01), every problem of the three
    fields at once, each beside its field: the route chosen (one of the routes), the horizon (a
    whole number of months from 1 to 6), the first origin (a month YYYY-MM). The service then checks
    the first origin against the route's months."""
    problems: list[tuple[str, str]] = []
    route = typed.get("route", "")
    if not route.strip():
        problems.append(("route", "choose a route"))
    elif route not in route_names():
        problems.append(("route", f"no route named {shortened(route)!r}; routes: {', '.join(route_names())}"))
    horizon = 0
    try:
        horizon = required_whole_number(typed, "horizon")
    except ValidationProblem as exc:
        problems += exc.problems
    else:
        if not 1 <= horizon <= 6:
            problems.append(("horizon", "must be between 1 and 6 months"))
    first_origin = typed.get("first_origin", "").strip() or FIRST_ORIGIN
    if not is_month(first_origin):
        problems.append(("first_origin", f"{shortened(first_origin)!r} is not a month YYYY-MM"))
    if problems:
        raise ValidationProblem(problems)
    return horizon, first_origin


@router.post("/awareness/backtests")
@refused_form_page(_backtest_refused)
async def run_backtest(request: Request, services: Services = Depends(get_services),
                       principal: Principal = Depends(web_principal)) -> Response:
    """A rolling-origin backtest of one route, stored with the model it chooses
    (``POST /api/v1/awareness/backtests``)."""
    form = await request.form()
    typed = typed_text(form)
    route = typed.get("route", "")
    # a Member State's analyst runs it without storing it: the stored choice is every analyst's
    store = may_store_shared(principal)
    try:
        horizon, first_origin = _backtest_form(typed)
        result = await run_in_threadpool(lambda: awareness.run_backtest(services, principal, route, horizon,
                                                                        store=store, first_origin=first_origin))
    except ValidationProblem as exc:
        return _backtest_refused(request, services, principal, typed, exc)
    except NotFound as exc:  # a route that is not one: said beside the route's field
        return _backtest_refused(request, services, principal, typed, ValidationProblem.one("route", str(exc)))
    if not store:  # nothing stored to return to: the page shows the result itself
        form_typed = {"route": route, "horizon": str(horizon), "first_origin": first_origin}
        return _forecasts_page(request, services, principal,
                               trial={"form": form_typed, "result": result.model_dump(),
                                      "mase_ratio": round(result.mase_ratio, 4),
                                      "first_origin": first_origin, "href": _ROUTE_PAGE + quote(route)})
    query = urlencode({"backtested": route, "horizon": horizon})
    return RedirectResponse(f"/awareness/forecasts?{query}#done", status_code=303)


def _forecasts_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                       problem: ValidationProblem) -> Response:
    return _forecasts_page(request, services, principal, run_errors=list(problem.problems), status_code=422)


@router.post("/awareness/forecasts")
@refused_form_page(_forecasts_refused)
async def run_forecasts(request: Request, services: Services = Depends(get_services),
                        principal: Principal = Depends(web_principal)) -> Response:
    """Forecast every backtested route and its top nationalities (``POST /api/v1/awareness/forecasts``)."""
    made = await run_in_threadpool(awareness.refresh_forecasts, services, principal)
    routes = sum(1 for f in made if f.nationality is None)
    return RedirectResponse(f"/awareness/forecasts?forecasts={len(made)}&routes={routes}#done", status_code=303)
