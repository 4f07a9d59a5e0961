"""Demo data: weekly reception reports of the demo states from January 2026 to the world's end.

Synthetic, not statistics: the places are roughly 1/200 of the order of magnitude of each state's
national reception system (the scale of the demo's arrivals, see the registry step), and the
occupancy follows each state's arrivals registered in the demo world over the preceding four
weeks, so that the states of first arrival (IT, EL, ES, CY, and MT) carry the pressure. Border and
transit facilities hold the applicants the demo's border procedure holds on the day (procedures
area), so that a state whose border procedure outgrows its places is flagged. Hungary stops
reporting in October (overdue), Bulgaria reports monthly, and a few reports are corrected.

Demo data too: a few decisions of Italian, Greek, Spanish and German caseworkers on applicants'
material reception conditions (reductions and withdrawals under Directive (EU) 2024/1346,
Article 23, or Directive 2013/33/EU, Article 20, before 12 June 2026; one Article 21 decision taken
after a demo transfer of the responsibility step carried out, by the state that transferred the
applicant, German where there is one; and, where the world holds one, an Article 21 decision of a
third state that found, by the Eurodac hit, an applicant notified of another state's transfer
decision), one of them lifted; their reasons say they are demo data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from pactum.reception import conditions as cond
from pactum.reception import params
from pactum.reception.model import ReportCorrection, ReportCreate
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import reception, reception_conditions
from pactum.services.auth import Principal, Role
from pactum.services.procedures import border_procedure_occupancy
from pactum.services.registry import same_person_network
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import encounters
from pactum.store.tables.responsibility import dublin_cases, dublin_requests

FIRST_REPORT = date(2026, 1, 5)  # the first Monday of 2026
#: places by type at the demo's scale: initial, open, minors, border, detention
PLACES: dict[str, tuple[int, int, int, int, int]] = {
    "IT": (120, 700, 60, 40, 15), "EL": (90, 150, 25, 30, 20), "ES": (100, 300, 50, 20, 10),
    "DE": (400, 1500, 120, 5, 10), "FR": (100, 600, 60, 5, 15), "AT": (40, 150, 20, 3, 5),
    "NL": (60, 320, 25, 3, 5), "BE": (30, 170, 20, 3, 5), "CY": (25, 40, 10, 8, 5),
    "MT": (8, 15, 4, 4, 4), "BG": (15, 30, 5, 6, 8), "PL": (10, 20, 3, 5, 8),
    "SE": (20, 100, 10, 2, 5), "HU": (3, 5, 1, 4, 3),
}
#: the usual occupancy of each state's open and initial places (first-arrival states run fuller)
BASE_RATE = {"IT": 0.98, "EL": 1.0, "ES": 0.95, "CY": 1.08, "MT": 0.88, "DE": 0.78, "FR": 0.84,
             "AT": 0.70, "NL": 0.86, "BE": 0.88, "BG": 0.55, "PL": 0.45, "SE": 0.62, "HU": 0.3}
#: states that grow their places over the year (the EU's funding calls for reception capacity)
GROWING = {"IT": 0.12, "EL": 0.15, "CY": 0.25, "ES": 0.08}
HU_LAST = date(2026, 9, 28)
CORRECTED = (("IT", date(2026, 8, 17), "late arrivals in Lampedusa counted the following day"),
             ("EL", date(2026, 9, 7), "Samos CCAC double-counted"),
             ("ES", date(2026, 10, 12), "Canary Islands minors' places were reported as open accommodation"))


def _officer(ms: str) -> Principal:
    return Principal(f"scenario-{ms}", f"scenario-{ms.lower()}", ms, frozenset({Role.caseworker}))


def _weekly_arrivals(ctx: ScenarioContext) -> dict[str, dict[date, int]]:
    """Arrivals registered per state and week (the Monday ending it)."""
    start = datetime.combine(FIRST_REPORT - timedelta(days=35), datetime.min.time(), tzinfo=UTC)
    out: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    with ctx.services.engine.connect() as conn:
        for ms, at in conn.execute(select(encounters.c.member_state, encounters.c.occurred_at)
                                   .where(encounters.c.occurred_at >= start)):
            d = at.date()
            out[ms][d + timedelta(days=(7 - d.weekday()) % 7)] += 1
    return out


def _pressure(arrivals: dict[date, int], on: date) -> float:
    """Arrivals of the four weeks before ``on`` against the state's weekly average (1.0: usual)."""
    recent = sum(arrivals.get(on - timedelta(weeks=i), 0) for i in range(4)) / 4
    average = (sum(arrivals.values()) / max(len(arrivals), 1)) or 1.0
    return max(0.5, min(2.0, recent / average)) if arrivals else 1.0


def _report(rng: random.Random, ms: str, on: date, pressure: float, border_now: int, period: str) -> ReportCreate:
    initial, open_, minors, border, detention = PLACES[ms]
    grow = 1 + GROWING.get(ms, 0.0) * max(0, (on - FIRST_REPORT).days) / 330
    initial, open_, minors = round(initial * grow), round(open_ * grow), round(minors * grow)
    rate = BASE_RATE[ms] * (0.88 + 0.14 * pressure) + rng.gauss(0, 0.015)
    demand_open = round(open_ * rate)
    open_acc = min(demand_open, round(open_ * 1.04))
    initial_acc = max(0, round(initial * min(rate * rng.uniform(0.95, 1.1), 1.2)))
    minors_acc = max(0, round(minors * min(rate * rng.uniform(0.9, 1.15), 1.25)))
    in_plan = params.contingency_plan_due(on)  # the demo's states have plans once the law wants one
    plan = "none" if ms == "HU" or (not in_plan and ms in ("PL", "BG", "SE")) else (
        "activated" if rate >= 0.97 else "in_place")
    return ReportCreate(
        reported_on=on, period=period,  # type: ignore[arg-type]
        initial_places=initial, initial_accommodated=initial_acc,
        open_places=open_, open_accommodated=open_acc,
        minors_places=minors, minors_accommodated=minors_acc,
        border_places=border, border_accommodated=border_now,
        detention_places=detention, detention_accommodated=round(detention * rng.uniform(0.3, 0.8)),
        private_housing=round(open_acc * rng.uniform(0.05, 0.15)),
        waiting_list=max(0, demand_open - open_acc),
        contingency_plan=plan,  # type: ignore[arg-type]
    )


def _dates(ms: str, end: date) -> list[tuple[date, str]]:
    if ms == "BG":  # monthly, on the last Monday of each month
        out, d = [], FIRST_REPORT
        while d < end:
            if (d + timedelta(weeks=1)).month != d.month:
                out.append((d, "month"))
            d += timedelta(weeks=1)
        return out
    last = HU_LAST if ms == "HU" else end
    out, d = [], FIRST_REPORT
    while d < end and d <= last:
        out.append((d, "week"))
        d += timedelta(weeks=1)
    return out


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("reception")
    arrivals = _weekly_arrivals(ctx)
    plan = sorted((on, ms, period) for ms in PLACES for on, period in _dates(ms, ctx.end))
    recorded: dict[tuple[str, date], dict[str, object]] = {}
    with ctx.progress("Reception reports", len(plan)) as advance:
        for on, ms, period in plan:
            ctx.at(datetime(on.year, on.month, on.day, 16, 0, tzinfo=UTC))
            with ctx.services.engine.connect() as conn:
                border_now = border_procedure_occupancy(conn, on, ms).get(ms, 0)
            body = _report(rng, ms, on, _pressure(arrivals.get(ms, {}), on), border_now, period)
            recorded[(ms, on)] = reception.record_report(ctx.services, _officer(ms), body)
            advance(1)
    for ms, on, reason in CORRECTED:
        report = recorded.get((ms, on))
        if report is None:
            continue
        ctx.at(datetime(on.year, on.month, on.day, 16, 0, tzinfo=UTC) + timedelta(days=2))
        figures = dict(report["figures"])  # type: ignore[call-overload]
        if ms == "ES":
            moved = min(10, figures["open_accommodated"])
            figures.update(open_accommodated=figures["open_accommodated"] - moved,
                           minors_accommodated=figures["minors_accommodated"] + moved)
        else:
            figures["open_accommodated"] = round(figures["open_accommodated"] * 0.96)
        reception.correct_report(ctx.services, _officer(ms), str(report["id"]), ReportCorrection(
            version=int(report["version"]), reason=reason,  # type: ignore[call-overload]
            contingency_plan=report["contingency_plan"], **figures))  # type: ignore[arg-type]


#: The demo's decisions on applicants' reception conditions: (state, measure, conditions, ground
#: under Directive (EU) 2024/1346, ground under Directive 2013/33/EU), one applicant each.
DEMO_DECISIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("IT", "reduce", "daily_expenses_allowance", "23_2_b", "2013_20_1_b"),
    ("IT", "withdraw", "daily_expenses_allowance", "23_2_a", "2013_20_1_a"),
    ("IT", "reduce", "other_conditions", "23_2_e", "2013_20_4"),
    ("EL", "reduce", "daily_expenses_allowance", "23_2_c", "2013_20_1_c"),
    ("EL", "withdraw", "other_conditions", "23_2_e", "2013_20_3"),
    ("ES", "reduce", "daily_expenses_allowance", "23_2_d", "2013_20_3"),
    ("DE", "reduce", "daily_expenses_allowance", "23_2_f", "2013_20_2"),
)
DEMO = "Demo data (synthetic), not a real applicant's decision. "


def _decision_cases(ctx: ScenarioContext, ms: str) -> list[tuple[str, str, date]]:
    A = asylum_applications
    with ctx.services.engine.connect() as conn:
        return [(r.id, r.person_id, r.made_on) for r in conn.execute(
            select(A.c.id, A.c.person_id, A.c.made_on).where(A.c.member_state == ms).order_by(A.c.made_on, A.c.id))]


def _required_elsewhere(ctx: ScenarioContext, ms: str, person_id: str, on: date) -> bool:
    with ctx.services.engine.connect() as conn:
        return reception_conditions.required_elsewhere(conn, ms, person_id, on) is not None


def _art21_transfer(ctx: ScenarioContext, rng: random.Random,
                    used: set[str]) -> tuple[str, str, str, str, date, date, str] | None:
    """A demo transfer (Regulation (EU) 2024/1351) an Article 21 decision can rest on: the
    requesting state, the state the applicant was transferred to, the person, their asylum case in
    the requesting state, the days of the transfer decision and of the transfer and the Dublin
    case's reference; a German one when there is one (deterministic: ``rng`` chooses among them in
    a fixed order). Carried out: until then the applicant is required to be present in the
    requesting state (Article 17(4)(a)), where Article 21 does not apply."""
    R, C, A = dublin_requests, dublin_cases, asylum_applications
    with ctx.services.engine.connect() as conn:
        rows = conn.execute(
            select(R.c.requesting_member_state, R.c.requested_member_state, C.c.person_id, A.c.id,
                   R.c.transfer_decided_on, R.c.transferred_on, C.c.reference)
            .join(C, C.c.id == R.c.case_id)
            .join(A, (A.c.person_id == C.c.person_id) & (A.c.member_state == R.c.requesting_member_state))
            .where(R.c.regime == "ammr", R.c.transfer_decided_on.isnot(None), R.c.transferred_on.isnot(None),
                   R.c.transferred_on < ctx.end - timedelta(days=2))
            .order_by(R.c.transfer_decided_on, R.c.id, A.c.id)).all()
    found = [tuple(r) for r in rows if r[2] not in used and params.directive_applies(r[4])]
    german = [r for r in found if r[0] == "DE"]
    if not found:
        return None
    ms, required, person_id, case_id, decided, transferred, reference = rng.choice(german or found)
    used.add(person_id)
    return ms, required, person_id, case_id, decided, transferred, reference


def _art21_hit(ctx: ScenarioContext, rng: random.Random, used: set[str]) -> tuple[str, str, str, date, Any] | None:
    """An applicant notified of a transfer decision (Regulation (EU) 2024/1351) of one state to
    another, found in a third state by the Eurodac hit (a white or red same-person identity link
    to the person the Dublin case names, or a chain of them, as the reception area reads them:
    ``services.registry.same_person_network``): the third state, its person, the state where the
    applicant is required to be present on the decision's day (the state responsible once
    transferred, the deciding state until then: Article 17(4)), the day (a few days after the
    transfer decision, from 12 June 2026) and the transfer decision's row. None when the world
    holds no such applicant (deterministic: ``rng`` chooses among them in a fixed order)."""
    R, C = dublin_requests, dublin_cases
    found = []
    with ctx.services.engine.connect() as conn:
        rows = conn.execute(
            select(R.c.requesting_member_state, R.c.requested_member_state, R.c.transfer_decided_on,
                   R.c.transferred_on, C.c.person_id, C.c.reference)
            .join(C, C.c.id == R.c.case_id)
            .where(R.c.regime == "ammr", R.c.transfer_decided_on.isnot(None), C.c.person_id.isnot(None),
                   R.c.transfer_decided_on < ctx.end - timedelta(days=3))
            .order_by(R.c.transfer_decided_on, R.c.id)).all()
        for r in rows:
            # the persons the reception area finds (directly or through a chain of hits)
            linked = same_person_network(conn, r.person_id, r.requesting_member_state)
            for person, reached in sorted(linked.items()):
                state = reached.member_state
                if state not in (r.requesting_member_state, r.requested_member_state) and person not in used:
                    found.append((state, person, r, reached.known_at.date()))
    if not found:
        return None
    state, person, r, hit_on = rng.choice(found)
    # found in the third state a few days after the decision, not before the hit that found them
    on = min(max(r.transfer_decided_on, hit_on) + timedelta(days=rng.randint(2, 6)), ctx.end - timedelta(days=1))
    if not params.directive_applies(on):
        return None
    used.add(person)
    required = (r.requested_member_state if r.transferred_on is not None and r.transferred_on <= on
                else r.requesting_member_state)
    return state, person, required, on, r


def build_conditions(ctx: ScenarioContext) -> None:
    """A few decisions on applicants' reception conditions in the demo states (deterministic)."""
    rng = ctx.step_rng("reception:conditions")
    used: set[str] = set()
    plan: list[tuple[date, str, Any]] = []
    for ms, measure, conditions, ground_new, ground_old in DEMO_DECISIONS:
        cases = [c for c in _decision_cases(ctx, ms) if c[1] not in used and c[2] < ctx.end - timedelta(days=20)]
        if not cases:
            continue
        case_id, person_id, made_on = rng.choice(cases)
        on = made_on + timedelta(days=rng.randint(7, 20))
        while params.directive_applies(on) and _required_elsewhere(ctx, ms, person_id, on):
            # Article 23(1) reaches the applicants required to be present in the state: another pick
            cases.remove((case_id, person_id, made_on))
            if not cases:
                break
            case_id, person_id, made_on = rng.choice(cases)
            on = made_on + timedelta(days=rng.randint(7, 20))
        if not cases:
            continue
        used.add(person_id)
        ground = ground_new if params.directive_applies(on) else ground_old
        if not cond.allowed(cond.GROUNDS_BY_CODE[ground], measure, conditions):
            measure = "reduce"
        plan.append((on, ms, cond.ConditionsDecisionCreate(
            case_id=case_id, measure=measure, conditions=conditions, ground=ground,
            decided_on=on, individual_assessment=DEMO + "Single adult, no special reception needs identified at the "
            "assessment; the reduction leaves housing, food and health care in place.",
            reasons=DEMO + cond.GROUNDS_BY_CODE[ground].label.capitalize() + "; the applicant was heard and "
            "informed of the consequences beforehand.", health_care_ensured=True, standard_of_living_ensured=True)))
    transfer = _art21_transfer(ctx, rng, used)
    if transfer is not None:
        ms, required, person_id, case_id, decided, transferred, reference = transfer
        on = min(transferred + timedelta(days=rng.randint(1, 5)), ctx.end - timedelta(days=1))
        plan.append((on, ms, cond.ConditionsDecisionCreate(
            case_id=case_id, measure="not_entitled", required_state=required, decided_on=on,
            individual_assessment=DEMO + f"Transfer decision to {required} of {decided.isoformat()} (Dublin case "
            f"{reference}) notified and the applicant transferred on {transferred.isoformat()}; found in {ms} "
            "again.",
            reasons=DEMO + f"{required} is responsible (Regulation (EU) 2024/1351); the applicant is required to be "
            "present there.", health_care_ensured=True, standard_of_living_ensured=True)))
    hit = _art21_hit(ctx, rng, used)
    if hit is not None:
        ms, person_id, required, on, r = hit
        plan.append((on, ms, cond.ConditionsDecisionCreate(
            person_id=person_id, measure="not_entitled", required_state=required, decided_on=on,
            individual_assessment=DEMO + f"Found in {ms}; the Eurodac hit shows the transfer decision of "
            f"{r.requesting_member_state} to {r.requested_member_state} of {r.transfer_decided_on.isoformat()}, "
            "notified to the applicant; no indication of trafficking, no special reception needs identified.",
            reasons=DEMO + f"The applicant is required to be present in {required} (Regulation (EU) 2024/1351, "
            f"Article 17(4)); in {ms} a standard of living in accordance with Union law and the Charter and the "
            "necessary health care are kept.", health_care_ensured=True, standard_of_living_ensured=True)))
    done = []
    for on, ms, body in sorted(plan, key=lambda p: (p[0], p[1])):
        ctx.at(datetime(on.year, on.month, on.day, 15, 0, tzinfo=UTC))
        done.append(reception_conditions.record_decision(ctx.services, _officer(ms), body))
    lifted = next((d for d in done if d["ground"] in ("23_2_b", "2013_20_1_b")), None)
    if lifted is not None:
        on = date.fromisoformat(lifted["decided_on"]) + timedelta(days=14)
        if on < ctx.end:
            ctx.at(datetime(on.year, on.month, on.day, 15, 0, tzinfo=UTC))
            reception_conditions.lift_decision(ctx.services, _officer(lifted["member_state"]), lifted["id"],
                                               cond.ConditionsLifting(
                version=lifted["version"], lifted_on=on, restoration="all",
                reason=DEMO + "The applicant came to the interview and now cooperates."))


def build_all(ctx: ScenarioContext) -> None:
    build(ctx)
    build_conditions(ctx)


STEP = Step(name="reception", order=70, build=build_all,
            description="Weekly reception capacity and occupancy reports of the demo states (synthetic)")
