"""Returns: return decisions, SIS return alerts and their hits, operations, readmission, AVR."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

return_decisions = Table(
    "return_decisions",
    metadata,
    id_column(),
    Column(
        "person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True
    ),
    Column(
        "identity_record_id",
        String(40),
        ForeignKey("identity_records.id"),
        nullable=True,
    ),
    Column("member_state", String(2), nullable=False),
    # the region of the state it was issued in (ISO 3166-2, pactum.registry.local_time.REGIONS), null
    # where the capital keeps the clock; France's outermost regions: no return alert (migration
    # returns_0017_decision_region)
    Column("region", String(10), nullable=True),
    Column("reference", String(60), nullable=False, unique=True),
    Column("asylum_case_id", String(40), nullable=True),
    Column("issued_on", Date, nullable=False),
    Column("issued_by", String(120), nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("destination_country", String(3), nullable=True),
    Column("grounds", JSON, nullable=False),
    Column("voluntary_departure_days", Integer, nullable=False),
    Column("voluntary_departure_last_day", Date, nullable=True),
    Column("entry_ban_years", Integer, nullable=True),
    Column("entry_ban_months", Integer, nullable=True),
    Column("entry_ban_starts_on", Date, nullable=True),
    Column("entry_ban_ends_on", Date, nullable=True),
    # an entry ban imposed after issue because the obligation to return was not complied with
    # (Directive 2008/115/EC Art 11(1)(b)): the day and the reasons; null for a ban that went with
    # the decision at issue (migration returns_0013_entry_ban_after_issue)
    Column("entry_ban_imposed_on", Date, nullable=True),
    Column("entry_ban_reasons", Text, nullable=True),
    Column("legal_basis", JSON, nullable=False),
    Column("trace", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("status_reason", Text, nullable=True),
    Column("identity_confirmed", Boolean, nullable=False, default=False),
    Column("travel_document", Boolean, nullable=False, default=False),
    Column("fit_to_travel", Boolean, nullable=False, default=True),
    Column("absconded", Boolean, nullable=False, default=False),
    # Directive 2008/115/EC Art 10(2), unaccompanied minor: to whom the child is returned, and how
    # the authority satisfied itself of it (migration returns_0004_minor_handover)
    Column("minor_handover", String(30), nullable=True),
    Column("minor_handover_note", Text, nullable=True),
    # APR Art 68(5)(d)(i): not enforced until the time to ask the court for leave to remain ends
    # (a decision issued with a negative asylum decision whose appeal does not suspend by itself;
    # migration returns_0007_removal_barred_until)
    Column("removal_barred_until", Date, nullable=True),
    # why: "leave_to_remain_time" (above; also when null, as stored before) or "appeal_time" (the
    # time to lodge an appeal that suspends by itself, APR Art 68(1), (2); Directive 2013/32/EU
    # Art 46(5); migration returns_0010_removal_barred_basis). Decisions stored without either get
    # them from their asylum case's row where it still holds the decision (returns_0012)
    Column("removal_barred_basis", String(30), nullable=True),
    Column("departed_on", Date, nullable=True),
    Column("departure_member_state", String(2), nullable=True),
    Column("departure_mode", String(20), nullable=True),
    Column("expiry_notified_at", DateTime(timezone=True), nullable=True),
    created_column(),
    version_column(),
    Index("ix_return_decisions_ms_issued", "member_state", "issued_on"),
    Index("ix_return_decisions_departed", "departure_member_state", "departed_on"),
)

return_alerts = Table(
    "return_alerts",
    metadata,
    id_column(),
    Column(
        "identity_record_id",
        String(40),
        ForeignKey("identity_records.id"),
        nullable=True,
        index=True,
    ),
    Column(
        "person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True
    ),
    Column("issuing_member_state", String(2), nullable=False),
    Column(
        "return_decision_id",
        String(40),
        ForeignKey("return_decisions.id"),
        nullable=False,
        index=True,
    ),
    Column("status", String(10), nullable=False),  # 'active' | 'deleted'
    # Regulation (EU) 2018/1860 Art 4(1)
    Column("surnames", String(200), nullable=True),  # (a)
    Column("forenames", String(200), nullable=True),  # (b)
    Column("names_at_birth", String(200), nullable=True),  # (c)
    Column("previous_names", String(400), nullable=True),  # (d)
    Column("place_of_birth", String(200), nullable=True),  # (e)
    Column("date_of_birth", String(10), nullable=True),  # (f)
    Column("gender", String(1), nullable=True),  # (g)
    Column("nationalities", String(60), nullable=True),  # (h)
    Column("flags", String(200), nullable=True),  # (i) comma-separated
    Column("reason", Text, nullable=True),  # (j)
    Column("issuing_authority", String(200), nullable=True),  # (k)
    Column("decision_reference", String(60), nullable=True),  # (l)
    Column("action_on_hit", Text, nullable=True),  # (m)
    Column("links", Text, nullable=True),  # (n)
    Column("public_order_threat", Boolean, nullable=False, default=False),  # (o)
    Column("offence_type", String(200), nullable=True),  # (p)
    Column("document_category", String(30), nullable=True),  # (q)
    Column("document_country", String(3), nullable=True),  # (r)
    Column("document_number", String(60), nullable=True),  # (s)
    Column("document_issue_date", Date, nullable=True),  # (t)
    Column("photo_ref", String(120), nullable=True),  # (u)
    Column("fingerprints_ref", String(120), nullable=True),  # (v)
    Column("document_copy_ref", String(120), nullable=True),  # (w)
    Column("voluntary_departure_last_day", Date, nullable=True),  # (x)
    Column("decision_suspended", Boolean, nullable=False, default=False),  # (y)
    Column("entry_ban", Boolean, nullable=False, default=False),
    Column("deletion_reason", String(40), nullable=True),
    created_column(),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Index("ix_return_alerts_status_surnames", "status", "surnames"),
)

return_alert_hits = Table(
    "return_alert_hits",
    metadata,
    id_column(),
    Column(
        "alert_id",
        String(40),
        ForeignKey("return_alerts.id"),
        nullable=False,
        index=True,
    ),
    Column(
        "return_decision_id",
        String(40),
        ForeignKey("return_decisions.id"),
        nullable=False,
    ),
    Column("issuing_member_state", String(2), nullable=False),
    Column("executing_member_state", String(2), nullable=False, index=True),
    Column("local_person_id", String(40), nullable=True),
    Column("place", String(200), nullable=True),
    Column("reported_by", String(120), nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("decision_reason", Text, nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    version_column(),
)

return_hit_messages = Table(
    "return_hit_messages",
    metadata,
    id_column(),
    Column(
        "hit_id",
        String(40),
        ForeignKey("return_alert_hits.id"),
        nullable=False,
        index=True,
    ),
    Column("from_member_state", String(2), nullable=False),
    Column("to_member_state", String(2), nullable=False),
    Column("author", String(120), nullable=False),
    Column("body", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)

entry_ban_alerts = Table(
    "entry_ban_alerts",
    metadata,
    id_column(),
    Column(
        "return_decision_id",
        String(40),
        ForeignKey("return_decisions.id"),
        nullable=False,
    ),
    Column(
        "person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True
    ),
    Column("identity_record_id", String(40), nullable=True),
    Column("issuing_member_state", String(2), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("status", String(10), nullable=False),
    created_column(),
)

return_operations = Table(
    "return_operations",
    metadata,
    id_column(),
    Column("organising_member_state", String(2), nullable=False),
    Column("destination_country", String(3), nullable=False),
    Column("planned_date", Date, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("escorts", Integer, nullable=False),
    Column("participating_states", JSON, nullable=False),
    Column("frontex_support", Boolean, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_by", String(120), nullable=False),
    created_column(),
    version_column(),
)

return_operation_participants = Table(
    "return_operation_participants",
    metadata,
    id_column(),
    Column(
        "operation_id",
        String(40),
        ForeignKey("return_operations.id"),
        nullable=False,
        index=True,
    ),
    Column(
        "return_decision_id",
        String(40),
        ForeignKey("return_decisions.id"),
        nullable=False,
    ),
    Column("member_state", String(2), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    created_column(),
)

readmission_requests = Table(
    "readmission_requests",
    metadata,
    id_column(),
    Column(
        "return_decision_id",
        String(40),
        ForeignKey("return_decisions.id"),
        nullable=False,
        index=True,
    ),
    Column("member_state", String(2), nullable=False),
    Column("destination_country", String(3), nullable=False),
    Column("sent_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("answered_on", Date, nullable=True),
    Column("answer_reference", String(120), nullable=True),
    created_column(),
)

avr_cases = Table(
    "avr_cases",
    metadata,
    id_column(),
    Column(
        "return_decision_id",
        String(40),
        ForeignKey("return_decisions.id"),
        nullable=False,
        index=True,
    ),
    Column("member_state", String(2), nullable=False),
    Column("programme", String(200), nullable=False),
    Column("funding_source", String(200), nullable=False),
    Column("amount_eur", Numeric(12, 2), nullable=False),
    Column("destination_country", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("departed_on", Date, nullable=True),
    # why the case was cancelled: the officer's reason, or the amended decision on the destination
    # that ended a case arranged for another country (returns_0008)
    Column("status_reason", Text, nullable=True),
    created_column(),
    version_column(),
)

# Notices to a state's return officers: voluntary departure expired (Reg. 2018/1860 Art 7(1)),
# a hit on one of its alerts, information received from the other state.
return_notifications = Table(
    "return_notifications",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("return_decision_id", String(40), ForeignKey("return_decisions.id"), nullable=True),
    Column("hit_id", String(40), nullable=True),
    Column("message", Text, nullable=False),
    created_column(),
    Column("read_at", DateTime(timezone=True), nullable=True),
)

# The amended decisions on a return decision's destination (Directive 2008/115/EC Arts 3(3), 12(1),
# 13(1); CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others: an amendment of the country of
# destination is a new return decision). The decision's ``destination_country`` is the last one's;
# an appeal against one is recorded on it (migration returns_0006_destination_decisions).
return_destination_decisions = Table(
    "return_destination_decisions",
    metadata,
    id_column(),
    Column("return_decision_id", String(40), ForeignKey("return_decisions.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("reference", String(80), nullable=False, unique=True),
    Column("number", Integer, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("issued_by", String(120), nullable=False),
    Column("authority", String(20), nullable=False),
    Column("previous_destination", String(3), nullable=True),
    Column("destination_country", String(3), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("remedies", Text, nullable=False),
    # the period for voluntary departure the amended decision grants (Directive 2008/115/EC Art 7):
    # its days (0: refused, Art 7(4)) and last day, counted from its own day (returns_0008; none before)
    Column("voluntary_departure_days", Integer, nullable=True),
    Column("voluntary_departure_last_day", Date, nullable=True),
    Column("appeal_lodged_on", Date, nullable=True),
    Column("appeal_suspensive", Boolean, nullable=True),
    Column("appeal_recorded_by", String(120), nullable=True),
    # the court's outcome of the appeal: 'dismissed' | 'allowed' (annulled: the earlier destination
    # and period stand again), its day and who recorded it (returns_0011)
    Column("appeal_outcome", String(20), nullable=True),
    Column("appeal_decided_on", Date, nullable=True),
    Column("appeal_outcome_recorded_by", String(120), nullable=True),
    # the period for voluntary departure the decision had before this amended decision (returns_0011;
    # none before: the amendment's audit entry holds it)
    Column("previous_voluntary_departure_days", Integer, nullable=True),
    Column("previous_voluntary_departure_last_day", Date, nullable=True),
    created_column(),
)

# The translation of a return decision or of an amended decision on its destination (Directive
# 2008/115/EC Art 12(2)): the person's request (day, language) and its provision (day, written or
# oral, language); or ``kind`` ``standard_form``: the decision was given by the standard form of
# Art 12(3) (pactum.returns.translation; migration returns_0009_decision_translations).
return_decision_translations = Table(
    "return_decision_translations",
    metadata,
    id_column(),
    Column("return_decision_id", String(40), ForeignKey("return_decisions.id"), nullable=False, index=True),
    # NULL: the return decision itself; else the amended decision on the destination it concerns
    Column("destination_decision_id", String(40), ForeignKey("return_destination_decisions.id"), nullable=True),
    Column("member_state", String(2), nullable=False),
    Column("kind", String(20), nullable=False),  # 'translation' | 'standard_form'
    Column("requested_on", Date, nullable=True),
    Column("requested_language", String(3), nullable=True),  # ISO 639-3
    Column("recorded_by", String(120), nullable=False),
    Column("provided_on", Date, nullable=True),
    Column("provided_language", String(3), nullable=True),  # ISO 639-3
    Column("provided_mode", String(10), nullable=True),  # 'written' | 'oral'
    Column("provided_by", String(120), nullable=True),
    created_column(),
    version_column(),
)

#: The suspensions of a return decision, one row each, in the order they began (``number``): the
#: day it began and the day it was lifted (NULL while it lasts), the article that suspends it, the
#: reason recorded, who suspended and lifted it and when. Written by the same handlers, in the same
#: unit of work, as the decision's ``returns.decision.suspend`` and ``lift_suspension`` audit
#: entries; the period for voluntary departure is read from here (``pactum.returns.period``).
return_decision_suspensions = Table(
    "return_decision_suspensions",
    metadata,
    id_column(),
    Column("return_decision_id", String(40), ForeignKey("return_decisions.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("began_on", Date, nullable=False),
    Column("lifted_on", Date, nullable=True),
    # the article by which the decision is suspended (Directive 2008/115/EC Art 13(2), or the asylum
    # procedure's for the appeal against the negative asylum decision it was issued with)
    Column("basis", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("asylum_case_id", String(40), nullable=True),
    Column("suspended_by", String(80), nullable=False),
    Column("suspended_authority", String(10), nullable=False),
    Column("suspended_at", DateTime(timezone=True), nullable=False),
    Column("lift_reason", Text, nullable=True),
    Column("lifted_by", String(80), nullable=True),
    Column("lifted_authority", String(10), nullable=True),
    Column("lifted_at", DateTime(timezone=True), nullable=True),
)

#: The extensions of a decision's period for voluntary departure after it was issued (Directive
#: 2008/115/EC Art 7(2)), one row each: the day extended, the last day before and after, the
#: circumstances of Art 7(2) (``grounds``), the reasons, who extended it. The decision's
#: ``voluntary_departure_last_day`` holds the new last day.
return_decision_extensions = Table(
    "return_decision_extensions",
    metadata,
    id_column(),
    Column("return_decision_id", String(40), ForeignKey("return_decisions.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("extended_on", Date, nullable=False),
    Column("previous_last_day", Date, nullable=False),
    Column("new_last_day", Date, nullable=False),
    Column("grounds", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("extended_by", String(80), nullable=False),
    Column("authority", String(10), nullable=False),
    created_column(),
    #: the amended decision on the destination that kept the extension in force (Directive
    #: 2008/115/EC Art 7(2)); null for an extension the officer gave (migration returns_0016)
    Column("destination_decision_id", String(40), nullable=True),
)
