"""Dublin cases in the demo world: people registered at an external border who apply again in a
destination state, the destination's Dublin unit asking the first state to take charge (or, for a
person who had applied there, to take back), and the first state answering, refusing or staying
silent, with re-examinations, transfer decisions, arrangements, transfers and lapses.

The request's kind follows the records. Most persons registered at the border also applied for
asylum there before moving on (procedures step): the Eurodac comparison of their fingerprints in
the destination then also hits the first state's applicant data, recorded like the hit on the
entry (a link to the first state's applicant record), and the case's ``earlier_applications``
holds that application as the facts draft fills it (the first state and the day its applicant
record shows). Such a person is taken back, not taken charge of: under Dublin III a take-back
request (Arts 23-24) on the ground the first state's case shows on the day it is sent (under
examination, Art 18(1)(b); withdrawn, implicitly, Art 18(1)(c); rejected, Art 18(1)(d)); under the
AMMR a take-back notification (Art 41) on the ground that Eurodac indicates the first state
(Art 36(1)(b)), which is confirmed or left unanswered (confirmed by silence), never refused. A
person already granted protection in the first state on that day is no Dublin matter (a
beneficiary is not taken back under either ground; the destination examines admissibility): the
case is recorded and no request is sent. Everyone else is taken charge of, as the entry makes
the first state responsible.

Calibration (DOMAIN.md §9.3, Eurostat 2023): about 16% of applications lead to an outgoing
request and only about 9% of requests end in a transfer. The shares below shape the demo data
(stated here, not legal numbers); every deadline and every outcome of silence comes from the
service layer and :mod:`pactum.law`. Every write goes through
:mod:`pactum.services.responsibility` as the states' Dublin units would make it, with the world's
clock set to the day of the act, so the demo ends with live inboxes at every stage.

The cases agree with the records, as a Dublin unit finds them (the "fill from records" draft,
:func:`pactum.services.responsibility.facts_from_records`, rebuilds them): the step runs after the
asylum applications (procedures step), and a case is made for the person's application in the
destination state on the day it is registered, the date the Dublin clock counts from; a person who
did not apply there, or whose application is not registered by the world's end, has no case. On
that day the Eurodac comparison of the applicant's fingerprints with the stored data hits the
first state's record of the entry (the "Eurodac hit" the request cites): the destination's caseworker enrols the
applicant's template on their applicant record where the registration took none, and the hit is
recorded as a multiple-identity link through the identity service's own search on the first
state's record, which is the search whose scope holds both records (its own record, and another
state's applicant record through Eurodac); a yellow link is verified white by its verifying
authority, as its fingerprint expert confirms the hit. Without a hit (a child whose fingerprints
were not taken and whose names do not match) there is no case. The case's entry is the one the
hit shows: the kind of the first state's Eurodac record (a disembarkation before the Eurodac
recast is recorded as an irregular crossing) on the day it records. Worlds built without the
procedures or identity step (``only=[...]``) keep the encounter in the destination as the day of
registration, and have no hit to record.

A requesting unit that does not ask for the re-examination of a refusal accepts it, which ends the
procedure with the requesting state responsible. The destination decides nothing on the
application while its request runs (Dublin III Art 3(1); AMMR Art 16(1)): the procedures step
holds the examination back after lodging (no interview, no decision), and once every request has
run this step releases it (``procedures.resume``) from the day the destination became responsible,
closes the case as transferred on the day of a transfer (nothing done on it after that day), and
leaves unexamined a case whose Dublin case still names another state at the world's end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from pactum.common.clock import as_utc
from pactum.common.errors import Conflict, ValidationProblem
from pactum.identity.schemas import LinkDecision, TemplateEnrol
from pactum.law import param, time_limit
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.scenario.steps.identity import PERSON_OF, capture_again
from pactum.scenario.steps.procedures import dublin_pairs, resume
from pactum.scenario.steps.registry import DEMO_USERS
from pactum.scenario.steps.solidarity import UNDER_PRESSURE
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import identity, responsibility
from pactum.services.auth import Principal, Role
from pactum.store.tables.identity import biometric_templates, identity_links
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import eurodac_records, identity_records
from pactum.store.tables.responsibility import dublin_cases, dublin_requests

# Demo-world behaviour of the requested states (shares, not legal numbers).
REPLY_SHARES = {"accept": 0.58, "refuse": 0.27, "silence": 0.15}
REEXAMINE_SHARE = 0.5
#: Share of accepted or confirmed requests whose transfer is carried out. Take backs and
#: notifications, most of the demo's requests, are accepted or confirmed far more often than take
#: charges, so about 15% of acceptances gives Eurostat's 9% of requests (with 25%, 18% of the
#: requests ended in a transfer).
TRANSFER_SHARE = 0.15
ABSCOND_SHARE = 0.1
APPEAL_SHARE = 0.15
#: Under the AMMR, a destination that contributes to the 2026 pool puts applications of its last
#: weeks for which a benefitting state is responsible forward for a responsibility offset (Arts 63,
#: 69) rather than asking that state to take charge: no request is sent (the time limit still
#: runs), and the solidarity step takes them over on the world's last day.
OFFSET_WINDOW_DAYS = 55  # within the two months of Art 39(1) at the world's end
#: The states whose Dublin unit has a demo user: the first request the world sends to one of them
#: that can still await its reply at the world's end (sent within its time limit, late enough
#: for the reply period to run past the end) is sent then and left unanswered, so that a demo
#: Dublin unit finds a request to answer in its inbox where the world's calendar allows one.
DEMO_DUBLIN_STATES = frozenset(ms for _, ms, roles, _ in DEMO_USERS if Role.dublin_unit in roles)
#: The time limit of each kind of request, and of its reply (the service's own).
_SEND_LIMIT = {"take_charge": "take_charge_request", "take_back": "take_back_request",
               "take_back_notification": "take_back_notification"}
_REPLY_LIMIT = {"take_charge": "take_charge_reply", "take_back": "take_back_reply",
                "take_back_notification": "take_back_confirmation"}


def _day(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


def _awaiting_day(kind: str, registered_on: date, requesting: str, requested: str, earliest: date,
                  end: date) -> date | None:
    """The day to send a request (with its Eurodac hit on ``registered_on``) that still awaits its
    reply on the world's ``end``: the last day of the request's time limit before the end (the
    reply then runs longest past it), if it is not before ``earliest`` and its reply period runs
    to the end or beyond (None: no such day)."""
    limit = _day(time_limit(_SEND_LIMIT[kind], event_at=registered_on, member_state=requesting,
                            application_registered_on=registered_on, eurodac_hit=True).end)
    day = min(limit, end - timedelta(days=1))
    if day < earliest:
        return None
    due = _day(time_limit(_REPLY_LIMIT[kind], event_at=day, member_state=requested,
                          application_registered_on=registered_on, eurodac_hit=True).end)
    return day if due >= end else None


def _unit(ms: str) -> Principal:
    return Principal(f"scenario-dublin-{ms}", f"scenario-dublin-{ms.lower()}", ms,
                     frozenset({Role.dublin_unit}))


def _moment(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=UTC)


def _entry_kind(kind: str) -> str | None:
    """The entry an encounter of this kind is (the encounter's kind, without the records)."""
    if kind == "sar_disembarkation":
        return "sar_disembarkation"
    if kind in ("irregular_crossing", "border_crossing_point_application"):
        return "irregular_crossing"
    return None


#: The entry the first state's Eurodac record shows, by its category (as the facts draft reads
#: it). A person who applied at a border crossing point has an applicant record: the case keeps
#: the crossing at that point as the entry that makes the first state responsible for the take
#: back (the draft lists that record under ``to_check``: "a take-back may apply").
_ENTRY_OF_CATEGORY = {"irregular_crossing": "irregular_crossing", "sar": "sar_disembarkation",
                      "applicant": "irregular_crossing"}


def _facts(first: dict[str, Any], second: dict[str, Any], registered_on: date,
           entry: tuple[str, date] | None, applicant: tuple[str | None, bool] | None = None,
           earlier_on: date | None = None) -> dict[str, Any]:
    """The case's facts: the application registered in the destination on ``registered_on``, the
    first state's ``entry`` (kind, day) as its record shows it (None: from the encounter), the
    ``applicant`` as the records say (date of birth of the latest identity record, unaccompanied
    minor as the asylum application says; None: a world without applications, from the person),
    and the application made in the first state on ``earlier_on`` (None: none), dated as the facts
    draft dates it (by the first state's applicant record)."""
    facts: dict[str, Any] = {"application": {"registered_in": second["member_state"],
                                             "registered_on": registered_on.isoformat()}}
    if applicant is not None:
        dob, uam = applicant[0] or "", applicant[1]
        facts["applicant"] = {"unaccompanied_minor": uam}
        if len(dob) == 10 and dob < registered_on.isoformat():
            facts["applicant"]["date_of_birth"] = dob
    else:
        dob = str(second.get("dob") or "")
        if len(dob) == 10 and dob < registered_on.isoformat():
            facts["applicant"] = {"date_of_birth": dob, "unaccompanied_minor": bool(second.get("unaccompanied"))
                                  and registered_on.year - int(dob[:4]) < 17}
    kind, on = entry if entry else (_entry_kind(str(first["kind"])), first["at"].date())
    if kind:
        facts["entries"] = [{"kind": kind, "member_state": first["member_state"], "on": on.isoformat()}]
    if earlier_on is not None:
        facts["earlier_applications"] = [{"member_state": first["member_state"],
                                          "registered_on": earlier_on.isoformat()}]
    return facts


@dataclass
class _Records:
    """What the store holds of the pairs' persons when the step starts."""

    applications: dict[str, tuple[date, date | None, bool]] = field(default_factory=dict)
    """person id -> (made on, registered on, unaccompanied minor) of their earliest application in
    their state"""
    date_of_birth: dict[str, str | None] = field(default_factory=dict)
    """person id -> the date of birth of their latest identity record (as the facts draft reads it)"""
    in_eurodac: set[str] = field(default_factory=set)
    """the first states' records with Eurodac data (none below the age of biometrics)"""
    entries: dict[str, tuple[str | None, date]] = field(default_factory=dict)
    """record id -> (category, recorded on) of the first states' records"""
    applicant_records: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    """person id -> their earliest applicant record in their state, and when it was written"""
    with_template: set[str] = field(default_factory=set)
    """of those applicant records, the ones with a biometric template"""
    first_applicant: dict[str, tuple[str, date]] = field(default_factory=dict)
    """first state's person id -> their earliest applicant record there (id, recorded on)"""
    first_application: dict[str, tuple[str | None, date | None]] = field(default_factory=dict)
    """first state's person id -> (outcome, decided on) of their earliest application there"""


def _records(ctx: ScenarioContext, pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> _Records:
    out = _Records()
    persons = [str(second["person_id"]) for _, second in pairs]
    firsts = [str(first["record_id"]) for first, _ in pairs]
    first_persons = [str(first["person_id"]) for first, _ in pairs]
    A, R, T, E = asylum_applications, identity_records, biometric_templates, eurodac_records
    with ctx.services.engine.connect() as conn:
        for row in conn.execute(select(A.c.person_id, A.c.made_on, A.c.registered_on, A.c.unaccompanied_minor)
                                .where(A.c.person_id.in_(persons)).order_by(A.c.made_on.desc(), A.c.id.desc())):
            out.applications[row.person_id] = (row.made_on, row.registered_on,
                                               bool(row.unaccompanied_minor))  # the earliest last
        for born in conn.execute(select(R.c.person_id, R.c.date_of_birth).where(R.c.person_id.in_(persons))
                                 .order_by(R.c.recorded_on, R.c.id)):
            out.date_of_birth[born.person_id] = born.date_of_birth  # the latest last
        out.in_eurodac = set(conn.execute(select(E.c.identity_record_id).where(
            E.c.identity_record_id.in_(firsts))).scalars())
        for entry in conn.execute(select(R.c.id, R.c.category, R.c.recorded_on).where(R.c.id.in_(firsts))):
            out.entries[entry.id] = (entry.category, entry.recorded_on)
        for rec in conn.execute(select(R.c.id, R.c.person_id, R.c.created_at)
                                .where(R.c.person_id.in_(persons), R.c.category == "applicant")
                                .order_by(R.c.recorded_on.desc(), R.c.created_at.desc())):
            out.applicant_records[rec.person_id] = (rec.id, as_utc(rec.created_at))
        out.with_template = set(conn.execute(select(T.c.identity_record_id).where(
            T.c.identity_record_id.in_([r for r, _ in out.applicant_records.values()]))).scalars())
        for rec in conn.execute(select(R.c.id, R.c.person_id, R.c.recorded_on)
                                .where(R.c.person_id.in_(first_persons), R.c.category == "applicant")
                                .order_by(R.c.recorded_on.desc(), R.c.created_at.desc())):
            out.first_applicant[rec.person_id] = (rec.id, rec.recorded_on)  # the earliest last
        for app in conn.execute(select(A.c.person_id, A.c.outcome, A.c.decided_on)
                                .where(A.c.person_id.in_(first_persons))
                                .order_by(A.c.made_on.desc(), A.c.id.desc())):
            out.first_application[app.person_id] = (app.outcome, app.decided_on)  # the earliest last
    return out


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("responsibility")
    persons: list[dict[str, Any]] = list(ctx.shared.get("registry.persons", []))
    pairs = dublin_pairs(persons)
    pairs.sort(key=lambda fs: fs[1]["at"])
    records = _records(ctx, pairs)
    applied = "procedures.cases" in ctx.shared  # the procedures step ran: applications are on file
    biometrics = PERSON_OF in ctx.shared  # the identity step ran: the persons have templates
    plans: list[tuple[date, int, dict[str, Any], dict[str, Any]]] = []
    for n, (first, second) in enumerate(pairs):
        if not applied:
            plans.append((second["at"].date(), n, first, second))
            continue
        registered_on = records.applications.get(str(second["person_id"]), (None, None, False))[1]
        if registered_on is not None:  # no case for a person without a registered application
            plans.append((registered_on, n, first, second))
    plans.sort(key=lambda p: (p[0], p[1]))
    end = ctx.end
    made = 0
    returned = _returned_before(ctx, pairs) if applied and biometrics else {}
    with ctx.progress("Dublin cases and requests", len(plans)) as advance:
        for registered_on, _, first, second in plans:
            advance(1)
            entry = None
            received: tuple[date, str | None] | None = None
            recorded_at = _moment(registered_on, 15)
            # without the identity step: the application at a border crossing point (the encounter)
            earlier_on: date | None = first["at"].date() \
                if first["kind"] == "border_crossing_point_application" else None
            if biometrics:
                hit = _eurodac_hit(ctx, records, first, second, registered_on)
                if hit is None:
                    continue
                hit_at, earlier_on = hit
                recorded_at = max(recorded_at, hit_at + timedelta(hours=2))
                category, recorded_on = records.entries[str(first["record_id"])]
                kind = _ENTRY_OF_CATEGORY.get(category or "")
                entry = (kind, recorded_on) if kind else None
                received = (hit_at.date(), category)
            applicant = None
            if applied:
                pid = str(second["person_id"])
                applicant = (records.date_of_birth.get(pid), records.applications[pid][2])
            state = records.first_application.get(str(first["person_id"])) if applied else None
            if earlier_on is not None and str(second["person_id"]) in returned:
                _confirm_departure(ctx, first, returned[str(second["person_id"])])
            made += _one(ctx, rng, first, second, registered_on, entry, recorded_at, end, applicant,
                         earlier_on, state, received)
    _contest_one_notification(ctx, end)
    _sweep_each_morning(ctx, plans[0][0] if plans else ctx.start, end)
    ctx.shared["responsibility.cases"] = made
    if applied and biometrics:
        _moved_on_after_transfer_decision(ctx, {str(second["person_id"]): second for _, second in pairs}, records)
    if applied:
        resume(ctx, _releases(ctx))


#: Evidence of the demo's contest on a wrong indication in Eurodac (AMMR Art 41(3)).
WRONG_INDICATION_EVIDENCE = ("Eurodac: the indication of {requested} as the Member State responsible was "
                             "entered against another set of data; {requested}'s determination indicated no "
                             "state for this person (demo world)")


def _contest_one_notification(ctx: ScenarioContext, end: date) -> None:
    """The state notified contests one take-back notification still awaiting its confirmation, as it
    rests on a wrong indication in Eurodac (AMMR Art 41(3)), whatever the world's last day: among
    those on ``indicated_responsible_in_eurodac`` sent by the day before it, by day sent and case
    reference, the first that can still be contested

    1. on the world's last day but one, to a state with no demo Dublin unit (the demo units'
       inboxes keep their requests to answer);
    2. failing one, the last sent whose two weeks to confirm ended before that day, on their last
       day (it would have been confirmed by silence: no inbox loses a request to answer).

    3. failing one, on the world's last day but one, the last sent within its two weeks to a state
       with a demo Dublin unit, by that state's unit, where another such notification stays in
       another demo unit's inbox (the step leaves one there for each unit to answer,
       :func:`_awaiting_day`).

    Demo behaviour, not law; no draw is made."""
    R, C = dublin_requests, dublin_cases
    day = end - timedelta(days=1)
    with ctx.services.engine.connect() as conn:
        pending = conn.execute(select(R.c.id, R.c.requested_member_state, R.c.reply_due)
                               .join(C, C.c.id == R.c.case_id).where(
            R.c.kind == "take_back_notification", R.c.status == "pending",
            R.c.criterion == "indicated_responsible_in_eurodac", R.c.sent_on <= day)
            .order_by(R.c.sent_on, C.c.reference)).all()
    # a notification whose two weeks ended before that day is confirmed by silence when read then
    # (Art 41(4)): tried only on its last day (2.), not read on the world's last day but one
    running = [r for r in pending if r.reply_due is not None and r.reply_due >= day]
    without_unit = [(r.id, r.requested_member_state, day) for r in running
                    if r.requested_member_state not in DEMO_DUBLIN_STATES]
    earlier = [(r.id, r.requested_member_state, r.reply_due) for r in reversed(pending)
               if r.reply_due is not None and r.reply_due < day]
    with_unit = [(r.id, r.requested_member_state, day) for r in reversed(running)
                 if r.requested_member_state in DEMO_DUBLIN_STATES]
    if len({requested for _, requested, _ in with_unit}) < 2:
        with_unit = []  # the only demo unit with a notification to answer keeps it
    for rid, requested, on in [*without_unit, *earlier, *with_unit[:1]]:
        ctx.at(_moment(on, 15))
        unit = _unit(requested)
        try:
            req = responsibility.get_request(ctx.services, unit, rid, channel=None)
            responsibility.act(ctx.services, unit, rid, "contest", RequestAction(
                version=req["version"], refusal_ground="wrong_indication",
                evidence=WRONG_INDICATION_EVIDENCE.format(requested=requested),
                reasons=f"{requested} is not the Member State responsible: the notification rests on a wrong "
                        "indication in Eurodac"))
        except (Conflict, ValidationProblem):
            continue
        return


#: How many persons of a world of scale S or above leave the first state under its return decision
#: before they apply in the destination (see :func:`_returned_before`); a smaller world has fewer
#: (none at XS, whose one or two transfers the other tests read: such a case sends no request).
RETURNED_BEFORE = 3


def _returned_before(ctx: ScenarioContext, pairs: list[tuple[dict[str, Any], dict[str, Any]]]
                     ) -> dict[str, tuple[str, date, str]]:
    """A few persons whose application the first state rejected (or treated as withdrawn) and who
    were given a return decision with it (procedures step) before they were met in the destination:
    chosen to leave the territory under that decision before that day (``{destination's person id:
    (decision id, day of departure, mode)}``). Their application in the destination is then a new
    application (Dublin III Art 19(3); AMMR Art 37(5)): the Dublin case's "Responsible now" says the
    first state's obligation to take them back ended (rule ``ceased``) and no take back is sent.
    Chosen by a stream of their own (``responsibility:returned``), so that the step's other draws do
    not move; the cases' own requests are not sent, so the requests made after them draw otherwise."""
    from pactum.store.tables.returns import return_decisions as RD

    A = asylum_applications
    by_first = {str(first["person_id"]): second for first, second in pairs}
    with ctx.services.engine.connect() as conn:
        rows = conn.execute(
            select(RD.c.id, RD.c.person_id, RD.c.issued_on, RD.c.voluntary_departure_days)
            .join(A, A.c.id == RD.c.asylum_case_id)
            .where(RD.c.person_id.in_(list(by_first)), RD.c.status == "issued",
                   A.c.outcome.in_(list(_GROUND_OF_OUTCOME)), A.c.decided_on <= RD.c.issued_on)
            .order_by(RD.c.issued_on, RD.c.id)).all()
    found = []
    for r in rows:
        second = by_first[r.person_id]
        gap = (second["at"].date() - r.issued_on).days
        if gap >= 5 and second["at"].date() < ctx.end - timedelta(days=30):
            found.append((r, second, gap))
    stream = ctx.step_rng("responsibility:returned")
    out: dict[str, tuple[str, date, str]] = {}
    wanted = min(RETURNED_BEFORE, int(RETURNED_BEFORE * ctx.scale), len(found))
    for r, second, gap in sorted(stream.sample(found, wanted),
                                 key=lambda f: f[0].issued_on):
        vd = int(r.voluntary_departure_days or 0)
        mode = "voluntary" if vd >= 3 else "enforced"
        days = stream.randint(2, min(gap - 2, vd)) if mode == "voluntary" else stream.randint(2, gap - 2)
        out[str(second["person_id"])] = (r.id, r.issued_on + timedelta(days=days), mode)
    return out


def _confirm_departure(ctx: ScenarioContext, first: dict[str, Any], plan: tuple[str, date, str]) -> None:
    """The first state's return officer confirms the departure under its return decision (``plan``:
    decision, day, mode) on that day, before the person is met in the destination."""
    from pactum.returns.schemas import DepartureConfirm
    from pactum.services import returns

    decision_id, on, mode = plan
    ms = str(first["member_state"])
    officer = Principal(f"scenario-return-{ms}", f"scenario-{ms.lower()}-return", ms,
                        frozenset({Role.return_officer}))
    ctx.at(_moment(on, 10))
    try:
        d = returns.get_decision(ctx.services, officer, decision_id, channel=None)
        returns.confirm_departure(ctx.services, officer, decision_id, DepartureConfirm.model_validate(
            {"version": d["version"], "departed_on": on, "mode": mode}))
    except (Conflict, ValidationProblem):
        return


#: Capture seed of the fingerprints taken in the third state (beyond :data:`_CAPTURE_SEED`'s).
_MOVED_ON_CAPTURE_SEED = 20_000_000


def _moved_on_after_transfer_decision(ctx: ScenarioContext, seconds: dict[str, dict[str, Any]],
                                      records: _Records) -> None:
    """One applicant notified of a transfer decision (Regulation (EU) 2024/1351) of the state where
    they applied to the state responsible moves on to a third state a few days later and applies
    there: registered in that state (an application in the territory, screened), the Eurodac
    comparison of their fingerprints hits the deciding state's applicant record, recorded as a
    same-person identity link as the other hits. The third state's caseworker then finds, through
    the hit, that the applicant is required to be present elsewhere (Article 17(4)), and the
    reception step records its Article 21 decision. Chosen by a stream of its own
    (``responsibility:moved-on``), after every other act of the step, so that no other draw moves."""
    from pactum.reception.params import directive_applies
    from pactum.registry.model import RegisterArrival, ScreeningForm
    from pactum.scenario.steps.registry import DESTINATIONS, _form_answers, _form_rng
    from pactum.services import registry

    R, C = dublin_requests, dublin_cases
    with ctx.services.engine.connect() as conn:
        rows = conn.execute(
            select(R.c.requesting_member_state, R.c.requested_member_state, R.c.transfer_decided_on,
                   C.c.person_id)
            .join(C, C.c.id == R.c.case_id)
            .where(R.c.regime == "ammr", R.c.transfer_decided_on.isnot(None), C.c.person_id.isnot(None),
                   R.c.transfer_decided_on < ctx.end - timedelta(days=20))
            .order_by(R.c.transfer_decided_on, R.c.id)).all()
    found = [r for r in rows if directive_applies(r.transfer_decided_on) and r.person_id in seconds
             and r.person_id in records.applicant_records and seconds[r.person_id].get("record_id")]
    if not found:
        return
    stream = ctx.step_rng("responsibility:moved-on")
    r = stream.choice(found)
    second = seconds[r.person_id]
    third = stream.choice([ms for ms in DESTINATIONS if ms not in (r.requesting_member_state,
                                                                   r.requested_member_state)])
    at = datetime.combine(r.transfer_decided_on + timedelta(days=stream.randint(2, 5)), time(9, 0), tzinfo=UTC)
    nationality = str(second["nationality"])
    officer = _officer(third)
    ctx.at(at + timedelta(hours=3))
    result = registry.register_arrival(ctx.services, officer, RegisterArrival.model_validate({
        "identity": {"given_names": second["given"], "surname": second["surname"],
                     "given_names_latin": second["given"], "surname_latin": second["surname"],
                     "sex": second["sex"], "date_of_birth": second["dob"], "nationality": nationality},
        "encounter": {"member_state": third, "occurred_at": at, "kind": "in_territory_application",
                      "route": None, "place": None, "border_section": None},
        "biometrics": {"captured_at": at + timedelta(hours=1), "transmitted_at": at + timedelta(hours=2),
                       "template_ref": f"tpl-{stream.getrandbits(48):012x}"}}))
    vector = capture_again(ctx, str(second["record_id"]), _MOVED_ON_CAPTURE_SEED)
    hit_at = at + timedelta(hours=4)
    ctx.at(hit_at)
    if vector is not None:
        identity.enrol_template(ctx.services, officer, TemplateEnrol(identity_record_id=result.identity_record_id,
                                                                     vector=vector))
    applicant = records.applicant_records[r.person_id][0]
    _record_hit(ctx, r.requesting_member_state, applicant, result.identity_record_id, hit_at)
    if result.screening is not None:
        ctx.at(at + timedelta(hours=20))
        registry.update_screening(ctx.services, officer, result.screening.id, ScreeningForm.model_validate({
            "version": result.screening.version, "health_check": "no acute condition found",
            **_form_answers(_form_rng(ctx), nationality, None), "vulnerability": "none identified",
            "applied_for_protection": True, "database_hit": True, "cooperated": True, "outcome": "asylum"}))


def _sweep_each_morning(ctx: ScenarioContext, first: date, end: date) -> None:
    """The deadline job (``responsibility.deadlines``) as it runs in service, at 06:00 each morning:
    on each morning after a deadline ended (silence as acceptance or confirmation, a re-examination
    unanswered, a refusal made final, a transfer period ended and responsibility shifted), in the
    order of the days, from ``first`` to the world's ``end``, so that each event is dated the morning
    after its deadline rather than all at the world's end. The acts of the world ran before, case
    by case: an act on a request applied its passed deadlines first (the service reads them so), so
    what is left open past its deadline had no act after it. Mornings when nothing falls due are
    skipped (the job would find nothing); a last run on the world's end day."""
    day = first
    while (due := responsibility.next_lapse(ctx.services, day)) is not None:
        morning = due + timedelta(days=1)
        if morning >= end:
            break
        ctx.at(_moment(morning, 6))
        responsibility.deadlines_job(ctx.services, ctx.clock.now())
        day = morning
    ctx.at(_moment(end, 6))
    responsibility.deadlines_job(ctx.services, ctx.clock.now())


def _releases(ctx: ScenarioContext) -> dict[str, tuple[date, str | None]]:
    """For the asylum decisions the procedures step held back (the applicant moved on from a state
    of arrival): from which day the application's state may decide it, as its Dublin case says
    once the requests have run (no case: at once; its own state responsible: from the day it
    became so, a refusal made final, a transfer period that ended, no request in time), or the
    transfer that ends the case there (the day and the request). A case whose Dublin case names
    another state at the world's end (a request awaiting its reply, accepted, a transfer not yet
    carried out, a responsibility offset) is not released: its state decides nothing on it while
    another state is responsible (Dublin III Art 3(1); AMMR Art 16(1))."""
    plan = ctx.shared.get("procedures.plan")
    held = dict(getattr(plan, "held", {}) or {})
    if not held:
        return {}
    D, A = dublin_cases, asylum_applications
    out: dict[str, tuple[date, str | None]] = {}
    with ctx.services.engine.connect() as conn:
        states = dict(conn.execute(select(A.c.id, A.c.member_state).where(A.c.id.in_(list(held)))).all())
        latest: dict[tuple[str, str], Any] = {}
        for c in conn.execute(select(D).where(D.c.person_id.in_({h.person_id for h in held.values()}))
                              .order_by(D.c.created_at)):
            latest[(c.person_id, c.member_state)] = c  # the latest last
        for case_id, h in held.items():
            ms = states.get(case_id)
            dc = latest.get((h.person_id, ms)) if ms else None
            if dc is None:
                out[case_id] = (h.on, None)
                continue
            now = responsibility.current_responsibility(conn, [dc], ctx.end)[dc.id][0]
            if now.member_state == ms:
                day = (now.since or h.on) + timedelta(days=1)
                # the day the state decides on, as the service will judge it then
                if responsibility.current_responsibility(conn, [dc], day)[dc.id][0].member_state == ms:
                    out[case_id] = (day, None)
            elif now.rule == "transferred" and now.since is not None and now.request_id:
                out[case_id] = (now.since, now.request_id)
    return out


def _officer(ms: str) -> Principal:
    return Principal(f"scenario-{ms}", f"scenario-{ms.lower()}", ms, frozenset({Role.caseworker}))


#: Capture seeds of the fingerprints taken at the application (beyond the identity step's).
_CAPTURE_SEED = 10_000_000


def _eurodac_hit(ctx: ScenarioContext, records: _Records, first: dict[str, Any],
                 second: dict[str, Any], registered_on: date) -> tuple[datetime, date | None] | None:
    """On the day the application is registered (once the applicant record is written), the
    Eurodac comparison of the applicant's fingerprints hits the first state's record of the entry:
    recorded as a multiple-identity link between that record and the applicant record (white, or
    yellow and then verified white by the authority it is queued to). Returns when the hit was
    recorded, or None when there is none: no applicant record (a child under the age of
    fingerprinting), no Eurodac data of the first state's record (the person was below the age of
    biometrics there: no data, no hit, Eurodac Art 13(1)), or no template and no biographic match.

    The comparison also hits the first state's applicant data when the person applied there on or
    before the registration: that hit is recorded the same way, on the first state's applicant
    record, and its day is returned with the hit's moment (None: no such hit, as the facts draft
    finds none)."""
    found = records.applicant_records.get(str(second["person_id"]))
    if found is None:
        return None
    if str(first["record_id"]) not in records.in_eurodac:
        return None  # no Eurodac data of the first state (below the age of biometrics): no hit
    applicant, written_at = found
    dest, origin = str(second["member_state"]), str(first["member_state"])
    hit_at = max(_moment(registered_on, 11), written_at + timedelta(minutes=5))
    if hit_at + timedelta(hours=2) >= ctx.end_moment:  # recorded after the world's end
        return None
    ctx.at(hit_at)
    if applicant not in records.with_template:  # the fingerprints taken for the application
        vector = capture_again(ctx, str(second["record_id"]), _CAPTURE_SEED + len(records.with_template))
        if vector is not None:
            identity.enrol_template(ctx.services, _officer(dest),
                                    TemplateEnrol(identity_record_id=applicant, vector=vector))
            records.with_template.add(applicant)
    if not _record_hit(ctx, origin, str(first["record_id"]), applicant, hit_at):
        return None
    earlier_on = None
    found_there = records.first_applicant.get(str(first["person_id"]))
    if found_there is not None and found_there[1] <= registered_on:
        there, recorded_on = found_there
        if there == str(first["record_id"]) or _record_hit(ctx, origin, there, applicant, hit_at):
            earlier_on = recorded_on
    return hit_at, earlier_on


def _record_hit(ctx: ScenarioContext, origin: str, record_id: str, applicant: str, hit_at: datetime) -> bool:
    """The hit of the applicant record ``applicant`` on the first state's record ``record_id``,
    recorded at ``hit_at`` through the identity search on that record (a yellow link verified white
    an hour later). False: the search makes no white link (no hit to record)."""
    ctx.at(hit_at)
    with ctx.services.uow() as uow:
        candidates = identity.search_candidates_for_record(uow, _officer(origin), record_id)
        uow.commit()
    link = next((c["link"] for c in candidates
                 if c["identity_record_id"] == applicant and c.get("link")), None)
    if link is None or link["colour"] == "green":
        return False
    # the search may also have linked the first state's record, yellow, to another record of the
    # same applicant (the record of the stay on which they were met): the same person, verified
    # with the hit (otherwise the facts draft meets a link that awaits verification)
    with ctx.services.engine.connect() as conn:
        person = conn.execute(select(identity_records.c.person_id)
                              .where(identity_records.c.id == applicant)).scalar()
        own = set(conn.execute(select(identity_records.c.id)
                               .where(identity_records.c.person_id == person)).scalars())
    pending = [c["link"] for c in candidates if c.get("link") and c["identity_record_id"] in own
               and c["link"]["status"] == "pending" and c["link"]["colour"] != "green"]
    for one in pending:
        with ctx.services.engine.connect() as conn:
            row = conn.execute(select(identity_links.c.verifying_authority, identity_links.c.version)
                               .where(identity_links.c.id == one["id"])).one()
        ctx.at(hit_at + timedelta(hours=1))
        identity.decide_link(ctx.services, _officer(row.verifying_authority), one["id"], LinkDecision(
            colour="white", version=row.version,
            reason="Eurodac hit confirmed by the fingerprint expert (demo world: one synthetic person)"))
    return True


#: The take-back ground of a Dublin III request by the outcome of the first state's case decided
#: by the day it is sent (no decision yet: under examination, Art 18(1)(b)).
_GROUND_OF_OUTCOME = {"implicitly_withdrawn": "application_withdrawn",  # Art 18(1)(c)
                      "rejected_unfounded": "application_rejected",  # Art 18(1)(d)
                      "rejected_manifestly_unfounded": "application_rejected",
                      "inadmissible": "application_rejected"}
_PROTECTED = frozenset({"refugee_status", "subsidiary_protection"})


def _one(ctx: ScenarioContext, rng: random.Random, first: dict[str, Any], second: dict[str, Any],
         registered_on: date, entry: tuple[str, date] | None, recorded_at: datetime, end: date,
         applicant: tuple[str | None, bool] | None = None, earlier_on: date | None = None,
         state: tuple[str | None, date | None] | None = None,
         received: tuple[date, str | None] | None = None) -> int:
    """One case, and its request unless none lies. ``earlier_on``: the day of the person's
    application in the first state (a take back); ``state``: (outcome, decided on) of the first
    state's case of that application (None: not known, under examination); ``received``: the day
    of the Eurodac hit and the category of the first state's data it matched (None: no hit)."""
    dest, origin = str(second["member_state"]), str(first["member_state"])
    unit = _unit(dest)
    facts = _facts(first, second, registered_on, entry, applicant, earlier_on)
    permit = _expired_permit(ctx, first, registered_on, entry, earlier_on, recorded_at)
    if permit is not None:
        facts["documents"] = [permit]
    ctx.at(recorded_at)
    try:
        case = responsibility.create_case(ctx.services, unit, CaseCreate.model_validate({
            "reference": f"{dest}-D-{second['person_id'][-8:]}",
            "person_id": second["person_id"],
            "applicant_name": f"{second.get('given', '')} {second.get('surname', '')}".strip(),
            "facts": facts}))
    except ValidationProblem:
        return 0
    responsible = case["determination"]["responsible_member_state"]
    if responsible == dest:
        return 1
    regime = case["determination"]["regime"]
    take_back = earlier_on is not None
    kind = ("take_back_notification" if regime == "ammr" else "take_back") if take_back else "take_charge"
    awaiting: set[str] = ctx.shared.setdefault("responsibility.awaiting", set())
    wanted = responsible in DEMO_DUBLIN_STATES and responsible not in awaiting
    if (regime == "ammr" and not take_back and responsible in UNDER_PRESSURE and dest not in UNDER_PRESSURE
            and (end - registered_on).days <= OFFSET_WINDOW_DAYS):
        # put forward for a responsibility offset: no take-charge request (the solidarity step's
        # offsets, which the beneficiary's pages show, come before a request left awaiting a reply)
        return 1
    if received is not None:
        _record_received_hit(ctx, unit, case, origin, received, take_back, recorded_at)
    # sent after the case was recorded (a hit on a record written days after the application was
    # registered is recorded then); the first that can still await its reply at the world's end,
    # to a state with a demo Dublin unit, is sent on the last day of its time limit and left there
    sent = max(registered_on + timedelta(days=rng.randint(2, 12)), recorded_at.date() + timedelta(days=1))
    if sent >= end:
        return 1
    hold = _awaiting_day(kind, registered_on, dest, responsible, sent, end) if wanted else None
    sent = hold or sent
    ground = None
    if take_back:
        outcome, decided_on = state or (None, None)
        decided = outcome if decided_on is not None and decided_on <= sent else None
        if decided in _PROTECTED:
            return 1  # a beneficiary of protection in the first state: no take back lies
        # Dublin III: the state of the application there (Art 18(1)(b)-(d)); AMMR: Eurodac names
        # the first state as responsible (Art 36(1)(b))
        ground = "indicated_responsible_in_eurodac" if regime == "ammr" \
            else _GROUND_OF_OUTCOME.get(decided or "", "application_under_examination")
    ctx.at(_moment(sent))
    try:
        req = responsibility.send_request(ctx.services, unit, case["id"], RequestCreate.model_validate({
            "kind": kind, "requested_member_state": responsible, "eurodac_hit": True,
            "hit_on": registered_on,
            # the person applied in the first state: that state takes them back on ``ground``
            **({"take_back_ground": ground} if ground else {}),
            "evidence": [{"kind": "eurodac_hit",
                          "description": f"Eurodac hit: registered in {origin} on {first['at'].date()}"}]
            + ([{"kind": "eurodac_hit", "description": f"Eurodac hit: applied for international "
                                                       f"protection in {origin} on {earlier_on}"}]
               if earlier_on else [])}))
    except (Conflict, ValidationProblem):
        return 1
    if hold is not None:
        awaiting.add(responsible)  # left awaiting its reply at the world's end
        return 1
    _answer(ctx, rng, req, unit, _unit(responsible), end,
            left=_absent_since(first, registered_on, earlier_on, regime))
    return 1


#: How many persons of the world held a residence document of the first state that had expired before
#: they came back across its external border (they had lived there, left and returned irregularly),
#: recorded by that state's Dublin unit: the case's criterion is the expired residence document (AMMR
#: Art 29(4), «scaduti ... meno di tre anni ... prima della registrazione della domanda»), which comes
#: before the entry (Art 33) in the hierarchy, and the take-charge request to that state rests on it.
#: The first state stays responsible, so the step's requests and their draws do not move.
EXPIRED_PERMITS = 2
#: How long before the entry the permit expired, at most (days): well within the three years.
_PERMIT_EXPIRED_DAYS = (60, 400)


def _expired_permit(ctx: ScenarioContext, first: dict[str, Any], registered_on: date,
                    entry: tuple[str, date] | None, earlier_on: date | None,
                    recorded_at: datetime) -> dict[str, Any] | None:
    """For the first :data:`EXPIRED_PERMITS` AMMR take-charge cases a stream of its own picks (the
    step's other draws do not move), the first state's Dublin unit records the two-year residence
    permit it had issued the person, expired some months before their entry, on its person (the one
    the Eurodac hit joins to the applicant by a same-person link); the case's facts hold it as the
    draft of the facts gives it (``record_id``, ``number``). None for the other cases, in a world
    without the identity step (no link through which the draft finds it), and for a take back (the
    earlier application decides)."""
    from pactum.responsibility.params import regime_on
    from pactum.responsibility.schemas import DocumentRecord

    given: list[str] = ctx.shared.setdefault("responsibility.expired_permits", [])
    if (len(given) >= EXPIRED_PERMITS or earlier_on is not None or entry is None or PERSON_OF not in ctx.shared
            or regime_on(registered_on) != "ammr"):
        return None
    stream = ctx.shared.setdefault("responsibility.permit_stream", ctx.step_rng("responsibility:permits"))
    if stream.random() >= 0.5:
        return None
    origin = str(first["member_state"])
    until = entry[1] - timedelta(days=stream.randint(*_PERMIT_EXPIRED_DAYS))
    start = date(until.year - 2, until.month, min(until.day, 28)) + timedelta(days=1)
    number = f"{origin}-PS-{stream.randrange(10 ** 7):07d}"
    ctx.at(recorded_at - timedelta(hours=1))
    try:
        doc = responsibility.record_document(ctx.services, _unit(origin), str(first["person_id"]),
                                             DocumentRecord.model_validate({
                                                 "kind": "residence_document", "issued_on": start.isoformat(),
                                                 "valid_from": start.isoformat(),
                                                 "valid_until": until.isoformat(), "number": number}))
    except (Conflict, ValidationProblem):
        return None
    given.append(doc["id"])
    return {"kind": "residence_document", "issued_by": origin, "valid_from": doc["valid_from"],
            "valid_until": doc["valid_until"], "record_id": doc["id"], "number": number}


#: How many refusals of the world state that the obligations of the state asked ceased because the
#: person left the territory of the Member States (Dublin III Art 19(2); AMMR Art 37(4)).
REFUSED_AS_ABSENT = 1


def _absent_since(first: dict[str, Any], registered_on: date, earlier_on: date | None,
                  regime: str) -> date | None:
    """The day the person could have left the territory of the Member States, a week after they
    were last known in the first state (met there, or applied there), when an absence from it would
    have lasted the whole period the law asks before the application in the destination was
    registered (three months, Dublin III Art 19(2); nine months, AMMR Art 37(4)); None otherwise."""
    from pactum.responsibility.cessation import ABSENCE
    from pactum.responsibility.criteria import add_months

    left = max(first["at"].date(), earlier_on or first["at"].date()) + timedelta(days=7)
    p = param(ABSENCE["ammr" if regime == "ammr" else "dublin_iii"], on=registered_on)
    months = int(p.value) * (12 if p.unit == "years" else 1)
    return left if add_months(left, months) <= registered_on - timedelta(days=7) else None


#: One case in this many has its Eurodac hit recorded on the case before its request, so that the
#: case page shows the request's last day running from the hit before a request is drafted (the
#: others learn of it from the request, as before); drawn from a stream of its own, so that the
#: step's other draws do not move (not from the person's id, which is random: two builds of one seed
#: recorded different hits).
RECORD_HIT_EVERY = 2


def _record_received_hit(ctx: ScenarioContext, unit: Principal, case: dict[str, Any], origin: str,
                         received: tuple[date, str | None], take_back: bool, recorded_at: datetime) -> None:
    """The Dublin unit records the Eurodac hit on ``case`` before its request, when the hit runs
    the request's time limit (``hit_runs``: an earlier application's data for a take back; data of
    an irregular crossing or a disembarkation for a take charge) and was received on the day the
    application was registered (the day the request states)."""
    from pactum.responsibility.request_limits import hit_runs
    from pactum.responsibility.schemas import HitCreate

    day, category = received
    stream = ctx.shared.setdefault("responsibility.recorded_hits", ctx.step_rng("responsibility:recorded-hits"))
    if day != date.fromisoformat(case["registered_on"]) or stream.random() >= 1 / RECORD_HIT_EVERY:
        return
    category = "applicant" if take_back else category
    if hit_runs(case["determination"]["regime"], "eurodac", category) is None:
        return
    ctx.at(recorded_at + timedelta(minutes=30))
    try:
        responsibility.record_hit(ctx.services, unit, case["id"], HitCreate.model_validate({
            "hit_on": day.isoformat(), "member_state": origin, "source": "eurodac", "category": category,
            "reference": f"{origin}-{stream.randrange(16 ** 8):08X}"}))
    except (Conflict, ValidationProblem):
        return


def _act(ctx: ScenarioContext, who: Principal, req: dict[str, Any], action: str, on: date,
         **extra: Any) -> dict[str, Any] | None:
    if on >= ctx.end:
        return None
    ctx.at(_moment(on))
    try:
        return responsibility.act(ctx.services, who, req["id"], action,
                                  RequestAction(version=req["version"], **extra))
    except (Conflict, ValidationProblem):
        return None


def _answer(ctx: ScenarioContext, rng: random.Random, req: dict[str, Any], requesting: Principal,
            requested: Principal, end: date, left: date | None = None) -> None:
    """The requested state's answer to ``req`` and what follows. ``left``: the day the person could
    have left the territory of the Member States long enough before the application (None: not):
    the first refusals of such requests, as a stream of their own chooses them, state that ground
    (``left_territory``, the day and the evidence, Dublin III Art 19(2) / AMMR Art 37(4)), the others
    refuse with reasons alone; the step's own draws are the same either way."""
    sent = date.fromisoformat(req["sent_on"])
    due = date.fromisoformat(req["reply_due"])
    choice = rng.choices(list(REPLY_SHARES), list(REPLY_SHARES.values()))[0]
    if req["kind"] == "take_back_notification":
        choice = "silence" if choice == "silence" else "accept"
    # Dublin units mostly answer in the last days of the reply period.
    reply_on = max(sent + timedelta(days=1), due - timedelta(days=rng.randint(0, 6)))
    current: dict[str, Any] | None = req
    if choice == "silence":
        accepted_on = due
    elif choice == "accept":
        action = "confirm" if req["kind"] == "take_back_notification" else "accept"
        current = _act(ctx, requested, req, action, reply_on)
        if current is None:
            return
        accepted_on = reply_on
    else:
        reasons = rng.choice(["No trace of entry in our records",
                              "Eurodac hit concerns a different person",
                              "Criterion invoked does not apply: period ended"])
        current = None
        absent: list[str] = ctx.shared.setdefault("responsibility.refused_as_absent", [])
        stream = ctx.shared.setdefault("responsibility.absent_stream", ctx.step_rng("responsibility:absent"))
        if left is not None and len(absent) < REFUSED_AS_ABSENT and stream.random() < 0.5:
            current = _act(ctx, requested, req, "refuse", reply_on, refusal_ground="left_territory", left_on=left,
                           evidence=f"Entry/Exit System: exit record of {left.isoformat()} at an external border "
                                    f"crossing point of {req['requested_member_state']}; no entry recorded until "
                                    "the person was met again (demo world)",
                           reasons="The person left the territory of the Member States and stayed away "
                                   "longer than the law asks before the application was registered: our "
                                   "obligations ceased")
            if current is not None:
                absent.append(req["id"])
        if current is None:
            current = _act(ctx, requested, req, "refuse", reply_on, reasons=reasons)
        if current is None:
            return
        if rng.random() > REEXAMINE_SHARE:
            # the requesting unit accepts the refusal within the re-examination window: the
            # procedure ends and it stays responsible (Dublin III Art 3(2); AMMR Art 16(2))
            _act(ctx, requesting, current, "accept_refusal", reply_on + timedelta(days=rng.randint(2, 14)))
            return
        current = _act(ctx, requesting, current, "request_reexamination",
                       reply_on + timedelta(days=rng.randint(2, 14)),
                       reasons="Fingerprint match confirmed; travel ticket attached")
        if current is None:
            return
        answer_on = date.fromisoformat(current["reexamination_due"]) - timedelta(days=rng.randint(0, 10))
        current = _act(ctx, requested, current, rng.choice(["accept_reexamination", "refuse_reexamination"]),
                       answer_on, reasons="Re-examined")
        if current is None or current["status"] != "accepted":
            return
        accepted_on = answer_on
    # After acceptance: the transfer, or its lapse.
    if accepted_on >= end:
        return
    # the morning after: silence became acceptance as the deadline job runs it (06:00)
    ctx.at(_moment(max(accepted_on + timedelta(days=1), sent), 6))
    current = responsibility.get_request(ctx.services, requesting, req["id"], channel=None)
    if current["status"] not in ("accepted", "accepted_tacitly", "confirmed", "confirmed_tacitly"):
        return
    current = _act(ctx, requesting, current, "decide_transfer", accepted_on + timedelta(days=rng.randint(1, 10)))
    if current is None:
        return
    if rng.random() < ABSCOND_SHARE:
        _act(ctx, requesting, current, "extend_transfer", accepted_on + timedelta(days=rng.randint(20, 60)),
             extension_reason="absconding")
        return
    draw = rng.random()
    if draw > 1 - APPEAL_SHARE:
        # The person appeals the transfer decision with suspensive effect: no transfer until the
        # final decision, from which the transfer period runs again (Art 29(1) / Art 46(1)).
        decided = date.fromisoformat(current["transfer_decided_on"])
        appealed = _act(ctx, requesting, current, "record_appeal", decided + timedelta(days=10),
                        appeal_lodged_on=decided + timedelta(days=9), suspensive_effect=True)
        if appealed is not None:
            _act(ctx, requesting, appealed, "decide_appeal", decided + timedelta(days=100),
                 appeal_decided_on=decided + timedelta(days=99), reasons="Appeal dismissed")
        return
    if draw > TRANSFER_SHARE:
        return  # the transfer does not happen: the period runs out (responsibility shifts)
    planned = accepted_on + timedelta(days=rng.randint(30, 120))
    arranged = _act(ctx, requesting, current, "arrange_transfer", planned - timedelta(days=14),
                    planned_on=planned, arrangements=rng.choice(
                        ["Scheduled flight, 2 escorts", "Land transfer by bus", "Charter with other transfers"]))
    if arranged is not None:
        _act(ctx, requesting, arranged, "complete_transfer", planned, transferred_on=planned)


STEP = Step(name="responsibility", order=55, build=build,
            description="Dublin cases with take-charge/take-back requests at every stage")
