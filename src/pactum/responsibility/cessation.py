"""What happens to responsibility after it was determined: the discretionary clause, residence
documents issued later, a missed transfer deadline, absence or return, and the end of the
obligations after the border procedure (Dublin III Arts 17, 19, 29(2); AMMR Arts 35, 37).

``after_events(...)`` takes the state responsible and what happened since, in date order, and
returns who is responsible on a given day (``None`` when the obligations have ended and a new
application would be a new determination), with a trace. Pure: the numbers come from
:mod:`pactum.law` parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pactum.common.text import Text
from pactum.law import Trace, param
from pactum.law.periods import length_words

from .criteria import add_months
from .model import Regime, Step
from .params import regime_on
from .territory import outside

EventKind = Literal[
    "discretionary_clause",
    "residence_document_issued",
    "transfer_deadline_missed",
    "uam_transfer_not_in_interest",
    "left_territory",
    "returned",
    "final_rejection_border_procedure",
]

D3 = "Regulation (EU) No 604/2013"
AMMR = "Regulation (EU) 2024/1351"

#: The events of :data:`EventKind` as an officer names them (the "what happened" choices and the
#: rule a result rests on); ``determination``: no event changed the determination.
EVENT_LABELS: dict[str, str] = {
    "determination": "the determination",
    "discretionary_clause": "discretionary clause applied",
    "residence_document_issued": "residence document issued",
    "transfer_deadline_missed": "transfer deadline missed",
    "uam_transfer_not_in_interest": "transfer of an unaccompanied minor not in the child's best interests",
    "left_territory": "left the territories of the Member States",
    "returned": "left following a return decision or removal order",
    "final_rejection_border_procedure": "application finally rejected in the border procedure",
}


class CessationEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: EventKind
    on: date
    member_state: str | None = Field(
        default=None,
        description="the state that applied the clause, issued the document or missed the deadline")
    returned_on: date | None = Field(default=None, description="left_territory: day of return, if any")


class CessationRequest(BaseModel):
    """``POST /api/v1/responsibility/cessation``: who is responsible on ``on``."""

    model_config = ConfigDict(extra="forbid")
    registered_on: date
    responsible_member_state: str
    events: list[CessationEvent] = Field(default_factory=list)
    on: date


@dataclass
class CessationResult:
    responsible_member_state: str | None
    regime: Regime
    rule: str
    legal_basis: list[str]
    steps: list[Step] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        from .model import Determination

        trace = Determination("", self.regime, "", (), tuple(self.steps)).trace_list()
        return {"responsible_member_state": self.responsible_member_state, "regime": self.regime,
                "rule": self.rule, "legal_basis": self.legal_basis, "trace": trace}


#: The period of absence after which the obligations of the state responsible cease, by regime
#: (:mod:`pactum.law` parameters: Dublin III Art 19(2), three months; AMMR Art 37(4), nine months).
ABSENCE = {"dublin_iii": "dublin3.cessation.absence", "ammr": "ammr.cessation.absence"}
#: The end of the take-back obligation once the person left the territory of the Member States under
#: a return decision or removal order issued after the application was withdrawn or rejected: Dublin
#: III Art 19(3) (the decision of the state responsible; its obligations of Art 18(1)(c)-(d)); AMMR
#: Art 37(5) (the obligation of Art 36(1)(b)), read in the Official Journal's Italian text.
RETURNED_BASIS = {"dublin_iii": f"{D3}, Article 19(3)", "ammr": f"{AMMR}, Article 37(5)"}

#: AMMR Art 37(2), first subparagraph: after the examination of an application in the border
#: procedure (Regulation (EU) 2024/1348), the obligations of Art 36(1) cease 15 months after a decision
#: rejecting it as inadmissible, unfounded or manifestly unfounded, or declaring it implicitly or
#: explicitly withdrawn, became final; second subparagraph: an application registered after that
#: period is a new application, which gives rise to a new determination. Art 37(3): where the person
#: applied in another Member State within the period and a take-back procedure is pending when it
#: ends, responsibility does not cease until that procedure is completed or the transfer time limit
#: (Art 46) ends. Read in the Official Journal's Italian text. No such rule under Dublin III.
BORDER_BASIS = f"{AMMR}, Article 37(2)"
BORDER_PENDING_BASIS = f"{AMMR}, Article 37(3)"
BORDER_PERIOD = "ammr.cessation.after_border_procedure"


@dataclass(frozen=True, slots=True)
class BorderPeriod:
    """The period of AMMR Art 37(2): the decision taken in the border procedure became final on
    ``final_on``; the obligations of Art 36(1) cease ``length`` (in words) later, the period ending
    on ``ends_on`` (a period in months ends on the day of the last month with the date of the day it
    started from: Regulation (EEC, Euratom) No 1182/71, Article 3(2)(c))."""

    final_on: date
    ends_on: date
    length: str
    parameter: str
    legal_basis: str


def border_period(final_on: date, *, on: date) -> BorderPeriod:
    """The 15 months of AMMR Art 37(2) from the day the decision became final, the length as in
    force on ``on`` (the :mod:`pactum.law` parameter ``ammr.cessation.after_border_procedure``)."""
    p = param(BORDER_PERIOD, on=on)
    months = int(p.value) * (12 if p.unit == "years" else 1)
    return BorderPeriod(final_on, add_months(final_on, months), length_words(p.value, p.unit), p.path,
                        p.reference.cite())


def border_obligations_ended(period: BorderPeriod, *, registered_on: date, today: date,
                             take_back_sent_on: list[date]) -> Literal["new_application", "none_pending"] | None:
    """Whether the obligations of the state that examined the application in the border procedure
    ended for an application registered in another state on ``registered_on``, as on ``today``
    (AMMR Art 37(2)-(3)): ``new_application`` when it was registered after the period (Art 37(2),
    second subparagraph); ``none_pending`` when it was registered within it, the period has ended
    and no take-back request or notification to that state was sent by its last day
    (``take_back_sent_on``): Art 37(3) keeps the obligations only while a take-back procedure
    pending on that day runs, and Art 37(2), first subparagraph, ends them otherwise; ``None``: they
    have not ended (the period runs, or a take-back procedure was pending when it ended)."""
    if registered_on > period.ends_on:
        return "new_application"
    if today > period.ends_on and not any(d <= period.ends_on for d in take_back_sent_on):
        return "none_pending"
    return None


_SHIFTS: dict[str, dict[str, tuple[str, ...]]] = {
    "discretionary_clause": {"dublin_iii": (f"{D3}, Article 17(1)",),
                             "ammr": (f"{AMMR}, Article 35(1)", f"{AMMR}, Article 37(1)")},
    "residence_document_issued": {"dublin_iii": (f"{D3}, Article 19(1)",),
                                  "ammr": (f"{AMMR}, Article 37(1)",)},
    "transfer_deadline_missed": {"dublin_iii": (f"{D3}, Article 29(2)",),
                                 "ammr": (f"{AMMR}, Article 37(1)",)},
    "uam_transfer_not_in_interest": {"ammr": (f"{AMMR}, Article 37(1)",)},
}


class DiscretionaryClause(BaseModel):
    """``POST /api/v1/responsibility/cases/{id}/discretionary-clause``: the case's state decides to
    examine the application itself although the criteria make another state responsible (Dublin
    III Art 17(1); AMMR Art 35(1)). ``version``: the case's version the officer acted on (409 if it
    changed); ``on``: the day the state decided (today when left out; not in the future, not
    before the application was registered); ``reasons``: why, as the requested state is told."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1)
    on: date | None = None
    reasons: Text = Field(min_length=1, max_length=4000)


#: The first subparagraph of the discretionary clause (the derogation from the one state
#: responsible) and the second (the state becomes responsible and assumes the obligations), by regime.
_CLAUSE_WORDS = {"dublin_iii": ("Article 17(1), first subparagraph", "Article 17(1), second subparagraph"),
                 "ammr": ("Article 35(1), first subparagraph", "Article 35(1), second subparagraph")}


def discretionary_clause_basis(regime: str) -> list[str]:
    """The articles the discretionary clause shifts responsibility under, for the case's regime
    (as :func:`after_events` cites them)."""
    return list(_SHIFTS["discretionary_clause"]["ammr" if regime == "ammr" else "dublin_iii"])


def discretionary_clause_step(regime: str, *, member_state: str, previously: str, on: date,
                              reasons: str, requests_ended: list[tuple[str, str]],
                              determined: str | None = None) -> dict[str, Any]:
    """The trace step appended to a Dublin case when its state applies the discretionary clause:
    ``member_state`` decides on ``on`` to examine the application although ``previously`` is
    responsible, becomes the Member State responsible and assumes the obligations associated with
    that responsibility (Dublin III Art 17(1), AMMR Art 35(1), second subparagraph); the requests
    still running (``requests_ended``: id and requested state) end, and the states asked are told
    through their timeline (the same subparagraph: it informs the state requested to take charge
    or back). ``determined``: the state the determination had designated (kept in the facts, as the
    case's determination then names the state that applied the clause)."""
    first, second = _CLAUSE_WORDS["ammr" if regime == "ammr" else "dublin_iii"]
    outcome = (f"applies: {member_state} decides to examine the application although its examination is not "
               f"{member_state}'s responsibility under the criteria ({previously} is responsible) ({first}); {member_state} becomes the Member State responsible and "
               f"assumes the obligations associated with that responsibility ({second})")
    if requests_ended:
        asked = sorted({state for _, state in requests_ended})
        outcome += (f"; the running request{'s' if len(requests_ended) > 1 else ''} to {', '.join(asked)} "
                    f"{'are' if len(requests_ended) > 1 else 'is'} withdrawn and {', '.join(asked)} informed")
    t = Trace()
    t.step(rule="discretionary_clause", legal_basis=discretionary_clause_basis(regime),
           facts={"member_state": member_state, "on": on.isoformat(), "previously_responsible": previously,
                  "determined": determined or previously, "reasons": reasons, "requests_withdrawn": [rid for rid, _ in requests_ended]},
           parameters={}, outcome=outcome)
    return t.to_list()[0]


def after_events(registered_on: date, responsible: str, events: list[CessationEvent],
                 on: date) -> CessationResult:
    """Who is responsible on ``on``, applying ``events`` (up to that day) in date order."""
    regime = regime_on(registered_on)
    steps: list[Step] = []
    current: str | None = responsible
    rule, basis = "determination", []
    for ev in sorted(events, key=lambda e: e.on):
        if ev.on > on:
            continue
        facts = {"event": ev.kind, "on": ev.on, "member_state": ev.member_state}
        if current is None:
            steps.append(Step(ev.kind, (), facts, {}, "does not apply: the obligations had already ended"))
            continue
        if ev.kind in _SHIFTS:
            arts = _SHIFTS[ev.kind].get(regime)
            if not arts:
                steps.append(Step(ev.kind, (), facts, {},
                                  f"does not apply: no such rule under {regime}"))
                continue
            assert ev.member_state is not None
            current, rule, basis = ev.member_state, ev.kind, list(arts)
            steps.append(Step(ev.kind, arts, facts, {}, f"applies: {ev.member_state} becomes responsible"))
        elif ev.kind == "left_territory":
            # Dublin III Art 19(2): three months; AMMR Art 37(4): nine months (read in the Official
            # Journal's Italian text), unless the person holds a valid residence document of the
            # state responsible
            p = param(ABSENCE[regime], on=ev.on)
            months = int(p.value) * (12 if p.unit == "years" else 1)
            ends = add_months(ev.on, months)
            back = ev.returned_on
            if (back is None and on >= ends) or (back is not None and back >= ends):
                current, rule, basis = None, ev.kind, [p.reference.cite()]
                steps.append(Step(ev.kind, (p.reference.cite(),), {**facts, "returned_on": back},
                                  {p.path: length_words(p.value, p.unit)},
                                  f"applies: absent from {ev.on} for at least {length_words(p.value, p.unit)}: "
                                  "obligations cease"))
            else:
                steps.append(Step(ev.kind, (p.reference.cite(),), {**facts, "returned_on": back},
                                  {p.path: length_words(p.value, p.unit)},
                                  "does not apply: absence shorter than the period"))
        elif ev.kind == "returned":
            # Dublin III Art 19(3); AMMR Art 37(5): the take-back obligation ends once the person left
            # the territory under a return decision or removal order issued after the application
            # was withdrawn or rejected
            cite = RETURNED_BASIS[regime]
            current, rule, basis = None, ev.kind, [cite]
            steps.append(Step(ev.kind, (cite,), facts, {},
                              "applies: left under a return decision or removal order: obligations cease"))
        elif ev.kind == "final_rejection_border_procedure":
            if regime != "ammr":
                steps.append(Step(ev.kind, (), facts, {}, "does not apply: no such rule under Dublin III"))
                continue
            p = param("ammr.cessation.after_border_procedure", on=ev.on)
            ends = add_months(ev.on, int(p.value))
            if on > ends:
                current, rule, basis = None, ev.kind, [p.reference.cite()]
                steps.append(Step(ev.kind, (p.reference.cite(),), facts, {p.path: length_words(p.value, p.unit)},
                                  f"applies: obligations ended on {ends}; a later application is "
                                  "a new determination"))
            else:
                steps.append(Step(ev.kind, (p.reference.cite(),), facts, {p.path: length_words(p.value, p.unit)},
                                  f"does not apply yet: obligations end on {ends}"))
    steps.append(Step("result", tuple(basis), {"on": on},
                      {}, f"responsible: {current}" if current else "no state: obligations ended"))
    return CessationResult(current, regime, rule, basis, steps)


def checked(req: CessationRequest) -> tuple[CessationRequest, list[tuple[str, str]]]:
    """Normalise state codes and check the events against each other."""
    from pactum.common.states import member_state

    problems: list[tuple[str, str]] = []
    try:
        responsible = member_state(req.responsible_member_state)
    except ValueError as e:
        problems.append(("responsible_member_state", str(e)))
        responsible = req.responsible_member_state
    events = []
    for i, ev in enumerate(req.events):
        ms = ev.member_state
        if ev.kind in _SHIFTS and not ms:
            problems.append((f"events[{i}].member_state", f"is required for {ev.kind}"))
        if ms:
            try:
                ms = member_state(ms)
            except ValueError as e:
                problems.append((f"events[{i}].member_state", str(e)))
        if ev.on < req.registered_on:
            problems.append((f"events[{i}].on", "is before the application was registered"))
        if ev.returned_on is not None and ev.returned_on < ev.on:
            problems.append((f"events[{i}].returned_on", "is before the person left"))
        events.append(ev.model_copy(update={"member_state": ms}))
    return req.model_copy(update={"responsible_member_state": responsible, "events": events}), problems


#: How the case's facts name a presence on the territory of the Member States, for the refusal's words.
_PRESENCE_WORDS = {"irregular_crossing": "irregular crossing into", "sar_disembarkation": "disembarkation in",
                   "visa_waived_entry": "visa-waived entry into",
                   "airport_transit_application": "application in the international transit area of"}


def last_presence(facts: dict[str, Any], regime: Regime, on: date, member_state: str) -> tuple[date, str] | None:
    """The latest day the case's facts record the person in ``member_state`` (an entry into it, a
    stay's last day, an earlier application there), with its words; ``None`` where they record none.
    An entry in a region outside the territory the regime applies to on ``on`` (France's outermost
    regions: :func:`pactum.responsibility.territory.outside`) is not counted.

    The obligations of the state asked rest on those facts: an absence that ends them (Dublin III
    Art 19(2); AMMR Art 37(4)) or a departure under a return decision (Art 19(3); Art 37(5)) is a
    leaving of the territory of the Member States after them, not before (an absence before the
    entry that made the state responsible ended nothing of its). Presence in other states, such as
    the return that led to the application in the requesting state, is not read here."""
    found: list[tuple[date, str]] = []
    for e in facts.get("entries") or ():
        day = _as_date(e.get("on"))
        if day is not None and e.get("member_state") == member_state \
                and not outside(regime, on, member_state, e.get("region")):
            how = _PRESENCE_WORDS.get(str(e.get("kind")), "entry into")
            found.append((day, f"{how} {member_state} on {day.isoformat()}"))
    for st in facts.get("stays") or ():
        day = _as_date(st.get("end"))
        if day is not None and st.get("member_state") == member_state:
            found.append((day, f"stay in {member_state} until {day.isoformat()}"))
    for a in facts.get("earlier_applications") or ():
        day = _as_date(a.get("registered_on"))
        if day is not None and a.get("member_state") == member_state:
            found.append((day, f"application registered in {member_state} on {day.isoformat()}"))
    found = [f for f in found if f[0] <= on]
    return max(found, key=lambda f: f[0]) if found else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
