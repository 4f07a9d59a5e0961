"""What a Member State reports: places and persons accommodated by type of facility on a date,
the applicants entitled to reception conditions who are not accommodated, and its contingency
plan. The JSON contracts of the area (API bodies, CLI files, CSV columns) are these models.

The figures are flat (``open_places``, ``open_accommodated``, ...) so that the JSON body, the CSV
header and the web form name each figure the same way, and a refusal names the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from pactum.common.limits import INTEGER_COLUMN_MAX
from pactum.common.text import Text


@dataclass(frozen=True)
class FacilityType:
    code: str
    label: str
    what: str
    legal_basis: str


#: The types of facility a report counts, in the order the pages show them. DOMAIN.md does not
#: cover Directive (EU) 2024/1346: its article numbers are marked unverified, or not given.
FACILITY_TYPES: tuple[FacilityType, ...] = (
    FacilityType("initial", "Arrival and initial reception",
                 "first accommodation after arrival or disembarkation, during screening and registration",
                 "Directive (EU) 2024/1346, material reception conditions (article not verified)"),
    FacilityType("open", "Open accommodation",
                 "reception centres and other accommodation applicants may leave",
                 "Directive (EU) 2024/1346, modalities of material reception conditions (article not verified)"),
    FacilityType("minors", "Facilities for unaccompanied minors",
                 "places suited to unaccompanied minors (and special reception needs)",
                 "Directive (EU) 2024/1346, unaccompanied minors and special reception needs (articles not verified)"),
    FacilityType("border", "Border and transit facilities",
                 "places where applicants stay during the border procedure",
                 "Regulation (EU) 2024/1348, Articles 46 to 49 (adequate capacity of the border procedure)"),
    FacilityType("detention", "Detention",
                 "detention of applicants on a ground of Article 10",
                 "Directive (EU) 2024/1346, Article 10 (unverified); before 12 June 2026 Directive 2013/33/EU, Article 8"),
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


class ReportCorrection(Figures):
    """A correction of a report: every figure as it should be, the version corrected, and why."""

    version: int
    reason: Text = Field(min_length=1, max_length=2000)


def figures_of(values: dict[str, object]) -> dict[str, int]:
    """The figures of a row or a model dump, as whole numbers, in :data:`FIGURES` order."""
    return {name: int(values.get(name) or 0) for name in FIGURES}  # type: ignore[call-overload]
