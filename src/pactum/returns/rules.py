"""Legal checks on a return decision: voluntary departure and entry ban.

Directive 2008/115/EC (Return Directive):
- Art 7(1): an appropriate period for voluntary departure between the minimum and maximum days
  of the law parameters (7 and 30 days).
- Art 7(2): the period may be extended for the length of stay, school-going children or other
  family and social links. The Directive sets no ceiling; Pactum refuses a period beyond a year
  (:data:`VOLUNTARY_DEPARTURE_DAYS_MAX`) as a typing slip, not as a rule of law.
- Art 7(4): where there is a risk of absconding, the application was dismissed as manifestly
  unfounded or fraudulent, or the person is a risk to public policy, public security or national
  security, the period may be shorter than the minimum or refused (zero days).
- Art 11(1): a return decision is accompanied by an entry ban where no period for voluntary
  departure was granted.
- Art 11(2): the entry ban does not in principle exceed the maximum years of the law parameters
  (5 years); it may exceed it for a serious threat to public policy, public security or national
  security. It runs from the actual departure (CJEU C-225/16 *Ouhrami*).

Regulation (EU) 2024/1349 (Return Border Procedure), from the date the Pact applies: a person
whose application was rejected in the asylum border procedure gets at most the RBPR maximum
(15 days) unless a ground of Art 7(4) lets the period be refused.

Each check is written as the base rule followed by its labelled exceptions, and records a
:class:`~pactum.law.Trace` step a lawyer can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pactum.common.errors import ValidationProblem
from pactum.law import LegalRef, NotInForce, Param, Trace, add_period, compute_period, param, regime_for

#: Art 7(4) Directive 2008/115/EC: grounds that allow a shorter period or none.
SHORTENING_GROUNDS: dict[str, str] = {
    "risk_of_absconding": "risk of absconding",
    "manifestly_unfounded_or_fraudulent": "application dismissed as manifestly unfounded or fraudulent",
    "public_security_risk": "risk to public policy, public security or national security",
}
#: Art 7(2) Directive 2008/115/EC: grounds that allow a period longer than the maximum.
EXTENSION_GROUNDS: dict[str, str] = {
    "length_of_stay": "length of stay",
    "school_going_children": "school-going children",
    "family_and_social_links": "family and social links",
}
#: Art 11(2) Directive 2008/115/EC: ground that allows an entry ban beyond the maximum.
LONG_BAN_GROUNDS: dict[str, str] = {
    "serious_threat": "serious threat to public policy, public security or national security",
}
#: The context of the decision: a rejection in the asylum border procedure (Regulation (EU)
#: 2024/1349), a negative asylum decision, an illegal stay found, Art 6(2) (checked with the
#: asylum records by :mod:`pactum.returns.stay`).
PROCEDURE_GROUNDS: dict[str, str] = {
    "return_border_procedure": "rejected in the asylum border procedure (Reg. (EU) 2024/1349)",
    "negative_asylum_decision": "issued together with a negative asylum decision",
    "illegal_stay": "illegal stay found",
    # Art 6(2) Directive 2008/115/EC (pactum.returns.stay): protection granted by another state
    "did_not_go_to_protecting_state": (
        "did not go to the Member State that granted international protection (Art 6(2) Directive 2008/115/EC)"
    ),
}
#: The words of ``return_border_procedure`` for a decision issued before the Pact applies: the
#: Return Border Procedure Regulation applies only from then (``regimes.returns.pact_from``); before,
#: the rejection was one in the border procedure of Directive 2013/32/EU, Article 43.
PRE_PACT_BORDER_GROUND = (
    f"rejected in the asylum border procedure ({LegalRef.of('procedures_directive', '43').cite()})"
)


def ground_label(code: str, issued_on: date) -> str:
    """The words of the ground ``code`` on a decision issued on ``issued_on`` (alert field (j), the
    decision page): the return border procedure names Regulation (EU) 2024/1349 only once it
    applies (by the law tree's regime, never a literal date)."""
    if code == "return_border_procedure" and regime_for("returns", issued_on) != "pact":
        return PRE_PACT_BORDER_GROUND
    return ALL_GROUNDS[code]


#: The grounds as the form offers them before the decision's date is known: the return border
#: procedure's words say its Regulation applies only once the Pact does (:func:`ground_label`).
FORM_GROUNDS: dict[str, str] = {}

ALL_GROUNDS: dict[str, str] = {
    **SHORTENING_GROUNDS,
    **EXTENSION_GROUNDS,
    **LONG_BAN_GROUNDS,
    **PROCEDURE_GROUNDS,
}

#: The longest period for voluntary departure Pactum records: a year (365 days).
#:
#: This is not a limit the law sets. Art 7(1) Directive 2008/115/EC grants 7 to 30 days; Art 7(2)
#: lets the state extend the period "by an appropriate period, taking into account the specific
#: circumstances of the individual case, such as the length of stay, the existence of children
#: attending school and the existence of other family and social links", with no ceiling. The
#: extensions those circumstances call for (to the end of a school year, time for a family to
#: settle its affairs) run to weeks or months: a year is twelve times the ordinary maximum and
#: leaves room for each of them. A period beyond it (3,000 days for 300; 100,000 days, 274 years)
#: is a typing slip that would leave the decision unenforceable for decades; it is refused, naming
#: the field, rather than recorded. The bound is set generously on purpose: a longer period is
#: the one that favours the person, so the bound only stops what cannot be meant. A case that
#: truly needs more than a year cannot be recorded as such here (a known limit).
VOLUNTARY_DEPARTURE_DAYS_MAX = 365

P_VD_MIN = "returns.voluntary_departure.min"
P_VD_MAX = "returns.voluntary_departure.max"
P_BAN_MAX = "returns.entry_ban.max_duration"
P_RBPR_VD_MAX = "return_border.voluntary_departure.max"


@dataclass(frozen=True)
class ReturnTerms:
    """The checked terms of a return decision."""

    voluntary_departure_days: int
    voluntary_departure_last_day: date | None
    entry_ban_years: int | None
    legal_basis: list[str] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)
    #: the entry ban's length in months (a ban in years: 12 a year); None without a ban
    entry_ban_months: int | None = None


def _num(p: Param) -> int:
    return int(p.value)


def _expect_unit(p: Param, unit: str) -> None:
    if p.unit and p.unit.rstrip("s") != unit.rstrip("s"):
        raise ValueError(
            f"law parameter {p.path} is expressed in {p.unit}; the returns rules expect {unit}"
        )


def check_grounds(grounds: list[str]) -> list[str]:
    """Normalised, de-duplicated ground codes; :class:`ValidationProblem` for unknown codes."""
    out: list[str] = []
    problems = []
    for i, g in enumerate(grounds):
        code = str(g).strip().lower()
        if code not in ALL_GROUNDS:
            problems.append(
                (
                    f"grounds.{i}",
                    f"unknown ground '{g}'; use one of: {', '.join(ALL_GROUNDS)}",
                )
            )
        elif code not in out:
            out.append(code)
    if problems:
        raise ValidationProblem(problems)
    return out


def decide_terms(
    *,
    issued_on: date,
    member_state: str,
    voluntary_departure_days: int | None,
    entry_ban_years: int | None,
    grounds: list[str],
    entry_ban_months: int | None = None,
) -> ReturnTerms:
    """Check the voluntary departure period and the entry ban against the law on ``issued_on``.

    The entry ban's length is given in whole years (``entry_ban_years``) or in months
    (``entry_ban_months``), not both: Directive 2008/115/EC Art 11(2) sets only its maximum (five
    years unless the person is a serious threat), and states impose bans of, say, 18 months."""
    grounds = check_grounds(grounds)
    trace = Trace()
    vd_min, vd_max, ban_max = (
        param(k, on=issued_on) for k in (P_VD_MIN, P_VD_MAX, P_BAN_MAX)
    )
    for p, unit in ((vd_min, "days"), (vd_max, "days"), (ban_max, "years")):
        _expect_unit(p, unit)
    shortening = [g for g in grounds if g in SHORTENING_GROUNDS]
    extension = [g for g in grounds if g in EXTENSION_GROUNDS]
    problems: list[tuple[str, str]] = []
    basis = [vd_min.reference.cite()]

    # Art 7(1): base rule, the period lies within the legal range.
    days = voluntary_departure_days
    if days is None:
        days = _num(vd_min)
        outcome = f"no period set by the officer: the minimum of {days} days applies"
    else:
        outcome = f"{days} days"
    if days < 0:
        problems.append(
            (
                "voluntary_departure_days",
                "must be zero (refused) or a positive number of days",
            )
        )
    elif days < _num(vd_min) and not shortening:
        # Exception Art 7(4): shorter or refused only on its grounds.
        what = "refused" if days == 0 else f"shorter than {_num(vd_min)} days"
        problems.append(
            (
                "voluntary_departure_days",
                (
                    f"a period {what} needs a ground of Art 7(4) Directive 2008/115/EC "
                    f"({', '.join(SHORTENING_GROUNDS)})"
                ),
            )
        )
    elif days > VOLUNTARY_DEPARTURE_DAYS_MAX:
        # not a rule of law: a bound no extension under Art 7(2) reaches (a typing slip, an extra zero)
        problems.append(
            (
                "voluntary_departure_days",
                (
                    f"{days:,} days is more than a year: a period is recorded with at most "
                    f"{VOLUNTARY_DEPARTURE_DAYS_MAX} days (beyond {_num(vd_max)} days, an extension under "
                    "Art 7(2) Directive 2008/115/EC); check the number typed"
                ),
            )
        )
    elif days > _num(vd_max) and not extension:
        # Exception Art 7(2): longer only on its grounds.
        problems.append(
            (
                "voluntary_departure_days",
                (
                    f"more than {_num(vd_max)} days needs a ground of Art 7(2) Directive 2008/115/EC "
                    f"({', '.join(EXTENSION_GROUNDS)})"
                ),
            )
        )
    if days < _num(vd_min) and shortening:
        basis.append(f"{vd_min.reference.cite()} read with Art 7(4)")
    if days > _num(vd_max) and extension:
        basis.append(f"{vd_max.reference.cite()} read with Art 7(2)")

    # Regulation (EU) 2024/1349: the return border procedure caps the period once the Pact applies.
    if (
        "return_border_procedure" in grounds
        and regime_for("returns", issued_on) == "pact"
    ):
        rb_max = param(P_RBPR_VD_MAX, on=issued_on)
        _expect_unit(rb_max, "days")
        basis.append(rb_max.reference.cite())
        if days > _num(rb_max):
            problems.append(
                (
                    "voluntary_departure_days",
                    f"in the return border procedure the period is at most {_num(rb_max)} days",
                )
            )
        trace.step(
            rule="return_border_procedure_period",
            legal_basis=[rb_max.reference],
            facts={"voluntary_departure_days": days},
            parameters={P_RBPR_VD_MAX: rb_max.value},
            outcome="within the limit" if days <= _num(rb_max) else "exceeds the limit",
        )
    trace.step(
        rule="voluntary_departure_period",
        legal_basis=[vd_min.reference],
        facts={
            "voluntary_departure_days": voluntary_departure_days,
            "grounds": grounds,
        },
        parameters={P_VD_MIN: vd_min.value, P_VD_MAX: vd_max.value},
        outcome=outcome,
    )

    # Art 11(1): no period granted -> entry ban required.  Art 11(2): ceiling, exception for threat.
    ban_field = "entry_ban_months" if entry_ban_months is not None else "entry_ban_years"
    months: int | None = None
    if entry_ban_years is not None and entry_ban_months is not None:
        problems.append(("entry_ban_months", "give the entry ban in years or in months, not both"))
    elif days == 0 and entry_ban_years is None and entry_ban_months is None:
        problems.append(
            (
                "entry_ban_years",
                (
                    "required when no period for voluntary departure is granted (Art 11(1)(a) "
                    "Directive 2008/115/EC); give it in years or in months"
                ),
            )
        )
    elif entry_ban_years is not None or entry_ban_months is not None:
        basis.append(ban_max.reference.cite())
        months = entry_ban_months if entry_ban_months is not None else 12 * (entry_ban_years or 0)
        problems += _ban_length_problems(ban_field, months, entry_ban_months is not None, ban_max,
                                         "serious_threat" in grounds)
        trace.step(
            rule="entry_ban_duration",
            legal_basis=[ban_max.reference],
            facts={ban_field: entry_ban_months if entry_ban_months is not None else entry_ban_years,
                   "grounds": grounds},
            parameters={P_BAN_MAX: ban_max.value},
            outcome=f"{entry_ban_length(months)} from the actual departure",
        )
    if problems:
        raise ValidationProblem(problems)

    last_day = None
    if days > 0:
        period = compute_period(issued_on, days, "days", member_state)
        last_day = period.end if not isinstance(period.end, datetime) else period.end.date()
        trace.step(
            rule="voluntary_departure_last_day",
            legal_basis=[vd_min.reference, *period.legal_basis],
            facts={"issued_on": issued_on, "member_state": member_state, "days": days},
            parameters={},
            outcome="; ".join([*period.steps, f"last day {last_day.isoformat()}"]),
        )
    return ReturnTerms(
        voluntary_departure_days=days,
        voluntary_departure_last_day=last_day,
        entry_ban_years=(months // 12 if months is not None and months % 12 == 0 else None),
        legal_basis=list(dict.fromkeys(basis)),
        trace=trace.to_list(),
        entry_ban_months=months,
    )


def _ban_length_problems(ban_field: str, months: int, in_months: bool, ban_max: Param,
                         serious_threat: bool) -> list[tuple[str, str]]:
    """What is wrong with an entry ban of ``months`` months (given in months, or in years: 12 a
    year): at least one, at most the bound against typing slips, beyond the ceiling of Art 11(2)
    Directive 2008/115/EC (``ban_max``) only for a serious threat."""
    unit = "month" if in_months else "year"
    if months < 1:
        return [(ban_field, f"must be at least 1 {unit}")]
    if months > ENTRY_BAN_MONTHS_MAX:
        # not a rule of law: a bound no ban reaches (a typing slip)
        return [(ban_field, f"more than {ENTRY_BAN_MONTHS_MAX // 12} years: check the number typed")]
    if months > 12 * _num(ban_max) and not serious_threat:
        return [(
            ban_field,
            (
                f"more than {12 * _num(ban_max) if in_months else _num(ban_max)} "
                f"{unit}s needs the ground 'serious_threat' (Art 11(2) Directive 2008/115/EC)"
            ),
        )]
    return []


#: Directive 2008/115/EC Art 11(1): a return decision is accompanied by an entry ban (a) where no
#: period for voluntary departure was granted, (b) where the obligation to return was not complied
#: with. Case (a) is known when the decision is issued (:func:`decide_terms` requires the ban then);
#: case (b) only once the period ended without the person leaving.
ART_11_1_B = LegalRef.of("return_directive", "11", "1", "b")
#: Directive 2008/115/EC Art 13(2): the authority reviewing a return-related decision may
#: temporarily suspend its enforcement; Art 9(1)(b): removal is postponed for as long as that
#: suspension lasts.
ART_13_2 = LegalRef.of("return_directive", "13", "2")
ART_9_1_B = LegalRef.of("return_directive", "9", "1", "b")


def entry_ban_withheld_reason(asylum_basis: str | None = None) -> str:
    """Why no entry ban under Art 11(1)(b) is imposed on a decision whose enforcement is suspended,
    though its period for voluntary departure ended without a departure (our reading: the Directive
    does not say it in words). The suspension of Art 13(2) suspends the enforcement of the decision
    that imposes the obligation to return (Art 3(4)); removal is postponed for as long as it lasts
    (Art 9(1)(b)) and the person is told in writing that enforcement is suspended (Art 14(2)). While
    it lasts the obligation cannot be enforced, so the person is not failing to comply with it; and
    the review may annul the decision, with which a ban accompanying it (Art 3(6)) would fall. The
    ban becomes possible again once the suspension is lifted and no departure is recorded.

    ``asylum_basis``: the decision is suspended because the applicant may remain pending the appeal
    against the negative asylum decision it was issued with, by that article (APR Art 68; before the
    Pact Directive 2013/32/EU Art 46(5)), not by a review of the return decision under Art 13(2):
    the same holds, and the reason names that article instead."""
    if asylum_basis:
        why = (f"the applicant may remain pending the appeal against the negative asylum decision it was issued "
               f"with, and its effects are suspended meanwhile ({asylum_basis})")
    else:
        why = (f"its enforcement is suspended ({ART_13_2.cite()}) and its removal postponed while the suspension "
               f"lasts ({ART_9_1_B.cite()})")
    return (f"{why}: the obligation to return cannot be enforced meanwhile, so it is not 'not complied with' "
            f"({ART_11_1_B.cite()}); an entry ban for it can be imposed once the suspension is lifted, if no "
            "departure is recorded by then")


#: Regulation (EU) 2018/1860 Art 4(1)(z): the return alert says whether the decision is accompanied
#: by an entry ban; Art 6(2): once the return is confirmed, the issuing state enters, where
#: applicable, the alert for refusal of entry and stay (Regulation (EU) 2018/1861 Art 24(1)(b)).
ALERT_FIELD_Z = LegalRef.of("sis_return", "4", "1", "z")
BAN_ALERT_ON_RETURN = LegalRef.of("sis_return", "6", "2")


def entry_ban_imposed_words(*, issuing_member_state: str, reference: str, months: int, imposed_on: date,
                            enforcing: bool) -> str:
    """What a state with a hit on the alert is told when the issuing state imposes an entry ban
    after issue (Art 11(1)(b)): the ban, its length and day, the alert's field (z), and that it runs
    from the departure, when the issuing state enters the entry-ban alert. ``enforcing``: the state
    recognised the decision and removes the person, so the departure it confirms starts the ban.
    The reasons stay the issuing state's (asked for on the hit, as supplementary information)."""
    words = (f"{issuing_member_state} imposed an entry ban of {entry_ban_length(months)} on return decision "
             f"{reference} on {imposed_on.isoformat()}: the obligation to return was not complied with "
             f"({ART_11_1_B.cite()}). The return alert now says the decision is accompanied by an entry ban "
             f"({ALERT_FIELD_Z.cite()}). The ban runs from the person's departure: once the return is confirmed, "
             f"{issuing_member_state} enters the alert for refusal of entry and stay ({BAN_ALERT_ON_RETURN.cite()}).")
    if enforcing:
        words += " Your state enforces the decision: the departure it confirms starts the ban."
    return words


@dataclass(frozen=True)
class LaterBan:
    """The checked terms of an entry ban imposed on a decision after its issue (Art 11(1)(b))."""

    entry_ban_months: int
    entry_ban_years: int | None
    legal_basis: list[str]
    trace: list[dict[str, Any]]


def later_entry_ban(
    *,
    imposed_on: date,
    voluntary_departure_last_day: date | None,
    entry_ban_years: int | None,
    entry_ban_months: int | None,
    serious_threat: bool = False,
) -> LaterBan:
    """Check an entry ban imposed on ``imposed_on`` on a decision already issued because the
    obligation to return was not complied with (Directive 2008/115/EC Art 11(1)(b)): the period
    for voluntary departure (its last day ``voluntary_departure_last_day``) must have ended before
    that day (within it the person may still comply); a decision that granted none had its ban at
    issue (Art 11(1)(a)). The length is checked as at issue (Art 11(2), the parameter
    ``returns.entry_ban.max_duration`` in force on ``imposed_on``); :class:`ValidationProblem`
    naming the fields otherwise."""
    problems: list[tuple[str, str]] = []
    if voluntary_departure_last_day is None:
        problems.append(("imposed_on", "the decision granted no period for voluntary departure: its entry ban goes "
                                       "with it at issue (Art 11(1)(a) Directive 2008/115/EC), not later under "
                                       "Art 11(1)(b)"))
    elif imposed_on <= voluntary_departure_last_day:
        problems.append(("imposed_on", f"the period for voluntary departure runs until "
                                       f"{voluntary_departure_last_day.isoformat()}, its last day included: the "
                                       "obligation to return is not yet unmet, and an entry ban under Art 11(1)(b) "
                                       f"Directive 2008/115/EC can be imposed from "
                                       f"{(voluntary_departure_last_day + timedelta(days=1)).isoformat()}"))
    ban_field = "entry_ban_months" if entry_ban_months is not None else "entry_ban_years"
    months = 0
    try:
        ban_max = param(P_BAN_MAX, on=imposed_on)
    except NotInForce:
        raise ValidationProblem.one("imposed_on", f"no rules on entry bans are in force on "
                                                  f"{imposed_on.isoformat()}") from None
    _expect_unit(ban_max, "years")
    if entry_ban_years is not None and entry_ban_months is not None:
        problems.append(("entry_ban_months", "give the entry ban in years or in months, not both"))
    elif entry_ban_years is None and entry_ban_months is None:
        problems.append(("entry_ban_years", "give the entry ban's length in years or in months (Art 11(2) "
                                            "Directive 2008/115/EC)"))
    else:
        months = entry_ban_months if entry_ban_months is not None else 12 * (entry_ban_years or 0)
        problems += _ban_length_problems(ban_field, months, entry_ban_months is not None, ban_max, serious_threat)
    if problems:
        raise ValidationProblem(problems)
    trace = Trace()
    trace.step(
        rule="entry_ban_not_complied",
        legal_basis=[ART_11_1_B],
        facts={"voluntary_departure_last_day": voluntary_departure_last_day, "imposed_on": imposed_on},
        parameters={},
        outcome=f"the period for voluntary departure ended on {voluntary_departure_last_day} without a departure "
                f"recorded: entry ban imposed on {imposed_on.isoformat()}",
    )
    trace.step(
        rule="entry_ban_duration",
        legal_basis=[ban_max.reference],
        facts={ban_field: entry_ban_months if entry_ban_months is not None else entry_ban_years,
               "serious_threat": serious_threat},
        parameters={P_BAN_MAX: ban_max.value},
        outcome=f"{entry_ban_length(months)} from the actual departure",
    )
    return LaterBan(
        entry_ban_months=months,
        entry_ban_years=months // 12 if months % 12 == 0 else None,
        legal_basis=[ART_11_1_B.cite(), ban_max.reference.cite()],
        trace=trace.to_list(),
    )


def voluntary_departure_last_day(issued_on: date, days: int, member_state: str) -> date:
    """Last day of the period: ``days`` counted from the day after the decision (Reg. 1182/71)."""
    result = add_period(issued_on, amount=days, unit="days", member_state=member_state)
    return result if isinstance(result, date) else result.date()


#: The longest entry ban recorded, in months: not a rule of law (Art 11(2) Directive 2008/115/EC
#: allows more than five years for a serious threat) but a bound no ban reaches, against a typing slip.
ENTRY_BAN_MONTHS_MAX = 12 * 99


def entry_ban_length(months: int) -> str:
    """An entry ban's length in words: "3 years", "18 months", "1 year"."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'' if years == 1 else 's'}"
    return f"{months} month{'' if months == 1 else 's'}"


def entry_ban_ends_after(departed_on: date, months: int, member_state: str) -> date:
    """The last day of an entry ban of ``months`` months from the actual departure: as
    :func:`entry_ban_ends_on` counts years, the same day ``months`` later (Reg. 1182/71 Art
    3(2)(c); the month's last day where it has no such day), not moved to a working day."""
    result = compute_period(departed_on, months, "months", member_state, extend=False).end
    return result.date() if isinstance(result, datetime) else result


def entry_ban_ends_on(departed_on: date, years: int, member_state: str) -> date:
    """The last day of the entry ban: ``years`` from the actual departure (CJEU C-225/16
    *Ouhrami*), counted as Reg. 1182/71 Arts 3(1) and 3(2)(c) count (the same date ``years``
    later; 28 February for a departure on 29 February).

    The ban is a prohibition that runs out by itself, not a time limit for anyone to act: its last
    day is not moved to the next working day (Reg. 1182/71 Art 3(4) and 3(5) give whoever must act
    a working day). Extending it would keep the person banned, and the alert in SIS, beyond the
    length imposed (and beyond the ceiling of Art 11(2) Directive 2008/115/EC): the reading that
    protects the person."""
    result = compute_period(departed_on, years, "years", member_state, extend=False).end
    return result.date() if isinstance(result, datetime) else result


FORM_GROUNDS.update(ALL_GROUNDS)
FORM_GROUNDS["return_border_procedure"] = (
    "rejected in the asylum border procedure (Reg. (EU) 2024/1349 once it applies; before, "
    f"{LegalRef.of('procedures_directive', '43').cite()})"
)
