"""returns: return decisions, SIS return alerts and hits, entry-ban alerts, operations,
readmission requests, assisted voluntary return, notifications

Revision ID: returns_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0001_initial"
down_revision = "0001_foundation"
branch_labels = ("returns",)
depends_on = None


def upgrade() -> None:
    op.create_table('return_operations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('organising_member_state', sa.String(length=2), nullable=False),
    sa.Column('destination_country', sa.String(length=3), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('escorts', sa.Integer(), nullable=False),
    sa.Column('participating_states', sa.JSON(), nullable=False),
    sa.Column('frontex_support', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_operations'))
    )
    op.create_table('return_decisions',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('identity_record_id', sa.String(length=40), nullable=True),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('asylum_case_id', sa.String(length=40), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=120), nullable=False),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('destination_country', sa.String(length=3), nullable=True),
    sa.Column('grounds', sa.JSON(), nullable=False),
    sa.Column('voluntary_departure_days', sa.Integer(), nullable=False),
    sa.Column('voluntary_departure_last_day', sa.Date(), nullable=True),
    sa.Column('entry_ban_years', sa.Integer(), nullable=True),
    sa.Column('entry_ban_starts_on', sa.Date(), nullable=True),
    sa.Column('entry_ban_ends_on', sa.Date(), nullable=True),
    sa.Column('legal_basis', sa.JSON(), nullable=False),
    sa.Column('trace', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('identity_confirmed', sa.Boolean(), nullable=False),
    sa.Column('travel_document', sa.Boolean(), nullable=False),
    sa.Column('fit_to_travel', sa.Boolean(), nullable=False),
    sa.Column('absconded', sa.Boolean(), nullable=False),
    sa.Column('departed_on', sa.Date(), nullable=True),
    sa.Column('departure_member_state', sa.String(length=2), nullable=True),
    sa.Column('departure_mode', sa.String(length=20), nullable=True),
    sa.Column('expiry_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['identity_record_id'], ['identity_records.id'], name=op.f('fk_return_decisions_identity_record_id_identity_records')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_return_decisions_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_decisions')),
    sa.UniqueConstraint('reference', name=op.f('uq_return_decisions_reference'))
    )
    with op.batch_alter_table('return_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_return_decisions_departed', ['departure_member_state', 'departed_on'], unique=False)
        batch_op.create_index('ix_return_decisions_ms_issued', ['member_state', 'issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_decisions_person_id'), ['person_id'], unique=False)

    op.create_table('avr_cases',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('funding_source', sa.String(length=200), nullable=False),
    sa.Column('amount_eur', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('destination_country', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('departed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_avr_cases_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_avr_cases'))
    )
    with op.batch_alter_table('avr_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_avr_cases_return_decision_id'), ['return_decision_id'], unique=False)

    op.create_table('entry_ban_alerts',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('identity_record_id', sa.String(length=40), nullable=True),
    sa.Column('issuing_member_state', sa.String(length=2), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_entry_ban_alerts_person_id_persons')),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_entry_ban_alerts_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_ban_alerts'))
    )
    with op.batch_alter_table('entry_ban_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_ban_alerts_person_id'), ['person_id'], unique=False)

    op.create_table('readmission_requests',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('destination_country', sa.String(length=3), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answer_reference', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_readmission_requests_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readmission_requests'))
    )
    with op.batch_alter_table('readmission_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_readmission_requests_return_decision_id'), ['return_decision_id'], unique=False)

    op.create_table('return_alerts',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('identity_record_id', sa.String(length=40), nullable=True),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('issuing_member_state', sa.String(length=2), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('surnames', sa.String(length=200), nullable=True),
    sa.Column('forenames', sa.String(length=200), nullable=True),
    sa.Column('names_at_birth', sa.String(length=200), nullable=True),
    sa.Column('previous_names', sa.String(length=400), nullable=True),
    sa.Column('place_of_birth', sa.String(length=200), nullable=True),
    sa.Column('date_of_birth', sa.String(length=10), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('nationalities', sa.String(length=60), nullable=True),
    sa.Column('flags', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('issuing_authority', sa.String(length=200), nullable=True),
    sa.Column('decision_reference', sa.String(length=60), nullable=True),
    sa.Column('action_on_hit', sa.Text(), nullable=True),
    sa.Column('links', sa.Text(), nullable=True),
    sa.Column('public_order_threat', sa.Boolean(), nullable=False),
    sa.Column('offence_type', sa.String(length=200), nullable=True),
    sa.Column('document_category', sa.String(length=30), nullable=True),
    sa.Column('document_country', sa.String(length=3), nullable=True),
    sa.Column('document_number', sa.String(length=60), nullable=True),
    sa.Column('document_issue_date', sa.Date(), nullable=True),
    sa.Column('photo_ref', sa.String(length=120), nullable=True),
    sa.Column('fingerprints_ref', sa.String(length=120), nullable=True),
    sa.Column('document_copy_ref', sa.String(length=120), nullable=True),
    sa.Column('voluntary_departure_last_day', sa.Date(), nullable=True),
    sa.Column('decision_suspended', sa.Boolean(), nullable=False),
    sa.Column('entry_ban', sa.Boolean(), nullable=False),
    sa.Column('deletion_reason', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['identity_record_id'], ['identity_records.id'], name=op.f('fk_return_alerts_identity_record_id_identity_records')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_return_alerts_person_id_persons')),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_return_alerts_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_alerts'))
    )
    with op.batch_alter_table('return_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_alerts_identity_record_id'), ['identity_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_alerts_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_alerts_return_decision_id'), ['return_decision_id'], unique=False)
        batch_op.create_index('ix_return_alerts_status_surnames', ['status', 'surnames'], unique=False)

    op.create_table('return_notifications',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=True),
    sa.Column('hit_id', sa.String(length=40), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_return_notifications_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_notifications'))
    )
    with op.batch_alter_table('return_notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_notifications_member_state'), ['member_state'], unique=False)

    op.create_table('return_operation_participants',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('operation_id', sa.String(length=40), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['operation_id'], ['return_operations.id'], name=op.f('fk_return_operation_participants_operation_id_return_operations')),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_return_operation_participants_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_operation_participants'))
    )
    with op.batch_alter_table('return_operation_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_operation_participants_operation_id'), ['operation_id'], unique=False)

    op.create_table('return_alert_hits',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('alert_id', sa.String(length=40), nullable=False),
    sa.Column('return_decision_id', sa.String(length=40), nullable=False),
    sa.Column('issuing_member_state', sa.String(length=2), nullable=False),
    sa.Column('executing_member_state', sa.String(length=2), nullable=False),
    sa.Column('local_person_id', sa.String(length=40), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('reported_by', sa.String(length=120), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['return_alerts.id'], name=op.f('fk_return_alert_hits_alert_id_return_alerts')),
    sa.ForeignKeyConstraint(['return_decision_id'], ['return_decisions.id'], name=op.f('fk_return_alert_hits_return_decision_id_return_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_alert_hits'))
    )
    with op.batch_alter_table('return_alert_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_alert_hits_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_alert_hits_executing_member_state'), ['executing_member_state'], unique=False)

    op.create_table('return_hit_messages',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('hit_id', sa.String(length=40), nullable=False),
    sa.Column('from_member_state', sa.String(length=2), nullable=False),
    sa.Column('to_member_state', sa.String(length=2), nullable=False),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hit_id'], ['return_alert_hits.id'], name=op.f('fk_return_hit_messages_hit_id_return_alert_hits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_hit_messages'))
    )
    with op.batch_alter_table('return_hit_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_hit_messages_hit_id'), ['hit_id'], unique=False)


def downgrade() -> None:

    with op.batch_alter_table('return_hit_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_hit_messages_hit_id'))

    op.drop_table('return_hit_messages')
    with op.batch_alter_table('return_alert_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_alert_hits_executing_member_state'))
        batch_op.drop_index(batch_op.f('ix_return_alert_hits_alert_id'))

    op.drop_table('return_alert_hits')
    with op.batch_alter_table('return_operation_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_operation_participants_operation_id'))

    op.drop_table('return_operation_participants')
    with op.batch_alter_table('return_notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_notifications_member_state'))

    op.drop_table('return_notifications')
    with op.batch_alter_table('return_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_return_alerts_status_surnames')
        batch_op.drop_index(batch_op.f('ix_return_alerts_return_decision_id'))
        batch_op.drop_index(batch_op.f('ix_return_alerts_person_id'))
        batch_op.drop_index(batch_op.f('ix_return_alerts_identity_record_id'))

    op.drop_table('return_alerts')
    with op.batch_alter_table('readmission_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_readmission_requests_return_decision_id'))

    op.drop_table('readmission_requests')
    with op.batch_alter_table('entry_ban_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_ban_alerts_person_id'))

    op.drop_table('entry_ban_alerts')
    with op.batch_alter_table('avr_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_avr_cases_return_decision_id'))

    op.drop_table('avr_cases')
    with op.batch_alter_table('return_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_decisions_person_id'))
        batch_op.drop_index('ix_return_decisions_ms_issued')
        batch_op.drop_index('ix_return_decisions_departed')

    op.drop_table('return_decisions')
    op.drop_table('return_operations')
