"""Dublin unit screens: inbox and outbox with each request's next deadline colour-coded by days
left, a request with its actions and timeline, a case's determination with its explanation, a
determination form, and statistics per pair of states. Every page calls
:mod:`pactum.services.responsibility`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, get_args
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem, plain_message
from pactum.common.states import MEMBER_STATES
from pactum.responsibility.cessation import EVENT_LABELS, CessationRequest, DiscretionaryClause, EventKind
from pactum.responsibility.current import basis_not_cited, clause_refusal
from pactum.responsibility.determination import parse_request
from pactum.responsibility.model import DocumentKind, VisaType
from pactum.responsibility.procedure import (
    ACTION_LABELS,
    CLOSED,
    CRITERION_LABELS,
    LABELS,
    STATUSES,
    TAKE_BACK_GROUNDS,
    TAKE_CHARGE_CRITERIA,
    TRANSFER_RUNNING,
    TRANSITIONS,
    URGENT_BASIS,
    URGENT_GROUNDS,
    criterion_label,
    status_label,
    take_charge_criteria,
)
from pactum.responsibility.schemas import (
    CaseCreate,
    DocumentCorrection,
    DocumentRecord,
    DocumentWithdrawal,
    EvidenceKind,
    HitCategory,
    HitCreate,
    RequestAction,
    RequestCreate,
)
from pactum.services import reads, responsibility
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web import facts_form
from pactum.web.forms import refused_form_page, typed_text, whole_number
from pactum.web.render import NavItem, Problem, field_problems, problems, render, web_principal

router = APIRouter()
NAV = [
    NavItem("Dublin inbox", "/responsibility/inbox", {Role.dublin_unit}, order=20),
    NavItem("Dublin outbox", "/responsibility/outbox", {Role.dublin_unit}, order=21),
    NavItem("Responsibility", "/responsibility/cases", {Role.caseworker, Role.dublin_unit}, order=22),
    NavItem("Dublin statistics", "/responsibility/statistics",
            {Role.dublin_unit, Role.analyst, Role.admin}, order=23),
]
Svc = Depends(get_services)
Who = Depends(web_principal)

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


#: The filters of the inbox and outbox, as the page labels them.
QUEUE_LABELS = {"status": "Status", "kind": "Kind"}
KIND_LABELS = {"take_charge": "take charge", "take_back": "take back",
               "take_back_notification": "take-back notification", "humanitarian": "humanitarian clause"}


def _queue_filters(status: str, kind: str) -> tuple[str | None, str | None]:
    """The filters as the service takes them: a blank one is no filter."""
    return status.strip() or None, kind.strip() or None


#: Requests on one page of the inbox or outbox.
QUEUE_PAGE = 100


def _queue_page(request: Request, services: Services, principal: Principal, box: str, closed: bool,
                status: str, kind: str, offset: int) -> Response:
    """The inbox or outbox with its filters, :data:`QUEUE_PAGE` requests from ``offset``; a filter
    that is not one is said next to it (422), the list then showing the open requests unfiltered."""
    status_is, kind_is = _queue_filters(status, kind)
    errors: list[str] = []
    offset = max(offset, 0)
    try:
        page = responsibility.queue_page(services, principal, box, include_closed=closed, status=status_is,
                                         kind=kind_is, limit=QUEUE_PAGE, offset=offset, channel=reads.WEB)
    except ValidationProblem as exc:
        errors = [f"{QUEUE_LABELS.get(f, f)}: {m}" for f, m in exc.problems]
        # the open requests the page shows instead are a read like any other
        page = responsibility.queue_page(services, principal, box, include_closed=closed, limit=QUEUE_PAGE,
                                         channel=reads.WEB)
    query = urlencode({k: v for k, v in (("status", status), ("kind", kind),
                                         ("closed", "true" if closed else "")) if v})
    return render(request, "responsibility/queue.html", {
        "box": box, "rows": page["requests"], "total": page["total"], "offset": page["offset"],
        "page_size": QUEUE_PAGE, "closed": closed, "urgency": urgency, "errors": errors,
        "status": status, "kind": kind, "statuses": [(s, LABELS.get(s, s)) for s in STATUSES],
        "kinds": list(KIND_LABELS.items()), "query": query, "kind_labels": KIND_LABELS,
        "closed_statuses": CLOSED,
        "filtered": bool(status_is or kind_is)},
        principal=principal, status_code=422 if errors else 200)


def _queue_csv(services: Services, principal: Principal, box: str, closed: bool, status: str,
               kind: str) -> Response:
    """The list the page shows, with its filters, as CSV (the file of
    ``GET /api/v1/responsibility/{box}.csv``); a filter that is not one is 422 naming it."""
    status_is, kind_is = _queue_filters(status, kind)
    try:
        text = responsibility.queue_csv(services, principal, box, include_closed=closed, status=status_is,
                                        kind=kind_is, channel=reads.WEB)
    except ValidationProblem as exc:
        said = "; ".join(f"{QUEUE_LABELS.get(f, f)}: {m}" for f, m in exc.problems)
        return Response(said + "\n", status_code=422, media_type="text/plain; charset=utf-8")
    day = services.clock.today().isoformat()
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="dublin-{box}-{day}.csv"'})


@router.get("/responsibility/inbox")
def inbox(request: Request, services: Services = Svc, principal: Principal = Who,
          closed: bool = False, status: str = "", kind: str = "", offset: int = 0) -> Response:
    return _queue_page(request, services, principal, "inbox", closed, status, kind, offset)


@router.get("/responsibility/outbox")
def outbox(request: Request, services: Services = Svc, principal: Principal = Who,
           closed: bool = False, status: str = "", kind: str = "", offset: int = 0) -> Response:
    return _queue_page(request, services, principal, "outbox", closed, status, kind, offset)


@router.get("/responsibility/inbox.csv")
def inbox_csv(services: Services = Svc, principal: Principal = Who, closed: bool = False,
              status: str = "", kind: str = "") -> Response:
    return _queue_csv(services, principal, "inbox", closed, status, kind)


@router.get("/responsibility/outbox.csv")
def outbox_csv(services: Services = Svc, principal: Principal = Who, closed: bool = False,
               status: str = "", kind: str = "") -> Response:
    return _queue_csv(services, principal, "outbox", closed, status, kind)


#: What the request page says after an action was recorded (``done``), or the request was sent.
DONE = {
    "sent": "Request sent.", "accept": "Accepted: your state is responsible.", "refuse": "Refused.",
    "contest": "Contested: your state is not obliged to take the person back.",
    "request_reexamination": "Re-examination requested.", "accept_reexamination": "Re-examination: accepted.",
    "refuse_reexamination": "Re-examination: refused.", "decide_transfer": "Transfer decision recorded.",
    "arrange_transfer": "Transfer arranged.", "complete_transfer": "Transfer completed.",
    "extend_transfer": "Transfer period extended.", "record_appeal": "Appeal recorded.",
    "decide_appeal": "Appeal decision recorded.", "withdraw": "Request withdrawn.",
}


#: The kinds of evidence (Reg. 1560/2003 Annex II) as the request form and page name them.
EVIDENCE_LABELS = {"eurodac_hit": "Eurodac hit", "vis_hit": "VIS hit", "document": "document",
                   "family_link": "family link", "statement": "statement", "travel_ticket": "travel ticket",
                   "other": "other"}
_LEADING = " :;,.-\u2013\u2014"


def evidence_text(evidence: Mapping[str, Any]) -> str:
    """A piece of evidence as one line, its kind said once: "Eurodac hit: registered in MT on
    2026-06-13", also when the description itself begins with the kind ("Eurodac hit: ...")."""
    kind = str(evidence.get("kind") or "other")
    label = EVIDENCE_LABELS.get(kind, kind.replace("_", " "))
    text = str(evidence.get("description") or "").strip()
    for said in (label, kind, kind.replace("_", " ")):
        if text.lower().startswith(said.lower()) and (len(text) == len(said) or text[len(said)] in _LEADING):
            text = text[len(said):].lstrip(_LEADING)
            break
    return f"{label}: {text}" if text else label


def _day(value: Any) -> date | None:
    """A day the request read gives as a date or its ISO text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _request_page(request: Request, services: Services, principal: Principal, request_id: str,
                  errors: list[str] | None = None, status_code: int = 200,
                  submitted: Mapping[str, str] | None = None, done: str = "") -> Response:
    """The request; after a refused action, that action's form keeps what was typed (``submitted``,
    the action under ``action``); after an action recorded, the page says so (``done``)."""
    req = responsibility.get_request(services, principal, request_id)
    said = DONE.get(done) or (f"Recorded: {done.replace('_', ' ')}." if done in TRANSITIONS else "")
    return render(request, "responsibility/request.html", {
        "r": req, "errors": errors or [], "urgency": urgency, "submitted": dict(submitted or {}),
        "evidence_text": evidence_text, "done": said, "action_labels": ACTION_LABELS,
        "kind_labels": KIND_LABELS,
        # the humanitarian clause's article under the request's regime (the written consent's basis)
        "humanitarian_clause": responsibility.humanitarian_clause(req["regime"]),
        "urgent_grounds": URGENT_GROUNDS.get(req["regime"], {}),
        "urgent_basis": URGENT_BASIS.get(req["regime"], ("", "")),
        # the grounds on which the state asked may refuse because its obligations ceased
        "refusal_grounds": responsibility.refusal_grounds(
            req["regime"], req["kind"], req["criterion"],
            _day(req.get("registered_on")))},
        principal=principal, status_code=status_code)


@router.get("/responsibility/requests/{request_id}")
def request_view(request: Request, request_id: str, done: str = "", services: Services = Svc,
                 principal: Principal = Who) -> Response:
    return _request_page(request, services, principal, request_id, done=done)


def _act_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                 problem: ValidationProblem, request_id: str) -> Response:
    return _request_page(request, services, principal, request_id, request_problems(problem), 422, typed)


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
                "refusal_ground": form.get("refusal_ground"), "left_on": form.get("left_on"),
                "evidence": form.get("evidence"),
            }.items()})
        responsibility.act(services, principal, request_id, action, body)
    except (ValidationError, ValidationProblem) as exc:
        return _request_page(request, services, principal, request_id, request_problems(exc), 422, typed)
    except (Conflict, Forbidden) as exc:
        return _request_page(request, services, principal, request_id, request_problems(exc),
                             409 if isinstance(exc, Conflict) else 403, typed)
    return RedirectResponse(f"/responsibility/requests/{request_id}?done={quote(action)}", status_code=303)


def _form_page(request: Request, services: Services, principal: Principal, *,
               facts: Mapping[str, Any], extra_rows: Mapping[str, int] | None = None,
               reference: str = "", applicant_name: str = "", person_id: str = "",
               refused: list[tuple[str, str]] | None = None, result: Mapping[str, Any] | None = None,
               draft: Mapping[str, Any] | None = None, status_code: int = 200,
               offset: int = 0) -> Response:
    """The determination form with ``facts`` in its inputs, the problems ``refused`` next to their
    inputs and summed up above the form, a determination's ``result`` under it, and the recorded
    cases (:data:`CASES_PAGE` from ``offset``). ``draft``: the sources and open points of facts
    filled in from a person's records."""
    located = [(facts_form.form_path(path), plain_message(message)) for path, message in refused or []]
    fields: dict[str, list[str]] = {}
    for path, message in located:
        fields.setdefault(path, []).append(message)
    page = responsibility.cases_page(services, principal, limit=CASES_PAGE, offset=max(offset, 0), channel=reads.WEB)
    return render(request, "responsibility/cases.html", {
        "rows": page["cases"], "total": page["total"], "offset": page["offset"], "page_size": CASES_PAGE,
        "facts": facts,
        "sections": facts_form.sections(facts, extra_rows=extra_rows),
        "form": facts_form, "states": MEMBER_STATES, "by_field": fields,
        "errors": [f"{_described(path)}: {message}" if path else message for path, message in located],
        "result": result, "reference": reference, "applicant_name": applicant_name,
        "person_id": person_id, "draft": draft, "criterion_label": criterion_label,
        # the "New determination" disclosure opens on a form being filled in: problems, a result,
        # facts from a person's records or a recorded case, or anything typed
        "form_open": bool(located or result or draft or reference or applicant_name or person_id
                          or extra_rows or _typed_facts(facts)),
        "facts_json": json.dumps(facts, indent=2) if result else ""},
        principal=principal, status_code=status_code)


def _typed_facts(facts: Mapping[str, Any]) -> bool:
    """Whether ``facts`` hold more than the blank form's (the application registered in the
    user's state, nothing else)."""
    return any(v for k, v in facts.items() if k != "application") or any(
        v for k, v in (facts.get("application") or {}).items() if k != "registered_in")


def _described(path: str) -> str:
    """A problem's input as the page labels it (:func:`facts_form.describe`, and the question on
    leaving the territories, which this page adds)."""
    if path == "left_territory_since_entry":
        return "Left the territories of the Member States since entering"
    return facts_form.describe(path)


#: Recorded cases on one page of the determination form.
CASES_PAGE = 100


@router.get("/responsibility/cases")
def cases(request: Request, services: Services = Svc, principal: Principal = Who,
          person_id: str = "", case_id: str = "", offset: int = 0) -> Response:
    """The form, blank (the application registered in the user's state), with ``?person_id=``
    filled in from that person's records for the officer to check and complete, or with
    ``?case_id=`` holding a recorded case's facts (to determine again after new facts); the
    recorded cases under it from ``?offset=``."""
    if case_id:
        case = responsibility.get_case(services, principal, case_id)
        return _form_page(request, services, principal, facts=case["facts"],
                          person_id=case["person_id"] or "", applicant_name=case["applicant_name"] or "")
    if person_id:
        draft = responsibility.facts_from_records(services, principal, person_id, channel="web")
        return _form_page(request, services, principal, facts=draft["facts"], person_id=person_id,
                          applicant_name=draft["applicant_name"] or "", draft=draft)
    return _form_page(request, services, principal,
                      facts={"application": {"registered_in": principal.member_state or ""}}, offset=offset)


#: Whether the applicant left the territories of the Member States since entering (Dublin III Art
#: 12(4), second subparagraph): the form's answers and the fact each one gives (blank: not known,
#: the fact left out).
LEFT_TERRITORY = {"no": False, "yes": True}


def _facts_of_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """:func:`facts_form.facts_of_form` and the answer to "left the territories of the Member
    States since entering": ``yes``/``no`` as the fact, blank left out (not known); any other
    answer is a :class:`ValidationProblem` naming the field."""
    facts, blank = facts_form.facts_of_form(form)
    answer = form.get("left_territory_since_entry")
    answer = answer.strip() if isinstance(answer, str) else ""
    if answer and answer not in LEFT_TERRITORY:
        raise ValidationProblem.one("left_territory_since_entry",
                                    "answer no (has not left), yes (left), or leave it blank (not known)")
    if answer:
        facts["left_territory_since_entry"] = LEFT_TERRITORY[answer]
    return facts, blank


def _typed(typed: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, int]]:
    """The facts as typed, for the form shown again (an over-long list shown without its rows)."""
    try:
        return _facts_of_form(typed)
    except ValidationProblem:
        return {"application": {}}, {}


def _determine_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                       problem: ValidationProblem) -> Response:
    """The determination form again: the facts and reference as typed, and why they were refused."""
    facts, blank = _typed(typed)
    return _form_page(request, services, principal, facts=facts, extra_rows=blank,
                      reference=typed.get("reference", ""), applicant_name=typed.get("applicant_name", ""),
                      person_id=typed.get("person_id", ""),
                      refused=[(facts_form.form_path(p), m) for p, m in problem.problems], status_code=422)


@router.post("/responsibility/cases")
@refused_form_page(_determine_refused)
async def create_case(request: Request, services: Services = Svc,
                      principal: Principal = Who) -> Response:
    """One form, three buttons: add a row to a list (``add`` names the list; nothing is
    determined), determine (``determine``: the result under the form, nothing recorded), or
    determine and record the case (``save``: the reference is required)."""
    form = typed_text(await request.form())
    reference = (form.get("reference") or "").strip()
    applicant_name = (form.get("applicant_name") or "").strip()
    person_id = (form.get("person_id") or "").strip()
    def page(facts: Mapping[str, Any], **more: Any) -> Response:
        return _form_page(request, services, principal, facts=facts, reference=reference,
                          applicant_name=applicant_name, person_id=person_id, **more)

    try:
        facts, blank = _facts_of_form(form)
    except ValidationProblem as exc:
        facts, blank = _typed({k: v for k, v in form.items() if not k.startswith(exc.problems[0][0])})
        return page(facts, refused=list(exc.problems), status_code=422)
    adding = form.get("add") or ""
    if adding:
        extra = {**blank, adding: blank.get(adding, 0) + 1}
        return page(facts, extra_rows=extra)
    refused: list[tuple[str, str]] = []
    result = None
    try:
        if form.get("save"):
            if not reference:
                raise ValidationProblem.one("reference", "required to record the case (your file number)")
            case = responsibility.create_case(services, principal, CaseCreate.model_validate(
                {"reference": reference, "applicant_name": applicant_name or None,
                 "person_id": person_id or None, "facts": facts}))
            return RedirectResponse(f"/responsibility/cases/{case['id']}?recorded=true", status_code=303)
        result = responsibility.determine(services, principal, parse_request(facts))
    except (ValidationError, ValidationProblem) as exc:
        refused = field_problems(exc)
    except Forbidden as exc:
        refused = [("", str(exc))]
    return page(facts, extra_rows=blank, refused=refused, result=result,
                status_code=422 if refused else 200)


#: Pieces of evidence the request form offers (Regulation (EC) No 1560/2003, Annex II lists the kinds).
EVIDENCE_ROWS = 3

#: The labels of the request forms' fields (the case page's "Send a request", the request page's
#: actions), for the refusals to name what the officer sees rather than the JSON field.
REQUEST_LABELS = {
    "kind": "Kind", "requested_member_state": "To", "eurodac_hit": "Eurodac hit",
    "hit_on": "Date of the Eurodac hit", "hit_source": "Source of the hit", "urgent_ground": "Urgent reply: the application came after",
    "urgent_decision_on": "Day of that decision", "urgent_reasons": "Reasons for urgency",
    "urgent_reply_by": "Urgent reply asked by", "detained": "Detained",
    "detained_on": "Placed in detention on", "take_back_ground": "Take-back ground", "criterion": "Criterion",
    "consented_in_writing_on": "Written consent of the persons concerned given on",
    "evidence": "Evidence", "reasons": "Reasons", "planned_on": "Planned on", "arrangements": "Arrangements",
    "transferred_on": "Transferred on", "extension_reason": "Reason", "appeal_lodged_on": "Appeal lodged on",
    "suspensive_effect": "Suspensive effect", "appeal_decided_on": "Final decision on", "confirm": "Confirm",
    "version": "Version",
}
#: Codes a refusal may quote, as the form words them.
_CODE_WORDS = {
    "take_back_notification": "take-back notification", "take_charge": "take charge", "take_back": "take back",
    "humanitarian": "humanitarian clause", "dublin_iii": "Dublin III", "ammr": "the AMMR",
    **{code: f"\u201c{g[0].replace('{state}', 'the state asked')}\u201d"
       for grounds in TAKE_BACK_GROUNDS.values() for code, g in grounds.items()},
    **{code: f"\u201c{CRITERION_LABELS[code]}\u201d" for code in TAKE_CHARGE_CRITERIA},
}
#: (a code already followed by "clause", "humanitarian-clause request", is words already)
_CODES = re.compile(r"'?\b(" + "|".join(sorted(map(re.escape, _CODE_WORDS), key=len, reverse=True))
                    + r")\b(?![- ]clause)'?")
_FIELDS_QUOTED = re.compile(r"'(" + "|".join(map(re.escape, REQUEST_LABELS)) + r")'")


def request_problems(exc: Exception, evidence_rows: list[int] | None = None) -> list[str]:
    """A refused request or action, one line per field as the form labels it: "Date of the
    Eurodac hit: ...", "Evidence 2, What it shows: ...", "Reasons: at most 4000 characters".
    Each line is a :class:`~pactum.web.render.Problem` that knows the field as the form names it
    (``hit_on``, ``evidence[1].description``), which the form marks; ``evidence_rows``: the form's
    row of each piece of evidence sent (a row without a description is not sent)."""
    out: list[str] = []
    for path, message in field_problems(exc):
        message = _FIELDS_QUOTED.sub(lambda m: f"\u201c{REQUEST_LABELS[m.group(1)]}\u201d", message)
        message = _CODES.sub(lambda m: _CODE_WORDS[m.group(1)], message)
        message = message.replace("String should have at most", "at most").replace(
            "String should have at least", "at least")
        ev = re.fullmatch(r"evidence[.\[](\d+)\]?\.(\w+)", path)
        if ev:
            sent = int(ev.group(1))
            row = evidence_rows[sent] if evidence_rows is not None and sent < len(evidence_rows) else sent
            label = f"Evidence {row + 1}, {'What it shows' if ev.group(2) == 'description' else 'Kind'}"
            field = f"evidence[{row}].{ev.group(2)}"
        else:
            field = path.split(".", 1)[0]
            label = REQUEST_LABELS.get(field, field.replace("_", " "))
        out.append(Problem(f"{label}: {message}", field) if label else Problem(message))
    return out


#: Where a request stands on a case, what a hit recorded now is for (the case page's hit form):
#: the one state examines the application (Dublin III Art 3(1); AMMR Art 16(1)), so no other
#: request lies while it stands and the hit runs no time limit now; it serves a next request only.
_ONE_STATE_BASIS = {"dublin_iii": "Regulation (EU) No 604/2013, Article 3(1)",
                    "ammr": "Regulation (EU) 2024/1351, Article 16(1)"}
#: A transfer made impossible (systemic flaws, a risk of inhuman or degrading treatment): the
#: determining state goes on with the criteria to find another state responsible.
_TRANSFER_IMPOSSIBLE = {"dublin_iii": "Regulation (EU) No 604/2013, Article 3(2), second subparagraph",
                        "ammr": "Regulation (EU) 2024/1351, Article 16(3)"}


def _hit_next(requests: list[dict[str, Any]], regime: str) -> dict[str, Any] | None:
    """What a hit recorded now is for while a request of the case stands (the latest not closed),
    or ``None`` when none stands: ``request`` (its id), ``to``, ``status`` (in words), ``transfer``
    (accepted, or a transfer decided or arranged: the state asked is responsible), ``when`` (when
    a next request would lie) and ``legal_basis``."""
    standing = [r for r in requests if r["status"] not in CLOSED]
    if not standing:
        return None
    r = standing[-1]
    transfer = r["status"] in TRANSFER_RUNNING
    if transfer:
        when = (f"only if this request is withdrawn, for instance because the transfer to {r['requested_member_state']} "
                "proves impossible and the criteria are examined further to find another Member State responsible")
        basis = [_ONE_STATE_BASIS[regime], _TRANSFER_IMPOSSIBLE[regime]]
    else:
        when = (f"only if {r['requested_member_state']} refuses it finally or this request is withdrawn")
        basis = [_ONE_STATE_BASIS[regime]]
    return {"request": r["id"], "to": r["requested_member_state"], "transfer": transfer,
            "status": status_label(r["kind"], r["status"]), "when": when,
            "legal_basis": basis}


#: Events the "who is responsible on a day" form offers at once (blank rows are left out).
CESSATION_ROWS = 3


def _case_page(request: Request, services: Services, principal: Principal, case_id: str,
               errors: list[str] | None = None, status_code: int = 200,
               submitted: dict[str, str] | None = None, recorded: bool = False,
               cessation: Mapping[str, Any] | None = None,
               cessation_errors: list[str] | None = None, clause_errors: list[str] | None = None,
               clause_applied: bool = False, hit_errors: list[str] | None = None,
               hit_recorded: bool = False) -> Response:
    """The case; after a refused request the request form keeps what was typed (``submitted``);
    ``recorded``: the case was just recorded (the page says so); ``cessation``: who is responsible
    on a day after later events, or ``cessation_errors`` why the events were refused (the events
    form keeps what was typed, in ``submitted`` too); ``clause_errors``: why the discretionary
    clause was refused (its form keeps what was typed); ``clause_applied``: it was just recorded;
    ``hit_errors``: why a Eurodac or VIS hit was refused (its form keeps what was typed);
    ``hit_recorded``: one was just recorded."""
    case = responsibility.get_case(services, principal, case_id)
    own = principal.member_state == case["member_state"] and principal.has(*responsibility.CASE_RECORDERS)
    now = case["responsible_now"]
    clause_barred = clause_refusal(case["member_state"], now["member_state"], now["reason"], now["legal_basis"],
                                   [(r["requested_member_state"], r["transferred_on"] or r["closed_on"], r["id"])
                                    for r in case["requests"] if r["status"] == "transferred"])
    # a hit: recorded by the Dublin unit of the case's state, unless no request lies any more (the
    # rule the service refuses it by)
    hit_unit = principal.member_state == case["member_state"] and principal.has(Role.dublin_unit)
    hit_bar = responsibility.hit_barred(
        case["member_state"], [(r["requested_member_state"], r["id"]) for r in case["requests"]
                               if r["status"] == "transferred"],
        now["member_state"], now.get("rule", ""), now["reason"], now["legal_basis"])
    return render(request, "responsibility/case.html", {
        "c": case, "errors": errors or [], "states": sorted(MEMBER_STATES), "urgency": urgency,
        # "Responsible now": the bracket names the articles the sentence does not cite itself
        "now_basis": basis_not_cited(now["reason"], now["legal_basis"]),
        # the request form's "To": the other Member States (a request goes to another state)
        "request_states": sorted(s for s in MEMBER_STATES if s != case["member_state"]),
        "form": facts_form, "evidence_kinds": get_args(EvidenceKind), "evidence_rows": EVIDENCE_ROWS,
        "evidence_labels": EVIDENCE_LABELS,
        "event_kinds": get_args(EventKind), "cessation_rows": CESSATION_ROWS,
        # codes in words: the events of the what-if form, the timeline's actions, the request kinds
        "event_labels": EVENT_LABELS, "action_labels": ACTION_LABELS, "kind_labels": KIND_LABELS,
        "take_back_grounds": TAKE_BACK_GROUNDS,
        "urgent_grounds": URGENT_GROUNDS.get(case["determination"]["regime"], {}),
        "urgent_basis": URGENT_BASIS.get(case["determination"]["regime"], ("", "")),
        # the request form: the kinds that lie, and why the others do not (the service's rule)
        **_request_form(case.get("new_request")),
        "humanitarian_clause": responsibility.humanitarian_clause(case["determination"]["regime"]),
        # the request form's "Criterion" (a take charge): the regime's criteria, in words
        "take_charge_criteria": [(code, CRITERION_LABELS[code], basis) for code, basis in
                                 take_charge_criteria(case["determination"]["regime"]).items()],
        # who may record this state's cases may determine again from the case's facts
        "records_cases": own,
        # the discretionary clause: offered to the state's officers unless the rule the service
        # refuses it by says why not (the person transferred, the state already responsible)
        "may_apply_clause": own and clause_barred is None, "clause_barred": clause_barred if own else None,
        "clause_errors": clause_errors or [], "clause_applied": clause_applied,
        "clause_running": [r for r in case["requests"] if r["status"] not in CLOSED],
        # a hit received before a request: recorded by the Dublin unit of the case's state; the
        # request form fills in the latest Eurodac hit recorded (the service applies it anyway to a
        # take charge that states none)
        "may_record_hit": hit_unit and hit_bar is None, "hit_barred": hit_bar if hit_unit else None,
        # a request still standing: a hit recorded now serves only a next request (the page says so)
        "hit_next": _hit_next(case["requests"], case["determination"]["regime"]),
        "hit_categories": [(c, HIT_CATEGORY_LABELS.get(c, c)) for c in get_args(HitCategory)],
        "hit_category_labels": HIT_CATEGORY_LABELS,
        "hit_errors": hit_errors or [], "hit_recorded": hit_recorded,
        # the latest hit recorded (Eurodac or VIS): its day and source fill in the form
        "recorded_hit_on": (case.get("hits") or [{}])[-1].get("hit_on"),
        "recorded_hit_source": (case.get("hits") or [{}])[-1].get("source"),
        "today": services.clock.today().isoformat(), "cessation": cessation,
        "cessation_errors": cessation_errors or [],
        "submitted": submitted or {}, "recorded": recorded}, principal=principal, status_code=status_code)


def _request_form(lies: Mapping[str, Any] | None) -> dict[str, Any]:
    """The request form's choices from the case's ``new_request`` (whether a request lies, by kind,
    as :func:`pactum.services.responsibility.request_bars` decides and refuses): ``offered``, the
    kinds that lie, in words (perhaps only with a Eurodac hit), for the form's "Kind"; an empty
    list: no request lies and the page shows why instead of the form; ``request_notice``, why the
    other kinds do not lie (or only with a hit), kinds refused for the same reason said once;
    ``humanitarian_barred``, why the humanitarian clause is not offered when other kinds are (said
    beside the field)."""
    kinds = list((lies or {}).get("kinds") or [])
    offered = [(k["kind"], KIND_LABELS.get(k["kind"], k["kind"])) for k in kinds if k["lies"]]
    notice: list[dict[str, Any]] = []
    for k in kinds:
        if not k["reason"] or (offered and k["kind"] == "humanitarian" and not k["lies"]):
            continue  # it lies; or the humanitarian clause, said beside the form's "Kind"
        same = next((n for n in notice if n["reason"] == k["reason"]), None)
        if same is None:
            notice.append({"kinds": [KIND_LABELS.get(k["kind"], k["kind"])], "reason": k["reason"],
                           "legal_basis": basis_not_cited(k["reason"], k["legal_basis"]),
                           "hit_only": k["only_with_eurodac_hit"]})
        else:
            same["kinds"].append(KIND_LABELS.get(k["kind"], k["kind"]))
    humanitarian = next((k for k in kinds if k["kind"] == "humanitarian"), None)
    barred = humanitarian["reason"] if offered and humanitarian is not None and not humanitarian["lies"] else None
    return {"offered": offered, "request_notice": notice, "humanitarian_barred": barred}


_EVENT_FIELDS = {"kind": "What happened", "on": "On", "member_state": "State", "returned_on": "Returned on"}


def _cessation_problems(exc: Exception, rows: list[int] | None = None) -> list[str]:
    """The refused events as the form labels them: "Event 2, State: is required for ...";
    ``rows``: the form's row of each event sent (blank rows are not sent). Each line is a
    :class:`~pactum.web.render.Problem` that knows the field as the form names it
    (``events[1].member_state``, ``on``), which the form marks."""
    out: list[str] = []
    for path, message in field_problems(exc):
        m = re.fullmatch(r"events\[(\d+)\]\.(\w+)", facts_form.form_path(path))
        if m:
            sent = int(m.group(1))
            row = rows[sent] if rows is not None and sent < len(rows) else sent
            where = f"Event {row + 1}, {_EVENT_FIELDS.get(m.group(2), m.group(2))}"
            field = f"events[{row}].{m.group(2)}"
        else:
            where, field = {"on": "Responsible on"}.get(path, path), path
        out.append(Problem(f"{where}: {message}", field) if where else Problem(message))
    return out


def _cessation_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                       problem: ValidationProblem, case_id: str) -> Response:
    return _case_page(request, services, principal, case_id, status_code=422, submitted=dict(typed),
                      cessation_errors=_cessation_problems(problem))


@router.post("/responsibility/cases/{case_id}/cessation")
@refused_form_page(_cessation_refused)
async def case_cessation(request: Request, case_id: str, services: Services = Svc,
                         principal: Principal = Who) -> Response:
    """Who is responsible for the case's applicant on a day, after the events typed since the
    determination (the discretionary clause, a residence document, a missed transfer deadline,
    absence, return, the end of the obligations after the border procedure). Records nothing."""
    form = typed_text(await request.form())
    case = responsibility.get_case(services, principal, case_id, channel=None)  # the page shown logs the read
    typed = [{k: (form.get(f"events[{i}].{k}") or "").strip() or None
              for k in ("kind", "on", "member_state", "returned_on")} for i in range(CESSATION_ROWS)]
    rows = [i for i, e in enumerate(typed) if e["kind"] or e["on"]]  # a blank row is no event
    body = {"registered_on": case["registered_on"],
            "responsible_member_state": case["determination"]["responsible_member_state"],
            "events": [{k: v for k, v in typed[i].items() if v is not None} for i in rows],
            "on": (form.get("on") or "").strip() or None}
    try:
        result = responsibility.cessation(services, principal, CessationRequest.model_validate(body))
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, status_code=422, submitted=dict(form),
                          cessation_errors=_cessation_problems(exc, rows))
    return _case_page(request, services, principal, case_id, submitted=dict(form), cessation=result)


@router.get("/responsibility/cases/{case_id}")
def case_view(request: Request, case_id: str, recorded: bool = False, clause: bool = False, hit: bool = False,
              services: Services = Svc, principal: Principal = Who) -> Response:
    return _case_page(request, services, principal, case_id, recorded=recorded, clause_applied=clause,
                      hit_recorded=hit)


#: The Eurodac categories as the hit form words them (Regulation (EU) 2024/1358 and No 603/2013).
HIT_CATEGORY_LABELS = {
    "irregular_crossing": "irregular crossing of an external border",
    "sar": "disembarked after a search and rescue operation",
    "applicant": "applicant for international protection (an earlier application)",
    "illegal_stay": "found illegally staying",
    "union_resettlement": "admission under the Union resettlement framework",
    "national_resettlement": "national resettlement",
    "temporary_protection": "temporary protection",
}
#: The hit form's fields as the page labels them.
HIT_LABELS = {"hit_on": "Hit received on", "member_state": "Member State of the data matched",
              "source": "Hit from", "category": "Category of the data matched", "reference": "Reference"}


def _hit_problems(exc: Exception) -> list[str]:
    """The refused hit as its form labels it, each line a :class:`~pactum.web.render.Problem` that
    knows its field, which the form marks."""
    out: list[str] = []
    for path, message in field_problems(exc):
        field = path.split(".", 1)[0]
        label = HIT_LABELS.get(field, path)
        message = message.replace("String should have at most", "at most")
        out.append(Problem(f"{label}: {message}", field) if label else Problem(message))
    return out


def _hit_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                 problem: ValidationProblem, case_id: str) -> Response:
    return _case_page(request, services, principal, case_id, status_code=422, submitted=dict(typed),
                      hit_errors=_hit_problems(problem))


@router.post("/responsibility/cases/{case_id}/hits")
@refused_form_page(_hit_refused)
async def case_hit(request: Request, case_id: str, services: Services = Svc,
                   principal: Principal = Who) -> Response:
    """The case's Dublin unit records a Eurodac or VIS hit it received before any request: the
    request's time limit then runs from it (AMMR Art 39(1), second subparagraph; Dublin III Arts
    21(1), second subparagraph, and 23(2))."""
    form = typed_text(await request.form())
    typed = dict(form)
    try:
        source = form.get("hit_source") or "eurodac"
        body = HitCreate.model_validate({
            "hit_on": (form.get("hit_received_on") or "").strip() or None,
            "member_state": form.get("hit_member_state") or "", "source": source,
            "category": (form.get("hit_category") or None) if source == "eurodac" else None,
            "reference": (form.get("hit_reference") or "").strip() or None})
        responsibility.record_hit(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, status_code=422, submitted=typed,
                          hit_errors=_hit_problems(exc))
    except (Conflict, Forbidden) as exc:
        return _case_page(request, services, principal, case_id, status_code=409 if isinstance(exc, Conflict) else 403,
                          submitted=typed, hit_errors=_hit_problems(exc))
    return RedirectResponse(f"/responsibility/cases/{quote(case_id)}?hit=true", status_code=303)


# --- Residence documents and visas issued by the state ----------------------------------------------

#: The document form's fields as the page labels them.
DOCUMENT_LABELS = {"kind": "Kind", "issued_on": "Issued on", "valid_from": "Valid from",
                   "valid_until": "Valid until", "number": "Number", "visa_type": "Visa type",
                   "issued_on_behalf_of": "Issued on behalf of", "reason": "Reason", "version": "Version"}
DOCUMENT_FIELDS = ("kind", "issued_on", "valid_from", "valid_until", "number", "visa_type", "issued_on_behalf_of")


def _document_problems(exc: Exception) -> list[str]:
    """The refused document as its form labels it, each line knowing its field (marked on the form)."""
    out: list[str] = []
    for path, message in field_problems(exc):
        field = path.split(".", 1)[0]
        label = DOCUMENT_LABELS.get(field)
        message = message.replace("String should have at most", "at most")
        out.append(Problem(f"{label}: {message}", field) if label else Problem(message))
    return out


def _documents_page(request: Request, services: Services, principal: Principal, person_id: str, *,
                    status_code: int = 200, submitted: Mapping[str, str] | None = None,
                    errors: list[str] | None = None, edit: str = "", done: str = "") -> Response:
    documents = responsibility.person_documents(services, principal, person_id, withdrawn=True, channel=reads.WEB)
    typed = dict(submitted or {})
    editing = next((d for d in documents if d["id"] == (typed.get("document_id") or edit) and not d["withdrawn"]),
                   None)
    if editing is not None and submitted is None:
        typed = {k: editing[k] or "" for k in DOCUMENT_FIELDS}
        typed.update({"document_id": editing["id"], "version": str(editing["version"])})
    return render(request, "responsibility/documents.html", {
        "person_id": person_id, "documents": documents, "editing": editing, "submitted": typed,
        "errors": errors or [], "done": done, "states": sorted(MEMBER_STATES),
        "visa_types": get_args(VisaType), "kinds": get_args(DocumentKind),
        "may_record": Role.dublin_unit in principal.roles,
    }, principal=principal, status_code=status_code)


@router.get("/responsibility/persons/{person_id}/documents")
def person_documents(request: Request, person_id: str, edit: str = "", done: str = "",
                     services: Services = Svc, principal: Principal = Who) -> Response:
    """The residence documents and visas the state issued to its person, recorded by its Dublin unit
    (AMMR Art 29; Dublin III Art 12), with the form to record, correct or withdraw one."""
    return _documents_page(request, services, principal, person_id, edit=edit, done=done)


def _document_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                      problem: ValidationProblem, person_id: str) -> Response:
    return _documents_page(request, services, principal, person_id, status_code=422, submitted=dict(typed),
                           errors=_document_problems(problem))


@router.post("/responsibility/persons/{person_id}/documents")
@refused_form_page(_document_refused)
async def person_document(request: Request, person_id: str, services: Services = Svc,
                          principal: Principal = Who) -> Response:
    """Record a document (or, with ``document_id`` and ``version``, correct one): refused fields are
    said beside them and in the summary, with everything typed kept."""
    form = typed_text(await request.form())
    typed = dict(form)
    values: dict[str, Any] = {k: (form.get(k) or "").strip() or None for k in DOCUMENT_FIELDS}
    document_id = (form.get("document_id") or "").strip()
    try:
        if document_id:
            body = DocumentCorrection.model_validate({
                **values, "version": whole_number(form, "version"),
                "reason": (form.get("reason") or "").strip() or None})
            done = "corrected"
            responsibility.correct_document(services, principal, document_id, body)
        else:
            done = "recorded"
            responsibility.record_document(services, principal, person_id, DocumentRecord.model_validate(values))
    except (ValidationError, ValidationProblem) as exc:
        return _documents_page(request, services, principal, person_id, status_code=422, submitted=typed,
                               errors=_document_problems(exc))
    except (Conflict, Forbidden) as exc:
        return _documents_page(request, services, principal, person_id,
                               status_code=409 if isinstance(exc, Conflict) else 403,
                               submitted=typed, errors=_document_problems(exc))
    return RedirectResponse(f"/responsibility/persons/{quote(person_id)}/documents?done={done}", status_code=303)


@router.post("/responsibility/persons/{person_id}/documents/{document_id}/withdraw")
@refused_form_page(_document_refused)
async def withdraw_person_document(request: Request, person_id: str, document_id: str,
                                   services: Services = Svc, principal: Principal = Who) -> Response:
    """Withdraw a document recorded in error: it enters no draft of the facts any more."""
    form = typed_text(await request.form())
    try:
        body = DocumentWithdrawal.model_validate({"version": whole_number(form, "version"),
                                                  "reason": (form.get("reason") or "").strip() or None})
        responsibility.withdraw_document(services, principal, document_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _documents_page(request, services, principal, person_id, status_code=422,
                               errors=_document_problems(exc))
    except (Conflict, Forbidden) as exc:
        return _documents_page(request, services, principal, person_id,
                               status_code=409 if isinstance(exc, Conflict) else 403,
                               submitted={"withdraw_id": document_id, "withdraw_reason": form.get("reason") or ""},
                               errors=_document_problems(exc))
    return RedirectResponse(f"/responsibility/persons/{quote(person_id)}/documents?done=withdrawn", status_code=303)


#: The discretionary clause form's fields as the page labels them.
CLAUSE_LABELS = {"on": "Decided on", "reasons": "Reasons", "version": "Version", "confirm": "Confirm"}


def _clause_problems(exc: Exception) -> list[str]:
    """The refused clause as its form labels it, each line a :class:`~pactum.web.render.Problem`
    that knows its field, which the form marks."""
    out: list[str] = []
    for path, message in field_problems(exc):
        field = path.split(".", 1)[0]
        label = CLAUSE_LABELS.get(field, path)
        message = message.replace("String should have at least 1 character", "required").replace(
            "String should have at most", "at most")
        out.append(Problem(f"{label}: {message}", field) if label else Problem(message))
    return out


def _clause_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                    problem: ValidationProblem, case_id: str) -> Response:
    return _case_page(request, services, principal, case_id, status_code=422, submitted=dict(typed),
                      clause_errors=_clause_problems(problem))


@router.post("/responsibility/cases/{case_id}/discretionary-clause")
@refused_form_page(_clause_refused)
async def case_clause(request: Request, case_id: str, services: Services = Svc,
                      principal: Principal = Who) -> Response:
    """The case's state decides to examine the application itself (the discretionary clause, Dublin
    III Art 17(1); AMMR Art 35(1)): the officer ticks the confirmation, as the running requests are
    withdrawn and the state becomes responsible, which cannot be undone."""
    form = typed_text(await request.form())
    typed = dict(form)
    try:
        if not form.get("confirm"):
            raise ValidationProblem.one("confirm", "tick the box to confirm that your state examines the "
                                                   "application itself; it cannot be undone")
        body = DiscretionaryClause.model_validate({
            "version": form.get("version") or None, "on": (form.get("on") or "").strip() or None,
            "reasons": form.get("reasons") or ""})
        responsibility.apply_discretionary_clause(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, status_code=422, submitted=typed,
                          clause_errors=_clause_problems(exc))
    except (Conflict, Forbidden) as exc:
        return _case_page(request, services, principal, case_id, status_code=409 if isinstance(exc, Conflict) else 403,
                          submitted=typed, clause_errors=_clause_problems(exc))
    return RedirectResponse(f"/responsibility/cases/{quote(case_id)}?clause=true", status_code=303)


def _send_refused(request: Request, services: Services, principal: Principal, typed: Mapping[str, str],
                  problem: ValidationProblem, case_id: str) -> Response:
    rows = [i for i in range(EVIDENCE_ROWS) if str(typed.get(f"evidence[{i}].description") or "").strip()]
    return _case_page(request, services, principal, case_id, request_problems(problem, rows), 422, dict(typed))


@router.post("/responsibility/cases/{case_id}/requests")
@refused_form_page(_send_refused)
async def send_request(request: Request, case_id: str, services: Services = Svc,
                       principal: Principal = Who) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    rows = [i for i in range(EVIDENCE_ROWS) if str(form.get(f"evidence[{i}].description") or "").strip()]
    evidence = [{"kind": form.get(f"evidence[{i}].kind") or "other",
                 "description": form.get(f"evidence[{i}].description")} for i in rows]
    try:
        body = RequestCreate.model_validate({
            "kind": form.get("kind"),
            "requested_member_state": form.get("requested_member_state") or None,
            # unticked, "Eurodac hit" is not stated: the request carries the hit the case records
            **({"eurodac_hit": True} if form.get("eurodac_hit") == "on" else {}),
            "hit_on": form.get("hit_on") or None,
            # "Hit from": left on Eurodac, the request states no source (Eurodac, or the hit carried)
            **({"hit_source": form.get("hit_source")} if form.get("hit_source") else {}),
            # an urgent reply (a take charge): each field only when filled in
            **{f: form.get(f) for f in ("urgent_ground", "urgent_decision_on", "urgent_reasons", "urgent_reply_by")
               if str(form.get(f) or "").strip()},
            "detained": form.get("detained") == "on", "detained_on": form.get("detained_on") or None,
            "consented_in_writing_on": form.get("consented_in_writing_on") or None,
            "evidence": evidence,
            "take_back_ground": form.get("take_back_ground") or None,
            "criterion": form.get("criterion") or None})
        # a hit date typed without "Eurodac hit" ticked is refused by the service (the time limit
        # would otherwise silently run from the lodging): the officer says which was meant
        req = responsibility.send_request(services, principal, case_id, body)
    except (ValidationError, ValidationProblem) as exc:
        return _case_page(request, services, principal, case_id, request_problems(exc, rows), 422, typed)
    except (Conflict, Forbidden, NotFound) as exc:
        if isinstance(exc, NotFound):
            raise
        return _case_page(request, services, principal, case_id, request_problems(exc),
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
        "refused": sum(r["refused"] for r in rows),
        "contested": sum(r["contested"] for r in rows),
        "open": sum(r["open"] for r in rows),
        "transfers": sum(r["transfers"] for r in rows),
    }
    totals["transfer_rate"] = (round(totals["transfers"] / totals["requests"], 3)
                               if totals["requests"] else None)
    return render(request, "responsibility/statistics.html", {
        "rows": rows, "year": chosen, "typed_year": year, "errors": errors, "totals": totals,
        "impossible": sum(r.get("transfers_with_impossible_dates", 0) for r in rows)},
        principal=principal, status_code=422 if errors else 200)


@router.get("/responsibility/statistics.csv")
def statistics_csv(services: Services = Svc, principal: Principal = Who, year: str = "") -> Response:
    """The table the page shows, for the year chosen (blank: every year), as CSV (the file of
    ``GET /api/v1/responsibility/statistics.csv``); a year that is not one is 422 naming it."""
    try:
        chosen = whole_number({"year": year}, "year")
        text = responsibility.statistics_csv(services, principal, year=chosen)
    except ValidationProblem as exc:
        said = "; ".join(f"Year: {m}" if f == "year" else f"{f}: {m}" for f, m in exc.problems)
        return Response(said + "\n", status_code=422, media_type="text/plain; charset=utf-8")
    name = f"dublin-statistics-{chosen}" if chosen is not None else "dublin-statistics"
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


