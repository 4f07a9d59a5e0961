"""The printable notice of the decision on an asylum case (``/procedures/cases/{id}/notice``) and
its PDF: :mod:`pactum.services.decision_notice`. No entry of the navigation: the case page links it
once the case holds a decision."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pactum.api.deps import get_services
from pactum.services import decision_notice
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.web.render import render, web_principal

router = APIRouter()
Svc = Depends(get_services)
Who = Depends(web_principal)


@router.get("/procedures/cases/{case_id}/notice.pdf")
def notice_pdf(case_id: str, services: Services = Svc, principal: Principal = Who) -> Response:
    notice = decision_notice.decision_notice(services, principal, case_id, channel="web")
    return Response(decision_notice.pdf_bytes(notice), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="decision-notice-{notice["reference"]}.pdf"'})


@router.get("/procedures/cases/{case_id}/notice")
def notice_page(request: Request, case_id: str, services: Services = Svc, principal: Principal = Who) -> Response:
    notice = decision_notice.decision_notice(services, principal, case_id, channel="web")
    return render(request, "procedures/notice.html", {"n": notice, "standalone": False, "layout": None},
                  principal=principal)
