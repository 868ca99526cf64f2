"""One row per administrative action, kept with the names as they were, so the log reads true after renames."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..clock import utcnow
from ..columns import TermType, one_of
from ..extensions import db
from ..vocabulary import AuditAction, Subject


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    # Who acted: None for the command line (whoever holds a shell on the server).
    actor_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    action: so.Mapped[AuditAction] = so.mapped_column(TermType(AuditAction, 32))
    subject: so.Mapped[Subject] = so.mapped_column(TermType(Subject, 16))
    subject_id: so.Mapped[Optional[int]]
    subject_label: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    details: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)

    __table_args__ = (
        one_of("action", AuditAction), one_of("subject", Subject),
        sa.Index("ix_audit_entries_subject", "subject", "subject_id"),
    )
