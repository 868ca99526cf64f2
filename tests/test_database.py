"""SQLite transactions: a write transaction holds the write lock from its start; reads take none."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import sqlalchemy as sa

from auditapp.database import begin_write
from auditapp.extensions import db
from auditapp.visits.models import Visit


@pytest.fixture
def sqlite_app(make_app, sqlite_template, tmp_path):
    """An app on a SQLite file of its own: what is tested here is SQLite's locking, PostgreSQL has none of it."""
    path = tmp_path / "locks.sqlite"
    shutil.copyfile(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def other(sqlite_app):
    """A second connection to the same SQLite file that gives up at once instead of waiting for a lock."""
    path = sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    yield connection
    connection.close()


def takes_write_lock(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    connection.execute("ROLLBACK")
    return True


def test_a_write_transaction_locks_from_its_first_read_and_reads_do_not(sqlite_app, other):
    from .factories import Factory

    visit = Factory().visit()
    db.session.scalar(sa.select(Visit.status).where(Visit.id == visit.id))
    assert takes_write_lock(other)  # a page's reads leave writers free

    begin_write(db.session)
    assert db.session.scalar(sa.select(Visit.status).where(Visit.id == visit.id)) == "scheduled"
    assert not takes_write_lock(other)  # nobody can change what this transaction has read ...
    assert other.execute("SELECT count(*) FROM visits").fetchone() == (1,)  # ... and readers still read
    db.session.commit()
    assert takes_write_lock(other)
