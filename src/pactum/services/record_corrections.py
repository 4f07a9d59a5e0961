"""Correcting a registered record's identity data (rectification).

The Member State that recorded an identity record amends it: a misspelt surname, a date of birth
typed wrong, given name and surname swapped, a nationality corrected once the documents were
checked, a document number added later (Regulation (EU) 2016/679, Article 16: the right to
rectification; Regulation (EU) 2024/1358, Article 40(3): only the Member State of origin amends
the data it transmitted, by rectifying or supplementing them; Regulation (EU) No 603/2013,
Article 27, before 12 June 2026).

A correction is one unit of work: the record's new values, checked as a registration checks them
(``IdentityIn`` and :func:`pactum.services.registry.date_of_birth_problem`); its first identity
document; the open screenings' point (a) and (b); the identity search's key, computed as the
registration computes it (:func:`pactum.services.registry._search_features`); one audit entry,
minimised (which fields changed, not their values: ``services.audit.minimised``), with the reason;
and the record compared again as at its registration
(:func:`pactum.services.identity.search_candidates_for_record`), whose new links wait in the
verification queue. Links made before stay as they are: the person page and the link's page say
that a record they join was corrected after the link was made (:func:`corrections_since`), as
their evidence compares the data as they were then.

The person's other records of the same state listed with it (``also_records``: an applicant's
record copied from it when the application was recorded in Eurodac) are corrected in the same unit
of work, each by the same per-record step (:func:`_correct_one`) with its own version, search key,
comparison and audit entry (``corrected_with``).

The state's active SIS return alerts entered from a record corrected follow it in the same unit of
work (Regulation (EU) 2018/1861, Article 44(1) and (3), applied to return alerts by Regulation (EU)
2018/1860): :func:`pactum.services.returns.correct_alerts_identity`, one audit entry per alert, the
states with a hit on it told on the hit, their hits kept as recorded. Another state's alerts are
that state's to correct: the answer names those this state sees through its hits
(:func:`pactum.services.returns.other_states_alerts_on_person`), and warns of an alert of the state
entered from another of the person's records, not corrected with it
(:func:`pactum.services.returns.alerts_left_behind`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, delete, insert, or_, select, update

from pactum.common.clock import as_utc
from pactum.common.errors import NotFound, ValidationProblem, plain_message
from pactum.common.ids import new_id
from pactum.common.text import shortened
from pactum.law import NotInForce
from pactum.registry import rules
from pactum.registry.local_time import local_day
from pactum.registry.model import (
    CORRECTABLE_FIELDS,
    FREE_TEXT_MAX,
    EncounterKind,
    IdentityChanges,
    IdentityIn,
)
from pactum.services import identity, registry, returns
from pactum.services.audit import IDENTITY_FIELDS
from pactum.services.auth import Principal, require, require_member_state
from pactum.services.bootstrap import Services
from pactum.store.tables.base import update_versioned
from pactum.store.tables.identity import identity_links, identity_search_keys
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import (
    biometric_captures,
    encounters,
    identity_documents,
    identity_records,
    screenings,
)

#: The audit action of a correction (entity ``identity_record``).
CORRECTED = "identity_record.corrected"
#: How the comparison after a correction is recorded (``identity_comparisons.compared_via``).
VIA_CORRECTION = "correction"
#: Who corrects: those who register (the asylum authority's caseworkers).
CORRECT_ROLES = registry.WRITE_ROLES

GDPR_RECTIFICATION = "Regulation (EU) 2016/679, Article 16 (right to rectification)"
#: The Member State of origin amends the data it recorded, under the Eurodac regime of the day it corrects them.
EURODAC_AMENDMENT = {
    "pact": "Regulation (EU) 2024/1358, Article 40(3): only the Member State of origin amends the data it "
            "transmitted, by rectifying or supplementing them",
}
#: Before 12 June 2026: Reg. 603/2013 Art 27(3), read in the Official Journal text (Italian version):
#: «soltanto lo Stato membro d'origine ha il diritto di modificare i dati che ha trasmesso al sistema
#: centrale, rettificandoli o integrandoli, ovvero cancellandoli».
EURODAC_AMENDMENT_BEFORE = ("Regulation (EU) No 603/2013, Article 27(3): only the Member State of origin amends "
                            "the data it transmitted, by rectifying, supplementing or erasing them")

#: The record's first identity document, as the changes name its parts.
_DOCUMENT = {"document_type": "type", "document_number": "number", "document_country": "country",
             "document_expiry": "expiry"}
#: A Latin-script name and the name as written it is a copy of when none was given apart.
_AS_WRITTEN = {"given_names_latin": "given_names", "surname_latin": "surname"}
#: Each correctable field as the forms and pages name it.
FIELD_WORDS = {
    "surname": "surname", "given_names": "given names", "surname_latin": "surname in Latin script",
    "given_names_latin": "given names in Latin script", "father_name": "father's name", "sex": "sex",
    "date_of_birth": "date of birth", "place_of_birth": "place of birth", "nationality": "nationality",
    "document_type": "document type", "document_number": "document number",
    "document_country": "document issuing country", "document_expiry": "document expiry",
}
#: What a correction's audit entry keeps of another state's alert on the person (no identity data).
_OTHER_ALERT_KEPT = ("alert_id", "issuing_member_state", "decision_reference", "hit_id")
_PLAIN = ("surname", "given_names", "father_name", "sex", "date_of_birth", "place_of_birth", "nationality")


def legal_basis(on: date) -> list[str]:
    """What a correction made on ``on`` rests on: the Eurodac law in force that day. A correction
    is an act of the day it is made: one made since the recast applies is made under it, whenever
    the record was registered (a record of 2025 corrected in November 2026 cites Regulation (EU)
    2024/1358, not Regulation (EU) No 603/2013, which it repealed)."""
    regime = rules.eurodac_regime(on)
    return [GDPR_RECTIFICATION, EURODAC_AMENDMENT.get(regime, EURODAC_AMENDMENT_BEFORE)]


def _own_record(conn: Connection, principal: Principal, record_id: str) -> Any:
    ms = require_member_state(principal)
    row = conn.execute(select(identity_records).where(identity_records.c.id == record_id)).mappings().first()
    if row is None or row["member_state"] != ms:  # another state's record is not found, as every read
        raise NotFound(f"no identity record {shortened(record_id)} in {ms}'s records")
    return row


def record_to_correct(services: Services, principal: Principal, record_id: str) -> dict[str, Any]:
    """The record as its correction form starts from (the state's own record, for those who
    correct: 404 for another state's, 403 for another role)."""
    require(principal, *CORRECT_ROLES)
    with services.uow() as uow:
        return dict(_own_record(uow.conn, principal, record_id))


def records_correctable_with(services: Services, principal: Principal, record_id: str) -> list[dict[str, Any]]:
    """The person's other records of the state that hold the same value as ``record_id`` in at
    least one correctable field (an applicant's record copied from it when the application was
    recorded in Eurodac, a second registration), the oldest first, each with the fields it holds as
    ``record_id`` does (``same``) and those it holds otherwise (``differs``): the records its
    correction may correct too (``also_records``)."""
    require(principal, *CORRECT_ROLES)
    with services.uow() as uow:
        row = _own_record(uow.conn, principal, record_id)
        others = uow.conn.execute(
            select(identity_records).where(identity_records.c.person_id == row["person_id"],
                                           identity_records.c.member_state == row["member_state"],
                                           identity_records.c.id != record_id)
            .order_by(identity_records.c.recorded_on, identity_records.c.created_at, identity_records.c.id)
        ).mappings().all()
    out = []
    for other in others:
        same = [f for f in CORRECTABLE_FIELDS if other[f] == row[f] and row[f] not in (None, "")]
        if same:
            out.append({**dict(other), "same": same,
                        "differs": [f for f in CORRECTABLE_FIELDS if other[f] != row[f]]})
    return out


def _given(changes: Mapping[str, Any] | IdentityChanges) -> dict[str, Any]:
    """The fields given (``null`` included), refused naming ``changes.<field>`` when the contract
    does not have them."""
    if isinstance(changes, IdentityChanges):
        return changes.model_dump(exclude_unset=True)
    try:
        return IdentityChanges.model_validate(dict(changes)).model_dump(exclude_unset=True)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            field = f"changes.{e['loc'][0]}" if e["loc"] else "changes"
            message = (f"not a field of a record's identity; one of: {', '.join(CORRECTABLE_FIELDS)}"
                       if e["type"] == "extra_forbidden" else plain_message(e["msg"]))
            problems.append((field, message))
        raise ValidationProblem(problems) from exc


def _identity_input(row: Mapping[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The registration's ``identity`` of the corrected record: the record's values with the
    changes given."""
    out = {f: given[f] if f in given else row[f] for f in _PLAIN}
    for latin, written in _AS_WRITTEN.items():
        # a Latin-script name the registration copied from the name as written follows it
        out[latin] = given[latin] if latin in given else (None if row[latin] == row[written] else row[latin])
    doc = {part: given[f] if f in given else row[f] for f, part in _DOCUMENT.items()}
    out["documents"] = [doc] if any(v not in (None, "") for v in doc.values()) else []
    return out


def _problem_field(loc: tuple[Any, ...]) -> str:
    if not loc:  # the identity's own check: a surname or given names
        return "changes.surname"
    if loc[0] == "documents" and len(loc) >= 3:
        return f"changes.document_{loc[2]}"
    return f"changes.{loc[0]}"


def _validated(row: Mapping[str, Any], given: dict[str, Any]) -> IdentityIn:
    """The corrected identity, checked by the registration's contract (``IdentityIn``): each
    problem named ``changes.<field>``."""
    try:
        return IdentityIn.model_validate(_identity_input(row, given))
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            field = _problem_field(tuple(e["loc"]))
            message = plain_message(e["msg"])
            if field == "changes.document_number" and e["type"] in ("string_type", "missing", "string_too_short"):
                message = ("required to record the document: give its number, or clear its type, issuing "
                           "country and expiry as well")
            problems.append((field, message))
        raise ValidationProblem(problems) from exc


def _biometric_warning(conn: Connection, row: Mapping[str, Any], corrected: IdentityIn) -> str | None:
    """What the corrected date of birth says of the biometric data the record holds (Eurodac
    Art 13(1): taken from a minimum age), where it says otherwise than at the registration. The
    correction does not change the biometric or Eurodac data: the officer is told."""
    below = conn.execute(select(biometric_captures.c.below_minimum_age)
                         .where(biometric_captures.c.identity_record_id == row["id"]).limit(1)).scalar()
    kind = conn.execute(select(encounters.c.kind).where(encounters.c.identity_record_id == row["id"])
                        .order_by(encounters.c.occurred_at).limit(1)).scalar()
    if below is None or kind is None:
        return None
    try:
        rule = rules.biometrics_required(corrected.date_of_birth, row["recorded_on"], EncounterKind(kind))
    except (NotInForce, ValueError):
        return None
    if rule.required != bool(below):
        return None
    basis = "; ".join(rule.legal_basis)
    if rule.required:
        return (f"With the corrected date of birth the person had reached {rule.minimum_age} at the encounter, "
                f"the age from which biometric data are taken ({basis}); the record holds none, as the person was "
                "registered as younger. The correction does not take them: register them with the person's data.")
    return (f"With the corrected date of birth the person was, or may have been, under {rule.minimum_age} at the "
            f"encounter, the age from which biometric data are taken ({basis}); the record's biometric and "
            "Eurodac data, taken as for an older person, are not changed by the correction: check whether they "
            "must be erased.")


def _checked(conn: Connection, row: Mapping[str, Any], given: dict[str, Any]
             ) -> tuple[IdentityIn | None, dict[str, Any], list[tuple[str, str]]]:
    """One record's corrected identity (the record's values with the changes ``given``), the
    columns that change on it, and the problems (named ``changes.<field>``, or ``changes`` when
    nothing would change): the checks of a registration, the date of birth not after the encounter."""
    problems: list[tuple[str, str]] = []
    try:
        corrected = _validated(row, given)
    except ValidationProblem as exc:
        return None, {}, list(exc.problems)
    born_after = registry.date_of_birth_problem(corrected.date_of_birth, row["recorded_on"])
    if born_after:
        problems.append(("changes.date_of_birth", born_after))
    columns = registry.identity_columns(corrected)
    values = {k: v for k, v in columns.items() if row[k] != v}
    if not values and not born_after:
        problems.append(("changes", "nothing changed: every field given is as the record has it" if given
                         else "nothing to correct: give at least one field of the identity"))
    return corrected, values, problems


def _also_problems(conn: Connection, first: Mapping[str, Any], also_records: Sequence[str], given: dict[str, Any]
                   ) -> tuple[list[tuple[Mapping[str, Any], IdentityIn, dict[str, Any]]], list[tuple[str, str]]]:
    """The person's other records of the state to correct with ``first``, each checked as ``first``
    is: problems named ``also_records[i]`` (another person's or state's record, the record itself or
    one listed twice, a change the record refuses, or nothing that would change on it)."""
    out: list[tuple[Mapping[str, Any], IdentityIn, dict[str, Any]]] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = {first["id"]}
    for i, other_id in enumerate(also_records):
        field = f"also_records[{i}]"
        name = shortened(str(other_id))
        if other_id in seen:
            problems.append((field, f"record {name} is " + (
                "the record corrected" if other_id == first["id"] else "listed twice")))
            continue
        seen.add(other_id)
        row: Any = conn.execute(select(identity_records).where(identity_records.c.id == other_id)).mappings().first()
        if row is None or row["member_state"] != first["member_state"] or row["person_id"] != first["person_id"]:
            problems.append((field, f"no other identity record {name} of the same person in "
                                    f"{first['member_state']}'s records"))
            continue
        corrected, values, found = _checked(conn, row, given)
        for f, message in found:
            if f == "changes":
                message = (f"nothing would change on record {name}: every field given is as it has it"
                           if given else message)
                problems.append((field, message))
            else:
                label = FIELD_WORDS.get(f.removeprefix("changes."), f)
                problems.append((field, f"record {name}: {label}: {message}"))
        if not found and corrected is not None:
            out.append((row, corrected, values))
    return out, problems


def correct_record(services: Services, principal: Principal, record_id: str,
                   changes: Mapping[str, Any] | IdentityChanges, reason: str | None, *,
                   version: int | None = None, also_records: Sequence[str] = (),
                   channel: str | None = None) -> dict[str, Any]:
    """Correct the identity data of one of the state's records (a caseworker of its state: 404 for
    another state's record, 403 for another role), in one unit of work.

    ``changes``: the fields to correct (:class:`~pactum.registry.model.IdentityChanges`), each
    checked as the registration checks it, problems named ``changes.<field>``; a correction that
    changes nothing is refused (``changes``); ``reason`` is required. ``version``: the record's
    version the officer corrected (409 when it changed since).

    ``also_records``: the person's other records of the state corrected with it, in the same unit
    of work (all or none), each with the same changes, checked as the first, its own version, search
    key, audit entry (``corrected_with`` the first) and comparison; a field already holding the new
    value on one of them stays. Each problem is named ``also_records[i]``: a record of another person
    or state, or one on which nothing would change.

    Returns the corrected ``record``, what ``changed`` (field names), ``corrected_at``, the
    ``legal_basis``, ``warnings`` and the ``comparison`` made with the corrected data: its
    ``candidates`` (as ``POST /api/v1/identity/records/{id}/candidates`` gives them) and the
    links it made (``links_made``); and ``also_corrected``: for each of ``also_records``, its
    ``record``, ``changed``, ``warnings``, ``screenings_updated``, ``comparison`` and
    ``alerts_corrected``.

    The state's active SIS return alerts entered from a record corrected follow it in the same unit
    of work (Regulation (EU) 2018/1861, Article 44(1) and (3)): ``alerts_corrected`` lists them, each
    with its ``alert_id``, ``decision_reference``, the record it follows (``identity_record_id``),
    the alert fields ``changed`` and the states told on their hits (``hits_informed``). Another
    state's alerts on the person are that state's to correct: ``other_states_alerts`` lists those this
    state sees (its hit named the person), each with the hit to write to and ``what_to_do``.

    ``channel``: the way in that hands the officer those candidates (the API's answer, the command
    line's JSON), whose read is logged with the correction (``services.reads``,
    ``identity_comparison``); the web page shows only their number and passes None."""
    require(principal, *CORRECT_ROLES)
    with services.uow() as uow:
        conn = uow.conn
        row = _own_record(conn, principal, record_id)
        problems: list[tuple[str, str]] = []
        corrected: IdentityIn | None = None
        given: dict[str, Any] = {}
        values: dict[str, Any] = {}
        try:
            given = _given(changes)
        except ValidationProblem as exc:
            problems += exc.problems
        else:
            corrected, values, found = _checked(conn, row, given)
            problems += found
        others: list[tuple[Mapping[str, Any], IdentityIn, dict[str, Any]]] = []
        if also_records and not problems:
            others, found = _also_problems(conn, row, list(also_records), given)
            problems += found
        said = (reason or "").strip()
        if not said:
            problems.append(("reason", "required: say why the record's identity data are corrected"))
        elif len(said) > FREE_TEXT_MAX:
            problems.append(("reason", f"at most {FREE_TEXT_MAX:,} characters"))
        if problems:
            raise ValidationProblem(problems)
        assert corrected is not None
        basis = legal_basis(local_day(uow.now, row["member_state"]))
        also_ids = [other["id"] for other, _, _ in others]
        other_alerts = returns.other_states_alerts_on_person(conn, row["member_state"], row["person_id"])
        left_behind = returns.alerts_left_behind(conn, row["member_state"], dict(row), list(values),
                                                 [record_id, *also_ids])
        first = _correct_one(uow, principal, row, corrected, values, said, basis,
                             version=version, channel=channel, also_records=also_ids, other_alerts=other_alerts,
                             notes=left_behind)
        also_corrected = [_correct_one(uow, principal, other, other_corrected, other_values, said, basis,
                                       channel=channel, corrected_with=record_id)
                          for other, other_corrected, other_values in others]
        now = uow.now
        uow.commit()
    return {"record": first["record"], "changed": first["changed"], "corrected_at": now, "reason": said,
            "legal_basis": basis, "warnings": first["warnings"], "screenings_updated": first["screenings_updated"],
            "comparison": first["comparison"], "also_corrected": also_corrected,
            "alerts_corrected": [a for one in (first, *also_corrected) for a in one["alerts_corrected"]],
            "other_states_alerts": other_alerts}


def _correct_one(uow: Any, principal: Principal, row: Mapping[str, Any], corrected: IdentityIn,
                 values: dict[str, Any], said: str, basis: list[str], *, version: int | None = None,
                 channel: str | None = None, also_records: Sequence[str] = (),
                 corrected_with: str | None = None,
                 other_alerts: Sequence[Mapping[str, Any]] = (), notes: Sequence[str] = ()) -> dict[str, Any]:
    """Write one record's correction inside the caller's unit of work: its ``values``, a version
    raised, its first document, its open screenings' points (a) and (b), its search key, the
    comparison made again, the state's active SIS return alerts entered from the record
    (:func:`pactum.services.returns.correct_alerts_identity`, each with its own audit entry) and the
    record's audit entry (``also_records``: the records corrected with it; ``corrected_with``: the
    record it was corrected together with; ``alerts_corrected``; ``other_alerts``: another state's
    alerts on the person this state sees, which it does not correct; ``notes``: warnings added to
    the record's own)."""
    conn = uow.conn
    record_id = row["id"]
    new_version = update_versioned(conn, identity_records, record_id,
                                   row["version"] if version is None else version, values)
    _correct_document(conn, row, values)
    summary = registry.summary_of_identity(corrected)
    screenings_updated = list(conn.execute(
        update(screenings).where(
            screenings.c.encounter_id.in_(select(encounters.c.id).where(encounters.c.identity_record_id == record_id)),
            screenings.c.completed_at.is_(None))
        .values(identity_summary=summary, nationalities=corrected.nationality)
        .returning(screenings.c.id)).scalars())
    # the search key as the registration computes it, from the corrected row
    record = {**dict(row), **values}
    conn.execute(delete(identity_search_keys).where(identity_search_keys.c.identity_record_id == record_id))
    conn.execute(insert(identity_search_keys).values(**identity.search_key_row(
        record_id, row["member_state"], identity.shared_category(conn, record_id),
        registry._search_features(record))))
    warning = _biometric_warning(conn, row, corrected) if "date_of_birth" in values else None
    warnings = ([warning] if warning else []) + list(notes)
    # compared again as at the registration: new candidates get their links (yellow ones wait
    # in the verification queue); the links the record already has stay
    linked_before = set(conn.execute(select(identity_links.c.id).where(or_(
        identity_links.c.record_id == record_id, identity_links.c.linked_record_id == record_id))).scalars())
    candidates = identity.search_candidates_for_record(uow, principal, record_id, via=VIA_CORRECTION,
                                                       channel=channel)
    made = [c["link"] for c in candidates if c.get("link") and c["link"]["id"] not in linked_before]
    changed = [f for f in CORRECTABLE_FIELDS if f in values] + sorted(
        f for f in values if f not in CORRECTABLE_FIELDS)
    together = ({"also_records": list(also_records)} if also_records else {}) | (
        {"corrected_with": corrected_with} if corrected_with else {})
    result = dict(conn.execute(select(identity_records).where(identity_records.c.id == record_id)).mappings().one())
    # the state's SIS return alerts entered from this record follow it (Reg. (EU) 2018/1861 Art 44)
    alerts = returns.correct_alerts_identity(uow, principal, result, changed, reason=said)
    uow.audit(principal, CORRECTED, "identity_record", record_id,
              before={"record": {k: row[k] for k in changed}, "version": row["version"]},
              after={"record": {k: values[k] for k in changed}, "version": new_version, "changed": changed,
                     "reason": said, "person_id": row["person_id"], "legal_basis": basis,
                     "screenings_updated": screenings_updated, "warnings": warnings,
                     "comparison": {"candidates": len(candidates), "links_made": [lk["id"] for lk in made]},
                     "alerts_corrected": [{k: a[k] for k in ("alert_id", "decision_reference", "changed",
                                                             "hits_informed")} for a in alerts],
                     **({"other_states_alerts": [{k: a[k] for k in _OTHER_ALERT_KEPT} for a in other_alerts]}
                        if other_alerts else {}),
                     **together})
    return {"record": result, "changed": changed, "warnings": warnings,
            "screenings_updated": screenings_updated, "comparison": {"candidates": candidates, "links_made": made},
            "alerts_corrected": alerts}


def _correct_document(conn: Connection, row: Mapping[str, Any], values: dict[str, Any]) -> None:
    """Keep the record's first identity document (``identity_documents``) as the record has it."""
    if not any(f in values for f in _DOCUMENT):
        return
    new = {f: values.get(f, row[f]) for f in _DOCUMENT}
    existing = None
    if row["document_number"] is not None:
        existing = conn.execute(select(identity_documents.c.id).where(
            identity_documents.c.identity_record_id == row["id"],
            identity_documents.c.document_number == row["document_number"])
            .order_by(identity_documents.c.id).limit(1)).scalar()
    if new["document_number"] is None:
        if existing is not None:
            conn.execute(delete(identity_documents).where(identity_documents.c.id == existing))
    elif existing is not None:
        conn.execute(update(identity_documents).where(identity_documents.c.id == existing).values(**new))
    else:
        conn.execute(insert(identity_documents).values(id=new_id("doc"), identity_record_id=row["id"], **new))


# ---------------------------------------------------------------- reads: what was corrected, when, by whom, why


def _change_lines(before: Any, after: Any, changed: list[str]) -> list[dict[str, Any]]:
    """Each changed field with its values where the audit keeps them (not identity data, which it
    withholds: ``services.audit.IDENTITY_FIELDS``)."""
    b = (before or {}).get("record") or {}
    a = (after or {}).get("record") or {}
    return [{"field": f, "label": FIELD_WORDS.get(f, f.replace("_", " ")), "values_kept": f not in IDENTITY_FIELDS,
             "before": b.get(f) if f not in IDENTITY_FIELDS else None,
             "after": a.get(f) if f not in IDENTITY_FIELDS else None} for f in changed]


def corrections_of_records(conn: Connection, record_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The corrections of ``record_ids``, oldest first, from the audit log: the record, when
    (``at``), by whom (``by``, ``authority``), what changed (``changed``, ``lines``), why
    (``reason``), and what the comparison after it made (``candidates``, ``links_made``)."""
    ids = sorted(set(record_ids))
    if not ids:
        return []
    rows = conn.execute(select(audit_log.c.entity_id, audit_log.c.at, audit_log.c.actor, audit_log.c.authority,
                               audit_log.c.before, audit_log.c.after)
                        .where(audit_log.c.action == CORRECTED, audit_log.c.entity_type == "identity_record",
                               audit_log.c.entity_id.in_(ids))
                        .order_by(audit_log.c.seq))
    out = []
    for r in rows:
        after = r.after or {}
        changed = list(after.get("changed") or [])
        comparison = after.get("comparison") or {}
        out.append({"identity_record_id": r.entity_id, "at": as_utc(r.at), "by": r.actor, "authority": r.authority,
                    "changed": changed, "changed_words": [FIELD_WORDS.get(f, f.replace("_", " ")) for f in changed],
                    "lines": _change_lines(r.before, after, changed),
                    "reason": after.get("reason"), "warnings": list(after.get("warnings") or []),
                    "candidates": comparison.get("candidates"), "links_made": list(comparison.get("links_made") or []),
                    # corrected in one go: the record the officer corrected lists the others
                    # (``also_records``), each of them names it (``corrected_with``)
                    "also_records": list(after.get("also_records") or []),
                    "corrected_with": after.get("corrected_with"),
                    # the state's SIS return alerts corrected with the record, and another state's
                    # alerts on the person it left to that state
                    "alerts_corrected": [{**a, "changed_words": [returns.alert_field_words(f)
                                                                 for f in a.get("changed") or []]}
                                         for a in after.get("alerts_corrected") or []],
                    "other_states_alerts": [{**o, "what_to_do": returns.other_state_alert_words(
                        o["issuing_member_state"], o.get("decision_reference"), o["hit_id"])}
                        for o in after.get("other_states_alerts") or []]})
    return out


def corrections_since(conn: Connection, links: Iterable[Mapping[str, Any]], own_state: str,
                      hidden: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
    """For each link (``id``, ``record_id``, ``linked_record_id``, ``created_at``), the corrections
    of either of its records made after the link was made: its evidence compared the data as they
    were. A correction of ``own_state``'s record says who made it and why; another state's says
    which state corrected which fields, when; nothing is said of the records in ``hidden`` (another
    state's record the reader no longer sees: its Eurodac data erased)."""
    links = list(links)
    skip = set(hidden)
    ids = {x for lk in links for x in (lk["record_id"], lk["linked_record_id"])}
    states = dict(conn.execute(select(identity_records.c.id, identity_records.c.member_state)
                               .where(identity_records.c.id.in_(sorted(ids)))).all()) if ids else {}
    by_record: dict[str, list[dict[str, Any]]] = {}
    for c in corrections_of_records(conn, ids):
        by_record.setdefault(c["identity_record_id"], []).append(c)
    out: dict[str, list[dict[str, Any]]] = {}
    for lk in links:
        made = lk["created_at"]
        made_at = as_utc(datetime.fromisoformat(made) if isinstance(made, str) else made) if made else None
        found = []
        for rid in (lk["record_id"], lk["linked_record_id"]):
            for c in by_record.get(rid, []) if rid not in skip else []:
                if made_at is None or c["at"] > made_at:
                    own = states.get(rid) == own_state
                    found.append({**c, "member_state": states.get(rid), "own": own,
                                  **({} if own else {"by": None, "reason": None, "warnings": [], "links_made": [],
                                                     "candidates": None, "alerts_corrected": [],
                                                     "other_states_alerts": []})})
        if found:
            out[lk["id"]] = sorted(found, key=lambda c: c["at"])
    return out


def corrections_since_links(services: Services, principal: Principal, links: Iterable[Mapping[str, Any]],
                            hidden: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
    """:func:`corrections_since` for links the principal reads (the person page's links)."""
    require(principal, *registry.READ_ROLES)
    ms = require_member_state(principal)
    with services.uow() as uow:
        return corrections_since(uow.conn, links, ms, hidden)


__all__ = ["CORRECTED", "CORRECT_ROLES", "VIA_CORRECTION", "correct_record",
           "corrections_of_records", "corrections_since", "corrections_since_links", "legal_basis",
           "record_to_correct", "records_correctable_with"]
