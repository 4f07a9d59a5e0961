"""One entry point for a determination from its JSON contract, shared by the API, the CLI and the
legal cases: parse, check the facts against each other, run the criteria."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from pactum.common.errors import ValidationProblem

from .criteria import determine
from .model import Determination, Facts
from .schemas import DeterminationRequest, to_facts


def problems_of(err: ValidationError) -> list[tuple[str, str]]:
    """Pydantic errors as ``(dotted.field[0].path, message)``."""
    out = []
    for e in err.errors():
        path = ""
        for part in e["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        out.append((path or "body", e["msg"]))
    return out


def parse_request(data: Any) -> DeterminationRequest:
    try:
        return DeterminationRequest.model_validate(data)
    except ValidationError as e:
        raise ValidationProblem(problems_of(e)) from None


def facts_of(req: DeterminationRequest) -> Facts:
    facts, problems = to_facts(req)
    if facts is None:
        raise ValidationProblem(problems)
    return facts


def determine_request(req: DeterminationRequest) -> Determination:
    return determine(facts_of(req))


def determine_json(data: Any) -> dict[str, Any]:
    """JSON in, JSON out (the contract of the API and the CLI)."""
    return determine_request(parse_request(data)).to_json()


def cessation_json(data: Any) -> dict[str, Any]:
    """Who is responsible after later events (``POST /api/v1/responsibility/cessation``)."""
    from .cessation import CessationRequest

    try:
        req = CessationRequest.model_validate(data)
    except ValidationError as e:
        raise ValidationProblem(problems_of(e)) from None
    return cessation_of(req)


def cessation_of(req: Any) -> dict[str, Any]:
    from .cessation import after_events, checked

    req, problems = checked(req)
    if problems:
        raise ValidationProblem(problems)
    return after_events(req.registered_on, req.responsible_member_state, req.events, req.on).to_json()
