"""Situational awareness API: dashboard, routes with forecasts and backtests, alerts, imports, the
weekly report. Thin: each route calls one function of :mod:`pactum.services.awareness`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from pactum.api.deps import current_principal, get_services
from pactum.awareness.alerts import AlertSettings
from pactum.awareness.schemas import AlertAcknowledge, AlertOut, BacktestResult
from pactum.common.json_types import JsonBody
from pactum.services import awareness
from pactum.services.auth import Principal
from pactum.services.awareness import report as weekly
from pactum.services.bootstrap import Services

router = APIRouter(prefix="/awareness", tags=["awareness"])
Svc = Depends(get_services)
Who = Depends(current_principal)


class BacktestRequest(BaseModel):
    """A backtest to run. ``store`` (default true, as the CLI's ``--store``): record the result and
    the model it chooses for every analyst (an EU body's analyst); false runs it without storing it
    (any analyst, as the CLI's ``--no-store`` and a state analyst's web form). Any other field is
    refused."""

    model_config = ConfigDict(extra="forbid")

    route: str
    horizon: int = Field(3, ge=1, le=6)
    first_origin: str = Field("2016-01", pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    store: bool = True


class EvaluateRequest(BaseModel):
    """The early-warning settings (any other field is refused)."""

    model_config = ConfigDict(extra="forbid")

    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    rise_pct: float = Field(50.0, gt=0)
    baseline_months: int = Field(3, ge=1, le=12)
    min_volume: float = Field(500.0, ge=0)


@router.get("/dashboard")
def dashboard(services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Every route with its latest month, changes, sparkline, chosen model, forecast and alerts."""
    return awareness.dashboard(services, principal)


@router.get("/routes/{route}")
def route_detail(route: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return awareness.get_route(services, principal, route)


@router.get("/backtests")
def backtests(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    return awareness.list_backtests(services, principal)


@router.post("/backtests", status_code=201)
def run_backtest(body: JsonBody[BacktestRequest], response: Response, services: Services = Svc,
                 principal: Principal = Who) -> BacktestResult:
    """Run a rolling-origin backtest for one route and record the model it chooses (201); with
    ``"store": false`` run it without recording anything (200)."""
    result = awareness.run_backtest(services, principal, body.route, body.horizon, store=body.store,
                                    first_origin=body.first_origin)
    if not body.store:
        response.status_code = 200
    return result


@router.post("/forecasts")
def forecasts(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    return [f.model_dump() for f in awareness.refresh_forecasts(services, principal)]


@router.get("/alerts")
def alerts(open: bool = False, route: str | None = None, status: str | None = None, source: str | None = None,
           month: str | None = None, services: Services = Svc, principal: Principal = Who) -> list[AlertOut]:
    """The alerts the analyst sees, newest month first: ``open=true`` (or ``status=open``) not yet
    acknowledged, ``status=acknowledged`` acknowledged; ``route`` one route's (or a platform
    series' ``Inland (no route)``, ``Route not recorded``); ``source`` ``frontex``, ``platform`` or ``platform:XX``; ``month`` (``YYYY-MM``) the
    alerts on that month. A filter naming no route, status, source or month is refused (422 naming
    it)."""
    return awareness.list_alerts(services, principal, open_only=open, route=route, status=status, source=source,
                                 month=month)


@router.get("/arrivals.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "Detections by route and month as CSV"}})
def arrivals_csv(services: Services = Svc, principal: Principal = Who) -> Response:
    """The Frontex detections by route and month of the release read, as CSV: route, month,
    detections, release."""
    day = services.clock.today().isoformat()
    return Response(awareness.arrivals_csv(services, principal), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="arrivals-by-route-{day}.csv"'})


@router.post("/alerts/evaluate")
def evaluate(body: JsonBody[EvaluateRequest], services: Services = Svc, principal: Principal = Who) -> list[AlertOut]:
    settings = AlertSettings(rise_pct=body.rise_pct, baseline_months=body.baseline_months, min_volume=body.min_volume)
    return awareness.evaluate_alerts(services, principal, settings, body.month)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(alert_id: str, body: JsonBody[AlertAcknowledge], services: Services = Svc, principal: Principal = Who) -> AlertOut:
    return awareness.acknowledge_alert(services, principal, alert_id, body.version, body.note)


@router.post("/refresh")
async def refresh(request: Request, full: bool = False, services: Services = Svc,
                  principal: Principal = Who) -> dict[str, Any]:
    """Recompute the platform's monthly figures (``?full=true``: from the first month, not only the
    months that changed). The request has no body: a body such as ``{"full": true}`` is refused
    rather than ignored. The figures are shared by every state: an EU body's analyst refreshes them
    (a Member State's analyst: 403)."""
    if (await request.body()).strip():
        raise RequestValidationError([{"loc": ("body",), "type": "value_error",
                                       "msg": "the refresh takes no body: ask for a full refresh with ?full=true"}])
    return await run_in_threadpool(awareness.refresh, services, principal, full=full)


@router.get("/imports")
def imports(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    from pactum.services.awareness.service import list_imports

    return list_imports(services, principal)


@router.post("/imports/{source}", status_code=201)
async def import_release(
    source: str, request: Request, release: str = Query(..., min_length=1),
    services: Services = Svc, principal: Principal = Who,
) -> dict[str, Any]:
    """Import a release (CSV body) of ``frontex``, ``eurostat`` or ``unhcr``: all rows or none."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        from pactum.common.errors import ValidationProblem

        raise ValidationProblem.one("body", "the file is not UTF-8 text") from None
    return awareness.import_release(services, principal, source, text, release)


@router.get("/reports/{week}")
def report(week: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The weekly situational report's content (ISO week, e.g. 2026-W47)."""
    return weekly.build(services, principal, week)


@router.get("/reports/{week}/pdf")
def report_pdf(week: str, services: Services = Svc, principal: Principal = Who) -> Response:
    rep = weekly.build(services, principal, week)
    return Response(weekly.pdf_bytes(rep), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="situational-report-{rep["week"]["label"]}.pdf"'})
