"""Reception pages: the EU overview (EUAA, Commission and Frontex analysts; a state's users see
their own state), a state's page with its history chart, a report with its versions, and the
forms a state's caseworker or administrator records and corrects a report with. Each page calls
the service function the API route calls; a refused form is shown again with what was typed and
a message at each refused field."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, ValidationProblem
from pactum.reception.model import (
    CONTINGENCY_LABELS,
    FACILITY_TYPES,
    FIGURES,
    NOT_ACCOMMODATED,
    PERIOD_LABELS,
    ReportCorrection,
    ReportCreate,
)
from pactum.reception.rules import percent
from pactum.services import reception
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.web.forms import parse_whole_number, refused_form_page, typed_text
from pactum.web.render import NavItem, by_field, field_problems, render, web_principal

router = APIRouter()
Svc = Depends(get_services)
Who = Depends(web_principal)
NAV = [NavItem("Reception", "/reception", set(reception.READ_ROLES), order=45)]

FORM_CONTEXT: dict[str, Any] = {
    "types": FACILITY_TYPES, "not_accommodated": NOT_ACCOMMODATED, "plans": CONTINGENCY_LABELS,
    "periods": PERIOD_LABELS,
}


def _filters(request: Request) -> tuple[dict[str, str], dict[str, Any], list[tuple[str, str]]]:
    """The overview's and state page's query (as typed), the values read, and the problems."""
    q = {k: request.query_params.get(k, "").strip() for k in ("on", "threshold", "overdue_weeks")}
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    if q["on"]:
        try:
            values["on"] = date.fromisoformat(q["on"])
        except ValueError:
            problems.append(("on", f"'{q['on'][:20]}' is not a date (YYYY-MM-DD)"))
    if q["threshold"]:
        try:
            values["threshold"] = float(q["threshold"].rstrip("%")) / 100
        except ValueError:
            problems.append(("threshold", f"'{q['threshold'][:20]}' is not a percentage"))
    if q["overdue_weeks"]:
        try:
            values["overdue_weeks"] = parse_whole_number(q["overdue_weeks"], "overdue_weeks")
        except ValidationProblem as exc:
            problems.extend(exc.problems)
    return q, values, problems


@router.get("/reception", response_class=HTMLResponse)
def overview_page(request: Request, services: Services = Svc, principal: Principal = Who) -> HTMLResponse:
    q, values, problems = _filters(request)
    data = None
    if not problems:
        try:
            data = reception.overview(services, principal, **values)
        except ValidationProblem as exc:
            problems = list(exc.problems)
    if data is None:  # the filters as typed, with their messages, and the page for the defaults
        data = reception.overview(services, principal)
    return render(request, "reception/overview.html", {
        "o": data, "q": q, "by_field": by_field(problems), "percent": percent,
        "may_record": reception.may_record(principal),
    }, principal=principal, status_code=422 if problems else 200)


@router.get("/reception/states/{member_state}", response_class=HTMLResponse)
def state_page(request: Request, member_state: str, services: Services = Svc,
               principal: Principal = Who) -> HTMLResponse:
    q, values, problems = _filters(request)
    level = values.get("threshold") if not problems else None
    try:
        data = reception.state_history(services, principal, member_state, threshold=level)
    except ValidationProblem as exc:
        problems = list(exc.problems)
        data = reception.state_history(services, principal, member_state)
    return render(request, "reception/state.html", {
        "s": data, "q": q, "by_field": by_field(problems), "percent": percent,
        "may_record": reception.may_record(principal) and principal.member_state == data["member_state"],
    }, principal=principal, status_code=422 if problems else 200)


@router.get("/reception/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, services: Services = Svc,
                principal: Principal = Who) -> HTMLResponse:
    report = reception.get_report(services, principal, report_id)
    return _report_page(request, principal, report)


def _report_page(request: Request, principal: Principal, report: dict[str, Any], *,
                 typed: dict[str, str] | None = None, problems: list[tuple[str, str]] | None = None,
                 status_code: int = 200) -> HTMLResponse:
    may = reception.may_record(principal) and principal.member_state == report["member_state"]
    values = typed if typed is not None else {**{k: str(v) for k, v in report["figures"].items()},
                                               "contingency_plan": report["contingency_plan"],
                                               "note": report["note"] or "", "version": str(report["version"])}
    return render(request, "reception/report.html", {
        **FORM_CONTEXT, "r": report, "percent": percent, "may_correct": may, "values": values,
        "by_field": by_field(problems or []), "problems": problems or [],
    }, principal=principal, status_code=status_code)


def _read_form(form: Any, model: type[ReportCreate] | type[ReportCorrection],
               extra: tuple[str, ...]) -> ReportCreate | ReportCorrection:
    """The form's figures read as whole numbers (a figure left blank is 0), then the model: every
    refused field is named, not only the first."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name in FIGURES:
        raw = str(form.get(name) or "").strip()
        if not raw:
            continue
        try:
            data[name] = parse_whole_number(raw, name)
        except ValidationProblem as exc:
            problems.extend(exc.problems)
    for name in ("contingency_plan", "note", *extra):
        raw = str(form.get(name) or "")
        if raw.strip() or name == "reason":
            data[name] = raw
    try:
        body = model.model_validate(data)
    except ValidationError as exc:
        problems.extend((f, m) for f, m in field_problems(exc) if f not in {p[0] for p in problems})
        raise ValidationProblem(problems) from None
    if problems:
        raise ValidationProblem(problems)
    return body


def _new_page(request: Request, principal: Principal, typed: dict[str, str],
              problems: list[tuple[str, str]] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, "reception/new.html", {
        **FORM_CONTEXT, "values": typed, "by_field": by_field(problems or []), "problems": problems or [],
        "member_state": principal.member_state,
    }, principal=principal, status_code=status_code)


@router.get("/reception/report", response_class=HTMLResponse)
def new_report_form(request: Request, services: Services = Svc, principal: Principal = Who) -> HTMLResponse:
    reception.require_recorder(principal)
    typed = {"reported_on": services.clock.today().isoformat(), "period": "week", "contingency_plan": "in_place"}
    latest = reception.state_history(services, principal, principal.member_state or "")["latest"]
    if latest is not None:  # start from the figures of the latest report: a week changes a few
        typed.update({k: str(v) for k, v in latest["figures"].items()}, contingency_plan=latest["contingency_plan"],
                     period=latest["period"])
    return _new_page(request, principal, typed)


def _new_refused(request: Request, services: Services, principal: Principal, typed: Any,
                 problem: ValidationProblem) -> HTMLResponse:
    return _new_page(request, principal, dict(typed), list(problem.problems), 422)


@router.post("/reception/report", response_class=HTMLResponse)
@refused_form_page(_new_refused)
async def new_report_submit(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        body = _read_form(form, ReportCreate, ("reported_on", "period"))
        report = reception.record_report(services, principal, body)  # type: ignore[arg-type]
    except ValidationProblem as exc:
        return _new_page(request, principal, typed, list(exc.problems), 422)
    except Conflict as exc:
        return _new_page(request, principal, typed, [("reported_on", str(exc))], 409)
    return RedirectResponse(f"/reception/reports/{report['id']}", status_code=303)


def _correction_refused(request: Request, services: Services, principal: Principal, typed: Any,
                        problem: ValidationProblem, report_id: str) -> HTMLResponse:
    report = reception.get_report(services, principal, report_id)
    return _report_page(request, principal, report, typed=dict(typed), problems=list(problem.problems),
                        status_code=422)


@router.post("/reception/reports/{report_id}/correction", response_class=HTMLResponse)
@refused_form_page(_correction_refused)
async def correction_submit(request: Request, report_id: str, services: Services = Svc,
                            principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        body = _read_form(form, ReportCorrection, ("version", "reason"))
        reception.correct_report(services, principal, report_id, body)  # type: ignore[arg-type]
    except ValidationProblem as exc:
        report = reception.get_report(services, principal, report_id)
        return _report_page(request, principal, report, typed=typed, problems=list(exc.problems), status_code=422)
    except Conflict as exc:
        report = reception.get_report(services, principal, report_id)
        return _report_page(request, principal, report, typed=typed, problems=[("version", str(exc))],
                            status_code=409)
    return RedirectResponse(f"/reception/reports/{report_id}", status_code=303)
