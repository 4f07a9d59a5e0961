"""Situational awareness pages: the route map dashboard, a route's forecast and backtest
evidence, alert acknowledgement, and the weekly situational report (page and PDF)."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from datetime import timedelta
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from pactum.api.deps import get_services
from pactum.awareness import charts
from pactum.awareness.periods import parse_week, week_of
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.services import awareness
from pactum.services.auth import Principal, Role
from pactum.services.awareness import report as weekly
from pactum.services.awareness.series import TOPOJSON, data_path
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, required_whole_number, typed_text
from pactum.web.render import NavItem, render, web_principal

router = APIRouter()
_ROUTE_PAGE = "/awareness/routes/"
NAV = [
    NavItem("Awareness", "/awareness", {Role.analyst, Role.admin}, order=60),
    NavItem("Weekly report", "/awareness/report", {Role.analyst, Role.admin}, order=61),
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


@router.get("/awareness/countries.topo.json")
def topojson(principal: Principal = Depends(web_principal)) -> Response:
    return FileResponse(data_path(TOPOJSON), media_type="application/json")


def _acknowledged(request: Request, services: Services, principal: Principal, *,
                  on_route_page: bool = False) -> dict[str, Any] | None:
    """The alert just acknowledged (``?acknowledged=<id>`` after the redirect), to say so on the
    page it was acknowledged from: it has left the open alerts."""
    alert_id = request.query_params.get("acknowledged")
    if not alert_id:
        return None
    found = next((a for a in awareness.list_alerts(services, principal) if a.id == alert_id), None)
    if found is None or found.acknowledged_at is None:
        return None
    out = found.model_dump(mode="json")
    out["href"] = _ROUTE_PAGE + quote(found.route)
    out["on_route_page"] = on_route_page
    return out


def _dashboard(request: Request, services: Services, principal: Principal, *,
               ack: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    data = awareness.dashboard(services, principal)
    for a in data["alerts"]:
        a["href"] = _ROUTE_PAGE + quote(a["route"]) if a["route"] in ROUTE_MARKERS else None
    for r in data["routes"]:
        r["sparkline_spec"] = sparkline_spec(r["sparkline"])
        r["href"] = "/awareness/routes/" + quote(r["route"])
    return render(request, "awareness/dashboard.html",
                  {"data": data, "map_spec": map_spec(data["routes"]),
                   "week": week_of(services.clock.now().date()).label, "ack": ack,
                   "acknowledged": None if ack else _acknowledged(request, services, principal)},
                  principal=principal, status_code=status_code)


@router.get("/awareness")
def dashboard_page(request: Request, services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    return _dashboard(request, services, principal)


def _route(request: Request, services: Services, principal: Principal, route: str, *,
           ack: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    r = awareness.get_route(services, principal, route)
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



def _back(typed: Mapping[str, str]) -> str:
    """The page the acknowledgement was sent from (the dashboard or a route's page), where it
    returns; the dashboard for anything else."""
    back = typed.get("next") or ""
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
    return RedirectResponse(f"{_back(typed)}?acknowledged={quote(alert_id)}#acknowledged", status_code=303)


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
