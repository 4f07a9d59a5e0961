"""Responsibility: Dublin cases (a stored determination with its explanation), requests between
Member States (take charge, take back, notification, transfer) and their timeline."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from pactum.store.tables.base import (
    created_column,
    id_column,
    json_column,
    metadata,
    version_column,
)

dublin_cases = Table(
    "dublin_cases",
    metadata,
    id_column(),
    Column("reference", String(60), nullable=False),
    Column("person_id", String(40), nullable=True, index=True),
    Column("applicant_name", String(200), nullable=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("registered_on", Date, nullable=False),
    json_column("facts", nullable=False),
    Column("regime", String(12), nullable=False),
    Column("responsible_member_state", String(2), nullable=False),
    Column("criterion", String(40), nullable=False),
    json_column("legal_basis", nullable=False),
    json_column("trace", nullable=False),
    Column("created_by", String(80), nullable=False),
    created_column(),
    version_column(),
)

dublin_requests = Table(
    "dublin_requests",
    metadata,
    id_column(),
    Column("case_id", String(40), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("regime", String(12), nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("requesting_member_state", String(2), nullable=False),
    Column("requested_member_state", String(2), nullable=False),
    Column("status", String(30), nullable=False),
    Column("criterion", String(40), nullable=True),
    json_column("legal_basis", nullable=False),
    json_column("evidence", nullable=False),
    Column("eurodac_hit", Boolean, nullable=False, default=False),
    Column("hit_on", Date, nullable=True),
    # where the hit the request rests on came from: eurodac, or vis (a VIS hit, AMMR take charge
    # only, Art 39(1) and 40(2)); read only with eurodac_hit (or a notification's hit_on)
    Column("hit_source", String(10), nullable=False, default="eurodac", server_default="eurodac"),
    Column("detained", Boolean, nullable=False, default=False),
    Column("detained_on", Date, nullable=True),
    # humanitarian clause: the day the persons concerned consented in writing (Dublin III Art 17(2);
    # AMMR Art 35(2)); NULL for other kinds and for humanitarian requests sent before it was asked
    Column("consented_in_writing_on", Date, nullable=True),
    # a take charge asking for an urgent reply (Dublin III Arts 21(2), 22(6); AMMR Arts 39(2),
    # 40(7)): its ground, the day of the decision it rests on, the reasons and the day asked
    Column("urgent_ground", String(30), nullable=True),
    Column("urgent_decision_on", Date, nullable=True),
    Column("urgent_reasons", Text, nullable=True),
    Column("urgent_reply_by", Date, nullable=True),
    Column("unaccompanied_minor", Boolean, nullable=False, default=False),
    Column("sent_on", Date, nullable=False),
    Column("request_deadline", Date, nullable=False),
    Column("late", Boolean, nullable=False, default=False),
    Column("reply_due", Date, nullable=True),
    Column("replied_on", Date, nullable=True),
    Column("refusal_reasons", Text, nullable=True),
    # a refusal because the obligations of the state asked ceased (Dublin III Art 19(2)-(3); AMMR
    # Art 37(4)-(5)): the ground, the day the person left the territory, the evidence
    Column("refusal_ground", String(20), nullable=True),
    Column("refusal_left_on", Date, nullable=True),
    Column("refusal_evidence", Text, nullable=True),
    Column("reexamination_due", Date, nullable=True),
    Column("accepted_on", Date, nullable=True),
    Column("transfer_decision_due", Date, nullable=True),
    Column("transfer_decided_on", Date, nullable=True),
    Column("transfer_planned_on", Date, nullable=True),
    json_column("transfer_arrangements", nullable=True),
    Column("transfer_due", Date, nullable=True),
    Column("extension_reason", String(20), nullable=True),
    # An appeal or review against the transfer decision (Dublin III Arts 27, 29(1); AMMR Arts 43,
    # 46(1)): with suspensive effect the transfer period stops (transfer_due is empty) and runs
    # again in full from the final decision.
    Column("appeal_lodged_on", Date, nullable=True),
    Column("appeal_suspensive", Boolean, nullable=True),
    Column("appeal_decided_on", Date, nullable=True),
    Column("transferred_on", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    Column("responsible_member_state", String(2), nullable=True),
    json_column("deadlines", nullable=False),
    Column("created_by", String(80), nullable=False),
    created_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    version_column(),
    # The deadline sweep rewrites status, accepted_on, transfer_due, transfer_decision_due,
    # responsible_member_state, closed_on, version and updated_at of up to most of the table at
    # once. No index covers any of them (nor has them in a predicate) and every page keeps 40%
    # free, so PostgreSQL updates those rows in place (heap-only tuples: no index entries
    # written). Queues read by state, newest first; the sweep scans the table.
    Index("ix_dublin_requests_requested_sent", "requested_member_state", "sent_on"),
    Index("ix_dublin_requests_requesting_sent", "requesting_member_state", "sent_on"),
    Index("ix_dublin_requests_reexamination_due", "reexamination_due"),
    postgresql_with={"fillfactor": 60},
)

dublin_request_events = Table(
    "dublin_request_events",
    metadata,
    # Primary key (request_id, id): the one index both identifies an event and finds a request's
    # timeline, so each event written (a sweep may write hundreds of thousands) updates one index.
    Column("id", String(40), nullable=False),
    Column("request_id", String(40), nullable=False),
    # A case's timeline is read through its requests (request_id), so case_id needs no index:
    # one fewer index to write for every event of a sweep.
    Column("case_id", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("authority", String(10), nullable=False),
    Column("action", String(40), nullable=False),
    Column("from_status", String(30), nullable=True),
    Column("to_status", String(30), nullable=False),
    json_column("details", nullable=True),
    PrimaryKeyConstraint("request_id", "id"),
)

# A Eurodac or VIS hit the requesting state's Dublin unit received on a case before any request
# (AMMR Art 39(1), second subparagraph, and 41(1); Dublin III Arts 21(1), second subparagraph,
# and 23(2)): the time limit of the request it concerns runs from ``hit_on``. Never changed once
# recorded; a case reads its hits by ``case_id``.
dublin_hits = Table(
    "dublin_hits",
    metadata,
    id_column(),
    Column("case_id", String(40), nullable=False, index=True),
    Column("source", String(10), nullable=False),  # eurodac, vis
    Column("category", String(30), nullable=True),  # the Eurodac category of the data matched; NULL for VIS
    Column("member_state", String(2), nullable=False),  # the state whose data the hit matched
    Column("hit_on", Date, nullable=False),
    Column("reference", String(60), nullable=True),
    Column("kind", String(30), nullable=False),  # the request whose time limit it runs
    Column("recorded_by", String(80), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)


# A residence document or visa a Member State issued to a person of its registry, recorded by its
# Dublin unit (AMMR Art 29; Dublin III Art 12). Expired ones are kept: they count for a period after
# they expired (Art 29(4) / 12(4)). Only the issuing state's officers read and write them; another
# state's Dublin unit reads them through the draft of the facts of its determination for the same
# person. ``withdrawn_at`` set: recorded in error, no longer a fact of any draft.
dublin_documents = Table(
    "dublin_documents",
    metadata,
    id_column(),
    Column("person_id", String(40), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),  # the issuing state, whose unit recorded it
    Column("kind", String(20), nullable=False),  # residence_document, visa
    Column("number", String(60), nullable=True),
    Column("issued_on", Date, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("visa_type", String(20), nullable=True),
    Column("issued_on_behalf_of", String(2), nullable=True),
    Column("recorded_by", String(80), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("corrected_by", String(80), nullable=True),
    Column("corrected_at", DateTime(timezone=True), nullable=True),
    Column("withdrawn_by", String(80), nullable=True),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    Column("withdrawn_reason", Text, nullable=True),
    version_column(),
)
