"""Registration of arrivals: persons, identity records, encounters, biometrics, Eurodac, screening."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

persons = Table(
    "persons",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False, index=True),
    created_column(),
    version_column(),
)

identity_records = Table(
    "identity_records",
    metadata,
    id_column(),
    Column("person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("category", String(30), nullable=False),
    Column("given_names", String(200), nullable=True),
    Column("surname", String(200), nullable=True),
    Column("given_names_latin", String(200), nullable=True),
    Column("surname_latin", String(200), nullable=True),
    Column("father_name", String(200), nullable=True),
    Column("sex", String(1), nullable=True),
    Column("date_of_birth", String(10), nullable=True),
    Column("place_of_birth", String(200), nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("document_type", String(30), nullable=True),
    Column("document_number", String(60), nullable=True),
    Column("document_country", String(3), nullable=True),
    Column("document_expiry", Date, nullable=True),
    created_column(),
    version_column(),
    Index("ix_identity_records_ms_surname", "member_state", "surname_latin"),
    Index("ix_identity_records_dob", "date_of_birth"),
)

# Every identity document the person presented; the first is also on the identity record, where
# the linkage and search use it.
identity_documents = Table(
    "identity_documents",
    metadata,
    id_column(),
    Column(
        "identity_record_id", String(40), ForeignKey("identity_records.id"), nullable=False, index=True
    ),
    Column("document_type", String(30), nullable=False),
    Column("document_number", String(60), nullable=False),
    Column("document_country", String(3), nullable=False),
    Column("document_expiry", Date, nullable=True),
)

encounters = Table(
    "encounters",
    metadata,
    id_column(),
    Column("person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True),
    Column("identity_record_id", String(40), ForeignKey("identity_records.id"), nullable=False),
    Column("member_state", String(2), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("place", String(200), nullable=True),
    Column("border_section", String(200), nullable=True),
    Column("route", String(80), nullable=True),
    Column("kind", String(40), nullable=False),
    # where it happened, when the state has territory on another clock (ISO 3166-2: ES-CN, PT-20,
    # PT-30), and the time zone (IANA) of the place, whose days the encounter's periods count and
    # whose clock shows its times; null on encounters registered before it was recorded
    # (migration registry_0006_encounter_time_zone)
    Column("region", String(6), nullable=True),
    Column("time_zone", String(40), nullable=True),
    created_column(),
    Index("ix_encounters_ms_occurred", "member_state", "occurred_at"),
    Index("ix_encounters_route_occurred", "route", "occurred_at"),
)

biometric_captures = Table(
    "biometric_captures",
    metadata,
    id_column(),
    Column(
        "identity_record_id", String(40), ForeignKey("identity_records.id"), nullable=False, index=True
    ),
    Column("template_ref", String(120), nullable=True),
    Column("captured_at", DateTime(timezone=True), nullable=True),
    Column("transmitted_at", DateTime(timezone=True), nullable=True),
    Column("transmission_deadline", DateTime(timezone=True), nullable=True),
    Column("transmission_met", Boolean, nullable=True),
    Column("below_minimum_age", Boolean, nullable=False, default=False),
)

eurodac_records = Table(
    "eurodac_records",
    metadata,
    id_column(),
    Column(
        "identity_record_id", String(40), ForeignKey("identity_records.id"), nullable=True, index=True
    ),
    Column("member_state", String(2), nullable=False),
    Column("category", String(30), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("retention_until", Date, nullable=False, index=True),
    Column("marked_at", DateTime(timezone=True), nullable=True),
    Column("erased_at", DateTime(timezone=True), nullable=True),
)

screenings = Table(
    "screenings",
    metadata,
    id_column(),
    Column("person_id", String(40), ForeignKey("persons.id"), nullable=False, index=True),
    Column("encounter_id", String(40), ForeignKey("encounters.id"), nullable=True),
    Column("member_state", String(2), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("deadline_at", DateTime(timezone=True), nullable=False),
    Column("variant", String(30), nullable=False),
    # the time zone (IANA) of the place where the screening runs, the encounter's: its days and the
    # clock its times are shown on (null: read from the deadline, registry.local_time.screening_zone_name)
    Column("time_zone", String(40), nullable=True),
    # Screening Regulation Art 17(1) form, points (a)-(i); (a) and (b) also live on the identity record
    Column("identity_summary", Text, nullable=True),  # (a) name, date/place of birth, gender
    Column("nationalities", String(200), nullable=True),  # (b) nationalities or statelessness
    Column("residence_before_arrival", String(200), nullable=True),  # (b)
    Column("languages", String(200), nullable=True),  # (b)
    Column("reason", String(60), nullable=True),  # (c)
    Column("health_check", Text, nullable=True),  # (d)
    Column("vulnerability", Text, nullable=True),  # (e)
    Column("applied_for_protection", Boolean, nullable=True),  # (f)
    Column("family_in_member_state", Text, nullable=True),  # (g)
    Column("database_hit", Boolean, nullable=True),  # (h)
    Column("cooperated", Boolean, nullable=True),  # (i)
    Column("outcome", String(30), nullable=True),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    version_column(),
    Index("ix_screenings_ms_deadline", "member_state", "deadline_at"),
)
