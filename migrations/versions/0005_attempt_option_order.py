"""attempt option order

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

Each attempt keeps the order its choice and rank options were shown in, so a resumed
attempt and its review show the same order. Attempts from before have none: they show
the file's order, as they did.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('option_order', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('option_order')
