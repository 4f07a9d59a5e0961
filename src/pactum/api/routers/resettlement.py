"""Resettlement and humanitarian admission (Reg. (EU) 2024/1350): plans, pledges, admissions,
a state's page, the EU overview and UNHCR's arrivals by year."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.resettlement.model import (
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
)
from pactum.services import resettlement
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(tags=["resettlement"])
Who = Depends(current_principal)
Svc = Depends(get_services)


@router.get("/resettlement/overview")
def overview(services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Every plan's places pledged, admitted and arrived; UNHCR's arrivals by year beside them."""
    return resettlement.overview(services, principal)


_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}, "description": "CSV, the header first"}}


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/resettlement/refusal-grounds")
def refusal_grounds(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """The grounds of refusal a state records (``refusal_ground``), in the order of Art 6 of
    Regulation (EU) 2024/1350: ``code``, ``words``, ``basis`` (the citation, null for ``other``)
    and ``mandatory`` (true: Art 6(1), admission shall be refused; false: Art 6(2), it may be)."""
    return resettlement.refusal_grounds(services, principal)


@router.get("/resettlement/statuses")
def statuses(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """The statuses a state grants after a positive conclusion (``status_granted``), in the order
    of Art 9(15) to (18) of Regulation (EU) 2024/1350: ``code``, ``words``, ``effect``,
    ``categories`` (the categories of admission it is granted on) and ``basis`` (by category)."""
    return resettlement.statuses(services, principal)


@router.get("/resettlement/discontinuation-grounds")
def discontinuation_grounds(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """The grounds on which a state discontinues an admission procedure (``ground`` of
    ``/discontinue``), in the order of Art 9(11) of Regulation (EU) 2024/1350: ``code``, ``words``,
    ``basis``, ``mandatory`` (true: the first subparagraph, the person withdrew their consent; false:
    points (a) to (c)), ``data`` (what Art 9(12) has the state do with the person's data) and
    ``later_admission`` (Art 6(2)(a), where it applies)."""
    return resettlement.discontinuation_grounds(services, principal)


@router.get("/resettlement/overview.csv", response_class=Response, responses=_CSV)
def overview_csv(services: Services = Svc, principal: Principal = Who) -> Response:
    """Every plan as CSV, latest first: plan, kind, title, first_year, last_year, status, closed_on,
    total_places, resettlement_places, humanitarian_admission_places, emergency_admission_places
    (empty when the plan gives no figure), pledged, pledging_states, announced_states, admitted,
    arrived."""
    return _csv(resettlement.overview_csv(services, principal), "resettlement-plans.csv")


@router.get("/resettlement/plans/{key}/progress.csv", response_class=Response, responses=_CSV)
def plan_csv(key: str, services: Services = Svc, principal: Principal = Who) -> Response:
    """A plan's places pledged and persons admitted and arrived, one row per state and category:
    plan, member_state, name, category, pledged, admitted, arrived."""
    return _csv(resettlement.plan_csv(services, principal, key), f"resettlement-{key}-by-state.csv")


@router.get("/resettlement/plans")
def plans(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    return resettlement.list_plans(services, principal)


@router.post("/resettlement/plans", status_code=201)
def create_plan(body: JsonBody[PlanIn], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Record a Union Plan (Art. 8) or an earlier pledging exercise (the Commission)."""
    return resettlement.create_plan(services, principal, body)


@router.post("/resettlement/load")
def load(services: Services = Svc, principal: Principal = Who) -> dict[str, list[str]]:
    """Record the plans shipped with Pactum (2024-2025 pledging exercise, Union Plan 2026-2027)."""
    return resettlement.load(services, principal)


@router.get("/resettlement/plans/{key}")
def plan(key: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """A plan with pledged, admitted and arrived places by category, state and country of first asylum."""
    return resettlement.get_plan(services, principal, key)


@router.patch("/resettlement/plans/{key}")
def amend_plan(key: str, body: JsonBody[PlanAmend], services: Services = Svc,
               principal: Principal = Who) -> dict[str, Any]:
    """Complete or correct an open plan (the Commission; ``version``: the version read): the
    Council implementing act (``council_act_reference``, ``council_act_date``), the split by
    category, ``total_places``, the countries and regions targeted, ``title``, ``announced_states``,
    ``source``; ``reason`` for the audit log. Only the fields given change (``null`` clears one).
    Refused when the plan would hold fewer places in a category or in total than the states have
    pledged (422 naming the category), and once the plan is closed (409)."""
    return resettlement.amend_plan(services, principal, key, body)


@router.post("/resettlement/plans/{key}/close")
def close_plan(key: str, body: JsonBody[PlanClose], services: Services = Svc,
               principal: Principal = Who) -> dict[str, Any]:
    """Close a plan (the Commission; ``version``: the version read): no more pledges nor persons
    referred under it; the persons already referred still get their decision and arrival."""
    return resettlement.close_plan(services, principal, key, body)


@router.put("/resettlement/plans/{key}/pledges/{member_state}")
def pledge(key: str, member_state: str, body: JsonBody[PledgeIn], services: Services = Svc,
           principal: Principal = Who) -> dict[str, Any]:
    """Record or replace a state's pledge (``version``: the version read; none for a first pledge)."""
    return resettlement.set_pledge(services, principal, key, member_state, body)


@router.post("/resettlement/plans/{key}/admissions", status_code=201)
def record_admission(key: str, body: JsonBody[AdmissionIn], services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    """Record a person referred for admission under the caller's state's pledge; ``registered_on``,
    the day the state registered the person (Reg. (EU) 2024/1350, Art 9(3)), when it has: the
    procedure's clock runs from it (without it the case awaits registration); ``person_id``, the
    registry's person (one of the state's), when the platform holds the person's record."""
    return resettlement.record_admission(services, principal, key, body)


@router.patch("/resettlement/admissions/{admission_id}")
def update_admission(admission_id: str, body: JsonBody[AdmissionUpdate], services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    """Record the registration by the state (``registered_on``: on or after the referral, not after
    today, not after the decision; the procedure's clock starts), the decision (admitted or
    refused, with the ground), the status granted after a positive conclusion (``status_granted``,
    ``status_decided_on``: Art 9(15)-(18), see ``/resettlement/statuses``), the arrival (due within
    twelve months of the conclusion, Art 9(20): the case's ``transfer``), or whether UNHCR was given
    the reason of a discontinuation or refusal (``unhcr_informed``: informed, not_necessary,
    public_interest; ``unhcr_informed_on`` when informed; Art 9(11), 9(13)), or the transmission to
    Eurodac after a decision of Art 18(2) of Regulation (EU) 2024/1358 (``eurodac_transmitted_on``, or
    ``eurodac_under_six``: true; within 72 hours of the decision, Art 9(24), from 12 June 2026: the
    case's ``eurodac``). A case naming the registry's person (``person_id``, one of the state's) has
    its transmission written as the registry's Eurodac record of the person (category
    union_resettlement), which other states' comparisons reach; a union_resettlement record the
    registry holds for the person counts as the transmission (the case's ``eurodac_record``,
    ``eurodac_source``: registry or statement). A value already recorded is corrected (``/correct``)."""
    return resettlement.update_admission(services, principal, admission_id, body)


@router.post("/resettlement/admissions/{admission_id}/correct")
def correct_admission(admission_id: str, body: JsonBody[AdmissionCorrection], services: Services = Svc,
                      principal: Principal = Who) -> dict[str, Any]:
    """Correct a registration, a decision or an arrival recorded in error (the state's officers):
    ``version``, ``reason`` (required, audited) and the fields as they should stand (``null``
    clears one; ``"decision": null``: pending again; ``"registered_on": null``: awaiting
    registration). The places and the overdue procedures follow."""
    return resettlement.correct_admission(services, principal, admission_id, body)


@router.post("/resettlement/admissions/{admission_id}/withdraw")
def withdraw_admission(admission_id: str, body: JsonBody[AdmissionWithdrawal], services: Services = Svc,
                       principal: Principal = Who) -> dict[str, Any]:
    """Withdraw a referral still without a decision (the state's officers): ``version``,
    ``withdrawn_on``, ``reason`` (audited). The person takes no place and is never overdue."""
    return resettlement.withdraw_admission(services, principal, admission_id, body)


@router.post("/resettlement/admissions/{admission_id}/discontinue")
def discontinue_admission(admission_id: str, body: JsonBody[AdmissionDiscontinuation], services: Services = Svc,
                          principal: Principal = Who) -> dict[str, Any]:
    """Discontinue an admission procedure still without a decision, or after a positive conclusion
    and before the entry when the person withdrew their consent (the state's officers; Art 7(1),
    9(11) of Regulation (EU) 2024/1350; the conclusion's day is kept as ``positive_conclusion_on``): ``version``, ``discontinued_on``, ``ground`` (one of
    ``/resettlement/discontinuation-grounds``), ``reason`` (the facts, audited). Under a Union Plan
    only. The person takes no place and is never overdue; the case reads ``data_retention``
    (Art 9(12))."""
    return resettlement.discontinue_admission(services, principal, admission_id, body)


@router.post("/resettlement/admissions/{admission_id}/erase")
def erase_admission(admission_id: str, body: JsonBody[AdmissionErasure], services: Services = Svc,
                    principal: Principal = Who) -> dict[str, Any]:
    """Erase a person referred recorded by mistake (the state that recorded it): ``version`` (the
    explicit statement: erasure cannot be undone), ``reason`` (required, audited). The case is
    deleted and the registry's Eurodac record that is its transmission erased with it (Regulation
    (EU) 2024/1358, Art 40(3), 40(5), 43(4)): ``eurodac_record`` (``id``, ``templates_deleted``) or
    ``eurodac_record_kept`` (the transmission of another of the state's cases). A case with a
    Eurodac record: the state's caseworkers only (403); another state's case: 404."""
    return resettlement.erase_admission(services, principal, admission_id, body)


@router.get("/resettlement/plans/{key}/states/{member_state}/cases.csv", response_class=Response, responses=_CSV)
def cases_csv(key: str, member_state: str, stage: str | None = None, services: Services = Svc,
              principal: Principal = Who) -> Response:
    """The persons a state referred under the plan, one row per person, latest referral first (the
    state's own users): plan, member_state, case_reference, nationality, first_asylum, category,
    procedure, referred_on, registered_on, decision, decided_on, refusal_ground, refusal_basis (the point of
    Art 6 of Regulation (EU) 2024/1350 cited, empty for other), refusal_reason, withdrawn_on,
    withdrawal_reason, arrived_on, procedure_status, decision_due_by, extended_on, extension_reason,
    discontinued_on, discontinuation_ground, discontinuation_basis (the point of Art 9(11)),
    discontinuation_reason, data_kept_until (Art 9(12): the day the state erases the person's data),
    positive_conclusion_on, status_granted, status_decided_on, status_basis (Art 9(15)-(18)),
    transfer_due_by, transfer_status (Art 9(20)), unhcr_informed, unhcr_informed_on (Art 9(11), 9(13)),
    eurodac_status, eurodac_due_by, eurodac_transmitted_on, eurodac_under_six (Art 9(24); Regulation
    (EU) 2024/1358, Art 18(2)), eurodac_kept_until (Art 29(3), (4) of that Regulation). ``stage`` keeps the persons at one stage: pending, awaiting_registration, overdue,
    awaiting_arrival, admitted, refused, withdrawn, discontinued, status_to_record,
    transfer_due_soon, transfer_overdue, unhcr_to_record, eurodac_due, eurodac_overdue (422 naming
    ``stage`` otherwise)."""
    return _csv(resettlement.cases_csv(services, principal, member_state, key, stage),
                f"resettlement-{key}-{member_state.upper()}-cases.csv")


@router.get("/resettlement/plans/{key}/states/{member_state}/overdue.csv", response_class=Response, responses=_CSV)
def overdue_csv(key: str, member_state: str, services: Services = Svc, principal: Principal = Who) -> Response:
    """A state's procedures beyond their maximum duration under the plan: plan, member_state,
    case_reference (the state's own users only), category, procedure, referred_on, registered_on,
    maximum_duration, decision_due_by (counted from the registration)."""
    return _csv(resettlement.overdue_csv(services, principal, member_state, key),
                f"resettlement-{key}-{member_state.upper()}-overdue.csv")


@router.get("/resettlement/states/{member_state}")
def state(member_state: str, plan: str | None = None, stage: str | None = None, services: Services = Svc,
          principal: Principal = Who) -> dict[str, Any]:
    """A state under a plan (the latest if none): pledge, progress, overdue procedures, entries due
    within twelve months of the conclusion ending or over (``transfers``, Art 9(20)), its cases (for
    the state's own users; ``stage``: only those at one stage, as ``cases.csv``)."""
    return resettlement.state_view(services, principal, member_state, plan, stage)


@router.get("/resettlement/history")
def history(member_state: str | None = None, services: Services = Svc,
            principal: Principal = Who) -> dict[str, Any]:
    """UNHCR's resettlement arrivals by year: EU27 (Denmark included), EU+ (EU27 and IS, LI, NO,
    CH), one state (``not_bound`` when it is not bound by Reg. (EU) 2024/1350)."""
    return resettlement.history(services, principal, member_state)
