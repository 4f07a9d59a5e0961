"""Identity resolution handlers and queries: online search, multiple-identity links and their
verification, biometric templates, model artefacts.

Scope (DOMAIN.md §5 and §7, the European Search Portal "within the user's rights";
:mod:`pactum.identity.components`): an officer of a Member State searches

* ``national``: the records of their own state,
* ``eurodac``: other states' records whose Eurodac data are stored and not erased, of the
  categories the search reaches: a general search (names, document, a template on its own) other
  states' applicants; the search made for one of the state's records also what Eurodac compares
  that record's data with (Reg. (EU) 2024/1358 Art 27(1): an applicant's data reach irregular
  crossings, search-and-rescue disembarkations and illegal stays),
* ``sis_return_alert``: other states' records that carry an *active* return alert,
* ``sis_entry_ban``: other states' records under an entry-ban alert in force (caseworkers, return
  officers and administrators).

Another state's record is returned only from a match probability of :data:`DISCLOSURE_FLOOR`
(or, in a comparison, with a link; in a biometric search, on a biometric match), and each record of
another state returned is logged as disclosed, with the search's purpose. No other path in this
module returns another state's record. Every query below applies :func:`_may_see` in SQL and
:func:`_component` to the scored rows; the tests in ``tests/e2e/test_identity_search.py`` and
``tests/e2e/test_identity_disclosure.py`` check it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field
from sqlalchemy import Connection, Date, TextClause, bindparam, delete, func, insert, select, text

from pactum.common import states
from pactum.common.clock import as_utc
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.text import counted, shortened
from pactum.identity import comparisons as design
from pactum.identity import components, outcomes
from pactum.identity import links as link_rules
from pactum.identity.biometrics import as_template
from pactum.identity.features import features
from pactum.identity.normalise import NORMALISATION_VERSION
from pactum.identity.schemas import BiometricQuery, LinkDecision, SearchQuery, TemplateEnrol
from pactum.law import regime_for
from pactum.registry.local_time import stored_day
from pactum.services.auth import Principal, Role, refuse_local_operator, require, require_member_state
from pactum.services.bootstrap import Services
from pactum.services.identity import biometric_index
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.services.uow import UnitOfWork
from pactum.store.tables.base import update_versioned
from pactum.store.tables.identity import (
    biometric_templates,
    identity_links,
    identity_models,
    identity_search_keys,
)
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records

_returns_tables: Any
try:  # the returns area owns the table; the search reads it by name with plain SQL
    from pactum.store.tables import returns as _returns_tables
except ImportError:  # pragma: no cover - only when the returns area is not installed
    _returns_tables = None

SEARCH_ROLES = (Role.caseworker, Role.dublin_unit, Role.return_officer, Role.admin)
VERIFY_ROLES = (Role.caseworker, Role.dublin_unit, Role.return_officer, Role.admin)
MODEL_ROLES = (Role.admin, Role.analyst)


# --- the model ---------------------------------------------------------------------------------

_DEFAULT_MODEL: dict[str, Any] | None = None


def default_model() -> dict[str, Any]:
    """The model shipped with the release (trained on labelled generated data, seed 1)."""
    global _DEFAULT_MODEL
    if _DEFAULT_MODEL is None:
        _DEFAULT_MODEL = link_rules.shipped_model()
    return _DEFAULT_MODEL


def _active_of_this_design() -> Any:
    """The active stored model, if it is of this release's comparison design. A model trained
    under another design has other levels, and its weights are read by position: after an
    upgrade the shipped model (version 0) scores until the store's model is trained again."""
    return (identity_models.c.active.is_(True)) & (identity_models.c.design_version == design.DESIGN_VERSION)


def active_model(conn: Connection) -> tuple[int, dict[str, Any]]:
    """(version, model): the active trained artefact, or version 0 for the shipped model."""
    row = conn.execute(
        select(identity_models.c.version, identity_models.c.model)
        .where(_active_of_this_design()).order_by(identity_models.c.version.desc()).limit(1)
    ).first()
    if row is None:
        return 0, default_model()
    return int(row.version), dict(row.model)


#: Scorers by (store, model version), with the monotonic time they were made: the model JSON is
#: read and parsed once, not per search. A scorer's prior is scaled to the number of identity
#: records in the store (``links.prior_for``), counted again when the scorer is older than
#: :data:`SCORER_MAX_AGE_S`.
_SCORERS: dict[tuple[str, int], tuple[float, link_rules.Scorer]] = {}
SCORER_MAX_AGE_S = 300.0


def _store_key(conn: Connection) -> str:
    """The store a connection belongs to, as the per-store caches of this module key it."""
    return conn.engine.url.render_as_string(hide_password=True)


# The statements each search and each comparison of a record runs, built once (a statement built
# per call costs SQLAlchemy as much again as running it: its cache key is recomputed every time).
_ACTIVE_VERSION = (select(identity_models.c.version).where(_active_of_this_design())
                   .order_by(identity_models.c.version.desc()).limit(1))
_SELECT_RECORD = select(identity_records).where(identity_records.c.id == bindparam("id"))
_DELETE_KEYS = delete(identity_search_keys).where(identity_search_keys.c.identity_record_id == bindparam("id"))
_INSERT_KEYS = insert(identity_search_keys)
_SELECT_INDEXED = (select(identity_search_keys.c.features, identity_search_keys.c.keys_version)
                   .where(identity_search_keys.c.identity_record_id == bindparam("id")))
_SHARED_CATEGORY = (select(eurodac_records.c.category)
                    .where(eurodac_records.c.identity_record_id == bindparam("id"), eurodac_records.c.erased_at.is_(None))
                    .order_by(eurodac_records.c.registered_at, eurodac_records.c.id).limit(1))
_KEPT_CATEGORY = (select(eurodac_records.c.category)
                  .where(eurodac_records.c.identity_record_id == bindparam("id"), eurodac_records.c.erased_at.is_(None),
                         eurodac_records.c.retention_until >= bindparam("today", type_=eurodac_records.c.retention_until.type))
                  .order_by(eurodac_records.c.registered_at, eurodac_records.c.id).limit(1))
_CREATED_AFTER = select(identity_records.c.id).where(identity_records.c.id.in_(bindparam("ids", expanding=True)),
                                                     identity_records.c.created_at > bindparam("now", type_=identity_records.c.created_at.type))
_KEYED = (select(identity_search_keys.c.identity_record_id)
          .where(identity_search_keys.c.identity_record_id.in_(bindparam("ids", expanding=True))))
_ONE: Any = bindparam("id")
_OTHERS: Any = bindparam("others", expanding=True)
_LINKS_BETWEEN = select(identity_links).where(
    ((identity_links.c.record_id == _ONE) & identity_links.c.linked_record_id.in_(_OTHERS))
    | ((identity_links.c.linked_record_id == _ONE) & identity_links.c.record_id.in_(_OTHERS))
).order_by(identity_links.c.created_at, identity_links.c.id)
_INSERT_LINK = insert(identity_links)
_RECORD_TEMPLATES = select(biometric_templates.c.vector).where(biometric_templates.c.identity_record_id == bindparam("id"))
_TF_COUNT = {col: select(func.count()).select_from(identity_search_keys).where(identity_search_keys.c[col] == bindparam("value"))
             for col in design.TF_COLUMNS}


def _scorer(conn: Connection) -> tuple[int, link_rules.Scorer]:
    store = _store_key(conn)
    version = conn.execute(_ACTIVE_VERSION).scalar()
    cached = _SCORERS.get((store, int(version or 0)))
    now = time.monotonic()
    if cached is None or now - cached[0] > SCORER_MAX_AGE_S:
        v, model = active_model(conn)
        records = conn.execute(select(func.count()).select_from(identity_records)).scalar() or 0
        scorer = link_rules.Scorer(model, records=max(int(records), 2))
        _SCORERS[(store, v)] = (now, scorer)
        return v, scorer
    return int(version or 0), cached[1]


#: How many records' worth of weight the model's average name frequency has against a store's own
#: counts (:func:`_name_frequencies`): a store of 1,000 records where 4 share a name says little
#: about how common that name is; a store of 1,000,000 says it alone.
TF_PRIOR_RECORDS = 10_000

#: Per store: when the records with a value in each term-frequency column were last counted, and
#: the counts (refreshed like the scorer's record count).
_TF_TOTALS: dict[str, tuple[float, dict[str, int]]] = {}
#: Per store, column and name key: when the records holding it were counted, and how many. The
#: commonest names, whose counts cost most (tens of thousands of index entries at 1,000,000
#: records), are the ones asked for again and again; a count is kept as long as the totals.
_TF_COUNTS: dict[tuple[str, str, str], tuple[float, int]] = {}
_TF_COUNTS_MAX = 200_000


def _name_frequencies(conn: Connection, scorer: link_rules.Scorer, f: dict[str, Any]) -> dict[str, float]:
    """For each name key of the query (whole name, given name, surname), the share of the store's
    records that hold it, for the term-frequency adjustment of the scorer: a candidate who agrees
    on Mohammed Ahmed is weighed down, one who agrees on a rare name up, as batch linkage does.

    The share is shrunk towards the model's average agreement (the u of the exact level, which is
    the frequency of an average name) with the weight of :data:`TF_PRIOR_RECORDS` records, so that
    a small store, where a handful of records share any name, does not read every name as common.
    One indexed count per name key, kept for :data:`SCORER_MAX_AGE_S` (the commonest names are
    asked for most and cost most to count)."""
    store = _store_key(conn)
    now = time.monotonic()
    cached = _TF_TOTALS.get(store)
    if cached is None or now - cached[0] > SCORER_MAX_AGE_S:
        totals = {col: int(conn.execute(select(func.count(identity_search_keys.c[col]))).scalar() or 0)
                  for col in design.TF_COLUMNS}
        _TF_TOTALS[store] = (now, totals)
    else:
        totals = cached[1]
    out = {}
    for col in design.TF_COLUMNS:
        value = f.get(col)
        if not value or col not in scorer.tf_log2_u:
            continue
        key = (store, col, str(value))
        hit = _TF_COUNTS.get(key)
        if hit is not None and now - hit[0] <= SCORER_MAX_AGE_S:
            n = hit[1]
        else:
            n = int(conn.execute(_TF_COUNT[col], {"value": value}).scalar() or 0)
            if len(_TF_COUNTS) >= _TF_COUNTS_MAX:
                _TF_COUNTS.clear()
            _TF_COUNTS[key] = (now, n)
        average = 2.0 ** scorer.tf_log2_u[col]
        out[col] = (n + TF_PRIOR_RECORDS * average) / (totals[col] + TF_PRIOR_RECORDS)
    return out


# --- search keys ---------------------------------------------------------------------------------


def _record_features(row: Any) -> dict[str, Any]:
    return features({
        "member_state": row.member_state,
        "given_names": row.given_names_latin or row.given_names,
        "surname": row.surname_latin or row.surname,
        "father_name": row.father_name,
        "sex": row.sex,
        "date_of_birth": row.date_of_birth,
        "place_of_birth": row.place_of_birth,
        "nationality": row.nationality,
        "document_number": row.document_number,
    })


def index_record(conn: Connection, identity_record_id: str) -> dict[str, Any]:
    """Compute and store the search keys of one record (replacing older keys), with the category
    of its Eurodac data not erased (:func:`shared_category`)."""
    row = conn.execute(_SELECT_RECORD, {"id": identity_record_id}).first()
    if row is None:
        raise NotFound(f"identity record {identity_record_id} not found")
    f = _record_features(row)
    conn.execute(_DELETE_KEYS, {"id": row.id})
    conn.execute(_INSERT_KEYS, search_key_row(row.id, row.member_state, shared_category(conn, row.id), f))
    return f


def indexed_features(conn: Connection, identity_record_id: str) -> dict[str, Any]:
    """The search features of one record: those its search key holds when this normalisation
    computed them (the registration, the Eurodac recording of an application and the erasure of
    Eurodac data keep the key in step with the record, whose rows are never updated), otherwise
    computed and stored now (:func:`index_record`). A comparison reads them once per record
    instead of recomputing and rewriting the key it has just been given."""
    key = conn.execute(_SELECT_INDEXED, {"id": identity_record_id}).first()
    if key is None or key.keys_version != NORMALISATION_VERSION:
        return index_record(conn, identity_record_id)
    return dict(key.features) if isinstance(key.features, dict) else dict(json.loads(key.features))


def shared_category(conn: Connection, identity_record_id: str) -> str | None:
    """The category of the record's Eurodac data that are stored and not erased, through which
    other states may find it (:mod:`pactum.identity.components`); None for a record without
    Eurodac data (a child under the age of biometrics, an illegal stay before the recast) or
    whose data were erased (Reg. (EU) 2024/1358 Art 29)."""
    return conn.execute(_SHARED_CATEGORY, {"id": identity_record_id}).scalar()


def search_key_row(identity_record_id: str, member_state: str, category: str | None,
                   f: dict[str, Any]) -> dict[str, Any]:
    """The ``identity_search_keys`` row of a record from its features (also used by bulk loads).
    ``category`` is the category of the record's Eurodac data not erased (:func:`shared_category`),
    None when it has none: the search's first test of whether another state may see the row."""
    return {
        "identity_record_id": identity_record_id, "member_state": member_state, "category": category,
        "names_key": f["names_key"], "names_key_local": f.get("names_key_local"), "given_key": f["given_key"], "surname_key": f["surname_key"],
        "father_key": f["father_key"], "dob_year": f["dob_year"], "dob_full": f["dob_full"], "sex": f["sex"],
        "nationality": f["nationality"], "document": f["document"], "features": f,
        "keys_version": NORMALISATION_VERSION,
    }


def _index_selected(conn: Connection, q: Any, limit: int | None = None) -> int:
    """Compute the search keys of the records whose ids ``q`` selects (at most ``limit``)."""
    if limit:
        q = q.limit(limit)
    ids = [r[0] for r in conn.execute(q)]
    for rid in ids:
        index_record(conn, rid)
    return len(ids)


def index_missing(conn: Connection, limit: int | None = None) -> int:
    """Index the records that have no search keys yet (after bulk loads); returns how many."""
    return _index_selected(conn, select(identity_records.c.id)
                           .outerjoin(identity_search_keys,
                                      identity_search_keys.c.identity_record_id == identity_records.c.id)
                           .where(identity_search_keys.c.identity_record_id.is_(None)), limit)


#: Rows of an earlier normalisation the ``identity_index`` job recomputes per run, so that an
#: upgrade is worked through in bounded transactions (the search keeps the old keys meanwhile).
STALE_BATCH = 20_000


def index_stale(conn: Connection, limit: int | None = None) -> int:
    """Recompute the search keys computed by an earlier normalisation (``keys_version`` other
    than :data:`~pactum.identity.normalise.NORMALISATION_VERSION`, or none: rows written before
    the version was recorded); returns how many."""
    version = identity_search_keys.c.keys_version
    return _index_selected(conn, select(identity_search_keys.c.identity_record_id)
                           .where(version.is_(None) | (version != NORMALISATION_VERSION))
                           .order_by(identity_search_keys.c.identity_record_id), limit)


def index_all(conn: Connection) -> int:
    """Recompute the search keys of every identity record, whatever normalisation computed them;
    returns how many."""
    return _index_selected(conn, select(identity_records.c.id).order_by(identity_records.c.id))


@job("identity_index")
def identity_index_job(services: Services, now: Any) -> str:
    """Index identity records registered without search keys, so the online search finds them,
    and recompute up to :data:`STALE_BATCH` rows of keys an earlier normalisation computed."""
    with services.uow() as uow:
        n = index_missing(uow.conn)
        stale = index_stale(uow.conn, STALE_BATCH)
        uow.commit()
    return f"{n} identity records indexed for search, {stale} recomputed after a change of the normalisation"


# --- visibility ----------------------------------------------------------------------------------

# Each row with what decides its visibility: its active return alert; its active entry-ban alert
# (the one on this record; whether it is in force on the day is checked in Python,
# :func:`_ban_in_force`); its Eurodac data not erased (``eurodac_id``: none for a record without
# Eurodac data or whose data were erased) with their category and mark; and whether Eurodac data of
# the record were erased (when the erased Eurodac record still names the identity record). Data
# past their retention day (``retention_until`` before ``:today``) count as erased, whether or not
# the erasure job has run yet (Reg. (EU) 2024/1358 Art 29: they are kept no longer than that).
_VISIBLE_SQL = """
SELECT k.identity_record_id, k.member_state, k.features, r.person_id, r.category,
       r.given_names, r.surname, r.date_of_birth, r.nationality, r.sex,
       (SELECT a.id FROM return_alerts a WHERE a.identity_record_id = r.id AND a.status = 'active'
        ORDER BY a.id LIMIT 1) AS alert_id,
       b.id AS entry_ban_id, b.starts_on AS entry_ban_starts_on, b.ends_on AS entry_ban_ends_on,
       e.id AS eurodac_id, e.category AS eurodac_category, e.marked_at AS marked_at,
       (SELECT count(*) FROM eurodac_records x WHERE x.identity_record_id = r.id
        AND (x.erased_at IS NOT NULL OR x.retention_until < :today)) AS erased
FROM identity_search_keys k JOIN identity_records r ON r.id = k.identity_record_id
LEFT JOIN eurodac_records e ON e.id = (
  SELECT e2.id FROM eurodac_records e2 WHERE e2.identity_record_id = r.id AND e2.erased_at IS NULL
  AND e2.retention_until >= :today
  ORDER BY e2.registered_at, e2.id LIMIT 1)
LEFT JOIN entry_ban_alerts b ON b.id = (
  SELECT b2.id FROM entry_ban_alerts b2
  WHERE b2.person_id = r.person_id AND b2.identity_record_id = r.id AND b2.status = 'active'
  ORDER BY b2.ends_on DESC, b2.id LIMIT 1)
WHERE ({where})
"""


def _day(value: Any) -> str | None:
    """A date column read by plain SQL as ``YYYY-MM-DD`` (SQLite returns text, PostgreSQL a date)."""
    return None if value is None else str(value)[:10]


def _ban_in_force(row: Any, today: date | None) -> bool:
    """Whether the record's entry-ban alert is in force on ``today`` (any active one when no day
    is given)."""
    if getattr(row, "entry_ban_id", None) is None:
        return False
    if today is None:
        return True
    day = today.isoformat()
    starts, ends = _day(row.entry_ban_starts_on), _day(row.entry_ban_ends_on)
    return (starts is None or starts <= day) and (ends is None or day <= ends)


def _component(row: Any, own_state: str, reach: frozenset[str] = components.SEARCH_REACH,
               bans: bool = False, today: date | None = None) -> str | None:
    """Which component a record is visible through for an officer of ``own_state`` (or None):
    their own state's record; another state's under an active return alert; under an entry ban in
    force (``bans``: the officer's roles see refusal-of-entry alerts); another state's whose Eurodac
    data, not erased, are of a category the search reaches (``reach``,
    :mod:`pactum.identity.components`)."""
    if row.member_state == own_state:
        return components.NATIONAL
    if row.alert_id is not None:
        return components.SIS_RETURN_ALERT
    if bans and _ban_in_force(row, today):
        return components.SIS_ENTRY_BAN
    if row.eurodac_id is not None and row.eurodac_category in reach:
        return components.EURODAC
    return None


def _eurodac_of(row: Any, own_state: str, reach: frozenset[str]) -> dict[str, Any] | None:
    """The record's Eurodac data as a candidate shows them (category, mark), when they are the
    officer's own state's or within the search's reach; None otherwise, and when the record has no
    Eurodac data or they were erased."""
    if row.eurodac_id is None or (row.member_state != own_state and row.eurodac_category not in reach):
        return None
    marked = row.marked_at
    if marked is not None and not isinstance(marked, datetime):
        marked = datetime.fromisoformat(str(marked))
    return {"eurodac_record_id": row.eurodac_id, "member_state": row.member_state,
            "category": row.eurodac_category,
            "marked_at": as_utc(marked).isoformat() if marked is not None else None}


def _may_see(reach: frozenset[str], bans: bool) -> str:
    """The rows an officer of ``:ms`` may see on ``:today``, as a condition on
    ``identity_search_keys k`` (the exact rule, with the Eurodac data read again and the day of an
    entry ban, is applied to the scored few by :func:`_component`): their own state's; other states'
    whose Eurodac data, neither erased nor past their retention day, are of a category the search
    reaches (``k.category``, :func:`shared_category`, for the index; the Eurodac record itself for
    the day); records under an active return alert; and (``bans``) under an active entry-ban
    alert."""
    if not all(c.isidentifier() for c in reach):  # a fixed vocabulary, written into the SQL
        raise ValueError(f"unknown Eurodac categories {sorted(reach)}")
    cats = ", ".join(f"'{c}'" for c in sorted(reach))
    # data past their retention day are kept no longer (Reg. (EU) 2024/1358 Art 29): no other
    # state reaches them, even before the erasure job has run
    kept = (f"k.category IN ({cats}) AND EXISTS (SELECT 1 FROM eurodac_records e"
            " WHERE e.identity_record_id = k.identity_record_id AND e.erased_at IS NULL"
            f" AND e.retention_until >= :today AND e.category IN ({cats}))")
    arms = ["k.member_state = :ms", *([f"({kept})"] if reach else []),
            "k.identity_record_id IN (SELECT a.identity_record_id FROM return_alerts a WHERE a.status = 'active')"]
    if bans:
        arms.append("k.identity_record_id IN (SELECT b.identity_record_id FROM entry_ban_alerts b"
                    " WHERE b.status = 'active' AND b.identity_record_id IS NOT NULL)")
    return "(" + " OR ".join(arms) + ")"


#: How many candidates of the blocks, ranked by the pre-score, are read and scored in full.
PRESCORE_CAP = 100

# The pre-score: a cheap ranking of a block inside the database, on the columns every blocking
# index carries. Rough match weights of the model's strongest levels: the same name key in any
# order, the same given name or surname key (also swapped, or the father's name recorded as the
# surname), the same document, the same full date or year of birth, the same sex and nationality
# (what tells namesakes born the same year apart).
_PRESCORE = """(
  CASE WHEN k.names_key = :nk THEN 10
       WHEN k.names_key = :nkl OR k.names_key_local = :nk OR k.names_key_local = :nkl THEN 9 ELSE 0 END
  + CASE WHEN k.given_key = :gk THEN 4 WHEN k.given_key = :sk THEN 3 ELSE 0 END
  + CASE WHEN k.surname_key = :sk THEN 4 WHEN k.surname_key = :gk OR k.surname_key = :fk THEN 3 ELSE 0 END
  + CASE WHEN k.father_key = :fk THEN 3 WHEN k.father_key = :sk THEN 2 ELSE 0 END
  + CASE WHEN k.document = :doc THEN 20 ELSE 0 END
  + CASE WHEN k.dob_full = :df THEN 12 WHEN k.dob_year = :y THEN 3
         WHEN k.dob_year BETWEEN :y0 AND :y1 THEN 1 ELSE 0 END
  + CASE WHEN k.sex = :sex THEN 1 WHEN k.sex <> :sex THEN -2 ELSE 0 END
  + CASE WHEN k.nationality = :nat THEN 3 WHEN k.nationality <> :nat THEN -2 ELSE 0 END
)"""


def _blocks(f: dict[str, Any]) -> list[str]:
    """The blocking conditions of a query: the same name key in any order (born within two years,
    or of unknown birth), the same given-name key or surname key born within two years, the same
    full date of birth (a known one: a 1 January placeholder or a bare year has none, so the block
    holds the few born that day, as the batch linkage's rule on the full date), the same document
    number."""
    year = f.get("dob_year")
    conds = []
    near = " AND (k.dob_year BETWEEN :y0 AND :y1 OR k.dob_year IS NULL)" if year is not None else ""
    if f.get("names_key"):
        conds.append(f"k.names_key = :nk{near}")
        # the same name once either record is read as its recording authority writes (rule
        # authority_reading: a German record's Chaled, a Spanish one's Jaled for Khaled)
        conds.append(f"k.names_key_local = :nk{near}")
    if f.get("names_key_local"):
        conds.append(f"k.names_key = :nkl{near}")
        conds.append(f"k.names_key_local = :nkl{near}")
    if year is not None:
        if f.get("given_key"):
            conds.append("k.given_key = :gk AND k.dob_year BETWEEN :y0 AND :y1")
        if f.get("surname_key"):
            conds.append("k.surname_key = :sk AND k.dob_year BETWEEN :y0 AND :y1")
    if f.get("dob_full"):
        conds.append("k.dob_full = :df")
    if f.get("document"):
        conds.append("k.document = :doc")
    return conds


def block_params(f: dict[str, Any]) -> dict[str, Any]:
    """The bind parameters of :func:`_blocks`' conditions for the query's features ``f``."""
    year = f.get("dob_year")
    return {"nk": f.get("names_key"), "nkl": f.get("names_key_local"), "gk": f.get("given_key"), "sk": f.get("surname_key"),
            "df": f.get("dob_full"), "doc": f.get("document"),
            "y0": None if year is None else year - 2, "y1": None if year is None else year + 2}


@lru_cache(maxsize=512)
def _statement(sql: str, expanding: str | None = None) -> TextClause:
    """The statement of one of the search's SQL texts, made once per text: the texts are few (one
    per combination of blocks and reach), and making a statement parses its text for parameters,
    which cost a comparison as much as running it. ``:today`` is a date; ``expanding`` names a
    parameter that takes a list."""
    stmt = text(sql)
    binds = [bindparam("today", type_=Date)] if ":today" in sql else []
    if expanding is not None:
        binds.append(bindparam(expanding, expanding=True))
    return stmt.bindparams(*binds) if binds else stmt


def _candidate_ids(conn: Connection, f: dict[str, Any], own_state: str | None, exclude: str | None,
                   cap: int | None = None, *, today: date, reach: frozenset[str] = components.SEARCH_REACH,
                   bans: bool = False) -> tuple[list[str], int]:
    """Ids of the ``cap`` best candidates of the blocks by pre-score, and how many the blocks held.

    Each block is one index range scan that reads only the index (every pre-score column is in
    it); the union is ranked in the database and only the ids of the best come back. Rows of other
    states count only where the officer may see them (:func:`_may_see`)."""
    conds = _blocks(f)
    if not conds:
        return [], 0
    params: dict[str, Any] = {
        **block_params(f), "fk": f.get("father_key"), "y": f.get("dob_year"), "sex": f.get("sex"),
        "nat": f.get("nationality"), "ms": own_state, "ex": exclude or "", "cap": PRESCORE_CAP if cap is None else cap,
        "today": today,
    }
    visible = f" AND {_may_see(reach, bans)}" if own_state is not None else ""
    arms = " UNION ALL ".join(
        f"SELECT k.identity_record_id AS rid, {_PRESCORE} AS ps FROM identity_search_keys k "
        f"WHERE {cond}{visible}" for cond in conds)
    sql = (f"SELECT rid, max(ps) AS ps, count(*) OVER () AS n FROM ({arms}) b WHERE rid <> :ex "
           "GROUP BY rid ORDER BY ps DESC, rid LIMIT :cap")
    rows = conn.execute(_statement(sql), params).fetchall()
    return [r.rid for r in rows], (int(rows[0].n) if rows else 0)


def _candidate_rows(conn: Connection, f: dict[str, Any], exclude: str | None,
                    own_state: str | None = None, cap: int | None = None, *, today: date,
                    reach: frozenset[str] = components.SEARCH_REACH, bans: bool = False) -> tuple[list[Any], int]:
    """The best candidates' rows for scoring (see :func:`_candidate_ids`) and the block size."""
    ids, blocked = _candidate_ids(conn, f, own_state, exclude, cap, today=today, reach=reach, bans=bans)
    return _rows_by_ids(conn, ids, today, index_missing_keys=False), blocked


def _score_rows(conn: Connection, own_state: str, f: dict[str, Any], rows: list[Any],
                limit: int | None, *, reach: frozenset[str] = components.SEARCH_REACH, bans: bool = False,
                today: date | None = None) -> list[dict[str, Any]]:
    """The visible rows scored against the query's features ``f``, best first (at most
    ``limit``), each with where it was found and, for a record whose Eurodac data the officer may
    see, those data's category and mark (``eurodac``)."""
    version, scorer = _scorer(conn)
    frequencies = _name_frequencies(conn, scorer, f) if rows else {}
    out = []
    for r in rows:
        component = _component(r, own_state, reach, bans, today)
        if component is None:
            continue
        other = r.features if isinstance(r.features, dict) else json.loads(r.features)
        s = scorer.score(f, other, frequencies)
        out.append(_shown_candidate(r, component, own_state, reach, today, {
            "match_probability": round(s.match_probability, 6), "match_weight": round(s.match_weight, 3),
            "explanation": s.explanation}, version))
    out.sort(key=lambda c: (-c["match_probability"], c["identity_record_id"]))
    return out if limit is None else out[:limit]


def _shown_candidate(r: Any, component: str, own_state: str, reach: frozenset[str], today: date | None,
                     score: dict[str, Any], version: int | None) -> dict[str, Any]:
    """A candidate visible through ``component`` as it is returned: its score, its identity, its
    Eurodac data within reach, its SIS alerts (what :func:`_record_disclosures` logs) and, for the
    state's own record, its person."""
    eurodac = _eurodac_of(r, own_state, reach)
    cand: dict[str, Any] = {
        "identity_record_id": r.identity_record_id,
        "member_state": r.member_state,
        "component": component,
        **score,
        "record": _identity_of(r, eurodac),
        "eurodac": eurodac,
        "model_version": version,
    }
    if r.alert_id is not None:
        cand["alert_id"] = r.alert_id
    if component == components.SIS_ENTRY_BAN or (component == components.NATIONAL and _ban_in_force(r, today)):
        cand["entry_ban"] = {"id": r.entry_ban_id, "member_state": r.member_state,
                             "starts_on": _day(r.entry_ban_starts_on), "ends_on": _day(r.entry_ban_ends_on)}
    if component == components.NATIONAL:
        cand["person_id"] = r.person_id
    return cand


#: Match probability from which another state's record found by its identity data is returned to
#: the officer, and so disclosed (:data:`pactum.identity.components.DISCLOSURE_FLOOR`).
DISCLOSURE_FLOOR = components.DISCLOSURE_FLOOR


def _returned(c: dict[str, Any], own_state: str) -> bool:
    """Whether a scored candidate is returned to the officer: the state's own records always (its
    own data); another state's only at a match probability of :data:`DISCLOSURE_FLOOR` or more,
    or when the comparison linked it (a biometric match) — a search of identity data discloses
    nothing of another state's records that do not match."""
    if c["member_state"] == own_state:
        return True
    return c["match_probability"] >= DISCLOSURE_FLOOR or bool(c.get("link"))


#: The fields of an identity search, as the read log names the criteria given (never their values).
SEARCH_CRITERIA = ("given_names", "surname", "father_name", "sex", "date_of_birth", "place_of_birth",
                   "nationality", "document_number")


def _persons_of(candidates: Sequence[dict[str, Any]], rows: Any) -> dict[str, str]:
    """The persons whose data ``candidates`` show, each with the state whose person they are (the
    read log's ``persons``), from the ``rows`` the search read: no query more. A record without a
    person is left out."""
    by_record = {r.identity_record_id: r for r in rows}
    out: dict[str, str] = {}
    for c in candidates:
        r = by_record.get(c["identity_record_id"])
        if r is not None and r.person_id is not None:
            out[r.person_id] = r.member_state
    return out


def search(services: Services, principal: Principal, query: SearchQuery, *,
           only: frozenset[str] | None = None, channel: str | None = None) -> dict[str, Any]:
    """Ranked candidates for one identity across the national records and the shared components.

    A general identity search, not a Eurodac comparison: it reaches other states' applicant
    records (:data:`~pactum.identity.components.SEARCH_REACH`), records under an SIS return alert
    and, for the roles that see them, under an entry ban. Another state's record is returned only
    from a match probability of :data:`DISCLOSURE_FLOOR`; each returned one is logged as disclosed
    (:func:`_record_disclosures`). ``below_floor`` counts the other states' records scored and not
    returned. ``only``: the components a caller shows (the returns area's alert search:
    ``{"sis_return_alert"}``); nothing else is searched, returned or logged.

    The candidates returned are a read of their persons' data, logged on ``channel`` (the page, the
    API, the command line: ``services.reads``, :data:`~pactum.services.reads.IDENTITY_SEARCH`), one
    read with a row per person shown and which query fields were given (never what was typed), in
    the search's own transaction; a search that returned nobody logs no read, and ``channel=None``
    (a service calling the search, the demo build) logs none."""
    from pactum.services import reads

    require(principal, *SEARCH_ROLES)
    ms = require_member_state(principal)
    if only is not None and not set(only) <= set(components.COMPONENT_LABELS):
        raise ValueError(f"unknown components {sorted(set(only) - set(components.COMPONENT_LABELS))}")
    bans = principal.has(*_ENTRY_BAN_ROLES) and (only is None or components.SIS_ENTRY_BAN in only)
    reach = components.SEARCH_REACH if only is None or components.EURODAC in only else frozenset()
    # the officer's state recorded the query's names: its authorities' reading applies
    f = features({**query.model_dump(), "member_state": ms})
    with services.uow() as uow:
        today = uow.now.date()
        rows, blocked = _candidate_rows(uow.conn, f, None, ms, today=today, reach=reach, bans=bans)
        scored = _score_rows(uow.conn, ms, f, rows, None, reach=reach, bans=bans, today=today)
        if only is not None:
            scored = [c for c in scored if c["component"] in only]
        returned = [c for c in scored if _returned(c, ms)]
        candidates = returned[: query.limit]
        _record_disclosures(uow, principal, candidates, purpose="identity_search")
        persons = _persons_of(candidates, rows)
        # logged with the search and committed last: a refused search logs nothing, a failed log fails it
        given = query.model_dump(include=set(SEARCH_CRITERIA))
        reads.record_list_read(uow, principal, persons, reads.IDENTITY_SEARCH, channel,
                               criteria=reads.criteria_given(**{k: "" if given[k] is None else str(given[k])
                                                                for k in SEARCH_CRITERIA}))
        uow.commit()
    version = candidates[0]["model_version"] if candidates else active_model_version(services)
    return {"candidates": candidates, "model_version": version, "blocked_rows": blocked, "scored_rows": len(rows),
            "floor": DISCLOSURE_FLOOR, "below_floor": len(scored) - len(returned), "hint": search_hint(f, blocked)}


def search_hint(f: dict[str, Any], blocked: int) -> str | None:
    """What the officer is told when the query's blocks (:func:`_blocks`) leave records of the
    name uncompared: a name without a year of birth, a full date of birth or a document number is
    compared only with records holding the same whole name, whatever the store holds of that
    surname (``{"surname": "Cisse"}`` finds none of the Cisse records with given names); and why a
    search compared no record at all. The blocking rules themselves are the design's
    (docs/identity.md, "Online search")."""
    name_only = f.get("dob_year") is None and not f.get("dob_full") and not f.get("document")
    if name_only and f.get("names_key"):
        found = "no record holds it" if not blocked else f"{counted(blocked, 'record')} {'holds' if blocked == 1 else 'hold'} it"
        return ("Without a year of birth or a document number a name is compared only with records that hold the "
                f"same whole name, all given names and the surname in any order ({found}); a surname or a given "
                "name alone finds other records only together with a year of birth (born within two years of it). "
                "Give the year or date of birth, the other names, or a document number to search wider.")
    if not blocked:
        return ("No record was compared: none that the search reaches holds the same whole name (born within two "
                "years), the same given name or surname born within two years, the same full date of birth or the "
                "same document number.")
    return None


_ENTRY_BAN_ROLES = tuple(Role(r) for r in sorted(components.ENTRY_BAN_ROLES))

#: Audit actions of a disclosure to another state's officer: a return alert (the returns area
#: reads it before a hit may be recorded), Eurodac data (Reg. (EU) 2024/1358 Art 41: records of
#: every processing operation, with its purpose), an entry-ban alert.
DISCLOSED_ALERT = "identity.search.alert_returned"
DISCLOSED_EURODAC = "identity.search.eurodac_returned"
DISCLOSED_ENTRY_BAN = "identity.search.entry_ban_returned"

#: Why a search was made, as a disclosure records it.
PURPOSES = {
    "identity_search": "identity search by an officer (names, date of birth, document)",
    "eurodac_comparison": "Eurodac comparison of a record's data, on its registration or on request",
    "record_search": "search made for one of the state's records whose data Eurodac compares with nothing",
    "biometric_search": "1:N search of a biometric template",
}


def _record_disclosures(uow: UnitOfWork, principal: Principal, candidates: list[dict[str, Any]], *,
                        purpose: str, compared_record_id: str | None = None,
                        basis: str | None = None) -> None:
    """Audit every record of another state the search returned to this officer (who and when are
    the audit entry's): its return alert (:data:`DISCLOSED_ALERT`: the lawful hit that lets the
    officer's state act on another state's alert), its Eurodac data (:data:`DISCLOSED_EURODAC`)
    and its entry-ban alert (:data:`DISCLOSED_ENTRY_BAN`), each with the record, the match and the
    search's purpose. Only candidates actually returned are passed here."""
    ms = principal.member_state
    for c in candidates:
        if c["member_state"] == ms:
            continue
        common = {"identity_record_id": c["identity_record_id"], "member_state": c["member_state"],
                  "match_probability": c.get("match_probability"), "biometric_score": c.get("biometric_score"),
                  "component": c.get("component"), "purpose": purpose}
        if compared_record_id is not None:
            common["compared_record_id"] = compared_record_id
        if basis is not None:
            common["legal_basis"] = basis
        if c.get("alert_id"):
            uow.audit(principal, DISCLOSED_ALERT, "return_alert", c["alert_id"], after=common)
        if c.get("eurodac"):
            e = c["eurodac"]
            uow.audit(principal, DISCLOSED_EURODAC, "eurodac_record", e["eurodac_record_id"],
                      after={**common, "category": e["category"], "marked_at": e["marked_at"]})
        if c.get("entry_ban"):
            uow.audit(principal, DISCLOSED_ENTRY_BAN, "entry_ban_alert", c["entry_ban"]["id"], after=common)


def alert_disclosed_to(conn: Connection, alert_id: str, authority: str) -> bool:
    """Whether an identity search ever returned this alert to an officer of ``authority`` as a
    candidate: at a match probability of :data:`DISCLOSURE_FLOOR` or more, or linked by a
    comparison (a biometric match). Candidates a search scored below the floor are not returned and
    do not count; opening a page that lists none does not either. This says that the alert was
    disclosed, not that its person is the one met: that is the link's verification."""
    return conn.execute(
        select(audit_log.c.seq).where(audit_log.c.action == DISCLOSED_ALERT,
                                      audit_log.c.entity_id == alert_id,
                                      audit_log.c.authority == authority).limit(1)
    ).first() is not None


def active_model_version(services: Services) -> int:
    with services.uow() as uow:
        return active_model(uow.conn)[0]


def _own_record(conn: Connection, principal: Principal, identity_record_id: str) -> Any:
    ms = require_member_state(principal)
    row = conn.execute(_SELECT_RECORD, {"id": identity_record_id}).first()
    if row is None or row.member_state != ms:
        raise NotFound(f"identity record {identity_record_id} not found")
    return row


def comparison_scope(conn: Connection, row: Any, today: date) -> tuple[frozenset[str], str | None, str | None]:
    """What the search made for one of a state's records reaches (:func:`pactum.identity.components.record_reach`):
    the general reach, and where the record's Eurodac data (neither erased nor past their retention
    day on ``today``) were transmitted, the categories their Eurodac comparison reaches under the
    regime of the day the record was made. Returns (reach, the record's Eurodac category or None,
    the comparison's legal basis or None)."""
    category = conn.execute(_KEPT_CATEGORY, {"id": row.id, "today": today}).scalar()
    if category is None:
        return components.SEARCH_REACH, None, None
    regime = regime_for("eurodac", row.recorded_on)
    compared = components.comparison_reach(category, regime)
    return components.SEARCH_REACH | compared, category, (components.COMPARISON_BASIS[regime] if compared else None)


def listed(candidate: dict[str, Any]) -> bool:
    """Whether the person page (after "Search for matches") and the command line's lines (``pactum
    registry register`` and ``correct``) list a record's candidate: a match probability from
    :data:`DISCLOSURE_FLOOR`, or a link (a biometric match whatever the names say). The others, the
    state's own records scored below it, are counted, not listed."""
    return candidate["match_probability"] >= DISCLOSURE_FLOOR or bool(candidate.get("link"))


def search_candidates_for_record(uow: UnitOfWork, principal: Principal, identity_record_id: str, *,
                                 via: str = "request", channel: str | None = None,
                                 listed_only: bool = False) -> list[dict[str, Any]]:
    """Candidates for a record of the principal's state (the comparison of a registration, by the
    registration page and command, or by the ``identity_comparison`` job for one made through the
    API; an officer's "Search for matches" and ``POST /api/v1/identity/records/{id}/candidates``):
    indexes the record, searches biographic and biometric evidence, creates the multiple-identity
    links the evidence warrants, and returns the candidates ranked, each with
    ``identity_record_id, member_state, component, match_probability, explanation``. The record's
    comparison (``identity_comparisons``) is marked compared, ``via`` (``registration``,
    ``scheduled`` or ``request``), with the candidates returned: what
    :func:`~pactum.services.identity.comparison.comparison_of_record` answers.

    The search reaches what a general search reaches and, for a record whose Eurodac data were
    transmitted, what Eurodac compares them with (:func:`comparison_scope`): an applicant's data
    reach other states' irregular crossings, search-and-rescue disembarkations and illegal stays
    (Reg. (EU) 2024/1358 Art 27(1); category 2 under Reg. 603/2013 Art 9(3)), the hit Dublin III
    Art 13(1) and AMMR Art 33 rest on. Another state's record is returned (and logged as disclosed)
    only from a match probability of :data:`DISCLOSURE_FLOOR` or with a link; the state's own
    records whatever their probability.

    The candidates shown to the officer are a read of their persons' data, logged on ``channel``
    (``services.reads``, :data:`~pactum.services.reads.IDENTITY_COMPARISON`, the compared record as
    its ``record_id``) in ``uow``: those returned, or with ``listed_only`` those a page or the command
    line lists (:func:`listed`). ``channel=None``, a comparison whose candidates nobody is shown
    (the scheduled job, the registration page, which shows the links on the person's page, an
    application's Eurodac record, the demo build), logs no read; nor does one that found nobody."""
    from pactum.services import reads

    require(principal, *SEARCH_ROLES)
    row = _own_record(uow.conn, principal, identity_record_id)
    ms = row.member_state
    today = uow.now.date()
    reach, _category, basis = comparison_scope(uow.conn, row, today)
    bans = principal.has(*_ENTRY_BAN_ROLES)
    f = indexed_features(uow.conn, identity_record_id)
    rows = [r for r in _candidate_rows(uow.conn, f, identity_record_id, ms, today=today, reach=reach, bans=bans)[0]
            if r.person_id != row.person_id]
    candidates = _score_rows(uow.conn, ms, f, rows, 50, reach=reach, bans=bans, today=today)
    rows_read = list(rows)
    bio = _biometric_scores_for_record(uow.conn, ms, identity_record_id, row.person_id, reach=reach,
                                       bans=bans, today=today)
    by_id = {c["identity_record_id"]: c for c in candidates}
    for rid, score in bio.items():
        if rid in by_id:
            by_id[rid]["biometric_score"] = round(score, 4)
        else:
            found = _rows_by_ids(uow.conn, [rid], today)
            rows_read += found
            extra = _score_rows(uow.conn, ms, f, found, 1, reach=reach, bans=bans, today=today)
            if extra:
                extra[0]["biometric_score"] = round(score, 4)
                candidates.append(extra[0])
                by_id[rid] = extra[0]
    # a search at a moment finds the records that existed then: a record created later (a world
    # built by replaying history, as the demo's Eurodac hits are) is no candidate and gets no link
    ids = [c["identity_record_id"] for c in candidates]
    later = set(uow.conn.execute(_CREATED_AFTER, {"ids": ids, "now": uow.now}).scalars()) if ids else set()
    candidates = [c for c in candidates if c["identity_record_id"] not in later]
    existing = _links_between(uow.conn, identity_record_id, [c["identity_record_id"] for c in candidates])
    for c in candidates:
        c.setdefault("biometric_score", None)
        c["link"] = _ensure_link(uow, principal, identity_record_id, c, f, existing.get(c["identity_record_id"]))
    # another state's record that neither matches nor was linked is not returned, nor disclosed
    candidates = [c for c in candidates if _returned(c, ms)]
    _record_disclosures(uow, principal, candidates, purpose="eurodac_comparison" if basis else "record_search",
                        compared_record_id=identity_record_id, basis=basis)
    # a biometric match above threshold outranks biographic evidence
    candidates.sort(key=_rank, reverse=True)
    comparison.record_outcome(uow, principal, row, candidates, via)
    if channel is not None:
        persons = _persons_of([c for c in candidates if listed(c)] if listed_only else candidates, rows_read)
        reads.record_list_read(uow, principal, persons, reads.IDENTITY_COMPARISON, channel,
                               record_id=identity_record_id)
    return candidates


def _rank(c: dict[str, Any]) -> tuple[bool, float, float]:
    bio = c.get("biometric_score")
    matched = bio is not None and bio >= link_rules.BIOMETRIC_MATCH
    return (matched, float(bio) if matched and bio is not None else 0.0, float(c["match_probability"]))


def _rows_by_ids(conn: Connection, ids: list[str], today: date, index_missing_keys: bool = True) -> list[Any]:
    """The rows of ``ids`` with what decides their visibility on ``today`` (``_VISIBLE_SQL``)."""
    if not ids:
        return []
    if index_missing_keys:
        have = set(conn.execute(_KEYED, {"ids": ids}).scalars())
        for rid in ids:
            if rid not in have:  # a record found by its template before it was indexed
                index_record(conn, rid)
    sql = _statement(_VISIBLE_SQL.format(where="k.identity_record_id IN :ids"), expanding="ids")
    return list(conn.execute(sql, {"ids": ids, "today": today}).fetchall())


# --- multiple-identity links ------------------------------------------------------------------------


def _identity_of(r: Any, eurodac: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a candidate or a link shows of a record's identity (Reg. (EU) 2019/818 Art 29: the
    verifying authority sees the linked data), with the Eurodac mark of a beneficiary of
    international protection (``marked_at``, Reg. (EU) 2024/1358 Art 31) where the record's
    Eurodac data are shown (``eurodac``)."""
    return {"given_names": r.given_names, "surname": r.surname, "date_of_birth": r.date_of_birth,
            "nationality": r.nationality, "sex": r.sex, "category": r.category,
            "marked_at": eurodac["marked_at"] if eurodac else None}


def _with_identities(conn: Connection, links: list[dict[str, Any]], own_state: str,
                     today: date, persons: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each link with the identities of its two records (``records.record``, the record that
    triggered the link, and ``records.linked_record``), each with its state and registration time,
    its Eurodac mark, its identity or travel document (type, number, issuing country: the data the
    verifying authority compares, Reg. (EU) 2019/818 Art 29), and for a record of ``own_state`` (the
    verifying authority's) its ``person_id``, whose page the officer may open.

    Another state's record whose data no shared component holds any longer (its Eurodac data
    erased, or past their retention day on ``today`` though the erasure job has not run yet, Reg.
    (EU) 2024/1358 Art 29, and no SIS alert) is shown by its state only, with ``withheld`` true:
    the link does not keep disclosing what Eurodac erased. ``persons``, when given, receives the
    persons whose identities are shown (not withheld), each with its state, for the read log."""
    ids = sorted({x for link in links for x in (link["record_id"], link["linked_record_id"])})
    rows = {r.id: r for r in conn.execute(select(identity_records).where(identity_records.c.id.in_(ids)))} if ids else {}
    shared = {r.identity_record_id: r for r in _rows_by_ids(conn, ids, today, index_missing_keys=False)} if ids else {}

    def one(rid: str) -> dict[str, Any] | None:
        r = rows.get(rid)
        if r is None:
            return None
        s = shared.get(rid)
        own = r.member_state == own_state
        if not own and (s is None or (s.eurodac_id is None and s.alert_id is None and not _ban_in_force(s, today))):
            return {"given_names": None, "surname": None, "date_of_birth": None, "nationality": None, "sex": None,
                    "category": None, "marked_at": None, "member_state": r.member_state, "father_name": None,
                    "place_of_birth": None, "registered_at": None, "person_id": None, "document_type": None,
                    "document_number": None, "document_country": None, "withheld": True}
        eurodac = _eurodac_of(s, own_state, components.STORED_CATEGORIES) if s is not None else None
        if persons is not None and r.person_id is not None:
            persons[r.person_id] = r.member_state
        return {**_identity_of(r, eurodac), "member_state": r.member_state, "father_name": r.father_name,
                "place_of_birth": r.place_of_birth,
                "registered_at": r.created_at.isoformat() if r.created_at else None,
                "person_id": r.person_id if own else None, "document_type": r.document_type,
                "document_number": r.document_number, "document_country": r.document_country,
                "withheld": False}

    return [{**link, "records": {"record": one(link["record_id"]), "linked_record": one(link["linked_record_id"])}}
            for link in links]


def _link_public(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "record_id": row.record_id, "linked_record_id": row.linked_record_id,
        "colour": row.colour, "status": row.status, "verifying_authority": row.verifying_authority,
        "match_probability": row.match_probability, "biometric_score": row.biometric_score,
        "basis": row.basis, "created_at": row.created_at.isoformat() if row.created_at else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "decided_by": row.decided_by, "decision_reason": row.decision_reason, "version": row.version,
    }


def _links_between(conn: Connection, record_id: str, others: list[str]) -> dict[str, Any]:
    """The links that already join ``record_id`` to each of ``others``, in either direction, by the
    other record (one query for a search's candidates, not one per candidate)."""
    if not others:
        return {}
    rows = conn.execute(_LINKS_BETWEEN, {"id": record_id, "others": others}).fetchall()
    found: dict[str, Any] = {}
    for row in rows:
        found.setdefault(row.linked_record_id if row.record_id == record_id else row.record_id, row)
    return found


def _ensure_link(uow: UnitOfWork, principal: Principal, record_id: str, cand: dict[str, Any],
                 f: dict[str, Any], existing: Any | None) -> dict[str, Any] | None:
    """The link between ``record_id`` and the candidate: ``existing`` (found by
    :func:`_links_between`) as it is, or a new one when the evidence warrants it."""
    other = cand["identity_record_id"]
    conn = uow.conn
    if existing is not None:
        return {"id": existing.id, "colour": existing.colour, "status": existing.status}
    same_doc = bool(f.get("document")) and cand["explanation"].get("document", {}).get("level") == "same number"
    colour = link_rules.link_colour(cand["match_probability"], cand.get("biometric_score"), same_doc)
    if colour is None:
        return None
    link_id = new_id("IDL")
    basis = {"explanation": cand["explanation"], "component": cand["component"],
             "model_version": cand.get("model_version"), "match_weight": cand.get("match_weight"),
             "rule": "Reg. (EU) 2019/818, Article 33" if colour == link_rules.WHITE else "Reg. (EU) 2019/818, Article 30"}
    values = dict(
        id=link_id, record_id=record_id, linked_record_id=other, colour=colour,
        status="automatic" if colour == link_rules.WHITE else "pending",
        verifying_authority=principal.authority, match_probability=cand["match_probability"],
        biometric_score=cand.get("biometric_score"), basis=basis, created_at=uow.now, version=1,
    )
    conn.execute(_INSERT_LINK, values)
    uow.audit(principal, "identity.link.create", "identity_link", link_id,
              after={"colour": colour, "record_id": record_id, "linked_record_id": other})
    return {"id": link_id, "colour": colour, "status": values["status"]}


def links_of_person(services: Services, principal: Principal, person_id: str, *,
                    channel: str | None = None) -> list[dict[str, Any]]:
    """The multiple-identity links of every record of a person of the principal's state, as they
    stand (nothing is searched or linked; the person page's "Search for matches" runs
    :func:`search_candidates_for_record`). The persons whose identities it shows (the other records
    not withheld) are logged as read on ``channel`` (``services.reads``, ``person_links``; None, the
    default: an internal read, not logged; nothing is logged when no identity is shown). Each link with its decision (colour, status,
    verifying authority, who decided, when and why: Reg. (EU) 2019/818 Arts 26 and 34, the
    authority whose record is linked reads the link), ``own_queue`` when the principal's authority
    verifies it (only then does its page open), the person's record it joins (``record``) and the
    other record (``other``).

    The other record's identity is shown where the search made for the person's record would
    return it today (:func:`_component` with the record's comparison reach): the state's own
    records; another state's whose Eurodac data the comparison reaches, neither erased nor past
    their retention day (Reg. (EU) 2024/1358 Art 29), or under an SIS alert. Otherwise only its
    state is shown (``withheld``, with ``why``: ``erased`` or ``out_of_reach``)."""
    from pactum.services import reads

    require(principal, *SEARCH_ROLES)
    ms = require_member_state(principal)
    bans = principal.has(*_ENTRY_BAN_ROLES)
    with services.uow() as uow:
        conn, today = uow.conn, uow.now.date()
        own = {r.id: r for r in conn.execute(select(identity_records).where(
            identity_records.c.person_id == person_id, identity_records.c.member_state == ms))}
        if not own:
            raise NotFound(f"no person {shortened(person_id)} registered in {ms}")
        links = identity_links.c
        rows = conn.execute(select(identity_links).where(
            links.record_id.in_(list(own)) | links.linked_record_id.in_(list(own)))
            .order_by(links.created_at, links.id)).fetchall()
        if not rows:
            return []
        others = {(r.linked_record_id if r.record_id in own else r.record_id) for r in rows}
        other_rows = {r.id: r for r in conn.execute(select(identity_records).where(identity_records.c.id.in_(others)))}
        shared = {r.identity_record_id: r for r in _rows_by_ids(conn, sorted(others), today, index_missing_keys=False)}
        reaches = {rid: comparison_scope(conn, r, today)[0] for rid, r in own.items()}
        out = []
        seen: dict[str, str] = {}  # the persons whose identities are shown, with their states
        for link in rows:
            mine = link.record_id if link.record_id in own else link.linked_record_id
            other = link.linked_record_id if mine == link.record_id else link.record_id
            o, s = other_rows.get(other), shared.get(other)
            if o is None:
                continue
            shown = o.member_state == ms or (s is not None and _component(s, ms, reaches[mine], bans, today) is not None)
            eurodac = _eurodac_of(s, ms, reaches[mine]) if (shown and s is not None) else None
            identity: dict[str, Any] = {"identity_record_id": other, "member_state": o.member_state, "withheld": not shown}
            if shown:
                identity.update(_identity_of(o, eurodac), recorded_on=o.recorded_on.isoformat(),
                                person_id=o.person_id if o.member_state == ms else None)
                seen[o.person_id] = o.member_state
            else:
                identity["why"] = "erased" if (s is None or (s.erased and s.eurodac_id is None)) else "out_of_reach"
            r = own[mine]
            out.append({**_link_public(link), "own_queue": link.verifying_authority == principal.authority,
                        "record": {"identity_record_id": mine, "recorded_on": r.recorded_on.isoformat(),
                                   "category": r.category},
                        "other": identity})
        # logged with the read and committed last: a refused read logs nothing, a failed log fails it
        if reads.record_list_read(uow, principal, seen, reads.PERSON_LINKS, channel):
            uow.commit()
        return out


def verification_queue(services: Services, principal: Principal, *,
                       channel: str | None = None) -> list[dict[str, Any]]:
    """Pending yellow links that the principal's authority must verify (Art 29), oldest first; the
    local operator verifies none (:func:`~pactum.services.auth.refuse_local_operator`). Each link
    names the other links of the queue between the same two persons (``same_persons``: a person
    has a record per encounter and per application, so one pair of persons may wait as up to four
    links), which one decision may settle together (``decide_link``'s ``apply_to_person_pair``).

    The queue shows both identities of each link: a read of their persons' data, logged on
    ``channel`` (``services.reads``, :data:`~pactum.services.reads.VERIFICATION_QUEUE`), one read
    with a row per person whose identity it shows (another state's record shown by its state only
    is not), in the queue's own transaction; an empty queue logs nothing, nor does ``channel=None``."""
    from pactum.services import reads

    require(principal, *VERIFY_ROLES)
    refuse_local_operator(principal)
    with services.uow() as uow:
        rows = uow.conn.execute(
            select(identity_links).where(identity_links.c.status == "pending",
                                         identity_links.c.verifying_authority == principal.authority)
            .order_by(identity_links.c.created_at, identity_links.c.id)
        ).fetchall()
        pairs = _person_pairs(uow.conn, rows)
        persons: dict[str, str] = {}
        out = _with_identities(uow.conn, [_link_public(r) for r in rows], principal.authority, uow.now.date(),
                               persons)
        # logged with the read and committed last: a refused read logs nothing, a failed log fails it
        if reads.record_list_read(uow, principal, persons, reads.VERIFICATION_QUEUE, channel):
            uow.commit()
    for link in out:
        pair = pairs.get(link["id"])
        link["same_persons"] = [o["id"] for o in out if o["id"] != link["id"] and pair is not None
                                and pairs.get(o["id"]) == pair]
    return out


def _person_pairs(conn: Connection, rows: Sequence[Any]) -> dict[str, frozenset[str]]:
    """The two persons each link joins, by link id (a link between two records of one person, or
    of a record without a person, is left out)."""
    ids = sorted({x for r in rows for x in (r.record_id, r.linked_record_id)})
    persons = dict(conn.execute(select(identity_records.c.id, identity_records.c.person_id)
                                .where(identity_records.c.id.in_(ids))).all()) if ids else {}
    out = {}
    for r in rows:
        left, right = persons.get(r.record_id), persons.get(r.linked_record_id)
        if left is not None and right is not None and left != right:
            out[r.id] = frozenset((left, right))
    return out


#: What each colour says of the two persons a link joins, for :func:`linked_persons`: ``same``
#: (white, red: decided), ``possible`` (yellow: to be verified).
_RELATION = {link_rules.WHITE: "same", link_rules.RED: "same", link_rules.YELLOW: "possible"}


def linked_persons(conn: Connection, member_state: str, person_id: str) -> list[dict[str, Any]]:
    """The other persons of ``member_state`` whose records a yellow, white or red link joins to a
    record of ``person_id`` (read only, inside the caller's connection): the areas that must not
    let one person's two records carry two parallel cases read it (an asylum application made for
    a person whose linked record already has one).

    Per other person: ``relation`` ``same`` when a white or red link (decided, or white made
    automatically) says the two are one person, else ``possible`` (a yellow link awaits
    verification); ``link`` the link that says it (the first of the strongest, with its colour,
    status and verifying authority); ``links`` how many links join the two. A pair of persons a
    decided green link says are two is left out, whatever yellow links between them still wait."""
    ms = member_state
    own = list(conn.execute(select(identity_records.c.id).where(
        identity_records.c.person_id == person_id, identity_records.c.member_state == ms)).scalars())
    if not own:
        return []
    links = identity_links.c
    rows = conn.execute(select(identity_links).where(links.record_id.in_(own) | links.linked_record_id.in_(own))
                        .order_by(links.created_at, links.id)).fetchall()
    others = {(r.linked_record_id if r.record_id in own else r.record_id) for r in rows}
    persons = dict(conn.execute(select(identity_records.c.id, identity_records.c.person_id).where(
        identity_records.c.id.in_(sorted(others)), identity_records.c.member_state == ms,
        identity_records.c.person_id != person_id)).all()) if others else {}
    by_person: dict[str, list[Any]] = {}
    for r in rows:
        other = persons.get(r.linked_record_id if r.record_id in own else r.record_id)
        if other is not None:
            by_person.setdefault(other, []).append(r)
    out = []
    for other, found in by_person.items():
        meanings = {_meaning(r) for r in found if _decided(r)}
        if "same" in meanings:
            strongest = [r for r in found if _decided(r) and _meaning(r) == "same"]
        elif meanings:  # decided different persons (green)
            continue
        else:
            strongest = [r for r in found if r.colour == link_rules.YELLOW and r.status == "pending"]
        if not strongest:
            continue
        first = strongest[0]
        out.append({"person_id": other, "relation": _RELATION[first.colour],
                    "link": {"id": first.id, "colour": first.colour, "status": first.status,
                             "verifying_authority": first.verifying_authority},
                    "links": len(found)})
    return out


def get_link(services: Services, principal: Principal, link_id: str, *, channel: str = "web") -> dict[str, Any]:
    """One link the principal's authority verifies, with its two identities, the other links
    between the same two persons (``siblings``, :func:`_sibling_links`) and the decisions taken on
    it (``history``: each verification and revision, who, when, why). The read is logged
    (``services.reads``, on ``channel``): the persons of the records whose identity it shows (a
    record another state's data no longer disclose is shown by its state only, and not logged)."""
    from pactum.services import reads

    require(principal, *VERIFY_ROLES)
    with services.uow() as uow:
        row = uow.conn.execute(select(identity_links).where(identity_links.c.id == link_id)).first()
        if row is None or row.verifying_authority != principal.authority:
            raise NotFound(f"link {link_id} not found")
        link = _link_with_context(uow.conn, row, principal, uow.now.date())
        shown = [rid for rid, key in ((row.record_id, "record"), (row.linked_record_id, "linked_record"))
                 if link["records"][key] is not None and not link["records"][key]["withheld"]]
        persons = {r.person_id: r.member_state for r in uow.conn.execute(
            select(identity_records.c.person_id, identity_records.c.member_state)
            .where(identity_records.c.id.in_(shown)))} if shown else {}
        # logged with the read and committed last: a refused read logs nothing, a failed log fails it
        reads.record_read(uow.conn, principal, persons, reads.IDENTITY_LINK, channel, at=uow.now, record_id=link_id)
        uow.commit()
        return link


def _link_with_context(conn: Connection, row: Any, principal: Principal, today: date) -> dict[str, Any]:
    out = _with_identities(conn, [_link_public(row)], principal.authority, today)[0]
    out["siblings"] = [{**_link_public(s), "own_queue": s.verifying_authority == principal.authority,
                        "meaning": _meaning(s)} for s in _sibling_links(conn, row)]
    out["history"] = [
        {"at": as_utc(h.at).isoformat(), "by": h.actor, "authority": h.authority,
         "action": "revised" if h.action == LINK_REVISED else "verified",
         "colour_before": (h.before or {}).get("colour"), "colour": (h.after or {}).get("colour"),
         "reason": (h.after or {}).get("reason"), "with_link": (h.after or {}).get("with_link")}
        for h in conn.execute(select(audit_log.c.at, audit_log.c.actor, audit_log.c.authority, audit_log.c.action,
                                     audit_log.c.before, audit_log.c.after)
                              .where(audit_log.c.entity_type == "identity_link", audit_log.c.entity_id == row.id,
                                     audit_log.c.action.in_([LINK_VERIFIED, LINK_REVISED]))
                              .order_by(audit_log.c.seq))]
    # a record corrected after the link was made: the link's evidence compared the data as they were
    # (the identities above are the records as they are now)
    from pactum.services import record_corrections

    hidden = [rid for rid, key in ((row.record_id, "record"), (row.linked_record_id, "linked_record"))
              if out["records"][key] is None or out["records"][key]["withheld"]]
    out["corrections"] = record_corrections.corrections_since(
        conn, [_link_public(row)], principal.authority, hidden).get(row.id, [])
    out["revisable"] = _revisable(row)
    return out


#: Audit actions of a link's decision: its first verification, and a revision of a decision
#: (Reg. (EU) 2019/817 and 2019/818, Arts 31(5) and 33(5): an authority with evidence that a green
#: or white link was incorrectly recorded rectifies it).
LINK_VERIFIED = "identity.link.verify"
LINK_REVISED = "identity.link.revise"


def _meaning(row: Any) -> str | None:
    """What a link says of its two records' persons: ``same`` (white, red), ``different`` (green),
    or None while it awaits verification (yellow)."""
    label = link_rules.label_of(row.colour)
    return None if label is None else ("same" if label else "different")


def _decided(row: Any) -> bool:
    """A link that states a decision: verified by an officer, or white made automatically."""
    return row.status in ("verified", "automatic") and row.colour in link_rules.DECISIONS


def _revisable(row: Any) -> bool:
    """Whether the verifying authority may revise the link's decision: a verified link, or a white
    link made automatically (Arts 31(5) and 33(5): a green or white link incorrectly recorded is
    rectified by the authority that has the evidence)."""
    return _decided(row)


def _sibling_links(conn: Connection, row: Any) -> list[Any]:
    """The other links between the two persons a link joins (a person has a record per encounter
    and per application, and each pair of their records may carry a link of its own), whichever
    authority verifies them, oldest first."""
    persons = dict(conn.execute(select(identity_records.c.id, identity_records.c.person_id)
                                .where(identity_records.c.id.in_([row.record_id, row.linked_record_id]))).all())
    left, right = persons.get(row.record_id), persons.get(row.linked_record_id)
    if left is None or right is None or left == right:
        return []
    records = dict(conn.execute(select(identity_records.c.id, identity_records.c.person_id)
                                .where(identity_records.c.person_id.in_([left, right]))).all())
    lefts = [r for r, p in records.items() if p == left]
    rights = [r for r, p in records.items() if p == right]
    links = identity_links.c
    return list(conn.execute(select(identity_links).where(
        links.id != row.id,
        ((links.record_id.in_(lefts) & links.linked_record_id.in_(rights))
         | (links.record_id.in_(rights) & links.linked_record_id.in_(lefts)))
    ).order_by(links.created_at, links.id)).fetchall())


_MEANING_WORDS = {"same": "the same person", "different": "different persons"}


def _said_by(s: Any) -> str:
    """How a link's decision is named in a refusal or a warning: its colour, who decided, when."""
    if s.status == "automatic":
        return (f"link {s.id} between the same two persons is {s.colour} ({_MEANING_WORDS[_meaning(s) or 'same']}), "
                f"made automatically by {s.verifying_authority}'s comparison on {stored_day(s.created_at, s.verifying_authority).isoformat()}")
    reason = f": \u201c{shortened(s.decision_reason, 80)}\u201d" if s.decision_reason else ""
    on = f" on {stored_day(s.decided_at, s.verifying_authority).isoformat()}" if s.decided_at else ""
    return (f"link {s.id} between the same two persons was verified {s.colour} "
            f"({_MEANING_WORDS[_meaning(s) or 'same']}) by {s.verifying_authority}"
            f"{f' ({s.decided_by})' if s.decided_by else ''}{on}{reason}")


class LinkDecisionRequest(LinkDecision):
    """A decision on a link as the API and the CLI take it: the decision, and whether it also
    settles the other links between the same two persons that wait for the officer's authority."""

    apply_to_person_pair: bool = Field(
        False, description="Also decide, with the same colour and reason, the other pending links between the same "
                           "two persons that your authority verifies (one person has a record per encounter and per "
                           "application, and each pair of records may carry a link)")


def decide_link(services: Services, principal: Principal, link_id: str, decision: LinkDecision, *,
                apply_to_person_pair: bool = False) -> dict[str, Any]:
    """The verifying officer turns a yellow link white, green or red, or revises a decision of
    their authority; audited; the decision becomes a label.

    * **Verification** of a pending yellow link (Reg. (EU) 2019/818 Arts 29-32).
    * **Revision** of a verified link, or of a white link made automatically, by its verifying
      authority, with a reason (Arts 31(5) and 33(5): an authority with evidence that a link was
      incorrectly recorded rectifies it). Audited as :data:`LINK_REVISED` with the decision it
      replaces; the link's colour changes, its earlier decision stays in the audit log.

    One pair of persons, one answer: white and red say the two persons are one, green that they
    are two, whichever of their records a link joins. A verification that contradicts a decided
    link between the same two persons (:func:`_sibling_links`) is refused (409, naming it): the
    officer revises that decision first, or asks the authority that took it. A revision carries
    the correction to the authority's own decided links between the same two persons that say
    otherwise (the same decision, taken again on each pair of records); a decided link of another
    authority that the revision now contradicts is not that authority's to lose, and is named in
    ``other_authorities_to_inform`` (Arts 31(5), 33(5): the authority that rectifies a link
    informs the one responsible for its verification). A stale ``version`` is refused (409).

    ``apply_to_person_pair``: the same decision is also taken on each other pending yellow link
    between the same two persons that the officer's authority verifies, in the same unit of work,
    each audited (:data:`LINK_VERIFIED`, ``with_link`` naming this link) and each a label as a
    single decision is (:func:`verified_labels`); their ids are ``also_decided``."""
    require(principal, *VERIFY_ROLES)
    with services.uow() as uow:
        conn = uow.conn
        row = conn.execute(select(identity_links).where(identity_links.c.id == link_id)).first()
        if row is None or row.verifying_authority != principal.authority:
            raise NotFound(f"link {link_id} not found")
        if decision.version != row.version:
            raise Conflict(f"link {link_id} was changed by someone else (version {row.version}, you decided on "
                           f"version {decision.version}): it is now {row.colour} ({row.status}); reload it and decide again")
        revision = _revisable(row)
        if not revision and (row.status != "pending" or row.colour != link_rules.YELLOW):
            raise Conflict(f"link {link_id} is {row.colour} ({row.status}); only a pending yellow link is verified")
        if revision and decision.colour == row.colour:
            raise Conflict(f"link {link_id} is already {row.colour}: a revision changes the decision "
                           "(choose another colour, or leave the link as it is)")
        meaning = "same" if link_rules.label_of(decision.colour) else "different"
        against = [s for s in _sibling_links(conn, row) if _decided(s) and _meaning(s) != meaning]
        own = [s for s in against if s.verifying_authority == principal.authority]
        others = [s for s in against if s.verifying_authority != principal.authority]
        if not revision and against:
            first = (own or others)[0]
            how = (f"if that decision is wrong, revise link {first.id} first" if first.verifying_authority == principal.authority
                   else f"if it is wrong, ask {first.verifying_authority} to revise it")
            raise Conflict(f"link {link_id} cannot be verified {decision.colour} "
                           f"({_MEANING_WORDS[meaning]}): {_said_by(first)}; {how}")
        action = LINK_REVISED if revision else LINK_VERIFIED
        values = {"colour": decision.colour, "status": "verified", "decided_at": uow.now,
                  "decided_by": principal.username, "decision_reason": decision.reason}
        update_versioned(conn, identity_links, link_id, decision.version, values)
        uow.audit(principal, action, "identity_link", link_id,
                  before=_decision_of(row),
                  after={"colour": decision.colour, "status": "verified", "reason": decision.reason,
                         **({"also_revised": [s.id for s in own]} if revision and own else {})})
        for s in own if revision else []:
            update_versioned(conn, identity_links, s.id, s.version, values)
            uow.audit(principal, LINK_REVISED, "identity_link", s.id, before=_decision_of(s),
                      after={"colour": decision.colour, "status": "verified", "reason": decision.reason,
                             "with_link": link_id})
        pending = [s for s in _sibling_links(conn, row) if s.verifying_authority == principal.authority
                   and s.status == "pending" and s.colour == link_rules.YELLOW] if apply_to_person_pair else []
        for s in pending:
            update_versioned(conn, identity_links, s.id, s.version, values)
            uow.audit(principal, LINK_VERIFIED, "identity_link", s.id, before=_decision_of(s),
                      after={"colour": decision.colour, "status": "verified", "reason": decision.reason,
                             "with_link": link_id})
        new = conn.execute(select(identity_links).where(identity_links.c.id == link_id)).one()
        uow.flush_audit()
        out = _link_with_context(conn, new, principal, uow.now.date())
        out["revised"] = revision
        out["also_revised"] = [s.id for s in own] if revision else []
        out["also_decided"] = [s.id for s in pending]
        out["other_authorities_to_inform"] = [
            {"link_id": s.id, "verifying_authority": s.verifying_authority, "colour": s.colour, "status": s.status}
            for s in others] if revision else []
        uow.commit()
        return out


def _decision_of(row: Any) -> dict[str, Any]:
    """A link's decision as an audit entry keeps what a revision replaced."""
    return {"colour": row.colour, "status": row.status, "decided_by": row.decided_by,
            "decided_at": as_utc(row.decided_at).isoformat() if row.decided_at else None,
            "reason": row.decision_reason}


def verified_labels(conn: Connection) -> list[dict[str, Any]]:
    """Officers' decisions as pairwise training labels (white/red: same person; green: different)."""
    rows = conn.execute(select(identity_links.c.record_id, identity_links.c.linked_record_id,
                               identity_links.c.colour).where(identity_links.c.status == "verified")).fetchall()
    out = []
    for r in rows:
        label = link_rules.label_of(r.colour)
        if label is not None:
            out.append({"unique_id_l": r.record_id, "unique_id_r": r.linked_record_id,
                        "clerical_match_score": float(label)})
    return out


def verification_outcomes(services: Services, principal: Principal, authority: str | None = None,
                          model_version: int | None = None) -> dict[str, Any]:
    """The officers' decisions on yellow links by the probability the model gave them
    (:mod:`pactum.identity.outcomes`): the model's accuracy on the store's own records. Counts
    only, no personal data; ``authority`` keeps one verifying authority's decisions,
    ``model_version`` the links scored by one model version (``by_model_version`` says how many
    decisions each version has, so that a retrained model can be compared with the one before)."""
    require(principal, *MODEL_ROLES, *SEARCH_ROLES)
    if authority is not None:
        try:
            authority = states.member_state(authority)
        except ValueError as exc:
            raise ValidationProblem.one("authority", str(exc)) from exc
    if model_version is not None and model_version < 0:
        raise ValidationProblem.one("model_version", "a model version is 0 (the shipped model) or more")
    cond = [] if authority is None else [identity_links.c.verifying_authority == authority]
    with services.uow() as uow:
        # the version of the model that scored the link, from its basis (older links have none)
        version_of = identity_links.c.basis["model_version"].as_integer()
        rows = uow.conn.execute(select(identity_links.c.match_probability, identity_links.c.biometric_score,
                                       identity_links.c.colour, version_of.label("model_version"))
                                .where(identity_links.c.status == "verified", *cond)).fetchall()
        counts: dict[str, int] = dict(uow.conn.execute(select(identity_links.c.status, func.count())
                                       .where(*cond).group_by(identity_links.c.status)).all())
    versions: dict[str, int] = {}
    decided = []
    for r in rows:
        v = r.model_version
        key = "unknown" if v is None else str(v)
        versions[key] = versions.get(key, 0) + 1
        if model_version is None or v == model_version:
            decided.append(outcomes.Decided(r.match_probability, r.biometric_score, r.colour))
    return {"authority": authority, "model_version": model_version,
            "verified": len(decided),
            "pending": int(counts.get("pending", 0)), "automatic": int(counts.get("automatic", 0)),
            "by_model_version": dict(sorted(versions.items(),  # 0, 1, ..., 10, then "unknown"
                                            key=lambda kv: (not kv[0].isdigit(), int(kv[0]) if kv[0].isdigit() else 0))),
            "rows": [row.as_dict() for row in outcomes.summarise(decided)]}


@indicator("identity_links_pending", label="Multiple-identity links awaiting manual verification", area="identity",
           whose="links {state} must verify")
def pending_links_indicator(conn: Connection, as_of: Any, member_state: str | None) -> dict[str, int]:
    """Pending links by the authority that must verify them (Reg. 2019/818 Art 29). A state's:
    the links its own authority must verify (``{state: n}``); links awaiting an EU body are no
    state's."""
    q = (select(identity_links.c.verifying_authority, func.count())
         .where(identity_links.c.status == "pending").group_by(identity_links.c.verifying_authority))
    if member_state is not None:
        q = q.where(identity_links.c.verifying_authority == member_state)
    return {str(a): int(n) for a, n in conn.execute(q)}


# --- biometric templates ---------------------------------------------------------------------------



def _bio_index(conn: Connection) -> biometric_index.BiometricIndex:
    return biometric_index.for_store(conn)


@job("identity_biometric_index")
def identity_biometric_index_job(services: Services, now: Any) -> str:
    """Save the biometric 1:N index beside the store, so that a restart loads it instead of
    rebuilding it."""
    with services.engine.connect() as conn:
        idx = _bio_index(conn)
        if not idx.dirty:
            return f"biometric index unchanged ({len(idx)} templates, {idx.origin})"
        saved = idx.save(conn)
    return f"biometric index of {len(idx)} templates " + ("saved" if saved else "kept in memory (no file store)")


_MAX_TEMPLATE_KEY = select(func.coalesce(func.max(biometric_templates.c.index_key), 0))
_INSERT_TEMPLATE = insert(biometric_templates)
_SET_TEMPLATE_REF = text("UPDATE biometric_captures SET template_ref = :t WHERE identity_record_id = :r")


def enrol_template(services: Services, principal: Principal, body: TemplateEnrol) -> dict[str, Any]:
    """Store a template for one of the principal's own records and add it to the 1:N index; the
    template id is written to the record's ``biometric_captures.template_ref``."""
    require(principal, Role.caseworker, Role.admin)
    try:
        vec = as_template(body.vector)
    except ValueError as exc:
        raise ValidationProblem.one("vector", str(exc)) from exc
    with services.uow() as uow:
        _own_record(uow.conn, principal, body.identity_record_id)
        idx = _bio_index(uow.conn)  # opened before the insert: the new template is added after commit
        template_id = new_id("BT")
        next_key = int(uow.conn.execute(_MAX_TEMPLATE_KEY).scalar_one()) + 1
        uow.conn.execute(_INSERT_TEMPLATE, dict(
            id=template_id, identity_record_id=body.identity_record_id, member_state=principal.member_state,
            dimensions=vec.shape[0], vector=vec.tobytes(), index_key=next_key, created_at=uow.now))
        uow.conn.execute(_SET_TEMPLATE_REF, {"t": template_id, "r": body.identity_record_id})
        uow.audit(principal, "identity.template.enrol", "identity_record", body.identity_record_id,
                  after={"template_id": template_id})
        uow.commit()
    idx.add(next_key, vec)
    return {"template_id": template_id, "identity_record_id": body.identity_record_id}


def search_biometric(services: Services, principal: Principal, body: BiometricQuery) -> list[dict[str, Any]]:
    """1:N search of one template; results limited to what the principal may see, as a general
    search (:func:`search`): the state's own records at any score; another state's record only on
    a biometric match (cosine of :data:`~pactum.identity.links.BIOMETRIC_MATCH` or more), each such
    disclosure logged. A record whose Eurodac data were erased is not returned (its biometric data
    went with them)."""
    require(principal, *SEARCH_ROLES)
    ms = require_member_state(principal)
    bans = principal.has(*_ENTRY_BAN_ROLES)
    try:
        vec = as_template(body.vector)
    except ValueError as exc:
        raise ValidationProblem.one("vector", str(exc)) from exc
    with services.uow() as uow:
        today = uow.now.date()
        hits = _bio_index(uow.conn).search(uow.conn, vec, body.k * 4)
        rows = {r.identity_record_id: r for r in _rows_by_ids(uow.conn, [h[0] for h in hits], today)}
        out, disclosed = [], []
        for rid, score in hits:
            r = rows.get(rid)
            if r is None or _biometrics_erased(r):
                continue
            component = _component(r, ms, components.SEARCH_REACH, bans, today)
            match = score >= link_rules.BIOMETRIC_MATCH
            if component is None or (r.member_state != ms and not match):
                continue
            item: dict[str, Any] = {"identity_record_id": rid, "member_state": r.member_state, "component": component,
                                    "score": round(score, 4), "match": match}
            if r.alert_id is not None:
                item["alert_id"] = r.alert_id
            out.append(item)
            disclosed.append({**item, "biometric_score": item["score"],
                              "eurodac": _eurodac_of(r, ms, components.SEARCH_REACH),
                              "entry_ban": ({"id": r.entry_ban_id} if component == components.SIS_ENTRY_BAN
                                            else None)})
            if len(out) == body.k:
                break
        _record_disclosures(uow, principal, disclosed, purpose="biometric_search")
        uow.commit()
        return out


def _biometrics_erased(row: Any) -> bool:
    """Whether the record's biometric data went with its erased Eurodac data: Eurodac data of the
    record were erased and none remain (the store may still hold its template)."""
    return bool(row.erased) and row.eurodac_id is None


def _biometric_scores_for_record(conn: Connection, ms: str, record_id: str, person_id: str, *,
                                 today: date, reach: frozenset[str] = components.SEARCH_REACH,
                                 bans: bool = False) -> dict[str, float]:
    vecs = conn.execute(_RECORD_TEMPLATES, {"id": record_id}).fetchall()
    if not vecs or any(_biometrics_erased(r) for r in _rows_by_ids(conn, [record_id], today)):
        return {}  # the record's own biometric data went with its Eurodac data (or their retention ended)
    idx = _bio_index(conn)
    best: dict[str, float] = {}
    for (raw,) in vecs:
        for rid, score in idx.search(conn, np.frombuffer(raw, dtype=np.float32), 20):
            if rid != record_id and score >= link_rules.BIOMETRIC_MATCH:
                best[rid] = max(score, best.get(rid, 0.0))
    if not best:
        return {}
    visible = {r.identity_record_id for r in _rows_by_ids(conn, list(best), today)
               if _component(r, ms, reach, bans, today) is not None and r.person_id != person_id
               and not _biometrics_erased(r)}
    return {k: v for k, v in best.items() if k in visible}


def forget_eurodac_data(conn: Connection, identity_record_id: str) -> int:
    """What the identity area holds of a record's Eurodac data, forgotten when they are erased at
    the end of their retention period (Reg. (EU) 2024/1358 Art 29; GDPR Art 5(1)(e)), inside the
    caller's transaction (the registry's ``apply_retention`` calls it for each erased record):

    * its biometric templates are deleted; the 1:N index maps every hit through the table, so a
      deleted template is never returned again and the index drops it at its next save;
    * its search keys are recomputed, so that other states' searches no longer reach it
      (:func:`shared_category`: none once no Eurodac data of the record remain).

    The record stays the state's own national record. Returns how many templates were deleted."""
    result = conn.execute(delete(biometric_templates).where(
        biometric_templates.c.identity_record_id == identity_record_id))
    conn.execute(identity_search_keys.update().where(identity_search_keys.c.identity_record_id == identity_record_id)
                 .values(category=shared_category(conn, identity_record_id)))
    return int(result.rowcount or 0)


# --- model artefacts -------------------------------------------------------------------------------


def prior_summary(model: dict[str, Any], store_records: int) -> dict[str, Any]:
    """Where a model's every score starts before the evidence: its prior (the probability that two
    records are one person) as trained, and as it scores this store (scaled to the store's size,
    :func:`pactum.identity.links.prior_for`), with that prior's match weight (log2 of its odds)."""
    trained = float(model.get("probability_two_random_records_match", 1e-4))
    store = link_rules.prior_for(model, max(store_records, 2))
    return {"probability": trained, "trained_records": (model.get("pactum") or {}).get("trained_records"),
            "store_records": store_records, "store_probability": store,
            "store_weight": round(math.log2(store / (1 - store)), 3)}


def list_models(services: Services, principal: Principal) -> list[dict[str, Any]]:
    require(principal, *MODEL_ROLES, *SEARCH_ROLES)
    from pactum.services.identity.linkage import match_weights

    with services.uow() as uow:
        rows = uow.conn.execute(select(identity_models).order_by(identity_models.c.version.desc())).fetchall()
        records = int(uow.conn.execute(select(func.count()).select_from(identity_records)).scalar() or 0)
        out = [{"version": r.version, "design_version": r.design_version, "trained_on": r.trained_on,
                "labelled_pairs": r.labelled_pairs, "prior": prior_summary(r.model, records),
                # a model of an earlier design stays listed but is not used (_active_of_this_design)
                "active": bool(r.active) and r.design_version == design.DESIGN_VERSION,
                "superseded_design": r.design_version != design.DESIGN_VERSION, "metrics": r.metrics,
                "created_at": r.created_at.isoformat(), "match_weights": match_weights(r.model)} for r in rows]
    if not any(m["active"] for m in out):
        model = default_model()
        out.append({"version": 0, "design_version": model.get("pactum", {}).get("design_version"),
                    "trained_on": model.get("pactum", {}).get("trained_on", "shipped model"), "labelled_pairs": 0,
                    "prior": prior_summary(model, records),
                    "active": True, "superseded_design": False, "metrics": None, "created_at": None, "match_weights": match_weights(model)})
    return out


def save_model(services: Services, principal: Principal, model: dict[str, Any], *, trained_on: str,
               labelled_pairs: int, metrics: dict[str, Any] | None = None, activate: bool = True) -> dict[str, Any]:
    """Store a trained model as the next version (and make it the active one)."""
    require(principal, Role.admin, Role.analyst)
    from pactum.services.identity.linkage import DESIGN_VERSION, check_model

    try:
        check_model(model)
    except ValueError as exc:
        raise ValidationProblem.one("model", str(exc)) from exc
    model = link_rules.with_untrained_m(model)
    with services.uow() as uow:
        version = int(uow.conn.execute(select(func.coalesce(func.max(identity_models.c.version), 0))).scalar_one()) + 1
        if activate:
            uow.conn.execute(identity_models.update().values(active=False))
        model_id = new_id("IDM")
        uow.conn.execute(insert(identity_models).values(
            id=model_id, version=version, design_version=DESIGN_VERSION, trained_on=trained_on,
            labelled_pairs=labelled_pairs, model=model, metrics=metrics, active=activate, created_at=uow.now))
        uow.audit(principal, "identity.model.save", "identity_model", model_id,
                  after={"version": version, "trained_on": trained_on, "labelled_pairs": labelled_pairs})
        uow.commit()
    for key in [k for k in _SCORERS if k[1] == version]:
        _SCORERS.pop(key, None)
    return {"version": version, "active": activate}


def train_from_store(services: Services, principal: Principal, *, engine: str = "duckdb", em: bool = False,
                     progress: Any = None) -> dict[str, Any]:
    """Train the model on the store's identity records, with officers' decisions as labels; the
    result becomes the active model.

    By default the active model is re-fitted (``linkage.refit``): u from the store's records, m
    from the verified links where there are any, else kept. ``em=True`` estimates m by
    expectation maximisation on the store's records instead (then from the labels, if any)."""
    require(principal, Role.admin, Role.analyst)
    from pactum.services.identity import batch, linkage
    from pactum.store.engines.identity_linkage import linkage_api

    batch.check_engine(engine)

    with services.uow() as uow:
        rows = uow.conn.execute(select(identity_records)).fetchall()
        labels = verified_labels(uow.conn)
        base_version, base = active_model(uow.conn)
    if len(rows) < 50:
        raise ValidationProblem.one("records", f"training needs at least 50 identity records, the store has {len(rows)}")
    import pandas as pd

    df = linkage.prepare({
        "record_id": r.id, "member_state": r.member_state, "recorded_on": str(r.recorded_on), "category": r.category,
        "given_names": r.given_names_latin or r.given_names, "surname": r.surname_latin or r.surname,
        "father_name": r.father_name, "sex": r.sex, "date_of_birth": r.date_of_birth,
        "place_of_birth": r.place_of_birth, "nationality": r.nationality, "document_number": r.document_number,
    } for r in rows)
    label_frame = pd.DataFrame(labels) if labels else None
    report = progress or (lambda _s: None)
    if em:
        try:
            model = linkage.link_frame(df, linkage_api(engine), labels=label_frame, progress=report).model_json
        except linkage.TooFewRecordsForEM as exc:
            raise ValidationProblem.one("records", str(exc)) from exc
        skipped = model.get("pactum", {}).get("em_passes_skipped", [])
        how = "EM" + (", m from verified links" if labels else "") + (
            f"; skipped for too few pairs: {', '.join(skipped)}" if skipped else "")
    else:
        model = linkage.refit(df, linkage_api(engine), base, labels=label_frame, progress=report)
        how = (f"u re-estimated on the store, m {'from verified links' if labels else 'kept'}"
               f" (from model version {base_version})")
    return save_model(services, principal, model, trained_on=f"store: {len(rows)} records, {how}",
                      labelled_pairs=len(labels))


def load_model_file(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))



# the comparison of every registration (its ``identity_comparison`` job is registered on import)
from pactum.services.identity import comparison as comparison  # noqa: E402
