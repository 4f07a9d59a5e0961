"""Reception pages: the EU overview (EUAA, Commission and Frontex analysts and the auditor; a
state's users see their own state) with the occupancy by reporting week, a state's page with its
history chart and CSV, a report with its versions, and the forms a state's caseworker or
administrator records, corrects and withdraws a report with. Each page calls the service function
the API route calls; a refused form is shown again with what was typed and a message at each
refused field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, ValidationProblem
from pactum.common.states import member_state as state_code
from pactum.common.text import shortened
from pactum.reception import conditions as cond
from pactum.reception import csvfile, rules
from pactum.reception.model import (
    CONTINGENCY_LABELS,
    FACILITY_TYPES,
    FIGURES,
    NOT_ACCOMMODATED,
    PERIOD_LABELS,
    ReportCorrection,
    ReportCreate,
    ReportWithdrawal,
)
from pactum.reception.rules import CONTINGENCY_BASIS, percent, series_spec
from pactum.registry.local_time import state_today
from pactum.services import reception, reception_conditions, responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.web.forms import (
    MAX_UPLOAD_BYTES,
    parse_whole_number,
    refused_form_page,
    typed_text,
    uploaded_text,
)
from pactum.web.render import TEMPLATES, NavItem, by_field, field_problems, render, web_principal

router = APIRouter()
Svc = Depends(get_services)
Who = Depends(web_principal)
#: Two entries for one page: an EU body's analysts and the auditor read every state's reports; a
#: state's caseworker and administrator their own (an EU body's administrator does not read them).
#: A user holding roles of both (a state's caseworker who is also an analyst) sees it once.
NAV = [NavItem("Reception", "/reception", set(reception.EU_READ_ROLES), order=45),
       NavItem("Reception", "/reception", set(reception.READ_ROLES) - set(reception.EU_READ_ROLES), order=45,
               national=True)]

#: How the forms' summaries name a field: by its label on the form, not its code.
FIELD_LABELS: dict[str, str] = {
    "reported_on": "Figures on", "period": "Reporting period",
    **{f"{t.code}_places": f"{t.label}: places" for t in FACILITY_TYPES},
    **{f"{t.code}_accommodated": f"{t.label}: persons accommodated" for t in FACILITY_TYPES},
    **dict(NOT_ACCOMMODATED),
    "contingency_plan": "Contingency plan", "note": "Note", "reason": "Reason for the correction",
    "version": "Version corrected", "file": "The CSV file", "text": "The CSV file's text",
    "withdrawal_reason": "Reason for the withdrawal",
    "threshold": "Pressure threshold", "on": "Reports on or before", "overdue_weeks": "Overdue after (weeks)",
}

#: The types of facility by code, as a flag's badge names them.
FACILITY_LABELS = {t.code: t.label for t in FACILITY_TYPES}


def flag_words(flag: Mapping[str, Any]) -> str:
    """A report's flag as its badge says it: the flag and the type of facility it is about
    ("over capacity: Open accommodation"), so that two types over capacity are two badges told
    apart by their words, not by a tooltip only a mouse reaches."""
    what = str(flag["code"]).replace("_", " ")
    label = FACILITY_LABELS.get(flag.get("facility") or "")
    return f"{what}: {label}" if label else what


TEMPLATES.env.filters["flag_words"] = flag_words

FORM_CONTEXT: dict[str, Any] = {
    "types": FACILITY_TYPES, "not_accommodated": NOT_ACCOMMODATED, "plans": CONTINGENCY_LABELS,
    "periods": PERIOD_LABELS, "labels": FIELD_LABELS, "contingency_basis": CONTINGENCY_BASIS,
}


def threshold_hint() -> str:
    """The threshold field's hint, worded from the default in use (``rules.DEFAULT_THRESHOLD``, the
    monitoring choice the service applies when none is typed, :func:`reception.check_threshold`):
    its example is that default, in both forms the field reads, so the hint cannot contradict it."""
    default = rules.DEFAULT_THRESHOLD
    return f"share of places, default {default:g} or {round(default * 100, 1):g}%"


#: The largest CSV file the import page takes (MAX_ROWS weekly reports are some 80 KB).
MAX_IMPORT_BYTES = MAX_UPLOAD_BYTES


def read_threshold(raw: str) -> float:
    """A threshold typed in a page's address or filter: a share of the places (``0.9`` is 90%), as
    in the API and the CLI; a number with a percent sign is read as a percentage (``85%``). Out of
    range (``85`` without a sign) is the service's refusal, naming ``threshold``."""
    text = raw.strip().replace(",", ".")
    percent_sign = text.endswith("%")
    number = float(text.rstrip("%").strip())
    return number / 100 if percent_sign else number


def threshold_refused(raw: str, exc: ValidationProblem) -> list[tuple[str, str]]:
    """The service's refusal of a threshold typed on a page, said of what was typed: a percentage
    (``8500%``) is refused as a percentage, not as the share it was read as ("85 is not a share ..."
    answered ``8500%``); a share that reads as a percentage (``85``) adds the page's other form."""
    text = raw.strip().replace(",", ".")
    if text.endswith("%"):
        return [("threshold", f"{shortened(raw.strip(), 20)} is not a percentage above 0% and at most "
                              f"{round(reception.MAX_THRESHOLD * 100):g}% (such as "
                              f"{round(rules.DEFAULT_THRESHOLD * 100, 1):g}%, the default)")]
    out = []
    for field, message in exc.problems:
        if field == "threshold" and ": for " in message:
            message += f", or type {shortened(text, 20)}%"
        out.append((field, message))
    return out


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
            values["threshold"] = reception.check_threshold(read_threshold(q["threshold"]))
        except ValueError:
            problems.append(("threshold", f"'{shortened(q['threshold'], 20)}' is not a number: give a share of "
                                          f"the places ({reception.threshold_example()}) or a percentage "
                                          f"({round(rules.DEFAULT_THRESHOLD * 100, 1):g}%)"))
        except ValidationProblem as exc:
            problems.extend(threshold_refused(q["threshold"], exc))
    if q["overdue_weeks"]:
        try:
            # its range checked here too: refused beside a bad date or threshold, not only after
            values["overdue_weeks"] = reception.check_overdue_weeks(
                parse_whole_number(q["overdue_weeks"], "overdue_weeks"))
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
        "o": data, "q": q, "by_field": by_field(problems), "percent": percent, "labels": FIELD_LABELS,
        "threshold_hint": threshold_hint(),
        "may_record": reception.may_record(principal),
        "conditions": reception_conditions.counts(services, principal),
        "series_chart": series_spec(data["scope"], data["series"], data["threshold"]) if data["series"] else None,
    }, principal=principal, status_code=422 if problems else 200)


def _csv_or_refusal(make: Any, name: str) -> Response:
    """The CSV ``make()`` writes, or a 422 in plain text naming each filter that cannot be read."""
    try:
        text = make()
    except ValidationProblem as exc:
        said = "; ".join(f"{FIELD_LABELS.get(f, f)}: {m}" for f, m in exc.problems)
        return Response(said + "\n", status_code=422, media_type="text/plain; charset=utf-8")
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/reception/series.csv")
def series_csv(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    """The occupancy by reporting week the overview shows, up to its date, as CSV (the file of
    ``GET /api/v1/reception/series.csv``)."""
    _, values, problems = _filters(request)
    problems = [p for p in problems if p[0] == "on"]

    def make() -> str:
        if problems:
            raise ValidationProblem(problems)
        return reception.occupancy_series_csv(services, principal, on=values.get("on"))

    day = (values.get("on") or state_today(services.clock.now(), principal.member_state)).isoformat()
    return _csv_or_refusal(make, f"reception-occupancy-by-week-{day}.csv")


@router.get("/reception/states/{member_state}/history.csv")
def state_csv(request: Request, member_state: str, services: Services = Svc,
              principal: Principal = Who) -> Response:
    """A state's reports as CSV, one row per report, the oldest first (the file of
    ``GET /api/v1/reception/states/{member_state}/history.csv``), with the page's threshold."""
    _, values, problems = _filters(request)
    problems = [p for p in problems if p[0] == "threshold"]

    def make() -> str:
        if problems:
            raise ValidationProblem(problems)
        return reception.state_history_csv(services, principal, member_state, threshold=values.get("threshold"))

    try:
        code = state_code(member_state)
    except ValueError:  # the service says it: no Member State
        code = "XX"
    return _csv_or_refusal(make, f"reception-{code}-history.csv")


@router.get("/reception/overview.csv")
def overview_csv(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    """The overview the page shows, with the page's filters, as CSV (the file of
    ``GET /api/v1/reception/overview.csv``); a filter that cannot be read is 422 naming it."""
    _, values, problems = _filters(request)

    def make() -> str:
        if problems:
            raise ValidationProblem(problems)
        return reception.overview_csv(services, principal, **values)

    day = (values.get("on") or state_today(services.clock.now(), principal.member_state)).isoformat()
    return _csv_or_refusal(make, f"reception-overview-{day}.csv")


@router.get("/reception/states/{member_state}", response_class=HTMLResponse)
def state_page(request: Request, member_state: str, services: Services = Svc,
               principal: Principal = Who) -> HTMLResponse:
    q, values, problems = _filters(request)
    # the page's one filter is the threshold: a date or a number of weeks it does not take (the
    # overview's) is not refused with a message the page has no field to show
    problems = [p for p in problems if p[0] == "threshold"]
    level = values.get("threshold") if not problems else None
    try:
        data = reception.state_history(services, principal, member_state, threshold=level)
    except ValidationProblem as exc:
        problems = list(exc.problems)
        data = reception.state_history(services, principal, member_state)
    withdrawn_id = request.query_params.get("withdrawn", "")
    return render(request, "reception/state.html", {
        "s": data, "q": q, "by_field": by_field(problems), "percent": percent, "threshold_hint": threshold_hint(),
        "may_record": reception.may_record(principal) and principal.member_state == data["member_state"],
        "just_withdrawn": next((w for w in data["withdrawn"] if w["id"] == withdrawn_id), None),
    }, principal=principal, status_code=422 if problems else 200)


@router.get("/reception/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, services: Services = Svc,
                principal: Principal = Who) -> HTMLResponse:
    report = reception.get_report(services, principal, report_id)
    return _report_page(request, principal, report)


def _report_page(request: Request, principal: Principal, report: dict[str, Any], *,
                 typed: dict[str, str] | None = None, problems: list[tuple[str, str]] | None = None,
                 withdrawal: dict[str, str] | None = None,
                 withdrawal_problems: list[tuple[str, str]] | None = None,
                 status_code: int = 200) -> HTMLResponse:
    """A report's page; ``typed``/``problems``: the correction form as typed and why it was refused;
    ``withdrawal``/``withdrawal_problems``: the same of the withdrawal form (its own messages)."""
    may = reception.may_record(principal) and principal.member_state == report["member_state"]
    values = typed if typed is not None else {**{k: str(v) for k, v in report["figures"].items()},
                                               "contingency_plan": report["contingency_plan"],
                                               "note": report["note"] or "", "version": str(report["version"])}
    said = [(("withdrawal_reason" if f == "reason" else f), m) for f, m in (withdrawal_problems or [])]
    return render(request, "reception/report.html", {
        **FORM_CONTEXT, "r": report, "percent": percent, "may_correct": may, "values": values,
        "by_field": by_field(problems or []), "problems": problems or [],
        "withdrawal": withdrawal or {"version": str(report["version"])},
        "w_by_field": by_field(said), "withdrawal_problems": said,
    }, principal=principal, status_code=status_code)


def _read_form(form: Any, model: type[ReportCreate] | type[ReportCorrection],
               extra: tuple[str, ...]) -> ReportCreate | ReportCorrection:
    """The form's figures read as whole numbers, then the model: every refused field is named, not
    only the first. The form shows every figure, so what it shows is what is recorded: a figure
    left blank is 0 and a blank note is no note, in a correction as in a new report."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name in FIGURES:
        raw = str(form.get(name) or "").strip()
        if not raw:
            data[name] = 0
            continue
        try:
            data[name] = parse_whole_number(raw, name)
        except ValidationProblem as exc:
            problems.extend(exc.problems)
    for name in ("contingency_plan", "note", *extra):
        raw = str(form.get(name) or "")
        if raw.strip() or name in ("reason", "note"):
            data[name] = raw if name != "note" or raw.strip() else None
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
    # the state's day, the one the report's date is checked against (reception.record_report)
    typed = {"reported_on": state_today(services.clock.now(), principal.member_state).isoformat(), "period": "week",
             "contingency_plan": "in_place"}
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
    except Conflict:
        # The form keeps what was typed and now corrects the report as it stands (shown above it):
        # sending it again is a deliberate correction of the newer version.
        report = reception.get_report(services, principal, report_id)
        return _report_page(request, principal, report, typed={**typed, "version": str(report["version"])},
                            problems=[("", f"the report was changed since this page was opened (now version "
                                              f"{report['version']}): check it above; the form keeps what you "
                                              "typed and now corrects that version")], status_code=409)
    return RedirectResponse(f"/reception/reports/{report_id}", status_code=303)


def _withdrawal_refused(request: Request, services: Services, principal: Principal, typed: Any,
                        problem: ValidationProblem, report_id: str) -> HTMLResponse:
    report = reception.get_report(services, principal, report_id)
    return _report_page(request, principal, report, withdrawal=dict(typed), withdrawal_problems=list(problem.problems),
                        status_code=422)


@router.post("/reception/reports/{report_id}/withdrawal", response_class=HTMLResponse)
@refused_form_page(_withdrawal_refused)
async def withdrawal_submit(request: Request, report_id: str, services: Services = Svc,
                            principal: Principal = Who) -> Response:
    """Withdraw the report (its state's caseworker or administrator, with a reason, of the version
    shown): then the state's page, which lists it as withdrawn; the right report is recorded anew."""
    form = await request.form()
    typed = {"version": str(form.get("version") or ""), "reason": str(form.get("reason") or "")}
    try:
        try:
            body = ReportWithdrawal.model_validate(typed)
        except ValidationError as exc:
            raise ValidationProblem(field_problems(exc)) from None
        done = reception.withdraw_report(services, principal, report_id, body)
    except ValidationProblem as exc:
        report = reception.get_report(services, principal, report_id)
        return _report_page(request, principal, report, withdrawal=typed, withdrawal_problems=list(exc.problems),
                            status_code=422)
    except Conflict:
        report = reception.get_report(services, principal, report_id)
        return _report_page(request, principal, report, withdrawal={**typed, "version": str(report["version"])},
                            withdrawal_problems=[("", f"the report was changed since this page was opened (now "
                                                      f"version {report['version']}): check it above; to withdraw "
                                                      "that version, send the form again")], status_code=409)
    return RedirectResponse(f"/reception/states/{done['member_state']}?withdrawn={done['id']}", status_code=303)


# -- importing a CSV file ------------------------------------------------------------------------


def _import_page(request: Request, principal: Principal, *, text: str = "",
                 problems: list[tuple[str, str]] | None = None, result: dict[str, Any] | None = None,
                 status_code: int = 200) -> HTMLResponse:
    return render(request, "reception/import.html", {
        "text": text, "problems": problems or [], "by_field": by_field(problems or []), "result": result,
        "labels": FIELD_LABELS, "member_state": principal.member_state, "columns": csvfile.COLUMNS,
        "max_kb": MAX_IMPORT_BYTES // 1024, "max_rows": csvfile.MAX_ROWS,
    }, principal=principal, status_code=status_code)




@router.get("/reception/import", response_class=HTMLResponse)
def import_form(request: Request, principal: Principal = Who) -> HTMLResponse:
    reception.require_recorder(principal)
    return _import_page(request, principal)


def _import_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem) -> HTMLResponse:
    return _import_page(request, principal, text=str(typed.get("text") or ""), problems=list(problem.problems),
                        status_code=422)


@router.post("/reception/import", response_class=HTMLResponse)
@refused_form_page(_import_refused)
async def import_submit(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    """Record every report of a CSV file (chosen, or its text pasted or kept from a refusal) with
    the import of the API and the CLI: all or none, each problem naming ``line N.column``."""
    reception.require_recorder(principal)
    form = await request.form()
    text = str(form.get("text") or "")
    try:
        uploaded = await uploaded_text(form.get("file"), max_bytes=MAX_IMPORT_BYTES)
    except ValidationProblem as exc:
        return _import_page(request, principal, text=text, problems=list(exc.problems), status_code=422)
    if uploaded is not None:
        text = uploaded
    if not text.strip():
        return _import_page(request, principal, problems=[("file", "choose a CSV file or paste its text")],
                            status_code=422)
    try:
        result = reception.import_reports(services, principal, text)
    except ValidationProblem as exc:
        return _import_page(request, principal, text=text, problems=list(exc.problems), status_code=422)
    return _import_page(request, principal, result=result)


# -- decisions on one applicant's reception conditions ---------------------------------------------

#: How the decision forms' summaries name a field: by its label on the form.
CONDITION_LABELS: dict[str, str] = {
    "case_id": "Asylum case (id or reference)", "person_id": "Person id", "measure": "Decision",
    "conditions": "Conditions concerned", "ground": "Ground", "required_state": "State where required to be present",
    "decided_on": "Decided on (Article 21: transfer decision notified on; another state's: the day you decide)", "effective_from": "Takes effect on",
    "individual_assessment": "Individual assessment", "reasons": "Reasons",
    "health_care_ensured": "Access to health care kept", "standard_of_living_ensured": "Standard of living kept",
    "lifted_on": "Restored on", "restoration": "Conditions restored", "reason": "Reason for the restoration",
    "version": "Version", "status": "Status", "measure_filter": "Decision",
}
CONDITION_TEXT_FIELDS = ("case_id", "person_id", "measure", "conditions", "ground", "required_state", "decided_on",
                         "effective_from", "individual_assessment", "reasons")
CONDITION_CHECKS = ("health_care_ensured", "standard_of_living_ensured")


def _conditions_page(request: Request, services: Services, principal: Principal, *,
                     typed: Mapping[str, str] | None = None, problems: list[tuple[str, str]] | None = None,
                     status_code: int = 200) -> HTMLResponse:
    """A state's decisions in force with the form to record one; for the EU bodies, the counts."""
    status = request.query_params.get("status", "in_force").strip() or "in_force"
    data = None
    counts = None
    filter_problems: list[tuple[str, str]] = []
    if principal.member_state is None:
        counts = reception_conditions.counts(services, principal)
    else:
        try:
            data = reception_conditions.list_decisions(services, principal, status=status, limit=1000)
        except ValidationProblem as exc:
            filter_problems = list(exc.problems)
            data = reception_conditions.list_decisions(services, principal, limit=1000)
    # the state's day, the one record_decision checks the decision's date against
    today = state_today(services.clock.now(), principal.member_state)
    values = dict(typed) if typed is not None else {"decided_on": today.isoformat()}
    return render(request, "reception/conditions.html", {
        "d": data, "counts": counts,
        # the applicants by name and the asylum cases by reference, not by their ids
        "named": reception_conditions.applicants_named(services, principal, data["decisions"]) if data else {},
        "status": status, "values": values, "problems": problems or [],
        "by_field": by_field(problems or []), "filter_by_field": by_field(filter_problems),
        "labels": CONDITION_LABELS, "may_record": reception.may_record(principal),
        "grounds_new": [g for g in cond.GROUNDS if g.regime == cond.NEW],
        "grounds_old": [g for g in cond.GROUNDS if g.regime == cond.OLD],
        "measures": cond.MEASURE_LABELS, "condition_kinds": {k: v for k, v in cond.CONDITIONS_LABELS.items()
                                                            if k != "articles_17_to_20"},
        "member_state": principal.member_state, "guarantees": cond.GUARANTEES, "art21": cond.ART21_GUARANTEES,
    }, principal=principal, status_code=status_code)


@router.get("/reception/conditions", response_class=HTMLResponse)
def conditions_page(request: Request, services: Services = Svc, principal: Principal = Who) -> HTMLResponse:
    return _conditions_page(request, services, principal)


def _read_decision_form(form: Any) -> cond.ConditionsDecisionCreate:
    data: dict[str, Any] = {}
    for name in CONDITION_TEXT_FIELDS:
        raw = str(form.get(name) or "")
        if raw.strip() or name in ("individual_assessment", "reasons"):
            data[name] = raw.strip() if name not in ("individual_assessment", "reasons") else raw
    for name in CONDITION_CHECKS:
        data[name] = bool(form.get(name))
    try:
        return cond.ConditionsDecisionCreate.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(field_problems(exc)) from None


def _conditions_refused(request: Request, services: Services, principal: Principal, typed: Any,
                        problem: ValidationProblem) -> HTMLResponse:
    return _conditions_page(request, services, principal, typed=dict(typed), problems=list(problem.problems),
                            status_code=422)


@router.post("/reception/conditions", response_class=HTMLResponse)
@refused_form_page(_conditions_refused)
async def conditions_submit(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    """Record a decision on an applicant's reception conditions (the state's caseworker or
    administrator); a refused form comes back with what was typed and each message beside its field."""
    reception.require_recorder(principal)
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        body = _read_decision_form(form)
        done = reception_conditions.record_decision(services, principal, body)
    except ValidationProblem as exc:
        return _conditions_page(request, services, principal, typed=typed, problems=list(exc.problems),
                                status_code=422)
    except Conflict as exc:
        return _conditions_page(request, services, principal, typed=typed, problems=[("person_id", str(exc))],
                                status_code=409)
    return RedirectResponse(f"/reception/conditions/{done['id']}", status_code=303)


def _decision_page(request: Request, services: Services, principal: Principal, decision_id: str, *,
                   typed: Mapping[str, str] | None = None, problems: list[tuple[str, str]] | None = None,
                   status_code: int = 200) -> HTMLResponse:
    decision = reception_conditions.get_decision(services, principal, decision_id)
    values = dict(typed) if typed is not None else {
        "lifted_on": state_today(services.clock.now(), principal.member_state).isoformat(),
        "restoration": "all", "version": str(decision["version"])}
    return render(request, "reception/condition.html", {
        "c": decision,
        "named": reception_conditions.applicants_named(services, principal, [decision])[decision["id"]], "values": values, "problems": problems or [], "by_field": by_field(problems or []),
        "labels": CONDITION_LABELS, "may_lift": reception.may_record(principal) and decision["status"] == "in_force",
        # the Dublin request's page is read by the state's caseworkers and Dublin unit only
        "may_open_request": principal.has(*responsibility.CASE_READERS),
    }, principal=principal, status_code=status_code)


@router.get("/reception/conditions/{decision_id}", response_class=HTMLResponse)
def decision_page(request: Request, decision_id: str, services: Services = Svc,
                  principal: Principal = Who) -> HTMLResponse:
    return _decision_page(request, services, principal, decision_id)


def _lifting_refused(request: Request, services: Services, principal: Principal, typed: Any,
                     problem: ValidationProblem, decision_id: str) -> HTMLResponse:
    return _decision_page(request, services, principal, decision_id, typed=dict(typed),
                          problems=list(problem.problems), status_code=422)


@router.post("/reception/conditions/{decision_id}/lifting", response_class=HTMLResponse)
@refused_form_page(_lifting_refused)
async def lifting_submit(request: Request, decision_id: str, services: Services = Svc,
                         principal: Principal = Who) -> Response:
    """Lift a decision: the conditions restored on a date, all or part, and why."""
    form = await request.form()
    typed = {k: str(form.get(k) or "") for k in ("version", "lifted_on", "restoration", "reason")}
    try:
        try:
            body = cond.ConditionsLifting.model_validate(
                {k: v for k, v in typed.items() if v.strip() or k == "reason"})
        except ValidationError as exc:
            raise ValidationProblem(field_problems(exc)) from None
        reception_conditions.lift_decision(services, principal, decision_id, body)
    except ValidationProblem as exc:
        return _decision_page(request, services, principal, decision_id, typed=typed, problems=list(exc.problems),
                              status_code=422)
    except Conflict as exc:
        current = reception_conditions.get_decision(services, principal, decision_id)
        return _decision_page(request, services, principal, decision_id,
                              typed={**typed, "version": str(current["version"])},
                              problems=[("", str(exc))], status_code=409)
    return RedirectResponse(f"/reception/conditions/{decision_id}", status_code=303)
