"""Reception: the capacity and occupancy reports of the Member States, and every version of each.

``reception_reports`` holds each report as it stands (one per state and date); a correction
replaces its figures under optimistic concurrency (``version``), and ``reception_report_versions``
keeps every version with who recorded it, when and why, so that an earlier figure is never lost.
"""

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pactum.reception.model import FIGURES
from pactum.store.tables.base import created_column, id_column, metadata, version_column

reception_reports = Table(
    "reception_reports",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("period", String(10), nullable=False),
    *(Column(name, Integer, nullable=False) for name in FIGURES),
    Column("contingency_plan", String(20), nullable=False),
    Column("note", Text, nullable=True),
    Column("recorded_by", String(120), nullable=False),
    created_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    version_column(),
    UniqueConstraint("member_state", "reported_on", name="uq_reception_reports_member_state_reported_on"),
    Index("ix_reception_reports_reported_on", "reported_on"),
)

reception_report_versions = Table(
    "reception_report_versions",
    metadata,
    id_column(),
    Column("report_id", String(40), ForeignKey("reception_reports.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("authority", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    UniqueConstraint("report_id", "version", name="uq_reception_report_versions_report_id_version"),
)

#: Decisions on one applicant's material reception conditions (Directive (EU) 2024/1346, Articles 21
#: and 23; Directive 2013/33/EU, Article 20): as they stand, under optimistic concurrency; the
#: audit entries keep every change (``reception.conditions_decided``, ``reception.conditions_lifted``).
reception_condition_decisions = Table(
    "reception_condition_decisions",
    metadata,
    id_column(),
    Column("member_state", String(2), nullable=False),
    Column("person_id", String(40), nullable=False),
    Column("case_id", String(40), nullable=True),
    Column("measure", String(20), nullable=False),
    Column("conditions", String(30), nullable=False),
    Column("ground", String(20), nullable=True),
    Column("regime", String(40), nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("required_state", String(2), nullable=True),
    Column("decided_on", Date, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("individual_assessment", Text, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("guarantees", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("lifted_on", Date, nullable=True),
    Column("restoration", String(10), nullable=True),
    Column("lift_reason", Text, nullable=True),
    Column("lift_basis", Text, nullable=True),
    Column("recorded_by", String(120), nullable=False),
    created_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    version_column(),
    Index("ix_reception_condition_decisions_member_state_status", "member_state", "status"),
    Index("ix_reception_condition_decisions_person_id", "person_id"),
)
