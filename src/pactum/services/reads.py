"""The read log: who read a person's personal data, when, through which way in, and what.

The audit log records every change; a read changes nothing and so left no trace there. Records
of processing that let the controller and its supervisory authority check that each access was
lawful are owed for every processing of personal data (GDPR Art 5(2), accountability; Art 32,
security of processing) and, for Eurodac data, by Regulation (EU) 2024/1358, Article 41 "Keeping
of records": paragraph 5 has each Member State meet, for its national system, the objectives of
paragraphs 1 to 4 (records of each processing operation showing its purpose, date and time, the
data used for querying and the persons responsible) and keep a record of the staff authorised to
enter or extract the data. Article 41 was read in the text of the Regulation (OJ L, 2024/1358,
22.5.2024), Italian version (the EUR-Lex HTML republished in the GitHub repository
d5p2rnkdz9-hub/SOSPATTO, public/patto-interattivo/1358.html); DOMAIN.md does not name it.

Each read service (a person's page, a screening, a registry search, an identity link, the
auditor's search of the audit log by a person's name, an asylum case, a Dublin case or request, the
draft of a person's facts for a Dublin determination, the residence documents and visas a state
recorded for its person, a return decision) calls :func:`record_read`
in its own unit of work, after its checks and its reads and just before it commits, which it does
only to write the log (a Dublin case or request commits its deadline sweep anyway): a read refused
(403), not found (404) or failed in the store logs nothing, and a log that cannot be written fails
the read (no data handed out without its record).
The rows are written when the service hands the data to the page, the API or the CLI: a page that
fails after that, while rendering, is logged as read. A service that returns a case, a request or a
decision after changing it (a change the audit log records), and the demo build, read it back with
``channel=None``: an internal read, not logged.

The log is append-only from the application: nothing here or elsewhere updates or deletes a row.
It is not in the audit log's hash chain (reads are many times more frequent than changes, and
would serialise every page on the chain's lock; docs/security.md, "The read log"). How long it is
kept is national law: the law tree holds no period for it, and the platform erases none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select

from pactum.common.clock import as_utc
from pactum.common.errors import ValidationProblem
from pactum.common.ids import new_id
from pactum.common.paging import page_problems
from pactum.store.tables.platform import personal_data_reads

#: The ways in: the web pages, the API, the command line.
WEB, API, CLI = "web", "api", "cli"
CHANNELS = (WEB, API, CLI)

#: What was read, as the log keeps it, and as the auditor's page says it.
PERSON_PAGE = "person_page"
SCREENING = "screening"
REGISTRY_SEARCH = "registry_search"
IDENTITY_LINK = "identity_link"
AUDIT_NAME_SEARCH = "audit_name_search"
ASYLUM_CASE = "asylum_case"
DUBLIN_CASE = "dublin_case"
DUBLIN_REQUEST = "dublin_request"
DUBLIN_FACTS_DRAFT = "dublin_facts_draft"
DUBLIN_DOCUMENTS = "dublin_documents"
RETURN_DECISION = "return_decision"
DECISION_NOTICE = "decision_notice"
# Lists and queues: one read, a row for each person the page, the answer or the file showed.
ASYLUM_CASE_LIST = "asylum_case_list"
DUBLIN_CASE_LIST = "dublin_case_list"
DUBLIN_REQUEST_LIST = "dublin_request_list"
RETURN_DECISION_LIST = "return_decision_list"
RETURN_HITS = "return_hits"
RETURN_OPERATION = "return_operation"
IDENTITY_SEARCH = "identity_search"
VERIFICATION_QUEUE = "verification_queue"
PERSON_LINKS = "person_links"
IDENTITY_COMPARISON = "identity_comparison"
WHAT = {
    PERSON_PAGE: "person's page",
    SCREENING: "screening",
    REGISTRY_SEARCH: "registry search",
    IDENTITY_LINK: "identity link",
    AUDIT_NAME_SEARCH: "audit search by a person's name",
    ASYLUM_CASE: "asylum case",
    DUBLIN_CASE: "Dublin case",
    DUBLIN_REQUEST: "Dublin request",
    DUBLIN_FACTS_DRAFT: "draft of a person's facts for a Dublin determination",
    DUBLIN_DOCUMENTS: "residence documents and visas of a person recorded for Dublin",
    RETURN_DECISION: "return decision",
    DECISION_NOTICE: "written notice of an asylum decision",
    ASYLUM_CASE_LIST: "list of asylum cases",
    DUBLIN_CASE_LIST: "list of Dublin cases",
    DUBLIN_REQUEST_LIST: "list of Dublin requests",
    RETURN_DECISION_LIST: "list of return decisions",
    RETURN_HITS: "return alert hits",
    RETURN_OPERATION: "return operation",
    IDENTITY_SEARCH: "identity search",
    VERIFICATION_QUEUE: "identity verification queue",
    PERSON_LINKS: "multiple-identity links of a person",
    IDENTITY_COMPARISON: "candidates of a record's identity comparison",
}

#: The reads one page lists (``limit``'s default), and at most.
READS_PAGE = 100
READS_PAGE_MAX = 1000


def record_read(conn: Connection, principal: Any, persons: Mapping[str, str | None], what: str,
                channel: str, *, at: datetime, record_id: str | None = None,
                criteria: str | None = None) -> str:
    """Log that ``principal`` was shown the personal data of ``persons`` (each person's id with
    the state whose person they are), on ``channel``, in this transaction; the read's id.

    One row per person; a search that showed nobody is one row without a person (the search was
    made), as is a Dublin case or request recorded without a registry person. ``record_id``: the
    screening, link, case, request or decision read; ``criteria``: for a search, which criteria
    were given ("name, date of birth"), never what was typed."""
    if what not in WHAT:
        raise ValueError(f"unknown read {what!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    read_id = new_id("read")
    common = {"read_id": read_id, "at": as_utc(at), "user_id": principal.user_id, "username": principal.username,
              "authority": principal.authority, "member_state": principal.member_state, "what": what,
              "record_id": record_id, "criteria": criteria, "persons_shown": len(persons), "channel": channel}
    rows = [{**common, "id": new_id("pdr"), "person_id": person_id, "person_member_state": state}
            for person_id, state in sorted(persons.items())]
    conn.execute(insert(personal_data_reads), rows or [{**common, "id": new_id("pdr"), "person_id": None,
                                                        "person_member_state": None}])
    return read_id


def record_list_read(uow: Any, principal: Any, persons: Mapping[str, str | None], what: str,
                     channel: str | None, *, criteria: str | None = None, record_id: str | None = None) -> bool:
    """Log one read of an answer that shows several persons (a list, a queue, a search's or a
    comparison's candidates, the links a page shows) in the unit of work ``uow``, after its checks;
    True when written (the caller commits). Nothing for an internal read (``channel`` None: a
    service's own, the home page's counts, the demo build) nor for an answer that showed nobody (an
    empty list discloses no one's data; the registry's name search, which logs the search itself,
    calls :func:`record_read`)."""
    if channel is None or not persons:
        return False
    record_read(uow.conn, principal, persons, what, channel, at=uow.now, record_id=record_id, criteria=criteria)
    return True


def criteria_given(**given: str) -> str | None:
    """The criteria a search was given, by name, without their values: ``name, date of birth``."""
    names = [name.replace("_", " ") for name, value in given.items() if value and value.strip()]
    return ", ".join(names) or None


def reads_page(services: Any, principal: Any, *, person_id: str | None = None,
               person_ids: list[str] | None = None, actor: str | None = None, since: date | None = None,
               until: date | None = None, limit: int = READS_PAGE, offset: int = 0) -> dict[str, Any]:
    """The read log, newest first, for auditors and administrators, scoped as the audit log is: a
    state's see the reads of its own officers and the reads of its own persons by anyone (an
    identity link shows another state's record to the verifying authority); the platform's
    (EU-LISA) see every read. Narrowed by the person read (``person_id``; ``person_ids``: any of
    these, the persons a name matched, none when empty), the reader (a username) and the days
    ``since`` and ``until`` (UTC, both included). One page of ``limit`` (1 to
    :data:`READS_PAGE_MAX`) from ``offset``, with ``total`` the number the filters select."""
    from pactum.services.auth import Role, require

    require(principal, Role.auditor, Role.admin)
    problems = page_problems(limit, offset, READS_PAGE_MAX)
    if since is not None and until is not None and since > until:
        problems.insert(0, ("until", f"{until.isoformat()} is before the first day asked ({since.isoformat()})"))
    if problems:
        raise ValidationProblem(problems)
    t = personal_data_reads
    where: list[Any] = []
    if principal.authority != "EU-LISA":
        where.append(or_(t.c.authority == principal.authority, t.c.person_member_state == principal.authority))
    if person_id:
        where.append(t.c.person_id == person_id)
    if person_ids is not None:
        if not person_ids:
            return {"reads": [], "total": 0, "limit": limit, "offset": offset}
        where.append(t.c.person_id.in_(person_ids))
    if actor:
        where.append(t.c.username == actor)
    if since is not None:
        where.append(t.c.at >= datetime.combine(since, time.min, UTC))
    if until is not None and until < date.max:
        where.append(t.c.at < datetime.combine(until + timedelta(days=1), time.min, UTC))
    q = select(t).where(and_(*where)) if where else select(t)
    with services.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(q.order_by(t.c.at.desc(), t.c.id.desc()).limit(limit).offset(offset))
        reads = [_read(r) for r in rows]
    return {"reads": reads, "total": int(total), "limit": limit, "offset": offset}


def _read(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    out["at"] = as_utc(out["at"])
    out["what_label"] = WHAT.get(out["what"], out["what"])
    return out
