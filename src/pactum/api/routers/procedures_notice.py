"""The written notice of the decision on an asylum application, as JSON (the web page and the PDF
show the same content: :mod:`pactum.services.decision_notice`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from pactum.api.deps import current_principal, get_services
from pactum.services import decision_notice
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(tags=["procedures"])
Svc = Annotated[Services, Depends(get_services)]
Who = Annotated[Principal, Depends(current_principal)]


@router.get("/procedures/cases/{case_id}/notice", summary="Decision notice")
@router.get("/procedures/applications/{case_id}/notice", include_in_schema=False)
def decision_notice_json(services: Svc, principal: Who, case_id: str) -> dict[str, Any]:
    """The written notice of the decision on one of your state's cases (by its id or its reference,
    ``IT-2026-000123``), as the applicant is given it: the authority, the applicant, the date and
    outcome of the decision, its reasons, its legal basis, how to challenge it (the remedy, the
    time limit's last day computed from the notification, whether an appeal suspends removal), the
    return decision issued with it, the language recorded on the case. Who may read the case may
    read its notice (another state's case: 404); 409 naming the case's state while it holds no
    decision. Logged as a `decision_notice` read."""
    return decision_notice.decision_notice(services, principal, case_id, channel="api")
