"""procedures: a short reference for every asylum case (``DE-2026-000123``)

Officers quote a case on the phone and in letters; its id (``asy_01M8…``) cannot be read out. Each
case gets a reference made of its state, the year its application was made and a running number
per state and year, unique (``ux_asylum_applications_reference``). New cases take the next number
from ``asylum_case_reference_counters`` in their own transaction. Existing cases are numbered here
in the order they were made (``made_on``, then recorded, ``created_at``, then ``id``), and the
counters are set to the last number given. On PostgreSQL the column is NOT NULL once filled;
SQLite cannot add that to an existing column without rebuilding the table, and the code always
gives one. Downgrading drops the references and the counters.

Revision ID: procedures_0004_case_reference
Revises: procedures_0003_border_maximum
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0004_case_reference"
down_revision = "procedures_0003_border_maximum"
branch_labels = None
depends_on = None

_CASES = sa.table(
    "asylum_applications", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("made_on", sa.Date()), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("reference", sa.String()))


def upgrade() -> None:
    op.create_table(
        "asylum_case_reference_counters",
        sa.Column("member_state", sa.String(2), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    op.add_column("asylum_applications", sa.Column("reference", sa.String(20), nullable=True))
    conn = op.get_bind()
    last: dict[tuple[str, int], int] = {}
    numbered = []
    rows = conn.execute(sa.select(_CASES.c.id, _CASES.c.member_state, _CASES.c.made_on)
                        .order_by(_CASES.c.made_on, _CASES.c.created_at, _CASES.c.id))
    for case_id, ms, made_on in rows:
        key = (ms, made_on.year)
        last[key] = last.get(key, 0) + 1
        numbered.append({"row_id": case_id, "ref": f"{ms}-{made_on.year}-{last[key]:06d}"})
    for i in range(0, len(numbered), 5000):
        conn.execute(sa.update(_CASES).where(_CASES.c.id == sa.bindparam("row_id"))
                     .values(reference=sa.bindparam("ref")), numbered[i:i + 5000])
    if last:
        counters = sa.table("asylum_case_reference_counters", sa.column("member_state", sa.String()),
                            sa.column("year", sa.Integer()), sa.column("last_number", sa.Integer()))
        conn.execute(sa.insert(counters), [{"member_state": ms, "year": year, "last_number": n}
                                           for (ms, year), n in sorted(last.items())])
    if conn.dialect.name == "postgresql":
        op.alter_column("asylum_applications", "reference", nullable=False)
    op.create_index("ux_asylum_applications_reference", "asylum_applications", ["reference"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_asylum_applications_reference", table_name="asylum_applications")
    op.drop_column("asylum_applications", "reference")
    op.drop_table("asylum_case_reference_counters")
