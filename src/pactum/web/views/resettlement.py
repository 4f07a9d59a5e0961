"""Resettlement screens: the EU overview with UNHCR's arrivals by year, a plan's progress, and a
state's page with its pledge, its admissions and the forms to record them. Views call
:mod:`pactum.services.resettlement` and hold no rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, ValidationProblem, plain_message
from pactum.resettlement import rules
from pactum.resettlement.model import (
    CATEGORIES,
    CATEGORY_LABELS,
    KIND_LABELS,
    AdmissionCorrection,
    AdmissionDiscontinuation,
    AdmissionErasure,
    AdmissionIn,
    AdmissionUpdate,
    AdmissionWithdrawal,
    PlanAmend,
    PlanClose,
    PlanIn,
    PledgeIn,
    PledgeLine,
)
from pactum.services import resettlement
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, required_whole_number, typed_text, whole_number
from pactum.web.render import NavItem, by_field, field_problems, render, web_principal

router = APIRouter()
READER_ROLES = {Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor, Role.caseworker}
NAV = [NavItem("Resettlement", "/resettlement", READER_ROLES, order=45)]
Who = Depends(web_principal)
Svc = Depends(get_services)
#: the most cases listed on a state's page (the most recent referrals first)
CASES_SHOWN = 200
LABELS = {"categories": CATEGORY_LABELS, "kinds": KIND_LABELS, "order": CATEGORIES}


def _labels(services: Services) -> dict[str, Any]:
    """The labels, with the grounds of refusal (Art 6) worded with the law tree's periods of today,
    grouped as the form lists them ("must be refused", "may be refused", other)."""
    groups = rules.refusal_ground_groups(services.clock.now().date())
    ends = rules.discontinuation_ground_groups()
    return {**LABELS, "ground_groups": groups, "grounds": {code: label for _, gs in groups for code, label in gs},
            "discontinuation_groups": ends,
            "discontinuation_grounds": {code: label for _, gs in ends for code, label in gs},
            # the statuses open to each category of admission (Art 9(15)-(18)), each by its paragraph
            "status_options": {c: [(code, rules.status_label(code, c)) for code, st in rules.STATUSES.items()
                                   if c in st.basis] for c in CATEGORIES},
            "unhcr_informed": rules.UNHCR_INFORMED}


#: The forms' fields as their labels say them, for the list of problems above a form.
FIELD_LABELS: dict[str, str] = {
    "first_year": "First year", "last_year": "Last year", "kind": "Kind", "title": "Title",
    "council_act_reference": "Council implementing act", "council_act_date": "Adopted on",
    "total_places": "Total places", **CATEGORY_LABELS,
    "first_asylum_countries": "Countries of first asylum", "regions": "Regions",
    "announced_states": "States participating (as announced)", "source": "Source",
    "lines": "Pledge", "member_state": "State", "plan": "Plan", "version": "Version",
    "case_reference": "Case reference", "nationality": "Nationality", "first_asylum": "Country of first asylum",
    "category": "Category", "procedure": "Procedure", "referred_on": "Referred by UNHCR on",
    "registered_on": "Registered by the state on",
    "decision": "Decision", "decided_on": "Decided on", "refusal_ground": "Ground of refusal",
    "refusal_reason": "Reason (other ground)",
    "arrived_on": "Arrived on", "confirm": "Confirmation", "reason": "Reason",
    "withdrawn_on": "Withdrawn on", "discontinued_on": "Discontinued on",
    "ground": "Ground of discontinuation (Article 9(11))",
    "extended_on": "Time limit extended on", "extension_reason": "Why extended (complex issues of fact or law)",
    "status_granted": "Status granted", "status_decided_on": "Status decided on",
    "unhcr_informed": "Reason given to UNHCR", "unhcr_informed_on": "UNHCR informed on",
    "eurodac_transmitted_on": "Transmitted to Eurodac on", "eurodac_under_six": "Under six",
    "eurodac_compared_on": "Biometric data transmitted to Eurodac for comparison (Article 18(1)) on",
    "eurodac_comparison_not_needed": "Refused without a comparison of biometric data",
    "person_id": "Registry person",
}
_LINE_LABELS = {"category": "Category", "first_asylum": "Country of first asylum", "places": "Places"}


def field_label(name: str) -> str:
    """``places_7`` is "Places, line 8" (as the pledge form's field is labelled); ``regions.0`` is
    "Regions"."""
    m = re.fullmatch(r"(category|first_asylum|places)_(\d+)", name)
    if m:
        return f"{_LINE_LABELS[m.group(1)]}, line {int(m.group(2)) + 1}"
    base = name.split(".", 1)[0]
    return FIELD_LABELS.get(base, base.replace("_", " ").capitalize())


def _problems(exc: Exception) -> list[tuple[str, str]]:
    """(field, message) of a refused form: a field left blank is "required" (not "Input should be a
    valid string"); a stale version says the record changed since the page was opened."""
    if isinstance(exc, ValidationError):
        return [(".".join(str(x) for x in e["loc"]),
                 "required" if e["type"] == "missing" or (e.get("input") is None and e["type"].endswith("_type"))
                 else plain_message(str(e["msg"]))) for e in exc.errors()]
    if isinstance(exc, Conflict):
        return [("", str(exc).replace("since it was read", "since this page was opened"))]
    return field_problems(exc)


def _refused(form: str, exc: Exception, typed: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A refused form for its page: each field's messages (said next to the field), all of them as
    lines (said above the form, each field by its label), and what was typed."""
    pairs = [(_form_field(name), message) for name, message in _problems(exc)]
    return {"form": form, "by_field": by_field(pairs), "typed": typed,
            "errors": [f"{field_label(name)}: {m}" if name else m for name, m in pairs], **extra}


def _state_form_refused(request: Request, services: Services, principal: Principal, key: str, member_state: str,
                        form: str, exc: Exception, typed: dict[str, str], **extra: Any) -> Response:
    """A state's page again after its ``form`` was refused: 409 when someone changed the record
    meanwhile or the plan is closed, 422 for what was typed; the problems beside the fields."""
    return _state_page(request, services, principal, key, member_state, refused=_refused(form, exc, typed, **extra),
                       status_code=409 if isinstance(exc, Conflict) else 422)


def _on_state_page(form: str) -> Callable[..., Response]:
    """The page of a state's ``form`` refused before its view runs (a NUL character, a number
    beyond the store's): the state's page with the problem beside the field."""
    def page(request: Request, services: Services, principal: Principal, typed: Any, problem: ValidationProblem,
             key: str, member_state: str, admission_id: str | None = None, **_: Any) -> Response:
        extra = {"id": admission_id} if admission_id else {}
        return _state_form_refused(request, services, principal, key, member_state, form, problem, dict(typed),
                                   **extra)
    return page


def _form_field(name: str) -> str:
    """A body's field as the form names it: ``lines.2.places`` is the pledge form's ``places_2``."""
    m = re.fullmatch(r"lines\.(\d+)\.(\w+)", name)
    return f"{m.group(2)}_{m.group(1)}" if m else name


def _text(form: Any, name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


def _codes(text: str | None) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text or "") if c]


# --- the overview ---------------------------------------------------------------------------------


def _overview_page(request: Request, services: Services, principal: Principal, *,
                   refused: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    data = resettlement.overview(services, principal)
    return render(request, "resettlement/overview.html",
                  {"data": data, "labels": LABELS, "refused": refused or {}, "created": request.query_params.get("created")},
                  principal=principal, status_code=status_code)


@router.get("/resettlement")
def overview(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    return _overview_page(request, services, principal)


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/resettlement/overview.csv")
def overview_csv(services: Services = Svc, principal: Principal = Who) -> Response:
    """The plans table of the overview as CSV (the file of ``GET /api/v1/resettlement/overview.csv``)."""
    return _csv(resettlement.overview_csv(services, principal), "resettlement-plans.csv")


@router.get("/resettlement/plans/{key}/progress.csv")
def plan_csv(key: str, services: Services = Svc, principal: Principal = Who) -> Response:
    """A plan's "By state" table as CSV, one row per state and category (the file of
    ``GET /api/v1/resettlement/plans/{key}/progress.csv``)."""
    text = resettlement.plan_csv(services, principal, key)  # 404 for a plan that does not exist
    return _csv(text, f"resettlement-{key}-by-state.csv")


def _plan_refused(request: Request, services: Services, principal: Principal, typed: Any,
                  problem: ValidationProblem) -> Response:
    return _overview_page(request, services, principal, refused=_refused("plan", problem, dict(typed)),
                          status_code=422)


@router.post("/resettlement/plans")
@refused_form_page(_plan_refused)
async def create_plan(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        data = PlanIn.model_validate({
            "first_year": required_whole_number(form, "first_year"),
            "last_year": required_whole_number(form, "last_year"),
            "kind": _text(form, "kind") or "union_plan", "title": _text(form, "title"),
            "council_act_reference": _text(form, "council_act_reference"),
            "council_act_date": _text(form, "council_act_date"),
            "total_places": required_whole_number(form, "total_places"),
            **{c: whole_number(form, c) for c in CATEGORIES},
            "first_asylum_countries": _codes(_text(form, "first_asylum_countries")),
            "regions": [r.strip() for r in (_text(form, "regions") or "").split(";") if r.strip()],
            "announced_states": whole_number(form, "announced_states"), "source": _text(form, "source")})
        plan = resettlement.create_plan(services, principal, data)
    except (ValidationError, ValidationProblem) as exc:
        return _overview_page(request, services, principal, refused=_refused("plan", exc, typed), status_code=422)
    except Conflict as exc:
        return _overview_page(request, services, principal, refused=_refused("plan", exc, typed), status_code=409)
    return RedirectResponse(f"/resettlement/plans/{plan['key']}?created=1", status_code=303)


# --- a plan ---------------------------------------------------------------------------------------


_PLAN_NOTICES = {"created": "Plan recorded.",
                 "amended": "Plan amended. The figures below are the plan as it now stands.",
                 "closed": "Plan closed: it takes no more pledges nor persons referred; the persons already referred "
                           "under it still get their decision and arrival."}


def _plan_page(request: Request, services: Services, principal: Principal, key: str, *,
               notice: str | None = None, error: str | None = None, confirm_error: bool = False,
               refused: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    plan = resettlement.get_plan(services, principal, key)
    return render(request, "resettlement/plan.html",
                  {"plan": plan, "labels": LABELS, "manages": resettlement.manages_plans(principal), "notice": notice,
                   "may_read_state": lambda ms: resettlement.may_read_state(principal, ms),
                   "error": error, "confirm_error": confirm_error, "refused": refused or {}},
                  principal=principal, status_code=status_code)


@router.get("/resettlement/plans/{key}")
def plan_page(request: Request, key: str, services: Services = Svc, principal: Principal = Who) -> Response:
    said = next((m for k, m in _PLAN_NOTICES.items() if request.query_params.get(k) == "1"), None)
    return _plan_page(request, services, principal, key, notice=said)


def _amend_refused(request: Request, services: Services, principal: Principal, typed: Any,
                   problem: ValidationProblem, key: str, **_: Any) -> Response:
    return _plan_page(request, services, principal, key, refused=_refused("amend", problem, dict(typed)),
                      status_code=422)


@router.post("/resettlement/plans/{key}/amend")
@refused_form_page(_amend_refused)
async def amend_plan(request: Request, key: str, services: Services = Svc, principal: Principal = Who) -> Response:
    """The Commission's amendment of a plan from its page: every field as the form shows it (a
    category left blank has no figure of its own), with the version the page was opened at."""
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        fields = {
            "title": _text(form, "title"), "council_act_reference": _text(form, "council_act_reference"),
            "council_act_date": _text(form, "council_act_date"), "total_places": whole_number(form, "total_places"),
            **{c: whole_number(form, c) for c in CATEGORIES},
            "first_asylum_countries": _codes(_text(form, "first_asylum_countries")),
            "regions": [r.strip() for r in (_text(form, "regions") or "").split(";") if r.strip()],
            "announced_states": whole_number(form, "announced_states"), "source": _text(form, "source")}
        # the fields the form holds (a pledging exercise's form has no Council act): a field
        # emptied is cleared, one the form does not hold is left as it is
        data = PlanAmend.model_validate({"version": required_whole_number(form, "version"),
                                         "reason": _text(form, "reason"),
                                         **{k: v for k, v in fields.items() if k in form}})
        resettlement.amend_plan(services, principal, key, data)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _plan_page(request, services, principal, key, refused=_refused("amend", exc, typed),
                          status_code=409 if isinstance(exc, Conflict) else 422)
    return RedirectResponse(f"/resettlement/plans/{key}?amended=1", status_code=303)


@router.post("/resettlement/plans/{key}/close")
async def close_plan(request: Request, key: str, services: Services = Svc, principal: Principal = Who) -> Response:
    form = await request.form()
    try:
        version = required_whole_number(form, "version")
        if not str(form.get("confirm") or "").strip():
            raise ValidationProblem.one("confirm", "tick the box to confirm: closing the plan cannot be undone")
        resettlement.close_plan(services, principal, key, PlanClose(version=version))
    except (ValidationProblem, Conflict) as exc:
        problems = _problems(exc)
        return _plan_page(request, services, principal, key, error="; ".join(m for _, m in problems),
                          confirm_error=any(f == "confirm" for f, _ in problems),
                          status_code=409 if isinstance(exc, Conflict) else 422)
    return RedirectResponse(f"/resettlement/plans/{key}?closed=1", status_code=303)


# --- a state's page -------------------------------------------------------------------------------

_NOTICES = {"pledged": "Pledge saved. The figures below are the pledge as recorded.",
            "admission": "Person recorded. They are listed under \u201cPersons referred\u201d below.",
            "updated": "Recorded. The person's row below shows the registration, the decision, the status, the "
                       "arrival or what UNHCR was told.",
            "corrected": "Corrected. The person's row below shows the record as it now stands; the reason is in "
                         "the audit log.",
            "withdrawn": "Referral withdrawn. The person takes no place and is not counted as overdue.",
            "discontinued": "Procedure discontinued (Article 9(11)). The person takes no place and is not counted "
                            "as overdue; the row says what becomes of their data (Article 9(12)).",
            "erased": "Record erased, with the registry's Eurodac record that was its transmission, if any "
                      "(Regulation (EU) 2024/1358, Article 40(3)). The person is no longer listed and takes no "
                      "place; the reason is in the audit log. Confirm the erasure in writing to the person "
                      "(Article 43(4))."}


@router.get("/resettlement/state")
def own_state(principal: Principal = Who) -> Response:
    """A state's users go to their own state's page; EU users to the overview, which lists every state."""
    if principal.member_state is None:
        return RedirectResponse("/resettlement", status_code=303)
    return RedirectResponse(f"/resettlement/states/{principal.member_state}", status_code=303)


@router.get("/resettlement/states/{member_state}")
def state_latest(request: Request, member_state: str, services: Services = Svc, principal: Principal = Who) -> Response:
    return _state_page(request, services, principal, None, member_state,
                       notice=next((m for k, m in _NOTICES.items() if request.query_params.get(k) == "1"), None))


@router.get("/resettlement/plans/{key}/states/{member_state}")
def state_page(request: Request, key: str, member_state: str, services: Services = Svc,
               principal: Principal = Who) -> Response:
    return _state_page(request, services, principal, key, member_state,
                       notice=next((m for k, m in _NOTICES.items() if request.query_params.get(k) == "1"), None),
                       stage=request.query_params.get("stage") or None)


def _state_page(request: Request, services: Services, principal: Principal, key: str | None, member_state: str, *,
                refused: dict[str, Any] | None = None, notice: str | None = None, status_code: int = 200,
                stage: str | None = None) -> Response:
    stage_error = None
    try:
        view = resettlement.state_view(services, principal, member_state, key, stage)
    except ValidationProblem as exc:  # a stage that names none: every case, the problem beside the filter
        stage_error = "; ".join(msg for _, msg in field_problems(exc))
        view = resettlement.state_view(services, principal, member_state, key)
        status_code = 422
    cases = view["cases"] or []
    lines = list((view["pledge"] or {}).get("lines", []))
    return render(request, "resettlement/state.html",
                  {"v": view, "labels": _labels(services), "refused": refused or {}, "notice": notice,
                   "cases": cases[:CASES_SHOWN], "more_cases": max(0, len(cases) - CASES_SHOWN),
                   "rows": lines + [{"category": "", "first_asylum": None, "places": ""}] * 3,
                   "today": services.clock.today().isoformat(),
                   "stages": rules.CASE_STAGES, "stage_error": stage_error, "typed_stage": stage},
                  principal=principal, status_code=status_code)


def _typed_rows(form: Any) -> int:
    try:
        return min(200, whole_number(form, "rows", default=0, minimum=0) or 0)
    except ValidationProblem:
        return 0


def _pledge_body(form: Any) -> PledgeIn:
    lines: list[PledgeLine] = []
    problems: list[tuple[str, str]] = []
    for i in range(_typed_rows(form)):
        category, where, places = _text(form, f"category_{i}"), _text(form, f"first_asylum_{i}"), _text(form, f"places_{i}")
        if not (where or places):
            continue
        try:
            n = whole_number(form, f"places_{i}", minimum=1)
        except ValidationProblem as exc:
            problems += exc.problems
            continue
        if n is None:
            problems.append((f"places_{i}", "give the number of places"))
        if category is None:
            problems.append((f"category_{i}", "choose a category"))
        try:  # each line's country and category are checked here, so that every line says what is wrong
            lines.append(PledgeLine.model_validate({"category": category, "first_asylum": where, "places": n or 1}))
        except ValidationError as exc:
            problems += [(f"{e['loc'][0]}_{i}", plain_message(e["msg"])) for e in exc.errors()
                         if not (category is None and e["loc"][0] == "category")]
    if problems:
        raise ValidationProblem(problems)
    return PledgeIn(lines=lines, version=whole_number(form, "version", minimum=0))



@router.post("/resettlement/plans/{key}/states/{member_state}/pledge")
@refused_form_page(_on_state_page("pledge"))
async def pledge_submit(request: Request, key: str, member_state: str, services: Services = Svc,
                        principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        resettlement.set_pledge(services, principal, key, member_state, _pledge_body(form))
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "pledge", exc, typed)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?pledged=1#pledge", status_code=303)


_CASE_FIELDS = ("registered_on", "decision", "decided_on", "refusal_ground", "refusal_reason", "arrived_on",
                "extended_on", "extension_reason", "status_granted", "status_decided_on", "unhcr_informed",
                "unhcr_informed_on", "eurodac_transmitted_on", "eurodac_under_six")
#: The transmission for comparison before the conclusion (Reg. 2024/1358 Art 18(1)): recorded by the
#: update form of its own and corrected, as the API's and the CLI's ``correct`` do, by the correction
#: form of the state's caseworkers (who record the transmissions to Eurodac)
_COMPARISON_FIELDS = ("eurodac_compared_on", "eurodac_comparison_not_needed")



@router.post("/resettlement/plans/{key}/states/{member_state}/admissions")
@refused_form_page(_on_state_page("admission"))
async def admission_submit(request: Request, key: str, member_state: str, services: Services = Svc,
                           principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        typed_fields = {k: _text(form, k) for k in (
            "case_reference", "nationality", "first_asylum", "category", "procedure", "referred_on", *_CASE_FIELDS,
            "person_id")}
        # a field left blank is absent: "required" where the person must give it
        data = AdmissionIn.model_validate({k: v for k, v in typed_fields.items() if v is not None})
        resettlement.record_admission(services, principal, key, data, member_state=member_state)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "admission", exc, typed)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?admission=1#cases", status_code=303)



@router.post("/resettlement/plans/{key}/states/{member_state}/admissions/{admission_id}")
@refused_form_page(_on_state_page("update"))
async def admission_update(request: Request, key: str, member_state: str, admission_id: str,
                           services: Services = Svc, principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        data = AdmissionUpdate.model_validate({"version": required_whole_number(form, "version"),
                                               **{k: _text(form, k) for k in (*_CASE_FIELDS, *_COMPARISON_FIELDS,
                                                                               "person_id")}})
        resettlement.update_admission(services, principal, admission_id, data, member_state=member_state)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "update", exc, typed, id=admission_id)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?updated=1#cases", status_code=303)


@router.post("/resettlement/plans/{key}/states/{member_state}/admissions/{admission_id}/correct")
@refused_form_page(_on_state_page("correct"))
async def admission_correct(request: Request, key: str, member_state: str, admission_id: str,
                            services: Services = Svc, principal: Principal = Who) -> Response:
    """A registration, a decision or an arrival recorded in error, corrected with a reason: the
    form shows the record as it stands and sends it whole (a field emptied is cleared; no
    decision: pending; no registration: the clock awaits one)."""
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        # the form of a user who does not record the transmission to Eurodac has no such fields: the
        # correction leaves them as recorded
        kept = (() if resettlement.may_transmit_to_eurodac(principal, principal.member_state or "")
                else resettlement.EURODAC_FIELDS)
        data = AdmissionCorrection.model_validate({"version": required_whole_number(form, "version"),
                                                   "reason": _text(form, "reason"),
                                                   **{k: _text(form, k) for k in (*_CASE_FIELDS, *_COMPARISON_FIELDS)
                                                      if k not in kept}})
        resettlement.correct_admission(services, principal, admission_id, data, member_state=member_state)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "correct", exc, typed,
                                   id=admission_id)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?corrected=1#cases", status_code=303)


@router.post("/resettlement/plans/{key}/states/{member_state}/admissions/{admission_id}/withdraw")
@refused_form_page(_on_state_page("withdraw"))
async def admission_withdraw(request: Request, key: str, member_state: str, admission_id: str,
                             services: Services = Svc, principal: Principal = Who) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        data = AdmissionWithdrawal.model_validate({"version": required_whole_number(form, "version"),
                                                   "withdrawn_on": _text(form, "withdrawn_on"),
                                                   "reason": _text(form, "reason")})
        resettlement.withdraw_admission(services, principal, admission_id, data, member_state=member_state)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "withdraw", exc, typed,
                                   id=admission_id)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?withdrawn=1#cases", status_code=303)


@router.post("/resettlement/plans/{key}/states/{member_state}/admissions/{admission_id}/discontinue")
@refused_form_page(_on_state_page("discontinue"))
async def admission_discontinue(request: Request, key: str, member_state: str, admission_id: str,
                                services: Services = Svc, principal: Principal = Who) -> Response:
    """The state discontinues an admission procedure (Art 9(11)): the day, the ground, the facts."""
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        data = AdmissionDiscontinuation.model_validate({"version": required_whole_number(form, "version"),
                                                        "discontinued_on": _text(form, "discontinued_on"),
                                                        "ground": _text(form, "ground"),
                                                        "reason": _text(form, "reason")})
        resettlement.discontinue_admission(services, principal, admission_id, data, member_state=member_state)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "discontinue", exc, typed,
                                   id=admission_id)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?discontinued=1#cases", status_code=303)


@router.post("/resettlement/plans/{key}/states/{member_state}/admissions/{admission_id}/erase")
@refused_form_page(_on_state_page("erase"))
async def admission_erase(request: Request, key: str, member_state: str, admission_id: str,
                          services: Services = Svc, principal: Principal = Who) -> Response:
    """A person referred recorded by mistake, erased with the case's Eurodac record (Reg. 2024/1358
    Art 40(3), 40(5), 43(4)): the reason and a confirmation tick (erasure cannot be undone)."""
    form = await request.form()
    typed = dict(typed_text(form))
    try:
        data = AdmissionErasure.model_validate({"version": required_whole_number(form, "version"),
                                                "reason": _text(form, "reason")})
        if not str(form.get("confirm") or "").strip():
            raise ValidationProblem.one("confirm", "tick the box to confirm: the erasure cannot be undone")
        resettlement.erase_admission(services, principal, admission_id, data, member_state=member_state)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _state_form_refused(request, services, principal, key, member_state, "erase", exc, typed,
                                   id=admission_id)
    return RedirectResponse(f"/resettlement/plans/{key}/states/{member_state}?erased=1#cases", status_code=303)


@router.get("/resettlement/plans/{key}/states/{member_state}/cases.csv")
def cases_csv(key: str, member_state: str, stage: str | None = None, services: Services = Svc,
              principal: Principal = Who) -> Response:
    """The state's persons referred as CSV (the file of ``GET /api/v1/resettlement/plans/{key}/states/{state}/cases.csv``;
    ``stage``: those at one stage, as the page's filter)."""
    text = resettlement.cases_csv(services, principal, member_state, key, stage or None)
    suffix = f"-{stage}" if stage else ""
    return _csv(text, f"resettlement-{key}-{member_state.upper()}-cases{suffix}.csv")


@router.get("/resettlement/plans/{key}/states/{member_state}/overdue.csv")
def overdue_csv(key: str, member_state: str, services: Services = Svc, principal: Principal = Who) -> Response:
    """The state's procedures beyond their maximum duration as CSV (the file of the API's ``overdue.csv``)."""
    text = resettlement.overdue_csv(services, principal, member_state, key)
    return _csv(text, f"resettlement-{key}-{member_state.upper()}-overdue.csv")
