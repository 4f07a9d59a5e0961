"""solidarity: a deduction's Commission assessment and Council implementing act (AMMR Art 61(3)-(4));
the reference key's inputs loaded for a cycle (Art 66)

The demo world's four deductions (AT, CZ, HR, PL, full fair share) were recorded as granted by the
Commission on 1 July 2026 on requests of 15 June 2026. The Council decided them: its Implementing
Decision (EU) 2025/2642 of 19 December 2025, which established the 2026 pool, set those states'
contributions to 0 (DOMAIN.md 2.3). Those rows, and only those (the 2026 cycle adopted by that act,
the exact states and dates the demo world wrote), are moved to the act's timeline: requested on
25 November 2025, assessed by the Commission on 5 December 2025, granted by the Council's act of
19 December 2025, as the demo world now records them. Any other decision recorded before this
revision is kept with its status, the Commission's decision read as its assessment and no Council
act recorded.

Revision ID: solidarity_0004_deduction_council_key_figures
Revises: solidarity_0003_beneficiary_agreements
Create Date: 2026-11-30
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0004_deduction_council_key_figures"
down_revision = "solidarity_0003_beneficiary_agreements"
branch_labels = None
depends_on = None

COUNCIL_ACT = "Council Implementing Decision (EU) 2025/2642"


def upgrade() -> None:
    with op.batch_alter_table("solidarity_deductions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assessed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("assessment", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("council_act_reference", sa.String(length=120), nullable=True))
    op.create_table(
        "solidarity_key_figures",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("cycle_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("reference_year", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("gdp_meur", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["solidarity_cycles.id"],
                                name=op.f("fk_solidarity_key_figures_cycle_id_solidarity_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solidarity_key_figures")),
        sa.UniqueConstraint("cycle_id", "member_state", name="uq_solidarity_key_figures_cycle_state"),
    )
    with op.batch_alter_table("solidarity_key_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solidarity_key_figures_cycle_id"), ["cycle_id"], unique=False)

    conn = op.get_bind()
    days = ("requested", "assess_by", "assessed", "act_on", "old_requested", "old_decided")
    # the demo world's deductions, decided by the Council's act establishing the 2026 pool
    conn.execute(sa.text(
        "UPDATE solidarity_deductions SET requested_on = :requested, assess_by = :assess_by, "
        "assessed_on = :assessed, assessment = 'justified', council_act_reference = :act, decided_on = :act_on "
        "WHERE status = 'granted' AND member_state IN ('AT', 'CZ', 'HR', 'PL') "
        "AND requested_on = :old_requested AND decided_on = :old_decided AND cycle_id IN ("
        "SELECT id FROM solidarity_cycles WHERE year = 2026 AND council_act_reference = :act "
        "AND council_act_on = :act_on)").bindparams(*(sa.bindparam(d, type_=sa.Date()) for d in days)),
        {"requested": date(2025, 11, 25), "assess_by": date(2025, 12, 23), "assessed": date(2025, 12, 5),
         "act": COUNCIL_ACT, "act_on": date(2025, 12, 19), "old_requested": date(2026, 6, 15),
         "old_decided": date(2026, 7, 1)})
    # any other decision taken before the Council's step was recorded: the Commission's decision is
    # its assessment; no Council act is recorded
    conn.execute(sa.text(
        "UPDATE solidarity_deductions SET assessed_on = decided_on, assessment = CASE status "
        "WHEN 'granted' THEN 'justified' ELSE 'not_justified' END "
        "WHERE status IN ('granted', 'refused') AND assessed_on IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table("solidarity_key_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solidarity_key_figures_cycle_id"))
    op.drop_table("solidarity_key_figures")
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE solidarity_deductions SET status = 'requested' WHERE status = 'assessed'"))
    with op.batch_alter_table("solidarity_deductions", schema=None) as batch_op:
        batch_op.drop_column("council_act_reference")
        batch_op.drop_column("assessment")
        batch_op.drop_column("assessed_on")
