"""The hierarchy of responsibility criteria, Dublin III (Reg. 604/2013) and AMMR (Reg. 2024/1351).

The regime is chosen by the registration date of the application at hand (AMMR Art 84(1): "an
application ... registered after 1 July 2026"; 84(2): "registered before"; the cut-over and the rule
for the cut-over day itself being :mod:`pactum.law` parameters). The criteria are applied in the
order the regulation sets them out, on the situation when the applicant *first* lodged (Dublin III
Art 7(2)) or registered (AMMR Art 24(2), read in the Official Journal text; not Art 16(3), the
systemic-flaws clause) an application in a Member State: the earliest of this application's registration and the
``earlier_applications`` (:func:`situation_on`). Every time window (documents valid or expired, the
entry windows, the diploma, the age of minority) is measured to that date, and events after it (an
entry, a stay, a diploma) are not part of that situation; only family members (Art 7(3)) are taken
as they are given. The first criterion that designates a state wins. Each criterion below is a base
case plus labelled exceptions and cites its article.

Order of application:

=====  ==========================================  ==================  =====================
 step  rule (criterion code)                        Dublin III          AMMR
=====  ==========================================  ==================  =====================
  1    security_threat                              (none)              Art 16(4)
  2    relocation                                   Art 17(1) (VSM)     Arts 68, 33(3)
  3    unaccompanied_minor_family / _presence       Art 8               Art 25
  4    dependent_persons                            Art 16              Art 34
  5    family_beneficiary                           Art 9               Art 26
  6    family_applicant                             Art 10              Art 27
  7    family_procedure                             Art 11              Art 28
  8    residence_document / visa                    Art 12              Art 29
       expired_documents_not_left                   Art 12(4) 2nd sub.  (none: Art 16(2))
  9    diploma                                      (none)              Art 30
 10    irregular_entry / sar_disembarkation         Art 13(1)           Art 33 (after 31, 32)
 11    irregular_stay                               Art 13(2)           (none)
 12    visa_waived_entry                            Art 14              Art 31
 13    airport_transit                              Art 15              Art 32
 14    first_application                            Art 3(2)            Art 16(2)
=====  ==========================================  ==================  =====================

Under the AMMR, visa-waived entry (Art 31) and airport transit (Art 32) come before entry
(Art 33), following the article order; under Dublin III they come after Art 13.

Month arithmetic follows Reg. 1182/71 Art 3(2)(c): a period of N months from an event ends on the
day of the N-th month bearing the same date (the last day of the month when there is none). These
windows are conditions on elapsed time, not time limits for an act, so the Art 3(4) extension to
the next working day does not apply; that is why the engine does its own month arithmetic here
instead of calling :func:`pactum.law.add_period`, which applies it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from .model import (
    Determination,
    Document,
    EarlierApplication,
    Entry,
    Facts,
    FamilyMember,
    Regime,
    Step,
)
from .params import RegimeParams, regime_choice, regime_on, regime_params
from .territory import basis as territory_basis
from .territory import outside

D3 = "Regulation (EU) No 604/2013"
AMMR = "Regulation (EU) 2024/1351"

# Article citations per regime and rule.
ARTICLES: dict[Regime, dict[str, tuple[str, ...]]] = {
    "dublin_iii": {
        "general": (f"{D3}, Article 7(1)", f"{D3}, Article 7(2)"),
        "security_threat": (),
        "relocation": (f"{D3}, Article 17(1)",),
        "unaccompanied_minor": (f"{D3}, Article 8",),
        "unaccompanied_minor_family": (f"{D3}, Article 8(1)",),
        "unaccompanied_minor_relative": (f"{D3}, Article 8(2)",),
        "unaccompanied_minor_presence": (f"{D3}, Article 8(4)",),
        "dependent_persons": (f"{D3}, Article 16(1)",),
        "family_beneficiary": (f"{D3}, Article 9",),
        "family_applicant": (f"{D3}, Article 10",),
        "family_procedure": (f"{D3}, Article 11",),
        "residence_document": (f"{D3}, Article 12(1)",),
        "visa": (f"{D3}, Article 12(2)",),
        "several_documents": (f"{D3}, Article 12(3)",),
        "expired_documents": (f"{D3}, Article 12(4)",),
        "expired_documents_not_left": (f"{D3}, Article 12(4), second subparagraph",),
        "visas_same_type": (f"{D3}, Article 12(3)(b)",),
        "visas_different_types": (f"{D3}, Article 12(3)(c)",),
        "visa_types": (f"{D3}, Article 2(m)",),
        "visa_representation": ("Regulation (EC) No 810/2009, Article 8",),
        "diploma": (),
        "irregular_entry": (f"{D3}, Article 13(1)",),
        "sar_disembarkation": (f"{D3}, Article 13(1)",),
        "irregular_stay": (f"{D3}, Article 13(2)",),
        "visa_waived_entry": (f"{D3}, Article 14(1)",),
        "visa_waived_exception": (f"{D3}, Article 14(2)",),
        "airport_transit": (f"{D3}, Article 15",),
        "first_application": (f"{D3}, Article 3(2)",),
        "entries_outside_territory": (f"{D3}, Article 43",),
    },
    "ammr": {
        # Art 24 ("Hierarchy of criteria") opens Part III, Chapter II. Read in the Official Journal
        # text (Italian version): 24(1) the criteria apply in the order in which they are set out;
        # 24(2) on the basis of the situation obtaining when the application was first registered
        # in a Member State. Not Art 16(3): the transfer made impossible by a risk of inhuman or
        # degrading treatment.
        "general": (f"{AMMR}, Article 16(1)", f"{AMMR}, Article 24(2)"),
        "security_threat": (f"{AMMR}, Article 16(4)",),
        "relocation": (f"{AMMR}, Article 68", f"{AMMR}, Article 33(3)"),
        "unaccompanied_minor": (f"{AMMR}, Article 25(1)",),
        "unaccompanied_minor_family": (f"{AMMR}, Article 25(2)", f"{AMMR}, Article 25(3)"),
        "unaccompanied_minor_relative": (f"{AMMR}, Article 25(4)",),
        "unaccompanied_minor_presence": (f"{AMMR}, Article 25(5)",),
        "dependent_persons": (f"{AMMR}, Article 34(1)",),
        "family_beneficiary": (f"{AMMR}, Article 26",),
        "family_applicant": (f"{AMMR}, Article 27",),
        "family_procedure": (f"{AMMR}, Article 28",),
        "residence_document": (f"{AMMR}, Article 29(1)",),
        "visa": (f"{AMMR}, Article 29(2)",),
        "several_documents": (f"{AMMR}, Article 29(3)",),
        "expired_documents": (f"{AMMR}, Article 29(4)",),
        # no counterpart of Dublin III Art 12(4), second subparagraph, in Art 29: never applied; a step
        # says so citing Arts 29(4) and 16(2) (:func:`_expired_not_left_ammr`)
        "expired_documents_not_left": (),
        "visas_same_type": (f"{AMMR}, Article 29(3)(b)",),
        "visas_different_types": (f"{AMMR}, Article 29(3)(c)",),
        # Art 2, point (14), read in the Official Journal text (Italian version): «visto» includes
        # the long-stay (a), the short-stay or transit (b) and the airport transit (c) authorisation.
        "visa_types": (f"{AMMR}, Article 2(14)",),
        "visa_representation": ("Regulation (EC) No 810/2009, Article 8",),
        "diploma": (f"{AMMR}, Article 30",),
        "irregular_entry": (f"{AMMR}, Article 33(1)",),
        "sar_disembarkation": (f"{AMMR}, Article 33(2)",),
        "irregular_stay": (),
        "visa_waived_entry": (f"{AMMR}, Article 31(1)",),
        "visa_waived_exception": (f"{AMMR}, Article 31(2)",),
        "airport_transit": (f"{AMMR}, Article 32",),
        "first_application": (f"{AMMR}, Article 16(2)",),
        "entries_outside_territory": (f"{AMMR}, Article 76",),
    },
}

NUCLEAR_FAMILY = frozenset({"spouse", "child", "parent"})
"""Family members for Arts 9-11 / 26-28 (Dublin III Art 2(g), AMMR Art 2(8))."""
MINOR_FAMILY = frozenset({"parent", "sibling", "spouse"})
"""Family members and siblings of an unaccompanied minor (Art 8(1) / Art 25(2)-(3))."""
DEPENDENCY_RELATIONS = frozenset({"child", "sibling", "parent"})
"""Art 16(1) / Art 34(1): a child, sibling or parent legally resident."""
LEGALLY_PRESENT = frozenset({"beneficiary_of_protection", "applicant", "legally_residing"})
MA_CASE_LAW = "CJEU, Case C-648/11 MA and Others"
"""Dublin III Art 8(4) read with MA: the state where the minor is present, having lodged an
application there, not the state of an earlier application."""


@lru_cache(maxsize=1 << 16)
def add_months(d: date, months: int) -> date:
    """The day N months after ``d`` with the same date, or the last day of that month (cached:
    a batch asks for the same few thousand dates again and again)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


_PARAMS_SEEN: dict[tuple[int, tuple[str, ...]], tuple[RegimeParams, dict[str, Any]]] = {}


class _Run:
    """The state of one determination: the trace being written and the regime's numbers."""

    __slots__ = ("arts", "facts", "on", "p", "regime", "steps")

    def __init__(self, facts: Facts, p: RegimeParams):
        self.facts = facts
        self.p = p
        self.on = situation_on(facts)
        """The date whose situation the criteria are applied to (:func:`situation_on`)."""
        self.regime: Regime = p.regime
        self.arts = ARTICLES[p.regime]
        self.steps: list[Step] = []

    def step(
        self,
        rule: str,
        outcome: str,
        facts: dict[str, Any] | None = None,
        parameters: dict[str, Any] | None = None,
        basis: tuple[str, ...] | None = None,
    ) -> None:
        self.steps.append(
            Step(rule, basis if basis is not None else self.arts[rule], facts or {},
                 parameters or {}, outcome)
        )

    def params(self, *names: str) -> dict[str, Any]:
        """The parameters used, by path, with value and citation (for the trace). Built once per
        regime's numbers and set of names and shared by the steps that cite them (never
        mutated: a trace copies it when rendered)."""
        key = (id(self.p), names)
        hit = _PARAMS_SEEN.get(key)
        if hit is not None and hit[0] is self.p:
            return hit[1]
        r = self.p.rendered
        out = {r[n][0]: r[n][1] for n in names if n in r}
        if len(_PARAMS_SEEN) > 100_000:
            _PARAMS_SEEN.clear()
        _PARAMS_SEEN[key] = (self.p, out)
        return out

    def result(self, state: str, criterion: str, basis: tuple[str, ...] | None = None) -> Determination:
        legal = basis if basis is not None else self.arts[criterion]
        return Determination(state, self.regime, criterion, legal, tuple(self.steps))


def situation_on(facts: Facts) -> date:
    """The date of the situation the criteria are applied to: when the applicant first lodged
    (Dublin III Art 7(2)) or first registered (AMMR Art 24(2)) an application in a Member State,
    i.e. the earliest of this application's registration and the earlier applications given."""
    on = facts.registered_on
    for e in facts.earlier_applications:
        if e.registered_on < on:
            on = e.registered_on
    return on


def _regime_step(run: _Run) -> None:
    """The regime, why (which side of the cut-over, or the cut-over day's parameter), and the date
    whose situation the criteria are applied to, and why."""
    f = run.facts
    choice = regime_choice(f.registered_on)
    facts: dict[str, Any] = {"registered_in": f.registered_in, "registered_on": f.registered_on,
                             "situation_on": run.on}
    what = "lodged" if run.regime == "dublin_iii" else "registered"
    cite = "Article " + run.arts["general"][-1].rpartition(", Article ")[2]  # 7(2) / 24(2)
    if run.on < f.registered_on:
        first = min((e for e in f.earlier_applications if e.registered_on == run.on),
                    key=lambda e: e.member_state)
        facts["first_application"] = {"member_state": first.member_state,
                                      "registered_on": first.registered_on}
        situation = (f"; the criteria are applied to the situation on {run.on.isoformat()}, when "
                     f"the applicant first {what} an application in a Member State ({first.member_state}), "
                     f"not on this application's registration ({cite})")
    else:
        situation = (f"; the criteria are applied to the situation on {run.on.isoformat()}, this "
                     f"application's registration, the first in a Member State recorded ({cite})")
    run.steps.append(Step("regime", choice.basis + run.arts["general"], facts,
                          dict(choice.parameters), choice.outcome + situation))


@lru_cache(maxsize=8192)
def params_on(registered_on: date) -> RegimeParams:
    """The regime and its numbers for an application registered on this date (cached per day).
    The numbers are those in force on that date (the regime's); the windows they set are measured
    on the situation date (:func:`situation_on`)."""
    return regime_params(regime_on(registered_on), registered_on)


def determine(facts: Facts) -> Determination:
    """The Member State responsible for examining the application, with the explanation."""
    return determine_with(facts, params_on(facts.registered_on))


def determine_with(facts: Facts, p: RegimeParams) -> Determination:
    run = _Run(facts, p)
    _regime_step(run)
    if facts.entries and any(e.region is not None for e in facts.entries):
        facts = run.facts = _entries_in_territory(run)
    # Each rule is tried only when the facts it reads are present (the rest cannot apply).
    for needs, rule in _ORDER[p.regime]:
        if getattr(facts, needs):
            found = rule(run)
            if found is not None:
                return found
    first = _first_application(facts)
    if first is None:
        run.step("first_application", f"applies: {facts.registered_in}",
                 {"registered_in": facts.registered_in})
        return run.result(facts.registered_in, "first_application")
    what = "lodged" if p.regime == "dublin_iii" else "registered"
    run.step("first_application", f"applies: {first.member_state} (the application {what} there on "
             f"{first.registered_on.isoformat()} is the first; this one was {what} in {facts.registered_in} "
             f"on {facts.registered_on.isoformat()})",
             {"registered_in": facts.registered_in, "registered_on": facts.registered_on,
              "earlier_applications": list(facts.earlier_applications)})
    return run.result(first.member_state, "first_application")


def _entries_in_territory(run: _Run) -> Facts:
    """The facts without the entries into a territory the Regulation does not apply to (France's
    outermost regions: AMMR Art 76, Dublin III Art 43), a trace step naming each and why; an entry
    there is not an entry into the territory of the Member States as the criteria count it
    (Pactum's reading, :mod:`pactum.responsibility.territory`)."""
    f = run.facts
    left = [(e, why) for e in f.entries
            if (why := outside(run.regime, f.registered_on, e.member_state, e.region)) is not None]
    if not left:
        return f
    path, cite = territory_basis(run.regime, f.registered_on)
    said = "; ".join(f"{e.kind} {e.member_state} {e.on} ({why})" for e, why in left)
    run.step("entries_outside_territory",
             f"not taken into account: {said}; an entry there is not an entry into the territory of the "
             "Member States as the criteria count it",
             {"entries": [e for e, _ in left]}, {path: f"true ({cite})"})
    out = [e for e, _ in left]
    return replace(f, entries=tuple(e for e in f.entries if e not in out))


def _first_application(facts: Facts) -> EarlierApplication | None:
    """The first application, when one was made in another Member State before this one (the same
    day does not count as before); None: this one is the first."""
    before = [e for e in facts.earlier_applications if e.registered_on < facts.registered_on]
    if not before:
        return None
    first = min(before, key=lambda e: (e.registered_on, e.member_state))
    return None if first.member_state == facts.registered_in else first


# --- Overriding rules -------------------------------------------------------------------------


def _security_threat(run: _Run) -> Determination | None:
    """AMMR Art 16(4): a security threat makes the state of registration responsible."""
    f = run.facts
    if not f.security_threat:
        return None
    if run.regime == "dublin_iii":
        run.step("security_threat", "does not apply: Regulation (EU) No 604/2013 has no "
                 "security-threat criterion; the hierarchy applies", {"security_threat": True},
                 basis=())
        return None
    run.step("security_threat", f"applies: {f.registered_in}", {"security_threat": True})
    return run.result(f.registered_in, "security_threat")


def _relocation(run: _Run) -> Determination | None:
    """Relocated persons: the relocation state applies the criteria except documents, diplomas and
    entry (AMMR Art 68(1), 33(3)); if none applies, it is responsible itself (Art 68(2)). Under
    Dublin III relocation (VSM) rested on the relocation state's use of Art 17(1)."""
    f = run.facts
    if f.relocated_to is None:
        return None
    if run.regime == "dublin_iii":
        run.step("relocation", f"applies: {f.relocated_to} examines under the discretionary clause",
                 {"relocated_to": f.relocated_to})
        return run.result(f.relocated_to, "relocation")
    for rule in (_unaccompanied_minor, _dependent_persons, _family_not_considered, _family_beneficiary,
                 _family_applicant, _family_procedure, _visa_waived_entry, _airport_transit):
        found = rule(run)
        if found is not None:
            return found
    run.step("relocation",
             f"applies: {f.relocated_to} (no other criterion applies; documents, diplomas and entry "
             "are excluded after relocation)",
             {"relocated_to": f.relocated_to})
    return run.result(f.relocated_to, "relocation")


# --- Minors and family --------------------------------------------------------------------------


def _is_minor(run: _Run) -> bool:
    f = run.facts
    if f.date_of_birth is None:
        return f.unaccompanied_minor
    return age_on(f.date_of_birth, run.on) < run.p.minor_age


def _adult_child(run: _Run, m: FamilyMember) -> bool:
    """A child who was no longer a minor on the situation date: not a family member for the family
    criteria, which count only minor unmarried children (Dublin III Art 2(g); AMMR Art 2(8)). A
    child whose date of birth is not given is taken as a minor child. (An adult child may still be
    the person a dependent applicant relies on: the dependency, Art 16 / Art 34.)"""
    return (m.relation == "child" and m.date_of_birth is not None
            and age_on(m.date_of_birth, run.on) >= run.p.minor_age)


def _member(m: FamilyMember) -> str:
    return f"{m.relation} in {m.member_state} ({m.status.replace('_', ' ')})"


def _unaccompanied_minor(run: _Run) -> Determination | None:
    """Art 8 / Art 25: only these criteria apply to an unaccompanied minor, in this order.

    1. A family member or a sibling legally present (Art 8(1) / 25(2), first subparagraph). A
       married minor's family member is the spouse: the parents are family members only of an
       *unmarried* minor (Dublin III Art 2(g); AMMR Art 2), and the second subparagraph turns to
       the father, mother or other responsible adult, or a sibling, only "where the applicant is a
       married minor whose spouse is not legally present on the territory of the Member States".
       So a spouse legally present comes first; the parents and siblings count when no spouse is
       (every status a family member can be given here is a legal presence). Of an unmarried
       minor's family, a parent comes before a sibling.
    2. A relative legally present who can take care of the child (Art 8(2) / 25).
    3. Otherwise, Dublin III Art 8(4) as read in CJEU C-648/11 *MA*: the state where the minor is
       present, having lodged the application there (the state of registration here), even when
       the minor applied elsewhere before; AMMR Art 25(5): the state where the minor's application
       was *first registered*, unless it is demonstrated that this is not in the best interests of
       the child. That assessment is the caseworker's, not the engine's: the trace says that the
       exception may displace the result (and the discretionary clause, Art 35, remains open).
    """
    f = run.facts
    if not f.unaccompanied_minor:
        return None
    params = run.params("minor_age")
    run.step("unaccompanied_minor", "applies: only the criteria for unaccompanied minors are used",
             {"unaccompanied_minor": True}, params, basis=run.arts["unaccompanied_minor"])
    present = [m for m in f.family_members if m.relation in MINOR_FAMILY and m.status in LEGALLY_PRESENT]
    spouses = [m for m in present if m.relation == "spouse"]
    not_considered = [f"{_member(m)}: a {m.relation} is not among the persons this article counts"
                      for m in f.family_members if m.relation not in MINOR_FAMILY and m.relation != "relative"]
    if spouses:
        # A married minor whose spouse is legally present: the spouse's state.
        ranked = spouses
        not_considered += [
            f"{_member(m)}: the minor is married and the spouse is legally present in "
            f"{spouses[0].member_state}; parents and siblings count only for an unmarried minor or a "
            "married minor whose spouse is not legally present"
            for m in present if m.relation != "spouse"]
    else:
        ranked = sorted(present, key=lambda m: {"parent": 0, "sibling": 1}[m.relation])
    if ranked:
        m = ranked[0]
        married = " of a married minor" if m.relation == "spouse" else ""
        run.step("unaccompanied_minor_family",
                 f"applies: {m.member_state} ({m.relation}{married} {m.status.replace('_', ' ')})"
                 + (f"; not considered: {'; '.join(not_considered)}" if not_considered else ""),
                 {"unaccompanied_minor": True, "relation": m.relation,
                  "member_state": m.member_state, "status": m.status,
                  "others": [x.member_state for x in ranked[1:]],
                  **({"not_considered": not_considered} if not_considered else {})}, params)
        return run.result(m.member_state, "unaccompanied_minor_family")
    run.step("unaccompanied_minor_family", "does not apply: no family member or sibling legally "
             "present in a Member State"
             + (f"; not considered: {'; '.join(not_considered)}" if not_considered else ""),
             {"unaccompanied_minor": True,
              **({"not_considered": not_considered} if not_considered else {})}, params)
    # Exception: a relative legally present who can take care of the child.
    relatives = [m for m in f.family_members if m.relation == "relative"
                 and m.status in LEGALLY_PRESENT and m.can_take_care]
    if relatives:
        m = relatives[0]
        run.step("unaccompanied_minor_relative", f"applies: {m.member_state} (relative who can "
                 "take care of the child)", {"member_state": m.member_state}, params)
        return run.result(m.member_state, "unaccompanied_minor_family",
                          run.arts["unaccompanied_minor_relative"])
    run.step("unaccompanied_minor_relative", "does not apply: no relative able to take care",
             {"relatives": [m.member_state for m in f.family_members if m.relation == "relative"]})
    return _unaccompanied_minor_default(run, params)


def _unaccompanied_minor_default(run: _Run, params: dict[str, Any]) -> Determination:
    """No family member, sibling or relative: Dublin III Art 8(4) with *MA*; AMMR Art 25(5)."""
    f = run.facts
    earlier = list(f.earlier_applications)
    facts: dict[str, Any] = {"registered_in": f.registered_in, "registered_on": f.registered_on}
    if earlier:
        facts["earlier_applications"] = earlier
    if run.regime == "dublin_iii":
        note = ""
        elsewhere = sorted({e.member_state for e in earlier} - {f.registered_in})
        if elsewhere:
            note = (f"; the earlier application in {', '.join(elsewhere)} does not make that state "
                    "responsible for an unaccompanied minor (C-648/11 MA)")
        run.step("unaccompanied_minor_presence",
                 f"applies: {f.registered_in} (the state where the minor is present and lodged the "
                 f"application on {f.registered_on.isoformat()}{note})", facts, params,
                 basis=run.arts["unaccompanied_minor_presence"] + (MA_CASE_LAW,))
        return run.result(f.registered_in, "unaccompanied_minor_presence")
    first = _first_application(f)
    if first is None:
        state, where = f.registered_in, (f"the minor's application was first registered here, on "
                                          f"{run.on.isoformat()}")
    else:
        state, where = first.member_state, (f"the minor's application was first registered there, "
                                             f"on {first.registered_on.isoformat()}; this one was "
                                             f"registered in {f.registered_in} on "
                                             f"{f.registered_on.isoformat()}")
    run.step("unaccompanied_minor_presence",
             f"applies: {state} ({where}), unless it is demonstrated that this is not in the best "
             "interests of the child: that assessment is the caseworker's and may displace this "
             "result", facts, params)
    return run.result(state, "unaccompanied_minor_presence")


def _dependent_persons(run: _Run) -> Determination | None:
    """Art 16(1) / Art 34(1): keep a dependent person with the child, sibling or parent who cares,
    if the persons wish so in writing."""
    dep = run.facts.dependency
    if dep is None:
        return None
    facts = {"relation": dep.relation, "member_state": dep.member_state, "reason": dep.reason,
             "wishes_in_writing": dep.wishes_in_writing}
    if dep.relation not in DEPENDENCY_RELATIONS:
        run.step("dependent_persons", f"does not apply: a {dep.relation} is not a child, sibling "
                 "or parent", facts)
        return None
    if not dep.wishes_in_writing:
        run.step("dependent_persons", "does not apply: no wish expressed in writing", facts)
        return None
    run.step("dependent_persons", f"applies: {dep.member_state}", facts)
    return run.result(dep.member_state, "dependent_persons")


def _family_rule(run: _Run, status: str, code: str) -> Determination | None:
    if not run.facts.family_members:
        return None
    minor = _is_minor(run)
    cands: list[FamilyMember] = []
    excluded: list[str] = []
    for m in run.facts.family_members:
        if m.status != status or m.applied_together:
            continue
        if m.relation not in NUCLEAR_FAMILY or (m.relation == "parent" and not minor) or _adult_child(run, m):
            excluded.append(f"{'adult ' if _adult_child(run, m) else ''}{m.relation} in {m.member_state}")
            continue
        cands.append(m)
    if not cands:
        if excluded:
            run.step(code, "does not apply: not a family member within the meaning of the "
                     "Regulation (spouse, minor unmarried child, or parent of a minor applicant)",
                     {"relatives": excluded})
        return None
    willing = [m for m in cands if m.wishes_in_writing]
    facts = {"family_members": [f"{m.relation} in {m.member_state}" for m in cands]}
    if not willing:
        run.step(code, "does not apply: the persons concerned have not expressed the wish in writing",
                 facts)
        return None
    m = willing[0]
    run.step(code, f"applies: {m.member_state} ({m.relation} {m.status.replace('_', ' ')})", facts)
    return run.result(m.member_state, code)


def _family_beneficiary(run: _Run) -> Determination | None:
    """Art 9 / Art 26: a family member who is a beneficiary of international protection."""
    return _family_rule(run, "beneficiary_of_protection", "family_beneficiary")


def _family_applicant(run: _Run) -> Determination | None:
    """Art 10 / Art 27: a family member whose application awaits a first decision."""
    return _family_rule(run, "applicant", "family_applicant")


def _family_procedure(run: _Run) -> Determination | None:
    """Art 11 / Art 28: family members who applied together in the same state, whom the criteria
    would separate: the state responsible for the largest number of them; otherwise the state
    responsible for the oldest."""
    f = run.facts
    together = [m for m in f.family_members if m.applied_together and m.member_state == f.registered_in
                and m.responsible_member_state is not None and not _adult_child(run, m)]
    if not together:
        return None
    own = _own_criteria(run.facts, run.p)
    designations: list[tuple[str, date | None]] = [(own.responsible_member_state, f.date_of_birth)]
    designations += [(m.responsible_member_state or "", m.date_of_birth) for m in together]
    states = {s for s, _ in designations}
    facts = {"applicant": own.responsible_member_state,
             "members": [f"{m.relation}: {m.responsible_member_state}" for m in together]}
    if len(states) == 1:
        run.step("family_procedure", "does not apply: the criteria do not separate the family", facts)
        return None
    counts: dict[str, int] = {}
    for s, _ in designations:
        counts[s] = counts.get(s, 0) + 1
    top = max(counts.values())
    leaders = [s for s, c in counts.items() if c == top]
    if len(leaders) == 1:
        run.step("family_procedure", f"applies: {leaders[0]} (responsible for the largest number, "
                 f"{top} of {len(designations)})", facts, basis=run.arts["family_procedure"])
        return run.result(leaders[0], "family_procedure")
    dated = [(born, s) for s, born in designations if born is not None]
    if not dated:
        run.step("family_procedure", "does not apply: equal numbers and no dates of birth to find "
                 "the oldest", facts)
        return None
    oldest = min(dated)[1]
    run.step("family_procedure", f"applies: {oldest} (equal numbers; responsible for the oldest)",
             facts)
    return run.result(oldest, "family_procedure")


_FAMILY_STATUSES = {"beneficiary_of_protection": "family_beneficiary", "applicant": "family_applicant"}


def _family_not_considered(run: _Run) -> Determination | None:
    """Before the family criteria (Arts 9-11 / 26-28): each family member given whom none of them
    considers, and why, so that a recorded family link is never dropped silently. Those criteria
    count a spouse, a minor unmarried child, or the parent of a minor applicant (Dublin III Art 2(g); AMMR
    Art 2) who is a beneficiary of international protection (Art 9 / 26) or an applicant awaiting a
    first decision (Art 10 / 27), or who applied together (Art 11 / 28). No other residence status
    is modelled: the trace tells the caseworker to check the status the person holds against the
    Regulation. Never designates a state."""
    f = run.facts
    minor = _is_minor(run)
    out: list[str] = []
    for m in f.family_members:
        if _adult_child(run, m):
            assert m.date_of_birth is not None
            out.append(f"{_member(m)}: a child born on {m.date_of_birth.isoformat()} was "
                       f"{age_on(m.date_of_birth, run.on)} on {run.on.isoformat()}, not a minor: only a minor "
                       "unmarried child is a family member for these criteria"
                       + (" (nor for the family procedure)" if m.applied_together else ""))
            continue
        if m.applied_together:
            continue
        if m.relation not in NUCLEAR_FAMILY:
            out.append(f"{_member(m)}: a {m.relation} is not a family member for these criteria "
                       "(spouse, minor unmarried child, or parent of a minor applicant)")
        elif m.relation == "parent" and not minor:
            out.append(f"{_member(m)}: a parent is a family member only of a minor applicant")
        elif m.status not in _FAMILY_STATUSES:
            out.append(f"{_member(m)}: the status {m.status.replace('_', ' ')} is not one these "
                       "criteria count (a beneficiary of international protection, or an applicant "
                       "awaiting a first decision); no other status is modelled: check the status "
                       "the person holds against the Regulation")
    if out:
        adult = any(_adult_child(run, m) for m in f.family_members)
        run.step("family_members_not_considered", "not considered by the family criteria: "
                 + "; ".join(out), {"not_considered": out}, run.params("minor_age") if adult else None,
                 basis=run.arts["family_beneficiary"] + run.arts["family_applicant"]
                 + (run.arts["family_procedure"] if any(_adult_child(run, m) and m.applied_together
                                                        for m in f.family_members) else ()))
    return None


def _own_criteria(facts: Facts, p: RegimeParams) -> Determination:
    """The applicant's own designation without the family rules (for the family procedure)."""
    sub = _Run(facts, p)
    for _needs, rule in _ORDER[p.regime]:
        if rule in (_family_beneficiary, _family_applicant, _family_procedure, _security_threat,
                    _relocation, _unaccompanied_minor, _dependent_persons, _family_not_considered):
            continue
        found = rule(sub)
        if found is not None:
            return found
    return sub.result(facts.registered_in, "first_application")


# --- Documents and diplomas ---------------------------------------------------------------------


def _pick_residence(docs: list[Document]) -> Document:
    """Several residence documents: the longest period of residence, then the latest expiry."""
    return max(docs, key=lambda d: ((d.valid_until - d.valid_from).days, d.valid_until))


def _pick_visa(docs: list[Document]) -> tuple[Document, str, str]:
    """Several visas: of the same type, the latest expiry (Art 12(3)(b) / 29(3)(b)); of different
    types, the longest period of validity, then the latest expiry (Art 12(3)(c) / 29(3)(c)). A visa
    whose type is not given is taken to be of the same type as the others."""
    types = {d.visa_type for d in docs}
    if len(docs) > 1 and None not in types and len(types) > 1:
        best = max(docs, key=lambda d: ((d.valid_until - d.valid_from).days, d.valid_until))
        return best, "visas of different types: the longest period of validity", "visas_different_types"
    best = max(docs, key=lambda d: (d.valid_until, (d.valid_until - d.valid_from).days))
    if len(docs) > 1:
        return best, ("visas of the same type: the latest expiry" if None not in types
                      else "visas of the same type (types not all given): the latest expiry"
                      ), "visas_same_type"
    return best, "", ""


def _documents(run: _Run) -> Determination | None:
    """Art 12 / Art 29: a valid residence document, then a valid visa; several documents under
    Art 12(3) / 29(3); documents expired within the periods of Art 12(4) / 29(4). A visa issued
    on behalf of another state under a representation arrangement designates the represented
    state (Art 12(2) / 29(2)). An airport transit visa is a visa (Art 2(m)(iii)) and counts while
    valid; an expired one does not, because only expired visas "which enabled [the applicant]
    actually to enter the territory of a Member State" count (Art 12(4) / 29(4)), and an airport
    transit visa allows no entry beyond the international transit area."""
    f = run.facts
    if not f.documents:
        return None
    reg = run.on  # the situation when the applicant first applied (Art 7(2) / 24(2))
    valid = [d for d in f.documents if d.valid_from <= reg <= d.valid_until]
    params = run.params("residence_document_expired", "visa_expired")
    res = [d for d in valid if d.kind == "residence_document"]
    vis = [d for d in valid if d.kind == "visa"]
    basis_extra: tuple[str, ...] = ()
    if not res and not vis:
        # Exception: documents expired less than the period before registration.
        res = [d for d in f.documents if d.kind == "residence_document" and d.valid_until < reg < add_months(d.valid_until, run.p.residence_document_expired_months)]
        vis = [d for d in f.documents if d.kind == "visa" and d.valid_until < reg < add_months(d.valid_until, run.p.visa_expired_months)]
        transit = [d for d in vis if d.visa_type == "airport_transit"]
        if transit:
            vis = [d for d in vis if d.visa_type != "airport_transit"]
            run.step("visa", "does not count: an expired airport transit visa did not enable "
                     "entry into the territory of a Member State",
                     {"documents": transit}, params,
                     basis=run.arts["expired_documents"] + run.arts["visa_types"])
        if not res and not vis:
            run.step("residence_document", f"does not apply: no document valid on "
                     f"{reg.isoformat()}{_situation_note(run)} or expired within the periods "
                     "before it (" + "; ".join(_doc_words(d) for d in f.documents) + ")",
                     {"documents": f.documents, "situation_on": reg}, params,
                     basis=run.arts["residence_document"] + run.arts["expired_documents"])
            return _expired_not_left(run, params)
        basis_extra = run.arts["expired_documents"]
    several = len(res) + len(vis) > 1
    if several:
        basis_extra = basis_extra + run.arts["several_documents"]
    how = "chosen among several" if several else ""
    if res:
        d = _pick_residence(res)
        code = "residence_document"
        state = d.issued_by
    else:
        d, how, rule = _pick_visa(vis)
        if several and not how:
            how = "chosen among several"
        if rule:
            basis_extra = basis_extra + run.arts[rule]
        if len({v.visa_type for v in vis} - {None}) > 1 or d.visa_type is not None:
            basis_extra = basis_extra + run.arts["visa_types"]
        code = "visa"
        state = d.responsible_state
        if d.issued_on_behalf_of is not None:
            how = (how + "; " if how else "") + (f"issued by {d.issued_by} on behalf of "
                                                  f"{d.issued_on_behalf_of} under a representation "
                                                  "arrangement: the represented state")
            basis_extra = basis_extra + run.arts["visa_representation"]
        run.step("residence_document", "does not apply: no residence document that counts",
                 {"documents": f.documents}, params)
    validity = "expired" if d.valid_until < reg else "valid"
    kind = d.kind.replace("_", " ")
    if d.visa_type is not None:
        kind = f"{d.visa_type.replace('_', '-')} visa"
    run.step(code, f"applies: {state} ({validity} {kind} issued by {d.issued_by} "
             f"{d.valid_from.isoformat()} to {d.valid_until.isoformat()}" + _recorded(d)
             + (f", {how}" if how else "") + f"; {validity} on {reg.isoformat()}"
             + _situation_note(run) + ")",
             {"documents": f.documents, "registered_on": f.registered_on, "situation_on": reg},
             params, basis=run.arts[code] + basis_extra)
    return run.result(state, code, run.arts[code] + basis_extra)


def _doc_words(d: Document) -> str:
    """A document as the trace names it: "short-stay visa issued by FR 2023-01-01 to 2023-06-30"."""
    kind = f"{d.visa_type.replace('_', '-')} visa" if d.visa_type else d.kind.replace("_", " ")
    return f"{kind} issued by {d.issued_by} {d.valid_from.isoformat()} to {d.valid_until.isoformat()}{_recorded(d)}"


def _recorded(d: Document) -> str:
    """The platform's record a document was taken from, as the trace names it: ", number X12,
    record dbd-..." (nothing for a document typed in)."""
    return ((f", number {d.number}" if d.number else "") + (f", record {d.record_id}" if d.record_id else ""))


def _lodged_in(run: _Run) -> tuple[str, str]:
    """The Member State in which the application was lodged, in the situation the criteria are
    applied to (Art 7(2)): this application's state, or the state of the first application when
    that is earlier; with the words saying which."""
    f = run.facts
    if run.on == f.registered_on:
        return f.registered_in, "the Member State in which the application was lodged"
    first = min((e for e in f.earlier_applications if e.registered_on == run.on), key=lambda e: e.member_state)
    return first.member_state, (f"the Member State in which the applicant first lodged an application, on "
                                f"{first.registered_on.isoformat()} (Article 7(2))")


def _expired_not_left(run: _Run, params: dict[str, Any]) -> Determination | None:
    """Dublin III Art 12(4), second subparagraph: a residence document or visa that expired longer
    before the situation date than the periods of the first subparagraph, and enabled the applicant
    actually to enter the territory of a Member State, makes the Member State in which the
    application was lodged responsible where the applicant has not left the territories of the
    Member States. It sits inside Art 12, before Arts 13-15.

    ``left_territory_since_entry`` decides: ``False`` designates the state of lodging, ``True``
    rules it out, ``None`` (not known) is named in the trace as a fact needed and the hierarchy
    continues. An expired airport transit visa did not enable entry (as under the first
    subparagraph); any other expired document is taken as having enabled it, which the trace says.

    The AMMR has no such rule: its Art 29 takes a residence document or visa into account only when
    valid or expired (annulled, revoked) within its periods (Art 29(4): 3 years, 18 months), with no
    counterpart of the second subparagraph. Under the AMMR the rule is never applied; a step says so
    (``_expired_not_left_ammr``) and the hierarchy continues, to the first Member State in which the
    application was registered when no criterion applies (Art 16(2))."""
    f = run.facts
    reg = run.on
    p = run.p
    old = [d for d in f.documents
           if (d.kind == "residence_document" and reg >= add_months(d.valid_until, p.residence_document_expired_months))
           or (d.kind == "visa" and d.visa_type != "airport_transit"
               and reg >= add_months(d.valid_until, p.visa_expired_months))]
    if not old:
        return None
    named = "; ".join(_doc_words(d) for d in old)
    if run.regime != "dublin_iii":
        _expired_not_left_ammr(run, params, old, named)
        return None
    state, where = _lodged_in(run)
    left = f.left_territory_since_entry
    expired = (f"{named}, expired more than the first subparagraph's period before "
               f"{reg.isoformat()}{_situation_note(run)}")
    facts: dict[str, Any] = {"documents": old, "left_territory_since_entry": left, "situation_on": reg,
                             "lodged_in": state}
    if left is True:
        run.step("expired_documents_not_left", f"does not apply: the applicant left the territories of "
                 f"the Member States after entering with the {expired}; the hierarchy continues",
                 facts, params)
        return None
    if left is None:
        run.step("expired_documents_not_left", f"may apply: {expired}; if it enabled the applicant "
                 "actually to enter the territory of a Member State and the applicant has not left the "
                 f"territories of the Member States since, {state} is responsible as {where}. The fact "
                 "left_territory_since_entry is needed: it was not given, and the hierarchy continues "
                 "without this rule", facts, params)
        return None
    run.step("expired_documents_not_left", f"applies: {state}, {where}: the applicant has not left "
             f"the territories of the Member States since entering with the {expired}; the document "
             "is taken as having enabled entry into the territory of a Member State, as any but an "
             "airport transit visa does", facts, params)
    return run.result(state, "expired_documents_not_left")


def _expired_not_left_ammr(run: _Run, params: dict[str, Any], old: list[Document], named: str) -> None:
    """Under the AMMR, the step that says why Dublin III Art 12(4), second subparagraph, is not applied
    to documents expired longer ago than the periods of Art 29(4): the AMMR has no such rule, the
    documents are not taken into account, ``left_territory_since_entry`` (if given) decides nothing,
    and the first Member State of registration is responsible only if no criterion applies
    (Art 16(2)). Cites Art 29(4) and Art 16(2)."""
    f = run.facts
    left = f.left_territory_since_entry
    said = ("" if left is None else
            f"; that the applicant {'left' if left else 'has not left'} the territories of the Member States "
            "(left_territory_since_entry) decides nothing under the AMMR")
    run.step("expired_documents_not_left",
             f"not a rule of the AMMR: the {named} expired more than the periods of Article 29(4) before "
             f"{run.on.isoformat()}{_situation_note(run)} and is not taken into account; Article 29 has no "
             "counterpart of Regulation (EU) No 604/2013, Article 12(4), second subparagraph (the state of "
             f"lodging for an applicant who never left){said}. The hierarchy continues; if no criterion "
             "applies, the first Member State in which the application was registered is responsible "
             "(Article 16(2))",
             {"documents": old, "left_territory_since_entry": left, "situation_on": run.on},
             params, basis=run.arts["expired_documents"] + run.arts["first_application"])


def _doc_text(d: Document) -> str:
    return f"{d.kind} {d.issued_by} {d.valid_from.isoformat()}..{d.valid_until.isoformat()}"


def _diploma(run: _Run) -> Determination | None:
    """AMMR Art 30: a diploma from a Member State's establishment, application registered less than
    the period after its issue; several: the longest study period, then the most recent."""
    f = run.facts
    if not f.diplomas or run.p.diploma_months is None:
        return None
    reg = run.on  # the situation at first registration (Art 24(2))
    n = run.p.diploma_months
    ok = [d for d in f.diplomas if d.issued_on <= reg < add_months(d.issued_on, n)]
    facts: dict[str, Any] = {"diplomas": [f"{d.issued_by} {d.issued_on.isoformat()}" for d in f.diplomas],
                             "situation_on": reg}
    params = run.params("diploma")
    if not ok:
        run.step("diploma", f"does not apply: no diploma issued within the period before "
                 f"{reg.isoformat()}{_situation_note(run)}", facts, params)
        return None

    def study(d: Any) -> int:
        return (d.issued_on - d.studies_began_on).days if d.studies_began_on else 0

    best = max(ok, key=lambda d: (study(d), d.issued_on))
    run.step("diploma", f"applies: {best.issued_by} (issued {best.issued_on.isoformat()})", facts,
             params)
    return run.result(best.issued_by, "diploma")


# --- Entry and stay -----------------------------------------------------------------------------


_CROSSINGS = frozenset({"irregular_crossing", "sar_disembarkation"})


def _situation_note(run: _Run) -> str:
    """What the situation date is, when it is not this application's registration."""
    if run.on == run.facts.registered_on:
        return ""
    return ", the date of the first application in a Member State"


def _before_situation(run: _Run, rule: str, entries: list[Entry]) -> list[Entry]:
    """The entries up to the situation date; a later entry is not part of the situation when the
    applicant first applied (Art 7(2) / 24(2)): a trace step says it is left out."""
    if run.on == run.facts.registered_on:
        return entries
    later = [e for e in entries if e.on > run.on]
    if not later:
        return entries
    run.step(rule, f"not taken into account: {', '.join(f'{e.kind} {e.member_state} {e.on}' for e in later)} "
             f"(after {run.on.isoformat()}, the first application in a Member State)",
             {"entries": later, "situation_on": run.on}, basis=run.arts[rule] + run.arts["general"])
    return [e for e in entries if e.on <= run.on]
_D3_SAR_NOTE = " (disembarkation after search and rescue is an irregular crossing under Dublin III)"


def _entry(run: _Run) -> Determination | None:
    """Art 13(1) / Art 33(1)-(2): the first state entered irregularly (or, AMMR, of disembarkation
    after search and rescue) while the application is registered within the period after it."""
    f = run.facts
    reg = run.on  # the situation when the applicant first applied (Art 7(2) / 24(2))
    p = run.p
    crossings = [e for e in f.entries if e.kind in _CROSSINGS]
    if not crossings:
        return None
    crossings = _before_situation(run, "irregular_entry", crossings)
    if not crossings:
        return None
    if len(crossings) > 1:
        crossings.sort(key=lambda e: e.on)
    lapsed = []
    sar_months = p.sar_months
    for e in crossings:
        if sar_months is not None and e.kind == "sar_disembarkation":
            ends, code = add_months(e.on, sar_months), "sar_disembarkation"
        else:
            ends, code = add_months(e.on, p.irregular_entry_months), "irregular_entry"
        if reg <= ends:
            note = _D3_SAR_NOTE if (e.kind == "sar_disembarkation" and code == "irregular_entry") else ""
            run.step(code, f"applies: {e.member_state} (entered {e.on}, responsibility "
                     f"runs to {ends}; situation on {reg}{_situation_note(run)}){note}",
                     {"entries": crossings, "registered_on": f.registered_on, "situation_on": reg},
                     run.params("irregular_entry", "sar_disembarkation"))
            return run.result(e.member_state, code)
        lapsed.append(f"{e.kind} {e.member_state} {e.on} (ceased {ends})")
    run.step("irregular_entry", f"does not apply: responsibility for every crossing had ceased "
             f"on {reg}{_situation_note(run)}",
             {"lapsed": lapsed, "registered_on": f.registered_on, "situation_on": reg},
             run.params("irregular_entry", "sar_disembarkation"),
             basis=run.arts["irregular_entry"] + run.arts["sar_disembarkation"]
             if run.regime == "ammr" else run.arts["irregular_entry"])
    return None


def _irregular_stay(run: _Run) -> Determination | None:
    """Dublin III Art 13(2): a continuous stay of at least five months before lodging; several
    states: the most recent."""
    f = run.facts
    months = run.p.irregular_stay_months
    if months is None or not f.stays:
        return None
    # Only the stay before the first lodging counts (Art 7(2)): a stay is cut at that date.
    on = run.on
    long_enough = [s for s in f.stays if s.start < on and add_months(s.start, months) <= min(s.end, on)]
    params = run.params("irregular_stay")
    facts: dict[str, Any] = {"stays": [f"{s.member_state} {s.start.isoformat()}..{s.end.isoformat()}"
                                       for s in f.stays]}
    if on < f.registered_on:
        facts["situation_on"] = on
    if not long_enough:
        run.step("irregular_stay", "does not apply: no continuous stay long enough", facts, params)
        return None
    s = max(long_enough, key=lambda s: s.end)
    run.step("irregular_stay", f"applies: {s.member_state} (most recent qualifying stay)", facts, params)
    return run.result(s.member_state, "irregular_stay")


def _visa_waived_entry(run: _Run) -> Determination | None:
    """Art 14 / Art 31: the state that waived the visa; exception: the application is made in
    another state that also waives it."""
    f = run.facts
    waived = [e for e in f.entries if e.kind == "visa_waived_entry"]
    if not waived:
        return None
    waived = _before_situation(run, "visa_waived_entry", waived)
    if not waived:
        return None
    e = max(waived, key=lambda e: e.on)
    facts = {"entered": e.member_state, "on": e.on.isoformat(),
             "also_waived_where_registered": e.also_waived_where_registered}
    if e.also_waived_where_registered and e.member_state != f.registered_in:
        run.step("visa_waived_exception", f"applies: {f.registered_in} (also waives the visa)", facts)
        return run.result(f.registered_in, "visa_waived_entry", run.arts["visa_waived_exception"])
    run.step("visa_waived_entry", f"applies: {e.member_state}", facts)
    return run.result(e.member_state, "visa_waived_entry")


def _airport_transit(run: _Run) -> Determination | None:
    """Art 15 / Art 32: an application made in the international transit area of an airport."""
    f = run.facts
    transit = [e for e in f.entries if e.kind == "airport_transit_application"]
    if not transit:
        return None
    transit = _before_situation(run, "airport_transit", transit)
    if not transit:
        return None
    e = max(transit, key=lambda e: e.on)
    run.step("airport_transit", f"applies: {e.member_state}",
             {"member_state": e.member_state, "on": e.on.isoformat()})
    return run.result(e.member_state, "airport_transit")


_ORDER: dict[str, tuple[tuple[str, Callable[[_Run], Determination | None]], ...]] = {
    "dublin_iii": (
        ("security_threat", _security_threat), ("relocated_to", _relocation),
        ("unaccompanied_minor", _unaccompanied_minor), ("dependency", _dependent_persons),
        ("family_members", _family_not_considered), ("family_members", _family_beneficiary),
        ("family_members", _family_applicant), ("family_members", _family_procedure),
        ("documents", _documents), ("entries", _entry),
        ("stays", _irregular_stay), ("entries", _visa_waived_entry), ("entries", _airport_transit),
    ),
    "ammr": (
        ("security_threat", _security_threat), ("relocated_to", _relocation),
        ("unaccompanied_minor", _unaccompanied_minor), ("dependency", _dependent_persons),
        ("family_members", _family_not_considered), ("family_members", _family_beneficiary),
        ("family_members", _family_applicant), ("family_members", _family_procedure),
        ("documents", _documents), ("diplomas", _diploma),
        ("entries", _visa_waived_entry), ("entries", _airport_transit), ("entries", _entry),
    ),
}
