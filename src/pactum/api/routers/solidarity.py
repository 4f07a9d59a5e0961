"""Solidarity: fair shares, the annual cycle, pledges and needs, relocation matching, transfers.

Routes are thin: each calls one function of :mod:`pactum.services.solidarity`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.services import solidarity
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.solidarity.matching import MatchingRequest, MatchingResult
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
    TransferEvent,
    TransfersCreate,
    TransfersImport,
)

router = APIRouter(prefix="/solidarity", tags=["solidarity"])
Svc = Depends(get_services)
Who = Depends(current_principal)


@router.get("/fair-shares")
def fair_shares(year: int, source: str = "eurostat", services: Services = Svc,
                principal: Principal = Who) -> dict[str, Any]:
    """Each bound state's population share, GDP share, key and fair share (relocations, euros)."""
    return solidarity.get_fair_shares(services, principal, year, source)


@router.post("/relocation-matching")
def relocation_matching(body: JsonBody[MatchingRequest], services: Services = Svc,
                        principal: Principal = Who) -> MatchingResult:
    """Optimal relocation matching: most persons relocated, then the strongest links."""
    return solidarity.match(services, principal, body)


@router.get("/cycles")
def list_cycles(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    return solidarity.list_cycles(services, principal)


@router.post("/cycles", status_code=201)
def create_cycle(body: JsonBody[CycleCreate], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The Commission's pressure decision and pool proposal for a year."""
    return solidarity.create_cycle(services, principal, body)


@router.get("/cycles/{year}")
def get_cycle(year: int, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return solidarity.get_cycle(services, principal, year)


@router.post("/cycles/{year}/actions/{action}")
def cycle_action(year: int, action: str, body: JsonBody[CycleAction], services: Services = Svc,
                 principal: Principal = Who) -> dict[str, Any]:
    """``open_pledging`` | ``adopt`` | ``start_implementation`` | ``close``; 409 out of order."""
    return solidarity.cycle_action(services, principal, year, action, body)


@router.get("/cycles/{year}/overview")
def overview(year: int, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The pool at a glance: pledged vs fair share per state, needs vs pledges received."""
    return solidarity.pool_overview(services, principal, year)


@router.get("/cycles/{year}/overview.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The pool overview as CSV"}})
def overview_csv(year: int, services: Services = Svc, principal: Principal = Who) -> Response:
    """The pool at a glance as CSV: one row per state (designation, benefitting, fair share, deduction,
    due, pledged relocations / EUR / alternative, equivalents, share of due, pledge implemented,
    relocated, need, pledges received), then a ``total`` row."""
    return Response(solidarity.pool_overview_csv(services, principal, year), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="solidarity-pool-{year}.csv"'})


@router.post("/cycles/{year}/key-figures", status_code=201)
def load_key_figures(year: int, text: str = Body(..., media_type="text/csv"),
                     reference_year: int | None = Query(None, description="the year the figures are of"),
                     source: str | None = Query(None, description="where the figures come from"),
                     services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The Commission loads the reference key's inputs for the cycle (CSV: ``member_state``,
    ``population``, ``gdp_meur``), all or nothing, before the Council's act; answers the fair shares
    computed of them. 422 naming ``line N.column`` for each problem; 409 once the pool is adopted."""
    return solidarity.load_key_figures(services, principal, year, text, reference_year=reference_year,
                                       source=source)


@router.get("/cycles/{year}/distribution")
def distribution(year: int, services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    return solidarity.distribution(services, principal, year)


@router.get("/cycles/{year}/matching-capacities")
def matching_capacities(year: int, beneficiary: str, on: date | None = None, services: Services = Svc,
                        principal: Principal = Who) -> dict[str, Any]:
    """The places each contributing state still has for a benefitting state (``beneficiary=IT``): the
    distribution's allocation minus the persons already matched (not excluded or cancelled); and
    whether it agreed to receive beneficiaries of international protection from it on ``on``
    (default today)."""
    return solidarity.matching_capacities(services, principal, year, beneficiary, on)


@router.get("/cycles/{year}/beneficiary-agreements")
def beneficiary_agreements(year: int, member_state: str | None = None, services: Services = Svc,
                           principal: Principal = Who) -> list[dict[str, Any]]:
    """Contributing states' agreements to receive beneficiaries of international protection from a
    benefitting state (Art 56(2)(a)); ``member_state`` narrows to those it is party to."""
    return solidarity.beneficiary_agreements(services, principal, year, member_state)


@router.post("/cycles/{year}/beneficiary-agreements", status_code=201)
def record_beneficiary_agreement(year: int, body: JsonBody[BeneficiaryAgreementIn], services: Services = Svc,
                                 principal: Principal = Who) -> dict[str, Any]:
    return solidarity.record_beneficiary_agreement(services, principal, year, body)


@router.get("/cycles/{year}/measure-assignments")
def measure_assignments(year: int, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Pledged alternative measures the Commission's coordinator assigned to benefitting states that
    requested them (Arts 60(2), 65(1)), and what is left to assign on each side."""
    return solidarity.measure_assignments(services, principal, year)


@router.post("/cycles/{year}/measure-assignments", status_code=201)
def assign_measure(year: int, body: JsonBody[MeasureAssignmentIn], services: Services = Svc,
                   principal: Principal = Who) -> dict[str, Any]:
    """The coordinator assigns a contributing state's alternative measures to a benefitting state."""
    return solidarity.assign_measure(services, principal, year, body)


@router.post("/beneficiary-agreements/{agreement_id}/end")
def end_beneficiary_agreement(agreement_id: str, body: JsonBody[BeneficiaryAgreementEnd], services: Services = Svc,
                              principal: Principal = Who) -> dict[str, Any]:
    return solidarity.end_beneficiary_agreement(services, principal, agreement_id, body)


@router.post("/cycles/{year}/needs")
def record_need(year: int, body: JsonBody[NeedIn], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return solidarity.record_need(services, principal, year, body)


@router.post("/cycles/{year}/pledges")
def submit_pledge(year: int, body: JsonBody[PledgeIn], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return solidarity.submit_pledge(services, principal, year, body)


@router.get("/cycles/{year}/pledges/{member_state}")
def pledge_page(year: int, member_state: str, services: Services = Svc,
                principal: Principal = Who) -> dict[str, Any]:
    """A state's own pledge page (a state's users see only their own state); for a benefitting state,
    ``receives``: its need, the relocations distributed to it, the transfers out of it and the offsets."""
    return solidarity.pledge_page(services, principal, year, member_state)


@router.post("/cycles/{year}/pledges/{member_state}/progress")
def pledge_progress(year: int, member_state: str, body: JsonBody[PledgeProgress], services: Services = Svc,
                    principal: Principal = Who) -> dict[str, Any]:
    return solidarity.record_pledge_progress(services, principal, year, member_state, body)


@router.post("/cycles/{year}/deductions", status_code=201)
def request_deduction(year: int, body: JsonBody[DeductionIn], services: Services = Svc,
                      principal: Principal = Who) -> dict[str, Any]:
    """A deduction request (Arts 61, 62): ``{"relocations", "on"}``; a state the Commission's decision did
    not identify under pressure or in a significant migratory situation adds ``grounds`` (``article_61``,
    ``article_62``) and ``substantiation`` (the items of Art 61(2), or Art 62(2) and (3)). ``replacement``
    (``{"relocations", "by": "financial"|"alternative", "description"}``) asks for pledged relocations to be
    replaced by another type of contribution of the same value (Arts 61(2)(b), 62(2)(b)); ``relocations``
    may then be 0."""
    return solidarity.request_deduction(services, principal, year, body)


@router.post("/deductions/{deduction_id}/assessment")
def assess_deduction(deduction_id: str, body: JsonBody[DeductionAssessment], services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    """The Commission's assessment of a deduction request (Art 61(3)): ``{"version", "justified", "on"}``."""
    return solidarity.assess_deduction(services, principal, deduction_id, body)


@router.post("/deductions/{deduction_id}/decision")
def decide_deduction(deduction_id: str, body: JsonBody[DeductionDecision], services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    """The Council's implementing act on an assessed request (Art 61(4)), recorded by the Commission:
    ``{"version", "granted", "on", "council_act_reference"}``; 409 before the assessment. A grant of part
    of the request adds ``granted_relocations`` and/or ``granted_replacement_relocations`` (at most what
    was asked)."""
    return solidarity.decide_deduction(services, principal, deduction_id, body)


@router.get("/cycles/{year}/offsets")
def offsets(year: int, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Responsibility offsets (Arts 63, 69): whether they may be asked for or are mandatory, each
    contributing state's limit, the applications that could be taken over and those taken over."""
    return solidarity.offsets_view(services, principal, year)


@router.post("/cycles/{year}/offsets", status_code=201)
def take_over(year: int, body: JsonBody[OffsetTakeOver], services: Services = Svc,
              principal: Principal = Who) -> dict[str, Any]:
    """A contributing state takes over applications for which a benefitting state is responsible:
    each Dublin case's responsible Member State becomes the contributing state."""
    return solidarity.take_over(services, principal, year, body)


@router.get("/transfers")
def transfers(response: Response, era: str | None = None, year: int | None = None, stage: str | None = None,
              as_of: date | None = None, limit: int = 200, offset: int = 0, status: str | None = None,
              origin: str | None = None, destination: str | None = None,
              services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The relocation transfer tracker: counts per origin and destination, stages, overdue, and per
    status (``status=applicant|beneficiary`` filters); ``origin`` (benefitting state) and
    ``destination`` (relocation state) narrow it. ``transfers`` is one page of ``limit`` (1–5000,
    default 200; 0: the counts only) from ``offset``, latest matching first; ``total`` and the header
    ``X-Total-Count`` count the whole list."""
    data = solidarity.transfer_tracker(services, principal, era=era, year=year, stage=stage, limit=limit,
                                       offset=offset, as_of=as_of, status=status, origin=origin,
                                       destination=destination)
    response.headers["X-Total-Count"] = str(data["total"])
    return data


@router.get("/transfers.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The relocation transfers as CSV"}})
def transfers_csv(era: str | None = None, year: int | None = None, stage: str | None = None,
                  status: str | None = None, origin: str | None = None, destination: str | None = None,
                  services: Services = Svc, principal: Principal = Who) -> Response:
    """Every relocation transfer the filters select (the tracker's), one row per transfer, as CSV."""
    text = solidarity.transfers_csv(services, principal, era=era, year=year, stage=stage, status=status,
                                    origin=origin, destination=destination)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="relocation-transfers.csv"'})


@router.post("/transfers", status_code=201)
def record_transfers(body: JsonBody[TransfersCreate], year: int | None = None, services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    return solidarity.record_transfers(services, principal, year, body)


@router.post("/transfers/import", status_code=201)
def import_transfers(body: JsonBody[TransfersImport], year: int | None = None, services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    """Record transfers with the dates of the stages already passed (e.g. the VSM history)."""
    return solidarity.import_transfers(services, principal, year, body)


@router.post("/transfers/{transfer_id}/events")
def transfer_event(transfer_id: str, body: JsonBody[TransferEvent], services: Services = Svc,
                   principal: Principal = Who) -> dict[str, Any]:
    return solidarity.transfer_event(services, principal, transfer_id, body)
