"""Login, logout, the dashboard, user administration and the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError

from pactum.api.deps import SESSION_COOKIE, get_services, token_cache
from pactum.common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
    ValidationProblem,
)
from pactum.common.states import EU_BODIES, MEMBER_STATES
from pactum.common.text import shortened
from pactum.responsibility import procedure as dublin_procedure
from pactum.returns.schemas import NOTIFICATION_KINDS
from pactum.services import audit as audit_service
from pactum.services import awareness, procedures, registry, responsibility, returns, solidarity, users
from pactum.services.auth import ROLE_LABELS, Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, whole_number
from pactum.web.render import (
    NavItem,
    Problem,
    by_field,
    field_label,
    field_problems,
    problems,
    render,
    web_principal,
)

router = APIRouter()
NAV = [
    NavItem("Dashboard", "/", order=0),
    NavItem("Users", "/admin/users", {Role.admin}, order=90),
    NavItem("Audit", "/audit", {Role.auditor, Role.admin}, order=91),
]


def _safe_next(next_url: str) -> str:
    return next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next_url": _safe_next(next)})


def _login_refused(request: Request, services: Services, principal: Principal | None, typed: Mapping[str, str],
                   problem: ValidationProblem) -> Response:
    """The login form again, saying which field is wrong and keeping the username (not the password)."""
    return render(request, "login.html", {"error": "; ".join(problems(problem)), "username": typed.get("username", ""),
                                          "next_url": _safe_next(typed.get("next", "/"))}, status_code=422)


@router.post("/login")
@refused_form_page(_login_refused, anonymous=True)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
    services: Services = Depends(get_services),
) -> Response:
    try:
        principal = users.authenticate(services, username, password)
    except (Unauthenticated, TooManyAttempts) as exc:
        page = render(request, "login.html", {"error": str(exc), "next_url": _safe_next(next),
                                              "username": username},
                      status_code=429 if isinstance(exc, TooManyAttempts) else 401)
        if isinstance(exc, TooManyAttempts):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    token = users.open_session(services, principal, "web")
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=services.settings.secure_cookies,
                        max_age=services.settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, services: Services = Depends(get_services)) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        users.close_session(services, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def arrivals_spec(rows: list[dict[str, object]]) -> dict[str, object]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container", "height": 240,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": "Month"},
            "y": {"field": "n", "type": "quantitative", "title": "Encounters"},
            "color": {"field": "route", "type": "nominal", "title": "Route"},
            "tooltip": [{"field": "month"}, {"field": "route"}, {"field": "n", "title": "Encounters"}],
        },
    }


@router.get("/")
def dashboard(request: Request, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    """The home page: first what the officer must do now, by role (each item linking to the page
    where it is done), then the arrivals by route. A Dublin unit: the requests its state must
    answer or act on with a deadline within ``DUE_WITHIN_DAYS`` (or passed); a caseworker: the
    state's asylum cases due as soon, the drafts a reviewer returned to them and the drafts of
    others awaiting their second-level review; a return officer: the return queue, the hits and
    the unread notifications; the screening deadlines for the officers who screen; the
    Commission's solidarity coordinator: the current pool's stage, pledges and overdue steps; an
    auditor: the chain's verification and the latest audit entries. The encounters chart only for
    the roles that may read encounters (for an EU body: "registered in Pactum", not arrivals)."""
    # the encounters registered in Pactum, for the roles that may read them (None: not said at all,
    # so that a role without access, such as the auditor, is never told there are none)
    arrivals: list[dict[str, object]] | None = None
    if principal.has(*registry.READ_ROLES, Role.analyst):
        arrivals = registry.arrivals_by_route_month(services, principal)
    screenings, screenings_open, all_screenings = None, 0, request.query_params.get("screenings") == "all"
    # the screening deadlines for the officers who may fill in a screening (registry.update_screening);
    # a Dublin unit, a return officer or an administrator acts on none
    if principal.member_state and principal.has(*registry.WRITE_ROLES):
        # every open screening (a few dozen: each closes within days), the nearest deadlines shown
        due = registry.screenings_due(services, principal, limit=SCREENINGS_OPEN_MAX)
        screenings_open = len(due)
        screenings = due if all_screenings else due[:SCREENINGS_SHOWN]
    work: dict[str, Any] = {}
    if principal.member_state:
        today = services.clock.today()
        if principal.has(Role.dublin_unit):
            work["dublin"] = _dublin_due(services, principal)
        if principal.has(Role.caseworker):
            work["cases"] = _cases_due(services, principal, today)
            work["returned"], work["review"] = _drafts(services, principal)
        if principal.has(Role.return_officer):
            work["returns"] = _returns_work(services, principal)
    if solidarity.manages_pool(principal):
        work["pool"] = _pool_status(services, principal)
    if principal.has(Role.analyst):
        work["warning"] = _early_warning(services, principal)
    if principal.has(Role.auditor):
        work["audit"] = _audit_status(services, principal)
    return render(request, "dashboard.html", {
        "arrivals": arrivals, "arrivals_spec": arrivals_spec(arrivals or []), "screenings": screenings,
        "screenings_open": screenings_open, "screenings_capped": screenings_open >= SCREENINGS_OPEN_MAX,
        "all_screenings": all_screenings, "screenings_shown": SCREENINGS_SHOWN,
        "work": work, "work_shown": WORK_SHOWN, "due_days": DUE_WITHIN_DAYS,
    }, principal=principal)


#: the screenings due the dashboard shows, nearest deadline first (``?screenings=all``: every one)
SCREENINGS_SHOWN = 15
#: the open screenings the dashboard counts and lists at most
SCREENINGS_OPEN_MAX = 1000
#: the rows each work list of the home page shows; the rest behind its "all N" link
WORK_SHOWN = 10
#: a deadline on or before today + this many days is due ("what must I do this week")
DUE_WITHIN_DAYS = 7
#: the open asylum cases the home page counts at most as due (the queue, nearest deadline first)
CASES_DUE_MAX = 1000
#: the active Dublin requests of each box the home page reads at most
DUBLIN_READ_MAX = 5000
#: the drafts of each kind (under review, returned for revision) the home page reads at most; the
#: queue of asylum cases lists every one
DRAFTS_CHECKED = 50


def _dublin_due(services: Services, principal: Principal) -> dict[str, Any]:
    """The requests the Dublin unit's state must answer or act on whose next deadline is within
    ``DUE_WITHIN_DAYS`` days or passed, nearest first: in the inbox what the requested state does
    (reply, re-examination reply: Dublin III Arts 22, 25; AMMR Arts 40, 41; Reg. 1560/2003
    Art 5(2)), in the outbox what the requesting state does (re-examination request, transfer
    decision, transfer: AMMR Arts 42, 46; Dublin III Art 29). A deadline the other state must meet
    is theirs, not listed; withdrawing, always open to the requesting state, is not counted as a
    task."""
    due: list[dict[str, Any]] = []
    sides: tuple[tuple[str, dublin_procedure.Actor], ...] = (("inbox", "requested"), ("outbox", "requesting"))
    for box, side in sides:
        for r in _due_requests(services, principal, box):
            acts = [a for a in dublin_procedure.actions_for(r["kind"], r["status"], side) if a != "withdraw"]
            if acts:
                due.append({**r, "box": box, "other": (r["requesting_member_state"] if box == "inbox"
                                                       else r["requested_member_state"])})
    due.sort(key=lambda r: (r["next_deadline"]["days_left"], r["next_deadline"]["on"], r["id"]))
    boxes = {box: sum(1 for r in due if r["box"] == box) for box in ("inbox", "outbox")}
    # the rows shown name their applicants: one read of a list of Dublin requests (the queues were
    # read internally, to find them)
    responsibility.record_requests_shown(services, principal, [r["id"] for r in due[:WORK_SHOWN]], "web")
    return {"rows": due[:WORK_SHOWN], "total": len(due), "boxes": boxes}


def _due_requests(services: Services, principal: Principal, box: str) -> list[dict[str, Any]]:
    """The requests of ``box`` whose next deadline is within ``DUE_WITHIN_DAYS`` days or passed:
    the list's first pages (nearest deadline first) until one goes beyond, at most
    ``DUBLIN_READ_MAX`` requests read."""
    due: list[dict[str, Any]] = []
    offset = 0
    while offset < DUBLIN_READ_MAX:
        page = responsibility.queue_page(services, principal, box, limit=responsibility.QUEUE_PAGE_MAX,
                                         offset=offset)
        for r in page["requests"]:
            nd = r["next_deadline"]
            if nd is None or nd["days_left"] > DUE_WITHIN_DAYS:
                return due
            due.append(r)
        offset += len(page["requests"])
        if not page["requests"] or offset >= page["total"]:
            break
    return due


def _cases_due(services: Services, principal: Principal, today: date) -> dict[str, Any]:
    """The state's open asylum cases whose next legal deadline is within ``DUE_WITHIN_DAYS`` days
    or passed, nearest first (the queue's order), split into those whose next step is the
    caseworker's (``next_step``: how many, how many overdue) and those waiting on others (the
    court, the applicant's appeal time limit, another state responsible: ``waiting``), counted
    among the first ``CASES_DUE_MAX`` of the queue (then ``capped``): ``procedures.cases_due``."""
    return procedures.cases_due(services, principal, within_days=DUE_WITHIN_DAYS, shown=WORK_SHOWN,
                                limit=CASES_DUE_MAX, channel="web")


def _drafts(services: Services, principal: Principal) -> tuple[dict[str, Any], dict[str, Any]]:
    """The drafts a reviewer returned to this caseworker for revision and the drafts of others
    awaiting the second-level review this caseworker may do (``procedures.draft_work``: the
    state's first ``DRAFTS_CHECKED`` of each, nearest deadline first)."""
    work = procedures.draft_work(services, principal, limit=DRAFTS_CHECKED, shown=WORK_SHOWN, channel="web")
    returned, review = work["returned"], work["review"]
    return ({"rows": returned[:WORK_SHOWN], "total": len(returned), "capped": work["capped"]},
            {"rows": review[:WORK_SHOWN], "total": len(review), "own": work["own_under_review"],
             "capped": work["capped"]})


def _returns_work(services: Services, principal: Principal) -> dict[str, Any]:
    """The return officer's counts: the open return decisions the state can enforce (and how many
    are ready for removal now), the asylum rejections notified without a return decision (APR
    Art 37: ``procedures.return_decisions_due``), the hits waiting for its recognition decision or made by other
    states on its alerts, the unread notifications by kind."""
    groups = returns.return_queue(services, principal)
    hits = returns.hits_page(services, principal, waiting_only=True, limit=1)["totals"]
    notes = returns.notifications_page(services, principal, limit=1)
    return {
        "open": sum(len(g["decisions"]) for g in groups), "ready": sum(g["ready"] for g in groups),
        "hits_waiting": hits["executing"], "hits_on_ours": hits["issuing"],
        # APR Art 37: the state's asylum rejections notified without their return decision (a count,
        # not a list: no applicant is shown, nothing is logged as read)
        "return_decisions_due": len(procedures.return_decisions_due(services, principal, limit=5000)),
        "unread": notes["unread"], "by_kind": {k: v for k, v in notes["by_kind"].items() if v["unread"]},
        "kinds": NOTIFICATION_KINDS,
    }


#: the latest audit entries the auditor's home page lists
AUDIT_SHOWN = 10
#: the names of the steps of a solidarity cycle that have a legal due date (``cycle.due_dates``)
POOL_STEPS = {"create": "the Commission's report, pressure decision and pool proposal",
              "open_pledging": "the High-Level EU Solidarity Forum", "adopt": "the Council's implementing act"}


def _audit_status(services: Services, principal: Principal) -> dict[str, Any]:
    """The auditor's home page: the hash chain's verification (the entries written since it was
    last verified, as the audit page does) and the latest entries the auditor may read."""
    check = audit_service.verify_incrementally(services, principal)
    return {"check": check, "entries": audit_service.recent_entries(services, principal, limit=AUDIT_SHOWN)}


def _pool_status(services: Services, principal: Principal) -> dict[str, Any]:
    """The Commission's coordinator's home page: the cycles of the Annual Solidarity Pool not yet
    closed — in December one is implemented while the next is pledged, and both are the
    coordinator's — each with its stage and the relocations pledged against the pool's (as the pool
    page reads them: ``solidarity.pool_overview``), and the steps of all of them that are overdue,
    the earliest first: a cycle not opened (``solidarity.missing_cycles``), a step of a cycle past
    its due date (``get_cycle``'s ``due_dates``), a deduction request not assessed in time. With
    every cycle closed, the latest."""
    cycles = solidarity.list_cycles(services, principal)
    overdue: list[dict[str, Any]] = []
    for m in solidarity.missing_cycles(services, principal):
        overdue += [{"what": f"{m['year']} cycle not opened: {POOL_STEPS.get(d['step'], d['step'])}",
                     "due": d["due"], "href": "/solidarity"} for d in m["steps"] if d["status"] == "overdue"]
    if not cycles:
        return {"cycles": [], "overdue": sorted(overdue, key=lambda o: o["due"])}
    shown = [c["year"] for c in cycles if c["status"] != "closed"] or [cycles[-1]["year"]]
    out = []
    for year in shown:
        overview = solidarity.pool_overview(services, principal, year)
        cycle = solidarity.get_cycle(services, principal, year)
        href = f"/solidarity?year={year}"
        overdue += [{"what": f"{year} cycle: {POOL_STEPS.get(d['step'], d['step'])}", "due": d["due"], "href": href}
                    for d in cycle["due_dates"] if d["late"] and d["done_on"] is None]
        overdue += [{"what": f"{year} cycle: assess {d['member_state']}'s deduction request", "due": d["assess_by"],
                     "href": href} for d in overview["deductions"] if d["assessment_late"] and not d["assessed_on"]]
        c, totals = overview["cycle"], overview["accounts"]["totals"]
        out.append({"cycle": c, "href": href, "pledged": totals["pledged_relocations"], "pool": c["pool_relocations"]})
    return {"cycles": out, "overdue": sorted(overdue, key=lambda o: o["due"])}


def _early_warning(services: Services, principal: Principal) -> dict[str, Any]:
    """An analyst's home page: the open early-warning alerts (the newest ``WORK_SHOWN``, each
    linking to its route's page where it is acknowledged), and how old the Frontex data they are
    drawn from are (``awareness.early_warning``)."""
    from pactum.awareness.periods import week_of
    from pactum.web.views.awareness import alert_route_href

    summary = awareness.early_warning(services, principal)
    alerts = [a.model_dump(mode="json") | {"href": alert_route_href(a.route)} for a in summary["alerts"]]
    return {"alerts": alerts[:WORK_SHOWN], "open": len(alerts), "routes": summary["routes"],
            "frontex": summary["frontex"], "week": week_of(services.clock.today()).label}


@router.get("/account")
def account_page(request: Request, principal: Principal = Depends(web_principal)) -> Response:
    """Your own account: who you are, and the form to change your password."""
    return _account_page(request, principal)


def _account_page(request: Request, principal: Principal, *, errors: list[tuple[str, str]] | None = None,
                  status_code: int = 200) -> Response:
    saved = request.query_params.get("saved") == "password" and status_code == 200
    return render(request, "admin/account.html", {
        "errors": errors or [], "by_field": by_field(errors or []), "saved": saved,
    }, principal=principal, status_code=status_code)


def _account_refused(request: Request, services: Services, principal: Principal, typed: Any,
                     problem: Exception) -> Response:
    return _account_page(request, principal, errors=_field_problems(problem), status_code=422)


@router.post("/account/password")
@refused_form_page(_account_refused)
async def change_own_password(request: Request, services: Services = Depends(get_services),
                              principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    new_password = str(form.get("new_password", ""))
    if new_password != str(form.get("confirm_password", "")):
        return _account_refused(request, services, principal, form, ValidationProblem.one(
            "confirm_password", "not the same as the new password"))
    try:
        users.change_own_password(services, principal, str(form.get("current_password", "")), new_password,
                                  keep_token=request.cookies.get(SESSION_COOKIE))
    except ValidationProblem as exc:
        return _account_refused(request, services, principal, form, exc)
    token_cache(request).forget_user(principal.user_id)
    return RedirectResponse("/account?saved=password", status_code=303)


@router.get("/admin/users")
def users_page(request: Request, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    return _users_page(request, services, principal)


#: pydantic's words for a refused field of the user forms, as an administrator reads them
_PLAIN = {
    ("roles", "too_short"): "tick at least one role",
    ("username", "string_pattern_mismatch"): "use lower-case letters, digits, '.', '_' or '-', "
                                             "starting with a letter or a digit",
    ("username", "string_too_short"): "at least 3 characters",
    ("password", "string_too_short"): "at least 8 characters",
    ("full_name", "string_too_short"): "required",
}


def _field_problems(exc: Exception) -> list[tuple[str, str]]:
    """(field, message) for each refused field of a user form, in plain words where pydantic's are not."""
    return field_problems(exc, _PLAIN)


#: How many users one page of the users list shows.
USERS_PAGE = 100


def _managed_user(services: Services, principal: Principal, username: str | None) -> users.UserPublic | None:
    """The user of that name if the administrator manages them, else ``None``."""
    if not username:
        return None
    try:
        return users.user_by_username(services, principal, username)
    except (NotFound, Forbidden):
        return None


def _users_page(request: Request, services: Services, principal: Principal, *,
                error: str | None = None, status_code: int = 200, submitted: dict[str, Any] | None = None,
                create_errors: list[tuple[str, str]] | None = None,
                row_errors: dict[str, list[tuple[str, str]]] | None = None,
                where: Mapping[str, Any] | None = None) -> Response:
    """The users, :data:`USERS_PAGE` a page (``?offset=``; ``?authority=`` for the platform
    administrator); after a refused creation the new-user form keeps what was typed
    (``submitted``, without the password) and says each problem next to its field
    (``create_errors``); a refused change of a user is said in that user's row (``row_errors`` by
    user id), on the page the row was saved from (``where``: its form's ``offset`` and
    ``authority``). After a change, ``?created=`` or ``?saved=`` names the user it concerned,
    ``?unchanged=`` a form saved as it was."""
    authorities = ([principal.authority] if principal.authority != "EU-LISA"
                   else list(MEMBER_STATES) + list(EU_BODIES))
    q = request.query_params
    where = q if where is None else where
    notice = None
    for key, verb in (("created", "created"), ("saved", "saved")):
        who = _managed_user(services, principal, q.get(key))
        if who is not None and status_code == 200:
            notice = (f"User {who.username} ({who.authority}) {verb}: "
                      f"{', '.join(ROLE_LABELS[r] for r in who.roles)}; {'active' if who.active else 'inactive'}.")
            if key == "saved" and q.get("password") == "set":
                notice += " New password set: the user's sessions and API tokens have ended."
    unchanged = _managed_user(services, principal, q.get("unchanged"))
    if unchanged is not None and status_code == 200:
        notice = f"Nothing to save for user {unchanged.username} ({unchanged.authority}): nothing was changed."
    # the platform administrator manages every authority's users: one authority at a time, if asked
    shown_authority = str(where.get("authority", "") or "").strip().upper()
    if shown_authority not in authorities or len(authorities) == 1:
        shown_authority = ""
    try:
        offset = whole_number(where, "offset", default=0) or 0
        page = users.users_page(services, principal, authority=shown_authority or None, limit=USERS_PAGE,
                                offset=offset)
    except ValidationProblem as exc:
        error = "; ".join(filter(None, [error, *problems(exc)]))
        status_code = 422 if status_code == 200 else status_code
        page = users.users_page(services, principal, authority=shown_authority or None, limit=USERS_PAGE)
    return render(request, "admin/users.html", {
        "users": page["users"], "total": page["total"], "offset": page["offset"], "page_size": USERS_PAGE,
        "base": "?" + (urlencode({"authority": shown_authority}) + "&" if shown_authority else ""),
        "roles": list(Role), "shown_authority": shown_authority,
        "authorities": authorities, "error": error, "submitted": submitted or {},
        "create_errors": create_errors or [], "create_by_field": by_field(create_errors or []),
        "row_errors": row_errors or {}, "notice": notice,
    }, principal=principal, status_code=status_code)


def _create_refused(request: Request, services: Services, principal: Principal, form: Any,
                    problem: Exception) -> Response:
    """The users page again, the new-user form keeping what was typed (not the password)."""
    typed = {"username": str(form.get("username", "")), "full_name": str(form.get("full_name", "")),
             "authority": str(form.get("authority", "")), "roles": form.getlist("roles")}
    return _users_page(request, services, principal, status_code=422, submitted=typed,
                       create_errors=_field_problems(problem))


@router.post("/admin/users")
@refused_form_page(_create_refused)
async def create_user(request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    try:
        # the roles as sent: the model names an unknown one (roles.0: Input should be ...)
        data = users.UserCreate.model_validate({
            "username": str(form.get("username", "")), "full_name": str(form.get("full_name", "")),
            "authority": str(form.get("authority", "")), "password": str(form.get("password", "")),
            "roles": form.getlist("roles"),
        })
        created = users.create_user(services, principal, data)
    except (ValidationError, ValidationProblem) as exc:
        return _create_refused(request, services, principal, form, exc)
    return RedirectResponse(f"/admin/users?created={quote(created.username)}#user-{quote(created.username)}",
                            status_code=303)


def _update_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: Exception, user_id: str) -> Response:
    status = 409 if isinstance(problem, Conflict) else 422
    return _users_page(request, services, principal, status_code=status,
                       row_errors={user_id: _field_problems(problem)}, where=typed)


def _unchanged(services: Services, principal: Principal, user_id: str) -> Response:
    """Back to the users, saying that a form saved as it was changed nothing (the API answers
    such a change with 422 "nothing to change"; on a page it is no mistake)."""
    name = users.get_user(services, principal, user_id).username
    return RedirectResponse(f"/admin/users?unchanged={quote(name)}#user-{quote(name)}", status_code=303)


@router.post("/admin/users/{user_id}")
@refused_form_page(_update_refused)
async def update_user(user_id: str, request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    try:
        # the form always shows every role: none ticked is a choice the model refuses, not "no change"
        data = users.UserUpdate.model_validate({
            "version": form.get("version"), "roles": form.getlist("roles"),
            "active": form.get("active") == "on",
        })
        saved = users.update_user(services, principal, user_id, data)
    except users.NothingToChange:
        return _unchanged(services, principal, user_id)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _update_refused(request, services, principal, form, exc, user_id)
    token_cache(request).forget_user(user_id)  # a deactivation ends the user's API tokens at once
    # back to the page the row was saved from
    keep = "".join(f"&{k}={quote(str(form.get(k)))}" for k in ("authority", "offset") if form.get(k))
    return RedirectResponse(f"/admin/users?saved={quote(saved.username)}{keep}#user-{quote(saved.username)}",
                            status_code=303)


@router.get("/admin/users/{user_id}/edit")
def edit_user_page(user_id: str, request: Request, services: Services = Depends(get_services),
                   principal: Principal = Depends(web_principal)) -> Response:
    return _edit_user_page(request, services, principal, user_id)


def _edit_user_page(request: Request, services: Services, principal: Principal, user_id: str, *,
                    errors: list[tuple[str, str]] | None = None, submitted: dict[str, Any] | None = None,
                    status_code: int = 200) -> Response:
    """One user's name and password, for an administrator of their authority; a refused change
    keeps the name typed (never a password) and says each problem next to its field."""
    user = users.get_user(services, principal, user_id)
    return render(request, "admin/user.html", {
        "user": user, "errors": errors or [], "by_field": by_field(errors or []), "submitted": submitted or {},
    }, principal=principal, status_code=status_code)


def _edit_refused(request: Request, services: Services, principal: Principal, typed: Any,
                  problem: Exception, user_id: str) -> Response:
    return _edit_user_page(request, services, principal, user_id, errors=_field_problems(problem),
                           submitted={"full_name": str(typed.get("full_name", ""))},
                           status_code=409 if isinstance(problem, Conflict) else 422)


@router.post("/admin/users/{user_id}/edit")
@refused_form_page(_edit_refused)
async def edit_user(user_id: str, request: Request, services: Services = Depends(get_services),
                    principal: Principal = Depends(web_principal)) -> Response:
    """Change a user's full name and, if one is typed, set a new password (which ends the user's
    sessions and API tokens), as ``PATCH /api/v1/users/{id}`` does."""
    form = await request.form()
    password = str(form.get("password", ""))
    try:
        if password != str(form.get("confirm_password", "")):
            raise ValidationProblem.one("confirm_password", "not the same as the new password")
        data = users.UserUpdate.model_validate({
            "version": form.get("version"), "full_name": str(form.get("full_name", "")),
            "password": password or None,
        })
        saved = users.update_user(services, principal, user_id, data)
    except users.NothingToChange:
        return _unchanged(services, principal, user_id)
    except (ValidationError, ValidationProblem, Conflict) as exc:
        return _edit_refused(request, services, principal, form, exc, user_id)
    token_cache(request).forget_user(user_id)  # a new password ends the user's API tokens at once
    return RedirectResponse(f"/admin/users?saved={quote(saved.username)}"
                            f"{'&password=set' if password else ''}#user-{quote(saved.username)}",
                            status_code=303)


def _days(filters: Mapping[str, str]) -> tuple[dict[str, date | None], list[str]]:
    """The filters' days ``since`` and ``until``, with a line for each that is no day, naming the
    field by its label on the form ("From", "To") and knowing it, so that the form marks it."""
    errors: list[str] = []
    days: dict[str, date | None] = {}
    for name in ("since", "until"):
        try:
            days[name] = date.fromisoformat(filters[name]) if filters[name] else None
        except ValueError:
            errors.append(Problem(f"{field_label(name)}: {filters[name]!r} is not a day YYYY-MM-DD", name))
            days[name] = None
    return days, errors


def _named(named: list[dict[str, Any]] | None) -> list[str] | None:
    """The ids of the persons a name matched (``None``: no name given)."""
    return None if named is None else [p["person_id"] for p in named]


@router.get("/audit")
def audit_page(request: Request, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    q = request.query_params
    filters = {name: q.get(name, "").strip()[:100]
               for name in ("entity_id", "person_name", "actor", "action", "since", "until")}
    days, errors = _days(filters)
    before = None
    named: list[dict[str, Any]] | None = None
    try:
        before = whole_number(q, "before_seq", minimum=1)
        if not errors and filters["person_name"]:
            # the registry's own name search, within the reader's reach (logged as a read)
            named = audit_service.persons_named(services, principal, filters["person_name"])
        entries = audit_service.recent_entries(
            services, principal, entity_id=filters["entity_id"] or None, actor=filters["actor"] or None,
            action=filters["action"] or None, since=days["since"], until=days["until"], before_seq=before,
            limit=AUDIT_PAGE, person_ids=_named(named)) if not errors else []
    except ValidationProblem as exc:
        errors, entries = problems(exc), []
    # only the entries written since the chain was last verified (the whole chain: the button)
    check = audit_service.verify_incrementally(services, principal)
    searched = (audit_service.searched_entities(services, principal, filters["entity_id"])
                if filters["entity_id"] and not errors else [])
    # the next page back: the same filters, the entries before the last one shown
    older = ("/audit?" + urlencode({**{k: v for k, v in filters.items() if v}, "before_seq": entries[-1]["seq"]})
             if len(entries) == AUDIT_PAGE else None)
    export = "/audit.csv" + ("?" + urlencode({k: v for k, v in filters.items() if v}) if any(filters.values()) else "")
    return render(request, "admin/audit.html", {
        "entries": entries, "check": check, "entity_id": filters["entity_id"], "filters": filters,
        "errors": errors, "older": older, "paged": before is not None, "limit": AUDIT_PAGE, "export": export,
        "searched": searched, "named": named, "verified_full": q.get("verified") == "full"},
        principal=principal, status_code=422 if errors else 200)


@router.post("/audit/verify")
def audit_verify(services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    """Walk the whole hash chain again from its first entry (``pactum audit verify``); back to the
    audit page, which says the result."""
    audit_service.verify_chain(services, principal)
    return RedirectResponse("/audit?verified=full#chain", status_code=303)


@router.get("/audit.csv")
def audit_csv(request: Request, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    """Every entry the audit page's filters select (not only a page of them), as CSV; the same
    file as ``GET /api/v1/audit.csv``."""
    q = request.query_params
    filters = {name: q.get(name, "").strip() or None for name in ("entity_id", "person_name", "actor", "action")}
    days: dict[str, date | None] = {}
    try:
        for name in ("since", "until"):
            typed = q.get(name, "").strip()
            try:
                days[name] = date.fromisoformat(typed) if typed else None
            except ValueError:
                raise ValidationProblem.one(name, f"{shortened(typed)!r} is not a day YYYY-MM-DD") from None
        before = whole_number(q, "before_seq", minimum=1)
        named = (audit_service.persons_named(services, principal, filters["person_name"])
                 if filters["person_name"] else None)
        entries = audit_service.all_entries(services, principal, entity_id=filters["entity_id"],
                                            actor=filters["actor"], action=filters["action"], since=days["since"],
                                            until=days["until"], before_seq=before, person_ids=_named(named))
    except ValidationProblem as exc:
        return Response("; ".join(problems(exc)) + "\n", status_code=422, media_type="text/plain; charset=utf-8")
    return StreamingResponse(audit_service.csv_lines(entries), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


#: the entries the audit page shows, latest first
AUDIT_PAGE = 200
#: the reads the read log's page shows, latest first
READS_PAGE = 100


@router.get("/audit/reads")
def audit_reads_page(request: Request, services: Services = Depends(get_services),
                     principal: Principal = Depends(web_principal)) -> Response:
    """The read log (who read a person's personal data), newest first, scoped as the audit log:
    narrowed by the person read (their id, or a name: the persons it matches), the reader (a
    username) and the days; a page of :data:`READS_PAGE` from ``offset``."""
    from pactum.services import reads

    q = request.query_params
    filters = {name: q.get(name, "").strip()[:100] for name in ("person_id", "person_name", "actor", "since", "until")}
    days, errors = _days(filters)
    page: dict[str, Any] = {"reads": [], "total": 0, "offset": 0}
    named: list[dict[str, Any]] | None = None
    try:
        offset = whole_number(q, "offset", default=0, minimum=0) or 0
        if not errors:
            if filters["person_name"]:
                named = audit_service.persons_named(services, principal, filters["person_name"])
            page = reads.reads_page(services, principal, person_id=filters["person_id"] or None,
                                    person_ids=_named(named), actor=filters["actor"] or None, since=days["since"],
                                    until=days["until"], limit=READS_PAGE, offset=offset)
    except ValidationProblem as exc:
        errors = problems(exc)
    narrowed = {k: v for k, v in filters.items() if v}
    return render(request, "admin/audit_reads.html", {
        **page, "filters": filters, "narrowed": narrowed, "errors": errors, "named": named,
        "page_size": READS_PAGE, "base": "/audit/reads?" + (urlencode(narrowed) + "&" if narrowed else "")},
        principal=principal, status_code=422 if errors else 200)
