"""Follow-up of commitments: loading the annex, editing its items with history and audit,
rebuilding it for any date, live indicators, the state-of-play report (HTML and PDF),
import and export.

Reading is open to every logged-in user (the annex is a public document, no personal data).
Editing, importing and loading need the ``admin`` role, or ``analyst`` at the Commission
(authority ``COM``). Every change is one unit of work: the item, its new version and the audit
entry are written together or not at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Connection, func, insert, select, update

from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.states import member_state
from pactum.common.text import shortened
from pactum.followup import annex_data, codec
from pactum.followup import funding as funding_totals
from pactum.followup.items import (
    KIND_LABELS,
    KINDS,
    PARENT_KIND,
    Change,
    Item,
    assemble,
    item_key,
    item_label,
    items,
    locate,
    validate_item,
)
from pactum.followup.items import diff as annex_diff
from pactum.followup.model import ActionPlan, Annex, Commitment, Partner, PlanStatus, Status
from pactum.followup.report import (
    InformationAge,
    LiveValue,
    StateOfPlay,
    build,
    eur,
    format_value,
    information_age,
    live_key,
    update_banner,
)
from pactum.services import indicators as indicator_registry
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.services.jobs import job
from pactum.store.tables.followup import followup_item_versions, followup_items

EDITOR_AUTHORITY = "COM"


# -- rights --------------------------------------------------------------------------------------


def can_edit(principal: Principal) -> bool:
    """A platform administrator of an EU body, or a Commission analyst (the follow-up editor).

    A Member State's administrator manages that state's records, not the EU's follow-up.
    """
    return (principal.has(Role.admin) and principal.is_eu_body) or (
        principal.has(Role.analyst) and principal.authority == EDITOR_AUTHORITY
    )


def require_editor(principal: Principal) -> None:
    if not can_edit(principal):
        raise Forbidden(
            "editing the follow-up needs the admin role at an EU body, or the analyst role at the "
            "Commission (COM)"
        )


# -- rebuilding the annex for a date --------------------------------------------------------------


def _effective(conn: Connection, on: date) -> list[Any]:
    """For each item, the version that describes it on ``on`` (the latest ``valid_from`` on or
    before it, then the latest recorded), a ``deleted`` one included."""
    rows = conn.execute(
        select(followup_item_versions)
        .where(followup_item_versions.c.valid_from <= on)
        .order_by(followup_item_versions.c.valid_from, followup_item_versions.c.version)
    ).mappings()
    latest: dict[str, Any] = {}
    for row in rows:
        latest[row["item_id"]] = row  # later valid_from (then later version) wins
    return list(latest.values())


def _versions_until(conn: Connection, on: date) -> list[Item]:
    return [
        Item(row["kind"], row["key"], row["parent"], row["position"], row["data"])
        for row in _effective(conn, on)
        if row["change"] != "deleted"
    ]


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def item_dates_on(conn: Connection, on: date) -> dict[tuple[str, str], date]:
    """Per item (``(kind, key)``), the date from which the version describing it on ``on`` does:
    the date of its last recorded change, how old its information is on that day (a removed
    item's removal date included)."""
    return {(row["kind"], row["key"]): _as_date(row["valid_from"]) for row in _effective(conn, on)}


def item_dates(services: Services, as_of: date | None = None) -> dict[str, date]:
    """:func:`item_dates_on` for the pages, keyed ``kind:key``."""
    on = as_of or today(services)
    _not_after_today(on, today(services))
    with services.engine.connect() as conn:
        return {f"{kind}:{key}": d for (kind, key), d in item_dates_on(conn, on).items()}


def annex_on(conn: Connection, on: date, *, check_references: bool = True) -> Annex | None:
    """The annex as it stood on ``on``; ``None`` when nothing was recorded for that date."""
    parts = _versions_until(conn, on)
    if not parts:
        return None
    try:
        return assemble(parts, check_references=check_references)
    except (ValueError, ValidationError) as exc:
        raise Conflict(f"the follow-up data for {on} is inconsistent: {exc}") from None


def first_recorded(conn: Connection) -> date | None:
    """The earliest date the follow-up describes (the first annex's date), ``None`` before any load."""
    first = conn.execute(select(func.min(followup_item_versions.c.valid_from))).scalar()
    return date.fromisoformat(first) if isinstance(first, str) else first


def _require_annex(conn: Connection, on: date) -> Annex:
    annex = annex_on(conn, on)
    if annex is None:
        first = first_recorded(conn)
        if first is not None and on < first:
            raise NotFound(f"there was no annex on {on.isoformat()}: the follow-up starts with the annex "
                           f"of {first.isoformat()}")
        raise NotFound(
            f"no follow-up data on {on.isoformat()}: load the annex first (pactum followup load)"
        )
    return annex


def today(services: Services) -> date:
    return services.clock.now().date()


def _not_after_today(on: date, now: date, field: str = "as_of") -> None:
    """No state of play is dated after today (docs/followup.md): a read, report or export for a
    later date is refused naming ``field`` rather than shown with today's figures."""
    if on > now:
        raise ValidationProblem.one(field, f"no state of play is dated after today: {on.isoformat()} is "
                                           f"after {now.isoformat()}")


#: The check as the screens use it, beside their other filters.
not_after_today = _not_after_today


def first_date(services: Services) -> date | None:
    """The date of the first annex recorded (``None`` before anything is loaded)."""
    with services.engine.connect() as conn:
        return first_recorded(conn)


def current(services: Services, as_of: date | None = None) -> Annex:
    now = today(services)
    on = as_of or now
    _not_after_today(on, now)
    with services.engine.connect() as conn:
        return _require_annex(conn, on)


# -- writing ---------------------------------------------------------------------------------------


class ImportResult(BaseModel):
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    valid_from: date


@dataclass
class _Row:
    id: str
    kind: str
    key: str
    parent: str | None
    position: int
    data: dict[str, Any]
    valid_from: date
    deleted: bool
    version: int


def _rows(conn: Connection) -> dict[tuple[str, str], _Row]:
    out: dict[tuple[str, str], _Row] = {}
    for r in conn.execute(select(followup_items)).mappings():
        out[(r["kind"], r["key"])] = _Row(
            r["id"], r["kind"], r["key"], r["parent"], r["position"], r["data"], r["valid_from"],
            r["deleted"], r["version"],
        )
    return out


def _same_data(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(_same(a.get(k), b.get(k)) for k in set(a) | set(b))


def _changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> set[str]:
    """The fields of ``after`` that differ from ``before`` (all of them when there is none)."""
    if before is None:
        return set(after)
    return {k for k in set(before) | set(after) if not _same(before.get(k), after.get(k))}


def _later_versions(conn: Connection, item_id: str, after: date) -> list[Any]:
    """The versions of an item that describe it after ``after``, one per date (the latest recorded
    for a date is the one in force from it), in date order."""
    rows = conn.execute(
        select(followup_item_versions)
        .where(followup_item_versions.c.item_id == item_id, followup_item_versions.c.valid_from > after)
        .order_by(followup_item_versions.c.valid_from, followup_item_versions.c.version)
    ).mappings().all()
    per_date: dict[date, Any] = {}
    for r in rows:
        per_date[_as_date(r["valid_from"])] = r
    return list(per_date.values())


def _record(
    uow: Any,
    principal: Principal,
    row: _Row | None,
    item: Item | None,
    *,
    kind: str,
    key: str,
    valid_from: date,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Write one version of one item (created, updated or deleted) with its audit entry.

    A change dated ``valid_from`` describes the item from that date on (docs/followup.md), also
    where later-dated versions exist: it is carried forward into each of them, a new version on
    that later date (its reason says so). A later version keeps what it changed itself; where it
    set one of the same fields to another value, the change cannot be carried past it and is
    refused (``Conflict`` naming that version). A removal removes the item from its date on: a
    later version that still shows it gets a removal on its own date. A later removal stops a
    correction (the item is gone from then)."""
    conn: Connection = uow.conn
    label = f"{KIND_LABELS[kind].lower()} {key}"
    change = "created" if row is None or row.deleted else "updated"
    if item is None:
        change = "deleted"
    written: list[dict[str, Any]] = []  # the versions this change writes, in order

    def version_row(change_: str, data: dict[str, Any] | None, parent: str | None, position: int,
                    on: date, why: str | None) -> dict[str, Any]:
        return {"change": change_, "data": data, "parent": parent, "position": position,
                "valid_from": on, "reason": why}

    if row is None:
        assert item is not None
        item_id = new_id("fui")
        conn.execute(insert(followup_items).values(
            id=item_id, kind=kind, key=key, parent=item.parent, position=item.position,
            data=item.data, valid_from=valid_from, deleted=False, created_at=uow.now,
            updated_at=uow.now, version=1,
        ))
        expected = 0
        written.append(version_row(change, item.data, item.parent, item.position, valid_from, reason))
        later: list[Any] = []
    else:
        item_id = row.id
        expected = row.version if expected_version is None else expected_version
        if expected != row.version:
            raise Conflict(
                f"{label} was changed by someone else (you edited version {expected}); reload and "
                "apply your change again"
            )
        before = conn.execute(
            select(followup_item_versions)
            .where(followup_item_versions.c.item_id == item_id,
                   followup_item_versions.c.valid_from <= valid_from)
            .order_by(followup_item_versions.c.valid_from.desc(), followup_item_versions.c.version.desc())
            .limit(1)
        ).mappings().first()
        before_data = before["data"] if before is not None and before["change"] != "deleted" else None
        written.append(version_row(
            change, item.data if item else None, item.parent if item else row.parent,
            item.position if item else row.position, valid_from, reason))
        later = _later_versions(conn, item_id, valid_from)
        carried = (f"carried forward from the change dated {valid_from.isoformat()}"
                   + (f": {reason}" if reason else ""))
        if item is None:
            for v in later:
                if v["change"] != "deleted":
                    written.append(version_row("deleted", None, v["parent"], v["position"],
                                               _as_date(v["valid_from"]), carried))
        elif later:
            fields = _changed_fields(before_data, item.data)
            orig_prev, new_prev = before_data, item.data
            for v in later:
                if v["change"] == "deleted" or v["data"] is None or orig_prev is None:
                    break  # removed from then, or restated whole: the later version stands
                own = _changed_fields(orig_prev, v["data"])
                clash = sorted(f for f in own & fields if not _same(v["data"].get(f), new_prev.get(f)))
                if clash:
                    on = _as_date(v["valid_from"])
                    values_then = ", ".join(f"{f} {shortened(str(v['data'].get(f)))}" for f in clash)
                    raise Conflict(
                        f"{label}: version {v['version']}, which describes it from {on.isoformat()}, "
                        f"sets {values_then} itself; a change dated {valid_from.isoformat()} cannot be "
                        f"carried past it: edit the item from {on.isoformat()} too, or date the "
                        f"change from {on.isoformat()}"
                    )
                rebased = {**new_prev, **{f: v["data"].get(f) for f in own}}
                if not _same_data(rebased, v["data"]):
                    written.append(version_row("updated", rebased, v["parent"], v["position"],
                                               _as_date(v["valid_from"]), carried))
                orig_prev, new_prev = v["data"], rebased
    # what describes the item now: the latest date's latest version (written last on a date)
    final: dict[str, Any] | None = None
    for w in written:
        if final is None or w["valid_from"] >= final["valid_from"]:
            final = w
    for v in later:
        on = _as_date(v["valid_from"])
        if final is None or on > final["valid_from"]:
            final = {"change": v["change"], "data": v["data"], "parent": v["parent"],
                     "position": v["position"], "valid_from": on}
    assert final is not None
    version = expected + len(written)
    if row is not None:
        values: dict[str, Any] = {"updated_at": uow.now, "valid_from": final["valid_from"],
                                  "deleted": final["change"] == "deleted" or final["data"] is None}
        if final["data"] is not None:
            values.update(data=final["data"], parent=final["parent"], position=final["position"])
        result = conn.execute(
            update(followup_items)
            .where(followup_items.c.id == item_id, followup_items.c.version == expected)
            .values(**values, version=version)
        )
        if result.rowcount != 1:
            raise Conflict(
                f"{label} was changed by someone else (you edited version {expected}); reload and "
                "apply your change again"
            )
    for n, w in enumerate(written, start=expected + 1):
        conn.execute(insert(followup_item_versions).values(
            id=new_id("fuv"), item_id=item_id, kind=kind, key=key, version=n, change=w["change"],
            parent=w["parent"], position=w["position"], data=w["data"], valid_from=w["valid_from"],
            recorded_at=uow.now, actor=principal.username, authority=principal.authority,
            reason=w["reason"],
        ))
    uow.audit(
        principal, f"followup.{change}", "followup_item", f"{kind}:{key}",
        before=row.data if row is not None and not row.deleted else None,
        after={"data": item.data if item else None, "valid_from": valid_from, "version": version,
               "reason": reason,
               "carried_forward_to": [w["valid_from"].isoformat() for w in written[1:]]},
    )


def _dates_from(conn: Connection, on: date, now: date) -> set[date]:
    """``on``, today and every later date a version describes the state from: the dates a change
    dated ``on`` can make inconsistent."""
    later = conn.execute(
        select(followup_item_versions.c.valid_from).distinct()
        .where(followup_item_versions.c.valid_from > on)
    ).scalars()
    return {on, now, *(_as_date(d) for d in later)}


def _check_dates(valid_from: date, now: date, *, field: str = "valid_from", conn: Connection | None = None,
                 annex: Annex | None = None) -> None:
    """A state of play is dated on or before today, and not before the annex it describes: with
    ``annex`` (a file imported) not before that annex's own date (its edition's ``as_of``), with
    ``conn`` (an edit) not before the first annex recorded. ``field``: the name the caller gave the
    date (``as_of`` on the API and CLI import, ``valid_from`` on an edit and the web form)."""
    if valid_from > now:
        raise ValidationProblem.one(field, f"the state of play cannot be dated in the future "
                                           f"({valid_from.isoformat()} is after today, {now.isoformat()})")
    if annex is not None and valid_from < annex.edition.as_of:
        raise ValidationProblem.one(field, f"{valid_from.isoformat()} is before the annex's own date "
                                           f"{annex.edition.as_of.isoformat()} (edition as_of): there was "
                                           "no such annex then")
    first = first_recorded(conn) if conn is not None else None
    if first is not None and valid_from < first:
        raise ValidationProblem.one(field, f"{valid_from.isoformat()} is before the first annex recorded, "
                                           f"of {first.isoformat()}: there was no annex then")


def _apply(
    services: Services, principal: Principal, annex: Annex, valid_from: date, reason: str | None,
    *, remove_missing: bool, expected: str | None = None, fmt: str = "", date_field: str = "as_of",
) -> ImportResult:
    with services.uow() as uow:
        _check_dates(valid_from, uow.now.date(), field=date_field, annex=annex)
        if expected is not None and _plan(uow.conn, annex, valid_from, fmt).digest != expected:
            raise Conflict(
                "the follow-up changed since the preview: the import would now do something else; "
                "look at the new preview and confirm again"
            )
        result = _write(uow, principal, annex, valid_from, reason, remove_missing=remove_missing)
        uow.commit()
    return result


def _write(
    uow: Any, principal: Principal, annex: Annex, valid_from: date, reason: str | None,
    *, remove_missing: bool,
) -> ImportResult:
    """Record ``annex`` as the state of play from ``valid_from`` in the unit of work (uncommitted)."""
    result = ImportResult(valid_from=valid_from)
    _check_dates(valid_from, uow.now.date())
    existing = _rows(uow.conn)
    before = annex_on(uow.conn, valid_from)
    before_items = {(b.kind, b.key): b for b in items(before)} if before is not None else {}
    seen: set[tuple[str, str]] = set()
    for it in items(annex):
        seen.add((it.kind, it.key))
        row = existing.get((it.kind, it.key))
        prev = before_items.get((it.kind, it.key))
        if prev is not None and prev.data == it.data and prev.parent == it.parent \
                and prev.position == it.position:
            result.unchanged += 1
            continue
        _record(uow, principal, row, it, kind=it.kind, key=it.key, valid_from=valid_from,
                reason=reason)
        if row is None or row.deleted or prev is None:
            result.created += 1
        else:
            result.updated += 1
    if remove_missing:
        for it in before_items.values():
            if (it.kind, it.key) not in seen:
                _record(uow, principal, existing[(it.kind, it.key)], None, kind=it.kind,
                        key=it.key, valid_from=valid_from, reason=reason)
                result.deleted += 1
    # The stored state must still make one consistent annex, on that date, today and every date
    # a later version describes (a change is carried forward into them).
    for on in sorted(_dates_from(uow.conn, valid_from, uow.now.date())):
        _require_annex(uow.conn, on)
    return result


class ImportPlan(BaseModel):
    """What importing a file would do from ``valid_from``, computed without writing: the items it
    creates, changes (with the fields that change) and removes, and how many it leaves as they are.

    ``digest`` fingerprints the plan: ``import_text(..., expected=plan.digest)`` refuses (409)
    when the import would now do something else, e.g. after someone edited an item meanwhile."""

    format: str
    valid_from: date
    created: list[Change] = []
    changed: list[Change] = []
    removed: list[Change] = []
    unchanged: int = 0
    digest: str = ""

    @property
    def changes_nothing(self) -> bool:
        return not (self.created or self.changed or self.removed)


def _plan(conn: Connection, annex: Annex, valid_from: date, fmt: str) -> ImportPlan:
    """What ``_write(..., remove_missing=True)`` does with ``annex``, item by item (the same test
    of what is unchanged: its fields, parent and place)."""
    before = annex_on(conn, valid_from)
    before_items = {(b.kind, b.key): b for b in items(before)} if before is not None else {}
    plan = ImportPlan(format=fmt, valid_from=valid_from)
    seen: set[tuple[str, str]] = set()
    for it in items(annex):
        seen.add((it.kind, it.key))
        prev = before_items.get((it.kind, it.key))
        if prev is None:
            plan.created.append(Change(kind=it.kind, key=it.key, label=item_label(it), change="added"))
            continue
        fields = sorted(k for k in set(prev.data) | set(it.data) if prev.data.get(k) != it.data.get(k))
        if prev.parent != it.parent:
            fields.append("parent")
        if prev.position != it.position:
            fields.append("order")
        if fields:
            plan.changed.append(Change(kind=it.kind, key=it.key, label=item_label(it), change="changed",
                                       fields=fields))
        else:
            plan.unchanged += 1
    plan.removed = [Change(kind=it.kind, key=it.key, label=item_label(it), change="removed")
                    for ident, it in before_items.items() if ident not in seen]
    plan.digest = hashlib.sha256(plan.model_dump_json(exclude={"digest"}).encode()).hexdigest()
    return plan


def import_plan(
    services: Services, principal: Principal, text: str, fmt: str, as_of: date | None = None,
    *, date_field: str = "as_of",
) -> ImportPlan:
    """What :func:`import_text` would do with this file from ``as_of`` (default today), without
    writing anything. The import is tried in a transaction that is rolled back, so a plan is
    refused as the import would be: a malformed file (``ValidationProblem`` naming line and
    field), a date in the future or before the file's annex (naming ``date_field``), a result
    inconsistent with later-dated edits (``Conflict``)."""
    require_editor(principal)
    annex = codec.load(text, fmt, today(services))
    with services.uow() as uow:  # never committed
        valid_from = as_of or uow.now.date()
        _check_dates(valid_from, uow.now.date(), field=date_field, annex=annex)
        plan = _plan(uow.conn, annex, valid_from, fmt)
        _write(uow, principal, annex, valid_from, None, remove_missing=True)
    return plan


def load(services: Services, principal: Principal, annex: Annex | None = None) -> ImportResult:
    """Load the shipped annex (or ``annex``) as the state of play on its own edition date."""
    require_editor(principal)
    annex = annex or annex_data.shipped()
    return _apply(services, principal, annex, annex.edition.as_of,
                  f"loaded the annex as of {annex.edition.as_of.isoformat()}",
                  remove_missing=False)


def import_text(
    services: Services, principal: Principal, text: str, fmt: str, as_of: date | None = None,
    *, expected: str | None = None, date_field: str = "as_of",
) -> ImportResult:
    """Import a whole annex (YAML or CSV) as the state of play from ``as_of`` (default today), which
    is neither after today nor before the file's annex's own date (refused naming ``date_field``).

    Items the file does not contain are removed from that date. A malformed file changes nothing.
    With ``expected`` (the ``digest`` of the :class:`ImportPlan` the editor confirmed), the import
    is refused (``Conflict``) when it would now do something other than that plan.
    """
    require_editor(principal)
    annex = codec.load(text, fmt, today(services))
    return _apply(services, principal, annex, as_of or today(services),
                  f"imported ({fmt})", remove_missing=True, expected=expected, fmt=fmt,
                  date_field=date_field)


def export_text(services: Services, fmt: str, as_of: date | None = None) -> str:
    return codec.dump(current(services, as_of), fmt)


class ItemEdit(BaseModel):
    """Changed fields of one item, the version edited, and the date the change describes. A field
    the body does not have is refused by name (``valid_fromm`` was dropped: the change took effect
    today)."""

    model_config = ConfigDict(extra="forbid")

    version: int
    changes: dict[str, Any]
    valid_from: date | None = None
    reason: str | None = None


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parent: str | None = None
    data: dict[str, Any]
    valid_from: date | None = None
    reason: str | None = None


def _within(prefix: str, field: str) -> str:
    """``field`` of the item after ``prefix`` (``changes.`` + ``title``); the item as a whole when
    pydantic names no field."""
    return prefix + field if field else prefix.rstrip(".") or "data"


def _problems_from(exc: ValidationError, prefix: str = "") -> ValidationProblem:
    return ValidationProblem(
        [(_within(prefix, ".".join(str(p) for p in e["loc"])), str(e["msg"]).removeprefix("Value error, "))
         for e in exc.errors(include_url=False)]
    )


def _key_field(kind: str) -> str:
    return {"edition": "as_of", "partner": "code", "commitment": "number"}.get(kind, "key")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound(f"no follow-up item kind '{kind}'")


def _validated(kind: str, data: dict[str, Any], prefix: str = "", today: date | None = None) -> dict[str, Any]:
    """The item's fields checked (with ``today``: nothing done, paid or completed after it)."""
    try:
        return validate_item(kind, data, today)
    except ValidationError as exc:
        raise _problems_from(exc, prefix) from None


def _check_whole(uow: Any, on_dates: set[date], *, edited: tuple[str, str] | None = None,
                 prefix: str = "", elsewhere: str = "") -> None:
    """The stored state must make one consistent annex on each date. A problem is said where the
    caller wrote it: in the item ``edited`` at its own field (after ``prefix``: ``changes.`` on the
    API's edit, ``data.`` on its creation, nothing on the web form), e.g. ``changes.partners``, not
    at its place in the whole document; a problem the change causes in another item at the field
    ``elsewhere``, naming that item and its field."""
    for on in on_dates:
        annex = annex_on(uow.conn, on, check_references=False)
        if annex is None:
            continue
        problems = annex.reference_problems()
        if not problems:
            continue
        out: list[tuple[str, str]] = []
        for loc, msg in problems:
            kind, key, rest = locate(annex, loc)
            within = ".".join(str(p) for p in rest)
            if (kind, key) == edited:
                out.append((prefix + within if within else prefix.rstrip(".") or "key", msg))
            elif kind == "annex":
                out.append((elsewhere, f"{within}: {msg}" if within else msg))
            else:
                where = f"{KIND_LABELS[kind].lower()} {key}" + (f", {within}" if within else "")
                out.append((elsewhere, f"{where}: {msg}"))
        raise ValidationProblem(out)


def update_item(
    services: Services, principal: Principal, kind: str, key: str, edit: ItemEdit, *, prefix: str = "",
) -> dict[str, Any]:
    """Change fields of one item. A problem with the changed fields is named by the item's field
    after ``prefix`` (the API's ``changes.``; the web form's fields are the item's own)."""
    require_editor(principal)
    _check_kind(kind)
    with services.uow() as uow:
        valid_from = edit.valid_from or uow.now.date()
        _check_dates(valid_from, uow.now.date(), conn=uow.conn)
        row = _rows(uow.conn).get((kind, key))
        if row is None or row.deleted:
            raise NotFound(f"no {KIND_LABELS[kind].lower()} {key}")
        if row.version != edit.version:
            raise Conflict(
                f"{KIND_LABELS[kind].lower()} {key} is at version {row.version}, you edited version "
                f"{edit.version}; reload and apply your change again"
            )
        base = annex_on(uow.conn, valid_from)
        current_item = None
        if base is not None:
            current_item = next((i for i in items(base) if (i.kind, i.key) == (kind, key)), None)
        if current_item is None:  # added later than the date: there is nothing to change then
            shown = next((v for v in _later_versions(uow.conn, row.id, valid_from) if v["data"] is not None), None)
            since = f" (it is from {_as_date(shown['valid_from']).isoformat()})" if shown is not None else ""
            raise ValidationProblem.one("valid_from", f"{KIND_LABELS[kind].lower()} {key} is not in the "
                                                      f"state of play on {valid_from.isoformat()}{since}: "
                                                      "date the change from a day it is there")
        data = dict(current_item.data)
        data.update(edit.changes)
        new = _validated(kind, data, prefix, uow.now.date())
        if item_key(kind, new) != key:
            raise ValidationProblem.one(prefix + _key_field(kind), "the key of an item cannot change; create a new item")
        if current_item is not None and new == current_item.data:
            raise ValidationProblem.one("changes", "nothing to change")
        item = Item(kind, key, current_item.parent, current_item.position, new)
        _record(uow, principal, row, item, kind=kind, key=key, valid_from=valid_from,
                reason=edit.reason, expected_version=edit.version)
        _check_whole(uow, _dates_from(uow.conn, valid_from, uow.now.date()), edited=(kind, key),
                     prefix=prefix, elsewhere=prefix.rstrip("."))
        uow.commit()
    return item_view(services, kind, key)


def create_item(
    services: Services, principal: Principal, kind: str, body: ItemCreate, *, prefix: str = "",
) -> dict[str, Any]:
    """Create one item. A problem with its fields is named by the item's field after ``prefix``
    (the API's ``data.``; the web form's fields are the item's own)."""
    require_editor(principal)
    _check_kind(kind)
    if kind == "edition":
        raise ValidationProblem.one("kind", "the edition is created by loading an annex")
    new = _validated(kind, body.data, prefix, today(services))
    key = item_key(kind, new)
    parent_kind = PARENT_KIND.get(kind)
    with services.uow() as uow:
        valid_from = body.valid_from or uow.now.date()
        _check_dates(valid_from, uow.now.date(), conn=uow.conn)
        rows = _rows(uow.conn)
        row = rows.get((kind, key))
        if row is not None and not row.deleted:
            raise Conflict(f"{KIND_LABELS[kind].lower()} {key} already exists")
        if row is not None and row.valid_from > valid_from:  # removed later than the new date
            raise Conflict(f"{KIND_LABELS[kind].lower()} {key} was removed from {row.valid_from.isoformat()}: "
                           "an item created before that date would end with that removal; create it "
                           f"from {row.valid_from.isoformat()} or later")
        if parent_kind is not None:
            parent = rows.get((parent_kind, body.parent or ""))
            if parent is None or parent.deleted:
                raise ValidationProblem.one("parent", f"no {KIND_LABELS[parent_kind].lower()} "
                                                      f"'{body.parent}'")
        position = 1 + max(
            (r.position for r in rows.values() if r.kind == kind and r.parent == body.parent),
            default=-1,
        )
        item = Item(kind, key, body.parent if parent_kind else None, position, new)
        _record(uow, principal, row, item, kind=kind, key=key, valid_from=valid_from,
                reason=body.reason)
        _check_whole(uow, _dates_from(uow.conn, valid_from, uow.now.date()), edited=(kind, key),
                     prefix=prefix, elsewhere=prefix.rstrip("."))
        uow.commit()
    return item_view(services, kind, key)


def delete_item(
    services: Services, principal: Principal, kind: str, key: str, version: int,
    valid_from: date | None = None, reason: str | None = None, *, elsewhere: str = "",
) -> None:
    """Remove one item from ``valid_from``. What the removal breaks in other items (an action
    naming a partner removed) is said at the field ``elsewhere``, naming the item and its field."""
    require_editor(principal)
    _check_kind(kind)
    with services.uow() as uow:
        on = valid_from or uow.now.date()
        _check_dates(on, uow.now.date(), conn=uow.conn)
        rows = _rows(uow.conn)
        row = rows.get((kind, key))
        if row is None or row.deleted:
            raise NotFound(f"no {KIND_LABELS[kind].lower()} {key}")
        children = [r for r in rows.values() if PARENT_KIND.get(r.kind) == kind
                    and r.parent == key and not r.deleted]
        if children:
            raise Conflict(f"{KIND_LABELS[kind].lower()} {key} still has {len(children)} {'item' if len(children) == 1 else 'items'} under it; "
                           "remove them first")
        _record(uow, principal, row, None, kind=kind, key=key, valid_from=on, reason=reason,
                expected_version=version)
        _check_whole(uow, _dates_from(uow.conn, on, uow.now.date()), elsewhere=elsewhere)
        uow.commit()


# -- reading ---------------------------------------------------------------------------------------


def item_view(services: Services, kind: str, key: str) -> dict[str, Any]:
    _check_kind(kind)
    with services.engine.connect() as conn:
        row = conn.execute(
            select(followup_items).where(followup_items.c.kind == kind, followup_items.c.key == key)
        ).mappings().first()
    if row is None or row["deleted"]:
        raise NotFound(f"no {KIND_LABELS[kind].lower()} {key}")
    return {"kind": kind, "key": key, "parent": row["parent"], "version": row["version"],
            "valid_from": row["valid_from"], "data": row["data"]}


class HistoryEntry(BaseModel):
    version: int
    change: str
    valid_from: date
    recorded_at: Any
    actor: str
    authority: str
    reason: str | None
    fields: list[str]
    before: dict[str, Any] = {}
    """The changed fields' earlier values (the later ones are in ``data``)."""
    data: dict[str, Any] | None


def _same(before: Any, after: Any) -> bool:
    """Whether a field kept its value; absent, null and an empty list are the same (a version stored
    before the field existed did not hold it: its first edit does not change it)."""
    empty: tuple[Any, ...] = (None, [], {})
    return before == after or (before in empty and after in empty)


def history(services: Services, kind: str, key: str) -> list[HistoryEntry]:
    """Every version of one item, in the order recorded, with the fields each version changed.

    A version changes the item as it stood on its own date when it was recorded: the fields are
    compared with the version then in force on that date (the latest ``valid_from`` on or before
    it among the versions recorded before), not with the version recorded just before it, which
    may describe a later date (a correction dated back)."""
    _check_kind(kind)
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(followup_item_versions)
            .where(followup_item_versions.c.kind == kind, followup_item_versions.c.key == key)
            .order_by(followup_item_versions.c.version)
        ).mappings().all()
    if not rows:
        raise NotFound(f"no {KIND_LABELS[kind].lower()} {key}")
    out: list[HistoryEntry] = []
    for i, r in enumerate(rows):
        data = r["data"]
        on = _as_date(r["valid_from"])
        earlier = [p for p in rows[:i] if p["item_id"] == r["item_id"] and _as_date(p["valid_from"]) <= on]
        then = max(earlier, key=lambda p: (_as_date(p["valid_from"]), p["version"])) if earlier else None
        prev = then["data"] if then is not None else None
        if data is None:
            fields: list[str] = []
        elif prev is None:
            fields = sorted(data)
        else:
            fields = sorted(k for k in set(prev) | set(data) if not _same(prev.get(k), data.get(k)))
        out.append(HistoryEntry(
            version=r["version"], change=r["change"], valid_from=r["valid_from"],
            recorded_at=r["recorded_at"], actor=r["actor"], authority=r["authority"],
            reason=r["reason"], fields=fields, data=data,
            before={k: prev.get(k) for k in fields} if prev is not None and data is not None else {},
        ))
    return out


def versions_of(services: Services) -> dict[str, int]:
    """Current version of every live item, keyed ``kind:key`` (for edit forms)."""
    with services.engine.connect() as conn:
        rows = conn.execute(select(followup_items.c.kind, followup_items.c.key,
                                   followup_items.c.version, followup_items.c.deleted)).all()
    return {f"{r.kind}:{r.key}": r.version for r in rows if not r.deleted}


class CommitmentSummary(BaseModel):
    number: int
    text: str
    status: str
    actions: int
    by_status: dict[str, int]
    milestones_overdue: int
    funding_eur: Any
    """Gross: the commitment's lines added up."""
    funding_net_eur: Any = None
    """Net of the overlaps the annex states between two of the commitment's lines."""
    partners: list[str]
    has_blocked: bool = False
    """Whether one of its actions is blocked (whatever the commitment's overall status)."""
    as_of: date | None = None
    """How old its information is: the latest date of the commitment's and its items' versions
    shown (their last recorded change on or before the date asked)."""
    information_age: InformationAge | None = None
    """``as_of``'s age in months on the date asked, flagged ``old`` beyond
    :data:`~pactum.followup.report.INFORMATION_OLD_AFTER_MONTHS`."""


#: What ``commitments(status=…)`` filters by: a status, ``overdue`` (a milestone past due and not
#: done on the date) or ``blocked`` (the overall status, or any action blocked).
STATUS_FILTERS: tuple[str, ...] = (*(s.value for s in Status), "overdue")


def _matches(row: CommitmentSummary, status: str) -> bool:
    if status == "overdue":
        return row.milestones_overdue > 0
    if status == Status.blocked.value:
        return row.status == status or row.has_blocked
    return row.status == status


def commitments(services: Services, as_of: date | None = None,
                status: str | None = None) -> list[CommitmentSummary]:
    """The commitments on ``as_of`` with their status, overdue milestones and funding; with
    ``status``, those it matches (:data:`STATUS_FILTERS`)."""
    if status and status not in STATUS_FILTERS:
        raise ValidationProblem.one("status", f"'{shortened(status)}' is not a filter: use one of "
                                              f"{', '.join(STATUS_FILTERS)}")
    on = as_of or today(services)
    annex = current(services, on)
    with services.engine.connect() as conn:
        dates = item_dates_on(conn, on)
    out = []
    for c in annex.commitments:
        by_status: dict[str, int] = {}
        for a in c.actions:
            by_status[a.status.value] = by_status.get(a.status.value, 0) + 1
        partners = sorted({p for a in c.actions for p in a.partners})
        money = funding_totals.totals(c.funding, on)
        idents = [("commitment", c.key), *[("action", a.key) for a in c.actions],
                  *[("milestone", m.key) for m in c.milestones], *[("funding", f.key) for f in c.funding]]
        known = [dates[i] for i in idents if i in dates]
        out.append(CommitmentSummary(
            number=c.number, text=c.text, status=c.status.value, actions=len(c.actions),
            by_status=by_status, milestones_overdue=sum(m.overdue_on(on) for m in c.milestones),
            funding_eur=money.total_eur, funding_net_eur=money.net_eur, partners=partners,
            has_blocked=c.has_blocked, as_of=max(known) if known else None,
            information_age=information_age(max(known), on) if known else None,
        ))
    return [r for r in out if _matches(r, status)] if status else out


def commitment(services: Services, number: int, as_of: date | None = None) -> Commitment:
    try:
        return current(services, as_of).commitment(number)
    except KeyError:
        raise NotFound(f"no commitment {number}") from None


def commitment_overlaps(services: Services, number: int,
                        as_of: date | None = None) -> list[funding_totals.OverlapRow]:
    """The overlaps that concern a line of the commitment (the other line may be another
    commitment's: only the overlaps between two of its own lines are out of its net)."""
    annex = current(services, as_of)
    try:
        keys = {f.key for f in annex.commitment(number).funding}
    except KeyError:
        raise NotFound(f"no commitment {number}") from None
    return [o for o in funding_totals.overlaps(annex) if o.line in keys or o.with_line in keys]


class ActionPlanSummary(BaseModel):
    key: str
    title: str
    status: str
    adopted_on: date | None
    actions_total: int | None
    milestones: int
    milestones_done: int
    milestones_overdue: int


def action_plans(services: Services, as_of: date | None = None) -> list[ActionPlanSummary]:
    """The EU action plans in the annex on ``as_of``, in force first, with their milestones counted."""
    on = as_of or today(services)
    annex = current(services, on)
    return [
        ActionPlanSummary(
            key=p.key, title=p.title, status=p.status.value, adopted_on=p.adopted_on,
            actions_total=p.actions_total, milestones=len(p.milestones),
            milestones_done=sum(m.done_on is not None and m.done_on <= on for m in p.milestones),
            milestones_overdue=sum(m.overdue_on(on) for m in p.milestones),
        )
        for p in sorted(annex.action_plans, key=lambda p: p.status != PlanStatus.in_force)
    ]


def action_plan(services: Services, key: str, as_of: date | None = None) -> ActionPlan:
    for plan in current(services, as_of).action_plans:
        if plan.key == key:
            return plan
    raise NotFound(f"no action plan '{key}'")


class PartnerSummary(BaseModel):
    partner: Partner
    actions: int
    funding: funding_totals.Totals
    shared_eur: Any
    milestones_overdue: int = 0
    """Milestones of actions naming the partner, past due and not done on the date."""


def _partner_milestones(annex: Annex, code: str) -> list[tuple[Commitment, Any]]:
    """The milestones of the actions that name the partner, with their commitment."""
    out = []
    for c in annex.commitments:
        mine = {a.key for a in c.actions if code in a.partners}
        out += [(c, m) for m in c.milestones if m.action in mine]
    return out


def partners(services: Services, as_of: date | None = None) -> list[PartnerSummary]:
    """Every partner country with how many actions name it, its funding and its overdue
    milestones on ``as_of``."""
    on = as_of or today(services)
    annex = current(services, on)
    by_code = {pf.code: pf for pf in funding_totals.by_partner(annex, on)}
    out = []
    for p in annex.partners:
        pf = by_code.get(p.code)
        out.append(PartnerSummary(
            partner=p, actions=sum(p.code in a.partners for _, a in annex.actions()),
            funding=pf.totals if pf else funding_totals.Totals(),
            shared_eur=pf.shared_eur if pf else 0,
            milestones_overdue=sum(m.overdue_on(on) for _, m in _partner_milestones(annex, p.code)),
        ))
    return out


class PartnerView(BaseModel):
    as_of: date | None = None
    partner: Partner
    actions: list[dict[str, Any]]
    milestones: list[dict[str, Any]] = []
    """The milestones of the actions naming the partner, each with ``overdue`` on ``as_of``."""
    funding: list[dict[str, Any]]
    totals: funding_totals.Totals
    shared_eur: Any
    overlaps: list[funding_totals.OverlapRow] = []
    """The overlaps between two of the partner's lines (the stated ones are out of its net)."""


def partner(services: Services, code: str, as_of: date | None = None) -> PartnerView:
    on = as_of or today(services)
    annex = current(services, on)
    code = code.upper()
    try:
        p = annex.partner(code)
    except KeyError:
        raise NotFound(f"no partner country {shortened(code)} in the follow-up") from None
    acts = [{"commitment": c.number, **a.model_dump(mode="json")}
            for c, a in annex.actions() if code in a.partners]
    lines = [(c, f) for c, f in annex.funding_lines() if code in f.partners]
    pf = next((x for x in funding_totals.by_partner(annex, on) if x.code == code), None)
    return PartnerView(
        as_of=on, partner=p, actions=acts,
        milestones=[{"commitment": c.number, **m.model_dump(mode="json"), "overdue": m.overdue_on(on)}
                    for c, m in _partner_milestones(annex, code)],
        funding=[{"commitment": c.number, **f.model_dump(mode="json"), "regional": f.regional,
                  "disbursed_eur": format(f.disbursed_on(on), "f")} for c, f in lines],
        totals=pf.totals if pf else funding_totals.Totals(),
        shared_eur=pf.shared_eur if pf else 0,
        overlaps=funding_totals.overlaps_among(f for _, f in lines),
    )


class FundingOverview(BaseModel):
    """The funding of the annex on a date: gross (every line once) and net of the overlaps the
    annex states (``totals.net_eur``; the overlaps in ``overlaps``), by stage, commitment, partner,
    Member State and call or action (``by_instrument``: the annex names no EU funding instrument).
    Each line says what it adds to the net (``net_eur``: its amount less the stated overlaps it
    records). With ``member_state``, only the lines whose beneficiary names that state."""

    as_of: date
    member_state: str | None = None
    totals: funding_totals.Totals
    by_stage: dict[str, Any]
    net_by_stage: dict[str, Any] = {}
    by_commitment: list[funding_totals.CommitmentFunding]
    by_partner: list[funding_totals.PartnerFunding]
    by_member_state: list[funding_totals.StateFunding] = []
    by_instrument: list[funding_totals.GroupFunding]
    overlaps: list[funding_totals.OverlapRow] = []
    late_tranches: list[funding_totals.LateTranche] = []
    """Expected tranches whose day has passed on ``as_of``."""
    lines: list[dict[str, Any]]


def funding(services: Services, as_of: date | None = None,
            member_state_code: str | None = None) -> FundingOverview:
    """The funding on ``as_of``; with ``member_state_code``, the lines whose beneficiary names
    that state (its ISO code in the text, e.g. "BG, RO"), totalled as such."""
    code = None
    if member_state_code:
        try:
            code = member_state(member_state_code)
        except ValueError as exc:
            raise ValidationProblem.one("member_state", str(exc)) from None
    on = as_of or today(services)
    annex = current(services, on)
    net = funding_totals.line_net(annex)
    chosen = [(c, f) for c, f in annex.funding_lines()
              if code is None or code in funding_totals.member_states_of(f)]
    lines = [f for _, f in chosen]
    keys = {f.key for f in lines}
    t = funding_totals.totals(lines, on)
    commitments = [funding_totals.CommitmentFunding(
        number=c.number, totals=funding_totals.totals([f for f in c.funding if f.key in keys], on))
        for c in annex.commitments if any(f.key in keys for f in c.funding)]
    return FundingOverview(
        as_of=on, member_state=code, totals=t, by_stage={s.value: v for s, v in t.by_stage.items()},
        net_by_stage={s.value: v for s, v in t.net_by_stage.items()},
        by_commitment=commitments,
        by_partner=[] if code else funding_totals.by_partner(annex, on),
        by_member_state=funding_totals.by_member_state(annex, on),
        by_instrument=funding_totals.by_instrument(annex, on, lines),
        overlaps=funding_totals.overlaps_among(lines),
        late_tranches=[lt for lt in funding_totals.late_tranches(annex, on) if lt.line in keys],
        lines=[{"commitment": c.number, **f.model_dump(mode="json"), "net_eur": format(net[f.key], "f"),
                "disbursed_eur": format(f.disbursed_on(on), "f"), "regional": f.regional,
                "member_states": funding_totals.member_states_of(f)}
               for c, f in chosen],
    )


# -- live indicators and the report ---------------------------------------------------------------


class UpdateStatus(BaseModel):
    """How current the follow-up is on a date: the annex's date, the last update recorded on or
    before it, and the banner the pages show (``None`` on the annex's own date)."""

    as_of: date
    edition_as_of: date
    last_update: date
    banner: str | None


def update_status(services: Services, as_of: date | None = None) -> UpdateStatus:
    """When the last update on or before ``as_of`` was recorded (the annex's date when none was
    since) and :func:`~pactum.followup.report.update_banner`'s words for the pages."""
    on = as_of or today(services)
    annex = current(services, on)
    with services.engine.connect() as conn:
        dates = item_dates_on(conn, on)
    last = max(dates.values()) if dates else annex.edition.as_of
    return UpdateStatus(as_of=on, edition_as_of=annex.edition.as_of, last_update=last,
                        banner=update_banner(annex.edition.as_of, last, on))


def live_values(conn: Connection, annex: Annex, on: date) -> dict[str, LiveValue]:
    """Each indicator the actions cite, computed on ``on`` over every state's records (the Pact's
    follow-up is the Union's, not one state's), or over the Member States an action names
    (``indicator_states``: action 5.a's pilot schemes are Bulgaria's and Romania's, so its border
    occupancy is theirs, by state); unknown or failing ones say why. Keyed by
    :func:`~pactum.followup.report.live_key`."""
    registry = indicator_registry.load_all()
    out: dict[str, LiveValue] = {}
    for _, action in annex.actions():
        name = action.indicator
        key = live_key(action) if name else ""
        if not name or key in out:
            continue
        states = list(getattr(action, "indicator_states", None) or [])
        ind = registry.get(name)
        if ind is None:
            out[key] = LiveValue(
                indicator=name, as_of=on, available=False, states=states,
                reason=f"no area of the platform computes the indicator '{name}' yet",
            )
            continue
        if states and not ind.scoped:
            out[key] = LiveValue(indicator=name, as_of=on, available=False, label=ind.label, area=ind.area,
                                 states=states, reason=f"the {ind.area} indicator is not counted by state, so it "
                                                       f"cannot be counted for {', '.join(states)} alone")
            continue
        try:
            with conn.begin_nested():
                value = ind.value(conn, on, None) if not states else _by_states(ind, conn, on, states)
        except Exception as exc:  # an area's indicator failing must not sink the report
            out[key] = LiveValue(indicator=name, as_of=on, available=False, label=ind.label,
                                 area=ind.area, states=states, reason=f"the {ind.area} indicator failed: {exc}")
            continue
        out[key] = LiveValue(indicator=name, as_of=on, available=True, label=ind.label,
                             area=ind.area, value=value, states=states)
    return out


def _by_states(ind: Any, conn: Connection, on: date, states: list[str]) -> dict[str, Any]:
    """The indicator over each named state's records, by state, every state named (a state with
    none recorded is a 0, not left out: the figure says it counted it)."""
    out: dict[str, Any] = {}
    for state in states:
        value = ind.value(conn, on, state)
        if isinstance(value, dict):  # already by state ({"BG": 3}): that state's own entry
            out[state] = value.get(state, 0) if all(k == state for k in value) else sum(
                v for v in value.values() if isinstance(v, int | float))
        else:
            out[state] = value
    return out


def _check_report_dates(services: Services, as_of: date, since: date | None) -> None:
    """A report (or "changes since") is dated on or before today, after its ``since``."""
    _not_after_today(as_of, today(services))
    if since is not None and since >= as_of:
        raise ValidationProblem.one("since", f"the previous report date ({since.isoformat()}) must be "
                                             f"before the report date ({as_of.isoformat()})")


def state_of_play(services: Services, as_of: date, since: date | None = None) -> StateOfPlay:
    _check_report_dates(services, as_of, since)
    with services.uow() as uow:  # read-only: never committed
        annex = _require_annex(uow.conn, as_of)
        previous = annex_on(uow.conn, since) if since is not None else None
        live = live_values(uow.conn, annex, as_of) if as_of > annex.edition.as_of else {}
        # the day they were computed, which the report says beside each figure ("computed today")
        live = {name: v.model_copy(update={"computed_on": today(services)}) for name, v in live.items()}
        dates = item_dates_on(uow.conn, as_of)
    return build(annex, as_of, live=live, previous=previous, previous_date=since, item_dates=dates)


def changes(services: Services, since: date, as_of: date) -> list[Change]:
    """What changed between ``since`` and ``as_of`` (refused as a report is: ``as_of`` after
    today, ``since`` not before it)."""
    _check_report_dates(services, as_of, since)
    with services.engine.connect() as conn:
        before = annex_on(conn, since)
        after = _require_annex(conn, as_of)
    return annex_diff(before, after)


TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"


def template_filters() -> dict[str, Any]:
    """Filters the report templates use, shared by the document and the web page."""
    return {"followup_eur": eur, "followup_value": format_value}


def render_html(sop: StateOfPlay) -> str:
    """The report as one HTML document (styles inline, no external asset), for file and PDF."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)),
                      autoescape=select_autoescape(["html"]))
    env.filters.update(template_filters())
    return env.get_template("followup/report_document.html").render(sop=sop)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def write_report(services: Services, as_of: date, out_dir: Path,
                 since: date | None = None) -> tuple[Path, Path]:
    return write_state_of_play(state_of_play(services, as_of, since), out_dir)


def write_state_of_play(sop: StateOfPlay, out_dir: Path) -> tuple[Path, Path]:
    """Write ``state-of-play.html`` and ``.pdf`` of a state of play built (and so validated)."""
    html = render_html(sop)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out_dir / "state-of-play.html", out_dir / "state-of-play.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(render_pdf(html))
    return html_path, pdf_path


@job("followup-overdue-milestones")
def overdue_milestones_job(services: Services, now: Any) -> str:
    """Count the follow-up milestones that are past due and not done."""
    on = now.date()
    with services.engine.connect() as conn:
        annex = annex_on(conn, on)
    if annex is None:
        return "follow-up not loaded"
    overdue = [key for _, m in annex.milestones() if m.overdue_on(on) for key in [m.key]]
    return f"{len(overdue)} follow-up milestones overdue on {on.isoformat()}" + (
        f": {', '.join(overdue)}" if overdue else "")
