"""The asylum case workflow as a state machine, and each case's next legal deadline.

A case moves through the states of :class:`CaseState` by actions. ``apply`` checks that the action
is legal in the current state and with the facts held (the decision needs the personal interview,
the appeal must be lodged within its time limit, the second-level review is by another officer) and
returns the change to record; an illegal transition raises ``Conflict`` with the reason, bad input
raises ``ValidationProblem``. The service records every change as an audited event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pactum.common.errors import Conflict, ValidationProblem
from pactum.common.text import code_words
from pactum.law import LegalRef, param, regime_for
from pactum.law import tree as law_tree
from pactum.law.periods import compute_period, length_words
from pactum.law.regimes import ProceduresRegime, procedures_regime
from pactum.law.time_limits import national_law_note
from pactum.law.tree import NotInForce, UnknownParameter
from pactum.procedures.model import (
    CLOSED_STATES,
    NEGATIVE_OUTCOMES,
    AppealOutcome,
    CaseState,
    Outcome,
)
from pactum.procedures.return_decision_ground import GROUND as RD_GROUND
from pactum.procedures.return_decision_ground import P_EXAMINATION as P_GROUND_38_1_E
from pactum.procedures.return_decision_ground import late_after_return_decision

S = CaseState
ACTIONS: dict[str, tuple[set[CaseState], str]] = {
    "register": ({S.made}, "register the application"),
    "lodge": ({S.registered}, "lodge the application"),
    "schedule_interview": ({S.lodged, S.interview_scheduled}, "schedule the personal interview"),
    "hold_interview": ({S.interview_scheduled}, "hold the personal interview"),
    # the determining authority omits the personal interview on the substance (APR Art 13(11)(a), (c);
    # before the Pact Directive 2013/32/EU Art 14(2)(a), (b)): a decision may then be taken without it;
    # or the admissibility interview (APR Art 13(11)(d), (e); Directive Art 34(1) with 42(2)(b)): the
    # decision on admissibility that the ground names may then be taken without it
    "omit_interview": ({S.lodged, S.interview_scheduled},
                       "record that the personal interview on the substance is omitted"),
    # the applicant did not attend the personal interview scheduled, though sufficient efforts were
    # made to give them the opportunity of one (APR Art 13(14)): a decision may be taken without it
    "record_interview_not_attended": ({S.interview_scheduled},
                                      "record that the applicant did not attend the personal interview despite "
                                      "sufficient efforts"),
    "add_evidence": ({S.lodged, S.interview_scheduled, S.interview_held, S.draft_decision},
                     "add evidence to the file"),
    # APR Art 41(4): the competent authority may suspend the procedure to give the applicant the
    # opportunity to justify or rectify an omission or action of Art 41(1) before a decision declaring
    # the application implicitly withdrawn; the examination resumes once they did, or the time given ends
    "suspend_examination": ({S.lodged, S.interview_scheduled, S.interview_held},
                            "suspend the examination so that the applicant may justify or rectify an omission "
                            "before an implicit withdrawal"),
    "resume_examination": ({S.lodged, S.interview_scheduled, S.interview_held},
                           "resume the suspended examination"),
    # the preliminary examination of a subsequent application found new elements (APR Art 55(3),
    # (6); Directive 2013/32/EU Art 40(3)): it is examined further on the merits, under the APR in
    # the accelerated procedure (Art 42(1)(g))
    "admit_subsequent": ({S.lodged, S.interview_scheduled, S.interview_held},
                         "record that the preliminary examination found new elements: the subsequent "
                         "application is examined on the merits, unless another inadmissibility ground is "
                         "examined first"),
    # APR Art 55(6), "unless": new elements were found, but the application was examined for its
    # admissibility on another ground of Art 38(1); that ground does not apply, so it is examined on
    # the merits, in the accelerated procedure (Art 42(1)(g))
    "examine_on_merits": ({S.lodged, S.interview_scheduled, S.interview_held},
                          "record that the other inadmissibility ground does not apply: the subsequent "
                          "application is examined on the merits"),
    # APR Art 42(2) (too complex to examine in the accelerated procedure: the examination on the merits
    # goes on under Art 35(4) and Art 39, the applicant informed) and Art 21(2) (the support an
    # applicant in need of special procedural guarantees needs cannot be given in it: the authority
    # ceases to apply it)
    "leave_accelerated": ({S.lodged, S.interview_scheduled, S.interview_held},
                          "continue the examination on the merits outside the accelerated procedure"),
    # APR Art 53(2) (the Member State "shall cease at any stage to apply" the border procedure on
    # points (a)-(e)) and Art 21(2); before the Pact Directive 2013/32/EU Art 24(3): the applicant
    # is authorised to enter and the appropriate procedure of Chapter III applies (Art 53(2), last
    # subparagraph). From registration until a decision is drafted.
    "leave_border_procedure": ({S.registered, S.lodged, S.interview_scheduled, S.interview_held},
                               "authorise entry and continue the examination outside the border procedure"),
    "draft_decision": ({S.lodged, S.interview_scheduled, S.interview_held}, "draft the decision"),
    "submit_for_review": ({S.draft_decision}, "submit the draft for second-level review"),
    "approve": ({S.under_review}, "approve the decision (second-level review)"),
    "return_draft": ({S.under_review}, "return the draft for revision"),
    "notify": ({S.decided}, "notify the decision"),
    "lodge_appeal": ({S.notified}, "lodge an appeal"),
    "decide_appeal": ({S.appeal_lodged}, "record the appeal outcome"),
    # an appeal without automatic suspensive effect (APR Art 68(3)): the applicant asks the court
    # for leave to remain pending it, and the court decides (Art 68(4), (5))
    "request_to_remain": ({S.appeal_lodged}, "record the applicant's request to the court to remain pending the appeal"),
    "decide_request_to_remain": ({S.appeal_lodged}, "record the court's decision on the request to remain"),
    "close": ({S.notified}, "close the case as final"),
    "close_transferred": ({S.registered, S.lodged, S.interview_scheduled, S.interview_held,
                           S.draft_decision, S.under_review},
                          "close the case: the applicant was transferred to the Member State responsible"),
    # two applications of one person in one state (two records later linked as the same person):
    # one is closed and its file carried on in the other, before a decision is taken on it
    "close_joined": ({S.made, S.registered, S.lodged, S.interview_scheduled, S.interview_held,
                      S.draft_decision, S.under_review},
                     "close the application as joined to another application of the same person"),
    # the applicant withdrew the application on their own initiative "at any stage of the
    # procedure" (APR Art 40(1)): from its making until the decision on it is final, the appeal
    # stage included (a decision notified, its appeal time limit running or an appeal pending)
    "record_withdrawal": ({S.made, S.registered, S.lodged, S.interview_scheduled, S.interview_held,
                           S.draft_decision, S.under_review, S.decided, S.notified, S.appeal_lodged},
                          "record the applicant's explicit withdrawal of the application"),
}
#: States in which a Dublin transfer ends the case here: from registration (the determination of
#: the state responsible starts with it, AMMR Art 39(1); Dublin III Art 20(1)) until a decision on
#: the substance is taken. The state responsible examines the application (AMMR Art 42(1)(a), 46;
#: Dublin III Arts 26(1), 29): the transferring state does not.
TRANSFER_CLOSES = ACTIONS["close_transferred"][0]
# Decisions that do not need the personal interview: implicit withdrawal (APR Art 41).
NO_INTERVIEW_OUTCOMES = frozenset({Outcome.implicitly_withdrawn})

APR = "apr"
APD = "procedures_directive"
#: The terms of the return decision a notification may carry (returns area checks their values).
RETURN_TERMS = ("voluntary_departure_days", "entry_ban_years", "entry_ban_months")
#: The longest name of a language a case records (the width of its store column): a language,
#: not a text; longer input is refused naming the field (PostgreSQL refused it with a 500).
LANGUAGE_MAX = 60


@dataclass(frozen=True)
class Case:
    """What the workflow needs to know about a case."""

    member_state: str
    procedure: str
    context: str
    state: CaseState
    made_on: date
    registered_on: date | None = None
    lodged_on: date | None = None
    interview_held_on: date | None = None
    interpreter_language: str | None = None
    outcome: str | None = None
    drafted_by: str | None = None
    decided_on: date | None = None
    notified_on: date | None = None
    appeal_deadline: date | None = None
    appeal_lodged_on: date | None = None
    suspensive_effect: bool | None = None
    appeal_outcome: str | None = None
    inadmissibility_ground: str | None = None
    #: the applicant is an unaccompanied minor (APR Art 68(3)(a)(ii), (b): the appeal of a minor in
    #: the border procedure keeps its suspensive effect)
    unaccompanied_minor: bool = False
    #: the applicant's request to the court for leave to remain pending an appeal without automatic
    #: suspensive effect (APR Art 68(4), (5)), the day the court decided it and whether it allowed it
    remain_requested_on: date | None = None
    remain_decided_on: date | None = None
    remain_allowed: bool | None = None
    #: a return decision was issued with the case's decision (its notification)
    return_decision_issued: bool = False
    #: the application is a subsequent application (the routing found it so): not inadmissible, it is
    #: examined under APR Art 42(1)(g) (accelerated), its rejection appealed within Art 67(7)(a)'s
    #: time limit and without automatic suspensive effect (Art 68(3)(d))
    subsequent_application: bool = False
    #: the day the preliminary examination of the subsequent application found new elements (APR
    #: Art 55(3), (6); Directive 2013/32/EU Art 40(3)): ``admit_subsequent``
    new_elements_found_on: date | None = None
    #: the case was routed to the accelerated procedure on a circumstance of APR Art 42(1) and the
    #: determining authority continued the examination outside it (``leave_accelerated``: Art 42(2),
    #: 21(2)); the circumstance still applies at the decision, so its rejection keeps Art 67(7)(a)'s
    #: time limit for the appeal
    left_accelerated: bool = False
    #: the grounds the application was routed on (``RoutingResult.grounds``): outside the border
    #: procedure they choose the procedure that continues (``procedure_outside_border``)
    grounds: tuple[str, ...] = ()
    #: the day the border procedure ceased to apply to the case before its end, and the ground
    #: (``leave_border_procedure``: APR Art 53(2)(a)-(e), Art 21(2); Directive Art 24(3))
    border_left_on: date | None = None
    border_left_ground: str | None = None
    #: the day the determining authority decided to omit the personal interview on the substance and
    #: the ground (``omit_interview``: :data:`INTERVIEW_OMISSION_GROUNDS`), the last day the applicant
    #: has to submit further information in writing (ground ``unfit_or_unable``) and, under the APR,
    #: whether subsidiary protection carries the same rights and benefits as refugee status (ground
    #: ``positive_decision``: Art 13(11)(a))
    interview_omitted_on: date | None = None
    interview_omission_ground: str | None = None
    interview_written_until: date | None = None
    interview_omission_same_rights: bool = False
    #: the day the applicant's absence from the personal interview scheduled, despite sufficient
    #: efforts, was recorded (``record_interview_not_attended``: APR Art 13(14)); its own column since
    #: ``procedures_0013_interview_not_attended`` (before, the omission's columns held it as ground
    #: ``not_attended``)
    interview_not_attended_on: date | None = None
    #: the examination suspended so that the applicant may justify or rectify an omission or action of
    #: APR Art 41(1) before a decision declares the application implicitly withdrawn (Art 41(4):
    #: ``suspend_examination``): the day, the last day given to the applicant and the point of Art 41(1);
    #: ``resume_examination`` clears them (procedures_0014)
    suspended_on: date | None = None
    suspended_until: date | None = None
    suspension_ground: str | None = None


@dataclass(frozen=True)
class Change:
    case: Case
    event: str
    detail: dict[str, Any] = field(default_factory=dict)
    return_decision: bool = False
    #: What becomes of the return decision issued with the negative decision (returns area):
    #: ``suspend`` while an appeal with suspensive effect is pending (Directive 2008/115/EC
    #: Art 13(2); the SIS return alert says so, Reg. (EU) 2018/1860 Art 4(1)(y)), ``lift_suspension``
    #: when the appeal is dismissed, ``withdraw`` when the decision it went with is annulled
    #: (appeal granted or remitted). ``None``: nothing changes.
    return_decision_action: str | None = None


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    legal_basis: str
    computation: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "due": self.due.isoformat(), "legal_basis": self.legal_basis,
                "computation": self.computation}


def case_regime(case: Case) -> ProceduresRegime:
    """The procedures regime of the case and why (APR Art 79(3)): by the day the application was
    lodged, fixed from then on (a case lodged before 12 June 2026 stays under Directive 2013/32/EU
    when later steps fall after it; one made before and lodged from it is under the APR). Before
    lodging, the day it was registered or else made stands in (``pactum.law.regimes.procedures_regime``).
    Every choice of the procedures regime of a case goes through here."""
    return procedures_regime(case.made_on, case.lodged_on, case.registered_on)


def _regime(case: Case) -> str:
    return case_regime(case).regime


def _made_regime(case: Case) -> str:
    """The prefix of the time limits that run from the making of the application (registration,
    APR Art 27; before the Pact Directive 2013/32/EU Art 6(1)): the law in force on the day it was
    made. APR Art 79(2) applies the Regulation from 12 June 2026 and Art 79(3) attaches an
    application to it by its lodging, which comes after registration: a registration due from a
    making before that day was owed under the Directive and stays so when the application is
    lodged later, under the APR (nor are the APR's values in force before that day)."""
    return APR if regime_for("procedures", case.made_on) == "pact" else APD


def _law_day(case: Case, start: date) -> date:
    """The day a parameter of the case's regime is read on, for a period from ``start``: ``start``,
    or the day that chose the regime where ``start`` is earlier (a border procedure from a
    registration before 12 June 2026, of an application lodged under the APR from that day: the
    APR's values are in force from it)."""
    return max(start, case_regime(case).on)


#: Periods computed (``_period``), by parameter path, start, state and ``extend``, for the
#: parameter tree they were computed from: every act of a case recomputes its next deadline, and
#: the same few periods run from the same days for thousands of cases. A period follows from the
#: tree, the day and the state's calendar alone; another tree (a parameter changed) empties it.
_PERIODS: dict[tuple[str, date, str, bool, date], tuple[date, str, tuple[str, ...]] | BaseException] = {}
_PERIODS_TREE: list[object] = [None]
_PERIODS_MAX = 100_000


def _period(path: str, start: date, ms: str, extend: bool = True, on: date | None = None
            ) -> tuple[date, str, list[str]]:
    """The period of parameter ``path`` from ``start`` under Reg. 1182/71. ``extend=False`` for a
    maximum that runs out by itself (the border procedure): its last day is not moved to a working
    day. A value national law chooses says so (the appeal time limit, APR Art 67(7)). Computed once
    per parameter tree (``_PERIODS``); a parameter unknown or not in force raises as each time.
    The parameter is read as in force on ``on`` (default ``start``)."""
    current = law_tree.tree()
    if _PERIODS_TREE[0] is not current:
        _PERIODS.clear()
        _PERIODS_TREE[0] = current
    key = (path, start, ms, extend, on or start)
    hit = _PERIODS.get(key)
    if hit is None:
        try:
            due, ref, comp = _compute_period(path, start, ms, extend, on or start)
        except (UnknownParameter, NotInForce) as exc:
            hit = exc
        else:
            hit = (due, ref, tuple(comp))
        if len(_PERIODS) >= _PERIODS_MAX:
            _PERIODS.clear()
        _PERIODS[key] = hit
    if isinstance(hit, BaseException):
        raise type(hit)(*hit.args)
    return hit[0], hit[1], list(hit[2])


def _compute_period(path: str, start: date, ms: str, extend: bool, on: date) -> tuple[date, str, list[str]]:
    p = param(path, on=on)
    unit = str(p.unit)
    period = compute_period(start, int(p.value), unit, ms, extend=extend)
    due = period.end
    assert isinstance(due, date)
    comp = [f"{length_words(int(p.value), unit)} from {start.isoformat()} ({p.cite()}): {due.isoformat()}"]
    national = national_law_note(path, p)
    if national:
        comp.append(national)
    comp.extend(period.steps)
    return due, p.cite(), comp


def _maybe(path: str, start: date, ms: str, kind: str, extend: bool = True, on: date | None = None
           ) -> Deadline | None:
    """A deadline if the law in force on ``start`` (or ``on``) sets one (the Directive leaves some
    to national law: then no EU deadline runs)."""
    try:
        due, ref, comp = _period(path, start, ms, extend=extend, on=on)
    except (UnknownParameter, NotInForce):
        return None
    return Deadline(kind, due, ref, comp)


def _border_end(case: Case) -> Deadline | None:
    """The end of the border procedure: a maximum that runs out by itself (the applicant may not be
    kept at or near the border for it any longer; APR Art 51(2), before the Pact Directive
    2013/32/EU Art 43(2)), so its last day is not extended to a working day by Reg. 1182/71
    Art 3(4)/3(5), as ``pactum.law.time_limit("border_procedure", ...)`` computes it."""
    assert case.registered_on is not None
    pre = _pp(case)
    key = "duration_after_relocation" if (case.context == "relocation" and pre == APR) else "duration"
    return _maybe(f"{pre}.border_procedure.{key}", case.registered_on, case.member_state,
                  "border_procedure_end", extend=False, on=_law_day(case, case.registered_on))


def _pp(case: Case) -> str:
    return APR if _regime(case) == "pact" else APD


def interview_ref(case: Case) -> str:
    """The personal interview on the substance, under the law of the case: APR Art 12(1) (the
    interview on the merits, «colloquio sul merito», before a decision on the merits; Art 13 sets how
    any personal interview is held and when it may be omitted), before it the Asylum Procedures
    Directive's Art 14."""
    return LegalRef.of(APR, "12", "1").cite() if _pp(case) == APR else LegalRef.of(APD, "14").cite()


def implicit_withdrawal_ref(case: Case) -> str:
    """The implicit withdrawal of an application under the law of the case: APR Art 41, before it
    the Directive's Art 28."""
    return LegalRef.of(APR, "41").cite() if _pp(case) == APR else LegalRef.of(APD, "28").cite()


def draft_before_interview(case: Case) -> dict[str, Any] | None:
    """While the personal interview is not held (None once it is): the outcomes a draft may take
    without it (:data:`NO_INTERVIEW_OUTCOMES`, the only ones ``_draft`` accepts then), the interview's
    article and why the other outcomes wait, in words. Where the interview was omitted
    (``omit_interview``): because a positive decision can be taken, the positive outcomes too; because
    the applicant is unfit or unable to be interviewed, None (every outcome)."""
    if case.interview_held_on is not None:
        return None
    interview, implicit = interview_ref(case), implicit_withdrawal_ref(case)
    if case.interview_not_attended_on is not None or case.interview_omission_ground == "unfit_or_unable":
        return None  # any decision: the omission not adversely affecting it, or the absence (Art 13(14))
    if omission_in_force(case) and case.interview_omission_ground in ADMISSIBILITY_OMISSION_GROUNDS:
        ground = str(case.interview_omission_ground)
        omitted = assert_date(case.interview_omitted_on)
        ref = omission_refs(case, ground)[0]
        inadmissible_on = ADMISSIBILITY_OMISSION_GROUNDS[ground]
        return {"outcomes": [o.value for o in DRAFT_OUTCOMES if o in NO_INTERVIEW_OUTCOMES or o == Outcome.inadmissible],
                "inadmissibility_ground": inadmissible_on,
                "legal_basis": [ref, implicit],
                "note": (f"the admissibility interview was omitted on {omitted.isoformat()} ({ref}): only a rejection "
                         f"as inadmissible on the ground {code_words(inadmissible_on)} may be drafted without "
                         f"it. Any other decision needs the personal interview: schedule and hold it ({interview})")}
    if case.interview_omission_ground == "positive_decision":
        allowed = omission_outcomes(case)
        omitted = assert_date(case.interview_omitted_on)
        ref = omission_refs(case, "positive_decision")[0]
        return {"outcomes": [o.value for o in DRAFT_OUTCOMES if o in NO_INTERVIEW_OUTCOMES or o in allowed],
                "legal_basis": [ref, implicit],
                "note": (f"the personal interview was omitted on {omitted.isoformat()} because a positive decision "
                         f"can be taken on the evidence available ({ref}): only "
                         f"{' or '.join(code_words(o.value) for o in allowed)} may be drafted without it. "
                         f"Any other decision needs the interview: schedule and hold it ({interview})")}
    return {"outcomes": [o.value for o in DRAFT_OUTCOMES if o in NO_INTERVIEW_OUTCOMES],
            "legal_basis": [interview, implicit],
            "note": (f"a decision on the application needs the personal interview held first ({interview}): "
                     f"schedule and hold it. Until then the only decision to draft treats the application as "
                     f"implicitly withdrawn ({implicit})")}


def manifestly_unfounded_ref(case: Case) -> str:
    """A rejection as manifestly unfounded: APR Art 39(4) (an unfounded application declared
    manifestly unfounded where, at the conclusion of the examination, a circumstance of Art 42(1)
    or (3) applies; Art 39(3) is the rejection as unfounded; read in the text, its correlation
    table giving Directive Art 32(2) as Art 39(4)); before it the Directive's Art 32(2) (an
    unfounded application where a circumstance of Art 31(8) applies)."""
    if _pp(case) == APR:
        return LegalRef.of(APR, "39", "4").cite()
    return LegalRef.of(APD, "32", "2").cite()


def reasons_ref(case: Case) -> str:
    """A decision that rejects the application in whole or in part (as inadmissible, unfounded or
    manifestly unfounded with regard to refugee status or subsidiary protection status, or as
    withdrawn) states the reasons in fact and in law: APR Art 36(2); before it the Directive's
    Art 11(2). Subsidiary protection alone rejects the application with regard to refugee
    status."""
    if _pp(case) == APR:
        return LegalRef.of(APR, "36", "2").cite()
    return LegalRef.of(APD, "11", "2").cite()


#: the outcomes a caseworker drafts (an explicit withdrawal is recorded by ``record_withdrawal``)
DRAFT_OUTCOMES = tuple(o for o in Outcome if o != Outcome.explicitly_withdrawn)

#: the procedures in which an application may be rejected as manifestly unfounded (``_draft``)
MANIFESTLY_UNFOUNDED_PROCEDURES = ("accelerated", "border")

#: the one outcome that rejects nothing, so needs no stated reasons
REASONS_NOT_REQUIRED = frozenset({Outcome.refugee_status})

#: what each outcome other than refugee status rejects, as the refusal of a reasonless draft says
OUTCOME_REJECTS = {
    Outcome.subsidiary_protection: "grants subsidiary protection and so rejects the application with regard "
                                   "to refugee status",
    Outcome.rejected_unfounded: "rejects the application as unfounded",
    Outcome.rejected_manifestly_unfounded: "rejects the application as manifestly unfounded",
    Outcome.inadmissible: "rejects the application as inadmissible",
    Outcome.implicitly_withdrawn: "treats the application as implicitly withdrawn",
    Outcome.explicitly_withdrawn: "declares the application explicitly withdrawn",
}

#: The grounds on which an application may be rejected as inadmissible, per regime, with their
#: citations. Before the Pact: Directive 2013/32/EU Art 33(2)(a)-(e). Under the APR, Art 38 as read
#: in the Official Journal text (Italian version): (1)(a) first country of asylum, (b) safe third
#: country, (c) international protection granted by another Member State, (d) safe relocation
#: ordered by an international criminal court, (e) an application made more than seven working
#: days after a return decision; Art 38(2) a subsequent application without new elements (cited
#: here as Art 55, as routing does). Art 38 has no ground for a dependant's separate application
#: (the Directive's Art 33(2)(e)): it is not offered under the APR. Ground (e)
#: (``return_decision_late_application``) needs facts the draft alone does not hold: the service
#: finds the person's return decision in the state and the draft confirms the information given and
#: that no new relevant elements arose (``_late_after_return_decision``).
INADMISSIBILITY_GROUNDS: dict[str, dict[str, str]] = {
    "pre_pact": {
        "protection_in_another_member_state": LegalRef.of(APD, "33", "2", "a").cite(),
        "first_country_of_asylum": LegalRef.of(APD, "33", "2", "b").cite(),
        "safe_third_country": LegalRef.of(APD, "33", "2", "c").cite(),
        "subsequent_application": LegalRef.of(APD, "33", "2", "d").cite(),
        "dependant_separate_application": LegalRef.of(APD, "33", "2", "e").cite(),
    },
    "pact": {
        "first_country_of_asylum": LegalRef.of(APR, "38", "1", "a").cite(),
        "safe_third_country": LegalRef.of(APR, "38", "1", "b").cite(),
        "protection_in_another_member_state": LegalRef.of(APR, "38", "1", "c").cite(),
        "international_court_relocation": LegalRef.of(APR, "38", "1", "d").cite(),
        RD_GROUND: LegalRef.of(APR, "38", "1", "e").cite(),
        "subsequent_application": LegalRef.of(APR, "55").cite(),
    },
}

#: the most a draft's reasons hold (a decision's statement of reasons, not a file)
REASONS_MAX = 20_000


def next_deadline(case: Case, today: date | None = None) -> Deadline | None:
    """The next legal deadline of the case in its current state, or ``None`` when none runs.
    ``today``: the day it is asked on; the border procedure's end, once passed, is then no longer
    the next deadline of a case whose decision, taken in the border procedure, was notified
    (``border_end_behind``: it waits on the applicant's appeal or on the court, a maximum that ran
    out is not a deadline anyone can still meet). Without ``today`` the end stays among the
    deadlines while the border procedure runs (``border_end_runs``). Nor is it the next deadline of
    a case still undecided when it passed (``border_ended_undecided``): the applicant is then to be
    authorised to enter (APR Art 51(2)) and the application is examined further in the procedure
    ``procedure_outside_border`` gives, whose time limit is the case's next deadline, its
    computation saying why."""
    ended = border_ended_undecided(case, today) if today is not None else None
    if ended is not None:
        case = replace(case, procedure=ended[0])
    pre = _pp(case)
    ms = case.member_state
    cands: list[Deadline | None] = []
    if case.state == S.made:
        cands.append(registration_due(case))
    if border_end_runs(case) and not (today is not None and border_end_behind(case, today)):
        cands.append(_border_end(case))
    if case.state == S.registered and case.registered_on:
        cands.append(lodging_due(case))
    if case.state in EXAMINATION_STATES and case.lodged_on:
        if ground_38_1_e_examined(case):
            cands.append(_ground_38_1_e_end(case, case.lodged_on))
        else:
            cands.append(_examination_limit(case))
    if case.state == S.notified and case.appeal_deadline and appealable(case):
        comp = [f"appeal time limit ends {case.appeal_deadline.isoformat()}"]
        if case.notified_on is not None:
            try:  # the computation the notification recorded (Reg. 1182/71), when it still gives this day
                due, steps = appeal_deadline(case, case.notified_on)
                if due == case.appeal_deadline:
                    comp = steps
            except (UnknownParameter, NotInForce):
                pass
        cands.append(Deadline("appeal", case.appeal_deadline, _appeal_ref(case), comp))
    if case.state == S.appeal_lodged and case.appeal_lodged_on:
        kind = "expedited" if _expedited(case) else "regular"
        cands.append(_maybe(f"{pre}.appeal.decision.{kind}", case.appeal_lodged_on, ms,
                            "appeal_decision"))
    found = [d for d in cands if d is not None]
    if not found:
        return None
    best = min(found, key=lambda d: d.due)
    if ended is not None:
        best = Deadline(best.kind, best.due, best.legal_basis, [ended[1], *best.computation])
    return best




def border_ended_undecided(case: Case, today: date) -> tuple[str, str] | None:
    """Whether the border procedure's end passed (before ``today``) with no decision taken on the
    application, and then the procedure the application is examined further in and why in words
    (``None`` otherwise). APR Art 51(2), first subparagraph (read in the Italian Official Journal
    text): the maximum duration of the border procedure is 12 weeks from registration; "at the end
    of that period the applicant shall be authorised to enter the territory of the Member State,
    except where Article 4 of Regulation (EU) 2024/1349 applies" (which Art 43(3) ties to an
    applicant without a right to remain after a decision: none for an undecided case). Art 51(2)
    does not name the procedure that follows; our reading: the examination goes on under Chapter III
    in the procedure the case's grounds give outside the border procedure (``procedure_outside_border``),
    as Art 53(2) says for a case leaving it, its time limit Art 35's from lodging. Before the Pact
    Directive 2013/32/EU Art 43(2): at four weeks the applicant "is admitted to the territory so that
    the application is examined in accordance with the other provisions of this Directive"."""
    if case.procedure != "border" or case.state not in UNDECIDED_STATES or case.decided_on is not None:
        return None
    end = border_procedure_end(case)
    if end is None or end >= today:
        return None
    after, refs = procedure_outside_border(case)
    entry = (LegalRef.of(APR, "51", "2") if _regime(case) == "pact" else LegalRef.of(APD, "43", "2")).cite()
    return after, (f"the border procedure ended on {end.isoformat()} ({border_limit(case)[1]}) with no decision "
                   f"taken in it: the applicant is to be authorised to enter the territory ({entry}) and the "
                   f"application is examined further in the {after} procedure ({'; '.join(r.cite() for r in refs)})")


#: The states in which the examination of a lodged application is pending: its time limit runs
#: until the decision is taken (approved).
EXAMINATION_STATES = frozenset({S.lodged, S.interview_scheduled, S.interview_held, S.draft_decision,
                                S.under_review})
#: The states in which no decision on the application has been taken (registered, or its
#: examination pending): a border case in one of them when its end passes was not decided in time.
UNDECIDED_STATES = frozenset({S.registered} | EXAMINATION_STATES)
#: the deadline kind of the admissibility examination on the ground of APR Art 38(1)(e)
GROUND_38_1_E_KIND = "examination_admissibility_late_after_return_decision"


def ground_38_1_e_examined(case: Case) -> bool:
    """Whether the determining authority examines the admissibility of the application on the
    ground of APR Art 38(1)(e), as Pactum records it: the draft decision (pending review or
    returned for revision) rejects it as inadmissible on that ground, under the APR.

    Art 35(1), second subparagraph (read in the Italian text of Regulation (EU) 2024/1348, the
    EUR-Lex copy in d5p2rnkdz9-hub/SOSPATTO, public/patto-interattivo/1348.html): "in the case of
    Art 38(1)(e) the determining authority concludes the examination within ten working days". The
    examination it speaks of is the one of paragraph 1, whether the application is inadmissible;
    Art 38(1) lets the authority assess admissibility and, where national law authorises it,
    reject on that ground ("may"): it is not bound to examine admissibility on it because the
    facts are there. So the ten working days bind an examination on that ground, which Pactum
    knows of once a draft names it (the draft is refused unless the return decision was received
    more than seven working days before the application was made); before that, the case page
    shows the ground may apply and when its examination would end, and the procedure's own time
    limit stays the case's deadline."""
    return (case.state in (S.draft_decision, S.under_review) and case.outcome == Outcome.inadmissible
            and case.inadmissibility_ground == RD_GROUND and _regime(case) == "pact")


def _ground_38_1_e_end(case: Case, lodged_on: date) -> Deadline | None:
    """The end of the admissibility examination on the ground of APR Art 38(1)(e): ten working days
    (``apr.time_limits.admissibility_ground_38_1_e``) from lodging. The subparagraph names no
    start of its own; the paragraph's first subparagraph counts the admissibility examination
    "from the date the application is lodged", and the examination of a lodged application is what
    both speak of: the ten days run from lodging as well. It replaces the procedure's time limit
    (the examination on the merits does not take place on an application found inadmissible);
    Art 35(2) extends only the first subparagraph's period, and a missed time limit does not make
    the application admissible (Art 35(1), third subparagraph)."""
    on = _law_day(case, lodged_on)
    found = _maybe(P_GROUND_38_1_E, lodged_on, case.member_state, GROUND_38_1_E_KIND, on=on)
    if found is None:
        return None
    limit = param(P_GROUND_38_1_E, on=on)
    why = (f"the draft decision rejects the application as inadmissible on the ground of "
           f"{INADMISSIBILITY_GROUNDS['pact'][RD_GROUND]}: the examination on that ground ends within "
           f"{length_words(int(limit.value), str(limit.unit))} of lodging ({found.legal_basis}, second "
           f"subparagraph), in place of the {case.procedure} procedure's time limit")
    return Deadline(found.kind, found.due, found.legal_basis, [why, *found.computation])


#: The states in which the border procedure's end runs: from registration until the applicant no
#: longer has a right to remain, the appeal stage included (APR Art 51(2)).
BORDER_END_STATES = frozenset({S.registered, S.lodged, S.interview_scheduled, S.interview_held,
                               S.draft_decision, S.under_review, S.decided, S.notified,
                               S.appeal_lodged})


def border_end_runs(case: Case) -> bool:
    """Whether the end of the border procedure is among the case's deadlines now: a registered
    border case until the applicant no longer has a right to remain, the appeal stage included
    (APR Art 51(2): 12 weeks, 16 after relocation, from registration; before the Pact the
    Directive's Art 43(2)). Not once a decision grants protection, nor for a decision taken after
    the end (then the applicant was to be authorised to enter when it passed: the border
    procedure is over, no deadline of it remains to meet)."""
    if case.procedure != "border" or case.registered_on is None or case.state not in BORDER_END_STATES:
        return False
    if case.outcome in (Outcome.refugee_status, Outcome.subsidiary_protection) and case.decided_on:
        return False
    return in_border_procedure(case)


#: The states in which a decision taken in the border procedure has been notified and the case
#: waits on others: the applicant (the appeal time limit runs) or the court (an appeal lodged).
NOTIFIED_STATES = frozenset({S.notified, S.appeal_lodged})


def border_end_behind(case: Case, today: date) -> bool:
    """Whether the border procedure's end has passed (before ``today``) for a case that no longer
    waits on it: its decision was taken in the border procedure and notified (``NOTIFIED_STATES``).
    What followed the end is a fact of the case, not a deadline still to meet: the applicant was to
    be authorised to enter the territory (APR Art 51(2); before the Pact Directive 2013/32/EU
    Art 43(2)), or not where Art 43(3)(b) or (c) applies (``entry_at_border_end``; then Regulation
    (EU) 2024/1349 Art 4). The case's next deadline is then its own next step: the appeal time
    limit, the court's time limit for the appeal.

    A case still undecided at the end, or decided and not notified, is not behind it: the
    determining authority's decision or its notification was due within the border procedure,
    and the passed end stays its next deadline, overdue, until the decision is taken (a decision
    after the end is outside the border procedure, ``in_border_procedure``) or notified."""
    if case.state not in NOTIFIED_STATES or not border_end_runs(case):
        return False
    end = border_procedure_end(case)
    return end is not None and end < today


#: APR Art 51(1): an application subject to the border procedure is lodged within five days of its
#: first registration, by way of derogation from Art 28 (21 days)
P_BORDER_LODGING = "apr.border_procedure.lodging"


def lodging_due(case: Case) -> Deadline | None:
    """The lodging time limit of a registered application, from its registration: 21 days (APR
    Art 28(1); before the Pact the Directive's, where it sets one), and for an application in the
    border procedure under the APR five days (Art 51(1), "by way of derogation from Article 28"),
    whose computation says why. Missing the five days does not end the border procedure (Art 51(1),
    second sentence): the border procedure's end stays as it is."""
    if case.registered_on is None:
        return None
    pre = _pp(case)
    if case.procedure == "border" and pre == APR:
        on = _law_day(case, case.registered_on)
        found = _maybe(P_BORDER_LODGING, case.registered_on, case.member_state, "lodging", on=on)
        if found is not None:
            why = (f"the application is in the border procedure: it is lodged within five days of its registration "
                   f"({found.legal_basis}, by way of derogation from {LegalRef.of(APR, '28', '1').cite()}'s 21 "
                   "days); missing them does not end the border procedure")
            return Deadline(found.kind, found.due, found.legal_basis, [why, *found.computation])
    return _maybe(f"{pre}.lodging.time_limit", case.registered_on, case.member_state, "lodging")


def registration_due(case: Case) -> Deadline | None:
    """The registration time limit of the application from the day it was made, under the law in
    force that day (``_made_regime``: it stays so once the application is lodged under the APR;
    None where the law in force leaves it to national law)."""
    return _maybe(f"{_made_regime(case)}.registration.time_limit", case.made_on, case.member_state,
                  "registration")


def border_limit(case: Case, start: date | None = None) -> tuple[int, str]:
    """The border procedure's maximum length in days from ``start`` (default: registration, else
    the making) and its citation, under the law of the case (``case_regime``): a maximum that runs
    out by itself, never extended to a working day (``border_procedure_end``)."""
    start = start or case.registered_on or case.made_on
    pre = _pp(case)
    key = "duration_after_relocation" if (case.context == "relocation" and pre == APR) else "duration"
    p = param(f"{pre}.border_procedure.{key}", on=_law_day(case, start))
    days = int(p.value) * {"weeks": 7, "days": 1}.get(str(p.unit), 1)
    return days, f"{length_words(int(p.value), str(p.unit))} ({p.cite()})"


def border_procedure_end(case: Case) -> date | None:
    """The last day of the border procedure of a border case (APR Art 51(2): 12 weeks from
    registration, 16 after relocation; before the Pact the Directive's Art 43(2): 4 weeks), or
    ``None`` for another case or one not registered. A maximum that runs out by itself: a last day
    on a Saturday, Sunday or public holiday stays there (not extended by Reg. 1182/71 Art 3(4))."""
    if case.procedure != "border" or case.registered_on is None:
        return None
    d = _border_end(case)
    return d.due if d else None


def in_border_procedure(case: Case) -> bool:
    """Whether the case's decision was taken in the border procedure: a border case decided by
    the end of the border procedure (or not decided yet). A decision after that end is not: the
    applicant was authorised to enter the territory when it passed (APR Art 51(2); Directive
    2013/32/EU Art 43(2)), and the border procedure's shorter appeal time limit and its exception
    to the automatic suspensive effect (APR Arts 67(7), 68(3)) do not apply to it."""
    if case.procedure != "border":
        return False
    end = border_procedure_end(case)
    return not (end is not None and case.decided_on is not None and case.decided_on > end)


def subsequent_rejected_on_merits(case: Case) -> bool:
    """A subsequent application under the APR rejected as unfounded or manifestly unfounded: not
    inadmissible, it was examined with the circumstance of Art 42(1)(g) ("a subsequent application
    that is not inadmissible"), so its appeal time limit is Art 67(7)(a)'s and its appeal gives no
    automatic right to remain (Art 68(3)(d)), whatever procedure the routing named (the
    preliminary examination's ``admissibility``)."""
    return case.subsequent_application and _regime(case) == "pact" and case.outcome in (
        Outcome.rejected_unfounded, Outcome.rejected_manifestly_unfounded)


def subsequent_in_preliminary_examination(case: Case) -> bool:
    """A subsequent application in its preliminary examination: the routing sent it to the
    admissibility procedure (APR Art 55(3); Directive 2013/32/EU Art 40(2)) and no finding of new
    elements was recorded (``admit_subsequent``)."""
    return (case.subsequent_application and case.procedure == "admissibility"
            and case.new_elements_found_on is None)


def subsequent_admitted(case: Case) -> bool:
    """A subsequent application whose preliminary examination found new elements: the day of the
    finding is recorded (``admit_subsequent``). Cases admitted before that day was stored are in
    the procedure the finding moved them to (the routing sends a subsequent application to the
    admissibility or the border procedure only)."""
    return case.subsequent_application and (
        case.new_elements_found_on is not None or case.procedure not in ("admissibility", "border"))


def subsequent_other_ground_examined(case: Case) -> bool:
    """APR Art 55(6), "unless": the preliminary examination found new elements, but the application
    stays in the admissibility procedure, examined on another ground of Art 38(1)
    (``admit_subsequent`` with ``inadmissibility_ground``) until a draft rejects it as inadmissible
    on such a ground or ``examine_on_merits`` records that none applies."""
    return (case.subsequent_application and case.procedure == "admissibility"
            and case.new_elements_found_on is not None)


#: The procedure a subsequent application is examined in once its preliminary examination found new
#: elements, per regime, and why (read in the Italian Official Journal texts, d5p2rnkdz9-hub/SOSPATTO
#: public/patto-interattivo/1348.html and ext-dir-2013-32.html). APR Art 55(6): "the application is
#: further examined on the merits, unless the application may be considered inadmissible on the basis
#: of another ground of Article 38(1)"; Art 42(1)(g): the determining authority "accelerates the
#: examination on the merits" where "it is a subsequent application that is not inadmissible" (an
#: obligation, not an option: Art 42(2) alone lets the authority go on with the examination under
#: Art 35(4) and Art 39 where the questions are too complex, informing the applicant, and Art 21(2)
#: makes it cease to apply the procedure to an applicant it cannot give the support they need:
#: ``leave_accelerated``). Directive Art 40(3): the application "is further examined in conformity
#: with Chapter II": the examination procedure, whose acceleration the Directive leaves to the
#: Member State.
SUBSEQUENT_ADMITTED: dict[str, tuple[str, list[LegalRef]]] = {
    "pact": ("accelerated", [LegalRef.of(APR, "55", "6"), LegalRef.of(APR, "42", "1", "g")]),
    "pre_pact": ("regular", [LegalRef.of(APD, "40", "3")]),
}


def _merits_refs(case: Case) -> list[LegalRef]:
    """Why a subsequent application not inadmissible is examined on the merits where it is: with,
    for an unaccompanied minor under the APR, Art 42(3)(c), which allows the accelerated procedure
    for a minor on that ground."""
    refs = list(SUBSEQUENT_ADMITTED[_regime(case)][1])
    if case.unaccompanied_minor and _regime(case) == "pact":
        refs.append(LegalRef.of(APR, "42", "3", "c"))
    return refs


#: The grounds of APR Art 38(1) on which a subsequent application presenting new elements may still
#: be examined for its admissibility (Art 55(6), "another ground of Article 38(1)"): every ground of
#: the Regulation but the subsequent application's own (Art 38(2)).
OTHER_GROUNDS_55_6 = tuple(g for g in ("first_country_of_asylum", "safe_third_country",
                                       "protection_in_another_member_state", "international_court_relocation",
                                       RD_GROUND))


def _admit_subsequent(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The preliminary examination of a subsequent application found new elements (APR Art 55(3),
    (6); Directive Art 40(3)): the application is no longer examined for its admissibility on that
    ground. Without ``inadmissibility_ground`` it is examined on its merits, in the procedure of
    ``SUBSEQUENT_ADMITTED`` (under the APR the accelerated one, Art 42(1)(g), whose time limit of
    three months from lodging, Art 35(3), replaces the admissibility examination's two months, Art
    35(1)). With one (APR only), Art 55(6)'s "unless": the application may be considered
    inadmissible on another ground of Art 38(1), so it stays in the admissibility procedure and its
    time limit (Art 35(1)) while that ground is examined. A rejection as inadmissible on the ground
    of the subsequent application is refused either way (``_draft``)."""
    if not subsequent_in_preliminary_examination(case):
        raise Conflict("only a subsequent application in its preliminary examination (admissibility procedure) "
                       "can be found to present new elements")
    d = _need_date(p, "found_on")
    _not_before(d, case.lodged_on, "found_on", "lodging")
    regime = _regime(case)
    other = str(p.get("inadmissibility_ground") or "").strip()
    if other:
        if regime != "pact":
            raise ValidationProblem.one("inadmissibility_ground", (
                f"only under {LegalRef.of(APR, '55', '6').cite()}; this application was {case_regime(case).why()}: "
                f"under {LegalRef.of(APD, '40', '3').cite()} it is further examined under Chapter II (leave blank)"))
        if other not in OTHER_GROUNDS_55_6:
            raise ValidationProblem.one("inadmissibility_ground", (
                f"another ground of {LegalRef.of(APR, '38', '1').cite()} ({LegalRef.of(APR, '55', '6').cite()}): "
                f"one of {', '.join(OTHER_GROUNDS_55_6)}, or blank to examine the application on the merits"))
        ground_ref = INADMISSIBILITY_GROUNDS["pact"][other]
        basis = [LegalRef.of(APR, "55", "6").cite(), ground_ref, LegalRef.of(APR, "35", "1").cite()]
        note = ("the preliminary examination found new elements, but the application may be considered "
                f"inadmissible on another ground ({other}, {ground_ref}): its admissibility is examined on that "
                "ground, in the admissibility procedure; if the ground does not apply, it is examined on the merits "
                f"in the accelerated procedure ({LegalRef.of(APR, '55', '6').cite()}; "
                f"{LegalRef.of(APR, '42', '1', 'g').cite()})")
        return Change(replace(case, new_elements_found_on=d), "subsequent_admitted",
                      {"found_on": d.isoformat(), "procedure_before": case.procedure, "procedure": case.procedure,
                       "inadmissibility_ground": other, "note": note, "legal_basis": basis})
    procedure = SUBSEQUENT_ADMITTED[regime][0]
    basis = [r.cite() for r in _merits_refs(case)]
    note = (f"the preliminary examination found new elements: the subsequent application is examined on the "
            f"merits in the {procedure} procedure ({'; '.join(basis)})")
    return Change(replace(case, procedure=procedure, new_elements_found_on=d), "subsequent_admitted",
                  {"found_on": d.isoformat(), "procedure_before": case.procedure, "procedure": procedure,
                   "note": note, "legal_basis": basis})


def _examine_on_merits(case: Case, p: dict[str, Any], actor: str) -> Change:
    """APR Art 55(6): the subsequent application presenting new elements was examined for its
    admissibility on another ground of Art 38(1), which does not apply (``found_on``: the day the
    determining authority found so, not before the new elements were found): it is examined on the
    merits in the accelerated procedure (Art 42(1)(g)), within three months of lodging (Art 35(3))."""
    if not subsequent_other_ground_examined(case):
        raise Conflict("only a subsequent application presenting new elements whose admissibility is examined on "
                       f"another ground ({LegalRef.of(APR, '55', '6').cite()}) is moved on to the merits this way")
    d = _need_date(p, "found_on")
    _not_before(d, case.new_elements_found_on, "found_on", "the finding of new elements")
    procedure = SUBSEQUENT_ADMITTED["pact"][0]
    basis = [r.cite() for r in _merits_refs(case)]
    note = ("the application is not inadmissible on another ground of "
            f"{LegalRef.of(APR, '38', '1').cite()}: the subsequent application is examined on the merits in the "
            f"{procedure} procedure ({'; '.join(basis)})")
    return Change(replace(case, procedure=procedure), "subsequent_not_inadmissible",
                  {"found_on": d.isoformat(), "procedure_before": case.procedure, "procedure": procedure,
                   "note": note, "legal_basis": basis})


#: Why the determining authority continues the examination on the merits outside the accelerated
#: procedure (``leave_accelerated``'s ``reason``), with the words a caseworker reads and the
#: provisions (read in the Italian Official Journal text of Regulation (EU) 2024/1348): Art 42(2),
#: "may continue the examination on the merits in accordance with Article 35(4) and Article 39
#: where it considers that the examination of the application involves issues of fact or law that
#: are too complex to be examined under the accelerated examination procedure; in that case the
#: applicant is informed of the change in procedure"; Art 21(2), where it considers that the support
#: an applicant in need of special procedural guarantees needs cannot be provided in the accelerated
#: examination procedure, it "does not apply, or ceases to apply," it to the applicant.
LEAVE_ACCELERATED_REASONS: dict[str, tuple[str, list[LegalRef]]] = {
    "too_complex": ("the examination involves issues of fact or law too complex for the accelerated procedure",
                    [LegalRef.of(APR, "42", "2"), LegalRef.of(APR, "35", "4"), LegalRef.of(APR, "39")]),
    "special_procedural_guarantees": ("the support the applicant needs (special procedural guarantees) cannot be "
                                      "provided in the accelerated procedure",
                                      [LegalRef.of(APR, "21", "2"), LegalRef.of(APR, "35", "4")]),
}


#: The routing's grounds that are circumstances of APR Art 42(1) (``pactum.procedures.routing``).
ACCELERATED_GROUNDS = frozenset({"misled_authorities", "safe_country_of_origin", "security_threat",
                                 "low_recognition_rate"})


def may_leave_accelerated(case: Case) -> bool:
    """Whether ``leave_accelerated`` is open: a case under the APR in the accelerated procedure,
    before a decision is drafted."""
    return case.procedure == "accelerated" and _regime(case) == "pact"


def _leave_accelerated(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The determining authority continues the examination on the merits outside the accelerated
    procedure (``change_reason``, one of ``LEAVE_ACCELERATED_REASONS``): the case goes to the regular
    procedure, its time limit six months from lodging (Art 35(4)) in place of the accelerated three
    (Art 35(3)). At its decision the applicant is no longer "subject to an accelerated examination"
    (Art 68(3)(a)(i)): a rejection keeps the automatic suspensive effect (Art 68(2)), save for a
    subsequent application (Art 68(3)(d)); but the circumstance of Art 42(1) it was routed on still
    applies "at the time of the decision", so the appeal's time limit stays Art 67(7)(a)'s
    (``left_accelerated``). Under Art 42(2) the applicant is informed of the change
    (``applicant_informed``, confirmed)."""
    if case.procedure != "accelerated":
        raise Conflict(f"only a case in the accelerated procedure leaves it; this case is in the {case.procedure} "
                       "procedure")
    if _regime(case) != "pact":
        raise Conflict(f"under Directive 2013/32/EU the accelerated procedure is the Member State's choice "
                       f"({LegalRef.of(APD, '31', '8').cite()}): leaving it is national law's, not recorded here "
                       f"(this step applies {LegalRef.of(APR, '42', '2').cite()} and {LegalRef.of(APR, '21', '2').cite()})")
    d, reason, problems = _day_and_reason(
        case, p, "changed_on", case.lodged_on, "lodging", "change_reason", LEAVE_ACCELERATED_REASONS,
        f"{LegalRef.of(APR, '42', '2').cite()}; {LegalRef.of(APR, '21', '2').cite()}")
    informed = p.get("applicant_informed") is True
    if reason == "too_complex" and not informed:
        problems.append(("applicant_informed", "confirm that the applicant is informed of the change in procedure "
                                               f"({LegalRef.of(APR, '42', '2').cite()})"))
    if problems or d is None:
        raise ValidationProblem(problems)
    words, refs = LEAVE_ACCELERATED_REASONS[reason]
    basis = [r.cite() for r in refs]
    note = (f"{words}: the examination on the merits continues in the regular procedure, within six months of "
            f"lodging ({'; '.join(basis)})")
    return _procedure_changed(case, replace(case, procedure="regular", left_accelerated=True), "accelerated_left",
                              {"changed_on": d.isoformat(), "change_reason": reason, "applicant_informed": informed},
                              note, basis)


def _day_and_reason(case: Case, p: dict[str, Any], day_key: str, earliest: date | None, earliest_what: str,
                    reason_key: str, reasons: Mapping[str, Any], cite: str
                    ) -> tuple[date | None, str, list[tuple[str, str]]]:
    """The day (``day_key``, not before ``earliest``) and the reason (``reason_key``, one of
    ``reasons``, whose provisions ``cite`` names) of a step that moves a case out of a special
    procedure (``leave_accelerated``, ``leave_border_procedure``), with each field's problem at
    once rather than the first only."""
    problems: list[tuple[str, str]] = []
    d: date | None = None
    try:
        d = _need_date(p, day_key)
        _not_before(d, earliest, day_key, earliest_what)
    except ValidationProblem as exc:
        problems.extend(exc.problems)
    reason = str(p.get(reason_key) or "")
    if reason not in reasons:
        said = f"{reason!r} is not among them; " if reason else ""
        problems.append((reason_key, f"{said}one of {', '.join(reasons)} ({cite})"))
    return d, reason, problems


def _procedure_changed(case: Case, new: Case, event: str, facts: dict[str, Any], note: str,
                       basis: list[str]) -> Change:
    """The change of a step that moves the case to another procedure: its own ``facts``, then the
    procedure before and now, the note the timeline shows and the provisions."""
    return Change(new, event, {**facts, "procedure_before": case.procedure, "procedure": new.procedure,
                               "note": note, "legal_basis": basis})


#: Why the border procedure ceases to apply to a case (``leave_border_procedure``'s ``ground``), per
#: regime: the words a caseworker reads, the provisions, and the procedure that follows (``None``:
#: the one the routing's grounds give outside the border procedure, ``procedure_outside_border``).
#: Read in the Italian Official Journal text of Regulation (EU) 2024/1348 (d5p2rnkdz9-hub/SOSPATTO,
#: public/patto-interattivo/1348.html): Art 53(2), "the Member State shall not apply or shall cease
#: at any stage to apply the border procedure where: (a) the determining authority considers that the
#: grounds for rejecting the application as inadmissible or for applying the accelerated examination
#: procedure are not applicable or no longer applicable; (b) the necessary support cannot be provided
#: to applicants with special reception needs, including minors, in accordance with Chapter IV of
#: Directive (EU) 2024/1346 at the locations referred to in Article 54; (c) applicants in need of
#: special procedural guarantees cannot receive the necessary support at those locations; (d) there
#: are relevant medical reasons, including mental health reasons, for not applying the border
#: procedure; (e) the guarantees and conditions for detention of Articles 10 to 13 of Directive (EU)
#: 2024/1346 are not or are no longer met and the border procedure cannot be applied without
#: detention. In the cases of the first subparagraph, the competent authority shall authorise the
#: applicant to enter the territory of the Member State and apply the appropriate procedure under
#: Chapter III"; Art 21(2), where the determining authority considers that the support an applicant
#: in need of special procedural guarantees needs cannot be provided in the accelerated examination
#: procedure or in the border procedure, it "shall not apply, or shall cease to apply, those
#: procedures". Under point (a) the grounds that kept the case in the border procedure no longer
#: apply, so none accelerates the examination (our reading: were a circumstance of Art 42(1) still
#: to apply, Art 44(1)(b) would keep the border procedure open to it); under Art 21(2) the support
#: is lacking in both special procedures: the regular procedure follows (Art 35(4)). Under points
#: (b)-(e) what is lacking is the border location or its detention: the grounds still apply, and
#: Art 42(1) ("the determining authority shall accelerate") or Art 38 chooses the procedure.
#: Directive 2013/32/EU (Italian consolidated text, ext-dir-2013-32.html): Art 43 lets the Member
#: State provide for border procedures and admits the applicant at four weeks (Art 43(2)); it has no
#: point on which they cease before then. Art 24(3), second subparagraph, does: where adequate
#: support cannot be provided to an applicant in need of special procedural guarantees, in particular
#: a victim of torture, rape or other serious violence, "they shall not apply, or shall cease to
#: apply, Article 31(8) and Article 43". The other grounds are national law's under the Directive.
LEAVE_BORDER_GROUNDS: dict[str, dict[str, tuple[str, list[LegalRef], str | None]]] = {
    "pact": {
        "grounds_not_applicable": (
            "the determining authority considers the grounds for rejecting the application as inadmissible or for "
            "applying the accelerated examination procedure not applicable or no longer applicable",
            [LegalRef.of(APR, "53", "2", "a")], "regular"),
        "special_reception_needs_unsupported": (
            "the necessary support for the applicant's special reception needs cannot be provided at the border "
            "procedure's locations", [LegalRef.of(APR, "53", "2", "b"), LegalRef.of(APR, "54")], None),
        "special_procedural_needs_unsupported": (
            "the applicant, in need of special procedural guarantees, cannot receive the necessary support at the "
            "border procedure's locations", [LegalRef.of(APR, "53", "2", "c"), LegalRef.of(APR, "54")], None),
        "medical_reasons": (
            "there are relevant medical reasons, mental health included, for not applying the border procedure",
            [LegalRef.of(APR, "53", "2", "d")], None),
        "detention_guarantees_unmet": (
            "the guarantees and conditions of detention are not or no longer met and the border procedure cannot "
            "be applied without detention", [LegalRef.of(APR, "53", "2", "e")], None),
        "special_procedural_guarantees": (
            "the support the applicant needs (special procedural guarantees) cannot be provided in the border "
            "procedure nor in the accelerated procedure", [LegalRef.of(APR, "21", "2")], "regular"),
    },
    "pre_pact": {
        "special_procedural_guarantees": (
            "adequate support for the applicant, in need of special procedural guarantees, cannot be provided in "
            "the border procedure", [LegalRef.of(APD, "24", "3")], "regular"),
    },
}
#: The grounds after which the circumstance of APR Art 42(1) the case was routed on is not found to
#: apply any more (point (a)): a later rejection does not keep Art 67(7)(a)'s appeal time limit.
BORDER_GROUNDS_NO_LONGER_APPLY = frozenset({"grounds_not_applicable"})
#: The routing's grounds examined for admissibility (APR Art 38(1)(a), (b), 38(2) with Art 55).
ADMISSIBILITY_GROUNDS_ROUTED = frozenset({"first_country_of_asylum", "safe_third_country", "subsequent_application"})


def procedure_outside_border(case: Case) -> tuple[str, list[LegalRef]]:
    """The procedure of Chapter III a border case continues in once the border procedure no longer
    applies to it (APR Art 53(2), last subparagraph: "the appropriate procedure under Chapter III";
    Art 51(2), at its end: the application is examined further, our reading, as the Directive's Art
    43(2) says in terms: "in accordance with the other provisions"), chosen as the routing chooses
    outside the border procedure (``pactum.procedures.routing``): the admissibility examination
    where a ground of inadmissibility was found (Art 38; time limit Art 35(1)), otherwise the
    accelerated examination where a circumstance of Art 42(1) applies ("shall accelerate"; Art
    35(3)), otherwise the regular one (Art 35(4)); before the Pact Directive Arts 33, 31(8), 31(3)."""
    grounds = set(case.grounds)
    if _regime(case) == "pact":
        if grounds & ADMISSIBILITY_GROUNDS_ROUTED:
            return "admissibility", [LegalRef.of(APR, "38"), LegalRef.of(APR, "35", "1")]
        if grounds & ACCELERATED_GROUNDS:
            return "accelerated", [LegalRef.of(APR, "42", "1"), LegalRef.of(APR, "35", "3")]
        return "regular", [LegalRef.of(APR, "35", "4")]
    if grounds & ADMISSIBILITY_GROUNDS_ROUTED:
        return "admissibility", [LegalRef.of(APD, "33"), LegalRef.of(APD, "31", "3")]
    if grounds & ACCELERATED_GROUNDS:
        return "accelerated", [LegalRef.of(APD, "31", "8"), LegalRef.of(APD, "31", "3")]
    return "regular", [LegalRef.of(APD, "31", "3")]


def may_leave_border_procedure(case: Case, today: date | None = None) -> bool:
    """Whether ``leave_border_procedure`` is open: a case in the border procedure whose end has not
    passed on ``today`` (once it has, Art 51(2) ended the border procedure by itself)."""
    if case.procedure != "border":
        return False
    end = border_procedure_end(case)
    return today is None or end is None or end >= today


def _leave_border_procedure(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The border procedure ceases to apply to the case (``ground``, one of ``LEAVE_BORDER_GROUNDS``
    of the case's law) on ``left_on``, from registration until a decision is drafted: the applicant
    is authorised to enter the territory (APR Art 53(2), last subparagraph) and the application is
    examined in the procedure that follows (the ground's, or ``procedure_outside_border``). Its time
    limit is that procedure's of Art 35, counted from lodging as Art 35 counts it (the border
    procedure's own duration, set by national law in derogation from Art 35 under Art 51(2), second
    subparagraph, no longer applies); a case not lodged yet is lodged within Art 28(1)'s 21 days of
    registration, Art 51(1)'s five days being the border procedure's. A later decision is not taken
    in the border procedure: no Art 67(7) shorter appeal time nor Art 68(3)(a)(ii) exception for it."""
    if case.procedure != "border":
        raise Conflict(f"only a case in the border procedure leaves it; this case is in the {case.procedure} procedure")
    regime = _regime(case)
    grounds = LEAVE_BORDER_GROUNDS[regime]
    cite = "; ".join(dict.fromkeys(r[1][0].cite() for r in grounds.values()))
    end = border_procedure_end(case)
    d, ground, problems = _day_and_reason(case, p, "left_on", case.registered_on, "registration", "ground",
                                          grounds, cite)
    if ground and ground not in grounds and regime != "pact" and ground in LEAVE_BORDER_GROUNDS["pact"]:
        problems = [(k, m) for k, m in problems if k != "ground"] + [(
            "ground", f"under Directive 2013/32/EU ({case_regime(case).why()}) the border procedure ceases on "
                      f"{LegalRef.of(APD, '24', '3').cite()} only (special_procedural_guarantees); "
                      f"{LegalRef.of(APD, '43').cite()} provides for no other ground: that one is national law's, "
                      "not recorded here")]
    if d is not None and end is not None and d > end:
        problems.append(("left_on", f"after the border procedure ended on {end.isoformat()} ({border_limit(case)[1]}): "
                                    "the applicant was to be authorised to enter then, nothing is left to leave"))
    if problems or d is None:
        raise ValidationProblem(problems)
    words, refs, fixed = grounds[ground]
    after, after_refs = (fixed, [REGULAR_EXAMINATION_REF[regime]]) if fixed else procedure_outside_border(case)
    entry = (LegalRef.of(APR, "53", "2") if regime == "pact" else LegalRef.of(APD, "24", "3")).cite()
    basis = list(dict.fromkeys([*(r.cite() for r in refs), entry, *(r.cite() for r in after_refs)]))
    new = replace(case, procedure=after, border_left_on=d, border_left_ground=ground,
                  left_accelerated=(after == "regular" and bool(set(case.grounds) & ACCELERATED_GROUNDS)
                                    and ground not in BORDER_GROUNDS_NO_LONGER_APPLY))
    limit = _examination_limit(new)
    when = (f"its time limit: {limit.due.isoformat()} ({limit.legal_basis})" if limit is not None
            else f"its time limit runs from lodging ({'; '.join(r.cite() for r in after_refs)})")
    note = (f"{words}: the border procedure ceased to apply on {d.isoformat()}, the applicant is authorised to enter "
            f"the territory ({entry}) and the application is examined in the {after} procedure, {when}")
    return _procedure_changed(case, new, "border_procedure_left",
                              {"left_on": d.isoformat(), "ground": ground, "entry_authorised": True,
                               "border_procedure_end": end.isoformat() if end else None,
                               "time_limit": (f"{limit.due.isoformat()} ({limit.legal_basis})"
                                              if limit is not None else None)},
                              note, basis)


#: The regular examination's time limit under each regime (the procedure a fixed ground leads to).
REGULAR_EXAMINATION_REF = {"pact": LegalRef.of(APR, "35", "4"), "pre_pact": LegalRef.of(APD, "31", "3")}


def _examination_limit(case: Case) -> Deadline | None:
    """The time limit of the examination of a lodged case in its procedure (Art 35 from lodging;
    before the Pact Directive Art 31(3)), or None where none runs."""
    if case.lodged_on is None:
        return None
    kind = {"accelerated": "accelerated", "admissibility": "admissibility"}.get(case.procedure, "regular")
    return _maybe(f"{_pp(case)}.examination.{kind}", case.lodged_on, case.member_state, f"examination_{kind}")


def may_reject_manifestly_unfounded(case: Case) -> bool:
    """Whether a draft may reject the application as manifestly unfounded: in the accelerated or
    border procedure, and under the APR a subsequent application (Art 39(4): a circumstance of
    Art 42(1) applies at the conclusion of the examination, here point (g))."""
    return case.procedure in MANIFESTLY_UNFOUNDED_PROCEDURES or (
        case.subsequent_application and _regime(case) == "pact")


def _expedited(case: Case) -> bool:
    return case.procedure == "accelerated" or in_border_procedure(case) or case.outcome in (
        Outcome.inadmissible, Outcome.implicitly_withdrawn, Outcome.rejected_manifestly_unfounded
    ) or subsequent_rejected_on_merits(case) or (
        case.left_accelerated and _regime(case) == "pact" and case.outcome in (
            Outcome.rejected_unfounded, Outcome.rejected_manifestly_unfounded))


def _appeal_ref(case: Case) -> str:
    """The citation of the appeal time limit under the law of the case, read as in force on the
    notification it runs from (else the day that chose the regime)."""
    kind = "expedited" if _expedited(case) else "regular"
    return param(f"{_pp(case)}.appeal.time_limit.{kind}",
                 on=case.notified_on or case_regime(case).on).cite()


def appeal_deadline(case: Case, notified_on: date) -> tuple[date, list[str]]:
    """The last day to lodge an appeal against the notified decision. Under the APR the value is
    the upper bound of the range Art 67(7) leaves to national law (the Member States' choices are
    not modelled), and the computation says so."""
    kind = "expedited" if _expedited(case) else "regular"
    due, _ref, comp = _period(f"{_pp(case)}.appeal.time_limit.{kind}", notified_on, case.member_state)
    return due, comp


#: APR Art 68(3)(b): the inadmissibility grounds whose rejection gives no right to remain during
#: the appeal (Art 38(1)(a), (d), (e) and Art 38(2), where a subsequent application's inadmissibility
#: is decided), each with its provision.
NO_STAY_INADMISSIBILITY: dict[str, LegalRef] = {
    "first_country_of_asylum": LegalRef.of(APR, "38", "1", "a"),
    "international_court_relocation": LegalRef.of(APR, "38", "1", "d"),
    RD_GROUND: LegalRef.of(APR, "38", "1", "e"),
    "subsequent_application": LegalRef.of(APR, "38", "2"),
}


def suspensive_effect(case: Case) -> tuple[bool, str]:
    """Whether an appeal automatically lets the applicant remain, and why.

    Under the APR (read in the Italian Official Journal text) the applicant has the right to remain
    until the time limit for the appeal ends and, if they appeal in time, until its outcome (Art
    68(2)), except after (Art 68(3)): (a) a rejection as unfounded or manifestly unfounded taken
    in the accelerated procedure (i) or in the border procedure (ii), save for an unaccompanied
    minor in the border procedure; (b) an inadmissibility under Art 38(1)(a), (d), (e) or 38(2),
    save for an unaccompanied minor in the border procedure; (c) an implicit withdrawal; (d) the
    rejection of a subsequent application as unfounded (examined in the accelerated procedure,
    Art 42(1)(g): point (a)). Then the court decides on the applicant's request whether they may
    remain (Art 68(4)). An inadmissibility on a safe third country (Art 38(1)(b)) or on protection
    in another Member State (38(1)(c)) keeps the automatic right. Before the Pact: Directive
    2013/32/EU Art 46(5), unless national law uses 46(6)."""
    if _regime(case) != "pact":
        return True, LegalRef.of(APD, "46", "5").cite() + ": automatic unless national law uses 46(6)"
    minor_at_border = case.unaccompanied_minor and in_border_procedure(case)
    if case.outcome == Outcome.implicitly_withdrawn:
        return False, (f"{LegalRef.of(APR, '68', '3', 'c').cite()}: no automatic effect after implicit withdrawal; "
                       f"the court decides on request ({LegalRef.of(APR, '68', '4').cite()})")
    ground = case.inadmissibility_ground
    if case.outcome == Outcome.inadmissible and ground in NO_STAY_INADMISSIBILITY and not minor_at_border:
        basis = NO_STAY_INADMISSIBILITY[ground].cite()
        return False, (f"{LegalRef.of(APR, '68', '3', 'b').cite()}: no automatic effect for inadmissibility on "
                       f"{ground} ({basis}); the court decides on request ({LegalRef.of(APR, '68', '4').cite()})")
    merits = case.outcome in (Outcome.rejected_unfounded, Outcome.rejected_manifestly_unfounded)
    if subsequent_rejected_on_merits(case):
        return False, (f"{LegalRef.of(APR, '68', '3', 'd').cite()}: no automatic effect for the rejection of a "
                       f"subsequent application as unfounded or manifestly unfounded; the court decides on request "
                       f"({LegalRef.of(APR, '68', '4').cite()})")
    if merits and (case.procedure == "accelerated" or (in_border_procedure(case) and not minor_at_border)):
        return False, (f"{LegalRef.of(APR, '68', '3', 'a').cite()}: no automatic effect for a rejection in the "
                       f"{case.procedure} procedure; the court decides on request ({LegalRef.of(APR, '68', '4').cite()})")
    why = " (an unaccompanied minor in the border procedure)" if minor_at_border and case.outcome in (
        Outcome.inadmissible, Outcome.rejected_unfounded, Outcome.rejected_manifestly_unfounded) else ""
    return True, LegalRef.of(APR, "68", "2").cite() + ": automatic suspensive effect" + why


def _need_date(payload: dict[str, Any], key: str) -> date:
    v = payload.get(key)
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except (TypeError, ValueError):
        raise ValidationProblem.one(key, "a date (YYYY-MM-DD) is required") from None


def _not_before(d: date, earlier: date | None, key: str, what: str) -> None:
    if earlier and d < earlier:
        raise ValidationProblem.one(key, f"cannot be before {what} ({earlier.isoformat()})")


def apply(case: Case, action: str, payload: dict[str, Any], actor: str) -> Change:
    """Apply ``action`` to ``case``; raise ``Conflict`` (409) when illegal in its state."""
    if action not in ACTIONS:
        raise ValidationProblem.one("action", f"unknown action; one of {', '.join(ACTIONS)}")
    allowed, label = ACTIONS[action]
    if case.state not in allowed:
        if action == "draft_decision" and case.state == S.registered:
            raise Conflict("cannot decide before the application is lodged and the personal "
                           "interview is held")
        if action == "record_withdrawal":
            raise Conflict(_WITHDRAWAL_TOO_LATE.get(case.state, f"cannot {label} while the case is "
                                                                  f"'{case.state.value}'"))
        if action == "lodge_appeal" and case.state in (S.decided,):
            raise Conflict("cannot appeal before the decision is notified")
        raise Conflict(f"cannot {label} while the case is '{case.state.value}' "
                       f"(allowed in: {', '.join(sorted(s.value for s in allowed))})")
    handler = _HANDLERS[action]
    return _suspension_ends_with_the_examination(case, handler(case, payload, actor))


def _register(case: Case, p: dict[str, Any], actor: str) -> Change:
    d = _need_date(p, "registered_on")
    _not_before(d, case.made_on, "registered_on", "the day the application was made")
    return Change(replace(case, state=S.registered, registered_on=d), "registered",
                  {"registered_on": d.isoformat()})


def _lodge(case: Case, p: dict[str, Any], actor: str) -> Change:
    d = _need_date(p, "lodged_on")
    _not_before(d, case.registered_on, "lodged_on", "registration")
    return Change(replace(case, state=S.lodged, lodged_on=d), "lodged", {"lodged_on": d.isoformat()})


def _schedule(case: Case, p: dict[str, Any], actor: str) -> Change:
    d = _need_date(p, "interview_on")
    _not_before(d, case.lodged_on, "interview_on", "lodging")
    lang = str(p.get("language") or "").strip()
    if not lang:
        raise ValidationProblem.one("language", "the language of the interview is required")
    if len(lang) > LANGUAGE_MAX:
        raise ValidationProblem.one("language", f"a language's name, at most {LANGUAGE_MAX} characters")
    return Change(replace(case, state=S.interview_scheduled), "interview_scheduled",
                  {"interview_on": d.isoformat(), "language": lang})


def _hold(case: Case, p: dict[str, Any], actor: str) -> Change:
    d = _need_date(p, "held_on")
    _not_before(d, case.lodged_on, "held_on", "lodging")
    lang = str(p.get("interpreter_language") or "").strip()
    if not lang:
        raise ValidationProblem.one("interpreter_language",
                                    "the interpreter's language is required (use 'none' if none)")
    if len(lang) > LANGUAGE_MAX:
        raise ValidationProblem.one("interpreter_language", f"a language's name, at most {LANGUAGE_MAX} characters")
    return Change(replace(case, state=S.interview_held, interview_held_on=d, interpreter_language=lang),
                  "interview_held", {"held_on": d.isoformat(), "interpreter_language": lang,
                                     "legal_basis": interview_ref(case)})


#: Why the determining authority may omit the personal interview on the substance, per regime, with
#: the point that allows it (read in the Italian Official Journal texts, d5p2rnkdz9-hub/SOSPATTO
#: ``1348.html`` and ``ext-dir-2013-32.html``). APR Art 13(11), first subparagraph: the admissibility or
#: the substantive interview "possono essere omessi" where (a) the authority can take a positive decision
#: on refugee status or subsidiary protection on the evidence available, subsidiary protection only
#: where it carries the same rights and benefits as refugee status under Union and national law, (c) it
#: considers the applicant unfit or unable to be interviewed owing to enduring circumstances beyond
#: their control (points (b), (d) and (e) concern the admissibility interview and the preliminary
#: examination of a subsequent application: not this step). Directive 2013/32/EU Art 14(2): (a) a
#: positive decision with regard to refugee status only, (b) unfit or unable.
INTERVIEW_OMISSION_GROUNDS: dict[str, dict[str, tuple[str, LegalRef]]] = {
    "pact": {
        "positive_decision": ("the determining authority is able to take a positive decision on refugee status, or on "
                              "subsidiary protection where it carries the same rights and benefits as refugee status "
                              "under Union and national law, on the basis of the evidence available",
                              LegalRef.of(APR, "13", "11", "a")),
        "unfit_or_unable": ("the determining authority considers the applicant unfit or unable to be interviewed owing "
                            "to enduring circumstances beyond the applicant's control",
                            LegalRef.of(APR, "13", "11", "c")),
        "written_preliminary_examination": ("in the case of a subsequent application, the preliminary examination "
                                            "referred to in Article 55(4) is carried out on the basis of a written "
                                            "statement (the admissibility interview)",
                                            LegalRef.of(APR, "13", "11", "d")),
        "protection_in_another_member_state": ("the determining authority considers the application inadmissible "
                                               "under Article 38(1)(c): another Member State has granted the "
                                               "applicant international protection (the admissibility interview)",
                                               LegalRef.of(APR, "13", "11", "e")),
    },
    "pre_pact": {
        "positive_decision": ("the determining authority is able to take a positive decision with regard to refugee "
                              "status on the basis of the evidence available",
                              LegalRef.of(APD, "14", "2", "a")),
        "unfit_or_unable": ("the determining authority considers the applicant unfit or unable to be interviewed owing "
                            "to enduring circumstances beyond the applicant's control",
                            LegalRef.of(APD, "14", "2", "b")),
        "written_preliminary_examination": ("the preliminary examination of a subsequent application is based on "
                                            "written submissions only, without a personal interview (the "
                                            "admissibility interview; the only exception Article 34(1) allows)",
                                            LegalRef.of(APD, "42", "2", "b")),
    },
}
#: The grounds that omit the admissibility interview, not the interview on the substance, with the
#: inadmissibility ground (``INADMISSIBILITY_GROUNDS``) the decision they let be taken without an
#: interview rests on: APR Art 13(11)(d) (a subsequent application without new elements, Art 38(2)) and
#: (e) (Art 38(1)(c)); Directive 2013/32/EU Art 34(1) with 42(2)(b) (Art 33(2)(d)). The Directive has no
#: point (e): its Art 34(1) requires the admissibility interview save for a subsequent application.
ADMISSIBILITY_OMISSION_GROUNDS = {"written_preliminary_examination": "subsequent_application",
                                  "protection_in_another_member_state": "protection_in_another_member_state"}
#: Grounds a caseworker might expect that the text does not give, with why (422 on ``omission_ground``
#: names them): APR Art 13(11)(b) (the admissibility interview omitted because the application is not
#: inadmissible: Pactum records one personal interview per case, and a decision on the merits still needs
#: the interview on the merits, Art 12(1), so the record would change nothing a draft may do), and the
#: other inadmissibility grounds of Art 38(1), which Art 13(11) does not name (only point (c), in (e)).
_OMISSION_NOT_A_GROUND_APR = {
    "not_inadmissible": ("Article 13(11)(b) (the admissibility interview omitted because the application is not "
                         "inadmissible on the evidence available) is not recorded by Pactum: a decision on the merits "
                         "still needs the interview on the merits (Article 12(1)); schedule and hold it, or omit it on "
                         "positive_decision or unfit_or_unable"),
    "first_country_of_asylum": ("Article 13(11) lets the admissibility interview be omitted on an inadmissibility ground "
                                "only where another Member State has granted protection (point (e), Article 38(1)(c)): "
                                "the applicant is heard on a first country of asylum (Article 38(1)(a), Article 11)"),
    "safe_third_country": ("Article 13(11) lets the admissibility interview be omitted on an inadmissibility ground only "
                           "where another Member State has granted protection (point (e), Article 38(1)(c)): the "
                           "applicant is heard on a safe third country (Article 38(1)(b), Article 11)"),
}
#: What the medical professional consulted found of the applicant's condition (APR Art 13(11), third
#: subparagraph; Directive Art 14(2)(b)): temporary or enduring.
MEDICAL_FINDINGS = {"enduring": "the condition is enduring (not temporary)",
                    "temporary": "the condition is temporary"}
#: The fields that belong to one ground of the omission only.
_UNFIT_ONLY = ("medical_consulted_on", "medical_finding", "fitness_not_in_doubt", "written_information_until")
_POSITIVE_ONLY = ("same_rights_as_refugee_status",)


def _omission_regime(case: Case) -> str:
    return "pact" if _pp(case) == APR else "pre_pact"


def _not_a_ground(case: Case, ground: str) -> str | None:
    """Why ``ground`` is no ground of omission under the law of the case, where a caseworker might
    expect it to be one (:data:`_OMISSION_NOT_A_GROUND_APR`; under the Directive, Art 34(1): the
    admissibility interview is held, save for a subsequent application, Art 42(2)(b))."""
    if _pp(case) == APR:
        return _OMISSION_NOT_A_GROUND_APR.get(ground)
    if ground in ("not_inadmissible", "first_country_of_asylum", "safe_third_country",
                  "protection_in_another_member_state"):
        return (f"{LegalRef.of(APD, '34', '1').cite()} requires a personal interview on admissibility before the "
                f"determining authority decides on it, with one exception: the preliminary examination of a subsequent "
                f"application on written submissions ({LegalRef.of(APD, '42', '2', 'b').cite()}, ground "
                f"written_preliminary_examination)")
    return None


def admissibility_omission_refusal(case: Case, ground: str) -> str | None:
    """Why the admissibility interview cannot be omitted on ``ground`` (an
    :data:`ADMISSIBILITY_OMISSION_GROUNDS` ground) in this case now, or None where it can: point (d)
    (Directive Art 42(2)(b)) needs a subsequent application in its preliminary examination; point (e) an
    application whose admissibility may still be examined (not a subsequent application already found to
    present new elements and examined on the merits, Art 55(6)). Neither is a ground to omit the
    interview on the substance: once the case is examined on the merits, it needs that interview."""
    if ground == "written_preliminary_examination" and not subsequent_in_preliminary_examination(case):
        if not case.subsequent_application:
            return ("the ground concerns the preliminary examination of a subsequent application (its admissibility "
                    "interview); this is a first application: its personal interview is not omitted on this ground")
        return ("the preliminary examination of this subsequent application found new elements"
                + (f" on {case.new_elements_found_on.isoformat()}" if case.new_elements_found_on else "")
                + ": it is examined further, and the ground omits only the admissibility interview of the preliminary "
                  "examination, not the interview on the merits")
    if ground == "protection_in_another_member_state" and subsequent_admitted(case) \
            and not subsequent_other_ground_examined(case):
        return ("the subsequent application was found to present new elements and is examined on the merits: the "
                "ground omits the admissibility interview, not the interview on the merits")
    return None


def omission_ground_refusal(case: Case, ground: str) -> str | None:
    """Why the interview may not be omitted on ``ground`` in this case now (what ``omit_interview``
    refuses naming ``omission_ground``), or None where the ground may lie: a ground the law of the case
    does not give (:func:`_not_a_ground`, else the grounds it gives), or a ground of the admissibility
    interview that does not lie on the case (:func:`admissibility_omission_refusal`; the refusal cites the
    ground's provision before it). The one check: the
    case's read offers the form only the grounds it lets through (:func:`omission_grounds_on_case`)."""
    grounds = INTERVIEW_OMISSION_GROUNDS[_omission_regime(case)]
    if ground not in grounds:
        return _not_a_ground(case, ground) or (
            f"one of {', '.join(grounds)} under {case_regime(case).instrument}: the application was "
            f"{case_regime(case).why()}")
    if ground in ADMISSIBILITY_OMISSION_GROUNDS:
        return admissibility_omission_refusal(case, ground)
    return None


def omission_grounds_on_case(case: Case) -> dict[str, dict[str, Any]]:
    """The grounds of omission of the law of the case (:data:`INTERVIEW_OMISSION_GROUNDS`), each with
    its words (``ground``), its provision (``legal_basis``), whether it may lie on the case now
    (``lies``) and, where it may not, why (``why_not``, as ``omit_interview`` refuses it:
    :func:`omission_ground_refusal`)."""
    return _grounds_on_case(case, INTERVIEW_OMISSION_GROUNDS[_omission_regime(case)], omission_ground_refusal)


def _grounds_on_case(case: Case, grounds: dict[str, tuple[str, LegalRef]],
                     refusal: Callable[[Case, str], str | None]) -> dict[str, dict[str, Any]]:
    """Each of ``grounds`` (code: words, provision) as a case's read gives it to the form: ``ground``,
    ``legal_basis``, ``lies`` and ``why_not``, by the step's own check ``refusal``."""
    out: dict[str, dict[str, Any]] = {}
    for code, (what, ref) in grounds.items():
        why_not = refusal(case, code)
        out[code] = {"ground": what, "legal_basis": ref.cite(), "lies": why_not is None, "why_not": why_not}
    return out


def omission_in_force(case: Case) -> bool:
    """The omission recorded still dispenses with the interview the case waits for: always on a ground
    of the interview on the substance; on an admissibility ground only while the admissibility it
    concerns is examined (a subsequent application found to present new elements needs the interview on
    the merits: :func:`admissibility_omission_refusal`)."""
    ground = case.interview_omission_ground
    if case.interview_omitted_on is None or ground is None:
        return False
    return ground not in ADMISSIBILITY_OMISSION_GROUNDS or admissibility_omission_refusal(case, ground) is None


def assert_date(d: date | None) -> date:
    assert d is not None
    return d


def omission_refs(case: Case, ground: str) -> list[str]:
    """The point of the omission on ``ground`` under the law of the case, then what follows from it
    where the applicant is unfit or unable to be interviewed: the applicant's effective opportunity to
    submit further information in writing and the omission not adversely affecting the decision (APR
    Art 13(11), second subparagraph; Directive Art 14(2), second subparagraph, and 14(4)) and the
    medical professional consulted in case of doubt (APR Art 13(11), third subparagraph; Directive
    Art 14(2)(b))."""
    ref = INTERVIEW_OMISSION_GROUNDS[_omission_regime(case)][ground][1].cite()
    if ground != "unfit_or_unable":
        return [ref]
    if _pp(case) == APR:
        para = LegalRef.of(APR, "13", "11").cite()
        return [ref, f"{para}, second subparagraph", f"{para}, third subparagraph"]
    return [ref, f"{LegalRef.of(APD, '14', '2').cite()}, second subparagraph; {LegalRef.of(APD, '14', '4').cite()}",
            ref]


def omission_outcomes(case: Case) -> list[Outcome]:
    """The outcomes a draft may take without the interview omitted as a positive decision can be
    taken: refugee status; under the APR subsidiary protection too, where the omission recorded that it
    carries the same rights and benefits as refugee status."""
    out = [Outcome.refugee_status]
    if _pp(case) == APR and case.interview_omission_same_rights:
        out.append(Outcome.subsidiary_protection)
    return out


def _check_admissibility_omission_outcome(case: Case, outcome: Outcome, ground: Any) -> None:
    """An outcome drafted without an interview, the admissibility interview omitted (APR Art 13(11)(d),
    (e); Directive Art 34(1) with 42(2)(b)): only a rejection as inadmissible on the ground the omission
    rests on (:data:`ADMISSIBILITY_OMISSION_GROUNDS`), while it is in force; refused naming
    ``inadmissibility_ground`` for another ground, ``outcome`` for a decision on the merits (it needs the
    interview on the merits)."""
    omission = str(case.interview_omission_ground)
    ref = omission_refs(case, omission)[0]
    omitted = assert_date(case.interview_omitted_on).isoformat()
    needed = ADMISSIBILITY_OMISSION_GROUNDS[omission]
    if not omission_in_force(case):
        raise Conflict(f"the admissibility interview was omitted on {omitted} ({ref}), but "
                       f"{admissibility_omission_refusal(case, omission)}: schedule and hold the interview "
                       f"({interview_ref(case)}), or omit it on a ground of the interview on the substance")
    if outcome != Outcome.inadmissible:
        raise ValidationProblem.one("outcome", (
            f"the admissibility interview was omitted on {omitted} ({ref}): a decision that "
            f"{OUTCOME_REJECTS.get(outcome, 'grants protection')} is a decision on the merits and needs the personal "
            f"interview on the merits ({interview_ref(case)}); draft inadmissible on the ground "
            f"{needed}, or schedule and hold the interview"))
    if ground != needed:
        raise ValidationProblem.one("inadmissibility_ground", (
            f"the admissibility interview was omitted on {omitted} ({ref}) for a rejection as inadmissible on the "
            f"ground {needed} only: another ground needs the admissibility interview, in which the applicant "
            f"explains why it does not apply ({admissibility_interview_ref(case)})"))


def admissibility_interview_ref(case: Case) -> str:
    """The personal interview on admissibility: APR Art 11 (before the decision on admissibility under
    Art 38, the applicant may explain why the grounds do not apply); before it Directive Art 34(1)."""
    return LegalRef.of(APR, "11").cite() if _pp(case) == APR else LegalRef.of(APD, "34", "1").cite()


def _check_omission_outcome(case: Case, outcome: Outcome, ground: Any = None) -> None:
    """An outcome drafted without the interview, which was omitted: on ground ``positive_decision``
    only :func:`omission_outcomes` (the omission rests on the positive decision), refused on
    ``outcome`` otherwise; on ground ``unfit_or_unable`` any."""
    if case.interview_omission_ground in ADMISSIBILITY_OMISSION_GROUNDS:
        _check_admissibility_omission_outcome(case, outcome, ground)
        return
    if case.interview_omission_ground != "positive_decision":
        return
    allowed = omission_outcomes(case)
    if outcome in allowed:
        return
    ref = omission_refs(case, "positive_decision")[0]
    omitted = assert_date(case.interview_omitted_on).isoformat()
    if outcome == Outcome.subsidiary_protection:
        why = (f"{ref} lets the interview be omitted for subsidiary protection only where it carries the same rights "
               "and benefits as refugee status under Union and national law, and the omission did not record that"
               if _pp(case) == APR else
               f"{ref} lets the interview be omitted only for a positive decision with regard to refugee status")
    else:
        why = (f"the personal interview was omitted on {omitted} because a positive decision can be taken on the "
               f"evidence available ({ref}): a decision that {OUTCOME_REJECTS.get(outcome, 'rejects the application')} "
               f"needs the personal interview ({interview_ref(case)})")
    raise ValidationProblem.one("outcome", f"{why}; schedule and hold the interview, or draft "
                                           f"{' or '.join(o.value for o in allowed)}")


def omission_summary(case: Case) -> dict[str, Any]:
    """The omission of the interview as a draft and the case say it (or the applicant's absence
    despite sufficient efforts: :func:`not_attended_summary`)."""
    if case.interview_not_attended_on is not None:
        return not_attended_summary(case)
    ground = str(case.interview_omission_ground)
    refs = omission_refs(case, ground)
    out: dict[str, Any] = {"omitted_on": assert_date(case.interview_omitted_on).isoformat(), "ground": ground,
                           "legal_basis": refs, "interview": omitted_interview(ground)}
    known = INTERVIEW_OMISSION_GROUNDS[_omission_regime(case)].get(ground)
    if known is not None:
        out["ground_text"] = known[0]
    if ground in ADMISSIBILITY_OMISSION_GROUNDS:
        out["inadmissibility_ground"] = ADMISSIBILITY_OMISSION_GROUNDS[ground]
        out["in_force"] = omission_in_force(case)
    if ground == "unfit_or_unable":
        out["written_information_until"] = (case.interview_written_until.isoformat()
                                            if case.interview_written_until else None)
        out["not_adverse"] = f"the omission does not adversely affect the decision ({refs[1]})"
    return out


def _omit_interview(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The determining authority omits the personal interview on the substance (APR Art 13(11)(a),
    (c); Directive 2013/32/EU Art 14(2)(a), (b)): on ``omitted_on`` (not before lodging), on
    ``omission_ground`` with its facts (``omission_reason``). Unfit or unable: the medical professional
    consulted on ``medical_consulted_on`` and the ``medical_finding`` (enduring: a temporary condition
    postpones the interview), or ``fitness_not_in_doubt``; the applicant may submit further information
    in writing until ``written_information_until``. Positive decision, under the APR: whether subsidiary
    protection carries the same rights (``same_rights_as_refugee_status``). Every problem at once."""
    if case.interview_not_attended_on is not None:
        raise Conflict(f"the applicant's absence from the personal interview despite sufficient efforts was "
                       f"already recorded on {case.interview_not_attended_on.isoformat()} ({not_attended_ref()})")
    if omission_in_force(case):
        raise Conflict(f"the personal interview was already recorded as omitted on "
                       f"{assert_date(case.interview_omitted_on).isoformat()} ({case.interview_omission_ground})")
    problems: list[tuple[str, str]] = []
    omitted_on: date | None = None
    try:
        omitted_on = _need_date(p, "omitted_on")
        _not_before(omitted_on, case.lodged_on, "omitted_on", "lodging")
        # an earlier omission of the admissibility interview, no longer in force, stays on the timeline
        _not_before(omitted_on, case.interview_omitted_on, "omitted_on", "the omission of the admissibility interview")
    except ValidationProblem as exc:
        problems += exc.problems
    grounds = INTERVIEW_OMISSION_GROUNDS[_omission_regime(case)]
    ground = str(p.get("omission_ground") or "")
    refused = omission_ground_refusal(case, ground)
    if refused is not None:
        problems.append(("omission_ground", f"{grounds[ground][1].cite()}: {refused}" if ground in grounds else refused))
    reason = " ".join(str(p.get("omission_reason") or "").split())
    if not reason:
        what = ("the evidence available on which the positive decision can be taken" if ground == "positive_decision"
                else "the enduring circumstances beyond the applicant's control that make them unfit or unable to "
                     "be interviewed" if ground == "unfit_or_unable"
                else "the written statement on which the preliminary examination is carried out"
                if ground == "written_preliminary_examination"
                else "the Member State that granted international protection and the evidence of it"
                if ground == "protection_in_another_member_state" else "why the interview is omitted")
        problems.append(("omission_reason", f"state {what}"))
    elif len(reason) > REASONS_MAX:
        problems.append(("omission_reason", f"at most {REASONS_MAX:,} characters"))
    detail: dict[str, Any] = {}
    until: date | None = None
    same_rights = False
    if ground == "positive_decision":
        ref = grounds[ground][1].cite()
        problems += [(k, f"only where the interview is omitted because the applicant is unfit or unable to be "
                         f"interviewed ({grounds['unfit_or_unable'][1].cite()})")
                     for k in _UNFIT_ONLY if p.get(k) not in (None, "", False)]
        same_rights = p.get("same_rights_as_refugee_status") is True
        if same_rights and _pp(case) != APR:
            problems.append(("same_rights_as_refugee_status",
                             f"{ref} allows the omission for a positive decision with regard to refugee status only"))
        detail["positive_outcomes"] = [o.value for o in omission_outcomes(
            replace(case, interview_omission_same_rights=same_rights))]
        if _pp(case) == APR:
            detail["same_rights_as_refugee_status"] = same_rights
    elif ground == "unfit_or_unable":
        refs = omission_refs(case, ground)
        problems += [(k, f"only where the interview is omitted because a positive decision can be taken "
                         f"({grounds['positive_decision'][1].cite()})")
                     for k in _POSITIVE_ONLY if p.get(k) not in (None, "", False)]
        consulted_given = p.get("medical_consulted_on") not in (None, "")
        finding = str(p.get("medical_finding") or "")
        if consulted_given:
            try:
                consulted = _need_date(p, "medical_consulted_on")
                _not_before(consulted, case.made_on, "medical_consulted_on", "the making of the application")
                if omitted_on is not None and consulted > omitted_on:
                    problems.append(("medical_consulted_on", f"cannot be after the omission ({omitted_on.isoformat()}): "
                                                             "the medical professional is consulted before"))
                detail["medical_consulted_on"] = consulted.isoformat()
            except ValidationProblem as exc:
                problems += exc.problems
            if finding not in MEDICAL_FINDINGS:
                problems.append(("medical_finding", f"what the medical professional found: one of "
                                                    f"{', '.join(MEDICAL_FINDINGS)} ({refs[2]})"))
            elif finding == "temporary":
                # the APR says what follows (the interview postponed); the Directive only that the
                # ground needs a condition that is not temporary
                then = (f"the personal interview is postponed until the applicant is able to be interviewed "
                        f"({refs[2]}): schedule it again" if _pp(case) == APR else
                        "the interview is held once the applicant is able to be interviewed: schedule it again")
                problems.append(("medical_finding", (
                    f"the medical professional found the condition temporary: the ground needs enduring circumstances "
                    f"({refs[0]}); {then}")))
            else:
                detail["medical_finding"] = finding
        elif finding:
            problems.append(("medical_consulted_on", "the day the medical professional was consulted, with the finding"))
        elif p.get("fitness_not_in_doubt") is not True:
            problems.append(("medical_consulted_on", (
                f"in case of doubt as to the applicant's ability to be interviewed the determining authority consults "
                f"a medical professional on whether the condition is temporary or enduring ({refs[2]}): give the day "
                f"of the consultation and its finding, or confirm that there is no doubt (fitness_not_in_doubt)")))
        else:
            detail["fitness_not_in_doubt"] = True
        if p.get("written_information_until") in (None, ""):
            problems.append(("written_information_until", (
                f"the last day the applicant has to submit further information in writing: the applicant is given an "
                f"effective opportunity to do so ({refs[1]})")))
        else:
            try:
                until = _need_date(p, "written_information_until")
                if omitted_on is not None and until <= omitted_on:
                    problems.append(("written_information_until",
                                     f"must be after the omission ({omitted_on.isoformat()}): the applicant is given "
                                     f"an effective opportunity to submit further information in writing ({refs[1]})"))
                detail["written_information_until"] = until.isoformat()
            except ValidationProblem as exc:
                problems += exc.problems
        detail["not_adverse"] = f"the omission does not adversely affect the decision ({refs[1]})"
    elif ground in ADMISSIBILITY_OMISSION_GROUNDS and ground in grounds:
        ref = grounds[ground][1].cite()
        problems += [(k, f"only where the interview on the substance is omitted ({grounds['unfit_or_unable'][1].cite()} "
                         f"or {grounds['positive_decision'][1].cite()}), not the admissibility interview ({ref})")
                     for k in (*_UNFIT_ONLY, *_POSITIVE_ONLY) if p.get(k) not in (None, "", False)]
        detail["inadmissibility_ground"] = ADMISSIBILITY_OMISSION_GROUNDS[ground]
    if problems or omitted_on is None:
        raise ValidationProblem(problems)
    refs = omission_refs(case, ground)
    new = replace(case, interview_omitted_on=omitted_on, interview_omission_ground=ground,
                  interview_written_until=until, interview_omission_same_rights=same_rights)
    return Change(new, "interview_omitted", {"omitted_on": omitted_on.isoformat(), "ground": ground,
                                             "interview": omitted_interview(ground), "ground_text": grounds[ground][0],
                                             "reason": reason, **detail, "legal_basis": refs})


def omitted_interview(ground: str) -> str:
    """Which personal interview an omission on ``ground`` dispenses with: ``admissibility`` (APR Art 11,
    Art 13(11)(d), (e); Directive Art 34(1)) or ``substance`` (APR Art 12, Art 13(11)(a), (c); Directive
    Art 14(2))."""
    return "admissibility" if ground in ADMISSIBILITY_OMISSION_GROUNDS else "substance"


#: The ``ground`` the case's read and the draft give where no interview was held because the applicant
#: did not attend the one scheduled despite sufficient efforts (``record_interview_not_attended``, APR
#: Art 13(14)): not an omission of Art 13(11), but it too lets a decision be taken without the interview.
#: Stored in ``Case.interview_not_attended_on`` since ``procedures_0013_interview_not_attended`` (before,
#: as this value of ``interview_omission_ground``).
NOT_ATTENDED = "not_attended"


def not_attended_ref() -> str:
    """APR Art 13(14): provided sufficient efforts have been made to give the applicant the opportunity
    of a personal interview, its absence does not prevent the determining authority from taking a
    decision on the application (without prejudice to Art 11(1) and 12(1)); read in the Italian Official
    Journal text («a condizione che siano stati compiuti sforzi sufficienti per garantire al richiedente
    la possibilità di sostenere un colloquio personale»)."""
    return LegalRef.of(APR, "13", "14").cite()


def reschedule_ref() -> str:
    """APR Art 13(11), last (fourth) subparagraph: where the applicant is unable to attend the personal
    interview owing to specific circumstances beyond their control, the determining authority
    reschedules it («riprogramma il colloquio personale»)."""
    return f"{LegalRef.of(APR, '13', '11').cite()}, fourth subparagraph"


def not_attended_implicit_ref() -> str:
    """APR Art 41(1)(d): the application is declared implicitly withdrawn where the applicant, without
    good cause, did not attend the personal interview they were required to attend under Art 13."""
    return LegalRef.of(APR, "41", "1", "d").cite()


def not_attended_summary(case: Case) -> dict[str, Any]:
    """The applicant's absence from the personal interview despite sufficient efforts, as a draft and
    the case say it, with what sets it apart from an implicit withdrawal."""
    return {"recorded_on": assert_date(case.interview_not_attended_on).isoformat(), "ground": NOT_ATTENDED,
            "legal_basis": [not_attended_ref()],
            "implicit_withdrawal": (f"where the applicant did not attend without good cause the application is "
                                    f"declared implicitly withdrawn ({not_attended_implicit_ref()}): draft "
                                    f"implicitly_withdrawn; this record lets any other decision on the application "
                                    f"be taken without the interview ({not_attended_ref()})")}


def _record_not_attended(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The applicant did not attend the personal interview scheduled, though sufficient efforts were
    made to give them the opportunity of one (APR Art 13(14)): on ``recorded_on`` (not before the last
    day the interview was scheduled for), the ``efforts`` made (how and when the applicant was invited,
    reminders, the address used), and ``no_circumstances_beyond_control`` confirmed: where specific
    circumstances beyond the applicant's control prevented attendance, the interview is rescheduled
    (Art 13(11), fourth subparagraph), not this step. The days the interview was scheduled for are the
    case's own (``scheduled_interviews``, which the service reads from its ``interview_scheduled``
    events): the invitations the applicant did not attend. Only under the APR: Directive 2013/32/EU has
    no such provision (Art 14(5) lets a Member State take the failure to appear into account, Art
    28(1)(a) presume an implicit withdrawal). Every problem at once."""
    if _pp(case) != APR:
        raise Conflict(f"the application is under {case_regime(case).instrument} (it was {case_regime(case).why()}): "
                       f"{not_attended_ref()} does not apply to it; {LegalRef.of(APD, '14', '5').cite()} lets the "
                       f"Member State take the failure to appear into account when deciding, unless the applicant had "
                       f"good reasons, and {LegalRef.of(APD, '28', '1', 'a').cite()} presume an implicit withdrawal: "
                       f"draft implicitly_withdrawn, or record an omission (omit_interview)")
    if case.interview_not_attended_on is not None:
        raise Conflict(f"the personal interview was already recorded as not held on "
                       f"{case.interview_not_attended_on.isoformat()} ({NOT_ATTENDED})")
    if omission_in_force(case):
        raise Conflict(f"the personal interview was already recorded as not held on "
                       f"{assert_date(case.interview_omitted_on).isoformat()} ({case.interview_omission_ground})")
    problems: list[tuple[str, str]] = []
    # in the order scheduled: the last is the interview as scheduled now; a day scheduled anew before it
    # came (``superseded_on``) was no invitation the applicant failed to attend
    scheduled = [dict(s) for s in (p.get("scheduled_interviews") or [])]
    recorded_on: date | None = None
    missed: list[str] = []
    try:
        recorded_on = _need_date(p, "recorded_on")
        _not_before(recorded_on, case.lodged_on, "recorded_on", "lodging")
        if scheduled and recorded_on.isoformat() < str(scheduled[-1]["on"]):
            problems.append(("recorded_on", f"cannot be before the day the personal interview is scheduled for "
                                            f"({scheduled[-1]['on']}): the applicant has not yet failed to attend it"))
        missed = [str(s["on"]) for s in scheduled
                  if str(s["on"]) <= recorded_on.isoformat()
                  and (s.get("superseded_on") is None or str(s["superseded_on"]) >= str(s["on"]))]
    except ValidationProblem as exc:
        problems += exc.problems
    efforts = " ".join(str(p.get("efforts") or "").split())
    if not efforts:
        problems.append(("efforts", f"state the efforts made to give the applicant the opportunity of a personal "
                                    f"interview (how and when they were invited, reminders, the address used): the "
                                    f"absence of the interview does not prevent a decision only provided sufficient "
                                    f"efforts were made ({not_attended_ref()})"))
    elif len(efforts) > REASONS_MAX:
        problems.append(("efforts", f"at most {REASONS_MAX:,} characters"))
    if p.get("no_circumstances_beyond_control") is not True:
        problems.append(("no_circumstances_beyond_control", (
            f"confirm that the applicant has not shown that specific circumstances beyond their control prevented "
            f"them from attending: where they did, the determining authority reschedules the personal interview "
            f"({reschedule_ref()}): schedule it again")))
    if problems or recorded_on is None:
        raise ValidationProblem(problems)
    new = replace(case, interview_not_attended_on=recorded_on)
    summary = not_attended_summary(new)
    return Change(new, "interview_not_attended", {"recorded_on": recorded_on.isoformat(),
                                                  "not_attended_on": missed, "efforts": efforts,
                                                  "no_circumstances_beyond_control": True,
                                                  "implicit_withdrawal": summary["implicit_withdrawal"],
                                                  "legal_basis": summary["legal_basis"]})


def _evidence(case: Case, p: dict[str, Any], actor: str) -> Change:
    desc = str(p.get("description") or "").strip()
    if not desc:
        raise ValidationProblem.one("description", "describe the evidence")
    return Change(case, "evidence_added", {"description": desc, "kind": str(p.get("kind") or "document")})


def _draft(case: Case, p: dict[str, Any], actor: str) -> Change:
    raw = str(p.get("outcome") or "")
    try:
        outcome = Outcome(raw)
    except ValueError:
        raise ValidationProblem.one("outcome", f"one of {', '.join(o.value for o in DRAFT_OUTCOMES)}") from None
    if outcome not in DRAFT_OUTCOMES:
        raise ValidationProblem.one("outcome", "an explicit withdrawal is the applicant's: record it with the step "
                                               f"record_withdrawal ({withdrawal_refs(case)['closes']})")
    if case.suspended_on is not None:
        raise Conflict(f"the examination is suspended since {case.suspended_on.isoformat()} so that the applicant may "
                       f"justify or rectify ({suspension_ref()}) until {assert_date(case.suspended_until).isoformat()}: "
                       "resume it (resume_examination) before drafting a decision")
    if case.interview_held_on is None and outcome not in NO_INTERVIEW_OUTCOMES \
            and case.interview_not_attended_on is None:
        if case.interview_omitted_on is None:
            raise Conflict("cannot decide before the personal interview is held "
                           f"({interview_ref(case)}); schedule and hold the interview first, or record that it is "
                           "omitted (omit_interview)"
                           + (" or that the applicant did not attend it despite sufficient efforts "
                              f"(record_interview_not_attended, {not_attended_ref()})" if _pp(case) == APR else ""))
        _check_omission_outcome(case, outcome, p.get("inadmissibility_ground"))
    ground = p.get("inadmissibility_ground")
    ground_ref: str | None = None
    if outcome == Outcome.inadmissible:
        grounds = INADMISSIBILITY_GROUNDS[_regime(case)]
        if ground not in grounds:
            raise ValidationProblem.one("inadmissibility_ground",
                                        f"one of {', '.join(grounds)} under {case_regime(case).instrument}: "
                                        f"the application was {case_regime(case).why()}")
        ground_ref = grounds[str(ground)]
        if ground == "subsequent_application" and subsequent_admitted(case):
            raise Conflict("the preliminary examination found new elements: the subsequent application is examined "
                           f"on the merits ({'; '.join(r.cite() for r in SUBSEQUENT_ADMITTED[_regime(case)][1])}), "
                           "not rejected as inadmissible on that ground")
    else:
        ground = None
        if subsequent_other_ground_examined(case) and outcome != Outcome.implicitly_withdrawn:
            raise Conflict("the subsequent application presents new elements and its admissibility is examined on "
                           f"another ground ({LegalRef.of(APR, '55', '6').cite()}): reject it as inadmissible on a "
                           f"ground of {LegalRef.of(APR, '38', '1').cite()}, or record that none applies "
                           "(examine_on_merits) before deciding on the merits")
    late = _late_after_return_decision(case, p, ground_ref) if ground == RD_GROUND else None
    if outcome == Outcome.rejected_manifestly_unfounded and not may_reject_manifestly_unfounded(case):
        raise Conflict("a rejection as manifestly unfounded is only possible in the accelerated or "
                       f"border procedure, or for a subsequent application under the APR "
                       f"({manifestly_unfounded_ref(case)}); this case is in the {case.procedure} procedure")
    reasons = str(p.get("reasons") or "").strip()
    if not reasons and outcome not in REASONS_NOT_REQUIRED:
        what = OUTCOME_REJECTS[outcome]
        raise ValidationProblem.one("reasons", f"state the reasons in fact and in law: the decision {what} "
                                               f"({reasons_ref(case)})")
    if len(reasons) > REASONS_MAX:
        raise ValidationProblem.one("reasons", f"at most {REASONS_MAX:,} characters")
    return Change(replace(case, state=S.draft_decision, outcome=outcome.value, drafted_by=actor,
                          inadmissibility_ground=ground),
                  "decision_drafted", {"outcome": outcome.value, "inadmissibility_ground": ground,
                                       **({("interview_not_attended" if case.interview_not_attended_on
                                            else "interview_omitted"): omission_summary(case)}
                                          if case.interview_held_on is None
                                          and (case.interview_not_attended_on or case.interview_omitted_on)
                                          and outcome not in NO_INTERVIEW_OUTCOMES else {}),
                                       **({"inadmissibility_legal_basis": ground_ref} if ground_ref else {}),
                                       **({"return_decision": late} if late else {}),
                                       "reasons": reasons})


def _late_after_return_decision(case: Case, p: dict[str, Any], ref: str | None) -> dict[str, Any]:
    """The facts of APR Art 38(1)(e) (``ref``) for a draft on that ground, or a refusal naming the
    field: a return decision of the person in the case's state (``p["return_decision"]``, which the
    service finds on the case's record or a record a white or red link says is the same person:
    ``reference``, ``issued_on`` and ``issued_to``, whose record it is; none, refused on
    ``inadmissibility_ground``),
    received (``return_decision_received_on``; the day it was issued when not given, Pactum
    recording no separate day of receipt) on or after its issue and on or before the day the
    application was made, the application made after the working days of the window, and the two
    conditions of the text confirmed by the caseworker (``informed_of_consequences``,
    ``no_new_elements``)."""
    rd = p.get("return_decision")
    ms = case.member_state
    if not rd:
        raise ValidationProblem.one("inadmissibility_ground", (
            f"{ref}: no return decision is recorded for this person in {ms} issued on or before the day the "
            f"application was made ({case.made_on.isoformat()}); the ground needs one "
            f"({LegalRef.of('return_directive', '6').cite()})"))
    issued_on = _need_date(rd, "issued_on")
    given = p.get("return_decision_received_on")
    received_on = _need_date(p, "return_decision_received_on") if given not in (None, "") else issued_on
    problems: list[tuple[str, str]] = []
    window = None
    if received_on < issued_on:
        problems.append(("return_decision_received_on", f"cannot be before the return decision {rd.get('reference')} "
                                                        f"was issued ({issued_on.isoformat()})"))
    elif received_on > case.made_on:
        problems.append(("return_decision_received_on", (
            f"received on {received_on.isoformat()}, after the application was made on {case.made_on.isoformat()}: "
            f"{ref} concerns an application made after the return decision was received")))
    else:
        window = late_after_return_decision(received_on, case.made_on, ms)
        if not window.late:
            problems.append(("inadmissibility_ground", (
                f"{ref}: the application was made on {case.made_on.isoformat()}, within {window.working_days} "
                f"working days of the return decision {rd.get('reference')} received on {received_on.isoformat()} "
                f"(until {window.last_day.isoformat()})")))
    for key, what in (("informed_of_consequences", "confirm that the applicant was informed of the consequences "
                                                   "of not making an application within the time limit"),
                      ("no_new_elements", "confirm that no new relevant elements have arisen since the time "
                                          "limit expired")):
        if p.get(key) is not True:
            problems.append((key, f"{what} ({ref})"))
    if problems or window is None:
        raise ValidationProblem(problems)
    w = window
    return {"reference": rd.get("reference"), "issued_on": issued_on.isoformat(),
            **({"issued_to": rd["issued_to"]} if rd.get("issued_to") else {}),
            "received_on": received_on.isoformat(),
            "received_on_source": "given in the draft" if given not in (None, "") else
                                  "the day the return decision was issued (no separate day of receipt recorded)",
            "made_on": case.made_on.isoformat(), "last_day": w.last_day.isoformat(),
            "informed_of_consequences": True, "no_new_elements": True, "steps": w.steps,
            "legal_basis": w.legal_basis}


def _submit(case: Case, p: dict[str, Any], actor: str) -> Change:
    return Change(replace(case, state=S.under_review), "submitted_for_review", {})


def available_actions(case: Case, actor: str, today: date | None = None, *, joinable: bool = False) -> list[str]:
    """The steps ``actor`` may take on the case now: those its state allows, without the approval
    of a decision ``actor`` drafted (the second-level review is another officer's: ``_approve``
    refuses it) and, on ``today``, without closing the case as final while the appeal time limit
    still runs (``_close`` refuses it), nor recording a withdrawal of the application once that
    time limit ended without an appeal (the decision is then final: ``_withdraw`` refuses it), nor
    closing it as joined unless the person has another open application in the state
    (``joinable``, which the service knows)."""
    return [a for a, (states, _what) in ACTIONS.items()
            if case.state in states and not (a == "approve" and case.drafted_by == actor)
            and not (a == "close" and today is not None and case.appeal_deadline is not None
                     and today <= case.appeal_deadline and appealable(case))
            and not (a == "record_withdrawal" and case.state == S.notified and today is not None
                     and case.appeal_deadline is not None and today > case.appeal_deadline)
            and not (a == "close_joined" and not joinable)
            and not (a in ("omit_interview", "record_interview_not_attended")
                     and (omission_in_force(case) or case.interview_not_attended_on is not None))
            and not (a == "admit_subsequent" and not subsequent_in_preliminary_examination(case))
            and not (a == "suspend_examination" and (case.suspended_on is not None or _pp(case) != APR))
            and not (a == "resume_examination" and case.suspended_on is None)
            and not (a == "draft_decision" and case.suspended_on is not None)
            and not (a == "lodge_appeal" and not appealable(case))
            and not (a == "record_withdrawal" and case.state in (S.decided, S.notified, S.appeal_lodged)
                     and case.outcome in (Outcome.refugee_status, Outcome.subsidiary_protection))
            and not (a == "examine_on_merits" and not subsequent_other_ground_examined(case))
            and not (a == "leave_accelerated" and not may_leave_accelerated(case))
            and not (a == "leave_border_procedure" and not may_leave_border_procedure(case, today))
            and not (a == "request_to_remain" and (case.suspensive_effect is not False
                                                   or case.remain_requested_on is not None))
            and not (a == "decide_request_to_remain" and (case.remain_requested_on is None
                                                          or case.remain_decided_on is not None))]


def _approve(case: Case, p: dict[str, Any], actor: str) -> Change:
    if case.drafted_by == actor:
        raise Conflict("the second-level review must be done by another officer than the one "
                       "who drafted the decision")
    d = _need_date(p, "decided_on")
    _not_before(d, case.interview_held_on, "decided_on", "the interview")
    _not_before(d, case.lodged_on, "decided_on", "lodging")
    if case.interview_held_on is None and case.interview_not_attended_on is not None:
        _not_before(d, case.interview_not_attended_on, "decided_on",
                    "the record of the applicant's absence from the personal interview")
    if case.interview_held_on is None and case.interview_omitted_on is not None:
        _not_before(d, case.interview_omitted_on, "decided_on", "the omission of the personal interview")
        until = case.interview_written_until
        if until is not None and d <= until:
            raise ValidationProblem.one("decided_on", (
                f"the personal interview was omitted and the applicant may submit further information in writing "
                f"until {until.isoformat()} ({omission_refs(case, 'unfit_or_unable')[1]}): decide after that day"))
    return Change(replace(case, state=S.decided, decided_on=d), "decided",
                  {"outcome": case.outcome, "decided_on": d.isoformat(), "reviewed_by": actor})


def _return(case: Case, p: dict[str, Any], actor: str) -> Change:
    reason = str(p.get("reason") or "").strip()
    if not reason:
        raise ValidationProblem.one("reason", "say what the drafter must revise")
    return Change(replace(case, state=S.draft_decision), "draft_returned", {"reason": reason})


def _notify(case: Case, p: dict[str, Any], actor: str) -> Change:
    d = _need_date(p, "notified_on")
    _not_before(d, case.decided_on, "notified_on", "the decision")
    with_return = bool(p.get("with_return_decision"))
    if with_return and case.outcome not in {o.value for o in NEGATIVE_OUTCOMES}:
        raise Conflict("a return decision can only be issued together with a negative decision; "
                       f"this decision grants {case.outcome}")
    if not with_return:  # the terms of a return decision, without one to carry them
        stray = [k for k in RETURN_TERMS if p.get(k) not in (None, "")]
        if stray:
            raise ValidationProblem([(k, "only with a return decision (tick 'issue a return "
                                         "decision with it' or leave this empty)") for k in stray])
    new = replace(case, state=S.notified, notified_on=d)
    if not appealable(new):  # a grant of refugee status: no appeal, no time limit for one
        detail: dict[str, Any] = {"notified_on": d.isoformat(), "appeal_deadline": None,
                                  "no_appeal": f"no appeal lies against a grant of refugee status ({no_appeal_ref(case)})",
                                  "with_return_decision": with_return}
    else:
        try:
            due, comp = appeal_deadline(new, d)
        except (OverflowError, ValueError, ValidationProblem):  # the time limit would end past the calendar's end
            raise ValidationProblem.one("notified_on", "not a day a decision can have been notified") from None
        new = replace(new, appeal_deadline=due)
        detail = {"notified_on": d.isoformat(), "appeal_deadline": due.isoformat(),
                  "computation": comp, "with_return_decision": with_return}
    adviser = legal_adviser(p)
    if adviser:
        detail.update({"notified_to": "legal_adviser", "legal_adviser": adviser,
                       "legal_basis": [notified_to_adviser_ref(case)]})
    return Change(new, "notified", detail, return_decision=with_return)


#: The longest name of a legal adviser a notification records.
LEGAL_ADVISER_MAX = 200


def legal_adviser(p: dict[str, Any]) -> str:
    """The legal adviser who legally represents the applicant and to whom the decision is notified
    instead of the applicant (``legal_adviser`` of the notification: a name, blank for none)."""
    name = " ".join(str(p.get("legal_adviser") or "").split())
    if len(name) > LEGAL_ADVISER_MAX:
        raise ValidationProblem.one("legal_adviser", f"at most {LEGAL_ADVISER_MAX} characters")
    return name


def notified_to_adviser_ref(case: Case) -> str:
    """What lets the authority notify the decision to the legal adviser who legally represents the
    applicant instead of the applicant: APR Art 36(1), second sentence (Official Journal text,
    Italian version: "Qualora il richiedente sia legalmente rappresentato da un rappresentante o da
    un consulente legale, l'autorità competente può comunicare la decisione al rappresentante o al
    consulente legale anziché al richiedente"); before the Pact Directive 2013/32/EU Art 12(1)(e)."""
    if _pp(case) == APR:
        return LegalRef.of(APR, "36", "1").cite()
    return LegalRef.of(APD, "12", "1", "e").cite()


def no_appeal_ref(case: Case) -> str:
    """What gives the applicant no appeal against a grant of refugee status: APR Art 67(1) lists the
    decisions open to an appeal (rejections as inadmissible, unfounded or manifestly unfounded "as
    regards both refugee status and subsidiary protection status", implicitly withdrawn, withdrawal
    of protection, the return decision) and Art 67(2) adds the refusal of refugee status to a person
    granted subsidiary protection (read in the Italian Official Journal text); before the Pact
    Directive 2013/32/EU Art 46(1), (2)."""
    if _pp(case) == APR:
        return f"{LegalRef.of(APR, '67', '1').cite()}, (2)"
    return f"{LegalRef.of(APD, '46', '1').cite()}, (2)"


def appealable(case: Case) -> bool:
    """Whether the applicant may appeal the case's decision: every decision but a grant of refugee
    status (``no_appeal_ref``), which rejects nothing."""
    return case.outcome != Outcome.refugee_status


def _appeal(case: Case, p: dict[str, Any], actor: str) -> Change:
    if not appealable(case):
        raise Conflict(f"the decision grants refugee status: it rejects nothing, and no appeal lies against it "
                       f"({no_appeal_ref(case)})")
    d = _need_date(p, "lodged_on")
    _not_before(d, case.notified_on, "lodged_on", "notification")
    if case.appeal_deadline and d > case.appeal_deadline:
        raise Conflict(f"the appeal was lodged on {d.isoformat()}, after the time limit ended on "
                       f"{case.appeal_deadline.isoformat()} ({_appeal_ref(case)})")
    susp, basis = suspensive_effect(case)
    # a new appeal (after a remittal and a new decision) has no outcome yet
    return Change(replace(case, state=S.appeal_lodged, appeal_lodged_on=d, suspensive_effect=susp,
                          appeal_outcome=None),
                  "appeal_lodged", {"lodged_on": d.isoformat(), "suspensive_effect": susp,
                                    "legal_basis": basis},
                  return_decision_action="suspend" if susp else None)


def _decide_appeal(case: Case, p: dict[str, Any], actor: str) -> Change:
    raw = str(p.get("outcome") or "")
    try:
        out = AppealOutcome(raw)
    except ValueError:
        raise ValidationProblem.one("outcome", f"one of {', '.join(o.value for o in AppealOutcome)}") from None
    d = _need_date(p, "decided_on")
    _not_before(d, case.appeal_lodged_on, "decided_on", "the appeal")
    if out == AppealOutcome.remitted:
        new = replace(case, state=S.lodged, outcome=None, drafted_by=None, decided_on=None,
                      notified_on=None, appeal_deadline=None, interview_held_on=None,
                      interview_omitted_on=None, interview_omission_ground=None, interview_written_until=None,
                      interview_omission_same_rights=False, interview_not_attended_on=None,
                      appeal_outcome=out.value, remain_requested_on=None, remain_decided_on=None,
                      remain_allowed=None)
    else:
        new = replace(case, state=S.appeal_decided, appeal_outcome=out.value)
    # the return decision went with the negative decision: it falls with it (annulled and sent
    # back, or protection granted), and runs again once the appeal is dismissed
    effect = "lift_suspension" if out == AppealOutcome.dismissed else "withdraw"
    return Change(new, "appeal_decided", {"outcome": out.value, "decided_on": d.isoformat()},
                  return_decision_action=effect)


def request_to_remain_ends(case: Case) -> tuple[date, str] | None:
    """The last day of the time the applicant has to ask the court for leave to remain pending an
    appeal without automatic suspensive effect (APR Art 68(5)(a): at least five days from the
    notification; the platform counts the minimum) and its citation; ``None`` where no such
    request lies (before the Pact, a notification not recorded, an appeal that suspends)."""
    if _regime(case) != "pact" or case.notified_on is None or suspensive_effect(case)[0]:
        return None
    due, ref, _comp = _period("apr.appeal.request_to_remain", case.notified_on, case.member_state)
    return due, ref


def appeal_time_protects(case: Case) -> tuple[date, str] | None:
    """The last day of the time limit for an appeal that would suspend by itself, during which the
    applicant has the right to remain and the return decision is not enforced (APR Art 68(1), (2):
    "until the expiry of the time limit within which they may exercise their right to an effective
    remedy"; before the Pact Directive 2013/32/EU Art 46(5)), and its citation; ``None`` where the
    appeal would not suspend (the time to ask for leave to remain bars removal instead,
    :func:`request_to_remain_ends`) or the notification and its time limit are not recorded."""
    if case.notified_on is None or case.appeal_deadline is None or not suspensive_effect(case)[0]:
        return None
    ref = (LegalRef.of(APR, "68", "2") if _regime(case) == "pact" else LegalRef.of(APD, "46", "5")).cite()
    return case.appeal_deadline, ref


def _request_to_remain(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The applicant asked the court for leave to remain pending the appeal (APR Art 68(4)): only
    where the appeal does not suspend by itself (Art 68(3)); once per appeal. Until the court
    decides on a request made in time the applicant is not removed (Art 68(5)(d)(ii)): the return
    decision issued with the decision is suspended. A request after the five days the Regulation
    guarantees (Art 68(5)(a)) is recorded, and said to be after them: national law may allow longer,
    the court decides whether it was in time; removal waits for the court's decision all the same."""
    if case.suspensive_effect is not False:
        raise Conflict(f"the appeal lets the applicant remain by itself ({suspensive_effect(case)[1]}): "
                       "there is no leave to remain to ask for")
    if case.remain_requested_on is not None:
        raise Conflict(f"the request to remain was recorded on {case.remain_requested_on.isoformat()}; "
                       "record the court's decision on it")
    d = _need_date(p, "requested_on")
    _not_before(d, case.notified_on, "requested_on", "the notification of the decision")
    window = request_to_remain_ends(case)
    detail: dict[str, Any] = {"requested_on": d.isoformat()}
    if window is not None:
        last, ref = window
        detail.update({"request_time_limit": last.isoformat(), "in_time": d <= last, "legal_basis": ref})
    return Change(replace(case, remain_requested_on=d), "remain_requested", detail,
                  return_decision_action="suspend")


def _decide_request_to_remain(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The court's decision on the request to remain (APR Art 68(4)): allowed, the applicant
    remains pending the appeal and the return decision's effects stay suspended (Art 68(1));
    refused, the suspension ends and the return decision may be enforced."""
    if case.remain_requested_on is None:
        raise Conflict("no request to remain is recorded on this appeal: record the applicant's request first")
    if case.remain_decided_on is not None:
        raise Conflict(f"the court decided on the request to remain on {case.remain_decided_on.isoformat()}")
    d = _need_date(p, "decided_on")
    _not_before(d, case.remain_requested_on, "decided_on", "the request to remain")
    allowed = p.get("allowed")
    if not isinstance(allowed, bool):
        raise ValidationProblem.one("allowed", "say whether the court allowed the applicant to remain (true or false)")
    ref = LegalRef.of(APR, "68", "4").cite()
    return Change(replace(case, remain_decided_on=d, remain_allowed=allowed,
                          suspensive_effect=True if allowed else case.suspensive_effect),
                  "remain_decided", {"decided_on": d.isoformat(), "allowed": allowed, "legal_basis": ref},
                  return_decision_action=None if allowed else "lift_suspension")


def remain_facts(case: Case, today: date | None = None) -> dict[str, Any] | None:
    """The request to remain pending an appeal that does not suspend by itself (APR Art 68(4), (5)),
    as the case page and the case JSON show it: the time to ask (``time_limit``, its citation, and on
    ``today`` whether it has passed, ``time_limit_passed``), the request recorded (``requested_on``,
    ``in_time``) and the court's decision (``decided_on``, ``allowed``); ``not_removed_basis`` cites
    what keeps the applicant from removal meanwhile (Art 68(5)(d): (i) until the time to ask ends,
    (ii) while a request made in time awaits the court); ``None`` where no such request lies."""
    if case.remain_requested_on is None and case.state not in NOTIFIED_STATES:
        return None  # no appeal pending nor to come (final, decided on appeal, closed): nothing to ask for
    window = request_to_remain_ends(case)
    if window is None and case.remain_requested_on is None:
        return None
    last = window[0] if window else None
    return {"time_limit": last.isoformat() if last else None, "legal_basis": window[1] if window else None,
            "time_limit_passed": (today > last) if today is not None and last is not None else None,
            "not_removed_basis": LegalRef.of(APR, "68", "5", "d").cite(),
            "court_decides": LegalRef.of(APR, "68", "4").cite(),
            "requested_on": case.remain_requested_on.isoformat() if case.remain_requested_on else None,
            "in_time": (case.remain_requested_on <= last) if case.remain_requested_on and last else None,
            "decided_on": case.remain_decided_on.isoformat() if case.remain_decided_on else None,
            "allowed": case.remain_allowed}


def entry_at_border_end(case: Case, today: date) -> tuple[bool, str]:
    """Whether the applicant is authorised to enter the territory when the border procedure ends
    (APR Art 51(2)), and why: not where, under Art 43(3), the appeal gives no right to remain and
    the applicant (b) did not ask the court for leave to remain in time, or (c) the court refused
    it; then, with a return decision, the return border procedure applies (Regulation (EU)
    2024/1349 Art 4). While the time to ask runs (until ``today`` included) or the request awaits the
    court, entry stands. Before the Pact: Directive 2013/32/EU Art 43(2), entry."""
    if _regime(case) != "pact":
        return True, LegalRef.of(APD, "43", "2").cite()
    entry = LegalRef.of(APR, "51", "2").cite()
    if case.state not in (S.notified, S.appeal_lodged) or suspensive_effect(case)[0] or case.remain_allowed:
        return True, entry
    # APR Art 43(3), second subparagraph: Regulation (EU) 2024/1349 Art 4 applies where the applicant
    # is the subject of a return decision (or a refusal of entry); without one, not yet
    rbp = (f"{LegalRef.of('return_border', '4').cite()} applies" if case.return_decision_issued else
           f"no return decision was issued with the decision: {LegalRef.of('return_border', '4').cite()} "
           f"applies once one is ({LegalRef.of(APR, '43', '3').cite()}, second subparagraph)")
    if case.remain_allowed is False:
        return False, (f"{LegalRef.of(APR, '43', '3', 'c').cite()}: the court did not allow the applicant to remain "
                       f"pending the appeal; {rbp}")
    window = request_to_remain_ends(case)
    if case.remain_requested_on is None and window is not None and window[0] < today:
        return False, (f"{LegalRef.of(APR, '43', '3', 'b').cite()}: no request to remain was recorded within the "
                       f"time limit (until {window[0].isoformat()}, {window[1]}); {rbp}")
    return True, entry


def _close(case: Case, p: dict[str, Any], actor: str) -> Change:
    d = _need_date(p, "on")
    if case.appeal_deadline and d <= case.appeal_deadline and appealable(case):
        raise Conflict(f"the appeal time limit runs until {case.appeal_deadline.isoformat()}; "
                       "the decision is not final yet")
    return Change(replace(case, state=S.final), "final", {"on": d.isoformat()})


def _close_transferred(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The applicant was transferred to the Member State responsible: the case ends here without
    an examination. ``dublin_request_id`` names the request under which the transfer was carried
    out; the service checks it and adds what it records (``transferred_on``, ``transferred_to``,
    ``regime``)."""
    rid = str(p.get("dublin_request_id") or "").strip()
    if not rid:
        raise ValidationProblem.one("dublin_request_id",
                                    "name the Dublin request under which the applicant was transferred")
    d = _need_date(p, "transferred_on")
    _not_before(d, case.registered_on, "transferred_on", "registration")
    to = str(p.get("transferred_to") or "")
    if to == case.member_state:
        raise ValidationProblem.one("dublin_request_id", "a transfer to another Member State is required")
    if p.get("regime") == "dublin_iii":
        basis = [LegalRef.of("dublin3", "26", "1").cite(), LegalRef.of("dublin3", "29").cite()]
    else:
        basis = [LegalRef.of("ammr", "42", "1").cite(), LegalRef.of("ammr", "46").cite()]
    return Change(replace(case, state=S.transferred), "transferred",
                  {"dublin_request_id": rid, "transferred_to": to or None,
                   "transferred_on": d.isoformat(),
                   "note": "not examined here: the Member State responsible examines the application",
                   "legal_basis": basis})


#: How the applicant withdrew the application, per regime. Under the APR the applicant withdraws it
#: in person in writing, or through a legal adviser who legally represents them under national
#: law (Art 40(1)). The Directive leaves the form to national law (Art 27(1): "insofar as Member
#: States provide for the possibility of explicit withdrawal ... under national law"): an oral
#: statement the authority records in writing is then accepted too.
WITHDRAWAL_HOW: dict[str, dict[str, str]] = {
    "pact": {"in_person_in_writing": "in person, in writing",
             "through_legal_adviser": "in writing, through the legal adviser who represents the applicant"},
    "pre_pact": {"in_person_in_writing": "in person, in writing",
                 "through_legal_adviser": "in writing, through the legal adviser who represents the applicant",
                 "orally_recorded": "orally, recorded in writing by the authority (as national law allows)"},
}
#: The decision the determining authority takes on the withdrawal, per regime. Under the APR: a
#: decision declaring the application explicitly withdrawn (Art 40(3)), or, where it had already
#: found that the applicant does not qualify, still a rejection as unfounded or manifestly
#: unfounded (Art 40(4)). Under the Directive: discontinue the examination or reject the
#: application (Art 27(1)).
WITHDRAWAL_DECISIONS: dict[str, dict[str, str]] = {
    "pact": {"declare_withdrawn": "declare the application explicitly withdrawn",
             "reject": "reject the application as already found (unfounded or manifestly unfounded)"},
    "pre_pact": {"discontinue": "discontinue the examination",
                 "reject": "reject the application as already found (unfounded or manifestly unfounded)"},
}
#: The findings on the merits a rejection after the withdrawal may rest on (APR Art 40(4): the
#: determining authority "had already found" that the applicant does not qualify).
_FOUND_NOT_TO_QUALIFY = frozenset({Outcome.rejected_unfounded.value, Outcome.rejected_manifestly_unfounded.value})


def withdrawal_refs(case: Case) -> dict[str, str]:
    """The citations of an explicit withdrawal under the law of the case: the form (``how``), the
    decision that ends the case (``closes``), the rejection after it (``reject``), the return
    decision issued with it (``return``)."""
    if _pp(case) == APR:
        return {"how": LegalRef.of(APR, "40", "1").cite(), "closes": LegalRef.of(APR, "40", "3").cite(),
                "reject": LegalRef.of(APR, "40", "4").cite(), "return": LegalRef.of(APR, "37").cite()}
    return {"how": LegalRef.of(APD, "27", "1").cite(), "closes": LegalRef.of(APD, "27", "1").cite(),
            "reject": LegalRef.of(APD, "27", "1").cite(),
            "return": LegalRef.of("return_directive", "6", "6").cite()}


def _choice(p: dict[str, Any], key: str, options: dict[str, str], ref: str, what: str) -> str:
    raw = str(p.get(key) or "").strip()
    if raw not in options:
        said = f"{raw!r} is not " if raw else "required: "
        raise ValidationProblem.one(key, f"{said}{what} under {ref}; one of {', '.join(options)}")
    return raw


#: Why an explicit withdrawal is no longer recorded on a closed case: "at any stage of the
#: procedure" (APR Art 40(1)) ends with the final decision (or the case leaving this state).
_WITHDRAWAL_TOO_LATE = {
    S.final: "cannot record the applicant's explicit withdrawal while the case is 'final': the decision on the "
             "application is final, no application is pending to withdraw (a new application would be a "
             "subsequent application)",
    S.appeal_decided: "cannot record the applicant's explicit withdrawal while the case is 'appeal_decided': the "
                      "appeal was decided and the decision on the application is final, no application is pending "
                      "to withdraw",
    S.transferred: "cannot record the applicant's explicit withdrawal while the case is 'transferred': the applicant "
                   "was transferred and the Member State responsible examines the application; a withdrawal is "
                   "recorded there",
    S.withdrawn: "cannot record the applicant's explicit withdrawal while the case is 'withdrawn': the withdrawal "
                 "is already recorded and decided",
}


def _withdraw(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The applicant explicitly withdrew the application (APR Art 40; before the Pact Directive
    2013/32/EU Art 27 and national law); the determining authority's decision on it.

    ``declare_withdrawn`` (APR Art 40(3)) or ``discontinue`` (Directive Art 27(1)) closes the case
    (``withdrawn``, outcome ``explicitly_withdrawn``): under the APR that decision is final and not
    open to an appeal under its Chapter V. A return decision goes with it (APR Art 37; before the
    Pact Directive 2008/115/EC Art 6(6) allows it), the default under the APR. ``reject``
    (APR Art 40(4); Directive Art 27(1)) records the withdrawal and leaves the rejection the file
    already holds (a drafted or approved rejection as unfounded or manifestly unfounded) to run its
    course: second-level review, notification with its return decision, appeal."""
    regime = _regime(case)
    refs = withdrawal_refs(case)
    if case.outcome in (Outcome.refugee_status, Outcome.subsidiary_protection) and case.state in (
            S.decided, S.notified, S.appeal_lodged):
        raise Conflict(f"the decision of {case.decided_on.isoformat() if case.decided_on else 'this case'} "
                       f"grants {code_words(case.outcome)}: a withdrawal of the application does not "
                       "undo a grant of protection (giving up the status is a renunciation, not recorded here)")
    problems: list[tuple[str, str]] = []  # each field's problem at once, not the first only
    withdrawn_on = how = decision = None
    try:
        withdrawn_on = _need_date(p, "withdrawn_on")
        _not_before(withdrawn_on, case.made_on, "withdrawn_on", "the day the application was made")
    except ValidationProblem as exc:
        problems += exc.problems
    try:
        how = _choice(p, "how", WITHDRAWAL_HOW[regime], refs["how"], "a way the applicant withdraws the application")
    except ValidationProblem as exc:
        problems += exc.problems
    try:
        decision = _choice(p, "decision", WITHDRAWAL_DECISIONS[regime], refs["closes"],
                           "a decision the determining authority takes on the withdrawal")
    except ValidationProblem as exc:
        problems += exc.problems
    if problems or withdrawn_on is None or how is None or decision is None:
        raise ValidationProblem(problems)
    if case.state == S.notified and case.appeal_deadline is not None and withdrawn_on > case.appeal_deadline:
        raise Conflict(f"the applicant withdrew the application on {withdrawn_on.isoformat()}, after the appeal "
                       f"time limit ended on {case.appeal_deadline.isoformat()} without an appeal: the decision "
                       f"was final by then and no application was pending to withdraw ({refs['how']}); close the "
                       "case as final")
    detail: dict[str, Any] = {"withdrawn_on": withdrawn_on.isoformat(), "how": how, "decision": decision}
    if decision == "reject":
        if case.state in (S.notified, S.appeal_lodged):
            raise ValidationProblem.one(
                "decision", f"the rejection was notified on {case.notified_on.isoformat() if case.notified_on else '—'}: "
                            f"it is not taken again; {'declare the application explicitly withdrawn' if regime == 'pact' else 'discontinue the examination'} "
                            f"({refs['closes']})")
        if case.state not in (S.draft_decision, S.under_review, S.decided) or case.outcome not in _FOUND_NOT_TO_QUALIFY:
            found = f" (the file holds {code_words(case.outcome)})" if case.outcome else ""
            raise ValidationProblem.one(
                "decision", "a rejection after the withdrawal needs the determining authority's finding that the "
                            "applicant does not qualify, already on file (a drafted or approved rejection as "
                            f"unfounded or manifestly unfounded){found} ({refs['reject']})")
        stray = [k for k in ("decided_on", "with_return_decision", *RETURN_TERMS) if p.get(k) not in (None, "", False)]
        if stray:
            raise ValidationProblem([(k, "not with a rejection: it is decided by the second-level review and "
                                         "notified, with its return decision, by the next steps") for k in stray])
        detail.update({"outcome": case.outcome, "legal_basis": list(dict.fromkeys([refs["how"], refs["reject"]])),
                       "note": "the rejection already found is taken and notified by the next steps"})
        return Change(case, "withdrawal_recorded", detail)
    decided_on = _need_date(p, "decided_on")
    _not_before(decided_on, withdrawn_on, "decided_on", "the withdrawal")
    raw_with = p.get("with_return_decision")
    if case.return_decision_issued:
        if raw_with:
            raise ValidationProblem.one("with_return_decision",
                                        "a return decision was already issued with the decision notified on this "
                                        "case; it stays in force")
        with_return = False
    else:
        # APR Art 37: a return decision with the decision declaring the application explicitly
        # withdrawn (unless the officer says the person has none to receive); the Directive: may
        with_return = (regime == "pact") if raw_with is None else bool(raw_with)
    if not with_return:
        stray = [k for k in RETURN_TERMS if p.get(k) not in (None, "")]
        if stray:
            raise ValidationProblem([(k, "only with a return decision (tick 'issue a return decision with it' "
                                         "or leave this empty)") for k in stray])
    detail.update({"outcome": Outcome.explicitly_withdrawn.value, "decided_on": decided_on.isoformat(),
                   "with_return_decision": with_return,
                   "final": regime == "pact",
                   "legal_basis": list(dict.fromkeys([refs["how"], refs["closes"],
                                                      *([refs["return"]] if with_return else [])])),
                   "note": ("declared explicitly withdrawn: the decision is final and not open to an appeal"
                            if regime == "pact" else "the examination is discontinued")})
    follow = "lift_suspension" if case.state == S.appeal_lodged and case.return_decision_issued else None
    new = replace(case, state=S.withdrawn, outcome=Outcome.explicitly_withdrawn.value, decided_on=decided_on,
                  inadmissibility_ground=None)
    return Change(new, "withdrawal_recorded", detail, return_decision=with_return,
                  return_decision_action=follow)


#: Joining two applications of one person is the management of the state's files: no EU act
#: provides for it (the APR and the Directive know one application per person, a later one being a
#: subsequent application: APR Art 55, Directive 2013/32/EU Art 40). Recorded as such.
JOINED_BASIS = "national law on the management of asylum files (no provision of Union law)"


def _close_joined(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The application is closed as joined to another open application of the same person in the
    same state (``joined_to``, checked by the service: the same person, this state's, open). No
    decision is taken on it: its file is carried on in the other case."""
    other = str(p.get("joined_to") or "").strip()
    if not other:
        raise ValidationProblem.one("joined_to", "name the application (its reference or id) this one is joined to")
    return Change(replace(case, state=S.joined), "joined",
                  {"joined_to": other, "joined_to_reference": p.get("joined_to_reference"),
                   "note": "closed as joined: the file is carried on in the other application, no decision is "
                           "taken on this one",
                   "legal_basis": [JOINED_BASIS]})


#: The omissions and actions of APR Art 41(1) for which the application is declared implicitly
#: withdrawn (read in the Italian Official Journal text, d5p2rnkdz9-hub/SOSPATTO ``1348.html``), each the
#: ground of a suspension under Art 41(4): what the applicant is given the opportunity to justify or
#: rectify.
IMPLICIT_WITHDRAWAL_GROUNDS: dict[str, tuple[str, LegalRef]] = {
    "not_lodged": ("without good reason, the applicant did not lodge the application (Article 28) despite an "
                   "effective opportunity to do so", LegalRef.of(APR, "41", "1", "a")),
    "refused_to_cooperate": ("the applicant refuses to cooperate by not providing the information of Article "
                             "27(1)(a) and (b) or their biometric data", LegalRef.of(APR, "41", "1", "b")),
    "refused_address": ("the applicant refuses to provide an address, where they have one, unless accommodation is "
                        "provided by the competent authorities", LegalRef.of(APR, "41", "1", "c")),
    "did_not_attend_interview": ("without good cause, the applicant did not attend the personal interview they were "
                                 "required to attend under Article 13, or refused to answer the questions so that "
                                 "its outcome does not suffice to decide on the merits", LegalRef.of(APR, "41", "1", "d")),
    "reporting_or_unavailable": ("the applicant repeatedly failed to comply with the reporting obligations of "
                                 "Article 9(4) or does not remain available to the competent administrative or "
                                 "judicial authorities", LegalRef.of(APR, "41", "1", "e")),
    "not_in_member_state_responsible": ("the applicant lodged the application in a Member State other than that of "
                                        "Article 17(1) and (2) of Regulation (EU) 2024/1351 and does not remain in it "
                                        "pending the determination or the transfer", LegalRef.of(APR, "41", "1", "f")),
}


def suspension_ref() -> str:
    """APR Art 41(4): «L'autorità competente può sospendere la procedura per dare al richiedente la
    possibilità di giustificare o rettificare le omissioni o le azioni di cui al paragrafo 1 prima
    dell'adozione di una decisione che dichiari che la domanda è implicitamente ritirata»."""
    return LegalRef.of(APR, "41", "4").cite()


#: The states in which the examination may be suspended (APR Art 41(4): ``suspend_examination``) and
#: stays so: a step that takes the case out of them (a withdrawal, a transfer, a joining, any closing)
#: ends the suspension with the examination.
SUSPENDABLE_STATES = frozenset(ACTIONS["suspend_examination"][0])


def implicit_withdrawal_ground_refusal(case: Case, ground: str) -> str | None:
    """Why the examination may not be suspended on ``ground`` (a point of APR Art 41(1)) in this case
    now, or None where the omission or action may lie: the one check of ``suspend_examination`` and of
    the form's choices (:func:`implicit_withdrawal_grounds_on_case`). Point (a), an application «non
    formalizzata a norma dell'articolo 28», cannot lie once it is lodged; point (d) concerns the
    personal interview the applicant was required to attend, or the questions they refused to answer
    in it: none lies before an interview was scheduled or held."""
    if ground not in IMPLICIT_WITHDRAWAL_GROUNDS:
        return (f"the omission or action of {LegalRef.of(APR, '41', '1').cite()} the applicant may justify or "
                f"rectify: one of {', '.join(IMPLICIT_WITHDRAWAL_GROUNDS)}")
    ref = IMPLICIT_WITHDRAWAL_GROUNDS[ground][1].cite()
    if ground == "not_lodged" and case.lodged_on is not None:
        return (f"{ref} concerns an application not lodged ({LegalRef.of(APR, '28').cite()}) despite an effective "
                f"opportunity; this one was lodged on {case.lodged_on.isoformat()}")
    if ground == "did_not_attend_interview" and case.state != S.interview_scheduled \
            and case.interview_held_on is None and case.interview_not_attended_on is None:
        return (f"{ref} concerns the personal interview the applicant was required to attend "
                f"({LegalRef.of(APR, '13').cite()}), or refused to answer questions in: no interview was scheduled "
                "or held on this application (schedule_interview first)")
    return None


def implicit_withdrawal_grounds_on_case(case: Case) -> dict[str, dict[str, Any]]:
    """The points of APR Art 41(1) (:data:`IMPLICIT_WITHDRAWAL_GROUNDS`), each with its words
    (``ground``), its provision (``legal_basis``), whether it may lie on the case now (``lies``) and,
    where not, why (``why_not``: :func:`implicit_withdrawal_ground_refusal`, as ``suspend_examination``
    refuses it)."""
    return _grounds_on_case(case, IMPLICIT_WITHDRAWAL_GROUNDS, implicit_withdrawal_ground_refusal)


def _suspension_ends_with_the_examination(before: Case, change: Change) -> Change:
    """A step that takes a suspended case out of :data:`SUSPENDABLE_STATES` (a withdrawal, a transfer, a
    joining, a closing) ends the suspension of APR Art 41(4) with it: no action could resume it any
    more. The step's event says so (``suspension_ended``)."""
    after = change.case
    if before.suspended_on is None or after.suspended_on is None or after.state in SUSPENDABLE_STATES:
        return change
    ended = {"suspended_on": before.suspended_on.isoformat(),
             "until": assert_date(before.suspended_until).isoformat(), "ground": before.suspension_ground,
             "note": (f"the suspension of the examination ({suspension_ref()}) ends with it: the case is "
                      f"'{after.state.value}'")}
    return replace(change, case=replace(after, suspended_on=None, suspended_until=None, suspension_ground=None),
                   detail={**change.detail, "suspension_ended": ended})


def suspension_summary(case: Case) -> dict[str, Any] | None:
    """The suspension in force (``suspend_examination``), as the case's read says it, or None: none on
    a case out of :data:`SUSPENDABLE_STATES` (a suspension recorded before closing steps ended it is
    not in force)."""
    if case.suspended_on is None or case.state not in SUSPENDABLE_STATES:
        return None
    ground = str(case.suspension_ground)
    known = IMPLICIT_WITHDRAWAL_GROUNDS.get(ground)
    return {"suspended_on": case.suspended_on.isoformat(),
            "until": assert_date(case.suspended_until).isoformat(), "ground": ground,
            "ground_text": known[0] if known else ground,
            "legal_basis": [suspension_ref(), *([known[1].cite()] if known else [])]}


def _suspend_examination(case: Case, p: dict[str, Any], actor: str) -> Change:
    """APR Art 41(4): the examination suspended on ``suspended_on`` (not before lodging) so that the
    applicant may justify or rectify the omission or action of Art 41(1) named by
    ``implicit_withdrawal_ground`` (``to_justify``: what, in words) until ``justify_until`` (after the
    suspension: the text sets no length, Pactum's reading: the authority sets it). Meanwhile no decision is
    drafted. Under Directive 2013/32/EU refused (409): its Art 28(1) lets the Member State discontinue the
    examination, with the reopening of Art 28(2), not this suspension. Every problem at once."""
    if _pp(case) != APR:
        raise Conflict(f"the application is under {case_regime(case).instrument} (it was {case_regime(case).why()}): "
                       f"{suspension_ref()} does not apply to it; {LegalRef.of(APD, '28', '1').cite()} lets the "
                       "Member State discontinue the examination or reject the application instead")
    if case.suspended_on is not None:
        raise Conflict(f"the examination is already suspended since {case.suspended_on.isoformat()} "
                       f"({suspension_ref()})")
    problems: list[tuple[str, str]] = []
    on: date | None = None
    until: date | None = None
    try:
        on = _need_date(p, "suspended_on")
        _not_before(on, case.lodged_on, "suspended_on", "lodging")
    except ValidationProblem as exc:
        problems += exc.problems
    ground = str(p.get("implicit_withdrawal_ground") or "")
    refused = implicit_withdrawal_ground_refusal(case, ground)
    if refused is not None:
        problems.append(("implicit_withdrawal_ground", refused))
    what = " ".join(str(p.get("to_justify") or "").split())
    if not what:
        problems.append(("to_justify", "state what the applicant is given the opportunity to justify or rectify"))
    elif len(what) > REASONS_MAX:
        problems.append(("to_justify", f"at most {REASONS_MAX:,} characters"))
    if p.get("justify_until") in (None, ""):
        problems.append(("justify_until", f"the last day the applicant has to justify or rectify ({suspension_ref()})"))
    else:
        try:
            until = _need_date(p, "justify_until")
            if on is not None and until <= on:
                problems.append(("justify_until", f"must be after the suspension ({on.isoformat()}): the applicant is "
                                                  f"given the opportunity to justify or rectify ({suspension_ref()})"))
        except ValidationProblem as exc:
            problems += exc.problems
    if problems or on is None or until is None:
        raise ValidationProblem(problems)
    new = replace(case, suspended_on=on, suspended_until=until, suspension_ground=ground)
    summary = suspension_summary(new) or {}
    return Change(new, "examination_suspended", {"suspended_on": on.isoformat(), "until": until.isoformat(),
                                                 "ground": ground, "ground_text": summary.get("ground_text"),
                                                 "to_justify": what, "legal_basis": summary.get("legal_basis")})


def _resume_examination(case: Case, p: dict[str, Any], actor: str) -> Change:
    """The suspended examination resumes on ``resumed_on`` (not before the suspension): ``justified``, the
    applicant justified or rectified the omission or action (the examination goes on; the implicit
    withdrawal on that ground is not declared); otherwise only once the time given has ended (after
    ``justify_until``), and a decision declaring the application implicitly withdrawn may follow (APR
    Art 41(1), (4))."""
    if case.suspended_on is None:
        raise Conflict(f"the examination is not suspended ({suspension_ref()})")
    on = _need_date(p, "resumed_on")
    _not_before(on, case.suspended_on, "resumed_on", "the suspension")
    justified = p.get("justified") is True
    until = assert_date(case.suspended_until)
    known = IMPLICIT_WITHDRAWAL_GROUNDS.get(str(case.suspension_ground))
    point = known[1].cite() if known else LegalRef.of(APR, "41", "1").cite()
    if not justified and on <= until:
        raise ValidationProblem.one("resumed_on", (
            f"the applicant has until {until.isoformat()} to justify or rectify ({suspension_ref()}): resume before "
            "that day only where they did (justified), otherwise after it"))
    then = ("the applicant justified or rectified it: the examination goes on" if justified else
            f"the time given ended on {until.isoformat()} without a justification or rectification: a decision may "
            f"declare the application implicitly withdrawn ({point})")
    new = replace(case, suspended_on=None, suspended_until=None, suspension_ground=None)
    return Change(new, "examination_resumed", {"resumed_on": on.isoformat(), "justified": justified,
                                               "suspended_on": case.suspended_on.isoformat(),
                                               "ground": case.suspension_ground, "then": then,
                                               "legal_basis": [suspension_ref(), point]})


def is_closed(state: CaseState) -> bool:
    """Whether a case in ``state`` is closed (final, appeal decided, or transferred out)."""
    return state in CLOSED_STATES


_HANDLERS = {
    "register": _register,
    "lodge": _lodge,
    "schedule_interview": _schedule,
    "hold_interview": _hold,
    "omit_interview": _omit_interview,
    "record_interview_not_attended": _record_not_attended,
    "add_evidence": _evidence,
    "draft_decision": _draft,
    "submit_for_review": _submit,
    "approve": _approve,
    "return_draft": _return,
    "notify": _notify,
    "lodge_appeal": _appeal,
    "decide_appeal": _decide_appeal,
    "request_to_remain": _request_to_remain,
    "decide_request_to_remain": _decide_request_to_remain,
    "close": _close,
    "close_transferred": _close_transferred,
    "record_withdrawal": _withdraw,
    "close_joined": _close_joined,
    "admit_subsequent": _admit_subsequent,
    "examine_on_merits": _examine_on_merits,
    "leave_accelerated": _leave_accelerated,
    "leave_border_procedure": _leave_border_procedure,
    "suspend_examination": _suspend_examination,
    "resume_examination": _resume_examination,
}

# The fields each action takes (forms in the UI, documentation of the API).
ACTION_FIELDS: dict[str, list[tuple[str, str]]] = {
    "register": [("registered_on", "date")],
    "lodge": [("lodged_on", "date")],
    "schedule_interview": [("interview_on", "date"), ("language", "text")],
    "hold_interview": [("held_on", "date"), ("interpreter_language", "text")],
    "omit_interview": [("omitted_on", "date"), ("omission_ground", "choice"), ("omission_reason", "text"),
                       ("medical_consulted_on", "date"), ("medical_finding", "choice"),
                       ("fitness_not_in_doubt", "bool"), ("written_information_until", "date"),
                       ("same_rights_as_refugee_status", "bool")],
    "record_interview_not_attended": [("recorded_on", "date"), ("efforts", "text"),
                                      ("no_circumstances_beyond_control", "bool")],
    "add_evidence": [("description", "text"), ("kind", "text")],
    "draft_decision": [("outcome", "outcome"), ("inadmissibility_ground", "text"), ("reasons", "text"),
                       ("return_decision_received_on", "date"), ("informed_of_consequences", "bool"),
                       ("no_new_elements", "bool")],
    "submit_for_review": [],
    "approve": [("decided_on", "date")],
    "return_draft": [("reason", "text")],
    "notify": [("notified_on", "date"), ("with_return_decision", "bool"),
               ("voluntary_departure_days", "number"), ("entry_ban_years", "number"),
               ("entry_ban_months", "number"), ("legal_adviser", "text")],
    "lodge_appeal": [("lodged_on", "date")],
    "decide_appeal": [("outcome", "appeal_outcome"), ("decided_on", "date")],
    "request_to_remain": [("requested_on", "date")],
    "decide_request_to_remain": [("decided_on", "date"), ("allowed", "bool")],
    "close": [("on", "date")],
    "close_transferred": [("dublin_request_id", "text")],
    "close_joined": [("joined_to", "text")],
    "admit_subsequent": [("found_on", "date"), ("inadmissibility_ground", "text")],
    "examine_on_merits": [("found_on", "date")],
    "leave_accelerated": [("changed_on", "date"), ("change_reason", "choice"), ("applicant_informed", "bool")],
    "leave_border_procedure": [("left_on", "date"), ("ground", "choice")],
    "suspend_examination": [("suspended_on", "date"), ("implicit_withdrawal_ground", "choice"),
                            ("to_justify", "text"), ("justify_until", "date")],
    "resume_examination": [("resumed_on", "date"), ("justified", "bool")],
    "record_withdrawal": [("withdrawn_on", "date"), ("how", "choice"), ("decision", "choice"),
                          ("decided_on", "date"), ("with_return_decision", "bool"),
                          ("voluntary_departure_days", "number"), ("entry_ban_years", "number"),
                          ("entry_ban_months", "number")],
}
