"""Solidarity screens: the pool at a glance, a state's own pledge page, fair shares and the
relocation transfer tracker. Views call :mod:`pactum.services.solidarity` and hold no rule."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, ValidationProblem
from pactum.services import solidarity
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.solidarity.schemas import OffsetTakeOver, PledgeIn
from pactum.web.forms import refused_form_page, whole_number
from pactum.web.render import NavItem, problems, render, web_principal

router = APIRouter()
NAV = [
    NavItem("Solidarity pool", "/solidarity", {Role.solidarity_coordinator, Role.analyst}, order=40),
    NavItem("Relocation transfers", "/solidarity/transfers", {Role.solidarity_coordinator, Role.analyst}, order=41),
]


def _current_year(services: Services, principal: Principal, year: int | None) -> int | None:
    if year is not None:
        return year
    cycles = solidarity.list_cycles(services, principal)
    return cycles[-1]["year"] if cycles else None


@router.get("/solidarity")
def pool(request: Request, year: int | None = None, services: Services = Depends(get_services),
         principal: Principal = Depends(web_principal)) -> Response:
    if principal.member_state is not None:
        return RedirectResponse("/solidarity/pledge" + (f"?year={year}" if year else ""), status_code=303)
    y = _current_year(services, principal, year)
    if y is None:
        return render(request, "solidarity/pool.html", {"overview": None, "year": None}, principal=principal)
    overview = solidarity.pool_overview(services, principal, y)
    shares = {s["member_state"]: s for s in solidarity.get_fair_shares(services, principal, y)["states"]}
    cycles = solidarity.list_cycles(services, principal)
    offsets = solidarity.offsets_view(services, principal, y)
    return render(request, "solidarity/pool.html", {"overview": overview, "year": y, "shares": shares,
                                                    "cycles": cycles, "offsets": offsets}, principal=principal)


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
                 notice: str | None = None, status_code: int = 200) -> Response:
    """A state's pledge page; ``errors``/``form``: a refused pledge, said above the pledge form with
    what was typed; ``offset_errors``/``offset_typed``: a refused take-over, said next to its form;
    ``notice``: what the last action did."""
    y = _current_year(services, principal, year)
    if y is None:  # the same page an EU user sees before the Commission opens the first cycle
        return render(request, "solidarity/pool.html", {"overview": None, "year": None}, principal=principal)
    page = solidarity.pledge_page(services, principal, y, member_state)
    offsets = solidarity.offsets_view(services, principal, y)
    # the forms are the state's own coordinators' (the Commission acts from its own pages)
    acts = principal.member_state == page["member_state"] and solidarity.acts_for(principal, page["member_state"])
    return render(request, "solidarity/pledge.html", {"page": page, "year": y, "errors": errors or [], "form": form,
                                                      "acts": acts,
                                                      "offsets": offsets, "today": services.clock.today().isoformat(),
                                                      "offset_errors": offset_errors or [],
                                                      "offset_typed": offset_typed or {}, "notice": notice},
                  principal=principal, status_code=status_code)


_STATE_CODE = re.compile(r"[A-Z]{2}")


def _notice(request: Request) -> str | None:
    """What the action that led back to the pledge page did, from the address it redirected to."""
    q = request.query_params
    if q.get("saved") == "1":
        return "Pledge saved. The figures below are the pledge as recorded."
    count, beneficiary = q.get("taken_over", ""), q.get("from", "")
    if count.isdigit() and _STATE_CODE.fullmatch(beneficiary):
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
    return _pledge_page(request, services, principal, _typed_year(services, principal, typed), None,
                        errors=problems(problem), form=dict(typed.items()), status_code=422)


def _offset_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem) -> Response:
    """The pledge page again, the take-over form keeping what was typed and saying why beside it."""
    return _pledge_page(request, services, principal, _typed_year(services, principal, typed), None,
                        offset_errors=problems(problem), offset_typed={k: str(v) for k, v in typed.items()},
                        status_code=422)


@router.post("/solidarity/pledge")
@refused_form_page(_pledge_refused)
async def pledge_submit(request: Request, services: Services = Depends(get_services),
                        principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    year: int | None = None
    try:
        year = whole_number(form, "year")
        body = PledgeIn(
            relocations=whole_number(form, "relocations", default=0),
            financial_eur=whole_number(form, "financial_eur", default=0),
            alternative_eur=whole_number(form, "alternative_eur", default=0),
            alternative_description=str(form.get("alternative_description") or "") or None,
            preferred_beneficiaries=[s.strip() for s in str(form.get("preferred_beneficiaries") or "").split(",")
                                     if s.strip()],
            version=whole_number(form, "version", minimum=0),
        )
        solidarity.submit_pledge(services, principal, _cycle_year(services, principal, year), body)
    except (ValidationError, ValidationProblem) as exc:
        return _pledge_page(request, services, principal, _known_year(services, principal, year), None,
                            errors=problems(exc), form=typed, status_code=422)
    return RedirectResponse(f"/solidarity/pledge?year={year}&saved=1", status_code=303)


@router.post("/solidarity/offsets")
@refused_form_page(_offset_refused)
async def offset_submit(request: Request, services: Services = Depends(get_services),
                        principal: Principal = Depends(web_principal)) -> Response:
    """A state's coordinator takes over applications from a benefitting state (Arts 63, 69)."""
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    year: int | None = None
    try:
        year = whole_number(form, "year")
        body = OffsetTakeOver(beneficiary_member_state=str(form.get("beneficiary_member_state") or ""),
                              count=whole_number(form, "count", default=0),
                              on=str(form.get("on") or ""))  # type: ignore[arg-type]
        done = solidarity.take_over(services, principal, _cycle_year(services, principal, year), body)
    except (ValidationError, ValidationProblem) as exc:
        return _pledge_page(request, services, principal, _known_year(services, principal, year), None,
                            offset_errors=problems(exc), offset_typed=typed, status_code=422)
    except Conflict as exc:
        return _pledge_page(request, services, principal, year, None, offset_errors=[str(exc)], offset_typed=typed,
                            status_code=409)
    return RedirectResponse(f"/solidarity/pledge?year={year}&taken_over={len(done['taken_over'])}"
                            f"&from={done['beneficiary_member_state']}#offsets", status_code=303)


@router.get("/solidarity/fair-shares")
def fair_shares(request: Request, year: int = 2026, source: str = "eurostat",
                services: Services = Depends(get_services), principal: Principal = Depends(web_principal)) -> Response:
    data = solidarity.get_fair_shares(services, principal, year, source)
    return render(request, "solidarity/fair_shares.html", {"data": data}, principal=principal)


@router.get("/solidarity/transfers")
def transfers(request: Request, era: str | None = None, year: int | None = None, stage: str | None = None,
              status: str | None = None, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    data: dict[str, Any] = solidarity.transfer_tracker(services, principal, era=era or None, year=year,
                                                       stage=stage or None, limit=100, status=status or None)
    return render(request, "solidarity/transfers.html", {"data": data, "era": era, "year": year, "stage": stage,
                                                         "status": status}, principal=principal)
