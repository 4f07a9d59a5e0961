"""Asylum procedure screens: the caseworker's queue, the case page (timeline, routing explanation,
next deadline, workflow steps), making an application, the routing form, the supervisor's border
pipeline with the border facilities' capacity, the safe-country lists in force (with the form to
designate a country), and decision statistics by nationality (with the form to import them). Every
page and form calls :mod:`pactum.services.procedures`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.limits import STORE_INTEGER_MAX
from pactum.procedures.model import (
    KNOWN_VULNERABILITIES,
    NEGATIVE_OUTCOMES,
    AppealOutcome,
    Outcome,
    RoutingInput,
)
from pactum.procedures.refusals import BORDER_TYPES, RefusalCreate
from pactum.procedures.refusals import REASONS as REFUSAL_REASONS
from pactum.procedures.return_decision_ground import GROUND as RD_GROUND
from pactum.procedures.safe_countries import CONCEPTS, SafeCountryIn
from pactum.procedures.workflow import (
    ACTION_FIELDS,
    ACTIONS,
    DRAFT_OUTCOMES,
    MANIFESTLY_UNFOUNDED_PROCEDURES,
    SUSPENDABLE_STATES,
    suspension_ref,
)
from pactum.services import procedures, reception_conditions
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.services.procedures import ApplicationRefused
from pactum.web.forms import parse_whole_number, refused_form_page, required_whole_number, typed_text
from pactum.web.render import (
    NavItem,
    Problem,
    by_field,
    category_words,
    field_label,
    field_problems,
    problems,
    render,
    web_principal,
    words,
)

router = APIRouter()
_CASE = {Role.caseworker, Role.admin}
NAV = [
    # the queue of named case files: the asylum officers' (administrators manage users, not cases)
    NavItem("Asylum cases", "/procedures", {Role.caseworker}, order=30, national=True),
    NavItem("Border procedure", "/procedures/border", _CASE | {Role.analyst}, order=31),
    # APR Art 37: rejections notified without their return decision, for whoever issues it
    NavItem("Return decisions due", "/procedures/return-decisions-due", {Role.return_officer, Role.caseworker},
            order=34, national=True),
    NavItem("Decision statistics", "/procedures/statistics",
            _CASE | {Role.analyst, Role.auditor, Role.dublin_unit}, order=32),
    NavItem("Safe countries", "/procedures/safe-countries", set(procedures.READ_ROLES), order=33),
]
Svc = Depends(get_services)
Who = Depends(web_principal)
CONTEXTS = ["border_crossing_point", "apprehended_at_external_border", "sar_disembarkation",
            "relocation", "in_territory"]


async def _form(request: Request) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    return _split(await request.form())


def _split(form: Any) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """A form's fields: each one's (last) value, and every value of each."""
    return {k: form.get(k) for k in form}, {k: form.getlist(k) for k in form}


def _blank(v: Any) -> Any:
    return None if v in ("", None) else v


_OVERDUE = ' class="overdue"'
_UAM = ' <span class="badge">unaccompanied minor</span>'
_MANDATORY = ' <span class="badge">mandatory</span>'


#: The routing grounds (``RoutingResult.grounds``, the codes a trace's outcome names) as an
#: officer names them (APR Arts 38(1), 42(1), 55; before the Pact Directive 2013/32/EU Arts 31(8),
#: 33(2)).
GROUND_LABELS = {
    "misled_authorities": "misled the authorities",
    "safe_country_of_origin": "safe country of origin",
    "security_threat": "danger to national security or public order",
    "subsequent_application": "subsequent application",
    "low_recognition_rate": "EU recognition rate at or below the threshold",
    "first_country_of_asylum": "first country of asylum",
    "safe_third_country": "safe third country",
    "unaccompanied_minor": "unaccompanied minor",
    "return_decision_late_application": "application made more than seven working days after a return decision",
    # APR Art 38(1)(d): an international criminal court or tribunal has provided for the applicant's
    # safe relocation to a Member State or a third country, or is unequivocally taking steps to do so
    "international_court_relocation": "safe relocation provided for by an international criminal court or tribunal",
}
#: The facts and legal parameters of a routing trace (``pactum.procedures.routing``) as words; a
#: parameter not listed reads as the last part of its key, in words. The keys themselves are shown
#: only in the trace's technical detail.
TRACE_LABELS = {
    **GROUND_LABELS,
    "applied_on": "applied on", "member_state": "Member State", "context": "context",
    "nationality": "nationality", "reference_year": "reference year",
    "positive_decisions": "decisions granting international protection",
    "total_decisions": "first-instance decisions", "lists": "lists of safe countries",
    "safe_third_country_connection": "connection with a safe third country",
    "vulnerabilities": "vulnerabilities", "grounds": "grounds", "grounds_found": "grounds found",
    "regime": "rules applied", "grounds_allowed_for_minors": "grounds allowed for minors",
    "apr.accelerated.recognition_rate_threshold": "recognition rate threshold (%)",
}
#: The values of the ``regime`` parameter: which rules the day of the application brings.
REGIME_LABELS = {"pact": "the Pact's (Regulation (EU) 2024/1348)",
                 "pre_pact": "those before the Pact (Directive 2013/32/EU)"}
_CODE_IN_TEXT = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _trace_value(key: str, value: Any) -> str:
    """A fact's or parameter's value in words: yes or no, "not stated", codes as words."""
    if key == "regime" and value in REGIME_LABELS:
        return REGIME_LABELS[value]
    if value is None:
        return "not stated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_trace_value("", v) for v in value) or "none"
    if isinstance(value, str) and _CODE_IN_TEXT.fullmatch(value):
        return GROUND_LABELS.get(value, category_words(value))  # "SAR disembarkation"
    return str(value)


def trace_for_screen(trace: list[Any]) -> list[dict[str, Any]]:
    """A routing trace as the case and routing pages show it: each step's rule and outcome in
    words (a ground's code as :data:`GROUND_LABELS` names it), its facts and parameters as
    (label, value) in words, and its ``technical`` lines (the keys and values as recorded)."""
    out = []
    for step in trace:
        s = step if isinstance(step, Mapping) else dict(step)
        facts, params = dict(s.get("facts") or {}), dict(s.get("parameters") or {})
        outcome = _CODE_IN_TEXT.sub(lambda m: GROUND_LABELS.get(m.group(0), words(m.group(0))),
                                    str(s.get("outcome") or ""))
        out.append({
            "rule": words(s.get("rule")), "outcome": outcome, "legal_basis": list(s.get("legal_basis") or []),
            "facts": [(TRACE_LABELS.get(k, words(k)), _trace_value(k, v)) for k, v in facts.items()],
            "parameters": [(TRACE_LABELS.get(k, words(k.rsplit(".", 1)[-1])), _trace_value(k, v))
                           for k, v in params.items()],
            "technical": ([f"{k}: {_recorded(v)}" for k, v in facts.items()]
                          + [f"{k} = {_recorded(v)}" for k, v in params.items()]),
        })
    return out


def _recorded(value: Any) -> str:
    """A recorded value as the technical detail shows it: as stored (JSON), an empty list or
    mapping as "none" (never a bare ``[]`` on a page)."""
    return "none" if value in ([], {}) else json.dumps(value, default=str)


_SAFE_ID = re.compile(r"[A-Za-z0-9_.:-]*\Z").match
_NOTHING_TO_ESCAPE = re.compile(r"[^&<>\"']*\Z").match  # the characters markupsafe escapes


def _suspended(state: str, on: date | None = None, until: date | None = None) -> str:
    """The queue's word on an examination suspended under APR Art 41(4): since when, and the last day
    given to the applicant, after which the authority may resume it and a decision declare the
    application implicitly withdrawn (Art 41(1)); nothing where not suspended."""
    if on is None or until is None or state not in SUSPENDABLE_STATES:
        return ""
    return (f' <span class="badge warn suspended" title="{escape(suspension_ref())}: from '
            f'{(until + timedelta(days=1)).isoformat()} the examination may resume and the application be declared '
            f'implicitly withdrawn">suspended since {on.isoformat()}, to justify until {until.isoformat()}</span>')


def _queue_rows_html(rows: Any, today: date) -> Markup:
    """The queue's table rows, as one f-string per row rather than a Jinja loop: the queue may
    show 5,000 cases and the Jinja loop took several times longer (see docs/performance.md,
    Procedures). The columns other than the case id take few distinct values (nationality,
    procedure, state, deadline kind, caseworker, dates), so each value is escaped and formatted
    once and looked up for the other rows; the id is escaped only if it holds a character outside
    the generated ids' alphabet; the applicant's name, different on nearly every row, is escaped
    only if it holds a character markupsafe escapes. Rows come in ``QUEUE_COLUMNS`` order, then
    the case's short reference (the link's text; the id is its address) and the name."""
    out: list[str] = []
    add = out.append
    text: dict[Any, str] = {None: ""}
    deadline: dict[Any, tuple[str, str]] = {}

    def esc(v: Any) -> str:
        e = text[v] = "" if v is None else str(escape(v))
        return e

    said: dict[Any, str] = {None: ""}  # procedures, states and deadline kinds, as words

    def say(v: Any) -> str:
        e = said[v] = str(escape(words(v)))
        return e

    for cid, _person, nat, proc, state, made, nd, kind, who, uam, mandatory, ref, name, *suspension in rows:
        d = deadline.get(nd)
        if d is None:
            if nd is None:
                d = ("", "")
            else:
                days = (nd - today).days
                d = ((_OVERDUE, f'<span class="badge warn">overdue {-days} d</span>') if days < 0
                     else ("", str(days)))
            deadline[nd] = d
        c = cid if _SAFE_ID(cid) else str(escape(cid))
        shown = ref if ref and _SAFE_ID(ref) else c if not ref else str(escape(ref))
        n = "" if name is None else name if _NOTHING_TO_ESCAPE(name) else str(escape(name))
        add(f'<tr{d[0]}><td><a href="/procedures/cases/{c}">{shown}</a>'
            f'{_UAM if uam else ""}</td><td>{n}</td>'
            f'<td>{text.get(nat) or esc(nat)}</td>'
            f'<td>{said.get(proc) or say(proc)}{_MANDATORY if mandatory else ""}</td>'
            f'<td>{said.get(state) or say(state)}{_suspended(state, *suspension)}</td>'
            f'<td>{text.get(made) or esc(made)}</td>'
            f'<td>{text.get(nd) or esc(nd)} <span class="muted">{said.get(kind) or say(kind)}'
            f'</span></td><td>{d[1]}</td><td>{text.get(who) or esc(who)}</td></tr>')
    return Markup("".join(out))


@router.get("/procedures")
def queue(request: Request, procedure: str = "", state: str = "", nationality: str = "",
          overdue: bool = False, mine: bool = False, limit: int = 200, offset: int = 0,
          page: int | None = None, services: Services = Svc, principal: Principal = Who) -> Response:
    """The queue, ``limit`` cases from ``offset`` (or from ``page``, counted from 1, of ``limit``
    cases each), with links to the previous and next pages."""
    nationality = nationality.strip().upper()
    if page is not None:
        if not 1 <= page <= STORE_INTEGER_MAX // max(limit, 1):
            raise ValidationProblem.one("page", "a page number from 1")
        offset = (page - 1) * limit
    found = procedures.queue_page(services, principal, procedure=procedure or None,
                                  state=state or None, nationality=nationality or None,
                                  overdue=overdue, mine=mine, limit=limit, offset=offset, channel="web")
    return render(request, "procedures/queue.html", {
        "rows_html": _queue_rows_html(found["rows"], found["today"]), "shown": len(found["rows"]),
        "total": found["total"],
        "filters": {"procedure": procedure, "state": state, "nationality": nationality,
                    "overdue": overdue, "mine": mine, "limit": limit, "offset": offset},
        "states": procedures.OPEN_STATES, "today": found["today"]}, principal=principal)


@router.get("/procedures/queue.csv")
def queue_csv(procedure: str = "", state: str = "", nationality: str = "", overdue: bool = False,
              mine: bool = False, services: Services = Svc, principal: Principal = Who) -> Response:
    """The queue as filtered on the page, as CSV (``GET /api/v1/procedures/queue.csv``)."""
    text = procedures.queue_csv(services, principal, procedure=procedure or None, state=state or None,
                                nationality=nationality.strip().upper() or None, overdue=overdue, mine=mine,
                                channel="web")
    day = procedures.today_in(services, principal.member_state).isoformat()
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="asylum-queue-{day}.csv"'})


#: A step's fields as the officer reads them (the others: the field's name as words).
FIELD_LABELS = {
    "on": "final on", "language": "interview language", "interpreter_language": "interpreter's language",
    "kind": "kind of evidence", "inadmissibility_ground": "inadmissibility ground (if inadmissible)",
    "reason": "why the draft goes back",
    "reasons": "reasons in fact and in law (every outcome but refugee status)", "with_return_decision": "issue a return decision with it",
    "voluntary_departure_days": "voluntary departure (days)",
    "entry_ban_years": "entry ban (years, with the return decision)",
    "entry_ban_months": "or entry ban (months)",
    "legal_adviser": "notified to the legal adviser who legally represents the applicant (name; blank: notified "
                     "to the applicant)",
    "withdrawn_on": "withdrawn on (the day the applicant withdrew the application)",
    "how": "how the applicant withdrew it", "decision": "decision on the withdrawal",
    "joined_to": "joined to (the other application's reference)",
    "return_decision_received_on": "return decision received on (if inadmissible after a return decision; "
                                   "blank: the day it was issued)",
    "informed_of_consequences": "the applicant was informed of the consequences of not applying within the "
                                "time limit (inadmissible after a return decision)",
    "no_new_elements": "no new relevant elements have arisen since that time limit expired (inadmissible after a "
                       "return decision)",
    "requested_on": "asked the court on",
    "found_on": "found on",
    "changed_on": "changed on (the day the determining authority decided it)",
    "change_reason": "why the examination leaves the accelerated procedure",
    "left_on": "left on (the day the border procedure ceased to apply)",
    "ground": "why the border procedure ceases to apply",
    "applicant_informed": "the applicant is informed of the change in procedure (APR Art 42(2); required when too "
                          "complex)",
    "allowed": "the court allowed the applicant to remain pending the appeal",
    "omitted_on": "omitted on (the day the determining authority decided it)",
    "omission_ground": "why the personal interview is omitted",
    "omission_reason": "facts (the evidence available, or the enduring circumstances beyond the applicant's control)",
    "medical_consulted_on": "medical professional consulted on (unfit or unable; blank: none consulted)",
    "medical_finding": "the medical professional's finding",
    "fitness_not_in_doubt": "no doubt as to the applicant's inability to be interviewed, no medical professional "
                            "consulted (unfit or unable)",
    "written_information_until": "the applicant may submit further information in writing until (unfit or unable)",
    "same_rights_as_refugee_status": "subsidiary protection carries the same rights and benefits as refugee status "
                                     "under Union and national law (positive decision, APR only)",
    "recorded_on": "recorded on (the applicant did not attend the interview scheduled)",
    "efforts": "efforts made to give the applicant the opportunity of a personal interview (invitations: how, when, "
               "where; reminders)",
    "no_circumstances_beyond_control": "the applicant has not shown that specific circumstances beyond their "
                                       "control prevented them from attending (otherwise reschedule the interview: "
                                       "APR Art 13(11), fourth subparagraph)",
    "suspended_on": "suspended on (APR Art 41(4))",
    "implicit_withdrawal_ground": "the omission or action of APR Art 41(1) the applicant may justify or rectify",
    "to_justify": "what the applicant is given the opportunity to justify or rectify",
    "justify_until": "the applicant may justify or rectify until",
    "resumed_on": "resumed on",
    "justified": "the applicant justified or rectified the omission or action (leave unticked once the time "
                 "given ended without it)",
}
#: What the case page says after a step was done (``done``), and after the application was made.
DONE = {"made": "Application made and routed.",
        "remain_exception": "Recorded: the subsequent application gives no right to remain while it is examined.",
        "no_right_to_remain": "Recorded: the applicant has no right to remain during the administrative procedure.",
        "no_right_to_remain_lifted": "Lifted: the applicant has the right to remain during the administrative "
                                     "procedure again.",
        "remain_exception_withdrawn": "Withdrawn: the subsequent application gives the right to remain while it is "
                                      "examined again.",
        **{a: f"Done: {what}." for a, (_states, what) in ACTIONS.items()}}


_STEP_FIELDS = {name for fields in ACTION_FIELDS.values() for name, _kind in fields}


#: The fields of the card "Exception to the right to remain" as its two forms label them: the record
#: (APR Art 10(3), (4)(b), (c), (5)) and the lift; a refusal names them so, not as a step's form does
#: (a step's ``on`` is "final on", its ``reason`` "why the draft goes back").
REMAIN_RECORD_LABELS = {
    "ground": "ground", "destination_kind": "extradited or surrendered to", "destination": "state or court",
    "reference": "European arrest warrant or extradition request", "reason": "facts on which the exception rests",
    "non_refoulement_satisfied": "the competent authority is satisfied that it will not result in direct or "
                                 "indirect refoulement",
}
REMAIN_LIFT_LABELS = {"on": "on (the day the ground fell away or the error was found)",
                      "reason": "why the exception no longer applies"}
#: The fields of the card "Right to remain (subsequent application)" as its two forms label them: the
#: assessment of APR Art 56(a) and its withdrawal.
REMAIN_DELAY_LABELS = {"removal_decision": "decision whose enforcement would result in the imminent removal",
                       "reason": "facts showing the application was lodged merely to delay or frustrate it",
                       "non_refoulement_considered": "removal was found not to breach the principle of "
                                                     "non-refoulement"}
REMAIN_WITHDRAW_LABELS = {"on": "on (the day the determining authority withdrew the assessment)",
                          "reason": "why the assessment is withdrawn"}


def _plain_step_error(line: str, labels: dict[str, str] | None = None) -> str:
    """A refused step's field as its form labels it ("Interview language: required"), the line
    still knowing its field (:class:`~pactum.web.render.Problem`), which the step's form marks.
    ``labels``: the refused form's own labels, where it is not a step's form."""
    field = str(getattr(line, "field", ""))
    _label, sep, message = line.partition(": ")
    if sep and labels and field in labels:
        label = labels[field]
        return Problem(f"{label[:1].upper()}{label[1:]}: {message}", field)
    if sep and field in _STEP_FIELDS:
        label = FIELD_LABELS.get(field, words(field))
        return Problem(f"{label[:1].upper()}{label[1:]}: {message}", field)
    return line


def _case_page(request: Request, services: Services, principal: Principal, case_id: str,
               errors: list[str], status: int, submitted: dict[str, Any] | None = None,
               done: str = "", labels: dict[str, str] | None = None, refused_form: str = "") -> Response:
    """The case; after a refused step, its form keeps what the officer typed (``submitted``) and
    says why next to it; after a step done, the page says so (``done``). ``labels``: the refused
    form's labels of its fields where they are not a step's (:data:`REMAIN_RECORD_LABELS`).
    ``refused_form``: which form of a card on the right to remain was refused (``remain_exception``,
    ``remain_exception_withdraw``, ``no_right_to_remain``, ``no_right_to_remain_lift``): that form
    alone shows the lines and marks its fields in error."""
    case = procedures.get_case(services, principal, case_id)
    errors = [_plain_step_error(e, labels) for e in errors]
    return render(request, "procedures/case.html", {
        "c": case, "errors": errors, "fields": ACTION_FIELDS, "submitted": submitted or {},
        # a rejection is notified with its return decision unless the officer says otherwise; a
        # grant has none to issue (the workflow refuses one)
        "negative": case["outcome"] in {o.value for o in NEGATIVE_OUTCOMES},
        "steps": {a: what for a, (_states, what) in ACTIONS.items()}, "labels": FIELD_LABELS,
        "done": DONE.get(done, ""), "routing_trace": trace_for_screen((case["routing"] or {}).get("trace") or []),
        "ground_labels": GROUND_LABELS,
        # the ground of inadmissibility that takes the return decision's facts (APR Art 38(1)(e)):
        # the draft form shows them only where it offers that ground
        "return_decision_ground": RD_GROUND,
        # the outcomes a draft may take on this case: not an explicit withdrawal (the applicant's, recorded
        # with record_withdrawal), nor a rejection as manifestly unfounded outside the accelerated or
        # border procedure (the workflow refuses both); before the personal interview, only those a
        # draft may take without it (the workflow refuses the others: draft_before_interview)
        "outcomes": [o.value for o in DRAFT_OUTCOMES if (o != Outcome.rejected_manifestly_unfounded
                     or case["procedure"] in MANIFESTLY_UNFOUNDED_PROCEDURES
                     or ("subsequent_application" in (case["routing_grounds"] or [])
                         and case["applicable_law"]["regime"] == "pact"))
                     and (case["draft_before_interview"] is None
                          or o.value in case["draft_before_interview"]["outcomes"])],
        "appeal_outcomes": [o.value for o in AppealOutcome],
        # today on the clock of the case's state: the most a day recorded on it may be
        "today": procedures.today_in(services, case["member_state"]).isoformat(),
        "refused_form": refused_form,
        # whether the applicant's reception conditions are reduced or withdrawn (None: not the
        # user's to read)
        "reception_conditions": reception_conditions.in_force_of_person(services, principal, case["person_id"]),
    }, principal=principal, status_code=status)


@router.get("/procedures/cases/{case_id}")
def case_page(request: Request, case_id: str, done: str = "", services: Services = Svc,
              principal: Principal = Who) -> Response:
    return _case_page(request, services, principal, case_id, [], 200, done=done)


def _act_refused(request: Request, services: Services, principal: Principal, typed: Any,
                 problem: ValidationProblem, case_id: str) -> Response:
    return _case_page(request, services, principal, case_id, problems(problem), 422, _split(typed)[0])


def _remain_refused(form: str, labels: dict[str, str]) -> Any:
    """The refused page of a form of the cards on the right to remain (refused before its view
    ran): that form shows the lines and marks its fields (``refused_form``)."""
    def page(request: Request, services: Services, principal: Principal, typed: Any,
             problem: ValidationProblem, case_id: str) -> Response:
        return _case_page(request, services, principal, case_id, problems(problem), 422, _split(typed)[0],
                          labels=labels, refused_form=form)
    return page


@router.post("/procedures/cases/{case_id}/act")
@refused_form_page(_act_refused)
async def case_act(request: Request, case_id: str, services: Services = Svc,
                   principal: Principal = Who) -> Response:
    f, _ = await _form(request)
    action = str(f.get("action") or "")
    payload: dict[str, Any] = {}
    for name, kind in ACTION_FIELDS.get(action, []):
        v = _blank(f.get(name))
        if kind == "bool" and name == "allowed":
            # the court's decision on leave to remain is chosen, never defaulted: an unticked box read
            # as a refusal let the return decision be enforced (APR Art 68(4)); nothing chosen is refused
            if v in ("on", "true", "1", "false", "0"):
                payload[name] = v in ("on", "true", "1")
        elif kind == "bool":
            payload[name] = v in ("on", "true", "1")
        elif kind == "number" and v is not None:
            try:
                payload[name] = parse_whole_number(str(v), name)
            except ValidationProblem as exc:
                return _case_page(request, services, principal, case_id, problems(exc), 422, f)
        elif v is not None:
            payload[name] = v
    try:
        version = required_whole_number(f, "version", minimum=0)
        procedures.act(services, principal, case_id, action, payload, version)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 422, f)
    except (Conflict, ValueError) as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 409, f)
    return RedirectResponse(f"/procedures/cases/{case_id}?done={action}", status_code=303)


@router.post("/procedures/cases/{case_id}/remain-exception")
@refused_form_page(_remain_refused("remain_exception", REMAIN_DELAY_LABELS))
async def case_remain_exception(request: Request, case_id: str, services: Services = Svc,
                                principal: Principal = Who) -> Response:
    """The determining authority's record that a first subsequent application was lodged merely
    to delay or frustrate removal (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a))."""
    f, _ = await _form(request)
    try:
        version = required_whole_number(f, "version", minimum=0)
        body = procedures.RemainException.model_validate({
            "version": version, "removal_decision": str(f.get("removal_decision") or ""),
            "reason": str(f.get("reason") or ""),
            "non_refoulement_considered": str(f.get("non_refoulement_considered") or "") in ("on", "true", "1")})
        procedures.record_remain_exception(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 422, f, labels=REMAIN_DELAY_LABELS,
                          refused_form="remain_exception")
    except Conflict as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 409, f, labels=REMAIN_DELAY_LABELS,
                          refused_form="remain_exception")
    return RedirectResponse(f"/procedures/cases/{case_id}?done=remain_exception", status_code=303)


@router.post("/procedures/cases/{case_id}/no-right-to-remain")
@refused_form_page(_remain_refused("no_right_to_remain", REMAIN_RECORD_LABELS))
async def case_no_right_to_remain(request: Request, case_id: str, services: Services = Svc,
                                  principal: Principal = Who) -> Response:
    """The competent authority's record that the applicant has no right to remain during the
    administrative procedure (APR Art 10(3), (4)(b), (c), (5); Directive 2013/32/EU Art 9(2), (3))."""
    f, _ = await _form(request)
    try:
        version = required_whole_number(f, "version", minimum=0)
        body = procedures.NoRightToRemain.model_validate({
            "version": version, "ground": str(f.get("ground") or ""),
            "destination_kind": str(f.get("destination_kind") or "") or None,
            "destination": str(f.get("destination") or "") or None,
            "reference": str(f.get("reference") or "") or None, "reason": str(f.get("reason") or ""),
            "non_refoulement_satisfied": str(f.get("non_refoulement_satisfied") or "") in ("on", "true", "1")})
        procedures.record_no_right_to_remain(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 422, f, labels=REMAIN_RECORD_LABELS,
                          refused_form="no_right_to_remain")
    except Conflict as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 409, f, labels=REMAIN_RECORD_LABELS,
                          refused_form="no_right_to_remain")
    return RedirectResponse(f"/procedures/cases/{case_id}?done=no_right_to_remain", status_code=303)


async def _end_remain_record(request: Request, case_id: str, services: Services, principal: Principal, *,
                             model: type[procedures.NoRightToRemainLift] | type[procedures.RemainExceptionWithdrawal],
                             end: Any, labels: dict[str, str], form: str, done: str) -> Response:
    """A form that ends a record on the right to remain (the lift of an exception, the withdrawal
    of the assessment of APR Art 56(a)): ``version``, ``on``, ``reason``; a refusal is shown on
    the form (``form``), its fields named by ``labels``."""
    f, _ = await _form(request)
    try:
        version = required_whole_number(f, "version", minimum=0)
        body = model.model_validate({
            "version": version, "on": str(f.get("on") or "").strip() or None, "reason": str(f.get("reason") or "")})
        end(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 422, f, labels=labels,
                          refused_form=form)
    except Conflict as exc:
        return _case_page(request, services, principal, case_id, problems(exc), 409, f, labels=labels,
                          refused_form=form)
    return RedirectResponse(f"/procedures/cases/{case_id}?done={done}", status_code=303)


@router.post("/procedures/cases/{case_id}/no-right-to-remain/lift")
@refused_form_page(_remain_refused("no_right_to_remain_lift", REMAIN_LIFT_LABELS))
async def case_no_right_to_remain_lift(request: Request, case_id: str, services: Services = Svc,
                                       principal: Principal = Who) -> Response:
    """Lift the recorded exception to the right to remain: the right to remain of APR Art 10(1)
    (Directive 2013/32/EU Art 9(1)) applies again (our reading)."""
    return await _end_remain_record(request, case_id, services, principal, model=procedures.NoRightToRemainLift,
                                    end=procedures.lift_no_right_to_remain, labels=REMAIN_LIFT_LABELS,
                                    form="no_right_to_remain_lift", done="no_right_to_remain_lifted")


@router.post("/procedures/cases/{case_id}/remain-exception/withdraw")
@refused_form_page(_remain_refused("remain_exception_withdraw", REMAIN_WITHDRAW_LABELS))
async def case_remain_exception_withdraw(request: Request, case_id: str, services: Services = Svc,
                                         principal: Principal = Who) -> Response:
    """Withdraw the assessment that a first subsequent application was lodged merely to delay or
    frustrate removal (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a)): the right to remain of
    APR Art 10(1) (Directive Art 9(1)) applies again (our reading)."""
    return await _end_remain_record(request, case_id, services, principal,
                                    model=procedures.RemainExceptionWithdrawal,
                                    end=procedures.withdraw_remain_exception, labels=REMAIN_WITHDRAW_LABELS,
                                    form="remain_exception_withdraw", done="remain_exception_withdrawn")


@router.get("/procedures/return-decisions-due")
def return_decisions_due_page(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    """The state's rejections under the APR notified without a return decision (Art 37), each
    linked to its case and, for a return officer, to the return decision form prefilled with the
    person, the case and the ground."""
    rows = procedures.return_decisions_due(services, principal, limit=5000, channel="web")
    return render(request, "procedures/return_decisions_due.html", {"rows": rows}, principal=principal)


def _new_page(request: Request, principal: Principal, values: dict[str, Any], errors: list[str],
              status: int, services: Services | None = None) -> Response:
    # the applications of the same person under another record (a yellow, white or red link):
    # said before the application is made, not refused
    person = str(values.get("person_id") or "").strip()
    linked = (procedures.applications_of_linked_persons(services, principal, person, channel="web")
              if services is not None and person else [])
    return render(request, "procedures/new.html", {
        "values": values, "errors": errors, "contexts": CONTEXTS, "linked": linked,
        "vulnerabilities": sorted(KNOWN_VULNERABILITIES)}, principal=principal, status_code=status)


@router.get("/procedures/new")
def new_application(request: Request, person_id: str = "", screening_id: str = "",
                    services: Services = Svc, principal: Principal = Who) -> Response:
    today = procedures.today_in(services, principal.member_state).isoformat()
    values = {"person_id": person_id, "screening_id": screening_id, "made_on": today,
              "registered_on": today}
    if person_id:  # come from the person or the screening: the person's nationality is known,
        # and the context follows from how the registry met them (inside the territory or at the
        # border); a person the caller cannot see is said by the form when it is sent
        known = procedures.application_defaults(services, principal, person_id)
        values.update({k: v for k, v in known.items() if v is not None})
    return _new_page(request, principal, values, [], 200, services)


_FLAGS = ("unaccompanied_minor", "misled_authorities", "security_threat", "subsequent_application")


def _application_values(f: dict[str, Any], lists: dict[str, list[Any]]) -> dict[str, Any]:
    """An application form's (or the routing form's) values as the model reads them."""
    values = {k: _blank(v) for k, v in f.items() if k not in _FLAGS and k != "vulnerabilities"}
    values.update({k: k in f for k in _FLAGS})
    values["vulnerabilities"] = [v for v in lists.get("vulnerabilities", []) if v]
    return values


def _new_refused(request: Request, services: Services, principal: Principal, typed: Any,
                 problem: ValidationProblem) -> Response:
    return _new_page(request, principal, _application_values(*_split(typed)), problems(problem), 422, services)


@router.post("/procedures/new")
@refused_form_page(_new_refused)
async def create_application(request: Request, services: Services = Svc,
                             principal: Principal = Who) -> Response:
    values = _application_values(*await _form(request))
    try:
        created = procedures.create_application(services, principal, values)
    except ApplicationRefused as exc:  # every problem of the form at once, each next to its field
        said = [*(problems(exc.schema) if exc.schema is not None else []),
                *(problems(ValidationProblem(exc.checks)) if exc.checks else [])]
        return _new_page(request, principal, values, said, 422, services)
    except (ValidationError, ValidationProblem) as exc:
        return _new_page(request, principal, values, problems(exc), 422, services)
    except NotFound as exc:  # the person typed is none of the state's: the form's field says so
        return _new_page(request, principal, values, [Problem(f"Person: {exc}", "person_id")], 422)
    return RedirectResponse(f"/procedures/cases/{created['id']}?done=made", status_code=303)


@router.get("/procedures/routing")
def routing_form(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    values = {"applied_on": procedures.today_in(services, principal.member_state).isoformat(), "member_state": principal.member_state or ""}
    return render(request, "procedures/routing.html", {
        "values": values, "result": None, "errors": [], "contexts": CONTEXTS,
        "vulnerabilities": sorted(KNOWN_VULNERABILITIES)}, principal=principal)


def _routing_page(request: Request, principal: Principal, values: dict[str, Any], result: Any,
                  errors: list[str], status: int) -> Response:
    return render(request, "procedures/routing.html", {
        "values": values, "result": result, "errors": errors, "contexts": CONTEXTS,
        "routing_trace": trace_for_screen(result.trace) if result is not None else [], "ground_labels": GROUND_LABELS,
        "vulnerabilities": sorted(KNOWN_VULNERABILITIES)}, principal=principal, status_code=status)


def _routing_refused(request: Request, services: Services, principal: Principal, typed: Any,
                     problem: ValidationProblem) -> Response:
    return _routing_page(request, principal, _application_values(*_split(typed)), None, problems(problem), 422)


@router.post("/procedures/routing")
@refused_form_page(_routing_refused)
async def routing_submit(request: Request, services: Services = Svc,
                         principal: Principal = Who) -> Response:
    values = _application_values(*await _form(request))
    result, errors, status = None, [], 200
    try:
        result = procedures.route_application(services, principal, RoutingInput.model_validate(values))
    except (ValidationError, ValidationProblem) as exc:
        errors, status = problems(exc), 422
    return _routing_page(request, principal, values, result, errors, status)


def _border_page(request: Request, services: Services, principal: Principal, d: date | None,
                 refusal_values: dict[str, Any], errors: list[str], status: int,
                 recorded: str = "") -> Response:
    # the pipeline lists individual cases: not for analysts, who see the capacity and refusals
    pipeline = (procedures.border_pipeline(services, principal, channel="web")
                if principal.member_state and principal.has(*procedures.CASE_ROLES) else None)
    can_record = principal.member_state is not None and principal.has(*procedures.REFUSAL_ROLES)
    refusals = (procedures.list_refusals(services, principal, limit=20)
                if principal.member_state else None)
    return render(request, "procedures/border.html", {
        "pipeline": pipeline, "capacity": procedures.capacity_overview(services, principal, d),
        "refusals": refusals, "can_record": can_record, "refusal": refusal_values,
        "reasons": REFUSAL_REASONS, "border_types": BORDER_TYPES, "errors": errors,
        "recorded": recorded}, principal=principal, status_code=status)


@router.get("/procedures/border")
def border(request: Request, on: str = "", recorded: str = "", services: Services = Svc,
           principal: Principal = Who) -> Response:
    try:
        d = date.fromisoformat(on) if on else None
    except ValueError:
        raise ValidationProblem.one("on", "a date YYYY-MM-DD") from None
    values = {"refused_on": procedures.today_in(services, principal.member_state).isoformat(), "reasons": []}
    return _border_page(request, services, principal, d, values, [], 200, recorded)


def _refusal_values(f: dict[str, Any], lists: dict[str, list[Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {k: _blank(v) for k, v in f.items() if k != "reasons"}
    values["reasons"] = [v for v in lists.get("reasons", []) if v]
    return values


def _refusal_refused(request: Request, services: Services, principal: Principal, typed: Any,
                     problem: ValidationProblem) -> Response:
    return _border_page(request, services, principal, None, _refusal_values(*_split(typed)), problems(problem), 422)


@router.post("/procedures/border/refusals-of-entry")
@refused_form_page(_refusal_refused)
async def record_refusal(request: Request, services: Services = Svc,
                         principal: Principal = Who) -> Response:
    values = _refusal_values(*await _form(request))
    try:
        done = procedures.record_refusal(services, principal, RefusalCreate.model_validate(values))
    except (ValidationError, ValidationProblem) as exc:
        return _border_page(request, services, principal, None, values, problems(exc), 422)
    return RedirectResponse(f"/procedures/border?recorded={done['id']}", status_code=303)


# --------------------------------------------------------------------------- safe countries

_DESIGNATION_FIELDS = ("scope", "concept", "country", "valid_from", "valid_to", "reference", "exclusion", "note")


#: The designation form's fields (and the day the lists are shown for) as the page labels them.
DESIGNATION_LABELS = {"scope": "List", "concept": "Designated as", "country": "Country", "valid_from": "From",
                      "valid_to": "Until", "reference": "Legal basis", "exclusion": "Exclusion", "note": "Note",
                      "on": "In force on"}
#: The form that ends or withdraws a designation, as its row labels its fields.
CHANGE_LABELS = {"valid_to": "Last day", "reason": "Reason"}
#: The statistics import form's fields as it labels them.
IMPORT_LABELS = {"file": "File", "source": "Source"}


def _summary(fields: dict[str, list[str]], labels: Mapping[str, str]) -> list[str]:
    """The refused fields' messages, one line each, for the box above a form, each field named by
    its label (``labels``, else its name in words); each line a :class:`~pactum.web.render.Problem`
    that knows its field."""
    return [Problem(f"{labels.get(name) or field_label(name)}: {m}", name) if name else m
            for name, ms in fields.items() for m in ms]


def _in_force_on(on: str, today: date) -> tuple[date | None, dict[str, list[str]]]:
    """The day the lists are shown for (today when blank), or the problem of the ``on`` field."""
    if not on.strip():
        return today, {}
    try:
        return date.fromisoformat(on.strip()), {}
    except ValueError:
        return None, {"on": ["a date YYYY-MM-DD"]}


def _safe_countries_page(request: Request, services: Services, principal: Principal, on: str,
                         values: dict[str, Any], fields: dict[str, list[str]], status: int,
                         designated: Mapping[str, str] | None = None,
                         change_problems: list[str] | None = None,
                         change: Mapping[str, Any] | None = None) -> Response:
    """The lists in force on ``on`` and, for the users the service lets designate, the form (as
    typed, each refused field's problem beside it); ``designated``: what was just designated;
    ``change_problems``: why ending or withdrawing a designation was refused, ``change`` its
    designation (``id``) and what was typed (``typed``), which its row's form keeps and marks."""
    today = procedures.today_in(services, principal.member_state)
    day, on_problem = _in_force_on(on, today)
    lists = procedures.safe_country_lists(services, principal, day) if day else None
    scopes = procedures.designation_scopes(principal)
    done = None
    if designated and lists:  # said only if the list holds it (the address is the user's to type)
        done = next((e for lst in lists for e in lst["entries"]
                     if lst["scope"] == designated.get("scope") and e["country"] == designated.get("designated")
                     and e["concept"] == designated.get("concept")), None)
    return render(request, "procedures/safe_countries.html", {
        "on": day.isoformat() if day else on, "lists": lists, "scopes": scopes,
        "concepts": [c for c in CONCEPTS if c != "candidate_country" or "EU" in scopes],
        "values": values, "by_field": {**on_problem, **fields}, "problems": _summary(fields, DESIGNATION_LABELS),
        "designated": done, "change_problems": change_problems or [], "change": change or {},
        "changed": (designated or {}).get("changed")}, principal=principal,
        status_code=422 if on_problem else status)


def _designation_values(typed: Mapping[str, Any], principal: Principal, today: date) -> dict[str, Any]:
    scopes = procedures.designation_scopes(principal)
    values = {"scope": scopes[0] if scopes else "", "valid_from": today.isoformat()}
    values.update({k: str(typed[k]) for k in _DESIGNATION_FIELDS if k in typed})
    return values


@router.get("/procedures/safe-countries")
def safe_countries(request: Request, on: str = "", services: Services = Svc,
                   principal: Principal = Who) -> Response:
    values = _designation_values({}, principal, procedures.today_in(services, principal.member_state))
    return _safe_countries_page(request, services, principal, on, values, {}, 200,
                                designated=request.query_params)


def _designation_refused(request: Request, services: Services, principal: Principal, typed: Any,
                         problem: ValidationProblem) -> Response:
    if not procedures.designation_scopes(principal):  # the form is not theirs: the error page
        raise Forbidden("designating a safe country is for an administrator")
    values = _designation_values(typed, principal, procedures.today_in(services, principal.member_state))
    return _safe_countries_page(request, services, principal, "", values,
                                by_field(field_problems(problem)), 422)


@router.post("/procedures/safe-countries")
@refused_form_page(_designation_refused)
async def designate_safe_country(request: Request, services: Services = Svc,
                                 principal: Principal = Who) -> Response:
    """A designation on a list (``POST /api/v1/procedures/safe-countries``): a state's
    administrator, their state's national list; an EU body's administrator, any list."""
    typed = typed_text(await request.form())
    values = _designation_values(typed, principal, procedures.today_in(services, principal.member_state))
    body = SafeCountryIn.model_validate({k: values.get(k) or None for k in _DESIGNATION_FIELDS})
    try:
        done = procedures.add_safe_country(services, principal, body.model_dump())
    except ValidationProblem as exc:
        return _safe_countries_page(request, services, principal, "", values,
                                    by_field(field_problems(exc)), 422)
    except Conflict as exc:  # the same designation is on the list already
        return _safe_countries_page(request, services, principal, "", values,
                                    by_field(field_problems(ValidationProblem.one("country", str(exc)))), 409)
    today = procedures.today_in(services, principal.member_state)
    shown = date.fromisoformat(done["valid_from"])
    if shown <= today and (done["valid_to"] is None or today <= date.fromisoformat(done["valid_to"])):
        shown = today  # in force today: today's lists, where it now stands
    query = urlencode({"on": shown.isoformat(), "designated": done["country"], "scope": done["scope"],
                       "concept": done["concept"]})
    return RedirectResponse(f"/procedures/safe-countries?{query}#designated", status_code=303)


# --------------------------------------------------------------------------- decision statistics

_DIGITS = re.compile(r"[0-9]{1,9}")


def _imported(request: Request) -> dict[str, Any] | None:
    """What the last import did, from the address it redirected to (``?imported=<rows>&from=
    <year>&to=<year>&nationalities=<n>&source=<label>``)."""
    q = request.query_params
    keys = ("imported", "from", "to", "nationalities")
    if not all(_DIGITS.fullmatch(q.get(k, "")) for k in keys):
        return None
    return {"rows": int(q["imported"]), "years": [int(q["from"]), int(q["to"])],
            "nationalities": int(q["nationalities"]), "source": q.get("source", "")[:60]}


def _statistics_page(request: Request, services: Services, principal: Principal, year: int | None,
                     member_state: str, upload: dict[str, Any], status: int = 200) -> Response:
    table = procedures.decision_statistics_table(services, principal, year=year,
                                                 member_state=member_state or None)
    fields: dict[str, list[str]] = upload.get("by_field", {})
    return render(request, "procedures/statistics.html", {
        "t": table, "member_state": member_state,
        "can_import": procedures.may_import_statistics(principal),
        "upload": upload, "by_field": fields, "problems": _summary(fields, IMPORT_LABELS),
        "imported": None if fields else _imported(request)}, principal=principal, status_code=status)


@router.get("/procedures/statistics")
def statistics(request: Request, year: int | None = None, member_state: str = "",
               services: Services = Svc, principal: Principal = Who) -> Response:
    return _statistics_page(request, services, principal, year, member_state, {"source": "UNHCR"})


def _import_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem, *, filename: str | None = None) -> Response:
    """The statistics page again, nothing imported: the form keeps the source typed and names the
    file sent (a browser cannot choose it again for the analyst), each problem beside its field."""
    procedures.require_statistics_importer(principal)  # the form is not theirs: the error page
    upload = {"source": typed.get("source", ""), "filename": filename,
              "by_field": by_field(field_problems(problem))}
    return _statistics_page(request, services, principal, None, "", upload, 422)


@router.post("/procedures/statistics/import")
@refused_form_page(_import_refused)
async def import_statistics(request: Request, services: Services = Svc,
                            principal: Principal = Who) -> Response:
    """A UNHCR asylum-decisions export (CSV or .csv.gz) uploaded with its source
    (``POST /api/v1/procedures/statistics/import``): the years in it replace those held, or
    nothing is written."""
    procedures.require_statistics_importer(principal)  # refused before the file is read
    form = await request.form()
    typed = typed_text(form)
    upload = form.get("file")
    filename = upload.filename if isinstance(upload, UploadFile) and upload.filename else None
    found: list[tuple[str, str]] = []
    source = ""
    try:
        source = procedures.statistics_source(typed.get("source"))
    except ValidationProblem as exc:
        found += exc.problems
    if not isinstance(upload, UploadFile) or not filename:
        found.append(("file", "choose the UNHCR export (CSV or .csv.gz)"))
    try:
        if found:
            raise ValidationProblem(found)
        assert isinstance(upload, UploadFile)
        data = await upload.read()
        done = await run_in_threadpool(procedures.import_statistics, services, principal, data, source)
    except ValidationProblem as exc:
        return await run_in_threadpool(_import_refused, request, services, principal, typed, exc,
                                       filename=filename)
    query = urlencode({"year": done["years"][-1], "imported": done["rows"], "from": done["years"][0],
                       "to": done["years"][-1], "nationalities": done["nationalities"], "source": source})
    return RedirectResponse(f"/procedures/statistics?{query}#imported", status_code=303)


def _change_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem, designation_id: str) -> Response:
    """The lists again, the row's form keeping what was typed and marking what was refused."""
    values = _designation_values({}, principal, procedures.today_in(services, principal.member_state))
    return _safe_countries_page(request, services, principal, "", values, {}, 422,
                                change_problems=_summary(by_field(field_problems(problem)), CHANGE_LABELS),
                                change={"id": designation_id, "typed": dict(typed)})


@router.post("/procedures/safe-countries/{designation_id}/change")
@refused_form_page(_change_refused)
async def change_safe_country(designation_id: str, request: Request, services: Services = Svc,
                              principal: Principal = Who) -> Response:
    """End a designation from a date (``do=end``, ``valid_to`` its last day) or withdraw one entered
    in error (``do=withdraw``), with the reason: ``PATCH /api/v1/procedures/safe-countries/{id}``
    and ``POST …/withdraw``."""
    typed = typed_text(await request.form())
    values = _designation_values({}, principal, procedures.today_in(services, principal.member_state))
    try:
        version = int(str(typed.get("version") or ""))
    except ValueError:
        version = -1
    try:
        if typed.get("do") == "withdraw":
            done = procedures.withdraw_safe_country(services, principal, designation_id,
                                                    {"version": version, "reason": typed.get("reason")})
            said = f"Withdrawn: {done['country']} as a {done['concept'].replace('_', ' ')} on the {done['scope']} list."
        else:
            if not str(typed.get("valid_to") or "").strip():
                raise ValidationProblem.one("valid_to", "the last day the designation applies (YYYY-MM-DD)")
            done = procedures.change_safe_country(services, principal, designation_id,
                                                  {"version": version, "reason": typed.get("reason"),
                                                   "valid_to": typed.get("valid_to")})
            said = (f"Ended: {done['country']} as a {done['concept'].replace('_', ' ')} on the "
                    f"{done['scope']} list applies until {done['valid_to']}.")
    except ValidationProblem as exc:
        return _change_refused(request, services, principal, typed, exc, designation_id)
    except Conflict as exc:
        return _safe_countries_page(request, services, principal, "", values, {}, 409,
                                    change_problems=[str(exc)], change={"id": designation_id, "typed": dict(typed)})
    return RedirectResponse(f"/procedures/safe-countries?{urlencode({'changed': said})}#changed",
                            status_code=303)
