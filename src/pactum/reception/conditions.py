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
- Regulation (EU) 2024/1351, Article 17(4): the applicant is required to be present (a) in the state
  of application pending the determination and, where applicable, the implementation of the
  transfer procedure, (b) in the state responsible, (c) in the state of relocation. Article 18(1):
  provided the applicant was informed, no entitlement to the reception conditions of Articles 17 to
  20 of the Directive in any state other than the one required under Article 17(4) from the
  notification of the transfer decision to the state responsible (a standard of living in
  accordance with Union law, the Charter included, and international obligations kept); (3) not
  where there are reasonable grounds to believe a trafficking offence was committed against the
  applicant; (4) the individual situation, proportionate measures. The platform checks the
  transfer decision (:mod:`pactum.services.reception_conditions`); the rest is the caseworker's
  assessment.
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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import JsonDict

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


#: The longest free text (assessment, reasons) and the longest id, reference or code a body holds.
TEXT_MAX = 4000
ID_MAX = 40
SHORT_MAX = 20


def _enum(values: Iterable[str], optional: bool = False) -> JsonDict:
    """The values the OpenAPI schema lists for a field checked by :func:`check_decision` (and null
    for an ``optional`` one)."""
    return {"enum": [*values, *([None] if optional else [])]}


class ConditionsDecisionCreate(_In):
    """A decision on one applicant's material reception conditions, recorded by a caseworker of
    the applicant's Member State. ``case_id`` (an asylum case of the state) or ``person_id`` (a
    person registered in the state), or both when they agree. ``measure`` ``reduce`` or
    ``withdraw`` with ``conditions`` and a ``ground``; ``not_entitled`` (Article 21) with
    ``required_state`` and the day the transfer decision was notified as ``decided_on``.

    Only a value of the wrong type (not text, not a day, not true or false) is refused before the
    rest: what is missing, too long or not one of the values listed is said by
    :func:`check_decision` together with the law's checks, every problem in one answer."""

    case_id: Text | None = None
    person_id: Text | None = None
    measure: Text = Field(json_schema_extra=_enum(MEASURE_LABELS))
    conditions: Text | None = Field(default=None, json_schema_extra=_enum(("daily_expenses_allowance",
                                                                          "other_conditions"), optional=True))
    ground: Text | None = None
    required_state: Text | None = None
    decided_on: date
    effective_from: date | None = None
    individual_assessment: Text = ""
    reasons: Text = ""
    health_care_ensured: bool = False
    standard_of_living_ensured: bool = False


class ConditionsLifting(_In):
    """The end of a decision: the conditions restored (``all`` or ``part``) on ``lifted_on``, why,
    and the version ended (409 when it changed since). A reason missing or too long, or a
    restoration not ``all`` nor ``part``, is said with the date's problems (:func:`check_lifting`)."""

    version: int
    lifted_on: date
    restoration: Text = Field(default="all", json_schema_extra=_enum(("all", "part")))
    reason: Text = ""


def _text_problems(field: str, value: str | None, required: str | None, limit: int) -> list[tuple[str, str]]:
    if not value:
        return [(field, f"required: {required}")] if required else []
    if len(value) > limit:
        return [(field, f"at most {limit} characters (now {len(value)})")]
    return []


def check_decision(body: ConditionsDecisionCreate, own_state: str, today: date,
                   first_day: date) -> list[tuple[str, str]]:
    """Every problem of ``body`` a caseworker must fix, each naming its field: the date (not after
    today, nor before ``first_day``), the ground the governing instrument gives and the measure it
    allows, the Article 21 case (from 12 June 2026, another state required), the day it takes
    effect (not before the decision: Article 23(5)) and the guarantees kept whatever the decision."""
    out: list[tuple[str, str]] = []
    for field in ("case_id", "person_id"):
        out += _text_problems(field, getattr(body, field), None, ID_MAX)
    if body.measure not in MEASURE_LABELS:
        out.append(("measure", "one of " + ", ".join(MEASURE_LABELS) if body.measure else
                    "required: " + ", ".join(MEASURE_LABELS)))
    if body.conditions is not None and body.conditions not in ("daily_expenses_allowance", "other_conditions"):
        out.append(("conditions", "daily_expenses_allowance or other_conditions"))
    for field in ("ground", "required_state"):
        out += _text_problems(field, getattr(body, field), None, SHORT_MAX)
    out += _text_problems("individual_assessment", body.individual_assessment, "the individual assessment of the "
                          "applicant's particular situation, special reception needs included", TEXT_MAX)
    out += _text_problems("reasons", body.reasons, "the reasons of the decision, given in writing", TEXT_MAX)
    known = {f for f, _ in out}
    on = body.decided_on
    if on > today:
        out.append(("decided_on", f"{on.isoformat()} is after today ({today.isoformat()}): record a decision "
                                  "taken, on the day it was taken"))
    elif on < first_day:
        out.append(("decided_on", f"{on.isoformat()} is before {first_day.isoformat()}, the first day of "
                                  f"{OLD}, the earliest reception law the platform applies"))
    if not body.case_id and not body.person_id:
        out.append(("person_id", "required: the applicant's person id or asylum case id (case_id)"))
    law = regime(on)
    if body.measure == "not_entitled":
        if law != NEW:
            out.append(("measure", f"{on.isoformat()} is before 12 June 2026: {NEW}, Article 21 (no entitlement "
                                   "in a state other than the one required) does not apply; under "
                                   f"{OLD} the state where the applicant is kept reception conditions "
                                   "until the transfer (our reading)"))
        if "required_state" in known:
            pass
        elif not body.required_state:
            out.append(("required_state", "required: the Member State where the applicant is required to be "
                                          "present (Regulation (EU) 2024/1351, Article 17(4))"))
        elif body.required_state.upper() == own_state:
            out.append(("required_state", f"{own_state} is the state recording the decision: Article 21 concerns "
                                          "an applicant present in a state other than the one required"))
        if body.ground and "ground" not in known:
            out.append(("ground", "an Article 21 decision rests on the notified transfer decision, not on a "
                                  "ground of Article 23(2): leave it out"))
        if body.conditions is not None and "conditions" not in known:
            out.append(("conditions", "an Article 21 decision covers the reception conditions of Articles 17 "
                                      "to 20: leave it out"))
    else:
        if body.required_state and "required_state" not in known:
            out.append(("required_state", "only an Article 21 decision (measure not_entitled) names the state "
                                          "where the applicant is required to be present"))
        if body.conditions is None:
            out.append(("conditions", "required: daily_expenses_allowance or other_conditions"))
        ground = GROUNDS_BY_CODE.get(body.ground or "")
        if "ground" in known:
            pass
        elif not body.ground:
            out.append(("ground", "required: " + ", ".join(g.code for g in grounds_of(on))))
        elif ground is None:
            out.append(("ground", f"no ground '{body.ground[:20]}': give one of "
                                  + ", ".join(g.code for g in grounds_of(on))))
        elif ground.regime != law:
            out.append(("ground", f"{ground.citation} does not govern a decision of {on.isoformat()} ({law} "
                                  "does): give one of " + ", ".join(g.code for g in grounds_of(on))))
        elif (body.conditions in CONDITIONS_LABELS and body.measure in MEASURE_LABELS
              and not allowed(ground, body.measure, body.conditions)):
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
    if body.restoration not in ("all", "part"):
        out.append(("restoration", "all or part"))
    out += _text_problems("reason", body.reason, "say why the conditions are restored", TEXT_MAX)
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
