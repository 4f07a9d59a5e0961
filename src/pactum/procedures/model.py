"""Schemas of the procedures area's JSON contracts and its vocabulary."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from pactum.common.countries import STATELESS, UNKNOWN, country
from pactum.common.states import EU_MEMBER_STATES, member_state

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
# the border procedure, each under its point of APR Art 53(2) (read in the Italian Official Journal
# text): (b) the necessary support for special reception needs, minors included, cannot be provided
# at the border locations; (c) applicants in need of special procedural guarantees cannot receive
# the necessary support there; (d) relevant medical reasons, mental health included; (e) the
# guarantees and conditions of detention are not or no longer met and the border procedure cannot
# be applied without detention. Others are recorded and shown.
EXEMPTING_VULNERABILITIES: dict[str, str] = {
    "special_reception_needs_unsupported": "b",
    "special_procedural_needs_unsupported": "c",
    "medical_reasons": "d",
    "detention_guarantees_unmet": "e",
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


#: The Union's Member States by ISO alpha-3 (Greece's EL as GRC): their nationals are Union
#: citizens, not third-country nationals, and never third countries themselves.
EU_NATIONALITIES: frozenset[str] = frozenset(country("GR" if ms == "EL" else ms).alpha3
                                              for ms in EU_MEMBER_STATES)
#: Codes for a nationality that is not a country (stateless, unknown): never a "third country".
NOT_A_COUNTRY: frozenset[str] = frozenset({STATELESS, UNKNOWN})
#: Protocol (No 24) on asylum for nationals of Member States of the European Union.
PROTOCOL_24 = "Protocol (No 24) on asylum for nationals of Member States of the European Union"


def eu_nationality_problem(alpha3: str) -> str | None:
    """Why an applicant of nationality ``alpha3`` cannot be routed (a Union citizen), or None."""
    if alpha3 not in EU_NATIONALITIES:
        return None
    return (f"{alpha3} is the nationality of a Member State of the Union: its nationals are not "
            "third-country nationals and their applications are not examined under the asylum "
            f"procedure rules ({PROTOCOL_24}; Regulation (EU) 2024/1348, Article 1)")


def third_country(field: str, v: str | None, nationality: str | None) -> str | None:
    """The alpha-3 of a first country of asylum or safe third country, checked: a country (not
    XXA/XXX), not a Member State (a Dublin/AMMR matter, not a third country) and not the
    applicant's own country of nationality (APR Arts 58 and 59: a third country other than the
    country of origin). Raises ``ValueError`` with a readable message."""
    if v is None or v == "":
        return None
    c = v.strip().upper()
    if len(c) != 3:
        raise ValueError("use an ISO 3166 alpha-3 code of the third country")
    code = country(c).alpha3
    what = "first country of asylum" if field == "first_country_of_asylum" else "safe third country"
    if code in NOT_A_COUNTRY:
        raise ValueError(f"{code} ({country(code).name.lower()}) is not a country: a {what} is a third "
                         "country (Regulation (EU) 2024/1348, Articles 58 and 59)")
    if code in EU_NATIONALITIES:
        raise ValueError(f"{code} is a Member State of the Union, not a third country: which Member "
                         "State examines the application is a matter for the Dublin III Regulation or "
                         "Regulation (EU) 2024/1351, not a ground of inadmissibility")
    if nationality is not None and code == nationality:
        raise ValueError(f"{code} is the applicant's country of nationality: a {what} is a third "
                         "country other than the country of origin (Regulation (EU) 2024/1348, "
                         "Articles 58 and 59)")
    return code


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
        code = country(c).alpha3
        problem = eu_nationality_problem(code)
        if problem:
            raise ValueError(problem)
        return code

    @field_validator("first_country_of_asylum", "safe_third_country_connection")
    @classmethod
    def _third(cls, v: str | None, info: ValidationInfo) -> str | None:
        return third_country(str(info.field_name), v, info.data.get("nationality"))

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
    #: The third country of each first-country-of-asylum or safe-third-country ground of the
    #: routing (``pactum.procedures.routing.third_countries``): ``ground``, ``country`` (alpha-3, or
    #: None where it is not recorded), ``country_name``, ``recorded``, ``legal_basis``, ``note``.
    third_countries: list[dict[str, Any]] = Field(default_factory=list)


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
    #: Closed by the determining authority's decision on the applicant's explicit withdrawal: the
    #: application declared explicitly withdrawn (APR Art 40(3): final, no appeal under Chapter V),
    #: or, before the Pact, the examination discontinued (Directive 2013/32/EU Art 27(1)(a)).
    withdrawn = "withdrawn"
    #: Closed as joined to another open application of the same person in the same state (two
    #: records of one person, later linked as the same person): the file is carried on in the
    #: other case. National file management, no decision on the application.
    joined = "joined"


#: The states in which a case is closed (it leaves the queue; a new application may be made).
CLOSED_STATES = frozenset({CaseState.final, CaseState.appeal_decided, CaseState.transferred,
                           CaseState.withdrawn, CaseState.joined})


class Outcome(StrEnum):
    refugee_status = "refugee_status"
    subsidiary_protection = "subsidiary_protection"
    rejected_unfounded = "rejected_unfounded"
    rejected_manifestly_unfounded = "rejected_manifestly_unfounded"
    inadmissible = "inadmissible"
    implicitly_withdrawn = "implicitly_withdrawn"
    #: The applicant withdrew the application: declared explicitly withdrawn (APR Art 40(3)) or,
    #: before the Pact, the examination discontinued (Directive 2013/32/EU Art 27(1)). Recorded by
    #: the step ``record_withdrawal``, never drafted.
    explicitly_withdrawn = "explicitly_withdrawn"


POSITIVE_OUTCOMES = frozenset({Outcome.refugee_status, Outcome.subsidiary_protection})
NEGATIVE_OUTCOMES = frozenset(set(Outcome) - POSITIVE_OUTCOMES)


class AppealOutcome(StrEnum):
    dismissed = "dismissed"
    granted_refugee_status = "granted_refugee_status"
    granted_subsidiary_protection = "granted_subsidiary_protection"
    remitted = "remitted"
