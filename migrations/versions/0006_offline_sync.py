"""offline sync: change times on answers, staff notes and visit details; start/submit operation ids; upload hashes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('staff_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details_changed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_sha256', sa.String(length=64), nullable=True))
    op.create_table(
        'visit_operations',
        sa.Column('operation_id', sa.String(length=36), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_operations_visit_id_visits'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('operation_id', name=op.f('pk_visit_operations')),
    )
    with op.batch_alter_table('visit_operations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_operations_visit_id'), ['visit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('visit_operations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_operations_visit_id'))
    op.drop_table('visit_operations')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('source_sha256')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('details_changed_at')
    with op.batch_alter_table('staff_records', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
