"""Dublin unit screens: inbox and outbox with each request's next deadline colour-coded by days
left, a request with its actions and timeline, a case's determination with its explanation, a
determination form, and statistics per pair of states. Every page calls
:mod:`pactum.services.responsibility`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.states import MEMBER_STATES
from pactum.responsibility.procedure import TRANSITIONS
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, whole_number
from pactum.web.render import NavItem, problems, render, web_principal

router = APIRouter()
NAV = [
    NavItem("Dublin inbox", "/responsibility/inbox", {Role.dublin_unit}, order=20),
    NavItem("Dublin outbox", "/responsibility/outbox", {Role.dublin_unit}, order=21),
    NavItem("Responsibility", "/responsibility/cases", {Role.caseworker, Role.dublin_unit, Role.admin},
            order=22),
    NavItem("Dublin statistics", "/responsibility/statistics",
            {Role.dublin_unit, Role.analyst, Role.admin}, order=23),
]
Svc = Depends(get_services)
Who = Depends(web_principal)

EXAMPLE = {
    "application": {"registered_in": "DE", "registered_on": "2026-09-01"},
    "applicant": {"date_of_birth": "2001-05-03", "unaccompanied_minor": False},
    "family_members": [], "documents": [], "diplomas": [],
    "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-03-01"}],
    "stays": [], "relocated_to": None, "security_threat": False,
}


def urgency(days_left: int | None) -> str:
    """Colour of a deadline: red within 3 days, amber within 10, green beyond."""
    if days_left is None:
        return ""
    if days_left <= 3:
        return "bad"
    if days_left <= 10:
        return "warn"
    return "ok"


@router.get("/responsibility")
def home(principal: Principal = Who) -> Response:
    target = "/responsibility/inbox" if principal.has(Role.dublin_unit) else "/responsibility/cases"
    return RedirectResponse(target, status_code=303)


@router.get("/responsibility/inbox")
def inbox(request: Request, services: Services = Svc, principal: Principal = Who,
          closed: bool = False) -> Response:
    rows = responsibility.queue(services, principal, "inbox", include_closed=closed)
    return render(request, "responsibility/queue.html", {
        "box": "inbox", "rows": rows, "closed": closed, "urgency": urgency}, principal=principal)


@router.get("/responsibility/outbox")
def outbox(request: Request, services: Services = Svc, principal: Principal = Who,
           closed: bool = False) -> Response:
    rows = responsibility.queue(services, principal, "outbox", include_closed=closed)
    return render(request, "responsibility/queue.html", {
        "box": "outbox", "rows": rows, "closed": closed, "urgency": urgency}, principal=principal)


#: What the request page says after an action was recorded (``done``), or the request was sent.
DONE = {
    "sent": "Request sent.", "accept": "Accepted: your state is responsible.", "refuse": "Refused.",
    "request_reexamination": "Re-examination requested.", "accept_reexamination": "Re-examination: accepted.",
    "refuse_reexamination": "Re-examination: refused.", "decide_transfer": "Transfer decision recorded.",
    "arrange_transfer": "Transfer arranged.", "complete_transfer": "Transfer completed.",
    "extend_transfer": "Transfer period extended.", "record_appeal": "Appeal recorded.",
    "decide_appeal": "Appeal decision recorded.", "withdraw": "Request withdrawn.",
}


def _request_page(request: Request, services: Services, principal: Principal, request_id: str,
                  errors: list[str] | None = None, status_code: int = 200,
                  submitted: Mapping[str, str] | None = None, done: str = "") -> Response:
    """The request; after a refused action, that action's form keeps what was typed (``submitted``,
    the action under ``action``); after an action recorded, the page says so (``done``)."""
    req = responsibility.get_request(services, principal, request_id)
    said = DONE.get(done) or (f"Recorded: {done.replace('_', ' ')}." if done in TRANSITIONS else "")
    return render(request, "responsibility/request.html", {
        "r": req, "errors": errors or [], "urgency": urgency, "submitted": dict(submitted or {}),
        "done": said}, principal=principal, status_code=status_code)


@router.get("/responsibility/requests/{request_id}")
def request_view(request: Request, request_id: str, done: str = "", services: Services = Svc,
                 principal: Principal = Who) -> Response:
    return _request_page(request, services, principal, request_id, done=done)


def _act_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                 problem: ValidationProblem, request_id: str) -> Response:
    return _request_page(request, services, principal, request_id, problems(problem), 422, typed)


@router.post("/responsibility/requests/{request_id}")
@refused_form_page(_act_refused)
async def request_act(request: Request, request_id: str, services: Services = Svc,
                      principal: Principal = Who) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    action = str(form.get("action") or "")
    try:
        if action == "withdraw" and not form.get("confirm"):
            # a withdrawal cannot be undone: the page asks the officer to say they mean it
            raise ValidationProblem.one("confirm", "tick the box to confirm the withdrawal; it cannot be undone")
        body = RequestAction.model_validate({
            k: (v or None) for k, v in {
                "version": form.get("version"), "reasons": form.get("reasons"),
                "planned_on": form.get("planned_on"), "arrangements": form.get("arrangements"),
                "transferred_on": form.get("transferred_on"),
                "extension_reason": form.get("extension_reason"),
                "appeal_lodged_on": form.get("appeal_lodged_on"),
                "suspensive_effect": form.get("suspensive_effect"),
                "appeal_decided_on": form.get("appeal_decided_on"),
            }.items()})
        responsibility.act(services, principal, request_id, action, body)
    except (ValidationError, ValidationProblem) as exc:
        return _request_page(request, services, principal, request_id, problems(exc), 422, typed)
    except (Conflict, Forbidden) as exc:
        return _request_page(request, services, principal, request_id, problems(exc),
                             409 if isinstance(exc, Conflict) else 403, typed)
    return RedirectResponse(f"/responsibility/requests/{request_id}?done={quote(action)}", status_code=303)


@router.get("/responsibility/cases")
def cases(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    return render(request, "responsibility/cases.html", {
        "rows": responsibility.list_cases(services, principal),
        "facts": json.dumps({**EXAMPLE, "application": {
            "registered_in": principal.member_state or "DE", "registered_on": "2026-09-01"}}, indent=2),
        "errors": [], "result": None, "reference": ""}, principal=principal)


def _determine_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                       problem: ValidationProblem) -> Response:
    """The determination form again: the facts and reference as typed, and why they were refused."""
    return render(request, "responsibility/cases.html", {
        "rows": responsibility.list_cases(services, principal), "facts": typed.get("facts", ""),
        "errors": problems(problem), "result": None, "reference": typed.get("reference", ""),
        "applicant_name": typed.get("applicant_name", "")},
        principal=principal, status_code=422)


@router.post("/responsibility/cases")
@refused_form_page(_determine_refused)
async def create_case(request: Request, services: Services = Svc,
                      principal: Principal = Who) -> Response:
    form = await request.form()
    text = str(form.get("facts") or "")
    reference = str(form.get("reference") or "")
    errors: list[str] = []
    result = None
    try:
        facts = json.loads(text)
        if form.get("save") and reference:
            case = responsibility.create_case(services, principal, CaseCreate.model_validate(
                {"reference": reference, "applicant_name": form.get("applicant_name") or None,
                 "facts": facts}))
            return RedirectResponse(f"/responsibility/cases/{case['id']}?recorded=true", status_code=303)
        from pactum.responsibility.determination import parse_request

        result = responsibility.determine(services, principal, parse_request(facts))
    except json.JSONDecodeError as exc:
        errors = [f"facts: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
    except RecursionError:  # thousands of nested brackets: no applicant's facts nest so deep
        errors = ["facts: nested too deeply to be an applicant's facts"]
    except (ValidationError, ValidationProblem, Forbidden) as exc:
        errors = problems(exc)
    return render(request, "responsibility/cases.html", {
        "rows": responsibility.list_cases(services, principal), "facts": text, "errors": errors,
        "result": result, "reference": reference, "applicant_name": str(form.get("applicant_name") or "")},
        principal=principal,
        status_code=422 if errors else 200)


def _case_page(request: Request, services: Services, principal: Principal, case_id: str,
               errors: list[str] | None = None, status_code: int = 200,
               submitted: dict[str, str] | None = None, recorded: bool = False) -> Response:
    """The case; after a refused request the request form keeps what was typed (``submitted``);
    ``recorded``: the case was just recorded (the page says so)."""
    case = responsibility.get_case(services, principal, case_id)
    return render(request, "responsibility/case.html", {
        "c": case, "errors": errors or [], "states": sorted(MEMBER_STATES), "urgency": urgency,
        "submitted": submitted or {}, "recorded": recorded}, principal=principal, status_code=status_code)


@router.get("/responsibility/cases/{case_id}")
def case_view(request: Request, case_id: str, recorded: bool = False, services: Services = Svc,
              principal: Principal = Who) -> Response:
    return _case_page(request, services, principal, case_id, recorded=recorded)


def _send_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                  problem: ValidationProblem, case_id: str) -> Response:
    return _case_page(request, services, principal, case_id, problems(problem), 422, dict(typed))


@router.post("/responsibility/cases/{case_id}/requests")
@refused_form_page(_send_refused)
async def send_request(request: Request, case_id: str, services: Services = Svc,
                       principal: Principal = Who) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    evidence = []
    if form.get("evidence_description"):
        evidence.append({"kind": form.get("evidence_kind") or "other",
                         "description": form.get("evidence_description")})
    try:
        body = RequestCreate.model_validate({
            "kind": form.get("kind"),
            "requested_member_state": form.get("requested_member_state") or None,
            "eurodac_hit": form.get("eurodac_hit") == "on", "hit_on": form.get("hit_on") or None,
            "detained": form.get("detained") == "on", "evidence": evidence})
        req = responsibility.send_request(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 422, typed)
    except (Conflict, Forbidden, NotFound) as exc:
        if isinstance(exc, NotFound):
            raise
        return _case_page(request, services, principal, case_id, problems(exc),
                          409 if isinstance(exc, Conflict) else 403, typed)
    return RedirectResponse(f"/responsibility/requests/{req['id']}?done=sent", status_code=303)


@router.get("/responsibility/statistics")
def statistics(request: Request, services: Services = Svc, principal: Principal = Who,
               year: str = "") -> Response:
    """Every year when the year field is blank (as the page first shows it); a year that is not one
    is said next to the field, the table then showing every year."""
    errors: list[str] = []
    try:
        chosen = whole_number({"year": year}, "year")
        rows = responsibility.statistics(services, principal, year=chosen)
    except ValidationProblem as exc:
        errors, chosen = problems(exc), None
        rows = responsibility.statistics(services, principal, year=None)
    totals = {
        "requests": sum(r["requests"] for r in rows),
        "accepted": sum(r["accepted"] for r in rows),
        "transfers": sum(r["transfers"] for r in rows),
    }
    totals["transfer_rate"] = (round(totals["transfers"] / totals["requests"], 3)
                               if totals["requests"] else None)
    return render(request, "responsibility/statistics.html", {
        "rows": rows, "year": chosen, "typed_year": year, "errors": errors, "totals": totals},
        principal=principal, status_code=422 if errors else 200)


