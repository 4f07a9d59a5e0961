"""The append-only, hash-chained audit log.

Each entry's hash covers its content and the previous entry's hash, so altering or removing any
entry breaks the chain from that point: ``verify`` finds the first broken link. Writers lock the
single ``audit_head`` row, which keeps the chain linear under concurrent transactions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from pactum.common.clock import as_utc
from pactum.store.tables.platform import audit_head, audit_log

GENESIS = "0" * 64
_ADVANCE_HEAD = (
    update(audit_head).where(audit_head.c.id == 1)
    .values(seq=bindparam("seq"), hash=bindparam("hash"))
)


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
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).first()
    if head is None:
        conn.execute(insert(audit_head).values(id=1, seq=0, hash=GENESIS))
        prev_seq, prev_hash = 0, GENESIS
    else:
        prev_seq, prev_hash = head.seq, head.hash
    at = as_utc(at)
    entry = {
        "seq": prev_seq + 1,
        "at": at.isoformat(),
        "actor": actor,
        "authority": authority,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": canonical(before),
        "after": canonical(after),
    }
    digest = entry_hash(prev_hash, entry)
    conn.execute(
        insert(audit_log),
        dict(seq=entry["seq"], at=at, actor=actor, authority=authority, action=action,
             entity_type=entity_type, entity_id=entity_id, before=entry["before"],
             after=entry["after"], prev_hash=prev_hash, hash=digest),
    )
    conn.execute(_ADVANCE_HEAD, {"seq": entry["seq"], "hash": digest})
    return int(entry["seq"])


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    problem: str | None = None
    seq: int | None = None


def verify(conn: Connection) -> VerifyResult:
    """Walk the chain; report the first entry that was altered, removed or inserted."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for row in conn.execute(select(audit_log).order_by(audit_log.c.seq)).mappings():
        if row["seq"] != expected_seq:
            return VerifyResult(False, count, f"entry {expected_seq} is missing", expected_seq)
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, count, f"entry {row['seq']} does not follow entry "
                                f"{row['seq'] - 1}", row["seq"])
        entry = dict(row)
        entry["at"] = as_utc(row["at"]).isoformat()
        if entry_hash(prev_hash, entry) != row["hash"]:
            return VerifyResult(False, count, f"entry {row['seq']} was altered", row["seq"])
        prev_hash, expected_seq, count = row["hash"], expected_seq + 1, count + 1
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash)).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return VerifyResult(False, count, f"entries after {expected_seq - 1} were removed",
                            expected_seq)
    return VerifyResult(True, count)


def recent_entries(services: Any, principal: Any, *, entity_id: str | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
    """Audit entries for auditors and administrators; a state's see their own authority's."""
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    q = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
    if principal.authority != "EU-LISA":
        q = q.where(audit_log.c.authority == principal.authority)
    if entity_id:
        q = q.where(audit_log.c.entity_id == entity_id)
    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def entity_history(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    """Every audited change of one entity, oldest first (a case's timeline, an item's history)."""
    q = select(audit_log).where(audit_log.c.entity_id == entity_id).order_by(audit_log.c.seq)
    return [dict(r._mapping) for r in conn.execute(q)]


def verify_store(services: Any) -> VerifyResult:
    with services.engine.connect() as conn:
        return verify(conn)
