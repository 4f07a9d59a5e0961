"""Dublin cases in the demo world: people registered at an external border who apply again in a
destination state, the destination's Dublin unit asking the first state to take charge (or, for a
person who had applied there, to take back), and the first state answering, refusing or staying
silent, with re-examinations, transfer decisions, arrangements, transfers and lapses.

Calibration (DOMAIN.md §9.3, Eurostat 2023): about 16% of applications lead to an outgoing
request and only about 9% of requests end in a transfer. The shares below shape the demo data
(stated here, not legal numbers); every deadline and every outcome of silence comes from the
service layer and :mod:`pactum.law`. Every write goes through
:mod:`pactum.services.responsibility` as the states' Dublin units would make it, with the world's
clock set to the day of the act, so the demo ends with live inboxes at every stage.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pactum.common.errors import Conflict, ValidationProblem
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import responsibility
from pactum.services.auth import Principal, Role

# Demo-world behaviour of the requested states (shares, not legal numbers).
REPLY_SHARES = {"accept": 0.58, "refuse": 0.27, "silence": 0.15}
REEXAMINE_SHARE = 0.5
TRANSFER_SHARE = 0.25
ABSCOND_SHARE = 0.1
APPEAL_SHARE = 0.15


def _unit(ms: str) -> Principal:
    return Principal(f"scenario-dublin-{ms}", f"scenario-dublin-{ms.lower()}", ms,
                     frozenset({Role.dublin_unit}))


def _moment(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=UTC)


def _entry_kind(kind: str) -> str | None:
    if kind == "sar_disembarkation":
        return "sar_disembarkation"
    if kind in ("irregular_crossing", "border_crossing_point_application"):
        return "irregular_crossing"
    return None


def _facts(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    registered_on: date = second["at"].date()
    facts: dict[str, Any] = {"application": {"registered_in": second["member_state"],
                                             "registered_on": registered_on.isoformat()}}
    dob = str(second.get("dob") or "")
    if len(dob) == 10 and dob < registered_on.isoformat():
        facts["applicant"] = {"date_of_birth": dob, "unaccompanied_minor": bool(second.get("child"))
                              and registered_on.year - int(dob[:4]) < 17}
    kind = _entry_kind(str(first["kind"]))
    if kind:
        facts["entries"] = [{"kind": kind, "member_state": first["member_state"],
                             "on": first["at"].date().isoformat()}]
    return facts


def build(ctx: ScenarioContext) -> None:
    rng = ctx.step_rng("responsibility")
    persons: list[dict[str, Any]] = list(ctx.shared.get("registry.persons", []))
    pairs = [(persons[i - 1], p) for i, p in enumerate(persons)
             if i and p.get("route") is None and persons[i - 1].get("route") is not None
             and persons[i - 1].get("nationality") == p.get("nationality")]
    pairs.sort(key=lambda fs: fs[1]["at"])
    end = ctx.end
    made = 0
    with ctx.progress("Dublin cases and requests", len(pairs)) as advance:
        for first, second in pairs:
            advance(1)
            made += _one(ctx, rng, first, second, end)
    ctx.at(_moment(end, 6))
    responsibility.deadlines_job(ctx.services, ctx.clock.now())
    ctx.shared["responsibility.cases"] = made


def _one(ctx: ScenarioContext, rng: random.Random, first: dict[str, Any],
         second: dict[str, Any], end: date) -> int:
    dest, origin = str(second["member_state"]), str(first["member_state"])
    registered_on: date = second["at"].date()
    unit = _unit(dest)
    ctx.at(_moment(registered_on, 15))
    try:
        case = responsibility.create_case(ctx.services, unit, CaseCreate.model_validate({
            "reference": f"{dest}-D-{second['person_id'][-8:]}",
            "person_id": second["person_id"],
            "applicant_name": f"{second.get('given', '')} {second.get('surname', '')}".strip(),
            "facts": _facts(first, second)}))
    except ValidationProblem:
        return 0
    responsible = case["determination"]["responsible_member_state"]
    if responsible == dest:
        return 1
    regime = case["determination"]["regime"]
    applied_first = first["kind"] == "border_crossing_point_application"
    kind = ("take_back_notification" if regime == "ammr" else "take_back") if applied_first \
        else "take_charge"
    sent = registered_on + timedelta(days=rng.randint(2, 12))
    if sent >= end:
        return 1
    ctx.at(_moment(sent))
    try:
        req = responsibility.send_request(ctx.services, unit, case["id"], RequestCreate.model_validate({
            "kind": kind, "requested_member_state": responsible, "eurodac_hit": True,
            "hit_on": registered_on,
            # the person applied in the first state: that state takes them back (their application is
            # under examination there, Dublin III Art 18(1)(b); AMMR: Eurodac names it, Art 36(1)(b))
            **({"take_back_ground": "indicated_responsible_in_eurodac" if regime == "ammr"
                else "application_under_examination"} if applied_first else {}),
            "evidence": [{"kind": "eurodac_hit",
                          "description": f"Eurodac hit: registered in {origin} on {first['at'].date()}"}]}))
    except (Conflict, ValidationProblem):
        return 1
    _answer(ctx, rng, req, unit, _unit(responsible), end)
    return 1


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
            requested: Principal, end: date) -> None:
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
        current = _act(ctx, requested, req, "refuse", reply_on,
                       reasons=rng.choice(["No trace of entry in our records",
                                           "Eurodac hit concerns a different person",
                                           "Criterion invoked does not apply: period ended"]))
        if current is None or rng.random() > REEXAMINE_SHARE:
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
    ctx.at(_moment(max(accepted_on + timedelta(days=1), sent)))
    current = responsibility.get_request(ctx.services, requesting, req["id"])
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


STEP = Step(name="responsibility", order=40, build=build,
            description="Dublin cases with take-charge/take-back requests at every stage")
