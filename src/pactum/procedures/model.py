"""Schemas of the procedures area's JSON contracts and its vocabulary."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pactum.common.countries import country
from pactum.common.states import member_state

Context = Literal[
    "border_crossing_point",
    "apprehended_at_external_border",
    "sar_disembarkation",
    "relocation",
    "in_territory",
]
ProcedureName = Literal["border", "accelerated", "regular", "admissibility"]

# Contexts in which an application is made "at the external border" for the border procedure
# (APR Art 43(1): at a border crossing point or transit zone, following apprehension in
# connection with an unauthorised crossing, following disembarkation after a SAR operation,
# following relocation).
BORDER_CONTEXTS: frozenset[str] = frozenset(
    {"border_crossing_point", "apprehended_at_external_border", "sar_disembarkation", "relocation"}
)

# The context of an application as the registry's encounter of the person says it (encounter kinds
# of ``pactum.registry.model.EncounterKind``): met at the border, or inside the territory.
CONTEXT_OF_ENCOUNTER: dict[str, str] = {
    "sar_disembarkation": "sar_disembarkation",
    "irregular_crossing": "apprehended_at_external_border",
    "border_crossing_point_application": "border_crossing_point",
    "in_territory_application": "in_territory",
    "illegal_stay": "in_territory",
}
# Contexts an encounter inside the territory contradicts: the application was not made at a border
# crossing point, on apprehension at the external border or after disembarkation (APR Art 43(1)).
# Relocation is not among them: a relocated applicant is met inside the relocation state.
INLAND_CONTRADICTED_CONTEXTS: frozenset[str] = frozenset(
    {"border_crossing_point", "apprehended_at_external_border", "sar_disembarkation"}
)

# Vulnerabilities recorded at screening or registration. Those in EXEMPTING_VULNERABILITIES stop
# the border procedure (APR Art 53(2)): the necessary support for special reception or procedural
# needs cannot be provided at the border, or medical reasons. Others are recorded and shown.
EXEMPTING_VULNERABILITIES: dict[str, str] = {
    "medical_reasons": "53(2)(c)",
    "special_procedural_needs_unsupported": "53(2)(b)",
    "special_reception_needs_unsupported": "53(2)(b)",
    "detention_guarantees_unmet": "53(2)(d)",
}
KNOWN_VULNERABILITIES: frozenset[str] = frozenset(
    set(EXEMPTING_VULNERABILITIES)
    | {
        "minor",
        "family_with_minors",
        "pregnant",
        "disability",
        "elderly",
        "torture_victim",
        "trafficking_victim",
        "serious_illness",
        "mental_disorder",
        "single_parent",
        "lgbtiq",
    }
)


class RoutingInput(BaseModel):
    """``POST /api/v1/procedures/routing`` and ``pactum procedures route FILE.json``."""

    model_config = ConfigDict(extra="forbid")

    applied_on: date
    member_state: str
    context: Context
    nationality: str
    unaccompanied_minor: bool = False
    misled_authorities: bool = False
    security_threat: bool = False
    subsequent_application: bool = False
    first_country_of_asylum: str | None = None
    safe_third_country_connection: str | None = None
    vulnerabilities: list[str] = Field(default_factory=list)

    @field_validator("member_state")
    @classmethod
    def _ms(cls, v: str) -> str:
        return member_state(v)

    @field_validator("nationality")
    @classmethod
    def _nat(cls, v: str) -> str:
        c = v.strip().upper()
        if len(c) != 3:
            raise ValueError("use an ISO 3166 alpha-3 code (XXA stateless, XXX unknown)")
        return country(c).alpha3

    @field_validator("first_country_of_asylum", "safe_third_country_connection")
    @classmethod
    def _third(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        c = v.strip().upper()
        if len(c) != 3:
            raise ValueError("use an ISO 3166 alpha-3 code of the third country")
        return country(c).alpha3

    @field_validator("vulnerabilities")
    @classmethod
    def _vuln(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - KNOWN_VULNERABILITIES)
        if unknown:
            raise ValueError(
                f"unknown vulnerabilities {unknown}; known: {sorted(KNOWN_VULNERABILITIES)}"
            )
        return v


class RoutingResult(BaseModel):
    procedure: ProcedureName
    mandatory: bool
    grounds: list[str]
    legal_basis: list[str]
    recognition_rate: dict[str, Any]
    trace: list[dict[str, Any]]


class CaseState(StrEnum):
    made = "made"
    registered = "registered"
    lodged = "lodged"
    interview_scheduled = "interview_scheduled"
    interview_held = "interview_held"
    draft_decision = "draft_decision"
    under_review = "under_review"
    decided = "decided"
    notified = "notified"
    appeal_lodged = "appeal_lodged"
    appeal_decided = "appeal_decided"
    final = "final"
    #: Closed without an examination here: the applicant was transferred to the Member State
    #: responsible (Dublin III Arts 26(1), 29; AMMR Arts 42, 46), which examines the application.
    transferred = "transferred"


#: The states in which a case is closed (it leaves the queue; a new application may be made).
CLOSED_STATES = frozenset({CaseState.final, CaseState.appeal_decided, CaseState.transferred})


class Outcome(StrEnum):
    refugee_status = "refugee_status"
    subsidiary_protection = "subsidiary_protection"
    rejected_unfounded = "rejected_unfounded"
    rejected_manifestly_unfounded = "rejected_manifestly_unfounded"
    inadmissible = "inadmissible"
    implicitly_withdrawn = "implicitly_withdrawn"


POSITIVE_OUTCOMES = frozenset({Outcome.refugee_status, Outcome.subsidiary_protection})
NEGATIVE_OUTCOMES = frozenset(set(Outcome) - POSITIVE_OUTCOMES)


class AppealOutcome(StrEnum):
    dismissed = "dismissed"
    granted_refugee_status = "granted_refugee_status"
    granted_subsidiary_protection = "granted_subsidiary_protection"
    remitted = "remitted"
