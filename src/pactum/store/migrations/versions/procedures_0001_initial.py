"""procedures: asylum applications and workflow events, decision statistics, safe-country
designations, border-procedure capacity notifications

Revision ID: procedures_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0001_initial"
down_revision = "0001_foundation"
branch_labels = ("procedures",)
depends_on = None

QUEUE_INCLUDE = ["member_state", "assigned_to", "person_id", "nationality", "procedure", "state",
                 "made_on", "next_deadline_kind", "unaccompanied_minor", "routing_mandatory"]


def upgrade() -> None:
    op.create_table('border_capacity_notifications',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=False),
    sa.Column('occupancy', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('annual_maximum', sa.Integer(), nullable=False),
    sa.Column('applications_this_year', sa.Integer(), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_border_capacity_notifications'))
    )
    op.create_index(op.f('ix_border_capacity_notifications_member_state'), 'border_capacity_notifications', ['member_state'], unique=False)
    op.create_table('decision_statistics',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('refugee_status', sa.Integer(), nullable=False),
    sa.Column('subsidiary_protection', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', 'member_state', 'nationality', name=op.f('pk_decision_statistics'))
    )
    op.create_index('ix_decision_statistics_nationality_year', 'decision_statistics', ['nationality', 'year'], unique=False)
    op.create_table('safe_country_designations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.String(length=3), nullable=False),
    sa.Column('concept', sa.String(length=30), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('exclusion', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safe_country_designations'))
    )
    op.create_index('ix_safe_country_designations_country', 'safe_country_designations', ['country', 'scope'], unique=False)
    op.create_table('asylum_applications',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('screening_id', sa.String(length=40), nullable=True),
    sa.Column('responsible_state', sa.String(length=2), nullable=True),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('context', sa.String(length=40), nullable=False),
    sa.Column('unaccompanied_minor', sa.Boolean(), nullable=False),
    sa.Column('procedure', sa.String(length=20), nullable=False),
    sa.Column('routing_mandatory', sa.Boolean(), nullable=False),
    sa.Column('routing_grounds', sa.JSON(), nullable=False),
    sa.Column('routing', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('lodged_on', sa.Date(), nullable=True),
    sa.Column('interview_held_on', sa.Date(), nullable=True),
    sa.Column('interpreter_language', sa.String(length=60), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('inadmissibility_ground', sa.String(length=40), nullable=True),
    sa.Column('drafted_by', sa.String(length=120), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('appeal_deadline', sa.Date(), nullable=True),
    sa.Column('appeal_lodged_on', sa.Date(), nullable=True),
    sa.Column('suspensive_effect', sa.Boolean(), nullable=True),
    sa.Column('appeal_outcome', sa.String(length=40), nullable=True),
    sa.Column('return_decision_id', sa.String(length=40), nullable=True),
    sa.Column('next_deadline', sa.Date(), nullable=True),
    sa.Column('next_deadline_kind', sa.String(length=40), nullable=True),
    sa.Column('assigned_to', sa.String(length=120), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_asylum_applications_person_id_persons')),
    sa.ForeignKeyConstraint(['screening_id'], ['screenings.id'], name=op.f('fk_asylum_applications_screening_id_screenings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asylum_applications'))
    )
    # the queue's indexes carry the listed columns (PostgreSQL INCLUDE) for index-only scans
    op.create_index('ix_asylum_applications_assignee', 'asylum_applications', ['assigned_to', 'closed', 'next_deadline', 'id'], unique=False, postgresql_include=QUEUE_INCLUDE)
    op.create_index('ix_asylum_applications_made', 'asylum_applications', ['member_state', 'made_on'], unique=False)
    op.create_index('ix_asylum_applications_ms_procedure', 'asylum_applications', ['member_state', 'procedure', 'state'], unique=False)
    op.create_index(op.f('ix_asylum_applications_person_id'), 'asylum_applications', ['person_id'], unique=False)
    op.create_index('ix_asylum_applications_queue', 'asylum_applications', ['member_state', 'closed', 'next_deadline', 'id'], unique=False, postgresql_include=QUEUE_INCLUDE)
    op.create_table('asylum_case_events',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=True),
    sa.Column('to_state', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['asylum_applications.id'], name=op.f('fk_asylum_case_events_case_id_asylum_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asylum_case_events'))
    )
    op.create_index(op.f('ix_asylum_case_events_case_id'), 'asylum_case_events', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_asylum_case_events_case_id'), table_name='asylum_case_events')
    op.drop_table('asylum_case_events')
    op.drop_index('ix_asylum_applications_queue', table_name='asylum_applications')
    op.drop_index(op.f('ix_asylum_applications_person_id'), table_name='asylum_applications')
    op.drop_index('ix_asylum_applications_ms_procedure', table_name='asylum_applications')
    op.drop_index('ix_asylum_applications_made', table_name='asylum_applications')
    op.drop_index('ix_asylum_applications_assignee', table_name='asylum_applications')
    op.drop_table('asylum_applications')
    op.drop_index('ix_safe_country_designations_country', table_name='safe_country_designations')
    op.drop_table('safe_country_designations')
    op.drop_index('ix_decision_statistics_nationality_year', table_name='decision_statistics')
    op.drop_table('decision_statistics')
    op.drop_index(op.f('ix_border_capacity_notifications_member_state'), table_name='border_capacity_notifications')
    op.drop_table('border_capacity_notifications')
