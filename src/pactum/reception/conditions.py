"""Decisions on one applicant's material reception conditions: a reduction or withdrawal under
Directive (EU) 2024/1346, Article 23 (from 12 June 2026) or Directive 2013/33/EU, Article 20
(before it), and the applicant's not being entitled to reception conditions in a Member State other
than the one where they are required to be present (Directive (EU) 2024/1346, Article 21).

Read in the texts (Italian versions, 2026-12-01):

- Directive (EU) 2024/1346, Article 23(1): for applicants required to be present on their territory
  under Regulation (EU) 2024/1351, Article 17(4), Member States may reduce or withdraw the daily
  expenses allowance; where duly justified and proportionate they may also (a) reduce other
  material reception conditions or (b), where paragraph 2(e) applies, withdraw them. Article 23(2):
  the grounds (a) to (f). Article 23(3): where a decision rests on (a), (b) or (f) and its
  circumstances cease, the state assesses restoring all or part of the conditions; where not all
  are restored, a duly reasoned decision is notified. Article 23(4): objective, impartial, on the
  merits of the individual case, reasoned, on the applicant's particular situation (special
  reception needs above all), proportionate; access to health care under Article 22 and a standard
  of living in accordance with Union law, the Charter included, and international obligations, for
  all applicants. Article 23(5): no reduction or withdrawal before a decision is taken.
- Directive (EU) 2024/1346, Article 21: from the notification of a transfer decision to the
  responsible Member State under Regulation (EU) 2024/1351, applicants are not entitled to the
  reception conditions of Articles 17 to 20 in any Member State other than the one where they are
  required to be present, subject to a standard of living in accordance with Union law, the
  Charter included, and international obligations. Article 22(1): the necessary health care,
  wherever they are required to be present.
- Directive 2013/33/EU, Article 20: reduce or, in exceptional and duly justified cases, withdraw
  material reception conditions on the grounds of paragraph 1 (a) to (c) (with a duly motivated
  decision on reinstatement when the applicant is traced or reports voluntarily, for (a) and (b)),
  reduce them on the ground of paragraph 2, reduce or withdraw them on the ground of paragraph 3,
  and sanctions for the breaches of paragraph 4; paragraph 5: individual, objective, impartial and
  reasoned decisions, proportionate, health care under Article 19 and a dignified standard of
  living for all applicants; paragraph 6: no reduction or withdrawal before the decision.

Our reading (not in the articles read): a sanction under Directive 2013/33/EU, Article 20(4), is
recorded as a reduction only, never a withdrawal (the Court of Justice, Haqbin, C-233/18, 2019,
held that a sanction may not withdraw, even temporarily, housing, food or clothing). Neither
Article 23 nor Article 20 provides replacing allowances by provision in kind: the platform records
no such measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from pactum.common.text import Text
from pactum.reception import params

NEW = "Directive (EU) 2024/1346"
OLD = "Directive 2013/33/EU"

Measure = Literal["reduce", "withdraw", "not_entitled"]
Conditions = Literal["daily_expenses_allowance", "other_conditions"]
Restoration = Literal["all", "part"]

MEASURE_LABELS = {
    "reduce": "Reduced",
    "withdraw": "Withdrawn",
    "not_entitled": "Not entitled (present in another Member State than the one required)",
}
CONDITIONS_LABELS = {
    "daily_expenses_allowance": "Daily expenses allowance",
    "other_conditions": "Other material reception conditions",
    "articles_17_to_20": "Reception conditions of Articles 17 to 20",
}


@dataclass(frozen=True)
class Ground:
    """A ground of Article 23(2) (or of Directive 2013/33/EU, Article 20) with its citation, and
    what it allows: ``withdraw_allowance`` (the daily expenses allowance, or under Directive
    2013/33/EU the material reception conditions), ``withdraw_other`` (the other conditions)."""

    code: str
    regime: str
    label: str
    citation: str
    withdraw_allowance: bool
    withdraw_other: bool
    #: Where its circumstances cease the state assesses restoring the conditions: the citation.
    restoration: str | None = None


_A23 = f"{NEW}, Article 23"
GROUNDS: tuple[Ground, ...] = (
    Ground("23_2_a", NEW, "left the geographical area (Article 8) or the specific place of residence (Article 9) "
           "without permission, or absconded", f"{_A23}(2)(a)", True, False, f"{_A23}(3)"),
    Ground("23_2_b", NEW, "does not cooperate with the competent authorities or does not comply with the "
           "procedural requirements they set", f"{_A23}(2)(b)", True, False, f"{_A23}(3)"),
    Ground("23_2_c", NEW, "made a subsequent application (Regulation (EU) 2024/1348, Article 3(19))",
           f"{_A23}(2)(c)", True, False),
    Ground("23_2_d", NEW, "concealed financial resources and so unduly benefited from material reception conditions",
           f"{_A23}(2)(d)", True, False),
    Ground("23_2_e", NEW, "seriously or repeatedly breached the rules of the accommodation centre or behaved in a "
           "violent or threatening manner in it", f"{_A23}(2)(e)", True, True),
    Ground("23_2_f", NEW, "failed to take part in compulsory integration measures the state provides or promotes, "
           "with no circumstances beyond the applicant's control", f"{_A23}(2)(f)", True, False, f"{_A23}(3)"),
    Ground("2013_20_1_a", OLD, "abandoned the place of residence determined by the competent authority without "
           "informing it or, where requested, without permission", f"{OLD}, Article 20(1)(a)", True, True,
           f"{OLD}, Article 20(1), second subparagraph"),
    Ground("2013_20_1_b", OLD, "did not comply with reporting duties or with requests to provide information or to "
           "appear for personal interviews", f"{OLD}, Article 20(1)(b)", True, True,
           f"{OLD}, Article 20(1), second subparagraph"),
    Ground("2013_20_1_c", OLD, "lodged a subsequent application (Directive 2013/32/EU, Article 2(q))",
           f"{OLD}, Article 20(1)(c)", True, True),
    Ground("2013_20_2", OLD, "did not lodge the application as soon as reasonably practicable after arrival, "
           "without a justifiable reason (reduction only)", f"{OLD}, Article 20(2)", False, False),
    Ground("2013_20_3", OLD, "concealed financial resources and so unduly benefited from material reception "
           "conditions", f"{OLD}, Article 20(3)", True, True),
    Ground("2013_20_4", OLD, "seriously breached the rules of the accommodation centre or behaved in a seriously "
           "violent way (a sanction: reduction only, our reading)", f"{OLD}, Article 20(4)", False, False),
)
GROUNDS_BY_CODE = {g.code: g for g in GROUNDS}

ART21_BASIS = f"{NEW}, Article 21; Regulation (EU) 2024/1351, Article 17(4)"
#: What every decision keeps, by the instrument governing it.
GUARANTEES = {
    NEW: f"access to health care under {NEW}, Article 22, and a standard of living in accordance with Union law, "
         "the Charter included, and international obligations (Article 23(4))",
    OLD: f"access to health care under {OLD}, Article 19, and a dignified standard of living for all applicants "
         "(Article 20(5))",
}
ART21_GUARANTEES = (f"a standard of living in accordance with Union law, the Charter included, and international "
                    f"obligations ({NEW}, Article 21), and the necessary health care wherever the applicant is "
                    "required to be present (Article 22(1))")
DECISION_REQUIREMENT = {
    NEW: f"{NEW}, Article 23(4) and (5)",
    OLD: f"{OLD}, Article 20(5) and (6)",
}


def regime(on: date) -> str:
    """The instrument governing a decision taken on ``on``: Directive (EU) 2024/1346 from
    ``reception.pact_from`` (12 June 2026), Directive 2013/33/EU before it."""
    return NEW if params.directive_applies(on) else OLD


def grounds_of(on: date) -> tuple[Ground, ...]:
    """The grounds a decision taken on ``on`` may rest on."""
    r = regime(on)
    return tuple(g for g in GROUNDS if g.regime == r)


def allowed(ground: Ground, measure: str, conditions: str) -> bool:
    """Whether ``ground`` allows ``measure`` of ``conditions``: a reduction always; a withdrawal of
    the daily expenses allowance on every ground of Article 23(2) (Article 23(1), first
    subparagraph), of the other conditions only on ground (e) (second subparagraph, point (b));
    under Directive 2013/33/EU, on the grounds of Article 20(1) and (3), not (2) nor (4)."""
    if measure == "reduce":
        return True
    if ground.regime == OLD:
        return ground.withdraw_allowance
    return ground.withdraw_other if conditions == "other_conditions" else ground.withdraw_allowance


def measure_basis(ground: Ground, measure: str, conditions: str) -> str:
    """The citation of the measure and its ground."""
    if ground.regime == OLD:
        return ground.citation
    if conditions == "daily_expenses_allowance":
        return f"{_A23}(1), first subparagraph, and {ground.citation.removeprefix(NEW + ', ')}"
    point = "(a)" if measure == "reduce" else "(b)"
    return f"{_A23}(1), second subparagraph, point {point}, and {ground.citation.removeprefix(NEW + ', ')}"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _required(what: str):  # type: ignore[no-untyped-def]
    def check(value: str) -> str:
        if not value:
            raise PydanticCustomError("required", f"required: {what}")
        return value
    return check


Assessment = Annotated[Text, AfterValidator(_required(
    "the individual assessment of the applicant's particular situation, special reception needs included"))]
Reasons = Annotated[Text, AfterValidator(_required("the reasons of the decision, given in writing"))]
LiftReason = Annotated[Text, AfterValidator(_required("say why the conditions are restored"))]


class ConditionsDecisionCreate(_In):
    """A decision on one applicant's material reception conditions, recorded by a caseworker of
    the applicant's Member State. ``case_id`` (an asylum case of the state) or ``person_id`` (a
    person registered in the state), or both when they agree. ``measure`` ``reduce`` or
    ``withdraw`` with ``conditions`` and a ``ground``; ``not_entitled`` (Article 21) with
    ``required_state`` and the day the transfer decision was notified as ``decided_on``."""

    case_id: str | None = Field(default=None, max_length=40)
    person_id: str | None = Field(default=None, max_length=40)
    measure: Measure
    conditions: Conditions | None = None
    ground: str | None = Field(default=None, max_length=20)
    required_state: str | None = Field(default=None, max_length=20)
    decided_on: date
    effective_from: date | None = None
    individual_assessment: Assessment = Field(max_length=4000)
    reasons: Reasons = Field(max_length=4000)
    health_care_ensured: bool = False
    standard_of_living_ensured: bool = False


class ConditionsLifting(_In):
    """The end of a decision: the conditions restored (``all`` or ``part``) on ``lifted_on``, why,
    and the version ended (409 when it changed since)."""

    version: int
    lifted_on: date
    restoration: Restoration = "all"
    reason: LiftReason = Field(max_length=4000)


def check_decision(body: ConditionsDecisionCreate, own_state: str, today: date,
                   first_day: date) -> list[tuple[str, str]]:
    """Every problem of ``body`` a caseworker must fix, each naming its field: the date (not after
    today, nor before ``first_day``), the ground the governing instrument gives and the measure it
    allows, the Article 21 case (from 12 June 2026, another state required), the day it takes
    effect (not before the decision: Article 23(5)) and the guarantees kept whatever the decision."""
    out: list[tuple[str, str]] = []
    on = body.decided_on
    if on > today:
        out.append(("decided_on", f"{on.isoformat()} is after today ({today.isoformat()}): record a decision "
                                  "taken, on the day it was taken"))
    elif on < first_day:
        out.append(("decided_on", f"{on.isoformat()} is before {first_day.isoformat()}, the first day of "
                                  f"{OLD}, the earliest reception law the platform applies"))
    if body.case_id is None and body.person_id is None:
        out.append(("person_id", "required: the applicant's person id or asylum case id (case_id)"))
    law = regime(on)
    if body.measure == "not_entitled":
        if law != NEW:
            out.append(("measure", f"{on.isoformat()} is before 12 June 2026: {NEW}, Article 21 (no entitlement "
                                   "in a state other than the one required) does not apply; under "
                                   f"{OLD} the state where the applicant is kept reception conditions "
                                   "until the transfer (our reading)"))
        if not body.required_state:
            out.append(("required_state", "required: the Member State where the applicant is required to be "
                                          "present (Regulation (EU) 2024/1351, Article 17(4))"))
        elif body.required_state.upper() == own_state:
            out.append(("required_state", f"{own_state} is the state recording the decision: Article 21 concerns "
                                          "an applicant present in a state other than the one required"))
        if body.ground is not None:
            out.append(("ground", "an Article 21 decision rests on the notified transfer decision, not on a "
                                  "ground of Article 23(2): leave it out"))
        if body.conditions is not None:
            out.append(("conditions", "an Article 21 decision covers the reception conditions of Articles 17 "
                                      "to 20: leave it out"))
    else:
        if body.required_state is not None:
            out.append(("required_state", "only an Article 21 decision (measure not_entitled) names the state "
                                          "where the applicant is required to be present"))
        if body.conditions is None:
            out.append(("conditions", "required: daily_expenses_allowance or other_conditions"))
        ground = GROUNDS_BY_CODE.get(body.ground or "")
        if body.ground is None:
            out.append(("ground", "required: " + ", ".join(g.code for g in grounds_of(on))))
        elif ground is None:
            out.append(("ground", f"no ground '{body.ground[:20]}': give one of "
                                  + ", ".join(g.code for g in grounds_of(on))))
        elif ground.regime != law:
            out.append(("ground", f"{ground.citation} does not govern a decision of {on.isoformat()} ({law} "
                                  "does): give one of " + ", ".join(g.code for g in grounds_of(on))))
        elif body.conditions is not None and not allowed(ground, body.measure, body.conditions):
            if law == NEW:
                why = ("other material reception conditions are withdrawn only on ground (e), Article 23(1), "
                       "second subparagraph, point (b); reduce them, or withdraw the daily expenses allowance")
            else:
                why = f"{ground.citation} allows a reduction only"
            out.append(("measure", why))
    if body.effective_from is not None and body.effective_from < on:
        out.append(("effective_from", "before the decision: conditions are not reduced or withdrawn before the "
                                      f"decision is taken ({DECISION_REQUIREMENT[law]})"))
    guarantees = ART21_GUARANTEES if body.measure == "not_entitled" else GUARANTEES[law]
    if not body.health_care_ensured:
        out.append(("health_care_ensured", f"whatever the decision the state keeps {guarantees}: confirm "
                                           "access to health care"))
    if not body.standard_of_living_ensured:
        out.append(("standard_of_living_ensured", f"whatever the decision the state keeps {guarantees}: "
                                                  "confirm the standard of living"))
    return out


def check_lifting(body: ConditionsLifting, decided_on: date, today: date) -> list[tuple[str, str]]:
    """The restoration is dated from the decision to today."""
    out: list[tuple[str, str]] = []
    if body.lifted_on > today:
        out.append(("lifted_on", f"{body.lifted_on.isoformat()} is after today ({today.isoformat()}): record the "
                                 "restoration on the day it was decided"))
    elif body.lifted_on < decided_on:
        out.append(("lifted_on", f"{body.lifted_on.isoformat()} is before the decision ({decided_on.isoformat()})"))
    return out


def decision_basis(measure: str, conditions: str | None, ground_code: str | None) -> str:
    """The citation of a recorded decision."""
    if measure == "not_entitled":
        return ART21_BASIS
    ground = GROUNDS_BY_CODE[ground_code or ""]
    return measure_basis(ground, measure, conditions or "other_conditions")


def lifting_basis(measure: str, ground_code: str | None, restoration: str) -> str:
    """What the restoration follows: Article 23(3) for grounds (a), (b), (f) (a duly reasoned decision
    when not all the conditions are restored); Directive 2013/33/EU, Article 20(1), second
    subparagraph, for its grounds (a), (b); otherwise the state's own review (our reading)."""
    if measure == "not_entitled":
        return f"{NEW}, Article 21 (the applicant is no longer present in a state other than the one required: our reading)"
    ground = GROUNDS_BY_CODE[ground_code or ""]
    if ground.restoration is None:
        return f"review of the decision under {ground.citation} (our reading: the text sets no restoration rule)"
    if restoration == "part":
        return f"{ground.restoration}: a duly reasoned decision restoring part of the conditions, notified to the applicant"
    return ground.restoration
