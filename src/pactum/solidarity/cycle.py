"""The annual solidarity cycle (AMMR Arts 9-15, 56-63): states, pledge accounting, offsets and the
state-level distribution of pledges to needs.

Cycle workflow (each step is a command; any other move is a 409)::

    proposal --(High-Level Forum convened)--> pledging --(Council act)--> adopted
             --(implementation starts)--> implementation --(year closed)--> closed

* ``proposal``: the Commission's report (Art 9), pressure decision (states under migratory pressure,
  at risk, facing a significant migratory situation; Art 11) and pool proposal (Art 12);
* ``pledging``: the High-Level EU Solidarity Forum (Art 13), contributing states pledge
  relocations, financial contributions and alternative measures valued in euros (Art 56(2));
* ``adopted``: the Council's implementing act (Art 57) fixes the pool and may set a SAR earmark;
* ``implementation``: pledges are implemented through the year (Art 60); progress is tracked.

The cycle's provisions (Arts 9-15) and the Council's act (Art 57) apply ahead of the rest of the
Regulation (Art 85, ``solidarity.cycle.application``): the first cycle, for the 2026 pool
(``solidarity.cycle.first_pool_year``), ran in 2025, and its steps cite that early application.

Relocations, money and alternative measures count as equal: a relocation not carried out is worth
``solidarity.relocation_equivalent_eur`` euros.
"""

from __future__ import annotations

import math
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Literal

from pactum.law import NotInForce, Trace, param
from pactum.law.periods import length_words
from pactum.law.tree import Param, history
from pactum.solidarity.fairshare import largest_remainder

CycleStatus = Literal["proposal", "pledging", "adopted", "implementation", "closed"]
CYCLE_STATUSES: tuple[str, ...] = ("proposal", "pledging", "adopted", "implementation", "closed")
#: The statuses of a cycle whose pool the Council's implementing act has adopted (Art 57).
ADOPTED_STATUSES: tuple[str, ...] = ("adopted", "implementation", "closed")
TRANSITIONS: dict[str, tuple[str, str]] = {
    # action: (from, to)
    "open_pledging": ("proposal", "pledging"),
    "adopt": ("pledging", "adopted"),
    "start_implementation": ("adopted", "implementation"),
    "close": ("implementation", "closed"),
}
PressureStatus = Literal["under_pressure", "at_risk", "significant_migratory_situation"]
PRESSURE_STATUSES: tuple[str, ...] = ("under_pressure", "at_risk", "significant_migratory_situation")
#: The Council implementing act establishing the pool and distributing its relocations.
COUNCIL_ACT_BASIS = "Regulation (EU) 2024/1351, Article 57"
#: Alternative measures rest on a specific request of the benefitting state, their value agreed by the two states
#: and communicated to the coordinator (read in the Official Journal text, Italian version)
SPECIFIC_REQUEST_BASIS = "Regulation (EU) 2024/1351, Article 65(1)"
PRESSURE_BASIS = {
    "under_pressure": "Regulation (EU) 2024/1351, Article 11",
    "at_risk": "Regulation (EU) 2024/1351, Article 11",
    "significant_migratory_situation": "Regulation (EU) 2024/1351, Article 11",
}


def next_status(current: str, action: str) -> str:
    """The status after ``action``; ``ValueError`` if the cycle is not where the action starts."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action '{action}'; use one of {', '.join(TRANSITIONS)}")
    src, dst = TRANSITIONS[action]
    if current != src:
        raise ValueError(f"cannot {action.replace('_', ' ')}: the cycle is in '{current}', not '{src}'")
    return dst


#: The path of the parameter saying which clause of the Regulation's application a step of the
#: annual cycle rests on, by its date (Art 85): ``early`` before the Regulation as a whole applies.
APPLICATION_PATH = "solidarity.cycle.application"
#: The steps of the annual cycle proper (Arts 9-13, 57), as against the pool's implementation (Part IV).
CYCLE_STEPS: tuple[str, ...] = ("create", "open_pledging", "adopt")


def first_pool_year() -> int:
    """The year of the first Annual Solidarity Pool (``solidarity.cycle.first_pool_year``, 2026): no
    cycle binds an earlier year."""
    return int(history("solidarity.cycle.first_pool_year").values[-1][1])


def cycle_application(on: date) -> Param | None:
    """Which clause of the Regulation's application a step of the annual cycle dated ``on`` rests on
    (``solidarity.cycle.application``, Art 85): ``early`` from the Regulation's entry into force, when
    the cycle's provisions (Arts 9-15) and the Council's act (Art 57) apply ahead of the rest of the
    Regulation, ``general`` from the day the Regulation applies; None before the cycle's provisions
    apply."""
    try:
        return param(APPLICATION_PATH, on=on)
    except NotInForce:
        return None


def early_application_basis(on: date) -> list[str]:
    """The citation a step of the annual cycle dated ``on`` adds for resting on the early application
    of the cycle's provisions (Art 85), or nothing from the day the Regulation applies as a whole."""
    p = cycle_application(on)
    return [p.reference.cite()] if p is not None and p.value == "early" else []


def not_applicable_problem(on: date) -> str | None:
    """Why a step of the annual cycle (report, pressure decision and proposal; Forum; Council's act)
    cannot be dated ``on`` (None if it can): before the cycle's provisions apply (the first date of
    ``solidarity.cycle.application``), no such step is taken under the Regulation."""
    if cycle_application(on) is not None:
        return None
    h = history(APPLICATION_PATH)
    return (f"is before the provisions of the annual cycle apply ({h.first_from().isoformat()}, "
            f"{h.reference.cite()}): no step of the cycle is taken under Regulation (EU) 2024/1351 then")


#: The date column each step of the cycle records, in the order of the steps.
STEP_DATES: tuple[tuple[str, str], ...] = (
    ("create", "proposal_on"), ("open_pledging", "forum_on"), ("adopt", "council_act_on"),
    ("start_implementation", "implementation_from"), ("close", "closed_on"),
)


def step_date_problem(year: int, action: str, on: date, recorded: dict[str, date | None], today: date) -> str | None:
    """Why ``on`` cannot be the date of ``action`` in the ``year`` cycle (None if it can): a step
    records something that happened (not after ``today``), not before the step before it
    (``recorded``: the cycle's dates by column), and the Council's act establishes the pool of
    ``year`` before that year is over."""
    if on > today:
        return "a step of the cycle cannot be recorded for a future date"
    if action in CYCLE_STEPS:
        why = not_applicable_problem(on)
        if why:
            return why
    cols = dict(STEP_DATES)
    names = [a for a, _ in STEP_DATES]
    if action in names:
        for prev in reversed(names[:names.index(action)]):
            d = recorded.get(cols[prev])
            if d is not None:
                if on < d:
                    return f"is before the previous step ({prev.replace('_', ' ')}, {d.isoformat()})"
                break
    if action == "adopt" and on > date(year, 12, 31):
        return f"the Council's act establishes the {year} pool before the end of {year}"
    if action == "start_implementation":
        starts, why = implementation_start(year)
        if on < starts:
            return f"the {year} pool is implemented from {starts.isoformat()}: {why}"
    if action == "close":
        opens = closes_from(year)
        if on < opens:
            return (f"the {year} cycle is closed once its year of implementation is over: pledges are implemented "
                    f"until {(opens - timedelta(days=1)).isoformat()}; close it on {opens.isoformat()} or later")
    return None


def implementation_start(year: int) -> tuple[date, str]:
    """The first day on which the pledges of the ``year`` pool are implemented and relocations are
    counted against it, with why: the Council's act under Art 57 establishes the pool for its calendar
    year and Art 60(3) ties implementation to that year, so 1 January of ``year``; and not before the
    solidarity rules apply (the first date of ``solidarity.cycle.implementation_by``, 12 June 2026)."""
    applies = history("solidarity.cycle.implementation_by").values[0][0]
    first = date(min(max(year, 1), 9999), 1, 1)
    if applies > first:
        return applies, (f"the solidarity rules of Regulation (EU) 2024/1351 apply from {applies.isoformat()}")
    _, basis = implementation_end(year)
    cited = f" ({'; '.join(basis)})" if basis else ""
    return first, (f"the Council's act establishes the pool for the calendar year {year} "
                   f"({COUNCIL_ACT_BASIS}) and its pledges are implemented in that year{cited}")


def implementation_end(year: int) -> tuple[date, list[str]]:
    """The last day on which the pledges of the ``year`` pool are implemented
    (``solidarity.cycle.implementation_by`` of the pool's year, Art 60(3)), with its citation; the end
    of the year, citing nothing, for a year no parameter covers."""
    on = date(min(max(year, 1), 9999), 12, 31)
    try:
        p = param("solidarity.cycle.implementation_by", on=on)
    except NotInForce:
        return on, []
    month, day = (int(x) for x in str(p.value).split("-"))
    return date(on.year, month, day), [p.reference.cite()]


def closes_from(year: int) -> date:
    """The first day the ``year`` cycle may be closed: the day after its pledges' implementation ends."""
    end, _ = implementation_end(year)
    return end + timedelta(days=1)


def close_problem(year: int, today: date) -> str | None:
    """Why the ``year`` cycle cannot be closed ``today`` (None if it can): its pledges are implemented
    through the year (Art 60(3)); the cycle is closed once that year is over."""
    opens = closes_from(year)
    if today < opens:
        end, basis = implementation_end(year)
        cited = f" ({'; '.join(basis)})" if basis else ""
        return (f"the {year} cycle cannot be closed before {opens.isoformat()}: transfers and the other pledges are "
                f"implemented until {end.isoformat()}{cited}")
    return None


def due_dates(year: int, recorded: dict[str, date | None], today: date) -> list[dict[str, Any]]:
    """The legal due date of each step of the ``year`` cycle that has one, from the law's parameters
    in force for that year: the Report, pressure decision and proposal by ``solidarity.cycle.proposal_by``
    of the year before (Arts 9, 11, 12), the High-Level Forum within ``solidarity.cycle.forum_within``
    of the proposal (Art 13(2)), the Council's act by ``solidarity.cycle.council_act_by`` of the year
    before (Art 57(1)). Each says when the step was done (``done_on``), whether it was or is late
    (``late``: done after the due date, or not done and the due date passed) and whether the rule bound
    the cycle (``binding``: the year is one of the pools (``solidarity.cycle.first_pool_year`` on) and
    the cycle's provisions applied on the due date, ``solidarity.cycle.application``). A step done, or
    due, before the Regulation applies as a whole rests on the early application of the cycle's
    provisions and cites it (Art 85): the 2026 cycle ran in 2025."""
    on = date(min(max(year, 1), 9999), 12, 31)
    pools = year >= first_pool_year()
    out: list[dict[str, Any]] = []
    for step, name in (("create", "solidarity.cycle.proposal_by"), ("open_pledging", "solidarity.cycle.forum_within"),
                       ("adopt", "solidarity.cycle.council_act_by")):
        try:
            p = param(name, on=on)
        except NotInForce:
            continue
        due: date | None
        if p.unit == "month_day":
            month, day = (int(x) for x in str(p.value).split("-"))
            due = date(year - 1, month, day)
        else:  # a period from the proposal
            start = recorded.get("proposal_on")
            due = None if start is None else start + timedelta(days=int(p.value))
        if due is None:
            continue
        done = recorded.get(dict(STEP_DATES)[step])
        binding = pools and due >= p.valid_from and cycle_application(due) is not None
        basis = _create_due_basis(on, p) if step == "create" else [p.reference.cite()]
        if binding:
            basis = list(dict.fromkeys(basis + early_application_basis(done or due)))
        out.append({"step": step, "due": due, "done_on": done, "binding": binding,
                    "late": binding and (done > due if done is not None else today > due),
                    "rule": (f"by {due.isoformat()}" if p.unit == "month_day"
                             else f"within {length_words(p.value, p.unit)} of the proposal"),
                    "legal_basis": basis})
    return out


def step_basis(year: int) -> dict[str, list[str]]:
    """The citations of the steps of the ``year`` cycle proper (``create``, ``open_pledging``,
    ``adopt``), from the parameters in force for that year, as :func:`due_dates` gives them (without
    the early application, which depends on the step's date); a step with no parameter in force cites
    nothing."""
    on = date(min(max(year, 1), 9999), 12, 31)
    out: dict[str, list[str]] = {}
    for step, name in (("create", "solidarity.cycle.proposal_by"), ("open_pledging", "solidarity.cycle.forum_within"),
                       ("adopt", "solidarity.cycle.council_act_by")):
        try:
            p = param(name, on=on)
        except NotInForce:
            out[step] = []
            continue
        out[step] = _create_basis(on, p) if step == "create" else [p.reference.cite()]
    return out


def _create_basis(on: date, proposal: Param) -> list[str]:
    """What the first step of a cycle cites, from the law's parameters: the Report (Art 9), the pressure
    decision adopted together with it (Art 11) and the pool proposal made on its basis and together
    with it (Art 12), whose parameter gives the step's due date."""
    out: list[str] = []
    with suppress(NotInForce):
        out.append(param("solidarity.cycle.report_by", on=on).reference.cite())
    out.append(PRESSURE_BASIS["under_pressure"])
    out.append(proposal.reference.article_key())
    return list(dict.fromkeys(out))


#: The Commission adopts its decision on migratory pressure by 15 October each year (Art 11(4), read in
#: the Official Journal text, Italian version): the day the Report (Art 9(4)) and the proposal (Art 12(6))
#: are due too.
PRESSURE_DECISION_DUE_BASIS = "Regulation (EU) 2024/1351, Article 11(4)"


def _create_due_basis(on: date, proposal: Param) -> list[str]:
    """What the due date of a cycle's first step cites: the paragraph that sets each act's date, the
    Report's (Art 9(4)), the pressure decision's (Art 11(4)) and the proposal's (``proposal``'s
    parameter, Art 12(6)), where :func:`_create_basis` cites the articles of the step."""
    out: list[str] = []
    with suppress(NotInForce):
        out.append(param("solidarity.cycle.report_by", on=on).reference.cite())
    out.append(PRESSURE_DECISION_DUE_BASIS)
    out.append(proposal.reference.cite())
    return list(dict.fromkeys(out))


def missing_cycle(year: int, today: date) -> dict[str, Any] | None:
    """The steps of a ``year`` cycle that has not been opened, as :func:`due_dates` gives them for a
    cycle with nothing recorded, each ``status`` ``overdue`` (the due date passed) or ``due``; with
    ``overdue`` when any is. None when no rule of the law's tree gives the year's steps a date, or
    none binds it (a year before the first pool, ``solidarity.cycle.first_pool_year``)."""
    steps = [d for d in due_dates(year, {}, today) if d["binding"]]
    if not steps:
        return None
    for d in steps:
        d["status"] = "overdue" if d["late"] else "due"
    return {"year": year, "steps": steps, "overdue": any(d["late"] for d in steps)}


def relocation_equivalent_eur(on: date) -> int:
    return int(param("solidarity.relocation_equivalent_eur", on=on).value)


@dataclass(frozen=True, slots=True)
class Pledge:
    member_state: str
    relocations: int = 0
    financial_eur: int = 0
    alternative_eur: int = 0
    preferred_beneficiaries: tuple[str, ...] = ()

    def equivalent_relocations(self, eur_per_relocation: int) -> Fraction:
        return self.relocations + Fraction(self.financial_eur + self.alternative_eur, eur_per_relocation)


@dataclass(slots=True)
class StateAccount:
    member_state: str
    fair_share_relocations: int
    deduction_relocations: int = 0
    pledge: Pledge | None = None
    relocated: int = 0  # persons arrived
    paid_eur: int = 0
    alternative_done_eur: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: the state benefits from the pool (under migratory pressure, or its need recorded): its own pledge
    #: is not implemented while it does (:func:`own_pledge_rule`)
    benefitting: bool = False
    #: the relocations the Council granted as deductions, before ``deduction_relocations`` caps them at
    #: the fair share (None: as ``deduction_relocations``); more than the fair share when the Council
    #: amended the pool after granting them
    deduction_granted_relocations: int | None = None
    #: what of its pledge the Council's act allowed the state to replace by another type of contribution
    #: (Arts 61(2)(b), 62(2)(b): the contribution it pledged, of any type): relocations, financial
    #: contributions (EUR) and alternative measures (EUR) replaced ...
    replaced_relocations: int = 0
    replaced_financial_eur: int = 0
    replaced_alternative_eur: int = 0
    #: ... and the relocations, financial contributions and alternative measures (EUR) that replace them
    replacement_relocations: int = 0
    replacement_financial_eur: int = 0
    replacement_alternative_eur: int = 0

    @property
    def replaces(self) -> bool:
        """The Council's act allowed the state to replace part of its pledge by another type."""
        return bool(self.replaced_relocations or self.replaced_financial_eur or self.replaced_alternative_eur)

    @property
    def derogated_pledge(self) -> Pledge | None:
        """The pledge as the state implements it once the Council's act allowed it to replace part of it by
        another type of contribution: each type less what was replaced of it, plus what replaces the
        others (the pledge itself when nothing was replaced)."""
        p = self.pledge
        if p is None or not self.replaces:
            return p
        return replace(p, relocations=max(p.relocations - self.replaced_relocations, 0) + self.replacement_relocations,
                       financial_eur=max(p.financial_eur - self.replaced_financial_eur, 0)
                       + self.replacement_financial_eur,
                       alternative_eur=max(p.alternative_eur - self.replaced_alternative_eur, 0)
                       + self.replacement_alternative_eur)

    @property
    def implemented_pledge(self) -> Pledge | None:
        """The pledge the pool counts and distributes (after any replacement the Council allowed): none
        while the state benefits from the pool."""
        return None if self.benefitting else self.derogated_pledge


def relocations_to_implement(pledge: Pledge, deduction_relocations: int, eur_per_relocation: int) -> int:
    """The relocations of ``pledge`` the pool distributes once the state's granted deduction is taken
    off (Arts 61, 62: a deduction of the state's pledged contributions, counted in relocation
    equivalents). The Regulation does not say which part of a mixed pledge a deduction takes: read
    here as taken first from the financial contributions and alternative measures (each
    ``eur_per_relocation`` a relocation), then from the relocations, which keeps every relocation
    place the rest of the pledge covers (the reading that relocates the most persons). A pledge of
    relocations only: its relocations less the deduction, never below 0."""
    if deduction_relocations <= 0:
        return pledge.relocations
    left = pledge.equivalent_relocations(eur_per_relocation) - deduction_relocations
    return max(0, min(pledge.relocations, math.floor(left)))


def own_pledge_rule(on: date) -> dict[str, Any]:
    """Why a benefitting state's pledge is not implemented, counted or distributed, as said with its
    account: ``solidarity.benefitting.own_pledges_not_implemented`` in force on ``on``."""
    p = param("solidarity.benefitting.own_pledges_not_implemented", on=on)
    return {"implemented": False,
            "reason": "a Member State benefitting from the pool does not implement its own pledges while it "
                      "benefits: its pledge is neither distributed to the other beneficiaries nor counted in the "
                      "pool's pledges",
            "legal_basis": [p.reference.cite()], "unverified": p.unverified}


#: What a pool's alternative solidarity measures have become under Art 57(4) (:func:`alternative_conversion`):
#: ``requested`` (a benefitting state asked for alternative measures in the pool's year: those assigned to it,
#: or carried out, are carried out; during the year the others may still be assigned), ``pending`` (none asked
#: so far, the year not over), ``converted`` (the year over: the measures no benefitting state requested, none
#: asked at all or not assigned to one that asked, are converted into financial contributions), ``none`` (no
#: alternative measures pledged).
ConversionStatus = Literal["requested", "pending", "converted", "none"]


def alternative_conversion(
    year: int, *, requested: dict[str, int], measures: dict[str, tuple[int, int]], today: date, closed: bool = False,
    assigned: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Art 57(4), last sentence: alternative solidarity measures "not requested by benefitting Member States
    in a given year ... are converted into financial contributions"
    (``solidarity.alternative_measures.unrequested_converted_to_financial``), read with Art 65(1): such
    contributions "rest on a specific request of the benefitting Member State", their value set jointly by
    the contributing and the benefitting state and communicated to the coordinator before they are carried
    out.

    ``requested``: the alternative measures (EUR) each benefitting state asked for in its need (the type
    and level of measures, Arts 58(2), 59(2)(b)); ``measures``: each contributing state's alternative
    measures as it implements them (EUR pledged, after any replacement the Council allowed) and those
    carried out already; ``assigned``: each contributing state's measures the coordinator assigned, by the
    end of the pool's year, to a benefitting state that requested them (Arts 60(2), 65(1)). The given year
    is the pool's (Art 60(3)): once it is over (``today`` after :func:`implementation_end`, or the cycle
    ``closed``), each state's measures neither assigned nor carried out are converted, EUR for EUR, into
    financial contributions: all of them when no benefitting state asked for any, those not assigned to
    one that asked otherwise (a need's request is of a type and level, not of a state's measures; the
    assignment is the specific request of Art 65(1)). ``converted`` lists them by state; ``said`` says it
    in a sentence."""
    p = param("solidarity.alternative_measures.unrequested_converted_to_financial", on=date(year, 12, 31))
    basis = [p.reference.cite()]
    end, _ = implementation_end(year)
    asked = {ms: eur for ms, eur in sorted(requested.items()) if eur > 0}
    given = {ms: eur for ms, eur in sorted((assigned or {}).items()) if eur > 0 and ms in measures}
    # kept: what was assigned to a requesting state or carried out, whichever is more (a measure carried out
    # was carried out for a benefitting state); the rest is what the end of the year converts
    left = {ms: max(alt - max(given.get(ms, 0), done), 0) for ms, (alt, done) in sorted(measures.items())}
    pledged = sum(alt for alt, _ in measures.values())
    over = closed or today > end
    converted: list[dict[str, Any]] = []
    status: ConversionStatus
    if over and pledged:
        converted = [{"member_state": ms, "eur": eur} for ms, eur in left.items() if eur]
    if not pledged:
        status = "none"
        said = f"No alternative solidarity measures are pledged to the {year} pool."
    elif asked:
        status = "converted" if converted else "requested"
        assigned_said = (f"EUR {sum(given.values()):,} of the EUR {pledged:,} of measures pledged are"
                         if given else f"none of the EUR {pledged:,} of measures pledged is")
        said = (f"Alternative solidarity measures are requested in {year} by {', '.join(asked)} "
                f"(EUR {sum(asked.values()):,}): {assigned_said} assigned to a state that requested them "
                f"({SPECIFIC_REQUEST_BASIS}; Article 60(2)); ")
        if not over:
            said += (f"the measures pledged that are neither assigned to a state that requested them nor carried out "
                     f"by {end.isoformat()} (EUR {sum(left.values()):,} today) are converted into financial "
                     f"contributions ({basis[0]}).")
        elif converted:
            said += (f"the measures pledged that were neither assigned to a state that requested them nor carried "
                     f"out by {end.isoformat()} (EUR {sum(left.values()):,}) are converted into financial "
                     f"contributions ({basis[0]}).")
        else:
            said += f"every measure pledged is assigned or carried out: none is converted ({basis[0]})."
    elif over:
        status = "converted"
        said = (f"No benefitting state requested alternative solidarity measures in {year}: the measures "
                f"pledged and not carried out (EUR {sum(left.values()):,}) are converted into financial "
                f"contributions ({basis[0]}).")
    else:
        status = "pending"
        said = (f"No benefitting state has requested alternative solidarity measures in {year} so far: "
                f"unless one does by {end.isoformat()}, the measures pledged and not carried out are converted "
                f"into financial contributions ({basis[0]}).")
    return {"status": status, "requested": [{"member_state": ms, "eur": eur} for ms, eur in asked.items()],
            "requested_eur": sum(asked.values()), "pledged_eur": pledged,
            "assigned": [{"member_state": ms, "eur": eur} for ms, eur in given.items()],
            "assigned_eur": sum(given.values()), "converted": converted,
            "converted_eur": sum(c["eur"] for c in converted), "decided_after": end, "said": said,
            "legal_basis": basis + ([SPECIFIC_REQUEST_BASIS] if asked else []), "unverified": p.unverified}


def benefitting_states(designations: dict[str, str], needs: dict[str, tuple[int, int]]) -> list[str]:
    """The states that benefit from a cycle's pool: those its pressure decision found under migratory
    pressure (Art 58) and those whose need (relocations, euros) is recorded (a state the Commission
    assessed after its notification, Art 59). Sorted by code."""
    out = {ms for ms, status in designations.items() if status == "under_pressure"}
    out |= {ms for ms, (reloc, eur) in needs.items() if reloc > 0 or eur > 0}
    return sorted(out)


def account(
    accounts: list[StateAccount], *, pool_relocations: int, on: date, proposal_relocations: int | None = None
) -> dict[str, Any]:
    """Pledged vs fair share per state, offsets availability and implementation progress.

    ``offsets.open`` (Art 63(1)) measures the relocation pledges against the number of the Commission's
    proposal (``proposal_relocations``, Art 12; default the pool's), not the pool the Council adopted;
    ``relocation_pledges_share_of_pool`` is still their share of the adopted pool.

    A benefitting state's row (``benefitting``) shows its pledge but no share of what is due, and its
    pledge is left out of the totals (``not_implemented`` says it, with the rule, :func:`own_pledge_rule`):
    it does not implement its own pledges while it benefits. Its relocation pledge still counts towards the
    offsets threshold: Art 63(1) measures the relocation pledges of the Council's act (Art 57), which
    holds it (``offsets.relocation_pledges``, of which ``offsets.not_implemented_relocations``)."""
    eur = relocation_equivalent_eur(on)
    thr = param("solidarity.offsets.relocation_pledge_threshold", on=on)
    thr_fs = param("solidarity.offsets.fair_share_pledge_threshold", on=on)
    rows = []
    total_reloc = total_fin = total_alt = 0
    held: dict[str, int] = {"relocations": 0, "financial_eur": 0, "alternative_eur": 0}
    held_states: list[str] = []
    replaced: dict[str, int] = {"relocations": 0, "financial_eur": 0, "alternative_eur": 0, "replaced_financial_eur": 0,
                                "replaced_alternative_eur": 0, "replacement_relocations": 0}
    rule = None
    for a in sorted(accounts, key=lambda a: a.member_state):
        p = a.pledge
        due = max(a.fair_share_relocations - a.deduction_relocations, 0)
        granted = a.deduction_relocations if a.deduction_granted_relocations is None else a.deduction_granted_relocations
        pledged_eq = p.equivalent_relocations(eur) if p else Fraction(0)
        reloc = p.relocations if p else 0
        if a.benefitting:
            rule = rule or own_pledge_rule(on)
            if p and (p.relocations or p.financial_eur or p.alternative_eur):
                held_states.append(a.member_state)
                held["relocations"] += p.relocations
                held["financial_eur"] += p.financial_eur
                held["alternative_eur"] += p.alternative_eur
        else:
            total_reloc += reloc
            total_fin += p.financial_eur if p else 0
            total_alt += p.alternative_eur if p else 0
            if p and a.replaces:
                replaced["relocations"] += a.replaced_relocations
                replaced["financial_eur"] += a.replacement_financial_eur
                replaced["alternative_eur"] += a.replacement_alternative_eur
                replaced["replaced_financial_eur"] += a.replaced_financial_eur
                replaced["replaced_alternative_eur"] += a.replaced_alternative_eur
                replaced["replacement_relocations"] += a.replacement_relocations
        rows.append(
            {
                "member_state": a.member_state,
                "fair_share_relocations": a.fair_share_relocations,
                "deduction_relocations": a.deduction_relocations,
                "deduction_granted_relocations": granted,
                # a deduction granted before the Council amended the pool may exceed the new fair share:
                # only the fair share can be deducted, and the Council is to review the deduction
                "deduction_exceeds_fair_share": granted > a.fair_share_relocations,
                "due_relocation_equivalents": due,
                "pledged_relocations": reloc,
                "pledged_financial_eur": p.financial_eur if p else 0,
                "pledged_alternative_eur": p.alternative_eur if p else 0,
                "pledged_relocation_equivalents": round(float(pledged_eq), 2),
                "pledged_share_of_due": round(float(pledged_eq / due), 4) if due and not a.benefitting else None,
                # what of its pledge the Council's act allowed the state to replace by another type of
                # contribution (Arts 61(2)(b), 62(2)(b)): ``relocations``, ``replaced_financial_eur`` and
                # ``replaced_alternative_eur`` replaced, by ``replacing_relocations``, ``financial_eur`` and
                # ``alternative_eur``; the pledged figures above are the Council's act establishing the pool
                # (Art 57), the ``after`` ones what the state implements
                "replacement": None if not (p and a.replaces) else {
                    "relocations": a.replaced_relocations,
                    "replaced_financial_eur": a.replaced_financial_eur,
                    "replaced_alternative_eur": a.replaced_alternative_eur,
                    "replacing_relocations": a.replacement_relocations,
                    "financial_eur": a.replacement_financial_eur,
                    "alternative_eur": a.replacement_alternative_eur,
                    **({f"{k}_after": getattr(a.derogated_pledge, k)
                        for k in ("relocations", "financial_eur", "alternative_eur")} if a.derogated_pledge else {}),
                },
                "benefitting": a.benefitting,
                "pledge_implemented": not a.benefitting,
                "may_volunteer_offsets": bool(
                    p and not a.benefitting and a.fair_share_relocations
                    and Fraction(reloc, a.fair_share_relocations) >= Fraction(str(thr_fs.value))
                ),
                "progress": {
                    "relocated": a.relocated,
                    "relocations_share": round(a.relocated / reloc, 4) if reloc else None,
                    "paid_eur": a.paid_eur,
                    "alternative_done_eur": a.alternative_done_eur,
                },
            }
        )
    proposal = pool_relocations if proposal_relocations is None else proposal_relocations
    # Art 63(1): the relocation pledges of the Council's act, a benefitting state's own included
    act_reloc = total_reloc + held["relocations"]
    offsets_open = proposal > 0 and Fraction(act_reloc, proposal) >= Fraction(str(thr.value))
    return {
        "states": rows,
        "totals": {
            "pledged_relocations": total_reloc,
            "pledged_financial_eur": total_fin,
            "pledged_alternative_eur": total_alt,
            "pledged_relocation_equivalents": round(float(total_reloc + Fraction(total_fin + total_alt, eur)), 2),
            "relocated": sum(a.relocated for a in accounts),
            # of the pledges above, the relocations replaced by financial contributions or alternative
            # measures (EUR) under the Council's acts on deduction requests (Arts 61(2)(b), 62(2)(b))
            "replaced_relocations": replaced["relocations"],
            "replacement_financial_eur": replaced["financial_eur"],
            "replacement_alternative_eur": replaced["alternative_eur"],
            # pledged financial contributions and alternative measures replaced (EUR), and the relocations
            # replacing pledged money or measures
            "replaced_financial_eur": replaced["replaced_financial_eur"],
            "replaced_alternative_eur": replaced["replaced_alternative_eur"],
            "replacement_relocations": replaced["replacement_relocations"],
            # the alternative measures the states implement: pledged, less those replaced by another type, plus
            # those replacing another type (what the coordinator assigns to benefitting states, Art 65(1))
            "to_implement_alternative_eur": total_alt - replaced["replaced_alternative_eur"]
            + replaced["alternative_eur"],
        },
        # the pledges of benefitting states, not implemented while they benefit (not in the totals above)
        "not_implemented": {"states": held_states, **held,
                            "reason": rule["reason"] if rule else None,
                            "legal_basis": rule["legal_basis"] if rule else []},
        "benefitting_states": sorted(a.member_state for a in accounts if a.benefitting),
        "relocation_equivalent_eur": eur,
        "offsets": {
            "open": offsets_open,
            "relocation_pledges_share_of_pool": round(act_reloc / pool_relocations, 4) if pool_relocations else None,
            "proposal_relocations": proposal,
            "relocation_pledges_share_of_proposal": round(act_reloc / proposal, 4) if proposal else None,
            # the relocation pledges of the Council's act (Art 63(1)), and of them the benefitting states' own
            "relocation_pledges": act_reloc,
            "not_implemented_relocations": held["relocations"],
            "threshold": thr.value,
            "legal_basis": [thr.reference.cite()],
        },
        "legal_basis": [
            param("solidarity.relocation_equivalent_eur", on=on).reference.cite(),
            "Regulation (EU) 2024/1351, Article 60",
        ],
    }


@dataclass(frozen=True, slots=True)
class Need:
    member_state: str
    relocations: int
    sar: bool = False  # under pressure from recurring search-and-rescue disembarkations


def _shares(part: dict[str, int]) -> str:
    """The relocations by beneficiary as a rule's outcome says them: ``EL 6, IT 12, ES 13``."""
    return ", ".join(f"{state} {n:,}" for state, n in part.items()) or "none"


def distribute_pledge(
    pledge_relocations: int,
    needs: list[Need],
    *,
    sar_earmark: float | None,
    preferred: tuple[str, ...] = (),
    contributor: str = "",
    on: date,
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Split one relocation pledge across beneficiaries in proportion to their needs.

    The SAR earmark (a share of every pledge reserved for states under SAR pressure, when the
    Council set one) is split among SAR beneficiaries by their needs, the rest among all
    beneficiaries by needs. A contributing state's preferences restrict the beneficiaries to the
    ones it named (if any of them has a need). Integers by largest remainder; never more than a
    beneficiary's need in total when needs suffice.
    """
    trace = Trace()
    candidates = [n for n in needs if n.relocations > 0 and n.member_state != contributor]
    if preferred:
        pref = [n for n in candidates if n.member_state in preferred]
        if pref:
            trace.step(
                rule="preferences",
                legal_basis=[COUNCIL_ACT_BASIS],
                facts={"preferred": list(preferred)},
                parameters={},
                outcome=f"beneficiaries restricted to {', '.join(n.member_state for n in pref)}",
            )
            candidates = pref
        else:
            trace.step(
                rule="preferences",
                legal_basis=[COUNCIL_ACT_BASIS],
                facts={"preferred": list(preferred)},
                parameters={},
                outcome="no preferred state has a need: all beneficiaries kept",
            )
    out = {n.member_state: 0 for n in candidates}
    if not candidates or pledge_relocations <= 0:
        return out, trace.to_list()
    sar = [n for n in candidates if n.sar]
    earmarked = 0
    if sar_earmark and sar:
        p = param("solidarity.pool.sar_earmark", on=on)
        earmarked = int(Fraction(str(sar_earmark)) * pledge_relocations)
        total_sar = sum(n.relocations for n in sar)
        part = largest_remainder(
            {n.member_state: Fraction(earmarked * n.relocations, total_sar) for n in sar}, earmarked
        )
        for k, v in part.items():
            out[k] += v
        trace.step(
            rule="sar_earmark",
            legal_basis=[p.reference.cite(), COUNCIL_ACT_BASIS],
            facts={"sar_beneficiaries": [n.member_state for n in sar], "pledge": pledge_relocations},
            parameters={"sar_earmark": sar_earmark},
            outcome=f"{earmarked:,} relocations to SAR beneficiaries: {_shares(part)}",
        )
    rest = pledge_relocations - earmarked
    total_need = sum(n.relocations for n in candidates)
    part = largest_remainder(
        {n.member_state: Fraction(rest * n.relocations, total_need) for n in candidates}, rest
    )
    for k, v in part.items():
        out[k] += v
    trace.step(
        rule="proportional_to_needs",
        legal_basis=["Regulation (EU) 2024/1351, Article 60", "Regulation (EU) 2024/1351, Article 15"],
        facts={"needs": {n.member_state: n.relocations for n in candidates}, "remaining": rest},
        parameters={},
        outcome=f"{rest:,} relocations in proportion to needs: {_shares(part)}",
    )
    return out, trace.to_list()


def cap_at_needs(allocation: dict[str, int], room: dict[str, int]) -> tuple[dict[str, int], int, dict[str, int]]:
    """``allocation`` (relocations by beneficiary) kept within ``room`` (each beneficiary's need not yet
    covered by the pledges distributed before): what is above a beneficiary's room goes to the
    beneficiaries that still have room, in proportion to it (largest remainder), and what no need is
    left for is not allocated. Returns the allocation, the relocations not allocated and what was cut
    from each beneficiary above its room."""
    out = dict(allocation)
    cut: dict[str, int] = {}
    for k, v in allocation.items():
        r = max(room.get(k, 0), 0)
        if v > r:
            cut[k] = v - r
            out[k] = r
    excess = sum(cut.values())
    if excess:
        open_ = {k: r - out.get(k, 0) for k, r in sorted(room.items()) if r - out.get(k, 0) > 0}
        total = sum(open_.values())
        give = min(excess, total)
        if give:
            part = largest_remainder({k: Fraction(give * r, total) for k, r in open_.items()}, give)
            for k, v in part.items():
                if v:
                    out[k] = out.get(k, 0) + v
        excess -= give
    return out, excess, cut


def distribute_pledges(
    pledges: list[tuple[str, int, tuple[str, ...]]], needs: list[Need], *, sar_earmark: float | None, on: date,
) -> list[tuple[dict[str, int], list[dict[str, Any]], int]]:
    """Every relocation pledge (contributor, relocations, preferred beneficiaries) split across the
    beneficiaries (:func:`distribute_pledge`), and all of them together kept within each beneficiary's
    need (annex, Arts 57, 60: pledges are matched to needs): the pledges naming preferred beneficiaries
    first, then the others, each in the order given; a pledge's share above a beneficiary's need not yet
    covered goes to the beneficiaries with need left, and what no need is left for is not allocated
    (:func:`cap_at_needs`). Per pledge, in the order given: (allocation, trace, not allocated)."""
    room = {n.member_state: n.relocations for n in needs}
    out: list[tuple[dict[str, int], list[dict[str, Any]], int] | None] = [None] * len(pledges)
    order = sorted(range(len(pledges)), key=lambda i: not pledges[i][2])
    for i in order:
        contributor, reloc, preferred = pledges[i]
        alloc, trace = distribute_pledge(reloc, needs, sar_earmark=sar_earmark, preferred=preferred,
                                         contributor=contributor, on=on)
        mine = {k: v for k, v in room.items() if k != contributor}
        capped, left, cut = cap_at_needs(alloc, mine)
        if cut or left:
            moved = {k: capped.get(k, 0) - alloc.get(k, 0) for k in capped if capped.get(k, 0) > alloc.get(k, 0)}
            said = ", ".join(f"{k} {n:,}" for k, n in sorted(cut.items()))
            trace.append({
                "rule": "capped_at_needs",
                "legal_basis": [COUNCIL_ACT_BASIS, "Regulation (EU) 2024/1351, Article 60"],
                "facts": {"needs_left": {k: mine.get(k, 0) for k in sorted(set(alloc) | set(capped))},
                          "above_need": cut},
                "parameters": {},
                "outcome": (f"above the need not yet covered by other pledges: {said}; "
                            + (f"moved to {_shares(moved)}" if moved else "moved to none")
                            + (f"; {left:,} not allocated (no need left)" if left else "")),
            })
        for k, v in capped.items():
            room[k] = room.get(k, 0) - v
        out[i] = (capped, trace, left)
    return [o for o in out if o is not None]


# --- what a benefitting state receives -----------------------------------------------------------

#: transfer stages before arrival (the person is still in the benefitting state, relocation ongoing)
PENDING_TRANSFER_STAGES: tuple[str, ...] = ("matched", "security_cleared", "accepted", "transfer_decided")
#: stages that end a transfer without relocation (security threat, Art 16(4); or cancelled)
CLOSED_TRANSFER_STAGES: tuple[str, ...] = ("excluded", "cancelled")
SECURITY_THREAT_BASIS = "Regulation (EU) 2024/1351, Article 16(4)"
RELOCATION_PROCEDURE_BASIS = "Regulation (EU) 2024/1351, Article 67"
#: A state identified as under migratory pressure (Article 11) uses the pool.
POOL_ACCESS_BASIS = "Regulation (EU) 2024/1351, Article 58"
#: Financial contributions are transfers from the contributing states to the Union budget (external
#: assigned revenue) used for the pool's actions, not amounts paid to a beneficiary (Art 64(1), read in
#: the Official Journal text, Italian version).
FINANCIAL_CONTRIBUTION_BASIS = "Regulation (EU) 2024/1351, Article 64(1)"


def _cited(*groups: list[str]) -> list[str]:
    """Citations in the order first met, each once."""
    return list(dict.fromkeys(c for g in groups for c in g))


def concerns(step: dict[str, Any], beneficiary: str) -> bool:
    """Whether a distribution step's facts name ``beneficiary`` among those it shared relocations to."""
    facts = step.get("facts") or {}
    if step.get("rule") == "sar_earmark":
        return beneficiary in (facts.get("sar_beneficiaries") or ())
    if step.get("rule") == "proportional_to_needs":
        return beneficiary in (facts.get("needs") or {})
    if step.get("rule") == "capped_at_needs":
        return beneficiary in (facts.get("needs_left") or {})
    return beneficiary in (facts.get("preferred") or ())


def receipts(
    beneficiary: str,
    *,
    designation: str | None,
    need: Need | None,
    need_financial_eur: int | None,
    sar_earmark: float | None,
    distributions: list[dict[str, Any]],
    preferred_by: set[str],
    transfers: dict[tuple[str, str], int],
    overdue: int,
    offsets: list[tuple[str, list[str]]],
    pool_financial_pledged_eur: int,
    pool_financial_paid_eur: int,
    on: date,
) -> dict[str, Any] | None:
    """The benefitting side of a state's pledge page: its need, the relocation pledges distributed to
    it by contributing state (the same split as the distribution, :func:`distribute_pledge`), the
    relocation transfers out of it (done, pending, ended without relocation) and the applications
    taken over from it as responsibility offsets, each with its legal basis.

    ``distributions``: each contributor's ``{"member_state", "allocation", "trace"}``;
    ``transfers``: persons per (relocation state, stage) whose benefitting state is ``beneficiary``;
    ``offsets``: (contributing state, legal basis) per application taken over from ``beneficiary``.
    None when the state has no need, no designation under pressure and received nothing.
    """
    rows: dict[str, dict[str, Any]] = {}

    def row(ms: str) -> dict[str, Any]:
        return rows.setdefault(ms, {
            "member_state": ms, "relocations_distributed": 0, "preferred": ms in preferred_by,
            "transfers_done": 0, "transfers_pending": 0, "transfers_closed": 0, "offsets_taken_over": 0,
        })

    reloc_basis: list[str] = []
    for d in distributions:
        n = int(d["allocation"].get(beneficiary, 0))
        if n <= 0:
            continue
        row(d["member_state"])["relocations_distributed"] += n
        reloc_basis = _cited(reloc_basis, *[s["legal_basis"] for s in d["trace"] if concerns(s, beneficiary)])
    by_stage: dict[str, int] = {}
    for (dest, stage), n in sorted(transfers.items()):
        by_stage[stage] = by_stage.get(stage, 0) + n
        r = row(dest)
        if stage == "arrived":
            r["transfers_done"] += n
        elif stage in PENDING_TRANSFER_STAGES:
            r["transfers_pending"] += n
        elif stage in CLOSED_TRANSFER_STAGES:
            r["transfers_closed"] += n
    offset_basis: list[str] = []
    for contributor, basis in offsets:
        row(contributor)["offsets_taken_over"] += 1
        offset_basis = _cited(offset_basis, list(basis))
    benefitting = designation == "under_pressure"
    if need is None and not benefitting and not rows:
        return None
    distributed = sum(r["relocations_distributed"] for r in rows.values())
    need_basis = [PRESSURE_BASIS[designation]] if designation in PRESSURE_BASIS else []
    if benefitting:  # identified as under pressure, the state uses the pool
        need_basis.append(POOL_ACCESS_BASIS)
    if need is not None and need.sar and sar_earmark:
        p = param("solidarity.pool.sar_earmark", on=on)
        need_basis = _cited(need_basis, [p.reference.cite(), COUNCIL_ACT_BASIS])
    transfer_basis = [RELOCATION_PROCEDURE_BASIS]
    with suppress(NotInForce):  # a cycle before the AMMR applies has no transfer period
        transfer_basis.append(param("solidarity.relocation.transfer_period", on=on).reference.cite())
    closed = sum(by_stage.get(s, 0) for s in CLOSED_TRANSFER_STAGES)
    if by_stage.get("excluded"):
        transfer_basis.append(SECURITY_THREAT_BASIS)
    by_contributor = sorted(rows.values(), key=lambda r: (-r["relocations_distributed"], r["member_state"]))
    return {
        "member_state": beneficiary,
        "benefitting": benefitting,
        "designation": designation,
        "designation_legal_basis": [PRESSURE_BASIS[designation]] if designation in PRESSURE_BASIS else [],
        "need": None if need is None else {
            "relocations": need.relocations, "financial_eur": need_financial_eur, "sar": need.sar,
            "sar_earmark": sar_earmark if need.sar else None, "legal_basis": need_basis,
        },
        "relocations": {
            "distributed": distributed,
            "share_of_need": round(distributed / need.relocations, 4) if need is not None and need.relocations else None,
            "legal_basis": reloc_basis,
        },
        "financial": {
            "need_eur": need_financial_eur,
            "by_contributor": None,
            "pool_pledged_eur": pool_financial_pledged_eur,
            "pool_paid_eur": pool_financial_paid_eur,
            "note": "Financial contributions are pledged and paid to the pool as a whole (to the Union's budget, "
                    "for the pool's actions): they are not attributed to a beneficiary",
            "legal_basis": [FINANCIAL_CONTRIBUTION_BASIS],
        },
        "transfers": {
            "done": by_stage.get("arrived", 0),
            "pending": sum(by_stage.get(s, 0) for s in PENDING_TRANSFER_STAGES),
            "closed": closed,
            "overdue": overdue,
            "by_stage": {s: by_stage[s] for s in (*PENDING_TRANSFER_STAGES, "arrived", *CLOSED_TRANSFER_STAGES)
                         if s in by_stage},
            "legal_basis": transfer_basis,
        },
        "offsets": {"taken_over": len(offsets), "legal_basis": offset_basis},
        "by_contributor": by_contributor,
    }
