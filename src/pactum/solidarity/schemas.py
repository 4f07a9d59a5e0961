"""JSON bodies of the solidarity commands (API and CLI share them)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pactum.common.countries import country
from pactum.common.limits import ColumnInt
from pactum.common.text import Text
from pactum.solidarity.matching import LINK_KINDS

#: The longest item of a deduction request's substantiation, in characters.
SUBSTANTIATION_MAX = 10_000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Transfer(_Body):
    """The person a relocation transfer moves, as both ways of recording transfers name them."""

    applicant_ref: Text = Field(min_length=1, max_length=60)
    family_ref: Text | None = Field(default=None, min_length=1, max_length=60)
    nationality: str | None = None
    link_kind: str | None = None

    @field_validator("nationality")
    @classmethod
    def _nationality(cls, v: str | None) -> str | None:
        return None if v is None else country(v).alpha3  # ValueError: not an ISO 3166 code

    @field_validator("link_kind")
    @classmethod
    def _link_kind(cls, v: str | None) -> str | None:
        if v is not None and v not in LINK_KINDS:
            raise ValueError(f"use one of {', '.join(LINK_KINDS)}")
        return v


class DesignationIn(_Body):
    member_state: str
    status: str  # under_pressure | at_risk | significant_migratory_situation


class CycleCreate(_Body):
    """The Commission's report, pressure decision and proposal for a pool year (Arts 9, 11, 12)."""

    year: int
    proposal_on: date
    pool_relocations: ColumnInt | None = None
    pool_financial_eur: ColumnInt | None = None
    designations: list[DesignationIn] = Field(default_factory=list)


class CycleAction(_Body):
    """Move the cycle on: ``open_pledging`` (Forum), ``adopt`` (Council act), ``start_implementation``,
    ``close``. ``adopt`` may amend the pool and set a SAR earmark (Art 57)."""

    version: int
    on: date
    council_act_reference: Text | None = Field(default=None, max_length=120)
    pool_relocations: ColumnInt | None = None
    pool_financial_eur: ColumnInt | None = None
    sar_earmark: float | None = None


class NeedIn(_Body):
    """A beneficiary's needs; ``member_state`` defaults to the user's own state. A field left out keeps
    the need's recorded value (0, or false, for a first need); a body naming none of ``relocations``,
    ``financial_eur``, ``alternative_eur`` and ``sar`` is refused (422 naming ``relocations``)."""

    member_state: str | None = None
    relocations: ColumnInt | None = None
    financial_eur: ColumnInt | None = None
    #: the alternative solidarity measures requested, in EUR (Arts 58(2), 59(2)(b)): those pledged that no
    #: benefitting state requests in the pool's year are converted into financial contributions (Art 57(4))
    alternative_eur: ColumnInt | None = None
    sar: bool | None = None


class PledgeIn(_Body):
    """A contributing state's pledge; ``member_state`` defaults to the user's own state. A field left
    out keeps the pledge's recorded value (0, none, for a first pledge), as a need's does: a
    coordinator raising the relocations does not withdraw the money. ``[]`` clears the preferred
    beneficiaries; a change naming no field is refused (422 naming ``relocations``)."""

    member_state: str | None = None
    relocations: ColumnInt | None = None
    financial_eur: ColumnInt | None = None
    alternative_eur: ColumnInt | None = None
    alternative_description: str | None = None
    preferred_beneficiaries: list[str] | None = None
    version: int | None = None  # required to change an existing pledge


class BeneficiaryAgreementIn(_Body):
    """A contributing state agrees to receive beneficiaries of international protection from a
    benefitting state (Art 56(2)(a)); ``contributor_member_state`` defaults to the user's own state."""

    contributor_member_state: str | None = None
    beneficiary_member_state: str
    agreed_on: date


class BeneficiaryAgreementEnd(_Body):
    """The agreement ends: from ``ended_on`` no beneficiary is matched under it."""

    version: int
    ended_on: date


class PledgeProgress(_Body):
    version: int
    paid_eur: ColumnInt | None = None
    alternative_done_eur: ColumnInt | None = None


class DeductionSubstantiation(_Body):
    """The content of a substantiated deduction request (AMMR Arts 61(2), 62(2) and (3)), each item free
    text: required of a state the Commission's decision did not identify (which items, by grounds:
    ``pactum.solidarity.deductions.required_items``), and of a state it identified as facing a significant
    migratory situation, Art 62(2) (``required_items(..., designated=True)``)."""

    stabilisation: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)
    replacement: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)
    vulnerabilities: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)
    migratory_pressure: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)
    capacity_reached: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)
    significance: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)


class ReplacementIn(_Body):
    """The part of a deduction request that asks for a pledged contribution to be replaced by a different type
    of solidarity contribution (AMMR Arts 61(2)(b), 62(2)(b): "the contribution it pledged", of any type):
    ``of`` the pledged ``relocations`` (default; how many: ``relocations``), ``financial`` contributions or
    ``alternative`` solidarity measures (how much: ``eur``), replaced ``by`` another type: relocations (Art
    56(2)(a); euros making whole relocations), ``financial`` contributions (Art 56(2)(b)) or ``alternative``
    solidarity measures (Art 56(2)(c); ``description`` says which, required then), of the same value
    (``pactum.solidarity.deductions.replacement_amounts``)."""

    of: Literal["relocations", "financial", "alternative"] = "relocations"
    relocations: ColumnInt | None = None
    eur: ColumnInt | None = None
    by: Literal["relocations", "financial", "alternative"]
    description: Text | None = Field(default=None, max_length=SUBSTANTIATION_MAX)


class DeductionIn(_Body):
    """A deduction request. ``grounds`` (``article_61``: under migratory pressure; ``article_62``: facing a
    significant migratory situation) follows from the Commission's decision for a state it identified
    so; a state it did not identify names the situation it considers itself in and gives the request's
    ``substantiation``. ``relocations``: the relocation equivalents to deduct (0 when the request only
    asks for a ``replacement`` of pledged relocations by another type of contribution)."""

    member_state: str | None = None
    relocations: ColumnInt = 0
    on: date
    grounds: Literal["article_61", "article_62"] | None = None
    substantiation: DeductionSubstantiation | None = None
    replacement: ReplacementIn | None = None


class DeductionAssessment(_Body):
    """The Commission's assessment of a deduction request, of which it informs the Council
    (Art 61(3)): whether the request is ``justified``, on ``on``."""

    version: int
    justified: bool
    on: date


class DeductionDecision(_Body):
    """The Council's implementing act granting or refusing a deduction (Art 61(4)), adopted on ``on``:
    ``council_act_reference`` names it (required; a 422 names it when missing). A grant may authorise
    less than was asked: ``granted_relocations`` of the deduction and ``granted_replacement_relocations``
    of the replacement of pledged relocations, ``granted_replacement_eur`` of one of pledged financial
    contributions or alternative measures (each at most what was asked; left out: all of it)."""

    version: int
    granted: bool
    on: date
    council_act_reference: Text | None = Field(default=None, max_length=120)
    granted_relocations: ColumnInt | None = None
    granted_replacement_relocations: ColumnInt | None = None
    #: of a replacement of pledged financial contributions or alternative measures (EUR)
    granted_replacement_eur: ColumnInt | None = None


class TransferIn(_Transfer):
    origin_member_state: str
    destination_member_state: str
    matched_on: date
    status: str = "applicant"  # applicant | beneficiary (of international protection, Art 56(2)(a))
    protection_granted_on: date | None = None  # beneficiaries: less than 3 years before matched_on
    consent_on: date | None = None  # beneficiaries: date of their written consent to relocation


class TransfersCreate(_Body):
    """Matched persons to track (typically the assignments of a relocation matching)."""

    transfers: list[TransferIn]


class TransferEvent(_Body):
    # security_cleared | security_threat | accepted (the relocation state's confirmation, Art 67(9)) |
    # transfer_decided | appeal_decided (final decision on a suspensive appeal or review, Art 43(3)) |
    # arrived | cancelled
    event: str
    on: date
    version: int
    # why the step is recorded, kept with its audit entry (the Commission recording a state's step says
    # on what it relies); optional
    note: Text | None = Field(default=None, max_length=2000)


class TransferRecord(_Transfer):
    """A transfer with the dates of the stages it has passed (history import, demo world)."""

    origin_member_state: str
    destination_member_state: str
    matched_on: date
    security_cleared_on: date | None = None
    accepted_on: date | None = None
    transfer_decided_on: date | None = None
    # the final decision on an appeal or review of the transfer decision with suspensive effect
    # (Art 43(3)): the Art 67(11) period runs from it
    suspensive_appeal_decided_on: date | None = None
    arrived_on: date | None = None
    excluded_on: date | None = None
    status: str = "applicant"
    protection_granted_on: date | None = None
    consent_on: date | None = None


class TransfersImport(_Body):
    transfers: list[TransferRecord]


class OffsetTakeOver(_Body):
    """A contributing state takes over applications from a benefitting state (Arts 63, 69).

    Name the applications (``case_ids``, Dublin case ids) or let the oldest eligible ones be chosen
    (``count``). ``contributor_member_state`` defaults to the user's own state (the Commission names it).
    """

    beneficiary_member_state: str
    contributor_member_state: str | None = None
    case_ids: list[str] = Field(default_factory=list)
    count: int | None = None
    on: date


class MeasureAssignmentIn(_Body):
    """The Commission's coordinator assigns pledged solidarity measures not matched to a particular
    beneficiary to a benefitting state: ``measure_type`` ``alternative`` (the only type that is assigned,
    Art 65(1); ``financial`` and ``relocations`` are refused naming the field), ``eur`` of the contributing
    state's alternative measures, on ``on`` (default today, Brussels)."""

    contributor_member_state: str
    beneficiary_member_state: str
    measure_type: str = "alternative"
    eur: ColumnInt | None = None
    on: date | None = None
