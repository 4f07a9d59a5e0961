"""resettlement: the person referred as the registry knows them (the Eurodac record of Art 18(2))

Regulation (EU) 2024/1350, Art 9(24) has the state transmit the data of the persons within its scope
to Eurodac under Art 18 of Regulation (EU) 2024/1358; Eurodac stores them (Art 19, Art 29(3), (4)) and
every later comparison of another state's applicant, irregular crosser, illegally staying or
disembarked person reaches them (Art 27(1)). One nullable column, ``person_id``: the registry's person
(``persons.id``, a person of the same state) the case is about, when the platform holds the person's
registry record. A case that names one has its transmission written as the registry's Eurodac record
of category ``union_resettlement``; a case that names none keeps the officer's statement of the day.

NULL on every existing row: no case was linked to a registry person before, and no link is guessed
from names. The rows' versions are left alone. Downgrading drops the column and the links it holds
(the registry's Eurodac records stay: they are the registry's).

Revision ID: resettlement_0008_registry_person
Revises: resettlement_0007_eurodac_transmission
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0008_registry_person"
down_revision = "resettlement_0007_eurodac_transmission"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.add_column(sa.Column("person_id", sa.String(40), nullable=True))
        batch.create_index("ix_resettlement_admissions_person_id", ["person_id"])


def downgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.drop_index("ix_resettlement_admissions_person_id")
        batch.drop_column("person_id")
