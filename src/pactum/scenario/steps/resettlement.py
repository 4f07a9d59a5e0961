"""Demo world: the two resettlement plans whose totals are public, with DEMO pledges and admissions.

Real: the plans' totals (2024-2025 pledging exercise, 30,960 resettlement + 30,000 humanitarian
admission places by 14 states; first Union Plan 2026-2027, 15,230 places by 9 states), loaded from
``data/resettlement/plans.yaml``. DEMO DATA, invented for the demonstration: which states pledged
how many places of each category and from which countries of first asylum (the real per-state
split is not in Pactum's sources), and every person referred, admitted, refused or arrived, at
about 1/40 of a realistic pace for scale S. The pages say so. A plan whose years are over by the
world's end has every case decided and every person admitted arrived, and is then closed.

Each person is registered by the state (Art 9(3)) :data:`REGISTRATION_DAYS` after the referral,
before any decision; a few still pending under a running plan are not registered yet (awaiting
registration). Those days come from a stream of their own (``resettlement:registration``), so
the referrals, decisions, places and arrivals are those the step drew before registrations were
recorded; only the procedures' clocks (due dates, in time or late, overdue) follow them.

Three more DEMO streams of their own, each a fixed number of draws a person, leave every other
figure as it was: the Union Plan names the countries of first asylum it targets (Art 8(3)(c); the
real plan's list is not in Pactum's sources, so the demo Commission amends the plan with the
countries the demo pledges name for resettlement and humanitarian admission, before any pledge:
emergency admission's Libya and Niger stay outside it, Art 8(5)); some ordinary procedures that run
past five months are extended by three months for complex issues of fact or law (Art 9(9), second
sentence: ``resettlement:extension``); and some procedures still pending under the Union Plan are
discontinued by the state (Art 9(11): ``resettlement:discontinuation``), most because the person
withdrew their consent.

A fourth DEMO stream (``resettlement:after_conclusion``, seven draws a person) records what follows a
conclusion under the Union Plan: most persons admitted have the status granted recorded (Art 9(15) to
(18): refugee or subsidiary protection status, a national humanitarian status after a humanitarian
admission, a family member's residence permit); a few admitted and not arrived withdraw their consent
before the entry (Art 7(1), 9(11): the procedure is discontinued after its positive conclusion and
the place freed); and for most discontinuations and refusals the state records whether UNHCR was
given the reason (Art 9(11), third subparagraph, 9(13), second subparagraph).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from pactum.law import add_period
from pactum.resettlement.model import (
    REFUSAL_GROUND_CODES,
    AdmissionDiscontinuation,
    AdmissionIn,
    AdmissionUpdate,
    PlanAmend,
    PlanClose,
    PledgeIn,
)
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import resettlement
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services

DEMO_FRACTION = 1 / 40
#: DEMO per-state pledges: state -> (resettlement, humanitarian admission, emergency admission).
#: They add up to the plans' real totals; the split itself is invented.
DEMO_PLEDGES: dict[str, dict[str, tuple[int, int, int]]] = {
    "2024-2025": {
        "DE": (8000, 24000, 0), "FR": (5000, 2000, 0), "SE": (4000, 0, 0), "NL": (3000, 0, 0),
        "ES": (2400, 1000, 0), "FI": (2100, 0, 0), "IT": (2000, 1500, 0), "BE": (1800, 500, 0),
        "IE": (1200, 0, 0), "PT": (600, 0, 0), "SI": (500, 0, 0), "HR": (200, 0, 0), "LU": (160, 0, 0),
        "AT": (0, 1000, 0),
    },
    "2026-2027": {
        "DE": (2500, 1200, 300), "FR": (2600, 0, 400), "ES": (1500, 300, 0), "IT": (800, 700, 0),
        "NL": (1300, 0, 100), "SE": (1000, 0, 200), "FI": (900, 0, 100), "BE": (800, 0, 0), "PT": (530, 0, 0),
    },
}
#: DEMO countries of first asylum per category (first two get their own pledge lines).
FIRST_ASYLUM = {
    "resettlement": ["TUR", "LBN", "JOR", "EGY", "RWA", "ETH", "KEN", "PAK"],
    "humanitarian_admission": ["PAK", "TUR", "IRN"],
    "emergency_admission": ["LBY", "NER", "RWA"],
}
NATIONALITIES = {"TUR": ["SYR", "AFG"], "LBN": ["SYR"], "JOR": ["SYR", "IRQ"], "EGY": ["SDN", "SYR"],
                 "RWA": ["ERI", "SDN", "SOM"], "ETH": ["ERI", "SSD"], "KEN": ["SOM", "SSD", "COD"],
                 "PAK": ["AFG"], "IRN": ["AFG"], "LBY": ["ERI", "SDN"], "NER": ["SDN", "ERI"]}
FILL = {"2024-2025": 0.9, "2026-2027": 0.3}
#: DEMO days from the referral to the state's registration of the person (both ends included):
#: within the 40 days before which no decision is drawn and no referral is dated before the end.
REGISTRATION_DAYS = (3, 35)
#: DEMO share of the persons still pending under a running plan whom the state has not registered yet.
NOT_REGISTERED_YET = 0.1
#: The demo refusals under a Union Plan: each on one ground of Art 6 of the Regulation (its
#: paragraph 1 and 2 points, in order); a pledging exercise's refusals are "other" (national criteria).
ART6_GROUNDS = tuple(g for g in REFUSAL_GROUND_CODES if g != "other")
#: DEMO: the Union Plan's countries of first asylum (Art 8(3)(c)): those the demo pledges and
#: persons name for resettlement and humanitarian admission. Emergency admission's LBY and NER are
#: not among them: it applies irrespective of the countries targeted (Art 8(5)).
DEMO_TARGETS = {"2026-2027": tuple(dict.fromkeys(FIRST_ASYLUM["resettlement"] + FIRST_ASYLUM["humanitarian_admission"]))}
#: DEMO: an ordinary procedure under a Union Plan that runs (or ran) past this many days from the
#: registration is a candidate for the three months' extension of Art 9(9) ...
EXTENSION_AFTER_DAYS = 150
#: ... which the state decides on for this share of them, on a day after those days, while the seven
#: months run and before the decision
EXTENDED_SHARE = 0.35
EXTENSION_REASONS = (
    "Complex issues of fact: identity documents contradict UNHCR's resettlement file (demo data)",
    "Complex issues of law: possible exclusion under Article 6(1)(b) to be examined (demo data)",
    "Complex issues of fact: family links under Article 5(4) to be established (demo data)",
)
#: DEMO: the share of the procedures still pending under a Union Plan at the world's end that the
#: state discontinued (Art 9(11)), and the grounds drawn for them (consent withdrawn most often).
DISCONTINUED_SHARE = 0.15
DISCONTINUATIONS = (
    ("consent_withdrawn", "The person told UNHCR they no longer wish to be admitted to this Member State "
                          "(demo data)"),
    ("consent_withdrawn", "The person did not attend the personal interview twice after being informed of the "
                          "consequences, Article 7(2) (demo data)"),
    ("consent_withdrawn", "The person refused admission to this Member State, Article 7(1) (demo data)"),
    ("preference_to_vulnerable", "Places given to survivors of torture referred since, Article 9(2)(c) (demo data)"),
    ("time_limits_beyond_control", "Interview mission cancelled: no access to the country of first asylum "
                                   "(demo data)"),
)


def _state_user(ms: str) -> Principal:
    return Principal(f"scenario-{ms}", f"scenario-{ms.lower()}-admin", ms, frozenset({Role.admin}))


def _state_caseworker(ms: str) -> Principal:
    """The state's caseworker, who records its transmissions to Eurodac (those who write the
    registry's records: ``services.resettlement.may_transmit_to_eurodac``)."""
    return Principal(f"scenario-{ms}-caseworker", f"scenario-{ms.lower()}-caseworker", ms,
                     frozenset({Role.caseworker}))


def _lines(rng: random.Random, figures: tuple[int, int, int]) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for category, places in zip(FIRST_ASYLUM, figures, strict=True):
        if not places:
            continue
        first, second = rng.sample(FIRST_ASYLUM[category][:4] if category == "resettlement" else FIRST_ASYLUM[category], 2)
        a, b = int(places * 0.4), int(places * 0.25)
        lines += [{"category": category, "first_asylum": first, "places": a},
                  {"category": category, "first_asylum": second, "places": b},
                  {"category": category, "first_asylum": None, "places": places - a - b}]
    return [x for x in lines if x["places"]]


def _between(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _person(rng: random.Random, plan: dict[str, object], line: dict[str, object], ms: str, n: int,
            end: date, registration_rng: random.Random) -> dict[str, object]:
    """One person referred under ``plan`` on a day of the plan's years up to the world's end. Under
    a plan whose years are over by the world's end every person has their decision, taken within
    the plan's years, and every person admitted has arrived (possibly after the plan's last day):
    the plan is then closed as it would be once its cases are done. Under a running plan a person
    may still be pending, some beyond the procedure's maximum duration. The registration's day
    (and whether a pending person is registered yet) is drawn from ``registration_rng``, two
    draws a person, so that ``rng``'s draws are unchanged by it."""
    starts, ends = plan["starts_on"], plan["ends_on"]
    assert isinstance(starts, date) and isinstance(ends, date)
    over = ends < end
    last = min(ends, end)
    category = str(line["category"])
    where = str(line["first_asylum"] or rng.choice(FIRST_ASYLUM[category]))
    referred = _between(rng, starts, last - timedelta(days=40))
    procedure = "expedited" if category == "emergency_admission" else "ordinary"
    registered = referred + timedelta(days=registration_rng.randint(*REGISTRATION_DAYS))
    not_yet = registration_rng.random() < NOT_REGISTERED_YET
    data: dict[str, object] = {
        "case_reference": f"{ms}-RST-{plan['first_year']}-{n:05d}", "nationality": rng.choice(NATIONALITIES[where]),
        "first_asylum": where, "category": category, "procedure": procedure, "referred_on": referred,
        "registered_on": registered}
    roll = rng.random()
    longest = 250 if procedure == "ordinary" else 100
    if over:  # decided within the plan's years
        longest = max(40, min(longest, (ends - referred).days))
    decided = referred + timedelta(days=rng.randint(40, longest))
    if not over and (roll < 0.06 or decided > last):  # still pending at the world's end
        if not_yet:
            del data["registered_on"]
        return data
    if roll < 0.09:
        if plan["kind"] == "union_plan":  # a ground of Art. 6 of the Regulation
            # one draw, as many as the irregular-stay date it replaces took: the world's other figures stay put
            data.update(decision="refused", decided_on=decided,
                        refusal_ground=ART6_GROUNDS[rng.randint(200, 1500) % len(ART6_GROUNDS)])
        else:  # a pledging exercise ran under national programmes
            data.update(decision="refused", decided_on=decided, refusal_ground="other",
                        refusal_reason="Refused under the national programme's criteria (demo data)")
        return data
    data.update(decision="admitted", decided_on=decided)
    arrived = decided + timedelta(days=rng.randint(20, 90))
    if arrived <= end:
        data["arrived_on"] = arrived
    return data


def _extension(rng: random.Random, plan: dict[str, object], data: dict[str, object], ms: str, end: date) -> None:
    """DEMO: the three months' extension of an ordinary procedure under a Union Plan (Art 9(9),
    second sentence), decided while the seven months run, before the decision. Three draws a
    person, whatever the case, so the draws of the other persons do not move."""
    draw, where, reason = rng.random(), rng.random(), rng.choice(EXTENSION_REASONS)
    registered, decided = data.get("registered_on"), data.get("decided_on")
    if plan["kind"] != "union_plan" or data["procedure"] != "ordinary" or not isinstance(registered, date):
        return
    runs_until = decided if isinstance(decided, date) else end
    if (runs_until - registered).days <= EXTENSION_AFTER_DAYS or draw >= EXTENDED_SHARE:
        return
    seven = add_period(registered, 7, "months", ms)
    assert isinstance(seven, date)
    # a day after the five months, while the seven run, before the decision (or the world's end)
    lo, hi = registered + timedelta(days=EXTENSION_AFTER_DAYS), min(seven, runs_until - timedelta(days=1))
    if hi < lo:
        return
    data.update(extended_on=lo + timedelta(days=int(where * (hi - lo).days)), extension_reason=reason)


def _discontinue(rng: random.Random, plan: dict[str, object], case: dict[str, object], ms: str, end: date,
                 services: Services) -> dict[str, object]:
    """DEMO: a procedure still pending under a Union Plan at the world's end, discontinued by the
    state (Art 9(11)) on a day after its registration (or referral) and any extension. Three draws
    a person, whatever the case."""
    draw, which, when = rng.random(), rng.randrange(len(DISCONTINUATIONS)), rng.random()
    if plan["kind"] != "union_plan" or case["decision"] is not None or draw >= DISCONTINUED_SHARE:
        return case
    ground, reason = DISCONTINUATIONS[which]
    if ground == "time_limits_beyond_control" and case["registered_on"] is None:
        ground, reason = DISCONTINUATIONS[0]  # the time limits run from the registration
    since = max(d for d in (case["referred_on"], case["registered_on"], case["extended_on"]) if isinstance(d, date))
    on = since + timedelta(days=int(when * (end - since).days))  # between then and the world's end
    return resettlement.discontinue_admission(services, _state_user(ms), str(case["id"]),
                                              AdmissionDiscontinuation.model_validate(
        {"version": case["version"], "discontinued_on": on, "ground": ground, "reason": reason}))


#: DEMO: after a positive conclusion under a Union Plan, the share of persons admitted whose status
#: the state has recorded (Art 9(15)-(18)), drawn by category with the weights below; the share of
#: those admitted and not arrived who withdraw their consent before entering (Art 7(1), 9(11)); and
#: the share of discontinuations and refusals for which the state records whether UNHCR was given
#: the reason (Art 9(11), third subparagraph, 9(13), second subparagraph).
STATUS_RECORDED_SHARE = 0.8
STATUS_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    "resettlement": (("refugee_status", 0.8), ("subsidiary_protection", 0.12), ("family_member_residence_permit", 0.08)),
    "humanitarian_admission": (("national_humanitarian_status", 0.55), ("subsidiary_protection", 0.25),
                               ("refugee_status", 0.12), ("family_member_residence_permit", 0.08)),
    "emergency_admission": (("refugee_status", 0.85), ("subsidiary_protection", 0.15)),
}
CONSENT_WITHDRAWN_SHARE = 0.12
CONSENT_WITHDRAWN_REASONS = (
    "The person told the liaison officer they no longer wish to travel to this Member State, Article 7(1) (demo data)",
    "The person refused the travel arranged and left the country of first asylum (demo data)",
)
UNHCR_RECORDED_SHARE = 0.7
UNHCR_OUTCOMES = (("informed", 0.75), ("not_necessary", 0.2), ("public_interest", 0.05))


def _weighted(x: float, weights: tuple[tuple[str, float], ...]) -> str:
    acc = 0.0
    for code, w in weights:
        acc += w
        if x < acc:
            return code
    return weights[-1][0]


def _after_conclusion(rng: random.Random, plan: dict[str, object], case: dict[str, object], ms: str, end: date,
                      services: Services) -> dict[str, object]:
    """DEMO: what follows a conclusion under a Union Plan, seven draws a person whatever the case (so
    the other streams' figures stay those drawn before): the status granted after a positive
    conclusion (Art 9(15)-(18)), decided between the conclusion and the arrival (or the world's end);
    a withdrawal of consent before the entry (Art 7(1), 9(11)); whether UNHCR was given the reason of
    a discontinuation or refusal (Art 9(11), 9(13)). Returns the case as it then stands."""
    d_status, d_which, d_when, d_consent, d_reason, d_unhcr, d_outcome = (rng.random() for _ in range(7))
    if plan["kind"] != "union_plan":
        return case
    user = _state_user(ms)
    cid, version = str(case["id"]), int(str(case["version"]))
    if case["decision"] == "admitted":
        concluded = case["decided_on"]
        assert isinstance(concluded, date)
        arrived = case["arrived_on"]
        if d_status < STATUS_RECORDED_SHARE:
            last = arrived if isinstance(arrived, date) else end
            on = concluded + timedelta(days=int(d_when * max(0, (min(last, end) - concluded).days)))
            status = _weighted(d_which, STATUS_WEIGHTS[str(case["category"])])
            case = resettlement.update_admission(services, user, cid, AdmissionUpdate.model_validate(
                {"version": version, "status_granted": status, "status_decided_on": on}))
            version = int(str(case["version"]))
        if arrived is None and d_consent < CONSENT_WITHDRAWN_SHARE:
            since = case["status_decided_on"] if isinstance(case["status_decided_on"], date) else concluded
            on = since + timedelta(days=int(d_when * max(0, (end - since).days)))
            case = resettlement.discontinue_admission(services, user, cid, AdmissionDiscontinuation.model_validate(
                {"version": version, "discontinued_on": on, "ground": "consent_withdrawn",
                 "reason": CONSENT_WITHDRAWN_REASONS[int(d_reason * len(CONSENT_WITHDRAWN_REASONS))]}))
            version = int(str(case["version"]))
    if case["unhcr_basis"] is not None and d_unhcr < UNHCR_RECORDED_SHARE:
        ended = case["discontinued_on"] or case["decided_on"]
        assert isinstance(ended, date)
        outcome = _weighted(d_outcome, UNHCR_OUTCOMES)
        informed_on = ended + timedelta(days=int(d_when * min(14, (end - ended).days))) if outcome == "informed" else None
        case = resettlement.update_admission(services, user, cid, AdmissionUpdate.model_validate(
            {"version": version, "unhcr_informed": outcome, "unhcr_informed_on": informed_on}))
    return case


#: DEMO: the transmission to Eurodac after a decision of Art 18(2) of Regulation (EU) 2024/1358 (Art
#: 9(24), from 12 June 2026): about nine in ten recorded, of those about one in eight a child under six
#: (no biometric data), the others transmitted within the 72 hours (by the third day after the
#: decision's day) but about one in ten a few days late.
EURODAC_RECORDED_SHARE = 0.9
EURODAC_UNDER_SIX_SHARE = 0.12
EURODAC_LATE_SHARE = 0.1


def _eurodac(rng: random.Random, case: dict[str, object], ms: str, end: date,
             services: Services) -> dict[str, object]:
    """DEMO: four draws a person whatever the case (a stream of its own, so every other figure stays
    as drawn): whether the transmission is recorded, a child under six, the day within the 72 hours,
    late or not."""
    d_recorded, d_six, d_when, d_late = (rng.random() for _ in range(4))
    clock = case["eurodac"]
    assert isinstance(clock, dict)
    if clock["status"] not in ("due", "overdue") or d_recorded >= EURODAC_RECORDED_SHARE:
        return case
    body: dict[str, object] = {"version": case["version"]}
    if d_six < EURODAC_UNDER_SIX_SHARE:
        body["eurodac_under_six"] = True
    else:
        decided = clock["decision_on"]
        assert isinstance(decided, date)
        days = 4 + int(d_when * 8) if d_late < EURODAC_LATE_SHARE else int(d_when * 4)
        on = min(decided + timedelta(days=days), end)
        body["eurodac_transmitted_on"] = on
    return resettlement.update_admission(services, _state_caseworker(ms), str(case["id"]),
                                         AdmissionUpdate.model_validate(body))


#: DEMO: the transmission for comparison before the conclusion (Art 18(1) of Regulation (EU)
#: 2024/1358, from 12 June 2026): about nine in ten of the persons registered under the Union Plan
#: whose transmission is due or overdue have it recorded, a few days after the registration and before
#: the conclusion, about one in twenty after it (late); about a third of the refusals so recorded were
#: concluded without a comparison (the exception of Art 18(1), second sentence).
COMPARISON_RECORDED_SHARE = 0.9
COMPARISON_LATE_SHARE = 0.05
COMPARISON_NOT_NEEDED_SHARE = 0.33
COMPARISON_APPLIES_FROM = date(2026, 6, 12)


def _eurodac_comparison(rng: random.Random, case: dict[str, object], ms: str, end: date,
                        services: Services) -> None:
    """DEMO: four draws a person whatever the case (a stream of its own, ``resettlement:eurodac_comparison``,
    so every other figure stays as drawn): whether recorded, the days after the registration, late or
    not, and for a refusal whether it needed no comparison."""
    d_recorded, d_when, d_late, d_waived = (rng.random() for _ in range(4))
    clock = case["eurodac_comparison"]
    assert isinstance(clock, dict)
    if clock["status"] not in ("due", "overdue") or d_recorded >= COMPARISON_RECORDED_SHARE:
        return
    body: dict[str, object] = {"version": case["version"]}
    registered, concluded = clock["registered_on"], clock["conclusion_on"]
    assert isinstance(registered, date)
    if case["decision"] == "refused" and d_waived < COMPARISON_NOT_NEEDED_SHARE:
        body["eurodac_comparison_not_needed"] = True
    else:
        # not before 12 June 2026, when Art 18(1) began to apply
        on = max(registered + timedelta(days=int(d_when * 10)), COMPARISON_APPLIES_FROM)
        if isinstance(concluded, date):
            on = (concluded + timedelta(days=1 + int(d_when * 5)) if d_late < COMPARISON_LATE_SHARE
                  else min(on, concluded))
        body["eurodac_compared_on"] = min(on, end)
    resettlement.update_admission(services, _state_caseworker(ms), str(case["id"]),
                                  AdmissionUpdate.model_validate(body))


#: DEMO: persons admitted early in the Union Plan whose travel is delayed (exit formalities in the
#: country of first asylum, Art 9(21)): referred, registered and concluded on positively in January
#: 2026, not arrived, so that the twelve months of Art 9(20) end within weeks of the world's end.
#: Added persons (they take a place each), drawn from the ``resettlement:after_conclusion`` stream
#: after every other person, so the figures drawn before stay those of the other persons.
DELAYED_TRAVEL = (("DE", "TUR"), ("FR", "JOR"), ("IT", "LBN"))


def _delayed_travel(rng: random.Random, plan: dict[str, object], end: date, services: Services) -> None:
    """DEMO: :data:`DELAYED_TRAVEL`'s persons, each from a country of the state's resettlement pledge
    (the one named first), once the plan has run ten months by the world's end."""
    starts = plan["starts_on"]
    assert isinstance(starts, date)
    if plan["kind"] != "union_plan" or end < starts + timedelta(days=300):
        return
    for n, (ms, where) in enumerate(DELAYED_TRAVEL, start=1):
        pledge = resettlement.state_view(services, SYSTEM, ms, str(plan["key"]))["pledge"] or {"lines": []}
        where = next((str(line["first_asylum"]) for line in pledge["lines"]
                      if line["category"] == "resettlement" and line["first_asylum"] in NATIONALITIES), where)
        referred = starts + timedelta(days=3 + rng.randrange(3))
        decided = referred + timedelta(days=8 + rng.randrange(12))
        resettlement.record_admission(services, _state_user(ms), str(plan["key"]), AdmissionIn.model_validate({
            "case_reference": f"{ms}-RST-{plan['first_year']}-T{n:02d}", "nationality": NATIONALITIES[where][0],
            "first_asylum": where, "category": "resettlement", "procedure": "ordinary", "referred_on": referred,
            "registered_on": referred + timedelta(days=2), "decision": "admitted", "decided_on": decided}))


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("resettlement")
    registration_rng = ctx.step_rng("resettlement:registration")
    ctx.at(datetime(ctx.end.year, ctx.end.month, ctx.end.day, 12, tzinfo=UTC))
    services = ctx.services
    extension_rng = ctx.step_rng("resettlement:extension")
    discontinuation_rng = ctx.step_rng("resettlement:discontinuation")
    after_rng = ctx.step_rng("resettlement:after_conclusion")
    eurodac_rng = ctx.step_rng("resettlement:eurodac")
    comparison_rng = ctx.step_rng("resettlement:eurodac_comparison")
    resettlement.load(services, SYSTEM)
    for p in resettlement.list_plans(services, SYSTEM):
        targets = DEMO_TARGETS.get(p["key"])
        if targets and p["status"] == "open" and not p["first_asylum_countries"]:
            resettlement.amend_plan(services, SYSTEM, p["key"], PlanAmend(
                version=p["version"], first_asylum_countries=list(targets),
                reason="DEMO DATA: the countries of first asylum targeted (Art 8(3)(c)) are not in Pactum's "
                       "sources; invented for the demonstration, the plan's totals unchanged"))
    plans = {p["key"]: p for p in resettlement.list_plans(services, SYSTEM)}
    todo: list[tuple[str, str, dict[str, object]]] = []
    for key, pledges in DEMO_PLEDGES.items():
        if key not in plans or plans[key]["status"] != "open":
            continue
        for ms, figures in pledges.items():
            lines = _lines(rng, figures)
            current = resettlement.state_view(services, SYSTEM, ms, key)["pledge"]
            resettlement.set_pledge(services, _state_user(ms), key, ms, PledgeIn.model_validate(
                {"lines": lines, "version": current["version"] if current else None}))
            for line in lines:
                places = int(str(line["places"]))
                expected = places * FILL[key] * DEMO_FRACTION * ctx.scale
                n = int(expected) + (rng.random() < expected - int(expected))
                if plans[key]["starts_on"] <= ctx.end - timedelta(days=40):  # persons referred under it by now
                    todo += [(key, ms, line)] * min(n, places)
    with ctx.progress("Resettlement: pledges and admissions (demo data)", len(todo)) as advance:
        for counter, (key, ms, line) in enumerate(todo, start=1):
            data = _person(rng, plans[key], line, ms, counter, ctx.end, registration_rng)
            _extension(extension_rng, plans[key], data, ms, ctx.end)
            case = resettlement.record_admission(services, _state_user(ms), key, AdmissionIn.model_validate(data))
            case = _discontinue(discontinuation_rng, plans[key], case, ms, ctx.end, services)
            case = _after_conclusion(after_rng, plans[key], case, ms, ctx.end, services)
            case = _eurodac(eurodac_rng, case, ms, ctx.end, services)
            _eurodac_comparison(comparison_rng, case, ms, ctx.end, services)
            advance(1)
    for key in DEMO_PLEDGES:
        if key in plans and plans[key]["status"] == "open":
            _delayed_travel(after_rng, plans[key], ctx.end, services)
    # a plan whose years are over and whose cases are all decided, the persons admitted arrived, is
    # closed (as the Commission would close it); one with a case still open is left open
    for key, plan in plans.items():
        if plan["status"] != "open" or not plan["ends_on"] < ctx.end:
            continue
        view = resettlement.get_plan(services, SYSTEM, key)["progress"]["total"]
        pending = sum(resettlement.state_view(services, SYSTEM, ms, key)["case_counts"].get("pending", 0)
                      for ms in DEMO_PLEDGES.get(key, {}))
        if pending == 0 and view["arrived"] == view["admitted"]:
            resettlement.close_plan(services, SYSTEM, key, PlanClose(version=int(str(plan["version"]))))


STEP = Step(name="resettlement", order=70, build=build,
            description="resettlement plans (real totals) with DEMO pledges and admissions")
