"""sign-up links: an account is confirmed by its address before it can sign in

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    # every account made before confirmation existed has been in use: confirmed
    op.execute("UPDATE users SET confirmed_at = created_at")
    op.create_table('sign_up_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_sign_up_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_up_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_up_links_token_hash'))
    )
    with op.batch_alter_table('sign_up_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_up_links_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_up_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_up_links_user_id'))
    op.drop_table('sign_up_links')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('confirmed_at')
