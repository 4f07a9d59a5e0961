"""The JSON contracts of registration and screening, and their validation.

These pydantic models are shared by the API (request/response bodies) and the CLI (JSON files),
so both speak the same schema.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from pactum.common.countries import country
from pactum.common.dates import PartialDate
from pactum.common.routes import route_names
from pactum.common.states import MEMBER_STATES, member_state
from pactum.common.text import Text
from pactum.registry.local_time import LOCAL_ZERO

#: A field the contract does not have is refused, naming it (``held_over_72`` for
#: ``held_over_72h``), rather than dropped without a word.
_FORBID = ConfigDict(extra="forbid")

#: The longest free text of a screening point (as other areas' notes and reasons).
FREE_TEXT_MAX = 2000

#: Nationals of the states bound by Eurodac and the Screening Regulation (the Union's and the
#: associated states'): neither regulation applies to them. Eurodac (Reg. (EU) 2024/1358 Art 2(1)
#: with its definition of a third-country national) and the Screening Regulation (Reg. (EU)
#: 2024/1356 Arts 5 and 7) concern third-country nationals and stateless persons only.
NOT_THIRD_COUNTRY: frozenset[str] = frozenset(s.iso3 for s in MEMBER_STATES.values())

_EXPLICIT_ZERO_OFFSET = re.compile(r"\+00:?00$")


def _local_zero(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A time written with the offset ``+00:00`` (not ``Z``) keeps it as :data:`LOCAL_ZERO`: a
    clock of the state showing UTC+0 (the Canary Islands in winter), read at that offset
    (``pactum.registry.local_time``); ``Z`` is UTC, read on the state's clock."""
    at = handler(value)
    if (isinstance(value, str) and isinstance(at, datetime) and at.tzinfo is not None
            and not at.utcoffset() and _EXPLICIT_ZERO_OFFSET.search(value.strip())):
        return at.replace(tzinfo=LOCAL_ZERO)
    return at


def _name(v: str | None) -> str | None:
    """A name as written: blanks around it dropped, blanks alone are no name, and a name has a
    letter (of any script): "+++" or "---" is not a name."""
    if v is None:
        return None
    v = v.strip()
    if not v:
        return None
    if not any(ch.isalpha() for ch in v):
        raise ValueError("has no letter: write the name as it is written (any script), or leave it blank")
    return v


class EncounterKind(StrEnum):
    irregular_crossing = "irregular_crossing"
    sar_disembarkation = "sar_disembarkation"
    border_crossing_point_application = "border_crossing_point_application"
    illegal_stay = "illegal_stay"
    in_territory_application = "in_territory_application"


class EurodacCategory(StrEnum):
    applicant = "applicant"
    irregular_crossing = "irregular_crossing"
    illegal_stay = "illegal_stay"
    sar = "sar"
    union_resettlement = "union_resettlement"
    national_resettlement = "national_resettlement"
    temporary_protection = "temporary_protection"


class ScreeningOutcome(StrEnum):
    asylum = "asylum"
    border_procedure = "border_procedure"
    return_ = "return"
    relocation = "relocation"


class Sex(StrEnum):
    male = "M"
    female = "F"
    other = "X"


class DocumentIn(BaseModel):
    model_config = _FORBID

    type: Text = Field(min_length=1, max_length=30, description="passport, identity_card, ...")
    number: Text = Field(min_length=1, max_length=60)
    country: str = Field(description="issuing country, ISO alpha-3")
    expiry: date | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        return country(v).alpha3


class IdentityIn(BaseModel):
    model_config = _FORBID

    given_names: Text | None = Field(default=None, max_length=200, description="as written")
    surname: Text | None = Field(default=None, max_length=200, description="as written")
    given_names_latin: Text | None = Field(default=None, max_length=200)
    surname_latin: Text | None = Field(default=None, max_length=200)
    father_name: Text | None = Field(default=None, max_length=200)
    sex: Sex | None = None
    date_of_birth: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    place_of_birth: Text | None = Field(default=None, max_length=200)
    nationality: str = Field(description="ISO alpha-3 of a third country; XXA stateless, XXX unknown "
                                         "(not a nationality of the Union or an associated state)")
    documents: list[DocumentIn] = Field(default_factory=list)

    @field_validator("given_names", "surname", "given_names_latin", "surname_latin", "father_name")
    @classmethod
    def _names(cls, v: str | None) -> str | None:
        return _name(v)

    @field_validator("place_of_birth")
    @classmethod
    def _place(cls, v: str | None) -> str | None:
        return v or None

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, v: str | None) -> str | None:
        return None if v in (None, "") else str(PartialDate.parse(v))

    @field_validator("nationality")
    @classmethod
    def _nat(cls, v: str) -> str:
        code = country(v).alpha3
        if code in NOT_THIRD_COUNTRY:
            raise ValueError(
                f"{code} is a nationality of a state bound by Eurodac and the Screening Regulation: "
                "they concern third-country nationals and stateless persons only (Regulation (EU) "
                "2024/1358, Article 2(1); Regulation (EU) 2024/1356, Articles 5 and 7)")
        return code

    @model_validator(mode="after")
    def _some_name(self) -> IdentityIn:
        if not (self.surname or self.given_names):
            raise ValueError("a surname or given names are required")
        return self


class EncounterIn(BaseModel):
    model_config = _FORBID

    member_state: str
    occurred_at: datetime
    kind: EncounterKind
    place: str | None = Field(default=None, max_length=200)
    border_section: str | None = Field(default=None, max_length=200)
    route: str | None = Field(default=None, max_length=80)
    region: str | None = Field(
        default=None, max_length=6,
        description=("where it happened, when the state has territory on another clock: the ISO 3166-2 code "
                     "of the region (ES-CN Canary Islands; PT-20 Azores, PT-30 Madeira; FR-971 Guadeloupe, "
                     "FR-972 Martinique, FR-973 French Guiana, FR-974 La Réunion, FR-976 Mayotte, FR-MF "
                     "Saint-Martin); none: the capital's clock. occurred_at (in UTC or at any offset) is read "
                     "on the region's clock, which counts the screening's days and shows its times. In "
                     "France's outermost regions neither Eurodac nor the screening applies (see "
                     "encounter.outside_scope in the answer)"))
    time_zone: str | None = Field(
        default=None, max_length=40,
        description=("the same as region, by the IANA time zone of the place (Atlantic/Canary, Atlantic/Azores, "
                     "Atlantic/Madeira, Indian/Mayotte…, or the capital's): one of the state's; given with "
                     "region, its region's"))

    @field_validator("member_state")
    @classmethod
    def _ms(cls, v: str) -> str:
        return member_state(v)

    @field_validator("region", "time_zone")
    @classmethod
    def _blank_none(cls, v: str | None) -> str | None:
        return (v.strip() or None) if v is not None else None

    @field_validator("route")
    @classmethod
    def _frontex_route(cls, v: str | None) -> str | None:
        """One of the Frontex migratory routes, by the name Frontex publishes (the screens and the
        arrivals by route count encounters by it): a route spelt otherwise would be counted apart."""
        if v is None or not v.strip():
            return None
        names = route_names()
        if v.strip() not in names:
            raise ValueError(f"{v!r} is not a Frontex migratory route: one of {', '.join(names)}")
        return v.strip()

    @field_validator("region")
    @classmethod
    def _region_code(cls, v: str | None) -> str | None:
        return v.upper() if v else v

    _occurred_offset = field_validator("occurred_at", mode="wrap")(_local_zero)


class BiometricsIn(BaseModel):
    model_config = _FORBID

    template_ref: str | None = Field(default=None, max_length=120)
    captured_at: datetime | None = None
    transmitted_at: datetime | None = None

    _captured_offset = field_validator("captured_at", mode="wrap")(_local_zero)


class RegisterArrival(BaseModel):
    """Register a third-country national encountered by the authorities."""

    model_config = _FORBID

    identity: IdentityIn
    encounter: EncounterIn
    biometrics: BiometricsIn = Field(default_factory=BiometricsIn)
    held_over_72h: bool = Field(
        default=False,
        description=("an irregular crossing (Screening Reg. (EU) 2024/1356 Art 5(1)(a)) held at the external "
                     "border over 72 hours: the screening's four days, from the end of the 72 hours (Art 8(3)); "
                     "refused for another kind"),
    )
    person_id: str | None = Field(default=None, description="an existing person of your state")


class ScreeningForm(BaseModel):
    """The screening form, Screening Regulation Art 17(1) points (c)-(i) plus the outcome.

    A point given as null is cleared; a point left out is unchanged. Choosing an outcome completes
    the screening: refused (422 naming ``outcome``) when it contradicts point (f), and (naming
    ``database_hit``) before the deadline without the security check, or when it is not the
    law's for the person (relocation without an application; the border procedure after an
    inland screening). A field the form does not have is refused, naming it."""

    model_config = _FORBID

    version: int
    residence_before_arrival: str | None = Field(default=None, max_length=200)
    languages: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=60)
    health_check: str | None = Field(default=None, max_length=FREE_TEXT_MAX)
    vulnerability: str | None = Field(default=None, max_length=FREE_TEXT_MAX)
    applied_for_protection: bool | None = None
    family_in_member_state: str | None = Field(default=None, max_length=FREE_TEXT_MAX)
    database_hit: bool | None = None
    cooperated: bool | None = None
    outcome: ScreeningOutcome | None = None


class ScreeningPublic(BaseModel):
    id: str
    person_id: str
    member_state: str
    variant: str
    started_at: datetime
    deadline_at: datetime = Field(description="the last moment of the screening, in UTC: the end of its last day "
                                              "where it runs")
    deadline_local: datetime | None = Field(
        default=None, description="deadline_at on the clock of time_zone, where the screening runs (its UTC offset "
                                  "included)")
    time_zone: str | None = Field(default=None, description="the time zone of the place where the screening runs, its "
                                                        "encounter's: the Member State's (e.g. Europe/Rome), or its "
                                                        "region's (Atlantic/Canary, Atlantic/Azores, Atlantic/Madeira)")
    started_local: datetime | None = Field(
        default=None, description="started_at on the clock of time_zone (its UTC offset included)")
    completed_local: datetime | None = Field(
        default=None, description="completed_at on the clock of time_zone (its UTC offset included)")
    legal_basis: list[str]
    identity_summary: str | None
    nationalities: str | None
    residence_before_arrival: str | None
    languages: str | None
    reason: str | None
    health_check: str | None
    vulnerability: str | None
    applied_for_protection: bool | None
    family_in_member_state: str | None
    database_hit: bool | None
    cooperated: bool | None
    outcome: ScreeningOutcome | None
    completed_at: datetime | None
    version: int
    warnings: list[str] = Field(
        default_factory=list, description="points the screening ended without (completed at its deadline)")


class EurodacPublic(BaseModel):
    id: str
    category: EurodacCategory
    retention_until: date
    legal_basis: list[str]
    marked_at: datetime | None = Field(
        default=None, description="when the record was marked: international protection granted (Art 31)")


class BiometricsPublic(BaseModel):
    required: bool
    template_ref: str | None
    transmission_deadline: datetime | None
    transmission_met: bool | None
    legal_basis: list[str]


class EncounterPublic(BaseModel):
    """Where and when the encounter happened, on the clock of the place."""

    id: str
    occurred_at: datetime = Field(description="in UTC")
    occurred_local: datetime = Field(description="occurred_at on the clock of time_zone (its UTC offset included)")
    time_zone: str = Field(description="the time zone of the place (IANA): the Member State's capital's, or its "
                                       "region's (Atlantic/Canary, Atlantic/Azores, Atlantic/Madeira)")
    region: str | None = Field(default=None, description="ISO 3166-2 code of the region with a clock of its own "
                                                         "(ES-CN, PT-20, PT-30); null: the capital's clock")
    region_name: str | None = Field(default=None, description="the region in words (Canary Islands)")
    outside_scope: list[str] = Field(
        default_factory=list,
        description=("why Eurodac and the screening do not apply where the encounter happened, the texts "
                     "cited (France's outermost regions: Regulation (EU) 2024/1358 Article 60 with "
                     "Regulation (EU) 2024/1351 Article 76; the Schengen acquis, Convention implementing "
                     "the Schengen Agreement Article 138); empty where they apply"))


class RegistrationPublic(BaseModel):
    person_id: str
    identity_record_id: str
    encounter_id: str
    regime: str
    eurodac: EurodacPublic | None
    biometrics: BiometricsPublic
    screening: ScreeningPublic | None
    encounter: EncounterPublic | None = Field(
        default=None, description="where and when the encounter happened, on the clock of the place (absent from "
                                  "an answer an Idempotency-Key kept before it was given)")


class IdentityChanges(BaseModel):
    """The identity data of a registered record to correct (rectification): each field given is the
    record's new value (``null`` clears it), each field left out stays as it is. The values are the
    registration's (``IdentityIn``, its first document's ``type``, ``number``, ``country`` and
    ``expiry`` as ``document_…``) and are checked as a registration checks them; a Latin-script
    name left out follows the name as written where the record had no other."""

    model_config = _FORBID

    surname: str | None = None
    given_names: str | None = None
    surname_latin: str | None = None
    given_names_latin: str | None = None
    father_name: str | None = None
    sex: str | None = Field(default=None, description="M, F or X")
    date_of_birth: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    place_of_birth: str | None = None
    nationality: str | None = Field(default=None, description="ISO alpha-3 of a third country; XXA stateless")
    document_type: str | None = None
    document_number: str | None = None
    document_country: str | None = Field(default=None, description="issuing country, ISO alpha-3")
    document_expiry: str | None = Field(default=None, description="YYYY-MM-DD")


#: The fields of a record's identity an officer may correct, in the order the forms show them.
CORRECTABLE_FIELDS: tuple[str, ...] = tuple(IdentityChanges.model_fields)


class TransmissionRecord(BaseModel):
    """The moment a registration's biometric data were transmitted to Eurodac, recorded after the
    registration (its storage period runs from it: Reg. (EU) 2024/1358 Art 29)."""

    model_config = _FORBID

    transmitted_at: datetime


class EurodacErasure(BaseModel):
    """The erasure by the Member State of origin of one of its Eurodac records recorded in error
    (Reg. (EU) 2024/1358 Art 40(3), 40(5), 43(4)): why (required)."""

    model_config = _FORBID

    reason: Text = Field(min_length=1, max_length=FREE_TEXT_MAX)


class CaptureRecord(BaseModel):
    """The biometric capture of a registration that was registered without a capture time: the
    template's reference and when the data were taken, recorded after the registration (not after
    now, not before the encounter). The 72-hour transmission limit still runs from the encounter
    (Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2), 23(2), 24(2))."""

    model_config = _FORBID

    template_ref: str = Field(min_length=1, max_length=120)
    captured_at: datetime

    _captured_offset = field_validator("captured_at", mode="wrap")(_local_zero)

    @field_validator("template_ref")
    @classmethod
    def _template_given(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("give the reference of the biometric template")
        return v


class RecordCorrection(BaseModel):
    """Correct a registered record's identity data: what changes, and why (required). ``version``,
    when given, is the record's version the officer corrected (a record changed since is refused,
    409). ``also_records``: the ids of the person's other records of the state to correct with it
    (the same changes, all or none)."""

    model_config = _FORBID

    changes: IdentityChanges
    reason: Text = Field(min_length=1, max_length=FREE_TEXT_MAX)
    version: int | None = None
    #: The person's other records of the same state corrected with it, in the same unit of work,
    #: with the same changes (an applicant's record copied from it when the application was
    #: recorded in Eurodac); each must be the same person's and the state's, and change.
    also_records: list[Text] = Field(default_factory=list, max_length=50)
