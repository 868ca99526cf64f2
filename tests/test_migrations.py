"""Alembic migrations on both databases: empty → head matches the models, head → base leaves nothing."""

from __future__ import annotations

import logging

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from auditapp.extensions import NAMING_CONVENTION, db


@pytest.fixture
def migrated_app(make_app, empty_database_url):
    """An app on an empty database that the test migrates itself; whatever it leaves is removed."""
    app = make_app(empty_database_url)
    with app.app_context():
        _drop_everything()
        yield app
        db.session.remove()
        _drop_everything()
        db.engine.dispose()


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def app_tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_to_head_matches_the_models_and_downgrade_removes_everything(migrated_app):
    assert app_tables() == set()

    flask_migrate.upgrade()
    assert app_tables() == set(db.metadata.tables)
    assert current_revision() is not None
    assert schema_differences() == []

    flask_migrate.downgrade(revision="base")
    assert app_tables() == set()
    assert current_revision() is None

    flask_migrate.upgrade()
    assert app_tables() == set(db.metadata.tables)
    assert schema_differences() == []


def test_migrated_database_keeps_data_and_constraints(migrated_app, factory_on_migrated):
    version = factory_on_migrated.concept()
    visit = factory_on_migrated.visit(version=version)
    assert visit.id is not None
    with pytest.raises(sa.exc.IntegrityError):  # foreign keys are enforced on both databases
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO answers (visit_id, standard_key, comment, updated_at) "
                                 "VALUES (987654, 'x', '', CURRENT_TIMESTAMP)"))


@pytest.fixture
def factory_on_migrated(migrated_app):
    from .factories import Factory

    flask_migrate.upgrade()
    return Factory()


def test_constraints_carry_convention_names(migrated_app):
    flask_migrate.upgrade()
    inspector = sa.inspect(db.engine)
    fks = {fk["name"] for fk in inspector.get_foreign_keys("visits")}
    assert fks == {"fk_visits_concept_version_id_concept_versions", "fk_visits_branch_id_branches",
                   "fk_visits_auditor_id_users", "fk_visits_round_id_rounds"}
    uniques = {uq["name"] for uq in inspector.get_unique_constraints("users")}
    assert "uq_users_email" in uniques
    assert NAMING_CONVENTION["fk"].startswith("fk_")


def test_running_migrations_leaves_other_loggers_alone(migrated_app, caplog):
    logger = logging.getLogger("auditapp.visits.services")
    flask_migrate.upgrade()
    assert not logger.disabled
    with caplog.at_level(logging.INFO, logger="auditapp"):
        logger.info("still heard")
    assert "still heard" in caplog.text


def _standard_rows() -> list[tuple]:
    from auditapp.visits.models import StandardScore, StandardScoreRole

    rows = db.session.execute(
        sa.select(StandardScore.visit_id, StandardScore.standard_key, StandardScore.touchpoint_key,
                  StandardScore.phase_key, StandardScore.visited_on, StandardScore.score, StandardScore.weight,
                  StandardScore.critical, sa.func.count(StandardScoreRole.role_key))
        .outerjoin(StandardScoreRole).group_by(StandardScore.id).order_by(StandardScore.visit_id,
                                                                           StandardScore.standard_key)).all()
    return [tuple(r) for r in rows]


def test_upgrade_backfills_standard_scores_of_approved_visits_as_approval_writes_them(migrated_app,
                                                                                      factory_on_migrated):
    from auditapp.scoring import standard_results
    from auditapp.visits.models import StaffRecord, StandardScoreRole

    factory = factory_on_migrated
    approved = factory.approved(factory.visit(), {"greeted": "yes", "friendliness": 4, "upsell": "drink",
                                                  "clean": "no", "confirmed": "na"})
    call = factory.approved(factory.visit(channel="call"), {"rings": "no", "hold": 0.5, "confirmed": "yes"})
    open_visit = factory.answered(factory.visit(), {"greeted": "no"})
    db.session.add(StaffRecord(visit_id=approved.id, touchpoint_key="welcome", name="Tom"))
    db.session.commit()
    written = _standard_rows()
    expected = {(v.id, r.standard, r.score) for v in (approved, call)
                for r in standard_results(v.concept_version.content, v.channel, v.answer_values())}
    assert {(r[0], r[1], r[5]) for r in written} == expected
    assert open_visit.id not in {r[0] for r in written}
    assert set(db.session.scalars(sa.select(StandardScoreRole.role_key).distinct())) == {"host", "agent"}
    visited_at = approved.visited_at
    db.session.commit()
    db.session.remove()

    flask_migrate.downgrade(revision="0001")
    assert "standard_scores" not in app_tables()
    flask_migrate.upgrade()

    assert _standard_rows() == written
    recorded = db.session.scalar(sa.select(StaffRecord.recorded_at))
    assert recorded == visited_at
