"""foundation: users, sessions, audit, registry

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('authority', sa.String(length=10), nullable=False),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('entity_type', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=60), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity_id'), ['entity_id'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.String(length=40), nullable=False),
    sa.Column('operation', sa.String(length=60), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', 'user_id', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('persons',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_member_state'), ['member_state'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('authority', sa.String(length=10), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_authority'), ['authority'], unique=False)

    op.create_table('identity_records',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('given_names', sa.String(length=200), nullable=True),
    sa.Column('surname', sa.String(length=200), nullable=True),
    sa.Column('given_names_latin', sa.String(length=200), nullable=True),
    sa.Column('surname_latin', sa.String(length=200), nullable=True),
    sa.Column('father_name', sa.String(length=200), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('date_of_birth', sa.String(length=10), nullable=True),
    sa.Column('place_of_birth', sa.String(length=200), nullable=True),
    sa.Column('nationality', sa.String(length=3), nullable=True),
    sa.Column('document_type', sa.String(length=30), nullable=True),
    sa.Column('document_number', sa.String(length=60), nullable=True),
    sa.Column('document_country', sa.String(length=3), nullable=True),
    sa.Column('document_expiry', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_identity_records_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_records'))
    )
    with op.batch_alter_table('identity_records', schema=None) as batch_op:
        batch_op.create_index('ix_identity_records_dob', ['date_of_birth'], unique=False)
        batch_op.create_index('ix_identity_records_ms_surname', ['member_state', 'surname_latin'], unique=False)
        batch_op.create_index(batch_op.f('ix_identity_records_person_id'), ['person_id'], unique=False)

    op.create_table('sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('biometric_captures',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('identity_record_id', sa.String(length=40), nullable=False),
    sa.Column('template_ref', sa.String(length=120), nullable=True),
    sa.Column('captured_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('transmitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('transmission_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('transmission_met', sa.Boolean(), nullable=True),
    sa.Column('below_minimum_age', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['identity_record_id'], ['identity_records.id'], name=op.f('fk_biometric_captures_identity_record_id_identity_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_biometric_captures'))
    )
    with op.batch_alter_table('biometric_captures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_biometric_captures_identity_record_id'), ['identity_record_id'], unique=False)

    op.create_table('encounters',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('identity_record_id', sa.String(length=40), nullable=False),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('border_section', sa.String(length=200), nullable=True),
    sa.Column('route', sa.String(length=80), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_record_id'], ['identity_records.id'], name=op.f('fk_encounters_identity_record_id_identity_records')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_encounters_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_encounters'))
    )
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.create_index('ix_encounters_ms_occurred', ['member_state', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_encounters_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_encounters_route_occurred', ['route', 'occurred_at'], unique=False)

    op.create_table('eurodac_records',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('identity_record_id', sa.String(length=40), nullable=True),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retention_until', sa.Date(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['identity_record_id'], ['identity_records.id'], name=op.f('fk_eurodac_records_identity_record_id_identity_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eurodac_records'))
    )
    with op.batch_alter_table('eurodac_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eurodac_records_identity_record_id'), ['identity_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eurodac_records_retention_until'), ['retention_until'], unique=False)

    op.create_table('screenings',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('encounter_id', sa.String(length=40), nullable=True),
    sa.Column('member_state', sa.String(length=2), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('variant', sa.String(length=30), nullable=False),
    sa.Column('identity_summary', sa.Text(), nullable=True),
    sa.Column('nationalities', sa.String(length=200), nullable=True),
    sa.Column('residence_before_arrival', sa.String(length=200), nullable=True),
    sa.Column('languages', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=60), nullable=True),
    sa.Column('health_check', sa.Text(), nullable=True),
    sa.Column('vulnerability', sa.Text(), nullable=True),
    sa.Column('applied_for_protection', sa.Boolean(), nullable=True),
    sa.Column('family_in_member_state', sa.Text(), nullable=True),
    sa.Column('database_hit', sa.Boolean(), nullable=True),
    sa.Column('cooperated', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['encounter_id'], ['encounters.id'], name=op.f('fk_screenings_encounter_id_encounters')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_screenings_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screenings'))
    )
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.create_index('ix_screenings_ms_deadline', ['member_state', 'deadline_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_person_id'), ['person_id'], unique=False)
def downgrade() -> None:
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screenings_person_id'))
        batch_op.drop_index('ix_screenings_ms_deadline')

    op.drop_table('screenings')
    with op.batch_alter_table('eurodac_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eurodac_records_retention_until'))
        batch_op.drop_index(batch_op.f('ix_eurodac_records_identity_record_id'))

    op.drop_table('eurodac_records')
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.drop_index('ix_encounters_route_occurred')
        batch_op.drop_index(batch_op.f('ix_encounters_person_id'))
        batch_op.drop_index('ix_encounters_ms_occurred')

    op.drop_table('encounters')
    with op.batch_alter_table('biometric_captures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_biometric_captures_identity_record_id'))

    op.drop_table('biometric_captures')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_user_id'))

    op.drop_table('sessions')
    with op.batch_alter_table('identity_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_records_person_id'))
        batch_op.drop_index('ix_identity_records_ms_surname')
        batch_op.drop_index('ix_identity_records_dob')

    op.drop_table('identity_records')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_authority'))

    op.drop_table('users')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_member_state'))

    op.drop_table('persons')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('audit_head')
