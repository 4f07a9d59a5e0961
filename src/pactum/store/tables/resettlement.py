"""Resettlement: plans (Union Plans and earlier pledging exercises), each state's pledge under a
plan, and the persons referred for admission under it (enough to count places and check the
procedure's duration, not a case file)."""

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
    UniqueConstraint,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

resettlement_plans = Table(
    "resettlement_plans",
    metadata,
    id_column(),
    Column("key", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("first_year", Integer, nullable=False),
    Column("last_year", Integer, nullable=False),
    Column("title", String(200), nullable=True),
    Column("council_act_reference", String(120), nullable=True),
    Column("council_act_date", Date, nullable=True),
    Column("total_places", Integer, nullable=False),
    Column("resettlement", Integer, nullable=True),
    Column("humanitarian_admission", Integer, nullable=True),
    Column("emergency_admission", Integer, nullable=True),
    Column("first_asylum_countries", JSON, nullable=False),
    Column("regions", JSON, nullable=False),
    Column("announced_states", Integer, nullable=True),
    Column("source", Text, nullable=True),
    Column("status", String(10), nullable=False),
    Column("closed_on", Date, nullable=True),
    created_column(),
    Column("created_by", String(120), nullable=False),
    version_column(),
    UniqueConstraint("key", name="uq_resettlement_plans_key"),
)

resettlement_pledges = Table(
    "resettlement_pledges",
    metadata,
    id_column(),
    Column("plan_id", String(40), ForeignKey("resettlement_plans.id"), nullable=False),
    Column("member_state", String(2), nullable=False),
    Column("lines", JSON, nullable=False),
    Column("resettlement", Integer, nullable=False),
    Column("humanitarian_admission", Integer, nullable=False),
    Column("emergency_admission", Integer, nullable=False),
    created_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(120), nullable=False),
    version_column(),
    UniqueConstraint("plan_id", "member_state", name="uq_resettlement_pledges_plan_id_member_state"),
)

resettlement_admissions = Table(
    "resettlement_admissions",
    metadata,
    id_column(),
    Column("plan_id", String(40), ForeignKey("resettlement_plans.id"), nullable=False),
    Column("member_state", String(2), nullable=False),
    Column("case_reference", String(40), nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("first_asylum", String(3), nullable=False),
    Column("category", String(30), nullable=False),
    Column("procedure", String(10), nullable=False),
    Column("referred_on", Date, nullable=False),
    # the day the state registered the person (Art 9(3) of Reg. 2024/1350): the procedure's
    # periods run from it; NULL while not recorded (the clock has not started)
    Column("registered_on", Date, nullable=True),
    # admitted, refused; "withdrawn" (the referral), "discontinued" (the procedure, Art 9(11))
    Column("decision", String(20), nullable=True),
    Column("decided_on", Date, nullable=True),
    # a point of Art 6 of Reg. 2024/1350 or "other" (pactum.resettlement.model.RefusalGround)
    Column("refusal_ground", String(30), nullable=True),
    Column("refusal_reason", Text, nullable=True),
    Column("arrived_on", Date, nullable=True),
    # the ordinary procedure's time limit extended by three months (Art 9(9), second sentence)
    Column("extended_on", Date, nullable=True),
    Column("extension_reason", Text, nullable=True),
    # the point of Art 9(11) a discontinued procedure was discontinued on (its day and reason are
    # in decided_on and refusal_reason, as a withdrawal's)
    Column("discontinuation_ground", String(40), nullable=True),
    # after a positive conclusion (Art 9(15)-(18)): the status granted and the day of its decision
    Column("status_granted", String(40), nullable=True),
    Column("status_decided_on", Date, nullable=True),
    # a procedure discontinued after its positive conclusion (consent withdrawn before the entry,
    # Art 7(1), 9(11)): the day of that conclusion (decided_on then holds the discontinuation's)
    Column("concluded_on", Date, nullable=True),
    # whether the reason of a discontinuation (Art 9(11), third subparagraph) or of a refusal (Art
    # 9(13), second subparagraph) was communicated to UNHCR: informed, not_necessary, public_interest
    Column("unhcr_informed", String(20), nullable=True),
    Column("unhcr_informed_on", Date, nullable=True),
    # the transmission to Eurodac after a decision of Art 18(2) of Regulation (EU) 2024/1358 (Art
    # 9(24)): its day, or that the person is under six (no biometric data are taken)
    Column("eurodac_transmitted_on", Date, nullable=True),
    Column("eurodac_under_six", Boolean, nullable=True),
    # the transmission for comparison before the conclusion (Art 18(1) of Regulation (EU) 2024/1358):
    # its day, or that a negative conclusion was reached without a comparison (the exception)
    Column("eurodac_compared_on", Date, nullable=True),
    Column("eurodac_comparison_not_needed", Boolean, nullable=True),
    # the registry's person the case is about (persons.id, of the same state), when the platform holds
    # the person's record: the transmission to Eurodac is then the registry's union_resettlement record
    Column("person_id", String(40), nullable=True),
    created_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    version_column(),
    UniqueConstraint("member_state", "case_reference",
                     name="uq_resettlement_admissions_member_state_case_reference"),
    Index("ix_resettlement_admissions_plan_state", "plan_id", "member_state"),
    Index("ix_resettlement_admissions_arrived_on", "arrived_on"),
    Index("ix_resettlement_admissions_person_id", "person_id"),
)
