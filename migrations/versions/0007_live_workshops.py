"""live workshops

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:07:30

Live workshops: rooms, their participants and their answers. The database keeps the
rules: a join code unique among rooms not ended, one nickname per room ignoring case,
one answer per participant and step, known statuses and phases tied to timestamps.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=True),
    sa.Column('quiz_slug', sa.String(length=100), nullable=True),
    sa.Column('scoring', sa.String(length=20), nullable=False),
    sa.Column('time_limit', sa.Integer(), nullable=True),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('step_index', sa.Integer(), nullable=True),
    sa.Column('phase', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('board', sa.Boolean(), nullable=False),
    sa.Column('picked_answer_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("phase != 'open' OR opened_at IS NOT NULL", name=op.f('ck_workshops_open_has_time')),
    sa.CheckConstraint("phase IN ('none', 'ready', 'open', 'closed', 'revealed')", name=op.f('ck_workshops_phase_known')),
    sa.CheckConstraint("scoring IN ('speed', 'accuracy', 'confidence')", name=op.f('ck_workshops_scoring_known')),
    sa.CheckConstraint("status != 'ended' OR ended_at IS NOT NULL", name=op.f('ck_workshops_ended_has_time')),
    sa.CheckConstraint("status != 'lobby' OR step_index IS NULL", name=op.f('ck_workshops_lobby_has_no_step')),
    sa.CheckConstraint("status != 'running' OR step_index IS NOT NULL", name=op.f('ck_workshops_running_has_a_step')),
    sa.CheckConstraint("status IN ('lobby', 'running', 'ended')", name=op.f('ck_workshops_status_known')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_workshops_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops'))
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshops_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshops_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('uq_workshops_live_code', ['code'], unique=True, sqlite_where=sa.text("status != 'ended'"), postgresql_where=sa.text("status != 'ended'"))

    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('nickname', sa.String(length=24), nullable=False),
    sa.Column('nickname_key', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participants_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_participants_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_participants_token_hash')),
    sa.UniqueConstraint('workshop_id', 'nickname_key', name=op.f('uq_participants_workshop_id_nickname_key')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_participants_workshop_id_user_id'))
    )
    op.create_table('live_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('step_index', sa.Integer(), nullable=False),
    sa.Column('quiz_slug', sa.String(length=100), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('quiz_version', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=True),
    sa.Column('confidence', sa.String(length=6), nullable=True),
    sa.Column('fraction', sa.Float(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('elapsed_ms', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("confidence IS NULL OR confidence IN ('low', 'medium', 'high')", name=op.f('ck_live_answers_confidence_known')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_live_answers_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_live_answers_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_answers')),
    sa.UniqueConstraint('participant_id', 'step_index', name=op.f('uq_live_answers_participant_id_step_index'))
    )
    with op.batch_alter_table('live_answers', schema=None) as batch_op:
        batch_op.create_index('ix_live_answers_workshop_step', ['workshop_id', 'step_index'], unique=False)



def downgrade():
    with op.batch_alter_table('live_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_live_answers_workshop_step')

    op.drop_table('live_answers')
    op.drop_table('participants')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_index('uq_workshops_live_code', sqlite_where=sa.text("status != 'ended'"), postgresql_where=sa.text("status != 'ended'"))
        batch_op.drop_index(batch_op.f('ix_workshops_owner_id'))
        batch_op.drop_index(batch_op.f('ix_workshops_code'))

    op.drop_table('workshops')
