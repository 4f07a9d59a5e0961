"""Handlers and queries of registration and screening.

Every read is scoped to the principal's Member State: an officer of Italy never reads a German
record here. Shared EU components (Eurodac applicant records, return alerts) are reached only
through the identity search.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from pactum.common.clock import as_utc
from pactum.common.dates import PartialDate
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.text import shortened
from pactum.identity.features import features
from pactum.law import NotInForce
from pactum.registry import rules
from pactum.registry.local_time import (
    LOCAL_ZERO,
    STATE_ZONES,
    encounter_zone_name,
    eurodac_zone_names,
    in_state_time,
    local_day,
    local_today,
    offset_problem,
    place_problem,
    region_of_zone,
    screening_zone_name,
    start_of_local_day,
    stored_day,
    zone_name,
)
from pactum.registry.model import (
    FREE_TEXT_MAX,
    BiometricsPublic,
    EncounterKind,
    EncounterPublic,
    EurodacCategory,
    EurodacPublic,
    IdentityIn,
    RegisterArrival,
    RegistrationPublic,
    ScreeningForm,
    ScreeningOutcome,
    ScreeningPublic,
)
from pactum.services.auth import SYSTEM, Principal, Role, require, require_member_state
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.services.uow import AsyncStore, Pending, UnitOfWork
from pactum.store import local_days
from pactum.store.tables.base import update_versioned
from pactum.store.tables.identity import (
    biometric_templates,
    identity_comparisons,
    identity_links,
    identity_search_keys,
)
from pactum.store.tables.platform import audit_log, idempotency_keys
from pactum.store.tables.registry import (
    biometric_captures,
    encounters,
    eurodac_records,
    identity_documents,
    identity_records,
    persons,
    screenings,
)

#: Who registers arrivals and fills in screenings: the asylum authority's caseworkers only. A
#: state's administrator manages its users (and pledges), and registers no one: separation of
#: duties (Eurodac and screening data are entered by the designated authorities' staff).
WRITE_ROLES = (Role.caseworker,)

# The idempotency key is inserted with the registration's rows, its answer already in it: a second
# call with the same key finds the answer (or, if it runs at the same time as the first, waits on
# the key's primary key until the first commits, fails, writes nothing and then finds the answer).
_INSERT_KEY = insert(idempotency_keys)
_KEY_CONSTRAINT = "pk_idempotency_keys"
_INSERT_SEARCH_KEY = insert(identity_search_keys)
# the rows of a registration are sent with the commit (one round trip on PostgreSQL)
_INSERT = {t: insert(t) for t in (persons, identity_records, identity_documents, encounters,
                                   biometric_captures, eurodac_records, screenings)}
_KEY_RESPONSE = select(idempotency_keys.c.response, idempotency_keys.c.operation).where(
    idempotency_keys.c.key == bindparam("key"), idempotency_keys.c.user_id == bindparam("user_id"))
#: The operation an idempotency key was used for, with the digest of the request it answered: a
#: key sent again with another arrival is refused, not answered with the first one's result.
_OPERATION = "register_arrival"
_PERSON_OWNER = select(persons.c.member_state).where(persons.c.id == bindparam("id"))
READ_ROLES = (Role.caseworker, Role.dublin_unit, Role.return_officer, Role.admin)


def check_own_person(conn: Connection, person_id: str, member_state: str, field: str = "person_id") -> None:
    """A person another area's record points to must be one of ``member_state``'s persons: a
    :class:`ValidationProblem` naming ``field`` otherwise (an id typed wrong, or another state's)."""
    if conn.execute(_PERSON_OWNER, {"id": person_id}).scalar() != member_state:
        raise ValidationProblem.one(field, f"{shortened(person_id)!r} is not a person registered in {member_state}")


def _search_features(record: dict[str, Any]) -> dict[str, Any]:
    """The identity search's features of a new identity record (as
    ``services.identity.index_record`` computes them from the stored row)."""
    return features({
        "member_state": record["member_state"],
        "given_names": record["given_names_latin"] or record["given_names"],
        "surname": record["surname_latin"] or record["surname"],
        "father_name": record["father_name"], "sex": record["sex"],
        "date_of_birth": record["date_of_birth"], "place_of_birth": record["place_of_birth"],
        "nationality": record["nationality"], "document_number": record["document_number"],
    })


def register_arrival(
    services: Services,
    principal: Principal,
    data: RegisterArrival,
    idempotency_key: str | None = None,
) -> RegistrationPublic:
    return RegistrationPublic.model_validate_json(
        register_arrival_json(services, principal, data, idempotency_key))


def register_arrival_json(
    services: Services,
    principal: Principal,
    data: RegisterArrival,
    idempotency_key: str | None = None,
) -> str:
    """``register_arrival`` returning the result as its JSON text (``RegistrationPublic``).

    The API answers with this text as it is: it is the same text the idempotency key keeps, so a
    retried request gets byte for byte the first answer.
    """
    ms = _registering_state(principal, data)
    key = {"key": idempotency_key, "user_id": principal.user_id} if idempotency_key else None
    operation = _operation(data)
    with services.uow() as uow:
        if key:
            done = uow.conn.execute(_KEY_RESPONSE, key).first()
            if done is not None:
                return _stored_answer(done, operation, key)
        owner = (uow.conn.execute(_PERSON_OWNER, {"id": data.person_id}).scalar()
                 if data.person_id else None)
        result = _register(uow, principal, ms, data, owner).model_dump_json()
        if key:
            uow.at_commit(_INSERT_KEY, _key_row(key, operation, result, uow.now))
        try:
            uow.commit()
        except IntegrityError as exc:
            if not (key and _key_taken(exc)):
                raise
        else:
            return result
    assert key is not None  # the same key was committed by a concurrent call: its answer
    with services.uow() as uow:
        return _stored_answer(uow.conn.execute(_KEY_RESPONSE, key).first(), operation, key)


async def register_arrival_json_async(
    services: Services,
    store: AsyncStore,
    principal: Principal,
    data: RegisterArrival,
    idempotency_key: str | None = None,
) -> str:
    """``register_arrival_json`` on the server's event loop (PostgreSQL, ``AsyncStore``).

    The same rows, audit entry and answer. A key already answered is read first (one round trip,
    no transaction); the rows, the key with its answer and the audit entry then go to the store's
    group commit. A concurrent call with the same key that committed in between makes this
    commit fail on the key (nothing of this call is written), and its answer is returned.
    """
    ms = _registering_state(principal, data)
    key = {"key": idempotency_key, "user_id": principal.user_id} if idempotency_key else None
    operation = _operation(data)
    if key:
        row = await store.first(_KEY_RESPONSE, key)
        if row is not None:
            return _stored_answer(row, operation, key)
    owner = None
    if data.person_id:
        row = await store.first(_PERSON_OWNER, {"id": data.person_id})
        owner = row[0] if row else None
    work = Pending(services.clock.now(), key=(idempotency_key, principal.user_id) if key else None)
    result = _register(work, principal, ms, data, owner).model_dump_json()
    if key:
        work.at_commit(_INSERT_KEY, _key_row(key, operation, result, work.now))
    try:
        await store.commit(work)
    except IntegrityError as exc:
        if not (key and _key_taken(exc)):
            raise
        return _stored_answer(await store.first(_KEY_RESPONSE, key), operation, key)
    return result


def _registering_state(principal: Principal, data: RegisterArrival) -> str:
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    if data.encounter.member_state != ms:
        raise ValidationProblem.one(
            "encounter.member_state", f"you register for {ms}, not {data.encounter.member_state}"
        )
    problem = (place_problem(ms, data.encounter.region, data.encounter.time_zone)
               or offset_problem(data.encounter.occurred_at, ms, data.encounter.region, data.encounter.time_zone))
    if problem is not None:
        field, message = problem
        raise ValidationProblem.one(f"encounter.{field}", message)
    return ms


def _operation(data: RegisterArrival) -> str:
    """What an idempotency key is stored with: the operation and a digest of the arrival as
    validated (the same arrival sent again, with other spacing or key order, has the same digest;
    a time given as ``+00:00``, a local clock, differs from the same time given as ``Z``).
    40 hexadecimal digits of SHA-256 (160 bits) fit the key's ``operation`` column (60)."""
    body = data.model_dump_json()
    zero = [at is not None and at.tzinfo is LOCAL_ZERO
            for at in (data.encounter.occurred_at, data.biometrics.captured_at)]
    digest = hashlib.sha256(f"{body}|{zero}".encode()).hexdigest()[:40]
    return f"{_OPERATION}:{digest}"


def _key_row(key: dict[str, str], operation: str, response: str, now: datetime) -> dict[str, Any]:
    return {**key, "operation": operation, "response": response, "created_at": now}


def _key_taken(exc: IntegrityError) -> bool:
    """Did the commit fail because the idempotency key was committed by another call?"""
    diag = getattr(exc.orig, "diag", None)
    if diag is not None:  # PostgreSQL names the constraint
        return getattr(diag, "constraint_name", None) == _KEY_CONSTRAINT
    return "idempotency_keys" in str(exc.orig)  # SQLite: "UNIQUE constraint failed: idempotency_keys.key, ..."


def _stored_answer(row: Any, operation: str, key: dict[str, str]) -> str:
    """The answer kept with an idempotency key, for the same arrival sent again; a key used for
    another arrival is refused (422 naming ``idempotency-key``): the second arrival is not
    registered, and the officer is not told it was by the first one's answer. A key stored before
    the digest was kept (``operation`` without it) answers as before."""
    if row is None or not row[0]:
        raise Conflict("a request with this Idempotency-Key is still being processed; retry")
    stored = str(row[1] or "")
    if ":" in stored and stored != operation:
        raise ValidationProblem.one(
            "idempotency-key", f"{shortened(key['key'])!r} was used for another arrival: the same key "
                               "registers the same arrival once; give a new key for a new arrival")
    return str(row[0])


def _register(uow: UnitOfWork | Pending, principal: Principal, ms: str, data: RegisterArrival,
              person_owner: str | None) -> RegistrationPublic:
    """The rows, audit entry and answer of a registration, queued on ``uow`` for its commit.

    ``person_owner`` is the state whose records hold ``data.person_id`` (read by the caller)."""
    now = uow.now
    occurred_at = as_utc(data.encounter.occurred_at)
    if occurred_at > now:
        raise ValidationProblem.one("encounter.occurred_at", "is in the future")
    # the place's clock: its region's (the Canary Islands), the clock of the offset given, or the
    # capital's; the encounter and its screening keep it, and every day below is counted on it
    zone = encounter_zone_name(data.encounter.occurred_at, ms, data.encounter.region, data.encounter.time_zone)
    region = region_of_zone(ms, zone)
    # the day of the encounter where it happened: it chooses the regime and starts the periods
    on = local_day(data.encounter.occurred_at, ms, zone)
    first = rules.eurodac_law_from()
    if on < first:
        raise ValidationProblem.one(
            "encounter.occurred_at", f"is before {first.isoformat()}, from when Regulation (EU) No 603/2013 "
                                     "(Eurodac) applies: Pactum holds no earlier law to register an "
                                     "encounter under")
    i = data.identity
    born_after = date_of_birth_problem(i.date_of_birth, on)
    if born_after:
        raise ValidationProblem.one("identity.date_of_birth", born_after)
    if data.biometrics.captured_at and as_utc(data.biometrics.captured_at) < occurred_at:
        raise ValidationProblem.one("biometrics.captured_at", "is before the encounter")
    if data.biometrics.captured_at and as_utc(data.biometrics.captured_at) > now:
        raise ValidationProblem.one("biometrics.captured_at", "is in the future")
    if data.biometrics.transmitted_at and not data.biometrics.captured_at:
        raise ValidationProblem.one("biometrics.transmitted_at", "transmitted without a capture time")
    if data.biometrics.transmitted_at and as_utc(data.biometrics.transmitted_at) > now:
        raise ValidationProblem.one("biometrics.transmitted_at", "is in the future")
    if (data.biometrics.transmitted_at and data.biometrics.captured_at
            and as_utc(data.biometrics.transmitted_at) < as_utc(data.biometrics.captured_at)):
        raise ValidationProblem.one("biometrics.transmitted_at", "is before the capture")
    # where neither Eurodac nor the screening applies (France's outermost regions): no Eurodac
    # record or transmission limit, no screening; the registration says why (encounter.outside_scope)
    no_eurodac = rules.outside_eurodac(ms, zone, on)
    no_screening = rules.outside_screening(ms, zone, on)
    if data.held_over_72h and no_screening and region is not None:
        raise ValidationProblem.one("held_over_72h", (
            f"no screening runs in {region.code} ({region.name}), outside the Schengen area "
            f"({'; '.join(no_screening)}): the 72 hours at the external border of the Screening Regulation's "
            "Article 8(3) do not apply there"))
    if data.held_over_72h and (held_refused := rules.held_over_72h_refused(data.encounter.kind, on)):
        raise ValidationProblem.one("held_over_72h", held_refused)

    if data.person_id:
        if person_owner != ms:
            raise ValidationProblem.one("person_id", "no such person in your state's records")
        person_id = data.person_id
    else:
        person_id = new_id("per")
        uow.at_commit(_INSERT[persons], dict(id=person_id, member_state=ms, created_at=now, version=1))

    e = data.encounter
    category = None if no_eurodac else rules.eurodac_category(e.kind, on)
    record_id = new_id("idr")
    record = {
        "id": record_id, "person_id": person_id, "member_state": ms, "recorded_on": on,
        "category": (category.value if category else data.encounter.kind.value),
        **identity_columns(i), "created_at": now, "version": 1,
    }
    uow.at_commit(_INSERT[identity_records], record)
    for document in i.documents:
        uow.at_commit(_INSERT[identity_documents], dict(
            id=new_id("doc"), identity_record_id=record_id, document_type=document.type,
            document_number=document.number, document_country=document.country,
            document_expiry=document.expiry))
    encounter_id = new_id("enc")
    uow.at_commit(_INSERT[encounters], dict(
        id=encounter_id, person_id=person_id, identity_record_id=record_id, member_state=ms,
        occurred_at=occurred_at, place=e.place, border_section=e.border_section, route=e.route,
        kind=e.kind.value, region=region.code if region else None, time_zone=zone, created_at=now,
    ))

    # Biometrics (Eurodac Art 13): from the minimum age of the person's category, transmitted
    # within the limit; data that Eurodac does not store (a person under the minimum age, or an
    # illegal stay before the recast, Reg. 603/2013 Art 17(1): a check only) have no transmission
    # limit.
    try:
        bio_rule = rules.biometrics_required(i.date_of_birth, on, e.kind)
    except NotInForce as exc:  # no law of the day (the check of the first day above should hold)
        raise ValidationProblem.one("encounter.occurred_at", f"no Eurodac law applies on {on.isoformat()}") from exc
    b = data.biometrics
    deadline = met = None
    basis = list(bio_rule.legal_basis)
    if no_eurodac:
        # Eurodac's obligation to take biometric data (its Art 13) does not apply there: a template
        # the officer took is recorded as the state's own, with no limit to transmit it
        bio_rule = rules.BiometricRule(False, bio_rule.minimum_age, no_eurodac)
        basis = list(no_eurodac)
    if category is not None and bio_rule.required:
        # 72 hours from the apprehension, the disembarkation or the registration of the application
        # (Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2), 24(2); Reg. 603/2013 Arts 9(1), 14(2)): the
        # encounter, not the capture, which may come later and does not restart the period — so the
        # limit runs, and is said, also when no capture time is given yet
        deadline, transmission_basis = rules.transmission_deadline_moment(
            as_utc(occurred_at), ms, category, zone)
        basis += [ref for ref in transmission_basis if ref not in basis]
        if b.transmitted_at:
            met = as_utc(b.transmitted_at) <= deadline
    uow.at_commit(_INSERT[biometric_captures], dict(
        id=new_id("bio"), identity_record_id=record_id, template_ref=b.template_ref,
        captured_at=b.captured_at, transmitted_at=b.transmitted_at,
        transmission_deadline=deadline, transmission_met=met,
        below_minimum_age=not bio_rule.required and not no_eurodac,
    ))
    biometrics = BiometricsPublic(required=bio_rule.required, template_ref=b.template_ref,
                                  transmission_deadline=deadline, transmission_met=met,
                                  legal_basis=basis)

    eurodac = None
    if category is not None and bio_rule.required:
        # stored for the period of Art 29 from the day the biometric data were transmitted
        # (Reg. (EU) 2024/1358 Art 29(1), (6) to (8)), under Reg. 603/2013 from the day they were
        # taken (Arts 12(1), 16(1)); the regime is that of the day they were taken (where the
        # capture happened; the day of the encounter when no capture time is given). Data not yet
        # transmitted are counted from the capture until the transmission is recorded
        # (``rules.retention_until``, :func:`record_transmission`).
        # (the capture and the transmission of the encounter's data read on the encounter's clock:
        # the data are taken where the person is and sent from there)
        taken_on = local_day(b.captured_at, ms, zone) if b.captured_at else on
        transmitted_on = local_day(b.transmitted_at, ms, zone) if b.transmitted_at else None
        retention = rules.retention_until(category, taken_on, ms, transmitted_on)
        assert retention.ends_on is not None
        today = local_today(now, ms)
        if retention.ends_on < today:
            # the Central System erases data when their storage period ends (Art 29): data whose
            # period ended before they are registered are never stored as live data
            counted_from = ("transmitted" if transmitted_on is not None and retention.regime == "pact"
                            else "taken")
            raise ValidationProblem.one(
                ("biometrics.transmitted_at" if counted_from == "transmitted"
                 else "biometrics.captured_at" if b.captured_at else "encounter.occurred_at"),
                f"Eurodac stores the data of this {category.value.replace('_', ' ')} only until "
                f"{retention.ends_on.isoformat()}, counted from the day the biometric data were {counted_from} "
                f"({'; '.join(retention.legal_basis[:1])}): that day has passed, so they are not stored; "
                "register the person's present encounter instead")
        eurodac_id = new_id("edc")
        uow.at_commit(_INSERT[eurodac_records], dict(
            id=eurodac_id, identity_record_id=record_id, member_state=ms, category=category.value,
            registered_at=occurred_at, retention_until=retention.ends_on,
        ))
        eurodac = EurodacPublic(id=eurodac_id, category=category, retention_until=retention.ends_on,
                                legal_basis=retention.legal_basis)

    # the search key of the record, in the registration's own transaction: from its commit the
    # identity search finds it (a duplicate registered in this state, another state's search for
    # a record its Eurodac data make visible), without waiting for ``pactum identity index``
    from pactum.services import identity

    uow.at_commit(_INSERT_SEARCH_KEY, identity.search_key_row(
        record_id, ms, category.value if eurodac is not None and category is not None else None,
        _search_features(record)))
    # the record awaits its comparison (Eurodac compares on transmission, Reg. (EU) 2024/1358),
    # recorded in the same transaction: the registration page and command compare it at
    # once, the ``identity_comparison`` job a registration made through the API (whose answer does
    # not wait for a 1:N search); ``GET /api/v1/identity/records/{id}/comparison`` reads the outcome
    if principal.has(*identity.SEARCH_ROLES):
        uow.at_commit(identity.comparison.PENDING_INSERT,
                      identity.comparison.pending_row(record_id, ms, principal, now))

    screening = None
    if rules.screening_applies(on) and not no_screening:
        variant = rules.screening_variant(e.kind, data.held_over_72h)
        # counted on the days where the encounter happened, ending at the end of the last one there
        tl, deadline_at = rules.screening_deadline_at(e.occurred_at, ms, variant, zone)
        row = dict(
            id=new_id("scr"), person_id=person_id, encounter_id=encounter_id, member_state=ms,
            started_at=occurred_at, deadline_at=deadline_at, variant=variant, time_zone=zone,
            identity_summary=summary_of_identity(i), nationalities=i.nationality,
            reason=rules.ENCOUNTER_KIND_WORDS.get(e.kind.value, e.kind.value.replace("_", " ")), version=1,
        )
        uow.at_commit(_INSERT[screenings], row)
        # the new screening as stored: the form's other points are empty until it is filled in
        screening = ScreeningPublic.model_validate({
            **{c: None for c in _FORM_POINTS}, **row, **_in_state_time(deadline_at, ms, occurred_at, zone=zone),
            "legal_basis": tl.legal_basis})

    result = RegistrationPublic(
        person_id=person_id, identity_record_id=record_id, encounter_id=encounter_id,
        regime=rules.eurodac_regime(on), eurodac=eurodac, biometrics=biometrics, screening=screening,
        encounter=EncounterPublic(id=encounter_id, occurred_at=occurred_at,
                                  occurred_local=in_state_time(occurred_at, ms, zone), time_zone=zone,
                                  region=region.code if region else None,
                                  region_name=region.name if region else None,
                                  outside_scope=[*no_eurodac, *no_screening]),
    )
    uow.audit(principal, "arrival.registered", "identity_record", record_id,
              after={"record": record, "encounter_id": encounter_id,
                     # where it happened: the clock its days are counted on
                     "region": region.code if region else None, "time_zone": zone,
                     "screening_id": screening.id if screening else None,
                     # the law that does not apply there (France's outermost regions), cited
                     **({"outside_scope": [*no_eurodac, *no_screening]} if no_eurodac or no_screening else {})})
    return result


_FORM_POINTS = ("residence_before_arrival", "languages", "health_check", "vulnerability",
                "applied_for_protection", "family_in_member_state", "database_hit", "cooperated",
                "outcome", "completed_at")


def _screening_legal_basis(variant: str, member_state: str, started: datetime,
                           zone: str | None = None) -> list[str]:
    return rules.screening_deadline(started, member_state, variant, zone).legal_basis


def _in_state_time(deadline_at: datetime, member_state: str, started_at: datetime | None = None,
                   completed_at: datetime | None = None, *, zone: str | None = None) -> dict[str, Any]:
    """The deadline (and the start and completion, when given) as the clock of the place where
    the screening runs shows them, and that time zone (the screen shows both: a screening ends at
    the end of a day where it runs, not at midnight UTC; a Canary Islands screening runs on the
    islands' clock). ``zone``: the screening's recorded zone (its encounter's); a screening stored
    without one reads it from its deadline (``screening_zone_name``)."""
    zone = zone or screening_zone_name(deadline_at, member_state)
    return {"deadline_local": in_state_time(deadline_at, member_state, zone), "time_zone": zone,
            "started_local": in_state_time(started_at, member_state, zone) if started_at else None,
            "completed_local": in_state_time(completed_at, member_state, zone) if completed_at else None}


def _screening_public(
    conn: Connection, screening_id: str, legal_basis: list[str] | None = None
) -> ScreeningPublic:
    row = conn.execute(select(screenings).where(screenings.c.id == screening_id)).mappings().first()
    if row is None:
        raise NotFound("no such screening")
    data = dict(row)
    data["started_at"] = as_utc(data["started_at"])
    data["deadline_at"] = as_utc(data["deadline_at"])
    if data["completed_at"]:
        data["completed_at"] = as_utc(data["completed_at"])
    data["legal_basis"] = legal_basis or _screening_legal_basis(
        row["variant"], row["member_state"], data["started_at"], row["time_zone"])
    data.update(_in_state_time(data["deadline_at"], row["member_state"], data["started_at"],
                               data["completed_at"], zone=row["time_zone"]))
    data["warnings"] = screening_warnings(data)
    return ScreeningPublic.model_validate(data)


def get_screening(services: Services, principal: Principal, screening_id: str, *,
                  channel: str | None = "web") -> ScreeningPublic:
    """One of the state's screenings; the read is logged (``services.reads``, on ``channel``; None:
    an internal read, not logged)."""
    from pactum.services import reads

    require(principal, *READ_ROLES)
    ms = require_member_state(principal)
    with services.uow() as uow:
        owner = uow.conn.execute(
            select(screenings.c.member_state).where(screenings.c.id == screening_id)
        ).scalar()
        if owner != ms:
            raise NotFound("no such screening")
        screening = _screening_public(uow.conn, screening_id)
        # logged with the read and committed last: a refused read logs nothing, a failed log fails it
        if channel is not None:
            reads.record_read(uow.conn, principal, {screening.person_id: ms}, reads.SCREENING, channel,
                              at=uow.now, record_id=screening_id)
            uow.commit()
        return screening


def update_screening(
    services: Services, principal: Principal, screening_id: str, form: ScreeningForm
) -> ScreeningPublic:
    """Fill in the screening form; setting an outcome completes the screening (Art 18).

    A point given as null (a blank field on the page) is cleared; a point absent from the form
    (the API's PATCH body) is left as it is. The outcome is checked against the answers as they
    will stand (``_outcome_problems``)."""
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    with services.uow() as uow:
        row = uow.conn.execute(select(screenings).where(screenings.c.id == screening_id)).mappings().first()
        if row is None or row["member_state"] != ms:
            raise NotFound("no such screening")
        if row["completed_at"] is not None:
            raise Conflict("the screening is completed; its form can no longer change")
        given = form.model_dump(mode="json", exclude={"version"}, exclude_unset=True)
        # only what changes is written and audited; a form that changes nothing is refused
        # without a new version or an empty audit entry
        values = {k: v for k, v in given.items() if k not in row or row[k] != v}
        if not values:
            raise ValidationProblem.one("body", "nothing changed: every point given is as the screening has it"
                                        if given else "nothing to change: give at least one point of the form")
        if values.get("outcome") is not None:
            merged = {**dict(row), **values}
            problems = _outcome_problems(merged, as_utc(row["deadline_at"]), uow.now)
            if problems:
                raise ValidationProblem(problems)
            values["completed_at"] = uow.now
        before = {k: row[k] for k in values if k in row}
        update_versioned(uow.conn, screenings, screening_id, form.version, values)
        uow.audit(principal, "screening.updated", "screening", screening_id, before=before, after=values)
        result = _screening_public(uow.conn, screening_id)
        uow.commit()
    return result


#: Outcomes that refer the person to the asylum procedure (Screening Reg. Art 18: "including the
#: border procedure or relocation"): each presupposes an application for international protection.
_TO_ASYLUM = {ScreeningOutcome.asylum.value, ScreeningOutcome.border_procedure.value,
              ScreeningOutcome.relocation.value}


def _outcome_problems(answers: dict[str, Any], deadline: datetime, now: datetime) -> list[tuple[str, str]]:
    """Why the screening cannot end with ``answers["outcome"]`` (empty: it can).

    - A person who applied for international protection is referred to the asylum procedure
      (Art 18), never to return; one who did not apply is not referred to the asylum procedure,
      nor to the border procedure or relocation, which are ways of examining or transferring an
      application (AMMR Art 67: relocation is of applicants and beneficiaries).
    - The border procedure is for applications made at the external border: at a border crossing
      point, after apprehension for an irregular crossing, after disembarkation, or after
      relocation (APR Art 43(1); ``pactum.procedures.model.BORDER_CONTEXTS``). A person screened
      inside the territory (Screening Reg. Art 7: an illegal stay, an application inland) is not
      referred to it.
    - Before its deadline the screening does not end without the security check (Art 15, 16:
      point (h), the database hit, answered). At or after the deadline it ends even if incomplete
      (Art 18, DOMAIN.md 4): the outcome is recorded and the screening says what is missing
      (``ScreeningPublic.warnings``)."""
    problems = []
    outcome, applied = answers.get("outcome"), answers.get("applied_for_protection")
    if applied is True and outcome == ScreeningOutcome.return_.value:
        problems.append(("outcome", "the person applied for international protection: refer them to the "
                                    "asylum procedure (or the border procedure or relocation), not to return "
                                    "(Regulation (EU) 2024/1356, Article 18)"))
    if applied is False and outcome in _TO_ASYLUM:
        problems.append(("outcome", f"the person did not apply for international protection: they are not "
                                    f"referred to {_OUTCOME_WORDS[outcome]}, which is for applicants "
                                    "(Regulation (EU) 2024/1356, Article 18); record the application first "
                                    "(point (f))"))
    if outcome == ScreeningOutcome.border_procedure.value and answers.get("variant") == "inland":
        problems.append(("outcome", "the person was screened inside the territory (Regulation (EU) 2024/1356, "
                                    "Article 7): the border procedure is for applications made at the external "
                                    "border, after disembarkation or after relocation (Regulation (EU) "
                                    "2024/1348, Article 43(1)); refer them to the asylum procedure"))
    if answers.get("database_hit") is None and now <= deadline:
        problems.append(("database_hit", "the security check (Articles 15 and 16: SIS, EES, ETIAS, VIS, "
                                         "ECRIS-TCN, Europol, Interpol) is not answered; the screening ends "
                                         "without it only at its deadline"))
    return problems


_OUTCOME_WORDS = {
    ScreeningOutcome.asylum.value: "the asylum procedure",
    ScreeningOutcome.border_procedure.value: "the border procedure",
    ScreeningOutcome.relocation.value: "relocation",
}

#: The points of the form a completed screening should have answered, as the form names them.
_POINTS_TO_ANSWER = (
    ("health_check", "(d) preliminary health check"), ("vulnerability", "(e) vulnerability check"),
    ("applied_for_protection", "(f) whether international protection was applied for"),
    ("database_hit", "(h) security check (database hit)"), ("cooperated", "(i) cooperation"),
)


def screening_warnings(data: dict[str, Any]) -> list[str]:
    """What a completed screening lacks: the points it ended without, at its deadline (Art 18:
    it ends then even if incomplete), or the points an officer completed it without before its
    deadline (the checks of Articles 12 to 16 were then not all made)."""
    if not data.get("completed_at"):
        return []
    missing = [label for key, label in _POINTS_TO_ANSWER if data.get(key) in (None, "")]
    if not missing:
        return []
    completed, deadline = data["completed_at"], data.get("deadline_at")
    if deadline is not None and completed < deadline:
        ms = data.get("member_state")
        zone = data.get("time_zone")  # the clock where the screening runs (ScreeningPublic's)
        done_day = local_day(completed, ms, zone).isoformat() if ms else completed.date().isoformat()
        last_day = local_day(deadline, ms, zone) if ms else deadline.date()
        days = (last_day - date.fromisoformat(done_day)).days
        before = f"{days} day{'s' if days != 1 else ''} before its deadline" if days else "on its last day"
        return [f"The screening was completed on {done_day}, {before}, without: {', '.join(missing)}."]
    return [f"The screening ended at its deadline without: {', '.join(missing)}."]


# ---------------------------------------------------------------- Eurodac: applications and marking

_APPLICANT = EurodacCategory.applicant.value
# the inserts of an application's Eurodac recording, made once (the rows are passed as parameters)
_INSERT_RECORD = insert(identity_records)
_INSERT_DOCUMENT = insert(identity_documents)
_INSERT_EURODAC = insert(eurodac_records)


_APPLICANT_RECORDS = (
    select(eurodac_records).join(identity_records, identity_records.c.id == eurodac_records.c.identity_record_id)
    .where(identity_records.c.person_id == bindparam("b_person"), eurodac_records.c.member_state == bindparam("b_ms"),
           eurodac_records.c.category == _APPLICANT, eurodac_records.c.erased_at.is_(None))
    .order_by(eurodac_records.c.registered_at, eurodac_records.c.id))
_LATEST_RECORD = (
    select(identity_records).where(identity_records.c.person_id == bindparam("b_person"),
                                   identity_records.c.member_state == bindparam("b_ms"))
    .order_by(identity_records.c.recorded_on.desc(), identity_records.c.created_at.desc()).limit(1))
_RECORD_DOCUMENTS = select(identity_documents).where(identity_documents.c.identity_record_id == bindparam("b_record"))


def _applicant_records(conn: Connection, person_id: str, ms: str) -> list[Any]:
    """The person's Eurodac applicant records of ``ms`` not erased, the oldest first."""
    return list(conn.execute(_APPLICANT_RECORDS, {"b_person": person_id, "b_ms": ms}).mappings().all())


def _eurodac_public(row: Any) -> EurodacPublic:
    on = local_day(as_utc(row["registered_at"]), row["member_state"])
    retention = rules.retention_until(EurodacCategory(row["category"]), on, row["member_state"])
    basis = (rules.applicant_basis(on) if row["category"] == _APPLICANT else []) + retention.legal_basis
    return EurodacPublic(id=row["id"], category=row["category"], retention_until=row["retention_until"],
                         legal_basis=basis, marked_at=as_utc(row["marked_at"]) if row["marked_at"] else None)


def application_encounter(conn: Connection, person_id: str, member_state: str, made_on: date) -> Any | None:
    """The encounter that places an application ``member_state``'s person made on ``made_on``: the
    person's latest encounter recorded by that state up to that day (each encounter's day read on its
    own clock, :func:`pactum.registry.local_time.stored_day`), the encounter the procedures area takes
    the application's context from; None when the state recorded none by then. A row with ``id``,
    ``kind``, ``member_state``, ``occurred_at``, ``time_zone``, ``region`` and ``day`` (its local day).

    One place for every area: the application's Eurodac record
    (:func:`record_application_in_eurodac`, :func:`application_outside_eurodac`) and the Dublin
    unit's draft of the facts (``pactum.services.responsibility``) read the same encounter."""
    latest = None
    for e in conn.execute(select(encounters.c.id, encounters.c.kind, encounters.c.member_state,
                                 encounters.c.occurred_at, encounters.c.time_zone, encounters.c.region)
                          .where(encounters.c.person_id == person_id, encounters.c.member_state == member_state)
                          .order_by(encounters.c.occurred_at, encounters.c.id)):
        day = stored_day(e.occurred_at, member_state, e.time_zone)
        if day <= made_on:
            latest = {**e._mapping, "day": day}
    return latest


def application_outside_eurodac(conn: Connection, person_id: str, member_state: str,
                                made_on: date) -> dict[str, Any] | None:
    """Why an application ``member_state``'s person made on ``made_on`` opens no Eurodac applicant
    record because of where it was made, or None where Eurodac applies (or nothing places it).

    The application is placed by :func:`application_encounter`; one placed in France's outermost
    regions is outside Eurodac: Reg. (EU) 2024/1358 Art 60 with Reg. (EU) 2024/1351 Art 76 (before 12
    June 2026 Reg. 603/2013 Art 42 with Reg. 604/2013 Art 43), as for the encounter itself
    (:func:`pactum.registry.rules.outside_eurodac`). The answer: ``region``, ``region_name``,
    ``encounter_id``, ``encounter_on`` (its day), ``legal_basis`` (the articles) and ``reason`` (one
    sentence saying it)."""
    e = application_encounter(conn, person_id, member_state, made_on)
    if e is None or not e["time_zone"]:
        return None
    basis = rules.outside_eurodac(member_state, e["time_zone"], made_on)
    region = region_of_zone(member_state, e["time_zone"])
    if not basis or region is None:
        return None
    return {"region": region.code, "region_name": region.name, "encounter_id": e["id"],
            "encounter_on": e["day"].isoformat(), "legal_basis": basis,
            "reason": (f"No Eurodac applicant record: the application is placed in {region.code} ({region.name}) "
                       f"by the person's latest encounter recorded by {member_state} up to the day it was made "
                       f"({e['id']}, {e['day'].isoformat()}), where Eurodac does not apply ({'; '.join(basis)})")}


def latest_identity_record(conn: Connection, person_id: str, ms: str) -> Any | None:
    """The person's latest identity record of ``ms`` (by the day recorded, then the time written),
    as a mapping, or None."""
    return conn.execute(_LATEST_RECORD, {"b_person": person_id, "b_ms": ms}).mappings().first()


def copy_to_eurodac(conn: Connection, latest: Any, *, category: str, recorded_on: date, registered_at: datetime,
                    retention_until: date, created_at: datetime) -> tuple[str, dict[str, Any]]:
    """Write a Eurodac data set of a person: a new identity record copied from ``latest`` (their
    latest identity record, :func:`latest_identity_record`) with ``category`` and the day
    ``recorded_on``, its identity documents, and its Eurodac record of that category registered at
    ``registered_at`` and kept until ``retention_until``; indexed for the identity search, so that
    other states' comparisons reach it from the commit. Inside the caller's unit of work; the
    caller checks rights, age and retention and writes the audit entry. Returns the new identity
    record's id and the Eurodac row written (the applicant's record of Eurodac Art 15 and the
    resettled person's of Art 18(2) are both made so)."""
    from pactum.services import identity  # the identity search finds the record from the commit

    record_id = new_id("idr")
    conn.execute(_INSERT_RECORD, {**dict(latest), "id": record_id, "recorded_on": recorded_on, "category": category,
                                  "created_at": created_at, "version": 1})
    for d in conn.execute(_RECORD_DOCUMENTS, {"b_record": latest["id"]}).mappings().all():
        conn.execute(_INSERT_DOCUMENT, {**dict(d), "id": new_id("doc"), "identity_record_id": record_id})
    row = dict(id=new_id("edc"), identity_record_id=record_id, member_state=latest["member_state"],
               category=category, registered_at=registered_at, retention_until=retention_until, marked_at=None)
    conn.execute(_INSERT_EURODAC, row)
    identity.index_record(conn, record_id)
    return record_id, row


@dataclass(frozen=True)
class CopiedTemplates:
    """What :func:`copy_latest_templates` wrote: ``index`` the ``(index_key, vector)`` of each
    template row, for :func:`index_copied_templates` once committed; ``capture`` what the copy
    says of the biometric data (None when none was copied): ``from_record`` (the state's record
    they were taken with), ``templates`` (the template ids copied, in order), ``taken_at`` (when
    the templates were enrolled, the moment each copy keeps), ``captured_at`` (the capture's own
    moment, Reg. (EU) 2024/1358 Art 19(1)(l), or None where the record has none recorded) and
    ``taken_by`` (the user who enrolled the templates, or who registered the record when the
    audit log names no enrolment: the operator of Art 19(1)(n); None where the log names neither)."""

    index: list[tuple[int, bytes]]
    capture: dict[str, Any] | None

    def __len__(self) -> int:
        return len(self.index)


# who enrolled a record's templates (or registered the record): the operator of the capture
_TAKEN_BY = (select(audit_log.c.actor).where(audit_log.c.entity_id == bindparam("b_record"),
                                               audit_log.c.action.in_(("identity.template.enrol",
                                                                       "arrival.registered")))
             .order_by((audit_log.c.action == "identity.template.enrol").desc(), audit_log.c.seq.desc()).limit(1))


def copy_latest_templates(conn: Connection, person_id: str, ms: str, record_id: str, *,
                          created_at: datetime) -> CopiedTemplates:
    """Attach to the identity record ``record_id`` (a Eurodac data set :func:`copy_to_eurodac` just
    wrote) the person's latest biometric templates of ``ms``: those of the state's record of the
    person whose template was enrolled last (every template of that record), each a new row of
    ``biometric_templates`` with its own search key and the moment the original was enrolled (the
    copy says when the biometric data were taken, not when they were copied; ``created_at``, the
    moment of the copy, only where the original has none). Inside the caller's unit of work;
    returns the rows written (``index``: the caller hands them to :func:`index_copied_templates`
    once the unit of work is committed, as the 1:N index takes only committed templates) and the
    capture they carry (``capture``: when, by whom, from which record; the caller writes it into
    the copy's audit entry). None written when the state holds no template of the person.

    Used by every Eurodac copy of a person: the applicant's (:func:`record_application_in_eurodac`,
    Reg. (EU) 2024/1358 Art 15(1)) and the resettled person's (Art 18(2),
    ``pactum.services.resettlement``)."""
    newest = conn.execute(
        select(biometric_templates.c.identity_record_id)
        .join(identity_records, identity_records.c.id == biometric_templates.c.identity_record_id)
        .where(identity_records.c.person_id == person_id, identity_records.c.member_state == ms,
               biometric_templates.c.identity_record_id != record_id)
        .order_by(biometric_templates.c.created_at.desc(), biometric_templates.c.index_key.desc()).limit(1)).scalar()
    if newest is None:
        return CopiedTemplates([], None)
    from pactum.services.identity import biometric_index

    # the 1:N index is opened (built from the table on first use) before the copies are written, so
    # that it never holds a row of this unit of work, which a rollback would undo and whose key the
    # next insert would take (the copies go in after the commit, index_copied_templates)
    biometric_index.for_store(conn)
    rows = conn.execute(select(biometric_templates.c.id, biometric_templates.c.dimensions,
                               biometric_templates.c.vector, biometric_templates.c.created_at)
                        .where(biometric_templates.c.identity_record_id == newest)
                        .order_by(biometric_templates.c.index_key)).all()
    key = int(conn.execute(select(func.coalesce(func.max(biometric_templates.c.index_key), 0))).scalar_one())
    copied: list[tuple[int, bytes]] = []
    taken: list[datetime] = []
    for _template_id, dimensions, vector, enrolled in rows:
        key += 1
        at = as_utc(enrolled) if enrolled is not None else created_at
        conn.execute(insert(biometric_templates), dict(
            id=new_id("BT"), identity_record_id=record_id, member_state=ms, dimensions=dimensions,
            vector=bytes(vector), index_key=key, created_at=at))
        copied.append((key, bytes(vector)))
        taken.append(at)
    captured = conn.execute(select(biometric_captures.c.captured_at)
                            .where(biometric_captures.c.identity_record_id == newest,
                                   biometric_captures.c.captured_at.is_not(None)).limit(1)).scalar()
    capture = {"from_record": newest, "templates": [r[0] for r in rows], "taken_at": max(taken),
               "captured_at": as_utc(captured) if captured is not None else None,
               "taken_by": conn.execute(_TAKEN_BY, {"b_record": newest}).scalar()}
    return CopiedTemplates(copied, capture)


def index_copied_templates(conn: Connection, copied: CopiedTemplates | list[tuple[int, bytes]]) -> None:
    """Add the templates :func:`copy_latest_templates` wrote to the store's 1:N biometric index,
    after the commit that wrote them: from then on a comparison of another state's capture of the
    person finds the record they were copied to."""
    if isinstance(copied, CopiedTemplates):
        copied = copied.index
    if not copied:
        return
    import numpy as np

    from pactum.services.identity import biometric_index

    idx = biometric_index.for_store(conn)
    for key, vector in copied:
        idx.add(key, np.frombuffer(vector, dtype=np.float32))


def record_application_in_eurodac(
    uow: UnitOfWork, principal: Principal, *, person_id: str, made_on: date,
    asylum_case_id: str | None = None,
) -> EurodacPublic | None:
    """Record in Eurodac, as an applicant for international protection, a person of the
    principal's state who made an application on ``made_on`` (Eurodac Reg. 2024/1358 Art 15;
    Reg. 603/2013 Art 9 before 12 June 2026), inside the caller's unit of work (nothing is
    committed here).

    The applicant data set is a new identity record of the person, a copy of their latest one
    with category ``applicant`` and the day of the application, so that other Member States find
    it through the identity search (they see other states' applicant records only); the record of
    the encounter keeps its own category (an irregular crossing stays one, for the Dublin
    criteria). It carries the person's latest biometric templates of the state
    (:func:`copy_latest_templates`, with when and by whom they were taken; indexed for the 1:N search
    once the caller commits), so that another state's capture of the person finds it by fingerprints
    (Art 27(1)) whatever name it is registered under there. Its Eurodac record is kept for the
    applicant retention period (Art 29(1): 10 years)
    from the day its data are transmitted, the day it is recorded here (before the recast, Reg.
    603/2013 Art 12(1): from the day of the application, standing for the taking of the data).

    Returns the Eurodac record: the existing one if the person already has an applicant record
    of this state not erased (an application made at a border crossing point or inland, registered
    as such, or a second call for the same application); None if the person is under the age from
    which biometric data are taken (Art 13(1): no Eurodac data), who has no identity record, or whose
    application is placed in France's outermost regions (:func:`application_outside_eurodac`: Eurodac
    does not apply there, Art 60 with Reg. (EU) 2024/1351 Art 76; Reg. 603/2013 Art 42 before): no
    applicant record is copied, so the identity search gives other states none.
    """
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    conn = uow.conn
    check_own_person(conn, person_id, ms)
    today = local_today(uow.now, ms)
    if made_on > today:
        raise ValidationProblem.one("made_on", f"cannot be after today ({today.isoformat()})")
    existing = _applicant_records(conn, person_id, ms)
    if existing:
        return _eurodac_public(existing[-1])
    latest = latest_identity_record(conn, person_id, ms)
    if latest is None:  # no identity of the person to record (never so for a registered arrival)
        return None
    if application_outside_eurodac(conn, person_id, ms, made_on) is not None:
        return None  # made where Eurodac does not apply: the case read says why
    if not rules.biometrics_required(latest["date_of_birth"], made_on).required:
        return None
    # the moment of recording: now, or for an application of an earlier day the start of that day
    # in the state (its local day is the day of the application)
    registered_at = uow.now if made_on == today else start_of_local_day(made_on, ms)
    # the applicant's data set is transmitted to the Central System now, as it is recorded here and
    # compared at once (Art 27(1)): its storage period runs from today in the state (Art 29(1)), the
    # day of the application if it is recorded that day; before the recast from the day of the
    # application, which stands for the day the fingerprints were taken (Reg. 603/2013 Art 12(1))
    retention = rules.retention_until(EurodacCategory.applicant, made_on, ms, today)
    assert retention.ends_on is not None
    record_id, row = copy_to_eurodac(conn, latest, category=_APPLICANT, recorded_on=made_on,
                                     registered_at=registered_at, retention_until=retention.ends_on,
                                     created_at=uow.now)
    # the applicant's data set carries the person's biometric data (Art 15(1): the biometric data
    # are what is transmitted, Art 17(1)(a), (b)), so that another state's capture of the person finds
    # it by fingerprints from the commit (Art 27(1)), whatever name it is registered under there
    copied = copy_latest_templates(conn, person_id, ms, record_id, created_at=uow.now)
    if copied.index:
        uow.after_commit(lambda: index_copied_templates(conn, copied))
    eurodac_id = row["id"]
    from pactum.services import identity

    # the applicant's data are compared with what Eurodac stores (Reg. (EU) 2024/1358 Art 27(1)):
    # another state's entry or application found is a hit, recorded as a multiple-identity link
    identity.search_candidates_for_record(uow, principal, record_id)
    public = _eurodac_public(row)
    uow.audit(principal, "eurodac.recorded", "eurodac_record", eurodac_id,
              after={"category": _APPLICANT, "member_state": ms, "person_id": person_id,
                     "identity_record_id": record_id, "copied_from": latest["id"],
                     "made_on": made_on, "retention_until": retention.ends_on,
                     "biometric_templates": len(copied), "biometrics": copied.capture,
                     "asylum_case_id": asylum_case_id, "legal_basis": public.legal_basis})
    return public


def mark_protection_granted(
    uow: UnitOfWork, principal: Principal, *, person_id: str, granted_on: date,
    asylum_case_id: str | None = None,
) -> list[EurodacPublic]:
    """Mark the Eurodac applicant records of a person of the principal's state who was granted
    international protection on ``granted_on`` (Eurodac Art 31; Reg. 603/2013 Art 18(1) before
    12 June 2026), inside the caller's unit of work. Marked data stay in Eurodac until their
    retention ends.

    The Central System informs the other Member States of origin whose data of the person
    produced a hit with the marked data, and they mark theirs (Art 31: within
    ``eurodac.marking.notification``, 72 hours; Reg. 603/2013 Art 18(1)): Pactum, holding the
    Central System's data, marks them in the same transaction (:func:`_mark_other_states`).

    Returns the principal's records marked now (those already marked are left as they are; none
    if the person has no applicant record, e.g. under the age of biometrics). Each marking is
    audited."""
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    conn = uow.conn
    check_own_person(conn, person_id, ms)
    today = local_today(uow.now, ms)
    if granted_on > today:
        raise ValidationProblem.one("granted_on", f"cannot be after today ({today.isoformat()})")
    basis = rules.marking_basis(granted_on)
    marked = []
    for row in _applicant_records(conn, person_id, ms):
        if row["marked_at"] is not None:
            continue
        conn.execute(update(eurodac_records).where(eurodac_records.c.id == row["id"])
                     .values(marked_at=uow.now))
        uow.audit(principal, "eurodac.marked", "eurodac_record", row["id"],
                  before={"marked_at": None},
                  after={"marked_at": uow.now, "granted_on": granted_on, "person_id": person_id,
                         "asylum_case_id": asylum_case_id, "legal_basis": basis})
        marked.append(_eurodac_public({**row, "marked_at": uow.now}))
    if _applicant_records(conn, person_id, ms):  # the state's data marked (now or before)
        _mark_other_states(uow, person_id, ms, granted_on, basis)
    return marked


#: Multiple-identity links that say two records are of the same person: white (same biometrics or
#: document and a similar identity: the Eurodac hit) and red (verified as the same person under
#: another identity), made automatically (a white link) or verified by an officer
#: (:data:`SAME_PERSON_STATUSES`). Yellow links await verification (:data:`TO_CHECK_COLOURS`: "may
#: be the same person", for an officer to check); green ones are of different persons. The one
#: reading of a link's colour and status on the platform: :func:`same_person_network` walks these,
#: and the Dublin unit's draft of a case's facts reads them (:func:`says_same_person`,
#: :func:`awaits_verification`).
SAME_PERSON_COLOURS = ("white", "red")
SAME_PERSON_STATUSES = ("automatic", "verified")
TO_CHECK_COLOURS = ("yellow",)
TO_CHECK_STATUSES = ("pending",)
_SAME_PERSON = SAME_PERSON_COLOURS


def says_same_person(colour: str | None, status: str | None) -> bool:
    """Whether a multiple-identity link of ``colour`` and ``status`` says its two records are of one
    person: white or red, made automatically or verified (Regulations (EU) 2019/817 and 2019/818, Arts 32-33)."""
    return colour in SAME_PERSON_COLOURS and status in SAME_PERSON_STATUSES


def awaits_verification(colour: str | None, status: str | None) -> bool:
    """Whether a multiple-identity link of ``colour`` and ``status`` awaits verification (yellow,
    pending, Regulations (EU) 2019/817 and 2019/818, Art 30): its two records may be one person, for an officer to
    check; it joins nobody."""
    return colour in TO_CHECK_COLOURS and status in TO_CHECK_STATUSES


def _same_person_clause(L: Any) -> Any:
    """:func:`says_same_person` as a condition on the ``identity_links`` table ``L``."""
    return and_(L.c.colour.in_(SAME_PERSON_COLOURS), L.c.status.in_(SAME_PERSON_STATUSES))

#: Who marks another state's data on the notice of a marking (Art 31): the Central System, run by
#: eu-LISA, as its audit entries name it.
CENTRAL_SYSTEM = Principal(user_id="eurodac", username="eurodac-central-system", authority="EU-LISA")


#: How far :func:`same_person_network` follows same-person identity links from a person's records:
#: up to this many persons away (IT's applicant, DE's person, FR's person: two) and this many persons
#: in all. Design bounds, not figures of the law: each hop is one comparison that found the same person.
MAX_LINK_HOPS = 4
MAX_LINKED_PERSONS = 50
#: The link that says two records are two persons (docs/identity.md): it breaks a chain.
_DIFFERENT = "green"


@dataclass(frozen=True)
class Reached:
    """A person of another record the same-person links join to the applicant, and how: the links
    from the applicant's record outwards (``links``), the states of the persons passed through
    (``through``: none for a direct hit) and when the last link of the chain was made
    (``known_at``: the chain is known from then)."""

    person_id: str
    member_state: str
    links: tuple[str, ...]
    through: tuple[str, ...]
    persons: tuple[str, ...]
    known_at: datetime

    @property
    def link(self) -> str:
        """The link on the applicant's own record (the one its person page lists)."""
        return self.links[0]


def same_person_network(conn: Connection, person_id: str, ms: str, *, own_persons: bool = False) -> dict[str, Reached]:
    """The persons of other states whose records same-person identity links join to ``ms``'s person
    ``person_id``, directly or through other persons' records (IT's person A, linked to DE's B,
    linked to FR's C: C is reached through DE). A white link (the Eurodac hit: same biometrics or
    document and a similar identity) or a red one (verified, identity fraud) says two records are one
    person (:func:`says_same_person`: made automatically or verified); a yellow link (awaiting verification) joins nobody, and a green
    link says two persons are two (docs/identity.md, "One pair of persons, one answer"): a person a
    green link says is not the person or a person of the chain that reaches them is left out,
    whatever white links say.

    Bounded (:data:`MAX_LINK_HOPS` persons away, :data:`MAX_LINKED_PERSONS` persons in all) and
    cycle-safe (each person once). Each person is reached by the chain known earliest (the latest
    link of a chain made first), then by the fewest hops, then by link ids: ``ms`` knew of the
    person from ``known_at``. ``ms``'s own other persons (one person registered twice) are passed
    through, not returned, unless ``own_persons`` (the procedures area's applications and return decisions
    of one person in ``ms``, ``pactum.services.procedures._same_person_links``); a ``person_id`` that
    is not ``ms``'s reaches nobody.

    The one reading of "the same person in other states" of the platform: the reception area's
    Article 21 decisions (Directive (EU) 2024/1346), the Eurodac marking of the other states' data
    of a beneficiary of protection (:func:`mark_protection_granted`, Regulation (EU) 2024/1358,
    Article 31(1)) and the demo world's third states. What ``ms`` learns of the persons reached is
    what the hits tell it (Regulation (EU) 2024/1358, Article 16(4)): the callers show the other
    state's data the hit carries, never its case files."""
    IR, L = identity_records, identity_links
    if conn.execute(select(IR.c.id).where(IR.c.person_id == person_id, IR.c.member_state == ms)).first() is None:
        return {}  # not a person of ms: ms reads the links of its own persons only
    start = Reached(person_id, ms, (), (), (person_id,), datetime.min.replace(tzinfo=UTC))
    best: dict[str, Reached] = {person_id: start}
    done: dict[str, Reached] = {}
    different: set[frozenset[str]] = set()
    heap: list[tuple[datetime, int, tuple[str, ...], str]] = [(start.known_at, 0, (), person_id)]
    while heap and len(done) <= MAX_LINKED_PERSONS:
        _, hops, _, current = heapq.heappop(heap)
        if current in done:
            continue
        here = best[current]
        own = select(IR.c.id).where(IR.c.person_id == current)
        links = conn.execute(select(L.c.id, L.c.record_id, L.c.linked_record_id, L.c.colour, L.c.created_at).where(
            or_(_same_person_clause(L), L.c.colour == _DIFFERENT),
            or_(L.c.record_id.in_(own), L.c.linked_record_id.in_(own)))
            .order_by(L.c.created_at, L.c.id)).all()
        ids = {r for link in links for r in (link.record_id, link.linked_record_id)}
        records = {r.id: r for r in conn.execute(select(IR.c.id, IR.c.person_id, IR.c.member_state)
                                                 .where(IR.c.id.in_(sorted(ids))))} if ids else {}
        found: list[tuple[Any, Any]] = []
        for link in links:
            a, b = records.get(link.record_id), records.get(link.linked_record_id)
            if a is None or b is None or not a.person_id or not b.person_id:
                continue
            other = b if a.person_id == current else a
            if other.person_id == current:
                continue
            if link.colour == _DIFFERENT:
                different.add(frozenset((current, other.person_id)))
            else:
                found.append((link, other))
        if any(frozenset((current, p)) in different for p in here.persons[:-1]):
            continue  # a green link says this person is not one of the chain's: not the applicant's
        done[current] = here
        if hops >= MAX_LINK_HOPS:
            continue
        for link, other in found:
            if other.person_id in done or frozenset((current, other.person_id)) in different:
                continue
            through = here.through + ((here.member_state,) if current != person_id else ())
            reached = Reached(other.person_id, other.member_state, (*here.links, link.id), through,
                              (*here.persons, other.person_id), max(here.known_at, as_utc(link.created_at)))
            key = (reached.known_at, hops + 1, reached.links)
            known = best.get(other.person_id)
            if known is None or key < (known.known_at, len(known.links), known.links):
                best[other.person_id] = reached
                heapq.heappush(heap, (*key, other.person_id))
    return {p: r for p, r in done.items() if r.member_state != ms or (own_persons and p != person_id)}


def _mark_other_states(uow: UnitOfWork, person_id: str, ms: str, granted_on: date,
                       basis: list[str]) -> int:
    """Mark the other states' Eurodac data of the person ``ms`` protects: the records of the persons
    of other states the same-person links join to the person (:func:`same_person_network`: a white
    or red link, directly or through a chain of them, a green link breaking it), not erased and not
    marked yet, whatever their category (Art 31(1): applicants, irregular crossers, illegally
    staying persons, persons disembarked). A chain is followed because each of its links is a hit
    on the same person's data: the Central System compares every set of data with all those stored
    (Art 27(1)), so the data of a person ``ms`` reaches through another state's record produced a hit
    with the marked data as well, whichever comparison the platform recorded as a link. Each is
    audited as the Central System's (``eurodac.marked``, naming the state that granted protection
    and the links that reached the record). Returns how many."""
    conn = uow.conn
    reached = same_person_network(conn, person_id, ms)
    if not reached:
        return 0
    records = {r.id: r.person_id for r in conn.execute(
        select(identity_records.c.id, identity_records.c.person_id)
        .where(identity_records.c.person_id.in_(sorted(reached))))}
    if not records:
        return 0
    rows = conn.execute(
        select(eurodac_records).where(eurodac_records.c.identity_record_id.in_(sorted(records)),
                                      eurodac_records.c.member_state != ms,
                                      eurodac_records.c.erased_at.is_(None),
                                      eurodac_records.c.marked_at.is_(None))
        .order_by(eurodac_records.c.id)).mappings().all()
    notice = rules.marking_notification(granted_on)
    for row in rows:
        how = reached[records[row["identity_record_id"]]]
        conn.execute(update(eurodac_records).where(eurodac_records.c.id == row["id"])
                     .values(marked_at=uow.now))
        uow.audit(CENTRAL_SYSTEM, "eurodac.marked", "eurodac_record", row["id"],
                  before={"marked_at": None},
                  after={"marked_at": uow.now, "member_state": row["member_state"],
                         "category": row["category"], "identity_record_id": row["identity_record_id"],
                         "protection_granted_by": ms, "granted_on": granted_on,
                         "identity_links": list(how.links), "through": list(how.through),
                         "informed_at": uow.now, "to_inform_within": notice,
                         "legal_basis": basis})
    return len(rows)


# ---------------------------------------------------------------- queries (reads for screens)


def _row(r: Any) -> dict[str, Any]:
    return dict(r._mapping)


def person_view(services: Services, principal: Principal, person_id: str, *,
                channel: str | None = "web") -> dict[str, Any]:
    """One of the state's persons: identity records, encounters, documents, biometrics, Eurodac
    records, screenings, and the corrections of the records' identity data. The read is logged
    (``services.reads``, on ``channel``; None: an internal read, such as a form checking which
    records the person has before the page that shows them, not logged)."""
    from pactum.services import reads, record_corrections

    require(principal, *READ_ROLES)
    ms = require_member_state(principal)
    with services.uow() as uow:
        c = uow.conn
        person = c.execute(select(persons).where(persons.c.id == person_id)).first()
        if person is None or person.member_state != ms:
            raise NotFound("no such person")
        records = [_row(r) for r in c.execute(
            select(identity_records).where(identity_records.c.person_id == person_id)
            .order_by(identity_records.c.recorded_on))]
        record_ids = [r["id"] for r in records]
        view: dict[str, Any] = {
            "person": _row(person),
            "records": records,
            "encounters": [_row(r) for r in c.execute(
                select(encounters).where(encounters.c.person_id == person_id)
                .order_by(encounters.c.occurred_at))],
            "documents": [_row(r) for r in c.execute(
                select(identity_documents).where(identity_documents.c.identity_record_id.in_(record_ids)))],
            "biometrics": [_row(r) for r in c.execute(
                select(biometric_captures).where(biometric_captures.c.identity_record_id.in_(record_ids)))],
            "eurodac": [_row(r) for r in c.execute(
                select(eurodac_records).where(eurodac_records.c.identity_record_id.in_(record_ids)))],
            "screenings": [_screening_public(c, r.id) for r in c.execute(
                select(screenings.c.id).where(screenings.c.person_id == person_id)
                .order_by(screenings.c.started_at))],
            # records whose comparison has not run yet (registered through the API, until the
            # identity_comparison job runs): no link of theirs can be on the page
            "comparisons_pending": sorted(c.execute(
                select(identity_comparisons.c.identity_record_id).where(
                    identity_comparisons.c.identity_record_id.in_(record_ids),
                    identity_comparisons.c.compared_at.is_(None))).scalars()),
            # the corrections of the records' identity data (what changed, when, by whom, why),
            # oldest first, from the audit log
            "corrections": record_corrections.corrections_of_records(c, record_ids),
        }
        # the day each storage end is counted from, said on the page (Art 29; Reg. 603/2013)
        captures = {b["identity_record_id"]: b for b in view["biometrics"]}
        recorded_on = {r["id"]: r["recorded_on"] for r in records}
        zones = {e["identity_record_id"]: e["time_zone"] for e in view["encounters"]}
        for e in view["eurodac"]:
            e["retention_counted_from"] = retention_counted_from(
                captures.get(e["identity_record_id"]), recorded_on.get(e["identity_record_id"]), ms,
                zones.get(e["identity_record_id"]))
        _erasures(c, view["eurodac"], ms)
        # each encounter on the clock of its place (a Canary Islands arrival on the islands'),
        # with that zone and its region in words, and the 72 hours to transmit on that clock too
        for e in view["encounters"]:
            _encounter_local(e, ms)
        for b in view["biometrics"]:
            zone = zones.get(b["identity_record_id"]) or zone_name(ms)
            deadline = b["transmission_deadline"]
            b["time_zone"] = zone
            b["transmission_deadline_local"] = in_state_time(as_utc(deadline), ms, zone) if deadline else None
        # logged with the read and committed last: a refused read logs nothing, a failed log fails it
        if channel is not None:
            reads.record_read(c, principal, {person_id: ms}, reads.PERSON_PAGE, channel, at=uow.now)
            uow.commit()
        return view


def _erasures(conn: Connection, rows: list[dict[str, Any]], ms: str) -> None:
    """Add to each of the person's Eurodac records ``rows`` how its data were erased, from the audit
    log (``eurodac.erased``): ``erased_on`` (the state's local day), ``erased_in_error`` (erased by the
    state as recorded in error, :func:`erase_in_error`, rather than at the end of its storage
    period) and ``erasure_reason``; None and False for a record not erased."""
    erased = [r["id"] for r in rows if r.get("erased_at") is not None]
    how: dict[str, dict[str, Any]] = {}
    if erased:
        for entry in conn.execute(select(audit_log.c.entity_id, audit_log.c.after)
                                  .where(audit_log.c.action == "eurodac.erased",
                                         audit_log.c.entity_type == "eurodac_record",
                                         audit_log.c.entity_id.in_(erased))
                                  .order_by(audit_log.c.seq)):
            how[entry.entity_id] = dict(entry.after or {})
    for r in rows:
        after = how.get(r["id"], {})
        r["erased_on"] = local_day(as_utc(r["erased_at"]), ms) if r.get("erased_at") is not None else None
        r["erased_in_error"] = bool(after.get("erased_in_error"))
        r["erasure_reason"] = after.get("reason") if r["erased_in_error"] else None


def _encounter_local(e: dict[str, Any], ms: str) -> None:
    """Add to an encounter's row its ``occurred_local`` on the clock of its place, that
    ``time_zone`` (null, an encounter stored before the place was kept that had no screening to
    take it from: the capital's, whose days the platform counted) and its ``region_name``."""
    occurred = as_utc(e["occurred_at"])
    e["occurred_at"] = occurred
    zone = e.get("time_zone") or zone_name(ms)
    e["time_zone"] = zone
    e["occurred_local"] = in_state_time(occurred, ms, zone)
    region = region_of_zone(ms, zone)
    e["region_name"] = region.name if region else None
    # what does not apply where it happened (France's outermost regions), on the day it happened there
    day = local_day(occurred, ms, zone)
    e["outside_scope"] = [*rules.outside_eurodac(ms, zone, day), *rules.outside_screening(ms, zone, day)]


def links_of_own_records(services: Services, principal: Principal, link_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The multiple-identity links among ``link_ids`` that link a record of the principal's state,
    with their decision: colour, status, verifying authority, who decided, when and why.

    The authority whose record is linked may read the link (Reg. (EU) 2019/818, Art 26 and 34:
    the identity confirmation file names the linked data and the authority that verified it); the
    link is verified, and its page opened, by the verifying authority only. A link that touches
    none of the principal's records is left out."""
    require(principal, *READ_ROLES)
    ms = require_member_state(principal)
    if not link_ids:
        return {}
    own = select(identity_records.c.id).where(identity_records.c.member_state == ms)
    q = select(identity_links.c.id, identity_links.c.colour, identity_links.c.status,
               identity_links.c.verifying_authority, identity_links.c.decided_at,
               identity_links.c.decided_by, identity_links.c.decision_reason).where(
        identity_links.c.id.in_(link_ids),
        or_(identity_links.c.record_id.in_(own), identity_links.c.linked_record_id.in_(own)))
    with services.uow() as uow:
        out = {}
        for r in uow.conn.execute(q):
            d = _row(r)
            d["decided_at"] = as_utc(d["decided_at"]) if d["decided_at"] else None
            d["own_queue"] = d["verifying_authority"] == principal.authority
            out[d["id"]] = d
        return out


#: The identity records a search lists at once (``limit``'s default), and at most.
SEARCH_PAGE = 50
SEARCH_PAGE_MAX = 500


def search_persons_page(
    services: Services, principal: Principal, *, name: str = "", date_of_birth: str = "",
    limit: int = SEARCH_PAGE, offset: int = 0, channel: str = "web", for_audit: bool = False,
) -> dict[str, Any]:
    """Search the state's own records by (part of) a name and a full or partial date of birth:
    one page of ``limit`` identity records (1 to ``SEARCH_PAGE_MAX``) from ``offset``, in name
    order, with how many records match in all (``total``) and of how many persons (``persons``; a
    person registered more than once has a record each). An officer who checks for an existing
    record before registering an arrival (Regulation (EU) 2024/1358, Article 15: no second
    registration of the same person) is told that more match than are listed, and can page on or
    narrow the search, rather than concluding from a cut list that the person is absent.

    Each search is logged (``services.reads``, on ``channel``): which criteria were given, never
    what was typed, and the persons of the page shown. ``for_audit``: an auditor's or
    administrator's search of the audit log by a person's name (``services.audit.persons_named``),
    over the persons whose audit entries they read: their state's, every state's for EU-LISA's."""
    from pactum.services import reads
    from pactum.services.audit import reader_state

    if for_audit:
        require(principal, Role.auditor, Role.admin)
        ms: str | None = reader_state(principal)
    else:
        require(principal, *READ_ROLES)
        ms = require_member_state(principal)
    if not name.strip() and not date_of_birth.strip():
        raise ValidationProblem.one("name", "give a name or a date of birth to search")
    problems = []
    if not 1 <= limit <= SEARCH_PAGE_MAX:
        problems.append(("limit", f"between 1 and {SEARCH_PAGE_MAX}"))
    if offset < 0:
        problems.append(("offset", "must be zero or more"))
    if problems:
        raise ValidationProblem(problems)
    where = [identity_records.c.member_state == ms] if ms is not None else []
    for word in name.split():
        # autoescape: "%" and "_" typed in a name are letters to find, not LIKE's wildcards
        where.append(or_(*(func.lower(column).contains(word.lower(), autoescape=True) for column in (
            identity_records.c.surname_latin, identity_records.c.given_names_latin,
            identity_records.c.surname, identity_records.c.given_names))))
    if date_of_birth.strip():
        try:
            dob = PartialDate.parse(date_of_birth)
        except ValueError as exc:
            raise ValidationProblem.one("date_of_birth", str(exc)) from exc
        # a record with a partial date matches when the two can be the same day
        same_day_possible = [
            identity_records.c.date_of_birth.like(f"{dob}%"),
            identity_records.c.date_of_birth == f"{dob.year:04d}",
        ]
        if dob.month:
            same_day_possible.append(identity_records.c.date_of_birth == f"{dob.year:04d}-{dob.month:02d}")
        where.append(or_(*same_day_possible))
    q = (select(identity_records).where(*where)
         .order_by(identity_records.c.surname_latin, identity_records.c.given_names_latin, identity_records.c.id)
         .limit(limit).offset(offset))
    counted = select(func.count().label("records"),
                     func.count(identity_records.c.person_id.distinct()).label("persons")).where(*where)
    with services.uow() as uow:
        # the records' times (created_at) stored in UTC and said so, as the API's others
        rows: list[dict[str, Any]] = [{k: as_utc(v) if isinstance(v, datetime) else v for k, v in _row(r).items()}
                                      for r in uow.conn.execute(q)]
        count = uow.conn.execute(counted).one()
        # logged with the read and committed last: a refused search logs nothing, a failed log fails it
        reads.record_read(uow.conn, principal, {r["person_id"]: r["member_state"] for r in rows},
                          reads.AUDIT_NAME_SEARCH if for_audit else reads.REGISTRY_SEARCH, channel,
                          at=uow.now, criteria=reads.criteria_given(name=name, date_of_birth=date_of_birth))
        uow.commit()
    return {"rows": rows, "total": count.records, "persons": count.persons, "limit": limit, "offset": offset}


def search_persons(
    services: Services, principal: Principal, *, name: str = "", date_of_birth: str = "",
    limit: int = SEARCH_PAGE, offset: int = 0,
) -> list[dict[str, Any]]:
    """The identity records of one page of :func:`search_persons_page` (the API's and the CLI's
    list; how many match in all is ``search_persons_page``'s ``total``)."""
    return list(search_persons_page(services, principal, name=name, date_of_birth=date_of_birth,
                                    limit=limit, offset=offset)["rows"])


def screenings_due(
    services: Services, principal: Principal, *, limit: int = 20
) -> list[dict[str, Any]]:
    """Open screenings of the state, the nearest deadline first."""
    require(principal, *READ_ROLES)
    ms = require_member_state(principal)
    q = (
        select(screenings.c.id, screenings.c.person_id, screenings.c.deadline_at,
               screenings.c.variant, screenings.c.identity_summary, screenings.c.started_at,
               screenings.c.time_zone)
        .where(screenings.c.member_state == ms, screenings.c.completed_at.is_(None))
        .order_by(screenings.c.deadline_at).limit(limit)
    )
    with services.uow() as uow:
        rows = []
        for r in uow.conn.execute(q):
            d = _row(r)
            d["deadline_at"] = as_utc(d["deadline_at"])
            # in UTC as the screening's own read says it (the store keeps it without an offset)
            d["started_at"] = as_utc(d["started_at"])
            d.update(_in_state_time(d["deadline_at"], ms, d["started_at"], zone=d.pop("time_zone")))
            d["overdue"] = d["deadline_at"] < uow.now
            d["hours_left"] = round((d["deadline_at"] - uow.now).total_seconds() / 3600, 1)
            rows.append(d)
        return rows


def arrivals_by_route_month(
    services: Services, principal: Principal, *, since: date | None = None
) -> list[dict[str, Any]]:
    """Encounters per route and month: a state's own, or all states' for EU-body analysts. An
    encounter without a route is "Inland (no route)" when it happened inside the territory (illegal
    stay, an application within the territory), and "Route not recorded" when it was an arrival at
    the border whose route the officer did not know: that one did not happen inland.

    An encounter counts in the month of its local day: the day the clock showed where it happened
    (its ``time_zone``, else its state's capital's), as awareness counts its months
    (``pactum.store.local_days``): an arrival at 00:30 on 1 December in Athens (22:30 UTC on
    30 November) is one of December. ``since``: the months from that day's month on."""
    require(principal, *READ_ROLES, Role.analyst)
    inland = encounters.c.kind.in_([k.value for k in INLAND_KINDS])
    with services.uow() as uow:
        month = local_days.local_month(uow.conn, encounters.c.occurred_at, encounters.c.member_state,
                                       encounters.c.time_zone).label("month")
        inner = select(month, encounters.c.route, inland.label("inland"))
        if principal.member_state:
            inner = inner.where(encounters.c.member_state == principal.member_state)
        if since:
            # the local month starts up to a day before its first day in UTC: the moment narrows the
            # rows (a day early), the local month decides
            first = datetime(since.year, since.month, 1, tzinfo=UTC)
            inner = inner.where(encounters.c.occurred_at >= first - timedelta(days=1))
        m = inner.subquery()
        q = select(m.c.month, m.c.route, m.c.inland, func.count().label("n")).group_by(
            m.c.month, m.c.route, m.c.inland).order_by(m.c.month)
        if since:
            q = q.where(m.c.month >= f"{since.year:04d}-{since.month:02d}")
        rows: dict[tuple[str, str], int] = {}
        for r in uow.conn.execute(q):
            route = r.route or ("Inland (no route)" if r.inland else "Route not recorded")
            rows[(r.month, route)] = rows.get((r.month, route), 0) + r.n
        return [{"month": mo, "route": route, "n": n} for (mo, route), n in rows.items()]


#: The encounters that happen inside the territory, not at a border: they have no route.
INLAND_KINDS = (EncounterKind.illegal_stay, EncounterKind.in_territory_application)


# ---------------------------------------------------------------- retention


def retention_counted_from(capture: dict[str, Any] | None, recorded_on: date | None, member_state: str,
                           zone: str | None = None) -> str:
    """What a Eurodac record's ``retention_until`` is counted from, in words for the person's page:
    the transmission (Reg. (EU) 2024/1358 Art 29), the capture while the transmission is not
    recorded, the encounter while no capture time is recorded (:func:`record_capture`), or the taking
    of the fingerprints (Reg. (EU) No 603/2013 Arts 12(1), 16(1)). A record without a capture of its
    own is an applicant's record made with an application."""
    captured = capture["captured_at"] if capture else None
    taken_on = local_day(as_utc(captured), member_state, zone) if captured else recorded_on
    if taken_on is not None and rules.eurodac_regime(taken_on) != "pact":
        return "the day the fingerprints were taken (Regulation (EU) No 603/2013)"
    if capture is None:
        return "the day the applicant's data were transmitted, when the application was recorded in Eurodac"
    if capture["transmitted_at"] is not None:
        return "the day the biometric data were transmitted"
    if captured is None:  # registered without a capture time: counted from the encounter's day
        return ("the day of the encounter, for now: no capture time is recorded, and the end moves to "
                "the day of the capture when it is recorded, then to the day of the transmission")
    return ("the day the biometric data were taken, for now: their transmission is not recorded, "
            "and the end moves to the day of the transmission when it is")


def record_transmission(services: Services, principal: Principal, identity_record_id: str, *,
                        transmitted_at: datetime) -> dict[str, Any]:
    """Record the transmission to Eurodac of the biometric data of a registration whose data were
    captured but whose transmission was not recorded when it was registered.

    Under Reg. (EU) 2024/1358 the storage period runs from the date the biometric data were
    transmitted (Art 29(1), (6) to (8)): the record's ``retention_until``, counted from the capture
    until then, moves to the end counted from the day of the transmission in the state, so the
    erasure job erases the data on that end. Under Reg. (EU) No 603/2013 (data taken before 12
    June 2026) the period runs from the taking of the fingerprints (Arts 12(1), 16(1)): the end
    does not move. Whether the transmission met its 72-hour limit is recorded too. Audited.

    Refused (422, field ``transmitted_at``): a moment in the future or before the capture; a
    transmission already recorded, or a record whose capture is not recorded yet
    (:func:`record_capture` first) (409); a record of another state, without biometric data
    for Eurodac, or whose Eurodac data are erased (404)."""
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    at = as_utc(transmitted_at)
    with services.uow() as uow:
        conn = uow.conn
        row = _eurodac_capture(conn, identity_record_id, ms)
        if row is None:
            raise NotFound("no biometric data of this record stored in Eurodac by your state")
        if row["captured_at"] is None:
            raise Conflict("the capture of the biometric data is not recorded: record it first "
                           "(template reference and when the data were taken)")
        if row["transmitted_at"] is not None:
            raise Conflict(f"the transmission is already recorded ({as_utc(row['transmitted_at']).isoformat()})")
        captured = as_utc(row["captured_at"])
        if at > uow.now:
            raise ValidationProblem.one("transmitted_at", "is in the future")
        if at < captured:
            raise ValidationProblem.one("transmitted_at", f"is before the capture ({captured.isoformat()})")
        category = EurodacCategory(row["category"])
        zone = row["encounter_time_zone"]  # the encounter's clock (None: recorded before it was kept)
        retention = rules.retention_until(category, local_day(captured, ms, zone), ms, local_day(at, ms, zone))
        assert retention.ends_on is not None
        deadline = as_utc(row["transmission_deadline"]) if row["transmission_deadline"] else None
        met = at <= deadline if deadline is not None else None
        conn.execute(update(biometric_captures).where(biometric_captures.c.id == row["id"])
                     .values(transmitted_at=at, transmission_met=met))
        conn.execute(update(eurodac_records).where(eurodac_records.c.id == row["eurodac_id"])
                     .values(retention_until=retention.ends_on))
        uow.audit(principal, "eurodac.transmission_recorded", "eurodac_record", row["eurodac_id"],
                  before={"transmitted_at": None, "retention_until": row["retention_until"]},
                  after={"transmitted_at": at, "transmission_met": met,
                         "retention_until": retention.ends_on, "identity_record_id": identity_record_id,
                         "legal_basis": retention.legal_basis})
        uow.commit()
    return {"identity_record_id": identity_record_id, "eurodac_id": row["eurodac_id"],
            "transmitted_at": at, "transmission_met": met, "retention_until": retention.ends_on,
            "legal_basis": retention.legal_basis, "computation": retention.computation}


def _eurodac_capture(conn: Connection, identity_record_id: str, ms: str) -> Any:
    """The biometric capture of one of the state's identity records whose data Eurodac stores (not
    erased, not below the minimum age), with its Eurodac record's id, category, storage end and
    registration (the encounter); None where there is none. What recording the capture and
    recording the transmission both read."""
    return conn.execute(
        select(biometric_captures, eurodac_records.c.id.label("eurodac_id"), eurodac_records.c.category,
               eurodac_records.c.retention_until, eurodac_records.c.registered_at,
               encounters.c.time_zone.label("encounter_time_zone"))
        .join(identity_records, identity_records.c.id == biometric_captures.c.identity_record_id)
        .join(eurodac_records, eurodac_records.c.identity_record_id == identity_records.c.id)
        .outerjoin(encounters, encounters.c.identity_record_id == identity_records.c.id)
        .where(biometric_captures.c.identity_record_id == identity_record_id,
               identity_records.c.member_state == ms, eurodac_records.c.erased_at.is_(None),
               biometric_captures.c.below_minimum_age.is_(False))).mappings().first()


def record_capture(services: Services, principal: Principal, identity_record_id: str, *,
                   template_ref: str, captured_at: datetime) -> dict[str, Any]:
    """Record the biometric capture (the template's reference and when the data were taken) of a
    registration stored in Eurodac that was registered without a capture time, so that its
    transmission can then be recorded (:func:`record_transmission` needs the capture).

    The 72-hour transmission limit does not move: it runs from the encounter, not from the capture
    (Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2), 23(2), 24(2)). The storage period, while the
    transmission is not recorded, is counted from the day the data were taken (Art 29; Reg. (EU)
    No 603/2013 Arts 12(1), 16(1)): the record's ``retention_until``, counted from the encounter's
    day until then, is counted from the capture's day, under the regime of that day. Audited.

    Refused (422, field ``captured_at``): a moment in the future or before the encounter; a
    capture already recorded (409); a record of another state, without biometric data to store in
    Eurodac (under the minimum age, no Eurodac record) or whose Eurodac data are erased (404)."""
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    template = template_ref.strip()
    if not template:
        raise ValidationProblem.one("template_ref", "give the reference of the biometric template")
    if len(template) > 120:
        raise ValidationProblem.one("template_ref", "is longer than 120 characters")
    if captured_at.tzinfo is None:  # without an offset: UTC
        captured_at = captured_at.replace(tzinfo=UTC)
    at = as_utc(captured_at)
    with services.uow() as uow:
        conn = uow.conn
        row = _eurodac_capture(conn, identity_record_id, ms)
        if row is None:
            raise NotFound("no biometric data of this record to store in Eurodac by your state")
        if row["captured_at"] is not None:
            raise Conflict(f"the capture is already recorded ({as_utc(row['captured_at']).isoformat()})")
        encounter = as_utc(row["registered_at"])
        if at > uow.now:
            raise ValidationProblem.one("captured_at", "is in the future")
        if at < encounter:
            raise ValidationProblem.one("captured_at", f"is before the encounter ({encounter.isoformat()})")
        category = EurodacCategory(row["category"])
        zone = row["encounter_time_zone"]  # the encounter's clock (None: recorded before it was kept)
        retention = rules.retention_until(category, local_day(captured_at, ms, zone), ms, None)
        assert retention.ends_on is not None
        if retention.ends_on < local_today(uow.now, ms):
            raise ValidationProblem.one(
                "captured_at",
                f"Eurodac stores the data of this {category.value.replace('_', ' ')} only until "
                f"{retention.ends_on.isoformat()}, counted from the day the biometric data were taken "
                f"({'; '.join(retention.legal_basis[:1])}): that day has passed")
        conn.execute(update(biometric_captures).where(biometric_captures.c.id == row["id"])
                     .values(template_ref=template, captured_at=captured_at))
        conn.execute(update(eurodac_records).where(eurodac_records.c.id == row["eurodac_id"])
                     .values(retention_until=retention.ends_on))
        uow.audit(principal, "eurodac.capture_recorded", "eurodac_record", row["eurodac_id"],
                  before={"template_ref": row["template_ref"], "captured_at": None,
                          "retention_until": row["retention_until"]},
                  after={"template_ref": template, "captured_at": at, "retention_until": retention.ends_on,
                         "identity_record_id": identity_record_id, "legal_basis": retention.legal_basis})
        uow.commit()
    deadline = as_utc(row["transmission_deadline"]) if row["transmission_deadline"] else None
    return {"identity_record_id": identity_record_id, "eurodac_id": row["eurodac_id"],
            "template_ref": template, "captured_at": at, "transmission_deadline": deadline,
            "retention_until": retention.ends_on, "legal_basis": retention.legal_basis,
            "computation": retention.computation}


#: The operator of the Central System, whose administrators erase the data of every state.
CENTRAL_SYSTEM_OPERATOR = "EU-LISA"


def apply_retention(services: Services, principal: Principal, *, on: date,
                    days: Mapping[str, date] | None = None) -> dict[str, int]:
    """Erase Eurodac data past retention (Eurodac Art 29); each erasure audited, in one transaction.
    Data whose last day (``retention_until``) is before ``on``; with ``days`` (the scheduled job's),
    a state's data before its own day there (a state not named: before ``on``).

    A state's administrator erases the data of their own state (each Member State of origin
    answers for the data it transmitted: Art 29 and the erasure of its own records); the
    Central System's operator (an administrator of eu-LISA, and the scheduled job
    ``registry.retention``) erases every state's. Another EU body's administrator erases nothing
    (403)."""
    require(principal, Role.admin)
    ms = principal.member_state
    if ms is None and principal.authority != CENTRAL_SYSTEM_OPERATOR:
        raise Forbidden("Eurodac data are erased by the Member State that recorded them or by the "
                        "Central System's operator (eu-LISA)")
    erased = 0
    with services.uow() as uow:
        if on > uow.now.date():  # erasure cannot be undone: never ahead of the day it is run
            raise ValidationProblem.one("on", f"{on.isoformat()} is after today ({uow.now.date().isoformat()}): "
                                              "data is erased only once its retention has passed")
        ended = eurodac_records.c.retention_until < on
        if days:
            ended = or_(*(and_(eurodac_records.c.member_state == state, eurodac_records.c.retention_until < day)
                          for state, day in sorted(days.items())),
                        and_(eurodac_records.c.member_state.not_in(sorted(days)), ended))
        where = [ended, eurodac_records.c.erased_at.is_(None)]
        if ms is not None:
            where.append(eurodac_records.c.member_state == ms)
        due = uow.conn.execute(select(eurodac_records).where(and_(*where))).mappings().all()
        for row in due:
            erase_eurodac_data(uow, principal, row, after={"erased_on": on})
            erased += 1
        uow.commit()
    return {"erased": erased}


def erase_eurodac_data(uow: UnitOfWork, principal: Principal, row: Any, *,
                       after: Mapping[str, Any]) -> int:
    """Erase one Eurodac record's data inside the caller's unit of work: the one way the registry
    erases them, at the end of their storage period (:func:`apply_retention`, Art 29) or before it
    when the Member State of origin erases data it recorded in error (:func:`erase_in_error`, Art
    40(3)). The record keeps its id and is marked erased (readers tell data erased from data never
    stored); the capture of its identity record, its biometric templates and its shared search key
    go with the data (GDPR Art 5(1)(e)); the identity record stays the state's national record. The
    templates leave the 1:N biometric index once the unit of work is committed
    (``UnitOfWork.after_commit``). Audited ``eurodac.erased`` (``after`` says on what). Returns how
    many templates were deleted."""
    from pactum.services import identity
    from pactum.services.identity import biometric_index

    rec_id = row["identity_record_id"]
    conn = uow.conn
    conn.execute(update(eurodac_records).where(eurodac_records.c.id == row["id"]).values(erased_at=uow.now))
    templates = 0
    if rec_id:
        keys = [int(k) for k in conn.execute(select(biometric_templates.c.index_key).where(
            biometric_templates.c.identity_record_id == rec_id)).scalars()]
        conn.execute(delete(biometric_captures).where(biometric_captures.c.identity_record_id == rec_id))
        templates = identity.forget_eurodac_data(conn, rec_id)
        if keys:
            uow.after_commit(lambda: biometric_index.remove_keys(conn, keys))
    uow.audit(principal, "eurodac.erased", "eurodac_record", row["id"],
              before={"category": row["category"], "member_state": row["member_state"],
                      "retention_until": row["retention_until"], "identity_record_id": rec_id},
              after={**after, "templates_deleted": templates})
    return templates


#: The erasure by the Member State of origin of data it transmitted to Eurodac in error, read in the
#: Official Journal text (Italian version) of Regulation (EU) 2024/1358: Art 40(3) «Fatte salve le
#: cancellazioni effettuate a norma dell'articolo 29, soltanto lo Stato membro d'origine ha il diritto
#: di modificare i dati che ha trasmesso all'Eurodac, rettificandoli o integrandoli, o cancellandoli»;
#: Art 40(5), second subparagraph: data recorded in breach of the Regulation, the state of origin «li
#: modifica o cancella senza indugio»; Art 43(4): data «di fatto inesatti» or recorded «illecitamente»
#: are rectified or erased by the state that transmitted them, «a norma dell'articolo 40, paragrafo 3»,
#: which confirms it in writing to the person.
ERASURE_IN_ERROR_BASIS = ("Regulation (EU) 2024/1358, Article 40(3), 40(5) and 43(4): only the Member State of "
                          "origin erases data it transmitted to Eurodac in error")


def erase_in_error(uow: UnitOfWork, principal: Principal, eurodac_record_id: str, *, reason: str,
                   context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Erase, inside the caller's unit of work, the Eurodac record ``eurodac_record_id`` that its
    Member State of origin recorded in error (:data:`ERASURE_IN_ERROR_BASIS`), before its storage
    period ends, by :func:`erase_eurodac_data`, audited with the reason and ``context`` (what
    called it). Only the state's registry writers (:data:`WRITE_ROLES`: those who record its
    Eurodac data) erase them (403); another state's record is not known to them (404); a record
    already erased is 409. Returns ``{"id", "identity_record_id", "templates_deleted", "erased_at"}``."""
    ms = principal.member_state
    row = uow.conn.execute(select(eurodac_records).where(eurodac_records.c.id == eurodac_record_id)
                           .with_for_update()).mappings().first()
    if row is None or ms is None or row["member_state"] != ms:
        raise NotFound(f"no Eurodac record {shortened(eurodac_record_id, 40)!r} of your state")
    if not principal.has(*WRITE_ROLES):
        held = ", ".join(sorted(r.value for r in principal.roles)) or "none"
        raise Forbidden(f"{ms}'s Eurodac data are erased by its {', '.join(r.value for r in WRITE_ROLES)}s, who "
                        f"record them ({ERASURE_IN_ERROR_BASIS}); {principal.username} holds {held}")
    if row["erased_at"] is not None:
        raise Conflict(f"the Eurodac record {row['id']} was erased on {as_utc(row['erased_at']).date().isoformat()}")
    templates = erase_eurodac_data(uow, principal, row, after={
        "erased_in_error": True, "reason": reason, "legal_basis": [ERASURE_IN_ERROR_BASIS], **(context or {})})
    return {"id": row["id"], "identity_record_id": row["identity_record_id"], "templates_deleted": templates,
            "erased_at": uow.now}


#: Art 43(4), second sentence, of Regulation (EU) 2024/1358: the state that erased the data confirms it
#: in writing to the person (Pactum records the erasure; the letter is the state's, Pactum sends nothing).
ERASURE_WRITTEN_CONFIRMATION = ("Regulation (EU) 2024/1358, Article 43(4): the Member State confirms in writing to "
                                "the person that it erased the data concerning them; Pactum sends nothing, the "
                                "letter is the state's")
#: What the erasure of a ``union_resettlement`` record recorded in error says of the resettlement case whose
#: transmission it is (``services.resettlement``): the case stays and reads the record as erased.
RESETTLEMENT_RECORD_ERASED = ("the record of a person referred for Union resettlement: the resettlement case whose "
                              "transmission to Eurodac it is stays and reads it as erased (a case itself recorded by "
                              "mistake is erased from the resettlement page, with its Eurodac record)")


#: What a blank reason for an erasure in error is told (the service's 422 and the person page's).
ERASURE_REASON_REQUIRED = ("required: say why the record was recorded in error (data factually inaccurate or "
                           "recorded unlawfully)")


def erase_record_in_error(services: Services, principal: Principal, eurodac_record_id: str, *, reason: str,
                          channel: str = "api") -> dict[str, Any]:
    """Erase one of the state's Eurodac records recorded in error (factually inaccurate or recorded
    unlawfully), before its storage period ends, as the Member State of origin, which alone erases
    the data it transmitted (:data:`ERASURE_IN_ERROR_BASIS`: Reg. 2024/1358 Art 40(3), 40(5) second
    subparagraph, 43(4)), by the registry's one way of erasing Eurodac data (:func:`erase_in_error`
    over :func:`erase_eurodac_data`, its retention's too): the record is kept, marked erased; its
    capture, biometric templates and shared search key go, the templates leave the 1:N biometric
    index once committed (another state's comparison no longer finds it); the identity record stays
    the state's national record. Audited (``eurodac.erased``, with the reason, the articles, the
    person and the ``channel``), in one unit of work: nothing is half-written.

    ``reason`` is required (422 naming ``reason``); another state's record, or one that is none, is
    404; a user who does not write the state's registry records (:data:`WRITE_ROLES`) is 403; a
    record erased already (in error or at the end of its storage period) is 409. A Union
    resettlement record (``union_resettlement``) that is a resettlement case's transmission is
    erased too: the case stays and reads it as erased (:data:`RESETTLEMENT_RECORD_ERASED`).

    The state confirms the erasure in writing to the person (Art 43(4)): the answer says so
    (``written_confirmation``); Pactum sends nothing."""
    text = (reason or "").strip()
    if not text:
        raise ValidationProblem.one("reason", ERASURE_REASON_REQUIRED)
    if len(text) > FREE_TEXT_MAX:
        raise ValidationProblem.one("reason", f"at most {FREE_TEXT_MAX} characters ({len(text)} given)")
    with services.uow() as uow:
        found = uow.conn.execute(
            select(eurodac_records.c.category, identity_records.c.person_id)
            .select_from(eurodac_records.outerjoin(
                identity_records, identity_records.c.id == eurodac_records.c.identity_record_id))
            .where(eurodac_records.c.id == eurodac_record_id)).first()
        person_id = found.person_id if found is not None else None
        erased = erase_in_error(uow, principal, eurodac_record_id, reason=text,
                                context={"person_id": person_id, "channel": channel})
        uow.commit()
    category = found.category if found is not None else None
    return {**erased, "person_id": person_id, "member_state": principal.member_state, "category": category,
            "erased": True, "reason": text, "legal_basis": [ERASURE_IN_ERROR_BASIS],
            "written_confirmation": ERASURE_WRITTEN_CONFIRMATION,
            "resettlement": RESETTLEMENT_RECORD_ERASED if category == EurodacCategory.union_resettlement.value else None}


@job("registry.retention")
def retention_job(services: Services, now: datetime) -> str:
    """Eurodac retention: erase the data of every state whose storage period has ended (Art 29:
    the Central System erases them automatically), with the daily sweep."""
    # each state's data once their last day is over on every clock of the state's territory where
    # Eurodac applies: at 00:30 UTC the Azores (UTC-1 in winter) still live the day before, so
    # Portugal's data of that day wait for its end there, and at 23:30 UTC Italy's day is over
    # (erasing is never early; late by at most the hour between a state's clocks). France's
    # outermost regions hold no Eurodac data (Reg. 2024/1358 Art 60): Paris's clock
    days = {state: min(local_day(now, state, zone) for zone in eurodac_zone_names(state)) for state in STATE_ZONES}
    result = apply_retention(services, SYSTEM, on=min(days.values()), days=days)
    return f"{result['erased']} Eurodac records erased past their retention"


def warm_up(on: date) -> None:
    """Compute once what the first registration in a server process would otherwise pay for:
    the public-holiday tables of every state (this year's and the retention end years') and the
    legal parameters of every encounter kind. Called when the server starts."""
    from pactum.common.states import MEMBER_STATES
    from pactum.registry.model import EncounterKind

    at = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    for ms in MEMBER_STATES:
        for kind in EncounterKind:
            category = rules.eurodac_category(kind, on)
            rules.screening_deadline(at, ms, rules.screening_variant(kind, False))
            rules.transmission_deadline(at, ms, category)
            rules.biometrics_required("2000", on)
            if category is not None:
                rules.retention_until(category, on, ms)


def encounter_count(services: Services) -> int:
    """How many encounters the store holds (is there a world already?)."""
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(encounters)).scalar() or 0)


@indicator("registrations", label="Arrivals registered", area="registry", unit="encounters", period="to_date",
           whose="encounters {state} registered")
def registrations_indicator(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Encounters registered up to the day: that happened by then and were recorded on the platform
    by then (an encounter registered later, with an earlier date, was not yet registered: the
    weekly report of a past week counts what was known at its end). A state's: the encounters it
    registered. "By then" is by the end of the day where each encounter happened (its local day,
    ``pactum.store.local_days``, as the weekly report counts): an arrival at 00:30 on 1 December in
    Athens (22:30 UTC on 30 November) was not registered by 30 November."""
    on = as_of.isoformat()
    # no local day is more than a day from its UTC day: a moment before the day in UTC is by then on
    # every clock, one two days after it on none; only those between are converted
    start = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    near = start + timedelta(days=2)

    def by_then(moment: Any) -> Any:
        day = local_days.local_day(conn, moment, encounters.c.member_state, encounters.c.time_zone)
        return or_(moment < start, and_(moment < near, day <= on))

    q = select(func.count()).select_from(encounters).where(by_then(encounters.c.occurred_at),
                                                           by_then(encounters.c.created_at))
    if member_state is not None:
        q = q.where(encounters.c.member_state == member_state)
    return int(conn.execute(q).scalar() or 0)


# ---------------------------------------------------------------- what a registration makes of an identity
# (also used by the correction of a record's identity data, ``services.record_corrections``)


def identity_columns(i: IdentityIn) -> dict[str, Any]:
    """The identity columns of an ``identity_records`` row as a registration writes them from
    ``i``: the Latin-script names are the names as written where none are given apart, and the
    first identity document is the record's."""
    doc = i.documents[0] if i.documents else None
    return {
        "given_names": i.given_names, "surname": i.surname,
        "given_names_latin": i.given_names_latin or i.given_names,
        "surname_latin": i.surname_latin or i.surname, "father_name": i.father_name,
        "sex": i.sex.value if i.sex else None, "date_of_birth": i.date_of_birth,
        "place_of_birth": i.place_of_birth, "nationality": i.nationality,
        "document_type": doc.type if doc else None, "document_number": doc.number if doc else None,
        "document_country": doc.country if doc else None, "document_expiry": doc.expiry if doc else None,
    }


def date_of_birth_problem(date_of_birth: str | None, on: date) -> str | None:
    """Why ``date_of_birth`` cannot be the date of birth of a person encountered on ``on`` (the
    earliest day it may mean is after it), or None."""
    if date_of_birth and PartialDate.parse(date_of_birth).earliest() > on:
        return "is after the encounter"
    return None


def summary_of_identity(i: IdentityIn) -> str:
    """Point (a) of the screening form (Regulation (EU) 2024/1356, Article 17(1)): name, date and
    place of birth, sex."""
    name = " ".join(x for x in (i.given_names_latin or i.given_names, i.surname_latin or i.surname) if x)
    parts = [name, f"born {i.date_of_birth or 'unknown'}"]
    if i.place_of_birth:
        parts.append(f"in {i.place_of_birth}")
    parts.append(f"sex {i.sex.value if i.sex else 'unknown'}")
    return ", ".join(parts)
