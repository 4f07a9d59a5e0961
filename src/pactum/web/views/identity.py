"""Identity: the verification queue of multiple-identity links, one link with the officer's
decision, and the linkage model with its match weights."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.common.states import MEMBER_STATES
from pactum.identity.comparisons import level_words
from pactum.identity.schemas import LinkDecision
from pactum.services import identity
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import parse_whole_number, refused_form_page
from pactum.web.render import NavItem, problems, render, web_principal

router = APIRouter()
NAV = [
    NavItem("Identity links", "/identity/queue", {Role.caseworker, Role.dublin_unit, Role.return_officer, Role.admin},
            order=12, sections=("/identity/links/",)),
    # the model's weights and outcomes are the verifiers' and analysts' tool: not in a caseworker's or a
    # return officer's menu (the page stays open to them: a link's page explains its own evidence)
    NavItem("Linkage model", "/identity/model", {Role.dublin_unit, Role.admin, Role.analyst}, order=13),
]


#: What each decision means, as the decision form says it (Regulation (EU) 2019/818, Article 30-33).
COLOUR_MEANINGS = {
    "white": "the same person, identities legitimately linked",
    "green": "different persons sharing similar data",
    "red": "the same person under an unjustified different identity, or a misused document",
}


@router.get("/identity/queue")
def queue(request: Request, decided: str = "", services: Services = Depends(get_services),
          principal: Principal = Depends(web_principal)) -> Response:
    links = identity.verification_queue(services, principal, channel="web")
    just_decided = None
    if decided:  # the link the officer just decided, read back to say what was recorded
        try:
            just_decided = identity.get_link(services, principal, decided)
        except NotFound:
            just_decided = None
    return render(request, "identity/queue.html", {
        "links": links, "groups": _by_person_pair(links), "decided": just_decided,
        "decided_with": _decided_with(just_decided), "meanings": COLOUR_MEANINGS}, principal=principal)


def _by_person_pair(links: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The queue's links grouped by the two persons they join (``same_persons``), each group where
    its oldest link stands in the queue, oldest first within it."""
    groups: list[list[dict[str, Any]]] = []
    placed: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        group = next((placed[i] for i in link.get("same_persons") or [] if i in placed), None)
        if group is None:
            group = []
            groups.append(group)
        group.append(link)
        placed[link["id"]] = group
    return groups


def _decided_with(link: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The other links between the same two persons that were decided with ``link`` (the same
    decision, taken by the same officer at the same moment: "also decide the other links")."""
    if not link or link["status"] != "verified":
        return []
    return [s for s in link.get("siblings") or [] if s["own_queue"] and s["status"] == "verified"
            and s["colour"] == link["colour"] and s["decided_at"] == link["decided_at"]
            and s["decided_by"] == link["decided_by"]]


def _link_page(request: Request, services: Services, principal: Principal, link_id: str,
               errors: list[str] | None = None, status_code: int = 200,
               submitted: dict[str, str] | None = None, revised: bool = False) -> Response:
    """The link; after a refused decision, the form keeps the colour and reason typed (``submitted``);
    ``revised``: its decision was just revised (the page says so)."""
    link = identity.get_link(services, principal, link_id)
    # the other links between the same two persons waiting for this authority, which the decision
    # may settle with it (the form's box is ticked unless the officer unticked it on a refused form)
    pair_pending = [s for s in link.get("siblings") or [] if s["own_queue"] and s["status"] == "pending"]
    return render(request, "identity/link.html",
                  {"link": link, "errors": errors or [], "prior_weight": _prior_weight(link.get("basis") or {}),
                   "pair_pending": pair_pending,
                   "submitted": submitted or {}, "meanings": COLOUR_MEANINGS, "level_words": level_words,
                   "revised": revised, "disagreeing": _disagreeing(link)},
                  principal=principal, status_code=status_code)


def _disagreeing(link: dict[str, Any]) -> list[dict[str, Any]]:
    """Another authority's decided links between the same two persons that say otherwise than this
    link's decision (a revision may leave them so: only their authority revises them, and is to be
    told)."""
    meaning = {"white": "same", "red": "same", "green": "different"}.get(link["colour"])
    if meaning is None or link["status"] == "pending":
        return []
    return [s for s in link.get("siblings") or [] if not s["own_queue"] and s["status"] != "pending"
            and s.get("meaning") not in (None, meaning)]


def _prior_weight(basis: dict[str, Any]) -> float | None:
    """The weight the score started from before any field's evidence (the model's prior: how
    often two records of the store are one person), as the total the link was scored with less
    the fields' weights; ``None`` for a link recorded without its total."""
    total = basis.get("match_weight")
    if total is None:
        return None
    return float(total) - sum(float(e.get("weight", 0.0)) for e in (basis.get("explanation") or {}).values())


@router.get("/identity/links/{link_id}")
def link_page(link_id: str, request: Request, revised: bool = False, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    return _link_page(request, services, principal, link_id, revised=revised)


def _decide_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem, link_id: str) -> Response:
    return _link_page(request, services, principal, link_id, problems(problem), 422, dict(typed))


@router.post("/identity/links/{link_id}")
@refused_form_page(_decide_refused)
async def link_decide(link_id: str, request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    try:
        decision = LinkDecision.model_validate({"colour": str(form.get("colour") or ""),
                                                "reason": str(form.get("reason") or ""),
                                                "version": str(form.get("version") or "")})
        result = identity.decide_link(services, principal, link_id, decision,
                                      apply_to_person_pair=form.get("apply_to_person_pair") == "on")
    except (ValidationError, ValidationProblem) as exc:
        return _link_page(request, services, principal, link_id, problems(exc), 422, typed)
    except Conflict as exc:
        return _link_page(request, services, principal, link_id, [str(exc)], 409, typed)
    if result.get("revised"):  # a correction: back to the link, which says what it now says
        return RedirectResponse(f"/identity/links/{quote(link_id)}?revised=true", status_code=303)
    return RedirectResponse(f"/identity/queue?decided={quote(link_id)}", status_code=303)


@router.get("/identity/model")
def model_page(request: Request, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    models = identity.list_models(services, principal)
    authority = request.query_params.get("authority") or None
    version = request.query_params.get("model_version") or None
    errors: list[str] = []
    try:
        number = parse_whole_number(version, "model_version", minimum=0) if version is not None else None
        outcomes = identity.verification_outcomes(services, principal, authority, number)
    except ValidationProblem as exc:
        errors = [f"{f}: {m}" for f, m in exc.problems]
        outcomes = identity.verification_outcomes(services, principal)
    return render(request, "identity/model.html",
                  {"models": models, "outcomes": outcomes, "errors": errors, "authorities": sorted(MEMBER_STATES),
                   "level_words": level_words},
                  principal=principal, status_code=422 if errors else 200)
