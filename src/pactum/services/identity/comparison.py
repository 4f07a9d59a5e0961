"""The comparison of every registered identity record, on each channel.

Eurodac compares the data of a record on their transmission and answers hit or no hit to the
transmitting state (Eurodac, Reg. (EU) 2024/1358). Every registration writes, in its own transaction,
a row of ``identity_comparisons`` saying that its record awaits its comparison
(:func:`pending_row`); the comparison is :func:`pactum.services.identity.search_candidates_for_record`,
the same on every channel, which writes the multiple-identity links, logs the records of other
states it returns and marks the row compared with the candidates it returned
(:func:`record_outcome`):

* the registration page and ``pactum registry register`` compare the record at once, as the officer
  who registered it (:func:`compare_registered`): one record, an officer waiting for the answer;
* a registration through the API (``POST /api/v1/registry/arrivals``, the national systems' busy
  path) is answered without waiting: the ``identity_comparison`` job compares every record still
  pending (:func:`compare_pending_records`), on behalf of the officer who registered it (the
  links' verifying authority is that officer's state, the disclosures are logged to that officer),
  and ``GET /api/v1/identity/records/{id}/comparison`` reads the outcome (:func:`comparison_of_record`).

A record is compared once: whoever takes a pending row first marks it (an ``UPDATE ... WHERE
compared_at IS NULL`` in the comparison's own transaction) and the others find it compared. Running
the job again compares nothing more.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from pactum.common.clock import as_utc
from pactum.services import identity as _identity
from pactum.services.auth import Principal, Role, require
from pactum.services.bootstrap import Services
from pactum.services.jobs import job
from pactum.services.uow import UnitOfWork
from pactum.store.tables.identity import identity_comparisons, identity_links

#: The ways a comparison runs: at the registration (web page, command line), by the scheduled job
#: (a registration through the API), on an officer's request ("Search for matches", ``POST
#: /api/v1/identity/records/{id}/candidates``).
VIA_REGISTRATION = "registration"
VIA_SCHEDULED = "scheduled"
VIA_REQUEST = "request"

#: Pending records the ``identity_comparison`` job compares per run (each in its own transaction);
#: the rest are left for the next run, which the job's summary names.
COMPARISON_BATCH = 5_000

PENDING_INSERT = insert(identity_comparisons)
_COMPARISONS = identity_comparisons.c
_CLAIM = (update(identity_comparisons)
          .where(_COMPARISONS.identity_record_id == bindparam("b_record_id"), _COMPARISONS.compared_at.is_(None))
          .returning(_COMPARISONS.member_state, _COMPARISONS.requested_by, _COMPARISONS.requested_user_id,
                     _COMPARISONS.requested_roles))
_CLAIM_AS_REQUESTER = _CLAIM.values(compared_by=_COMPARISONS.requested_by)
#: the outcome of a comparison written on its row (the values are the execution's parameters)
_RECORD_OUTCOME = update(identity_comparisons).where(_COMPARISONS.identity_record_id == bindparam("b_record_id"))


def pending_row(identity_record_id: str, member_state: str, principal: Principal, now: Any) -> dict[str, Any]:
    """The ``identity_comparisons`` row a registration writes with its record: pending, on behalf
    of the registering officer (``principal``), whose name, state and roles the job acts with."""
    return {"identity_record_id": identity_record_id, "member_state": member_state, "requested_at": now,
            "requested_by": principal.username, "requested_user_id": principal.user_id,
            "requested_roles": ",".join(sorted(r.value for r in principal.roles))}


def _requester(row: Any) -> Principal:
    """The officer who registered the record (as they were then), on whose behalf it is compared."""
    roles = frozenset(Role(r) for r in str(row.requested_roles).split(",") if r)
    return Principal(row.requested_user_id, row.requested_by, row.member_state, roles)


def _outcome_entry(c: dict[str, Any]) -> dict[str, Any]:
    link = c.get("link")
    return {"identity_record_id": c["identity_record_id"], "member_state": c["member_state"],
            "component": c["component"], "match_probability": c["match_probability"],
            "biometric_score": c.get("biometric_score"), "model_version": c.get("model_version"),
            "link_id": link["id"] if link else None}


def record_outcome(uow: UnitOfWork, principal: Principal, record: Any, candidates: list[dict[str, Any]],
                   via: str) -> None:
    """Mark the comparison of ``record`` (an ``identity_records`` row) compared now by ``principal``,
    ``via`` one of :data:`VIA_REGISTRATION`, :data:`VIA_SCHEDULED`, :data:`VIA_REQUEST`, with the
    candidates it returned (ids, scores and links; the identities are read again when the outcome
    is read, under the rules of that day). A record without a row (registered before comparisons
    were recorded, or loaded in bulk) gets one."""
    values = {"compared_at": uow.now, "compared_by": principal.username, "compared_via": via,
              "outcome": [_outcome_entry(c) for c in candidates]}
    done = uow.conn.execute(_RECORD_OUTCOME, {**values, "b_record_id": record.id})
    if done.rowcount == 0:
        uow.conn.execute(PENDING_INSERT, {**pending_row(record.id, record.member_state, principal, uow.now), **values})


def _claim(uow: UnitOfWork, identity_record_id: str, via: str, principal: Principal | None = None) -> Any | None:
    """Take the pending comparison of the record for this transaction, as ``principal`` (None: the
    officer who registered it): the row's requester columns, or None when it is not pending
    (compared already, or never requested). On PostgreSQL a second transaction taking the same row
    waits for the first and then finds it compared."""
    params = {"compared_at": uow.now, "compared_via": via, "b_record_id": identity_record_id}
    if principal is None:  # the requester's own name, from the row
        return uow.conn.execute(_CLAIM_AS_REQUESTER, params).first()
    return uow.conn.execute(_CLAIM, {**params, "compared_by": principal.username}).first()


def compare_registered(services: Services, principal: Principal, identity_record_id: str, *,
                       channel: str | None = None) -> list[dict[str, Any]] | None:
    """Compare a record the officer has just registered (the registration page, ``pactum registry
    register``), at once and as that officer: the candidates, or None when the record's comparison
    is not pending (the job took it first: :func:`comparison_of_record` reads its outcome).

    ``channel``: the way in that shows the officer the candidates it lists
    (:func:`pactum.services.identity.listed`), whose read is logged with the comparison: the command
    line (``cli``) prints them. The registration page shows none (the person's page it lands on
    shows the links, a read of the person's page) and passes None."""
    require(principal, *_identity.SEARCH_ROLES)
    with services.uow() as uow:
        if _claim(uow, identity_record_id, VIA_REGISTRATION, principal) is None:
            return None
        candidates = _identity.search_candidates_for_record(uow, principal, identity_record_id, via=VIA_REGISTRATION,
                                                            channel=channel, listed_only=True)
        uow.commit()
    return candidates


def compare_pending(uow: UnitOfWork, identity_record_id: str, via: str = VIA_SCHEDULED) -> list[dict[str, Any]] | None:
    """Compare one pending record inside ``uow``, on behalf of the officer who registered it: the
    candidates, or None when it is not pending. The caller commits."""
    row = _claim(uow, identity_record_id, via)
    if row is None:
        return None
    return _identity.search_candidates_for_record(uow, _requester(row), identity_record_id, via=via)


def pending_count(services: Services) -> int:
    with services.uow() as uow:
        return int(uow.conn.execute(select(func.count()).select_from(identity_comparisons)
                                    .where(_COMPARISONS.compared_at.is_(None))).scalar() or 0)


def compare_pending_records(services: Services, limit: int | None = COMPARISON_BATCH) -> int:
    """Compare up to ``limit`` (None: all) pending records, oldest registration first, each in its own
    transaction (a record registered meanwhile waits for the next run); returns how many were
    compared here (a record another process compared first is not counted)."""
    with services.uow() as uow:
        ids = list(uow.conn.execute(
            select(_COMPARISONS.identity_record_id).where(_COMPARISONS.compared_at.is_(None))
            .order_by(_COMPARISONS.requested_at, _COMPARISONS.identity_record_id).limit(limit)).scalars())
    compared = 0
    for rid in ids:
        with services.uow() as uow:
            if compare_pending(uow, rid) is not None:
                uow.commit()
                compared += 1
    return compared


@job("identity_comparison")
def identity_comparison_job(services: Services, now: Any) -> str:
    """Compare the identity records registered through the API and still pending (Eurodac compares
    on transmission and answers asynchronously), writing their multiple-identity links."""
    compared = compare_pending_records(services)
    left = pending_count(services)
    return (f"{compared} identity records compared, {left} still pending"
            + (" (the next run continues)" if left else ""))


def comparison_of_record(services: Services, principal: Principal, identity_record_id: str, *,
                         channel: str | None = None) -> dict[str, Any]:
    """The comparison of one of the principal's state's records (``GET
    /api/v1/identity/records/{id}/comparison``): ``status`` ``pending`` (registered, not compared
    yet), ``compared`` or ``not_requested`` (registered before comparisons were recorded, or loaded
    in bulk: ``POST .../candidates`` compares it); when and how it ran; the links it made or found
    (``links``, each as it stands now) and the candidates it returned.

    Another state's record is not found (404), as every read of a record. A candidate of another
    state is shown, and logged as disclosed to the reader with the comparison's purpose, only where
    the comparison made for the record would return it today (:func:`_component` with the record's
    reach: its Eurodac data neither erased nor past their retention day, or an SIS alert); otherwise
    only its state and score are given (``withheld``, with ``why``: ``erased`` or ``out_of_reach``).

    The candidates shown (not withheld) are a read of their persons' data, logged on ``channel``
    (``services.reads``, :data:`~pactum.services.reads.IDENTITY_COMPARISON`, the record as its
    ``record_id``) in the read's own transaction; nothing when none is shown or ``channel`` is None."""
    from pactum.services import reads

    ids = _identity
    require(principal, *ids.SEARCH_ROLES)
    with services.uow() as uow:
        conn, today = uow.conn, uow.now.date()
        record = ids._own_record(conn, principal, identity_record_id)
        ms = record.member_state
        row = conn.execute(select(identity_comparisons)
                           .where(_COMPARISONS.identity_record_id == identity_record_id)).first()
        status = "not_requested" if row is None else ("pending" if row.compared_at is None else "compared")
        stored: list[dict[str, Any]] = list(row.outcome or []) if row is not None and status == "compared" else []
        reach, _category, basis = ids.comparison_scope(conn, record, today)
        bans = principal.has(*ids._ENTRY_BAN_ROLES)
        rows = {r.identity_record_id: r for r in ids._rows_by_ids(
            conn, [s["identity_record_id"] for s in stored], today, index_missing_keys=False)}
        link_ids = [s["link_id"] for s in stored if s.get("link_id")]
        links = {lk.id: lk for lk in conn.execute(select(identity_links).where(identity_links.c.id.in_(link_ids))
                                                  .order_by(identity_links.c.created_at, identity_links.c.id))
                 } if link_ids else {}
        candidates: list[dict[str, Any]] = []
        disclosed: list[dict[str, Any]] = []
        persons: dict[str, str] = {}
        for s in stored:
            r = rows.get(s["identity_record_id"])
            component = ids._component(r, ms, reach, bans, today) if r is not None else None
            lk = links.get(s.get("link_id") or "")
            link = {"id": lk.id, "colour": lk.colour, "status": lk.status} if lk is not None else None
            score = {"match_probability": s["match_probability"], "biometric_score": s.get("biometric_score")}
            if r is None or component is None:
                why = "erased" if r is None or (r.erased and r.eurodac_id is None) else "out_of_reach"
                candidates.append({"identity_record_id": s["identity_record_id"], "member_state": s["member_state"],
                                   **score, "withheld": True, "why": why, "link": link})
                continue
            cand = ids._shown_candidate(r, component, ms, reach, today, score, s.get("model_version"))
            cand.update(withheld=False, link=link)
            candidates.append(cand)
            if r.person_id is not None:
                persons[r.person_id] = r.member_state
            if r.member_state != ms:
                disclosed.append(cand)
        ids._record_disclosures(uow, principal, disclosed,
                                purpose="eurodac_comparison" if basis else "record_search",
                                compared_record_id=identity_record_id, basis=basis)
        if channel is not None and persons:
            # logged with the read and committed last: a refused read logs nothing, a failed log fails it
            reads.record_read(conn, principal, persons, reads.IDENTITY_COMPARISON, channel, at=uow.now,
                              record_id=identity_record_id)
        uow.commit()
    return {
        "identity_record_id": identity_record_id, "person_id": record.person_id, "status": status,
        "requested_at": as_utc(row.requested_at).isoformat() if row is not None else None,
        "requested_by": row.requested_by if row is not None else None,
        "compared_at": as_utc(row.compared_at).isoformat() if row is not None and row.compared_at else None,
        "compared_by": row.compared_by if row is not None else None,
        "compared_via": row.compared_via if row is not None else None,
        "links": [{**ids._link_public(lk), "own_queue": lk.verifying_authority == principal.authority}
                  for lk in links.values()],
        "candidates": candidates,
    }


__all__ = ["COMPARISON_BATCH", "PENDING_INSERT", "VIA_REGISTRATION", "VIA_REQUEST", "VIA_SCHEDULED",
           "compare_pending", "compare_pending_records", "compare_registered",
           "comparison_of_record", "pending_count", "pending_row", "record_outcome"]
