"""lesson opens, certificate evidence

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

A lesson can be marked read only once the learner has opened it (a signed-in page view,
or an API fetch with a token): lesson_opens records that. A certificate keeps the quiz
attempts it rests on. Reads and certificates from before stay as they were.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_opens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_slug', sa.String(length=100), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lesson_opens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_opens')),
    sa.UniqueConstraint('user_id', 'lesson_slug', name=op.f('uq_lesson_opens_user_id_lesson_slug'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('evidence')
    op.drop_table('lesson_opens')
