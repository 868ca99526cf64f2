"""standard score rows with their roles, and when each staff note was recorded

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 00:40:00

Approved visits get their visit × standard rows here, scored by the same pure function the approval uses
(auditapp.scoring.standard_results), from each visit's own concept version and answers. Staff notes recorded
before this revision count their retention from the visit (or, unvisited, its creation).
"""
from alembic import op
import sqlalchemy as sa

from auditapp.concepts.definition import from_dict
from auditapp.scoring import standard_results


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    op.create_table('standard_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('phase_key', sa.String(length=64), nullable=False),
    sa.Column('touchpoint_key', sa.String(length=64), nullable=False),
    sa.Column('standard_key', sa.String(length=64), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_standard_scores_branch_id_branches')),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], name=op.f('fk_standard_scores_concept_id_concepts')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_standard_scores_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_scores')),
    sa.UniqueConstraint('visit_id', 'standard_key', name='uq_standard_scores_visit_standard')
    )
    with op.batch_alter_table('standard_scores', schema=None) as batch_op:
        batch_op.create_index('ix_standard_scores_report', ['concept_id', 'branch_id', 'visited_on'], unique=False)

    op.create_table('standard_score_roles',
    sa.Column('standard_score_id', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['standard_score_id'], ['standard_scores.id'], name=op.f('fk_standard_score_roles_standard_score_id_standard_scores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('standard_score_id', 'role_key', name=op.f('pk_standard_score_roles'))
    )
    with op.batch_alter_table('standard_score_roles', schema=None) as batch_op:
        batch_op.create_index('ix_standard_score_roles_role', ['role_key', 'standard_score_id'], unique=False)

    with op.batch_alter_table('staff_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(), nullable=True))
    _date_staff_notes()
    with op.batch_alter_table('staff_records', schema=None) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index(batch_op.f('ix_staff_records_recorded_at'), ['recorded_at'], unique=False)

    _score_approved_visits()


def _date_staff_notes():
    conn = op.get_bind()
    visits = sa.table('visits', sa.column('id'), sa.column('visited_at'), sa.column('created_at'))
    staff = sa.table('staff_records', sa.column('visit_id'), sa.column('recorded_at'))
    when = (sa.select(sa.func.coalesce(visits.c.visited_at, visits.c.created_at))
            .where(visits.c.id == staff.c.visit_id).scalar_subquery())
    conn.execute(staff.update().values(recorded_at=when))


def _score_approved_visits():
    conn = op.get_bind()
    visits = sa.table('visits', sa.column('id'), sa.column('branch_id'), sa.column('concept_version_id'),
                      sa.column('channel'), sa.column('status'), sa.column('visited_at', sa.DateTime),
                      sa.column('submitted_at', sa.DateTime), sa.column('created_at', sa.DateTime))
    versions = sa.table('concept_versions', sa.column('id'), sa.column('concept_id'),
                        sa.column('definition', sa.JSON))
    answers = sa.table('answers', sa.column('visit_id'), sa.column('standard_key'), sa.column('value', sa.JSON))
    scores = sa.table('standard_scores', sa.column('visited_on', sa.Date), *(sa.column(c) for c in (
        'id', 'visit_id', 'branch_id', 'concept_id', 'phase_key', 'touchpoint_key', 'standard_key', 'score',
        'weight', 'critical')))
    roles = sa.table('standard_score_roles', sa.column('standard_score_id'), sa.column('role_key'))

    content = {vid: (cid, from_dict(definition))
               for vid, cid, definition in conn.execute(sa.select(versions.c.id, versions.c.concept_id,
                                                                  versions.c.definition))}
    approved = conn.execute(sa.select(
        visits.c.id, visits.c.branch_id, visits.c.concept_version_id, visits.c.channel,
        sa.func.coalesce(visits.c.visited_at, visits.c.submitted_at, visits.c.created_at, type_=sa.DateTime))
        .where(visits.c.status == 'approved').order_by(visits.c.id)).all()
    for start in range(0, len(approved), BATCH):
        batch = approved[start:start + BATCH]
        given = {}
        for visit_id, key, value in conn.execute(sa.select(answers.c.visit_id, answers.c.standard_key,
                                                           answers.c.value)
                                                 .where(answers.c.visit_id.in_([v[0] for v in batch]))):
            given.setdefault(visit_id, {})[key] = value
        for visit_id, branch_id, version_id, channel, when in batch:
            concept_id, concept = content[version_id]
            visited_on = when.date()
            for r in standard_results(concept, channel, given.get(visit_id, {})):
                score_id = conn.execute(scores.insert().values(
                    visit_id=visit_id, branch_id=branch_id, concept_id=concept_id, phase_key=r.phase,
                    touchpoint_key=r.touchpoint, standard_key=r.standard, visited_on=visited_on, score=r.score,
                    weight=r.weight, critical=r.critical).returning(scores.c.id)).scalar_one()
                if r.roles:
                    conn.execute(roles.insert(), [{'standard_score_id': score_id, 'role_key': role}
                                                  for role in r.roles])


def downgrade():
    with op.batch_alter_table('staff_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_records_recorded_at'))
        batch_op.drop_column('recorded_at')

    with op.batch_alter_table('standard_score_roles', schema=None) as batch_op:
        batch_op.drop_index('ix_standard_score_roles_role')
    op.drop_table('standard_score_roles')

    with op.batch_alter_table('standard_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_standard_scores_report')
    op.drop_table('standard_scores')
