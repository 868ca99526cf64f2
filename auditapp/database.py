"""How writes hold under concurrency on SQLite and PostgreSQL: write transactions, upserts, and SQLite's pragmas.

SQLite keeps the sqlite3 driver's default (legacy) transaction control for everything else: a SELECT runs
without a transaction and a transaction begins at its first write, so pages never take a lock. A service that
reads, checks and then writes calls `begin_write` first; on SQLite its transaction starts with BEGIN IMMEDIATE
(the "begin" event recipe of SQLAlchemy's SQLite docs, "Transactions with SQLite and the sqlite3 driver",
applied to these transactions only). It holds the write lock from its first read, so what it checked is still
true when it writes, and it never has to upgrade a read snapshot that another writer made stale — which fails
at once with "database is locked", busy_timeout or not. It waits for the lock instead (busy_timeout).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

_WRITE = "auditapp_write"  # the execution option that marks a connection's transaction as a writer
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn: Connection) -> None:
    # sqlite3 then sees a transaction already open and emits no BEGIN of its own; COMMIT/ROLLBACK stay its job.
    if conn.dialect.name == "sqlite" and conn.get_execution_options().get(_WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def begin_write(session: Session) -> None:
    """End what the session did so far and start a write transaction (on SQLite, under the write lock).

    Everything loaded before is expired, so it is read again inside the new transaction."""
    session.commit()
    session.connection(execution_options={_WRITE: True})


def upsert(session: Session, model: Any, rows: Iterable[Mapping[str, Any]], key: tuple[str, ...],
           update: tuple[str, ...], where: Callable[[Any], Any] | None = None) -> None:
    """Insert rows, or on a clash on the unique `key` columns set the `update` columns to the new values.

    One statement per row decides on the database, so concurrent first writes never clash (INSERT … ON
    CONFLICT DO UPDATE, in the dialect of the session's database). Every row has the same columns.
    `where(excluded)` builds the condition under which a clash updates the stored row (else it stays)."""
    rows = list(rows)
    if not rows:
        return
    insert = _INSERTS[session.get_bind().dialect.name](model)
    stmt = insert.on_conflict_do_update(index_elements=list(key),
                                        set_={column: insert.excluded[column] for column in update},
                                        where=where(insert.excluded) if where else None)
    session.execute(stmt, rows)


def insert_ignoring(session: Session, model: Any, key: tuple[str, ...]) -> Any:
    """An INSERT that does nothing on a clash on the unique `key` columns (RETURNING then returns no row)."""
    return _INSERTS[session.get_bind().dialect.name](model).on_conflict_do_nothing(index_elements=list(key))


def lock_name(session: Session, name: str) -> None:
    """Hold a lock on `name` until the transaction ends, for writes that no row lock covers (files, say).

    PostgreSQL takes an advisory lock; on SQLite the write transaction (`begin_write`) already holds the one
    lock there is."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(name, 0))))
