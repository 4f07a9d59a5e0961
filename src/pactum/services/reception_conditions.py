"""Reception: decisions on one applicant's material reception conditions (reduction, withdrawal,
no entitlement outside the state where the applicant is required to be present), recorded and
lifted by a caseworker of the applicant's Member State (:mod:`pactum.reception.conditions`).

Rights and scope: a Member State's ``caseworker`` or ``admin`` records and lifts its own state's
decisions; they and its ``analyst`` read them. Decisions name a person: the analysts of the EU
bodies (EUAA, Commission, Frontex) and the auditor, who read every state's aggregate reports, read
of these decisions only the counts per state (:func:`counts`), never a person. Every write is one
unit of work: the decision and its audit entry together or nothing; a lifting acts on the version
read (409 when it changed since).

Every problem of a body is said in one answer: the rules' (:func:`rules.check_decision`: text
missing or too long, values not listed, the law's checks), the applicant not the state's, and for an
Article 21 decision the transfer decision it rests on: the recording state's transfer decision
(``dublin_requests.transfer_decided_on``, Regulation (EU) 2024/1351) to ``required_state`` on a
Dublin case naming the applicant (``dublin_cases.person_id``), taken on or before ``decided_on``
(Directive (EU) 2024/1346, Article 21; Regulation (EU) 2024/1351, Article 18(1): "from the
notification of the transfer decision"), and the transfer carried out by then: until it is, the
applicant is required to be present in the state of application (Regulation (EU) 2024/1351,
Article 17(4)(a)), the recording state, where Article 21 does not apply; after it, in the state
responsible (Article 17(4)(b)). Or another state's transfer decision: the applicant, notified of a
transfer decision of state A to state B, moved on to the recording state, which found them by the
Eurodac hit, a white or red same-person identity link between one of its records of the applicant
and a record of the person A's Dublin case names (Regulation (EU) 2024/1358, Article 16(1) and
(4): A records the state responsible and the Central System informs the states whose data gave a
hit; Article 17(2): the state responsible and the day of arrival after the transfer recorded).
``required_state`` is then where the applicant is required to be present on ``decided_on``: B
once transferred (Article 17(4)(b)), A until then (point (a), our reading: A conducted the
determination as the state of application). The recording state sees of A's decision what the hit
carries and the day it was taken, never A's request nor Dublin case. The decision's page shows the
one found. Or a relocation carried out (the solidarity area's relocation transfers, read only:
Regulation (EU) 2024/1351, Article 17(4)(c), the state of relocation after the transfer of Article
67(11)).

Where the applicant is required to be present on a day (:func:`required_presence`): the latest
transfer decision or relocation known, those to the recording state included (transferred or
relocated here: required here, so Article 23(1) reaches the applicant here and Article 21 does not
apply here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from pactum.common.clock import as_utc
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.states import member_state as state_code
from pactum.common.text import shortened
from pactum.reception import conditions as rules
from pactum.reception import params
from pactum.registry.local_time import state_today
from pactum.services.auth import Principal, require
from pactum.services.bootstrap import Services
from pactum.services.reception import (
    EU_READ_ROLES,
    READ_ROLES,
    REPORTING_STATES,
    require_recorder,
)
from pactum.services.registry import (
    MAX_LINK_HOPS,
    Reached,
    check_own_person,
    same_person_network,
)
from pactum.store.tables.base import update_versioned
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.reception import reception_condition_decisions
from pactum.store.tables.registry import identity_records
from pactum.store.tables.responsibility import dublin_cases, dublin_requests
from pactum.store.tables.solidarity import relocation_transfers

D = reception_condition_decisions
STATUSES = ("in_force", "lifted")
MAX_LIMIT = 1000


def _state_reader(principal: Principal) -> str:
    """The state whose decisions ``principal`` reads in full: a Member State's user with a role of
    the area. An EU body's analyst and the auditor read the counts only."""
    require(principal, *READ_ROLES)
    if principal.member_state is None:
        raise Forbidden("decisions on an applicant's reception conditions name a person: a Member State's users "
                        "read their own state's; the EU bodies read the counts per state "
                        "(/api/v1/reception/conditions/counts)")
    return principal.member_state


def applicants_named(services: Services, principal: Principal,
                     decisions: list[dict[str, Any]]) -> dict[str, dict[str, str | None]]:
    """Decision id -> ``person_name`` (the person's latest identity record, in Latin script where it
    has it) and ``case_reference`` (the asylum case's short reference), as the pages name the
    applicant of the caller's state's decisions instead of their ids; None where not recorded."""
    from pactum.store.tables.registry import identity_records as I

    _state_reader(principal)
    person_ids = sorted({d["person_id"] for d in decisions if d.get("person_id")})
    case_ids = sorted({d["case_id"] for d in decisions if d.get("case_id")})
    names: dict[str, str] = {}
    refs: dict[str, str] = {}
    with services.engine.connect() as conn:
        if person_ids:
            for r in conn.execute(select(I.c.person_id, I.c.given_names, I.c.given_names_latin, I.c.surname,
                                         I.c.surname_latin)
                                  .where(I.c.person_id.in_(person_ids))
                                  .order_by(I.c.person_id, I.c.recorded_on.desc(), I.c.id.desc())):
                if r.person_id not in names:
                    names[r.person_id] = " ".join(x for x in (r.given_names_latin or r.given_names,
                                                              r.surname_latin or r.surname) if x)
        if case_ids:
            A = asylum_applications
            refs = {r.id: r.reference for r in conn.execute(select(A.c.id, A.c.reference)
                                                            .where(A.c.id.in_(case_ids))) if r.reference}
    return {d["id"]: {"person_name": names.get(d["person_id"]) or None,
                      "case_reference": refs.get(d.get("case_id") or "")} for d in decisions}


def may_read_decisions(principal: Principal) -> bool:
    return principal.member_state is not None and principal.has(*READ_ROLES)


def _applicant(conn: Connection, ms: str, case_id: str | None, person_id: str | None,
               problems: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """The person and the asylum case (its id) a decision concerns: a case of ``ms`` (by id or
    reference) or a person registered in ``ms``; when both are given they must agree. What does
    not is added to ``problems`` (naming ``case_id`` or ``person_id``) and the person is None."""
    if case_id:
        A = asylum_applications
        case = conn.execute(select(A.c.id, A.c.person_id, A.c.member_state)
                            .where(or_(A.c.id == case_id, A.c.reference == case_id))).first()
        if case is None or case.member_state != ms:
            problems.append(("case_id", f"{shortened(case_id)!r} is not an asylum case of {ms}"))
            return None, None
        if person_id and person_id != case.person_id:
            problems.append(("person_id", f"{shortened(person_id)!r} is not the applicant of case "
                                          f"{shortened(case_id)}"))
            return None, None
        return case.person_id, case.id
    if not person_id:
        return None, None
    try:
        check_own_person(conn, person_id, ms)
    except ValidationProblem as exc:
        problems.extend(exc.problems)
        return None, None
    return person_id, None


def _transfer_decisions(conn: Connection, ms: str, person_id: str, required_state: str) -> list[Any]:
    """The transfer decisions ``ms`` took on a Dublin request to ``required_state`` for
    ``person_id`` (its Dublin cases naming the person), the earliest first."""
    R, C = dublin_requests, dublin_cases
    return list(conn.execute(
        select(R.c.id, R.c.kind, R.c.regime, R.c.status, R.c.transfer_decided_on, R.c.transferred_on,
               R.c.requesting_member_state, R.c.requested_member_state,
               C.c.reference.label("case_reference"), C.c.id.label("dublin_case_id"))
        .join(C, C.c.id == R.c.case_id)
        .where(C.c.person_id == person_id, R.c.requesting_member_state == ms,
               R.c.requested_member_state == required_state, R.c.transfer_decided_on.isnot(None))
        .order_by(R.c.transfer_decided_on, R.c.id)).all())


def _other_states_transfer_decisions(conn: Connection, ms: str, person_id: str, *, to_ms: bool = False,
                                     network: dict[str, Reached] | None = None) -> list[tuple[Any, Reached, date]]:
    """The transfer decisions other states took on Dublin cases naming a person the Eurodac hits join
    to the applicant (a white or red same-person link between one of the applicant's records of
    ``ms`` and one of theirs, or a chain of them through other persons' records:
    :func:`same_person_network`), with how the person was reached and the day the chain was known
    (its last link), the earliest first. Not those of ``ms`` (:func:`_transfer_decisions`); those
    to ``ms`` itself only with ``to_ms`` (where the applicant is required to be present,
    :func:`required_presence`: an Article 21 decision of ``ms`` never rests on them). ``network``:
    the applicant's same-person network when the caller has read it already."""
    linked = same_person_network(conn, person_id, ms) if network is None else network
    if not linked:
        return []
    R, C = dublin_requests, dublin_cases
    q = (select(R.c.id, R.c.kind, R.c.regime, R.c.status, R.c.transfer_decided_on, R.c.transferred_on,
                R.c.requesting_member_state, R.c.requested_member_state, C.c.person_id.label("their_person"),
                C.c.reference.label("case_reference"), C.c.id.label("dublin_case_id"))
         .join(C, C.c.id == R.c.case_id)
         .where(C.c.person_id.in_(sorted(linked)), R.c.transfer_decided_on.isnot(None),
                R.c.requesting_member_state != ms))
    if not to_ms:
        q = q.where(R.c.requested_member_state != ms)
    rows = conn.execute(q.order_by(R.c.transfer_decided_on, R.c.id)).all()
    return [(r, linked[r.their_person], linked[r.their_person].known_at.date()) for r in rows]


@dataclass(frozen=True)
class _Relocation:
    """A relocation carried out under Regulation (EU) 2024/1351 (the solidarity area's
    ``relocation_transfers``, read only), in the shape of a transfer decision: the benefitting state
    took the transfer decision (Article 67(10)) to the state of relocation, and the applicant arrived
    there (Article 67(11), Article 68(1))."""

    id: str
    requesting_member_state: str
    requested_member_state: str
    transfer_decided_on: date
    transferred_on: date
    applicant_ref: str
    kind: str = "relocation"
    regime: str = "ammr"
    status: str = "arrived"
    case_reference: None = None
    dublin_case_id: None = None


def _relocations(conn: Connection, ms: str, person_id: str, *, network: dict[str, Reached] | None = None
                 ) -> list[tuple[_Relocation, Reached | None, date | None]]:
    """The relocations under Regulation (EU) 2024/1351 carried out (``arrived``) of the applicant
    (``person_id``, a person of ``ms``) or of a person the same-person links join to them
    (:func:`same_person_network`), the earliest first, each with how that person was reached and the
    day ``ms`` knew of it (the chain's last link; None for the applicant's own person, whose
    relocation ``ms`` recorded or received). Regulation (EU) 2024/1351, Article 17(4)(c): the
    applicant is required to be present "nello Stato membro di ricollocazione a seguito di un
    trasferimento a norma dell'articolo 67, paragrafo 11"; a relocation not carried out (matched,
    confirmed, transfer decided), excluded, cancelled, or under the voluntary solidarity mechanism
    (before the Regulation) is not read."""
    if conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id,
                                                        identity_records.c.member_state == ms)).first() is None:
        return []  # not a person of ms
    joined = same_person_network(conn, person_id, ms) if network is None else network
    linked: dict[str, Reached | None] = {person_id: None, **joined}
    T = relocation_transfers
    rows = conn.execute(
        select(T.c.id, T.c.person_id, T.c.applicant_ref, T.c.origin_member_state, T.c.destination_member_state,
               T.c.transfer_decided_on, T.c.arrived_on)
        .where(T.c.person_id.in_(sorted(linked)), T.c.era == "ammr", T.c.stage == "arrived",
               T.c.arrived_on.isnot(None))
        .order_by(T.c.arrived_on, T.c.id)).all()
    out: list[tuple[_Relocation, Reached | None, date | None]] = []
    for r in rows:
        reached = linked[r.person_id]
        out.append((_Relocation(r.id, r.origin_member_state, r.destination_member_state,
                                r.transfer_decided_on or r.arrived_on, r.arrived_on, r.applicant_ref),
                    reached, reached.known_at.date() if reached is not None else None))
    return out


def _required_in(t: Any, on: date) -> str:
    """Where the applicant of transfer decision ``t`` is required to be present on ``on``
    (Regulation (EU) 2024/1351, Article 17(4)): the state responsible once the transfer is carried
    out (point (b)); until then the state that took the decision, which conducted the
    determination, as the state of application of Article 17(1) and (2) (point (a): "pending ... the
    implementation of the transfer procedure"; our reading)."""
    return str(t.requested_member_state if t.transferred_on is not None and t.transferred_on <= on
               else t.requesting_member_state)


def _chain_words(reached: Reached) -> str:
    """How the applicant's record is joined to the other state's: one link (the hit), or a chain of
    them through other states' records."""
    if not reached.through:
        return f"identity link {reached.link}"
    return f"through a record of {', '.join(reached.through)}: identity links {', '.join(reached.links)}"


def _hit_words(t: Any, reached: Reached) -> str:
    if not reached.through:
        return (f"known by the Eurodac hit on a record of {t.requesting_member_state} (identity link {reached.link}; "
                "Regulation (EU) 2024/1358, Articles 16 and 17(2))")
    return (f"known by the Eurodac hits joining the applicant to a record of {t.requesting_member_state} "
            f"{_chain_words(reached)}; Regulation (EU) 2024/1358, Articles 16 and 17(2)")


def _other_state_problem(ms: str, required_state: str, decided_on: date,
                         found: list[tuple[Any, Reached, date]]) -> tuple[tuple[str, str] | None, Any]:
    """Article 21 on another state's transfer decision: the applicant, notified of it, moved on to
    ``ms``, a state other than the one where they are required to be present. The latest such
    decision under Regulation (EU) 2024/1351 on or before ``decided_on``, known to ``ms`` by a hit
    made by then, whose required state on that day (:func:`_required_in`) is ``required_state``,
    else the problem to say."""
    known = [f for f in found if f[2] <= decided_on]
    if not known:
        t, reached, hit_on = found[0]
        hit = ("the Eurodac hit that joins the applicant to a record of "
               f"{t.requesting_member_state} (identity link {reached.link}, {hit_on.isoformat()})"
               if not reached.through else
               f"the Eurodac hits that join the applicant to a record of {t.requesting_member_state} "
               f"({_chain_words(reached)}; the last on {hit_on.isoformat()})")
        return ("decided_on", f"{decided_on.isoformat()} is before {hit}: "
                              f"{ms} knew of no transfer decision of another state then; date the decision on or "
                              "after the hit"), None
    found = known
    ammr = [f for f in found if f[0].regime == "ammr"]
    before = [f for f in ammr if f[0].transfer_decided_on <= decided_on]
    for t, reached, hit_on in reversed(before):
        if _required_in(t, decided_on) == required_state:
            return None, (t, reached, hit_on)
    if before:
        t, link, _ = before[-1]
        where = _required_in(t, decided_on)
        why = (f"the transfer was carried out on {t.transferred_on.isoformat()}: the applicant is required to be "
               f"present in {where}, the state responsible (Regulation (EU) 2024/1351, Article 17(4)(b))"
               if where == t.requested_member_state else
               f"the transfer was not carried out by {decided_on.isoformat()}: pending it the applicant is required "
               f"to be present in {where}, the state of application (Regulation (EU) 2024/1351, Article 17(4)(a))")
        return ("required_state", f"on {decided_on.isoformat()} the applicant is required to be present in {where}, "
                                  f"not {required_state}: the transfer decision of {t.requesting_member_state} to "
                                  f"{t.requested_member_state} of {t.transfer_decided_on.isoformat()} "
                                  f"({_hit_words(t, link)}) is the one found, and {why}; give {where}"), None
    if ammr:
        t, link, _ = ammr[0]
        return ("decided_on", f"{decided_on.isoformat()} is before the transfer decision of {t.requesting_member_state} "
                              f"to {t.requested_member_state} ({t.transfer_decided_on.isoformat()}, "
                              f"{_hit_words(t, link)}): Article 21 applies from its notification, not before"), None
    t, link, _ = found[0]
    return ("required_state", f"the transfer decision of {t.requesting_member_state} to {t.requested_member_state} of "
                              f"{t.transfer_decided_on.isoformat()} ({_hit_words(t, link)}) was taken under "
                              f"Regulation (EU) No 604/2013 (Dublin III): {rules.NEW}, Article 21, concerns a "
                              "transfer decision under Regulation (EU) 2024/1351"), None


def _own_problem(ms: str, person_id: str, required_state: str, decided_on: date,
                 found: list[Any]) -> tuple[tuple[str, str] | None, Any]:
    """Article 21 on the recording state's own transfer decision: the latest of ``ms`` to
    ``required_state`` on or before ``decided_on``, carried out by then (None, and the problem to
    say, when there is none)."""
    ammr = [t for t in found if t.regime == "ammr"]
    before = [t for t in ammr if t.transfer_decided_on <= decided_on]
    if before:
        t = before[-1]
        if t.transferred_on is None or t.transferred_on > decided_on:
            # until the transfer is carried out the applicant is required to be present in the state
            # of application, the recording state: Article 21 concerns the other states
            return ("decided_on", f"the transfer to {required_state} decided on {t.transfer_decided_on.isoformat()} "
                                  f"(request {t.id}, Dublin case {t.case_reference}) was not carried out by "
                                  f"{decided_on.isoformat()}: until it is, the applicant is required to be present in "
                                  f"{ms}, the state of application (Regulation (EU) 2024/1351, Article 17(4)(a)), "
                                  f"where {rules.NEW}, Article 21, does not apply; once transferred the applicant is "
                                  f"required to be present in {required_state} (Article 17(4)(b))"), None
        return None, t
    if ammr:
        t = ammr[0]
        return ("decided_on", f"{decided_on.isoformat()} is before the transfer decision of {ms} to "
                              f"{required_state} ({t.transfer_decided_on.isoformat()}, request {t.id}, Dublin case "
                              f"{t.case_reference}): Article 21 applies from its notification, not before"), None
    t = found[0]
    return ("required_state", f"the transfer decision of {ms} to {required_state} of "
                              f"{t.transfer_decided_on.isoformat()} (request {t.id}) was taken under Regulation "
                              f"(EU) No 604/2013 (Dublin III): {rules.NEW}, Article 21, concerns a transfer "
                              "decision under Regulation (EU) 2024/1351"), None


def _transfer_decision_problem(conn: Connection, ms: str, person_id: str, required_state: str,
                               decided_on: date) -> tuple[tuple[str, str] | None, dict[str, Any] | None]:
    """Article 21 runs "from the notification of a transfer decision ... to the responsible Member
    State under Regulation (EU) 2024/1351" and withholds the conditions "in any Member State other
    than the one where they are required to be present": the transfer decision it rests on (its
    public form, :func:`_transfer_public`), or the problem to say when there is none. First the
    recording state's own (to ``required_state``, carried out by ``decided_on``:
    :func:`_own_problem`); else another state's, on a person the Eurodac hit joins to the applicant,
    whose required state on ``decided_on`` is ``required_state`` (:func:`_other_state_problem`).
    When neither fits, the own decision's problem when ``ms`` has one, else the other state's."""
    own = _transfer_decisions(conn, ms, person_id, required_state)
    own_problem: tuple[str, str] | None = None
    if own:
        own_problem, t = _own_problem(ms, person_id, required_state, decided_on, own)
        if own_problem is None:
            return None, _transfer_public(t)
    # a relocation carried out to ``required_state`` by ``decided_on``, known by then: the applicant is
    # required to be present in the state of relocation (Regulation (EU) 2024/1351, Article 17(4)(c));
    # the relocation's transfer decision (Article 67(10)) to the state that takes over responsibility
    # (Article 68(2) and (3)) is what Article 21 rests on (Pactum's reading)
    network = same_person_network(conn, person_id, ms)
    for t, reached, known_on in reversed(_relocations(conn, ms, person_id, network=network)):
        if (t.requested_member_state == required_state and t.transferred_on <= decided_on
                and (known_on is None or known_on <= decided_on)):
            return None, _transfer_public(t, reached=reached)
    # the applicant relocated to another state, the latest known by ``decided_on``: required to be
    # present in the state of relocation (Article 17(4)(c)), which the decision must name
    presence = required_presence(conn, ms, person_id, decided_on, network=network)
    if presence is not None and presence.transfer["kind"] == "relocation" and presence.member_state != required_state:
        where = presence.member_state
        return ("required_state", f"on {decided_on.isoformat()} the applicant is required to be present in {where}, "
                                  f"not {required_state}: {_presence_words(presence.transfer, decided_on)} "
                                  f"({presence.legal_basis}); give {where}"), None
    others = _other_states_transfer_decisions(conn, ms, person_id, network=network)
    if others:
        problem, hit = _other_state_problem(ms, required_state, decided_on, others)
        if problem is None:
            return None, _transfer_public(hit[0], reached=hit[1])
        return own_problem or problem, None
    if own_problem is not None:
        return own_problem, None
    return ("required_state", f"no transfer decision of {ms} to {required_state} on or before "
                              f"{decided_on.isoformat()} is recorded for {person_id}, nor one of another state on a "
                              "record the Eurodac hit joins to the applicant's (a white or red identity link, or a "
                              f"chain of them through other persons' records, at most {MAX_LINK_HOPS} links): "
                              "Article 21 applies from the notification of a transfer decision to the responsible "
                              "Member State (Regulation (EU) 2024/1351); record it on the Dublin request first"), None


def _transfer_public(t: Any, *, reached: Reached | None = None) -> dict[str, Any]:
    """The transfer decision an Article 21 decision rests on. The recording state's own: its request
    and Dublin case (``known_by`` ``own_dublin_request``). Another state's (``known_by``
    ``eurodac_hit``): what the hit tells the state (Regulation (EU) 2024/1358, Articles 16 and
    17(2): the state that took it, the state responsible, the day of arrival after the transfer)
    and the day of the decision, with the identity link on the applicant's record
    (``identity_link_id``), every link of the chain (``identity_link_ids``) and the states passed
    through (``through``, empty for a direct hit); not that state's request, Dublin case nor their
    status, which stay in its files."""
    common = {"decided_by": t.requesting_member_state, "requested_member_state": t.requested_member_state,
              "transfer_decided_on": t.transfer_decided_on.isoformat(),
              "transferred_on": t.transferred_on.isoformat() if t.transferred_on else None, "kind": t.kind,
              # a relocation carried out (kind ``relocation``, Regulation (EU) 2024/1351, Article 17(4)(c)):
              # the relocation transfer's id; None for a transfer decision on a Dublin request
              "relocation_id": t.id if isinstance(t, _Relocation) else None}
    if reached is not None:
        return {**common, "known_by": "eurodac_hit", "identity_link_id": reached.link,
                "identity_link_ids": list(reached.links), "through": list(reached.through), "request_id": None,
                "dublin_case_id": None, "dublin_case_reference": None, "status": None}
    if isinstance(t, _Relocation):
        return {**common, "known_by": "relocation_transfer", "identity_link_id": None, "identity_link_ids": [],
                "through": [], "request_id": None, "dublin_case_id": None, "dublin_case_reference": None,
                "status": t.status}
    return {**common, "known_by": "own_dublin_request", "identity_link_id": None, "identity_link_ids": [],
            "through": [], "request_id": t.id, "dublin_case_id": t.dublin_case_id,
            "dublin_case_reference": t.case_reference, "status": t.status}


#: The points of Regulation (EU) 2024/1351, Article 17(4), where the applicant is required to be present.
A17_4 = "Regulation (EU) 2024/1351, Article 17(4)"


@dataclass(frozen=True)
class Presence:
    """Where a transfer decision or a relocation known on a day requires the applicant to be present
    (Regulation (EU) 2024/1351, Article 17(4)): the state, the decision (its public form,
    :func:`_transfer_public`) and the point of Article 17(4) it rests on (``legal_basis``)."""

    member_state: str
    transfer: dict[str, Any]
    legal_basis: str


def _presence_of(t: Any, reached: Reached | None, ms: str, on: date) -> Presence:
    """Where ``t`` (a transfer decision or a relocation carried out) requires the applicant of ``ms``
    to be present on ``on``: :func:`_required_in`, except for a transfer decision of another state to
    ``ms`` not carried out yet, whose applicant ``ms`` finds on its territory: ``ms``, the state
    responsible (Pactum's reading of Article 17(4)(a), "se del caso, dell'attuazione della procedura di
    trasferimento": the applicant already in the state responsible, no transfer is left to implement;
    the letter would keep them required in the deciding state until the transfer)."""
    public = _transfer_public(t, reached=reached)
    if isinstance(t, _Relocation):
        return Presence(t.requested_member_state, public, f"{A17_4}(c): the state of relocation after the "
                        "transfer (Article 67(11))")
    carried_out = t.transferred_on is not None and t.transferred_on <= on
    if carried_out:
        return Presence(t.requested_member_state, public, f"{A17_4}(b): the state responsible, the transfer "
                        "carried out")
    if t.requested_member_state == ms:
        return Presence(ms, public, f"{A17_4}(b): the state responsible, where the applicant is found before "
                        "the transfer (Pactum's reading of point (a): no transfer left to implement)")
    return Presence(_required_in(t, on), public, f"{A17_4}(a): the state that took the transfer decision, "
                    "pending the transfer")


def required_presence(conn: Connection, ms: str, person_id: str, on: date, *,
                      network: dict[str, Reached] | None = None) -> Presence | None:
    """Where the applicant (``person_id``, a person of ``ms``) is required to be present on ``on``,
    as the latest transfer decision or relocation known by then says (:class:`Presence`); None when
    none is known. Read: the transfer decisions under Regulation (EU) 2024/1351 taken on or before
    ``on``: ``ms``'s own on a Dublin case naming the applicant, and other states' on a person the
    same-person links join to the applicant (:func:`same_person_network`), known by ``on``, those
    to ``ms`` included (the applicant transferred here: required here, Article 17(4)(b)); and the
    relocations carried out by ``on`` (:func:`_relocations`, Article 17(4)(c)). The latest decides,
    by the day of its transfer decision (:func:`_presence_of`). The same-person network is read once
    for both (``network``: the caller's when it has read it already)."""
    R, C = dublin_requests, dublin_cases
    if network is None:
        network = same_person_network(conn, person_id, ms)
    own = conn.execute(
        select(R.c.id, R.c.kind, R.c.regime, R.c.status, R.c.transfer_decided_on, R.c.transferred_on,
               R.c.requesting_member_state, R.c.requested_member_state,
               C.c.reference.label("case_reference"), C.c.id.label("dublin_case_id"))
        .join(C, C.c.id == R.c.case_id)
        .where(C.c.person_id == person_id, R.c.requesting_member_state == ms, R.c.regime == "ammr",
               R.c.transfer_decided_on.isnot(None), R.c.transfer_decided_on <= on)).all()
    found: list[tuple[date, str, Any, Reached | None]] = [(t.transfer_decided_on, t.id, t, None) for t in own]
    found += [(t.transfer_decided_on, t.id, t, reached)
              for t, reached, hit_on in _other_states_transfer_decisions(conn, ms, person_id, to_ms=True,
                                                                                network=network)
              if t.regime == "ammr" and t.transfer_decided_on <= on and hit_on <= on]
    found += [(t.transfer_decided_on, t.id, t, reached)
              for t, reached, known_on in _relocations(conn, ms, person_id, network=network)
              if t.transferred_on <= on and (known_on is None or known_on <= on)]
    if not found:
        return None
    _, _, t, reached = max(found, key=lambda f: (f[0], f[1]))
    return _presence_of(t, reached, ms, on)


def required_elsewhere(conn: Connection, ms: str, person_id: str, on: date) -> tuple[str, dict[str, Any]] | None:
    """Where the applicant is required to be present on ``on`` when it is not ``ms``, and the transfer
    decision (or relocation) that says so (:func:`_transfer_public`); None when none known by then
    puts them elsewhere (:func:`required_presence`: the state that took a transfer decision pending
    the transfer, point (a); the state responsible once transferred, point (b); the state of
    relocation once relocated, point (c); a transfer decision or relocation to ``ms``, the latest,
    keeps them here)."""
    presence = required_presence(conn, ms, person_id, on)
    return None if presence is None or presence.member_state == ms else (presence.member_state, presence.transfer)


_UNREAD: Any = object()


def _other_states_article21(conn: Connection, ms: str, person_id: str, on: date, *,
                            network: dict[str, Reached] | None = None,
                            presence: Presence | None = _UNREAD) -> list[dict[str, Any]]:
    """The Article 21 decisions other states recorded on persons the same-person links join to the
    applicant (:func:`same_person_network`: the applicant who moved on from a state that found them
    there), the latest first. What ``ms`` sees of another state's decision is what says the Article
    21 situation: the state that decided, the state it named as the one where the applicant is
    required to be present, its days and status and the links that join the persons; not its
    person, assessment, reasons nor the transfer decision's files (our reading, as for a transfer
    decision known by the hit). ``here`` says what it means for ``ms`` while it is in force:
    ``required_here`` (``ms`` is the state named: Article 21 does not withhold the conditions in
    ``ms``) or ``not_entitled_here`` (Article 21 withholds them in every state other than the one
    named, ``ms`` included: ``ms`` records its own decision, checked against the transfer decision).
    Read on ``on``: where a transfer decision or relocation known to ``ms`` by then requires the
    applicant to be present in another state than the one the decision named (the transfer carried
    out since, Regulation (EU) 2024/1351, Article 17(4)(b), (c)), that state is where they are
    required now (``required_now``, with ``required_now_by`` in words; else ``required_now`` is the
    state named and ``required_now_by`` None), and ``here`` reads it: a decision naming ``ms``
    does not keep the applicant required here once they were transferred on. ``network``,
    ``presence``: the applicant's same-person network and :func:`required_presence` on ``on``
    when the caller has read them already."""
    linked = same_person_network(conn, person_id, ms) if network is None else network
    if not linked:
        return []
    if presence is _UNREAD:
        presence = required_presence(conn, ms, person_id, on, network=linked)
    rows = conn.execute(select(D.c.member_state, D.c.person_id, D.c.required_state, D.c.decided_on,
                               D.c.effective_from, D.c.status, D.c.lifted_on)
                        .where(D.c.person_id.in_(sorted(linked)), D.c.measure == "not_entitled",
                               D.c.member_state != ms)
                        .order_by(D.c.decided_on.desc(), D.c.member_state, D.c.id)).all()
    out = []
    for r in rows:
        reached = linked[r.person_id]
        moved = presence is not None and presence.member_state != r.required_state
        required_now = presence.member_state if presence is not None and moved else r.required_state
        here = None
        if r.status == "in_force":
            here = "required_here" if required_now == ms else "not_entitled_here"
        out.append({
            "decided_by": r.member_state, "required_state": r.required_state, "decided_on": r.decided_on.isoformat(),
            "effective_from": r.effective_from.isoformat(), "status": r.status,
            "lifted_on": r.lifted_on.isoformat() if r.lifted_on else None, "here": here,
            "required_now": required_now,
            "required_now_by": (f"{_presence_words(presence.transfer, on)} ({presence.legal_basis})"
                                if presence is not None and moved else None),
            "identity_link_id": reached.link, "identity_link_ids": list(reached.links),
            "through": list(reached.through), "known_on": reached.known_at.date().isoformat(),
            "legal_basis": rules.ART21_BASIS,
        })
    return out


def _public(row: Any) -> dict[str, Any]:
    ground = rules.GROUNDS_BY_CODE.get(row["ground"] or "")
    return {
        "id": row["id"], "member_state": row["member_state"], "person_id": row["person_id"],
        "case_id": row["case_id"], "measure": row["measure"], "measure_label": rules.MEASURE_LABELS[row["measure"]],
        "conditions": row["conditions"], "conditions_label": rules.CONDITIONS_LABELS[row["conditions"]],
        "ground": row["ground"], "ground_label": ground.label if ground else None,
        "ground_citation": ground.citation if ground else None,
        "governing_law": row["regime"], "legal_basis": row["legal_basis"],
        "required_state": row["required_state"], "decided_on": row["decided_on"].isoformat(),
        "effective_from": row["effective_from"].isoformat(),
        "individual_assessment": row["individual_assessment"], "reasons": row["reasons"],
        "guarantees": row["guarantees"], "status": row["status"],
        "lifted_on": row["lifted_on"].isoformat() if row["lifted_on"] else None,
        "restoration": row["restoration"], "lift_reason": row["lift_reason"], "lift_basis": row["lift_basis"],
        # UTC, with its zone (a store without zones, SQLite, gives them naive)
        "recorded_by": row["recorded_by"], "created_at": as_utc(row["created_at"]).isoformat(),
        "updated_at": as_utc(row["updated_at"]).isoformat(), "version": row["version"],
    }


def _presence_words(t: dict[str, Any], on: date) -> str:
    """A transfer decision or relocation (:func:`_transfer_public`) as the refusals and pages say it:
    "transfer decision of IT to DE of 2026-11-10, known by the Eurodac hit, not transferred yet",
    "relocation of IT to DE (transfer decision of 2026-11-03), arrived on 2026-11-12"."""
    known = ("" if t["known_by"] in ("own_dublin_request", "relocation_transfer") else
             ", known by the Eurodac hit" + (f"s through {', '.join(t['through'])}" if t["through"] else ""))
    if t["kind"] == "relocation":
        return (f"relocation of {t['decided_by']} to {t['requested_member_state']} (transfer decision of "
                f"{t['transfer_decided_on']}){known}, arrived on {t['transferred_on']}")
    moved = (f"transferred on {t['transferred_on']}" if t["transferred_on"] and t["transferred_on"] <= on.isoformat()
             else "not transferred yet")
    return f"transfer decision of {t['decided_by']} to {t['requested_member_state']} of {t['transfer_decided_on']}{known}, {moved}"


def _article21_here(ms: str, on: date, presence: Presence) -> str:
    """Why an Article 21 decision of ``ms`` is refused for an applicant required to be present in
    ``ms`` itself: Article 21 withholds the conditions only in the states other than that one."""
    return (f"on {on.isoformat()} the applicant is required to be present in {ms}, the state recording the "
            f"decision: {_presence_words(presence.transfer, on)} ({presence.legal_basis}); {rules.NEW}, Article 21, "
            "withholds the conditions only in a state other than the one where the applicant is required to be "
            "present")


def _article23_elsewhere(ms: str, on: date, where: str, t: dict[str, Any]) -> str:
    """Why a reduction or withdrawal of ``ms`` is refused for an applicant required to be present in
    another state: Article 23(1) reaches "the applicants required to be present on their territory
    in accordance with Article 17(4) of Regulation (EU) 2024/1351"; in any other state Article 21
    applies."""
    return (f"on {on.isoformat()} the applicant is required to be present in {where}, not {ms}: "
            f"{_presence_words(t, on)} "
            f"(Regulation (EU) 2024/1351, Article 17(4)); {rules.NEW}, Article 23(1), reaches the applicants required "
            f"to be present on the state's territory, and in {ms} Article 21 withholds the conditions of Articles 17 "
            f"to 20: record measure not_entitled with required_state {where}")


def record_decision(services: Services, principal: Principal,
                    body: rules.ConditionsDecisionCreate) -> dict[str, Any]:
    """Record a decision on one applicant's reception conditions for the caller's state. Every
    problem of the body is said at once, each naming its field; a decision of the same measure on
    the same conditions already in force for the applicant is a 409 (lift it first)."""
    ms = require_recorder(principal)
    with services.uow() as uow:
        today = state_today(uow.now, ms)
        problems = rules.check_decision(body, ms, today, params.reports_from(body.decided_on))
        required: str | None = None
        if body.required_state and not any(f == "required_state" for f, _ in problems):
            try:
                required = state_code(body.required_state)
            except ValueError:
                problems.append(("required_state", f"no Member State '{shortened(body.required_state, 10)}': "
                                                   "give a state's two-letter code, such as DE"))
            else:
                if required == ms:
                    problems.append(("required_state", f"{ms} is the state recording the decision: Article 21 "
                                                       "concerns an applicant present in another state"))
                    required = None
        known = {f for f, _ in problems}
        transfer: dict[str, Any] | None = None
        person_id, case_id = _applicant(uow.conn, ms, None if "case_id" in known else body.case_id,
                                        None if "person_id" in known else body.person_id, problems)
        if (body.measure == "not_entitled" and person_id is not None and required is not None
                and "decided_on" not in known and "measure" not in known):
            problem, transfer = _transfer_decision_problem(uow.conn, ms, person_id, required, body.decided_on)
            # a later transfer decision or relocation to ``ms`` (the applicant transferred or relocated
            # here) keeps the applicant required here: Article 21 does not apply in ``ms``
            # (the state's own transfer decision not carried out says its own problem: decided_on)
            presence = required_presence(uow.conn, ms, person_id, body.decided_on)
            if (presence is not None and presence.member_state == ms
                    and (problem is None or presence.transfer["requested_member_state"] == ms)):
                problem, transfer = ("required_state", _article21_here(ms, body.decided_on, presence)), None
            if problem is not None:
                problems.append(problem)
        elif (body.measure in ("reduce", "withdraw") and person_id is not None and "decided_on" not in known
              and "measure" not in known and rules.regime(body.decided_on) == rules.NEW):
            elsewhere = required_elsewhere(uow.conn, ms, person_id, body.decided_on)
            if elsewhere is not None:
                problems.append(("measure", _article23_elsewhere(ms, body.decided_on, *elsewhere)))
        if problems:
            raise ValidationProblem(problems)
        assert person_id is not None
        conditions = body.conditions or "articles_17_to_20"
        clash = uow.conn.execute(select(D.c.id, D.c.decided_on).where(
            D.c.member_state == ms, D.c.person_id == person_id, D.c.status == "in_force",
            D.c.conditions == conditions)).first()
        if clash is not None:
            raise Conflict(f"a decision on the {rules.CONDITIONS_LABELS[conditions].lower()} of {person_id} is in "
                           f"force since {clash.decided_on.isoformat()} ({clash.id}): lift it before recording another")
        law = rules.regime(body.decided_on)
        guarantees = rules.ART21_GUARANTEES if body.measure == "not_entitled" else rules.GUARANTEES[law]
        decision_id = new_id("rcd")
        values = {
            "member_state": ms, "person_id": person_id, "case_id": case_id, "measure": body.measure,
            "conditions": conditions, "ground": body.ground, "regime": law,
            "legal_basis": rules.decision_basis(body.measure, body.conditions, body.ground),
            "required_state": required,
            "decided_on": body.decided_on, "effective_from": body.effective_from or body.decided_on,
            "individual_assessment": body.individual_assessment, "reasons": body.reasons,
            "guarantees": guarantees, "status": "in_force",
        }
        uow.conn.execute(insert(D).values(id=decision_id, recorded_by=principal.username, created_at=uow.now,
                                          updated_at=uow.now, version=1, **values))
        uow.audit(principal, "reception.conditions_decided", "reception_condition_decision", decision_id,
                  after={**_audited(values, 1), **({"transfer_decision": transfer} if transfer else {}),
                         # an Article 21 decision: the other states' Article 21 decisions the state knew of
                         **({"other_states_article21": _other_states_article21(uow.conn, ms, person_id,
                                                                               body.decided_on)}
                            if body.measure == "not_entitled" else {})})
        uow.commit()
    return get_decision(services, principal, decision_id)


def _audited(values: dict[str, Any], version: int) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in {**values, "version": version}.items()}


def lift_decision(services: Services, principal: Principal, decision_id: str,
                  body: rules.ConditionsLifting) -> dict[str, Any]:
    """End a decision of the caller's state: the conditions restored (all or part) on a date, why,
    and what the restoration follows (Article 23(3) or Directive 2013/33/EU, Article 20(1), second
    subparagraph, where the grounds cease). 409 when it changed since ``body.version``."""
    ms = require_recorder(principal)
    with services.uow() as uow:
        row = uow.conn.execute(select(D).where(D.c.id == decision_id)).mappings().first()
        if row is None or row["member_state"] != ms:
            raise NotFound(f"no decision on reception conditions {shortened(decision_id)} of {ms}")
        if row["version"] != body.version:
            raise Conflict(f"the decision was changed since version {body.version} was read (now version "
                           f"{row['version']}): read it again")
        if row["status"] != "in_force":
            raise Conflict(f"the decision was already lifted on {row['lifted_on'].isoformat()}")
        problems = rules.check_lifting(body, row["decided_on"], state_today(uow.now, ms))
        if body.restoration == "part" and row["measure"] == "not_entitled":
            problems.append(("restoration", "an Article 21 decision ends as a whole: give all"))
        if problems:
            raise ValidationProblem(problems)
        values = {"status": "lifted", "lifted_on": body.lifted_on, "restoration": body.restoration,
                  "lift_reason": body.reason,
                  "lift_basis": rules.lifting_basis(row["measure"], row["ground"], body.restoration)}
        version = update_versioned(uow.conn, D, decision_id, body.version, {**values, "updated_at": uow.now})
        uow.audit(principal, "reception.conditions_lifted", "reception_condition_decision", decision_id,
                  before={"status": "in_force", "version": body.version}, after=_audited(values, version))
        uow.commit()
    return get_decision(services, principal, decision_id)


def get_decision(services: Services, principal: Principal, decision_id: str) -> dict[str, Any]:
    """One decision of the caller's state; an Article 21 decision with ``transfer_decision``, the
    transfer decision it rests on (:func:`_transfer_decision_problem`, :func:`_transfer_public`):
    the state's own (request id and kind, Dublin case reference, date, status) or another state's
    known by the Eurodac hit (the state that took it, the state responsible, the days, the
    identity link); and ``other_states_article21``, the other states' Article 21 decisions on the
    same person (:func:`_other_states_article21`), which its audit entry also keeps as they were
    when it was recorded."""
    ms = _state_reader(principal)
    with services.engine.connect() as conn:
        row = conn.execute(select(D).where(D.c.id == decision_id)).mappings().first()
        if row is None or row["member_state"] != ms:
            raise NotFound(f"no decision on reception conditions {shortened(decision_id)} of {ms}")
        transfer = None
        others: list[dict[str, Any]] = []
        if row["measure"] == "not_entitled" and row["required_state"]:
            _, transfer = _transfer_decision_problem(conn, ms, row["person_id"], row["required_state"],
                                                     row["decided_on"])
            others = _other_states_article21(conn, ms, row["person_id"], state_today(services.clock.now(), ms))
    # an Article 21 decision: the transfer decision it rests on (None for a decision recorded
    # before the platform checked it, or for the other measures), and the other states' Article 21
    # decisions on the same person (empty for the other measures)
    return {**_public(row), "transfer_decision": transfer, "other_states_article21": others}


def list_decisions(services: Services, principal: Principal, *, member_state: str | None = None,
                   status: str | None = "in_force", measure: str | None = None, person_id: str | None = None,
                   limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """The caller's state's decisions, the latest first: those in force by default (``status``
    ``in_force``, ``lifted`` or ``all``), of a ``measure``, of one ``person_id``."""
    ms = _state_reader(principal)
    problems: list[tuple[str, str]] = []
    if member_state is not None:
        try:
            asked = state_code(member_state)
        except ValueError:
            problems.append(("member_state", f"no Member State '{shortened(member_state, 10)}'"))
        else:
            if asked != ms:
                raise Forbidden(f"a user of {ms} sees the decisions on reception conditions of {ms} only")
    if status not in (*STATUSES, "all", None):
        problems.append(("status", "in_force, lifted or all"))
    if measure is not None and measure not in rules.MEASURE_LABELS:
        problems.append(("measure", "reduce, withdraw or not_entitled"))
    if not 1 <= limit <= MAX_LIMIT:
        problems.append(("limit", f"a whole number from 1 to {MAX_LIMIT}"))
    if offset < 0:
        problems.append(("offset", "0 or more"))
    if problems:
        raise ValidationProblem(problems)
    q = select(D).where(D.c.member_state == ms)
    if status in STATUSES:
        q = q.where(D.c.status == status)
    if measure is not None:
        q = q.where(D.c.measure == measure)
    if person_id is not None:
        q = q.where(D.c.person_id == person_id)
    with services.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(q.order_by(D.c.decided_on.desc(), D.c.id).limit(limit).offset(offset)).mappings().all()
    return {"member_state": ms, "status": status or "in_force", "total": total,
            "decisions": [_public(r) for r in rows]}


def applicant_decisions(services: Services, principal: Principal, person_id: str) -> dict[str, Any]:
    """Every decision of the caller's state on one applicant's reception conditions, the latest first,
    with the Article 21 decisions of other states on the same person (``other_states_article21``,
    :func:`_other_states_article21`: through the same-person links, chains included) and, where a
    transfer decision known today puts the applicant in another state, that state
    (``required_elsewhere``: Article 21 then applies in the caller's state, Article 23(1) does not).
    404 when the caller's state has no decision on the person and no other state's is found."""
    ms = _state_reader(principal)
    with services.engine.connect() as conn:
        rows = conn.execute(select(D).where(D.c.member_state == ms, D.c.person_id == person_id)
                            .order_by(D.c.decided_on.desc(), D.c.id)).mappings().all()
        own_person = conn.execute(select(identity_records.c.id).where(
            identity_records.c.person_id == person_id, identity_records.c.member_state == ms)).first()
        # the same-person network read once, for other states' Article 21 decisions and for where the
        # applicant is required to be present
        network = same_person_network(conn, person_id, ms) if own_person is not None else {}
        today = state_today(services.clock.now(), ms)
        presence = required_presence(conn, ms, person_id, today, network=network) if own_person is not None else None
        others = (_other_states_article21(conn, ms, person_id, today, network=network, presence=presence)
                  if own_person is not None else [])
    if not rows and not others:
        raise NotFound(f"no decision on the reception conditions of {shortened(person_id)} in {ms}, nor an Article 21 "
                       "decision of another state on the same person")
    where = ({"member_state": presence.member_state, "transfer_decision": presence.transfer,
              "legal_basis": presence.legal_basis} if presence is not None else None)
    here = presence is not None and presence.member_state == ms
    return {"member_state": ms, "person_id": person_id, "decisions": [_public(r) for r in rows],
            "other_states_article21": others,
            "required_elsewhere": where if where is not None and not here else None,
            # the transfer decision or relocation known today that requires the applicant to be present
            # in the caller's state (transferred or relocated here, or pending the state's own transfer):
            # Article 21 does not withhold the conditions here, Article 23(1) reaches the applicant
            "required_here": where if here else None}


def counts(services: Services, principal: Principal) -> dict[str, Any]:
    """The applicants whose reception conditions are reduced, withdrawn or not due (Article 21) on
    today, per state: every state's for an EU body's analyst or the auditor, its own for a state's
    user. Counts only, never a person."""
    require(principal, *READ_ROLES)
    if principal.member_state is None and not principal.has(*EU_READ_ROLES):
        raise Forbidden("the counts of decisions on reception conditions are read by the analysts of the EU "
                        "bodies and the auditor")
    scope = principal.member_state
    q = (select(D.c.member_state, D.c.measure, func.count(func.distinct(D.c.person_id)))
         .where(D.c.status == "in_force").group_by(D.c.member_state, D.c.measure))
    if scope is not None:
        q = q.where(D.c.member_state == scope)
    by_state: dict[str, dict[str, int]] = defaultdict(dict)
    with services.engine.connect() as conn:
        for ms, measure, n in conn.execute(q):
            by_state[ms][measure] = int(n)
        applicants: dict[str, int] = dict(conn.execute(
            select(D.c.member_state, func.count(func.distinct(D.c.person_id))).where(D.c.status == "in_force")
            .where(D.c.member_state == scope if scope else D.c.member_state.isnot(None))
            .group_by(D.c.member_state)).all())
    states = [scope] if scope else sorted(set(REPORTING_STATES) | set(by_state))
    rows = [{"member_state": s, "applicants": int(applicants.get(s, 0)),
             **{m: by_state[s].get(m, 0) for m in rules.MEASURE_LABELS}} for s in states]
    return {"scope": scope or "EU", "states": rows,
            "total_applicants": sum(r["applicants"] for r in rows)}


def in_force_of_person(services: Services, principal: Principal, person_id: str) -> list[dict[str, Any]] | None:
    """The decisions of the caller's state in force on ``person_id``'s reception conditions, the
    latest first, for the asylum case and person pages ("reduced", "withdrawn", "not entitled",
    with a link to each), then the Article 21 decisions of other states in force on the same person
    (``other_state`` true, :func:`_other_states_article21`); None for a user who may not read them
    (an EU body, or a role outside the reception area's readers, such as a Dublin unit or a return
    officer). Last, where a transfer decision or relocation known today requires the applicant to be
    present (``presence`` true, :func:`required_presence`): ``here`` (the caller's state) or not,
    ``member_state``, ``transfer_decision``, ``words`` and ``legal_basis``."""
    if not may_read_decisions(principal) or principal.member_state is None:
        return None
    ms = principal.member_state
    with services.engine.connect() as conn:
        rows = conn.execute(select(D).where(D.c.member_state == ms, D.c.person_id == person_id,
                                            D.c.status == "in_force")
                            .order_by(D.c.decided_on.desc(), D.c.id)).mappings().all()
        out = []
        for r in rows:
            transfer = None
            if r["measure"] == "not_entitled" and r["required_state"]:
                # the line says whose transfer decision grounds it: the state's own or another's
                _, transfer = _transfer_decision_problem(conn, r["member_state"], r["person_id"],
                                                         r["required_state"], r["decided_on"])
            out.append({**_public(r), "transfer_decision": transfer})
        # the Article 21 decisions of other states in force on the same person, after the state's own
        # (``other_state`` true): what they mean here (``here``) is said beside each
        network = same_person_network(conn, person_id, ms)  # read once for both reads below
        today = state_today(services.clock.now(), ms)
        presence = required_presence(conn, ms, person_id, today, network=network)
        out += [{**o, "other_state": True}
                for o in _other_states_article21(conn, ms, person_id, today, network=network, presence=presence)
                if o["status"] == "in_force"]
        # where a transfer decision or relocation known today requires the applicant to be present
        # (``presence`` true), last: here, or in another state
        if presence is not None:
            out.append({"presence": True, "member_state": presence.member_state,
                        "here": presence.member_state == ms, "transfer_decision": presence.transfer,
                        "words": _presence_words(presence.transfer, today), "legal_basis": presence.legal_basis})
    return out
