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

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from pactum.common.countries import country
from pactum.common.text import Text

Category = Literal["resettlement", "humanitarian_admission", "emergency_admission"]
CATEGORIES: tuple[str, ...] = get_args(Category)
CATEGORY_LABELS = {"resettlement": "Resettlement", "humanitarian_admission": "Humanitarian admission",
                   "emergency_admission": "Emergency admission"}
PlanKind = Literal["union_plan", "pledging_exercise"]
KIND_LABELS = {"union_plan": "Union Plan (Art. 8)", "pledging_exercise": "Pledging exercise (before the Regulation)"}
Procedure = Literal["ordinary", "expedited"]
Decision = Literal["admitted", "refused"]
#: ``irregular_stay_or_entry``: irregular stay or entry in the Member States within the look-back
#: period (``resettlement.exclusion.irregular_stay_lookback``, unverified); ``other``: any other
#: ground the national decision states, written out in ``refusal_reason``.
RefusalGround = Literal["irregular_stay_or_entry", "other"]
GROUND_LABELS = {"irregular_stay_or_entry": "Irregular stay or entry within the look-back period",
                 "other": "Other ground (stated)"}

#: The most places one figure may hold (the largest pledging exercise had 61,000).
MAX_PLACES = 1_000_000

CaseReference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40,
                                                 pattern=r"^[A-Za-z0-9][A-Za-z0-9/._-]*$")]


def alpha3(v: str) -> str:
    return country(v).alpha3


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(_In):
    first_year: int = Field(ge=2000, le=2100)
    last_year: int = Field(ge=2000, le=2100)
    kind: PlanKind = "union_plan"
    title: Text | None = Field(default=None, min_length=1, max_length=200)
    council_act_reference: Text | None = Field(default=None, min_length=1, max_length=120)
    council_act_date: date | None = None
    total_places: int = Field(ge=1, le=MAX_PLACES)
    resettlement: int | None = Field(default=None, ge=0, le=MAX_PLACES)
    humanitarian_admission: int | None = Field(default=None, ge=0, le=MAX_PLACES)
    emergency_admission: int | None = Field(default=None, ge=0, le=MAX_PLACES)
    first_asylum_countries: list[str] = Field(default_factory=list, max_length=100)
    regions: list[Annotated[Text, StringConstraints(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=30)
    announced_states: int | None = Field(default=None, ge=1, le=31)
    source: Text | None = Field(default=None, min_length=1, max_length=2000)

    @field_validator("first_asylum_countries")
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for code in v:
            c = alpha3(code)
            if c not in out:
                out.append(c)
        return out


class PlanClose(_In):
    version: int


class PledgeLine(_In):
    category: Category
    first_asylum: str | None = None
    places: int = Field(ge=1, le=MAX_PLACES)

    @field_validator("first_asylum")
    @classmethod
    def _first_asylum(cls, v: str | None) -> str | None:
        return None if v is None or not v.strip() else alpha3(v)


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
    decision: Decision | None = None
    decided_on: date | None = None
    refusal_ground: RefusalGround | None = None
    irregular_on: date | None = None
    refusal_reason: Text | None = Field(default=None, min_length=1, max_length=1000)
    arrived_on: date | None = None

    _codes = field_validator("nationality", "first_asylum")(alpha3)


class AdmissionUpdate(_In):
    """What happened since: the decision (with its date and, for a refusal, its ground) or the
    arrival. Only the fields given change; a recorded decision or arrival is not changed."""

    version: int
    decision: Decision | None = None
    decided_on: date | None = None
    refusal_ground: RefusalGround | None = None
    irregular_on: date | None = None
    refusal_reason: Text | None = Field(default=None, min_length=1, max_length=1000)
    arrived_on: date | None = None
