"""Relocation matching and the stages of relocation transfers in the web UI.

- ``/solidarity/matching``: the Commission's solidarity coordinator (and EU analysts, who may try a
  matching but not record it) chooses a cycle and a benefitting state; the places each contributing
  state still has for it are prefilled (:func:`pactum.services.solidarity.matching_capacities`) and
  stay editable; the applicants come as a CSV file or pasted text
  (:mod:`pactum.solidarity.applicants_csv`); "Match" runs the optimiser
  (:func:`pactum.services.solidarity.match`) and shows its answer; "Record these transfers" records
  the assignments shown as relocation transfers at stage matched
  (:func:`pactum.services.solidarity.record_transfers`) and leads to the tracker.
- ``POST /solidarity/transfers/{id}/events``: a stage of a transfer, from the tracker's buttons
  (:func:`pactum.services.solidarity.transfer_event`); which buttons a user gets is the service's
  :func:`~pactum.services.solidarity.transfer_events_open`.

Views read the forms, call the services and hold no rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from contextlib import suppress
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.services import solidarity
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.solidarity import applicants_csv
from pactum.solidarity.matching import (
    DEFAULT_WEIGHTS,
    LINK_KINDS,
    MAX_WEIGHT,
    CapacityIn,
    MatchingRequest,
    MatchingResult,
)
from pactum.solidarity.schemas import TransferEvent, TransferIn, TransfersCreate
from pactum.solidarity.transfers import time_limits_words
from pactum.web.forms import (
    STATE_CODE,
    refused_form_page,
    required_whole_number,
    typed_text,
    uploaded_text,
    whole_number,
)
from pactum.web.render import (
    TEMPLATES,
    NavItem,
    Problem,
    field_label,
    field_problems,
    render,
    web_principal,
    words,
)

router = APIRouter()
# The page is reached from the solidarity tabs (``_nav.html``), shown to the users who may use it
# (``may_match``): a navigation entry by roles would offer it to the states' coordinators, whom it refuses.
NAV: list[NavItem] = []
TEMPLATES.env.globals["may_match"] = solidarity.may_match

#: The words of each stage event on the tracker's buttons.
EVENT_LABELS: dict[str, str] = {
    "security_cleared": "Security check cleared",
    "security_threat": "Security threat: exclude",
    "accepted": "Accepted",
    "transfer_decided": "Transfer decided",
    "appeal_decided": "Final decision on a suspensive appeal",
    "arrived": "Arrived",
    "cancelled": "Cancel the transfer",
}
_MAX_CSV_BYTES = 5_000_000


# ------------------------------------------------------------------ the matching page


def _may_match(principal: Principal) -> None:
    if not solidarity.may_match(principal):
        raise Forbidden("relocation matching is for the Commission's solidarity coordinator and EU analysts")


def _matching_page(request: Request, services: Services, principal: Principal, *, year: int | None,
                   beneficiary: str | None, typed: dict[str, str] | None = None, errors: list[str] | None = None,
                   csv_errors: list[str] | None = None, result: dict[str, Any] | None = None,
                   status_code: int = 200) -> Response:
    """The matching page for a cycle and a benefitting state: the capacities prefilled (or as typed),
    the applicants and weights as typed, the problems of a refused form above it (those of the CSV
    also next to it), and a matching's answer."""
    _may_match(principal)
    cycles = solidarity.list_cycles(services, principal)
    years = [c["year"] for c in cycles]
    # without a year: the cycle whose places are matched now (in implementation), else the latest
    current = [c["year"] for c in cycles if c["status"] == "implementation"]
    y = year if year in years else (current[-1] if current else (years[-1] if years else None))
    ctx: dict[str, Any] = {"years": years, "year": y, "typed": typed or {}, "errors": errors or [],
                           "csv_errors": csv_errors or [], "result": result, "link_kinds": LINK_KINDS,
                           "default_weights": DEFAULT_WEIGHTS, "columns": applicants_csv.COLUMNS,
                           # the matching day of whoever matches: Brussels's for the Commission's coordinator
                           "today": solidarity.state_day(services, principal.member_state).isoformat()}
    if y is None:
        return render(request, "solidarity/matching.html", {**ctx, "cycle": None}, principal=principal,
                      status_code=status_code)
    cycle = solidarity.get_cycle(services, principal, y)
    benefitting = [d["member_state"] for d in cycle["designations"] if d["status"] == "under_pressure"]
    b = beneficiary if beneficiary and STATE_CODE.fullmatch(beneficiary) else (benefitting[0] if benefitting else None)
    caps = solidarity.matching_capacities(services, principal, y, b) if b else None
    ctx.update(cycle=cycle, benefitting=benefitting, beneficiary=b, caps=caps,
               records=solidarity.manages_pool(principal) and cycle["status"] == "implementation")
    return render(request, "solidarity/matching.html", ctx, principal=principal, status_code=status_code)


@router.get("/solidarity/matching")
def matching(request: Request, year: int | None = None, beneficiary: str | None = None,
             services: Services = Depends(get_services), principal: Principal = Depends(web_principal)) -> Response:
    return _matching_page(request, services, principal, year=year, beneficiary=(beneficiary or "").upper() or None)


def _typed_year(typed: Any) -> int | None:
    try:
        return whole_number(typed, "year")
    except ValidationProblem:
        return None


#: The matching form's fields as it labels them (the places and weights are labelled by their
#: state and kind: :func:`matching_label`).
MATCHING_LABELS = {"year": "Cycle", "beneficiary": "Benefitting state", "on": "Date of the matching",
                   "matched_on": "Matched on", "applicants_file": "CSV file", "applicants_csv": "CSV text",
                   "applicants": "Applicants", "assignments": "Assignments"}


def matching_label(field: str) -> tuple[str, str]:
    """A refused field of the matching forms as the page labels it, and the form's field it marks:
    ``places_DE`` is "Places in DE", ``weight_family`` "Family", ``line 5.links`` (a cell of the
    applicants' CSV) as it is, marking the CSV text."""
    if field.startswith("places_"):
        return f"Places in {field.removeprefix('places_')}", field
    if field.startswith("capacities "):
        return f"Places in {field.removeprefix('capacities ')}", f"places_{field.removeprefix('capacities ')}"
    if field.startswith("weight_"):
        return words(field.removeprefix("weight_")).capitalize(), field
    if field.startswith("line "):  # a cell of the CSV: its line and column, as the key figures' are said
        return field, "applicants_csv"
    head = re.split(r"[.\[]", field, maxsplit=1)[0]
    return MATCHING_LABELS.get(head) or field_label(field), head


def _matching_lines(pairs: list[tuple[str, str]]) -> list[str]:
    """The problems of a matching form, one line each naming the field by its label; each line a
    :class:`~pactum.web.render.Problem` that knows the field it marks."""
    out: list[str] = []
    for field, message in pairs:
        if not field:
            out.append(Problem(message))
            continue
        label, marks = matching_label(field)
        out.append(Problem(f"{label}: {message}", marks))
    return out


def _matching_refused(request: Request, services: Services, principal: Principal, typed: Any,
                      problem: ValidationProblem) -> Response:
    """The matching page again with what was typed and the problems (a NUL character refused)."""
    kept = {k: str(v) for k, v in typed.items()}
    return _matching_page(request, services, principal, year=_typed_year(typed),
                          beneficiary=kept.get("beneficiary"), typed=kept,
                          errors=_matching_lines(field_problems(problem)), status_code=422)


class _Input:
    """A matching form read: the request for the optimiser, the applicants' file as read, the cycle
    year and the benefitting state."""

    def __init__(self, year: int, beneficiary: str, request: MatchingRequest, rows: applicants_csv.ApplicantsFile,
                 states: list[str]):
        self.year, self.beneficiary, self.request, self.rows, self.states = year, beneficiary, request, rows, states

    def where(self, field: str) -> str:
        """A field the matching or the transfers named (``applicants[3].id``, ``capacities[0].places``,
        ``transfers[2].consent_on``) as the form names it (``line 5.id``, ``places_DE``)."""
        m = re.fullmatch(r"(applicants|transfers)[.\[](\d+)\]?\.?(.*)", field)
        if m:
            line = self.rows.line_of(int(m.group(2)))
            rest = {"consent": "consent_on"}.get(m.group(3), m.group(3))
            if line is not None:
                return f"line {line}" + (f".{rest}" if rest else "")
        m = re.fullmatch(r"capacities[.\[](\d+)\]?\.(\w+)", field)
        if m and int(m.group(1)) < len(self.states):
            code = self.states[int(m.group(1))]
            return f"places_{code}" if m.group(2) == "places" else f"capacities {code}"
        return field.replace("weights.", "weight_")


def _date_field(form: Any, field: str, default: date) -> date:
    raw = str(form.get(field) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationProblem.one(field, "not a date (YYYY-MM-DD)") from None


async def _csv_text(form: Any, typed: dict[str, str]) -> str:
    """The applicants' CSV: the uploaded file when one was chosen (its text then kept in the text
    field, so that the page shows what was read), else the text pasted."""
    text = await uploaded_text(form.get("applicants_file"), "applicants_file", _MAX_CSV_BYTES)
    if text:
        typed["applicants_csv"] = text
        return text
    return typed.get("applicants_csv", "")


def _read(form: Any, typed: dict[str, str], csv_text: str, today: date,
          agreed_on: Callable[[int, str, date], Collection[str]],
          act_on: Callable[[int], date | None] = lambda year: None) -> _Input:
    """The matching form as the optimiser's request; every problem of the form at once."""
    problems: list[tuple[str, str]] = []

    def number(field: str, **kw: Any) -> int | None:
        try:
            return whole_number(form, field, **kw)
        except ValidationProblem as exc:
            problems.extend(exc.problems)
            return None

    year = None
    try:
        year = required_whole_number(form, "year")
    except ValidationProblem as exc:
        problems.extend(exc.problems)
    beneficiary = str(form.get("beneficiary") or "").strip().upper()
    if not STATE_CODE.fullmatch(beneficiary):
        problems.append(("beneficiary", "choose the benefitting state"))
    states = [s for s in dict.fromkeys(str(v).strip().upper() for v in form.getlist("state")) if STATE_CODE.fullmatch(s)]
    capacities = []
    for code in states:
        places = number(f"places_{code}", default=0, minimum=0)
        capacities.append(CapacityIn(member_state=code, places=places or 0))
    weights = {k: number(f"weight_{k}", default=DEFAULT_WEIGHTS[k], minimum=0, maximum=MAX_WEIGHT) for k in LINK_KINDS}
    on = today
    try:
        on = _date_field(form, "on", today)
    except ValidationProblem as exc:
        problems.extend(exc.problems)
    rows = applicants_csv.ApplicantsFile()
    if STATE_CODE.fullmatch(beneficiary):
        try:
            rows = applicants_csv.parse(csv_text, beneficiary)
        except ValidationProblem as exc:
            problems.extend(exc.problems)
    if problems or year is None:
        raise ValidationProblem(problems)
    # a beneficiary of international protection goes only where an agreement with the benefitting
    # state is in force on the matching's date (Art 56(2)(a)), as recorded, not as ticked on a page
    agreed = agreed_on(year, beneficiary, on)
    for c in capacities:
        c.accepts_beneficiaries = c.member_state in agreed
    # a beneficiary's 3 years run back from the cycle's Council act (Art 56(2)(a)(ii)), not from the matching
    request = MatchingRequest(capacities=capacities, applicants=rows.applicants,
                              weights={k: w for k, w in weights.items() if w is not None}, on=on,
                              council_act_on=act_on(year))
    return _Input(year, beneficiary, request, rows, states)


def _refused(request: Request, services: Services, principal: Principal, typed: dict[str, str],
             pairs: list[tuple[str, str]], status_code: int = 422) -> Response:
    lines = _matching_lines(pairs)
    csv_lines = [x for (f, _), x in zip(pairs, lines, strict=True)
                 if f.startswith(("line ", "applicants", "assignments"))]
    return _matching_page(request, services, principal, year=_typed_year(typed), beneficiary=typed.get("beneficiary"),
                          typed=typed, errors=lines, csv_errors=csv_lines, status_code=status_code)


def _result_view(services: Services, principal: Principal, inp: _Input, result: MatchingResult) -> dict[str, Any]:
    """The matching's answer as the page says it."""
    assignment = {a.applicant_id: a.member_state for a in result.assignments}
    links = solidarity.assignment_links(services, principal, inp.request, assignment)
    family = {r.applicant.id: r.applicant.family_id for r in inp.rows.rows}
    placed: dict[str, int] = {}
    for s in assignment.values():
        placed[s] = placed.get(s, 0) + 1
    ineligible = {i.applicant_id: i.reason for i in result.ineligible or []}
    return {
        "assignments": [{"id": a.applicant_id, "family_id": family.get(a.applicant_id), "member_state": a.member_state,
                         "link": links.get(a.applicant_id)} for a in result.assignments],
        "destinations": [{"member_state": c.member_state, "places": c.places, "placed": placed.get(c.member_state, 0),
                          "accepts_beneficiaries": c.accepts_beneficiaries} for c in inp.request.capacities],
        "weights": {**DEFAULT_WEIGHTS, **(inp.request.weights or {})},
        "unassigned": [a for a in result.unassigned if a not in ineligible],
        "ineligible": result.ineligible or [],
        "objective": result.objective.model_dump(),
        "solver": result.solver,
        "persons": len(inp.rows.rows),
        "on": (inp.request.on or services.clock.today()).isoformat(),
        "assigned": [f"{a.member_state}:{a.applicant_id}" for a in result.assignments],
    }


@router.post("/solidarity/matching")
@refused_form_page(_matching_refused)
async def matching_run(request: Request, services: Services = Depends(get_services),
                       principal: Principal = Depends(web_principal)) -> Response:
    """Match: the optimiser's answer on the page. Writes nothing."""
    _may_match(principal)
    form = await request.form()
    typed = {k: v for k, v in typed_text(form).items() if k != "assigned"}
    try:
        inp = _read(form, typed, await _csv_text(form, typed), services.clock.today(),
                    partial(solidarity.agreed_contributors, services), partial(solidarity.council_act_on, services))
    except ValidationProblem as exc:
        return _refused(request, services, principal, typed, exc.problems)
    try:
        result = solidarity.match(services, principal, inp.request)
        view = _result_view(services, principal, inp, result)
    except ValidationProblem as exc:
        return _refused(request, services, principal, typed, [(inp.where(f), m) for f, m in exc.problems])
    return _matching_page(request, services, principal, year=inp.year, beneficiary=inp.beneficiary, typed=typed,
                          result=view)


def _transfers(inp: _Input, assignment: dict[str, str], links: dict[str, str | None],
               matched_on: date) -> TransfersCreate:
    """The assignments as relocation transfers at stage matched; a problem names the applicant's line."""
    rows = {r.applicant.id: (i, r) for i, r in enumerate(inp.rows.rows)}
    transfers, problems = [], []
    for aid, dest in assignment.items():
        i, r = rows[aid]
        a = r.applicant
        try:
            transfers.append(TransferIn(
                applicant_ref=aid, family_ref=a.family_id, nationality=r.nationality, link_kind=links.get(aid),
                origin_member_state=inp.beneficiary, destination_member_state=dest, matched_on=matched_on,
                status=a.status, protection_granted_on=a.protection_granted_on, consent_on=r.consent_on))
        except ValidationError as exc:
            problems += [(inp.where(f"applicants[{i}].{f}"), m) for f, m in field_problems(exc)]
    if problems:
        raise ValidationProblem(problems)
    return TransfersCreate(transfers=transfers)


@router.post("/solidarity/matching/record")
@refused_form_page(_matching_refused)
async def matching_record(request: Request, services: Services = Depends(get_services),
                          principal: Principal = Depends(web_principal)) -> Response:
    """Record the assignments shown as relocation transfers at stage matched: all or none."""
    _may_match(principal)
    form = await request.form()
    typed = {k: v for k, v in typed_text(form).items() if k != "assigned"}
    try:
        inp = _read(form, typed, typed.get("applicants_csv", ""), services.clock.today(),
                    partial(solidarity.agreed_contributors, services), partial(solidarity.council_act_on, services))
    except ValidationProblem as exc:
        return _refused(request, services, principal, typed, exc.problems)
    index = {r.applicant.id: i for i, r in enumerate(inp.rows.rows)}
    assignment: dict[str, str] = {}

    def where(f: str) -> str:
        m = re.fullmatch(r"transfers\[(\d+)\]\.?(.*)", f)
        ids = list(assignment)
        if m and int(m.group(1)) < len(ids):
            return inp.where(f"applicants[{index[ids[int(m.group(1))]]}].{m.group(2)}")
        return inp.where(f)

    try:
        matched_on = _date_field(form, "matched_on", inp.request.on or services.clock.today())
        for value in form.getlist("assigned"):
            code, _, aid = str(value).partition(":")
            if aid not in index or not STATE_CODE.fullmatch(code):
                raise ValidationProblem.one("assignments", "the assignments are not those of the applicants "
                                                           "above: match again")
            assignment[aid] = code
        if not assignment:
            raise ValidationProblem.one("assignments", "no one is assigned: nothing to record")
        links = solidarity.assignment_links(services, principal, inp.request, assignment)
        body = _transfers(inp, assignment, links, matched_on)
        done = solidarity.record_transfers(services, principal, inp.year, body)
    except ValidationProblem as exc:
        return _refused(request, services, principal, typed, [(where(f), m) for f, m in exc.problems])
    except Conflict as exc:
        return _refused(request, services, principal, typed, [("", str(exc))], status_code=409)
    query = urlencode({"era": "ammr", "year": inp.year, "stage": "matched", "recorded": done["recorded"],
                       "from": inp.beneficiary})
    return RedirectResponse(f"/solidarity/transfers?{query}", status_code=303)


@router.get("/solidarity/matching/applicants-template.csv")
def applicants_template(principal: Principal = Depends(web_principal)) -> Response:
    """A CSV file with the header the page reads and a few example rows."""
    return Response(applicants_csv.TEMPLATE, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="relocation-applicants.csv"'})


# ------------------------------------------------------------------ the tracker and its stage buttons


def _tracker_notice(request: Request, services: Services, principal: Principal, data: dict[str, Any]) -> str | None:
    """What the action that led back to the tracker did, from the address it redirected to (a step the
    Commission recorded in a state's name says so), also when the step took the transfer out of the
    list's filters."""
    q = request.query_params
    count, origin = q.get("recorded", ""), q.get("from", "")
    if count.isdigit() and STATE_CODE.fullmatch(origin):
        n = int(count)
        return (f"{n:,} person{'s' if n != 1 else ''} matched from {origin} recorded as relocation "
                f"transfer{'s' if n != 1 else ''} at stage matched.")
    event, tid = q.get("event", ""), q.get("transfer", "")
    if event in EVENT_LABELS:
        t = next((t for t in data["transfers"] if t["id"] == tid), None)
        if t is None and tid:
            with suppress(NotFound, Forbidden):
                t = solidarity.get_transfer(services, principal, tid)
        who = f" for {t['applicant_ref']} ({t['origin_member_state']} to {t['destination_member_state']})" if t else ""
        states = solidarity.on_behalf_of(principal, t, event) if t else ()
        return f"{EVENT_LABELS[event]}: recorded{who}" + (f" on behalf of {' and '.join(states)}." if states else ".")
    return None


#: Transfers on one page of the tracker.
TRANSFERS_PAGE = 100

#: The tracker's filters, in the order of its form.
TRACKER_FILTERS = ("era", "year", "stage", "status", "origin", "destination")

#: The era filter's value for every era: the Voluntary Solidarity Mechanism's transfers (2022-2026)
#: with the Solidarity Pool's. Without an era or a cycle the tracker shows the pool's current cycle.
ALL_ERAS = "all"

#: The eras as the tracker names them.
ERA_LABELS = {solidarity.AMMR_ERA: "Solidarity Pool (AMMR)",
              solidarity.VSM_ERA: "Voluntary Solidarity Mechanism (2022-2026)"}


def _cycle_years(services: Services, principal: Principal) -> list[int]:
    """The cycles' years, for the tracker's cycle filter (none for a user who may not list the cycles)."""
    try:
        return [c["year"] for c in solidarity.list_cycles(services, principal)]
    except Forbidden:
        return []


def tracker_page(request: Request, services: Services, principal: Principal, *, era: str | None = None,
                 year: int | None = None, stage: str | None = None, status: str | None = None,
                 origin: str | None = None, destination: str | None = None, offset: int = 0,
                 refused: dict[str, Any] | None = None, status_code: int = 200,
                 as_of: date | None = None) -> Response:
    """The relocation transfer tracker, filtered by era, cycle (``year``), stage, person, benefitting
    state (``origin``) and relocation state (``destination``), :data:`TRANSFERS_PAGE` transfers from
    ``offset`` with how many there are and a CSV of all of them, and for each open transfer the
    stage events the user may record (:func:`~pactum.services.solidarity.transfer_events_open`);
    ``refused``: the transfer whose event was refused, with the messages and what was typed."""
    current = solidarity.current_pool_cycle(services, principal)
    if not era and year is None:
        # neither an era nor a cycle named: the pool's current cycle, whose arrivals the pool page counts
        era, year = solidarity.AMMR_ERA, current
    f: dict[str, Any] = {"era": era, "year": year, "stage": stage, "status": status, "origin": origin,
                         "destination": destination}
    data: dict[str, Any] = solidarity.transfer_tracker(
        services, principal, limit=TRANSFERS_PAGE, offset=offset, as_of=as_of,
        **{k: None if k == "era" and v == ALL_ERAS else v or None for k, v in f.items()})
    events = {t["id"]: solidarity.transfer_events_open(principal, t) for t in data["transfers"]}
    behalf = {t["id"]: {ev: "/".join(solidarity.on_behalf_of(principal, t, ev)) for ev in events[t["id"]]}
              for t in data["transfers"]}
    # each step's date defaults to the day of the state whose step it is (its capital's clock)
    days = {t["id"]: {ev: solidarity.event_day(services, principal, t, ev).isoformat() for ev in events[t["id"]]}
            for t in data["transfers"]}
    listed = {k: v for k, v in f.items() if v}
    query = urlencode({**listed, **({"as_of": as_of.isoformat()} if as_of else {})})
    others = {k: v for k, v in listed.items() if k not in ("era", "year")}
    return render(request, "solidarity/transfers.html", {
        "data": data, **f, "events": events, "behalf": behalf, "days": days, "as_of": as_of.isoformat() if as_of else None,
        "on_behalf_shown": any(s for steps in behalf.values() for s in steps.values()),
        "scope": _scope(era, year, current, others),
        "event_labels": EVENT_LABELS, "filters": listed, "today": services.clock.today().isoformat(),
        "refused": refused, "notice": None if refused else _tracker_notice(request, services, principal, data),
        "page": {"total": data["total"], "offset": offset, "size": TRANSFERS_PAGE,
                 "base": "?" + (query + "&" if query else ""),
                 "csv": "/solidarity/transfers.csv" + ("?" + urlencode(listed) if listed else "")},
        "years": _cycle_years(services, principal),
        "limits": time_limits_words(services.clock.today())},
        principal=principal, status_code=status_code)


def _scope(era: str | None, year: int | None, current: int | None, others: dict[str, Any]) -> dict[str, Any]:
    """Which transfers the tracker's figures are of, said above them (``said``), with the one link
    that switches to every era and cycle, or back to the pool's current cycle (``switch``: label and
    address), the other filters kept."""
    if era in ERA_LABELS:
        said = ERA_LABELS[era] + (f", cycle {year}" if year is not None else
                                  ", every cycle" if era == solidarity.AMMR_ERA else "")
    elif year is not None:
        said = f"{ERA_LABELS[solidarity.AMMR_ERA]}, cycle {year}"
    else:
        said = f"every era: the {ERA_LABELS[solidarity.VSM_ERA]} and the {ERA_LABELS[solidarity.AMMR_ERA]}"
    if era == ALL_ERAS and year is None:
        back = {"era": solidarity.AMMR_ERA, **({"year": current} if current is not None else {})}
        label = f"Show the Solidarity Pool's {current} cycle only" if current else "Show the Solidarity Pool only"
        switch = {"label": label, "href": "/solidarity/transfers?" + urlencode({**back, **others})}
    else:
        switch = {"label": "Show every era and cycle (with the Voluntary Solidarity Mechanism, 2022-2026)",
                  "href": "/solidarity/transfers?" + urlencode({"era": ALL_ERAS, **others})}
    return {"said": said, "switch": switch}


def _filters(typed: Any) -> dict[str, Any]:
    """The tracker's filters a stage form carries, to come back to the same list."""
    out: dict[str, Any] = {k: str(typed.get(k) or "").strip() or None for k in TRACKER_FILTERS if k != "year"}
    try:
        out["year"] = whole_number(typed, "year")
    except ValidationProblem:
        out["year"] = None
    return out


#: The fields of a transfer's stage form as the tracker labels them (the date: by its step, "Arrived on").
EVENT_FIELD_LABELS = {"note": "Note for the audit log", "on_behalf": "I record this on behalf of …", "event": "Step",
                      "version": "Version"}


def _event_lines(exc: Exception, event: str) -> list[str]:
    """A refused stage of a transfer, one line per field as its form labels it ("Arrived on: not a
    date (YYYY-MM-DD)"); each line a :class:`~pactum.web.render.Problem` that knows its field."""
    out: list[str] = []
    for field, message in field_problems(exc):
        if not field:
            out.append(Problem(message))
            continue
        label = f"{EVENT_LABELS.get(event, 'Step')} on" if field == "on" else (
            EVENT_FIELD_LABELS.get(field) or field_label(field))
        out.append(Problem(f"{label}: {message}", field))
    return out


def _event_refused(request: Request, services: Services, principal: Principal, typed: Any,
                   problem: ValidationProblem, transfer_id: str = "") -> Response:
    kept = {k: str(v) for k, v in typed.items()}
    return tracker_page(request, services, principal, **_filters(typed), status_code=422,
                        refused={"id": transfer_id, "messages": _event_lines(problem, kept.get("event", "")),
                                 "typed": kept})


def _confirmed(services: Services, principal: Principal, transfer_id: str, event: str, typed: dict[str, str]) -> None:
    """A step the Commission records in a state's name is recorded only when the coordinator ticked
    “I record this on behalf of …” for that state: one click does not record a Member State's step."""
    t = solidarity.get_transfer(services, principal, transfer_id)
    if event not in solidarity.transfer_events_open(principal, t):
        return  # not a step the user may record now: the service refuses it and says why
    states = solidarity.on_behalf_of(principal, t, event)
    if states and typed.get("on_behalf") != "/".join(states):
        said = " and ".join(states)
        raise ValidationProblem.one("on_behalf", f"this step is {said}'s: tick “I record this on behalf of {said}” "
                                                 "to record it in their name")


@router.post("/solidarity/transfers/{transfer_id}/events")
@refused_form_page(_event_refused)
async def transfer_event(transfer_id: str, request: Request, services: Services = Depends(get_services),
                         principal: Principal = Depends(web_principal)) -> Response:
    """A stage of a relocation transfer, from its button on the tracker."""
    form = await request.form()
    typed = {k: v for k, v in typed_text(form).items()}
    filters = _filters(typed)
    try:
        event = typed.get("event", "")
        blank = not str(typed.get("on") or "").strip()
        default = (solidarity.event_day(services, principal, solidarity.get_transfer(services, principal, transfer_id),
                                        event) if blank else services.clock.today())
        body = TransferEvent(event=event, on=_date_field(typed, "on", default),
                             version=required_whole_number(typed, "version", minimum=0),
                             note=typed.get("note", "").strip() or None)
        _confirmed(services, principal, transfer_id, body.event, typed)
        solidarity.transfer_event(services, principal, transfer_id, body)
    except (ValidationError, ValidationProblem) as exc:
        messages, code = _event_lines(exc, typed.get("event", "")), 422
    except Conflict as exc:
        messages, code = [f"{exc} (reload the list: it may have changed)"], 409
    except Forbidden as exc:
        messages, code = [str(exc)], 403
    else:
        query = urlencode({**{k: v for k, v in filters.items() if v}, "event": body.event, "transfer": transfer_id})
        return RedirectResponse(f"/solidarity/transfers?{query}#transfer-{transfer_id}", status_code=303)
    return tracker_page(request, services, principal, **filters, status_code=code,
                        refused={"id": transfer_id, "messages": messages, "typed": typed})

