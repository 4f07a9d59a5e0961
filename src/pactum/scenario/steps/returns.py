"""Return decisions, cross-border alert hits, recognitions, return operations and assisted
voluntary returns in the demo world.

Calibration (DOMAIN.md §9.4, the Commission's letter of June 2023): in the EU about one person
in five ordered to leave actually leaves (2023: 484,160 ordered, 111,185 returned); return
decisions concentrate on nationalities with low recognition rates; people move on and are found
in a second state, where the alert is hit and, under Recommendation (EU) 2023/682, mostly
recognised; Frontex-supported charter operations fly to Tunisia, Egypt, Pakistan, Nigeria and
Bangladesh; IOM runs assisted voluntary return. The rates below are those of the demo world
(stated here, not legal numbers): they shape the data, they decide nothing about a person.

Every write goes through :mod:`pactum.services.returns` as a return officer of the state would
make it, in date order, with the world's clock set to the day of the act.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import select

from pactum.common.countries import nationality_name
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.identity.schemas import SearchQuery
from pactum.returns import calibration
from pactum.returns.schemas import (
    AvrCreate,
    AvrDeparture,
    DepartureConfirm,
    DestinationAmendment,
    DestinationAppeal,
    DestinationAppealOutcome,
    HitCreate,
    HitMessage,
    OperationCreate,
    ParticipantCreate,
    ParticipantOutcome,
    ReadmissionAnswer,
    ReadmissionCreate,
    ReturnFactsUpdate,
    Versioned,
    VersionedReason,
)
from pactum.scenario.steps.registry import OVERSEAS_PERSONS
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import identity, returns
from pactum.services.auth import Principal, Role
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.returns import return_alerts, return_decisions

# Nationalities with low EU recognition rates (DOMAIN.md §9.2): most rejected applicants.
LOW_RECOGNITION = {
    "BGD",
    "EGY",
    "MAR",
    "TUN",
    "PAK",
    "IND",
    "DZA",
    "GEO",
    "ALB",
    "NPL",
    "SEN",
    "GMB",
    "NGA",
    "CIV",
    "GIN",
    "IRQ",
    "TUR",
    "COL",
    "VEN",
    "PER",
    "MDA",
    "XKX",
    "SRB",
    "MKD",
}
P_DECISION_LOW = 0.45  # share of persons of those nationalities ordered to leave
P_DECISION_OTHER = 0.07
P_DEPART = 0.23  # EU level: 111,185 returned / 484,160 ordered to leave in 2023 (DOMAIN.md §9.4)
P_ABSCOND = 0.3
P_HIT_RECOGNISED = 0.7
OPERATION_DESTINATIONS = ("TUN", "EGY", "PAK", "NGA", "BGD", "GEO", "ALB")
#: days after which a person meant for a charter who was not put on one is removed on a scheduled
#: flight (a demo figure: two quarters' charters)
ESCORTED_AFTER_DAYS = 183
AVR_PROGRAMMES = (
    ("IOM AVRR", "AMIF national programme"),
    ("IOM MPRR North Africa", "EU Trust Fund for Africa"),
)


# Amended decisions on the destination (a new return decision, CJEU C-924/19 PPU FMS): after the
# destination refused readmission, the country where the person lived before on a residence permit
# (a country of transit or another third country, Directive 2008/115/EC Art 3(3)) agrees to take
# them back; a decision that named no destination (nationality unknown) names one once the
# consular identification establishes the nationality. Each decision's own random stream decides
# (seeded by the world's seed and the decision), so the rest of the world draws as it did.
P_AMEND_AFTER_REFUSAL = 0.6
P_AMEND_UNKNOWN_NATIONALITY = 0.35
P_NATIONALITY_FOUND = 0.06
P_AMENDMENT_APPEALED = 0.5
P_APPEAL_SUSPENSIVE = 0.5
#: The court allows one appeal against an amended decision in four: the amendment is annulled.
P_APPEAL_ALLOWED = 0.25
#: Where a person refused by their country of nationality lived before, by that nationality.
PREVIOUS_RESIDENCE = {"BGD": "ARE", "PAK": "ARE", "EGY": "SAU", "NGA": "GHA", "TUN": "MAR", "GEO": "TUR",
                      "ALB": "MKD"}
#: A nationality recorded that the consular identification finds wrong, and the one it establishes
#: (neighbouring countries whose nationals are often taken one for the other).
FOUND_INSTEAD = {"MAR": "DZA", "DZA": "MAR", "TUN": "DZA", "GMB": "SEN", "SEN": "GMB", "GIN": "SEN", "CIV": "GIN",
                 "EGY": "SDN"}
#: The nationalities the consular identification of a person of unknown nationality finds.
IDENTIFIED_AS = ("MAR", "DZA", "TUN", "EGY", "NGA", "GIN", "SEN")
REMEDIES = ("an appeal to the court of first instance within 30 days of notification; it does not suspend "
            "removal unless the court so orders on request (Directive 2008/115/EC, Article 13(2))")


@dataclass(order=True)
class Event:
    on: date
    seq: int
    run: Callable[[], None] = field(compare=False)


def _officer(ms: str) -> Principal:
    return Principal(
        f"scenario-return-{ms}", f"scenario-{ms.lower()}-return", ms, frozenset({Role.return_officer})
    )


def _decision(ctx: ScenarioContext, ms: str, decision_id: str) -> dict[str, Any]:
    return returns.get_decision(ctx.services, _officer(ms), decision_id, channel=None)


def _fields(ctx: ScenarioContext, ms: str, decision_id: str) -> dict[str, Any]:
    """The decision's own fields (status, version, destination ...) where an act needs no more:
    :func:`_decision` also reads its alert, hits and obstacles."""
    return returns.decision_fields(ctx.services, _officer(ms), decision_id)


_QUEUE: list[Event] = []
_SEQ = [0]


def later(on: date, fn: Callable[[], None]) -> None:
    """Schedule an act of the world for the day ``on`` (acts run in date order)."""
    _SEQ[0] += 1
    heapq.heappush(_QUEUE, Event(on, _SEQ[0], fn))


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("returns")
    persons: list[dict[str, Any]] = list(ctx.shared.get("registry.persons", []))
    with ctx.services.engine.connect() as conn:
        # the asylum cases the procedures step carried through (to the world's end): who may be
        # given a return decision, and with which negative decision (pactum.returns.stay)
        cases = _cases_by_person(conn)
        # decisions the procedures step issued with negative asylum decisions: their fates are ours
        already = {
            r.person_id: r
            for r in conn.execute(
                select(
                    return_decisions.c.id,
                    return_decisions.c.person_id,
                    return_decisions.c.issued_on,
                    return_decisions.c.voluntary_departure_days,
                )
            ).all()
        }
    _QUEUE.clear()
    # the world's clock restarts at the beginning: the registry step left it at the end
    ctx.at(datetime(ctx.start.year, ctx.start.month, ctx.start.day, tzinfo=UTC))

    # secondary movements: the registry step registers the second encounter right after the first
    moved_to: dict[str, dict[str, Any]] = {}
    for first, second in itertools.pairwise(persons):
        if (
            second.get("route") is None
            and first.get("route") is not None
            and second.get("nationality") == first.get("nationality")
            and second.get("member_state") != first.get("member_state")
        ):
            moved_to[str(first["person_id"])] = second

    decided: dict[str, dict[str, Any]] = {}
    for n, p in enumerate(persons):
        if p["person_id"] in already:
            r = already[p["person_id"]]
            plan = _plan_decision(rng, p, r.issued_on, moved_to.get(str(p["person_id"])))
            plan.update(id=r.id, vd=r.voluntary_departure_days, n=n)
            decided[str(p["person_id"])] = plan
            later(r.issued_on, _fates(ctx, plan))
            continue
        if p.get("route") is None or p.get("child"):
            continue
        low = p["nationality"] in LOW_RECOGNITION
        if rng.random() >= (P_DECISION_LOW if low else P_DECISION_OTHER):
            continue
        issued = (p["at"] + timedelta(days=rng.randint(45, 300))).date()
        own = cases.get(str(p["person_id"]), [])
        case_id = None
        if own:
            # an applicant stays while the application is examined and a beneficiary of protection
            # stays legally: a return decision only after a negative decision that was not appealed
            # (with or after it: APR Art 37, for an application made before the Pact applies Directive
            # 2008/115/EC Art 6(6)); the others get none here
            negative = [c for c in own if _unappealed_negative(c)]
            if len(negative) != len(own):
                continue
            last = negative[-1]
            assert last.notified_on is not None
            case_id, issued = last.id, last.notified_on + timedelta(days=rng.randint(1, 20))
        plan = _plan_decision(rng, p, issued, moved_to.get(str(p["person_id"])), case_id)
        plan["n"] = n
        decided[str(p["person_id"])] = plan
        later(issued, _issue(ctx, plan))
    _plan_overseas(ctx, list(ctx.shared.get(OVERSEAS_PERSONS, [])), cases, set(already))
    quarter = ctx.start + timedelta(days=150)
    while quarter < ctx.end - timedelta(days=20):
        later(quarter, lambda: _operations(ctx, rng, decided))
        quarter += timedelta(days=91)

    swept: date | None = None
    with ctx.progress("Return decisions, hits, departures, operations", len(_QUEUE)) as advance:
        while _QUEUE:
            ev = heapq.heappop(_QUEUE)
            if ev.on >= ctx.end:
                continue
            if ev.on != swept:
                # the expiry job runs each morning, as it does in service: each issuing state is
                # told of an expired period the day after it ended, not all at once at the end
                ctx.at(max(ctx.clock.now(), datetime(ev.on.year, ev.on.month, ev.on.day, 6, 0, tzinfo=UTC)))
                returns.notify_voluntary_departure_expiry(ctx.services, ctx.clock.now())
                swept = ev.on
            ctx.at(max(ctx.clock.now(), datetime(ev.on.year, ev.on.month, ev.on.day, 10, 0, tzinfo=UTC)))
            ev.run()
            advance(1)
    # the last run at the world's end moment (the start of its end date, before the build's own
    # moment): no notice is dated after the world was built
    ctx.at(max(ctx.clock.now(), ctx.end_moment))
    returns.notify_voluntary_departure_expiry(ctx.services, ctx.clock.now())


#: Of the persons met in France's outermost regions who did not apply for asylum, the share given a
#: return decision (an obligation to leave French territory, issued by the region's prefecture):
#: a demo assumption.
P_DECISION_OVERSEAS = 0.5


def _plan_overseas(ctx: ScenarioContext, persons: list[dict[str, Any]], cases: dict[str, list[_Case]],
                   decided: set[str]) -> None:
    """Return decisions France issues in its outermost regions (Mayotte, French Guiana, …) to persons
    met there who did not apply for asylum: issued in the region of the person's encounter (the
    prefecture there), so they get no SIS return alert (docs/returns.md). Drawn from a stream of their
    own, and given no further fates, so the rest of the world is drawn as before."""
    rng = ctx.step_rng("returns:overseas")
    for p in persons:
        if p.get("child") or str(p["person_id"]) in decided or cases.get(str(p["person_id"])):
            continue
        if rng.random() >= P_DECISION_OVERSEAS:
            continue
        issued = p["local_day"] + timedelta(days=rng.randint(1, 30))
        vd = rng.choice((0, 30))  # none granted on a risk of absconding (Art 7(4)): then a ban (Art 11(1)(a))
        plan = {"person": p, "ms": "FR", "issued_on": issued, "vd": vd, "ban": None if vd else 1,
                "region": str(p["region"])}
        later(issued, _issue_overseas(ctx, plan))


def _issue_overseas(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        with ctx.services.uow() as uow:
            try:
                returns.issue_return_decision(
                    uow, _officer("FR"), person_id=str(plan["person"]["person_id"]), issued_on=plan["issued_on"],
                    voluntary_departure_days=plan["vd"], entry_ban_years=plan["ban"],
                    grounds=["illegal_stay"] if plan["vd"] else ["illegal_stay", "risk_of_absconding"],
                    region=plan["region"])
            except (Conflict, ValidationProblem):
                return
            uow.commit()

    return run


def _p_depart(ms: str) -> float:
    """The EU level of 2023, spread across states as Eurostat's 2014-2016 return rates spread."""
    eu, state = calibration.return_rate("EU28"), calibration.return_rate(ms)
    if not eu or state is None:
        return P_DEPART
    return min(0.6, max(0.05, P_DEPART * state / eu))


@dataclass(frozen=True)
class _Case:
    id: str
    state: str
    outcome: str | None
    notified_on: date | None
    appeal_lodged_on: date | None


def _cases_by_person(conn: Any) -> dict[str, list[_Case]]:
    """Each person's asylum cases in the state that registered them, oldest first."""
    out: dict[str, list[_Case]] = {}
    rows = conn.execute(
        select(asylum_applications.c.person_id, asylum_applications.c.id, asylum_applications.c.state,
               asylum_applications.c.outcome, asylum_applications.c.notified_on,
               asylum_applications.c.appeal_lodged_on)
        .order_by(asylum_applications.c.made_on, asylum_applications.c.id)
    ).all()
    for r in rows:
        out.setdefault(r.person_id, []).append(_Case(r.id, r.state, r.outcome, r.notified_on, r.appeal_lodged_on))
    return out


def _unappealed_negative(c: _Case) -> bool:
    """A negative decision notified and never appealed: a return decision may follow it."""
    return (c.state in ("notified", "final") and c.outcome not in (None, "refugee_status", "subsidiary_protection")
            and c.notified_on is not None and c.appeal_lodged_on is None)


def _plan_decision(
    rng: random.Random, p: dict[str, Any], issued: date, moved: dict[str, Any] | None,
    asylum_case_id: str | None = None,
) -> dict[str, Any]:
    roll = rng.random()
    ban: int | None
    if roll < 0.15:
        vd, grounds, ban = 0, ["risk_of_absconding"], rng.randint(1, 5)
    elif roll < 0.40:
        vd, grounds, ban = rng.randint(7, 29), [], (rng.randint(1, 5) if rng.random() < 0.3 else None)
    else:
        vd, grounds, ban = 30, [], (rng.randint(1, 3) if rng.random() < 0.2 else None)
    # with the negative asylum decision it follows (the returns area adds that ground), or for an
    # illegal stay found (a person who did not apply)
    if asylum_case_id is None:
        grounds.append("illegal_stay")
    fate = rng.random()
    p_depart = _p_depart(p["member_state"])
    outcome = "depart" if fate < p_depart else ("abscond" if fate < p_depart + P_ABSCOND else "stay")
    return {
        "person": p,
        "ms": p["member_state"],
        "issued_on": issued,
        "vd": vd,
        "grounds": grounds,
        "ban": ban,
        "outcome": outcome,
        "moved": moved,
        "rng": rng,
        "asylum_case_id": asylum_case_id,
    }


def _issue(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        ms = plan["ms"]
        with ctx.services.uow() as uow:
            try:
                plan["id"] = returns.issue_return_decision(
                    uow,
                    _officer(ms),
                    person_id=str(plan["person"]["person_id"]),
                    issued_on=plan["issued_on"],
                    asylum_case_id=plan["asylum_case_id"],
                    voluntary_departure_days=plan["vd"],
                    entry_ban_years=plan["ban"],
                    grounds=plan["grounds"],
                )
            except (Conflict, ValidationProblem):
                # refused by the law (e.g. protection granted by another state, Art 6(2) Directive
                # 2008/115/EC): this person gets no return decision in the world
                return
            uow.commit()
        _fates(ctx, plan)()

    return run


def _fates(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    """Schedule what becomes of an issued decision: a hit in a second state, a departure (own,
    assisted or on a charter), absconding, readmission, an appeal."""

    def run() -> None:
        ms, rng = plan["ms"], plan["rng"]
        last = plan["issued_on"] + timedelta(days=max(plan["vd"], 1))
        follow = later
        moved = plan["moved"]
        if moved is not None and moved["at"].date() > plan["issued_on"]:
            follow(moved["at"].date() + timedelta(days=rng.randint(0, 3)), _hit(ctx, plan))
        elif plan["outcome"] == "depart":
            how = rng.random()
            when = plan["issued_on"] + timedelta(days=rng.randint(3, max(plan["vd"], 5)))
            if how < 0.2 and plan["person"]["nationality"] not in ("XXX", "XXA"):
                follow(plan["issued_on"] + timedelta(days=2), _avr(ctx, plan, when + timedelta(days=10)))
            elif how < 0.7:
                follow(when, _depart(ctx, plan, ms, "voluntary"))
            else:
                plan["for_operation"] = True
                # not on a charter within half a year (none flies to the destination, or no one
                # else was ready for it): removed on a scheduled flight with escorts, as most
                # removals are; the share that departs stays the state's return rate
                follow(when + timedelta(days=ESCORTED_AFTER_DAYS), _removal_unless_flown(ctx, plan, ms))
        elif plan["outcome"] == "abscond":
            follow(last + timedelta(days=rng.randint(5, 60)), _facts(ctx, plan, absconded=True))
        if plan["outcome"] != "abscond" and plan["person"]["nationality"] in OPERATION_DESTINATIONS:
            follow(last + timedelta(days=rng.randint(1, 20)), _readmission(ctx, plan))
        if rng.random() < 0.06:
            follow(plan["issued_on"] + timedelta(days=rng.randint(5, 20)), _appeal(ctx, plan))
        if plan["person"]["nationality"] == "XXX":  # unknown (a stateless person's is no finding to make)
            own = _case_rng(ctx, plan)
            if own.random() < P_AMEND_UNKNOWN_NATIONALITY:
                found = own.choice(IDENTIFIED_AS)
                reasons = (f"the consular identification interview of {(plan['issued_on'] + timedelta(days=20))} "
                           f"established that the person is a national of {nationality_name(found)}, whose "
                           "authorities issued a laissez-passer; the decision named no country of destination")
                follow(plan["issued_on"] + timedelta(days=own.randint(30, 90)), _amend(ctx, plan, found, reasons))
        elif plan["person"]["nationality"] in FOUND_INSTEAD:
            own = _case_rng(ctx, plan)
            if own.random() < P_NATIONALITY_FOUND:
                claimed = plan["person"]["nationality"]
                found = FOUND_INSTEAD[claimed]
                on = plan["issued_on"] + timedelta(days=own.randint(20, 120))
                reasons = (f"the consular authorities of {nationality_name(claimed)} stated after the identification "
                           f"interview that the person is not their national; the authorities of "
                           f"{nationality_name(found)} recognised the person as their national on "
                           f"{(on - timedelta(days=own.randint(2, 10))).isoformat()} and will issue a travel document")
                follow(on, _amend(ctx, plan, found, reasons))

    return run


def _case_rng(ctx: ScenarioContext, plan: dict[str, Any]) -> random.Random:
    """The decision's own random stream (the world's seed and the person's place among the
    registry's persons, not the decision's id, which is new each build): what becomes of its
    destination draws from it, not from the step's stream the other fates share."""
    rng = plan.get("case_rng")
    if rng is None:
        rng = plan["case_rng"] = random.Random(f"{ctx.seed}:returns:destination:{plan['n']}")
    return rng


def _after_refusal(ctx: ScenarioContext, plan: dict[str, Any], refused_by: str) -> None:
    """The destination refused readmission: where the person lived before agrees to take them
    back, and the officer issues an amended decision on the destination, some weeks later."""
    own = _case_rng(ctx, plan)
    new = PREVIOUS_RESIDENCE.get(refused_by)
    if new is None or own.random() >= P_AMEND_AFTER_REFUSAL:
        return
    since = own.randint(2008, 2019)
    reasons = (f"{nationality_name(refused_by)} refused readmission on {ctx.clock.today().isoformat()} (not "
               f"recognised as a national); the person lived in {nationality_name(new)} from {since} to "
               f"{since + own.randint(2, 6)} on a residence permit, and {nationality_name(new)} confirmed it "
               "will readmit them")
    later(ctx.clock.today() + timedelta(days=own.randint(7, 30)), _amend(ctx, plan, new, reasons))


def _amend(ctx: ScenarioContext, plan: dict[str, Any], destination: str, reasons: str) -> Callable[[], None]:
    """The return officer issues the amended decision on the destination (a new return decision,
    with its own period for voluntary departure from its day); the person may appeal."""

    def run() -> None:
        ms, own = plan["ms"], _case_rng(ctx, plan)
        d = _fields(ctx, ms, plan["id"])
        if d["status"] not in ("issued", "suspended") or d["destination_country"] == destination:
            return
        try:
            d = returns.amend_destination(ctx.services, _officer(ms), plan["id"], DestinationAmendment(
                version=d["version"], destination_country=destination, issued_on=ctx.clock.today(),
                reasons=reasons, remedies=REMEDIES))
        except (Conflict, ValidationProblem):
            return
        plan["destination"] = destination
        if own.random() < P_AMENDMENT_APPEALED:
            later(ctx.clock.today() + timedelta(days=own.randint(3, 25)), _appeal_amendment(ctx, plan))
        elif destination in OPERATION_DESTINATIONS or destination in PREVIOUS_RESIDENCE.values():
            later(ctx.clock.today() + timedelta(days=own.randint(5, 20)), _readmission_to_new(ctx, plan))

    return run


def _appeal_amendment(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    """The person appeals against the amended decision; a suspensive appeal suspends the decision.
    The court decides 30–90 days later, the officer records its outcome on the amended decision:
    mostly dismissed; allowed, the amendment is annulled and the earlier destination stands again.
    Either way the suspension the appeal brought ends."""

    def run() -> None:
        ms, own = plan["ms"], _case_rng(ctx, plan)
        d = _fields(ctx, ms, plan["id"])
        if d["status"] not in ("issued", "suspended"):
            return
        suspensive = own.random() < P_APPEAL_SUSPENSIVE
        try:
            d = returns.appeal_destination(ctx.services, _officer(ms), plan["id"], DestinationAppeal(
                version=d["version"], lodged_on=ctx.clock.today(), suspensive=suspensive))
        except (Conflict, ValidationProblem):
            return
        days = own.randint(30, 90)
        outcome: Literal["dismissed", "allowed"] = "allowed" if own.random() < P_APPEAL_ALLOWED else "dismissed"

        def decided() -> None:
            # the court's outcome on the amended decision's row; it lifts the suspension the appeal brought
            cur = _fields(ctx, ms, plan["id"])
            if cur["status"] not in ("issued", "suspended"):
                return
            try:
                returns.decide_destination_appeal(ctx.services, _officer(ms), plan["id"], DestinationAppealOutcome(
                    version=cur["version"], outcome=outcome, decided_on=ctx.clock.today()))
            except (Conflict, ValidationProblem):
                return

        later(ctx.clock.today() + timedelta(days=days), decided)

    return run


def _readmission_to_new(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    """A readmission request to the amended decision's destination, mostly accepted."""

    def run() -> None:
        ms, own = plan["ms"], _case_rng(ctx, plan)
        d = _fields(ctx, ms, plan["id"])
        if d["status"] not in ("issued", "suspended"):
            return
        try:
            req = returns.request_readmission(ctx.services, _officer(ms), ReadmissionCreate(
                return_decision_id=plan["id"], sent_on=ctx.clock.today()))
        except (Conflict, ValidationProblem):
            return
        accepted = own.random() < 0.8

        def answer() -> None:
            returns.answer_readmission(ctx.services, _officer(ms), req["id"], ReadmissionAnswer(
                accepted=accepted, answered_on=ctx.clock.today(),
                answer_reference=f"RA-{own.randint(10000, 99999)}"))

        later(ctx.clock.today() + timedelta(days=own.randint(10, 40)), answer)

    return run


def _depart(ctx: ScenarioContext, plan: dict[str, Any], ms: str, mode: str) -> Callable[[], None]:
    def run() -> None:
        d = _decision(ctx, ms, plan["id"])
        if d["status"] != "issued":
            return
        if d["relation"] == "executing" and not any(
            h["executing_member_state"] == ms and h["status"] == "recognised" for h in d["hits"]
        ):
            return
        # the last day as the decision's suspensions moved it (the period does not run while the
        # decision is suspended: pactum.returns.period); the day it set where none moved it
        vd_last = d.get("voluntary_departure_ends_on") or d.get("voluntary_departure_last_day")
        if mode != "voluntary" and vd_last and date.fromisoformat(str(vd_last)) >= ctx.clock.today():
            # a removal waits until the period for voluntary departure has passed (Art 8(1))
            later(date.fromisoformat(str(vd_last)) + timedelta(days=1), run)
            return
        barred = {o["code"] for o in d["obstacles"]} & {"appeal_time", "leave_to_remain_time"}
        if mode != "voluntary" and barred:
            # nor while the applicant may still appeal or ask the court for leave to remain (APR Art
            # 68(1), (2), (5)(d)(i)): the day after the bar (another state does not read its day)
            until = d.get("removal_barred_until")
            later((date.fromisoformat(str(until)) if until else ctx.clock.today()) + timedelta(days=1), run)
            return
        returns.confirm_departure(
            ctx.services,
            _officer(ms),
            plan["id"],
            DepartureConfirm.model_validate(
                {"version": d["version"], "departed_on": ctx.clock.today(), "mode": mode}
            ),
        )

    return run


def _removal_unless_flown(ctx: ScenarioContext, plan: dict[str, Any], ms: str) -> Callable[[], None]:
    """An enforced removal (escorted, on a scheduled flight) of a person meant for a charter who
    was not put on one; nothing if a charter took them or the decision is no longer open."""
    remove = _depart(ctx, plan, ms, "enforced")

    def run() -> None:
        if plan.get("flown"):
            return
        d = _decision(ctx, ms, plan["id"])
        if d["status"] != "issued" or d["obstacles"]:
            return  # still an obstacle (absconded, appeal, readmission refused): not removable
        remove()

    return run


def _facts(ctx: ScenarioContext, plan: dict[str, Any], **facts: Any) -> Callable[[], None]:
    def run() -> None:
        d = _fields(ctx, plan["ms"], plan["id"])
        if d["status"] in ("issued", "suspended"):
            returns.update_return_facts(
                ctx.services,
                _officer(plan["ms"]),
                plan["id"],
                ReturnFactsUpdate(version=d["version"], **facts),
            )

    return run


def _appeal(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        ms, rng = plan["ms"], plan["rng"]
        d = _fields(ctx, ms, plan["id"])
        if d["status"] != "issued":
            return
        d = returns.suspend_decision(
            ctx.services,
            _officer(ms),
            plan["id"],
            VersionedReason(version=d["version"], reason="suspensive appeal lodged"),
        )
        action = "withdraw" if rng.random() < 0.25 else "lift"

        def settle() -> None:
            cur = _fields(ctx, ms, plan["id"])
            if cur["status"] != "suspended":
                return
            if action == "withdraw":
                returns.withdraw_decision(
                    ctx.services,
                    _officer(ms),
                    plan["id"],
                    VersionedReason(version=cur["version"], reason="annulled on appeal"),
                )
            else:
                returns.lift_suspension(
                    ctx.services,
                    _officer(ms),
                    plan["id"],
                    VersionedReason(version=cur["version"], reason="appeal dismissed"),
                )

        later(ctx.clock.today() + timedelta(days=rng.randint(30, 120)), settle)

    return run


def _hit(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        rng, issuing, executing = plan["rng"], plan["ms"], plan["moved"]["member_state"]
        with ctx.services.engine.connect() as conn:
            alert_id = conn.execute(
                select(return_alerts.c.id).where(
                    return_alerts.c.return_decision_id == plan["id"], return_alerts.c.status == "active"
                )
            ).scalar()
        if alert_id is None:
            return
        officer = _officer(executing)
        # the executing state's officer searches for the person in front of them; only an alert
        # the identity search discloses may be acted on (a missed match means no hit)
        moved = plan["moved"]
        found = identity.search(ctx.services, officer, SearchQuery.model_validate({
            "surname": str(moved["surname"]), "given_names": str(moved["given"]),
            "date_of_birth": str(moved["dob"]) if moved.get("dob") else None}))
        if alert_id not in {c.get("alert_id") for c in found["candidates"]}:
            return
        try:  # a match the service does not confirm is no hit (SIS Reg. 2018/1861 Art 3(8))
            hit = returns.record_hit(
                ctx.services,
                officer,
                HitCreate(alert_id=alert_id, local_person_id=str(plan["moved"]["person_id"]), place=None),
            )
        except (ValidationProblem, NotFound):
            return
        if rng.random() < 0.5:
            hit = returns.send_hit_message(
                ctx.services,
                officer,
                hit["id"],
                HitMessage(
                    body="Please confirm that the return decision is enforceable and send the travel document copy."
                ),
            )
            returns.send_hit_message(
                ctx.services,
                _officer(issuing),
                hit["id"],
                HitMessage(body="The decision is enforceable; no appeal pending."),
            )
        if hit["decision"]["status"] != "issued":
            return
        roll = rng.random()
        if roll < P_HIT_RECOGNISED:
            returns.recognise_hit(ctx.services, officer, hit["id"], Versioned(version=hit["version"]))
            if plan["outcome"] != "abscond" and rng.random() < 0.55:
                later(
                    ctx.clock.today() + timedelta(days=rng.randint(7, 45)),
                    _depart(ctx, plan, executing, "enforced"),
                )
        elif roll < 0.85:
            returns.refuse_recognition(
                ctx.services,
                officer,
                hit["id"],
                VersionedReason(
                    version=hit["version"],
                    reason=rng.choice(
                        [
                            "person applied for international protection in this state",
                            "decision not enforceable under national law (no reasons translated)",
                            "the person holds a residence permit issued by this state",
                        ]
                    ),
                ),
            )

    return run


def _avr(ctx: ScenarioContext, plan: dict[str, Any], departs: date) -> Callable[[], None]:
    def run() -> None:
        rng, ms = plan["rng"], plan["ms"]
        d = _fields(ctx, ms, plan["id"])
        if d["status"] != "issued" or not d["destination_country"]:
            return
        programme, funding = rng.choice(AVR_PROGRAMMES)
        case = returns.open_avr(
            ctx.services,
            _officer(ms),
            AvrCreate(
                return_decision_id=plan["id"],
                programme=programme,
                funding_source=funding,
                amount_eur=Decimal(rng.choice([1500, 2000, 2500, 3000])),
                opened_on=ctx.clock.today(),
            ),
        )

        def depart() -> None:
            if _fields(ctx, ms, plan["id"])["status"] == "issued":
                returns.avr_departed(
                    ctx.services,
                    _officer(ms),
                    case["id"],
                    AvrDeparture(version=1, departed_on=ctx.clock.today()),
                )

        later(departs, depart)

    return run


def _readmission(ctx: ScenarioContext, plan: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        rng, ms = plan["rng"], plan["ms"]
        d = _fields(ctx, ms, plan["id"])
        if d["status"] not in ("issued", "suspended") or not d["destination_country"]:
            return
        try:
            req = returns.request_readmission(
                ctx.services,
                _officer(ms),
                ReadmissionCreate(return_decision_id=plan["id"], sent_on=ctx.clock.today()),
            )
        except Conflict:
            return
        roll = rng.random()
        if roll < 0.8:

            def answer() -> None:
                # a country whose consulate stated meanwhile that the person is not its national (the
                # decision's destination amended away from it) does not accept them back
                moved = _fields(ctx, ms, plan["id"])["destination_country"] != req["destination_country"]
                returns.answer_readmission(
                    ctx.services,
                    _officer(ms),
                    req["id"],
                    ReadmissionAnswer(
                        accepted=roll < 0.7 and not moved,
                        answered_on=ctx.clock.today(),
                        answer_reference=f"RA-{rng.randint(10000, 99999)}",
                    ),
                )
                if roll >= 0.7 and not moved:
                    _after_refusal(ctx, plan, req["destination_country"])

            later(ctx.clock.today() + timedelta(days=rng.randint(10, 60)), answer)

    return run


def _operations(ctx: ScenarioContext, rng: random.Random, decided: dict[str, dict[str, Any]]) -> None:
    """Joint Frontex-supported charters, one per destination with people ready: the state with the
    most people organises, the others participate and put their own people on board."""
    by_dest: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for plan in decided.values():
        if plan.get("for_operation") and "id" in plan and not plan.get("flown"):
            # the decision's destination: the nationality's country, unless an amended decision changed it
            dest = plan.get("destination") or plan["person"]["nationality"]
            if dest in OPERATION_DESTINATIONS:
                by_dest.setdefault(dest, {}).setdefault(plan["ms"], []).append(plan)
    for dest, states in sorted(by_dest.items()):
        ready: dict[str, list[dict[str, Any]]] = {}
        for ms, plans in sorted(states.items()):
            for plan in plans:
                d = _decision(ctx, ms, plan["id"])
                if d["status"] != "issued":
                    continue
                if not (d["identity_confirmed"] and d["travel_document"]):
                    d = returns.update_return_facts(
                        ctx.services,
                        _officer(ms),
                        plan["id"],
                        ReturnFactsUpdate(
                            version=d["version"], identity_confirmed=True, travel_document=True
                        ),
                    )
                if not d["obstacles"]:
                    ready.setdefault(ms, []).append(plan)
        if sum(len(v) for v in ready.values()) < 2:
            continue
        organiser = max(sorted(ready), key=lambda m: len(ready[m]))
        flight = ctx.clock.today() + timedelta(days=rng.randint(10, 18))
        seats = sum(len(v) for v in ready.values())
        op = returns.plan_operation(
            ctx.services,
            _officer(organiser),
            OperationCreate(
                destination_country=dest,
                planned_date=flight,
                capacity=min(80, seats + rng.randint(2, 10)),
                escorts=2 * seats + 4,
                participating_states=[m for m in ready if m != organiser],
                frontex_support=rng.random() < 0.8,
            ),
        )
        for ms, plans in ready.items():
            for plan in plans:
                try:
                    returns.add_participant(
                        ctx.services, _officer(ms), op["id"], ParticipantCreate(return_decision_id=plan["id"])
                    )
                    plan["flown"] = True
                except Conflict:
                    continue
        op = returns.get_operation(ctx.services, _officer(organiser), op["id"])
        returns.operation_action(
            ctx.services, _officer(organiser), op["id"], "confirm", Versioned(version=op["version"])
        )
        later(flight, _fly(ctx, rng, organiser, op["id"]))


def _fly(ctx: ScenarioContext, rng: random.Random, organiser: str, op_id: str) -> Callable[[], None]:
    def run() -> None:
        op = returns.get_operation(ctx.services, _officer(organiser), op_id)
        for part in op["participants"]:
            if part["status"] != "selected":
                continue
            departed = rng.random() < 0.9
            returns.record_participant_outcome(
                ctx.services,
                _officer(part["member_state"]),
                op_id,
                part["id"],
                ParticipantOutcome(
                    departed=departed, reason=None if departed else "resisted boarding; the captain refused"
                ),
            )
        op = returns.get_operation(ctx.services, _officer(organiser), op_id)
        returns.operation_action(
            ctx.services, _officer(organiser), op_id, "complete", Versioned(version=op["version"])
        )

    return run


STEP = Step(
    name="returns",
    order=60,
    build=build,
    description="Return decisions, cross-border hits and recognitions, operations, voluntary returns",
)
