"""Solidarity screens: the pool at a glance, a state's own pledge page, fair shares and the
relocation transfer tracker. Views call :mod:`pactum.services.solidarity` and hold no rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.services import solidarity
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.solidarity import deductions as ded
from pactum.solidarity.schemas import (
    BeneficiaryAgreementEnd,
    BeneficiaryAgreementIn,
    CycleAction,
    CycleCreate,
    DeductionAssessment,
    DeductionDecision,
    DeductionIn,
    MeasureAssignmentIn,
    NeedIn,
    OffsetTakeOver,
    PledgeIn,
    PledgeProgress,
)
from pactum.web.forms import (
    STATE_CODE,
    refused_form_page,
    required_whole_number,
    typed_text,
    uploaded_text,
    whole_number,
)
from pactum.web.render import NavItem, Problem, field_label, field_problems, render, web_principal

router = APIRouter()
NAV = [
    NavItem("Solidarity pool", "/solidarity", {Role.solidarity_coordinator, Role.analyst}, order=40),
    NavItem("Relocation transfers", "/solidarity/transfers", {Role.solidarity_coordinator, Role.analyst}, order=41),
]


def _current_year(services: Services, principal: Principal, year: int | None) -> int | None:
    """``year``, else the cycle the pool and pledge pages open on: the latest in implementation (the
    pool whose relocations are under way, as the transfer tracker opens on it), else the latest
    opened. A later cycle at its proposal or pledging stage is one click away (``_cycles.html``)."""
    if year is not None:
        return year
    return opening_year(solidarity.list_cycles(services, principal))


def opening_year(cycles: list[dict[str, Any]]) -> int | None:
    """The year of the latest of ``cycles`` in implementation, else of the latest (None for none)."""
    running = [c["year"] for c in cycles if c["status"] == "implementation"]
    return running[-1] if running else (cycles[-1]["year"] if cycles else None)


@router.get("/solidarity")
def pool(request: Request, year: int | None = None, services: Services = Depends(get_services),
         principal: Principal = Depends(web_principal)) -> Response:
    if principal.member_state is not None:
        return RedirectResponse("/solidarity/pledge" + (f"?year={year}" if year else ""), status_code=303)
    return _pool_page(request, services, principal, year, notice=_pool_notice(request))


def _pool_page(request: Request, services: Services, principal: Principal, year: int | None, *,
               refused: dict[str, Any] | None = None, notice: str | None = None, status_code: int = 200) -> Response:
    """The pool at a glance; for the Commission's coordinator, the forms that open a cycle, move it on,
    record the Commission's assessment of deduction requests and the Council's decision on them.
    ``refused``: a refused form (``form``: ``create``, ``action``, ``assessment`` or ``decision``;
    ``errors``; ``typed``: what was typed; ``deduction_id`` for an assessment or a decision), said next
    to that form with what was typed; ``notice``: what the last action did. The cycles that should be
    under way and are not opened are flagged with their due dates (``missing``)."""
    manages = solidarity.manages_pool(principal)
    today = solidarity.union_today(services)  # the Commission's page: Brussels's day
    cycles = solidarity.list_cycles(services, principal)
    y = _current_year(services, principal, year)
    ctx: dict[str, Any] = {"overview": None, "year": None, "cycles": cycles, "manages": manages,
                           "today": today.isoformat(), "refused": refused or {}, "notice": notice,
                           "missing": solidarity.missing_cycles(services, principal)}
    # a cycle is opened only for a year from the first pool to next year's that has none (pool_years):
    # the form proposes the first such year, and is not offered when every one of them has its cycle
    first, last = solidarity.pool_years(today)
    recorded = {c["year"] for c in cycles}
    openable = [n for n in range(first, last + 1) if n not in recorded]
    ctx.update(next_year=openable[0] if openable else last + 1, openable_years=openable,
               pool_years=(first, last))
    if y is not None:
        overview = solidarity.pool_overview(services, principal, y)
        cycle = solidarity.get_cycle(services, principal, y)
        ctx.update(overview=overview, year=y,
                   shares={s["member_state"]: s for s in solidarity.get_fair_shares(services, principal, y)["states"]},
                   offsets=solidarity.offsets_view(services, principal, y),
                   transitions=cycle["transitions"] if manages else [],
                   closes_from=cycle["closes_from"], implementation_until=cycle["implementation_until"],
                   due_dates=cycle["due_dates"],
                   basis=solidarity.cycle_legal_basis(y),
                   assignments=solidarity.measure_assignments(services, principal, y),
                   pending=[d for d in overview["deductions"] if d["status"] == "requested"],
                   assessed=[d for d in overview["deductions"] if d["status"] == "assessed"])
    else:
        ctx["basis"] = solidarity.cycle_legal_basis(ctx["next_year"])
    return render(request, "solidarity/pool.html", ctx, principal=principal, status_code=status_code)


@router.get("/solidarity/overview.csv")
def overview_csv(year: int | None = None, services: Services = Depends(get_services),
                 principal: Principal = Depends(web_principal)) -> Response:
    """The pool page's figures as CSV, the same file as ``GET /api/v1/solidarity/cycles/{year}/overview.csv``
    (the latest cycle when no year is named)."""
    y = _current_year(services, principal, year)
    if y is None:
        raise NotFound("no solidarity cycle has been opened yet")
    return Response(solidarity.pool_overview_csv(services, principal, y), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="solidarity-pool-{y}.csv"'})


#: What each step of the cycle did, said on the pool page after it (``moved=<action>``).
_MOVED = {
    "open_pledging": "Pledging is open: the High-Level EU Solidarity Forum was recorded and states may pledge.",
    "adopt": "The Council's implementing act is recorded: the pool below is the Council's and pledges are fixed.",
    "start_implementation": "Implementation has started: states record their progress against their pledges.",
    "close": "The cycle is closed.",
}


def _pool_notice(request: Request) -> str | None:
    """What the Commission's last action on the pool page did, from the address it redirected to."""
    q = request.query_params
    opened = q.get("opened", "")
    if opened.isdigit():
        return (f"The {int(opened)} cycle is open at the proposal stage, with the pressure decision below. "
                "Next: the High-Level EU Solidarity Forum opens pledging.")
    if q.get("moved") in _MOVED:
        return _MOVED[q["moved"]]
    state, decided = q.get("state", ""), q.get("decided", "")
    if decided in ("granted", "refused") and STATE_CODE.fullmatch(state):
        part = decided == "granted" and q.get("part") == "1"
        replaced = decided == "granted" and q.get("replaced") == "1"
        return (f"{state}'s deduction request {decided}{' in part' if part else ''} by the Council's implementing act"
                + (": the deduction and the pledged relocations replaced are shown in the table below." if replaced
                   else ": its fair share is reduced accordingly in the table below." if decided == "granted" else ".")
                )
    assigned, to = q.get("assigned", ""), q.get("to", "")
    if assigned.isdigit() and STATE_CODE.fullmatch(state) and STATE_CODE.fullmatch(to):
        return (f"EUR {int(assigned):,} of {state}'s alternative measures are assigned to {to}: the table of "
                "assigned measures below counts them.")
    assessed = q.get("assessed", "")
    if assessed in ("justified", "not_justified") and STATE_CODE.fullmatch(state):
        return (f"The Commission's assessment of {state}'s deduction request is recorded "
                f"({assessed.replace('_', ' ')}): the request now awaits the Council's implementing act.")
    return None


def _known_year(services: Services, principal: Principal, year: int | None) -> int | None:
    """``year`` when it has a solidarity cycle, else None (the page then shows the latest cycle)."""
    return year if year in {c["year"] for c in solidarity.list_cycles(services, principal)} else None


def _cycle_year(services: Services, principal: Principal, year: int | None) -> int:
    """The year a form names, when it has a solidarity cycle; a problem naming ``year`` otherwise."""
    known = _known_year(services, principal, year)
    if known is None:
        raise ValidationProblem.one("year", f"no solidarity cycle for {year}" if year is not None else "required")
    return known


def _pledge_page(request: Request, services: Services, principal: Principal, year: int | None,
                 member_state: str | None, *, errors: list[str] | None = None, form: dict[str, str] | None = None,
                 offset_errors: list[str] | None = None, offset_typed: dict[str, str] | None = None,
                 refused: dict[str, Any] | None = None, notice: str | None = None, status_code: int = 200) -> Response:
    """A state's pledge page; ``errors``/``form``: a refused pledge, said above the pledge form with
    what was typed; ``offset_errors``/``offset_typed``: a refused take-over, said next to its form;
    ``refused``: another refused form (``form``: ``need``, ``deduction`` or ``progress``; ``errors``;
    ``typed``), said by that form (above the page when it is not shown) with what was typed;
    ``notice``: what the last action did."""
    y = _current_year(services, principal, year)
    if y is None:  # the same page an EU user sees before the Commission opens the first cycle
        return render(request, "solidarity/pool.html", {"overview": None, "year": None, "manages": False,
                                                        "refused": refused or {}, "cycles": []},
                      principal=principal, status_code=status_code)
    page = solidarity.pledge_page(services, principal, y, member_state)
    offsets = solidarity.offsets_view(services, principal, y)
    # the forms are the state's own coordinators' and the Commission's coordinator's, acting for the state
    acts = solidarity.acts_for(principal, page["member_state"])
    actions = solidarity.state_actions(principal, page)
    refused = refused or {}
    shown = refused.get("form") in actions
    # the state's forms default to the state's day (its capital's clock), whoever records them for it
    today = solidarity.state_day(services, page["member_state"])
    return render(request, "solidarity/pledge.html", {"page": page, "year": y, "errors": errors or [], "form": form,
                                                      "acts": acts, "actions": actions,
                                                      "cycles": solidarity.list_cycles(services, principal),
                                                      "deductions": solidarity.deduction_requests(
                                                          services, principal, y, page["member_state"]),
                                                      "basis": solidarity.cycle_legal_basis(y),
                                                      "deduction_items": _deduction_items(today),
                                                      "designated_deduction_items": _designated_deduction_items(today),
                                                      "deduction_grounds": [
                                                          {"value": g, "situation": ded.GROUNDS_SITUATION[g],
                                                           "basis": f"{solidarity.DEDUCTION_GROUNDS_BASIS[g]}(1)"}
                                                          for g in ded.GROUNDS],
                                                      "refused": refused if shown else {},
                                                      "page_errors": [] if shown else refused.get("errors", []),
                                                      "offsets": offsets, "today": today.isoformat(),
                                                      "offset_errors": offset_errors or [],
                                                      "offset_typed": offset_typed or {}, "notice": notice},
                  principal=principal, status_code=status_code)


def _deduction_items(on: date) -> list[dict[str, Any]]:
    """The fields of a deduction request's substantiation, for the form of a state asking on its own
    assessment: each item's label, what the Regulation asks of it and, by grounds, where it is required."""
    required = {g: dict(ded.required_items(g, on)) for g in ded.GROUNDS}
    return [{"item": k, "label": ded.ITEM_LABELS[k], "asks": ded.ITEMS[k],
             "required_by": [required[g][k] for g in ded.GROUNDS if k in required[g]],
             "grounds": [g for g in ded.GROUNDS if k in required[g]]} for k in ded.ITEMS]


def _designated_deduction_items(on: date) -> list[dict[str, Any]]:
    """The fields of the request of a state the Commission's decision identified as facing a significant
    migratory situation: the content of Art 62(2), points (a) to (d), each with its citation."""
    return [{"item": k, "label": ded.ITEM_LABELS[k], "asks": ded.ITEMS[k], "required_by": [cited]}
            for k, cited in ded.required_items("article_62", on, designated=True)]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _notice(request: Request) -> str | None:
    """What the action that led back to the pledge page did, from the address it redirected to."""
    q = request.query_params
    if q.get("saved") == "1":
        return "Pledge saved. The figures below are the pledge as recorded."
    if q.get("need") == "1":
        return "Need recorded: the need shown below is the need as recorded; the distribution follows it."
    if q.get("progress") == "1":
        return "Progress recorded: the amounts paid and the alternative measures carried out are shown with the pledge."
    relocations, assess_by = q.get("deduction", ""), q.get("assess_by", "")
    if relocations.isdigit() and _ISO_DATE.fullmatch(assess_by):
        n = int(relocations)
        replaced, by, eur = q.get("replaced", ""), q.get("by", ""), q.get("eur", "")
        of, replacing = q.get("of", "relocations"), q.get("n", "")
        said = [f"Deduction of {n:,} relocation{'s' if n != 1 else ''}"] if n else []
        if (replaced.isdigit() and eur.isdigit() and by in ded.REPLACEMENT_TYPES and of in ded.REPLACEMENT_TYPES
                and (by != "relocations" or replacing.isdigit())):
            m = int(replaced)
            what = (f"{m:,} pledged relocation{'s' if m != 1 else ''}" if of == "relocations"
                    else f"EUR {m:,} of pledged {ded.REPLACEMENT_TYPES[of]}")
            into = (f"{int(replacing):,} relocation{'s' if replacing != '1' else ''}" if by == "relocations"
                    else f"{ded.REPLACEMENT_TYPES[by]} of EUR {int(eur):,}")
            said.append(f"{'replacement' if said else 'Replacement'} of {what} by {into}")
        return (f"{' and '.join(said) or 'Deduction'} requested: the Commission assesses it by "
                f"{assess_by}. It is listed under \u201cDeductions\u201d below.")
    agreement, origin = q.get("agreement", ""), q.get("from", "")
    if agreement in ("recorded", "ended") and STATE_CODE.fullmatch(origin):
        return (f"Agreement to receive beneficiaries of international protection from {origin} {agreement}: "
                "the relocation matching follows it from its date (listed under \u201cBeneficiaries of "
                "international protection\u201d below).")
    count, beneficiary = q.get("taken_over", ""), q.get("from", "")
    if count.isdigit() and STATE_CODE.fullmatch(beneficiary):
        n = int(count)
        return (f"{n:,} application{'s' if n != 1 else ''} for which {beneficiary} was responsible taken over: "
                "listed under \u201cTaken over\u201d below.")
    return None


@router.get("/solidarity/pledge")
def pledge(request: Request, year: int | None = None, member_state: str | None = None,
           services: Services = Depends(get_services), principal: Principal = Depends(web_principal)) -> Response:
    if principal.member_state is None and not member_state:
        # an EU user reads every state's pledge: the pool page lists them, each linked to its page
        return RedirectResponse("/solidarity" + (f"?year={year}" if year else "") + "#accounts", status_code=303)
    return _pledge_page(request, services, principal, year, member_state, notice=_notice(request))


def _typed_state(principal: Principal, typed: Any) -> str | None:
    """The state whose page a form was sent from, for an EU user acting for it (a state's users have
    one page, their own): the form's ``member_state`` when it is a state code, else None."""
    if principal.member_state is not None:
        return None
    code = str(typed.get("member_state") or "").strip().upper()
    return code if STATE_CODE.fullmatch(code) else None


def _back(principal: Principal, year: int | None, typed: Any, query: str, anchor: str = "") -> str:
    """The pledge page the form was sent from, with ``query`` saying what was done."""
    state = _typed_state(principal, typed)
    return (f"/solidarity/pledge?year={year}" + (f"&member_state={state}" if state else "")
            + f"&{query}" + (f"#{anchor}" if anchor else ""))


def _typed_year(services: Services, principal: Principal, typed: Any) -> int | None:
    """The cycle a refused form was sent for: its year if it is one, else the principal's cycle."""
    try:
        year = whole_number(typed, "year")
    except ValidationProblem:
        year = None
    return _known_year(services, principal, year)


def _pledge_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem) -> Response:
    """The pledge page again, its form keeping what was typed."""
    return _pledge_page(request, services, principal, _typed_year(services, principal, typed),
                        _typed_state(principal, typed), errors=_said(problem, _PLEDGE_LABELS),
                        form=dict(typed.items()), status_code=422)


def _offset_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem) -> Response:
    """The pledge page again, the take-over form keeping what was typed and saying why beside it."""
    return _pledge_page(request, services, principal, _typed_year(services, principal, typed),
                        _typed_state(principal, typed), offset_errors=_said(problem, _OFFSET_LABELS),
                        offset_typed={k: str(v) for k, v in typed.items()}, status_code=422)


@router.post("/solidarity/pledge")
@refused_form_page(_pledge_refused)
async def pledge_submit(request: Request, services: Services = Depends(get_services),
                        principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    typed = dict(typed_text(form))
    year: int | None = None
    try:
        year = whole_number(form, "year")
        body = PledgeIn(
            member_state=typed.get("member_state") or None,
            relocations=whole_number(form, "relocations", default=0),
            financial_eur=whole_number(form, "financial_eur", default=0),
            alternative_eur=whole_number(form, "alternative_eur", default=0),
            # the form holds the whole pledge: a description left blank is cleared, not kept
            alternative_description=str(form.get("alternative_description") or ""),
            preferred_beneficiaries=[s.strip() for s in str(form.get("preferred_beneficiaries") or "").split(",")
                                     if s.strip()],
            version=whole_number(form, "version", minimum=0),
        )
        solidarity.submit_pledge(services, principal, _cycle_year(services, principal, year), body)
    except (ValidationError, ValidationProblem) as exc:
        return _pledge_page(request, services, principal, _known_year(services, principal, year),
                            _typed_state(principal, typed), errors=_said(exc, _PLEDGE_LABELS), form=typed,
                            status_code=422)
    except (Conflict, Forbidden, NotFound) as exc:
        return _pledge_conflict(request, services, principal, year, typed, exc)
    return RedirectResponse(_back(principal, year, typed, "saved=1"), status_code=303)


def _pledge_conflict(request: Request, services: Services, principal: Principal, year: int | None,
                     typed: dict[str, str], exc: Exception) -> Response:
    """The pledge page again after a pledge that could not be saved as the page stood: changed by
    someone else since the page was opened (its version), pledging closed meanwhile, or a state the
    user does not act for. The figures typed are kept in the form, which now carries the pledge's
    current version; the message says what happened in words, not the store's."""
    known = _known_year(services, principal, year)
    state = _typed_state(principal, typed)
    status = 403 if isinstance(exc, Forbidden) else 404 if isinstance(exc, NotFound) else 409
    message = f"Nothing was saved: {exc}."
    if isinstance(exc, Conflict) and known is not None:
        page = solidarity.pledge_page(services, principal, known, state)
        now = page.get("pledge") or {}
        if page["cycle_status"] == "proposal":
            message = f"Nothing was saved: {exc}."
        elif page["cycle_status"] != "pledging":
            message = (f"Nothing was saved: pledging has closed since this page was opened (the {known} cycle is at "
                       f"the stage \u201c{page['cycle_status'].replace('_', ' ')}\u201d).")
        elif str(now.get("version")) != typed.get("version"):
            message = ("Nothing was saved: the pledge was changed by someone else since this page was opened. "
                       "The figures above are the pledge as it is now; your figures are kept in the form below: "
                       "check them and save again.")
    return _pledge_page(request, services, principal, known, state, errors=[message], form=typed,
                        status_code=status)


@router.post("/solidarity/offsets")
@refused_form_page(_offset_refused)
async def offset_submit(request: Request, services: Services = Depends(get_services),
                        principal: Principal = Depends(web_principal)) -> Response:
    """A state's coordinator takes over applications from a benefitting state (Arts 63, 69)."""
    form = await request.form()
    typed = dict(typed_text(form))
    year: int | None = None
    try:
        year = whole_number(form, "year")
        body = OffsetTakeOver(beneficiary_member_state=str(form.get("beneficiary_member_state") or ""),
                              contributor_member_state=typed.get("member_state") or None,
                              count=whole_number(form, "count", default=0),
                              on=str(form.get("on") or ""))  # type: ignore[arg-type]
        done = solidarity.take_over(services, principal, _cycle_year(services, principal, year), body)
    except (ValidationError, ValidationProblem) as exc:
        return _pledge_page(request, services, principal, _known_year(services, principal, year),
                            _typed_state(principal, typed), offset_errors=_said(exc, _OFFSET_LABELS),
                            offset_typed=typed, status_code=422)
    except (Conflict, Forbidden) as exc:
        return _pledge_page(request, services, principal, _known_year(services, principal, year),
                            _typed_state(principal, typed), offset_errors=[str(exc)], offset_typed=typed,
                            status_code=409 if isinstance(exc, Conflict) else 403)
    return RedirectResponse(_back(principal, year, typed, f"taken_over={len(done['taken_over'])}"
                                  f"&from={done['beneficiary_member_state']}", "offsets"), status_code=303)


@router.get("/solidarity/fair-shares")
def fair_shares(request: Request, year: int = 2026, source: str = "eurostat",
                services: Services = Depends(get_services), principal: Principal = Depends(web_principal)) -> Response:
    return _fair_shares_page(request, services, principal, year, source, notice=(
        "The reference key's figures are loaded: the fair shares below are computed of them."
        if request.query_params.get("loaded") == "1" else None))


def _fair_shares_page(request: Request, services: Services, principal: Principal, year: int, source: str = "eurostat",
                      *, errors: list[str] | None = None, typed: dict[str, str] | None = None,
                      notice: str | None = None, status_code: int = 200) -> Response:
    """The fair shares of a year's pool; for the Commission's coordinator, while the year's cycle is
    before the Council's act, the form that loads the key's population and GDP figures (CSV)."""
    data = solidarity.get_fair_shares(services, principal, year, source)
    cycle = next((c for c in solidarity.list_cycles(services, principal) if c["year"] == year), None)
    loadable = (solidarity.manages_pool(principal) and cycle is not None
                and cycle["status"] in solidarity.KEY_LOADABLE)
    return render(request, "solidarity/fair_shares.html", {
        "data": data, "cycle": cycle, "loadable": loadable, "errors": errors or [], "typed": typed or {},
        # the form is the Commission's: the reference year may be Brussels's year
        "notice": notice, "today": solidarity.union_today(services)}, principal=principal, status_code=status_code)


_KEY_LABELS = {"year": "Year", "reference_year": "Reference year", "source": "Source", "file": "File",
               "text": "Figures"}


def _key_refused(request: Request, services: Services, principal: Principal, typed: Any,
                 problem: ValidationProblem) -> Response:
    t = {k: str(v) for k, v in typed.items()}
    try:
        year = whole_number(typed, "year") or 2026
    except ValidationProblem:
        year = 2026
    return _fair_shares_page(request, services, principal, year, errors=_said(problem, _KEY_LABELS), typed=t,
                             status_code=422)


@router.post("/solidarity/key-figures")
@refused_form_page(_key_refused)
async def key_figures_submit(request: Request, services: Services = Depends(get_services),
                             principal: Principal = Depends(web_principal)) -> Response:
    """The Commission loads the reference key's population and GDP for a cycle from a CSV file (chosen,
    or its text pasted), all or nothing (:func:`pactum.services.solidarity.load_key_figures`)."""
    form = await request.form()
    typed = dict(typed_text(form).items())
    year: int | None = None
    text = typed.get("text", "")
    try:
        year = required_whole_number(form, "year")
        uploaded = await uploaded_text(form.get("file"), max_bytes=200_000)
        if uploaded is not None:
            text = uploaded
        if not text.strip():
            raise ValidationProblem.one("file", "choose a CSV file or paste its text")
        solidarity.load_key_figures(services, principal, _cycle_year(services, principal, year), text,
                                    reference_year=whole_number(form, "reference_year"), source=typed.get("source"))
    except ValidationProblem as exc:
        return _fair_shares_page(request, services, principal, year or 2026, errors=_said(exc, _KEY_LABELS),
                                 typed={**typed, "text": text},
                                 status_code=422)
    except (Conflict, Forbidden, NotFound) as exc:
        status = 409 if isinstance(exc, Conflict) else 403 if isinstance(exc, Forbidden) else 404
        return _fair_shares_page(request, services, principal, year or 2026,
                                 errors=[f"Nothing was loaded: {exc}."], typed=typed, status_code=status)
    return RedirectResponse(f"/solidarity/fair-shares?year={year}&loaded=1", status_code=303)


@router.get("/solidarity/key-figures-template.csv")
def key_figures_template(principal: Principal = Depends(web_principal)) -> Response:
    """The CSV header and one row per bound state, to fill in with a year's population and GDP."""
    return Response(solidarity.key_figures_template(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="reference-key-figures.csv"'})


def _tracker_query(era: str | None, year: str | None, stage: str | None, status: str | None, origin: str | None,
                   destination: str | None) -> dict[str, Any]:
    """The tracker's filters as typed (blank: all), ``year`` read as a whole number (a problem naming it)."""
    out: dict[str, Any] = {k: (v or "").strip() or None for k, v in (
        ("era", era), ("stage", stage), ("status", status), ("origin", origin), ("destination", destination))}
    y = (year or "").strip()
    if y and not y.isdigit():
        raise ValidationProblem.one("year", f"{y!r} is not a year")
    out["year"] = int(y) if y else None
    return out


@router.get("/solidarity/transfers")
def transfers(request: Request, era: str | None = None, year: str | None = None, stage: str | None = None,
              status: str | None = None, as_of: date | None = None, origin: str | None = None,
              destination: str | None = None, offset: int = 0, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    """The tracker (:func:`pactum.web.views.relocation.tracker_page`, the module of its stage
    buttons) with the filters as typed; ``as_of`` (a date, else a 422 naming it): the arrivals up
    to that day and the transfers overdue on it."""
    from pactum.web.views.relocation import tracker_page

    return tracker_page(request, services, principal, offset=offset, as_of=as_of,
                        **_tracker_query(era, year, stage, status, origin, destination))


@router.get("/solidarity/transfers.csv")
def transfers_csv(era: str | None = None, year: str | None = None, stage: str | None = None,
                  status: str | None = None, origin: str | None = None, destination: str | None = None,
                  services: Services = Depends(get_services), principal: Principal = Depends(web_principal)) -> Response:
    """Every transfer the tracker's filters select, as CSV (GET /api/v1/solidarity/transfers.csv); the
    tracker's ``era=all`` (every era) as no era."""
    from pactum.web.views.relocation import ALL_ERAS

    query = _tracker_query(None if era == ALL_ERAS else era, year, stage, status, origin, destination)
    text = solidarity.transfers_csv(services, principal, **query)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="relocation-transfers.csv"'})


# --- the Commission's actions on the pool page ------------------------------------------------------

#: The fields of the pool page's forms as their labels name them, for the problems said above a form.
_POOL_LABELS = {
    "year": "Year", "proposal_on": "Proposal adopted on", "pool_relocations": "Pool: relocations",
    "pool_financial_eur": "Pool: financial contributions (EUR)",
    "under_pressure": "Under migratory pressure", "at_risk": "At risk of migratory pressure",
    "significant_migratory_situation": "Facing a significant migratory situation",
    "on": "Date", "council_act_reference": "Council implementing act", "sar_earmark": "SAR earmark (%)",
    "action": "Step", "version": "Version", "granted": "Decision", "deduction_id": "Deduction request",
    "justified": "Assessment", "granted_relocations": "Deduction granted (relocations)",
    "granted_replacement_relocations": "Replacement granted (relocations)",
    "granted_replacement_eur": "Replacement granted (EUR)",
    "contributor_member_state": "Contributing state", "beneficiary_member_state": "Benefitting state",
    "measure_type": "Type of measure", "eur": "Value (EUR)",
}
#: The date each form of the pool page asks for, as its label names it.
_ON_LABELS = {"open_pledging": "Forum held on", "adopt": "Council act adopted on",
              "start_implementation": "Implementation from", "close": "Closed on",
              "decision": "Council act adopted on", "assessment": "Assessed on"}
#: The fields of the pledge form as its labels name them.
_PLEDGE_LABELS = {
    "year": "Year", "member_state": "State", "relocations": "Relocations",
    "financial_eur": "Financial contribution (EUR)", "alternative_eur": "Alternative measures (EUR)",
    "alternative_description": "Alternative measure", "preferred_beneficiaries": "Preferred beneficiaries",
    "version": "Version",
}
#: The fields of the take-over form as its labels name them.
_OFFSET_LABELS = {
    "year": "Year", "member_state": "State", "contributor_member_state": "State",
    "beneficiary_member_state": "Take over from", "count": "Applications", "case_ids": "Applications",
    "on": "On",
}
#: The fields of a state's forms on its pledge page as their labels name them.
_STATE_LABELS = {
    "year": "Year", "member_state": "State", "relocations": "Relocations", "financial_eur": "Financial need (EUR)",
    "sar": "Search and rescue", "on": "Requested on", "paid_eur": "Paid so far (EUR)",
    "alternative_done_eur": "Alternative measures carried out so far (EUR)", "version": "Version",
    "beneficiary_member_state": "From", "agreed_on": "Agreed on", "ended_on": "Ends on",
    "contributor_member_state": "State", "grounds": "The situation the request rests on",
    "replacement_relocations": "Pledged relocations to replace", "replacement_by": "Replaced by",
    "replacement_of": "Replace", "replacement_eur": "Pledged amount to replace (EUR)",
    "replacement_description": "Alternative measures",
    **ded.ITEM_LABELS,
}


def _said(exc: Exception, labels: dict[str, str]) -> list[str]:
    """One line per refused field, the field named as its form labels it (``designations[0].status``
    is a problem of the designations; a problem of no field is said as it is). Each line is a
    :class:`~pactum.web.render.Problem` that knows the form's field, which the form marks
    (``invalid``); a cell of a file (``line 3.gdp_meur``) is said with its line and column."""
    out: list[str] = []
    for name, message in field_problems(exc):
        if name.startswith("line "):  # a cell of a file: its line and column as they are, of the figures' text
            out.append(Problem(f"{name}: {message}", "text"))
            continue
        head = re.split(r"[.\[]", name, maxsplit=1)[0]
        if head == "substantiation" and "." in name:  # an item of a deduction request's substantiation: its own field
            head = name.split(".", 1)[1]
        elif head == "replacement" and "." in name:  # a field of the replacement a deduction request asks for
            head = "replacement_" + name.split(".", 1)[1]
        out.append(Problem(f"{labels.get(head) or field_label(head)}: {message}", head) if name else Problem(message))
    return out


def _date(form: Any, field: str) -> str:
    """The form's date ``field`` as typed (pydantic reads it); a problem naming it when blank."""
    value = str(form.get(field) or "").strip()
    if not value:
        raise ValidationProblem.one(field, "required")
    return value


def _codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text.strip()) if c]


def _pool_refused(form: str) -> Any:
    def page(request: Request, services: Services, principal: Principal, typed: Any, problem: ValidationProblem,
             **_: Any) -> Response:
        t = {k: str(v) for k, v in typed.items()}
        labels = {**_POOL_LABELS, "on": _ON_LABELS.get(t.get("action", form), "Date")}
        return _pool_page(request, services, principal, _typed_year(services, principal, typed),
                          refused={"form": form, "errors": _said(problem, labels), "typed": t,
                                   "deduction_id": t.get("deduction_id")}, status_code=422)
    return page


@router.post("/solidarity/cycles")
@refused_form_page(_pool_refused("create"))
async def cycle_create_submit(request: Request, services: Services = Depends(get_services),
                              principal: Principal = Depends(web_principal)) -> Response:
    """The Commission opens a year's cycle: its pressure decision and pool proposal (Arts 11, 12)."""
    form = await request.form()
    typed = dict(typed_text(form))
    origin: list[str] = []  # the field each designation was typed in
    designations: list[dict[str, str]] = []
    for status in ("under_pressure", "at_risk", "significant_migratory_situation"):
        for code in _codes(typed.get(status, "")):
            designations.append({"member_state": code, "status": status})
            origin.append(status)
    refused: dict[str, Any] = {"form": "create", "typed": typed}
    try:
        body = CycleCreate(year=required_whole_number(form, "year"), proposal_on=_date(form, "proposal_on"),  # type: ignore[arg-type]
                           pool_relocations=whole_number(form, "pool_relocations"),
                           pool_financial_eur=whole_number(form, "pool_financial_eur"),
                           designations=designations)  # type: ignore[arg-type]
        solidarity.create_cycle(services, principal, body)
    except (ValidationError, ValidationProblem) as exc:
        pairs = field_problems(exc)
        for i, f in enumerate(origin):  # designations[2].member_state: said of the field it was typed in
            pairs = [(f if n.startswith((f"designations[{i}]", f"designations.{i}.")) else n, m) for n, m in pairs]
        return _pool_page(request, services, principal, None,
                          refused={**refused, "errors": _said(ValidationProblem(pairs), _POOL_LABELS)}, status_code=422)
    except Conflict as exc:  # a cycle for that year exists already
        return _pool_page(request, services, principal, None,
                          refused={**refused, "errors": [Problem(f"Year: {exc}", "year")]}, status_code=409)
    return RedirectResponse(f"/solidarity?year={body.year}&opened={body.year}", status_code=303)


@router.post("/solidarity/cycle-action")
@refused_form_page(_pool_refused("action"))
async def cycle_action_submit(request: Request, services: Services = Depends(get_services),
                              principal: Principal = Depends(web_principal)) -> Response:
    """The Commission moves the cycle on: the Forum opens pledging, the Council's act, implementation, closing."""
    form = await request.form()
    typed = dict(typed_text(form))
    year: int | None = None
    action = typed.get("action", "")
    try:
        year = required_whole_number(form, "year")
        known = _cycle_year(services, principal, year)
        # every number typed wrong is said at once, not one per submission
        read: dict[str, int | None] = {}
        unread: list[tuple[str, str]] = []
        for field, bounds in (("sar_earmark", {"minimum": 0, "maximum": 100}), ("pool_relocations", {}),
                              ("pool_financial_eur", {})):
            try:
                read[field] = whole_number(form, field, **bounds)
            except ValidationProblem as problem:
                unread.extend(problem.problems)
        if unread:
            raise ValidationProblem(unread)
        percent, reloc, eur = read["sar_earmark"], read["pool_relocations"], read["pool_financial_eur"]
        if action == "adopt" and reloc is not None and eur is not None:
            # the pool is one figure in two units: the form is prefilled with both, so the one left as it
            # was follows the one changed (the service derives it at EUR 20,000 per relocation)
            now = solidarity.get_cycle(services, principal, known)
            if reloc != now["pool_relocations"] and eur == now["pool_financial_eur"]:
                eur = None
            elif eur != now["pool_financial_eur"] and reloc == now["pool_relocations"]:
                reloc = None
        body = CycleAction(version=required_whole_number(form, "version", minimum=0), on=_date(form, "on"),  # type: ignore[arg-type]
                           council_act_reference=typed.get("council_act_reference", "").strip() or None,
                           pool_relocations=reloc, pool_financial_eur=eur,
                           sar_earmark=None if percent is None else percent / 100)
        solidarity.cycle_action(services, principal, known, action, body)
    except (ValidationError, ValidationProblem) as exc:
        labels = {**_POOL_LABELS, "on": _ON_LABELS.get(action, "Date")}
        return _pool_page(request, services, principal, _known_year(services, principal, year),
                          refused={"form": "action", "errors": _said(exc, labels), "typed": typed},
                          status_code=422)
    except Conflict as exc:  # out of order: someone moved the cycle on since the page was opened
        return _pool_page(request, services, principal, year,
                          refused={"form": "action", "typed": typed, "errors": [
                              f"Nothing was done: {exc}. The page shows the cycle as it is now."]}, status_code=409)
    return RedirectResponse(f"/solidarity?year={year}&moved={action}", status_code=303)


@router.post("/solidarity/deduction-assessment")
@refused_form_page(_pool_refused("assessment"))
async def deduction_assessment_submit(request: Request, services: Services = Depends(get_services),
                                      principal: Principal = Depends(web_principal)) -> Response:
    """The Commission records its assessment of a state's deduction request (Art 61(3))."""
    form = await request.form()
    typed = dict(typed_text(form))
    year = _typed_year(services, principal, form)
    refused: dict[str, Any] = {"form": "assessment", "typed": typed, "deduction_id": typed.get("deduction_id")}
    try:
        if typed.get("justified") not in ("yes", "no"):
            raise ValidationProblem.one("justified", "say whether the request is justified")
        body = DeductionAssessment(version=required_whole_number(form, "version", minimum=0),
                                   justified=typed["justified"] == "yes", on=_date(form, "on"))  # type: ignore[arg-type]
        done = solidarity.assess_deduction(services, principal, typed.get("deduction_id", ""), body)
    except (ValidationError, ValidationProblem) as exc:
        said = _said(exc, {**_POOL_LABELS, "on": _ON_LABELS["assessment"]})
        return _pool_page(request, services, principal, year, refused={**refused, "errors": said}, status_code=422)
    except (Conflict, NotFound) as exc:
        return _pool_page(request, services, principal, year, status_code=409 if isinstance(exc, Conflict) else 404,
                          refused={**refused, "errors": [f"Nothing was recorded: {exc}. The lists below are as they are now."]})
    return RedirectResponse("/solidarity?" + (f"year={year}&" if year else "")
                            + f"assessed={done['assessment']}&state={done['member_state']}#deductions", status_code=303)


@router.post("/solidarity/deduction-decision")
@refused_form_page(_pool_refused("decision"))
async def deduction_decision_submit(request: Request, services: Services = Depends(get_services),
                                    principal: Principal = Depends(web_principal)) -> Response:
    """The Commission records the Council's implementing act granting or refusing a state's deduction
    request (Art 61(4))."""
    form = await request.form()
    typed = dict(typed_text(form))
    year = _typed_year(services, principal, form)
    refused: dict[str, Any] = {"form": "decision", "typed": typed, "deduction_id": typed.get("deduction_id")}
    try:
        problems: list[tuple[str, str]] = []

        def read(parse: Callable[..., Any], field: str, **kw: Any) -> Any:
            """The form's ``field`` as ``parse`` reads it; its problem kept to be said with all the others."""
            try:
                return parse(form, field, **kw)
            except ValidationProblem as exc:
                problems.extend(exc.problems)
                return None

        if typed.get("granted") not in ("yes", "no"):
            problems.append(("granted", "grant or refuse the request"))
        granted = typed.get("granted") == "yes"
        # the figures granted (prefilled with what was asked: lowered, a partial grant) are read for a grant only
        fields: dict[str, Any] = {
            "version": read(required_whole_number, "version", minimum=0), "granted": granted, "on": read(_date, "on"),
            "council_act_reference": typed.get("council_act_reference", "").strip() or None,
            "granted_relocations": read(whole_number, "granted_relocations") if granted else None,
            "granted_replacement_relocations": read(whole_number, "granted_replacement_relocations") if granted else None,
            "granted_replacement_eur": read(whole_number, "granted_replacement_eur") if granted else None}
        if problems:  # the form's own, and those of the act as typed (the service's, said once)
            raise ValidationProblem(problems + solidarity.deduction_decision_problems(
                DeductionDecision.model_construct(**fields)))
        body = DeductionDecision(**fields)
        done = solidarity.decide_deduction(services, principal, typed.get("deduction_id", ""), body)
    except (ValidationError, ValidationProblem) as exc:
        said = _said(exc, {**_POOL_LABELS, "on": _ON_LABELS["decision"]})
        return _pool_page(request, services, principal, year, refused={**refused, "errors": said}, status_code=422)
    except (Conflict, NotFound) as exc:  # decided already (by someone else), or no such request
        return _pool_page(request, services, principal, year, status_code=409 if isinstance(exc, Conflict) else 404,
                          refused={**refused, "errors": [f"Nothing was decided: {exc}. The lists below are as they are now."]})
    return RedirectResponse("/solidarity?" + (f"year={year}&" if year else "")
                            + f"decided={done['status']}&state={done['member_state']}"
                            + ("&part=1" if done["partial_grant"] else "")
                            + ("&replaced=1" if (done["replacement"] or {}).get("granted") else "")
                            + "#deductions", status_code=303)


# --- a state's actions on its pledge page -------------------------------------------------------------


def _state_refused(form: str) -> Any:
    def page(request: Request, services: Services, principal: Principal, typed: Any, problem: ValidationProblem,
             **_: Any) -> Response:
        return _pledge_page(request, services, principal, _typed_year(services, principal, typed),
                            _typed_state(principal, typed), refused={"form": form, "errors": _said(problem, _STATE_LABELS),
                                     "typed": {k: str(v) for k, v in typed.items()}}, status_code=422)
    return page


def _state_form_refused(request: Request, services: Services, principal: Principal, year: int | None, form: str,
                        typed: dict[str, str], exc: Exception) -> Response:
    """The pledge page again after a state's form was refused: the problems said by the form (above the
    page when the user has no such form) and what was typed kept; 422 for bad input, 403 for a user who
    may not act for the state named, 409 for a step the cycle does not allow now or a stale pledge."""
    known = _known_year(services, principal, year)
    if isinstance(exc, Forbidden):  # another state named, or a user who does not act for the state
        other = typed.get("member_state", principal.member_state) != principal.member_state
        errors, status = [f"State: nothing was recorded, {exc}." if other else f"Nothing was recorded: {exc}."], 403
    elif isinstance(exc, Conflict):
        errors, status = [f"Nothing was recorded: {exc}."], 409
        if form == "progress" and known is not None:
            now = solidarity.pledge_page(services, principal, known, _typed_state(principal, typed)).get("pledge") or {}
            if str(now.get("version")) != typed.get("version"):
                errors = [f"Nothing was recorded: the pledge was changed since this page was opened (it is now at "
                          f"version {now.get('version')}, the form was for version {typed.get('version')}). "
                          "The figures above are the pledge as it is now; your figures are kept below: "
                          "check them and record them again."]
    elif isinstance(exc, NotFound):
        errors, status = [f"Nothing was recorded: {exc}."], 404
    else:
        errors, status = _said(exc, _STATE_LABELS), 422
    return _pledge_page(request, services, principal, known, _typed_state(principal, typed),
                        refused={"form": form, "errors": errors, "typed": typed}, status_code=status)


async def _state_action(request: Request, services: Services, principal: Principal, form_name: str,
                        act: Callable[[Any, dict[str, str], int], tuple[str, str]]) -> Response:
    """A state's form on its pledge page: ``act(form, typed, year)`` records it and says what was done
    (the query and anchor of the page it leads back to); a refusal comes back on the page with what
    was typed (:func:`_state_form_refused`)."""
    form = await request.form()
    typed = dict(typed_text(form))
    year: int | None = None
    try:
        year = required_whole_number(form, "year")
        query, anchor = act(form, typed, year)
    except (ValidationError, ValidationProblem, Forbidden, Conflict, NotFound) as exc:
        return _state_form_refused(request, services, principal, year, form_name, typed, exc)
    return RedirectResponse(_back(principal, year, typed, query, anchor), status_code=303)


@router.post("/solidarity/need")
@refused_form_page(_state_refused("need"))
async def need_submit(request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    """A benefitting state records its need (relocations, money, alternative solidarity measures requested,
    search-and-rescue pressure)."""
    def act(form: Any, typed: dict[str, str], year: int) -> tuple[str, str]:
        body = NeedIn(member_state=typed.get("member_state") or None,
                      relocations=whole_number(form, "relocations") or 0,
                      financial_eur=whole_number(form, "financial_eur") or 0,
                      alternative_eur=whole_number(form, "alternative_eur") or 0, sar="sar" in form)
        solidarity.record_need(services, principal, _cycle_year(services, principal, year), body)
        return "need=1", "receives"
    return await _state_action(request, services, principal, "need", act)


@router.post("/solidarity/deduction")
@refused_form_page(_state_refused("deduction"))
async def deduction_submit(request: Request, services: Services = Depends(get_services),
                           principal: Principal = Depends(web_principal)) -> Response:
    """A state asks for a deduction (Arts 61, 62): identified under pressure or in a significant migratory
    situation by the Commission's decision, or on its own assessment, with the substantiation the
    Regulation requires then (``grounds`` and one text field per item, :mod:`pactum.solidarity.deductions`)."""
    def act(form: Any, typed: dict[str, str], year: int) -> tuple[str, str]:
        grounds = (typed.get("grounds") or "").strip() or None
        items = {k: (typed.get(k) or "").strip() or None for k in ded.ITEMS}
        problems: list[tuple[str, str]] = []  # the form's own, all said at once

        def read(parse: Callable[..., Any], field: str) -> Any:
            try:
                return parse(form, field)
            except ValidationProblem as exc:
                problems.extend(exc.problems)
                return None

        relocations, on = read(required_whole_number, "relocations"), read(_date, "on")
        # the replacement of a pledged contribution (Arts 61(2)(b), 62(2)(b)): of pledged relocations (a number)
        # or of pledged financial contributions or alternative measures (an amount), asked when one is typed
        of = typed.get("replacement_of") or "relocations"
        amount_field = "replacement_relocations" if of == "relocations" else "replacement_eur"
        replaced = read(whole_number, amount_field)
        if problems:
            raise ValidationProblem(problems)
        described = (typed.get("replacement_description") or "").strip() or None
        if replaced is None and described:  # measures said, no number: the service says what is missing
            replaced = 0
        amount = {"relocations": replaced} if of == "relocations" else {"eur": replaced}
        body = DeductionIn.model_validate({
            "member_state": typed.get("member_state") or None, "relocations": relocations,
            "on": on, "grounds": grounds,
            "substantiation": {k: v for k, v in items.items() if v} or None,
            "replacement": None if not (replaced or described) else {
                "of": of, **amount, "by": typed.get("replacement_by") or "financial", "description": described}})
        done = solidarity.request_deduction(services, principal, _cycle_year(services, principal, year), body)
        r = done["replacement"]
        return (f"deduction={done['relocations']}&assess_by={done['assess_by']}"
                + (f"&replaced={r['relocations'] if r['of'] == 'relocations' else r['amount_eur']}&of={r['of']}"
                   f"&by={r['by']}&eur={r['eur']}&n={r['replacing_relocations'] or 0}" if r else "")), "deductions"
    return await _state_action(request, services, principal, "deduction", act)


@router.post("/solidarity/progress")
@refused_form_page(_state_refused("progress"))
async def progress_submit(request: Request, services: Services = Depends(get_services),
                          principal: Principal = Depends(web_principal)) -> Response:
    """A contributing state records what it has paid and the alternative measures it carried out (Art 60)."""
    def act(form: Any, typed: dict[str, str], year: int) -> tuple[str, str]:
        body = PledgeProgress(version=required_whole_number(form, "version", minimum=0),
                              paid_eur=whole_number(form, "paid_eur"),
                              alternative_done_eur=whole_number(form, "alternative_done_eur"))
        solidarity.record_pledge_progress(services, principal, _cycle_year(services, principal, year),
                                          typed.get("member_state") or (principal.member_state or ""), body)
        return "progress=1", "pledge"
    return await _state_action(request, services, principal, "progress", act)


@router.post("/solidarity/beneficiary-agreement")
@refused_form_page(_state_refused("agreement"))
async def agreement_submit(request: Request, services: Services = Depends(get_services),
                           principal: Principal = Depends(web_principal)) -> Response:
    """A contributing state records its agreement to receive beneficiaries of international protection
    from a benefitting state (Art 56(2)(a)), or ends one (``agreement_id`` with ``ended_on``)."""
    def act(form: Any, typed: dict[str, str], year: int) -> tuple[str, str]:
        if typed.get("agreement_id"):
            done = solidarity.end_beneficiary_agreement(services, principal, typed["agreement_id"], BeneficiaryAgreementEnd(
                version=required_whole_number(form, "version", minimum=0), ended_on=_date(form, "ended_on")))  # type: ignore[arg-type]
            said = "ended"
        else:
            done = solidarity.record_beneficiary_agreement(
                services, principal, _cycle_year(services, principal, year), BeneficiaryAgreementIn(
                    contributor_member_state=typed.get("member_state") or None,
                    beneficiary_member_state=typed.get("beneficiary_member_state", ""),
                    agreed_on=_date(form, "agreed_on")))  # type: ignore[arg-type]
            said = "recorded"
        return f"agreement={said}&from={done['beneficiary_member_state']}", "agreements"
    return await _state_action(request, services, principal, "agreement", act)


@router.post("/solidarity/measure-assignment")
@refused_form_page(_pool_refused("assignment"))
async def measure_assignment_submit(request: Request, services: Services = Depends(get_services),
                                    principal: Principal = Depends(web_principal)) -> Response:
    """The Commission's coordinator assigns a contributing state's pledged alternative measures to a
    benefitting state that requested them (Arts 60(2), 65(1))."""
    form = await request.form()
    typed = dict(typed_text(form))
    year = _typed_year(services, principal, form)
    refused: dict[str, Any] = {"form": "assignment", "typed": typed}
    try:
        known = _cycle_year(services, principal, year)
        body = MeasureAssignmentIn(
            contributor_member_state=typed.get("contributor_member_state", ""),
            beneficiary_member_state=typed.get("beneficiary_member_state", ""),
            measure_type=typed.get("measure_type") or "alternative",
            eur=whole_number(form, "eur"), on=typed.get("on") or None)  # type: ignore[arg-type]
        done = solidarity.assign_measure(services, principal, known, body)
    except (ValidationError, ValidationProblem) as exc:
        said = _said(exc, {**_POOL_LABELS, "on": "Assigned on"})
        return _pool_page(request, services, principal, year, refused={**refused, "errors": said}, status_code=422)
    except (Conflict, NotFound) as exc:
        return _pool_page(request, services, principal, year, status_code=409 if isinstance(exc, Conflict) else 404,
                          refused={**refused, "errors": [f"Nothing was recorded: {exc}."]})
    return RedirectResponse(f"/solidarity?year={known}&assigned={done['eur']}&state={done['contributor_member_state']}"
                            f"&to={done['beneficiary_member_state']}#measure-assignments", status_code=303)
