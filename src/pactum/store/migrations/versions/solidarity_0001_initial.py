"""solidarity: annual cycles, pressure designations, needs, pledges, deductions, relocation transfers

Revision ID: solidarity_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28 16:00:26.610468
"""

import sqlalchemy as sa
from alembic import op

revision = 'solidarity_0001_initial'
down_revision = '0001_foundation'
branch_labels = ('solidarity',)
depends_on = None


def upgrade() -> None:
    op.create_table('solidarity_cycles',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('pool_relocations', sa.Integer(), nullable=False),
    sa.Column('pool_financial_eur', sa.Integer(), nullable=False),
    sa.Column('sar_earmark', sa.Float(), nullable=True),
    sa.Column('proposal_on', sa.Date(), nullable=False),
    sa.Column('forum_on', sa.Date(), nullable=True),
    sa.Column('council_act_on', sa.Date(), nullable=True),
    sa.Column('council_act_reference', sa.String(length=120), nullable=True),
    sa.Column('implementation_from', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solidarity_cycles')),
    sa.UniqueConstraint('year', name=op.f('uq_solidarity_cycles_year'))
    )
    op.create_table('relocation_transfers',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('cycle_id', sa.String(length=40), nullable=True),
    sa.Column('era', sa.String(length=10), nullable=False),
    sa.Column('applicant_ref', sa.String(length=60), nullable=False),
    sa.Column('family_ref', sa.String(length=60), nullable=True),
    sa.Column('person_id', sa.String(length=40), nullable=True),
    sa.Column('nationality', sa.String(length=3), nullable=True),
    sa.Column('origin_member_state', sa.String(length=2), nullable=False),
    sa.Column('destination_member_state', sa.String(length=2), nullable=False),
    sa.Column('link_kind', sa.String(length=30), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('matched_on', sa.Date(), nullable=False),
    sa.Column('security_cleared_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('transfer_decided_on', sa.Date(), nullable=True),
    sa.Column('transfer_deadline', sa.Date(), nullable=True),
    sa.Column('arrived_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('trace', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['solidarity_cycles.id'], name=op.f('fk_relocation_transfers_cycle_id_solidarity_cycles')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_relocation_transfers_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relocation_transfers'))
    )
    with op.batch_alter_table('relocation_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relocation_transfers_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relocation_transfers_destination_member_state'), ['destination_member_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_relocation_transfers_origin_member_state'), ['origin_member_state'], unique=False)

    op.create_table('solidarity_deductions',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('cycle_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('relocations', sa.Integer(), nullable=False),
    sa.Column('grounds', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('assess_by', sa.Date(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['solidarity_cycles.id'], name=op.f('fk_solidarity_deductions_cycle_id_solidarity_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solidarity_deductions'))
    )
    with op.batch_alter_table('solidarity_deductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solidarity_deductions_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('solidarity_designations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('cycle_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['solidarity_cycles.id'], name=op.f('fk_solidarity_designations_cycle_id_solidarity_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solidarity_designations')),
    sa.UniqueConstraint('cycle_id', 'member_state', name='uq_solidarity_designations_cycle_state')
    )
    with op.batch_alter_table('solidarity_designations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solidarity_designations_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('solidarity_needs',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('cycle_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('relocations', sa.Integer(), nullable=False),
    sa.Column('financial_eur', sa.Integer(), nullable=False),
    sa.Column('sar', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['solidarity_cycles.id'], name=op.f('fk_solidarity_needs_cycle_id_solidarity_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solidarity_needs')),
    sa.UniqueConstraint('cycle_id', 'member_state', name='uq_solidarity_needs_cycle_state')
    )
    with op.batch_alter_table('solidarity_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solidarity_needs_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('solidarity_pledges',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('cycle_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('relocations', sa.Integer(), nullable=False),
    sa.Column('financial_eur', sa.Integer(), nullable=False),
    sa.Column('alternative_eur', sa.Integer(), nullable=False),
    sa.Column('alternative_description', sa.Text(), nullable=True),
    sa.Column('preferred_beneficiaries', sa.JSON(), nullable=False),
    sa.Column('paid_eur', sa.Integer(), nullable=False),
    sa.Column('alternative_done_eur', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['solidarity_cycles.id'], name=op.f('fk_solidarity_pledges_cycle_id_solidarity_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solidarity_pledges')),
    sa.UniqueConstraint('cycle_id', 'member_state', name='uq_solidarity_pledges_cycle_state')
    )
    with op.batch_alter_table('solidarity_pledges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solidarity_pledges_cycle_id'), ['cycle_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('solidarity_pledges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solidarity_pledges_cycle_id'))

    op.drop_table('solidarity_pledges')
    with op.batch_alter_table('solidarity_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solidarity_needs_cycle_id'))

    op.drop_table('solidarity_needs')
    with op.batch_alter_table('solidarity_designations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solidarity_designations_cycle_id'))

    op.drop_table('solidarity_designations')
    with op.batch_alter_table('solidarity_deductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solidarity_deductions_cycle_id'))

    op.drop_table('solidarity_deductions')
    with op.batch_alter_table('relocation_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relocation_transfers_origin_member_state'))
        batch_op.drop_index(batch_op.f('ix_relocation_transfers_destination_member_state'))
        batch_op.drop_index(batch_op.f('ix_relocation_transfers_cycle_id'))

    op.drop_table('relocation_transfers')
    op.drop_table('solidarity_cycles')
