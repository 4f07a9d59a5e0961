"""resettlement: after a positive conclusion: status granted, consent withdrawn before entry; UNHCR informed

Regulation (EU) 2024/1350, Art 9(14)-(18): after a positive conclusion the Member State decides the
status (refugee or subsidiary protection status, a national humanitarian status after a humanitarian
admission, a family member's residence permit); Art 9(20): the entry within twelve months of the
conclusion (computed, not stored); Art 7(1) and 9(11): a person who withdraws consent after the
positive conclusion and before entering has the procedure discontinued, the conclusion's day kept in
``concluded_on``; Art 9(11), third subparagraph, and 9(13), second subparagraph: whether UNHCR was
given the reason of a discontinuation or a refusal. Five nullable columns, NULL on every existing row:
no status, no communication to UNHCR was recorded and none is invented (the demo world and the
officers record them). The rows' versions are left alone. Downgrading refuses while a procedure
discontinued after its positive conclusion is recorded (it would read as discontinued before any
conclusion, which it was not); the statuses and UNHCR records are dropped with their columns.

Revision ID: resettlement_0006_after_conclusion
Revises: resettlement_0005_discontinuation
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0006_after_conclusion"
down_revision = "resettlement_0005_discontinuation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.add_column(sa.Column("status_granted", sa.String(40), nullable=True))
        batch.add_column(sa.Column("status_decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("concluded_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("unhcr_informed", sa.String(20), nullable=True))
        batch.add_column(sa.Column("unhcr_informed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    n = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM resettlement_admissions WHERE concluded_on IS NOT NULL")).scalar()
    if n:
        raise RuntimeError(f"{n} admission procedures were discontinued after their positive conclusion (consent "
                           "withdrawn before the entry): correct them before downgrading below "
                           "resettlement_0006_after_conclusion")
    with op.batch_alter_table("resettlement_admissions") as batch:
        for name in ("unhcr_informed_on", "unhcr_informed", "concluded_on", "status_decided_on", "status_granted"):
            batch.drop_column(name)
