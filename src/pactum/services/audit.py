"""The append-only, hash-chained audit log.

Each entry's hash covers its content and the previous entry's hash, so altering or removing any
entry breaks the chain from that point: ``verify`` finds the first broken link. Writers lock the
single ``audit_head`` row, which keeps the chain linear under concurrent transactions; a unit of
work collects its entries and appends them as its last statement before commit, so the lock is
held only for that statement and the commit (ADR 0005).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from pactum.common.clock import as_utc
from pactum.common.csvrows import spreadsheet_safe
from pactum.common.errors import ValidationProblem
from pactum.common.limits import STORE_INTEGER_MAX
from pactum.store.tables.platform import audit_head, audit_log, audit_verification

GENESIS = "0" * 64
_ADVANCE_HEAD = (
    update(audit_head).where(audit_head.c.id == 1)
    .values(seq=bindparam("seq"), hash=bindparam("hash"))
)
# the other two statements of a commit's append (SQLite), made once: every commit of a unit of work
# runs them, and building them anew cost more than running them (a demo build makes ~14,000)
_READ_HEAD = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
_INSERT_ENTRIES = insert(audit_log)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def canonical(value: Any) -> Any:
    """JSON-safe, deterministic copy of a value (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=_default, sort_keys=True))


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    payload = json.dumps(
        {k: entry[k] for k in ("seq", "at", "actor", "authority", "action", "entity_type",
                               "entity_id", "before", "after")},
        default=_default,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


#: The fields that identify a person (the data subject: an applicant, an arrival, a returnee),
#: wherever they sit in an entry's before/after. The audit log keeps who did what to which record
#: and when, and which of these fields changed, not their values: the values live in the records,
#: where erasure (Eurodac Art 29, a deleted SIS alert) and rectification reach them; a copy in
#: the hash chain could never be erased (GDPR Art 5(1)(c) and (e); ADR 0009).
IDENTITY_FIELDS = frozenset({
    "given_names", "surname", "given_names_latin", "surname_latin", "father_name", "mother_name",
    "date_of_birth", "place_of_birth", "document_number", "surnames", "forenames", "names_at_birth",
    "previous_names", "identity_summary", "photo_ref", "fingerprints_ref", "template_ref",
})
#: What an entry holds in place of an identity field's value.
WITHHELD = "withheld (identity data)"
CHANGED = "withheld (identity data, changed)"


def _withheld(value: Any, changed: bool = False) -> Any:
    if value is None or value == "":
        return value
    return CHANGED if changed else WITHHELD


def minimised(value: Any, other: Any = None) -> Any:
    """``value`` with every identity field's value withheld, at any depth. ``other`` is the other
    side of an update (``before`` for ``after`` and the reverse): a field whose value differs
    between the two is marked as changed, so the entry still says what the officer changed."""
    if isinstance(value, dict):
        counterpart = other if isinstance(other, dict) else {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in IDENTITY_FIELDS:
                changed = isinstance(other, dict) and key in counterpart and counterpart[key] != item
                out[key] = _withheld(item, changed)
            else:
                out[key] = minimised(item, counterpart.get(key))
        return out
    if isinstance(value, list):
        return [minimised(item) for item in value]
    return value


def entry_content(
    *,
    at: datetime,
    actor: str,
    authority: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
) -> dict[str, Any]:
    """An entry without its place in the chain: canonical values, ready to be appended."""
    at = as_utc(at)
    return {
        "at": at,
        "actor": actor,
        "authority": authority,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": minimised(canonical(before), canonical(after)),
        "after": minimised(canonical(after), canonical(before)),
    }


def _payload_prefix(content: dict[str, Any]) -> str:
    """The hashed payload of ``entry_hash`` up to the sequence number.

    The payload is JSON with sorted keys and ``seq`` sorts last, so for sequence number N the
    payload is exactly ``prefix + str(N) + "}"``: the database can finish the hash once it knows N.
    """
    without_seq = {k: content[k] for k in ("at", "actor", "authority", "action", "entity_type",
                                           "entity_id", "before", "after")}
    without_seq["at"] = content["at"].isoformat()
    payload = json.dumps(without_seq, default=_default, sort_keys=True, separators=(",", ":"))
    return payload[:-1] + ',"seq":'


# PostgreSQL: lock the head, link the entry and move the head in ONE statement, so a writer holds
# the chain's row lock for one round trip plus its commit (see docs/adr/0005-audit-chain-at-commit.md).
# sha256(prev_hash || payload) is computed by the database with the same formula as entry_hash.
_PG_APPEND = text("""
WITH head AS MATERIALIZED (
    SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE
), entry AS MATERIALIZED (
    SELECT seq + 1 AS seq, hash AS prev_hash,
           encode(sha256(convert_to(hash || :prefix || (seq + 1)::text || '}', 'UTF8')), 'hex') AS hash
    FROM head
), moved AS (
    UPDATE audit_head SET seq = entry.seq, hash = entry.hash FROM entry WHERE audit_head.id = 1
)
INSERT INTO audit_log (seq, at, actor, authority, action, entity_type, entity_id, before, after,
                       prev_hash, hash)
SELECT entry.seq, :at, :actor, :authority, :action, :entity_type, :entity_id,
       CAST(:before AS JSON), CAST(:after AS JSON), entry.prev_hash, entry.hash
FROM entry
RETURNING seq
""")
_PG_GENESIS = text(
    "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :hash) ON CONFLICT (id) DO NOTHING")


# the same two statements as the driver's own SQL text, for a commit sent in one pipeline (uow)
PG_APPEND_SQL = str(_PG_APPEND.compile(dialect=postgresql.psycopg.dialect()))
PG_GENESIS_SQL = str(_PG_GENESIS.compile(dialect=postgresql.psycopg.dialect()))


def pg_params(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "prefix": _payload_prefix(content), "at": content["at"], "actor": content["actor"],
        "authority": content["authority"], "action": content["action"],
        "entity_type": content["entity_type"], "entity_id": content["entity_id"],
        "before": json.dumps(content["before"]), "after": json.dumps(content["after"]),
    }


def append_entries(conn: Connection, contents: list[dict[str, Any]]) -> int:
    """Append entries (from ``entry_content``) to the chain in this transaction; the last seq.

    Writers serialise on the single ``audit_head`` row, so the chain stays linear; the caller
    appends as the last thing before its commit so the lock is held as briefly as possible.
    """
    if not contents:
        return 0
    if conn.dialect.name == "postgresql":
        seq = 0
        for content in contents:
            params = pg_params(content)
            seq = conn.execute(_PG_APPEND, params).scalar() or 0
            if not seq:  # a store whose chain has no head yet
                conn.execute(_PG_GENESIS, {"hash": GENESIS})
                seq = int(conn.execute(_PG_APPEND, params).scalar_one())
        return int(seq)
    head = conn.execute(_READ_HEAD).first()
    if head is None:
        conn.execute(insert(audit_head).values(id=1, seq=0, hash=GENESIS))
        seq, prev_hash = 0, GENESIS
    else:
        seq, prev_hash = head.seq, head.hash
    rows = []
    for content in contents:
        seq += 1
        digest = entry_hash(prev_hash, {**content, "seq": seq, "at": content["at"].isoformat()})
        rows.append({**content, "seq": seq, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    conn.execute(_INSERT_ENTRIES, rows)
    conn.execute(_ADVANCE_HEAD, {"seq": seq, "hash": prev_hash})
    return seq


def append(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    authority: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
) -> int:
    """Append one entry now (outside a unit of work); returns its sequence number."""
    return append_entries(conn, [entry_content(
        at=at, actor=actor, authority=authority, action=action, entity_type=entity_type,
        entity_id=entity_id, before=before, after=after)])


@dataclass
class VerifyResult:
    ok: bool
    #: the entries checked by this verification (all of them for a walk from the first entry)
    entries: int
    problem: str | None = None
    seq: int | None = None
    #: the chain is verified from entry 1 up to this entry (its last one when ``ok``)
    up_to: int = 0
    #: the hash of entry ``up_to`` (the genesis hash for an empty chain)
    up_to_hash: str = GENESIS
    #: the entry this verification started from (1: the whole chain was walked)
    start: int = 1
    #: when the chain was verified up to ``up_to``, and when it was last walked from its first entry
    verified_at: datetime | None = None
    full_at: datetime | None = None


def verify(conn: Connection, *, start: int = 1, prev_hash: str = GENESIS) -> VerifyResult:
    """Walk the chain; report the first entry that was altered, removed or inserted.

    From its first entry, or (``start``, ``prev_hash``: the entry after one already verified and
    that entry's hash) from a later one, trusting the entries before it."""
    expected_seq, count = start, 0
    for row in conn.execute(select(audit_log).where(audit_log.c.seq >= start).order_by(audit_log.c.seq)).mappings():
        if row["seq"] != expected_seq:
            return VerifyResult(False, count, f"entry {expected_seq} is missing", expected_seq, start=start)
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, count, f"entry {row['seq']} does not follow entry "
                                f"{row['seq'] - 1}", row["seq"], start=start)
        entry = dict(row)
        entry["at"] = as_utc(row["at"]).isoformat()
        if entry_hash(prev_hash, entry) != row["hash"]:
            return VerifyResult(False, count, f"entry {row['seq']} was altered", row["seq"], start=start)
        prev_hash, expected_seq, count = row["hash"], expected_seq + 1, count + 1
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash)).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return VerifyResult(False, count, f"entries after {expected_seq - 1} were removed",
                            expected_seq, start=start)
    return VerifyResult(True, count, up_to=expected_seq - 1, up_to_hash=prev_hash, start=start)


_MARK = select(audit_verification).where(audit_verification.c.id == 1)


def _record(services: Any, result: VerifyResult) -> VerifyResult:
    """Remember how far the chain is verified (never moving the mark back, should a verification
    that started earlier end later); the result with the times said."""
    now = as_utc(services.clock.now())
    result.verified_at = now
    full = result.start == 1
    values = {"seq": result.up_to, "hash": result.up_to_hash, "verified_at": now}
    dialect = services.engine.dialect.name
    first = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(audit_verification)
    with services.engine.begin() as conn:
        conn.execute(first.values(id=1, seq=0, hash=GENESIS, verified_at=now).on_conflict_do_nothing())
        conn.execute(update(audit_verification).where(
            audit_verification.c.id == 1, audit_verification.c.seq <= result.up_to).values(**values))
        if full:  # a later mark stays (written meanwhile); the full walk is still said
            conn.execute(update(audit_verification).where(audit_verification.c.id == 1).values(full_at=now))
        else:
            full_at = conn.execute(select(audit_verification.c.full_at).where(audit_verification.c.id == 1)).scalar()
            result.full_at = as_utc(full_at) if full_at is not None else None
    if full:
        result.full_at = now
    return result


def verify_store(services: Any) -> VerifyResult:
    """Walk the whole chain from its first entry (``pactum audit verify``, the audit page's "verify
    the whole chain"); when it is intact, remember how far it was verified, else forget it (the
    audit page then walks the whole chain on each load, and says where it is broken)."""
    with services.engine.connect() as conn:
        result = verify(conn)
    if result.ok:
        return _record(services, result)
    # broken before the mark, perhaps: the audit page walks the whole chain again, and says so,
    # until it is intact
    with services.engine.begin() as conn:
        conn.execute(update(audit_verification).where(audit_verification.c.id == 1)
                     .values(seq=0, hash=GENESIS))
    return result


def verify_chain(services: Any, principal: Any) -> VerifyResult:
    """An auditor's or administrator's request to walk the whole chain again (``verify_store``)."""
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    return verify_store(services)


def verify_incrementally(services: Any, principal: Any) -> VerifyResult:
    """Verify the entries written since the chain was last verified (the audit page on each
    load): from the entry after the remembered one, that entry's hash checked first. Without a
    mark, or when the remembered entry is no longer as it was, the whole chain is walked, which
    finds the first broken link. Entries before the mark were verified then and are trusted:
    ``verify_store`` walks them again, and the result says when that was last done (``full_at``).
    For auditors and administrators."""
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    with services.engine.connect() as conn:
        mark = conn.execute(_MARK).first()
        stored = (conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == mark.seq)).scalar()
                  if mark is not None and mark.seq > 0 else None)
        if mark is None or stored is None or stored != mark.hash:
            result = verify(conn)
        else:
            result = verify(conn, start=mark.seq + 1, prev_hash=mark.hash)
    if not result.ok:
        return result
    return _record(services, result)


#: What the entity filter also searches when it is given a person id: the kinds of records that
#: hold a person's data, each as the page names it (entries are keyed on these ids, not the person's)
PERSON_RECORD_KINDS = ("identity record", "Eurodac record", "screening", "identity link", "asylum case",
                       "Dublin case", "return decision", "return alert", "entry-ban alert")


def person_entity_ids(conn: Connection, person_id: str, *, member_state: str | None = None) -> list[tuple[str, str]]:
    """The records of a person whose audit entries are theirs, as (kind, id), in one query: every
    identity record, its Eurodac records and identity links, screening, asylum case, Dublin case,
    return decision, return alert and entry-ban alert of the person. Empty for an id that is no
    person's (or, with ``member_state``, no person of that state's)."""
    from sqlalchemy import literal, union_all

    from pactum.store.tables.identity import identity_links
    from pactum.store.tables.procedures import asylum_applications
    from pactum.store.tables.registry import eurodac_records, identity_records, persons, screenings
    from pactum.store.tables.responsibility import dublin_cases
    from pactum.store.tables.returns import entry_ban_alerts, return_alerts, return_decisions

    owner = select(persons.c.id).where(persons.c.id == person_id)
    if member_state is not None:
        owner = owner.where(persons.c.member_state == member_state)
    if conn.execute(owner).first() is None:
        return []
    records = select(identity_records.c.id).where(identity_records.c.person_id == person_id)

    def kind(name: str, column: Any, *where: Any) -> Any:
        return select(literal(name).label("kind"), column.label("id")).where(*where)

    q = union_all(
        kind("identity record", identity_records.c.id, identity_records.c.person_id == person_id),
        kind("Eurodac record", eurodac_records.c.id, eurodac_records.c.identity_record_id.in_(records)),
        kind("screening", screenings.c.id, screenings.c.person_id == person_id),
        kind("identity link", identity_links.c.id, or_(identity_links.c.record_id.in_(records),
                                                       identity_links.c.linked_record_id.in_(records))),
        kind("asylum case", asylum_applications.c.id, asylum_applications.c.person_id == person_id),
        kind("Dublin case", dublin_cases.c.id, dublin_cases.c.person_id == person_id),
        kind("return decision", return_decisions.c.id, return_decisions.c.person_id == person_id),
        kind("return alert", return_alerts.c.id, return_alerts.c.person_id == person_id),
        kind("entry-ban alert", entry_ban_alerts.c.id, entry_ban_alerts.c.person_id == person_id),
    )
    order = {k: i for i, k in enumerate(PERSON_RECORD_KINDS)}
    return sorted(((r.kind, r.id) for r in conn.execute(q)), key=lambda r: (order[r[0]], r[1]))


def reader_state(principal: Any) -> str | None:
    """The state whose persons a reader's person search reaches: their own (None: every state's)."""
    return None if principal.authority == "EU-LISA" else principal.authority


#: The records of a name the audit's person filter searches at most (``persons_named``): more, and
#: the reader is asked to narrow the name rather than shown the entries of some of them.
NAMED_RECORDS_MAX = 500


def persons_named(services: Any, principal: Any, name: str, *, channel: str = "web") -> list[dict[str, Any]]:
    """The persons within the reader's reach (:func:`reader_state`) with a record whose names hold
    every word of ``name``, found by the registry's own name search (``search_persons_page``,
    whose read log keeps the search and the persons it showed): each person's id, state and the
    names and date of birth of their first record in name order, so the auditor sees whom the
    name matched. More than :data:`NAMED_RECORDS_MAX` records: refused, the name to be narrowed
    (a ``person_name`` problem), not a silent part of them."""
    from pactum.services import registry
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    try:
        page = registry.search_persons_page(services, principal, name=name, limit=NAMED_RECORDS_MAX,
                                            channel=channel, for_audit=True)
    except ValidationProblem as exc:
        raise ValidationProblem([("person_name", message) for _, message in exc.problems]) from None
    if page["total"] > len(page["rows"]):
        raise ValidationProblem.one("person_name", f"{page['total']:,} records of {page['persons']:,} persons hold "
                                    f"these names: narrow the name (at most {NAMED_RECORDS_MAX})")
    found: dict[str, dict[str, Any]] = {}
    for r in page["rows"]:
        found.setdefault(r["person_id"], {
            "person_id": r["person_id"], "member_state": r["member_state"],
            "surname": r["surname_latin"] or r["surname"], "given_names": r["given_names_latin"] or r["given_names"],
            "date_of_birth": r["date_of_birth"]})
    return list(found.values())


def searched_entities(services: Any, principal: Any, entity_id: str) -> list[tuple[str, str]]:
    """What the entity filter searched besides ``entity_id`` itself: a person's records (see
    :func:`person_entity_ids`; a state's auditor or administrator reaches only its own persons),
    else nothing."""
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    with services.engine.connect() as conn:
        return person_entity_ids(conn, entity_id, member_state=reader_state(principal))


def recent_entries(services: Any, principal: Any, *, entity_id: str | None = None, actor: str | None = None,
                   action: str | None = None, since: date | None = None, until: date | None = None,
                   before_seq: int | None = None, limit: int = 100,
                   person_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Audit entries, newest first, for auditors and administrators; a state's see their own
    authority's, and the platform administrator's changes to their authority's users. Narrowed by
    the entity (a person's id: the person's entries and those of every record of theirs,
    ``person_entity_ids``), the persons ``person_ids`` (those a name matched,
    :func:`persons_named`: the entries of each and of every record of theirs; none when empty),
    the actor (a username), the action (``arrival.registered``,
    or an area's actions with a final dot: ``returns.``), the days ``since`` and ``until`` (UTC,
    both included; ``until`` 9999-12-31, the calendar's last day, bounds nothing) and, to page back, the entries before sequence number ``before_seq``."""
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    if since is not None and until is not None and since > until:
        raise ValidationProblem.one("until", f"{until.isoformat()} is before the first day asked ({since.isoformat()})")
    if before_seq is not None and not 0 < before_seq <= STORE_INTEGER_MAX:
        raise ValidationProblem.one("before_seq", f"a sequence number between 1 and {STORE_INTEGER_MAX}")
    q = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
    if principal.authority != "EU-LISA":
        # a state's own officers' entries, and what the platform administrator did to its users
        from pactum.store.tables.platform import users

        q = q.where(or_(audit_log.c.authority == principal.authority,
                        and_(audit_log.c.entity_type == "user", audit_log.c.entity_id.in_(
                            select(users.c.id).where(users.c.authority == principal.authority)))))
    if actor:
        q = q.where(audit_log.c.actor == actor)
    if action:
        q = q.where(audit_log.c.action.startswith(action, autoescape=True) if action.endswith(".")
                    else audit_log.c.action == action)
    if since is not None:
        q = q.where(audit_log.c.at >= datetime.combine(since, time.min, UTC))
    if until is not None and until < date.max:  # the calendar's last day: no bound at all
        q = q.where(audit_log.c.at < datetime.combine(until + timedelta(days=1), time.min, UTC))
    if before_seq is not None:
        q = q.where(audit_log.c.seq < before_seq)
    if person_ids is not None and not person_ids:
        return []  # a name that matched nobody
    with services.engine.connect() as conn:
        if entity_id:
            # a person's id: the entries of every record of theirs too (they are keyed on those ids)
            ids = [entity_id, *(i for _, i in person_entity_ids(conn, entity_id,
                                                                 member_state=reader_state(principal)))]
            q = q.where(audit_log.c.entity_id.in_(ids) if len(ids) > 1 else audit_log.c.entity_id == entity_id)
        if person_ids:
            named = {i for person in person_ids for i in (person, *(record for _, record in person_entity_ids(
                conn, person, member_state=reader_state(principal))))}
            q = q.where(audit_log.c.entity_id.in_(sorted(named)))
        return with_entity_names(conn, [_entry(r) for r in conn.execute(q)])


def _entry(row: Any) -> dict[str, Any]:
    """An entry as read: its time in UTC with the offset said (SQLite hands it back naive)."""
    entry = dict(row._mapping)
    entry["at"] = as_utc(entry["at"])
    return entry


def with_entity_names(conn: Connection, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry with ``entity_name``: the readable name of its entity where the platform keeps
    one (a user's username), else None. The name is the entity's name now, read for the reader;
    it is not part of the hashed entry."""
    user_ids = {e["entity_id"] for e in entries if e["entity_type"] == "user"}
    names: dict[str, str] = {}
    if user_ids:
        from pactum.store.tables.platform import users

        ids = sorted(user_ids)
        for start in range(0, len(ids), 500):
            rows = conn.execute(select(users.c.id, users.c.username).where(users.c.id.in_(ids[start:start + 500])))
            names.update((r.id, r.username) for r in rows)
    for e in entries:
        e["entity_name"] = names.get(e["entity_id"]) if e["entity_type"] == "user" else None
    return entries


#: the columns of an audit export, in order
CSV_COLUMNS = ("seq", "at", "actor", "authority", "action", "entity_type", "entity_id", "entity_name",
               "before", "after", "prev_hash", "hash")


def csv_lines(entries: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Audit entries as CSV lines, the header first (``CSV_COLUMNS``): times in UTC with their
    offset, ``before`` and ``after`` as JSON. A cell a spreadsheet would read as a formula (``=``,
    ``+``, ``-``, ``@``) is prefixed with an apostrophe."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def line(cells: Iterable[str]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(cells)
        return out.getvalue()

    yield line(CSV_COLUMNS)
    for e in entries:
        c = canonical(e)
        row = []
        for col in CSV_COLUMNS:
            v = c.get(col)
            if col in ("before", "after"):
                cell = "" if v is None else json.dumps(v, sort_keys=True, ensure_ascii=False)
            else:
                cell = "" if v is None else str(v)
            row.append(spreadsheet_safe(cell))
        yield line(row)


def entries_csv(entries: Iterable[dict[str, Any]]) -> str:
    return "".join(csv_lines(entries))


def all_entries(services: Any, principal: Any, *, page: int = 1000, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every entry ``recent_entries`` selects with these filters (no limit), newest first, read a
    page at a time. The first page is read at once, so that a refused reader or filter is refused
    before anything is written out."""
    entries = recent_entries(services, principal, limit=page, **filters)

    def rest(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        while True:
            yield from entries
            if len(entries) < page:
                return
            entries = recent_entries(services, principal, limit=page,
                                     **{**filters, "before_seq": entries[-1]["seq"]})

    return rest(entries)


def entity_history(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    """Every audited change of one entity, oldest first (a case's timeline, an item's history)."""
    q = select(audit_log).where(audit_log.c.entity_id == entity_id).order_by(audit_log.c.seq)
    return [_entry(r) for r in conn.execute(q)]

