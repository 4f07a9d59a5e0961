"""Demo world, identity: search keys for every registered record, synthetic biometric templates
(one random unit vector per person, each capture that vector plus noise), and the comparison
each registration left pending, run at its moment, which creates the multiple-identity links and
fills the verification queues."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from pactum.common.clock import as_utc
from pactum.identity.biometrics import SyntheticBiometrics
from pactum.identity.comparisons import jw
from pactum.identity.features import features
from pactum.identity.schemas import LinkDecision, TemplateEnrol
from pactum.scenario.steps.registry import OVERSEAS_PERSONS
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import identity
from pactum.services.auth import Principal, Role
from pactum.store.tables.identity import identity_links


def _officer(ms: str) -> Principal:
    return Principal(f"scenario-{ms}", f"scenario-{ms.lower()}", ms, frozenset({Role.caseworker}))


@dataclass
class Seen:
    """The synthetic persons so far: (given, surname, index) by (nationality, sex, birth year)."""

    by_block: dict[tuple[str, str, str], list[tuple[str, str, int]]] = field(default_factory=dict)
    count: int = 0


def _true_person(facts: dict[str, Any], seen: Seen) -> int:
    """The registry step re-registers a person in another state under a respelled name and
    sometimes only the birth year; records that agree on nationality, sex and birth year and have
    very similar names get the same synthetic person (and so matching templates): the first such
    person seen, in the order the records come. ``seen``: the persons so far by that block."""
    f = features({"given_names": facts.get("given"), "surname": facts.get("surname"),
                  "date_of_birth": facts.get("dob")})
    block = (str(facts.get("nationality")), str(facts.get("sex")), str(f["dob_year"]))
    given, surname = f["given_folded"] or "", f["surname_folded"] or ""
    in_block = seen.by_block.setdefault(block, [])
    for other_given, other_surname, idx in in_block:
        if jw(given, other_given) >= 0.9 and jw(surname, other_surname) >= 0.9:
            return idx
    idx = seen.count
    seen.count += 1
    in_block.append((given, surname, idx))
    return idx


def build(ctx: ScenarioContext) -> None:
    # in the order of registration, at its moment: a record's search (which gives it its search
    # keys) finds only the records registered before it, as at a real registration, and the
    # authority of the later record verifies the link (Art 29)
    def by_moment(f: dict[str, Any]) -> tuple[Any, str]:
        return (f["registered_at"], str(f["record_id"]))

    records: list[dict[str, Any]] = sorted(ctx.shared.get("registry.persons", []), key=by_moment)
    # France's overseas arrivals (the registry step's OVERSEAS_PERSONS) in the same order of
    # registration, with persons, captures and draws of their own: the others' stay as they were
    overseas: list[dict[str, Any]] = sorted(ctx.shared.get(OVERSEAS_PERSONS, []), key=by_moment)
    bio = SyntheticBiometrics(seed=ctx.seed)
    streams = {False: ctx.step_rng("identity"), True: ctx.step_rng("identity:overseas")}
    seens = {False: Seen(), True: Seen(count=OVERSEAS_PERSON_BASE)}
    counts = {False: 0, True: OVERSEAS_PERSON_BASE}
    rng = streams[False]
    person_of: dict[str, int] = {}
    merged = heapq.merge(((by_moment(f), False, f) for f in records), ((by_moment(f), True, f) for f in overseas),
                         key=lambda t: t[0])
    with ctx.progress("Identity: templates and candidate links", len(records) + len(overseas)) as advance:
        for _, apart, facts in merged:
            n = counts[apart]
            counts[apart] += 1
            idx = _true_person(facts, seens[apart])
            person_of[str(facts["record_id"])] = idx
            ctx.at(facts["registered_at"])
            if not facts.get("child") or streams[apart].random() < 0.5:
                vector = bio.capture(idx, n)
                identity.enrol_template(ctx.services, _officer(str(facts["member_state"])),
                                        TemplateEnrol(identity_record_id=str(facts["record_id"]),
                                                      vector=vector.tolist()))
            # the registration left its record's comparison pending (as one through the API
            # does): it runs here, at the registration's moment, as the registering officer, and
            # is marked compared, so the ``identity_comparison`` job finds nothing left to do
            with ctx.services.uow() as uow:
                identity.comparison.compare_pending(uow, str(facts["record_id"]),
                                                    via=identity.comparison.VIA_REGISTRATION)
                uow.commit()
            advance(1)
    # any record still pending (registered by another step through the service) is compared now,
    # as the job would: no record of the demo world is left waiting for its comparison
    identity.comparison.compare_pending_records(ctx.services, limit=None)
    with ctx.services.uow() as uow:
        identity.index_missing(uow.conn)  # records of other steps, if any
        uow.commit()
    ctx.shared[PERSON_OF] = person_of
    _verify_some(ctx, person_of, rng)


#: Where the synthetic persons and captures of France's overseas arrivals are numbered from, apart
#: from the others'.
OVERSEAS_PERSON_BASE = 10_000_000

#: ``ctx.shared`` key: the synthetic person (the scenario's ground truth) of each registration's
#: identity record, for later steps that take the same person's biometrics again.
PERSON_OF = "identity.person_of"


def capture_again(ctx: ScenarioContext, record_id: str, capture_seed: int) -> list[float] | None:
    """A new capture of the synthetic person of the registration record ``record_id`` (the
    fingerprints taken again later, e.g. when the person applies), or None when the identity step
    did not run or does not know the record. ``capture_seed`` tells the captures apart: a later
    step uses its own seeds, beyond those of the registrations (0 to the number of records)."""
    idx = ctx.shared.get(PERSON_OF, {}).get(record_id)
    if idx is None:
        return None
    return [float(x) for x in SyntheticBiometrics(seed=ctx.seed).capture(idx, capture_seed)]


#: Share of the yellow links the officers have already verified when the demo world opens.
VERIFIED_SHARE = 0.6


def _verify_some(ctx: ScenarioContext, person_of: dict[str, int], rng: Any) -> None:
    """The officers have worked through part of their queues: each pending link is decided with
    probability :data:`VERIFIED_SHARE`, white when both records are one synthetic person, green
    when they are two. The rest stay in the queues; the decisions are the labels
    ``pactum identity train`` learns from and what the model page's outcomes table counts."""
    with ctx.services.uow() as uow:
        pending = uow.conn.execute(select(identity_links).where(identity_links.c.status == "pending")
                                   .order_by(identity_links.c.created_at, identity_links.c.id)).fetchall()
    for link in pending:
        left, right = person_of.get(link.record_id), person_of.get(link.linked_record_id)
        if left is None or right is None or rng.random() >= VERIFIED_SHARE:
            continue
        # decided within three days of the link, and by now: a link made in the world's last two
        # hours waits in the queue (its decision cannot come after it and by now)
        decided = min(as_utc(link.created_at) + timedelta(hours=rng.uniform(2, 72)), ctx.end_moment)
        if decided <= as_utc(link.created_at):
            continue
        same = left == right
        ctx.at(decided)
        identity.decide_link(ctx.services, _officer(link.verifying_authority), link.id, LinkDecision(
            colour="white" if same else "green", version=link.version,
            reason=("Demo world: one synthetic person (the scenario's ground truth)" if same
                    else "Demo world: two synthetic persons (the scenario's ground truth)")))


STEP = Step(name="identity", order=20, build=build,
            description="Identity: search keys, synthetic biometric templates, multiple-identity links")
