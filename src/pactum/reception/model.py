"""What a Member State reports: places and persons accommodated by type of facility on a date,
the applicants entitled to reception conditions who are not accommodated, and its contingency
plan. The JSON contracts of the area (API bodies, CLI files, CSV columns) are these models.

The figures are flat (``open_places``, ``open_accommodated``, ...) so that the JSON body, the CSV
header and the web form name each figure the same way, and a refusal names the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from pactum.common.limits import INTEGER_COLUMN_MAX
from pactum.common.text import Text


@dataclass(frozen=True)
class FacilityType:
    """A type of facility with its legal basis under each instrument: ``legal_basis`` from the
    date Directive (EU) 2024/1346 (and the Pact) applies, ``legal_basis_2013`` before it
    (Directive 2013/33/EU). :func:`pactum.reception.rules.facility_basis` picks by the report's date."""

    code: str
    label: str
    what: str
    legal_basis: str
    legal_basis_2013: str


#: The types of facility a report counts, in the order the pages show them. DOMAIN.md covers
#: neither Directive (EU) 2024/1346 nor Directive 2013/33/EU: the article numbers given were read
#: in their texts (Italian versions, 2026-12-01). Directive (EU) 2024/1346: Article 19 (general
#: provisions on material reception conditions), Article 20(1) (housing in kind: (a) premises at the
#: border or in transit zones, (b) reception centres, (c) private houses, flats, hotels or other
#: premises), Articles 24 to 27 (special reception needs, their assessment, minors, unaccompanied
#: minors), Article 10 (detention); Regulation (EU) 2024/1348, Articles 46 to 49 (adequate capacity
#: of the border procedure) and 54 (locations of the border procedure).
FACILITY_TYPES: tuple[FacilityType, ...] = (
    FacilityType("initial", "Arrival and initial reception",
                 "first accommodation after arrival or disembarkation, during screening and registration",
                 "Directive (EU) 2024/1346, Articles 19 and 20",
                 "Directive 2013/33/EU, Articles 17 and 18"),
    FacilityType("open", "Open accommodation",
                 "reception centres and other accommodation applicants may leave",
                 "Directive (EU) 2024/1346, Article 20(1)(b) and (c)",
                 "Directive 2013/33/EU, Article 18(1)(b)"),
    FacilityType("minors", "Facilities for unaccompanied minors",
                 "places suited to unaccompanied minors (and special reception needs)",
                 "Directive (EU) 2024/1346, Articles 24 to 27",
                 "Directive 2013/33/EU, Articles 22 to 24"),
    FacilityType("border", "Border and transit facilities",
                 "places where applicants stay during the border procedure",
                 "Regulation (EU) 2024/1348, Articles 46 to 49 (adequate capacity of the border procedure) "
                 "and 54, and Directive (EU) 2024/1346, Article 20(1)(a)",
                 "Directive 2013/33/EU, Article 18(1)(a), and Directive 2013/32/EU, Article 43"),
    FacilityType("detention", "Detention",
                 "detention of applicants on a ground the governing law allows",
                 "Directive (EU) 2024/1346, Article 10",
                 "Directive 2013/33/EU, Article 8"),
)
TYPE_CODES: tuple[str, ...] = tuple(t.code for t in FACILITY_TYPES)
TYPES_BY_CODE = {t.code: t for t in FACILITY_TYPES}

#: The figures of applicants entitled to material reception conditions but not accommodated.
NOT_ACCOMMODATED: tuple[tuple[str, str], ...] = (
    ("private_housing", "In private housing (with an allowance or on their own means)"),
    ("waiting_list", "Waiting for a place (entitled, not yet accommodated)"),
)

#: Every figure of a report, as the JSON body, the CSV header and the form name it.
FIGURES: tuple[str, ...] = tuple(
    f"{code}_{what}" for code in TYPE_CODES for what in ("places", "accommodated")
) + tuple(name for name, _ in NOT_ACCOMMODATED)

ContingencyPlan = Literal["none", "in_place", "activated"]
CONTINGENCY_LABELS: dict[str, str] = {
    "none": "No contingency plan",
    "in_place": "Contingency plan in place",
    "activated": "Contingency plan activated",
}
Period = Literal["week", "month"]
PERIOD_LABELS = {"week": "weekly", "month": "monthly"}


def _not_negative(value: int) -> int:
    if value < 0:
        raise ValueError("cannot be negative: a number of places or persons is 0 or more")
    return value


#: A count of places or persons: 0 or more, within the stores' integer column.
Count = Annotated[int, Field(le=INTEGER_COLUMN_MAX), AfterValidator(_not_negative)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Figures(_In):
    """Places and persons accommodated by type of facility, and applicants not accommodated.
    Occupancy above capacity is accepted (it happens, and is what the report must show) and
    flagged; a negative number is refused."""

    initial_places: Count = 0
    initial_accommodated: Count = 0
    open_places: Count = 0
    open_accommodated: Count = 0
    minors_places: Count = 0
    minors_accommodated: Count = 0
    border_places: Count = 0
    border_accommodated: Count = 0
    detention_places: Count = 0
    detention_accommodated: Count = 0
    private_housing: Count = 0
    waiting_list: Count = 0
    contingency_plan: ContingencyPlan = "none"
    note: Text | None = Field(default=None, max_length=2000)


class ReportCreate(Figures):
    """A state's report of its reception capacity and occupancy on ``reported_on``. The state is
    the reporting user's own."""

    reported_on: date
    period: Period = "week"


def _required_text(value: str) -> str:
    if not value:  # a PydanticCustomError is said as written, without "Value error, " (CLI included)
        raise PydanticCustomError("required", "required: say why the report is corrected")
    return value


#: What a correction may change: the figures, the contingency plan and the note.
CORRECTABLE: tuple[str, ...] = (*FIGURES, "contingency_plan", "note")


class ReportCorrection(_In):
    """A correction of a report: the figures (and plan, note) it changes, the version corrected,
    and why. A figure left out keeps its value (a correction of the waiting list names the waiting
    list only); ``"note": null`` or ``""`` clears the note. ``changes()`` gives what it names."""

    initial_places: Count | None = None
    initial_accommodated: Count | None = None
    open_places: Count | None = None
    open_accommodated: Count | None = None
    minors_places: Count | None = None
    minors_accommodated: Count | None = None
    border_places: Count | None = None
    border_accommodated: Count | None = None
    detention_places: Count | None = None
    detention_accommodated: Count | None = None
    private_housing: Count | None = None
    waiting_list: Count | None = None
    contingency_plan: ContingencyPlan | None = None
    note: Text | None = Field(default=None, max_length=2000)
    version: int
    reason: Annotated[Text, AfterValidator(_required_text)] = Field(max_length=2000)

    #: Not correctable: a report's date and period are what it is. A report typed with the wrong
    #: day or period is withdrawn and the right one recorded; naming either here is refused with
    #: that said (rather than as an unknown field). Not part of the schema.
    reported_on: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    period: SkipJsonSchema[Any] = Field(default=None, exclude=True)

    @field_validator("reported_on", "period", mode="before")
    @classmethod
    def _not_correctable(cls, value: object) -> object:
        # A default (left out) is not validated: this runs only for a value given.
        raise PydanticCustomError("not_correctable", "a correction changes the figures, plan and note, not "
                                  "the report's date or period: withdraw the report and record the right one")

    @field_validator(*FIGURES, "contingency_plan", mode="before")
    @classmethod
    def _given_means_a_value(cls, value: object) -> object:
        # A default (left out) is not validated: this runs only for a value given, null included.
        if value is None:
            raise PydanticCustomError("null", "give the value it should have, or leave it out to keep it")
        return value

    def changes(self) -> dict[str, object]:
        """The figures, plan and note this correction names, as they should be (a blank note: None)."""
        out: dict[str, object] = {name: getattr(self, name) for name in CORRECTABLE if name in self.model_fields_set}
        if "note" in out:
            out["note"] = out["note"] or None
        return out


def _required_withdrawal_reason(value: str) -> str:
    if not value:
        raise PydanticCustomError("required", "required: say why the report is withdrawn")
    return value


class ReportWithdrawal(_In):
    """The withdrawal of a report (typed with the wrong date or period, or never due): the version
    withdrawn and why. The report then counts nowhere; the right one is recorded anew."""

    version: int
    reason: Annotated[Text, AfterValidator(_required_withdrawal_reason)] = Field(max_length=2000)


def figures_of(values: dict[str, object]) -> dict[str, int]:
    """The figures of a row or a model dump, as whole numbers, in :data:`FIGURES` order."""
    return {name: int(values.get(name) or 0) for name in FIGURES}  # type: ignore[call-overload]
