"""The JSON contracts of the resettlement area: API bodies, CLI input files.

A *plan* is a Union Resettlement and Humanitarian Admission Plan (Art. 8) or one of the pledging
exercises before the Regulation applied. A *pledge* is one state's places under a plan, by
category and, where known, by country of first asylum. An *admission* is one person referred for
admission under a pledge: enough to count places and check the procedure's duration, not a
case file.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from pactum.common.countries import STATELESS, UNKNOWN, country
from pactum.common.states import MEMBER_STATES
from pactum.common.text import Text

Category = Literal["resettlement", "humanitarian_admission", "emergency_admission"]
CATEGORIES: tuple[str, ...] = get_args(Category)
CATEGORY_LABELS = {"resettlement": "Resettlement", "humanitarian_admission": "Humanitarian admission",
                   "emergency_admission": "Emergency admission"}
PlanKind = Literal["union_plan", "pledging_exercise"]
KIND_LABELS = {"union_plan": "Union Plan (Art. 8)", "pledging_exercise": "Pledging exercise (before the Regulation)"}
Procedure = Literal["ordinary", "expedited"]
Decision = Literal["admitted", "refused"]
#: What the ``decision`` of a recorded person reads once the referral is withdrawn (kept apart from
#: :data:`Decision`: a withdrawal is recorded by its own command, with its date and reason).
WITHDRAWN = "withdrawn"
#: What the ``decision`` of a recorded person reads once the state discontinued the admission
#: procedure (Art 9(11) of Regulation (EU) 2024/1350, read in the Official Journal text): recorded by
#: its own command, with its date, ground and reason; neither an admission nor a refusal.
DISCONTINUED = "discontinued"
#: The grounds on which a Member State discontinues an admission procedure (Art 9(11)): it *shall*
#: when the person withdrew their consent to be admitted (Art 7: expressly, or implicitly under Art
#: 7(2)); it *may* when it concludes that the persons admitted exceed its contribution to the Union
#: Plan (point (a)), that preference should be given to persons with particular protection needs or
#: vulnerabilities (point (b), Art 9(2)(c)), or that it cannot meet the time limits of Art 9(9) for
#: reasons beyond its control (point (c)). Their citations and words are in
#: :data:`pactum.resettlement.rules.DISCONTINUATION_GROUNDS`.
DiscontinuationGround = Literal["consent_withdrawn", "contribution_exceeded", "preference_to_vulnerable",
                                "time_limits_beyond_control"]
DISCONTINUATION_GROUND_CODES: tuple[str, ...] = get_args(DiscontinuationGround)
#: The grounds on which a Member State refuses to admit a person referred. One per point of
#: Art 6 of Regulation (EU) 2024/1350 (read in the Official Journal text, Italian version): the
#: first six are the points of Art 6(1), where admission *shall* be refused, the next four those of
#: Art 6(2), where it *may* be; their citations, words and whether they are mandatory are in
#: :data:`pactum.resettlement.rules.REFUSAL_GROUNDS`. ``other``: a conclusion not to admit the
#: Regulation's grounds do not cover, stated in ``refusal_reason``: a person found not to meet the
#: eligibility criteria or not within the scope of the Union Plan (Art 9(2) and (6): the
#: assessment covers Art 5 as well as Art 6), or a refusal under a pledging exercise, which ran
#: under national programmes before the Regulation applied (Art 6 does not govern it).
RefusalGround = Literal[
    "nationality_rights_elsewhere", "exclusion_crimes", "danger_to_public_order", "refusal_of_entry_alert",
    "protection_already_granted", "refused_by_a_member_state",
    "consent_not_given_or_withdrawn", "other_offence", "refused_orientation_programme",
    "vulnerability_support_lacking",
    "other",
]
REFUSAL_GROUND_CODES: tuple[str, ...] = get_args(RefusalGround)
#: The status (or residence permit) a Member State grants after a positive conclusion (Art 9(14) to
#: (18) of Regulation (EU) 2024/1350, read in the Official Journal text): refugee status or
#: subsidiary protection status (Art 9(15) for resettlement; Art 9(17) lets the state grant
#: international protection after a humanitarian admission too); a humanitarian status under
#: national law with rights and obligations equivalent to subsidiary protection (Art 9(17),
#: humanitarian admission only); a residence permit for a family member (Art 5(4)) who does not
#: qualify for protection in their own right (Art 9(16), resettlement; Art 9(18), humanitarian
#: admission). Their citations are in :data:`pactum.resettlement.rules.STATUSES`.
StatusGranted = Literal["refugee_status", "subsidiary_protection", "national_humanitarian_status",
                        "family_member_residence_permit"]
STATUS_CODES: tuple[str, ...] = get_args(StatusGranted)
#: Whether the state communicated to UNHCR the reason for a discontinuation (Art 9(11), third
#: subparagraph) or a negative conclusion (Art 9(13), second subparagraph): ``informed`` (on a day);
#: ``not_necessary`` (the text requires it only where UNHCR needs it for its referrals);
#: ``public_interest`` (compelling reasons of public interest to the contrary).
UnhcrInformed = Literal["informed", "not_necessary", "public_interest"]
UNHCR_INFORMED_CODES: tuple[str, ...] = get_args(UnhcrInformed)

#: The most places one figure may hold (the largest pledging exercise had 61,000).
MAX_PLACES = 1_000_000

CaseReference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40,
                                                 pattern=r"^[A-Za-z0-9][A-Za-z0-9/._-]*$")]


def alpha3(v: str) -> str:
    return country(v).alpha3


#: States a person is not resettled *from* (Art. 2: admission "from a third country"): the 27
#: Member States, Denmark included (a Member State, though not bound by the Regulation under
#: Protocol No 22), and, by Pactum's choice, Iceland, Liechtenstein, Norway and Switzerland, which
#: are in the Dublin area by agreement (a move between them is governed by the Dublin rules).
NOT_THIRD_COUNTRIES: dict[str, str] = {s.iso3: s.code for s in MEMBER_STATES.values()}
#: States that are not bound by Regulation (EU) 2024/1350 though UNHCR's EU27 or EU+ figures
#: count them: Denmark (Protocol No 22) and the four states associated with Dublin and Eurodac.
NOT_BOUND: dict[str, str] = {
    s.code: ("not bound by Regulation (EU) 2024/1350 (Protocol No 22)" if s.kind == "eu"
             else "associated with Dublin and Eurodac, not bound by Regulation (EU) 2024/1350")
    for s in MEMBER_STATES.values() if s.code == "DK" or s.kind == "associated"}


def first_asylum_country(v: str) -> str:
    """A country of first asylum: a third country by its ISO 3166 alpha-3 code (Kosovo, XKX,
    accepted). Statelessness (XXA) and "unknown" (XXX) are nationalities, not countries; a person
    in a Member State or a state associated with Dublin is not resettled from there."""
    code = v.strip().upper() if isinstance(v, str) else v
    if code in (STATELESS, UNKNOWN):
        raise ValueError(f"'{code}' ({country(code).name.lower()}) is a code for a nationality, not a country: "
                         "give the third country the person was displaced to (ISO 3166 alpha-3)")
    c = country(v)
    if c.alpha3 in NOT_THIRD_COUNTRIES:
        ms = MEMBER_STATES[NOT_THIRD_COUNTRIES[c.alpha3]]
        where = "a Member State of the EU" if ms.kind == "eu" else "associated with Dublin and Eurodac"
        raise ValueError(f"{c.name} ({c.alpha3}) is {where}: resettlement and humanitarian admission are "
                         "from a third country (Regulation (EU) 2024/1350, Art. 2)")
    return c.alpha3


def first_asylum_countries(v: list[str]) -> list[str]:
    """The countries of first asylum a plan targets, each once, in the order given."""
    out: list[str] = []
    for code in v:
        c = first_asylum_country(code)
        if c not in out:
            out.append(c)
    return out


def third_country_nationality(v: str) -> str:
    """A nationality of a person admitted: a third country, stateless (XXA) or unknown (XXX); not
    a Member State's (Art. 2: a third-country national or a stateless person)."""
    c = country(v)
    if c.alpha3 in NOT_THIRD_COUNTRIES and MEMBER_STATES[NOT_THIRD_COUNTRIES[c.alpha3]].kind == "eu":
        raise ValueError(f"{c.name} ({c.alpha3}) is a Member State: a person admitted is a third-country "
                         "national or stateless (Regulation (EU) 2024/1350, Art. 2)")
    return c.alpha3


def _written(v: str) -> str:
    if not v:
        raise ValueError("required")
    return v


#: Free text that, when given, must say something: blanks alone are "required", not "at least 1
#: character".
Written = Annotated[Text, AfterValidator(_written)]

#: The registry's person a case is about (``persons.id``, of the case's state): given when the platform
#: holds the person's registry record, so that the transmission to Eurodac (Art 9(24)) is the registry's
#: Eurodac record of the person (Regulation (EU) 2024/1358, Art 18(2), Art 19).
PersonId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(_In):
    first_year: int = Field(ge=2000, le=2100)
    last_year: int = Field(ge=2000, le=2100)
    kind: PlanKind = "union_plan"
    title: Written | None = Field(default=None, max_length=200)
    council_act_reference: Written | None = Field(default=None, max_length=120)
    council_act_date: date | None = None
    total_places: int = Field(ge=1, le=MAX_PLACES)
    resettlement: Annotated[int, Field(ge=0, le=MAX_PLACES)] | None = None
    humanitarian_admission: Annotated[int, Field(ge=0, le=MAX_PLACES)] | None = None
    emergency_admission: Annotated[int, Field(ge=0, le=MAX_PLACES)] | None = None
    first_asylum_countries: list[str] = Field(default_factory=list, max_length=100)
    regions: list[Annotated[Written, StringConstraints(max_length=120)]] = Field(
        default_factory=list, max_length=30)
    announced_states: Annotated[int, Field(ge=1, le=31)] | None = None
    source: Written | None = Field(default=None, max_length=2000)

    @field_validator("first_asylum_countries")
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        return first_asylum_countries(v)


class PlanClose(_In):
    version: int


class PlanAmend(_In):
    """The Commission completes or corrects a recorded plan (Art. 8): the Council implementing
    act, the split by category, the total and the plan's other particulars. Only the fields given
    change; ``null`` clears a field (a category then has no figure of its own). The years and the
    kind are the plan itself and are not changed here. ``version``: the version read; ``reason``:
    why, for the audit log (optional)."""

    version: int
    title: Written | None = Field(default=None, max_length=200)
    council_act_reference: Written | None = Field(default=None, max_length=120)
    council_act_date: date | None = None
    total_places: Annotated[int, Field(ge=1, le=MAX_PLACES)] | None = None
    resettlement: Annotated[int, Field(ge=0, le=MAX_PLACES)] | None = None
    humanitarian_admission: Annotated[int, Field(ge=0, le=MAX_PLACES)] | None = None
    emergency_admission: Annotated[int, Field(ge=0, le=MAX_PLACES)] | None = None
    first_asylum_countries: list[str] | None = Field(default=None, max_length=100)
    regions: list[Annotated[Written, StringConstraints(max_length=120)]] | None = Field(default=None, max_length=30)
    announced_states: Annotated[int, Field(ge=1, le=31)] | None = None
    source: Written | None = Field(default=None, max_length=2000)
    reason: Written | None = Field(default=None, max_length=1000)

    @field_validator("first_asylum_countries")
    @classmethod
    def _countries(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else first_asylum_countries(v)

    def changes(self) -> dict[str, object]:
        """The plan's fields this amendment gives (``None``: cleared), without version and reason."""
        return {k: getattr(self, k) for k in self.model_fields_set if k not in ("version", "reason")}


class PledgeLine(_In):
    category: Category
    first_asylum: str | None = None
    places: int = Field(ge=1, le=MAX_PLACES)

    @field_validator("first_asylum")
    @classmethod
    def _first_asylum(cls, v: str | None) -> str | None:
        return None if v is None or not v.strip() else first_asylum_country(v)


class PledgeIn(_In):
    """The whole pledge as it is to stand (it replaces the previous one); ``version`` is the
    version read, absent for a first pledge."""

    lines: list[PledgeLine] = Field(default_factory=list, max_length=200)
    version: int | None = None


class AdmissionIn(_In):
    case_reference: CaseReference
    nationality: str
    first_asylum: str
    category: Category
    procedure: Procedure
    referred_on: date
    #: The day the Member State registered the person (Art 9(3)): the procedure's periods run from
    #: it. Absent while the person is not registered yet (recorded later by an update).
    registered_on: date | None = None
    decision: Decision | None = None
    decided_on: date | None = None
    refusal_ground: RefusalGround | None = None
    refusal_reason: Written | None = Field(default=None, max_length=1000)
    arrived_on: date | None = None
    #: The ordinary procedure's time limit extended by the state (Art 9(9), second sentence): the
    #: day it decided so and why (complex issues of fact or law).
    extended_on: date | None = None
    extension_reason: Written | None = Field(default=None, max_length=1000)
    #: The registry's person the case is about, when the platform holds their record (a person of
    #: the state: refused otherwise, naming ``person_id``).
    person_id: PersonId | None = None

    _nationality = field_validator("nationality")(third_country_nationality)
    _first_asylum = field_validator("first_asylum")(first_asylum_country)


class AdmissionUpdate(_In):
    """What happened since: the registration by the state (Art 9(3)), the extension of the
    ordinary procedure's time limit (Art 9(9), second sentence: its day and reason), the decision
    (with its date and, for a refusal, its ground), the status granted after a positive conclusion
    (Art 9(15)-(18)), the arrival (Art 9(20)), or whether UNHCR was given the reason of a
    discontinuation or a refusal (Art 9(11), 9(13)). Only the fields given change; a
    recorded registration, extension, decision or arrival is not changed (it is corrected, with a
    reason)."""

    version: int
    registered_on: date | None = None
    decision: Decision | None = None
    decided_on: date | None = None
    refusal_ground: RefusalGround | None = None
    refusal_reason: Written | None = Field(default=None, max_length=1000)
    arrived_on: date | None = None
    extended_on: date | None = None
    extension_reason: Written | None = Field(default=None, max_length=1000)
    #: After a positive conclusion (Art 9(14)-(18)): the status granted and the day it was decided
    #: (before or after the person's entry).
    status_granted: StatusGranted | None = None
    status_decided_on: date | None = None
    #: After a discontinuation (Art 9(11), third subparagraph) or a refusal under a Union Plan (Art
    #: 9(13), second subparagraph): whether the reason was communicated to UNHCR, and when.
    unhcr_informed: UnhcrInformed | None = None
    unhcr_informed_on: date | None = None
    #: After a decision of Art 18(2) of Regulation (EU) 2024/1358 (a status granted, a refusal under
    #: Art 6(1)(f), a discontinuation for consent not given or withdrawn) under a Union Plan, from 12 June
    #: 2026 (Art 9(24)): the day the data were transmitted to Eurodac, or that the person is under six.
    eurodac_transmitted_on: date | None = None
    eurodac_under_six: bool | None = None
    #: Under a Union Plan, from 12 June 2026, after the registration (Art 9(3)) and at the latest
    #: before the conclusion: the day the biometric data were transmitted to Eurodac for comparison
    #: (Art 18(1) of Regulation (EU) 2024/1358; not stored there, Art 29(2)), or the state's statement
    #: that its negative conclusion was reached without a comparison (Art 18(1), second sentence).
    eurodac_compared_on: date | None = None
    eurodac_comparison_not_needed: bool | None = None
    #: The registry's person the case is about (a person of the state), when the platform holds their
    #: record: the transmission to Eurodac is then written as the registry's Eurodac record of the
    #: person (category ``union_resettlement``), which other states' comparisons reach.
    person_id: PersonId | None = None


class AdmissionCorrection(AdmissionUpdate):
    """A recorded registration, decision or arrival corrected by the state's officer, with the
    reason (audited): the fields of :class:`AdmissionUpdate`, but only the fields given change and
    ``null`` clears one (``"decision": null`` puts the person back to pending; ``"arrived_on":
    null`` removes an arrival recorded in error; ``"registered_on": null`` a registration, the
    clock then awaiting one)."""

    reason: Written = Field(max_length=1000)

    def changes(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.model_fields_set if k not in ("version", "reason")}


class AdmissionWithdrawal(_In):
    """A referral withdrawn (by UNHCR or the state) before a decision: the person no longer waits
    for one, takes no place and is never overdue. ``withdrawn_on``: the day it was withdrawn."""

    version: int
    withdrawn_on: date
    reason: Written = Field(max_length=1000)


class AdmissionErasure(_In):
    """A person referred recorded by mistake (a case that should never have been recorded: another
    state's person, a duplicate, a wrong person), erased by the state that recorded it, with the
    version read (the explicit statement: erasure cannot be undone) and the reason (audited). The
    case's Eurodac record, the registry's record that is its transmission, is erased with it
    (Regulation (EU) 2024/1358, Art 40(3), 40(5), 43(4))."""

    version: int
    reason: Written = Field(max_length=1000)


class AdmissionDiscontinuation(_In):
    """An admission procedure the state discontinued (Art 9(11)): before concluding on it, or, when
    the person withdrew their consent (Art 7(1)), after a positive conclusion and before their entry.
    The day, the ground (a point of Art 9(11)) and the facts in words. The person takes no place and
    the procedure is never overdue; the ground says what becomes of the person's data (Art 9(12))."""

    version: int
    discontinued_on: date
    ground: DiscontinuationGround
    reason: Written = Field(max_length=1000)
