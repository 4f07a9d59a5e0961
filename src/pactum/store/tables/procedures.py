"""Asylum applications and their workflow events, decision statistics, safe-country lists,
border-procedure capacity notifications, refusals of entry at the external border, the court or
tribunal each state's decisions are appealed to (for the written notice of a decision)."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

QUEUE_INCLUDE = ["member_state", "assigned_to", "person_id", "nationality", "procedure", "state",
                 "made_on", "next_deadline_kind", "unaccompanied_minor", "routing_mandatory"]

asylum_applications = Table(
    "asylum_applications",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False),
    Column("person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True),
    Column("screening_id", String(40), ForeignKey("screenings.id"), nullable=True),
    Column("responsible_state", String(2), nullable=True),
    Column("nationality", String(3), nullable=False),
    Column("context", String(40), nullable=False),
    Column("unaccompanied_minor", Boolean, nullable=False, default=False),
    Column("procedure", String(20), nullable=False),
    Column("routing_mandatory", Boolean, nullable=False, default=False),
    Column("routing_grounds", JSON, nullable=False),
    Column("routing", JSON, nullable=False),
    Column("state", String(30), nullable=False),
    Column("made_on", Date, nullable=False),
    Column("registered_on", Date, nullable=True),
    Column("lodged_on", Date, nullable=True),
    Column("interview_held_on", Date, nullable=True),
    Column("interpreter_language", String(60), nullable=True),
    Column("outcome", String(40), nullable=True),
    Column("inadmissibility_ground", String(40), nullable=True),
    Column("drafted_by", String(120), nullable=True),
    Column("decided_on", Date, nullable=True),
    Column("notified_on", Date, nullable=True),
    Column("appeal_deadline", Date, nullable=True),
    Column("appeal_lodged_on", Date, nullable=True),
    Column("suspensive_effect", Boolean, nullable=True),
    Column("appeal_outcome", String(40), nullable=True),
    # the applicant's request to the court to remain pending an appeal without automatic
    # suspensive effect, and the court's decision on it (APR Art 68(4), (5); procedures_0006)
    Column("remain_requested_on", Date, nullable=True),
    Column("remain_decided_on", Date, nullable=True),
    Column("remain_allowed", Boolean, nullable=True),
    Column("return_decision_id", String(40), nullable=True),
    # the day the preliminary examination of a subsequent application found new elements (APR
    # Art 55(3), (6); Directive 2013/32/EU Art 40(3); procedures_0009)
    Column("new_elements_found_on", Date, nullable=True),
    # the day the border procedure ceased to apply to the case before its end, and on which ground
    # (APR Art 53(2)(a)-(e), Art 21(2); Directive 2013/32/EU Art 24(3); procedures_0011):
    # ``leave_border_procedure``
    Column("border_left_on", Date, nullable=True),
    Column("border_left_ground", String(40), nullable=True),
    # the personal interview on the substance omitted (APR Art 13(11)(a), (c); Directive 2013/32/EU
    # Art 14(2); procedures_0012): ``omit_interview``
    Column("interview_omitted_on", Date, nullable=True),
    Column("interview_omission_ground", String(40), nullable=True),
    Column("interview_written_until", Date, nullable=True),
    Column("interview_omission_same_rights", Boolean, nullable=True),
    # the applicant's absence from the personal interview despite sufficient efforts (APR Art 13(14);
    # procedures_0013, before it held in the omission's columns as ground ``not_attended``):
    # ``record_interview_not_attended``
    Column("interview_not_attended_on", Date, nullable=True),
    # the examination suspended so that the applicant may justify or rectify an omission or action of
    # APR Art 41(1) before an implicit withdrawal (Art 41(4); procedures_0014): ``suspend_examination``
    Column("suspended_on", Date, nullable=True),
    Column("suspended_until", Date, nullable=True),
    Column("suspension_ground", String(40), nullable=True),
    Column("next_deadline", Date, nullable=True),
    Column("next_deadline_kind", String(40), nullable=True),
    Column("assigned_to", String(120), nullable=True),
    Column("closed", Boolean, nullable=False, default=False),
    # the short reference officers quote (``DE-2026-000123``: state, year the application was made,
    # running number per state and year; ``procedures_0004_case_reference``); the id stays the key
    Column("reference", String(20), nullable=False),
    created_column(),
    version_column(),
    Index("ux_asylum_applications_reference", "reference", unique=True),
    # the queue's indexes carry the listed columns (PostgreSQL INCLUDE) for index-only scans
    Index("ix_asylum_applications_queue", "member_state", "closed", "next_deadline", "id",
          postgresql_include=QUEUE_INCLUDE),
    Index("ix_asylum_applications_assignee", "assigned_to", "closed", "next_deadline", "id",
          postgresql_include=QUEUE_INCLUDE),
    Index("ix_asylum_applications_ms_procedure", "member_state", "procedure", "state"),
    Index("ix_asylum_applications_made", "member_state", "made_on"),
)

#: The last running number of each state's case references of a year: a case takes the next by
#: one UPDATE of its row, which holds the row's lock until the case's transaction ends.
asylum_case_reference_counters = Table(
    "asylum_case_reference_counters",
    metadata,
    Column("member_state", String(2), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

asylum_case_events = Table(
    "asylum_case_events",
    metadata,
    id_column(),
    Column("case_id", String(40), ForeignKey("asylum_applications.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("event", String(40), nullable=False),
    Column("from_state", String(30), nullable=True),
    Column("to_state", String(30), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("detail", JSON, nullable=False),
)

decision_statistics = Table(
    "decision_statistics",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("member_state", String(2), primary_key=True),
    Column("nationality", String(3), primary_key=True),
    Column("refugee_status", Integer, nullable=False),
    Column("subsidiary_protection", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("source", String(120), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Index("ix_decision_statistics_nationality_year", "nationality", "year"),
)

safe_country_designations = Table(
    "safe_country_designations",
    metadata,
    id_column(),
    Column("scope", String(3), nullable=False),
    Column("concept", String(30), nullable=False),
    Column("country", String(3), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("reference", Text, nullable=False),
    Column("exclusion", String(60), nullable=True),
    Column("note", Text, nullable=True),
    Column("created_by", String(120), nullable=False),
    created_column(),
    version_column(),
    Index("ix_safe_country_designations_country", "country", "scope"),
)

border_capacity_notifications = Table(
    "border_capacity_notifications",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False, index=True),
    Column("notified_on", Date, nullable=False),
    Column("occupancy", Integer, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("annual_maximum", Integer, nullable=False),
    Column("applications_this_year", Integer, nullable=False),
    Column("measure", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    created_column(),
)

refusals_of_entry = Table(
    "refusals_of_entry",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False),
    Column("refused_on", Date, nullable=False),
    Column("border_type", String(4), nullable=False),
    Column("border_section", String(120), nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("note", Text, nullable=True),
    Column("recorded_by", String(120), nullable=False),
    created_column(),
    # the capacity formula counts them per state over whole calendar years
    Index("ix_refusals_of_entry_state_date", "member_state", "refused_on"),
    Index("ix_refusals_of_entry_date", "refused_on"),
)

#: The court or tribunal that hears appeals against a state's decisions on applications, with its
#: address and how an appeal is lodged, as the state's administrator sets it for the written notice
#: of the decision (national law names it: ``pactum.procedures.appeal_body``); one per state.
appeal_bodies = Table(
    "appeal_bodies",
    metadata,
    Column("member_state", String(2), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("address", String(500), nullable=False),
    Column("how_to_lodge", String(2000), nullable=False),
    Column("national_law", String(300), nullable=True),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    created_column(),
    version_column(),
)
