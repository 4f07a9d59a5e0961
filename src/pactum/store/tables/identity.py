"""Identity resolution: search keys, multiple-identity links and their verification, model
artefacts, biometric templates."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    text,
)

from pactum.store.tables.base import created_column, id_column, json_column, metadata, version_column

# Normalised comparison columns of every identity record, for the online search (one row a record).
# The columns besides ``features`` are what the candidate retrieval needs: the blocking keys, the
# inputs of its cheap pre-score and the visibility of the record (member state, Eurodac category).
# Each blocking index carries all of them (a covering index), so the database ranks a block without
# reading the table; only the few best candidates' ``features`` are read and scored in full.
_PRESCORE_COLUMNS = ("names_key", "names_key_local", "given_key", "surname_key", "father_key", "dob_year", "dob_full", "sex",
                     "nationality", "document", "member_state", "category", "identity_record_id")


def _covering(first: str) -> tuple[str, ...]:
    return (first, "dob_year", *(c for c in _PRESCORE_COLUMNS if c not in (first, "dob_year")))


identity_search_keys = Table(
    "identity_search_keys",
    metadata,
    Column("identity_record_id", String(40), ForeignKey("identity_records.id"), primary_key=True),
    Column("member_state", String(2), nullable=False),
    Column("names_key", String(200), nullable=True),
    Column("given_key", String(200), nullable=True),
    Column("surname_key", String(200), nullable=True),
    Column("dob_year", Integer, nullable=True),
    Column("document", String(60), nullable=True),
    json_column("features", nullable=False),
    Column("father_key", String(200), nullable=True),
    Column("dob_full", String(10), nullable=True),
    Column("sex", String(1), nullable=True),
    Column("category", String(30), nullable=True),
    Column("nationality", String(3), nullable=True),
    # the names key as the recording state's authorities read the letters (rule authority_reading)
    Column("names_key_local", String(200), nullable=True),
    # the normalisation that computed the keys (pactum.identity.normalise.NORMALISATION_VERSION)
    Column("keys_version", String(20), nullable=True, index=True),
    Index("ix_identity_search_keys_names_cover", *_covering("names_key")),
    Index("ix_identity_search_keys_names_local_cover", *_covering("names_key_local")),
    Index("ix_identity_search_keys_given_cover", *_covering("given_key")),
    Index("ix_identity_search_keys_surname_cover", *_covering("surname_key")),
    Index("ix_identity_search_keys_dob_cover", *_covering("dob_full")),
    Index("ix_identity_search_keys_document", "document"),
)

# Multiple-identity links (Reg. 2019/817 and 2019/818 Arts 30-33): white, yellow, green, red.
identity_links = Table(
    "identity_links",
    metadata,
    id_column(),
    Column("record_id", String(40), ForeignKey("identity_records.id"), nullable=False, index=True),
    Column("linked_record_id", String(40), ForeignKey("identity_records.id"), nullable=False, index=True),
    Column("colour", String(6), nullable=False),
    Column("status", String(10), nullable=False),  # pending | verified | automatic
    Column("verifying_authority", String(10), nullable=False, index=True),
    Column("match_probability", Float, nullable=True),
    Column("biometric_score", Float, nullable=True),
    json_column("basis", nullable=False),
    created_column(),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", String(120), nullable=True),
    Column("decision_reason", Text, nullable=True),
    version_column(),
)

# The comparison of each identity record registered (Eurodac compares on transmission, Reg. (EU)
# 2024/1358): a row is written in the registration's own transaction, pending until the
# comparison runs (at once on the web page and the command line, by the ``identity_comparison``
# job for the API), then holds when and how it ran and the candidates it returned. ``requested_*``
# is the registering officer on whose behalf the job compares (the links' verifying authority, the
# disclosures' recipient).
identity_comparisons = Table(
    "identity_comparisons",
    metadata,
    Column("identity_record_id", String(40), ForeignKey("identity_records.id"), primary_key=True),
    Column("member_state", String(2), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("requested_by", String(80), nullable=False),
    Column("requested_user_id", String(40), nullable=False),
    Column("requested_roles", String(200), nullable=False),
    Column("compared_at", DateTime(timezone=True), nullable=True),
    Column("compared_by", String(80), nullable=True),
    Column("compared_via", String(20), nullable=True),  # registration | scheduled | request
    json_column("outcome", nullable=True),
    Index("ix_identity_comparisons_pending", "requested_at", "identity_record_id",
          sqlite_where=text("compared_at IS NULL"), postgresql_where=text("compared_at IS NULL")),
)

# Trained linkage models: versioned artefacts with their match weights.
identity_models = Table(
    "identity_models",
    metadata,
    id_column(),
    Column("version", Integer, nullable=False, unique=True),
    Column("design_version", String(20), nullable=False),
    Column("trained_on", String(200), nullable=False),
    Column("labelled_pairs", Integer, nullable=False),
    json_column("model", nullable=False),
    json_column("metrics", nullable=True),
    Column("active", Boolean, nullable=False, default=False),
    created_column(),
)

# Biometric templates from the external extractor (fixed-length float32 vectors).
biometric_templates = Table(
    "biometric_templates",
    metadata,
    id_column(),
    Column("identity_record_id", String(40), ForeignKey("identity_records.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("dimensions", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Column("index_key", Integer, nullable=False, unique=True),
    created_column(),
)
