"""Return officer's screens: queue, decisions, alert search and hits, recognition, operations,
assisted voluntary return and statistics. Every page and form calls :mod:`pactum.services.returns`
(and, for the alert search, the identity area's search service)."""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.api.routers import returns as api_returns
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.common.states import MEMBER_STATES
from pactum.common.text import shortened
from pactum.returns import calibration, territory
from pactum.returns.operations import OBSTACLES
from pactum.returns.rules import ALL_GROUNDS, FORM_GROUNDS
from pactum.returns.schemas import (
    NOTIFICATION_KINDS,
    AvrCreate,
    AvrDeparture,
    DepartureConfirm,
    DestinationAmendment,
    DestinationAppeal,
    DestinationAppealOutcome,
    EntryBanImposition,
    HitCreate,
    HitMessage,
    IdentityReviewed,
    OperationCreate,
    ParticipantCreate,
    ParticipantOutcome,
    ParticipantRemoval,
    PeriodExtension,
    ReadmissionAnswer,
    ReadmissionCreate,
    ReturnDecisionCreate,
    ReturnFactsUpdate,
    StandardFormUse,
    Stats,
    TranslationGiven,
    TranslationRequest,
    Versioned,
    VersionedReason,
)
from pactum.returns.stats import return_rate
from pactum.services import returns
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.services.reads import WEB
from pactum.web.forms import refused_form_page, whole_number
from pactum.web.render import NavItem, Problem, field_label, field_problems, problems, render, web_principal

router = APIRouter()
_OFFICERS = {Role.return_officer, Role.admin}
NAV = [
    NavItem("Returns", "/returns", _OFFICERS, order=40),
    NavItem("Return statistics", "/returns/stats", {Role.return_officer, Role.caseworker, Role.analyst, Role.admin},
            order=41),
]
Svc = Depends(get_services)
Who = Depends(web_principal)


def _blank(v: Any) -> Any:
    return None if v in ("", None) else v


#: The labels of the return forms' fields, as the officer reads them next to the inputs.
FIELD_LABELS = {
    "person_id": "Person", "issued_on": "Issued on", "asylum_case_id": "Asylum case",
    "voluntary_departure_days": "Voluntary departure, days", "entry_ban_years": "Entry ban, years",
    "entry_ban_months": "Entry ban, months", "region": "Issued in", "grounds": "Grounds", "departed_on": "Departed on", "mode": "How", "reason": "Reason",
    "destination_country": "Destination", "sent_on": "Sent on", "answered_on": "Answered on",
    "programme": "Programme", "funding_source": "Funding source", "amount_eur": "Amount (EUR)",
    "opened_on": "Opened on", "version": "Version", "limit": "Per page", "offset": "From", "kind": "Kind",
    "status": "Status", "destination": "Destination", "name": "Name",
    "minor_handover": "Unaccompanied minor returned to", "minor_handover_note": "How the authority is satisfied",
    "local_person_id": "Person encountered", "place": "Where encountered", "alert_id": "Return alert",
    "body": "Message", "accepted": "Answer", "answer_reference": "Reference", "departed": "Outcome",
    "planned_date": "Date", "capacity": "Charter capacity (seats)", "participating_states": "Participating states",
    "return_decision_id": "Return decision", "participant_id": "Person on board",
    "note": "What you decided", "reasons": "Reasons in fact and in law", "remedies": "Remedy information",
    "lodged_on": "Appeal lodged on", "suspensive": "Suspensive effect",
    "requested_on": "Requested on", "language": "Language", "provided_on": "Given on",
    "destination_decision": "Decision", "standard_form": "Standard form",
    "imposed_on": "Entry ban imposed on", "serious_threat": "Serious threat",
    "last_day": "New last day of the period",
}
_GROUND_CODES = re.compile(r"'?\b(" + "|".join(sorted(map(re.escape, ALL_GROUNDS), key=len, reverse=True))
                           + r")\b'?")


def _problems(exc: Exception, *, message_form: bool = False) -> list[str]:
    """The refused fields as the form labels them, in words ("Entry ban, years: 'x' is not a whole
    number", not pydantic's "Input should be a valid integer"), the grounds by their names on the
    form rather than their codes. Each line is a :class:`~pactum.web.render.Problem` that knows its
    field, so that the form marks that field and points it to its line (``invalid``).
    ``message_form``: the form is a hit's message, whose ``body`` is its field (elsewhere ``body``
    is the request as a whole: "give at least one fact to change")."""
    out: list[str] = []
    for field, message in field_problems(exc):  # pydantic's and the service's messages in words
        message = _GROUND_CODES.sub(lambda m: f"\u201c{ALL_GROUNDS[m.group(1)]}\u201d", message)
        if field == "body" and not message_form:  # a problem of the request as a whole
            out.append(Problem(message[:1].upper() + message[1:]))
            continue
        name = field.split(".", 1)[0]
        label = FIELD_LABELS.get(name) or (field_label(field) if field else "")
        out.append(Problem(f"{label}: {message}" if label else message, field))
    return out


def _act(
    page: Callable[[list[str], int], Response],
    action: Callable[[], Any],
    redirect: Callable[[Any], str],
    *,
    message_form: bool = False,
) -> Response:
    """Run a write; on success redirect (303), on bad input or a refused transition re-render the
    page with the reason (422 / 409). Not-found and forbidden reach the platform's error page.
    ``message_form``: as :func:`_problems`'s."""
    try:
        result = action()
    except (ValidationError, ValidationProblem) as exc:
        return page(_problems(exc, message_form=message_form), 422)
    except Conflict as exc:
        return page(_problems(exc), 409)
    return RedirectResponse(redirect(result), status_code=303)


async def _form(request: Request) -> dict[str, Any]:
    return _fields(await request.form())


def _fields(form: Any) -> dict[str, Any]:
    """A form's fields, each one's (last) value, and every value of each under ``_lists``."""
    return {k: form.get(k) for k in form} | {"_lists": {k: form.getlist(k) for k in form}}


# --------------------------------------------------------------------------- queue


@router.get("/returns")
def queue(request: Request, services: Services = Svc, principal: Principal = Who, destination: str = "",
          ready: bool = False, name: str = "") -> Response:
    """The queue, all of it or one destination's (``?destination=``), only the decisions
    enforceable now (``?ready=true``) and only the persons whose name holds every word typed
    (``?name=``); a destination or name that is not one is said in the summary above the form and
    its field marked (``render.invalid``), keeping what was typed; the queue then leaves that
    filter out. The decisions listed are logged as read (``services.reads``)."""
    errors: list[str] = []
    refused: set[str] = set()
    filtered = bool(destination.strip() or ready or name.strip())
    # the destinations to choose from: an internal read when the page lists a filtered queue
    whole = returns.return_queue(services, principal, channel=None if filtered else WEB)
    groups = whole
    if filtered:
        try:
            groups = returns.return_queue(services, principal, destination=destination, ready=ready, name=name,
                                          channel=WEB)
        except ValidationProblem as exc:
            errors = _problems(exc)
            refused = {field for field, _ in exc.problems}
            groups = returns.return_queue(services, principal, ready=ready,
                                          destination=None if "destination" in refused else destination,
                                          name=None if "name" in refused else name, channel=WEB)
    every = {g["destination_country"] for g in whole}
    query = urlencode({k: v for k, v in (("destination", destination.strip()),
                                         ("ready", "true" if ready else ""), ("name", name.strip())) if v})
    return render(
        request,
        "returns/queue.html",
        {
            "groups": groups,
            "destinations": sorted(every),
            "destination": "" if "destination" in refused else (returns.queue_destination(destination) or ""),
            # a destination refused, as typed: the field keeps it
            "typed_destination": destination.strip() if "destination" in refused else "",
            "ready": ready,
            "name": name,
            "query": "" if errors else query,
            "errors": errors,
            "notices": returns.notifications_page(services, principal, limit=20),
            "kinds": NOTIFICATION_KINDS,
            # the counts of the hits waiting (the list is on the hits page)
            "waiting": returns.hits_page(services, principal, waiting_only=True, limit=1)["totals"],
        },
        principal=principal,
        status_code=422 if errors else 200,
    )


@router.get("/returns/queue.csv")
def queue_csv(services: Services = Svc, principal: Principal = Who, destination: str = "",
              ready: bool = False, name: str = "") -> Response:
    """The queue on the page, with its filters, as CSV (``GET /api/v1/returns/queue.csv``)."""
    day = returns.today_for(services, principal.member_state).isoformat()
    return Response(returns.return_queue_csv(services, principal, destination=destination, ready=ready,
                                             name=name, channel=WEB),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="return-queue-{day}.csv"'})


# --------------------------------------------------------------------------- notifications


def _notifications_page(request: Request, services: Services, principal: Principal, query: dict[str, str],
                        errors: list[str], status: int, done: str = "") -> Response:
    """One page of the state's notifications with its filters; a filter that is not one is said in
    the summary above the form and its field marked (``render.invalid``), keeping what was typed,
    the page then showing the first page of all notifications."""
    typed: dict[str, int] = {}
    refused: list[tuple[str, str]] = []
    for name, default in (("limit", 50), ("offset", 0)):
        try:
            typed[name] = whole_number(query, name, default=default) or 0
        except ValidationProblem as exc:
            refused += exc.problems
    kind = query.get("kind") or None
    if kind is not None and kind not in NOTIFICATION_KINDS:
        refused.append(("kind", f"one of {', '.join(NOTIFICATION_KINDS)}"))
    try:
        if refused:
            raise ValidationProblem(refused)
        page = returns.notifications_page(services, principal, limit=typed["limit"], offset=typed["offset"],
                                          kind=kind, unread=query.get("unread") in ("on", "true", "1", "yes"))
    except ValidationProblem as exc:
        errors, status = [*errors, *_problems(exc)], 422
        page = returns.notifications_page(services, principal, limit=50)
    refused_fields = {getattr(e, "field", "") for e in errors}
    return render(
        request,
        "returns/notifications.html",
        {"page": page, "kinds": NOTIFICATION_KINDS, "errors": errors, "query": query, "done": done,
         # what was typed in a refused filter, which its field keeps
         "typed": {k: str(query.get(k) or "") for k in ("kind", "limit") if k in refused_fields}},
        principal=principal,
        status_code=status,
    )


@router.get("/returns/notifications")
def notifications(
    request: Request, kind: str = "", unread: str = "", limit: str = "", offset: str = "", done: str = "",
    services: Services = Svc, principal: Principal = Who,
) -> Response:
    query = {"kind": kind, "unread": unread, "limit": limit, "offset": offset}
    said = {"read": "Notification marked read.", "read-all": "Notifications marked read."}.get(done, "")
    return _notifications_page(request, services, principal, query, [], 200, said)


def _back_to_notifications(f: dict[str, Any], done: str) -> str:
    """The page of notifications the officer was on (its filters kept), saying what was done."""
    keep = {k: f.get(k) for k in ("kind", "unread", "limit", "offset") if f.get(k)}
    return "/returns/notifications?" + urlencode({**keep, "done": done})


def _notifications_refused(request: Request, services: Services, principal: Principal, typed: Any,
                           problem: ValidationProblem, **_: str) -> Response:
    return _notifications_page(request, services, principal, {}, _problems(problem), 422)


@router.post("/returns/notifications/read-all")
@refused_form_page(_notifications_refused)
async def notifications_read_all(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    f = await _form(request)
    query = {k: f.get(k) or "" for k in ("kind", "unread", "limit", "offset")}
    return _act(
        lambda errors, status: _notifications_page(request, services, principal, query, errors, status),
        lambda: returns.mark_notifications_read(services, principal, kind=f.get("kind") or None),
        lambda _r: _back_to_notifications(f, "read-all"),
    )


@router.post("/returns/notifications/{notification_id}/read")
@refused_form_page(_notifications_refused)
async def notification_read(
    request: Request, notification_id: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    f = await _form(request)
    query = {k: f.get(k) or "" for k in ("kind", "unread", "limit", "offset")}
    return _act(
        lambda errors, status: _notifications_page(request, services, principal, query, errors, status),
        lambda: returns.mark_notification_read(services, principal, notification_id),
        lambda _r: _back_to_notifications(f, "read"),
    )


# --------------------------------------------------------------------------- pages of lists


#: How many hits, return operations or assisted voluntary return cases one page of their lists shows.
LIST_PAGE = 100


def _page_from(read: Callable[[int], dict[str, Any]], typed: str, errors: list[str]) -> dict[str, Any]:
    """The page ``read(offset)`` from the offset typed in the address; an offset that is not one
    (not a whole number, negative) is added to ``errors`` and the first page read instead."""
    try:
        return read(whole_number({"offset": typed}, "offset", default=0) or 0)
    except ValidationProblem as exc:
        errors += _problems(exc)
        return read(0)


# --------------------------------------------------------------------------- decisions


#: How many return decisions one page of the list of decisions shows.
DECISIONS_PAGE = 100
#: The statuses a return decision goes through, in the order of its life.
DECISION_STATUSES = ("issued", "suspended", "departed", "withdrawn")


@router.get("/returns/decisions")
def decisions(
    request: Request, status: str = "", offset: str = "", review: str = "", services: Services = Svc,
    principal: Principal = Who
) -> Response:
    """All the state's return decisions, the latest first, :data:`DECISIONS_PAGE` a page (the queue
    lists only the open ones); ``status`` narrows them, ``review=yes`` keeps those whose person's
    identity record now holds otherwise what the decision recorded (corrected since: their
    destination may need review) and that were not reviewed since the record's last correction. A filter or offset that is not one is said in the summary above
    the form, the status field marked and keeping what was typed, the page then listing all
    decisions from the first. The decisions listed are logged as read."""
    errors: list[str] = []
    chosen = status or None
    to_review = review == "yes"
    try:
        if review not in ("", "yes"):
            raise ValidationProblem.one("review", f"{shortened(review)!r} is not a choice: 'yes' for only the decisions "
                                                  "whose person's record was corrected since, or leave it out")
        start = whole_number({"offset": offset}, "offset", default=0) or 0
        page = returns.decisions_page(services, principal, status=chosen, identity_review=to_review,
                                      limit=DECISIONS_PAGE, offset=start, channel=WEB)
    except ValidationProblem as exc:
        errors, chosen, to_review = _problems(exc), None, False
        page = returns.decisions_page(services, principal, limit=DECISIONS_PAGE, channel=WEB)
    refused_status = any(getattr(e, "field", "") == "status" for e in errors)
    query = {k: v for k, v in (("status", chosen), ("review", "yes" if to_review else None)) if v}
    return render(
        request,
        "returns/decisions.html",
        {"rows": page["decisions"], "total": page["total"], "offset": page["offset"], "page_size": DECISIONS_PAGE,
         "status": chosen, "typed_status": status if refused_status else "", "statuses": DECISION_STATUSES, "errors": errors,
         "review": to_review, "base": "?" + (urlencode(query) + "&" if query else "")},
        principal=principal,
        status_code=422 if errors else 200,
    )


def _new_page(
    request: Request, principal: Principal, values: dict[str, Any], errors: list[str], status: int,
    services: Services | None = None, found: dict[str, Any] | None = None,
) -> Response:
    """The form; for a person typed or given who is an unaccompanied minor, what the Return
    Directive requires (Arts 5(a), 10(1), 10(2)) is said above it, and for one whose records
    stand in the way of any return decision (an application pending, protection granted), why.
    ``found``: the registry's search of the form's *Find the person* (its page of records), each
    record with the address that chooses its person, keeping what was typed in the other fields."""
    person_id = str(values.get("person_id") or "").strip()
    warnings = returns.person_warnings(services, principal, person_id) if services and person_id else []
    refused = returns.return_decision_refused(services, principal, person_id) if services and person_id else None
    if found is not None:
        kept = [(k, str(values.get(k) or "")) for k in NEW_DECISION_FIELDS if k != "person_id" and values.get(k)]
        kept += [("grounds", g) for g in (values.get("_lists") or {}).get("grounds", [])]
        for row in found["rows"]:
            row["choose_href"] = "/returns/decisions/new?" + urlencode([("person_id", row["person_id"]), *kept])
    return render(
        request,
        "returns/decision_new.html",
        {"values": values, "errors": errors, "grounds": FORM_GROUNDS, "warnings": warnings, "refused": refused,
         "found": found, "regions": territory.regions_of(principal.member_state),
         "mainland": territory.mainland_words(principal.member_state)},
        principal=principal,
        status_code=status,
    )


#: The fields of the new return decision's form that a search for the person keeps (with ``grounds``).
NEW_DECISION_FIELDS = ("person_id", "issued_on", "asylum_case_id", "voluntary_departure_days", "entry_ban_years",
                       "entry_ban_months", "region")
#: The search for the person on the form: its fields, and the registry search's names for them.
FIND_FIELDS = {"find_name": "name", "find_born": "date_of_birth"}
FIND_LABELS = {"find_name": "Find the person, name", "find_born": "Find the person, date of birth"}


def _find_person(services: Services, principal: Principal, values: dict[str, Any]) -> tuple[
        dict[str, Any] | None, list[str]]:
    """The registry's search for the person by the name and date of birth typed on the form
    (:func:`pactum.services.registry.search_persons_page`: the state's own records, as the
    registry's search page finds them, logged as that search is), or its refusal, each line naming
    the form's field."""
    from pactum.services import registry

    try:
        page = registry.search_persons_page(services, principal, name=str(values.get("find_name") or ""),
                                            date_of_birth=str(values.get("find_born") or ""), channel=WEB)
    except ValidationProblem as exc:
        fields = {service: form for form, service in FIND_FIELDS.items()}
        return None, [Problem(f"{FIND_LABELS[fields.get(f, 'find_name')]}: {m}", fields.get(f, "find_name"))
                      for f, m in field_problems(exc)]
    return page, []


#: How a person's id begins (``per_01M8…``): a value typed without it is not an id.
PERSON_ID_PREFIX = "per_"
#: What the form says when the value typed for the person is not an id (a name, most often).
NOT_A_PERSON_ID = ("\u201c{typed}\u201d is not a person id: give the person's id (per_\u2026): find the person "
                   "with Search (/registry/search) and use 'Issue a return decision' on their page")


@router.get("/returns/decisions/new")
def decision_new(
    request: Request, person_id: str = "", find: str = "", services: Services = Svc, principal: Principal = Who
) -> Response:
    """The form, for the person given (``?person_id=``, from their page or a search's *Choose*);
    with ``find``, the form's *Find the person* was sent: the registry's search of the name and
    date of birth typed, its records listed to choose from, the other fields kept as typed (this
    works without JavaScript: a GET of the whole form)."""
    q = request.query_params
    values: dict[str, Any] = {k: q.get(k) or "" for k in (*NEW_DECISION_FIELDS, *FIND_FIELDS)}
    values["person_id"] = person_id
    values["issued_on"] = values["issued_on"] or returns.today_for(services, principal.member_state).isoformat()
    values["_lists"] = {"grounds": q.getlist("grounds")}
    found, errors = _find_person(services, principal, values) if find else (None, [])
    return _new_page(request, principal, values, errors, 422 if errors else 200, services, found)


@router.post("/returns/decisions/new")
@refused_form_page(lambda request, services, principal, typed, problem: _new_page(
    request, principal, _fields(typed), _problems(problem), 422, services))
async def decision_create(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    f = await _form(request)
    typed = str(f.get("person_id") or "").strip()
    if typed and not typed.startswith(PERSON_ID_PREFIX):  # a name typed where the form asks for the id
        return _new_page(request, principal, f,
                         [Problem(f"Person: {NOT_A_PERSON_ID.format(typed=shortened(typed))}", "person_id")],
                         422, services)

    def action() -> Any:
        body = ReturnDecisionCreate.model_validate(
            {
                "person_id": f.get("person_id") or "",
                "issued_on": f.get("issued_on"),
                "asylum_case_id": _blank(f.get("asylum_case_id")),
                "voluntary_departure_days": _blank(f.get("voluntary_departure_days")),
                "entry_ban_years": _blank(f.get("entry_ban_years")),
                "entry_ban_months": _blank(f.get("entry_ban_months")),
                "grounds": f["_lists"].get("grounds", []),
                "region": _blank(f.get("region")),
            }
        )
        return returns.create_return_decision(services, principal, body)

    try:
        return _act(
            lambda errors, status: _new_page(request, principal, f, errors, status, services),
            action,
            lambda d: f"/returns/decisions/{d['id']}?done={'issued-no-alert' if d.get('alert_not_entered') else 'issued'}",
        )
    except NotFound as exc:  # the person typed is none of the state's: the form's field says so
        return _new_page(request, principal, f, [Problem(f"Person: {exc}", "person_id")], 422, services)


#: What the decision and hit pages say after an action was recorded (``done``).
DONE = {
    "issued": "Return decision issued; its return alert is entered in SIS.",
    "issued-no-alert": "Return decision issued; no return alert is entered in SIS: it was issued outside the Schengen "
                       "area (see Return alert below).",
    "departure": "Departure confirmed: the return alert is deleted and the issuing state informed.",
    # the issuing state confirming the departure under its own decision informs nobody
    "departure-issuing": "Departure confirmed: the return alert is deleted.",
    "facts": "Facts for removal saved.",
    "destination": "Amended decision on the destination issued: notify it to the person with its reasons and the "
                   "remedy information.",
    "destination-appeal": "Appeal against the amended decision on the destination recorded.",
    "destination-appeal-outcome": "Outcome of the appeal against the amended decision on the destination recorded: "
                                  "the history of destinations shows it.",
    "translation-request": "Request for a translation recorded: it stays on the decision as something to do until "
                           "the translation is recorded as given.",
    "translation-given": "Translation recorded as given.",
    "standard-form": "Recorded: the decision was given by the standard form (Directive 2008/115/EC, Article 12(3)).",
    "identity-reviewed": "Review against the corrected record recorded.", "readmission": "Readmission request recorded.",
    "avr": "Assisted voluntary return case opened.", "suspend": "Decision suspended.",
    "entry-ban": "Entry ban imposed (Directive 2008/115/EC, Article 11(1)(b)): the return alert says so, and the "
                 "entry-ban alert is entered when the departure is confirmed.",
    "extend-period": "Period for voluntary departure extended (Directive 2008/115/EC, Article 7(2)): the removal, "
                     "the entry ban, the queue and the return alert follow the new last day.",
    "lift-suspension": "Suspension lifted.", "withdraw": "Decision withdrawn.",
    "answer": "Readmission answer recorded.", "avr-departure": "Departure under AVR recorded.",
    "avr-cancel": "Assisted voluntary return case cancelled: the return decision stays to be enforced.",
    "message": "Message sent.", "recognise": "Decision recognised: your state may now enforce it.",
    "refuse": "Recognition refused; the issuing state is informed.",
}


def _decision_page(
    request: Request,
    services: Services,
    principal: Principal,
    decision_id: str,
    errors: list[str],
    status: int,
    submitted: dict[str, Any] | None = None,
    done: str = "",
) -> Response:
    """The decision; after a refused action, its form keeps what the officer typed (``submitted``,
    with the action under ``_action``); after an action recorded, the page says so (``done``)."""
    d = returns.get_decision(services, principal, decision_id)
    return render(
        request,
        "returns/decision.html",
        # the forms' days on the reader's clock; whether the period still runs on the issuing state's
        {"d": d, "errors": errors, "today": returns.today_for(services, principal.member_state).isoformat(),
         "period_today": returns.today_for(services, d["member_state"]).isoformat(), "submitted": submitted or {},
         "done": DONE.get(f"{done}-issuing" if done == "departure" and d.get("relation") == "issuing" else done,
                          "")},
        principal=principal,
        status_code=status,
    )


@router.get("/returns/decisions/{decision_id}")
def decision(
    request: Request, decision_id: str, done: str = "", services: Services = Svc, principal: Principal = Who
) -> Response:
    return _decision_page(request, services, principal, decision_id, [], 200, done=done)


@router.post("/returns/decisions/{decision_id}/{action}")
@refused_form_page(lambda request, services, principal, typed, problem, decision_id, action: _decision_page(
    request, services, principal, decision_id, _problems(problem), 422, {**_fields(typed), "_action": action}))
async def decision_action(
    request: Request, decision_id: str, action: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    f = await _form(request)

    def run() -> Any:
        version = f.get("version")
        if action == "departure":
            body = DepartureConfirm.model_validate(
                {
                    "version": version,
                    "departed_on": f.get("departed_on"),
                    "mode": f.get("mode") or "voluntary",
                }
            )
            return returns.confirm_departure(services, principal, decision_id, body)
        if action == "entry-ban":
            ban = EntryBanImposition.model_validate(
                {"version": version, "imposed_on": f.get("imposed_on"),
                 "entry_ban_years": _blank((f.get("entry_ban_years") or "").strip()),
                 "entry_ban_months": _blank((f.get("entry_ban_months") or "").strip()),
                 "serious_threat": f.get("serious_threat") == "yes", "reasons": f.get("reasons") or ""})
            return returns.impose_entry_ban(services, principal, decision_id, ban)
        if action == "extend-period":
            extension = PeriodExtension.model_validate(
                {"version": version, "last_day": _blank(f.get("last_day")),
                 "grounds": f["_lists"].get("grounds", []), "reason": f.get("reason") or ""})
            return returns.extend_voluntary_departure(services, principal, decision_id, extension)
        if action == "facts":
            flags = {
                k: (f.get(k) == "yes")
                for k in ("identity_confirmed", "travel_document", "fit_to_travel", "absconded")
                if f.get(k) in ("yes", "no")
            }
            # Directive 2008/115/EC Art 10(2): the handover of an unaccompanied minor, when the form has it
            handover = {k: _blank(f.get(k)) for k in ("minor_handover", "minor_handover_note") if k in f}
            facts = ReturnFactsUpdate.model_validate(
                {"version": version, "destination_country": _blank(f.get("destination_country")), **flags,
                 **handover}
            )
            return returns.update_return_facts(services, principal, decision_id, facts)
        if action == "destination":
            amended = DestinationAmendment.model_validate(
                {"version": version, "destination_country": f.get("destination_country") or "",
                 "issued_on": f.get("issued_on"), "reasons": f.get("reasons") or "",
                 "remedies": f.get("remedies") or "",
                 "voluntary_departure_days": _blank((f.get("voluntary_departure_days") or "").strip())})
            return returns.amend_destination(services, principal, decision_id, amended)
        if action == "destination-appeal":
            appeal = DestinationAppeal.model_validate(
                {"version": version, "lodged_on": f.get("lodged_on"),
                 "suspensive": {"yes": True, "no": False}.get(f.get("suspensive") or "", f.get("suspensive"))})
            return returns.appeal_destination(services, principal, decision_id, appeal)
        if action == "destination-appeal-outcome":
            outcome = DestinationAppealOutcome.model_validate(
                {"version": version, "outcome": f.get("outcome") or "", "decided_on": f.get("decided_on"),
                 "destination_decision": _blank(f.get("destination_decision"))})
            return returns.decide_destination_appeal(services, principal, decision_id, outcome)
        if action == "translation-request":
            asked = TranslationRequest.model_validate(
                {"requested_on": f.get("requested_on"), "language": f.get("language") or "",
                 "destination_decision": _blank(f.get("destination_decision"))})
            return returns.request_translation(services, principal, decision_id, asked)
        if action == "translation-given":
            given = TranslationGiven.model_validate(
                {"provided_on": f.get("provided_on"), "mode": f.get("mode") or "",
                 "language": _blank((f.get("language") or "").strip())})
            return returns.give_translation(services, principal, decision_id, f.get("translation_id") or "", given)
        if action == "standard-form":
            used = StandardFormUse.model_validate({"destination_decision": _blank(f.get("destination_decision"))})
            return returns.use_standard_form(services, principal, decision_id, used)
        if action == "identity-reviewed":
            reviewed = IdentityReviewed.model_validate({"version": version, "note": f.get("note") or ""})
            return returns.review_identity(services, principal, decision_id, reviewed)
        if action == "readmission":
            req = ReadmissionCreate.model_validate(
                {"return_decision_id": decision_id, "sent_on": f.get("sent_on")}
            )
            return returns.request_readmission(services, principal, req)
        if action == "avr":
            avr = AvrCreate.model_validate(
                {
                    "return_decision_id": decision_id,
                    "programme": f.get("programme") or "",
                    "funding_source": f.get("funding_source") or "",
                    # the amount is required (API, CLI): a blank field is refused naming it, not read as 0
                    "amount_eur": f.get("amount_eur"),
                    "opened_on": f.get("opened_on"),
                }
            )
            return returns.open_avr(services, principal, avr)
        handlers = {
            "suspend": returns.suspend_decision,
            "lift-suspension": returns.lift_suspension,
            "withdraw": returns.withdraw_decision,
        }
        if action not in handlers:
            raise ValidationProblem.one("action", f"unknown action '{action}'")
        body_r = VersionedReason.model_validate({"version": version, "reason": f.get("reason") or ""})
        return handlers[action](services, principal, decision_id, body_r)

    return _act(
        lambda errors, status: _decision_page(request, services, principal, decision_id, errors, status,
                                              {**f, "_action": action}),
        run,
        lambda _r: f"/returns/decisions/{decision_id}?done={quote(action)}",
    )


def _answer_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem, request_id: str) -> Response:
    """The decision page a readmission answer was sent from, again, its form keeping what was typed."""
    return _decision_page(request, services, principal, typed.get("return_decision_id") or "", _problems(problem),
                          422, {**_fields(typed), "_action": "answer", "_request": request_id})


@router.post("/returns/readmission/{request_id}/answer")
@refused_form_page(_answer_refused)
async def readmission_answer(
    request: Request, request_id: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    f = await _form(request)
    decision_id = f.get("return_decision_id") or ""

    def run() -> Any:
        body = ReadmissionAnswer.model_validate(
            {
                "accepted": f.get("accepted") == "yes",
                "answered_on": f.get("answered_on"),
                "answer_reference": _blank(f.get("answer_reference")),
            }
        )
        return returns.answer_readmission(services, principal, request_id, body)

    return _act(
        lambda errors, status: _decision_page(request, services, principal, decision_id, errors, status,
                                              {**f, "_action": "answer", "_request": request_id}),
        run,
        lambda _r: f"/returns/decisions/{decision_id}?done=answer",
    )


@router.post("/returns/avr/{avr_id}/departure")
@refused_form_page(lambda request, services, principal, typed, problem, avr_id: _ops_page(
    request, services, principal, {**_fields(typed), "_form": "avr-departure", "_avr": avr_id}, _problems(problem),
    422))
async def avr_departure(
    request: Request, avr_id: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    """A departure under an assisted voluntary return case; a refusal is said on the operations page,
    where the case's row and its form are."""
    f = await _form(request)
    decision_id = f.get("return_decision_id") or ""

    def run() -> Any:
        body = AvrDeparture.model_validate({"version": f.get("version"), "departed_on": f.get("departed_on")})
        return returns.avr_departed(services, principal, avr_id, body)

    return _act(
        lambda errors, status: _ops_page(request, services, principal,
                                         {**f, "_form": "avr-departure", "_avr": avr_id}, errors, status),
        run,
        lambda _r: f"/returns/decisions/{decision_id}?done=avr-departure",
    )


@router.post("/returns/avr/{avr_id}/cancel")
@refused_form_page(lambda request, services, principal, typed, problem, avr_id: _ops_page(
    request, services, principal, {**_fields(typed), "_form": "avr-cancel", "_avr": avr_id}, _problems(problem),
    422))
async def avr_cancel(
    request: Request, avr_id: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    """Cancel an assisted voluntary return case (the person withdrew, the programme ended it); a
    refusal is said on the operations page, where the case's row is."""
    f = await _form(request)
    decision_id = f.get("return_decision_id") or ""

    def run() -> Any:
        body = VersionedReason.model_validate({"version": f.get("version"), "reason": f.get("reason") or ""})
        return returns.avr_cancel(services, principal, avr_id, body)

    return _act(
        lambda errors, status: _ops_page(request, services, principal,
                                         {**f, "_form": "avr-cancel", "_avr": avr_id}, errors, status),
        run,
        lambda _r: f"/returns/decisions/{decision_id}?done=avr-cancel",
    )


# --------------------------------------------------------------------------- alert search and hits


def _identity_search(
    services: Services, principal: Principal, query: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """Candidates from the identity area's search (``None`` when that area is not installed)."""
    try:
        identity = importlib.import_module("pactum.services.identity")
        schemas = importlib.import_module("pactum.identity.schemas")
    except ModuleNotFoundError:
        return None
    q = schemas.SearchQuery.model_validate({k: v for k, v in query.items() if v})
    # the alert search shows return alerts only: nothing else is fetched, nor logged as disclosed
    result: dict[str, Any] = identity.search(services, principal, q, only=frozenset({"sis_return_alert"}))
    return list(result["candidates"])


#: The alert search's fields, in the order of its form, with the words the answer says them in.
SEARCH_FIELDS = (("surname", "surname"), ("given_names", "given names"), ("date_of_birth", "date of birth"),
                 ("nationality", "nationality"), ("document_number", "document number"))


def _search_page(request: Request, services: Services, principal: Principal, query: dict[str, str],
                 errors: list[str], status: int, submitted: dict[str, Any] | None = None) -> Response:
    """The alert search with the return alerts found for ``query`` (none searched when it is blank);
    ``submitted``: a refused hit, whose row's form keeps what was typed and marks what was refused."""
    query = {key: str(query.get(key) or "") for key, _label in SEARCH_FIELDS}
    query["nationality"] = query["nationality"].upper()
    candidates: list[dict[str, Any]] | None = []
    if any(query.values()):
        try:
            candidates = _identity_search(services, principal, query)
        except (ValidationError, ValidationProblem) as exc:
            errors, status = [*errors, *problems(exc)], 422
    alerts = [c for c in (candidates or []) if c.get("component") == "sis_return_alert"]
    return render(
        request,
        "returns/search.html",
        {
            "query": query,
            "alerts": alerts,
            "hit_threshold": returns.HIT_MATCH_PROBABILITY,
            "searched": any(query.values()),
            # what was searched, in the form's words, for the answer to say
            "searched_for": [f"{label} \u201c{query[key]}\u201d" for key, label in SEARCH_FIELDS if query[key]],
            "unavailable": candidates is None,
            "errors": errors,
            "submitted": submitted or {},
        },
        principal=principal,
        status_code=status,
    )


@router.get("/returns/search")
def alert_search(
    request: Request,
    surname: str = "",
    given_names: str = "",
    date_of_birth: str = "",
    nationality: str = "",
    document_number: str = "",
    services: Services = Svc,
    principal: Principal = Who,
) -> Response:
    query = {"surname": surname, "given_names": given_names, "date_of_birth": date_of_birth,
             "nationality": nationality, "document_number": document_number}
    return _search_page(request, services, principal, query, [], 200)


def _hit_search_page(request: Request, services: Services, principal: Principal, typed: dict[str, Any],
                     errors: list[str], status: int) -> Response:
    """The alert search a refused hit was sent from, again: the search its form carries, and the
    alert's row keeping what was typed."""
    return _search_page(request, services, principal, typed, errors, status, typed)


@router.post("/returns/hits")
@refused_form_page(lambda request, services, principal, typed, problem: _hit_search_page(
    request, services, principal, _fields(typed), _problems(problem), 422))
async def hit_create(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    f = await _form(request)

    return _act(
        lambda errors, status: _hit_search_page(request, services, principal, f, errors, status),
        lambda: returns.record_hit(
            services,
            principal,
            HitCreate.model_validate({"alert_id": f.get("alert_id") or "", "place": _blank(f.get("place")),
                                      "local_person_id": f.get("local_person_id") or ""}),
        ),
        lambda h: f"/returns/hits/{h['id']}?done=recorded",
    )


@router.get("/returns/hits")
def hits(request: Request, offset: str = "", services: Services = Svc, principal: Principal = Who) -> Response:
    """The hits of the state and on its alerts, the latest first, :data:`LIST_PAGE` a page."""
    errors: list[str] = []
    page = _page_from(lambda start: returns.hits_page(services, principal, limit=LIST_PAGE, offset=start,
                                                      channel=WEB),
                      offset, errors)
    return render(
        request, "returns/hits.html",
        {"hits": page, "errors": errors, "page_size": LIST_PAGE,
         "shown": len({h["id"] for rel in ("executing", "issuing") for h in page[rel]})},
        principal=principal, status_code=422 if errors else 200,
    )


def _hit_page(
    request: Request, services: Services, principal: Principal, hit_id: str, errors: list[str], status: int,
    done: str = "", submitted: dict[str, Any] | None = None,
) -> Response:
    """The hit; after a refused action, its form keeps what was typed (``submitted``, with the action
    under ``_action``) and marks the fields refused."""
    h = returns.get_hit(services, principal, hit_id)
    return render(
        request,
        "returns/hit.html",
        {
            "h": h,
            "errors": errors,
            # the forms' days on the reader's clock; whether the period still runs on the issuing state's
            "today": returns.today_for(services, principal.member_state).isoformat(),
            "period_today": returns.today_for(services, h["decision"]["member_state"]).isoformat(),
            "obstacles": OBSTACLES,
            "submitted": submitted or {},
            "done": "Hit recorded: the alert and the decision are open to your state." if done == "recorded"
            else DONE.get(done, ""),
        },
        principal=principal,
        status_code=status,
    )


@router.get("/returns/hits/{hit_id}")
def hit(request: Request, hit_id: str, done: str = "", services: Services = Svc,
        principal: Principal = Who) -> Response:
    return _hit_page(request, services, principal, hit_id, [], 200, done)


@router.post("/returns/hits/{hit_id}/{action}")
@refused_form_page(lambda request, services, principal, typed, problem, hit_id, action: _hit_page(
    request, services, principal, hit_id, _problems(problem, message_form=action == "message"), 422,
    submitted={**_fields(typed), "_action": action}))
async def hit_action(
    request: Request, hit_id: str, action: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    f = await _form(request)

    def run() -> Any:
        if action == "message":
            return returns.send_hit_message(
                services, principal, hit_id, HitMessage.model_validate({"body": f.get("body") or ""})
            )
        if action == "recognise":
            return returns.recognise_hit(
                services, principal, hit_id, Versioned.model_validate({"version": f.get("version")})
            )
        if action == "refuse":
            body = VersionedReason.model_validate(
                {"version": f.get("version"), "reason": f.get("reason") or ""}
            )
            return returns.refuse_recognition(services, principal, hit_id, body)
        if action == "departure":
            body_d = DepartureConfirm.model_validate(
                {
                    "version": f.get("version"),
                    "departed_on": f.get("departed_on"),
                    "mode": f.get("mode") or "enforced",
                }
            )
            return returns.confirm_departure(services, principal, f.get("return_decision_id") or "", body_d)
        raise ValidationProblem.one("action", f"unknown action '{action}'")

    return _act(
        lambda errors, status: _hit_page(request, services, principal, hit_id, errors, status,
                                         submitted={**f, "_action": action}),
        run,
        lambda _r: f"/returns/hits/{hit_id}?done={quote(action)}",
        message_form=action == "message",
    )


# --------------------------------------------------------------------------- operations


def _ops_page(
    request: Request,
    services: Services,
    principal: Principal,
    values: dict[str, Any],
    errors: list[str],
    status: int,
) -> Response:
    """The operations and the AVR cases, :data:`LIST_PAGE` a page each: ``?offset=`` pages the
    operations, ``?avr_offset=`` the cases (each pager keeps the other's offset). ``values``: what
    was typed in a refused form, which keeps it and marks the fields refused: the plan of an
    operation, or under ``_form`` a case's departure or cancellation (``avr-departure``,
    ``avr-cancel``, the case under ``_avr``)."""
    q = request.query_params
    errors = list(errors)
    ops = _page_from(lambda start: returns.operations_page(services, principal, limit=LIST_PAGE, offset=start),
                     q.get("offset", ""), errors)
    avr = _page_from(lambda start: returns.avr_page(services, principal, limit=LIST_PAGE, offset=start),
                     q.get("avr_offset", ""), errors)
    return render(
        request,
        "returns/operations.html",
        {
            "operations": ops,
            "values": values,
            "errors": errors,
            "avr": avr,
            "page_size": LIST_PAGE,
            # the pagers' addresses up to their offset, each keeping the other list's page
            "ops_base": "?" + (f"avr_offset={avr['offset']}&" if avr["offset"] else ""),
            "avr_base": "?" + (f"offset={ops['offset']}&" if ops["offset"] else "") + "avr_",
        },
        principal=principal,
        status_code=422 if errors and status == 200 else status,
    )


@router.get("/returns/operations")
def operations(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    return _ops_page(request, services, principal, {}, [], 200)


@router.post("/returns/operations")
@refused_form_page(lambda request, services, principal, typed, problem: _ops_page(
    request, services, principal, {**_fields(typed), "_form": "create"}, _problems(problem), 422))
async def operation_create(
    request: Request, services: Services = Svc, principal: Principal = Who
) -> Response:
    f = await _form(request)

    def run() -> Any:
        body = OperationCreate.model_validate(
            {
                "destination_country": f.get("destination_country") or "",
                "planned_date": f.get("planned_date"),
                "capacity": f.get("capacity"),
                "escorts": f.get("escorts"),
                "participating_states": [
                    s for s in (f.get("participating_states") or "").replace(",", " ").split() if s
                ],
                "frontex_support": f.get("frontex_support") == "on",
            }
        )
        return returns.plan_operation(services, principal, body)

    return _act(
        lambda errors, status: _ops_page(request, services, principal, {**f, "_form": "create"}, errors, status),
        run,
        lambda op: f"/returns/operations/{op['id']}",
    )


def _op_page(
    request: Request, services: Services, principal: Principal, op_id: str, errors: list[str], status: int,
    submitted: dict[str, Any] | None = None,
) -> Response:
    """The operation; after a refused action, its form (the participant's, for an outcome or a
    removal) keeps what was typed (``submitted``, the action under ``_action``)."""
    # the operation and the state's decisions to the destination not yet on board, eligible on the
    # planned date: one read of the operation, logged with the persons the page names
    op, candidates = returns.operation_with_candidates(services, principal, op_id,
                                                       candidates=principal.has(*_OFFICERS), channel=WEB)
    return render(
        request,
        "returns/operation.html",
        {"op": op, "candidates": candidates, "errors": errors, "today": returns.today_for(services, op["organising_member_state"]).isoformat(),
         "submitted": submitted or {}},
        principal=principal,
        status_code=status,
    )


@router.get("/returns/operations/{op_id}")
def operation(request: Request, op_id: str, services: Services = Svc, principal: Principal = Who) -> Response:
    return _op_page(request, services, principal, op_id, [], 200)


@router.post("/returns/operations/{op_id}/{action}")
@refused_form_page(lambda request, services, principal, typed, problem, op_id, action: _op_page(
    request, services, principal, op_id, _problems(problem), 422, {**_fields(typed), "_action": action}))
async def operation_post(
    request: Request, op_id: str, action: str, services: Services = Svc, principal: Principal = Who
) -> Response:
    f = await _form(request)

    def run() -> Any:
        if action == "select":
            body = ParticipantCreate.model_validate({"return_decision_id": f.get("return_decision_id") or ""})
            return returns.add_participant(services, principal, op_id, body)
        if action == "outcome":
            departed = f.get("departed") == "yes"
            out = ParticipantOutcome.model_validate(
                {"departed": departed, "reason": _blank(f.get("reason")),
                 "departed_on": _blank(f.get("departed_on")) if departed else None}
            )
            return returns.record_participant_outcome(
                services, principal, op_id, f.get("participant_id") or "", out
            )
        if action == "remove":
            removal = ParticipantRemoval.model_validate({"reason": f.get("reason") or ""})
            return returns.remove_participant(services, principal, op_id, f.get("participant_id") or "", removal)
        if action in ("confirm", "cancel", "complete"):
            return returns.operation_action(
                services, principal, op_id, action, Versioned.model_validate({"version": f.get("version")})
            )
        raise ValidationProblem.one("action", f"unknown action '{action}'")

    return _act(
        lambda errors, status: _op_page(request, services, principal, op_id, errors, status,
                                        {**f, "_action": action}),
        run,
        lambda _r: f"/returns/operations/{op_id}",
    )


# --------------------------------------------------------------------------- statistics


def _chosen_year(services: Services, principal: Principal, year: str) -> tuple[int, list[str]]:
    """The year typed (this year's when blank, on the reader's clock), or this year's with what is
    wrong with it."""
    this_year = returns.today_for(services, principal.member_state).year
    try:
        chosen = whole_number({"year": year}, "year", default=this_year)
    except ValidationProblem as exc:
        return this_year, problems(exc)
    return this_year if chosen is None else chosen, []


def _stats_of(services: Services, principal: Principal, year: str,
              member_state: str) -> tuple[Stats, dict[str, list[str]]]:
    """The figures of the year typed (this year's when blank) and of the state chosen (every
    state's when none); what is wrong with either, by field, the figures then of this year or of
    every state."""
    chosen, year_errors = _chosen_year(services, principal, year)
    errors: dict[str, list[str]] = {"year": year_errors, "member_state": []}
    try:
        result = returns.return_stats(services, principal, chosen, member_state or None)
    except ValidationProblem as exc:
        for (field, _message), line in zip(exc.problems, problems(exc), strict=True):
            errors[field].append(line)
        if errors["year"]:
            chosen = returns.today_for(services, principal.member_state).year
        result = returns.return_stats(services, principal, chosen,
                                      None if errors["member_state"] else member_state or None)
    return result, errors


@router.get("/returns/stats")
def stats(
    request: Request, year: str = "", member_state: str = "", services: Services = Svc,
    principal: Principal = Who
) -> Response:
    """This year's figures when the year field is blank, every state's when no state is chosen; a
    year or state that is not one is said next to its field, the table then showing this year's or
    every state's. Beside them, Eurostat's figures of the year when the shipped series has it
    (2010–2016), else of its latest year: of the state chosen, or of every state in the table."""
    result, errors = _stats_of(services, principal, year, member_state)
    chosen, state = result.year, result.member_state
    rows = result.rows
    totals: dict[str, float | int | None] = {
        "ordered_to_leave": sum(r.ordered_to_leave for r in rows),
        "returned": sum(r.returned for r in rows),
    }
    totals["return_rate"] = return_rate(sum(r.ordered_to_leave for r in rows), sum(r.returned for r in rows))
    shipped = calibration.eurostat()
    years = {y for _, y in shipped}
    # the chosen year's figures where Eurostat's series has it; after the series, its latest year;
    # before it, none
    ref_year = chosen if chosen in years else max(years) if chosen > max(years) else None
    # the state chosen, or the states in the table; with none, every Member State Eurostat gives
    # figures for that year
    states = [state] if state else sorted({r.member_state for r in rows}) or sorted(
        ms for ms, y in shipped if y == ref_year and ms in MEMBER_STATES)
    reference = [shipped[(ms, ref_year)] for ms in states if (ms, ref_year) in shipped] if ref_year else []
    query = urlencode({"year": chosen, **({"member_state": state} if state else {})})
    return render(
        request,
        "returns/stats.html",
        {"year": chosen, "typed_year": year, "errors": errors["year"], "rows": rows, "totals": totals,
         "member_state": state, "typed_state": member_state, "state_errors": errors["member_state"],
         "states": list(MEMBER_STATES.values()), "query": query,
         "reference": reference, "ref_year": ref_year, "ref_latest": ref_year is not None and ref_year != chosen},
        principal=principal,
        status_code=422 if errors["year"] or errors["member_state"] else 200,
    )


@router.get("/returns/stats.csv")
def stats_csv(request: Request, year: str = "", member_state: str = "", services: Services = Svc,
              principal: Principal = Who) -> Response:
    """The page's figures as CSV (``GET /api/v1/returns/stats.csv``); for a year or a state that is
    not one, the page, saying so next to the field (422)."""
    chosen, errors = _chosen_year(services, principal, year)
    result = None
    if not errors:
        with contextlib.suppress(ValidationProblem):  # a year outside the statistics' range, a state not one
            result = returns.return_stats(services, principal, chosen, member_state or None)
    if result is None:
        return stats(request, year, member_state, services, principal)
    return api_returns.stats_csv_response(result)
