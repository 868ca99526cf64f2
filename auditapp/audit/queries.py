"""Read the audit log newest first, a page at a time, optionally about one subject."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..vocabulary import AuditAction, Subject
from .models import AuditEntry

PAGE_SIZE = 50


def entries(*, page: int = 1, action: AuditAction | None = None, subject: Subject | None = None,
            subject_id: int | None = None) -> tuple[list[AuditEntry], bool]:
    """One page of entries and whether an older page follows."""
    stmt = sa.select(AuditEntry)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    if subject is not None:
        stmt = stmt.where(AuditEntry.subject == subject)
        if subject_id is not None:
            stmt = stmt.where(AuditEntry.subject_id == subject_id)
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    rows = list(db.session.scalars(stmt))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
