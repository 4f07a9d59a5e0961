"""Solidarity: annual cycles, pressure designations, needs, pledges, deductions, relocation transfers,
responsibility offsets (applications taken over instead of relocation), the reference key's inputs
loaded for a cycle."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

solidarity_cycles = Table(
    "solidarity_cycles",
    metadata,
    id_column(),
    Column("year", Integer, nullable=False, unique=True),
    Column("status", String(20), nullable=False),
    Column("pool_relocations", Integer, nullable=False),
    Column("pool_financial_eur", Integer, nullable=False),
    # the Commission's proposal (Art 12), kept when the Council's act amends the pool (Art 57): Art 63(1)
    # measures the relocation pledges against it
    Column("proposal_relocations", Integer, nullable=False),
    Column("proposal_financial_eur", Integer, nullable=False),
    Column("sar_earmark", Float, nullable=True),
    Column("proposal_on", Date, nullable=False),
    Column("forum_on", Date, nullable=True),
    Column("council_act_on", Date, nullable=True),
    Column("council_act_reference", String(120), nullable=True),
    Column("implementation_from", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    Column("created_by", String(120), nullable=False),
    created_column(),
    version_column(),
)

solidarity_designations = Table(
    "solidarity_designations",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("status", String(40), nullable=False),
    created_column(),
    UniqueConstraint("cycle_id", "member_state", name="uq_solidarity_designations_cycle_state"),
)

solidarity_needs = Table(
    "solidarity_needs",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("relocations", Integer, nullable=False),
    Column("financial_eur", Integer, nullable=False),
    Column("sar", Boolean, nullable=False),
    # the alternative solidarity measures requested (EUR; Arts 58(2), 59(2)(b)): those pledged and requested by
    # no benefitting state in the pool's year are converted into financial contributions (Art 57(4))
    Column("alternative_eur", Integer, nullable=False, default=0, server_default="0"),
    created_column(),
    version_column(),
    UniqueConstraint("cycle_id", "member_state", name="uq_solidarity_needs_cycle_state"),
)

solidarity_pledges = Table(
    "solidarity_pledges",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("relocations", Integer, nullable=False),
    Column("financial_eur", Integer, nullable=False),
    Column("alternative_eur", Integer, nullable=False),
    Column("alternative_description", Text, nullable=True),
    Column("preferred_beneficiaries", JSON, nullable=False),
    Column("paid_eur", Integer, nullable=False),
    Column("alternative_done_eur", Integer, nullable=False),
    created_column(),
    version_column(),
    UniqueConstraint("cycle_id", "member_state", name="uq_solidarity_pledges_cycle_state"),
)

solidarity_deductions = Table(
    "solidarity_deductions",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("relocations", Integer, nullable=False),
    Column("grounds", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("requested_on", Date, nullable=False),
    Column("assess_by", Date, nullable=False),
    # the Commission's assessment (Art 61(3)): its date and outcome, ``justified`` or ``not_justified``
    Column("assessed_on", Date, nullable=True),
    Column("assessment", String(20), nullable=True),
    # the Council's implementing act that grants or refuses the deduction (Art 61(4)), adopted on ``decided_on``
    Column("council_act_reference", String(120), nullable=True),
    Column("decided_on", Date, nullable=True),
    # on what the request rests (Arts 61(1), 62(1)): the state's designation in the Commission's decision
    # (Art 11) when it was made, if any, and whether the state asks on its own assessment (the decision
    # did not identify it in the situation of its grounds), with the request's content (Arts 61(2),
    # 62(2)-(3): item -> text), required then
    Column("designation", String(40), nullable=True),
    Column("own_assessment", Boolean, nullable=False, server_default="0"),
    Column("substantiation", JSON, nullable=True),
    # the replacement of pledged relocations by another type of contribution the request asks for
    # (Arts 61(2)(b), 62(2)(b)): how many relocations, by what (``financial`` or ``alternative``), at what
    # value per relocation (Art 12(3), on the day of the request) and, for alternative measures, which
    Column("replacement_relocations", Integer, nullable=True),
    Column("replacement_by", String(20), nullable=True),
    Column("replacement_eur_per_relocation", Integer, nullable=True),
    Column("replacement_description", Text, nullable=True),
    # what the Council's act granted when it granted less than was asked (NULL: all of it)
    Column("granted_relocations", Integer, nullable=True),
    Column("granted_replacement_relocations", Integer, nullable=True),
    # a replacement of another pledged type (Arts 61(2)(b), 62(2)(b): "the contribution it pledged", of any
    # type): what is replaced (``financial`` or ``alternative``; NULL: relocations, as
    # ``replacement_relocations`` counts them), how much (EUR) and what the Council granted of it (NULL: all);
    # ``replacement_by`` may then be ``relocations`` too
    Column("replacement_of", String(20), nullable=True),
    Column("replacement_eur", Integer, nullable=True),
    Column("granted_replacement_eur", Integer, nullable=True),
    created_column(),
    version_column(),
)

#: The reference key's inputs the Commission loaded for a cycle (Art 66, Annex I): population and GDP
#: (million EUR, exact decimal text) of each bound state for one reference year, from a named source.
#: A cycle without them takes the shipped Eurostat figures.
solidarity_key_figures = Table(
    "solidarity_key_figures",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("reference_year", Integer, nullable=False),
    Column("population", Integer, nullable=False),
    Column("gdp_meur", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("loaded_by", String(120), nullable=False),
    created_column(),
    UniqueConstraint("cycle_id", "member_state", name="uq_solidarity_key_figures_cycle_state"),
)

relocation_transfers = Table(
    "relocation_transfers",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=True, index=True),
    Column("era", String(10), nullable=False),
    Column("applicant_ref", String(60), nullable=False),
    Column("family_ref", String(60), nullable=True),
    Column("person_id", String(40), ForeignKey("persons.id"), nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("origin_member_state", String(2), nullable=False, index=True),
    Column("destination_member_state", String(2), nullable=False, index=True),
    Column("link_kind", String(30), nullable=True),
    # applicant | beneficiary (of international protection, Art 56(2)(a)); consent_on: written consent
    Column("person_status", String(20), nullable=False, server_default="applicant"),
    Column("protection_granted_on", Date, nullable=True),
    Column("consent_on", Date, nullable=True),
    Column("stage", String(20), nullable=False),
    Column("matched_on", Date, nullable=False),
    Column("security_cleared_on", Date, nullable=True),
    Column("accepted_on", Date, nullable=True),
    Column("transfer_decided_on", Date, nullable=True),
    # AMMR relocations, from the relocation state's confirmation (accepted_on, Art 67(9)): the
    # transfer decision's time limit (Art 67(10)) and the transfer deadline (Art 67(11)), the latter
    # from the final decision on a suspensive appeal or review (Art 43(3)) when one is recorded
    Column("transfer_decision_due", Date, nullable=True),
    Column("suspensive_appeal_decided_on", Date, nullable=True),
    Column("transfer_deadline", Date, nullable=True),
    Column("arrived_on", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    Column("trace", JSON, nullable=False),
    created_column(),
    version_column(),
)

solidarity_offsets = Table(
    "solidarity_offsets",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("beneficiary_member_state", String(2), nullable=False, index=True),
    Column("contributor_member_state", String(2), nullable=False, index=True),
    Column("case_id", String(40), nullable=False, unique=True),
    Column("case_reference", String(60), nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("mandatory", Boolean, nullable=False),
    Column("taken_over_on", Date, nullable=False),
    Column("legal_basis", JSON, nullable=False),
    Column("created_by", String(120), nullable=False),
    created_column(),
)

#: A contributing state's agreement with a benefitting state to receive beneficiaries of
#: international protection from it (AMMR Art 56(2)(a): their relocation "where bilaterally
#: agreed"), in force from ``agreed_on`` until ``ended_on`` (exclusive) if it ends.
solidarity_beneficiary_agreements = Table(
    "solidarity_beneficiary_agreements",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("contributor_member_state", String(2), nullable=False),
    Column("beneficiary_member_state", String(2), nullable=False),
    Column("agreed_on", Date, nullable=False),
    Column("ended_on", Date, nullable=True),
    Column("created_by", String(120), nullable=False),
    created_column(),
    version_column(),
    UniqueConstraint("cycle_id", "contributor_member_state", "beneficiary_member_state",
                     name="uq_solidarity_beneficiary_agreements_pair"),
)


#: The Commission's coordinator assigns a contributing state's pledged alternative solidarity measures
#: (EUR, Art 56(2)(c)), not matched to a particular beneficiary in the pledge, to a benefitting state that
#: requested such measures (Art 65(1): "si basano su una richiesta specifica dello Stato membro
#: beneficiario"; Art 60(2): the coordinator coordinates their balanced distribution among the
#: benefitting states), for ``eur`` of them, on ``assigned_on``.
solidarity_measure_assignments = Table(
    "solidarity_measure_assignments",
    metadata,
    id_column(),
    Column("cycle_id", String(40), ForeignKey("solidarity_cycles.id"), nullable=False, index=True),
    Column("contributor_member_state", String(2), nullable=False),
    Column("beneficiary_member_state", String(2), nullable=False),
    Column("measure_type", String(20), nullable=False),
    Column("eur", Integer, nullable=False),
    Column("assigned_on", Date, nullable=False),
    Column("created_by", String(120), nullable=False),
    created_column(),
    version_column(),
)
