"""Every legal time limit Pactum uses, computed under Reg. 1182/71 from dated parameters.

A time limit is a *kind* (``take_charge_request``, ``transfer``, ``screening`` ...). Its regime is
chosen by the legally relevant date (the registration date for the Dublin/AMMR clocks, the event
date otherwise); then a row of ``RULES`` picks the parameter for the regime, the variant and the
Eurodac-hit / detention facts; finally the period is counted with ``compute_period``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pactum.common.errors import ValidationProblem
from pactum.law.periods import compute_period, length_words, normalise_state
from pactum.law.refs import LegalRef
from pactum.law.regimes import (
    PROCEDURES_CHOSEN_BY_PATH,
    REGIME_NAMES,
    Regime,
    cutover,
    procedures_regime,
    regime_for,
)
from pactum.law.trace import Trace
from pactum.law.tree import NotInForce, Param, param

UNIT_ALIASES = {"hour": "hours", "day": "days", "working_day": "working_days", "week": "weeks",
                "month": "months", "year": "years"}


@dataclass(frozen=True)
class KindSpec:
    kind: str
    area: str  # regime area: responsibility, procedures, screening, eurodac, returns
    title: str
    default_variant: str | None = None
    variant_required: bool = False
    #: A time to act (extended to a working day, Reg. 1182/71 Art 3(4)-(5)); ``False`` for a
    #: maximum that runs out by itself: a storage period after which data are erased, or a ceiling
    #: on a restriction of liberty or on a prohibition (screening, border procedures, entry ban).
    #: Such a ceiling is not a time limit for anyone to act, and moving its end to a working day
    #: would hold or ban the person longer than the law allows: the reading that protects the
    #: person, as for Eurodac retention (docs/law.md; awaiting a legal officer's confirmation).
    extends_to_working_day: bool = True
    #: For a maximum that runs out by itself: what ends with it, said in the computation.
    runs_out: str | None = None


@dataclass(frozen=True)
class Rule:
    kind: str
    regime: str
    path: str
    runs_from: str
    variant: str | None = None
    eurodac_hit: bool | None = None
    detained: bool | None = None
    #: The period runs from the lodging (registration) of the application whatever the event
    #: given: a detained person's request (Dublin III Art 28(3), AMMR Art 45(1)) does not run from a
    #: Eurodac hit.
    from_registration: bool = False
    #: The period runs from the day the person was placed in detention, for a detention ordered
    #: after the registration of the application (AMMR Art 45(1), second subparagraph).
    from_detention: bool = False
    #: A ceiling on a detention for this rule's facts (the kind is otherwise a time to act): what
    #: ends with it, said in the computation, and its end is not moved to a working day (as
    #: :attr:`KindSpec.runs_out`). A detained person's request and transfer limits: when they pass,
    #: the person may no longer be detained (Dublin III Art 28(3), AMMR Art 45(3)).
    runs_out: str | None = None
    #: The instrument leaves the value to national law: ``"upper_bound"`` when the parameter is
    #: the upper bound of the range the instrument allows (APR Art 67(7)), ``"default"`` when the
    #: instrument sets no EU value and the parameter is the platform's default (Dir. 2013/32 Art
    #: 46(4)). Per-State values are not modelled: the computation says so.
    national_law: str | None = None
    #: The period runs after the person was held for a time from the event: the parameter (in hours,
    #: a whole number of days) of that time, from whose end the period runs. A screening at the
    #: external border of a crosser held there over 72 hours "is carried out thereafter" in four days
    #: ("i relativi accertamenti sono svolti successivamente e il periodo per gli accertamenti è
    #: ridotto a quattro giorni", Screening Reg. (EU) 2024/1356 Art 8(3), second sentence).
    after_held: str | None = None


KINDS: dict[str, KindSpec] = {k.kind: k for k in (
    KindSpec("screening", "screening", "Screening", default_variant="border", extends_to_working_day=False,
             runs_out="the screening ends by then at the latest: the person is not held for it, or kept "
                      "available to the screening authorities, beyond this day"),
    KindSpec("eurodac_transmission", "eurodac", "Transmission of biometric data to Eurodac",
             default_variant="applicant"),
    KindSpec("eurodac_retention", "eurodac", "Retention of Eurodac data", default_variant="applicant",
             extends_to_working_day=False,
             runs_out="the data are erased when it ends: keeping them a working day longer would keep "
                      "personal data beyond the maximum"),
    KindSpec("application_registration", "procedures", "Registration of an application"),
    KindSpec("border_procedure", "procedures", "Asylum border procedure", extends_to_working_day=False,
             runs_out="the border procedure ends by then at the latest: the applicant may not be kept at "
                      "or near the border for it beyond this day"),
    KindSpec("accelerated_procedure", "procedures", "Accelerated examination procedure"),
    KindSpec("admissibility_procedure", "procedures", "Admissibility examination"),
    KindSpec("regular_procedure", "procedures", "Regular examination procedure"),
    KindSpec("appeal", "procedures", "Time limit to lodge an appeal", variant_required=True),
    KindSpec("appeal_decision", "procedures", "Decision of the court of first instance on an appeal",
             variant_required=True),
    KindSpec("take_charge_request", "responsibility", "Take-charge request"),
    KindSpec("take_charge_reply", "responsibility", "Reply to a take-charge request"),
    KindSpec("take_back_request", "responsibility", "Take-back request"),
    KindSpec("take_back_reply", "responsibility", "Reply to a take-back request"),
    KindSpec("take_back_notification", "responsibility", "Take-back notification"),
    KindSpec("take_back_confirmation", "responsibility", "Confirmation of a take-back notification"),
    KindSpec("humanitarian_reply", "responsibility", "Reply to a humanitarian-clause request"),
    KindSpec("transfer_decision", "responsibility", "Transfer decision"),
    KindSpec("transfer", "responsibility", "Transfer"),
    KindSpec("transfer_extended_imprisonment", "responsibility", "Transfer, extended for imprisonment"),
    KindSpec("transfer_extended_absconding", "responsibility", "Transfer, extended for absconding"),
    KindSpec("reexamination_request", "responsibility", "Request for re-examination of a negative reply"),
    KindSpec("reexamination_reply", "responsibility", "Reply to a request for re-examination"),
    KindSpec("return_border_procedure", "returns", "Return border procedure", extends_to_working_day=False,
             runs_out="the return border procedure ends by then at the latest: the person may not be kept "
                      "at or near the border for it beyond this day"),
    KindSpec("voluntary_departure", "returns", "Period for voluntary departure", variant_required=True),
    KindSpec("entry_ban_max", "returns", "Maximum length of an entry ban", extends_to_working_day=False,
             runs_out="an entry ban is a prohibition that ends by itself: it may not last beyond this day, "
                      "and nobody needs a working day to act when it ends"),
)}

_D, _A, _PRE, _PACT = "dublin_iii", "ammr", "pre_pact", "pact"
#: The one procedures time limit that runs before the application is lodged, under the law of the
#: day it was made (see ``procedures.workflow``).
_REGISTRATION = "application_registration"

#: What ends with a detained person's request and transfer limits (:attr:`Rule.runs_out`).
_HELD_FOR_REQUEST = ("a ceiling on the detention: if the request is not made by then, the person may no longer "
                     "be detained (the ordinary request period still applies to the request); moving its end "
                     "to a working day would hold the person longer than the law allows")
_HELD_FOR_TRANSFER = ("a ceiling on the detention: if the transfer is not carried out by then, the person may "
                      "no longer be detained for it (the ordinary transfer period still runs); moving its end "
                      "to a working day would hold the person longer than the law allows")

RULES: tuple[Rule, ...] = (
    # Dublin III (Regulation (EU) No 604/2013) and its implementing Regulation 1560/2003
    Rule("take_charge_request", _D, "dublin3.take_charge.request", "the lodging of the application"),
    Rule("take_charge_request", _D, "dublin3.take_charge.request_after_eurodac_hit",
         "the Eurodac hit", eurodac_hit=True),
    Rule("take_charge_request", _D, "dublin3.detention.request", "the lodging of the application",
         detained=True, from_registration=True, runs_out=_HELD_FOR_REQUEST),
    Rule("take_charge_reply", _D, "dublin3.take_charge.reply", "the receipt of the request"),
    Rule("take_charge_reply", _D, "dublin3.take_charge.reply_urgent", "the receipt of the request",
         variant="urgent"),
    Rule("take_charge_reply", _D, "dublin3.detention.reply", "the receipt of the request", detained=True),
    Rule("take_back_request", _D, "dublin3.take_back.request", "the lodging of the application"),
    Rule("take_back_request", _D, "dublin3.take_back.request_after_eurodac_hit", "the Eurodac hit",
         eurodac_hit=True),
    Rule("take_back_request", _D, "dublin3.detention.request", "the lodging of the application",
         detained=True, from_registration=True, runs_out=_HELD_FOR_REQUEST),
    Rule("take_back_reply", _D, "dublin3.take_back.reply", "the receipt of the request"),
    Rule("take_back_reply", _D, "dublin3.take_back.reply_eurodac", "the receipt of the request",
         eurodac_hit=True),
    Rule("take_back_reply", _D, "dublin3.detention.reply", "the receipt of the request", detained=True),
    Rule("humanitarian_reply", _D, "dublin3.humanitarian.reply", "the receipt of the request"),
    Rule("transfer", _D, "dublin3.transfer.period",
         "the acceptance of the request or the final decision on a suspensive appeal"),
    Rule("transfer", _D, "dublin3.detention.transfer",
         "the acceptance of the request or the end of the suspensive effect", detained=True,
         runs_out=_HELD_FOR_TRANSFER),
    Rule("transfer_extended_imprisonment", _D, "dublin3.transfer.extended_imprisonment",
         "the acceptance of the request or the final decision on a suspensive appeal"),
    Rule("transfer_extended_absconding", _D, "dublin3.transfer.extended_absconding",
         "the acceptance of the request or the final decision on a suspensive appeal"),
    Rule("reexamination_request", _D, "dublin3.reexamination.request", "the receipt of the negative reply"),
    Rule("reexamination_reply", _D, "dublin3.reexamination.reply", "the receipt of the re-examination request"),
    # AMMR (Regulation (EU) 2024/1351)
    Rule("take_charge_request", _A, "ammr.take_charge.request", "the registration of the application"),
    Rule("take_charge_request", _A, "ammr.take_charge.request_after_hit", "the Eurodac or VIS hit",
         eurodac_hit=True),
    Rule("take_charge_request", _A, "ammr.detention.request", "the registration of the application",
         detained=True, from_registration=True, runs_out=_HELD_FOR_REQUEST),
    Rule("take_charge_request", _A, "ammr.detention.request_detained_later", "the placing in detention",
         detained=True, from_detention=True, runs_out=_HELD_FOR_REQUEST),
    Rule("take_charge_reply", _A, "ammr.take_charge.reply", "the receipt of the request"),
    Rule("take_charge_reply", _A, "ammr.take_charge.reply_after_hit", "the receipt of the request",
         eurodac_hit=True),
    Rule("take_charge_reply", _A, "ammr.take_charge.reply_urgent", "the receipt of the request",
         variant="urgent"),
    Rule("take_charge_reply", _A, "ammr.detention.reply", "the receipt of the request", detained=True),
    Rule("take_back_notification", _A, "ammr.take_back.notification", "the Eurodac hit"),
    # Art 45(1): from the registration, or from the hit "where no new application has been
    # registered in the notifying Member State"; here the application's registration is given.
    Rule("take_back_notification", _A, "ammr.detention.request", "the registration of the application",
         detained=True, from_registration=True, runs_out=_HELD_FOR_REQUEST),
    Rule("take_back_notification", _A, "ammr.detention.request_detained_later", "the placing in detention",
         detained=True, from_detention=True, runs_out=_HELD_FOR_REQUEST),
    Rule("take_back_confirmation", _A, "ammr.take_back.confirmation", "the receipt of the notification"),
    Rule("humanitarian_reply", _A, "ammr.humanitarian.reply", "the receipt of the request"),
    Rule("transfer_decision", _A, "ammr.transfer.decision", "the acceptance or the confirmation"),
    Rule("transfer", _A, "ammr.transfer.period",
         "the acceptance or confirmation, or the final decision on a suspensive appeal"),
    Rule("transfer", _A, "ammr.detention.transfer",
         "the acceptance or confirmation, or the end of the suspensive effect", detained=True,
         runs_out=_HELD_FOR_TRANSFER),
    Rule("transfer_extended_imprisonment", _A, "ammr.transfer.extended_imprisonment",
         "the acceptance or confirmation, or the final decision on a suspensive appeal"),
    Rule("transfer_extended_absconding", _A, "ammr.transfer.extended_absconding",
         "the acceptance or confirmation, or the final decision on a suspensive appeal"),
    Rule("reexamination_request", _A, "ammr.reexamination.request", "the receipt of the negative reply"),
    Rule("reexamination_reply", _A, "ammr.reexamination.reply", "the receipt of the re-examination request"),
    # Registration and examination procedures
    Rule("application_registration", _PRE, "procedures_directive.registration.time_limit",
         "the making of the application"),
    Rule("application_registration", _PRE, "procedures_directive.time_limits.registration_other_authority",
         "the making of the application", variant="other_authority"),
    Rule("application_registration", _PRE, "procedures_directive.time_limits.registration_disproportionate_number",
         "the making of the application", variant="disproportionate_number"),
    Rule("application_registration", _PACT, "apr.registration.time_limit", "the making of the application"),
    Rule("application_registration", _PACT, "apr.time_limits.registration_disproportionate_number",
         "the making of the application", variant="disproportionate_number"),
    Rule("border_procedure", _PRE, "procedures_directive.border_procedure.duration",
         "the lodging of the application"),
    Rule("border_procedure", _PACT, "apr.border_procedure.duration", "the registration of the application"),
    Rule("border_procedure", _PACT, "apr.border_procedure.duration_after_relocation",
         "the registration of the application", variant="relocated"),
    Rule("accelerated_procedure", _PRE, "procedures_directive.examination.accelerated",
         "the lodging of the application"),
    Rule("accelerated_procedure", _PACT, "apr.examination.accelerated", "the lodging of the application"),
    Rule("admissibility_procedure", _PRE, "procedures_directive.examination.admissibility",
         "the lodging of the application"),
    Rule("admissibility_procedure", _PACT, "apr.examination.admissibility", "the lodging of the application"),
    Rule("admissibility_procedure", _PACT, "apr.time_limits.admissibility_ground_38_1_e",
         "the lodging of the application", variant="ground_38_1_e"),
    Rule("regular_procedure", _PRE, "procedures_directive.examination.regular", "the lodging of the application"),
    Rule("regular_procedure", _PACT, "apr.examination.regular", "the lodging of the application"),
    # Appeals: the Directive leaves the time limit to national law; the APR sets ranges within
    # which national law chooses (Art 67(7)): the parameters hold the platform's values.
    *(Rule("appeal", r, f"{pre}.appeal.time_limit.{v}", "the notification of the decision", variant=v,
           national_law="upper_bound" if r == _PACT else "default")
      for r, pre in ((_PRE, "procedures_directive"), (_PACT, "apr")) for v in ("expedited", "regular")),
    # the court's time limit: APR Art 69 has national law set "reasonable time limits", no figure; the
    # parameters hold the platform's defaults, which each computation says
    *(Rule("appeal_decision", _PACT, f"apr.appeal.decision.{v}", "the lodging of the appeal", variant=v,
           national_law="default")
      for v in ("expedited", "regular")),
    # Screening
    Rule("screening", _PACT, "screening.duration.border", "the apprehension, disembarkation or presentation",
         variant="border"),
    Rule("screening", _PACT, "screening.duration.border_held_over_72h",
         "the end of the 72 hours the person was held at the external border from the apprehension",
         variant="border_held_over_72h", after_held="screening.duration.held_at_border_threshold"),
    Rule("screening", _PACT, "screening.duration.inland", "the apprehension", variant="inland"),
    # Eurodac: Regulation (EU) No 603/2013 before the recast applies, Regulation (EU) 2024/1358 after
    Rule("eurodac_transmission", _PRE, "eurodac603.transmission.applicant", "the lodging of the application",
         variant="applicant"),
    Rule("eurodac_transmission", _PRE, "eurodac603.transmission.irregular_crossing", "the apprehension",
         variant="irregular_crossing"),
    Rule("eurodac_retention", _PRE, "eurodac603.retention.applicant", "the date the fingerprints were taken",
         variant="applicant"),
    Rule("eurodac_retention", _PRE, "eurodac603.retention.irregular_crossing",
         "the date the fingerprints were taken", variant="irregular_crossing"),
    Rule("eurodac_transmission", _PACT, "eurodac.transmission.applicant", "the registration of the application",
         variant="applicant"),
    Rule("eurodac_transmission", _PACT, "eurodac.transmission.temporary_protection",
         "the registration as a beneficiary of temporary protection", variant="temporary_protection"),
    # Reg. (EU) 2024/1358 Art 29(1), (3) to (8): from the transmission, not the taking, of the data
    *(Rule("eurodac_retention", _PACT, f"eurodac.retention.{v}", "the date the biometric data were transmitted",
           variant=v)
      for v in ("applicant", "irregular_crossing", "illegal_stay", "sar", "union_resettlement_a",
                "union_resettlement_bc", "national_resettlement")),
    # Art 29(9): one year from the entry into force of the Council implementing decision, extended
    # every year for the duration of temporary protection
    Rule("eurodac_retention", _PACT, "eurodac.retention.temporary_protection",
         "the entry into force of the Council implementing decision on temporary protection",
         variant="temporary_protection"),
    # Return
    *(Rule("voluntary_departure", r, f"returns.voluntary_departure.{v}", "the notification of the return decision",
           variant=v) for r in (_PRE, _PACT) for v in ("min", "max")),
    Rule("voluntary_departure", _PACT, "return_border.voluntary_departure.max",
         "the notification of the return decision", variant="return_border_max"),
    *(Rule("entry_ban_max", r, "returns.entry_ban.max_duration", "the actual departure (CJEU C-225/16 Ouhrami)")
      for r in (_PRE, _PACT)),
    Rule("return_border_procedure", _PACT, "return_border.max_duration",
         "the day the person no longer has a right to remain and is not allowed to remain"),
)

#: A time limit running from a Eurodac hit that may not end later than the ordinary limit from the
#: lodging: under Dublin III a take-charge request cannot validly be made more than three months
#: after the application was lodged, even within two months of a hit (CJEU C-670/16 Mengesteab,
#: EU:C:2017:587, paragraph 103; Art 21(1)). The value is the rule's path for the outer limit.
OUTER_LIMIT_FROM_LODGING = {("take_charge_request", _D): "dublin3.take_charge.request"}
OUTER_LIMIT_CASE_LAW = "CJEU, Case C-670/16 Mengesteab, EU:C:2017:587, paragraph 103"

AFTER_A_REQUEST = frozenset({
    "take_charge_reply", "take_back_reply", "take_back_confirmation", "humanitarian_reply", "transfer_decision",
    "transfer", "transfer_extended_imprisonment", "transfer_extended_absconding", "reexamination_request",
    "reexamination_reply"})

EQUIVALENTS = {
    ("take_back_request", _A): "take_back_notification",
    ("take_back_reply", _A): "take_back_confirmation",
    ("take_back_notification", _D): "take_back_request",
    ("take_back_confirmation", _D): "take_back_reply",
}


def variants_of(kind: str) -> list[str]:
    return sorted({r.variant for r in RULES if r.kind == kind and r.variant})


class TimeLimitRequest(BaseModel):
    """The JSON input of ``POST /api/v1/law/time-limits`` and ``pactum law time-limit``."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    event_at: date | datetime = Field(description="A date, or a date and time for periods in hours")
    member_state: str = Field(description="The Member State where the act is to be done (its holidays count)")
    application_registered_on: date | None = None
    application_made_on: date | None = Field(
        default=None, description="The day the application for international protection was made: for "
                                  "the asylum procedure's time limits it selects the Asylum Procedure "
                                  "Regulation or Directive 2013/32 (an application made before 12 June "
                                  "2026 stays under the Directive); without it, the day of the event selects")
    application_lodged_on: date | None = Field(
        default=None, description="The day the application was lodged: the Asylum Procedure Regulation "
                                  "governs applications lodged from 12 June 2026 (its Art 79(3)), so for the "
                                  "asylum procedure's time limits it selects the regime ahead of the day the "
                                  "application was made (not for the registration, which comes before it)")
    eurodac_hit: bool = False
    detained: bool = False
    detained_on: date | None = Field(
        default=None, description="The day the person was placed in detention (with detained): a "
                                  "detention ordered after the registration has its own limit (AMMR Art 45(1))")
    variant: str | None = None

    @field_validator("event_at", mode="before")
    @classmethod
    def _event(cls, v: Any) -> Any:
        if isinstance(v, str):
            text = v.strip()
            if "T" in text or " " in text:
                return datetime.fromisoformat(text)
            return date.fromisoformat(text)
        if not isinstance(v, date):
            raise ValueError("give a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)")
        return v


class TimeLimitResult(BaseModel):
    """A computed time limit with its legal basis and every step in words."""

    kind: str
    regime: Regime
    variant: str | None = None
    event_at: date | datetime
    starts_at: date | datetime
    ends_on: date | None = None
    ends_at: datetime | None = None
    member_state: str
    parameter: str
    period: str
    legal_basis: list[str]
    computation: list[str]
    unverified: bool = False
    trace: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def end(self) -> date | datetime:
        if self.ends_at is not None:
            return self.ends_at
        assert self.ends_on is not None
        return self.ends_on


def _end_of_time_held(path: str, on: date, event_day: date, notes: list[str], refs: list[LegalRef]) -> date:
    """The day a time held from the event (the parameter ``path``, in hours) ends, from which a
    period of :attr:`Rule.after_held` runs. Counted under Reg. 1182/71 Art 3(1) from the beginning
    of the hour after the event, a whole number of days in hours ends on that many days after the
    event's day whatever its hour (72 hours from 10:00 on a Friday end at 11:00 on Monday, from
    23:30 at midnight ending Monday): the period then runs from that day, the day itself not
    counted (Art 3(1), second subparagraph). The step is said in ``notes``."""
    held = param(path, on=on)
    hours = int(held.value)
    if UNIT_ALIASES.get(held.unit or "", held.unit or "") != "hours" or hours % 24:
        raise ValueError(f"{path} must be a whole number of days in hours, not {held.value} {held.unit}")
    ends = event_day + timedelta(days=hours // 24)
    notes.append(f"Held at the external border over {hours} hours from the apprehension ({held.reference.cite()}): "
                 f"the screening is carried out after the {hours} hours, which, counted from the beginning of "
                 f"the hour after the apprehension on {event_day.isoformat()} (Regulation (EEC, Euratom) "
                 f"No 1182/71, Article 3(1)), end on {ends.isoformat()}; its period runs from that day")
    refs.append(held.reference)  # the time limit's own reference, when the same, is not cited twice
    return ends


def _choose_rule(kind: str, regime: str, variant: str | None, eurodac_hit: bool, detained: bool,
                 detained_later: bool = False) -> tuple[Rule, list[str]]:
    notes: list[str] = []
    rows = [r for r in RULES if r.kind == kind and r.regime == regime and r.variant == variant]
    if detained:
        det = [r for r in rows if r.detained and r.from_detention == detained_later]
        if detained_later and not det:
            det = [r for r in rows if r.detained and not r.from_detention]
            if det and det[0].from_registration:
                notes.append(f"{REGIME_NAMES[regime]} sets no separate time limit for a detention ordered "
                             f"after the registration of the application: the detention limit runs from "
                             f"{det[0].runs_from}")
        if det:
            if eurodac_hit:
                notes.append("The person is detained: the detention time limit applies instead of the "
                             "Eurodac-hit time limit")
            return det[0], notes
        notes.append(f"No separate time limit for detained persons is set for {kind} under "
                     f"{REGIME_NAMES[regime]}: the ordinary period applies")
    if eurodac_hit:
        hit = [r for r in rows if r.eurodac_hit and not r.detained]
        if hit:
            return hit[0], notes
        if not any("hit" in r.runs_from for r in rows if not r.detained):  # (a notification runs from it)
            what = KINDS[kind].title if kind in KINDS else kind.replace("_", " ")
            notes.append(f"A Eurodac hit does not change this time limit ({what[:1].lower()}{what[1:]}) under "
                         f"{REGIME_NAMES[regime]}")
    plain = [r for r in rows if not r.detained and not r.eurodac_hit]
    return plain[0], notes


def time_limit(kind: str, event_at: date | datetime, member_state: str,
               application_registered_on: date | None = None, eurodac_hit: bool = False,
               detained: bool = False, variant: str | None = None,
               detained_on: date | None = None, application_made_on: date | None = None,
               application_lodged_on: date | None = None) -> TimeLimitResult:
    """Compute the time limit ``kind`` running from ``event_at`` in ``member_state``.

    ``detained_on`` is the day a detained person was placed in detention: a detention ordered after
    the registration of the application runs the request's limit from that day where the regime
    says so (AMMR Art 45(1), second subparagraph).

    ``application_made_on`` is the day the application for international protection was made: the
    asylum procedure's time limits (area ``procedures``) take their regime from it, as the case
    workflow does, so that an application made under Directive 2013/32 keeps the Directive's time
    limits for steps taken after the Asylum Procedure Regulation applies. Without it, the day of the
    event selects the regime and the computation says so.

    ``application_lodged_on`` is the day the application was lodged: the APR governs applications
    lodged from 12 June 2026 and Directive 2013/32/EU those lodged before (APR Art 79(3)), so where
    it is given it selects the regime of the asylum procedure's time limits, as the case workflow
    does (:func:`pactum.law.regimes.procedures_regime`), except the registration's, which runs
    before any lodging under the law of the day the application was made.

    Raises ``ValidationProblem`` naming the field for an unknown kind or variant, a missing
    registration date, an unknown Member State or a kind that does not exist under the regime.
    """
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationProblem.one("kind", f"unknown time limit {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
    problems: list[tuple[str, str]] = []
    try:
        state = normalise_state(member_state)
    except ValueError as exc:
        problems.append(("member_state", str(exc)))
        state = ""
    if not isinstance(event_at, date):
        problems.append(("event_at", "must be a date (YYYY-MM-DD) or a date and time"))
    if application_made_on is not None and spec.area != "procedures":
        problems.append(("application_made_on",
                         f"used only by the asylum procedure's time limits, not by {kind}: leave it out"))
    elif (application_made_on is not None and isinstance(event_at, date)
          and (event_at.date() if isinstance(event_at, datetime) else event_at) < application_made_on):
        problems.append(("application_made_on",
                         f"{application_made_on.isoformat()} is after the event ({event_at.isoformat()}): "
                         f"{kind} runs from an event of the procedure, on or after the day the application "
                         f"was made"))
    if application_lodged_on is not None and spec.area != "procedures":
        problems.append(("application_lodged_on",
                         f"used only by the asylum procedure's time limits, not by {kind}: leave it out"))
    elif (application_lodged_on is not None and application_made_on is not None
          and application_lodged_on < application_made_on):
        problems.append(("application_lodged_on",
                         f"{application_lodged_on.isoformat()} is before the day the application was made "
                         f"({application_made_on.isoformat()}): an application is lodged after it is made"))
    if spec.area == "responsibility" and application_registered_on is None:
        problems.append(("application_registered_on",
                         f"required for {kind}: the registration date selects Dublin III or the AMMR"))
    known_variants = variants_of(kind)
    chosen_variant = variant if variant is not None else spec.default_variant
    if variant is not None and variant not in known_variants:
        problems.append(("variant", f"{kind} has no variant {variant!r}" + (
            f"; one of {', '.join(known_variants)}" if known_variants else "; it has no variants")))
    elif chosen_variant is None and spec.variant_required:
        problems.append(("variant", f"required for {kind}: one of {', '.join(known_variants)}"))
    if detained_on is not None and not detained:
        problems.append(("detained_on", "a detention date is given but the person is not stated to be "
                                        "detained: state the detention, or leave the date out"))
    # A request may run from a Eurodac hit received before the application was formally lodged
    # (CJEU C-670/16 Mengesteab); replies, confirmations and transfers follow a request, which follows
    # the registration.
    if (kind in AFTER_A_REQUEST and isinstance(event_at, date) and application_registered_on is not None
            and (event_at.date() if isinstance(event_at, datetime) else event_at) < application_registered_on):
        problems.append(("event_at", f"{kind} runs from an event after a request, which cannot be before the "
                                     f"registration of the application ({application_registered_on.isoformat()})"))
    if problems:
        raise ValidationProblem(problems)

    event_day = event_at.date() if isinstance(event_at, datetime) else event_at
    trace = Trace()
    computation: list[str] = []
    legal_refs: list[LegalRef] = []

    # 1. Regime, by the legally relevant date.
    if spec.area == "responsibility":
        assert application_registered_on is not None
        relevant, relevant_what = application_registered_on, "Application registered on"
    elif spec.area == "procedures" and application_lodged_on is not None and kind != _REGISTRATION:
        # APR Art 79(3), as the case workflow reads it (``regimes.procedures.chosen_by``)
        chosen = procedures_regime(application_made_on or application_lodged_on, application_lodged_on)
        relevant = chosen.on
        relevant_what = "Application lodged on" if chosen.by == "lodged_on" else "Application made on"
    elif spec.area == "procedures" and application_made_on is not None:
        relevant, relevant_what = application_made_on, "Application made on"
    else:
        relevant, relevant_what = event_day, "Event on"
    regime = regime_for(spec.area, relevant)
    cut = cutover(spec.area, relevant)

    if not any(r.kind == kind and r.regime == regime for r in RULES):
        other = EQUIVALENTS.get((kind, regime))
        hint = f"; under {REGIME_NAMES[regime]} use {other}" if other else ""
        raise ValidationProblem.one(
            "kind", f"{kind} does not exist under {REGIME_NAMES[regime]} "
                    f"({relevant_what.lower()} {relevant.isoformat()}){hint}")
    if chosen_variant is not None and not any(
            r.kind == kind and r.regime == regime and r.variant == chosen_variant for r in RULES):
        raise ValidationProblem.one(
            "variant", f"{kind} variant {chosen_variant!r} does not exist under {REGIME_NAMES[regime]}")

    # 2. The parameter for the regime, the variant and the facts, in force on the date that
    # selected the regime: an AMMR clock of an application registered from 1 July 2026 runs from a
    # Eurodac hit received before that day (the screening applies from 12 June) with the AMMR's
    # values, which apply from 1 July.
    detained_later = bool(detained and detained_on is not None and application_registered_on is not None
                          and detained_on > application_registered_on)
    rule, notes = _choose_rule(kind, regime, chosen_variant, eurodac_hit, detained, detained_later)
    try:
        p: Param = param(rule.path, on=relevant)
    except NotInForce:
        field = "application_registered_on" if spec.area == "responsibility" else "event_at"
        raise ValidationProblem.one(field, f"no rule on the {kind.replace('_', ' ')} time limit is in force "
                                           f"on {relevant.isoformat()}") from None

    # 1 (said). The regime; a time limit whose parameter is the same under both regimes (the
    # Return Directive's voluntary departure and entry ban) does not depend on the Pact and does
    # not cite its cut-over.
    same_in_both = {r.path for r in RULES if r.kind == kind and r.variant == rule.variant
                    and r.regime != regime} == {rule.path}
    if same_in_both:
        regime_text = (f"{relevant_what} {relevant.isoformat()}: {p.reference.instrument} applies, the same "
                       f"before and after the Pact on Migration and Asylum")
        regime_refs: list[LegalRef] = []
    elif cut is not None:
        side = "on or after" if regime in (_A, _PACT) else "before"
        if relevant == cut.value:
            side = "on the day of"
        regime_text = (f"{relevant_what} {relevant.isoformat()}, {side} the cut-over "
                       f"{cut.value.isoformat()}: {REGIME_NAMES[regime]} applies ({cut.reference.cite()})")
        regime_refs = [cut.reference]
    else:
        regime_text = (f"{relevant_what} {relevant.isoformat()}, before the Pact instruments entered "
                       f"into force: {REGIME_NAMES[regime]} applies")
        regime_refs = []
    computation.append(regime_text)
    if relevant_what == "Application lodged on" and not same_in_both and cut is not None:
        chosen_by = param(PROCEDURES_CHOSEN_BY_PATH, on=relevant)
        computation.append(f"The application's law is chosen by the day it was lodged ({chosen_by.reference.cite()})")
        regime_refs.append(chosen_by.reference)
    elif (spec.area == "procedures" and relevant_what == "Application made on" and kind != _REGISTRATION
            and cut is not None and not same_in_both and regime == _PRE and relevant < cut.value):
        computation.append(
            f"The day the application was lodged is not given: the day it was made selects the regime. An "
            f"application made before {cut.value.isoformat()} and lodged on or after it is under "
            f"{REGIME_NAMES[_PACT]} (give application_lodged_on)")
    if (spec.area == "procedures" and application_made_on is None and application_lodged_on is None
            and cut is not None and not same_in_both and regime == _PACT):
        computation.append(
            f"The day the application was made is not given: the day of the event selects the regime. An "
            f"application made before {cut.value.isoformat()} stays under Directive 2013/32 for this time "
            f"limit whatever the day of the event (give application_made_on)")
    trace.step(rule="regime", legal_basis=regime_refs,
               facts={"area": spec.area, "legally_relevant_date": relevant},
               parameters={cut.path: cut} if cut and not same_in_both else {}, outcome=regime)
    start_at: date | datetime = event_at
    if rule.from_detention and detained_on is not None:
        start_at = detained_on
        notes.insert(0, f"The person was placed in detention on {detained_on.isoformat()}, after the "
                        f"registration of the application ({application_registered_on}): the time limit "
                        f"runs from the placing in detention, not from the event given ({event_day.isoformat()})")
    elif rule.from_registration and application_registered_on is not None and event_day != application_registered_on:
        start_at = application_registered_on
        notes.insert(0, f"The time limit for a detained person runs from {rule.runs_from} "
                        f"({application_registered_on.isoformat()}), not from the event given "
                        f"({event_day.isoformat()}){' such as a Eurodac hit' if eurodac_hit else ''}")
    if rule.after_held is not None:
        start_at = _end_of_time_held(rule.after_held, relevant, event_day, notes, legal_refs)
    amount, unit = int(p.value), UNIT_ALIASES.get(p.unit or "", p.unit or "")
    period_words = f"{amount} {unit.replace('_', ' ')}"
    if amount == 1:
        period_words = period_words[:-1]
    qualifiers = []
    if chosen_variant:
        qualifiers.append(f"variant {chosen_variant}" + (" (default)" if variant is None else ""))
    if rule.eurodac_hit:
        qualifiers.append("after a Eurodac hit")
    if rule.detained:
        qualifiers.append("person detained")
    q = f" ({', '.join(qualifiers)})" if qualifiers else ""
    given = start_at.isoformat(timespec="minutes") if isinstance(start_at, datetime) else start_at.isoformat()
    computation.append(f"{spec.title}{q}: {period_words} from {rule.runs_from}, here {given} "
                       f"({p.reference.cite()})")
    computation.extend(notes)
    national = national_law_note(rule, p)
    if national:
        computation.append(national)
    if p.unverified:
        computation.append(f"Parameter {p.path} is marked unverified: {p.note}")
    if p.reference not in legal_refs:
        legal_refs.append(p.reference)
    trace.step(rule=kind, legal_basis=[p.reference],
               facts={"event_at": event_at, "member_state": state, "eurodac_hit": eurodac_hit,
                      "detained": detained, "detained_on": detained_on, "variant": chosen_variant},
               parameters={p.path: p}, outcome=f"{period_words} from {rule.runs_from}")

    # 3. The period under Reg. 1182/71; a maximum that runs out by itself is not moved to a working day.
    extends = spec.extends_to_working_day and rule.runs_out is None
    runs_out = rule.runs_out or spec.runs_out
    if unit == "hours" and not isinstance(event_at, datetime):
        raise ValidationProblem.one(
            "event_at", f"{kind} is a period in hours: give the date and time of the event (YYYY-MM-DDTHH:MM)")
    try:
        period = compute_period(start_at, amount, unit, state, extend=extends)
    except ValidationProblem as exc:  # the period's start is this request's event
        raise ValidationProblem([("event_at" if f == "start" else f, m) for f, m in exc.problems]) from None
    computation.extend(period.steps)
    if not extends and runs_out and not isinstance(period.end, datetime):
        computation.append(f"{spec.title}{' of a detained person' if rule.runs_out else ''}: {runs_out}")
    end = period.end
    outer_path = OUTER_LIMIT_FROM_LODGING.get((kind, regime)) if rule.eurodac_hit and not rule.detained else None
    if outer_path is not None and application_registered_on is not None and isinstance(end, date) \
            and not isinstance(end, datetime):
        op = param(outer_path, on=application_registered_on)
        outer = compute_period(application_registered_on, int(op.value),
                               UNIT_ALIASES.get(op.unit or "", op.unit or ""), state)
        if isinstance(outer.end, date) and outer.end < end:
            computation.append(
                f"The request may not be made later than {outer.end.isoformat()}, the end of the "
                f"{length_words(int(op.value), UNIT_ALIASES.get(op.unit or '', op.unit or ''))} from the "
                f"lodging of the application ({application_registered_on.isoformat()}, "
                f"{op.reference.cite()}), even within the period from the hit ({OUTER_LIMIT_CASE_LAW})")
            end = outer.end
            if op.reference not in legal_refs:
                legal_refs.append(op.reference)
            trace.step(rule="outer_limit_from_lodging", legal_basis=[op.reference],
                       facts={"application_registered_on": application_registered_on},
                       parameters={op.path: op}, outcome=f"ends {end.isoformat()}")
    trace.step(rule="period_reg_1182_71", legal_basis=period.legal_basis,
               facts={"event_at": event_at, "member_state": state},
               parameters={"amount": amount, "unit": unit},
               outcome=f"ends {end.isoformat(timespec='minutes') if isinstance(end, datetime) else end.isoformat()}")
    for ref in regime_refs + period.legal_basis:
        if ref not in legal_refs:
            legal_refs.append(ref)
    ends_at = end if isinstance(end, datetime) else None
    ends_on = None if isinstance(end, datetime) else end
    return TimeLimitResult(
        kind=kind, regime=regime, variant=chosen_variant, event_at=event_at, starts_at=period.starts_at,
        ends_on=ends_on, ends_at=ends_at, member_state=state, parameter=p.path, period=period_words,
        legal_basis=[r.cite() for r in legal_refs], computation=computation, unverified=p.unverified,
        trace=trace.to_list())


def national_law_note(rule: Rule | str, p: Param) -> str | None:
    """The sentence saying that national law chooses the value of ``rule`` (a rule or a parameter
    path) and what the platform's value is, or ``None`` when the instrument sets the value."""
    if isinstance(rule, str):
        found = [r for r in RULES if r.path == rule]
        if not found:
            return None
        rule = found[0]
    words = length_words(p.value, UNIT_ALIASES.get(p.unit or "", p.unit))
    if rule.national_law == "upper_bound":
        return (f"{p.reference.cite()} leaves the choice of this time limit to national law within a range: "
                f"{words} is the upper bound of that range, not the value a Member State chose; where "
                f"national law sets a shorter time limit, it ends earlier (the Member States' choices "
                f"are not modelled)")
    if rule.national_law == "default":
        return (f"{p.reference.cite()} leaves this time limit to national law: {words} is the platform's "
                f"default, not an EU rule; national law may set another time limit")
    return None


def compute(request: TimeLimitRequest) -> TimeLimitResult:
    """``time_limit`` on a parsed request (the API and CLI contract)."""
    return time_limit(request.kind, request.event_at, request.member_state,
                      application_registered_on=request.application_registered_on,
                      eurodac_hit=request.eurodac_hit, detained=request.detained, variant=request.variant,
                      detained_on=request.detained_on, application_made_on=request.application_made_on,
                      application_lodged_on=request.application_lodged_on)
