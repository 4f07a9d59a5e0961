"""responsibility: Dublin cases with their determination, requests between Member States and
their timeline

Revision ID: responsibility_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0001_initial"
down_revision = "0001_foundation"
branch_labels = ("responsibility",)
depends_on = None


def upgrade() -> None:
    op.create_table('dublin_cases',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=True),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('regime', sa.String(length=12), nullable=False),
    sa.Column('responsible_member_state', sa.String(length=2), nullable=False),
    sa.Column('criterion', sa.String(length=40), nullable=False),
    sa.Column('legal_basis', sa.JSON(), nullable=False),
    sa.Column('trace', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dublin_cases'))
    )
    op.create_index(op.f('ix_dublin_cases_member_state'), 'dublin_cases', ['member_state'], unique=False)
    op.create_index(op.f('ix_dublin_cases_person_id'), 'dublin_cases', ['person_id'], unique=False)
    op.create_table('dublin_requests',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('regime', sa.String(length=12), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('requesting_member_state', sa.String(length=2), nullable=False),
    sa.Column('requested_member_state', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('criterion', sa.String(length=40), nullable=True),
    sa.Column('legal_basis', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('eurodac_hit', sa.Boolean(), nullable=False),
    sa.Column('hit_on', sa.Date(), nullable=True),
    sa.Column('detained', sa.Boolean(), nullable=False),
    sa.Column('unaccompanied_minor', sa.Boolean(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('request_deadline', sa.Date(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('reply_due', sa.Date(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('refusal_reasons', sa.Text(), nullable=True),
    sa.Column('reexamination_due', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('transfer_decision_due', sa.Date(), nullable=True),
    sa.Column('transfer_decided_on', sa.Date(), nullable=True),
    sa.Column('transfer_planned_on', sa.Date(), nullable=True),
    sa.Column('transfer_arrangements', sa.JSON(), nullable=True),
    sa.Column('transfer_due', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.String(length=20), nullable=True),
    sa.Column('transferred_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('responsible_member_state', sa.String(length=2), nullable=True),
    sa.Column('deadlines', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dublin_requests'))
    )
    op.create_index(op.f('ix_dublin_requests_case_id'), 'dublin_requests', ['case_id'], unique=False)
    op.create_index('ix_dublin_requests_requested_status', 'dublin_requests', ['requested_member_state', 'status'], unique=False)
    op.create_index('ix_dublin_requests_requesting_status', 'dublin_requests', ['requesting_member_state', 'status'], unique=False)
    op.create_index('ix_dublin_requests_status_reexamination_due', 'dublin_requests', ['status', 'reexamination_due'], unique=False)
    op.create_index('ix_dublin_requests_status_reply_due', 'dublin_requests', ['status', 'reply_due'], unique=False)
    op.create_index('ix_dublin_requests_status_transfer_due', 'dublin_requests', ['status', 'transfer_due'], unique=False)
    op.create_table('dublin_request_events',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('request_id', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('authority', sa.String(length=10), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dublin_request_events'))
    )
    op.create_index(op.f('ix_dublin_request_events_case_id'), 'dublin_request_events', ['case_id'], unique=False)
    op.create_index(op.f('ix_dublin_request_events_request_id'), 'dublin_request_events', ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_table('dublin_request_events')
    op.drop_table('dublin_requests')
    op.drop_table('dublin_cases')
