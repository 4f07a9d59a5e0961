"""Follow-up of commitments: commitments, partners, funding, the state of play (JSON and PDF),
item editing with history, import and export."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Response
from fastapi.exceptions import RequestValidationError

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody, type_errors
from pactum.followup.items import MODELS, Change
from pactum.followup.model import ActionPlan, Commitment
from pactum.followup.report import StateOfPlay
from pactum.services import followup
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(tags=["followup"])

Fmt = Literal["yaml", "csv"]
MEDIA = {"yaml": "application/yaml", "csv": "text/csv"}


@router.get("/followup/commitments", response_model=list[followup.CommitmentSummary])
def commitments(as_of: date | None = None, status: str | None = None,
                services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> Any:
    """The commitments on ``as_of``; ``status`` filters: planned, ongoing, completed, blocked (the
    overall status, or an action blocked) or overdue (a milestone past due and not done)."""
    return followup.commitments(services, as_of, status)


@router.get("/followup/commitments/{number}", response_model=Commitment)
def commitment(number: int, as_of: date | None = None, services: Services = Depends(get_services),
               principal: Principal = Depends(current_principal)) -> Any:
    return followup.commitment(services, number, as_of)


@router.get("/followup/partners", response_model=list[followup.PartnerSummary])
def partners(as_of: date | None = None, services: Services = Depends(get_services),
             principal: Principal = Depends(current_principal)) -> Any:
    return followup.partners(services, as_of)


@router.get("/followup/partners/{code}", response_model=followup.PartnerView)
def partner(code: str, as_of: date | None = None, services: Services = Depends(get_services),
            principal: Principal = Depends(current_principal)) -> Any:
    return followup.partner(services, code, as_of)


@router.get("/followup/action-plans", response_model=list[followup.ActionPlanSummary])
def action_plans(as_of: date | None = None, services: Services = Depends(get_services),
                 principal: Principal = Depends(current_principal)) -> Any:
    """The EU action plans, in force first, with their milestones done and overdue on ``as_of``."""
    return followup.action_plans(services, as_of)


@router.get("/followup/action-plans/{key}", response_model=ActionPlan)
def action_plan(key: str, as_of: date | None = None, services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> Any:
    return followup.action_plan(services, key, as_of)


@router.get("/followup/funding", response_model=followup.FundingOverview)
def funding(as_of: date | None = None, member_state: str | None = None,
            services: Services = Depends(get_services),
            principal: Principal = Depends(current_principal)) -> Any:
    """The funding on ``as_of``; ``member_state`` (e.g. BG): only the lines whose beneficiary
    names that state by its code."""
    return followup.funding(services, as_of, member_state)


@router.get("/followup/report", response_model=StateOfPlay)
def report(as_of: date, since: date | None = None, services: Services = Depends(get_services),
           principal: Principal = Depends(current_principal)) -> Any:
    """The state of play on ``as_of``; with ``since``, what changed after that date."""
    return followup.state_of_play(services, as_of, since)


@router.get("/followup/report.pdf", response_class=Response)
def report_pdf(as_of: date, since: date | None = None, services: Services = Depends(get_services),
               principal: Principal = Depends(current_principal)) -> Response:
    html = followup.render_html(followup.state_of_play(services, as_of, since))
    return Response(
        followup.render_pdf(html), media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="state-of-play-{as_of}.pdf"'},
    )


@router.get("/followup/changes", response_model=list[Change])
def changes(since: date, as_of: date, services: Services = Depends(get_services),
            principal: Principal = Depends(current_principal)) -> Any:
    return followup.changes(services, since, as_of)


@router.get("/followup/export", response_class=Response)
def export(format: Fmt = "yaml", as_of: date | None = None,
           services: Services = Depends(get_services),
           principal: Principal = Depends(current_principal)) -> Response:
    """The follow-up on ``as_of`` (default today) as a YAML or CSV file, sent as a download."""
    text = followup.export_text(services, format, as_of)
    day = (as_of or services.clock.today()).isoformat()
    return Response(text, media_type=MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="followup-{day}.{format}"'})


@router.post("/followup/import", response_model=followup.ImportResult)
def import_(text: str = Body(..., media_type="text/plain"), format: Fmt = Query("yaml"),
            as_of: date | None = None, services: Services = Depends(get_services),
            principal: Principal = Depends(current_principal)) -> Any:
    """Replace the follow-up from ``as_of`` with a whole YAML or CSV file (all or nothing)."""
    return followup.import_text(services, principal, text, format, as_of)


@router.post("/followup/load", response_model=followup.ImportResult)
def load(services: Services = Depends(get_services),
         principal: Principal = Depends(current_principal)) -> Any:
    """Load the annex shipped with Pactum (situation as of 23 June 2023)."""
    return followup.load(services, principal)


@router.get("/followup/items/{kind}/{key}")
def item(kind: str, key: str, services: Services = Depends(get_services),
         principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    return followup.item_view(services, kind, key)


@router.get("/followup/items/{kind}/{key}/history", response_model=list[followup.HistoryEntry])
def item_history(kind: str, key: str, services: Services = Depends(get_services),
                 principal: Principal = Depends(current_principal)) -> Any:
    return followup.history(services, kind, key)


@router.patch("/followup/items/{kind}/{key}")
def update_item(kind: str, key: str, body: JsonBody[followup.ItemEdit],
                services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Change fields of one item; ``version`` must be the version you read (else 409)."""
    _check_types(kind, body.changes, "changes")
    return followup.update_item(services, principal, kind, key, body, prefix="changes.")


@router.post("/followup/items/{kind}", status_code=201)
def create_item(kind: str, body: JsonBody[followup.ItemCreate], services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    _check_types(kind, body.data, "data")
    return followup.create_item(services, principal, kind, body, prefix="data.")


def _check_types(kind: str, fields: dict[str, Any], where: str) -> None:
    """An item's fields come as a JSON object the service validates with the item's model (shared
    with the YAML and CSV import and the web form, which convert text): here a value of the wrong
    JSON type is refused first, at ``body.<where>.<field>`` (``"due": 0`` was read as 1 January 1970)."""
    model = MODELS.get(kind)
    errors = type_errors(model, fields, ("body", where)) if model is not None else []
    if errors:
        raise RequestValidationError(errors)


@router.delete("/followup/items/{kind}/{key}", status_code=204, response_class=Response)
def delete_item(kind: str, key: str, version: int, valid_from: date | None = None,
                reason: str | None = None, services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> Response:
    followup.delete_item(services, principal, kind, key, version, valid_from, reason, elsewhere="key")
    return Response(status_code=204)
