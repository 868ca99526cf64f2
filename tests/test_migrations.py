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
                   "fk_visits_auditor_id_users"}
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
