"""Asylum applications in the demo world, carried through the whole workflow.

Persons registered by the registry step apply for asylum (most people arriving irregularly do;
those met inside the territory applied there). Each application is made through
:mod:`pactum.services.procedures`, so it is routed by the real rules on the real recognition rates,
then registered, lodged, interviewed, drafted, reviewed by a second officer, decided, notified and
sometimes appealed, every act on its own day with the world's clock set to it. The acts of one day
go through one ``procedures.case_batch`` (one unit of work per day): each is checked, recorded and
audited exactly as the single-act service functions do it. Whether a decision
is positive is drawn with the nationality's EU recognition rate from the shipped UNHCR data, so the
demo world reproduces the real spread (Syrians and Afghans mostly protected, Bangladeshis mostly
rejected). A negative decision in the border procedure is mostly issued together with a return
decision (the Romanian pilot practice the Commission's letter describes). The application of a
person who moved on from a state of arrival (``dublin_pairs``: the responsibility step makes a
Dublin case for it) is not examined while the Dublin procedure may name another state: its
examination is held back after lodging (no interview, no decision) and the responsibility step
releases it (``resume``) once its requests have run, or closes it as transferred on the day of the
transfer.

Refusals of entry at the external border (counted in the border procedure's capacity) are
synthetic: no Eurostat refusal series (``migr_eirfs``) is in ``../shared/data``, so the demo world
refuses about three persons for every ten arrivals it registers, at the same state's border in the
same weeks, with the arrivals' nationality mix and the reason letters weighted as below.

The rates and delays below are those of the demo world, stated here; they are not legal numbers
and decide nothing about a person.
"""

from __future__ import annotations

import contextlib
import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.common.routes import SEA_ROUTES
from pactum.common.states import EU_MEMBER_STATES, state
from pactum.law import param, regime_for
from pactum.law.regimes import cutover, procedures_regime
from pactum.law.tree import history
from pactum.procedures.recognition import DecisionStat, eu_recognition_rate, reference_year
from pactum.procedures.refusals import BorderType, RefusalCreate
from pactum.procedures.statistics import shipped_statistics
from pactum.procedures.workflow import (
    IMPLICIT_WITHDRAWAL_GROUNDS,
    INADMISSIBILITY_GROUNDS,
    INTERVIEW_OMISSION_GROUNDS,
    suspension_ref,
)
from pactum.returns.rules import P_RBPR_VD_MAX
from pactum.scenario.steps.registry import OVERSEAS_PERSONS
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import procedures
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.awareness.analytics import minor_age
from pactum.services.procedures import ApplicationCreate, CaseBatch

P_APPLY_AT_BORDER = 0.8  # arrivals who apply for international protection
P_APPLY_INSIDE = 0.9  # persons met inside the territory after moving on, who apply there
P_MISLED = 0.05
P_SECURITY = 0.01
P_IMPLICIT_WITHDRAWAL = 0.03
#: applicants who withdraw their application on their own initiative after lodging it (APR Art 40;
#: Directive 2013/32/EU Art 27): a demo assumption, drawn from its own random stream
P_EXPLICIT_WITHDRAWAL = 0.02
#: the share of border cases under the APR that leave the border procedure after lodging on relevant
#: medical reasons found then (Art 53(2)(d)): the applicant enters, the examination goes on outside it
P_LEAVE_BORDER = 0.08
#: the decision on a withdrawal that closes the case, per regime (``workflow.WITHDRAWAL_DECISIONS``)
CLOSING_WITHDRAWAL = {"pact": "declare_withdrawn", "pre_pact": "discontinue"}
P_APPEAL_OF_NEGATIVE = 0.45
P_APPEAL_GRANTED = 0.15
P_RETURN_WITH_NEGATIVE = {"border": 0.8, "accelerated": 0.5, "regular": 0.3, "admissibility": 0.3}
P_REFUSAL_PER_ARRIVAL = 0.3  # demo assumption (no refusal series in the shared data)
P_REFUSAL_AT_AIRPORT = 0.25
REFUSAL_REASONS = {"C": 0.34, "E": 0.2, "G": 0.1, "A": 0.1, "H": 0.09, "F": 0.06, "B": 0.04,
                   "D": 0.03, "I": 0.04}  # the form's letters A to I
CONTEXT_OF_KIND = {
    "sar_disembarkation": "sar_disembarkation",
    "irregular_crossing": "apprehended_at_external_border",
    "border_crossing_point_application": "border_crossing_point",
    "in_territory_application": "in_territory",
    "illegal_stay": "in_territory",
}
LANGUAGES = {"AFG": "Dari", "SYR": "Arabic", "BGD": "Bengali", "PAK": "Urdu", "TUR": "Turkish",
             "ERI": "Tigrinya", "SOM": "Somali", "IRQ": "Arabic", "EGY": "Arabic", "TUN": "Arabic",
             "MAR": "Arabic", "DZA": "Arabic", "GIN": "French", "CIV": "French", "MLI": "French",
             "SEN": "French", "NGA": "English", "GMB": "English", "IRN": "Farsi", "UKR": "Ukrainian",
             "GEO": "Georgian", "COL": "Spanish", "VEN": "Spanish", "SDN": "Arabic"}


#: The court or tribunal each demo state's decisions are appealed to, as its administrator would set
#: it (``services.appeal_bodies``; the decision notice names it). The bodies are the first-instance
#: bodies competent for asylum appeals in these states; the national provision is given only where
#: it is known with confidence, otherwise left empty (the notice then names the body without it),
#: and how an appeal is lodged in detail only where it is known. The addresses are illustrative, not
#: sourced: each says where the competent body is found, not a street. The other states of the demo
#: world (HU, LT, RO, ...) set none: their notices explain the remedy in general terms.
DEMO_APPEAL_BODIES: dict[str, dict[str, str | None]] = {
    "IT": {"name": "Tribunale ordinario – sezione specializzata in materia di immigrazione, protezione "
                   "internazionale e libera circolazione dei cittadini dell'Unione europea",
           "address": "The specialised section of the Tribunale ordinario at the seat of the court of appeal of the "
                      "district where the deciding Territorial Commission sits (illustrative: demo world, no "
                      "street address)",
           "how_to_lodge": "By an appeal (ricorso) filed with the court through a lawyer, within the time limit this "
                           "notice states; legal aid may be requested.",
           "national_law": "Decreto legislativo 28 gennaio 2008, n. 25, artt. 35 e 35-bis"},
    "EL": {"name": "Independent Appeals Committees of the Appeals Authority (Αρχή Προσφυγών)",
           "address": "Appeals Authority, Athens (illustrative: demo world, no street address)",
           "how_to_lodge": "By a written appeal to the Appeals Authority, within the time limit this notice states.",
           "national_law": None},
    "DE": {"name": "Verwaltungsgericht (administrative court)",
           "address": "The Verwaltungsgericht in whose district the applicant is required to reside (illustrative: "
                      "demo world, no street address)",
           "how_to_lodge": "By an action (Klage) filed in writing or recorded by the court's registry, within the time "
                           "limit this notice states.",
           "national_law": "§ 74 Asylgesetz (AsylG)"},
    "AT": {"name": "Bundesverwaltungsgericht (Federal Administrative Court)",
           "address": "Bundesverwaltungsgericht, Vienna (illustrative: demo world, no street address)",
           "how_to_lodge": "By a complaint (Beschwerde) lodged in writing with the Federal Office for Immigration and "
                           "Asylum, which forwards it to the court, within the time limit this notice states.",
           "national_law": "§ 7 Abs. 1 Z 1 BFA-Verfahrensgesetz (BFA-VG)"},
    "FR": {"name": "Cour nationale du droit d'asile (CNDA)",
           "address": "Cour nationale du droit d'asile, Montreuil (illustrative: demo world, no street address)",
           "how_to_lodge": "By a written appeal (recours) in French, with a copy of the decision, within the time "
                           "limit this notice states; legal aid may be requested.",
           "national_law": None},
    **{ms: {"name": name, "address": f"{where} (illustrative: demo world, no street address)",
            "how_to_lodge": "By a written appeal, within the time limit this notice states.", "national_law": None}
       for ms, name, where in (
           ("ES", "Audiencia Nacional – Sala de lo Contencioso-Administrativo", "Audiencia Nacional, Madrid"),
           ("MT", "International Protection Appeals Tribunal", "International Protection Appeals Tribunal, Malta"),
           ("CY", "International Protection Administrative Court", "International Protection Administrative Court, "
                                                                   "Nicosia"),
           ("BG", "Административен съд (administrative court)", "The administrative court of the applicant's "
                                                                "address"),
           ("NL", "Rechtbank (district court), immigration chamber", "The district court that hears the appeal"),
           ("BE", "Conseil du contentieux des étrangers / Raad voor Vreemdelingenbetwistingen", "Brussels"),
           ("SE", "Migrationsdomstol (migration court at the administrative court)", "The migration court competent "
                                                                                     "for the deciding office"),
           ("FI", "Hallinto-oikeus (administrative court)", "The administrative court competent for the deciding "
                                                            "office"),
           ("HR", "Upravni sud (administrative court)", "The administrative court competent for the applicant"),
           ("SI", "Upravno sodišče (Administrative Court)", "Ljubljana"),
           ("EE", "Halduskohus (administrative court)", "The administrative court competent for the applicant"),
           ("LV", "Administratīvā rajona tiesa (District Administrative Court)", "The court's seat competent for "
                                                                                 "the applicant"),
           ("PL", "Rada do Spraw Uchodźców (Refugee Board)", "Warsaw"))},
}


def _demo_appeal_bodies(ctx: ScenarioContext) -> None:
    """Each demo state of ``DEMO_APPEAL_BODIES`` sets its court or tribunal as its administrator
    does (audited), so the decision notices of its cases name it."""
    from pactum.services import appeal_bodies

    for ms, body in DEMO_APPEAL_BODIES.items():
        admin = Principal(f"scenario-admin-{ms}", f"scenario-{ms.lower()}-admin", ms, frozenset({Role.admin}))
        current = appeal_bodies.find(ctx.services, admin, ms)
        appeal_bodies.set_body(ctx.services, admin, ms,
                               {**body, "version": current["version"] if current else None})


@dataclass(order=True)
class Act:
    on: date
    seq: int
    run: Callable[[CaseBatch], None] = field(compare=False)


@dataclass(frozen=True)
class Held:
    """The examination of a lodged application the demo world holds back until the Dublin procedure
    of the person in the case's state has ended with that state responsible (``resume``): from the
    scheduling of the interview on (or the draft of an implicit withdrawal)."""

    person_id: str
    member_state: str
    on: date
    """the day the held step would have been taken"""
    since: date
    """the day the case reached this point (its last act: the lodging)"""
    run: Callable[[CaseBatch], None]


class _Plan:
    def __init__(self, root: _Plan | None = None) -> None:
        self.root = root
        """the plan whose queue this one's acts join (a branch: cases drawn from streams of their own)"""
        self.queue: list[Act] = root.queue if root else []
        self.seq = 0
        self.versions: dict[str, int] = root.versions if root else {}
        """Each case's version on file (the officer acts on the version they last saw)."""
        self.awaiting_dublin: dict[str, str] = {}
        """case id -> person id: applications whose decision waits for the Dublin procedure"""
        self.held: dict[str, Held] = {}
        """case id -> the decision held back until ``resume`` releases it"""
        self.withdrawals = random.Random()
        """the stream that picks the applicants who withdraw (seeded by ``build``), apart from the
        step's own so that the rest of the world is drawn as before"""
        self.leave_border = random.Random()
        """the stream that picks the border cases that leave the border procedure (seeded by
        ``build``), apart from the others for the same reason"""
        self.languages: dict[str, str] = LANGUAGES
        """the language of the interview by nationality (English for one not listed)"""

    def at(self, on: date, fn: Callable[[CaseBatch], None]) -> None:
        if self.root is not None:
            self.root.at(on, fn)
            return
        self.seq += 1
        heapq.heappush(self.queue, Act(on, self.seq, fn))

    def decide_at(self, c: dict[str, Any], on: date, today: date, fn: Callable[[CaseBatch], None]) -> None:
        """Plan the next step of the examination (the interview's scheduling after lodging, the
        draft of an implicit withdrawal), or hold it while the person's Dublin procedure may make
        another state responsible (the state does not decide meanwhile: Dublin III Art 3(1); AMMR
        Art 16(1)); the examination is not carried on for an applicant who may be transferred, so
        nothing is done on a case after its applicant's transfer (``resume`` closes it that day)."""
        person = self.awaiting_dublin.get(c["id"])
        if person is None:
            self.at(on, fn)
        else:
            self.held[c["id"]] = Held(person, c["member_state"], on, today, fn)


def dublin_pairs(persons: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The persons who moved on (met inside a state, no route) after an arrival of the same
    nationality registered just before them at an external border, with that arrival: the
    responsibility step's Dublin cases are made for these second persons' applications."""
    return [(persons[i - 1], p) for i, p in enumerate(persons)
            if i and p.get("route") is None and persons[i - 1].get("route") is not None
            and persons[i - 1].get("nationality") == p.get("nationality")]


def _caseworker(ms: str) -> Principal:
    return Principal(f"scenario-asylum-{ms}", f"{ms.lower()}-caseworker", ms,
                     frozenset({Role.caseworker}))


def _reviewer(ms: str) -> Principal:
    return Principal(f"scenario-review-{ms}", f"scenario-{ms.lower()}-reviewer", ms,
                     frozenset({Role.caseworker}))


_RATES: dict[tuple[str, int], float] = {}


def _rate(nationality: str, on: date) -> float:
    # the EU rate depends on the day only through its reference year: one computation per year,
    # over the nationality's own statistics (the rate reads no other)
    key = (nationality, reference_year(on))
    if key not in _RATES:
        stats = _stats_by_nationality().get(nationality, ())
        r = eu_recognition_rate(stats, nationality, on, EU_MEMBER_STATES).rate
        _RATES[key] = 0.4 if r is None else r / 100.0  # no data: the EU+ 2022 average (DOMAIN.md §9.2)
    return _RATES[key]


@lru_cache(maxsize=1)
def _stats_by_nationality() -> dict[str, tuple[DecisionStat, ...]]:
    by: dict[str, list[DecisionStat]] = {}
    for s in shipped_statistics():
        by.setdefault(s.nationality, []).append(s)
    return {k: tuple(v) for k, v in by.items()}


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("procedures")
    procedures.seed_reference_data(ctx.services, SYSTEM)
    _demo_appeal_bodies(ctx)
    persons: list[dict[str, Any]] = list(ctx.shared.get("registry.persons", []))
    plan = _Plan()
    plan.withdrawals = ctx.step_rng("procedures.withdrawals")
    plan.leave_border = ctx.step_rng("procedures:leave-border")
    for p in persons:
        kind = str(p.get("kind") or "")
        context = CONTEXT_OF_KIND.get(kind)
        if context is None or p.get("member_state") == "DK" or p.get("member_state") not in EU_MEMBER_STATES:
            continue
        inside = p.get("route") is None
        if rng.random() >= (P_APPLY_INSIDE if inside else P_APPLY_AT_BORDER):
            continue
        at: datetime = p["at"]
        made = at.date() + timedelta(days=rng.randint(0, 3 if not inside else 10))
        plan.at(made, _make(ctx, rng, plan, p, context, made))
    ctx.shared["procedures.cases"] = []
    # the applications of persons who moved on from a state of arrival: their decision waits for
    # the Dublin procedure the responsibility step runs (``resume``)
    ctx.shared["procedures.dublin_candidates"] = {str(second["person_id"]) for _, second in dublin_pairs(persons)}
    _plan_overseas(ctx, plan, list(ctx.shared.get(OVERSEAS_PERSONS, [])))
    reference = procedures.RoutingReference()  # nothing changes the statistics during the build
    ctx.shared["procedures.plan"], ctx.shared["procedures.reference"] = plan, reference
    _run(ctx, plan, reference, "Asylum applications through the workflow (days)")
    _no_right_to_remain(ctx, plan)
    _subsequent_to_delay_removal(ctx, plan)
    _interviews_omitted(ctx, plan)
    _admissibility_interviews_omitted(ctx, plan)
    _examinations_suspended(ctx, plan)
    ctx.at(datetime(ctx.end.year, ctx.end.month, ctx.end.day, 6, 0, tzinfo=UTC))
    _daily_job(ctx)
    _refusals_of_entry(ctx, rng, persons)


def _daily_job(ctx: ScenarioContext) -> None:
    """The world's last morning, as the platform's daily job leaves it: the border cases whose
    procedure ended after their decision was notified wait on the applicant or the court, not on
    that end (``procedures_border_end_passed``)."""
    procedures.border_end_passed_job(ctx.services, ctx.clock.now())


def resume(ctx: ScenarioContext, releases: dict[str, tuple[date, str | None]]) -> int:
    """Carry on the decisions held back for the Dublin procedure (the responsibility step calls
    it once its requests have run): ``releases`` maps a held case to the day from which its state
    is responsible and may decide (``(day, None)``: the examination goes on from then), or to the
    day the applicant was transferred and the Dublin request under which (``(day, request_id)``):
    the case is then closed as transferred that day, not examined further (nothing was done on it
    since its lodging). A held case not in ``releases`` stays undecided (the state
    responsible is another, or the request is still running at the world's end). Returns how
    many cases were released."""
    plan: _Plan | None = ctx.shared.get("procedures.plan")
    if plan is None:
        return 0
    rng = ctx.step_rng("procedures.after_dublin")
    released = 0
    for case_id, held in list(plan.held.items()):
        if case_id not in releases:
            continue
        day, request_id = releases[case_id]
        del plan.held[case_id]
        plan.awaiting_dublin.pop(case_id, None)
        released += 1
        if request_id is None:
            plan.at(max(day, held.on), held.run)
        else:
            plan.at(max(day, held.since), _step(ctx, plan, rng, case_id, held.member_state, "close_transferred",
                                                {"dublin_request_id": request_id}, None))
    _run(ctx, plan, ctx.shared.get("procedures.reference"), "Asylum decisions after the Dublin procedure (days)")
    ctx.at(datetime(ctx.end.year, ctx.end.month, ctx.end.day, 6, 0, tzinfo=UTC))
    _daily_job(ctx)
    return released


def _run(ctx: ScenarioContext, plan: _Plan, reference: procedures.RoutingReference | None,
         label: str) -> None:
    """Run the planned acts day by day up to the world's end (one unit of work per day)."""
    # progress in days of the world's time (how many acts lie ahead is not known in advance)
    first = plan.queue[0].on if plan.queue else ctx.end
    shown = first
    with ctx.progress(label, max(0, (ctx.end - first).days)) as advance:
        while plan.queue:
            day = plan.queue[0].on
            if day >= ctx.end:
                heapq.heappop(plan.queue)
                continue
            advance((day - shown).days)
            shown = day
            # the registry step left the clock at the world's end: each act runs on its own day,
            # the day's acts in the order they were planned (acts planned for the same day by an
            # act of that day come after the others, as they would in the queue)
            ctx.at(datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC))
            with procedures.case_batch(ctx.services, reference) as batch:
                while plan.queue and plan.queue[0].on == day:
                    act = heapq.heappop(plan.queue)
                    # a step the law refuses at that moment (e.g. a late appeal): the case stops
                    # there (a refused act writes nothing; the day's other acts go on)
                    with contextlib.suppress(Conflict, ValidationProblem, NotFound):
                        act.run(batch)


def _refusals_of_entry(ctx: ScenarioContext, rng: random.Random, persons: list[dict[str, Any]]) -> None:
    """Refusals at the border crossing points of the states where arrivals were registered."""
    by_state: dict[str, list[RefusalCreate]] = {}
    codes, weights = list(REFUSAL_REASONS), list(REFUSAL_REASONS.values())
    for p in persons:
        ms, route = p.get("member_state"), p.get("route")
        if route is None or ms == "DK" or ms not in EU_MEMBER_STATES or rng.random() >= P_REFUSAL_PER_ARRIVAL:
            continue
        on = min(p["at"].date() + timedelta(days=rng.randint(-14, 14)), ctx.end - timedelta(days=1))
        air = rng.random() < P_REFUSAL_AT_AIRPORT
        kind: BorderType = "air" if air else "sea" if route in SEA_ROUTES else "land"
        section = ("international airport" if air else
                   f"{'sea port' if kind == 'sea' else 'land crossing point'} ({route} route)")
        reasons = {rng.choices(codes, weights)[0] for _ in range(1 if rng.random() < 0.8 else 2)}
        with contextlib.suppress(ValueError):  # a nationality without a country code (stateless)
            by_state.setdefault(str(ms), []).append(RefusalCreate(
                refused_on=on, border_type=kind, border_section=section,
                nationality=str(p.get("nationality") or ""), reasons=sorted(reasons)))
    for ms, bodies in sorted(by_state.items()):
        procedures.record_refusals(ctx.services, _caseworker(ms), bodies)


def _regime_of(c: dict[str, Any]) -> str:
    """The law of a case as the workflow reads it: by the day it was lodged (APR Art 79(3))."""
    return procedures_regime(date.fromisoformat(c["made_on"]), _day(c.get("lodged_on")),
                             _day(c.get("registered_on"))).regime


def _unaccompanied_minor(p: dict[str, Any], on: date) -> bool:
    """Whether the person arrived unaccompanied (the registry step decides it) and is still a
    minor on ``on``: a 17-year-old who turned 18 before applying applies as an adult."""
    born = p.get("born")
    if not p.get("unaccompanied") or not isinstance(born, date):
        return False
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day)) < minor_age(on)


def _make(ctx: ScenarioContext, rng: random.Random, plan: _Plan, p: dict[str, Any], context: str,
          made: date) -> Callable[[CaseBatch], None]:
    def run(batch: CaseBatch) -> None:
        ms = str(p["member_state"])
        registered = made + timedelta(days=rng.choice((0, 0, 1, 2, 3, 4, 7)))
        body = ApplicationCreate(
            person_id=str(p["person_id"]), made_on=made, context=context,  # type: ignore[arg-type]
            nationality=str(p["nationality"]),
            unaccompanied_minor=_unaccompanied_minor(p, made),
            misled_authorities=rng.random() < P_MISLED, security_threat=rng.random() < P_SECURITY,
            subsequent_application=False, assigned_to=f"{ms.lower()}-caseworker",
            vulnerabilities=["medical_reasons"] if rng.random() < 0.03 else [])
        case = batch.create(_caseworker(ms), body)
        plan.versions[case["id"]] = case["version"]
        if str(p["person_id"]) in ctx.shared.get("procedures.dublin_candidates", ()):
            plan.awaiting_dublin[case["id"]] = str(p["person_id"])
        ctx.shared["procedures.cases"].append(case["id"])
        plan.at(registered, _step(ctx, plan, rng, case["id"], ms, "register",
                                  {"registered_on": registered}, _after_register))
    return run


Next = Callable[[ScenarioContext, _Plan, random.Random, dict[str, Any], date], None]


def _step(ctx: ScenarioContext, plan: _Plan, rng: random.Random, case_id: str, ms: str,
          action: str, payload: dict[str, Any] | Callable[[date], dict[str, Any]], then: Next | None,
          reviewer: bool = False) -> Callable[[CaseBatch], None]:
    """One act on a case. ``payload`` may be computed from the day the act is taken (a step held for
    the Dublin procedure runs later than planned: its days are counted from then)."""
    def run(batch: CaseBatch) -> None:
        who = _reviewer(ms) if reviewer else _caseworker(ms)
        fields = payload(ctx.clock.today()) if callable(payload) else payload
        case = batch.act(who, case_id, action, fields, plan.versions[case_id])
        plan.versions[case_id] = case["version"]
        if then is not None:
            then(ctx, plan, rng, case, ctx.clock.today())
    return run


#: the demo's statements of reasons for a decision that rejects in whole or in part (APR Art 36(2))
REASONS = {
    "subsidiary_protection": "No well-founded fear of persecution for a Convention reason was established; "
                             "a real risk of serious harm on return was (interview record, country information).",
    "rejected_unfounded": "The applicant does not qualify for refugee status or subsidiary protection: the "
                          "account was not substantiated and country information shows no real risk on return.",
    "rejected_manifestly_unfounded": "The applicant raised only issues not relevant to international protection "
                                     "and comes from a country designated safe, with no serious grounds shown "
                                     "for its not being safe in the applicant's circumstances.",
    "safe_third_country": "The applicant can be admitted to a safe third country with which there is a connection "
                          "and there is no ground to consider it not safe for the applicant.",
    "first_country_of_asylum": "The applicant enjoys sufficient protection in a first country of asylum and can "
                               "be readmitted there.",
    "subsequent_application": "The subsequent application presents no new element that significantly increases "
                              "the likelihood of qualifying for international protection.",
}


def _after_register(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                    today: date) -> None:
    # a border case is lodged within the five days of APR Art 51(1) (the border procedure's
    # weeks run from registration; before the Pact the demo keeps the same pace); another within
    # the 21 days of Art 28
    if c.get("procedure") == "border":
        lodged = today + timedelta(days=rng.randint(1, _border_lodging_days(today) - 1))
    else:
        lodged = today + timedelta(days=rng.randint(1, 15))
    plan.at(lodged, _step(ctx, plan, rng, c["id"], c["member_state"], "lodge",
                          {"lodged_on": lodged}, _after_lodge))


def _border_lodging_days(on: date) -> int:
    """The days within which a border case is lodged after registration (APR Art 51(1), parameter
    ``apr.border_procedure.lodging``), as in force on ``on`` or, before the Pact, as it first applied."""
    path = "apr.border_procedure.lodging"
    return int(param(path, on=max(on, history(path).first_from())).value)


def _day(value: Any) -> date | None:
    """A day of a case as the service returns it (ISO text), or None."""
    return date.fromisoformat(str(value)) if value else None


def _after_lodge(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                 today: date) -> None:
    ms = c["member_state"]
    if rng.random() < P_IMPLICIT_WITHDRAWAL:
        on = today + timedelta(days=rng.randint(20, 60))
        plan.decide_at(c, on, today, _step(ctx, plan, rng, c["id"], ms, "draft_decision",
                                                 {"outcome": "implicitly_withdrawn", "reasons": "did not appear"},
                                                 _after_draft))
        return
    if c["id"] not in plan.awaiting_dublin and plan.withdrawals.random() < P_EXPLICIT_WITHDRAWAL:
        # the applicant withdraws in writing; the authority closes the case the same day, with
        # the return decision the APR requires (Art 37)
        on = today + timedelta(days=plan.withdrawals.randint(5, 40))
        # the law of the application: by the day it was lodged (APR Art 79(3)), as the workflow reads it
        decision = CLOSING_WITHDRAWAL[_regime_of(c)]
        plan.at(on, _step(ctx, plan, rng, c["id"], ms, "record_withdrawal",
                          {"withdrawn_on": on, "how": "in_person_in_writing", "decision": decision,
                           "decided_on": on}, None))
        return
    if (c["procedure"] == "border" and _regime_of(c) == "pact" and c["id"] not in plan.awaiting_dublin
            and plan.leave_border.random() < P_LEAVE_BORDER):
        # relevant medical reasons found after lodging (APR Art 53(2)(d)): the border procedure ceases
        # to apply before the interview; the examination goes on outside it (its next steps below)
        left = today + timedelta(days=plan.leave_border.randint(1, 2))
        plan.at(left, _step(ctx, plan, rng, c["id"], ms, "leave_border_procedure",
                            {"left_on": left, "ground": "medical_reasons"}, None))
    fast = c["procedure"] in ("border", "accelerated", "admissibility")
    on = today + timedelta(days=rng.randint(3, 12) if fast else rng.randint(20, 100))
    lang = plan.languages.get(c["nationality"], "English")
    # the examination waits for the Dublin procedure from here (``decide_at``): an applicant
    # transferred to the state responsible is not interviewed here after the transfer
    gap = timedelta(days=rng.randint(2, 10))
    plan.decide_at(c, on, today, _step(ctx, plan, rng, c["id"], ms, "schedule_interview",
                                       lambda day: {"interview_on": day + gap, "language": lang}, _after_schedule))


def _after_schedule(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                    today: date) -> None:
    on = date.fromisoformat(c["last_detail"]["interview_on"])  # the interview just scheduled
    lang = plan.languages.get(c["nationality"], "English")
    plan.at(on, _step(ctx, plan, rng, c["id"], c["member_state"], "hold_interview",
                      {"held_on": on, "interpreter_language": lang}, _after_interview))


def _after_interview(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                     today: date) -> None:
    ms = c["member_state"]
    made = date.fromisoformat(c["made_on"])
    positive = rng.random() < _rate(c["nationality"], made)
    if positive:
        outcome = "refugee_status" if rng.random() < 0.7 else "subsidiary_protection"
        payload: dict[str, Any] = {"outcome": outcome}
        if outcome == "subsidiary_protection":
            payload["reasons"] = REASONS["subsidiary_protection"]
    elif c["procedure"] == "admissibility":
        ground = next((g for g in c["routing_grounds"] if g in (
            "subsequent_application", "first_country_of_asylum", "safe_third_country")),
            "safe_third_country")
        payload = {"outcome": "inadmissible", "inadmissibility_ground": ground, "reasons": REASONS[ground]}
    elif c["procedure"] in ("border", "accelerated") and rng.random() < 0.5:
        payload = {"outcome": "rejected_manifestly_unfounded", "reasons": REASONS["rejected_manifestly_unfounded"]}
    else:
        payload = {"outcome": "rejected_unfounded", "reasons": REASONS["rejected_unfounded"]}
    on = today + timedelta(days=rng.randint(2, 20))
    plan.at(on - timedelta(days=1), _step(ctx, plan, rng, c["id"], ms, "add_evidence",
                                          {"description": "interview record and country information",
                                           "kind": "record"}, None))
    plan.decide_at(c, on, today, _step(ctx, plan, rng, c["id"], ms, "draft_decision", payload, _after_draft))


def _after_draft(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                 today: date) -> None:
    ms = c["member_state"]
    plan.at(today + timedelta(days=rng.randint(0, 3)),
            _step(ctx, plan, rng, c["id"], ms, "submit_for_review", {}, _after_submit))


def _after_submit(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                  today: date) -> None:
    on = today + timedelta(days=rng.randint(1, 8))
    plan.at(on, _step(ctx, plan, rng, c["id"], c["member_state"], "approve", {"decided_on": on},
                      _after_decision, reviewer=True))


def _after_decision(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                    today: date) -> None:
    on = today + timedelta(days=rng.randint(1, 5))
    negative = c["outcome"] not in ("refugee_status", "subsidiary_protection")
    payload: dict[str, Any] = {"notified_on": on}
    # under the APR the return decision is issued with the rejection (Art 37); before it, a state
    # issued it with the decision or later (Directive 2008/115/EC Art 6(6)): demo shares
    if negative and (rng.random() < P_RETURN_WITH_NEGATIVE.get(c["procedure"], 0.3) or _regime_of(c) == "pact"):
        payload["with_return_decision"] = True
        if c["outcome"] != "rejected_manifestly_unfounded":
            periods: tuple[int, ...] = (7, 14, 30)
            if c["procedure"] == "border" and regime_for("returns", on) == "pact":
                # the return border procedure's period has a maximum (the returns rules refuse more)
                longest = param(P_RBPR_VD_MAX, on=on).value
                periods = tuple(d for d in periods if d <= longest)
            payload["voluntary_departure_days"] = rng.choice(periods)
    plan.at(on, _step(ctx, plan, rng, c["id"], c["member_state"], "notify", payload, _after_notify))


def _after_notify(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                  today: date) -> None:
    negative = c["outcome"] not in ("refugee_status", "subsidiary_protection")
    ms = c["member_state"]
    if c["appeal_deadline"] is None:
        # a grant of refugee status is open to no appeal (APR Art 67(1), (2)): final from the next
        # day, as the daily finality job makes it
        on = today + timedelta(days=1)
        plan.at(on, _step(ctx, plan, rng, c["id"], ms, "close", {"on": on}, None))
        return
    deadline = date.fromisoformat(c["appeal_deadline"])
    # 3% of those who appeal are late: the rules refuse a late appeal and it writes nothing, so
    # their decision, like an unappealed one, becomes final the day after the time limit (as the
    # daily finality job makes it)
    if negative and rng.random() < P_APPEAL_OF_NEGATIVE and rng.random() < 0.97:
        on = today + timedelta(days=rng.randint(0, max(0, (deadline - today).days)))
        plan.at(on, _step(ctx, plan, rng, c["id"], ms, "lodge_appeal", {"lodged_on": on}, _after_appeal))
    else:
        on = deadline + timedelta(days=1)
        plan.at(on, _step(ctx, plan, rng, c["id"], ms, "close", {"on": on}, None))


#: Of the appeals that do not suspend by themselves (APR Art 68(3)), the share whose applicant asks
#: the court for leave to remain (Art 68(4)), and the share of those requests the court allows: demo
#: figures, no statistic of them was found.
P_REQUEST_TO_REMAIN = 0.7
P_REMAIN_ALLOWED = 0.35


def _request_to_remain(ctx: ScenarioContext, plan: _Plan, c: dict[str, Any], today: date) -> None:
    """An appeal without automatic suspensive effect: most applicants ask the court for leave to
    remain within days of appealing, and the court decides within a few weeks. Drawn from the case's
    own generator, so the rest of the world does not move, seeded by the world's seed and the case's
    reference (its id is random: two builds of one seed drew different requests)."""
    if c.get("suspensive_effect") is not False:
        return
    rng = random.Random(f"{ctx.seed}:remain:{c['reference']}")
    if rng.random() >= P_REQUEST_TO_REMAIN:
        return
    asked = today + timedelta(days=rng.randint(0, 3))
    decided = asked + timedelta(days=rng.randint(5, 15))
    allowed = rng.random() < P_REMAIN_ALLOWED
    ms = c["member_state"]
    plan.at(asked, _step(ctx, plan, rng, c["id"], ms, "request_to_remain", {"requested_on": asked}, None))
    plan.at(decided, _step(ctx, plan, rng, c["id"], ms, "decide_request_to_remain",
                           {"decided_on": decided, "allowed": allowed}, None))


def _after_appeal(ctx: ScenarioContext, plan: _Plan, rng: random.Random, c: dict[str, Any],
                  today: date) -> None:
    _request_to_remain(ctx, plan, c, today)
    on = today + timedelta(days=rng.randint(40, 200))
    roll = rng.random()
    outcome = ("granted_subsidiary_protection" if roll < P_APPEAL_GRANTED
               else "remitted" if roll < P_APPEAL_GRANTED + 0.05 else "dismissed")
    plan.at(on, _step(ctx, plan, rng, c["id"], c["member_state"], "decide_appeal",
                      {"outcome": outcome, "decided_on": on},
                      _after_lodge if outcome == "remitted" else None))


#: Of the persons met in France's outermost regions (the registry step's ``OVERSEAS_PERSONS``), the
#: share who apply for international protection there, by nationality (others: one in two): demo
#: assumptions. Most Comorians met in Mayotte, and most Brazilians and Guyanese met in French Guiana,
#: are not asylum seekers; most Congolese, Burundians, Rwandans, Somalis, Syrians and Afghans are.
P_APPLY_OVERSEAS = {"COM": 0.2, "MDG": 0.1, "COD": 0.9, "BDI": 0.9, "RWA": 0.9, "SOM": 0.9, "HTI": 0.6,
                    "CUB": 0.7, "DOM": 0.2, "BRA": 0.05, "GUY": 0.1, "SUR": 0.1, "SYR": 0.95, "AFG": 0.95,
                    "VEN": 0.5, "DMA": 0.05, "LCA": 0.05}
#: The days from the encounter to the application made at the prefecture (days of waiting for an
#: appointment at Mayotte's and French Guiana's reception desks), for a person met at a crossing.
OVERSEAS_DAYS_TO_APPLY = {"FR-976": (5, 60), "FR-973": (3, 40)}
#: The interview's language for the nationalities of the overseas arrivals (others: ``LANGUAGES``).
OVERSEAS_LANGUAGES = {"COM": "Comorian (Shinzwani)", "MDG": "Malagasy", "COD": "Lingala", "BDI": "Kirundi",
                      "RWA": "Kinyarwanda", "HTI": "Haitian Creole", "CUB": "Spanish", "DOM": "Spanish",
                      "BRA": "Portuguese", "SUR": "Dutch", "VEN": "Spanish"}


def _plan_overseas(ctx: ScenarioContext, plan: _Plan, persons: list[dict[str, Any]]) -> None:
    """The applications of persons met in France's outermost regions, made at the prefecture of the
    region and handled by French caseworkers through the same workflow. Drawn from streams of their
    own (a branch of ``plan``), so the rest of the world is drawn as before. The application is placed
    in the region by the person's encounter there, so it writes no Eurodac applicant record (the case's
    ``eurodac_outside_scope``): the procedures service applies the registry's rule."""
    rng = ctx.step_rng("procedures:overseas")
    branch = _Plan(root=plan)
    branch.withdrawals = ctx.step_rng("procedures:overseas-withdrawals")
    branch.leave_border = ctx.step_rng("procedures:overseas-leave-border")
    branch.languages = {**LANGUAGES, **OVERSEAS_LANGUAGES}
    for p in persons:
        if rng.random() >= P_APPLY_OVERSEAS.get(str(p["nationality"]), 0.5):
            continue
        # the encounter's day on the region's clock: the application is made on it or after
        low, high = (0, 1) if p["kind"] == "in_territory_application" else OVERSEAS_DAYS_TO_APPLY.get(
            str(p["region"]), (2, 30))
        made = p["local_day"] + timedelta(days=rng.randint(low, high))
        plan.at(made, _make(ctx, rng, branch, p, "in_territory", made))


#: The exceptions to the right to remain during the administrative procedure the demo world records
#: (APR Art 10(3), (4)(b), (4)(c), (5)), each on an undecided case under the Pact's law whose
#: applicant's Dublin procedure does not hold it: (ground, destination kind, destinations (the codes of
#: Member States for a surrender), warrant or request, reason, non-refoulement finding, days after which
#: it is lifted or None). Demo facts.
NO_RIGHT_TO_REMAIN: tuple[tuple[str, str | None, tuple[str, ...], str | None, str, bool, int | None], ...] = (
    ("extradition_or_surrender", "third_country", ("Republic of Serbia", "Republic of North Macedonia"),
     "extradition request of the Ministry of Justice, no. {n}/2026",
     "Extradition requested for the prosecution of migrant smuggling offences committed on the requesting "
     "state's territory (arrest warrant of its competent court). The court of appeal declared the "
     "extradition admissible; the requesting state gave assurances that the applicant will not be removed "
     "to the country of origin while the application is examined.", True, None),
    ("danger_to_public_order_or_national_security", None, (), None,
     "Convicted by final judgment of robbery with violence and sentenced to four years' imprisonment; the "
     "authority finds a present and serious danger to public order. No removal to a third country in "
     "breach of non-refoulement follows: the applicant is not removed to the country of origin while the "
     "application is examined.", True, None),
    ("european_arrest_warrant_surrender", "member_state", ("DE", "AT", "BE"),
     "European arrest warrant {n}/2026 of the competent public prosecutor",
     "Subject to a surrender procedure under a European arrest warrant issued for prosecution for "
     "facilitation of unauthorised entry; the executing judicial authority ordered the surrender.", False, None),
    ("extradition_or_surrender", "third_country", ("Republic of Türkiye", "Republic of Albania"),
     "extradition request of the Ministry of Justice, no. {n}/2026",
     "Extradition requested for the execution of a custodial sentence for forgery of documents; the "
     "competent court found that the extradition will not result in direct or indirect refoulement.", True, 21),
)
#: Why the demo world's lifted exception fell away (APR Art 10(1) applies again).
LIFT_REASON = ("The requesting state withdrew its extradition request (note verbale received by the Ministry "
               "of Justice): the ground of Article 10(4)(b) no longer holds.")
#: The days from a case's last act to the exception recorded on it, and the cases' last act at least
#: this many days before the world's end (so that the lift fits).
NO_RIGHT_TO_REMAIN_ROOM = 35


def _case_rows(ctx: ScenarioContext, where: Any) -> list[Any]:
    """Cases (with the day of their last act) matching ``where``, in the order of their references."""
    from sqlalchemy import func, select

    from pactum.store.tables.procedures import asylum_applications as A
    from pactum.store.tables.procedures import asylum_case_events as E

    last = select(E.c.case_id, func.max(E.c.at).label("last_at")).group_by(E.c.case_id).subquery()
    with ctx.services.engine.connect() as conn:
        return list(conn.execute(
            select(A.c.id, A.c.reference, A.c.member_state, A.c.state, A.c.person_id, A.c.nationality, A.c.made_on,
                   A.c.registered_on, A.c.lodged_on, A.c.outcome, A.c.return_decision_id, A.c.notified_on,
                   last.c.last_at)
            .join(last, last.c.case_id == A.c.id).where(where).order_by(A.c.reference)))


def _on_day(ctx: ScenarioContext, day: date) -> None:
    ctx.at(datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC))


def _play(ctx: ScenarioContext, plan: Any, case_id: str, steps: Any) -> None:
    """Take the steps ``(day, action, payload, user)`` on the case, each on its day, in order; the
    first the workflow refuses (the case moved on meanwhile) ends them, leaving the case where it is."""
    with contextlib.suppress(Conflict, ValidationProblem, NotFound):
        for day, action, payload, who in steps:
            _on_day(ctx, day)
            case = procedures.act(ctx.services, who, case_id, action, payload, plan.versions[case_id])
            plan.versions[case_id] = case["version"]


def _last_day(value: Any) -> date:
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at.date()


def _no_right_to_remain(ctx: ScenarioContext, plan: _Plan) -> None:
    """Record :data:`NO_RIGHT_TO_REMAIN` on a few undecided cases, through the service a caseworker's
    form calls (``procedures.record_no_right_to_remain``), on a day after the case's last act, and lift
    the one whose extradition request is withdrawn (``procedures.lift_no_right_to_remain``). Cases of
    a Dublin procedure the responsibility step will resume are left alone (their next acts would find
    the case's version moved on)."""
    from pactum.store.tables.procedures import asylum_applications as A

    rng = ctx.step_rng("procedures:no-right-to-remain")
    room = timedelta(days=NO_RIGHT_TO_REMAIN_ROOM)
    undecided = ("registered", "lodged", "interview_scheduled", "interview_held")
    rows = [r for r in _case_rows(ctx, A.c.state.in_(undecided) & (A.c.member_state != "FR"))
            if r.id not in plan.held and r.id not in plan.awaiting_dublin
            and _last_day(r.last_at) + room <= ctx.end
            and procedures_regime(r.made_on, r.lodged_on, r.registered_on).regime == "pact"]
    rng.shuffle(rows)
    chosen: list[Any] = []
    for r in rows:  # each in another state, where there are enough
        if len(chosen) < len(NO_RIGHT_TO_REMAIN) and r.member_state not in {c.member_state for c in chosen}:
            chosen.append(r)
    chosen += [r for r in rows if r not in chosen][:len(NO_RIGHT_TO_REMAIN) - len(chosen)]
    for r, (ground, kind, destinations, reference, reason, finding, lift_after) in zip(
            chosen, NO_RIGHT_TO_REMAIN, strict=False):
        ms = r.member_state
        if kind == "member_state":  # surrendered to another Member State, named
            destinations = tuple(state(d).name for d in destinations if d != ms)
        on = _last_day(r.last_at) + timedelta(days=rng.randint(1, 10))
        _on_day(ctx, on)
        with contextlib.suppress(Conflict, ValidationProblem, NotFound):
            case = procedures.record_no_right_to_remain(ctx.services, _caseworker(ms), r.id, procedures.NoRightToRemain(
                version=plan.versions[r.id], ground=ground, destination_kind=kind,
                destination=rng.choice(destinations) if destinations else None,
                reference=reference.format(n=rng.randint(100, 9999)) if reference else None,
                reason=reason, non_refoulement_satisfied=finding))
            plan.versions[r.id] = case["version"]
            if lift_after is not None:
                _on_day(ctx, on + timedelta(days=lift_after))
                case = procedures.lift_no_right_to_remain(ctx.services, _caseworker(ms), r.id, procedures.NoRightToRemainLift(
                    version=case["version"], on=on + timedelta(days=lift_after - 2), reason=LIFT_REASON))
                plan.versions[r.id] = case["version"]


#: The demo world's decisions taken without the personal interview, omitted (APR Art 13(11)): the
#: ground, its facts and the medical finding where the applicant is unfit or unable to be interviewed.
#: A few cases, on undecided applications under the APR after the world's other acts, each drawn from
#: its own stream so the rest of the world is as before.
INTERVIEW_OMISSIONS: tuple[tuple[str, str], ...] = (
    ("positive_decision", "UNHCR mandate refugee certificate, identity documents and a consistent written account "
                          "corroborated by country information: refugee status can be granted on the evidence"),
    ("positive_decision", "recognised as a refugee by UNHCR; family members already granted refugee status on the "
                          "same facts"),
    ("positive_decision", "documented membership of a persecuted group, arrest warrant on file and medical report "
                          "of injuries consistent with the account"),
    ("unfit_or_unable", "severe enduring cognitive impairment after a brain injury, confirmed by the treating "
                        "neurologist"),
    ("unfit_or_unable", "chronic psychotic disorder under long-term in-patient treatment"),
)
#: The days a case needs after its last act for its omission, the applicant's written information
#: (``OMISSION_WRITTEN_DAYS``) and the decision.
OMISSION_ROOM = 25
OMISSION_WRITTEN_DAYS = 14


def _interviews_omitted(ctx: ScenarioContext, plan: _Plan) -> None:
    """Decide a few undecided applications under the APR without the personal interview, omitted
    through the step a caseworker's form takes (``omit_interview``): on ground (a) of APR Art 13(11) a
    grant of refugee status, drafted, approved by a reviewer and notified; on ground (c) after a medical
    professional found the condition enduring, the decision taken after the last day the applicant had
    to submit further information in writing (second subparagraph). Cases of a Dublin procedure, or
    with an exception to the right to remain or a subsequent application, are left alone."""
    from sqlalchemy import select

    from pactum.store.tables.procedures import asylum_applications as A
    from pactum.store.tables.procedures import asylum_case_events as E

    rng = ctx.step_rng("procedures:interview-omitted")
    room = timedelta(days=OMISSION_ROOM)
    with ctx.services.engine.connect() as conn:
        busy = set(conn.execute(select(E.c.case_id).where(
            E.c.event.like("%remain%") | E.c.event.like("%subsequent%"))).scalars())
    rows = [r for r in _case_rows(ctx, A.c.state.in_(("lodged", "interview_scheduled")))
            if r.id not in plan.held and r.id not in plan.awaiting_dublin and r.id not in busy
            and r.lodged_on is not None and _last_day(r.last_at) + room <= ctx.end
            and procedures_regime(r.made_on, r.lodged_on, r.registered_on).regime == "pact"]
    rng.shuffle(rows)
    for r, (ground, reason) in zip(rows, INTERVIEW_OMISSIONS, strict=False):
        ms = r.member_state
        on = _last_day(r.last_at) + timedelta(days=rng.randint(1, 5))
        omission: dict[str, Any] = {"omitted_on": on, "omission_ground": ground, "omission_reason": reason}
        if ground == "positive_decision":
            draft: dict[str, Any] = {"outcome": "refugee_status"}
            drafted = on
        else:
            until = on + timedelta(days=OMISSION_WRITTEN_DAYS)
            omission.update(medical_consulted_on=on - timedelta(days=rng.randint(1, 4)), medical_finding="enduring",
                            written_information_until=until)
            positive = rng.random() < _rate(r.nationality, r.made_on)
            draft = ({"outcome": "refugee_status"} if positive else
                     {"outcome": "rejected_unfounded", "reasons": REASONS["rejected_unfounded"]})
            drafted = until + timedelta(days=1)
        decided = drafted + timedelta(days=rng.randint(1, 3))
        _play(ctx, plan, r.id, (
            (on, "omit_interview", omission, _caseworker(ms)),
            (drafted, "draft_decision", draft, _caseworker(ms)),
            (drafted, "submit_for_review", {}, _caseworker(ms)),
            (decided, "approve", {"decided_on": decided}, _reviewer(ms)),
            (decided + timedelta(days=1), "notify", {"notified_on": decided + timedelta(days=1)}, _caseworker(ms))))
    lodged = [r for r in rows[len(INTERVIEW_OMISSIONS):] if r.state == "lodged"]  # no interview scheduled yet
    for r in lodged[:NOT_ATTENDED_CASES]:
        _interview_not_attended(ctx, plan, rng, r)


#: How many cases of the demo world the applicant did not attend the interview of (APR Art 13(14)).
NOT_ATTENDED_CASES = 1
NOT_ATTENDED_EFFORTS = ("invited in writing twice at the address given at registration, in a language the applicant "
                        "understands, with a telephone reminder the day before each interview; no answer")


def _interview_not_attended(ctx: ScenarioContext, plan: _Plan, rng: random.Random, r: Any) -> None:
    """An applicant who did not attend the personal interview scheduled twice: the absence recorded
    after sufficient efforts (``record_interview_not_attended``, APR Art 13(14)) and the application
    rejected as unfounded on the file, as that article lets the authority decide without the interview."""
    ms, first = r.member_state, _last_day(r.last_at) + timedelta(days=rng.randint(1, 3))
    second = first + timedelta(days=7)
    lang = LANGUAGES.get(r.nationality, "English")
    _play(ctx, plan, r.id, (
        (first - timedelta(days=1), "schedule_interview", {"interview_on": first, "language": lang}, _caseworker(ms)),
        (first + timedelta(days=1), "schedule_interview", {"interview_on": second, "language": lang},
         _caseworker(ms)),
        (second + timedelta(days=1), "record_interview_not_attended",
         {"recorded_on": second + timedelta(days=1), "efforts": NOT_ATTENDED_EFFORTS,
          "no_circumstances_beyond_control": True}, _caseworker(ms)),
        (second + timedelta(days=3), "draft_decision",
         {"outcome": "rejected_unfounded", "reasons": REASONS["rejected_unfounded"]}, _caseworker(ms)),
        (second + timedelta(days=3), "submit_for_review", {}, _caseworker(ms)),
        (second + timedelta(days=5), "approve", {"decided_on": second + timedelta(days=5)}, _reviewer(ms))))


#: The days after a final rejection with a return decision on which the demo world's first
#: subsequent application is made, and how many days before the world's end it is at the latest.
SUBSEQUENT_AFTER_FINAL = (3, 20)
SUBSEQUENT_BEFORE_END = 10


def _subsequent_to_delay_removal(ctx: ScenarioContext, plan: _Plan) -> None:
    """A first subsequent application the determining authority assesses as lodged merely to delay
    the enforcement of the return decision issued with the final rejection of the applicant's first
    application (APR Art 56(a), Art 10(4)(a)): made, registered and lodged, then the assessment
    recorded through ``procedures.record_remain_exception``; its preliminary examination is under
    way at the world's end. One case, under the Pact's law, of a person with no other application."""
    from pactum.store.tables.procedures import asylum_applications as A

    rng = ctx.step_rng("procedures:subsequent")
    negative = ("rejected_unfounded", "rejected_manifestly_unfounded", "inadmissible")
    rows = _case_rows(ctx, (A.c.state == "final") & A.c.outcome.in_(negative) & A.c.return_decision_id.is_not(None)
                      & (A.c.member_state != "FR"))
    first_day = ctx.end - timedelta(days=SUBSEQUENT_BEFORE_END + SUBSEQUENT_AFTER_FINAL[1])
    persons = Counter(r.person_id for r in _case_rows(ctx, A.c.id.is_not(None)))
    rows = [r for r in rows if persons[r.person_id] == 1 and first_day <= _last_day(r.last_at)
            and regime_for("procedures", _last_day(r.last_at)) == "pact"]
    if not rows:
        return
    r = rng.choice(rows)
    ms = r.member_state
    made = _last_day(r.last_at) + timedelta(days=rng.randint(*SUBSEQUENT_AFTER_FINAL))
    made = min(made, ctx.end - timedelta(days=4))
    decision = _return_decision_reference(ctx, r.return_decision_id)
    with contextlib.suppress(Conflict, ValidationProblem, NotFound):
        _on_day(ctx, made)
        case = procedures.create_application(ctx.services, _caseworker(ms), ApplicationCreate(
            person_id=r.person_id, made_on=made, context="in_territory", nationality=r.nationality,
            subsequent_application=True, assigned_to=f"{ms.lower()}-caseworker"))
        for action, payload, day in (("register", {"registered_on": made}, made),
                                     ("lodge", {"lodged_on": made + timedelta(days=1)}, made + timedelta(days=1))):
            _on_day(ctx, day)
            case = procedures.act(ctx.services, _caseworker(ms), case["id"], action, payload, case["version"])
        _on_day(ctx, made + timedelta(days=2))
        procedures.record_remain_exception(ctx.services, _caseworker(ms), case["id"], procedures.RemainException(
            version=case["version"],
            removal_decision=f"return decision {decision}, issued with the final rejection of {r.reference}",
            reason=(f"Lodged {(made - _last_day(r.last_at)).days} days after the rejection of {r.reference} became "
                    "final, once the applicant was told the return decision would be enforced; it states no new "
                    "element or finding and repeats the account already assessed."),
            non_refoulement_considered=True))


def _quiet_pact_cases(ctx: ScenarioContext, plan: _Plan, room: int) -> list[Any]:
    """Undecided applications without an interview (lodged, or its interview scheduled) that the
    world's acts leave alone from ``room`` days before its end: under the APR, registered after the
    day it applies from (APR Art 79(3); ``regimes.procedures.pact_from``), neither held for a Dublin
    procedure nor with an exception to the right to remain, a subsequent application, an omitted or
    missed interview or a suspension. In the order of their references."""
    from sqlalchemy import select

    from pactum.store.tables.procedures import asylum_applications as A
    from pactum.store.tables.procedures import asylum_case_events as E

    with ctx.services.engine.connect() as conn:
        busy = set(conn.execute(select(E.c.case_id).where(
            E.c.event.like("%remain%") | E.c.event.like("%subsequent%") | E.c.event.like("%interview_omitted%")
            | E.c.event.like("%not_attended%") | E.c.event.like("%suspended%"))).scalars())
    last = ctx.end - timedelta(days=room)
    return [r for r in _case_rows(ctx, A.c.state.in_(("lodged", "interview_scheduled"))
                                  & A.c.interview_omitted_on.is_(None) & A.c.interview_not_attended_on.is_(None)
                                  & A.c.suspended_on.is_(None))
            if r.id not in plan.held and r.id not in plan.awaiting_dublin and r.id not in busy
            and r.lodged_on is not None and r.registered_on is not None and _last_day(r.last_at) <= last
            and procedures_regime(r.made_on, r.lodged_on, r.registered_on).regime == "pact"
            and _after_pact_day(r.registered_on)]


def _after_pact_day(on: date) -> bool:
    """``on`` is after the day the APR applies from (``regimes.procedures.pact_from``)."""
    cut = cutover("procedures", on)
    return cut is not None and on > cut.value


#: The demo world's admissibility interviews omitted because another Member State has granted the
#: applicant international protection (APR Art 13(11)(e), Art 38(1)(c)): what the determining authority
#: holds as its evidence, with the state (``{state}``) and the year (``{year}``) of the grant.
PROTECTED_ELSEWHERE: tuple[str, ...] = (
    "refugee status granted by {state} in {year}: residence permit of a beneficiary of international protection "
    "produced at lodging; {state}'s reply to the request for information confirms the status in force",
    "subsidiary protection granted by {state} in {year}: travel document for beneficiaries of protection issued by "
    "{state}, confirmed in writing by its determining authority",
)
#: The days a case needs after its last act for the omission and the draft that follows it.
ADMISSIBILITY_OMISSION_ROOM = 20
INADMISSIBLE_PROTECTED = INADMISSIBILITY_GROUNDS["pact"]["protection_in_another_member_state"]
OMITTED_PROTECTED = INTERVIEW_OMISSION_GROUNDS["pact"]["protection_in_another_member_state"][1].cite()
#: The written statement of the demo world's subsequent application (APR Art 13(11)(d), Art 55(4)).
WRITTEN_STATEMENT = ("written statement submitted with the application, read with the file of the earlier "
                     "application: it states no new element or finding and repeats the account already assessed")


def _admissibility_interviews_omitted(ctx: ScenarioContext, plan: _Plan) -> None:
    """A few admissibility interviews omitted through the step a caseworker's form takes
    (``omit_interview``). On APR Art 13(11)(e): two first applications under the APR whose applicant
    another Member State protects (the state and the evidence named in the reason; applications made
    inside the territory first, where a beneficiary who moved on would apply); on the first the
    application is then drafted inadmissible on that ground (Art 38(1)(c)) and submitted to the second
    officer, the second waits for its draft. On Art 13(11)(d): the world's first subsequent application
    (``_subsequent_to_delay_removal``), whose preliminary examination (Art 55(4)) is carried out on the
    written statement. Each from a stream of its own: the world's other draws do not move."""
    from sqlalchemy import select

    from pactum.store.tables.procedures import asylum_applications as A

    rng = ctx.step_rng("procedures:admissibility-interview-omitted")
    rows = _quiet_pact_cases(ctx, plan, ADMISSIBILITY_OMISSION_ROOM)
    rows = [r for r in rows if r.state == "lodged"]
    with ctx.services.engine.connect() as conn:
        inside = set(conn.execute(select(A.c.id).where(
            A.c.id.in_([r.id for r in rows]), A.c.context == "in_territory")).scalars()) if rows else set()
    rng.shuffle(rows)
    # a beneficiary of protection who moved on applies inside the territory rather than at the border:
    # those first, where there are any
    rows.sort(key=lambda r: r.id not in inside)
    for n, (r, evidence) in enumerate(zip(rows, PROTECTED_ELSEWHERE, strict=False)):
        ms = r.member_state
        other = rng.choice(sorted(s for s in EU_MEMBER_STATES if s not in (ms, "DK")))
        reason = evidence.format(state=state(other).name, year=r.made_on.year - rng.randint(1, 4))
        on = _last_day(r.last_at) + timedelta(days=rng.randint(1, 5))
        steps: list[tuple[date, str, dict[str, Any], Principal]] = [
            (on, "omit_interview", {"omitted_on": on, "omission_ground": "protection_in_another_member_state",
                                    "omission_reason": reason}, _caseworker(ms))]
        if n == 0:
            drafted = on + timedelta(days=rng.randint(2, 6))
            steps += [(drafted, "draft_decision", {
                "outcome": "inadmissible", "inadmissibility_ground": "protection_in_another_member_state",
                "reasons": f"Another Member State has granted the applicant international protection ({reason}): "
                           f"the application is inadmissible ({INADMISSIBLE_PROTECTED}); the admissibility interview "
                           f"was omitted ({OMITTED_PROTECTED})."}, _caseworker(ms)),
                      (drafted, "submit_for_review", {}, _caseworker(ms))]
        _play(ctx, plan, r.id, steps)
    # the subsequent applications in their preliminary examination (APR Art 55(4)) with no interview
    rows = _case_rows(ctx, (A.c.procedure == "admissibility") & A.c.new_elements_found_on.is_(None)
                      & A.c.interview_omitted_on.is_(None) & A.c.interview_held_on.is_(None)
                      & A.c.state.in_(("lodged", "interview_scheduled")))
    with ctx.services.engine.connect() as conn:
        facts = {r.id: r for r in conn.execute(select(A.c.id, A.c.version, A.c.routing_grounds).where(
            A.c.id.in_([r.id for r in rows])))} if rows else {}
    for r in rows:
        if ("subsequent_application" not in (facts[r.id].routing_grounds or []) or r.lodged_on is None
                or r.registered_on is None or not _after_pact_day(r.registered_on)):
            continue
        on = max(_last_day(r.last_at), r.lodged_on) + timedelta(days=1)
        if on >= ctx.end:
            continue
        _on_day(ctx, on)
        with contextlib.suppress(Conflict, ValidationProblem, NotFound):
            procedures.act(ctx.services, _caseworker(r.member_state), r.id, "omit_interview", {
                "omitted_on": on, "omission_ground": "written_preliminary_examination",
                "omission_reason": WRITTEN_STATEMENT}, facts[r.id].version)


#: The demo world's examinations suspended before a decision declaring the application implicitly
#: withdrawn (APR Art 41(4)): the point of Art 41(1), what the applicant is given to justify or rectify,
#: and how it ends: ``None`` (still suspended at the world's end), ``"justified"`` (the applicant
#: justified it: the examination goes on), ``"lapsed"`` (the time given ended: the implicit withdrawal
#: drafted and submitted to the second officer).
SUSPENSIONS: tuple[tuple[str, str, str | None], ...] = (
    ("reporting_or_unavailable", "missed the weekly reporting at the police headquarters three times in a row and "
                                 "was not found at the reception centre: explain the absences or report again", None),
    ("refused_address", "left the reception centre and has not given the address where they now live: give it, "
                        "or explain why there is none", "justified"),
    ("reporting_or_unavailable", "no longer at the address given and not reachable by telephone or in writing: "
                                 "contact the determining authority and state where they can be reached", "lapsed"),
)
#: The days the applicant is given to justify or rectify (a demo figure: the text sets none).
SUSPENSION_DAYS = 15
#: The days a case needs after its last act for its suspension, its end and the draft after it.
SUSPENSION_ROOM = 30


def _examinations_suspended(ctx: ScenarioContext, plan: _Plan) -> None:
    """Suspend the examination of a few undecided applications under the APR so that the applicant may
    justify or rectify an omission or action of APR Art 41(1), through the steps a caseworker's form takes
    (``suspend_examination``, ``resume_examination``): :data:`SUSPENSIONS`, each on a case of its own,
    from a stream of its own."""
    rng = ctx.step_rng("procedures:examination-suspended")
    rows = _quiet_pact_cases(ctx, plan, SUSPENSION_ROOM)
    rng.shuffle(rows)
    for r, (ground, to_justify, end) in zip(rows, SUSPENSIONS, strict=False):
        ms, point = r.member_state, IMPLICIT_WITHDRAWAL_GROUNDS[ground][1].cite()
        # the one still suspended at the world's end is suspended in its last days: the time given runs on
        on = (ctx.end - timedelta(days=rng.randint(3, 8)) if end is None
              else _last_day(r.last_at) + timedelta(days=rng.randint(1, 5)))
        until = on + timedelta(days=SUSPENSION_DAYS)
        steps: list[tuple[date, str, dict[str, Any], Principal]] = [
            (on, "suspend_examination", {"suspended_on": on, "implicit_withdrawal_ground": ground,
                                         "to_justify": to_justify, "justify_until": until}, _caseworker(ms))]
        if end == "justified":
            resumed = on + timedelta(days=rng.randint(3, SUSPENSION_DAYS - 1))
            steps.append((resumed, "resume_examination", {"resumed_on": resumed, "justified": True},
                          _caseworker(ms)))
        elif end == "lapsed":
            resumed = until + timedelta(days=rng.randint(1, 3))
            steps += [(resumed, "resume_examination", {"resumed_on": resumed, "justified": False}, _caseworker(ms)),
                      (resumed, "draft_decision", {
                          "outcome": "implicitly_withdrawn",
                          "reasons": (f"The applicant did not justify or rectify by {until.isoformat()} what the "
                                      f"suspension of the examination gave them the opportunity to ({to_justify}): "
                                      f"the application is implicitly withdrawn ({point}; {suspension_ref()})")},
                       _caseworker(ms)),
                      (resumed, "submit_for_review", {}, _caseworker(ms))]
        _play(ctx, plan, r.id, steps)


def _return_decision_reference(ctx: ScenarioContext, decision_id: str) -> str:
    from sqlalchemy import select

    from pactum.store.tables.returns import return_decisions

    with ctx.services.engine.connect() as conn:
        ref = conn.execute(select(return_decisions.c.reference).where(return_decisions.c.id == decision_id)).scalar()
    return str(ref or decision_id)


STEP = Step(name="procedures", order=50, build=build,
            description="Asylum applications routed and carried through interview, decision, "
                        "notification and appeal at the real recognition rates")
